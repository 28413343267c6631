"""`feedbackloop install | uninstall | doctor`: set up the helpdesk, remember what was made, check it.

The helpdesk side (which objects, which bodies, how to converge) is Zendesk's and lives in
`helpdesks/zendesk/install.py`. This layer keeps the ledger: one `InstalledResource` row per
object, written as soon as the object exists, so `uninstall` deletes exactly what install made
and a second install changes nothing. Webhook signing secrets are read from Zendesk
(`GET /api/v2/webhooks/{id}/signing_secret`) and stored sealed with Fernet under
FEEDBACKLOOP_ENCRYPTION_KEY (comma-separated keys: the first seals, all unseal, so a key can be
rotated); install refuses to run without one. ``plain:`` rows are read only for installs made
before that rule, and sealed on the next install.

Every function takes the account and tenant explicitly, so a tenant other than the
env-configured default one installs the same way.
"""

from __future__ import annotations

import ipaddress
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click
import requests
from sqlalchemy import Engine, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from feedbackloop.core.errors import ConfigError, FeedbackloopError
from feedbackloop.core.settings import Settings, load_settings, redact_url
from feedbackloop.helpdesks.base import Account
from feedbackloop.helpdesks.zendesk import install as zendesk
from feedbackloop.helpdesks.zendesk.install import AdminClient, Check, Installed, Outcome, Target
from feedbackloop.loop.csat_sources import RatingsReader, csat_check
from feedbackloop.store.db import make_engine, make_session_factory, session_scope, utcnow
from feedbackloop.store.ledger import ENCRYPTION_KEY_SETTING as ENCRYPTION_KEY_SETTING
from feedbackloop.store.ledger import SEALED_FERNET as SEALED_FERNET
from feedbackloop.store.ledger import SEALED_PLAIN as SEALED_PLAIN
from feedbackloop.store.ledger import encryption_keys as encryption_keys
from feedbackloop.store.ledger import fernet_of as fernet_of
from feedbackloop.store.ledger import ledger_rows as ledger_rows
from feedbackloop.store.ledger import seal as seal
from feedbackloop.store.ledger import sealed_with_current_key as sealed_with_current_key
from feedbackloop.store.ledger import stored_secrets as stored_secrets
from feedbackloop.store.ledger import unseal as unseal
from feedbackloop.store.ledger import webhook_secrets as webhook_secrets
from feedbackloop.store.ledger import with_encryption_key as with_encryption_key
from feedbackloop.store.models import DEFAULT_TENANT, InstalledResource

HEALTH_PATH = "/healthz"
PROBE_TIMEOUT = 5.0
#: Settings that must name the installed objects, so surveys, review tasks and overrides use them.
ID_SETTINGS = (("ZENDESK_CSAT_FIELD_ID", "csat_field_id", "ticket_field", "csat_score"),
               ("ZENDESK_REVIEW_GROUP_ID", "review_group_id", "group", "review"),
               ("ZENDESK_OVERRIDE_REASON_FIELD_ID", "override_reason_field_id", "ticket_field", "override_reason"),
               ("ZENDESK_ROOT_CAUSE_FIELD_ID", "root_cause_field_id", "ticket_field", "root_cause"))
STATUS_LABELS = {"ok": "ok", "problem": "PROBLEM", "warning": "warning", "skipped": "skipped"}


# --- the ledger -----------------------------------------------------------------------------------


def ledger_of(rows: Sequence[InstalledResource]) -> list[Installed]:
    """Rows as the helpdesk installer's ledger entries."""
    return [Installed(row.kind, row.name, row.remote_id, row.checksum) for row in rows]


def record_outcome(session: Session, tenant_id: str, outcome: Outcome, keys: Sequence[str], now: datetime) -> None:
    """Write what one step did: a new or changed object, a refreshed secret; a deleted one goes."""
    row = session.scalars(select(InstalledResource).where(
        InstalledResource.tenant_id == tenant_id, InstalledResource.kind == outcome.kind,
        InstalledResource.name == outcome.key)).one_or_none()
    if outcome.action in ("delete", "gone"):
        if row is not None:
            session.delete(row)
        return
    if outcome.remote_id is None or outcome.checksum is None:
        return
    if row is None:
        row = InstalledResource(tenant_id=tenant_id, kind=outcome.kind, name=outcome.key, created_at=now)
        session.add(row)
    secret_changed = outcome.secret is not None and (
        row.secret is None or not sealed_with_current_key(row.secret, keys) or unseal(row.secret, keys) != outcome.secret)
    if row.remote_id != outcome.remote_id or row.checksum != outcome.checksum or secret_changed:
        row.remote_id, row.checksum, row.updated_at = outcome.remote_id, outcome.checksum, now
        if outcome.secret is not None:
            row.secret = seal(outcome.secret, keys)


