"""The routing worker: outbox -> on-duty staff, with retries, fallback, dedupe and escalation.

Delivery is at-least-once: every alert to a staff member is logged in ``alerts`` before the send
and marked ``sent`` after it, so a redelivered outbox row skips who already got it. Rows are claimed
with a lease (``SKIP LOCKED`` on PostgreSQL), so several workers can run at once; the lease is
renewed before each send and a worker that lost it sends nothing more, so a slow delivery is not
taken over and sent twice (only a worker that died mid-send leaves one to be sent again).

Channels in order of preference: Telegram, SMS, then a voice call (the last resort: used when the
others fail, and on escalations when ``escalation_calls`` is on). ``intake_update`` rows (what the
person added after the alert) go to whoever took the case, else to everyone an alert reached.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import socket
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from bot.rasa_forget import ForgetCopy, forget_pending_copies
from chungtay import heartbeat, metrics
from chungtay.settings import Settings
from intake_store import alerts, outbox
from intake_store.intake_views import IntakeView, get_intake
from intake_store.privacy import run_retention
from intake_store.roster import StaffRef, get_staff, on_duty, supervisors
from routing.acknowledgements import acknowledge_from_chat
from routing.clock import Clock, SystemClock
from routing.delivery import LeaseLost, StaffDelivery
from routing.notify.base import IntakeUpdate, Notifier, StaffAlert, StaffMessage
from routing.notify.logging_notifier import LoggingNotifier
from routing.notify.telegram import TelegramNotifier
from routing.recipients import choose_recipients

log = logging.getLogger(__name__)

# Stands in for "the hotline" when the roster is empty: the alert is still logged and shown.
NOBODY = StaffRef(0, "hotline", "supervisor", None, None, (), (), True)


# Outbox kinds this worker delivers; `person_reply` rows belong to the gateway.
WORKER_KINDS = ("staff_alert", "escalation", outbox.INTAKE_UPDATE)


@dataclass(frozen=True)
class WorkerConfig:
    console_base_url: str = "http://127.0.0.1:8001"
    timezone: str = "Asia/Ho_Chi_Minh"
    escalation_minutes: float = 5.0
    poll_seconds: float = 0.5
    ack_poll_seconds: float = 2.0
    lease_seconds: float = 60.0
    batch_size: int = 10
    max_attempts: int = 12
    backoff_base_seconds: float = 2.0
    backoff_cap_seconds: float = 300.0
    retention_days: int | None = None  # None: the worker does not run the retention job
    retention_every_hours: float = 24.0
    # Erased conversations whose Rasa copy is still to be deleted (Rasa was down): tried this often.
    rasa_forget_every_minutes: float = 10.0
    escalation_calls: bool = True  # escalations also ring (when a voice notifier is set up)
    heartbeat: Path | None = None  # touched after every pass (chungtay/heartbeat.py)

    @classmethod
    def from_settings(cls, settings: Settings) -> WorkerConfig:
        return cls(
            console_base_url=settings.console_base_url.rstrip("/"),
            timezone=settings.timezone,
            escalation_minutes=settings.escalation_minutes,
            poll_seconds=settings.worker_poll_seconds,
            retention_days=settings.retention_days,
            escalation_calls=settings.escalation_voice_calls,
            heartbeat=heartbeat.heartbeat_path(settings),
        )


@dataclass
class RunStats:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    escalated: int = 0
    acknowledged: int = 0
    errors: list[str] = field(default_factory=list)


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class RoutingWorker:
    def __init__(
        self,
        *,
        session_factory: sessionmaker[Session],
        notifiers: Sequence[Notifier],
        config: WorkerConfig | None = None,
        clock: Clock | None = None,
        worker_id: str | None = None,
        rng: random.Random | None = None,
        fallback: Notifier | None = None,
        forget_rasa_copy: ForgetCopy | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.notifiers = list(notifiers)  # in order of preference: Telegram, then SMS
        self.fallback = fallback or LoggingNotifier()  # when no real channel reaches someone
        self.config = config or WorkerConfig()
        self.clock = clock or SystemClock()
        self.worker_id = worker_id or default_worker_id()
        self.rng = rng or random.Random()
        self._last_ack_poll: float | None = None
        self._last_retention: datetime | None = None
        # Deletes an erased conversation's events in Rasa (None: this worker leaves them marked).
        self.forget_rasa_copy = forget_rasa_copy
        self._last_rasa_forget: datetime | None = None
        # When run_forever last finished a pass (time.monotonic()): the worker's readiness.
        self.last_pass_at: float | None = None

    # ----- one pass -------------------------------------------------------------------------
    async def run_once(self) -> RunStats:
        stats = RunStats()
        stats.escalated = self.escalate_due()
        now = self.clock.now()
        with self.session_factory.begin() as session:
            items = outbox.claim(
                session,
                worker_id=self.worker_id,
                now=now,
                limit=self.config.batch_size,
                lease_seconds=self.config.lease_seconds,
                kinds=WORKER_KINDS,
            )
        stats.claimed = len(items)
        for item in items:
            try:
                result = await self._process(item)
            except LeaseLost:
                log.warning("outbox %d: lease lost to another worker", item.id)
                result = "skipped"
            except Exception as error:  # one bad row must not stop the others
                log.exception("outbox %d: unexpected error", item.id)
                result = self._retry_or_fail(item, f"{error.__class__.__name__}", None)
            setattr(stats, result, getattr(stats, result) + 1)
            metrics.OUTBOX_ROWS.labels(metrics.label(item.kind, metrics.OUTBOX_KINDS), result).inc()
        stats.acknowledged = await self.poll_acknowledgements()
        return stats

    async def run_forever(self, stop: asyncio.Event | None = None) -> None:
        stop = stop or asyncio.Event()
        log.info(
            "routing worker %s started with channels: %s",
            self.worker_id,
            ", ".join(n.channel for n in self.notifiers) or "log only",
        )
        try:
            while not stop.is_set():
                if self.retention_if_due():
                    self._last_rasa_forget = None  # what retention just erased, at once
                await self.forget_rasa_copies_if_due()
                stats = await self.run_once()
                self.last_pass_at = time.monotonic()
                if self.config.heartbeat is not None:
                    heartbeat.beat(self.config.heartbeat)
                if stats.claimed == 0:
                    await self.clock.sleep(self.config.poll_seconds)
        finally:
            await self.aclose()

    async def aclose(self) -> None:
        for notifier in self.notifiers:
            close = getattr(notifier, "aclose", None)
            if close is not None:
                await close()

    def retention_if_due(self) -> bool:
        """Run the retention job once a day (personal data of long-closed cases is erased)."""
        if self.config.retention_days is None:
            return False
        now = self.clock.now()
        every = timedelta(hours=self.config.retention_every_hours)
        if self._last_retention is not None and now - self._last_retention < every:
            return False
        self._last_retention = now
        try:
            with self.session_factory.begin() as session:
                result = run_retention(session, retention_days=self.config.retention_days, now=now)
        except Exception:  # retention can wait a day; alerts cannot
            log.exception("retention job failed")
            return False
        if result.conversations_erased or result.intakes_anonymised:
            log.info(
                "retention: %d conversations erased, %d intakes anonymised",
                result.conversations_erased,
                result.intakes_anonymised,
            )
        return True

    async def forget_rasa_copies_if_due(self) -> int:
        """Delete Rasa's copies of erased conversations that are still marked; how many went."""
        if self.forget_rasa_copy is None:
            return 0
        now = self.clock.now()
        every = timedelta(minutes=self.config.rasa_forget_every_minutes)
        if self._last_rasa_forget is not None and now - self._last_rasa_forget < every:
            return 0
        self._last_rasa_forget = now
        try:
            report = await forget_pending_copies(self.session_factory, forget=self.forget_rasa_copy)
        except Exception:  # the store itself failed: the marks stay, next time
            log.exception("removing Rasa's copies of erased conversations failed")
            return 0
        return report.forgotten

    # ----- escalation ------------------------------------------------------------------------
    def escalate_due(self) -> int:
        """Queue the next escalation step for urgent cases nobody acknowledged in time."""
        now = self.clock.now()
        count = 0
        with self.session_factory.begin() as session:
            due = alerts.due_escalations(
                session, now=now, after_minutes=self.config.escalation_minutes
            )
        for intake_id, level in due:
            with self.session_factory.begin() as session:
                if not alerts.set_escalation_level(
                    session, intake_id=intake_id, from_level=level, to_level=level + 1, now=now
                ):
                    continue  # another worker escalated it first
                outbox.enqueue(
                    session,
                    kind="escalation",
                    dedupe_key=f"escalation:{intake_id}:{level + 1}",
                    payload={"intake_id": intake_id, "level": level + 1},
                    intake_id=intake_id,
                    now=now,
                )
                count += 1
                log.warning(
                    "intake %d not acknowledged: escalating to level %d", intake_id, level + 1
                )
        return count

    # ----- delivery --------------------------------------------------------------------------
    async def _process(self, item: outbox.OutboxItem) -> str:
        now = self.clock.now()
        if item.kind not in WORKER_KINDS or item.intake_id is None:
            with self.session_factory.begin() as session:
                outbox.mark_failed(
                    session,
                    outbox_id=item.id,
                    worker_id=self.worker_id,
                    error=f"unknown kind {item.kind}",
                    retry_at=None,
                )
            return "failed"
        if item.kind == outbox.INTAKE_UPDATE:
            return await self._process_update(item)
        with self.session_factory.begin() as session:
            intake = get_intake(session, intake_id=item.intake_id)
            duty = on_duty(session, at=now, tz=self.config.timezone)
            all_supervisors = supervisors(session)
        if intake.acknowledged_at is not None or intake.status != "new":
            # Someone already took the case: nothing left to say.
            self._mark_sent(item, now)
            return "skipped"

        asked_level = int(item.payload.get("level", 0))
        route = choose_recipients(
            level=asked_level,
            on_duty=duty,
            supervisors=all_supervisors,
            province=intake.details.get("province"),
            language=intake.language,
        )
        if route.level > intake.escalation_level:
            with self.session_factory.begin() as session:
                alerts.set_escalation_level(
                    session,
                    intake_id=intake.id,
                    from_level=intake.escalation_level,
                    to_level=route.level,
                    now=now,
                )
        alert = self._alert(
            intake, route.level, route.nobody_on_duty, burst=int(item.payload.get("burst") or 0)
        )
        if not route.recipients:
            log.error("intake %d: nobody on the roster to alert", intake.id)
        return await self._send(item, intake, route.recipients, alert)

    def _alert(self, intake: IntakeView, level: int, nobody: bool, *, burst: int = 0) -> StaffAlert:
        waited = None
        if level > 0 and intake.alerted_at is not None:
            waited = (self.clock.now() - intake.alerted_at).total_seconds() / 60
        elif level > 0:
            waited = (self.clock.now() - intake.received_at).total_seconds() / 60
        return StaffAlert(
            intake_id=intake.id,
            reference_code=intake.reference_code,
            triage=intake.triage,
            reasons=tuple(intake.urgent_reasons),
            province=intake.details.get("province"),
            console_url=f"{self.config.console_base_url}/intakes/{intake.id}",
            escalation_level=level,
            nobody_on_duty=nobody,
            unacknowledged_minutes=waited,
            burst=burst,
        )

    async def _process_update(self, item: outbox.OutboxItem) -> str:
        """Tell the staff member who took the case (else those alerted) what the person added."""
        assert item.intake_id is not None
        with self.session_factory.begin() as session:
            intake = get_intake(session, intake_id=item.intake_id)
            holder = alerts.holder_staff_id(session, intake_id=intake.id)
            alerted = alerts.alerted_staff(session, intake_id=intake.id)
            recipients: list[StaffRef] = []
            # The holder of the case; else (none, or no longer on the roster) everyone alerted.
            for staff_ids in ([holder] if holder is not None else [], alerted):
                people = [get_staff(session, staff_id=i) for i in staff_ids]
                recipients = [p for p in people if p is not None and p.active]
                if recipients:
                    break
            outstanding = alerts.alert_outstanding(session, intake_id=intake.id)
            delivered = alerts.alert_delivered(session, intake_id=intake.id)
        if intake.anonymised or intake.status == "closed":
            self._mark_sent(item)
            return "skipped"
        if not recipients and outstanding:
            # The alert goes first; this update follows it to the same people.
            return self._retry_or_fail(item, "waiting for the first alert", None)
        if not recipients and not delivered:
            self._mark_sent(item)
            return "skipped"  # nobody was told of the case: the console queue shows it all
        fields = tuple(str(f) for f in item.payload.get("fields") or ())
        notice = IntakeUpdate(
            intake_id=intake.id,
            reference_code=intake.reference_code,
            triage=intake.triage,
            fields=fields,
            console_url=f"{self.config.console_base_url}/intakes/{intake.id}",
            acknowledged=intake.acknowledged_at is not None,
            province=intake.details.get("province"),
            people_count=intake.details.get("people_count"),
            is_minor=intake.details.get("is_minor"),
            burst=int(item.payload.get("burst") or 0),
        )
        return await self._send(item, intake, recipients, notice)

    async def _send(
        self,
        item: outbox.OutboxItem,
        intake: IntakeView,
        recipients: Sequence[StaffRef],
        message: StaffMessage,
    ) -> str:
        """Every recipient (nobody: the hotline stand-in), then the row is done or retried."""
        # Made for each row: it follows the worker's config and notifiers as they are now.
        delivery = StaffDelivery(
            session_factory=self.session_factory,
            notifiers=self.notifiers,
            fallback=self.fallback,
            worker_id=self.worker_id,
            now=self.clock.now,
            escalation_calls=self.config.escalation_calls,
        )
        delivered = await delivery.to_all(item, intake, recipients or (NOBODY,), message)
        if delivered.failures:
            return self._retry_or_fail(item, "; ".join(delivered.failures), delivered.retry_after)
        self._mark_sent(item)
        return "sent"

    def _mark_sent(self, item: outbox.OutboxItem, now: datetime | None = None) -> None:
        with self.session_factory.begin() as session:
            outbox.mark_sent(
                session, outbox_id=item.id, worker_id=self.worker_id, now=now or self.clock.now()
            )

    def backoff_seconds(self, attempts: int) -> float:
        """Exponential backoff with jitter (half to full of the step) so workers spread out."""
        step = min(
            self.config.backoff_cap_seconds,
            self.config.backoff_base_seconds * 2 ** max(0, attempts - 1),
        )
        return step * (0.5 + self.rng.random() / 2)

    def _retry_or_fail(self, item: outbox.OutboxItem, error: str, retry_after: float | None) -> str:
        now = self.clock.now()
        give_up = item.attempts >= self.config.max_attempts
        delay = max(self.backoff_seconds(item.attempts), retry_after or 0.0)
        with self.session_factory.begin() as session:
            outbox.mark_failed(
                session,
                outbox_id=item.id,
                worker_id=self.worker_id,
                error=error,
                retry_at=None if give_up else now + timedelta(seconds=delay),
            )
        if give_up:
            log.error("outbox %d gave up after %d attempts: %s", item.id, item.attempts, error)
            return "failed"
        return "retried"

    # ----- acknowledgements from Telegram ----------------------------------------------------
    async def poll_acknowledgements(self, *, force: bool = False) -> int:
        telegram = next((n for n in self.notifiers if isinstance(n, TelegramNotifier)), None)
        if telegram is None:
            return 0
        moment = self.clock.now().timestamp()
        if (
            not force
            and self._last_ack_poll is not None
            and moment - self._last_ack_poll < self.config.ack_poll_seconds
        ):
            return 0
        self._last_ack_poll = moment
        try:
            return await telegram.poll_acknowledgements(self.handle_ack)
        except Exception as error:  # acks can wait; alerts must keep flowing
            log.warning("telegram acknowledgement poll failed: %s", error.__class__.__name__)
            return 0

    async def handle_ack(self, intake_id: int, chat_id: str) -> str:
        return acknowledge_from_chat(
            self.session_factory, intake_id=intake_id, chat_id=chat_id, now=self.clock.now()
        )
