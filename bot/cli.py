"""``chungtay gateway``: the channel gateway (web chat, Telegram, Zalo, SMS) under uvicorn."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("gateway", help="run the channel gateway (web chat + webhooks)")
    parser.add_argument("--host", help="bind address (default: CHUNGTAY_BIND_HOST)")
    parser.add_argument("--port", type=int, help="port (default: CHUNGTAY_GATEWAY_PORT)")
    parser.set_defaults(handler=run_gateway)


def run_gateway(args: argparse.Namespace) -> int:
    import uvicorn

    from bot.app import create_app
    from chungtay.settings import get_settings

    settings = get_settings()
    uvicorn.run(
        create_app(settings),
        host=args.host or settings.bind_host,
        port=args.port or settings.gateway_port,
        # Access lines would carry webhook query strings (the eSMS callback token).
        access_log=False,
        log_config=None,  # keep the CLI's logging format
    )
    return 0
