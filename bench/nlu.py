"""Triage benchmark: our NLU pipeline against stock Rasa's default pipeline on two test sets.

The held-out set (tests/nlu/triage_testset.yml) gates `make test`; the blind set
(tests/nlu/triage_blind.yml) was written later, committed before the model changes that followed,
and is never tuned on: its figures are reported separately. Two more sets are labelled with triage
levels, not intents (`messages: [{text, level, form, kind}]`): the frozen blind sets of December
2026 (every tests/nlu/blind_2026_12*/triage.yml, each registered with its sha256 in
tests/e2e/test_blind_conversations.py; only their figures are printed, never their texts; the
newest is the headline, the older ones regression sets) and the tuner's own regression set
(tests/nlu/tuner_regression.yml).

Runs in the Rasa venv. Full run (what `make bench-nlu` calls) trains both pipelines on the same
data with the same epochs (each with an empty Rasa cache, so training times are real), parses both
test sets with each, and prints the table issue 3 asks for, once per test set, then our model's
and stock's awareness retrieval accuracy (issue 7) on tests/nlu/awareness_testset.yml:

    .venv-rasa/bin/python bench/nlu.py [--out results/bench-nlu] [--json results/bench-nlu.json]

Check mode (for `make test`): parse both sets with an existing model, print the figures and exit
non-zero when urgent recall on the held-out set is below 1.00:

    .venv-rasa/bin/python bench/nlu.py --check models/

Fallback tuning: train our pipeline (without FallbackClassifier/ResponseSelector) on a stratified
80% of the training data, parse the other 20%, and print the cost of every FallbackClassifier
threshold; config.yml uses the chosen value (no test set is involved):

    .venv-rasa/bin/python bench/nlu.py --tune-fallback results/tune-fallback

Only the frozen blind sets (every tests/nlu/blind_* folder), with existing models (ours; stock's
too if given):

    .venv-rasa/bin/python bench/nlu.py --frozen models/ \
        [--stock-model results/bench-nlu/stock.tar.gz]

Also writes the test set in Rasa's NLU format for `rasa test nlu`:

    .venv-rasa/bin/python bench/nlu.py --export-rasa results/triage_test.yml
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder comes first on sys.path and its name hides the `nlu` package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))
sys.modules.pop("nlu", None)

from nlu.triage_cli import find_model, triage_all  # noqa: E402
from nlu.triage_levels import LEVELS, URGENT, level_for_intent  # noqa: E402

TESTSET = REPO_ROOT / "tests" / "nlu" / "triage_testset.yml"
BLIND_TESTSET = REPO_ROOT / "tests" / "nlu" / "triage_blind.yml"
# Frozen blind sets, oldest first: each was written by someone who never read nlu/data and frozen
# before the changes it measures; only their figures are printed, never their texts. Every
# tests/nlu/blind_<name>/ folder is one (tests/e2e/test_blind_conversations.py checks their sha256
# and runs their conversations; this venv cannot import it, so the folders are the one list).
FROZEN_BLIND_SETS = tuple(
    (
        f"frozen blind set {folder.name.removeprefix('blind_').replace('_', '-')} (figures only)",
        folder.name,
        folder / "triage.yml",
    )
    for folder in sorted(REPO_ROOT.glob("tests/nlu/blind_*"))
    if (folder / "triage.yml").is_file()
)
REGRESSION_SET = REPO_ROOT / "tests" / "nlu" / "tuner_regression.yml"
STOCK_CONFIG = REPO_ROOT / "bench" / "configs" / "stock.yml"
OUR_CONFIG = REPO_ROOT / "config.yml"
FORMS = (
    "accented",
    "unaccented",
    "no_diacritics",
    "teencode",
    "nfd",
    "upper",
    "english",
    "other_language",
)
VIETNAMESE_FORMS = ("accented", "unaccented", "no_diacritics", "teencode", "nfd", "upper")
TARGETS = {"urgent_recall": 1.0, "urgent_precision": 0.90, "macro_f1": 0.92, "vi_detected": 0.99}
FORM_TOLERANCE = 0.03
# Issue 16: tips and help requests must not be lost (checked where a set has those levels).
LEVEL_RECALL_TARGETS = {"report": 0.90, "help": 0.90}


@dataclass
class Example:
    text: str
    intent: str
    form: str
    # Sets labelled with levels only (no intent) give the level here.
    level: str | None = None
    kind: str = ""

    @property
    def triage(self) -> str:
        return self.level or level_for_intent(self.intent)


@dataclass
class Figures:
    name: str
    macro_f1: float
    urgent_recall: float
    urgent_precision: float
    accuracy: float
    by_form: dict[str, float]
    vi_detected: float
    latency_p50_ms: float
    latency_p99_ms: float
    train_seconds: float | None = None
    missed_urgent: list[str] = field(default_factory=list)
    recall_by_level: dict[str, float] = field(default_factory=dict)
    accuracy_by_kind: dict[str, float] = field(default_factory=dict)


def load_testset(path: Path = TESTSET) -> list[Example]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    examples = [Example(item["text"], item["intent"], item["form"]) for item in data["examples"]]
    for item, example in zip(data["examples"], examples, strict=True):
        # The blind set spells out the triage label: it must agree with the intent's level.
        if "triage" in item and item["triage"] != example.triage:
            raise SystemExit(
                f"{path.name}: {item['text']!r} is labelled {item['triage']}, "
                f"but {example.intent} is {example.triage}"
            )
    return examples


def load_level_set(path: Path) -> list[Example]:
    """A set labelled with triage levels: ``messages: [{text, level, form, kind}]``."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    examples = []
    for item in data["messages"]:
        if item["level"] not in LEVELS:
            raise SystemExit(f"{path.name}: unknown level {item['level']!r}")
        examples.append(
            Example(
                item["text"],
                "",
                item["form"],
                level=item["level"],
                kind=str(item.get("kind") or ""),
            )
        )
    return examples


