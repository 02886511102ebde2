"""Is a message asking something? On folded text, so every written form looks alike.

Pure Python (stdlib + ``nlu.normalize``), importable from both venvs: the actions use it to answer
first instead of opening a form, and never to store a question as a form answer.

"Có lừa đảo không?", "co lua dao ko", "làm lại giấy tờ ở đâu", "lam s", "is it safe" ask; a bare
"không" / "chưa" (the answer to a yes/no question), "không sao" and reported speech ("họ hỏi em có
muốn đi không") do not, unless the writer put a question mark.
"""

from __future__ import annotations

import re

from nlu import other_scripts
from nlu.normalize import fold, has_diacritics, nfc, normalize

# Sentence-final particles that make a sentence a question, on folded text ("ko", "k", "hok" fold
# to "khong", "j" to "gi"). "đâu" is only a question with its accent or after a verb ("ở đâu"):
# folded "dau" is also đau (pain).
_FINAL_FOLDED = frozenset({"khong", "chua", "sao", "gi", "nao", "nhi", "hem", "s", "chang", "ai"})
_FINAL_ACCENTED = frozenset({"đâu", "hả", "hở", "chăng"})
# Endings that look like a question particle but are not one.
# "hoa hồng" (a commission) folds to "hoa khong" (teencode "hong" is "không").
_NOT_FINAL = (
    "khong sao", "khong co gi", "chang co gi", "chua bao gio", "khong the nao", "hoa khong",
)  # fmt: skip
# "không còn gì", "ko biết làm gì", "chẳng được gì": a negation before "gì" says "nothing"; the
# writer tells a need, they do not ask (a question mark still makes it a question).
_NOTHING = re.compile(
    r"\b(?:khong|chang|cha|chua) (?:\w+ ){0,4}(?:gi|ai|nao)(?: (?:ca|het|luon|dau|het ca))?$"
)
# "gia đình không biết chị ở đâu", "không rõ đi đâu": what nobody knows, told, not asked.
_NOBODY_KNOWS = re.compile(
    # "hổng biết kêu sao" (southern "không": "I don't know what it is called now").
    r"\b(?:khong|chua|chang|hong|ko) (?:ai )?(?:biet|ro|hieu|nam duoc) (?:\w+ ){0,6}"
    r"(?:o dau|di dau|dau|gi|nao|ai|sao|the nao|bao gio|ra sao)(?: nua| ca| het| luon)?$"
)
# "… mà chưa biết luật mới nhất là luật nào": not knowing a fact of the topic is asking it (not
# knowing where someone went is telling it).
_WANTS_TO_KNOW = re.compile(
    r"\b(?:chua|khong|chang) (?:ro|biet) (?:\w+ ){0,3}(?:luat|dieu|quy dinh|so|cach|dau hieu|"
    r"thu doan|che do|co quan|thu tuc|giay to)(?: \w+){0,6} (?:gi|nao|ai|o dau|the nao|ra sao|"
    r"sao)$"
)
# "đi đâu không rõ", "đưa đi đâu đó": somewhere, not where?
_SOMEWHERE = re.compile(r"\b(?:di|o|dua|dan) dau (?:do|khong ro|chang ro|chua ro|mat|het)\b")
# "không thấy ra ngoài bao giờ": never, with words between the negation and "bao giờ".
_NEVER = re.compile(r"\b(?:khong|chua|chang) (?:\w+ ){0,4}bao gio\b")
# "hay hỏi học sinh có muốn đi làm không": what someone keeps asking others, told.
_KEEPS_ASKING = re.compile(
    r"\b(?:hay|thuong|cu|di|dung|hoi han|ho) hoi (?:\w+ ){1,6}(?:co|la)\b|"
    r"\bhoi (?:\w+ ){1,6}co muon\b"
)
# With diacritics, the folded particle may be another word: "khám chữa" (treat), "chùa" (pagoda),
# "sáo" (flute), "nhi khoa" — the writer's accents tell.
_ACCENTED_NOT_PARTICLE = frozenset(
    {"chữa", "chùa", "chúa", "chua", "sáo", "sạo", "sào", "gí", "nhì"}
)
# "ai đọc được", "ai giữ thông tin": who does something (not "không ai biết").
_WHO = re.compile(
    r"(?<!khong )(?<!chang )(?<!cha )\b(?:ai|nhung ai|nguoi nao) (?:se |co the |duoc |dang )?"
    r"(?:doc|biet|xem|giu|lo|tra|giup|quan ly|chiu trach nhiem|lien he|goi|nghe)\b"
)
# "cần những giấy tờ gì", "phải mang gì": what is needed (not "không cần gì cả").
_WHAT_NEEDED = re.compile(
    r"(?<!khong )(?<!chang )\b(?:can|phai|mang|chuan bi|nop|nen (?:xem|hoi|kiem tra|doi)) "
    r"(?:nhung |cac )?(?:\w+ ){0,2}gi\b"
    r"(?! ca\b| het\b| dau\b)"
)
# "bao giờ hết hợp đồng mới trả", "khi nào đủ tiền mới đưa": a condition ("only when"), not "when?".
_ONLY_WHEN = re.compile(r"\b(?:bao gio|khi nao|luc nao) [^,.;]{0,40}\bmoi\b")
# "ở đầu ngõ" folds like "ở đâu": the head of a lane, a village, a year.
_HEAD_OF = re.compile(
    r"\b(?:o|tu|luc|ban|mo|ngay) dau (?:ngo|lang|xom|hem|duong|pho|cau|cho|thon|ban|nam|thang|tuan|"
    r"bai|day|song|nha)\b"
)
# Address words closing a question: "... có đắt không mọi người", "... ko cả nhà".
_TRAILING_PHRASE = re.compile(r"(?: (?:moi nguoi|ca nha|mn|cac ban|cac chi|ad oi))+$")
# "nên báo công an xã hay gọi 111": a choice between two things to do asks which.
_CHOICE = re.compile(
    r"\b(?:nen|phai|se|co nen) (?:\w+ ){1,6}hay (?:la )?(?:nen |phai )?(?:goi|bao|di|o|lam|den|len|"
    r"ve|nhan|tin|cho|nop|dong|ky|tra)\b|"
    r"\b(?:len|den|bao|trinh bao|to giac|goi|nop|gui|di|qua) (?:\w+ ){0,4}hay (?:la |phai )?"
    r"(?:cong an|ubnd|uy ban|xa|huyen|tinh|111|113|truc tiep|tan noi|o nha|"
    # A verb after "hay" ends no choice: "bọn đưa người qua biên giới hay đi" (often go).
    r"(?:den|di|goi|bao|nhan tin|gui|nop|qua)(?= \w))\b"
)
# "lúc được lúc không", "khi có khi không": sometimes yes, sometimes no — told, not asked.
_ALTERNATING = re.compile(r"\b(luc|khi|hom|ngay|bua|cai) (?:\w+ ){1,2}\1 khong$")
# "đã báo xã" folds like "bao xa" (how far): with accents only the unaccented words ask; without
# them, "đã báo xã nhưng …" is told.
_REPORTED_TO_COMMUNE = re.compile(r"\bda bao xa\b|\bbao xa (?:roi|nhung|ma|va|ca)\b")
_PHRASES = (
    "co phai", "phai khong", "duoc khong", "lam sao", "lam the nao", "the nao", "nhu nao",
    "ra sao", "tai sao", "vi sao", "sao lai", "la gi", "cai gi", "gi vay", "gi the", "sao the",
    "sao vay", "bao nhieu", "o dau", "di dau", "tu dau", "den dau", "nam dau", "la dau",
    "cho nao", "noi nao", "khi nao", "luc nao", "co nen", "hay khong", "hoac khong",
    "co sao khong", "nhu the nao", "ntn", "co dang tin", "dang tin khong", "co uy tin",
    "uy tin khong", "co lua dao khong", "lua dao khong", "co lua khong", "co an toan khong",
    "co that khong", "that khong", "co nen di", "co nen tin", "co bi lua khong", "lua khong",
    "bao lau", "bao xa", "co gi khac", "may gio",
)  # fmt: skip
# "Trẻ bị dụ dỗ thường có biểu hiện gì để bố mẹ nhận ra", "cần làm gì để …": what, asked in the
# middle of a sentence that goes on to say what for (not "không có gì để ăn": nothing).
_WHAT_FOR = re.compile(
    r"(?<!khong )(?<!chang )(?<!chua )\b(?:co|can|lam|phai|nen) (?:\w+ ){0,3}gi (?:de|khi|ma)\b"
)
# "Tổ chức nào giúp …", "Cơ quan nào nhận …": which body, place or paper, opening the sentence.
_WHICH_OPENING = re.compile(
    r"^(?:\w+ ){0,2}(?:to chuc|co quan|noi|cho|don vi|ben|trung tam|so|tong dai|luat|nghi dinh|"
    r"van ban|dieu|giay to|thu tuc|cach|quy dinh|hinh thuc|nguoi) nao\b(?! cung\b)"
)
# "tôi nghi không đơn giản đâu", "k có j đâu ạ": "đâu" after a negation stresses it (not at all);
# it does not ask where.
# Not "không có tiền thì đi đâu" (where to, then?).
_NOT_AT_ALL = re.compile(
    r"\b(?:khong|chang|cha|chua) (?:(?!(?:thi|de|nen|phai|can|biet)\b)\w+ ){0,5}dau$"
)
# "Sao dạo này nhiều người bị bán qua Myanmar vậy": a sentence that opens with "sao" asks why
# (not "sao chép", "sao kê", "sao y" — copy, bank statement, certified copy).
_OPENS_WITH_WHY = re.compile(r"^(?:sao|tai sao|vi sao)\b(?! (?:chep|ke|y|luu|ban|mai)\b)")
# "liên hệ đâu", "làm lại ở đâu": folded "dau" ends the sentence right after a verb of going,
# asking or doing (folded "đau" — pain — follows a body part or "bị", not these).
_VERB_WHERE = re.compile(
    r"\b(?:lien he|hoi|tim|bao|trinh bao|nop|dang ky|lam|lam lai|xin|goi|gap|den|chay|nho|"
    r"tra cuu|mua|kiem|nhan|o)\s+dau(?: (?:a|ah|vay|nhi|the|ha|ban|chi|anh|ad|oi|nhe|z|v))*$"
)
# Politeness and address words after the question particle: "… có đáng tin không ạ", "… ko vậy
# chị", "… không ad ơi". Dropped before the last word is read.
_TRAILING = frozenset({
    "a", "ah", "vay", "the", "nhe", "nha", "ha", "chi", "anh", "em", "ad", "admin", "ban", "oi",
    "co", "chu", "bac", "ong", "ba", "shop", "ak", "z", "v", "ne", "roi", "day",
})  # fmt: skip
_TRAILING_WORDS = re.compile(r"(?: (?:" + "|".join(sorted(_TRAILING)) + r"))+$")
# The same words as written with their accents: "bán" (sell), "chỉ" (only), "cơ" are no address
# word ("… chứ không bán." tells; "… không bạn?" asks).
_TRAILING_ACCENTED = frozenset({
    "a", "ạ", "à", "ah", "vậy", "vầy", "thế", "nhé", "nha", "nhá", "hả", "hà", "chị", "anh", "em",
    "ad", "admin", "bạn", "ơi", "cô", "chú", "bác", "ông", "bà", "shop", "ak", "z", "v", "nè",
    "rồi", "đây",
})  # fmt: skip
# How an older or a peer asker calls themselves in "cho chị hỏi", "cho bác hỏi" (not "cô": "cho cơ
# hội" folds the same); each opener below adds these to its own list of askers.
ELDER_ASKERS = "chi|anh|chu|bac|ong|ba|cau|mo"
# Openers that announce a question ("cho em hỏi", "xin hỏi").
_OPENERS = re.compile(
    rf"\b(?:cho (?:em|minh|toi|tui|chau|con|to|{ELDER_ASKERS}) hoi|xin hoi|"
    r"muon hoi|hoi (?:chut|xiu|ti|ty|mot chut|mot cau|cai nay))\b|"
    r"^(?:(?:em|toi|tui|minh|con|chau) )?(?:muon|can) (?:biet|tim hieu)\b"
)
# Teencode that folding leaves as is: "lam s", "tai s", "s vay".
_TEENCODE = re.compile(r"\b(?:lam|tai|vi|the|la) s\b|\bs (?:vay|the)\b")
# Reported speech: "họ hỏi em có muốn đi không" tells what happened; it does not ask us.
_REPORTED = re.compile(
    r"\b(?:ho|no|han|nguoi ta|ong ay|ba ay|co ay|anh ay|chi ay|tui no|bon no|chung no|ben do) "
    r"(?:co |da |cu |lien |van )?hoi\b|\bhoi (?:em|toi|minh|con|chau|tui) (?:co|la|muon)\b|"
    # "... người lái xe cho học sinh tiền, hỏi có muốn đi làm không": a recruiter's offer told;
    # nobody asks us whether we want to go and work.
    r"(?<=\w )hoi (?:xem )?(?:co |ai )?(?:muon|thich) (?:di|lam|kiem|sang|qua|len)\b"
)
# "tôi không chắc có phải buôn người không, nhưng chủ quán giữ căn cước của các cô …": a doubt
# said before a tip (from the data writers' notes). The tip that follows decides: told, it is no
# question; asked ("… có lừa đảo không"), or with nothing after the doubt, it still asks.
_DOUBT_THEN = re.compile(
    r"^(?:(?:toi|em|minh|tui|chau|con) )?(?:cung |that su |thuc su )?(?:khong|chua) "
    r"(?:biet|chac|ro)(?: la)? (?:co )?(?:phai|nen|dung)\b.{0,60}? "
    r"(?:khong|chua|hay khong|hay chua) (?:nhung |ma |thi )?(?P<rest>(?:\w+ ){3,}\w+)$"
)
# A question word before "cũng" is indefinite: "ở đâu cũng được" (anywhere), "gì cũng làm".
# And "ai" after a wish or a letting denied is anyone: "vợ tôi chưa muốn ai biết", "đừng để ai
# biết" (not "who knows?").
_INDEFINITE = re.compile(
    r"\b(?:o dau|dau|gi|nao|ai|bao nhieu|the nao|sao|khi nao|luc nao) cung\b|"
    r"\b(?:(?:khong|chua|chang|dung) (?:\w+ )?(?:muon|de|cho|dam|duoc) ai)\b"
)
# "bao giờ" asks "when", except in "chưa bao giờ" / "không bao giờ" (never).
_WHEN = re.compile(r"(?<!chua )(?<!khong )\bbao gio\b")
_ENGLISH_START = re.compile(
    r"^(?:what|where|when|why|how|who|which|whose|is|are|does|did|should|could|would|"
    r"(?:can|do|will|may) (?:i|you|we|they|someone|anyone|he|she|it|my|this|that))\b"
)
_ENGLISH_PHRASES = re.compile(
    r"\b(?:is it|is this|is that|can i trust|is there|legit|scam or not|how do i|how can i|"
    r"where can i|where do i|what should i|i want to know|i'd like to know|can you tell me)\b"
)


