"""Compose the survey and send it as ONE public-comment update through the helpdesk API.

A public comment reaches the customer on the ticket's own channel (email, chat, messaging), so
we never email anyone ourselves. The update carries the comment and the `csat_sent` tag together,
with collision protection, and the ticket stays solved.
"""

from __future__ import annotations

import html
import logging
from datetime import datetime, timedelta

from babel.support import NullTranslations
from sqlalchemy import select
from sqlalchemy.orm import Session

from feedbackloop.core.branding import Look, brand_name_of, look_of
from feedbackloop.core.errors import Conflict, Permanent, Retryable, TicketClosed, TicketNotFound
from feedbackloop.core.i18n import DEFAULT_LOCALE, N_, choose_locale, translations
from feedbackloop.core.links import make_token, survey_url, trap_url
from feedbackloop.core.settings import Settings
from feedbackloop.helpdesks.base import HelpdeskClient, Ticket, TicketUpdate, User
from feedbackloop.jobs.step import StepContext
from feedbackloop.loop import csat_sources, overrides, records
from feedbackloop.store import rollups
from feedbackloop.store.models import Survey, TicketState

log = logging.getLogger(__name__)

SENT_TAG = "csat_sent"
#: English wording; every customer-facing text is translated through i18n.translations(locale).
QUESTION = N_("How did we do? Please rate the help you received on this request.")
REMINDER_QUESTION = N_("A quick reminder: how did we do? Please rate the help you received on this request.")
FIVE_LABELS = {5: N_("Excellent"), 4: N_("Good"), 3: N_("OK"), 2: N_("Poor"), 1: N_("Very poor")}
THUMBS_LABELS = {5: N_("Good, I'm satisfied"), 1: N_("Bad, I'm unsatisfied")}
#: Issue 24, the customer effort score (ces.py): a 1–7 scale, 7 the easiest.
CES_QUESTION = N_("How easy was it to get your issue resolved?")
CES_REMINDER_QUESTION = N_("A quick reminder: how easy was it to get your issue resolved?")
CES_LABELS = {7: N_("Very easy"), 6: N_("Easy"), 5: N_("Somewhat easy"), 4: N_("Neither easy nor difficult"),
              3: N_("Somewhat difficult"), 2: N_("Difficult"), 1: N_("Very difficult")}
CES_MESSAGING_LINE = N_("How easy was it to get your issue resolved? Tell us in one tap: %(url)s")
ABOUT = N_("Your request: “%(subject)s”")
FROM_BRAND = N_("%(brand)s support")
FOOTER = N_("One tap records your answer; you can add a comment after.")
MESSAGING_LINE = N_("How did we do with “%(subject)s”? Tell us in one tap: %(url)s")
MESSAGING_LINE_NO_SUBJECT = N_("How did we do? Tell us in one tap: %(url)s")
PLAIN_TEMPLATE = "{header}{question}\n\n{lines}\n\n{footer}"
#: The email's scale: one big tappable cell per score (48 px wide and 60+ px tall, over the 44 px
#: minimum), a table because mail clients ignore flexbox; inline styles because they drop <style>.
#: Labels never break inside a word: a long one ("Uitstekend") widens its cell and the table's
#: automatic layout narrows the others, which still fits five cells in a 320 px phone.
SCALE_CELL = ('<td align="center" valign="top" style="padding:0 3px">'
              '<a href="{url}" style="display:block;min-width:48px;padding:8px 2px;'
              'border:1px solid #c2c8cc;border-radius:8px;text-decoration:none;color:#2f3941;background:#ffffff">'
              '<span style="display:block;font-size:28px;line-height:34px;color:{glyph_colour}">{symbol}</span>'
              '<span style="display:block;font-size:11px;line-height:14px">{label}</span>'
              '</a></td>')
