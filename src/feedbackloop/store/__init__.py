"""store: the database. Engine and sessions (db), the typed models, Alembic migrations (shipped inside
the package), tenants with their sealed secrets, the install ledger's secrets, the runner's heartbeat,
configuration problems found at run time, what the credentials may do (access), and the daily rollups the
loop maintains as it writes (the loop adds to them in the same transaction; insight reads them).

May import: core, `feedbackloop.helpdesks.base`.
"""
