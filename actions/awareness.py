"""``action_answer_question``: answer a ``faq/<topic>`` question from the awareness knowledge base.

The ResponseSelector picks the topic; the answer text, its source and the next step come from
``content/kb`` (loaded once per process), in the person's language (the reply itself is built by
``content.answers``). When the selector is unsure the person gets the closest topics as buttons
instead of a possibly wrong answer.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import messages
from actions.case_words import names_someone, tells_more_after_a_form
from actions.help_requests import asks_for_support, note_support_request
from actions.offers import accept_offer
from actions.tracker_data import previous_turn
from content.abroad import find_country
from content.answers import (
    RETRIEVAL_INTENT,
    answered_entry,
    compose_answer,
    read_selection,
    reply_for,
    sources_request,
    without_support_offer,
)
from content.entitlements import need_entry, needs_text, support_asked_about
from content.knowledge import (
    LOW_CONFIDENCE_THRESHOLD,
    Entry,
    KnowledgeBase,
    default_knowledge_base,
)
from nlu import other_scripts
from nlu.normalize import fold, has_diacritics, nfc, normalize
from nlu.question import is_question
from nlu.triage_levels import HELP, REPORT, URGENT, level_for_intent

logger = logging.getLogger(__name__)


def message_language(tracker: Tracker) -> str:
    """The language the NLU's check found in the latest message (else the conversation's)."""
    parse = tracker.latest_message or {}
    return str((parse.get("chungtay") or {}).get("language") or tracker.get_slot("language") or "")


def answer_language(tracker: Tracker) -> str:
    """ "en" for English speakers and for scripts the knowledge base has no answers in (Chinese,
    Thai, Khmer, Lao: more of their readers read English than Vietnamese), otherwise Vietnamese."""
    language = message_language(tracker)
    return "en" if language == "en" or language in messages.HOTLINE_OTHER_LANGUAGE else "vi"


# Who might learn who told, and how people write "I", "know" and "report" (teencode included:
# "bit", "e", "mk" are left as typed by folding).
_ME = r"(?:toi|em|minh|tui|chau|con|e|mk|t|tao|to)"
_KNOW = r"(?:biet|bit|hay biet)"
_TELL = r"(?:bao|bao tin|to giac|to cao|trinh bao|ke|noi|khai)"
_THEY = (
    r"(?:ho|no|han|bon no|bon ho|chung no|tui no|nha no|ben do|nguoi ta|cong ty|gia dinh|"
    r"ke buon nguoi|bon buon nguoi|chu|ong chu|ba chu|cai nguoi do|thang do|ong ay|ba ay)"
)
# What a person about to give details asks first, inside a form: whether calling costs money and
# whether their tip stays confidential. On folded text: (the entry that says it, what the
# question looks like).
_IN_PASSING_FACTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "hotline_111",
        re.compile(
            r"\b(?:mat|ton|tinh|tra|het|bao nhieu) (?:tien|phi|cuoc)\b|\bmien phi\b|\bco phi\b"
            r"|\b(?:free|cost|costs|charge|charged|pay)\b"
        ),
    ),
    (
        "anonymous_follow_up",
        re.compile(
            r"\bbi mat\b|\bgiu kin\b|\bbi lo\b|\blo (?:ten|danh tinh|thong tin|ra)\b|\ban danh\b"
            r"|\bgiau ten\b|\btra thu\b|\btra dua\b|\bdanh tinh\b|\btiet lo\b"
            # "họ có biết ai báo không", "có ai biết tôi là người báo", "ng ta co bit e bao k"
            rf"|\b{_KNOW} (?:la |duoc )?(?:ai|{_ME}) (?:la nguoi )?(?:da |di |dang )?{_TELL}\b"
            rf"|\bla nguoi {_TELL}\b|\b{_KNOW} (?:ten|nha|so dien thoai|sdt) (?:cua )?{_ME}\b"
            # "bọn nó có tìm ra em không", "công ty có biết không", "nhà nó có phát hiện ra không"
            rf"|\b(?:tim|truy|lan|mo) (?:ra|den|toi) (?:duoc )?(?:{_ME}|nha)\b"
            r"|\bthong tin (?:cua )?\w+ (?:co |se )?(?:bi|duoc) (?:dua|gui|chuyen|cung cap|cho)\b"
            r"|\bbao (?:tin )?(?:vay |the |nhu vay |xong )?(?:thi )?(?:co |lieu co )?an toan\b"
            r"|\bconfidential|\banonymous|\bfind out\b|\bsecret\b|\bidentity\b|\bmy name\b"
            r"|\bknow (?:it was|that it was|who) |\bknow (?:i|it was me)\b"
            r"|\bwho (?:reported|told)\b"
            r"|\btraced?\b|\brevenge\b|\bretaliat|\bcome after\b|\bfor reporting\b"
        ),
    ),
)


# The questions people ask most, in shapes the selector is at times unsure of (it offered topics
# to "em báo ở đâu?" and "What support can I get?"): when it is unsure, the entry that answers the
# shape. On folded text: (entry, what the question looks like).
_REPORT_WORDS = r"(?:bao|bao tin|bao cao|to giac|to cao|trinh bao|khai bao|report|tell)"
_PAPERS = (
    # "cccd" is folded to "cd" (runs of one letter are squeezed: nlu.normalize.squeeze).
    r"(?:ho chieu|giay to|cccd|cd|can cuoc|chung minh|bang cap|passports?|ids?|documents?|papers)"
)
# Keeping someone's papers ("thu" but not "thủ tục", "lấy" is also "lấy lại", getting them back).
# "cầm" (holds) folds like "cấm" (forbids): either way the papers are the question (unaccented,
# "cam" is read as Campuchia by the teencode expansion).
_KEEP = r"(?:giu|cam|thu(?! tuc)|tich thu|keep|keeps|keeping|kept|hold|holds|holding|confiscate)"
_COMMON_QUESTIONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        # What happens to a tip and how long a check takes: "111 nhận tin rồi chuyển cho ai",
        # "quy trình hỗ trợ nạn nhân gồm những bước nào", "tự khai báo thì bao lâu được xác
        # minh", "who is the report passed to"
        "after_reporting",
        re.compile(
            r"^(?=.*\b(?:tin|bao|111|thong tin|reports?|tips?)\b)(?=.*\b(?:chuyen|gui|giao"
            r"|chuyen tiep|passed|sent|forwarded)\b.*\b(?:cho ai|den ai|toi ai|den dau|di dau"
            r"|cho co quan nao|den co quan nao|to whom|to who)\b)"
            r"|^(?=.*\b(?:quy trinh|cac buoc|nhung buoc|buoc nao|may buoc|process|steps)\b)"
            r"(?=.*\b(?:nan nhan|tiep nhan|ho tro|bao tin|to giac|victims?|reports?)\b)"
            r"|^(?=.*\b(?:xac minh|verif\w*)\b)(?=.*\b(?:bao lau|may ngay|bao nhieu ngay"
            r"|how long|how many days)\b)"
        ),
    ),
    (
        # A foreigner who saw or lived it in Vietnam: "I'm a tourist, can I report it?",
        # "người nước ngoài bị mua bán ở đây có được hỗ trợ không"
        "foreigners_report",
        re.compile(
            r"^(?=.*\b(?:foreign\w*|tourists?|not vietnamese|nguoi nuoc ngoai|khach du lich"
            r"|khach nuoc ngoai)\b)(?=.*\b(?:bao|to giac|report\w*|tell|help|giup|ho tro"
            r"|support)\b)"
        ),
    ),
    (
        # "em báo ở đâu", "tố giác cho ai", "báo cho cơ quan nào", "tôi báo ai", "trình báo
        # trực tiếp thì đến những cơ quan nào", "where do I report it", "can I report it"
        "how_to_report",
        re.compile(
            rf"\b{_REPORT_WORDS} (?:\w+ ){{0,8}}(?:o dau|cho ai|voi ai|den dau|cho co quan nao"
            rf"|co quan nao|noi nao|cho nao|o cho nao)\b"
            r"|\b(?:bao|to giac|trinh bao) ai\b"
            rf"|\b(?:where|who|how) (?:do|can|should|could) (?:i|we|you) {_REPORT_WORDS}\b"
            rf"|\b(?:where|who|how) to {_REPORT_WORDS}\b|\bcan (?:i|we) report\b"
        ),
    ),
    (
        # The police's number: "gặp nguy hiểm thì gọi công an số mấy", "sđt công an khẩn cấp là
        # gì", "what is the police emergency number" (the 111 entry gives 113 too); whether 111
        # answers at night or costs anything ("tổng đài 111 có nghe máy ban đêm không").
        "hotline_111",
        re.compile(
            r"\b(?:cong an|canh sat|police|khan cap|emergency)\b(?: \w+){0,4} (?:so may|so nao"
            r"|so gi|la so|bao nhieu|la gi|numbers?)\b"
            r"|^(?=.*\b(?:111|tong dai|duong day nong|hotline)\b)(?=.*\b(?:dem|khuya|truc"
            r"|24/7|24/24|at night|mien phi|mat tien|mat phi|ton tien|tinh phi|free|cost|costs)\b)"
        ),
    ),
    (
        # "gọi số nào", "số đường dây nóng là bao nhiêu", "what number do I call"
        "hotline_111",
        re.compile(
            r"\bgoi (?:cho )?(?:so|dau so|tong dai|duong day nong) (?:nao|may|gi|bao nhieu)\b"
            r"|\b(?:so|so dien thoai|dau so|tong dai|duong day nong) (?:\w+ ){0,4}(?:la )?"
            r"(?:so nao|so may|so gi|bao nhieu)\b"
            r"|\b(?:what|which) (?:is the )?(?:phone )?(?:number|hotline)\b"
        ),
    ),
    (
        # "được hỗ trợ những gì", "được hưởng chế độ gì", "what support can I get"
        "support_regimes_overview",
        re.compile(
            r"\bduoc (?:nha nuoc )?(?:ho tro|huong|giup|nhan)(?: duoc)? (?:nhung |cac )?"
            r"(?:(?:che do|quyen loi|chinh sach|ho tro)(?: ho tro)? )?(?:gi|nao|nhung gi)\b"
            r"|\bwhat (?:kind of |kinds of )?(?:support|help|assistance|benefits?|services?) "
            r"(?:can|could|do|does|did|will|would|might|is there for|are there for) "
            # Who is in charge of victim support now: "cơ quan nào phụ trách hỗ trợ nạn nhân",
            # "which ministry is responsible for supporting victims" (the provincial Department
            # of Health, which the overview names).
            r"|^(?=.*\b(?:co quan nao|so nao|bo nao|which (?:ministry|department|agency"
            r"|authority))\b)(?=.*\b(?:phu trach|quan ly|chiu trach nhiem|in charge"
            r"|responsible)\b)(?=.*\b(?:ho tro|support\w*)\b)"
        ),
    ),
    (
        # "nạn nhân được ở cơ sở bao lâu", "how long can a victim stay in a shelter"
        "shelters",
        re.compile(
            r"^(?=.*\b(?:co so|nha tam lanh|trung tam|mai am|shelters?|facilit(?:y|ies)|centres?"
            r"|centers?)\b)(?=.*\b(?:bao lau|toi da may|may ngay|how long|how many days)\b)"
        ),
    ),
    (
        # "bị lừa ở nước ngoài thì liên hệ đâu để được về nước", "who helps me abroad to get home"
        "abroad_help",
        re.compile(
            r"^(?=.*\b(?:o nuoc ngoai|ben nuoc ngoai|abroad|overseas)\b)"
            r"(?=.*\b(?:lien he|lien lac|nho|goi|tim|bao|contact|call|ask) (?:\w+ ){0,2}"
            r"(?:o dau|dau|ai|co quan nao|who|where|whom)\b|.*\b(?:how|who|where)\b.*"
            r"\b(?:get|come|go|return) (?:back )?home\b|.*\bde (?:duoc )?ve nuoc\b)"
        ),
    ),
    (
        # "chủ giữ giấy tờ của công nhân như vậy có đúng luật không", "công ty có được giữ hộ
        # chiếu không", "is it legal for my boss to keep my passport"
        "warning_signs_forced_labour",
        re.compile(
            rf"^(?=.*\b{_KEEP} (?:\w+ ){{0,3}}{_PAPERS}\b)"
            r"(?=.*\b(?:dung luat|dung phap luat|hop phap|trai luat|trai phap luat|trai phep"
            r"|vi pham|co sai|sai luat|legal|illegal|allowed|against the law|lawful)\b"
            rf"|.*\b(?:co duoc|duoc phep|duoc quyen|can|may) (?:\w+ ){{0,3}}{_KEEP}\b"
            # "bị cty giữ cccd không trả, cty làm vậy được không"
            r"|.*\b(?:lam vay|lam the|nhu vay|nhu the) (?:co )?duoc (?:khong|ko|k|hong)\b)"
        ),
    ),
    (
        # "có nên nộp tiền trước khi ký hợp đồng không", "should I pay before the contract"
        "safe_migration_check_company",
        re.compile(
            r"^(?=.*\b(?:tien|phi|coc|dat coc|nop|dong|chuyen khoan|pay|paying|fee|fees|deposit)\b)"
            r"(?=.*\b(?:truoc khi|chua) ky (?:hop dong|hd)\b|.*\bbefore (?:signing|i sign|we sign"
            r"|the contract|a contract|any contract)\b)"
        ),
    ),
    (
        # Checking a recruiter: "làm sao biết công ty này có đáng tin không", "kiểm tra cty
        # xkld có phép ở đâu", "how can I check the agency is licensed"
        "safe_migration_check_company",
        re.compile(
            r"^(?=.*\b(?:cong ty|doanh nghiep|trung tam|agency|agencies|company|companies"
            r"|recruiters?)\b)(?=.*\b(?:lam sao biet|kiem tra|tra cuu|check|co phep|giay phep"
            r"|cap phep|uy tin|licen[cs]\w*)\b)"
        ),
    ),
    (
        # The law itself: "nghị định nào hướng dẫn …", "luật mới có hiệu lực từ bao giờ", "luật
        # năm 2011 còn hiệu lực không", "when did the law come into force", "which decree …"
        "law_2024",
        re.compile(
            r"\bnghi dinh (?:nao|so may|so bao nhieu|gi)\b|\b(?:van ban|nghi dinh) (?:nao )?"
            r"huong dan\b|\bwhich decree\b"
            r"|^(?=.*\bluat\b)(?=.*\b(?:hieu luc|thong qua|so hieu|bat dau ap dung"
            r"|ap dung tu|con ap dung)\b)"
            r"|^(?=.*\blaws?\b)(?=.*\b(?:in force|into force|into effect|take effect|took effect"
            r"|effective|passed)\b)"
        ),
    ),
    (
        # An unborn child or a surrogate pregnancy: "thỏa thuận bán con khi còn là bào thai có bị
        # cấm không", "mang thai hộ lấy tiền có hợp pháp không", "is surrogacy for money legal"
        "tactic_surrogacy_baby_selling",
        re.compile(
            r"\b(?:bao thai|thai nhi|trong bung|mang thai ho|mang bau ho|de thue|de ho"
            r"|surroga\w*|unborn)\b"
        ),
    ),
    (
        # Selling a kidney ("bạn thân", a close friend, folds to the same "ban than": only the
        # kidney's own words and the ways a sale is asked about).
        "tactic_organ_trade",
        re.compile(
            r"\b(?:qua than|mua than|ban than lay|ban than de|ghep than|noi tang|bo phan co the"
            r"|kidneys?|organs?)\b"
        ),
    ),
    (
        # An offer abroad asked about: "có người mời làm streamer bên Thái, bao ăn ở, có lừa
        # không", "chiêu việc nhẹ lương cao diễn ra thế nào"
        "tactic_easy_job_high_pay",
        re.compile(
            r"\bviec nhe luong cao\b|\beasy (?:jobs?|work)\b"
            r"|^(?=.*\b(?:moi|ru|tuyen|gioi thieu|offer\w*|invite\w*|recruit\w*)\b)"
            r"(?=.*\b(?:campuchia|myanmar|malaysia|dubai|thai lan|cambodia|laos|thailand"
            r"|(?:ben|sang|qua|o|di) (?:cam|lao|thai))\b)"
            r"(?=.*\b(?:lua|lua dao|bay|dang tin|tin duoc|co that|an toan|co nen|scam|legit"
            r"|trap|safe)\b)"
        ),
    ),
    (
        # How traffickers use social networks: "bọn buôn người hay làm quen qua mạng xã hội nào",
        # "kẻ xấu dụ dỗ trên mạng bằng cách nào", "how do traffickers groom people online"
        "tactic_online_grooming",
        re.compile(
            r"^(?=.*\b(?:mang xa hoi|qua mang|tren mang|online|social media|facebook|tiktok"
            r"|zalo|telegram|wechat|instagram)\b)(?=.*\b(?:lam quen|du do|tiep can|cach nao"
            r"|the nao|chieu|thu doan|mang xa hoi nao|groom\w*|lure\w*|approach\w*)\b)"
        ),
    ),
    (
        # Who is trafficked: "những ai hay bị mua bán nhất", "đàn ông có bị buôn bán không",
        # "who is most often trafficked", "are men trafficked too"
        "other_forms",
        re.compile(
            r"\b(?:nhung ai|doi tuong nao|nguoi nao|nhom nao|ai|who)\b(?: \w+){0,3} (?:hay"
            r"|de bi|thuong|most|often|usually)\b.*\b(?:bi mua ban|bi buon ban|bi ban|mua ban"
            r"|trafficked)\b"
            r"|\b(?:dan ong|nam gioi|con trai|men|males?)\b.*\b(?:bi mua ban|bi buon|bi ban"
            r"|trafficked)\b"
        ),
    ),
    (
        # Consent under 18: "đứa 17 tuổi tự nguyện đi theo thì có tính là mua bán người không",
        # "is it still trafficking if a 16 year old agreed"
        "child_trafficking_under_18",
        re.compile(
            r"^(?=.*\b(?:(?:1[0-7]|[1-9]) ?(?:tuoi|t|years? old|yo)|(?:is|aged?) 1[0-7]"
            r"|duoi 18|chua du 18|under 18|minors?|vi thanh nien|chua thanh nien)\b)"
            r"(?=.*\b(?:tu nguyen|dong y|tu di|tu y|ung thuan|chiu di|khong bi ep|agreed|agrees"
            r"|consent\w*|willing\w*|not forced)\b)"
            r"(?=.*\b(?:mua ban|buon ban|buon nguoi|bi ban|bi buon|trafficking|trafficked)\b)"
        ),
    ),
    (
        # Whether relatives are protected too: "người thân của em có được bảo vệ không"
        "privacy_and_refusing_support",
        re.compile(
            r"^(?=.*\b(?:nguoi than|gia dinh|bo me|nguoi nha|relatives?|family|parents)\b)"
            r"(?=.*\b(?:duoc bao ve|bao ve|protect\w*)\b)"
        ),
    ),
    (
        # Punished after being made to cross illegally or to work a scam: "bị lừa vượt biên,
        # về có bị phạt không"; without being deceived or forced, the rules for leaving to work.
        "non_punishment",
        re.compile(
            r"^(?=.*\b(?:vuot bien|di chui|trai phep|lam lua dao|illegal\w*|scam\w*)\b)"
            r"(?=.*\b(?:bi phat|xu phat|bi (?:cong an |canh sat )?bat|bi xu ly|di tu|punish\w*"
            r"|arrest\w*|fined|jail|prison)\b)(?=.*\b(?:bi lua|bi ban|bi ep|bi mua ban|nan nhan"
            r"|trafficked|forced|tricked)\b)"
        ),
    ),
    (
        "working_abroad_legally",
        re.compile(
            r"^(?=.*\b(?:vuot bien|di chui|xuat canh trai phep|illegal\w*)\b)"
            r"(?=.*\b(?:bi phat|xu phat|bi (?:cong an |canh sat )?bat|bi xu ly|di tu|punish\w*"
            r"|arrest\w*|fined|jail|prison)\b)"
        ),
    ),
    (
        # Whether an employer may keep workers' papers ("công ty giữ giấy tờ của công nhân như
        # vậy có phạm luật không?"): the entry that says the Labour Code forbids it.
        "lost_documents",
        re.compile(
            r"^(?=.*\b(?:giu|thu(?! tuc)|cam|tam giu|keep\w*|hold\w*|took|take\w*) (?:\w+ ){0,4}"
            r"(?:giay to|can cuoc|cccd|cmnd|ho chieu|passports?|ids?|papers|documents)\b)"
            r"(?=.*\b(?:pham luat|phap luat|trai luat|trai phep|vi pham|co duoc (?:khong|ko|k)|"
            r"duoc phep|dung luat|legal|illegal|allowed|against the law)\b)"
        ),
    ),
    (
        # Shame and gossip after coming back: "về làng ai cũng xì xào, tôi xấu hổ"
        "stigma_reintegration",
        re.compile(
            r"\b(?:ki thi|ky thi|di nghi|xi xao|ban tan|noi xau|xau ho|mac cam|xa lanh|stigma\w*"
            r"|ashamed|shame)\b"
        ),
    ),
)


def common_question(text: str, kb: KnowledgeBase) -> Entry | None:
    """The entry that answers one of the questions people ask most, by its shape (None: none)."""
    if other_scripts.asks_about_cost(text):
        return kb.get("hotline_111")  # "打这个号码要钱吗？": 111 is free
    folded = " ".join(fold(text).split())
    if asks_from_abroad(text) and (entry := kb.get("abroad_help")) is not None:
        return entry
    for entry_id, pattern in _COMMON_QUESTIONS:
        if pattern.search(folded) and (entry := kb.get(entry_id)) is not None:
            return entry
    return None


# How to reach anyone, get home or get papers, asked from a country abroad ("I stay in a shelter
# in Bangkok, I want to go home but have no passport", "can our clients in Thailand call 111 from
# there?"): the mission abroad, as 111 and 113 may not work there. Not someone back home already.
_REACH_OR_RETURN = re.compile(
    r"\b(?:111|113|call|phone|contact|reach|go home|get home|return home|come home|passport|"
    r"lien he|lien lac|goi|ve nuoc|ve viet nam|ve vn|ho chieu|dai su quan|lanh su|embassy|"
    r"consulate)\b"
)
_ABROAD = re.compile(
    r"\b(?:abroad|overseas|from there|o nuoc ngoai|tu nuoc ngoai|ben nuoc ngoai|tu ben do|"
    r"o ben do)\b"
)
_BACK_HOME = re.compile(
    r"\b(?:da ve|ve roi|tro ve|duoc ve|back home|came back|come back|returned|got home)\b"
)


def asks_from_abroad(text: str) -> bool:
    """The question asks how to reach help, get home or get papers from a country abroad."""
    folded = " ".join(fold(text).split())
    if not _REACH_OR_RETURN.search(folded) or _BACK_HOME.search(folded):
        return False
    return bool(_ABROAD.search(folded)) or find_country(text) is not None


# When the selector is below LOW_CONFIDENCE_THRESHOLD but its first topic stands well clear of the
# second, that topic is nearly always the right one. Measured on tests/nlu/awareness_testset.yml
# with the model of 2026-12-06 (chungtay-665161d7e7635341): 46 of 231 questions fell below 0.5;
# a first topic at 0.35 or more and at least twice the second answers 13 of them, 12 rightly
# (0.3 and twice: 16, 14 rightly; 0.2 and twice: 21, 17 rightly), so 86% of the set is answered
# at once with about 2.5% wrong answers instead of 80% with about 2%.
CLEAR_LEADER_CONFIDENCE = 0.35
CLEAR_LEADER_RATIO = 2.0


def clear_leader(parse_data: Mapping[str, Any], kb: KnowledgeBase) -> Entry | None:
    """The selector's first topic when it is unsure overall but far ahead of the next one."""
    ranking = read_selection(parse_data).ranking
    if not ranking:
        return None
    (first, confidence), runner_up = ranking[0], (ranking[1][1] if len(ranking) > 1 else 0.0)
    if confidence < CLEAR_LEADER_CONFIDENCE or confidence < CLEAR_LEADER_RATIO * runner_up:
        return None
    return kb.get(first)


