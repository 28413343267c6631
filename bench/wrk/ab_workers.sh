#!/usr/bin/env bash
# Interleaved A/B of gunicorn's plain gthread worker and feedbackloop's HeadFirstWorker on SQLite:
# gunicorn -w 2 --threads 4, wrk -t2 -c32 -d8s over distinct pre-signed deliveries, rows counted.
#   bash bench/wrk/ab_workers.sh [rounds]     (needs wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")"
BIN=$(cd ../.. && pwd)/.venv/bin
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export FEEDBACKLOOP_SECRET_KEY=abcdefghijklmnopqrstuvwxyz012345 ZENDESK_SUBDOMAIN=acme ZENDESK_EMAIL=a@b.example \
       ZENDESK_API_TOKEN=t ZENDESK_WEBHOOK_SECRET=bench-secret-0123456789 WRK_DELIVERIES="$WORK/deliveries.txt"
for round in $(seq "${1:-2}"); do
  for worker in gthread feedbackloop.gunicorn_worker.HeadFirstWorker; do
    rm -f "$WORK"/ab.db*; export FEEDBACKLOOP_DATABASE_URL="sqlite:///$WORK/ab.db"
    "$BIN/feedbackloop" db upgrade >/dev/null 2>&1
    "$BIN/python" deliveries.py "$ZENDESK_WEBHOOK_SECRET" 40000 "$WRK_DELIVERIES"
    "$BIN/gunicorn" -w 2 --threads 4 -k "$worker" -b 127.0.0.1:18555 --log-level warning 'feedbackloop.app:create_app()' &
    server=$!; sleep 4
    result=$(wrk -t2 -c32 -d8s -s ingest.lua http://127.0.0.1:18555 | grep -E 'Requests/sec|Non-2xx' | tr -s ' ')
    kill "$server"; wait "$server" 2>/dev/null || true
    rows=$("$BIN/python" -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from webhook_events').fetchone()[0])" "$WORK/ab.db")
    echo "round $round  $worker: $result; rows committed: $rows"
  done
done