HTML_TEMPLATE = (
    '<div style="font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#2f3941">'
    "{header}<p style=\"font-size:16px;margin:8px 0\">{question}</p>{about}"
    '<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:12px 0">'
    "<tr>{cells}</tr></table>"
    "<p style=\"color:#68737d;font-size:12px\">{footer}</p>"
    "{trap}</div>"
)
#: The trap link (answers.py): people never see it, mail scanners follow it. A hidden anchor, and the
#: bare URL inside an HTML comment for scanners that read URLs from the markup. Zendesk's html_body
#: sanitiser is not documented: if it drops both, the other bot evidence (HEAD, user agents, bursts
#: of different scores, the settle time) still applies.
TRAP_TEMPLATE = ('<a href="{url}" style="display:none;font-size:0;line-height:0;max-height:0;overflow:hidden" '
                 'aria-hidden="true" tabindex="-1">&#8203;</a><!-- {url} -->')
#: Zendesk `via.channel` values whose public comments reach the customer as a chat message, not an
#: email: one short line and one link there. Zendesk's list of channel names is long and grows
#: (https://developer.zendesk.com/documentation/ticketing/reference-guides/via-types/); channels
#: named `sunshine_conversations_*` are messaging too. Legacy `chat` is not: its follow-ups are emails.
MESSAGING_CHANNELS = frozenset({
    "native_messaging", "messaging", "whatsapp", "facebook", "instagram_dm", "line", "wechat", "telegram",
    "twitter", "viber", "google_rcs", "google_business_messages", "apple_business_chat", "sms", "kakaotalk",
    "slack", "sunshine_conversations_api",
})


def is_messaging(channel: str | None) -> bool:
    """Whether a comment on this channel is read as a chat message (short text, no HTML)."""
    return bool(channel) and (channel in MESSAGING_CHANNELS or str(channel).startswith("sunshine_conversations"))


def scale_labels(scale: str, look: Look | None = None) -> dict[int, str]:
    """Score → label (English, or the tenant's own wording), best first, for the comment and the page."""
    if scale == "ces":  # the CES wording is the standard question's; a tenant's own labels are for CSAT
        return dict(CES_LABELS)
    labels = dict(THUMBS_LABELS if scale == "thumbs" else FIVE_LABELS)
    if look is not None:
        labels.update({score: text for score, text in look.labels.items() if score in labels})
    return labels


def build_survey_comment(settings: Settings, token: str, scale: str, reminder: bool = False, *,
                         locale: str = DEFAULT_LOCALE, subject: str | None = None,
                         channel: str | None = None) -> tuple[str, str]:
    """The plain and HTML bodies in the customer's language: a tappable scale, or one link in messaging.

    Its parameters are what the comment says, keywords past the scale.
    """
    look = look_of(settings)
    t = translations(locale)
    own = look.question is not None and not reminder
    question = look.question if own and look.question else t.gettext(REMINDER_QUESTION if reminder else QUESTION)
    if scale == "ces":
        question = t.gettext(CES_REMINDER_QUESTION if reminder else CES_QUESTION)
    trap = TRAP_TEMPLATE.format(url=html.escape(trap_url(settings.public_url, token)))
    if is_messaging(channel):
        if scale == "ces":
            line = f"{question} {survey_url(settings.public_url, token)}" if reminder else \
                t.gettext(CES_MESSAGING_LINE) % {"url": survey_url(settings.public_url, token)}
            return line, f"<p>{html.escape(line)}</p>{trap}"
        return _messaging_comment(settings, t, token, subject, trap, reminder)
    labels = {score: (look.labels.get(score) if scale != "ces" else None) or t.gettext(text)
              for score, text in scale_labels(scale).items()}
    order = look.ordered(labels)
    urls = {score: survey_url(settings.public_url, token, score) for score in labels}
    brand = brand_name_of(settings, look)
    header = t.gettext(FROM_BRAND) % {"brand": brand} if brand else ""
    about = t.gettext(ABOUT) % {"subject": _short(subject)} if subject else ""
    lines = "\n".join(f"{score} - {labels[score]}: {urls[score]}" for score in order)
    plain_header = "".join(f"{part}\n\n" for part in (header, about) if part)
    plain = PLAIN_TEMPLATE.format(header=plain_header, question=question, lines=lines, footer=t.gettext(FOOTER))
    cells = "".join(_scale_cell(look, scale, score, labels[score], urls[score]) for score in order)
    rich = HTML_TEMPLATE.format(
        header=f'<p style="font-weight:600;margin:0 0 4px">{html.escape(header)}</p>' if header else "",
        question=html.escape(question), cells=cells, footer=html.escape(t.gettext(FOOTER)), trap=trap,
        about=f'<p style="color:#68737d;font-size:14px;margin:4px 0">{html.escape(about)}</p>' if about else "")
    return plain, rich