def reply_to_question(
    parse_data: Mapping[str, Any], language: str, kb: KnowledgeBase
) -> tuple[str, list[dict[str, Any]], Entry | None]:
    """The reply to a question outside a form: the selector's topic; when it is unsure, the entry
    of a question people ask most (by its shape), else its first topic if that one stands clear
    of the rest; else the closest topics as buttons."""
    text, buttons, entry = reply_for(parse_data, language, kb)
    if entry is None and (
        (found := common_question(str(parse_data.get("text") or ""), kb)) is not None
        or (found := clear_leader(parse_data, kb)) is not None
    ):
        text, buttons = compose_answer(found, kb, language, str(parse_data.get("text") or ""))
        entry = found
    return text, buttons, entry


# "Họ có biết không", "công ty có phát hiện ra không": whether they will learn of the tip, unless
# the question just asked is itself about who knows, where it may be about something else; there
# it is the reporter's worry only when it names the reporter ("ai báo", "em báo", "biết tôi").
_THEY_KNOW = re.compile(rf"\b{_THEY} (?:co |se |lieu co )?(?:{_KNOW}|phat hien|nghi)\b")
_NAMES_REPORTER = re.compile(rf"\b(?:ai {_TELL}|{_ME} (?:da |di |dang )?{_TELL}|{_ME})\b")
# Form questions about who knows what ("Bạn biết chuyện này qua đâu?").
WHO_KNOWS_QUESTIONS = frozenset({"report_how_known"})


