"""The worker's webhook lane (`gunicorn_worker.WebhookLane`), served as deployed (gunicorn.conf.py):
deliveries answered from the event loop and the committer thread get the answer a thread would have
given, with the same access line and metric; everything the lane does not take (refusals, ignored
events, chunked bodies, bodies still coming, pipelined requests, Connection: close, HTTP/1.0, a query)
takes the usual way and is answered and stored once; max_requests still restarts a worker; a head the
lane's parser would take is one gunicorn's parser takes too.
"""

from __future__ import annotations

import json
import queue
import socket
import time
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import requests
from gunicorn.config import Config
from gunicorn.http.parser import RequestParser
from sqlalchemy import Engine

from conftest import signed_headers
from feedbackloop import gunicorn_worker
from feedbackloop.gunicorn_worker import LaneRequest, WebhookLane, lane_environ, parse_lane_head
from test_slow_clients import connected, delivery, raw, read_answer, served, stored_tickets


def closed(sock: socket.socket) -> bool:
    sock.settimeout(3)
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True


def test_the_lane_answers_as_a_thread_does(engine: Engine, tmp_path: Path) -> None:
    """The same delivery to a server with the lane and one without: the same status line and headers (but
    the date) and the same answer; both stored; the lane's access line carries the same fields."""
    answers = {}
    for lane, ticket in (("1", 901), ("0", 902)):
        folder = tmp_path / f"lane-{lane}"
        folder.mkdir()
        with served(engine, folder, WEB_CONCURRENCY="1", FEEDBACKLOOP_WEB_THREADS="2", FEEDBACKLOOP_LOG_FORMAT="json",
                    FEEDBACKLOOP_WEBHOOK_LANE=lane) as (base, port):
            with connected(port) as sock:
                body = delivery(ticket)
                sock.sendall(raw(body, extra="X-Request-Id: lane-check-0001\r\n"))
                answers[lane] = read_answer(sock)
                sock.sendall(raw(body))  # the same delivery again: a duplicate, on the kept-alive connection
                assert json.loads(read_answer(sock)[2])["status"] == "duplicate"
            metrics = requests.get(f"{base}/metrics", timeout=5).text
            assert 'feedbackloop_webhooks_total{outcome="accepted",tenant="default"} 1.0' in metrics
            assert 'feedbackloop_webhooks_total{outcome="duplicate",tenant="default"} 1.0' in metrics
        log = [json.loads(line) for line in (folder / "gunicorn.log").read_text().splitlines() if line.startswith("{")]
        (access,) = [x for x in log if x["logger"] == "gunicorn.access" and x.get("request_id") == "lane-check-0001"]
        assert access["status"] == 200 and access["path"] == "/webhooks/zendesk" and access["method"] == "POST"
        assert access["tenant_id"] == "default" and access["ticket_id"] == ticket and access["event_id"] >= 1
        assert "duration_ms" in access
        outcome = [x for x in log if x["logger"] == "feedbackloop.loop.receive" and x.get("request_id") == "lane-check-0001"]
        assert outcome and outcome[0]["message"] == "webhook accepted (HTTP 200)" and outcome[0]["ticket_id"] == ticket
    (lane_status, lane_fields, lane_body), (thread_status, thread_fields, thread_body) = answers["1"], answers["0"]
    assert lane_status == thread_status == b"HTTP/1.1 200 OK"
    lane_fields.pop("date"), thread_fields.pop("date")
    assert list(lane_fields.items()) == list(thread_fields.items())
    assert lane_fields["x-request-id"] == "lane-check-0001" and lane_fields["connection"] == "keep-alive"
    assert json.loads(lane_body).keys() == json.loads(thread_body).keys() == {"status", "event_id", "ticket_id"}
    assert json.loads(lane_body)["ticket_id"] == 901 and json.loads(thread_body)["ticket_id"] == 902
    assert stored_tickets(engine) == [901, 902]


