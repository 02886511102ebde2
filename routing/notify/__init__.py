"""Staff notifiers: how the routing worker reaches on-duty staff (Telegram, SMS, log)."""

from routing.notify.base import DeliveryError, Notifier, StaffAlert
from routing.notify.logging_notifier import LoggingNotifier

__all__ = ["DeliveryError", "LoggingNotifier", "Notifier", "StaffAlert"]
