"""Slow clients cannot hold the web workers: the served configuration (gunicorn with
`gunicorn_worker.HeadFirstWorker`) collects request heads in the event loop, so 16 sockets that
never finish their headers do not delay signed deliveries, and are closed after the header timeout.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import Engine, text

from conftest import SECRET_KEY, WEBHOOK_SECRET, signed_headers
from factories import envelope
from test_crash import wait_for
from test_serve_process import free_port

ROOT = Path(__file__).resolve().parent.parent
SLOW_SOCKETS = 16
HEADER_TIMEOUT = 4


@contextmanager
def served(engine: Engine, tmp_path: Path, **settings: str) -> Iterator[tuple[str, int]]:
    """gunicorn as deployed (gunicorn.conf.py), on the test database; yields its base URL and port."""
    port = free_port()
    env = {**os.environ, "FEEDBACKLOOP_DATABASE_URL": engine.url.render_as_string(hide_password=False),
           "FEEDBACKLOOP_SECRET_KEY": SECRET_KEY, "FEEDBACKLOOP_BIND": f"127.0.0.1:{port}",
           "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus"), "ZENDESK_SUBDOMAIN": "acme",
           "ZENDESK_EMAIL": "bot@example.com", "ZENDESK_API_TOKEN": "token-not-used",
           "ZENDESK_WEBHOOK_SECRET": WEBHOOK_SECRET, **settings}
    with open(tmp_path / "gunicorn.log", "wb") as out:
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")],
                                  env=env, cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return requests.get(f"{base}/healthz", timeout=2).status_code in (200, 503)
        except requests.RequestException:  # not listening yet, or a worker still importing the app
            return False

    try:
        wait_for(up, timeout=30, what="gunicorn to answer /healthz")
        yield base, port
    finally:
        server.terminate()
        server.wait(timeout=30)


def delivery(ticket_id: int, **kwargs: Any) -> bytes:
    return json.dumps(envelope(ticket_id, "open", "solved", datetime.now(timezone.utc), **kwargs)).encode()


def raw(body: bytes, *, path: str = "/webhooks/zendesk", version: str = "HTTP/1.1", extra: str = "",
        headers: dict[str, str] | None = None) -> bytes:
    fields = signed_headers(body) if headers is None else headers
    head = "".join(f"{name}: {value}\r\n" for name, value in fields.items())
    return (f"POST {path} {version}\r\nHost: localhost\r\n{head}{extra}Content-Length: {len(body)}\r\n\r\n"
            .encode() + body)


_LEFT: dict[int, bytes] = {}  # bytes read past an answer, per socket (the next answer's, when pipelined)


def read_answer(sock: socket.socket) -> tuple[bytes, dict[str, str], bytes]:
    """One HTTP answer: its status line, headers (lower-case names) and Content-Length body."""
    data = _LEFT.pop(sock.fileno(), b"")
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise AssertionError(f"connection closed before an answer: {data!r}")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    status, *lines = head.split(b"\r\n")
    fields = {k.decode().lower(): v.decode().strip() for k, _, v in (line.partition(b":") for line in lines)}
    length = int(fields.get("content-length", 0))
    while len(rest) < length:
        rest += sock.recv(65536)
    if rest[length:]:
        _LEFT[sock.fileno()] = rest[length:]
    return status, fields, rest[:length]


@contextmanager
def connected(port: int) -> Iterator[socket.socket]:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        try:
            yield sock
        finally:
            _LEFT.pop(sock.fileno(), None)


def stored_tickets(engine: Engine) -> list[int]:
    with engine.connect() as connection:
        return list(connection.execute(text("SELECT ticket_id FROM webhook_events ORDER BY ticket_id")).scalars())


def test_sockets_that_never_finish_their_headers_do_not_delay_deliveries(engine: Engine, tmp_path: Path) -> None:
    stop = threading.Event()
    slow: list[socket.socket] = []
    with served(engine, tmp_path, WEB_CONCURRENCY="2", FEEDBACKLOOP_WEB_THREADS="4",
                FEEDBACKLOOP_HEADER_TIMEOUT=str(HEADER_TIMEOUT)) as (base, port):
        try:
            open_slow_clients(port, slow)
            threading.Thread(target=dribble, args=(slow, stop), daemon=True).start()
            time.sleep(0.5)
            session = requests.Session()
            for number in range(20):
                body = delivery(500 + number)
                started = time.monotonic()
                answer = session.post(f"{base}/webhooks/zendesk", data=body, headers=signed_headers(body), timeout=10)
                assert answer.status_code == 200, answer.text
                assert time.monotonic() - started < 2.0, "a delivery waited behind the slow clients"
            time.sleep(HEADER_TIMEOUT + 2)  # the heads never completed: every slow socket is closed by now
            for sock in slow:
                assert_closed(sock)
        finally:
            stop.set()
            for sock in slow:
                sock.close()


def open_slow_clients(port: int, slow: list[socket.socket]) -> None:
    """SLOW_SOCKETS new connections that send a request line and stop, and half as many kept-alive
    ones that do the same after one quick request."""
    for _ in range(SLOW_SOCKETS):
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(b"POST /webhooks/zendesk HTTP/1.1\r\nHost: x\r\n")
        slow.append(sock)
    for _ in range(SLOW_SOCKETS // 2):
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        sock.settimeout(5)
        assert sock.recv(65536).startswith(b"HTTP/1.1 ")
        sock.sendall(b"POST /webhooks/zendesk HTTP/1.1\r\nHost: x\r\n")
        slow.append(sock)


def dribble(slow: list[socket.socket], stop: threading.Event) -> None:
    """One more header line on every slow socket each half second, never the blank line that ends it."""
    while not stop.wait(0.5):
        for sock in slow:
            try:
                sock.sendall(b"X-Slow: 1\r\n")
            except OSError:
                pass


def assert_closed(sock: socket.socket) -> None:
    sock.settimeout(2)
    try:
        while sock.recv(65536):  # the rest of a kept-alive connection's first answer, then the close
            pass
    except ConnectionResetError:
        pass
    except TimeoutError:
        raise AssertionError("a slow client's connection is still open after the header timeout") from None


def test_kept_alive_connections_still_get_answers(engine: Engine, tmp_path: Path) -> None:
    """Several requests on one kept-alive connection each go through the head-first path."""
    with served(engine, tmp_path, WEB_CONCURRENCY="1", FEEDBACKLOOP_WEB_THREADS="2") as (base, _port):
        with requests.Session() as session:  # one connection, kept alive between requests
            for number in range(10):
                body = delivery(700 + number)
                answer = session.post(f"{base}/webhooks/zendesk", data=body, headers=signed_headers(body), timeout=5)
                assert answer.status_code == 200 and answer.json()["status"] == "accepted"


def test_a_kept_alive_connection_whose_next_head_comes_in_pieces(engine: Engine, tmp_path: Path) -> None:
    """The next head on a kept-alive socket is read as soon as the socket is readable: a head that arrived
    whole is handed on at once, one that arrived in part waits in the loop for the rest, and a client that
    closes between requests is closed; every delivery is answered and stored once."""
    with served(engine, tmp_path, WEB_CONCURRENCY="1", FEEDBACKLOOP_WEB_THREADS="2") as (_base, port):
        with connected(port) as sock:
            sock.sendall(raw(delivery(801)))
            assert read_answer(sock)[0].startswith(b"HTTP/1.1 200")
            message = raw(delivery(802))  # the next head in three pieces, a pause between each
            for piece in (message[:7], message[7:40], message[40:]):
                sock.sendall(piece)
                time.sleep(0.3)
            status, _fields, answer = read_answer(sock)
            assert status.startswith(b"HTTP/1.1 200") and b'"accepted"' in answer
            sock.sendall(raw(delivery(803)))
            assert b'"accepted"' in read_answer(sock)[2]
        with connected(port) as sock:  # answered, then closed by the client
            sock.sendall(raw(delivery(804)))
            assert read_answer(sock)[0].startswith(b"HTTP/1.1 200")
        with connected(port) as sock:  # the server still answers
            sock.sendall(raw(delivery(805)))
            assert b'"accepted"' in read_answer(sock)[2]
    assert stored_tickets(engine) == [801, 802, 803, 804, 805]