def export_rasa(examples: list[Example], target: Path) -> None:
    """The test set as Rasa NLU YAML (intents, with faq/<topic> retrieval intents)."""
    by_intent: dict[str, list[str]] = {}
    for example in examples:
        by_intent.setdefault(example.intent, []).append(example.text)
    lines = ['version: "3.1"', "nlu:"]
    for intent, texts in by_intent.items():
        lines += [f"- intent: {intent}", "  examples: |"]
        lines += [f"    - {' '.join(text.split())}" for text in texts]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def score(name: str, examples: list[Example], results: list[dict[str, Any]]) -> Figures:
    gold = [example.triage for example in examples]
    predicted = [result["triage"] for result in results]
    f1s = []
    recall_by_level: dict[str, float] = {}
    for level in LEVELS:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p == level)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if p == level and g != level)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g == level and p != level)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
        if tp + fn:
            recall_by_level[level] = recall
        if level == URGENT:
            urgent_precision, urgent_recall = precision, recall
    by_form: dict[str, float] = {}
    for form in FORMS:
        pairs = [
            (g, p) for g, p, ex in zip(gold, predicted, examples, strict=True) if ex.form == form
        ]
        if pairs:
            by_form[form] = sum(1 for g, p in pairs if g == p) / len(pairs)
    by_kind: dict[str, float] = {}
    for kind in sorted({ex.kind for ex in examples if ex.kind}):
        pairs = [
            (g, p) for g, p, ex in zip(gold, predicted, examples, strict=True) if ex.kind == kind
        ]
        by_kind[kind] = sum(1 for g, p in pairs if g == p) / len(pairs)
    vi = [r for r, ex in zip(results, examples, strict=True) if ex.form in VIETNAMESE_FORMS]
    latencies = [float(r.get("latency_ms", 0.0)) for r in results]
    return Figures(
        name=name,
        macro_f1=sum(f1s) / len(f1s),
        urgent_recall=urgent_recall,
        urgent_precision=urgent_precision,
        accuracy=sum(1 for g, p in zip(gold, predicted, strict=True) if g == p) / len(gold),
        by_form=by_form,
        vi_detected=sum(1 for r in vi if r["language"] == "vi") / len(vi) if vi else 0.0,
        latency_p50_ms=_percentile(latencies, 0.50),
        latency_p99_ms=_percentile(latencies, 0.99),
        missed_urgent=[
            ex.text
            for ex, p in zip(examples, predicted, strict=True)
            if ex.triage == URGENT and p != URGENT
        ],
        recall_by_level=recall_by_level,
        accuracy_by_kind=by_kind,
    )


