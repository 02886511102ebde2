"""Development notifier: writes the alert to the log.

The routing worker stores every delivery (this one included) in the ``alerts`` table, which the
console shows; so with no Telegram/Twilio credentials alerts still reach a human.
"""

from __future__ import annotations

import logging

from intake_store.roster import StaffRef
from routing.notify.base import StaffMessage

log = logging.getLogger("chungtay.alerts")


class LoggingNotifier:
    channel = "log"

    def can_reach(self, recipient: StaffRef) -> bool:
        return True

    async def send(self, recipient: StaffRef, alert: StaffMessage) -> str:
        # Only non-personal fields, as in every alert.
        log.warning(
            "ALERT %s %s level=%d to staff %d: %s",
            alert.reference_code,
            alert.triage,
            alert.escalation_level,
            recipient.id,
            alert.console_url,
        )
        return f"log:{alert.reference_code}:{recipient.id}"
