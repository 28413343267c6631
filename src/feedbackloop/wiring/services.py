"""The objects one process shares: settings, engine, session factory, helpdesk clients.

Built by `build_services` from the app factory and from the CLI's `worker`; nothing is built at
import time.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from feedbackloop.core.errors import ConfigError
from feedbackloop.core.settings import Settings
from feedbackloop.helpdesks import get_helpdesk
from feedbackloop.helpdesks.base import Account, Helpdesk, HelpdeskClient
from feedbackloop.jobs import queue as jobs
from feedbackloop.store.db import make_engine, make_read_engine, make_session_factory, session_scope
from feedbackloop.store.models import DEFAULT_TENANT, Tenant
from feedbackloop.store.tenants import TenantConfig, Vault, config_of, get_tenant

#: How long a tenant's decrypted config is reused before it is read again (rotations show up).
TENANT_CACHE_SECONDS = 30.0


@dataclass
class Services:
    settings: Settings
    engine: Engine
    factory: sessionmaker[Session]
    helpdesk: Helpdesk
    _clients: dict[tuple[str, str], HelpdeskClient] = field(default_factory=dict)
    _tenants: dict[str, tuple[TenantConfig, float]] = field(default_factory=dict)
    _webhook_secrets: dict[str, tuple[dict[str, str], float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _read_engine: Engine | None = None
    _reader: sessionmaker[Session] | None = None

    @property
    def reader(self) -> sessionmaker[Session]:
        """Sessions for pages that only read (the dashboard): one snapshot each, and on SQLite no
        write lock, so a page over a million ratings does not hold the webhook receiver up."""
        with self._lock:
            if self._reader is None:
                self._read_engine = make_read_engine(self.engine.url.render_as_string(hide_password=False))
                self._reader = make_session_factory(self._read_engine)
            return self._reader

    @property
    def vault(self) -> Vault:
        return Vault(self.settings.encryption_key)

    def tenant_config(self, tenant_id: str) -> TenantConfig:
        """A tenant's account and settings: the env-configured default, or an active tenant row."""
        if tenant_id == DEFAULT_TENANT:
            if self.settings.zendesk is None:
                raise ConfigError("no helpdesk account configured for the default tenant")
            return TenantConfig(DEFAULT_TENANT, self.settings.zendesk, self.settings)
        with self._lock:
            cached = self._tenants.get(tenant_id)
            if cached is not None and cached[1] > time.monotonic():
                return cached[0]
        with session_scope(self.factory) as session:
            row = get_tenant(session, tenant_id)
            if row is None or not row.active:
                raise ConfigError(f"no helpdesk account configured for tenant {tenant_id!r}")
            config = config_of(row, self.settings, self.vault)
        with self._lock:
            self._tenants[tenant_id] = (config, time.monotonic() + TENANT_CACHE_SECONDS)
        return config

    def forget_tenant(self, tenant_id: str) -> None:
        """Drop a tenant's cached config (after it changed in this process)."""
        with self._lock:
            self._tenants.pop(tenant_id, None)

    def webhook_secret_for(self, tenant_id: str, webhook_id: str) -> str | None:
        """The signing secret of a webhook `feedbackloop install` created (Zendesk signs each
        webhook's deliveries with that webhook's own secret); None for a webhook made by hand."""
        from feedbackloop.store.ledger import encryption_keys, webhook_secrets

        cache_key = f"webhooks:{tenant_id}"
        with self._lock:
            cached = self._webhook_secrets.get(cache_key)
        if cached is None or cached[1] <= time.monotonic():
            try:
                with session_scope(self.factory) as session:
                    secrets = webhook_secrets(session, tenant_id, encryption_keys(self.settings))
            except SQLAlchemyError:
                secrets = {}
            cached = (secrets, time.monotonic() + TENANT_CACHE_SECONDS)
            with self._lock:
                self._webhook_secrets[cache_key] = cached
        return cached[0].get(webhook_id)

    def has_webhook_secrets(self, tenant_id: str) -> bool:
        """Whether `feedbackloop install` stored any webhook signing secret for this tenant."""
        self.webhook_secret_for(tenant_id, "")  # fills the cache (30 s)
        with self._lock:
            cached = self._webhook_secrets.get(f"webhooks:{tenant_id}")
        return bool(cached and cached[0])

    def account_for(self, tenant_id: str) -> Account:
        """The helpdesk account of a tenant."""
        return self.tenant_config(tenant_id).account

    def settings_for(self, tenant_id: str) -> Settings:
        """Settings with the tenant's overrides; the base settings for a tenant that is gone."""
        try:
            return self.tenant_config(tenant_id).settings
        except ConfigError:
            return self.settings

    def client_for(self, tenant_id: str) -> HelpdeskClient:
        """One API client per tenant and credential per process (it keeps the rate-limit view)."""
        account = self.account_for(tenant_id)
        key = (tenant_id, hashlib.sha256(f"{account.email}:{account.api_token}:{account.api_url}".encode()).hexdigest())
        with self._lock:
            client = self._clients.get(key)
            if client is None:
                client = self.helpdesk.client_for(account, timeout=self.settings.helpdesk_timeout)
                self._clients[key] = client
            return client

    def paced_client_for(self, tenant_id: str) -> HelpdeskClient:
        """The tenant's client, its ticket updates counted into the running job's ledger (pacing.py)."""
        from feedbackloop.jobs.pacing import PacedClient

        return PacedClient(self.client_for(tenant_id))

    def job_context(self) -> jobs.JobContext:
        return jobs.JobContext(settings=self.settings, clients=self.paced_client_for, settings_for=self.settings_for)

    def tenants(self) -> list[str]:
        """Every tenant with an account: the default (when configured) and the active rows."""
        names = [DEFAULT_TENANT] if self.settings.zendesk is not None else []
        try:
            with session_scope(self.reader) as session:
                names += list(session.scalars(select(Tenant.id).where(Tenant.active.is_(True)).order_by(Tenant.id)))
        except SQLAlchemyError:  # schema not there yet (before `db upgrade`): the default only
            pass
        return names

    def dispose(self) -> None:
        self.engine.dispose()
        if self._read_engine is not None:
            self._read_engine.dispose()


def build_services(settings: Settings, engine: Engine | None = None) -> Services:
    from feedbackloop.core import logredact

    logredact.install()  # every process role builds these: no credential in werkzeug/gunicorn/zenpy records
    engine = engine or make_engine(settings.database_url)
    return Services(
        settings=settings,
        engine=engine,
        factory=make_session_factory(engine),
        helpdesk=get_helpdesk("zendesk"),
    )


def services_of(app: Any) -> Services:
    """The Services bound to a Flask app by create_app."""
    services: Services = app.extensions["feedbackloop"]
    return services
