"""Every APIRoute of an app, also inside included routers (FastAPI >= 0.13x nests them)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from fastapi.routing import APIRoute


def api_routes(routes: Iterable[Any]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):
            # Our routers are included without a prefix, so their paths are the real ones.
            assert not getattr(route.include_context, "prefix", ""), "prefixed router"
            yield from api_routes(route.original_router.routes)
