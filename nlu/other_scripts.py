"""Words of the neighbouring scripts (Chinese, Thai, Khmer, Lao, Burmese) that the Vietnamese
classifier cannot read: cries for help and danger, "I am back home", "I need help", "I want to
report", greetings and thanks.

Vietnamese people are trafficked to China, Cambodia, Laos, Thailand and Myanmar, and foreign
victims reach Vietnamese hotlines: what they type on a phone is short and common. These scripts
have no spaces between words, so every entry is a substring (or a short pattern) of the NFC text.
Pure Python, importable from both venvs.
"""

from __future__ import annotations

import re
import unicodedata

# Characters of the neighbouring scripts (CJK, Thai, Khmer, Lao, Myanmar): their words are not in
# the Vietnamese lists, so the net does not call such a message off-topic.
SCRIPT = re.compile(r"[\u4e00-\u9fff\u0e00-\u0e7f\u1780-\u17ff\u0e80-\u0eff\u1000-\u109f]")

# Danger now, by indicator (the names nlu.urgency uses). Simplified and traditional Chinese both.
INDICATORS: dict[str, tuple[str, ...]] = {
    "cry_for_help": (
        "快来人",
        "来人啊",
        # Chinese: "save my life", "save me", "help me", "call the police", "I beg you".
        "救命",
        "救救",
        "救我",
        "帮帮我",
        "幫幫我",
        "帮帮忙",
        "快报警",
        "快報警",
        "请报警",
        "請報警",
        "帮我报警",
        "幫我報警",
        "帮忙报警",
        "求救",
        "快来救",
        # Thai: "help!", "help me", "save my life", "call the police".
        "ช่วยด้วย",
        "ช่วยฉันด้วย",
        "ช่วยผมด้วย",
        "ช่วยหนูด้วย",
        "ช่วยเราด้วย",
        "ช่วยชีวิต",
        "แจ้งตำรวจ",
        "เรียกตำรวจ",
        # Khmer: "help!", "help me", "rescue", "call the police".
        "ជួយផង",
        "ជួយខ្ញុំ",
        "ជួយយើង",
        "ជួយសង្គ្រោះ",
        "ហៅប៉ូលីស",
        # Lao: "help!", "help me", "call the police".
        "ຊ່ວຍແດ່",
        "ຊ່ວຍຂ້ອຍ",
        "ຊ່ວຍດ້ວຍ",
        "ແຈ້ງຕຳຫຼວດ",
        "ເອີ້ນຕຳຫຼວດ",
        # Burmese: "save me", "help me", "call the police".
        "ကယ်ပါ",
        "ကယ်ကြပါ",
        "ကူညီပါ",
        "ရဲခေါ်ပေး",
    ),
    "being_sold": (
        "卖掉",
        "賣掉",
        "ขายหนู",
        "ขายผม",
        "ขายเรา",
        "លក់ខ្ញុំ",
        "ຂາຍພວກເຮົາ",
        "被卖",
        "被賣",
        "卖给",
        "賣給",
        "被拐",
        "ถูกขาย",
        "ขายฉัน",
        "ត្រូវគេលក់",
        "គេលក់ខ្ញុំ",
        "ຖືກຂາຍ",
        "ຂາຍຂ້ອຍ",
        "ရောင်းစား",
    ),
    "confinement": (
        "被人控制",
        "控制了我",
        "被关",
        "被關",
        "关起来",
        "關起來",
        "关着",
        "被锁",
        "被鎖",
        "锁在",
        "锁着",
        "被囚禁",
        "被困",
        "困在",
        "被控制",
        "被扣押",
        "不让我走",
        "不讓我走",
        "不让我们走",
        "不让我离开",
        "不让我出去",
        "不让我们出去",
        "出不去",
        "走不了",
        "逃不出",
        "ถูกขัง",
        "ถูกกักขัง",
        "ขังไว้",
        "ถูกกักตัว",
        "ไม่ให้ออก",
        "ไม่ยอมให้ออก",
        # Thai "locks the door", "won't let (her) go home".
        "ล็อกประตู",
        "ล็อคประตู",
        "ไม่ให้กลับ",
        "ออกไปไม่ได้",
        "ออกไม่ได้",
        "หนีไม่ได้",
        "ឃុំខ្លួន",
        "ត្រូវគេឃុំ",
        "ត្រូវគេចាប់",
        "ចាក់សោខ្ញុំ",
        "មិនឲ្យចេញ",
        "មិនអោយចេញ",
        "ចេញមិនបាន",
        "ຖືກຂັງ",
        "ຖືກກັກຂັງ",
        "ຂັງຂ້ອຍ",
        "ບໍ່ໃຫ້ອອກ",
        "ອອກບໍ່ໄດ້",
        "ပိတ်ထား",
        "ချုပ်ထား",
        "ထွက်ခွင့်မပေး",
    ),
    "violence": (
        "ทำร้ายทุกคน",
        "ตีพวกเรา",
        "ຕີພວກເຮົາ",
        "វាយយើង",
        "被打",
        "打我",
        "挨打",
        "被殴打",
        "被毆打",
        "被强奸",
        "被強姦",
        "电击",
        "電擊",
        "ถูกตี",
        "ตีฉัน",
        "ถูกทำร้าย",
        "ทำร้ายฉัน",
        "ทำร้ายพวกเรา",
        "ถูกทุบตี",
        "ถูกข่มขืน",
        "ត្រូវគេវាយ",
        "វាយខ្ញុំ",
        "គេវាយ",
        "ຖືກຕີ",
        "ຕີຂ້ອຍ",
        "ຖືກທຳຮ້າຍ",
        "ရိုက်နှက်",
    ),
    "documents_taken": (
        "护照被扣",
        "护照被收",
        "护照被拿",
        "护照被没收",
        "護照被扣",
        "扣了我的护照",
        "扣我护照",
        "收了我的护照",
        "拿走了我的护照",
        "没收了我的护照",
        "ยึดพาสปอร์ต",
        "ยึดหนังสือเดินทาง",
        "យកលិខិតឆ្លងដែន",
        "ដកហូតលិខិតឆ្លងដែន",
        "ເອົາໜັງສືຜ່ານແດນ",
        "ຍຶດໜັງສືຜ່ານແດນ",
    ),
    # "Will kill me", "cut my finger": threats, in Thai, Khmer, Lao and Chinese.
    "threat": ("杀了我", "殺了我", "要杀", "剁手", "ตัดนิ้ว", "ฆ่าฉัน", "ฆ่าผม", "សម្លាប់ខ្ញុំ", "ຂ້າຂ້ອຍ"),
    # Hiding, or being hunted or broken in on now.
    "hiding_or_pursued": (
        "砸门",
        "砸門",
        "抓我回去",
        "在找我",
        "ตามหา",
        "แอบอยู่",
        "ซ่อนอยู่",
        "លាក់ខ្លួន",
        "ដើររកខ្ញុំ",
        "ຕາມຫາ",
        "ລີ້ຢູ່",
        # Chased ("the foreman is chasing me").
        "追我",
        "ไล่ตาม",
        "ដេញតាម",
        "ໄລ່ຕາມ",
    ),
    "organ_removal": ("摘肾", "摘腎", "割肾", "ตัดไต", "เอาไต", "យកតម្រងនោម", "ເອົາໝາກໄຂ່ຫຼັງ"),
    # A call cut off in the middle ("话没说完电话就断了").
    # Thai "then the line was cut".
    "cut_off_contact": ("电话就断了", "電話就斷了", "电话突然断了", "สายก็ตัด", "สายตัดไป", "สายหลุด"),
    # A child taken just now ("刚被人带走", "was just taken away").
    "child_missing_recent": ("刚被人带走", "刚被带走", "刚被人抱走", "被人抱走了", "ถูกลักพาตัว"),
}

