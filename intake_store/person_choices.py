"""What the person decides about their own report: that the summary of their answers is right
(or not yet), and to stay anonymous after all (their contact details forgotten)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from intake_store.audit import record_audit
from intake_store.crypto import FieldCipher
from intake_store.intakes import get_row
from intake_store.models import utcnow
from intake_store.search_keys import forget_keys

# The person's own yes or no to the summary of their answers (the timeline shows it).
CONFIRMATIONS = {True: "person_confirmed", False: "person_not_confirmed"}
CONTACT_DETAILS = ("contact_name", "contact_phone", "safe_contact_time")


def record_confirmation(
    session: Session, *, intake_id: int, confirmed: bool, actor: str = "system:assistant"
) -> None:
    """The person said their answers are right (or not yet): an audit row on the intake, shown in
    the console's timeline. The answers themselves are saved as they come (``update_details``)."""
    get_row(session, intake_id)
    record_audit(
        session,
        actor=actor,
        action=CONFIRMATIONS[confirmed],
        subject_type="intake",
        subject_id=intake_id,
        reason="the person's answer to the summary of their report",
    )


def clear_contact(
    session: Session, *, cipher: FieldCipher, intake_id: int, summary: str | None = None
) -> None:
    """Forget the reporter's contact details (they chose to stay anonymous after giving them);
    ``summary``, when given, replaces the stored staff summary (without the contact line)."""
    intake = get_row(session, intake_id)
    for name in CONTACT_DETAILS:
        setattr(intake, f"{name}_enc", None)
    forget_keys(session, intake_ids=[intake_id])  # the phone or name would still find the case
    intake.safe_from = intake.safe_until = None  # read from the safe time just forgotten
    intake.consent_contact = False
    intake.contact_method = "none"
    if summary is not None:
        intake.summary_enc = cipher.encrypt(summary) if summary else None
    intake.updated_at = utcnow()