def recorder(factory: sessionmaker[Session], tenant_id: str, keys: Sequence[str]) -> Callable[[Outcome], None]:
    """Commit each outcome on its own, so an object made just before a failure is not forgotten."""
    def record(outcome: Outcome) -> None:
        """Write one outcome in its own transaction."""
        with session_scope(factory) as session:
            record_outcome(session, tenant_id, outcome, keys, utcnow())
    return record


def require_schema(engine: Engine) -> None:
    """install keeps its ledger in the database: refuse clearly when the table is not there yet."""
    if not inspect(engine).has_table(InstalledResource.__tablename__):
        raise ConfigError("the database has no installed_resources table: run `feedbackloop db upgrade` first")


# --- the three operations -------------------------------------------------------------------------


def target_of(settings: Settings, tenant_id: str) -> Target:
    """Where this tenant's webhooks deliver, and the override tag its triggers and macro use."""
    override_tag = getattr(settings, "override_tag", None) or zendesk.OVERRIDE_TAG
    return Target(settings.public_url, None if tenant_id == DEFAULT_TENANT else tenant_id, override_tag,
                  survey_source=getattr(settings, "survey_source", "feedbackloop"))


def account_of(settings: Settings, account: Account | None) -> Account:
    """The account to install into: the one given (a tenant's), else the env-configured one."""
    chosen = account or settings.zendesk
    if chosen is None:
        raise ConfigError("ZENDESK_SUBDOMAIN, ZENDESK_EMAIL and ZENDESK_API_TOKEN are required to install")
    return chosen


def admin_client(account: Account) -> AdminClient:
    """The Zendesk client for admin calls (zenpy is loaded only now)."""
    from feedbackloop.helpdesks.zendesk.client import ZendeskClient

    return ZendeskClient(account)


def run_install(settings: Settings, factory: sessionmaker[Session], *, account: Account | None = None,
                tenant_id: str = DEFAULT_TENANT, dry_run: bool = False,
                client: AdminClient | None = None) -> list[Outcome]:
    """Create or update everything feedbackloop needs; nothing is written in a dry run.

    Refused without FEEDBACKLOOP_ENCRYPTION_KEY (as `tenant add` is): install stores the webhooks'
    signing secrets, and a database copy must not hand them out."""
    keys = encryption_keys(settings)
    if not keys and not dry_run:
        raise ConfigError(f"{ENCRYPTION_KEY_SETTING} is not set: install stores the webhooks' signing secrets "
                          "and will not store them unencrypted. Make a key with `feedbackloop tenant keygen`, "
                          f"set {ENCRYPTION_KEY_SETTING} to it (in .env or the environment), and run install again")
    client = client or admin_client(account_of(settings, account))
    zendesk.require_admin(client)  # say what is needed and why, before a 403 halfway through
    with session_scope(factory) as session:
        ledger = ledger_of(ledger_rows(session, tenant_id))
    observe = None if dry_run else recorder(factory, tenant_id, keys)
    return zendesk.converge(client, target_of(settings, tenant_id), ledger, dry_run=dry_run, observe=observe)


def run_uninstall(settings: Settings, factory: sessionmaker[Session], *, account: Account | None = None,
                  tenant_id: str = DEFAULT_TENANT, dry_run: bool = False,
                  client: AdminClient | None = None) -> list[Outcome]:
    """Delete exactly what install made for this tenant, and forget it."""
    client = client or admin_client(account_of(settings, account))
    zendesk.require_admin(client)
    with session_scope(factory) as session:
        ledger = ledger_of(ledger_rows(session, tenant_id))
    observe = None if dry_run else recorder(factory, tenant_id, encryption_keys(settings))
    return zendesk.remove(client, target_of(settings, tenant_id), ledger, dry_run=dry_run, observe=observe)


