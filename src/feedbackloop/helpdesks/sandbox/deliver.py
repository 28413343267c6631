"""Webhook delivery as Zendesk does it: Events-API envelopes, signed, sent from a queue.

What is copied from Zendesk (see /work/shared/zendesk-notes.md §1-§3):

* the envelope: ``account_id`` an int, ``detail`` with STRING ids and UPPER-CASE enums,
  ``time`` with nanoseconds, ``zendesk_event_version`` 2022-11-06;
* the headers: signature = base64(HMAC-SHA256(secret, timestamp + raw body)) via
  `signature.sign`, an ISO-8601 timestamp, webhook/invocation/account ids, ``Zendesk Webhook``;
* retries only for 409 (3 times), timeouts (5 times) and 429/503 whose Retry-After is under 60 s;
  anything else is final;
* best effort: deliveries can be duplicated, reordered or lost. The sandbox does none of that
  unless asked (`DeliveryOptions`), so tests can turn each one on by itself.

Delivery runs on one daemon thread, started by the first delivery (never at import), so API calls
answer at once; `Deliverer.flush` waits until everything queued has been sent. Zendesk itself sends
many invocations at once: `senders` > 1 does too (the benchmark's 10 000 tickets make ~100 000
webhooks; one at a time they would take longer than everything else), at the cost of queue order.
"""

from __future__ import annotations

import heapq
import itertools
import json
import random
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, timezone
from typing import Any

import requests

from feedbackloop.helpdesks.sandbox.shapes import JSON, event_time, ulid
from feedbackloop.helpdesks.zendesk.signature import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    format_timestamp,
    sign,
)

EVENT_VERSION = "2022-11-06"
TICKET_EVENT = "zen:event-type:ticket.{name}"
USER_AGENT = "Zendesk Webhook"
#: Retries Zendesk makes per failure kind (409: 3, timeout: 5); 429/503 retries are capped too.
MAX_RETRIES = {"conflict": 3, "timeout": 5, "throttled": 5}
#: Zendesk retries 429/503 only when Retry-After is below this many seconds.
RETRY_AFTER_CEILING = 60.0
#: REST ``via.channel`` → the Events-API spelling, where they differ (API-made tickets say web_service).
EVENT_CHANNELS = {"api": "web_service"}


def now_utc() -> datetime:
    """Wall-clock time in UTC."""
    return datetime.now(timezone.utc)


# --- envelopes ------------------------------------------------------------------------------


def _text_id(value: object) -> str | None:
    """Ids in ``detail`` are strings; a missing one stays null."""
    return None if value is None else str(value)


def _upper(value: object) -> str | None:
    """Enums in ``detail`` are upper case (REST "solved" → "SOLVED")."""
    return str(value).upper() if value else None


def ticket_detail(ticket: Mapping[str, Any], actor_id: int | None) -> JSON:
    """The ``detail`` object of a ticket event, from a REST-shaped ticket."""
    via = ticket.get("via") or {}
    channel = str(via.get("channel") or "web_service")
    return {
        "actor_id": _text_id(actor_id),
        "assignee_id": _text_id(ticket.get("assignee_id")),
        "brand_id": _text_id(ticket.get("brand_id")),
        "created_at": ticket.get("created_at"),
        "custom_status": _text_id(ticket.get("custom_status_id")),
        "description": ticket.get("description"),
        "external_id": ticket.get("external_id"),
        "form_id": _text_id(ticket.get("ticket_form_id")),
        "group_id": _text_id(ticket.get("group_id")),
        "id": str(ticket["id"]),
        "is_public": bool(ticket.get("is_public", True)),
        "organization_id": _text_id(ticket.get("organization_id")),
        "priority": _upper(ticket.get("priority")),
        "requester_id": _text_id(ticket.get("requester_id")),
        "status": _upper(ticket.get("status")),
        "subject": ticket.get("subject"),
        "submitter_id": _text_id(ticket.get("submitter_id")),
        "tags": list(ticket.get("tags") or []),
        "type": _upper(ticket.get("type")),
        "updated_at": ticket.get("updated_at"),
        "via": {"channel": EVENT_CHANNELS.get(channel, channel)},
    }


