"""gunicorn's gthread worker, reading each request's head in its event loop before a thread takes it.

A client that opens a connection and sends its headers slowly (slowloris, or a broken proxy)
holds a gthread thread for as long as it keeps sending: gunicorn 27 defers a connection that sent
nothing, but one byte is enough to take a thread, which then blocks reading the rest. With four
threads per worker, a handful of such sockets stop every signed Zendesk delivery.

`HeadFirstWorker` accepts a connection into the worker's event loop instead and collects the
request head there, without blocking, until the blank line that ends it. Only a complete head goes
to a thread (the bytes put back in front of gunicorn's parser); a head not complete within
`FEEDBACKLOOP_HEADER_TIMEOUT` seconds (default 10) is closed. The same goes for each next request on
a kept-alive connection. Bodies are small here (webhooks, forms) and are read by the thread as before.

**The webhook lane** (`WebhookLane`). A signed delivery whose head and whole body arrived together is
not handed to a thread at all: the event loop parses it with gunicorn's own parser, and the app's
webhook door verifies and parses it there (`receive.WebhookDoor.lane_prepare`); one committer thread
per worker stores what has queued meanwhile in one group-commit batch, writes each answer (the status
line, headers and access line gunicorn would have written) and gives the connection back to the loop. A thread per request cost more than verifying, parsing and storing the delivery
did: the pool hand-off, the future and its callback, and the wake after the commit (bench/README.md,
tenth round). Anything else takes the usual way, whole: other routes, a body still on its way,
chunked, `Expect`, a refusal, an ignored event type, a store that failed (the route repeats it, and a
first attempt that did commit makes the repeat a "duplicate"). `FEEDBACKLOOP_WEBHOOK_LANE=0` turns it off.

It leans on gthread's internals (`TConn`, `enqueue_req`, `finish_request`, `method_queue`,
`murder_pending`, the poller), so the `postgres` extra pins gunicorn to the 27 series, and
`tests/test_slow_clients.py` runs it. TLS, the PROXY protocol and HTTP/2 prior knowledge need the raw
socket first; with any of them configured it behaves as gthread.
"""

from __future__ import annotations

import errno
import os
import queue
import re
import selectors
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from gunicorn import SERVER
from gunicorn.config import PostRequest, PreRequest
from gunicorn.http2 import negotiation
from gunicorn.util import http_date
from gunicorn.workers.gthread import TConn, ThreadWorker

from feedbackloop.core import settings
from feedbackloop.loop.receive import LanePending, WebhookDoor, group_commit_for

#: The end of a request head, and the most a head may hold before it goes to gunicorn's parser
#: (which answers an oversized head with its own 431/400).
END_OF_HEAD = b"\r\n\r\n"
MAX_HEAD = 64 * 1024


def header_timeout() -> float:
    """Seconds a client has to send its whole request head (FEEDBACKLOOP_HEADER_TIMEOUT, default 10). A bad
    value stops gunicorn before any worker boots (`gunicorn_conf.on_starting` runs `feedbackloop config check`)."""
    return settings.header_timeout(os.environ)


