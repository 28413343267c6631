"""Concurrent clicks and form posts on one survey: no 5xx, versions only go up, the last answer wins.

Over real HTTP into a threaded server, on the test database (run it with TEST_DATABASE_URL for
PostgreSQL, where the deadlocks were seen). Every change of a survey's answers takes the survey
row's lock first, so the requests queue instead of deadlocking, and Zendesk ends with exactly the
final answer's tags and note.
"""

from __future__ import annotations

import re
import threading
from typing import Any
from urllib.parse import urlsplit

import requests
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from feedbackloop.runner.scheduler import Runner
from feedbackloop.store.models import Rating, Signal
from test_flow import live, puts, rows, settle, solved_ticket, survey_links  # noqa: F401

CLICKS = 16
POSTS = 16


def csrf(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match
    return match.group(1)


def test_concurrent_clicks_and_posts_then_a_final_answer(live: Any, sandbox: Any, runner: Runner,
                                                          engine: Engine) -> None:
    ticket_id = solved_ticket(sandbox)
    settle(sandbox, runner)
    links = survey_links(sandbox, ticket_id)
    base = live.url
    page_url = base + urlsplit(links[1]).path
    token = csrf(requests.get(page_url, timeout=10).text)
    statuses: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(CLICKS + POSTS)

    def click(score: int) -> None:
        start.wait()
        answer = requests.get(base + urlsplit(links[score]).path + f"?score={score}", timeout=30,
                              headers={"User-Agent": "Mozilla/5.0"})
        with lock:
            statuses.append(answer.status_code)

    def post(score: int) -> None:
        start.wait()
        answer = requests.post(page_url, data={"csrf_token": token, "score": str(score),
                                               "comment": f"answer {score}"}, timeout=30)
        with lock:
            statuses.append(answer.status_code)

    threads = [threading.Thread(target=click, args=(1 + i % 5,)) for i in range(CLICKS)]
    threads += [threading.Thread(target=post, args=(1 + i % 5,)) for i in range(POSTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(set(statuses)) == [200], statuses
    settle(sandbox, runner)

    final = requests.post(page_url, data={"csrf_token": token, "score": "4", "comment": "final answer"}, timeout=10)
    assert final.status_code == 200
    settle(sandbox, runner)

    (rating,) = rows(engine, Rating)
    assert (rating.score, rating.comment) == (4, "final answer")
    with Session(engine) as session:  # one csat signal per version, 1..N: versions only went up
        keys = session.scalars(select(Signal.dedupe_key).where(Signal.type == "csat")).all()
    assert sorted(int(k.rsplit(":v", 1)[1]) for k in keys) == list(range(1, rating.version + 1))
    tags = set(sandbox.ticket(ticket_id)["tags"])
    assert {"csat_4", "csat_good"} <= tags
    assert not tags & {"csat_1", "csat_2", "csat_3", "csat_5", "csat_bad", "csat_neutral"}
    last_note = [c for c in sandbox.ticket_comments(ticket_id) if not c["public"]][-1]
    assert "4/5" in last_note["body"] and "final answer" in last_note["body"]
    assert f"v{rating.version}" in last_note["body"]
    assert all(p.status < 500 for p in puts(sandbox, ticket_id))
