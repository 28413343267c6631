"""The smaller holes found by trying the service as an attacker would (issue 16, section 5)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from test_overrides import app_token, open_sidebar, rsa_key, session_of  # noqa: F401
from test_overrides import settings as sidebar_settings  # noqa: F401

from conftest import signed_post
from factories import envelope
from feedbackloop.core.errors import ConfigError
from feedbackloop.core.settings import settings_from_env
from feedbackloop.store.models import WebhookEvent, fit_key

settings = sidebar_settings  # the sidebar's public key is configured for this module's tests


def count(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(WebhookEvent)) or 0)


def test_dedupe_keys_longer_than_the_column_stay_distinct(client: FlaskClient, engine: Engine) -> None:
    """Two event ids sharing a 200-character prefix are two events, not one (the key is hashed, not cut)."""
    prefix = "e" * 230
    now = datetime.now(timezone.utc)
    for suffix in ("-one", "-two"):
        answer = signed_post(client, envelope(77, "open", "solved", now, event_id=prefix + suffix))
        assert answer.status_code == 200 and answer.get_json()["status"] == "accepted", answer.get_data(as_text=True)
    again = signed_post(client, envelope(77, "open", "solved", now, event_id=prefix + "-two"))
    assert again.get_json()["status"] == "duplicate"
    assert count(engine) == 2
    assert len(fit_key("x" * 500)) == 200 and fit_key("short") == "short"
    assert fit_key("a" * 300 + "1") != fit_key("a" * 300 + "2")


def test_an_event_dated_years_ahead_is_refused(client: FlaskClient, engine: Engine) -> None:
    ahead = datetime.now(timezone.utc) + timedelta(days=3 * 365)
    answer = signed_post(client, envelope(78, "open", "solved", ahead))
    assert answer.status_code == 400 and "in the future" in answer.get_json()["message"]
    assert count(engine) == 0
    slightly = datetime.now(timezone.utc) + timedelta(seconds=30)  # a clock a little ahead is fine
    assert signed_post(client, envelope(78, "open", "solved", slightly)).status_code == 200


@pytest.mark.parametrize("target", ["/dashboard/\r\nSet-Cookie: x=1", "/dashboard/\x01", "/dashboard/\x7f"])
def test_control_characters_in_the_dashboard_next_parameter_are_a_400(client: FlaskClient, target: str) -> None:
    page = client.get("/dashboard/login", query_string={"next": target})
    assert page.status_code == 400
    answer = client.post("/dashboard/login", data={"next": target, "token": "x"})
    assert answer.status_code == 400


def test_the_admin_api_has_the_logins_brute_force_limit(client: FlaskClient, services: Any) -> None:
    limit = services.settings.rate_limit_login_failures
    statuses = [client.get("/api/v1/tickets/1/feedback", headers={"Authorization": f"Bearer guess-{n}"}).status_code
                for n in range(limit + 2)]
    assert statuses[:limit] == [401] * limit and statuses[-1] == 429
    right = client.get("/api/v1/tickets/1/feedback", headers={"Authorization": "Bearer admin-token"})
    assert right.status_code == 429  # spent: even the right token waits, as the dashboard login does
    assert int(right.headers["Retry-After"]) > 0


@pytest.mark.parametrize("token,ok", [("short-token", False), ("x" * 23, False), ("x" * 24, True)])
def test_admin_tokens_shorter_than_24_characters_are_refused_at_start(token: str, ok: bool) -> None:
    env = {"FEEDBACKLOOP_SECRET_KEY": "s" * 32, "FEEDBACKLOOP_ADMIN_TOKEN": token, "ZENDESK_SUBDOMAIN": "acme",
           "ZENDESK_EMAIL": "a@b.example", "ZENDESK_API_TOKEN": "t", "ZENDESK_WEBHOOK_SECRET": "w"}
    if ok:
        assert settings_from_env(env).admin_token == token
    else:
        with pytest.raises(ConfigError, match="FEEDBACKLOOP_ADMIN_TOKEN is too short.*at least 24"):
            settings_from_env(env)


def test_the_sidebars_idempotency_key_is_scoped_to_the_ticket_and_the_agent(client: FlaskClient,
                                                                          rsa_key: Any) -> None:  # noqa: F811
    override = {"final_action": "refund approved", "rationale": "charged twice"}
    agents = {}
    for agent in ("9001", "9002"):
        status, page = open_sidebar(client, app_token(rsa_key, sub=agent))
        assert status == 200
        agents[agent] = session_of(page)
    key = {"Idempotency-Key": "form-1"}
    first = client.post("/zendesk/sidebar/api/tickets/501/overrides", json=override, headers={**agents["9001"], **key})
    assert first.status_code == 201
    other_ticket = client.post("/zendesk/sidebar/api/tickets/502/overrides", json=override,
                               headers={**agents["9001"], **key})
    other_agent = client.post("/zendesk/sidebar/api/tickets/501/overrides", json=override,
                              headers={**agents["9002"], **key})
    repeat = client.post("/zendesk/sidebar/api/tickets/501/overrides", json=override, headers={**agents["9001"], **key})
    assert (other_ticket.status_code, other_agent.status_code) == (201, 201)
    assert repeat.status_code == 200 and repeat.get_json()["status"] == "duplicate"


def test_webhook_bodies_stay_json_for_this_module() -> None:
    """(guard) the envelope factory's output is what the tests above sign."""
    assert json.loads(json.dumps(envelope(1, "open", "solved", datetime.now(timezone.utc))))["type"].startswith("zen:")
