"""Rate limits on the public endpoints: small token buckets held in this process.

- Survey pages (``/s/<token>``, GET/HEAD/POST): ``FEEDBACKLOOP_RATE_LIMIT_SURVEY`` requests per
  minute per client IP (default 60).
- The sidebar's load (``/zendesk/sidebar``): ``FEEDBACKLOOP_RATE_LIMIT_SIDEBAR`` per minute per
  client IP (default 120; an office of agents shares one address).
- Dashboard login: only *wrong tokens* count, ``FEEDBACKLOOP_RATE_LIMIT_LOGIN_FAILURES`` per minute
  per client IP (default 10). Once spent, every attempt is refused (429) before the token is
  compared, so a guesser learns nothing until the bucket refills.
- Webhooks: only *refused signatures* count, ``FEEDBACKLOOP_RATE_LIMIT_WEBHOOK_FAILURES`` per minute
  per tenant (default 30). Once a tenant's budget is spent a bad signature is answered 429 instead
  of 401. A valid signature is checked first and never limited: Zendesk retries a 429, so limiting
  real deliveries would only pile retries up behind the flood.

A bucket holds `limit` tokens and refills `limit` per minute, so a burst of `limit` passes at
once; 0 turns a limit off. A refusal is a 429 with ``Retry-After`` (seconds until the next token)
and a reason: JSON for webhooks, a page for people.

The buckets live in this process. With several gunicorn workers each has its own, so the
effective limit is per worker (up to workers × limit for one client): enough to blunt a flood,
with no shared store to run. Keys are bounded (least recently used dropped past `MAX_KEYS`), so a
spray of addresses or tenant names cannot grow memory without end; IPv6 clients are keyed by
their /64, which one host can otherwise rotate through at will.

The client IP is the socket's peer address. Behind reverse proxies set
``FEEDBACKLOOP_TRUSTED_PROXY_HOPS`` to their number: the client is then the address the outermost
of them saw (that many entries from the right of ``X-Forwarded-For``). Never set it without such a
proxy: a client could then name a fresh address on every request.
"""

from __future__ import annotations

import ipaddress
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app, request
from werkzeug.exceptions import TooManyRequests

from feedbackloop.core.settings import Settings
from feedbackloop.wiring.services import services_of

EXTENSION = "feedbackloop.wiring.ratelimit"
MAX_KEYS = 10_000
WINDOW_SECONDS = 60.0
#: Endpoint → the limit (per client IP) its requests spend.
IP_LIMITED_ENDPOINTS = {
    "ratings.survey_page": "survey",
    "ratings.survey_submit": "survey",
    "sidebar.load": "sidebar",
    "sidebar.load_without_token": "sidebar",
}
TOO_MANY = {
    "survey": "Too many requests from your network. Please wait a moment and try again",
    "sidebar": "Too many sidebar loads from your network. Please wait a moment and reload",
    "webhook_failures": "too many webhooks with a bad signature for this account",
    "login_failures": "Too many wrong admin tokens from your network. Please wait and try again",
}


class RateLimited(TooManyRequests):
    """A 429 whose Retry-After is the wait for the next token, in whole seconds."""

    def __init__(self, reason: str, wait: float) -> None:
        seconds = max(1, math.ceil(wait))
        super().__init__(description=f"{reason} (retry after {seconds} s).", retry_after=seconds)


@dataclass
class Bucket:
    tokens: float
    updated: float


class TokenBuckets:
    """The buckets of one limit, by key; thread-safe and bounded."""

    def __init__(self, per_minute: int, max_keys: int = MAX_KEYS) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / WINDOW_SECONDS
        self.max_keys = max_keys
        self._buckets: OrderedDict[str, Bucket] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str, now: float) -> float:
        """Spend one token: 0.0 when granted, else the seconds until one is available."""
        with self._lock:
            bucket = self._buckets.pop(key, None)
            tokens = self.capacity if bucket is None else min(
                self.capacity, bucket.tokens + max(0.0, now - bucket.updated) * self.rate)
            wait = 0.0 if tokens >= 1 else (1 - tokens) / self.rate
            self._buckets[key] = Bucket(tokens - 1 if wait == 0.0 else tokens, now)  # now the most recent
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
            return wait

    def wait(self, key: str, now: float) -> float:
        """The seconds until `key` has a token (0.0: it has one now), spending nothing."""
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                return 0.0
            tokens = min(self.capacity, bucket.tokens + max(0.0, now - bucket.updated) * self.rate)
            return 0.0 if tokens >= 1 else (1 - tokens) / self.rate


class RateLimiter:
    """An app's buckets, one set per configured limit, and how to tell clients apart."""

    def __init__(self, settings: Settings, clock: Callable[[], float] = time.monotonic) -> None:
        limits = {"survey": settings.rate_limit_survey, "sidebar": settings.rate_limit_sidebar,
                  "webhook_failures": settings.rate_limit_webhook_failures,
                  "login_failures": settings.rate_limit_login_failures}
        self.buckets = {name: TokenBuckets(limit) for name, limit in limits.items() if limit > 0}
        self.proxy_hops = settings.trusted_proxy_hops
        self.clock = clock

    def spend(self, name: str, key: str) -> None:
        """Spend one of `key`'s tokens of limit `name`; RateLimited when there is none."""
        self._limit(name, key, spend=True)

    def check(self, name: str, key: str) -> None:
        """RateLimited when `key` has no token of limit `name` left; spends nothing."""
        self._limit(name, key, spend=False)

    def _limit(self, name: str, key: str, *, spend: bool) -> None:
        buckets = self.buckets.get(name)
        if buckets is None:
            return  # this limit is off
        now = self.clock()
        wait = buckets.take(key, now) if spend else buckets.wait(key, now)
        if wait > 0:
            raise RateLimited(TOO_MANY[name], wait)


def register_rate_limits(app: Flask) -> None:
    """Buckets for this app, and the per-IP check in front of the public pages."""
    app.extensions[EXTENSION] = RateLimiter(services_of(app).settings)
    app.before_request(limit_public_pages)


def limit_public_pages() -> None:
    """Before the survey page and the sidebar load: one token of the client's bucket."""
    name = IP_LIMITED_ENDPOINTS.get(request.endpoint or "")
    if name is not None:
        limiter = limiter_of(current_app)
        limiter.spend(name, client_key(limiter.proxy_hops))


def count_failed_signature(tenant_id: str) -> None:
    """Called for each refused webhook signature: RateLimited (429) once the tenant's budget is spent."""
    limiter_of(current_app).spend("webhook_failures", tenant_id)


def guard_login() -> None:
    """Before comparing an admin token: 429 while this client's wrong-token budget is spent."""
    limiter = limiter_of(current_app)
    limiter.check("login_failures", client_key(limiter.proxy_hops))


def count_failed_login() -> None:
    """After a wrong admin token: spend one of the client's tokens."""
    limiter = limiter_of(current_app)
    limiter.spend("login_failures", client_key(limiter.proxy_hops))


def limiter_of(app: Flask) -> RateLimiter:
    limiter: RateLimiter = app.extensions[EXTENSION]
    return limiter


def client_key(proxy_hops: int) -> str:
    """The client's address (a /64 for IPv6), as the socket or the trusted proxies saw it."""
    address = request.remote_addr or ""
    if proxy_hops > 0:
        forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",") if part.strip()]
        if len(forwarded) >= proxy_hops:
            address = forwarded[-proxy_hops]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:100] or "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)
