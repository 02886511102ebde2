"""FallbackClassifier threshold tuned on data: a validation split of the training data.

Our pipeline, without FallbackClassifier and ResponseSelector (neither changes DIET's confidences),
is trained on a stratified 80% of nlu/data and parses the other 20%. For every threshold (and
ambiguity threshold) the decision the real pipeline would take is replayed on each message:

* the urgency net fired -> urgent_help (the net ignores confidences);
* DIET unsure (top < threshold, or top - second < ambiguity) -> nlu_fallback, a clarifying question,
  except when its top guess is urgent_help and the message is neither question-shaped nor a story of
  past harm, which the net keeps as urgent (nlu.components.urgency);
* otherwise DIET's intent.

Each error has a cost by what it loses (issue 16: a tip or a help request sent to the fallback menu
loses its intake; a wrong question topic or a greeting read as thanks costs a turn), see ``COSTS``:
the cheapest threshold wins (ties: fewer wrong accepts, then the lower threshold). No test set
is involved.
The parsed validation messages are saved (parsed.json) so that ``--resweep DIR`` re-scores other
costs without training again.

Run in the Rasa venv (it trains once, ~5 min): ``python -m bench.nlu --tune-fallback DIR``.
"""

from __future__ import annotations

import asyncio
import json
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

from nlu.triage_levels import level_for_intent
from nlu.urgency import assess, is_question

REPO_ROOT = Path(__file__).resolve().parent.parent
THRESHOLDS = (*(round(0.05 * i, 2) for i in range(0, 18)), 0.9, 0.925, 0.95, 0.975)
# (gold level, decided level or "fallback") -> cost; a right decision costs 0, others not listed 1.
# Losing an urgent case is the worst error; losing a tip or a help request (fallback menu, or an
# answer instead of an intake) is next; a false page costs a staff member's time; a question or
# small talk sent to the menu costs one more turn.
COSTS: dict[tuple[str, str], float] = {
    **{
        ("urgent", decided): 10.0 for decided in ("report", "help", "question", "other", "fallback")
    },
    **{(gold, "fallback"): 3.0 for gold in ("report", "help")},
    **{(gold, wrong): 3.0 for gold in ("report", "help") for wrong in ("question", "other")},
    ("report", "help"): 0.5,
    ("help", "report"): 0.5,
    **{(gold, "urgent"): 2.0 for gold in ("report", "help", "question", "other")},
    ("question", "fallback"): 1.0,
    ("other", "fallback"): 0.25,
}
# Two intents of the same level (greet vs thank) cost this much.
SAME_LEVEL_COST = 0.25
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
    # Question-shaped or past harm: an unsure urgent guess is not raised (nlu.components.urgency).
    no_unsure_raise: bool = False


@dataclass(frozen=True)
class Point:
    threshold: float
    ambiguity: float
    fallback_share: float
    accepted_accuracy: float
    wrong_accepted: int
    right_rejected: int
    cost: float
    lost_intakes: int = 0  # tips and help requests sent to the fallback or read as other/question


def decide(parsed: Parsed, threshold: float, ambiguity: float) -> str:
    if parsed.net_fired:
        return URGENT_INTENT
    top, confidence = parsed.ranking[0] if parsed.ranking else (FALLBACK, 0.0)
    second = parsed.ranking[1][1] if len(parsed.ranking) > 1 else 0.0
    if confidence < threshold or confidence - second < ambiguity:
        return URGENT_INTENT if top == URGENT_INTENT and not parsed.no_unsure_raise else FALLBACK
    return top


