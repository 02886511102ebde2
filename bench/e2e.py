"""End-to-end benchmark: conversations through the gateway's real webhooks, against bare Rasa.

    .venv/bin/python -m bench.e2e [--quick] [--configs embedded,prod-1,prod-2]

Starts the real processes on loopback ports (Rasa, action servers, routing workers, gateway) in
each configuration: the embedded defaults (SQLite, in-memory Rasa state, one of each), and the
production profile (PostgreSQL intake store and tracker store, Redis lock store) with 1 and with 2
Rasa replicas. Simulated people write through Telegram (Update JSON + secret-token header), Zalo
(signed events) and Twilio SMS (signed form posts), mixed like real traffic: 10% urgent, 30%
reports with a short form, 60% questions and small talk, two messages per conversation, first
closed-loop (as fast as answers come) for capacity, then at rising rates. Replies and staff
alerts are seen by a local fake of the Telegram, Zalo and Twilio APIs (bench/e2e_edges.py), never
the internet. In the same run, beside the embedded configuration, three baselines get the same
messages: stock Rasa (plain `rasa run` on the same model and action server) and our Rasa (through
nlu.rasa_server, as `chungtay run` starts it) on their REST webhook and /model/parse, and our Rasa
on stored conversations (each message stored as the gateway stores it, then sent with the
gateway's metadata: the same action work, without the gateway), which is what the gateway's
overhead is measured against.

Prints per configuration: sustained msg/s, reply latency p50/p95/p99, urgent message -> staff alert
p50/p99, CPU and memory per process, errors and lost messages; and the ratios. Exits 1 on a lost
message, a missing alert or an error at a rate that was kept up with. Bounded: every
step has a fixed duration, every wait a timeout, a step that is not kept up with ends the rising
rates, and at ``--max-minutes`` (8 with --quick, else 30) it stops and reports what it measured.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import dataclasses
import itertools
import json
import os
import re
import secrets
import signal
import socket
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import time as dtime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from twilio.request_validator import RequestValidator

from bench.chart import latency_chart
from bot.channels.zalo import signature_for
from bot.rasa_client import WEBHOOK_PATH
from bot.safety_text import QUEUED_REPLY, URGENT_REPLY
from chungtay.commands import process_specs
from chungtay.settings import Settings
from chungtay.supervisor import ProcessSpec, Supervisor
from chungtay.training import ensure_model, project_root
from intake_store import message_counts, roster
from intake_store import messages as stored
from intake_store.db import upgrade_database
from intake_store.store import Store
from nlu.normalize import strip_diacritics

ROOT = project_root()
BENCH_CREDENTIALS = ROOT / "bench" / "credentials.yml"
POSTGRES_ADMIN_URL = os.environ.get(
    "CHUNGTAY_TEST_POSTGRES_URL", "postgresql+psycopg://root@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("CHUNGTAY_BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
GATEWAY_BOT = "123456:BENCH-GATEWAY"
STAFF_BOT = "654321:BENCH-STAFF"
STAFF_CHAT = "777000"
WEBHOOK_SECRET = "bench-webhook-secret"
ZALO_APP, ZALO_OA_SECRET = "3608465249409039", "bench-oa-secret"
TWILIO_SID, TWILIO_TOKEN = "AC" + "b" * 32, "bench-twilio-token"
REPLY_TIMEOUT = 30.0
# A step whose reply p99 passes this is beyond the configuration: the rising rates end there.
BEYOND_P99 = 2.0
# The gateway's own "Rasa is busy or down" replies (bot/safety_text.py), as SMS folds them too.
FALLBACKS = tuple(strip_diacritics(t)[:40] for t in (QUEUED_REPLY, URGENT_REPLY))

# Conversations, two messages each, like the seeds: the mix is by conversation and by message.
SCRIPTS: dict[str, list[list[str]]] = {
    "urgent": [
        ["cứu tôi với, họ nhốt tôi ở Campuchia", "o Bavet, gan cho"],
        ["cuu em voi, bi giu o casino khong cho ve", "em o Sihanoukville"],
        ["họ thu hộ chiếu và đánh tôi, tôi muốn về nhà", "ở Myawaddy, Myanmar"],
    ],
    "report": [
        ["có người rủ em gái tôi sang Trung Quốc lấy chồng", "bỏ qua"],
        ["toi muon bao tin co nguoi tuyen lao dong di lao luong cao bat thuong", "o Nghe An"],
        ["tôi cần giúp đỡ, tôi vừa trở về từ Campuchia", "không"],
    ],
    "question": [
        ["xin chào", "dấu hiệu của lừa đảo việc làm là gì?"],
        ["đường dây nóng chống mua bán người là số nào", "cảm ơn"],
        ["nan nhan tro ve duoc ho tro gi", "cam on nhieu"],
        ["chào bạn", "làm sao biết một lời mời đi làm ở nước ngoài là lừa đảo"],
    ],
}
MIX = ["urgent"] + ["report"] * 3 + ["question"] * 6
CHANNELS = ("telegram", "zalo", "sms")
_NUMBERS = itertools.count(1)  # unique ids across the whole run (configurations share a store)


def free_ports(count: int) -> int:
    """The first of ``count`` consecutive free loopback ports."""
    for _ in range(200):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            base = int(sock.getsockname()[1])
        if base + count >= 65000:
            continue
        try:
            with contextlib.ExitStack() as stack:
                for port in range(base, base + count):
                    s = stack.enter_context(socket.socket())
                    s.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
    raise RuntimeError("no free port block")


# -- the fake Telegram / Zalo / Twilio APIs --------------------------------------------------
class FakeApis:
    """One loopback HTTP server answering like the three APIs; notes each send's arrival time."""

    def __init__(self) -> None:
        self.arrivals: dict[tuple[str, str], list[tuple[float, str]]] = defaultdict(list)
        self.alerts: dict[str, list[float]] = defaultdict(list)
        self.unknown: list[str] = []
        self._lock = threading.Lock()
        self._events: dict[tuple[str, str], asyncio.Event] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes: with Nagle's algorithm the body would wait
            # for the client's delayed ACK (~40 ms), stalling every send of the gateway and the
            # workers (and the person's turn behind it), which no real channel API does.
            disable_nagle_algorithm = True

            def log_message(self, *args: Any) -> None:
                return None

            def do_GET(self) -> None:
                self.do_POST()

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                status, body = fake.answer(self.path, raw, self.headers.get("Content-Type", ""))
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def reset(self) -> None:
        with self._lock:
            self.arrivals.clear()
            self.alerts.clear()

    def _note(self, key: tuple[str, str], text: str) -> None:
        now = time.time()
        with self._lock:
            self.arrivals[key].append((now, text))
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._wake, key)

    def _wake(self, key: tuple[str, str]) -> None:
        event = self._events.get(key)
        if event is not None:
            event.set()

    async def wait_reply(
        self, key: tuple[str, str], after: float, timeout: float
    ) -> tuple[float, str] | None:
        """Arrival time and text of the first send to ``key`` after ``after``; None: timeout."""
        deadline = time.monotonic() + timeout
        event = self._events.setdefault(key, asyncio.Event())
        try:
            while True:
                with self._lock:
                    hit = next((a for a in self.arrivals.get(key, ()) if a[0] > after), None)
                if hit is not None:
                    return hit
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                event.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(event.wait(), remaining)
        finally:
            self._events.pop(key, None)

    def answer(self, path: str, raw: bytes, content_type: str) -> tuple[int, Any]:
        match = re.match(r"^/h/([^/]+)(/[^?]*)", path)
        if not match:
            return 404, {}
        host, rest = match.groups()
        params: dict[str, Any] = {}
        if raw:
            if "json" in content_type:
                with contextlib.suppress(ValueError):
                    params = json.loads(raw)
            else:
                params = dict(parse_qsl(raw.decode("utf-8", "replace")))
        if host == "api.telegram.org":
            token, method = rest.split("/")[1].removeprefix("bot"), rest.rsplit("/", 1)[-1]
            return 200, {"ok": True, "result": self._telegram(token, method, params)}
        if host == "openapi.zalo.me":
            user = str(params.get("recipient", {}).get("user_id"))
            self._note(("zalo", user), str(params.get("message", {}).get("text", "")))
            return 200, {"error": 0, "message": "Success", "data": {"message_id": "z1"}}
        if host == "oauth.zaloapp.com":
            return 200, {"access_token": "zalo-tok", "refresh_token": "r", "expires_in": "90000"}
        if host == "api.twilio.com" and rest.endswith("/Messages.json"):
            self._note(("sms", str(params.get("To"))), str(params.get("Body", "")))
            return 201, {"sid": "SM" + uuid.uuid4().hex, "status": "queued", "to": params.get("To")}
        self.unknown.append(f"{host}{rest}")
        return 404, {}

    def _telegram(self, token: str, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            bot_id = int(token.split(":")[0])
            return {"id": bot_id, "is_bot": True, "first_name": "bench", "username": "bench_bot"}
        if method == "getUpdates":
            return []
        if method != "sendMessage":
            return True
        chat, text = str(params.get("chat_id")), str(params.get("text", ""))
        if token == STAFF_BOT:
            code = re.search(r"hồ sơ (\S+)", text)
            with self._lock:
                self.alerts[code.group(1) if code else "?"].append(time.time())
        else:
            self._note(("telegram", chat), text)
        return {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": int(chat) if chat.lstrip("-").isdigit() else 1, "type": "private"},
            "text": text,
        }


# -- simulated people -------------------------------------------------------------------------
@dataclass
class Sample:
    kind: str
    channel: str
    sent: float  # wall clock, seconds
    latency: float | None  # None: no reply within REPLY_TIMEOUT
    error: str | None = None
    sender: str = ""


@dataclass
class Person:
    channel: str
    sender_id: str
    kind: str
    script: list[str]
    first_sent: float | None = None


class Traffic:
    """Builds each channel's real webhook request for a person's message and waits for its reply."""

    def __init__(self, gateway_url: str, fake: FakeApis, http: httpx.AsyncClient) -> None:
        self.gateway_url = gateway_url
        self.fake = fake
        self.http = http
        self.twilio = RequestValidator(TWILIO_TOKEN)
        self._n = _NUMBERS
        self.people: list[Person] = []

    def person(self, index: int) -> Person:
        kind = MIX[index % len(MIX)]
        channel = CHANNELS[index % len(CHANNELS)]
        n = next(self._n)
        sender = {
            "telegram": str(5_000_000_000 + n * 7919 + secrets.randbelow(7919)),
            "zalo": str(2_512_000_000_000_000 + n * 104729 + secrets.randbelow(104729)),
            "sms": f"+849{n:08d}",
        }[channel]
        # The script follows the index, not the run's counter: every step (the baselines' and
        # the gateway's) replays the same people saying the same things in the same order.
        scripts = SCRIPTS[kind]
        script = scripts[(index // len(MIX)) % len(scripts)]
        person = Person(channel, sender, kind, list(script))
        self.people.append(person)
        return person

    async def say(self, person: Person, text: str) -> Sample:
        n = next(self._n)
        sent = time.time()
        if person.first_sent is None:
            person.first_sent = sent
        try:
            if person.channel == "telegram":
                response = await self.http.post(
                    f"{self.gateway_url}/webhooks/telegram",
                    json=_telegram_update(n, int(person.sender_id), text),
                    headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET},
                )
            elif person.channel == "zalo":
                raw, headers = _zalo_event(n, person.sender_id, text)
                response = await self.http.post(
                    f"{self.gateway_url}/webhooks/zalo", content=raw, headers=headers
                )
            else:
                url = f"{self.gateway_url}/webhooks/twilio/sms"
                form = _twilio_form(n, person.sender_id, text)
                response = await self.http.post(
                    url,
                    data=form,
                    headers={"X-Twilio-Signature": self.twilio.compute_signature(url, form)},
                )
        except httpx.HTTPError as error:
            return Sample(
                person.kind, person.channel, sent, None, error.__class__.__name__, person.sender_id
            )
        if response.status_code != 200:
            return Sample(
                person.kind,
                person.channel,
                sent,
                None,
                f"HTTP {response.status_code}",
                person.sender_id,
            )
        if person.channel == "sms" and "<Message>" in response.text:
            arrived: tuple[float, str] | None = (time.time(), response.text)
        else:
            arrived = await self.fake.wait_reply(
                (person.channel, person.sender_id), after=sent, timeout=REPLY_TIMEOUT
            )
        if arrived is None:
            return Sample(person.kind, person.channel, sent, None, "no reply", person.sender_id)
        at, text = arrived
        # Answered, but by the gateway's safety reply because Rasa did not answer in time.
        fell_back = any(f in strip_diacritics(text) for f in FALLBACKS)
        problem = "fallback" if fell_back else None
        return Sample(person.kind, person.channel, sent, at - sent, problem, person.sender_id)


def _telegram_update(n: int, chat: int, text: str) -> dict[str, Any]:
    person = {"id": chat, "is_bot": False, "first_name": "Lan", "language_code": "vi"}
    return {
        "update_id": n,
        "message": {
            "message_id": n,
            "from": person,
            "chat": {"id": chat, "first_name": "Lan", "type": "private"},
            "date": int(time.time()),
            "text": text,
        },
    }


def _zalo_event(n: int, user: str, text: str) -> tuple[bytes, dict[str, str]]:
    timestamp = str(int(time.time() * 1000))
    body = {
        "app_id": ZALO_APP,
        "user_id_by_app": user,
        "event_name": "user_send_text",
        "timestamp": timestamp,
        "sender": {"id": user},
        "recipient": {"id": "579745863508352884"},
        "message": {"msg_id": f"bench{n:012d}{secrets.token_hex(4)}", "text": text},
    }
    raw = json.dumps(body, ensure_ascii=False).encode()
    mac = signature_for(
        app_id=ZALO_APP, raw_body=raw, timestamp=timestamp, oa_secret_key=ZALO_OA_SECRET
    )
    return raw, {"X-ZEvent-Signature": mac, "Content-Type": "application/json"}


def _twilio_form(n: int, phone: str, text: str) -> dict[str, str]:
    sid = f"SM{n:08d}{secrets.token_hex(12)}"
    return {
        "ToCountry": "VN",
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "SmsSid": sid,
        "SmsStatus": "received",
        "Body": text,
        "To": "+84280000000",
        "NumSegments": "1",
        "MessageSid": sid,
        "AccountSid": TWILIO_SID,
        "From": phone,
        "ApiVersion": "2010-04-01",
    }


Say = Callable[[Person, str], Awaitable[Sample]]


async def _converse(say: Say, person: Person, think: float, samples: list[Sample]) -> None:
    for index, text in enumerate(person.script):
        if index:
            await asyncio.sleep(think)
        sample = await say(person, text)
        samples.append(sample)
        if sample.latency is None:
            return  # the rest of this conversation would only measure the failure again


async def open_loop(
    traffic: Traffic, say: Say, rate: float, seconds: float, think: float
) -> list[Sample]:
    """People start conversations at ``rate`` messages a second (two messages each)."""
    samples: list[Sample] = []
    tasks: list[asyncio.Task[None]] = []
    gap = 2.0 / rate
    started = time.monotonic()
    for index in itertools.count():
        due = started + index * gap
        if due - started >= seconds:
            break
        await asyncio.sleep(max(0.0, due - time.monotonic()))
        tasks.append(asyncio.create_task(_converse(say, traffic.person(index), think, samples)))
    await asyncio.gather(*tasks)
    return samples


async def closed_loop(
    traffic: Traffic, say: Say, workers: int, seconds: float
) -> tuple[list[Sample], float]:
    """``workers`` people each writing again as soon as they are answered: capacity."""
    samples: list[Sample] = []
    deadline = time.monotonic() + seconds
    counter = itertools.count()

    async def one() -> None:
        while time.monotonic() < deadline:
            await _converse(say, traffic.person(next(counter)), 0.0, samples)

    started = time.monotonic()
    await asyncio.gather(*(one() for _ in range(workers)))
    return samples, time.monotonic() - started


# -- bare Rasa: the baseline -----------------------------------------------------------------
def rasa_rest(http: httpx.AsyncClient, rasa_url: str) -> Say:
    async def say(person: Person, text: str) -> Sample:
        sent = time.time()
        try:
            response = await http.post(
                f"{rasa_url}/webhooks/rest/webhook",
                json={"sender": person.sender_id, "message": text},
            )
        except httpx.HTTPError as error:
            return Sample(person.kind, "rest", sent, None, error.__class__.__name__)
        if response.status_code != 200 or not response.json():
            return Sample(person.kind, "rest", sent, None, f"HTTP {response.status_code}")
        return Sample(person.kind, "rest", sent, time.time() - sent)

    return say


def rasa_with_stored_conversation(http: httpx.AsyncClient, rasa_url: str, store: Store) -> Say:
    """Rasa doing a gateway message's work, without the gateway: like for like.

    The message is stored first, as the gateway stores it (not timed), and sent to our input
    channel with the gateway's metadata, so the actions find the conversation and open or update
    its intake exactly as for a gateway message. What the gateway adds on top: the webhook, its
    own store writes, the urgency net, and delivery through the channel's API.
    """

    def store_inbound(person: Person, text: str) -> stored.InboundRecord:
        with store.begin() as session:
            return stored.record_inbound(
                session,
                cipher=store.cipher,
                hasher=store.hasher,
                channel=person.channel,
                sender_id=person.sender_id,
                external_id=f"bench-{next(_NUMBERS)}-{secrets.token_hex(4)}",
                text=text,
            )

    def processed(message_id: int) -> None:
        with store.begin() as session:
            stored.set_inbound_status(session, message_id=message_id, status="processed")

    async def say(person: Person, text: str) -> Sample:
        record = await asyncio.to_thread(store_inbound, person, text)
        sent = time.time()
        if person.first_sent is None:
            person.first_sent = sent
        body = {
            "sender": record.rasa_sender_id,
            "message": text,
            "metadata": {
                "channel": person.channel,
                "message_id": record.message_id,
                "conversation_id": record.conversation_id,
            },
        }
        try:
            response = await http.post(f"{rasa_url}{WEBHOOK_PATH}", json=body)
        except httpx.HTTPError as error:
            return Sample(person.kind, "rasa", sent, None, error.__class__.__name__)
        latency = time.time() - sent
        await asyncio.to_thread(processed, record.message_id)  # or the retry loop would send it
        if response.status_code != 200 or not response.json():
            return Sample(person.kind, "rasa", sent, None, f"HTTP {response.status_code}")
        return Sample(person.kind, "rasa", sent, latency)

    return say


def rasa_parse(http: httpx.AsyncClient, rasa_url: str, token: str) -> Say:
    async def say(person: Person, text: str) -> Sample:
        sent = time.time()
        try:
            # Rasa's --auth-token is a query parameter; stock Rasa (no token) ignores it.
            response = await http.post(
                f"{rasa_url}/model/parse", params={"token": token}, json={"text": text}
            )
        except httpx.HTTPError as error:
            return Sample(person.kind, "parse", sent, None, error.__class__.__name__)
        if response.status_code != 200:
            return Sample(person.kind, "parse", sent, None, f"HTTP {response.status_code}")
        return Sample(person.kind, "parse", sent, time.time() - sent)

    return say


# -- CPU and memory per process, from /proc ----------------------------------------------------
def _process_groups(leaders: set[int]) -> dict[int, list[int]]:
    """The pids in each of these process groups (a supervised child and what it started)."""
    groups: dict[int, list[int]] = {leader: [] for leader in leaders}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) in groups:  # process group id
                groups[int(fields[2])].append(int(entry))
    return groups


def _cpu_seconds_and_rss(pids: Sequence[int]) -> tuple[float, float]:
    ticks, rss_kb = 0, 0
    hz = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime + stime
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss_kb += int(line.split()[1])
    return ticks / hz, rss_kb / 1024


def _machine_cpu() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine since boot, from /proc/stat."""
    fields = [float(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0.0)  # idle + iowait
    return sum(fields) - idle, sum(fields)


@contextlib.contextmanager
def machine_busy(into: list[float]) -> Iterator[None]:
    """Appends to ``into`` the share of the machine's CPU (all cores) busy during the block."""
    busy0, total0 = _machine_cpu()
    yield
    busy1, total1 = _machine_cpu()
    into.append((busy1 - busy0) / max(total1 - total0, 1.0))


def _own_cpu() -> float:
    times = os.times()
    return times.user + times.system


class Meter:
    """CPU share and peak resident memory of each supervised process (and its children)."""

    def __init__(self, supervisors: Sequence[Supervisor]) -> None:
        self.leaders = {
            name: process.pid for sup in supervisors for name, process in sup.processes.items()
        }
        self.peak: dict[str, float] = defaultdict(float)
        self._start: dict[str, float] = {}
        self._t0 = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._own0 = 0.0

    def __enter__(self) -> Meter:
        self._t0 = time.monotonic()
        self._own0 = _own_cpu()
        self._start = self._sample()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> dict[str, float]:
        groups = _process_groups(set(self.leaders.values()))
        cpu = {}
        for name, leader in self.leaders.items():
            cpu[name], rss = _cpu_seconds_and_rss(groups[leader])
            self.peak[name] = max(self.peak[name], rss)
        return cpu

    def _run(self) -> None:
        while not self._stop.wait(2.0):
            self._sample()

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()
        elapsed = time.monotonic() - self._t0
        end = self._sample()
        self.cpu = {n: 100.0 * (end[n] - self._start[n]) / max(elapsed, 1e-6) for n in self.leaders}
        # The load generator shares the machine: its clients, signatures and fake channel APIs.
        self.cpu["(benchmark itself)"] = 100.0 * (_own_cpu() - self._own0) / max(elapsed, 1e-6)


# -- one configuration ---------------------------------------------------------------------------
@dataclass
class Step:
    label: str
    offered: float | None
    samples: list[Sample]
    seconds: float
    beyond: bool = False  # the offered rate this configuration could not keep up with

    @property
    def answered(self) -> list[float]:
        return sorted(s.latency for s in self.samples if s.latency is not None)

    def latencies(self, channel: str) -> list[float]:
        return sorted(
            s.latency for s in self.samples if s.channel == channel and s.latency is not None
        )

    @property
    def errors(self) -> int:
        return sum(1 for s in self.samples if s.error)

    @property
    def achieved(self) -> float:
        return len(self.answered) / self.seconds if self.seconds else 0.0


@dataclass
class ConfigResult:
    name: str
    steps: list[Step] = field(default_factory=list)
    capacity: Step | None = None
    alert_latencies: list[float] = field(default_factory=list)
    alert_by_sender: dict[str, float] = field(default_factory=dict)
    urgent_people: int = 0
    alerts_missing: int = 0
    lost: int = 0
    not_processed: int = 0
    cpu: dict[str, float] = field(default_factory=dict)
    rss: dict[str, float] = field(default_factory=dict)
    load: tuple[float, float] = (0.0, 0.0)
    lost_detail: str = ""
    # Share of the whole machine's CPU busy during the closed loop (everything: the system under
    # test, PostgreSQL, the benchmark's own clients and fakes): how much room was left.
    capacity_busy: list[float] = field(default_factory=list)

    @property
    def all_steps(self) -> list[Step]:
        return [*([self.capacity] if self.capacity else []), *self.steps]

    @property
    def errors(self) -> int:
        steps = self.all_steps
        return sum(s.errors for s in steps) + self.not_processed + self.alerts_missing

    @property
    def failures(self) -> int:
        """What must be zero: lost messages, missing alerts, errors within what was kept up with.

        At the rate beyond capacity some replies are the gateway's safety reply (after 30 s) and
        some messages wait for the retry loop: counted in the report, not failures.
        """
        steps = self.all_steps
        kept_up = [s for s in steps if not s.beyond]
        overloaded = len(kept_up) < len(steps)
        late = 0 if overloaded else self.not_processed
        return self.lost + self.alerts_missing + sum(s.errors for s in kept_up) + late

    def alerts_within_capacity(self) -> list[float]:
        """Urgent message -> alert for the people who wrote in steps that were kept up with."""
        steps = self.all_steps
        senders = {x.sender for s in steps if not s.beyond for x in s.samples if x.kind == "urgent"}
        return sorted(v for k, v in self.alert_by_sender.items() if k in senders)

    def sustained(self) -> float:
        """The highest rate offered that was answered in full, with p99 under one second."""
        best = 0.0
        for step in self.steps:
            ok = step.errors == 0 and bool(step.answered) and q(step.answered, 99) <= 1.0
            if ok and step.offered and step.achieved >= 0.9 * step.offered:
                best = max(best, step.offered)
        return best


def q(values: Sequence[float], pct: int) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def bench_settings(
    data_dir: Path, ports: dict[str, int], *, database_url: str, **extra: Any
) -> Settings:
    key = base64.b64encode(secrets.token_bytes(32)).decode()
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=data_dir,
        database_url=database_url,
        encryption_keys=f"bench:{key}",
        sender_hash_key=secrets.token_hex(32),
        console_secret_key=secrets.token_hex(32),
        rasa_auth_token=secrets.token_hex(32),
        action_server_token=secrets.token_hex(32),
        bind_host="127.0.0.1",
        rasa_port=ports["rasa"],
        rasa_url=f"http://127.0.0.1:{ports['rasa']}",
        action_server_port=ports["actions"],
        gateway_port=ports["gateway"],
        console_port=ports["console"],
        public_base_url=f"http://127.0.0.1:{ports['gateway']}",
        telegram_bot_token=GATEWAY_BOT,
        telegram_webhook_secret=WEBHOOK_SECRET,
        zalo_app_id=ZALO_APP,
        zalo_oa_secret_key=ZALO_OA_SECRET,
        zalo_access_token="zalo-tok",
        zalo_refresh_token="r",
        zalo_app_secret="bench-app-secret",
        twilio_account_sid=TWILIO_SID,
        twilio_auth_token=TWILIO_TOKEN,
        twilio_from_number="+84280000000",
        staff_telegram_bot_token=STAFF_BOT,
        gateway_rate_limit_per_minute=1000,
        retry_interval_seconds=10.0,  # queued messages retried sooner, so each step starts idle
        rasa_timeout_seconds=REPLY_TIMEOUT - 5,
        **extra,
    )


