"""Staff alerts by a Twilio voice call: the last resort when Telegram and SMS fail or nobody acks.

The call's TwiML goes inline (``calls.create(twiml=...)``), so no webhook has to be reachable
from Twilio: a short Vietnamese ``<Say>`` with the reference code, twice, then hang up. Nothing
about the person is read out; the staff member opens the console to act.
"""

from __future__ import annotations

import asyncio

from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http import HttpClient
from twilio.rest import Client
from twilio.twiml.voice_response import VoiceResponse

from intake_store.roster import StaffRef
from routing.notify.base import DeliveryError, StaffMessage

LANGUAGE = "vi-VN"
# Twilio's basic man/woman voices do not speak Vietnamese; its Google voices do.
DEFAULT_VOICE = "Google.vi-VN-Standard-A"


def call_twiml(text: str, *, voice: str = DEFAULT_VOICE) -> str:
    response = VoiceResponse()
    response.say(text, voice=voice, language=LANGUAGE, loop=2)
    response.hangup()
    return str(response)


class TwilioVoiceNotifier:
    channel = "voice"

    def __init__(self, client: Client, from_number: str, *, voice: str = DEFAULT_VOICE) -> None:
        self.client = client
        self.from_number = from_number
        self.voice = voice

    @classmethod
    def from_credentials(
        cls,
        *,
        account_sid: str,
        auth_token: str,
        from_number: str,
        voice: str = DEFAULT_VOICE,
        http_client: HttpClient | None = None,
    ) -> TwilioVoiceNotifier:
        return cls(
            Client(account_sid, auth_token, http_client=http_client), from_number, voice=voice
        )

    def can_reach(self, recipient: StaffRef) -> bool:
        return bool(recipient.phone)

    def _call_sync(self, phone: str, twiml: str) -> str:
        # A ringing phone nobody answers for 30 s is a failed call; Twilio reports it later.
        call = self.client.calls.create(to=phone, from_=self.from_number, twiml=twiml, timeout=30)
        return str(call.sid)

    async def send(self, recipient: StaffRef, alert: StaffMessage) -> str:
        if not recipient.phone:
            raise DeliveryError("no phone number")
        twiml = call_twiml(alert.voice_text(), voice=self.voice)
        try:
            return await asyncio.to_thread(self._call_sync, recipient.phone, twiml)
        except TwilioRestException as error:
            retry_after = 30.0 if error.status == 429 else None
            raise DeliveryError(
                f"twilio call {error.status} code={error.code}", retry_after=retry_after
            ) from error
        except (TwilioException, OSError) as error:
            raise DeliveryError(f"twilio call: {error.__class__.__name__}") from error
