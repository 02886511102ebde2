"""Nothing identifying outlives erasure or retention (issue 17).

One made-up person writes their name, phone number and story through every channel (web chat,
Telegram Update JSON, a signed Zalo event, a signed Twilio form post, an eSMS callback), each
faked at the HTTP edge as in the channels' own suites. The intake store and a Rasa tracker store
(Rasa 3.6's ``events`` table, rows written as Rasa writes them) are both on PostgreSQL. After
erasure in chat, and separately after retention with the clock moved a year on, every column of
every table the databases' catalogues list, and every log record at production levels, is
searched: the marker, the phone number in any written form and the raw channel ids must be gone.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import time
import unicodedata
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from alembic import command
from alembic.script import ScriptDirectory
from fastapi import FastAPI
from sqlalchemy import create_engine, inspect, select, text

from bot.app import create_app
from bot.flood import ADDRESS_CHANNEL
from bot.rasa_forget import forgetter_from_settings
from chungtay.cli import QUIET_LOGGERS
from chungtay.settings import Settings
from intake_store import casework, intakes, workflow
from intake_store.crypto import FieldCipher
from intake_store.db import alembic_config, upgrade_database
from intake_store.messages import record_inbound
from intake_store.models import Conversation, Intake, Message
from intake_store.privacy import erase_conversation
from intake_store.store import Store
from routing.clock import FakeClock
from routing.worker import RoutingWorker, WorkerConfig
from tests.conftest import make_test_settings, throwaway_postgres
from tests.gateway.conftest import RASA_URL, FakeRasa, running
from tests.gateway.test_sms import ACCOUNT, TOKEN, FakeTwilioApi, signature, twilio_form
from tests.gateway.test_telegram import SECRET, FakeBotApi
from tests.gateway.test_zalo import APP_ID, OA_SECRET, FakeZalo, signed

# The made-up person.
NAME = "Tạ Thị Quỳnh Mây"
PHONE_DIGITS = "0912345678"
SENTENCE = "Ông chủ xưởng may ở Bavet giữ hộ chiếu của em từ tháng chín"
MARKER_TEXT = f"Em là {NAME}, số của em 0912 345 678. {SENTENCE}."
# Their ids on each channel.
WEB_SESSION = "mayweb" + uuid.uuid4().hex[:20]
TELEGRAM_CHAT = 6180339887
ZALO_USER = "8812003344556677"
ZALO_USER_BY_APP = "4411223344556600"
TWILIO_FROM = "+84912345678"
ESMS_PHONE = PHONE_DIGITS

# rasa.core.tracker_store.SQLTrackerStore.SQLEvent (Rasa 3.6) on PostgreSQL
EVENTS_DDL = """CREATE TABLE events (
    id SERIAL PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, type_name VARCHAR(255) NOT NULL,
    timestamp FLOAT, intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT)"""


def _fold(value: str) -> str:
    """No diacritics, lower case: "Tạ Thị Quỳnh Mây" and "ta thi quynh may" look alike."""
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


# The phone number however it is written: 0912 345 678, +84 912-345-678, 84912345678, ...
PHONE = re.compile(r"\D{0,3}".join("912345678"))
WORDS = (NAME, SENTENCE, "Quỳnh Mây", "xưởng may ở Bavet")
CHANNEL_IDS = (
    ("webchat", WEB_SESSION),
    ("telegram", str(TELEGRAM_CHAT)),
    ("zalo", ZALO_USER),
    ("sms", TWILIO_FROM),
    ("sms", ESMS_PHONE),
)


def message_ids(n: int) -> list[tuple[str, str]]:
    """The channels' ids of the person's n-th message (as the channels build them)."""
    return [
        ("webchat", f"{WEB_SESSION}:m-{n:08d}"),
        ("telegram", f"{TELEGRAM_CHAT}:{n}"),
        ("zalo", f"zmsg{n:012d}"),
        ("sms", f"SM{n:032d}"),
        ("sms", f"esms:mo-{n}"),
    ]


def needles(store: Store | None) -> set[str]:
    """The person's words, raw ids and, with the store's key, the keyed hashes of those ids:
    whoever holds the key can test a phone number against a hash, so a hash identifies too."""
    found = {_fold(w) for w in WORDS} | {i for _, i in CHANNEL_IDS} | {ZALO_USER_BY_APP}
    found |= {m for n in range(1, 6) for _, m in message_ids(n)}
    if store is not None:
        # 40 characters: Rasa's sender id is "ct-" and the sender hash's first 40.
        found |= {store.hasher.hash(channel=c, sender_id=i)[:40] for c, i in CHANNEL_IDS}
        # The web chat's client address (httpx.ASGITransport's), under bot.flood's channel.
        found.add(store.hasher.hash(channel=ADDRESS_CHANNEL, sender_id="127.0.0.1"))
        found |= {
            store.hasher.message_key(channel=c, external_id=m)
            for n in range(1, 6)
            for c, m in message_ids(n)
        }
    return found


@dataclass(frozen=True)
class Search:
    needles: set[str]
    cipher: FieldCipher | None  # the store's key still exists: ciphertext counts as present

    def hits(self, where: str, value: Any) -> list[str]:
        if value is None:
            return []
        if isinstance(value, bytes | memoryview):
            value = bytes(value).decode("utf-8", errors="replace")
        if isinstance(value, dict | list):
            value = json.dumps(value, ensure_ascii=False)
        value = str(value)
        forms = [value]
        if self.cipher is not None and value.startswith("v1:"):
            forms.append(self.cipher.decrypt(value))
        for form in list(forms):
            with contextlib.suppress(ValueError):  # Rasa writes ASCII-escaped JSON
                forms.append(json.dumps(json.loads(form), ensure_ascii=False))
        found: list[str] = []
        for form in forms:
            folded = _fold(form)
            found += [f"{where}: {n!r}" for n in self.needles if n in folded]
            if PHONE.search(form):
                found.append(f"{where}: the phone number")
        return sorted(set(found))

    def database(self, url: str) -> list[str]:
        """Every column of every table the database's catalogue lists."""
        engine = create_engine(url)
        found: list[str] = []
        try:
            tables = inspect(engine).get_table_names()
            assert tables, "no tables found"
            with engine.connect() as connection:
                for table in tables:
                    result = connection.execute(text(f'SELECT * FROM "{table}"'))
                    columns = list(result.keys())
                    for row in result:
                        for column, value in zip(columns, row, strict=True):
                            found += self.hits(f"{table}.{column}", value)
        finally:
            engine.dispose()
        return found

    def logs(
        self, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
    ) -> list[str]:
        found: list[str] = []
        for record in caplog.records:
            found += self.hits(f"log {record.name}", record.getMessage())
            if record.exc_text:
                found += self.hits(f"log {record.name} traceback", record.exc_text)
        out, err = capfd.readouterr()
        return found + self.hits("stdout", out) + self.hits("stderr", err)


