"""Zendesk's two list paginations over an in-memory list.

``page[size]`` in the query asks for cursor pagination (``meta`` + ``links``, what zenpy asks for
on tickets, comments, users, ...); otherwise offset pagination (``page``/``per_page`` in,
``next_page``/``previous_page``/``count`` out). Lists are sorted by id, so a cursor is an id.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from feedbackloop.helpdesks.sandbox.shapes import JSON, cursor_page, decode_cursor, encode_cursor, offset_page

DEFAULT_PER_PAGE = 100
MAX_PER_PAGE = 100


class PageError(ValueError):
    """A page parameter Zendesk would refuse (answered 400)."""


def _int(args: Mapping[str, str], key: str, default: int, low: int, high: int) -> int:
    try:
        value = int(args.get(key, default))
    except ValueError:
        raise PageError(f"{key} must be a whole number") from None
    if not low <= value <= high:
        raise PageError(f"{key} must be between {low} and {high}")
    return value


def _cursor_id(cursor: str) -> int:
    try:
        return int(decode_cursor(cursor))
    except ValueError:
        raise PageError("invalid cursor") from None


def _link(url: str, args: Mapping[str, str], changes: Mapping[str, str | int]) -> str:
    merged: dict[str, str | int] = {k: v for k, v in args.items() if k not in ("page[after]", "page[before]", "page")}
    merged.update(changes)
    return f"{url}?{urlencode(merged)}"


def paginate(key: str, items: list[JSON], args: Mapping[str, str], url: str) -> JSON:
    """One page of `items` (sorted by id) answered under `key`, links pointing at `url`."""
    if "page[size]" in args:
        return _cursor(key, items, args, url)
    return _offset(key, items, args, url)


def _offset(key: str, items: list[JSON], args: Mapping[str, str], url: str) -> JSON:
    per_page = _int(args, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    page = _int(args, "page", 1, 1, 10**6)
    start = (page - 1) * per_page
    chunk = items[start:start + per_page]
    following = _link(url, args, {"page": page + 1, "per_page": per_page}) if start + per_page < len(items) else None
    previous = _link(url, args, {"page": page - 1, "per_page": per_page}) if page > 1 else None
    return offset_page(key, chunk, len(items), following, previous)


def _cursor(key: str, items: list[JSON], args: Mapping[str, str], url: str) -> JSON:
    size = _int(args, "page[size]", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    if "page[before]" in args:
        before = _cursor_id(args["page[before]"])
        earlier = [item for item in items if int(item["id"]) < before]
        chunk, has_more = earlier[-size:], len(earlier) > size
    else:
        after = _cursor_id(args["page[after]"]) if "page[after]" in args else None
        later = [item for item in items if after is None or int(item["id"]) > after]
        chunk, has_more = later[:size], len(later) > size
    first = encode_cursor(str(chunk[0]["id"])) if chunk else None
    last = encode_cursor(str(chunk[-1]["id"])) if chunk else None
    next_url = _link(url, args, {"page[after]": last, "page[size]": size}) if last and has_more else None
    prev_url = _link(url, args, {"page[before]": first, "page[size]": size}) if first else None
    return cursor_page(key, chunk, has_more, last, first, next_url, prev_url)
