"""`feedbackloop export {eval,sft,dpo,ratings,intents} --out FILE [options]`: the CLI edge of an export.

Options are checked before the database is touched; every problem is a click error naming the
option, never a traceback. The session is opened and closed here (sessions live at the edges).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import click

from feedbackloop.core.errors import ConfigError
from feedbackloop.core.redact import Identity
from feedbackloop.core.settings import Settings, load_settings, redact_url
from feedbackloop.learn.exports.dedupe import THRESHOLD_TEXT
from feedbackloop.learn.exports.formats import OPENAI_KINDS
from feedbackloop.learn.exports.pipeline import KINDS, ExportError, ExportStats, RequesterDirectory
from feedbackloop.learn.exports.records import RATING_COLUMNS, no_identity
from feedbackloop.learn.exports.source import Window
from feedbackloop.learn.exports.writers import split_paths

TIME_EXAMPLE = "e.g. 2026-03-01 or 2026-03-01T12:00:00Z"


class TimeParam(click.ParamType):  # type: ignore[type-arg]  # generic in recent click only
    """A date or an ISO-8601 time; without a timezone it is UTC."""

    name = "time"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> datetime:
        if isinstance(value, datetime):
            return value
        try:
            moment = datetime.fromisoformat(str(value).strip())
            return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)
        except (ValueError, OverflowError):  # OverflowError: year 1 or 9999 pushed off the calendar by its offset
            self.fail(f"{value!r} is not a date or time ({TIME_EXAMPLE})", param, ctx)


class SplitParam(click.ParamType):  # type: ignore[type-arg]
    """`test=FRACTION`: the share of tickets held out for testing, strictly between 0 and 1."""

    name = "test=FRACTION"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        if isinstance(value, float):
            return value
        name, _, raw = str(value).partition("=")
        try:
            fraction = float(raw)
        except ValueError:
            fraction = -1.0
        if name.strip() != "test" or not 0.0 < fraction < 1.0:
            self.fail(f"{value!r} is not test=FRACTION with 0 < FRACTION < 1 (e.g. test=0.1)", param, ctx)
        return fraction


@click.command("export")
@click.argument("kind", type=click.Choice(KINDS))
@click.option("--out", "out", required=True, metavar="FILE",
              help="Where to write ('-': standard output). With --split, FILE's .train/.test pair.")
@click.option("--since", type=TimeParam(), help="Feedback that arrived at or after this time (UTC if no zone).")
@click.option("--until", type=TimeParam(), help="Feedback that arrived before this time.")
@click.option("--tenant", help="Only this tenant (default: all).")
@click.option("--min-score", type=click.IntRange(1, 5), help="Lowest rating score (sft: default 5, the top).")
@click.option("--max-score", type=click.IntRange(1, 5), help="Highest rating score.")
@click.option("--split", "test_fraction", type=SplitParam(), help="Hold out tickets for testing, e.g. test=0.1.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "openai"]),
              help="jsonl (default), csv (ratings only; the default when FILE ends in .csv) or openai "
                   "(sft and dpo in OpenAI's fine-tuning shape, without metadata).")
@click.option("--requester-lookup/--no-requester-lookup", default=True, show_default=True,
              help="Ask the helpdesk for each requester's name and email, to redact them everywhere.")
@click.option("--jobs", type=click.IntRange(1, 64), metavar="N",
              help="Processes that redact and encode a large ratings export (default: one per CPU; "
                   "1: all in this process).")
def export(kind: str, out: str, since: datetime | None, until: datetime | None, tenant: str | None,
           min_score: int | None, max_score: int | None, test_fraction: float | None, fmt: str | None,
           requester_lookup: bool, jobs: int | None) -> None:
    """Write feedback as eval cases, SFT chats, DPO pairs, ratings or intent corrections, PII-redacted.

    Its parameters are the command's options, which click passes as keywords.
    """
    fmt = fmt or ("csv" if out.lower().endswith(".csv") else "jsonl")
    check_options(kind, out, fmt, since, until, min_score, max_score, test_fraction)
    settings = export_settings()
    window = Window(tenant=tenant, since=since, until=until, min_score=min_score, max_score=max_score)
    try:
        stats, paths = run(settings, kind, out, fmt, window, test_fraction, requester_lookup, jobs or default_jobs())
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(summary(kind, stats, paths), err=True)


def check_options(kind: str, out: str, fmt: str, since: datetime | None, until: datetime | None,
                  min_score: int | None, max_score: int | None, test_fraction: float | None) -> None:
    """Refuse contradictory options before any work, naming the option.

    Its parameters are the command's options, checked together because they contradict each other in pairs.
    """
    if fmt == "csv" and kind != "ratings":
        raise click.BadParameter(f"csv is only for `ratings`; {kind} records are nested, use jsonl",
                                 param_hint="'--format'")
    if fmt == "openai" and kind not in OPENAI_KINDS:
        raise click.BadParameter(f"openai is only for sft and dpo (OpenAI's fine-tuning files); use jsonl for {kind}",
                                 param_hint="'--format'")
    if since is not None and until is not None and since >= until:
        raise click.BadParameter("--since must be before --until", param_hint="'--since'")
    if min_score is not None and max_score is not None and min_score > max_score:
        raise click.BadParameter("--min-score is above --max-score", param_hint="'--min-score'")
    if out == "-" and test_fraction is not None:
        raise click.BadParameter("--split writes two files; give a file name, not '-'", param_hint="'--out'")
    if out != "-":
        targets = split_paths(out).values() if test_fraction is not None else [Path(out)]
        for target in targets:
            try:
                usable = not target.is_dir() and target.parent.is_dir()
            except OSError as exc:  # is_dir() lets ENAMETOOLONG and EACCES through: a traceback
                raise click.BadParameter(f"cannot write {str(target)[:200]!r}: {exc.strerror}",
                                         param_hint="'--out'") from None
            if not usable:
                raise click.BadParameter(f"cannot write {str(target)!r}: not a file in an existing folder",
                                         param_hint="'--out'")


def export_settings() -> Settings:
    """Settings as the service reads them (the secret key is not needed: the export salt is stored
    in the database, `exports.keys`)."""
    try:
        return load_settings(demo=True)
    except ConfigError as exc:
        raise click.ClickException(f"configuration error: {exc}") from None


def default_jobs() -> int:
    """One worker per CPU this process may use: the export's own process mostly waits on the
    database and the disk while the workers redact."""
    from feedbackloop.learn.exports.parallel import usable_cpus

    return usable_cpus()


def run(settings: Settings, kind: str, out: str, fmt: str, window: Window, test_fraction: float | None,
        requester_lookup: bool, jobs: int = 1) -> tuple[ExportStats, list[str]]:
    """Open the read engine and session, run the export, commit or discard the files.

    Its parameters are the checked options of one export.
    """
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.orm import Session

    from feedbackloop.learn.exports import keys
    from feedbackloop.learn.exports.formats import openai_record, write_features
    from feedbackloop.learn.exports.pipeline import run_export, total_of
    from feedbackloop.learn.exports.prompts import load_system_prompts
    from feedbackloop.learn.exports.records import Context
    from feedbackloop.learn.exports.writers import Output
    from feedbackloop.store.db import make_read_engine, missing_database, note_database

    if missing := missing_database(settings.database_url):  # connecting would create an empty SQLite file
        raise click.ClickException(missing)
    note_database(settings.database_url)
    try:
        prompts = load_system_prompts(settings.extra)
    except ConfigError as exc:
        raise ExportError(f"configuration error: {exc}") from None
    engine = make_read_engine(settings.database_url, long=True)
    output: Output | None = None
    try:
        salt = stored_salt(settings.database_url)
        with Session(engine) as session:
            identity_of = requester_directory(settings, engine) if requester_lookup else no_identity
            ctx = Context(keys.derive(salt, keys.TICKET_LABEL), window, identity_of, test_fraction,
                          split_salt=keys.derive(salt, keys.SPLIT_LABEL), prompts=prompts,
                          ai_user_ids=settings.ai_user_ids)
            total = total_of(session, kind, window) if sys.stderr.isatty() else 0  # a count is a full scan
            shape = (lambda record: openai_record(kind, record)) if fmt == "openai" else None
            output = Output(out, "csv" if fmt == "csv" else "jsonl", split=test_fraction is not None,
                            columns=RATING_COLUMNS if kind == "ratings" else None, shape=shape)
            with progress_bar(total, f"export {kind}") as advance:
                stats = run_export(session, kind, ctx, output, advance, jobs=jobs)
        output.commit()
        if out != "-":
            stats.features = str(write_features(out, kind, fmt))
            stats.dropped_file = str(output.dropped.target) if output.dropped is not None else None
    except SQLAlchemyError as exc:
        if output is not None:
            output.abort()
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ExportError(f"cannot read the database {redact_url(settings.database_url)} ({first_line}); "
                          "is it migrated (`feedbackloop db upgrade`)?") from None
    except OSError as exc:  # a full disk, a folder we may not write to
        if output is not None:
            output.abort()
        raise ExportError(f"cannot write the export: {exc.strerror or exc}"
                          + (f" ({exc.filename})" if exc.filename else "")) from None
    except BaseException:
        if output is not None:
            output.abort()
        raise
    finally:
        engine.dispose()
    return stats, [str(f.target or "<stdout>") for f in output.files.values()]


def stored_salt(url: str) -> bytes:
    """The export salt, through a short write transaction of its own (the read engine may not write)."""
    from feedbackloop.learn.exports.keys import stored_salt as read_or_store
    from feedbackloop.store.db import make_engine

    engine = make_engine(url)
    try:
        return read_or_store(engine)
    finally:
        engine.dispose()


def requester_directory(settings: Settings, engine: Any) -> Callable[[str, int | None], Identity | None]:
    """Requester look-ups through the helpdesk API when an account is configured, else none."""
    if settings.zendesk is None:
        return no_identity
    from feedbackloop.wiring.services import build_services

    return RequesterDirectory(build_services(settings, engine=engine).client_for)


@contextmanager
def progress_bar(total: int, label: str) -> Iterator[Callable[[int], None]]:
    """A progress bar on standard error when it is a terminal; silent otherwise (pipes, CI, tests)."""
    stream = sys.stderr
    if not stream.isatty():
        yield lambda n: None
        return
    with click.progressbar(length=total, label=label, file=stream) as bar:
        yield bar.update


def summary(kind: str, stats: ExportStats, paths: list[str]) -> str:
    """One line per fact: what was written where, what was dropped and why."""
    counts = ", ".join(f"{name} {stats.written.get(name, 0)}" for name in ("train", "test") if len(paths) > 1)
    lines = [f"wrote {stats.total} {kind} record(s) to {' and '.join(paths)}" + (f" ({counts})" if counts else "")]
    if stats.duplicates:
        sides = ", ".join(f"{n} from {side}" for side, n in sorted(stats.dropped.items()) if side != "all")
        lines.append(f"dropped {stats.duplicates} near-duplicate(s) ({THRESHOLD_TEXT}"
                     + (f"; checked across train and test: {sides}" if sides else "") + ")"
                     + (f", listed in {stats.dropped_file}" if stats.dropped_file else ""))
    lines.extend(f"skipped {n}: {reason}" for reason, n in sorted(stats.skipped.items()))
    if stats.features:
        lines.append(f"column types: {stats.features} (load with datasets: features=Features.from_dict(...))")
    if stats.dedupe_saturated:
        lines.append("note: the near-duplicate table filled up; later records were checked but not remembered")
    return "\n".join(lines)
