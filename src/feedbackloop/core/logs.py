"""Structured logs: one JSON object per line (or readable text), carrying the ids of the work at hand.

`bind()` and `annotate()` put tenant, ticket, job and request ids into a context variable; every line
logged while they are set carries them, so nothing threads ids through calls just to log them. The
receiver, the job runner and the survey page set them; a request's or a job's fields end with it.

Survey tokens are bearer credentials (whoever holds one can rate that ticket), so `/s/<token>` is
written `/s/[token]` in every message, path and traceback. Only the named fields below are ever
written: never request headers, bodies or a record's arbitrary arguments (gunicorn's access record
carries every request header, the Authorization header included).
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar, Token
from datetime import datetime, timezone
from types import MappingProxyType
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

#: The context fields a line may carry, in the order they are written.
CONTEXT_FIELDS = (
    "tenant_id", "ticket_id", "job_id", "job_kind", "event_id",
    "request_id", "method", "path", "status", "duration_ms",
)
FORMATS = ("json", "text")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
#: A survey link's token: itsdangerous' URL-safe base64 and dots (percent-escapes in raw URIs).
SURVEY_TOKEN = re.compile(r"/s/[A-Za-z0-9_.~%-]+")
REDACTED_TOKEN = "/s/[token]"
#: werkzeug colours its access lines on a terminal.
ANSI_STYLE = re.compile(r"\x1b\[[0-9;]*m")
#: Loggers that log secrets or noise below WARNING: zenpy logs request kwargs (auth) at DEBUG.
QUIET_LOGGERS = ("zenpy", "urllib3")
#: The WSGI environ key the app leaves its request's log fields under, for gunicorn's access line.
ENVIRON_KEY = "feedbackloop.log_fields"

_context: ContextVar[Mapping[str, Any]] = ContextVar("feedbackloop_log_context", default=MappingProxyType({}))


# --- the context ----------------------------------------------------------------------------


def redact(text: str) -> str:
    """`text` with every survey token replaced by a placeholder."""
    if "/s/" not in text:  # every token match starts with it; most lines (and all webhook ones) have none
        return text
    return SURVEY_TOKEN.sub(REDACTED_TOKEN, text)


_KNOWN_FIELDS = frozenset(CONTEXT_FIELDS)


def _clean(fields: Mapping[str, Any]) -> dict[str, Any]:
    if not _KNOWN_FIELDS.issuperset(fields):
        raise ValueError(f"not a log context field: {sorted(set(fields) - _KNOWN_FIELDS)}")
    return {k: redact(v) if isinstance(v, str) else v for k, v in fields.items() if v is not None}


def current() -> dict[str, Any]:
    """The fields set for the code running now."""
    return dict(_context.get())


def current_field(name: str) -> Any:
    """One field of the current context, without copying the rest (a hot path's read)."""
    return _context.get().get(name)


def current_fields() -> Mapping[str, Any]:
    """The current context's fields (read-only: scopes replace the mapping, never change it), to open the
    same scope in another thread."""
    return _context.get()


@contextmanager
def bind(**fields: Any) -> Iterator[None]:
    """Add fields for the duration of a block; whatever `annotate` adds inside ends with it too."""
    token = open_scope(**fields)
    try:
        yield
    finally:
        close_scope(token)


def open_scope(**fields: Any) -> Token[Mapping[str, Any]]:
    """Start a scope (a request) that `close_scope` ends; for hooks that cannot use `with`."""
    return _context.set({**_context.get(), **_clean(fields)})


def close_scope(token: Token[Mapping[str, Any]]) -> None:
    """End a scope opened by `open_scope`, dropping every field added since."""
    _context.reset(token)


def annotate(**fields: Any) -> None:
    """Add fields to the current scope (the request or job being handled), e.g. once the tenant is known."""
    _context.set({**_context.get(), **_clean(fields)})


# --- records → fields -----------------------------------------------------------------------


def _access_fields(record: logging.LogRecord) -> tuple[str, dict[str, Any]] | None:
    """Access lines of gunicorn and werkzeug as fields; None for any other record.

    gunicorn passes a dict of "atoms" (every request header among them); werkzeug the request
    line, status and size. Only method, path, status, duration and the app's own fields are taken.
    """
    args: Any = record.args
    if record.name == "gunicorn.access" and isinstance(args, Mapping):
        fields: dict[str, Any] = dict(args.get("{" + ENVIRON_KEY + "}e") or {})
        duration = _int(args.get("M"))
        if duration is None and _int(args.get("D")) is not None:  # gunicorn < 21 has no M atom
            duration = int(args["D"]) // 1000
        fields.update(method=args.get("m"), path=args.get("U"), status=_int(args.get("s")), duration_ms=duration)
        fields.setdefault("request_id", args.get("{x-request-id}o"))
        return f"{fields['method']} {fields['path']} {fields['status']}", fields
    if record.name == "werkzeug" and isinstance(args, tuple) and len(args) == 3:
        request_line = ANSI_STYLE.sub("", str(args[0]))
        if " HTTP/" in request_line:
            method, _, rest = request_line.partition(" ")
            path = rest.rsplit(" ", 1)[0].split("?", 1)[0]
            return f"{method} {path} {args[1]}", {"method": method, "path": path, "status": _int(args[1])}
    return None


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def fields_of(record: logging.LogRecord) -> tuple[str, dict[str, Any]]:
    """The message and the context fields of one record, redacted."""
    access = _access_fields(record)
    message, fields = access if access is not None else (record.getMessage(), {})
    context = getattr(record, "context", None)  # set by ContextFilter; else the context right now
    if context is None:
        context = _context.get()
    given = record.__dict__  # extra={...} wins over the access fields, which win over the context
    found: dict[str, Any] = {}
    for k in CONTEXT_FIELDS:  # one pass, in the order lines carry them; None means absent
        value = given[k] if k in given else fields[k] if k in fields else context.get(k)
        if value is not None:
            found[k] = redact(value) if isinstance(value, str) else value
    return redact(message), found


class ContextFilter(logging.Filter):
    """Copies the context onto the record, for handlers that format later or on another thread."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "context"):
            # the mapping itself, not a copy: the context's mappings are never changed, only replaced
            record.context = _context.get()
        return True


#: json.dumps(entry, ensure_ascii=False, default=str) without a new encoder per line.
_JSON = json.JSONEncoder(ensure_ascii=False, default=str)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (ISO-8601 UTC), level, logger, message, context fields."""

    def format(self, record: logging.LogRecord) -> str:
        message, fields = fields_of(record)
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": message,
            **fields,
        }
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        if record.stack_info:
            entry["stack"] = redact(self.formatStack(record.stack_info))
        return _JSON.encode(entry)