def with_fake_edges(spec: ProcessSpec, fake_api: str, **env: str) -> ProcessSpec:
    """The gateway and workers as bench/e2e_edges.py runs them: outgoing calls to the fake."""
    process = "gateway" if spec.name == "gateway" else "worker"
    return dataclasses.replace(
        spec,
        command=[
            str(ROOT / ".venv" / "bin" / "python"),
            "-m",
            "bench.e2e_edges",
            process,
            "--fake-api",
            fake_api,
        ],
        env={**spec.env, **env},
    )


def put_staff_on_duty(store: Store) -> None:
    with store.begin() as session:
        staff_id = roster.add_staff(
            session, name="Trực ban", role="operator", telegram_chat_id=STAFF_CHAT
        )
        roster.add_shift(session, staff_id=staff_id, start=dtime(0), end=dtime(0))  # 24 h


async def settle(store: Store, after_id: int, timeout: float = 45.0) -> None:
    """Until no message waits for Rasa (queued ones are retried): each step starts idle."""
    deadline = time.monotonic() + timeout

    def waiting() -> int:
        with store.begin() as session:
            counts = message_counts.inbound_status_counts(session, after_id=after_id)
        return sum(n for status, n in counts.items() if status != "processed")

    while time.monotonic() < deadline and (await asyncio.to_thread(waiting)) > 0:
        await asyncio.sleep(1.0)