# Across a border, or moved, tonight or now: the time word and the move within a short span.
_MOVED_NOW = re.compile(
    r"(?:今晚|今天晚上|今夜|现在|現在|马上|馬上).{0,15}(?:过境|過境|边境|邊境|偷渡|运走|運走|带走|"
    r"帶走|带过|帶過|送过|运过|運過)|"
    r"(?:คืนนี้|ตอนนี้|เดี๋ยวนี้).{0,30}(?:ข้ามแดน|ชายแดน|พาไป|พาตัว|ขนย้าย|ย้าย)|"
    r"(?:យប់នេះ|ឥឡូវនេះ).{0,30}(?:ព្រំដែន|នាំ)|"
    r"(?:ຄືນນີ້|ຕອນນີ້).{0,30}(?:ຊາຍແດນ|ຂ້າມ|ພາ|ຍ້າຍ)|"
    # The move first, the time after ("ត្រូវគេនាំឆ្លងព្រំដែននៅយប់នេះ": taken across the border
    # tonight).
    r"(?:过境|過境|偷渡|运走|運走|带走|帶走).{0,15}(?:今晚|今天晚上|今夜)|"
    r"(?:ข้ามแดน|ชายแดน|พาไป|ขนย้าย).{0,30}(?:คืนนี้)|"
    r"(?:ព្រំដែន|នាំ).{0,30}(?:យប់នេះ)|"
    r"(?:ຊາຍແດນ|ຂ້າມ|ຍ້າຍ).{0,30}(?:ຄືນນີ້)"
)
# A child taken by someone today ("ລູກສາວຂ້ອຍອາຍຸ 15 ປີ ຖືກຄົນພາໄປ … ມື້ນີ້").
_TAKEN = re.compile(r"被人?带走|被人?帶走|被人?拐|ถูก(?:คน)?พา(?:ตัว)?ไป|ត្រូវគេនាំ|ຖືກ(?:ຄົນ)?ພາໄປ")
_TODAY = re.compile(r"今天|今早|今晚|วันนี้|เมื่อเช้า|ថ្ងៃនេះ|ព្រឹកនេះ|ມື້ນີ້|ເຊົ້ານີ້|ယနေ့|ဒီနေ့")
# "Help ... please" around a person: Thai ช่วย…ด้วย, Khmer ជួយ…ផង, Lao ຊ່ວຍ…ແດ່ ("help my daughter!").
_HELP_AROUND = re.compile(r"ช่วย.{1,25}ด้วย|ជួយ.{1,25}ផង|ຊ່ວຍ.{1,25}ແດ່")

