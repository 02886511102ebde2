"""The `chungtay` command line.

Each package adds its own subcommands through ``<package>.cli.register(subparsers)`` so that the
parts of the system stay independent; this module only assembles them.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable, Sequence

from chungtay.log_format import JsonFormatter
from chungtay.settings import Settings, get_settings

# Packages that contribute subcommands, in help order.
COMMAND_MODULES = (
    "chungtay.commands",
    "intake_store.cli",
    "routing.cli",
    "nlu.cli",
    "console.cli",
    "bot.cli",
    "content.cli",
)

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chungtay", description="Chung Tay: anti-trafficking chatbot and hotline intake."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    before_run: list[Callable[[Settings], None]] = []
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:  # a real missing dependency inside the module
                raise
            continue
        module.register(subparsers)
        if hasattr(module, "before_run"):
            before_run.append(module.before_run)
    # What a package needs done before `chungtay run` starts the processes (the store: its
    # migrations), so that `run` itself imports none of the packages it starts.
    parser.set_defaults(before_run=tuple(before_run))
    return parser


# Libraries that log request URLs and headers: Telegram's bot token is part of every Bot API URL
# (httpx logs it at INFO, python-telegram-bot at DEBUG), Twilio logs request headers and bodies.
QUIET_LOGGERS = {
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "twilio": logging.WARNING,
    "telegram": logging.INFO,
}


def configure_logging(
    *, verbose: bool = False, log_format: str = "text", process: str = "chungtay"
) -> None:
    level = logging.DEBUG if verbose else logging.INFO
    if log_format == "json":
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter(process))
        logging.basicConfig(level=level, handlers=[handler])
    else:
        logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for name, level in QUIET_LOGGERS.items():
        logging.getLogger(name).setLevel(level)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    settings = get_settings()  # reads the environment only
    configure_logging(
        verbose=args.verbose,
        log_format=settings.log_format,
        # `chungtay run` names each child (chungtay/supervisor.py); otherwise the command.
        process=settings.process_name or args.command,
    )
    handler: Handler = args.handler
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
