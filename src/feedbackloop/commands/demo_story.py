"""The demo's AI agent, its corrections and its audience: what `feedbackloop demo` adds to the loop so
the dashboard has an AI to compare with people (issue "what people see", section 4).

Kept apart from demo.py (its runner and database wiring change elsewhere); demo.py calls these at a
few points. Nothing is written to our database directly: the AI logs its decisions through the
decisions API, agents override through Zendesk (the override tag and an internal note, as the macro
does, or in the sidebar app through Zendesk's signed load), the AI's user hands some tickets to people,
agents work the review queue (a root cause and a note, then solved), mail scanners and people fetch survey links over HTTP.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any

import requests

#: The reply every demo agent sends (demo.open_and_solve); the AI's draft is this, or an edit of it.
AGENT_REPLY = "Thanks for reaching out, this is sorted now."
AI_SHARE = 0.7  # tickets the AI works on
OVERRIDE_SHARE = 0.15  # of the AI's tickets, an agent corrects the decision with the macro
SCANNER_SHARE = 0.1  # of the surveys, a mail scanner opens every link first
SCANNER_AGENT = "Mozilla/5.0 (compatible; Barracuda Sentinel link protection)"
ACTIONS = {"billing": "reply_with_refund_status", "shipping": "reply_with_tracking_link",
           "returns": "send_return_label", "technical": "send_kb_article"}
PAGE_LINK = re.compile(r"https?://\S+/s/[A-Za-z0-9_.\-]+(?![A-Za-z0-9_.\-?/])")


@dataclass
class AiAgent:
    """Logs an AI decision for most tickets through POST /api/v1/decisions, as a real agent would."""

    base_url: str
    admin_token: str
    rng: random.Random
    tickets: dict[int, str] = field(default_factory=dict)  # ticket → category, the AI's tickets

    def decide(self, ticket_id: int, category: str) -> None:
        """Called as each ticket opens: most get a decision with a draft (some drafts get edited)."""
        if self.rng.random() >= AI_SHARE:
            return
        confidence = round(self.rng.uniform(0.55, 0.98), 2)
        draft = AGENT_REPLY if self.rng.random() < 0.8 else "Thanks for writing in! This should be sorted now."
        # intent = the category people's tickets are segmented by: AI vs human compares within it
        body: dict[str, Any] = {
            "ticket_id": ticket_id, "decision_id": f"demo-{ticket_id}-1", "step": "reply", "intent": category,
            "confidence": confidence, "action": ACTIONS[category], "draft_reply": draft, "model": "demo-model-1",
            "prompt_version": "v3", "policy_refs": [f"{category}-policy#1"],
        }
        answer = requests.post(f"{self.base_url}/api/v1/decisions", json=body, timeout=10,
                               headers={"Authorization": f"Bearer {self.admin_token}"})
        if answer.status_code in (200, 201):
            self.tickets[ticket_id] = category


def override_some(state: Any, agent: AiAgent, rng: random.Random, override_tag: str = "ai_override") -> int:
    """Agents correct some AI decisions with the override macro: the tag and an internal note."""
    done = 0
    for ticket_id, category in sorted(agent.tickets.items()):
        if rng.random() >= OVERRIDE_SHARE:
            continue
        tags = list(state.ticket(ticket_id)["tags"])
        note = (f"Final action: escalated to the {category} team\n"
                "Rationale: the customer's order was an exception the AI's policy did not cover\n"
                f"Policy clause: {category}-policy#4")
        state.simulate_agent_update(ticket_id, {"tags": [*tags, override_tag],
                                                "comment": {"body": note, "public": False}})
        done += 1
    return done


HANDOFF_SHARE = 0.2  # of the AI's tickets, the AI's user holds the ticket first and hands it to a person
SIDEBAR_SHARE = 0.1  # of the AI's tickets, an agent records a correction in the sidebar app
APP_AUDIENCE = "https://sandbox.zendesk.com/api/v2/apps/installations/1.json"  # the demo app's installation
APP_ISSUER = "sandbox.zendesk.com"  # ZAF's `iss`: the account's host (the demo account is "sandbox")


def app_keys() -> tuple[Any, str]:
    """The demo's Zendesk app key pair: the private half signs ZAF's sidebar loads, the public half is
    ZENDESK_APP_PUBLIC_KEY (PEM)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return key, public


def ai_user(state: Any) -> int:
    """The AI agent's own Zendesk user (FEEDBACKLOOP_AI_USER_IDS), as a bot that works in Zendesk has."""
    user: dict[str, Any] = state.create_user({"user": {"name": "Demo AI agent", "email": "ai-agent@demo.example",
                                                       "role": "agent"}})["user"]
    return int(user["id"])


