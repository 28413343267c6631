"""What pyap2 finds alone, and with our patterns, on each part of the PII corpus (ADDRESS labels).

    .venv/bin/python scripts/pii_compare_pyap.py [CORPUS] [--skip SPLIT ...]

pyap2 is run on every text for the US, the UK and Canada (not only around a postcode, as `redact`
asks it); a label counts as found when a finding covers all its letters and digits, as in
`pii_report`. Prints per part: labels, found by pyap2 alone, by `redact` (which includes pyap2
around postcodes), pyap2's false positives and the must-keep spans it touched, and pyap2's time.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pyap

from feedbackloop.core.redact import Span, find_pii
from feedbackloop.learn.pii_report import DEFAULT_CORPUS, covered, load_corpus, overlaps


def main(argv: list[str]) -> int:
    skip = {argv[i + 1] for i, a in enumerate(argv) if a == "--skip" and i + 1 < len(argv)}
    paths = [a for i, a in enumerate(argv) if a != "--skip" and (i == 0 or argv[i - 1] != "--skip")]
    cases = [c for c in load_corpus(Path(paths[0]) if paths else DEFAULT_CORPUS) if c.split not in skip]
    parts: dict[str, dict[str, int]] = {}
    spent = 0.0
    for case in cases:
        started = time.perf_counter()
        found = [Span(a.match_start, a.match_end, "ADDRESS") for country in ("US", "GB", "CA")
                 for a in pyap.parse(case.text, country=country)]
        spent += time.perf_counter() - started
        ours = [f for f in find_pii(case.text, case.identity) if f.kind == "ADDRESS"]
        part = parts.setdefault(case.split, dict.fromkeys(("labels", "pyap2", "redact", "pyap2 false", "pyap2 keep"), 0))
        labels = [label for label in case.labels if label.kind == "ADDRESS"]
        part["labels"] += len(labels)
        part["pyap2"] += sum(covered(case.text, label, found) for label in labels)
        part["redact"] += sum(covered(case.text, label, ours) for label in labels)
        part["pyap2 false"] += sum(not any(overlaps(f, label) for label in labels) for f in found)
        part["pyap2 keep"] += sum(any(overlaps(k, f) for f in found) for k in case.keep)
    print(f"pyap2: {len(cases)} texts in {spent:.2f} s ({1000 * spent / max(len(cases), 1):.2f} ms a text)")
    for name, part in sorted(parts.items()):
        print(f"{name}: " + ", ".join(f"{k} {v}" for k, v in part.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
