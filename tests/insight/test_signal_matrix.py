"""Issue 24 (the signal matrix): `export intents`, `report --section knowledge-gaps|compliance|sentiment`
and the sentiment drop alert.

Data goes in as in test_exports.py: customer and agent messages as signed webhooks, the AI's decisions
through POST /api/v1/decisions, corrections through overrides.record_override (the writer the intent
field check and the sidebar use), verdicts and first-contact results with lifecycle.record_signal in
their writers' shape. Data comes out through the real command.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from flask.testing import FlaskClient
from sqlalchemy import Engine, select
from test_exports import (  # noqa: F401 - the fixtures are used by name
    ZENDESK_VARS,
    Store,
    _offline_hub,
    assert_no_pii,
    lines,
    load_with_datasets,
    ok,
    run,
)

from conftest import SECRET_KEY
from feedbackloop.cli import cli
from feedbackloop.core.settings import Settings
from feedbackloop.insight import alerts, sentiment
from feedbackloop.insight.metrics import bucket_start
from feedbackloop.jobs.step import StepContext
from feedbackloop.loop.overrides import record_override
from feedbackloop.loop.records import record_signal
from feedbackloop.store.db import make_session_factory, session_scope, utcnow
from feedbackloop.store.models import DropAlert, Job
from feedbackloop.wiring.services import Services

LABELLED = Path(__file__).parents[1] / "fixtures" / "sentiment" / "labelled.json"


@pytest.fixture
def s(client: FlaskClient, engine: Engine, settings: Settings) -> Store:
    return Store(client, engine, settings)


@pytest.fixture
def report(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """`feedbackloop report ...` as a user runs it."""
    monkeypatch.chdir(tmp_path)
    env: dict[str, str | None] = {"FEEDBACKLOOP_DATABASE_URL": settings.database_url,
                                  "FEEDBACKLOOP_SECRET_KEY": SECRET_KEY, **{v: None for v in ZENDESK_VARS}}

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(cli, ["report", *args], env=env)

    return invoke


def section_json(report: Any, name: str) -> dict[str, Any]:
    result = ok(report("--section", name, "--since", "60d", "--format", "json"))
    data: dict[str, Any] = json.loads(result.output)
    # the other two formats render the same rows
    table, csv_text = ok(report("--section", name, "--since", "60d")), ok(report("--section", name, "--since", "60d",
                                                                             "--format", "csv"))
    assert data["title"] in table.output
    assert len(csv_text.output.strip().splitlines()) == 1 + len(data["rows"])
    return data


def correct_intent(s: Store, ticket: int, ai: str, human: str, *, source: str = "automatic",
                   kind: str = "intent_changed", minutes: float = 20, **extra: Any) -> None:
    with session_scope(make_session_factory(s.engine)) as session:
        record_override(session, "default", ticket, source=source, kind=kind, dedupe_key=f"{kind}:{ticket}:{human}",
                        occurred_at=s.at(minutes), now=utcnow(), ai_decision=f"intent {ai}",
                        final_action=f"intent {human}", details={"from": ai, "to": human}, **extra)


def signal(s: Store, ticket: int, type_: str, value: float | None, details: dict[str, Any]) -> None:
    with session_scope(make_session_factory(s.engine)) as session:
        record_signal(session, "default", ticket, type_, value, "review", f"{type_}:{ticket}", s.at(40), details,
                      utcnow())


# --- export intents -----------------------------------------------------------------------------------


def test_export_intents_one_row_per_corrected_ticket_redacted_and_loadable(s: Store, run: Any, tmp_path: Path) -> None:
    s.comment(201, "My name is Ana Lima, email ana.lima@example.com. I was charged twice for order 4410.", 1)
    s.decide(201, "classify", 2, step="intent_classification", intent="order_status", confidence=0.64,
             model="clf-v3", prompt_version="intent-p2")
    s.decide(201, "reply", 3, draft_reply="Your order ships Friday.")
    correct_intent(s, 201, "order_status", "billing_double_charge")
    # 202: corrected twice; the last correction is the label
    s.comment(202, "The app crashes when I open settings.", 1)
    s.decide(202, "classify", 2, step="intent_classification", intent="account_access", confidence=0.91)
    correct_intent(s, 202, "account_access", "bug_report", minutes=10)
    correct_intent(s, 202, "bug_report", "app_crash", minutes=30)
    # 203: an override that corrects a reply, not the intent: not an intent example
    s.comment(203, "Can I return worn shoes?", 1)
    s.decide(203, "reply", 2, draft_reply="No.")
    with session_scope(make_session_factory(s.engine)) as session:
        record_override(session, "default", 203, source="sidebar", kind="override", dedupe_key="o:203",
                        occurred_at=s.at(9), now=utcnow(), final_action="approve", policy_clause="returns#3.2")

    result = ok(run("intents", "--out", "intents.jsonl", "--no-requester-lookup"))
    rows = {r["metadata"]["corrected_at"]: r for r in lines(tmp_path / "intents.jsonl")}
    assert len(rows) == 2, result.output
    first = next(r for r in rows.values() if r["human_intent"] == "billing_double_charge")
    assert first["ai_intent"] == "order_status" and first["ai_confidence"] == pytest.approx(0.64)
    assert "charged twice for order 4410" in first["text"]
    assert first["metadata"]["source"] == "automatic" and first["metadata"]["kind"] == "intent_changed"
    assert first["metadata"]["model"] == "clf-v3" and first["metadata"]["prompt_version"] == "intent-p2"
    second = next(r for r in rows.values() if r["human_intent"] == "app_crash")
    assert second["ai_intent"] == "bug_report" and second["metadata"]["corrections"] == 2
    assert "skipped 1: no corrected intent" in result.output
    assert_no_pii(tmp_path / "intents.jsonl")
    features = json.loads((tmp_path / "intents.features.json").read_text())
    from datasets import Features, load_dataset

    loaded = load_dataset("json", data_files=str(tmp_path / "intents.jsonl"), features=Features.from_dict(features),
                          split="train", cache_dir=str(tmp_path / "cache"))
    assert loaded.num_rows == 2 and set(loaded["human_intent"]) == {"billing_double_charge", "app_crash"}
    assert load_with_datasets(tmp_path / "intents.jsonl", tmp_path / "cache2").num_rows == 2

    ok(run("intents", "--out", "split.jsonl", "--split", "test=0.5", "--no-requester-lookup"))
    sides = [r["metadata"]["split"] for side in ("train", "test") for r in lines(tmp_path / f"split.{side}.jsonl")]
    assert sorted(sides) in (["test", "test"], ["test", "train"], ["train", "train"])
    assert run("intents", "--out", "x.csv").exit_code == 2  # csv is for ratings; the message names --format


# --- knowledge gaps -----------------------------------------------------------------------------------


def test_knowledge_gaps_rank_intents_with_examples_of_what_agents_answered(s: Store, report: Any) -> None:
    for ticket, intent in ((301, "refund_status"), (302, "refund_status"), (303, "shipping"), (304, "shipping"),
                           (305, "password_reset")):
        s.comment(ticket, f"Question about {intent}, ticket {ticket}. Call me on +44 20 7946 0958.", 1)
        s.decide(ticket, "classify", 2, intent=intent, draft_reply=f"Generic answer about {intent}.")
    s.comment(301, "Refunds to cards take 5 to 10 days; yours was sent on Monday.", 8, staff=True)
    signal(s, 301, "review_verdict", None, {"verdict": "kb_gap", "notes": "KB has no article on card refund times."})
    signal(s, 302, "first_contact_resolution", 0.0, {"agent_replies": 3, "reopened": True})
    signal(s, 303, "first_contact_resolution", 0.0, {"agent_replies": 2, "reopened": False})
    signal(s, 304, "first_contact_resolution", 1.0, {"agent_replies": 1, "reopened": False})
    signal(s, 305, "first_contact_resolution", 1.0, {"agent_replies": 1, "reopened": False})

    data = section_json(report, "knowledge-gaps")
    ranked = [(r["intent"], r["gap_tickets"], r["kb_gap_verdicts"], r["fcr_failed"], r["fcr_n"]) for r in data["rows"]]
    assert ranked == [("refund_status", 2, 1, 1, 1), ("shipping", 1, 0, 1, 2)]
    example = data["rows"][0]["examples"][0]
    assert example["ticket_id"] == 301 and example["why"] == "kb_gap"
    assert example["agents_answered"] == "Refunds to cards take 5 to 10 days; yours was sent on Monday."
    assert example["ai_answer"] == "Generic answer about refund_status."
    assert example["review_notes"] == "KB has no article on card refund times."
    assert "7946 0958" not in json.dumps(data)  # the customer's phone number is redacted


# --- policy compliance --------------------------------------------------------------------------------


def test_compliance_by_clause_shows_which_rules_the_ai_gets_wrong(s: Store, report: Any) -> None:
    for ticket in (401, 402, 403, 404):
        s.decide(ticket, "policy", 1, step="policy_check", policy_refs=["returns#3.2"], action="deny_return")
    s.decide(405, "policy", 1, step="policy_check", policy_refs=["shipping#1"], action="allow")
    with session_scope(make_session_factory(s.engine)) as session:
        record_override(session, "default", 401, source="sidebar", kind="override", dedupe_key="o:401",
                        occurred_at=s.at(9), now=utcnow(), final_action="approve_return",
                        policy_clause=" Returns#3.2 ")
        record_override(session, "default", 405, source="macro", kind="override", dedupe_key="o:405",
                        occurred_at=s.at(9), now=utcnow(), final_action="refund", policy_clause="refunds#2")
    signal(s, 402, "review_verdict", None, {"verdict": "policy_violation", "notes": "wrong window"})

    rows = {r["clause"]: r for r in section_json(report, "compliance")["rows"]}
    returns = rows["returns#3.2"]
    assert (returns["ai_tickets"], returns["policy_checks"], returns["overridden"], returns["violations"]) == (4, 4, 1, 1)
    assert returns["override_rate"] == 0.25 and returns["compliance"] == 0.5
    assert 0 < returns["compliance_low"] < 0.5 < returns["compliance_high"] < 1
    assert rows["shipping#1"]["compliance"] == 1.0 and rows["shipping#1"]["overridden"] == 0
    assert rows["refunds#2"]["cited_not_applied"] == 1 and rows["refunds#2"]["ai_tickets"] == 0
    assert list(rows)[0] == "returns#3.2"  # the rule the AI gets wrong most comes first


# --- sentiment ----------------------------------------------------------------------------------------


def test_sentiment_accuracy_on_labelled_examples() -> None:
    """The figure in docs/sentiment.md: `pytest tests/insight/test_signal_matrix.py -k accuracy -s`."""
    data = json.loads(LABELLED.read_text(encoding="utf-8"))
    for language in ("en", "de", "fr", "es"):
        examples = data[language]
        scores = [sentiment.score(text, language) for text, _ in examples]
        if language not in sentiment.SUPPORTED:
            assert scores == [None] * len(examples)  # unsupported: never a made-up score
            print(f"{language}: unsupported ({len(examples)} examples not scored)")
            continue
        right = sum(sentiment.label(v) == want for v, (_, want) in zip(scores, examples) if v is not None)
        print(f"{language}: {right}/{len(examples)} labelled correctly ({right / len(examples):.0%})")
        assert right / len(examples) >= 0.75


def test_trend_is_the_fitted_change_across_the_conversation() -> None:
    assert sentiment.trend([0.5]) is None
    assert sentiment.trend([0.6, -0.4]) == pytest.approx(-1.0)
    assert sentiment.trend([0.0, 0.0, 0.0]) == 0


def conversation(s: Store, ticket: int, start: float, first: str, last: str, **decision: Any) -> None:
    s.comment(ticket, first, start)
    s.decide(ticket, "reply", start + 1, draft_reply="Thanks, we are looking into it.", **decision)
    s.comment(ticket, last, start + 2)


def test_sentiment_report_by_intent_and_model(s: Store, report: Any) -> None:
    conversation(s, 501, 1, "Hi, where is my parcel?", "Thank you so much, it arrived. Great service!",
                 intent="shipping", model="m-a")
    conversation(s, 502, 1, "Thanks for the help so far, great.", "This is useless and wrong, I am angry.",
                 intent="billing", model="m-b")
    s.comment(503, "Danke, super Service!", 1, requester=9002)
    with session_scope(make_session_factory(s.engine)) as session:  # the language tag the ticket field sets
        from feedbackloop.loop.records import get_ticket_state

        get_ticket_state(session, "default", 503, utcnow()).tags = ["language_de"]

    rows = {(r["intent"], r["model"]): r for r in section_json(report, "sentiment")["rows"]}
    billing, shipping = rows[("billing", "m-b")], rows[("shipping", "m-a")]
    assert billing["falling"] == 1 and billing["trend"] < -1 and billing["ai_handled"] == 1
    assert shipping["falling"] == 0 and shipping["trend"] > 0.5
    assert list(rows)[0] == ("billing", "m-b")  # worst trend first
    german = next(r for r in rows.values() if r["unsupported"])
    assert german["scored"] == 0 and german["languages_unsupported"] == ["de"]


def test_falling_sentiment_on_ai_tickets_raises_a_drop_alert_once(s: Store, settings: Settings, engine: Engine,
                                                                  sandbox: Any, services: Services) -> None:
    checked_at = s.at(170)
    current = bucket_start(checked_at, "week")
    minutes_back = (s.t0 - current).total_seconds() / 60  # the current week starts this many minutes before t0
    for n in range(6):  # baseline weeks: customers end happier than they began
        conversation(s, 600 + n, -minutes_back - 7 * 24 * 60 * 2 + n * 5, "My order is late.",
                     "Great, thank you, that solved it!", intent="billing", model="m-a")
    for n in range(6):  # this week: they end angry
        conversation(s, 700 + n, -minutes_back + 1 + n * 5, "Thanks, great help so far!",
                     "This is terrible and useless, still broken.", intent="billing", model="m-a")
    tuned = dataclasses.replace(settings, extra={**settings.extra, "FEEDBACKLOOP_ALERT_MIN_N": "5"})
    with session_scope(make_session_factory(engine)) as session:
        outcome = alerts.check_drops(session, tuned, "default", checked_at)
    with session_scope(make_session_factory(engine)) as session:
        found = {a.label: a for a in session.scalars(select(DropAlert))}
        assert set(found) == {"sentiment intent=billing", "sentiment model=m-a"}, outcome
        alert = found["sentiment intent=billing"]
        alert_id = alert.id
        assert (alert.current_k, alert.current_n, alert.baseline_k, alert.baseline_n) == (0, 6, 6, 6)
        assert alert.segment == {"intent": "billing"}
        tasks = session.scalars(select(Job).where(Job.kind == "drop_task")).all()
        assert len(tasks) == 2
        note = sentiment.sentiment_note(session, alert, (), lambda t: f"https://x.test/agent/tickets/{t}")
        assert "#700 trend" in note and "Customer sentiment is falling" in note
        assert alerts.drop_text(tuned, alert).startswith("Sentiment drop: sentiment intent=billing")
    with session_scope(make_session_factory(engine)) as session:  # the drop_task job: the review task in Zendesk
        step = StepContext(tenant_id="default", ticket_id=None, settings=tuned, clients=services.client_for,
                           now=checked_at)
        alerts.create_drop_task(session, step, alert_id)
    (task,) = [t for t in sandbox.tickets() if t["subject"].startswith("Sentiment drop")]
    assert task["subject"] == "Sentiment drop: sentiment intent=billing" and "feedback_sentiment_drop" in task["tags"]
    assert "feedback_csat_drop" not in task["tags"] and "feedback_review" in task["tags"]
    (note,) = sandbox.ticket_comments(task["id"])
    assert "Customer sentiment is falling on AI-handled tickets" in note["body"] and "#700 trend" in note["body"]
    with session_scope(make_session_factory(engine)) as session:  # the hourly rerun opens nothing new
        alerts.check_drops(session, tuned, "default", checked_at + timedelta(minutes=5))
    with session_scope(make_session_factory(engine)) as session:
        assert len(session.scalars(select(DropAlert)).all()) == 2
        assert len(session.scalars(select(Job).where(Job.kind == "drop_task")).all()) == 2