@pytest.fixture
def production_logging(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Log records at the levels `chungtay` runs with (chungtay.cli.configure_logging)."""
    caplog.set_level(logging.INFO)
    quiet = {name: logging.getLogger(name).level for name in QUIET_LOGGERS}
    for name, level in QUIET_LOGGERS.items():
        logging.getLogger(name).setLevel(level)
    yield caplog
    for name, level in quiet.items():
        logging.getLogger(name).setLevel(level)


@pytest.fixture
def store_url() -> Iterator[str]:
    yield from throwaway_postgres("chungtay_nt")


@pytest.fixture
def tracker_url() -> Iterator[str]:
    """Rasa's tracker database (``CHUNGTAY_RASA_TRACKER_STORE_URL``), another PostgreSQL one."""
    for url in throwaway_postgres("chungtay_nt_rasa"):
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text(EVENTS_DDL))
            connection.execute(text("CREATE INDEX ix_events_sender_id ON events (sender_id)"))
            # Somebody else's conversation: it must survive this person's erasure.
            connection.execute(
                text("INSERT INTO events (sender_id, type_name, data) VALUES (:s, 'user', :d)"),
                {"s": "ct-someone-else", "d": json.dumps({"event": "user", "text": "xin chào"})},
            )
        engine.dispose()
        yield url


