"""Awareness retrieval benchmark: top-1 / top-3 accuracy on the held-out paraphrase set.

Runs in the Rasa venv against a trained model (the parse goes through the whole NLU pipeline,
ResponseSelector included):

    .venv-rasa/bin/python bench/awareness.py [--model models/] [--json results/awareness.json]

Also prints, for a few confidence thresholds, how many questions would be answered directly and how
many of those answers would be right; content/knowledge.py's LOW_CONFIDENCE_THRESHOLD is tuned here.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
TESTSET = REPO_ROOT / "tests" / "nlu" / "awareness_testset.yml"
TARGET_TOP1, TARGET_TOP3 = 0.90, 0.97
THRESHOLDS = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)


@dataclass
class Outcome:
    text: str
    expected: str
    intent: str
    predicted: list[str]  # entry ids, best first
    confidence: float


def load_testset(path: Path = TESTSET) -> list[tuple[str, str]]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))["entries"]
    return [(question, entry_id) for entry_id, questions in raw.items() for question in questions]


def outcome_from_parse(text: str, expected: str, parse: dict[str, Any]) -> Outcome:
    selectors = parse.get("response_selector") or {}
    # A ResponseSelector without `retrieval_intent` (stock Rasa's default config) reports as
    # "default"; its keys are still faq/<entry>.
    selector = selectors.get("faq") or selectors.get("default") or {}
    ranking = [
        str(item.get("intent_response_key", "")).partition("/")[2]
        for item in selector.get("ranking") or ()
    ]
    response = selector.get("response") or {}
    return Outcome(
        text=text,
        expected=expected,
        intent=(parse.get("intent") or {}).get("name") or "",
        predicted=ranking,
        confidence=float(response.get("confidence") or 0.0),
    )


def summarize(outcomes: list[Outcome]) -> dict[str, Any]:
    total = len(outcomes)
    top1 = sum(bool(o.predicted) and o.predicted[0] == o.expected for o in outcomes)
    top3 = sum(o.expected in o.predicted[:3] for o in outcomes)
    by_threshold = []
    for threshold in THRESHOLDS:
        answered = [o for o in outcomes if o.confidence >= threshold]
        right = sum(o.predicted[:1] == [o.expected] for o in answered)
        by_threshold.append(
            {
                "threshold": threshold,
                "answered_share": round(len(answered) / total, 3),
                "answered_precision": round(right / len(answered), 3) if answered else None,
                # Unanswered questions get the top 3 as buttons: right when the entry is among them.
                "fallback_top3": round(
                    sum(o.expected in o.predicted[:3] for o in outcomes if o.confidence < threshold)
                    / max(1, total - len(answered)),
                    3,
                ),
            }
        )
    return {
        "questions": total,
        "top1": round(top1 / total, 4),
        "top3": round(top3 / total, 4),
        "intent_faq_share": round(sum(o.intent == "faq" for o in outcomes) / total, 4),
        # Questions the intent classifier sends elsewhere never reach the answer.
        "other_intents": dict(Counter(o.intent for o in outcomes if o.intent != "faq")),
        "by_threshold": by_threshold,
        "misrouted": [(o.intent, o.text) for o in outcomes if o.intent != "faq"],
        "errors": [
            asdict(o) | {"predicted": o.predicted[:3]}
            for o in outcomes
            if not o.predicted or o.predicted[0] != o.expected
        ],
    }


async def run_model(model: Path, questions: list[tuple[str, str]]) -> list[Outcome]:
    from rasa.core.agent import Agent  # Rasa venv only
    from rasa.model import get_local_model

    from nlu import model_loading

    model_loading.install()  # the eager load Rasa's server and chungtay triage use
    agent = Agent.load(get_local_model(str(model)))
    outcomes = []
    for text, expected in questions:
        parse = await agent.parse_message(text)
        outcomes.append(outcome_from_parse(text, expected, parse))
    return outcomes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=REPO_ROOT / "models")
    parser.add_argument("--testset", type=Path, default=TESTSET)
    parser.add_argument("--json", type=Path, help="write the full result here")
    parser.add_argument("--enforce", action="store_true", help="exit 1 below the targets")
    args = parser.parse_args(argv)
    outcomes = asyncio.run(run_model(args.model, load_testset(args.testset)))
    result = summarize(outcomes)
    for error in result["errors"]:
        print(
            f"MISS {error['expected']:<32} got {error['predicted']} ({error['confidence']:.2f})"
            f"  {error['text']}"
        )
    for intent, text in result["misrouted"]:
        print(f"ROUTE {intent:<14} {text}")
    for row in result["by_threshold"]:
        print(
            f"threshold {row['threshold']:.1f}: answered {row['answered_share']:.0%}, "
            f"precision {row['answered_precision']}, fallback top-3 {row['fallback_top3']}"
        )
    print(
        f"awareness retrieval: top-1 {result['top1']:.3f} (target {TARGET_TOP1}), "
        f"top-3 {result['top3']:.3f} (target {TARGET_TOP3}), n={result['questions']}, "
        f"intent faq {result['intent_faq_share']:.3f} (others: {result['other_intents']})"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    ok = result["top1"] >= TARGET_TOP1 and result["top3"] >= TARGET_TOP3
    return 0 if ok or not args.enforce else 1


if __name__ == "__main__":
    sys.exit(main())
