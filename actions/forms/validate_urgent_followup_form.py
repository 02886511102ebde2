"""``validate_urgent_followup_form``: where, how many, any child, when it is safe to contact.

Every answer goes to the urgent intake at once: staff may already be acting on it.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import messages
from actions.forms.answers import Answer, age_band
from actions.forms.labels import URGENT_LABELS
from actions.forms.places import looks_like_place, province_in
from actions.forms.validator_base import IntakeFormValidation, Reading, consent_details
from actions.intake_filing import add_place, file_intake
from actions.intake_updates import slot_intake_id
from actions.tracker_data import conversation_language, turn_info

YES, NO = "yes", "no"
# Places abroad in the NLU's location lookup (border towns, scam-compound cities): never a province.
PLACES_ABROAD = {
    "kampot",
    "sihanoukville",
    "bavet",
    "phnom penh",
    "myawaddy",
    "tachileik",
    "poipet",
}


def place_details(answer: Answer) -> dict[str, object]:
    """Where someone is: the words go encrypted; country and province go to plain columns."""
    details: dict[str, object] = {"location_detail": answer.text}
    if country := answer.entities.get("country"):
        details["destination_country"] = country[:64]
    named = answer.entities.get("location") or ""
    # The NLU's location may be a district or a border town ("Kỳ Sơn", "Móng Cái"): the plain
    # column, which statistics count by, holds the province it is in (since 01/7/2025), else the
    # one the words name; the name as found only when neither is known.
    province = (province_in(named) if named else None) or ""
    if not province and "country" not in answer.entities:
        province = province_in(answer.text) or named
    if (
        province
        and province.strip().lower() not in PLACES_ABROAD
        and "country" not in answer.entities
    ):
        details["province"] = province[:64]
    return details


async def keep_place(tracker: Tracker, intake_id: int) -> bool:
    """The place named in a message of danger now ("họ nhốt con bé ở nhà nghỉ Hoàng Long, phố
    Trần Phú, Móng Cái") is where staff must go: its words join the case's place (encrypted, after
    a place a tip's form had saved) and its province or country go to the plain columns."""
    info = turn_info(tracker)
    text = str((tracker.latest_message or {}).get("text") or "").strip()
    if (
        not text
        or text.startswith("/")
        or not (
            looks_like_place(text) or info.entities.get("location") or info.entities.get("country")
        )
    ):
        return False
    answer = Answer(text=text, intent=info.intent, entities=info.entities)
    return await add_place(tracker, intake_id, place_details(answer))


def minor_reading(answer: Answer) -> Reading:
    """ "Is anyone under 18?" — yes/no, or an age that answers it."""
    age = answer.age()
    if age is not None:
        return Reading(YES if age < 18 else NO, {"is_minor": age < 18, "age_band": age_band(age)})
    said = answer.yes_no()
    if said is None:
        return Reading(answer.text)
    return Reading(YES if said else NO, {"is_minor": said})


class ValidateUrgentFollowupForm(IntakeFormValidation):
    labels = URGENT_LABELS
    leaves_for_danger = False  # already the urgent path: new danger joins the case below

    def form_name(self) -> str:
        return "urgent_followup_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        # Only ask when to contact someone who said contact is safe.
        if tracker.get_slot("urgent_safe_contact") != YES:
            return [slot for slot in domain_slots if slot != "urgent_contact_time"]
        return domain_slots

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        info = turn_info(tracker)
        if info.triage == "urgent" and tracker.slots_to_validate():
            # A new sign of danger given as an answer: its reasons join the case (no new alert,
            # the case is already urgent) and the message is linked to it.
            await file_intake(tracker, info, triage="urgent")
            # "họ đang chuyển bọn em sang Móng Cái" said to another question: the place too.
            intake_id = slot_intake_id(tracker)
            if tracker.get_slot("requested_slot") != "urgent_location" and intake_id is not None:
                await keep_place(tracker, intake_id)
            # The numbers again, in the person's script first when they wrote in one.
            language = conversation_language(tracker)
            still = messages.pick(messages.URGENT_STILL, language)
            if (line := messages.HOTLINE_OTHER_LANGUAGE.get(info.language)) is not None:
                still = f"{line}\n\n{still}"
            dispatcher.utter_message(text=still)
        return await super().get_validation_events(dispatcher, tracker, domain)

    def interpret(self, slot: str, answer: Answer, tracker: Tracker) -> Reading:
        if slot == "urgent_location":
            return Reading(answer.text, place_details(answer))
        if slot == "urgent_people":
            count = answer.number()
            if count is not None and 0 < count < 10_000:
                return Reading(answer.text, {"people_count": count})
            return Reading(answer.text)
        if slot == "urgent_minor":
            return minor_reading(answer)
        if slot == "urgent_safe_contact":
            said = answer.allows_contact()
            if said is None:
                return Reading(answer.text)  # staff read the words; no contact assumed
            channel = turn_info(tracker).channel or "none"
            return Reading(YES if said else NO, consent_details(said, answer, channel))
        return Reading(answer.text, {"safe_contact_time": answer.text})