@dataclass
class World:
    store: Store
    settings: Settings
    tracker_url: str
    rasa: FakeRasa
    erase_when: str | None  # the person's answer that makes the assistant erase
    filed: set[int] = field(default_factory=set)

    def rasa_saves_the_turn(self, body: dict[str, Any]) -> None:
        """What Rasa and the action server do with a message: file a case, save the events."""
        conversation_id = body["metadata"]["conversation_id"]
        now = time.time()
        events = [
            ("user", {"event": "user", "timestamp": now, "text": body["message"],
                      "metadata": body["metadata"], "input_channel": "chungtay"}),
            ("bot", {"event": "bot", "timestamp": now + 0.001,
                     "text": self.rasa.replies[0]["text"]}),
        ]  # fmt: skip
        engine = create_engine(self.tracker_url)
        with engine.begin() as connection:
            for type_name, data in events:
                connection.execute(
                    text(
                        "INSERT INTO events (sender_id, type_name, timestamp, data) "
                        "VALUES (:s, :t, :ts, :d)"
                    ),
                    {"s": body["sender"], "t": type_name, "ts": now, "d": json.dumps(data)},
                )
        engine.dispose()
        with self.store.begin() as session:
            if conversation_id not in self.filed:
                self.filed.add(conversation_id)
                self._file_case(session, conversation_id, body["metadata"]["message_id"])
            if body["message"] == self.erase_when:
                erase_conversation(
                    session,
                    conversation_id=conversation_id,
                    actor="system:assistant",
                    reason="the person asked to erase their data",
                )

    def _file_case(self, session: Any, conversation_id: int, message_id: int) -> None:
        cipher = self.store.cipher
        ref = intakes.open_intake(
            session,
            cipher=cipher,
            conversation_id=conversation_id,
            triage="help",
            urgent_reasons=[],
            source_message_id=message_id,
            language="vi",
            details={
                "contact_name": NAME,
                "contact_phone": "+84 912 345 678",
                "location_detail": "xưởng may ở Bavet",
                "summary": SENTENCE,
                "safe_contact_time": "sau 9 giờ tối",
                "consent_contact": True,
                "safe_to_contact": True,
            },
        )
        note = f"Đã gọi cho {NAME} theo số 0912.345.678"
        casework.add_note(session, cipher=cipher, intake_id=ref.id, author="lan", text=note)
        casework.add_referral(
            session,
            cipher=cipher,
            intake_id=ref.id,
            agency=next(iter(casework.AGENCIES)),
            actor="lan",
            note=f"{NAME} cần chỗ ở tạm",
        )


