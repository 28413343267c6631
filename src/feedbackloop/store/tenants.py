"""Many Zendesk accounts in one deployment: tenant records, their secrets encrypted at rest.

Credentials and webhook secrets are stored as Fernet ciphertext under FEEDBACKLOOP_ENCRYPTION_KEY.
The variable may hold several comma-separated keys: the first encrypts, all decrypt (MultiFernet),
so a key is rotated by putting the new one first, running `feedbackloop tenant rekey`, then
dropping the old one. The decisions-API token of a tenant is random, shown once, and stored only
as its SHA-256 (a random 32-byte token needs no slow hash).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackloop.core.branding import LOOK_KEYS, check_look
from feedbackloop.core.errors import ConfigError
from feedbackloop.core.settings import MAX_SECONDS, SCALES, SURVEY_KINDS, SURVEY_SOURCES, Settings
from feedbackloop.helpdesks.base import Account
from feedbackloop.store.models import DEFAULT_TENANT, Tenant

#: The survey's look (branding.py): kept in the tenant's overrides, read through settings.extra.
LOOK_OVERRIDES = tuple(name for name in LOOK_KEYS if name != "language")
TENANT_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
SUBDOMAIN = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
#: Settings a tenant may override, with how to read them from text.
OVERRIDABLE = ("survey_delay", "survey_cooldown", "survey_scale", "survey_kind", "survey_source", "survey_ours_channels",
               "language", *LOOK_OVERRIDES)
CHANNEL = re.compile(r"^[a-z0-9_]{1,40}$")


class Vault:
    """Encrypts and decrypts tenant secrets with the configured Fernet key(s)."""

    def __init__(self, keys: str | None) -> None:
        raw = [k.strip() for k in (keys or "").split(",") if k.strip()]
        if not raw:
            self._fernet: MultiFernet | None = None
            return
        try:
            self._fernet = MultiFernet([Fernet(k.encode()) for k in raw])
        except (ValueError, TypeError):
            raise ConfigError("FEEDBACKLOOP_ENCRYPTION_KEY must be Fernet keys (32 url-safe base64 bytes), "
                              "comma-separated; make one with `feedbackloop tenant keygen`") from None

    def _require(self) -> MultiFernet:
        if self._fernet is None:
            raise ConfigError("FEEDBACKLOOP_ENCRYPTION_KEY is not set: tenant secrets cannot be stored or read "
                              "(make a key with `feedbackloop tenant keygen`)")
        return self._fernet

    def encrypt(self, secret: str) -> str:
        return self._require().encrypt(secret.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self._require().decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken:
            raise ConfigError("a tenant secret cannot be decrypted with FEEDBACKLOOP_ENCRYPTION_KEY "
                              "(wrong or removed key?)") from None

    def rotate(self, token: str) -> str:
        """Re-encrypt under the first (newest) key."""
        try:
            return self._require().rotate(token.encode("ascii")).decode("ascii")
        except InvalidToken:
            raise ConfigError("a tenant secret cannot be decrypted with FEEDBACKLOOP_ENCRYPTION_KEY") from None


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_ingest_token() -> str:
    return "flt_" + secrets.token_urlsafe(32)


def check_tenant_id(tenant_id: str) -> str:
    if tenant_id == DEFAULT_TENANT:
        raise ConfigError(f"{DEFAULT_TENANT!r} is the env-configured account; choose another tenant name")
    if not TENANT_ID.fullmatch(tenant_id):  # not match(): "$" also matches before a trailing newline
        raise ConfigError(f"tenant name {tenant_id!r} must be 1-40 of a-z, 0-9 and '-', starting with a letter or digit")
    return tenant_id


def parse_overrides(values: Mapping[str, Any]) -> dict[str, Any]:
    """Validate per-tenant settings; a bad one is a ConfigError naming it."""
    result: dict[str, Any] = {}
    for name, value in values.items():
        if value is None:
            continue
        if name not in OVERRIDABLE:
            raise ConfigError(f"{name} cannot be set per tenant (only {', '.join(OVERRIDABLE)})")
        if name in ("survey_delay", "survey_cooldown"):
            try:
                number = float(value)
            except (TypeError, ValueError):
                raise ConfigError(f"{name} must be a number of seconds, got {value!r}") from None
            if not 0 <= number <= MAX_SECONDS:  # (NaN fails it too)
                raise ConfigError(f"{name} must be a number of seconds from 0 to {MAX_SECONDS} (ten years), "
                                  f"got {value!r}")
            result[name] = number
        elif name == "survey_scale":
            if value not in SCALES:
                raise ConfigError(f"survey_scale must be one of {', '.join(SCALES)}, got {value!r}")
            result[name] = value
        elif name == "survey_kind":
            if value not in SURVEY_KINDS:
                raise ConfigError(f"survey_kind must be one of {', '.join(SURVEY_KINDS)}, got {value!r}")
            result[name] = value
        elif name == "survey_source":
            if value not in SURVEY_SOURCES:
                raise ConfigError(f"survey_source must be one of {', '.join(SURVEY_SOURCES)}, got {value!r}")
            result[name] = value
        elif name == "survey_ours_channels":
            result[name] = parse_channels(value)
        elif name in LOOK_OVERRIDES:
            result[name] = check_look(name, value)
        else:
            text = str(value).strip().lower()
            if not re.match(r"^[a-z]{2}(-[a-z]{2})?$", text):
                raise ConfigError(f"language must look like 'en' or 'pt-br', got {value!r}")
            result[name] = text
    return result


def parse_channels(value: Any) -> list[str]:
    """`web,email` (or a list) as channel names, the REST API's `via.channel` values."""
    parts = value.split(",") if isinstance(value, str) else list(value) if isinstance(value, (list, tuple)) else None
    if parts is None:
        raise ConfigError(f"survey_ours_channels must be a comma-separated list of channels (e.g. web,email), got {value!r}")
    channels = [str(part).strip().lower() for part in parts if str(part).strip()]
    bad = [channel for channel in channels if not CHANNEL.fullmatch(channel)]
    if bad:
        raise ConfigError(f"survey_ours_channels must be channel names such as web, email, chat, got {bad[0]!r}")
    return channels


