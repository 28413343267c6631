"""The sandbox against recorded Zendesk: the requests our client sends, answered in Zendesk's shapes.

For each recording in fixtures/zendesk/recorded (real exchanges from zenpy's cassettes, Zendesk's
documented examples), the same call is made with OUR client (ZendeskClient) against the sandbox, and
the raw answer it got is compared with the recorded one: the same status, every recorded key with the
same JSON type (zendesk_contract.shape_problems), the same rate-limit headers by name and form. A
sandbox that drifts from the recordings fails here. Recordings of calls we never make are listed in
NOT_SENT with the reason, and a recording neither compared nor listed fails the suite.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
import requests

from conftest import SANDBOX_EMAIL, SANDBOX_TOKEN, WEBHOOK_SECRET
from feedbackloop.core import errors
from feedbackloop.helpdesks.base import Account, BulkUpdate, NewTicket, TicketUpdate
from feedbackloop.helpdesks.sandbox import SandboxState
from feedbackloop.helpdesks.zendesk import install
from feedbackloop.helpdesks.zendesk.client import ZendeskClient
from zendesk_contract import exchanges, header_problems, load, media_type, recorded_names, shape_problems

AGENT_TOKEN = "agent-api-token"
TARGET = install.Target("https://feedback.example.com")
RESOLVED = {"webhook:triggers": "01HANAHHBNJDDW768TX5J4YFX7", "ticket_field:override_reason": "123"}

#: Recordings of calls feedbackloop never makes: not compared with the sandbox (the client-side replay
#: still reads what it can of them).
NOT_SENT = {
    "comment_redact": "we never redact attachments (kept for its per-ticket-updates header spelling)",
    "webhook_patch": "install replaces a webhook with PUT; we never PATCH",
    "webhook_signing_secret_reset": "we read signing secrets, never reset them",
    "webhook_invocation_attempts": "doctor reads invocations, not their attempts",
    "job_status_documented": "older documented example (title, errors); current recordings have neither",
}
#: Recorded paths the sandbox may leave out, with why.
EXEMPT: dict[str, str] = {
    "$.user.authenticity_token": "only in answers to a browser session (the recording's users/me was one)",
    "$.comments[].via.source": "depends on the channel a comment came by (the recorded one has a to-address)",
    "$.comments[].metadata.system.location": "the caller's geolocation: not modelled",
    "$.comments[].metadata.system.latitude": "the caller's geolocation: not modelled",
    "$.comments[].metadata.system.longitude": "the caller's geolocation: not modelled",
    "$.audit.metadata.system.location": "the caller's geolocation: not modelled",
    "$.audit.metadata.system.latitude": "the caller's geolocation: not modelled",
    "$.audit.metadata.system.longitude": "the caller's geolocation: not modelled",
    "$.webhook.authentication": "present for a webhook with authentication only (the recorded ones had basic auth; "
                                "ours have none, and the recorded webhook_create shows the key left out then)",
    "$.webhooks[].authentication": "present for a webhook with authentication only (see $.webhook.authentication)",
}


@dataclass
class Wire:
    """Our client on the sandbox, keeping every raw answer it got (a requests response hook)."""

    client: ZendeskClient
    state: SandboxState
    answers: list[requests.Response] = field(default_factory=list)

    def take(self) -> list[requests.Response]:
        """The answers since the last take."""
        taken, self.answers[:] = list(self.answers), []
        return taken


def client_for(url: str, token: str = SANDBOX_TOKEN, email: str = SANDBOX_EMAIL) -> ZendeskClient:
    return ZendeskClient(Account(subdomain="sandbox", email=email, api_token=token, webhook_secret=WEBHOOK_SECRET,
                                 api_url=url))


@pytest.fixture
def wire(sandbox: SandboxState, sandbox_server: Any) -> Iterator[Wire]:
    client = client_for(sandbox_server.url)
    wired = Wire(client, sandbox)
    client._session.hooks["response"].append(lambda response, *args, **kwargs: wired.answers.append(response))
    yield wired
    client.close()


def new_ticket(state: SandboxState) -> int:
    ticket_id = state.simulate_customer_ticket(subject="Printer on fire", body="It is on fire.", email="c@example.net")
    state.simulate_agent_reply(ticket_id, "Put it out, please.")
    return ticket_id


def expect(error: type[Exception], call: Callable[[], Any]) -> None:
    with pytest.raises(error):
        call()


def body_of(response: requests.Response) -> Any:
    return response.json() if response.content else None


# --- each recording: the same call, with our client, against the sandbox --------------------------


def webhook(wire: Wire, key: str = "events") -> str:
    made = wire.client.create_record("webhook", install.events_webhook_body(TARGET) if key == "events"
                                     else install.trigger_webhook_body(TARGET))
    wire.take()
    return str(made["id"])


def record(wire: Wire, kind: str, body: dict[str, Any]) -> str:
    made = wire.client.create_record(kind, body)
    wire.take()
    return str(made["id"])


def run_update_many(wire: Wire) -> list[requests.Response]:
    ids = tuple(new_ticket(wire.state) for _ in range(3))
    wire.take()
    job = wire.client.update_many(BulkUpdate(ids, add_tags=("csat_5", "csat_good"), remove_tags=("csat_1",),
                                             comment_body="Customer feedback: 5/5", comment_public=False))
    answers = wire.take()
    while not wire.client.batch_status(job).done:
        pass
    return answers + wire.take()


def run_incremental(wire: Wire) -> list[requests.Response]:
    wire.state.configure(export_lag=0)
    for _ in range(2):
        new_ticket(wire.state)
    wire.take()
    first = wire.client.changed_tickets(wire.state.now() - timedelta(hours=1))
    wire.client.changed_tickets(wire.state.now() - timedelta(hours=1), first.cursor)
    return wire.take()


def run_invocations(wire: Wire, url: str) -> list[requests.Response]:
    hook = wire.state.set_webhook_target(url, WEBHOOK_SECRET)
    new_ticket(wire.state)
    wire.state.flush()
    wire.client.webhook_invocations(hook)
    return wire.take()


CALLS: dict[str, Callable[[Wire], Any]] = {
    "ticket_show": lambda w: w.client.get_ticket(new_ticket(w.state)),
    "ticket_create": lambda w: w.client.create_ticket(NewTicket(subject="Feedback review: ticket #1",
                                                                comment_body="Low rating", tags=("feedback_review",))),
    "ticket_update": lambda w: w.client.update_ticket(new_ticket(w.state), TicketUpdate(
        comment_body="How did we do?", comment_public=True, tags=("csat_sent",))),
    "ticket_update_not_found": lambda w: expect(errors.TicketNotFound, lambda: w.client.update_ticket(
        9223372036854775807, TicketUpdate(comment_body="How did we do?"))),
    "ticket_comments": lambda w: w.client.list_comments(new_ticket(w.state)),
    "users_me": lambda w: w.client.get_me(),
    "user_show": lambda w: w.client.get_user(w.state.api_user_id),
    "webhook_create": lambda w: w.client.create_record("webhook", install.trigger_webhook_body(TARGET)),
    "webhook_show": lambda w: w.client.get_record("webhook", webhook(w)),
    "webhook_list": lambda w: (webhook(w), w.client.list_records("webhook")),
    "webhook_update": lambda w: w.client.update_record("webhook", webhook(w), install.events_webhook_body(TARGET)),
    "webhook_delete": lambda w: w.client.delete_record("webhook", webhook(w)),
    "webhook_signing_secret": lambda w: w.client.webhook_signing_secret(webhook(w)),
    "trigger_create": lambda w: w.client.create_record("trigger", install.solved_trigger_body(RESOLVED)),
    "trigger_update": lambda w: w.client.update_record(
        "trigger", record(w, "trigger", install.solved_trigger_body(RESOLVED)), install.reopened_trigger_body(RESOLVED)),
    "trigger_delete": lambda w: w.client.delete_record(
        "trigger", record(w, "trigger", install.solved_trigger_body(RESOLVED))),
    "triggers_list": lambda w: (record(w, "trigger", install.solved_trigger_body(RESOLVED)),
                                w.client.list_records("trigger")),
    "trigger_update_not_found": lambda w: expect(errors.TicketNotFound, lambda: w.client.update_record(
        "trigger", 9223372036854775807, install.solved_trigger_body(RESOLVED))),
    "ticket_field_create": lambda w: w.client.create_record("ticket_field", install.csat_field_body(RESOLVED)),
    "ticket_field_update": lambda w: w.client.update_record(
        "ticket_field", record(w, "ticket_field", install.csat_field_body(RESOLVED)), install.csat_field_body(RESOLVED)),
    "ticket_field_delete": lambda w: w.client.delete_record(
        "ticket_field", record(w, "ticket_field", install.source_ticket_field_body(RESOLVED))),
    "group_create": lambda w: w.client.create_record("group", install.group_body(RESOLVED)),
    "group_update": lambda w: w.client.update_record("group", record(w, "group", install.group_body(RESOLVED)),
                                                     install.group_body(RESOLVED)),
    "groups_list": lambda w: w.client.list_records("group"),
    "view_create": lambda w: w.client.create_record("view", install.review_view_body(RESOLVED)),
    "view_update": lambda w: w.client.update_record("view", record(w, "view", install.review_view_body(RESOLVED)),
                                                    install.review_view_body(RESOLVED)),
    "macro_create": lambda w: w.client.create_record("macro", install.override_macro_body(RESOLVED)),
    "macro_update": lambda w: w.client.update_record("macro", record(w, "macro", install.override_macro_body(RESOLVED)),
                                                     install.override_macro_body(RESOLVED)),
    "error_409_update_conflict": lambda w: expect(errors.Conflict, lambda: w.client.update_ticket(
        new_ticket(w.state), TicketUpdate(comment_body="x", updated_stamp=w.state.now() - timedelta(days=1)))),
}


def closed_ticket(state: SandboxState) -> int:
    ticket_id = new_ticket(state)
    state.simulate_solve(ticket_id)
    state.simulate_close(ticket_id)
    return ticket_id


CALLS["error_422_closed_ticket"] = lambda w: expect(errors.TicketClosed, lambda: w.client.update_ticket(
    closed_ticket(w.state), TicketUpdate(comment_body="How did we do?", comment_public=True)))


def rate_limited(w: Wire) -> None:
    w.state.configure(rate_limit=1)
    w.client.get_me()
    w.take()
    expect(errors.Retryable, w.client.get_me)


def ticket_updates_spent(w: Wire) -> None:
    ticket_id = new_ticket(w.state)
    w.state.configure(ticket_update_rate_limit=1)
    w.client.update_ticket(ticket_id, TicketUpdate(comment_body="first"))
    w.take()
    with pytest.raises(errors.Retryable) as caught:
        w.client.update_ticket(ticket_id, TicketUpdate(comment_body="second"))
    assert caught.value.scope == "ticket_updates"  # the endpoint's limit, not the account's


def forbidden(w: Wire) -> None:
    w.state.configure(agent_api_token=AGENT_TOKEN)
    agent = client_for(w.client._api_url or "", token=AGENT_TOKEN, email="sam.agent@sandbox.example")
    agent._session.hooks["response"].append(lambda response, *args, **kwargs: w.answers.append(response))
    with pytest.raises(errors.Permanent) as caught:
        agent.changed_tickets(w.state.now() - timedelta(hours=1))
    assert caught.value.code == "forbidden"


CALLS["error_429_rate_limited"] = rate_limited
CALLS["error_429_ticket_updates"] = ticket_updates_spent
CALLS["error_403_forbidden"] = forbidden


def too_many(w: Wire) -> None:
    """We never send more than 100 (the client refuses); the sandbox must still answer like Zendesk."""
    answer = requests.put(f"{w.client._api_url}/api/v2/tickets/update_many.json",
                          params={"ids": ",".join(str(n) for n in range(1, 102))},
                          json={"ticket": {"additional_tags": ["x"]}}, auth=(f"{SANDBOX_EMAIL}/token", SANDBOX_TOKEN),
                          timeout=5)
    w.answers.append(answer)


CALLS["tickets_create_many_too_many"] = too_many


def compare(name: str, recorded: list[dict[str, Any]], answers: list[requests.Response]) -> list[str]:
    """Every problem of the sandbox's answers against the recorded ones, in order."""
    assert len(answers) >= len(recorded), f"{name}: {len(answers)} answers for {len(recorded)} recorded"
    problems: list[str] = []
    for want, got in zip(recorded, answers[-len(recorded):]):
        response = want["response"]
        if got.status_code != response["status"]:
            problems.append(f"status {got.status_code}, Zendesk answered {response['status']}")
        expected_type = media_type(response["headers"])
        if response["body"] is not None and expected_type and media_type(got.headers) != expected_type:
            problems.append(f"content type {got.headers.get('Content-Type')}, Zendesk's is {expected_type}")
        problems += header_problems(response["headers"], got.headers)
        problems += shape_problems(response["body"], body_of(got), exempt=EXEMPT)
    return problems


