"""A million ratings, made inside the database with INSERT … SELECT (generate_series on PostgreSQL, a
recursive CTE on SQLite): no Python loop, so a million rows take seconds, not minutes.

Each rated ticket gets its ticket row, its survey and its rating, spread over the last 60 days (so a
`--since 30d` report reads all of them: the 30 days and the 30 before, for comparison); one in
twenty also has a reopen signal. Four ratings in ten carry a comment, each with PII for the
redactor to find (phone, email, card, IBAN, name, street address, IP), varied by row.

The rows go in behind the application's back, so the daily rollups reports read are then
recomputed with `feedbackloop rollups rebuild`, as an operator would after a restore.
"""

from __future__ import annotations

import subprocess
import time
from typing import Any

from common import BIN, service_env
from sqlalchemy import create_engine, text

SPAN_SECONDS = 60 * 86400
CHANNELS = ("email", "web", "chat", "native_messaging")
CATEGORIES = ("billing", "shipping", "returns", "technical", "account", "refunds")
RESOLVERS = ("ai", "human", "ai_then_human", "ai_overridden")
REASONS = ("not_resolved", "too_slow", "unclear", "resolved", "fast", "friendly")


def pick(values: tuple[str, ...], index: str) -> str:
    """SQL choosing one of `values` by an integer expression (CASE: the same on both backends)."""
    arms = " ".join(f"WHEN {i} THEN '{v}'" for i, v in enumerate(values))
    return f"CASE ({index}) % {len(values)} {arms} END"


def comment_sql() -> str:
    """A PII-laden comment for 4 ratings in 10, else NULL."""
    templates = [
        "'Still broken after two tries. Call me on +44 20 7946 ' || (1000 + g % 9000) || "
        "' or write to jane.doe' || g || '@example.com, thanks'",
        "'My card 4111 1111 1111 1111 was charged twice for order ' || (40000 + g % 50000) || ', please refund'",
        "'Thanks Anna, that was quick and friendly. Regards, Tom Baker'",
        "'Refund to IBAN DE89 3704 0044 0532 0130 00 please. My name is Maria Lopez and I waited ' || (g % 9 + 2) || ' days'",
        "'The agent was slow. Send the replacement to ' || (g % 999 + 1) || ' Baker Street, London NW1 6XE'",
        "'App crashes on login from 10.0.' || (g % 250) || '.' || (g % 200) || ' since version 2.4.1, token sk_live_' || g || 'abcdefghijklmnop'",
    ]
    arms = " ".join(f"WHEN {i} THEN {t}" for i, t in enumerate(templates))
    return f"CASE WHEN (g * 37) % 10 < 4 THEN CASE g % {len(templates)} {arms} END ELSE NULL END"