def hand_over(state: Any, agent: AiAgent, ticket_id: int, bot_id: int, rng: random.Random) -> bool:
    """Some of the AI's tickets: the AI's user holds the ticket, then hands it to a person (a handoff)."""
    if ticket_id not in agent.tickets or rng.random() >= HANDOFF_SHARE:
        return False
    state.simulate_agent_update(ticket_id, {"assignee_id": bot_id})
    state.simulate_agent_update(ticket_id, {"assignee_id": state.agent_id})
    return True


def sidebar_overrides(base_url: str, agent: AiAgent, key: Any, agent_id: int, rng: random.Random) -> int:
    """Agents correct some AI decisions in the sidebar app, through Zendesk's signed load (ZAF JWT)."""
    import time

    import jwt

    now = int(time.time())
    token = jwt.encode({"iss": APP_ISSUER, "aud": APP_AUDIENCE, "iat": now, "exp": now + 300, "sub": str(agent_id),
                        "context": {"product": "support", "location": "ticket_sidebar"}}, key, algorithm="RS256")
    page = requests.post(f"{base_url}/zendesk/sidebar?origin=https://{APP_ISSUER}", data={"token": token}, timeout=10)
    match = re.search(r'data-session="([^"]+)"', page.text)
    if page.status_code != 200 or match is None:
        return 0
    headers = {"Authorization": f"Bearer {match.group(1)}"}
    done = 0
    for ticket_id, category in sorted(agent.tickets.items()):
        if rng.random() >= SIDEBAR_SHARE:
            continue
        body = {"final_action": f"sent a replacement instead of {ACTIONS[category]}",
                "rationale": "the item arrived damaged; the AI read it as a delay",
                "policy_clause": f"{category}-policy#2"}
        answer = requests.post(f"{base_url}/zendesk/sidebar/api/tickets/{ticket_id}/overrides", json=body,
                               headers={**headers, "Idempotency-Key": f"demo-{ticket_id}"}, timeout=10)
        done += answer.status_code == 201
    return done


REVIEW_SHARE = 0.7  # of the review tasks opened, an agent reviews and solves with a root cause
ROOT_CAUSE_NOTES = {
    "kb_gap": "The help article on this is out of date; the AI answered from it.",
    "wrong_intent": "The AI read a refund question as a delivery question.",
    "action_error": "Right intent, wrong action: the policy allows a replacement here.",
    "tone": "Correct answer, but curt; the customer was upset.",
}


def review_some(state: Any, rng: random.Random) -> int:
    """Agents work the review queue: an internal note, a root cause (the review task's dropdown, whose
    option values are `feedback_root_cause_<cause>` tags), and solved. The verdicts feed the exports."""
    done = 0
    for task in state.tickets():
        if task.get("type") != "task" or task.get("status") == "solved" or rng.random() >= REVIEW_SHARE:
            continue
        cause = rng.choice(sorted(ROOT_CAUSE_NOTES))
        state.simulate_agent_update(task["id"], {
            "comment": {"public": False, "body": f"Reviewed: {ROOT_CAUSE_NOTES[cause]}"},
            "additional_tags": [f"feedback_root_cause_{cause}"], "status": "solved"})
        done += 1
    return done


def scanner_first(session: requests.Session, links: dict[int, str], rng: random.Random) -> bool:
    """Sometimes a mail scanner opens every survey link before the person (answers.py keeps it out)."""
    if not links or rng.random() >= SCANNER_SHARE:
        return False
    for link in links.values():
        session.get(link, headers={"User-Agent": SCANNER_AGENT}, timeout=10)
    return True


def page_link(state: Any, ticket_id: int) -> str | None:
    """The one link of a messaging survey (no score in it: the person answers on the page)."""
    for comment in state.ticket_comments(ticket_id):
        match = PAGE_LINK.search(comment.get("body") or "")
        if match and "/s/" in match.group(0):
            return match.group(0)
    return None


def answer_on_page(session: requests.Session, link: str, score: int) -> None:
    """A messaging customer opens the page and sends a score from its form."""
    page = session.get(link, timeout=10)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    if match:
        session.post(link, data={"csrf_token": match.group(1), "score": str(score)}, timeout=10)


def next_steps(server_url: str, admin_token: str, database_url: str, secret_key: str, survey_links: list[str]) -> str:
    """What the demo prints at the end: where to look, how to log in, and commands that work as printed
    (the demo's own database and throwaway secret; the sandbox is gone after --once, so no requester
    lookup)."""
    lines = [
        "Look at it:",
        f"  dashboard   {server_url}/dashboard/   (log in with the admin token: {admin_token})",
    ]
    lines += [f"  a survey    {link.split('?')[0]}" for link in survey_links[:2]]
    env = f"FEEDBACKLOOP_DATABASE_URL={database_url}"
    export_env = f"{env} FEEDBACKLOOP_SECRET_KEY={secret_key}"
    lines += [
        "Then, in another terminal (the same database):",
        f"  {env} feedbackloop report --since 30d --by intent",
        *(f"  {export_env} feedbackloop export {kind} --out {kind}.jsonl --no-requester-lookup"
          for kind in ("eval", "sft", "dpo")),
    ]
    return "\n".join(lines)


