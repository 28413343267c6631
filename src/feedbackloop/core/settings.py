"""Settings: the only reader of the environment and `.env`; validated once, at start.

A missing or malformed setting stops the program with a message naming it. Tests and the
demo build `Settings` explicitly instead of touching the environment.
"""

from __future__ import annotations

import importlib.util
import ipaddress
import math
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar, overload
from urllib.parse import urlsplit

from feedbackloop.core.errors import ConfigError
from feedbackloop.helpdesks.base import Account

DEFAULT_DATABASE_URL = "sqlite:///feedbackloop.db"
T = TypeVar("T")
DEFAULT_PORT = 8000
SCALES = ("five", "thumbs")
#: What the survey asks (issue 24, ces.py): CSAT, the customer effort score, or CES on the page after CSAT.
SURVEY_KINDS = ("csat", "ces", "csat+ces")
#: Whose satisfaction survey a ticket gets (docs/zendesk-csat.md): ours, Zendesk's own, or ours on the
#: channels in FEEDBACKLOOP_SURVEY_OURS_CHANNELS and Zendesk's elsewhere.
SURVEY_SOURCES = ("feedbackloop", "zendesk", "both")
#: The survey's look and language for the env-configured account (branding.py reads and checks them).
LOOK_ENV = ("FEEDBACKLOOP_BRAND_NAME", "FEEDBACKLOOP_LOGO_URL", "FEEDBACKLOOP_ACCENT_COLOR", "FEEDBACKLOOP_SURVEY_STYLE",
            "FEEDBACKLOOP_SURVEY_ORDER", "FEEDBACKLOOP_SURVEY_QUESTION", "FEEDBACKLOOP_SURVEY_LABELS",
            "FEEDBACKLOOP_LANGUAGE")
#: The admin token opens the dashboard and the admin API: long enough not to be guessed online.
MIN_ADMIN_TOKEN = 24


