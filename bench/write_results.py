"""RESULTS.md from one run's results: machine, date, command, method, every figure, target verdicts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import economy
import export_bench
import ingest
import learning_bench
import report_bench
from common import fmt, verdict

HEADER = """# Benchmark results

Written by `{command}` on {date} UTC in {minutes:.1f} min{quick}. Rerunning overwrites this file (and
`RESULTS.json` beside it, the same numbers unrounded). Why a target is missed, and what was
changed, is in [README.md](README.md).{provenance}

## Machine

| | |
|---|---|
| CPU | {cpu}, {cores} cores |
| RAM | {ram} |
| kernel | {kernel} |
| Python | {python} |
| packages | {packages} |
| SQLite | {sqlite} |
| PostgreSQL | {postgresql} |
| load average (1/5/15 min) | {load} |

The load average is the machine's, taken before the run and after each part: on a shared 2-core
machine other work competes for the same cores, and figures taken under a load well above 2 are
low by about that factor. Before measuring, the run byte-compiles the feedbackloop package, as
`pip install` does (a checkout run with PYTHONDONTWRITEBYTECODE would compile it in every process).
"""


def _commit_bound(row: dict[str, Any]) -> str:
    """The sync rows' second ceiling: what their two workers could commit with nothing but the store."""
    bound = row.get("commit_ceiling")
    return f"; commit ceiling {fmt(bound['throughput'], 0)} req/s" if bound else ""


def summary(results: dict[str, Any]) -> list[str]:
    lines = ["## Targets", "", "| part | target | measured | verdict |", "|---|---|---|---|"]
    ingest_rows = (results.get("ingest") or {}).get("rows", [])
    for row in [r for r in ingest_rows if r["accepted"] is not None]:
        ratio_verdict = row["ratio_met"] if isinstance(row["ratio_met"], str) else verdict(row["ratio_met"])
        lines.append(f"| ingest, {row['target']} | ≥ 0.5 × bare Flask throughput (same workers) | "
                     f"{fmt(row['ratio'], 2)} × ({fmt(row['throughput'], 0)} vs {fmt(row.get('ceiling'), 0)} req/s; "
                     f"generator ceiling {fmt(row.get('generator_ceiling'), 0)} req/s{_commit_bound(row)}) | "
                     f"{ratio_verdict} |")
        lines.append(f"| ingest, {row['target']} | p99 < 25 ms at 500 req/s | p99 {fmt(row['open_p99'])} ms, "
                     f"{fmt(row['open_achieved'], 0)} req/s achieved | {verdict(row['p99_met'])} |")
        lines.append(f"| ingest, {row['target']} | every accepted event committed | "
                     f"{'yes' if row['committed'] else 'NO'} ({row['accepted']:,} accepted) | {verdict(row['committed'])} |")
    eco = results.get("economy")
    if eco:
        for label, r in (("no budget", eco["free"]), ("200 req/min", eco["tight"])):
            lines.append(f"| economy, {label} | ≤ 1 call to send a survey | {r['per_survey']:.2f} | "
                         f"{verdict(r['per_survey'] <= 1)} |")
            lines.append(f"| economy, {label} | ≤ 1 call to write a rating back | {r['per_rating']:.2f} | "
                         f"{verdict(r['per_rating'] <= 1)} |")
            once = r.get("exactly_once")
            if once:
                doubled = once["tickets_surveyed_twice"] + once["ratings_written_twice"]
                lines.append(f"| economy, {label} | every survey and write-back exactly once | {doubled} doubled "
                             f"({once['tickets_surveyed']:,} surveyed, {once['ratings_written_back']:,} written back) | "
                             f"{verdict(doubled == 0 and once['tickets_surveyed'] == r['surveys_sent'])} |")
        lines.append(f"| economy, 200 req/min | no job dead, 429s honoured | {len(eco['tight']['dead'])} dead, "
                     f"{eco['tight']['throttled']:,} × 429 | {verdict(not eco['tight']['dead'])} |")
    for r in results.get("reports") or []:
        lines.append(f"| report, {r['database']}, {r['ratings']:,} ratings | < 1 s | {r['in_process'] * 1000:,.0f} ms "
                     f"in-process, {r['cli'] * 1000:,.0f} ms whole command | "
                     f"{verdict(r['under_1s_in_process'])} / {verdict(r['under_1s_cli'])} |")
        lines.append(f"| report, {r['database']} | ≤ 2 × raw SQL | {fmt(r['ratio'], 2)} × | {verdict(r['ratio_met'])} |")
    for r in results.get("exports") or []:
        lines.append(f"| export, {r['database']}, {r['written']:,} rows | ≥ 20 000 rows/s | "
                     f"{fmt(r['rows_per_second'], 0)} rows/s | {verdict(r['rate_met'])} |")
        lines.append(f"| export, {r['database']} | < 200 MB peak | {r['peak_mib']:.0f} MiB | {verdict(r['memory_met'])} |")
    return lines


