"""``Store``: the session factory plus the cipher and hasher every repository call needs."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from chungtay.settings import Settings
from intake_store.crypto import FieldCipher, SenderHasher
from intake_store.db import make_engine, make_session_factory

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class Store:
    session_factory: sessionmaker[Session]
    cipher: FieldCipher
    hasher: SenderHasher

    @classmethod
    def from_settings(cls, settings: Settings) -> Store:
        """No I/O: the engine connects on the first session."""
        engine = make_engine(settings.database_url)
        return cls(
            session_factory=make_session_factory(engine),
            cipher=FieldCipher.from_settings(settings),
            hasher=SenderHasher.from_settings(settings),
        )

    @contextmanager
    def begin(self) -> Iterator[Session]:
        """One transaction: commits on success, rolls back on error."""
        with self.session_factory.begin() as session:
            yield session

    def transaction(self, work: Callable[[Session], T], *, attempts: int = 3) -> T:
        """``work`` in one transaction, run again on a new connection when the database dropped
        the connection under it (a restart, a failover, ``pg_terminate_backend``).

        ``pool_pre_ping`` only checks a connection when it leaves the pool; one cut between that
        check and the statement fails the transaction, which rolled back, so running it again is
        safe for work that only touches the store. A connection lost during COMMIT itself may
        leave the first run committed: an inbound message then dedupes by its external id, a
        reply may be recorded twice (rare, and nothing is lost).
        """
        for attempt in range(1, attempts + 1):
            try:
                with self.begin() as session:
                    return work(session)
            except DBAPIError as error:
                if not error.connection_invalidated or attempt == attempts:
                    raise
                log.warning("database connection lost (attempt %d): transaction run again", attempt)
        raise AssertionError("unreachable")  # the loop returns or raises

    def dispose(self) -> None:
        bind = self.session_factory.kw.get("bind")
        if bind is not None:
            bind.dispose()