# "Back in Vietnam", "came home", "safe now": the harm told of is over.
_RETURNED = (
    "回到越南",
    "回越南了",
    "已经回",
    "已經回",
    "回国了",
    "回國了",
    "回来了",
    "回來了",
    "回家了",
    "现在很安全",
    "现在安全了",
    "已经安全",
    "获救",
    "被解救",
    "逃回来",
    "กลับบ้านมา",
    "กลับมาแล้ว",
    "กลับถึงบ้าน",
    "กลับเวียดนาม",
    "ปลอดภัยแล้ว",
    "ត្រឡប់មកផ្ទះ",
    "ត្រឡប់មកវិញ",
    "មានសុវត្ថិភាពហើយ",
    "ກັບມາບ້ານ",
    "ກັບມາແລ້ວ",
    "ປອດໄພແລ້ວ",
    # Out already, in a safe place or centre now (Thai, Khmer, Lao, Chinese, Burmese).
    "ออกมาแล้ว",
    "อยู่ในที่ปลอดภัย",
    "อยู่ที่ปลอดภัย",
    "នៅមណ្ឌលសុវត្ថិភាព",
    "នៅកន្លែងសុវត្ថិភាព",
    "ຢູ່ສູນ",
    "在安全的地方",
    "在救助中心",
    "လုံခြုံ",
    "ပြန်ရောက်",
    # Thai "now back living at home", Khmer "now I am at home (already)", Lao "at home already".
    "กลับมาอยู่บ้าน",
    "อยู่บ้านแล้ว",
    "នៅផ្ទះហើយ",
    "ຢູ່ບ້ານແລ້ວ",
)
# "Was rescued (already)": Thai ได้รับการช่วยเหลือแล้ว, Khmer ត្រូវបានជួយសង្គ្រោះ, Lao ຖືກຊ່ວຍອອກມາ,
# Burmese ကယ်ထုတ်ခံရ, Chinese 被救出. Harm that is over; their "help"/"rescue" words are no cry.
_RESCUED = (
    "被救出",
    "被救了",
    "救出来了",
    "ได้รับการช่วยเหลือแล้ว",
    "ได้รับการช่วยเหลือออกมา",
    "ถูกช่วยออกมา",
    "ช่วยออกมาแล้ว",
    "ត្រូវបានជួយសង្គ្រោះ",
    "បានជួយសង្គ្រោះហើយ",
    "ຖືກຊ່ວຍອອກມາ",
    "ໄດ້ຮັບການຊ່ວຍເຫຼືອແລ້ວ",
    "ຊ່ວຍອອກມາແລ້ວ",
    "ကယ်ထုတ်ခံရ",
    "ကယ်ဆယ်ခံရ",
    "ကယ်တင်ခံရ",
)
_BACK_OR_RESCUED = (*_RETURNED, *_RESCUED)
# Came back from somewhere, with the place between ("ກັບມາຈາກຈີນແລ້ວ", "回到老家了").
_CAME_BACK = re.compile(r"ກັບມາ.{1,15}ແລ້ວ|กลับมา.{1,15}แล้ว|回到.{1,8}了|ត្រឡប់មក.{1,15}វិញ")
# What someone back home wants next (home, school, work), beside what they ask for (_NEEDS): with
# harm that is over, their "help me" asks for support, not rescue.
_WANTS = (
    "想回家",
    "想回越南",
    "找工作",
    "อยากกลับบ้าน",
    "อยากกลับไป",
    "หางาน",
    "ចង់ត្រឡប់ទៅផ្ទះ",
    "ចង់ត្រឡប់ទៅ",
    "រកការងារ",
    "ຢາກກັບບ້ານ",
    "ຢາກກັບໄປ",
    "ຊອກວຽກ",
    "ပြန်ချင်",
)
# A child gone with someone met online or a stranger: each script's words for a child, for gone
# or missing, and for online or a stranger ("ລູກສາວຂ້ອຍຫາຍໄປສອງມື້ແລ້ວ ຫຼັງຈາກລົມກັບຄົນແປກໜ້າທາງ
# ອອນລາຍ"). With no span of months or years: gone recently, danger now (triage.md).
_CHILD = re.compile(
    r"女儿|儿子|孩子|妹妹|弟弟|\d+岁|ลูก|น้อง|เด็ก|កូន|ប្អូន|ក្មេង|ລູກ|ນ້ອງ|ເດັກ|သမီး|သား|ကလေး|ညီမ"
)
_GONE = re.compile(
    r"失踪|不见了|找不到|联系不上|没回家|หายไป|หายตัว|ติดต่อไม่ได้|បាត់|ទាក់ទងមិនបាន|ຫາຍໄປ|ຫາຍຕົວ|"
    r"ຕິດຕໍ່ບໍ່ໄດ້|ပျောက်"
)
_ONLINE = re.compile(
    r"网上|网友|网络|陌生人|ออนไลน์|คนแปลกหน้า|ทางเน็ต|អនឡាញ|អ៊ីនធឺណិត|មនុស្សចម្លែក|ອອນລາຍ|"
    r"ຄົນແປກໜ້າ|အွန်လိုင်း|သူစိမ်း|facebook|tiktok|zalo",
    re.IGNORECASE,
)
_LONG_SPAN = re.compile(r"[个個]?[月年]|เดือน|ปี|ខែ|ឆ្នាំ|ເດືອນ|ປີ|နှစ်")
# An age is no span of time ("อายุ 13 ปี", "ອາຍຸ 14 ປີ", "អាយុ ១៣ ឆ្នាំ": 13 years old).
_AGE = re.compile(r"(?:อายุ|ອາຍຸ|អាយុ)\s*\S{1,4}\s*(?:ปี|ປີ|ឆ្នាំ)")
# Someone employs or works people (a workplace's practice told from outside: papers kept, wages
# unpaid), in each script: with papers kept and nobody held, a tip to verify, not a page.
_WORKPLACE = (
    "雇", "老板", "工厂", "公司", "工人", "นายจ้าง", "จ้าง", "โรงงาน", "บริษัท", "คนงาน", "ថៅកែ",
    "រោងចក្រ", "ក្រុមហ៊ុន", "កម្មករ", "ນາຍຈ້າງ", "ໂຮງງານ", "ບໍລິສັດ", "ຄົນງານ", "အလုပ်ရှင်",
    "စက်ရုံ", "အလုပ်သမား",
)  # fmt: skip
# Vietnamese people told of by someone in their own script ("我邻居家最近住进了几个越南女孩"):
# what a tip about them is made of.
_VIETNAMESE_PEOPLE = (
    "越南女孩", "越南姑娘", "越南女人", "越南妇女", "越南新娘", "越南工人", "越南人", "คนเวียดนาม",
    "คนงานเวียดนาม",
    "แรงงานเวียดนาม", "สาวเวียดนาม", "หญิงเวียดนาม", "ผู้หญิงเวียดนาม", "ជនជាតិវៀតណាម",
    "ស្រីវៀតណាម", "កម្មករវៀតណាម", "ຄົນຫວຽດນາມ", "ແຮງງານຫວຽດນາມ", "ຍິງຫວຽດນາມ", "ဗီယက်နမ်",
)  # fmt: skip
# "Used to be …" (Chinese 曾经/以前, Thai เคย, Khmer ធ្លាប់, Lao ເຄີຍ): harm told of as over.
_USED_TO = ("曾经被", "曾經被", "曾被", "以前被", "เคยถูก", "เคยโดน", "ធ្លាប់", "ເຄີຍຖືກ")
# "… who helped me" after thanks (Khmer ដែល, Thai ที่, Lao ທີ່ before "help"): not a cry.
_HELPED = re.compile(r"(?:ដែល|ที่|ທີ່)(?:ជួយ|ช่วย|ຊ່ວຍ)")
# The writer asks for support for themselves: help, papers, a place to stay, a doctor, a lawyer.
_NEEDS = (
    "需要帮助",
    "需要幫助",
    "需要帮忙",
    "想要帮助",
    "补办",
    "補辦",
    "身份证",
    "住的地方",
    "看医生",
    "律师",
    "ต้องการความช่วยเหลือ",
    "ขอความช่วยเหลือ",
    "อยากได้ความช่วยเหลือ",
    "ทำบัตร",
    "ที่พัก",
    "ត្រូវការជំនួយ",
    "សុំជំនួយ",
    "ត្រូវការកន្លែងស្នាក់នៅ",
    "ຕ້ອງການຄວາມຊ່ວຍເຫຼືອ",
    "ຂໍຄວາມຊ່ວຍເຫຼືອ",
    "အကူအညီလို",
)
# The writer wants to report someone (a tip).
_REPORTING = (
    "举报",
    "舉報",
    "检举",
    "檢舉",
    "我要报告",
    "แจ้งเบาะแส",
    "ต้องการแจ้ง",
    "อยากแจ้ง",
    "ขอแจ้ง",
    "រាយការណ៍",
    "ប្តឹង",
    "ລາຍງານ",
    "ແຈ້ງຂ່າວ",
    "တိုင်ကြား",
    # Burmese "want to give (send) information about", Chinese "I want to report".
    "သတင်းပေးချင်",
    "သတင်းပို့ချင်",
    "我想报告",
    # "I suspect", "suspicious", "withholds (papers)": a tip told.
    "可疑",
    "怀疑",
    "懷疑",
    "扣押",
    "น่าสงสัย",
    "สงสัยว่า",
    "ຂ້ອຍສົງໄສ",
    "ສົງໄສ",
    "សង្ស័យ",
    "រក្សាលិខិតឆ្លងដែន",
)
# Someone gone for months or a year with no news (Chinese), the span before or after: a tip.
_SPAN = r"(?:[一两二三四五六七八九十几半\d]+个?(?:月|年))"
_NO_NEWS = r"(?:没有消息|没消息|联系不上|失联|没有联系)"
_NO_NEWS_LONG = re.compile(rf"{_SPAN}.{{0,6}}{_NO_NEWS}|{_NO_NEWS}.{{0,4}}{_SPAN}")
# I, me, we in each script.
_FIRST_PERSON = ("我", "ฉัน", "ผม", "หนู", "เรา", "ខ្ញុំ", "យើង", "ຂ້ອຍ", "ພວກເຮົາ", "ကျွန်")
_GREETINGS = ("你好", "您好", "哈喽", "สวัสดี", "សួស្តី", "ជំរាបសួរ", "ສະບາຍດີ", "မင်္ဂလာပါ")
_THANKS = (
    "谢谢",
    "謝謝",
    "多谢",
    "感谢",
    "ขอบคุณ",
    "អរគុណ",
    "ຂອບໃຈ",
    "ຂອບໃຈຫຼາຍ",
    "ကျေးဇူး",
)


