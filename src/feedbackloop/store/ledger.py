"""The install ledger's secrets: webhook signing secrets sealed with Fernet under
FEEDBACKLOOP_ENCRYPTION_KEY, and the rows `feedbackloop install` wrote.

Below the receiver and the Services container, which read the secrets to verify deliveries;
`feedbackloop install` (commands/install.py) writes them.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from dotenv import dotenv_values
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackloop.core.errors import ConfigError
from feedbackloop.core.settings import Settings
from feedbackloop.store.models import InstalledResource

SEALED_FERNET = "fernet:"
SEALED_PLAIN = "plain:"
ENCRYPTION_KEY_SETTING = "FEEDBACKLOOP_ENCRYPTION_KEY"


# --- sealing webhook secrets ----------------------------------------------------------------------


def encryption_keys(settings: Settings) -> list[str]:
    """FEEDBACKLOOP_ENCRYPTION_KEY as a list (newest first); empty when unset.

    Read from `Settings.encryption_key` once settings.py has it, else from `Settings.extra`.
    """
    raw = getattr(settings, "encryption_key", None) or settings.extra.get(ENCRYPTION_KEY_SETTING) or ""
    return [key.strip() for key in str(raw).split(",") if key.strip()]


def with_encryption_key(settings: Settings, dotenv_path: str | None = None) -> Settings:
    """Settings plus FEEDBACKLOOP_ENCRYPTION_KEY in `extra`, read like load_settings reads the rest.

    A stopgap while `Settings` has no `encryption_key` field: the commands must not silently store
    secrets unencrypted when the key is configured.
    """
    if getattr(settings, "encryption_key", None):
        return settings
    value = os.environ.get(ENCRYPTION_KEY_SETTING) or dotenv_values(dotenv_path or ".env").get(ENCRYPTION_KEY_SETTING)
    if not value:
        return settings
    return settings.with_(extra={**settings.extra, ENCRYPTION_KEY_SETTING: value.strip()})


def fernet_of(keys: Sequence[str]) -> MultiFernet:
    """All keys, the first one sealing; a malformed key is a configuration error naming the setting."""
    try:
        return MultiFernet([Fernet(key.encode("ascii")) for key in keys])
    except (ValueError, UnicodeEncodeError):
        raise ConfigError(f"{ENCRYPTION_KEY_SETTING} must be Fernet keys (Fernet.generate_key()), "
                          "comma-separated") from None


def seal(secret: str, keys: Sequence[str]) -> str:
    """The secret as stored: Fernet-sealed with the first key, or marked plain when there is none."""
    if not keys:
        return SEALED_PLAIN + secret
    return SEALED_FERNET + fernet_of(keys).encrypt(secret.encode("utf-8")).decode("ascii")


def sealed_with_current_key(stored: str, keys: Sequence[str]) -> bool:
    """Whether a stored secret is already as `seal` would store it now (plain without keys, else
    sealed with the first key): after a key is added or rotated, install seals again."""
    if not keys:
        return stored.startswith(SEALED_PLAIN)
    if not stored.startswith(SEALED_FERNET):
        return False
    try:
        fernet_of(keys[:1]).decrypt(stored[len(SEALED_FERNET):].encode("ascii"))
    except InvalidToken:
        return False
    return True


def unseal(stored: str, keys: Sequence[str]) -> str:
    """The secret from its stored form; a sealed one needs a key that sealed it."""
    if stored.startswith(SEALED_PLAIN):
        return stored[len(SEALED_PLAIN):]
    if not stored.startswith(SEALED_FERNET):
        raise ConfigError("a stored webhook secret has an unknown format")
    if not keys:
        raise ConfigError(f"the stored webhook secrets are encrypted: set {ENCRYPTION_KEY_SETTING}")
    try:
        return fernet_of(keys).decrypt(stored[len(SEALED_FERNET):].encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise ConfigError(f"no key in {ENCRYPTION_KEY_SETTING} opens the stored webhook secrets") from None


# --- the ledger -----------------------------------------------------------------------------------


def ledger_rows(session: Session, tenant_id: str) -> list[InstalledResource]:
    """What install made for this tenant."""
    return list(session.scalars(select(InstalledResource).where(InstalledResource.tenant_id == tenant_id)
                                .order_by(InstalledResource.id)))


def stored_secrets(rows: Sequence[InstalledResource], keys: Sequence[str]) -> dict[str, str]:
    """Webhook key → its stored signing secret."""
    return {row.name: unseal(row.secret, keys) for row in rows if row.kind == "webhook" and row.secret}


def webhook_secrets(session: Session, tenant_id: str, keys: Sequence[str]) -> dict[str, str]:
    """Zendesk webhook id → the signing secret its deliveries carry, for the receiver.

    Zendesk signs each webhook's deliveries with that webhook's own secret, and install makes two
    webhooks, so a receiver verifies with the secret of the webhook named in the
    X-Zendesk-Webhook-Id header.
    """
    rows = ledger_rows(session, tenant_id)
    return {row.remote_id: unseal(row.secret, keys) for row in rows if row.kind == "webhook" and row.secret}
