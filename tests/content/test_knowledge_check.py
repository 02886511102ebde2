"""`chungtay content check`: the real knowledge base passes; each kind of bad entry fails."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from content.cli import check_command
from content.knowledge import (
    KB_DIR,
    MAX_ANSWER_CHARS,
    PHONE_SCREEN_CHARS,
    check_knowledge_base,
    errors,
    load_knowledge_base,
)

TODAY = dt.date(2026, 12, 5)
GOOD = yaml.safe_load((KB_DIR / "hotline_111.yml").read_text(encoding="utf-8"))


def test_repository_knowledge_base_passes(capsys: pytest.CaptureFixture[str]) -> None:
    kb = load_knowledge_base()
    assert len(kb.entries) >= 30
    assert errors(check_knowledge_base(kb)) == []
    assert check_command(None) == 0
    assert "entries OK" in capsys.readouterr().out


def test_issue_topics_are_covered() -> None:
    kb = load_knowledge_base()
    regimes = [e for e in kb.entries if e.startswith("support_")]
    assert len(regimes) >= 12  # ten regimes, the overview and who gets which
    for required in ("child_trafficking_under_18", "non_punishment", "day_30_july", "shelters"):
        assert required in kb.entries


def _kb_with(tmp_path: Path, **changes: object) -> list[str]:
    """Check a knowledge base of the good entry plus a copy with ``changes`` applied."""
    kb_dir = tmp_path / "kb"
    kb_dir.mkdir()
    bad = {**GOOD, "id": "bad_entry", "related": ["hotline_111"], **changes}
    # Different questions so the two entries do not duplicate each other.
    bad["questions"] = [f"{q} nhe" for q in GOOD["questions"]]
    good = {**GOOD, "related": ["bad_entry"]}
    for entry in (good, bad):
        (kb_dir / f"{entry['id']}.yml").write_text(
            yaml.safe_dump(entry, allow_unicode=True), encoding="utf-8"
        )
    kb = load_knowledge_base(kb_dir)
    return [str(p) for p in errors(check_knowledge_base(kb, today=TODAY))]


def test_valid_copy_passes(tmp_path: Path) -> None:
    assert _kb_with(tmp_path) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"sources": []}, "at least one source"),
        ({"reviewed": None}, "reviewed date is missing"),
        ({"reviewed": dt.date(2030, 1, 1)}, "in the future"),
        ({"answer": {"vi": GOOD["answer"]["vi"]}}, "answer.en is missing"),
        ({"answer": {**GOOD["answer"], "vi": "Gọi 111. " * 100}}, f"> {MAX_ANSWER_CHARS}"),
        ({"related": ["no_such_topic"]}, "'no_such_topic' does not exist"),
        (
            {"answer": {**GOOD["answer"], "vi": "Gọi đường dây nóng 18001567 để được giúp."}},
            "legacy 18001567 shown as current",
        ),
        (
            {"asked_about": [{"words": ["1800"], "vi": "Gọi 18001567.", "en": "Call 18001567."}]},
            "legacy 18001567 shown as current",
        ),
        (
            {"answer": {**GOOD["answer"], "en": "Call 0912 345 678 for help."}},
            "0912345678 is not in the allow-list",
        ),
        (
            {"answer": {**GOOD["answer"], "vi": "Nạn nhân nhận 3.000.000 đồng trợ cấp."}},
            "states a money amount",
        ),
        # 18001769 is only a provincial line from seed 002; it must cite that source.
        (
            {
                "answer": {**GOOD["answer"], "vi": "Gọi 18001769."},
                "sources": [{"ref": "Tổng đài 111, plo.vn post863158"}],
            },
            "needs the source 'seed 002'",
        ),
        # ...and it belongs to one province: not in an answer for everyone.
        (
            {
                "answer": {**GOOD["answer"], "vi": "Gọi 111 hoặc 18001769."},
                "sources": [*GOOD["sources"], {"ref": "Quảng Ninh", "url": "seed 002"}],
            },
            "18001769 is a line of Quảng Ninh only",
        ),
        # A money amount needs a source stating that very amount.
        (
            {"answer": {**GOOD["answer"], "en": "Victims get 2,000,000 VND at once."}},
            "states a money amount ('2,000,000 VND')",
        ),
        # An article citation needs a source ref containing it.
        (
            {"answer": {**GOOD["answer"], "vi": "Theo Điều 27, gọi 111."}},
            "Điều 27 is cited but no source ref contains it",
        ),
        (
            {"answer": {**GOOD["answer"], "en": "Articles 150 and 151 punish traffickers."}},
            "Điều 150 is cited",
        ),
        # Reviewed more than 12 months before "today" (TODAY in these tests).
        ({"reviewed": dt.date(2025, 11, 1)}, "more than 12 months ago"),
        ({"review_by": dt.date(2026, 11, 1)}, "review_by 2026-11-01 has passed"),
        # Longer than one phone screen without a summary line.
        (
            {"answer": {**GOOD["answer"], "en": "Call 111. " * (PHONE_SCREEN_CHARS // 10 + 1)}},
            "(one phone screen): add a summary line",
        ),
        ({"answer": {**GOOD["answer"], "vi": "Luật PCMBN bảo vệ bạn."}}, "spell out 'PCMBN'"),
        (
            {"sources": [{"ref": "Luật PCMBN 2024"}, *GOOD["sources"]]},
            "first source (shown on the phone) uses an abbreviation",
        ),
    ],
)
def test_bad_entry_fails(tmp_path: Path, changes: dict[str, object], expected: str) -> None:
    problems = _kb_with(tmp_path, **changes)
    assert any(expected in problem and "bad_entry" in problem for problem in problems), problems


def test_legacy_number_allowed_only_as_legacy(tmp_path: Path) -> None:
    text = "Số 18001567 là số cũ, không còn dùng; hãy gọi 111."
    assert _kb_with(tmp_path, answer={**GOOD["answer"], "vi": text}) == []


def test_dates_and_articles_are_not_phone_numbers(tmp_path: Path) -> None:
    text = "Từ 01/7/2025, theo Điều 37 và Nghị định 162/2025/NĐ-CP, tối đa 120 ngày."
    sources = [*GOOD["sources"], {"ref": "Luật 53/2024, Điều 37"}]
    assert _kb_with(tmp_path, answer={**GOOD["answer"], "vi": text}, sources=sources) == []


def test_amount_stated_by_its_source_passes(tmp_path: Path) -> None:
    """The documented exception: the source lists the amount under `states`."""
    sources = [*GOOD["sources"], {"ref": "Nghị định mẫu, Điều 9", "states": ["2.000.000 đồng"]}]
    text = "Theo Điều 9, mỗi người nhận 2.000.000 đồng. Gọi 111."
    assert _kb_with(tmp_path, answer={**GOOD["answer"], "vi": text}, sources=sources) == []


def test_long_answer_with_a_summary_line_passes(tmp_path: Path) -> None:
    long = "Call 111 for advice. " * 25
    summary = {"vi": "Gọi 111.", "en": "Call 111."}
    assert _kb_with(tmp_path, answer={**GOOD["answer"], "en": long}, summary=summary) == []


def test_abroad_number_past_its_review_date_fails(capsys: pytest.CaptureFixture[str]) -> None:
    """Embassy numbers change: once review_by passes, every entry showing them fails."""
    kb = load_knowledge_base()
    later = dt.date(2027, 7, 1)  # after the MOFA hotline's review_by
    problems = [str(p) for p in errors(check_knowledge_base(kb, today=later))]
    assert any("84981848484 was due for re-checking" in p and "abroad_help" in p for p in problems)


def test_cli_today_is_injectable(capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    assert check_command(argparse.Namespace(today=dt.date(2026, 12, 5))) == 0
    assert check_command(argparse.Namespace(today=dt.date(2028, 1, 1))) == 1
    assert "more than 12 months ago" in capsys.readouterr().err
