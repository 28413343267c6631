"""/dashboard: the insight report on a page, for admins.

Login: the admin token (FEEDBACKLOOP_ADMIN_TOKEN) typed into a form becomes a signed session
cookie (Flask's, HttpOnly, SameSite=Lax) holding a keyed fingerprint of the token, never the
token: rotating the token logs every session out. Every POST carries a CSRF token bound to the
session. Pages are server-rendered, charts are inline SVG, sorting is a query string: the page
needs no JavaScript (and the app's CSP allows none). Customer-written text only ever passes
through Jinja's autoescaping. Every chart point, table row and count links to the tickets behind it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, session, url_for
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException

from feedbackloop.insight import alerts, metrics, outcomes, reports
from feedbackloop.insight.drops import with_task_status
from feedbackloop.insight.metrics import DIMENSIONS, PERIODS, MetricsQuery, SegmentRow, Window
from feedbackloop.insight.reports import hours_text, verdicts_text
from feedbackloop.insight.stats import Rate, wilson
from feedbackloop.jobs import queue as jobs
from feedbackloop.loop import ces
from feedbackloop.loop.decisions import MAX_TICKET_ID, resolver_of
from feedbackloop.store.db import session_scope, utcnow
from feedbackloop.store.models import DEFAULT_TENANT, DropAlert, InstalledResource, ReviewTask, TicketState
from feedbackloop.web import agent_names, agent_view
from feedbackloop.web.charts import Chart, rate_chart
from feedbackloop.web.timeline import build_timeline, describe_ticket
from feedbackloop.wiring import ratelimit
from feedbackloop.wiring.adminauth import tokens_match
from feedbackloop.wiring.services import Services, services_of

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

SESSION_ADMIN = "fl_admin"
SESSION_CSRF = "fl_csrf"
SESSION_LIFETIME = timedelta(hours=12)
NONE_TOKEN = "__none__"
RANGES = ("7d", "30d", "90d", "365d")
SORTS = ("segment", "n", "csat", "low", "high", "mean", "previous", "delta", "response", "reopen", "recontact",
         "override", "fcr")
LOWEST_SHOWN = 10
DRILL_LIMIT = 200


# --- wiring, login, CSRF ------------------------------------------------------------------------------


@bp.record_once
def _configure(state: BlueprintSetupState) -> None:
    """Session cookie hardening, and alert settings checked at start rather than at the first alert."""
    settings = services_of(state.app).settings
    alerts.alert_config(settings)
    state.app.config.update(
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.public_url.startswith("https://"),
        PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME,
    )


def token_fingerprint(secret_key: str, token: str) -> str:
    """What the session stores: proves the token was given, cannot be turned back into it."""
    return hmac.new(secret_key.encode(), b"dashboard:" + token.encode(), hashlib.sha256).hexdigest()


def csrf_token() -> str:
    """This session's CSRF token, made on first use."""
    token = session.get(SESSION_CSRF)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session[SESSION_CSRF] = token
    return token


def logged_in(services: Services) -> bool:
    token = services.settings.admin_token
    given = session.get(SESSION_ADMIN)
    return bool(token) and isinstance(given, str) and hmac.compare_digest(
        given, token_fingerprint(services.settings.secret_key, token or ""))


@bp.before_request
def _guard() -> ResponseReturnValue | None:
    """Off without a token; POSTs need the session's CSRF token; pages need a login."""
    services = services_of(current_app)
    if not services.settings.admin_token:
        return _page_error(
            404, "Dashboard disabled", "Set FEEDBACKLOOP_ADMIN_TOKEN to turn the dashboard on."
        )
    if request.method == "POST":
        expected = session.get(SESSION_CSRF)
        given = request.form.get("csrf_token", "")
        if not isinstance(expected, str) or not hmac.compare_digest(given.encode(), expected.encode()):
            return _page_error(
                400,
                "Form expired",
                "This form was not sent from this dashboard session. Reload the page and try again.",
            )
    if request.endpoint in ("dashboard.login", "dashboard.login_submit") or logged_in(services):
        return None
    return redirect(url_for("dashboard.login", next=request.full_path.rstrip("?")))