# The writer says they are reporting ("tôi báo để các anh chị xem", "I'm reporting it"): a tip,
# even when it also wonders aloud ("không biết có phải lừa không").
_REPORTING = re.compile(
    r"\b(?:toi|em|minh|tui|chung toi) (?:(?:xin|muon|chi|cung|can) ){0,2}"
    r"(?:bao|to giac|phan anh|bao tin)"
    r" (?:de|cho|len|voi|lai|giup|ve viec|viec nay|chuyen nay|thong tin|su viec)\b|"
    r"\bbao (?:de|cho) (?:cac |ben )?(?:anh chi|anh|chi|ban|ad|cac ban|co quan|cong an|111)"
    r"(?: \w+){0,2} (?:xem|biet|kiem tra|xac minh|xu ly|can thiep|nam)\b|"
    r"\bnho (?:cac |ben )?(?:anh chi|anh|chi|ad|cac ban) "
    r"(?:kiem tra|xac minh|xu ly|can thiep|xem giup)\b|"
    # "em muốn báo nhưng sợ lắm", "tôi muốn báo chuyện …", not "em muốn báo là em cần giúp".
    r"\b(?:toi|em|e|minh|mk|tui|chung toi) (?:(?:xin|muon|mun|can|chi) ){1,2}"
    r"(?:bao|bao tin|to cao|to giac)\b(?! (?:la|rang|cho (?:em|toi|minh)|duoc|gi|sao|o dau))|"
    r"\b(?:muon|mun|xin) to (?:1|mot|cai|ong|ba|thang|con|nguoi|ng|bon|nhom|cty|cong ty)\b|"
    # "Tôi muốn cung cấp thông tin", "em xin cung cấp thông tin về việc này".
    r"\b(?:toi|em|e|minh|mk|tui|chung toi) (?:(?:xin|muon|mun|can) ){1,2}cung cap thong tin\b"
    r"(?! (?:gi|nao|o dau|cho ai|the nao))"
)
# After a tip told (long enough to tell one), asking how to pass on what they have ("tôi gửi
# link được không", "who should get this information?"): the tip is being given, the question is
# only about the way.
_PASSING_ON = re.compile(
    r"\b(?:toi|em|minh|tui|chung toi) (?:co the |muon |xin )?(?:gui|chuyen|cung cap|dua) "
    r"(?:\w+ ){0,2}(?:link|duong link|anh|hinh|hinh anh|anh chup|clip|video|bang chung|thong tin|"
    r"dia chi|so dien thoai|sdt|tin nhan|ten) (?:\w+ ){0,3}(?:duoc (?:khong|ko|k|hok|chu)|cho ai|"
    r"o dau|qua dau|the nao|bang cach nao)\b"
)
_REPORTING_EN = re.compile(
    r"\b(?:i'?m reporting|i am reporting|"
    r"i (?:want|would like|'d like) to report (?:this|it|them|a|an|the|that|his|her|their)|"
    r"reporting (?:this|it)"
    r"|please (?:look into|check|investigate) (?:it|this|them)|just so you know)\b"
)
_PASSING_ON_EN = re.compile(
    r"\b(?:i (?:want|would like|'d like) to report[.!?]*$|"
    r"who should (?:get|receive|have) (?:this|the|our|these) "
    r"(?:information|info|names|details|evidence)|"
    r"where (?:do|can|should) i send "
    r"(?:(?:the|this|my|a|an|these|those|our) )?(?:\w+ )?(?:screenshots?|links?|photos?|"
    r"pictures?|evidence|information|info|details|names))\b"
)
PASSING_ON_MIN_WORDS = 10


