"""What a tenant's helpdesk credentials may do, as the helpdesk answered.

Zendesk allows the incremental ticket export, which reconciliation reads to recover lost webhooks,
to admins only. With an agent's API token every reconciliation would end in a 403; instead the
feature is recorded as disabled with the reason, logged once when that changes, reported on
/healthz (`features`) and /metrics (`feedbackloop_feature_disabled`), and tried again at most once
an hour (so a token that becomes an admin's is noticed without a restart). `feedbackloop doctor`
and `install` say the same before it happens.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackloop.store.models import FeatureState

log = logging.getLogger(__name__)

RECONCILIATION = "reconciliation"
#: A disabled feature is tried again after this long.
RECHECK = timedelta(hours=1)
RECONCILIATION_REFUSED = (
    "Zendesk refused the incremental ticket export ({detail}): it is allowed for admins only, and these "
    "credentials are not an admin's. Webhooks Zendesk loses are not recovered until the account's "
    "ZENDESK_EMAIL / ZENDESK_API_TOKEN (or the tenant's, `feedbackloop tenant rotate-secret --api-token`) "
    "are an admin's."
)


def feature(session: Session, tenant_id: str, name: str) -> FeatureState | None:
    """The recorded state of one feature of a tenant (None: never refused)."""
    return session.get(FeatureState, (tenant_id, name))


def recheck_due(row: FeatureState | None, now: datetime) -> bool:
    """Whether a feature should be tried (enabled, never refused, or refused over RECHECK ago)."""
    return row is None or row.enabled or now - row.checked_at >= RECHECK


def disable(session: Session, tenant_id: str, name: str, reason: str, now: datetime) -> None:
    """Record a refusal; logged once, when the feature goes from working to refused."""
    row = feature(session, tenant_id, name)
    if row is None:
        row = FeatureState(tenant_id=tenant_id, feature=name, enabled=False, reason=reason, checked_at=now,
                           changed_at=now)
        session.add(row)
        changed = True
    else:
        changed = row.enabled
        if changed:
            row.changed_at = now
        row.enabled, row.reason, row.checked_at = False, reason, now
    if changed:
        log.warning("%s disabled for tenant %s: %s", name, tenant_id, reason)


def enable(session: Session, tenant_id: str, name: str, now: datetime) -> None:
    """Record that the feature works (again); logged when it was disabled before."""
    row = feature(session, tenant_id, name)
    if row is None:
        return  # never refused: nothing to record
    if not row.enabled:
        log.warning("%s enabled again for tenant %s", name, tenant_id)
        row.enabled, row.reason, row.changed_at = True, None, now
    row.checked_at = now


def disabled(session: Session) -> list[FeatureState]:
    """Every feature disabled for some tenant, for /healthz and /metrics."""
    return list(session.scalars(select(FeatureState).where(FeatureState.enabled.is_(False))
                                .order_by(FeatureState.tenant_id, FeatureState.feature)))