def last_message_id(store: Store) -> int:
    with store.begin() as session:
        return message_counts.last_message_id(session)


def check_store(
    result: ConfigResult, store: Store, traffic: Traffic, fake: FakeApis, after_id: int
) -> None:
    """Lost and unprocessed messages, and each urgent person's staff alert, from the store."""
    sent = sum(
        1
        for step in result.all_steps
        for s in step.samples
        if s.error is None or s.error == "no reply"
    )
    with store.begin() as session:
        inbound = message_counts.inbound_status_counts(session, after_id=after_id)
        urgent = message_counts.urgent_case_senders(session)
    # Lost: accepted by a webhook but not in the store, or never answered at all (a reply later
    # than REPLY_TIMEOUT is an error, "no reply", but not lost).
    unanswered = [s for step in result.all_steps for s in step.samples if s.error == "no reply"]
    with fake._lock:
        never = [
            s
            for s in unanswered
            if not any(t > s.sent for t, _ in fake.arrivals.get((s.channel, s.sender), ()))
        ]
    result.lost = max(0, sent - sum(inbound.values())) + len(never)
    if never:
        result.lost_detail = lost_detail(store, never)
    result.not_processed = sum(n for status, n in inbound.items() if status != "processed")
    by_hash = {
        store.hasher.hash(channel=p.channel, sender_id=p.sender_id): p
        for p in traffic.people
        if p.kind == "urgent" and p.first_sent is not None
    }
    result.urgent_people = len(by_hash)
    alerted: set[str] = set()
    for code, sender_hash in urgent:
        person = by_hash.get(sender_hash or "")
        arrivals = fake.alerts.get(code)
        if sender_hash is None or person is None or not arrivals or person.first_sent is None:
            continue
        alerted.add(sender_hash)
        result.alert_latencies.append(min(arrivals) - person.first_sent)
        result.alert_by_sender[person.sender_id] = min(arrivals) - person.first_sent
    result.alerts_missing = len(set(by_hash) - alerted)
    result.alert_latencies.sort()


