"""Canned replies: vetted snippets (Vietnamese and English) supervisors keep and operators insert
into the reply box, so advice stays the same whoever answers. No personal data; every change is
audited with who made it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake_store.audit import record_audit
from intake_store.models import CannedReply, utcnow
from intake_store.not_found import NotFound

LANGUAGES = ("vi", "en")
MAX_TEXT = 1000  # one phone screen or two; a reply longer than this is an article


class CannedReplyError(ValueError):
    """A snippet the store refuses (empty, too long, unknown language)."""


@dataclass(frozen=True)
class CannedView:
    id: int
    language: str
    title: str
    text: str
    position: int
    active: bool
    updated_by: str
    updated_at: datetime


def _view(row: CannedReply) -> CannedView:
    return CannedView(
        row.id, row.language, row.title, row.text, row.position, row.active,
        row.updated_by, row.updated_at,
    )  # fmt: skip


def list_replies(
    session: Session, *, language: str | None = None, active_only: bool = True
) -> list[CannedView]:
    query = select(CannedReply).order_by(CannedReply.language, CannedReply.position, CannedReply.id)
    if language is not None:
        query = query.where(CannedReply.language == language)
    if active_only:
        query = query.where(CannedReply.active.is_(True))
    return [_view(row) for row in session.scalars(query)]


def _check(language: str, title: str, text: str) -> tuple[str, str]:
    title, text = title.strip(), text.strip()
    if language not in LANGUAGES:
        raise CannedReplyError(f"unknown language {language!r}")
    if not title or not text or len(title) > 80 or len(text) > MAX_TEXT:
        raise CannedReplyError("a canned reply needs a title (≤ 80) and a text (≤ 1000)")
    return title, text


def add_reply(
    session: Session, *, language: str, title: str, text: str, actor: str, position: int = 100
) -> int:
    title, text = _check(language, title, text)
    row = CannedReply(
        language=language,
        title=title,
        text=text,
        position=position,
        active=True,
        updated_by=actor[:64],
        updated_at=utcnow(),
    )
    session.add(row)
    session.flush()
    record_audit(
        session,
        actor=actor,
        action="canned_reply_add",
        subject_type="canned_reply",
        subject_id=row.id,
        reason="canned replies",
        detail={"language": language},
    )
    return row.id


def update_reply(
    session: Session,
    *,
    reply_id: int,
    actor: str,
    title: str | None = None,
    text: str | None = None,
    active: bool | None = None,
) -> None:
    row = session.get(CannedReply, reply_id)
    if row is None:
        raise NotFound(f"canned reply {reply_id} does not exist")
    new_title, new_text = _check(
        row.language, row.title if title is None else title, row.text if text is None else text
    )
    changed = [
        name
        for name, old, new in (
            ("title", row.title, new_title),
            ("text", row.text, new_text),
            ("active", row.active, row.active if active is None else active),
        )
        if old != new
    ]
    if not changed:
        return
    row.title, row.text = new_title, new_text
    if active is not None:
        row.active = active
    row.updated_by, row.updated_at = actor[:64], utcnow()
    record_audit(
        session,
        actor=actor,
        action="canned_reply_edit",
        subject_type="canned_reply",
        subject_id=row.id,
        reason="canned replies",
        detail={"changed": changed},
    )
