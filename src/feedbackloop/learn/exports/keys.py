"""The export salt: one random key per deployment, stored in the database at first use.

Ticket hashes and the train/test split are keyed by it, so they stay the same across exports,
deployments that share the database, and rotations of FEEDBACKLOOP_SECRET_KEY (which used to key
them: a rotation moved tickets across the split). Whoever holds only an exported file cannot
reverse a hash (ticket and requester ids are guessable); whoever holds the database has the data
itself anyway.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from feedbackloop.store.db import utcnow
from feedbackloop.store.models import ExportKey

SALT_NAME = "export_salt.v1"
TICKET_LABEL = b"feedbackloop.export.ticket-hash.v2"
SPLIT_LABEL = b"feedbackloop.export.split.v1"


def stored_salt(engine: Engine) -> bytes:
    """The deployment's export salt; made and stored by the first caller (of two racing, one wins)."""
    for _ in range(2):
        try:
            with Session(engine) as session, session.begin():
                value = session.scalar(select(ExportKey.value).where(ExportKey.name == SALT_NAME))
                if value is None:
                    value = secrets.token_hex(32)
                    session.add(ExportKey(name=SALT_NAME, value=value, created_at=utcnow()))
            return bytes.fromhex(value)
        except IntegrityError:  # another export stored one first: read theirs
            continue
    raise RuntimeError("the export salt could not be stored or read")  # pragma: no cover


def derive(salt: bytes, label: bytes) -> bytes:
    """A key for one use of the salt (ticket hashes, the split), so neither reveals the other."""
    return hmac.new(salt, label, hashlib.sha256).digest()
