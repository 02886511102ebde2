"""Readiness reports shared by the gateway and the console (`/readyz`).

Each check says ``ok``, ``degraded`` (serving, but something needs a look: monitoring should warn)
or ``fail`` (this process cannot do its job: 503, a load balancer sends traffic elsewhere). The
body carries counts, ages and exception class names only: nothing about people or addresses.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse

from intake_store.store import Store

Status = Literal["ok", "degraded", "fail"]
ORDER: dict[Status, int] = {"ok": 0, "degraded": 1, "fail": 2}
# A store that does not answer a trivial query in this long is as good as down for a person.
DATABASE_TIMEOUT_SECONDS = 3.0


@dataclass(frozen=True)
class Check:
    status: Status
    detail: dict[str, Any] = field(default_factory=dict)


def report(checks: dict[str, Check]) -> tuple[int, dict[str, Any]]:
    """The HTTP status and JSON body of a readiness answer: 503 only when a check fails."""
    worst: Status = max((c.status for c in checks.values()), key=ORDER.__getitem__, default="ok")
    body = {
        "status": worst,
        "checks": {name: {"status": c.status, **c.detail} for name, c in checks.items()},
    }
    return (503 if worst == "fail" else 200), body


def response(checks: dict[str, Check]) -> JSONResponse:
    status, body = report(checks)
    return JSONResponse(body, status_code=status)


async def with_database(
    store: Store, read: Callable[[Session], dict[str, Check]]
) -> dict[str, Check]:
    """``database`` from a trivial query, plus what ``read`` finds in the same session."""

    def run() -> dict[str, Check]:
        with store.begin() as session:
            session.execute(select(1))
            return {"database": Check("ok"), **read(session)}

    try:
        return await asyncio.wait_for(run_in_threadpool(run), DATABASE_TIMEOUT_SECONDS)
    except TimeoutError:
        return {"database": Check("fail", {"error": "timeout"})}
    except Exception as error:  # any driver error: the class name says enough, never the URL
        return {"database": Check("fail", {"error": error.__class__.__name__})}
