"""A faithful stand-in for the parts of Zendesk feedbackloop uses, for tests and `feedbackloop demo`.

It answers Zendesk's REST API (checked with the real zenpy client) and sends signed Events-API
webhooks the way Zendesk does. Nothing starts on import: `serve_sandbox` runs it on a loopback
port in a daemon thread, `create_sandbox_app` gives the bare Flask app.

    server = serve_sandbox(port=0, email="bot@example.com", api_token="secret")
    server.state.set_webhook_target("http://127.0.0.1:8000/webhooks/zendesk", "webhook-secret")
    ticket_id = server.state.simulate_customer_ticket(subject="Help", body="It broke")
    server.state.simulate_status(ticket_id, "solved")   # -> ticket.status_changed OPEN/NEW -> SOLVED
    server.state.flush()
    server.shutdown()
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self

from flask import Flask
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from feedbackloop.helpdesks.sandbox.app import create_sandbox_app
from feedbackloop.helpdesks.sandbox.deliver import DeliveryOptions, DeliveryRecord
from feedbackloop.helpdesks.sandbox.limits import Fault
from feedbackloop.helpdesks.sandbox.state import ApiError, RequestRecord, SandboxConfig, SandboxState

__all__ = [
    "ApiError", "DeliveryOptions", "DeliveryRecord", "Fault", "RequestRecord", "SandboxConfig",
    "SandboxServer", "SandboxState", "create_sandbox_app", "serve_sandbox",
]


class _QuietHandler(WSGIRequestHandler):
    """werkzeug's handler without the per-request access log line (the demo prints progress bars)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Say nothing per request."""
        return


@dataclass
class SandboxServer:
    """A running sandbox: its base `url`, its `state`, and `shutdown()`."""

    url: str
    state: SandboxState
    app: Flask
    _server: BaseWSGIServer = field(repr=False)
    _thread: threading.Thread = field(repr=False)

    def shutdown(self) -> None:
        """Stop serving, close the socket and stop the webhook thread."""
        self._server.shutdown()
        self._thread.join(timeout=5)
        self._server.server_close()
        self.state.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.shutdown()


def serve_sandbox(host: str = "127.0.0.1", port: int = 0, *, state: SandboxState | None = None,
                  email: str | None = None, api_token: str | None = None, log_requests: bool = False,
                  **config: Any) -> SandboxServer:
    """Serve the sandbox on `host`:`port` (0 picks a free port) in a daemon thread.

    `config` takes `SandboxConfig` fields (rate_limit=200, export_lag=0, ...).
    """
    app = create_sandbox_app(state, email=email, api_token=api_token, **config)
    sandbox: SandboxState = app.extensions["sandbox.state"]
    handler = WSGIRequestHandler if log_requests else _QuietHandler
    server = make_server(host, port, app, threaded=True, request_handler=handler)
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else (f"[{host}]" if ":" in host else host)
    url = f"http://{shown}:{server.port}"
    sandbox.base_url = url
    # A short poll interval: shutdown() waits for the serving loop to notice (0.5 s by default).
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="sandbox-http",
                              daemon=True)
    thread.start()
    return SandboxServer(url=url, state=sandbox, app=app, _server=server, _thread=thread)
