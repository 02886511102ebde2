"""Staff alerts by SMS through Twilio (the fallback when Telegram fails or is not set up)."""

from __future__ import annotations

import asyncio

from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http import HttpClient
from twilio.rest import Client

from intake_store.roster import StaffRef
from routing.notify.base import DeliveryError, StaffMessage


class TwilioSmsNotifier:
    channel = "sms"

    def __init__(self, client: Client, from_number: str) -> None:
        self.client = client
        self.from_number = from_number

    @classmethod
    def from_credentials(
        cls,
        *,
        account_sid: str,
        auth_token: str,
        from_number: str,
        http_client: HttpClient | None = None,
    ) -> TwilioSmsNotifier:
        return cls(Client(account_sid, auth_token, http_client=http_client), from_number)

    def can_reach(self, recipient: StaffRef) -> bool:
        return bool(recipient.phone)

    def _send_sync(self, phone: str, body: str) -> str:
        message = self.client.messages.create(to=phone, from_=self.from_number, body=body)
        return str(message.sid)

    async def send(self, recipient: StaffRef, alert: StaffMessage) -> str:
        if not recipient.phone:
            raise DeliveryError("no phone number")
        try:
            # The Twilio client is synchronous; keep the worker's event loop free.
            return await asyncio.to_thread(self._send_sync, recipient.phone, alert.sms_text())
        except TwilioRestException as error:
            retry_after = 30.0 if error.status == 429 else None
            raise DeliveryError(
                f"twilio {error.status} code={error.code}", retry_after=retry_after
            ) from error
        except (TwilioException, OSError) as error:  # OSError: network (requests) failures
            raise DeliveryError(f"twilio: {error.__class__.__name__}") from error