@bp.context_processor
def _header() -> dict[str, Any]:
    """The header's logout form, only for a logged-in admin."""
    return {"logout_csrf": csrf_token() if logged_in(services_of(current_app)) else None}


@bp.after_request
def _no_store(response: Any) -> Any:
    """Pages hold customer comments: no shared or back-button caches."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> ResponseReturnValue:
    page, status = _page_error(exc.code or 500, exc.name, exc.description or "")
    # keep what the refusal says beside its body: Retry-After (429), Allow (405)
    headers = [(name, value) for name, value in exc.get_headers() if name.lower() != "content-type"]
    return page, status, headers


def _page_error(status: int, title: str, message: str) -> tuple[str, int]:
    return render_template("dashboard/error.html", title=title, message=message, csrf=None), status


@bp.get("/login")
def login() -> ResponseReturnValue:
    return render_template(
        "dashboard/login.html",
        csrf=csrf_token(),
        next=safe_next(request.args.get("next")),
        error=None,
        logged_out="logged_out" in request.args,
    )


@bp.post("/login")
def login_submit() -> ResponseReturnValue:
    services = services_of(current_app)
    token = services.settings.admin_token or ""
    target = safe_next(request.form.get("next"))
    ratelimit.guard_login()  # a spent budget refuses before the token is compared
    if not tokens_match(request.form.get("token", ""), token):
        try:
            ratelimit.count_failed_login()
        except ratelimit.RateLimited:
            pass  # this wrong token spent the last one: it is answered 401; the next attempt gets 429
        return render_template(
            "dashboard/login.html",
            csrf=csrf_token(),
            next=target,
            error="That is not the admin token.",
            logged_out=False,
        ), 401
    session.clear()  # a fresh session (and CSRF token) on login: nothing planted before it survives
    session[SESSION_ADMIN] = token_fingerprint(services.settings.secret_key, token)
    session.permanent = True
    csrf_token()
    return redirect(target)


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    session.clear()
    return redirect(url_for("dashboard.login", logged_out=1))


def safe_next(target: str | None) -> str:
    """Only back into the dashboard: never an open redirect to another site. Control characters
    (a CR/LF would split the Location header) are refused with a 400."""
    if target and any(ord(char) < 32 or ord(char) == 127 for char in target):
        abort(400, description="the next parameter must be a dashboard path without control characters")
    if target and target.startswith("/dashboard") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("dashboard.index")


# --- reading the query string -------------------------------------------------------------------------


@dataclass(frozen=True)
class View:
    """The page's question, from the query string, with defaults."""

    query: MetricsQuery
    range_text: str
    period: str
    sort: str
    descending: bool
    band: str | None = None

    @property
    def tenant(self) -> str:
        return self.query.tenant_id or DEFAULT_TENANT

    def args(self, **changes: Any) -> dict[str, str]:
        """The query string of this view, with some parameters changed."""
        args = {
            "since": self.range_text,
            "period": self.period,
            "by": ",".join(self.query.by),
            "sort": self.sort,
            "dir": "desc" if self.descending else "asc",
        }
        if "until" in request.args:
            args["until"] = request.args["until"]
        args.update({name: NONE_TOKEN if v is None else v for name, v in self.query.filters.items()})
        args.update(tenant_args(self.tenant))
        args.update({key: str(value) for key, value in changes.items()})
        return args


def read_view(now: datetime) -> View:
    """Parse and check the query string; a bad value is a 400 with the reason."""
    range_text = request.args.get("since", "30d")
    try:
        since = metrics.parse_moment(range_text, now)
        until = (
            metrics.parse_moment(request.args["until"], now, end_of_day=True)
            if "until" in request.args
            else now
        )
        by = tuple(name for name in request.args.get("by", "intent").split(",") if name)
        period = request.args.get("period") or default_period(until - since)
        query = MetricsQuery(read_tenant(), since, until, by=by, filters=read_filters())
    except ValueError as exc:
        abort(400, description=str(exc))
    if period not in PERIODS:
        abort(400, description=f"period must be one of {', '.join(PERIODS)}")
    sort = request.args.get("sort", "csat")
    return View(
        query,
        range_text,
        period,
        sort if sort in SORTS else "csat",
        request.args.get("dir") == "desc",
        read_band(),
    )


