"""`feedbackloop compare`, `feedbackloop shadow`, `feedbackloop costs`: thin calls into compare.py,
shadow.py and costs.py, with report_cli's range options and database handling."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from feedbackloop.commands import read_database

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from feedbackloop.core.settings import Settings

FORMATS = click.Choice(("table", "json", "csv"))
WITHIN_HELP = "Stratify by this segment (intent, category, channel, ...), or 'none'."


def _range(since: str, until: str | None) -> tuple[datetime, datetime]:
    from feedbackloop.insight.metrics import parse_moment
    from feedbackloop.store.db import utcnow

    now = utcnow()
    try:
        start = parse_moment(since, now)
        end = parse_moment(until, now, end_of_day=True) if until else now
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    if end <= start:
        raise click.UsageError("the range is empty: --until must be after --since")
    return start, end


def _tenant(tenant: str | None) -> str:
    from feedbackloop.store.models import DEFAULT_TENANT

    if tenant is not None and (not tenant.strip() or "\x00" in tenant or len(tenant) > 64):
        raise click.BadParameter("not a tenant id (1-64 characters, no NUL)", param_hint="--tenant")
    return tenant or DEFAULT_TENANT


def _settings() -> Settings:
    from feedbackloop.commands import settings_or_exit as load

    return load(demo=True)  # the database URL and the cost settings are all these need


def _emit(text: str, out: Path | None, fmt: str) -> None:
    if out is None:
        click.echo(text, nl=False)
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(f"cannot write {str(out)[:80]}: {exc.strerror}") from None
    click.echo(f"wrote {out} ({fmt})", err=True)


def _common(func: Callable[..., Any]) -> Callable[..., Any]:
    """--since, --until, --tenant, --format, --out."""
    for option in reversed((
        click.option("--since", default="30d", show_default=True, help="30d, 12h, 6w, 3m, or a date/time (UTC)."),
        click.option("--until", default=None, help="A date (that day included) or time; default now."),
        click.option("--tenant", default=None, help="Tenant id (default: the default tenant)."),
        click.option("--format", "fmt", type=FORMATS, default="table", show_default=True),
        click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
                     help="Write here, not stdout."),
    )):
        func = option(func)
    return func


@click.command("compare")
@click.option("--by", "by", type=click.Choice(("prompt_version", "model")), required=True,
              help="What the two versions are versions of.")
@click.argument("a", required=False)
@click.argument("b", required=False)
@click.option("--within", default="intent", show_default=True, help=WITHIN_HELP)
@click.option("--min-difference", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=0.05,
              show_default=True, help="Smallest difference worth detecting (0.05 = 5 points), for sample sizes.")
@_common
def compare_command(by: str, a: str | None, b: str | None, within: str, min_difference: float, since: str,
                    until: str | None, tenant: str | None, fmt: str, out: Path | None) -> None:
    """A against B: CSAT, reopen, re-contact, override and FCR rates within intents, with tests.

    Its parameters are the command's options, which click passes as keywords.
    """
    from feedbackloop.insight import compare
    from feedbackloop.store.db import utcnow

    if a is None or b is None:
        raise click.UsageError(f"name the two versions to compare, e.g. `feedbackloop compare --by {by} v1 v2`")
    for name, value in (("A", a), ("B", b)):
        if not value.strip() or len(value) > 120 or "\x00" in value:
            raise click.BadParameter(f"{value[:40]!r} is not a {by} (1-120 characters, no NUL)", param_hint=name)
    start, end = _range(since, until)
    stratum = None if within.strip().lower() in ("none", "") else within.strip()
    try:
        query = compare.CompareQuery(_tenant(tenant), by, a, b, start, end, stratum, min_difference)
    except compare.CompareError as exc:
        raise click.UsageError(str(exc)) from None

    def work(session: Session) -> str:
        try:
            return compare.render(compare.compare(session, query, utcnow()), fmt)
        except compare.CompareError as exc:
            raise click.ClickException(str(exc)) from None

    _emit(read_database(_settings().database_url, work), out, fmt)


@click.command("shadow")
@click.option("--ready", type=click.FloatRange(0, 1), default=0.9, show_default=True,
              help="Agreement (the interval's lower bound) at which an intent counts as ready for the AI to act.")
@_common
def shadow_command(ready: float, since: str, until: str | None, tenant: str | None, fmt: str,
                   out: Path | None) -> None:
    """Shadow decisions against what the humans did: agreement by intent, with intervals."""
    from feedbackloop.insight import shadow
    from feedbackloop.loop import overrides

    start, end = _range(since, until)
    tenant_id = _tenant(tenant)
    settings = _settings()

    def work(session: Session) -> str:
        humans = shadow.Humans(frozenset(settings.ai_user_ids), lambda body: overrides.is_our_comment(settings, body))
        report = shadow.shadow_report(session, tenant_id, start, end, humans=humans, ready_at=ready)
        return shadow.render(report, fmt)

    _emit(read_database(settings.database_url, work), out, fmt)


@click.command("costs")
@_common
def costs_command(since: str, until: str | None, tenant: str | None, fmt: str, out: Path | None) -> None:
    """Cost per resolution, AI against human, for the same intents (steps, latency, tokens, cost)."""
    from feedbackloop.insight import costs

    start, end = _range(since, until)
    tenant_id = _tenant(tenant)
    settings = _settings()
    config = costs.CostConfig(settings.agent_hour_cost, settings.agent_handling_minutes, settings.cost_currency)
    _emit(read_database(settings.database_url, lambda session: costs.render(
        costs.cost_report(session, tenant_id, start, end, config), fmt)), out, fmt)
