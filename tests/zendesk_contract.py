"""The recorded Zendesk answers in fixtures/zendesk/recorded, and how an answer is compared with one.

A recorded answer is the contract: an answer (the sandbox's) must have every key the recording has,
with the same JSON type, the same status code, and the rate-limit headers the recording carries, by
the same names. It may have more (Zendesk adds properties over time; a recording shows one account).
A null on either side matches anything: a null is a value (an unassigned ticket, an empty field), not
a type. Lists are compared element by element with the answer's element of the same kind: the same
`type`, `field_name` and `field` where the recorded element has them (an audit's Change of the subject
with a Change of the subject, a trigger's "status" action with a "status" action); a recorded element
with no such counterpart in the answer is not compared. Paths an answer may leave out are named with
the reason, per recording.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

RECORDED = Path(__file__).parent / "fixtures" / "zendesk" / "recorded"
#: Recorded headers that an answer to the same request must also carry (by name, case-insensitive).
CONTRACT_HEADER_PARTS = ("rate", "limit", "retry-after")


def recorded_names() -> list[str]:
    """Every recording, by file stem."""
    return sorted(path.stem for path in RECORDED.glob("*.json"))


def load(name: str) -> dict[str, Any]:
    """One recording."""
    document: dict[str, Any] = json.loads((RECORDED / f"{name}.json").read_text(encoding="utf-8"))
    return document


def exchanges(name: str) -> list[dict[str, Any]]:
    """The request/response pairs of one recording."""
    return list(load(name)["exchanges"])


def kind_of(value: object) -> str:
    """The JSON type of a parsed value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def shape_problems(expected: object, actual: object, path: str = "$",
                   exempt: Mapping[str, str] | None = None) -> list[str]:
    """Where `actual` lacks a key of `expected` or has another JSON type ([] when it has the shape)."""
    exempt = exempt or {}
    if path in exempt or expected is None or actual is None:
        return []
    want, got = kind_of(expected), kind_of(actual)
    if want != got and {want, got} != {"integer", "number"}:
        return [f"{path}: {got} where Zendesk has {want}"]
    if isinstance(expected, Mapping) and isinstance(actual, Mapping):
        problems: list[str] = []
        for key, value in expected.items():
            where = f"{path}.{key}"
            if where in exempt:
                continue
            if key not in actual:
                problems.append(f"{where}: missing")
                continue
            problems += shape_problems(value, actual[key], where, exempt)
        return problems
    if isinstance(expected, list) and isinstance(actual, list) and expected and actual:
        found: list[str] = []
        for item in expected[:20]:
            match = counterpart(item, actual)
            for problem in shape_problems(item, match, f"{path}[]", exempt) if match is not None else []:
                if problem not in found:
                    found.append(problem)
        return found
    return []


#: Keys that say what kind of element a list holds (audit events, conditions, actions).
DISCRIMINATORS = ("type", "field_name", "field")


def counterpart(item: object, candidates: Sequence[object]) -> object | None:
    """The answer's element to compare a recorded one with: the same discriminating keys, else (for
    elements without any) the first; None when no element of the same kind is there."""
    keys = [key for key in DISCRIMINATORS if isinstance(item, Mapping) and key in item]
    if not keys:
        return candidates[0]
    assert isinstance(item, Mapping)
    for candidate in candidates:
        if isinstance(candidate, Mapping) and all(candidate.get(key) == item[key] for key in keys):
            return candidate
    return None


def header_problems(expected: Mapping[str, str], actual: Mapping[str, str]) -> list[str]:
    """Recorded rate-limit headers missing from an answer, or with a value of another form."""
    have = {name.lower(): value for name, value in actual.items()}
    problems = []
    for name, value in expected.items():
        if not any(part in name.lower() for part in CONTRACT_HEADER_PARTS):
            continue
        if name.lower() not in have:
            problems.append(f"header {name}: missing")
        elif value_form(value) != value_form(have[name.lower()]):
            problems.append(f"header {name}: {have[name.lower()]!r} is not of the form of {value!r}")
    return problems


def value_form(value: str) -> str:
    """"integer" for "700", "fields" for "total=20; remaining=19; resets=59", else "text"."""
    text = value.strip()
    if text.isdigit():
        return "integer"
    if "=" in text and all("=" in part for part in text.split(";") if part.strip()):
        return "fields:" + ",".join(sorted(part.split("=")[0].strip() for part in text.split(";") if part.strip()))
    return "text"


def media_type(headers: Mapping[str, str]) -> str | None:
    """The content type without its parameters."""
    value = {k.lower(): v for k, v in headers.items()}.get("content-type")
    return value.split(";")[0].strip().lower() if value else None