def parse_all(
    model: str, examples: list[Example], *, normalize_input: bool
) -> list[dict[str, Any]]:
    records = [{"id": index, "text": example.text} for index, example in enumerate(examples)]
    return asyncio.run(
        triage_all(model, records, normalize_input=normalize_input, timing=True, details=True)
    )


def replay_fallback(
    results: list[dict[str, Any]],
    threshold: float,
    ambiguity: float,
    examples: list[Example] | None = None,
) -> list[dict[str, Any]]:
    """The triage a FallbackClassifier with these thresholds would give, from the classifier's
    ranking and the net's reasons (both independent of the threshold): no retraining needed."""
    from bench.fallback_sweep import Parsed, decide
    from nlu.urgency import assess

    texts = [example.text for example in examples] if examples else [""] * len(results)
    replayed = []
    for result, text in zip(results, texts, strict=True):
        seen = assess(text)
        parsed = Parsed(
            gold="",
            ranking=tuple(result.get("classifier_ranking") or ()),
            net_fired=bool(result.get("net_reasons")),
            no_unsure_raise=seen.question or seen.past_harm,
        )
        intent = decide(parsed, threshold, ambiguity)
        replayed.append(result | {"intent": intent, "triage": level_for_intent(intent)})
    return replayed


def _epochs(config: dict[str, Any], component: str) -> int | None:
    for item in config.get("pipeline", []):
        if item.get("name") == component and "epochs" in item:
            return int(item["epochs"])
    return None


def stock_config_with_our_epochs(target: Path) -> Path:
    """The stock pipeline with DIET/ResponseSelector epochs copied from our config.yml."""
    ours = yaml.safe_load(OUR_CONFIG.read_text(encoding="utf-8"))
    stock = yaml.safe_load(STOCK_CONFIG.read_text(encoding="utf-8"))
    for item in stock["pipeline"]:
        epochs = _epochs(ours, item["name"])
        if epochs is not None:
            item["epochs"] = epochs
    target.write_text(yaml.safe_dump(stock, sort_keys=False), encoding="utf-8")
    return target


def train(config: Path, out: Path, name: str, *, nlu: str = "nlu/data") -> tuple[str, float]:
    """`rasa train nlu` with an empty graph cache, so the time is a real training time."""
    rasa = Path(sys.executable).parent / "rasa"
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bench-nlu-cache-") as cache:
        subprocess.run(
            [
                str(rasa),
                "train",
                "nlu",
                "--nlu",
                nlu,
                "--config",
                str(config),
                "--domain",
                "domain.yml",
                "--out",
                str(out),
                "--fixed-model-name",
                name,
            ],
            cwd=REPO_ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
            env={**os.environ, "RASA_CACHE_DIRECTORY": cache},
        )
    return str(out / f"{name}.tar.gz"), time.monotonic() - started


def _row(label: str, values: list[str]) -> str:
    return f"{label:<28}" + "".join(f"{value:>12}" for value in values)


