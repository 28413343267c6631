"""False alarms of the name gazetteer on prose that names no customer: what it flags, and how often.

    .venv/bin/python scripts/pii_prose_probe.py [--all] [FILE_OR_FOLDER ...]

Default: this repository's docs (Markdown, split into paragraphs) and the docstrings and comments of
src/. Every finding of `name_gazetteer.find_listed_names` is printed with its count; names the docs
quote as examples ("Siobhan O'Connor") are true findings, the rest are false alarms. With `--all`,
every NAME and ADDRESS finding of the whole redactor (`redact.find_pii`) instead.
"""

from __future__ import annotations

import ast
import sys
from collections import Counter
from pathlib import Path

from feedbackloop.core.name_gazetteer import find_listed_names
from feedbackloop.core.redact import find_pii

ROOT = Path(__file__).resolve().parent.parent


def paragraphs(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix != ".py":
        return text.split("\n\n")
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return []
    docs = [ast.get_docstring(node) or "" for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))]
    return docs + [line.split("#", 1)[1] for line in text.splitlines() if "#" in line]


def main(argv: list[str]) -> int:
    whole = "--all" in argv
    argv = [a for a in argv if a != "--all"]
    roots = [Path(a) for a in argv] or [ROOT / "docs", ROOT / "README.md", ROOT / "src"]
    files = [f for r in roots for f in ([r] if r.is_file() else sorted(r.rglob("*"))) if f.suffix in (".md", ".py", ".txt")]
    found: Counter[str] = Counter()
    count = 0
    for path in files:
        for paragraph in paragraphs(path):
            count += 1
            if whole:
                found.update(f"{s.kind} {paragraph[s.start:s.end]!r}" for s in find_pii(paragraph)
                             if s.kind in ("NAME", "ADDRESS"))
            else:
                found.update(paragraph[s:e] for s, e in find_listed_names(paragraph, paragraph.lower()))
    print(f"{count} paragraphs, {sum(found.values())} findings")
    for word, times in found.most_common():
        print(f"{times:4} {word}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
