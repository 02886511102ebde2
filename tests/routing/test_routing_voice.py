"""The Twilio voice call: last resort for a first alert, a ring on escalations (configurable)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from xml.etree import ElementTree

from routing_env import RoutingEnv

from intake_store import alerts, outbox
from routing.build import notifiers_from_settings, worker_from_settings
from routing.notify.base import spell
from routing.notify.voice import TwilioVoiceNotifier
from tests.conftest import make_test_settings


def said(call: dict[str, object]) -> ElementTree.Element:
    """The <Say> of the TwiML sent inline with Calls.create."""
    root = ElementTree.fromstring(str(call["Twiml"]))
    say = root.find("Say")
    assert say is not None and root.find("Hangup") is not None
    return say


async def test_a_call_when_telegram_and_sms_both_fail(env: RoutingEnv) -> None:
    env.add_staff("Lan", chat="5001", phone="+84900000001")
    ref = env.urgent_intake()  # has a contact phone and a place in the transcript
    env.telegram.fail_next(403, "Forbidden: bot was blocked by the user")
    env.twilio.fail = (400, 21610, "Attempt to send to unsubscribed recipient")
    worker = env.worker([env.telegram_notifier(), env.sms_notifier(), env.voice_notifier()])

    assert (await worker.run_once()).sent == 1
    (call,) = env.twilio.calls
    assert (call["To"], call["From"]) == ("+84900000001", "+15005550006")
    say = said(call)
    assert say.get("language") == "vi-VN" and say.get("voice") == "Google.vi-VN-Standard-A"
    assert say.get("loop") == "2"
    text = say.text or ""
    assert spell(ref.reference_code) in text and "khẩn cấp" in text
    for secret in ("0912345678", "Campuchia", "An Giang"):
        assert secret not in text  # a call says the case exists, nothing about the person
    with env.store.begin() as session:
        records = alerts.list_alerts(session, intake_id=ref.id)
        (row,) = outbox.list_outbox(session, intake_id=ref.id)
    # One delivery row per staff member for a first alert: it ends on the channel that worked.
    assert [(r.channel, r.status) for r in records] == [("voice", "sent")]
    assert row.status == "sent"

    # Telegram works again for the next case: no call.
    env.urgent_intake("m2", sender="p2")
    await worker.run_once()
    assert len(env.twilio.calls) == 1
    await worker.aclose()


async def test_escalations_ring_unless_switched_off(env: RoutingEnv) -> None:
    env.add_staff("Lan", chat="5001", phone="+84900000001")
    env.add_staff("Dự phòng", chat="5002", phone="+84900000002", kind="backup")
    ref = env.urgent_intake()
    worker = env.worker([env.telegram_notifier(), env.sms_notifier(), env.voice_notifier()])

    await worker.run_once()
    assert env.twilio.calls == []  # the first alert went by Telegram
    env.clock.advance(minutes=5)
    assert (await worker.run_once()).escalated == 1
    (call,) = env.twilio.calls
    assert call["To"] == "+84900000002"
    assert "Chuyển cấp 1" in (said(call).text or "")
    assert [m["To"] for m in env.twilio.sent] == ["+84900000002"]  # and the SMS
    await worker.run_once()
    assert len(env.twilio.calls) == 1  # never twice

    quiet_case = env.urgent_intake("m2", sender="p2")
    quiet = env.worker([env.telegram_notifier(), env.sms_notifier(), env.voice_notifier()])
    quiet.config = replace(quiet.config, escalation_calls=False)
    await quiet.run_once()
    env.clock.advance(minutes=5)
    await quiet.run_once()
    assert len(env.twilio.calls) == 1  # no call for the second case's escalation
    assert [m["To"] for m in env.twilio.sent] == ["+84900000002", "+84900000002"]
    last = env.telegram.sent[-1]["text"]
    assert quiet_case.reference_code in last and "Chuyển cấp 1" in last
    with env.store.begin() as session:
        assert alerts.alerted_staff(session, intake_id=ref.id)  # the bookkeeping saw it
    await worker.aclose()
    await quiet.aclose()


def test_voice_calls_exist_only_with_twilio_credentials(tmp_path: Path) -> None:
    bare = make_test_settings(tmp_path)
    assert [n.channel for n in notifiers_from_settings(bare)] == []
    twilio = make_test_settings(
        tmp_path,
        twilio_account_sid="AC" + "0" * 32,
        twilio_auth_token="token",
        twilio_from_number="+15005550006",
        staff_telegram_bot_token="123:TEST",
        escalation_voice_calls=False,
        twilio_voice="Google.vi-VN-Wavenet-A",
    )
    notifiers = notifiers_from_settings(twilio)
    assert [n.channel for n in notifiers] == ["telegram", "sms", "voice"]
    assert isinstance(notifiers[2], TwilioVoiceNotifier)
    assert notifiers[2].voice == "Google.vi-VN-Wavenet-A"
    assert worker_from_settings(twilio).config.escalation_calls is False