def error_cost(gold: str, decided: str) -> float:
    if decided == gold:
        return 0.0
    gold_level = level_for_intent(gold)
    decided_level = "fallback" if decided == FALLBACK else level_for_intent(decided)
    if gold_level == decided_level:
        return COSTS.get((gold_level, decided_level), SAME_LEVEL_COST)
    return COSTS.get((gold_level, decided_level), 1.0)


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
            lost = sum(
                1
                for item, d in decided
                if level_for_intent(item.gold) in ("report", "help")
                and (d == FALLBACK or level_for_intent(d) in ("question", "other"))
            )
            points.append(
                Point(
                    threshold=threshold,
                    ambiguity=ambiguity,
                    fallback_share=1 - len(accepted) / len(items),
                    accepted_accuracy=(len(accepted) - wrong) / len(accepted) if accepted else 0,
                    wrong_accepted=wrong,
                    right_rejected=rejected_right,
                    cost=sum(error_cost(item.gold, d) for item, d in decided),
                    lost_intakes=lost,
                )
            )
    return points


def best(points: list[Point]) -> Point:
    # Ties: fewer wrong flows accepted, then the lower threshold (fewer interruptions).
    return min(points, key=lambda p: (p.cost, p.wrong_accepted, p.threshold, p.ambiguity))


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
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    from nlu import model_loading

    configure_structlog(logging.WARNING)  # Rasa's debug log prints every parsed text
    model_loading.install()  # the eager load Rasa's server and chungtay triage use
    agent = Agent.load(model)
    items = []
    for text, gold in pairs:
        parse = await agent.parse_message(text)
        extra = parse.get("chungtay") or {}
        reasons = [r for r in extra.get("urgent_reasons") or [] if not r.startswith("classifier")]
        ranking = tuple(
            (str(r["name"]), float(r["confidence"])) for r in parse.get("intent_ranking") or []
        )
        items.append(
            Parsed(
                gold=gold,
                ranking=ranking,
                net_fired=bool(reasons),
                no_unsure_raise=is_question(text) or assess(text).past_harm,
            )
        )
    return items


def save(items: list[Parsed], path: Path) -> None:
    path.write_text(
        json.dumps([asdict(item) for item in items], ensure_ascii=False, indent=1),
        encoding="utf-8",
    )


def load(path: Path) -> list[Parsed]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    return [
        Parsed(
            gold=item["gold"],
            ranking=tuple((str(name), float(conf)) for name, conf in item["ranking"]),
            net_fired=bool(item["net_fired"]),
            no_unsure_raise=bool(item.get("no_unsure_raise")),
        )
        for item in raw
    ]


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
    save(items, out / "parsed.json")
    print(
        f"validation: {len(items)} messages held out of the training data ({seconds:.0f} s to "
        "train on the rest)"
    )
    return print_sweep(items)


def resweep(out: Path) -> int:
    """The sweep again on a previous run's parsed validation messages (no training)."""
    return print_sweep(load(out / "parsed.json"))


def print_sweep(items: list[Parsed]) -> int:
    points = sweep(items)
    chosen = best(points)
    print(
        "cost per error kind (gold level, decision): "
        + ", ".join(
            f"{gold}->{decided} {cost:g}" for (gold, decided), cost in COSTS.items() if cost
        )
        + f"; same level {SAME_LEVEL_COST:g}; anything else 1"
    )
    print(
        f"{'amb':>5}{'thr':>7}{'fallback':>10}{'acc(acc.)':>11}{'wrong':>7}{'rej.ok':>8}"
        f"{'lost':>6}{'cost':>8}"
    )
    for point in points:
        mark = "  <- chosen" if point == chosen else ""
        print(
            f"{point.ambiguity:>5.2f}{point.threshold:>7.3f}{point.fallback_share:>10.3f}"
            f"{point.accepted_accuracy:>11.3f}{point.wrong_accepted:>7}{point.right_rejected:>8}"
            f"{point.lost_intakes:>6}{point.cost:>8.2f}{mark}"
        )
    threshold, ambiguity = configured()
    print(
        f"chosen: threshold {chosen.threshold:.2f}, ambiguity_threshold {chosen.ambiguity:.2f} "
        f"(config.yml: {threshold:.2f} / {ambiguity:.2f})"
    )
    return 0
