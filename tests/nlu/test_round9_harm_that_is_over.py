"""Issue 16, ninth round: harm told as over, found where the net disagreed with the round-9
training data (help requests of people now safe, a thank-you). Sentences written for these tests
(not from nlu/data or any test set).

- Over: "my hands still shake" (what harm left behind, not "still held"), "please help with the
  ticket home", "được công an đưa ra", "rồi được thả", "giờ e ở nhà"; Thai "used to be locked up,
  now living at home again", Khmer "I used to be sold, now I am at home"; a Khmer thank-you "for
  helping me"; "mọi thứ thay đổi" (not "mới thấy"), "vẫn bị đau đầu" (an after-effect), a ransom
  demand the person was released from.
- Not over: a release that is only a condition ("trả đủ nợ thì được thả"), "giờ em ở nhà một
  người lạ", "I still can't get out", a cry in Khmer, traffickers at the door who will take her
  back unless she pays; "chưa về được 2 năm nay" is not "về được 2 năm nay".
- A tip that says nobody is locked in and they "can't leave the job" is not confinement.
- From 2026-12g's misreadings (a development set since 2026-12h was frozen), in words of our own:
  "được cứu" (rescued) is not a cry, "trc bị bán" is told of, "đc trả về" is back home, "help me
  see a doctor" asks for a task, "the people who sold me were arrested" is over, "qua mối, mất
  liên lạc 8 tháng" is a missing person to report; tips told in other scripts by "I suspect" or
  "no news for months".
"""

from __future__ import annotations

import pytest

from nlu import other_scripts
from nlu.urgency import assess


@pytest.mark.parametrize(
    "text",
    [
        "they kept me in a scam building for a year, im home now but i still have nightmares",
        "please help with money for the bus home, my sister got out and is at the police station",
        "chi bi giu o quan karaoke 2 thang, duoc bo doi bien phong dua ra roi, gio chi o nha",
        "con tôi bị nhốt ở xưởng rồi được thả, giờ cháu cần đi khám",
        "ฉันเคยถูกขังที่ปอยเปต ตอนนี้กลับมาอยู่บ้านแล้ว อยากหางานทำ",
        "ខ្ញុំធ្លាប់ត្រូវគេលក់ទៅចិន ឥឡូវខ្ញុំនៅផ្ទះហើយ ខ្ញុំត្រូវការការងារ",
        "អរគុណច្រើន ដែលជួយខ្ញុំកាលពីម្សិលមិញ",
        # Found where the net disagreed with older help requests and tips of the training data.
        "em bị nhốt ở xưởng may bên Malay một năm, giờ về rồi, mọi thứ thay đổi, em cần học nghề",
        "tôi bị đánh ở bên đó, được thả về từ tháng trước, vẫn bị đau đầu, cần đi khám",
        "nó đòi tiền chuộc em tôi, nhà vay gửi sang, nó được thả về rồi, giờ cần vay vốn",
        # From 2026-12g (a development set since 2026-12h was frozen), in words of our own.
        "em bị bán sang bên kia, về được 8 tháng, giờ em muốn đi học may",
        "the workshop keeps their ID cards; no one is locked in, but they can't leave the job",
        "cháu được cứu về, giờ đang ở trung tâm bảo trợ, tôi muốn xin đón cháu về",
        "e 15t, trc bị bán sang tq, giờ mún đi học lại",
        "chau 9t bi ban sang tq, nay dc tra ve roi, can lam giay khai sinh",
        "I'm safe at home now, could someone help me see a doctor about my back?",
        "the men who trafficked me were arrested, I need a lawyer for the trial",
        "em gái tôi lấy chồng qua mối bên Đài, mất liên lạc 8 tháng rồi",
    ],
)
def test_harm_that_is_over_does_not_page(text: str) -> None:
    assert assess(text).reasons == [], text


@pytest.mark.parametrize(
    "text",
    [
        "họ nhốt em trong phòng, bảo trả đủ nợ thì được thả",
        "nó bán em qua đây rồi, giờ em ở nhà một người lạ, không biết đây là đâu",
        "im still locked in, i cant get out, they took my phone",
        "ជួយខ្ញុំផង គេចាក់សោខ្ញុំក្នុងបន្ទប់",
        "bọn buôn người tới tận nhà, bảo không trả nợ thì bắt em đi lại",
        "i cant leave this place, they lock the gate at night",
    ],
)
def test_danger_now_still_pages(text: str) -> None:
    assert assess(text).reasons, text


def test_unable_to_return_for_years_is_not_harm_that_is_over() -> None:
    seen = assess("chị tôi bị bán sang TQ, chưa về được 2 năm nay")
    assert seen.reasons == [] and not seen.past_harm


@pytest.mark.parametrize(
    "text",
    [
        "我怀疑隔壁的中介在骗越南女孩去中国结婚",
        "ร้านนี้รับคนเวียดนามมาทำงาน น่าสงสัยมาก",
        "ຂ້ອຍສົງໄສບໍລິສັດນີ້ຫຼອກລວງຄົນງານ",
        "我表妹嫁到中国以后，三个月没有消息了",
    ],
)
def test_a_tip_told_in_another_script_is_read_as_one(text: str) -> None:
    assert other_scripts.says_reporting(text), text
