"""commands: the `feedbackloop` subcommands with more than a line of their own: install / doctor /
app, config check, report, tenant, demo. `feedbackloop.cli` names them and loads each on use.

May import: the app factory and process roles (`feedbackloop.app`, `feedbackloop.runtime`) and every
layer below them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from feedbackloop.core.errors import ConfigError
from feedbackloop.core.settings import Settings, load_settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

T = TypeVar("T")


def settings_or_exit(**kwargs: Any) -> Settings:
    """Settings for a command, or a one-line configuration error (never a traceback)."""
    try:
        return load_settings(**kwargs)
    except ConfigError as exc:
        raise click.ClickException(f"configuration error: {exc}") from None


def read_database(database_url: str, work: Callable[[Session], T]) -> T:
    """Run `work` in a read session; a missing or older schema ends with a one-line hint, not a trace."""
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from feedbackloop.core.settings import redact_url
    from feedbackloop.store.db import (
        make_read_engine,
        make_session_factory,
        missing_database,
        note_database,
        session_scope,
    )

    missing = missing_database(database_url)
    if missing:
        raise click.ClickException(missing)
    note_database(database_url)
    engine = make_read_engine(database_url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            return work(session)
    except (OperationalError, ProgrammingError) as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else type(exc).__name__
        raise click.ClickException(f"cannot read {redact_url(database_url)}: {reason} (if the schema is missing "
                                   "or older, run `feedbackloop db upgrade`)") from None
    finally:
        engine.dispose()