def indicators(text: str) -> set[str]:
    """Names of the indicators of danger now in ``text`` (NFC) in the other scripts."""
    if thanks(text):
        # "អរគុណបង ដែលជួយខ្ញុំ" (thank you for helping me): the help is given, not cried for.
        text = _HELPED.sub("", text)
    for phrase in _RESCUED:
        # "កូនស្រីខ្ញុំត្រូវបានជួយសង្គ្រោះហើយ" (my daughter was rescued): not "rescue me".
        text = text.replace(phrase, " ")
    found = {reason for reason, phrases in INDICATORS.items() if any(p in text for p in phrases)}
    # A child gone with someone online, with no span of months, or taken by someone today.
    if _CHILD.search(text) and (
        (_GONE.search(text) and _ONLINE.search(text) and not _LONG_SPAN.search(_AGE.sub(" ", text)))
        or (_TAKEN.search(text) and _TODAY.search(text))
    ):
        found.add("child_missing_recent")
    if _MOVED_NOW.search(text):
        found.add("transport_in_progress")
    # Not "ໄດ້ຮັບການຊ່ວຍເຫຼືອຫຍັງແດ່?" (what help do they get?): a question word inside.
    if any(
        not any(word in match.group() for word in _QUESTION_WORDS)
        for match in _HELP_AROUND.finditer(text)
    ):
        found.add("cry_for_help")
    return found