@dataclass(frozen=True)
class TenantConfig:
    """A tenant as the running service needs it: decrypted account, settings with overrides."""

    id: str
    account: Account
    settings: Settings


def get_tenant(session: Session, tenant_id: str) -> Tenant | None:
    return session.get(Tenant, tenant_id)


def is_active(session: Session, tenant_id: str) -> bool:
    """Whether a tenant is still served: the env-configured default always, others while their row exists
    (`tenant remove` deletes it; links and deliveries of a removed tenant record nothing)."""
    return tenant_id == DEFAULT_TENANT or get_tenant(session, tenant_id) is not None


def config_of(tenant: Tenant, base: Settings, vault: Vault) -> TenantConfig:
    account = Account(subdomain=tenant.subdomain, email=tenant.email, api_token=vault.decrypt(tenant.api_token),
                      webhook_secret=vault.decrypt(tenant.webhook_secret), api_url=tenant.api_url)
    extra_names = ("language", *LOOK_OVERRIDES)
    overrides = tenant.overrides or {}
    changes = {k: v for k, v in overrides.items() if k in OVERRIDABLE and k not in extra_names}
    if "survey_ours_channels" in changes:  # JSON keeps a list; Settings holds a tuple
        changes["survey_ours_channels"] = tuple(changes["survey_ours_channels"])
    settings = base.with_(zendesk=account, **changes)
    looks = {k: str(v) for k, v in overrides.items() if k in extra_names}
    if looks:  # the tenant's own look replaces the env's, key by key
        settings = settings.with_(extra={**settings.extra, **looks})
    return TenantConfig(tenant.id, account, settings)


def add_tenant(session: Session, vault: Vault, tenant_id: str, *, subdomain: str, email: str, api_token: str,
               webhook_secret: str, api_url: str | None, overrides: Mapping[str, Any], now: datetime) -> str:
    """Create a tenant; return its decisions-API token (shown once, stored hashed).

    Its parameters are the tenant row's columns.
    """
    check_tenant_id(tenant_id)
    if not SUBDOMAIN.fullmatch(subdomain):
        raise ConfigError(f"subdomain {subdomain!r} is not a Zendesk subdomain (the part before .zendesk.com)")
    if "@" not in email or len(email) > 200 or not email.isprintable():  # 200: the column's width
        raise ConfigError(f"email {email[:200]!r} is not an email address")
    if not api_token.strip() or not webhook_secret.strip():
        raise ConfigError("the API token and the webhook secret must not be empty")
    if api_url is not None and len(api_url) > 300:  # the column's width
        raise ConfigError("the API URL must be at most 300 characters")
    if get_tenant(session, tenant_id) is not None:
        raise ConfigError(f"tenant {tenant_id!r} already exists (use rotate-secret to change its secrets)")
    token = new_ingest_token()
    session.add(Tenant(id=tenant_id, helpdesk="zendesk", subdomain=subdomain, email=email,
                       api_token=vault.encrypt(api_token.strip()), webhook_secret=vault.encrypt(webhook_secret.strip()),
                       api_url=api_url, ingest_token_hash=hash_token(token), overrides=dict(parse_overrides(overrides)),
                       active=True, created_at=now, updated_at=now))
    return token


def tenant_by_ingest_token(session: Session, token: str) -> Tenant | None:
    return session.scalars(select(Tenant).where(Tenant.ingest_token_hash == hash_token(token),
                                                Tenant.active.is_(True))).one_or_none()


def describe(tenant: Tenant, public_url: str) -> dict[str, Any]:
    """What `tenant show` and `list` print: never a secret, only whether one is set."""
    return {"id": tenant.id, "subdomain": tenant.subdomain, "email": tenant.email, "api_url": tenant.api_url,
            "active": tenant.active, "overrides": tenant.overrides or {},
            "webhook_url": f"{public_url.rstrip('/')}/webhooks/zendesk/{tenant.id}",
            "api_token": "set (encrypted)" if tenant.api_token else "not set",
            "webhook_secret": "set (encrypted)" if tenant.webhook_secret else "not set",
            "ingest_token": "set (hashed)" if tenant.ingest_token_hash else "not set",
            "created_at": tenant.created_at.isoformat(), "updated_at": tenant.updated_at.isoformat()}
