"""`feedbackloop export`: data goes in through the real routes (webhooks, decision log, survey page),
comes out through the real command, and is read back by Hugging Face `datasets` and checked
against the OpenAI chat fine-tuning format and TRL's preference format.

An agent's reply that differs from the AI draft becomes an edit-to-final override through the
webhook path; a sidebar override (which needs a Zendesk-signed JWT) is inserted as the model
defines it, and verdicts and re-contacts are recorded with `lifecycle.record_signal` in the shape
their writers use. Surveys are marked sent as the send job would, then answered on the real page.
"""

from __future__ import annotations

import csv
import itertools
import json
import multiprocessing
import os
import random
import re
import signal
import sqlite3
import tracemalloc
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import hypothesis
import pytest
from click.testing import CliRunner, Result
from flask.testing import FlaskClient
from hypothesis import strategies as st
from sqlalchemy import Engine, select
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from conftest import SANDBOX_EMAIL, SANDBOX_TOKEN, SECRET_KEY, WEBHOOK_SECRET, signed_post
from factories import envelope
from feedbackloop.cli import cli
from feedbackloop.core.links import make_form_token, make_token
from feedbackloop.core.redact import Identity
from feedbackloop.core.settings import Settings
from feedbackloop.helpdesks.base import User
from feedbackloop.learn.exports import keys, pipeline, rating_lines, source
from feedbackloop.learn.exports import ratings as ratings_module
from feedbackloop.learn.exports.dedupe import FingerprintTable, NearDuplicates
from feedbackloop.learn.exports.formats import SCHEMAS
from feedbackloop.learn.exports.pipeline import RequesterDirectory, run_export
from feedbackloop.learn.exports.prompts import DEFAULT_SYSTEM_PROMPT
from feedbackloop.learn.exports.records import (
    RATING_COLUMNS,
    Context,
    iso,
    latest,
    no_identity,
    resolver_from,
    split_of,
    ticket_hash,
)
from feedbackloop.learn.exports.source import Window
from feedbackloop.learn.exports.writers import Output, split_paths
from feedbackloop.loop.decisions import resolver_of
from feedbackloop.loop.lifecycle import process_ticket
from feedbackloop.loop.records import record_signal
from feedbackloop.store.db import make_read_engine, make_session_factory, session_scope, utcnow
from feedbackloop.store.models import AiDecision, Override, Rating, Survey

ADMIN = {"Authorization": "Bearer admin-token"}
ZENDESK_VARS = ("ZENDESK_SUBDOMAIN", "ZENDESK_EMAIL", "ZENDESK_API_TOKEN", "ZENDESK_WEBHOOK_SECRET", "ZENDESK_API_URL")
ROLES = {"system", "user", "assistant"}
#: Personal data put into the store below; none of it may appear in any export.
PII = ("ana.lima@example.com", "Ana", "Lima", "+44 20 7946 0958", "4111 1111 1111 1111", "Ben", "Okafor",
       "ben.okafor@example.org", "+44 20 7946 0999", "GB82 WEST 1234 5698 7654 32", "Maria", "+44 7700 900123",
       "Sam", "hunter2", "221B Baker Street", "192.168.1.20", "Priya")
_ids = itertools.count(9_000_000)
#: The salt of tests that build a Context themselves (the command stores its own in the database).
SALT = b"test-export-salt-0123456789abcdef"


def stored_ticket_salt(engine: Engine) -> bytes:
    """The key the command hashed ticket ids with: derived from the salt it stored at first use."""
    return keys.derive(keys.stored_salt(engine), keys.TICKET_LABEL)


# --- building the store through the real routes -----------------------------------------------------


@dataclass
class Store:
    """Puts data in the way production does; remembers ticket ids by name."""

    client: FlaskClient
    engine: Engine
    settings: Settings
    t0: datetime = field(default_factory=lambda: utcnow() - timedelta(hours=3))
    decision_rows: dict[str, int] = field(default_factory=dict)

    def at(self, minutes: float) -> datetime:
        return self.t0 + timedelta(minutes=minutes)

    def process(self, ticket: int) -> None:
        with session_scope(make_session_factory(self.engine)) as session:
            process_ticket(session, self.settings, "default", ticket, utcnow())

    def webhook(self, body: dict[str, Any]) -> None:
        response = signed_post(self.client, body)
        assert response.status_code == 200 and response.get_json()["status"] == "accepted", response.get_json()

    def comment(self, ticket: int, body: str, minutes: float, *, staff: bool = False, requester: int = 9001,
                status: str = "open", author_id: int | None = None) -> None:
        data = envelope(ticket, status, status, self.at(minutes), requester_id=requester)
        data["type"] = "zen:event-type:ticket.comment_added"
        author = author_id or (777 if staff else requester)
        data["event"] = {"comment": {"id": str(next(_ids)), "body": body, "is_public": True,
                                     "author": {"id": str(author), "is_staff": staff, "name": "someone"}}}
        self.webhook(data)
        self.process(ticket)

    def status(self, ticket: int, previous: str, current: str, minutes: float, requester: int = 9001) -> None:
        self.webhook(envelope(ticket, previous, current, self.at(minutes), requester_id=requester))
        self.process(ticket)

    def decide(self, ticket: int, name: str, minutes: float, **fields: Any) -> int:
        body = {"ticket_id": ticket, "decision_id": f"{ticket}:{name}", "step": "reply",
                "created_at": self.at(minutes).isoformat(), "model": "gpt-4o-2024-08-06",
                "prompt_version": "support-v7", "intent": "order_status", "confidence": 0.82, **fields}
        response = self.client.post("/api/v1/decisions", json=body, headers=ADMIN)
        assert response.status_code == 201, response.get_json()
        self.decision_rows[f"{ticket}:{name}"] = response.get_json()["id"]
        return int(response.get_json()["id"])

    def rate(self, ticket: int, score: int, comment: str | None = None, reason: str | None = None) -> None:
        """The customer answers the survey on the hosted page (the survey was sent by the job)."""
        with session_scope(make_session_factory(self.engine)) as session:
            survey = session.scalars(select(Survey).where(Survey.ticket_id == ticket)
                                     .order_by(Survey.id.desc())).first()
            assert survey is not None, f"ticket {ticket} has no survey"
            survey.state, survey.sent_at = "sent", utcnow()
            token = make_token(self.settings.secret_key, "default", survey.id)
        form = {"csrf_token": make_form_token(self.settings.secret_key, token), "score": str(score),
                "reason": reason or "", "comment": comment or ""}
        assert self.client.post(f"/s/{token}", data=form).status_code == 200

    def override(self, ticket: int, **fields: Any) -> None:
        with session_scope(make_session_factory(self.engine)) as session:
            session.add(Override(tenant_id="default", ticket_id=ticket, dedupe_key=str(uuid.uuid4()),
                                 occurred_at=self.at(30), created_at=utcnow(), missing=[], details={}, **fields))

    def signal(self, ticket: int, type_: str, details: dict[str, Any]) -> None:
        with session_scope(make_session_factory(self.engine)) as session:
            record_signal(session, "default", ticket, type_, None, "review", f"{type_}:{ticket}", self.at(40),
                          details, utcnow())


def solved_ai_ticket(store: Store, ticket: int, customer: str, draft: str, **decision: Any) -> None:
    """The customer writes, the AI replies, an agent solves."""
    store.comment(ticket, customer, 1)
    store.decide(ticket, "reply", 2, draft_reply=draft, context=[{"id": "kb-1042", "snippet": "Orders ship"}, "kb-7"],
                 **decision)
    store.status(ticket, "open", "solved", 5)


