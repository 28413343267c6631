"""The redactor as it was before the single-pass gates (bench/README.md, exports): a test oracle only.

`tests/core/test_redact_differential.py` checks that `feedbackloop.core.redact` finds exactly what this finds.
Do not change it to follow the live module's gates: it is the reference the live one is held to.
Issue 18 changed what is found (SSN, dates of birth, spelled-out emails, dotted cards, long phone
groups, names with apostrophes, in any case and other languages): those patterns are taken from the
live module here and run ungated, so the gates are still what the differential test checks.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import feedbackloop.core.name_cues as cues
import feedbackloop.core.name_gazetteer as gaz
import feedbackloop.core.name_model as name_model
import feedbackloop.core.pii_accounts as pii_accounts
import feedbackloop.core.pii_address as pii_address
import feedbackloop.core.pii_firms as pii_firms
import feedbackloop.core.pii_ids as pii_ids
import feedbackloop.core.pii_ids_americas as pii_ids_americas
import feedbackloop.core.pii_rules as rules
import feedbackloop.core.redact as live

#: Every kind of personal data we replace, in priority order: where two findings overlap, the
#: earlier kind wins (a card's digits are not also a phone number).
KINDS = ("EMAIL", "IBAN", "CARD", "IP", "SECRET", "SSN", "DOB", "PHONE", "ADDRESS", "NAME")


def placeholder(kind: str) -> str:
    """The text that replaces one finding of `kind`, e.g. "[EMAIL]"."""
    return f"[{kind}]"


@dataclass(frozen=True)
class Span:
    """One finding: text[start:end] is personal data of `kind`."""

    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class Identity:
    """The requester as the helpdesk knows them: redacted wherever they appear, in any position."""

    names: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()


def redact(text: str, identity: Identity | None = None) -> str:
    """`text` with every finding replaced by its placeholder."""
    if not text:
        return text
    pieces: list[str] = []
    cursor = 0
    for span in find_pii(text, identity):
        pieces.append(text[cursor:span.start])
        pieces.append(placeholder(span.kind))
        cursor = span.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def find_pii(text: str, identity: Identity | None = None) -> list[Span]:
    """Non-overlapping findings in text order; on overlap the higher-priority kind wins."""
    text = live.plain_digits(text)  # issue 18, nineteenth pass: every script's digits as ASCII ones
    detectors = DETECTORS if ANY_DIGIT.search(text) else WITHOUT_DIGITS
    found = [span for detect in detectors for span in detect(text)]
    # (pass 27: a firm's own bank account, and whatever lies inside it, is kept: the live rule, ungated)
    # (pass 28: and a number on a firm's invoice foot or letterhead line, and whatever lies inside its account)
    feet = [span for span in found if span.kind in live.FOOTER_KINDS and pii_firms.firm_footer(text, span.start, span.kind)]
    firms = [span for span in found if span.kind == "IBAN" and (pii_firms.firm_account(text, span.start) or span in feet
                                                                 or pii_firms.firm_named_account(text, span.start, span.end))]
    found = [span for span in found if span not in feet
             and not any(firm.start <= span.start and span.end <= firm.end for firm in firms)]
    if identity is not None:
        found.extend(find_identity(text, identity))
    # (pass 21: an address block's head or tail that is another kind's number is trimmed off: the live function)
    return live.with_titles(text, resolve_overlaps(live.trimmed_addresses(text, found)))  # sixteenth pass: titles


def resolve_overlaps(spans: Iterable[Span]) -> list[Span]:
    """Keep, kind by kind in priority order and longest first, the spans that overlap none kept."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (KINDS.index(s.kind), s.start - s.end, s.start)):
        if span.end > span.start and not any(span.start < k.end and k.start < span.end for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


# --- emails ----------------------------------------------------------------------------------------

EMAIL = re.compile(
    r"(?<![\w.+%-])[\w+%-][\w.+'%-]*(?:@|%40)(?:[\w-]+\.)+([^\W\d_]{2,24})(?![\w-])", re.IGNORECASE)
#: "ann [at] example [dot] com", "ann(at)example(dot)com": people write these to dodge scrapers.
#: (pass 24: and its local part's dots bracketed too, "priya (dot) nair (at) yahoo (dot) co (dot) in")
EMAIL_SPELLED = re.compile(
    r"(?<![\w.])[\w.+-]+(?:\s*[\[(]\s*dot\s*[\])]\s*[\w.+-]+)*\s*[\[(]\s*at\s*[\])]\s*[\w-]+"
    r"(?:\s*(?:[\[(]\s*dot\s*[\])]|\.)\s*[\w-]+)+", re.IGNORECASE)
#: "logo@2x.png" is a retina image, not a mailbox.
FILE_SUFFIXES = frozenset({"png", "jpg", "jpeg", "gif", "svg", "webp", "css", "js", "ico"})


def find_emails(text: str) -> Iterator[Span]:
    for match in EMAIL.finditer(text):  # issue 18, sixteenth pass: a firm's role address is no one's
        if match.group(1).lower() not in FILE_SUFFIXES and not live.role_address(match.group()):
            yield Span(match.start(), match.end(), "EMAIL")
    yield from (Span(s.start, s.end, "EMAIL") for s in live.find_upi_ids(text))  # issue 18, sixteenth pass, ungated
    for match in EMAIL_SPELLED.finditer(text):
        yield Span(match.start(), match.end(), "EMAIL")
    for match in live.EMAIL_SPELLED_PLAIN.finditer(text):
        yield Span(match.start(), match.end(), "EMAIL")
    for match in live.EMAIL_SPELLED_WORDS.finditer(live.fold(text)):  # issue 18, eighth pass, ungated
        yield Span(match.start(), match.end(), "EMAIL")
    # pass 22: a spelled "at" before a dotted domain, spaces around "@" and dots: the live functions, ungated
    yield from (Span(s.start, s.end, "EMAIL") for s in live.spelled_at_domains(text, live.fold(text)))
    yield from (Span(s.start, s.end, "EMAIL") for s in live.spaced_emails(text))
    # pass 23: defanged, a comma for a dot, "#" for "@": the live function (its gates are its patterns' own characters)
    yield from (Span(s.start, s.end, "EMAIL") for s in live.disguised_emails(text))
    # pass 24: spelled letter by letter, broken across lines: the live functions, ungated
    yield from (Span(s.start, s.end, "EMAIL") for s in live.letter_spelled_emails(text, live.fold(text), gated=False))
    yield from (Span(s.start, s.end, "EMAIL") for s in live.wrapped_emails(text))
    yield from (Span(s.start, s.end, "EMAIL") for s in live.webmail_shorthands(text, live.fold(text)))


def find_ssns(text: str) -> Iterator[Span]:
    found = list(ssns_in(text))
    yield from found
    for span in live.across_wraps(text, ssns_in):  # issue 18, pass 21: a number a line break cuts in two, ungated
        if live.wrapped_id_kept(text, span, found):  # (pass 25: or its digits joined pass an id's check)
            yield span


def ssns_in(text: str) -> Iterator[Span]:
    for match in live.SSN_DASHED.finditer(text):
        if live.ssn_valid("".join(match.groups())) and not live.introduced_as_id(
                text[max(0, match.start() - 30):match.start()]):
            yield Span(match.start(), match.end(), "SSN")
    for match in live.SSN_KEYWORD.finditer(text):
        if live.ssn_valid(re.sub(r"\D", "", match.group(1))):
            yield Span(match.start(1), match.end(1), "SSN")
    # issue 18, thirteenth pass: SSNs in groups in a text about one, Canadian SINs, run ungated
    if live.SSN_TOPIC.search(text):
        yield from (Span(s.start, s.end, "SSN") for s in live.ssns_in_an_ssn_text(text))
    if live.SIN_TOPIC.search(text):
        for match in live.SIN_GROUPED.finditer(text):
            if live.luhn_valid(re.sub(r"\D", "", match.group())) and not live.introduced_as_id(
                    text[max(0, match.start() - 30):match.start()]):
                yield Span(match.start(), match.end(), "SSN")
    if live.TFN_TOPIC.search(text):  # issue 18, sixteenth pass: Australian TFNs, ungated
        for match in live.SIN_GROUPED.finditer(text):
            before = text[max(0, match.start() - 30):match.start()]
            if not re.search(r"\d[ -]?$", before) and not live.introduced_as_id(before):
                yield Span(match.start(), match.end(), "SSN")
    if "my number" in live.fold(text) or "マイナンバー" in text or "個人番号" in text:  # seventeenth pass: Japan's
        yield from live.my_numbers(text)
    # issue 18, twentieth pass: the Americas', Southern Europe's and Oceania's numbers as typed, run ungated
    for start, end in pii_ids_americas.find_regional_ids(text, live.fold(text), gated=False):
        yield Span(start, end, "SSN")
    # issue 18, twelfth pass: other countries' national identity numbers, run ungated
    for start, end in pii_ids.find_national_ids(text, live.fold(text), gated=False):
        yield Span(start, end, "SSN")


def find_dobs(text: str) -> Iterator[Span]:
    yield from live.dates_after_dob_words(text)  # pass 22: not this year's date after "birthday", ungated
    yield from live.dates_after_birth_words(text, live.fold(text))  # issue 18, eighth pass, ungated
    for start, end in pii_ids_americas.find_regional_dobs(text, live.fold(text), gated=False):  # twentieth pass
        yield Span(start, end, "DOB")
    yield from live.spoken_dates_of_birth(text, live.fold(text))  # pass 28: dates said in words, ungated


# --- payment cards ---------------------------------------------------------------------------------

#: 13–19 digits, single spaces or dashes between any of them (4-4-4-4, Amex 4-6-5, none).
CARD_CANDIDATE = live.CARD_CANDIDATE
CARD_FIRST_DIGITS = frozenset("23456")  # Mastercard 2-series, Amex/Diners/JCB, Visa, MC, Discover/Maestro


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum every payment card number carries."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def is_card_number(digits: str) -> bool:
    """13–19 digits with a card-issuer first digit and a valid Luhn checksum (issue 18, sixteenth pass: and the
    issuers' ranges, the live rule)."""
    return live.is_card_number(digits)


#: A device's IMEI and a parcel's tracking number carry Luhn digits too.
#: (issue 18, sixteenth pass: and parcels' numbers in other words: the live pattern)
NOT_CARD_BEFORE = live.NOT_CARD_BEFORE


def find_cards(text: str) -> Iterator[Span]:
    """Cards, also when written next to other digit groups ("4111 1111 1111 1111 12/27")."""
    for match in CARD_CANDIDATE.finditer(text):
        if NOT_CARD_BEFORE.search(text[max(0, match.start() - 20):match.start()]):
            continue
        groups = [(g.start() + match.start(), g.end() + match.start()) for g in re.finditer(r"\d+", match.group())]
        # Issue 18, twelfth pass: a card-shaped number after a word for a card (ungated: no gate of its own)
        best = longest_card_run(text, groups) or live.cued_card(text, groups)
        if best is not None and not live.barcode_length(text, *best):  # pass 24: an EAN-13 barcode's length
            yield Span(best[0], best[1], "CARD")
    yield from live.loose_cards(text)  # issue 18, pass 21: line breaks, slashes, odd dashes between groups, ungated
    for match in live.GLUED_CARD.finditer(text):
        if is_card_number(match.group(1)):
            yield Span(match.start(1), match.end(1), "CARD")


def longest_card_run(text: str, groups: Sequence[tuple[int, int]]) -> tuple[int, int] | None:
    """The longest run of consecutive digit groups that is a card number, as (start, end)."""
    best: tuple[int, int] | None = None
    for first in range(len(groups)):
        digits = ""
        for last in range(first, len(groups)):
            digits += text[groups[last][0]:groups[last][1]]
            if len(digits) > 19:
                break
            start, end = groups[first][0], groups[last][1]
            if (is_card_number(digits) and live.card_grouping(groups[first:last + 1])
                    and (best is None or end - start > best[1] - best[0])):
                best = (start, end)
    return best


# --- IBANs -----------------------------------------------------------------------------------------

#: IBAN length per country (SWIFT IBAN registry).
#: (issue 18, seventeenth pass: and the IBAN-form numbers of countries outside SWIFT's registry: the live table)
IBAN_LENGTHS = live.IBAN_LENGTHS
IBAN_START = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{2})\d{2}(?=[ -]?[A-Za-z0-9])")


