#!/usr/bin/env bash
# Interleaved A/B of the webhook receiver: the code at git revision BASE against the working tree, on
# SQLite and PostgreSQL, gunicorn -w 2 --threads 16 (as deployed), wrk -t2 -c32 over distinct pre-signed
# deliveries, rows counted after each run. Alternating the two versions round by round is what makes a
# decision possible on a shared, noisy machine.
#   bash bench/wrk/ab.sh BASE [rounds] [seconds]     e.g. bash bench/wrk/ab.sh HEAD~1 3 8
# BASE is a git revision, or a directory holding a src/ (another worktree's code).
# BENCH_PG_URL as for bench/run.py (unset or unreachable: SQLite only); AB_THREADS=1 for sync workers;
# AB_DATABASES=postgresql (or sqlite) for one database only.
set -euo pipefail
cd "$(dirname "$0")"
bash setup.sh
ROOT=$(cd ../.. && pwd)
BIN=$ROOT/.venv/bin
BASE=${1:?usage: ab.sh BASE [rounds] [seconds]}
ROUNDS=${2:-3}
SECONDS_EACH=${3:-8}
THREADS=${AB_THREADS:-16}
PG=${BENCH_PG_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/base"
if [ -d "$BASE/src" ]; then cp -r "$BASE/src" "$WORK/base/"   # a checkout (another worktree) as the base
else git -C "$ROOT" archive "$BASE" src | tar -x -C "$WORK/base"; fi
export FEEDBACKLOOP_SECRET_KEY=abcdefghijklmnopqrstuvwxyz012345 ZENDESK_SUBDOMAIN=acme ZENDESK_EMAIL=a@b.example \
       ZENDESK_API_TOKEN=t ZENDESK_WEBHOOK_SECRET=bench-secret-0123456789 WRK_DELIVERIES="$WORK/deliveries.txt" WRK_THREADS=2
if [ "$THREADS" -gt 1 ]; then WORKER=(--threads "$THREADS" -k feedbackloop.gunicorn_worker.HeadFirstWorker); else WORKER=(); fi
databases=(sqlite)
"$BIN/python" -c "import sqlalchemy as s, sys; s.create_engine(sys.argv[1]).connect().close()" "$PG" 2>/dev/null && databases+=(postgresql)
[ -n "${AB_DATABASES:-}" ] && read -r -a databases <<< "$AB_DATABASES"
# CPU seconds (user + system) of a process and its children so far (gunicorn's master and workers)
cpu() { "$BIN/python" -c "import os, sys
tck, total = os.sysconf('SC_CLK_TCK'), 0
for pid in filter(str.isdigit, os.listdir('/proc')):
    try: f = open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()
    except OSError: continue
    if pid == sys.argv[1] or f[1] == sys.argv[1]: total += int(f[11]) + int(f[12])
print(total / tck)" "$1"; }
# rows after the run: events, and jobs (0 for code from 0023 on: the receiver stores events alone and the job
# runner's feeder adds their jobs later; bench/ingest.py runs the feeder and times it)
count() { "$BIN/python" -c "import sqlalchemy as s, sys
e = s.create_engine(sys.argv[1])
with e.connect() as c: print(c.execute(s.text('select count(*) from webhook_events')).scalar(), c.execute(s.text('select count(*) from jobs')).scalar())" "$1"; }
for round in $(seq "$ROUNDS"); do
  for db in "${databases[@]}"; do
    for version in base new; do
      if [ "$db" = sqlite ]; then
        rm -f "$WORK"/ab.db*; url="sqlite:///$WORK/ab.db"
      else
        name="fl_ab_$$_$round"
        "$BIN/python" -c "import sqlalchemy as s, sys
e = s.create_engine(sys.argv[1], isolation_level='AUTOCOMMIT')
with e.connect() as c: c.execute(s.text(f'DROP DATABASE IF EXISTS {sys.argv[2]} WITH (FORCE)')); c.execute(s.text(f'CREATE DATABASE {sys.argv[2]}'))" "$PG" "$name"
        url="${PG%/*}/$name"
      fi
      export FEEDBACKLOOP_DATABASE_URL="$url"
      path=$ROOT/src; [ "$version" = base ] && path=$WORK/base/src
      PYTHONPATH=$path "$BIN/feedbackloop" db upgrade >/dev/null 2>&1
      "$BIN/python" deliveries.py "$ZENDESK_WEBHOOK_SECRET" 60000 "$WRK_DELIVERIES"
      (cd "$WORK" && PYTHONPATH=$path exec "$BIN/gunicorn" -w 2 "${WORKER[@]}" -b 127.0.0.1:18556 --log-level warning 'feedbackloop.app:create_app()') &
      server=$!; "$BIN/python" settle.py "$server" 18556 || echo "the server did not settle within 60 s" >&2
      before=$(cpu "$server")
      out=$(wrk -t2 -c32 -d"${SECONDS_EACH}s" -s ingest.lua http://127.0.0.1:18556)
      after=$(cpu "$server")
      kill "$server"; wait "$server" 2>/dev/null || true
      result=$(echo "$out" | grep -E 'Requests/sec|Non-2xx|repeated' | tr -s ' ' | tr '\n' ' ')
      requests=$(echo "$out" | grep -oE '^ *[0-9]+ requests in' | grep -oE '[0-9]+')
      per=$("$BIN/python" -c "import sys; print(f'{1000 * (float(sys.argv[2]) - float(sys.argv[1])) / max(1, int(sys.argv[3])):.3f}')" "$before" "$after" "$requests")
      echo "round $round  $db  $version: $result; server CPU ms/req $per; rows (events, jobs): $(count "$url"); load $(cut -d' ' -f1 /proc/loadavg)"
    done
  done
done
