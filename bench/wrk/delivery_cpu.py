"""CPU per webhook delivery in the receiver, one thread, no HTTP server and no load generator in the way:
the real app (`create_app()`, the webhook door in front of Flask) called as gunicorn calls it
(`app(environ, start_response)`), on N distinct signed Events-API deliveries made as
bench/wrk/deliveries.py makes them, with production logging (gunicorn_conf's JSON formatter and
context filter, to /dev/null) and Prometheus' multiprocess counters. Process CPU (time.process_time) is
stable on a loaded host where req/s is not; on PostgreSQL the server's CPU (its backends', from /proc,
so run it on the database's host) is reported beside it.

    python bench/wrk/delivery_cpu.py [--db sqlite,postgresql] [-n 500] [--rounds 8] [--stages] [--parts] [--profile TOP]
    python bench/wrk/delivery_cpu.py --ab REV [--pairs 3] ...   # REV's src against the working tree's, interleaved

One delivery at a time, so every group-commit batch is a batch of one (as under a sync worker).
Other work on the host slows some rounds: the best round is the figure to compare (the median
is printed beside it). `--stages` adds a pass with each stage timed on its own (verify, parse, store, outcome line and counter,
the log handler; the rest is the door, Flask-free header handling and the answer), `--parts` times
verify, parse, the log scope, the outcome line and the answer each alone in a tight loop (best of
15: steadier than a whole delivery on a busy host), and the whole delivery with the store stubbed out
(every CPU cost outside the database, on fresh deliveries, best of 10), `--profile` a
cProfile pass (top functions by own time). `--ab` runs this script under `PYTHONPATH=<git archive of
REV>/src` and under the working tree's src, alternately, `--pairs` times, and prints each run's best
round and, per version, the median of those.
Each run makes a fresh database (SQLite file in a temporary folder; PostgreSQL: a database of its own
on --pg, dropped after) and migrates it with `python -m feedbackloop db upgrade`.
"""

from __future__ import annotations

import argparse
import base64
import cProfile
import hashlib
import hmac
import io
import itertools
import json
import logging
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from proc_cpu import postgres_cpu  # noqa: E402  (bench/wrk/, beside this script)

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests/fixtures/zendesk/webhooks/ticket.status_changed__solved.json"
SECRET = "bench-secret-0123456789"
PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"




def deliveries(count: int) -> list[tuple[str, str, bytes]]:
    """`count` distinct signed deliveries (signature, timestamp, body), as bench/wrk/deliveries.py makes them."""
    template = json.loads(FIXTURE.read_text())
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    run = uuid.uuid4().hex[:8]
    made = []
    for index in range(count):
        template["id"] = f"cpu-{run}-{index}"
        template["subject"] = f"zen:ticket:{100000 + index}"
        template["detail"]["id"] = str(100000 + index)
        body = json.dumps(template, separators=(",", ":")).encode()
        mac = hmac.new(SECRET.encode(), stamp.encode() + body, hashlib.sha256).digest()
        made.append((base64.b64encode(mac).decode(), stamp, body))
    return made


def environs(made: list[tuple[str, str, bytes]]) -> list[dict[str, Any]]:
    """WSGI environs as gunicorn builds them for wrk's requests (bench/wrk/ingest.lua's headers)."""
    from werkzeug.test import EnvironBuilder

    built = []
    for signature, stamp, body in made:
        environ = EnvironBuilder(path="/webhooks/zendesk", method="POST", data=body, headers={
            "Content-Type": "application/json", "X-Zendesk-Webhook-Signature": signature,
            "X-Zendesk-Webhook-Signature-Timestamp": stamp, "Host": "127.0.0.1:18556"}).get_environ()
        environ["REMOTE_ADDR"] = "127.0.0.1"
        built.append(environ)
    return built


