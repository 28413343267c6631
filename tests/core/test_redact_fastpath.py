"""The digit-free fast path of find_pii finds exactly what running every detector finds."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from feedbackloop.core import redact
from feedbackloop.core.redact import DETECTORS, WITHOUT_DIGITS, find_pii, resolve_overlaps

CORPUS = Path(__file__).parents[1] / "fixtures" / "pii_corpus.jsonl"


def every_detector(text: str) -> list[redact.Span]:
    text = redact.plain_digits(text)  # as find_pii reads it
    return redact.with_titles(text, resolve_overlaps(span for detect in DETECTORS for span in detect(text)))


def test_the_skipped_detectors_need_a_digit() -> None:
    assert set(WITHOUT_DIGITS) < set(DETECTORS)
    texts = [json.loads(line)["text"] for line in CORPUS.read_text().splitlines() if line.strip()]
    for text in texts:
        stripped = "".join(" " if c.isdigit() else c for c in text)
        assert find_pii(stripped) == every_detector(stripped), stripped


@settings(max_examples=300, deadline=None, derandomize=True)  # the same examples every run
@given(st.text(alphabet=st.characters(blacklist_categories=("Nd",)), max_size=120))
def test_texts_without_digits_are_read_the_same(text: str) -> None:
    assert find_pii(text) == every_detector(text)
