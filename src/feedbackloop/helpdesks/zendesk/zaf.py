"""Zendesk Apps Framework signed URLs: verify the JWT Zendesk posts when it loads our sidebar.

With `"signedUrls": true` in the app manifest, Zendesk loads the sidebar's first page with a
POST whose form field `token` is a JWT signed RS256 with the app's key pair. We accept RS256
and nothing else: a verifier that also allows HS256 can be fooled by a token HMAC-signed with
the (public!) key as the secret — the classic algorithm-confusion attack. `aud` is the app
installation's URL (different per install) and `iss` the account's subdomain host, so both are
checked against what we stored for the tenant; `exp` and `iat` must be present.

The JWT only proves the first load; later requests from the iframe need our own session.

`sub` names the agent who opened the app. Zendesk writes it as that user's API URL,
``https://{subdomain}.zendesk.com/api/v2/users/{id}.json`` (the ZAF JWT claims in "Building a
server-side app, part 5"); a bare id is accepted too. `agent_id_from_sub` reads the id, and only
from a URL on the token's own issuer host.
"""

from __future__ import annotations

import math
import re
import time
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from feedbackloop.core.errors import SignatureInvalid

ALGORITHM = "RS256"
REQUIRED_CLAIMS = ("exp", "iat", "aud", "iss")
#: Clock difference tolerated between Zendesk and us when checking exp / iat / nbf.
LEEWAY_SECONDS = 60
#: ZAF tokens are a few hundred bytes; a huge one is an attack on the parser, not a token.
MAX_TOKEN_LENGTH = 8192
MIN_RSA_BITS = 2048

#: PyJWT's own messages are precise but generic; these say what was wrong with *this* token.
PYJWT_REASONS: tuple[tuple[type[jwt.PyJWTError], str], ...] = (
    (jwt.InvalidAlgorithmError, f"app token algorithm is not allowed ({ALGORITHM} only)"),
    (jwt.InvalidSignatureError, "app token signature does not match the app's public key"),
    (jwt.MissingRequiredClaimError, "app token lacks a required claim"),
    (jwt.InvalidAudienceError, "app token audience does not match this app installation"),
    (jwt.InvalidIssuerError, "app token issuer does not match the Zendesk account"),
    (jwt.DecodeError, "app token is malformed"),
)


def verify_app_token(
    token: str, public_key_pem: str, audience: str, issuer: str, now: datetime | float | None = None
) -> dict[str, Any]:
    """The verified claims of a ZAF app token; SignatureInvalid (401) with a reason on any failure."""
    if not audience or not issuer:
        raise SignatureInvalid("app token cannot be checked: no expected audience or issuer configured")
    key = load_public_key(public_key_pem)
    check_header(token)
    try:
        claims = jwt.decode(
            token, key, algorithms=[ALGORITHM], audience=audience, issuer=issuer,
            options={"require": list(REQUIRED_CLAIMS), "verify_exp": False, "verify_iat": False,
                     "verify_nbf": False},
        )
    except jwt.PyJWTError as exc:
        raise SignatureInvalid(describe_pyjwt_error(exc)) from None
    check_times(claims, _epoch(now))
    return claims


#: The path of a user in the `sub` URL: /api/v2/users/{id}.json (".json" optional).
SUB_USER_PATH = re.compile(r"/api/v2/users/(?P<id>[0-9]{1,19})(?:\.json)?")


def agent_id_from_sub(sub: object, issuer: str) -> int | None:
    """The Zendesk user id in a ZAF token's `sub`: the user's API URL on `issuer`'s host, or a bare id.

    None for anything else (another host, another path, not a positive id): the sidebar then works
    without naming the agent, rather than trusting a claim it cannot read.
    """
    if isinstance(sub, bool):
        return None
    if isinstance(sub, int):
        return sub if sub > 0 else None
    if not isinstance(sub, str):
        return None
    text = sub.strip()
    if text.isascii() and text.isdigit():
        return int(text) or None
    parts = urlsplit(text)
    if parts.scheme != "https" or (parts.hostname or "").lower() != issuer.lower() or parts.query or parts.fragment:
        return None
    match = SUB_USER_PATH.fullmatch(parts.path)
    return int(match["id"]) or None if match else None


def load_public_key(public_key_pem: str) -> RSAPublicKey:
    """The app's RSA public key; anything else (a secret, an EC key, a short key) is refused."""
    try:
        key = load_pem_public_key(public_key_pem.encode("utf-8"))
    except (ValueError, TypeError):
        raise SignatureInvalid("app public key is not a PEM-encoded public key") from None
    if not isinstance(key, RSAPublicKey):
        raise SignatureInvalid("app public key is not an RSA key (ZAF signs with RS256)")
    if key.key_size < MIN_RSA_BITS:
        raise SignatureInvalid(f"app public key is shorter than {MIN_RSA_BITS} bits")
    return key


def check_header(token: str) -> None:
    """Refuse oversized tokens and any algorithm but RS256 before any key is used."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        raise SignatureInvalid("app token is missing or too long")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise SignatureInvalid("app token is malformed") from None
    algorithm = header.get("alg")
    if algorithm != ALGORITHM:
        raise SignatureInvalid(f"app token algorithm {algorithm!r} is not allowed ({ALGORITHM} only)")


def check_times(claims: dict[str, Any], now: float) -> None:
    """exp in the future, iat (and nbf, if present) not in the future, all numeric; with leeway."""
    exp, iat = _numeric_claim(claims, "exp"), _numeric_claim(claims, "iat")
    if exp <= now - LEEWAY_SECONDS:
        raise SignatureInvalid("app token has expired")
    if iat > now + LEEWAY_SECONDS:
        raise SignatureInvalid("app token was issued in the future (iat)")
    if "nbf" in claims and _numeric_claim(claims, "nbf") > now + LEEWAY_SECONDS:
        raise SignatureInvalid("app token is not valid yet (nbf)")


def _numeric_claim(claims: dict[str, Any], name: str) -> float:
    value = claims.get(name)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise SignatureInvalid(f"app token claim {name!r} must be a number of seconds since the epoch")
    return float(value)


def describe_pyjwt_error(exc: jwt.PyJWTError) -> str:
    for error_type, reason in PYJWT_REASONS:
        if isinstance(exc, error_type):
            if isinstance(exc, jwt.MissingRequiredClaimError):
                return f"{reason}: {exc.claim}"
            return reason
    return "app token is invalid"


def _epoch(now: datetime | float | None) -> float:
    if now is None:
        return time.time()
    if isinstance(now, datetime):
        if now.tzinfo is None:
            raise ValueError("naive datetime given as now; pass an aware UTC time")
        return now.timestamp()
    return float(now)
