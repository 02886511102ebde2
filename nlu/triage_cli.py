"""Triage a JSONL file with a trained model (run under .venv-rasa: ``python -m nlu.triage_cli``).

Loads the model once with Rasa's Agent and parses every line through the same processor the
server uses. Input lines: ``{"id": ..., "text": ...}``; output lines, in input order:
``{"id", "triage", "intent", "confidence", "language", "urgent_reasons", "entities"}``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from nlu import model_loading
from nlu.language import _langdetect
from nlu.normalize import nfc
from nlu.triage_levels import level_for_intent


def find_model(path: str) -> str:
    """A model archive, or the newest ``*.tar.gz`` in a directory."""
    candidate = Path(path)
    if candidate.is_dir():
        archives = sorted(candidate.glob("*.tar.gz"), key=lambda item: item.stat().st_mtime)
        if not archives:
            raise SystemExit(f"no trained model (*.tar.gz) in {candidate}")
        return str(archives[-1])
    if not candidate.exists():
        raise SystemExit(f"model not found: {candidate}")
    return str(candidate)


def result_line(record_id: Any, parsed: dict[str, Any]) -> dict[str, Any]:
    """The public triage record for one parse result (ours, or a stock model's)."""
    intent = parsed.get("intent") or {}
    name = intent.get("name") or "nlu_fallback"
    extra = parsed.get("chungtay")
    if extra:
        triage = extra["triage"]
        language = extra["language"]
        reasons = list(extra.get("urgent_reasons", []))
    else:  # a model without our components (the stock baseline in the benchmark)
        triage = level_for_intent(name)
        language = _langdetect(parsed.get("text") or "") or "und"
        reasons = []
    # Values are already normalised and deduplicated in the pipeline (EntityNormalizer), so the
    # actions and this output see the same entities.
    entities = [
        {
            "entity": entity.get("entity"),
            "value": entity.get("value"),
            "start": entity.get("start"),
            "end": entity.get("end"),
        }
        for entity in parsed.get("entities", [])
    ]
    return {
        "id": record_id,
        "triage": triage,
        "intent": name,
        "confidence": round(float(intent.get("confidence") or 0.0), 4),
        "language": language,
        "urgent_reasons": reasons,
        "entities": entities,
    }


def read_records(lines: Iterable[str]) -> list[dict[str, Any]]:
    records = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise SystemExit(f"line {number}: not JSON ({error.msg})") from error
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise SystemExit(f'line {number}: expected {{"id": ..., "text": "..."}}')
        records.append(record)
    return records


async def triage_all(
    model: str,
    records: list[dict[str, Any]],
    *,
    normalize_input: bool,
    timing: bool,
    details: bool = False,
) -> list[dict[str, Any]]:
    """``details`` (benchmarks) adds the classifier's own ranking and the net's reasons."""
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    # Rasa's structlog prints every parsed text at debug level: never log messages.
    configure_structlog(logging.WARNING)
    model_loading.install()
    agent = Agent.load(model)
    results = []
    for record in records:
        text = nfc(record["text"]) if normalize_input else record["text"]
        started = time.perf_counter()
        parsed = await agent.parse_message(text)
        elapsed = (time.perf_counter() - started) * 1000
        line = result_line(record.get("id"), parsed)
        if timing:
            line["latency_ms"] = round(elapsed, 2)
        if details:
            line["classifier_ranking"] = [
                (str(item["name"]), float(item["confidence"]))
                for item in parsed.get("intent_ranking") or []
                if item.get("name") != "nlu_fallback"
            ]
            line["net_reasons"] = [
                reason
                for reason in (parsed.get("chungtay") or {}).get("urgent_reasons", [])
                if not reason.startswith("classifier")
            ]
        results.append(line)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlu.triage_cli", description=__doc__)
    parser.add_argument("--input", required=True, help="JSONL with id and text ('-' for stdin)")
    parser.add_argument("--output", required=True, help="JSONL to write ('-' for stdout)")
    parser.add_argument("--model", default="models", help="model archive or directory")
    parser.add_argument(
        "--no-normalize", action="store_true", help="hand Rasa the raw text (stock baseline)"
    )
    parser.add_argument("--timing", action="store_true", help="add latency_ms to each line")
    args = parser.parse_args(argv)

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    logging.basicConfig(level=logging.WARNING)
    model = find_model(args.model)
    if args.input == "-":
        records = read_records(sys.stdin)
    else:
        with open(args.input, encoding="utf-8") as handle:
            records = read_records(handle)
    results = asyncio.run(
        triage_all(model, records, normalize_input=not args.no_normalize, timing=args.timing)
    )
    lines = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in results)
    if args.output == "-":
        sys.stdout.write(lines)
    else:
        Path(args.output).write_text(lines, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