def _scale_cell(look: Look, scale: str, score: int, label: str, url: str) -> str:
    return SCALE_CELL.format(url=html.escape(url), symbol=html.escape(look.symbol(score, scale)),
                             label=html.escape(label), glyph_colour="#f5a623" if look.style == "stars" else "#2f3941")


def _messaging_comment(settings: Settings, t: NullTranslations, token: str, subject: str | None,
                       trap: str, reminder: bool) -> tuple[str, str]:
    """Messaging: one short line and one link to the page (no per-score links in a chat bubble)."""
    url = survey_url(settings.public_url, token)
    if reminder:
        line = f"{t.gettext(REMINDER_QUESTION)} {url}"
    elif subject:
        line = t.gettext(MESSAGING_LINE) % {"subject": _short(subject, 60), "url": url}
    else:
        line = t.gettext(MESSAGING_LINE_NO_SUBJECT) % {"url": url}
    return line, f"<p>{html.escape(line)}</p>{trap}"


def _short(text: str | None, limit: int = 120) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def token_for(settings: Settings, survey: Survey) -> str:
    return make_token(settings.secret_key, survey.tenant_id, survey.id)


def remember_ticket(state: TicketState, ticket: Ticket, now: datetime) -> None:
    """Keep the tags and stamp of an API answer: the next update starts from them."""
    state.tags = list(ticket.tags)
    state.snapshot_at = ticket.updated_at
    state.status = ticket.status
    state.requester_id = ticket.requester_id or state.requester_id
    state.channel = ticket.channel or state.channel
    state.updated_at = now


