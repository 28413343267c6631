"""`feedbackloop tenant add|list|show|set|rotate-secret|remove` (+ `keygen`, `rekey`).

Secrets are never taken as plain command-line values (shell history, `ps`): they are prompted for
without echo, or read from the environment variable named by the option's envvar.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackloop.core.errors import ConfigError
from feedbackloop.core.settings import SCALES, SURVEY_KINDS, SURVEY_SOURCES, Settings, load_settings
from feedbackloop.store.db import make_engine, make_session_factory, session_scope, utcnow
from feedbackloop.store.models import Tenant
from feedbackloop.store.tenants import (
    Vault,
    add_tenant,
    check_tenant_id,
    describe,
    get_tenant,
    hash_token,
    new_ingest_token,
    new_key,
    parse_overrides,
)


def _settings() -> Settings:
    try:
        return load_settings(demo=True)  # tenants need no env-configured account
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


@contextmanager
def _session(settings: Settings) -> Iterator[Session]:
    engine = make_engine(settings.database_url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            yield session
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        engine.dispose()


def _existing(session: Session, name: str) -> Tenant:
    row = get_tenant(session, name)
    if row is None:
        raise click.ClickException(f"no tenant {name!r} (see `feedbackloop tenant list`)")
    return row


@click.group("tenant")
def tenant() -> None:
    """Manage the Zendesk accounts this deployment serves."""


@tenant.command("keygen")
def keygen() -> None:
    """Print a new FEEDBACKLOOP_ENCRYPTION_KEY."""
    click.echo(new_key())


def look_options(command: Any) -> Any:
    """The survey's look and wording per tenant (branding.py)."""
    options = [
        click.option("--brand-name", default=None, help="The name customers know (survey comment and page)."),
        click.option("--logo-url", default=None, help="An https:// URL of the logo shown on the survey page."),
        click.option("--accent-color", default=None, help="The accent colour, e.g. #1f73b7."),
        click.option("--survey-style", type=click.Choice(["emoji", "stars", "numbers"]), default=None,
                     help="What the scale looks like."),
        click.option("--survey-order", type=click.Choice(["best_first", "worst_first"]), default=None,
                     help="The scale's order."),
        click.option("--survey-question", default=None, help="Your own question (used as written, in every language)."),
        click.option("--survey-labels", default=None, help="Your own labels, e.g. '5=Superb;4=Good;3=OK;2=Poor;1=Bad'."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def survey_options(command: Any) -> Any:
    """What the survey asks, whose survey runs, its scale and language, and its look: `add` and `set`."""
    options = [
        click.option("--survey-scale", type=click.Choice(SCALES), default=None),
        click.option("--survey-kind", type=click.Choice(SURVEY_KINDS), default=None,
                     help="What the survey asks: CSAT, CES (customer effort), or CES after the CSAT answer."),
        click.option("--survey-source", type=click.Choice(SURVEY_SOURCES), default=None,
                     help="Whose CSAT survey customers get: ours, Zendesk's own, or both (ours on "
                          "--survey-ours-channels)."),
        click.option("--survey-ours-channels", default=None,
                     help="With --survey-source both: the channels that get our survey, comma-separated "
                          "(e.g. web,email)."),
        click.option("--language", default=None, help="Survey language, e.g. en, de, pt-br."),
    ]
    command = look_options(command)  # listed after these in --help, as before
    for option in reversed(options):
        command = option(command)
    return command


@tenant.command("add")
@click.argument("name")
@click.option("--subdomain", required=True, help="The part before .zendesk.com.")
@click.option("--email", required=True, help="The API user's email (token auth).")
@click.option("--api-token", prompt=True, hide_input=True, envvar="TENANT_API_TOKEN",
              help="Prompted for; or set TENANT_API_TOKEN.")
@click.option("--webhook-secret", prompt=True, hide_input=True, envvar="TENANT_WEBHOOK_SECRET",
              help="The webhook's signing secret; prompted for, or set TENANT_WEBHOOK_SECRET.")
@click.option("--api-url", default=None, help="Override https://<subdomain>.zendesk.com (a proxy).")
@click.option("--survey-delay", type=float, default=None)
@click.option("--survey-cooldown", type=float, default=None)
@survey_options
def add(name: str, subdomain: str, email: str, api_token: str, webhook_secret: str, api_url: str | None,
        survey_delay: float | None, survey_cooldown: float | None, survey_scale: str | None,
        language: str | None, **more: str | None) -> None:
    """Add a tenant; prints its webhook URL and its decisions-API token (shown once).

    The survey kind, source and channels and the look arrive in `more`.

    Its parameters are the command's options, which click passes as keywords.
    """
    from feedbackloop.core.settings import check_account

    problems = check_account(subdomain.strip(), email.strip())
    if problems:
        raise click.UsageError("; ".join(p.replace("ZENDESK_SUBDOMAIN", "--subdomain").replace("ZENDESK_EMAIL", "--email")
                                         for p in problems))
    subdomain = subdomain.strip().lower()
    settings = _settings()
    vault = Vault(settings.encryption_key)
    overrides = {"survey_delay": survey_delay, "survey_cooldown": survey_cooldown, "survey_scale": survey_scale,
                 "language": language, **more}
    if api_url:
        from feedbackloop.core.settings import _check_http_url

        try:
            api_url = _check_http_url("--api-url", api_url, loopback_http_only=True)
        except ConfigError as exc:
            raise click.ClickException(str(exc)) from None
    with _session(settings) as session:
        try:
            token = add_tenant(session, vault, name, subdomain=subdomain, email=email, api_token=api_token,
                               webhook_secret=webhook_secret, api_url=api_url, overrides=overrides, now=utcnow())
        except ConfigError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"tenant {name} added")
    click.echo(f"webhook URL:          {settings.public_url.rstrip('/')}/webhooks/zendesk/{name}")
    click.echo(f"decisions API token:  {token}   (shown once; send as 'Authorization: Bearer <token>')")


@tenant.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def list_(fmt: str) -> None:
    """Every tenant, without secrets."""
    settings = _settings()
    with _session(settings) as session:
        rows = [describe(t, settings.public_url) for t in session.scalars(select(Tenant).order_by(Tenant.id))]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("no tenants (the env-configured account is the tenant 'default')")
        return
    click.echo(f"{'tenant':<20} {'subdomain':<24} {'active':<7} webhook URL")
    for row in rows:
        click.echo(f"{row['id']:<20} {row['subdomain']:<24} {'yes' if row['active'] else 'no':<7} {row['webhook_url']}")


@tenant.command("show")
@click.argument("name")
def show(name: str) -> None:
    """One tenant's settings (secrets shown only as set / not set)."""
    settings = _settings()
    with _session(settings) as session:
        click.echo(json.dumps(describe(_existing(session, name), settings.public_url), indent=2))


@tenant.command("set")
@click.argument("name")
@survey_options
@click.option("--unset", multiple=True, help="Drop a setting (e.g. --unset logo_url); repeatable.")
def set_(name: str, unset: tuple[str, ...], **values: str | None) -> None:
    """Change a tenant's survey settings and look; prints the tenant."""
    settings = _settings()
    with _session(settings) as session:
        row = _existing(session, name)
        try:
            changes = parse_overrides(values)
        except ConfigError as exc:
            raise click.ClickException(str(exc)) from None
        kept = {k: v for k, v in (row.overrides or {}).items() if k not in unset}
        row.overrides = {**kept, **changes}
        row.updated_at = utcnow()
        click.echo(json.dumps(describe(row, settings.public_url), indent=2))


@tenant.command("rotate-secret")
@click.argument("name")
@click.option("--webhook-secret", is_flag=False, flag_value="", default=None,
              help="Set a new webhook signing secret (prompted for when given without a value).")
@click.option("--api-token", "new_api_token", is_flag=False, flag_value="", default=None,
              help="Set a new Zendesk API token (prompted for when given without a value).")
@click.option("--ingest-token", is_flag=True, help="Issue a new decisions-API token (the old one stops working).")
def rotate_secret(name: str, webhook_secret: str | None, new_api_token: str | None, ingest_token: bool) -> None:
    """Replace a tenant's webhook secret, API token and/or decisions-API token."""
    if webhook_secret is None and new_api_token is None and not ingest_token:
        raise click.UsageError("say what to rotate: --webhook-secret, --api-token and/or --ingest-token")
    if webhook_secret == "":
        webhook_secret = click.prompt("New webhook secret", hide_input=True)
    if new_api_token == "":
        new_api_token = click.prompt("New API token", hide_input=True)
    settings = _settings()
    vault = Vault(settings.encryption_key)
    with _session(settings) as session:
        row = _existing(session, name)
        if webhook_secret:
            row.webhook_secret = vault.encrypt(webhook_secret.strip())
        if new_api_token:
            row.api_token = vault.encrypt(new_api_token.strip())
        token = new_ingest_token() if ingest_token else None
        if token:
            row.ingest_token_hash = hash_token(token)
        row.updated_at = utcnow()
    click.echo(f"tenant {name}: rotated " + ", ".join(
        part for part, done in (("webhook secret", webhook_secret), ("API token", new_api_token),
                                ("decisions API token", token)) if done))
    if token:
        click.echo(f"decisions API token:  {token}   (shown once)")
    click.echo("running processes pick the change up within 30 s")


@tenant.command("remove")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def remove(name: str, yes: bool) -> None:
    """Delete a tenant's account and secrets. Its feedback data stays (reports, exports)."""
    check = _safe_name(name)
    if not yes:
        click.confirm(f"Remove tenant {check} and its credentials?", abort=True)
    settings = _settings()
    with _session(settings) as session:
        session.delete(_existing(session, check))
    click.echo(f"tenant {check} removed; its webhooks are refused from now on (within 30 s in running processes)")


@tenant.command("rekey")
def rekey() -> None:
    """Re-encrypt every tenant secret with the first FEEDBACKLOOP_ENCRYPTION_KEY (key rotation)."""
    settings = _settings()
    vault = Vault(settings.encryption_key)
    with _session(settings) as session:
        rows = list(session.scalars(select(Tenant)))
        for row in rows:
            row.api_token = vault.rotate(row.api_token)
            row.webhook_secret = vault.rotate(row.webhook_secret)
            row.updated_at = utcnow()
    click.echo(f"re-encrypted the secrets of {len(rows)} tenant(s) with the newest key; "
               "the old key can now be removed from FEEDBACKLOOP_ENCRYPTION_KEY")


def _safe_name(name: str) -> str:
    try:
        return check_tenant_id(name)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


def register(cli: Any) -> None:
    cli.add_command(tenant)


__all__ = ["parse_overrides", "register", "tenant"]
