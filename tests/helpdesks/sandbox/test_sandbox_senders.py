"""`senders`: the sandbox sends several webhooks at once when asked (as Zendesk does), one by one by default."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from feedbackloop.helpdesks.sandbox.deliver import Deliverer, DeliveryOptions, Target

EVENT = "zen:event-type:ticket.status_changed"


class SlowReceiver:
    """Answers 200 after `delay` seconds; remembers arrival order and the most requests at once."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.lock = threading.Lock()
        self.now = self.most = 0
        self.order: list[str] = []

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)
            self.order.append(Request(environ).get_json()["id"])
        time.sleep(self.delay)
        with self.lock:
            self.now -= 1
        return Response(b"{}", content_type="application/json")(environ, start_response)


class _Quiet(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


@pytest.fixture
def slow() -> Iterator[tuple[SlowReceiver, Target]]:
    receiver = SlowReceiver(delay=0.1)
    server = make_server("127.0.0.1", 0, receiver, threaded=True, request_handler=_Quiet)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield receiver, Target("01HTARGET", f"http://127.0.0.1:{server.port}/webhooks/zendesk", "secret", frozenset({EVENT}))
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


def envelope(number: int) -> dict[str, Any]:
    return {"id": f"{number:02d}-{uuid.uuid4()}", "type": EVENT, "subject": f"zen:ticket:{number}", "detail": {}}


def send(deliverer: Deliverer, target: Target, count: int) -> list[str]:
    sent = [envelope(n) for n in range(count)]
    for item in sent:
        deliverer.enqueue(target, item)
    assert deliverer.flush(timeout=10)
    deliverer.close()
    return [item["id"] for item in sent]


def test_one_sender_by_default_sends_in_queue_order(slow: tuple[SlowReceiver, Target]) -> None:
    receiver, target = slow
    sent = send(Deliverer(), target, 4)
    assert receiver.order == sent and receiver.most == 1


def test_several_senders_send_at_once_and_deliver_everything(slow: tuple[SlowReceiver, Target]) -> None:
    receiver, target = slow
    deliverer = Deliverer(DeliveryOptions(senders=4))
    sent = send(deliverer, target, 8)
    assert sorted(receiver.order) == sorted(sent) and receiver.most > 1
    assert [r.outcome for r in deliverer.records()] == ["delivered"] * 8


def test_lowering_senders_stops_the_extra_threads(slow: tuple[SlowReceiver, Target]) -> None:
    receiver, target = slow
    deliverer = Deliverer(DeliveryOptions(senders=3))
    deliverer.enqueue(target, envelope(0))
    assert deliverer.flush(timeout=10)
    deliverer.configure(senders=1)
    sent = send(deliverer, target, 4)
    assert receiver.order[1:] == sent and receiver.most == 1


def test_senders_must_be_positive() -> None:
    with pytest.raises(ValueError, match="senders"):
        DeliveryOptions(senders=0)