def iban_valid(iban: str) -> bool:
    """The ISO 13616 mod-97 check: country and check digits moved to the end, as a number, ≡ 1."""
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def find_ibans(text: str) -> Iterator[Span]:
    """IBANs written compact or in groups; the country's length says where one ends."""
    for match in IBAN_START.finditer(text):
        length = IBAN_LENGTHS.get(match.group(1).upper())
        if length is None:
            continue
        end = live.grouped_iban_end(text, match.start(), length)  # pass 25: and a length off by one, the live rule
        if end is not None:
            yield Span(match.start(), end, "IBAN")
            continue
        compact = live.IBAN_COMPACT.match(text, match.start())  # issue 18, sixteenth pass: a length off by a typo
        if compact and abs(len(compact.group()) - length) <= 2 and iban_valid(compact.group().upper()):
            yield Span(compact.start(), compact.end(), "IBAN")
    yield from live.loose_ibans(text)  # issue 18, twentieth pass: odd spacing and dots
    yield from live.polish_account_numbers(text)  # pass 24: the NRB, an IBAN without its "PL"
    yield from live.ibans_after_word(text)  # issue 18, eighth pass, ungated
    yield from live.ibans_after_account_word(text)  # issue 18, sixteenth pass, ungated
    for start, end in pii_accounts.find_bank_accounts(text, live.fold(text)):  # pass 25: CLABE, CBU, sort code …
        yield Span(start, end, "IBAN")


