"""`feedbackloop config check`: every setting, where its value came from, and every problem at once.

`serve`, `worker`, `install` and `doctor` run the same check when they start (`checked_settings`)
and stop on its errors; warnings are printed and the command goes on.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from pathlib import Path

from feedbackloop.core.errors import ConfigError
from feedbackloop.core.settings import (
    DEFAULT_PORT,
    ConfigProblems,
    Env,
    Problem,
    Settings,
    build_settings,
    header_timeout,
    is_sqlite_file,
    log_settings_from_env,
    read_env,
    redact_url,
    webhook_lane,
)

#: Read by gunicorn.conf.py / feedbackloop.gunicorn_conf (from the environment only), not by the CLI.
GUNICORN_SETTINGS = ("FEEDBACKLOOP_BIND", "PORT", "WEB_CONCURRENCY", "FEEDBACKLOOP_WEB_THREADS",
                     "FEEDBACKLOOP_HEADER_TIMEOUT", "FEEDBACKLOOP_WEBHOOK_LANE", "PROMETHEUS_MULTIPROC_DIR")
#: Settings read outside `settings_from_env` (logging, alerts): listed even when unset.
OTHER_SETTINGS = ("FEEDBACKLOOP_LOG_FORMAT", "FEEDBACKLOOP_LOG_LEVEL", "FEEDBACKLOOP_ALERT_INTERVAL",
                  "FEEDBACKLOOP_ALERT_PERIOD", "FEEDBACKLOOP_ALERT_BASELINE_PERIODS", "FEEDBACKLOOP_ALERT_MIN_N",
                  "FEEDBACKLOOP_ALERT_FDR", "FEEDBACKLOOP_ALERT_DIMENSIONS", "FEEDBACKLOOP_ALERT_WEBHOOK_URL",
                  "FEEDBACKLOOP_ALERT_WEBHOOK_SECRET")
OUR_PREFIXES = ("FEEDBACKLOOP_", "ZENDESK_")
SECRET_WORDS = ("SECRET", "TOKEN", "PASSWORD", "ENCRYPTION_KEY", "PUBLIC_KEY")


@dataclass
class Report:
    """What `config check` found: the settings (when they could be built) and the rows to show."""

    env: Env
    settings: Settings | None
    rows: list[tuple[str, str, str]] = field(default_factory=list)  # (setting, shown value, source)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.env.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.env.problems if p.severity == "warning"]


def check_config(env: Env | None = None, *, demo: bool = False, port: int = DEFAULT_PORT) -> Report:
    """Read every setting, collect every problem (errors and warnings); never raises ConfigError."""
    env = env if env is not None else read_env()
    settings = build_settings(env, demo=demo, port=port)
    _check_logging(env)
    _check_alerts(env, settings)
    _check_gunicorn(env)
    if not env.errors:
        _warn(env, settings, demo=demo)
    _warn_unknown(env)
    report = Report(env, None if env.errors else settings)
    report.rows = [(name, shown_value(name, env.get(name, "")) or _default_shown(env, name), env.source(name))
                   for name in known_settings(env)]
    return report


def checked_settings(*, port: int = DEFAULT_PORT, warn: bool = True, unless: tuple[str, ...] = ()) -> Settings:
    """The full check at a command's start: raise ConfigProblems listing every error; print warnings
    (except those about the settings in `unless`: `install` is the fix for the missing webhook secret)."""
    report = check_config(port=port)
    if report.errors or report.settings is None:
        raise ConfigProblems(report.errors)
    if warn:
        import click

        for problem in report.warnings:
            if problem.setting not in unless:
                click.echo(f"warning: {problem.message}", err=True)
    return report.settings


def _default_shown(env: Env, name: str) -> str:
    default = env.defaults.get(name) or ALERT_AND_LOG_DEFAULTS.get(name)
    return f"{default} (default)" if default else ""


#: Defaults of the settings read outside settings_from_env (alerts.py, logs, gunicorn_conf.py).
ALERT_AND_LOG_DEFAULTS = {"FEEDBACKLOOP_LOG_LEVEL": "INFO", "FEEDBACKLOOP_ALERT_INTERVAL": "3600",
                          "FEEDBACKLOOP_ALERT_PERIOD": "week", "FEEDBACKLOOP_ALERT_BASELINE_PERIODS": "4",
                          "FEEDBACKLOOP_ALERT_MIN_N": "30", "FEEDBACKLOOP_ALERT_FDR": "0.05",
                          "WEB_CONCURRENCY": "2", "FEEDBACKLOOP_WEB_THREADS": "16",
                          "FEEDBACKLOOP_HEADER_TIMEOUT": "10", "FEEDBACKLOOP_WEBHOOK_LANE": "1"}
#: Shown first: what every install must set.
REQUIRED = ("FEEDBACKLOOP_SECRET_KEY", "ZENDESK_SUBDOMAIN", "ZENDESK_EMAIL", "ZENDESK_API_TOKEN")


def known_settings(env: Env) -> list[str]:
    """Every setting the code reads: the required ones, the rest in the order the code reads them."""
    names = list(REQUIRED) + [n for n in env.read if (n.startswith(OUR_PREFIXES) or n in GUNICORN_SETTINGS)
                              and n not in REQUIRED]
    for name in (*OTHER_SETTINGS, *GUNICORN_SETTINGS):
        if name not in names:
            names.append(name)
    return names


def shown_value(name: str, value: str) -> str:
    """A value fit to print: secrets as "set (N characters)", a database URL without its password."""
    value = value.strip()
    if not value:
        return ""
    if name.endswith("DATABASE_URL"):
        return redact_url(value)
    if any(word in name for word in SECRET_WORDS):
        return f"set ({len(value)} characters, hidden)"
    return value if len(value) <= 60 else value[:57] + "..."


def _check_logging(env: Env) -> None:
    try:
        log_settings_from_env(env)
    except ConfigError as exc:
        setting = "FEEDBACKLOOP_LOG_FORMAT" if "FORMAT" in str(exc) else "FEEDBACKLOOP_LOG_LEVEL"
        env.problem(setting, str(exc))


def _check_alerts(env: Env, settings: Settings) -> None:
    from feedbackloop.insight import alerts

    values = Env({k: v for k, v in env.items() if k.startswith("FEEDBACKLOOP_ALERT_")})
    try:
        alerts.alert_config(settings.with_(extra=values))
    except ConfigProblems as exc:
        env.problems.extend(exc.problems)
    except ConfigError as exc:
        env.problem("FEEDBACKLOOP_ALERT_*", str(exc))
    for name in values.read:
        env.read.setdefault(name, None)


def _check_gunicorn(env: Env) -> None:
    for name, minimum in (("WEB_CONCURRENCY", 1), ("FEEDBACKLOOP_WEB_THREADS", 1), ("PORT", 1)):
        raw = env.get(name, "").strip()
        if raw and not (raw.isascii() and raw.isdigit() and int(raw) >= minimum):
            env.problem(name, f"{name} must be a whole number of at least {minimum} (e.g. 4), got {raw!r}")
    # the threaded worker's own settings (gunicorn_worker.py), parsed by the functions it uses
    for name, parse in (("FEEDBACKLOOP_HEADER_TIMEOUT", header_timeout), ("FEEDBACKLOOP_WEBHOOK_LANE", webhook_lane)):
        try:
            parse(env)
        except ConfigError as exc:
            env.problem(name, str(exc))
    for name in GUNICORN_SETTINGS:
        if env.source(name) not in ("environment", "default"):
            env.problem(name, f"{name} is set in {env.source(name)}, but gunicorn reads only the environment: "
                              f"export it (e.g. in the systemd unit: Environment={name}=...)", "warning")


def _warn(env: Env, settings: Settings, *, demo: bool) -> None:
    """Settings that work but probably not as the admin means them."""
    if demo:
        return
    account = settings.zendesk
    if account is not None and not account.webhook_secret and not _stored_webhook_secrets(settings):
        env.problem("ZENDESK_WEBHOOK_SECRET",
                    "ZENDESK_WEBHOOK_SECRET is not set and `feedbackloop install` has not stored any webhook secret "
                    "yet: until you run `feedbackloop install`, Zendesk's deliveries are refused (401). Set it only "
                    "for a webhook you made by hand (Admin Center > Apps and integrations > Webhooks > the webhook "
                    "> Reveal secret)", "warning")
    if not settings.encryption_key:
        env.problem("FEEDBACKLOOP_ENCRYPTION_KEY",
                    "FEEDBACKLOOP_ENCRYPTION_KEY is not set: the webhook secrets `install` stores and other accounts' "
                    "API tokens are kept unencrypted in the database; make a key with `feedbackloop tenant keygen`",
                    "warning")
    if env.source("FEEDBACKLOOP_PUBLIC_URL") == "default":
        env.problem("FEEDBACKLOOP_PUBLIC_URL",
                    f"FEEDBACKLOOP_PUBLIC_URL is not set, so survey links and webhooks point at {settings.public_url}, "
                    "which customers and Zendesk cannot reach; set the https address of this service "
                    "(e.g. https://feedback.example.com)", "warning")


def _stored_webhook_secrets(settings: Settings) -> bool:
    """Whether `install` stored webhook secrets for the default account (False when unknown)."""
    path = is_sqlite_file(settings.database_url)
    if path is not None and not path.exists():
        return False
    try:
        from feedbackloop.store.db import make_engine, make_session_factory, session_scope
        from feedbackloop.store.ledger import encryption_keys, webhook_secrets

        engine = make_engine(settings.database_url)
        try:
            with session_scope(make_session_factory(engine)) as session:
                return bool(webhook_secrets(session, "default", encryption_keys(settings)))
        finally:
            engine.dispose()
    except Exception:  # noqa: BLE001 - no database or no schema yet: nothing stored
        return False


def _warn_unknown(env: Env) -> None:
    """A FEEDBACKLOOP_* or ZENDESK_* name nothing reads is most often a typo."""
    known = set(known_settings(env))
    for name in sorted(env):
        if name.startswith(OUR_PREFIXES) and name not in known and env.get(name, "").strip():
            close = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            env.problem(name, f"{name} is not a feedbackloop setting; it is ignored{hint}", "warning")


# --- output ---------------------------------------------------------------------------------------


def format_report(report: Report, dotenv_path: str = ".env") -> str:
    """The table of settings, then each problem with its fix."""
    where = Path(dotenv_path).resolve()
    found = "found" if where.exists() else "not found"
    lines = [f"settings from the environment, then {where} ({found}); the environment wins", ""]
    width = max(len(name) for name, _, _ in report.rows)
    lines.append(f"{'setting':<{width}}  {'from':<12} value")
    for name, value, source in report.rows:
        lines.append(f"{name:<{width}}  {source:<12} {value or '-'}")
    lines.append("")
    for problem in report.errors:
        lines.append(f"error:   {problem.message}")
    for problem in report.warnings:
        lines.append(f"warning: {problem.message}")
    errors, warnings = len(report.errors), len(report.warnings)
    if errors:
        lines.append(f"\n{errors} error(s), {warnings} warning(s): fix the errors, then run `feedbackloop config check` again")
    else:
        lines.append(f"configuration OK ({warnings} warning(s))")
    return "\n".join(lines)


def report_json(report: Report) -> str:
    return json.dumps({
        "ok": not report.errors,
        "settings": [{"name": n, "value": v, "source": s} for n, v, s in report.rows],
        "errors": [{"setting": p.setting, "message": p.message} for p in report.errors],
        "warnings": [{"setting": p.setting, "message": p.message} for p in report.warnings],
    }, indent=2)
