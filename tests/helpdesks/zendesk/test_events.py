"""Webhook bodies → TicketEvent, one case per fixture, plus the table's completeness.

Every file in fixtures/zendesk/webhooks/ needs a row in EXPECTED, and every event type the parser
supports needs a fixture: adding either without the other fails the suite.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from feedbackloop.core.errors import BadRequest, UnsupportedEvent
from feedbackloop.helpdesks.base import TicketEvent
from feedbackloop.helpdesks.zendesk import ZendeskHelpdesk, events

WEBHOOKS = Path(__file__).parents[2] / "fixtures" / "zendesk" / "webhooks"
FIXTURE_FILES = sorted(path.name for path in WEBHOOKS.glob("*.json"))
INVOCATION = events.INVOCATION_ID_HEADER

IGNORED = "ignored"
UNSUPPORTED = "unsupported"


@dataclass(frozen=True)
class Handled:
    """The TicketEvent a fixture must produce: `fields` must match, `extra` must match exactly."""

    fields: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0,
        micro: int = 0) -> datetime:
    """An aware UTC datetime."""
    return datetime(year, month, day, hour, minute, second, micro, tzinfo=timezone.utc)


TICKET_5158 = {
    "ticket_id": 5158,
    "requester_id": 8447388090495,
    "group_id": 8447320466430,
    "brand_id": 8447346621310,
    "organization_id": 8447346622462,
    "channel": "api",  # the envelope's via type "web_service" is the REST API's channel "api"
    "ticket_type": "problem",
    "subject": "Cannot login to mobile app",
    "tags": ("mobile", "login", "priority-support"),
}
ACCOUNT = {"account_id": 22129848}
STATUS_CHANGED = "zen:event-type:ticket.status_changed"
FROM_TRIGGER = {
    "ticket_id": 5158,
    "requester_id": 8447388090495,
    "assignee_id": 8447388090494,
    "group_id": 8447320466430,
    "brand_id": None,
    "organization_id": None,
    "channel": "web",  # {{ticket.via}} renders "Web Form": the REST API's channel "web"
    "ticket_type": "problem",
    "subject": None,
    "tags": ("mobile", "login", "priority-support"),
}

EXPECTED: dict[str, Handled | str] = {
    "ticket.status_changed__solved.json": Handled(
        {**TICKET_5158, "kind": "status_changed", "event_type": STATUS_CHANGED, "status": "solved",
         "previous_status": "open", "assignee_id": 8447388090494, "actor_id": 8447388090494,
         "dedupe_key": "event:a8b9c1d2-3e4f-5a6b-7c8d-9e0f1a2b3c4d",
         "occurred_at": utc(2025, 1, 8, 16, 45, 20, 987654), "updated_at": utc(2025, 1, 8, 16, 45, 20)},
        ACCOUNT,
    ),
    "ticket.status_changed__reopened.json": Handled(
        {**TICKET_5158, "kind": "status_changed", "event_type": STATUS_CHANGED, "status": "open",
         "previous_status": "solved", "actor_id": 8447388090495,
         "dedupe_key": "event:0f3c5e7a-9b1d-4f2e-8c6a-2b4d6f8a0c1e",
         "occurred_at": utc(2025, 1, 9, 8, 2, 11, 104530), "updated_at": utc(2025, 1, 9, 8, 2, 11)},
        ACCOUNT,
    ),
    "ticket.status_changed__closed.json": Handled(
        {**TICKET_5158, "kind": "status_changed", "event_type": STATUS_CHANGED, "status": "closed",
         "previous_status": "solved", "dedupe_key": "event:7d2e4a6c-8e0f-4b1a-9c3d-5e7f9a1b3c5d",
         "occurred_at": utc(2025, 1, 12, 17, 0, 3)},
        ACCOUNT,
    ),
    "ticket.status_changed__pending.json": Handled(
        {**TICKET_5158, "kind": "status_changed", "status": "pending", "previous_status": "open",
         "dedupe_key": "event:3e5a7c9e-1b3d-4f5a-8b7c-9d1e3f5a7b9c",
         "occurred_at": utc(2025, 1, 8, 11, 30, 0, 500000)},
        ACCOUNT,
    ),
    "ticket.created__open_task.json": Handled(
        {"kind": "created", "ticket_id": 5158, "event_type": "zen:event-type:ticket.created",
         "status": "open", "previous_status": None, "requester_id": 8447388090494, "ticket_type": "task",
         "tags": ("ticket-info-test-tag",), "channel": "api",
         "dedupe_key": "event:cbe4028c-7239-495d-b020-f22348516046",
         "occurred_at": utc(2025, 1, 8, 10, 12, 7, 672717), "updated_at": utc(2025, 1, 8, 10, 12, 7)},
        {**ACCOUNT, "description": "ticket_info_desc_2294a6e9ece2"},  # the opening message (exports)
    ),
    "ticket.comment_added__public.json": Handled(
        {**TICKET_5158, "kind": "comment_added", "event_type": "zen:event-type:ticket.comment_added",
         "status": "open", "dedupe_key": "event:d4f5c389-8f4a-4c2e-a1b9-8e4f39c71d52",
         "occurred_at": utc(2025, 1, 8, 14, 25, 30, 123456)},
        {**ACCOUNT, "comment_id": 9876543210,
         "body": "We are investigating this issue and will update you shortly.", "is_public": True,
         "author_id": 8447388090494, "author_is_staff": True},
    ),
    "ticket.comment_added__private.json": Handled(
        {**TICKET_5158, "kind": "comment_added", "status": "open",
         "dedupe_key": "event:e1a2b3c4-d5e6-4f70-8192-a3b4c5d6e7f8"},
        {**ACCOUNT, "comment_id": 9876543299, "body": "Escalated to the mobile team, see JIRA MOB-118.",
         "is_public": False, "author_id": 8447388090494, "author_is_staff": True},
    ),
    "ticket.tags_changed__added_and_removed.json": Handled(
        {**TICKET_5158, "kind": "tags_changed", "event_type": "zen:event-type:ticket.tags_changed",
         "status": "solved", "tags": ("mobile", "login", "priority-support", "csat_sent"),
         "dedupe_key": "event:c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f"},
        {**ACCOUNT, "added": ("csat_sent",), "removed": ("csat_pending",)},
    ),
    "ticket.agent_assignment_changed__reassigned.json": Handled(
        {**TICKET_5158, "kind": "assignee_changed",
         "event_type": "zen:event-type:ticket.agent_assignment_changed", "assignee_id": 8447388090496,
         "status": "open", "dedupe_key": "event:c6d7e8f9-0a1b-2c3d-4e5f-6a7b8c9d0e1f",
         "occurred_at": utc(2025, 1, 8, 12, 15, 45, 789012)},
        {**ACCOUNT, "previous_assignee_id": 8447388090494},
    ),
    "user.deleted__end_user.json": IGNORED,
    "unknown__future_event.json": UNSUPPORTED,
    "trigger__ticket_solved.json": Handled(
        {**FROM_TRIGGER, "kind": "status_changed", "event_type": "trigger:status_changed", "status": "solved",
         "previous_status": None, "actor_id": 8447388090494, "occurred_at": utc(2025, 1, 8, 16, 45),
         "updated_at": utc(2025, 1, 8, 16, 45)},
    ),
    "trigger__ticket_reopened.json": Handled(
        {**FROM_TRIGGER, "kind": "status_changed", "event_type": "trigger:status_changed", "status": "open",
         "previous_status": "solved", "actor_id": 8447388090495, "updated_at": utc(2025, 1, 9, 8, 2)},
    ),
    "trigger__ticket_solved_unassigned.json": Handled(
        {**FROM_TRIGGER, "ticket_id": 5159, "kind": "status_changed", "status": "solved", "assignee_id": None,
         "group_id": None, "ticket_type": None, "tags": (), "actor_id": None},
    ),
    "trigger__tag_added.json": Handled(
        {**FROM_TRIGGER, "kind": "tags_changed", "event_type": "trigger:tag_added", "status": "solved",
         "tags": ("mobile", "login", "priority-support", "csat_requested")},
        {"added": ("csat_requested",), "removed": ()},
    ),
    # Zendesk's own CSAT changed (issue 23): the requester's rating; the comment never travels in the body
    "trigger__satisfaction_changed.json": Handled(
        {**FROM_TRIGGER, "kind": "satisfaction_changed", "event_type": "trigger:satisfaction_changed",
         "status": "solved", "actor_id": 8447388090495, "tags": ("mobile", "login", "priority-support", "csat_bad"),
         "updated_at": utc(2025, 1, 9, 9, 30)},
        {"satisfaction": "Bad, I'm unsatisfied"},
    ),
}


def load(name: str) -> dict[str, Any]:
    """A webhook fixture as parsed JSON."""
    body: dict[str, Any] = json.loads((WEBHOOKS / name).read_text(encoding="utf-8"))
    return body


def raw(name: str) -> bytes:
    """A webhook fixture's bytes, as they arrive."""
    return (WEBHOOKS / name).read_bytes()