def statements(dialect: str, n: int) -> list[str]:
    if dialect == "postgresql":
        source = f"FROM generate_series(1::bigint, {n}::bigint) AS g"
        ts = f"(now() - (((g * 7919) % {SPAN_SECONDS}) + 60) * interval '1 second')"
        false, empty_json, prefix = "false", "'{}'::json", ""
        tags = "'[]'::json"
    else:
        prefix = f"WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < {n}) "
        source = "FROM s"
        ts = (f"(strftime('%Y-%m-%d %H:%M:%S', 'now', '-' || (((g * 7919) % {SPAN_SECONDS}) + 60) || ' seconds') "
              "|| '.000000')")
        false, empty_json, tags = "0", "'{}'", "'[]'"
    score = ("CASE WHEN (g * 2654435761) % 100 < 8 THEN 1 WHEN (g * 2654435761) % 100 < 15 THEN 2 "
             "WHEN (g * 2654435761) % 100 < 25 THEN 3 WHEN (g * 2654435761) % 100 < 50 THEN 4 ELSE 5 END")
    category = pick(CATEGORIES, "g / 7")
    channel = pick(CHANNELS, "g")
    return [
        f"{prefix}INSERT INTO tickets (tenant_id, ticket_id, status, status_at, requester_id, assignee_id, group_id, "
        f"brand_id, channel, ticket_type, category, subject, tags, solved_at, final, is_review_task, created_at, "
        f"updated_at) SELECT 'default', g, 'solved', {ts}, 100000 + g % 200000, 500 + g % 40, 70 + g % 6, 1, "
        f"{channel}, 'question', {category}, 'Question about ' || {category}, {tags}, {ts}, {false}, {false}, "
        f"{ts}, {ts} {source}",
        f"{prefix}INSERT INTO surveys (id, tenant_id, ticket_id, requester_id, solve_key, solved_at, state, scale, "
        f"scheduled_for, sent_at, channel, created_at, updated_at) SELECT g, 'default', g, 100000 + g % 200000, "
        f"'solve:' || g, {ts}, 'sent', 'five', {ts}, {ts}, {channel}, {ts}, {ts} {source}",
        f"{prefix}INSERT INTO ratings (tenant_id, survey_id, ticket_id, score, scale, reason, comment, source, version, "
        f"written_version, assignee_id, group_id, channel, category, resolver, intent, brand_id, language, "
        f"created_at, updated_at) SELECT 'default', g, g, {score}, 'five', {pick(REASONS, 'g / 3')}, {comment_sql()}, "
        f"'link', 1, 1, 500 + g % 40, 70 + g % 6, {channel}, {category}, {pick(RESOLVERS, 'g / 5')}, {category}, 1, "
        f"'en', {ts}, {ts} {source}",
        f"{prefix}INSERT INTO signals (tenant_id, ticket_id, type, value, source, dedupe_key, details, occurred_at, "
        f"created_at) SELECT 'default', g, 'reopen', NULL, 'webhook', 'reopen:' || g, {empty_json}, {ts}, {ts} "
        f"{source} WHERE g % 20 = 0",
    ]


def populate(url: str, n: int) -> dict[str, Any]:
    """Fill a migrated, empty database with `n` rated tickets; seconds taken per table."""
    engine = create_engine(url)
    dialect = engine.dialect.name
    took: dict[str, Any] = {}
    started = time.perf_counter()
    with engine.begin() as conn:
        if dialect == "sqlite":
            conn.exec_driver_sql("PRAGMA journal_mode=WAL")
            conn.exec_driver_sql("PRAGMA synchronous=OFF")
        for sql in statements(dialect, n):
            table = sql.split("INSERT INTO ", 1)[1].split(" ", 1)[0]
            t = time.perf_counter()
            conn.execute(text(sql))
            took[table] = time.perf_counter() - t
        if dialect == "postgresql":
            conn.exec_driver_sql("SELECT setval('surveys_id_seq', (SELECT max(id) FROM surveys))")
    t = time.perf_counter()
    rebuild_rollups(url)
    took["daily_rollups"] = time.perf_counter() - t
    with engine.connect() as conn:
        if dialect == "postgresql":
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
        else:
            conn.exec_driver_sql("ANALYZE")
    took["total"] = time.perf_counter() - started
    engine.dispose()
    return took


def rebuild_rollups(url: str) -> str:
    """`feedbackloop rollups rebuild` on the loaded database; its one-line summary."""
    done = subprocess.run([str(BIN / "feedbackloop"), "rollups", "rebuild"], env=service_env(url),
                          capture_output=True, text=True, timeout=1800, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"feedbackloop rollups rebuild failed: {done.stderr[-500:]}")
    return done.stdout.strip()


# --- conversations, decisions and overrides: what eval, SFT and DPO exports read (issue 18) ------------

PRODUCTS = ("kettle", "blender", "router", "headphones", "vacuum", "printer", "toaster", "monitor", "charger",
            "backpack")
PROBLEMS = ("arrived broken", "stopped working", "never arrived", "was charged twice", "makes a loud noise",
            "will not turn on", "is missing a part", "came in the wrong colour", "overheats quickly",
            "lost its warranty card")
WHEN = ("after a week", "on the first day", "after the update", "this morning", "since Monday",
        "after a move", "during a trip", "right out of the box", "after cleaning it", "after two months")