@pytest.mark.parametrize("name", sorted(CALLS))
def test_the_sandbox_answers_our_calls_as_zendesk_did(name: str, wire: Wire) -> None:
    wire.take()
    CALLS[name](wire)

    assert compare(name, exchanges(name), wire.take()) == []


def test_bulk_jobs_are_answered_as_recorded_from_queued_to_completed(wire: Wire) -> None:
    recorded = exchanges("tickets_update_many")
    answers = run_update_many(wire)
    by_status = {}
    for answer in answers:
        by_status.setdefault(answer.json()["job_status"]["status"], answer)
    problems = []
    for want in recorded:
        status = want["response"]["body"]["job_status"]["status"]
        problems += [f"{status}: {p}" for p in compare("tickets_update_many", [want], [by_status[status]])]

    assert set(by_status) == {"queued", "working", "completed"}
    assert problems == []


def test_the_incremental_export_is_answered_as_recorded(wire: Wire) -> None:
    assert compare("incremental_tickets_cursor", exchanges("incremental_tickets_cursor"), run_incremental(wire)) == []


def test_webhook_invocations_are_answered_as_recorded(wire: Wire, sandbox_server: Any) -> None:
    answers = run_invocations(wire, sandbox_server.url + "/__sandbox/state")  # any URL that answers

    assert compare("webhook_invocations", exchanges("webhook_invocations"), answers) == []