def encode(body: Any) -> bytes:
    """JSON bytes of a (mutated) body."""
    return json.dumps(body).encode("utf-8")


def assert_event(event: TicketEvent | None, expected: Handled) -> None:
    """Every expected field matches and ``extra`` is exactly as expected."""
    assert event is not None
    actual = {name: getattr(event, name) for name in expected.fields}
    assert actual == expected.fields
    assert dict(event.extra) == expected.extra
    assert event.occurred_at.utcoffset() == timedelta(0)


# --- one case per fixture -------------------------------------------------------------------


@pytest.mark.parametrize("name", FIXTURE_FILES)
def test_fixture(name: str) -> None:
    if name not in EXPECTED:
        pytest.fail(f"{name} has no row in EXPECTED: say whether it is handled, ignored or unsupported")
    expected = EXPECTED[name]
    helpdesk = ZendeskHelpdesk()

    if expected == IGNORED:
        assert helpdesk.parse({}, raw(name)) is None
    elif expected == UNSUPPORTED:
        with pytest.raises(UnsupportedEvent) as caught:
            helpdesk.parse({}, raw(name))
        assert caught.value.event_type == load(name)["type"]
    else:
        assert isinstance(expected, Handled)
        assert_event(helpdesk.parse({}, raw(name)), expected)