#: History written before the live run: days back, and solved tickets per day.
HISTORY_DAYS = 75
HISTORY_PER_DAY = (4, 9)
#: Ids of history tickets: far above the sandbox's own, which count up from 1.
HISTORY_FIRST_ID = 800_000


def backfill_history(session: Any, rng: random.Random, now: Any, categories: dict[str, tuple[float, float]],
                     days: int = HISTORY_DAYS) -> int:
    """The service's last `days` days, written as the loop would have left them: solved tickets with
    their survey, most with an AI decision, some overridden or reopened, about half rated, each with
    the same daily rollups the live paths keep. These tickets exist only in our database (the sandbox
    starts empty today); the live run that follows goes through every real path. Returns the count."""
    from datetime import timedelta

    from feedbackloop.store import rollups
    from feedbackloop.store.models import AiDecision, Override, Rating, Signal, Survey

    names = list(categories)
    weights = [categories[name][0] for name in names]
    ticket_id = HISTORY_FIRST_ID
    for day in range(days, 0, -1):
        for _ in range(rng.randint(*HISTORY_PER_DAY)):
            ticket_id += 1
            category = rng.choices(names, weights)[0]
            solved = now - timedelta(days=day, minutes=rng.randrange(0, 1440))
            ai = rng.random() < AI_SHARE
            overridden = ai and rng.random() < OVERRIDE_SHARE
            resolver = "ai_overridden" if overridden else "ai" if ai else "human"
            segment = {"intent": category, "resolver": resolver}
            survey = Survey(tenant_id="default", ticket_id=ticket_id, requester_id=ticket_id, solve_key=f"history-{ticket_id}",
                            solved_at=solved, state="sent", scale="five", scheduled_for=solved, sent_at=None,
                            channel=rng.choice(("email", "web", "native_messaging")), created_at=solved,
                            updated_at=solved, **segment)
            session.add(survey)
            session.flush()
            rollups.add_solve(session, survey)
            sent = solved + timedelta(hours=1)
            rollups.add_sent(survey, sent)
            survey.sent_at, survey.expires_at = sent, sent + timedelta(days=28)
            if ai:
                session.add(AiDecision(tenant_id="default", ticket_id=ticket_id, decision_id=f"history-{ticket_id}",
                                       step="reply", intent=category, confidence=round(rng.uniform(0.55, 0.98), 2),
                                       action=ACTIONS[category], draft_reply=AGENT_REPLY, policy_refs=[],
                                       model="demo-model-1", prompt_version="v2" if day > days // 2 else "v3",
                                       created_at=solved - timedelta(minutes=30), received_at=solved - timedelta(minutes=30)))
            signals = (["override"] if overridden else []) + (["reopen"] if rng.random() < 0.06 else [])
            for kind in signals:
                at = solved + timedelta(hours=2)
                signal = Signal(tenant_id="default", ticket_id=ticket_id, type=kind, value=1.0, source="webhook",
                                dedupe_key=f"history-{kind}-{ticket_id}", details={}, occurred_at=at, created_at=at,
                                **segment)
                session.add(signal)
                session.flush()
                rollups.add_signal(session, signal)
                if kind == "override":
                    session.add(Override(tenant_id="default", ticket_id=ticket_id, source="macro", kind="override",
                                         final_action=f"escalated to the {category} team", missing=[],
                                         rationale="an exception the AI's policy did not cover", details={},
                                         dedupe_key=f"history-override-{ticket_id}", occurred_at=at, created_at=at))
            if rng.random() < 0.55:
                # people grow happier over the weeks (a better prompt), the AI less so on technical questions
                happy = categories[category][1] + 0.15 * (1 - day / days) - (0.2 if ai and category == "technical" else 0)
                score = rng.choice((4, 5)) if rng.random() < happy else rng.choice((1, 2, 3))
                rated_at = sent + timedelta(minutes=rng.randrange(5, 600))
                rating = Rating(tenant_id="default", survey_id=survey.id, ticket_id=ticket_id, score=score, scale="five",
                                source="link", version=1, written_version=1, channel=survey.channel,
                                created_at=rated_at, updated_at=rated_at, **segment)
                session.add(rating)
                session.flush()
                rollups.add_rating(session, rating)
    return ticket_id - HISTORY_FIRST_ID