class HeadFirstWorker(ThreadWorker):  # type: ignore[misc]
    """gthread, with request heads collected in the event loop (see the module docstring)."""

    def init_process(self) -> None:
        self.heads: deque[Any] = deque()
        self.head_timeout = header_timeout()
        self.lane: WebhookLane | None = None
        super().init_process()

    def load_wsgi(self) -> None:
        super().load_wsgi()
        self.lane = WebhookLane.for_worker(self)

    def run(self) -> None:
        try:
            super().run()
        finally:
            if self.lane is not None:
                self.lane.stop(self.cfg.graceful_timeout)

    def accept(self, listener: Any) -> None:
        if self.cfg.is_ssl:
            super().accept(listener)
            return
        try:
            client_sock, client_addr = listener.accept()
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        conn = TConn(self.cfg, client_sock, client_addr, listener.getsockname())
        if negotiation.prior_knowledge_allowed(self.cfg, client_addr):
            client_sock.setblocking(True)
            self.enqueue_req(conn)
            return
        client_sock.setblocking(False)
        self._await_head(conn)

    def on_client_socket_readable(self, conn: Any, client: Any) -> None:
        """A kept-alive connection has its next request coming: collect that head in the loop too."""
        if self.cfg.is_ssl:
            super().on_client_socket_readable(conn, client)
            return
        self.poller.unregister(client)
        self.keepalived_conns.remove(conn)
        self._await_head(conn, readable=True)

    def _await_head(self, conn: Any, *, readable: bool = False) -> None:
        """Collect `conn`'s next request head in the loop. A kept-alive socket the poller has just found
        `readable` is read at once: the next head is usually all there, and reading it now saves
        registering the socket again and a turn of the loop for every request."""
        conn.head = bytearray()
        conn.timeout = time.monotonic() + self.head_timeout
        self.heads.append(conn)
        if readable and self._read_head(conn, conn.sock, registered=False):
            return
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self.on_head_readable, conn))

    def on_head_readable(self, conn: Any, client: Any) -> None:
        """More of a request head arrived: keep it, or hand the complete head to a thread."""
        self._read_head(conn, client, registered=True)

    def _read_head(self, conn: Any, client: Any, *, registered: bool) -> bool:
        """Read what `client` has sent; False while the head is not complete, True once the connection
        has left this stage (its head handed to a thread, or the connection closed)."""
        try:
            chunk = client.recv(MAX_HEAD)
        except (BlockingIOError, InterruptedError):
            return False
        except OSError:
            chunk = b""
        if chunk:
            conn.head += chunk
            if END_OF_HEAD not in conn.head and len(conn.head) < MAX_HEAD:
                return False
        self._forget_head(conn, registered=registered)
        if not chunk:  # the client went away before finishing its head
            self.nr_conns -= 1
            conn.close()
            return True
        if self.lane is not None and self.alive and self.lane.take(conn):
            return True
        conn.data_ready = True
        conn.sock.setblocking(True)
        conn.init()  # a new connection's parser is made here (a kept-alive one has its own)
        conn.parser.unreader.unread(bytes(conn.head))  # the head goes back in front of the parser
        self.enqueue_req(conn)
        return True

    def _unregister(self, conn: Any) -> None:
        """Stop watching a connection's socket (already gone or closed: nothing to do)."""
        try:
            self.poller.unregister(conn.sock)
        except (OSError, KeyError, ValueError):
            pass

    def _forget_head(self, conn: Any, *, registered: bool = True) -> None:
        if registered:
            self._unregister(conn)
        try:
            self.heads.remove(conn)
        except ValueError:
            pass

    def murder_pending(self) -> None:
        """gthread's own reaping, and heads not complete in time: closed without an answer."""
        super().murder_pending()
        now = time.monotonic()
        while self.heads and self.heads[0].timeout <= now:
            conn = self.heads.popleft()
            self._unregister(conn)
            self.nr_conns -= 1
            conn.close()


def lane_enabled() -> bool:
    """FEEDBACKLOOP_WEBHOOK_LANE: on unless set to 0 (or false, no, off); checked before boot as header_timeout is."""
    return settings.webhook_lane(os.environ)


#: The request lines the lane takes: a POST to a webhook route, HTTP/1.1, no query, nothing percent-encoded
#: (the door then checks the tenant, as for any delivery).
LANE_REQUEST_LINE = re.compile(rb"POST (/webhooks/zendesk(?:/[A-Za-z0-9._~-]+)?) HTTP/1\.1")
#: A header line the lane takes: a token name without underscores, a colon, a value of visible ASCII and
#: spaces and tabs (its edges stripped). Anything else (obs-fold, control characters, other bytes) goes to
#: gunicorn's parser. Two plain patterns on the two parts, both linear in the line's length.
LANE_HEADER_NAME = re.compile(rb"[!#$%&'*+.^`|~0-9A-Za-z-]+")
LANE_HEADER_VALUE = re.compile(rb"[\x20-\x7e\t]*")
#: Headers that change how a request is framed or answered: a request carrying any goes the usual way.
LANE_REFUSED_HEADERS = frozenset({"TRANSFER-ENCODING", "EXPECT", "UPGRADE", "TE", "TRAILER", "HTTP2-SETTINGS"})


#: Deliveries the lane lets wait for the committer at once; past that the usual threads (and their number,
#: gunicorn's limit on requests in flight) take the next ones, so a stalled database is felt as before.
LANE_MAX_WAITING = 256


@dataclass(frozen=True)
class LaneHead:
    """A request head the lane takes: its path, its headers (upper-case names, as gunicorn gives them to its
    access line and hooks) and its Content-Length."""

    path: str
    headers: list[tuple[str, str]]
    length: int


