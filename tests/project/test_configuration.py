"""The documented configuration matches the code, and children get the parent's configuration."""

from __future__ import annotations

import re
from pathlib import Path

from chungtay.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def test_env_example_lists_every_setting() -> None:
    documented = set(
        re.findall(r"^(CHUNGTAY_[A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M)
    )
    expected = {f"CHUNGTAY_{name.upper()}" for name in Settings.model_fields}
    assert expected - documented == set(), "add these to .env.example"
    assert documented - expected == set(), "remove these from .env.example (no such setting)"


def test_settings_round_trip_through_the_environment(monkeypatch, tmp_path: Path) -> None:
    original = Settings(_env_file=None, gateway_port=18000, escalation_minutes=2.5)  # type: ignore[call-arg]
    for key, value in original.as_env().items():
        monkeypatch.setenv(key, value)
    assert Settings(_env_file=None) == original  # type: ignore[call-arg]
