"""ZendeskClient with the real zenpy, Zendesk stood in for at the wire by `responses`."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
import requests
import responses
from responses import matchers

from feedbackloop.core import errors
from feedbackloop.helpdesks.base import Account, HelpdeskClient, NewTicket, TicketUpdate
from feedbackloop.helpdesks.zendesk import ZendeskHelpdesk
from feedbackloop.helpdesks.zendesk.client import (
    RateLimitInfo,
    ZendeskClient,
    error_for_exception,
    newest_budget,
    read_rate_limit,
    retry_after_seconds,
)

API_FIXTURES = Path(__file__).parents[2] / "fixtures" / "zendesk" / "api"
SRC = Path(__file__).parents[3] / "src" / "feedbackloop"
TOKEN = "tok-SECRET-4f1d2c3b"
WEBHOOK_SECRET = "whsec-SECRET-9a8b7c6d"
ACCOUNT = Account(subdomain="example", email="bot@example.com", api_token=TOKEN,
                  webhook_secret=WEBHOOK_SECRET)
BASE = "https://example.zendesk.com/api/v2"
TICKET = f"{BASE}/tickets/35436.json"


def api(name: str) -> Any:
    """A documented REST answer from fixtures/zendesk/api/."""
    return json.loads((API_FIXTURES / name).read_text(encoding="utf-8"))


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0,
        micro: int = 0) -> datetime:
    """An aware UTC datetime."""
    return datetime(year, month, day, hour, minute, second, micro, tzinfo=timezone.utc)


def sent_body(call: Any) -> Any:
    """The JSON a recorded call put on the wire."""
    return json.loads(call.request.body)


@pytest.fixture
def zendesk_http() -> Iterator[responses.RequestsMock]:
    """Zendesk at the wire; every registered answer must be asked for."""
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


@pytest.fixture
def client() -> Iterator[ZendeskClient]:
    zendesk = ZendeskClient(ACCOUNT)
    yield zendesk
    zendesk.close()


@pytest.fixture
def no_sleeping(monkeypatch: pytest.MonkeyPatch) -> None:
    """zenpy sleeps out a 429 with zenpy.lib.api.sleep: make that fail the test."""

    def refuse(seconds: float) -> None:
        raise AssertionError(f"zenpy slept {seconds} s in the worker")

    monkeypatch.setattr("zenpy.lib.api.sleep", refuse)


# --- reads ------------------------------------------------------------------------------------


def test_get_ticket_maps_rest_json_to_the_neutral_ticket(client: ZendeskClient, zendesk_http: Any) -> None:
    zendesk_http.get(TICKET, json=api("ticket_show.json"))

    ticket = client.get_ticket(35436)

    assert (ticket.id, ticket.status) == (35436, "solved")
    assert (ticket.requester_id, ticket.assignee_id) == (20978392, 235323)
    assert (ticket.group_id, ticket.brand_id, ticket.organization_id) == (98738, 123, 509974)
    assert (ticket.channel, ticket.ticket_type, ticket.external_id) == ("web", "incident", "ahg35h3jh")
    assert ticket.subject == "Help, my printer is on fire!"
    assert ticket.tags == ("enterprise", "other_tag")
    assert ticket.custom_fields == {27642: "745", 27648: "yes"}
    assert ticket.updated_at == utc(2011, 5, 5, 10, 38, 52)
    assert ticket.created_at == utc(2009, 7, 20, 22, 55, 29)
    assert client.calls == 1


def test_requests_authenticate_with_the_api_token_and_ask_for_json(
    client: ZendeskClient, zendesk_http: Any
) -> None:
    zendesk_http.get(TICKET, json=api("ticket_show.json"))

    client.get_ticket(35436)

    (call,) = zendesk_http.calls
    scheme, _, encoded = call.request.headers["Authorization"].partition(" ")
    assert scheme == "Basic"
    assert base64.b64decode(encoded).decode() == f"bot@example.com/token:{TOKEN}"
    assert call.request.headers["Accept"] == "application/json"
    assert call.request.headers["User-Agent"].startswith("feedbackloop (zenpy/")


def test_the_timeout_is_applied_to_every_request(zendesk_http: Any) -> None:
    zendesk_http.get(TICKET, json=api("ticket_show.json"))

    ZendeskClient(ACCOUNT, timeout=3.5).get_ticket(35436)

    (call,) = zendesk_http.calls
    assert call.request.req_kwargs["timeout"] == 3.5


def test_list_comments_follows_every_page(client: ZendeskClient, zendesk_http: Any) -> None:
    first = api("comments_page_1.json")  # documented links point at company.zendesk.com: use our host
    first["links"]["next"] = first["links"]["next"].replace("https://company.zendesk.com", "https://example.zendesk.com")
    zendesk_http.get(f"{BASE}/tickets/35436/comments.json", json=first,
                     match=[matchers.query_param_matcher({"page[size]": "100"})])
    zendesk_http.get(f"{BASE}/tickets/35436/comments.json", json=api("comments_page_2.json"),
                     match=[matchers.query_param_matcher({"page[after]": "xxx1275", "page[size]": "100"})])

    comments = client.list_comments(35436)

    assert [(c.id, c.author_id, c.public) for c in comments] == [
        (1274, 20978392, True), (1275, 235323, False), (1276, 235323, True)]
    assert comments[0].body == "My printer is on fire!"
    assert comments[0].html_body is not None and "<p>My printer is on fire!</p>" in comments[0].html_body
    assert comments[0].created_at == utc(2009, 7, 20, 22, 55, 29)
    assert client.calls == 2


def test_get_user_maps_the_user(client: ZendeskClient, zendesk_http: Any) -> None:
    zendesk_http.get(f"{BASE}/users/20978392.json", json=api("user_show.json"))

    user = client.get_user(20978392)

    assert (user.id, user.name, user.email, user.role, user.organization_id) == (
        20978392, "Johnny Customer", "johnny@example.com", "end-user", 509974)


def test_find_tickets_by_external_id_escapes_the_value(client: ZendeskClient, zendesk_http: Any) -> None:
    zendesk_http.get(f"{BASE}/tickets.json", json=api("tickets_by_external_id.json"),
                     match=[matchers.query_param_matcher({"external_id": "feedbackloop:35436 & more"})])

    (ticket,) = client.find_tickets_by_external_id("feedbackloop:35436 & more")

    assert (ticket.id, ticket.external_id, ticket.ticket_type) == (35437, "feedbackloop:35436", "task")


def test_changed_tickets_starts_from_a_unix_time(client: ZendeskClient, zendesk_http: Any) -> None:
    since = utc(2011, 5, 5, 10, 0, 0)
    zendesk_http.get(f"{BASE}/incremental/tickets/cursor.json", json=api("incremental_tickets_cursor.json"),
                     match=[matchers.query_param_matcher({"start_time": str(int(since.timestamp()))})])

    page = client.changed_tickets(since)

    assert [(ticket.id, ticket.status) for ticket in page.tickets] == [(35436, "solved"), (35440, "deleted")]
    assert (page.cursor, page.end_of_stream) == ("MTU3NjYxMzUzOS4wfHw0Njd8", True)


def test_changed_tickets_continues_from_an_escaped_cursor(client: ZendeskClient, zendesk_http: Any) -> None:
    page_json = {**api("incremental_tickets_cursor.json"), "after_cursor": None, "end_of_stream": False}
    zendesk_http.get(f"{BASE}/incremental/tickets/cursor.json", json=page_json,
                     match=[matchers.query_param_matcher({"cursor": "MTU3+Njd8/="})])

    page = client.changed_tickets(utc(2011, 5, 5), cursor="MTU3+Njd8/=")

    assert (page.cursor, page.end_of_stream) == ("MTU3+Njd8/=", False)


def test_changed_tickets_never_asks_for_the_last_minute(client: ZendeskClient, zendesk_http: Any) -> None:
    zendesk_http.get(f"{BASE}/incremental/tickets/cursor.json", json=api("incremental_tickets_cursor.json"))

    before = time.time()
    client.changed_tickets(datetime.now(timezone.utc).replace(tzinfo=None))

    (call,) = zendesk_http.calls
    start_time = int(call.request.params["start_time"])
    assert before - 61 <= start_time <= before - 59


def test_ticket_url_is_the_agent_page(client: ZendeskClient) -> None:
    assert client.ticket_url(35436) == "https://example.zendesk.com/agent/tickets/35436"


# --- writes -----------------------------------------------------------------------------------


def test_update_ticket_sends_one_put_with_exactly_what_is_set(
    client: ZendeskClient, zendesk_http: Any
) -> None:
    expected = {"ticket": {
        "comment": {"body": "How did we do?", "html_body": "<p>How did we do?</p>", "public": True},
        "tags": ["enterprise", "other_tag", "csat_sent"],
        "custom_fields": [{"id": 360001234567, "value": "csat_sent"}],
        "safe_update": True,
        "updated_stamp": "2011-05-05T10:38:52Z",
    }}
    zendesk_http.put(TICKET, json=api("ticket_update.json"), match=[matchers.json_params_matcher(expected)])
    update = TicketUpdate(
        comment_body="How did we do?", comment_html="<p>How did we do?</p>", comment_public=True,
        tags=("enterprise", "other_tag", "csat_sent"), custom_fields={360001234567: "csat_sent"},
        updated_stamp=utc(2011, 5, 5, 10, 38, 52, 999_999),
    )

    ticket = client.update_ticket(35436, update)

    (call,) = zendesk_http.calls
    assert sent_body(call) == expected
    assert call.request.headers["Content-Type"] == "application/json"
    assert ticket.tags == ("enterprise", "other_tag", "csat_sent")
    assert ticket.custom_fields[360001234567] == "csat_sent"
    assert ticket.updated_at == utc(2011, 5, 5, 10, 41, 7)
    assert client.calls == 1


def test_update_without_a_stamp_sends_no_collision_protection(
    client: ZendeskClient, zendesk_http: Any
) -> None:
    expected = {"ticket": {"comment": {"body": "Customer rated BAD.", "public": False}}}
    zendesk_http.put(TICKET, json=api("ticket_update.json"), match=[matchers.json_params_matcher(expected)])

    client.update_ticket(35436, TicketUpdate(comment_body="Customer rated BAD."))

    (call,) = zendesk_http.calls
    assert sent_body(call) == expected


def test_update_with_an_empty_tag_set_clears_the_tags(client: ZendeskClient, zendesk_http: Any) -> None:
    stamp = datetime(2011, 5, 5, 12, 38, 52, tzinfo=timezone(timedelta(hours=2)))
    expected = {"ticket": {"tags": [], "safe_update": True, "updated_stamp": "2011-05-05T10:38:52Z"}}
    zendesk_http.put(TICKET, json=api("ticket_update.json"), match=[matchers.json_params_matcher(expected)])

    client.update_ticket(35436, TicketUpdate(tags=(), updated_stamp=stamp))


def test_an_update_that_changes_nothing_is_not_sent(client: ZendeskClient) -> None:
    with pytest.raises(ValueError, match="changes nothing"):
        client.update_ticket(35436, TicketUpdate(updated_stamp=utc(2011, 5, 5)))

    assert client.calls == 0


def test_create_ticket_sends_a_requesterless_task_with_a_full_due_time(
    client: ZendeskClient, zendesk_http: Any
) -> None:
    expected = {"ticket": {
        "type": "task",
        "subject": "CSAT review: ticket #35436",
        "comment": {"body": "Customer rated BAD: printer still on fire.", "public": False},
        "due_at": "2011-05-07T17:00:00Z",
        "group_id": 98738,
        "tags": ["csat_review"],
        "external_id": "feedbackloop:35436",
        "custom_fields": [{"id": 360001234567, "value": "35436"}],
    }}
    zendesk_http.post(f"{BASE}/tickets.json", status=201, json=api("ticket_create.json"),
                      match=[matchers.json_params_matcher(expected)])
    new = NewTicket(
        subject="CSAT review: ticket #35436", comment_body="Customer rated BAD: printer still on fire.",
        due_at=datetime(2011, 5, 7, 19, 0, 0, tzinfo=timezone(timedelta(hours=2))), group_id=98738,
        tags=("csat_review",), external_id="feedbackloop:35436", custom_fields={360001234567: "35436"},
    )

    ticket = client.create_ticket(new)

    (call,) = zendesk_http.calls
    sent = sent_body(call)["ticket"]
    assert sent == expected["ticket"]
    assert not {"requester", "requester_id", "submitter_id"} & set(sent)
    assert (ticket.id, ticket.ticket_type, ticket.status) == (35437, "task", "open")


def test_create_ticket_sends_only_what_is_set(client: ZendeskClient, zendesk_http: Any) -> None:
    comment = {"body": "Look at this.", "public": False}
    expected = {"ticket": {"type": "task", "subject": "Review", "comment": comment}}
    zendesk_http.post(f"{BASE}/tickets.json", status=201, json=api("ticket_create.json"),
                      match=[matchers.json_params_matcher(expected)])

    client.create_ticket(NewTicket(subject="Review", comment_body="Look at this."))


# --- errors -------------------------------------------------------------------------------------


def test_429_raises_retryable_with_retry_after_and_does_not_sleep(
    client: ZendeskClient, zendesk_http: Any, no_sleeping: None
) -> None:
    zendesk_http.put(TICKET, status=429, headers={"Retry-After": "47"},
                     json={"error": "APIRateLimitExceeded", "description": "Rate limit exceeded"})

    started = time.monotonic()
    with pytest.raises(errors.Retryable) as caught:
        client.update_ticket(35436, TicketUpdate(comment_body="Survey", comment_public=True))

    assert time.monotonic() - started < 2
    assert (caught.value.retry_after, caught.value.rate_limited) == (47.0, True)
    assert len(zendesk_http.calls) == 1


def test_429_with_an_http_date_retry_after(
    client: ZendeskClient, zendesk_http: Any, no_sleeping: None
) -> None:
    when = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=90), usegmt=True)
    zendesk_http.get(TICKET, status=429, headers={"Retry-After": when}, body="Too Many Requests")

    with pytest.raises(errors.Retryable) as caught:
        client.get_ticket(35436)

    assert caught.value.retry_after is not None and 80 <= caught.value.retry_after <= 90


def test_503_on_a_comment_put_is_sent_exactly_once(client: ZendeskClient, zendesk_http: Any) -> None:
    zendesk_http.put(TICKET, status=503, body="Service Unavailable")

    with pytest.raises(errors.Retryable) as caught:
        client.update_ticket(35436, TicketUpdate(comment_body="Survey", comment_public=True))

    assert len(zendesk_http.calls) == 1
    assert (caught.value.retry_after, caught.value.rate_limited) == (None, False)
    assert "PUT /api/v2/tickets/35436.json -> HTTP 503" in caught.value.reason


def test_harness_sees_transport_retries_that_zenpy_default_session_would_make(zendesk_http: Any) -> None:
    """Control for the test above: `responses` replays urllib3 retries, so one call there means one send."""
    import zenpy  # the test may import zenpy; src/ may not, outside client.py

    zendesk_http.put(TICKET, status=503, body="Service Unavailable")
    default = zenpy.Zenpy(subdomain="example", email="bot@example.com", token=TOKEN, disable_cache=True)

    with pytest.raises(requests.exceptions.RetryError):
        default.tickets._put(TICKET, payload={"ticket": {"comment": {"body": "Survey"}}})

    assert len(zendesk_http.calls) == 4


def test_503_with_retry_after_passes_it_on(client: ZendeskClient, zendesk_http: Any) -> None:
    zendesk_http.get(TICKET, status=503, headers={"Retry-After": "30"}, body="")

    with pytest.raises(errors.Retryable) as caught:
        client.get_ticket(35436)

    assert (caught.value.retry_after, caught.value.rate_limited) == (30.0, False)


def test_500_is_retryable(client: ZendeskClient, zendesk_http: Any) -> None:
    zendesk_http.get(TICKET, status=500, json={"error": "InternalError"})

    with pytest.raises(errors.Retryable, match="HTTP 500: InternalError"):
        client.get_ticket(35436)


def test_409_is_a_conflict(client: ZendeskClient, zendesk_http: Any) -> None:
    zendesk_http.put(TICKET, status=409, json=api("409_update_conflict.json"))

    with pytest.raises(errors.Conflict, match="UpdateConflict"):
        client.update_ticket(35436, TicketUpdate(tags=("csat_sent",), updated_stamp=utc(2011, 5, 5)))


def test_422_on_a_closed_ticket_is_ticket_closed(client: ZendeskClient, zendesk_http: Any) -> None:
    zendesk_http.put(TICKET, status=422, json=api("422_closed_ticket.json"))

    with pytest.raises(errors.TicketClosed) as caught:
        client.update_ticket(35436, TicketUpdate(comment_body="Survey", comment_public=True))

    assert caught.value.code == "closed"
    assert "closed prevents ticket update" in caught.value.reason


def test_other_422_is_permanent_not_closed(client: ZendeskClient, zendesk_http: Any) -> None:
    zendesk_http.post(f"{BASE}/tickets.json", status=422, json={
        "error": "RecordInvalid", "description": "Record validation errors",
        "details": {"group": [{"description": "Group: is invalid", "error": "InvalidValue"}]}})

    with pytest.raises(errors.Permanent) as caught:
        client.create_ticket(NewTicket(subject="Review", comment_body="x", group_id=1))

    assert not isinstance(caught.value, errors.TicketClosed)
    assert caught.value.code == "invalid"


@pytest.mark.parametrize("method", ["get", "put"])
def test_404_is_ticket_not_found(client: ZendeskClient, zendesk_http: Any, method: str) -> None:
    zendesk_http.add(method.upper(), TICKET, status=404, json=api("404_not_found.json"))

    with pytest.raises(errors.TicketNotFound, match="RecordNotFound"):
        if method == "get":
            client.get_ticket(35436)
        else:
            client.update_ticket(35436, TicketUpdate(comment_body="x"))


@pytest.mark.parametrize(("status", "code"), [(401, "auth"), (403, "forbidden")])
def test_auth_failures_are_permanent(client: ZendeskClient, zendesk_http: Any, status: int, code: str) -> None:
    zendesk_http.get(TICKET, status=status, json={"error": "Couldn't authenticate you"})

    with pytest.raises(errors.Permanent) as caught:
        client.get_ticket(35436)

    assert caught.value.code == code  # 401: who we are; 403: what these credentials may do
    assert TOKEN not in str(caught.value)


@pytest.mark.parametrize(
    "failure",
    [requests.exceptions.ReadTimeout("read timed out"),
     requests.exceptions.ConnectTimeout("connect timed out"),
     requests.exceptions.ConnectionError("connection refused"),
     requests.exceptions.ChunkedEncodingError("cut")],
    ids=["read-timeout", "connect-timeout", "connection-error", "cut-short"],
)
def test_transport_failures_are_retryable_and_not_requests_errors(
    client: ZendeskClient, zendesk_http: Any, failure: Exception
) -> None:
    zendesk_http.get(TICKET, body=failure)

    with pytest.raises(errors.Retryable) as caught:
        client.get_ticket(35436)

    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert type(failure).__name__ in caught.value.reason
    assert len(zendesk_http.calls) == 1


def test_a_non_json_success_is_retryable(client: ZendeskClient, zendesk_http: Any) -> None:
    zendesk_http.get(TICKET, body="<html>captive portal</html>", content_type="text/html")

    with pytest.raises(errors.Retryable, match="expected JSON"):
        client.get_ticket(35436)


@pytest.mark.parametrize(
    "answer",
    [[1, 2], {"tickets": []}, {"ticket": {"id": 35436}}, {"ticket": {"id": "x", "status": "open"}},
     {"ticket": {"id": 1, "status": "open", "custom_fields": {"27642": "745"}}}],
    ids=["array", "no-ticket", "no-status", "bad-id", "bad-custom-fields"],
)
def test_an_answer_we_cannot_map_is_a_bad_response(
    client: ZendeskClient, zendesk_http: Any, answer: Any
) -> None:
    zendesk_http.get(TICKET, json=answer)

    with pytest.raises(errors.Permanent) as caught:
        client.get_ticket(35436)

    assert caught.value.code == "bad_response"


def test_a_page_link_that_loops_is_refused(client: ZendeskClient, zendesk_http: Any) -> None:
    url = f"{BASE}/tickets.json"
    zendesk_http.get(url, json={"tickets": [], "next_page": f"{url}?external_id=x"})

    with pytest.raises(errors.Permanent, match="does not end"):
        client.find_tickets_by_external_id("x")


@pytest.mark.parametrize(
    ("exception", "expected"),
    [("record-not-found", errors.TicketNotFound), ("api-422-closed", errors.TicketClosed),
     ("zenpy", errors.Permanent)],
)
def test_zenpy_exceptions_are_translated_too(exception: str, expected: type[Exception]) -> None:
    from zenpy.lib.exception import APIException, RecordNotFoundException, ZenpyException

    def answer(status: int, body: bytes) -> requests.Response:
        response = requests.Response()
        response.status_code, response._content = status, body
        response.request = requests.Request("PUT", TICKET).prepare()
        return response

    closed = json.dumps(api("422_closed_ticket.json")).encode()
    not_found = answer(404, b'{"error":"RecordNotFound"}')
    exc: Exception = {
        "record-not-found": RecordNotFoundException("{}", response=not_found),
        "api-422-closed": APIException("{}", response=answer(422, closed)),
        "zenpy": ZenpyException("subdomain is required"),
    }[exception]

    assert type(error_for_exception(exc, "PUT /api/v2/tickets/35436.json")) is expected


# --- routing and credentials --------------------------------------------------------------------


def test_api_url_sends_this_clients_requests_to_the_override(zendesk_http: Any) -> None:
    account = Account(subdomain="example", email="bot@example.com", api_token=TOKEN, webhook_secret="s",
                      api_url="http://127.0.0.1:8765/zendesk/")
    zendesk_http.get("http://127.0.0.1:8765/zendesk/api/v2/tickets/35436.json", json=api("ticket_show.json"))

    sandboxed = ZendeskClient(account)
    sandboxed.get_ticket(35436)

    (call,) = zendesk_http.calls
    assert call.request.url == "http://127.0.0.1:8765/zendesk/api/v2/tickets/35436.json"
    assert sandboxed.ticket_url(35436) == "https://example.zendesk.com/agent/tickets/35436"


def test_two_clients_keep_their_own_hosts(zendesk_http: Any) -> None:
    sandboxed = ZendeskClient(Account(subdomain="example", email="bot@example.com", api_token=TOKEN,
                                      webhook_secret="s", api_url="http://127.0.0.1:8765"))
    zendesk_http.get("http://127.0.0.1:8765/api/v2/tickets/35436.json", json=api("ticket_show.json"))
    zendesk_http.get(TICKET, json=api("ticket_show.json"))

    sandboxed.get_ticket(35436)
    ZendeskClient(ACCOUNT).get_ticket(35436)

    assert [call.request.url for call in zendesk_http.calls] == [
        "http://127.0.0.1:8765/api/v2/tickets/35436.json", TICKET]


def test_process_wide_zenpy_override_is_refused_not_followed(
    client: ZendeskClient, zendesk_http: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZENPY_FORCE_NETLOC", "127.0.0.1:9999")

    with pytest.raises(errors.Permanent, match="refusing to send Zendesk credentials") as caught:
        client.get_ticket(35436)

    assert caught.value.code == "config" and client.calls == 0


def test_a_page_link_to_another_host_is_not_followed(client: ZendeskClient, zendesk_http: Any) -> None:
    zendesk_http.get(f"{BASE}/tickets.json", json={"tickets": [], "next_page": "https://attacker.example/steal"})

    with pytest.raises(errors.Permanent, match=r"attacker\.example"):
        client.find_tickets_by_external_id("x")

    assert client.calls == 1


def test_secrets_never_show_in_repr_or_str(client: ZendeskClient) -> None:
    for text in (repr(client), str(client), repr(ACCOUNT), str(ACCOUNT)):
        assert TOKEN not in text and WEBHOOK_SECRET not in text
    assert repr(client) == "ZendeskClient(subdomain='example', api_url=None)"


@pytest.mark.parametrize(
    "account",
    [Account(subdomain="evil.com#", email="a@b.c", api_token="t", webhook_secret="s"),
     Account(subdomain="", email="a@b.c", api_token="t", webhook_secret="s"),
     Account(subdomain="example", email="a@b.c", api_token="", webhook_secret="s"),
     Account(subdomain="example", email="a@b.c", api_token="t", webhook_secret="s", api_url="ftp://x"),
     Account(subdomain="example", email="a@b.c", api_token="t", webhook_secret="s", api_url="http://x/?q=1")],
    ids=["host-injection", "no-subdomain", "no-token", "ftp-url", "url-with-query"],
)
def test_unusable_accounts_are_config_errors(account: Account) -> None:
    with pytest.raises(errors.ConfigError):
        ZendeskClient(account)


@pytest.mark.parametrize("ticket_id", [0, -3, True, "35436/../users"])
def test_ids_that_could_bend_the_url_are_refused(client: ZendeskClient, ticket_id: Any) -> None:
    with pytest.raises(ValueError):
        client.get_ticket(ticket_id)


# --- API economy: calls and rate limits ---------------------------------------------------------


def test_calls_count_every_request_including_failures(client: ZendeskClient, zendesk_http: Any) -> None:
    zendesk_http.get(TICKET, json=api("ticket_show.json"))
    zendesk_http.put(TICKET, status=409, json=api("409_update_conflict.json"))
    zendesk_http.put(TICKET, json=api("ticket_update.json"))

    client.get_ticket(35436)
    with pytest.raises(errors.Conflict):
        client.update_ticket(35436, TicketUpdate(tags=("a",), updated_stamp=utc(2011, 5, 5)))
    client.update_ticket(35436, TicketUpdate(tags=("a",)))

    assert client.calls == 3 == len(zendesk_http.calls)


def test_rate_limit_headers_are_recorded(client: ZendeskClient, zendesk_http: Any) -> None:
    headers = {"x-rate-limit": "700", "x-rate-limit-remaining": "696", "rate-limit": "700",
               "rate-limit-remaining": "696",
               "zendesk-rate-limit-tickets-update": "total=20; remaining=19; resets=59"}
    zendesk_http.put(TICKET, json=api("ticket_update.json"), headers=headers)
    zendesk_http.get(TICKET, json=api("ticket_show.json"))

    assert client.last_rate_limit is None
    before = datetime.now(timezone.utc)
    client.update_ticket(35436, TicketUpdate(tags=("a",)))
    client.get_ticket(35436)  # no rate-limit headers: the last reading stands

    info = client.last_rate_limit
    assert info is not None and (info.limit, info.remaining) == (700, 696)
    assert before <= info.observed_at <= datetime.now(timezone.utc)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [({"X-Rate-Limit": "700", "X-Rate-Limit-Remaining": "699"}, (700, 699)),
     ({"ratelimit-limit": "400", "ratelimit-remaining": "12", "ratelimit-reset": "41"}, (400, 12)),
     ({"Rate-Limit": "200", "Rate-Limit-Remaining": "0"}, (200, 0)),
     ({"x-rate-limit-remaining": "5"}, (None, 5)),
     ({"x-rate-limit": "700, 700"}, (700, None))],
    ids=["x-rate-limit", "ratelimit", "rate-limit", "remaining-only", "repeated-header"],
)
def test_rate_limit_header_spellings(
    headers: dict[str, str], expected: tuple[int | None, int | None]
) -> None:
    now = datetime.now(timezone.utc)
    limit, remaining = expected
    reset = float(headers["ratelimit-reset"]) if "ratelimit-reset" in headers else None

    assert read_rate_limit(headers, now) == RateLimitInfo(limit=limit, remaining=remaining, observed_at=now,
                                                          reset_in=reset)


def test_a_late_answer_does_not_raise_the_remaining_budget(client: ZendeskClient, zendesk_http: Any) -> None:
    """Two threads' calls answer out of order: the earlier answer (more remaining, same window)
    arrives last and must not overwrite the later count; the next window's count is taken."""
    window = {"ratelimit-limit": "10", "ratelimit-reset": "40"}
    zendesk_http.put(TICKET, json=api("ticket_update.json"), headers={**window, "ratelimit-remaining": "2"})
    zendesk_http.put(TICKET, json=api("ticket_update.json"), headers={**window, "ratelimit-remaining": "3"})

    client.update_ticket(35436, TicketUpdate(tags=("a",)))
    client.update_ticket(35436, TicketUpdate(tags=("b",)))  # the late answer of the same window
    info = client.last_rate_limit
    assert info is not None and info.remaining == 2

    later = info.observed_at + timedelta(seconds=45)  # the window reset 5 s ago
    fresh = RateLimitInfo(limit=10, remaining=9, observed_at=later, reset_in=60.0)
    assert newest_budget(info, fresh) is fresh


