"""The objects one process shares: settings, engine, session factory, helpdesk clients.

Built by `build_services` from the app factory and from the CLI's `worker`; nothing is built at
import time.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from feedbackloop import jobs
from feedbackloop.db import make_engine, make_session_factory
from feedbackloop.errors import ConfigError
from feedbackloop.helpdesks import get_helpdesk
from feedbackloop.helpdesks.base import Account, Helpdesk, HelpdeskClient
from feedbackloop.models import DEFAULT_TENANT
from feedbackloop.settings import Settings


@dataclass
class Services:
    settings: Settings
    engine: Engine
    factory: sessionmaker[Session]
    helpdesk: Helpdesk
    _clients: dict[str, HelpdeskClient] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def account_for(self, tenant_id: str) -> Account:
        """The helpdesk account of a tenant (today: the env-configured default tenant)."""
        if tenant_id != DEFAULT_TENANT or self.settings.zendesk is None:
            raise ConfigError(f"no helpdesk account configured for tenant {tenant_id!r}")
        return self.settings.zendesk

    def client_for(self, tenant_id: str) -> HelpdeskClient:
        """One API client per tenant per process (it keeps the rate-limit view)."""
        with self._lock:
            client = self._clients.get(tenant_id)
            if client is None:
                client = self.helpdesk.client_for(self.account_for(tenant_id))
                self._clients[tenant_id] = client
            return client

    def job_context(self) -> jobs.JobContext:
        return jobs.JobContext(settings=self.settings, clients=self.client_for)

    def tenants(self) -> list[str]:
        return [DEFAULT_TENANT] if self.settings.zendesk is not None else []

    def dispose(self) -> None:
        self.engine.dispose()


def build_services(settings: Settings, engine: Engine | None = None) -> Services:
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
