"""Helpdesk integrations, one folder each; core code looks them up here by name."""

from __future__ import annotations

from feedbackloop.helpdesks.base import Helpdesk


def get_helpdesk(name: str) -> Helpdesk:
    """The integration registered under `name`; imported lazily so unused ones cost nothing."""
    if name == "zendesk":
        from feedbackloop.helpdesks.zendesk import ZendeskHelpdesk

        return ZendeskHelpdesk()
    raise KeyError(f"unknown helpdesk: {name}")


HELPDESK_NAMES = ("zendesk",)