# The last clause asks only where, to whom or whether to pass a tip on ("… báo ở đâu?", "tôi nên
# báo cho ai?", "gửi cho bên mình được không?", "có phải báo công an không?").
_WHERE_TO_REPORT = re.compile(
    r"\b(?:bao|trinh bao|to giac|to cao|phan anh|gui|bao tin|bao cao|cung cap|chuyen)\b"
    r"(?: \w+){0,5} (?:o dau|cho ai|co quan nao|noi nao|cho nao|ben nao|dau|"
    r"duoc (?:khong|ko|k|hok|chu|ko a|khong a))\b|"
    r"\b(?:co )?(?:phai|nen|can) (?:\w+ ){0,2}(?:bao|trinh bao|to giac)\b|"
    r"\b(?:bao|trinh bao|to giac) (?:\w+ ){0,3}(?:ai|co quan nao)\b"
)
_WHERE_TO_REPORT_EN = re.compile(
    r"\b(?:who|where) (?:should|can|do|could) i (?:report|send|tell|give)\b|"
    r"\breport (?:this|it|them|him|her) to\b"
)
_CLAUSE_END = re.compile(r"[,.;:?!…？]+")
# A tip told before that clause is a statement this long at least.
TIP_BEFORE_ASKING_MIN_WORDS = 8


