"""A bounded load generator for the webhook endpoint, run as its own process.

Every request is a distinct, correctly signed Zendesk Events-API `ticket.status_changed` event
(the solved fixture with a unique event id and ticket id), built and signed before the clock
starts, so the generator spends its time on the wire, not on HMACs.

Two modes, both bounded in count and time and stopping by themselves:
- closed: `--concurrency` connections each send the next request as soon as the last answered,
  for `--duration` seconds: the throughput the server sustains at saturation.
- open: requests start on a fixed schedule (`--rate` per second, `--count` of them) whatever the
  server does; latency is measured from each request's scheduled start, so a server that falls
  behind shows it (no coordinated omission).

The client is raw asyncio streams (HTTP/1.1, one request per connection: gunicorn's sync
workers close every connection anyway), about 100 µs of CPU per request. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import hmac
import json
import os
import resource
import sys
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

FIXTURE = Path(__file__).resolve().parent.parent / "tests/fixtures/zendesk/webhooks/ticket.status_changed__solved.json"
TIMEOUT = 10.0  # Zendesk gives up on a webhook after about 10 s


def stored_row(dedupe_key: str, payload: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The webhook_events row the receiver stores for FIXTURE's delivery (`payload`), under `dedupe_key`: what the
    store benches (`bench/wrk/store_cpu.py`, `ingest.commit_ceiling`) hand to `receive.store_batch`."""
    return {"tenant_id": "default", "helpdesk": "zendesk", "dedupe_key": dedupe_key, "source": "webhook",
            "event_type": "zen:event-type:ticket.status_changed", "kind": "status_changed", "ticket_id": 5158,
            "status": "solved", "previous_status": "open", "occurred_at": now, "received_at": now, "payload": payload,
            "duplicates": 0}


def build_requests(host: str, port: int, path: str, secret: str, count: int, first_ticket: int) -> list[bytes]:
    """`count` distinct signed POSTs, as raw HTTP/1.1 bytes."""
    template = json.loads(FIXTURE.read_text())
    timestamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    run = uuid.uuid4().hex[:12]
    out = []
    for index in range(count):
        ticket = first_ticket + index
        template["id"] = f"bench-{run}-{index}"
        template["subject"] = f"zen:ticket:{ticket}"
        template["detail"]["id"] = str(ticket)
        body = json.dumps(template, separators=(",", ":")).encode()
        mac = hmac.new(secret.encode(), timestamp.encode() + body, hashlib.sha256).digest()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nX-Zendesk-Webhook-Signature: {base64.b64encode(mac).decode()}\r\n"
            f"X-Zendesk-Webhook-Signature-Timestamp: {timestamp}\r\n"
            f"X-Zendesk-Webhook-Id: 01HBENCH\r\nConnection: close\r\n\r\n"
        )
        out.append(head.encode() + body)
    return out


class Tally:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.statuses: dict[str, int] = {}
        self.accepted = 0
        self.first_error: str | None = None

    def record(self, status: str, latency: float, body: bytes) -> None:
        self.statuses[status] = self.statuses.get(status, 0) + 1
        if status == "200":
            self.latencies.append(latency)
            if b'"accepted"' in body:
                self.accepted += 1
        elif self.first_error is None:
            self.first_error = f"{status}: {body[:200]!r}"


async def send(host: str, port: int, raw: bytes) -> tuple[str, bytes]:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(raw)
        data = await reader.read(-1)
    finally:
        writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    status = head.split(b" ", 2)[1].decode() if head.startswith(b"HTTP/") else "bad"
    return status, body


async def one(host: str, port: int, raw: bytes, started: float, tally: Tally) -> None:
    try:
        status, body = await asyncio.wait_for(send(host, port, raw), TIMEOUT)
    except TimeoutError:
        status, body = "timeout", b""
    except OSError as exc:
        status, body = type(exc).__name__, str(exc).encode()
    tally.record(status, time.perf_counter() - started, body)


async def closed_loop(host: str, port: int, requests: list[bytes], concurrency: int, duration: float,
                      tally: Tally) -> float:
    queue = iter(requests)
    stop_at = time.perf_counter() + duration

    async def worker() -> None:
        while time.perf_counter() < stop_at:
            raw = next(queue, None)
            if raw is None:
                return
            await one(host, port, raw, time.perf_counter(), tally)

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - start


async def open_loop(host: str, port: int, requests: list[bytes], rate: float, tally: Tally) -> float:
    loop = asyncio.get_running_loop()
    start = time.perf_counter()
    tasks = []
    for index, raw in enumerate(requests):
        due = start + index / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(loop.create_task(one(host, port, raw, due, tally)))
    await asyncio.gather(*tasks)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", default="/webhooks/zendesk")
    parser.add_argument("--secret", required=True)
    parser.add_argument("--mode", choices=("closed", "open"), required=True)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=500.0)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--first-ticket", type=int, default=1)
    args = parser.parse_args()
    if args.mode == "closed":
        count = min(200_000, int(args.duration * 6000) + 1000)  # more than any server here answers
    else:
        count = args.count
    requests = build_requests(args.host, args.port, args.path, args.secret, count, args.first_ticket)
    tally = Tally()
    cpu_before = time.process_time()
    if args.mode == "closed":
        elapsed = asyncio.run(closed_loop(args.host, args.port, requests, args.concurrency, args.duration, tally))
    else:
        elapsed = asyncio.run(open_loop(args.host, args.port, requests, args.rate, tally))
    cpu = time.process_time() - cpu_before
    done = sum(tally.statuses.values())
    lat_ms = sorted(x * 1000 for x in tally.latencies)

    def q(p: float) -> float | None:
        return lat_ms[min(len(lat_ms) - 1, max(0, int(round(p * len(lat_ms) + 0.5)) - 1))] if lat_ms else None

    json.dump({
        "mode": args.mode, "sent": done, "ok": len(lat_ms), "accepted": tally.accepted, "statuses": tally.statuses,
        "first_error": tally.first_error, "elapsed": elapsed, "throughput": len(lat_ms) / elapsed if elapsed else 0,
        "offered_rate": args.rate if args.mode == "open" else None, "concurrency": args.concurrency,
        "p50_ms": q(0.50), "p90_ms": q(0.90), "p99_ms": q(0.99), "max_ms": lat_ms[-1] if lat_ms else None,
        "loadgen_cpu_s": cpu, "loadgen_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "pid": os.getpid(),
    }, sys.stdout)
    print()


if __name__ == "__main__":
    main()