def test_the_sandbox_delivers_webhooks_as_zendesk_does(wire: Wire, sandbox_server: Any) -> None:
    """The envelope of a ticket.created delivery has the recorded payload's keys and types (description
    included), and every delivery carries the headers of the recorded real delivery."""
    import json

    wire.state.set_webhook_target(sandbox_server.url + "/__sandbox/state", WEBHOOK_SECRET)
    ticket_id = wire.state.simulate_customer_ticket(subject="Help", body="My printer is on fire.")
    wire.state.flush()
    created = next(d for d in wire.state.deliveries if d.event_type.endswith("ticket.created"))
    recorded = json.loads(load("webhook_ticket_created")["delivery"]["payload"])
    real = load("webhook_delivery_user_deleted")["delivery"]

    assert shape_problems(recorded, created.envelope) == []
    assert created.envelope["detail"]["description"] == "My printer is on fire."
    assert int(created.envelope["detail"]["id"]) == ticket_id
    assert sorted(k.lower() for k in real["headers"]) == sorted(k.lower() for k in created.headers)


COMPARED_ELSEWHERE = {"tickets_update_many", "incremental_tickets_cursor", "webhook_invocations",
                      "webhook_ticket_created", "webhook_delivery_user_deleted"}


def test_every_recording_is_compared_with_the_sandbox_or_says_why_not() -> None:
    covered = set(CALLS) | COMPARED_ELSEWHERE | set(NOT_SENT)

    assert sorted(set(recorded_names()) - covered) == [], "a recording nobody checks the sandbox against"
    assert sorted(covered - set(recorded_names())) == [], "a check of a recording that is not there"
    assert all(load(name)["source"].get("kind") for name in recorded_names())