@pytest.fixture
def store(client: FlaskClient, engine: Engine, settings: Settings) -> Store:
    """The scenario every export test reads (see the module docstring for who is who)."""
    s = Store(client, engine, settings)
    # 101: a good AI resolution (top score, no reopen, no override) -> sft
    solved_ai_ticket(s, 101, "My name is Ana Lima, email ana.lima@example.com. Where is my order 4410? "
                             "Call +44 20 7946 0958.",
                     "Hi Ana, your order 4410 shipped yesterday and arrives on Friday.")
    s.rate(101, 5, "Great, thanks! Paid with 4111 1111 1111 1111 by the way.", "resolved")
    # 102: the same case for another customer -> a near-duplicate, dropped from sft
    solved_ai_ticket(s, 102, "My name is Ben Okafor, email ben.okafor@example.org. Where is my order 5521? "
                             "Call +44 20 7946 0999.",
                     "Hi Ben, your order 5521 shipped yesterday and arrives on Friday.")
    s.rate(102, 5)
    # 103: rated badly; an agent then answered; the review says kb_gap -> eval
    solved_ai_ticket(s, 103, "Hi, I was charged twice for the blender. Refund to GB82 WEST 1234 5698 7654 32.",
                     "Hi Maria, duplicate charges disappear by themselves within 5 days.")
    s.comment(103, "How did we do? http://feedback.test/s/eyJhbGciOiJIUzI1NiJ9.abcdefghijklmnop?score=5", 6,
              staff=True, status="solved")
    s.rate(103, 1, "Useless. My password is hunter2 and I still can't see the refund.", "not_resolved")
    s.comment(103, "Hi Maria, I refunded the second charge today; it shows in 3 days.", 50, staff=True,
              status="solved")
    s.signal(103, "review_verdict", {"verdict": "kb_gap", "notes": "KB says charges vanish; they do not."})
    # 104: reopened right after the solve -> eval
    solved_ai_ticket(s, 104, "The app crashes when I open settings. My IP is 192.168.1.20.",
                     "Please reinstall the app.")
    s.status(104, "solved", "open", 15)
    # 105: an agent sent their own reply instead of the AI draft (edit-to-final) -> eval + dpo
    s.comment(105, "My kettle arrived broken, please help. Ship to 221B Baker Street, London NW1 6XE.", 1)
    s.decide(105, "reply", 2, draft_reply="We will send a replacement kettle.")
    s.comment(105, "Hi Sam, replacements are out of stock, so I refunded you. Call +44 7700 900123 if not.", 3,
              staff=True)
    s.status(105, "open", "solved", 5)
    # 106: rated top, but a human overrode the AI's decision -> not sft; eval + dpo
    solved_ai_ticket(s, 106, "Can I return shoes I wore once?", "Worn items cannot be returned.",
                     action="deny_return")
    s.rate(106, 5)
    s.override(106, source="sidebar", kind="override", ai_decision="deny_return",
               final_action="approve_return: within the 30-day window, policy 3.2",
               rationale="Customer is inside the window", policy_clause="returns#3.2", ai_confidence=0.7)
    # 107: a human-only ticket rated 2 -> a rating, but no AI case to evaluate
    s.comment(107, "Where is my invoice? Kind regards,\nPriya", 1)
    s.status(107, "open", "solved", 5)
    s.rate(107, 2, "slow")
    # 108: a good AI resolution, then the customer came back about the same thing -> not sft, eval
    solved_ai_ticket(s, 108, "How do I reset the router?", "Hold the reset button for 10 seconds.")
    s.rate(108, 5)
    s.signal(108, "recontact", {"linked_ticket": 999})
    # 109: a clean AI resolution rated 4 (good, not top) -> sft only with --min-score 4
    solved_ai_ticket(s, 109, "Can I change the delivery address of my order?",
                     "Yes: open the order, choose Edit delivery, and pick the new address before it ships.")
    s.rate(109, 4)
    return s


# --- running the command ---------------------------------------------------------------------------


