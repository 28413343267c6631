"""A ticket's conversation as turns: who said what, in order, and which customer turn each reply answers.

The opening message is the ticket's description (`ticket.created`'s `detail.description`) or, when
that event was not stored, the first public comment; then every public comment in order. Our own
survey comments are not part of it. The AI's logged drafts join as the AI's turns: a draft posted
as a comment is that comment (marked `ai`); a draft no comment carries is placed at its decision
time, unless a human agent answered the same customer turn after it (then the draft was replaced,
and only the agent's reply was said).

A customer *turn* is one or more customer messages in a row; every reply (an AI draft, an agent's
or the AI's comment) answers the latest customer turn before it. That is what makes an agent reply
an edit of a draft (same turn) or an answer to a later question (another turn).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from feedbackloop.learn.exports.source import Message, TicketBundle
from feedbackloop.loop.survey import QUESTION
from feedbackloop.store.models import AiDecision

#: Our own survey comment (signed links) is not a turn of the conversation.
SURVEY_LINK = re.compile(r"/s/[A-Za-z0-9_.-]{16,}")

CUSTOMER, AI, AGENT = "customer", "ai", "agent"
ROLE_OF = {CUSTOMER: "user", AI: "assistant", AGENT: "assistant"}


@dataclass(frozen=True)
class Turn:
    """One message of the conversation, with who wrote it and which customer turn it answers."""

    author: str  # customer | ai | agent
    text: str
    at: datetime
    turn: int  # customer messages: their turn; replies: the customer turn they answer (-1: none yet)
    decision_id: int | None = None  # the AI draft this is (or was posted from)
    comment_id: str | None = None
    said: bool = True  # False: a draft an agent's reply to the same turn replaced

    @property
    def role(self) -> str:
        return ROLE_OF[self.author]


@dataclass
class Conversation:
    """The turns in order; `said` ones are what the customer saw."""

    turns: list[Turn] = field(default_factory=list)

    def draft(self, decision_id: int) -> Turn | None:
        return next((t for t in self.turns if t.decision_id == decision_id), None)

    def comment(self, comment_id: str) -> Turn | None:
        return next((t for t in self.turns if t.comment_id == comment_id), None)

    def agent_reply_to(self, turn: int, after: datetime | None = None) -> Turn | None:
        """The first human agent reply answering customer turn `turn` (at or after `after`)."""
        return next((t for t in self.turns if t.author == AGENT and t.turn == turn
                     and (after is None or t.at >= after)), None)

    def before_reply_to(self, turn: int) -> list[Turn]:
        """What was said up to and including customer turn `turn`: the prompt its reply answers."""
        last = max((i for i, t in enumerate(self.turns) if t.author == CUSTOMER and t.turn == turn), default=-1)
        return [t for t in self.turns[:last + 1] if t.said]

    def said(self) -> list[Turn]:
        return [t for t in self.turns if t.said]


def same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).lower() == " ".join(b.split()).lower()


def is_survey(body: str) -> bool:
    return bool(SURVEY_LINK.search(body)) or QUESTION in body


def build_conversation(bundle: TicketBundle, ai_user_ids: Iterable[int] = ()) -> Conversation:
    """The bundle's conversation: opening, public comments and AI drafts, each turn assigned."""
    ai_users = set(ai_user_ids)
    drafts = bundle.replies
    comments = [m for m in bundle.messages if not is_survey(m.body)]
    entries: list[tuple[datetime, int, int, Turn]] = []
    opening = bundle.opening
    if opening is not None and not any(not m.staff and same_text(m.body, opening.body) for m in comments):
        entries.append((opening.at, 0, 0, Turn(CUSTOMER, opening.body, opening.at, -1, comment_id="description")))
    posted: set[int] = set()
    for seq, message in enumerate(comments, 1):
        entries.append((message.at, 0 if not message.staff else 1, seq, comment_turn(message, drafts, ai_users, posted)))
    # A draft stamped before the customer's first message (the agent's clock runs behind Zendesk's)
    # answers that message: it is placed right after it.
    first_customer = min((e[0] for e in entries if e[3].author == CUSTOMER), default=None)
    for seq, draft in enumerate(drafts, len(comments) + 1):
        if draft.id not in posted:
            placed = max(draft.created_at, first_customer) if first_customer is not None else draft.created_at
            entries.append((placed, 1, seq, Turn(AI, draft.draft_reply or "", draft.created_at, -1,
                                                 decision_id=draft.id)))
    entries.sort(key=lambda e: (e[0], e[1], e[2]))
    return Conversation(mark_replaced(assign_turns([e[3] for e in entries])))


def comment_turn(message: Message, drafts: Sequence[AiDecision], ai_users: set[int], posted: set[int]) -> Turn:
    """A public comment as a turn: the customer's, the AI's (its user, or a draft posted as is), an agent's."""
    if not message.staff:
        return Turn(CUSTOMER, message.body, message.at, -1, comment_id=message.comment_id)
    draft = next((d for d in reversed(drafts) if d.id not in posted and same_text(d.draft_reply or "", message.body)),
                 None)
    if draft is not None:
        posted.add(draft.id)
    author = AI if draft is not None or message.author_id in ai_users else AGENT
    return Turn(author, message.body, message.at, -1, decision_id=draft.id if draft else None,
                comment_id=message.comment_id)


def assign_turns(turns: list[Turn]) -> list[Turn]:
    """Customer messages in a row share a turn; a reply answers the latest turn before it."""
    current, previous_customer = -1, False
    out = []
    for turn in turns:
        if turn.author == CUSTOMER:
            if not previous_customer:
                current += 1
            previous_customer = True
        else:
            previous_customer = False
        out.append(Turn(turn.author, turn.text, turn.at, current, turn.decision_id, turn.comment_id))
    return out


def mark_replaced(turns: list[Turn]) -> list[Turn]:
    """An unposted draft that a later agent reply to the same turn replaced was never said."""
    answered_later: set[int] = set()  # customer turns an agent answers after the position being read
    out = []
    for turn in reversed(turns):
        replaced = turn.author == AI and turn.comment_id is None and turn.turn in answered_later
        if turn.author == AGENT:
            answered_later.add(turn.turn)
        out.append(Turn(turn.author, turn.text, turn.at, turn.turn, turn.decision_id, turn.comment_id,
                        said=not replaced))
    return out[::-1]


def chat(turns: Sequence[Turn], redact: Callable[[str], str]) -> tuple[list[dict[str, str]], list[str]]:
    """Turns as chat messages (each text redacted), same-role neighbours joined; with each message's
    authors ("customer", "ai", "agent", or "ai,agent" when both replied in a row)."""
    messages: list[dict[str, str]] = []
    authors: list[str] = []
    for turn in turns:
        content = redact(turn.text.strip()).strip()
        if not content:
            continue
        if messages and messages[-1]["role"] == turn.role:
            messages[-1]["content"] += "\n\n" + content
            if turn.author not in authors[-1].split(","):
                authors[-1] += "," + turn.author
        else:
            messages.append({"role": turn.role, "content": content})
            authors.append(turn.author)
    return messages, authors
