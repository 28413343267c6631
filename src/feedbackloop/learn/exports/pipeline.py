"""One export, start to end: stream keys, load bundles a chunk at a time, build, deduplicate, write."""

from __future__ import annotations

import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session

from feedbackloop.core.errors import ConfigError, FeedbackloopError, HelpdeskError, Permanent, Retryable
from feedbackloop.core.redact import Identity
from feedbackloop.helpdesks.base import HelpdeskClient
from feedbackloop.learn.exports import rating_lines, ratings, source
from feedbackloop.learn.exports.dedupe import NearDuplicates
from feedbackloop.learn.exports.records import (
    Built,
    Context,
    Skip,
    build_dpo,
    build_eval,
    build_sft,
    no_identity,
    split_of,
)
from feedbackloop.learn.exports.writers import Output, line_encoder

KINDS = ("eval", "sft", "dpo", "ratings", "intents")
#: A ratings export of at most this many rows is encoded in the export's own process: it never waits
#: for worker processes to start. A larger one is encoded on worker processes (`parallel`) from its
#: first row, its first chunks held until it proves large, so its own process never loads the redactor.
PARALLEL_AFTER = 5_000
LOOKUP_ATTEMPTS = 5
#: Characters of a dropped record's (redacted) text listed in NAME.dropped.jsonl.
DROPPED_EXCERPT = 200
MAX_WAIT = 60.0

Progress = Callable[[int], None]


class ExportError(FeedbackloopError):
    """The export cannot go on; the message says why and what to do."""


@dataclass
class ExportStats:
    """What an export wrote, dropped and skipped."""

    written: Counter[str] = field(default_factory=Counter)
    duplicates: int = 0
    #: near-duplicates dropped, by the side they would have gone to
    dropped: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    dedupe_saturated: bool = False
    features: str | None = None  # the column types file written beside the output
    dropped_file: str | None = None  # the near-duplicates left out, listed beside the output

    @property
    def total(self) -> int:
        return sum(self.written.values())


def total_of(session: Session, kind: str, window: source.Window) -> int:
    """How many keys the export will walk (the progress bar's length)."""
    return source.count(session, key_query(kind, window))


def key_query(kind: str, window: source.Window) -> Select[Any]:
    """The ordered key stream of an export kind: tickets (eval, sft, dpo), rating ids."""
    from feedbackloop.learn.exports.intents import intent_keys

    return {"eval": source.eval_keys, "sft": source.rated_keys, "dpo": source.dpo_keys,
            "ratings": source.rating_ids, "intents": intent_keys}[kind](window)


def run_export(session: Session, kind: str, ctx: Context, output: Output,
               progress: Progress = lambda n: None, *, jobs: int = 1) -> ExportStats:
    """Write every record of `kind` in the context's window to `output`; the caller commits it.

    `jobs` > 1: a large ratings export encodes on that many worker processes (`parallel`).
    """
    if kind == "ratings":
        return run_ratings(session, ctx, output, progress, jobs)
    stats = ExportStats()
    dedupe = NearDuplicates()
    for chunk in source.stream(session, key_query(kind, ctx.window)):
        for built in build_chunk(session, kind, ctx, chunk):
            emit(built, ctx, output, stats, dedupe)
        session.expunge_all()
        progress(len(chunk))
    stats.dedupe_saturated = dedupe.saturated
    return stats


def run_ratings(session: Session, ctx: Context, output: Output, progress: Progress, jobs: int = 1) -> ExportStats:
    """The ratings export on Core rows (`exports.ratings`): never deduplicated, nothing skipped.

    This process reads the rows, their tickets' facts and requesters; once more than `PARALLEL_AFTER`
    rows are read, with `jobs` > 1, worker processes build and encode every chunk (the held first ones
    too) and this one writes them in order.
    """
    from feedbackloop.learn.exports.parallel import Encoders, WorkerDied

    stats = ExportStats()
    builder = rating_lines.RatingRecords(ctx.salt, ctx.test_fraction, ctx.split_salt or None)
    encode = line_encoder(output.fmt, output.columns)
    # the requester is read for look-ups and for the split (by customer), not otherwise
    with_requester = ctx.identity_of is not no_identity or ctx.test_fraction is not None

    def write(encoded: list[tuple[str | None, str, int]]) -> None:
        for split, text, count in encoded:
            output.write_lines(split, text, count)
            stats.written[split or "all"] += count
        progress(sum(count for _, _, count in encoded))

    encoders: Encoders | None = None
    #: Chunks read while the export may still prove small: encoded here if it ends within
    #: `PARALLEL_AFTER` rows, else handed to the workers, so that a large export's own process never
    #: loads the redactor's name lists (some 30 MiB, once per process).
    held: list[Sequence[rating_lines.Item]] = []
    read = 0
    chunks = ratings.stream_rating_rows(session, ctx.window, with_requester=with_requester)
    try:
        for rows in chunks:
            items = ratings.chunk_items(session, rows, ctx.identity_of)
            read += len(rows)
            if encoders is None and jobs > 1:
                held.append(items)
                if read <= PARALLEL_AFTER:
                    continue
                encoders = Encoders(jobs, ctx.salt, ctx.test_fraction, output.fmt, output.columns,
                                    ctx.split_salt or None)
                for chunk in held[:-1]:
                    for encoded in encoders.submit(chunk):
                        write(encoded)
                held = []
            if encoders is None:
                write(rating_lines.encode_items(builder, encode, items))
            else:
                for encoded in encoders.submit(items):
                    write(encoded)
        for chunk in held:  # a small export: it never started the workers
            write(rating_lines.encode_items(builder, encode, chunk))
        for encoded in encoders.drain() if encoders else ():
            write(encoded)
    except WorkerDied as exc:
        raise ExportError(f"{exc}; rerun the export, or with --jobs 1 to encode in one process") from None
    finally:
        chunks.close()  # the server-side cursor, now rather than whenever the generator is collected
        if encoders is not None:
            encoders.close()
    return stats


