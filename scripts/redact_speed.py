"""Redaction cost per row, this tree's `redact` against an earlier commit's, interleaved in one process.

    .venv/bin/python scripts/redact_speed.py [--rev REV] [--rows N] [--rounds K]

The texts are what the benchmarks export: the ratings comments of `bench/datagen.py` (four ratings in
ten carry one, with a phone, an email, a card, an IBAN, a name, a street address, an IP or a token)
and the conversation texts of `bench/learning_bench.py` (opening message, follow-up, AI draft, agent
reply), plus the labelled corpus. Each round redacts every text with the old module, then with the
new one (then the other way round, so neither always runs warm); the figure is the median over the
rounds of ratings rows per CPU-second (rows without a comment cost nothing in either). The old module
is `src/feedbackloop/core/redact.py` read from git at REV and loaded under another name; the new one is
imported from this tree (its one-off gazetteer build is timed apart, before the rounds).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from feedbackloop.core import redact as new_redact  # noqa: E402 (after the sys.path line)
from feedbackloop.core.name_gazetteer import gazetteer  # noqa: E402


def comments(rows: int) -> list[str]:
    """bench/datagen.py's comment_sql, row by row: a comment for 4 rows in 10."""
    out = []
    for g in range(1, rows + 1):
        if (g * 37) % 10 >= 4:
            continue
        out.append((
            f"Still broken after two tries. Call me on +44 20 7946 {1000 + g % 9000} or write to jane.doe{g}@example.com, thanks",
            f"My card 4111 1111 1111 1111 was charged twice for order {40000 + g % 50000}, please refund",
            "Thanks Anna, that was quick and friendly. Regards, Tom Baker",
            f"Refund to IBAN DE89 3704 0044 0532 0130 00 please. My name is Maria Lopez and I waited {g % 9 + 2} days",
            f"The agent was slow. Send the replacement to {g % 999 + 1} Baker Street, London NW1 6XE",
            f"App crashes on login from 10.0.{g % 250}.{g % 200} since version 2.4.1, token sk_live_{g}abcdefghijklmnop",
        )[g % 6])
    return out


def conversation_texts(rows: int) -> list[str]:
    """Texts shaped like bench/learning_bench.py's conversations (opening, follow-up, draft, reply)."""
    out = []
    for g in range(1, rows + 1):
        out.append(f"My router stopped working yesterday. I tried a restart. Can you help? I am Maria Lopez, "
                   f"call +44 20 7946 {1000 + g % 9000}")
        out.append(f"Also, can I get a refund? My email is jane.doe{g}@example.com")
        out.append("Thanks for the details. A restart fixes most cases. Your router stopped working, so please "
                   "try the reset button for ten seconds.")
        out.append("Hi Maria, we have sent a replacement today. Your router case is noted.")
    return out


def load_old(rev: str, folder: Path) -> ModuleType:
    source = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:src/feedbackloop/core/redact.py"],
                            check=True, capture_output=True, text=True).stdout
    path = folder / "redact_old.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("redact_old", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["redact_old"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def vm_kib(field: str) -> int:
    """This process's VmRSS or VmHWM in KiB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def cpu_seconds(module: Any, texts: list[str]) -> float:
    start = time.process_time()
    for text in texts:
        module.redact(text)
    return time.process_time() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rev", default="de0ee94", help="the commit whose redact.py is 'before'")
    parser.add_argument("--rows", type=int, default=20_000, help="ratings rows (4 in 10 with a comment)")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    resident = vm_kib("VmRSS")
    started, cpu = time.perf_counter(), time.process_time()
    gazetteer()
    build, build_cpu = time.perf_counter() - started, time.process_time() - cpu
    build_rss_mib = (vm_kib("VmRSS") - resident) / 1024
    tracemalloc.start()  # the lists alone, built again (Faker's modules are imported already)
    lists = gazetteer.__wrapped__()
    built_mib = tracemalloc.get_traced_memory()[0] / 2**20
    tracemalloc.stop()
    del lists
    with tempfile.TemporaryDirectory() as folder:
        old = load_old(args.rev, Path(folder))
    ratings = comments(args.rows)
    conversations = conversation_texts(args.rows // 10)
    corpus = [json.loads(line)["text"] for line in (ROOT / "tests/fixtures/pii_corpus.jsonl").read_text().splitlines()]
    result: dict[str, Any] = {"rev": args.rev, "rows": args.rows, "comments": len(ratings),
                              "gazetteer_build_seconds": round(build, 2), "gazetteer_build_cpu_seconds": round(build_cpu, 2),
                              "gazetteer_resident_mib": round(build_rss_mib, 1), "gazetteer_lists_mib": round(built_mib, 1)}
    for label, texts, per in (("ratings rows", ratings, args.rows), ("conversation texts", conversations, None),
                              ("corpus texts", corpus, None)):
        times: dict[str, list[float]] = {"before": [], "after": []}
        for round_ in range(args.rounds):
            order = (("before", old), ("after", new_redact)) if round_ % 2 == 0 else (
                ("after", new_redact), ("before", old))
            for name, module in order:
                times[name].append(cpu_seconds(module, texts))
        count = per or len(texts)
        rates = {name: count / statistics.median(values) for name, values in times.items()}
        result[label] = {name: round(rate) for name, rate in rates.items()}
        result[label]["cost"] = f"{100 * (rates['before'] / rates['after'] - 1):+.0f} % CPU per row"
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
