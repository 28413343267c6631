"""The ratings export's CPU work on every core: worker processes build, redact and encode chunks.

Redaction and encoding are three quarters of a ratings row's CPU and need neither the database nor
the helpdesk, so once an export proves large (`pipeline.PARALLEL_AFTER` rows) its chunks go to a
pool of processes (the GIL rules out threads), while the export's own process keeps reading the
database, loading facts, looking up requesters and writing the files. Results come back in
submission order and are written in that order, so the file is byte for byte the file one process
writes (`tests/learn/test_exports.py` compares them).

Workers are spawned, not forked: a fork would copy the open database connection and whatever
threads the parent has. At most `2 × jobs` chunks are in flight, so memory stays bounded however
slow the writer is.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from feedbackloop.learn.exports.rating_lines import Item, RatingRecords, encode_items
from feedbackloop.learn.exports.writers import line_encoder

Encoded = list[tuple[str | None, str, int]]
DIED = "a worker process died (out of memory, or killed)"

_worker: tuple[RatingRecords, Callable[[dict[str, Any]], str]] | None = None


def usable_cpus() -> int:
    """CPUs this process may run on (a container's or taskset's limit, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS and Windows have no affinity call
        return os.cpu_count() or 1


def _start_worker(salt: bytes, test_fraction: float | None, fmt: str, columns: Sequence[str],
                  split_salt: bytes | None = None) -> None:
    """Each worker's builder and encoder, made once. Ctrl-C is the export's to handle: it stops the
    pool, and workers must not each print a KeyboardInterrupt traceback."""
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker = (RatingRecords(salt, test_fraction, split_salt), line_encoder(fmt, columns))


def _encode_in_worker(items: Sequence[Item]) -> Encoded:
    assert _worker is not None, "the pool's initializer sets the worker up"
    return encode_items(*_worker, items)


class WorkerDied(Exception):
    """A worker process ended without an answer (killed, out of memory); the export cannot finish."""


class Encoders:
    """A pool of `jobs` processes encoding chunks, results in submission order."""

    def __init__(self, jobs: int, salt: bytes, test_fraction: float | None, fmt: str,
                 columns: Sequence[str], split_salt: bytes | None = None) -> None:
        self._pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=_start_worker,
                                         initargs=(salt, test_fraction, fmt, tuple(columns), split_salt))
        self._pending: deque[Future[Encoded]] = deque()
        self._ahead = 2 * jobs

    def submit(self, items: Sequence[Item]) -> Iterator[Encoded]:
        """Queue a chunk; yield the oldest chunks' results while more than `2 × jobs` are in flight."""
        try:
            self._pending.append(self._pool.submit(_encode_in_worker, items))
        except BrokenProcessPool:  # a worker died since the last result was read
            raise WorkerDied(DIED) from None
        while len(self._pending) > self._ahead:
            yield self._result(self._pending.popleft())

    def drain(self) -> Iterator[Encoded]:
        """Every chunk still in flight, in order."""
        while self._pending:
            yield self._result(self._pending.popleft())

    def close(self) -> None:
        """Stop the workers; chunks not yet started are dropped (the export failed or is done)."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    @staticmethod
    def _result(future: Future[Encoded]) -> Encoded:
        try:
            return future.result()
        except BrokenProcessPool:
            raise WorkerDied(DIED) from None
