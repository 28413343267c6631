"""The sandbox's admin API as `feedbackloop install` and `doctor` use it, checked with the REAL zenpy.

Every body below is one install really sends (`desired_resources`), created, read back, updated
in place and deleted through zenpy's own API objects; the webhook monitoring endpoints
(invocations, attempts) are checked against a real loopback receiver. zenpy is pointed at the
sandbox the documented way (ZENPY_FORCE_SCHEME / ZENPY_FORCE_NETLOC, subdomain still required).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response
from zenpy import Zenpy
from zenpy.lib.api_objects import Group, Macro, TicketField, Trigger, View, Webhook

from conftest import SANDBOX_EMAIL, SANDBOX_TOKEN
from feedbackloop.helpdesks.base import Account
from feedbackloop.helpdesks.sandbox import SandboxState
from feedbackloop.helpdesks.zendesk import client as client_module
from feedbackloop.helpdesks.zendesk.client import ZendeskClient
from feedbackloop.helpdesks.zendesk.install import Target, desired_resources

TARGET = Target("https://feedback.example.com")
STATUS_CHANGED = "zen:event-type:ticket.status_changed"


@pytest.fixture
def zd(sandbox: SandboxState, sandbox_server: Any, monkeypatch: pytest.MonkeyPatch) -> Zenpy:
    """The real zenpy client, aimed at the sandbox."""
    monkeypatch.setenv("ZENPY_FORCE_SCHEME", "http")
    monkeypatch.setenv("ZENPY_FORCE_NETLOC", sandbox_server.url.removeprefix("http://"))
    return Zenpy(subdomain="sandbox", email=SANDBOX_EMAIL, token=SANDBOX_TOKEN, disable_cache=True)


@pytest.fixture
def raw(sandbox: SandboxState, sandbox_server: Any) -> Iterator[requests.Session]:
    """An authenticated requests session, for what zenpy cannot express."""
    session = requests.Session()
    session.auth = (f"{SANDBOX_EMAIL}/token", SANDBOX_TOKEN)
    yield session
    session.close()


@pytest.fixture
def api(sandbox_server: Any) -> str:
    return f"{sandbox_server.url}/api/v2"


@dataclass
class Endpoint:
    """A webhook receiver on loopback answering each delivery with `status`."""

    status: int = 200
    url: str = ""
    hits: list[bytes] = field(default_factory=list)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        self.hits.append(Request(environ).get_data())
        return Response(b"{}", status=self.status, content_type="application/json")(environ, start_response)


class _Quiet(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


@pytest.fixture
def endpoint() -> Iterator[Endpoint]:
    receiver = Endpoint()
    server = make_server("127.0.0.1", 0, receiver, threaded=True, request_handler=_Quiet)
    receiver.url = f"http://127.0.0.1:{server.port}/webhooks/zendesk"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield receiver
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


def body_of(kind: str, key: str, resolved: dict[str, str] | None = None) -> dict[str, Any]:
    """The body install sends for one object."""
    wanted = {(w.kind, w.key): w for w in desired_resources(TARGET)}[(kind, key)]
    return wanted.build(resolved or {})


def event_webhook(zd: Zenpy, url: str) -> Any:
    return zd.webhooks.create(Webhook(name="events", endpoint=url, http_method="POST", request_format="json",
                                      status="active", subscriptions=[STATUS_CHANGED]))


# --- users/me ------------------------------------------------------------------------------------


def test_users_me_is_the_admin_behind_the_token(zd: Zenpy, sandbox: SandboxState) -> None:
    me = zd.users.me()

    assert (me.id, me.email, me.role) == (sandbox.api_user_id, SANDBOX_EMAIL, "admin")


# --- the bodies install sends ----------------------------------------------------------------------


def test_install_fields_create_read_update_delete(zd: Zenpy, sandbox: SandboxState) -> None:
    csat = zd.ticket_fields.create(TicketField(**body_of("ticket_field", "csat_score")))
    cause = zd.ticket_fields.create(TicketField(**body_of("ticket_field", "root_cause")))
    csat.title = "CSAT score (renamed)"
    zd.ticket_fields.update(csat)

    read = zd.ticket_fields(id=cause.id)
    assert zd.ticket_fields(id=csat.id).title == "CSAT score (renamed)" and csat.type == "integer"
    assert read.type == "tagger" and [o.value for o in read.custom_field_options] == [
        "feedback_root_cause_kb_gap", "feedback_root_cause_wrong_intent", "feedback_root_cause_tone", "feedback_root_cause_policy_violation",
        "feedback_root_cause_action_error", "feedback_root_cause_not_ai", "feedback_root_cause_no_issue"]
    zd.ticket_fields.delete(csat)
    assert [f.id for f in zd.ticket_fields()] == [cause.id]


def test_install_group_view_and_macro(zd: Zenpy, sandbox: SandboxState) -> None:
    reason = zd.ticket_fields.create(TicketField(**body_of("ticket_field", "override_reason")))
    group = zd.groups.create(Group(**body_of("group", "review")))
    view = zd.views.create(View(**body_of("view", "reviews")))
    macro = zd.macros.create(Macro(**body_of("macro", "override", {"ticket_field:override_reason": str(reason.id)})))

    shown = zd.views(id=view.id)
    assert group.name == "AI feedback reviews" and group.id != sandbox.support_group_id
    assert shown.conditions.all == [{"field": "status", "operator": "less_than", "value": "solved"},
                                    {"field": "current_tags", "operator": "includes", "value": "feedback_review"}]
    assert (shown.execution["sort_by"], shown.execution["sort_order"]) == ("due_date", "asc")
    assert {"field": f"custom_fields_{reason.id}", "value": "override_reason_other"} in zd.macros(id=macro.id).actions
    for api, record in ((zd.macros, macro), (zd.views, view), (zd.groups, group)):
        api.delete(record)
    assert [g.id for g in zd.groups()] == [sandbox.support_group_id]


def test_install_triggers_call_the_trigger_webhook(zd: Zenpy, raw: requests.Session, api: str) -> None:
    hook = zd.webhooks.create(Webhook(**body_of("webhook", "triggers")))
    body = body_of("trigger", "reopened", {"webhook:triggers": hook.id})
    trigger = zd.triggers.create(Trigger(**body))
    trigger.active = False
    zd.triggers.update(trigger)

    answer = raw.get(f"{api}/triggers/{trigger.id}.json", timeout=5).json()["trigger"]
    assert answer["conditions"] == {"all": body["all"], "any": []}
    assert answer["actions"][0]["field"] == "notification_webhook" and answer["actions"][0]["value"][0] == hook.id
    assert answer["active"] is False and answer["id"] == trigger.id
    assert zd.webhooks(id=hook.id).subscriptions == ["conditional_ticket_events"]


def test_a_webhook_is_replaced_in_place_and_keeps_its_secret(zd: Zenpy, raw: requests.Session, api: str) -> None:
    hook = zd.webhooks.create(Webhook(**body_of("webhook", "events")))
    secret = zd.webhooks.show_secret(hook.id).secret
    changed = {**body_of("webhook", "events"), "endpoint": "https://moved.example.com/webhooks/zendesk"}

    answer = raw.put(f"{api}/webhooks/{hook.id}", json={"webhook": changed}, timeout=5)
    switched = raw.put(f"{api}/webhooks/{hook.id}", timeout=5,
                       json={"webhook": {**changed, "subscriptions": ["conditional_ticket_events"]}})

    assert answer.status_code == 204 and answer.content == b""
    assert zd.webhooks(id=hook.id).endpoint == "https://moved.example.com/webhooks/zendesk"
    assert zd.webhooks.show_secret(hook.id).secret == secret
    assert switched.status_code == 400  # the connection method is fixed at creation (notes trap 20)


# --- webhook monitoring: invocations and attempts --------------------------------------------------


def test_invocations_list_each_delivery_newest_first(zd: Zenpy, sandbox: SandboxState, endpoint: Endpoint,
                                                     raw: requests.Session, api: str) -> None:
    hook = event_webhook(zd, endpoint.url)
    first = sandbox.simulate_customer_ticket(subject="Refund", body="Where is it?")
    sandbox.simulate_solve(first)
    sandbox.flush()
    endpoint.status = 401
    second = sandbox.simulate_customer_ticket(subject="Login", body="Locked out")
    sandbox.simulate_solve(second)
    sandbox.flush()

    invocations = list(zd.webhooks.invocations(hook.id))
    page = raw.get(f"{api}/webhooks/{hook.id}/invocations", params={"page[size]": 1}, timeout=5).json()
    nxt = raw.get(page["links"]["next"], timeout=5).json()

    assert [(i.status, i.status_code) for i in invocations] == [("failed", 401), ("success", 200)]
    assert [i["id"] for i in page["invocations"]] == [invocations[0].id] and page["meta"]["has_more"] is True
    assert [i["id"] for i in nxt["invocations"]] == [invocations[1].id] and nxt["meta"]["has_more"] is False
    assert len(endpoint.hits) == 2


def test_invocation_attempts_show_what_was_sent(zd: Zenpy, sandbox: SandboxState, endpoint: Endpoint,
                                                raw: requests.Session, api: str) -> None:
    hook = event_webhook(zd, endpoint.url)
    sandbox.simulate_solve(sandbox.simulate_customer_ticket(subject="Refund", body="Where is it?"))
    sandbox.flush()
    (invocation,) = zd.webhooks.invocations(hook.id)

    attempts = raw.get(f"{api}/webhooks/{hook.id}/invocations/{invocation.id}/attempts", timeout=5).json()["attempts"]
    unknown = raw.get(f"{api}/webhooks/{hook.id}/invocations/nope/attempts", timeout=5)
    no_hook = raw.get(f"{api}/webhooks/01NOSUCHWEBHOOK0000000000/invocations", timeout=5)

    (attempt,) = attempts
    assert attempt["status"] == "success" and attempt["response"]["status_code"] == 200
    assert STATUS_CHANGED in attempt["request"]["payload"]
    assert {"key": "X-Zendesk-Webhook-Id", "value": hook.id} in attempt["request"]["headers"]
    assert unknown.status_code == 404 and no_hook.status_code == 404


def test_an_unreachable_endpoint_is_a_failed_invocation_without_status(zd: Zenpy, sandbox: SandboxState) -> None:
    hook = event_webhook(zd, "http://127.0.0.1:9/webhooks/zendesk")
    sandbox.simulate_solve(sandbox.simulate_customer_ticket(subject="Refund", body="Where is it?"))
    sandbox.flush()

    (invocation,) = zd.webhooks.invocations(hook.id)
    assert (invocation.status, invocation.status_code) == ("failed", None)


# --- feedbackloop's ZendeskClient on the same endpoints --------------------------------------------


def test_zendesk_client_admin_calls(sandbox: SandboxState, sandbox_server: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(client_module, "ADMIN_PAGE_SIZE", 2)  # three triggers: two cursor pages
    client = ZendeskClient(Account("sandbox", SANDBOX_EMAIL, SANDBOX_TOKEN, "unused", api_url=sandbox_server.url))
    hook = client.create_record("webhook", body_of("webhook", "triggers"))
    made = [client.create_record("trigger", body_of("trigger", key, {"webhook:triggers": str(hook["id"])}))
            for key in ("solved", "reopened", "override")]

    client.update_record("webhook", hook["id"], {**body_of("webhook", "triggers"), "status": "inactive"})
    listed = client.list_records("trigger")
    gone = client.delete_record("trigger", made[0]["id"])

    assert client.get_me()["role"] == "admin"
    assert [t["id"] for t in listed] == [t["id"] for t in made]
    assert client.get_record("webhook", hook["id"])["status"] == "inactive"  # type: ignore[index]
    assert gone is True and client.delete_record("trigger", made[0]["id"]) is False
    assert client.get_record("trigger", made[0]["id"]) is None
    assert client.webhook_signing_secret(hook["id"]) == sandbox.signing_secret(hook["id"])["signing_secret"]["secret"]
    assert client.webhook_invocations(hook["id"]) == []
    with pytest.raises(ValueError):
        client.get_record("webhook", "../tickets")