@pytest.fixture
def world(
    store_url: str, tracker_url: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[World]:
    settings = make_test_settings(
        tmp_path,
        database_url=store_url,
        rasa_url=RASA_URL,
        rasa_tracker_store_url=tracker_url,
        public_base_url="https://chungtay.example.vn",
        telegram_bot_token="123:ABC",
        telegram_webhook_secret=SECRET,
        zalo_app_id=APP_ID,
        zalo_oa_secret_key=OA_SECRET,
        zalo_app_secret="app-secret",
        zalo_access_token="tok-1",
        zalo_refresh_token="r-1",
        twilio_account_sid=ACCOUNT,
        twilio_auth_token=TOKEN,
        twilio_from_number="+84280000000",
        sms_provider="twilio",  # the eSMS callback has an app of its own
        esms_api_key="api",
        esms_secret_key="secret",
        esms_brandname="CHUNGTAY",
        esms_callback_token="cb-token-123",
        gateway_rate_limit_per_minute=1000,
    )
    upgrade_database(settings.database_url)
    store = Store.from_settings(settings)
    rasa = FakeRasa()
    world = World(store, settings, tracker_url, rasa, erase_when=None)
    rasa.on_message = world.rasa_saves_the_turn
    yield world
    store.dispose()


@dataclass
class Channels:
    """The person's five ways in, each through its real webhook."""

    web: httpx.AsyncClient
    app: FastAPI
    esms: httpx.AsyncClient
    esms_app: FastAPI
    counter: int = 0

    async def say_everywhere(self, said: str) -> None:
        self.counter += 1
        n = self.counter
        answers = [
            await self.web.post(
                "/webchat/messages",
                json={"session": WEB_SESSION, "message_id": f"m-{n:08d}", "text": said},
            ),
            await self._telegram(n, said),
            await self._zalo(n, said),
            await self._twilio(n, said),
            await self.esms.post(
                "/webhooks/esms/sms?token=cb-token-123",
                json={"Phone": ESMS_PHONE, "Content": said, "SmsId": f"mo-{n}"},
            ),
        ]
        assert [a.status_code for a in answers] == [200] * 5, [a.text for a in answers]
        await self.app.state.gateway.drain()
        await self.esms_app.state.gateway.drain()

    async def _telegram(self, n: int, said: str) -> httpx.Response:
        person = {"id": TELEGRAM_CHAT, "is_bot": False, "first_name": NAME, "language_code": "vi"}
        update = {
            "update_id": 9000 + n,
            "message": {
                "message_id": n,
                "from": person,
                "chat": {"id": TELEGRAM_CHAT, "first_name": NAME, "type": "private"},
                "date": int(time.time()),
                "text": said,
            },
        }
        return await self.web.post(
            "/webhooks/telegram", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
        )

    async def _zalo(self, n: int, said: str) -> httpx.Response:
        body = {
            "app_id": APP_ID,
            "user_id_by_app": ZALO_USER_BY_APP,
            "event_name": "user_send_text",
            "timestamp": str(int(time.time() * 1000)),
            "sender": {"id": ZALO_USER},
            "recipient": {"id": "579745863508352884"},
            "message": {"msg_id": f"zmsg{n:012d}", "text": said},
        }
        raw, headers = signed(body)
        return await self.web.post("/webhooks/zalo", content=raw, headers=headers)

    async def _twilio(self, n: int, said: str) -> httpx.Response:
        form = {**twilio_form(f"SM{n:032d}", said), "From": TWILIO_FROM}
        url = "https://chungtay.example.vn/webhooks/twilio/sms"
        return await self.web.post(
            "/webhooks/twilio/sms", data=form, headers={"X-Twilio-Signature": signature(url, form)}
        )


@pytest.fixture
async def channels(world: World) -> AsyncIterator[Channels]:
    zalo = FakeZalo()
    app = create_app(
        world.settings,
        store=world.store,
        rasa_transport=world.rasa.transport,
        telegram_request=FakeBotApi(),
        http_transport=zalo.transport,
        twilio_http_client=FakeTwilioApi(),
        retry_loop=False,
    )
    esms_app = create_app(
        world.settings.model_copy(
            update={"sms_provider": "esms", "telegram_bot_token": "", "zalo_app_id": ""}
        ),
        store=world.store,
        rasa_transport=world.rasa.transport,
        http_transport=httpx.MockTransport(
            lambda request: httpx.Response(200, json={"CodeResult": "100", "SMSID": "x"})
        ),
        retry_loop=False,
    )
    async with running(app) as web, running(esms_app) as esms:
        yield Channels(web, app, esms, esms_app)


def _search(world: World) -> Search:
    return Search(needles(world.store), world.store.cipher)


def _everything_found(world: World) -> tuple[list[str], list[str]]:
    search = _search(world)
    return search.database(world.settings.database_url), search.database(world.tracker_url)


def _other_persons_events(world: World) -> int:
    engine = create_engine(world.tracker_url)
    with engine.connect() as connection:
        count = connection.execute(
            text("SELECT count(*) FROM events WHERE sender_id = 'ct-someone-else'")
        ).scalar_one()
    engine.dispose()
    return int(count)


def _conversations(world: World) -> list[tuple[str, bool]]:
    with world.store.begin() as session:
        return [
            (c.channel, c.erased_at is not None)
            for c in session.scalars(select(Conversation).order_by(Conversation.id))
        ]


def _still_to_forget(world: World) -> list[str | None]:
    with world.store.begin() as session:
        return list(
            session.scalars(
                select(Conversation.rasa_forget_sender).where(
                    Conversation.rasa_forget_sender.is_not(None)
                )
            )
        )


async def test_erasure_in_chat_leaves_nothing_of_the_person_anywhere(
    world: World,
    channels: Channels,
    production_logging: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    world.erase_when = "có, xóa đi"
    await channels.say_everywhere(MARKER_TEXT)
    # The search sees the person while their data is there (so it would see it afterwards).
    in_store, in_rasa = _everything_found(world)
    assert any("intakes.contact_name_enc" in h for h in in_store), in_store
    assert any("events.data" in h for h in in_rasa), in_rasa
    conversations = len(_conversations(world))
    assert conversations >= 4  # web chat, Telegram, Zalo, SMS (Twilio, eSMS)

    await channels.say_everywhere("xóa dữ liệu")
    await channels.say_everywhere("có, xóa đi")

    assert _conversations(world) == [(c, True) for c, _ in _conversations(world)]
    in_store, in_rasa = _everything_found(world)
    assert in_store == []
    assert in_rasa == []
    assert _other_persons_events(world) == 1
    assert _search(world).logs(production_logging, capfd) == []
    with world.store.begin() as session:  # the cases' skeletons stay for the statistics
        assert len(session.scalars(select(Intake.id)).all()) == conversations
    assert _still_to_forget(world) == []  # the gateway removed Rasa's copies at once


async def test_retention_leaves_nothing_and_retries_rasa_until_its_copy_is_gone(
    world: World,
    channels: Channels,
    production_logging: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    await channels.say_everywhere(MARKER_TEXT)
    await channels.say_everywhere("cảm ơn chị")
    with world.store.begin() as session:
        for case in session.scalars(select(Intake.id)).all():
            workflow.change_status(
                session, intake_id=case, to_status="closed", actor="lan", reason="đã hỗ trợ xong"
            )
    conversations = len(_conversations(world))
    clock = FakeClock(datetime.now(UTC) + timedelta(days=400))
    # Rasa's tracker database is unreachable while retention runs.
    unreachable = world.settings.model_copy(
        update={"rasa_tracker_store_url": world.tracker_url.rsplit("/", 1)[0] + "/no_such_db"}
    )
    worker = RoutingWorker(
        session_factory=world.store.session_factory,
        notifiers=[],
        config=WorkerConfig(retention_days=365),
        clock=clock,
        forget_rasa_copy=forgetter_from_settings(unreachable),
    )
    assert worker.retention_if_due()
    assert await worker.forget_rasa_copies_if_due() == 0

    in_store, in_rasa = _everything_found(world)
    # The store's part does not wait for Rasa; only the old Rasa sender ids are kept ...
    assert {h.split(":")[0] for h in in_store} == {"conversations.rasa_forget_sender"}
    assert in_rasa != []  # ... while Rasa still holds the words,
    assert len(_still_to_forget(world)) == conversations  # so none is forgotten

    worker.forget_rasa_copy = forgetter_from_settings(world.settings)  # its database is back
    clock.advance(minutes=5)
    assert await worker.forget_rasa_copies_if_due() == 0  # not due yet
    clock.advance(minutes=6)
    assert await worker.forget_rasa_copies_if_due() == conversations

    assert _conversations(world) == [(c, True) for c, _ in _conversations(world)]
    in_store, in_rasa = _everything_found(world)
    assert in_store == [] and in_rasa == []
    assert _other_persons_events(world) == 1
    assert _still_to_forget(world) == []
    assert _search(world).logs(production_logging, capfd) == []


async def test_a_person_back_before_rasa_forgot_keeps_their_new_conversation(
    world: World, channels: Channels
) -> None:
    """Rasa's sender id derives from the sender: the old events go, the new ones stay."""
    await channels.say_everywhere(MARKER_TEXT)
    with world.store.begin() as session:
        erased = session.scalars(select(Conversation.id)).all()
        for conversation in erased:
            erase_conversation(
                session, conversation_id=conversation, actor="lan", reason="người này yêu cầu"
            )
    # Rasa was not told (the console could not reach it); the person writes again.
    await channels.say_everywhere("chào chị, em quay lại")
    worker = RoutingWorker(
        session_factory=world.store.session_factory,
        notifiers=[],
        forget_rasa_copy=forgetter_from_settings(world.settings),
    )
    assert await worker.forget_rasa_copies_if_due() == len(erased)

    engine = create_engine(world.tracker_url)
    with engine.connect() as connection:
        kept = connection.execute(
            text("SELECT data FROM events WHERE type_name = 'user' ORDER BY id")
        ).scalars()
        texts = [json.loads(data)["text"] for data in kept]
    engine.dispose()
    assert texts == ["xin chào"] + ["chào chị, em quay lại"] * len(erased)


def test_a_webhook_replayed_after_the_upgrade_is_still_recognised(
    tmp_path: Path, store_url: str
) -> None:
    """The migration hashes the message ids already stored; a replay must still match them."""
    settings = make_test_settings(tmp_path, database_url=store_url)
    scripts = ScriptDirectory.from_config(alembic_config(store_url))
    before = scripts.get_revision("0005_erasure_doors").down_revision
    command.upgrade(alembic_config(store_url), str(before))
    engine = create_engine(store_url)
    with engine.begin() as connection:
        for conversation, erased in ((1, None), (2, datetime(2026, 1, 1))):
            connection.execute(
                text(
                    "INSERT INTO conversations (id, channel, rasa_sender_id, created_at, "
                    "last_message_at, erased_at) VALUES (:id, 'telegram', :r, now(), now(), :e)"
                ),
                {"id": conversation, "r": f"ct-{conversation}", "e": erased},
            )
            connection.execute(
                text(
                    "INSERT INTO messages (conversation_id, direction, channel, external_id, "
                    "status, created_at, updated_at) VALUES "
                    "(:c, 'inbound', 'telegram', :x, 'processed', now(), now())"
                ),
                {"c": conversation, "x": f"{TELEGRAM_CHAT}:{conversation}"},
            )
    engine.dispose()
    upgrade_database(store_url, sender_hash_key=settings.sender_hash_key)

    assert Search(needles(None), None).database(store_url) == []
    store = Store.from_settings(settings)
    try:
        with store.begin() as session:
            replay = record_inbound(
                session,
                cipher=store.cipher,
                hasher=store.hasher,
                channel="telegram",
                sender_id=str(TELEGRAM_CHAT),
                external_id=f"{TELEGRAM_CHAT}:1",
                text="lại lần nữa",
            )
            erased_ids = session.scalars(
                select(Message.external_id).where(Message.conversation_id == 2)
            ).all()
        assert replay.duplicate and replay.conversation_id == 1
        assert erased_ids == [None]  # an erased conversation keeps no message id at all
    finally:
        store.dispose()
