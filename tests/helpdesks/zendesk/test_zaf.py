"""ZAF signed-URL tokens: RS256 only, aud/iss/exp/iat checked, every refusal with its reason.

The key pair is generated here; tokens are signed with PyJWT the way Zendesk signs them, and the
attacks (HS256 keyed with the public PEM, alg=none) are built by hand, since PyJWT rightly
refuses to make them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from datetime import datetime, timezone
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from feedbackloop.core.errors import SignatureInvalid
from feedbackloop.helpdesks.zendesk.zaf import LEEWAY_SECONDS, verify_app_token

AUDIENCE = "https://acme.zendesk.com/api/v2/apps/installations/360001234567.json"
ISSUER = "acme.zendesk.com"
NOW = 1_767_225_600.0  # 2026-01-01T00:00:00Z


@pytest.fixture(scope="module")
def private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def public_pem(private_key: rsa.RSAPrivateKey) -> str:
    return private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def claims(**changes: Any) -> dict[str, Any]:
    """Claims shaped like a real ZAF sidebar token, issued at NOW for five minutes."""
    base: dict[str, Any] = {
        "iss": ISSUER, "aud": AUDIENCE, "iat": int(NOW), "exp": int(NOW) + 300,
        "context": {"product": "support", "location": "ticket_sidebar"},
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def sign_rs256(private_key: rsa.RSAPrivateKey, payload: dict[str, Any], **headers: Any) -> str:
    return jwt.encode(payload, private_key, algorithm="RS256", headers=headers or None)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hand_made(header: dict[str, Any], payload: dict[str, Any], signature: bytes = b"") -> str:
    """A compact JWS assembled by hand; the signature covers nothing unless given."""
    return f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(payload).encode())}.{b64url(signature)}"


def refused(token: str, public_pem: str, **kwargs: Any) -> str:
    """The reason the token is refused (the test fails if it is accepted)."""
    with pytest.raises(SignatureInvalid) as info:
        verify_app_token(token, public_pem, kwargs.pop("audience", AUDIENCE), kwargs.pop("issuer", ISSUER),
                         now=kwargs.pop("now", NOW))
    assert info.value.status_code == 401
    return info.value.reason


def test_a_good_token_gives_its_claims(private_key: rsa.RSAPrivateKey, public_pem: str) -> None:
    token = sign_rs256(private_key, claims())
    verified = verify_app_token(token, public_pem, AUDIENCE, ISSUER, now=NOW + 10)
    assert verified["iss"] == ISSUER and verified["aud"] == AUDIENCE
    assert verified["context"] == {"product": "support", "location": "ticket_sidebar"}


def test_now_may_be_an_aware_datetime(private_key: rsa.RSAPrivateKey, public_pem: str) -> None:
    token = sign_rs256(private_key, claims())
    moment = datetime.fromtimestamp(NOW + 10, tz=timezone.utc)
    assert verify_app_token(token, public_pem, AUDIENCE, ISSUER, now=moment)["iss"] == ISSUER


def test_without_now_the_real_clock_is_used(private_key: rsa.RSAPrivateKey, public_pem: str) -> None:
    real_now = int(time.time())
    fresh = sign_rs256(private_key, claims(iat=real_now, exp=real_now + 300))
    stale = sign_rs256(private_key, claims(iat=real_now - 7200, exp=real_now - 3600))
    assert verify_app_token(fresh, public_pem, AUDIENCE, ISSUER)["exp"] == real_now + 300
    assert refused(stale, public_pem, now=None) == "app token has expired"


def test_an_expired_token_is_refused(private_key: rsa.RSAPrivateKey, public_pem: str) -> None:
    token = sign_rs256(private_key, claims())
    assert refused(token, public_pem, now=NOW + 300 + LEEWAY_SECONDS + 1) == "app token has expired"


def test_expiry_allows_a_little_clock_skew(private_key: rsa.RSAPrivateKey, public_pem: str) -> None:
    token = sign_rs256(private_key, claims())
    assert verify_app_token(token, public_pem, AUDIENCE, ISSUER, now=NOW + 300 + LEEWAY_SECONDS - 5)


def test_a_token_from_the_future_is_refused(private_key: rsa.RSAPrivateKey, public_pem: str) -> None:
    token = sign_rs256(private_key, claims(iat=int(NOW) + 3600, exp=int(NOW) + 3900))
    assert "issued in the future" in refused(token, public_pem)


def test_a_token_not_valid_yet_is_refused(private_key: rsa.RSAPrivateKey, public_pem: str) -> None:
    token = sign_rs256(private_key, claims(nbf=int(NOW) + 3600))
    assert "not valid yet" in refused(token, public_pem)


@pytest.mark.parametrize("claim", ["exp", "iat", "aud", "iss"])
def test_a_required_claim_may_not_be_missing(
    private_key: rsa.RSAPrivateKey, public_pem: str, claim: str
) -> None:
    token = sign_rs256(private_key, claims(**{claim: None}))
    assert refused(token, public_pem) == f"app token lacks a required claim: {claim}"


def test_times_must_be_numbers(private_key: rsa.RSAPrivateKey, public_pem: str) -> None:
    token = sign_rs256(private_key, claims(exp="tomorrow"))
    assert "must be a number" in refused(token, public_pem)


def test_the_wrong_audience_is_refused(private_key: rsa.RSAPrivateKey, public_pem: str) -> None:
    other_install = "https://acme.zendesk.com/api/v2/apps/installations/999.json"
    token = sign_rs256(private_key, claims(aud=other_install))
    assert "audience" in refused(token, public_pem)


def test_the_wrong_issuer_is_refused(private_key: rsa.RSAPrivateKey, public_pem: str) -> None:
    token = sign_rs256(private_key, claims(iss="evil.zendesk.com"))
    assert "issuer" in refused(token, public_pem)


def test_a_token_signed_by_another_key_is_refused(public_pem: str) -> None:
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = sign_rs256(stranger, claims())
    assert refused(token, public_pem) == "app token signature does not match the app's public key"


def test_a_tampered_payload_is_refused(private_key: rsa.RSAPrivateKey, public_pem: str) -> None:
    header, _, signature = sign_rs256(private_key, claims()).split(".")
    forged_payload = b64url(json.dumps(claims(iss=ISSUER, context={"location": "admin"})).encode())
    assert "signature" in refused(f"{header}.{forged_payload}.{signature}", public_pem)


def test_hs256_keyed_with_the_public_key_is_refused(public_pem: str) -> None:
    """Algorithm confusion: an attacker knows the public key and HMAC-signs with it as the secret."""
    header = {"alg": "HS256", "typ": "JWT"}
    signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(claims()).encode())}"
    mac = hmac.new(public_pem.encode(), signing_input.encode(), hashlib.sha256).digest()
    token = f"{signing_input}.{b64url(mac)}"
    assert refused(token, public_pem) == "app token algorithm 'HS256' is not allowed (RS256 only)"


@pytest.mark.parametrize("alg", ["none", "None", "NONE"])
def test_an_unsigned_token_is_refused(public_pem: str, alg: str) -> None:
    token = hand_made({"alg": alg, "typ": "JWT"}, claims())
    assert "is not allowed (RS256 only)" in refused(token, public_pem)


def test_another_rsa_algorithm_is_refused(private_key: rsa.RSAPrivateKey, public_pem: str) -> None:
    token = jwt.encode(claims(), private_key, algorithm="RS512")
    assert "'RS512' is not allowed" in refused(token, public_pem)


@pytest.mark.parametrize(
    "token",
    ["", "garbage", "a.b.c", "....", "eyJhbGciOiJSUzI1NiJ9.%%%.xyz", "x" * 10_000, "\u00e9.\u00e9.\u00e9"],
)
def test_garbage_is_refused(public_pem: str, token: str) -> None:
    reason = refused(token, public_pem)
    assert reason in ("app token is malformed", "app token is missing or too long")


def test_a_header_without_alg_is_refused(public_pem: str) -> None:
    assert "None is not allowed" in refused(hand_made({"typ": "JWT"}, claims()), public_pem)


def test_a_signed_non_json_payload_is_refused(private_key: rsa.RSAPrivateKey, public_pem: str) -> None:
    token = jwt.api_jws.encode(b"not json", private_key, algorithm="RS256")
    assert refused(token, public_pem) == "app token is malformed"


NOT_A_KEY = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"


@pytest.mark.parametrize("pem", ["", "not a key", NOT_A_KEY])
def test_an_unusable_public_key_is_refused(private_key: rsa.RSAPrivateKey, pem: str) -> None:
    token = sign_rs256(private_key, claims())
    assert "not a PEM-encoded public key" in refused(token, pem)


def test_a_non_rsa_public_key_is_refused(private_key: rsa.RSAPrivateKey) -> None:
    ec_pem = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    assert "not an RSA key" in refused(sign_rs256(private_key, claims()), ec_pem)


def test_a_short_rsa_key_is_refused_before_any_token_is_read(private_key: rsa.RSAPrivateKey) -> None:
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    weak_pem = weak.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    assert "shorter than 2048 bits" in refused(sign_rs256(private_key, claims()), weak_pem)


@pytest.mark.parametrize(("audience", "issuer"), [("", ISSUER), (AUDIENCE, "")])
def test_an_unconfigured_audience_or_issuer_refuses_everything(
    private_key: rsa.RSAPrivateKey, public_pem: str, audience: str, issuer: str
) -> None:
    token = sign_rs256(private_key, claims())
    assert "no expected audience or issuer" in refused(token, public_pem, audience=audience, issuer=issuer)


@pytest.mark.parametrize(("sub", "agent"), [
    ("https://acme.zendesk.com/api/v2/users/1234567.json", 1234567),  # the form Zendesk writes
    ("https://ACME.zendesk.com/api/v2/users/1234567", 1234567),
    ("1234567", 1234567), (1234567, 1234567),  # a bare id
    ("https://evil.example/api/v2/users/1234567.json", None),  # another host names nobody of ours
    ("http://acme.zendesk.com/api/v2/users/1234567.json", None),
    ("https://acme.zendesk.com/api/v2/users/1234567.json?as=1", None),
    ("https://acme.zendesk.com/api/v2/groups/1234567.json", None),
    ("https://acme.zendesk.com/api/v2/users/0.json", None), (0, None), (True, None), (None, None), ("", None),
])
def test_the_agent_is_read_from_sub_in_the_form_zendesk_writes_it(sub: object, agent: int | None) -> None:
    from feedbackloop.helpdesks.zendesk.zaf import agent_id_from_sub

    assert agent_id_from_sub(sub, "acme.zendesk.com") == agent


@pytest.mark.parametrize("claim", ["exp", "iat"])
def test_a_time_claim_that_is_not_a_finite_number_is_refused(private_key: rsa.RSAPrivateKey, public_pem: str,
                                                             claim: str) -> None:
    # json writes NaN and Infinity; compared as times they would pass every check ("never expires")
    for value in (float("nan"), float("inf")):
        token = sign_rs256(private_key, claims(**{claim: value}))
        assert refused(token, public_pem)