def lost_detail(store: Store, never: Sequence[Sample]) -> str:
    """What the store says about each never-answered message: its channel and message statuses."""
    counts: dict[str, int] = defaultdict(int)
    for s in never:
        sender_hash = store.hasher.hash(channel=s.channel, sender_id=s.sender)
        with store.begin() as session:
            rows = message_counts.message_trail(session, sender_hash=sender_hash)
        trail = " ".join(
            f"{r.direction[:3]}:{r.status}{'(' + r.error + ')' if r.error else ''}" for r in rows
        )
        counts[f"{s.channel} [{trail}]"] += 1
    return "; ".join(f"{n}× {key}" for key, n in sorted(counts.items()))


async def drive(
    name: str,
    gateway_url: str,
    fake: FakeApis,
    store: Store,
    supervisors: Sequence[Supervisor],
    plan: Plan,
) -> ConfigResult:
    result = ConfigResult(name)
    fake.reset()
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=50)
    async with httpx.AsyncClient(timeout=REPLY_TIMEOUT, limits=limits) as http:
        traffic = Traffic(gateway_url, fake, http)
        await open_loop(traffic, traffic.say, 2.0, 4.0, 0.2)  # warm-up: caches, connections
        traffic.people.clear()
        after_id = last_message_id(store)
        load_before = os.getloadavg()[0]
        with Meter(supervisors) as meter:
            # Capacity first, on an idle system; then rising rates until one is not kept up with.
            with machine_busy(result.capacity_busy):
                samples, seconds = await closed_loop(
                    traffic, traffic.say, plan.workers, plan.capacity_seconds
                )
            result.capacity = Step("capacity", None, samples, seconds)
            print(f"  {name}: closed loop x{plan.workers}: {_row(result.capacity)}", flush=True)
            for rate in plan.rates:
                await settle(store, after_id)
                samples = await open_loop(traffic, traffic.say, rate, plan.step_seconds, plan.think)
                step = Step(f"{rate:g}/s", rate, samples, plan.step_seconds)
                result.steps.append(step)
                print(f"  {name}: {rate:g} msg/s offered: {_row(step)}", flush=True)
                slow = bool(step.answered) and q(step.answered, 99) > BEYOND_P99
                if step.achieved < 0.8 * rate or step.errors > 0.1 * len(samples) or slow:
                    step.beyond = True
                    print(f"  {name}: stopping here, {rate:g} msg/s is beyond it", flush=True)
                    break
        await settle(store, after_id)  # retried messages, the last alerts (worker poll)
        await asyncio.sleep(2.0)
        result.load = (load_before, os.getloadavg()[0])
    result.cpu, result.rss = meter.cpu, dict(meter.peak)
    check_store(result, store, traffic, fake, after_id)
    return result