def read_iban_chars(text: str, start: int, length: int) -> int | None:
    """Where `length` alphanumerics from `start` end (single spaces/dashes between), if they end there."""
    count, pos = 0, start
    while pos < len(text) and count < length:
        if text[pos].isascii() and text[pos].isalnum():
            count += 1
            pos += 1
        elif text[pos] in " -" and count and pos + 1 < len(text) and text[pos + 1].isalnum():
            pos += 1
        else:
            break
    if count != length or (pos < len(text) and text[pos].isalnum()):
        return None
    return pos


# --- IP addresses ----------------------------------------------------------------------------------

IPV4 = re.compile(r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w]|\.\d|-[A-Za-z])")
IPV6 = re.compile(
    r"(?<![\w:.])(?:[0-9a-f]{0,4}:){2,7}(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]{1,4})?(?:%[\w.]+)?(?![\w:]|\.\d)",
    re.IGNORECASE)
#: "v1.2.3.4", "version 10.0.0.1", "build 4.2.1.0", "section 2.1.3.4": numbers, not hosts. (Issue 18, the must-keep
#: pass: an update, and the word for a version in other languages; pass 25: "updated to", "version is", a room's number:
#: the live pattern.)
VERSION_BEFORE = live.VERSION_BEFORE


def find_ips(text: str) -> Iterator[Span]:
    for match in IPV4.finditer(text):
        if VERSION_BEFORE.search(text[max(0, match.start() - 20):match.start()]):
            continue
        if live.version_listed(text, match.start()) or live.network_range(text, match):
            continue  # pass 25: a second version in a list, a network's range (the live functions, no gate)
        if _parses(match.group(), ipaddress.IPv4Address):
            yield Span(match.start(), match.end(), "IP")
    for match in IPV6.finditer(text):
        candidate = match.group().split("%", 1)[0]
        if any(c.isdigit() for c in candidate) and _parses(candidate, ipaddress.IPv6Address):
            yield Span(match.start(), match.end(), "IP")


def _parses(candidate: str, kind: Callable[[str], object]) -> bool:
    try:
        kind(candidate)
    except ValueError:
        return False
    return True


# --- secrets after a keyword -----------------------------------------------------------------------

SECRET_KEYWORD = (
    r"(?:(?:one[- ]time|verification|security|login|sign[- ]in|access|auth(?:entication)?|confirmation|"
    r"reset|2fa|mfa|sms|otp)\s+(?:pass)?code|pass(?:word|code|phrase)|passwd|pwd|otp|"
    r"pin(?:\s+(?:code|number))?|cvv2?|cvc|api[ _-]?key|secret(?:\s+key)?|(?:access\s+)?token)"
)
SECRET = re.compile(
    rf"\b({SECRET_KEYWORD})\b\s*(?:(?:is now|is|was set to|was|now|=|:|-)\s*){{0,2}}[\"'“‘`]?([^\s\"'”’`,;]+)",
    re.IGNORECASE)
