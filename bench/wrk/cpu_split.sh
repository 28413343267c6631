#!/usr/bin/env bash
# CPU per request by process (gunicorn, postgres backends, the whole machine) under wrk: where a
# delivery's CPU goes, the database server's included (bench/README.md, seventh round).
#   bash bench/wrk/cpu_split.sh SRC sqlite|pg|bare [THREADS] [SECONDS]   e.g. bash bench/wrk/cpu_split.sh src pg 16 8
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd); BIN=$ROOT/.venv/bin; SRC=$(cd "$1" && pwd); DB=$2; THREADS=${3:-16}; SECS=${4:-8}
cd $ROOT/bench/wrk && bash setup.sh
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
export FEEDBACKLOOP_SECRET_KEY=abcdefghijklmnopqrstuvwxyz012345 ZENDESK_SUBDOMAIN=acme ZENDESK_EMAIL=a@b.example \
       ZENDESK_API_TOKEN=t ZENDESK_WEBHOOK_SECRET=bench-secret-0123456789 WRK_DELIVERIES="$WORK/deliveries.txt" WRK_THREADS=2
if [ "$THREADS" -gt 1 ]; then WORKER=(--threads "$THREADS" -k feedbackloop.gunicorn_worker.HeadFirstWorker); else WORKER=(); fi
APP='feedbackloop.app:create_app()'
if [ "$DB" = sqlite ]; then url="sqlite:///$WORK/ab.db"
elif [ "$DB" = pg ]; then name=fl_split_$$
  $BIN/python -c "import sqlalchemy as s, sys
e = s.create_engine(sys.argv[1], isolation_level='AUTOCOMMIT')
with e.connect() as c: c.execute(s.text(f'DROP DATABASE IF EXISTS {sys.argv[2]} WITH (FORCE)')); c.execute(s.text(f'CREATE DATABASE {sys.argv[2]}'))" postgresql+psycopg://postgres@127.0.0.1:5432/test $name
  url=postgresql+psycopg://postgres@127.0.0.1:5432/$name
else url="sqlite:///$WORK/ab.db"; APP='bare_app:create_app()'; fi
export FEEDBACKLOOP_DATABASE_URL="$url"
PYTHONPATH=$SRC $BIN/feedbackloop db upgrade >/dev/null 2>&1
$BIN/python deliveries.py "$ZENDESK_WEBHOOK_SECRET" 60000 "$WRK_DELIVERIES"
(cd "$WORK" && PYTHONPATH=$SRC:$ROOT/bench exec $BIN/gunicorn -w 2 "${WORKER[@]}" -b 127.0.0.1:18557 --log-level warning "$APP") &
server=$!; "$BIN/python" settle.py "$server" 18557 || echo "the server did not settle within 60 s" >&2
snap() { $BIN/python - "$server" <<'PY'
import os, sys
tck=os.sysconf('SC_CLK_TCK'); g=p=w=o=0
for pid in filter(str.isdigit, os.listdir('/proc')):
    try:
        raw=open(f'/proc/{pid}/stat').read(); name=raw[raw.index('(')+1:raw.rindex(')')]; f=raw.rsplit(')',1)[1].split()
    except OSError: continue
    t=int(f[11])+int(f[12])
    if pid==sys.argv[1] or f[1]==sys.argv[1]: g+=t
    elif name.startswith('postgres'): p+=t
    elif name=='wrk': w+=t
    else: o+=t
cpu=open('/proc/stat').readline().split()[1:]; busy=sum(map(int,cpu))-int(cpu[3])-int(cpu[4])
print(g/tck, p/tck, w/tck, busy/tck)
PY
}
b=$(snap)
out=$(wrk -t2 -c32 -d"${SECS}s" -s ingest.lua http://127.0.0.1:18557)
a=$(snap)
kill $server; wait $server 2>/dev/null || true
req=$(echo "$out" | grep -oE '^ *[0-9]+ requests in' | grep -oE '[0-9]+')
rps=$(echo "$out" | grep Requests/sec)
$BIN/python - "$b" "$a" "$req" "$rps" "$DB" <<'PY'
import sys
b=list(map(float,sys.argv[1].split())); a=list(map(float,sys.argv[2].split())); n=int(sys.argv[3])
d=[(y-x)*1e6/n for x,y in zip(b,a)]
print(f"{sys.argv[5]:6} {sys.argv[4].strip()}  us/req: gunicorn {d[0]:.0f}  postgres {d[1]:.0f}  machine busy {d[3]:.0f}")
PY
