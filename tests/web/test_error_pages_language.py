"""Refusals a survey page can meet outside the survey's own errors (the limiter's 429, an unknown
address, a wrong method) are told in the person's language, with what to do next."""

from __future__ import annotations

import dataclasses

import pytest
from flask.testing import FlaskClient

from feedbackloop.core.settings import Settings


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, rate_limit_survey=1)


def test_the_survey_limiters_429_in_german(client: FlaskClient) -> None:
    german = {"Accept-Language": "de-DE,de;q=0.9"}
    client.get("/s/not-a-token", headers=german)  # spends the one request of this minute
    answer = client.get("/s/not-a-token", headers=german)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 429 and int(answer.headers["Retry-After"]) > 0
    assert 'lang="de"' in page and "Zu viele Anfragen" in page and "laden Sie die Seite dann neu" in page
    assert "Too many" not in page


@pytest.mark.parametrize("language,title", [("fr", "Page introuvable"), ("ja", "ページが見つかりません"),
                                            ("en", "Page not found")])
def test_an_unknown_address_in_the_persons_language(client: FlaskClient, language: str, title: str) -> None:
    answer = client.get("/no-such-page", headers={"Accept-Language": language})
    assert answer.status_code == 404 and title in answer.get_data(as_text=True)


def test_a_wrong_method_says_to_use_the_buttons(client: FlaskClient) -> None:
    answer = client.put("/s/some-token", headers={"Accept-Language": "nl"})
    assert answer.status_code == 405 and "Gebruik de knoppen op de pagina" in answer.get_data(as_text=True)