def report(figures: list[Figures], *, kinds: bool = True) -> str:
    """The figures side by side; ``kinds=False`` leaves out the accuracy per kind of message (on a
    frozen blind set the kinds that fail say what fails: whoever reads it may be tuning)."""
    lines = [_row("", [f.name for f in figures] + (["ratio"] if len(figures) == 2 else []))]

    def add(label: str, values: list[float], fmt: str = "{:.3f}") -> None:
        cells = [fmt.format(value) for value in values]
        if len(values) == 2:
            cells.append(f"{values[0] / values[1]:.2f}" if values[1] else "inf")
        lines.append(_row(label, cells))

    add("macro-F1 (5 levels)", [f.macro_f1 for f in figures])
    add("urgent recall", [f.urgent_recall for f in figures])
    add("urgent precision", [f.urgent_precision for f in figures])
    add("triage accuracy", [f.accuracy for f in figures])
    for level in LEVELS:
        if level in figures[0].recall_by_level:
            add(f"  recall {level}", [f.recall_by_level.get(level, 0.0) for f in figures])
    for form in FORMS:
        if form in figures[0].by_form:
            add(f"  accuracy {form}", [f.by_form.get(form, 0.0) for f in figures])
    for kind in figures[0].accuracy_by_kind if kinds else ():
        add(f"  kind {kind}"[:27], [f.accuracy_by_kind.get(kind, 0.0) for f in figures])
    add("Vietnamese detected", [f.vi_detected for f in figures])
    add("parse latency p50 (ms)", [f.latency_p50_ms for f in figures], "{:.1f}")
    add("parse latency p99 (ms)", [f.latency_p99_ms for f in figures], "{:.1f}")
    if all(f.train_seconds is not None for f in figures):
        add("training time (s)", [f.train_seconds or 0.0 for f in figures], "{:.0f}")
    return "\n".join(lines)


def target_failures(ours: Figures) -> list[str]:
    failures = [
        f"{key} {getattr(ours, key):.3f} < {target:.2f}"
        for key, target in TARGETS.items()
        if getattr(ours, key) < target
    ]
    accented = ours.by_form.get("accented", 0.0)
    failures += [
        f"{form} accuracy {value:.3f} more than {FORM_TOLERANCE:.2f} below accented {accented:.3f}"
        for form, value in ours.by_form.items()
        if value < accented - FORM_TOLERANCE
    ]
    failures += [
        f"{level} recall {ours.recall_by_level[level]:.3f} < {target:.2f}"
        for level, target in LEVEL_RECALL_TARGETS.items()
        if level in ours.recall_by_level and ours.recall_by_level[level] < target
    ]
    return failures


def _print_errors(examples: list[Example], results: list[dict[str, Any]]) -> None:
    for example, result in zip(examples, results, strict=True):
        if example.triage != result["triage"]:
            reasons = ",".join(result.get("urgent_reasons") or [])
            print(
                f"  WRONG [{example.kind or example.form}] {example.triage} -> {result['triage']}"
                f" ({result['intent']} {result['confidence']:.2f} {reasons}): {example.text}"
            )


