"""Zendesk's own satisfaction ratings (legacy CSAT) in the sandbox, and the triggers that fire on them.

What is copied from Zendesk (docs/zendesk-csat.md has the sources):

* a rating's JSON (Satisfaction Ratings API): id, url, assignee_id, group_id, requester_id, ticket_id,
  score (offered | unoffered | good | bad), comment, reason and reason_id (only with bad; a rating
  is *set* with reason_code, which "responses don't include"), created_at, updated_at; a ticket
  carries `satisfaction_rating` {score, id, comment, reason, reason_id} (the shape of the example in
  Zendesk's "Getting the CSAT ratings of tickets");
* only the requester rates, only a solved (or closed) ticket, only good or bad; a reason only with bad;
* `GET /api/v2/satisfaction_ratings`: `score` filter (good, bad, offered, unoffered, received = good
  or bad), `start_time`/`end_time` in Unix seconds, cursor (`page[size]`) or offset pagination.
  Zendesk's docs do not say which time the window filters on; the sandbox uses `created_at` (the
  stricter reading: a rating answered long after it was offered stays in the offer's window);
* a trigger whose conditions name `satisfaction_score` runs when a rating changes, and its
  `notification_webhook` action posts the body with placeholders rendered as text (no escaping, as
  in Zendesk: a quote in a comment would break a JSON body), signed like every webhook.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

JSON = dict[str, Any]

SCORES = ("offered", "unoffered", "good", "bad")
#: Zendesk's default reasons for a bad rating (reason_code → reason).
REASONS = {0: "No reason provided", 5: "The issue took too long to resolve", 6: "The issue was not resolved",
           7: "The agent's knowledge is unsatisfactory", 8: "The agent's attitude was unsatisfactory",
           100: "Some other reason"}
#: How {{satisfaction.current_rating}} renders each score.
RATING_LABELS = {"good": "Good, I'm satisfied", "bad": "Bad, I'm unsatisfied", "offered": "Offered",
                 "unoffered": "Unoffered"}
#: {{ticket.via}} renders a label, not the API's channel.
VIA_LABELS = {"web": "Web Form", "email": "Mail", "api": "Web Service", "chat": "Chat", "voice": "Phone call (incoming)",
              "native_messaging": "Messaging"}
PLACEHOLDER = re.compile(r"\{\{\s*([a-z_.]+)\s*\}\}")


#: A reason's id (Zendesk's are account-specific ids; the sandbox makes one per reason code).
REASON_ID_BASE = 9600000000000


def rating_json(rating: Mapping[str, Any], base: str) -> JSON:
    """A rating as the Satisfaction Ratings API answers it (without reason_code: "responses don't include it")."""
    body = {key: value for key, value in rating.items() if key != "reason_code"}
    return {"url": f"{base}/api/v2/satisfaction_ratings/{rating['id']}.json", **body}


def on_ticket(rating: Mapping[str, Any]) -> JSON:
    """The copy a ticket carries in `satisfaction_rating`."""
    return {"score": rating["score"], "id": rating["id"], "comment": rating["comment"], "reason": rating["reason"],
            "reason_id": rating["reason_id"]}


def wanted(rating: Mapping[str, Any], score: str | None, start: int | None, end: int | None) -> bool:
    """Whether `rating` passes the listing's filters (times in Unix seconds, on created_at)."""
    if score == "received" and rating["score"] not in ("good", "bad"):
        return False
    if score not in (None, "", "received") and rating["score"] != score:
        return False
    created = int(datetime.fromisoformat(rating["created_at"]).timestamp())
    return (start is None or created >= start) and (end is None or created <= end)


def condition_holds(condition: Mapping[str, Any], ticket: Mapping[str, Any], score: str) -> bool:
    """One trigger condition, for the conditions a satisfaction trigger uses (others never hold)."""
    field, operator, value = condition.get("field"), condition.get("operator"), condition.get("value")
    if field == "satisfaction_score":
        return operator == "changed" or (operator in ("is", "value") and value == score) or (
            operator in ("is_not", "not_value") and value != score)
    if field == "current_tags":
        tags = set(ticket["tags"])
        words = set(str(value or "").split())
        return bool(tags & words) if operator == "includes" else not tags & words if operator == "not_includes" else False
    if field == "status":
        return (operator in ("is", "value") and ticket["status"] == value) or (
            operator in ("is_not", "not_value") and ticket["status"] != value)
    return False


def fires(trigger: Mapping[str, Any], ticket: Mapping[str, Any], score: str) -> bool:
    """An active trigger that names `satisfaction_score` and whose conditions hold."""
    conditions = trigger.get("conditions") or {}
    every, some = list(conditions.get("all") or []), list(conditions.get("any") or [])
    if not trigger.get("active") or not any(c.get("field") == "satisfaction_score" for c in every + some):
        return False
    return all(condition_holds(c, ticket, score) for c in every) and (
        not some or any(condition_holds(c, ticket, score) for c in some))


def render(body: str, ticket: Mapping[str, Any], rating: Mapping[str, Any], actor_id: int) -> str:
    """Placeholders as Zendesk renders them into a webhook body: plain text, unescaped."""
    updated = datetime.fromisoformat(ticket["updated_at"])
    status = str(ticket["status"])
    values = {
        "ticket.id": str(ticket["id"]),
        "ticket.status": "On-hold" if status == "hold" else status.capitalize(),
        "ticket.requester.id": str(ticket["requester_id"] or ""),
        "ticket.assignee.id": str(ticket["assignee_id"] or ""),
        "ticket.group.id": str(ticket["group_id"] or ""),
        "ticket.ticket_type": str(ticket["type"] or "").capitalize(),
        "ticket.via": VIA_LABELS.get(ticket["via"]["channel"], str(ticket["via"]["channel"]).title()),
        "ticket.tags": " ".join(ticket["tags"]),
        "ticket.updated_at_with_timestamp": updated.strftime("%Y-%m-%dT%H:%MZ"),
        "current_user.id": str(actor_id),
        "satisfaction.current_rating": RATING_LABELS.get(rating["score"], ""),
        "satisfaction.current_comment": rating["comment"] or "",
        "satisfaction.current_reason": rating.get("reason") or "",
    }
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1), ""), body)