def test_the_comparison_catches_a_sandbox_that_drifts() -> None:
    recorded = exchanges("ticket_show")[0]["response"]
    drifted = dict(recorded["body"]["ticket"])
    drifted.pop("via")
    drifted["id"] = str(drifted["id"])

    problems = shape_problems(recorded["body"], {"ticket": drifted})

    assert "$.ticket.via: missing" in problems and "$.ticket.id: string where Zendesk has integer" in problems
    assert header_problems({"rate-limit-reset": "59"}, {"ratelimit-reset": "59"}) == ["header rate-limit-reset: missing"]
    assert header_problems({"zendesk-rate-limit-tickets-update": "total=20; remaining=19; resets=59"},
                           {"zendesk-rate-limit-tickets-update": "20"})


def test_a_trial_account_has_an_update_ticket_limit_of_20(wire: Wire) -> None:
    wire.state.configure(trial=True)
    ticket_id = new_ticket(wire.state)
    wire.take()
    wire.client.update_ticket(ticket_id, TicketUpdate(comment_body="first"))

    (answer,) = wire.take()
    assert answer.headers["zendesk-rate-limit-tickets-update"].startswith("total=20; ")
    assert wire.client.ticket_update_limit is not None and wire.client.ticket_update_limit.limit == 20


def test_agents_updates_in_the_ui_spend_the_update_ticket_budget(wire: Wire) -> None:
    wire.state.configure(ticket_update_rate_limit=5)
    ticket_id = new_ticket(wire.state)  # one agent reply: one update of the budget
    wire.state.spend_agent_updates(3)
    wire.client.update_ticket(ticket_id, TicketUpdate(comment_body="ours"))  # the fifth

    with pytest.raises(errors.Retryable) as caught:
        wire.client.update_ticket(ticket_id, TicketUpdate(comment_body="one too many"))
    assert caught.value.scope == "ticket_updates" and caught.value.retry_after is not None
    assert wire.state.update_refusals() and wire.state.agent_updates() == 4