INGEST_METHOD = """## 1. Webhook ingest

`gunicorn -w 2 [--threads 16 -k feedbackloop.gunicorn_worker.HeadFirstWorker] -b 127.0.0.1:PORT
'feedbackloop.app:create_app()'`, twice: with 16 threads per worker (gthread reading heads in its loop, as
`feedbackloop.gunicorn_conf` deploys it), then with gunicorn's sync workers; settings from
`FEEDBACKLOOP_*`/`ZENDESK_*` in the environment; `feedbackloop db upgrade` run first on a scratch SQLite
file or a scratch PostgreSQL database. The ceiling is the bare Flask endpoint `bench/bare_app.py` (reads
the body, answers 200) on the same gunicorn command; per worker setting it runs first and again last, and
the better of its two throughputs is the ceiling that setting's ratios use.

The load comes from compiled generators in their own processes (`bench/wrk/`, built by
`bench/wrk/setup.sh`): **wrk** (Debian's package; `-t2 -c32 -d{closed}s`, `ingest.lua` sending each
pre-signed, distinct Events-API delivery once) for the closed loop, and **pace** (`pace.c`, C + epoll,
{pace_conns} connections) at a fixed 500 req/s for {open_s} s, latency measured from each request's
*scheduled* start (a server that falls behind pays for every request queued behind it: no coordinated
omission). The generators' own ceiling is measured in the same run against `responder.c`, a one-thread C
epoll responder; a ratio counts as met only if wrk's ceiling there is at least 3 × the bare-Flask
throughput it is divided by ("generator headroom"). Every delivery is signed before the clock starts (a
`ticket.status_changed` Events-API body, the solved fixture with a unique id). Each target first gets a
1 s warm-up (pace, closed loop, its own deliveries). After gunicorn stops, `webhook_events` and
`process_ticket` jobs are counted: every request answered `accepted` must have both rows (at most wrk's 32
in-flight requests more may have been committed without an answer being counted). "Server CPU ms/req" is
the gunicorn master and workers' CPU time over the closed loop per request.
"""


def ingest_section(result: dict[str, Any], quick: bool) -> list[str]:
    closed, open_s = (ingest.QUICK_CLOSED, ingest.QUICK_OPEN) if quick else (ingest.FULL_CLOSED, ingest.FULL_OPEN)
    lines = [INGEST_METHOD.format(closed=f"{closed:g}", open_s=f"{open_s:g}", pace_conns=ingest.PACE_CONNECTIONS)]
    lines += ingest.markdown(result, quick)
    return lines


ECONOMY_METHOD = """## 2. Helpdesk economy

The sandbox Zendesk (`feedbackloop.helpdesks.sandbox`) runs in the bench process with the simulated
customers and agents; the service runs as in production, in its own processes: `gunicorn -w 2` for the
web app (webhooks, survey pages) and {workers} `feedbackloop worker --threads {threads}` processes, on a scratch
PostgreSQL database (SQLite when none is reachable), survey delay 0. The sandbox sends its signed
webhooks (every event the installer subscribes to) over HTTP, {senders} at a time as Zendesk sends them
concurrently (so not in order); the worker calls its REST API through
zenpy. Each ticket: a customer writes in, an agent replies, the agent solves. When every survey is out,
a share of the customers click a score link (over HTTP, four at a time). The run ends when every
webhook is delivered, no job is pending and every rating is written back. Calls are counted from the
sandbox's request log by purpose (`demo.format_api_calls`' rules: a bulk write-back is the
`update_many` call plus its job-status polls). The second run sets its sandbox's account budget to 200
requests per minute (Zendesk's smallest plan: beyond it the sandbox answers 429 with Retry-After), with
its own sandbox, database and service processes ({tight_workers} workers), after the first; another
integration spends the same budget ({steady} calls a minute, and early in every {drain}nd budget window a
bulk tool that spends what is left of it), as the agents' tools do on a real account. Exactly once is read
from the sandbox's tickets: one survey comment per ticket, one write-back note per rating. The third run
is Zendesk's Update Ticket limit (100 ticket updates a minute per account, shared with the agents):
tickets solved at a steady rate in real time, the agents' updates (their replies and solves, and the
rest of their share spent evenly) counted against the same limit, the service with its default pacing
(`pacing.py`); Update Ticket calls per solved ticket and per rating, the peak in any 60 s, every 429.
"""


