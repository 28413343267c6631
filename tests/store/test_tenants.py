"""Many Zendesk accounts in one deployment: isolation, encrypted secrets, per-tenant settings, the CLI."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from cryptography.fernet import Fernet
from flask.testing import FlaskClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from test_decisions import ADMIN, decision

from conftest import WEBHOOK_SECRET, load_fixture, signed_headers
from feedbackloop.cli import cli
from feedbackloop.core.links import make_token
from feedbackloop.core.settings import Settings
from feedbackloop.runner.scheduler import Runner
from feedbackloop.runtime import serve_in_thread
from feedbackloop.store.db import session_scope, utcnow
from feedbackloop.store.models import AiDecision, Survey, Tenant, WebhookEvent
from feedbackloop.store.tenants import Vault, add_tenant
from feedbackloop.wiring.services import Services
from test_flow import path_of, rows, settle, solved_ticket, survey_links

KEY = Fernet.generate_key().decode()
GLOBEX_SECRET = "globex-webhook-secret-123"


@pytest.fixture(scope="module")
def globex_server() -> Iterator[Any]:
    """A second Zendesk account: its own sandbox, its own credentials."""
    from feedbackloop.helpdesks.sandbox import serve_sandbox

    server = serve_sandbox(host="127.0.0.1", port=0, email="api@globex.example", api_token="globex-token")
    yield server
    server.shutdown()


@pytest.fixture
def globex(globex_server: Any) -> Any:
    globex_server.state.reset()
    return globex_server.state


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.with_(encryption_key=KEY)


@pytest.fixture
def tenant_tokens(services: Services, globex_server: Any) -> dict[str, str]:
    """Two tenants beside the env-configured default: globex (its own sandbox) and acme."""
    vault = Vault(KEY)
    with session_scope(services.factory) as session:
        globex_token = add_tenant(session, vault, "globex", subdomain="globex", email="api@globex.example",
                                  api_token="globex-token", webhook_secret=GLOBEX_SECRET,
                                  api_url=globex_server.url, overrides={"survey_scale": "thumbs"}, now=utcnow())
        acme_token = add_tenant(session, vault, "acme", subdomain="acme", email="api@acme.example",
                                api_token="acme-token", webhook_secret="acme-secret-456", api_url=None,
                                overrides={}, now=utcnow())
    return {"globex": globex_token, "acme": acme_token}


@pytest.fixture
def live_both(services: Services, sandbox: Any, globex: Any, tenant_tokens: dict[str, str]) -> Iterator[Any]:
    server = serve_in_thread(services, "127.0.0.1", 0)
    sandbox.set_webhook_target(f"{server.url}/webhooks/zendesk", WEBHOOK_SECRET)
    globex.set_webhook_target(f"{server.url}/webhooks/zendesk/globex", GLOBEX_SECRET)
    yield server
    server.shutdown()


def test_secrets_are_encrypted_at_rest(engine: Engine, tenant_tokens: dict[str, str]) -> None:
    with Session(engine) as session:
        row = session.get(Tenant, "globex")
        assert row is not None
        assert "globex-token" not in row.api_token and GLOBEX_SECRET not in row.webhook_secret
        assert Vault(KEY).decrypt(row.webhook_secret) == GLOBEX_SECRET
        assert tenant_tokens["globex"] not in (row.ingest_token_hash or "")
        assert "globex-token" not in repr(row)


def test_a_webhook_signed_by_one_tenant_is_refused_at_anothers_url(client: FlaskClient, engine: Engine,
                                                                    tenant_tokens: dict[str, str]) -> None:
    body = load_fixture("zendesk/webhooks/ticket.status_changed__solved.json")
    refused = client.post("/webhooks/zendesk/acme", data=body, headers=signed_headers(body, GLOBEX_SECRET))
    assert refused.status_code == 401
    assert client.post("/webhooks/zendesk/nobody", data=body,
                       headers=signed_headers(body, GLOBEX_SECRET)).status_code == 404
    accepted = client.post("/webhooks/zendesk/globex", data=body, headers=signed_headers(body, GLOBEX_SECRET))
    assert accepted.status_code == 200
    assert [e.tenant_id for e in rows(engine, WebhookEvent)] == ["globex"]
    # The same delivery at the default URL is the default tenant's business, with its own secret.
    assert client.post("/webhooks/zendesk", data=body, headers=signed_headers(body, GLOBEX_SECRET)).status_code == 401


def test_each_tenant_is_served_through_its_own_account_with_its_own_settings(
    live_both: Any, sandbox: Any, globex: Any, runner: Runner, engine: Engine, client: FlaskClient,
) -> None:
    ours = solved_ticket(sandbox)
    theirs = solved_ticket(globex, email="wile@globex.example")
    settle(globex, runner)
    settle(sandbox, runner)
    assert sorted(survey_links(sandbox, ours)) == [1, 2, 3, 4, 5]
    assert sorted(survey_links(globex, theirs)) == [1, 5]  # globex surveys with thumbs
    # one survey each: the PUTs Zendesk applied (a collision-safe update refused with 409 is re-read and sent
    # again), and one survey comment on each ticket
    puts = {name: [(c.status, c.path, sorted(c.body.get("ticket", {}))) for c in server.api_calls("PUT")]
            for name, server in (("default", sandbox), ("globex", globex))}
    assert [len([c for c in calls if c[0] == 200]) for calls in puts.values()] == [1, 1], puts
    assert all(c[0] in (200, 409) for calls in puts.values() for c in calls), puts
    for server, ticket_id in ((sandbox, ours), (globex, theirs)):
        assert len([c for c in server.ticket_comments(ticket_id) if c["public"] and "/s/" in (c.get("body") or "")]) == 1
    assert {s.tenant_id for s in rows(engine, Survey)} == {"default", "globex"}
    # Ticket ids overlap between accounts (both are #1 here); nothing mixes them up.
    assert ours == theirs
    client.get(path_of(survey_links(globex, theirs)[1]))
    settle(globex, runner)
    assert {"csat_1", "csat_bad"} <= set(globex.ticket(theirs)["tags"])
    assert not {"csat_1", "csat_bad"} & set(sandbox.ticket(ours)["tags"])


def test_a_survey_token_names_its_tenant_and_cannot_rate_anothers(
    live_both: Any, sandbox: Any, globex: Any, runner: Runner, engine: Engine, client: FlaskClient,
    settings: Settings,
) -> None:
    solved_ticket(globex)
    settle(globex, runner)
    (survey,) = rows(engine, Survey)
    assert survey.tenant_id == "globex"
    forged = make_token(settings.secret_key, "default", survey.id)  # our key, the wrong tenant
    assert client.get(f"/s/{forged}?score=1").status_code == 404


def test_ingest_tokens_post_decisions_for_their_tenant_only(client: FlaskClient, engine: Engine,
                                                           tenant_tokens: dict[str, str]) -> None:
    acme = {"Authorization": f"Bearer {tenant_tokens['acme']}"}
    answer = client.post("/api/v1/decisions", json=decision(ticket_id=77, decision_id="acme-1"), headers=acme)
    assert answer.status_code in (200, 201)
    with Session(engine) as session:
        assert [d.tenant_id for d in session.scalars(select(AiDecision))] == ["acme"]
    # The same id from another tenant is another decision, not a duplicate of acme's.
    globex = {"Authorization": f"Bearer {tenant_tokens['globex']}"}
    assert client.post("/api/v1/decisions", json=decision(ticket_id=77, decision_id="acme-1"),
                       headers=globex).status_code in (200, 201)
    # An ingest token reads nothing back.
    assert client.get("/api/v1/tickets/77/feedback", headers=acme).status_code == 403
    # The admin reads per tenant: acme's ticket 77 is not globex's, nor the default tenant's.
    as_acme = client.get("/api/v1/tickets/77/feedback", headers={**ADMIN, "X-Feedbackloop-Tenant": "acme"})
    assert as_acme.status_code == 200 and as_acme.get_json()["tenant_id"] == "acme"
    decisions = [e for e in as_acme.get_json()["timeline"] if e["type"] == "ai_decision"]
    assert len(decisions) == 1
    assert client.get("/api/v1/tickets/77/feedback", headers=ADMIN).status_code == 404
    assert client.get("/api/v1/tickets/77/feedback",
                      headers={**ADMIN, "X-Feedbackloop-Tenant": "nobody"}).status_code == 404
    assert client.post("/api/v1/decisions", json=decision(), headers={
        "Authorization": "Bearer flt_not-a-real-token"}).status_code == 401


# --- the CLI ----------------------------------------------------------------------------------


@pytest.fixture
def cli_env(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.chdir(tmp_path)
    for name in [n for n in os.environ if n.startswith(("FEEDBACKLOOP_", "ZENDESK_", "TENANT_"))]:
        monkeypatch.delenv(name)
    return {"FEEDBACKLOOP_DATABASE_URL": engine.url.render_as_string(hide_password=False),
            "FEEDBACKLOOP_ENCRYPTION_KEY": KEY, "FEEDBACKLOOP_PUBLIC_URL": "https://feedback.example.com"}


def run(env: dict[str, str], *args: str, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env=env, input=input, catch_exceptions=False)
    return result.exit_code, result.output


def test_tenant_cli_add_list_show_rotate_remove(cli_env: dict[str, str], engine: Engine) -> None:
    code, out = run(cli_env, "tenant", "add", "initech", "--subdomain", "initech", "--email", "api@initech.example",
                    "--survey-scale", "thumbs", input="tok-SECRET-1\nwh-SECRET-1\n")
    assert code == 0, out
    assert "https://feedback.example.com/webhooks/zendesk/initech" in out and "flt_" in out
    code, listed = run(cli_env, "tenant", "list")
    assert code == 0 and "initech" in listed and "SECRET" not in listed
    code, shown = run(cli_env, "tenant", "show", "initech")
    data = json.loads(shown)
    assert data["overrides"] == {"survey_scale": "thumbs"} and data["api_token"] == "set (encrypted)"
    assert "SECRET" not in shown
    code, out = run(cli_env, "tenant", "rotate-secret", "initech", "--webhook-secret", input="wh-SECRET-2\n")
    assert code == 0 and "webhook secret" in out
    with Session(engine) as session:
        row = session.get(Tenant, "initech")
        assert row is not None and Vault(KEY).decrypt(row.webhook_secret) == "wh-SECRET-2"
    code, out = run(cli_env, "tenant", "add", "initech", "--subdomain", "initech", "--email", "a@b.c",
                    input="x\ny\n")
    assert code == 1 and "already exists" in out
    code, out = run(cli_env, "tenant", "remove", "initech", "--yes")
    assert code == 0
    code, out = run(cli_env, "tenant", "show", "initech")
    assert code == 1 and "no tenant" in out


def test_tenant_cli_explains_a_missing_or_bad_key(cli_env: dict[str, str]) -> None:
    code, out = run({**cli_env, "FEEDBACKLOOP_ENCRYPTION_KEY": ""}, "tenant", "add", "x1", "--subdomain", "x1",
                    "--email", "a@x.example", input="t\nw\n")
    assert code == 1 and "FEEDBACKLOOP_ENCRYPTION_KEY" in out and "keygen" in out
    code, out = run({**cli_env, "FEEDBACKLOOP_ENCRYPTION_KEY": "short"}, "tenant", "list")
    assert code == 1 and "FEEDBACKLOOP_ENCRYPTION_KEY" in out
    code, out = run(cli_env, "tenant", "add", "Bad Name", "--subdomain", "x", "--email", "a@x.example",
                    input="t\nw\n")
    assert code == 1 and "tenant name" in out


def test_key_rotation_reencrypts_every_secret(cli_env: dict[str, str], engine: Engine) -> None:
    run(cli_env, "tenant", "add", "hooli", "--subdomain", "hooli", "--email", "api@hooli.example",
        input="tok-H\nwh-H\n")
    new = Fernet.generate_key().decode()
    code, out = run({**cli_env, "FEEDBACKLOOP_ENCRYPTION_KEY": f"{new},{KEY}"}, "tenant", "rekey")
    assert code == 0 and "1 tenant" in out
    with Session(engine) as session:
        row = session.get(Tenant, "hooli")
        assert row is not None
        assert Vault(new).decrypt(row.api_token) == "tok-H"  # readable with the new key alone