def parse_lane_head(head: bytes, cfg: Any) -> LaneHead | None:
    """The head of a delivery the lane may take, else None (the request then goes to gunicorn's parser, which
    answers it as it answers any). Stricter than gunicorn's parser on every point, so that whatever this
    takes, gunicorn would have taken too: one request line of the form above, within `limit_request_line`;
    at most `limit_request_fields` header lines, each within `limit_request_field_size` and of the form
    above; no name twice; a Host; exactly one Content-Length, in digits; none of the framing headers; at most
    one of `secure_scheme_headers` (two that disagree are gunicorn's 400); a Connection header, if any, that
    asks for keep-alive."""
    lines = head.split(b"\r\n")
    request_line = LANE_REQUEST_LINE.fullmatch(lines[0])
    if request_line is None or (cfg.limit_request_line and len(lines[0]) > cfg.limit_request_line):
        return None
    if cfg.limit_request_fields and len(lines) - 1 > cfg.limit_request_fields:
        return None
    headers: list[tuple[str, str]] = []
    seen: set[str] = set()
    for line in lines[1:]:
        if cfg.limit_request_field_size and len(line) > cfg.limit_request_field_size:
            return None
        raw_name, colon, raw_value = line.partition(b":")
        value = raw_value.strip(b" \t")
        if not colon or LANE_HEADER_NAME.fullmatch(raw_name) is None or LANE_HEADER_VALUE.fullmatch(value) is None:
            return None
        name = raw_name.decode("ascii").upper()
        if name in seen or name in LANE_REFUSED_HEADERS:
            return None
        seen.add(name)
        headers.append((name, value.decode("ascii")))
    if len(seen.intersection(cfg.secure_scheme_headers)) > 1:  # gunicorn refuses two that disagree: leave it the pair
        return None
    fields = dict(headers)
    length = fields.get("CONTENT-LENGTH", "")
    if "HOST" not in fields or not length.isdigit() or len(length) > 9:
        return None
    if fields.get("CONNECTION", "keep-alive").lower() != "keep-alive":
        return None
    return LaneHead(request_line.group(1).decode("ascii"), headers, int(length))


