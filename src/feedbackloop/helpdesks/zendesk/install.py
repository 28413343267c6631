"""What feedbackloop needs in a Zendesk account, and how to converge the account on it.

`desired_resources` lists every object, in dependency order, as Zendesk's documented create
bodies (Webhooks, Triggers, Ticket Fields, Groups, Views and Macros APIs): a review group, four
ticket fields, two webhooks, three triggers, a view and a macro. `converge` walks that list
against a ledger of what an earlier run made (kind, our key, Zendesk id, checksum of the body
sent) and, per object:

* no ledger entry: adopt an object with exactly our title (a run whose ledger was lost, or one the
  app package created) and bring it up to date, else create it;
* a ledger entry whose object is gone: create it again;
* a changed body (checksum differs: a setting such as the public URL changed) or a changed object
  (deactivated, retitled, repointed in Zendesk): update it in place, same id;
* otherwise keep it, with no write at all.

Each body that names another object (a trigger's webhook, the macro's field) is built from the ids
resolved so far, so a recreated webhook also updates the triggers that call it. `dry_run` walks
the same path without writing: objects it would create get placeholder ids.

Loops. Zendesk re-runs every trigger on every ticket update, our own included (zendesk-notes trap
9), and its conditions have no "tag starting with csat_/feedback_". So each trigger fires only on
a change our updates never make: a status change (we never set a status) or the `ai_override`
command tag (we never add it; the trigger that reacts to it removes it and adds
`feedback_overridden`, so it fires once per override, not on every later update). All three also
skip tickets tagged `feedback_review` (our review tasks) or `csat_skip` (opted out).

Nothing here touches the database: `feedbackloop.commands.install` keeps the ledger and the secrets.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import quote

from feedbackloop.core import errors
from feedbackloop.helpdesks.zendesk.events import SUPPORTED_EVENTS, trigger_body

WEBHOOK_PATH = "/webhooks/zendesk"
CONDITIONAL_SUBSCRIPTION = "conditional_ticket_events"
OVERRIDE_TAG = "ai_override"
OVERRIDDEN_TAG = "feedback_overridden"
REVIEW_TAG = "feedback_review"
#: Tickets that never start a survey or a signal: our review tasks, and an admin's opt-out.
GUARD_TAGS = ("feedback_review", "csat_skip")

#: Review root causes (the contract's names) and their labels; the option's tag is prefixed.
ROOT_CAUSES = (
    ("kb_gap", "Knowledge base gap"),
    ("wrong_intent", "Wrong intent"),
    ("tone", "Tone"),
    ("policy_violation", "Policy violation"),
    ("action_error", "Action error"),
    ("not_ai", "Not caused by the AI"),
    ("no_issue", "No issue"),
)
ROOT_CAUSE_TAG = "feedback_root_cause_{}"
#: Why an agent overrode the AI; the macro preselects "other" for the agent to refine.
OVERRIDE_REASONS = (
    ("wrong_decision", "The AI's decision was wrong"),
    ("missing_context", "The AI lacked context"),
    ("policy_exception", "Policy exception"),
    ("customer_request", "The customer asked for a person"),
    ("tone", "Tone or wording"),
    ("other", "Other"),
)
OVERRIDE_REASON_TAG = "override_reason_{}"
MACRO_DEFAULT_REASON = "other"
#: The note the macro opens; the override capture reads these labelled lines back.
MACRO_NOTE = "Override AI decision\nFinal action: \nRationale: \nPolicy clause: "

#: Objects are made in this order (a trigger needs its webhook, the macro its field) and removed
#: in the reverse one.
KIND_ORDER = ("group", "ticket_field", "webhook", "trigger", "view", "macro")
#: The property that holds an object's title, for adoption and display.
TITLE_FIELDS = {"group": "name", "webhook": "name"}
#: Properties compared with Zendesk's copy to notice changes made there.
DRIFT_FIELDS: Mapping[str, tuple[str, ...]] = {
    "group": ("name",),
    "ticket_field": ("title", "type", "active"),
    "webhook": ("name", "endpoint", "status", "http_method", "request_format", "subscriptions"),
    "trigger": ("title", "active"),
    "view": ("title", "active"),
    "macro": ("title", "active"),
}
#: Newest invocations looked at by the delivery check.
RECENT_INVOCATIONS = 20

Payload = dict[str, Any]
#: "kind:key" → the Zendesk id resolved so far (or a placeholder in a dry run).
Resolved = Mapping[str, str]


class AdminClient(Protocol):
    """The Zendesk calls install and doctor make (ZendeskClient implements them)."""

    def get_me(self) -> Mapping[str, Any]: ...

    def list_records(self, kind: str) -> list[Mapping[str, Any]]: ...

    def get_record(self, kind: str, record_id: str | int) -> Mapping[str, Any] | None: ...

    def create_record(self, kind: str, fields: Mapping[str, Any]) -> Mapping[str, Any]: ...

    def update_record(self, kind: str, record_id: str | int, fields: Mapping[str, Any]) -> None: ...

    def delete_record(self, kind: str, record_id: str | int) -> bool: ...

    def webhook_signing_secret(self, webhook_id: str) -> str: ...

    def webhook_invocations(self, webhook_id: str) -> list[Mapping[str, Any]]: ...


@dataclass(frozen=True)
class Target:
    """What the installed objects depend on: the public URL, the tenant (None: the default one),
    and the tag that marks an AI override (FEEDBACKLOOP's `override_tag` setting)."""

    public_url: str
    tenant_id: str | None = None
    override_tag: str = OVERRIDE_TAG
    survey_source: str = "feedbackloop"  # zendesk | both: also the satisfaction trigger (issue 23)

    @property
    def webhook_url(self) -> str:
        """``<public_url>/webhooks/zendesk[/<tenant>]``: the receiver's route for this tenant."""
        url = self.public_url.rstrip("/") + WEBHOOK_PATH
        return url if self.tenant_id is None else f"{url}/{quote(self.tenant_id, safe='')}"


@dataclass(frozen=True)
class Desired:
    """One object feedbackloop needs: its kind, our key for it, its title, and its body."""

    kind: str
    key: str
    title: str
    build: Callable[[Resolved], Payload]

    @property
    def ref(self) -> str:
        """How other bodies name this object's id ("webhook:triggers")."""
        return f"{self.kind}:{self.key}"


@dataclass(frozen=True)
class Installed:
    """A ledger entry: an object an earlier run created or adopted."""

    kind: str
    key: str
    remote_id: str
    checksum: str


@dataclass(frozen=True)
class Outcome:
    """What one run did (or, in a dry run, would do) to one object."""

    action: str  # create | update | keep | delete | gone
    kind: str
    key: str
    title: str
    remote_id: str | None = None
    checksum: str | None = None
    secret: str | None = None
    note: str = ""

    @property
    def writes(self) -> bool:
        """Whether this outcome changes Zendesk."""
        return self.action in ("create", "update", "delete")


@dataclass(frozen=True)
class Check:
    """One doctor finding; a `problem` makes doctor exit non-zero, a `warning` does not."""

    name: str
    status: str  # ok | problem | warning | skipped
    detail: str
    fix: str = ""


# --- the bodies ---------------------------------------------------------------------------------


def checksum_of(payload: Mapping[str, Any]) -> str:
    """sha256 of the canonical JSON of a body: equal bodies, equal checksums."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def guard_condition() -> Payload:
    """"Tags contain none of" our review-task and opt-out tags (a space-separated list)."""
    return {"field": "current_tags", "operator": "not_includes", "value": " ".join(GUARD_TAGS)}


def webhook_action(webhook_id: str, body: str) -> Payload:
    """A trigger action that sends `body` through a trigger-connected webhook [doc, notes §3e]."""
    return {"field": "notification_webhook", "value": [webhook_id, body]}


def options(pairs: Sequence[tuple[str, str]], tag: str) -> list[Payload]:
    """Dropdown options; each option's value is the tag Zendesk sets on the ticket."""
    return [{"name": label, "value": tag.format(name)} for name, label in pairs]


def group_body(resolved: Resolved) -> Payload:
    """The review group review tasks are assigned to."""
    return {"name": "AI feedback reviews",
            "description": "Review tasks feedbackloop opens for low ratings, early reopens and AI overrides."}


def csat_field_body(resolved: Resolved) -> Payload:
    """The customer's last rating, written back by feedbackloop."""
    return {"type": "integer", "title": "CSAT score", "active": True,
            "description": "The customer's latest feedbackloop rating (1-5; 1 or 5 for thumbs)."}


def root_cause_field_body(resolved: Resolved) -> Payload:
    """What a reviewer found went wrong (set on review tasks)."""
    return {"type": "tagger", "title": "Review root cause", "active": True,
            "description": "Set by the reviewer on a feedback review task.",
            "custom_field_options": options(ROOT_CAUSES, ROOT_CAUSE_TAG)}


def override_reason_field_body(resolved: Resolved) -> Payload:
    """Why an agent overrode the AI (the macro sets it)."""
    return {"type": "tagger", "title": "AI override reason", "active": True,
            "description": "Why the agent overrode the AI's decision on this ticket.",
            "custom_field_options": options(OVERRIDE_REASONS, OVERRIDE_REASON_TAG)}


def source_ticket_field_body(resolved: Resolved) -> Payload:
    """The ticket a review task is about (Zendesk has no generic ticket link, notes trap 23)."""
    return {"type": "integer", "title": "Source ticket", "active": True,
            "description": "On a feedback review task: the id of the ticket under review."}


def events_webhook_body(target: Target) -> Payload:
    """The event-subscribed webhook: Zendesk's own ticket events, POST + json (notes §3a)."""
    return {"name": "feedbackloop: ticket events", "status": "active", "endpoint": target.webhook_url,
            "http_method": "POST", "request_format": "json", "subscriptions": sorted(SUPPORTED_EVENTS),
            "description": "Ticket status changes, comments and tags for feedbackloop's survey loop."}


def trigger_webhook_body(target: Target) -> Payload:
    """The trigger-connected webhook: carries the bodies our triggers compose (notes §3e)."""
    return {"name": "feedbackloop: trigger notifications", "status": "active", "endpoint": target.webhook_url,
            "http_method": "POST", "request_format": "json", "subscriptions": [CONDITIONAL_SUBSCRIPTION],
            "description": "Solved, reopened and AI-override notifications from feedbackloop's triggers."}


def solved_trigger_body(resolved: Resolved) -> Payload:
    """Status changed to solved."""
    return {"title": "feedbackloop: ticket solved", "active": True,
            "description": "Tells feedbackloop a ticket was solved, so it can schedule the survey.",
            "all": [{"field": "status", "operator": "value", "value": "solved"}, guard_condition()],
            "any": [],
            "actions": [webhook_action(resolved["webhook:triggers"], trigger_body("status_changed", status="solved"))]}


def reopened_trigger_body(resolved: Resolved) -> Payload:
    """Status changed from solved to anything but closed (closing is the automation's, not a reopen)."""
    return {"title": "feedbackloop: ticket reopened", "active": True,
            "description": "Tells feedbackloop a solved ticket was reopened (a failed-resolution signal).",
            "all": [{"field": "status", "operator": "value_previous", "value": "solved"},
                    {"field": "status", "operator": "not_value", "value": "closed"}, guard_condition()],
            "any": [],
            "actions": [webhook_action(resolved["webhook:triggers"],
                                       trigger_body("status_changed", previous_status="solved"))]}


def override_trigger_body(resolved: Resolved, tag: str = OVERRIDE_TAG) -> Payload:
    """The override tag is on the ticket: notify, then consume the tag (fires once per override)."""
    return {"title": "feedbackloop: AI decision overridden", "active": True,
            "description": "Tells feedbackloop an agent overrode the AI (the 'Override AI decision' macro).",
            "all": [{"field": "current_tags", "operator": "includes", "value": tag},
                    {"field": "current_tags", "operator": "not_includes", "value": REVIEW_TAG}],
            "any": [],
            "actions": [webhook_action(resolved["webhook:triggers"],
                                       trigger_body("tag_added", added_tags=[tag])),
                        {"field": "remove_tags", "value": tag},
                        {"field": "current_tags", "value": OVERRIDDEN_TAG}]}


def satisfaction_trigger_body(resolved: Resolved) -> Payload:
    """Zendesk's own satisfaction rating changed (offered, good, bad, a new comment): tell feedbackloop,
    which reads the rating through the API (Conditions reference: `satisfaction_score`, `changed`).
    Our own updates never change a native rating, so this cannot loop."""
    return {"title": "feedbackloop: satisfaction rated", "active": True,
            "description": "Tells feedbackloop that Zendesk's own CSAT rating of a ticket changed.",
            "all": [{"field": "satisfaction_score", "operator": "changed"}, guard_condition()],
            "any": [],
            "actions": [webhook_action(resolved["webhook:triggers"], trigger_body("satisfaction_changed"))]}


def review_view_body(resolved: Resolved) -> Payload:
    """Unsolved review tasks, soonest due first."""
    return {"title": "Feedback reviews", "active": True,
            "description": "Open feedback review tasks, soonest due first.",
            "all": [{"field": "status", "operator": "less_than", "value": "solved"},
                    {"field": "current_tags", "operator": "includes", "value": REVIEW_TAG}],
            "any": [],
            "output": {"columns": ["status", "description", "assignee", "due_date", "created"],
                       "sort_by": "due_date", "sort_order": "asc"}}


def override_macro_body(resolved: Resolved, tag: str = OVERRIDE_TAG) -> Payload:
    """Tag the ticket, preset the reason (the agent refines it) and open a private note to fill in."""
    reason_field = resolved["ticket_field:override_reason"]
    return {"title": "Override AI decision", "active": True,
            "description": "Record that you overrode the AI's decision on this ticket, and why.",
            "actions": [{"field": "current_tags", "value": tag},
                        {"field": f"custom_fields_{reason_field}",
                         "value": OVERRIDE_REASON_TAG.format(MACRO_DEFAULT_REASON)},
                        {"field": "comment_mode_is_public", "value": "false"},
                        {"field": "comment_value", "value": MACRO_NOTE}]}


def desired_resources(target: Target) -> list[Desired]:
    """Everything feedbackloop needs in the account, in the order it must be made."""
    wanted = [
        Desired("group", "review", "AI feedback reviews", group_body),
        Desired("ticket_field", "csat_score", "CSAT score", csat_field_body),
        Desired("ticket_field", "root_cause", "Review root cause", root_cause_field_body),
        Desired("ticket_field", "override_reason", "AI override reason", override_reason_field_body),
        Desired("ticket_field", "source_ticket", "Source ticket", source_ticket_field_body),
        Desired("webhook", "events", "feedbackloop: ticket events", lambda _: events_webhook_body(target)),
        Desired("webhook", "triggers", "feedbackloop: trigger notifications", lambda _: trigger_webhook_body(target)),
        Desired("trigger", "solved", "feedbackloop: ticket solved", solved_trigger_body),
        Desired("trigger", "reopened", "feedbackloop: ticket reopened", reopened_trigger_body),
        Desired("trigger", "override", "feedbackloop: AI decision overridden",
                lambda resolved: override_trigger_body(resolved, target.override_tag)),
        *([Desired("trigger", "satisfaction", "feedbackloop: satisfaction rated", satisfaction_trigger_body)]
          if target.survey_source in ("zendesk", "both") else []),
        Desired("view", "reviews", "Feedback reviews", review_view_body),
        Desired("macro", "override", "Override AI decision",
                lambda resolved: override_macro_body(resolved, target.override_tag)),
    ]
    return wanted


# --- converge: install ---------------------------------------------------------------------------


def title_of(kind: str, record: Mapping[str, Any]) -> str | None:
    """An object's title ("name" for groups and webhooks)."""
    value = record.get(TITLE_FIELDS.get(kind, "title"))
    return value if isinstance(value, str) else None


def webhook_targets(record: Mapping[str, Any]) -> list[str]:
    """The webhook ids a trigger's actions send to."""
    actions = record.get("actions") or []
    return [str(a["value"][0]) for a in actions if isinstance(a, Mapping) and a.get("field") == "notification_webhook"
            and isinstance(a.get("value"), list) and a["value"]]


def drift(kind: str, remote: Mapping[str, Any], body: Mapping[str, Any]) -> list[str]:
    """The properties whose value in Zendesk is not the one we set."""
    changed = [name for name in DRIFT_FIELDS[kind] if name in body and remote.get(name) != body[name]]
    if kind == "trigger" and webhook_targets(remote) != webhook_targets(body):
        changed.append("webhook")
    return changed


@dataclass
class Listings:
    """Each collection listed at most once per run, for adoption by title."""

    client: AdminClient
    cache: dict[str, list[Mapping[str, Any]]] = field(default_factory=dict)

    def find(self, kind: str, title: str) -> Mapping[str, Any] | None:
        """The one object of `kind` titled `title`; None when there is none, or several."""
        if kind not in self.cache:
            self.cache[kind] = self.client.list_records(kind)
        matches = [r for r in self.cache[kind] if title_of(kind, r) == title]
        return matches[0] if len(matches) == 1 else None


def converge(client: AdminClient, target: Target, ledger: Sequence[Installed], *, dry_run: bool = False,
             observe: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Bring the account in line with `desired_resources`; one Outcome per object, in order.

    `observe` sees each outcome as soon as it happened, so the caller can record a created object
    before the next call can fail.
    """
    known = {(entry.kind, entry.key): entry for entry in ledger}
    listings = Listings(client)
    resolved: dict[str, str] = {}
    outcomes = []
    for want in desired_resources(target):
        outcome = converge_one(client, want, known.get((want.kind, want.key)), resolved, listings, dry_run)
        resolved[want.ref] = outcome.remote_id or f"<new {want.kind} {want.key}>"
        outcomes.append(outcome)
        if observe is not None:
            observe(outcome)
    return outcomes


def converge_one(client: AdminClient, want: Desired, entry: Installed | None, resolved: Resolved,
                 listings: Listings, dry_run: bool) -> Outcome:
    """Create, update or keep one object (see the module docstring)."""
    body = want.build(resolved)
    checksum = checksum_of(body)
    remote, note = find_remote(client, want, entry, listings)
    if remote is None:
        return create(client, want, body, checksum, note, dry_run)
    remote_id = str(remote["id"])
    changed = drift(want.kind, remote, body)
    if entry is None or entry.remote_id != remote_id or entry.checksum != checksum or changed:
        if not dry_run:
            client.update_record(want.kind, remote_id, body)
        outcome = Outcome("update", want.kind, want.key, want.title, remote_id, checksum,
                          note=note or update_reason(entry, checksum, changed))
        return with_secret(client, want, outcome, dry_run)
    return with_secret(client, want, Outcome("keep", want.kind, want.key, want.title, remote_id, checksum), dry_run)


def find_remote(client: AdminClient, want: Desired, entry: Installed | None,
                listings: Listings) -> tuple[Mapping[str, Any] | None, str]:
    """Our object in Zendesk (by the ledger's id, else adopted by title), and how it was found."""
    if entry is not None:
        remote = client.get_record(want.kind, entry.remote_id)
        if remote is not None:
            return remote, ""
    adopted = listings.find(want.kind, want.title)
    if adopted is not None:
        return adopted, "adopted the existing one with this title"
    return None, "" if entry is None else "was deleted in Zendesk"


def update_reason(entry: Installed | None, checksum: str, changed: Sequence[str]) -> str:
    """Why an object is updated: our body changed (a setting), or someone changed it in Zendesk."""
    if entry is not None and entry.checksum != checksum:
        return "settings changed"
    return f"changed in Zendesk: {', '.join(changed)}" if changed else "recorded under another id"


def create(client: AdminClient, want: Desired, body: Payload, checksum: str, note: str, dry_run: bool) -> Outcome:
    """POST a new object (nothing in a dry run)."""
    if dry_run:
        return Outcome("create", want.kind, want.key, want.title, None, checksum, note=note)
    made = client.create_record(want.kind, body)
    if made.get("id") is None:
        raise errors.Permanent(f"Zendesk created the {want.kind} {want.title!r} but sent no id", code="bad_response")
    outcome = Outcome("create", want.kind, want.key, want.title, str(made["id"]), checksum, note=note)
    return with_secret(client, want, outcome, dry_run)


def with_secret(client: AdminClient, want: Desired, outcome: Outcome, dry_run: bool) -> Outcome:
    """A webhook's outcome carries its current signing secret (a read; Zendesk may have reset it)."""
    if want.kind != "webhook" or dry_run or outcome.remote_id is None:
        return outcome
    secret = client.webhook_signing_secret(outcome.remote_id)
    return Outcome(outcome.action, outcome.kind, outcome.key, outcome.title, outcome.remote_id,
                   outcome.checksum, secret, outcome.note)


# --- uninstall -----------------------------------------------------------------------------------


def removal_order(ledger: Sequence[Installed]) -> list[Installed]:
    """Dependents first: macros and triggers before the fields and webhooks they name."""
    rank = {kind: index for index, kind in enumerate(KIND_ORDER)}
    return sorted(ledger, key=lambda e: (-rank.get(e.kind, len(KIND_ORDER)), e.key))


def titles_by_key(target: Target) -> dict[tuple[str, str], str]:
    """Our titles, for display."""
    return {(w.kind, w.key): w.title for w in desired_resources(target)}


def remove(client: AdminClient, target: Target, ledger: Sequence[Installed], *, dry_run: bool = False,
           observe: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Delete exactly the ledger's objects; one already gone is reported, not an error."""
    titles = titles_by_key(target)
    outcomes = []
    for entry in removal_order(ledger):
        title = titles.get((entry.kind, entry.key), entry.key)
        if dry_run:
            present = client.get_record(entry.kind, entry.remote_id) is not None
        else:
            present = client.delete_record(entry.kind, entry.remote_id)
        action, note = ("delete", "") if present else ("gone", "already deleted in Zendesk")
        outcome = Outcome(action, entry.kind, entry.key, title, entry.remote_id, entry.checksum, note=note)
        outcomes.append(outcome)
        if observe is not None:
            observe(outcome)
    return outcomes


# --- what needs an admin -------------------------------------------------------------------------

INSTALL_FIX = "run `feedbackloop install`"
#: What these credentials must be allowed, and why: Zendesk's "Allowed for" of each endpoint we use.
ADMIN_NEEDED = (
    "feedbackloop needs an admin's API token: install and uninstall create and delete webhooks, triggers, "
    "ticket fields, a group, a view and a macro (Zendesk allows those to admins only), and reconciliation "
    "reads the incremental ticket export (allowed for admins only), which is how feedbackloop recovers the "
    "webhooks Zendesk loses. With an agent's token surveys and write-backs still work (agents may update "
    "tickets), but install refuses to run and reconciliation stays disabled."
)
ADMIN_FIX = ("set ZENDESK_EMAIL and ZENDESK_API_TOKEN to an admin's email and API token (Admin Center > Apps and "
             "integrations > APIs > Zendesk API), or for a tenant `feedbackloop tenant rotate-secret <id> --api-token`")


def who_is(me: Mapping[str, Any]) -> str:
    """"bot@acme.com (agent)"."""
    return f"{me.get('email') or me.get('name') or me.get('id')} ({me.get('role') or 'unknown role'})"


def require_admin(client: AdminClient) -> Mapping[str, Any]:
    """The credentials' user, if an admin's; otherwise Permanent("forbidden") saying what is needed and why."""
    me = client.get_me()
    if me.get("role") != "admin":
        raise errors.Permanent(f"these Zendesk credentials are {who_is(me)}. {ADMIN_NEEDED} Fix: {ADMIN_FIX}.",
                               code="forbidden")
    return me


# --- doctor --------------------------------------------------------------------------------------


def check_credentials(client: AdminClient) -> Check:
    """GET /users/me: the token works, and belongs to an admin (install and reconciliation need one)."""
    return credential_checks(client)[0]


def credential_checks(client: AdminClient) -> list[Check]:
    """The credentials, and what their role allows: install, and reconciliation of lost webhooks."""
    try:
        me = client.get_me()
    except errors.Permanent as exc:
        return [Check("credentials", "problem", f"Zendesk refused the API credentials: {exc.reason}",
                      "check ZENDESK_SUBDOMAIN, ZENDESK_EMAIL and ZENDESK_API_TOKEN (Admin Center > Apps and "
                      "integrations > Zendesk API; token access must be enabled)")]
    except errors.Retryable as exc:
        return [Check("credentials", "problem", f"Zendesk could not be reached: {exc.reason}",
                      "check ZENDESK_SUBDOMAIN / ZENDESK_API_URL and the network, then run doctor again")]
    if me.get("role") != "admin":
        return [Check("credentials", "warning", f"authenticated as {who_is(me)}, not an admin. {ADMIN_NEEDED}",
                      ADMIN_FIX),
                Check("reconciliation", "warning",
                      "disabled: Zendesk's incremental ticket export is allowed for admins only, so webhooks "
                      "Zendesk loses (it drops some by design) are never recovered: their surveys and reopen "
                      "signals are missed", ADMIN_FIX)]
    return [Check("credentials", "ok", f"authenticated as {who_is(me)}"),
            Check("reconciliation", "ok", "the incremental ticket export is readable (an admin's token)")]


def check_object(client: AdminClient, want: Desired, entry: Installed | None,
                 resolved: Resolved) -> tuple[Check, Mapping[str, Any] | None]:
    """One object: installed, still in Zendesk, active, pointing where it should, as install left it."""
    name = f"{want.kind} {want.title!r}"
    if entry is None:
        return Check(name, "problem", "not installed", INSTALL_FIX), None
    remote = client.get_record(want.kind, entry.remote_id)
    if remote is None:
        return Check(name, "problem", f"id {entry.remote_id} was deleted in Zendesk",
                     f"{INSTALL_FIX} (it creates it again)"), None
    body = want.build(resolved)
    specific = check_state(want, remote, body)
    if specific is not None:
        return specific, remote
    changed = drift(want.kind, remote, body)
    if changed or entry.checksum != checksum_of(body):
        what = ", ".join(changed) if changed else "the settings it was installed with"
        return Check(name, "problem", f"differs from what install sets ({what})",
                     f"{INSTALL_FIX} (it updates it in place)"), remote
    return Check(name, "ok", f"present (id {entry.remote_id})"), remote


def check_state(want: Desired, remote: Mapping[str, Any], body: Mapping[str, Any]) -> Check | None:
    """The failures that stop deliveries, each with its own fix; None when there is none of them."""
    name = f"{want.kind} {want.title!r}"
    if want.kind == "webhook" and remote.get("status") != "active":
        return Check(name, "problem", f"is {remote.get('status')}: Zendesk sends nothing through it",
                     f"{INSTALL_FIX} (it reactivates it), or Admin Center > Apps and integrations > Webhooks > "
                     f"{want.title} > Activate")
    if want.kind == "webhook" and remote.get("endpoint") != body["endpoint"]:
        return Check(name, "problem", f"delivers to {remote.get('endpoint')}, not {body['endpoint']}",
                     f"{INSTALL_FIX} (it points it at FEEDBACKLOOP_PUBLIC_URL)")
    if want.kind == "trigger" and remote.get("active") is not True:
        return Check(name, "problem", "is inactive: the event it reports is never sent",
                     f"{INSTALL_FIX}, or Admin Center > Objects and rules > Triggers > {want.title} > Activate")
    if want.kind == "trigger" and webhook_targets(remote) != webhook_targets(body):
        return Check(name, "problem", "does not notify feedbackloop's trigger webhook", INSTALL_FIX)
    return None


def check_objects(client: AdminClient, target: Target,
                  ledger: Sequence[Installed]) -> tuple[list[Check], dict[str, Mapping[str, Any]]]:
    """Every object install manages; also the webhooks found, by key, for the next checks."""
    known = {(entry.kind, entry.key): entry for entry in ledger}
    resolved = {w.ref: known[(w.kind, w.key)].remote_id if (w.kind, w.key) in known else f"<missing {w.ref}>"
                for w in desired_resources(target)}
    checks, webhooks = [], {}
    for want in desired_resources(target):
        check, remote = check_object(client, want, known.get((want.kind, want.key)), resolved)
        checks.append(check)
        if want.kind == "webhook" and remote is not None:
            webhooks[want.key] = remote
    return checks, webhooks


def describe_failures(invocations: Sequence[Mapping[str, Any]]) -> str:
    """"3 of the last 20 failed (401 x2, no answer x1)"."""
    failed = [i for i in invocations if i.get("status") != "success"]
    counts: dict[str, int] = {}
    for item in failed:
        code = item.get("status_code")
        label = str(code) if code is not None else str(item.get("status") or "no answer")
        counts[label] = counts.get(label, 0) + 1
    summary = ", ".join(f"{label} x{n}" for label, n in sorted(counts.items()))
    return f"{len(failed)} of the last {len(invocations)} failed ({summary})"


def delivery_fix(invocations: Sequence[Mapping[str, Any]]) -> str:
    """The likely fix for the newest failure's status code."""
    code = invocations[0].get("status_code")
    if code in (401, 403):
        return ("feedbackloop refused the signature, so the secret it has is not this webhook's: run "
                "`feedbackloop install` (it stores the current signing secret; running services pick it up within "
                "30 s); see the signing-secret checks below")
    if code == 404:
        return "the endpoint path is wrong: check FEEDBACKLOOP_PUBLIC_URL, then " + INSTALL_FIX
    if isinstance(code, int) and code >= 500:
        return ("feedbackloop answered with a server error: open FEEDBACKLOOP_PUBLIC_URL/healthz and read the "
                "service's log lines around the failed deliveries")
    return "Zendesk could not reach FEEDBACKLOOP_PUBLIC_URL: make it reachable from the internet over https"


def check_deliveries(client: AdminClient, webhook: Mapping[str, Any]) -> Check:
    """The webhook's newest invocations: did Zendesk reach us, and did we accept them?"""
    name = f"deliveries of {webhook.get('name')!r}"
    try:
        invocations = client.webhook_invocations(str(webhook["id"]))[:RECENT_INVOCATIONS]
    except errors.HelpdeskError as exc:
        return Check(name, "skipped", f"Zendesk did not list invocations: {exc.reason}")
    if not invocations:
        return Check(name, "ok", "no deliveries yet")
    if invocations[0].get("status") == "success":
        failed = sum(1 for i in invocations if i.get("status") != "success")
        detail = "latest delivery succeeded" + (f"; {describe_failures(invocations)}" if failed else "")
        return Check(name, "ok", detail)
    return Check(name, "problem", f"latest delivery failed; {describe_failures(invocations)}",
                 delivery_fix(invocations))


def check_secret(client: AdminClient, webhook: Mapping[str, Any], stored: str | None) -> tuple[Check, str]:
    """The signing secret we keep for a webhook is the one Zendesk signs with; returns the live one."""
    name = f"signing secret of {webhook.get('name')!r}"
    live = client.webhook_signing_secret(str(webhook["id"]))
    if stored is None:
        return Check(name, "problem", "feedbackloop has no stored copy of it",
                     f"{INSTALL_FIX} (it reads the secret and stores it)"), live
    if stored != live:
        return Check(name, "problem", "the stored secret is not the one Zendesk signs with (was it reset?)",
                     f"{INSTALL_FIX} (it stores the current secret)"), live
    return Check(name, "ok", "matches the stored copy"), live


def check_configured_secret(configured: str | None, live: Mapping[str, str]) -> Check:
    """What ZENDESK_WEBHOOK_SECRET is for, given the installed webhooks (each verified with its own secret)."""
    name = "ZENDESK_WEBHOOK_SECRET"
    if not live:
        return Check(name, "skipped", "no installed webhook to compare with")
    if not configured:
        return Check(name, "ok", "not set, and not needed: deliveries from the installed webhooks are checked "
                                 "with the secrets `feedbackloop install` stored")
    matching = sorted(key for key, secret in live.items() if secret == configured)
    if len(matching) == len(live):
        return Check(name, "ok", "is the signing secret of every installed webhook")
    others = ", ".join(sorted(set(live) - set(matching)))
    return Check(name, "warning",
                 f"is not the signing secret of the installed {others} webhook(s); their deliveries are checked "
                 "with the secrets `feedbackloop install` stored, so this setting only serves a webhook made by hand",
                 "if you made no webhook by hand, delete ZENDESK_WEBHOOK_SECRET from .env; otherwise set it to that "
                 "webhook's secret (Admin Center > Apps and integrations > Webhooks > your webhook > Reveal secret)")


def diagnose(client: AdminClient, target: Target, ledger: Sequence[Installed],
             stored_secrets: Mapping[str, str], configured_secret: str | None) -> list[Check]:
    """Every doctor check that needs Zendesk, in the order a person would look."""
    credentials = credential_checks(client)
    if credentials[0].status == "problem":
        return credentials
    checks, webhooks = check_objects(client, target, ledger)
    checks[0:0] = credentials
    checks.extend(check_deliveries(client, webhook) for webhook in webhooks.values())
    live: dict[str, str] = {}
    for key, webhook in webhooks.items():
        check, live[key] = check_secret(client, webhook, stored_secrets.get(key))
        checks.append(check)
    checks.append(check_configured_secret(configured_secret, live))
    return checks
