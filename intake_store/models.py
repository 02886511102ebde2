"""SQLAlchemy 2 models of the intake store.

Columns ending in ``_enc`` hold ``FieldCipher`` ciphertext (personal data); nothing else may hold
personal data. Schema changes go through Alembic (``intake_store/migrations``) only.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC, returns aware UTC: SQLite and PostgreSQL then behave the same."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use timezone-aware UTC")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Conversation(Base):
    """One person on one channel; ``sender_hash`` is a keyed hash, never the raw id."""

    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    sender_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    rasa_sender_id: Mapped[str] = mapped_column(String(80), unique=True)
    # Encrypted channel id so the gateway can still answer (e.g. after a Rasa outage).
    sender_id_enc: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_message_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Human handoff: while ``held_by`` is set the assistant stays silent (safety replies aside).
    held_by: Mapped[str | None] = mapped_column(String(64))
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handoff_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handed_back_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Keyed hash (SenderHasher, "address" channel) of the client address that opened a web chat
    # conversation: a burst of urgent chats from one source pages staff once (intake_store/bursts).
    source_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    # Erased, but Rasa may still hold its events under this (old) sender id: kept until they are
    # deleted, so a forgetting that failed (Rasa down) is retried (bot/rasa_tracker.py).
    rasa_forget_sender: Mapped[str | None] = mapped_column(String(80), index=True)
    # A case this person opened elsewhere and named by its code here (intakes.attach_conversation).
    linked_intake_id: Mapped[int | None] = mapped_column(
        ForeignKey("intakes.id", use_alter=True), index=True
    )
    # Whose turn it is to send this conversation to Rasa, across gateways (intake_store/turns.py):
    # a lease, so a gateway that died mid-turn frees it when ``turn_until`` has passed.
    turn_by: Mapped[str | None] = mapped_column(String(64))
    turn_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (UniqueConstraint("channel", "external_id", name="uq_messages_channel_ext"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), index=True)
    direction: Mapped[str] = mapped_column(String(8))  # inbound | outbound
    channel: Mapped[str] = mapped_column(String(16))
    # SenderHasher.message_key of the channel's message id (never the id: it names the person);
    # the webhook-replay dedupe key. Cleared on erasure.
    external_id: Mapped[str | None] = mapped_column(String(128))
    text_enc: Mapped[str | None] = mapped_column(Text)
    extra_enc: Mapped[str | None] = mapped_column(Text)  # buttons / attachments as JSON
    status: Mapped[str] = mapped_column(String(16), index=True)
    error: Mapped[str | None] = mapped_column(String(200))
    intake_id: Mapped[int | None] = mapped_column(ForeignKey("intakes.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The retry loop's count for a queued message, shared by every gateway: failed retries so
    # far, and when the next one is due (None: now).
    retry_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    retry_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Intake(Base):
    """One case. Plain columns are non-identifying (used for queue, routing and statistics)."""

    __tablename__ = "intakes"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference_code: Mapped[str] = mapped_column(String(16), unique=True)
    conversation_id: Mapped[int | None] = mapped_column(ForeignKey("conversations.id"), index=True)
    # No FK: messages.intake_id already points here (avoids a cycle between the two tables).
    source_message_id: Mapped[int | None] = mapped_column(Integer)
    triage: Mapped[str] = mapped_column(String(16))
    priority: Mapped[int] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(String(24), index=True, default="new")
    urgent_reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    language: Mapped[str] = mapped_column(String(8), default="vi")
    channel: Mapped[str | None] = mapped_column(String(16))
    category: Mapped[str | None] = mapped_column(String(32))
    destination_country: Mapped[str | None] = mapped_column(String(64))
    province: Mapped[str | None] = mapped_column(String(64))
    at_risk: Mapped[str | None] = mapped_column(String(16))  # self | relative | other
    age_band: Mapped[str | None] = mapped_column(String(16))
    is_minor: Mapped[bool | None] = mapped_column(Boolean)
    people_count: Mapped[int | None] = mapped_column(Integer)
    # Consent and safe contact (seed plans: contact only when the person says it is safe)
    consent_contact: Mapped[bool | None] = mapped_column(Boolean)
    contact_method: Mapped[str | None] = mapped_column(String(16))
    safe_to_contact: Mapped[bool | None] = mapped_column(Boolean)
    # The daily window read from the person's safe contact time (intake_store/safe_window.py):
    # local times, not personal on their own, so the console shows them without a reveal.
    safe_from: Mapped[time | None] = mapped_column(Time)
    safe_until: Mapped[time | None] = mapped_column(Time)
    # Statistics categories (seed 004)
    return_mode: Mapped[str | None] = mapped_column(String(24))  # official_handover | self_return
    discovery: Mapped[str | None] = mapped_column(String(24))  # rescued | self_reported
    route: Mapped[str | None] = mapped_column(String(24))  # labour_export | tourism | marriage
    # Personal data (encrypted)
    location_detail_enc: Mapped[str | None] = mapped_column(Text)
    contact_name_enc: Mapped[str | None] = mapped_column(Text)
    contact_phone_enc: Mapped[str | None] = mapped_column(Text)
    safe_contact_time_enc: Mapped[str | None] = mapped_column(Text)
    summary_enc: Mapped[str | None] = mapped_column(Text)
    # Assignment and escalation
    assigned_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    assigned_to: Mapped[str | None] = mapped_column(String(64))
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Urgent, but its alert was folded into this earlier case's (the same source, a short burst):
    # never escalated on its own (intake_store/bursts.py).
    burst_leader_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # Filed by an operator (intake_store/filing.py): how it reached the hotline (filing.SOURCES)
    # and who filed it. None for a case a chat opened (its channel says where it came from).
    source: Mapped[str | None] = mapped_column(String(24), index=True)
    filed_by: Mapped[str | None] = mapped_column(String(64))
    # Timeline
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    alerted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_action_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class NarrativeEntry(Base):
    """What the person wrote about their situation, in their own words and in order: the message
    that opened or joined the case, each free-text form answer, what they added after the form
    (intake_store/narrative.py). Questions and small talk are not kept. Encrypted; erased with the
    case."""

    __tablename__ = "narrative_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id"), index=True)
    # The stored message the words came from: a redelivered action adds them once.
    message_id: Mapped[int | None] = mapped_column(Integer)
    # What the words answered, in Vietnamese (a form question's label): not personal.
    label: Mapped[str] = mapped_column(String(64))
    text_enc: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StatusChange(Base):
    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    actor: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(String(500))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Note(Base):
    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id"), index=True)
    author: Mapped[str] = mapped_column(String(64))
    text_enc: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Referral(Base):
    __tablename__ = "referrals"

    id: Mapped[int] = mapped_column(primary_key=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id"), index=True)
    agency: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(24), default="proposed")
    note_enc: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OutboxRow(Base):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    intake_id: Mapped[int | None] = mapped_column(ForeignKey("intakes.id"), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    dedupe_key: Mapped[str] = mapped_column(String(128), unique=True)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Alert(Base):
    """One alert to one staff member on one channel: the console's alert list and the dedupe log."""

    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"), index=True)
    intake_id: Mapped[int | None] = mapped_column(ForeignKey("intakes.id"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    channel: Mapped[str] = mapped_column(String(16))  # telegram | sms | log
    dedupe_key: Mapped[str] = mapped_column(String(160), unique=True)
    status: Mapped[str] = mapped_column(String(16))  # sending | sent | failed
    text: Mapped[str] = mapped_column(Text)  # reference code, triage, reasons, province, link
    provider_ref: Mapped[str | None] = mapped_column(String(128))
    error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    role: Mapped[str] = mapped_column(String(24))  # operator | social_worker | supervisor
    phone: Mapped[str | None] = mapped_column(String(32))
    telegram_chat_id: Mapped[str | None] = mapped_column(String(32))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    provinces: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Shift(Base):
    """Weekly shift in local time; ``end <= start`` means it runs past midnight."""

    __tablename__ = "shifts"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    weekdays: Mapped[str] = mapped_column(String(7))  # "0123456", Monday = 0, day the shift starts
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    kind: Mapped[str] = mapped_column(String(16), default="primary")  # primary | backup
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)


class ConsoleUser(Base):
    __tablename__ = "console_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(24))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_secret_enc: Mapped[str | None] = mapped_column(Text)
    # The last TOTP time step accepted: a code seen once is refused after (replay guard).
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ConsoleSession(Base):
    """A signed-in console session. The cookie carries a random token; only its SHA-256 is kept,
    so a copy of this table signs nobody in. Ended by logout, deactivation, password change."""

    __tablename__ = "console_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("console_users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class BlockedSource(Base):
    """A sender or client address staff blocked: its messages are stored and get the safety
    reply, nothing more (intake_store/blocks.py). Only keyed hashes, never the id or address."""

    __tablename__ = "blocked_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # sender | address
    key_hash: Mapped[str] = mapped_column(String(64), index=True)
    intake_id: Mapped[int | None] = mapped_column(Integer)  # the case it was blocked from
    reason: Mapped[str] = mapped_column(String(500))
    blocked_by: Mapped[str] = mapped_column(String(64))
    blocked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    unblocked_by: Mapped[str | None] = mapped_column(String(64))
    unblocked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(48))
    subject_type: Mapped[str] = mapped_column(String(24))
    subject_id: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(500))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class CaseLink(Base):
    """A case code typed in a conversation that is not the case's: nothing of the case reaches
    that conversation until staff confirm it is the same person (intake_store/case_links.py)."""

    __tablename__ = "case_links"
    __table_args__ = (UniqueConstraint("intake_id", "conversation_id", name="uq_case_links_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id"), index=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)  # pending | confirmed | rejected
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CodeLookup(Base):
    """One case-code lookup, counted against the per-sender and global limits; pruned once older
    than the counting window. Only the conversation id: not the code, not the sender."""

    __tablename__ = "code_lookups"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int | None] = mapped_column(Integer, index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class ServiceToken(Base):
    """A channel's OAuth tokens shared by every gateway (the Zalo OA's rotating refresh token).

    Both tokens are secrets: stored encrypted (FieldCipher). ``lease_by``/``lease_until`` let one
    gateway at a time spend the single-use refresh token (intake_store/service_tokens.py).
    """

    __tablename__ = "service_tokens"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    access_enc: Mapped[str | None] = mapped_column(Text)
    refresh_enc: Mapped[str | None] = mapped_column(Text)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lease_by: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OperatorCall(Base):
    """One call, walk-in or handover an operator took: a draft while it runs (autosaved, so a
    dropped browser tab loses nothing), then filed as a new case or attached to an existing one
    (intake_store/filing.py). Caller details, notes and the draft are personal: encrypted."""

    __tablename__ = "operator_calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    intake_id: Mapped[int | None] = mapped_column(ForeignKey("intakes.id"), index=True)
    operator: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)  # draft | filed | attached
    source: Mapped[str | None] = mapped_column(String(24))
    caller_relation: Mapped[str | None] = mapped_column(String(24))
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    duration_seconds: Mapped[int | None] = mapped_column(Integer)
    caller_name_enc: Mapped[str | None] = mapped_column(Text)
    caller_phone_enc: Mapped[str | None] = mapped_column(Text)
    notes_enc: Mapped[str | None] = mapped_column(Text)
    draft_enc: Mapped[str | None] = mapped_column(Text)  # the form as typed so far (JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class IntakeSearchKey(Base):
    """Keyed hashes (SenderHasher) of a case's phone numbers and names, so an operator finds a
    person who called before without the store keeping anything readable to search on."""

    __tablename__ = "intake_search_keys"
    __table_args__ = (
        UniqueConstraint("intake_id", "kind", "key_hash", name="uq_intake_search_keys_entry"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id"))
    kind: Mapped[str] = mapped_column(String(8))  # phone | name
    key_hash: Mapped[str] = mapped_column(String(64), index=True)


class CannedReply(Base):
    """A vetted reply snippet supervisors keep; operators insert it into the reply box."""

    __tablename__ = "canned_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    language: Mapped[str] = mapped_column(String(8))  # vi | en
    title: Mapped[str] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ErasedPage(Base):
    """An erased conversation's open web chat page, so its next poll can clear the screen.

    ``marker`` is derived from the conversation's keyed sender hash (``privacy.page_marker``), so
    only the page's own session id finds it; it names no conversation and goes at ``expires_at``
    (or on the poll that reports it). Only for the web chat, whose sender id is a tab's token.
    """

    __tablename__ = "erased_pages"

    marker: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
