"""Zendesk webhook signatures: verify() for the receiver, sign() for tests and the sandbox.

Zendesk signs base64(HMAC-SHA256(key=secret's own bytes, msg=timestamp + raw body)); the
timestamp header is ISO-8601 UTC. An old copy of Zendesk's docs says body + timestamp: that is
wrong, and its example vector is deliberately not used (see tests/fixtures/zendesk/signatures.json).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime, timezone

from feedbackloop.core.errors import SignatureInvalid

SIGNATURE_HEADER = "X-Zendesk-Webhook-Signature"
TIMESTAMP_HEADER = "X-Zendesk-Webhook-Signature-Timestamp"
#: Zendesk signs "Test webhook" requests sent before a webhook is saved with this fixed secret.
TEST_SECRET = "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ=="


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header Zendesk would send for this body at this timestamp."""
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("utf-8") + body, hashlib.sha256)
    return base64.b64encode(mac.digest()).decode("ascii")


def format_timestamp(moment: datetime) -> str:
    """ISO-8601 UTC with a Z, second precision, as Zendesk writes the timestamp header."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_timestamp(value: str) -> datetime:
    """Parse the ISO-8601 timestamp header; raise SignatureInvalid if it is not one."""
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise SignatureInvalid("signature timestamp is not an ISO-8601 time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment


def _header(headers: Mapping[str, str], name: str) -> str | None:
    """Header lookup that does not depend on the mapping being case-insensitive."""
    value = headers.get(name)
    if value is None:
        lowered = name.lower()
        value = next((v for k, v in headers.items() if k.lower() == lowered), None)
    return value


def verify(headers: Mapping[str, str], body: bytes, secret: str, now: datetime, max_skew: float) -> None:
    """Raise SignatureInvalid (401) unless the request carries a valid, fresh Zendesk signature.

    The HMAC is checked before the timestamp window, with a constant-time compare, and before
    any JSON parsing: the body is untrusted until this returns.
    """
    signature = _header(headers, SIGNATURE_HEADER)
    timestamp = _header(headers, TIMESTAMP_HEADER)
    if not signature:
        raise SignatureInvalid(f"missing {SIGNATURE_HEADER} header")
    if not timestamp:
        raise SignatureInvalid(f"missing {TIMESTAMP_HEADER} header")
    if not secret:
        raise SignatureInvalid("no webhook signing secret is configured for this account")
    expected = sign(secret, timestamp, body)
    if not hmac.compare_digest(expected.encode("ascii"), signature.strip().encode("utf-8", "replace")):
        raise SignatureInvalid("signature does not match")
    skew = abs((now - parse_timestamp(timestamp)).total_seconds())
    if skew > max_skew:
        raise SignatureInvalid(f"signature timestamp is {int(skew)} s away from now (limit {int(max_skew)} s)")
