"""Zendesk REST client for one account: the ONLY module that imports zenpy.

zenpy builds the URLs (its endpoint table), authenticates, and sends through its own call path
(`_call_api`), but on a `ZendeskSession` we own, because zenpy's defaults are wrong for a worker
that must post each survey comment exactly once:

* zenpy mounts a urllib3 ``Retry`` that re-sends PUTs on 503/413 and on dropped connections, so a
  public comment can be posted twice. Our session mounts no retrying adapter; retries belong to
  the durable job queue, which re-reads the ticket first.
* On 429, zenpy 2.0.57 sleeps in the worker for Retry-After seconds (it has no
  raise_on_ratelimit). Our session raises ``Retryable(retry_after=..., rate_limited=True)``.
* zenpy's only host override is the process-wide ZENPY_FORCE_NETLOC. Our session sends each
  client's requests to its own ``Account.api_url`` and refuses any other host, because it carries
  the API token.
* Every non-2xx answer becomes one of errors.py's types, once, in `error_for_response`.

Answers are read as JSON and mapped straight to the neutral types. zenpy's object layer is not
used: its response handlers only accept URLs on ``<subdomain>.zendesk.com`` (under an api_url
override they hand back raw responses), its objects fetch related records lazily on attribute
access, it serialises datetimes as bare dates, and it puts ``id`` into every update body.

A client may be shared by worker threads: the counters are updated under a lock, and requests'
connection pool and cookie jar are thread-safe.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote, urlsplit

import requests
import zenpy
from requests.adapters import HTTPAdapter
from requests.exceptions import InvalidJSONError, InvalidSchema, InvalidURL, MissingSchema
from zenpy.lib.endpoint import Url
from zenpy.lib.exception import APIException, ZenpyException

from feedbackloop.core import counters, errors
from feedbackloop.helpdesks.base import (
    Account,
    BatchStatus,
    BulkUpdate,
    Comment,
    NativeRating,
    NativeRatingPage,
    NewTicket,
    Ticket,
    TicketPage,
    TicketUpdate,
    User,
)
from feedbackloop.helpdesks.zendesk.events import (
    to_bool,
    to_channel,
    to_id,
    to_status,
    to_tags,
    to_text,
    to_time,
    to_word,
)

CANONICAL_ORIGIN = "https://{subdomain}.zendesk.com"
AGENT_TICKET_URL = CANONICAL_ORIGIN + "/agent/tickets/{ticket_id}"
USER_AGENT = f"feedbackloop (zenpy/{zenpy.__version__})"
#: Zendesk subdomains: letters, digits and inner hyphens (also keeps the host unforgeable).
SUBDOMAIN_PATTERN = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
#: Ceiling on followed page links: 100 pages of 100 comments is twice Zendesk's 5,000-comment cap.
MAX_PAGES = 100
#: The incremental export leaves out the last minute and refuses a start_time inside it.
EXPORT_LAG = timedelta(minutes=1)
ERROR_TEXT_LIMIT = 240

#: The account's rate-limit headers, every spelling seen in recorded answers (tests/fixtures/zendesk/
#: recorded): `x-rate-limit`/`-remaining` everywhere, `rate-limit`/`-remaining`/`-reset` (2023) and
#: `ratelimit-limit`/`-remaining`/`-reset` (2024). Names are compared lower-cased.
LIMIT_HEADERS = ("ratelimit-limit", "rate-limit", "x-rate-limit")
REMAINING_HEADERS = ("ratelimit-remaining", "rate-limit-remaining", "x-rate-limit-remaining")
RESET_HEADERS = ("ratelimit-reset", "rate-limit-reset", "x-rate-limit-reset")
#: An endpoint's own limit, `total=20; remaining=19; resets=59`, under `zendesk-rate-limit-<name>`
#: (2023: tickets-update, tickets-index) or `zendesk-ratelimit-<name>` (2024: tickets-index,
#: per-ticket-updates). `<name>` is the key in `RateLimits.endpoints`.
ENDPOINT_HEADER = re.compile(r"zendesk-rate-?limit-(?P<name>[a-z0-9-]+)")
ENDPOINT_FIELDS = re.compile(r"(total|remaining|resets)\s*=\s*(\d+)")
#: Zendesk's Update Ticket limit (PUT /api/v2/tickets/{id}), per account and shared with agents' own
#: updates in the Zendesk UI, and the per-ticket one (30 updates of one ticket per 10 minutes).
TICKET_UPDATES = "tickets-update"
PER_TICKET_UPDATES = "per-ticket-updates"
#: APIs that report a limit of their own under the account's header names: the webhooks API answers
#: `x-rate-limit: 100` (recorded), which must not replace the account's figure (700 on that account).
OWN_BUDGET_PATHS = (("/api/v2/webhooks", "webhooks"),)
MAX_BULK = 100  # tickets per update_many


def utc_now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(timezone.utc)


# --- rate limits ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RateLimitInfo:
    """The account's request budget as Zendesk last reported it."""

    limit: int | None
    remaining: int | None
    observed_at: datetime
    reset_in: float | None = None  # seconds until the window resets (`ratelimit-reset`), when given


#: Two observations whose windows end within this many seconds of each other are of one window
#: (`ratelimit-reset` is whole seconds, and the answers left the server at slightly different times).
SAME_WINDOW_SECONDS = 2.0


