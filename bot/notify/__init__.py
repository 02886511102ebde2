"""Staff notifiers: how the routing worker reaches on-duty staff (Telegram, SMS, log)."""

from bot.notify.base import DeliveryError, Notifier, StaffAlert
from bot.notify.logging_notifier import LoggingNotifier

__all__ = ["DeliveryError", "LoggingNotifier", "Notifier", "StaffAlert"]
