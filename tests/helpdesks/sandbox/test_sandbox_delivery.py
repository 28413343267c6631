"""The sandbox's webhooks, caught by a real HTTP receiver on loopback and checked like Zendesk's.

Signatures are checked with the adapter's own `signature.verify`; the envelope against the
documented Events-API shape; retries, duplicates, shuffling and loss against Zendesk's rules.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import pytest
import requests
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response
from zenpy import Zenpy
from zenpy.lib.api_objects import Comment, Ticket

from conftest import SANDBOX_EMAIL, SANDBOX_TOKEN
from feedbackloop.core.errors import SignatureInvalid
from feedbackloop.helpdesks.sandbox import SandboxState, serve_sandbox
from feedbackloop.helpdesks.zendesk.signature import verify

SECRET = "sandbox-test-webhook-secret"
STATUS_CHANGED = "zen:event-type:ticket.status_changed"
NANOSECOND_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z")
ULID = re.compile(r"[0-9A-HJKMNP-TV-Z]{26}")


@dataclass(frozen=True)
class Received:
    headers: dict[str, str]
    body: bytes

    @property
    def envelope(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """A webhook endpoint that records what arrives and answers from a script (default 200)."""

    url: str = ""
    received: list[Received] = field(default_factory=list)
    script: list[tuple[int, dict[str, str], float]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer_with(self, status: int, headers: dict[str, str] | None = None, delay: float = 0.0) -> None:
        with self.lock:
            self.script.append((status, headers or {}, delay))

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        request = Request(environ)
        with self.lock:
            self.received.append(Received(dict(request.headers), request.get_data()))
            status, headers, delay = self.script.pop(0) if self.script else (200, {}, 0.0)
        time.sleep(delay)
        return Response(b"{}", status=status, headers=headers, content_type="application/json")(environ, start_response)

    def types(self) -> list[str]:
        return [r.envelope["type"] for r in self.received]


class _Quiet(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """The receiving end, on a real loopback port."""
    endpoint = Receiver()
    server = make_server("127.0.0.1", 0, endpoint, threaded=True, request_handler=_Quiet)
    endpoint.url = f"http://127.0.0.1:{server.port}/webhooks/zendesk"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield endpoint
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


@pytest.fixture
def hooked(sandbox: SandboxState, receiver: Receiver) -> SandboxState:
    """The sandbox delivering status changes to the receiver."""
    sandbox.set_webhook_target(receiver.url, SECRET, [STATUS_CHANGED])
    return sandbox


def solved_ticket(sandbox: SandboxState, **fields: Any) -> int:
    ticket_id = sandbox.simulate_customer_ticket(subject="Refund", body="Where is my refund?",
                                                 email="ann@example.com", **fields)
    sandbox.simulate_agent_reply(ticket_id, "Sent today.")
    sandbox.simulate_solve(ticket_id)
    return ticket_id


def assert_signed(received: Received, secret: str = SECRET) -> None:
    verify(received.headers, received.body, secret, datetime.now(timezone.utc), max_skew=300)


# --- the envelope and its signature ------------------------------------------------------------


def test_a_solve_delivers_a_signed_status_changed_envelope(hooked: SandboxState, receiver: Receiver) -> None:
    ticket_id = solved_ticket(hooked, tags=["category_billing"], priority="high")
    assert hooked.flush(5)

    opened, solved = receiver.received  # new -> open on the agent's reply, open -> solved
    for received in (opened, solved):
        assert_signed(received)
    envelope, ticket = solved.envelope, hooked.ticket(ticket_id)
    assert (opened.envelope["event"], envelope["event"]) == ({"previous": "NEW", "current": "OPEN"},
                                                             {"previous": "OPEN", "current": "SOLVED"})
    assert envelope["type"] == STATUS_CHANGED and envelope["subject"] == f"zen:ticket:{ticket_id}"
    assert envelope["zendesk_event_version"] == "2022-11-06" and isinstance(envelope["account_id"], int)
    assert uuid.UUID(envelope["id"]) and NANOSECOND_TIME.fullmatch(envelope["time"])
    detail = envelope["detail"]
    assert (detail["id"], detail["requester_id"], detail["assignee_id"]) == (
        str(ticket_id), str(ticket["requester_id"]), str(hooked.agent_id))
    assert (detail["status"], detail["priority"], detail["tags"]) == ("SOLVED", "HIGH", ["category_billing"])
    assert (detail["actor_id"], detail["via"], detail["updated_at"]) == (
        str(hooked.agent_id), {"channel": "email"}, ticket["updated_at"])
    assert set(detail) >= {"brand_id", "created_at", "custom_status", "description", "external_id", "form_id",
                           "group_id", "is_public", "organization_id", "subject", "submitter_id", "type"}


def test_delivery_headers_are_zendesks(hooked: SandboxState, receiver: Receiver) -> None:
    solved_ticket(hooked)
    hooked.flush(5)

    headers = receiver.received[-1].headers
    (record, *_) = [d for d in hooked.deliveries if d.invocation_id == headers["X-Zendesk-Webhook-Invocation-Id"]]
    assert headers["User-Agent"] == "Zendesk Webhook"
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert headers["X-Zendesk-Account-Id"] == str(hooked.config.account_id)
    assert headers["X-Zendesk-Webhook-Id"] == hooked.webhooks()[0]["id"]
    assert ULID.fullmatch(headers["X-Zendesk-Webhook-Invocation-Id"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", headers["X-Zendesk-Webhook-Signature-Timestamp"])
    assert (record.outcome, record.status_code, record.attempt) == ("delivered", 200, 1)


def test_a_wrong_secret_or_a_changed_body_does_not_verify(hooked: SandboxState, receiver: Receiver) -> None:
    solved_ticket(hooked)
    hooked.flush(5)
    received = receiver.received[-1]

    with pytest.raises(SignatureInvalid):
        assert_signed(received, secret="another-secret")
    with pytest.raises(SignatureInvalid):
        verify(received.headers, received.body + b" ", SECRET, datetime.now(timezone.utc), max_skew=300)


def test_a_customer_reply_to_a_solved_ticket_is_a_reopen(hooked: SandboxState, receiver: Receiver) -> None:
    ticket_id = solved_ticket(hooked)
    hooked.simulate_customer_reply(ticket_id, "Still no refund")
    hooked.flush(5)

    reopen = receiver.received[-1].envelope
    assert reopen["event"] == {"previous": "SOLVED", "current": "OPEN"}
    assert reopen["detail"]["actor_id"] == reopen["detail"]["requester_id"]


def test_api_updates_raise_the_events_a_webhook_subscribes_to(sandbox: SandboxState, receiver: Receiver,
                                                              sandbox_server: Any,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    sandbox.set_webhook_target(receiver.url, SECRET)  # default: every ticket event feedbackloop parses
    monkeypatch.setenv("ZENPY_FORCE_SCHEME", "http")
    monkeypatch.setenv("ZENPY_FORCE_NETLOC", sandbox_server.url.removeprefix("http://"))
    zd = Zenpy(subdomain="sandbox", email=SANDBOX_EMAIL, token=SANDBOX_TOKEN, disable_cache=True)
    ticket = zd.tickets.create(Ticket(subject="Review", type="task", comment=Comment(body="Please review",
                                                                                     public=False))).ticket
    fetched = zd.tickets(id=ticket.id)
    fetched.comment = Comment(body="How did we do?", public=True)
    fetched.tags = ["csat_sent"]
    zd.tickets.update(fetched)
    sandbox.flush(5)

    by_type = {r.envelope["type"].rsplit(".", 1)[-1]: r.envelope for r in receiver.received}
    assert sorted(by_type) == ["comment_added", "created", "tags_changed"]
    assert by_type["created"]["detail"]["via"] == {"channel": "web_service"}  # API-made, as Zendesk says
    assert by_type["created"]["detail"]["type"] == "TASK" and by_type["created"]["detail"]["is_public"] is False
    comment = by_type["comment_added"]["event"]["comment"]
    assert (comment["body"], comment["is_public"], comment["author"]["id"]) == (
        "How did we do?", True, str(sandbox.api_user_id))
    assert by_type["tags_changed"]["event"] == {"tags_added": ["csat_sent"], "tags_removed": []}
    assert {r.envelope["detail"]["actor_id"] for r in receiver.received} == {str(sandbox.api_user_id)}


def test_a_webhook_made_through_the_api_signs_with_its_own_secret(sandbox: SandboxState, receiver: Receiver,
                                                                  sandbox_server: Any) -> None:
    session = requests.Session()
    session.auth = (f"{SANDBOX_EMAIL}/token", SANDBOX_TOKEN)
    api = f"{sandbox_server.url}/api/v2"
    made = session.post(f"{api}/webhooks", json={"webhook": {
        "name": "feedbackloop", "endpoint": receiver.url, "http_method": "POST", "request_format": "json",
        "status": "active", "subscriptions": [STATUS_CHANGED]}}, timeout=5).json()["webhook"]
    secret = session.get(f"{api}/webhooks/{made['id']}/signing_secret", timeout=5).json()["signing_secret"]["secret"]
    trigger_hook = session.post(f"{api}/webhooks", json={"webhook": {
        "name": "trigger", "endpoint": receiver.url, "http_method": "POST", "request_format": "json",
        "subscriptions": ["conditional_ticket_events"]}}, timeout=5)
    session.close()

    solved_ticket(sandbox)
    sandbox.flush(5)

    assert trigger_hook.status_code == 201
    assert receiver.types() == [STATUS_CHANGED, STATUS_CHANGED]  # the trigger webhook gets nothing by itself
    assert {r.headers["X-Zendesk-Webhook-Id"] for r in receiver.received} == {made["id"]}
    for received in receiver.received:
        assert_signed(received, secret)


def test_an_inactive_webhook_delivers_nothing(hooked: SandboxState, receiver: Receiver, sandbox_server: Any) -> None:
    webhook_id = hooked.webhooks()[0]["id"]
    requests.patch(f"{sandbox_server.url}/api/v2/webhooks/{webhook_id}", json={"webhook": {"status": "inactive"}},
                   auth=(f"{SANDBOX_EMAIL}/token", SANDBOX_TOKEN), timeout=5)

    solved_ticket(hooked)
    hooked.flush(5)

    assert receiver.received == []


# --- retries: only 409, timeouts and 429/503 with a short Retry-After --------------------------------


def test_409_is_retried_with_the_same_invocation_id(hooked: SandboxState, receiver: Receiver) -> None:
    hooked.configure_delivery(retry_delay=0.01)
    receiver.answer_with(409)
    receiver.answer_with(409)
    ticket_id = hooked.simulate_customer_ticket(subject="x", body="y", email="c@example.com")
    hooked.simulate_solve(ticket_id)
    hooked.flush(5)

    invocations = [r.headers["X-Zendesk-Webhook-Invocation-Id"] for r in receiver.received]
    assert len(invocations) == 3 and len(set(invocations)) == 1
    assert [(d.attempt, d.outcome) for d in hooked.deliveries] == [(1, "retrying"), (2, "retrying"), (3, "delivered")]
    assert len({r.envelope["id"] for r in receiver.received}) == 1


@pytest.mark.parametrize(("status", "headers", "attempts"), [
    (503, {"Retry-After": "0"}, 2),   # short Retry-After: retried
    (429, {"Retry-After": "0"}, 2),
    (503, {"Retry-After": "120"}, 1),  # 60 s or more: not retried
    (503, {}, 1),                      # no Retry-After: not retried
    (500, {"Retry-After": "0"}, 1),    # other errors are final
    (410, {}, 1),
])
def test_which_failures_zendesk_retries(hooked: SandboxState, receiver: Receiver, status: int,
                                        headers: dict[str, str], attempts: int) -> None:
    receiver.answer_with(status, headers)
    ticket_id = hooked.simulate_customer_ticket(subject="x", body="y", email="c@example.com")
    hooked.simulate_solve(ticket_id)
    hooked.flush(5)

    assert len(receiver.received) == attempts
    assert hooked.deliveries[-1].outcome == ("delivered" if attempts == 2 else "failed")


def test_a_timeout_is_retried(hooked: SandboxState, receiver: Receiver) -> None:
    hooked.configure_delivery(timeout=0.2, retry_delay=0.01)
    receiver.answer_with(200, delay=0.5)
    ticket_id = hooked.simulate_customer_ticket(subject="x", body="y", email="c@example.com")
    hooked.simulate_solve(ticket_id)
    hooked.flush(5)

    first, second = hooked.deliveries
    assert (first.outcome, first.status_code, first.error is not None) == ("retrying", None, True)
    assert (second.outcome, second.attempt) == ("delivered", 2)


def test_an_unreachable_endpoint_is_recorded_not_retried(sandbox: SandboxState) -> None:
    sandbox.set_webhook_target("http://127.0.0.1:9/webhooks/zendesk", SECRET, [STATUS_CHANGED])
    ticket_id = sandbox.simulate_customer_ticket(subject="x", body="y", email="c@example.com")
    sandbox.simulate_solve(ticket_id)
    sandbox.flush(5)

    (record,) = sandbox.deliveries
    assert (record.outcome, record.status_code) == ("failed", None) and "ConnectionError" in (record.error or "")


# --- best effort: duplicates, order, loss (each off by default) -----------------------------------


def test_duplicates_carry_the_same_event_under_a_new_invocation(hooked: SandboxState, receiver: Receiver) -> None:
    hooked.configure_delivery(duplicate_share=1.0)
    solved_ticket(hooked)
    hooked.flush(5)

    by_event: dict[str, set[str]] = {}
    for received in receiver.received:
        assert_signed(received)
        by_event.setdefault(received.envelope["id"], set()).add(received.headers["X-Zendesk-Webhook-Invocation-Id"])
    assert len(receiver.received) == 4 and [len(v) for v in by_event.values()] == [2, 2]
    assert sum(d.duplicate for d in hooked.deliveries) == 2


def test_order_is_kept_unless_shuffled(hooked: SandboxState, receiver: Receiver) -> None:
    def solve_all() -> list[int]:
        ids = [hooked.simulate_customer_ticket(subject=f"t{n}", body="b", email="c@example.com") for n in range(15)]
        for ticket_id in ids:
            hooked.simulate_solve(ticket_id)
        hooked.flush(5)
        return ids

    in_order = solve_all()
    assert [int(r.envelope["detail"]["id"]) for r in receiver.received] == in_order
    receiver.received.clear()
    hooked.configure_delivery(shuffle=True, shuffle_window=0.2, seed=7)

    shuffled = solve_all()
    arrived = [int(r.envelope["detail"]["id"]) for r in receiver.received]
    assert sorted(arrived) == shuffled and arrived != shuffled


def test_lost_deliveries_are_recorded_as_dropped(hooked: SandboxState, receiver: Receiver) -> None:
    hooked.configure_delivery(drop_share=1.0)
    solved_ticket(hooked)
    hooked.flush(5)

    assert receiver.received == []
    assert [d.outcome for d in hooked.deliveries] == ["dropped", "dropped"]


def test_flush_waits_for_the_queue_and_reset_empties_it(hooked: SandboxState, receiver: Receiver) -> None:
    receiver.answer_with(200, delay=0.3)
    solved_ticket(hooked)

    assert hooked.flush(0.05) is False
    assert hooked.flush(5) is True and len(receiver.received) == 2
    hooked.reset()
    assert hooked.deliveries == [] and hooked.webhooks() == []


def test_delivery_options_over_http(hooked: SandboxState, receiver: Receiver, sandbox_server: Any) -> None:
    control = f"{sandbox_server.url}/__sandbox"
    options = requests.post(f"{control}/delivery", json={"duplicate_share": 1.0}, timeout=5).json()["delivery"]
    solved_ticket(hooked)
    drained = requests.post(f"{control}/flush", json={"timeout": 5}, timeout=10).json()
    records = requests.get(f"{control}/deliveries", timeout=5).json()["deliveries"]

    assert options["duplicate_share"] == 1.0 and drained == {"drained": True}
    assert len(records) == 4 and {r["outcome"] for r in records} == {"delivered"}
    assert requests.post(f"{control}/delivery", json={"drop_share": 2}, timeout=5).status_code == 400


def test_serve_sandbox_runs_its_own_server_and_target_over_http(receiver: Receiver) -> None:
    with serve_sandbox(port=0, email="other@example.com", api_token="other-token", rate_limit=200) as server:
        control = f"{server.url}/__sandbox"
        requests.post(f"{control}/webhook_target", json={"url": receiver.url, "secret": SECRET,
                                                         "subscriptions": [STATUS_CHANGED]}, timeout=5)
        ticket_id = requests.post(f"{control}/tickets", json={"subject": "s", "body": "b"}, timeout=5).json()["ticket"]["id"]
        requests.post(f"{control}/tickets/{ticket_id}/solve", timeout=5)
        server.state.flush(5)
        me = requests.get(f"{server.url}/api/v2/users/me.json", auth=("other@example.com/token", "other-token"), timeout=5)

    assert me.headers["X-Rate-Limit"] == "200"
    assert [r.envelope["event"]["current"] for r in receiver.received] == ["SOLVED"]