@pytest.fixture
def run(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Invoke `feedbackloop export ...` as a user would, with the test database configured."""
    monkeypatch.chdir(tmp_path)  # no stray .env is read
    env: dict[str, str | None] = {"FEEDBACKLOOP_DATABASE_URL": settings.database_url,
                                  "FEEDBACKLOOP_SECRET_KEY": SECRET_KEY, **{v: None for v in ZENDESK_VARS}}

    def invoke(*args: str, extra_env: dict[str, str | None] | None = None) -> Result:
        return CliRunner().invoke(cli, ["export", *args], env={**env, **(extra_env or {})})

    return invoke


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def assert_no_pii(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for value in PII:
        assert not re.search(rf"(?<!\w){re.escape(value)}(?!\w)", text), f"{value!r} leaked into {path.name}"


def load_with_datasets(path: Path, cache: Path) -> Any:
    """What a training script does: the Hugging Face JSON loader."""
    from datasets import load_dataset

    return load_dataset("json", data_files=str(path), split="train", cache_dir=str(cache))


@pytest.fixture(autouse=True)
def _offline_hub(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))


def check_openai_chat(record: dict[str, Any], *, openai: bool = False) -> None:
    """OpenAI's chat fine-tuning line: messages of role/content strings, a user turn, ending with the
    assistant; with `--format openai` no other key at all (OpenAI refuses unknown keys)."""
    messages = record["messages"]
    assert isinstance(messages, list) and messages
    for message in messages:
        assert set(message) == {"role", "content"} and message["role"] in ROLES
        assert isinstance(message["content"], str) and message["content"].strip()
    assert all(m["role"] != "system" for m in messages[1:]), "a system message only first"
    assert messages[-1]["role"] == "assistant"
    assert any(m["role"] == "user" for m in messages)
    assert set(record) == ({"messages"} if openai else {"messages", "metadata"})


def check_openai_preference(record: dict[str, Any]) -> None:
    """OpenAI's preference (DPO) fine-tuning line: input.messages, one preferred and one non-preferred
    assistant output, nothing else."""
    assert set(record) == {"input", "preferred_output", "non_preferred_output"} and set(record["input"]) == {"messages"}
    prompt = record["input"]["messages"]
    assert prompt and prompt[-1]["role"] == "user"
    for message in prompt:
        assert set(message) == {"role", "content"} and message["role"] in ROLES and message["content"].strip()
    for side in ("preferred_output", "non_preferred_output"):
        (message,) = record[side]
        assert set(message) == {"role", "content"} and message["role"] == "assistant" and message["content"].strip()
    assert record["preferred_output"] != record["non_preferred_output"]


def is_trl_conversational(record: dict[str, Any]) -> bool:
    """TRL's `is_conversational`: the first of its keys present is a list of role/content messages."""
    for key in ("prompt", "chosen", "rejected", "completion", "messages"):
        if key in record:
            value = record[key]
            return isinstance(value, list) and bool(value) and isinstance(value[0], dict) and "role" in value[0]
    return False


def check_trl_preference(record: dict[str, Any]) -> None:
    """TRL's DPO trainer, conversational preference with an explicit prompt: the prompt ends on the
    customer's turn (opened by the same system prompt as SFT); chosen and rejected are one assistant
    message each, different."""
    assert is_trl_conversational(record)
    prompt = record["prompt"]
    assert prompt[0]["role"] == "system" and prompt[-1]["role"] == "user"
    assert all(m["role"] in ROLES and set(m) == {"role", "content"} and m["content"].strip() for m in prompt)
    roles = [m["role"] for m in prompt[1:]]
    assert all(a != b for a, b in itertools.pairwise(roles)), "user and assistant alternate"
    for key in ("chosen", "rejected"):
        (message,) = record[key]
        assert set(message) == {"role", "content"} and message["role"] == "assistant" and message["content"].strip()
    assert record["chosen"] != record["rejected"]


def conforms(value: Any, schema: Any, where: str = "record") -> None:
    """A record has exactly the schema's keys, each value of its type or null (formats.SCHEMAS)."""
    if value is None:
        return
    if isinstance(schema, str):
        kinds = {"string": str, "float64": (int, float), "int64": int, "bool": bool}[schema]
        assert isinstance(value, kinds) and (schema != "int64" or not isinstance(value, bool)), (where, value)
    elif isinstance(schema, list):
        assert isinstance(value, list), where
        for i, item in enumerate(value):
            conforms(item, schema[0], f"{where}[{i}]")
    else:
        assert isinstance(value, dict) and set(value) == set(schema), (where, sorted(value), sorted(schema))
        for name, sub in schema.items():
            conforms(value[name], sub, f"{where}.{name}")


# --- the four exports -------------------------------------------------------------------------------


def test_sft_keeps_only_confirmed_good_ai_resolutions_in_the_chat_format(store: Store, run: Any,
                                                                         tmp_path: Path) -> None:
    result = ok(run("sft", "--out", "sft.jsonl"))
    (record,) = lines(tmp_path / "sft.jsonl")
    check_openai_chat(record)
    assert [m["role"] for m in record["messages"]] == ["system", "user", "assistant"]
    assert record["messages"][1]["content"] == ("My name is [NAME], email [EMAIL]. Where is my order 4410? "
                                                "Call [PHONE].")
    assert record["messages"][2]["content"] == "Hi [NAME], your order 4410 shipped yesterday and arrives on Friday."
    meta = record["metadata"]
    assert meta["ticket"] == ticket_hash(stored_ticket_salt(store.engine), "default", 101) and meta["tenant"] == "default"
    assert (meta["model"], meta["prompt_version"], meta["split"]) == ("gpt-4o-2024-08-06", "support-v7", None)
    assert meta["decided_at"] and meta["solved_at"] and meta["rated_at"]
    assert "dropped 1 near-duplicate(s)" in result.output and "about 84 %" in result.output
    (dropped,) = lines(tmp_path / "sft.dropped.jsonl")  # 102, Ben's twin of Ana's 101
    assert dropped["ticket"] == ticket_hash(stored_ticket_salt(store.engine), "default", 102)
    assert dropped["match"] == "exact" and "[NAME]" in dropped["excerpt"] and "Ben" not in dropped["excerpt"]
    assert "skipped 1: a human overrode or took over" in result.output  # 106
    assert "skipped 1: reopened or re-contacted" in result.output  # 108
    assert_no_pii(tmp_path / "sft.jsonl")
    dataset = load_with_datasets(tmp_path / "sft.jsonl", tmp_path / "cache")
    assert dataset.num_rows == 1 and dataset[0]["messages"][-1]["role"] == "assistant"


def test_eval_has_every_failed_ai_case_with_what_was_expected(store: Store, run: Any, tmp_path: Path) -> None:
    result = ok(run("eval", "--out", "eval.jsonl"))
    records = {r["id"]: r for r in lines(tmp_path / "eval.jsonl")}
    salt = stored_ticket_salt(store.engine)
    by_ticket = {t: records.get(ticket_hash(salt, "default", t)) for t in (103, 104, 105, 106, 107, 108)}
    assert by_ticket[107] is None and "skipped 1: no AI reply logged" in result.output
    assert len(records) == 5
    for record in records.values():
        conforms(record, SCHEMAS["eval"])
        assert record["input"][0] == {"role": "system", "content": DEFAULT_SYSTEM_PROMPT}
        assert record["metadata"]["input_authors"][0] == "system"
        types = [(s["type"], s["source"], s["at"]) for s in record["signals"]]
        assert len(types) == len(set(types)), "each signal once"
        assert not {"csat", "review_verdict", "override", "edit_to_final"} & {s["type"] for s in record["signals"]}

    charged = by_ticket[103]
    assert charged is not None
    assert charged["input"][1:] == [{"role": "user", "content": "Hi, I was charged twice for the blender. "
                                                                "Refund to [IBAN]."}]
    assert charged["output"] == "Hi [NAME], duplicate charges disappear by themselves within 5 days."
    assert charged["context_ids"] == ["kb-1042", "kb-7"]
    assert charged["reasons"] == ["low_rating", "overridden"]  # the agent's reply replaced the draft
    assert charged["rating"] == {"score": 1, "scale": "five", "reason": "not_resolved",
                                 "comment": "Useless. My password is [SECRET] and I still can't see the refund."}
    assert charged["expected"]["human_reply"] == "Hi [NAME], I refunded the second charge today; it shows in 3 days."
    assert charged["expected"]["missing_reason"] is None
    assert (charged["expected"]["root_cause"], charged["expected"]["review_notes"]) == (
        "kb_gap", "KB says charges vanish; they do not.")
    assert [c["kind"] for c in charged["expected"]["corrections"]] == ["edit_to_final"]

    reopened, edited, overridden, recontacted = by_ticket[104], by_ticket[105], by_ticket[106], by_ticket[108]
    assert reopened is not None and reopened["reasons"] == ["reopened"] and reopened["rating"] is None
    assert {"reopen", "failed_resolution"} <= {s["type"] for s in reopened["signals"]}
    assert reopened["input"][-1]["content"].endswith("My IP is [IP].")
    assert reopened["expected"]["human_reply"] is None
    assert reopened["expected"]["missing_reason"].startswith("the customer came back")
    assert edited is not None and edited["reasons"] == ["overridden"]
    assert edited["expected"]["human_reply"].startswith("Hi [NAME], replacements are out of stock")
    assert edited["output"] == "We will send a replacement kettle."
    assert overridden is not None and overridden["expected"]["final_action"].startswith("approve_return")
    assert overridden["expected"]["rationale"] == "Customer is inside the window"
    assert overridden["action"] == "deny_return" and overridden["expected"]["policy_clause"] == "returns#3.2"
    assert overridden["expected"]["human_reply"] is None
    assert overridden["expected"]["missing_reason"].startswith("a human corrected the AI's decision")
    assert recontacted is not None and recontacted["reasons"] == ["recontacted"]
    assert_no_pii(tmp_path / "eval.jsonl")
    dataset = load_with_datasets(tmp_path / "eval.jsonl", tmp_path / "cache")
    assert dataset.num_rows == 5 and set(dataset.column_names) >= {"input", "output", "expected", "metadata"}


def test_dpo_pairs_the_agents_reply_against_the_ai_draft_for_the_same_message(store: Store, run: Any,
                                                                              tmp_path: Path) -> None:
    result = ok(run("dpo", "--out", "dpo.jsonl"))
    records = lines(tmp_path / "dpo.jsonl")
    assert len(records) == 2  # by ticket: 103's late agent reply, 105's edit
    for record in records:
        check_trl_preference(record)
        conforms(record, SCHEMAS["dpo"])
    charged, edited = records
    assert edited["prompt"] == [{"role": "system", "content": DEFAULT_SYSTEM_PROMPT},
                                {"role": "user", "content": "My kettle arrived broken, please help. Ship to [ADDRESS]."}]
    assert edited["rejected"] == [{"role": "assistant", "content": "We will send a replacement kettle."}]
    assert edited["chosen"] == [{"role": "assistant", "content": "Hi [NAME], replacements are out of stock, so I "
                                                                  "refunded you. Call [PHONE] if not."}]
    (override,) = edited["metadata"]["overrides"]
    assert override["kind"] == "edit_to_final" and 0 < override["similarity"] < 0.98
    assert charged["chosen"][0]["content"] == "Hi [NAME], I refunded the second charge today; it shows in 3 days."
    # 106: the sidebar changed the action (deny_return -> approve_return), but nobody wrote a reply
    assert "skipped 1: correction without a final reply text (eval only)" in result.output
    assert not any("approve_return" in json.dumps(r) or r["rejected"][0]["content"] == "deny_return" for r in records)
    assert_no_pii(tmp_path / "dpo.jsonl")
    dataset = load_with_datasets(tmp_path / "dpo.jsonl", tmp_path / "cache")
    assert dataset.num_rows == 2 and dataset[0]["chosen"][0]["role"] == "assistant"


def test_ratings_as_csv_for_analysts(store: Store, run: Any, tmp_path: Path, engine: Engine) -> None:
    ok(run("ratings", "--out", "ratings.csv"))
    with (tmp_path / "ratings.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 7
    salt = stored_ticket_salt(store.engine)
    by_ticket = {row["ticket"]: row for row in rows}
    first = by_ticket[ticket_hash(salt, "default", 101)]
    assert first["comment"] == "Great, thanks! Paid with [CARD] by the way."
    assert (first["score"], first["satisfied"], first["reason"], first["resolver"]) == ("5", "true", "resolved", "ai")
    assert first["channel"] == "email" and first["model"] == "gpt-4o-2024-08-06" and first["rated_at"]
    assert by_ticket[ticket_hash(salt, "default", 107)]["resolver"] == "human"
    assert by_ticket[ticket_hash(salt, "default", 106)]["resolver"] == "ai_overridden"
    assert by_ticket[ticket_hash(salt, "default", 107)]["comment"] == "slow"
    assert_no_pii(tmp_path / "ratings.csv")

    ok(run("ratings", "--out", "ratings.jsonl"))
    dataset = load_with_datasets(tmp_path / "ratings.jsonl", tmp_path / "cache")
    assert dataset.num_rows == 7 and dataset.features["score"].dtype == "int64"


# --- the ratings export on Core rows gives what the ORM bundles gave ------------------------------------

#: What the ORM builder read besides the rating itself.
ORACLE_PARTS = frozenset({"state", "decisions", "overrides", "surveys"})


def oracle_rating(ctx: Context, bundle: source.TicketBundle, rating: Rating) -> dict[str, Any]:
    """The ratings record as the ORM path built it before `exports.ratings` (the reference)."""
    survey = bundle.surveys.get(rating.survey_id)
    decision = bundle.replies[-1] if bundle.replies else (bundle.decisions[-1] if bundle.decisions else None)
    hashed = ctx.ticket_hash(bundle)
    return {
        "ticket": hashed, "tenant": bundle.tenant_id, "split": split_of(ctx.split_key(bundle), ctx.test_fraction),
        "score": rating.score, "scale": rating.scale, "satisfied": rating.score >= 4, "reason": rating.reason,
        "comment": ctx.redact(bundle, rating.comment), "source": rating.source, "version": rating.version,
        "channel": rating.channel, "category": rating.category, "group_id": rating.group_id,
        "assignee_id": rating.assignee_id, "resolver": resolver_from(bundle),
        "intent": ctx.redact(bundle, latest(bundle.decisions, "intent")),
        "model": decision.model if decision else None,
        "prompt_version": decision.prompt_version if decision else None,
        "solved_at": iso(survey.solved_at if survey else None),
        "survey_sent_at": iso(survey.sent_at if survey else None),
        "rated_at": iso(rating.created_at), "updated_at": iso(rating.updated_at),
    }


def oracle_ratings(session: Session, ctx: Context) -> list[dict[str, Any]]:
    ids = [row[0] for chunk in source.stream(session, source.rating_ids(ctx.window)) for row in chunk]
    ratings = list(session.scalars(select(Rating).where(Rating.id.in_(ids)).order_by(
        Rating.tenant_id, Rating.created_at, Rating.id)))
    bundles = source.load_bundles(session, list(dict.fromkeys((r.tenant_id, r.ticket_id) for r in ratings)),
                                  parts=ORACLE_PARTS)
    return [oracle_rating(ctx, bundles[(r.tenant_id, r.ticket_id)], r) for r in ratings]


def core_ratings(session: Session, ctx: Context, path: Path) -> dict[str, str]:
    """The export's train and test files as written."""
    output = Output(str(path), "jsonl", split=True)
    run_export(session, "ratings", ctx, output)
    output.commit()
    return {name: target.read_text(encoding="utf-8") for name, target in split_paths(str(path)).items()}


def known_requester(tenant: str, requester: int | None) -> Identity | None:
    """A directory that knows every requester as Ana Lima (her name is in 101's comment)."""
    return Identity(("Ana Lima",), ("ana.lima@example.com",)) if requester is not None else None


@pytest.mark.parametrize("identity_of", [no_identity, known_requester])
@pytest.mark.parametrize("window", [Window(), Window(min_score=2, max_score=4), Window(tenant="acme")])
def test_ratings_on_core_rows_equal_the_orm_records(store: Store, engine: Engine, settings: Settings, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch, identity_of: Any,
                                                    window: Window) -> None:
    add_rating(engine, "acme", 101, 3, utcnow(), "Hi Ana, call +44 20 7946 0958")  # same ticket id, other tenant
    with session_scope(make_session_factory(engine)) as session:
        session.add(AiDecision(tenant_id="acme", ticket_id=101, decision_id="acme-1", step="reply", draft_reply="ok",
                               model="acme-model", created_at=utcnow(), received_at=utcnow()))
        stray = Survey(tenant_id="default", ticket_id=120, solve_key="s120", solved_at=store.at(0), state="sent",
                       scale="five", scheduled_for=store.at(0), sent_at=store.at(0), created_at=store.at(0),
                       updated_at=store.at(0))
        session.add(stray)
        session.flush()  # a rating whose survey is another ticket's: no survey times, as before
        session.add(Rating(tenant_id="default", survey_id=stray.id, ticket_id=121, score=3, scale="five",
                           source="link", version=1, written_version=0, created_at=utcnow(), updated_at=utcnow()))
    # after 109's reply: an intent and a blank draft, which is no reply (its model is not the row's)
    store.decide(109, "classify", 3, intent="Ana Lima's refund", draft_reply="   ", model="classifier-v2")
    store.override(109, source="sidebar", kind="handoff")
    monkeypatch.setattr(ratings_module, "CHUNK", 3)  # chunks split tickets' ratings and tenants
    ctx = Context(SALT, window, identity_of, test_fraction=0.5)
    reader = make_read_engine(settings.database_url, long=True)
    try:
        with Session(reader) as session:
            expected = oracle_ratings(session, ctx)
            written = core_ratings(session, ctx, tmp_path / "core.jsonl")
    finally:
        reader.dispose()
    assert expected, "the scenario has ratings in this window"
    for split, text in written.items():  # byte for byte, in the same order
        assert text == "".join(json.dumps(r, ensure_ascii=False, allow_nan=False) + "\n"
                               for r in expected if r["split"] == split)


def written_ratings(settings: Settings, ctx: Context, path: Path, fmt: str, *, jobs: int,
                    progress: Any = lambda n: None) -> tuple[dict[str, bytes], dict[str, int]]:
    """The ratings export's train and test files as bytes, and what the stats say was written."""
    reader = make_read_engine(settings.database_url, long=True)
    output = Output(str(path), fmt, split=True, columns=RATING_COLUMNS)
    try:
        with Session(reader) as session:
            stats = run_export(session, "ratings", ctx, output, progress, jobs=jobs)
        output.commit()
    except BaseException:
        output.abort()
        raise
    finally:
        reader.dispose()
    return ({name: target.read_bytes() for name, target in split_paths(str(path)).items()}, dict(stats.written))


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_worker_processes_write_the_same_bytes_as_one_process(store: Store, engine: Engine, settings: Settings,
                                                              tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              fmt: str) -> None:
    """Chunks of 2 rows, workers from the second chunk on: results come back in order, per split."""
    for n in range(40):  # enough chunks that several are in flight at once
        add_rating(engine, "default", 5000 + n, 1 + n % 5, utcnow(), f"My name is Ana Lima, call +44 20 7946 {n:04d}")
    monkeypatch.setattr(ratings_module, "CHUNK", 2)
    monkeypatch.setattr(pipeline, "PARALLEL_AFTER", 2)
    ctx = Context(SALT, Window(), known_requester, test_fraction=0.3)
    alone, alone_stats = written_ratings(settings, ctx, tmp_path / f"alone.{fmt}", fmt, jobs=1)
    pooled, pooled_stats = written_ratings(settings, ctx, tmp_path / f"pooled.{fmt}", fmt, jobs=2)
    assert pooled == alone and pooled_stats == alone_stats
    assert alone_stats["train"] > 0 and alone_stats["test"] > 0 and sum(alone_stats.values()) == 47
    text = b"".join(alone.values()).decode()
    assert "[NAME]" in text and "[PHONE]" in text and "Lima" not in text


def test_a_large_export_encodes_nothing_in_its_own_process(store: Store, engine: Engine, settings: Settings,
                                                           tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past PARALLEL_AFTER rows the first chunks, held until then, go to the workers too: the export's
    own process never redacts (nor loads the name lists), and the bytes are those of one process."""
    for n in range(12):
        add_rating(engine, "default", 6000 + n, 1 + n % 5, utcnow(), f"My name is Ana Lima, call +44 20 7946 {n:04d}")
    monkeypatch.setattr(ratings_module, "CHUNK", 2)
    monkeypatch.setattr(pipeline, "PARALLEL_AFTER", 5)
    ctx = Context(SALT, Window(), known_requester, test_fraction=0.3)
    alone, alone_stats = written_ratings(settings, ctx, tmp_path / "alone.jsonl", "jsonl", jobs=1)

    def not_here(*args: Any) -> Any:
        raise AssertionError("encoded in the export's own process")

    monkeypatch.setattr(pipeline.rating_lines, "encode_items", not_here)
    pooled, pooled_stats = written_ratings(settings, ctx, tmp_path / "pooled.jsonl", "jsonl", jobs=2)
    assert pooled == alone and pooled_stats == alone_stats and sum(alone_stats.values()) > 5


def test_a_worker_that_dies_fails_the_export_by_name(store: Store, engine: Engine, settings: Settings,
                                                     tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker killed mid-export (as the OOM killer would) ends it with a message, not a hang."""
    bulk_ratings(engine, 6000, 300)  # chunks enough that many are still to come when it dies
    monkeypatch.setattr(ratings_module, "CHUNK", 2)
    monkeypatch.setattr(pipeline, "PARALLEL_AFTER", 2)

    killed: list[int] = []

    def kill_a_worker(n: int) -> None:
        workers = multiprocessing.active_children()
        if workers and not killed:
            killed.append(workers[0].pid or 0)
            os.kill(killed[0], signal.SIGKILL)

    ctx = Context(SALT, Window(), no_identity, test_fraction=0.5)
    with pytest.raises(pipeline.ExportError, match="worker process died.*--jobs 1"):
        written_ratings(settings, ctx, tmp_path / "dies.jsonl", "jsonl", jobs=2, progress=kill_a_worker)
    assert killed and not list(tmp_path.iterdir()), "no file, not even a partial one"


def test_the_command_takes_jobs_and_names_a_bad_count(store: Store, run: Any, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "PARALLEL_AFTER", 0)
    ok(run("ratings", "--out", "one.jsonl", "--jobs", "1"))
    ok(run("ratings", "--out", "two.jsonl", "--jobs", "2"))
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()
    assert len(lines(tmp_path / "two.jsonl")) == 7
    result = run("ratings", "--out", "none.jsonl", "--jobs", "0")
    assert result.exit_code == 2 and "--jobs" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "none.jsonl").exists()


def test_exported_times_are_utc_whatever_the_session_time_zone(engine: Engine) -> None:
    """PostgreSQL formats the times itself (`ratings.raw_time`): in UTC, whole seconds without a fraction."""
    on_the_second = datetime(2026, 3, 8, 6, 59, 59, tzinfo=timezone.utc)  # New York's clocks go forward at 07:00 UTC
    with_fraction = datetime(2026, 11, 1, 5, 30, 0, 123456, tzinfo=timezone.utc)
    add_rating(engine, "default", 7001, 4, on_the_second)
    add_rating(engine, "default", 7002, 2, with_fraction)
    with Session(engine) as session:
        if engine.dialect.name == "postgresql":
            session.execute(sql("SET TIME ZONE 'America/New_York'"))
        rows = [row for chunk in ratings_module.stream_rating_rows(session, Window()) for row in chunk]
    assert [rating_lines.iso(row[12]) for row in rows] == [on_the_second.isoformat(), with_fraction.isoformat()]
    assert [rating_lines.iso(row[15]) for row in rows] == [on_the_second.isoformat(), with_fraction.isoformat()]


@hypothesis.settings(max_examples=200, deadline=None)
@hypothesis.given(salt=st.binary(max_size=200), tenant=st.text(max_size=20), ticket=st.integers(0, 2**63))
def test_the_ratings_ticket_hash_is_the_hmac_of_records(salt: bytes, tenant: str, ticket: int) -> None:
    """Keys shorter than, equal to and longer than SHA-256's 64-byte block (hashed first, RFC 2104)."""
    builder = rating_lines.RatingRecords(salt, None)
    assert builder.ticket_hash(tenant, ticket) == ticket_hash(salt, tenant, ticket)


@hypothesis.given(moment=st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)))
def test_ratings_iso_of_sqlite_text_is_isoformat_of_the_utc_time(moment: datetime) -> None:
    """SQLite stores times as "YYYY-MM-DD HH:MM:SS.ffffff"; the text is rewritten, not parsed."""
    stored = (f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d} "  # SQLAlchemy's SQLite storage format
              f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}.{moment.microsecond:06d}")
    assert rating_lines.iso(stored) == moment.replace(tzinfo=timezone.utc).isoformat()


