"""Precision and recall of `redact` per kind, on a labelled corpus: `python -m feedbackloop.learn.pii_report [CORPUS]`.

A corpus line is `{"text": ..., "pii": [{"type": "EMAIL", "value": "..."}], "identity": {"names": [...],
"emails": [...]}, "split": "holdout"}` (identity and split optional); every occurrence of a labelled value in the text is that kind of PII. A label
counts as found only when a finding of the same kind covers every letter and digit of it (half a
card number redacted is a leak); a finding that covers no label of its kind is a false positive.
Cases marked `"split": "holdout"` were written after the detectors were tuned and get their own table;
`"holdout-2"` to `"holdout-8"` (issue 18) were each written before a pass of the detectors and
measured once after it, blind (`"holdout-8"` by another author who had not seen the detectors) (docs/exports.md has each part's blind figures). `"keep": [...]` lists spans that must survive (order numbers, prices,
versions, ticket ids); the report counts those any finding touched.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from feedbackloop.core.redact import KINDS, Identity, Span, find_pii

DEFAULT_CORPUS = Path("tests/fixtures/pii_corpus.jsonl")


@dataclass(frozen=True)
class Case:
    """One labelled text."""

    text: str
    labels: tuple[Span, ...]
    identity: Identity | None = None
    split: str = "development"
    keep: tuple[Span, ...] = ()  # must-keep spans (order numbers, prices, versions, ticket ids)


@dataclass
class Score:
    """Counts for one kind."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


def load_corpus(path: Path) -> list[Case]:
    """The corpus file's cases, labels resolved to every position of their value."""
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            cases.append(parse_case(json.loads(line), number))
    return cases


def parse_case(record: dict[str, Any], number: int) -> Case:
    text = record["text"]
    labels: list[Span] = []
    for item in record.get("pii", []):
        positions = occurrences(text, item["value"])
        if not positions or item["type"] not in KINDS:
            raise ValueError(f"corpus line {number}: label {item!r} is not in the text or not a known kind")
        labels.extend(Span(start, start + len(item["value"]), item["type"]) for start in positions)
    raw = record.get("identity")
    identity = Identity(tuple(raw.get("names", ())), tuple(raw.get("emails", ()))) if raw else None
    keep = tuple(Span(start, start + len(value), "KEEP") for value in record.get("keep", ())
                 for start in occurrences(text, value))
    if len(keep) < len(record.get("keep", ())):
        raise ValueError(f"corpus line {number}: a keep span is not in the text")
    return Case(text, tuple(labels), identity, record.get("split", "development"), keep)


#: What finds the spans of a text (the redactor's `find_pii`; the tests pass one that remembers each text's findings, so
#: the corpus tests of several modules redact its 7,000 texts once).
Finder = Callable[[str, Identity | None], Sequence[Span]]


def keep_redacted(cases: Iterable[Case], find: Finder = find_pii) -> tuple[int, int]:
    """(must-keep spans touched by any finding, must-keep spans)."""
    touched = total = 0
    for case in cases:
        findings = find(case.text, case.identity)
        for span in case.keep:
            total += 1
            touched += any(overlaps(span, f) for f in findings)
    return touched, total


def occurrences(text: str, value: str) -> list[int]:
    found, start = [], text.find(value)
    while start >= 0:
        found.append(start)
        start = text.find(value, start + 1)
    return found


def score_corpus(cases: Iterable[Case], find: Finder = find_pii) -> dict[str, Score]:
    """Per kind, labels found (tp), labels missed (fn) and findings that match no label (fp)."""
    scores = {kind: Score() for kind in KINDS}
    for case in cases:
        findings = find(case.text, case.identity)
        for label in case.labels:
            score = scores[label.kind]
            if covered(case.text, label, [f for f in findings if f.kind == label.kind]):
                score.tp += 1
            else:
                score.fn += 1
                score.misses.append(case.text[label.start:label.end])
        for finding in findings:
            if not any(overlaps(finding, label) for label in case.labels if label.kind == finding.kind):
                scores[finding.kind].fp += 1
                scores[finding.kind].false_alarms.append(f"{case.text[finding.start:finding.end]!r} in {case.text!r}")
    return scores


def covered(text: str, label: Span, findings: Sequence[Span]) -> bool:
    """Every letter and digit of the label lies inside some finding."""
    return all(any(f.start <= i < f.end for f in findings)
               for i in range(label.start, label.end) if text[i].isalnum())


def overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def format_table(scores: dict[str, Score]) -> str:
    """A Markdown table for docs/ml-engineers.md (Redaction, measured)."""
    lines = ["| type | labels | found | false positives | precision | recall |", "|---|---:|---:|---:|---:|---:|"]
    for kind in KINDS:
        s = scores[kind]
        lines.append(f"| {kind} | {s.tp + s.fn} | {s.tp} | {s.fp} | {percent(s.precision)} | {percent(s.recall)} |")
    return "\n".join(lines)


def keep_line(cases: Sequence[Case]) -> str:
    touched, total = keep_redacted(cases)
    return f"must-keep spans redacted: {touched} of {total} ({percent(touched / total if total else None)})"


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f} %"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m feedbackloop.learn.pii_report",
                                     description="Precision and recall of the redactor per kind on a labelled corpus.")
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS),
                        help=f"a JSONL file of labelled texts (default: {DEFAULT_CORPUS})")
    parser.add_argument("-v", "--verbose", action="store_true", help="also list every miss and false alarm")
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    verbose = args.verbose
    path = Path(args.corpus)
    if not path.is_file():
        parser.error(f"no such corpus file: {path} (expected a JSONL file of labelled texts)")
    cases = load_corpus(path)
    scores = score_corpus(cases)
    print(f"{len(cases)} cases, {sum(len(c.labels) for c in cases)} labelled spans")
    print(format_table(scores))
    print(keep_line(cases))
    for split in sorted({c.split for c in cases} - {"development"}):
        part = [c for c in cases if c.split == split]
        print(f"\n{split} only: {len(part)} cases, {sum(len(c.labels) for c in part)} labelled spans")
        print(format_table(score_corpus(part)))
        print(keep_line(part))
    if verbose:
        for kind, s in scores.items():
            for miss in s.misses:
                print(f"missed {kind}: {miss!r}")
            for alarm in s.false_alarms:
                print(f"false {kind}: {alarm}")
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except BrokenPipeError:  # `… | head`: the reader left; say nothing more (Python's documented recipe)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(1) from None
