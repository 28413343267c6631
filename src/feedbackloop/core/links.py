"""Signed survey links. The token names a tenant and a survey and nothing else; it is
deterministic, so a re-run of the send job can find its own link in the ticket's comments."""

from __future__ import annotations

from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeSerializer

SURVEY_SALT = "feedbackloop.loop.survey.v1"
FORM_SALT = "feedbackloop.loop.survey-form.v1"


@dataclass(frozen=True)
class SurveyRef:
    tenant_id: str
    survey_id: int


def _serializer(secret_key: str, salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=salt)


def make_token(secret_key: str, tenant_id: str, survey_id: int) -> str:
    """The URL-safe signed token for one survey."""
    return str(_serializer(secret_key, SURVEY_SALT).dumps([tenant_id, survey_id]))


def read_token(secret_key: str, token: str) -> SurveyRef | None:
    """The survey a token names, or None if it was not signed by us (tampered or made up)."""
    if not token or len(token) > 400:
        return None
    try:
        data = _serializer(secret_key, SURVEY_SALT).loads(token)
    except BadSignature:
        return None
    if (
        not isinstance(data, list)
        or len(data) != 2
        or not isinstance(data[0], str)
        or not isinstance(data[1], int)
        or isinstance(data[1], bool)
        or not 0 < data[1] <= 2**63 - 1  # a survey id no BIGINT holds: the lookup would fail (a 500)
    ):
        return None
    return SurveyRef(tenant_id=data[0], survey_id=data[1])


def survey_url(public_url: str, token: str, score: int | None = None) -> str:
    """The link the customer clicks; with a score, one click records it."""
    base = f"{public_url.rstrip('/')}/s/{token}"
    return f"{base}?score={score}" if score is not None else base


def trap_url(public_url: str, token: str) -> str:
    """The hidden link only scanners open (answers.py)."""
    return f"{public_url.rstrip('/')}/s/{token}/t"


def make_form_token(secret_key: str, token: str) -> str:
    """A CSRF token for the follow-up form, bound to this survey link."""
    return str(_serializer(secret_key, FORM_SALT).dumps(token))


def check_form_token(secret_key: str, token: str, form_token: str) -> bool:
    """True if `form_token` was issued by us for this very survey link."""
    try:
        return bool(_serializer(secret_key, FORM_SALT).loads(form_token) == token)
    except BadSignature:
        return False
