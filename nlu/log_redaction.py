"""Keep people's words, phone numbers and secrets out of the Rasa server's log.

Rasa logs what its dependencies tell it: a failed custom action's exception carries the action
server's whole answer (which rasa-sdk filled with the request: the tracker with every message and
slot), Sanic's error log carries request URLs (with ``?token=``), and any exception message may
quote a person's text. Every record of the Rasa server's own loggers passes through
``RedactingFilter``: exception details become the exception types and code locations only, and
secrets and phone numbers in the message are masked. A record that still looks like it carries a
conversation is withheld whole.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Iterable

# The loggers that handle requests in the Rasa process (a logger's filters see only its own
# records, not its children's, so each is named).
LOGGER_PREFIXES = ("rasa", "sanic", "nlu", "aiohttp", "asyncio", "root")
KNOWN_LOGGERS = (
    "",
    "rasa.core.actions.action",
    "rasa.core.actions.forms",
    "rasa.core.actions.loops",
    "rasa.core.agent",
    "rasa.core.channels.channel",
    "rasa.core.channels.rest",
    "rasa.core.lock_store",
    "rasa.core.processor",
    "rasa.core.run",
    "rasa.core.tracker_store",
    "rasa.server",
    "rasa.utils.endpoints",
    "nlu.rasa_channel",
    "nlu.rasa_server",
    "sanic.access",
    "sanic.error",
    "sanic.root",
    "sanic.server",
    "asyncio",
)

SECRET_PATTERNS = (
    (re.compile(r"(?i)([?&]token=)[^&\s'\"]+"), r"\1[redacted]"),
    (re.compile(r"(?i)(bearer\s+)[^\s'\",}]+"), r"\1[redacted]"),
)
# Vietnamese numbers as people write them: 0912 345 678, +84 912-345-678, 84912345678.
PHONE = re.compile(r"(?<![\w.])(?:\+?84|0)(?:[ .-]?\d){8,10}(?!\d)")
# What a tracker or an action call looks like when serialised into a message.
CONVERSATION_MARKERS = re.compile(
    r"\"(?:sender_id|latest_message|events|tracker|slots)\"\s*:|body='|request_body"
)
WITHHELD = "[log record withheld: it carried conversation data]"


def redact(text: str) -> str:
    for pattern, replacement in SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return PHONE.sub("[phone]", text)


def describe_exception(error: BaseException) -> str:
    """The exception chain as types and code locations, without any exception message."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = traceback.extract_tb(current.__traceback__)
        where = f" at {frames[-1].filename}:{frames[-1].lineno}" if frames else ""
        parts.append(f"{type(current).__module__}.{type(current).__qualname__}{where}")
        current = current.__cause__ or current.__context__
    return " <- ".join(parts) + " (details withheld)"


class RedactingFilter(logging.Filter):
    """Rewrites each record in place; returns True (the redacted record is still logged)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: log its template only
            message = str(record.msg)
        if record.exc_info and record.exc_info[1] is not None:
            message = f"{message} [{describe_exception(record.exc_info[1])}]"
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        if CONVERSATION_MARKERS.search(message):
            message = WITHHELD
        record.msg = redact(message)
        record.args = None
        # Sanic's access log formats its own fields: the request line carries the query string.
        request = getattr(record, "request", None)
        if isinstance(request, str):
            record.__dict__["request"] = redact(request)
        return True


_FILTER = RedactingFilter()


def _ours(name: str) -> bool:
    return name.split(".", 1)[0] in LOGGER_PREFIXES


class _RedactedLogger(logging.Logger):
    """Loggers created after ``install`` (Rasa imports modules lazily) get the filter at birth."""

    def __init__(self, name: str, level: int = logging.NOTSET) -> None:
        super().__init__(name, level)
        if _ours(name):
            self.addFilter(_FILTER)


def install(names: Iterable[str] | None = None) -> None:
    """Put the filter on the Rasa server's loggers, present and future (idempotent)."""
    if logging.getLoggerClass() is logging.Logger:
        logging.setLoggerClass(_RedactedLogger)
    manager = logging.Logger.manager
    existing = [name for name in list(manager.loggerDict) if _ours(name)]
    for name in {*KNOWN_LOGGERS, *existing, *(names or ())}:
        logger = logging.getLogger(name) if name else logging.getLogger()
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