@dataclass(frozen=True)
class Settings:
    """Every knob of the service. Durations are seconds."""

    database_url: str = DEFAULT_DATABASE_URL
    secret_key: str = ""
    public_url: str = f"http://127.0.0.1:{DEFAULT_PORT}"
    admin_token: str | None = None
    survey_delay: float = 86400
    survey_cooldown: float = 604800
    survey_scale: str = "five"
    survey_kind: str = "csat"  # csat | ces | csat+ces (ces.py)
    # issue 23: whose CSAT survey runs (SURVEY_SOURCES), and in `both` the channels that get ours
    survey_source: str = "feedbackloop"
    survey_ours_channels: tuple[str, ...] = ()
    survey_expiry: float = 28 * 86400
    survey_reminder: float | None = None
    # a click on a rating link waits this long for bot evidence or a change before it counts (answers.py);
    # 0 counts a click at once (no defence against mail scanners beyond their user agents and HEAD)
    rating_settle: float = 300
    reopen_window: float = 86400
    review_due: float = 172800
    webhook_max_skew: float = 300
    exclude_email_domains: tuple[str, ...] = ()
    exclude_organization_ids: tuple[int, ...] = ()
    zendesk: Account | None = None
    review_group_id: int | None = None
    csat_field_id: int | None = None
    # the AI agent and the fields it (or the installer) uses in Zendesk (issue 3)
    ai_user_ids: tuple[int, ...] = ()
    ai_resolved_tag: str = "ai_resolved"
    override_tag: str = "ai_override"
    intent_field_id: int | None = None
    confidence_field_id: int | None = None
    override_reason_field_id: int | None = None
    root_cause_field_id: int | None = None
    recontact_window: float = 7 * 86400
    app_public_key: str | None = None  # the Zendesk app's RS256 public key (PEM), for the sidebar
    app_audience: str | None = None  # the app installation URL Zendesk puts in the JWT's `aud`
    encryption_key: str | None = None  # Fernet key(s) for tenant secrets at rest, newest first
    helpdesk_timeout: float = 10.0  # seconds per helpdesk API call; a slower answer is retried later
    rate_reserve: float = 0.2  # share of the account's API budget left for people and other tools
    # Zendesk's Update Ticket limit (requests per minute per account, shared with agents' updates in
    # the Zendesk UI): the figure when Zendesk sends no `zendesk-rate-limit-tickets-update` header,
    # and the share of it we leave to the agents. See pacing.py.
    ticket_update_limit: int = 100
    ticket_update_reserve: float = 0.5
    bulk_job_limit: int = 10  # of Zendesk's 30 queued-or-running background jobs per account, ours at most
    job_max_attempts: int = 8
    job_lease: float = 120
    poll_interval: float = 1.0
    # public endpoints: requests per minute per client IP (survey, sidebar load) and refused webhook
    # signatures per minute per tenant; 0 turns a limit off. See ratelimit.py.
    rate_limit_survey: int = 60
    rate_limit_sidebar: int = 120
    rate_limit_webhook_failures: int = 30
    rate_limit_login_failures: int = 10
    trusted_proxy_hops: int = 0  # reverse proxies in front of us that append X-Forwarded-For
    reconcile_interval: float = 600
    metrics_token: str | None = None  # operability: bearer for /metrics from off the loopback
    # cost per resolution, AI against human (costs.py): an agent-hour's cost, an assumed handling time
    agent_hour_cost: float | None = None
    agent_handling_minutes: float | None = None
    cost_currency: str = "USD"
    demo: bool = False
    extra: Mapping[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:  # never print secrets
        return f"Settings(database_url={redact_url(self.database_url)!r}, public_url={self.public_url!r}, demo={self.demo})"

    def with_(self, **changes: object) -> Settings:
        """A copy with some fields changed (tests, the demo)."""
        return replace(self, **changes)  # type: ignore[arg-type]


def redact_url(url: str) -> str:
    """A database URL with its password hidden, for logs."""
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@")
    return url


# --- reading: every problem at once ---------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One setting that stops the program (`error`) or deserves a look (`warning`)."""

    setting: str
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return self.message


class ConfigProblems(ConfigError):
    """Every configuration error found in one read; the message lists them all."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        if len(self.problems) == 1:
            text = self.problems[0].message
        else:
            text = f"{len(self.problems)} settings need fixing:\n" + "\n".join(f"  - {p.message}" for p in self.problems)
        super().__init__(text)


class Env(Mapping[str, str]):
    """The merged environment while Settings are read from it.

    It remembers every name the code asked for (so `feedbackloop config check` can list every
    setting) and collects problems instead of stopping at the first, so an admin learns about all
    of them in one run. `sources` says where each value came from (`environment`, `.env`).
    """

    def __init__(self, values: Mapping[str, str], sources: Mapping[str, str] | None = None) -> None:
        self._values = dict(values)
        self.sources = dict(sources or {})
        self.read: dict[str, None] = {}  # names asked for, in order
        self.defaults: dict[str, str] = {}  # the value used when a name is unset, as text
        self.problems: list[Problem] = []

    def __getitem__(self, key: str) -> str:
        return self._values[key]

    @overload
    def get(self, key: str) -> str | None: ...

    @overload
    def get(self, key: str, default: str) -> str: ...

    @overload
    def get(self, key: str, default: T) -> str | T: ...

    def get(self, key: str, default: object = None) -> object:
        """A setting's value; `key` counts as read (iterating, e.g. items(), does not)."""
        self.read.setdefault(key, None)
        return self._values.get(key, default)

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self.read.setdefault(key, None)
        return key in self._values

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def source(self, name: str) -> str:
        """Where the value of `name` came from: environment, .env, or default (not set)."""
        if not self._values.get(name, "").strip():
            return "default"
        return self.sources.get(name, "environment")

    def problem(self, setting: str, message: str, severity: str = "error") -> None:
        self.problems.append(Problem(setting, message, severity))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def raise_errors(self) -> None:
        if self.errors:
            raise ConfigProblems(self.errors)


def _env(env: Mapping[str, str]) -> Env:
    return env if isinstance(env, Env) else Env(env)


def _default(env: Mapping[str, str], name: str, value: object) -> None:
    """Remember what an unset `name` means, for `feedbackloop config check`."""
    if isinstance(env, Env) and value not in (None, ""):
        env.defaults[name] = f"{value:g}" if isinstance(value, float) else str(value)


def _text(env: Mapping[str, str], name: str, default: str | None = None) -> str | None:
    _default(env, name, default)
    return env.get(name, "").strip() or default


#: The longest duration a seconds setting takes: ten years. Beyond it a date plus the setting would leave
#: the calendar Python can hold (year 9999) or mean nothing a helpdesk needs ("1e300" was taken once).
MAX_SECONDS = 10 * 365 * 86400


def _number(env: Mapping[str, str], name: str, default: float | None, minimum: float = 0) -> float | None:
    """A number of seconds from `minimum` to MAX_SECONDS; unset or empty: `default`. "nan", "inf" and anything
    out of range are problems named with the expected form (they were taken as given once: a survey delay of
    "nan" never came due)."""
    _default(env, name, default)
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        _env(env).problem(name, f"{name} must be a number of seconds (e.g. 86400 for a day), got {raw!r}")
        return default
    if not minimum <= value <= MAX_SECONDS:
        _env(env).problem(name, f"{name} must be from {minimum:g} to {MAX_SECONDS} seconds (ten years), got {raw!r}")
        return default
    return value


def _admin_token(env: Mapping[str, str]) -> str | None:
    """FEEDBACKLOOP_ADMIN_TOKEN: unset (the dashboard and admin API are off) or at least MIN_ADMIN_TOKEN long."""
    name = "FEEDBACKLOOP_ADMIN_TOKEN"
    token = _text(env, name)
    if token is not None and len(token) < MIN_ADMIN_TOKEN:
        _env(env).problem(name, f"{name} is too short ({len(token)} characters): use at least {MIN_ADMIN_TOKEN} "
                                "random characters, e.g. the output of "
                                "python3 -c \"import secrets; print(secrets.token_urlsafe(32))\"")
        return None
    return token


def _count(env: Mapping[str, str], name: str, default: int) -> int:
    """A whole number of at least 0 (a rate limit per minute, a count of proxies)."""
    _default(env, name, default)
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit():
        _env(env).problem(name, f"{name} must be a whole number of at least 0 (0 turns it off; e.g. {default}), "
                                f"got {raw!r}")
        return default
    return int(raw)


def _positive(env: Mapping[str, str], name: str, default: int) -> int:
    """A whole number of at least 1 (a rate limit that cannot be turned off, a number of attempts)."""
    _default(env, name, default)
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        _env(env).problem(name, f"{name} must be a whole number of at least 1 (e.g. {default}), got {raw!r}")
        return default
    return int(raw)


def _integer(env: Mapping[str, str], name: str) -> int | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    if not raw.isascii() or not raw.isdigit():
        _env(env).problem(name, f"{name} must be a Zendesk id, a positive whole number (e.g. 360001234567; "
                                f"`feedbackloop install` prints it), got {raw!r}")
        return None
    return int(raw)


def _ids(env: Mapping[str, str], name: str) -> tuple[int, ...]:
    values = _csv(env, name)
    bad = [v for v in values if not (v.isascii() and v.isdigit())]
    if bad:
        _env(env).problem(name, f"{name} must be a comma-separated list of Zendesk ids (e.g. 1234567,7654321), "
                                f"got {bad[0]!r}")
        return ()
    return tuple(int(v) for v in values)


def _survey_source(env: Env) -> str:
    """FEEDBACKLOOP_SURVEY_SOURCE, one of SURVEY_SOURCES (a bad value is a problem; the default applies)."""
    source = env.get("FEEDBACKLOOP_SURVEY_SOURCE", "feedbackloop").strip().lower() or "feedbackloop"
    if source not in SURVEY_SOURCES:
        env.problem("FEEDBACKLOOP_SURVEY_SOURCE", f"FEEDBACKLOOP_SURVEY_SOURCE must be one of "
                    f"{', '.join(SURVEY_SOURCES)} (e.g. zendesk), got {source!r}")
        return "feedbackloop"
    return source


def _csv(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    return tuple(part.strip().lower() for part in env.get(name, "").split(",") if part.strip())


def _check_http_url(name: str, value: str, *, loopback_http_only: bool) -> str:
    """`value` as an http(s) URL without a trailing slash; raises ConfigError naming `name`."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{name} must be an http(s) URL (e.g. https://feedback.example.com), got {value!r}")
    if loopback_http_only and parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ConfigError(f"{name} may use plain http only to a loopback address (e.g. http://127.0.0.1:8025); "
                          f"use https, got {value!r}")
    return value.rstrip("/")


def _http_url(env: Mapping[str, str], name: str, value: str, default: str, *, loopback_http_only: bool) -> str:
    try:
        return _check_http_url(name, value, loopback_http_only=loopback_http_only)
    except ConfigError as exc:
        _env(env).problem(name, str(exc))
        return default


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# --- the database ---------------------------------------------------------------------------------

DATABASE_URL_FORM = ("sqlite:///feedbackloop.db (a file in this folder), sqlite:////var/lib/feedbackloop/db.sqlite "
                     "(an absolute path) or postgresql+psycopg://USER:PASSWORD@HOST:5432/DATABASE")


def _database_url(env: Mapping[str, str], name: str = "FEEDBACKLOOP_DATABASE_URL") -> str:
    """The database URL, checked now (a typo is one line here, not a traceback at the first query).

    `postgres://` and a driverless `postgresql://` mean psycopg 3, the driver the `postgres` extra
    installs (SQLAlchemy's default for them is psycopg2, which we do not ship).
    """
    _default(env, name, DEFAULT_DATABASE_URL)
    raw = env.get(name, "").strip()
    if not raw:
        return DEFAULT_DATABASE_URL
    problem = _database_url_problem(raw)
    if problem:
        _env(env).problem(name, f"{name} {problem}; expected e.g. {DATABASE_URL_FORM}; got {redact_url(raw)!r}")
        return DEFAULT_DATABASE_URL
    return _with_psycopg(raw)


def _database_url_problem(url: str) -> str | None:
    match = re.match(r"^([A-Za-z0-9_]+)(?:\+([A-Za-z0-9_]+))?://", url)
    if not match:
        return "is not a database URL"
    backend, driver = match.group(1).lower(), (match.group(2) or "").lower()
    if backend not in ("sqlite", "postgresql", "postgres"):
        return f"names {backend!r}: only SQLite and PostgreSQL are supported"
    if backend == "sqlite":
        return _sqlite_path_problem(url)
    if driver not in ("", "psycopg"):
        return f"names the driver {driver!r}: use psycopg (postgresql+psycopg://), the driver feedbackloop installs"
    if importlib.util.find_spec("psycopg") is None:
        return "needs the PostgreSQL driver: pip install 'helpdesk-feedbackloop[postgres]'"
    rest = url.split("://", 1)[1]
    if not rest.split("?")[0].rsplit("@", 1)[-1].split("/")[0]:
        return "names no host"
    return None


def _sqlite_path_problem(url: str) -> str | None:
    path = url.split("://", 1)[1]
    if not path.startswith("/"):
        return "needs three slashes before a file name (sqlite:///feedbackloop.db)"
    path = path[1:].split("?")[0]
    if path in ("", ":memory:") or path.startswith("file:"):
        return None
    folder = Path(path).expanduser().parent
    if not folder.is_dir():
        return f"points into a folder that does not exist ({folder})"
    return None


def _with_psycopg(url: str) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def is_sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL names (None for another database or an in-memory one)."""
    if not url.startswith("sqlite"):
        return None
    path = url.split("://", 1)[1][1:].split("?")[0]
    if path in ("", ":memory:") or path.startswith("file:"):
        return None
    return Path(path).expanduser()


# --- Zendesk --------------------------------------------------------------------------------------

SUBDOMAIN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
ZENDESK_REQUIRED = {
    "ZENDESK_SUBDOMAIN": "your Zendesk account's subdomain, e.g. acme for https://acme.zendesk.com",
    "ZENDESK_EMAIL": "the email of the Zendesk admin the API token belongs to, e.g. bot@acme.com",
    "ZENDESK_API_TOKEN": "an API token from Admin Center > Apps and integrations > APIs > Zendesk API > "
                         "Add API token (token access enabled), e.g. 0aBcD1eFgH2iJkL3mNoP4qRsT5uVwX6yZ7a8B9c0",
}


def _subdomain(env: Mapping[str, str], value: str) -> str:
    name = "ZENDESK_SUBDOMAIN"
    if SUBDOMAIN.match(value.lower()):
        return value.lower()
    host = urlsplit(value if "://" in value else f"https://{value}").hostname or ""
    guess = host.split(".")[0] if host.endswith(".zendesk.com") else None
    hint = f" (use {guess})" if guess and SUBDOMAIN.match(guess) else ""
    _env(env).problem(name, f"{name} must be the subdomain only, e.g. acme for https://acme.zendesk.com; "
                            f"got {value!r}{hint}")
    return value


def check_account(subdomain: str, email: str) -> list[str]:
    """What is wrong with a Zendesk subdomain and email given elsewhere (`tenant add`), as messages."""
    reading = Env({})
    _subdomain(reading, subdomain)
    _email(reading, email)
    return [p.message for p in reading.problems]


def _email(env: Mapping[str, str], value: str) -> str:
    name = "ZENDESK_EMAIL"
    if value.endswith("/token"):
        _env(env).problem(name, f"{name} is the email alone, without /token (feedbackloop adds it), e.g. bot@acme.com; "
                                f"got {value!r}")
    elif not re.match(r"^[^@\s]+@[^@\s]+$", value):
        _env(env).problem(name, f"{name} must be an email address (the admin the API token belongs to), "
                                f"e.g. bot@acme.com; got {value!r}")
    return value


def _zendesk_account(env: Mapping[str, str], demo: bool) -> Account | None:
    names = (*ZENDESK_REQUIRED, "ZENDESK_WEBHOOK_SECRET")
    values = {n: env.get(n, "").strip() for n in names}
    if demo and not any(values.values()):
        return None
    for missing in (n for n in ZENDESK_REQUIRED if not values[n]):
        _env(env).problem(missing, f"{missing} is required: {ZENDESK_REQUIRED[missing]} "
                                   "(set it in the environment or .env)")
    if values["ZENDESK_SUBDOMAIN"]:
        values["ZENDESK_SUBDOMAIN"] = _subdomain(env, values["ZENDESK_SUBDOMAIN"])
    if values["ZENDESK_EMAIL"]:
        _email(env, values["ZENDESK_EMAIL"])
    api_url = _text(env, "ZENDESK_API_URL")
    if api_url:
        api_url = _http_url(env, "ZENDESK_API_URL", api_url, "", loopback_http_only=True) or None
    # ZENDESK_WEBHOOK_SECRET is optional: `feedbackloop install` stores each webhook's own secret and the
    # receiver verifies with that; this one is for a webhook made by hand (or deliveries without the
    # X-Zendesk-Webhook-Id header). Empty, it verifies nothing: such a delivery is refused.
    return Account(
        subdomain=values["ZENDESK_SUBDOMAIN"],
        email=values["ZENDESK_EMAIL"],
        api_token=values["ZENDESK_API_TOKEN"],
        webhook_secret=values["ZENDESK_WEBHOOK_SECRET"],
        api_url=api_url,
    )


# --- all of it ------------------------------------------------------------------------------------


def settings_from_env(env: Mapping[str, str], *, demo: bool = False, port: int = DEFAULT_PORT) -> Settings:
    """Validate `env` into Settings; raise ConfigProblems (a ConfigError) naming every bad variable.

    To add a setting: a field on `Settings`, one line below with the helper for its kind (`_number`,
    `_count`, `_integer`, `_text`, ...), and a row in docs/admins/configuration.md and
    config.example.env (tests/test_docs.py checks both).
    """
    reading = _env(env)
    settings = build_settings(reading, demo=demo, port=port)
    reading.raise_errors()
    return settings


def build_settings(env: Env, *, demo: bool = False, port: int = DEFAULT_PORT) -> Settings:
    """Settings from `env`, with each bad value replaced by its default and noted in `env.problems`."""
    secret_key = env.get("FEEDBACKLOOP_SECRET_KEY", "").strip()
    if not secret_key and not demo:
        env.problem("FEEDBACKLOOP_SECRET_KEY", "FEEDBACKLOOP_SECRET_KEY is required: a long random string that signs "
                    "survey links, e.g. the output of python3 -c \"import secrets; print(secrets.token_urlsafe(48))\"")
    elif secret_key and len(secret_key) < 16:
        env.problem("FEEDBACKLOOP_SECRET_KEY", "FEEDBACKLOOP_SECRET_KEY is too short: use at least 16 random characters "
                    "(e.g. the output of python3 -c \"import secrets; print(secrets.token_urlsafe(48))\")")
    scale = env.get("FEEDBACKLOOP_SURVEY_SCALE", "five").strip().lower() or "five"
    if scale not in SCALES:
        env.problem("FEEDBACKLOOP_SURVEY_SCALE",
                    f"FEEDBACKLOOP_SURVEY_SCALE must be one of {', '.join(SCALES)} (e.g. five), got {scale!r}")
        scale = "five"
    kind = env.get("FEEDBACKLOOP_SURVEY_KIND", "csat").strip().lower() or "csat"
    if kind not in SURVEY_KINDS:
        env.problem("FEEDBACKLOOP_SURVEY_KIND",
                    f"FEEDBACKLOOP_SURVEY_KIND must be one of {', '.join(SURVEY_KINDS)} (e.g. csat+ces), got {kind!r}")
        kind = "csat"
    _default(env, "FEEDBACKLOOP_SURVEY_KIND", "csat")
    default_public_url = f"http://127.0.0.1:{port}"
    _default(env, "FEEDBACKLOOP_PUBLIC_URL", default_public_url)
    _default(env, "FEEDBACKLOOP_SURVEY_SCALE", "five")
    public_url = env.get("FEEDBACKLOOP_PUBLIC_URL", "").strip() or default_public_url
    reminder = _number(env, "FEEDBACKLOOP_SURVEY_REMINDER", None)
    return Settings(
        database_url=_database_url(env),
        secret_key=secret_key,
        public_url=_http_url(env, "FEEDBACKLOOP_PUBLIC_URL", public_url, default_public_url, loopback_http_only=False),
        admin_token=_admin_token(env),
        survey_delay=_number(env, "FEEDBACKLOOP_SURVEY_DELAY", 86400) or 0,
        survey_cooldown=_number(env, "FEEDBACKLOOP_SURVEY_COOLDOWN", 604800) or 0,
        survey_scale=scale,
        survey_kind=kind,
        survey_source=_survey_source(env),
        survey_ours_channels=_csv(env, "FEEDBACKLOOP_SURVEY_OURS_CHANNELS"),
        survey_expiry=_number(env, "FEEDBACKLOOP_SURVEY_EXPIRY", 28 * 86400, minimum=60) or 0,
        survey_reminder=reminder if reminder else None,
        rating_settle=_number(env, "FEEDBACKLOOP_RATING_SETTLE", 300) or 0,
        reopen_window=_number(env, "FEEDBACKLOOP_REOPEN_WINDOW", 86400) or 0,
        review_due=_number(env, "FEEDBACKLOOP_REVIEW_DUE", 172800) or 0,
        webhook_max_skew=_number(env, "FEEDBACKLOOP_WEBHOOK_MAX_SKEW", 300, minimum=1) or 300,
        exclude_email_domains=_csv(env, "FEEDBACKLOOP_EXCLUDE_EMAIL_DOMAINS"),
        exclude_organization_ids=_ids(env, "FEEDBACKLOOP_EXCLUDE_ORGANIZATION_IDS"),
        zendesk=_zendesk_account(env, demo),
        review_group_id=_integer(env, "ZENDESK_REVIEW_GROUP_ID"),
        csat_field_id=_integer(env, "ZENDESK_CSAT_FIELD_ID"),
        reconcile_interval=_number(env, "FEEDBACKLOOP_RECONCILE_INTERVAL", 600, minimum=10) or 600,
        # insight: CSAT drop alerts and the alert webhook, validated by alerts.alert_config
        # ... the exports' system prompt (exports/prompts.py, issue 18), and the survey's look and language
        # (FEEDBACKLOOP_BRAND_NAME ..., checked by branding.look_of; issue 19)
        extra={k: v for k, v in env.items()
               if k.startswith(("FEEDBACKLOOP_ALERT_", "FEEDBACKLOOP_SYSTEM_PROMPT")) or k in LOOK_ENV},
        ai_user_ids=_ids(env, "FEEDBACKLOOP_AI_USER_IDS"),
        ai_resolved_tag=_text(env, "FEEDBACKLOOP_AI_RESOLVED_TAG", "ai_resolved") or "ai_resolved",
        intent_field_id=_integer(env, "ZENDESK_INTENT_FIELD_ID"),
        confidence_field_id=_integer(env, "ZENDESK_CONFIDENCE_FIELD_ID"),
        override_reason_field_id=_integer(env, "ZENDESK_OVERRIDE_REASON_FIELD_ID"),
        root_cause_field_id=_integer(env, "ZENDESK_ROOT_CAUSE_FIELD_ID"),
        recontact_window=_number(env, "FEEDBACKLOOP_RECONTACT_WINDOW", 7 * 86400) or 0,
        app_public_key=_pem(env, "ZENDESK_APP_PUBLIC_KEY"),
        app_audience=_text(env, "ZENDESK_APP_AUDIENCE"),
        encryption_key=_fernet_keys(env, "FEEDBACKLOOP_ENCRYPTION_KEY"),
        rate_reserve=_share(env, "FEEDBACKLOOP_RATE_RESERVE", 0.2),
        ticket_update_limit=_positive(env, "FEEDBACKLOOP_TICKET_UPDATE_LIMIT", 100),
        ticket_update_reserve=_share(env, "FEEDBACKLOOP_TICKET_UPDATE_RESERVE", 0.5),
        bulk_job_limit=_count(env, "FEEDBACKLOOP_BULK_JOB_LIMIT", 10),
        helpdesk_timeout=_number(env, "FEEDBACKLOOP_HELPDESK_TIMEOUT", 10.0, minimum=1) or 10.0,
        job_lease=_number(env, "FEEDBACKLOOP_JOB_LEASE", 120, minimum=1) or 120,
        job_max_attempts=_positive(env, "FEEDBACKLOOP_JOB_MAX_ATTEMPTS", 8),
        poll_interval=_number(env, "FEEDBACKLOOP_POLL_INTERVAL", 1.0, minimum=0.05) or 1.0,
        rate_limit_survey=_count(env, "FEEDBACKLOOP_RATE_LIMIT_SURVEY", 60),
        rate_limit_sidebar=_count(env, "FEEDBACKLOOP_RATE_LIMIT_SIDEBAR", 120),
        rate_limit_webhook_failures=_count(env, "FEEDBACKLOOP_RATE_LIMIT_WEBHOOK_FAILURES", 30),
        rate_limit_login_failures=_count(env, "FEEDBACKLOOP_RATE_LIMIT_LOGIN_FAILURES", 10),
        trusted_proxy_hops=_count(env, "FEEDBACKLOOP_TRUSTED_PROXY_HOPS", 0),
        metrics_token=_text(env, "FEEDBACKLOOP_METRICS_TOKEN"),  # operability
        agent_hour_cost=_amount(env, "FEEDBACKLOOP_AGENT_HOUR_COST", "an agent-hour's full cost, e.g. 38.50"),
        agent_handling_minutes=_amount(env, "FEEDBACKLOOP_AGENT_HANDLING_MINUTES",
                                       "minutes of agent work per ticket, e.g. 12"),
        cost_currency=_text(env, "FEEDBACKLOOP_COST_CURRENCY", "USD") or "USD",
        demo=demo,
    )


def _amount(env: Mapping[str, str], name: str, example: str) -> float | None:
    """An optional positive number (unset: None)."""
    raw = env.get(name, "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not (value > 0 and value < 1e9):
        _env(env).problem(name, f"{name} must be a positive number ({example}), got {raw[:40]!r}")
        return None
    return value


def _share(env: Mapping[str, str], name: str, default: float) -> float:
    _default(env, name, default)
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        _env(env).problem(name, f"{name} must be a share between 0 and 0.9 (e.g. 0.2), got {raw!r}")
        return default
    if not 0 <= value <= 0.9:
        _env(env).problem(name, f"{name} must be between 0 and 0.9 (e.g. 0.2), got {raw!r}")
        return default
    return value


def _fernet_keys(env: Mapping[str, str], name: str) -> str | None:
    """Comma-separated Fernet keys (newest first), checked now so a typo stops the start."""
    raw = env.get(name, "").strip()
    if not raw:
        return None
    import base64
    import binascii

    for key in (k.strip() for k in raw.split(",")):
        try:
            ok = len(base64.urlsafe_b64decode(key.encode())) == 32
        except (binascii.Error, ValueError):
            ok = False
        if not ok:
            _env(env).problem(name, f"{name} must be Fernet keys (32 url-safe base64 bytes, 44 characters), "
                                    "comma-separated, newest first; make one with `feedbackloop tenant keygen`")
            return None
    return raw


def _pem(env: Mapping[str, str], name: str) -> str | None:
    """A PEM given inline (newlines may be written as \\n in .env) or as @/path/to/key.pem."""
    raw = env.get(name, "").strip()
    if not raw:
        return None
    if raw.startswith("@"):
        try:
            raw = Path(raw[1:]).read_text()
        except OSError as exc:
            _env(env).problem(name, f"{name}: cannot read {raw[1:]}: {exc.strerror} "
                                    "(expected @/path/to/key.pem or the PEM inline)")
            return None
    raw = raw.replace("\\n", "\n")
    if "-----BEGIN PUBLIC KEY-----" not in raw:
        _env(env).problem(name, f"{name} must be a PEM public key (-----BEGIN PUBLIC KEY-----...) or @path to one, "
                                "e.g. @/etc/feedbackloop/zendesk-app.pem")
        return None
    return raw


# --- settings read outside `settings_from_env` (alerts, the web server's worker): one parser each -----

SWITCH_ON = ("1", "true", "yes", "on")
SWITCH_OFF = ("0", "false", "no", "off")


def switch(env: Mapping[str, str], name: str, default: bool) -> bool:
    """An on/off setting: 1, true, yes, on or 0, false, no, off (any case); unset or empty: `default`.
    Anything else is a ConfigError naming the setting, not a silent default (a typo'd "of" must not leave
    a feature on)."""
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in SWITCH_ON:
        return True
    if raw in SWITCH_OFF:
        return False
    raise ConfigError(f"{name} must be 1 or 0 (on or off), got {raw!r}")


def positive_seconds(env: Mapping[str, str], name: str, default: float) -> float:
    """A number of seconds above zero (e.g. 10 or 2.5); unset or empty: `default`; anything else a ConfigError."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not 0 < value < math.inf:
        raise ConfigError(f"{name} must be a number of seconds above 0 (e.g. 10), got {raw!r}")
    return value


def header_timeout(env: Mapping[str, str]) -> float:
    """FEEDBACKLOOP_HEADER_TIMEOUT: seconds a client has to send its request head to the threaded worker (10)."""
    return positive_seconds(env, "FEEDBACKLOOP_HEADER_TIMEOUT", 10.0)


def webhook_lane(env: Mapping[str, str]) -> bool:
    """FEEDBACKLOOP_WEBHOOK_LANE: the threaded worker's webhook lane, on unless set to 0 (or false, no, off)."""
    return switch(env, "FEEDBACKLOOP_WEBHOOK_LANE", True)


# --- logging (operability): read before, and apart from, the rest, so a bad setting is logged --

LOG_FORMATS = ("json", "text")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


@dataclass(frozen=True)
class LogSettings:
    """How a process logs: `format` None means text on a terminal, JSON otherwise."""

    format: str | None = None
    level: str = "INFO"


def log_settings_from_env(env: Mapping[str, str]) -> LogSettings:
    """FEEDBACKLOOP_LOG_FORMAT and FEEDBACKLOOP_LOG_LEVEL, validated."""
    log_format = env.get("FEEDBACKLOOP_LOG_FORMAT", "").strip().lower() or None
    if log_format is not None and log_format not in LOG_FORMATS:
        raise ConfigError(f"FEEDBACKLOOP_LOG_FORMAT must be one of {', '.join(LOG_FORMATS)} (e.g. json), "
                          f"got {log_format!r}")
    level = env.get("FEEDBACKLOOP_LOG_LEVEL", "").strip().upper() or "INFO"
    if level not in LOG_LEVELS:
        raise ConfigError(f"FEEDBACKLOOP_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)} (e.g. INFO), got {level!r}")
    return LogSettings(format=log_format, level=level)


def load_log_settings(dotenv_path: str | None = None) -> LogSettings:
    """The logging settings from `.env` and the environment (the environment wins)."""
    return log_settings_from_env(read_env(dotenv_path))


def read_env(dotenv_path: str | None = None) -> Env:
    """`.env` (in the current folder) under the real environment, remembering where each value came from."""
    from dotenv import dotenv_values

    path = dotenv_path or ".env"
    file_values = {k: v for k, v in dotenv_values(path).items() if v is not None}
    sources = {k: path for k in file_values}
    sources.update({k: "environment" for k in os.environ})
    return Env({**file_values, **os.environ}, sources)


def load_settings(*, demo: bool = False, port: int = DEFAULT_PORT, dotenv_path: str | None = None) -> Settings:
    """Read `.env` (without overriding the real environment), then validate the environment."""
    return settings_from_env(read_env(dotenv_path), demo=demo, port=port)
