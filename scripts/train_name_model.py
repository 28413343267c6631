"""Train the name tagger (src/feedbackloop/core/name_model.crfsuite) on the labelled PII corpus.

    python scripts/train_name_model.py                       # every part: the model the package ships
    python scripts/train_name_model.py --leave-out holdout-13,holdout-14 --out /tmp/m.crfsuite --score

`--leave-out` trains without those parts and `--score` then scores them (names found by the rules
alone, by the tagger alone, and by both, as `redact` takes them; false positives; must-keep spans
touched): a part left out is text the model has not seen. `--folds` scores each part in turn,
trained on all the others. Training is deterministic (CRFsuite's L-BFGS, a seeded swap of names).

Each text is also learnt with its names swapped (`--copies`, default 4) for first names and surnames
from the gazetteer's lists, in the same case, some words kept: the model then learns where a name
stands and what it looks like, not the corpus's own names.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pycrfsuite

from feedbackloop.core import name_model
from feedbackloop.core.name_gazetteer import PARTICLE_WORDS, gazetteer

CORPUS = Path("tests/fixtures/pii_corpus.jsonl")
#: The settings the shipped model is trained with (the command line's defaults).
SHIPPED: dict[str, Any] = {"copies": 4, "seed": 18, "c1": 0.05, "c2": 0.01}
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def occurrences(text: str, value: str) -> Iterator[int]:
    start = text.find(value)
    while start >= 0:
        yield start
        start = text.find(value, start + 1)


def name_spans(text: str, values: Sequence[str]) -> list[tuple[int, int]]:
    """Every occurrence of every name value, overlapping ones merged."""
    spans = sorted((start, start + len(value)) for value in values for start in occurrences(text, value))
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def bio(text: str, values: Sequence[str]) -> tuple[list[tuple[int, int]], list[str]]:
    spans = name_model.tokens(text)
    names = name_spans(text, values)
    labels, previous = [], None
    for start, end in spans:
        inside = next((n for n in names if n[0] < end and start < n[1]), None)
        labels.append("O" if inside is None else "I" if inside == previous else "B")
        previous = inside
    return spans, labels


def styled(word: str, like: str) -> str:
    if like.isupper():
        return word.upper()
    if like.islower():
        return word.lower()
    return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))


def swapped(text: str, values: Sequence[str], rng: random.Random, lists: tuple[list[str], list[str]]
            ) -> tuple[str, list[str]]:
    """`text` and its name values with each name word swapped for a listed one (some kept)."""
    firsts, lasts = lists
    mapping: dict[str, str] = {}
    for value in values:
        words = WORD.findall(value)
        for position, word in enumerate(words):
            key = word.lower()
            if key in mapping or key in PARTICLE_WORDS or len(word) < 2:
                continue
            script = scripts_of(word)
            if rng.random() < 0.25:
                mapping[key] = key
            elif script is not None:  # a Cyrillic name is swapped for a Cyrillic one, a Greek for a Greek
                pool = script_pools(script)[0 if position == 0 else 1]
                mapping[key] = rng.choice(pool) if pool else key
            else:
                mapping[key] = rng.choice(firsts if position == 0 else lasts)

    def swap(match: re.Match[str]) -> str:
        word = match.group()
        new = mapping.get(word.lower())
        return word if new is None else styled(new, word)

    pieces, cursor = [], 0
    for start, end in name_spans(text, values):
        pieces.append(text[cursor:start])
        pieces.append(WORD.sub(swap, text[start:end]))
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces), [WORD.sub(swap, value) for value in values]


SCRIPTS = {"cyrillic": re.compile(r"[\u0400-\u04ff]"), "greek": re.compile(r"[\u0370-\u03ff]")}


def scripts_of(word: str) -> str | None:
    return next((name for name, letters in SCRIPTS.items() if letters.search(word)), None)


_POOLS: dict[str, tuple[list[str], list[str]]] = {}


def script_pools(script: str) -> tuple[list[str], list[str]]:
    if script not in _POOLS:
        first, last = name_model.script_names()
        letters = SCRIPTS[script]
        _POOLS[script] = (sorted(w for w in first if letters.search(w) and len(w) > 2),
                          sorted(w for w in last if letters.search(w) and len(w) > 2))
    return _POOLS[script]


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def part(row: dict[str, Any]) -> str:
    return str(row.get("split", "development"))


def sequences(rows: Sequence[dict[str, Any]], *, copies: int, seed: int) -> Iterator[tuple[Any, list[str]]]:
    """What the trainer learns from: each text (and its copies with names swapped) as features and labels."""
    rng = random.Random(seed)
    first, last, _common = gazetteer()
    lists = (sorted(w for w in first if w.isalpha() and len(w) > 2), sorted(w for w in last if len(w) > 2))
    for row in rows:
        text = row["text"]
        values = [item["value"] for item in row.get("pii", []) if item["type"] == "NAME"]
        variants = [(text, values)]
        if values:
            variants += [swapped(text, values, rng, lists) for _ in range(copies)]
        for variant, names in variants:
            spans, labels = bio(variant, names)
            if spans:
                yield name_model.features(variant, spans), labels


def params(c1: float, c2: float) -> dict[str, Any]:
    return {"c1": c1, "c2": c2, "max_iterations": 150, "feature.possible_transitions": True}


class Fingerprint:
    """A SHA-256 of everything the trainer is given: the parameters, then every sequence in order.

    CRFsuite's training is deterministic, so equal inputs make an equal model: the corpus, the features
    code, the gazetteer (and the Faker release it reads) all reach the model through this stream, and a
    change to any of them that changes what the model learns changes the fingerprint. The CRFsuite
    release is not in it (a new release may train differently; the slow retrain test checks that).
    """

    def __init__(self, *, copies: int, seed: int, c1: float, c2: float) -> None:
        training = {"copies": copies, "seed": seed, **params(c1, c2)}
        self.sha = hashlib.sha256(json.dumps(training, sort_keys=True).encode())
        self.count = 0

    def add(self, features: Any, labels: list[str]) -> None:
        self.sha.update(json.dumps([features, labels], ensure_ascii=False, sort_keys=True).encode())
        self.count += 1


def fingerprint(rows: Sequence[dict[str, Any]], *, copies: int, seed: int, c1: float, c2: float) -> str:
    """The fingerprint `train` records for these rows and settings, without training."""
    seen = Fingerprint(copies=copies, seed=seed, c1=c1, c2=c2)
    for features, labels in sequences(rows, copies=copies, seed=seed):
        seen.add(features, labels)
    return seen.sha.hexdigest()


def inputs_path(model: Path) -> Path:
    """Where `train` records what a model was made from: name_model.crfsuite -> name_model.inputs.json."""
    return model.with_name(model.name.removesuffix(".crfsuite") + ".inputs.json")


def train(rows: Sequence[dict[str, Any]], out: Path, *, copies: int, seed: int, c1: float, c2: float) -> None:
    """Train on `rows` into `out`, and record the inputs' fingerprint and the model's SHA-256 beside it."""
    trainer = pycrfsuite.Trainer(verbose=False)
    seen = Fingerprint(copies=copies, seed=seed, c1=c1, c2=c2)
    for features, labels in sequences(rows, copies=copies, seed=seed):
        trainer.append(features, labels)
        seen.add(features, labels)
    trainer.set_params(params(c1, c2))
    started = time.monotonic()
    trainer.train(str(out))
    inputs_path(out).write_text(json.dumps({
        "texts": len(rows), "sequences": seen.count, "inputs_sha256": seen.sha.hexdigest(),
        "model_sha256": hashlib.sha256(out.read_bytes()).hexdigest(),
    }, indent=2) + "\n", encoding="utf-8")
    print(f"trained on {seen.count} sequences ({len(rows)} texts) in {time.monotonic() - started:.0f} s -> {out}",
          file=sys.stderr)


def score(rows: Sequence[dict[str, Any]], model: Path) -> dict[str, int]:
    """Names (labels) found by the rules, the tagger, both; false positives; must-keep touched."""
    from feedbackloop.core import redact
    from feedbackloop.learn.pii_report import covered, overlaps, parse_case

    name_model.MODEL_PATH = model
    name_model.model_available.cache_clear()
    name_model._local.tagger = None
    counts = dict.fromkeys(("labels", "rules", "tagger", "union", "fp_rules", "fp_union", "keep", "keep_union"), 0)
    for number, row in enumerate(rows, 1):
        case = parse_case(row, number)
        union = [s for s in redact.find_pii(case.text) if s.kind == "NAME"]
        redact.MODEL_NAMES = False
        try:
            rules = [s for s in redact.find_pii(case.text) if s.kind == "NAME"]
            everything_rules = redact.find_pii(case.text)
        finally:
            redact.MODEL_NAMES = True
        tagger = [redact.Span(s, e, "NAME") for s, e in name_model.find_model_names(case.text)]
        everything = redact.find_pii(case.text)
        for label in case.labels:
            if label.kind != "NAME":
                continue
            counts["labels"] += 1
            counts["rules"] += covered(case.text, label, rules)
            counts["tagger"] += covered(case.text, label, tagger)
            counts["union"] += covered(case.text, label, union)
        names = [label for label in case.labels if label.kind == "NAME"]
        counts["fp_rules"] += sum(not any(overlaps(f, n) for n in names) for f in rules)
        counts["fp_union"] += sum(not any(overlaps(f, n) for n in names) for f in union)
        for span in case.keep:
            counts["keep"] += 1
            counts["keep_union"] += any(overlaps(span, f) for f in everything) and not any(
                overlaps(span, f) for f in everything_rules)
    return counts


def report(name: str, counts: dict[str, int]) -> str:
    total = counts["labels"] or 1
    return (f"{name}: names {counts['labels']}: rules {counts['rules']} ({counts['rules'] / total:.1%}), "
            f"tagger {counts['tagger']} ({counts['tagger'] / total:.1%}), both {counts['union']} "
            f"({counts['union'] / total:.1%}); false positives {counts['fp_rules']} -> {counts['fp_union']}; "
            f"must-keep newly touched {counts['keep_union']} of {counts['keep']}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--leave-out", default="", help="comma-separated parts (splits) to train without")
    parser.add_argument("--out", type=Path, default=name_model.MODEL_PATH)
    parser.add_argument("--copies", type=int, default=SHIPPED["copies"])
    parser.add_argument("--seed", type=int, default=SHIPPED["seed"])
    parser.add_argument("--c1", type=float, default=SHIPPED["c1"])
    parser.add_argument("--c2", type=float, default=SHIPPED["c2"])
    parser.add_argument("--score", action="store_true", help="score the parts left out with the new model")
    parser.add_argument("--folds", default="", help="comma-separated parts: score each, trained on all others")
    args = parser.parse_args(argv)
    rows = load(args.corpus)
    if args.folds:
        for held in args.folds.split(","):
            out = Path(f"/tmp/name_model_fold_{held}.crfsuite")
            train([r for r in rows if part(r) != held], out, copies=args.copies, seed=args.seed, c1=args.c1, c2=args.c2)
            print(report(held, score([r for r in rows if part(r) == held], out)), flush=True)
        return 0
    left_out = {p for p in args.leave_out.split(",") if p}
    train([r for r in rows if part(r) not in left_out], args.out, copies=args.copies, seed=args.seed, c1=args.c1,
          c2=args.c2)
    if args.score and left_out:
        for held in sorted(left_out):
            print(report(held, score([r for r in rows if part(r) == held], args.out)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
