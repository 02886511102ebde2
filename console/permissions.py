"""Who may do what: a closed list of actions per role, checked on every route, default deny."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    OPERATOR = "operator"
    SOCIAL_WORKER = "social_worker"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class Action(StrEnum):
    VIEW_QUEUE = "view_queue"
    VIEW_INTAKE = "view_intake"
    VIEW_PERSONAL_DATA = "view_personal_data"
    EDIT = "edit"  # acknowledge, notes
    ASSIGN = "assign"
    CHANGE_STATUS = "change_status"
    REFER = "refer"
    CLOSE = "close"
    REPLY = "reply"
    HOLD = "hold"  # take a conversation over from the assistant and hand it back
    ERASE_HELD = "erase_held"  # erase the personal data of a conversation one holds
    ERASE = "erase"  # erase the personal data of any conversation
    # confirm or reject that a conversation which typed a case's code is that case's person
    LINK_CONVERSATION = "link_conversation"
    # block a case's sender or client address (only 111/113 answers it then), and unblock
    BLOCK_SOURCE = "block_source"
    # file a call, walk-in or handover as a case, or attach it to an existing case
    FILE_INTAKE = "file_intake"
    TRANSFER = "transfer"  # hand a case one holds (and its held conversation) to someone else
    VIEW_ALL_CALLS = "view_all_calls"  # every operator's calls, not only one's own
    MANAGE_CANNED_REPLIES = "manage_canned_replies"
    VIEW_NOTIFICATIONS = "view_notifications"
    VIEW_ROSTER = "view_roster"
    MANAGE_ROSTER = "manage_roster"
    MANAGE_USERS = "manage_users"
    VIEW_STATISTICS = "view_statistics"
    EXPORT_STATISTICS = "export_statistics"
    VIEW_AUDIT = "view_audit"
    SECOND_FACTOR = "second_factor"  # enrol one's own TOTP second factor
    OWN_PASSWORD = "own_password"  # change one's own password


_OPERATOR = frozenset(
    {
        Action.VIEW_QUEUE,
        Action.VIEW_INTAKE,
        Action.VIEW_PERSONAL_DATA,
        Action.EDIT,
        Action.REFER,
        Action.REPLY,
        Action.HOLD,
        Action.ERASE_HELD,
        Action.FILE_INTAKE,
        Action.TRANSFER,
        Action.VIEW_NOTIFICATIONS,
        Action.VIEW_ROSTER,
        # Every account protects itself: a second factor and its own password.
        Action.SECOND_FACTOR,
        Action.OWN_PASSWORD,
    }
)
# Verifying who a person is belongs to case work, as does changing a case's status.
_SOCIAL_WORKER = _OPERATOR | {Action.CHANGE_STATUS, Action.CLOSE, Action.LINK_CONVERSATION}
_SUPERVISOR = _SOCIAL_WORKER | {
    Action.ASSIGN,
    Action.VIEW_ALL_CALLS,
    Action.MANAGE_CANNED_REPLIES,
    Action.ERASE,
    Action.BLOCK_SOURCE,
    Action.MANAGE_ROSTER,
    Action.VIEW_STATISTICS,
    Action.EXPORT_STATISTICS,
    Action.VIEW_AUDIT,
}

# The first admin is seeded from the CLI and must be able to run the whole console alone.
PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.OPERATOR: _OPERATOR,
    Role.SOCIAL_WORKER: frozenset(_SOCIAL_WORKER),
    Role.SUPERVISOR: frozenset(_SUPERVISOR),
    Role.ADMIN: frozenset(Action),
}


def allowed(role: str, action: Action) -> bool:
    """True only for a known role that lists the action; anything unknown is denied."""
    try:
        return action in PERMISSIONS[Role(role)]
    except ValueError:
        return False
