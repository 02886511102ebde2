"""Prometheus metrics of every Chung Tay process, and the guarded ``/metrics`` that serves them.

Every label takes its value from a fixed set written here (channel names, triage levels,
outcomes, outbox kinds): never a sender, an address, a reference code, an id or any text a
person wrote. ``label()`` turns anything outside the set into ``other``, so a new code path
cannot leak a value into a label by mistake.

``/metrics`` answers only ``Authorization: Bearer <CHUNGTAY_METRICS_TOKEN>`` (401 otherwise) and
is off (404) while the token is empty: the figures describe the hotline's load and its
unacknowledged cases, which are nobody's business outside the monitoring system.
deploy/README.md ("Monitoring") documents each metric.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Iterable, Iterator, Sequence

from fastapi import APIRouter, Request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.responses import Response

from nlu import triage_levels

PERSON_CHANNELS = ("webchat", "telegram", "zalo", "sms")
STAFF_CHANNELS = ("telegram", "sms", "voice", "log")
TRIAGE_LEVELS = triage_levels.LEVELS
DELIVERY_STATUSES = ("sent", "failed", "held", "queued")
OUTBOX_KINDS = ("staff_alert", "escalation", "intake_update", "person_reply")
OTHER = "other"


def label(value: object, allowed: Sequence[str]) -> str:
    """``value`` when it is one of ``allowed``, else ``other``: labels never carry free text."""
    text = str(value)
    return text if text in allowed else OTHER


# --- gateway -------------------------------------------------------------------------------
INBOUND_MESSAGES = Counter(
    "chungtay_inbound_messages",
    "Messages from people stored by the gateway (duplicates of a webhook retry not counted)",
    ["channel"],
)
REFUSED_MESSAGES = Counter(
    "chungtay_refused_messages",
    "Messages refused by the rate limit or the web chat's flood limits (not stored)",
    ["channel"],
)
REPLIES = Counter(
    "chungtay_replies",
    "Reply batches to people, by how their delivery ended (held: waits for a human)",
    ["channel", "status"],
)
RASA_SECONDS = Histogram(
    "chungtay_rasa_request_seconds",
    "Time from sending a message to Rasa to its answer (ok) or the failure (error)",
    ["outcome"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0),
)
RASA_FALLBACKS = Counter(
    "chungtay_rasa_fallbacks",
    "Messages answered with the gateway's 111/113 fallback because Rasa was unavailable",
    ["channel"],
)
MESSAGE_RETRIES = Counter(
    "chungtay_message_retries",
    "Queued messages sent to Rasa again by the retry loop, by result",
    ["channel", "result"],
)
MESSAGE_FAILURES = Counter(
    "chungtay_message_failures",
    "Queued messages given up after CHUNGTAY_RETRY_MAX_ATTEMPTS retries",
    ["channel"],
)

# --- gateway (urgency net) and action server (the assistant) --------------------------------
INTAKES_OPENED = Counter(
    "chungtay_intakes_opened",
    "Cases opened, by triage level and by who opened them (gateway: its urgency net; "
    "assistant: the action server after the NLU)",
    ["triage", "by"],
)

# --- routing worker ------------------------------------------------------------------------
STAFF_SENDS = Counter(
    "chungtay_staff_sends",
    "Sends of staff alerts, escalations and case updates, by channel and result",
    ["channel", "result"],
)
OUTBOX_ROWS = Counter(
    "chungtay_outbox_rows",
    "Outbox rows a worker handled, by kind and result (retried: failed now, tried again later)",
    ["kind", "result"],
)
ALERT_DELIVERY_SECONDS = Histogram(
    "chungtay_alert_delivery_seconds",
    "From an urgent case's staff alert being queued to its first delivery to a staff member",
    ["channel"],
    buckets=(0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 900.0),
)


class FunctionCollector(Collector):
    """Gauges computed at scrape time by ``collect`` (e.g. from the store)."""

    def __init__(self, collect: Callable[[], Iterable[GaugeMetricFamily]]) -> None:
        self._collect = collect

    def collect(self) -> Iterator[GaugeMetricFamily]:
        yield from self._collect()


def exposition(extra: Sequence[CollectorRegistry] = ()) -> bytes:
    """This process's metrics (and the extra registries') in Prometheus' text format."""
    return b"".join(generate_latest(registry) for registry in (REGISTRY, *extra))


def authorized(header: str | None, token: str) -> bool:
    """Whether an ``Authorization`` header carries the metrics token (constant-time)."""
    if not token:
        return False
    return hmac.compare_digest((header or "").encode(), f"Bearer {token}".encode())


def reply(
    header: str | None, token: str, extra: Sequence[CollectorRegistry] = ()
) -> tuple[int, bytes, dict[str, str]]:
    """``/metrics`` as (status, body, headers): 404 while no token is set, 401 without it."""
    if not token:
        return 404, b"", {}
    if not authorized(header, token):
        return 401, b"", {"WWW-Authenticate": "Bearer"}
    return 200, exposition(extra), {"Content-Type": CONTENT_TYPE_LATEST}


def answer(header: str | None, token: str, extra: Sequence[CollectorRegistry] = ()) -> Response:
    status, body, headers = reply(header, token, extra)
    return Response(body, status_code=status, headers=headers)


def router(token: str, extra: Sequence[CollectorRegistry] = ()) -> APIRouter:
    routes = APIRouter()

    @routes.get("/metrics", include_in_schema=False)
    async def metrics(request: Request) -> Response:
        return answer(request.headers.get("authorization"), token, extra)

    return routes
