"""What every bench part shares: the machine, scratch databases, subprocess measurement, statistics."""

from __future__ import annotations

import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PYTHON = sys.executable
BIN = Path(PYTHON).parent
PG_URL = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SECRET_KEY = "bench-secret-key-0123456789abcdef"
WEBHOOK_SECRET = "bench-webhook-secret-0123456789"
PACKAGES = ("flask", "werkzeug", "gunicorn", "sqlalchemy", "psycopg", "zenpy", "requests", "alembic")


# --- the machine -----------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    """CPU model, cores, RAM, kernel, Python and package versions, as /proc and importlib see them."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "ram": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "kernel": platform.release(),
        "python": platform.python_version(),
        "packages": ", ".join(versions),
        "postgresql": postgres_version(),
        "sqlite": sqlite_version(),
    }


def sqlite_version() -> str:
    import sqlite3

    return sqlite3.sqlite_version


def postgres_version() -> str:
    try:
        from sqlalchemy import create_engine, text

        engine = create_engine(PG_URL)
        with engine.connect() as conn:
            version = str(conn.execute(text("show server_version")).scalar())
            sync = str(conn.execute(text("show synchronous_commit")).scalar())
        engine.dispose()
        return f"{version} (synchronous_commit={sync})"
    except Exception as exc:  # noqa: BLE001 - reported, the PostgreSQL parts are then skipped
        return f"not reachable ({type(exc).__name__})"


def postgres_available() -> bool:
    return not postgres_version().startswith("not reachable")


# --- scratch databases -----------------------------------------------------------------------------


@contextmanager
def scratch_dir(label: str) -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix=f"fl-bench-{label}-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@contextmanager
def scratch_database(kind: str, label: str) -> Iterator[str]:
    """A migrated, empty database: a SQLite file in a temp dir, or a new PostgreSQL database, dropped after."""
    if kind == "sqlite":
        with scratch_dir(label) as folder:
            url = f"sqlite:///{folder / 'bench.db'}"
            migrate(url)
            yield url
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"fl_bench_{label}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    try:
        migrate(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def migrate(url: str) -> None:
    """`feedbackloop db upgrade` against `url`, as an operator would run it."""
    subprocess.run([str(BIN / "feedbackloop"), "db", "upgrade"], env=service_env(url), check=True,
                   capture_output=True, cwd=tempfile.gettempdir())


def service_env(url: str, **extra: str) -> dict[str, str]:
    """The environment a deployed feedbackloop reads its settings from (no .env in the bench's cwd)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FEEDBACKLOOP_", "ZENDESK_"))}
    env.update({
        "FEEDBACKLOOP_DATABASE_URL": url,
        "FEEDBACKLOOP_SECRET_KEY": SECRET_KEY,
        "ZENDESK_SUBDOMAIN": "bench",
        "ZENDESK_EMAIL": "bench@example.com",
        "ZENDESK_API_TOKEN": "bench-api-token",
        "ZENDESK_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "PYTHONUNBUFFERED": "1",
    })
    env.update(extra)
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- measuring a command ---------------------------------------------------------------------------


@dataclass
class Measured:
    """A finished command: wall seconds, peak resident memory (MiB), CPU seconds, output."""

    seconds: float
    peak_mib: float
    cpu_seconds: float
    stdout: str
    stderr: str
    returncode: int
    tree_peak_mib: float = 0.0  # the command and its child processes together (polled)


def measure(argv: Sequence[str], *, env: dict[str, str] | None = None, cwd: str | None = None,
            timeout: float = 1800) -> Measured:
    """Run a command alone; its peak memory is its VmHWM (polled every 50 ms until it exits)."""
    import threading

    start = time.perf_counter()
    proc = subprocess.Popen(list(argv), env=env, cwd=cwd or tempfile.gettempdir(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    out_chunks: list[str] = []
    err_chunks: list[str] = []
    readers = [threading.Thread(target=lambda s=s, c=c: c.append(s.read()), daemon=True)
               for s, c in ((proc.stdout, out_chunks), (proc.stderr, err_chunks))]
    for reader in readers:
        reader.start()
    status_file = Path(f"/proc/{proc.pid}/status")
    peak_kb = tree_kb = 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        peak_kb = max(peak_kb, _status_kb(status_file, "VmHWM:"))
        tree_kb = max(tree_kb, _tree_rss(proc.pid))
        if time.perf_counter() - start > timeout:
            proc.kill()
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join()
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()
    # Not ru_maxrss: on Linux a child's high-water mark starts from its parent's RSS at fork, so it
    # would report the (large) bench process. VmHWM is the exec'd program's own.
    # ru_* of the command include its worker processes' CPU: it waits for them before it exits.
    return Measured(seconds, peak_kb / 1024, usage.ru_utime + usage.ru_stime, "".join(out_chunks),
                    "".join(err_chunks), proc.returncode, max(peak_kb, tree_kb) / 1024)


def _tree_rss(pid: int) -> int:
    """kB resident in a process and all its descendants now (worker processes of an export).
    Pages the processes share are counted once per process: an upper bound."""
    total = _status_kb(Path(f"/proc/{pid}/status"), "VmRSS:")
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return total
    return total + sum(_tree_rss(int(child)) for child in children)


def _status_kb(status: Path, field: str) -> int:
    """A kB figure of /proc/PID/status ("VmHWM:", "VmRSS:"); 0 once the process is gone."""
    try:
        for line in status.read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("met" if ok else "**missed**")


def fmt(value: Any, digits: int = 1) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        if value != value:  # NaN
            return "—"
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)
