"""``Store``: the session factory plus the cipher and hasher every repository call needs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from chungtay.settings import Settings
from intake_store.crypto import FieldCipher, SenderHasher
from intake_store.db import make_engine, make_session_factory


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

    def dispose(self) -> None:
        bind = self.session_factory.kw.get("bind")
        if bind is not None:
            bind.dispose()