def build_chunk(session: Session, kind: str, ctx: Context, chunk: list[Any]) -> Iterator[Built | Skip]:
    """The chunk's records: one per ticket (eval, sft, intents), one per corrected draft (dpo)."""
    keys = [(str(tenant), int(ticket)) for tenant, ticket in chunk]
    bundles = source.load_bundles(session, keys)
    for key in keys:
        if kind == "dpo":
            yield from build_dpo(ctx, bundles[key])
        elif kind == "intents":
            from feedbackloop.learn.exports.intents import build_intents

            yield build_intents(ctx, bundles[key])
        else:
            yield (build_eval if kind == "eval" else build_sft)(ctx, bundles[key])


def emit(built: Built | Skip, ctx: Context, output: Output, stats: ExportStats, dedupe: NearDuplicates) -> None:
    if isinstance(built, Skip):
        stats.skipped[built.reason] += 1
        return
    split = split_of(built.split_key, ctx.test_fraction)
    match = dedupe.match(built.dedupe_text) if built.dedupe_text is not None else None
    if match is not None:
        stats.duplicates += 1
        stats.dropped[split or "all"] += 1
        metadata = built.record.get("metadata") or {}
        output.write_dropped({"ticket": built.record.get("id") or metadata.get("ticket"), "split": split,
                              "match": match, "excerpt": (built.dedupe_text or "")[:DROPPED_EXCERPT]})
        return
    output.write(built.record, split)
    stats.written[split or "all"] += 1


class RequesterDirectory:
    """Requesters' names and emails as the helpdesk knows them, each looked up once.

    The cache is a bounded LRU, so memory stays constant; a requester the helpdesk no longer has
    (deleted user) gets an empty identity, and positional name detection still applies. A helpdesk
    that keeps failing stops the export: going on would quietly export names we were told to hide.
    """

    def __init__(self, client_for: Callable[[str], HelpdeskClient], *, max_cached: int = 4096,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self._client_for = client_for
        self._cache: OrderedDict[tuple[str, int], Identity | None] = OrderedDict()
        self._max = max_cached
        self._sleep = sleep
        self.lookups = 0
        self.tenants_without_account: set[str] = set()

    def __call__(self, tenant_id: str, requester_id: int | None) -> Identity | None:
        if requester_id is None:
            return None
        key = (tenant_id, requester_id)
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        identity = self._look_up(tenant_id, requester_id)
        self._cache[key] = identity
        if len(self._cache) > self._max:
            self._cache.popitem(last=False)
        return identity

    def _look_up(self, tenant_id: str, requester_id: int) -> Identity | None:
        try:
            client = self._client_for(tenant_id)
        except ConfigError:
            self.tenants_without_account.add(tenant_id)
            return None
        for attempt in range(LOOKUP_ATTEMPTS):
            try:
                user = client.get_user(requester_id)
                self.lookups += 1
                return Identity(tuple(n for n in [user.name] if n), tuple(e for e in [user.email] if e))
            except Permanent:
                return Identity()
            except Retryable as exc:
                if attempt + 1 == LOOKUP_ATTEMPTS:
                    raise ExportError(f"the helpdesk keeps failing to look up requesters ({exc.reason}); "
                                      "try later, or pass --no-requester-lookup") from None
                self._sleep(min(MAX_WAIT, exc.retry_after or 2.0 ** attempt))
            except HelpdeskError as exc:
                raise ExportError(f"could not look up requester {requester_id}: {exc.reason}; "
                                  "pass --no-requester-lookup to export without") from None
        return None  # pragma: no cover - the loop returns or raises