def says_returned(text: str) -> bool:
    """The writer says they (or the person written of) are back home or safe."""
    return any(phrase in text for phrase in _BACK_OR_RESCUED) or bool(_CAME_BACK.search(text))


def pleads_for_support(text: str) -> bool:
    """The writer asks for support or says what they want next (home, school, work)."""
    return asks_for_support(text) or any(phrase in text for phrase in _WANTS)


def workplace_practice(text: str) -> bool:
    """Someone's workplace is told of (an employer, a factory, workers) in another script."""
    return any(word in text for word in _WORKPLACE)


def tells_of_vietnamese(text: str) -> bool:
    """Vietnamese people (girls, women, workers) are told of in another script."""
    return any(word in text for word in _VIETNAMESE_PEOPLE)


def tells_past(text: str) -> bool:
    """The harm is told as something that used to happen ("I used to be locked up")."""
    return any(phrase in text for phrase in _USED_TO)


def asks_for_support(text: str) -> bool:
    """The writer asks for support (help, papers, a place to stay) in another script."""
    return any(phrase in text for phrase in _NEEDS)


def says_reporting(text: str) -> bool:
    """The writer wants to report someone, or tells what they suspect, in another script."""
    return any(phrase in text for phrase in _REPORTING) or bool(_NO_NEWS_LONG.search(text))


