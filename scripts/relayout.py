"""Move modules into the layout of scripts/layout_map.py and rewrite every reference to them.

    python scripts/relayout.py move      # git mv the modules and tests the map names (once)
    python scripts/relayout.py rewrite   # rewrite imports and references; safe to run again
    python scripts/relayout.py check     # list references to old names that are left (exit 1 if any)

`rewrite` is idempotent: it only touches a dotted name or path that names a module of the old
layout, so a second run changes nothing. After merging a branch written against the old layout,
run `rewrite` again: it fixes that branch's imports (`from feedbackloop import jobs`,
`from feedbackloop.receive import store_event`, `"feedbackloop.jobs.utcnow"` in a patch target,
`src/feedbackloop/jobs.py` in docs) the same way.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from layout_map import MODULES, NAMES, TESTS  # noqa: E402  (the map sits beside this script)

SKIP = {ROOT / "scripts" / "layout_map.py", ROOT / "scripts" / "relayout.py", ROOT / "tests" / "test_layers.py"}
GLOBS = ("src/**/*.py", "tests/**/*.py", "bench/**/*.py", "bench/**/*.sh", "bench/**/*.md", "scripts/*",
         "docs/**/*.md", "README.md", "gunicorn.conf.py", "pyproject.toml", "config.example.env", "babel.cfg",
         "manifest/**/*.json", "manifest/**/*.md", ".ci/run")


def new_tree_names() -> set[str]:
    """Every dotted name of the new layout and each of its parents, and every module in src/ now
    (so `feedbackloop.jobs.step`, a module added after the move, is not taken for an old name)."""
    names: set[str] = set()
    for new in MODULES.values():
        parts = new.split(".")
        names.update(".".join(parts[:i]) for i in range(2, len(parts) + 1))
    for path in (ROOT / "src").rglob("*.py"):
        parts = list(path.relative_to(ROOT / "src").with_suffix("").parts)
        names.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names - set(MODULES)


NEW = new_tree_names()


#: Old module names that are also file names in prose and code (the default SQLite file): rewritten
#: only where they are clearly a module (`feedbackloop.db.utcnow`, `from feedbackloop.db import`).
FILE_NAMES = {"feedbackloop.db"}


def _dotted(match: re.Match[str], old: str, new: str, text: str) -> str:
    rest = text[match.end():]
    following = re.match(r"\.(\w+)|\s+import\s+\(?\s*(\w+)", rest)
    if following and f"{old}.{following.group(1) or following.group(2)}" in NEW:
        return match.group(0)  # already the new layout (feedbackloop.jobs.queue, from feedbackloop.jobs import queue)
    if old in FILE_NAMES and not re.match(r"\.\w|\s+import\b|:\w", rest):
        return match.group(0)
    return new


def rewrite_dotted(text: str) -> str:
    for old in sorted(MODULES, key=len, reverse=True):
        new = MODULES[old]
        pattern = re.compile(r"(?<![\w./])" + re.escape(old) + r"(?!\w)")
        text = pattern.sub(lambda m, o=old, n=new, t=text: _dotted(m, o, n, t), text) if pattern.search(text) else text
    return text


def rewrite_paths(text: str) -> str:
    for old, new in MODULES.items():
        old_path, new_path = old.replace(".", "/"), new.replace(".", "/")
        text = re.sub(r"(?<![\w.])" + re.escape(old_path) + r"\.py\b", new_path + ".py", text)
        text = re.sub(r"(?<![\w.])" + re.escape(old_path) + r"(?=/)", new_path, text)
    return text


def rewrite_test_paths(text: str) -> str:
    for old, new in TESTS.items():
        text = re.sub(r"(?<![\w/])" + re.escape(old) + r"\b", new, text)
    return text


def _import_line(module: str, name: str, asname: str | None) -> str:
    alias = f" as {asname}" if asname and asname != name else ""
    return f"from {module} import {name}{alias}"


def _split_from(node: ast.ImportFrom) -> list[str] | None:
    """`from feedbackloop import a, b` and `from old.module import moved_name` in the new layout."""
    if node.level or node.module is None:
        return None
    groups: dict[str, list[str]] = {}
    changed = False
    for alias in node.names:
        full = f"{node.module}.{alias.name}"
        key = f"{MODULES.get(node.module, node.module)}:{alias.name}"
        if node.module == "feedbackloop" and full in MODULES:
            parent, _, last = MODULES[full].rpartition(".")
            groups.setdefault(parent, []).append(f"{last} as {alias.asname or alias.name}"
                                                 if last != (alias.asname or alias.name) else last)
            changed = True
        elif key in NAMES:
            groups.setdefault(NAMES[key], []).append(
                f"{alias.name} as {alias.asname}" if alias.asname else alias.name)
            changed = True
        else:
            groups.setdefault(node.module, []).append(
                f"{alias.name} as {alias.asname}" if alias.asname else alias.name)
    if not changed:
        return None
    return [f"from {module} import {', '.join(names)}" for module, names in groups.items()]


def rewrite_imports(text: str) -> str:
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return text
    lines = text.splitlines(keepends=True)
    edits: list[tuple[int, int, list[str], str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.end_lineno is not None:
            replacement = _split_from(node)
            if replacement is not None:
                indent = re.match(r"\s*", lines[node.lineno - 1]).group(0)  # type: ignore[union-attr]
                tail = lines[node.end_lineno - 1].rstrip("\n")
                comment = tail[tail.index("#"):] if "#" in tail and ")" not in tail[tail.index("#"):] else ""
                edits.append((node.lineno, node.end_lineno, replacement, indent + ("  " + comment if comment else "")))
    for start, end, replacement, prefix in sorted(edits, reverse=True):
        indent = re.match(r"\s*", prefix).group(0)  # type: ignore[union-attr]
        comment = prefix[len(indent):]
        new_lines = [indent + line + "\n" for line in replacement]
        if comment:
            new_lines[-1] = new_lines[-1].rstrip("\n") + comment + "\n"
        lines[start - 1:end] = new_lines
    return "".join(lines)


def files() -> list[Path]:
    found: set[Path] = set()
    for pattern in GLOBS:
        found.update(p for p in ROOT.glob(pattern) if p.is_file() and p not in SKIP and ".venv" not in p.parts)
    return sorted(found)


def rewrite() -> int:
    changed = 0
    for path in files():
        try:
            text = path.read_text("utf-8")
        except UnicodeDecodeError:
            continue
        new = rewrite_test_paths(rewrite_paths(rewrite_dotted(rewrite_imports(text) if path.suffix == ".py" else text)))
        if new != text:
            path.write_text(new, "utf-8")
            changed += 1
            print(f"rewrote {path.relative_to(ROOT)}")
    print(f"{changed} file(s) changed")
    return 0


def _git_mv(old: Path, new: Path) -> None:
    new.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "mv", str(old), str(new)], cwd=ROOT, check=True)


def module_path(dotted: str) -> tuple[Path, Path]:
    base = ROOT / "src" / Path(*dotted.split("."))
    return base.with_suffix(".py"), base


def move() -> int:
    for old, new in MODULES.items():
        old_file, old_dir = module_path(old)
        new_file, new_dir = module_path(new)
        if old_file.exists() and not new_file.exists():
            _git_mv(old_file, new_file)
        elif old_dir.is_dir() and not new_dir.exists():
            _git_mv(old_dir, new_dir)
    for old_test, new_test in TESTS.items():
        if (ROOT / old_test).exists() and not (ROOT / new_test).exists():
            _git_mv(ROOT / old_test, ROOT / new_test)
    return 0


def check() -> int:
    left = 0
    for path in files():
        text = path.read_text("utf-8", errors="replace")
        if rewrite_test_paths(rewrite_paths(rewrite_dotted(rewrite_imports(text) if path.suffix == ".py" else text))) != text:
            print(f"old names left in {path.relative_to(ROOT)}")
            left += 1
    return 1 if left else 0


if __name__ == "__main__":
    commands = {"move": move, "rewrite": rewrite, "check": check}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    sys.exit(commands[sys.argv[1]]())
