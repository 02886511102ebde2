"""Rasa's SQL tracker store, seen from the gateway: only to delete an erased person's events.

Rasa 3.6's ``SQLTrackerStore`` keeps every event of every conversation as one row of its
``events`` table (``id, sender_id, type_name, timestamp, intent_name, action_name, data``); ``data``
is the event as JSON, so user events carry the person's own words. Rasa has no API to delete a
conversation, so erasure deletes the rows directly.
"""

from __future__ import annotations

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

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

    def forget(self, sender_id: str) -> int:
        """Delete every event of one conversation; returns how many rows went."""
        with self._db().begin() as connection:
            result = connection.execute(
                text(f"DELETE FROM {EVENTS_TABLE} WHERE sender_id = :sender"),
                {"sender": sender_id},
            )
            return int(result.rowcount or 0)

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