def _row(step: Step) -> str:
    a = step.answered
    return (
        f"{step.achieved:.1f} msg/s answered, p50 {q(a, 50) * 1000:.0f} ms, "
        f"p95 {q(a, 95) * 1000:.0f} ms, p99 {q(a, 99) * 1000:.0f} ms, errors {step.errors}"
    )


@dataclass
class Plan:
    rates: list[float]
    step_seconds: float
    capacity_seconds: float
    baseline_seconds: float
    workers: int  # closed loop: enough that the system, not the clients, sets the rate
    think: float
    compare_rate: float = 5.0  # the rate at which the baselines and the gateway are compared

    @classmethod
    def make(cls, quick: bool) -> Plan:
        if quick:
            return cls([5, 20], 10, 10, 10, 16, 0.5)
        return cls([1, 2, 5, 10, 20, 30, 40], 30, 30, 20, 16, 1.0)


@dataclass
class RasaFigures:
    """One Rasa server alone: a REST step at the compare rate, then closed-loop capacities."""

    rest_open: Step
    rest_capacity: Step
    parse_capacity: Step


@dataclass
class Baseline:
    stock: RasaFigures  # plain `rasa run`, as Rasa ships
    ours: RasaFigures  # the same model through nlu.rasa_server, as `chungtay run` starts it
    like_open: Step  # ours, on stored conversations: what a gateway message costs Rasa
    like_capacity: Step
    like_after: Step | None = None  # the like-for-like step again after the gateway's steps