ENVELOPE_FILES = [name for name in FIXTURE_FILES if not name.startswith(("trigger__", "unknown__"))]


@pytest.mark.parametrize("name", ENVELOPE_FILES)
def test_fixture_is_named_for_its_event_type(name: str) -> None:
    assert name.split("__")[0] == load(name)["type"].removeprefix(events.EVENT_TYPE_PREFIX)


# --- completeness (Zulip-style) -------------------------------------------------------------


def test_every_fixture_has_an_expectation_and_every_expectation_a_fixture() -> None:
    assert set(EXPECTED) == set(FIXTURE_FILES)


def test_every_supported_event_has_a_handled_fixture() -> None:
    covered = {load(name)["type"] for name, outcome in EXPECTED.items()
               if isinstance(outcome, Handled) and "type" in load(name)}
    missing = events.SUPPORTED_EVENTS - covered
    assert not missing, f"supported but no fixture shows it: {sorted(missing)}"


def test_every_trigger_event_has_a_handled_fixture() -> None:
    covered = {load(name)["event"] for name, outcome in EXPECTED.items()
               if isinstance(outcome, Handled) and name.startswith("trigger__")}
    missing = set(events.TRIGGER_KINDS) - covered
    assert not missing, f"trigger events without a fixture: {sorted(missing)}"


def test_ignored_and_unsupported_fixtures_are_classified_as_such() -> None:
    for name, outcome in EXPECTED.items():
        if outcome == IGNORED:
            assert load(name)["type"] in events.IGNORED_EVENTS
        if outcome == UNSUPPORTED:
            assert load(name)["type"] not in events.IGNORED_EVENTS | events.SUPPORTED_EVENTS