def test_resolver_in_ratings_agrees_with_the_decision_log(store: Store, engine: Engine) -> None:
    keys = [("default", t) for t in range(101, 110)]
    with Session(engine) as session:
        bundles = source.load_bundles(session, keys)
        for key in keys:
            assert resolver_from(bundles[key]) == resolver_of(session, *key)


# --- filters and splits -------------------------------------------------------------------------------


def test_score_bounds_select_cases(store: Store, run: Any, tmp_path: Path) -> None:
    ok(run("eval", "--out", "low.jsonl", "--max-score", "2"))
    assert [r["rating"]["score"] for r in lines(tmp_path / "low.jsonl")] == [1]
    ok(run("ratings", "--out", "high.jsonl", "--min-score", "4"))
    assert sorted(r["score"] for r in lines(tmp_path / "high.jsonl")) == [4, 5, 5, 5, 5]
    ok(run("sft", "--out", "good.jsonl", "--min-score", "4"))  # sft's "good" widened from the top score
    salt = stored_ticket_salt(store.engine)
    assert [r["metadata"]["ticket"] for r in lines(tmp_path / "good.jsonl")] == [
        ticket_hash(salt, "default", 101), ticket_hash(salt, "default", 109)]


def test_time_window_and_tenant(store: Store, run: Any, tmp_path: Path, engine: Engine) -> None:
    add_rating(engine, "acme", 1, 4, utcnow())
    ok(run("ratings", "--out", "acme.jsonl", "--tenant", "acme"))
    assert [(r["tenant"], r["score"]) for r in lines(tmp_path / "acme.jsonl")] == [("acme", 4)]
    ok(run("ratings", "--out", "all.jsonl"))
    assert len(lines(tmp_path / "all.jsonl")) == 8
    tomorrow = (utcnow() + timedelta(days=1)).date().isoformat()
    ok(run("ratings", "--out", "future.jsonl", "--since", tomorrow))
    assert lines(tmp_path / "future.jsonl") == []
    ok(run("ratings", "--out", "past.jsonl", "--until", tomorrow, "--since", "2020-01-01T00:00:00Z"))
    assert len(lines(tmp_path / "past.jsonl")) == 8
    ok(run("eval", "--out", "early.jsonl", "--until", store.at(20).isoformat()))
    early = lines(tmp_path / "early.jsonl")  # feedback before t0+20min: 104's reopen, 105's edited reply
    assert [r["reasons"] for r in early] == [["reopened"], ["overridden"]]


