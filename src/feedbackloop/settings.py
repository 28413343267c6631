"""Settings: the only reader of the environment and `.env`; validated once, at start.

A missing or malformed setting stops the program with a message naming it. Tests and the
demo build `Settings` explicitly instead of touching the environment.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from pathlib import Path
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from feedbackloop.errors import ConfigError
from feedbackloop.helpdesks.base import Account

DEFAULT_DATABASE_URL = "sqlite:///feedbackloop.db"
DEFAULT_PORT = 8000
SCALES = ("five", "thumbs")


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
    survey_expiry: float = 28 * 86400
    survey_reminder: float | None = None
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


def _number(env: Mapping[str, str], name: str, default: float | None, minimum: float = 0) -> float | None:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum:g}, got {raw!r}")
    return value


def _count(env: Mapping[str, str], name: str, default: int) -> int:
    """A whole number of at least 0 (a rate limit per minute, a count of proxies)."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit():
        raise ConfigError(f"{name} must be a whole number of at least 0 (0 turns it off), got {raw!r}")
    return int(raw)


def _positive(env: Mapping[str, str], name: str, default: int) -> int:
    """A whole number of at least 1 (a rate limit that cannot be turned off)."""
    value = _count(env, name, default)
    if value < 1:
        raise ConfigError(f"{name} must be a whole number of at least 1, got {env.get(name)!r}")
    return value


def _integer(env: Mapping[str, str], name: str) -> int | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise ConfigError(f"{name} must be a positive whole number (a Zendesk id), got {raw!r}")
    return int(raw)


