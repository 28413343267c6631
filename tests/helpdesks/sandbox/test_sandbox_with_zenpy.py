"""The sandbox Zendesk checked with the REAL zenpy client (and raw requests where zenpy cannot say it).

zenpy is pointed at the sandbox the documented way: ZENPY_FORCE_SCHEME/ZENPY_FORCE_NETLOC, with a
subdomain still required. The server is the session-wide `sandbox_server` from conftest; the
`sandbox` fixture resets its state before each test.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import requests
from zenpy import Zenpy
from zenpy.lib.api_objects import (
    Comment,
    CustomField,
    Group,
    Macro,
    Ticket,
    TicketField,
    Trigger,
    User,
    View,
    Webhook,
)
from zenpy.lib.exception import APIException, RatelimitBudgetExceeded, RecordNotFoundException

from conftest import SANDBOX_EMAIL, SANDBOX_TOKEN, TEST_TICKET_UPDATE_LIMIT
from feedbackloop.helpdesks.sandbox import SandboxState, create_sandbox_app
from feedbackloop.helpdesks.sandbox.shapes import closed_ticket

API_FIXTURES = Path(__file__).parents[2] / "fixtures" / "zendesk" / "api"


def fixture(name: str) -> Any:
    return json.loads((API_FIXTURES / name).read_text(encoding="utf-8"))


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


def new_ticket(zd: Zenpy, **fields: Any) -> Any:
    """A ticket made through zenpy; the created Ticket object."""
    fields.setdefault("subject", "Printer on fire")
    fields.setdefault("comment", Comment(body="My printer is on fire!"))
    return zd.tickets.create(Ticket(**fields)).ticket


# --- auth, users ---------------------------------------------------------------------------------


def test_me_is_the_api_user_and_users_can_be_created_and_listed(zd: Zenpy, sandbox: SandboxState) -> None:
    me = zd.users.me()
    created = zd.users.create(User(name="Johnny Customer", email="johnny@example.com"))

    assert (me.id, me.email, me.role) == (sandbox.api_user_id, SANDBOX_EMAIL, "admin")
    assert (created.role, created.email, created.verified) == ("end-user", "johnny@example.com", True)
    assert zd.users(id=created.id).name == "Johnny Customer"
    assert sorted(u.id for u in zd.users(ids=[me.id, created.id])) == sorted([me.id, created.id])
    assert set(fixture("user_show.json")["user"]) <= set(sandbox.user(created.id))


def test_an_email_already_in_use_is_refused(zd: Zenpy) -> None:
    zd.users.create(User(name="Jo", email="jo@example.com"))

    with pytest.raises(APIException) as caught:
        zd.users.create(User(name="Jo again", email="JO@example.com"))

    assert caught.value.response.status_code == 422
    assert caught.value.response.json()["error"] == "RecordInvalid"


def test_wrong_or_missing_credentials_get_401(zd: Zenpy, api: str, sandbox: SandboxState) -> None:
    wrong = Zenpy(subdomain="sandbox", email=SANDBOX_EMAIL, token="not-the-token", disable_cache=True)

    with pytest.raises(APIException) as caught:
        wrong.users.me()

    assert caught.value.response.status_code == 401
    assert caught.value.response.json() == {"error": "Couldn't authenticate you"}
    assert requests.get(f"{api}/users/me.json", timeout=5).status_code == 401
    password = requests.get(f"{api}/users/me.json", auth=(SANDBOX_EMAIL, SANDBOX_TOKEN), timeout=5)
    assert password.status_code == 401  # only API tokens ({email}/token) are accepted
    assert [r.status for r in sandbox.request_log] == [401, 401, 401]


# --- tickets -------------------------------------------------------------------------------------


def test_create_defaults_like_zendesk(zd: Zenpy, sandbox: SandboxState) -> None:
    audit = zd.tickets.create(Ticket(subject="Printer", comment=Comment(body="It is on fire", public=True),
                                     tags=["printer"]))
    ticket = audit.ticket

    assert ticket.requester_id == ticket.submitter_id == sandbox.api_user_id
    assert (ticket.status, ticket.description, ticket.tags) == ("new", "It is on fire", ["printer"])
    assert ticket.via.channel == "api"
    assert ticket.updated_at == ticket.created_at and ticket.updated_at.endswith("Z")
    kinds = [e["type"] for e in audit.audit.events]
    assert kinds[0] == "Comment" and "Create" in kinds
    assert set(fixture("ticket_create.json")["ticket"]) <= set(sandbox.ticket(ticket.id))
    (comment,) = sandbox.ticket_comments(ticket.id)
    assert comment["author_id"] == sandbox.api_user_id and comment["html_body"].startswith('<div class="zd-comment"')


def test_create_with_a_new_requester_and_a_task_due_date(zd: Zenpy, sandbox: SandboxState) -> None:
    ticket = new_ticket(zd, requester=User(name="Ann", email="ann@example.com"), type="task",
                        due_at="2031-05-03T17:00:00Z", group_id=sandbox.support_group_id,
                        assignee_id=sandbox.agent_id, external_id="feedbackloop:7")

    requester = zd.users(id=ticket.requester_id)
    assert (requester.email, requester.role) == ("ann@example.com", "end-user")
    assert (ticket.type, ticket.due_at, ticket.status) == ("task", "2031-05-03T17:00:00Z", "open")
    assert [t.id for t in zd.tickets(external_id="feedbackloop:7")] == [ticket.id]
    assert [t.id for t in zd.tickets(ids=[ticket.id, 999])] == [ticket.id]


def test_a_known_requester_email_is_the_same_user_whatever_its_case(zd: Zenpy, raw: requests.Session,
                                                                     api: str) -> None:
    first = new_ticket(zd, requester=User(name="Ann", email="ann@example.com"))
    second = new_ticket(zd, requester=User(name="Ann B", email="ANN@Example.com"))
    assert first.requester_id == second.requester_id

    taken = raw.post(f"{api}/users.json", json={"user": {"name": "Ann", "email": "Ann@example.COM"}}, timeout=5)
    assert taken.status_code == 422 and "already being used" in taken.text
    made = raw.post(f"{api}/users.json", json={"user": {"name": "Bo", "email": "bo@example.com"}}, timeout=5)
    assert new_ticket(zd, requester=User(name="Bo", email="BO@example.com")).requester_id == made.json()["user"]["id"]


def test_unknown_ticket_is_404_record_not_found(zd: Zenpy, raw: requests.Session, api: str) -> None:
    with pytest.raises(RecordNotFoundException):
        zd.tickets(id=424242)

    answer = raw.put(f"{api}/tickets/424242.json", json={"ticket": {"status": "open"}}, timeout=5)
    assert (answer.status_code, answer.json()) == (404, fixture("404_not_found.json"))
    assert raw.get(f"{api}/no/such/endpoint.json", timeout=5).json()["error"] == "InvalidEndpoint"


def test_update_adds_a_comment_sets_fields_and_tags_replace_all(zd: Zenpy, sandbox: SandboxState) -> None:
    ticket = new_ticket(zd, tags=["enterprise", "other_tag"])
    fetched = zd.tickets(id=ticket.id)
    fetched.comment = Comment(body="How did we do?", html_body="<p>How did we <b>do</b>?</p>", public=True)
    fetched.custom_fields = [CustomField(id=360001234567, value="csat_sent")]
    fetched.tags = ["csat_sent"]

    audit = zd.tickets.update(fetched)

    assert audit.ticket.tags == ["csat_sent"]  # a ticket PUT with tags REPLACES them
    assert {"id": 360001234567, "value": "csat_sent"} in audit.ticket.custom_fields
    changes = {e["field_name"]: e for e in audit.audit.events if e["type"] == "Change"}
    assert changes["tags"]["previous_value"] == ["enterprise", "other_tag"]
    assert changes["360001234567"]["value"] == "csat_sent"
    comments = list(zd.tickets.comments(ticket=ticket.id))
    assert [c.body for c in comments] == ["My printer is on fire!", "How did we do?"]
    assert comments[1].html_body == "<p>How did we <b>do</b>?</p>" and comments[1].public is True
    (update,) = sandbox.updates
    assert update.body["ticket"]["comment"]["body"] == "How did we do?"


def test_a_private_note_is_not_public(zd: Zenpy, sandbox: SandboxState) -> None:
    ticket = new_ticket(zd)
    fetched = zd.tickets(id=ticket.id)
    fetched.comment = Comment(body="Internal: checked logs", public=False, author_id=sandbox.agent_id)
    zd.tickets.update(fetched)

    comments = sandbox.ticket_comments(ticket.id)
    assert [(c["public"], c["author_id"]) for c in comments] == [(True, sandbox.api_user_id), (False, sandbox.agent_id)]
    assert sandbox.ticket(ticket.id)["is_public"] is True


def test_safe_update_with_a_stale_stamp_is_409(zd: Zenpy, sandbox: SandboxState) -> None:
    ticket = new_ticket(zd)
    stale = ticket.updated_at
    sandbox.simulate_agent_reply(ticket.id, "An agent got there first.")  # same second: the stamp still moves
    assert sandbox.ticket(ticket.id)["updated_at"] != stale

    late = zd.tickets(id=ticket.id)
    late.comment = Comment(body="How did we do?")
    late.safe_update = True
    late.updated_stamp = stale
    with pytest.raises(APIException) as caught:
        zd.tickets.update(late)

    assert caught.value.response.status_code == 409
    assert caught.value.response.json() == fixture("409_update_conflict.json")
    assert len(sandbox.ticket_comments(ticket.id)) == 2  # nothing was written
    fresh = zd.tickets(id=ticket.id)
    fresh.comment = Comment(body="How did we do?")
    fresh.safe_update, fresh.updated_stamp = True, fresh.updated_at
    assert zd.tickets.update(fresh).ticket.updated_at > fresh.updated_at


def test_every_change_gets_a_distinct_increasing_stamp(raw: requests.Session, api: str, zd: Zenpy) -> None:
    ticket = new_ticket(zd)
    stamps = [ticket.updated_at]
    for n in range(4):
        answer = raw.put(f"{api}/tickets/{ticket.id}.json", json={"ticket": {"tags": [f"t{n}"]}}, timeout=5)
        stamps.append(answer.json()["ticket"]["updated_at"])

    assert stamps == sorted(set(stamps))


def test_a_closed_ticket_refuses_updates_with_422(zd: Zenpy, sandbox: SandboxState, raw: requests.Session,
                                                  api: str) -> None:
    ticket = new_ticket(zd)
    sandbox.simulate_solve(ticket.id)
    sandbox.simulate_close(ticket.id)
    closed = zd.tickets(id=ticket.id)
    closed.comment = Comment(body="How did we do?")

    with pytest.raises(APIException) as caught:
        zd.tickets.update(closed)
    with pytest.raises(APIException) as tagging:
        zd.tickets.add_tags(ticket.id, ["csat_sent"])

    assert caught.value.response.status_code == tagging.value.response.status_code == 422
    assert caught.value.response.json() == fixture("422_closed_ticket.json") == closed_ticket()
    assert sandbox.ticket(ticket.id)["status"] == "closed"
    # A bulk job refuses a closed ticket too: it fails in the job's results, with the same reason.
    job = raw.put(f"{api}/tickets/update_many.json?ids={ticket.id}",
                  json={"ticket": {"additional_tags": ["csat_late"]}}, timeout=5).json()["job_status"]
    sandbox.run_jobs()
    assert "csat_late" not in sandbox.ticket(ticket.id)["tags"]
    (result,) = zd.job_status(id=job["id"]).results
    assert (result.success, result.error) == (False, "RecordInvalid") and "closed" in result.details


def test_tag_endpoints_add_set_and_remove(zd: Zenpy, sandbox: SandboxState, raw: requests.Session, api: str) -> None:
    ticket = new_ticket(zd, tags=["enterprise"])

    assert list(zd.tickets.add_tags(ticket.id, ["csat_sent"])) == ["enterprise", "csat_sent"]
    assert list(zd.tickets.set_tags(ticket.id, ["a", "b"])) == ["a", "b"]
    assert list(zd.tickets.delete_tags(ticket.id, ["a"])) == ["b"]
    assert sandbox.ticket(ticket.id)["tags"] == ["b"]
    stale = raw.put(f"{api}/tickets/{ticket.id}/tags.json",
                    json={"tags": ["x"], "safe_update": "true", "updated_stamp": ticket.updated_at}, timeout=5)
    assert (stale.status_code, stale.json()["error"]) == (409, "UpdateConflict")
    current = sandbox.ticket(ticket.id)["updated_at"]
    fresh = raw.put(f"{api}/tickets/{ticket.id}/tags.json",
                    json={"tags": ["x"], "safe_update": "true", "updated_stamp": current}, timeout=5)
    assert fresh.json() == {"tags": ["b", "x"]}


def test_update_many_is_a_job_polled_to_completion(zd: Zenpy, sandbox: SandboxState) -> None:
    first, second = new_ticket(zd), new_ticket(zd)

    job = zd.tickets.update([Ticket(id=first.id, status="solved", additional_tags=["csat_pending"]),
                             Ticket(id=second.id, status="pending"), Ticket(id=999999, status="open")])
    assert job.status == "queued" and job.total == 3
    assert sandbox.ticket(first.id)["status"] == "new"  # not applied until the job runs
    working = zd.job_status(id=job.id)
    done = zd.job_status(id=job.id)

    assert (working.status, done.status, done.progress) == ("working", "completed", 3)
    assert [(r.id, r.success) for r in done.results] == [(first.id, True), (second.id, True), (999999, False)]
    assert done.results[2].error == "RecordNotFound"
    assert sandbox.ticket(first.id)["status"] == "solved" and "csat_pending" in sandbox.ticket(first.id)["tags"]
    assert sandbox.ticket(second.id)["status"] == "pending"


def test_bulk_update_by_ids_adds_and_removes_tags(raw: requests.Session, api: str, zd: Zenpy,
                                                  sandbox: SandboxState) -> None:
    ids = [new_ticket(zd, tags=["old", "keep"]).id for _ in range(3)]

    answer = raw.put(f"{api}/tickets/update_many.json?ids={','.join(map(str, ids))}",
                     json={"ticket": {"additional_tags": ["new"], "remove_tags": ["old"]}}, timeout=5)
    too_many = raw.put(f"{api}/tickets/update_many.json?ids={','.join(map(str, range(1, 102)))}",
                       json={"ticket": {"status": "open"}}, timeout=5)

    assert answer.json()["job_status"]["status"] == "queued"
    assert (too_many.status_code, too_many.json()["error"]) == (400, "TooManyValues")
    sandbox.configure(job_settle_seconds=0)  # an unpolled job finishes on its own
    raw.get(f"{api}/users/me.json", timeout=5)
    assert [sandbox.ticket(i)["tags"] for i in ids] == [["keep", "new"]] * 3


def test_comments_page_with_cursor_and_offset(zd: Zenpy, sandbox: SandboxState, raw: requests.Session,
                                              api: str) -> None:
    ticket_id = sandbox.simulate_customer_ticket(subject="Long", body="first", email="c@example.com")
    for n in range(104):
        sandbox.simulate_agent_reply(ticket_id, f"reply {n}")

    bodies = [c.body for c in zd.tickets.comments(ticket=ticket_id)]  # zenpy follows the cursor links
    offset = raw.get(f"{api}/tickets/{ticket_id}/comments.json?per_page=100", timeout=5).json()
    last = raw.get(offset["next_page"], timeout=5).json()

    assert bodies == ["first"] + [f"reply {n}" for n in range(104)]
    assert (offset["count"], len(offset["comments"]), offset["previous_page"]) == (105, 100, None)
    assert (len(last["comments"]), last["next_page"]) == (5, None)
    assert set(fixture("comments_page_1.json")["comments"][0]) <= set(offset["comments"][0])


def test_incremental_export_by_start_time_and_cursor(zd: Zenpy, sandbox: SandboxState, raw: requests.Session,
                                                     api: str) -> None:
    start = int(sandbox.now().timestamp()) - 5
    older = [new_ticket(zd).id for _ in range(2)]
    sandbox.advance(120)  # the export leaves out the last minute
    recent = new_ticket(zd).id

    exported = zd.tickets.incremental(start_time=start)
    page = raw.get(f"{api}/incremental/tickets/cursor.json?start_time={start}", timeout=5).json()

    assert [t.id for t in exported] == older
    assert (page["end_of_stream"], [t["id"] for t in page["tickets"]]) == (True, older)
    assert set(fixture("incremental_tickets_cursor.json")) <= set(page)
    sandbox.advance(120)
    following = raw.get(page["after_url"], timeout=5).json()
    assert [t["id"] for t in following["tickets"]] == [recent]
    too_recent = raw.get(f"{api}/incremental/tickets/cursor.json?start_time={int(time.time()) + 3600}", timeout=5)
    assert too_recent.status_code == 400


def test_search_finds_solved_tickets_updated_since(zd: Zenpy, sandbox: SandboxState) -> None:
    solved, still_open = new_ticket(zd), new_ticket(zd)
    sandbox.simulate_solve(solved.id)
    sandbox.simulate_agent_reply(still_open.id, "Looking into it")
    since = datetime.now(timezone.utc) - timedelta(minutes=5)

    found = zd.search(type="ticket", status="solved", updated_after=since)
    unsolved = zd.search("type:ticket status<solved")

    assert [t.id for t in found] == [solved.id]
    assert [t.id for t in unsolved] == [still_open.id]
    assert list(zd.search(type="ticket", status="solved", updated_after=datetime.now(timezone.utc) + timedelta(days=1))) == []


# --- rate limits and injected faults ---------------------------------------------------------


def test_every_answer_carries_rate_limit_headers(raw: requests.Session, api: str, zd: Zenpy) -> None:
    ticket = new_ticket(zd)
    first = raw.get(f"{api}/users/me.json", timeout=5)
    update = raw.put(f"{api}/tickets/{ticket.id}.json", json={"ticket": {"tags": ["x"]}}, timeout=5)

    assert first.headers["X-Rate-Limit"] == first.headers["ratelimit-limit"] == first.headers["rate-limit"] == "700"
    assert int(update.headers["X-Rate-Limit-Remaining"]) == int(first.headers["X-Rate-Limit-Remaining"]) - 1
    assert int(first.headers["ratelimit-reset"]) <= 60 and first.headers["rate-limit-reset"] == first.headers["ratelimit-reset"]
    # the account's Update Ticket budget (this suite's account has a very high one) and the per-ticket one
    assert update.headers["zendesk-rate-limit-tickets-update"].startswith(f"total={TEST_TICKET_UPDATE_LIMIT}; ")
    assert update.headers["zendesk-ratelimit-per-ticket-updates"].startswith("total=30; remaining=29; resets=")


def test_the_account_budget_answers_429_with_retry_after(zd: Zenpy, sandbox: SandboxState, raw: requests.Session,
                                                         api: str) -> None:
    sandbox.configure(rate_limit=3)
    for _ in range(3):
        assert raw.get(f"{api}/users/me.json", timeout=5).status_code == 200

    refused = raw.get(f"{api}/users/me.json", timeout=5)
    budgeted = Zenpy(subdomain="sandbox", email=SANDBOX_EMAIL, token=SANDBOX_TOKEN, disable_cache=True,
                     ratelimit_budget=1)
    with pytest.raises(RatelimitBudgetExceeded):
        budgeted.users.me()  # zenpy sees the 429 and its Retry-After exceeds the budget

    assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.json()["error"] == "APIRateLimitExceeded"
    assert refused.headers["X-Rate-Limit-Remaining"] == "0"


def test_the_per_ticket_update_limit(raw: requests.Session, api: str, zd: Zenpy, sandbox: SandboxState) -> None:
    sandbox.configure(ticket_update_limit=2)
    ticket = new_ticket(zd)
    answers = [raw.put(f"{api}/tickets/{ticket.id}/tags.json", json={"tags": [f"t{n}"]}, timeout=5) for n in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[1].headers["zendesk-ratelimit-per-ticket-updates"].startswith("total=2; remaining=0;")
    assert int(answers[2].headers["Retry-After"]) > 0


def test_an_injected_429_is_waited_out_by_zenpy(zd: Zenpy, sandbox: SandboxState) -> None:
    ticket = new_ticket(zd)
    sandbox.inject(429, count=1, retry_after=1, path_prefix="/tickets", method="GET")

    started = time.monotonic()
    assert zd.tickets(id=ticket.id).id == ticket.id  # zenpy sleeps Retry-After, then asks again

    assert time.monotonic() - started >= 1
    gets = sandbox.api_calls("GET", "/tickets")
    assert [(c.status, c.fault) for c in gets] == [(429, "fault: 429 retry-after 1"), (200, None)]


def test_injected_server_errors_dropped_connections_and_slow_answers(zd: Zenpy, sandbox: SandboxState) -> None:
    ticket = new_ticket(zd)
    sandbox.inject(503, count=1, retry_after=30)
    sandbox.inject(502, count=1)
    sandbox.inject(reset=True, count=1)
    sandbox.inject(delay=0.3, count=1)

    with pytest.raises(requests.HTTPError) as unavailable:  # an HTML gateway page, not JSON
        zd.tickets(id=ticket.id)
    with pytest.raises(requests.HTTPError):
        zd.tickets(id=ticket.id)
    with pytest.raises(requests.ConnectionError):
        zd.tickets(id=ticket.id)
    started = time.monotonic()
    assert zd.tickets(id=ticket.id).id == ticket.id

    assert time.monotonic() - started >= 0.3
    gateway = unavailable.value.response
    assert gateway is not None and gateway.headers["Retry-After"] == "30"
    assert [c.status for c in sandbox.api_calls("GET")] == [503, 502, 0, 200]
    assert sandbox.faults() == []


def test_faults_can_be_injected_over_http(sandbox_server: Any, raw: requests.Session, api: str,
                                          sandbox: SandboxState) -> None:
    control = f"{sandbox_server.url}/__sandbox/faults"
    made = requests.post(control, json={"status": 500, "count": None, "path_prefix": "/users"}, timeout=5)

    assert made.status_code == 201 and made.json()["fault"]["count"] is None
    assert [raw.get(f"{api}/users/me.json", timeout=5).status_code for _ in range(2)] == [500, 500]
    assert requests.delete(control, timeout=5).status_code == 204
    assert raw.get(f"{api}/users/me.json", timeout=5).status_code == 200
    assert requests.post(control, json={"status": 999}, timeout=5).status_code == 400


# --- admin records: webhooks, triggers, ticket fields, groups, views, macros -------------------------


def test_webhook_crud_and_signing_secret(zd: Zenpy, sandbox: SandboxState, raw: requests.Session, api: str) -> None:
    created = zd.webhooks.create(Webhook(
        name="feedbackloop", endpoint="https://feedback.example.com/webhooks/zendesk", http_method="POST",
        request_format="json", status="active", subscriptions=["zen:event-type:ticket.status_changed"],
        authentication={"type": "basic_auth", "add_position": "header",
                        "data": {"username": "zd", "password": "hunter2"}}))

    secret = zd.webhooks.show_secret(created.id)
    reset = zd.webhooks.reset_secret(created.id)
    created.name = "feedbackloop (renamed)"
    zd.webhooks.patch(created)

    assert len(created.id) == 26 and created.created_by == str(sandbox.api_user_id)
    assert created.authentication["data"] == {"username": "zd"}  # the password never comes back
    assert (secret.algorithm, len(secret.secret)) == ("SHA256", 44) and reset.secret != secret.secret
    assert [w.name for w in zd.webhooks.list()] == ["feedbackloop (renamed)"]
    assert zd.webhooks(id=created.id).subscriptions == ["zen:event-type:ticket.status_changed"]
    assert zd.webhooks.delete(created).status_code == 204
    assert raw.get(f"{api}/webhooks/{created.id}", timeout=5).status_code == 404


def test_event_webhooks_must_be_post_json(raw: requests.Session, api: str) -> None:
    answer = raw.post(f"{api}/webhooks", json={"webhook": {
        "name": "x", "endpoint": "https://example.com", "http_method": "GET", "request_format": "json",
        "subscriptions": ["zen:event-type:ticket.status_changed"]}}, timeout=5)

    assert answer.status_code == 400 and answer.json()["errors"][0]["code"] == "InvalidValue"


def test_triggers_nest_conditions_and_can_be_updated_and_deleted(zd: Zenpy, raw: requests.Session, api: str) -> None:
    trigger = zd.triggers.create(Trigger(
        title="feedbackloop: solved", actions=[{"field": "notification_webhook", "value": ["01H", "{}"]}],
        all=[{"field": "status", "operator": "value", "value": "solved"}]))
    trigger.title = "feedbackloop: ticket solved"
    updated = zd.triggers.update(trigger)

    answer = raw.get(f"{api}/triggers/{trigger.id}.json", timeout=5).json()["trigger"]
    assert answer["conditions"] == {"all": [{"field": "status", "operator": "value", "value": "solved"}], "any": []}
    assert updated.title == answer["title"] == "feedbackloop: ticket solved"
    assert isinstance(answer["category_id"], str) and "position" in answer
    zd.triggers.delete(trigger)
    assert raw.get(f"{api}/triggers.json", timeout=5).json()["triggers"] == []
    refused = raw.post(f"{api}/triggers.json", json={"trigger": {"title": "no actions", "all": []}}, timeout=5)
    assert (refused.status_code, refused.json()["error"]) == (422, "RecordInvalid")


def test_a_dropdown_field_sets_its_option_tag_on_tickets(zd: Zenpy, raw: requests.Session, api: str,
                                                         sandbox: SandboxState) -> None:
    field = zd.ticket_fields.create(TicketField(type="tagger", title="CSAT", custom_field_options=[
        {"name": "Good", "value": "csat_good"}, {"name": "Bad", "value": "csat_bad"}]))
    ticket = new_ticket(zd, tags=["vip"])

    first = raw.put(f"{api}/tickets/{ticket.id}.json",
                    json={"ticket": {"custom_fields": [{"id": field.id, "value": "csat_good"}]}}, timeout=5)
    second = raw.put(f"{api}/tickets/{ticket.id}.json",
                     json={"ticket": {"custom_fields": [{"id": field.id, "value": "csat_bad"}]}}, timeout=5)
    wrong = raw.put(f"{api}/tickets/{ticket.id}.json",
                    json={"ticket": {"custom_fields": [{"id": field.id, "value": "meh"}]}}, timeout=5)

    assert [o.value for o in field.custom_field_options] == ["csat_good", "csat_bad"]
    assert first.json()["ticket"]["tags"] == ["vip", "csat_good"]
    assert second.json()["ticket"]["tags"] == ["vip", "csat_bad"]
    assert wrong.status_code == 422
    assert {"id": field.id, "value": "csat_bad"} in sandbox.ticket(ticket.id)["custom_fields"]
    assert [f.id for f in zd.ticket_fields()] == [field.id]


def test_groups_views_and_macros(zd: Zenpy, sandbox: SandboxState) -> None:
    group = zd.groups.create(Group(name="CSAT review"))
    view = zd.views.create(View(title="Bad ratings", all=[{"field": "tags", "operator": "includes", "value": "csat_bad"}],
                                output={"columns": ["subject", "requester"]}))
    macro = zd.macros.create(Macro(title="Thank the customer", actions=[{"field": "comment_value", "value": "Thanks!"}]))
    group.name = "CSAT reviewers"
    zd.groups.update(group)

    assert sorted(g.name for g in zd.groups()) == ["CSAT reviewers", "Support"]
    assert zd.views(id=view.id).conditions.all[0]["value"] == "csat_bad"
    assert zd.macros(id=macro.id).actions == [{"field": "comment_value", "value": "Thanks!"}]
    zd.groups.delete(group)
    assert [g.id for g in zd.groups()] == [sandbox.support_group_id]


# --- simulation endpoints --------------------------------------------------------------------


def test_simulation_over_http_reopens_on_a_customer_reply(sandbox_server: Any, sandbox: SandboxState) -> None:
    control = f"{sandbox_server.url}/__sandbox"
    made = requests.post(f"{control}/tickets", json={
        "subject": "Refund", "body": "Where is my refund?", "name": "Ann", "email": "ann@example.com",
        "channel": "web", "tags": ["category_billing"]}, timeout=5).json()["ticket"]
    ticket_id = made["id"]

    requests.post(f"{control}/tickets/{ticket_id}/agent_reply", json={"body": "Sent today."}, timeout=5)
    solved = requests.post(f"{control}/tickets/{ticket_id}/solve", timeout=5).json()["ticket"]
    reopened = requests.post(f"{control}/tickets/{ticket_id}/customer_reply", json={"body": "Not here yet"},
                             timeout=5).json()

    assert (made["status"], made["via"]["channel"], made["tags"]) == ("new", "web", ["category_billing"])
    assert solved["status"] == "solved" and solved["assignee_id"] == sandbox.agent_id
    assert reopened["ticket"]["status"] == "open"
    assert [c["author_id"] for c in reopened["comments"]] == [made["requester_id"], sandbox.agent_id,
                                                              made["requester_id"]]
    assert requests.post(f"{control}/tickets/{ticket_id}/agent_reply", json={"nope": 1}, timeout=5).status_code == 400


def test_a_reply_to_a_closed_ticket_makes_a_follow_up(sandbox: SandboxState) -> None:
    ticket_id = sandbox.simulate_customer_ticket(subject="Login", body="Cannot log in", email="c@example.com",
                                                 tags=["category_technical"])
    sandbox.simulate_solve(ticket_id)
    sandbox.simulate_close(ticket_id)

    landed = sandbox.simulate_customer_reply(ticket_id, "It broke again")

    follow_up = sandbox.ticket(landed)
    assert landed != ticket_id and follow_up["via"]["source"]["rel"] == "follow_up"
    assert follow_up["tags"] == ["category_technical"] and sandbox.ticket(ticket_id)["followup_ids"] == [landed]
    assert sandbox.ticket(ticket_id)["status"] == "closed"


def test_the_request_log_is_readable_over_http(sandbox_server: Any, raw: requests.Session, api: str) -> None:
    raw.get(f"{api}/users/me.json", timeout=5)
    raw.get(f"{api}/tickets/77.json", timeout=5)

    log = requests.get(f"{sandbox_server.url}/__sandbox/requests?path=/tickets", timeout=5).json()

    assert log["count"] == 1 and log["requests"][0]["status"] == 404


def test_the_bare_app_answers_through_a_flask_test_client() -> None:
    client = create_sandbox_app(email="bot@example.com", api_token="tok").test_client()
    auth = {"Authorization": "Basic " + base64.b64encode(b"bot@example.com/token:tok").decode()}

    made = client.post("/api/v2/tickets.json", json={"ticket": {"comment": {"body": "hi"}}}, headers=auth)
    shown = client.get(f"/api/v2/tickets/{made.json['ticket']['id']}.json", headers=auth)

    assert (made.status_code, shown.json["ticket"]["description"]) == (201, "hi")
    assert made.json["ticket"]["url"] == "http://localhost/api/v2/tickets/1.json"
    assert client.get("/api/v2/users/me.json").status_code == 401