def test_an_agents_token_is_refused_on_admin_only_endpoints_and_allowed_on_tickets(wire: Wire,
                                                                                   sandbox_server: Any) -> None:
    wire.state.configure(agent_api_token=AGENT_TOKEN)
    agent = client_for(sandbox_server.url, token=AGENT_TOKEN, email="sam.agent@sandbox.example")
    ticket_id = new_ticket(wire.state)

    assert agent.get_me()["role"] == "agent"
    agent.update_ticket(ticket_id, TicketUpdate(comment_body="How did we do?", comment_public=True))
    for call in (lambda: agent.changed_tickets(wire.state.now() - timedelta(hours=1)),
                 lambda: agent.list_records("webhook"),
                 lambda: agent.create_record("trigger", install.solved_trigger_body(RESOLVED)),
                 lambda: agent.create_record("ticket_field", install.csat_field_body(RESOLVED))):
        with pytest.raises(errors.Permanent) as caught:
            call()
        assert caught.value.code == "forbidden"
    assert agent.list_records("trigger") == []  # agents may list triggers
    assert wire.state.ticket_comments(ticket_id)[-1]["author_id"] == wire.state.agent_id


def test_a_bulk_job_fails_tickets_changed_after_it_was_queued_and_closed_ones(wire: Wire) -> None:
    changed, closed, untouched = new_ticket(wire.state), closed_ticket(wire.state), new_ticket(wire.state)
    job = wire.client.update_many(BulkUpdate((changed, closed, untouched), add_tags=("csat_5",)))
    time.sleep(0.01)
    wire.state.simulate_tags(changed, add=["vip"])  # an agent, between queueing and running

    status = wire.client.batch_status(job)
    while not status.done:
        status = wire.client.batch_status(job)

    assert status.results[untouched] is None
    assert status.results[changed] is not None and "after this job was queued" in status.results[changed]
    assert status.results[closed] is not None and "closed" in status.results[closed]
    assert "csat_5" not in wire.state.ticket(changed)["tags"] and "csat_5" in wire.state.ticket(untouched)["tags"]