def read_tenant() -> str:
    """`?tenant=acme`: the admin token acts for every tenant; unknown names are a 404."""
    tenant = request.values.get("tenant") or DEFAULT_TENANT
    if tenant != DEFAULT_TENANT and tenant not in services_of(current_app).tenants():
        abort(404, description=f"no tenant {tenant[:64]!r}")
    return tenant


def tenant_args(tenant: str) -> dict[str, Any]:
    """The query-string part naming a tenant (nothing for the default one)."""
    return {} if tenant == DEFAULT_TENANT else {"tenant": tenant}


def zendesk_link(services: Services, tenant: str) -> Callable[[int], str]:
    """Agent-facing ticket URLs on the tenant's own helpdesk account."""
    settings = services.settings_for(tenant)
    return lambda ticket_id: alerts.agent_ticket_url(settings, ticket_id)


def default_period(span: timedelta) -> str:
    """About 7 to 30 points on the trend chart."""
    return "day" if span <= timedelta(days=31) else "week" if span <= timedelta(days=200) else "month"


def read_filters() -> dict[str, str | None]:
    """`?intent=billing&group=42`: segment filters (`__none__` is "no value"); ids must be numbers."""
    filters: dict[str, str | None] = {}
    for name, dimension in DIMENSIONS.items():
        if name == "tenant" or name not in request.args:
            continue
        value = request.args[name]
        if (
            value != NONE_TOKEN
            and dimension.numeric
            and not (value.isdigit() and int(value) <= MAX_TICKET_ID)
        ):
            raise ValueError(f"{name} must be a number (a helpdesk id)")
        filters[name] = None if value == NONE_TOKEN else value
    return filters


def read_band() -> str | None:
    band = request.args.get("band") or None
    if band is not None and band not in metrics.SCORE_BANDS:
        abort(400, description=f"band must be one of {', '.join(metrics.SCORE_BANDS)}")
    return band


# --- links --------------------------------------------------------------------------------------------


def drill_href(
    window: Window, filters: dict[str, str | None], band: str | None = None, tenant: str = DEFAULT_TENANT
) -> str:
    """The drill-down page listing the ratings behind one figure."""
    args = {"since": window.start.isoformat(), "until": window.end.isoformat(), **tenant_args(tenant)}
    args.update({name: NONE_TOKEN if value is None else value for name, value in filters.items()})
    if band:
        args["band"] = band
    return url_for("dashboard.tickets") + "?" + urlencode(args)


def row_filters(view: View, row: SegmentRow) -> dict[str, str | None]:
    return {**view.query.filters, **dict(zip(view.query.by, row.key))}


def sort_links(view: View) -> dict[str, str]:
    """Each column header's link: sort by it; the current column's link flips the direction."""
    links = {}
    for column in SORTS:
        descending = not view.descending if column == view.sort else column in ("n", "delta")
        links[column] = "?" + urlencode(view.args(sort=column, dir="desc" if descending else "asc"))
    return links


# --- the page -----------------------------------------------------------------------------------------


def custom_range_redirect() -> ResponseReturnValue | None:
    """The form's date fields (`from`, `to`) as the canonical `since`/`until` of the page's links."""
    if not (request.args.get("from") or request.args.get("to")):
        return None
    args = {k: v for k, v in request.args.items() if k not in ("from", "to")}
    if request.args.get("from"):
        args["since"] = request.args["from"]
    if request.args.get("to"):
        args["until"] = request.args["to"]
    return redirect(request.path + "?" + urlencode(args))