def _fact_asked(text: str, kb: KnowledgeBase, asked: str | None = None) -> Entry | None:
    folded = " ".join(fold(text).split())
    for entry_id, pattern in _IN_PASSING_FACTS:
        if pattern.search(folded) and (entry := kb.get(entry_id)) is not None:
            return entry
    if _THEY_KNOW.search(folded) and (
        asked not in WHO_KNOWS_QUESTIONS or _NAMES_REPORTER.search(folded)
    ):
        return kb.get("anonymous_follow_up")
    return None


# "Will the company know who reported?" without its question mark: nlu.question reads an English
# question from its first words only after a pronoun (changing it there retrains the model).
_ENGLISH_ASKS = re.compile(r"^(?:will|would|could|can|do|does|did|may|might|is|are)\s")


# A message's clauses (a question may come first and a worry after it).
_CLAUSES = re.compile(r"[,.;!?…]+")
QUESTION_CLAUSE_MIN_WORDS = 3


def asks_in_passing(text: str) -> bool:
    """A question asked inside a form, or a worry about confidentiality or cost asked in English
    without a question mark."""
    if is_question(text):
        return True
    if _fact_asked(text, default_knowledge_base()) is None:
        return False
    # "tên tôi có bị lộ ra không, tôi sợ mất việc": a fact asked in a clause, a worry after it.
    if any(
        is_question(clause)
        for clause in _CLAUSES.split(text)
        if len(clause.split()) >= QUESTION_CLAUSE_MIN_WORDS
    ):
        return True
    return bool(_ENGLISH_ASKS.match(" ".join(text.lower().split())))


