"""A newcomer's first hour (issue 20): configuration that explains itself, safe defaults, a fast CLI."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from sqlalchemy import Engine

from feedbackloop.cli import LAZY_COMMANDS, LAZY_HELP, cli
from feedbackloop.commands.demo import DEMO_DB, demo_settings
from feedbackloop.core.settings import Settings
from feedbackloop.jobs import queue as jobs
from feedbackloop.runtime import make_runner
from feedbackloop.store.db import session_scope
from feedbackloop.wiring.services import Services, build_services

ROOT = Path(__file__).resolve().parents[1]
GOOD = {
    "FEEDBACKLOOP_SECRET_KEY": "0123456789abcdef0123",
    "FEEDBACKLOOP_PUBLIC_URL": "https://feedback.example.com",
    "ZENDESK_SUBDOMAIN": "acme",
    "ZENDESK_EMAIL": "bot@acme.com",
    "ZENDESK_API_TOKEN": "secret-api-token-value",
}
#: Every setting the CLI reads from the environment, cleared so the machine's own cannot leak in.
CLEARED = {name: None for name in os.environ if name.startswith(("FEEDBACKLOOP_", "ZENDESK_"))}


def invoke(args: list[str], env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.chdir(tmp_path)  # no stray .env
    return CliRunner().invoke(cli, args, env={**CLEARED, **env})


# --- config check -----------------------------------------------------------------------------------


def test_config_check_lists_every_setting_with_its_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".env").write_text("ZENDESK_SUBDOMAIN=acme\nZENDESK_EMAIL=bot@acme.com\n"
                                   "ZENDESK_API_TOKEN=secret-api-token-value\n")
    env = {"FEEDBACKLOOP_SECRET_KEY": GOOD["FEEDBACKLOOP_SECRET_KEY"], "ZENDESK_EMAIL": "admin@acme.com"}
    result = invoke(["config", "check", "--format", "json"], env, tmp_path, monkeypatch)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    rows = {row["name"]: row for row in report["settings"]}
    assert rows["ZENDESK_SUBDOMAIN"] == {"name": "ZENDESK_SUBDOMAIN", "value": "acme", "source": ".env"}
    assert rows["ZENDESK_EMAIL"]["value"] == "admin@acme.com" and rows["ZENDESK_EMAIL"]["source"] == "environment"
    assert rows["FEEDBACKLOOP_SURVEY_DELAY"] == {"name": "FEEDBACKLOOP_SURVEY_DELAY", "value": "86400 (default)",
                                                 "source": "default"}
    assert "secret-api-token-value" not in result.output and "0123456789abcdef0123" not in result.output
    assert rows["ZENDESK_API_TOKEN"]["value"].startswith("set (")
    assert {"FEEDBACKLOOP_LOG_LEVEL", "FEEDBACKLOOP_ALERT_PERIOD", "WEB_CONCURRENCY"} <= set(rows)
    assert report["ok"] is True
    assert {w["setting"] for w in report["warnings"]} == {"ZENDESK_WEBHOOK_SECRET", "FEEDBACKLOOP_ENCRYPTION_KEY",
                                                          "FEEDBACKLOOP_PUBLIC_URL"}


def test_config_check_reports_every_problem_in_one_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = {"ZENDESK_SUBDOMAIN": "https://acme.zendesk.com", "FEEDBACKLOOP_DATABASE_URL": "notaurl",
           "FEEDBACKLOOP_LOG_LEVEL": "LOUD", "FEEDBACKLOOP_ALERT_PERIOD": "fortnight",
           "FEEDBACKLOOP_ALERT_MIN_N": "many", "FEEDBACKLOOP_SURVEY_DELAYY": "5"}
    result = invoke(["config", "check"], env, tmp_path, monkeypatch)
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    named = [line.split()[1] for line in errors]
    assert sorted(named) == sorted(["FEEDBACKLOOP_SECRET_KEY", "ZENDESK_EMAIL", "ZENDESK_API_TOKEN",
                                    "ZENDESK_SUBDOMAIN", "FEEDBACKLOOP_DATABASE_URL", "FEEDBACKLOOP_LOG_LEVEL",
                                    "FEEDBACKLOOP_ALERT_PERIOD", "FEEDBACKLOOP_ALERT_MIN_N"])
    assert all("e.g." in line for line in errors), errors
    assert "(use acme)" in result.output
    assert "FEEDBACKLOOP_SURVEY_DELAYY is not a feedbackloop setting; it is ignored (did you mean " \
           "FEEDBACKLOOP_SURVEY_DELAY?)" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("FEEDBACKLOOP_WEBHOOK_LANE", "of", "FEEDBACKLOOP_WEBHOOK_LANE must be 1 or 0 (on or off), got 'of'"),
    ("FEEDBACKLOOP_HEADER_TIMEOUT", "ten", "FEEDBACKLOOP_HEADER_TIMEOUT must be a number of seconds above 0 (e.g. 10), "
                                           "got 'ten'"),
    ("FEEDBACKLOOP_HEADER_TIMEOUT", "0", "FEEDBACKLOOP_HEADER_TIMEOUT must be a number of seconds above 0"),
])
def test_the_web_workers_settings_are_checked_and_gunicorn_stops_on_them(
        name: str, value: str, expected: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """They used to fall back to their defaults in silence (a typo'd "of" left the webhook lane on)."""
    result = invoke(["config", "check"], {**GOOD, name: value}, tmp_path, monkeypatch)
    assert result.exit_code == 1 and expected in result.output, result.output
    listed = invoke(["config", "check", "--format", "json"], GOOD, tmp_path, monkeypatch)
    rows = {row["name"]: row["value"] for row in json.loads(listed.output)["settings"]}
    assert rows["FEEDBACKLOOP_WEBHOOK_LANE"] == "1 (default)" and rows["FEEDBACKLOOP_HEADER_TIMEOUT"] == "10 (default)"
    # gunicorn, as deployed: stops before any worker boots, with the same message and no traceback
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FEEDBACKLOOP_", "ZENDESK_"))}
    env.update(GOOD, **{name: value, "FEEDBACKLOOP_BIND": "127.0.0.1:0", "FEEDBACKLOOP_LOG_FORMAT": "text",
                        "FEEDBACKLOOP_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"})
    served = subprocess.run([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")], env=env,
                            cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert served.returncode != 0
    assert expected in served.stderr and "Traceback" not in served.stderr, served.stderr


@pytest.mark.parametrize("command", [["serve", "--port", "0"], ["worker"], ["install", "--dry-run"], ["doctor"]])
def test_long_running_and_install_commands_stop_on_the_same_check(
        command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = {**GOOD, "ZENDESK_SUBDOMAIN": "https://acme.zendesk.com", "FEEDBACKLOOP_SURVEY_SCALE": "ten"}
    result = invoke(command, env, tmp_path, monkeypatch)
    assert result.exit_code == 1, result.output
    assert "2 settings need fixing" in result.output and "(use acme)" in result.output
    assert "FEEDBACKLOOP_SURVEY_SCALE must be one of five, thumbs" in result.output
    assert "Traceback" not in result.output and list(tmp_path.iterdir()) == []


def test_install_dry_run_needs_no_webhook_secret(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """It used to stop at "ZENDESK_WEBHOOK_SECRET is required"; now it gets as far as the database."""
    result = invoke(["install", "--dry-run"], GOOD, tmp_path, monkeypatch)
    assert "ZENDESK_WEBHOOK_SECRET" not in result.output  # no error, and no warning: install is the fix
    assert "no database at" in result.output and "configuration error" not in result.output


def test_config_example_prints_the_shipped_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = invoke(["config", "example"], {}, tmp_path, monkeypatch)
    assert result.exit_code == 0
    assert result.output == (ROOT / "config.example.env").read_text()


def test_config_example_puts_the_required_settings_first_each_explained() -> None:
    lines = (ROOT / "config.example.env").read_text().splitlines()
    settings = [line.split("=")[0] for line in lines if line[:1].isupper() and "=" in line]
    assert settings[:4] == ["FEEDBACKLOOP_SECRET_KEY", "ZENDESK_SUBDOMAIN", "ZENDESK_EMAIL", "ZENDESK_API_TOKEN"]
    for name in settings[:4]:
        at = lines.index(f"{name}=")
        comment = " ".join(lines[max(0, at - 4):at])
        assert "e.g." in comment, name
    assert "Admin Center > Apps and integrations > APIs > Zendesk API" in "\n".join(lines)


# --- safe defaults ------------------------------------------------------------------------------------


def test_the_demo_never_uses_the_configured_database(settings: Settings, monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FEEDBACKLOOP_DATABASE_URL", "postgresql+psycopg://prod@db.internal/feedbackloop")
    production = settings.with_(database_url="postgresql+psycopg://prod@db.internal/feedbackloop")
    assert demo_settings(production, 8000, "http://127.0.0.1:9").database_url == f"sqlite:///{DEMO_DB}"
    chosen = demo_settings(production, 8000, "http://127.0.0.1:9", f"sqlite:///{tmp_path}/mine.db")
    assert chosen.database_url == f"sqlite:///{tmp_path}/mine.db"


def test_demo_refuses_a_bad_database_url_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = invoke(["demo", "--once", "--database", "notaurl"], {}, tmp_path, monkeypatch)
    assert result.exit_code == 2 and "'--database': the URL is not a database URL" in result.output
    assert "Traceback" not in result.output


def test_a_bad_database_url_is_one_line_for_every_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for command in (["db", "upgrade"], ["jobs"], ["report"], ["serve"]):
        result = invoke(command, {**GOOD, "FEEDBACKLOOP_DATABASE_URL": "notaurl"}, tmp_path, monkeypatch)
        assert result.exit_code == 1, (command, result.output)
        assert "FEEDBACKLOOP_DATABASE_URL is not a database URL; expected e.g. sqlite:///" in result.output
        assert "Traceback" not in result.output and len(result.output.strip().splitlines()) <= 2


def run_python(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FEEDBACKLOOP_", "ZENDESK_"))}
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120, check=False)


def test_help_and_version_import_no_subcommand(tmp_path: Path) -> None:
    """`feedbackloop --help` took ~0.6 s importing every subcommand to show its one line."""
    code = ("import sys\nfrom feedbackloop.cli import cli\n"
            "for args in (['--help'], ['--version']):\n"
            "    try:\n        cli(args)\n    except SystemExit:\n        pass\n"
            "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'flask', 'zenpy', 'alembic')"
            " or m.startswith(('feedbackloop.commands.install', 'feedbackloop.learn.exports', 'feedbackloop.report')))\n"
            "print('HEAVY', heavy)")
    done = run_python(code, tmp_path)
    assert "HEAVY []" in done.stdout, done.stdout + done.stderr
    assert "Commands:" in done.stdout and "export" in done.stdout


def test_the_lazy_help_lines_are_the_commands_own() -> None:
    import importlib

    for name, target in LAZY_COMMANDS.items():
        module, _, attr = target.partition(":")
        command = getattr(importlib.import_module(module), attr)
        assert LAZY_HELP[name] == command.get_short_help_str(500), name


def test_db_upgrade_prints_no_alembic_lines_at_the_default_level(tmp_path: Path) -> None:
    code = "from feedbackloop.cli import main\nimport sys\nsys.argv = ['feedbackloop', 'db', 'upgrade']\nmain()"
    done = run_python(code, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "alembic" not in done.stderr and done.stdout.startswith("database sqlite:///feedbackloop.db is at")


# --- /healthz reports a configuration problem found later ------------------------------------------


def test_healthz_reports_refused_credentials_until_a_job_works_again(
        sandbox: Any, settings: Settings, engine: Engine, client: FlaskClient, services: Services) -> None:
    assert client.get("/healthz").get_json()["configuration"] == "ok"
    revoked = settings.with_(zendesk=dataclasses.replace(settings.zendesk, api_token="revoked"))  # type: ignore[type-var]
    broken = build_services(revoked, engine=engine)
    now = datetime.now(timezone.utc)
    with session_scope(broken.factory) as session:
        jobs.enqueue(session, "reconcile", "reconcile:1", {}, now=now)
    runner = make_runner(broken, threads=1)
    try:
        runner.run_until_idle()
    finally:
        runner.shutdown()

    body = client.get("/healthz").get_json()  # another process's app: it reads the database
    assert body["status"] == "ok" and body["configuration"] == "problem"
    (problem,) = body["configuration_problems"]
    assert problem["tenant"] == "default" and "ZENDESK_API_TOKEN" in problem["problem"]

    with session_scope(services.factory) as session:
        jobs.enqueue(session, "reconcile", "reconcile:2", {}, now=now)
    from feedbackloop.store import config_problems

    config_problems._cleared.clear()
    working = make_runner(services, threads=1)
    try:
        working.run_until_idle()
    finally:
        working.shutdown()
    assert client.get("/healthz").get_json()["configuration"] == "ok"


def test_healthz_says_when_no_delivery_can_be_verified(settings: Settings, engine: Engine) -> None:
    from feedbackloop.app import create_app

    unsigned = settings.with_(zendesk=dataclasses.replace(settings.zendesk, webhook_secret=""))  # type: ignore[type-var]
    client = create_app(services=build_services(unsigned, engine=engine)).test_client()
    body = client.get("/healthz").get_json()
    assert body["configuration"] == "problem"
    assert "run `feedbackloop install`" in body["configuration_problems"][0]["problem"]


def test_an_unreachable_database_is_one_line_even_where_no_command_catches_it(tmp_path: Path) -> None:
    code = ("import os, sys\nos.environ['FEEDBACKLOOP_DATABASE_URL'] = 'postgresql+psycopg://u:pw@127.0.0.1:9/x'\n"
            "from feedbackloop.cli import main\nsys.argv = ['feedbackloop', 'tenant', 'list']\nmain()")
    done = run_python(code, tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("Error: cannot use the database postgresql+psycopg://u:***@127.0.0.1:9/x: OperationalError")
    assert "pw" not in line


def test_help_lists_every_command_in_process() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in ("config", "demo", "doctor", "export", "install", "report", "serve", "tenant", "worker"):
        assert f"\n  {name} " in result.output, name


def test_gunicorn_stops_on_a_configuration_error_before_any_worker(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FEEDBACKLOOP_", "ZENDESK_"))}
    env.update(GOOD, ZENDESK_SUBDOMAIN="https://acme.zendesk.com", FEEDBACKLOOP_BIND="127.0.0.1:0")
    done = subprocess.run([str(Path(sys.executable).parent / "gunicorn"), "-c", "python:feedbackloop.gunicorn_conf"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1
    assert "ZENDESK_SUBDOMAIN must be the subdomain only" in done.stderr and "(use acme)" in done.stderr
    assert "Traceback" not in done.stderr and "Booting worker" not in done.stderr


def test_tenant_add_checks_the_subdomain_like_the_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = {**GOOD, "TENANT_API_TOKEN": "x", "TENANT_WEBHOOK_SECRET": "y"}
    result = invoke(["tenant", "add", "acme", "--subdomain", "acme.zendesk.com", "--email", "bot@acme.com"],
                    env, tmp_path, monkeypatch)
    assert result.exit_code == 2
    assert "--subdomain must be the subdomain only, e.g. acme for https://acme.zendesk.com" in result.output
    assert "(use acme)" in result.output and list(tmp_path.iterdir()) == []
