"""`feedbackloop install | uninstall | doctor` against the sandbox Zendesk, over real HTTP.

The installer talks to the sandbox through the real ZendeskClient (zenpy's call path on our own
session); every call it makes is read back from the sandbox's request log, so "a second run
changes nothing" means "a second run sends no POST, PUT, PATCH or DELETE".
"""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
from click.testing import CliRunner
from cryptography.fernet import Fernet
from flask import Flask
from sqlalchemy import Engine, select
from werkzeug.serving import WSGIRequestHandler, make_server

from conftest import SANDBOX_EMAIL, SANDBOX_TOKEN
from feedbackloop.app import create_app
from feedbackloop.cli import cli
from feedbackloop.commands import install
from feedbackloop.core.errors import ConfigError
from feedbackloop.core.settings import Settings
from feedbackloop.helpdesks.base import Account
from feedbackloop.helpdesks.sandbox import SandboxState
from feedbackloop.helpdesks.zendesk import events
from feedbackloop.helpdesks.zendesk.install import (
    GUARD_TAGS,
    OVERRIDE_TAG,
    Check,
    Outcome,
    Target,
    desired_resources,
)
from feedbackloop.store.db import make_session_factory, session_scope
from feedbackloop.store.models import DEFAULT_TENANT, InstalledResource
from feedbackloop.wiring.services import build_services

WRITES = ("POST", "PUT", "PATCH", "DELETE")
OURS = 12  # 1 group, 4 fields, 2 webhooks, 3 triggers, 1 view, 1 macro


#: install refuses to store webhook secrets without FEEDBACKLOOP_ENCRYPTION_KEY: these tests have one.
TEST_KEY = Fernet.generate_key().decode()


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.with_(extra={**settings.extra, "FEEDBACKLOOP_ENCRYPTION_KEY": TEST_KEY})


@pytest.fixture
def factory(engine: Engine) -> Any:
    return make_session_factory(engine)


def test_install_without_an_encryption_key_refuses_and_stores_nothing(sandbox: SandboxState, settings: Settings,
                                                                     factory: Any) -> None:
    bare = settings.with_(extra={})
    with pytest.raises(ConfigError, match="FEEDBACKLOOP_ENCRYPTION_KEY is not set.*tenant keygen"):
        install.run_install(bare, factory)
    assert rows(factory) == [] and writes(sandbox) == []
    assert install.run_install(bare, factory, dry_run=True)  # a dry run stores nothing: it may plan


def writes(sandbox: SandboxState, since: int = 0) -> list[tuple[str, str]]:
    """(method, path) of every write call after the first `since` logged requests."""
    return [(r.method, r.path) for r in sandbox.request_log[since:] if r.method in WRITES]


def rows(factory: Any, tenant_id: str = DEFAULT_TENANT) -> list[InstalledResource]:
    with session_scope(factory) as session:
        return list(session.scalars(select(InstalledResource).where(InstalledResource.tenant_id == tenant_id)
                                    .order_by(InstalledResource.id)))


def ids(outcomes: list[Outcome]) -> dict[tuple[str, str], str | None]:
    return {(o.kind, o.key): o.remote_id for o in outcomes}


def actions(outcomes: list[Outcome]) -> dict[tuple[str, str], str]:
    return {(o.kind, o.key): o.action for o in outcomes}


def by_title(sandbox: SandboxState, kind: str, title: str) -> list[dict[str, Any]]:
    key = "name" if kind in ("groups", "webhooks") else "title"
    records = sandbox.webhooks() if kind == "webhooks" else sandbox.list_resources(kind)
    return [r for r in records if r[key] == title]


def fail(checks: list[Check]) -> dict[str, Check]:
    return {c.name: c for c in checks if c.status == "problem"}


# --- install ---------------------------------------------------------------------------------------


def test_dry_run_prints_the_plan_and_changes_nothing(sandbox: SandboxState, settings: Settings, factory: Any) -> None:
    outcomes = install.run_install(settings, factory, dry_run=True)

    table = install.format_plan(outcomes).splitlines()
    assert table[0].split() == ["action", "kind", "name"]
    assert table[1] == "create  group         AI feedback reviews"
    assert table[8] == "create  trigger       feedbackloop: ticket solved"
    assert len({line.index(line.split()[1], 6) for line in table}) == 1  # the kind column is aligned
    assert [o.action for o in outcomes] == ["create"] * OURS
    assert writes(sandbox) == [] and rows(factory) == []


