"""The signal-matrix report sections (issue 24) as one shape: a title, columns, rows, notes; rendered as
an aligned table, JSON or CSV like every report (`feedbackloop report --section NAME`).

Rows are plain dicts; a cell may be a number, text, None or (JSON only) a list of examples, which the
table and the CSV show as a count. Customer text reaches a section already redacted.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class Section:
    """One report section: what it answers, its columns in order, its rows, footnotes."""

    name: str
    title: str
    columns: tuple[str, ...]
    rows: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Column → key of a list in each row printed under the row in the table (examples).
    details: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


def cell_text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".") if abs(value) < 1000 else f"{value:.0f}"
    if isinstance(value, (list, tuple)):
        return str(len(value))
    return " ".join(str(value).split())


def render_section(section: Section, fmt: str) -> str:
    """The section as `table`, `json` or `csv` text (ending in a newline)."""
    if fmt == "json":
        return json.dumps({"section": section.name, "title": section.title, **section.meta, "rows": section.rows,
                           "notes": section.notes}, indent=2, ensure_ascii=False, default=_json_default) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(section.columns)
        for row in section.rows:
            writer.writerow([_csv_value(row.get(name)) for name in section.columns])
        return out.getvalue()
    return table(section)


def table(section: Section) -> str:
    lines = [section.title, ""]
    if not section.rows:
        lines.append("(nothing in this range)")
    else:
        grid = [list(section.columns)] + [[cell_text(row.get(c)) for c in section.columns] for row in section.rows]
        widths = [min(60, max(len(r[i]) for r in grid)) for i in range(len(section.columns))]
        for index, cells in enumerate(grid):
            lines.append("  ".join(c[:w].ljust(w) for c, w in zip(cells, widths)).rstrip())
            if index and section.details:
                for example in section.rows[index - 1].get(section.details) or []:
                    lines.append("    · " + " · ".join(f"{k}: {cell_text(v)[:160]}" for k, v in example.items()
                                                        if v not in (None, "", [])))
    lines.extend(["", *section.notes] if section.notes else [])
    return "\n".join(lines) + "\n"


def _csv_value(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return len(value)
    if value is None:
        return ""
    return value


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def rate(k: int, n: int) -> float | None:
    return round(k / n, 4) if n else None