ASKS = ("Can I get a refund?", "Please send a replacement.", "What are my options?", "Is this covered?",
        "How do I return it?", "Can you fix it remotely?", "Who pays for shipping?", "Can I exchange it?",
        "How long will it take?", "Can you call me back?")
DETAILS = ("The box was dented.", "I used it exactly as the manual says.", "My neighbour has the same issue.",
           "The light blinks red twice.", "It smells of burnt plastic.", "The receipt is attached.",
           "I already tried another socket.", "It was a birthday present.", "The courier left it outside.",
           "This is my second one.")
AI_ANSWERS = ("Please restart the device and try again.", "Returns are accepted within 30 days of delivery.",
              "I have opened a return for you; a label follows by email.",
              "Damaged items are replaced free of charge.", "Our warranty covers manufacturing defects.",
              "Refunds reach your card within five working days.", "A technician will call you tomorrow.")
AGENT_ANSWERS = ("I am sorry about this. I have refunded you in full and you can keep the item.",
                 "A replacement ships today by express courier, no need to send the old one back.",
                 "This is a known defect: a free repair is booked, the courier collects it on Thursday.",
                 "I have extended your warranty and sent a prepaid return label.")


def _offset(dialect: str, seconds: int) -> str:
    """The ticket's generated time (as in `statements`) moved by `seconds` (negative: earlier)."""
    if dialect == "postgresql":
        return (f"(now() - (((g * 7919) % {SPAN_SECONDS}) + 60) * interval '1 second' "
                f"+ ({seconds}) * interval '1 second')")
    return (f"(strftime('%Y-%m-%d %H:%M:%S', 'now', '-' || (((g * 7919) % {SPAN_SECONDS}) + 60 - ({seconds})) "
            f"|| ' seconds') || '.000000')")