#: A bare "code" is a secret only with a connector ("code is 4821") and not after these words.
PLAIN_CODE = re.compile(r"\b(\w+)?\s*\bcode\s*(?:is|was|:|=)\s*[\"'“]?([A-Za-z0-9-]{4,12})\b", re.IGNORECASE)
#: (issue 18, seventeenth pass: and a personal code, a booking code: the live set)
NOT_SECRET_CODES = live.NOT_SECRET_CODES
#: Words that follow a keyword in ordinary sentences ("my password reset link", "PIN is wrong").
NOT_SECRET_WORDS = frozenset({
    "reset", "and", "to", "for", "the", "is", "was", "again", "please", "it", "expired", "incorrect", "wrong",
    "invalid", "change", "changed", "changes", "manager", "field", "link", "links", "protected", "required",
    "not", "has", "have", "but", "so", "or", "with", "on", "in", "at", "a", "an", "my", "your", "this",
    "that", "didn't", "doesn't", "isn't", "won't", "never", "still", "because", "when", "if", "email",
    "sent", "via", "by", "of", "recovery", "policy", "rules", "strength", "works", "worked", "work", "page",
    "form", "screen", "box", "prompt", "request", "requests", "from", "you", "we", "i", "they", "he", "she",
    "does", "did", "do", "can", "can't", "cannot", "will", "would", "should", "could", "just", "only",
    "too", "very", "any", "no", "yes", "number", "code", "codes", "message", "messages", "sms", "text",
    "app", "arrived", "arrive", "came", "generator", "login", "expires", "expiry", "length", "hint",
    "hints", "update", "updated", "issue", "issues", "problem", "problems", "again.", "anymore", "here",
    "there", "below", "above", "same", "new", "old", "correct", "right", "set", "used", "use", "less",
    "then", "now", "today", "yet", "entry", "input", "needed", "need", "needs", "also", "which", "what",
    "bucket", "key", "keys", "secret", "secrets", "token", "tokens", "pin", "pins", "otp", "cvv", "cvc",
    "must", "be", "been", "contains", "contain", "requirements", "requirement", "protection", "system",
    "settings", "setting", "options", "option", "entered", "typed", "saved", "stored", "multiple", "several",
    "twice", "once", "every", "each", "ever", "all", "forgotten", "forgot", "lost", "sharing", "share",
    "shared", "doesnt", "isnt", "didnt", "wont", "cant", "were", "are", "am", "got", "get", "gets",
})


def find_secrets(text: str) -> Iterator[Span]:
    spent = live.codes_spent(text)  # pass 26: a payment's or a parcel's one-time code is no secret (asked ungated)
    for match in SECRET.finditer(text):
        keyword, token = match.group(1).lower(), match.group(2).rstrip(".!?)]}>")
        if (token and is_secret_token(keyword, token) and not (keyword == "token" and live.METER_TOKEN.fullmatch(token))
                and not (spent and live.one_time_code(keyword))
                and not (live.one_time_code(keyword)  # pass 27: "OTP: 0971 602 358", the phone the code goes to
                         and live.runs_on_as_a_number(text, match.start(2), match.start(2) + len(token)))):
            yield Span(match.start(2), match.start(2) + len(token), "SECRET")
    for match in PLAIN_CODE.finditer(text):
        before, token = (match.group(1) or "").lower(), match.group(2)
        if (before not in NOT_SECRET_CODES and any(c.isdigit() for c in token) and token.lower() not in NOT_SECRET_WORDS
                and not spent):
            yield Span(match.start(2), match.end(2), "SECRET")


def is_secret_token(keyword: str, token: str) -> bool:
    """Whether the word after a keyword is the secret itself rather than the sentence going on."""
    if token.lower() in NOT_SECRET_WORDS or "[" in token:
        return False
    if keyword.startswith(("pin", "cv")):
        return token.isdigit() and 3 <= len(token) <= 8
    if keyword.startswith(("pass", "pwd")):
        return len(token) >= 3
    if "code" in keyword or keyword == "otp":
        return any(c.isdigit() for c in token) and len(token) >= 3
    return len(token) >= 8 and any(c.isdigit() for c in token)  # api keys, tokens, secrets


# --- phone numbers ---------------------------------------------------------------------------------

#: "+44 20 7946 0958", "+1 (415) 555-2671", "0049 30 1234567", "+4915112345678".
PHONE_INTL = live.PHONE_INTL
#: "(415) 555-2671", "1-212-555-0198", "020 7946 0958", "06 12 34 56 78", "030/1234 5678".
PHONE_NATIONAL = live.PHONE_NATIONAL
#: Compact digits count as a phone only right after a phone word ("call me on 07700900123").
#: (issue 18, sixteenth pass: "registered number", "callback no.": the live pattern)
PHONE_KEYWORD = live.PHONE_KEYWORD
DATE_INSIDE = live.DATE_INSIDE  # issue 18, thirteenth pass: a day and a month of at most 31
#: "Order #555-123-4567" and "ticket 2024 0501 77" are identifiers, not phones; issue 18, ninth pass (the order
#: words of other languages): the live pattern.
ID_BEFORE = live.ID_BEFORE


def find_phones(text: str) -> Iterator[Span]:
    """Issue 18, pass 23: phones as typed with an extension taken in, then the other shapes, all ungated; (pass 27)
    then the numbers that correct one of them."""
    found = list(phones_as_typed(text))
    yield from found
    yield from live.corrected_phones(text, found)


