"""The routing worker's sign of life: a file in the data dir it touches after every pass.

The worker has no HTTP server; the gateway's readiness reads the file's age. Several workers on
one machine share the file (any fresh touch means one of them is passing over the outbox); on
several machines the data dir must be shared for the gateway to see it.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

from chungtay.settings import Settings

FILE_NAME = "routing-worker.heartbeat"


def heartbeat_path(settings: Settings) -> Path:
    return settings.data_dir / FILE_NAME


def beat(path: Path) -> None:
    with contextlib.suppress(OSError):  # a full disk must not stop alerts
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()


def age_seconds(path: Path) -> float | None:
    """Seconds since the last beat; None when no worker has ever beaten."""
    try:
        return max(0.0, time.time() - path.stat().st_mtime)
    except OSError:
        return None
