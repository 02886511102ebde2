"""``action_ask_<slot>``: each form question, in the person's language, saying why it is asked.

Every question can be skipped; the buttons send plain words, so they go through the NLU like typed
answers. The report's last question is its summary, to confirm before anything is saved.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.forms.answers import SKIPPED
from actions.forms.labels import REPORT_LABELS
from actions.forms.reasking import details_asked
from actions.messages import DETAILS_PLEASE, Texts, pick
from actions.tracker_data import conversation_language

QUESTIONS: dict[str, Texts] = {
    "urgent_location": {
        "vi": (
            "Bạn ở nước nào, nơi nào? Một điểm dễ nhận ra gần đó (biển hiệu, tòa nhà, quán) "
            'giúp cán bộ tìm bạn nhanh hơn. Không biết thì gõ "bỏ qua".'
        ),
        "en": (
            "Which country and place are you in? A landmark nearby (a sign, a building, a shop) "
            'helps staff find you faster. Type "skip" if you don\'t know.'
        ),
    },
    "urgent_people": {
        "vi": "Có bao nhiêu người đang ở cùng hoàn cảnh với bạn? Để cán bộ chuẩn bị đủ hỗ trợ.",
        "en": "How many people are in the same situation with you? So staff can prepare help.",
    },
    "urgent_minor": {
        "vi": "Có ai dưới 18 tuổi không? Trẻ em được ưu tiên bảo vệ.",
        "en": "Is anyone under 18? Children get priority protection.",
    },
    "urgent_safe_contact": {
        "vi": (
            "Cán bộ có thể nhắn cho bạn qua kênh này không? "
            "Chúng tôi chỉ nhắn khi bạn nói là an toàn."
        ),
        "en": "Can staff message you on this channel? We only message you if you say it is safe.",
    },
    "urgent_contact_time": {
        "vi": "Lúc nào nhắn cho bạn là an toàn (ví dụ: sau 22 giờ)?",
        "en": "When is it safe to message you (for example: after 10 pm)?",
    },
    "report_what": {
        "vi": "Bạn đã thấy hoặc nghe điều gì khiến bạn lo ngại? Kể ngắn gọn thôi.",
        "en": "What did you see or hear that worries you? A few words are enough.",
    },
    "report_where": {
        "vi": "Việc đó xảy ra ở đâu (tỉnh, xã, hoặc nước nào)? Để chuyển đúng nơi xử lý.",
        "en": "Where did it happen (province, commune or country)? So it goes to the right office.",
    },
    "report_who": {
        "vi": (
            "Ai có thể đang gặp nguy cơ: khoảng bao nhiêu tuổi, là người thân của bạn hay người "
            "khác? Trẻ dưới 18 tuổi được ưu tiên."
        ),
        "en": (
            "Who may be at risk: about how old, and are they your relative or someone else? "
            "Children under 18 come first."
        ),
    },
    "report_when": {
        "vi": "Chuyện này xảy ra khi nào? Để cán bộ biết tin còn mới hay đã lâu.",
        "en": "When did this happen? So staff know how recent it is.",
    },
    "report_how_known": {
        "vi": (
            "Bạn biết chuyện này qua đâu (tự thấy, người quen kể, trên mạng)? "
            "Để cán bộ biết nên xác minh từ đâu."
        ),
        "en": (
            "How do you know about it (you saw it, someone told you, online)? "
            "So staff know where to start checking."
        ),
    },
    "report_recruiter": {
        "vi": (
            "Bạn có đường link, số điện thoại hoặc tên của người môi giới, tuyển dụng nghi vấn "
            "không? Thông tin này giúp cơ quan chức năng xác minh."
        ),
        "en": (
            "Do you have a link, phone number or name of the suspected recruiter or broker? "
            "It helps the authorities check."
        ),
    },
    "report_anonymous": {
        "vi": (
            "Bạn có muốn giấu tên không? Nếu giấu tên, chúng tôi không hỏi và không lưu thông tin "
            "liên lạc của bạn."
        ),
        "en": (
            "Do you want to stay anonymous? If so, we will not ask for or keep any contact details."
        ),
    },
    "report_contact": {
        "vi": (
            "Cán bộ có thể liên hệ lại bạn qua kênh này, hoặc bạn để lại số điện thoại. "
            'Gõ "không" nếu bạn không muốn được liên hệ.'
        ),
        "en": (
            "Staff can contact you on this channel, or you can leave a phone number. "
            'Type "no" if you do not want to be contacted.'
        ),
    },
    "help_needs": {
        "vi": (
            "Bạn cần hỗ trợ gì: giấy tờ, y tế, tâm lý, pháp lý, chỗ ở, đi lại về nhà, học tập, "
            "việc làm, vay vốn? Chọn một nút, hoặc gõ nhiều mục (ví dụ: giấy tờ, y tế)."
        ),
        "en": (
            "What support do you need: documents, medical, psychological, legal, shelter, travel "
            "home, schooling, jobs, loans? Tap one, or type several (e.g. documents, medical)."
        ),
    },
    "help_group": {
        "vi": (
            "Để biết bạn được hưởng chế độ nào theo luật, bạn là: nạn nhân, người đang được xác "
            "định là nạn nhân, trẻ em đi cùng nạn nhân, hay người nhà của nạn nhân?"
        ),
        "en": (
            "To tell you what the law gives you, are you: a victim, a person being identified as "
            "a victim, a child travelling with a victim, or a family member?"
        ),
    },
    "help_location": {
        "vi": "Hiện bạn đang sống ở đâu (tỉnh hoặc nước nào)? Để nối bạn với nơi hỗ trợ gần nhất.",
        "en": "Where do you live now (province or country)? To connect you with the nearest help.",
    },
    "help_consent": {
        "vi": (
            "Cán bộ công tác xã hội có thể nhắn cho bạn qua kênh này không? Chúng tôi chỉ liên hệ "
            "khi bạn đồng ý và nói là an toàn."
        ),
        "en": (
            "Can a social worker message you on this channel? We only contact you if you agree "
            "and say it is safe."
        ),
    },
}

SKIP_BUTTON: Texts = {"vi": "Bỏ qua", "en": "Skip"}
YES_NO: dict[str, tuple[Texts, Texts]] = {
    "yes": ({"vi": "Có", "en": "Yes"}, {"vi": "có", "en": "yes"}),
    "no": ({"vi": "Không", "en": "No"}, {"vi": "không", "en": "no"}),
}
YES_NO_SLOTS = {"urgent_minor", "urgent_safe_contact", "report_anonymous", "help_consent"}
# One need per button; several can be typed ("giấy tờ, y tế"): validate_help_form reads them all.
NEED_BUTTONS: tuple[Texts, ...] = (
    {"vi": "Giấy tờ", "en": "Documents"},
    {"vi": "Y tế", "en": "Medical"},
    {"vi": "Tâm lý", "en": "Counselling"},
    {"vi": "Pháp lý", "en": "Legal"},
    {"vi": "Chỗ ở", "en": "Shelter"},
    {"vi": "Về nhà", "en": "Travel home"},
    {"vi": "Học tập", "en": "School"},
    {"vi": "Việc làm", "en": "Job"},
    {"vi": "Vay vốn", "en": "Loan"},
)
GROUP_BUTTONS: tuple[Texts, ...] = (
    {"vi": "Nạn nhân", "en": "Victim"},
    {"vi": "Đang được xác định", "en": "Being identified"},
    {"vi": "Trẻ em đi cùng", "en": "Child with a victim"},
    {"vi": "Người nhà", "en": "Family member"},
)

CHOICE_BUTTONS = {"help_needs": NEED_BUTTONS, "help_group": GROUP_BUTTONS}

CONFIRM: Texts = {
    "vi": (
        "Bạn xem lại giúp mình:\n{summary}\n"
        "Thông tin này đúng chưa? Khi bạn xác nhận, chúng tôi gửi mã hồ sơ để bạn theo dõi."
    ),
    "en": (
        "Please check:\n{summary}\nIs this right? When you confirm, we give you a case code "
        "to follow it up."
    ),
}
ANONYMOUS_LINE: Texts = {"vi": "Giấu tên: {value}", "en": "Anonymous: {value}"}
NOTHING_YET: Texts = {"vi": "(chưa có chi tiết)", "en": "(no details yet)"}


def buttons_for(slot: str, language: str) -> list[dict[str, str]]:
    buttons: list[dict[str, str]] = []
    if slot in YES_NO_SLOTS:
        buttons = [
            {"title": pick(title, language), "payload": pick(payload, language)}
            for title, payload in YES_NO.values()
        ]
    elif slot in CHOICE_BUTTONS:
        buttons = [
            {"title": pick(t, language), "payload": pick(t, language)} for t in CHOICE_BUTTONS[slot]
        ]
    return [*buttons, skip_button(language)]


def skip_button(language: str) -> dict[str, str]:
    """ "Bỏ qua": sent as the words, so the NLU reads it as a typed skip."""
    skip = pick(SKIP_BUTTON, language)
    return {"title": skip, "payload": skip.lower()}


class AskQuestion(Action, ABC):
    """Asks one form question; the subclasses below exist one per slot."""

    @abstractmethod
    def slot_name(self) -> str: ...

    def name(self) -> str:
        return f"action_ask_{self.slot_name()}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        language = conversation_language(tracker)
        slot = self.slot_name()
        if details_asked(tracker, slot):
            # They said "có" to "do you have a link or a name?": ask for it, not the yes/no again.
            dispatcher.utter_message(
                text=pick(DETAILS_PLEASE, language), buttons=[skip_button(language)]
            )
            return []
        dispatcher.utter_message(
            text=pick(QUESTIONS[slot], language), buttons=buttons_for(slot, language)
        )
        return []


def _ask_class(slot: str) -> type[AskQuestion]:
    # A module-level name: the action server pickles actions, which finds classes by name.
    name = f"Ask_{slot}"
    cls = type(name, (AskQuestion,), {"slot_name": lambda self: slot, "__module__": __name__})
    globals()[name] = cls
    return cls


ASK_ACTIONS = {slot: _ask_class(slot) for slot in QUESTIONS}


def report_summary(tracker: Tracker, language: str) -> str:
    """What the person told us, in their own words, before they confirm it.

    The answers of this pass, and of an earlier pass for a question skipped this time (a person who
    said the summary was not right answers again; "bỏ qua" keeps what they said before).
    """
    labels = REPORT_LABELS
    saved = str((tracker.get_slot("form_details") or {}).get("summary") or "")
    earlier = dict(line.split(": ", 1) for line in saved.splitlines() if ": " in line)
    lines = []
    for slot, label in labels.items():
        if not label:
            continue
        value = tracker.get_slot(slot)
        if value in (None, SKIPPED):
            value = earlier.get(label)
        if value is not None:
            lines.append(f"- {label}: {value}")
    anonymous = tracker.get_slot("report_anonymous") != "no"
    yes_no = YES_NO["yes" if anonymous else "no"][0]
    lines.append("- " + pick(ANONYMOUS_LINE, language, value=pick(yes_no, language)))
    return "\n".join(lines) if len(lines) > 1 else pick(NOTHING_YET, language)


class AskReportConfirm(Action):
    """The report's summary, to confirm before it is saved."""

    def name(self) -> str:
        return "action_ask_report_confirm"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        language = conversation_language(tracker)
        dispatcher.utter_message(
            text=pick(CONFIRM, language, summary=report_summary(tracker, language)),
            buttons=[
                {"title": pick(title, language), "payload": pick(payload, language)}
                for title, payload in YES_NO.values()
            ],
        )
        return []
