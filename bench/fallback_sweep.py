"""FallbackClassifier threshold tuned on data: a validation split of the training data.

Our pipeline, without FallbackClassifier and ResponseSelector (neither changes DIET's confidences),
is trained on a stratified 80% of nlu/data and parses the other 20%. For every threshold (and
ambiguity threshold) the decision the real pipeline would take is replayed on each message:

* the urgency net fired -> urgent_help (the net ignores confidences);
* DIET unsure (top < threshold, or top - second < ambiguity) -> nlu_fallback, a clarifying question,
  except when its top guess is urgent_help, which the net keeps (nlu.components.urgency);
* otherwise DIET's intent.

cost = wrong intents accepted + REJECT_COST x right intents sent to the fallback. A wrong accept
sends the person into the wrong flow (a report form for a question, an answer instead of help);
a needless fallback costs one more turn, so it weighs half. The cheapest threshold wins (ties: the
lower one, fewer interruptions). No test set is involved.

Run in the Rasa venv (it trains once, ~5 min): ``python -m bench.nlu --tune-fallback DIR``.
"""

from __future__ import annotations

import asyncio
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
REJECT_COST = 0.5
THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(0, 19))  # 0.00 .. 0.90
AMBIGUITIES = (0.0, 0.05, 0.1)
VALIDATION_SHARE = 0.2
SEED = 42
URGENT_INTENT = "urgent_help"
FALLBACK = "nlu_fallback"


@dataclass(frozen=True)
class Parsed:
    gold: str
    ranking: tuple[tuple[str, float], ...]  # DIET's intents, best first
    net_fired: bool


@dataclass(frozen=True)
class Point:
    threshold: float
    ambiguity: float
    fallback_share: float
    accepted_accuracy: float
    wrong_accepted: int
    right_rejected: int
    cost: float


def decide(parsed: Parsed, threshold: float, ambiguity: float) -> str:
    if parsed.net_fired:
        return URGENT_INTENT
    top, confidence = parsed.ranking[0] if parsed.ranking else (FALLBACK, 0.0)
    second = parsed.ranking[1][1] if len(parsed.ranking) > 1 else 0.0
    if confidence < threshold or confidence - second < ambiguity:
        return URGENT_INTENT if top == URGENT_INTENT else FALLBACK
    return top


def sweep(items: list[Parsed]) -> list[Point]:
    points = []
    for ambiguity in AMBIGUITIES:
        for threshold in THRESHOLDS:
            decided = [(item, decide(item, threshold, ambiguity)) for item in items]
            accepted = [(item, d) for item, d in decided if d != FALLBACK]
            wrong = sum(1 for item, d in accepted if d != item.gold)
            rejected_right = sum(
                1 for item, d in decided if d == FALLBACK and item.ranking[0][0] == item.gold
            )
            points.append(
                Point(
                    threshold=threshold,
                    ambiguity=ambiguity,
                    fallback_share=1 - len(accepted) / len(items),
                    accepted_accuracy=(len(accepted) - wrong) / len(accepted) if accepted else 0,
                    wrong_accepted=wrong,
                    right_rejected=rejected_right,
                    cost=wrong + REJECT_COST * rejected_right,
                )
            )
    return points


def best(points: list[Point]) -> Point:
    return min(points, key=lambda p: (p.cost, p.threshold, p.ambiguity))


