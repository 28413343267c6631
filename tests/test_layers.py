"""Imports go down only: the layer order of docs/developers/architecture.md, checked over the source.

Every `import` counts: at module level, inside a function, under `if TYPE_CHECKING:`. An import
inside a function is fine for start-up time (the CLI loads a subcommand on use) but it is still an
arrow of the graph: it must not point up, and it must not close a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "feedbackloop"

#: Bottom first. A module belongs to the longest prefix listed; it may import its own layer (without
#: a cycle) and any layer below. The same list, explained, is in docs/developers/architecture.md.
LAYERS: list[tuple[str, ...]] = [
    ("feedbackloop", "feedbackloop.helpdesks.base"),  # __version__; the helpdesk contract (neutral dataclasses)
    ("feedbackloop.core",),
    ("feedbackloop.store",),
    ("feedbackloop.helpdesks",),
    ("feedbackloop.jobs",),
    ("feedbackloop.wiring",),
    ("feedbackloop.loop",),
    ("feedbackloop.learn",),  # exports and the conversation they rebuild (insight reads conversations through it)
    ("feedbackloop.insight",),
    ("feedbackloop.runner",),
    ("feedbackloop.web",),
    ("feedbackloop.app", "feedbackloop.runtime"),  # the composition root: app factory, process roles
    ("feedbackloop.commands",),
    ("feedbackloop.cli", "feedbackloop.__main__", "feedbackloop.gunicorn_conf", "feedbackloop.gunicorn_worker"),
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def owner(name: str) -> str:
    """The module of ours a dotted import name resolves to (a package when no module matches)."""
    while name not in MODULES and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


def imports_of(name: str) -> set[str]:
    """Every module of ours that `name` imports, wherever the import statement sits."""
    path = MODULES[name]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(owner(a.name) for a in node.names if a.name.split(".")[0] == "feedbackloop")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.split(".")[0] != "feedbackloop":
                continue
            for alias in node.names:
                found.add(owner(f"{target}.{alias.name}") if f"{target}.{alias.name}" in MODULES else owner(target))
    found.discard(name)
    return found


GRAPH = {name: imports_of(name) for name in MODULES}


def layer_of(name: str) -> int:
    best, level = "", -1
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (name == prefix or name.startswith(prefix + ".")) and len(prefix) > len(best):
                best, level = prefix, index
    assert level >= 0, f"{name} is in no layer: add it to LAYERS and to docs/developers/architecture.md"
    return level


def test_every_module_has_a_layer() -> None:
    for name in MODULES:
        layer_of(name)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_only_go_down(name: str) -> None:
    mine = layer_of(name)
    upward = sorted(f"{target} ({'/'.join(LAYERS[layer_of(target)])})" for target in GRAPH[name]
                    if layer_of(target) > mine)
    assert not upward, f"{name} ({'/'.join(LAYERS[mine])}) imports upward: {', '.join(upward)}"


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the list of modules around it, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if nxt not in state and (cycle := visit(nxt)) is not None:
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)) is not None:
            return cycle
    return None


def test_no_import_cycles() -> None:
    # A package's __init__ that re-exports its own modules is not a cycle with them.
    graph = {name: {t for t in targets if not (MODULES[name].name == "__init__.py" and t.startswith(name + "."))}
             for name, targets in GRAPH.items()}
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " → ".join(cycle or [])


def test_the_cycle_finder_finds_one() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