@bp.get("/")
def index() -> ResponseReturnValue:
    services = services_of(current_app)
    now = utcnow()
    custom = custom_range_redirect()
    if custom is not None:
        return custom
    view = read_view(now)
    links = {  # outside the page's transaction: tenant lookups open their own (SQLite has one writer)
        "zendesk_url": zendesk_link(services, view.tenant),
        "tenants": services.tenants(),
        "ticket_href": lambda ticket_id: url_for(
            "dashboard.ticket", ticket_id=ticket_id, **tenant_args(view.tenant)
        ),
        "csv_href": lambda table: url_for("dashboard.export_csv", table=table) + "?" + urlencode(view.args()),
    }
    with session_scope(services.reader) as db:
        context = page_context(db, view, now)
        context["reviews_view_url"] = review_view_url(db, services, view.tenant)
        # issue 24: customer effort by intent and by resolver, for the page's range (ces.py)
        context["ces"] = ces.ces_section(db, view.tenant, context["window"].start, context["window"].end)
    if "agent" in view.query.by:  # outside the transaction: lookups go to the helpdesk
        index = view.query.by.index("agent")
        agent_names.resolve(view.tenant, (int(row.key[index]) for row in context["rows"]
                                          if row.key[index] is not None and str(row.key[index]).isdigit()),
                            lambda: services.client_for(view.tenant))
    context["segment_label"] = segment_labeller(view.tenant)
    return render_template("dashboard/index.html", **context, **links)


def segment_labeller(tenant: str) -> Callable[[str, Any], Any]:
    """A segment value as shown: agents by name (agent_names.py), the rest as they are."""
    def label(dimension: str, value: Any) -> Any:
        if dimension == "agent" and value is not None and str(value).isdigit():
            return agent_names.label(tenant, int(value))
        return value
    return label


def page_context(db: Session, view: View, now: datetime) -> dict[str, Any]:
    """Everything the page shows: the same figures as `feedbackloop report` (reports.build_report),
    the trend and the lowest-rated tickets."""
    query = view.query
    window = Window(query.since, query.until)
    trend = metrics.trend(db, query, view.period)
    lowest, _ = metrics.ratings_behind(db, query, limit=LOWEST_SHOWN, count=False)
    report = reports.build_report(db, query, now)
    reviews, reviews_total = open_reviews(db, view.tenant)
    return {
        "view": view,
        "query": query,
        "window": window,
        "csrf": csrf_token(),
        "now": now,
        "overall": report.overall,
        "outcomes": filtered_outcomes(db, query, report.outcomes),
        "csat_chart": trend_chart(trend, query, lambda row: row.csat),
        "response_chart": trend_chart(trend, query, lambda row: row.response or Rate(0, 0, 0.0, 1.0)),
        "rows": sort_rows(report.rows, view),
        "sort_links": sort_links(view),
        "ai": report.ai_vs_human,
        "drops": report.drops,
        "reviews": reviews,
        "reviews_total": reviews_total,
        "reason_words": agent_view.reason_words,
        "lowest": lowest,
        "dimensions": list(DIMENSIONS),
        "periods": PERIODS,
        "ranges": RANGES,
        "min_n": query.min_n,
        "drill": lambda window, filters, band=None: drill_href(window, filters, band, view.tenant),
        "row_filters": lambda row: row_filters(view, row),
        "checked": "checked" in request.args,
        "none_label": metrics.NONE_LABEL,
        "hours": hours_text,
        "verdicts": verdicts_text,
    }


def filtered_outcomes(db: Session, query: MetricsQuery, whole: metrics.Outcomes) -> metrics.Outcomes:
    """The headline's outcome rates under the page's segment filters (the report's are the tenant's
    whole range): solves, reopens, re-contacts, FCR, times, AI tickets and overrides of the filtered
    segment, counted like the segment table's."""
    if not query.filters:
        return whole
    flat = replace(query, by=(), period=None)
    counted = outcomes.total(outcomes.outcome_counts(db, flat), flat.since)
    rates = metrics.outcome_rates(db, query.tenant_id, Window(query.since, query.until), counted=counted)
    return replace(rates, override=wilson(min(counted.overridden, counted.ai_solves), counted.ai_solves),
                   verdicts=counted.verdicts)


