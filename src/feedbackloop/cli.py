"""The `feedbackloop` command: each subcommand is a thin call into a flow module.

Configuration problems end with a one-line message naming the setting, never a traceback.
"""

from __future__ import annotations

import importlib
import signal
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from feedbackloop import __version__
from feedbackloop.core.errors import ConfigError, FeedbackloopError

if TYPE_CHECKING:
    from feedbackloop.core.settings import Settings

F = TypeVar("F", bound=Callable[..., Any])


def main() -> None:
    """Console entry point."""
    try:
        cli(standalone_mode=True)
    except ConfigError as exc:
        click.echo(f"feedbackloop: configuration error: {exc}", err=True)
        sys.exit(2)
    except Exception as exc:
        database_error = _database_error(exc)
        if database_error is None:
            raise
        click.echo(f"Error: {database_error}", err=True)
        sys.exit(1)


def _database_error(exc: Exception) -> str | None:
    """A database failure no command caught, as one line naming the database (else None: a bug, shown whole)."""
    if "sqlalchemy" not in sys.modules:
        return None
    from sqlalchemy.exc import SQLAlchemyError

    if not isinstance(exc, SQLAlchemyError):
        return None
    from feedbackloop.core.settings import read_env
    from feedbackloop.store.db import describe_error

    url = read_env().get("FEEDBACKLOOP_DATABASE_URL", "") or "sqlite:///feedbackloop.db"
    return (f"cannot use the database {redact_url(url)}: {describe_error(exc)} (FEEDBACKLOOP_DATABASE_URL; "
            "if the schema is missing or older, run `feedbackloop db upgrade`)")


def _settings(**kwargs: Any) -> Settings:
    from feedbackloop.core.settings import load_settings

    try:
        return load_settings(**kwargs)
    except ConfigError as exc:
        raise click.ClickException(f"configuration error: {exc}") from None


def _checked_settings(port: int = 8000) -> Settings:
    """The whole `config check` at the start of a long-running command: stop on any error."""
    from feedbackloop.commands.config_check import checked_settings

    try:
        return checked_settings(port=port)
    except ConfigError as exc:
        raise click.ClickException(f"configuration error: {exc}\n(`feedbackloop config check` lists every "
                                   "setting and where its value came from)") from None


def redact_url(url: str) -> str:
    from feedbackloop.core.settings import redact_url as redact

    return redact(url)


def _logging(verbose: bool) -> None:
    """FEEDBACKLOOP_LOG_FORMAT (json|text) and FEEDBACKLOOP_LOG_LEVEL, through logs.py's formatters.

    logs.configure keeps zenpy and urllib3 at WARNING: zenpy logs full request kwargs (auth
    included) at DEBUG, and that must never reach a log file.
    """
    from feedbackloop.core import logs
    from feedbackloop.core.settings import load_log_settings

    chosen = load_log_settings()
    logs.configure(chosen.format, "DEBUG" if verbose else chosen.level)