def run_doctor(settings: Settings, factory: sessionmaker[Session], *, account: Account | None = None,
               tenant_id: str = DEFAULT_TENANT, client: AdminClient | None = None,
               probe: Callable[[str], int] | None = None) -> list[Check]:
    """Check the public URL, the account, every installed object, deliveries and secrets."""
    chosen = account_of(settings, account)
    client = client or admin_client(chosen)
    keys = encryption_keys(settings)
    with session_scope(factory) as session:
        rows = ledger_rows(session, tenant_id)
        ledger, secrets = ledger_of(rows), stored_secrets(rows, keys)
    local = chosen.api_url is not None and is_loopback(urlsplit(chosen.api_url).hostname or "")
    checks = check_public_url(settings.public_url, probe or probe_health, helpdesk_is_local=local)
    checks.extend(zendesk.diagnose(client, target_of(settings, tenant_id), ledger, secrets, chosen.webhook_secret))
    checks.extend(check_reconciliation_state(factory, tenant_id))
    refused = any(check.name == "credentials" and check.status == "problem" for check in checks)
    if isinstance(client, RatingsReader) and not refused:  # which CSAT the account runs (issue 23)
        checks.append(csat_check(settings, client, utcnow()))
    if tenant_id == DEFAULT_TENANT:
        checks.extend(check_id_settings(settings, ledger))
    return checks


# --- checks that do not need Zendesk --------------------------------------------------------------


def probe_health(url: str) -> int:
    """GET `url`; its status code (transport errors propagate)."""
    with requests.get(url, timeout=PROBE_TIMEOUT, allow_redirects=False) as response:
        return response.status_code


def is_loopback(host: str) -> bool:
    """localhost or a loopback address: reachable from this machine only."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_public_url(public_url: str, probe: Callable[[str], int], *, helpdesk_is_local: bool = False) -> list[Check]:
    """FEEDBACKLOOP_PUBLIC_URL is where Zendesk delivers: it must be public, https, and answering.

    A helpdesk on loopback (the sandbox, via ZENDESK_API_URL) delivers on loopback too, so for it a
    local address is fine.
    """
    name = "FEEDBACKLOOP_PUBLIC_URL"
    fix = "set FEEDBACKLOOP_PUBLIC_URL to the https address Zendesk reaches this service at, then run install"
    parts = urlsplit(public_url)
    if is_loopback(parts.hostname or "") and not helpdesk_is_local:
        return [Check(name, "problem", f"{public_url} is a loopback address: Zendesk cannot deliver to it", fix)]
    checks = []
    if parts.scheme != "https" and not helpdesk_is_local:
        checks.append(Check(name, "warning", f"{public_url} is plain http: deliveries travel unencrypted", fix))
    url = public_url.rstrip("/") + HEALTH_PATH
    try:
        status = probe(url)
    except requests.RequestException as exc:
        return [*checks, Check("reachability", "problem", f"GET {url} failed from here: {type(exc).__name__}",
                               "start the service (`feedbackloop serve`) and make the URL reachable")]
    if status != 200:
        return [*checks, Check("reachability", "problem", f"GET {url} answered {status}",
                               "check that this URL is served by feedbackloop and that /healthz is ok")]
    return [*checks, Check("reachability", "ok", f"GET {url} answered 200 (from this machine)")]


def check_reconciliation_state(factory: sessionmaker[Session], tenant_id: str) -> list[Check]:
    """What the running service found: reconciliation disabled after Zendesk refused the export."""
    from feedbackloop.store.access import RECONCILIATION, feature

    with session_scope(factory) as session:
        row = feature(session, tenant_id, RECONCILIATION)
        if row is None or row.enabled:
            return []
        return [Check("reconciliation (service)", "warning",
                      f"disabled since {row.changed_at:%Y-%m-%d %H:%M} UTC: {row.reason}",
                      f"{zendesk.ADMIN_FIX}; the service tries again within an hour")]


def check_id_settings(settings: Settings, ledger: Sequence[Installed]) -> list[Check]:
    """ZENDESK_CSAT_FIELD_ID / ZENDESK_REVIEW_GROUP_ID should name the installed field and group."""
    known = {(entry.kind, entry.key): entry.remote_id for entry in ledger}
    checks = []
    for variable, attribute, kind, key in ID_SETTINGS:
        installed, configured = known.get((kind, key)), getattr(settings, attribute, None)
        if installed is None or str(configured) == installed:
            continue
        checks.append(Check(variable, "warning", f"is {configured or 'unset'}, but install made id {installed}",
                            f"add {variable}={installed} to .env (or the environment) and restart "
                            "feedbackloop"))
    return checks


# --- output ---------------------------------------------------------------------------------------


def format_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Left-aligned columns, two spaces apart."""
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip()
             for row in [header, *rows]]
    return "\n".join(lines)


