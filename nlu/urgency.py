"""The urgency safety net: indicators that someone is in danger now, in any written form.

Patterns match the folded text (no diacritics, teencode expanded, see ``nlu.normalize``) so that
"bị nhốt", "bi nhot" and "b nhốt" look alike, plus a few English phrasings. The net does not depend
on the classifier's confidence, and the gateway calls it on its own when Rasa is down. Each reason
name is shown to operators, so the names say what was seen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nlu import other_scripts
from nlu.normalize import fold, has_diacritics, nfc, normalize
from nlu.question import ELDER_ASKERS
from nlu.question import is_question as _asks_something

_ME = (
    r"(?:em|toi|tui|minh|tao|chung em|chung toi|bon em|bon toi|"
    r"tui em|con|chau|anh|chi|no|nguoi|co ay|anh ay|nguoi ta)"
)
_NOW = (
    r"(?:dang|vua|moi|sap|dem nay|toi nay|sang nay|chieu nay|ngay mai|mai|hom nay|bay gio|luc nay)"
)
# Married off (for money, to a stranger or a foreigner) and someone coming to take the writer soon.
_MARRIED_OFF = (
    r"\b(?:ga (?:\w+ ){0,4}cho|lay chong|lay vo|ket hon|lam vo|ep (?:\w+ ){0,2}cuoi|"
    r"bat (?:\w+ ){0,2}cuoi|cuoi (?:\w+ ){0,2}(?:cho|voi) (?:nguoi|ong|thang|lao)|di cuoi|"
    r"ruoc dau|don dau|(?:nhan|lay|cam|an) tien (?:\w+ ){0,6}(?:nguoi nuoc ngoai|ong tay|"
    r"trung quoc|tq|dai loan|han quoc|han|nha trai|ong ben|nguoi ben))\b"
)
_TAKEN_SOON = (
    r"\b(?:mai|ngay mai|toi nay|dem nay|sang mai|chieu mai|toi mai|sap|hom nay|chieu nay)\b"
    r"(?! moi) (?:\w+ ){0,4}(?:don|ruoc|bat|dua|dem|mang|den lay) (?:\w+ )?"
    r"(?:em|toi|con|chau|minh|di|no|tao|nguoi)\b"
)
_WE = r"(?:em|toi|tui|minh|chung em|chung toi|bon em|tui em|bon toi)"
_CHILD = (
    r"(?:be|chau|con|dua nho|dua be|tre|tre em|em be|con gai|"
    r"con trai|em gai|em trai|hoc sinh|dua tre)"
)

# reason -> folded-text patterns
# Whom a recruiter invites ("mời phụ nữ", "mời các em"), after a folded "moi".
_INVITED = (
    r"(?:phu nu|nguoi|con gai|chi em|cac em|cac chi|lao dong|thanh nien|hoc sinh|ba con|"
    r"nhieu nguoi|dan ba|gai)\b"
)
_FOLDED: dict[str, tuple[str, ...]] = {
    "confinement": (
        r"\b(?:bi|dang bi) (?:nhot|giam|giam long|khoa trai|canh gac|cam tu|bat giu)\b",
        r"\b(?:bi )?khoa (?:trai |cua )?(?:trong|lai trong|nhot)\b",
        r"\bkhoa (?:trai |cua )(?:phong|nha|lai)\b",
        # Not "hộ chiếu bị giữ" (papers kept: documents_taken, a practice), a person held.
        r"(?<!ho chieu )(?<!giay to )(?<!dien thoai )(?<!can cuoc )(?<!passport )"
        r"\b(?:bi|dang bi) giu\b(?! (?:luong|tien|lai luong|xe|ho chieu|giay to|passport|"
        r"can cuoc|cccd|cmnd|dien thoai|bang|so))",
        r"\b(?:nhot|giam|khoa) (?:lai )?" + _ME + r"\b",
        r"\bgiu (?:em|toi|tui|minh|chung em|chung toi|bon em|tui em) (?:lai )?(?:trong|o|tai)\b",
        r"\bcua (?:\w+ ){0,2}bi khoa\b",
        r"\bcong (?:luon )?khoa\b.{0,60}\b(?:bao ve|canh gac|dui cui|khong cho)\b",
        r"\bkhong cho (?:"
        + _ME
        + r" )?(?:ve|ra ngoai|ra khoi|ra|thoat|di dau|roi khoi|lien lac)\b",
        # "cô ấy không được ra khỏi phòng": kept in, said of oneself or another.
        r"\bkhong (?:duoc|dc) (?:ra khoi|buoc ra khoi|ra ngoai) (?:phong|nha|khu|can nha|cong)\b",
        r"\b(?:bi )?(?:giam|nhot) (?:trong|o|tai)\b",
        # Not "không thể về nhà chồng nữa" (will not go back: a choice, not being kept).
        r"\bkhong (?:duoc|the) (?:ra ngoai|ve nha|ve nuoc|roi khoi|thoat)\b(?! (?:\w+ ){0,2}nua\b)",
        # Chained or tied up ("bị xích chân", "bị trói tay"); not "xích mích" (a quarrel) nor
        # "trôi" (drift), which folds like "trói".
        r"\b(?:bi|dang bi) (?:xich|xieng)\b(?! mich)",
        r"\bxich (?:chan|tay|co)\b",
        # Handcuffed ("họ còng tay em vào thành giường"): "còng" folds to "cong".
        r"\bcong (?:tay|chan) (?:" + _ME + r"|lai|vao)\b|\b(?:bi|dang bi) cong (?:tay|chan)\b",
        r"\b(?:bi|dang bi) troi (?:tay|chan|lai|vao|o|trong|bang|ca|chat)\b",
        # A witness who has just seen it ("vừa thấy", "mới nhìn thấy"): seen now is danger now.
        r"\b(?:vua|moi|dang) (?:\w+ )?(?:thay|nhin thay|trong thay|chung kien|bat gap|phat hien)"
        r"\b.{0,80}\b(?:xich|xieng|nhot|giam long|cum chan|troi (?:tay|chan|lai|vao|o|trong|bang|"
        r"ca|chat)|khoa (?:trai |cua )?(?:\w+ ){1,4}(?:trong|o|lai))\b(?! mich)",
        # Fenced or guarded in ("khu có rào điện", "cửa sổ có song sắt", "họ canh gác cả ngày").
        r"\b(?:rao (?:dien|thep gai|kem gai)|song sat|canh gac ca ngay|canh (?:\w+ )?ngoai cua)\b",
        r"\b(?:ho|chung no|bon no|tui no|bon chung) (?:da )?khoa (?:trai )?cua\b",
        r"\b(?:khong|ko) (?:the )?(?:thoat|tron|chay|ra) (?:ra |khoi day |ra ngoai )?duoc\b",
    ),
    "violence": (
        r"\b(?:bi|dang bi|hay bi) (?:danh|dap|hanh ha|tra tan|dien giat|chich dien|dui cui dien|"
        r"hiep dam|cuong hiep|xam hai|chem|dap da)\b(?! (?:bac|bai|"
        r"may|chu|gia|rang|thue|giay|son))",
        # Not "ẩn danh, em tên Phúc" (anonymous, folded "an danh"; the comma is gone).
        r"(?<!\ban )\b(?:danh|dap|tra tan|hanh ha) " + _ME + r"\b",
        r"\b(?:dien giat|chich dien|dui cui dien|sin dien|bi di dien|soc dien)\b",
        # "vừa đánh một anh đến bất tỉnh", "đang đánh mấy anh ở phòng bên", starved, drugged.
        r"\bdanh (?:\w+ ){0,4}(?:bat tinh|ngat|chet ngat)\b",
        r"\b(?:ho|chung no|bon no|tui no|bon chu|bon chung|bao ve) (?:dang |vua )danh\b"
        r"(?! (?:gia|bac|bai|may|thue|dau|so|tieng|bong|ca|co))",
        # "bỏ đói" folds like "bộ đội" (soldiers): only said of someone.
        r"\b(?:(?:bi|dang bi) bo doi|bo doi (?:em|toi|tui|minh|chung em|bon em|tui em|ca)|"
        r"khong cho (?:(?:em|toi|tui|minh|chung em|bon em|tui em|chung toi|bon toi|"
        r"ai) )?an)\b",
        r"\b(?:ep|bat) (?:\w+ ){0,2}(?:uong|chich|hut|tiem) (?:\w+ )?(?:thuoc|ma tuy|chat)\b",
        # "hôm nay họ đánh thằng con tôi chảy máu đầu": an injury named.
        r"\bdanh (?:\w+ ){0,4}(?:chay mau|gay (?:tay|chan|xuong|rang)|be dau|vo dau|tim tai|"
        r"bat tinh)\b",
        # A witness who has just seen a beating ("vừa nãy tôi thấy nó quất roi").
        r"\b(?:vua nay|luc nay|vua|dang) (?:\w+ ){0,2}(?:thay|nhin thay|chung kien)\b.{0,40}"
        r"\b(?:quat roi|quat|danh|dap|tat)\b(?! (?:sach|tieng|gia|thiep|ba|muc|hieu|bac|bai|may|"
        r"rang|bong|co|bai))",
    ),
    "threat": (
        r"\bdoa (?:se )?(?:giet|danh|ban|hai|tra thu|chat|cat|mo|bat)\b",
        r"\b(?:giet|(?<!so )(?<!lo )(?<!kinh )hai|tra thu|xu dep|xu|danh|bat coc) "
        r"(?:ca nha|gia dinh|bo me|nguoi nha|"
        r"nguoi than)\b",
        r"\bse ban " + _ME + r" (?:cho|sang|qua|di)\b",
        # Someone who sold the writer, back to take them again ("nói sẽ bắt em đi lại"); not
        # "bắt em đi học" (made to go to school).
        r"\b(?:noi|bao|doa|hua|nhan) (?:la |rang )?"
        r"(?:(?:toi nay|dem nay|mai|ngay mai) (?:se |sap )?|se |sap )(?:quay lai |den |toi )?"
        r"bat " + _ME + r" (?:di )?(?:lai|sang|qua|ban)\b",
        # "dọa nếu em chạy sẽ chặt tay", "dọa tung ảnh lên mạng", "không thì đánh chết".
        # Not "chưa ai đe dọa gì nhưng em vẫn sợ bị trả thù": a fear, no threat made.
        r"(?<!chua ai de )(?<!khong ai de )(?<!chua bi de )(?<!khong bi de )(?<!chua ai )"
        r"(?<!khong ai )\bdoa\b.{0,50}\b(?:giet|danh chet|chat (?:tay|chan|ngon)|"
        r"tung (?:\w+ ){0,3}(?:len mang|"
        r"anh|clip|video)|gap chuyen|tra thu|ban (?:di|sang|qua|cho)|bat (?:\w+ ){0,2}di ban)\b",
        r"\b(?:khong thi|neu khong|ko thi|khong la)\b.{0,25}\b(?:danh chet|giet|bo doi|chat tay)\b",
        r"\b(?:khong|ko) (?:\w+ ){1,4}(?:thi|la) (?:\w+ ){0,2}(?:danh chet|giet|chat tay)\b",
        # "nói không trả thì bắt đi lại": taken back (or sold again) unless they pay.
        r"\b(?:khong|ko) (?:tra|nop|dua|gui|nghe|di)\b (?:\w+ ){0,3}(?:thi|la) (?:\w+ ){0,2}"
        r"(?:bat (?:\w+ )?(?:di|ve|lai)|ban (?:\w+ )?(?:di|lai|sang|qua)|dua (?:\w+ )?di)\b",
        r"\b(?:ai|neu|he|dua nao) (?:\w+ ){0,2}(?:chay|tron) (?:la|thi) (?:\w+ ){0,2}"
        r"(?:ban|giet|danh)\b",
        r"\bneu (?:\w+ ){0,3}(?:bao|to cao|tron|chay|khai) .{0,50}\b(?:gap chuyen|giet|"
        # "nếu tôi báo tin thì có bị lộ không, tôi sợ bị trả thù": a fear, asked about.
        r"(?<!so )(?<!so bi )tra thu|chet)\b",
        r"\b(?:co|cam|mang|chia) (?:sung|dao|ma tau|gay)\b(?! (?:cao|dan|ban|rung))",
    ),
    "documents_taken": (
        r"\b(?:ho|chung no|bon no|tui no|bon chung) (?:da )?(?:giu|thu|lay|tich thu|cuop) "
        r"(?:mat |het |luon )*(?:ho chieu|giay to|dien thoai|can cuoc)\b"
        r"(?! cua (?:nguoi lao dong|cong nhan|nhan vien|nguoi lam))",
        r"\b(?:bi|dang bi) (?:thu|tich thu|giu|lay|cuop|dap|dap vo) (?:mat |het |luon )*"
        r"(?:ho chieu|giay to|dien thoai|can cuoc|passport)\b",
        r"\b(?:ho chieu|giay to|dien thoai|can cuoc|passport) (?:cua )?" + _ME + r" (?:bi |da bi )?"
        r"(?:bi )?(?:thu|giu|tich thu|lay|cuop|dap)\b",
        r"\b(?:thu|tich thu|giu|lay|cuop|dap) (?:mat |het |"
        r"luon )*(?:ho chieu|giay to|dien thoai|can cuoc)"
        r" (?:cua )?(?:em|toi|tui|minh|chung em|bon em|tui em)\b",
        r"\b(?:tich thu|dap vo) (?:het )?(?:ho chieu|giay to|dien thoai)\b",
        r"\bmuon (?:may|dien thoai) (?:cua )?(?:nguoi khac|nguoi ta|ban) (?:de )?nhan\b",
        r"\bmay (?:cua )?(?:em|toi|minh|tui) (?:bi|da bi) (?:thu|giu|lay|tich thu)\b",
    ),
    "transport_in_progress": (
        _NOW
        + r" .{0,40}\b(?:dua|cho|dan|dem|cho di|cho qua) .{0,30}\b(?:qua|sang|vuot) (?:ben kia )?"
        r"(?:bien gioi|song|bien|cua khau)\b",
        r"\b(?:dang|dang bi|vua bi|moi bi) (?:cho|dua|dan|cho di|dem) (?:di|qua|sang|len|xuong)\b",
        # Without "đang": only when it happens to the writer ("các cô ấy bị đưa lên" is a tip).
        r"\b(?:em|toi|tui|minh|chung em|bon em|chung toi|tui em|bon toi) (?:da )?bi (?:cho|dua|dan|"
        r"cho di|dem) (?:di|qua|sang|len|xuong)\b",
        r"\b(?:dang|dang bi) .{0,15}\btren (?:xe|thuyen|tau|ghe|ca no)\b",
        r"\b(?:vua|dang) (?:len xe|len thuyen|len tau|len ghe) (?:ra|di|qua|sang)\b",
        r"\bdang (?:o )?tren (?:xe|thuyen|tau|ghe|ca no|xuong)\b",
        r"\b(?:dang|vua) (?:cho|dua|cho di|dan|dem) .{0,25}\b(?:tren|len|bang) (?:mot )?(?:chiec )?"
        r"(?:xe|thuyen|tau|ghe|ca no|xuong)\b",
        r"\bvuot bien (?:dem nay|toi nay|ngay mai|bay gio)\b",
        # "tối nay họ chuyển bọn em sang chỗ khác": moved within hours, wherever to.
        r"\b(?:dem nay|toi nay|sang mai|bay gio|sap|chuan bi) .{0,30}\b(?:chuyen|dua|cho|dem|ban) "
        r"(?:ca )?(?:bon em|chung em|chung toi|tui em|bon toi|em|toi|tui|minh)\b",
        r"\b(?:dang )?bi (?:don|day|nhet|ep|bat|lua|dua|dan) (?:len|xuong|vao) "
        r"(?:xe|thuyen|tau|ghe|ca no|thung xe|container)\b",
        r"\b(?:dang|vua) (?:cho|dua|dan|cho di) (?:bon em|chung em|chung toi|tui em|bon toi|em|toi|"
        r"chung no|may dua|cac co gai) (?:bang|tren|len) (?:xe|thuyen|tau|ghe|ca no)\b",
        r"\b(?:dem nay|toi nay|sang mai|ngay mai)\b.{0,20}\b(?:qua|sang|vuot) (?:bien gioi|song|"
        r"bien|cua khau|ben kia)\b",
        # "đêm nay có người dẫn (anh em) đi đường mòn qua Lào": someone taken across tonight,
        # whoever tells it.
        r"\b(?:dem nay|toi nay|sang mai|ngay mai)\b.{0,30}\b(?:dan|dua|cho|chuyen|dem|don) "
        r"(?:\w+ ){0,3}(?:di|qua|sang|vuot)\b.{0,30}\b(?:duong mon|bien gioi|cua khau|lao|"
        r"trung quoc|tq|campuchia|cpc|myanmar|thai lan)\b",
        # Papers in someone else's hands and about to fly or cross ("anh kia cầm hộ chiếu của em
        # bảo sắp lên máy bay qua Dubai"): taken abroad within hours.
        r"\b(?:cam|giu|thu|lay) (?:\w+ ){0,2}(?:ho chieu|giay to|passport|can cuoc)\b.{0,80}"
        r"\b(?:sap|chuan bi|sap sua|se) (?:\w+ ){0,2}(?:len may bay|bay|xuat canh|qua cua khau|"
        r"(?:chuyen|dua|cho) (?:\w+ )?(?:qua|sang))\b",
        r"\b(?:sap|chuan bi|sap sua) (?:\w+ ){0,2}(?:len may bay|bay|xuat canh|qua cua khau)\b"
        r".{0,80}\b(?:cam|giu|thu|lay) (?:\w+ ){0,2}(?:ho chieu|giay to|passport|can cuoc)\b",
        # "sắp bị chuyển đi", "bắt tôi đi theo": being moved, or made to go, now.
        r"\bsap bi (?:chuyen|dua|cho|dem|dan|ban) (?:di|sang|qua|len|xuong|den)\b",
        r"\bbat (?:em|toi|tui|minh|chung em|chung toi|bon em|tui em) (?:phai )?(?:di theo|theo|"
        r"len xe|len thuyen|sang|qua)\b",
        # "đang bị chuyển sang chỗ khác", "đang đưa 10 người lên container", "đang trên đường ra
        # cửa khẩu", "đưa bọn em qua rừng", "ép em vào xe".
        r"\b(?:dang|dang bi|vua bi|sap bi) chuyen (?:\w+ ){0,2}(?:di|sang|qua|den|toi)\b",
        r"\b(?:dang|vua) (?:dua|don|nhet|cho|chuyen|day) (?:\w+ ){0,4}(?:len|vao|xuong) (?:\w+ )?"
        r"(?:xe|thuyen|tau|ghe|container|thung xe|xe tai|ca no)\b",
        r"\bdang (?:tren duong|di) (?:ra|den|toi|sang|qua) (?:\w+ )?(?:cua khau|bien gioi)\b",
        r"\b(?:dua|dan|cho|dat) " + _WE + r" (?:qua|sang|vuot|bang) (?:rung|nui|song|"
        r"suoi|bien gioi|duong mon|duong rung)\b",
        r"\b(?:ep|day|loi|keo|bat|nhet) " + _WE + r" (?:len|vao) (?:\w+ )?"
        r"(?:xe|thuyen|ghe|tau|thung)\b",
        r"\b" + _WE + r" (?:dang )?(?:o|ngoi|nam) (?:tren|trong) (?:xe|thuyen|ghe|tau|"
        r"ca no|thung xe|container)\b",
    ),
    "child_taken": (
        r"\b" + _CHILD + r"\b.{0,50}\b(?:vua|moi|dang|da) (?:bi )?(?:bat coc|bat di|bat len|dan di|"
        r"dua di|dua len|dem di|mang di|cuop|nguoi la (?:dan|dua|bat|cho))",
        r"\bbat coc\b",
        r"\b(?:vua|moi) bi (?:nguoi la|ke la|mot nguoi (?:dan ong|"
        r"dan ba) la) (?:dan|dua|bat|cho|dem|be|om|bong|keo)\b",
        r"\bnguoi la (?:dan|dua|bat|cho|dem) (?:di|len|ve)\b",
        r"\b(?:vua|moi|dang) bi .{0,30}\bla (?:dan|dat|keo|dua|bat|bong|om|cho|dem|du)\b",
        r"\b" + _CHILD + r"\b.{0,50}\b(?:dat|keo|bong|om|bat) (?:di|len xe|len)\b",
        # "vừa có 2 thằng đi xe máy giật một bé gái ở cổng trường": snatched just now.
        r"\b(?:vua|dang|moi) (?:\w+ ){0,6}(?:giat|cuop|bat|bong|om|keo|loi) (?:mot |1 |hai |2 )?"
        r"(?:be gai|be trai|co be|dua be|em be|dua tre|chau be|con be|thang be)\b",
        r"\b" + _CHILD + r"\b.{0,60}\b(?:vua|moi|dang) bi .{0,40}\b(?:cho|dua|bat|dan|dem|keo|bong|"
        r"om|du) (?:di|mat|len xe|len)\b",
        r"\bxe la (?:cho|dua|bat|cho di) (?:di|mat)\b",
        r"\b" + _CHILD + r"\b.{0,60}\b(?:mat tich|bien mat|khong thay dau) (?:tu )?(?:sang nay|"
        r"chieu nay|trua nay|toi qua|dem qua|hom qua|chieu|sang|trua|vua|may tieng)",
        # "bị một người đàn ông bế đi", "lôi một cô bé lên xe máy", "bế em bé ra khỏi bệnh viện".
        r"\bbi (?:\w+ ){0,4}(?:be|bong|om|loi|keo) di\b",
        r"\b(?:loi|keo|bat|om|be|nhet|day|bong) (?:\w+ ){0,3}(?:co be|be gai|be trai|dua be|em be|"
        r"dua tre|con be|tre em|tre con|dua nho|chau be|co gai|may dua tre|may dua nho) "
        r"(?:\w+ ){0,4}(?:(?:len|vao) (?:\w+ ){0,2}(?:xe|thung|o to)|ra khoi)\b",
        r"\bbi (?:\w+ ){0,4}(?:bat|keo|loi|day|ep|nhet) (?:len|vao) (?:\w+ ){0,3}"
        r"(?:xe|o to|thung xe)\b",
        # A child fetched or taken away today and unreachable now, told calmly ("Sáng nay có ô tô
        # lạ vào đón 2 cháu gái, một cháu 14 … Giờ gọi các cháu không nghe máy").
        r"^(?=.*\b(?:chau gai|chau trai|con gai|con trai|be gai|be trai|hoc sinh|dua tre|tre em|"
        r"(?:[1-9]|1[0-7]) ?(?:tuoi|t))\b)"
        r"(?=.*(?:\b(?:sang nay|chieu nay|trua nay|hom nay|toi qua|dem qua|tu sang|tu chieu|"
        r"tu trua|tu toi qua)\b.{0,80}\b(?:don|dua|dan|cho|bat|di theo)\b|"
        r"\b(?:don|dua|dan|cho|bat|di theo)\b.{0,80}\b(?:sang nay|chieu nay|trua nay|hom nay|"
        r"toi qua|dem qua|tu sang|tu chieu|tu trua|tu toi qua)\b))"
        r"(?=.*\b(?:goi|lien lac|nhan tin|dien thoai)\b.{0,25}\b(?:khong nghe|khong duoc|"
        r"khong bat may|tat may|khong tra loi|ko nghe|ko dc|k nghe|tat)\b)",
    ),
    "being_sold": (
        r"\b" + _CHILD + r" (?:\d{1,2} tuoi )?(?:vua |dang )?bi ban\b",
        # "đã mua tụi em với giá 5000 đô", "bị môi giới giao cho một người đàn ông không quen".
        r"\bmua (?:\w+ ){0,2}" + _WE + r" (?:voi |het |mat )?gia\b",
        r"\bbi (?:\w+ ){0,4}(?:giao|trao) (?:\w+ )?cho (?:mot |1 )?(?:nguoi|ong|thang|ke|gia dinh)"
        r"(?: \w+){0,2} (?:khong quen|la mat|la)\b",
        r"\b(?:vua |da |dang |sap )?bi (?:ban|ban lai) (?:sang|qua|cho|di|vao|lai)\b",
        r"\b(?:sap|dinh|muon) ban " + _ME + r"\b",
        r"\b(?:giao|ban|dua|trao) (?:\w+ ){0,2}(?:em|toi|minh|chung em|bon em|tui em|chung toi) "
        r"(?:lai )?cho (?:nguoi mua|ben mua|khach|chu moi)\b",
        # Married off for money and taken within hours or a day ("mai họ đón em", "tối nay họ
        # đến bắt"), in either order: a sale about to happen.
        _MARRIED_OFF + r".{0,80}" + _TAKEN_SOON,
        _TAKEN_SOON + r".{0,80}" + _MARRIED_OFF,
        # "em bị bán rồi", "người yêu em bán em sang đây", "mai bán em qua tq".
        r"\bbi ban (?:roi|mat roi|cho (?:\w+ ){0,3}roi)\b",
        # Folded "bán" is also "bạn" (friend: "bạn em đi làm"): only after who sells or when.
        # Not "kiện người đã bán tôi sang Trung Quốc": who sold them, once.
        r"\b(?<!\bnguoi )(?<!\bke )(?<!\bthang )(?<!\bai )"
        r"(?:da|vua|se|sap|dinh|muon|mai|toi nay|dem nay|"
        r"ho|no|chung no|bon no|tui no|nguoi ta|bon chung|nguoi yeu(?: \w+)?|ny) ban "
        + _WE
        + r" (?:sang|qua|cho|vao)\b",
        r"\b(?:giao|dua) " + _WE + r" (?:lai )?cho (?:nguoi khac|ong|thang|mot nguoi|nguoi ta)\b",
        # Someone being sold now ("chồng nó đang bán nó cho người khác").
        r"\bdang ban " + _ME + r" (?:lai )?(?:cho|sang|qua)\b",
        # A child sold with the hand-over within hours ("bán đứa con 2 tuổi ..., hẹn giao ngay tối
        # nay"); folded "bán con" is also "bạn con" (a child's friend): only "đứa con", "em bé".
        r"\bban (?:\w+ ){0,2}(?:dua con|dua be|em be|dua tre|chau be|dua nho)\b.{0,80}"
        r"\b(?:toi nay|dem nay|chieu nay|sang mai|ngay mai|bay gio)\b",
    ),
    "ransom": (
        r"\btien chuoc\b",
        # "đòi 300 triệu trong 48 tiếng", "đòi 5000 đô trước tối mai".
        r"\bdoi (?:\w+ ){0,3}\d+ ?(?:trieu|tr|usd|do|dola|te|nghin|ngan|k)\b.{0,25}"
        r"\b(?:trong (?:vong )?(?:\d+|mot|hai|ba|vai) (?:tieng|gio|ngay)|truoc (?:\d+ gio|toi|sang|"
        r"trua|chieu|dem|mai|ngay mai))\b",
        r"\b(?:phai|bat|muon ve thi) (?:tu )?chuoc\b|\btu chuoc\b",
        r"\bchuoc (?:nguoi|ve|ra)\b",
        r"\bdoi (?:gia dinh |nha |bo me )?(?:gui |chuyen |dua )?(?:tien|\d+ ?(?:trieu|tr|usd|do))"
        r".{0,40}(?:moi tha|thi tha|neu khong|khong thi|de chuoc|moi cho ve)",
        r"\b(?:bat|doi|ep) (?:gia dinh|nha|bo me|me|bo|vo|chong) (?:\w+ ){0,2}"
        r"(?:chuyen|gui|nop|dua) (?:\w+ )?(?:tien|\d+ ?(?:trieu|tr|usd|do))\b.{0,60}"
        r"(?:khong thi|neu khong|truoc)",
        # "phải trả 30 nghìn tệ mới cho đi", "không gửi 80 triệu thì họ bán em".
        r"\b(?:tien|trieu|tr|te|nhan dan te|usd|do|dola|nghin|ngan)\b.{0,40}\bmoi (?:cho (?:\w+ )?"
        r"(?:ve|di|ra)|tha)\b",
        r"\b(?:khong|ko) (?:gui|chuyen|tra|co|nop|dua) (?:\w+ ){0,3}(?:\d+ ?(?:trieu|tr|te|usd)?|"
        r"tien)\b.{0,30}\b(?:thi|la) (?:\w+ ){0,3}(?:ban|giet|danh)\b(?! sach| gia| tieng)",
        r"\b(?:doi|tien|trieu|tr|usd|te)\b.{0,40}\b(?:khong|ko) (?:gui|chuyen|tra|co|nop|dua)\b"
        r".{0,30}\b(?:thi|la) (?:\w+ ){0,3}(?:ban|giet|danh)\b(?! sach| gia| tieng)",
    ),
    "organ_removal": (
        r"\b(?:lay|mo|cat|moc) (?:mat |lay )?(?:noi tang|gan) (?:cua )?" + _ME + r"\b",
        # "mai họ đưa em đi cắt thận": within a day.
        r"\b(?:mai|ngay mai|toi nay|dem nay|sang mai|sap|tuan nay) (?:\w+ ){0,5}(?:cat|mo|lay|moc) "
        r"(?:\w+ )?than\b",
    ),
    "forced_birth_or_baby_sale": (
        r"\b(?:ep|bat) " + _ME + r"? ?(?:phai )?(?:sinh con|de con|mang thai|de thue)\b",
        r"\b(?:sinh|de) (?:xong|ra) .{0,20}\bban (?:con|dua be|em be|dua tre|no)\b",
        # "họ ép cô ấy sinh rồi bán em bé".
        r"\b(?:ep|bat) (?:\w+ ){0,2}(?:sinh|de) (?:roi |xong |de )?ban "
        r"(?:con|dua be|em be|dua tre)\b",
        r"\bban (?:con|em be|dua be|tre so sinh|"
        r"thai nhi)\b.{0,30}(?:sau khi|khi|luc) (?:sinh|de)\b",
        # A newborn handed over to a "customer" or a buyer (at a clinic, after the birth).
        r"\b(?:giao|trao|dua|ban|chuyen|gui|dem) (?:\w+ ){0,2}(?:em be|dua be|be|con|tre so sinh|"
        r"dua tre|dua nho|tre) (?:\w+ ){0,2}(?:cho|lai cho|sang cho) (?:\w+ ){0,2}"
        r"(?:khach|nguoi mua|ben mua|nguoi dat|nha mua)\b",
        # A newborn being sold with the hand-over within hours.
        r"\b(?:sinh|de) xong .{0,30}\b(?:lay|bat|mang|dem) (?:\w+ )?(?:con|dua be|em be|be) "
        r"(?:\w+ )?(?:di )?ban\b",
        r"\b(?:sinh|de) xong .{0,30}\bgiao (?:hang|\w+) (?:\w+ )?cho (?:khach|nguoi mua|ben mua)\b",
        r"\bban (?:\w+ ){0,2}(?:con|be|em be|dua be|dua tre|tre) (?:moi de|so sinh|moi sinh|"
        r"vua sinh|vua de)\b.{0,60}\b(?:toi nay|dem nay|hom nay|sang mai|ngay mai|mai|chieu nay|"
        r"sap|bay gio)\b",
        # A newborn, a price and a hand-over within hours, in any order ("hẹn chiều nay có người
        # đến lấy đứa bé mới đẻ được 5 ngày, người ta trả 80 triệu").
        r"^(?=.*\b(?:moi de|moi sinh|so sinh|vua sinh|vua de)\b)"
        r"(?=.*\b(?:tra|gia|dua|cho) (?:\w+ ){0,2}\d+ ?(?:trieu|tr)\b)"
        r"(?=.*\b(?:chieu nay|toi nay|dem nay|hom nay|sang mai|ngay mai|bay gio|sap)\b)",
    ),
    "sexual_exploitation": (
        r"\b(?:bi )?(?:ep|bat) " + _ME + r"? ?(?:phai )?(?:lam gai|ban dam|tiep khach|quan he|"
        r"lam tiep vien|ngu voi)\b",
        r"\b(?:hiep dam|cuong hiep)\b",
        # Minors made to serve customers ("mấy em chắc chưa đến 18, tối nào cũng tiếp khách").
        r"\b(?:chua (?:den|du|toi|qua) 18|vi thanh nien|(?:1[0-7]|[1-9]) tuoi|tre vi thanh nien)\b"
        r".{0,80}\b(?:tiep khach|ban dam|di khach|ngu voi khach)\b",
        r"\b(?:tiep khach|ban dam|di khach)\b.{0,80}\b(?:chua (?:den|du|toi|qua) 18|vi thanh nien|"
        r"(?:1[0-7]|[1-9]) tuoi)\b",
        # A child being led into a guesthouse now ("đang dắt một bé gái 10 tuổi vào nhà nghỉ").
        r"\b(?:dang|vua) (?:dat|dan|dua|keo|loi|om|be|cho) (?:\w+ ){0,5}(?:be gai|co be|con be|"
        r"be trai|dua tre|dua be|tre em|em be|chau be|hoc sinh|(?:[1-9]|1[0-7]) tuoi)\b.{0,30}"
        r"\b(?:vao|len) (?:\w+ )?(?:nha nghi|khach san|nha tro|phong)\b",
    ),
    "forced_labour_now": (
        r"\b(?<!tre )(?:em|toi|tui|minh|chung em|bon em|"
        r"chung toi) (?:dang )?bi (?:ep|bat) (?:lam|di lua|lua dao)\b"
        r"(?!.{0,40}\b(?:truoc day|hoi truoc|ve (?:nuoc|nha|que) roi|da ve|tro ve|giai cuu))",
        r"\b(?:ep|bat) (?:em|toi|tui|minh|chung em|bon em|chung toi|con|chau|anh ay|co ay) "
        r"(?:phai )?(?:lam|lua|di lua)\b(?!.{0,40}\b(?:truoc day|da ve|tro ve))",
    ),
    "cry_for_help": (
        # Not "Cứu tinh của đời tôi" (a saviour: thanks).
        r"^(?:sos|cuu(?! tinh)|cuu cuu|cuu voi|ciu|ciu voi|ciu em|cuuu+)\b",
        # Not "hiến thận cứu người" (save lives): "cứu người" is a cry only with "với", "ơi".
        r"(?<!giai )(?<!cap )(?<!duoc )\bcuu (?!nguoi\b(?! (?:voi|oi|ngay|di)\b))(?:"
        + _ME
        + r"|voi|giup|mang|e)\b",
        r"(?<!giai )(?<!cap )\bcuu\s*$",
        # Not "không có tin nhắn cầu cứu nào" (no cry came).
        r"(?<!khong co tin nhan )(?<!khong co loi )(?<!chua he )(?<!khong he )"
        r"\b(?:cau cuu|sos|khan cap)\b",
        r"\bgiup (?:em|toi|minh|con|chau|chung em|chung toi) (?:ngay|gap)\b",
        r"\bgiup (?:em|toi|minh|chung em|chung toi) (?:tron|thoat|ra khoi|chay)\b",
        r"\bgiup (?:em|toi|minh|chung em|con|chau)(?: voi)?\b.{0,25}\b(?:gap|khan cap)\b",
        r"\b(?:muon|dinh|phai|can) (?:tron|bo tron|thoat|chay) (?:ngay|toi nay|dem nay|bay gio)\b",
    ),
    "cut_off_contact": (
        # Not "qua mối" (through a matchmaker) nor "mất liên lạc 6 tháng" (gone for months). The
        # time word ("when") is checked against its accents where the text has them (_WHEN_WORDS).
        # Unaccented, "mời" (invites) is told by whom it invites: "chuyen moi phu nu di lam".
        r"\b(?P<when>vua|(?<!mai )(?<!qua )(?<!ba )(?<!nho )moi(?! gioi)(?! " + _INVITED + r")|"
        r"toi qua(?! moi gioi| mai moi| trung gian)|hom qua|sang nay|chieu nay|dem qua|luc nay)"
        r".{0,80}"
        r"(?:tat may|mat lien lac|khong lien lac duoc|khong goi duoc|"
        r"mat song|goi khong (?:duoc|ai nghe)|"
        r"khong ai nghe|roi im|bi ngat)"
        r"(?! (?:\w+ )?(?:\d+|mot|hai|ba|may|vai|nhieu) (?:thang|nam))",
        r"\b(?:nhan|goi|noi) .{0,30}(?:cuu|cuu voi|cau cuu).{0,60}(?:tat may|mat lien lac|im)",
        r"\bkhong (?:nhan|tra loi) (?:duoc )?lau\b",
        r"\b(?:dang bi|bi) theo doi\b",
    ),
    "hiding_or_pursued": (
        r"\b(?:dang )?(?:tron|nup|an nap|nap) (?:trong|o|duoi|sau|tai)\b",
        # Just out and afraid of being found ("tôi sợ họ lần ra").
        r"\bso (?:ho|chung no|bon no|tui no|bon chung) (?:se )?(?:lan ra|tim ra|tim thay|tim den|"
        r"lan theo|phat hien ra)\b",
        r"(?<!khong ai )(?<!khong co ai )"
        r"\b(?:duoi theo|truy duoi|dang duoi|di tim (?:em|toi|minh|chi|tui em|chung em|bon em)|"
        r"di lung|san lung|lung suc)\b",
        r"\b(?:dang )?bi (?:duoi|truy duoi|san duoi)\b(?! (?:viec|hoc|khoi|ra|di lam|ve))",
        # "họ đang tìm em" — not "họ đang tìm thêm người" (recruiting).
        r"\b(?:chung no|bon no|tui no|bon chung) (?:dang )?(?:toi|den|lai gan|tim "
        + _ME
        + r")\b(?! them)",
        r"\bho dang (?:toi|den|lai gan|duoi|"
        r"tim (?:em|toi|minh|chung em|bon em|chung toi|tui em))\b",
        r"\bbiet (?:cho|noi) (?:em|toi|minh|tui em|chung em) (?:dang )?o\b",
        r"\b(?:dang|bon no|chung no|ho|tui no) (?:dang )?(?:dap|pha) cua\b",
        # Writing in secret, found out, or "them" at the door now.
        r"\b(?:nhan tin|nhan) (?:len|trom|vung)\b(?! (?:nhom|group|mang|fb|facebook|zalo|page))|"
        r"\b(?:goi|dung may|cam may) (?:trom|vung)\b|\blay trom (?:\w+ )?(?:dien thoai|may)\b",
        r"\bphat hien (?:\w+ ){0,2}(?:em|toi|minh) (?:dang )?(?:nhan tin|nhan|goi|bao|tron)\b|"
        r"\bsap phat hien\b",
        r"\b(?:ho|chung no|bon no|tui no|bon chung|nguoi ta) (?:dang |sap )?(?:dung |o |canh )?"
        r"(?:ngoai|truoc) (?:cua|san|nha|phong)\b",
        r"\b(?:ho|chung no|bon no|tui no) sap quay lai\b",
        r"\b(?:di theo|bam theo) (?:em|toi|minh)\b(?! (?:gai|trai|ho|toi))",
    ),
    # Just got out: urgent unless the writer is already home (then a signal of past harm).
    "just_escaped": (r"\b(?:vua|moi) (?:tron|bo tron|thoat) (?:thoat|ra|duoc|khoi)\b",),
    "handed_to_stranger": (
        r"\b(?:(?:giao|de lai|bo lai) (?:\w+ ){0,2}|(?:gia|ban) (?:"
        + _ME
        + r" )?)(?:cho|o voi) (?:mot |1 )?(?:nguoi la|"
        r"(?:thang|ong|nguoi|gia) dan ong la|"
        r"thang la|ong la|nguoi (?:dan ong|dan ba|dan ong la|dan ba la) (?:la|nao do))\b",
    ),
    # Made to marry within hours or a day ("bắt em lấy ông ta ngay tối nay").
    "forced_marriage": (
        r"\b(?:ep|bat) (?:\w+ ){0,2}(?:lay|cuoi|ket hon)\b.{0,60}\b(?:ngay mai|mai|toi nay|dem nay|"
        r"sang mai|ngay bay gio|bay gio)\b",
        r"\b(?:ngay mai|toi nay|dem nay|sang mai)\b.{0,40}\b(?:ep|bat) (?:\w+ ){0,2}(?:lay|cuoi|"
        r"ket hon)\b",
    ),
    "police_now": (
        r"\b(?:bao|goi|keu) (?:giup |ho )?(?:cong an|canh sat|bien phong|113)"
        r" (?:giup|ho|ngay|gap|di|voi|cuu)\b",
        r"\b(?:bao|goi) (?:giup|ho) (?:em|toi|minh|chung em)? ?(?:cong an|canh sat|113)\b",
    ),
}

# Accented-only patterns for words whose folded form collides with common words
# (bạn thân "close friend" folds like bán thận "sell a kidney").
_ACCENTED: dict[str, tuple[str, ...]] = {
    "organ_removal": (
        r"\b(?:bắt|ép|phải|sẽ|sắp|định|đòi|bị)\s+(?:\w+\s+){0,3}(?:bán|lấy|mổ|cắt|móc)\s+"
        r"(?:\w+\s+){0,2}thận\b",
        r"\b(?:mổ|lấy|cắt|móc)\s+(?:\w+\s+)?thận\s+(?:của\s+)?(?:em|tôi|anh|chị|nó|con|cháu)\b",
        r"\b(?:để|sẽ|sắp|định)\s+(?:\w+\s+){0,2}(?:lấy|mổ|cắt|móc)\s+(?:\w+\s+){0,2}thận\b",
    ),
}
_UNACCENTED_ONLY: dict[str, tuple[str, ...]] = {
    "organ_removal": (
        r"\b(?:bat|ep|phai|se|sap|dinh|doi) (?:\w+ ){0,3}(?:ban|lay|mo|cat|moc) (?:\w+ )?than\b",
        r"\b(?:mo|moc) (?:lay )?than\b",
        r"\b(?:de|se|sap|dinh) (?:\w+ ){0,2}(?:lay|mo|cat|moc) (?:\w+ ){0,2}than\b",
    ),
}

_HELP_TASK = (
    r"(?:find|with|get|to|understand|know|sort|write|fill|apply|file|prepare|check|fix|deal|learn|"
    r"read|make|figure|look|plan|choose|translate|contact|reach|talk|start|open|return|go back|"
    r"see a|see the|visit|pay|buy|afford)"
)
_ENGLISH: dict[str, tuple[str, ...]] = {
    "confinement": (
        # Not "nobody is locked in" (a tip that says so).
        r"(?<!nobody )(?<!no one )\b(?:i|we|she|he|they|am|are|r|is|was|were|being) "
        r"(?:locked|held|trapped|detained|imprisoned|kept) (?:in|up|captive|inside|here)\b",
        # Not "can't leave the job" (cannot quit: a practice to verify, not confinement).
        r"\b(?:can ?not|can't|cant|won'?t let (?:me|us|her|him)) "
        r"(?:leave(?! (?:the |this |my |their |that |his |her )?(?:job|work|company|contract))|"
        r"get out|go out|go home)\b",
        r"\blocked me\b",
        r"\b(?:lock|locks|locked|locking) (?:me|us|her|him|them) (?:in|up|inside)\b",
        r"\b(?:won'?t|don'?t|doesn'?t|do not|does not) let (?:me|us|her|him|them) "
        r"(?:out|go|leave)\b",
        r"\bkeeps? (?:me|us|her|him) (?:inside|locked|in a|in the)\b",
        r"\bchain(?:ed|s)? (?:the )?(?:gate|door)\b",
    ),
    "violence": (
        r"\b(?:beat|beating|beaten|hit me|hurt me|rape|raped|electric shock|torture)\w*\b",
        r"\b(?:hitting|kicking|hurting|stabbing|choking) (?:my|me|us|her|him|them|the)\b",
    ),
    "threat": (
        r"\bthreat\w*\b.{0,30}\b(?:kill|family|hurt)\b",
        # "they still threaten my mother": a threat to the writer's own, said as going on.
        r"\bthreaten\w* (?:my|our|me|us)\b",
        r"\bwill kill\b",
        r"\b(?:will|would|gonna) (?:be|get) (?:shot|killed)\b",
        r"\bcut (?:off )?(?:my|her|his|our|your) (?:finger|hand|ear)s?\b",
    ),
    "documents_taken": (
        r"\b(?:took|take|taken|keep|kept) (?:my|our|her|his) (?:passport|phone|papers|id)s?\b",
    ),
    "transport_in_progress": (
        r"\b(?:on a (?:boat|truck|bus|van)|in a (?:truck|van))\b.{0,30}\b(?:now|taking|tonight)\b",
        r"\b(?:they are|they're) (?:taking|moving) (?:us|me)\b",
        r"\b(?:moving|taking|driving|smuggling) (?:us|me|them|her|"
        r"him)\b.{0,40}\b(?:border|boat|truck|river|tonight|now)\b",
        r"\b(?:loading|putting|pushing|forcing|shoving) (?:\w+ ){0,3}(?:into|in) (?:the back of )?"
        r"(?:a |the )?(?:truck|van|car|boat|container|lorry)\b",
        r"\b(?:move|moving|ship|shipping|send|sending) (?:all of )?"
        r"(?:us|me|them|the girls|everyone)\b.{0,40}\b(?:border|boat|truck|river|tonight|now)\b",
        r"\b(?:van|truck|boat|bus|car|lorry)\b.{0,20}\b(?:leaving|leaves|left)\b.{0,40}"
        r"\b(?:tonight|now|with (?:all of )?(?:us|me)|(?:an|one|two|\d+) hours? ago)\b",
        # "crossing into Laos at this moment", "taken away in a van this morning".
        r"\bcrossing (?:into|over|the border)\b.{0,40}\b(?:at this moment|right now|now)\b",
        r"\b(?:at this moment|right now)\b.{0,40}\bcrossing (?:into|over|the border)\b",
        r"\b(?:took|taken|drove|driven) (?:her|him|them) away\b.{0,40}\b(?:this morning|today|"
        r"tonight|an hour ago|hours ago|just now)\b",
    ),
    "child_taken": (
        r"\b(?:child|girl|boy|kid|daughter|"
        r"son)\b.{0,40}\b(?:just )?(?:taken|kidnapped|abducted|snatched)\b",
        r"\bkidnap\w*\b",
        r"\b(?:got|get|pulled|taken|dragged) into (?:a |the )?stranger'?s? (?:car|van|truck)\b",
        r"\b(?:grabbed|snatched|dragged|abducted) (?:a |the |my |our |her |his )?(?:little |young |"
        r"small )?(?:girl|boy|child|kid|daughter|son|baby)\b",
        r"\b(?:girl|boy|child|kid|daughter|son|baby)\b.{0,30}\b(?:pulled|dragged|pushed|forced|"
        r"bundled|thrown) (?:in)?to (?:a |the )?(?:van|car|truck|taxi|boat)\b",
        r"\b(?:pushed|pulled|dragged|forced|shoved|bundled|threw|grabbed|carried) (?:\w+ ){0,4}"
        r"(?:girl|boy|child|kid|teen\w*|daughter|son|baby|woman|women)\b (?:\w+ ){0,3}(?:in)?to "
        r"(?:a |the |an )?(?:\w+ )?(?:van|car|truck|taxi|boat|vehicle)\b",
    ),
    "ransom": (
        r"\bransom\b",
        r"\b(?:demand\w*|asking for|want) .{0,30}\b(?:dollars|money|usd|\$|payment)\b.{0,40}"
        r"\b(?:or|otherwise|else|before)\b",
    ),
    "being_sold": (
        r"\b(?:will|going to|gonna|want to) sell (?:me|us|him|her|them|my \w+)\b",
        r"\b(?:am|i'm|im|are|we're|is|she's|he's) (?:being|getting|going to be|gonna be) sold\b",
        r"\b(?:child|baby|toddler|girl|boy|kid|children|babies|kids) (?:is |are )?being sold\b",
        r"\b(?:marry|married|bride|sold)\b.{0,80}\b(?:tomorrow|tonight)\b.{0,30}"
        r"\b(?:take|pick|fetch|collect|come for|coming for) (?:me|her|us)\b",
        r"\b(?:tomorrow|tonight)\b.{0,40}\b(?:take|pick|fetch|collect|come for|coming for) "
        r"(?:me|her|us)\b.{0,80}\b(?:marry|married|bride)\b",
    ),
    "organ_removal": (
        r"\b(?:take|remove|sell|harvest|cut out|buy)s? (?:my|her|his|our|their) "
        r"(?:kidney|organ)s?\b",
        # "my kidney operation is tomorrow and I can't back out": within a day, unwilling.
        r"\b(?:kidney|organ)\b.{0,60}\b(?:tomorrow|tonight|today)\b.{0,60}"
        r"\b(?:can'?t|cannot|won'?t let me) (?:back out|refuse|say no|leave|go)\b",
    ),
    "forced_birth_or_baby_sale": (
        r"\bsell\w* (?:my|the|her|our|their) (?:baby|newborn)\b",
        r"\b(?:hand|give|deliver)\w* (?:the |her |a )?(?:baby|newborn) (?:over )?to (?:a |the )?"
        r"(?:customer|buyer|client)s?\b",
    ),
    "sexual_exploitation": (
        r"\bforced (?:into|to do) (?:sex|prostitution)\b",
        # A witness: young girls with a man, frightened, there now.
        r"\b(?:young|little|teenage|underage) girls?\b.{0,60}\b(?:terrified|scared|frightened|"
        r"crying)\b.{0,100}\b(?:right now|now|tonight)\b",
    ),
    "forced_labour_now": (r"\bforced to (?:work|scam|sell|steal)\b",),
    "forced_marriage": (
        r"\bforc\w* (?:me|her|us) to marry\b.{0,40}\b(?:tonight|tomorrow|now|today)\b",
        r"\b(?:tonight|tomorrow)\b.{0,40}\bforc\w* (?:me|her|us) to marry\b",
    ),
    "cry_for_help": (
        r"^\s*(?:sos|help)\s*(?:[!.,]|$|me\b|us\b|please\b)",
        # Not "help me sort out my papers" or "help me write a complaint": a request for help.
        r"\b(?:(?<!to )help me\b(?! " + _HELP_TASK + r")|"
        r"please help(?! (?:me |us |him |her |them )?" + _HELP_TASK + r")|save me|send help|"
        r"call (?:the )?police|come (?:quick|quickly|fast|now)|come (?:get|take|pick up) me|"
        r"need help (?:fast|now|quick|urgently|asap))\b",
    ),
    "cut_off_contact": (
        r"\b(?:call|line) (?:dropped|cut off|went dead)\b",
        r"\b(?:help|sos)\b.{0,40}\b(?:phone|line) (?:went|is|was) (?:off|dead|cut)\b",
        r"\b(?:texted|messaged|sent|wrote)\b.{0,20}\b(?:help|sos)\b.{0,40}\b(?:silent|off|dead|"
        r"nothing since)\b",
    ),
    "hiding_or_pursued": (
        r"\b(?:banging|knocking|kicking|breaking) (?:on |down )?(?:the|my|our) door\b",
        r"\b(?:hiding|following me|chasing|looking for me|searching for "
        r"(?:me|us)|hunting (?:me|us))\b",
    ),
    # Urgent unless the writer says they are back home or safe ("I escaped ..., I'm back in
    # Vietnam now, safe"): then a signal of harm that is over.
    "just_escaped": (r"\b(?:just escaped|escaped but|escaped from|ran away from)\b",),
}


# Time decides urgency. Someone back home or telling of harm that is over asks for help, not a
# page: their indicators become "signals" for staff, and `past_harm` is set. A few indicators are
# about now whatever else the message says (a threat, a ransom, a cry, pursuit, a call cut off).
_PRESENT_ONLY = frozenset(
    {
        "threat",
        "ransom",
        "cry_for_help",
        "cut_off_contact",
        "hiding_or_pursued",
        "police_now",
        "child_missing_recent",
    }
)
# What someone back home may tell of their past in another script: over (signals for staff). A
# "help me" among them is over only when they say what they need or want next. Not a threat,
# pursuit, a move tonight, a ransom or a child just taken: those are about now.
_OVER_WITH_A_PLEA = frozenset(
    {"cry_for_help", "being_sold", "confinement", "documents_taken", "violence", "organ_removal"}
)
# Where people come back from ("từ bên Campuchia về", "về từ Trung Quốc").
_ABROAD = (
    r"(?:tq|trung quoc|cam|campuchia|cpc|lao|thai|thai lan|myanmar|malay|malaysia|dai loan|"
    r"han quoc|han|nhat|nuoc ngoai|ben kia|ben do|indonesia|indo|dubai|a rap xe ut|saudi|nga|"
    r"tau ca)"
)
# "chuộc (em nó) về rồi/được": a ransom paid and the person home (both _RETURNED and _RANSOM_PAID).
# "chuộc về rồi", "phải chuộc về mất 200 triệu": bought back, and home.
_RANSOMED_HOME = (
    r"chuoc (?:\w+ ){0,2}ve (?:roi|duoc|mat)|"
    # "gia đình chuộc về hồi tháng 9": ransomed home, with when.
    r"chuoc (?:\w+ ){0,2}ve (?:hoi|tu|nam|thang|tuan|hom|dau|cuoi)\b|"
    # "gia đình đã chuộc về. Giờ anh ấy ổn rồi", "phải chuộc 200 triệu mới về được".
    r"(?:da|moi) chuoc (?:\w+ ){0,2}ve|chuoc (?:\w+ ){0,3}moi (?:duoc )?ve(?: duoc)?"
)
_RETURNED = re.compile(
    # Not "chạy về phía cửa khẩu" (being driven toward the border).
    r"\b(?:da ve|ve (?:nuoc|nha|que|viet nam|vn) (?:roi|duoc|an toan)|"
    r"(?:tron|thoat|chay) (?:duoc )?ve(?! phia| huong)|"
    # "em bị bán rồi về", "bị lừa sang đó rồi trốn về": harm, then home.
    r"bi (?:\w+ ){1,4}roi (?:tron |duoc |moi |lai )?ve(?! phia| huong)|"
    # "em ở bên Trung Quốc về hồi tháng 3": back from abroad.
    r"(?:o|tu) (?:ben |tan )?(?:trung quoc|tq|campuchia|cpc|lao|thai lan|myanmar|malaysia|"
    r"dai loan|han quoc|nhat ban|nhat|singapore|indonesia|philippines|dubai) ve(?! phia| huong)|"
    r"da tro ve|tro ve (?:nha|nuoc|que|viet nam)|duoc trao tra|duoc tra ve|"
    r"duoc (?:\w+ ){0,3}(?:giai cuu|cuu ra|cuu ve|dua ve|dua ra)|"
    # "được cứu rồi", "mới được về Trà Vinh", "đã được công an trả về", "về quê Quảng Nam rồi",
    # "sinh xong họ lấy đứa bé rồi cho mình về" (not "không cho mình về": kept from it).
    # Not "trả nợ 50 triệu mới được về" (only then may they go: still held).
    r"duoc cuu (?:roi|ra|thoat)|(?:da|vua) duoc ve|"
    r"(?<!tien )(?<!trieu )(?<!no )(?<!xong )(?<!du )(?<!het )"
    r"(?<!thi )(?<!khi )moi duoc ve|(?:da|moi|vua) duoc (?:\w+ ){1,3}tra ve|"
    r"ve que (?:\w+ ){1,3}roi|(?<!khong )(?<!chua )(?<!chang )roi cho (?:minh|em|toi|tui|e) ve|"
    # Released ("rồi được thả"); not "trả đủ nợ thì được thả" (a condition: still held).
    r"(?:roi|da|vua|sau do|cuoi cung) duoc tha|duoc tha (?:ve|ra|roi)|"
    # Not "không cho về, rồi …" (kept from going home; the comma is gone once folded).
    r"trao tra ve|moi ve|vua ve|(?<!cho )(?<!chua )(?<!khong )ve (?:duoc )?roi|da thoat|"
    r"thoat duoc roi|nay da|tim lai duoc|da an toan|an toan roi|"
    # Last, ransomed back ("tháng trước mới chuộc về được"): home now.
    r"tim (?:duoc |ra )?duong (?:tro )?ve|" + _RANSOMED_HOME + r"|"
    r"came back|came home|returned|back home|was rescued|were rescued|got out|escaped last|"
    r"rescued (?:me|us) (?:last|yesterday|on|in|\d|a |two|three|few)|"
    # "i leave last week, now stay at church" (English as a second language).
    r"(?:i|we) (?:leave|left|escape|escaped|run away|ran away) (?:\w+ ){0,3}(?:last (?:week|"
    r"month|year)|yesterday|(?:\d+|a|one|two|three|few) (?:days?|weeks?|months?|years?) ago)|"
    r"now (?:i |we )?(?:stay|staying|live|living) (?:at|in|with) (?:a |the |my )?(?:church|"
    r"shelter|temple|pagoda|friend|relative|family)|"
    r"(?:i'?m|i am|we'?re|we are|just|came|got) back from|back from (?:china|cambodia|laos|"
    r"myanmar|burma|thailand|malaysia|taiwan|korea|japan|dubai|abroad|overseas)|"
    r"back in (?:vietnam|viet nam|vn|my (?:home ?town|country|village))|safe now|home now|"
    r"(?:i'?m|i am|we'?re|we are) (?:now )?(?:back|home|safe)|"
    # Not "he is back" alone: that may be the man who hurt them, back at the door.
    r"(?:he is|he'?s|she is|she'?s|they are|they'?re) (?:now )?(?:back home|home|safe)|"
    r"(?:gio|nay|bay gio) (?:da |moi )?(?:ve|tro ve|o nha|an toan)|ve sau|"
    # "giờ e ở nhà" (not "giờ em về …", which may ask how to get home, nor "ở nhà một người lạ").
    r"(?:gio|nay|bay gio) (?:toi|em|e|minh|tui|chi|con|chau) (?:da )?(?:an toan|da ve|o nha"
    r"(?! (?:mot|cua|nguoi|ong|ba|chu|thang|han|ho|no|bon|lao|chong|tui no|khach|chu nha)\b))|"
    r"ve (?:den )?nha (?:me|bo|ba|minh|ong ba|an toan)|"
    rf"tu (?:ben )?{_ABROAD} (?:moi |vua |da )?ve|ve tu (?:ben )?{_ABROAD}|"
    r"(?:tu|ke tu|sau) (?:khi|luc|hoi) (?:\w+ )?ve|"
    # "về được 1 năm" (back a year now), not "chưa về được hai năm nay" (unable to return).
    r"(?<!chua )(?<!khong )(?<!ko )ve (?:duoc )?(?:lau|(?:\w+ )?(?:nam|thang|tuan|ngay|hom)) "
    r"(?:roi|nay)|"
    r"(?<!chua )(?<!khong )(?<!ko )ve duoc (?:\d+|mot|hai|ba|bon|nam|vai|may) "
    r"(?:nam|thang|tuan|ngay|hom)\b|"
    r"ve (?:\w+ ){0,2}(?:tuan|thang|nam|hom) truoc|survivor|(?:in )?a safe place now)\b"
)
# The writer says in so many words that they are safe now ("giờ em về nhà được 2 tuần rồi, an toàn
# rồi"), and no threat goes on ("vẫn dọa", "giờ tụi nó nhắn dọa", "still threatening").
_SAFE_NOW = re.compile(
    r"\b(?:an toan roi|da an toan|(?:gio|nay) (?:em|toi|minh|tui|chau) (?:da )?(?:on|an toan)|"
    r"(?:i am|i'm|we are|we're) safe now|(?:i am|i'm|we are|we're) safe)\b"
)
_THREAT_GOES_ON = re.compile(
    r"\b(?:van|van con|con dang|dang|tiep tuc|gio|bay gio|hom qua|hom nay|moi|vua|lai)"
    r"(?: \w+){0,3} (?:doa|de doa|nhan tin doa|goi dien doa|threaten|threatening)\b|"
    r"\b(?:still|keep|keeps|now|again) (?:\w+ ){0,2}threaten"
)
_PAST = re.compile(
    r"(?<!tu )\b(?:nam ngoai|nam truoc|nam kia|"
    r"(?:\d+|hai|ba|may|vai|nhieu) (?:nam|thang) (?:truoc|ve truoc)|"
    r"thang truoc|hoi truoc|truoc day|truoc kia|hoi do|hoi nho|tu nho|tung bi|ngay xua|"
    # "trc bị bán sang tq" (was sold before), not "trước cổng bị bắt" (at the gate).
    r"truoc (?:(?:em|toi|minh|tui|chau|con|no) )?(?:tung )?bi|"
    r"hoi (?:nam|thang) |hoi (?:dau|giua|cuoi) nam|nam (?:19|20)\d\d|last year|years ago|"
    r"months ago|used to|"
    # Told to the police already ("tôi vừa khai với công an xã là bị bán sang Trung Quốc", "đã
    # trình báo công an chuyện bị bán").
    r"(?:da|vua) (?:trinh bao|to giac|khai bao|bao) (?:\w+ ){0,3}(?:chuyen|viec|ve viec) "
    r"(?:\w+ )?bi|"
    r"khai (?:voi|cho) (?:\w+ ){1,3}(?:la |rang )?(?:\w+ )?(?:da )?bi|"
    rf"(?:do|vi) bi (?:\w+ ){{1,3}}(?:o|ben|tai) (?:ben )?{_ABROAD}|"
    r"(?:i|we|who) (?:was|were) (?:forced|trafficked)|vu an|"
    r"(?:who|that) (?:sold|trafficked|tricked) (?:me|us)|(?:being|been|was|were) (?:prosecuted|"
    r"arrested|convicted|sentenced)|on trial|"
    r"(?:luc|khi|tu khi|hoi|thoi gian|trong thoi gian) (?:(?:toi|em|minh|chi|con|chau|no|co ay|"
    r"anh ay|tui) )?(?:con )?(?:bi|o ben)|ve truoc|"
    # "về việc bị bán" (a case already reported), "người chồng mà tôi bị bán cho": told of.
    r"ve viec (?:\w+ )?bi|vu (?:\w+ )?bi|ma (?:toi|em|minh|chi|co ay|tui) bi ban cho|"
    r"(?:a |trafficking |human trafficking )survivor|"
    # A dream or a memory of it is not danger now ("cứ nhắm mắt là mơ thấy bị đánh").
    r"mo thay|ac mong|am anh|nho lai|nightmares?|flashbacks?|(?:from|back) when)\b"
)
# What earlier returnees told ("lần trước mấy người đi về kể bị giữ giấy tờ"): others' experience
# that is over, a tip about the recruiter, not a page (issue 16).
_HEARSAY = re.compile(
    r"(?<!goi )(?<!nhan )\b(?:ve ke|(?:di|tro) ve (?:\w+ ){0,2}(?:ke|noi)|"
    r"ve (?:nuoc|que|nha|lang) (?:\w+ ){0,2}(?:ke|noi)|lan truoc|dot truoc|nhung nguoi (?:di )?"
    r"truoc|nguoi (?:di )?truoc|may nguoi (?:di )?truoc|nguoi cu|tung di|"
    r"nghe (?:noi|bao|ke|don)|"
    r"(?:people|workers|men|those) who (?:went|came back|returned)|came back and (?:said|told)|"
    r"told (?:us|me|everyone) (?:that )?they (?:had|were))\b"
)
# Someone calling or texting home to tell it is not hearsay of the past ("chị tôi gọi về nói bị
# nhốt").
_CALLED_HOME = re.compile(
    r"\b(?:goi ve|goi dien|nhan ve|nhan tin|nhan la|called|texted|messaged|rang)\b"
)
_HEARSAY_REASONS = frozenset({"confinement", "documents_taken", "violence", "forced_labour_now"})
# A ransom already paid by the family of someone who is back: a debt to help with, not a demand.
_RANSOM_PAID = re.compile(
    r"\b(?:da|vay|no|tra|nop|dong|gui|gom|ban (?:\w+ ){0,3}de) (?:\w+ ){0,4}tien chuoc\b|"
    r"\btien chuoc (?:\w+ ){0,3}(?:da tra|da nop|da dua|roi|xong)\b|"
    r"\b" + _RANSOMED_HOME + r"\b|"
    r"\b(?:vay|gom|ban) (?:\w+ ){0,4}chuoc (?:\w+ )?ve\b|"
    # Released since ("… xin tiền chuộc, sau đó thì được thả về rồi"): the demand is over.
    r"\btien chuoc\b.{0,60}\bduoc tha (?:ve|ra) roi\b|"
    # "came back from Cambodia after we paid to get him out".
    r"\bpaid (?:\w+ ){0,3}to get (?:him|her|them|me|us) out\b|"
    r"\b(?:paid|pay|paying|pay off|paying off|borrowed (?:\w+ ){0,3}(?:for|to pay)) "
    r"(?:the |a |his |her )?ransom\b|"
    r"\bransom (?:\w+ ){0,2}(?:paid|debt)\b"
)
# Since when (từ năm ngoái, mấy tháng nay): the situation may still be going on.
_BEING = re.compile(r"\b(?:dang bi|dang o (?:trong|ben|day|tren))\b")
_DURATION = re.compile(
    r"\b(?:tu (?:nam ngoai|nam truoc|nam kia|thang truoc|(?:nam )?(?:19|20)\d\d)|"
    r"(?:may|vai|nhieu|hai|ba|\d+) "
    r"(?:thang|nam) (?:nay|roi|lien|qua)|hon (?:mot|1|hai|2) (?:nam|thang)|lau roi|lau lam roi)\b"
)
# "My hands still shake", "I still have nightmares": what harm that is over left behind.
_NOT_AFTER_EFFECT = (
    r"(?! (?:\w+ )?(?:shak\w*|hurts?|scared|afraid|feel\w*|have (?:nightmares|bad dreams|pain)|"
    r"cr(?:y|ies)|dream\w*|can'?t sleep|think about))"
)
_PRESENT = re.compile(
    # Not "giờ vẫn chưa về" (someone gone for years with no new sign: a report, triage.md).
    # Not "vẫn bị đau lưng", "vẫn bị ám ảnh": what harm that is over left behind.
    r"\b(?:van dang|van con(?! (?:\w+ )?(?:dau|am anh|mat ngu|ac mong|benh|sot|met|so|run|yeu|"
    r"seo|vet|no))|van bi(?! (?:dau|am anh|mat ngu|ac mong|benh|sot|met|tram cam|"
    r"stress|so|run|yeu))|con dang bi|vua bi|hien (?:van|dang|gio van)|"
    r"(?:bay )?gio van(?! chua (?:ve|co tin|lien lac|thay))|"
    r"toi nay|dem nay|ngay mai|sang mai|chieu nay|right now|"
    # "hôm nay họ đánh thằng con tôi": what they did today.
    r"hom nay (?:ho|chung no|bon no|tui no|no|ong chu|chu|bon chung) |still"
    + _NOT_AFTER_EFFECT
    + r"|tonight|"
    # A witness who has just seen it: now, whatever the story of how she got there.
    # Not "mọi thứ thay đổi", "mọi người thấy" (mọi folds to moi too).
    r"(?:vua|moi) (?!(?:thu|nguoi|khi|lan|chuyen|ngay|nha)\b)(?:\w+ )?"
    r"(?:thay|nhin thay|trong thay|chung kien|bat gap)|just saw)\b"
)
# A question about a situation with nobody in the first person is a question, not an emergency.
_QUESTION = re.compile(
    r"(?:\?\s*$|\b(?:la gi|the nao|nhu the nao|ra sao|lam sao|co phai|bao ai|o dau|vi sao|tai sao|"
    r"khong|ko|khong a|chua|hay khong|duoc khong|khong vay|gi vay)\s*(?:a|ah|vay|nhi|ha)?\s*$|"
    r"^(?:why|what|how|is|are|can|does|do|where|vi sao|tai sao|lam sao|lam the nao|"
    rf"cho (?:em|toi|minh|{ELDER_ASKERS}) hoi|toi muon biet|em muon biet|"
    r"minh muon biet|muon hoi)\b)"
)
_FIRST_PERSON = re.compile(
    r"\b(?:em|toi|tui|minh|chung em|chung toi|bon em|tao|con toi|i|me|my|we|us|our)\b"
)
_STILL_NOW = re.compile(
    r"\b(?:dang|van dang|bay gio|luc nay|ngay bay gio|con dang|right now|still"
    + _NOT_AFTER_EFFECT
    + r")\b"
)
_ASKS_TO_KNOW = re.compile(
    rf"^(?:cho (?:em|toi|minh|tui|{ELDER_ASKERS}) hoi|"
    r"(?:toi|em|minh|tui) muon (?:biet|hoi|tim hieu)|xin hoi|"
    r"i want to know|can you tell me|how (?:can|do|would) i (?:tell|know|recogni[sz]e|spot))\b"
)
# "trẻ em" (children) and "bố mẹ" (parents; folded "me" is also English "me"): not the writer.
_CHILDREN = re.compile(r"\b(?:tre em|trẻ em|bo me|bố mẹ|cha me|cha mẹ)\b")
# A question about a case supposed, or asked to learn or to write about.
_SUPPOSING = re.compile(
    r"^(?:gia su|gia dinh nhu|neu nhu|noi chung|vi du)\b|"
    r"\bhoi (?:de|cho) (?:biet|viet|lam bai|hoc|tim hieu)\b|\bchua co chuyen gi\b"
)
_PERSONAL_DANGER = re.compile(
    r"\b(?:em|toi|tui|minh|chung em|chung toi|bon em|tui em) (?:dang |van |da )?(?:bi|dang bi|"
    r"o trong|o day|o ben)\b"
)
# "anh họ tôi bị giữ", "con em bị bán": the pronoun after a relation word is a possessive.
_RELATION_BEFORE = re.compile(
    r"\b(?:anh|chi|em|con|chau|ban|vo|chong|me|bo|co|di|chu|bac|cau|ho|gai|trai|dau|re|yeu|nha|"
    r"xom|than|hang xom) $"
)


def _about_self(folded: str) -> bool:
    """The writer is the one in the situation ("em bị giữ"), not a relative ("chị em bị giữ")."""
    return any(
        not _RELATION_BEFORE.search(folded[: match.start()])
        for match in _PERSONAL_DANGER.finditer(folded)
    )


# A first-person word: the writer ("tôi", "em", "I") — unless it is a possessive after a relation
# word ("chị họ tôi"), the writer speaking as the reporter ("tôi muốn báo", "em thấy lạ"), or "tới"
# folded ("tuần tới", "tối nay" fold to "toi").
_FIRST = re.compile(r"\b(?:em|toi|tui|minh|chung em|chung toi|bon em|tao|i|me|us|we)\b")
_REPORTER_VERB = re.compile(
    r"^ (?:(?:cung|da|dang|rat|thi|van|vua|moi) )?(?:muon|thay|nghe|nghi|lo|biet|bao|to giac|can|"
    r"xin|khong biet|chua|duoc ke|ke|doc|gap|phat hien|nho|tra|tra cuu|kiem tra|saw|heard|think|"
    r"want|would|am worried|checked)\b"
)
_NOT_PRONOUN_BEFORE = re.compile(
    r"\b(?:tuan|thang|nam|sap|den|di|lai|buoi|dem|hom|sang|trua|chieu) $"
)
_NOT_PRONOUN_AFTER = re.compile(r"^ (?:nay|qua|mai|hom|khuya|muon)\b")
# "em gái", "em họ", "em tôi": "em" names a relative there.
_RELATIVE_AFTER = re.compile(r"^ (?:gai|trai|ho|re|dau|ruot|be|toi|minh|tui|cua toi)\b")
# "xã tôi", "công ty tôi": a place of the writer's, not the writer.
_PLACE_BEFORE = re.compile(
    r"\b(?:xa|xom|lang|thon|ban|huyen|tinh|que|truong|lop|cong ty|xuong|khu|pho|phuong|nha) $"
)


def _writer_involved(folded: str) -> bool:
    """The writer is among those it happens to ("đưa tôi đi", "nhốt em", "we are held")."""
    for match in _FIRST.finditer(folded):
        before, after = folded[: match.start()], folded[match.end() :]
        if match.group() == "toi" and (
            _NOT_PRONOUN_BEFORE.search(before) or _NOT_PRONOUN_AFTER.search(after)
        ):
            continue
        if match.group() == "em" and _RELATIVE_AFTER.search(after):
            continue
        if (
            _RELATION_BEFORE.search(before)
            or _PLACE_BEFORE.search(before)
            or _REPORTER_VERB.search(after)
        ):
            continue
        return True
    return False


_CHILD_WORD = re.compile(
    r"\b(?:con (?:toi|em|minh|gai|trai|chau)|chau (?:toi|em|minh|gai|trai)|be|dua nho|em gai|"
    r"em trai|hoc sinh|con be|thang be|chau be|dua tre|tre|daughter|son|girl|boy|kid|child)\b|"
    r"\b(?:[1-9]|1[0-7]) ?(?:tuoi|t)\b|\b(?:is|aged?) (?:[1-9]|1[0-7])\b|"
    r"\b(?:[1-9]|1[0-7]) ?(?:yo|y/o|years? old)\b"
)
_ONLINE_OR_STRANGER = re.compile(
    r"\b(?:(?:quen|ket ban|gap|chat|noi chuyen|lam quen|nhan tin|nt|inbox|nhan|lien lac|hen ho|"
    r"yeu) (?:\w+ ){0,8}(?:tren|qua) "
    r"(?:mang|facebook|"
    r"fb|zalo|tiktok|game|mang xa hoi|messenger|telegram|tele|instagram|ig|mang xh)|"
    r"(?:nguoi|ai do|ai|mot nguoi|thang|ong|anh|chi|ke) (?:\w+ ){0,2}(?:tren|qua) (?:mang|facebook|"
    r"fb|zalo|tiktok|game|instagram|ig|telegram|tele)|ban (?:tren|qua) mang|nguoi la|ke la|"
    r"nick (?:\w+ )?(?:facebook|fb|zalo|tiktok|instagram|ig|game|telegram)|"
    r"nguoi quen tren mang|online|(?:met|from) (?:on )?(?:tiktok|facebook|fb|instagram|a game)|"
    r"stranger)\b"
)
_GONE = re.compile(
    r"\b(?:chua ve|khong ve|ko ve|bo di|bo nha|roi nha|di khoi nha|mat tich|bien mat|"
    r"khong lien lac duoc|"
    r"khong goi duoc|"
    r"goi khong duoc|tat may|khong thay dau|di theo|di voi|di cung|left with|went with|"
    r"ran off|phone is off|not come home|didn'?t come home|missing)\b"
)
_RECENT = re.compile(
    r"\b(?:(?:\d|mot|hai|ba|bon|nam|may|vai) (?:ngay|hom|dem|tieng)(?: nay| roi| lien)?|hom qua|"
    r"toi qua|dem qua|chieu qua|sang qua|trua qua|hom kia|tu hom kia|hom nay|sang nay|chieu nay|"
    r"trua nay|tu qua|tuan nay|"
    # "đi từ sáng", "từ trưa đến giờ" (not "tự sang Trung Quốc": "tự" folds like "từ").
    r"di tu (?:sang|trua|chieu)(?: som| nay)?|tu (?:sang|trua|chieu|toi qua) (?:den|toi) "
    r"(?:gio|bay gio|nay)|"
    r"since yesterday|two nights|2 nights|"
    r"yesterday|last night|this morning|today|hours ago|(?:2|3|two|three) days)\b"
)
# Told as happening today, in the last days or within hours ("4 ngày nay không về", "sáng nay bị
# môi giới đưa đi", "nếu mai không trả thì bắt con gái tôi", "今天早上被带走"): what the net's time
# rules read as over or for later is not, so a classifier that chose urgent is followed.
_RECENT_OR_SOON = re.compile(
    _RECENT.pattern + r"|\b(?:ngay mai|sang mai|toi mai|dem mai|(?:neu|den|truoc|toi) mai|"
    r"toi nay|dem nay|bay gio|luc nay|tomorrow|tonight|right now|just now)\b"
)
_RECENT_OR_SOON_OTHER = (
    "今天", "今早", "今晚", "刚", "剛", "昨天", "昨晚", "明天", "马上", "馬上", "现在", "現在",
    "วันนี้", "เมื่อคืน", "เมื่อวาน", "คืนนี้", "พรุ่งนี้", "ตอนนี้",
    "ថ្ងៃនេះ", "យប់នេះ", "ម្សិលមិញ", "ស្អែក", "ឥឡូវនេះ",
    "ມື້ນີ້", "ຄືນນີ້", "ມື້ວານ", "ມື້ອື່ນ", "ດຽວນີ້",
    "ဒီနေ့", "ဒီည", "မနေ့က", "မနက်ဖြန်", "အခု",
)  # fmt: skip


def told_as_recent(text: str) -> bool:
    """The message places what it tells today, in the last days or within hours."""
    composed = nfc(text)
    if any(word in composed for word in _RECENT_OR_SOON_OTHER):
        return True
    return bool(_RECENT_OR_SOON.search(fold(composed)) or _RECENT_OR_SOON.search(composed.lower()))


# A relative who cannot be reached, for a long while ("từ đầu năm", "năm nay", "từ đó").
_UNREACHABLE = re.compile(
    r"\b(?:khong (?:ai )?(?:lien lac|goi) (?:duoc|ve)|chua (?:goi|lien lac) ve|mat lien lac|"
    r"bat vo am tin|khong co tin|khong biet (?:o|dang o) dau|can't reach|cannot reach|no news)\b"
)
_SINCE_LONG = re.compile(
    r"\b(?:tu dau nam|nam nay|tu do|tu luc do|tu hoi do|tu khi (?:di|sang|lay)|lau|tu thang|"
    r"for (?:weeks|months)|since (?:last|january|the spring))\b"
)
# A plan for later than the next hours: a tip to verify, not a page ("tuần sau", "sau Tết").
_LATER = re.compile(
    r"\b(?:tuan (?:sau|toi)|thang (?:sau|toi)|nam (?:sau|toi)|sang nam|cuoi (?:nam|thang)|"
    r"sau tet|ra tet|dau nam sau|he nay|sau khi nghi he|vai (?:tuan|thang) nua|"
    r"next (?:week|month|year)|after tet|in a few (?:weeks|months))\b"
)
_LONG_GONE = re.compile(
    # Not "1 thằng đàn ông" (a man: "thằng" folds like "tháng").
    r"\b(?:(?:may|vai|nhieu|\d+) (?:thang|nam)(?! (?:dan ong|be|nho|nhoc|cha|do|kia|la|con|trai|"
    r"cu|ban|tren|nao|quen|di xe|giat|cuop|bat|lua|keo|om))|nam ngoai|lau roi|"
    r"tu (?:hoi )?(?:dau nam|tet))\b"
)
# "Tôi vừa tra thì công ty … không có tên": what the writer just did to check, not an event now.
_WRITER_JUST_CHECKED = re.compile(
    r"\b(?:toi|em|minh|tui|chung toi) vua (?:moi )?(?:tra|tra cuu|xem|doc|kiem tra|hoi|tim hieu|"
    r"goi dien hoi|len mang)\b"
)
# "đang rủ", "đang tuyển", "đang nhắn tin": someone recruits or courts now, nobody is moved or held
# now. Not a present-danger marker for someone else's situation.
_COURTING_NOW = re.compile(
    r"\bdang (?:ru|ru re|moi|du|du do|tuyen|tim nguoi|gom|gom nguoi|chieu mo|thue|kiem nguoi|"
    r"lo giay to|lam giay to|quen|nhan tin|chat|"
    # "họ đang thu tiền của cả chục người để đi Đài Loan": an agency's fees, not danger now.
    r"thu tien|thu phi|thu coc|nhan coc|nhan tien|lam ho so|"
    r"yeu|hen ho|noi chuyen|gioi thieu|hua|doi)\b"
)
# An invitation or a promise to take someone abroad ("bạn trai quen trên mạng rủ em gái tôi sang
# Hàn"): with nothing seen now, a tip to verify, not a page.
_INVITATION = re.compile(
    # Folded "moi" is also mới (just) and mỗi (each): mời only before whom or where to go.
    r"\b(?:ru|ru re|moi (?:\w+ ){0,2}(?:sang|qua|di|lam|ve|den|len|cuoi|an)|du|du do|"
    r"hua (?:dua|dan|cho|lo|cuoi|don)|doi (?:dua|don|gui tien)|giuc (?:\w+ ){0,3}(?:sang|qua|di)|"
    r"dinh (?:dua|cho|gia)|hen (?:don|dua|qua)|xin visa|gui (?:tien )?ve may bay|tuyen)\b|"
    r"\b(?:invites?|inviting|recruits?|recruiting|offers?|offering|promis(?:es|ed|ing)|"
    r"asks? (?:her|him|them) to come|wants? (?:her|him|them) to (?:come|fly|go|move))\b"
)
# A workplace's practice told by someone outside it ("xưởng giữ hộ chiếu của công nhân, không cho
# về quê"): papers kept and people not let go, with nobody named as held now (no "bị nhốt", "bị
# giữ", no relative of the writer's): signals on a report, not a page (issue 16).
_PRACTICE_REASONS = frozenset({"confinement", "documents_taken"})
# A minor held or with papers kept is no workplace practice to verify later (triage.md: a minor
# involved is an indicator of urgency): "cô giúp việc 17 tuổi, chủ nhà giữ căn cước, không cho về".
_MINOR_HELD = frozenset({"confinement", "violence", "sexual_exploitation", "forced_labour_now"})
_MINOR = re.compile(
    r"\b(?:(?:1[0-7]|[1-9]) ?tuoi|chua (?:den|du|toi) 18|vi thanh nien|tre em|be gai|be trai|"
    r"teenage|underage|minors?|(?:1[0-7]|[1-9]) ?(?:yo|years? old))\b"
)
# "Vậy có đúng luật không?": asks whether a practice is legal (papers kept by an employer).
_LEGALITY = re.compile(
    r"\bco (?:dung (?:luat|quy dinh|phap luat)|hop phap|trai (?:phap )?luat|vi pham|duoc phep|"
    r"pham phap)\b|\b(?:is (?:it|this|that) (?:legal|allowed))\b"
)
_WORKPLACE_OR_STAFF = re.compile(
    r"\b(?:cong ty|cty|xuong|nha may|lo gach|lo than|quan|chu|nha hang|karaoke|massage|"
    r"trang trai|cong truong|co so|tiem|tau ca|doanh nghiep|trung tam|moi gioi|cong nhan|"
    r"nhan vien|nguoi lao dong|nguoi lam|tho|ngu dan|phuc vu|tiep vien|"
    r"(?:may|cac|nhung|bao nhieu) (?:chi|co|em|nguoi|dua|chau|ban)|"
    r"factory|company|restaurant|bakery|employer|boss|agency|farm|kiln|shop|bar|workers?|staff|"
    r"employees|crew)\b"
)
# The practice in words the patterns above leave alone ("không cho mấy nhân viên về nhà").
_KEPT = re.compile(
    r"\b(?:giu|thu|cam|tich thu) (?:\w+ ){0,2}(?:ho chieu|giay to|can cuoc|cccd|cmnd|bang lai)\b|"
    r"\bkhong cho (?:\w+ ){0,4}(?:ve|nghi|ra ngoai|roi)\b|\bkeeps? .{0,30}\b(?:passports?|ids?)\b|"
    r"\b(?:don'?t|doesn'?t|do not|does not|won'?t|never) let (?:them|the workers|staff|anyone) "
    r"(?:go|leave)\b"
)
_HELD_NOW = re.compile(
    r"\b(?:bi|dang bi|van bi) (?:nhot|giam|giam long|giu|khoa|khoa trai|canh gac|cam tu|bat giu|"
    r"bat|xich|troi)\b|\b(?:is|are|being|was|were) (?:held|locked|detained|kept)\b"
)
_RELATIVE_OF_WRITER = re.compile(
    r"\b(?:thang cu|cu|con be|thang be|con|chau|vo|chong) nha (?:toi|em|minh|tui)\b|"
    r"\b(?:chi|em|anh|con|chau|vo|chong|ban|me|bo|co|di|chu|bac|cau|nguoi yeu|ny)"
    r"(?: (?:gai|trai|ho|dau|re|ruot|than))? (?:cua )?(?:toi|em|minh|tui|tao)\b|"
    r"\bmy (?:sister|brother|daughter|son|wife|husband|mother|mum|mom|father|dad|cousin|friend|"
    r"niece|nephew|aunt|uncle|girlfriend|boyfriend|child|kid)\b"
)


def _compile(table: dict[str, tuple[str, ...]]) -> list[tuple[str, re.Pattern[str]]]:
    return [
        (reason, re.compile(pattern)) for reason, patterns in table.items() for pattern in patterns
    ]


_FOLDED_RE = _compile(_FOLDED)
_ACCENTED_RE = _compile(_ACCENTED)
_UNACCENTED_RE = _compile(_UNACCENTED_ONLY)
_ENGLISH_RE = _compile(_ENGLISH)

REASONS: tuple[str, ...] = (*_FOLDED, "child_missing_recent")


@dataclass(frozen=True)
class Assessment:
    """What the net saw. ``reasons`` raise to urgent; ``signals`` are indicators of harm that is
    over or of a third party's situation without present danger, shown to staff on a help or a
    report; ``past_harm``: the writer tells of harm that has ended (help with priority)."""

    reasons: list[str] = field(default_factory=list)
    signals: list[str] = field(default_factory=list)
    past_harm: bool = False
    question: bool = False
    #: Someone else's situation with no danger now: harm that is over, a plan for later, a relative
    #: unreachable for weeks or months. A report for staff to verify, never a page (even when the
    #: classifier alone thought it urgent: nlu/components/urgency.py).
    no_danger_now: bool = False
    #: The writer tells of their own harm that is over and asks for what they need now (care,
    #: training, money for a hospital): a help request, not a tip.
    own_needs: bool = False
    #: Four words or more and no word of harm, danger, trafficking or distress at all ("tối nay có
    #: đá bóng ko"): a time word alone is not danger, so a classifier that alone chose urgent is
    #: not followed.
    off_topic: bool = False
    #: A statement (not a question) telling of a recruiter's invitation, a workplace's practice,
    #: what was seen or heard, or someone gone for long: what a tip is made of, whoever it is about.
    told_tip: bool = False


def _ordered(found: set[str]) -> list[str]:
    order = {reason: index for index, reason in enumerate(REASONS)}
    return sorted(found, key=lambda reason: (order.get(reason, len(order)), reason))


# A meeting set with a child for the next hours ("hẹn đón ở cổng trường lúc 5 giờ chiều nay").
_MEETING = re.compile(
    r"\b(?:hen (?:\w+ ){0,3}(?:don|gap|dua|ra|cho|di|den)|ru (?:\w+ ){0,5}(?:di|ra|den|len)|"
    r"se (?:den )?(?:don|dua)|"
    r"den don|(?:asked|invited|wants?) (?:her|him|them) to (?:meet|come)|"
    r"(?:will|to) pick (?:her|him) up)\b"
)
_WITHIN_HOURS = re.compile(
    r"\b(?:chieu nay|toi nay|dem nay|sang nay|trua nay|hom nay|bay gio|luc nay|sang mai|"
    r"tonight|this (?:afternoon|evening)|today|tomorrow morning)\b"
)


def _child_at_risk_now(folded: str) -> bool:
    """A child with someone met online or a stranger, either gone for hours or days, or due to
    meet them within hours: taken today if nobody acts (triage.md: a child being taken is
    urgent)."""
    if not (_CHILD_WORD.search(folded) and _ONLINE_OR_STRANGER.search(folded)):
        return False
    gone_recently = bool(
        _GONE.search(folded) and _RECENT.search(folded) and not _LONG_GONE.search(folded)
    )
    return gone_recently or bool(_MEETING.search(folded) and _WITHIN_HOURS.search(folded))


# A pattern's time word ("when") as it must be written when the text has its accents: "tôi qua
# môi giới" (I, through a broker) and "chuyên mời phụ nữ" (invites) fold like "tối qua" (last
# night) and "mới" (just).
_WHEN_WORDS = frozenset({"vừa", "mới", "tối", "hôm", "sáng", "chiều", "đêm", "lúc"})


def _when_as_written(match: re.Match[str], folded: str, written: list[str]) -> bool:
    """The match's time word is one as written (or cannot be told: no accents on it, or the
    words of the folded and written text do not line up)."""
    if "when" not in match.re.groupindex or match.start("when") < 0 or not written:
        return True
    index = len(folded[: match.start("when")].split())
    words = folded.split()
    if len(written) != len(words) or index >= len(written):
        return True
    # A word typed without its accents in an accented text ("toi qua nó gọi về…") is not told.
    return written[index] == words[index] or written[index] in _WHEN_WORDS


def _matches(pattern: re.Pattern[str], folded: str, written: list[str]) -> bool:
    """The pattern matches with its time word as written; each start is tried ("tôi qua đó, tối
    qua nó nhắn cứu rồi tắt máy": the second "toi qua" is the time)."""
    match = pattern.search(folded)
    while match is not None:
        if _when_as_written(match, folded, written):
            return True
        match = pattern.search(folded, match.start() + 1)
    return False


# Danger denied in so many words ("No ransom, no message, nothing", "không thấy ai bị đánh"): the
# words are not an indicator. Nobody named ("ai", "nobody"): "không có tiền chuộc" (no money for
# the ransom) and "không đi thì bị đánh" (beaten unless she goes) stay danger.
_DENIED = re.compile(
    r"\b(?:khong|chua) (?:thay |co |he )?(?:ai|nguoi nao) (?:bi )?(?:danh|dap|nhot|giam|giu|ep)\b|"
    r"\bno (?:ransom|threats?|violence)\b|"
    r"\b(?:nobody|no one|no-one) (?:\w+ )?(?:beaten|hurt|hit|locked|held|threatened|harmed)\b"
)


def _unsaid(text: str) -> str:
    """``text`` with its denied danger blanked word for word (so words still line up)."""
    return _DENIED.sub(lambda m: " ".join("_" for _ in m.group().split()), text)


def _indicators(composed: str) -> tuple[set[str], set[str]]:
    """(indicators in Vietnamese or English, indicators in other scripts)."""
    lowered = _unsaid(composed.lower())
    folded = _unsaid(fold(composed))
    accented = has_diacritics(composed)
    written = normalize(composed).split() if accented else []
    found: set[str] = set()
    for reason, pattern in _FOLDED_RE:
        if reason not in found and _matches(pattern, folded, written):
            found.add(reason)
    for reason, pattern in _ACCENTED_RE if accented else _UNACCENTED_RE:
        if reason not in found and pattern.search(lowered if accented else folded):
            found.add(reason)
    for reason, pattern in _ENGLISH_RE:
        if reason not in found and pattern.search(lowered):
            found.add(reason)
    if _child_at_risk_now(folded):
        found.add("child_missing_recent")
    return found, other_scripts.indicators(composed)


def is_question(text: str) -> bool:
    """Question-shaped: ends like a question or asks to know, in Vietnamese or English."""
    composed = nfc(text).strip()
    folded = fold(composed)
    lowered = composed.lower()
    return bool(
        _QUESTION.search(folded)
        or _QUESTION.search(lowered)
        or _ASKS_TO_KNOW.search(folded)
        or composed.endswith(("?", "？"))
        or _asks_something(composed)
    )


# Everyday pleas, where "cứu em" asks for help with schoolwork (a talk or an essay on the topic;
# not "đồ án": folded, it is also "đồ ăn", food), a slow network, a video that will not load or
# the way to the post office.
_EVERYDAY_PLEA = re.compile(
    r"\b(?:thuyet trinh|bai tap|btvn|bai kiem tra|tieu luan|bai thu hoach|bai luan|"
    r"(?:mai|sap) thi|thi (?:hoc ky|cuoi ky|giua ky|tot nghiep)|gdcd|ngoai khoa|slide|powerpoint|"
    r"homework|essay|presentation|assignment|"
    r"mang (?:nha (?:minh|em|toi|tui) )?(?:cham|yeu|lag|rot)|wifi|internet|khong load|"
    r"load (?:khong|cham)|buu dien|"
    r"chi duong)\b"
)


def everyday_plea(text: str) -> bool:
    """The message asks help with schoolwork or an everyday trouble ("mai em thuyết trình GDCD
    …", "wifi nhà tui cứ rớt")."""
    return bool(_EVERYDAY_PLEA.search(fold(nfc(text))))


def assess(text: str) -> Assessment:
    """Urgency reasons (danger now or within hours), signals and the past-harm flag of ``text``."""
    composed = nfc(text)
    folded = fold(composed)
    lowered = composed.lower()
    found, other_script = _indicators(composed)
    if (
        found == {"cry_for_help"}
        and _EVERYDAY_PLEA.search(folded)
        # A crying face (folded "khoc") is the student's despair; force is not.
        and not _FORCE.search(folded.replace("khoc", " "))
    ):
        # "cứu em với ad ơi 😭 mai em thuyết trình GDCD về mua bán người": an everyday plea.
        found = set()
    question = is_question(composed)
    # "Trẻ em bị bán …", "bố mẹ đồng ý": children and parents, not the writer ("em", "me").
    unchild = _CHILDREN.sub("ho", folded)
    personal = _names_writer(unchild, _CHILDREN.sub("ho", lowered))
    now = _STILL_NOW.search(folded) or _STILL_NOW.search(lowered)
    present = _PRESENT.search(folded) or _PRESENT.search(lowered)
    # "Muốn biết các dấu hiệu một người đang bị nhốt": a question even with "tôi" and "đang";
    # "Giả sử một người bạn bị nhốt thì gọi số nào? Em hỏi để biết thôi": a supposition.
    asks_to_know = (
        _ASKS_TO_KNOW.search(folded) or _SUPPOSING.search(folded)
    ) and not _PERSONAL_DANGER.search(unchild)
    legality = found <= _PRACTICE_REASONS and _LEGALITY.search(folded)
    if found and question and (asks_to_know or legality or (not personal and not now)):
        return Assessment(signals=_ordered(found | other_script), question=True)
    # "请问在越南被拐卖的受害者可以去哪里求助？": a question about victims, nobody in the first
    # person; a cry stays a cry, question mark or not.
    if (
        other_script
        and "cry_for_help" not in other_script
        and question
        and not other_scripts.first_person(composed)
    ):
        return Assessment(signals=_ordered(found | other_script), question=True)
    back = bool(_RETURNED.search(folded) or _RETURNED.search(lowered))
    back = back or other_scripts.says_returned(composed)
    present_only = _PRESENT_ONLY
    if back and (_RANSOM_PAID.search(folded) or _RANSOM_PAID.search(lowered)):
        present_only = _PRESENT_ONLY - {"ransom"}  # a ransom paid for someone now home
    ended = back or bool(_PAST.search(folded) or _PAST.search(lowered))
    ended = ended or other_scripts.tells_past(composed)
    # "đang bị" is danger now, unless the writer says they are back ("được giải cứu khi đang bị
    # chở qua biên giới" tells how it ended).
    past_harm = ended and not present and not (_BEING.search(folded) and not back)
    over: set[str] = set()
    if (
        past_harm
        and back
        and "threat" in found
        and _SAFE_NOW.search(folded)
        and not _THREAT_GOES_ON.search(folded)
    ):
        # "Hồi ở bên Myanmar tụi nó … còn dọa giết cả nhà em. Giờ em về nhà … an toàn rồi": the
        # threat is part of the story of harm that is over, told by someone home and safe.
        found = found - {"threat"}
        over.add("threat")
    if (
        past_harm
        # Pursuit, a threat, a move tonight stay danger now, whatever came before.
        and other_script <= _OVER_WITH_A_PLEA
        and (
            "cry_for_help" not in other_script
            # "…现在已经回到越南了。我需要重新办身份证…请帮帮我": back, asking for support.
            or other_scripts.pleads_for_support(composed)
        )
    ):
        over, other_script = over | other_script, set()  # "我是被拐卖的，现在已经回到越南了"
    # "เพื่อนบ้านของฉันจ้างคนงานเวียดนาม ยึดพาสปอร์ตไว้": an employer's practice told in another
    # script, papers kept and nobody held; a tip with its signal, not a page (as in Vietnamese).
    script_practice = (
        other_script == {"documents_taken"}
        and other_scripts.workplace_practice(composed)
        and (
            other_scripts.says_reporting(composed)
            or other_scripts.tells_of_vietnamese(composed)
            or not other_scripts.first_person(composed)
        )
    )
    if script_practice:
        over, other_script = over | other_script, set()
    courting = _COURTING_NOW.sub(" ", folded)
    # The English check reads the writer's text, where unaccented Vietnamese ("dang tuyen") is too.
    now_danger = _STILL_NOW.search(courting) or _STILL_NOW.search(_COURTING_NOW.sub(" ", lowered))
    someone_else = not _writer_involved(folded) and not now_danger and not present
    later = bool(_LATER.search(folded) or _LATER.search(lowered))
    lasting = bool(
        _DURATION.search(folded)
        or _LONG_GONE.search(folded)
        or (_UNREACHABLE.search(folded) and _SINCE_LONG.search(folded))
    )
    # Someone else's workplace practice (papers kept, staff not let go) or an invitation abroad,
    # with nobody named as held now and none of the writer's relatives in it.
    practice = bool(
        not _MINOR.search(folded)
        and found <= _PRACTICE_REASONS
        and (found or _KEPT.search(folded) or _KEPT.search(lowered))
        and _WORKPLACE_OR_STAFF.search(folded)
        and not _HELD_NOW.search(folded)
        and not _HELD_NOW.search(lowered)
        # A relative's papers kept by the employer is still a practice to verify; a relative
        # held is not.
        and (
            "confinement" not in found
            or not (_RELATIVE_OF_WRITER.search(folded) or _RELATIVE_OF_WRITER.search(lowered))
        )
    )
    invited = not found and bool(_INVITATION.search(folded) or _INVITATION.search(lowered))
    # Seen or known from outside, with no indicator of danger now (a child begging led by an adult,
    # a workshop's long days, a company gone with the fees): a tip for staff to verify.
    # Not when it may be happening as they write (vừa, sắp, tối nay) or names force, a weapon,
    # someone kept or crying: the classifier's urgent stands there.
    witnessed = (
        not found
        and bool(_OBSERVED.search(folded) or _OBSERVED.search(lowered) or _FIRM.search(folded))
        and not _IMMINENT.search(_WRITER_JUST_CHECKED.sub(" ", courting))
        and not _FORCE.search(folded)
        and not _FORCE.search(lowered)
        and not ("mới" in lowered or (not has_diacritics(composed) and _JUST.search(folded)))
    )
    hearsay = (
        found <= _HEARSAY_REASONS
        and bool(_HEARSAY.search(folded) or _HEARSAY.search(lowered))
        and not _CALLED_HOME.search(folded)
        and not _CALLED_HOME.search(lowered)
    )
    # A minor held, beaten or exploited, with no sign it is over: now, however long it has lasted
    # (triage.md: a child held is urgent).
    minor_held = bool(_MINOR.search(folded) and found & _MINOR_HELD and not ended)
    no_danger_now = bool(
        not minor_held
        and someone_else
        and not (found & present_only)
        and not other_script
        and (ended or later or lasting or practice or invited or hearsay or witnessed)
    )
    signals: set[str] = set()
    if past_harm or no_danger_now:
        signals = found - present_only
        found -= signals
    signals |= over
    told_past_harm = past_harm and bool(signals or _HARM_WORDS.search(folded))
    return Assessment(
        reasons=_ordered(found | other_script),
        signals=_ordered(signals),
        past_harm=told_past_harm,
        question=question,
        no_danger_now=no_danger_now and not found and not other_script,
        # The writer's own harm, or a relative's ("con gái tôi ... năm ngoái mới về, giờ cháu
        # muốn đi học lại"): families ask for help too.
        own_needs=bool(
            (told_past_harm or (back and past_harm))
            and not found
            and (
                _writer_involved(folded)
                or _RELATIVE_OF_WRITER.search(folded)
                or _UNSAID_WRITER.search(folded)
                or _KIN_SELF.search(folded)
            )
            and _OWN_NEED.search(folded)
        ),
        told_tip=not question
        and not found
        and not other_script
        and (invited or practice or witnessed or hearsay or lasting or script_practice),
        # A short opener ("alo", "có ai không") may be someone in trouble testing the line.
        off_topic=not (found or signals or other_script)
        and len(folded.split()) >= _OFF_TOPIC_MIN_WORDS
        and not _CONCERN.search(folded)
        and not other_scripts.SCRIPT.search(composed),
    )


# A story that opens with what happened and no subject ("escaped from China 3 years ago, still
# have nightmares", "bị bán sang Trung Quốc 2 năm, giờ về rồi"): the writer's own, as people
# write of themselves in short messages.
_UNSAID_WRITER = re.compile(
    r"^(?:bi|da bi|tung bi|duoc|da duoc|tron|thoat|da tron|da thoat|escaped|was|were|got|came|"
    r"ran|left|sold|trafficked|rescued)\b"
)
# A story its writer tells of themselves with a kinship word, as one speaks to someone younger
# ("Chị bị bán sang Hà Bắc năm 2016, năm ngoái chị trốn về được"): opening the message, before
# what happened to them (someone else's story names them: "chị tôi", "chị Lan", "chị gái").
_KIN_SELF = re.compile(
    r"^(?:chi|anh|co|chu|bac|me|bo|di|thim|mo|cau) (?:da |tung |moi |vua |cung |nam \d+ )?"
    r"(?:bi|duoc|tron|thoat|lay chong|bi lua|bi ban)\b"
)
# The writer as witness or reporter ("tôi thấy", "tôi báo", "I saw", "I'm reporting").
_OBSERVED = re.compile(
    r"\b(?:toi|em|minh|tui|chung toi) (?:\w+ )?(?:thay|nhin thay|bat gap|biet|nghe|phat hien|"
    r"bao|muon bao|xin bao|to giac|phan anh|de y|nghi|nghi ngo)\b|"
    r"\b(?:i|we) (?:\w+ )?(?:saw|see|noticed|notice|know|heard|want to report|am reporting)\b|"
    r"\bi'm reporting\b"
)
# Now or within hours, for a witness's tip ("mới" is checked with its accent: folded "moi" is also
# mời "invite" and mỗi "each").
_IMMINENT = re.compile(
    r"\b(?:vua|sap|ngay (?:bay gio|luc nay|lap tuc)|toi nay|dem nay|sang nay|trua nay|chieu nay|"
    r"hom nay|bay gio|luc nay|dang(?! (?:ngo|nghi|so|lo|tin|ke|chu y|quan ngai|buon|thuong))|"
    r"gio nay|now|tonight|just|today)\b"
)
_JUST = re.compile(r"\bmoi (?:thay|bi|nhin|phat hien|gap|nghe)\b")
# An agency or a company, told of from outside.
_FIRM = re.compile(
    r"\b(?:cong ty|cty|trung tam|doanh nghiep|moi gioi|xkld|nhom|trang|page|tai khoan|nick|xuong|"
    r"co so|nha may|xi nghiep|workshop|factory|"
    r"company|agency|broker|group|account)\b"
)
# Force, weapons, someone kept, a cry: a witness's story with these is not lowered.
_FORCE = re.compile(
    # "danh sách" read with its accents too (the check runs on the accented text as well).
    r"\b(?:danh(?! sach| sách| tieng| tiếng| gia| thiep| thiếp| ba| bạ| muc| mục| hieu| hiệu|"
    r" du| dự)|dap|giu|nhot|"
    r"khoa (?:cua|trai|lai|trong)|"
    r"xich(?! mich)|troi (?:tay|chan|lai|vao|chat)|khong cho|keo (?:di|len|vao|ra|tay)|"
    r"loi (?:keo|di|ra|vao|len)|nhet|bong (?:di|len|mat)|be di|om di|cuop|chich dien|dien giat|"
    r"soc dien|canh gac|cam tu|cam dao|co dao|sung|khoc|la het|keu cuu|ngat|bat tinh|doa|chuoc|"
    r"mat tich|chua ve|lien lac|gap chuyen|tra thu|"
    r"neu (?:\w+ ){0,5}(?:bao|to cao|tron|chay|khong nghe|khong lam|khong tra)|"
    r"beat\w*|hit|lock\w*|held|kept|grab\w*|drag\w*|push\w*|knife|gun|crying|"
    r"scream\w*|missing|threat\w*)\b"
)
# What someone back home asks for themselves: care, training, work, money for a hospital.
_OWN_NEED = re.compile(
    r"\b(?:muon|can|xin|mong|nho) (?:\w+ ){0,3}(?:hoc|hoc nghe|viec|vc|kham|chua|ho tro|giup|"
    r"tu van|vay|tro cap|cho o|giay to|luat su|tam ly|di hoc|xet nghiem|nguoi noi chuyen|"
    r"dong hanh|tam su|"
    r"ly hon|khai sinh|tro giup phap ly|phap ly|lam lai|kien|nguoi phien dich|phien dich|"
    r"thong dich|bao ve)|\b(?:khong co|khong du|het) tien\b|"
    r"\b(?:khong|chua) co (?:\w+ )?(?:cho o|nha o|noi o|cho ngu|giay to|giay khai sinh|khai sinh|"
    r"viec|viec lam|bao hiem|bhyt|can cuoc|ho khau)\b|"
    r"\bmat (?:het |sach )?(?:giay to|ho chieu|can cuoc|bang cap)\b|"
    r"\b(?:he|she|they|my \w+) (?:\w+ ){0,2}(?:needs?|wants?)\b|"
    r"\b(?:counsel+ing|therapy|interpreter|a job|shelter|a lawyer)\b|"
    r"\b(?:hoc nghe|vay von|kham benh|chua benh|benh vien|dau lung|dau yeu|viec lam|tro cap)\b|"
    # "chưa được nhận gì hết": none of the support the law gives has come yet.
    r"\bchua (?:duoc )?(?:nhan|huong|ho tro|giup)(?: duoc)? (?:gi|chi|dong nao)\b|"
    r"\b(?:i|we) (?:\w+ ){0,2}(?:need|want|would like|looking for)\b|"
    r"\b(?:i|we|my \w+) (?:\w+ )?(?:have|has) no (?:\w+ )?(?:id|papers|documents|birth certificate|"
    r"passport|money|job|work|place to stay|home|insurance)\b|"
    r"\bhelp (?:me|us) (?:\w+ ){0,2}(?:apply|get|find|pay|see|start|with)\b"
)
# Any word of harm, danger, trafficking, distress or a person at risk: without one, the message is
# off-topic whatever the classifier thought (a time word alone is not danger).
_CONCERN = re.compile(
    r"\b(?:bi|ep|bat|lua|ban|mua|nhot|giam|giu|danh|dap|so|cuu|giup|ho tro|tron|thoat|mat tich|"
    r"bien mat|chua ve|khong ve|tat may|lien lac|nguy|chet|dau|khoc|cong an|canh sat|bien phong|"
    r"113|111|bien gioi|trung quoc|tq|campuchia|cam|cpc|lao|thai|myanmar|malaysia|dai loan|han|"
    r"nuoc ngoai|xuat khau|moi gioi|viec|luong|tien|no|giay to|ho chieu|con|chau|em gai|em trai|"
    r"vo|chong|tre|be|hoc sinh|khan|gap|nhanh|ngay|dang|vua|sos|lam on|xin|nguoi la|mang|"
    # Someone reaching out quietly ("alo có ai ở đây thì nhắn lại em") or naming "them".
    r"ho|chung no|bon no|nguoi ta|o day|co ai|nhan lai|goi lai|tra loi|alo|lien he|an toan|"
    r"cho em|cho toi|dung|di dau|chuoc|khoa|dao|sung|cho (?:\w+ ){0,4}di|dua (?:\w+ ){0,3}di|"
    r"chuyen (?:\w+ ){0,3}(?:sang|qua|di)|"
    r"help|police|danger|scared|afraid|traffick\w*|sold|sell|kidnap\w*|missing|escape\w*|"
    r"locked|forced|beat\w*|hurt|threat\w*|urgent|emergency|please|child|girl|boy|daughter|son|"
    r"sister|brother|wife|passport|border|broker|job|debt|bab(?:y|ies)|newborn|adopt\w*|"
    r"report\w*|sell\w*|buy\w*|ransom|compound|scam\w*|recruit\w*|knife|knives|gun\w*|boat|"
    r"truck|van|men|man|took|taken|take|taking|moved|moving|hour\w*|now|where|lost|alone|"
    r"stuck|trapped|hide|hiding|run|ran|fled|cannot|can't|cant|won't|let|pay|paid|owe|"
    r"lock\w*|room|guard\w*|they|them|he|she|hit|hurt|cry\w*|scream\w*)\b"
)
_OFF_TOPIC_MIN_WORDS = 4
# Words of trafficking harm: with a past-time marker they make the message a past-harm story.
_HARM_WORDS = re.compile(
    r"\b(?:bi (?:ban|lua|nhot|giam|danh|ep|bat|giu|hanh ha|xam hai)|nan nhan|mua ban|buon ban|"
    r"buon nguoi|trafficked|sold|locked|forced|(?:da|tung) ban (?:toi|em|minh|tui)|"
    r"(?:lua|ban) (?:toi|em|minh|tui) (?:qua|sang|vao|cho))\b"
)


# A need of one's own, said outright ("I need medical care", "em cần chỗ ở", "tôi muốn học nghề").
_STATES_NEED = re.compile(
    r"\b(?:i|we) (?:really |still |urgently )?(?:need|want|would like|am looking for|"
    r"are looking for) (?:\w+ ){0,3}(?:medical|doctor|care|treatment|shelter|place to stay|papers|"
    r"documents|passport|id|job|work|training|lawyer|legal|counsel+ing|therapy|money|help|"
    r"support|to go home|interpreter|school)\b|"
    r"\b(?:em|toi|tui|minh|chung em|chung toi|con|chau) (?:dang |rat |that su )?(?:can|muon|xin|"
    r"mong) (?:\w+ ){0,3}(?:ho tro|giup|tu van|kham|chua|cho o|noi o|giay to|can cuoc|ho chieu|"
    r"viec|hoc|luat su|phap ly|tam ly|tien|ve (?:nha|que)|bac si|thuoc)\b"
)


def states_need(text: str) -> bool:
    """The writer says outright what they need now (in Vietnamese or English): a help request
    even when the classifier took it for a form's answer ("I need medical care, I live in Tra
    Vinh")."""
    composed = nfc(text)
    return bool(_STATES_NEED.search(fold(composed)) or _STATES_NEED.search(composed.lower()))


def about_writer(text: str) -> bool:
    """The writer speaks of themselves (tôi, em, mình, I, we ...), in any written form."""
    composed = nfc(text)
    return _names_writer(fold(composed), composed.lower())


def _names_writer(folded: str, lowered: str) -> bool:
    return bool(_FIRST_PERSON.search(folded) or _FIRST_PERSON.search(lowered))


def detect_urgency(text: str) -> list[str]:
    """Names of the urgency indicators of danger now in ``text`` (empty when none), in a stable
    order. The gateway calls this on its own: a non-empty answer opens an urgent case."""
    return assess(text).reasons