def test_install_creates_everything_in_zendesks_shapes(sandbox: SandboxState, settings: Settings, factory: Any) -> None:
    outcomes = install.run_install(settings, factory)

    made = ids(outcomes)
    hook = made[("webhook", "triggers")]
    (solved,) = by_title(sandbox, "triggers", "feedbackloop: ticket solved")
    (events_hook,) = by_title(sandbox, "webhooks", "feedbackloop: ticket events")
    (macro,) = by_title(sandbox, "macros", "Override AI decision")
    (view,) = by_title(sandbox, "views", "Feedback reviews")
    assert [m for m, _ in writes(sandbox)] == ["POST"] * OURS
    assert events_hook["endpoint"] == "http://feedback.test/webhooks/zendesk"
    assert events_hook["subscriptions"] == sorted(events.SUPPORTED_EVENTS)
    assert solved["actions"] == [{"field": "notification_webhook",
                                  "value": [hook, events.trigger_body("status_changed", status="solved")]}]
    assert {"field": "current_tags", "operator": "not_includes", "value": "feedback_review csat_skip"} \
        in solved["conditions"]["all"]
    assert {"field": f"custom_fields_{made[('ticket_field', 'override_reason')]}",
            "value": "override_reason_other"} in macro["actions"]
    assert view["execution"]["sort_by"] == "due_date"
    ledger = rows(factory)
    assert [(r.kind, r.name, r.remote_id) for r in ledger] == [(o.kind, o.key, o.remote_id) for o in outcomes]
    secrets = {r.name: r.secret for r in ledger if r.kind == "webhook"}
    assert {key: install.unseal(value, [TEST_KEY]) for key, value in secrets.items()} == {
        key: sandbox.signing_secret(str(made[("webhook", key)]))["signing_secret"]["secret"]
        for key in ("events", "triggers")}
    assert all(value.startswith("fernet:") for value in secrets.values())


def test_a_second_run_makes_no_write_calls(sandbox: SandboxState, settings: Settings, factory: Any) -> None:
    first = install.run_install(settings, factory)
    before = [(r.remote_id, r.checksum, r.updated_at) for r in rows(factory)]
    logged = len(sandbox.request_log)

    second = install.run_install(settings, factory)

    assert writes(sandbox, logged) == []
    assert [o.action for o in second] == ["keep"] * OURS and ids(second) == ids(first)
    assert [(r.remote_id, r.checksum, r.updated_at) for r in rows(factory)] == before


def test_a_changed_setting_updates_in_place(sandbox: SandboxState, settings: Settings, factory: Any) -> None:
    first = install.run_install(settings, factory)
    logged = len(sandbox.request_log)

    moved = install.run_install(settings.with_(public_url="https://feedback.acme.com"), factory)

    hooks = [ids(first)[("webhook", key)] for key in ("events", "triggers")]
    assert writes(sandbox, logged) == [("PUT", f"/api/v2/webhooks/{hook}") for hook in hooks]
    assert {k: a for k, a in actions(moved).items() if a != "keep"} == {
        ("webhook", "events"): "update", ("webhook", "triggers"): "update"}
    assert ids(moved) == ids(first)
    assert {w["endpoint"] for w in sandbox.webhooks()} == {"https://feedback.acme.com/webhooks/zendesk"}
    assert {o.note for o in moved if o.action == "update"} == {"settings changed"}


def test_a_change_made_in_zendesk_is_put_back(sandbox: SandboxState, settings: Settings, factory: Any) -> None:
    first = install.run_install(settings, factory)
    trigger_id = int(ids(first)[("trigger", "solved")] or 0)
    sandbox.save_resource("triggers", trigger_id, {"trigger": {"active": False}})

    again = install.run_install(settings, factory)

    changed = [o for o in again if o.action != "keep"]
    assert [(o.kind, o.key, o.note) for o in changed] == [("trigger", "solved", "changed in Zendesk: active")]
    assert sandbox.get_resource("triggers", trigger_id)["trigger"]["active"] is True