def tip_then_asks_where_to_report(text: str) -> bool:
    """A tip told, then only where or to whom to report it: the writer is reporting (triage.md:
    `report`); the dialogue still answers the question first and offers the form."""
    composed = nfc(text or "")
    clauses = [clause for clause in _CLAUSE_END.split(composed) if clause.strip()]
    if len(clauses) < 2:
        return False
    last, before = clauses[-1], " ".join(clauses[:-1])
    asks = _WHERE_TO_REPORT.search(_folded(last)) or _WHERE_TO_REPORT_EN.search(last.lower())
    return (
        bool(asks)
        and len(_folded(before).split()) >= TIP_BEFORE_ASKING_MIN_WORDS
        and not is_question(before)
    )


# A question about the assistant itself ("bạn tên gì", "bạn làm được những gì?", "is this thing
# working?"): small talk, answered with what the assistant can do, not a topic of the knowledge
# base.
_ABOUT_THE_ASSISTANT = re.compile(
    r"^(?:(?:ad|admin|ban|bot|em|chi|anh) (?:oi )?)?(?:ban|bot|ad|admin|may|cau|em) "
    r"(?:ten (?:la )?gi|"
    r"la ai|la nguoi hay may|la nguoi that|co phai (?:la )?(?:nguoi|may|bot)|lam (?:duoc )?"
    r"(?:nhung |cac )?(?:gi|viec gi)|giup (?:duoc )?(?:nhung |cac )?gi|biet (?:lam )?(?:nhung )?gi)"
    r"(?: (?:the|vay|a|ha|z|v|nhi|nao))*$"
)
_ABOUT_THE_ASSISTANT_EN = re.compile(
    r"^(?:is (?:this|it) (?:thing )?(?:working|on|real)|are you (?:a bot|a robot|real|human|a "
    r"person)|what(?:'s| is) your name|who are you|what can you do)\W*$"
)


