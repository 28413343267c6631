"""Microseconds per text of `redact.find_pii` on the labelled corpus (issue 18's cost check).

    nice -n 19 .venv/bin/python scripts/pii_timing.py [CORPUS] [--rounds N]

Runs every text of the corpus `rounds` times (default 20) after one warm-up round and prints the
best round's mean in microseconds per text, overall and for the address detector alone.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from feedbackloop.core.redact import find_addresses, find_pii
from feedbackloop.learn.pii_report import DEFAULT_CORPUS, load_corpus


def best_mean(texts: list[str], rounds: int, run: object) -> float:
    """The fastest round's mean microseconds per text."""
    call = run if callable(run) else find_pii
    best = float("inf")
    for _ in range(rounds + 1):
        started = time.perf_counter()
        for text in texts:
            list(call(text))
        best = min(best, time.perf_counter() - started)
    return best / len(texts) * 1e6


def main(argv: list[str]) -> int:
    rounds = 20
    if "--rounds" in argv:
        at = argv.index("--rounds")
        rounds = int(argv[at + 1])
        argv = argv[:at] + argv[at + 2:]
    texts = [case.text for case in load_corpus(Path(argv[0]) if argv else DEFAULT_CORPUS)]
    print(f"{len(texts)} texts, best of {rounds} rounds")
    print(f"find_pii: {best_mean(texts, rounds, find_pii):.1f} µs per text")
    print(f"find_addresses: {best_mean(texts, rounds, find_addresses):.1f} µs per text")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