def first_person(text: str) -> bool:
    """The writer speaks of themselves (I, me, we) in another script."""
    return any(word in text for word in _FIRST_PERSON)


def greets(text: str) -> bool:
    return any(phrase in text for phrase in _GREETINGS)


def thanks(text: str) -> bool:
    return any(phrase in text for phrase in _THANKS)


# Questions in the neighbouring scripts (no spaces between words): a final particle (Chinese 吗/呢,
# Thai ไหม/มั้ย, Khmer ទេ/ឬទេ, Lao ບໍ) or a question word (多少 "how much", อะไร "what", អ្វី
# "what", ແນວໃດ "how"). A cry for help in these scripts is caught by the urgency net first.
_FINAL = (
    "吗",
    "嗎",
    "呢",
    "么",
    "ไหม",
    "มั้ย",
    "หรือเปล่า",
    "หรือไม่",
    "ទេ",
    "ឬទេ",
    "មែនទេ",
    "ບໍ",
    "ບໍ່",
    "ແມ່ນບໍ",
    "ຫຼືບໍ່",
    "လား",
    "လဲ",
)
_QUESTION_WORDS = (
    "多少",
    "什么",
    "怎么",
    "哪里",
    "哪儿",
    "为什么",
    "是不是",
    "有没有",
    "可不可以",
    "อะไร",
    "ที่ไหน",
    "ยังไง",
    "อย่างไร",
    "เท่าไร",
    "เท่าไหร่",
    "ทำไม",
    "អ្វី",
    "ប៉ុន្មាន",
    "យ៉ាងម៉េច",
    "ដូចម្តេច",
    "នៅឯណា",
    "ຫຍັງ",
    "ແນວໃດ",
    "ຢູ່ໃສ",
    "ເທົ່າໃດ",
    "ເປັນຫຍັງ",
    "ဘယ်လို",
    "ဘယ်မှာ",
    "ဘာလဲ",
    # When ("เมื่อไร", "ເມື່ອໃດ"); "who" is _WHO below.
    "什么时候",
    "เมื่อไร",
    "เมื่อไหร่",
    "ពេលណា",
    "ເມື່ອໃດ",
)
# Who ("ใครจ่ายค่ารถ", "ໃຜຈ່າຍຄ່າລົດ"), but not nobody or anyone ("ไม่มีใครอยากไป", "ใครก็ได้",
# "没有人", "谁都"): those tell, or cry for help.
_WHO = re.compile(
    r"(?<!ไม่มี)ใคร(?!ก็)|(?<!ບໍ່ມີ)ໃຜ(?!ກໍ)|(?<!没有)谁(?!都|也|能帮|能救|来救)|នរណា(?!ក៏)|អ្នកណា(?!ក៏)"
)
# Polite endings after the question particle ("ฟรีไหมคะ", "ໄດ້ບໍເດີ").
_POLITE_ENDINGS = ("ค่ะ", "คะ", "ครับ", "คับ", "จ้ะ", "จ๊ะ", "นะ", "ເດີ", "ນໍ", "បាទ", "ចាស")
# A Khmer negation before a final ទេ makes a statement ("ខ្ញុំមិនដឹងទេ", I don't know).
_KHMER_NEGATION = ("មិន", "អត់")
# What may close a sentence before its last word is read (Vietnamese and the CJK full stops).
END_PUNCT = " \t.!。！…~"


