"""Sending one outbox row's message to its staff recipients, each channel logged in ``alerts``.

Every send is an ``alerts`` row begun before and finished after it, keyed by the row, the staff
member (and, on an escalation, the channel), so a redelivered row skips who already got it. The
row's lease is renewed before each send; a worker that lost it sends nothing more.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from chungtay import metrics
from intake_store import alerts, outbox
from intake_store.intake_views import IntakeView
from intake_store.roster import StaffRef
from routing.notify.base import DeliveryError, Notifier, StaffAlert, StaffMessage

log = logging.getLogger(__name__)

LAST_RESORT_CHANNELS = ("voice",)


class LeaseLost(Exception):
    """Another worker re-claimed the row (this one was too slow): it delivers, not us."""


@dataclass(frozen=True)
class Delivered:
    """What reaching every recipient came to: no failures means all of them got it."""

    failures: tuple[str, ...] = ()
    retry_after: float | None = None  # the longest wait a provider asked for


@dataclass
class StaffDelivery:
    session_factory: sessionmaker[Session]
    notifiers: Sequence[Notifier]  # in order of preference: Telegram, then SMS
    fallback: Notifier  # when no real channel reaches someone
    worker_id: str
    now: Callable[[], datetime]
    escalation_calls: bool

    async def to_all(
        self,
        item: outbox.OutboxItem,
        intake: IntakeView,
        recipients: Sequence[StaffRef],
        message: StaffMessage,
    ) -> Delivered:
        """Each recipient in turn; one who cannot be reached does not stop the others."""
        failures: list[str] = []
        retry_after: float | None = None
        for recipient in recipients:
            ok, error, hint = await self._to_one(item, intake, recipient, message)
            if not ok:
                failures.append(f"staff {recipient.id}: {error}")
                if hint is not None:
                    retry_after = max(retry_after or 0.0, hint)
        return Delivered(tuple(failures), retry_after)

    async def _to_one(
        self,
        item: outbox.OutboxItem,
        intake: IntakeView,
        recipient: StaffRef,
        alert: StaffMessage,
    ) -> tuple[bool, str | None, float | None]:
        """First alert or update: the first channel that works. Escalation: every channel (the
        first one evidently was not seen), each sent at most once. A voice call comes last: only
        when the others failed, or on an escalation when ``escalation_calls`` is on."""
        every_channel = alert.escalation_level > 0
        key = f"{item.dedupe_key}:staff:{recipient.id}"
        if not every_channel:
            with self.session_factory.begin() as session:
                if alerts.alert_sent(session, dedupe_key=key):
                    return True, None, None  # delivered before a crash or by another worker
        reachable = [n for n in self.notifiers if n.can_reach(recipient)] or [self.fallback]
        usual = [n for n in reachable if n.channel not in LAST_RESORT_CHANNELS]
        last_resort = [n for n in reachable if n.channel in LAST_RESORT_CHANNELS]
        delivered = False
        last_error: str | None = None
        retry_after: float | None = None
        for group in (usual, last_resort):
            if delivered and not (every_channel and self.escalation_calls):
                break
            for notifier in group:
                channel_key = f"{key}:{notifier.channel}" if every_channel else key
                ok, error, hint = await self._send_one(
                    item, intake, recipient, alert, notifier, channel_key, every_channel
                )
                if ok:
                    delivered = True
                    if not every_channel:
                        break
                    continue
                last_error = error
                if hint is not None:
                    retry_after = max(retry_after or 0.0, hint)
        if delivered:
            return True, None, None
        return False, last_error, retry_after

    async def _send_one(
        self,
        item: outbox.OutboxItem,
        intake: IntakeView,
        recipient: StaffRef,
        alert: StaffMessage,
        notifier: Notifier,
        channel_key: str,
        check_sent: bool,
    ) -> tuple[bool, str | None, float | None]:
        if check_sent:
            with self.session_factory.begin() as session:
                if alerts.alert_sent(session, dedupe_key=channel_key):
                    return True, None, None
        with self.session_factory.begin() as session:
            if not outbox.renew(
                session, outbox_id=item.id, worker_id=self.worker_id, now=self.now()
            ):
                raise LeaseLost
            alerts.begin_alert(
                session,
                dedupe_key=channel_key,
                outbox_id=item.id,
                intake_id=intake.id,
                staff_id=recipient.id or None,
                channel=notifier.channel,
                text=alert.text(),
                now=self.now(),
            )
        try:
            provider_ref = await notifier.send(recipient, alert)
        except DeliveryError as error:
            message = f"{notifier.channel}: {error}"
            with self.session_factory.begin() as session:
                alerts.finish_alert(
                    session, dedupe_key=channel_key, ok=False, now=self.now(), error=message
                )
            log.warning("%s via %s failed: %s", alert.reference_code, notifier.channel, error)
            metrics.STAFF_SENDS.labels(_staff_channel(notifier.channel), "failed").inc()
            return False, message, error.retry_after  # the caller falls back to the next channel
        sent_at = self.now()
        with self.session_factory.begin() as session:
            alerts.finish_alert(
                session, dedupe_key=channel_key, ok=True, now=sent_at, provider_ref=provider_ref
            )
            # Timeline: the first moment a human was reached (an alert's delivery latency).
            first = isinstance(alert, StaffAlert) and alerts.mark_alerted(
                session, intake_id=intake.id, now=sent_at
            )
        channel = _staff_channel(notifier.channel)
        metrics.STAFF_SENDS.labels(channel, "sent").inc()
        if first:
            waited = (sent_at - item.created_at).total_seconds()
            metrics.ALERT_DELIVERY_SECONDS.labels(channel).observe(max(0.0, waited))
        return True, None, None


def _staff_channel(channel: str) -> str:
    return metrics.label(channel, metrics.STAFF_CHANNELS)
