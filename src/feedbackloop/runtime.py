"""Process roles: start the job runner with its alarm clock, and serve the web app on a port."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from werkzeug.serving import BaseWSGIServer, make_server

from feedbackloop.app import create_app
from feedbackloop.runner.scheduler import Runner, make_enqueue_reconcile, start_scheduler
from feedbackloop.runner.tasks import HANDLERS
from feedbackloop.wiring.services import Services


def sandbox_credentials() -> dict[str, str]:
    """Fixed, public, loopback-only credentials of the sandbox helpdesk."""
    return {"email": "demo@example.com", "api_token": "sandbox-api-token", "webhook_secret": "sandbox-webhook-secret"}


def make_runner(services: Services, threads: int = 4) -> Runner:
    return Runner(services.factory, services.job_context(), HANDLERS, threads=threads)


def start_runner(services: Services, threads: int = 4) -> tuple[Runner, BackgroundScheduler]:
    """The job runner and its scheduler for this process (one per process role)."""
    runner = make_runner(services, threads)
    tick = make_enqueue_reconcile(services.factory, runner.ctx, services.tenants)
    scheduler = start_scheduler(runner, enqueue_reconcile=tick)
    return runner, scheduler


class ServerThread:
    """A threaded werkzeug server on a daemon thread (the demo, tests, `serve`)."""

    def __init__(self, server: BaseWSGIServer) -> None:
        self.server = server
        self.thread = threading.Thread(target=server.serve_forever, daemon=True, name="feedbackloop-http")

    @property
    def url(self) -> str:
        return f"http://{self.server.host}:{self.server.port}"

    def start(self) -> ServerThread:
        self.thread.start()
        return self

    def shutdown(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)


def serve_in_thread(services: Services, host: str, port: int, runner: Runner | None = None) -> ServerThread:
    app = create_app(services=services)
    if runner is not None:
        app.extensions["feedbackloop.runner"] = runner
    return ServerThread(make_server(host, port, app, threaded=True)).start()


def run_server(services: Services, host: str, port: int, *, runner: Runner | None = None,
               on_stop: Callable[[], Any] | None = None) -> None:
    """Serve until Ctrl-C or SIGTERM."""
    app = create_app(services=services)
    if runner is not None:
        app.extensions["feedbackloop.runner"] = runner
    server = make_server(host, port, app, threaded=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        if on_stop:
            on_stop()
