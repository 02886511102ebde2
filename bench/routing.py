"""Urgent routing benchmark: 1,000 intakes (10% urgent) through action -> outbox -> fake Telegram.

    .venv/bin/python -m bench.routing [--count 1000] [--rate 200] [--backend sqlite|postgresql|both]

(run it as a module: as a file, bench/ would shadow the routing package.)

A producer thread does what the action server does for each message (store the inbound message,
open the intake; urgent ones get their outbox row in the same transaction) at ``--rate`` messages a
second, while a routing worker delivers alerts to a fake Telegram Bot API. Prints p50/p99 time from
message arrival to alert sent, and rows lost (urgent intakes without exactly one alert; must be 0).
PostgreSQL: a throwaway database on CHUNGTAY_TEST_POSTGRES_URL's server, dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import secrets
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import time as dtime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from telegram.request import BaseRequest, RequestData

from chungtay.settings import Settings
from intake_store import intakes, messages, outbox, roster
from intake_store.db import upgrade_database
from intake_store.store import Store
from routing.notify.telegram import TelegramNotifier
from routing.worker import RoutingWorker, WorkerConfig

POSTGRES_ADMIN_URL = os.environ.get(
    "CHUNGTAY_TEST_POSTGRES_URL", "postgresql+psycopg://root@127.0.0.1:5432/test"
)


class FakeTelegramServer(BaseRequest):
    """Answers getMe and sendMessage like the Bot API and notes when each alert arrived."""

    def __init__(self) -> None:
        self.arrivals: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, *args: Any, **kw: Any
    ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        if name == "getMe":
            result: Any = {"id": 1, "is_bot": True, "first_name": "bench", "username": "bench_bot"}
        elif name == "sendMessage":
            params = request_data.json_parameters if request_data else {}
            text = params.get("text", "")
            code = text.split("hồ sơ ", 1)[1].split("\n", 1)[0] if "hồ sơ " in text else "?"
            with self._lock:
                self.arrivals.setdefault(code, []).append(time.perf_counter())
            result = {
                "message_id": 1,
                "date": int(time.time()),
                "chat": {"id": int(params.get("chat_id", "1")), "type": "private"},
                "text": text,
            }
        elif name == "getUpdates":
            result = []
        else:
            result = True
        return 200, json.dumps({"ok": True, "result": result}).encode()


@dataclass
class Result:
    backend: str
    intakes: int
    urgent: int
    alerts: int
    lost: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    seconds: float


def _settings(url: str, data_dir: Path) -> Settings:
    key = base64.b64encode(secrets.token_bytes(32)).decode()
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=data_dir,
        database_url=url,
        encryption_keys=f"bench:{key}",
        sender_hash_key=secrets.token_hex(32),
    )


def _produce(store: Store, count: int, rate: float, arrivals: dict[str, float]) -> None:
    gap = 1.0 / rate if rate > 0 else 0.0
    started = time.perf_counter()
    for n in range(count):
        urgent = n % 10 == 0
        arrived = time.perf_counter()
        with store.begin() as session:
            msg = messages.record_inbound(
                session,
                cipher=store.cipher,
                hasher=store.hasher,
                channel="telegram",
                sender_id=f"person-{n}",
                external_id=f"bench-{n}",
                text="cứu tôi với, tôi đang bị nhốt" if urgent else "có người rủ đi làm bên Lào",
            )
            ref = intakes.open_intake(
                session,
                cipher=store.cipher,
                conversation_id=msg.conversation_id,
                triage="urgent" if urgent else "report",
                urgent_reasons=["held"] if urgent else [],
                source_message_id=msg.message_id,
                language="vi",
                details={"province": "An Giang"},
            )
        if urgent:
            arrivals[ref.reference_code] = arrived
        sleep_until = started + (n + 1) * gap
        time.sleep(max(0.0, sleep_until - time.perf_counter()))


async def _run(url: str, backend: str, count: int, rate: float, data_dir: Path) -> Result:
    upgrade_database(url)
    store = Store.from_settings(_settings(url, data_dir))
    with store.begin() as session:
        staff_id = roster.add_staff(
            session, name="Trực ban", role="operator", telegram_chat_id="42"
        )
        roster.add_shift(session, staff_id=staff_id, start=dtime(0), end=dtime(0))  # 24 h
    server = FakeTelegramServer()
    worker = RoutingWorker(
        session_factory=store.session_factory,
        notifiers=[TelegramNotifier.from_token("1:BENCH", request=server)],
        config=WorkerConfig(poll_seconds=0.02, batch_size=20),
        worker_id=f"bench-{backend}",
    )
    arrivals: dict[str, float] = {}
    producer = threading.Thread(target=_produce, args=(store, count, rate, arrivals))
    started = time.perf_counter()
    producer.start()
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run_forever(stop))
    expected = (count + 9) // 10
    while producer.is_alive() or len(server.arrivals) < expected:
        await asyncio.sleep(0.05)
        if time.perf_counter() - started > 300:
            break  # whatever is missing by now counts as lost
    stop.set()
    await task
    producer.join()
    elapsed = time.perf_counter() - started

    latencies = sorted(
        (server.arrivals[code][0] - t) * 1000
        for code, t in arrivals.items()
        if code in server.arrivals
    )
    per_code = Counter({code: len(times) for code, times in server.arrivals.items()})
    with store.begin() as session:
        unsent = [r for r in outbox.list_outbox(session, limit=count) if r.status != "sent"]
    lost = sum(1 for code in arrivals if per_code.get(code, 0) != 1) + len(unsent)
    store.dispose()
    quantiles = (
        statistics.quantiles(latencies, n=100, method="inclusive")
        if len(latencies) >= 2
        else [0.0] * 99
    )
    return Result(
        backend=backend,
        intakes=count,
        urgent=len(arrivals),
        alerts=sum(per_code.values()),
        lost=lost,
        p50_ms=round(statistics.median(latencies), 1) if latencies else float("nan"),
        p99_ms=round(quantiles[98], 1),
        max_ms=round(latencies[-1], 1) if latencies else float("nan"),
        seconds=round(elapsed, 2),
    )


def _postgres_database() -> tuple[str, Any]:
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"chungtay_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()

    url = make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    return url, drop


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=200.0, help="messages per second")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args(argv)

    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="chungtay-bench-") as tmp:
        if args.backend in ("sqlite", "both"):
            url = f"sqlite:///{Path(tmp) / 'bench.db'}"
            results.append(asyncio.run(_run(url, "sqlite", args.count, args.rate, Path(tmp))))
        if args.backend in ("postgresql", "both"):
            url, drop = _postgres_database()
            try:
                results.append(
                    asyncio.run(_run(url, "postgresql", args.count, args.rate, Path(tmp)))
                )
            finally:
                drop()

    print(f"routing bench: {args.count} intakes (10% urgent) at {args.rate:g} msg/s")
    header = ("backend", "urgent", "alerts", "lost", "p50 ms", "p99 ms", "max ms")
    print(f"{header[0]:<11}" + "".join(f"{h:>9}" for h in header[1:]))
    for r in results:
        print(
            f"{r.backend:<11}{r.urgent:>9}{r.alerts:>9}{r.lost:>9}"
            f"{r.p50_ms:>9}{r.p99_ms:>9}{r.max_ms:>9}   ({r.seconds}s)"
        )
    return 1 if any(r.lost for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
