"""The demo's AI agent, its corrections and its audience: what `feedbackloop demo` adds to the loop so
the dashboard has an AI to compare with people (issue "what people see", section 4).

Kept apart from demo.py (its runner and database wiring change elsewhere); demo.py calls these at a
few points. Nothing is written to our database directly: the AI logs its decisions through the
decisions API, agents override through Zendesk (the override tag and an internal note, as the macro
does), mail scanners and people fetch survey links over HTTP.
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
