"""`chungtay worker [--once]`: deliver staff alerts from the outbox and escalate."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
from typing import Any

from chungtay.settings import get_settings


def register(subparsers: Any) -> None:
    worker = subparsers.add_parser("worker", help="routing worker: staff alerts and escalation")
    worker.add_argument("--once", action="store_true", help="one pass over the outbox, then exit")
    worker.add_argument("--worker-id", help="name in the outbox claims (default host:pid:random)")
    worker.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    from routing.build import worker_from_settings  # heavy imports only when the command runs

    settings = get_settings()
    worker = worker_from_settings(settings, worker_id=args.worker_id)
    if settings.worker_port and not args.once:
        from routing.probes import ProbeApp, serve

        probes = ProbeApp(
            session_factory=worker.session_factory,
            last_pass=lambda: worker.last_pass_at,
            metrics_token=settings.metrics_token,
            outbox_max_age=settings.ready_outbox_max_age_seconds,
            max_silence=settings.ready_worker_max_silence_seconds,
        )
        serve(probes, host=settings.bind_host, port=settings.worker_port)

    async def main() -> int:
        if args.once:
            try:
                stats = await worker.run_once()
            finally:
                await worker.aclose()
            print(
                f"claimed={stats.claimed} sent={stats.sent} retried={stats.retried} "
                f"failed={stats.failed} skipped={stats.skipped} escalated={stats.escalated}"
            )
            return 0
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        await worker.run_forever(stop)
        return 0

    return asyncio.run(main())
