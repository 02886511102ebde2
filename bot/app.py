"""The gateway's ASGI app: ``create_app(settings)`` wires channels, Rasa, the store and retries.

Everything is built here, nothing at import time; network clients and the retry loop start in
the lifespan. Each channel is enabled by its credentials and otherwise disabled with one log line.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from telegram.request import BaseRequest
from twilio.http import HttpClient

from bot.channels import webchat
from bot.channels.sms import EsmsSms, SmsChannel, SmsProvider, TwilioSms
from bot.channels.telegram import TelegramChannel
from bot.channels.zalo import ZaloChannel, ZaloClient
from bot.channels.zalo_tokens import ZaloTokens, ZaloTokenStore
from bot.flood import FloodGuard, FloodLimits
from bot.pipeline import Gateway, ReplySender, UrgencyNet
from bot.rasa_client import RasaClient
from bot.rasa_tracker import SqlTrackerEvents
from bot.ratelimit import RateLimiter
from bot.readiness import router as readiness_router
from bot.retry import RetryLoop
from bot.security_headers import SecurityHeaders
from bot.staff_replies import StaffReplyDelivery
from chungtay import metrics
from chungtay.counters import from_settings as shared_counters
from chungtay.http_guard import BodyLimit, quiet_validation_errors
from chungtay.settings import Settings
from intake_store.store import Store

log = logging.getLogger(__name__)

# Webhook payloads are a few kilobytes (a Telegram message is at most 4096 characters).
MAX_BODY_BYTES = 256 * 1024


def create_app(
    settings: Settings,
    *,
    store: Store | None = None,
    rasa_transport: httpx.AsyncBaseTransport | None = None,
    telegram_request: BaseRequest | None = None,
    http_transport: httpx.AsyncBaseTransport | None = None,
    twilio_http_client: HttpClient | None = None,
    urgency_net: UrgencyNet | None = None,
    retry_loop: bool = True,
) -> FastAPI:
    """The gateway app. Keyword arguments replace the outside world in tests.

    ``http_transport`` carries the Zalo and eSMS calls; ``retry_loop=False`` leaves retries to
    the caller (``app.state.retry.run_once()``).
    """
    own_store = store is None
    store = store or Store.from_settings(settings)
    rasa = RasaClient(
        settings.rasa_replica_urls,  # several: sticky by sender (bot/rasa_client.py)
        timeout=settings.rasa_timeout_seconds,
        auth_token=settings.rasa_auth_token,
        transport=rasa_transport,
    )
    # Memory, or Redis shared with the other gateways (CHUNGTAY_REDIS_URL); connects on first use.
    counters = shared_counters(settings, namespace="gateway")
    limiter = RateLimiter(
        max_messages=settings.gateway_rate_limit_per_minute, per_seconds=60.0, counters=counters
    )
    extra: dict[str, Any] = {"urgency_net": urgency_net} if urgency_net else {}
    # Production keeps Rasa's conversations in SQL: erasure deletes them there (bot/rasa_tracker).
    rasa_events = (
        SqlTrackerEvents(settings.rasa_tracker_store_url)
        if settings.rasa_tracker_store_url
        else None
    )
    gateway = Gateway(
        store=store,
        rasa=rasa,
        limiter=limiter,
        rasa_events=rasa_events,
        handoff_idle=timedelta(minutes=settings.handoff_idle_minutes)
        if settings.handoff_idle_minutes > 0
        else None,
        flood=FloodGuard(
            FloodLimits(
                messages_per_address=settings.webchat_messages_per_address_per_minute,
                new_conversations_per_address=settings.webchat_new_sessions_per_address_per_minute,
                new_conversations_overall=settings.webchat_new_sessions_per_minute,
                polls_per_address=settings.webchat_polls_per_address_per_minute,
            ),
            counters=counters,
        ),
        burst_window=timedelta(minutes=settings.urgent_burst_window_minutes),
        turn_lease=timedelta(seconds=settings.turn_lease_seconds),
        turn_wait=settings.rasa_timeout_seconds,
        **extra,
    )
    http = httpx.AsyncClient(timeout=15.0, transport=http_transport)

    senders: dict[str, ReplySender] = {}
    telegram = _telegram(settings, gateway, telegram_request)
    if telegram:
        senders["telegram"] = telegram
    zalo = _zalo(settings, gateway, http)
    if zalo:
        senders["zalo"] = zalo
    sms = _sms(settings, gateway, http, twilio_http_client)
    if sms:
        senders["sms"] = sms
    retry = RetryLoop(
        gateway=gateway,
        senders=senders,
        interval=settings.retry_interval_seconds,
        max_attempts=settings.retry_max_attempts,
        stale_received=timedelta(seconds=settings.retry_stale_received_seconds),
        concurrency=settings.retry_concurrency,
        lease=timedelta(seconds=settings.turn_lease_seconds),
    )
    replies = StaffReplyDelivery(store=store, senders=senders)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        telegram_started = False
        if telegram:
            try:
                await telegram.start()
                telegram_started = True
            except Exception as error:  # a bad token must not take web chat and SMS down
                log.error("telegram channel could not start: %s", error.__class__.__name__)
        tasks = (
            [asyncio.create_task(retry.run_forever()), asyncio.create_task(replies.run_forever())]
            if retry_loop
            else []
        )
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await gateway.drain(timeout=10.0)
            if telegram_started and telegram:
                await telegram.stop()
            await http.aclose()
            await rasa.aclose()
            await counters.aclose()
            if rasa_events is not None:
                rasa_events.dispose()
            if own_store:
                store.dispose()

    # No schema endpoints: a public gateway has nothing to describe to strangers.
    app = FastAPI(
        title="Chung Tay gateway",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.add_middleware(BodyLimit, max_bytes=MAX_BODY_BYTES)
    # Added last, so it is outermost: the body limit's 413 gets the headers too.
    app.add_middleware(SecurityHeaders)
    quiet_validation_errors(app)
    app.state.gateway = gateway
    app.state.retry = retry
    app.state.staff_replies = replies
    app.state.senders = senders
    app.include_router(webchat.router(gateway, trusted_proxies=settings.trusted_proxies))
    for channel in (telegram, zalo, sms):
        if channel:
            app.include_router(channel.router())

    app.include_router(readiness_router(settings, store, rasa_transport=rasa_transport))
    app.include_router(metrics.router(settings.metrics_token))

    @app.get("/healthz", include_in_schema=False)
    async def health() -> dict[str, Any]:
        return {"status": "ok", "channels": ["webchat", *sorted(senders)]}

    return app


def _telegram(
    settings: Settings, gateway: Gateway, request: BaseRequest | None
) -> TelegramChannel | None:
    if not settings.telegram_bot_token:
        log.info("telegram channel disabled: CHUNGTAY_TELEGRAM_BOT_TOKEN is empty")
        return None
    return TelegramChannel(
        gateway=gateway,
        token=settings.telegram_bot_token,
        webhook_secret=settings.telegram_webhook_secret,
        public_base_url=settings.public_base_url,
        request=request,
    )


def _zalo(settings: Settings, gateway: Gateway, http: httpx.AsyncClient) -> ZaloChannel | None:
    if not (settings.zalo_app_id and settings.zalo_oa_secret_key):
        log.info("zalo channel disabled: CHUNGTAY_ZALO_APP_ID / _OA_SECRET_KEY are empty")
        return None
    tokens = ZaloTokenStore(
        store=gateway.store,
        app_id=settings.zalo_app_id,
        app_secret=settings.zalo_app_secret,
        http=http,
        initial=ZaloTokens(
            access_token=settings.zalo_access_token, refresh_token=settings.zalo_refresh_token
        ),
        legacy_file=settings.data_dir / "zalo-tokens.json",  # where earlier versions kept them
        holder=gateway.instance,
    )
    return ZaloChannel(
        gateway=gateway,
        app_id=settings.zalo_app_id,
        oa_secret_key=settings.zalo_oa_secret_key,
        client=ZaloClient(http=http, tokens=tokens),
    )


def _sms(
    settings: Settings,
    gateway: Gateway,
    http: httpx.AsyncClient,
    twilio_http_client: HttpClient | None,
) -> SmsChannel | None:
    provider: SmsProvider | None = None
    wants = settings.sms_provider
    if wants in ("", "esms") and settings.esms_api_key and settings.esms_callback_token:
        provider = EsmsSms(
            api_key=settings.esms_api_key,
            secret_key=settings.esms_secret_key,
            brandname=settings.esms_brandname,
            callback_token=settings.esms_callback_token,
            sms_type=settings.esms_sms_type,
            unicode=not settings.sms_fold_diacritics,
            http=http,
        )
    elif wants in ("", "twilio") and settings.twilio_account_sid and settings.twilio_auth_token:
        provider = TwilioSms(
            account_sid=settings.twilio_account_sid,
            auth_token=settings.twilio_auth_token,
            from_number=settings.twilio_from_number,
            public_base_url=settings.public_base_url,
            twiml_budget=settings.sms_twiml_budget_seconds,
            http_client=twilio_http_client,
        )
    if provider is None:
        log.info("sms channel disabled: no Twilio or eSMS credentials")
        return None
    return SmsChannel(
        gateway=gateway,
        provider=provider,
        fold=settings.sms_fold_diacritics,
        max_segments=settings.sms_max_segments,
        reply_window=timedelta(minutes=settings.sms_reply_window_minutes),
    )
