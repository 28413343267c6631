"""No function takes more than six parameters unless its docstring says why (issue 21).

Job steps take one `StepContext` (jobs/step.py) instead of the tenant, settings, client, clock and
attempt one by one. What is left over six says so in a sentence of its docstring that contains
"parameters" (the reason: a record's columns, a Flask/Jinja call's own keywords, ...).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "feedbackloop"
LIMIT = 6


def long_signatures() -> list[tuple[str, int, str]]:
    """(where, how many, name) of every function over the limit whose docstring gives no reason."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            args = node.args
            names = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs) if a.arg not in ("self", "cls")]
            if len(names) <= LIMIT:
                continue
            if "parameters" in (ast.get_docstring(node) or ""):
                continue
            found.append((f"{path.relative_to(PACKAGE.parent)}:{node.lineno}", len(names), node.name))
    return found


def test_no_function_over_six_parameters_without_a_reason() -> None:
    over = long_signatures()
    assert not over, "over six parameters, no reason in the docstring: " + "; ".join(
        f"{where} {name} ({n})" for where, n, name in over)
