"""Rasa's copy of a conversation, seen from the gateway and the console: only to forget it.

Rasa 3.6's ``SQLTrackerStore`` keeps every event of every conversation as one row of its
``events`` table (``id, sender_id, type_name, timestamp, intent_name, action_name, data``); ``data``
is the event as JSON, so user events carry the person's own words. Rasa has no API to delete a
conversation, so erasure deletes the rows directly; with the in-memory tracker store (no
``CHUNGTAY_RASA_TRACKER_STORE_URL``) it replaces the conversation with ``[]`` through Rasa's API.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import TYPE_CHECKING

import httpx
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from bot.rasa_client import RasaClient

if TYPE_CHECKING:
    from chungtay.settings import Settings

EVENTS_TABLE = "events"  # rasa.core.tracker_store.SQLTrackerStore.SQLEvent.__tablename__


def _our_driver(url: str) -> str:
    # Rasa speaks psycopg2 ("postgresql://"); this venv has psycopg 3.
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


class SqlTrackerEvents:
    """The ``events`` table of Rasa's tracker database; connects on first use."""

    def __init__(self, url: str) -> None:
        self.url = _our_driver(url)
        self._engine: Engine | None = None

    def _db(self) -> Engine:
        if self._engine is None:
            self._engine = create_engine(self.url, pool_pre_ping=True)
        return self._engine

    def forget(self, sender_id: str, *, before: datetime | None = None) -> int:
        """Delete every event of one conversation (only those ``before``, when given)."""
        query = f"DELETE FROM {EVENTS_TABLE} WHERE sender_id = :sender"
        params: dict[str, object] = {"sender": sender_id}
        if before is not None:  # Rasa's timestamps are Unix seconds
            query += " AND timestamp < :before"
            params["before"] = before.timestamp()
        with self._db().begin() as connection:
            return int(connection.execute(text(query), params).rowcount or 0)

    def count(self, sender_id: str) -> int:
        with self._db().connect() as connection:
            return int(
                connection.execute(
                    text(f"SELECT count(*) FROM {EVENTS_TABLE} WHERE sender_id = :sender"),
                    {"sender": sender_id},
                ).scalar_one()
            )

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


async def forget_conversation(
    *,
    sender: str,
    rasa: RasaClient,
    events: SqlTrackerEvents | None,
    keep_from: datetime | None = None,
) -> str:
    """Remove Rasa's copy of one conversation; returns what was done (for the log).

    ``keep_from``: the person's new conversation under the same sender id began then; its events
    stay in the SQL store. The in-memory store (development) cannot keep part of a tracker, so
    there the whole conversation is reset: the erased words matter more than the dialogue state.

    Raises ``RasaUnavailable`` (API) or a database error (SQL) when it could not be removed.
    """
    if events is not None:  # SQL tracker store: delete its rows
        deleted = await asyncio.to_thread(events.forget, sender, before=keep_from)
        return f"{deleted} Rasa tracker events deleted"
    # In-memory tracker store: replace the conversation with an empty one.
    await rasa.replace_events(sender=sender, events=[])
    return "Rasa conversation reset"


async def forget_with_settings(
    settings: Settings,
    *,
    sender: str,
    keep_from: datetime | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> str:
    """``forget_conversation`` with clients made for this one call (the console erases rarely)."""
    rasa = RasaClient(
        settings.rasa_replica_urls,
        timeout=settings.rasa_timeout_seconds,
        auth_token=settings.rasa_auth_token,
        transport=transport,
    )
    events = (
        SqlTrackerEvents(settings.rasa_tracker_store_url)
        if settings.rasa_tracker_store_url
        else None
    )
    try:
        return await forget_conversation(
            sender=sender, rasa=rasa, events=events, keep_from=keep_from
        )
    finally:
        await rasa.aclose()
        if events is not None:
            events.dispose()