def asks_about_the_assistant(text: str) -> bool:
    """The writer asks who or what the assistant is, or whether it works: small talk."""
    composed = nfc(text or "").strip()
    return bool(
        _ABOUT_THE_ASSISTANT.search(_folded(composed))
        or _ABOUT_THE_ASSISTANT_EN.search(composed.lower())
    )


# Where one sentence ends and the next begins (not the comma, which joins clauses).
_SENTENCE_END = re.compile(r"(?<=[.!;…])\s+")


def says_reporting(text: str) -> bool:
    """The writer says they are reporting something (a tip, not a question)."""
    composed = nfc(text or "")
    folded = _folded(composed)
    lowered = composed.lower()
    if _REPORTING.search(folded) or _REPORTING_EN.search(lowered):
        return True
    return len(folded.split()) >= PASSING_ON_MIN_WORDS and bool(
        _PASSING_ON.search(folded) or _PASSING_ON_EN.search(lowered)
    )


# A tip told at length ("Nhà đối diện tôi hay có mấy cô gái trẻ … Không biết có phải đường dây
# không"), whose question, if any, is a short last sentence or a doubt woven into it: what a tip is
# made of, answered first all the same. A long question at the end is a question ("… Tại sao cứ
# đến tháng 7 là trường lại treo băng rôn …?").
LONG_TIP_WORDS = 20
SHORT_LAST_QUESTION_WORDS = 8
_LAST_SENTENCE = re.compile(r"(?<=[.!?;…:。！？])\s*")