# Whether calling costs money or is free, in those scripts: the hotline's cost (topic words too).
COST_WORDS = (
    "要钱", "收费", "免费", "花钱", "เสียเงิน", "ฟรี", "ค่าโทร", "គិតលុយ", "ឥតគិតថ្លៃ", "ເສຍເງິນ",
    "ຟຣີ", "ငွေကုန်", "အခမဲ့",
)  # fmt: skip
# "How much money" asks the cost after a question about the hotline, but alone asks the price of
# anything ("这个多少钱？"): a cost word, not a topic word.
_COST_ASKED = (*COST_WORDS, "多少钱")
# Words of the hotline's topics in those scripts (trafficking, a job offer, a scam, papers, a
# hotline number, the police, a shelter): "will it rain tomorrow?" in Thai stays small talk.
_TOPIC = (
    "拐",
    "贩",
    "卖",
    "热线",
    "电话",
    "工作",
    "工资",
    "打工",
    "护照",
    "骗",
    "老板",
    "中介",
    "嫁",
    "越南",
    "报警",
    "警察",
    "住的地方",
    "强迫",
    "ค้ามนุษย์",
    "สายด่วน",
    "เบอร์",
    "งาน",
    "หลอก",
    "พาสปอร์ต",
    "หนังสือเดินทาง",
    "นายจ้าง",
    "แจ้ง",
    "ตำรวจ",
    "ที่พัก",
    "ជួញដូរ",
    "ការងារ",
    "បោក",
    "លេខ",
    "ទូរស័ព្ទ",
    "ប៉ូលីស",
    "ស្នាក់នៅ",
    "រាយការណ៍",
    "លិខិតឆ្លងដែន",
    "ຄ້າມະນຸດ",
    "ວຽກ",
    "ຫຼອກ",
    "ເບີ",
    "ແຈ້ງ",
    "ໜັງສືຜ່ານແດນ",
    "ຕຳຫຼວດ",
    "ທີ່ພັກ",
    "111",
    "113",
    # A number to call, and whether calling costs money or is free.
    "号码",
    "ဖုန်းနံပါတ်",
    *COST_WORDS,
    # Victims, help, trafficking in each script.
    "受害者",
    "受害人",
    "求助",
    "帮助",
    "人口贩卖",
    "庇护",
    "เหยื่อ",
    "ความช่วยเหลือ",
    "ជនរងគ្រោះ",
    "ជំនួយ",
    "ຜູ້ເຄາະຮ້າຍ",
    "ຄວາມຊ່ວຍເຫຼືອ",
    "လူကုန်ကူး",
    "အကူအညီ",
)