def answer_in_passing(
    parse_data: Mapping[str, Any], language: str, asked: str | None = None
) -> str:
    """The answer to a question asked inside a form: text only (a topic button pressed there
    would be taken as the form's answer), or the 111 line when the selector is unsure.

    Whether calling costs money or the tip stays confidential gets the entry that says that fact,
    whatever topic the selector chose (or none); when the selector is unsure, one of the questions
    people ask most gets its entry; ``asked`` is the form question just asked.
    """
    lang = "en" if language == "en" else "vi"
    kb = default_knowledge_base()
    selection = read_selection(parse_data)
    entry = kb.get(selection.entry_id) if selection.entry_id else None
    if entry is not None and selection.confidence < LOW_CONFIDENCE_THRESHOLD:
        entry = None
    text = str(parse_data.get("text") or "")
    # One of the questions people ask most says what it asks ("should I pay before signing?" is
    # about the fees, not what a call to 111 costs).
    common = common_question(text, kb)
    entry = entry or common
    fact = _fact_asked(text, kb, asked)
    if fact is not None and (
        common is None or fact.id == "anonymous_follow_up" or fact.id == common.id
    ):
        # The entry that says the fact for someone about to report ("họ có biết ai báo không"
        # is the reporter's worry, not the victim's rights a close topic also lists); a worry
        # about being found out always gets it, and so does a cost asked in a shape that is
        # itself a common question ("gọi 111 có tốn tiền không" names the hotline entry twice).
        entry = fact
    needs = support_asked_about(text)
    if needs and (entry is None or (entry is fact and fact.id != "anonymous_follow_up")):
        # "có chỗ nào khám bệnh miễn phí cho cháu không?": free care, not what a call costs.
        entry = need_entry(needs[0], kb)
    if entry is None:
        return messages.pick(messages.QUESTION_FALLBACK, lang)
    return "\n\n".join((entry.answer_to(text, lang), entry.source_line(lang)))