def test_event_tables_are_disjoint_and_well_formed() -> None:
    assert frozenset(events.EVENT_PARSERS) == events.SUPPORTED_EVENTS
    assert events.SUPPORTED_EVENTS.isdisjoint(events.IGNORED_EVENTS)
    known = events.SUPPORTED_EVENTS | events.IGNORED_EVENTS
    assert all(name.startswith(events.EVENT_TYPE_PREFIX) for name in known)


# --- dedupe keys ------------------------------------------------------------------------------


def test_envelope_dedupe_key_is_the_event_id_whatever_the_invocation() -> None:
    body = raw("ticket.status_changed__solved.json")

    first = events.parse({INVOCATION: "01HANA2B5D5W9XSJS3NE5SQA1J"}, body)
    redelivered = events.parse({INVOCATION: "01HANAGC145EHAN10S0515KZG3"}, body)

    assert first is not None and redelivered is not None
    assert first.dedupe_key == redelivered.dedupe_key == "event:a8b9c1d2-3e4f-5a6b-7c8d-9e0f1a2b3c4d"


def test_envelope_without_id_falls_back_to_the_invocation_header() -> None:
    body = load("ticket.status_changed__solved.json")
    del body["id"]

    event = events.parse({INVOCATION.lower(): " 01HANA2B5D5W9XSJS3NE5SQA1J "}, encode(body))

    assert event is not None and event.dedupe_key == "invocation:01HANA2B5D5W9XSJS3NE5SQA1J"


def test_envelope_without_any_id_is_refused() -> None:
    body = load("ticket.status_changed__solved.json")
    body["id"] = ""

    with pytest.raises(BadRequest, match="no event id"):
        events.parse({}, encode(body))


def test_trigger_dedupe_key_prefers_the_invocation_header() -> None:
    event = events.parse({INVOCATION: "01HANA2B5D5W9XSJS3NE5SQA1J"}, raw("trigger__ticket_solved.json"))

    assert event is not None and event.dedupe_key == "invocation:01HANA2B5D5W9XSJS3NE5SQA1J"


def test_trigger_content_key_is_stable_across_redeliveries() -> None:
    first = events.parse({}, raw("trigger__ticket_solved.json"))
    again = events.parse({}, encode(load("trigger__ticket_solved.json")))

    assert first is not None and again is not None
    assert first.dedupe_key == again.dedupe_key
    assert re.fullmatch(r"content:[0-9a-f]{64}", first.dedupe_key)


@pytest.mark.parametrize(
    "change",
    [{"updated_at": "2025-01-08T16:46Z"}, {"status": "Closed"}, {"ticket_id": "5160"},
     {"event": "tag_added"}],
    ids=["updated_at", "status", "ticket", "event"],
)
def test_trigger_content_key_changes_with_what_happened(change: dict[str, str]) -> None:
    base = events.parse({}, raw("trigger__ticket_solved.json"))
    other = events.parse({}, encode({**load("trigger__ticket_solved.json"), **change}))

    assert base is not None and other is not None and base.dedupe_key != other.dedupe_key


def test_trigger_content_key_ignores_how_the_status_is_spelled() -> None:
    base = events.parse({}, raw("trigger__ticket_solved.json"))
    shouted = events.parse({}, encode({**load("trigger__ticket_solved.json"), "status": "SOLVED"}))

    assert base is not None and shouted is not None and base.dedupe_key == shouted.dedupe_key


def test_trigger_without_updated_at_or_invocation_id_is_refused() -> None:
    body = {**load("trigger__ticket_solved.json"), "updated_at": ""}

    with pytest.raises(BadRequest, match="no dedupe key"):
        events.parse({}, encode(body))


def test_trigger_without_updated_at_takes_its_time_from_the_signature_timestamp() -> None:
    body = {**load("trigger__ticket_solved.json"), "updated_at": ""}
    headers = {INVOCATION: "01HANA2B5D5W9XSJS3NE5SQA1J",
               "X-Zendesk-Webhook-Signature-Timestamp": "2025-01-08T16:45:03Z"}

    event = events.parse(headers, encode(body))

    assert event is not None and event.updated_at is None and event.occurred_at == utc(2025, 1, 8, 16, 45, 3)