def _print_set(
    label: str, examples: list[Example], figures: list[Figures], *, show_texts: bool = True
) -> None:
    print(f"\n== {label}: {len(examples)} messages ({dict(Counter(e.form for e in examples))})")
    print(report(figures, kinds=show_texts))
    if show_texts:
        for text in figures[0].missed_urgent:
            print(f"MISSED URGENT ({figures[0].name}): {text}")
    else:
        print(f"missed urgent ({figures[0].name}): {len(figures[0].missed_urgent)}")
    failures = target_failures(figures[0])
    verdict = "all met" if not failures else "NOT MET: " + "; ".join(failures)
    print(f"targets ({label}): {verdict}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument(
        "--check", metavar="MODEL", help="score an existing model; fail if urgent recall < 1"
    )
    parser.add_argument(
        "--export-rasa", metavar="PATH", help="write the test set as Rasa NLU YAML and exit"
    )
    parser.add_argument(
        "--tune-fallback", metavar="DIR", help="sweep the FallbackClassifier threshold and exit"
    )
    parser.add_argument(
        "--resweep", metavar="DIR", help="the fallback sweep again on DIR/parsed.json (no training)"
    )
    parser.add_argument(
        "--replay-fallback",
        metavar="THRESHOLD,AMBIGUITY",
        help="with --check: score as if FallbackClassifier had these thresholds",
    )
    parser.add_argument(
        "--frozen",
        "--blind-2026-12",
        dest="frozen",
        metavar="MODEL",
        help="score only the frozen blind sets with an existing model (figures only)",
    )
    parser.add_argument(
        "--stock-model", metavar="MODEL", help="with --frozen: also score this stock model"
    )
    parser.add_argument(
        "--regression",
        metavar="MODEL",
        help="score only the tuner's regression set with an existing model, listing its errors",
    )
    parser.add_argument("--out", default=None, help="directory for the two trained models")
    parser.add_argument("--json", default=None, help="also write the figures as JSON here")
    args = parser.parse_args(argv)

    examples = load_testset()
    if args.export_rasa:
        export_rasa(examples, Path(args.export_rasa))
        return 0
    if args.tune_fallback:
        from bench.fallback_sweep import tune_fallback

        return tune_fallback(Path(args.tune_fallback), train)
    if args.resweep:
        from bench.fallback_sweep import resweep

        return resweep(Path(args.resweep))
    if args.frozen:
        return _frozen_blind_sets(args.frozen, args.stock_model, args.json)
    if args.regression:
        regression = load_level_set(REGRESSION_SET)
        found = parse_all(find_model(args.regression), regression, normalize_input=True)
        if args.replay_fallback:
            threshold, ambiguity = (float(v) for v in args.replay_fallback.split(","))
            found = replay_fallback(found, threshold, ambiguity, regression)
        _print_set("tuner's regression set", regression, [score("ours", regression, found)])
        _print_errors(regression, found)
        return 0
    blind = load_testset(BLIND_TESTSET)

    if args.check:
        model = find_model(args.check)
        held_out_results = parse_all(model, examples, normalize_input=True)
        blind_results = parse_all(model, blind, normalize_input=True)
        if args.replay_fallback:
            threshold, ambiguity = (float(v) for v in args.replay_fallback.split(","))
            print(f"replaying FallbackClassifier threshold {threshold}, ambiguity {ambiguity}")
            held_out_results = replay_fallback(held_out_results, threshold, ambiguity, examples)
            blind_results = replay_fallback(blind_results, threshold, ambiguity, blind)
        ours = score("ours", examples, held_out_results)
        ours_blind = score("ours", blind, blind_results)
        regression = load_level_set(REGRESSION_SET)
        regression_results = parse_all(model, regression, normalize_input=True)
        if args.replay_fallback:
            regression_results = replay_fallback(
                regression_results, threshold, ambiguity, regression
            )
        ours_regression = score("ours", regression, regression_results)
        _print_set("held-out set (gates make test)", examples, [ours])
        _print_set("blind set (reported only)", blind, [ours_blind])
        _print_set("tuner's regression set (reported only)", regression, [ours_regression])
        if args.json:
            Path(args.json).write_text(
                json.dumps(
                    {
                        "held_out": ours.__dict__,
                        "blind": ours_blind.__dict__,
                        "regression": ours_regression.__dict__,
                    },
                    indent=2,
                    ensure_ascii=False,
                )
            )
        return 0 if ours.urgent_recall >= 1.0 else 1

    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="bench-nlu-"))
    out.mkdir(parents=True, exist_ok=True)
    # Both trainings at once (each in its own process and cache): on a shared machine the two
    # times are comparable with each other, not with an idle machine.
    stock_config = stock_config_with_our_epochs(out / "stock.yml")
    with ThreadPoolExecutor(max_workers=2) as pool:
        ours_job = pool.submit(train, OUR_CONFIG, out, "ours")
        stock_job = pool.submit(train, stock_config, out, "stock")
        (our_model, our_seconds), (stock_model, stock_seconds) = (
            ours_job.result(),
            stock_job.result(),
        )
    results: dict[str, dict[str, Any]] = {}
    held_out_failures: list[str] = []
    sets = [
        ("held-out set", "held_out", examples),
        ("blind set", "blind", blind),
        ("tuner's regression set", "regression", load_level_set(REGRESSION_SET)),
    ]
    sets += [(label, key, load_level_set(path)) for label, key, path in FROZEN_BLIND_SETS]
    for label, key, testset in sets:
        ours = score("ours", testset, parse_all(our_model, testset, normalize_input=True))
        # The stock baseline gets the text exactly as written: no entry-point normalisation.
        stock = score("stock", testset, parse_all(stock_model, testset, normalize_input=False))
        ours.train_seconds, stock.train_seconds = our_seconds, stock_seconds
        frozen = key.startswith("blind_2026")
        _print_set(label, testset, [ours, stock], show_texts=not frozen)
        if key == "held_out":
            held_out_failures = target_failures(ours)
        results[key] = {"ours": ours.__dict__, "stock": stock.__dict__}
    awareness_failures = _print_awareness({"ours": our_model, "stock": stock_model}, results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return 0 if not held_out_failures and not awareness_failures else 1


def _frozen_blind_sets(model: str, stock_model: str | None, json_path: str | None) -> int:
    """The frozen sets' figures (never their texts: whoever runs this may be tuning the NLU)."""
    payload: dict[str, Any] = {}
    for label, key, path in FROZEN_BLIND_SETS:
        testset = load_level_set(path)
        ours = parse_all(find_model(model), testset, normalize_input=True)
        figures = [score("ours", testset, ours)]
        if stock_model:
            stock_results = parse_all(find_model(stock_model), testset, normalize_input=False)
            figures.append(score("stock", testset, stock_results))
        _print_set(label, testset, figures, show_texts=False)
        if len(figures) == 2:
            gap = figures[0].macro_f1 - figures[1].macro_f1
            print(f"macro-F1 ours - stock: {gap:+.3f} (target: at least +0.05)")
        payload[key] = {
            f.name: {
                k: v
                for k, v in f.__dict__.items()
                if k not in ("missed_urgent", "accuracy_by_kind")
            }
            for f in figures
        }
    if json_path:
        Path(json_path).write_text(json.dumps(payload, indent=2, ensure_ascii=False))
    return 0


def _print_awareness(models: dict[str, str], results: dict[str, Any]) -> list[str]:
    """Retrieval accuracy on the awareness paraphrase set (issue 7's figures), per model.

    Stock Rasa's default config has a ResponseSelector too, so it is the baseline here as well.
    """
    from bench.awareness import TARGET_TOP1, TARGET_TOP3, load_testset, run_model, summarize

    questions = load_testset()
    summaries = {
        name: summarize(asyncio.run(run_model(Path(model), questions)))
        for name, model in models.items()
    }
    ascii_only = sum(question.isascii() for question, _ in questions)
    lines = [
        f"\n== awareness set: {len(questions)} questions "
        f"({ascii_only} written in ASCII: no diacritics, or English)",
        _row("", [*summaries, "target"]),
    ]
    for key, label, target in (
        ("top1", "top-1 entry", f"{TARGET_TOP1:.2f}"),
        ("top3", "top-3 entries", f"{TARGET_TOP3:.2f}"),
        ("intent_faq_share", "intent faq", ""),
    ):
        lines.append(_row(label, [f"{s[key]:.3f}" for s in summaries.values()] + [target]))
    print("\n".join(lines))
    ours = summaries["ours"]
    failures = [
        f"{key} {ours[key]:.3f} < {target:.2f}"
        for key, target in (("top1", TARGET_TOP1), ("top3", TARGET_TOP3))
        if ours[key] < target
    ]
    verdict = "all met" if not failures else "NOT MET: " + "; ".join(failures)
    print(f"targets (awareness): {verdict}")
    results["awareness"] = {
        name: {k: v for k, v in s.items() if k not in ("errors", "misrouted")}
        for name, s in summaries.items()
    }
    return failures


if __name__ == "__main__":
    sys.exit(main())
