"""Microseconds per text of `find_pii` on the labelled corpus (issue 18): one figure, this tree's code.

    nice -n 19 .venv/bin/python scripts/redact_cost.py [--rounds K] [CORPUS]

Every corpus text is redacted once to warm the caches (the gazetteer is built then), then K rounds;
the figure is the median round's CPU time divided by the number of texts. To compare with another
commit, run this script with that commit's `src` first on PYTHONPATH (e.g. from `git archive REV src`).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from feedbackloop.core.redact import find_pii

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("corpus", nargs="?", default=str(ROOT / "tests/fixtures/pii_corpus.jsonl"))
    args = parser.parse_args()
    texts = [json.loads(line)["text"] for line in Path(args.corpus).read_text(encoding="utf-8").splitlines()
             if line.strip()]
    for text in texts:
        find_pii(text)
    rounds = []
    for _ in range(args.rounds):
        start = time.process_time()
        for text in texts:
            find_pii(text)
        rounds.append(time.process_time() - start)
    print(f"{len(texts)} texts, {1e6 * statistics.median(rounds) / len(texts):.0f} µs per text "
          f"(median of {args.rounds} rounds; fastest {1e6 * min(rounds) / len(texts):.0f} µs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