def test_split_writes_a_deterministic_train_test_pair(engine: Engine, run: Any, tmp_path: Path) -> None:
    now = utcnow()
    for ticket in range(1, 41):
        add_rating(engine, "default", ticket, 1 + ticket % 5, now)
    ok(run("ratings", "--out", "r.jsonl", "--split", "test=0.3"))
    train, test = lines(tmp_path / "r.train.jsonl"), lines(tmp_path / "r.test.jsonl")
    assert len(train) + len(test) == 40 and train and test
    assert {r["split"] for r in train} == {"train"} and {r["split"] for r in test} == {"test"}
    assert not {r["ticket"] for r in train} & {r["ticket"] for r in test}
    first = (tmp_path / "r.test.jsonl").read_bytes()
    ok(run("ratings", "--out", "r.jsonl", "--split", "test=0.3"))
    assert (tmp_path / "r.test.jsonl").read_bytes() == first
    ok(run("ratings", "--out", "r.csv", "--split", "test=0.3"))
    assert (tmp_path / "r.train.csv").exists() and (tmp_path / "r.test.csv").exists()
    loaded = load_with_datasets(tmp_path / "r.train.jsonl", tmp_path / "cache")
    assert loaded.num_rows == len(train)


def test_the_split_follows_the_ticket_hash_at_the_requested_rate() -> None:
    salt = SALT
    sides = [split_of(ticket_hash(salt, "default", t), 0.1) for t in range(20_000)]
    assert 0.09 < sides.count("test") / len(sides) < 0.11
    assert split_of(ticket_hash(salt, "default", 7), None) is None
    assert split_paths("out/sft.jsonl") == {"train": Path("out/sft.train.jsonl"), "test": Path("out/sft.test.jsonl")}
    assert split_paths("sft") == {"train": Path("sft.train"), "test": Path("sft.test")}


def test_stdout_export(store: Store, run: Any) -> None:
    result = ok(run("dpo", "--out", "-"))
    assert [json.loads(line)["rejected"][0]["content"] for line in result.stdout.splitlines()] == [
        "Hi [NAME], duplicate charges disappear by themselves within 5 days.", "We will send a replacement kettle."]


# --- bad options: a message, never a traceback -------------------------------------------------------


