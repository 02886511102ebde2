"""The one error every store function raises for a row that does not exist.

A subclass of LookupError, so callers that already catch that keep working; the console maps it
to a 404 in one place (console/app.py).
"""

from __future__ import annotations


class NotFound(LookupError):
    """The intake, conversation, referral, staff member, shift or user asked for does not exist."""