def tells_at_length(text: str) -> bool:
    """A statement long enough to be a tip, not asking us to judge or to say where or how, and
    not ending in a question of its own."""
    composed = nfc(text or "").strip()
    if len(composed.split()) < LONG_TIP_WORDS or asks_for_answer(composed):
        return False
    sentences = [part for part in _LAST_SENTENCE.split(composed) if part.strip()]
    last = sentences[-1].strip() if sentences else composed
    return not (last.endswith(("?", "？")) and len(last.split()) > SHORT_LAST_QUESTION_WORDS)


def _folded(text: str) -> str:
    return " ".join(fold(text).split())


# A word as written: "Tan Hong" (Tân Hồng typed without its accents) folds to "tan khong".
_WRITTEN_WORD = re.compile(r"\w+")


def _named_last(composed: str, count: int, position: int) -> bool:
    """The particle's word is written as a name ("xa Tan Thanh, Tan Hong"): capitalised after
    other words, in a text not all in capitals. A particle is written in lower case."""
    written = _WRITTEN_WORD.findall(composed)
    if len(written) != count or position < 2 or composed.isupper():
        return False
    word = written[position - 1]
    return word[:1].isupper() and word[1:].islower()


def is_question(text: str) -> bool:
    """True when ``text`` asks something (Vietnamese in any written form, or English)."""
    composed = nfc(text or "").strip()
    folded = _folded(composed)
    if not folded:
        return other_scripts.is_question(composed)
    if other_scripts.SCRIPT.search(composed) and other_scripts.is_question(composed):
        return True
    if says_reporting(composed) and not composed.rstrip(other_scripts.END_PUNCT).endswith(
        ("?", "？")
    ):
        return False  # "... không biết có phải lừa không, tôi báo để các anh chị xem"
    if "?" in composed or "？" in composed:
        return True
    sentences = [part for part in _SENTENCE_END.split(composed) if part.strip()]
    if len(sentences) > 1:
        # Folding drops the full stop: "… liên lạc được. Không có tin nhắn nào" would read as
        # "được không". Each sentence asks or tells on its own.
        return any(is_question(sentence) for sentence in sentences)
    if _OPENERS.search(folded):
        return True
    lowered = " ".join(composed.lower().split())
    if _ENGLISH_START.search(lowered) or _ENGLISH_PHRASES.search(lowered):
        return True
    if _REPORTED.search(folded) or _KEEPS_ASKING.search(folded):
        return False
    if (doubt := _DOUBT_THEN.match(folded)) and not is_question(doubt["rest"]):
        return False
    if _NOBODY_KNOWS.search(folded) and not _WANTS_TO_KNOW.search(folded):
        return False
    folded = " ".join(_SOMEWHERE.sub(" ", folded).split())
    folded = " ".join(_INDEFINITE.sub(" ", folded).split())
    folded = " ".join(_HEAD_OF.sub(" ", _ONLY_WHEN.sub(" ", folded)).split())
    folded = _TRAILING_PHRASE.sub("", folded).strip()
    if _WHO.search(folded) or _WHAT_NEEDED.search(folded):
        return True
    if _WHAT_FOR.search(folded) or _WHICH_OPENING.search(folded):
        return True
    if not folded:
        return False
    if _NOT_AT_ALL.search(_TRAILING_WORDS.sub("", folded)):
        return False  # "họ không dám đi đâu": not anywhere, not where?
    padded = f" {folded} "
    if " bao xa " in padded and (
        _REPORTED_TO_COMMUNE.search(folded)
        or (has_diacritics(composed) and " bao xa " not in f" {composed.lower()} ")
    ):
        padded = padded.replace(" bao xa ", " ")
    if any(f" {phrase} " in padded for phrase in _PHRASES) or _TEENCODE.search(folded):
        return True
    if (_WHEN.search(folded) and not _NEVER.search(folded)) or _CHOICE.search(folded):
        return True
    if _OPENS_WITH_WHY.search(folded) or _VERB_WHERE.search(folded):
        return True
    words = folded.split()
    if len(words) < 2 or folded.endswith(_NOT_FINAL) or _ALTERNATING.search(folded):
        return False  # "không", "chưa": the answer to a yes/no question
    accented = normalize(composed).split() if has_diacritics(composed) else []
    # The accented word at the same place (same word count: folding keeps words apart).
    same_place = len(accented) == len(words)
    core = list(words)
    while (
        len(core) > 2
        and core[-1] in _TRAILING
        and (not same_place or accented[len(core) - 1] in _TRAILING_ACCENTED)
    ):
        core.pop()
    if core[-1] in _FINAL_FOLDED:
        ending = " ".join(core)
        if ending.endswith(_NOT_FINAL) or _NOTHING.search(ending):
            return False
        if same_place and accented[len(core) - 1] in _ACCENTED_NOT_PARTICLE:
            return False
        return not _named_last(composed, len(words), len(core))
    return bool(accented) and accented[-1] in _FINAL_ACCENTED