def next_step_buttons(language: str) -> list[dict[str, str]]:
    return messages.buttons(messages.NEXT_STEP_BUTTONS, language)


# A question that describes a concrete offer ("cty bên Lào tuyển nv, bao vé máy bay, có đáng tin
# không?") is often classified as a tip: it is answered with that tactic, which is what was asked,
# and the report is offered, not started (action_read_question).
OFFER_TOPICS = ("tactic_", "warning_signs_", "safe_migration_")
# "hk" is "không" in teencode ("cty xkld có phép hk"), left as typed by folding.
_QUESTION_WORDS = frozenset({"khong", "chua", "sao", "gi", "nhi", "a", "ha", "hong", "hem", "hk"})
# The same particles as written with their accents: an accented last word that folds to one of
# them may be a name or another word ("… tên Hà", "… ở Ninh Hà").
_QUESTION_WORDS_ACCENTED = frozenset({
    "không", "chưa", "sao", "gì", "nhỉ", "à", "hả", "hông", "hem", "ko", "k", "hok", "hk", "hở",
    "ạ",
})  # fmt: skip
_QUESTION_PHRASES = (
    "co nen",
    "co an toan",
    "dang tin",
    "tin duoc",
    "co that",
    "co phai",
    "co lua",
    "lua dao khong",
    "should i",
    "is it safe",
    "is this",
    "is it a",
    "could it be",
    "legit",
    "can i trust",
)


