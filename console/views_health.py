"""The console's `/livez` and `/readyz` (`/healthz` in views_auth stays the supervisor's alias).

Ready means the store answers a trivial query; the console has nothing else to wait for.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import JSONResponse

from chungtay import readiness
from console.web import StoreDep

router = APIRouter()


@router.get("/livez")
async def livez() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(store: StoreDep) -> JSONResponse:
    checks = await readiness.with_database(store, lambda _session: {})
    return readiness.response(checks)