def split_training_data(target_dir: Path) -> tuple[Path, list[tuple[str, str]]]:
    """A stratified 80/20 split (per intent, seeded); returns the training file and the
    validation (text, intent) pairs. Lookups, regexes and synonyms stay in the training part."""
    from rasa.shared.importers.importer import TrainingDataImporter
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter
    from rasa.shared.nlu.training_data.training_data import TrainingData

    importer = TrainingDataImporter.load_nlu_importer_from_config(
        str(REPO_ROOT / "config.yml"),
        domain_path=str(REPO_ROOT / "domain.yml"),
        training_data_paths=[str(REPO_ROOT / "nlu" / "data")],
    )
    data = importer.get_nlu_data()
    by_intent: dict[str, list[Any]] = defaultdict(list)
    for message in data.intent_examples:
        by_intent[message.get("intent")].append(message)
    rng = random.Random(SEED)
    train, validation = [], []
    for intent in sorted(by_intent):
        messages = list(by_intent[intent])
        rng.shuffle(messages)
        cut = max(1, round(len(messages) * VALIDATION_SHARE))
        validation += messages[:cut]
        train += messages[cut:]
    train += [m for m in data.training_examples if not m.get("intent")]  # entity-only examples
    part = TrainingData(
        training_examples=train,
        entity_synonyms=data.entity_synonyms,
        regex_features=data.regex_features,
        lookup_tables=data.lookup_tables,
        responses=data.responses,
    )
    target_dir.mkdir(parents=True, exist_ok=True)
    path = target_dir / "train_80.yml"
    path.write_text(RasaYAMLWriter().dumps(part), encoding="utf-8")
    return path, [(m.get("text"), m.get("intent")) for m in validation]


def tuning_config(target: Path) -> Path:
    config = yaml.safe_load((REPO_ROOT / "config.yml").read_text(encoding="utf-8"))
    config["pipeline"] = [
        item
        for item in config["pipeline"]
        if item["name"] not in ("FallbackClassifier", "ResponseSelector")
    ]
    config["policies"] = []
    target.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return target


async def _parse(model: str, pairs: list[tuple[str, str]]) -> list[Parsed]:
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    items = []
    for text, gold in pairs:
        parse = await agent.parse_message(text)
        extra = parse.get("chungtay") or {}
        reasons = [r for r in extra.get("urgent_reasons") or [] if r != "classifier"]
        ranking = tuple(
            (str(r["name"]), float(r["confidence"])) for r in parse.get("intent_ranking") or []
        )
        items.append(Parsed(gold=gold, ranking=ranking, net_fired=bool(reasons)))
    return items


def configured() -> tuple[float, float]:
    config = yaml.safe_load((REPO_ROOT / "config.yml").read_text(encoding="utf-8"))
    for item in config["pipeline"]:
        if item["name"] == "FallbackClassifier":
            return float(item.get("threshold", 0.3)), float(item.get("ambiguity_threshold", 0.1))
    return 0.0, 0.0


def tune_fallback(out: Path, train: Callable[..., tuple[str, float]]) -> int:
    """``train`` is bench.nlu.train (rasa train nlu with an empty cache)."""
    train_file, validation = split_training_data(out)
    model, seconds = train(
        tuning_config(out / "tune.yml"), out, "tune", nlu=str(train_file.resolve())
    )
    items = asyncio.run(_parse(model, validation))
    points = sweep(items)
    chosen = best(points)
    print(
        f"validation: {len(items)} messages held out of the training data ({seconds:.0f} s to "
        f"train on the rest); cost = wrong accepted + {REJECT_COST} x right rejected"
    )
    print(
        f"{'amb':>5}{'thr':>6}{'fallback':>10}{'acc(acc.)':>11}{'wrong':>7}{'rej.ok':>8}{'cost':>7}"
    )
    for point in points:
        mark = "  <- chosen" if point == chosen else ""
        print(
            f"{point.ambiguity:>5.2f}{point.threshold:>6.2f}{point.fallback_share:>10.3f}"
            f"{point.accepted_accuracy:>11.3f}{point.wrong_accepted:>7}{point.right_rejected:>8}"
            f"{point.cost:>7.1f}{mark}"
        )
    threshold, ambiguity = configured()
    print(
        f"chosen: threshold {chosen.threshold:.2f}, ambiguity_threshold {chosen.ambiguity:.2f} "
        f"(config.yml: {threshold:.2f} / {ambiguity:.2f})"
    )
    return 0
