"""The account budget is shared: another integration's calls (`spend_foreign`) leave the API less,
and every 429 the budget answers is remembered with its Retry-After (`rate_refusals`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from conftest import SANDBOX_EMAIL, SANDBOX_TOKEN
from feedbackloop.helpdesks.sandbox import SandboxState


@pytest.fixture
def raw(sandbox: SandboxState, sandbox_server: Any) -> Iterator[requests.Session]:
    with requests.Session() as session:
        session.auth = (f"{SANDBOX_EMAIL}/token", SANDBOX_TOKEN)
        yield session


def test_another_integration_spends_the_same_budget(sandbox: SandboxState, sandbox_server: Any,
                                                    raw: requests.Session) -> None:
    sandbox.configure(rate_limit=5)

    allowed, budget = sandbox.spend_foreign(3)
    first = raw.get(f"{sandbox_server.url}/api/v2/users/me.json", timeout=5)

    assert (allowed, budget.remaining) == (3, 2)
    assert first.status_code == 200 and first.headers["X-Rate-Limit-Remaining"] == "1"
    assert sandbox.spend_foreign(4)[0] == 1  # one left; the other three are refused
    assert sandbox.foreign_calls() == {"allowed": 4, "refused": 3}
    assert sandbox.api_call_count() == 1  # the other integration is not in our request log


def test_each_429_of_the_budget_is_remembered_with_its_retry_after(sandbox: SandboxState, sandbox_server: Any,
                                                                   raw: requests.Session) -> None:
    sandbox.configure(rate_limit=2)
    sandbox.spend_foreign(2)

    refused = raw.get(f"{sandbox_server.url}/api/v2/users/me.json", timeout=5)

    [(at, retry_after)] = sandbox.rate_refusals()
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) == retry_after
    assert 1 <= retry_after <= 60 and at <= sandbox.now()
    sandbox.reset()
    assert sandbox.rate_refusals() == [] and sandbox.foreign_calls() == {"allowed": 0, "refused": 0}


def test_spending_nothing_is_a_mistake(sandbox: SandboxState) -> None:
    with pytest.raises(ValueError):
        sandbox.spend_foreign(0)
