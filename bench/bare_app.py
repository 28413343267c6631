"""The ceiling: a bare Flask endpoint that reads the body and answers 200, served like feedbackloop.

`gunicorn -w 2 'bare_app:create_app()'` (with bench/ on the Python path).
"""

from __future__ import annotations

from flask import Flask, jsonify, request
from flask.typing import ResponseReturnValue


def create_app() -> Flask:
    app = Flask(__name__)

    @app.post("/webhooks/zendesk")
    def webhook() -> ResponseReturnValue:
        request.get_data(cache=False)
        return jsonify(status="accepted"), 200

    @app.get("/healthz")
    def healthz() -> ResponseReturnValue:
        return jsonify(status="ok"), 200

    return app
