"""PII redaction, measured on the labelled corpus in fixtures/pii_corpus.jsonl."""

from __future__ import annotations

import json
import re

import pytest

from conftest import FIXTURES
from feedbackloop.core.redact import KINDS, Identity, find_pii, iban_valid, luhn_valid, placeholder, redact
from feedbackloop.learn.pii_report import format_table, load_corpus, main, score_corpus

CORPUS = FIXTURES / "pii_corpus.jsonl"
#: Floors below which a change to the detectors is a regression (measured values are in docs/ml-engineers.md).
FLOORS = {"precision": 0.9, "recall": 0.95}
#: Held-out parts, held to the issue's targets, not to the development floors. "holdout-2" was written
#: before the issue-18 detectors (SSN, date of birth, other languages); "holdout-3" to "holdout-6" were
#: each written before a pass, measured once blind, and then tuned on (their blind figures are in
#: docs/exports.md: names 8/12, 10/14, 5/14, 8/9; addresses 4/5, 6/7, 1/5, 8/8), so they hold today
#: only as regression checks. The sixth pass (a first-name and surname gazetteer from Faker's lists,
#: pyap2's US/UK/Canadian addresses) was tuned on the development part and holdouts 2 to 6;
#: "holdout-7" was written and committed before it and measured once, after it, blind: names 25 of
#: 29 and addresses 12 of 14, both below target. The seventh pass (pii_rules: introductions in any
#: case and language, sign-offs, closing dashes, Mc/Mac and particles, initials, addresses grown over
#: units, parks, towns and postcodes) was tuned on holdout-7 as well, so it holds only as a regression
#: check now. "holdout-8" (60 cases) was written by another author, who had not seen the redactor,
#: before the seventh pass, and measured once after it was committed, blind: names 82 of 112, addresses
#: 16 of 36, emails 10 of 12 and 4 of 121 must-keep spans redacted miss the targets (docs/exports.md).
#: "stranger-a" and "stranger-b" (70 and 71 cases) were written by two more authors who had not seen the
#: redactor and measured once blind on the seventh pass (names 95 of 127 and 89 of 113; must-keep spans
#: touched 6 of 176 and 10 of 152; emails 9 of 10, IBANs 2 of 3, phones 19 of 20 and 14 of 15). The
#: eighth pass (name_cues: cue families in many languages, surname-first names, closings, found names
#: grown and spread; birth dates, spelled-out emails, phone words of other languages) was tuned on
#: them, so they too hold only as regression checks now: names 127 of 127 and 111 of 113, must-keep
#: spans 0 of 176 and 2 of 152, and the eighth pass is measured blind on parts written with them and
#: kept out of the repository until it was committed. Holdout-8's names (82 of 112 blind) are 108 of
#: 112 after it, its emails 12 of 12, its must-keep spans 2 of 121.
HELD_OUT = ("holdout-2", "holdout-3", "holdout-4", "holdout-5", "holdout-6", "holdout-7", "holdout-8",
            "stranger-a", "stranger-b")
HELD_OUT_RECALL = {"CARD": 1.0, "EMAIL": 1.0, "IBAN": 1.0, "IP": 1.0, "PHONE": 0.97, "SSN": 0.97,
                   "NAME": 0.9, "ADDRESS": 0.9}
HELD_OUT_KEEP_REDACTED = 0.03
#: NAME findings on held-out text that are names (issue 18's target).
HELD_OUT_NAME_PRECISION = 0.85
#: Addresses are another branch's work (a module of their own): the eighth pass left them as they were.
HELD_OUT_NOT_MET = {("holdout-8", "ADDRESS"): "16 of 36 addresses (44.4 %; target 90 %), blind; unchanged by pass 8",
                    ("stranger-a", "ADDRESS"): "8 of 48 addresses (16.7 %), blind on pass 7; unchanged by pass 8",
                    ("stranger-b", "ADDRESS"): "10 of 42 addresses (23.8 %), blind on pass 7; unchanged by pass 8"}
#: Held-out parts whose must-keep spans the redactor touched more than HELD_OUT_KEEP_REDACTED allows.
HELD_OUT_KEEP_NOT_MET: dict[str, str] = {}


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
def test_held_out_names_found_are_names(split: str) -> None:
    score = score_corpus([c for c in load_corpus(CORPUS) if c.split == split])["NAME"]
    assert score.precision is not None and score.precision >= HELD_OUT_NAME_PRECISION, score.false_alarms


@pytest.mark.parametrize("split", [
    pytest.param(split, marks=pytest.mark.xfail(reason=HELD_OUT_KEEP_NOT_MET[split], strict=True))
    if split in HELD_OUT_KEEP_NOT_MET else split for split in HELD_OUT])
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
    """On every part but those with an EMAIL xfail above (holdout-8's two spelled-out emails, ...)."""
    failing = {split for split, kind in HELD_OUT_NOT_MET if kind == "EMAIL"}
    scores = score_corpus([c for c in load_corpus(CORPUS) if c.split not in failing])
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