def asks_about_topics(text: str) -> bool:
    """A question about the hotline's topics written in Chinese, Thai, Khmer or Lao script."""
    composed = unicodedata.normalize("NFC", text or "")
    return is_question(composed) and any(word in composed for word in _TOPIC)


def is_question(text: str) -> bool:
    """A question written in Chinese, Thai, Khmer or Lao script (any topic)."""
    composed = unicodedata.normalize("NFC", text or "").strip()
    if not SCRIPT.search(composed):
        return False
    if "?" in composed or "？" in composed or any(word in composed for word in _QUESTION_WORDS):
        return True
    if _WHO.search(composed):
        return True
    ending = composed.rstrip(END_PUNCT)
    for polite in _POLITE_ENDINGS:
        if ending.endswith(polite) and len(ending) > len(polite):
            ending = ending[: -len(polite)].rstrip(END_PUNCT)
            break
    if ending.endswith("ទេ") and not ending.endswith(("ឬទេ", "មែនទេ")):
        return not any(word in ending for word in _KHMER_NEGATION)
    return ending.endswith(_FINAL)


def asks_about_cost(text: str) -> bool:
    """A question in those scripts whether calling costs money ("打这个号码要钱吗？")."""
    composed = unicodedata.normalize("NFC", text or "")
    return is_question(composed) and any(word in composed for word in _COST_ASKED)