def review_view_url(db: Session, services: Services, tenant: str) -> str | None:
    """The Zendesk view `feedbackloop install` made for review tasks, when it was installed."""
    view_id = db.scalar(select(InstalledResource.remote_id).where(
        InstalledResource.tenant_id == tenant, InstalledResource.kind == "view", InstalledResource.name == "reviews"))
    if not view_id:
        return None
    ticket_url = zendesk_link(services, tenant)(0)
    return ticket_url.replace("/agent/tickets/0", f"/agent/filters/{view_id}") if "/agent/tickets/" in ticket_url else None


def trend_chart(trend: list[SegmentRow], query: MetricsQuery, pick: Callable[[SegmentRow], Rate]) -> Chart:
    """One point per period, each linking to its ratings."""
    fmt = "%b %d" if len(trend) < 2 or (trend[1].window.start - trend[0].window.start).days < 28 else "%b %Y"
    return rate_chart(
        [
            (
                row.window.start.strftime(fmt),
                pick(row),
                drill_href(row.window, dict(query.filters), tenant=query.tenant_id or DEFAULT_TENANT),
            )
            for row in trend
        ]
    )


SORT_KEYS: dict[str, Callable[[SegmentRow], Any]] = {
    "segment": lambda row: tuple((v is None, v or "") for v in row.key),
    "n": lambda row: row.current.n,
    "csat": lambda row: row.csat.value,
    "low": lambda row: row.csat.low,
    "high": lambda row: row.csat.high,
    "mean": lambda row: row.current.mean,
    "previous": lambda row: row.previous_csat.value,
    "delta": lambda row: row.delta,
    "response": lambda row: row.response.value if row.response is not None else None,
    "reopen": lambda row: _outcome(row, "reopen"),
    "recontact": lambda row: _outcome(row, "recontact"),
    "override": lambda row: _outcome(row, "override"),
    "fcr": lambda row: _outcome(row, "first_contact_resolution"),
}


def _outcome(row: SegmentRow, name: str) -> float | None:
    """An outcome rate of the row, for sorting (None: no solves behind it)."""
    rate = getattr(row.outcomes, name) if row.outcomes is not None else None
    return rate.value if rate is not None else None


def sort_rows(rows: list[SegmentRow], view: View) -> list[SegmentRow]:
    """Server-side sort. For rate columns, segments below min n stay last (they are not ranked);
    rows without a value for the column sort after those with one, either direction."""
    key = SORT_KEYS[view.sort]
    ranked_only = view.sort not in ("segment", "n")
    with_value = [row for row in rows if key(row) is not None and not (ranked_only and row.suppressed)]
    rest = [row for row in rows if row not in with_value]
    with_value.sort(key=key, reverse=view.descending)
    rest.sort(key=lambda row: -row.current.n)
    return with_value + rest


@dataclass(frozen=True)
class OpenReview:
    """An open review task: about one ticket, or about a CSAT drop."""

    task_ticket_id: int | None
    about: str
    source_ticket_id: int | None
    reasons: str
    created_at: datetime
    due_at: datetime | None


def open_reviews(db: Session, tenant_id: str, limit: int = 20) -> tuple[list[OpenReview], int]:
    """Review tasks not yet solved, newest first (per-ticket ones and drop tasks), and how many there are."""
    tasks = db.scalars(
        select(ReviewTask)
        .where(ReviewTask.tenant_id == tenant_id, ReviewTask.state.in_(("pending", "open")))
        .order_by(ReviewTask.created_at.desc())
        .limit(limit)
    ).all()
    total = db.scalar(select(func.count(ReviewTask.id)).where(
        ReviewTask.tenant_id == tenant_id, ReviewTask.state.in_(("pending", "open")))) or 0
    reviews = [
        OpenReview(
            t.task_ticket_id,
            f"ticket #{t.source_ticket_id}",
            t.source_ticket_id,
            ", ".join(agent_view.REVIEW_REASON_WORDS.get(r.split(":")[0], r) for r in t.reasons),
            t.created_at,
            t.due_at,
        )
        for t in tasks
    ]
    drops = db.execute(
        with_task_status()
        .where(DropAlert.tenant_id == tenant_id, DropAlert.state.in_(("pending", "open")))
        .order_by(DropAlert.created_at.desc())
        .limit(limit)
    ).all()
    open_drops = [
        OpenReview(d.task_ticket_id, f"CSAT drop: {d.label}", None, "a CSAT drop", d.created_at, None)
        for d, status in drops
        if status not in ("solved", "closed")
    ]
    return sorted(reviews + open_drops, key=lambda r: r.created_at, reverse=True)[:limit], total + len(open_drops)