# Questions that ask us to judge an offer or a situation (a scam? legal? normal? safe?), where or
# how to do something, or whether it stays confidential: the writer wants an answer, whatever the
# situation the question describes (issue 16: "... có lừa đảo không?", "... trình báo ở đâu?").
_NEG = r"(?:khong|ko|k|hok|hong|ha|chu|chang)"
_ASKS_ANSWER = re.compile(
    r"\bco (?:bi )?(?:lua|lua dao|dang tin|uy tin|hop phap|binh thuong|an toan|that|on|bay|"
    r"van de gi|gi dang lo|vi pham|pham phap|nguy hiem|dung (?:quy dinh|luat)|"
    r"tin (?:duoc|tuong duoc))"
    rf"(?: \w+){{0,3}} {_NEG}\b|"
    rf"\bco nen (?:\w+ ){{0,8}}{_NEG}\b|"
    r"\b(?:co )?phai (?:la )?(?:lua|lua dao|bay|buon nguoi|mua ban nguoi|cuong buc|boc lot)\b|"
    r"\b(?:trinh bao|to giac|to cao|bao tin|bao|lam lai|cap lai|xin cap|dang ky|nop don|lien he) "
    r"(?:\w+ ){0,5}o dau\b|"
    r"\bla (?:gi|nhung gi|cai gi)(?: (?:a|ah|vay|nhi|the|ha|ban|chi|anh|ad|oi))*$|"
    r"\b(?:lam sao|lm sao|lam the nao|cach nao) (?:de )?"
    r"(?:biet|nhan ra|phan biet|kiem tra|tra cuu)\b|"
    rf"\b(?:giau ten|an danh|bi mat|bi lo|lo thong tin|lo ra|lo ten)\b(?: \w+){{0,4}} {_NEG}\b|"
    rf"\bco ai biet (?:\w+ ){{0,4}}{_NEG}\b|"
    rf"\b(?:nha tam lanh|cho o tam|noi o tam|cho tam lanh)\b(?: \w+){{0,10}} {_NEG}\b"
)
_ASKS_ANSWER_EN = re.compile(
    r"\b(?:is (?:it|this|that) (?:a scam|legit|safe|legal|normal|real)|legit|can i trust|"
    r"where (?:do|can|should) i (?:report|go|get)|how (?:do|can) i (?:check|know|tell)|"
    r"(?:are|is) there (?:a |any )?(?:shelters?|safe house)|"
    r"will (?:they|the police|anyone|my family) (?:know|find out))\b"
)


