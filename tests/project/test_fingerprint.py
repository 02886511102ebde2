"""The model fingerprint follows what training reads, and nothing that only the server runs."""

from __future__ import annotations

from pathlib import Path

from chungtay.training import SERVING_ONLY, fingerprint


def test_training_inputs_change_the_fingerprint_serving_code_does_not(tmp_path: Path) -> None:
    files = {
        "config.yml": "pipeline: []\n",
        "domain.yml": "intents: [greet]\n",
        "nlu/data/nlu.yml": "nlu: []\n",
        "nlu/components/tokenizer.py": "X = 1\n",
        **dict.fromkeys(SERVING_ONLY, "Y = 1\n"),
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    before = fingerprint(tmp_path)
    for name in SERVING_ONLY:
        (tmp_path / name).write_text("Y = 2\n")
    assert fingerprint(tmp_path) == before
    for name in ("config.yml", "nlu/data/nlu.yml", "nlu/components/tokenizer.py"):
        (tmp_path / name).write_text(files[name] + "# changed\n")
        assert fingerprint(tmp_path) != before, name
        (tmp_path / name).write_text(files[name])
    assert fingerprint(tmp_path) == before
