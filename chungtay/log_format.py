"""One JSON object per log line (CHUNGTAY_LOG_FORMAT=json), for a log shipper to read.

Fields: ``time`` (ISO 8601 with the machine's offset), ``level``, ``logger``, ``process`` (the
supervisor's name for the child, e.g. ``gateway`` or ``worker-2``), ``message``. Our log messages
carry ids, counts and class names only, never what a person wrote; an exception adds its class
name and where it was raised, never its message (a driver's or a library's message may quote a
value) nor the traceback's lines of code.
"""

from __future__ import annotations

import json
import logging
import traceback
from datetime import datetime
from typing import Any


class JsonFormatter(logging.Formatter):
    def __init__(self, process: str) -> None:
        super().__init__()
        self.process = process

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created)
            .astimezone()
            .isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "process": self.process,
            "message": record.getMessage(),
        }
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = record.exc_info[0].__name__
            frames = traceback.extract_tb(record.exc_info[2])
            entry["where"] = [f"{f.filename}:{f.lineno} {f.name}" for f in frames[-5:]]
        return json.dumps(entry, ensure_ascii=False)


def wrap_line(line: str, *, process: str, now: datetime | None = None) -> str:
    """A child's output line that is not one of our JSON lines (Rasa's, Sanic's), as one."""
    if line.startswith("{") and line.endswith("}"):
        return line
    moment = (now or datetime.now()).astimezone().isoformat(timespec="milliseconds")
    entry = {
        "time": moment,
        "level": "INFO",
        "logger": "output",
        "process": process,
        "message": line,
    }
    return json.dumps(entry, ensure_ascii=False)
