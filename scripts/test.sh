#!/usr/bin/env bash
# Set up (venv + dev extras) and run the whole suite: once on SQLite, once on PostgreSQL.
# PostgreSQL comes from TEST_DATABASE_URL, default the local server at 127.0.0.1:5432 (database test);
# where none is reachable the PostgreSQL run is skipped, and says so.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then "$PY" -m venv .venv; fi
.venv/bin/python -m pip install --quiet --upgrade pip
# The distribution was called feedbackloop before it became helpdesk-feedbackloop: drop an old install of it
# (same package, same command) so the venv holds one.
if .venv/bin/python -m pip show --quiet feedbackloop >/dev/null 2>&1; then .venv/bin/python -m pip uninstall --quiet -y feedbackloop; fi
.venv/bin/python -m pip install --quiet -e '.[dev]'
PG_URL=${TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}

# Static checks first (seconds): ruff's rule set and mypy --strict, both configured in pyproject.toml.
# The layer order is a test (tests/test_layers.py), so it runs with the suite on both databases.
echo "== static checks: ruff check, mypy --strict =="
.venv/bin/ruff check src tests scripts bench gunicorn.conf.py
.venv/bin/python -m mypy --strict src/feedbackloop

echo "== tests on SQLite =="
env -u TEST_DATABASE_URL .venv/bin/python -m pytest "$@"

echo "== tests on PostgreSQL ($PG_URL) =="
if .venv/bin/python - "$PG_URL" <<'PYEOF'
import sys
from sqlalchemy import create_engine, text
try:
    with create_engine(sys.argv[1]).connect() as c:
        c.execute(text("select 1"))
except Exception as exc:
    print(f"PostgreSQL not reachable ({type(exc).__name__}): the PostgreSQL run is SKIPPED")
    sys.exit(1)
PYEOF
then
  # tests/core is the layer below the database (redaction, settings, logs): it ran above, once is enough
  TEST_DATABASE_URL="$PG_URL" .venv/bin/python -m pytest --ignore=tests/core "$@"
fi