# --- trigger body format --------------------------------------------------------------------


def render(template: str, values: dict[str, str]) -> bytes:
    """What Zendesk does to a trigger body: replace each {{placeholder}} with plain text."""
    return re.sub(r"\{\{([a-z_.]+)\}\}", lambda match: values[match.group(1)], template).encode("utf-8")


PLACEHOLDER_VALUES = {
    "ticket.id": "5158",
    "ticket.status": "Solved",
    "ticket.requester.id": "8447388090495",
    "ticket.assignee.id": "",
    "ticket.group.id": "8447320466430",
    "ticket.ticket_type": "Question",
    "ticket.via": "Web Form",
    "ticket.tags": "mobile login",
    "ticket.updated_at_with_timestamp": "2025-01-08T16:45Z",
    "current_user.id": "8447388090494",
}


def test_the_template_handed_to_the_installer_parses_once_rendered() -> None:
    template = events.trigger_body("status_changed")

    event = events.parse({}, render(template, PLACEHOLDER_VALUES))

    assert event is not None
    assert (event.kind, event.ticket_id) == ("status_changed", 5158)
    assert (event.status, event.previous_status) == ("solved", None)
    assert (event.requester_id, event.assignee_id, event.group_id) == (8447388090495, None, 8447320466430)
    assert (event.ticket_type, event.channel, event.tags) == ("question", "web", ("mobile", "login"))
    assert event.updated_at == utc(2025, 1, 8, 16, 45)
    assert "type" not in json.loads(template), "a 'type' key would make the body look like an envelope"


def test_reopen_and_tag_templates_carry_their_literals() -> None:
    reopened = events.parse({}, render(events.trigger_body("status_changed", previous_status="solved"),
                                       {**PLACEHOLDER_VALUES, "ticket.status": "Open"}))
    tagged = events.parse({}, render(events.trigger_body("tag_added", added_tags=["csat_requested", "vip"]),
                                     PLACEHOLDER_VALUES))

    assert reopened is not None and (reopened.status, reopened.previous_status) == ("open", "solved")
    assert tagged is not None and tagged.kind == "tags_changed"
    assert tagged.extra == {"added": ("csat_requested", "vip"), "removed": ()}


def test_trigger_body_refuses_an_event_we_cannot_parse() -> None:
    with pytest.raises(ValueError, match="unknown trigger event"):
        events.trigger_body("priority_changed")


@pytest.mark.parametrize(
    ("rendered", "status"), [("On-hold", "hold"), ("PENDING", "pending"), ("closed", "closed")]
)
def test_trigger_status_labels_are_normalised(rendered: str, status: str) -> None:
    event = events.parse({}, encode({**load("trigger__ticket_solved.json"), "status": rendered}))

    assert event is not None and event.status == status and "raw_status" not in event.extra


@pytest.mark.parametrize(("label", "status"), [("Gelöst", "solved"), ("Résolu", "solved"), ("En espera", "hold"),
                                               ("Wartend", "pending")])
def test_localised_status_labels_are_mapped_to_the_api_status(label: str, status: str) -> None:
    event = events.parse({}, encode({**load("trigger__ticket_solved.json"), "status": label}))

    assert event is not None and event.status == status and event.extra == {}


def test_a_status_label_we_cannot_map_is_logged_once_and_the_event_kept(caplog: pytest.LogCaptureFixture) -> None:
    solved = {**load("trigger__ticket_solved.json"), "status": "Waiting on engineering"}  # a custom status
    reopened = {**load("trigger__ticket_reopened.json"), "status": "Waiting on engineering"}

    with caplog.at_level("WARNING", logger="feedbackloop.helpdesks.zendesk.events"):
        kept = events.parse({}, encode(solved))
        again = events.parse({}, encode({**solved, "updated_at": "2025-01-08T16:46Z"}))
        reopen = events.parse({}, encode(reopened))

    assert kept is not None and kept.status is None and kept.extra == {"raw_status": "waiting on engineering"}
    assert again is not None and again.ticket_id == kept.ticket_id
    # the reopen trigger fires only when a solved ticket moves to anything but closed: a reopen
    assert reopen is not None and (reopen.status, reopen.previous_status) == ("open", "solved")
    lines = [r.getMessage() for r in caplog.records if "waiting on engineering" in r.getMessage()]
    assert len(lines) == 1 and "status label" in lines[0]  # once per label and process, not per delivery