class LazyGroup(click.Group):
    """A group whose heavier subcommands are imported only when run (or listed in --help).

    `feedbackloop report` should not pay for importing the installer, the exporters and the
    tenant tools; `--version` should pay for none of them.
    """

    def __init__(self, *args: Any, lazy: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.lazy and name not in self.commands:
            module, _, attr = self.lazy[name].partition(":")
            self.add_command(getattr(importlib.import_module(module), attr), name)
        return super().get_command(ctx, name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from LAZY_HELP for commands not imported yet: `--help` imports none of them."""
        rows: list[tuple[str, str]] = []
        for name in self.list_commands(ctx):
            command = self.commands.get(name)
            if command is not None:
                if not command.hidden:
                    rows.append((name, command.get_short_help_str(formatter.width - 6 - len(name))))
            else:
                limit = formatter.width - 6 - len(name)
                rows.append((name, _shortened(LAZY_HELP.get(name, ""), limit)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _shortened(text: str, limit: int) -> str:
    """`text` cut at a word boundary to `limit` characters with "...", as click shortens a command's help."""
    if len(text) <= limit:
        return text
    return text[: max(0, limit - 3)].rsplit(" ", 1)[0].rstrip(",;:") + "..."


#: Subcommands that live in their own modules, as `module:attribute`.
LAZY_COMMANDS = {
    "report": "feedbackloop.commands.report_cli:report",
    "install": "feedbackloop.commands.install:install_command",
    "uninstall": "feedbackloop.commands.install:uninstall_command",
    "doctor": "feedbackloop.commands.install:doctor_command",
    "app": "feedbackloop.commands.install:app_group",
    "export": "feedbackloop.learn.exports.command:export",
    "tenant": "feedbackloop.commands.tenant_cli:tenant",
    "compare": "feedbackloop.commands.compare_cli:compare_command",
    "shadow": "feedbackloop.commands.compare_cli:shadow_command",
    "costs": "feedbackloop.commands.compare_cli:costs_command",
}
#: Their one-line help for `feedbackloop --help` (tests/test_cli.py checks each against the command's own).
LAZY_HELP = {
    "report": "CSAT by segment and period, with 95% Wilson intervals, worst first.",
    "install": "Create or update the webhooks, triggers, fields, group, view and macro in Zendesk.",
    "uninstall": "Delete exactly what `feedbackloop install` created (fields take their values with them).",
    "doctor": "Check the live install and say what is wrong and how to fix it (exit 1 on any problem).",
    "app": "The Zendesk app (manifest/): ticket sidebar plus the same fields, triggers, webhooks, view and macro.",
    "export": "Write feedback as eval cases, SFT chats, DPO pairs, ratings or intent corrections, PII-redacted.",
    "tenant": "Manage the Zendesk accounts this deployment serves.",
    "compare": "A against B: CSAT, reopen, re-contact, override and FCR rates within intents, with tests.",
    "shadow": "Shadow decisions against what the humans did: agreement by intent, with intervals.",
    "costs": "Cost per resolution, AI against human, for the same intents (steps, latency, tokens, cost).",
}


@click.group(cls=LazyGroup, lazy=LAZY_COMMANDS)
@click.version_option(__version__, prog_name="feedbackloop")
@click.option("-v", "--verbose", is_flag=True, help="Debug logging.")
@click.pass_context
def cli(ctx: click.Context, verbose: bool) -> None:
    """Close the customer-feedback loop on your helpdesk."""
    try:
        _logging(verbose)
    except ConfigError:
        if ctx.invoked_subcommand != "config":  # `config check` reports it with every other problem
            raise
        from feedbackloop.core import logs

        logs.configure(None, "DEBUG" if verbose else "INFO")


@cli.group()
def db() -> None:
    """Database schema commands."""


@db.command("upgrade")
@click.option("--revision", default="heads", show_default=True)
def db_upgrade(revision: str) -> None:
    """Create or migrate the schema (Alembic)."""
    from feedbackloop.store.db import make_engine
    from feedbackloop.store.migrate import upgrade

    settings = _settings(demo=True)  # the database URL is all this needs
    engine = make_engine(settings.database_url)
    try:
        upgrade(engine, revision)
    except Exception as exc:  # noqa: BLE001 - shown to the admin as one line
        from feedbackloop.store.db import describe_error

        raise click.ClickException(f"could not migrate {redact_url(settings.database_url)}: {describe_error(exc)} "
                                   "(FEEDBACKLOOP_DATABASE_URL)") from None
    click.echo(f"database {redact_url(settings.database_url)} is at revision {revision}")


def _check_schema(settings: Settings) -> None:
    """The database exists (a SQLite file is never created here) and has a schema; else one line."""
    from feedbackloop.store.db import describe_error, make_engine, missing_database
    from feedbackloop.store.migrate import current_revision

    missing = missing_database(settings.database_url)
    if missing:
        raise click.ClickException(missing)
    engine = make_engine(settings.database_url)
    try:
        revision = current_revision(engine)
    except Exception as exc:  # noqa: BLE001
        raise click.ClickException(f"cannot reach the database {redact_url(settings.database_url)}: "
                                   f"{describe_error(exc)} (FEEDBACKLOOP_DATABASE_URL)") from None
    finally:
        engine.dispose()
    if revision is None:
        raise click.ClickException(f"the database {redact_url(settings.database_url)} has no schema yet: run "
                                   "`feedbackloop db upgrade` first (or point FEEDBACKLOOP_DATABASE_URL at yours)")


@cli.group("config")
def config_group() -> None:
    """Check the configuration, or print the example to start one from."""


@config_group.command("check")
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--env-file", default=".env", show_default=True, help="The .env file to read (the environment wins).")
def config_check(output: str, env_file: str) -> None:
    """Every setting, where its value came from, and every problem with its fix (exit 1 on errors)."""
    from feedbackloop.commands.config_check import check_config, format_report, report_json
    from feedbackloop.core.settings import read_env

    report = check_config(read_env(env_file))
    click.echo(report_json(report) if output == "json" else format_report(report, env_file))
    if report.errors:
        sys.exit(1)


@config_group.command("example")
def config_example() -> None:
    """Print config.example.env (every setting, required ones first): feedbackloop config example > .env"""
    from importlib.resources import files

    click.echo(files("feedbackloop").joinpath("config.example.env").read_text(encoding="utf-8"), nl=False)


@cli.group("rollups")
def rollups_group() -> None:
    """The daily rollups reports read (kept up to date on every write; rebuild after loading rows directly)."""


@rollups_group.command("rebuild")
@click.option("--tenant", "tenant_id", default=None, help="Only this tenant (default: every tenant).")
def rollups_rebuild(tenant_id: str | None) -> None:
    """Recompute the daily rollups from the ratings and surveys tables, in one transaction."""
    from sqlalchemy.exc import SQLAlchemyError

    from feedbackloop.store.db import make_engine, make_session_factory, session_scope
    from feedbackloop.store.rollups import rebuild

    if tenant_id is not None and ("\x00" in tenant_id or len(tenant_id) > 64):
        raise click.BadParameter("not a tenant id (at most 64 characters, no NUL)", param_hint="--tenant")
    settings = _settings(demo=True)  # the database URL is all this needs
    engine = make_engine(settings.database_url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            done = rebuild(session, tenant_id)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise click.ClickException(f"could not rebuild the rollups in {redact_url(settings.database_url)}: {reason} "
                                   "(if the schema is older, run `feedbackloop db upgrade`)") from None
    finally:
        engine.dispose()
    scope = "every tenant" if tenant_id is None else f"tenant {tenant_id}"
    click.echo(f"rebuilt the daily rollups of {scope}: {done.rows:,} rows from {done.ratings:,} ratings and "
               f"{done.sent:,} sent surveys (replaced {done.removed:,} rows)")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--threads", default=4, show_default=True, type=int, help="Job runner threads.")
def serve(host: str, port: int, threads: int) -> None:
    """Web app and job runner in one process."""
    from feedbackloop.runtime import run_server, start_runner
    from feedbackloop.wiring.services import build_services

    settings = _checked_settings(port=port)
    _check_schema(settings)
    services = build_services(settings)
    runner, scheduler = start_runner(services, threads=threads)
    click.echo(f"feedbackloop serving on http://{host}:{port} (webhooks at /webhooks/zendesk)")
    run_server(services, host, port, runner=runner, on_stop=lambda: scheduler.shutdown(wait=False))


@cli.command()
@click.option("--threads", default=4, show_default=True, type=int)
@click.option("--metrics-port", type=int, default=None,
              help="Serve Prometheus metrics (this worker's jobs and Zendesk calls) on this port.")
@click.option("--metrics-host", default="127.0.0.1", show_default=True,
              help="Address for --metrics-port (no token is asked there: keep it private).")
def worker(threads: int, metrics_port: int | None, metrics_host: str) -> None:
    """Job runner only (run beside gunicorn serving the web app)."""
    from feedbackloop.runtime import start_runner
    from feedbackloop.wiring.services import build_services

    settings = _checked_settings()
    _check_schema(settings)
    services = build_services(settings)
    runner, scheduler = start_runner(services, threads=threads)
    if metrics_port is not None:  # operability: workers on another host than the web app
        from feedbackloop.web.prom import serve_metrics

        serve_metrics(services.factory, runner, metrics_host, metrics_port)
        click.echo(f"metrics on http://{metrics_host}:{metrics_port}/metrics")
    click.echo(f"feedbackloop worker {runner.worker_id} running; Ctrl-C to stop")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        while not stop.wait(1.0):
            pass
    except KeyboardInterrupt:
        pass
    runner.request_stop()  # the tick in progress ends after its batch instead of draining the backlog
    scheduler.shutdown(wait=True)
    runner.shutdown()


@cli.command("jobs")
@click.option("--dead", "show_dead", is_flag=True, help="List dead jobs with their reasons.")
# bounded: an id past BIGINT, or a negative LIMIT, is a database error (a traceback), not an answer
@click.option("--retry", "retry_id", type=click.IntRange(1, 2**63 - 1), help="Put a dead job back in the queue.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 100_000))
def jobs_cmd(show_dead: bool, retry_id: int | None, limit: int) -> None:
    """Show the job queue, dead jobs, or retry one."""
    from feedbackloop.store.db import note_database
    from feedbackloop.wiring.services import build_services

    settings = _settings(demo=True)
    _check_schema(settings)
    note_database(settings.database_url)
    services = build_services(settings)
    try:
        _jobs_report(services, show_dead, retry_id, limit)
    finally:
        services.engine.dispose()


def _jobs_report(services: Any, show_dead: bool, retry_id: int | None, limit: int) -> None:
    from sqlalchemy import select

    from feedbackloop.jobs import queue as jobs
    from feedbackloop.store.db import session_scope, utcnow
    from feedbackloop.store.models import Job

    now = utcnow()
    with session_scope(services.factory) as session:
        if retry_id is not None:
            job = jobs.retry_dead(session, retry_id, now)
            if job is None:
                raise click.ClickException(f"job {retry_id} is not a dead job")
            click.echo(f"job {retry_id} ({job.kind}) is queued again")
            return
        if not show_dead:
            depth = jobs.queue_depth(session, now)
            click.echo("  ".join(f"{k}={v}" for k, v in sorted(depth.items())) or "no jobs")
            return
        rows = session.scalars(select(Job).where(Job.state == "dead").order_by(Job.updated_at.desc()).limit(limit))
        lines = [f"{j.id:>8}  {j.kind:<15} ticket {j.ticket_id or '-':<10} {j.updated_at:%Y-%m-%d %H:%M}  {j.result}"
                 for j in rows]
        click.echo("\n".join(lines) if lines else "no dead jobs")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8025, show_default=True, type=int)
@click.option("--webhook-url", help="Where to deliver signed webhooks (e.g. http://127.0.0.1:8000/webhooks/zendesk).")
@click.option("--webhook-secret", default=None, help="Signing secret for deliveries.")
def sandbox(host: str, port: int, webhook_url: str | None, webhook_secret: str | None) -> None:
    """A local stand-in for the Zendesk API that also sends signed webhooks."""
    from feedbackloop.helpdesks.sandbox import serve_sandbox
    from feedbackloop.runtime import sandbox_credentials

    creds = sandbox_credentials()
    server = serve_sandbox(host=host, port=port, email=creds["email"], api_token=creds["api_token"])
    if webhook_url:
        server.state.set_webhook_target(webhook_url, webhook_secret or creds["webhook_secret"])
    click.echo(f"sandbox Zendesk API at {server.url}/api/v2 (email {creds['email']}, token {creds['api_token']})")
    click.echo("use ZENDESK_API_URL=" + server.url + " with ZENDESK_SUBDOMAIN=sandbox; Ctrl-C to stop")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.shutdown()


def _demo_database(url: str) -> str:
    """--database, checked like FEEDBACKLOOP_DATABASE_URL (one line on a bad one, never a traceback)."""
    from feedbackloop.core.settings import settings_from_env

    try:
        return settings_from_env({"FEEDBACKLOOP_DATABASE_URL": url}, demo=True).database_url
    except ConfigError as exc:
        raise click.BadParameter(str(exc).replace("FEEDBACKLOOP_DATABASE_URL", "the URL", 1),
                                 param_hint="'--database'") from None


@cli.command()
@click.option("--tickets", default=200, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--once", is_flag=True, help="Exit after the summary instead of serving on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port of the service (0 = any free).")
@click.option("--seed", default=7, show_default=True, type=int)
@click.option("--database", default=None, metavar="URL",
              help="Write the demo's tickets and ratings here instead of its own file, feedbackloop-demo.db "
                   "(FEEDBACKLOOP_DATABASE_URL is never used by the demo).")
def demo(tickets: int, once: bool, port: int, seed: int, database: str | None) -> None:
    """Run the whole loop against a sandbox Zendesk on loopback, then print a summary."""
    from feedbackloop.commands.demo import run_demo

    settings = _settings(demo=True, port=port)
    if database is not None:
        database = _demo_database(database)
    try:
        run_demo(settings, tickets=tickets, once=once, port=port, seed=seed, database=database)
    except FeedbackloopError as exc:
        raise click.ClickException(str(exc)) from None