def phones_as_typed(text: str) -> Iterator[Span]:
    for span in typed_phones(text):
        yield live.as_written(text, span)  # (pass 24: a trunk prefix "(0)" before it too)
    tokens = [(match.start(), match.end()) for match in live.MIXED_TOKEN.finditer(text)]
    read = list(text)
    for start, end in tokens:  # letters typed for digits ("O7700 9OO 461")
        read[start:end] = text[start:end].translate(live.LETTERS_AS_DIGITS)
    yield from (span for span in typed_phones("".join(read))
                if any(span.start < end and start < span.end for start, end in tokens))
    yield from live.fiction_phones(text)
    yield from live.glued_cue_phones(text)
    yield from live.odd_separator_phones(text)
    yield from live.vanity_phones(text)
    yield from live.url_encoded_phones(text)
    yield from live.nordic_pair_phones(text)
    yield from live.indian_trunk_phones(text)
    yield from live.glued_word_phones(text)  # pass 24: a chat's word glued after the number
    yield from live.spaced_hyphen_phones(text)  # pass 28: groups parted by a spaced hyphen, ungated


def typed_phones(text: str) -> Iterator[Span]:
    for pattern, least in ((PHONE_INTL, 8), (PHONE_NATIONAL, 9)):
        for match in pattern.finditer(text):
            start, end = match.start(), unbalanced_paren_end(match.group(), match.end())
            if is_phone(text, start, end, least):
                yield Span(start, end, "PHONE")
    for match in PHONE_KEYWORD.finditer(text):
        if not live.number_is_reference(text, match.start(1)):  # issue 18, the must-keep pass: pii_refs' words
            yield Span(match.start(1), match.end(1), "PHONE")
    yield from live.more_keyword_phones(text, live.fold(text))  # issue 18, eighth pass, ungated
    yield from live.compact_phones(text)  # issue 18, seventeenth pass
    yield from live.answered_phones(text)
    yield from live.wrapped_phones(text)  # issue 18, pass 21: a number a line break cuts in two, ungated
    yield from live.nine_mobiles(text)  # issue 18, pass 22: Brazil's and Chile's mobiles with their 9 apart, ungated
    for match in live.GLUED_PHONE.finditer(text):  # issue 18, twentieth pass: a particle glued after it, ungated
        if is_phone(text, match.start(), match.end(), 9):
            yield Span(match.start(), match.end(), "PHONE")
    if len(live.fold(text)) == len(text):
        yield from live.short_phones(live.fold(text))  # issue 18, ninth pass, ungated
        yield from live.worded_phones(text, live.fold(text))  # issue 18, nineteenth pass, ungated
        yield from live.eight_digit_phones(text, live.fold(text))  # issue 18, pass 21: Hong Kong's, Singapore's


def unbalanced_paren_end(candidate: str, end: int) -> int:
    """Leave out a closing parenthesis that belongs to the prose around the number "(call 555 0100)"."""
    return end - 1 if candidate.endswith(")") and candidate.count(")") > candidate.count("(") else end


def is_phone(text: str, start: int, end: int, least: int) -> bool:
    """Enough digits for a phone (E.164 allows 15), no date inside, not introduced as an identifier."""
    candidate = text[start:end]
    digits = sum(c.isdigit() for c in candidate)
    if not least <= digits <= 15 or DATE_INSIDE.search(candidate) or live.YEAR_SERIAL.fullmatch(candidate):
        return False
    if live.TOLL_FREE.match(candidate):  # issue 18, fourteenth pass
        return False
    if live.not_a_phone_shape(text, candidate, end):  # issue 18, the must-keep pass
        return False
    if live.firm_line(text, start, end):  # issue 18, sixteenth pass: a firm's line, ungated
        return False
    if live.code_before(text, start) or live.answers_an_id_question(text, start):  # (sixteenth pass)
        return False
    if live.INTL_HEAD_BEFORE.search(text, max(0, start - 8), start):  # issue 18, the must-keep pass
        return False
    before = text[max(0, start - 30):start]
    return not live.number_is_reference(text, start) and not live.AFTER_BOX.search(before)


# --- postal addresses ------------------------------------------------------------------------------

STREET_SUFFIX = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Close|"
    r"Crescent|Square|Sq|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Trail|Grove|Gardens|Row|Mews|Hill|Walk|Loop)"
)
UNIT = r"(?:,?\s+(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|Fl|#)\.?\s*[\w-]+)?"
US_TAIL = r"(?:,\s*[A-Z][A-Za-z .'-]{1,30}?,?\s+[A-Z]{2}\s+\d{5}(?:-\d{4})?)?"
UK_POSTCODE = r"(?:GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})"
EU_TAIL = r"(?:,?\s+(?:[A-Z]{1,2}-)?\d{4,5}\s+[A-ZÀ-Ý][\wÀ-ÿ'-]+(?:[ -][A-ZÀ-Ý][\wÀ-ÿ'-]+)?)?"
ADDRESSES = (
    # 221B Baker Street, London NW1 6XE / 1600 Pennsylvania Avenue NW, Washington, DC 20500
    re.compile(rf"\b\d{{1,5}}[A-Za-z]?(?:[-/]\d{{1,4}})?,?\s+(?:[NSEW]\.?\s+)?(?:[A-Z][\w'.-]*\s+){{0,3}}?"
               rf"[A-Z][\w'-]*\s+{STREET_SUFFIX}\b\.?(?:\s+(?:NW|NE|SW|SE|N|S|E|W)\b)?{UNIT}"
               rf"(?:,?\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?,?\s+{UK_POSTCODE}\b)?{US_TAIL}"),
    # Hauptstraße 5, 10115 Berlin / Bahnhofstr. 12a / Kerkstraat 12
    re.compile(rf"\b[A-ZÄÖÜ][\wäöüß-]*(?:straße|strasse|str\.|weg|gasse|allee|platz|ring|damm|ufer|straat|laan|"
               rf"gracht|plein|vej|gatan|gata)\s+\d{{1,4}}[a-z]?\b{EU_TAIL}"),
    # 12 rue de la Paix, 75002 Paris
    re.compile(rf"\b\d{{1,4}}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|av\.|boulevard|bd|place|chemin|allée|impasse|"
               rf"quai|route|cours)\s+(?:[\w'’-]+\s+){{0,4}}?[A-ZÉÈ][\w'’-]+{EU_TAIL}"),
    # Calle Mayor 10, 28013 Madrid / Via Roma 12
    re.compile(rf"\b(?:Calle|C/|Avenida|Avda\.|Paseo|Plaza|Via|Viale|Piazza|Rua)\s+(?:[\w'’]+\s+){{0,3}}?"
               rf"[A-ZÁÉÍÓÚ][\wáéíóúñ'’]+,?\s+\d{{1,4}}\b{EU_TAIL}"),
    re.compile(r"\bP\.?\s?O\.?\s+Box\s+\d+\b", re.IGNORECASE),
    re.compile(rf"\b{UK_POSTCODE}\b"),
)