def conversation_statements(dialect: str, n: int) -> list[str]:
    """For tickets 1..n: a ticket.created event with the opening message (PII in it), the AI's draft;
    one in four an agent's public reply (an edit_to_final override with its comment id); one in three a
    customer follow-up before it (that reply then answers a later turn: no pair); one in twelve a
    sidebar override that changed the action only (eval, never DPO)."""
    if dialect == "postgresql":
        source, prefix, obj = f"FROM generate_series(1::bigint, {n}::bigint) AS g", "", "json_build_object"
        empty = "'[]'::json"
    else:
        prefix = f"WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < {n}) "
        source, obj, empty = "FROM s", "json_object", "'[]'"
    opening = (f"'My ' || {pick(PRODUCTS, 'g')} || ' ' || {pick(PROBLEMS, 'g / 10')} || ' ' || {pick(WHEN, 'g / 100')} "
               f"|| '. ' || {pick(DETAILS, 'g / 1000')} || ' ' || {pick(ASKS, 'g / 10000')} "
               f"|| ' I am Maria Lopez, call +44 20 7946 ' || (1000 + g % 9000)")
    follow_up = f"'Also, ' || {pick(ASKS, 'g / 7')} || ' My email is jane.doe' || g || '@example.com'"
    draft = (f"{pick(AI_ANSWERS, 'g / 3')} || ' ' || {pick(DETAILS, 'g / 21')} || ' Your ' || {pick(PRODUCTS, 'g')} "
             f"|| ' ' || {pick(PROBLEMS, 'g / 10')} || ', so ' || {pick(ASKS, 'g / 210')}")
    agent = f"'Hi Maria, ' || {pick(AGENT_ANSWERS, 'g / 5')} || ' Your ' || {pick(PRODUCTS, 'g')} || ' case is noted.'"
    events = ("INSERT INTO webhook_events (tenant_id, helpdesk, dedupe_key, source, event_type, kind, ticket_id, status, "
              "previous_status, occurred_at, received_at, payload, duplicates) SELECT 'default', 'zendesk', ")
    return [
        (f"{prefix}{events}'created:' || g, 'webhook', 'zen:event-type:ticket.created', 'created', g, 'new', NULL, "
         f"{_offset(dialect, -900)}, {_offset(dialect, -900)}, {obj}('kind', 'created', 'requester_id', "
         f"100000 + g % 200000, 'extra', {obj}('description', {opening})), 0 {source}"),
        (f"{prefix}{events}'followup:' || g, 'webhook', 'zen:event-type:ticket.comment_added', 'comment_added', g, "
         f"'open', NULL, {_offset(dialect, -700)}, {_offset(dialect, -700)}, {obj}('kind', 'comment_added', "
         f"'requester_id', 100000 + g % 200000, 'extra', {obj}('comment_id', 2000000000 + g, 'body', {follow_up}, "
         f"'is_public', 1 = 1, 'author_id', 100000 + g % 200000, 'author_is_staff', 1 = 0)), 0 {source} WHERE g % 3 = 1"),
        (f"{prefix}INSERT INTO ai_decisions (id, tenant_id, ticket_id, decision_id, step, intent, confidence, action, "
         f"draft_reply, policy_refs, model, prompt_version, created_at, received_at) SELECT g, 'default', g, "
         f"'bench:' || g, 'reply', {pick(CATEGORIES, 'g / 7')}, 0.5 + (g % 50) / 100.0, 'reply', {draft}, {empty}, "
         f"'bench-model', 'v1', {_offset(dialect, -800)}, {_offset(dialect, -800)} {source}"),
        (f"{prefix}{events}'reply:' || g, 'webhook', 'zen:event-type:ticket.comment_added', 'comment_added', g, "
         f"'open', NULL, {_offset(dialect, -600)}, {_offset(dialect, -600)}, {obj}('kind', 'comment_added', "
         f"'requester_id', 100000 + g % 200000, 'extra', {obj}('comment_id', 1000000000 + g, 'body', {agent}, "
         f"'is_public', 1 = 1, 'author_id', 500 + g % 40, 'author_is_staff', 1 = 1)), 0 {source} WHERE g % 4 = 0"),
        (f"{prefix}INSERT INTO overrides (tenant_id, ticket_id, source, kind, ai_decision_id, ai_decision, ai_confidence, "
         f"final_action, rationale, policy_clause, agent_id, missing, similarity, details, dedupe_key, occurred_at, "
         f"created_at) SELECT 'default', g, 'automatic', 'edit_to_final', g, {draft}, 0.5, {agent}, NULL, NULL, "
         f"500 + g % 40, {empty}, 0.3, {obj}('comment_id', 1000000000 + g), 'edit_to_final:' || g, "
         f"{_offset(dialect, -600)}, {_offset(dialect, -600)} {source} WHERE g % 4 = 0"),
        (f"{prefix}INSERT INTO overrides (tenant_id, ticket_id, source, kind, ai_decision_id, ai_decision, ai_confidence, "
         f"final_action, rationale, policy_clause, agent_id, missing, similarity, details, dedupe_key, occurred_at, "
         f"created_at) SELECT 'default', g, 'sidebar', 'override', g, 'deny_refund', 0.6, 'refund_full', "
         f"'Delivered late: the late-delivery promise applies', 'refunds#4.1', 500 + g % 40, {empty}, NULL, "
         f"{obj}('via', 'sidebar'), 'sidebar:' || g, {_offset(dialect, -500)}, {_offset(dialect, -500)} {source} "
         f"WHERE g % 12 = 6"),
    ]


def populate_conversations(url: str, n: int) -> dict[str, Any]:
    """Add conversations, decisions and overrides to tickets 1..n of a `populate`d database; seconds taken."""
    engine = create_engine(url)
    dialect = engine.dialect.name
    took: dict[str, Any] = {}
    started = time.perf_counter()
    with engine.begin() as conn:
        for index, sql in enumerate(conversation_statements(dialect, n)):
            t = time.perf_counter()
            conn.execute(text(sql))
            took[f"statement {index + 1}"] = time.perf_counter() - t
        if dialect == "postgresql":
            conn.exec_driver_sql("SELECT setval('ai_decisions_id_seq', (SELECT max(id) FROM ai_decisions))")
    with engine.connect() as conn:
        if dialect == "postgresql":
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
        else:
            conn.exec_driver_sql("ANALYZE")
    took["total"] = time.perf_counter() - started
    engine.dispose()
    return took