@pytest.mark.parametrize(("args", "message"), [
    (["sft", "--out", "x.jsonl", "--split", "0.1"], "is not test=FRACTION"),
    (["sft", "--out", "x.jsonl", "--split", "test=1.5"], "is not test=FRACTION"),
    (["sft", "--out", "x.jsonl", "--split", "train=0.1"], "is not test=FRACTION"),
    (["sft", "--out", "x.csv"], "csv is only for `ratings`"),
    (["eval", "--out", "x.jsonl", "--format", "csv"], "csv is only for `ratings`"),
    (["ratings", "--out", "x.csv", "--since", "yesterday"], "is not a date or time"),
    (["ratings", "--out", "x.csv", "--since", "2026-03-02", "--until", "2026-03-01"], "--since must be before"),
    (["ratings", "--out", "x.csv", "--min-score", "4", "--max-score", "2"], "--min-score is above --max-score"),
    (["ratings", "--out", "x.csv", "--min-score", "9"], "9 is not in the range 1<=x<=5"),
    (["ratings", "--out", "-", "--split", "test=0.1"], "give a file name, not '-'"),
    (["ratings", "--out", "no/such/folder/x.csv"], "not a file in an existing folder"),
    (["training", "--out", "x.jsonl"], "'training' is not one of"),
    (["sft"], "Missing option '--out'"),
])
def test_bad_options_are_named(run: Any, args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert message in result.output and "Traceback" not in result.output


def test_no_secret_key_is_needed_and_rotating_it_moves_nothing(store: Store, run: Any, tmp_path: Path) -> None:
    ok(run("ratings", "--out", "a.jsonl", "--split", "test=0.5"))
    ok(run("ratings", "--out", "b.jsonl", "--split", "test=0.5",
           extra_env={"FEEDBACKLOOP_SECRET_KEY": "a-rotated-secret-key-0123456789"}))
    ok(run("ratings", "--out", "c.jsonl", "--split", "test=0.5", extra_env={"FEEDBACKLOOP_SECRET_KEY": None}))
    for side in ("train", "test"):
        first = (tmp_path / f"a.{side}.jsonl").read_bytes()
        assert first == (tmp_path / f"b.{side}.jsonl").read_bytes() == (tmp_path / f"c.{side}.jsonl").read_bytes()


def test_a_database_without_schema_is_a_message_and_leaves_no_file(run: Any, tmp_path: Path) -> None:
    (tmp_path / "empty.db").touch()  # a missing file is refused before connecting (tests/commands/test_report_cli.py)
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    result = run("ratings", "--out", "r.jsonl", extra_env={"FEEDBACKLOOP_DATABASE_URL": url})
    assert result.exit_code == 1 and "cannot read the database" in result.output
    assert "feedbackloop db upgrade" in result.output and "Traceback" not in result.output
    assert list(tmp_path.glob("*r.jsonl*")) == []


# --- the requester as Zendesk knows them -------------------------------------------------------------


def test_the_requesters_name_is_redacted_with_a_helpdesk_lookup(client: FlaskClient, engine: Engine,
                                                                settings: Settings, sandbox: Any,
                                                                sandbox_server: Any, run: Any,
                                                                tmp_path: Path) -> None:
    first = sandbox.simulate_customer_ticket(subject="Parcel", body="Where is it?", name="Ana Lima",
                                             email="ana.lima@example.com")
    requester = int(sandbox.ticket(first)["requester_id"])
    s = Store(client, engine, settings)
    for ticket, text in ((201, "lima household: the parcel never came"), (202, "Lima again, second parcel")):
        s.comment(ticket, text, 1, requester=requester)
        s.decide(ticket, "reply", 2, draft_reply=f"Dear customer, we traced parcel {ticket}.")
        s.status(ticket, "open", "solved", 5, requester=requester)
        s.rate(ticket, 5, "thanks!")
    zendesk = {"ZENDESK_SUBDOMAIN": "sandbox", "ZENDESK_EMAIL": SANDBOX_EMAIL, "ZENDESK_API_TOKEN": SANDBOX_TOKEN,
               "ZENDESK_WEBHOOK_SECRET": WEBHOOK_SECRET, "ZENDESK_API_URL": sandbox_server.url}
    ok(run("sft", "--out", "blind.jsonl", "--no-requester-lookup", extra_env=zendesk))
    assert "lima household" in (tmp_path / "blind.jsonl").read_text()
    ok(run("ratings", "--out", "seen.jsonl", extra_env=zendesk))  # 2 ratings, one requester
    ok(run("sft", "--out", "seen.jsonl", extra_env=zendesk))
    users = [r for r in sandbox.api_calls("GET", "users") if r.path.endswith(f"/{requester}.json")]
    assert len(users) == 2  # one per export, cached within it
    contents = [r["messages"][1]["content"] for r in lines(tmp_path / "seen.jsonl")]
    assert contents == ["[NAME] household: the parcel never came", "[NAME] again, second parcel"]
    assert "Lima" not in (tmp_path / "seen.jsonl").read_text()


class FlakyClient:
    """A helpdesk client whose user look-ups answer from a script."""

    def __init__(self, *answers: Any) -> None:
        self.answers = list(answers)
        self.calls = 0

    def get_user(self, user_id: int) -> User:
        self.calls += 1
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer  # type: ignore[no-any-return]


def test_requester_lookups_wait_on_rate_limits_and_give_up_loudly() -> None:
    from feedbackloop.core.errors import Permanent, Retryable
    from feedbackloop.learn.exports.pipeline import ExportError

    waits: list[float] = []
    client = FlakyClient(Retryable("429", retry_after=7, rate_limited=True), User(5, "Ana Lima", "a@x.io"),
                         Permanent("gone"))
    directory = RequesterDirectory(lambda tenant: client, sleep=waits.append)  # type: ignore[arg-type,return-value]
    identity = directory("default", 5)
    assert identity is not None and identity.names == ("Ana Lima",) and waits == [7]
    assert directory("default", 5) is identity and client.calls == 2  # cached
    assert directory("default", 6) is not None and directory("default", None) is None
    failing = FlakyClient(*[Retryable("503")] * 5)
    with pytest.raises(ExportError, match="--no-requester-lookup"):
        RequesterDirectory(lambda tenant: failing, sleep=waits.append)("default", 1)  # type: ignore[arg-type,return-value]


# --- constant memory, streaming, and not blocking the service ------------------------------------------


def add_rating(engine: Engine, tenant: str, ticket: int, score: int, at: datetime, comment: str | None = None) -> None:
    with session_scope(make_session_factory(engine)) as session:
        survey = Survey(tenant_id=tenant, ticket_id=ticket, solve_key=f"s{ticket}", solved_at=at, state="sent",
                        scale="five", scheduled_for=at, sent_at=at, created_at=at, updated_at=at)
        session.add(survey)
        session.flush()
        session.add(Rating(tenant_id=tenant, survey_id=survey.id, ticket_id=ticket, score=score, scale="five",
                           comment=comment, source="link", version=1, written_version=0, created_at=at,
                           updated_at=at))


def bulk_ratings(engine: Engine, first: int, count: int) -> None:
    now = utcnow()
    with session_scope(make_session_factory(engine)) as session:
        surveys = [Survey(tenant_id="default", ticket_id=t, solve_key=f"s{t}", solved_at=now, state="sent",
                          scale="five", scheduled_for=now, sent_at=now, created_at=now, updated_at=now)
                   for t in range(first, first + count)]
        session.add_all(surveys)
        session.flush()
        session.add_all([Rating(tenant_id="default", survey_id=s.id, ticket_id=s.ticket_id, score=1 + s.ticket_id % 5,
                                scale="five", comment=f"call me on +44 20 7946 {s.ticket_id % 10000:04d} please",
                                source="link", version=1, written_version=0, created_at=now, updated_at=now)
                         for s in surveys])


def peak_memory_of_export(settings: Settings, path: Path) -> tuple[int, int]:
    engine = make_read_engine(settings.database_url, long=True)
    ctx = Context(SALT, Window(), lambda tenant, requester: None)
    output = Output(str(path), "jsonl", split=False)
    tracemalloc.start()
    try:
        with Session(engine) as session:
            stats = run_export(session, "ratings", ctx, output)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        output.commit()
        engine.dispose()
    return stats.total, peak


def test_memory_does_not_grow_with_the_export(engine: Engine, settings: Settings, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "CHUNK", 100)
    monkeypatch.setattr(ratings_module, "CHUNK", 100)
    bulk_ratings(engine, 1, 300)
    small, small_peak = peak_memory_of_export(settings, tmp_path / "small.jsonl")
    bulk_ratings(engine, 1000, 2700)
    large, large_peak = peak_memory_of_export(settings, tmp_path / "large.jsonl")
    assert (small, large) == (300, 3000)
    assert large_peak < small_peak * 1.5, (small_peak, large_peak)  # 10× the rows, about the same memory
    assert "[PHONE]" in (tmp_path / "large.jsonl").read_text().splitlines()[-1]


def test_chunks_do_not_change_the_result(store: Store, run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         ) -> None:
    ok(run("eval", "--out", "whole.jsonl"))
    monkeypatch.setattr(source, "CHUNK", 2)
    ok(run("eval", "--out", "chunked.jsonl"))
    assert (tmp_path / "whole.jsonl").read_bytes() == (tmp_path / "chunked.jsonl").read_bytes()


def test_an_export_does_not_hold_the_sqlite_write_lock(engine: Engine, settings: Settings) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite only: PostgreSQL readers never block writers")
    bulk_ratings(engine, 1, 20)
    path = settings.database_url.removeprefix("sqlite:///")
    reader = make_read_engine(settings.database_url, long=True)
    try:
        with Session(reader) as session:
            rows = session.execute(select(Rating.id).execution_options(yield_per=2))
            next(iter(rows))  # mid-stream
            writer = sqlite3.connect(path, timeout=0.5, isolation_level=None)
            writer.execute("BEGIN IMMEDIATE")
            writer.execute("UPDATE ratings SET reason = 'x' WHERE id = 1")
            writer.execute("COMMIT")
            writer.close()
    finally:
        reader.dispose()


def test_a_progress_bar_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    from feedbackloop.learn.exports.command import progress_bar

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with progress_bar(4, "export sft") as advance:
        advance(4)
    assert "export sft" in terminal.getvalue()
    quiet = io.StringIO()
    monkeypatch.setattr(sys, "stderr", quiet)
    with progress_bar(4, "export sft") as advance:
        advance(4)
    assert quiet.getvalue() == ""


# --- near-duplicates --------------------------------------------------------------------------------


def test_near_duplicates_are_dropped_and_different_texts_kept() -> None:
    seen = NearDuplicates(slots=1 << 10)
    base = ("Hi [NAME], thanks for waiting. Your refund for order 1234 was approved today and will reach your "
            "card within five business days. If it does not, reply to this message and we will check with "
            "the bank for you. Have a lovely weekend and thanks again for your patience with us")
    assert seen.seen(base) is False
    assert seen.seen(base.upper().replace("1234", "9876")) is True  # exact after normalisation
    assert seen.seen(base.replace("lovely", "great")) is True  # one word changed: near-duplicate
    assert seen.seen("Your parcel left the warehouse and arrives tomorrow before noon.") is False
    assert seen.seen("Ok") is False and seen.seen("ok!") is True


def test_the_fingerprint_table_is_fixed_size_and_says_when_full() -> None:
    table = FingerprintTable(slots=16)
    for value in range(1, 30):
        table.add(value)
    assert table.saturated and 11 in table and 29 not in table
    with pytest.raises(ValueError):
        FingerprintTable(slots=12)


# --- turns, conversations, formats (issue 18) --------------------------------------------------------


def created(store: Store, ticket: int, description: str, minutes: float, requester: int = 9001) -> None:
    """A ticket.created envelope whose detail.description is the customer's opening message."""
    data = envelope(ticket, "new", "new", store.at(minutes), requester_id=requester)
    data["type"], data["event"] = "zen:event-type:ticket.created", {}
    data["detail"]["description"] = description
    store.webhook(data)
    store.process(ticket)


def test_a_reply_to_a_later_question_is_no_edit_and_no_pair(store: Store, run: Any, tmp_path: Path,
                                                             engine: Engine) -> None:
    store.comment(301, "How do I change my delivery address?", 1)
    store.decide(301, "reply", 2, draft_reply="Open the order and choose Edit delivery.")
    store.comment(301, "Thanks. Also, can I pay by invoice?", 3)
    store.comment(301, "Yes, invoices are available for business accounts.", 4, staff=True)
    with Session(engine) as session:
        assert not session.scalars(select(Override).where(Override.ticket_id == 301)).all(), "not an edit"
    # an edit recorded before this rule (or from events processed out of order) is still not a pair
    with session_scope(make_session_factory(engine)) as session:
        draft = store.decision_rows["301:reply"]
        session.add(Override(tenant_id="default", ticket_id=301, source="automatic", kind="edit_to_final",
                             dedupe_key=f"edit_to_final:{draft}", ai_decision_id=draft,
                             ai_decision="Open the order and choose Edit delivery.",
                             final_action="Yes, invoices are available for business accounts.", similarity=0.22,
                             occurred_at=store.at(4), created_at=utcnow(), missing=[], details={}))
    result = ok(run("dpo", "--out", "dpo.jsonl", "--since", store.at(3.5).isoformat()))
    assert not [r for r in lines(tmp_path / "dpo.jsonl") if "invoice" in json.dumps(r)]
    assert "skipped 1: the agent's reply answers another customer message than the draft" in result.output


def test_the_conversation_opens_with_the_description_and_keeps_every_turn(store: Store, run: Any,
                                                                          tmp_path: Path) -> None:
    created(store, 302, "Hello, my parcel 8841 never arrived.", 0.5)
    store.comment(302, "Hello, my parcel 8841 never arrived.", 0.5)  # Zendesk's first comment: the same text
    store.decide(302, "reply", 1, draft_reply="Sorry! I have asked the carrier to trace parcel 8841.")
    store.comment(302, "Any news? It has been two days.", 60)
    store.decide(302, "reply2", 61, draft_reply="The carrier found it: it arrives tomorrow morning.")
    store.status(302, "open", "solved", 62)
    store.rate(302, 5)
    # a second ticket whose opening message only ever came in ticket.created, then an agent took over
    created(store, 303, "The blender lid cracked on first use.", 0.5, requester=9002)
    store.decide(303, "reply", 1, draft_reply="Please send us a photo of the lid.", model="small-model")
    store.comment(303, "Here it is, the crack is along the rim.", 5, requester=9002)
    store.decide(303, "reply2", 6, draft_reply="That is wear and tear, not covered.", model="small-model")
    store.comment(303, "That is a manufacturing defect: a new lid is on its way, free of charge.", 7, staff=True,
                  requester=9002)

    ok(run("sft", "--out", "sft.jsonl", "--since", store.at(62).isoformat()))
    (chat,) = [r for r in lines(tmp_path / "sft.jsonl") if "8841" in json.dumps(r)]
    check_openai_chat(chat)
    assert [m["role"] for m in chat["messages"]] == ["system", "user", "assistant", "user", "assistant"]
    assert chat["messages"][1]["content"] == "Hello, my parcel 8841 never arrived."  # once, not twice
    assert chat["metadata"]["authors"] == ["system", "customer", "ai", "customer", "ai"]

    ok(run("dpo", "--out", "dpo.jsonl", "--since", store.at(6.5).isoformat()))
    (pair,) = [r for r in lines(tmp_path / "dpo.jsonl") if "blender lid" in json.dumps(r)]
    check_trl_preference(pair)
    assert [m["content"] for m in pair["prompt"][1:]] == [
        "The blender lid cracked on first use.", "Please send us a photo of the lid.",
        "Here it is, the crack is along the rim."]
    assert pair["metadata"]["prompt_authors"] == ["system", "customer", "ai", "customer"]
    assert pair["rejected"][0]["content"] == "That is wear and tear, not covered."
    assert pair["chosen"][0]["content"].startswith("That is a manufacturing defect")


def test_the_system_prompt_is_chosen_per_tenant_and_model(store: Store, run: Any, tmp_path: Path) -> None:
    prompts = tmp_path / "prompts.json"
    prompts.write_text(json.dumps({"*": "Be brief.", "default/gpt-4o-2024-08-06": "You are Acme's agent."}))
    env = {"FEEDBACKLOOP_SYSTEM_PROMPT_FILE": str(prompts)}
    ok(run("sft", "--out", "sft.jsonl", extra_env=env))
    assert lines(tmp_path / "sft.jsonl")[0]["messages"][0] == {"role": "system", "content": "You are Acme's agent."}
    store.decide(101, "again", 3, draft_reply="Anything else?", model="other-model")
    ok(run("sft", "--out", "sft.jsonl", extra_env=env))
    assert lines(tmp_path / "sft.jsonl")[0]["messages"][0]["content"] == "Be brief."
    ok(run("dpo", "--out", "dpo.jsonl", extra_env={"FEEDBACKLOOP_SYSTEM_PROMPT": "Plain text prompt."}))
    assert {r["prompt"][0]["content"] for r in lines(tmp_path / "dpo.jsonl")} == {"Plain text prompt."}
    prompts.write_text("[1, 2]")
    result = run("sft", "--out", "bad.jsonl", extra_env=env)
    assert result.exit_code == 1 and "FEEDBACKLOOP_SYSTEM_PROMPT_FILE" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "bad.jsonl").exists()