def test_a_deleted_webhook_is_made_again_and_its_triggers_follow(sandbox: SandboxState, settings: Settings,
                                                                 factory: Any) -> None:
    first = install.run_install(settings, factory)
    sandbox.delete_webhook(str(ids(first)[("webhook", "triggers")]))

    again = install.run_install(settings, factory)

    new_hook = ids(again)[("webhook", "triggers")]
    assert new_hook != ids(first)[("webhook", "triggers")]
    assert {k: a for k, a in actions(again).items() if a != "keep"} == {
        ("webhook", "triggers"): "create", ("trigger", "solved"): "update", ("trigger", "reopened"): "update",
        ("trigger", "override"): "update"}
    for record in sandbox.list_resources("triggers"):
        assert record["actions"][0]["value"][0] == new_hook
    assert {r.remote_id for r in rows(factory) if r.name == "triggers"} == {new_hook}


def test_an_install_without_its_ledger_adopts_instead_of_duplicating(sandbox: SandboxState, settings: Settings,
                                                                     factory: Any) -> None:
    first = install.run_install(settings, factory)
    with session_scope(factory) as session:
        for row in session.scalars(select(InstalledResource)):
            session.delete(row)

    again = install.run_install(settings, factory)

    assert ids(again) == ids(first)
    assert {o.note for o in again} == {"adopted the existing one with this title"}
    assert len(sandbox.list_resources("triggers")) == 3 and len(sandbox.webhooks()) == 2
    assert len(rows(factory)) == OURS


def test_webhook_secrets_are_sealed_with_the_encryption_key(sandbox: SandboxState, settings: Settings,
                                                            factory: Any) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    outcomes = install.run_install(settings.with_(extra={"FEEDBACKLOOP_ENCRYPTION_KEY": old}), factory)
    hook = str(ids(outcomes)[("webhook", "events")])
    live = sandbox.signing_secret(hook)["signing_secret"]["secret"]

    stored = {r.remote_id: r.secret or "" for r in rows(factory) if r.kind == "webhook"}
    with session_scope(factory) as session:
        rotated = install.webhook_secrets(session, DEFAULT_TENANT, [new, old])  # new key first, old still opens
        with pytest.raises(ConfigError):
            install.webhook_secrets(session, DEFAULT_TENANT, [new])
        with pytest.raises(ConfigError):
            install.webhook_secrets(session, DEFAULT_TENANT, [])

    assert all(secret.startswith("fernet:") and live not in secret for secret in stored.values())
    assert rotated[hook] == live


def test_rotating_the_key_seals_the_stored_secrets_again(sandbox: SandboxState, settings: Settings,
                                                                   factory: Any) -> None:
    old, new = TEST_KEY, Fernet.generate_key().decode()
    install.run_install(settings, factory)
    first = [r.secret or "" for r in rows(factory) if r.kind == "webhook"]
    logged = len(sandbox.request_log)

    install.run_install(settings.with_(extra={"FEEDBACKLOOP_ENCRYPTION_KEY": old}), factory)
    sealed = {r.name: r.secret or "" for r in rows(factory) if r.kind == "webhook"}
    install.run_install(settings.with_(extra={"FEEDBACKLOOP_ENCRYPTION_KEY": f"{new},{old}"}), factory)
    rotated = {r.name: r.secret or "" for r in rows(factory) if r.kind == "webhook"}

    assert all(install.sealed_with_current_key(secret, [old]) for secret in first) and writes(sandbox, logged) == []
    assert all(install.sealed_with_current_key(secret, [old]) for secret in sealed.values())
    assert all(install.sealed_with_current_key(secret, [new]) for secret in rotated.values())
    assert {k: install.unseal(v, [new]) for k, v in rotated.items()} == {
        k: install.unseal(v, [old]) for k, v in sealed.items()}


# --- uninstall -------------------------------------------------------------------------------------


