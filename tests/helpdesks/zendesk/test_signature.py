"""Zendesk webhook signatures against Zendesk's published vectors, and every way to get them wrong."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from feedbackloop.core.errors import SignatureInvalid
from feedbackloop.helpdesks.zendesk import ZendeskHelpdesk, signature

VECTORS: dict[str, Any] = json.loads(
    (Path(__file__).parents[2] / "fixtures" / "zendesk" / "signatures.json").read_text(encoding="utf-8")
)
SECRET = signature.TEST_SECRET
TIMESTAMP = "2021-07-25T10:00:00Z"
BODY = b'{"say": "hello"}'
SKEW = 300.0


def at(timestamp: str, seconds: float = 0) -> datetime:
    """A `now` this many seconds after the signature timestamp."""
    return signature.parse_timestamp(timestamp) + timedelta(seconds=seconds)


def headers_for(sig: str, timestamp: str = TIMESTAMP) -> dict[str, str]:
    """The two signature headers as Zendesk sends them."""
    return {signature.SIGNATURE_HEADER: sig, signature.TIMESTAMP_HEADER: timestamp}


def vector_id(vector: dict[str, str]) -> str:
    """pytest id for a vector."""
    return vector["name"]


@pytest.mark.parametrize("vector", VECTORS["valid"], ids=vector_id)
def test_published_vector_signs_and_verifies(vector: dict[str, str]) -> None:
    body = vector["body"].encode("utf-8")

    assert signature.sign(vector["secret"], vector["timestamp"], body) == vector["signature"]
    signature.verify(headers_for(vector["signature"], vector["timestamp"]), body, vector["secret"],
                     now=at(vector["timestamp"], 1), max_skew=SKEW)


@pytest.mark.parametrize("vector", VECTORS["must_fail"], ids=vector_id)
def test_wrong_readings_of_the_docs_are_refused(vector: dict[str, str]) -> None:
    body = vector["body"].encode("utf-8")

    with pytest.raises(SignatureInvalid, match="does not match"):
        signature.verify(headers_for(vector["signature"], vector["timestamp"]), body, vector["secret"],
                         now=at(vector["timestamp"]), max_skew=SKEW)


def test_body_then_timestamp_order_is_refused() -> None:
    mac = hmac.new(SECRET.encode(), BODY + TIMESTAMP.encode(), hashlib.sha256).digest()
    swapped = base64.b64encode(mac).decode()

    with pytest.raises(SignatureInvalid, match="does not match"):
        signature.verify(headers_for(swapped), BODY, SECRET, now=at(TIMESTAMP), max_skew=SKEW)


def test_hex_digest_is_refused() -> None:
    hex_digest = hmac.new(SECRET.encode(), TIMESTAMP.encode() + BODY, hashlib.sha256).hexdigest()

    with pytest.raises(SignatureInvalid, match="does not match"):
        signature.verify(headers_for(hex_digest), BODY, SECRET, now=at(TIMESTAMP), max_skew=SKEW)


def test_test_secret_is_the_documented_one() -> None:
    assert base64.b64decode(signature.TEST_SECRET) == b"this_secret_is_for_testing_only"
    assert {vector["secret"] for vector in VECTORS["valid"]} == {signature.TEST_SECRET}


def test_tampered_body_is_refused() -> None:
    sig = signature.sign(SECRET, TIMESTAMP, BODY)

    with pytest.raises(SignatureInvalid, match="does not match"):
        signature.verify(headers_for(sig), b'{"say": "hello!"}', SECRET, now=at(TIMESTAMP), max_skew=SKEW)


def test_reserialised_body_is_refused() -> None:
    """Signing covers the raw bytes: re-encoding the parsed JSON (no space) breaks it."""
    sig = signature.sign(SECRET, TIMESTAMP, BODY)
    reencoded = json.dumps(json.loads(BODY), separators=(",", ":")).encode()

    with pytest.raises(SignatureInvalid, match="does not match"):
        signature.verify(headers_for(sig), reencoded, SECRET, now=at(TIMESTAMP), max_skew=SKEW)


def test_tampered_timestamp_is_refused() -> None:
    sig = signature.sign(SECRET, TIMESTAMP, BODY)
    later = "2021-07-25T10:00:01Z"

    with pytest.raises(SignatureInvalid, match="does not match"):
        signature.verify(headers_for(sig, later), BODY, SECRET, now=at(later), max_skew=SKEW)


def test_other_secret_is_refused() -> None:
    sig = signature.sign("another-secret", TIMESTAMP, BODY)

    with pytest.raises(SignatureInvalid, match="does not match"):
        signature.verify(headers_for(sig), BODY, SECRET, now=at(TIMESTAMP), max_skew=SKEW)


@pytest.mark.parametrize("seconds", [-SKEW - 1, SKEW + 1, 86_400], ids=["future", "stale", "day-old"])
def test_timestamp_outside_the_window_is_refused(seconds: float) -> None:
    sig = signature.sign(SECRET, TIMESTAMP, BODY)

    with pytest.raises(SignatureInvalid, match="away from now"):
        signature.verify(headers_for(sig), BODY, SECRET, now=at(TIMESTAMP, seconds), max_skew=SKEW)


@pytest.mark.parametrize("seconds", [-SKEW, 0, SKEW])
def test_timestamp_inside_the_window_is_accepted(seconds: float) -> None:
    sig = signature.sign(SECRET, TIMESTAMP, BODY)

    signature.verify(headers_for(sig), BODY, SECRET, now=at(TIMESTAMP, seconds), max_skew=SKEW)


def test_timestamp_that_is_not_iso_is_refused_even_when_signed() -> None:
    epoch = "1627207200"
    sig = signature.sign(SECRET, epoch, BODY)

    with pytest.raises(SignatureInvalid, match="not an ISO-8601 time"):
        signature.verify(headers_for(sig, epoch), BODY, SECRET, now=at(TIMESTAMP), max_skew=SKEW)


@pytest.mark.parametrize(
    ("missing", "message"),
    [(signature.SIGNATURE_HEADER, "missing X-Zendesk-Webhook-Signature header"),
     (signature.TIMESTAMP_HEADER, "missing X-Zendesk-Webhook-Signature-Timestamp header")],
)
def test_missing_header_is_refused(missing: str, message: str) -> None:
    headers = headers_for(signature.sign(SECRET, TIMESTAMP, BODY))
    del headers[missing]

    with pytest.raises(SignatureInvalid, match=message):
        signature.verify(headers, BODY, SECRET, now=at(TIMESTAMP), max_skew=SKEW)


def test_empty_signature_header_is_refused() -> None:
    with pytest.raises(SignatureInvalid, match="missing X-Zendesk-Webhook-Signature header"):
        signature.verify(headers_for(""), BODY, SECRET, now=at(TIMESTAMP), max_skew=SKEW)


def test_unconfigured_secret_is_refused() -> None:
    sig = signature.sign("", TIMESTAMP, BODY)

    with pytest.raises(SignatureInvalid, match="no webhook signing secret"):
        signature.verify(headers_for(sig), BODY, "", now=at(TIMESTAMP), max_skew=SKEW)


def test_empty_body_is_signed_and_verified() -> None:
    """GET and DELETE webhooks have no body; the signature covers the timestamp alone."""
    sig = signature.sign(SECRET, TIMESTAMP, b"")

    signature.verify(headers_for(sig), b"", SECRET, now=at(TIMESTAMP), max_skew=SKEW)
    with pytest.raises(SignatureInvalid, match="does not match"):
        signature.verify(headers_for(sig), b" ", SECRET, now=at(TIMESTAMP), max_skew=SKEW)


def test_header_names_are_case_insensitive() -> None:
    sig = signature.sign(SECRET, TIMESTAMP, BODY)
    headers = {key.lower(): value for key, value in headers_for(sig).items()}

    signature.verify(headers, BODY, SECRET, now=at(TIMESTAMP), max_skew=SKEW)


def test_format_timestamp_round_trips() -> None:
    moment = datetime(2023, 9, 18, 23, 38, 13, 999_999, tzinfo=timezone.utc)

    assert signature.format_timestamp(moment) == "2023-09-18T23:38:13Z"
    assert signature.parse_timestamp("2023-09-18T23:38:13Z") == moment.replace(microsecond=0)


def test_helpdesk_verify_delegates_to_signature() -> None:
    sig = signature.sign(SECRET, TIMESTAMP, BODY)
    helpdesk = ZendeskHelpdesk()

    helpdesk.verify(headers_for(sig), BODY, SECRET, at(TIMESTAMP), SKEW)
    with pytest.raises(SignatureInvalid):
        helpdesk.verify(headers_for(sig), BODY + b" ", SECRET, at(TIMESTAMP), SKEW)