def _particle_as_written(text: str) -> bool:
    """The last word is a question particle as the person wrote it (unaccented text: as folded)."""
    if not has_diacritics(text):
        return True
    written = normalize(text).split()
    return bool(written) and written[-1] in _QUESTION_WORDS_ACCENTED


def asks_a_question(text: str) -> bool:
    """The message is phrased as a question (in any of the written forms)."""
    from nlu.normalize import fold  # plain Python, importable from both venvs

    folded = f" {fold(text)} "
    words = folded.split()
    return (
        is_question(text)
        or bool(words and words[-1] in _QUESTION_WORDS and _particle_as_written(text))
        or any(f" {phrase} " in folded for phrase in _QUESTION_PHRASES)
    )


def answer_inside_tip(
    parse_data: Mapping[str, Any],
    language: str,
    kb: KnowledgeBase,
    *,
    threshold: float = LOW_CONFIDENCE_THRESHOLD,
) -> Entry | None:
    """The tactic entry to answer first when a tip is really a question about an offer."""
    if not asks_a_question(str(parse_data.get("text") or "")):
        return None
    selection = read_selection(parse_data)
    entry = kb.get(selection.entry_id) if selection.entry_id else None
    if entry is None or selection.confidence < threshold or not entry.id.startswith(OFFER_TOPICS):
        return None
    return entry


