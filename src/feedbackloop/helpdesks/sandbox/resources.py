"""Admin records (groups, ticket fields, triggers, views, macros, webhooks): validate and shape.

Each ``normalise_*`` takes the stored record (None when creating), the request's object and the
time, and returns the record as Zendesk would answer it (without ``url``). A refused request
raises `Invalid(field, message)`, which the state turns into Zendesk's 422 ``RecordInvalid``
(webhooks: 400 with an ``errors`` list). These are "compact but correct-shaped": every
documented property is present, only the validation Zendesk is known to do is done.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from feedbackloop.helpdesks.sandbox.shapes import JSON

NextId = Callable[[], int]
Normaliser = Callable[[JSON | None, Mapping[str, Any], str, NextId], JSON]

FIELD_TYPES = frozenset({"text", "textarea", "checkbox", "date", "integer", "decimal", "regexp",
                         "partialcreditcard", "multiselect", "tagger", "lookup"})
OPTION_FIELD_TYPES = frozenset({"tagger", "multiselect"})
WEBHOOK_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})
WEBHOOK_FORMATS = frozenset({"json", "xml", "form_encoded"})
WEBHOOK_AUTH_TYPES = frozenset({"basic_auth", "bearer_token", "api_key"})
CONDITIONAL_SUBSCRIPTION = "conditional_ticket_events"
EVENT_PREFIX = "zen:event-type:"
#: The trigger category every trigger lands in unless told otherwise (ids are strings).
DEFAULT_TRIGGER_CATEGORY = "10000000001"


class Invalid(ValueError):
    """A request Zendesk would refuse, naming the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _text(data: Mapping[str, Any], existing: JSON | None, key: str, *, required: bool = False) -> Any:
    """A string property: the new value, else the stored one; required ones cannot end up blank."""
    value = data.get(key, existing.get(key) if existing else None)
    if required and (not isinstance(value, str) or not value.strip()):
        raise Invalid(key, f"{key.capitalize()}: cannot be blank")
    if value is not None and not isinstance(value, str):
        raise Invalid(key, f"{key.capitalize()}: must be a string")
    return value


def _flag(data: Mapping[str, Any], existing: JSON | None, key: str, default: bool) -> bool:
    value = data.get(key, existing.get(key, default) if existing else default)
    if not isinstance(value, bool):
        raise Invalid(key, f"{key}: must be true or false")
    return value


def _common(existing: JSON | None, data: Mapping[str, Any], now: str, next_id: NextId) -> JSON:
    """id and timestamps: kept on update, made on create."""
    return {
        "id": existing["id"] if existing else next_id(),
        "created_at": existing["created_at"] if existing else now,
        "updated_at": now,
    }


def normalise_group(existing: JSON | None, data: Mapping[str, Any], now: str, next_id: NextId) -> JSON:
    """A group: ``name`` is required."""
    return {
        **_common(existing, data, now, next_id),
        "name": _text(data, existing, "name", required=True),
        "description": _text(data, existing, "description") or "",
        "default": _flag(data, existing, "default", False),
        "deleted": False,
        "is_public": _flag(data, existing, "is_public", True),
    }


def _options(data: Mapping[str, Any], existing: JSON | None, field_type: str, next_id: NextId) -> list[JSON] | None:
    """Dropdown options: each needs a name and a value; the value is the tag the option sets."""
    if field_type not in OPTION_FIELD_TYPES:
        return None
    raw = data.get("custom_field_options", existing.get("custom_field_options") if existing else None)
    if not isinstance(raw, list) or not raw:
        raise Invalid("custom_field_options", "Field options: must have at least one option")
    known = {o.get("value"): o for o in (existing or {}).get("custom_field_options") or []}
    options = []
    for option in raw:
        if not isinstance(option, Mapping) or not option.get("name") or not option.get("value"):
            raise Invalid("custom_field_options", "Field options: each option needs a name and a value")
        value = str(option["value"])
        if " " in value:
            raise Invalid("custom_field_options", "Field options: a value cannot contain spaces (it becomes a tag)")
        old = known.get(value) or {}
        options.append({"id": option.get("id") or old.get("id") or next_id(), "name": str(option["name"]),
                        "raw_name": str(option["name"]), "value": value, "default": bool(option.get("default"))})
    return options