def _csv(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    return tuple(part.strip().lower() for part in env.get(name, "").split(",") if part.strip())


def _check_http_url(name: str, value: str, *, loopback_http_only: bool) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{name} must be an http(s) URL, got {value!r}")
    if loopback_http_only and parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ConfigError(f"{name} may use plain http only to a loopback address, got {value!r}")
    return value.rstrip("/")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _zendesk_account(env: Mapping[str, str], demo: bool) -> Account | None:
    names = ("ZENDESK_SUBDOMAIN", "ZENDESK_EMAIL", "ZENDESK_API_TOKEN", "ZENDESK_WEBHOOK_SECRET")
    values = {n: env.get(n, "").strip() for n in names}
    if demo and not any(values.values()):
        return None
    missing = [n for n in names if not values[n]]
    if missing:
        raise ConfigError(f"{missing[0]} is required (set it in the environment or .env)")
    api_url = env.get("ZENDESK_API_URL", "").strip() or None
    if api_url:
        api_url = _check_http_url("ZENDESK_API_URL", api_url, loopback_http_only=True)
    return Account(
        subdomain=values["ZENDESK_SUBDOMAIN"],
        email=values["ZENDESK_EMAIL"],
        api_token=values["ZENDESK_API_TOKEN"],
        webhook_secret=values["ZENDESK_WEBHOOK_SECRET"],
        api_url=api_url,
    )


def settings_from_env(env: Mapping[str, str], *, demo: bool = False, port: int = DEFAULT_PORT) -> Settings:
    """Validate `env` into Settings; raise ConfigError naming the first bad variable."""
    secret_key = env.get("FEEDBACKLOOP_SECRET_KEY", "").strip()
    if not secret_key and not demo:
        raise ConfigError("FEEDBACKLOOP_SECRET_KEY is required (a long random string; it signs survey links)")
    if secret_key and len(secret_key) < 16:
        raise ConfigError("FEEDBACKLOOP_SECRET_KEY is too short: use at least 16 random characters")
    scale = env.get("FEEDBACKLOOP_SURVEY_SCALE", "five").strip().lower() or "five"
    if scale not in SCALES:
        raise ConfigError(f"FEEDBACKLOOP_SURVEY_SCALE must be one of {', '.join(SCALES)}, got {scale!r}")
    public_url = env.get("FEEDBACKLOOP_PUBLIC_URL", "").strip() or f"http://127.0.0.1:{port}"
    reminder = _number(env, "FEEDBACKLOOP_SURVEY_REMINDER", None)
    return Settings(
        database_url=env.get("FEEDBACKLOOP_DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL,
        secret_key=secret_key,
        public_url=_check_http_url("FEEDBACKLOOP_PUBLIC_URL", public_url, loopback_http_only=False),
        admin_token=env.get("FEEDBACKLOOP_ADMIN_TOKEN", "").strip() or None,
        survey_delay=_number(env, "FEEDBACKLOOP_SURVEY_DELAY", 86400) or 0,
        survey_cooldown=_number(env, "FEEDBACKLOOP_SURVEY_COOLDOWN", 604800) or 0,
        survey_scale=scale,
        survey_expiry=_number(env, "FEEDBACKLOOP_SURVEY_EXPIRY", 28 * 86400, minimum=60) or 0,
        survey_reminder=reminder if reminder else None,
        reopen_window=_number(env, "FEEDBACKLOOP_REOPEN_WINDOW", 86400) or 0,
        review_due=_number(env, "FEEDBACKLOOP_REVIEW_DUE", 172800) or 0,
        webhook_max_skew=_number(env, "FEEDBACKLOOP_WEBHOOK_MAX_SKEW", 300, minimum=1) or 300,
        exclude_email_domains=_csv(env, "FEEDBACKLOOP_EXCLUDE_EMAIL_DOMAINS"),
        exclude_organization_ids=tuple(
            int(x) for x in _csv(env, "FEEDBACKLOOP_EXCLUDE_ORGANIZATION_IDS") if _require_digits("FEEDBACKLOOP_EXCLUDE_ORGANIZATION_IDS", x)
        ),
        zendesk=_zendesk_account(env, demo),
        review_group_id=_integer(env, "ZENDESK_REVIEW_GROUP_ID"),
        csat_field_id=_integer(env, "ZENDESK_CSAT_FIELD_ID"),
        reconcile_interval=_number(env, "FEEDBACKLOOP_RECONCILE_INTERVAL", 600, minimum=10) or 600,
        # insight: CSAT drop alerts and the alert webhook, validated by alerts.alert_config
        extra={k: v for k, v in env.items() if k.startswith("FEEDBACKLOOP_ALERT_")},
        ai_user_ids=tuple(
            int(x) for x in _csv(env, "FEEDBACKLOOP_AI_USER_IDS") if _require_digits("FEEDBACKLOOP_AI_USER_IDS", x)
        ),
        ai_resolved_tag=env.get("FEEDBACKLOOP_AI_RESOLVED_TAG", "").strip() or "ai_resolved",
        intent_field_id=_integer(env, "ZENDESK_INTENT_FIELD_ID"),
        confidence_field_id=_integer(env, "ZENDESK_CONFIDENCE_FIELD_ID"),
        override_reason_field_id=_integer(env, "ZENDESK_OVERRIDE_REASON_FIELD_ID"),
        root_cause_field_id=_integer(env, "ZENDESK_ROOT_CAUSE_FIELD_ID"),
        recontact_window=_number(env, "FEEDBACKLOOP_RECONTACT_WINDOW", 7 * 86400) or 0,
        app_public_key=_pem(env, "ZENDESK_APP_PUBLIC_KEY"),
        app_audience=env.get("ZENDESK_APP_AUDIENCE", "").strip() or None,
        encryption_key=_fernet_keys(env, "FEEDBACKLOOP_ENCRYPTION_KEY"),
        rate_reserve=_share(env, "FEEDBACKLOOP_RATE_RESERVE", 0.2),
        ticket_update_limit=_positive(env, "FEEDBACKLOOP_TICKET_UPDATE_LIMIT", 100),
        ticket_update_reserve=_share(env, "FEEDBACKLOOP_TICKET_UPDATE_RESERVE", 0.5),
        bulk_job_limit=_count(env, "FEEDBACKLOOP_BULK_JOB_LIMIT", 10),
        helpdesk_timeout=_number(env, "FEEDBACKLOOP_HELPDESK_TIMEOUT", 10.0, minimum=1) or 10.0,
        job_lease=_number(env, "FEEDBACKLOOP_JOB_LEASE", 120, minimum=1) or 120,
        job_max_attempts=int(_number(env, "FEEDBACKLOOP_JOB_MAX_ATTEMPTS", 8, minimum=1) or 8),
        poll_interval=_number(env, "FEEDBACKLOOP_POLL_INTERVAL", 1.0, minimum=0.05) or 1.0,
        rate_limit_survey=_count(env, "FEEDBACKLOOP_RATE_LIMIT_SURVEY", 60),
        rate_limit_sidebar=_count(env, "FEEDBACKLOOP_RATE_LIMIT_SIDEBAR", 120),
        rate_limit_webhook_failures=_count(env, "FEEDBACKLOOP_RATE_LIMIT_WEBHOOK_FAILURES", 30),
        rate_limit_login_failures=_count(env, "FEEDBACKLOOP_RATE_LIMIT_LOGIN_FAILURES", 10),
        trusted_proxy_hops=_count(env, "FEEDBACKLOOP_TRUSTED_PROXY_HOPS", 0),
        metrics_token=env.get("FEEDBACKLOOP_METRICS_TOKEN", "").strip() or None,  # operability
        demo=demo,
    )


def _share(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a share between 0 and 0.9 (e.g. 0.2), got {raw!r}") from None
    if not 0 <= value <= 0.9:
        raise ConfigError(f"{name} must be between 0 and 0.9, got {raw!r}")
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
            raise ConfigError(f"{name} must be Fernet keys (32 url-safe base64 bytes), comma-separated; "
                              "make one with `feedbackloop tenant keygen`")
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
            raise ConfigError(f"{name}: cannot read {raw[1:]}: {exc.strerror}") from None
    raw = raw.replace("\\n", "\n")
    if "-----BEGIN PUBLIC KEY-----" not in raw:
        raise ConfigError(f"{name} must be a PEM public key (-----BEGIN PUBLIC KEY-----) or @path to one")
    return raw


def _require_digits(name: str, value: str) -> bool:
    if not value.isdigit():
        raise ConfigError(f"{name} must be a comma-separated list of Zendesk ids, got {value!r}")
    return True


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
        raise ConfigError(f"FEEDBACKLOOP_LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, got {log_format!r}")
    level = env.get("FEEDBACKLOOP_LOG_LEVEL", "").strip().upper() or "INFO"
    if level not in LOG_LEVELS:
        raise ConfigError(f"FEEDBACKLOOP_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, got {level!r}")
    return LogSettings(format=log_format, level=level)


def load_log_settings(dotenv_path: str | None = None) -> LogSettings:
    """The logging settings from `.env` and the environment (the environment wins)."""
    from dotenv import dotenv_values

    file_values = {k: v for k, v in dotenv_values(dotenv_path or ".env").items() if v is not None}
    return log_settings_from_env({**file_values, **os.environ})


def load_settings(*, demo: bool = False, port: int = DEFAULT_PORT, dotenv_path: str | None = None) -> Settings:
    """Read `.env` (without overriding the real environment), then validate the environment."""
    from dotenv import dotenv_values

    file_values = {k: v for k, v in dotenv_values(dotenv_path or ".env").items() if v is not None}
    merged = {**file_values, **os.environ}
    return settings_from_env(merged, demo=demo, port=port)