def test_what_the_lane_does_not_take_is_answered_the_usual_way_once(engine: Engine, tmp_path: Path) -> None:
    with served(engine, tmp_path, WEB_CONCURRENCY="1", FEEDBACKLOOP_WEB_THREADS="2") as (_base, port):
        with connected(port) as sock:
            body = delivery(911)
            sock.sendall(raw(body, headers={**signed_headers(body), "X-Zendesk-Webhook-Signature": "bm9wZQ=="}))
            status, _fields, answer = read_answer(sock)
            assert status == b"HTTP/1.1 401 UNAUTHORIZED" and b"signature" in answer.lower()
        with connected(port) as sock:  # an event type we ignore: 200 "ignored", nothing stored
            ignored = json.dumps({**json.loads(delivery(912)), "type": "zen:event-type:user.created"}).encode()
            sock.sendall(raw(ignored))
            assert json.loads(read_answer(sock)[2])["status"] == "ignored"
        with connected(port) as sock:  # chunked
            body = delivery(913)
            head = raw(body).split(b"\r\n\r\n")[0].replace(f"Content-Length: {len(body)}".encode(),
                                                         b"Transfer-Encoding: chunked")
            sock.sendall(head + b"\r\n\r\n" + f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n")
            assert json.loads(read_answer(sock)[2])["status"] == "accepted"
        with connected(port) as sock:  # Expect: 100-continue, then the body
            body = delivery(914)
            message = raw(body, extra="Expect: 100-continue\r\n")
            sock.sendall(message[:-len(body)])
            time.sleep(0.3)
            sock.sendall(body)
            status, _fields, answer = read_answer(sock)
            if status.startswith(b"HTTP/1.1 100"):
                status, _fields, answer = read_answer(sock)
            assert json.loads(answer)["status"] == "accepted"
        with connected(port) as sock:  # a body still on its way when the head arrived
            body = delivery(915)
            message = raw(body)
            sock.sendall(message[:-40])
            time.sleep(0.3)
            sock.sendall(message[-40:])
            assert json.loads(read_answer(sock)[2])["status"] == "accepted"
        with connected(port) as sock:  # two requests in one write (pipelined)
            first, second = delivery(916), delivery(917)
            sock.sendall(raw(first) + raw(second))
            assert json.loads(read_answer(sock)[2])["ticket_id"] == 916
            assert json.loads(read_answer(sock)[2])["ticket_id"] == 917
        with connected(port) as sock:  # Connection: close is answered, then closed
            sock.sendall(raw(delivery(918), extra="Connection: close\r\n"))
            status, fields, _answer = read_answer(sock)
            assert status == b"HTTP/1.1 200 OK" and fields["connection"] == "close" and closed(sock)
        with connected(port) as sock:  # HTTP/1.0
            sock.sendall(raw(delivery(919), version="HTTP/1.0"))
            assert read_answer(sock)[0] == b"HTTP/1.0 200 OK"
        with connected(port) as sock:  # a query string
            sock.sendall(raw(delivery(920), path="/webhooks/zendesk?source=zendesk"))
            assert json.loads(read_answer(sock)[2])["status"] == "accepted"
        with connected(port) as sock:  # a header line gunicorn refuses: gunicorn answers it, as always
            sock.sendall(raw(delivery(921), extra="Bad Header: x\r\n"))
            assert read_answer(sock)[0].startswith(b"HTTP/1.1 400")
    assert stored_tickets(engine) == [913, 914, 915, 916, 917, 918, 919, 920]


def test_max_requests_still_restarts_a_worker_answered_through_the_lane(engine: Engine, tmp_path: Path) -> None:
    with served(engine, tmp_path, WEB_CONCURRENCY="1", FEEDBACKLOOP_WEB_THREADS="2",
                GUNICORN_CMD_ARGS="--max-requests 3") as (_base, port):
        with connected(port) as sock:  # /healthz counted already: at most 3 deliveries until the restart
            connections = []
            for ticket in (931, 932, 933):
                sock.sendall(raw(delivery(ticket)))
                connections.append(read_answer(sock)[1]["connection"])
                if connections[-1] == "close":
                    break
            assert connections[-1] == "close" and set(connections[:-1]) <= {"keep-alive"} and closed(sock)
        deadline = time.monotonic() + 30  # a new worker takes over
        while True:
            try:
                with connected(port) as sock:
                    sock.sendall(raw(delivery(934)))
                    assert json.loads(read_answer(sock)[2])["status"] == "accepted"
                    break
            except (OSError, AssertionError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
    assert stored_tickets(engine) == [*range(931, 931 + len(connections)), 934]


HEADS = [
    b"POST /webhooks/zendesk HTTP/1.1\r\nHost: x\r\nContent-Length: 2",
    b"POST /webhooks/zendesk/acme-1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2",
    b"POST /webhooks/zendesk HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\nContent-Length:  2 ",
    b"POST /webhooks/zendesk HTTP/1.1\r\nhost: x\r\nx-zendesk-webhook-signature: a+b/c==\r\ncontent-length: 2",
    b"POST /webhooks/zendesk HTTP/1.1\r\nHost: x\r\nX-Forwarded-Proto: https\r\nX-Forwarded-For: 10.0.0.1\r\nContent-Length: 2",
]
REFUSED = [
    b"GET /webhooks/zendesk HTTP/1.1\r\nHost: x\r\nContent-Length: 2",
    b"POST /webhooks/zendesk?x=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 2",
    b"POST /webhooks/zendesk/%61 HTTP/1.1\r\nHost: x\r\nContent-Length: 2",
    b"POST /webhooks/zendesk HTTP/1.0\r\nHost: x\r\nContent-Length: 2",
    b"POST /webhooks/zendesk HTTP/1.1\r\nContent-Length: 2",  # no Host
    b"POST /webhooks/zendesk HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 2",
    b"POST /webhooks/zendesk HTTP/1.1\r\nHost: x\r\nContent-Length: +2",
    b"POST /webhooks/zendesk HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 2",
    b"POST /webhooks/zendesk HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2",
    b"POST /webhooks/zendesk HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 2",
    b"POST /webhooks/zendesk HTTP/1.1\r\nHost: x\r\nX_Forwarded: y\r\nContent-Length: 2",
    b"POST /webhooks/zendesk HTTP/1.1\r\nHost: x\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Ssl: off\r\nContent-Length: 2",
    b"POST /webhooks/zendesk HTTP/1.1\r\nHost: x\r\nX-A: y\r\n z\r\nContent-Length: 2",  # obs-fold
    b"POST /webhooks/zendesk HTTP/1.1\r\nHost: x\r\nX-A : y\r\nContent-Length: 2",
    b"POST /webhooks/zendesk HTTP/1.1\r\nHost: x\r\nX-A: \x01\r\nContent-Length: 2",
    b"POST /webhooks/zendesk HTTP/1.1\r\nHost: x\r\nX-A: caf\xc3\xa9\r\nContent-Length: 2",
    b"POST /webhooks/zendesk HTTP/1.1\r\nHost: x\r\nX-A: " + b"y" * 9000 + b"\r\nContent-Length: 2",
    b"POST /webhooks/zendesk HTTP/1.1\r\nHost: x\r\n" + b"X-A: y\r\n" * 0 + b"".join(
        f"X-{n}: y\r\n".encode() for n in range(120)) + b"Content-Length: 2",
]


@pytest.mark.parametrize("head", HEADS)
def test_a_head_the_lane_takes_gunicorn_takes_too_and_reads_alike(head: bytes) -> None:
    cfg = Config()
    taken = parse_lane_head(head, cfg)
    assert taken is not None
    request = next(RequestParser(cfg, [head + b"\r\n\r\n{}"], ("127.0.0.1", 5)))
    assert request.method == "POST" and request.path == taken.path and request.version == (1, 1)
    assert request.headers == taken.headers and request.body.read() == b"{}"
    environ = lane_environ(taken, ("127.0.0.1", 5))
    assert environ["PATH_INFO"] == request.path and environ["CONTENT_LENGTH"] == "2"


@pytest.mark.parametrize("head", REFUSED)
def test_anything_else_is_left_to_gunicorns_parser(head: bytes) -> None:
    assert parse_lane_head(head, Config()) is None


def test_a_batch_that_could_not_be_stored_goes_to_a_thread_with_its_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The committer's store failing (the database away): every delivery of the batch is handed, on the
    loop, to a thread with its bytes put back in front of the connection's parser, where the route answers it."""
    deferred: list[Any] = []
    enqueued: list[Any] = []
    worker = SimpleNamespace(method_queue=SimpleNamespace(defer=lambda fn, *args: deferred.append((fn, args))),
                             enqueue_req=enqueued.append)
    lane = WebhookLane.__new__(WebhookLane)
    lane.worker = worker

    class Failing:
        def submit_many(self, rows: list[Any]) -> list[Any]:
            raise RuntimeError("database went away")

    monkeypatch.setattr(gunicorn_worker, "group_commit_for", lambda engine: Failing())
    unread: list[bytes] = []
    conn = SimpleNamespace(parser=SimpleNamespace(unreader=SimpleNamespace(unread=unread.append)), data_ready=False)
    pending = SimpleNamespace(engine="engine", prepared=SimpleNamespace(row={}))
    item = LaneRequest(conn, b"POST ...", None, {}, pending, datetime.now())  # type: ignore[arg-type]
    lane._store([item])
    ((function, args),) = deferred
    function(*args)
    assert unread == [b"POST ..."] and conn.data_ready and enqueued == [conn]


def test_the_lane_takes_a_delivery_stores_it_and_writes_its_answer(app: Any, engine: Engine) -> None:
    """In-process, on the test database: the loop's half takes a whole delivery (and leaves a refused one),
    the committer's half stores the batch and writes the answer to the socket, then hands the connection
    back to the loop to keep."""
    deferred: list[Any] = []
    worker = SimpleNamespace(cfg=Config(), nr=0, max_requests=1000, alive=True, keepalived_conns=[],
                             max_keepalived=100, method_queue=SimpleNamespace(defer=lambda fn, *a: deferred.append((fn, a))),
                             log=SimpleNamespace(access_log_enabled=False), finish_request="finish")
    lane = WebhookLane.__new__(WebhookLane)
    lane.worker, lane.door, lane.queue = worker, app.wsgi_app, queue.SimpleQueue()
    ours, theirs = socket.socketpair()
    with ours, theirs:
        conn = SimpleNamespace(head=bytearray(raw(delivery(951))), client=("127.0.0.1", 5), sock=ours, init=lambda: None)
        assert lane.take(conn)
        body = delivery(952)
        refused = SimpleNamespace(head=bytearray(raw(body, headers={**signed_headers(body),
                                                                    "X-Zendesk-Webhook-Signature": "bm9wZQ=="})),
                                  client=("127.0.0.1", 5), sock=ours, init=lambda: None)
        assert not lane.take(refused)
        item = lane.queue.get_nowait()
        lane._store([item])
        ((function, (kept, done)),) = deferred
        assert function == "finish" and kept is conn and done.result() is True and worker.nr == 1
        status, fields, answer = read_answer(theirs)
    assert status == b"HTTP/1.1 200 OK" and fields["connection"] == "keep-alive" and fields["server"] == "gunicorn"
    assert json.loads(answer)["status"] == "accepted" and json.loads(answer)["ticket_id"] == 951
    assert stored_tickets(engine) == [951]


def test_the_lane_head_parser_is_linear_on_hostile_headers() -> None:
    """No backtracking blow-up: 60 kB header lines built to make a regex backtrack are read in milliseconds."""
    cfg = Config()
    cfg.set("limit_request_field_size", 0)  # no per-line limit: the parser itself must stay linear
    for value in (b" \t" * 30000 + b"\x01", b"a" + b" " * 60000 + b"\x01", b"a " * 30000, b"-" * 60000 + b":"):
        head = b"POST /webhooks/zendesk HTTP/1.1\r\nHost: x\r\nX-A:" + value + b"\r\nContent-Length: 2"
        started = time.perf_counter()
        parse_lane_head(head, cfg)
        assert time.perf_counter() - started < 0.2


def test_an_answer_that_cannot_be_made_goes_to_a_thread_and_the_committer_lives_on(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The door failing to make a stored delivery's answer: nothing was written, so the delivery goes to a thread
    (the route answers "duplicate"); the next delivery of the batch is still answered."""
    deferred: list[Any] = []
    worker = SimpleNamespace(method_queue=SimpleNamespace(defer=lambda fn, *args: deferred.append((fn, args))),
                             log=SimpleNamespace(exception=lambda *a: None))
    lane = WebhookLane.__new__(WebhookLane)
    lane.worker = worker

    class Door:
        def lane_answer(self, pending: Any, environ: Any, stored: Any) -> Any:
            if stored == 1:
                raise RuntimeError("boom")
            return [("Content-Length", "2")], b"{}"

    class Stored:
        def submit_many(self, rows: list[Any]) -> list[Any]:
            return [1, 2]

    answered: list[Any] = []
    lane.door = Door()  # type: ignore[assignment]
    monkeypatch.setattr(gunicorn_worker, "group_commit_for", lambda engine: Stored())
    monkeypatch.setattr(WebhookLane, "_answer", lambda self, item, headers, payload: answered.append(item))
    pending = SimpleNamespace(engine="engine", prepared=SimpleNamespace(row={}))
    first, second = (LaneRequest(SimpleNamespace(), b"", None, {}, pending, datetime.now())  # type: ignore[arg-type]
                     for _ in range(2))
    lane._store([first, second])
    assert [fn.__name__ for fn, _ in deferred] == ["_to_thread"] and deferred[0][1] == (first,)
    assert answered == [second]
