"""No credential in any log record: filters on the loggers of libraries that would write one.

Our own code never logs a token, key, secret or signature. Three libraries would:

- werkzeug's access line (`serve`, the demo, tests) holds the request line, and ``/s/<token>`` is
  the survey link: a bearer credential (whoever holds it rates that ticket).
- gunicorn's access record carries a dict of "atoms": the path, and *every* request header and
  environ entry (Authorization with the admin or an ingest token, the webhook signature, cookies).
- zenpy logs each request's arguments at DEBUG (the survey comment with its links, customer text).

A filter on each of those loggers rewrites the record itself, message and arguments, so every
handler sees it redacted: our formatters (logs.py), gunicorn's own, a test's capture. Survey
tokens become ``/s/[token]``; credential-bearing header and environ atoms become ``[redacted]``.
zenpy is also held at WARNING (`QUIET_LOGGERS`): its DEBUG lines are whole request bodies.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from feedbackloop.core.logs import QUIET_LOGGERS, redact

REDACTED = "[redacted]"
#: Access loggers whose records we rewrite (a logger's filters only see records logged on it).
ACCESS_LOGGERS = ("werkzeug", "gunicorn.access")
#: Request/response headers that carry credentials, lower-case.
SECRET_HEADERS = frozenset({
    "authorization", "proxy-authorization", "cookie", "set-cookie", "x-zendesk-webhook-signature",
})


class RedactCredentials(logging.Filter):
    """Rewrites a record's message and arguments: survey tokens and credential headers redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        args: Any = record.args
        if isinstance(args, Mapping):
            record.args = {key: REDACTED if is_secret_atom(key) else scrub(value) for key, value in args.items()}
        elif isinstance(args, tuple):
            record.args = tuple(scrub(value) for value in args)
        return True


def scrub(value: Any) -> Any:
    return redact(value) if isinstance(value, str) else value


def is_secret_atom(key: Any) -> bool:
    """gunicorn's ``{authorization}i`` (request header), ``{set-cookie}o`` (response header) and
    ``{http_authorization}e`` (environ) atoms, and the like."""
    if not (isinstance(key, str) and key.startswith("{") and key[-2:] in ("}i", "}o", "}e")):
        return False
    name = key[1:-2].lower().replace("_", "-")
    return name.removeprefix("http-") in SECRET_HEADERS


def install() -> None:
    """Attach the filter to the access loggers and quiet zenpy; safe to call more than once."""
    for name in ACCESS_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(existing, RedactCredentials) for existing in logger.filters):
            logger.addFilter(RedactCredentials())
    for name in QUIET_LOGGERS:
        logger = logging.getLogger(name)
        if logger.level < logging.WARNING:  # NOTSET or DEBUG/INFO: inherited from root otherwise
            logger.setLevel(logging.WARNING)