def with_tags(tags: list[str] | tuple[str, ...], add: tuple[str, ...] = (), remove: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """Tag set after adding and removing, keeping everyone else's tags and their order."""
    kept = [t for t in tags if t not in remove]
    return tuple(kept + [t for t in add if t not in kept])


def comment_has_marker(client: HelpdeskClient, ticket_id: int, marker: str, *others: str) -> bool:
    """Did an earlier attempt of ours already post this (or one of `others`)? (zenpy and networks can
    double-send.) One read of the comments whatever the number of markers."""
    markers = (marker, *others)
    return any(m in (c.body or "") or m in (c.html_body or "") for c in client.list_comments(ticket_id) for m in markers)


def send_survey(session: Session, step: StepContext, survey_id: int) -> str:
    """Send one scheduled survey; idempotent across retries and crashes."""
    settings, client, attempt, now = step.settings, step.client, step.attempt, step.now
    survey = session.get(Survey, survey_id)
    if survey is None or survey.state != "scheduled":
        return f"nothing to do (survey is {survey.state if survey else 'gone'})"
    state = records.get_ticket_state(session, survey.tenant_id, survey.ticket_id, now)
    if state.status not in ("solved", None):
        return _finish(survey, "cancelled", f"ticket is {state.status} now", now)
    reason = records.survey_exclusion(session, settings, survey.tenant_id, state, now)
    known = None if reason else _known_locale(session, survey, now)
    needs_user = not reason and (known is None or bool(settings.exclude_email_domains))
    requester = _requester(client, state) if needs_user else None
    reason = reason or _excluded_domain(settings, requester)
    if reason:
        return _finish(survey, "skipped", reason, now)
    if settings.survey_source == "both":  # never two surveys: a native one offered here keeps ours away
        native = client.get_ticket(survey.ticket_id).satisfaction
        if native is not None and native.score != "unoffered":
            csat_sources.queue_record(session, survey.tenant_id, native, now)
            return _finish(survey, "skipped", "Zendesk's own CSAT survey was offered on this ticket", now)
    # the comment's language now, the page's later (i18n.py)
    survey.locale = requester.locale[:16] if requester is not None and requester.locale else known
    if needs_user:
        _keep_reserve(settings, client, now)
    token = token_for(settings, survey)
    if attempt > 1 and comment_has_marker(client, survey.ticket_id, token):
        return _mark_sent(survey, settings, now, "found the survey from an earlier attempt; not sent twice")
    try:
        ticket = _update_with_refresh(client, state, settings, survey, token, now)
    except TicketClosed as exc:
        return _finish(survey, "undeliverable", exc.reason, now)
    except TicketNotFound as exc:
        return _finish(survey, "undeliverable", exc.reason, now)
    except _NotSolved as exc:
        return _finish(survey, "cancelled", str(exc), now)
    remember_ticket(state, ticket, now)
    overrides.check_ticket_fields(session, settings, survey.tenant_id, ticket, now)
    return _mark_sent(survey, settings, now, f"sent on ticket {survey.ticket_id}")


class _NotSolved(Exception):
    """A fresh read shows the ticket left `solved`: a lost reopen webhook, caught here."""


def _update_with_refresh(client: HelpdeskClient, state: TicketState, settings: Settings, survey: Survey,
                         token: str, now: datetime) -> Ticket:
    """PUT with the tags we know; on a collision (or no snapshot) re-read, re-check, PUT again."""
    plain, rich = comment_for(settings, token, survey, state)
    if state.snapshot_at is not None:
        try:
            return client.update_ticket(survey.ticket_id, _survey_update(state.tags, state.snapshot_at, plain, rich))
        except Conflict:
            log.info("ticket %s changed since we saw it; re-reading before the survey", survey.ticket_id)
    fresh = client.get_ticket(survey.ticket_id)
    remember_ticket(state, fresh, now)
    if fresh.status == "closed":
        raise TicketClosed("ticket was closed before the survey was due")
    if fresh.status != "solved":
        raise _NotSolved(f"ticket is {fresh.status} now (reopen seen on re-read)")
    if comment_has_marker(client, survey.ticket_id, token):
        return fresh
    return client.update_ticket(survey.ticket_id, _survey_update(fresh.tags, fresh.updated_at, plain, rich))


def _survey_update(tags: list[str] | tuple[str, ...], stamp: datetime | None, plain: str, rich: str) -> TicketUpdate:
    return TicketUpdate(comment_body=plain, comment_html=rich, comment_public=True,
                        tags=with_tags(tags, (SENT_TAG,)), updated_stamp=stamp)


def comment_for(settings: Settings, token: str, survey: Survey, state: TicketState,
                reminder: bool = False) -> tuple[str, str]:
    """The survey comment as this requester reads it: their language, the ticket's subject and channel."""
    locale = choose_locale(survey.locale, look_of(settings).language)
    return build_survey_comment(settings, token, survey.scale, reminder, locale=locale, subject=state.subject,
                                channel=survey.channel or state.channel)


#: A requester's locale read for a survey is reused for their next surveys this long (one user read
#: per survey costs as much of the API budget as the survey itself).
LOCALE_REUSE = timedelta(days=30)


def _known_locale(session: Session, survey: Survey, now: datetime) -> str | None:
    """The locale read for this requester's latest survey, when recent enough to trust."""
    if survey.requester_id is None:
        return None
    return session.scalars(
        select(Survey.locale).where(Survey.tenant_id == survey.tenant_id, Survey.requester_id == survey.requester_id,
                                    Survey.locale.is_not(None), Survey.sent_at >= now - LOCALE_REUSE)
        .order_by(Survey.sent_at.desc()).limit(1)
    ).first()


def _keep_reserve(settings: Settings, client: HelpdeskClient, now: datetime) -> None:
    """The job was paced for one call (jobs.pace_tenant); the user read made it two. When that read
    left only the reserve (FEEDBACKLOOP_RATE_RESERVE), wait for the window before the update, as the
    next job would: two jobs in flight at the edge would otherwise run into Zendesk's 429."""
    info = getattr(client, "last_rate_limit", None)
    reserve = settings.rate_reserve
    if reserve <= 0 or info is None or info.limit is None or info.remaining is None:
        return
    if info.remaining > reserve * info.limit:
        return
    until = info.observed_at + timedelta(seconds=max(1.0, info.reset_in if info.reset_in is not None else 60.0))
    if until > now:
        raise Retryable(f"keeping {reserve:.0%} of the API budget free before the survey update "
                        f"({info.remaining}/{info.limit} left)", retry_after=(until - now).total_seconds(),
                        rate_limited=True)


def _requester(client: HelpdeskClient, state: TicketState) -> User | None:
    """The requester (their locale and email): one user read per survey. A requester the helpdesk
    no longer has is no reason to hold the survey back; it goes out in the tenant's language."""
    if state.requester_id is None:
        return None
    try:
        return client.get_user(state.requester_id)
    except Retryable:
        raise
    except Permanent as exc:
        log.info("requester %s of ticket %s not readable (%s); survey in the default language",
                 state.requester_id, state.ticket_id, exc.reason)
        return None


def _excluded_domain(settings: Settings, requester: User | None) -> str | None:
    """Requester email domains excluded by configuration (staff, partners)."""
    if not settings.exclude_email_domains or requester is None:
        return None
    email = (requester.email or "").lower()
    domain = email.rpartition("@")[2]
    if domain and any(domain == d or domain.endswith("." + d) for d in settings.exclude_email_domains):
        return f"requester's email domain {domain} is excluded"
    return None


def _finish(survey: Survey, state: str, reason: str, now: datetime) -> str:
    survey.state = state
    survey.reason = reason
    survey.updated_at = now
    return f"survey {state}: {reason}"


def _mark_sent(survey: Survey, settings: Settings, now: datetime, note: str) -> str:
    rollups.add_sent(survey, now)
    survey.state = "sent"
    survey.sent_at = now
    survey.expires_at = now + timedelta(seconds=settings.survey_expiry)
    survey.updated_at = now
    return note


def due_reminders(session: Session, settings: Settings, now: datetime) -> list[Survey]:
    """Sent, unrated surveys whose single reminder is due."""
    from feedbackloop.store.models import Rating

    if not settings.survey_reminder:
        return []
    cutoff = now - timedelta(seconds=settings.survey_reminder)
    rated = select(Rating.survey_id)
    return list(session.scalars(
        select(Survey).where(Survey.state == "sent", Survey.reminder_sent_at.is_(None), Survey.sent_at <= cutoff,
                             Survey.expires_at > now, Survey.id.not_in(rated)).limit(500)
    ))


def send_reminder(session: Session, step: StepContext, survey_id: int) -> str:
    """The optional single reminder, while the ticket can still be updated and nobody rated."""
    settings, client, attempt, now = step.settings, step.client, step.attempt, step.now
    from feedbackloop.store.models import Rating

    survey = session.get(Survey, survey_id)
    if survey is None or survey.state != "sent" or survey.reminder_sent_at is not None:
        return "nothing to do"
    if session.scalar(select(Rating.id).where(Rating.survey_id == survey.id)) is not None:
        return "already rated"
    state = records.get_ticket_state(session, survey.tenant_id, survey.ticket_id, now)
    if state.final or state.status not in ("solved",):
        survey.reminder_sent_at = now
        return f"no reminder: ticket is {state.status}"
    token = token_for(settings, survey)
    plain, rich = comment_for(settings, token, survey, state, reminder=True)
    marker = translations(choose_locale(survey.locale, look_of(settings).language)).gettext(REMINDER_QUESTION)
    if attempt > 1 and comment_has_marker(client, survey.ticket_id, marker):
        survey.reminder_sent_at = now
        return "reminder found from an earlier attempt"
    try:
        ticket = client.update_ticket(survey.ticket_id, TicketUpdate(comment_body=plain, comment_html=rich,
                                                                     comment_public=True))
    except (TicketClosed, TicketNotFound) as exc:
        survey.reminder_sent_at = now
        return f"no reminder: {exc.reason}"
    remember_ticket(state, ticket, now)
    survey.reminder_sent_at = now
    return "reminder sent"