class ActionAnswerQuestion(Action):
    """Answers awareness questions (retrieval intent ``faq``) with a sourced entry."""

    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        parse = tracker.latest_message or {}
        if (parse.get("chungtay") or {}).get("triage") == "urgent":
            # Danger revealed mid-question: safety first, the answer can wait.
            return [FollowupAction("action_handle_urgent")]
        intent = (parse.get("intent") or {}).get("name")
        asked = bool(tracker.get_slot(QUESTION_SLOT)) or is_question(str(parse.get("text") or ""))
        # A place the selector took for a topic, said after an answer that offered a case: the
        # person accepts it.
        if not asked and (accepted := accept_offer(tracker)) is not None:
            return accepted
        if intent != RETRIEVAL_INTENT and not asked:
            logger.debug("action_answer_question called for intent %s; nothing to answer", intent)
            return []
        language = answer_language(tracker)
        kb = default_knowledge_base()
        if (sources_of := sources_request(str(parse.get("text") or ""), kb)) is not None:
            dispatcher.utter_message(text=sources_of.sources_text(language))
            return []
        text, buttons, entry = reply_to_question(parse, language, kb)
        said = str(parse.get("text") or "").strip()
        support = asks_for_support(tracker)
        if entry is None and asked and (follow := follow_up_answer(tracker, said, kb, language)):
            # "Is it free?", "mấy giờ thì gọi được?" right after an answer: about that answer.
            text, buttons, entry = follow
        elif ((entry is None and asked) or (support and not answers_a_request(entry))) and (
            needs := support_asked_about(said)
        ):
            # "có chỗ nào khám bệnh miễn phí cho em không?", "chỗ chữa trị, và trợ giúp pháp
            # lý?": what the law gives for the support named, rather than a menu of topics; and
            # for a request ("… bị ép đẻ thuê, giờ hay khóc, có được khám với tư vấn gì
            # không"), rather than the topic of the story it tells.
            entry = need_entry(needs[0], kb)
            text, buttons = compose_answer(entry, kb, language, said)
            if len(needs) > 1:
                text = needs_text(needs, language, kb)
        # "cảm ơn ạ, à em nhớ ra …" after a form is news too, whatever topic it resembled.
        news = entry is None or tells_more_after_a_form(said) or names_someone(said)
        if news and not asked and not asks_a_question(said):
            # No topic fits and nothing was asked: someone with an open case telling more
            # ("à, bà ấy hay đi xe Vision đỏ") is heard, not offered topics. (smalltalk imports
            # this module, hence the import here.)
            from actions.smalltalk import added_to_case

            if await added_to_case(tracker, dispatcher, said, language):
                return []
        logger.info("awareness answer: %s", entry.id if entry else "suggestions")
        if own_words := messages.HOTLINE_OTHER_LANGUAGE.get(message_language(tracker)):
            dispatcher.utter_message(text=own_words)
        if support:
            # The request goes on file next, with its own offer of the form.
            text, buttons = without_support_offer(text, buttons, language)
        dispatcher.utter_message(text=text, buttons=buttons)
        if support and (noted := await note_support_request(tracker, dispatcher, language)):
            return noted
        # The classifier's own reading, before the NLU turned a question about an offer, a place
        # to go or confidentiality into faq: the person is close to a tip or a request.
        original = str((parse.get("chungtay") or {}).get("original_intent") or "")
        close_to_a_case = bool(original) and level_for_intent(original) in (URGENT, REPORT, HELP)
        if intent != RETRIEVAL_INTENT or close_to_a_case:
            # A tip or a request asked as a question: answered first; the form is offered, not
            # started, and the question is never stored as its first answer.
            dispatcher.utter_message(
                text=messages.pick(messages.NEXT_STEPS, language),
                buttons=next_step_buttons(language),
            )
        return []