#: Issue 18 (multi-word French street names, "Straße" capitalised): the live patterns, run ungated.
ADDRESSES = live.ADDRESSES


def find_addresses(text: str) -> Iterator[Span]:
    """Issue 18, eighth pass: the patterns' addresses and `pii_address`'s blocks, overlapping ones merged."""
    spoken = live.spoken_address_numbers(text)  # pass 25: "twelve Oak Lane" read as "12 Oak Lane", the live function
    scan = live.written_as_digits(text, spoken)
    found = [(s.start, s.end) for s in pattern_addresses(scan)]
    found.extend(pii_address.find_address_blocks(scan))
    found = [(start, live.read_out_end(end, spoken)) for start, end in found]
    for start, end in pii_address.with_digital_codes(text, pii_address.union(found)):  # Ghana's "GA-339-2210"
        end = pii_address.before_phone_label(text, start, end)  # pass 21: "…, 1140 Wien; Tel. 0664/…"
        end = pii_address.with_trailing_landmark(text, start, end)  # pass 23: "…, Dubai (near Al Barsha Mall)"
        if not pii_address.not_personal(text, start, end):  # sixteenth pass: products, a firm's warehouse
            yield Span(start, end, "ADDRESS")


def pattern_addresses(text: str) -> Iterator[Span]:
    streets = []
    for index, pattern in enumerate(ADDRESSES):
        for match in pattern.finditer(text):
            span = Span(match.start(), match.end(), "ADDRESS")
            if index != live.BARE_POSTCODE:
                streets.append(span)
            yield span
    # Issue 18, sixth pass: pyap2 on every text, for the countries of postcodes outside our streets
    # (that rule is what the live module means, not a gate), its matches kept where they hold a postcode.
    countries = {m.lastgroup for m in live.POSTCODES.finditer(text)
                 if not any(s.start <= m.start() and m.end() <= s.end for s in streets)}
    for country in ("US", "GB", "CA"):
        if country not in countries:
            continue
        for address in live.pyap.parse(text, country=country):
            start, end = address.match_start, min(address.match_end, len(text))
            while start < end and not text[start].isalnum():
                start += 1
            while end > start and not text[end - 1].isalnum():
                end -= 1
            # sixteenth pass: cut at the postcode when pyap runs on over the line break after it
            postcode_ends = [m.end() for m in live.POSTCODES.finditer(text, start, end)]
            if postcode_ends and "\n" in text[postcode_ends[-1]:end]:
                end = postcode_ends[-1]
            if live.POSTCODES.search(text, start, end):
                yield Span(start, end, "ADDRESS")
                for grown in rules.grown_addresses(text, [(start, end)], ""):
                    yield Span(*grown, "ADDRESS")
    # Issue 18, seventh pass: street addresses grown over units, parks, towns and postcodes; Eircodes
    for start, end in rules.grown_addresses(text, [(s.start, s.end) for s in streets], "", gated=False):
        yield Span(start, end, "ADDRESS")


# --- names -----------------------------------------------------------------------------------------