async def rasa_figures(
    label: str, rasa_url: str, token: str, plan: Plan, fake: FakeApis
) -> RasaFigures:
    """The stock REST webhook and /model/parse of one Rasa server (senders with no history)."""
    async with httpx.AsyncClient(timeout=REPLY_TIMEOUT) as http:
        traffic = Traffic("", fake, http)
        rest, parse = rasa_rest(http, rasa_url), rasa_parse(http, rasa_url, token)
        await open_loop(traffic, rest, 2.0, 4.0, 0.2)  # warm-up
        rate = plan.compare_rate
        samples = await open_loop(traffic, rest, rate, plan.baseline_seconds, plan.think)
        rest_open = Step(f"{rate:g}/s", rate, samples, plan.baseline_seconds)
        print(f"  {label} REST {rate:g} msg/s: {_row(rest_open)}", flush=True)
        samples, seconds = await closed_loop(traffic, rest, plan.workers, plan.baseline_seconds)
        rest_capacity = Step("capacity", None, samples, seconds)
        print(f"  {label} REST closed loop: {_row(rest_capacity)}", flush=True)
        samples, seconds = await closed_loop(traffic, parse, plan.workers, plan.baseline_seconds)
        parse_capacity = Step("capacity", None, samples, seconds)
        print(f"  {label} /model/parse closed loop: {_row(parse_capacity)}", flush=True)
    return RasaFigures(rest_open, rest_capacity, parse_capacity)


async def like_for_like(
    settings: Settings, store: Store, plan: Plan, fake: FakeApis, *, closed: bool
) -> Step:
    """Rasa on stored conversations: at the compare rate, or closed-loop (``closed``)."""
    rasa_url = settings.rasa_url
    # The chungtay channel refuses callers without the gateway's secret.
    auth = {"Authorization": f"Bearer {settings.rasa_auth_token}"}
    async with httpx.AsyncClient(timeout=REPLY_TIMEOUT, headers=auth) as http:
        traffic = Traffic("", fake, http)
        say = rasa_with_stored_conversation(http, rasa_url, store)
        if closed:
            samples, seconds = await closed_loop(traffic, say, plan.workers, plan.baseline_seconds)
            step = Step("capacity", None, samples, seconds)
        else:
            rate = plan.compare_rate  # compared with the gateway's step at the same offered rate
            samples = await open_loop(traffic, say, rate, plan.baseline_seconds, plan.think)
            step = Step(f"{rate:g}/s", rate, samples, plan.baseline_seconds)
    print(f"  Rasa on stored conversations, {step.label}: {_row(step)}", flush=True)
    return step


def with_bench_credentials(spec: ProcessSpec) -> ProcessSpec:
    """A Rasa spec with bench/credentials.yml: our channel plus the stock REST baseline."""
    command = list(spec.command)
    command[command.index("--credentials") + 1] = str(BENCH_CREDENTIALS.relative_to(ROOT))
    return dataclasses.replace(spec, command=command)


def stock_rasa(spec: ProcessSpec, port: int) -> ProcessSpec:
    """Our Rasa spec as plain `rasa run` (without nlu.rasa_server) on another port."""
    args = list(spec.command)
    launcher = args.index("nlu.rasa_server")
    command = [str(ROOT / ".venv-rasa" / "bin" / "rasa"), *args[launcher + 1 :]]
    command[command.index("--port") + 1] = str(port)
    ready = re.sub(r":\d+/$", f":{port}/", spec.ready_url or "")
    return dataclasses.replace(spec, name="rasa-stock", command=command, ready_url=ready)


# -- the configurations ------------------------------------------------------------------------
@contextlib.contextmanager
def postgres_database() -> Iterator[str]:
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"chungtay_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _flush_redis(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    finally:
        client.close()


async def run_embedded(
    model: Path, plan: Plan, fake: FakeApis, log: Any, work: Path, results: list[ConfigResult]
) -> Baseline:
    base = free_ports(5)
    ports = {"rasa": base, "actions": base + 1, "gateway": base + 2, "console": base + 3}
    data = work / "embedded"
    data.mkdir()
    url = f"sqlite:///{data / 'chungtay.db'}"
    settings = bench_settings(data, ports, database_url=url)
    upgrade_database(url)
    store = Store.from_settings(settings)
    put_staff_on_duty(store)
    specs = _specs(settings, model, fake)
    env = {**os.environ, **settings.as_env()}
    print("embedded defaults: starting Rasa, actions, worker, gateway", flush=True)
    with Supervisor(specs, cwd=ROOT, env=env, output=log) as sup:
        await asyncio.to_thread(sup.wait_ready, 600)
        # Stock Rasa first, beside ours (idle), on the same model and action server; then ours.
        [ours] = [s for s in specs if s.name == "rasa"]
        with Supervisor([stock_rasa(ours, base + 4)], cwd=ROOT, env=env, output=log) as stock:
            await asyncio.to_thread(stock.wait_ready, 600)
            stock_figures = await rasa_figures(
                "stock Rasa (rasa run)",
                f"http://127.0.0.1:{base + 4}",
                settings.rasa_auth_token,
                plan,
                fake,
            )
        our_figures = await rasa_figures(
            "our Rasa", settings.rasa_url, settings.rasa_auth_token, plan, fake
        )
        base_line = Baseline(
            stock_figures,
            our_figures,
            like_open=await like_for_like(settings, store, plan, fake, closed=False),
            like_capacity=await like_for_like(settings, store, plan, fake, closed=True),
        )
        results.append(await drive("embedded", settings.public_base_url, fake, store, [sup], plan))
        # The machine's load drifts: the like-for-like step again after the gateway's steps.
        base_line.like_after = await like_for_like(settings, store, plan, fake, closed=False)
    store.dispose()
    return base_line