def newest_budget(current: RateLimitInfo | None, observed: RateLimitInfo) -> RateLimitInfo:
    """The budget to pace by after `observed` arrives. Calls in flight on several threads answer out
    of order: an answer that left Zendesk earlier, with more remaining in the same window, must not
    overwrite a later, lower count, or a worker would spend into the reserve (seen: 10 calls at a
    budget of 10 with 2 reserved). A higher count in a new window (the reset) is taken."""
    if current is None or current.remaining is None or observed.remaining is None:
        return observed  # nothing to compare with
    if current.limit != observed.limit or observed.remaining < current.remaining:
        return observed  # another budget, or the lower count
    ends = window_end(current), window_end(observed)
    if ends[0] is None or ends[1] is None:
        return observed  # no reset times: the newest answer is all we know
    same_window = abs((ends[1] - ends[0]).total_seconds()) <= SAME_WINDOW_SECONDS
    return current if same_window else observed


def window_end(info: RateLimitInfo) -> datetime | None:
    """When the rate window an answer was counted in resets, if the answer said."""
    return None if info.reset_in is None else info.observed_at + timedelta(seconds=info.reset_in)


def read_rate_limit(headers: Mapping[str, str], now: datetime) -> RateLimitInfo | None:
    """Rate-limit headers under any of their spellings; None when the answer has none."""
    lowered = {name.lower(): value for name, value in headers.items()}
    limit = first_int(lowered, LIMIT_HEADERS)
    remaining = first_int(lowered, REMAINING_HEADERS)
    if limit is None and remaining is None:
        return None
    reset = first_int(lowered, RESET_HEADERS)
    return RateLimitInfo(limit=limit, remaining=remaining, observed_at=now,
                         reset_in=float(reset) if reset is not None else None)


def read_endpoint_limits(headers: Mapping[str, str], now: datetime) -> dict[str, RateLimitInfo]:
    """Every `zendesk-rate(-)limit-<name>: total=..; remaining=..; resets=..` header, by name."""
    found: dict[str, RateLimitInfo] = {}
    for name, value in headers.items():
        match = ENDPOINT_HEADER.fullmatch(name.strip().lower())
        if match is None:
            continue
        fields = {key: int(number) for key, number in ENDPOINT_FIELDS.findall(value.lower())}
        if "total" not in fields and "remaining" not in fields:
            continue
        resets = fields.get("resets")
        found[match["name"]] = RateLimitInfo(limit=fields.get("total"), remaining=fields.get("remaining"),
                                              observed_at=now, reset_in=float(resets) if resets is not None else None)
    return found


def own_budget_of(path: str) -> str | None:
    """The endpoint name when `path` belongs to an API that reports its own limit in the account's headers."""
    for prefix, name in OWN_BUDGET_PATHS:
        if path == prefix or path.startswith(prefix + "/") or path.startswith(prefix + "."):
            return name
    return None


def first_int(headers: Mapping[str, str], names: Sequence[str]) -> int | None:
    """The first whole number found under the first of `names` present."""
    for name in names:
        match = re.search(r"\d+", headers.get(name, ""))
        if match is not None:
            return int(match.group())
    return None


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """Retry-After as seconds from `now`: delta-seconds or an HTTP date; None if absent or garbled."""
    if value is None or not value.strip():
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return seconds_until(value.strip(), now)
    return max(0.0, seconds) if math.isfinite(seconds) else None


def seconds_until(http_date: str, now: datetime) -> float | None:
    """Seconds from `now` to an HTTP date (never negative); None if it is not one."""
    try:
        moment = parsedate_to_datetime(http_date)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return max(0.0, (moment - now).total_seconds())


# --- HTTP answers → errors.py ---------------------------------------------------------------

ResponseError = Callable[[requests.Response, str, datetime], errors.HelpdeskError]


def rate_limited(response: requests.Response, reason: str, now: datetime) -> errors.HelpdeskError:
    """429: our queue waits Retry-After; zenpy would have slept in the worker.

    A 429 whose endpoint header shows that endpoint's budget spent is that endpoint's: the Update
    Ticket limit holds back ticket updates only, the per-ticket limit only that ticket's jobs; any
    other 429 is the account's, and every job of the tenant waits.
    """
    retry_after = retry_after_seconds(response.headers.get("Retry-After"), now)
    spent = {name for name, info in read_endpoint_limits(response.headers, now).items() if info.remaining == 0}
    scope = "ticket_updates" if TICKET_UPDATES in spent else "ticket" if PER_TICKET_UPDATES in spent else "account"
    return errors.Retryable(reason, retry_after=retry_after, rate_limited=True, scope=scope)


def unavailable(response: requests.Response, reason: str, now: datetime) -> errors.HelpdeskError:
    """5xx and 408: try later, sooner if Zendesk said when."""
    return errors.Retryable(reason, retry_after=retry_after_seconds(response.headers.get("Retry-After"), now))


def unprocessable(response: requests.Response, reason: str, now: datetime) -> errors.HelpdeskError:
    """422: a closed ticket refuses every update; any other 422 is a request we must fix."""
    if is_closed_ticket_refusal(response):
        return errors.TicketClosed(reason)
    return errors.Permanent(reason, code="invalid")


def is_closed_ticket_refusal(response: requests.Response) -> bool:
    """Zendesk's answer to updating a closed ticket is a 422 whose body says "closed".

    Documented shape: {"error": "RecordInvalid", "description": "Record validation errors",
    "details": {"status": [{"description": "Status: closed prevents ticket update"}]}}.
    """
    method = response.request.method if response.request is not None else None
    return method in (None, "PUT", "PATCH") and "closed" in response.text.lower()


def refused(code: str) -> ResponseError:
    """An answer that retrying cannot change."""
    return lambda response, reason, now: errors.Permanent(reason, code=code)


