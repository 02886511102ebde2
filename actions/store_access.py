"""The action server's handle on the intake store, built on first use (never at import)."""

from __future__ import annotations

from functools import lru_cache

from chungtay.settings import get_settings
from intake_store.store import Store


@lru_cache(maxsize=1)
def get_store() -> Store:
    return Store.from_settings(get_settings())