def production_logging() -> logging.Handler:
    """The root handler gunicorn_conf's logconfig_dict sets up (JSON lines, the context filter), to /dev/null."""
    from feedbackloop.core import logs

    handler = logging.StreamHandler(open(os.devnull, "w"))  # noqa: SIM115 - lives as long as the process
    handler.setFormatter(logs.make_formatter("json"))
    handler.addFilter(logs.ContextFilter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return handler


class Stages:
    """process_time spent inside each wrapped callable (nested ones count in both)."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}

    def wrap(self, name: str, target: Callable[..., Any]) -> Callable[..., Any]:
        self.spent.setdefault(name, 0.0)
        clock = time.process_time

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = clock()
            try:
                return target(*args, **kwargs)
            finally:
                self.spent[name] += clock() - start

        return timed


def instrument(app: Any, handler: logging.Handler) -> Stages:
    """Time verify, parse, store, the outcome line with its counter, and the log handler."""
    from feedbackloop.loop import receive
    from feedbackloop.wiring.services import services_of

    stages = Stages()
    helpdesk = services_of(app).helpdesk
    helpdesk.verify = stages.wrap("verify", helpdesk.verify)
    helpdesk.parse = stages.wrap("parse", helpdesk.parse)
    receive.ingest_event = stages.wrap("store", receive.ingest_event)
    if hasattr(receive, "_record_outcome"):
        receive._record_outcome = stages.wrap("outcome line + counter", receive._record_outcome)
    handler.handle = stages.wrap("log handler (format + write)", handler.handle)  # type: ignore[method-assign]
    return stages


def best_of(count: int, work: Callable[[], Any], repeats: int = 15) -> float:
    """µs per item of `work` over `count` items, its best of `repeats` runs."""
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return round(1e6 * best / count, 2)


def parts(app: Any, n: int) -> dict[str, float]:
    """Each part of a delivery alone, with no database: tight loops, so steadier than a whole delivery."""
    from werkzeug.datastructures import EnvironHeaders

    from feedbackloop.core import logs
    from feedbackloop.loop import receive
    from feedbackloop.wiring.services import services_of

    services = services_of(app)
    secret, skew = services.account_for("default").webhook_secret, services.settings.webhook_max_skew
    batch = environs(deliveries(n))
    bodies = [(EnvironHeaders(environ), environ["wsgi.input"].getvalue()) for environ in batch]
    now = datetime.now(timezone.utc)
    helpdesk = services.helpdesk
    found: dict[str, float] = {}
    found["verify"] = best_of(n, lambda: [helpdesk.verify(h, b, secret, now, skew) for h, b in bodies])
    found["parse"] = best_of(n, lambda: [helpdesk.parse(h, b) for h, b in bodies])

    def scoped(environ: dict[str, Any], outcome: bool) -> None:
        """A delivery's log scope, with or without its outcome line and counter."""
        token = logs.open_request_scope(environ.get("HTTP_X_REQUEST_ID", ""), "POST", environ["PATH_INFO"])
        try:
            logs.annotate(tenant_id="default")
            logs.annotate(ticket_id=5158)
            logs.annotate(event_id=12345)
            if outcome:
                receive._record_outcome("accepted", "HTTP 200")
            logs.leave_access_fields(environ)
        finally:
            logs.close_scope(token)

    found["log scope (request id, 3 annotations, access fields)"] = best_of(n, lambda: [scoped(e, False) for e in batch])
    found["log scope + outcome line + counter"] = best_of(n, lambda: [scoped(e, True) for e in batch])
    answer = {"status": "accepted", "event_id": 12345, "ticket_id": 5158}
    found["answer JSON (app.json.dumps)"] = best_of(n, lambda: [app.json.dumps(answer) for _ in batch])
    # the whole delivery through the app with the store left out: every CPU cost but the database's,
    # on fresh deliveries each run (as the server sees them), so steadier than a round with the store
    serial = itertools.count(1)
    stored = receive.ingest_event
    receive.ingest_event = lambda *_args, **_kwargs: next(serial)
    try:
        fresh = iter([environs(deliveries(n)) for _ in range(10)])
        found["whole delivery without the store"] = best_of(n, lambda: call_all(app, next(fresh)), 10)
    finally:
        receive.ingest_event = stored
    return found


def call_all(app: Any, batch: list[dict[str, Any]]) -> int:
    """Send each environ through the app; the number answered 'accepted'."""
    accepted = 0
    statuses: list[str] = []

    def start_response(status: str, headers: Any, exc_info: Any = None) -> None:
        statuses.append(status)

    for environ in batch:
        answer = b"".join(app(environ, start_response))
        if statuses.pop() == "200 OK" and b'"accepted"' in answer:
            accepted += 1
    return accepted


def fresh_database(backend: str, folder: Path, pg: str) -> str:
    if backend == "sqlite":
        return f"sqlite:///{folder}/cpu.db"
    import sqlalchemy

    name = f"fl_cpu_{os.getpid()}"
    engine = sqlalchemy.create_engine(pg, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sqlalchemy.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        connection.execute(sqlalchemy.text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return f"{pg.rsplit('/', 1)[0]}/{name}"


def drop_database(url: str, pg: str) -> None:
    if not url.startswith("postgresql"):
        return
    import sqlalchemy

    engine = sqlalchemy.create_engine(pg, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sqlalchemy.text(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)"))
    engine.dispose()


def measure(backend: str, args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="delivery-cpu-") as folder:
        url = fresh_database(backend, Path(folder), args.pg)
        env = {**os.environ, "FEEDBACKLOOP_DATABASE_URL": url, "FEEDBACKLOOP_SECRET_KEY": "abcdefghijklmnopqrstuvwxyz012345",
               "ZENDESK_SUBDOMAIN": "acme", "ZENDESK_EMAIL": "a@b.example", "ZENDESK_API_TOKEN": "t",
               "ZENDESK_WEBHOOK_SECRET": SECRET}
        subprocess.run([sys.executable, "-m", "feedbackloop", "db", "upgrade"], env=env, check=True,
                       capture_output=True)
        os.environ.update(env)
        try:
            return _measure(backend, args)
        finally:
            drop_database(url, args.pg)


def _measure(backend: str, args: argparse.Namespace) -> dict[str, Any]:
    from feedbackloop.app import create_app

    app = create_app()
    handler = production_logging()
    warm, n = args.warm, args.n
    rounds = [environs(deliveries(n)) for _ in range(args.rounds)]
    assert call_all(app, environs(deliveries(warm))) == warm, "warm-up deliveries were not all accepted"
    client, server = [], []
    for batch in rounds:
        pg_before, before = postgres_cpu(), time.process_time()
        accepted = call_all(app, batch)
        client.append(1e6 * (time.process_time() - before) / n)
        server.append(1e6 * (postgres_cpu() - pg_before) / n)
        assert accepted == n, f"{n - accepted} deliveries were not accepted"
    result: dict[str, Any] = {
        "backend": backend, "deliveries": n, "rounds": args.rounds,
        "cpu_us_per_delivery": [round(x, 1) for x in client],
        "cpu_us_min": round(min(client), 1), "cpu_us_median": round(statistics.median(client), 1),
    }
    if backend == "postgresql":
        result["server_cpu_us_median"] = round(statistics.median(server), 1)
    if args.stages:
        stages = instrument(app, handler)
        batch = environs(deliveries(n))
        before = time.process_time()
        call_all(app, batch)
        total = time.process_time() - before
        per = {name: round(1e6 * spent / n, 1) for name, spent in stages.spent.items()}
        per["total (instrumented)"] = round(1e6 * total / n, 1)
        result["stages_us"] = per
    if args.parts:
        result["parts_us"] = parts(app, n)
    if args.profile:
        batch = environs(deliveries(n))
        profiler = cProfile.Profile()
        profiler.enable()
        call_all(app, batch)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.profile)
        result["profile"] = out.getvalue()
    return result


def ab(args: argparse.Namespace) -> None:
    """REV against the working tree, interleaved, each run in a process of its own."""
    with tempfile.TemporaryDirectory(prefix="delivery-cpu-ab-") as folder:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.ab, "src"], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
        versions = {args.ab: f"{folder}/src", "tree": str(ROOT / "src")}
        passed = ["--db", args.db, "-n", str(args.n), "--rounds", str(args.rounds), "--warm", str(args.warm),
                  "--pg", args.pg, "--json"]
        figures: dict[tuple[str, str], list[float]] = {}
        for pair in range(args.pairs):
            for name, path in versions.items():
                run = subprocess.run([sys.executable, __file__, *passed], check=True, capture_output=True, text=True,
                                     env={**os.environ, "PYTHONPATH": path})
                for line in run.stdout.splitlines():
                    result = json.loads(line)
                    key = (result["backend"], name)
                    figures.setdefault(key, []).append(result["cpu_us_min"])
                    server = f", server {result['server_cpu_us_median']} µs" if "server_cpu_us_median" in result else ""
                    print(f"pair {pair + 1} {result['backend']:10} {name:12} best round {result['cpu_us_min']:7.1f} µs/delivery"
                          f" (rounds {result['cpu_us_per_delivery']}){server}", flush=True)
        for backend in args.db.split(","):
            base, tree = figures.get((backend, args.ab)), figures.get((backend, "tree"))
            if base and tree:
                print(f"{backend}: best rounds, median over pairs: {args.ab} {statistics.median(base):.1f} µs, "
                      f"tree {statistics.median(tree):.1f} µs ({statistics.median(tree) - statistics.median(base):+.1f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="sqlite,postgresql", help="sqlite, postgresql or both, comma-separated")
    parser.add_argument("--pg", default=os.environ.get("BENCH_PG_URL", PG), help="a PostgreSQL URL to make databases on")
    parser.add_argument("-n", type=int, default=500, help="deliveries per round")
    parser.add_argument("--rounds", type=int, default=8, help="rounds (the best says most on a busy host)")
    parser.add_argument("--warm", type=int, default=300, help="deliveries sent first, not counted")
    parser.add_argument("--stages", action="store_true", help="also time each stage (a pass of its own)")
    parser.add_argument("--parts", action="store_true", help="also time verify, parse, the log scope and line alone")
    parser.add_argument("--profile", type=int, default=0, metavar="TOP", help="also a cProfile pass: its TOP functions")
    parser.add_argument("--sort", default="tottime", help="--profile: pstats order (tottime, cumulative)")
    parser.add_argument("--json", action="store_true", help="one JSON line per backend")
    parser.add_argument("--ab", metavar="REV", help="interleave REV's src with the working tree's")
    parser.add_argument("--pairs", type=int, default=3, help="--ab: runs of each version")
    args = parser.parse_args()
    if args.ab:
        ab(args)
        return
    # as gunicorn_conf with -w 2; prometheus_client reads it once, at import
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="delivery-cpu-prometheus-")
    for backend in args.db.split(","):
        result = measure(backend, args)
        if args.json:
            result.pop("profile", None)
            print(json.dumps(result), flush=True)
            continue
        profile = result.pop("profile", None)
        print(json.dumps(result, indent=1, ensure_ascii=False))
        if profile:
            print(profile)


if __name__ == "__main__":
    main()
