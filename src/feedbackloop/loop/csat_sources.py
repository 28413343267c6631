"""Whose CSAT survey a ticket gets, and ratings split by where they came from (issue 23).

FEEDBACKLOOP_SURVEY_SOURCE: `feedbackloop` (ours, the default), `zendesk` (we send none; Zendesk's own
ratings are the ratings, native.py) or `both` (ours on FEEDBACKLOOP_SURVEY_OURS_CHANNELS, Zendesk's
elsewhere). Never two surveys on one ticket: `ours_exclusion` keeps ours off a ticket whose channel
is Zendesk's, or on which Zendesk's survey was offered.

The report split (`source_rows`) keeps the two scales apart: a five-point rating has a mean, a
two-point (good/bad) one has only a share good; they are never averaged together.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol, runtime_checkable

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from feedbackloop.core.settings import Settings
from feedbackloop.helpdesks.base import NativeRating
from feedbackloop.jobs import queue as jobs
from feedbackloop.store.models import Rating, Survey, TicketState
from feedbackloop.store.rollups import CES

#: A native rating's survey row: `solve_key` is this and Zendesk's rating id (or "ticket").
NATIVE_KEY = "zendesk-csat:"
#: Rating.source → the report's name for it.
SOURCE_NAMES = {"link": "feedbackloop", "email_reply": "feedbackloop", "zendesk": "zendesk"}


def native_key(rating_id: int | None) -> str:
    """The survey `solve_key` of Zendesk's rating `rating_id`."""
    return f"{NATIVE_KEY}{rating_id if rating_id is not None else 'ticket'}"


def to_json(rating: NativeRating) -> dict[str, Any]:
    """A native rating as job arguments."""
    data = asdict(rating)
    for name in ("created_at", "updated_at"):
        data[name] = data[name].isoformat() if data[name] is not None else None
    return data


def from_json(data: dict[str, Any]) -> NativeRating:
    """`to_json`'s inverse."""
    values = dict(data)
    for name in ("created_at", "updated_at"):
        values[name] = datetime.fromisoformat(values[name]) if values.get(name) else None
    return NativeRating(**values)


def queue_record(session: Session, tenant_id: str, rating: NativeRating, now: datetime) -> None:
    """Record `rating` in a job of its own (a path that may not import this module's dependencies, or that
    runs inside another ticket's job); the key makes a reading seen twice one job."""
    stamp = rating.updated_at.isoformat() if rating.updated_at else ""
    words = hashlib.sha256(f"{rating.comment}|{rating.reason}".encode("utf-8", "surrogatepass")).hexdigest()[:16]
    key = f"native:{rating.ticket_id}:{rating.id}:{rating.score}:{words}:{stamp}"
    jobs.enqueue(session, "record_native", key, {"rating": to_json(rating)}, now=now, tenant_id=tenant_id,
                 ticket_id=rating.ticket_id)


def ours_exclusion(session: Session, settings: Settings, tenant_id: str, state: TicketState) -> str | None:
    """Why this ticket gets no survey of ours because of the survey source, or None."""
    if settings.survey_source == "zendesk":
        return "Zendesk's own CSAT survey asks on this account (FEEDBACKLOOP_SURVEY_SOURCE=zendesk)"
    if settings.survey_source != "both":
        return None
    if (state.channel or "") not in settings.survey_ours_channels:
        return (f"channel {state.channel or 'unknown'} gets Zendesk's own CSAT survey "
                f"(FEEDBACKLOOP_SURVEY_OURS_CHANNELS={','.join(settings.survey_ours_channels)})")
    native = session.scalar(select(Survey.id).where(
        Survey.tenant_id == tenant_id, Survey.ticket_id == state.ticket_id,
        Survey.solve_key.like(f"{NATIVE_KEY}%")).limit(1))
    if native is not None:
        return "Zendesk's own CSAT survey was offered on this ticket"
    return None


@dataclass(frozen=True)
class SourceRow:
    """Ratings of one source and scale in a time range. `mean` only for the five-point scale;
    `good_share` is 4-5 (five) or up (thumbs) over all ratings; `sent` counts surveys sent (offered)."""

    source: str
    scale: str
    sent: int
    rated: int
    good: int
    bad: int
    good_share: float | None
    response_rate: float | None
    mean: float | None