@pytest.mark.parametrize(
    ("current", "observed", "kept"),
    [((10, 2, 0.0, 40.0), (10, 3, 0.5, 40.0), "current"),   # late answer, same window
     ((10, 2, 0.0, 40.0), (10, 3, 1.5, 39.0), "current"),   # whole-second reset, same window
     ((10, 3, 0.0, 40.0), (10, 2, 0.1, 40.0), "observed"),  # lower: always newer news
     ((10, 2, 0.0, 40.0), (10, 9, 41.0, 60.0), "observed"),  # the next window
     ((10, 2, 0.0, None), (10, 3, 0.5, None), "observed"),  # no reset header: as before
     ((10, 2, 0.0, 40.0), (700, 690, 0.5, 40.0), "observed")],  # another limit (plan changed)
    ids=["late", "rounded-reset", "lower", "next-window", "no-reset", "other-limit"],
)
def test_newest_budget(current: tuple[Any, ...], observed: tuple[Any, ...], kept: str) -> None:
    start = datetime(2026, 12, 3, 12, 0, tzinfo=timezone.utc)

    def info(limit: int, remaining: int, at: float, reset: float | None) -> RateLimitInfo:
        return RateLimitInfo(limit=limit, remaining=remaining, observed_at=start + timedelta(seconds=at),
                             reset_in=reset)

    before, after = info(*current), info(*observed)
    assert newest_budget(before, after) is (before if kept == "current" else after)


