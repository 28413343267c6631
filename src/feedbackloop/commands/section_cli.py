"""`feedbackloop report --section NAME`: the signal-matrix sections of issue 24 (knowledge gaps, policy
compliance, sentiment, CES), each a thin call into its module, rendered by sections.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

#: `--section` values; `csat` is the CSAT report of reports.py (report_cli.py), the default.
SECTIONS = ("csat", "knowledge-gaps", "compliance", "sentiment", "ces")


@dataclass(frozen=True)
class SectionQuery:
    name: str
    tenant_id: str
    since: datetime
    until: datetime
    ai_user_ids: tuple[int, ...] = ()


def build_section(session: object, query: SectionQuery) -> object:
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    if query.name == "knowledge-gaps":
        from feedbackloop.insight.knowledge_gaps import knowledge_gaps

        return knowledge_gaps(session, query.tenant_id, query.since, query.until, query.ai_user_ids)
    if query.name == "compliance":
        from feedbackloop.insight.compliance import policy_compliance

        return policy_compliance(session, query.tenant_id, query.since, query.until)
    if query.name == "ces":
        from feedbackloop.loop.ces import ces_section

        return ces_section(session, query.tenant_id, query.since, query.until)
    from feedbackloop.insight.sentiment import sentiment_section

    return sentiment_section(session, query.tenant_id, query.since, query.until, query.ai_user_ids)


def run_section(database_url: str, query: SectionQuery, fmt: str) -> str:
    """Build and render one section; a missing or older schema ends with a one-line hint, not a trace."""
    from feedbackloop.commands import read_database
    from feedbackloop.core.sections import Section, render_section

    def build(session: Session) -> str:
        section = build_section(session, query)
        assert isinstance(section, Section)
        return render_section(section, fmt)

    return read_database(database_url, build)
