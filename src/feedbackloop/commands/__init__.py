"""commands: the `feedbackloop` subcommands with more than a line of their own: install / doctor /
app, config check, report, tenant, demo. `feedbackloop.cli` names them and loads each on use.

May import: the app factory and process roles (`feedbackloop.app`, `feedbackloop.runtime`) and every
layer below them.
"""

from __future__ import annotations

from typing import Any

import click

from feedbackloop.core.errors import ConfigError
from feedbackloop.core.settings import Settings, load_settings


def settings_or_exit(**kwargs: Any) -> Settings:
    """Settings for a command, or a one-line configuration error (never a traceback)."""
    try:
        return load_settings(**kwargs)
    except ConfigError as exc:
        raise click.ClickException(f"configuration error: {exc}") from None