def format_plan(outcomes: Sequence[Outcome]) -> str:
    """The plan (or what was done) as an aligned table: action, kind, name[, note]."""
    with_notes = any(outcome.note for outcome in outcomes)
    header = ["action", "kind", "name", *(["note"] if with_notes else [])]
    rows = [[o.action, o.kind, o.title, *([o.note] if with_notes else [])] for o in outcomes]
    return format_table(header, rows)


def format_checks(checks: Sequence[Check]) -> str:
    """One line per check, its fix indented under a problem or warning."""
    width = max(len(check.name) for check in checks)
    lines = []
    for check in checks:
        lines.append(f"{STATUS_LABELS[check.status]:<8} {check.name:<{width}}  {check.detail}")
        if check.fix and check.status in ("problem", "warning"):
            lines.append(f"{'':<8} {'':<{width}}  fix: {check.fix}")
    return "\n".join(lines)


def id_hints(settings: Settings, outcomes: Sequence[Outcome]) -> list[str]:
    """`VARIABLE=id` lines for settings that do not yet name the installed field and group."""
    made = {(o.kind, o.key): o.remote_id for o in outcomes if o.remote_id}
    hints = []
    for variable, attribute, kind, key in ID_SETTINGS:
        remote_id = made.get((kind, key))
        if remote_id is not None and str(getattr(settings, attribute, None)) != remote_id:
            hints.append(f"{variable}={remote_id}")
    return hints


# --- the commands ---------------------------------------------------------------------------------


