from __future__ import annotations

import pytest

from feedbackloop.core.errors import ConfigError
from feedbackloop.core.settings import ConfigProblems, settings_from_env

BASE = {
    "FEEDBACKLOOP_SECRET_KEY": "0123456789abcdef0123",
    "ZENDESK_SUBDOMAIN": "acme",
    "ZENDESK_EMAIL": "bot@acme.test",
    "ZENDESK_API_TOKEN": "tok",
    "ZENDESK_WEBHOOK_SECRET": "whsec",
}


def test_defaults_follow_the_issue() -> None:
    settings = settings_from_env(BASE)
    assert settings.database_url == "sqlite:///feedbackloop.db"
    assert settings.survey_delay == 86400
    assert settings.survey_cooldown == 604800
    assert settings.survey_scale == "five"
    assert settings.reopen_window == 86400
    assert settings.review_due == 172800
    assert settings.webhook_max_skew == 300
    assert settings.survey_expiry == 28 * 86400
    assert settings.survey_reminder is None
    assert settings.public_url == "http://127.0.0.1:8000"
    assert settings.admin_token is None
    assert settings.zendesk is not None and settings.zendesk.api_url is None


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"FEEDBACKLOOP_SECRET_KEY": ""}, "FEEDBACKLOOP_SECRET_KEY"),
        ({"FEEDBACKLOOP_SECRET_KEY": "short"}, "FEEDBACKLOOP_SECRET_KEY"),
        ({"ZENDESK_API_TOKEN": ""}, "ZENDESK_API_TOKEN"),
        ({"ZENDESK_SUBDOMAIN": "https://acme.zendesk.com"}, "ZENDESK_SUBDOMAIN"),
        ({"ZENDESK_EMAIL": "bot@acme.test/token"}, "ZENDESK_EMAIL"),
        ({"FEEDBACKLOOP_DATABASE_URL": "notaurl"}, "FEEDBACKLOOP_DATABASE_URL"),
        ({"FEEDBACKLOOP_EXCLUDE_ORGANIZATION_IDS": "12,x"}, "FEEDBACKLOOP_EXCLUDE_ORGANIZATION_IDS"),
        ({"FEEDBACKLOOP_SURVEY_DELAY": "soon"}, "FEEDBACKLOOP_SURVEY_DELAY"),
        ({"FEEDBACKLOOP_SURVEY_DELAY": "-5"}, "FEEDBACKLOOP_SURVEY_DELAY"),
        ({"FEEDBACKLOOP_SURVEY_DELAY": "nan"}, "FEEDBACKLOOP_SURVEY_DELAY"),
        ({"FEEDBACKLOOP_SURVEY_DELAY": "inf"}, "FEEDBACKLOOP_SURVEY_DELAY"),
        ({"FEEDBACKLOOP_SURVEY_EXPIRY": "1e300"}, "FEEDBACKLOOP_SURVEY_EXPIRY"),
        ({"FEEDBACKLOOP_JOB_MAX_ATTEMPTS": "inf"}, "FEEDBACKLOOP_JOB_MAX_ATTEMPTS"),
        ({"FEEDBACKLOOP_JOB_MAX_ATTEMPTS": "2.5"}, "FEEDBACKLOOP_JOB_MAX_ATTEMPTS"),
        ({"FEEDBACKLOOP_JOB_MAX_ATTEMPTS": "0"}, "FEEDBACKLOOP_JOB_MAX_ATTEMPTS"),
        ({"FEEDBACKLOOP_SURVEY_SCALE": "ten"}, "FEEDBACKLOOP_SURVEY_SCALE"),
        ({"ZENDESK_API_URL": "http://zendesk.example.com"}, "ZENDESK_API_URL"),
        ({"ZENDESK_API_URL": "ftp://127.0.0.1"}, "ZENDESK_API_URL"),
        ({"FEEDBACKLOOP_PUBLIC_URL": "not a url"}, "FEEDBACKLOOP_PUBLIC_URL"),
        ({"ZENDESK_REVIEW_GROUP_ID": "abc"}, "ZENDESK_REVIEW_GROUP_ID"),
        ({"FEEDBACKLOOP_WEBHOOK_MAX_SKEW": "0"}, "FEEDBACKLOOP_WEBHOOK_MAX_SKEW"),
    ],
)
def test_a_bad_setting_is_named(changes: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        settings_from_env({**BASE, **changes})


def test_api_url_allows_plain_http_only_to_loopback() -> None:
    assert settings_from_env({**BASE, "ZENDESK_API_URL": "http://127.0.0.1:9000/"}).zendesk.api_url == "http://127.0.0.1:9000"  # type: ignore[union-attr]
    assert settings_from_env({**BASE, "ZENDESK_API_URL": "https://proxy.example.com"}).zendesk.api_url == "https://proxy.example.com"  # type: ignore[union-attr]


def test_demo_needs_no_secrets() -> None:
    settings = settings_from_env({}, demo=True, port=9123)
    assert settings.zendesk is None
    assert settings.public_url == "http://127.0.0.1:9123"


def test_secrets_stay_out_of_repr() -> None:
    settings = settings_from_env({**BASE, "FEEDBACKLOOP_DATABASE_URL": "postgresql://u:hunter2@db/x"})
    text = repr(settings) + repr(settings.zendesk)
    for secret in ("hunter2", "whsec", "0123456789abcdef0123", "tok'"):
        assert secret not in text


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ConfigProblems) as caught:
        settings_from_env({"FEEDBACKLOOP_SURVEY_DELAY": "soon", "FEEDBACKLOOP_DATABASE_URL": "notaurl"})
    named = [p.setting for p in caught.value.problems]
    assert named == ["FEEDBACKLOOP_SECRET_KEY", "FEEDBACKLOOP_DATABASE_URL", "FEEDBACKLOOP_SURVEY_DELAY",
                     "ZENDESK_SUBDOMAIN", "ZENDESK_EMAIL", "ZENDESK_API_TOKEN"]
    assert str(caught.value).startswith("6 settings need fixing:")
    for problem in caught.value.problems:  # each says the expected form, with an example
        assert "e.g." in problem.message, problem.message