def economy_section(result: dict[str, Any], quick: bool) -> list[str]:
    lines = [ECONOMY_METHOD.format(threads=economy.WORKER_THREADS, senders=economy.SENDERS,
                                   workers=result["free"].get("workers", 1), tight_workers=economy.TIGHT_WORKERS,
                                   steady=economy.OTHER["steady_per_minute"], drain=economy.OTHER["drain_every"])]
    lines += [f"Database: {result['free'].get('database', '?')}. Raters: {result['free']['clicks']:,} of "
              f"{result['free']['tickets']:,} (no budget), {result['tight']['clicks']:,} of {result['tight']['tickets']:,} "
              "(200 req/min).", ""]
    lines += economy.markdown(result, quick)
    return lines


REPORTS_METHOD = """## 3. Reports

Data: {rows:,} rated tickets per database (a ticket row, a survey and a rating each, one in twenty with
a reopen signal), spread over the last 60 days, made by `bench/datagen.py` with INSERT … SELECT
(generation took {gen}). `feedbackloop report --since 30d` (default `--by intent`) reads all of them:
the 30 days and the 30 before, for comparison. Each figure is the median of several runs on a warm
database. Raw SQL is the statements in `bench/report_bench.py` (`RAW_SQL`): the least database work
that yields the same figures, run through the same driver without the ORM.
"""


def reports_section(results: list[dict[str, Any]], generated: dict[str, Any], quick: bool) -> list[str]:
    gen = ", ".join(f"{db} {g['total']:.0f} s" for db, g in generated.items())
    rows = results[0]["ratings"] if results else 0
    return [REPORTS_METHOD.format(rows=rows, gen=gen)] + report_bench.markdown(results, quick)


EXPORTS_METHOD = """## 4. Exports

`feedbackloop export ratings --out FILE.jsonl --no-requester-lookup` over the same generated data
(four ratings in ten carry a comment with PII: phone, email, card, IBAN, names, street address, IP, an
API token), alone in a child process, with its default worker processes (one per CPU: they redact and
encode while the command reads the database and writes the file), then with `--jobs 1` (all in one
process) for comparison. Rows/s is rows written over the command's wall time, start-up included; CPU
time includes the workers'; peak memory is the highest sum (polled every 50 ms) of the resident memory
of the command and its workers, shared pages counted in each. The file is then read back: every row
must be there and none of the planted PII strings may be left.
"""


def exports_section(results: list[dict[str, Any]], quick: bool) -> list[str]:
    return [EXPORTS_METHOD] + export_bench.markdown(results, quick)


def provenance(results: dict[str, Any]) -> str:
    """Where the parts this run kept from an earlier one (`--keep-from`) came from."""
    return "".join(f"\n\nThe {part} part was not run this time: its figures are kept from "
                   f"`{where['command']}` of {where['started']} UTC."
                   for part, where in results.get("kept", {}).items())


def write(path: Path, results: dict[str, Any]) -> None:
    m = results["machine"]
    loads = ", ".join(f"{k} {v}" for k, v in results["load"].items())
    out = [HEADER.format(command=results["command"], date=results["started"].strftime("%Y-%m-%d %H:%M"),
                         minutes=results["total_seconds"] / 60,
                         quick=" (quick mode: small sizes, not the targets' sizes)" if results["quick"] else "",
                         load=loads, provenance=provenance(results), **m)]
    out += summary(results) + [""]
    out += ["Time per part: " + ", ".join(f"{k} {v / 60:.1f} min" for k, v in results["seconds"].items()) + ".", ""]
    if "ingest" in results:
        out += ingest_section(results["ingest"], results["quick"]) + [""]
    if "economy" in results:
        out += economy_section(results["economy"], results["quick"]) + [""]
    if results.get("reports"):
        out += reports_section(results["reports"], results.get("generated", {}), results["quick"]) + [""]
    if results.get("exports"):
        out += exports_section(results["exports"], results["quick"]) + [""]
    if results.get("learning"):
        out += ["## Exports for learning: eval, SFT, DPO", "", learning_bench.__doc__.split("\n\n")[1].strip(), ""]
        out += learning_bench.markdown(results["learning"]) + [""]
    for part, error in results["errors"].items():
        out += [f"## {part}: failed", "", "```", error.strip()[-3000:], "```", ""]
    path.write_text("\n".join(out).rstrip() + "\n", encoding="utf-8")