@pytest.mark.parametrize(("text", "expected"), [
    ("Hi there, Wojciech Zieliński writing again", "Hi there, [NAME] writing again"),
    ("The courier, a guy called Lorenzo, left it", "The courier, a guy called [NAME], left it"),
    ("Name on the card: RICHARD T. OKAFOR", "Name on the card: [NAME]"),
    ("Tack!\nAstrid Lundgren", "Tack!\n[NAME]"),
    ("thanks! -- tomasz", "thanks! -- [NAME]"),
    ("hi, my sister fatima ordered it", "hi, my sister [NAME] ordered it"),
])
def test_listed_names_are_found_outside_the_known_positions(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize("text", [
    "Will you ship it to Jordan next week?",
    "May I ask why the Paris office is closed?",
    "Apple Pay failed on Chrome and Windows.",
    "Grace period ends in June, says Victoria Station staff.",
    "Santa Clara and San Diego stores",
    "Our German and French customers",
    "Mark it as urgent, please",
])
def test_listed_words_that_are_also_ordinary_words_or_places_stay(text: str) -> None:
    assert redact(text) == text


def test_a_street_without_a_listed_suffix_is_found_by_its_postcode() -> None:
    assert redact("Ship to 45 Kingsway, London WC2B 6TE") == "Ship to [ADDRESS]"
    assert redact("New address: 88 Queen Street West, Toronto, ON M5H 2M9") == "New address: [ADDRESS]"
    # without a postcode pyap2 is not asked: a street name alone is no address to it
    assert redact("Ring me about 45 Kingsway tomorrow") == "Ring me about 45 Kingsway tomorrow"


def prose_paragraphs() -> list[str]:
    """Our own docs and README, paragraph by paragraph: prose that names no customer."""
    root = FIXTURES.parent.parent
    files = [root / "README.md", *sorted((root / "docs").rglob("*.md"))]
    return [p for f in files for p in f.read_text(encoding="utf-8").split("\n\n") if p.strip()]


def test_our_own_docs_are_left_nearly_whole() -> None:
    """Issue 18, seventh pass: the rules for introductions, dashes, initials and grown addresses run on
    our docs (prose about PII that quotes example names and addresses): the NAME and ADDRESS findings
    are the quoted examples, no code word of ours is taken, and outside quotes only a handful are left
    ("Wilson" of the Wilson interval, an example name in brackets)."""
    found = []
    unquoted = []
    for paragraph in prose_paragraphs():
        quotes = [m.span() for m in re.finditer(r'"[^"]*"|“[^”]*”|`[^`]*`', paragraph)]
        for span in find_pii(paragraph):
            if span.kind in ("NAME", "ADDRESS"):
                found.append(paragraph[span.start:span.end])
                if not any(a <= span.start and span.end <= b for a, b in quotes):
                    unquoted.append(paragraph[span.start:span.end])
    for word in ("SHA", "IBAN", "Setup", "Zendesk", "Flask", "SQLite", "PostgreSQL", "Faker", "README"):
        assert word not in found, word
    # distinct words: the docs name the Wilson interval (and Newcombe's, Levin's) as often as they need to
    assert len(set(unquoted)) <= 5, unquoted


@pytest.mark.parametrize(("text", "value"), [
    ("THIS IS DARNELL WASHINGTON, I WANT A REFUND", "DARNELL WASHINGTON"),
    ("hey it's kwame, the code failed", "kwame"),
    ("ich bin lukas, die App stürzt ab", "lukas"),
    ("paid £42.50. — Ruaridh", "Ruaridh"),
    ("Paket fehlt.\nmfg\nJörg Schäfer", "Jörg Schäfer"),
    ("ticket 55821, Connor MacLeod", "Connor MacLeod"),
    ("Please ask Pieter van der Berg about it", "Pieter van der Berg"),
    ("Signed by J. Schäfer on the form", "J. Schäfer"),
    ("Thanks to Adebayo Okonkwo for the help", "Adebayo Okonkwo"),
])
def test_seventh_pass_names(text: str, value: str) -> None:
    assert [text[s.start:s.end] for s in find_pii(text) if s.kind == "NAME"] == [value]


@pytest.mark.parametrize(("text", "value"), [
    ("to 62 Rue de la République, 13002 Marseille now", "62 Rue de la République, 13002 Marseille"),
    ("Unit 5, Riverside Business Park, 22 Mill Lane, Manchester M4 7HE", None),
    ("Mariahilfer Straße 45/3, 1060 Wien bitte", "Mariahilfer Straße 45/3, 1060 Wien"),
    ("adres: Prinsengracht 263, 1016 GV Amsterdam", "Prinsengracht 263, 1016 GV Amsterdam"),
    ("ship to 7 Harbour Road, Howth, Co. Dublin, D13 W2X9 thanks", "7 Harbour Road, Howth, Co. Dublin, D13 W2X9"),
    ("send it to:\n18 Rosebery Avenue\nLondon EC1R 4SX\nthanks", "18 Rosebery Avenue\nLondon EC1R 4SX"),
])
def test_seventh_pass_addresses(text: str, value: str | None) -> None:
    assert [text[s.start:s.end] for s in find_pii(text) if s.kind == "ADDRESS"] == [value or text]


@pytest.mark.parametrize("text", [
    "THIS IS UNACCEPTABLE, REFUND ORDER 4471", "this is ridiculous, order 7781 is late", "it's me again",
    "je suis déçu par la commande 5512", "its SHA-256 digest", "see the docs — Setup", "Corso Italia 2024 promo",
    "Will you refund order 55123 for $49.99?", "the SKU is A65 F4E2", "Place order 44 now",
])
def test_seventh_pass_leaves_ordinary_text(text: str) -> None:
    assert find_pii(text) == []
