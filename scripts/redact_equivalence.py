"""Whether this tree's `find_pii` finds exactly what an earlier commit's finds, text by text.

    nice -n 19 .venv/bin/python scripts/redact_equivalence.py [--rev REV] [--rows N]

The texts: every text of tests/fixtures/pii_corpus.jsonl, the ratings comments of
`redact_speed.comments(N)`, `redact_speed.conversation_texts(N // 10)` and the paragraphs
`pii_prose_probe.py` reads (this tree's docs, README and the docstrings and comments of src/). The
earlier commit's `src` is taken with `git archive REV src` into a temporary folder; each side runs in a
child process of its own (so the two never share a module), and the findings (kind, start, end) are
compared. Exit status 1 when any text differs, each such text printed with both findings.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent

#: Run in the child: import feedbackloop from the given src folder only, redact every text.
CHILD = """
import json, sys
src, texts_path, out_path = sys.argv[1:4]
sys.path.insert(0, src)
import feedbackloop
assert feedbackloop.__file__.startswith(src), (feedbackloop.__file__, src)
from feedbackloop.core.redact import find_pii
texts = json.loads(open(texts_path, encoding="utf-8").read())
found = [[[s.kind, s.start, s.end] for s in find_pii(text)] for text in texts]
open(out_path, "w", encoding="utf-8").write(json.dumps(found))
"""


def load_script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def texts_to_check(rows: int) -> dict[str, list[str]]:
    sys.path.insert(0, str(ROOT / "src"))
    speed = load_script("redact_speed")
    probe = load_script("pii_prose_probe")
    corpus = [json.loads(line)["text"] for line in (ROOT / "tests/fixtures/pii_corpus.jsonl").read_text(
        encoding="utf-8").splitlines() if line.strip()]
    roots = [ROOT / "docs", ROOT / "README.md", ROOT / "src"]
    files = [f for r in roots for f in ([r] if r.is_file() else sorted(r.rglob("*")))
             if f.suffix in (".md", ".py", ".txt")]
    prose = [p for f in files for p in probe.paragraphs(f)]
    return {"corpus": corpus, "comments": speed.comments(rows), "conversations": speed.conversation_texts(rows // 10),
            "prose": prose}


def run_side(src: Path, texts: list[str], folder: Path, label: str) -> list[list[list[object]]]:
    texts_path, out_path = folder / "texts.json", folder / f"{label}.json"
    texts_path.write_text(json.dumps(texts), encoding="utf-8")
    subprocess.run([sys.executable, "-c", CHILD, str(src), str(texts_path), str(out_path)], check=True, cwd=folder)
    found: list[list[list[object]]] = json.loads(out_path.read_text(encoding="utf-8"))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rev", default="20c04ee", help="the commit whose findings are the reference")
    parser.add_argument("--rows", type=int, default=20_000, help="ratings rows (4 in 10 with a comment)")
    args = parser.parse_args()
    groups = texts_to_check(args.rows)
    texts = [text for group in groups.values() for text in group]
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.rev, "src"], check=True,
                                 capture_output=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder / "before", filter="data")
        before = run_side(folder / "before" / "src", texts, folder, "before")
        after = run_side(ROOT / "src", texts, folder, "after")
    differ = 0
    at = 0
    for group, members in groups.items():
        changed = 0
        for text in members:
            if before[at] != after[at]:
                changed += 1
                if differ + changed <= 20:
                    print(f"DIFFERS ({group}): {text[:200]!r}\n  before {before[at]}\n  after  {after[at]}")
            at += 1
        print(f"{group}: {len(members)} texts, {changed} with other findings")
        differ += changed
    findings = sum(len(f) for f in before)
    print(f"{len(texts)} texts, {findings} findings before, {sum(len(f) for f in after)} after, "
          f"{differ} texts differ (reference {args.rev})")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