class TextFormatter(logging.Formatter):
    """The classic line, with the context fields appended as key=value."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        message, fields = fields_of(record)
        line = f"{self.formatTime(record)} {record.levelname} {record.name}: {message}"
        if fields:
            line += " [" + " ".join(f"{k}={v}" for k, v in fields.items()) + "]"
        if record.exc_info:
            line += "\n" + redact(self.formatException(record.exc_info))
        return line


def make_formatter(log_format: str | None = None) -> logging.Formatter:
    """Our formatter by name (`json`, `text`); None picks text on a terminal, JSON otherwise.

    Also the `()` factory named in gunicorn's `logconfig_dict`.
    """
    if log_format is None:
        log_format = "text" if sys.stderr.isatty() else "json"
    if log_format not in FORMATS:
        raise ValueError(f"log format must be one of {', '.join(FORMATS)}, got {log_format!r}")
    return JsonFormatter() if log_format == "json" else TextFormatter()


def configure(log_format: str | None, level: str, stream: IO[str] | None = None) -> logging.Handler | None:
    """Send the root logger's lines through our formatter (the CLI's processes).

    Like `logging.basicConfig`, this leaves a root logger that already has handlers alone (pytest's,
    gunicorn's `logconfig_dict`), except that it quiets `QUIET_LOGGERS` either way.
    """
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    # Alembic says at INFO which plugins it loaded and each migration it ran (16 lines before the demo's
    # own output); `db upgrade` prints its own one-line result. Shown with FEEDBACKLOOP_LOG_LEVEL=DEBUG / -v.
    logging.getLogger("alembic").setLevel(logging.NOTSET if level.upper() == "DEBUG" else logging.WARNING)
    root = logging.getLogger()
    if any(not getattr(h, "_feedbackloop", False) for h in root.handlers):
        return None
    for handler in list(root.handlers):
        root.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(make_formatter(log_format))
    handler.addFilter(ContextFilter())
    handler._feedbackloop = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level.upper())
    return handler


# --- the web app's requests -----------------------------------------------------------------

REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
#: The app's fields gunicorn's access line picks up (method, path and status it has itself).
ACCESS_FIELDS = ("tenant_id", "ticket_id", "event_id", "request_id")


def register_request_context(app: Flask) -> None:
    """Every line logged while a request is handled carries its id, method and (redacted) path; the
    response echoes X-Request-Id, and gunicorn's access line gets the tenant and ticket the request
    named."""
    from flask import g, request

    @app.before_request
    def _open_request_scope() -> None:
        g.feedbackloop_log_scope = open_request_scope(request.headers.get("X-Request-Id", ""), request.method,
                                                      request.path)

    @app.after_request
    def _expose_request_fields(response: Any) -> Any:
        request_id = leave_access_fields(request.environ)
        if request_id is not None:
            response.headers.setdefault("X-Request-Id", request_id)
        return response

    @app.teardown_request
    def _close_request_scope(_exc: BaseException | None) -> None:
        token = g.pop("feedbackloop_log_scope", None)
        if token is not None:
            try:
                close_scope(token)
            except ValueError:  # opened in another context (a server that switched threads): let it go
                pass


def open_request_scope(supplied_id: str, method: str, path: str) -> Token[Mapping[str, Any]]:
    """A request's log scope: the caller's X-Request-Id when it is a sane one, else a new id."""
    request_id = supplied_id if supplied_id and REQUEST_ID.fullmatch(supplied_id) else _uuid4_hex()
    return open_scope(request_id=request_id, method=method, path=path)


def _uuid4_hex() -> str:
    """`uuid.uuid4().hex` (16 random bytes with the version-4 and RFC 4122 variant bits), without building a
    UUID object for every request (and without importing uuid, which costs the CLI's start-up tens of ms)."""
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40
    raw[8] = (raw[8] & 0x3F) | 0x80
    return raw.hex()


def leave_access_fields(environ: dict[str, Any]) -> str | None:
    """Leave the scope's access fields in the WSGI environ for gunicorn's access line; the request id."""
    fields = _context.get()
    environ[ENVIRON_KEY] = {k: fields[k] for k in ACCESS_FIELDS if k in fields}
    request_id: str | None = fields.get("request_id")
    return request_id
