"""``python -m chungtay.action_server --actions actions --port N``: rasa-sdk's actions behind a key.

rasa-sdk's own server runs any action for anyone who can reach its port (a crafted tracker
erased a real conversation) and answers an error with the whole request body (the tracker: every
message and slot). This server runs the same ``ActionExecutor`` but:

- every path except ``/health`` requires ``Authorization: Bearer <CHUNGTAY_ACTION_SERVER_TOKEN>``
  (compared in constant time), which Rasa sends from endpoints.yml; 401 otherwise;
- an error answers a generic JSON body and is logged as exception types and code locations only.

The answers Rasa reads are rasa-sdk's: 200 with the action's events and responses, 400
``{"error", "action_name"}`` for a rejection, 404 for an unknown action.
"""

from __future__ import annotations

import argparse
import asyncio
import hmac
import json
import logging
import os
import traceback
import zlib
from collections.abc import Callable
from functools import lru_cache, partial
from typing import Any

from rasa_sdk import utils
from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME, DEFAULT_KEEP_ALIVE_TIMEOUT
from rasa_sdk.endpoint import create_argument_parser
from rasa_sdk.executor import ActionExecutor
from rasa_sdk.interfaces import (
    ActionExecutionRejection,
    ActionMissingDomainException,
    ActionNotFoundException,
)
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sanic.worker.loader import AppLoader
from sqlalchemy import Engine, select

from chungtay import metrics, readiness
from chungtay.readiness import Check
from intake_store.db import make_engine

logger = logging.getLogger(__name__)

# Liveness and readiness answer without the token (counts and class names only); /metrics
# checks its own token (CHUNGTAY_METRICS_TOKEN), not Rasa's.
OPEN_PATHS = frozenset({"/health", "/livez", "/readyz", "/metrics"})


def error_summary(error: BaseException) -> str:
    """An exception as its types and code locations: messages may quote the tracker."""
    parts: list[str] = []
    current: BaseException | None = error
    while current is not None and len(parts) < 5:
        frames = traceback.extract_tb(current.__traceback__)
        where = f" at {frames[-1].filename}:{frames[-1].lineno}" if frames else ""
        parts.append(f"{type(current).__qualname__}{where}")
        current = current.__cause__ or current.__context__
    return " <- ".join(parts)


@lru_cache(maxsize=4)
def _engine(url: str) -> Engine:
    return make_engine(url)


def database_checks(url: str) -> dict[str, Check]:
    """Readiness: the actions write every case to the store, so it must answer."""
    try:
        with _engine(url).connect() as connection:
            connection.execute(select(1))
    except Exception as error:  # the class name only: a driver message can carry the URL
        return {"database": Check("fail", {"error": error.__class__.__name__})}
    return {"database": Check("ok")}


def create_app(
    executor: ActionExecutor,
    *,
    token: str,
    metrics_token: str = "",
    ready: Callable[[], dict[str, Check]] | None = None,
) -> Sanic:
    """The action server's Sanic app (module level: Sanic's worker loader pickles the factory).

    ``ready`` computes ``/readyz``'s checks (none: always ready).
    """
    if not token:
        raise ValueError("the action server needs CHUNGTAY_ACTION_SERVER_TOKEN")
    expected = f"Bearer {token}".encode()
    app = Sanic("chungtay_actions", configure_logging=False)
    app.config.KEEP_ALIVE_TIMEOUT = DEFAULT_KEEP_ALIVE_TIMEOUT

    @app.on_request
    async def require_token(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS:
            return None
        presented = (request.headers.get("authorization") or "").encode()
        if not hmac.compare_digest(presented, expected):
            return response.json({"error": "unauthorized"}, status=401)
        return None

    @app.get("/health")
    async def health(_: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    @app.get("/livez")
    async def livez(_: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    @app.get("/readyz")
    async def readyz(_: Request) -> HTTPResponse:
        checks = await asyncio.to_thread(ready) if ready is not None else {}
        status, body = readiness.report(checks)
        return response.json(body, status=status)

    @app.get("/metrics")
    async def metrics_(request: Request) -> HTTPResponse:
        status, body, headers = metrics.reply(request.headers.get("authorization"), metrics_token)
        return HTTPResponse(body, status=status, headers=headers)

    @app.get("/actions")
    async def actions(_: Request) -> HTTPResponse:
        return response.json([item.model_dump() for item in executor.list_actions()])

    @app.post("/webhook")
    async def webhook(request: Request) -> HTTPResponse:
        try:
            if request.headers.get("content-encoding") == "deflate":
                call: Any = json.loads(zlib.decompress(request.body))
            else:
                call = json.loads(request.body)
        except (ValueError, zlib.error):
            return response.json({"error": "invalid body"}, status=400)
        if not isinstance(call, dict):
            return response.json({"error": "invalid body"}, status=400)
        utils.check_version_compatibility(call.get("version"))
        try:
            result = await executor.run(call)
        except ActionExecutionRejection as error:
            # Rasa reads these two fields; the message is our own text, never the person's.
            return response.json(
                {"error": error.message, "action_name": error.action_name}, status=400
            )
        except ActionNotFoundException as error:
            logger.error("unknown action requested")
            return response.json({"error": "unknown action", "action_name": error.action_name}, 404)
        except ActionMissingDomainException as error:
            return response.json({"error": "domain missing", "action_name": error.action_name}, 449)
        return response.json(result.model_dump() if result else None)

    @app.exception(Exception)
    async def failed(request: Request, error: Exception) -> HTTPResponse:
        logger.error("action server: %s failed: %s", request.path, error_summary(error))
        return response.json({"error": "action failed"}, status=500)

    return app


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    return create_argument_parser().parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    from chungtay.settings import get_settings

    args = parse_args(argv)
    settings = get_settings()
    token = settings.action_server_token
    if not token:
        raise SystemExit("action server: set CHUNGTAY_ACTION_SERVER_TOKEN (see .env.example)")
    utils.configure_colored_logging(args.loglevel)
    utils.configure_file_logging(
        logging.getLogger(APPLICATION_ROOT_LOGGER_NAME),
        args.log_file,
        args.loglevel,
        args.logging_config_file,
    )
    utils.update_sanic_log_level()
    executor = ActionExecutor()
    executor.register_package(args.actions_module or args.actions)
    loader = AppLoader(
        factory=partial(
            create_app,
            executor,
            token=token,
            metrics_token=settings.metrics_token,
            ready=partial(database_checks, settings.database_url),
        )
    )
    app = loader.load()
    host = os.environ.get("SANIC_HOST", "127.0.0.1")
    logger.info("action server on http://%s:%s", host, args.port)
    app.prepare(host=host, port=args.port, workers=utils.number_of_sanic_workers())
    Sanic.serve(primary=app, app_loader=loader)


if __name__ == "__main__":
    main()