@pytest.mark.parametrize(("via", "channel"), [("Web Form", "web"), ("Mail", "email"), ("Web Service", "api"),
                                              ("Closed Ticket", "web"), ("Chat", "chat"), ("Voicemail", "voice"),
                                              ("Phone Call (Incoming)", "voice"), ("Facebook Post", "facebook")])
def test_trigger_via_labels_are_the_api_channels(via: str, channel: str) -> None:
    event = events.parse({}, encode({**load("trigger__ticket_solved.json"), "via": via}))

    assert event is not None and event.channel == channel


def test_every_via_channels_key_is_its_own_slug() -> None:
    """to_channel answers a key of VIA_CHANNELS straight from the table: the slow path (to_word, then the
    slug) must make each key into itself, or the two paths would disagree."""
    assert all(events.to_label(key) == key for key in events.VIA_CHANNELS)


def test_a_via_label_we_cannot_map_is_kept_as_its_slug(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("WARNING", logger="feedbackloop.helpdesks.zendesk.events"):
        event = events.parse({}, encode({**load("trigger__ticket_solved.json"), "via": "Carrier Pigeon"}))

    assert event is not None and event.channel == "carrier_pigeon"
    assert any("'carrier_pigeon'" in r.getMessage() for r in caplog.records)


def test_the_solved_trigger_sends_a_literal_status_not_the_label() -> None:
    body = json.loads(events.trigger_body("status_changed", status="solved"))

    assert body["status"] == "solved"
    event = events.parse({}, render(events.trigger_body("status_changed", status="solved"),
                                    {**PLACEHOLDER_VALUES, "ticket.status": "Erledigt"}))
    assert event is not None and event.status == "solved" and "raw_status" not in event.extra


def test_trigger_tags_may_be_a_list_and_ids_may_be_numbers() -> None:
    body = {**load("trigger__ticket_solved.json"), "tags": ["vip", "vip", " csat "], "ticket_id": 5158,
            "requester_id": 8447388090495}

    event = events.parse({}, encode(body))

    assert event is not None and event.tags == ("vip", "csat") and event.requester_id == 8447388090495


def test_trigger_event_we_do_not_define_is_unsupported() -> None:
    with pytest.raises(UnsupportedEvent) as caught:
        events.parse({}, encode({**load("trigger__ticket_solved.json"), "event": "priority_changed"}))

    assert caught.value.event_type == "trigger:priority_changed"


# --- envelope details -----------------------------------------------------------------------


def test_ticket_id_comes_from_the_subject_when_detail_has_none() -> None:
    body = load("ticket.status_changed__solved.json")
    body["detail"]["id"] = None

    event = events.parse({}, encode(body))

    assert event is not None and event.ticket_id == 5158


def test_status_changed_takes_detail_status_when_event_has_no_current() -> None:
    body = load("ticket.status_changed__solved.json")
    body["event"] = {}

    event = events.parse({}, encode(body))

    assert event is not None and (event.status, event.previous_status) == ("solved", None)


def test_unassigning_sets_no_assignee() -> None:
    body = load("ticket.agent_assignment_changed__reassigned.json")
    body["event"]["current"] = None

    event = events.parse({}, encode(body))

    assert event is not None and event.assignee_id is None


def test_tags_changed_accepts_added_and_removed_objects() -> None:
    body = load("ticket.tags_changed__added_and_removed.json")
    body["event"] = {"added": {"tags": ["vip"]}, "removed": {"tags": []}}

    event = events.parse({}, encode(body))

    assert event is not None and event.extra["added"] == ("vip",) and event.extra["removed"] == ()


def test_ignored_event_needs_no_ticket() -> None:
    body = load("user.deleted__end_user.json")
    body["detail"] = "anything"

    assert events.parse({}, encode(body)) is None


# --- bad bodies -----------------------------------------------------------------------------

MISSING = object()


def mutated(name: str, path: tuple[str, ...], value: object) -> bytes:
    """A fixture with one value replaced (or removed, for MISSING)."""
    body = copy.deepcopy(load(name))
    target = body
    for key in path[:-1]:
        target = target[key]
    if value is MISSING:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return encode(body)


SOLVED = "ticket.status_changed__solved.json"
COMMENT = "ticket.comment_added__public.json"
TRIGGER = "trigger__ticket_solved.json"

BAD_BODIES: dict[str, tuple[bytes, str]] = {
    "empty": (b"", "empty body"),
    "whitespace": (b" \n", "empty body"),
    "not json": (b"ticket solved", "not JSON"),
    "truncated json": (raw(SOLVED)[:40], "not JSON"),
    "array": (b"[1, 2]", "a JSON object, not an array"),
    "string": (b'"solved"', "a JSON object, not a string"),
    "null": (b"null", "a JSON object, not null"),
    "invalid utf-8": (b'{"type": "\xff\xfe"}', "not valid UTF-8"),
    "latin-1": ('{"ticket_id": "5158", "status": "Gelöst"}'.encode("latin-1"), "not valid UTF-8"),
    "NaN": (b'{"ticket_id": NaN}', "not acceptable JSON"),
    "deeply nested": (b"[" * 100_000 + b"]" * 100_000, "not acceptable JSON"),
    "neither kind": (b'{"id": "x"}', "neither an event envelope"),
    "type not a string": (mutated(SOLVED, ("type",), 7), "body.type is invalid"),
    "type empty": (mutated(SOLVED, ("type",), ""), "body.type is empty"),
    "no detail": (mutated(SOLVED, ("detail",), MISSING), "body.detail must be an object"),
    "detail a list": (mutated(SOLVED, ("detail",), []), "body.detail must be an object"),
    "event a list": (mutated(SOLVED, ("event",), ["SOLVED"]), "body.event must be an object"),
    "no ticket id": (
        encode({**load(SOLVED), "subject": None, "detail": {**load(SOLVED)["detail"], "id": None}}),
        "no ticket id",
    ),
    "ticket id not digits": (mutated(SOLVED, ("detail", "id"), "51x8"), "detail.id is invalid"),
    "ticket id a float": (mutated(SOLVED, ("detail", "id"), 5158.5), "detail.id is invalid"),
    "ticket id a boolean": (mutated(SOLVED, ("detail", "id"), True), "detail.id is invalid"),
    "ids disagree": (mutated(SOLVED, ("subject",), "zen:ticket:9999"), "disagree"),
    "subject not a ticket id": (mutated(SOLVED, ("subject",), "zen:ticket:abc"), "does not name a ticket"),
    "no time": (mutated(SOLVED, ("time",), MISSING), "body.time is missing"),
    "time not iso": (mutated(SOLVED, ("time",), "yesterday"), "body.time is invalid"),
    "time a number": (mutated(SOLVED, ("time",), 1736333120), "body.time is invalid"),
    "impossible time": (mutated(SOLVED, ("time",), "2025-02-30T10:00:00Z"), "body.time is invalid"),
    "requester id a word": (mutated(SOLVED, ("detail", "requester_id"), "customer"),
                            "detail.requester_id is invalid"),
    "tags a number": (mutated(SOLVED, ("detail", "tags"), 3), "detail.tags is invalid"),
    "tags with a number": (mutated(SOLVED, ("detail", "tags"), ["a", 3]), "detail.tags is invalid"),
    "via a string": (mutated(SOLVED, ("detail", "via"), "web"), "detail.via is invalid"),
    "updated_at garbled": (mutated(SOLVED, ("detail", "updated_at"), "soon"), "detail.updated_at is invalid"),
    "status missing everywhere": (
        encode({**load(SOLVED), "event": {}, "detail": {**load(SOLVED)["detail"], "status": None}}),
        "without a status",
    ),
    "comment missing": (mutated(COMMENT, ("event", "comment"), MISSING), "event.comment must be an object"),
    "comment is_public garbled": (mutated(COMMENT, ("event", "comment", "is_public"), "maybe"),
                                  "event.comment.is_public is invalid"),
    "comment author id garbled": (mutated(COMMENT, ("event", "comment", "author", "id"), "agent"),
                                  "event.comment.author.id is invalid"),
    "trigger without ticket id": (mutated(TRIGGER, ("ticket_id",), ""), "body.ticket_id is missing"),
    "trigger ticket id garbled": (mutated(TRIGGER, ("ticket_id",), "{{ticket.id}}"),
                                  "body.ticket_id is invalid"),
    "trigger without event": (mutated(TRIGGER, ("event",), MISSING), "body.event is missing"),
    "trigger event a number": (mutated(TRIGGER, ("event",), 1), "body.event is invalid"),
    "trigger updated_at as text date": (mutated(TRIGGER, ("updated_at",), "May 18, 2014"),
                                        "body.updated_at is invalid"),
    "trigger tags an object": (mutated(TRIGGER, ("tags",), {"a": 1}), "body.tags is invalid"),
}


@pytest.mark.parametrize("case", sorted(BAD_BODIES))
def test_bad_body_is_refused_with_a_reason(case: str) -> None:
    body, reason = BAD_BODIES[case]

    with pytest.raises(BadRequest) as caught:
        events.parse({}, body)

    assert reason in caught.value.reason
    assert caught.value.status_code == 400


# --- value converters -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-01-08T10:12:07.672717030Z", utc(2025, 1, 8, 10, 12, 7, 672717)),
        ("2025-01-08T10:12:07.5Z", utc(2025, 1, 8, 10, 12, 7, 500000)),
        ("2025-01-08T10:12:07Z", utc(2025, 1, 8, 10, 12, 7)),
        ("2013-12-12T05:35Z", utc(2013, 12, 12, 5, 35)),
        ("2025-01-08T12:12:07+02:00", utc(2025, 1, 8, 10, 12, 7)),
        ("2025-01-08T05:12:07-0500", utc(2025, 1, 8, 10, 12, 7)),
        ("2025-01-08 10:12:07", utc(2025, 1, 8, 10, 12, 7)),
        (" 2025-01-08T10:12:07z ", utc(2025, 1, 8, 10, 12, 7)),
        ("", None),
        (None, None),
    ],
)
def test_to_time(text: str | None, expected: datetime | None) -> None:
    assert events.to_time(text) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("5158", 5158), (5158, 5158), (" 42 ", 42), ("", None), (None, None), ("0", None), (0, None),
     ("-1", None), (-1, None)],
)
def test_to_id(value: object, expected: int | None) -> None:
    assert events.to_id(value) == expected


