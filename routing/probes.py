"""The routing worker's own port (CHUNGTAY_WORKER_PORT): ``/livez``, ``/readyz`` and ``/metrics``.

The worker has no web framework, so a small threaded WSGI server answers monitoring beside the
delivery loop. ``/readyz`` checks the database, the oldest undelivered outbox row and how long
ago this worker finished a pass; ``/metrics`` (behind CHUNGTAY_METRICS_TOKEN) adds the
store-wide gauges (outbox backlog, unacknowledged urgent cases), read from the database at
scrape time. Every worker reports the same store-wide figures: aggregate them with ``max``.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import CollectorRegistry
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from chungtay import metrics
from chungtay.readiness import Check, report
from intake_store.gauges import read_gauges

log = logging.getLogger(__name__)

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
REASONS = {200: "OK", 401: "Unauthorized", 404: "Not Found", 503: "Service Unavailable"}


def store_gauges(session_factory: sessionmaker[Session]) -> Iterator[GaugeMetricFamily]:
    """The store-wide gauges; ``chungtay_store_up`` 0 (and nothing else) when the store fails."""
    up = GaugeMetricFamily("chungtay_store_up", "1 when the worker could read the store")
    try:
        with session_factory.begin() as session:
            figures = read_gauges(session, now=datetime.now(UTC))
    except Exception as error:  # the class name only: a driver message can carry the URL
        log.warning("metrics: store unreadable: %s", error.__class__.__name__)
        up.add_metric([], 0)
        yield up
        return
    up.add_metric([], 1)
    yield up
    waiting = GaugeMetricFamily(
        "chungtay_outbox_waiting", "Outbox rows not delivered yet, by kind", labels=["kind"]
    )
    failed = GaugeMetricFamily(
        "chungtay_outbox_failed",
        "Outbox rows given up after their retries, by kind",
        labels=["kind"],
    )
    for kind in metrics.OUTBOX_KINDS:
        waiting.add_metric([kind], figures.outbox_waiting.get(kind, 0))
        failed.add_metric([kind], figures.outbox_failed.get(kind, 0))
    yield waiting
    yield failed
    yield GaugeMetricFamily(
        "chungtay_outbox_oldest_waiting_seconds",
        "Age of the oldest undelivered outbox row (0: none waits)",
        value=figures.outbox_oldest_waiting_seconds or 0.0,
    )
    yield GaugeMetricFamily(
        "chungtay_urgent_unacknowledged",
        "Urgent cases nobody has acknowledged yet (a burst counts once)",
        value=figures.urgent_unacknowledged,
    )
    yield GaugeMetricFamily(
        "chungtay_urgent_unacknowledged_oldest_seconds",
        "How long the oldest unacknowledged urgent case has waited (0: none)",
        value=figures.urgent_unacknowledged_oldest_seconds or 0.0,
    )
    queued = GaugeMetricFamily(
        "chungtay_inbound_queued",
        "Messages stored while Rasa was unavailable, waiting for the retry loop, by channel",
        labels=["channel"],
    )
    for channel in metrics.PERSON_CHANNELS:
        queued.add_metric([channel], figures.inbound_queued.get(channel, 0))
    yield queued


class ProbeApp:
    """The WSGI application behind the worker's port."""

    def __init__(
        self,
        *,
        session_factory: sessionmaker[Session],
        last_pass: Callable[[], float | None],
        metrics_token: str,
        outbox_max_age: float,
        max_silence: float,
    ) -> None:
        self.session_factory = session_factory
        self.last_pass = last_pass  # time.monotonic() of the worker's last finished pass
        self.metrics_token = metrics_token
        self.outbox_max_age = outbox_max_age
        self.max_silence = max_silence
        self.registry = CollectorRegistry(auto_describe=False)
        self.registry.register(metrics.FunctionCollector(lambda: store_gauges(session_factory)))

    def __call__(self, environ: dict[str, Any], start: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/livez":
            status, body, headers = 200, b'{"status": "ok"}', {"Content-Type": "application/json"}
        elif path == "/readyz":
            code, payload = report(self.checks())
            status, body = code, json.dumps(payload).encode()
            headers = {"Content-Type": "application/json"}
        elif path == "/metrics":
            status, body, headers = metrics.reply(
                environ.get("HTTP_AUTHORIZATION"), self.metrics_token, [self.registry]
            )
        else:
            status, body, headers = 404, b"", {}
        start(f"{status} {REASONS.get(status, '')}", list(headers.items()))
        return [body]

    def checks(self) -> dict[str, Check]:
        checks: dict[str, Check] = {}
        try:
            with self.session_factory.begin() as session:
                session.execute(select(1))
                figures = read_gauges(session, now=datetime.now(UTC))
            checks["database"] = Check("ok")
            age = figures.outbox_oldest_waiting_seconds
            late = age is not None and age > self.outbox_max_age
            checks["outbox"] = Check(
                "degraded" if late else "ok",
                {"oldest_pending_seconds": None if age is None else round(age, 1)},
            )
        except Exception as error:
            checks["database"] = Check("fail", {"error": error.__class__.__name__})
        last = self.last_pass()
        since = None if last is None else time.monotonic() - last
        silent = since is None or since > self.max_silence
        checks["pass"] = Check(
            "degraded" if silent else "ok",
            {"seconds_since_last_pass": None if since is None else round(since, 1)},
        )
        return checks


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass  # request lines would only repeat the scrape every few seconds


def serve(app: ProbeApp, *, host: str, port: int) -> WSGIServer | None:
    """Serve ``app`` on a daemon thread; None (logged) when the port cannot be bound: alerts
    keep flowing without the probes."""
    try:
        server = make_server(host, port, app, server_class=_Server, handler_class=_QuietHandler)
    except OSError as error:
        log.error("worker probes: cannot listen on %s:%d (%s)", host, port, error.strerror)
        return None
    threading.Thread(target=server.serve_forever, name="worker-probes", daemon=True).start()
    log.info("worker probes on http://%s:%d (/livez, /readyz, /metrics)", host, port)
    return server