def test_uninstall_removes_exactly_what_install_created(sandbox: SandboxState, settings: Settings, factory: Any) -> None:
    theirs = sandbox.save_resource("triggers", None, {"trigger": {
        "title": "Notify requester of solve", "all": [{"field": "status", "operator": "value", "value": "solved"}],
        "actions": [{"field": "notification_user", "value": ["requester_id", "Solved", "Your ticket was solved"]}]}})
    their_hook = sandbox.create_webhook({"webhook": {
        "name": "CRM sync", "endpoint": "https://crm.example.com/zendesk", "http_method": "POST",
        "request_format": "json", "subscriptions": ["conditional_ticket_events"]}})
    installed = install.run_install(settings, factory)
    logged = len(sandbox.request_log)

    removed = install.run_uninstall(settings, factory)

    assert sorted(path for method, path in writes(sandbox, logged)) == sorted(
        f"/api/v2/{kind}s/{remote_id}{'' if kind == 'webhook' else '.json'}"
        for (kind, _), remote_id in ids(installed).items())
    assert {m for m, _ in writes(sandbox, logged)} == {"DELETE"}
    assert [o.action for o in removed] == ["delete"] * OURS
    assert [o.kind for o in removed][:3] == ["macro", "view", "trigger"]  # dependents before what they name
    assert [t["id"] for t in sandbox.list_resources("triggers")] == [theirs["trigger"]["id"]]
    assert [w["id"] for w in sandbox.webhooks()] == [their_hook["webhook"]["id"]]
    assert [g["name"] for g in sandbox.list_resources("groups")] == ["Support"]
    assert sandbox.list_resources("ticket_fields") == [] and rows(factory) == []
    assert install.run_uninstall(settings, factory) == []


def test_uninstall_reports_objects_already_deleted(sandbox: SandboxState, settings: Settings, factory: Any) -> None:
    installed = install.run_install(settings, factory)
    sandbox.delete_resource("views", int(ids(installed)[("view", "reviews")] or 0))

    dry = install.run_uninstall(settings, factory, dry_run=True)
    logged = len(sandbox.request_log)
    removed = install.run_uninstall(settings, factory)

    statuses = sorted(r.status for r in sandbox.request_log[logged:] if r.method == "DELETE")
    assert actions(dry)[("view", "reviews")] == "gone"
    assert actions(removed)[("view", "reviews")] == "gone" and rows(factory) == []
    assert statuses == [204] * (OURS - 1) + [404]


# --- doctor ----------------------------------------------------------------------------------------


def test_doctor_reports_a_deactivated_webhook_and_how_to_fix_it(sandbox: SandboxState, settings: Settings,
                                                               factory: Any) -> None:
    installed = install.run_install(settings, factory)
    sandbox.update_webhook(str(ids(installed)[("webhook", "events")]), {"webhook": {"status": "inactive"}},
                           partial=True)

    problems = fail(install.run_doctor(settings, factory, probe=lambda url: 200))

    check = problems["webhook 'feedbackloop: ticket events'"]
    assert "inactive" in check.detail and "feedbackloop install" in check.fix
    assert set(problems) == {"webhook 'feedbackloop: ticket events'"}
    install.run_install(settings, factory)
    assert fail(install.run_doctor(settings, factory, probe=lambda url: 200)) == {}


def test_doctor_reports_a_signing_secret_that_changed_in_zendesk(sandbox: SandboxState, settings: Settings,
                                                                factory: Any) -> None:
    installed = install.run_install(settings, factory)
    sandbox.signing_secret(str(ids(installed)[("webhook", "triggers")]), reset=True)

    problems = fail(install.run_doctor(settings, factory, probe=lambda url: 200))
    logged = len(sandbox.request_log)
    install.run_install(settings, factory)

    check = problems["signing secret of 'feedbackloop: trigger notifications'"]
    assert "not the one Zendesk signs with" in check.detail and "feedbackloop install" in check.fix
    assert writes(sandbox, logged) == []  # storing the new secret is a read plus a database write
    assert fail(install.run_doctor(settings, factory, probe=lambda url: 200)) == {}


def test_doctor_before_install_and_with_bad_credentials(sandbox: SandboxState, settings: Settings,
                                                        factory: Any) -> None:
    missing = fail(install.run_doctor(settings, factory, probe=lambda url: 200))
    wrong = dataclasses.replace(settings.zendesk, api_token="not-the-token")  # type: ignore[type-var]
    refused = install.run_doctor(settings, factory, account=wrong, probe=lambda url: 200)

    assert len(missing) == OURS and {c.detail for c in missing.values()} == {"not installed"}
    assert [(c.name, c.status) for c in refused][-1] == ("credentials", "problem")
    assert "ZENDESK_API_TOKEN" in refused[-1].fix


