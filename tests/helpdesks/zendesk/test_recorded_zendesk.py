"""Recorded Zendesk answers replayed into OUR client (the real zenpy underneath, `responses` at the wire).

Every recording in fixtures/zendesk/recorded (real exchanges from zenpy's cassettes, Zendesk's
documented examples, real deliveries) is read here by the code that reads such answers in
production: what does our client make of it? The other direction (does the sandbox answer like
this?) is tests/helpdesks/sandbox/test_sandbox_contract.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import requests
import responses
from responses import matchers

from feedbackloop.core import errors
from feedbackloop.helpdesks.base import Account, BulkUpdate, NewTicket, TicketUpdate
from feedbackloop.helpdesks.zendesk import events
from feedbackloop.helpdesks.zendesk.client import ZendeskClient, error_for_response, read_endpoint_limits
from zendesk_contract import exchanges, load, recorded_names

ACCOUNT = Account(subdomain="example", email="bot@example.com", api_token="tok", webhook_secret="whsec")
ORIGIN = "https://example.zendesk.com"
NOW = datetime(2023, 9, 18, 23, 30, tzinfo=timezone.utc)


@pytest.fixture
def zendesk_http() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


@pytest.fixture
def client() -> Iterator[ZendeskClient]:
    zendesk = ZendeskClient(ACCOUNT)
    yield zendesk
    zendesk.close()


def replay(mock: responses.RequestsMock, name: str, index: int = 0, *, match: Any = ()) -> dict[str, Any]:
    """Answer the recorded request (on our host) with the recorded answer: status, headers, body."""
    exchange = exchanges(name)[index]
    answer = exchange["response"]
    headers = {k: v for k, v in answer["headers"].items() if k != "content-type"}
    body = "" if answer["body"] is None else json.dumps(answer["body"])
    mock.add(exchange["request"]["method"] or "GET", ORIGIN + exchange["request"]["path"], body=body,
             status=answer["status"], headers=headers,
             content_type=answer["headers"].get("content-type", "application/json"), match=match)
    return exchange


def recorded_response(name: str, index: int = 0) -> requests.Response:
    """A recorded answer as a requests.Response, for the error mapping."""
    answer = exchanges(name)[index]["response"]
    response = requests.Response()
    response.status_code = answer["status"]
    response.headers.update(answer["headers"])
    response._content = json.dumps(answer["body"]).encode()
    response.request = requests.Request("PUT", ORIGIN + "/api/v2/tickets/1.json").prepare()
    return response


# --- tickets --------------------------------------------------------------------------------------


def test_ticket_show_and_the_2023_rate_limit_reset_header(client: ZendeskClient, zendesk_http: Any) -> None:
    replay(zendesk_http, "ticket_show")

    ticket = client.get_ticket(4017)

    assert (ticket.id, ticket.status, ticket.channel, ticket.requester_id) == (4017, "new", "api", 6130907993114)
    assert ticket.updated_at == datetime(2023, 9, 18, 23, 34, 36, tzinfo=timezone.utc)
    # this answer spells the reset `rate-limit-reset` only (2023): it is read
    budget = client.last_rate_limit
    assert budget is not None and (budget.limit, budget.remaining, budget.reset_in) == (700, 560, 24.0)


def test_ticket_update_reports_the_update_ticket_budget_apart_from_the_accounts(client: ZendeskClient,
                                                                               zendesk_http: Any) -> None:
    replay(zendesk_http, "ticket_update")

    ticket = client.update_ticket(4016, TicketUpdate(comment_body="How did we do?", comment_public=True))

    assert ticket.id == 4016 and ticket.updated_at == datetime(2023, 9, 18, 23, 26, 1, tzinfo=timezone.utc)
    account, updates = client.last_rate_limit, client.ticket_update_limit
    assert account is not None and (account.limit, account.remaining, account.reset_in) == (700, 696, 59.0)
    assert updates is not None and (updates.limit, updates.remaining, updates.reset_in) == (20, 19, 59.0)


def test_ticket_create(client: ZendeskClient, zendesk_http: Any) -> None:
    replay(zendesk_http, "ticket_create")

    created = client.create_ticket(NewTicket(subject="test", comment_body="test"))

    assert (created.id, created.status, created.subject) == (4014, "new", "test")


def test_an_update_of_a_ticket_that_does_not_exist(client: ZendeskClient, zendesk_http: Any) -> None:
    replay(zendesk_http, "ticket_update_not_found")

    with pytest.raises(errors.TicketNotFound) as caught:
        client.update_ticket(9223372036854775807, TicketUpdate(comment_body="x"))
    assert "RecordNotFound" in caught.value.reason


def test_comments_and_the_2024_ratelimit_headers(client: ZendeskClient, zendesk_http: Any) -> None:
    replay(zendesk_http, "ticket_comments")

    (comment,) = client.list_comments(33)

    assert (comment.id, comment.author_id, comment.body, comment.public) == (
        33144692244499, 26155588908179, "Some comment", True)
    budget = client.last_rate_limit
    assert budget is not None and (budget.limit, budget.remaining, budget.reset_in) == (700, 697, 48.0)


def test_endpoint_headers_in_both_spellings() -> None:
    redact = exchanges("comment_redact")[0]["response"]["headers"]
    update = exchanges("ticket_update")[0]["response"]["headers"]

    per_ticket = read_endpoint_limits(redact, NOW)["per-ticket-updates"]
    account_wide = read_endpoint_limits(update, NOW)["tickets-update"]

    assert (per_ticket.limit, per_ticket.remaining, per_ticket.reset_in) == (30, 29, 468.0)
    assert (account_wide.limit, account_wide.remaining, account_wide.reset_in) == (20, 19, 59.0)


# --- bulk updates and job statuses ----------------------------------------------------------------


def test_update_many_and_its_job_status_polled_to_completion(client: ZendeskClient, zendesk_http: Any) -> None:
    ids = tuple(item["id"] for item in exchanges("tickets_update_many")[0]["request"]["body"]["tickets"])
    replay(zendesk_http, "tickets_update_many", 0,
           match=[matchers.query_param_matcher({"ids": ",".join(map(str, ids))}),
                  matchers.json_params_matcher({"ticket": {"additional_tags": ["csat_5"]}})])
    for index in (1, 2, 3):
        replay(zendesk_http, "tickets_update_many", index)

    job = client.update_many(BulkUpdate(ids, add_tags=("csat_5",)))
    polls = [client.batch_status(job) for _ in range(3)]

    assert job == "V3-47ed156789697d342091e8d273f50b5d"
    assert [p.done for p in polls] == [False, False, True]
    assert polls[-1].results == dict.fromkeys(ids)  # every ticket updated


def test_the_documented_job_status_form_with_errors_and_titles(client: ZendeskClient, zendesk_http: Any) -> None:
    exchange = exchanges("job_status_documented")[0]
    job_id = exchange["response"]["body"]["job_status"]["id"]
    zendesk_http.get(f"{ORIGIN}/api/v2/job_statuses/{job_id}.json", json=exchange["response"]["body"])

    status = client.batch_status(job_id)

    assert status.done and status.results == {380: None, 90: None}  # "errors": "" is not a failure


def test_job_results_that_failed_in_every_form_seen() -> None:
    from feedbackloop.helpdesks.zendesk.client import job_results

    results = job_results([
        {"id": 1, "action": "update", "status": "Updated", "success": True},
        {"id": 2, "index": 1, "action": "update", "status": "Failed", "success": False,
         "error": "TicketUpdateConflict", "details": "The ticket was updated after this job was queued"},
        {"id": 3, "action": "update", "errors": "Status: closed prevents ticket update", "status": "Failed"},
        {"id": 4, "title": "Printer on fire", "action": "update", "errors": "", "success": True, "status": "Updated"},
        {"id": True, "success": False}, "garbage",
    ])

    assert results == {1: None, 2: "TicketUpdateConflict: The ticket was updated after this job was queued",
                       3: "Status: closed prevents ticket update", 4: None}


def test_more_than_100_values_is_a_request_we_must_fix() -> None:
    error = error_for_response(recorded_response("tickets_create_many_too_many"), NOW)

    assert isinstance(error, errors.Permanent) and "TooManyValues" in error.reason


# --- reconciliation -------------------------------------------------------------------------------


def test_the_incremental_export_by_start_time_then_cursor(client: ZendeskClient, zendesk_http: Any) -> None:
    first = replay(zendesk_http, "incremental_tickets_cursor", 0)
    replay(zendesk_http, "incremental_tickets_cursor", 1,
           match=[matchers.query_param_matcher({"cursor": first["response"]["body"]["after_cursor"]})])

    page = client.changed_tickets(NOW - timedelta(days=2))
    after = client.changed_tickets(NOW - timedelta(days=2), page.cursor)

    assert [t.id for t in page.tickets] and page.end_of_stream is False
    assert page.cursor == first["response"]["body"]["after_cursor"]
    assert after.cursor and after.tickets


# --- users and install's admin records ------------------------------------------------------------


def test_users_me_and_user_show(client: ZendeskClient, zendesk_http: Any) -> None:
    replay(zendesk_http, "users_me")
    replay(zendesk_http, "user_show")

    me = client.get_me()
    user = client.get_user(6130907993114)

    assert (me["role"], me["id"]) == ("admin", 6130907993114)
    assert (user.id, user.role, user.email) == (6130907993114, "admin", "automationsqa@z3nmail.com")


def test_webhooks_answers_keep_their_own_limit_apart_from_the_accounts(client: ZendeskClient,
                                                                      zendesk_http: Any) -> None:
    replay(zendesk_http, "ticket_show")
    for name in ("webhook_create", "webhook_show", "webhook_list", "webhook_update", "webhook_delete",
                 "webhook_signing_secret", "webhook_invocations"):
        replay(zendesk_http, name)
    client.get_ticket(4017)

    made = client.create_record("webhook", {"name": "x"})
    shown = client.get_record("webhook", "01HANAHG923DYP752704ET7H8G")
    listed = client.list_records("webhook")
    client.update_record("webhook", "01HANAHB6668W9BWXPJXRD0BS4", {"name": "New name"})
    gone = client.delete_record("webhook", "01HANAHG923DYP752704ET7H8G")
    secret = client.webhook_signing_secret("01HANAHHBNJDDW768TX5J4YFX7")
    invocations = client.webhook_invocations("01HAN96XNH1J7DY8D7RZ22QMT9")

    assert made["id"] == "01HANAHC1JKV2E5CDKZM2QPPWC" and shown is not None and len(listed) == 4 and gone
    assert secret == "wMZJU7Dlw7pdGPBAs7fz3lVSjF5Hef8mqD7avv5n7zs="
    assert {i["status"] for i in invocations} >= {"terminated", "throttled"}
    # the webhooks API's `x-rate-limit: 100` is its own budget: the account's 700 stands
    account, hooks = client.last_rate_limit, client.endpoint_limit("webhooks")
    assert account is not None and (account.limit, account.remaining) == (700, 560)
    assert hooks is not None and hooks.limit == 100


@pytest.mark.parametrize(("kind", "created", "updated", "deleted", "listed"), [
    ("trigger", "trigger_create", "trigger_update", "trigger_delete", "triggers_list"),
    ("ticket_field", "ticket_field_create", "ticket_field_update", "ticket_field_delete", None),
    ("group", "group_create", "group_update", None, "groups_list"),
    ("view", "view_create", "view_update", None, None),
    ("macro", "macro_create", "macro_update", None, None),
])
def test_admin_records_as_install_reads_them(client: ZendeskClient, zendesk_http: Any, kind: str, created: str,
                                            updated: str, deleted: str | None, listed: str | None) -> None:
    for name in (created, updated, deleted, listed):
        if name is not None:
            replay(zendesk_http, name)
    record_id = lambda name: int(exchanges(name)[0]["request"]["path"].split("/")[-1].removesuffix(".json"))  # noqa: E731

    made = client.create_record(kind, {"title": "x"})
    client.update_record(kind, record_id(updated), {"title": "x"})
    if deleted is not None:
        assert client.delete_record(kind, record_id(deleted)) is True
    if listed is not None:
        assert client.list_records(kind)

    assert isinstance(made["id"], int) and (made.get("title") or made.get("name"))


def test_an_admin_record_that_is_gone(client: ZendeskClient, zendesk_http: Any) -> None:
    replay(zendesk_http, "trigger_update_not_found")

    with pytest.raises(errors.TicketNotFound):  # every 404 is typed so; install treats it as "gone"
        client.update_record("trigger", 9223372036854775807, {"title": "x"})


# --- errors from Zendesk's documentation -----------------------------------------------------------


@pytest.mark.parametrize(("name", "error", "scope"), [
    ("error_409_update_conflict", errors.Conflict, None),
    ("error_422_closed_ticket", errors.TicketClosed, None),
    ("error_429_rate_limited", errors.Retryable, "account"),
    ("error_429_ticket_updates", errors.Retryable, "ticket_updates"),
    ("error_403_forbidden", errors.Permanent, None),
])
def test_documented_errors_are_typed(name: str, error: type[Exception], scope: str | None) -> None:
    typed = error_for_response(recorded_response(name), NOW)

    assert isinstance(typed, error)
    if isinstance(typed, errors.Retryable):
        assert typed.rate_limited and typed.scope == scope and typed.retry_after is not None
    if name == "error_403_forbidden":
        assert isinstance(typed, errors.Permanent) and typed.code == "forbidden"


# --- deliveries -----------------------------------------------------------------------------------


def test_the_recorded_real_delivery_is_ignored_as_a_user_event() -> None:
    delivery = load("webhook_delivery_user_deleted")["delivery"]

    assert events.parse(delivery["headers"], delivery["payload"].encode()) is None


def test_ticket_created_carries_the_opening_message_and_the_api_channel() -> None:
    delivery = load("webhook_ticket_created")["delivery"]

    event = events.parse(delivery["headers"], delivery["payload"].encode())

    assert event is not None and (event.kind, event.channel) == ("created", "api")
    assert event.extra["description"] == "ticket_info_desc_2294a6e9ece2"  # the opening message (exports)


USED = {
    "ticket_show", "ticket_update", "ticket_create", "ticket_update_not_found", "ticket_comments", "comment_redact",
    "tickets_update_many", "job_status_documented", "tickets_create_many_too_many", "incremental_tickets_cursor",
    "users_me", "user_show", "webhook_create", "webhook_show", "webhook_list", "webhook_update", "webhook_delete",
    "webhook_signing_secret", "webhook_invocations", "trigger_create", "trigger_update", "trigger_delete",
    "triggers_list", "ticket_field_create", "ticket_field_update", "ticket_field_delete", "group_create",
    "group_update", "groups_list", "view_create", "view_update", "macro_create", "macro_update",
    "trigger_update_not_found", "error_409_update_conflict", "error_422_closed_ticket", "error_429_rate_limited",
    "error_429_ticket_updates", "error_403_forbidden", "webhook_delivery_user_deleted", "webhook_ticket_created",
}
#: Recordings our client never reads, with why.
UNREAD = {
    "webhook_patch": "we never PATCH a webhook (install PUTs the whole body)",
    "webhook_signing_secret_reset": "we never reset a signing secret",
    "webhook_invocation_attempts": "doctor reads invocations only; its real delivery is webhook_delivery_user_deleted",
}


def test_every_recording_is_read_by_our_client_or_says_why_not() -> None:
    assert sorted(set(recorded_names()) - USED - set(UNREAD)) == []
    assert sorted((USED | set(UNREAD)) - set(recorded_names())) == []