NAME_WORD = live.NAME_WORD
ANY_NAME = live.ANY_NAME
NAME = rf"{NAME_WORD}(?:[ -]{NAME_WORD}){{0,2}}"
#: Capitalised words that follow "Hi" or "Thanks," without being anyone's name.
NOT_NAMES = frozenset({
    "there", "all", "team", "support", "everyone", "everybody", "folks", "guys", "sir", "madam", "customer",
    "friend", "friends", "again", "both", "world", "so", "for", "in", "advance", "a", "lot",
    "much", "very", "you", "yes", "no", "ok", "okay", "thanks", "thank", "please", "hello", "hi", "dear",
    "regards", "best", "cheers", "sincerely", "morning", "afternoon", "evening", "good", "great", "the",
    "customer service", "service", "billing", "sales", "help", "helpdesk", "admin", "sirs", "colleagues",
    "i", "we", "my", "our", "your", "this", "that", "it", "just", "quick", "question", "update",
    # issue 18, seventh pass: the sign-offs of other languages and their teams ("mfg\nIhr Kundenservice")
    "sent", "ihr", "ihre", "euer", "votre", "vostro", "vostra", "su", "uw", "jouw", "seu", "sua", "kundenservice",
    "kundendienst", "équipe", "equipe", "equipo", "servizio", "klantenservice", "grazie", "merci", "danke",
    "gracias", "obrigado", "obrigada", "thx", "ciao", "bises", "bisous",
    # issue 18, pass 26: the teams that sign a macro in Central and Eastern Europe, Turkey, Greece, Spain and
    # Portugal ("Pozdrawiam,\nDział Obsługi Klienta", "S pozdravem\nZákaznická podpora", "Departamento Comercial")
    "dział", "obsługi", "obsługa", "zespół", "oddělení", "oddelenie", "podpora", "zákaznická", "zákaznícka",
    "tým", "tím", "ekibi", "destek", "hizmetleri", "departamento", "departamentul", "comercial", "ventas", "vendas",
    "atención", "atendimento", "soporte", "suporte", "central", "τμήμα", "εξυπηρέτησης", "ügyfélszolgálat",
})
NAME_CONTEXTS = (
    # greetings: "Hi Ana,", "Dear Maria Lopez:", "Hello Bob!"
    re.compile(rf"(?:^|(?<=[\n.!?]))\s*(?:Hi|Hello|Hey|Dear|Hallo|Bonjour|Hola|Ciao|Olá|Good (?:morning|afternoon|evening))"
               rf"\s+(?P<name>{NAME})(?=\s*[,!:\n]|\s*$)"),
    # titles: "Mr. Smith", "Dr Jane Doe"
    re.compile(rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Herr|Frau|Mme|Mlle|Sr|Sra)\.?\s+(?P<name>{NAME})"),
    # "my name is Ana Lima", "name: Ana Lima", "this is Ana from"
    re.compile(rf"\b(?i:my name is|my name's|name\s*:|this is|I am|I'm)\s+(?P<name>{NAME})(?=\s+(?i:from|here)\b)"),
    re.compile(rf"\b(?i:my name is|my name's|name\s*:)\s+(?P<name>{NAME})"),
    live.NAME_CONTEXTS[4],
    live.NAME_CONTEXTS[-1],
    # sign-offs: "Thanks,\nAna" / "Kind regards, Ana Lima" at the end of a line
    re.compile(rf"\b(?i:thanks|thank you|many thanks|regards|kind regards|best regards|best wishes|best|cheers|"
               rf"sincerely|yours|warm regards|cordialement|grüße|saludos)[,!.]?[ \t]*\n?[ \t]*(?:-{{1,2}}\s*)?"
               rf"(?P<name>{NAME}|{ANY_NAME})"
               rf"[ \t]*[.!]?[ \t]*(?=\n|$)"),
)
#: Issue 18, third pass: the live name contexts (more languages, sign-offs, name fields), run ungated.
NAME_CONTEXTS = live.NAME_CONTEXTS
#: First names that are also ordinary words: as the requester's name they count only capitalised
#: mid-sentence or in a name position, never as the word ("I will", "a rose", "my bill").
COMMON_WORD_NAMES = frozenset({
    "will", "mark", "rose", "bill", "pat", "joy", "hope", "grace", "may", "june", "april", "faith", "summer",
    "dawn", "sky", "art", "ray", "guy", "rich", "frank", "jack", "sue", "bob", "drew", "gene", "max", "chase",
    "hunter", "lane", "page", "young", "king", "brown", "white", "black", "green", "long", "little", "wood",
    "stone", "hill", "love", "rock", "penny", "ruby", "crystal", "amber", "autumn", "honey", "hazel", "ivy",
    "lily", "holly", "violet", "olive", "sunny", "storm", "river", "rain", "miles", "price", "rush", "case",
    "bell", "ford", "cook", "baker", "smith", "carter", "porter", "turner", "mason", "fisher", "hunt",
    "bishop", "cash", "major", "noble", "sharp", "strong", "wise", "best", "good", "gay", "lucky", "sandy",
    "rusty", "dusty", "buddy", "bud", "august", "sterling", "bear", "fox", "wolf", "ash", "sage",
})


#: Parts of a full name that are not names on their own ("Maria de la Cruz", "Jan van der Berg").
NAME_PARTICLES = frozenset({
    "de", "da", "do", "dos", "das", "del", "della", "di", "van", "von", "der", "den", "la", "le", "du", "bin",
    "al", "el", "y", "e", "st", "mc", "jr", "sr", "ii", "iii", "iv", "mr", "mrs", "ms", "dr",
})


def find_names(text: str) -> Iterator[Span]:
    found: list[tuple[int, int]] = []
    for index, pattern in enumerate(NAME_CONTEXTS):
        for match in pattern.finditer(text):
            start, end = match.span("name")
            if index in live.SIGN_OFFS and not live.signed_name(match.group("name")):
                continue
            if index == live.SELF_NAMED and live.SPEAKER_CUSTOMER.search(text, max(0, start - 16), start) and \
                    not live.signed_name(match.group("name")) and not live.LINE_CLOSED.match(text, end):
                continue  # pass 21: a chat's "Customer: bhai mera parcel abhi …" is the customer's message
            if index == live.SELF_NAMED and live.INTRO_LEAD.match(match.group("name")):
                continue  # pass 26: "Customer: tôi là trần thị hương" (name_cues.intro_names reads the name)
            found.extend((s.start, s.end) for s in name_spans(text, start, end))
    found.extend((s.start, s.end) for s in find_listed_names(text))
    # Issue 18, seventh pass: introductions in any case, initials before a surname, run ungated
    found.extend(rules.find_more_names(text, text.lower(), gated=False))
    # Issue 18, eighth pass: cue families, surname-first names, closings, run ungated; then grown and spread
    # (nineteenth pass: with core/script_names.py's names in their own scripts, which have no gate of their own;
    # spread and person_span trim findings in those scripts with script_names.native_trim)
    found.extend(cues.find_cued_names(text, live.fold(text), gated=False))
    # Issue 18, eleventh pass: the trained tagger (core/name_model.py), which has no gate of its own
    found.extend(name_model.find_model_names(text))
    for start, end in cues.spread(text, found, gaz.gazetteer()):
        if live.language_named(text[start:end]):
            continue  # issue 18, fourteenth pass: a language's name
        person = live.person_span(text, start, end)  # issue 18, the must-keep pass: no role, greeting, car, brand
        if person is not None and not live.code_letters(text, person[1]):  # pass 28: "PNR ZK9L2P"
            yield Span(person[0], cues.without_script_suffixes(text, *person), "NAME")  # seventeenth pass: no "様" after it