def normalise_ticket_field(existing: JSON | None, data: Mapping[str, Any], now: str, next_id: NextId) -> JSON:
    """A custom ticket field; tagger/multiselect fields carry ``custom_field_options``."""
    field_type = data.get("type", existing.get("type") if existing else None)
    if field_type not in FIELD_TYPES:
        raise Invalid("type", f"Type: {field_type!r} is not a valid field type")
    if existing and field_type != existing["type"]:
        raise Invalid("type", "Type: cannot be changed")
    title = _text(data, existing, "title", required=True)
    record = {
        **_common(existing, data, now, next_id),
        "type": field_type, "title": title, "raw_title": title,
        "description": _text(data, existing, "description") or "",
        "raw_description": _text(data, existing, "description") or "",
        "position": data.get("position", existing.get("position") if existing else 9999),
        "active": _flag(data, existing, "active", True),
        "required": _flag(data, existing, "required", False),
        "collapsed_for_agents": False,
        "regexp_for_validation": data.get("regexp_for_validation"),
        "title_in_portal": data.get("title_in_portal") or title, "raw_title_in_portal": data.get("title_in_portal") or title,
        "visible_in_portal": _flag(data, existing, "visible_in_portal", False),
        "editable_in_portal": _flag(data, existing, "editable_in_portal", False),
        "required_in_portal": _flag(data, existing, "required_in_portal", False),
        "tag": _text(data, existing, "tag") if field_type == "checkbox" else None,
        "removable": True, "key": None, "agent_description": _text(data, existing, "agent_description"),
    }
    options = _options(data, existing, field_type, next_id)
    if options is not None:
        record["custom_field_options"] = options
    return record


def _conditions(data: Mapping[str, Any], existing: JSON | None) -> JSON:
    """``all``/``any`` sent bare or under ``conditions``; answered nested under ``conditions``."""
    stored = existing.get("conditions", {"all": [], "any": []}) if existing else {"all": [], "any": []}
    nested = data.get("conditions")
    sent: Mapping[str, Any] = nested if isinstance(nested, Mapping) else data
    result = {}
    for key in ("all", "any"):
        value = sent.get(key, stored.get(key, []))
        if not isinstance(value, list) or not all(isinstance(c, Mapping) and c.get("field") for c in value):
            raise Invalid("conditions", f"Conditions: '{key}' must be a list of {{field, operator, value}}")
        result[key] = [dict(c) for c in value]
    return result


def _actions(data: Mapping[str, Any], existing: JSON | None) -> list[JSON]:
    actions = data.get("actions", existing.get("actions") if existing else None)
    if not isinstance(actions, list) or not actions:
        raise Invalid("actions", "Actions: must have at least one action")
    if not all(isinstance(a, Mapping) and a.get("field") for a in actions):
        raise Invalid("actions", "Actions: each action needs a field and a value")
    return [dict(a) for a in actions]


def normalise_trigger(existing: JSON | None, data: Mapping[str, Any], now: str, next_id: NextId) -> JSON:
    """A trigger: title, at least one condition and one action."""
    title = _text(data, existing, "title", required=True)
    conditions = _conditions(data, existing)
    if not conditions["all"] and not conditions["any"]:
        raise Invalid("conditions", "Conditions: must have at least one condition")
    return {
        **_common(existing, data, now, next_id),
        "title": title, "raw_title": title,
        "active": _flag(data, existing, "active", True),
        "position": data.get("position", existing.get("position") if existing else 0),
        "description": _text(data, existing, "description"),
        "default": False,
        "actions": _actions(data, existing),
        "conditions": conditions,
        "category_id": str(data.get("category_id") or (existing or {}).get("category_id") or DEFAULT_TRIGGER_CATEGORY),
    }


def normalise_view(existing: JSON | None, data: Mapping[str, Any], now: str, next_id: NextId) -> JSON:
    """A view: title and conditions; ``output`` (as sent) becomes ``execution`` (as answered)."""
    title = _text(data, existing, "title", required=True)
    conditions = _conditions(data, existing)
    if not conditions["all"]:
        raise Invalid("conditions", "Conditions: 'all' must have at least one condition")
    output = data.get("output") or data.get("execution") or (existing or {}).get("execution") or {}
    columns = list(output.get("columns") or ["status", "subject", "requester", "updated"])
    execution = {
        "group_by": output.get("group_by"), "group_order": output.get("group_order", "asc"),
        "sort_by": output.get("sort_by", "updated"), "sort_order": output.get("sort_order", "desc"),
        "group": None, "sort": {"id": output.get("sort_by", "updated"), "order": output.get("sort_order", "desc")},
        "columns": [c if isinstance(c, Mapping) else {"id": c, "title": str(c).capitalize(), "filterable": True,
                                                       "sortable": True} for c in columns],
        "fields": [], "custom_fields": [],
    }
    return {
        **_common(existing, data, now, next_id),
        "title": title, "raw_title": title,
        "active": _flag(data, existing, "active", True),
        "position": data.get("position", existing.get("position") if existing else 0),
        "description": _text(data, existing, "description"),
        "default": False, "restriction": data.get("restriction", (existing or {}).get("restriction")),
        "execution": execution, "conditions": conditions,
    }


def normalise_macro(existing: JSON | None, data: Mapping[str, Any], now: str, next_id: NextId) -> JSON:
    """A macro: title and at least one action."""
    title = _text(data, existing, "title", required=True)
    return {
        **_common(existing, data, now, next_id),
        "title": title, "raw_title": title,
        "active": _flag(data, existing, "active", True),
        "position": data.get("position", existing.get("position") if existing else 0),
        "description": _text(data, existing, "description"),
        "default": False, "restriction": data.get("restriction", (existing or {}).get("restriction")),
        "actions": _actions(data, existing),
    }


