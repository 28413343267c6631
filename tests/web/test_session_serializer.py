"""The cached session serializer (app.CachedSerializerSessionInterface): reused, yet never stale."""

from __future__ import annotations

from flask import Flask


def test_the_serializer_is_reused_until_the_key_changes(app: Flask) -> None:
    interface = app.session_interface
    first = interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    assert first is not None and interface.get_signing_serializer(app) is first  # type: ignore[attr-defined]
    cookie = first.dumps({"admin": True})
    app.secret_key = "another-secret-key-0123456789abcdef"
    rotated = interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    assert rotated is not first and rotated.loads(rotated.dumps({"x": 1})) == {"x": 1}
    assert rotated.loads_unsafe(cookie)[0] is False  # a cookie signed with the old key no longer verifies


def test_a_fallback_key_still_verifies_old_cookies(app: Flask) -> None:
    interface = app.session_interface
    cookie = interface.get_signing_serializer(app).dumps({"admin": True})  # type: ignore[attr-defined]
    old_key = app.secret_key
    app.secret_key = "another-secret-key-0123456789abcdef"
    app.config["SECRET_KEY_FALLBACKS"] = [old_key]
    assert interface.get_signing_serializer(app).loads(cookie) == {"admin": True}  # type: ignore[attr-defined]
