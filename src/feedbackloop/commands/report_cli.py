"""`feedbackloop report`: the metrics as an aligned table, JSON or CSV (a thin call into reports.py)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from feedbackloop.commands.section_cli import SECTIONS
from feedbackloop.insight.segments import DIMENSION_NAMES, MIN_N, PERIODS

DEFAULT_TENANT_ID = "default"

if TYPE_CHECKING:  # the database layer loads when the command runs, not when `feedbackloop --help` does
    from feedbackloop.insight.metrics import MetricsQuery


def parse_by(text: str) -> tuple[str, ...]:
    """`intent,channel` → ("intent", "channel"); `none` or empty → no segments (the whole range)."""
    names = tuple(part.strip() for part in text.split(",") if part.strip() and part.strip() != "none")
    unknown = [name for name in names if name not in DIMENSION_NAMES]
    if unknown:
        raise click.BadParameter(f"unknown segment {unknown[0]!r}: choose from {', '.join(DIMENSION_NAMES)}",
                                 param_hint="--by")
    return names


def build_query(by: str, since: str, until: str | None, period: str | None, tenant: str | None,
                min_n: int) -> MetricsQuery:
    """The question, checked: `--by tenant` without `--tenant` looks across every tenant."""
    from feedbackloop.insight.metrics import MetricsQuery, parse_moment
    from feedbackloop.store.db import utcnow
    from feedbackloop.store.models import DEFAULT_TENANT

    now = utcnow()
    names = parse_by(by)
    try:
        start = parse_moment(since, now)
        end = parse_moment(until, now, end_of_day=True) if until else now
        tenant_id = tenant or (None if "tenant" in names else DEFAULT_TENANT)
        return MetricsQuery(tenant_id, start, end, by=names, period=period, min_n=min_n)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None


@click.command("report")
@click.option("--section", type=click.Choice(SECTIONS), default="csat", show_default=True,
              help="csat (by segment), or a signal-matrix section: knowledge-gaps, compliance, sentiment, ces "
                   "(these take --since, --until, --tenant, --format, --out; docs/analysts.md).")
@click.option("--by", default="intent", show_default=True,
              help=f"Segments, comma-separated ({', '.join(DIMENSION_NAMES)}); 'none' for the whole range.")
@click.option("--since", default="30d", show_default=True, help="30d, 12h, 6w, 3m, or a date/time (UTC).")
@click.option("--until", default=None, help="A date (that day included) or time; default now.")
@click.option("--period", type=click.Choice(PERIODS), default=None,
              help="Cut the range into calendar periods, each beside the one before.")
@click.option("--tenant", default=None, help="Tenant id (default: the default tenant; all with --by tenant).")
@click.option(
    "--format", "fmt", type=click.Choice(("table", "json", "csv")), default="table", show_default=True
)
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write here, not stdout."
)
@click.option(
    "--min-n",
    type=click.IntRange(1),
    default=MIN_N,
    show_default=True,
    help="Segments with fewer ratings are shown but not ranked.",
)
@click.option("--sources", is_flag=True,
              help="Split by rating source instead (our survey vs Zendesk's own CSAT; no mean for good/bad).")
def report(
    section: str,
    by: str,
    since: str,
    until: str | None,
    period: str | None,
    tenant: str | None,
    fmt: str,
    out: Path | None,
    min_n: int,
    sources: bool,
) -> None:
    """CSAT by segment and period, with 95% Wilson intervals, worst first.

    Its parameters are the command's options, which click passes as keywords.
    """
    from feedbackloop.commands import settings_or_exit as _settings

    if tenant is not None and ("\x00" in tenant or len(tenant) > 64):
        raise click.BadParameter("not a tenant id (at most 64 characters, no NUL)", param_hint="--tenant")
    query = build_query(by, since, until, period, tenant, min_n)
    settings = _settings(demo=True)  # the database URL is all this needs (and the AI's user ids)
    if section != "csat":
        from feedbackloop.commands.section_cli import SectionQuery, run_section

        text = run_section(settings.database_url, SectionQuery(section, query.tenant_id or DEFAULT_TENANT_ID,
                                                               query.since, query.until, settings.ai_user_ids), fmt)
    elif sources:
        text = run_source_report(settings.database_url, query, fmt)
    else:
        text = run_report(settings.database_url, query, fmt)
    if out is None:
        click.echo(text, nl=False)
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(f"cannot write {str(out)[:80]}: {exc.strerror}") from None
    click.echo(f"wrote {out} ({fmt})", err=True)


def run_report(database_url: str, query: MetricsQuery, fmt: str) -> str:
    """Build and render the report; a missing or older schema ends with a one-line hint, not a trace.

    No Alembic revision check first: importing Alembic costs a third of a second, and the queries
    fail fast and clearly on a database without (all of) the schema anyway.
    """
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from feedbackloop.core.settings import redact_url
    from feedbackloop.insight.reports import build_report, render
    from feedbackloop.store.db import (
        make_read_engine,
        make_session_factory,
        missing_database,
        note_database,
        session_scope,
        utcnow,
    )

    missing = missing_database(database_url)  # connecting would create an empty SQLite file
    if missing:
        raise click.ClickException(missing)
    note_database(database_url)
    engine = make_read_engine(database_url)  # one snapshot; the webhook receiver keeps writing
    try:
        with session_scope(make_session_factory(engine)) as session:
            return render(build_report(session, query, utcnow()), fmt)
    except (OperationalError, ProgrammingError) as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else type(exc).__name__
        raise click.ClickException(f"cannot read {redact_url(database_url)}: {reason} (if the schema is missing "
                                   "or older, run `feedbackloop db upgrade`; to read another database, set "
                                   "FEEDBACKLOOP_DATABASE_URL)") from None
    finally:
        engine.dispose()


def run_source_report(database_url: str, query: MetricsQuery, fmt: str) -> str:
    """Ratings and surveys sent by source (our survey, Zendesk's own CSAT) and scale (csat_sources.py)."""
    from feedbackloop.loop.csat_sources import render_sources, source_rows
    from feedbackloop.store.db import make_read_engine, make_session_factory, missing_database, session_scope
    from feedbackloop.store.models import DEFAULT_TENANT

    missing = missing_database(database_url)
    if missing:
        raise click.ClickException(missing)
    engine = make_read_engine(database_url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            rows = source_rows(session, query.tenant_id or DEFAULT_TENANT, query.since, query.until)
    finally:
        engine.dispose()
    return render_sources(rows, fmt)