def ticket_envelope(account_id: int, name: str, ticket: Mapping[str, Any], event: Mapping[str, Any],
                    actor_id: int | None, moment: datetime) -> JSON:
    """A ``zen:event-type:ticket.<name>`` envelope (e.g. name="status_changed")."""
    return {
        "account_id": account_id,
        "detail": ticket_detail(ticket, actor_id),
        "event": dict(event),
        "id": str(uuid.uuid4()),
        "subject": f"zen:ticket:{ticket['id']}",
        "time": event_time(moment),
        "type": TICKET_EVENT.format(name=name),
        "zendesk_event_version": EVENT_VERSION,
    }


def encode_body(envelope: Mapping[str, Any]) -> bytes:
    """The raw body: compact JSON with sorted keys, as in recorded deliveries."""
    return json.dumps(envelope, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode("utf-8")


# --- targets, options and records ------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """Where one webhook delivers: endpoint, signing secret and the event types it subscribes to."""

    webhook_id: str
    url: str
    secret: str
    subscriptions: frozenset[str]
    headers: Mapping[str, str] = field(default_factory=dict)  # authentication, custom headers

    def wants(self, event_type: str) -> bool:
        """Whether this target subscribes to `event_type`."""
        return event_type in self.subscriptions


@dataclass(frozen=True)
class DeliveryOptions:
    """Zendesk's "best effort", each part off by default so a test can turn on just one."""

    duplicate_share: float = 0.0  # share of invocations sent twice (second copy: new invocation id)
    drop_share: float = 0.0  # share of invocations lost outright
    shuffle: bool = False  # deliver in random order within `shuffle_window` seconds
    shuffle_window: float = 0.25
    timeout: float = 12.0  # Zendesk's documented delivery timeout
    retry_delay: float = 0.2  # wait before re-sending after 409/timeout (Zendesk's own backoff is undocumented)
    seed: int | None = None
    senders: int = 1  # invocations in flight at once; 1 sends in queue order

    def __post_init__(self) -> None:
        for name in ("duplicate_share", "drop_share"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1")
        if self.timeout <= 0 or self.shuffle_window < 0 or self.retry_delay < 0:
            raise ValueError("timeout must be positive; shuffle_window and retry_delay not negative")
        if self.senders < 1:
            raise ValueError("senders must be at least 1")

    @classmethod
    def names(cls) -> frozenset[str]:
        """The option names `Deliverer.configure` accepts."""
        return frozenset(f.name for f in fields(cls))


@dataclass(frozen=True)
class DeliveryRecord:
    """One attempt (or one dropped invocation), for tests and the demo to inspect."""

    invocation_id: str
    webhook_id: str
    url: str
    event_type: str
    event_id: str
    ticket_id: int | None
    attempt: int
    outcome: str  # delivered | retrying | failed | dropped
    status_code: int | None
    error: str | None
    at: datetime
    duplicate: bool
    headers: Mapping[str, str]
    body: bytes

    @property
    def envelope(self) -> JSON:
        """The delivered envelope, parsed."""
        parsed: JSON = json.loads(self.body)
        return parsed

    def to_json(self) -> JSON:
        """The record as /__sandbox/deliveries reports it."""
        return {
            "invocation_id": self.invocation_id, "webhook_id": self.webhook_id, "url": self.url,
            "event_type": self.event_type, "event_id": self.event_id, "ticket_id": self.ticket_id,
            "attempt": self.attempt, "outcome": self.outcome, "status_code": self.status_code,
            "error": self.error, "at": self.at.isoformat(), "duplicate": self.duplicate,
        }


@dataclass
class _Invocation:
    """One queued send of one envelope to one target; retries keep the invocation id."""

    target: Target
    body: bytes
    event_type: str
    event_id: str
    ticket_id: int | None
    invocation_id: str
    duplicate: bool
    attempt: int = 0
    retries: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class _Result:
    """What one POST came back with."""

    status_code: int | None
    retry_after: str | None
    error: str | None
    timed_out: bool


# --- the deliverer --------------------------------------------------------------------------


class Deliverer:
    """A queue of signed webhook invocations and the thread(s) that send them (`senders`)."""

    def __init__(self, options: DeliveryOptions | None = None, account_id: int = 0,
                 clock: Callable[[], datetime] = now_utc) -> None:
        self.account_id = account_id
        self._options = options or DeliveryOptions()
        self._rng = random.Random(self._options.seed)
        self._clock = clock
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, int, _Invocation]] = []
        self._order = itertools.count()
        self._in_flight = 0
        self._generation = 0
        self._records: list[DeliveryRecord] = []
        self._threads: list[threading.Thread] = []
        self._closed = False

    @property
    def options(self) -> DeliveryOptions:
        """The delivery options in force."""
        return self._options

    def configure(self, **changes: Any) -> DeliveryOptions:
        """Change delivery options (duplicate_share, drop_share, shuffle, seed, ...)."""
        unknown = set(changes) - DeliveryOptions.names()
        if unknown:
            raise ValueError(f"unknown delivery option(s): {', '.join(sorted(unknown))}")
        with self._cond:
            self._options = replace(self._options, **changes)
            if "seed" in changes:
                self._rng = random.Random(self._options.seed)
            return self._options

    def enqueue(self, target: Target, envelope: Mapping[str, Any]) -> None:
        """Queue one envelope for one target; maybe lose it, maybe send it twice (if configured)."""
        body = encode_body(envelope)
        ticket_id = _ticket_id(envelope)
        with self._cond:
            copies = 2 if self._rng.random() < self._options.duplicate_share else 1
            for copy in range(copies):
                invocation = _Invocation(target, body, str(envelope["type"]), str(envelope["id"]), ticket_id,
                                         ulid(), duplicate=copy > 0)
                if self._rng.random() < self._options.drop_share:
                    self._record_locked(invocation, "dropped", _Result(None, None, "lost (drop_share)", False), {})
                    continue
                jitter = self._rng.uniform(0, self._options.shuffle_window) if self._options.shuffle else 0.0
                self._push_locked(invocation, jitter)
            self._ensure_worker_locked()

    def enqueue_raw(self, target: Target, body: bytes, event_type: str, ticket_id: int | None) -> None:
        """Queue a trigger-connected webhook's body (rendered by the trigger, maybe not even valid JSON),
        with the same losses and duplicates as an envelope (`drop_share`, `duplicate_share`)."""
        with self._cond:
            copies = 2 if self._rng.random() < self._options.duplicate_share else 1
            for copy in range(copies):
                invocation = _Invocation(target, body, event_type, ulid(), ticket_id, ulid(), duplicate=copy > 0)
                if self._rng.random() < self._options.drop_share:
                    self._record_locked(invocation, "dropped", _Result(None, None, "lost (drop_share)", False), {})
                    continue
                self._push_locked(invocation, 0.0)
            self._ensure_worker_locked()

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until nothing is queued or in flight; False if `timeout` passed first."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._heap or self._in_flight:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(min(left, 0.05))
            return True

    def records(self) -> list[DeliveryRecord]:
        """Every attempt so far, oldest first."""
        with self._cond:
            return list(self._records)

    def reset(self, options: DeliveryOptions | None = None) -> None:
        """Forget queued invocations and records; an attempt in flight is not recorded."""
        with self._cond:
            self._heap.clear()
            self._records.clear()
            self._generation += 1
            self._options = options or DeliveryOptions()
            self._rng = random.Random(self._options.seed)
            self._cond.notify_all()

    def close(self) -> None:
        """Stop the sending thread(s) (queued invocations are abandoned)."""
        with self._cond:
            self._closed = True
            self._heap.clear()
            self._cond.notify_all()
            threads = list(self._threads)
        for thread in threads:
            if thread is not threading.current_thread():
                thread.join(timeout=2 * self._options.timeout)

    # --- worker ---------------------------------------------------------------------------

    def _push_locked(self, invocation: _Invocation, delay: float) -> None:
        heapq.heappush(self._heap, (time.monotonic() + delay, next(self._order), self._generation, invocation))
        self._cond.notify_all()

    def _ensure_worker_locked(self) -> None:
        while len(self._threads) < self._options.senders and not self._closed:
            thread = threading.Thread(target=self._run, name="sandbox-webhooks", daemon=True)
            self._threads.append(thread)
            thread.start()

    def _next_locked(self) -> tuple[int, _Invocation] | None:
        """Block until an invocation is due (or the deliverer closes, or has more senders than asked)."""
        while not self._closed:
            if len(self._threads) > self._options.senders:  # `senders` was lowered: this one stops
                self._threads.remove(threading.current_thread())
                return None
            if self._heap and self._heap[0][0] <= time.monotonic():
                _, _, generation, invocation = heapq.heappop(self._heap)
                self._in_flight += 1
                return generation, invocation
            wait = self._heap[0][0] - time.monotonic() if self._heap else None
            self._cond.wait(wait)
        return None

    def _run(self) -> None:
        while True:
            with self._cond:
                job = self._next_locked()
            if job is None:
                return
            generation, invocation = job
            try:
                self._attempt(invocation, generation)
            except Exception as exc:  # noqa: BLE001 - the worker must outlive any one delivery
                with self._cond:
                    self._record_locked(invocation, "failed", _Result(None, None, f"sandbox error: {exc!r}", False), {})
            finally:
                with self._cond:
                    self._in_flight -= 1
                    self._cond.notify_all()

    def _attempt(self, invocation: _Invocation, generation: int) -> None:
        """Send once, record it, and queue a retry when Zendesk would retry."""
        invocation.attempt += 1
        headers = self._headers(invocation)
        result = self._post(invocation.target.url, invocation.body, headers)
        retry = self._retry_delay(invocation, result)
        outcome = "retrying" if retry is not None else (
            "delivered" if result.status_code is not None and 200 <= result.status_code < 300 else "failed")
        with self._cond:
            if generation != self._generation or self._closed:
                return
            self._record_locked(invocation, outcome, result, headers)
            if retry is not None:
                self._push_locked(invocation, retry)

    def _headers(self, invocation: _Invocation) -> dict[str, str]:
        """Zendesk's delivery headers; the timestamp is the send time (wall clock) and is signed."""
        timestamp = format_timestamp(now_utc())
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            SIGNATURE_HEADER: sign(invocation.target.secret, timestamp, invocation.body),
            TIMESTAMP_HEADER: timestamp,
            "X-Zendesk-Account-Id": str(self.account_id),
            "X-Zendesk-Webhook-Id": invocation.target.webhook_id,
            "X-Zendesk-Webhook-Invocation-Id": invocation.invocation_id,
        }
        headers.update(invocation.target.headers)
        return headers

    def _post(self, url: str, body: bytes, headers: Mapping[str, str]) -> _Result:
        try:
            response = requests.post(url, data=body, headers=dict(headers), timeout=self._options.timeout,
                                     allow_redirects=False)
        except requests.Timeout as exc:
            return _Result(None, None, f"timeout: {type(exc).__name__}", True)
        except requests.RequestException as exc:
            return _Result(None, None, f"{type(exc).__name__}: {exc}"[:200], False)
        with response:
            return _Result(response.status_code, response.headers.get("Retry-After"), None, False)

    def _retry_delay(self, invocation: _Invocation, result: _Result) -> float | None:
        """Seconds until the retry Zendesk would make, or None for a final outcome."""
        kind, delay = _retry_kind(result, self._options.retry_delay)
        if kind is None:
            return None
        used = invocation.retries.get(kind, 0)
        if used >= MAX_RETRIES[kind]:
            return None
        invocation.retries[kind] = used + 1
        return delay

    def _record_locked(self, invocation: _Invocation, outcome: str, result: _Result,
                       headers: Mapping[str, str]) -> None:
        self._records.append(DeliveryRecord(
            invocation_id=invocation.invocation_id, webhook_id=invocation.target.webhook_id,
            url=invocation.target.url, event_type=invocation.event_type, event_id=invocation.event_id,
            ticket_id=invocation.ticket_id, attempt=invocation.attempt, outcome=outcome,
            status_code=result.status_code, error=result.error, at=self._clock(),
            duplicate=invocation.duplicate, headers=dict(headers), body=invocation.body,
        ))


def _retry_kind(result: _Result, retry_delay: float) -> tuple[str | None, float]:
    """Which of Zendesk's retry rules applies to an attempt, and after how long."""
    if result.timed_out:
        return "timeout", retry_delay
    if result.status_code == 409:
        return "conflict", retry_delay
    if result.status_code in (429, 503):
        seconds = _seconds(result.retry_after)
        if seconds is not None and seconds < RETRY_AFTER_CEILING:
            return "throttled", seconds
    return None, 0.0


def _seconds(value: str | None) -> float | None:
    """Retry-After as delta-seconds; None when absent or not a number."""
    try:
        seconds = float(value) if value is not None else None
    except ValueError:
        return None
    return max(0.0, seconds) if seconds is not None else None


def _ticket_id(envelope: Mapping[str, Any]) -> int | None:
    """The ticket an envelope is about (from ``subject`` ``zen:ticket:<id>``)."""
    subject = str(envelope.get("subject") or "")
    tail = subject.rsplit(":", 1)[-1]
    return int(tail) if subject.startswith("zen:ticket:") and tail.isdigit() else None
