"""Assemble a worker from settings: Telegram first, Twilio SMS second, a Twilio voice call last;
the log when none is set."""

from __future__ import annotations

import logging

from telegram.request import BaseRequest
from twilio.http import HttpClient

from bot.rasa_forget import forgetter_from_settings
from chungtay.settings import Settings
from intake_store.db import make_engine, make_session_factory
from routing.clock import Clock
from routing.notify.base import Notifier
from routing.notify.sms import TwilioSmsNotifier
from routing.notify.telegram import TelegramNotifier
from routing.notify.voice import TwilioVoiceNotifier
from routing.worker import RoutingWorker, WorkerConfig

log = logging.getLogger(__name__)


def notifiers_from_settings(
    settings: Settings,
    *,
    telegram_request: BaseRequest | None = None,
    twilio_http_client: HttpClient | None = None,
) -> list[Notifier]:
    notifiers: list[Notifier] = []
    if settings.staff_telegram_bot_token:
        notifiers.append(
            TelegramNotifier.from_token(settings.staff_telegram_bot_token, request=telegram_request)
        )
    else:
        log.info("CHUNGTAY_STAFF_TELEGRAM_BOT_TOKEN is empty: no Telegram staff alerts")
    if settings.twilio_account_sid and settings.twilio_auth_token and settings.twilio_from_number:
        notifiers.append(
            TwilioSmsNotifier.from_credentials(
                account_sid=settings.twilio_account_sid,
                auth_token=settings.twilio_auth_token,
                from_number=settings.twilio_from_number,
                http_client=twilio_http_client,
            )
        )
        notifiers.append(
            TwilioVoiceNotifier.from_credentials(
                account_sid=settings.twilio_account_sid,
                auth_token=settings.twilio_auth_token,
                from_number=settings.twilio_from_number,
                voice=settings.twilio_voice,
                http_client=twilio_http_client,
            )
        )
    else:
        log.info("Twilio credentials are empty: no SMS or voice-call staff alerts")
    return notifiers


def worker_from_settings(
    settings: Settings,
    *,
    clock: Clock | None = None,
    worker_id: str | None = None,
    telegram_request: BaseRequest | None = None,
    twilio_http_client: HttpClient | None = None,
) -> RoutingWorker:
    return RoutingWorker(
        session_factory=make_session_factory(make_engine(settings.database_url)),
        notifiers=notifiers_from_settings(
            settings, telegram_request=telegram_request, twilio_http_client=twilio_http_client
        ),
        config=WorkerConfig.from_settings(settings),
        clock=clock,
        worker_id=worker_id,
        # Retention erases in the store; Rasa's copies (its tracker store) are deleted here.
        forget_rasa_copy=forgetter_from_settings(settings),
    )
