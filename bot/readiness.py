"""The gateway's `/livez` and `/readyz` (`/healthz` stays the supervisor's liveness alias).

Ready means: the store answers (else 503) and at least one Rasa replica answers (else 503:
people still get the 111/113 fallback, but nothing is understood). Degraded (still 200): some
replicas down, the oldest undelivered outbox row older than CHUNGTAY_READY_OUTBOX_MAX_AGE_SECONDS,
or the routing worker's heartbeat older than CHUNGTAY_READY_WORKER_MAX_SILENCE_SECONDS.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import httpx
from fastapi import APIRouter
from sqlalchemy.orm import Session
from starlette.responses import JSONResponse

from bot.rasa_client import parse_urls
from chungtay import heartbeat, readiness
from chungtay.readiness import Check
from chungtay.settings import Settings
from intake_store import outbox
from intake_store.store import Store

RASA_TIMEOUT_SECONDS = 2.0


def router(
    settings: Settings, store: Store, *, rasa_transport: httpx.AsyncBaseTransport | None = None
) -> APIRouter:
    routes = APIRouter()
    rasa_urls = parse_urls(settings.rasa_replica_urls)
    beat_file = heartbeat.heartbeat_path(settings)

    @routes.get("/livez", include_in_schema=False)
    async def livez() -> dict[str, str]:
        return {"status": "ok"}

    @routes.get("/readyz", include_in_schema=False)
    async def readyz() -> JSONResponse:
        def read_outbox(session: Session) -> dict[str, Check]:
            age = outbox.oldest_pending_age(session, now=datetime.now(UTC))
            late = age is not None and age > settings.ready_outbox_max_age_seconds
            return {
                "outbox": Check(
                    "degraded" if late else "ok",
                    {"oldest_pending_seconds": None if age is None else round(age, 1)},
                )
            }

        store_checks, rasa = await asyncio.gather(
            readiness.with_database(store, read_outbox), _rasa(rasa_urls, rasa_transport)
        )
        worker = _worker(beat_file, settings.ready_worker_max_silence_seconds)
        return readiness.response({**store_checks, "rasa": rasa, "worker": worker})

    return routes


def _worker(beat_file: Path, max_silence: float) -> Check:
    age = heartbeat.age_seconds(beat_file)
    silent = age is None or age > max_silence
    detail = {"heartbeat_age_seconds": None if age is None else round(age, 1)}
    return Check("degraded" if silent else "ok", detail)


async def _rasa(urls: list[str], transport: httpx.AsyncBaseTransport | None) -> Check:
    """Rasa's `/` (no token needed) on every replica at once."""
    async with httpx.AsyncClient(timeout=RASA_TIMEOUT_SECONDS, transport=transport) as client:

        async def answers(url: str) -> bool:
            try:
                return (await client.get(f"{url}/")).status_code == 200
            except httpx.HTTPError:
                return False

        up = sum(await asyncio.gather(*(answers(url) for url in urls)))
    status: readiness.Status = "ok" if up == len(urls) else "degraded" if up else "fail"
    return Check(status, {"replicas": len(urls), "reachable": up})