def find_listed_names(text: str) -> Iterator[Span]:
    """Issue 18, sixth pass: the gazetteer's rules (feedbackloop.core.name_gazetteer), run ungated."""
    from feedbackloop.core import name_gazetteer as gaz

    lists = gaz.gazetteer()
    first, _last, common = lists
    for match in gaz.CAP_RUN.finditer(text):
        words = list(gaz.WORD.finditer(match.group()))
        if len(words) == 1:
            word = words[0].group()
            lower = word.lower() if word.lower() in first or word.isascii() else gaz.strip_marks(word.lower())
            if (lower in first and lower not in common and not word.isupper() and word[0].isupper()
                    and gaz.inside_sentence(text, match.start())
                    and gaz.lone_name_position(text, match.start(), lower)):
                yield Span(match.start(), match.end(), "NAME")
            continue
        handled, span = gaz.after_opening_word(text, match.start(), match.group(), lists)  # issue 18, ninth pass
        if span is not None:
            yield Span(*span, "NAME")
        if handled:
            continue
        for start, end in gaz.names_in_run(text, match.start(), match.group(), lists):
            yield Span(start, end, "NAME")
    found = gaz.DASH_SIGNATURE.search(text)
    if found and gaz.signs_off(found.group("name"), lists, text[:found.start()]):
        yield Span(*found.span("name"), "NAME")
    for found in gaz.RELATION_LOWER.finditer(text):
        parts = found.group("name").lower().split("-")  # pass 24: hyphenated, and no verb after "my son"
        if all(part in first and part not in common and part not in gaz.RELATION_VERBS for part in parts):
            yield Span(*found.span("name"), "NAME")


def name_spans(text: str, start: int, end: int) -> Iterator[Span]:
    """The name at text[start:end], unless a word of it is no name ("Hi Team", "Regards, Acme Support")."""
    words = list(re.finditer(r"\S+", text[start:end]))
    for index, word in enumerate(words):
        if word.group().lower().strip(",.;:!?") in live.NAME_STOP:
            words = words[:index]
            break
    if not words:
        return
    end = start + words[-1].end()
    while end > start and text[end - 1] in ",.;:!?":
        end -= 1
    if words and not any(w.group().lower().strip("'’-") in NOT_NAMES for w in words):
        yield Span(start, end, "NAME")


def find_identity(text: str, identity: Identity) -> Iterator[Span]:
    """The requester's own email(s) and name wherever they appear (the helpdesk told us who it is)."""
    for email in identity.emails:
        if email.strip():
            for match in re.finditer(re.escape(email.strip()), text, re.IGNORECASE):
                yield Span(match.start(), match.end(), "EMAIL")
    for name in identity.names:
        yield from find_known_name(text, name)


def find_known_name(text: str, name: str) -> Iterator[Span]:
    """The full name, then each part; a part that is also a common word only where it is a name."""
    words = [w for w in re.split(r"[\s,]+", name.strip()) if w]
    parts = [w for w in words if len(w.strip(".")) >= 2 and w.lower().strip(".") not in NAME_PARTICLES]
    if not parts:
        return
    full = r"[\s,]+".join(re.escape(w) for w in words)
    for match in re.finditer(rf"(?<!\w){full}(?!\w)", text, re.IGNORECASE):
        yield Span(match.start(), match.end(), "NAME")
    for part in parts:
        if part.lower() in COMMON_WORD_NAMES:
            yield from capitalised_mid_sentence(text, part)
            continue
        for match in re.finditer(rf"(?<!\w){re.escape(part)}(?!\w)", text, re.IGNORECASE):
            yield Span(match.start(), match.end(), "NAME")


def capitalised_mid_sentence(text: str, word: str) -> Iterator[Span]:
    """`word` as a capitalised word that does not open a sentence ("thanks Will", not "Will you")."""
    cap = word[:1].upper() + word[1:].lower()
    for match in re.finditer(rf"(?<!\w){re.escape(cap)}(?!\w)", text):
        before = text[:match.start()].rstrip(" \t")
        if before and before[-1] not in ".!?\n:\"“" and not before.endswith(("-", "•")):
            yield Span(match.start(), match.end(), "NAME")


def find_spelled_ids(text: str) -> Iterator[Span]:
    """Issue 18, pass 23: ids read out a character at a time, ungated."""
    return live.find_spelled_ids(text, gated=False)


#: Detectors that need no identity, in no particular order (priority is KINDS').
DETECTORS: tuple[Callable[[str], Iterable[Span]], ...] = (
    find_emails, find_ibans, find_cards, find_ips, find_secrets, find_ssns, find_dobs, find_phones, find_addresses,
    find_names, live.find_spoken_phones, find_spelled_ids,
)
#: The detectors whose every pattern needs a digit (IBAN, card, IP, phone, address) cannot find
#: anything in a text without one, so such a text skips them: the same findings in about 40 % less
#: time for the many comments with no number in them (bench/RESULTS.md, exports).
ANY_DIGIT = re.compile(r"\d")
WITHOUT_DIGITS: tuple[Callable[[str], Iterable[Span]], ...] = (find_emails, find_secrets, find_names,
                                                                live.find_spoken_phones,
                                                                find_dobs,  # pass 22: dates said in words, ungated
                                                                find_addresses,  # pass 23: cued, digit-free addresses
                                                                find_spelled_ids)  # pass 23, ungated