VOCABULARY = [
    "parcel", "invoice", "refund", "blender", "kettle", "router", "password", "delivery", "address", "courier",
    "warranty", "lid", "crack", "screen", "battery", "charger", "cable", "subscription", "plan", "upgrade",
    "downgrade", "cancel", "renew", "coupon", "voucher", "discount", "receipt", "payment", "card", "bank",
    "transfer", "wallet", "account", "login", "email", "phone", "app", "update", "crash", "settings", "profile",
    "photo", "upload", "download", "export", "import", "backup", "restore", "sync", "calendar", "reminder",
]


def test_the_split_keeps_each_customer_on_one_side(store: Store, run: Any, tmp_path: Path) -> None:
    requester_of: dict[int, int] = {}
    for requester in range(14):
        for n in range(3):  # three tickets each, all reopened: eval cases
            ticket, who = 8_400 + requester * 3 + n, 70_000 + requester  # far from the sandbox's task ids
            requester_of[ticket] = who
            words = random.Random(ticket).sample(VOCABULARY, 16)  # texts apart, or dedupe would drop them
            store.comment(ticket, " ".join(words[:8]), 1, requester=who)
            store.decide(ticket, "reply", 2, draft_reply=" ".join(words[8:]))
            store.signal(ticket, "reopen", {})
    ok(run("eval", "--out", "e.jsonl", "--split", "test=0.4"))
    salt = stored_ticket_salt(store.engine)
    by_hash = {ticket_hash(salt, "default", t): who for t, who in requester_of.items()}
    sides: dict[int, set[str]] = {}
    for side in ("train", "test"):
        for record in lines(tmp_path / f"e.{side}.jsonl"):
            assert record["metadata"]["split"] == side
            if record["id"] in by_hash:
                sides.setdefault(by_hash[record["id"]], set()).add(side)
    assert len(sides) == 14 and all(len(s) == 1 for s in sides.values()), "a customer on both sides"
    assert {"train", "test"} == set().union(*sides.values())
    ok(run("ratings", "--out", "r.jsonl", "--split", "test=0.4"))  # ratings agree with eval, ticket by ticket
    eval_side = {r["id"]: side for side in ("train", "test") for r in lines(tmp_path / f"e.{side}.jsonl")}
    for side in ("train", "test"):
        for record in lines(tmp_path / f"r.{side}.jsonl"):
            assert eval_side.get(record["ticket"], side) == side