# "Tôi muốn biết các dấu hiệu ...", "cho em hỏi thủ đoạn ...": asks to know about a topic (signs,
# tricks, ways, rules); and a "why" about something nobody in the first person lives through
# ("tại sao tháng 7 nào trường cũng treo băng rôn ..."): an explanation, not a tip.
_ASKS_TO_KNOW_TOPIC = re.compile(
    rf"^(?:cho (?:em|toi|minh|tui|chau|con|{ELDER_ASKERS}) hoi|"
    r"(?:toi|em|minh|tui) (?:muon|can) (?:biet|hoi|"
    r"tim hieu)|xin hoi)\b.{0,40}\b(?:dau hieu|bieu hien|thu doan|chieu tro|cach|quy dinh|luat|"
    r"hinh phat|muc phat|bao nhieu|the nao|nhu the nao|la gi|ra sao|khi nao|quy trinh|quyen loi|"
    r"thu tuc|che do|chinh sach|ung dung|nhung gi|nao)\b"
)
_WHY = re.compile(r"^(?:tai sao|vi sao|sao lai|why)\b")
_FIRST_PERSON = re.compile(r"\b(?:em|toi|tui|minh|tao|chung em|chung toi|bon em|i|me|my|we|our)\b")


def asks_for_answer(text: str) -> bool:
    """A question that asks us to judge an offer or a situation, where or how to do something,
    or about confidentiality: answered, not read as a tip or a request (the situation it describes
    is its context)."""
    return is_question(text) and _asks_for_answer_shape(text)


def _asks_for_answer_shape(text: str) -> bool:
    """``asks_for_answer`` for a text already known to be a question."""
    if other_scripts.asks_about_topics(text):
        return True
    composed = nfc(text or "")
    folded = " ".join(fold(composed).split())
    if _ASKS_TO_KNOW_TOPIC.search(folded):
        return True
    if _WHY.search(folded) and not _FIRST_PERSON.search(folded):
        return True
    return bool(_ASKS_ANSWER.search(folded) or _ASKS_ANSWER_EN.search(composed.lower()))


# An English question that opens with its question word, long enough not to be a test ("what?").
ENGLISH_QUESTION_MIN_WORDS = 4


def asks_us(text: str) -> bool:
    """A question put to us, whatever the classifier made of it: one that asks for an answer, an
    opener that announces a question ("hỏi chút", "cho em hỏi"), or English that opens with a
    question word. Small talk and a form's answers ("Hà Nội?") are none of these."""
    if not is_question(text):
        return False
    composed = nfc(text or "")
    lowered = " ".join(composed.lower().split())
    return (
        _asks_for_answer_shape(composed)
        or bool(_OPENERS.search(_folded(composed)))
        or (
            bool(_ENGLISH_START.search(lowered))
            and len(lowered.split()) >= ENGLISH_QUESTION_MIN_WORDS
        )
    )