@pytest.mark.parametrize("value", [True, 4.2, "4e3", "\uff11\uff12", "1" * 21, {"id": 1}, "{{ticket.id}}"])
def test_to_id_refuses(value: object) -> None:
    with pytest.raises(ValueError):
        events.to_id(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("SOLVED", "solved"), ("Solved", "solved"), ("On-hold", "hold"), ("HOLD", "hold"), ("", None),
     ("-", None), (None, None)],
)
def test_to_status(value: object, expected: str | None) -> None:
    assert events.to_status(value) == expected


@pytest.mark.parametrize(("value", "expected"), [("a b  a", ("a", "b")), (["x", " y ", "", "x"], ("x", "y")),
                                                 ("", ()), (None, ()), ([], ())])
def test_to_tags(value: object, expected: tuple[str, ...]) -> None:
    assert events.to_tags(value) == expected


@pytest.mark.parametrize(("value", "expected"), [("Web Form", "web_form"), ("Closed Ticket", "closed_ticket"),
                                                 ("API", "api"), ("-", None), ("", None), ("!!", None)])
def test_to_label(value: str, expected: str | None) -> None:
    assert events.to_label(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [(True, True), (False, False), ("true", True), ("FALSE", False), (None, None)]
)
def test_to_bool(value: object, expected: bool | None) -> None:
    assert events.to_bool(value) == expected
