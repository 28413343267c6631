"""PII redaction, measured on the labelled corpus in fixtures/pii_corpus.jsonl."""

from __future__ import annotations

import json

import pytest

from conftest import FIXTURES
from feedbackloop.core.redact import KINDS, Identity, find_pii, iban_valid, luhn_valid, placeholder, redact
from feedbackloop.learn.pii_report import format_table, load_corpus, main, score_corpus

CORPUS = FIXTURES / "pii_corpus.jsonl"
#: Floors below which a change to the detectors is a regression (measured values are in docs/ml-engineers.md).
FLOORS = {"precision": 0.9, "recall": 0.95}
#: Held-out parts, held to the issue's targets, not to the development floors. "holdout-2" was written
#: before the issue-18 detectors (SSN, date of birth, other languages); after the first tuning pass
#: ADDRESS was 5 of 6 and must-keep 1 of 26 redacted, and a second pass (multi-word French street
#: names, order-number groupings are not cards) was written knowing those misses, so those two
#: figures are no longer blind. "holdout-3" was written after both passes and measured once, blind
#: (NAME 8 of 12, ADDRESS 4 of 5); a third pass on names (more languages, sign-offs, name fields) was
#: written after its NAME misses had been seen, so its NAME figure is no longer blind. "holdout-4" was
#: written after the third pass and measured once, blind (NAME 10 of 14, ADDRESS 6 of 7); a fourth pass
#: on names (people named around the customer, signatures, "X from Company", "hey, X here", name
#: fields) was written after its NAME misses had been seen. "holdout-5" was written after the fourth
#: pass and measured once, blind (NAME 5 of 14, ADDRESS 1 of 5); a fifth pass on address formats
#: (a unit before the number, ordinal street names, German "Am Markt 3", Portuguese postcodes) was
#: written knowing its ADDRESS misses. "holdout-6" was written after the fifth pass. What a part
#: misses is marked below until met on new text.
HELD_OUT = ("holdout-2", "holdout-3", "holdout-4", "holdout-5", "holdout-6")
HELD_OUT_RECALL = {"CARD": 1.0, "EMAIL": 1.0, "IBAN": 1.0, "IP": 1.0, "PHONE": 0.97, "SSN": 0.97,
                   "NAME": 0.9, "ADDRESS": 0.9}
HELD_OUT_KEEP_REDACTED = 0.03
HELD_OUT_NOT_MET = {("holdout-3", "ADDRESS"): "4 of 5 addresses (80 %; target 90 %)",
                    ("holdout-4", "ADDRESS"): "6 of 7 addresses (85.7 %; target 90 %)",
                    ("holdout-5", "NAME"): "5 of 14 names (35.7 %; target 90 %)",
                    ("holdout-6", "NAME"): "8 of 9 names (88.9 %; target 90 %)"}


@pytest.mark.parametrize(("split", "kind"), [
    pytest.param(split, kind, marks=pytest.mark.xfail(reason=HELD_OUT_NOT_MET[(split, kind)], strict=True))
    if (split, kind) in HELD_OUT_NOT_MET else (split, kind)
    for split in HELD_OUT for kind in sorted(HELD_OUT_RECALL)])
def test_held_out_text_meets_the_targets(split: str, kind: str) -> None:
    score = score_corpus([c for c in load_corpus(CORPUS) if c.split == split])[kind]
    if score.recall is None:
        pytest.skip(f"no {kind} label in {split}")
    assert score.recall >= HELD_OUT_RECALL[kind], score.misses


@pytest.mark.parametrize("split", HELD_OUT)
def test_held_out_must_keep_spans_survive(split: str) -> None:
    from feedbackloop.learn.pii_report import keep_redacted

    touched, total = keep_redacted([c for c in load_corpus(CORPUS) if c.split == split])
    assert total >= 10 and touched / total <= HELD_OUT_KEEP_REDACTED


def test_the_corpus_is_large_and_has_both_positives_and_negatives() -> None:
    cases = load_corpus(CORPUS)
    assert len(cases) >= 150
    assert sum(not c.labels for c in cases) >= 60  # tricky negatives
    assert {label.kind for c in cases for label in c.labels} == set(KINDS)
    assert any(c.split == "holdout" for c in cases)