STATUS_ERRORS: Mapping[int, ResponseError] = {
    401: refused("auth"),  # who we are: the credentials are wrong
    403: refused("forbidden"),  # what we may do: e.g. an agent's token on an admin-only endpoint
    404: lambda response, reason, now: errors.TicketNotFound(reason),
    408: unavailable,
    409: lambda response, reason, now: errors.Conflict(reason),
    422: unprocessable,
    429: rate_limited,
}


def error_for_response(response: requests.Response, now: datetime) -> errors.HelpdeskError | None:
    """The typed error for a non-2xx answer; None for success."""
    if 200 <= response.status_code < 300:
        return None
    default = unavailable if response.status_code >= 500 else refused(f"http_{response.status_code}")
    return STATUS_ERRORS.get(response.status_code, default)(response, describe_failure(response), now)


def describe_failure(response: requests.Response) -> str:
    """Method, path, status and Zendesk's reason; no host, query string or credentials."""
    request = response.request
    where = f"{request.method} {urlsplit(str(request.url)).path}" if request is not None else "request"
    return f"{where} -> HTTP {response.status_code}: {error_text(response)}"


def error_text(response: requests.Response) -> str:
    """Zendesk's error, description and details, shortened for a log line."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, Mapping):
        parts = [str(body[key]) for key in ("error", "description", "details") if body.get(key)]
        text = ": ".join(parts)
    else:
        text = " ".join(response.text.split())
    text = text or response.reason or "no details"
    return text if len(text) <= ERROR_TEXT_LIMIT else text[: ERROR_TEXT_LIMIT - 1] + "…"


# --- transport and zenpy exceptions → errors.py ----------------------------------------------

ExceptionError = Callable[[Exception, str], errors.HelpdeskError]


def retry_later(what: str) -> ExceptionError:
    """A transport failure that may pass."""
    return lambda exc, action: errors.Retryable(f"{action}: {what}: {short(exc)}")


def give_up(code: str, what: str) -> ExceptionError:
    """A failure that will repeat on every try."""
    return lambda exc, action: errors.Permanent(f"{action}: {what}: {short(exc)}", code=code)


def from_api_exception(exc: Exception, action: str) -> errors.HelpdeskError:
    """zenpy's APIException (RecordNotFoundException, ...) carries the response: type it like ours."""
    response = getattr(exc, "response", None)
    if isinstance(response, requests.Response):
        error = error_for_response(response, utc_now())
        if error is not None:
            return error
    return errors.Permanent(f"{action}: zenpy: {short(exc)}", code="client")


#: First match wins: InvalidURL is also a RequestException, ConnectTimeout also a ConnectionError.
EXCEPTION_ERRORS: Sequence[tuple[type[Exception] | tuple[type[Exception], ...], ExceptionError]] = (
    (APIException, from_api_exception),
    (requests.Timeout, retry_later("timed out")),
    (requests.ConnectionError, retry_later("connection failed")),
    ((InvalidURL, MissingSchema, InvalidSchema), give_up("config", "bad URL")),
    (InvalidJSONError, give_up("invalid", "request body is not JSON-serialisable")),
    (requests.RequestException, retry_later("request failed")),
    (ZenpyException, give_up("client", "zenpy refused")),
)
TRANSLATED_EXCEPTIONS = (APIException, ZenpyException, requests.RequestException)


def short(exc: Exception) -> str:
    """Exception type and the start of its message (URLs carry no credentials: auth is a header)."""
    message = " ".join(str(exc).split())[:160]
    return f"{type(exc).__name__}({message})" if message else type(exc).__name__


def error_for_exception(exc: Exception, action: str) -> errors.HelpdeskError:
    """The typed error for a requests or zenpy exception."""
    for kind, make in EXCEPTION_ERRORS:
        if isinstance(exc, kind):
            return make(exc, action)
    return errors.Permanent(f"{action}: {short(exc)}", code="client")


@contextmanager
def translated_errors(action: str) -> Iterator[None]:
    """Nothing above this module sees a requests or zenpy exception."""
    try:
        yield
    except TRANSLATED_EXCEPTIONS as exc:
        raise error_for_exception(exc, action) from None


@contextmanager
def reading(what: str) -> Iterator[None]:
    """A Zendesk answer we cannot map is a Permanent "bad_response", never a stray ValueError."""
    try:
        yield
    except (ValueError, TypeError, KeyError) as exc:
        raise errors.Permanent(f"unexpected {what} in Zendesk's answer: {exc}", code="bad_response") from None


# --- the session ----------------------------------------------------------------------------