def command_context() -> tuple[Settings, Engine, sessionmaker[Session]]:
    """Settings and the database, or a one-line error (never a traceback)."""
    from feedbackloop.commands.config_check import checked_settings

    try:
        # the whole `config check`: stop on any error (install stores the webhook secrets; doctor checks them)
        settings = with_encryption_key(checked_settings(unless=("ZENDESK_WEBHOOK_SECRET",)))
        account_of(settings, None)
        if encryption_keys(settings):
            fernet_of(encryption_keys(settings))  # a malformed key fails here, before any call
    except ConfigError as exc:
        raise click.ClickException(f"configuration error: {exc}") from None
    from feedbackloop.store.db import missing_database

    if missing := missing_database(settings.database_url):  # connecting would create an empty SQLite file
        raise click.ClickException(missing)
    engine = make_engine(settings.database_url)
    try:
        require_schema(engine)
    except ConfigError as exc:
        engine.dispose()
        raise click.ClickException(str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - an unreachable database is one line for the admin
        engine.dispose()
        from feedbackloop.store.db import describe_error

        raise click.ClickException(f"cannot use the database {redact_url(settings.database_url)}: "
                                   f"{describe_error(exc)} (FEEDBACKLOOP_DATABASE_URL)") from None
    return settings, engine, make_session_factory(engine)


def guarded(action: Callable[[], Any]) -> Any:
    """Run one operation; our typed errors become one line and exit status 1."""
    try:
        return action()
    except FeedbackloopError as exc:
        raise click.ClickException(str(exc)) from None


@click.command("install")
@click.option("--dry-run", is_flag=True, help="Print the plan (create / update / keep) and change nothing.")
def install_command(dry_run: bool) -> None:
    """Create or update the webhooks, triggers, fields, group, view and macro in Zendesk."""
    settings, engine, factory = command_context()
    try:
        outcomes = guarded(lambda: run_install(settings, factory, dry_run=dry_run))
    finally:
        engine.dispose()
    click.echo(format_plan(outcomes))
    changed = sum(1 for o in outcomes if o.writes)
    if dry_run:
        click.echo(f"\ndry run: {changed} change(s) planned, nothing was changed")
        return
    click.echo(f"\n{changed} change(s) made; webhook signing secrets stored"
               f"{' (encrypted)' if encryption_keys(settings) else f' (unencrypted: set {ENCRYPTION_KEY_SETTING})'}")
    for hint in id_hints(settings, outcomes):
        click.echo(f"set {hint}")


@click.command("uninstall")
@click.option("--dry-run", is_flag=True, help="Print what would be deleted and change nothing.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def uninstall_command(dry_run: bool, yes: bool) -> None:
    """Delete exactly what `feedbackloop install` created (fields take their values with them)."""
    if not dry_run and not yes:
        click.confirm("Delete feedbackloop's webhooks, triggers, fields (and their values on tickets), group, "
                      "view and macro from Zendesk?", abort=True)
    settings, engine, factory = command_context()
    try:
        outcomes = guarded(lambda: run_uninstall(settings, factory, dry_run=dry_run))
    finally:
        engine.dispose()
    if not outcomes:
        click.echo("nothing to uninstall: install has not made anything for this tenant")
        return
    click.echo(format_plan(outcomes))
    if dry_run:
        click.echo("\ndry run: nothing was deleted")


@click.command("doctor")
def doctor_command() -> None:
    """Check the live install and say what is wrong and how to fix it (exit 1 on any problem)."""
    settings, engine, factory = command_context()
    try:
        checks = guarded(lambda: run_doctor(settings, factory))
    finally:
        engine.dispose()
    click.echo(format_checks(checks))
    problems = sum(1 for check in checks if check.status == "problem")
    click.echo(f"\n{problems} problem(s)" if problems else "\nall good")
    if problems:
        sys.exit(1)


# --- the Zendesk app package ----------------------------------------------------------------------


def backend_url_of(given: str | None) -> str:
    """--backend-url, else FEEDBACKLOOP_PUBLIC_URL; the sidebar and webhooks need https."""
    if given is None:
        try:
            given = load_settings(demo=True).public_url
        except ConfigError as exc:
            raise click.ClickException(f"configuration error: {exc}") from None
    if urlsplit(given).scheme != "https":
        click.echo(f"warning: {given} is not https; Zendesk apps and webhooks need an https backend", err=True)
    return given.rstrip("/")


@click.group("app")
def app_group() -> None:
    """The Zendesk app (manifest/): ticket sidebar plus the same fields, triggers, webhooks, view and macro."""


@app_group.command("package")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("dist/feedbackloop-zendesk-app.zip"), show_default=True)
@click.option("--source", type=click.Path(file_okay=False, exists=True, path_type=Path),
              default=Path("manifest"), show_default=True, help="The app's source folder.")
@click.option("--backend-url", help="The service's https address (default: FEEDBACKLOOP_PUBLIC_URL).")
def app_package_command(out: Path, source: Path, backend_url: str | None) -> None:
    """Build the zip to upload in Admin Center > Apps and integrations > Zendesk Support apps."""
    from feedbackloop.helpdesks.zendesk.app_package import build_package

    try:
        path = build_package(source, out, backend_url_of(backend_url))
    except (OSError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"wrote {path}")


@app_group.command("requirements")
@click.option("--backend-url", help="The service's https address (default: FEEDBACKLOOP_PUBLIC_URL).")
def app_requirements_command(backend_url: str | None) -> None:
    """Print the requirements.json the package would carry."""
    from feedbackloop.helpdesks.zendesk.app_package import dumps, render_requirements

    click.echo(dumps(render_requirements(backend_url_of(backend_url))), nl=False)


@app_group.command("images")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("manifest/assets"),
              show_default=True)
def app_images_command(out: Path) -> None:
    """Draw logo.png, logo-small.png and screenshot-0.png again."""
    from feedbackloop.helpdesks.zendesk.app_package import write_images

    for path in write_images(out):
        click.echo(f"wrote {path}")


#: Registered by cli.py.
COMMANDS = (install_command, uninstall_command, doctor_command, app_group)