@bp.post("/drops/check")
def check_drops_now() -> ResponseReturnValue:
    """Queue a drop check now instead of waiting for the schedule."""
    services = services_of(current_app)
    now, tenant = utcnow(), read_tenant()
    with session_scope(services.factory) as db:
        jobs.enqueue(
            db, "drop_alerts", f"drop_alerts:manual:{now.timestamp():.0f}", {}, now=now, tenant_id=tenant
        )
    return redirect(url_for("dashboard.index", checked=1, **tenant_args(tenant)))


# --- drill-down and one ticket ----------------------------------------------------------------------------


@bp.get("/tickets")
def tickets() -> ResponseReturnValue:
    """The ratings behind a figure: worst first, each linking to Zendesk and to its timeline."""
    services = services_of(current_app)
    now = utcnow()
    custom = custom_range_redirect()
    if custom is not None:
        return custom
    view = read_view(now)
    query = replace(view.query, by=())
    with session_scope(services.reader) as db:
        rated, total = metrics.ratings_behind(db, query, band=view.band, limit=DRILL_LIMIT)
        counts = metrics.overall(db, query)
    agent_names.resolve(view.tenant, (r.assignee_id for r in rated), lambda: services.client_for(view.tenant))
    return render_template(
        "dashboard/tickets.html",
        view=view,
        query=query,
        rated=rated,
        total=total,
        counts=counts,
        limit=DRILL_LIMIT,
        csrf=csrf_token(),
        none_label=metrics.NONE_LABEL,
        none_token=NONE_TOKEN,
        zendesk_url=zendesk_link(services, view.tenant),
        ticket_href=lambda ticket_id: url_for(
            "dashboard.ticket", ticket_id=ticket_id, **tenant_args(view.tenant)
        ),
        band_href=lambda band: drill_href(
            Window(query.since, query.until), dict(query.filters), band, view.tenant
        ),
        reason_words=agent_view.reason_words,
        agent_name=lambda user_id: agent_names.label(view.tenant, user_id),
        csv_href=url_for("dashboard.export_csv", table="tickets") + "?" + request.query_string.decode("ascii", "replace"),
    )


@bp.get("/tickets/<int:ticket_id>")
def ticket(ticket_id: int) -> ResponseReturnValue:
    """One ticket's feedback timeline (the page twin of GET /api/v1/tickets/<id>/feedback)."""
    services = services_of(current_app)
    tenant = read_tenant()
    if ticket_id > MAX_TICKET_ID:
        abort(404)
    with session_scope(services.reader) as db:
        state = db.scalars(
            select(TicketState).where(TicketState.tenant_id == tenant, TicketState.ticket_id == ticket_id)
        ).one_or_none()
        history = build_timeline(db, tenant, ticket_id)
        if state is None and not history.entries:
            abort(404, description=f"nothing is known about ticket {ticket_id}")
        resolver = resolver_of(db, tenant, ticket_id)
    return render_template(
        "dashboard/ticket.html",
        ticket_id=ticket_id,
        state=describe_ticket(state) if state else None,
        entries=[entry.as_json() for entry in history.entries],
        lines=agent_view.history(history),
        truncated=history.truncated,
        resolver=resolver,
        zendesk_url=zendesk_link(services, tenant)(ticket_id),
        csrf=csrf_token(),
        tenant=tenant,
        api_path=f"/api/v1/tickets/{ticket_id}/feedback",
    )


