"""`chungtay console` (serve the console) and `chungtay console create-admin`."""

from __future__ import annotations

import argparse
import getpass
import re
import sys
from typing import Any

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")


def register(subparsers: Any) -> None:
    console = subparsers.add_parser("console", help="operator console (web app)")
    console.set_defaults(handler=serve)
    sub = console.add_subparsers(dest="console_command", metavar="SUBCOMMAND")
    create = sub.add_parser("create-admin", help="create a console admin (asks for a password)")
    create.add_argument("--username", required=True)
    create.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    create.set_defaults(handler=create_admin)


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from chungtay.dev_secrets import ensure_dev_secrets
    from chungtay.settings import get_settings
    from console.app import create_app

    settings = get_settings()
    if ensure_dev_secrets(settings):
        get_settings.cache_clear()
        settings = get_settings()
    app = create_app(settings)
    # One process per machine: the login throttle counts in memory, or in Redis shared with the
    # other machines' consoles (CHUNGTAY_REDIS_URL); lockouts are in the store.
    uvicorn.run(
        app,
        host=settings.bind_host,
        port=settings.console_port,
        proxy_headers=False,
        server_header=False,
        # Access logs would record query strings, and the queue search can carry a phone number.
        access_log=False,
        log_level="info",
    )
    return 0


def read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Mật khẩu / password: ")
    second = getpass.getpass("Nhập lại / repeat: ")
    if first != second:
        raise SystemExit("passwords do not match")
    return first


def create_admin(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import IntegrityError

    from chungtay.settings import get_settings
    from console.passwords import hash_password, password_problem
    from intake_store import audit, users
    from intake_store.db import make_engine, make_session_factory, upgrade_database

    username = args.username.strip().lower()
    if not USERNAME.match(username):
        print("username: 3-64 of a-z 0-9 . _ -, starting with a letter or digit", file=sys.stderr)
        return 2
    password = read_password(args)
    problem = password_problem(password, username=username)
    if problem:
        print(f"password refused: {problem}", file=sys.stderr)
        return 2
    settings = get_settings()
    upgrade_database(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        with make_session_factory(engine).begin() as session:
            user_id = users.create_user(
                session, username=username, password_hash=hash_password(password), role="admin"
            )
            audit.record_audit(
                session,
                actor="system:cli",
                action="user_create",
                subject_type="console_user",
                subject_id=user_id,
                reason="account created",
                detail={"role": "admin"},
            )
    except IntegrityError:
        print(f"user {username!r} already exists", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(f"admin {username!r} created")
    return 0