def lane_environ(head: LaneHead, client: Any) -> dict[str, Any]:
    """The WSGI environ gunicorn would build for `head`, as far as the door and the access line read it."""
    path = head.path
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "POST", "SCRIPT_NAME": "", "PATH_INFO": path, "QUERY_STRING": "", "RAW_URI": path,
        "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http", "wsgi.multithread": True,
        "REMOTE_ADDR": client[0] if isinstance(client, tuple) else str(client),
    }
    for name, value in head.headers:
        key = name.replace("-", "_")
        environ[key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{key}"] = value
    return environ


@dataclass
class LaneRequest:
    """A delivery in the lane: its connection and bytes, its head and environ, the door's part."""

    conn: Any
    raw: bytes
    head: LaneHead
    environ: dict[str, Any]
    pending: LanePending
    started: datetime


class _AccessRecord:
    """What gunicorn's access line reads of a request and its answer (`glogging.Logger.atoms`)."""

    __slots__ = ("headers", "sent", "status")

    def __init__(self, status: str, headers: list[tuple[str, str]], sent: int | None) -> None:
        self.status = status
        self.headers = headers
        self.sent = sent


class _Done:
    """What gthread's `finish_request` reads of a finished request's future: whether to keep the connection."""

    __slots__ = ("keepalive",)

    def __init__(self, keepalive: bool) -> None:
        self.keepalive = keepalive

    def cancelled(self) -> bool:
        return False

    def result(self) -> bool:
        return self.keepalive


class WebhookLane:
    """Webhook deliveries answered from the event loop and one committer thread (see the module docstring).

    `take` runs in the event loop: a complete request whose head `parse_lane_head` takes (stricter than
    gunicorn's parser, so nothing gunicorn would refuse gets in) and that the door has verified and parsed
    is queued; anything else is left to the usual path, whole. The committer thread stores everything
    queued in one group-commit batch (`GroupCommit.submit_many`, the batches the other doors' deliveries
    share), then answers each delivery as gthread's `handle_request` would (request count and
    max_requests, keep-alive, gunicorn's status line and default headers, the access line) and hands its
    connection to `finish_request` on the loop. A delivery whose store failed goes to a thread with its
    bytes put back: the route answers it. Workers with pre_request or post_request hooks, or mounted
    under a SCRIPT_NAME, have no lane (hooks get gunicorn's own request objects).
    """

    def __init__(self, worker: Any, door: WebhookDoor) -> None:
        self.worker = worker
        self.door = door
        self.queue: queue.SimpleQueue[LaneRequest | None] = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._commit_loop, name="webhook-lane", daemon=True)
        self.thread.start()

    @classmethod
    def for_worker(cls, worker: Any) -> WebhookLane | None:
        """The lane of a worker serving feedbackloop (its app has the webhook door), unless turned off or
        the sockets need their raw bytes first (TLS, the PROXY protocol, HTTP/2 prior knowledge)."""
        cfg = worker.cfg
        door = getattr(worker.wsgi, "wsgi_app", None)
        if not isinstance(door, WebhookDoor) or not lane_enabled() or cfg.is_ssl:
            return None
        if cfg.proxy_protocol != "off":  # (HTTP/2 prior knowledge: `accept` gives those sockets to a thread)
            return None
        # hooks and a mount prefix see gunicorn's own request objects and paths: with either, the usual way
        if cfg.pre_request is not PreRequest.default or cfg.post_request is not PostRequest.default:
            return None
        if os.environ.get("SCRIPT_NAME"):
            return None
        return cls(worker, door)

    def take(self, conn: Any) -> bool:
        """In the event loop, with a complete head in `conn.head`: True if the lane took the request."""
        raw = bytes(conn.head)
        if not raw.startswith(b"POST /webhooks/zendesk"):
            return False
        end = raw.find(END_OF_HEAD)
        if end < 0:  # a head cut off at MAX_HEAD
            return False
        body_at = end + len(END_OF_HEAD)
        head = parse_lane_head(raw[:end], self.worker.cfg)
        if head is None or len(raw) - body_at != head.length:  # a body still coming, or a next request behind it
            return False
        if self.queue.qsize() >= LANE_MAX_WAITING:  # the database is slow: threads and their limit take over
            return False
        started = datetime.now()
        environ = lane_environ(head, conn.client)
        pending = self.door.lane_prepare(environ, raw[body_at:])
        if pending is None:
            return False
        conn.init()  # the connection's own parser, for its next request
        self.queue.put(LaneRequest(conn, raw, head, environ, pending, started))
        return True

    def stop(self, timeout: float) -> None:
        """Let the committer finish what is queued, then end it."""
        self.queue.put(None)
        self.thread.join(timeout)

    def _commit_loop(self) -> None:
        while True:
            first = self.queue.get()
            if first is None:
                return
            batch, stop = [first], False
            while True:
                try:
                    more = self.queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stop = True
                    break
                batch.append(more)
            try:
                self._store(batch)
            except Exception:  # noqa: BLE001 - the committer must outlive any one batch
                self.worker.log.exception("Error in the webhook lane's committer")
            if stop:
                return

    def _store(self, batch: list[LaneRequest]) -> None:
        by_engine: dict[Any, list[LaneRequest]] = {}
        for item in batch:
            by_engine.setdefault(item.pending.engine, []).append(item)
        for engine, items in by_engine.items():
            outcomes: list[Any]
            try:
                outcomes = group_commit_for(engine).submit_many([item.pending.prepared.row for item in items])
            except Exception as exc:  # noqa: BLE001 - each goes to the route, which answers it
                outcomes = [exc] * len(items)
            for item, outcome in zip(items, outcomes):
                if isinstance(outcome, BaseException):
                    self.worker.method_queue.defer(self._to_thread, item)
                    continue
                try:
                    answer = self.door.lane_answer(item.pending, item.environ, outcome)
                except Exception:  # noqa: BLE001 - nothing written yet: the route answers it ("duplicate": stored)
                    self.worker.log.exception("Error answering a webhook delivery")
                    self.worker.method_queue.defer(self._to_thread, item)
                    continue
                self._answer(item, *answer)

    def _answer(self, item: LaneRequest, headers: list[tuple[str, str]], payload: bytes) -> None:
        """Write a stored delivery's 200 as gthread's `handle_request` would (the request count and
        max_requests, keep-alive, gunicorn's status line and default headers, the access line); then the
        loop keeps or closes the connection (`finish_request`)."""
        worker, close, sent = self.worker, False, None
        worker.nr += 1
        if worker.nr >= worker.max_requests:
            if worker.alive:
                worker.log.info("Autorestarting worker after current request.")
                worker.alive = False
            close = True
        if not worker.alive or not worker.cfg.keepalive or len(worker.keepalived_conns) >= worker.max_keepalived:
            close = True
        head = "".join([f"HTTP/1.1 200 OK\r\nServer: {SERVER}\r\nDate: {http_date()}\r\n",
                        f"Connection: {'close' if close else 'keep-alive'}\r\n",
                        *(f"{name}: {value}\r\n" for name, value in headers), "\r\n"])
        message = head.encode("latin-1") + payload
        try:
            item.conn.sock.setblocking(True)
            item.conn.sock.sendall(message)
            sent = len(payload)
        except OSError:  # the client went away: the event is stored, and a retry of it is answered "duplicate"
            close = True
        finally:  # written, or the connection lost: never handed to the route after this
            try:
                if worker.log.access_log_enabled:
                    worker.log.access(_AccessRecord("200 OK", headers, sent), _AccessRecord("", item.head.headers, None),
                                      item.environ, datetime.now() - item.started)
            finally:
                worker.method_queue.defer(worker.finish_request, item.conn, _Done(not close))

    def _to_thread(self, item: LaneRequest) -> None:
        """On the loop: a delivery the lane could not store goes to a thread with its bytes put back, where the
        route answers it (a 503 with Retry-After while the database is away)."""
        item.conn.parser.unreader.unread(item.raw)
        item.conn.data_ready = True
        self.worker.enqueue_req(item.conn)