class ZendeskSession(requests.Session):
    """The requests session zenpy sends through: routes, times out, counts, and types errors.

    Mounts plain adapters (no urllib3 Retry): one call here is one request on the wire.
    """

    def __init__(self, subdomain: str, api_url: str | None, timeout: float) -> None:
        super().__init__()
        self.timeout = timeout
        self.calls = 0
        self.last_rate_limit: RateLimitInfo | None = None
        self.endpoint_limits: dict[str, RateLimitInfo] = {}
        self._counting = threading.Lock()
        self._origin = CANONICAL_ORIGIN.format(subdomain=subdomain)
        self._target = (api_url or self._origin).rstrip("/")
        for prefix in ("https://", "http://"):
            self.mount(prefix, HTTPAdapter(max_retries=0))
        self.headers["Accept"] = "application/json"
        self.headers["User-Agent"] = USER_AGENT

    def __repr__(self) -> str:
        return f"ZendeskSession(target={self._target!r}, calls={self.calls})"

    def route(self, url: str) -> str:
        """Canonical-host URLs go to the override; any other host is refused (we carry the token)."""
        if url.startswith(self._origin + "/"):
            return self._target + url[len(self._origin) :]
        if url.startswith(self._target + "/"):
            return url
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
        raise errors.Permanent(
            f"refusing to send Zendesk credentials to {origin}: this account's API is at {self._target} "
            "(is ZENPY_FORCE_NETLOC/ZENPY_FORCE_SCHEME set? use Account.api_url)",
            code="config",
        )

    def request(self, method: str, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        """One request on the wire; a non-2xx answer raises its errors.py type here, before zenpy sees it."""
        target = self.route(url.decode() if isinstance(url, bytes) else url)
        kwargs["timeout"] = self.timeout
        with self._counting:
            self.calls += 1
        try:
            response: requests.Response = super().request(method, target, *args, **kwargs)
        except requests.RequestException:
            counters.count_helpdesk_call(method, None)  # operability: no answer (timeout, reset)
            raise
        counters.count_helpdesk_call(method, response.status_code)  # operability: every call, 429s too
        now = utc_now()
        self.observe_limits(urlsplit(target).path, response.headers, now)
        error = error_for_response(response, now)
        if error is not None:
            raise error
        return response


    def observe_limits(self, path: str, headers: Mapping[str, str], now: datetime) -> None:
        """Keep the account's budget and each endpoint's own, never one in the place of the other."""
        observed = read_rate_limit(headers, now)
        endpoints = read_endpoint_limits(headers, now)
        own = own_budget_of(path)
        if own is not None and observed is not None:
            endpoints.setdefault(own, observed)  # the webhooks API's `x-rate-limit: 100` is its own
            observed = None
        with self._counting:
            if observed is not None:
                self.last_rate_limit = newest_budget(self.last_rate_limit, observed)
            for name, info in endpoints.items():
                self.endpoint_limits[name] = newest_budget(self.endpoint_limits.get(name), info)


# --- REST JSON → neutral types --------------------------------------------------------------


def required_id(value: object) -> int:
    """An id that must be there."""
    number = to_id(value)
    if number is None:
        raise ValueError("id is missing")
    return number


def ticket_from_json(data: Mapping[str, Any]) -> Ticket:
    """A REST ticket as the neutral Ticket (ids int, status lower-case, times aware UTC)."""
    with reading("ticket"):
        status = to_status(data.get("status"))
        if status is None:
            raise ValueError("ticket has no status")
        return Ticket(
            id=required_id(data.get("id")),
            status=status,
            requester_id=to_id(data.get("requester_id")),
            updated_at=to_time(data.get("updated_at")),
            tags=to_tags(data.get("tags")),
            subject=to_text(data.get("subject")),
            channel=to_channel(data.get("via")),
            ticket_type=to_word(data.get("type")),
            assignee_id=to_id(data.get("assignee_id")),
            group_id=to_id(data.get("group_id")),
            brand_id=to_id(data.get("brand_id")),
            organization_id=to_id(data.get("organization_id")),
            external_id=to_text(data.get("external_id")),
            created_at=to_time(data.get("created_at")),
            custom_fields=custom_fields_from_json(data.get("custom_fields")),
            satisfaction=ticket_satisfaction(data),
        )


#: Zendesk's satisfaction scores (legacy CSAT): the Satisfaction Ratings API and a ticket's
#: `satisfaction_rating.score`.
NATIVE_SCORES = frozenset({"offered", "unoffered", "good", "bad"})


def ticket_satisfaction(data: Mapping[str, Any]) -> NativeRating | None:
    """A ticket's `satisfaction_rating` ({"id", "score", "comment", "reason", "reason_id"}); None when it has none.
    A score we do not know (a future one) is dropped, not guessed at."""
    value = data.get("satisfaction_rating")
    if not isinstance(value, Mapping) or to_word(value.get("score")) not in NATIVE_SCORES:
        return None
    return native_rating_from_json({**value, "ticket_id": data.get("id")})


def native_rating_from_json(data: Mapping[str, Any]) -> NativeRating:
    """One satisfaction rating (a Satisfaction Ratings API item, or a ticket's `satisfaction_rating`)."""
    with reading("satisfaction rating"):
        score = to_word(data.get("score"))
        if score not in NATIVE_SCORES:
            raise ValueError(f"satisfaction rating score {str(score)[:20]!r} is none of {sorted(NATIVE_SCORES)}")
        return NativeRating(
            ticket_id=required_id(data.get("ticket_id")), score=score, id=to_id(data.get("id")),
            comment=to_text(data.get("comment")) or None, reason=to_text(data.get("reason")) or None,
            reason_id=to_id(data.get("reason_id")),
            created_at=to_time(data.get("created_at")), updated_at=to_time(data.get("updated_at")),
        )


def custom_fields_from_json(value: object) -> dict[int, Any]:
    """Zendesk's [{"id": 27642, "value": "745"}] as {27642: "745"}."""
    if value is None:
        return {}
    if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
        raise ValueError("custom_fields is not a list of objects")
    return {required_id(item.get("id")): item.get("value") for item in value}


def comment_from_json(data: Mapping[str, Any]) -> Comment:
    """A REST ticket comment as the neutral Comment."""
    with reading("comment"):
        public = to_bool(data.get("public"))
        if public is None:
            raise ValueError("comment has no 'public' flag")
        return Comment(
            id=required_id(data.get("id")),
            author_id=to_id(data.get("author_id")),
            body=to_text(data.get("body")) or "",
            public=public,
            created_at=to_time(data.get("created_at")),
            html_body=to_text(data.get("html_body")),
        )


def user_from_json(data: Mapping[str, Any]) -> User:
    """A REST user as the neutral User."""
    with reading("user"):
        return User(
            id=required_id(data.get("id")),
            name=to_text(data.get("name")),
            email=to_text(data.get("email")),
            role=to_word(data.get("role")),
            organization_id=to_id(data.get("organization_id")),
            locale=to_text(data.get("locale")),
        )


def ticket_page_from_json(body: Mapping[str, Any], cursor: str | None) -> TicketPage:
    """One incremental-export page; keeps the cursor we sent when Zendesk gives no newer one."""
    with reading("incremental export page"):
        end_of_stream = body.get("end_of_stream")
        if not isinstance(end_of_stream, bool):
            raise ValueError("end_of_stream is not a boolean")
        tickets = [ticket_from_json(item) for item in items_of(body, "tickets")]
        after = to_text(body.get("after_cursor")) or cursor
        return TicketPage(tickets=tickets, cursor=after, end_of_stream=end_of_stream)


def object_of(body: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    """``body[key]`` as an object (e.g. "ticket" in {"ticket": {...}, "audit": {...}})."""
    value = body.get(key)
    if not isinstance(value, Mapping):
        raise errors.Permanent(f"Zendesk's answer has no {key!r} object", code="bad_response")
    return value


def items_of(body: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    """``body[key]`` as a list of objects."""
    value = body.get(key)
    if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
        raise errors.Permanent(f"Zendesk's answer has no {key!r} list", code="bad_response")
    return value


def next_page_url(body: Mapping[str, Any]) -> str | None:
    """The next page's URL, for cursor pagination (meta.has_more + links.next) or offset (next_page)."""
    meta, links = body.get("meta"), body.get("links")
    if isinstance(meta, Mapping) and isinstance(links, Mapping):
        following = links.get("next") if meta.get("has_more") is True else None
    else:
        following = body.get("next_page")
    return following if isinstance(following, str) and following else None


def json_object(response: requests.Response) -> Mapping[str, Any]:
    """A 2xx answer's JSON object. Not JSON (a proxy page) may pass; JSON of another shape will not."""
    try:
        body = response.json()
    except ValueError:
        raise errors.Retryable(f"{describe_failure(response)} (expected JSON)") from None
    if not isinstance(body, Mapping):
        raise errors.Permanent(f"{describe_failure(response)} (expected a JSON object)", code="bad_response")
    return body


# --- REST bodies we send --------------------------------------------------------------------


def zendesk_time(moment: datetime) -> str:
    """ISO-8601 UTC with a Z, to the second, as Zendesk writes updated_at (naive means UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def custom_fields_payload(fields: Mapping[int, Any]) -> list[dict[str, Any]]:
    """{27642: "745"} as Zendesk's [{"id": 27642, "value": "745"}]."""
    return [{"id": field_id, "value": value} for field_id, value in fields.items()]


def comment_payload(body: str | None, html_body: str | None, public: bool) -> dict[str, Any] | None:
    """The comment object, or None when there is no comment text."""
    if body is None and html_body is None:
        return None
    comment: dict[str, Any] = {} if body is None else {"body": body}
    if html_body is not None:
        comment["html_body"] = html_body
    comment["public"] = public
    return comment


def update_payload(update: TicketUpdate) -> dict[str, Any]:
    """The single-update body: only what `update` sets, plus collision protection when stamped.

    ``tags`` replaces the ticket's whole tag list, so it is sent only when the caller computed the
    full new set; ``updated_stamp`` makes Zendesk answer 409 if the ticket changed since.
    """
    comment = comment_payload(update.comment_body, update.comment_html, update.comment_public)
    changes: dict[str, Any] = {
        "comment": comment,
        "tags": list(update.tags) if update.tags is not None else None,
        "custom_fields": custom_fields_payload(update.custom_fields) or None,
        "status": update.status,
    }
    ticket = {key: value for key, value in changes.items() if value is not None}
    if not ticket:
        raise ValueError("TicketUpdate changes nothing: set a comment, tags, custom fields or a status")
    if update.updated_stamp is not None:
        ticket.update(safe_update=True, updated_stamp=zendesk_time(update.updated_stamp))
    return {"ticket": ticket}


def bulk_payload(update: BulkUpdate) -> dict[str, Any]:
    """The one ``ticket`` object of a bulk ``update_many?ids=``: tags added and removed, never a whole
    list (Zendesk documents additional_tags/remove_tags for this form without contradiction)."""
    ticket: dict[str, Any] = {}
    if update.add_tags:
        ticket["additional_tags"] = list(update.add_tags)
    if update.remove_tags:
        ticket["remove_tags"] = list(update.remove_tags)
    if update.custom_fields:
        ticket["custom_fields"] = custom_fields_payload(update.custom_fields)
    if update.comment_body:
        ticket["comment"] = {"body": update.comment_body, "public": update.comment_public}
    if not ticket:
        raise ValueError("BulkUpdate changes nothing: set tags, custom fields or a comment")
    return {"ticket": ticket}


def job_results(results: object) -> dict[int, str | None]:
    """Ticket id → None (updated) or the error, from a job status's `results`.

    Recorded successes are ``{"action": "update", "status": "Updated", "success": true, "id": 3862}``;
    an older documented form adds ``"errors": ""``. A failure is ``success: false`` (or a status other
    than Updated/Created, or a non-empty error) with ``error``/``errors``/``details`` saying why.
    """
    outcomes: dict[int, str | None] = {}
    for item in results if isinstance(results, list) else []:
        if not isinstance(item, Mapping) or isinstance(item.get("id"), bool) or not isinstance(item.get("id"), int):
            continue
        error = item.get("error") or item.get("errors")
        ok = item.get("success")
        if not isinstance(ok, bool):
            ok = item.get("status") in ("Updated", "Created") and not error
        if ok:
            outcomes[item["id"]] = None
        else:
            parts = [str(part) for part in (error, item.get("details")) if part]
            outcomes[item["id"]] = ": ".join(parts) or str(item.get("status") or "failed")
    return outcomes


def create_payload(new: NewTicket) -> dict[str, Any]:
    """A new ticket with no requester: the API user becomes requester, so no customer is emailed.

    ``due_at`` is sent as full ISO text: zenpy would cut a datetime down to its date.
    """
    ticket: dict[str, Any] = {
        "type": new.ticket_type,
        "subject": new.subject,
        "comment": {"body": new.comment_body, "public": new.comment_public},
    }
    optional: dict[str, Any] = {
        "due_at": zendesk_time(new.due_at) if new.due_at is not None else None,
        "group_id": new.group_id,
        "tags": list(new.tags) or None,
        "external_id": new.external_id,
        "custom_fields": custom_fields_payload(new.custom_fields) or None,
    }
    ticket.update((key, value) for key, value in optional.items() if value is not None)
    return {"ticket": ticket}


def export_start(since: datetime, now: datetime) -> int:
    """Unix start_time for the incremental export: naive means UTC, never inside the last minute."""
    if since.tzinfo is None:
        since = since.replace(tzinfo=timezone.utc)
    return max(0, int(min(since, now - EXPORT_LAG).timestamp()))


def check_id(value: int) -> int:
    """A positive int id, so nothing else can reach a URL path."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"expected a positive integer id, got {value!r}")
    return value


# --- admin records (install, doctor) --------------------------------------------------------


@dataclass(frozen=True)
class AdminKind:
    """One admin collection: zenpy's API attribute and the JSON keys Zendesk wraps records in."""

    api: str
    singular: str
    plural: str


#: The admin collections `install` manages, by our name for the kind.
ADMIN_KINDS: Mapping[str, AdminKind] = {
    "group": AdminKind("groups", "group", "groups"),
    "ticket_field": AdminKind("ticket_fields", "ticket_field", "ticket_fields"),
    "trigger": AdminKind("triggers", "trigger", "triggers"),
    "view": AdminKind("views", "view", "views"),
    "macro": AdminKind("macros", "macro", "macros"),
    "webhook": AdminKind("webhooks", "webhook", "webhooks"),
}
#: Webhook ids are ULIDs ("01HANAHHBNJDDW768TX5J4YFX7"); other admin records have integer ids.
WEBHOOK_ID_PATTERN = re.compile(r"[0-9A-Za-z]{1,64}")
#: Records per list page (Zendesk's maximum for cursor pagination).
ADMIN_PAGE_SIZE = 100


def admin_kind(kind: str) -> AdminKind:
    """The collection for `kind`; a ValueError names the known ones."""
    try:
        return ADMIN_KINDS[kind]
    except KeyError:
        raise ValueError(f"unknown admin record kind {kind!r}; expected one of {sorted(ADMIN_KINDS)}") from None


def check_record_id(kind: str, value: str | int) -> str | int:
    """A record id that can only ever be one URL path segment."""
    if kind == "webhook":
        text = str(value)
        if not WEBHOOK_ID_PATTERN.fullmatch(text):
            raise ValueError(f"expected a webhook id (letters and digits), got {value!r}")
        return text
    if isinstance(value, str):
        if not value.isdigit():
            raise ValueError(f"expected a numeric {kind} id, got {value!r}")
        value = int(value)
    return check_id(value)


def check_account(account: Account) -> None:
    """Refuse an account we could not call, or could call at the wrong host."""
    if not SUBDOMAIN_PATTERN.fullmatch(account.subdomain.lower()):
        raise errors.ConfigError(f"Zendesk subdomain {account.subdomain!r} is not a valid subdomain")
    if not account.email or not account.api_token:
        raise errors.ConfigError(f"Zendesk account {account.subdomain!r} needs an email and an API token")
    if account.api_url is not None:
        parts = urlsplit(account.api_url)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            raise errors.ConfigError(f"Zendesk api_url {account.api_url!r} must be http(s)://host[:port][/path]")


# --- the client -----------------------------------------------------------------------------


class ZendeskClient:
    """`HelpdeskClient` for one Zendesk account; raises only errors.py types."""

    def __init__(self, account: Account, timeout: float = 10.0) -> None:
        check_account(account)
        if not timeout > 0:
            raise ValueError("timeout must be a positive number of seconds")
        self._subdomain = account.subdomain.lower()
        self._api_url = account.api_url
        self._session = ZendeskSession(self._subdomain, account.api_url, timeout)
        # zenpy still needs the subdomain to build URLs; the session re-routes them to api_url.
        self._zenpy = zenpy.Zenpy(
            subdomain=self._subdomain,
            email=account.email,
            token=account.api_token,
            session=self._session,
            timeout=timeout,
            disable_cache=True,
        )
        self._tickets = self._zenpy.tickets
        self._users = self._zenpy.users

    def __repr__(self) -> str:
        return f"ZendeskClient(subdomain={self._subdomain!r}, api_url={self._api_url!r})"

    @property
    def calls(self) -> int:
        """HTTP requests sent so far (each page, each failure): for tests and API-economy checks."""
        return self._session.calls

    @property
    def last_rate_limit(self) -> RateLimitInfo | None:
        """The account's budget, from the rate-limit headers of the latest answer that had any."""
        return self._session.last_rate_limit

    @property
    def ticket_update_limit(self) -> RateLimitInfo | None:
        """Zendesk's Update Ticket budget (`zendesk-rate-limit-tickets-update`), when it was reported."""
        return self._session.endpoint_limits.get(TICKET_UPDATES)

    def endpoint_limit(self, name: str) -> RateLimitInfo | None:
        """An endpoint's own budget as last reported (e.g. "webhooks", "per-ticket-updates")."""
        return self._session.endpoint_limits.get(name)

    def close(self) -> None:
        """Release the connection pool."""
        self._session.close()

    def get_ticket(self, ticket_id: int) -> Ticket:
        """GET /api/v2/tickets/{id}.json."""
        body = self._call("GET", self._url(self._tickets.endpoint(id=check_id(ticket_id))))
        return ticket_from_json(object_of(body, "ticket"))

    def list_comments(self, ticket_id: int) -> list[Comment]:
        """Every comment, oldest first, following cursor pages (100 a page)."""
        first = self._url(self._tickets.endpoint.comments(check_id(ticket_id), cursor_pagination=True))
        return [comment_from_json(item) for item in self._collect(first, "comments")]

    def get_user(self, user_id: int) -> User:
        """GET /api/v2/users/{id}.json."""
        body = self._call("GET", self._url(self._users.endpoint(id=check_id(user_id))))
        return user_from_json(object_of(body, "user"))

    def update_ticket(self, ticket_id: int, update: TicketUpdate) -> Ticket:
        """ONE PUT /api/v2/tickets/{id}.json with only what `update` sets; the ticket as saved."""
        url = self._url(self._tickets.endpoint(id=check_id(ticket_id)))
        body = self._call("PUT", url, update_payload(update))
        return ticket_from_json(object_of(body, "ticket"))

    def create_ticket(self, ticket: NewTicket) -> Ticket:
        """POST /api/v2/tickets.json (a review task); the ticket as created."""
        body = self._call("POST", self._url(self._tickets.endpoint()), create_payload(ticket))
        return ticket_from_json(object_of(body, "ticket"))

    def find_tickets_by_external_id(self, external_id: str) -> list[Ticket]:
        """GET /api/v2/tickets.json?external_id=..., all pages."""
        if not external_id:
            raise ValueError("external_id is empty")
        # zenpy's Url joins query values unescaped: quote them here.
        url = self._url(self._tickets.endpoint(external_id=quote(external_id, safe="")))
        return [ticket_from_json(item) for item in self._collect(url, "tickets")]

    def changed_tickets(self, since: datetime, cursor: str | None = None) -> TicketPage:
        """One page of the cursor-based incremental export: by start_time first, then by cursor."""
        export = self._tickets.endpoint.incremental
        if cursor:
            endpoint = export.cursor(cursor=quote(cursor, safe=""))
        else:
            endpoint = export.cursor_start(start_time=export_start(since, utc_now()))
        return ticket_page_from_json(self._call("GET", self._url(endpoint)), cursor)

    def satisfaction_ratings(self, start: datetime, end: datetime, cursor: str | None = None) -> NativeRatingPage:
        """GET /api/v2/satisfaction_ratings.json?start_time=&end_time= (Unix seconds; agents may read it),
        one cursor page (`page[size]`, `meta.has_more`, `links.next`); `cursor` is the next page's URL."""
        if cursor is not None:
            if not urlsplit(cursor).path.removesuffix(".json").endswith("/api/v2/satisfaction_ratings"):
                raise ValueError("not a satisfaction ratings page URL")
            url = cursor
        else:
            endpoint = self._zenpy.satisfaction_ratings.endpoint(start_time=int(start.timestamp()),
                                                                  end_time=int(end.timestamp()))
            url = self._url(endpoint)
        body = self._call("GET", url)
        ratings = [native_rating_from_json(item) for item in items_of(body, "satisfaction_ratings")]
        return NativeRatingPage(ratings=ratings, cursor=next_page_url(body))

    def satisfaction_rating(self, rating_id: int) -> NativeRating:
        """GET /api/v2/satisfaction_ratings/{id}.json: one rating whole (a ticket's copy has no reason)."""
        url = self._url(Url(f"satisfaction_ratings/{check_id(rating_id)}.json"))
        return native_rating_from_json(object_of(self._call("GET", url), "satisfaction_rating"))

    def update_many(self, update: BulkUpdate) -> str:
        """PUT /api/v2/tickets/update_many.json?ids=...: the same change for up to 100 tickets.
        Zendesk queues it and answers with a job status to poll."""
        ids = [check_id(ticket_id) for ticket_id in update.ticket_ids]
        if not 1 <= len(ids) <= MAX_BULK or len(set(ids)) != len(ids):
            raise ValueError(f"a bulk update takes 1 to {MAX_BULK} distinct tickets, got {len(ids)}")
        url = self._url(self._tickets.endpoint(update_many=True)) + "?ids=" + ",".join(map(str, ids))
        body = self._call("PUT", url, bulk_payload(update))
        job = object_of(body, "job_status")
        job_id = job.get("id")
        if not isinstance(job_id, str) or not job_id:
            raise errors.Permanent("update_many answered without a job id", code="bad_response")
        return job_id

    def batch_status(self, job_id: str) -> BatchStatus:
        """GET /api/v2/job_statuses/{id}.json: done when `completed` (or failed/killed); each ticket's
        outcome from `results` (see `job_results`)."""
        url = self._url(self._zenpy.job_status.endpoint(id=quote(job_id, safe="")))
        job = object_of(self._call("GET", url), "job_status")
        status = str(job.get("status") or "")
        return BatchStatus(done=status in ("completed", "failed", "killed"), results=job_results(job.get("results")))

    def ticket_url(self, ticket_id: int) -> str:
        """The agent-facing page of a ticket."""
        return AGENT_TICKET_URL.format(subdomain=self._subdomain, ticket_id=check_id(ticket_id))

    # --- admin records: install and doctor ---------------------------------------------------

    def get_me(self) -> Mapping[str, Any]:
        """GET /api/v2/users/me.json: who these credentials are (the credentials check)."""
        body = self._call("GET", self._url(self._users.endpoint.me()))
        return object_of(body, "user")

    def list_records(self, kind: str) -> list[Mapping[str, Any]]:
        """Every record of an admin collection (groups, ticket_fields, ...), all cursor pages."""
        spec = admin_kind(kind)
        endpoint = getattr(self._zenpy, spec.api).endpoint
        first = endpoint(page_size=ADMIN_PAGE_SIZE) if kind == "webhook" else endpoint(
            cursor_pagination=ADMIN_PAGE_SIZE)
        return self._collect(self._url(first), spec.plural)

    def get_record(self, kind: str, record_id: str | int) -> Mapping[str, Any] | None:
        """One admin record; None when Zendesk no longer has it (404)."""
        spec = admin_kind(kind)
        try:
            body = self._call("GET", self._record_url(kind, record_id))
        except errors.TicketNotFound:  # every 404 is typed TicketNotFound by `error_for_response`
            return None
        return object_of(body, spec.singular)

    def create_record(self, kind: str, fields: Mapping[str, Any]) -> Mapping[str, Any]:
        """POST one admin record (``{"trigger": {...}}``); the record as created, with its id."""
        spec = admin_kind(kind)
        url = self._url(getattr(self._zenpy, spec.api).endpoint())
        return object_of(self._call("POST", url, {spec.singular: dict(fields)}), spec.singular)

    def update_record(self, kind: str, record_id: str | int, fields: Mapping[str, Any]) -> None:
        """PUT one admin record in place (webhooks answer 204 without a body, the rest 200)."""
        spec = admin_kind(kind)
        self._send("PUT", self._record_url(kind, record_id), {spec.singular: dict(fields)})

    def delete_record(self, kind: str, record_id: str | int) -> bool:
        """DELETE one admin record; False when it was already gone (404)."""
        try:
            self._send("DELETE", self._record_url(kind, record_id))
        except errors.TicketNotFound:
            return False
        return True

    def webhook_signing_secret(self, webhook_id: str) -> str:
        """GET /api/v2/webhooks/{id}/signing_secret: the secret deliveries are signed with."""
        url = self._url(self._zenpy.webhooks.endpoint.secret(id=check_record_id("webhook", webhook_id)))
        secret = object_of(self._call("GET", url), "signing_secret").get("secret")
        if not isinstance(secret, str) or not secret:
            raise errors.Permanent("Zendesk's signing_secret answer has no secret", code="bad_response")
        return secret

    def webhook_invocations(self, webhook_id: str) -> list[Mapping[str, Any]]:
        """The newest page of a webhook's invocations (Zendesk sorts newest first)."""
        endpoint = self._zenpy.webhooks.endpoint.invocations(id=check_record_id("webhook", webhook_id))
        return items_of(self._call("GET", self._url(endpoint)), "invocations")

    def _record_url(self, kind: str, record_id: str | int) -> str:
        """The URL of one admin record (zenpy's endpoint table; no ``.json`` for webhooks)."""
        endpoint = getattr(self._zenpy, admin_kind(kind).api).endpoint
        return self._url(endpoint(id=check_record_id(kind, record_id)))

    def _send(self, method: str, url: str, payload: Mapping[str, Any] | None = None) -> requests.Response:
        """One exchange whose answer may have no body (204); the session has typed any non-2xx."""
        options: dict[str, Any] = {"timeout": self._session.timeout}
        if payload is not None:
            options["json"] = payload
        send = getattr(self._session, method.lower())
        with translated_errors(f"{method} {urlsplit(url).path}"):
            response: requests.Response = self._tickets._call_api(send, url, **options)
            return response

    def _url(self, endpoint: Any) -> str:
        """zenpy's URL for one of its endpoint objects (always on the canonical host)."""
        with translated_errors("build URL"):
            return str(self._tickets._build_url(endpoint))

    def _call(self, method: str, url: str, payload: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
        """One exchange through zenpy's call path; the session has already typed any non-2xx."""
        options: dict[str, Any] = {"timeout": self._session.timeout}
        if payload is not None:
            options["json"] = payload
        send = getattr(self._session, method.lower())
        with translated_errors(f"{method} {urlsplit(url).path}"):
            return json_object(self._tickets._call_api(send, url, **options))

    def _collect(self, first_url: str, key: str) -> list[Mapping[str, Any]]:
        """``key`` items of every page from `first_url` on, with a guard against link loops."""
        items: list[Mapping[str, Any]] = []
        url: str | None = first_url
        seen: set[str] = set()
        while url is not None:
            if url in seen or len(seen) >= MAX_PAGES:
                where = urlsplit(first_url).path
                raise errors.Permanent(f"pagination of {where} does not end", code="bad_response")
            seen.add(url)
            body = self._call("GET", url)
            items.extend(items_of(body, key))
            url = next_page_url(body)
        return items