def test_the_webhook_secret_is_optional() -> None:
    """`install` stores each webhook's own secret; ZENDESK_WEBHOOK_SECRET is for a hand-made webhook."""
    settings = settings_from_env({k: v for k, v in BASE.items() if k != "ZENDESK_WEBHOOK_SECRET"})
    assert settings.zendesk is not None and settings.zendesk.webhook_secret == ""


@pytest.mark.parametrize("value", ["https://acme.zendesk.com", "acme.zendesk.com", "https://acme.zendesk.com/agent"])
def test_a_subdomain_given_as_a_url_says_what_to_write(value: str) -> None:
    with pytest.raises(ConfigError, match=r"ZENDESK_SUBDOMAIN must be the subdomain only.*\(use acme\)"):
        settings_from_env({**BASE, "ZENDESK_SUBDOMAIN": value})


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("notaurl", "is not a database URL"),
        ("mysql://u:p@h/db", "only SQLite and PostgreSQL"),
        ("postgresql+psycopg2://u:p@h/db", "use psycopg"),
        ("sqlite://feedbackloop.db", "three slashes"),
        ("sqlite:////no/such/folder/x.db", "folder that does not exist"),
        ("postgresql+psycopg:///db", "names no host"),
    ],
)
def test_a_bad_database_url_is_one_line_with_the_expected_form(url: str, says: str) -> None:
    with pytest.raises(ConfigError) as caught:
        settings_from_env({**BASE, "FEEDBACKLOOP_DATABASE_URL": url})
    message = str(caught.value)
    assert "\n" not in message and says in message
    assert message.startswith("FEEDBACKLOOP_DATABASE_URL") and "postgresql+psycopg://USER:PASSWORD@HOST" in message


def test_a_database_url_never_shows_its_password() -> None:
    with pytest.raises(ConfigError) as caught:
        settings_from_env({**BASE, "FEEDBACKLOOP_DATABASE_URL": "mysql://u:hunter2@db/x"})
    assert "hunter2" not in str(caught.value)


@pytest.mark.parametrize("url", ["postgres://u:p@db:5432/x", "postgresql://u:p@db:5432/x"])
def test_postgres_urls_without_a_driver_use_psycopg(url: str) -> None:
    assert settings_from_env({**BASE, "FEEDBACKLOOP_DATABASE_URL": url}).database_url == "postgresql+psycopg://u:p@db:5432/x"