def test_no_rate_limit_headers_read_as_none() -> None:
    assert read_rate_limit({"Content-Type": "application/json"}, datetime.now(timezone.utc)) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [("47", 47.0), ("0", 0.0), ("1.5", 1.5), ("-5", 0.0), ("nan", None), ("soon", None), ("", None),
     (None, None)],
)
def test_retry_after_seconds(value: str | None, expected: float | None) -> None:
    assert retry_after_seconds(value, datetime.now(timezone.utc)) == expected


def test_retry_after_in_the_past_is_zero() -> None:
    now = datetime(2025, 1, 8, 12, 0, tzinfo=timezone.utc)

    assert retry_after_seconds("Wed, 08 Jan 2025 11:59:00 GMT", now) == 0.0
    assert retry_after_seconds("Wed, 08 Jan 2025 12:00:30 GMT", now) == 30.0


# --- the seam -----------------------------------------------------------------------------------


def test_only_client_py_imports_zenpy() -> None:
    def imports_zenpy(path: Path) -> bool:
        lines = path.read_text(encoding="utf-8").splitlines()
        return any(line.lstrip().startswith(("import zenpy", "from zenpy")) for line in lines)

    importers = sorted(str(path.relative_to(SRC)) for path in SRC.rglob("*.py") if imports_zenpy(path))

    assert importers == ["helpdesks/zendesk/client.py"]


def test_the_webhook_path_does_not_load_zenpy() -> None:
    body = {"ticket_id": 1, "event": "status_changed", "status": "solved", "updated_at": "2025-01-08T16:45Z"}
    code = (
        "import sys, feedbackloop.helpdesks.zendesk as z\n"
        f"z.ZendeskHelpdesk().parse({{}}, {json.dumps(body).encode()!r})\n"
        "print('zenpy' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)

    assert result.stdout.strip() == "False"


def test_helpdesk_builds_a_zendesk_client_that_satisfies_the_protocol() -> None:
    built: HelpdeskClient = ZendeskHelpdesk().client_for(ACCOUNT)

    assert isinstance(built, ZendeskClient)
    assert ZendeskHelpdesk.name == "zendesk"