# Entries that answer someone's own request (where to stay, papers, a child born abroad, the
# support the law gives): the selector's choice stands for a support request. Any other topic is
# the story's, and the support the request names answers it instead.
_REQUEST_ENTRIES = frozenset(
    {
        "shelters",
        "lost_documents",
        "children_born_abroad",
        "abroad_help",
        "non_punishment",
        "becoming_identified",
        "person_being_identified",
        "stigma_reintegration",
        "privacy_and_refusing_support",
    }
)


def answers_a_request(entry: Entry | None) -> bool:
    return entry is not None and (entry.id.startswith("support_") or entry.id in _REQUEST_ENTRIES)


QUESTION_SLOT = "asks_question"
# A follow-up ("Is it free?", "ở đâu vậy?") is short; a longer question names its own topic,
# unless it points back at the answer ("nếu người quen rủ mình đi như vậy thì nên làm gì?").
FOLLOW_UP_MAX_WORDS = 8
POINTING_BACK_MAX_WORDS = 20
_POINTS_BACK = re.compile(
    r"\b(?:nhu vay|nhu the|nhu tren|truong hop (?:do|nay|tren|nhu vay)|vay thi|the thi|"
    r"like that|like this|in that case|such (?:an )?(?:offer|case|situation))\b"
)


# "Vậy ở Huế thì mình liên hệ cơ quan nào …?": "so", opening the sentence, goes on from the answer
# (read with its accent: "vay" alone is also a loan).
_OPENS_WITH_SO = ("vậy ", "vậy,", "thế,", "so ", "so,")  # not "thế giới" (the world)


def points_back(said: str) -> bool:
    """The question goes on from the answer just given ("như vậy thì …", "Vậy ở Huế thì …")."""
    opening = " ".join(nfc(said).lower().split())
    return bool(_POINTS_BACK.search(fold(said))) or opening.startswith(_OPENS_WITH_SO)


def follow_up_topic(tracker: Tracker, said: str, kb: KnowledgeBase) -> Entry | None:
    """The topic a short question the selector was unsure of follows up on: the fact it asks
    (cost, confidentiality) or else the answer given just before it; None when the assistant's
    last reply was no answer."""
    words = len(said.split())
    if words > FOLLOW_UP_MAX_WORDS and not (words <= POINTING_BACK_MAX_WORDS and points_back(said)):
        return None
    previous = next(
        (
            entry
            for event in previous_turn(tracker)
            if event.get("event") == "bot"
            and (entry := answered_entry((event.get("data") or {}).get("buttons") or [], kb))
        ),
        None,
    )
    if previous is None:
        return None
    return _fact_asked(said, kb) or previous


def follow_up_answer(
    tracker: Tracker, said: str, kb: KnowledgeBase, language: str
) -> tuple[str, list[dict[str, Any]], Entry] | None:
    """The reply to a short question that follows up on the answer just given (its text,
    buttons and entry: ``follow_up_topic``); None when it follows up on none."""
    entry = follow_up_topic(tracker, said, kb)
    if entry is None:
        return None
    text, buttons = compose_answer(entry, kb, language, said)
    return text, buttons, entry


class ActionReadQuestion(Action):
    """Fills ``asks_question`` (a custom slot mapping, run before the next action is chosen) so the
    rules answer a question-shaped tip or request first instead of opening its form.

    Danger now is never a question to answer first: the urgent path goes on as before.
    """

    def name(self) -> str:
        return "action_read_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        parse = tracker.latest_message or {}
        urgent = (parse.get("chungtay") or {}).get("triage") == "urgent"
        # "… bà ấy lo hết giấy tờ, có an toàn hk ad": the question's last word is no particle
        # nlu.question knows, but it asks about an offer the selector is sure of; answered too.
        asked = not urgent and (
            is_question(str(parse.get("text") or ""))
            or answer_inside_tip(parse, "vi", default_knowledge_base()) is not None
        )
        return [SlotSet(QUESTION_SLOT, asked)]