def test_doctor_checks_the_public_url() -> None:
    loopback = install.check_public_url("http://127.0.0.1:8000", lambda url: 200)
    plain = install.check_public_url("http://feedback.example.com", lambda url: 200)

    def down(url: str) -> int:
        raise requests.ConnectionError("refused")

    assert [(c.status, "loopback" in c.detail) for c in loopback] == [("problem", True)]
    assert [c.status for c in plain] == ["warning", "ok"]
    assert [c.status for c in install.check_public_url("https://feedback.example.com", down)] == ["problem"]
    assert [c.status for c in install.check_public_url("https://feedback.example.com", lambda url: 503)] == ["problem"]


class Switch:
    """A WSGI app whose target can be swapped while the server runs."""

    app: Flask | None = None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        assert self.app is not None
        return self.app(environ, start_response)


class _Quiet(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


@pytest.fixture
def served() -> Iterator[tuple[Switch, str]]:
    """feedbackloop's web app on a loopback port (the app itself is chosen by the test)."""
    switch = Switch()
    server = make_server("127.0.0.1", 0, switch, threaded=True, request_handler=_Quiet)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield switch, f"http://127.0.0.1:{server.port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


def solve_a_ticket(sandbox: SandboxState) -> None:
    ticket_id = sandbox.simulate_customer_ticket(subject="Refund", body="Where is my refund?")
    sandbox.simulate_solve(ticket_id)
    assert sandbox.flush(10)


def test_doctor_on_a_live_loop_then_with_the_wrong_receiver_secret(sandbox: SandboxState, settings: Settings,
                                                                  engine: Engine, factory: Any,
                                                                  served: tuple[Switch, str]) -> None:
    switch, url = served
    live = settings.with_(public_url=url)
    installed = install.run_install(live, factory)
    hook = str(ids(installed)[("webhook", "events")])
    secret = sandbox.signing_secret(hook)["signing_secret"]["secret"]
    right = live.with_(zendesk=dataclasses.replace(live.zendesk, webhook_secret=secret))  # type: ignore[type-var]
    switch.app = create_app(services=build_services(right, engine=engine))
    solve_a_ticket(sandbox)

    healthy = install.run_doctor(right, factory)
    # The receiver verifies an installed webhook with the secret install stored, whatever
    # ZENDESK_WEBHOOK_SECRET says; a secret reset in Zendesk behind our back breaks that.
    wrong = right.with_(zendesk=dataclasses.replace(right.zendesk, webhook_secret="not-it"))  # type: ignore[type-var]
    switch.app = create_app(services=build_services(wrong, engine=engine))
    solve_a_ticket(sandbox)
    assert fail(install.run_doctor(wrong, factory)).get("deliveries of 'feedbackloop: ticket events'") is None
    sandbox.signing_secret(hook, reset=True)
    solve_a_ticket(sandbox)
    broken = install.run_doctor(wrong, factory)

    assert fail(healthy) == {}, install.format_checks(healthy)
    by_name = {c.name: c for c in healthy}
    assert by_name["deliveries of 'feedbackloop: ticket events'"].detail == "latest delivery succeeded"
    assert by_name["reachability"].status == "ok"
    problem = fail(broken)["deliveries of 'feedbackloop: ticket events'"]
    assert "(401 x3)" in problem.detail and "signature" in problem.fix  # created, assigned, solved: 3 events
    assert {c.name: c.status for c in broken}["ZENDESK_WEBHOOK_SECRET"] == "warning"


# --- what the triggers send is what the receiver reads ---------------------------------------------

PLACEHOLDERS = {"{{ticket.id}}": "4242", "{{ticket.status}}": "Open", "{{ticket.requester.id}}": "7",
                "{{ticket.assignee.id}}": "8", "{{ticket.group.id}}": "9", "{{ticket.ticket_type}}": "Question",
                "{{ticket.via}}": "Web Form", "{{ticket.tags}}": "vip feedback_overridden",
                "{{ticket.updated_at_with_timestamp}}": "2024-05-01T10:00:00Z", "{{current_user.id}}": "8"}


def rendered(trigger_key: str) -> Any:
    """A trigger's webhook body as Zendesk renders it, parsed by the receiver's own parser."""
    wanted = {w.key: w for w in desired_resources(Target("https://x.example")) if w.kind == "trigger"}[trigger_key]
    body = wanted.build({"webhook:triggers": "01HOOK"})["actions"][0]["value"][1]
    for placeholder, value in PLACEHOLDERS.items():
        body = body.replace(placeholder, value)
    return events.parse({"X-Zendesk-Webhook-Invocation-Id": "01INV"}, body.encode())


def test_trigger_bodies_parse_as_the_events_they_announce() -> None:
    reopened, override = rendered("reopened"), rendered("override")

    assert (reopened.kind, reopened.ticket_id, reopened.status, reopened.previous_status) == (
        "status_changed", 4242, "open", "solved")
    assert (override.kind, override.extra["added"]) == ("tags_changed", (OVERRIDE_TAG,))


def test_every_trigger_is_guarded_against_our_own_updates() -> None:
    triggers = [w.build({"webhook:triggers": "01HOOK"}) for w in desired_resources(Target("https://x.example"))
                if w.kind == "trigger"]

    for trigger in triggers:
        conditions = trigger["all"]
        assert any(c["field"] == "status" or c["value"] == OVERRIDE_TAG for c in conditions)
        assert any(c["operator"] == "not_includes" and "feedback_review" in c["value"] for c in conditions)
    assert all(tag in triggers[0]["all"][-1]["value"].split() for tag in GUARD_TAGS)
    assert {"field": "remove_tags", "value": OVERRIDE_TAG} in triggers[2]["actions"]


# --- the commands ----------------------------------------------------------------------------------


def test_the_commands_end_to_end(sandbox: SandboxState, sandbox_server: Any, engine: Engine,
                                 monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    env = {"FEEDBACKLOOP_DATABASE_URL": engine.url.render_as_string(hide_password=False),
           "FEEDBACKLOOP_PUBLIC_URL": "https://feedback.example.com", "ZENDESK_SUBDOMAIN": "sandbox",
           "ZENDESK_EMAIL": SANDBOX_EMAIL, "ZENDESK_API_TOKEN": SANDBOX_TOKEN,
           "ZENDESK_API_URL": sandbox_server.url,  # no ZENDESK_WEBHOOK_SECRET: install stores the webhooks' own
           "FEEDBACKLOOP_SECRET_KEY": "0123456789abcdef0123",
           "FEEDBACKLOOP_ENCRYPTION_KEY": Fernet.generate_key().decode()}
    runner = CliRunner()

    dry = runner.invoke(cli, ["install", "--dry-run"], env=env)
    made = runner.invoke(cli, ["install"], env=env)
    again = runner.invoke(cli, ["install"], env=env)
    doctor = runner.invoke(cli, ["doctor"], env=env)
    asked = runner.invoke(cli, ["uninstall"], env=env, input="n\n")
    kept = len(sandbox.webhooks())
    removed = runner.invoke(cli, ["uninstall", "--yes"], env=env)

    assert dry.exit_code == 0 and "dry run: 12 change(s) planned, nothing was changed" in dry.output
    assert made.exit_code == 0 and "12 change(s) made; webhook signing secrets stored (encrypted)" in made.output
    assert "set ZENDESK_CSAT_FIELD_ID=" in made.output
    assert again.exit_code == 0 and "0 change(s) made" in again.output
    assert doctor.exit_code == 1 and "PROBLEM  reachability" in doctor.output and "fix: " in doctor.output
    assert asked.exit_code == 1 and kept == 2
    assert removed.exit_code == 0 and removed.output.count("delete  ") == OURS and sandbox.webhooks() == []


def test_commands_refuse_a_missing_account_in_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("ZENDESK_SUBDOMAIN", "ZENDESK_EMAIL", "ZENDESK_API_TOKEN", "ZENDESK_WEBHOOK_SECRET"):
        monkeypatch.delenv(name, raising=False)

    result = CliRunner().invoke(cli, ["doctor"], env={"FEEDBACKLOOP_DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})

    assert result.exit_code == 1 and "ZENDESK_SUBDOMAIN" in result.output and "Traceback" not in result.output


def test_a_tenant_installs_with_its_own_account_and_route(sandbox: SandboxState, settings: Settings,
                                                          factory: Any) -> None:
    tenant = Account("sandbox", SANDBOX_EMAIL, SANDBOX_TOKEN, "s", api_url=settings.zendesk.api_url)  # type: ignore[union-attr]

    outcomes = install.run_install(settings, factory, account=tenant, tenant_id="acme")

    assert {w["endpoint"] for w in sandbox.webhooks()} == {"http://feedback.test/webhooks/zendesk/acme"}
    assert len(rows(factory, "acme")) == OURS and rows(factory) == []
    assert json.loads(json.dumps([o.action for o in outcomes])) == ["create"] * OURS