def _specs(settings: Settings, model: Path, fake: FakeApis) -> list[ProcessSpec]:
    specs = []
    for spec in process_specs(settings, root=ROOT, model=model):
        if spec.name == "console":
            continue  # idle in this benchmark
        if spec.name.startswith("rasa"):
            spec = with_bench_credentials(spec)
        if spec.name == "gateway" or spec.name.startswith("worker"):
            spec = with_fake_edges(spec, fake.url)
        specs.append(spec)
    return specs


async def run_production(
    model: Path,
    plan: Plan,
    fake: FakeApis,
    log: Any,
    work: Path,
    replicas: Sequence[int],
    results: list[ConfigResult],
) -> None:
    base = free_ports(8)
    ports = {"rasa": base, "actions": base + 2, "gateway": base + 4, "console": base + 5}
    data = work / "production"
    data.mkdir()
    _flush_redis(REDIS_URL)
    with postgres_database() as url:
        settings = bench_settings(
            data,
            ports,
            database_url=url,
            profile="production",
            rasa_tracker_store_url=url,
            rasa_lock_store_url=REDIS_URL,
            rasa_replicas=max(replicas),
            action_servers=max(replicas),
            routing_workers=2,
        )
        upgrade_database(url)
        store = Store.from_settings(settings)
        put_staff_on_duty(store)
        specs = _specs(settings, model, fake)
        env = {**os.environ, **settings.as_env()}
        backends = [s for s in specs if s.name != "gateway"]
        [gateway] = [s for s in specs if s.name == "gateway"]
        print(f"production profile: starting {', '.join(s.name for s in backends)}", flush=True)
        with Supervisor(backends, cwd=ROOT, env=env, output=log) as sup:
            await asyncio.to_thread(sup.wait_ready, 900)
            for count in replicas:
                urls = ",".join(f"http://127.0.0.1:{ports['rasa'] + i}" for i in range(count))
                spec = dataclasses.replace(gateway, env={**gateway.env, "CHUNGTAY_RASA_URLS": urls})
                with Supervisor([spec], cwd=ROOT, env=env, output=log) as gw:
                    await asyncio.to_thread(gw.wait_ready, 120)
                    name = f"production, {count} Rasa replica{'s' if count > 1 else ''}"
                    results.append(
                        await drive(name, settings.public_base_url, fake, store, [sup, gw], plan)
                    )
        store.dispose()