@dataclass(frozen=True)
class ResourceKind:
    """One admin collection: its URL name, its JSON key and how to shape a record."""

    plural: str
    singular: str
    normalise: Normaliser


RESOURCE_KINDS: Mapping[str, ResourceKind] = {
    kind.plural: kind
    for kind in (
        ResourceKind("groups", "group", normalise_group),
        ResourceKind("ticket_fields", "ticket_field", normalise_ticket_field),
        ResourceKind("triggers", "trigger", normalise_trigger),
        ResourceKind("views", "view", normalise_view),
        ResourceKind("macros", "macro", normalise_macro),
    )
}


# --- webhooks -------------------------------------------------------------------------------


def _subscriptions(data: Mapping[str, Any], existing: JSON | None) -> list[str]:
    """Event types, or ["conditional_ticket_events"]; the connection method cannot change later."""
    value = data.get("subscriptions", existing.get("subscriptions") if existing else None)
    if not isinstance(value, list) or not value or not all(isinstance(s, str) for s in value):
        raise Invalid("subscriptions", "subscriptions must be a non-empty list of strings")
    conditional = CONDITIONAL_SUBSCRIPTION in value
    if conditional and len(value) > 1:
        raise Invalid("subscriptions", "conditional_ticket_events cannot be combined with event types")
    if not conditional and not all(s.startswith(EVENT_PREFIX) for s in value):
        raise Invalid("subscriptions", f"event subscriptions must start with {EVENT_PREFIX}")
    if existing and (CONDITIONAL_SUBSCRIPTION in existing["subscriptions"]) != conditional:
        raise Invalid("subscriptions", "the connection method (events or triggers) cannot be changed")
    return list(value)


def _authentication(data: Mapping[str, Any], existing: JSON | None) -> JSON | None:
    auth = data.get("authentication", existing.get("authentication") if existing else None)
    if auth is None:
        return None
    if not isinstance(auth, Mapping) or auth.get("type") not in WEBHOOK_AUTH_TYPES:
        raise Invalid("authentication", f"authentication.type must be one of {sorted(WEBHOOK_AUTH_TYPES)}")
    return {"type": auth["type"], "add_position": auth.get("add_position", "header"), "data": dict(auth.get("data") or {})}


def normalise_webhook(existing: JSON | None, data: Mapping[str, Any], now: str, actor_id: int, new_id: str) -> JSON:
    """A webhook. Event-subscribed webhooks must be POST + json (notes §3a)."""
    endpoint = _text(data, existing, "endpoint", required=True)
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise Invalid("endpoint", "endpoint must be an http(s) URL")
    method = str(data.get("http_method", (existing or {}).get("http_method") or "")).upper()
    request_format = data.get("request_format", (existing or {}).get("request_format"))
    if method not in WEBHOOK_METHODS:
        raise Invalid("http_method", f"http_method must be one of {sorted(WEBHOOK_METHODS)}")
    if request_format not in WEBHOOK_FORMATS:
        raise Invalid("request_format", f"request_format must be one of {sorted(WEBHOOK_FORMATS)}")
    subscriptions = _subscriptions(data, existing)
    if CONDITIONAL_SUBSCRIPTION not in subscriptions and (method != "POST" or request_format != "json"):
        raise Invalid("http_method", "webhooks subscribed to events must use POST and json")
    status = data.get("status", (existing or {}).get("status", "active"))
    if status not in ("active", "inactive"):
        raise Invalid("status", "status must be active or inactive")
    return {
        "id": existing["id"] if existing else new_id,
        "name": _text(data, existing, "name", required=True),
        "description": _text(data, existing, "description"),
        "status": status,
        "subscriptions": subscriptions,
        "endpoint": endpoint,
        "http_method": method,
        "request_format": request_format,
        "authentication": _authentication(data, existing),
        "custom_headers": dict(data.get("custom_headers", (existing or {}).get("custom_headers")) or {}),
        "created_at": existing["created_at"] if existing else now,
        "created_by": existing["created_by"] if existing else str(actor_id),
        "updated_at": now,
        "updated_by": str(actor_id),
    }


def public_webhook(record: Mapping[str, Any]) -> JSON:
    """A webhook as answered: authentication comes back without its secret parts [cassette]."""
    answer = {key: value for key, value in record.items() if key != "custom_headers" or value}
    auth = record.get("authentication")
    if auth:
        data = auth.get("data") or {}
        shown = {"username": data["username"]} if auth["type"] == "basic_auth" and "username" in data else {}
        if auth["type"] == "api_key" and "name" in data:
            shown = {"name": data["name"]}
        answer["authentication"] = {"type": auth["type"], "add_position": auth["add_position"], "data": shown}
    else:
        answer.pop("authentication", None)
    return answer