def test_recall_on_cards_and_emails_is_total() -> None:
    scores = score_corpus(load_corpus(CORPUS))
    assert scores["CARD"].recall == 1.0, scores["CARD"].misses
    assert scores["EMAIL"].recall == 1.0, scores["EMAIL"].misses


@pytest.mark.parametrize("kind", KINDS)
def test_precision_and_recall_stay_above_the_floor(kind: str) -> None:
    score = score_corpus([c for c in load_corpus(CORPUS) if c.split not in HELD_OUT])[kind]
    assert score.recall is not None and score.recall >= FLOORS["recall"], score.misses
    assert score.precision is not None and score.precision >= FLOORS["precision"], score.false_alarms


def test_the_report_prints_a_markdown_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(CORPUS)]) == 0
    out = capsys.readouterr().out
    assert "| type | labels | found | false positives | precision | recall |" in out
    assert "| CARD |" in out and "holdout only" in out
    assert format_table(score_corpus([])).count("n/a") == 2 * len(KINDS)


def test_a_corpus_label_that_is_not_in_its_text_is_refused(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "bad.jsonl"
    path.write_text(json.dumps({"text": "hello", "pii": [{"type": "EMAIL", "value": "a@b.co"}]}) + "\n")
    with pytest.raises(ValueError, match="line 1"):
        load_corpus(path)


def test_every_kind_has_its_placeholder() -> None:
    text = ("Hi Ana, mail ana@example.com, call +44 20 7946 0958, card 4111 1111 1111 1111, "
            "IBAN GB82 WEST 1234 5698 7654 32, IP 192.168.1.20, password: hunter2, "
            "ship to 221B Baker Street, London NW1 6XE")
    assert redact(text) == ("Hi [NAME], mail [EMAIL], call [PHONE], card [CARD], IBAN [IBAN], IP [IP], "
                            "password: [SECRET], ship to [ADDRESS]")
    assert {placeholder(k) for k in KINDS} == {"[EMAIL]", "[PHONE]", "[CARD]", "[IBAN]", "[IP]", "[ADDRESS]",
                                               "[SECRET]", "[NAME]", "[SSN]", "[DOB]"}


def test_redaction_is_idempotent_and_placeholders_are_never_findings() -> None:
    text = "Dear Mr. Okafor, your PIN 4321 and code is 7731; reply to ok@example.com"
    once = redact(text)
    assert redact(once) == once
    assert find_pii(once) == []


def test_the_requesters_own_name_and_email_go_everywhere() -> None:
    who = Identity(names=("Ana Lima",), emails=("a.lima@corp.example",))
    assert redact("lima family here; ana too; write a.lima@corp.example", who) == (
        "[NAME] family here; [NAME] too; write [EMAIL]")
    assert redact("lima family here", None) == "lima family here"


def test_a_name_that_is_a_common_word_is_redacted_only_where_it_is_a_name() -> None:
    who = Identity(names=("Will Baker",))
    assert redact("I will pay. Thanks Will, and Baker too", who) == "I will pay. Thanks [NAME], and [NAME] too"


def test_overlaps_go_to_the_stronger_kind() -> None:
    (span,) = find_pii("card 4111 1111 1111 1111")
    assert span.kind == "CARD"  # its digits are not also a phone number


@pytest.mark.parametrize(("digits", "valid"), [("4111111111111111", True), ("4111111111111112", False),
                                               ("378282246310005", True), ("0", True)])
def test_luhn(digits: str, valid: bool) -> None:
    assert luhn_valid(digits) is valid


@pytest.mark.parametrize(("iban", "valid"), [("GB82WEST12345698765432", True), ("GB82WEST12345698765433", False),
                                             ("NO9386011117947", True)])
def test_iban_mod_97(iban: str, valid: bool) -> None:
    assert iban_valid(iban) is valid


def test_empty_text_stays_empty() -> None:
    assert redact("") == ""
