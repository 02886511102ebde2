"""Test helper: a store with a fake clock and fake Telegram/Twilio servers, plus shortcuts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time

from fake_channels import FakeTelegram, FakeTwilio

from intake_store import intakes, messages, roster
from intake_store.store import Store
from routing.clock import FakeClock
from routing.notify.base import Notifier
from routing.notify.sms import TwilioSmsNotifier
from routing.notify.telegram import TelegramNotifier
from routing.notify.voice import TwilioVoiceNotifier
from routing.worker import RoutingWorker, WorkerConfig


@dataclass
class RoutingEnv:
    store: Store
    clock: FakeClock
    telegram: FakeTelegram
    twilio: FakeTwilio
    url: str

    def telegram_notifier(self) -> TelegramNotifier:
        return TelegramNotifier.from_token("123:TEST", request=self.telegram)

    def sms_notifier(self) -> TwilioSmsNotifier:
        return TwilioSmsNotifier.from_credentials(
            account_sid="AC" + "0" * 32,
            auth_token="test-token",
            from_number="+15005550006",
            http_client=self.twilio,
        )

    def voice_notifier(self) -> TwilioVoiceNotifier:
        return TwilioVoiceNotifier.from_credentials(
            account_sid="AC" + "0" * 32,
            auth_token="test-token",
            from_number="+15005550006",
            http_client=self.twilio,
        )

    def worker(
        self,
        notifiers: Sequence[Notifier] | None = None,
        *,
        worker_id: str = "w1",
        store: Store | None = None,
    ) -> RoutingWorker:
        return RoutingWorker(
            session_factory=(store or self.store).session_factory,
            notifiers=[self.telegram_notifier(), self.sms_notifier()]
            if notifiers is None
            else notifiers,
            config=WorkerConfig(
                console_base_url="https://console.example.vn", escalation_minutes=5
            ),
            clock=self.clock,
            worker_id=worker_id,
        )

    def add_staff(
        self,
        name: str,
        *,
        role: str = "social_worker",
        chat: str | None = None,
        phone: str | None = None,
        hours: tuple[str, str] | None = ("08:00", "17:00"),
        kind: str = "primary",
        provinces: Sequence[str] = (),
    ) -> int:
        with self.store.begin() as session:
            staff_id = roster.add_staff(
                session,
                name=name,
                role=role,
                telegram_chat_id=chat,
                phone=phone,
                provinces=provinces,
            )
            if hours is not None:
                roster.add_shift(
                    session,
                    staff_id=staff_id,
                    start=time.fromisoformat(hours[0]),
                    end=time.fromisoformat(hours[1]),
                    kind=kind,
                )
        return staff_id

    def urgent_intake(
        self, external_id: str = "m1", *, province: str = "An Giang", sender: str = "p1"
    ) -> intakes.IntakeRef:
        with self.store.begin() as session:
            msg = messages.record_inbound(
                session,
                cipher=self.store.cipher,
                hasher=self.store.hasher,
                channel="telegram",
                sender_id=sender,
                external_id=external_id,
                text="cứu tôi với, tôi đang bị nhốt ở Campuchia",
                received_at=self.clock.now(),
            )
            return intakes.open_intake(
                session,
                cipher=self.store.cipher,
                conversation_id=msg.conversation_id,
                triage="urgent",
                urgent_reasons=["held", "abroad"],
                source_message_id=msg.message_id,
                language="vi",
                details={"province": province, "contact_phone": "0912345678"},
                now=self.clock.now(),
            )
