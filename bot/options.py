"""Gateway options that are not (yet) fields of ``Settings``: read with defaults.

The lead adds them to ``chungtay.settings.Settings`` (env ``CHUNGTAY_<NAME>``); until then the
defaults below apply and tests pass a ``GatewayOptions`` directly to ``create_app``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Literal

from chungtay.settings import Settings


@dataclass(frozen=True)
class GatewayOptions:
    sms_provider: Literal["twilio", "esms", ""] = ""  # "" picks twilio when its credentials are set
    sms_fold_diacritics: bool = True  # GSM-7 without diacritics: cheaper, fits old phones
    sms_max_segments: int = 4
    sms_reply_window_minutes: float = 60.0  # later replies to a phone wait for a human
    sms_twiml_budget_seconds: float = 10.0  # Twilio waits 15 s for a webhook answer
    esms_api_key: str = ""
    esms_secret_key: str = ""
    esms_brandname: str = ""
    esms_callback_token: str = ""
    esms_sms_type: str = "2"  # customer care
    gateway_rate_limit_per_minute: int = 30
    retry_interval_seconds: float = 30.0
    retry_max_attempts: int = 20
    retry_stale_received_seconds: float = 120.0

    @classmethod
    def from_settings(cls, settings: Settings) -> GatewayOptions:
        values = {
            f.name: getattr(settings, f.name) for f in fields(cls) if hasattr(settings, f.name)
        }
        return cls(**values)