def test_openai_format_has_no_other_keys(store: Store, run: Any, tmp_path: Path) -> None:
    result = ok(run("sft", "--out", "sft.jsonl", "--format", "openai"))
    for record in lines(tmp_path / "sft.jsonl"):
        check_openai_chat(record, openai=True)
    assert "column types: " in result.output
    ok(run("dpo", "--out", "dpo.jsonl", "--format", "openai"))
    pairs = lines(tmp_path / "dpo.jsonl")
    assert len(pairs) == 2
    for record in pairs:
        check_openai_preference(record)
    bad = run("eval", "--out", "e.jsonl", "--format", "openai")
    assert bad.exit_code == 2 and "openai is only for sft and dpo" in bad.output


def test_every_record_matches_its_features_file_and_files_load_together(store: Store, run: Any,
                                                                        tmp_path: Path, engine: Engine) -> None:
    from datasets import Features, load_dataset

    for n in range(30):  # the first file: no comment at all (null for every row)
        add_rating(engine, "default", 600 + n, 4, store.at(0))
    ok(run("ratings", "--out", "first.jsonl", "--until", store.at(1).isoformat()))
    ok(run("ratings", "--out", "second.jsonl", "--since", store.at(1).isoformat()))
    assert all(r["comment"] is None for r in lines(tmp_path / "first.jsonl"))
    assert any(r["comment"] for r in lines(tmp_path / "second.jsonl"))
    features = Features.from_dict(json.loads((tmp_path / "first.features.json").read_text()))
    both = load_dataset("json", data_files=[str(tmp_path / "first.jsonl"), str(tmp_path / "second.jsonl")],
                        features=features, split="train", cache_dir=str(tmp_path / "cache"))
    assert both.num_rows == 30 + len(lines(tmp_path / "second.jsonl"))
    for kind in ("eval", "sft", "dpo"):
        ok(run(kind, "--out", f"{kind}.jsonl", "--split", "test=0.5"))
        features = Features.from_dict(json.loads((tmp_path / f"{kind}.features.json").read_text()))
        files = [str(tmp_path / f"{kind}.{side}.jsonl") for side in ("train", "test")
                 if (tmp_path / f"{kind}.{side}.jsonl").read_text()]
        for path in files:
            for record in lines(Path(path)):
                conforms(record, SCHEMAS[kind])
        loaded = load_dataset("json", data_files=files, features=features, split="train",
                              cache_dir=str(tmp_path / f"cache-{kind}"))
        assert loaded.num_rows == sum(len(lines(Path(p))) for p in files)


def test_a_later_reply_does_not_erase_the_macros_rationale(store: Store, run: Any, tmp_path: Path) -> None:
    store.comment(310, "I want a refund for order 7781, it came late.", 1)
    store.decide(310, "reply", 2, draft_reply="Late orders are not refundable.", action="deny_refund")
    store.override(310, source="macro", kind="override", final_action="refund_full",
                   rationale="Delivery was 9 days late: the late-delivery promise applies", policy_clause="refunds#4.1")
    store.comment(310, "I have refunded order 7781 in full; sorry for the delay.", 40, staff=True)
    ok(run("eval", "--out", "eval.jsonl", "--since", store.at(20).isoformat()))
    (record,) = [r for r in lines(tmp_path / "eval.jsonl") if "7781" in json.dumps(r)]
    expected = record["expected"]
    assert expected["rationale"] == "Delivery was 9 days late: the late-delivery promise applies"
    assert expected["policy_clause"] == "refunds#4.1"
    assert [c["kind"] for c in expected["corrections"]] == ["override", "edit_to_final"]
    assert expected["human_reply"] == "I have refunded order 7781 in full; sorry for the delay."
    ok(run("dpo", "--out", "dpo.jsonl", "--since", store.at(20).isoformat()))
    (pair,) = [r for r in lines(tmp_path / "dpo.jsonl") if "7781" in json.dumps(r)]
    assert [o["kind"] for o in pair["metadata"]["overrides"]] == ["override", "edit_to_final"]
    assert pair["rejected"][0]["content"] == "Late orders are not refundable."


def test_a_bot_that_only_writes_into_zendesk_makes_sft_chats(store: Store, run: Any, tmp_path: Path) -> None:
    """No decision log: the AI's replies are comments by its Zendesk user (FEEDBACKLOOP_AI_USER_IDS)."""
    store.comment(330, "Is the store open on Sunday afternoons?", 1)
    store.comment(330, "Yes, we are open 12:00 to 17:00 on Sundays.", 2, staff=True, author_id=4242)
    store.status(330, "open", "solved", 3)
    store.rate(330, 5)
    ok(run("sft", "--out", "sft.jsonl", extra_env={"FEEDBACKLOOP_AI_USER_IDS": "4242"}))
    (chat,) = [r for r in lines(tmp_path / "sft.jsonl") if "Sunday" in json.dumps(r)]
    check_openai_chat(chat)
    assert chat["metadata"]["authors"] == ["system", "customer", "ai"]
    result = ok(run("sft", "--out", "none.jsonl"))  # without the setting that reply is an agent's
    assert not [r for r in lines(tmp_path / "none.jsonl") if "Sunday" in json.dumps(r)]
    assert "no AI reply logged" in result.output


def test_a_reply_on_top_of_a_posted_draft_is_no_edit(store: Store, engine: Engine) -> None:
    store.comment(340, "Can I change my plan mid-month?", 1)
    store.decide(340, "reply", 2, draft_reply="Yes: the change applies from your next invoice.")
    store.comment(340, "Yes: the change applies from your next invoice.", 3, staff=True, author_id=4242)
    store.comment(340, "Adding to that: the price difference is prorated.", 4, staff=True)
    with Session(engine) as session:
        assert not session.scalars(select(Override).where(Override.ticket_id == 340)).all()


def test_turns_of_a_conversation_built_from_rows() -> None:
    """The turn rules on rows as loaded: a draft stamped before the first message (the agent's clock)
    answers it; customer messages in a row are one turn; an agent reply replaces the draft of its own
    turn only."""
    from feedbackloop.learn.exports.conversation import build_conversation
    from feedbackloop.learn.exports.source import Message, TicketBundle

    t = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)

    def at(minutes: float) -> datetime:
        return t + timedelta(minutes=minutes)

    def draft(row: int, minutes: float, text: str) -> AiDecision:
        return AiDecision(id=row, tenant_id="default", ticket_id=1, decision_id=str(row), step="reply",
                          draft_reply=text, created_at=at(minutes), received_at=at(minutes))

    bundle = TicketBundle("default", 1)
    bundle.opening = Message(at(0), "First question", False, 5, "description")
    bundle.messages = [Message(at(0), "First question", False, 5, "c1"),  # the description again
                       Message(at(0.5), "and one more detail", False, 5, "c2"),
                       Message(at(3), "Second question", False, 5, "c3"),
                       Message(at(4), "Agent answer to the second", True, 77, "c4")]
    bundle.decisions = [draft(10, -0.1, "AI answer to the first"), draft(11, 3.5, "AI answer to the second")]
    conversation = build_conversation(bundle)
    assert [(x.author, x.turn, x.said) for x in conversation.turns] == [
        ("customer", 0, True), ("ai", 0, True), ("customer", 1, True), ("customer", 1, True), ("ai", 1, False),
        ("agent", 1, True)]
    assert [x.text for x in conversation.before_reply_to(1)] == [
        "First question", "AI answer to the first", "and one more detail", "Second question"]
    reply = conversation.agent_reply_to(1)
    assert reply is not None and reply.comment_id == "c4" and conversation.agent_reply_to(0) is None


def test_near_twins_across_the_split_are_dropped_and_reported(store: Store, run: Any, tmp_path: Path) -> None:
    """Two customers whose tickets read the same land on opposite sides: one is dropped, and the summary
    names the threshold, the side it came from and the file listing it."""
    from feedbackloop.learn.exports.records import split_key

    split_salt = keys.derive(keys.stored_salt(store.engine), keys.SPLIT_LABEL)
    side = {who: split_of(split_key(split_salt, "default", who, 0), 0.5) for who in range(80_000, 80_040)}
    first = next(who for who, s in side.items() if s == "train")
    second = next(who for who, s in side.items() if s == "test")
    for ticket, who in ((8_901, first), (8_902, second)):
        store.comment(ticket, "The blender lid cracked on the first use, can I get a new lid?", 1, requester=who)
        store.decide(ticket, "reply", 2, draft_reply="Sorry about that! A new lid ships today at no cost.")
        store.signal(ticket, "reopen", {})
    result = ok(run("eval", "--out", "e.jsonl", "--split", "test=0.5"))
    texts = {name: [json.dumps(r) for r in lines(tmp_path / f"e.{name}.jsonl")] for name in ("train", "test")}
    assert sum("blender lid cracked" in t for t in texts["train"] + texts["test"]) == 1
    assert "about 84 %" in result.output and "checked across train and test: 1 from" in result.output
    (dropped,) = [d for d in lines(tmp_path / "e.dropped.jsonl") if "blender" in d["excerpt"]]
    assert dropped["match"] == "exact" and dropped["split"] in ("train", "test")