def source_rows(session: Session, tenant_id: str, start: datetime, end: datetime) -> list[SourceRow]:
    """Ratings created in [start, end) by source and scale, with the CSAT surveys sent in it."""
    source = case((Rating.source == "zendesk", "zendesk"), else_="feedbackloop")
    good = case((Rating.score >= 4, 1), else_=0)
    bad = case((Rating.score <= 2, 1), else_=0)
    rated = session.execute(
        select(source, Rating.scale, func.count(), func.sum(good), func.sum(bad), func.sum(Rating.score))
        .where(Rating.tenant_id == tenant_id, Rating.created_at >= start, Rating.created_at < end)
        .group_by(source, Rating.scale)).all()
    survey_source = case((Survey.solve_key.like(f"{NATIVE_KEY}%"), "zendesk"), else_="feedbackloop")
    sent = {(row[0], row[1]): int(row[2]) for row in session.execute(
        select(survey_source, Survey.scale, func.count())
        .where(Survey.tenant_id == tenant_id, Survey.sent_at >= start, Survey.sent_at < end,
               Survey.scale != CES)  # a CES-only survey is no CSAT survey sent (the CES section counts it)
        .group_by(survey_source, Survey.scale)).all()}
    rows: dict[tuple[str, str], SourceRow] = {}
    for name, scale, n, k, b, total in rated:
        n, k, b = int(n), int(k or 0), int(b or 0)
        out = sent.get((name, scale), 0)
        rows[(name, scale)] = SourceRow(name, scale, out, n, k, b, round(k / n, 4) if n else None,
                                        round(n / out, 4) if out else None,
                                        round(int(total) / n, 3) if n and scale == "five" else None)
    for (name, scale), out in sent.items():
        if (name, scale) not in rows:
            rows[(name, scale)] = SourceRow(name, scale, out, 0, 0, 0, None, 0.0, None)
    return [rows[key] for key in sorted(rows)]


COLUMNS = ("source", "scale", "sent", "rated", "good", "bad", "good_share", "response_rate", "mean")


def render_sources(rows: list[SourceRow], fmt: str) -> str:
    """The split as a table, JSON or CSV."""
    if fmt == "json":
        return json.dumps({"by_source": [asdict(row) for row in rows]}, indent=2) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow(["" if getattr(row, c) is None else getattr(row, c) for c in COLUMNS])
        return out.getvalue()
    lines = ["By rating source (a two-point scale has no mean: good/bad is reported as a share good)",
             (f"{'source':<13} {'scale':<7} {'sent':>6} {'rated':>6} {'good':>6} {'bad':>6} {'% good':>7} "
              f"{'resp.':>7} {'mean':>5}")]
    for row in rows:
        share = f"{row.good_share * 100:.1f}%" if row.good_share is not None else "-"
        rate = f"{row.response_rate * 100:.1f}%" if row.response_rate is not None else "-"
        mean = f"{row.mean:.2f}" if row.mean is not None else "-"
        lines.append(f"{row.source:<13} {row.scale:<7} {row.sent:>6} {row.rated:>6} {row.good:>6} {row.bad:>6} "
                     f"{share:>7} {rate:>7} {mean:>5}")
    if not rows:
        lines.append("(no ratings or surveys in this range)")
    return "\n".join(lines) + "\n"


# --- doctor: which CSAT the account runs ---------------------------------------------------------

#: How far back doctor looks for Zendesk's own ratings.
DOCTOR_WINDOW = timedelta(days=30)


@runtime_checkable
class RatingsReader(Protocol):
    """The one call the CSAT check makes (ZendeskClient has it)."""

    def satisfaction_ratings(self, start: datetime, end: datetime, cursor: str | None = None) -> Any: ...


def csat_check(settings: Settings, client: RatingsReader, now: datetime) -> Any:
    """Doctor's finding on Zendesk's own CSAT, as far as the API shows it: legacy ratings offered in the
    last 30 days mean the legacy survey is on. Whether the customizable CSAT is on is not readable with an
    API token (docs/zendesk-csat.md); a warning when both surveys would reach a customer."""
    from feedbackloop.core import errors
    from feedbackloop.helpdesks.zendesk.install import Check

    name = "Zendesk's own CSAT"
    try:
        page = client.satisfaction_ratings(now - DOCTOR_WINDOW, now)
    except errors.HelpdeskError as exc:
        return Check(name, "skipped", f"could not list satisfaction ratings: {exc}")
    ratings = list(page.ratings)
    offered = [r for r in ratings if r.score in ("offered", "good", "bad")]
    answered = [r for r in ratings if r.score in ("good", "bad")]
    more = "+" if page.cursor else ""
    if offered:
        seen = (f"legacy CSAT is active: {len(offered)}{more} surveys offered in the last 30 days, "
                f"{len(answered)}{more} answered")
    else:
        seen = ("no legacy CSAT survey offered in the last 30 days (legacy CSAT off, or nothing solved); whether "
                "the customizable CSAT is on cannot be read with an API token")
    source = settings.survey_source
    if source == "feedbackloop" and offered:
        return Check(name, "warning", f"{seen}, and feedbackloop sends its own survey: customers get two surveys",
                     "set FEEDBACKLOOP_SURVEY_SOURCE=zendesk (use Zendesk's ratings) or both (ours on chosen "
                     "channels), or turn Zendesk's CSAT off (Admin Center > People > End users > Satisfaction)")
    if source == "both" and offered:
        channels = ",".join(settings.survey_ours_channels) or "(none)"
        return Check(name, "ok", f"{seen}; ours goes to channels {channels} only, never on a ticket Zendesk's "
                     "survey reached")
    if source == "zendesk" and not offered:
        return Check(name, "warning", f"{seen}; FEEDBACKLOOP_SURVEY_SOURCE=zendesk, so no survey reaches customers "
                     "unless Zendesk's customizable CSAT is on", "turn Zendesk's CSAT on, or set "
                     "FEEDBACKLOOP_SURVEY_SOURCE=feedbackloop")
    return Check(name, "ok", f"{seen}; survey source {source}")
