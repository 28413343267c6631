"""Model / prompt-version segments, `feedbackloop compare`, `feedbackloop shadow` and `feedbackloop costs`.

Decisions go in over HTTP (POST /api/v1/decisions); solves, ratings and signals are written by the
production functions that attribute them (attribution.snapshot, ratings.record_rating,
lifecycle.record_signal); figures come out of the real CLI.
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from click.testing import CliRunner, Result
from flask.testing import FlaskClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from feedbackloop.cli import cli
from feedbackloop.insight.compare import cmh_p_value, needed_per_group, newcombe_difference
from feedbackloop.insight.stats import Stratum
from feedbackloop.loop import attribution, lifecycle
from feedbackloop.loop.ratings import record_rating
from feedbackloop.runner.scheduler import Runner
from feedbackloop.store import rollups
from feedbackloop.store.db import make_session_factory
from feedbackloop.store.models import DailyRollup, Rating, Signal, Survey, TicketState, WebhookEvent
from feedbackloop.web import agent_view
from feedbackloop.web.timeline import build_timeline
from test_flow import live, path_of, settle, survey_links  # noqa: F401

ADMIN = {"Authorization": "Bearer admin-token"}
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
RANGE = ["--since", "2026-03-01", "--until", "2026-03-31"]


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    session = make_session_factory(engine)()
    yield session
    session.rollback()
    session.close()


def post(client: FlaskClient, decisions: list[dict[str, Any]]) -> None:
    for start in range(0, len(decisions), 500):
        response = client.post("/api/v1/decisions", json={"decisions": decisions[start:start + 500]}, headers=ADMIN)
        assert response.status_code == 201, response.get_json()


def decision(ticket: int, at: datetime, **fields: Any) -> dict[str, Any]:
    return {"ticket_id": ticket, "decision_id": f"d-{ticket}-{at.timestamp()}-{fields.get('step', 'action')}",
            "step": "action", "created_at": iso(at), **fields}


def solve(db: Session, ticket: int, at: datetime) -> Survey:
    """A solve as lifecycle.py writes it: a survey row, attributed as of the solve, counted in the rollup."""
    survey = Survey(tenant_id="default", ticket_id=ticket, requester_id=9000 + ticket, solve_key=f"solve-{ticket}",
                    solved_at=at, state="sent", scale="five", scheduled_for=at, sent_at=at, channel="email",
                    created_at=at, updated_at=at)
    state = db.scalars(select(TicketState).where(TicketState.ticket_id == ticket)).one_or_none()
    attribution.snapshot(db, survey, state)
    db.add(survey)
    db.flush()
    rollups.add_solve(db, survey)
    return survey


def signal(db: Session, ticket: int, kind: str, at: datetime, value: float = 1.0) -> None:
    assert lifecycle.record_signal(db, "default", ticket, kind, value, "webhook", f"{kind}:{ticket}", at, {}, at)


def run(engine: Engine, *args: str, env: dict[str, str] | None = None, ok: bool = True) -> Result:
    url = engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(cli, list(args), env={"FEEDBACKLOOP_DATABASE_URL": url, **(env or {})})
    if ok:
        assert result.exit_code == 0, result.output
    return result


# --- the statistics against published values --------------------------------------------------------


def test_newcombe_interval_matches_newcombes_worked_example() -> None:
    # Newcombe (1998), Statistics in Medicine 17:873, Table II example (56/70 vs 48/80): method 10
    # gives 0.0524 to 0.3339 for the difference 0.2.
    estimate = newcombe_difference(56, 70, 48, 80)
    assert estimate is not None
    assert round(estimate.estimate, 4) == 0.2
    assert (round(estimate.low, 4), round(estimate.high, 4)) == (0.0524, 0.3339)


def test_cmh_test_matches_a_hand_computation() -> None:
    # Stratum 1: 10/30 against 5/30 → E = 30·15/60 = 7.5, V = 30·30·15·45/(60²·59) = 2.86017;
    # stratum 2: 8/20 against 4/20 → E = 6, V = 20·20·12·28/(40²·39) = 2.15385.
    # O = 18, E = 13.5, V = 5.01402: X² = (|18 − 13.5| − 0.5)² / V = 3.19106, P(χ²₁ > X²) = 0.07404.
    p = cmh_p_value([Stratum("1", 10, 30, 5, 30), Stratum("2", 8, 20, 4, 20)])
    assert p is not None and abs(p - 0.07404) < 0.00001


def test_sample_size_matches_the_textbook_formula() -> None:
    # Fleiss, Levin & Paik: p0 = 0.5, p1 = 0.6, alpha 0.05 two-sided, power 0.8 → 388 per group
    assert needed_per_group(0.5, 0.1) == 388


# --- attribution -----------------------------------------------------------------------------------


def test_a_ticket_keeps_the_prompt_version_of_the_decision_that_handled_it(client: FlaskClient, db: Session) -> None:
    post(client, [decision(1, T0, intent="billing", prompt_version="v1", model="m-small"),
                  decision(1, T0 + timedelta(hours=5), intent="billing", prompt_version="v2", model="m-large")])
    survey = solve(db, 1, T0 + timedelta(hours=1))  # solved under v1; v2 decided after the solve
    rating = record_rating(db, survey, 5, None, None, T0 + timedelta(hours=8))  # rated after v2 arrived
    reopen_at = T0 + timedelta(hours=6)
    signal(db, 1, "reopen", reopen_at)
    assert (survey.prompt_version, survey.model) == ("v1", "m-small")
    assert (rating.prompt_version, rating.model) == ("v1", "m-small")
    signal_row = db.scalars(select(Signal).where(Signal.type == "reopen")).one()
    assert signal_row.prompt_version == "v2"  # a signal carries the decision in force when it happened


def test_through_the_loop_a_solve_and_its_rating_carry_the_deciding_prompt_version(
        live: Any, sandbox: Any, runner: Runner, client: FlaskClient, engine: Engine) -> None:
    """Decisions over HTTP, the solve as Zendesk's webhook, the rating as the customer's click, the
    figures from `feedbackloop report --by prompt_version`; a later decision on v2 changes nothing."""
    ticket_id = sandbox.simulate_customer_ticket(subject="Refund?", body="Where is my refund?", name="Ana Example",
                                                 email="ana@example.net", channel="email", tags=[])
    post(client, [{"ticket_id": ticket_id, "decision_id": "loop-1", "step": "reply", "intent": "refund",
                   "prompt_version": "v1", "model": "m-small", "draft_reply": "Your refund is on its way."}])
    sandbox.simulate_agent_reply(ticket_id, "Your refund is on its way.", status="solved")
    settle(sandbox, runner)
    post(client, [{"ticket_id": ticket_id, "decision_id": "loop-2", "step": "reply", "intent": "refund",
                   "prompt_version": "v2", "model": "m-large"}])
    assert client.get(path_of(survey_links(sandbox, ticket_id)[2])).status_code == 200
    settle(sandbox, runner)
    with Session(engine) as session:
        survey = session.scalars(select(Survey)).one()
        rating = session.scalars(select(Rating)).one()
    assert (survey.prompt_version, survey.model, survey.resolver, survey.intent) == ("v1", "m-small", "ai", "refund")
    assert (rating.prompt_version, rating.model, rating.score) == ("v1", "m-small", 2)
    payload = json.loads(run(engine, "report", "--by", "prompt_version", "--since", "1d", "--format", "json").output)
    (segment,) = payload["segments"]
    assert segment["segment"] == {"prompt_version": "v1"} and segment["n"] == 1


def test_an_agent_clock_behind_the_helpdesk_still_attributes_the_first_decision(client: FlaskClient,
                                                                               db: Session) -> None:
    post(client, [decision(2, T0 + timedelta(hours=3), prompt_version="v9")])
    assert solve(db, 2, T0).prompt_version == "v9"


# --- compare: a difference confounded by the intent mix ------------------------------------------------

#: (version, intent) → (tickets, satisfied, reopened). v2 is 20 points better in BOTH intents, but got
#: mostly the hard intent; the crude CSAT says v1 is better. Reopens are the same within each intent,
#: but v2's hard mix makes its crude reopen rate far worse.
DESIGN = {("v1", "easy"): (80, 56, 8), ("v1", "hard"): (20, 4, 10),
          ("v2", "easy"): (20, 18, 2), ("v2", "hard"): (80, 32, 40)}


@pytest.fixture
def confounded(client: FlaskClient, db: Session) -> None:
    rng = random.Random(24)
    plan: list[tuple[int, str, str, bool, bool]] = []
    ticket = 100
    for (version, intent), (n, satisfied, reopened) in DESIGN.items():
        flags = [(i < satisfied, i < reopened) for i in range(n)]
        rng.shuffle(flags)
        for happy, reopen in flags:
            plan.append((ticket, version, intent, happy, reopen))
            ticket += 1
    post(client, [decision(t, T0, intent=intent, prompt_version=version, model="m1", tokens_in=900, tokens_out=300,
                           cost=0.012, latency_ms=1500) for t, version, intent, _, _ in plan])
    for t, _, _, happy, reopen in plan:
        survey = solve(db, t, T0 + timedelta(hours=1))
        record_rating(db, survey, 5 if happy else 2, None, None, T0 + timedelta(hours=3))
        if reopen:
            signal(db, t, "reopen", T0 + timedelta(hours=4))
    db.commit()


def metric(payload: dict[str, Any], name: str) -> dict[str, Any]:
    return next(m for m in payload["metrics"] if m["metric"] == name)


def test_the_stratified_comparison_sees_through_the_intent_mix(confounded: None, engine: Engine) -> None:
    payload = json.loads(run(engine, "compare", "--by", "prompt_version", "v1", "v2", "--within", "intent",
                             "--format", "json", *RANGE).output)
    csat = metric(payload, "csat")
    assert (csat["a"]["k"], csat["a"]["n"], csat["b"]["k"], csat["b"]["n"]) == (60, 100, 50, 100)
    assert csat["crude_difference"]["estimate"] == pytest.approx(0.10)  # crude: v1 looks 10 points better
    assert csat["stratified_difference"]["estimate"] == pytest.approx(-0.20)  # within intent: v2 is 20 better
    assert csat["stratified_difference"]["high"] < 0 and csat["p_value"] < 0.05 and csat["significant"]
    assert csat["verdict"].startswith("v2 is better than v1 by 20.0 points")
    reopen = metric(payload, "reopen")
    assert reopen["crude_difference"]["high"] < 0  # crude: v2 reopens far more often...
    assert reopen["stratified_difference"]["estimate"] == pytest.approx(0.0)  # ...but not within an intent
    assert reopen["p_value"] > 0.5 and not reopen["significant"]
    assert reopen["verdict"].startswith("no significant difference yet") and reopen["needed_per_version"] > 100
    mean = metric(payload, "csat_mean")
    assert mean["stratified_difference"]["estimate"] < 0 and mean["significant"]
    assert {s["name"] for s in csat["strata"]} == {"easy", "hard"}

    crude = json.loads(run(engine, "compare", "--by", "prompt_version", "v1", "v2", "--within", "none",
                           "--format", "json", *RANGE).output)
    assert metric(crude, "reopen")["significant"] and "v1 is better" in metric(crude, "reopen")["verdict"]

    table = run(engine, "compare", "--by", "prompt_version", "v1", "v2", *RANGE).output
    assert "v2 is better than v1 by 20.0 points within the same intent" in table
    rows = list(csv.DictReader(io.StringIO(run(engine, "compare", "--by", "prompt_version", "v1", "v2",
                                               "--format", "csv", *RANGE).output)))
    overall = next(r for r in rows if r["metric"] == "csat" and r["stratum"] == "(all)")
    assert float(overall["stratified_difference"]) == pytest.approx(-0.2) and overall["significant"] == "1"
    assert {r["stratum"] for r in rows if r["metric"] == "csat"} == {"(all)", "easy", "hard"}


def test_report_and_rollups_cut_by_prompt_version_and_model(confounded: None, engine: Engine) -> None:
    payload = json.loads(run(engine, "report", "--by", "prompt_version", "--format", "json", *RANGE).output)
    text = json.dumps(payload)
    assert "v1" in text and "v2" in text
    both = run(engine, "report", "--by", "model,prompt_version", "--format", "csv", *RANGE).output
    assert "m1" in both and "v2" in both
    with Session(engine) as session:  # the rollup holds the new segment: a rebuild agrees with it
        before = sorted((r.prompt_version, r.rated, r.solved) for r in session.scalars(select(DailyRollup)))
        rollups.rebuild(session)
        after = sorted((r.prompt_version, r.rated, r.solved) for r in session.scalars(select(DailyRollup)))
        session.rollback()
    assert before == after and {row[0] for row in before} == {"v1", "v2"}


def test_too_little_data_is_said_plainly_with_the_sample_size_needed(client: FlaskClient, db: Session,
                                                                   engine: Engine) -> None:
    post(client, [decision(t, T0, intent="billing", prompt_version="v1" if t % 2 else "v2") for t in range(1, 7)])
    for t in range(1, 7):
        record_rating(db, solve(db, t, T0 + timedelta(hours=1)), 5 if t < 4 else 1, None, None, T0 + timedelta(hours=2))
    db.commit()
    payload = json.loads(run(engine, "compare", "--by", "prompt_version", "v1", "v2", "--format", "json",
                             *RANGE).output)
    csat = metric(payload, "csat")
    assert not csat["enough_data"] and csat["verdict"].startswith("not enough data yet (v1: n=3, v2: n=3)")
    assert csat["needed_per_version"] > 3 and csat["more_needed"]["v1"] == csat["needed_per_version"] - 3


def test_compare_refuses_bad_questions_with_a_reason(client: FlaskClient, db: Session, engine: Engine) -> None:
    post(client, [decision(1, T0, intent="billing", prompt_version="v1")])
    solve(db, 1, T0 + timedelta(hours=1))
    db.commit()
    unknown = run(engine, "compare", "--by", "prompt_version", "v1", "v7", *RANGE, ok=False)
    assert unknown.exit_code == 1 and "prompt_version 'v7' has no solves" in unknown.output
    assert "known prompt_version values: v1" in unknown.output and "Traceback" not in unknown.output
    missing = run(engine, "compare", "--by", "prompt_version", "v1", ok=False)
    assert missing.exit_code == 2 and "name the two versions" in missing.output
    same = run(engine, "compare", "--by", "model", "a", "a", ok=False)
    assert same.exit_code == 2 and "two different versions" in same.output
    within = run(engine, "compare", "--by", "model", "a", "b", "--within", "colour", ok=False)
    assert within.exit_code == 2 and "--within must be one of" in within.output
    by = run(engine, "compare", "--by", "temperature", "a", "b", ok=False)
    assert by.exit_code == 2 and "prompt_version" in by.output


# --- shadow mode ----------------------------------------------------------------------------------


def comment(db: Session, ticket: int, body: str, at: datetime, author: int = 501) -> None:
    """A public agent reply, stored as the receiver stores a comment_added event."""
    db.add(WebhookEvent(tenant_id="default", helpdesk="zendesk", dedupe_key=f"c-{ticket}-{at.timestamp()}",
                        source="webhook", event_type="zen:event-type:ticket.comment_added", kind="comment_added",
                        ticket_id=ticket, occurred_at=at, received_at=at,
                        payload={"kind": "comment_added", "extra": {"body": body, "is_public": True,
                                                                    "author_is_staff": True, "author_id": author}}))


def ticket(db: Session, ticket_id: int, tags: list[str], category: str | None = None) -> None:
    db.add(TicketState(tenant_id="default", ticket_id=ticket_id, status="solved", tags=tags, category=category,
                       final=False, is_review_task=False, created_at=T0, updated_at=T0))


def test_shadow_decisions_never_act_and_are_compared_with_the_human(client: FlaskClient, db: Session,
                                                                   engine: Engine) -> None:
    bad_mode = client.post("/api/v1/decisions", json={**decision(1, T0), "mode": "dry-run"}, headers=ADMIN)
    assert bad_mode.status_code == 422
    assert bad_mode.get_json()["errors"] == [{"index": 0, "field": "mode",
                                              "message": "must be one of live, shadow (shadow: the AI only "
                                                         "suggested; a human acts)"}]
    draft = "We have refunded your order; the money is back within 5 days."
    shadows = []
    for t in range(1, 13):  # refunds: 12 tickets, the human did the same (11 with the same reply)
        shadows.append(decision(t, T0, intent="refund", action="Refund", draft_reply=draft, mode="shadow"))
        ticket(db, t, ["action_refund"])
        comment(db, t, draft.upper() if t != 12 else "Sorry, no refund is possible here.", T0 + timedelta(minutes=5))
    for t in range(20, 24):  # cancellations: the AI would refund, the human cancelled
        shadows.append(decision(t, T0, intent="cancel", action="refund", draft_reply=draft, mode="shadow"))
        ticket(db, t, ["action_cancel"])
        comment(db, t, "Your subscription is cancelled.", T0 + timedelta(minutes=5))
    db.commit()
    post(client, shadows)
    survey = solve(db, 1, T0 + timedelta(hours=1))
    assert (survey.resolver, survey.prompt_version, survey.intent) == ("human", None, None)  # not the AI's
    db.commit()
    timeline = build_timeline(db, "default", 1)  # the sidebar: not the AI's decision, shown as a suggestion
    summary = agent_view.summarize(timeline, lambda task_id: None)
    assert summary["ai"] is None and not summary["touched_by_ai"]
    assert "shadow: suggested, not acted on" in json.dumps(agent_view.history(timeline))

    payload = json.loads(run(engine, "shadow", "--format", "json", *RANGE).output)
    rows = {row["intent"]: row for row in payload["intents"]}
    assert rows["refund"]["tickets"] == 12 and rows["refund"]["action_agreement"]["k"] == 12
    assert (rows["refund"]["reply_agreement"]["k"], rows["refund"]["reply_agreement"]["n"]) == (11, 12)
    assert (rows["refund"]["agreement"]["k"], rows["refund"]["agreement"]["n"]) == (11, 12)
    assert rows["cancel"]["agreement"]["k"] == 0 and not rows["cancel"]["ready"]
    assert payload["intents"][0]["intent"] == "cancel"  # worst first
    assert 0.6 < rows["refund"]["agreement"]["low"] < rows["refund"]["agreement"]["rate"] < 1
    ready = json.loads(run(engine, "shadow", "--format", "json", "--ready", "0.6", *RANGE).output)
    assert {row["intent"]: row["ready"] for row in ready["intents"]} == {"refund": True, "cancel": False}
    assert "refund" in run(engine, "shadow", *RANGE).output
    assert "intent,tickets" in run(engine, "shadow", "--format", "csv", *RANGE).output


# --- cost per resolution ------------------------------------------------------------------------------


def test_cost_per_resolution_ai_against_human_within_intents(client: FlaskClient, db: Session,
                                                            engine: Engine) -> None:
    post(client, [decision(t, T0, step=step, intent="billing", tokens_in=1000, tokens_out=500, cost=0.02,
                           latency_ms=2000) for t in (1, 2) for step in ("intent_classification", "reply")])
    for t in (1, 2):  # AI: 2 steps, 3000 tokens, 0.04 and 4 s each
        solve(db, t, T0 + timedelta(hours=1))
    for t, hours in ((3, 1.0), (4, 3.0)):  # humans: billing, no AI decision; 1 h and 3 h to resolution
        ticket(db, t, [], category="billing")
        solve(db, t, T0 + timedelta(hours=hours))
        signal(db, t, "time_to_resolution", T0 + timedelta(hours=hours), hours * 3600)
    db.commit()
    env = {"FEEDBACKLOOP_AGENT_HOUR_COST": "30", "FEEDBACKLOOP_COST_CURRENCY": "EUR"}
    payload = json.loads(run(engine, "costs", "--format", "json", *RANGE, env=env).output)
    (billing,) = payload["intents"]
    assert billing["ai"] == {"tickets": 2, "steps_per_ticket": 2, "latency_s_per_ticket": 4.0,
                             "tokens_per_ticket": 3000, "cost_per_resolution": 0.04, "tickets_without_cost": 0}
    assert billing["human"] == {"tickets": 2, "handling_hours_per_ticket": 2.0, "cost_per_resolution": 60.0}
    assert billing["saving_per_resolution"] == pytest.approx(59.96) and payload["currency"] == "EUR"
    assert payload["standardised"] == {"intents": 1, "ai_cost_per_resolution": 0.04,
                                       "human_cost_per_resolution": 60.0}
    assumed = json.loads(run(engine, "costs", "--format", "json", *RANGE,
                             env={**env, "FEEDBACKLOOP_AGENT_HANDLING_MINUTES": "12"}).output)
    assert assumed["intents"][0]["human"]["cost_per_resolution"] == 6.0
    assert "60.00 EUR" in run(engine, "costs", *RANGE, env=env).output
    assert "billing" in run(engine, "costs", "--format", "csv", *RANGE, env=env).output