# -- report --------------------------------------------------------------------------------------
def report(results: Sequence[ConfigResult], base: Baseline | None, cores: int) -> str:
    lines = [
        f"bench-e2e on {cores} cores; load average (1 min) before/after each configuration shown",
        "",
        "| configuration | sustained msg/s | capacity msg/s | reply p50 / p95 / p99 (at msg/s) "
        "| urgent → alert p50 / p99 (within capacity) | alert p99, every step | errors | lost "
        "| load avg |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        at20 = next((s for s in r.steps if s.offered == 20), r.steps[-1] if r.steps else None)
        lat = at20.answered if at20 else []
        alerts, every = r.alerts_within_capacity(), r.alert_latencies
        lines.append(
            f"| {r.name} | {r.sustained():g} | {r.capacity.achieved if r.capacity else 0:.1f} | "
            f"{_ms(q(lat, 50))} / {_ms(q(lat, 95))} / {_ms(q(lat, 99))} "
            f"(at {at20.label if at20 else '–'}) | "
            f"{_ms(q(alerts, 50))} / {_ms(q(alerts, 99))} | "
            f"{_ms(q(every, 99))} ({len(every)} of {r.urgent_people} alerted) | "
            f"{r.errors} | {r.lost} | {r.load[0]:.1f} → {r.load[1]:.1f} |"
        )
    lines += ["", "Per step (offered → answered msg/s, reply p50/p95/p99 ms, errors):"]
    for r in results:
        for s in r.steps:
            lines.append(f"  {r.name:<30} {s.label:>6}  {_row(s)}")
    for r in results:
        if r.lost_detail:
            lines.append(f"  {r.name}: never answered: {r.lost_detail}")
    busy = [f"{r.name} {r.capacity_busy[0]:.0%}" for r in results if r.capacity_busy]
    if busy:
        lines += ["", f"Machine CPU busy (all {cores} cores) in the closed loop: {', '.join(busy)}"]
    lines += ["", "CPU (% of one core, over the measured steps) and peak memory per process:"]
    for r in results:
        cells = ", ".join(
            f"{n} {r.cpu.get(n, 0):.0f}%" + (f" {r.rss[n]:.0f} MB" if n in r.rss else "")
            for n in sorted(r.cpu)
        )
        lines.append(f"  {r.name}: {cells}")
    if base:
        lines += ["", *baseline_lines(results, base)]
    one = next((r for r in results if "1 Rasa" in r.name), None)
    two = next((r for r in results if "2 Rasa" in r.name), None)
    if one and two and one.capacity and two.capacity and one.capacity.achieved:
        ratio = two.capacity.achieved / one.capacity.achieved
        lines.append(
            f"  2 replicas / 1 replica capacity: {ratio:.2f} (target ≥ 1.6 where CPU allows)"
        )
        if one.capacity_busy and two.capacity_busy:
            busy1, busy2 = one.capacity_busy[0], two.capacity_busy[0]
            lines.append(
                f"    machine CPU busy in the closed loop: {busy1:.0%} with one replica (one Rasa "
                f"process is the limit), {busy2:.0%} with two (of {cores} cores, the benchmark's "
                "own clients and fakes included)"
            )
            # Work done per core-second busy: if two replicas do as much as one, the shortfall
            # of the ratio is the machine's size, not the scale-out.
            per1 = one.capacity.achieved / max(busy1 * cores, 1e-6)
            per2 = two.capacity.achieved / max(busy2 * cores, 1e-6)
            lines.append(
                f"    messages per busy core-second: {per1:.1f} with one replica, {per2:.1f} "
                f"with two ({per2 / max(per1, 1e-6):.2f}x)"
            )
    return "\n".join(lines)


def baseline_lines(results: Sequence[ConfigResult], base: Baseline) -> list[str]:
    """The baselines of the embedded configuration, and what the gateway adds to them."""
    ours = base.ours
    lines = ["Baselines, measured in the same run beside the embedded configuration:"]
    stock = base.stock
    lines += [
        f"  stock Rasa (`rasa run`): REST webhook at {stock.rest_open.label}: "
        f"{_row(stock.rest_open)}",
        f"    REST capacity {stock.rest_capacity.achieved:.1f} msg/s, /model/parse capacity "
        f"{stock.parse_capacity.achieved:.1f} msg/s (closed loop)",
        f"  our Rasa (nlu.rasa_server, same model): REST webhook at {ours.rest_open.label}: "
        f"{_row(ours.rest_open)}",
        f"    REST capacity {ours.rest_capacity.achieved:.1f} msg/s, /model/parse capacity "
        f"{ours.parse_capacity.achieved:.1f} msg/s",
    ]
    if stock.rest_capacity.achieved:
        ratio = ours.rest_capacity.achieved / stock.rest_capacity.achieved
        lines.append(f"    our Rasa / stock Rasa REST capacity: {ratio:.2f}")
    lines += [
        f"  our Rasa on stored conversations (the gateway's messages without the gateway) at "
        f"{base.like_open.label}: {_row(base.like_open)}",
        f"    capacity {base.like_capacity.achieved:.1f} msg/s",
    ]
    if base.like_after:
        lines.append(f"    again after the gateway's steps: {_row(base.like_after)}")
    embedded = next((r for r in results if r.name == "embedded"), None)
    if embedded is None:
        return lines
    same = next((s for s in embedded.steps if s.offered == base.like_open.offered), None)
    like = sorted(base.like_open.answered + (base.like_after.answered if base.like_after else []))
    if same and same.answered and like:
        lines.append(
            f"  gateway adds {_added(same.answered, like, 50)} at p50 and "
            f"{_added(same.answered, like, 99)} at p99 to Rasa's round trip on the same work at "
            f"{base.like_open.label} (target ≤ +20%)"
        )
    if same and same.answered:
        by_channel = ", ".join(
            f"{channel} {_ms(q(latencies, 50))} / {_ms(q(latencies, 99))}"
            for channel in CHANNELS
            if (latencies := same.latencies(channel))
        )
        lines.append(f"    the gateway at {same.label} by channel, reply p50 / p99: {by_channel}")
    rest = ours.rest_open.answered
    if same and same.answered and rest:
        lines.append(
            f"    (and {_added(same.answered, rest, 50)} / {_added(same.answered, rest, 99)} "
            "to the stock REST path, whose senders have no stored conversation: less action work)"
        )
    if embedded.capacity and base.like_capacity.achieved:
        ratio = embedded.capacity.achieved / base.like_capacity.achieved
        lines.append(f"  gateway capacity / Rasa's capacity on the same work: {ratio:.2f}")
    return lines


def _added(measured: Sequence[float], baseline: Sequence[float], pct: int) -> str:
    return f"{(q(measured, pct) / q(baseline, pct) - 1) * 100:+.0f}%"


def reply_chart(results: Sequence[ConfigResult], base: Baseline | None) -> str:
    """Reply p99 against the offered rate, per configuration (SVG for the README)."""
    series = {
        r.name: [(s.offered, q(s.answered, 99) * 1000) for s in r.steps if s.offered and s.answered]
        for r in results
    }
    if base and base.like_open.offered and base.like_open.answered:
        series["Rasa alone on the same work (baseline)"] = [
            (base.like_open.offered, q(base.like_open.answered, 99) * 1000)
        ]
    return latency_chart(
        series,
        title="Reply latency p99 by offered rate (make bench-e2e)",
        x_label="offered messages per second",
        target_ms=300,
    )


def _ms(seconds: float) -> str:
    return "–" if seconds != seconds else f"{seconds * 1000:.0f} ms"


async def main_async(args: argparse.Namespace) -> int:
    plan = Plan.make(args.quick)
    configs = [c.strip() for c in args.configs.split(",") if c.strip()]
    model = ensure_model(ROOT, Path("models"), force=False)
    out = ROOT / "results" / "bench-e2e"
    out.mkdir(parents=True, exist_ok=True)
    fake = FakeApis()
    fake.start(asyncio.get_running_loop())
    results: list[ConfigResult] = []
    base: Baseline | None = None
    started = time.monotonic()

    async def run_all() -> None:
        nonlocal base
        with (
            (out / "processes.log").open("w") as log,
            tempfile.TemporaryDirectory(prefix="chungtay-bench-") as tmp,
        ):
            work = Path(tmp)
            if "embedded" in configs:
                base = await run_embedded(model, plan, fake, log, work, results)
            replicas = [int(c.split("-")[1]) for c in configs if c.startswith("prod-")]
            if replicas:
                await run_production(model, plan, fake, log, work, sorted(replicas), results)

    stopped = ""
    try:
        # Bounded: at the limit the processes are stopped and what was measured is reported.
        await asyncio.wait_for(run_all(), timeout=args.max_minutes * 60)
    except TimeoutError:
        stopped = f"\nSTOPPED at the {args.max_minutes:g}-minute limit: later steps not measured."
    finally:
        fake.stop()
    text = report(results, base, os.cpu_count() or 1) + stopped
    text += f"\n\n({time.monotonic() - started:.0f} s in all; process logs in {out}/processes.log)"
    print("\n" + text)
    (out / "report.md").write_text(text + "\n")
    if any(r.steps for r in results):
        (out / "reply-p99.svg").write_text(reply_chart(results, base))
        print(f"chart: {out / 'reply-p99.svg'}")
    if fake.unknown:
        print(f"unexpected outgoing calls: {sorted(set(fake.unknown))}")
    bad = sum(r.failures for r in results)
    if bad:
        print(f"FAILED: {bad} lost messages, missing alerts or errors within capacity")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="short steps (about 5 minutes)")
    parser.add_argument(
        "--max-minutes", type=float, help="stop and report at this limit (default 8 / 30)"
    )
    parser.add_argument(
        "--configs",
        default="embedded,prod-1,prod-2",
        help="comma-separated: embedded, prod-1, prod-2",
    )
    args = parser.parse_args(argv)
    if args.max_minutes is None:
        args.max_minutes = 8.0 if args.quick else 30.0

    def terminate(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt  # unwinds through the supervisors, which stop their processes

    signal.signal(signal.SIGTERM, terminate)
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