# --- CSV downloads ------------------------------------------------------------------------------------

#: Every table of the page, and the drill-down, as CSV with the page's own query string.
CSV_TABLES = ("segments", "trend", "ai", "reviews", "tickets")
#: The drill-down's CSV holds every rating of the figure up to this many (the page shows DRILL_LIMIT).
CSV_TICKET_LIMIT = 50_000
#: A spreadsheet runs a cell starting with one of these as a formula: customer text is prefixed with '.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A CSV cell that no spreadsheet reads as a formula (customer comments are in these files)."""
    value = reports.csv_value(value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_text(header: list[str], rows: list[list[Any]]) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([safe_cell(v) for v in row] for row in rows)
    return out.getvalue()


@bp.get("/export/<table>.csv")
def export_csv(table: str) -> ResponseReturnValue:
    """One table of the page (or the drill-down) as CSV, for the same range, segments and filters."""
    if table not in CSV_TABLES:
        abort(404, description=f"no table {table!r}; tables: {', '.join(CSV_TABLES)}")
    services = services_of(current_app)
    now = utcnow()
    view = read_view(now)
    with session_scope(services.reader) as db:
        text = CSV_BUILDERS[table](db, view, now)
    stamp = f"{view.query.since:%Y%m%d}-{view.query.until:%Y%m%d}"
    return Response(text, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="feedbackloop-{table}-{view.tenant}-{stamp}.csv"'})


def _segments_csv(db: Session, view: View, now: datetime) -> str:
    report = reports.build_report(db, view.query, now)
    return reports.report_csv(replace(report, rows=sort_rows(report.rows, view)))


def _trend_csv(db: Session, view: View, now: datetime) -> str:
    rows = []
    for row in metrics.trend(db, view.query, view.period):
        csat, response = row.csat, row.response
        rows.append([row.window.start.date().isoformat(), row.current.n, csat.value, csat.low, csat.high,
                     response.n if response else None, response.value if response else None])
    return csv_text(["period_start", "ratings", "csat", "csat_low", "csat_high", "surveys_sent", "response_rate"], rows)


def _ai_csv(db: Session, view: View, now: datetime) -> str:
    ai = reports.build_report(db, view.query, now).ai_vs_human
    rows = [[item.intent, resolver, rate.k, rate.n, rate.value, rate.low, rate.high]
            for item in ai.intents for resolver, rate in item.by_resolver.items()]
    return csv_text(["intent", "resolver", "satisfied", "ratings", "csat", "csat_low", "csat_high"], rows)


def _reviews_csv(db: Session, view: View, now: datetime) -> str:
    reviews, _ = open_reviews(db, view.tenant, limit=10_000)
    rows = [[r.task_ticket_id, r.about, r.source_ticket_id, r.reasons, r.created_at.isoformat(),
             r.due_at.isoformat() if r.due_at else None] for r in reviews]
    return csv_text(["task_ticket_id", "about", "source_ticket_id", "why", "opened_at", "due_at"], rows)


def _tickets_csv(db: Session, view: View, now: datetime) -> str:
    rated, _ = metrics.ratings_behind(db, replace(view.query, by=()), band=view.band, limit=CSV_TICKET_LIMIT)
    rows = [[r.ticket_id, r.score, r.scale, r.reason, agent_view.reason_words(r.reason), r.comment, r.subject,
             r.intent, r.channel, r.resolver, r.assignee_id, agent_names.label(view.tenant, r.assignee_id),
             r.group_id, r.rated_at.isoformat()] for r in rated]
    return csv_text(["ticket_id", "score", "scale", "reason", "reason_words", "comment", "subject", "intent",
                     "channel", "resolver", "assignee_id", "agent", "group_id", "rated_at"], rows)


CSV_BUILDERS: dict[str, Callable[[Session, View, datetime], str]] = {
    "segments": _segments_csv, "trend": _trend_csv, "ai": _ai_csv, "reviews": _reviews_csv, "tickets": _tickets_csv,
}
