"""gunicorn settings for the web app: JSON logs, Prometheus multiprocess mode, no preloading.

    gunicorn -c python:feedbackloop.gunicorn_conf      # an installed package
    gunicorn                                           # from a clone: ./gunicorn.conf.py loads this

Environment (gunicorn's own conventions where it has them):

* ``FEEDBACKLOOP_BIND`` (else ``0.0.0.0:$PORT`` when ``PORT`` is set, else ``127.0.0.1:8000``)
* ``WEB_CONCURRENCY``: worker processes (default 2); ``FEEDBACKLOOP_WEB_THREADS``: threads per
  worker (default 16: gthread as `gunicorn_worker.HeadFirstWorker`; 1: the sync worker)
* ``FEEDBACKLOOP_HEADER_TIMEOUT``: seconds a client has to send its request head (default 10)
* ``FEEDBACKLOOP_WEBHOOK_LANE``: 0 turns off the threaded worker's webhook lane (deliveries answered from
  its event loop and one committer thread; `gunicorn_worker.WebhookLane`)
* ``FEEDBACKLOOP_LOG_FORMAT`` / ``FEEDBACKLOOP_LOG_LEVEL``, as for the CLI (logs.py formatters, the
  access log included: one JSON object per request with method, path, status, duration_ms,
  request_id and the tenant and ticket the request named)
* ``PROMETHEUS_MULTIPROC_DIR``: with more than one worker, /metrics must add up every worker's
  counters, so a fresh directory is made when none is given; give one (emptied before start) to let
  `feedbackloop worker` processes on the same host write there too.

No job runner starts here: `create_app()` never starts one, and `preload_app` stays off so each
worker opens its own database connections after the fork.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

from feedbackloop.core.logs import QUIET_LOGGERS
from feedbackloop.core.settings import load_log_settings

__all__ = ["bind", "child_exit", "graceful_timeout", "logconfig_dict", "on_starting", "preload_app", "threads",
           "timeout", "worker_class", "workers", "wsgi_app"]

wsgi_app = "feedbackloop.app:create_app()"


def _bind() -> str:
    if os.environ.get("FEEDBACKLOOP_BIND"):
        return os.environ["FEEDBACKLOOP_BIND"]
    return f"0.0.0.0:{os.environ['PORT']}" if os.environ.get("PORT") else "127.0.0.1:8000"


bind = _bind()
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# 16 threads: a webhook waits on its batch's commit (receive.GroupCommit) without holding the GIL, and
# the deliveries waiting meanwhile make the next batch; with 4, PostgreSQL's commit latency capped a
# worker at 4 deliveries per commit (bench/README.md, issue 22).
threads = int(os.environ.get("FEEDBACKLOOP_WEB_THREADS", "16"))
# gthread, with request heads read in the worker's event loop: slow clients hold no thread
# (gunicorn_worker.py; FEEDBACKLOOP_HEADER_TIMEOUT). The sync worker (1 thread) has no such defence:
# put a buffering proxy (nginx) in front of it.
worker_class = "feedbackloop.gunicorn_worker.HeadFirstWorker" if threads > 1 else "sync"
preload_app = False
# Zendesk gives up on a webhook after ~10 s; the receiver only inserts, so 30 s is a stuck worker.
timeout = 30
graceful_timeout = 30

# Before any worker imports prometheus_client, which reads this variable once, at import.
if workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="feedbackloop-prometheus-")

_log = load_log_settings()
_formatter = {"()": "feedbackloop.core.logs.make_formatter", "log_format": _log.format}
logconfig_dict: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"feedbackloop": _formatter},
    "filters": {"context": {"()": "feedbackloop.core.logs.ContextFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "feedbackloop", "filters": ["context"],
                    "stream": "ext://sys.stderr"},
    },
    "root": {"level": _log.level, "handlers": ["console"]},
    "loggers": {
        # gunicorn's own loggers write through the root handler: one format for every line.
        "gunicorn.error": {"level": _log.level, "handlers": [], "propagate": True},
        "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": True},
        **{name: {"level": "WARNING"} for name in QUIET_LOGGERS},
    },
}


def on_starting(server: Any) -> None:
    """Stop on a configuration error before any worker boots (each would die on it with a traceback);
    the metrics directory must exist before the first worker writes to it."""
    check_configuration()
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        os.makedirs(directory, exist_ok=True)


def check_configuration() -> None:
    """`feedbackloop config check` before any worker boots: each warning and each error as a log line
    (gunicorn's format), then exit 1 on errors instead of every worker dying on them with a traceback."""
    import logging

    from feedbackloop.commands.config_check import check_config

    log = logging.getLogger("feedbackloop.config")
    report = check_config()
    for problem in report.warnings:
        log.warning("configuration: %s", problem.message)
    for problem in report.errors:
        log.error("configuration error: %s", problem.message)
    if report.errors:
        log.error("stopping: %d setting(s) need fixing (`feedbackloop config check` lists every setting and "
                  "where its value came from)", len(report.errors))
        raise SystemExit(1)


def child_exit(server: Any, worker: Any) -> None:
    """A dead worker's live gauges leave /metrics (its counters stay counted, as they should)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]
