"""PII redaction: personal data becomes a typed placeholder before any text leaves the database.

Patterns plus checksums plus context, our own, with two well-kept libraries where patterns fall
short (docs/exports.md has the measurements): Faker's first-name and surname lists
(`name_gazetteer`) for names outside the positions a pattern knows, and pyap2's grammars for US,
UK and Canadian street addresses, asked only about postcodes our own patterns left. Both ship their
data in the wheel: nothing is downloaded at run time. scrubadub (last release 2023) pulls in
scikit-learn, TextBlob and Faker; Presidio's pattern recognizers run without a model but found less
than this module on our corpus and pull in spaCy; datafog has no Luhn, IBAN or IPv6 checks and ships
telemetry; names-dataset needs 3.2 GB of memory; gender-guesser is GPL. Measured on
`tests/fixtures/pii_corpus.jsonl` (see `pii_report`).

Errors are biased one way on purpose: a false positive costs a word of training text, a false
negative leaks a customer's data into a file that gets copied around. Numbers are confirmed by
their own checksums (Luhn for cards, mod-97 for IBANs, `ipaddress` for IPs) so order numbers,
dates and version strings survive; names are the requester's own (as the helpdesk knows them),
names in unambiguous positions (greetings, titles, sign-offs, "my name is") and listed first names
where an ordinary word or a place of the same spelling cannot be meant, and the names the cue
families of `name_cues` find (relations, roles, form fields, quoted headers, closings in many
languages; surname-first names), each grown over the name parts beside it and spread over the text.
"""

from __future__ import annotations

import datetime
import ipaddress
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import pyap  # pyap2: US, Canadian, UK street addresses (docs/exports.md)

from feedbackloop.core.name_cues import east_asian, find_cued_names, spread, without_script_suffixes
from feedbackloop.core.name_gazetteer import LATIN_CAPITALS, find_listed_names, gazetteer, strip_marks
from feedbackloop.core.name_model import find_model_names, languages
from feedbackloop.core.name_stops import person_span
from feedbackloop.core.pii_accounts import find_bank_accounts
from feedbackloop.core.pii_address import (
    before_phone_label,
    find_address_blocks,
    not_personal,
    spoken_house_place,
    spoken_unit_before,
    union,
    with_digital_codes,
    with_trailing_landmark,
)
from feedbackloop.core.pii_firms import (
    FIRM_ACCOUNT_BEFORE,
    FOOTER_REGISTRY,
    OWN_WORDS,
    firm_account,
    firm_footer,
    firm_named_account,
    firm_number,
)
from feedbackloop.core.pii_ids import (
    ASKING,
    DIGIT_WORDS,
    PHONE_IN_GAP,
    SINGLE_LETTER,
    bare_id_valid,
    find_national_ids,
    line_before,
    spelled_ids,
)
from feedbackloop.core.pii_ids_americas import (
    BIRTHDAY_OFFER,
    EVENT_YEARS,
    OFFER_AFTER_BIRTHDAY,
    OTHER_EVENT,
    find_regional_dobs,
    find_regional_ids,
    firms_number_shape,
)
from feedbackloop.core.pii_refs import (
    CORRECTION_MARKS,
    CORRECTION_WORDS,
    MOBILE_WALLET,
    PHONE_JOINED,
    WALLET_NAMED,
    names_a_reference,
)
from feedbackloop.core.pii_rules import find_more_names, grown_addresses
from feedbackloop.core.pii_spoken_dates import full_year, spoken_dates, spoken_year

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


#: The characters other than a letter's two cases that re.IGNORECASE lets match it (sre's simple
#: lower case and its extra equivalences): dotted and dotless i, long s. Kelvin K lowers to k.
CASE_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


@lru_cache(maxsize=4)  # the detectors of one text each ask for it: fold once
def fold(text: str) -> str:
    """`text` lower-cased so that a word re.IGNORECASE would find in it is a plain substring.

    The detectors' cheap gates look for their keywords in this with `in` (a memchr scan) rather
    than with an IGNORECASE pattern, which sre tries at every position of the text.
    """
    return text.lower() if text.isascii() else text.translate(CASE_FOLD).lower()


#: One character for one (a span found in the result fits the text it came from): the decimal digits of every
#: script in the Basic Multilingual Plane (Arabic-Indic "٠١٠٩…", Persian, Devanagari, Bengali, Thai, full-width
#: "０９０"…) as ASCII digits; the spaces typesetting and word processors put inside numbers (no-break, narrow
#: no-break, figure, thin; not the ideographic space, which Japanese writes between a surname and a name) as a
#: space; non-breaking and other hyphens, the minus sign and the full-width hyphen as "-"; full-width "+", "(", ")", "." and "/" as themselves (issue 18, nineteenth pass:
#: "٠١٠٩٨٧٢٣٤١٥", "０９０－１２３４－５６７８", "06 12 34 56 78" with no-break spaces were no phones).
LOOKALIKES: dict[int, str] = {
    **{code: str(value) for code in range(0x0660, 0x10000)
       if (value := unicodedata.decimal(chr(code), None)) is not None},
    **dict.fromkeys(map(ord, "\u00a0\u2007\u2009\u202f"), " "),
    **dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2212\ufe63\uff0d"), "-"),
    **{ord(wide): plain for wide, plain in zip("＋（）．／＠", "+()./@")},  # (pass 23: "＠", a Japanese or Korean email's)
}


#: Issue 18, twentieth pass: Japanese input methods type a dash between digits as the katakana long-vowel mark
#: ("０８０ー１２３４ー５６７８"); only there is it a dash (in "サーバー" it lengthens a vowel). Pass 24: word processors
#: and phones' keyboards turn a typed hyphen into an en or em dash, a horizontal bar or a small em dash ("0412–345 678",
#: "521—88—3047"); between two digits each is the hyphen of a number (a range "10–12" reads as "10-12" does). Each
#: mark first, then its digits around it: sre scans for the marks' set, not at every position. (Pass 25: one with a
#: space each side between two digits too, "073 – 991 22 40", as a spaced hyphen is.)
DIGITS_DASH = re.compile(r"[\u30fc\u2013\u2014\u2015\ufe58](?:(?<=\d.)(?=\d)|(?<=\d .)(?= \d))")


def plain_digits(text: str) -> str:
    """`text` with LOOKALIKES replaced and a dash between two digits as "-": of the same length, each character
    where it was."""
    if text.isascii():
        return text
    return DIGITS_DASH.sub("-", text.translate(LOOKALIKES))


def has_any(folded: str, words: Sequence[str]) -> bool:
    """Whether one of `words` (lower case) occurs in a `fold`ed text."""
    for word in words:
        if word in folded:
            return True
    return False


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
    """Non-overlapping findings in text order; on overlap the higher-priority kind wins.

    The detectors read `plain_digits(text)`: the same text, character for character, with every script's
    digits as ASCII digits and the odd spaces and hyphens of numbers as plain ones; the spans fit both."""
    text = plain_digits(text)
    detectors = DETECTORS if ANY_DIGIT.search(text) else WITHOUT_DIGITS
    found = without_firm_accounts(text, [span for detect in detectors for span in detect(text)])
    if identity is not None:
        found.extend(find_identity(text, identity))
    return with_titles(text, resolve_overlaps(trimmed_addresses(text, found)))


def without_firm_accounts(text: str, found: list[Span]) -> list[Span]:
    """Pass 27: `found` without a firm's own bank account (`pii_firms.firm_account`: "please pay to our account: Acme
    Ltd, sort code …"), which authors keep, nor any other kind's finding inside it (its digits as a card's); pass 28:
    nor a number on a firm's invoice foot or letterhead line (`pii_firms.firm_footer`), nor an account named a
    firm's by the words right around it or paid into (`pii_firms.firm_named_account`)."""
    accounts, footers = FIRM_ACCOUNT_BEFORE.search(text) is not None, FOOTER_REGISTRY.search(text) is not None
    feet = [span for span in found if footers and span.kind in FOOTER_KINDS and firm_footer(text, span.start, span.kind)]
    firms = [span for span in found if span.kind == "IBAN" and ((accounts and firm_account(text, span.start))
                                                                 or span in feet or firm_named_account(text, span.start, span.end))]
    return [span for span in found if span not in feet
            and not any(firm.start <= span.start and span.end <= firm.end for firm in firms)]


#: Pass 28, after the measurement: the kinds a firm's invoice foot or letterhead line holds as its own (`firm_footer`:
#: its phones, its bank account, its register number read as an id or a card's digits).
FOOTER_KINDS = frozenset({"PHONE", "IBAN", "SSN", "CARD"})


#: What parts a number of another kind from an address block that took it in ("170589-518N, Hämeenkatu 10 …").
ADDRESS_PARTING = re.compile(r"[ \t]*[,;][ \t]*")
#: The kinds an address block may swallow at its head or tail and lose to (the number is kept, the address trimmed).
TRIMMED_BY = frozenset({"EMAIL", "IBAN", "CARD", "SSN", "DOB", "PHONE"})


#: Issue 18, pass 23: what may stand between an address block's last comma and the number that ends it: nothing, or
#: that number's short label ("…, 80-827 Gdańsk, NIP 584-123-45-67", "…, Tel: 0722 …").
NUMBER_LABEL = re.compile(r"[ \t]*(?:[^\W\d_]{1,10}\.?[ \t]*[:#]?[ \t]*)?")


def trimmed_addresses(text: str, found: list[Span]) -> list[Span]:
    """Pass 21: an address whose block begins or ends with another kind's number, parted from the rest by a comma
    or semicolon, without that number: else the address overlaps the higher-priority number and is lost whole."""
    others = [span for span in found if span.kind in TRIMMED_BY]
    if not others or not any(span.kind == "ADDRESS" for span in found):
        return found
    result = []
    for span in found:
        if span.kind == "ADDRESS":
            start, end = span.start, span.end
            for other in sorted(others, key=lambda o: o.start):
                if other.start <= start < other.end < end:
                    parting = ADDRESS_PARTING.match(text, other.end)
                    if parting is not None:
                        start = parting.end()
                elif start < other.start < end <= other.end:
                    before = text.rfind(",", start, other.start), text.rfind(";", start, other.start)
                    cut = max(before)
                    if cut > start and NUMBER_LABEL.fullmatch(text, cut + 1, other.start):
                        end = cut
            if (start, end) != (span.start, span.end) and start < end and any(c.isdigit() for c in text[start:end]):
                span = Span(start, end, "ADDRESS")
        result.append(span)
    return result


def with_titles(text: str, spans: list[Span]) -> list[Span]:
    """Each name with the titles right before it (`TITLE_BEFORE`), where no other finding holds them."""
    for index, span in enumerate(spans):
        if span.kind == "NAME":
            start = with_title(text, span.start)
            if start < span.start and (index == 0 or spans[index - 1].end <= start):
                spans[index] = Span(start, span.end, "NAME")
    return spans


def resolve_overlaps(spans: Iterable[Span]) -> list[Span]:
    """Keep, kind by kind in priority order and longest first, the spans that overlap none kept."""
    spans = list(spans)
    if len(spans) == 1:
        return spans if spans[0].end > spans[0].start else []
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (KINDS.index(s.kind), s.start - s.end, s.start)):
        if span.end > span.start and not any(span.start < k.end and k.start < span.end for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


# --- emails ----------------------------------------------------------------------------------------

EMAIL = re.compile(
    r"(?<![\w.+%-])[\w+%-][\w.+'%-]*(?:@|%40)(?:[\w-]+\.)+([^\W\d_]{2,24})(?![\w-])", re.IGNORECASE)
#: "ann [at] example [dot] com", "ann(at)example(dot)com": people write these to dodge scrapers.
#: (Pass 24: and its local part's dots bracketed too, "priya (dot) nair (at) yahoo (dot) co (dot) in".)
EMAIL_SPELLED = re.compile(
    r"(?<![\w.])[\w.+-]+(?:\s*[\[(]\s*dot\s*[\])]\s*[\w.+-]+)*\s*[\[(]\s*at\s*[\])]\s*[\w-]+"
    r"(?:\s*(?:[\[(]\s*dot\s*[\])]|\.)\s*[\w-]+)+", re.IGNORECASE)
#: "john at example dot com", "maria dot lopez at gmail dot com": spelled out with no brackets; only
#: with a usual top-level domain at the end, so "meet at noon dot" is not taken for one.
EMAIL_SPELLED_PLAIN = re.compile(
    r"(?<![\w.@])[^\W\d_][\w.+-]*(?:\s+dot\s+[\w-]+)*\s+at\s+[\w-]+(?:\s+dot\s+[\w-]+)*\s+dot\s+"
    r"(?:com|org|net|edu|gov|io|co|uk|de|fr|es|it|nl|info|biz|me|us|ca|au|ch|at|be|ie|pt|se|dk|no|fi|pl)\b",
    re.IGNORECASE)
#: Issue 18, eighth pass: the same in other languages' words, bracketed or not: "fede(arroba)hotmail(punto)com",
#: "youssef.benali (at) orange (point) fr", "jan małpa wp kropka pl". Looked for in the `fold`ed text.
SPELLED_AT = (r"(?:"
              # pass 25: the sign named ("marta dot kowalska at sign onet dot pl", India's "at the rate")
              r"at[ -]sign|at[ -]symbol|at the rate(?: of)?|"
              r"at|arroba|arobase|chez|bei|presso|chiocciola|małpa|malpa|kukac|snabel-a|ät|apenstaartje|"
              r"klammeraffe|zavináč|arond|"
              # pass 22: Czech and Slovak typed without accents, Slovenian "afna", Russian and Ukrainian "собака"
              r"zavinac|afna|sobaka|собака|"
              # pass 23: Lithuanian "eta", Greek "παπάκι", Hebrew "שטרודל", Japanese "アットマーク", Korean "골뱅이"
              r"eta|παπάκι|παπακι|שטרודל|アットマーク|골뱅이)")
#: (seventeenth pass: Indonesian and Malay "titik", Romanian "punct", Vietnamese "chấm"; Romanian "arond")
#: (pass 22: Czech without accents, Slovak "bodka", Slovenian "pika", Russian and Ukrainian "точка")
#: (pass 25: Danish and Norwegian "punktum")
SPELLED_DOT = (r"(?:dot|punto|point|punktum|punkt|ponto|kropka|pont|nokta|piste|prikk|tečka|punt|titik|punct|chấm|cham|"
               r"tecka|bodka|pika|tochka|точка|крапка|"
               # pass 23: Lithuanian, Greek, Hebrew, Arabic, Japanese, Korean
               r"taškas|taskas|τελεία|τελεια|נקודה|نقطة|ドット|닷)")
#: The top-level domains a spelled-out address ends with (pass 22: and Central and Eastern Europe's).
SPELLED_TLD = (r"(?:com|org|net|edu|gov|io|co|uk|de|fr|es|it|nl|info|biz|me|us|ca|au|ch|at|be|ie|pt|se|dk|no|fi|pl|ar|"
               r"br|mx|cl|co|pe|tr|gr|hu|cz|ro|jp|kr|cn|in|za|ng|ke|ae|sk|si|hr|rs|ba|bg|ru|ua|by|lt|lv|ee|eu|md|mk|"
               r"al|kz|"
               # pass 23: more of Asia's, the Middle East's and the Pacific's (not "my", "is", "id": a sentence's
               # next word after "gmail.com. My …")
               r"tw|hk|sg|ph|vn|th|il|eg|ir|pk|nz|lu|cy|np|bd|lk|qa|kw|cat)")
#: Issue 18, sixteenth pass: the joins a local part is spelled with ("f punkt schubert minus 77 at posteo punkt de").
#: (Pass 25: and a "+tag" said out, "tomas dot nowak plus allegro at o2 dot pl".)
SPELLED_JOIN = (r"(?:plus|minus|bindestrich|unterstrich|strich|underscore|dash|hyphen|gui[oó]n(?: bajo)?|"
                r"trattino(?: basso)?|tiret(?: bas)?)")
#: Pass 24: a second-level domain spelled out before a country's ("dot co dot id", "dot com dot my"), whose codes
#: SPELLED_TLD leaves out alone ("id", "my", "is" are words).
SPELLED_SECOND_LEVEL = (rf"\s+{SPELLED_DOT}\s+(?:co|com|ac|or|net|gov|edu|go|ne|org)\s+{SPELLED_DOT}\s+"
                        r"(?:id|my|is|in|jp|kr|th|vn|uk|nz|za|au|sg|ph|tw|hk|br|ar|mx|tr|il|pk|bd|np|lk)\b")
#: (Pass 24, after its measurement: and a number said apart at the end of the local part, "d underscore okafor 77 at
#: yahoo dot co dot uk": the number alone before "at" was taken, not the name before it.)
#: (Pass 26: and in braces or angle brackets, "luis.mora{arroba}gmail{punto}com".)
#: Pass 27: a number said in words at the end of the local part, in the languages whose words spell the "at" and the
#: dots ("joao ponto silva dois mil arroba gmail ponto com", "carlos tres cuatro arroba …", "lisa punkt mueller drei
#: at gmx punkt de", "noventa e dois", "deux mille"): the digit words, the teens and tens, hundreds and thousands.
EMAIL_NUMBER_WORD = (
    r"(?:zero|zéro|cero|null|nul|um|uma|un|uno|una|one|eins|ein|dois|duas|dos|deux|two|due|zwei|zwo|twee|tres|três|"
    r"trois|three|tre|drei|drie|quatro|cuatro|quatre|four|quattro|vier|cinco|cinq|five|cinque|fünf|fuenf|vijf|seis|"
    r"six|sei|sechs|zes|sete|siete|sept|seven|sette|sieben|zeven|oito|ocho|huit|eight|otto|acht|nove|nueve|neuf|nine|"
    r"neun|negen|dez|diez|dix|ten|dieci|zehn|tien|onze|once|eleven|elf|doze|doce|douze|twelve|zwölf|treze|trece|"
    r"treize|catorze|catorce|quatorze|quinze|quince|seize|dezesseis|dezasseis|dezessete|dezassete|dezoito|dezenove|"
    r"dezanove|dieci\w+|dix-\w+|(?:venti|trenta|quaranta|cinquanta|sessanta|settanta|ottanta|novanta)"
    r"(?:due|tre|tré|quattro|cinque|sei|sette|nove)|[a-z]+teen|[a-zä]+zehn|vinte|veinte|veinti\w+|vingt|twenty|"
    r"venti|trinta|treinta|"
    r"trente|thirty|trenta|quarenta|cuarenta|quarante|forty|quaranta|cinquenta|cincuenta|cinquante|fifty|cinquanta|"
    r"sessenta|sesenta|soixante|sixty|sessanta|setenta|seventy|settanta|oitenta|ochenta|eighty|ottanta|noventa|"
    r"ninety|novanta|(?:vent|trent|quarant|cinquant|sessant|settant|ottant|novant)(?:uno|otto)|[a-zäöü]+zig|"
    r"[a-zäöü]+ßig|[a-zë]+tig|cem|cien|ciento|cento|cent|hundred|hundert|mil|mille|thousand|tausend|"
    # Polish, whose "małpa" and "kropka" spell the rest
    r"jeden|dwa|trzy|cztery|pięć|piec|sześć|szesc|siedem|osiem|dziewięć|dziewiec)")
#: A run of them, "e", "y", "et", "und", "and" between two, or a hyphen ("twenty-one", "ventitré" is one word).
EMAIL_NUMBER_RUN = (rf"(?:\s+{EMAIL_NUMBER_WORD}(?:-{EMAIL_NUMBER_WORD})?(?:\s+(?:(?:e|y|et|und|and)\s+)?"
                    rf"{EMAIL_NUMBER_WORD}(?:-{EMAIL_NUMBER_WORD})?){{0,5}}(?![\w-]))")
#: Pass 27: a surname's particle after a spelled dot, one word with the surname ("jan punkt de vries at web dot de").
EMAIL_PARTICLE = r"(?:de|da|do|dos|das|del|della|di|du|des|van|von|der|den|ter|ten|le|la|al|el)"
#: (Pass 27: a local part that opens with a number's, an "at"'s or a dot's word is a time or an amount: "at ten thirty
#: at web dot de offices", "twenty dot ninety nine at shop dot com".)
EMAIL_SPELLED_WORDS = re.compile(
    rf"(?<![\w.])(?!(?:{SPELLED_AT}|{SPELLED_DOT}|{EMAIL_NUMBER_WORD})(?:-[\w]+)?\s)"
    rf"[\w.+-]+(?:\s+(?:{SPELLED_DOT}|{SPELLED_JOIN})\s+(?:{EMAIL_PARTICLE}\s+)?[\w+-]+){{0,4}}"
    rf"(?:\s+\d{{1,4}}|{EMAIL_NUMBER_RUN})?"
    rf"(?:\s*[\[({{<]\s*{SPELLED_AT}\s*[\])}}>]\s*|\s+(?:{SPELLED_AT}|(?P<et>et))\s+)[\w-]+"
    rf"(?:{SPELLED_SECOND_LEVEL}|\s*[\[({{<]\s*{SPELLED_DOT}\s*[\])}}>]\s*[\w-]+|\s+{SPELLED_DOT}\s+{SPELLED_TLD}\b)+")
SPELLED_AT_WORDS = ("at", "arroba", "arobase", "chez", "bei", "presso", "chiocciola", "małpa", "malpa", "kukac",
                    "snabel", "ät", "apenstaartje", "klammeraffe", "zavináč", "arond", "zavinac", "afna", "sobaka",
                    "собака", "eta", "et", "παπάκι", "παπακι", "שטרודל", "アットマーク", "골뱅이")
SPELLED_DOT_WORDS = ("dot", "punto", "point", "punkt", "punktum", "ponto", "kropka", "pont", "nokta", "piste", "prikk", "tečka",
                     "punt", "titik", "punct", "chấm", "cham", "tecka", "bodka", "pika", "tochka", "точка", "крапка",
                     "taškas", "taskas", "τελεία", "τελεια", "נקודה", "نقطة", "ドット", "닷")
#: Pass 22: a spelled-out "at" before a domain typed with its dots ("jan.novak zavináč seznam.cz", "petra.horvat at
#: gmail.com"), looked for from the word in the `fold`ed text, the local part then read backwards from it. After a
#: bare "at" only a local part of two words joined by a dot or underscore, or of letters and digits ("jsmith88"),
#: counts: "docs at docs.python.org", "v2.0 at github.com" are no address.
AT_DOMAIN = re.compile(rf"(?:\s*[\[(]\s*(?P<bracketed>{SPELLED_AT})\s*[\])]\s*|\s+(?P<word>{SPELLED_AT})\s+)"
                       rf"[\w-]+(?:\.[\w-]+)*\.{SPELLED_TLD}(?![\w-])(?!\.\w)")
SPELLED_LOCAL = re.compile(r"(?<![\w.@+-])[\w.+-]{1,64}\Z")
PLAIN_AT_LOCAL = re.compile(r"[^\W\d_][\w+-]*[._][^\W\d_][\w+-]+(?:[._][\w+-]+)*|[^\W\d_]{2,}\d+")
#: Pass 22: an address typed with spaces around its "@" or dots ("jan . novak @ gmail . com", "jan.novak @ seznam.cz"),
#: to dodge scrapers or by a phone's keyboard; only with a top-level domain at the end.
EMAIL_SPACED = re.compile(rf"(?<![\w.@+-])[\w+-]+(?:[ ]?\.[ ]?[\w+-]+)*[ ]{{0,2}}@[ ]{{0,2}}[\w-]+(?:[ ]?\.[ ]?[\w-]+)*"
                          rf"[ ]?\.[ ]?{SPELLED_TLD}(?![\w@-])(?![ ]?\.[ ]?\w)", re.IGNORECASE)


def spelled_at_domains(text: str, folded: str) -> Iterator[Span]:
    """Addresses with a spelled-out "at" before a dotted domain (AT_DOMAIN); `folded` is `text` `fold`ed."""
    if len(folded) != len(text):
        return
    for match in AT_DOMAIN.finditer(folded):
        local = SPELLED_LOCAL.search(folded, max(0, match.start() - 64), match.start())
        if local is None or (match.group("word") in ("at", "eta") and not PLAIN_AT_LOCAL.fullmatch(local.group())
                             and not mailbox_named(folded, local.start(), match.end())):
            continue
        yield Span(local.start(), match.end(), "EMAIL")


#: Pass 24: a word for an e-mail address, in many languages and scripts, or a webmail's domain: a bare "at" between a
#: plain word and a dotted domain then spells an address ("my email is john at example.com", "john at gmail.com").
MAILBOX_WORD = re.compile(r"e-?mail|mail|correo|courriel|adresse|posta|eposta|poczt|почт|メール|邮箱|郵箱|邮件|이메일|"
                          r"อีเมล|surel|emel")
WEBMAIL_AFTER_AT = re.compile(r"\s+\S+\s+(?P<domain>[\w-]+)\.")


def mailbox_named(folded: str, start: int, end: int) -> bool:
    """Whether the spelled address at start:end is at a webmail's domain or comes after a word for an e-mail
    address within 40 characters on its line."""
    domain = WEBMAIL_AFTER_AT.match(folded, folded.find(" ", start, end))
    if domain is not None and domain.group("domain") in WEBMAIL:
        return True
    line_start = folded.rfind("\n", 0, start) + 1
    return MAILBOX_WORD.search(folded, max(line_start, start - 40), start) is not None


def spaced_emails(text: str) -> Iterator[Span]:
    """Addresses with a space beside their "@" (EMAIL_SPACED), or (pass 23) before a dot of their domain
    ("john.doe@gmail .com"; not after one: "…@qq.com. MY REAL ONE" ends a sentence); those without are EMAIL's."""
    for match in EMAIL_SPACED.finditer(text):
        local, _, domain = match.group().partition("@")
        if (local.endswith(" ") or domain.startswith(" ") or " ." in domain) and len(local.strip()) >= 3 and \
                not NO_LETTER.fullmatch(local):
            yield Span(match.start(), match.end(), "EMAIL")


#: Pass 23: "€1.299 @ MediaMarkt . de" is a price at a shop: a local part has a letter.
NO_LETTER = re.compile(r"[\W\d_]*")
#: Pass 23: an address "defanged" as security notices and wary people write links, its "@" and dots in brackets of any
#: kind ("john[at]example[.]com", "jane.doe[@]gmail[.]com", "jane.doe@gmail[.]com" (pass 26), "jane{at}gmail{dot}com",
#: "jane <at> gmail <dot> com"),
#: and Finnish and Estonian "(a)" ("matti.virtanen(a)yritys.fi"), with a top-level domain at its end.
DEFANGED_AT = r"[\[({<]\s*(?:at|@|(?P<a>a)|eta|ät)\s*[\])}>]"
DEFANGED_DOT = r"(?:\s*[\[({<]\s*(?:dot|\.|punkt|point|punto)\s*[\])}>]\s*|\.)"
EMAIL_DEFANGED = re.compile(rf"(?<![\w.])[^\W\d_][\w.+-]*\s*(?:{DEFANGED_AT}|@)\s*[\w-]+(?:{DEFANGED_DOT}[\w-]+)*"
                            rf"{DEFANGED_DOT}{SPELLED_TLD}(?![\w-])", re.IGNORECASE)
#: Pass 23: a comma typed for the dot before the top-level domain ("ahmet.yilmaz@gmail,com").
EMAIL_COMMA = re.compile(rf"(?<![\w.+%-])[\w+%-][\w.+'%-]*@(?:[\w-]+\.)*[\w-]+,[ ]?(?:com|net|org)(?:[.,](?:{SPELLED_TLD}))?"
                         rf"(?![\w-])", re.IGNORECASE)
#: Pass 23: Chinese text writes "#" for the "@" of a webmail address, to dodge scrapers ("zhangwei#163.com（#换成@）").
EMAIL_HASH = re.compile(r"(?<![\w.+-])[\w.+-]{2,64}#(?:163|126|yeah|qq|foxmail|sina|sohu|139|189|aliyun|gmail|"
                        r"hotmail|outlook|yahoo)\.(?:com|cn|net)(?:\.cn)?(?![\w-])", re.IGNORECASE)


def disguised_emails(text: str) -> Iterator[Span]:
    """Addresses defanged in brackets, with a comma for a dot, or with "#" for "@" (EMAIL_DEFANGED, EMAIL_COMMA,
    EMAIL_HASH)."""
    if any(bracket in text for bracket in "[({<"):
        for match in EMAIL_DEFANGED.finditer(text):
            local = text[match.start():match.start("a")].rstrip(" \t[({<") if match.group("a") else ""
            if not any(bracket in match.group() for bracket in "[({<"):
                continue  # (pass 26: a plain "@" with a bracketed dot, "kemal.oz@gmail[.]com"; one without is EMAIL's)
            if not local or PLAIN_AT_LOCAL.fullmatch(local):  # "item (a) section.com" is a list's item
                yield Span(match.start(), match.end(), "EMAIL")
    if "@" in text and "," in text:
        yield from (Span(match.start(), match.end(), "EMAIL") for match in EMAIL_COMMA.finditer(text))
    if "#" in text and CHINESE_MOBILE_HINT.search(text):  # (the Chinese convention, in Chinese text)
        yield from (Span(match.start(), match.end(), "EMAIL") for match in EMAIL_HASH.finditer(text))
#: Pass 24: an address read out letter by letter, as callers spell it and transcripts write it ("j-o-h-n at g mail
#: dot com", "p e t e r at g m x dot d e", "a.n.n.a @ web dot de"), or typed with "@" and a spelled dot
#: ("john@example dot com"). A run of three or more single letters or digits apart by a space, a hyphen or a dot
#: spells one label; the webmail names split in two ("g mail", "hot mail") and spelled top-level domains ("c o m")
#: are read joined. Looked for in the `fold`ed text.
SPELLED_LETTERS = r"[^\W_](?:[ .-][^\W_]){2,}(?![\w])"
SPELLED_LABEL = rf"(?:{SPELLED_LETTERS}|[\w+-]+)"
LETTER_EMAIL = re.compile(
    rf"(?<![\w.@+-]){SPELLED_LABEL}(?:(?:\s+(?:{SPELLED_DOT}|{SPELLED_JOIN})\s+|[._])(?:{SPELLED_LETTERS}|[\w+-]+))*"
    rf"(?P<at>,?\s+{SPELLED_AT}\s+|\s*@\s*|\s*[\[(]\s*{SPELLED_AT}\s*[\])]\s*)"
    rf"(?P<domain>{SPELLED_LETTERS}|[\w-]+(?:[ ][\w-]+)?)"
    rf"(?P<rest>(?:(?:\s+{SPELLED_DOT}\s+|\s*[\[(]\s*{SPELLED_DOT}\s*[\])]\s*|[ ]?\.[ ]?)"
    rf"(?:[^\W_](?:[ -][^\W_]){{1,2}}|[\w-]+)(?![\w-])){{1,3}})")
#: (Pass 25: a comma before its "at", where a caller pauses: "R O S A M, at outlook dot com".)
#: Its cheap gate: three single letters or digits apart by a space or hyphen, or "@" beside a spelled dot.
LETTER_RUN = re.compile(r"(?<!\w)[^\W_][ .-][^\W_][ .-][^\W_](?!\w)")
SPELLED_SEPARATORS = re.compile(r"[ .-]")
TOP_LEVEL_DOMAIN = re.compile(rf"{SPELLED_TLD}")
LABEL_AFTER_DOT = re.compile(rf"(?:\s+{SPELLED_DOT}\s+|\s*[\[(]\s*{SPELLED_DOT}\s*[\])]\s*|[ ]?\.[ ]?)")


def letter_spelled_emails(text: str, folded: str, gated: bool = True) -> Iterator[Span]:
    """Addresses read out letter by letter (LETTER_EMAIL) or typed with "@" and a spelled dot; `folded` is `text`
    `fold`ed. A domain of two words counts only when joined it is a webmail's ("g mail"), and the last label must
    be a top-level domain, joined ("d e") or not."""
    if len(folded) != len(text) or (gated and LETTER_RUN.search(folded) is None and not (
            "@" in folded and has_any(folded, SPELLED_DOT_WORDS))):
        return
    for match in LETTER_EMAIL.finditer(folded):
        domain = match.group("domain")
        spelled = LETTER_RUN.search(folded, match.start(), match.end()) is not None
        if not spelled and ("@" not in match.group("at") or "." in match.group("rest").split()[0]):
            continue  # (plain and spelled-word addresses are the other patterns')
        if " " in domain and not LETTER_RUN.fullmatch(domain) and domain.replace(" ", "") not in WEBMAIL:
            continue
        last = LABEL_AFTER_DOT.split(match.group("rest"))[-1]
        if TOP_LEVEL_DOMAIN.fullmatch(SPELLED_SEPARATORS.sub("", last)):
            yield Span(match.start(), match.end(), "EMAIL")


#: Pass 24: an address broken across a line by a mail client's or a form's wrapping, at its "@" or a dot of its domain,
#: or hyphenated inside a label ("alex.smith@exam-\nple.com", "alex.smith@\nexample.com", "…@example.\ncom"), a
#: quoted reply's "> " after the break.
WRAP = r"[ \t]*\n[ \t>]*"
EMAIL_WRAPPED = re.compile(rf"(?<![\w.+%-])[\w+%-][\w.+'%-]*(?:{WRAP}@|@(?:[\w-]+\.)*(?:[\w-]+-?|[\w-]+\.)?{WRAP})"
                           r"\.?[\w-]+(?:\.[\w-]+)*(?![\w-])")  # (pass 25: and before a dot, "…@web\n.de")
WRAP_GAP = re.compile(WRAP)


#: Pass 27: an address broken inside its local part, after a dot, an underscore or a hyphen ("peter.\nnovak@gmail.com");
#: after a dot only where a word for an e-mail address comes before it on its line (else "… to me.\njohn@x.com" is a
#: sentence's end).
EMAIL_WRAPPED_LOCAL = re.compile(rf"(?<![\w.+%-])[\w+%-][\w.+'%-]*(?P<break>[._-]){WRAP}[\w+%-][\w.+'%-]*@"
                                 r"(?:[\w-]+\.)+[\w-]+(?![\w-])")


def wrapped_emails(text: str) -> Iterator[Span]:
    """Addresses broken across lines (EMAIL_WRAPPED, EMAIL_WRAPPED_LOCAL) that are whole addresses once joined."""
    for match in EMAIL_WRAPPED_LOCAL.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        if match.group("break") != "." or MAILBOX_WORD.search(text.lower(), line_start, match.start()):
            yield from whole_when_joined(match)
    for match in EMAIL_WRAPPED.finditer(text):
        yield from whole_when_joined(match)


def whole_when_joined(match: re.Match[str]) -> Iterator[Span]:
    """The wrapped address `match` found, if it is a whole address with a top-level domain once joined."""
    joined = WRAP_GAP.sub("", match.group())
    domain = joined.partition("@")[2]
    if "." in domain and TOP_LEVEL_DOMAIN.fullmatch(domain.rpartition(".")[2].lower()) and \
            EMAIL.fullmatch(joined.replace("-@", "@")):
        yield Span(match.start(), match.end(), "EMAIL")


#: Pass 24: an address shortened to its webmail's name, the top-level domain left out ("john.smith [at] gmail",
#: "lee_88 at hotmail"): after a bare "at" only a local part PLAIN_AT_LOCAL allows ("I'm at gmail" is none).
WEBMAIL_NAMES = ("gmail", "googlemail", "hotmail", "yahoo", "outlook", "icloud", "protonmail", "yandex", "naver")
WEBMAIL_SHORT = re.compile(rf"(?<![\w.@+-])(?P<local>[\w.+-]+)(?:\s*[\[(]\s*{SPELLED_AT}\s*[\])]\s*|\s+(?P<word>{SPELLED_AT})\s+)"
                           rf"(?:{'|'.join(WEBMAIL_NAMES)})(?![\w@-])(?!\s*(?:[\[(]\s*)?(?:\.|{SPELLED_DOT}\b))")


def webmail_shorthands(text: str, folded: str) -> Iterator[Span]:
    """Addresses written as a local part and a webmail's name (WEBMAIL_SHORT); `folded` is `text` `fold`ed."""
    if len(folded) != len(text) or not has_any(folded, WEBMAIL_NAMES):
        return
    for match in WEBMAIL_SHORT.finditer(folded):
        if match.group("word") is None or PLAIN_AT_LOCAL.fullmatch(match.group("local")):
            yield Span(match.start(), match.end(), "EMAIL")


#: "logo@2x.png" is a retina image, not a mailbox.
FILE_SUFFIXES = frozenset({"png", "jpg", "jpeg", "gif", "svg", "webp", "css", "js", "ico"})
#: Issue 18, sixteenth pass: an Indian UPI id (a virtual payment address, "pooja.verma94@okaxis", "9958127403@paytm")
#: is an account's address like an email's, with a payment app's or bank's handle for its domain and no top-level
#: domain. The handles are a short list the NPCI publishes; the usual ones are here.
UPI_HANDLES = ("okaxis", "oksbi", "okhdfcbank", "okicici", "paytm", "ptyes", "ptaxis", "pthdfc", "ptsbi", "ybl", "ibl",
               "axl", "upi", "apl", "yapl", "rapl", "axisbank", "axisb", "icici", "sbi", "hdfcbank", "kotak", "kmbl",
               "idfcbank", "idfcfirst", "indus", "pnb", "barodampay", "cnrb", "unionbank", "uboi", "federal", "fbl",
               "aubank", "rbl", "yesbank", "ikwik", "freecharge", "airtel", "jio", "waaxis", "wahdfcbank", "wasbi",
               "waicici", "jupiteraxis", "naviaxis", "superyes", "amazonpay", "abfspay", "postbank", "dbs", "hsbc",
               "citi", "kvb", "kbl", "idbi", "timecosmos")
#: Looked for from the "@" (a literal sre finds fast), the local part then read backwards from it.
UPI_HANDLE = re.compile(rf"@(?:{'|'.join(UPI_HANDLES)})(?![\w@-])(?!\.\w)", re.IGNORECASE)
UPI_LOCAL = re.compile(r"(?<![\w.+%-])[\w.-]{2,64}\Z")
#: Issue 18, sixteenth pass: a firm's role address ("support@", "billing@", "kundenservice@", "service-client@")
#: names a desk, not a person, and is no personal data: left in the text. Only when the whole local part (its
#: "-", "_" and "." dropped) is such a word, and not at a webmail provider, where "hello@gmail.com" is somebody's
#: own. "finance" is not among them: a held-out part labels "finance@vanoord-logistics.nl" an email.
ROLE_LOCAL_PARTS = frozenset(("support", "help", "helpdesk", "servicedesk", "info", "information", "contact",
    "contactus", "hello", "team", "admin", "administrator", "accounts", "accounting", "billing", "invoice",
    "invoices", "invoicing", "payments", "orders", "order", "sales", "service", "services", "customerservice",
    "customerservices", "customercare", "customersupport", "clientservices", "care", "noreply", "donotreply",
    "notifications", "notification", "alerts", "newsletter", "news", "marketing", "press", "media", "jobs", "careers",
    "recruiting", "recruitment", "legal", "privacy", "dpo", "gdpr", "compliance", "security", "abuse", "postmaster",
    "webmaster", "hostmaster", "mailerdaemon", "office", "reception", "frontdesk", "enquiries", "enquiry",
    "inquiries", "inquiry", "feedback", "complaints", "claims", "returns", "refunds", "bookings", "booking",
    "reservations", "shipping", "delivery", "dispatch", "warehouse", "logistics", "installs", "installations",
    "techsupport", "businesssupport", "itsupport", "operations", "devops", "accommodation", "admissions", "registrar",
    "baggage", "membership", "subscriptions", "tickets", "events", "partners", "procurement", "purchasing",
    "wholesale", "hotline", "soporte", "ayuda", "atencionalcliente", "ventas", "pedidos", "facturacion", "reservas",
    "reclamaciones", "contacto", "informacion", "administracion", "secretaria", "devoluciones", "envios", "apoio",
    "suporte", "atendimento", "contato", "vendas", "faturamento", "encomendas", "sac", "supporto", "assistenza",
    "assistenzaclienti", "servizioclienti", "ordini", "vendite", "amministrazione", "fatturazione", "prenotazioni",
    "segreteria", "informazioni", "serviceclient", "serviceclients", "sinistres", "commandes", "facturation",
    "accueil", "comptabilite", "assistance", "sav", "retours", "kundenservice", "kundendienst", "kontakt",
    "bestellung", "bestellungen", "rechnung", "buchhaltung", "verwaltung", "anfragen", "reklamation", "buchung",
    "empfang", "vertrieb", "klantenservice", "klantendienst", "bestellingen", "facturen", "administratie",
    "kundservice", "kundeservice", "kundesenter", "kundtjänst", "asiakaspalvelu", "tilaukset", "laskutus", "obsluga",
    "obslugaklienta", "biuro", "pomoc", "zamowienia", "faktury", "reklamacje", "podpora", "objednavky", "fakturace",
    # pass 28 (must-keep): a firm's payroll, payables, operations, members', leasing, fraud, warehouse, notification,
    # claims and reservation desks in more languages ("payroll@", "destek@" (Turkish support), "beheer@" (Dutch
    # administration), "indemnisation@", "rezervari@", "reklamace@", "biznes@", "almacen@", "notificaciones@"; not
    # two letters, "hr@", "ap@", which are a person's initials as often)
    "payroll", "ops", "members", "leasing", "lettings", "rentals", "post", "mailroom", "fraud",
    "fraude", "kyc", "desk", "preauth", "preauthorisation", "preauthorization", "contactcentre", "contactcenter",
    "callcentre", "callcenter", "business", "corporate", "collections", "treasury", "notificaciones", "notificacoes",
    "avisos", "nominas", "nomina", "rrhh", "recursoshumanos", "cobranza", "cobranzas", "pagos",
    "almacen", "bodega", "sinistre", "indemnisation", "indemnisations", "reclamations", "paie", "lohn",
    "personalabteilung", "mitgliederservice", "beheer", "verhuur", "fraudeteam", "destek", "musterihizmetleri",
    "rezervasyon", "rezervari", "rezervace", "reklamace", "reklamacia", "reklamacio", "biznes", "faktura", "fakturor",
    "ugyfelszolgalat", "asiakastuki", "kundsupport", "zakaznickapodpora", "postmottak", "firmapost", "regnskap",
    "lonn"))
#: Pass 28: the parts of a desk's compound address that qualify the desk ("cards.support@", "kyc.desk@", "members-
#: services@"), with the role words above; an address all of whose dotted, dashed or underscored parts are among them
#: is a desk's too, when one part is such a qualifier (not "info.maria@", whose second part is a person's; the corpus
#: labels a desk of two role words, "support-help@", an address).
ROLE_QUALIFIERS = frozenset(("cards", "card", "kyc", "customer", "customers", "client", "clients", "member", "accounts",
    "account", "tech", "it", "web", "online", "retail", "corporate", "business", "claims", "group", "global", "uk", "us",
    "eu", "de", "fr", "es", "nl", "pl", "main", "central", "head", "general", "no", "do", "not", "reply",
    "auto", "mail", "email", "e"))
WEBMAIL = frozenset(("gmail", "googlemail", "yahoo", "ymail", "rocketmail", "hotmail", "outlook", "live", "msn",
    "icloud", "me", "mac", "aol", "gmx", "web", "mail", "yandex", "proton", "protonmail", "pm", "zoho", "fastmail",
    "posteo", "libero", "virgilio", "orange", "free", "wanadoo", "laposte", "sfr", "t-online", "freenet",
    "btinternet", "sky", "qq", "163", "126", "naver", "daum", "rediffmail", "seznam", "wp", "o2", "onet", "interia"))


def role_address(address: str) -> bool:
    """Whether `address` is a firm's desk ("support@acme.io"), not a person's mailbox."""
    local, _, domain = address.lower().replace("%40", "@").partition("@")
    if domain.split(".")[0] in WEBMAIL:
        return False
    if local.replace("-", "").replace("_", "").replace(".", "") in ROLE_LOCAL_PARTS:
        return True
    parts = LOCAL_PARTING.split(local)  # pass 28: "cards.support@", "kyc.desk@", "members-services@"
    return len(parts) > 1 and any(part in ROLE_LOCAL_PARTS for part in parts) and \
        any(part in ROLE_QUALIFIERS for part in parts) and \
        all(part in ROLE_LOCAL_PARTS or part in ROLE_QUALIFIERS for part in parts)


#: What joins the parts of an address's local part.
LOCAL_PARTING = re.compile(r"[._-]")


def find_upi_ids(text: str) -> Iterator[Span]:
    for handle in UPI_HANDLE.finditer(text):
        local = UPI_LOCAL.search(text, max(0, handle.start() - 64), handle.start())
        if local is not None:
            yield Span(local.start(), handle.end(), "EMAIL")


def find_emails(text: str) -> Iterator[Span]:
    if "@" in text or "%40" in text:  # every EMAIL match holds one
        for match in EMAIL.finditer(text):
            if match.group(1).lower() not in FILE_SUFFIXES and not role_address(match.group()):
                yield Span(match.start(), match.end(), "EMAIL")
        yield from find_upi_ids(text)
        if "\n" in text:
            yield from wrapped_emails(text)
        if " @" in text or "@ " in text or " ." in text:  # every spaced_emails finding holds one of these
            yield from spaced_emails(text)
    if "[" in text or "(" in text:  # every EMAIL_SPELLED match holds "[at]" or "(at)"
        for match in EMAIL_SPELLED.finditer(text):
            yield Span(match.start(), match.end(), "EMAIL")
    folded = fold(text)
    if "dot" in folded and "at" in folded:  # every EMAIL_SPELLED_PLAIN match holds both words
        for match in EMAIL_SPELLED_PLAIN.finditer(text):
            yield Span(match.start(), match.end(), "EMAIL")
    if has_any(folded, SPELLED_DOT_WORDS) and has_any(folded, SPELLED_AT_WORDS) and len(folded) == len(text):
        for match in EMAIL_SPELLED_WORDS.finditer(folded):  # (the words in any case)
            if match.group("et") is None or PLAIN_AT_LOCAL.fullmatch(folded, match.start(), match.start("et") - 1):
                yield Span(match.start(), match.end(), "EMAIL")  # (pass 23: Turkish "et", French "and": an address's local part)
    if "." in text and has_any(folded, SPELLED_AT_WORDS):  # pass 22: every AT_DOMAIN match holds both
        yield from spelled_at_domains(text, folded)
    yield from disguised_emails(text)
    yield from letter_spelled_emails(text, folded)
    yield from webmail_shorthands(text, folded)


# --- payment cards ---------------------------------------------------------------------------------

#: 13–19 digits, single spaces or dashes between any of them (4-4-4-4, Amex 4-6-5, none).
#: Also dots or two spaces between groups, and right after "no." (issue 18: such cards leaked).
CARD_CANDIDATE = re.compile(r"(?<![\d,/+-])(?<![A-Z])(?<!\d\.)\d(?:(?:[ .-]| {2})?\d){12,30}(?!\d)(?![.,]\d)")
CARD_FIRST_DIGITS = frozenset("23456")  # Mastercard 2-series, Amex/Diners/JCB, Visa, MC, Discover/Maestro
#: Pass 25: Turkey's domestic scheme, Troy, whose cards open with 9792 ("kartımdan (9792 6842 3169 5051)").
TROY = "9792"


#: A Luhn digit doubled, its two digits added (2 × 7 = 14 → 5).
LUHN_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum every payment card number carries."""
    backwards = digits[::-1]
    total = sum(map(int, backwards[0::2])) + sum(LUHN_DOUBLED[int(char)] for char in backwards[1::2])
    return total % 10 == 0


def is_card_number(digits: str) -> bool:
    """13–19 digits with a card-issuer first digit and a valid Luhn checksum. (Issue 18, sixteenth pass: a
    2 starts only Mastercard's 2221–2720, and only Visa has 13 digits: "2025031899201" is a year and a serial.)"""
    if not (13 <= len(digits) <= 19 and (digits[0] in CARD_FIRST_DIGITS or digits.startswith(TROY)) and
            luhn_valid(digits)):
        return False
    if digits[0] == "2" and not 2221 <= int(digits[:4]) <= 2720:
        return False
    if digits[0] == "3" and not three_series(digits):
        return False  # (seventeenth pass: a Chinese id's first 17 digits are no card)
    return len(digits) != 13 or digits[0] == "4"


def three_series(digits: str) -> bool:
    """Amex 34/37 (15 digits), Diners 30/36/38/39 (14 to 19), JCB 3528-3589 (16 to 19)."""
    if digits[:2] in ("34", "37"):
        return len(digits) == 15
    if digits[:2] in ("30", "36", "38", "39"):
        return 14 <= len(digits) <= 19
    return 3528 <= int(digits[:4]) <= 3589 and len(digits) >= 16


#: A device's IMEI and a parcel's tracking number carry Luhn digits too.
#: (Issue 18, nineteenth pass: and the Philippines' PhilSys card number, sixteen digits 4-4-4-4.)
NOT_CARD_BEFORE = re.compile(r"(?:\b(?:imei|serial|s/n|tracking|meid|parcel|paczka|inpost|sendung\w*|colis|consignment|"
                             r"waybill|awb|shipment|philsys(?: card)?|philid|pcn\)?|psn|"
                             # pass 22: an order's, an invoice's, a ticket's or a case's number that passes Luhn
                             r"order|invoice|ticket|case|rma|"
                             # (after pass 26's measurement) a payment's own reference ("Transaction ID 5010…")
                             r"transaction(?:[ -]?id)?|txn(?:[ -]?id)?|trx(?:[ -]?id)?|utr|rrn|"
                             # pass 24: a product's barcode (EAN-13 and JAN, UPC, GTIN-14), which a Luhn digit
                             # may happen to fit, in the languages of East and South-East Asia too (their words
                             # glued to the text before them)
                             r"jan(?=[ -]?code|\s*[:：])|ean|upc|gtin|isbn|sku|barcode|bar code|mã vạch|ma vach|"
                             r"kode batang|kod bar)(?:[ -]?code)?|"
                             # pass 25: an order's or an invoice's word in other languages, and their compounds, before
                             # a number sign or none ("Pedido nº 4111 …", "Bestellnummer:", "Rendelésszám", "注文番号")
                             r"\b(?:pedido|commande|bestell|auftrag|bestelling|ordine|encomenda|zam[óo]wieni|objedn[áa]v|"
                             r"rendel[ée]s|tilaus|beställning|sipari[şs]|заказ|замовлен|factura|facture|rechnung|fattura|"
                             r"factuur|fatura|faktur|nota fiscal|order)\w*|(?:注文|订单|訂單|주문)\w*|"
                             # pass 25: a shop's gift card, a loyalty or transit card: numbered like a payment card,
                             # paying with nobody's account ("gift card 6035 7743 …", "ov-chipkaart 3528 …")
                             r"\b(?:gift ?card|loyalty card|rewards? card|member(?:ship)? card|club ?card|advantage card|"
                             r"\w*chipkaart|cadeaukaart|geschenkkarte|gutscheinkarte|kundenkarte|bonuskarte|"
                             r"carte cadeau|carte de fidélité|tarjeta regalo|tarjeta de fidelidad|cartão presente)"
                             r"(?:\s+(?:number|no\.?|nr\.?|nummer)?\s*(?:is|was|ist|est|es|:))?|"
                             r"バーコード|JANコード|商品コード|条形码|条码|條碼|바코드|บาร์โค้ด)"
                             r"(?:[ -]?13|[ -]?14)?\s*(?:#|no\.?|num(?:ber)?|n[º°]\.?|nr\.?|№|número|numéro|nummer)?\s*[:#：]?\s*$",
                             re.IGNORECASE)


NOT_CARD_WORDS = ("imei", "serial", "s/n", "tracking", "meid", "parcel", "paczka", "inpost", "sendung", "colis",
                  "consignment", "waybill", "awb", "shipment", "philsys", "philid", "pcn", "psn", "order", "invoice",
                  "ticket", "case", "rma", "transaction", "txn", "trx", "utr", "rrn", "pedido", "commande", "bestell", "auftrag", "bestelling", "ordine",
                  "encomenda", "zamówieni", "zamowieni", "objednáv", "objednav", "rendelés", "rendeles", "tilaus",
                  "beställning", "sipariş", "siparis", "заказ", "замовлен", "factura", "facture", "rechnung", "fattura",
                  "factuur", "fatura", "faktur", "nota fiscal", "注文", "订单", "訂單", "주문", "gift", "loyalty",
                  "reward", "member", "club", "advantage", "chipkaart", "cadeaukaart", "geschenkkarte",
                  "gutscheinkarte", "kundenkarte", "bonuskarte", "cadeau", "fidélité", "regalo", "fidelidad",
                  "presente", "jan", "ean", "upc", "gtin", "isbn", "sku", "barcode", "bar code", "コード",
                  "条形码", "条码", "條碼", "바코드", "บาร์โค้ด", "mã vạch", "ma vach", "kode batang", "kod bar")


def not_a_card_before(before: str) -> bool:
    """NOT_CARD_BEFORE on the text before a number; only a text with one of its words can match."""
    return has_any(fold(before), NOT_CARD_WORDS) and NOT_CARD_BEFORE.search(before) is not None


def find_cards(text: str) -> Iterator[Span]:
    """Cards, also when written next to other digit groups ("4111 1111 1111 1111 12/27")."""
    for match in CARD_CANDIDATE.finditer(text):
        if not_a_card_before(text[max(0, match.start() - 20):match.start()]):
            continue
        groups = [(g.start() + match.start(), g.end() + match.start()) for g in re.finditer(r"\d+", match.group())]
        best = longest_card_run(text, groups) or cued_card(text, groups)
        if best is not None and not barcode_length(text, *best):
            yield Span(best[0], best[1], "CARD")
    if CARD_ODD_GAP.search(text):
        yield from loose_cards(text)
    for match in GLUED_CARD.finditer(text):
        if is_card_number(match.group(1)):
            yield Span(match.start(1), match.end(1), "CARD")


def barcode_length(text: str, start: int, end: int) -> bool:
    """Pass 24: whether text[start:end] has thirteen digits and no card word before it. Thirteen digits are an
    EAN-13 or JAN barcode's length, and 4 opens those of Germany and Japan (40-49): a thirteen-digit Visa, long out
    of issue, is one only after a word for a card."""
    return sum(char.isdigit() for char in text[start:end]) == 13 and \
        CARD_CUE.search(text, max(0, start - 80), start) is None


#: Issue 18, pass 21: a card's digits glued to a card word in capitals ("VISA4539…", "CC#4539…"), which
#: CARD_CANDIDATE leaves (an all-capitals code glued to digits is usually a reference).
GLUED_CARD = re.compile(r"(?<![^\W\d_])(?:VISA|CARD|CC|AMEX|MC|MASTERCARD|DEBIT|CREDIT)[#:]?(\d{13,19})(?!\d)")


#: Issue 18, pass 21: a card's groups apart by what CARD_CANDIDATE does not take: a line break (and a quoted reply's
#: "> " after it), a slash, an underscore, a comma (a transcript's "4539, 1488, …"), a dash with spaces, an en or em
#: dash, a bullet; (pass 25) a star ("4539*1488*0343*7512"), a bullet operator.
LOOSE_CARD_GAP = r"(?:[ \t]*[-/_–—•·∙|.,*]?[ \t]*\n[ \t>]*|[ \t]*[/_–—•·∙|,*][ \t]*|[ \t]+[-.][ \t]*|[ \t]*[-.][ \t]+)"
LOOSE_CARD = re.compile(rf"(?<![\w.,/+-])(?:\d{{4}}(?:{LOOSE_CARD_GAP}|[ .-])\d{{4,6}}(?:(?:{LOOSE_CARD_GAP}|[ .-])\d{{3,5}}){{1,2}}|"
                        rf"\d{{8}}(?:{LOOSE_CARD_GAP}|[ .-])\d{{8}})"  # pass 25: two halves, "47617390\n01010044"
                        r"(?![\w])(?![.,/-]?\d)")
#: Its cheap gate: one of those gaps between two digits.
CARD_ODD_GAP = re.compile(rf"\d{LOOSE_CARD_GAP}\d")


def loose_cards(text: str) -> Iterator[Span]:
    """Numbers grouped as cards are (4-4-4-4, 4-6-5, 4-6-4) across LOOSE_CARD_GAP's gaps: cards when their Luhn digit
    is right, or after a card word (`cued_card`)."""
    for match in LOOSE_CARD.finditer(text):
        if not_a_card_before(text[max(0, match.start() - 20):match.start()]):
            continue
        groups = [(g.start() + match.start(), g.end() + match.start()) for g in re.finditer(r"\d+", match.group())]
        sizes = tuple(end - start for start, end in groups)
        digits = "".join(text[start:end] for start, end in groups)
        if sizes in CARD_SHAPES[:3] and is_card_number(digits):
            yield Span(match.start(), match.end(), "CARD")
        elif (best := cued_card(text, groups)) is not None:
            yield Span(best[0], best[1], "CARD")


#: Words for a payment card in the corpus's languages ("Kortet som ble belastet:", "nomor kartunya").
CARD_CUE = re.compile(r"(?:card|visa|master ?card|amex|american express|\bcc\b|karte|tarjeta|carte|carta|cart[aã]o|"
                      r"s[ốo] th[ẻe]\b|th[ẻe] t[íi]n d[ụu]ng|บัตร|"
                      r"kartu|kart[ıi]|kaart|\bkort|karta|kartou|kártya|картк|карт|卡|"
                      # pass 24: Japanese, Korean, Malay ("カード番号", "카드번호", "nombor kad")
                      r"カード|카드|\bkad\b)", re.IGNORECASE)
#: How a card number is grouped when it is written out: 4-4-4-4, Amex 4-6-5, Diners 4-6-4; and 4-4-4-3, a
#: 4-4-4-4 card typed with a digit left out, after a card word (issue 18, sixteenth pass).
CARD_SHAPES = ((4, 4, 4, 4), (4, 6, 5), (4, 6, 4), (4, 4, 4, 3),  # 4-4-4-3: a digit left out (sixteenth pass)
               (8, 8))  # pass 25: sixteen digits in two halves, as a form's two boxes or two lines hold them


#: How near a card's label must stand before sixteen digits typed as one run, for them to be a card with a wrong
#: Luhn digit: the label and its number word or sign ("Kartennummer:", "card no: ", "卡号").
GLUED_CUE_REACH = 16


def cued_card(text: str, groups: Sequence[tuple[int, int]]) -> tuple[int, int] | None:
    """Issue 18, twelfth pass: a number grouped as cards are written, with a card issuer's first digit,
    after a word for a card within 80 characters, is a card even when its Luhn digit is wrong (a
    mistyped or made-up number is still one the customer meant as theirs: four of ten blind cards)."""
    sizes = tuple(end - start for start, end in groups)
    for shape in CARD_SHAPES:
        for first in range(len(sizes) - len(shape) + 1):
            if sizes[first:first + len(shape)] == shape and text[groups[first][0]] in CARD_FIRST_DIGITS:
                start, end = groups[first][0], groups[first + len(shape) - 1][1]
                # 4-4-4-4, the commonest card shape, in a text that speaks of a card anywhere (issue 18, thirteenth
                # pass: "the full number shows on my statement 4929 …"); the other shapes after a card word
                if CARD_CUE.search(text, max(0, start - 80), start) or (shape == (4, 4, 4, 4) and CARD_CUE.search(text)):
                    return start, end
    if sizes == (16,) and text[groups[0][0]] in CARD_FIRST_DIGITS and \
            CARD_CUE.search(text, max(0, groups[0][0] - GLUED_CUE_REACH), groups[0][0]):
        return groups[0]  # pass 24: sixteen digits in one run right after a card's label ("Kartennr.4929…", "卡号6222…")
    return None


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
            if (is_card_number(digits) and card_grouping(groups[first:last + 1])
                    and (best is None or end - start > best[1] - best[0])):
                best = (start, end)
    return best


def card_grouping(groups: Sequence[tuple[int, int]]) -> bool:
    """Whether digit groups are grouped as cards are: one group, or a first group of 4 (4-4-4-4, Amex
    4-6-5), or groups of one size up to 4. "123-4567890-1234567" is an order number's grouping."""
    sizes = [end - start for start, end in groups]
    # (issue 18, after the seventeenth pass: groups of 2 and 3 in a mix, "1 67 05 75 114 089 40", are a French
    # social security number's; a card's groups are all one size but the last)
    return len(sizes) == 1 or sizes[0] == 4 or (max(sizes) <= 4 and len(set(sizes[:-1])) <= 1)


# --- IBANs -----------------------------------------------------------------------------------------

#: IBAN length per country (SWIFT IBAN registry).
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27,
    "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25,
    "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18,
    "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33,
    "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
    # issue 18, seventeenth pass: the IBAN-form account numbers of countries outside SWIFT's registry that
    # banks print and customers quote (Morocco, West and Central Africa, Algeria, Iran), mod-97 checked the same
    "MA": 28, "DZ": 26, "AO": 25, "BJ": 28, "BF": 28, "CM": 27, "CV": 25, "CF": 27, "TD": 27, "KM": 27, "CG": 27,
    "CI": 28, "GQ": 27, "GA": 27, "GW": 25, "MG": 27, "ML": 28, "MZ": 25, "NE": 28, "SN": 28, "TG": 28, "IR": 26,
}
IBAN_START = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{2})\d{2}(?=[ -]?[A-Za-z0-9])")


#: Each letter as its IBAN number (A = 10 … Z = 35), either case; digits stay themselves.
IBAN_NUMBERS = str.maketrans({**{chr(ord("A") + i): str(10 + i) for i in range(26)},
                              **{chr(ord("a") + i): str(10 + i) for i in range(26)}})


def iban_valid(iban: str) -> bool:
    """The ISO 13616 mod-97 check: country and check digits moved to the end, as a number, ≡ 1."""
    rearranged = iban[4:] + iban[:4]
    if not (rearranged.isascii() and rearranged.isalnum()):
        return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1  # as int() reads anything else
    return int(rearranged.translate(IBAN_NUMBERS)) % 97 == 1


IBAN_COMPACT = re.compile(r"[A-Za-z]{2}\d{2}[A-Za-z0-9]{8,32}(?![A-Za-z0-9])")


def find_ibans(text: str) -> Iterator[Span]:
    """IBANs written compact or in groups; the country's length says where one ends."""
    for match in IBAN_START.finditer(text):
        length = IBAN_LENGTHS.get(match.group(1).upper())
        if length is None:
            continue
        end = grouped_iban_end(text, match.start(), length)
        if end is not None:
            yield Span(match.start(), end, "IBAN")
            continue
        # issue 18, sixteenth pass: written compact with a character too few or too many for its country
        # ("CH76 0900 0003 0485 1276" has 20 of 21), yet its check digits hold: the customer's account
        compact = IBAN_COMPACT.match(text, match.start())
        if compact and abs(len(compact.group()) - length) <= 2 and iban_valid(compact.group().upper()):
            yield Span(compact.start(), compact.end(), "IBAN")
    yield from loose_ibans(text)
    yield from polish_account_numbers(text)
    folded = fold(text)
    if "iban" in folded:
        yield from ibans_after_word(text)
    if has_any(folded, ACCOUNT_WORDS):
        yield from ibans_after_account_word(text)
    for start, end in find_bank_accounts(text, folded):  # pass 25: CLABE, CBU, sort code and account, …
        yield Span(start, end, "IBAN")


def grouped_iban_end(text: str, start: int, length: int) -> int | None:
    """Where an IBAN of its country's `length` starting at `start` ends, its check digits right; (pass 25) or of one
    character more or less, a typo in its groups that its check digits still hold ("CH57 0023 5123 A456 7890 B1")."""
    for size in (length, length + 1, length - 1):
        end = read_iban_chars(text, start, size)
        if end is not None and iban_valid(re.sub(r"[ -]", "", text[start:end]).upper()):
            return end
    return None


#: Issue 18, eighth pass: an IBAN-shaped string right after the word "IBAN" is one even when its check
#: digits fail or its length is off by a typo ("IBAN: DE18 5001 0517 5423 8190 6300"): it is still
#: the customer's account.
IBAN_AFTER_WORD = re.compile(r"\bIBAN\b[ \t]*(?::|is|es|ist|est|è|=)?[ \t]*(?P<iban>[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){3,7}"
                             r"(?:[ ]?[A-Z0-9]{1,3})?)(?![\w])", re.IGNORECASE)


#: Issue 18, sixteenth pass: an IBAN of its country's exact length right after a word for a bank account
#: ("na conta PT50 0035 …", "van rekening NL20 INGB …") is the customer's even when a typo broke its check digits.
ACCOUNT_WORDS = ("conta", "compte", "rekening", "konto", "cuenta", "conto", "account", "rachun", "účet", "ucet", "tili")
IBAN_AFTER_ACCOUNT = re.compile(r"(?i:\b(?:conta|compte|rekening|konto|cuenta|conto|account|rachunek|rachunku|účet|ucet|"
                                r"tili|tilille|tililtä)\b)[ \t]*(?::|n[º°o]\.?|nr\.?|number)?[ \t]*"
                                r"(?P<iban>[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?)(?![\w])")


def ibans_after_account_word(text: str) -> Iterator[Span]:
    for match in IBAN_AFTER_ACCOUNT.finditer(text):
        iban = match.group("iban")
        if len(iban.replace(" ", "")) == IBAN_LENGTHS.get(iban[:2]):
            yield Span(match.start("iban"), match.end("iban"), "IBAN")


#: Pass 27: an IBAN glued to the word ("IBANCH9300762011623852957", "ibanAE07…"): where its country's length ends a
#: valid IBAN.
IBAN_GLUED = re.compile(r"(?i:iban)(?P<country>[A-Za-z]{2})\d{2}")


def ibans_after_word(text: str) -> Iterator[Span]:
    for glued in IBAN_GLUED.finditer(text):
        length = IBAN_LENGTHS.get(glued.group("country").upper())
        end = grouped_iban_end(text, glued.start("country"), length) if length else None
        if end is not None:
            yield Span(glued.start("country"), end, "IBAN")
    for match in IBAN_AFTER_WORD.finditer(text):
        # pass 26: a lower-case IBAN's groups run on into the next word ("iban sa03…7519 please"): where its
        # country's length ends a valid IBAN, it ends
        length = IBAN_LENGTHS.get(match.group("iban")[:2].upper())
        valid_end = grouped_iban_end(text, match.start("iban"), length) if length else None
        yield Span(match.start("iban"), min(match.end("iban"), valid_end or match.end("iban")), "IBAN")


#: Issue 18, twentieth pass: an IBAN written with a space or a dot after its country ("DE 89 3704 …"), dots between its
#: groups ("DE89.3704.0044…") or two characters between them ("NL91  ABNA  0417…"): the same mod-97 check, no group but
#: the bank's code (right after the check digits: "GB82 WEST …") all letters.
#: Pass 24: and a tab, a slash or a line break between groups ("DE89\t3704\t…" pasted from a spreadsheet,
#: "FR76/3000/…", an IBAN wrapped at the end of a line): still the country's exact length and the mod-97 check.
IBAN_LOOSE_START = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{2})[ .]?\d{2}(?=[ .\t/\r\n-]{0,2}[A-Za-z0-9])")
IBAN_SEPARATORS = " .-\t/\r\n"
#: What the loose reading adds to `find_ibans`' own: a dot, a tab, a slash, a line break, or two separators.
IBAN_ODD_GAP = re.compile(r"[A-Za-z0-9](?:[.\t/\n]|[ .\t/\r\n-]{2})[A-Za-z0-9]")


def loose_ibans(text: str) -> Iterator[Span]:
    for match in IBAN_LOOSE_START.finditer(text):
        length = IBAN_LENGTHS.get(match.group(1).upper())
        if length is None or (match.end() - match.start() == 4
                              and IBAN_ODD_GAP.search(text, match.end() - 1, match.end() + 48) is None):
            continue  # (the country and its check digits together, no odd gap: find_ibans' own reading)
        groups = read_loose_iban(text, match.start(), length)
        if groups is None:
            continue
        end, compact, words = groups
        if not words and iban_valid(compact.upper()):
            yield Span(match.start(), end, "IBAN")


#: Pass 24: a Polish account number as Poles write it, without its country (the NRB: "61 1090 1014 0000 0712 1981
#: 2874", 26 digits, grouped 2 + 6 × 4 or compact): the IBAN's check digits are its first two, so "PL" before it
#: passes the same mod-97 check (one random number in 97 would). (After pass 26's measurement, not blind: grouped in
#: fours from its first digit too, "6510 2010 2600 0018 0201 2345 67", as a bank's app copies it.)
POLISH_ACCOUNT = re.compile(r"(?<![\w.,/-])(?:\d{2}(?:(?: \d{4}){6}|\d{24})|\d{4}(?: \d{4}){5} \d{2})(?![\w]|[.,/-]\d)")


def polish_account_numbers(text: str) -> Iterator[Span]:
    for match in POLISH_ACCOUNT.finditer(text):
        if iban_valid("PL" + match.group().replace(" ", "")):
            yield Span(match.start(), match.end(), "IBAN")


def read_loose_iban(text: str, start: int, length: int) -> tuple[int, str, bool] | None:
    """(end, the characters, whether a group after the bank's code is all letters) of `length` alphanumerics from
    `start`, one or two separators between groups, if they end there."""
    chars: list[str] = []
    group = ""
    words = False
    pos = start
    while pos < len(text) and len(chars) < length:
        char = text[pos]
        if char.isascii() and char.isalnum():
            chars.append(char)
            group += char
            pos += 1
            continue
        gap = 1 + (pos + 1 < len(text) and text[pos + 1] in IBAN_SEPARATORS)
        if char not in IBAN_SEPARATORS or not chars or pos + gap >= len(text) or not text[pos + gap].isalnum():
            break
        words = words or (group.isalpha() and len(group) > 2 and len(chars) - len(group) > 4)
        group = ""
        pos += gap
    words = words or (group.isalpha() and len(group) > 2)
    if len(chars) != length or (pos < len(text) and text[pos].isalnum()):
        return None
    return pos, "".join(chars), words


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
#: pass: an update, and the word for a version in other languages: "Softwareupdate 5.12.0.48", "versão", "バージョン".)
VERSION_BEFORE = re.compile(
    r"(?:\bv|\bversion|\bver\.?|\bbuild|\brelease|\bfirmware|\bfw|\bsdk|\bsection|\bclause|\bchapter|§|update|"
    r"\bupgrade|\bpatch|\bversie|\bversão|\bversao|\bversión|\bversione|\bwersj[ai]|\bverze|\bverzió|\bversio|"
    r"\bsürüm|\bsurum|phiên bản|バージョン|版本|버전|верси[яи]|версі[яї]|έκδοση|\baktualizacj\w*|\bmise à jour|"
    r"\bactualización|\batualização|\baggiornamento|"
    # pass 25: the verb's forms and "to" ("updated to 10.4.3.2", "downgraded to", "rolled back to"), a version word with
    # "is" ("the firmware version is 1.168.0.12"), a room's number ("room 10.1.2.3")
    r"(?:\bup|\bdown)grad(?:e|ed|ing)\s+to|\bupdat(?:e|ed|es|ing)\s+to|\brolled\s+back\s+to|\bversion\s+(?:is|was)|"
    r"\broom|\braum|\bsalle)\s*[:#]?\s*$",
    re.IGNORECASE)
#: Pass 25: a second version after one ("v2.0.0.1 and 3.10.2.255", "3.12.4 → 3.13.0.1"): a version, then "and", "or", a
#: comma, an arrow or "to" right before the number.
VERSION_LISTED = re.compile(r"(?:\bv\d+|(?<![\d.])\d+\.\d+\.\d+)(?:\.\d+)*\s*(?:,|and|or|to|->|→|=>|/)\s*$", re.IGNORECASE)
#: Pass 25: a network written with its prefix length, its host part zero ("10.20.30.0/24", "192.0.2.0/24"): a range of
#: hosts, nobody's address.
NETWORK_AFTER = re.compile(r"/\d{1,2}(?!\d)")
#: A digit, a dot, a digit: inside every IPV4 match, and far cheaper to look for.
IPV4_HINT = re.compile(r"\d\.\d")


def find_ips(text: str) -> Iterator[Span]:
    if IPV4_HINT.search(text):
        yield from find_ipv4s(text)
    if text.count(":") >= 2:  # every IPV6 match holds two colons or more
        yield from find_ipv6s(text)


def find_ipv4s(text: str) -> Iterator[Span]:
    for match in IPV4.finditer(text):
        if VERSION_BEFORE.search(text[max(0, match.start() - 20):match.start()]):
            continue
        if version_listed(text, match.start()) or network_range(text, match):
            continue
        if ipv4_valid(match.group()):
            yield Span(match.start(), match.end(), "IP")


def version_listed(text: str, start: int) -> bool:
    """Whether the number at `start` follows a version in a list (VERSION_LISTED) that is one: "v"-prefixed, of three
    parts, or itself after a version word."""
    listed = VERSION_LISTED.search(text, max(0, start - 40), start)
    if listed is None:
        return False
    first = listed.group()
    return first[:1] in "vV" or first.count(".") == 2 or \
        VERSION_BEFORE.search(text, max(0, listed.start() - 20), listed.start()) is not None


def network_range(text: str, match: re.Match[str]) -> bool:
    """Whether an IPv4 match is a network's range: its last part 0 and a prefix length after it (NETWORK_AFTER)."""
    return match.group().endswith(".0") and NETWORK_AFTER.match(text, match.end()) is not None


def find_ipv6s(text: str) -> Iterator[Span]:
    for match in IPV6.finditer(text):
        candidate = match.group().split("%", 1)[0]
        if any(c.isdigit() for c in candidate) and _parses(candidate, ipaddress.IPv6Address):
            yield Span(match.start(), match.end(), "IP")


def ipv4_valid(candidate: str) -> bool:
    """What `ipaddress.IPv4Address` accepts, without building one (and its exception): four ASCII
    decimal octets of 1–3 digits, 0–255, no leading zero (tests/core/test_redact_differential.py)."""
    octets = candidate.split(".")
    if len(octets) != 4:
        return False
    for octet in octets:
        if not octet or not (octet.isascii() and octet.isdigit()) or len(octet) > 3:
            return False
        if (octet != "0" and octet[0] == "0") or int(octet) > 255:
            return False
    return True


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
#: Every SECRET_KEYWORD alternative holds one of these: a `fold`ed text without any skips SECRET.
SECRET_HINTS = ("code", "pass", "pwd", "otp", "pin", "cv", "api", "secret", "token")
#: A bare "code" is a secret only with a connector ("code is 4821") and not after these words. (Issue 18, the
#: must-keep pass: the connector is required, as said: "(code SORRY10AM)", "denial code CO-197" name a thing.)
PLAIN_CODE = re.compile(r"\b(\w+)?\s*\bcode\s*(?:is|was|:|=)\s*[\"'“]?([A-Za-z0-9-]{4,12})\b", re.IGNORECASE)
NOT_SECRET_CODES = frozenset({
    "error", "zip", "postal", "post", "area", "promo", "promotional", "discount", "coupon", "voucher", "gift",
    "source", "qr", "status", "country", "product", "tracking", "sort", "bank", "swift", "bic", "referral",
    "invite", "dress", "tax", "hs", "reason", "response", "exit", "fault", "colour", "color", "airport",
    "iata", "language", "currency", "region", "sale", "offer", "bar", "barcode", "sku", "item", "this",
    # issue 18, seventeenth pass: a personal code is an identity number ([SSN]), a booking code a booking's
    "personal", "booking", "reservation", "transaction", "confirmation", "reference", "order", "ticket",
    # issue 18, the must-keep pass: the codes of a return, an exam, a claim's denial, a billed procedure, a role,
    # a customer, a credit ("Return code: RTN-88213-Q", "Customer code: 80012277")
    "return", "returns", "rma", "exam", "course", "denial", "diagnosis", "billing", "billed", "procedure", "cpt",
    "icd", "role", "job", "customer", "client", "member", "credit", "refund", "goodwill", "shipping", "delivery",
    "short",  # issue 18, pass 20: a Saudi national address's "short code" ([ADDRESS])
    "melli",  # pass 21: Iran's "national code: 0012345678" is an identity number ([SSN])
    "id", "identity", "identification", "national",  # pass 21: "my Finnish ID code is 170589-518N" ([SSN])
    "locker", "pickup", "collection", "parcel",  # pass 26: a parcel locker's code opens a locker, once
})
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


#: Pass 26 (must-keep): a text about a payment ("Txn of INR 2,350.00", "amount debited", "paid … auth code 08812Z"),
#: or a service's own message quoted whole ("Do not share this code"): a one-time or authorisation code in it is
#: the payment's or the message's, spent by the time it is read, not a secret still to keep.
PAYMENT_TALK = re.compile(r"(?i:payment|paid|debit|charged|\btxn\b|transaction|refund|receipt|purchase|"
                          r"do not share|never ask|pago|pagamento|paiement|zahlung|płatno|ödeme)")
#: Pass 26: a parcel's collection: the PIN or code that opens a locker is the parcel's ("ready for collection at
#: POPStation … PIN: 884201"), the person's own PIN is not in such a text.
COLLECTION_TALK = re.compile(r"(?i:locker|parcel|collect|pick[ -]?up|paczkomat|popstation|packstation|abhol|retrait)")
#: Pass 26: a prepaid meter's token, twenty digits in fours ("Token 5719-2283-6640-1938-2217"): a purchase's
#: receipt, entered once into the meter.
METER_TOKEN = re.compile(r"\d{4}(?:[ -]?\d{4}){4}")


def find_secrets(text: str) -> Iterator[Span]:
    folded = fold(text)
    if has_any(folded, SECRET_HINTS):
        yield from find_keyword_secrets(text)
    if "code" in folded:  # every PLAIN_CODE match holds it
        yield from find_plain_codes(text)


def find_keyword_secrets(text: str) -> Iterator[Span]:
    spent: bool | None = None  # PAYMENT_TALK or COLLECTION_TALK, asked once and only after a keyword's match
    for match in SECRET.finditer(text):
        keyword, token = match.group(1).lower(), match.group(2).rstrip(".!?)]}>")
        if not token or not is_secret_token(keyword, token):
            continue
        if keyword == "token" and METER_TOKEN.fullmatch(token):
            continue
        if one_time_code(keyword) and runs_on_as_a_number(text, match.start(2), match.start(2) + len(token)):
            continue
        if one_time_code(keyword):
            if spent is None:
                spent = codes_spent(text)
            if spent:
                continue
        yield Span(match.start(2), match.start(2) + len(token), "SECRET")


#: Pass 27: the most digits a one-time code or a PIN has; digit groups after the first that make more are a number the
#: code goes to ("SĐT nhận OTP: 0971 602 358", "OTP mobile: 0412 558 903"), not the code.
MOST_CODE_DIGITS = 8
DIGIT_GROUPS_AFTER = re.compile(r"(?:[ .-]\d+)+")


def runs_on_as_a_number(text: str, start: int, end: int) -> bool:
    """Whether the digits at start:end run on in more groups to more digits than a code has (MOST_CODE_DIGITS)."""
    groups = DIGIT_GROUPS_AFTER.match(text, end)
    if groups is None or not text[start:end].isdigit():
        return False
    return end - start + sum(map(str.isdigit, groups.group())) > MOST_CODE_DIGITS


def one_time_code(keyword: str) -> bool:
    """Whether the keyword names a code sent for one use (an OTP, a verification or authorisation code, a pickup
    PIN), not a password, a card's CVV nor a security code on a card's back."""
    return keyword == "otp" or keyword.startswith("pin") or ("code" in keyword and not keyword.startswith("security"))


def find_plain_codes(text: str) -> Iterator[Span]:
    spent: bool | None = None
    for match in PLAIN_CODE.finditer(text):
        before, token = (match.group(1) or "").lower(), match.group(2)
        if before not in NOT_SECRET_CODES and any(c.isdigit() for c in token) and token.lower() not in NOT_SECRET_WORDS:
            if spent is None:
                spent = codes_spent(text)
            if not spent:
                yield Span(match.start(2), match.end(2), "SECRET")


def codes_spent(text: str) -> bool:
    """Whether the text is about a payment or a parcel's collection (PAYMENT_TALK, COLLECTION_TALK)."""
    return PAYMENT_TALK.search(text) is not None or COLLECTION_TALK.search(text) is not None


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
#: (Not right after another digit group: "MPRN 10 006 123 456" is one number, no "00 6…" phone inside it.)
#: (Issue 18, pass 21: the scripts written without spaces (Chinese, Japanese, Korean, Thai) may stand right before
#: a number, "她的号码是＋86 186-2107-3358", "來電（02）2712-3456": those letters count as a space there.)
GLUED_SCRIPTS = "\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7a3"
PHONE_INTL = re.compile(r"(?<![^\W" + GLUED_SCRIPTS + r"])(?<!\+)(?<![A-Za-z]-)(?<!\d[ .-])(?:\+|00)[1-9]\d{0,3}(?:[ .\-/]?\(?\d{1,8}\)?){1,6}(?![^\W" + GLUED_SCRIPTS + r"])")
#: "(415) 555-2671", "1-212-555-0198", "020 7946 0958", "06 12 34 56 78", "030/1234 5678".
#: Groups of up to 8 digits: German numbers are written "030 12345678", "0171 23456789".
#: A trunk prefix of one digit before the area code: "1-212-…" (North America), "8 912 …" (Russia, Lithuania,
#: Belarus, Kazakhstan), "0 (216) …" (Turkey) (issue 18, thirteenth pass); (pass 27) Mexico's long-distance "01"
#: before an area code in parentheses ("01 (33) 3615 8840"); (pass 28) the exchange's first digit apart after a trunk
#: 0's area code, as Germany and Argentina write it ("0351 4 12 34 56").
PHONE_NATIONAL = re.compile(r"(?<![^\W" + GLUED_SCRIPTS + r"])(?<![.+/-])(?:[018][ .-]|01[ ](?=\())?(?:\(\d{2,5}\)[ .\-/]?|\d{2,5}[ .\-/])"
                            r"(?:(?:(?<=\b0\d\d[ ])|(?<=\b0\d{3}[ ])|(?<=\b0\d{4}[ ]))\d[ ](?=\d\d[ ]\d))?\d{2,8}"
                            r"(?:[ .\-/]\d{2,8}){0,4}(?![^\W" + GLUED_SCRIPTS + r"])(?![.\-/:]\d)")
#: (Pass 21: a bracketed area code glued to the number, "(415)555-0147", Taiwan's and China's "(02)2712-3456",
#: "（010）6552-9988"; CJK and Thai letters may touch the number on either side.)
#: Compact digits count as a phone only right after a phone word ("call me on 07700900123").
PHONE_KEYWORD = re.compile(
    r"\b(?:phone|tel|telephone|mobile|cell|cellphone|call|text|whatsapp|sms|fax|my number|reach me|"
    # issue 18, sixteenth pass: "registered number change karo 9876012345", "callback no. 9123 8870"
    r"(?:registered|contact|new|alternate|alternative|bagong|callback) (?:mobile )?(?:number|no\.?)|number)\b"
    r"[^\d\n]{0,18}?(?<![^\W\d_])(\+?\d{9,14})(?!\d)", re.IGNORECASE)
NINE_DIGITS = re.compile(r"\d{9}")
#: Issue 18, eighth pass: the phone words of other languages and of SMS English ("mob 9820012345",
#: "Celu 1155553821", "Handy 01711234567"), looked for in the `fold`ed text.
PHONE_KEYWORD_MORE = re.compile(
    r"(?<!\w)(?:mob|mob\.|mobile no|ph|ph\.|cel|celu|celular|cellulare|móvil|movil|handy|telefon|telefone|telefono|"
    r"teléfono|tfno|tlf|tel\.|gsm|numer|portable|numéro|número|numero|nummer|wa|"
    # issue 18, seventeenth pass: Arabic's phone words ("الهاتف 0662187340", "الموبايل: 01155093274")
    r"الهاتف|هاتف|الموبايل|موبايل|الجوال|جوال|تليفون|التواصل على|الرقم الجديد)(?!\w)[^\d\n]{0,12}?(?<![^\W\d_])(\+?\d{9,14})(?!\d)")
PHONE_MORE_WORDS = ("mob", "ph", "cel", "handy", "telef", "teléf", "tfno", "tlf", "tel.", "gsm", "numer", "portable",
                    "هاتف", "موبايل", "جوال", "تليفون", "التواصل", "الرقم",
                    "numéro", "número", "nummer", "wa")
#: Issue 18, ninth pass: the eight-digit numbers of Denmark, Norway, Singapore, Hong Kong and others
#: ("tlf. 28 45 91 03", "Tel: 9123 4567") count right after a phone word (as the `fold`ed text has them).
SHORT_PHONE = re.compile(
    r"(?<!\w)(?:tlf|tel|telefon|telefone|telefono|teléfono|phone|ph|mob|mobil|mobile|mobiel|cel|cell|handy|hp|"
    r"whatsapp|wa|puh|sms|sími|simi|gsm|callback|call back|reach me at|reach me on|contact)\.?(?: no\.?| nr\.?| number)?"
    r"[ \t]*[:.]?[ \t]*(\+?\d{2,4}(?:[ .-]?\d{2,4}){1,3})(?![\d.,/-]?\d)")
SHORT_PHONE_WORDS = ("tlf", "tel", "phone", "ph", "mob", "cel", "handy", "hp", "whatsapp", "wa", "puh", "sms", "sími",
                     "simi", "gsm", "callback", "call back", "reach me", "contact")
#: A P.O. box number and its postcode ("P.O. Box 45678-00100") is no phone.
AFTER_BOX = re.compile(r"\bbox\s*(?:no\.?|#)?\s*$", re.IGNORECASE)
#: (Issue 18, thirteenth pass: a day and a month, each at most 31: "+52 1 33 1987 2045" and "+44 29 2018
#: 4471" hold no date; after pass 27's measurement: nor does a country code, "+31 6 1937 4482".)
DAY_OR_MONTH = r"(?:0?[1-9]|[12]\d|3[01])"
DATE_INSIDE = re.compile(rf"(?:19|20)\d\d[-./ ]{DAY_OR_MONTH}[-./ ]{DAY_OR_MONTH}(?!\d)|(?<![\d+]){DAY_OR_MONTH}[-./ ]{DAY_OR_MONTH}[-./ ](?:19|20)\d\d")
#: "2024-118734", "2025/441892": a year and a serial number, as case and file numbers are written. (Pass 25: and the
#: year last, after slashes, "1189/11/2024", as Polish and Spanish shops number orders.)
YEAR_SERIAL = re.compile(r"(?:19|20)\d\d[-/]\d{2,7}(?:[-/]\d{2,7})?|\d{1,7}/\d{1,7}/(?:19|20)\d\d")
#: Freephone numbers, which only firms have: North America's 800, 888, 877, 866, 855, 844 and 833, Europe's
#: 0800 and 0808, Australia's 1800 and 1300 (issue 18, fourteenth pass: authors keep them as the firm's).
TOLL_FREE = re.compile(r"(?:\+?1[ .-]?)?\(?8(?:00|88|77|66|55|44|33)\)?[ .-]\d{3}[ .-]?\d{4}$|"
                       r"(?:\+44 ?|\+49 ?|0)80[08][ .-]?\d|1[38]00[ .-]?\d|"
                       # issue 18, sixteenth pass: India's 1860, Argentina's 0810, Colombia's 01 8000, and the
                       # nine-digit freephone and shared-cost numbers of Spain (900), Italy (800, 803) and
                       # Portugal (707, 808)
                       r"1860[ .-]?\d|0810[ .-]?\d|01 ?8000|(?:900|800|803|707|808)[ .-]?\d{3}[ .-]?\d{3}$|"
                       # (after the seventeenth pass: Nigeria's 0700, South Africa's 0860/0861, Germany's 0180,
                       # Japan's 0120 and 0570, China's 400, Vietnam's 1900 and 1800, Malaysia's 1-300 and 1-800,
                       # France's "0 800"; not the UK's 03 numbers, which Pakistan's mobiles share; pass 20: Nigeria's
                       # 0700 has eleven digits, Kenya's "0700 334 812" ten, a Safaricom mobile)
                       r"0700(?:[ .-]?\d){7}$|086[01][ .-]?\d|0180[ .-]?\d|0120-|0570-|"
                       r"400-\d{3}-\d{4}$|1[89]00[ .]?\d{3}[ .]?\d{3}$|1-[38]00-|0 800 |"
                       # issue 18, the must-keep pass: the non-geographic, shared-cost and premium ranges only firms
                       # use: the UK's 03 and 084/087 written 4-3-4 (Pakistan's 03 mobiles are written 4-7), France's
                       # 08 in pairs and 09 69, Spain's 901/902, Italy's 199/848, Switzerland's 084x, the Netherlands'
                       # 0900 and 088, Ireland's 1850/1890/0818, New Zealand's 0508, Russia's 8 800, Israel's 1-700,
                       # Hungary's 06 80/06 40, Portugal's 760, Chile's 600, Turkey's 0850, Greece's and Poland's 801
                       r"(?:\+44 ?3\d\d|03[0-7]\d|08[47]\d) \d{3} \d{4}$|08 \d\d \d\d \d\d \d\d$|09 ?69[ .]|"
                       r"(?:901|902|199|848|760|801)[ .-]?\d{3}[ .-]?\d{3}$|084[0248][ .-]?\d|0900[ .-]?\d|088[ -]\d{3}[ -]?\d{4}$|"
                       r"18[59]0[ .-]?\d|0818[ .-]?\d|0508[ .-]?\d|8[ -]\(?800\)?[ -]\d|8 ?\(800\)|1-?700[ -]\d|06[ -]?[48]0[ -]\d|"
                       r"600[ .-]\d{3}[ .-]?\d{4}$|0850[ .-]?\d|"
                       # issue 18, pass 20: Pakistan's universal access numbers ("111-300-300"), which only firms have
                       r"111[ -]\d{3}[ -]\d{3}$|"
                       # pass 23: Spain's freephone and shared-cost numbers in pairs, as Spain writes them ("900 12 00
                       # 12", "902 10 10 10"; Italy's "800 12 34 56" too)
                       r"(?:900|800|901|902)[ .-]?\d\d[ .-]\d\d[ .-]\d\d$|"
                       # pass 28: Portugal's shared-cost 707, 708, 760 and 808 in pairs ("707 26 26 26")
                       r"(?:707|708|760|808)[ .-]?\d\d[ .-]\d\d[ .-]\d\d$")
#: Issue 18, sixteenth pass: a number introduced as a firm's line ("call your customer care 1800-…",
#: "Linha de apoio: 707 …", "llame al … (línea corporativa)") or followed by opening hours ("(Mon-Sat,
#: 9am-6pm)", "(de lunes a viernes, 9:00–18:00)") is a firm's, not a person's.
HOTLINE_BEFORE = re.compile(
    r"(?i:hotline|helpline|help ?desk|service desk|escalation desk|customer (?:care|service|support)|support line|"
    r"call cent(?:er|re)|contact cent(?:er|re)|switchboard|atención al cliente|servicio (?:de )?(?:atención|cliente)|"
    r"línea (?:nacional|corporativa|gratuita|de atención)|linha de (?:apoio|atendimento)|numero verde|"
    r"assistenza (?:tecnica|clienti)|servizio clienti|service client(?:s|èle)?|kundenservice|kundendienst|"
    r"klantenservice|kundtjänst|kundeservice|asiakaspalvelu|infolini[aęąi]|zákaznick\w+ link\w*|"
    # (after the seventeenth pass) Ukrainian, Russian, Vietnamese, Greek, Chinese, Hebrew, Japanese and English
    r"гаряча лінія|горячая линия|tổng đài|tong dai|πληροφορίες|服务热线|客服热线|שירות לקוחות|カスタマーサポート|"
    r"customer line|shop number|växelnummer|switchboard number|"
    # pass 28 (must-keep): a firm's service desk in more languages ("Mesa de ayuda:", "Εξυπηρέτηση πελατών:",
    # "Ügyfélszolgálat", "Справки по телефону", "Obsługa klienta", "Müşteri hizmetleri", "Zákaznická linka"), a shop's
    # line ("Store line", "sales line"; not an "office line", a person's own direct line as often), the number for
    # callers from abroad ("From abroad please call", "aus dem Ausland", "desde el extranjero", "depuis l'étranger"),
    # a firm's premises a caller is sent to ("call the property at", "ring the hotel on")
    r"mesa de ayuda|centro de atención|central de atendimento|atendimento ao cliente|apoio ao cliente|"
    r"εξυπηρέτηση πελατών|ügyfélszolgálat|справки|справочн\w*|служба (?:поддержки|підтримки)|obsługa klienta|"
    r"biuro obsługi|müşteri hizmetleri|çağrı merkezi|zákaznick\w+ (?:linka|podpora|servis)|relații clienți|"
    r"serviciul clienți|korisnička (?:podrška|služba)|(?:store|shop|branch|booking|reservations?|sales) line|"
    r"from abroad|aus dem ausland|vom ausland|desde el extranjero|desde el exterior|depuis l['’]étranger|"
    r"dall['’]estero|vanuit het buitenland|från utlandet|fra utlandet|ulkomailta|z zagranicy|"
    r"(?:call|ring|phone|contact) the (?:property|hotel|shop|store|office|clinic|practice|restaurant|branch|"
    r"front desk|reception|pharmacy|garage|dealership)|"
    # a firm's number in the plural "your" a customer writes to it with ("Jullie nummer …", "eure Hotline", "vuestro
    # teléfono"; not the singular, which an agent says of the customer's own)
    r"(?:jullie|eure?|vuestr[oa]s?|vostr[oa]|vostri) (?:\w*nummer|número|numero|teléfono|telefono|telefoon\w*|"
    r"hotline|lijn|línea|linea)|"
    # pass 28, after the measurement: a firm's desk as a line's label on its letters and receipts ("Klantendienst:",
    # "Servicecenter:", "Telefon Filiale:", "Central:", "Cabina 24h:", "Consultas:", "Dudas:", "Dúvidas? Ligue",
    # "WhatsApp empresarial"), a named desk's line ("HR verification line", "clinic line", "intake line"), a fax
    r"klantendienst|servicecent(?:er|re)|kundencenter|filiale|zentrale|\bcentral\b|cabina|consultas|dudas|d[úu]vidas|"
    r"whatsapp (?:empresarial|business|corporativo)|(?:verification|intake|clinic|hospital|pharmacy|practice|school|"
    r"hr) line|\bfax\b)"
    r"[^\n\d]{0,24}$")
HOTLINE_WORDS = ("hotline", "helpline", "desk", "customer", "support", "call cent", "contact cent", "switchboard",
                 "atención", "servicio", "línea", "linha", "verde", "assistenza", "clienti", "service client",
                 "kunden", "klanten", "kundtj", "kundeservice", "asiakaspalvelu", "infolini", "zákaznick",
                 "гаряча", "горячая", "tổng đài", "tong dai", "πληροφορίες", "热线", "שירות", "カスタマー", "line",
                 "shop number", "växelnummer", "mesa de ayuda", "centro de atenci", "atendimento", "apoio ao",
                 "εξυπηρέτηση", "ügyfélszolgálat", "справ", "служба", "obsługa", "biuro obsługi", "müşteri hizmet",
                 "çağr", "zákaznick", "clienți", "korisničk", "abroad", "ausland", "extranjero", "exterior",
                 "étranger", "estero", "buitenland", "utlandet", "ulkomailta", "zagranicy", "call the", "ring the",
                 "phone the", "contact the", "jullie", "eure", "euer",
                 "vuestr", "vostr", "klantendienst", "servicecent", "kundencenter", "filiale", "zentrale", "central",
                 "cabina", "consultas", "dudas", "duvidas", "dúvidas", "empresarial", "whatsapp business", "fax")
OPENING_HOURS_AFTER = re.compile(
    r"[ \t]*\((?:[^()\n]{0,40}?(?:\d{1,2}(?:[:.h]\d{2})? ?(?:am|pm|h)?[ \t]*(?:-|–|to|a|à|bis|tot)[ \t]*\d{1,2}(?:[:.h]\d{2})? ?(?:am|pm|h)?|"
    r"24/7|24 ?h)|(?:shop|office|main|store|sales|línea corporativa|linea corporativa|oficina|loja|negozio)(?: line)?)[^()\n]{0,30}\)",
    re.IGNORECASE)
#: "Order #555-123-4567" and "ticket 2024 0501 77" are identifiers, not phones.
ID_BEFORE = re.compile(
    r"\b(?:order|invoice|ticket|case|ref|reference|tracking|account|acct|sku|(?-i:PO)|serial|model|part|item|"
    # pass 25: a build's or a version's number ("build 22621.3007")
    r"build|version|release|firmware|"
    r"confirmation|booking|receipt|transaction|txn|tid|utr|rrn|makani|iban|card|isbn|batch|lot|box|"
    # issue 18, ninth pass: the order and ticket words of other languages ("Bestellung Nr. 2024-88153")
    r"bestellung|auftrag|rechnung|commande|facture|pedido|factura|ordine|fattura|bestelling|factuur|encomenda|"
    r"zamówienie|zamowienie|faktura|sipariş|siparis|objednávka|objednavka|rendelés|ordre|tilaus|buchung|réservation|"
    r"reserva|prenotazione|"
    # issue 18, fourteenth pass: carriers' tracking numbers and utilities' meter and supply numbers
    r"fedex|ups|usps|dhl|tnt|gls|dpd|evri|hermes|purolator|canpost|mprn|mpan|nmi|meter|icp|supply|"
    # issue 18, sixteenth pass: policies', customers', merchants' and contracts' numbers, parcels' in other
    # languages, serial numbers, firms' tax numbers (ABN, EIN, VAT)
    r"policy|p[óo]liza|polizza|(?:customer|client|klant|kunden)(?=\s*(?:#|no\b|no\.|nr|num|id\b))|merchant|mid|"
    r"sn|s/n|contract|contrato|contratto|"
    r"vertrag|smlouva|umowa|folio|caso|pratica|obligaci[óo]n|gu[íi]a|spedizione|sendung|z[áa]silka|paczka|"
    r"inpost|colis|abn|acn|bn|ein|vat|gst|kvk|siret|siren|awb|consignment|waybill|env[íi]o|paquete|pacco|pakket|"
    r"zending|paket|retourenschein|bestelnr|bestelnummer|ordernr|auftragsnr|claim|mrn|rx|member|membre|membership|"
    r"mitglied|socio|matric|developer|asset|employee|student|patient|police ref|crime ref|"
    # issue 18, seventeenth pass: account, contract and customer numbers named the other way round ("numéro de
    # client est le", "Número de cuenta", "Vertragskonto", "Customer code", "Group #", "sopimukseni numero")
    r"num[ée]ro de (?:client|compte(?: client)?|contrat|dossier|facture)|n[úu]mero de (?:cuenta|cliente|contrato|"
    r"factura|p[óo]liza|conta|cliente)|vertragskonto|kundenkonto|customer code|group|sopimu\w*|reservation|"
    r"booking\.com reservation)s?\s*"
    r"(?:#|no\.?|nr\.?|n[º°o]\.?|num(?:ber|éro|ero|mer)?|id)?\s*[:#]?\s*"
    r"(?:(?:is|was|es|est|ist|é|è)(?:\s+(?:o|el|la|le|the|a))?\s+)?$",
    re.IGNORECASE)


#: One of these is in every ID_BEFORE match ("reference" holds "ref").
ID_WORDS = ("order", "invoice", "ticket", "case", "ref", "tracking", "account", "acct", "sku", "po", "serial",
            "build", "version", "release", "firmware",
            "model", "part", "item", "confirmation", "booking", "receipt", "transaction", "txn", "tid", "utr", "rrn", "makani",
            "iban", "card", "isbn",
            "batch", "lot", "box",  # "box": a PO box's number ("P.O. Box 48213-00100")
            "bestellung", "auftrag", "rechnung", "commande", "facture", "pedido", "factura", "ordine", "fattura",
            "bestelling", "factuur", "encomenda", "zamówienie", "zamowienie", "faktura", "sipariş", "siparis",
            "objednávka", "objednavka", "rendelés", "ordre", "tilaus", "buchung", "réservation", "reserva",
            "prenotazione", "fedex", "ups", "usps", "dhl", "tnt", "gls", "dpd", "evri", "hermes", "purolator",
            "canpost", "mprn", "mpan", "nmi", "meter", "icp", "supply", "policy", "póliza", "poliza", "polizza",
            "customer", "client", "klant", "kunden", "merchant", "mid", "sn", "s/n", "contract", "contrato",
            "contratto", "vertrag", "smlouva", "umowa", "folio", "caso", "pratica", "obligaci", "guía", "guia",
            "spedizione", "sendung", "zásilka", "zasilka", "paczka", "inpost", "colis", "abn", "acn", "bn", "ein",
            "vat", "gst", "kvk", "siret", "siren", "awb", "consignment", "waybill", "envío", "envio", "paquete",
            "pacco", "pakket", "zending", "paket", "retourenschein", "bestelnr", "bestelnummer", "ordernr", "auftragsnr",
            "claim", "mrn", "rx", "member", "membre", "mitglied", "socio", "matric", "developer", "asset", "employee",
            "student", "patient", "police ref", "crime ref", "numéro de", "numero de", "número de",
            "vertragskonto", "kundenkonto", "customer code", "group", "sopimu", "reservation",
            "订单", "訂單", "注文", "주문", "asiakas", "kund", "konto", "rekening", "cuenta", "compte", "conta")


#: Issue 18, sixteenth pass: a firm's registration or tax number ("Our ABN is 22 604 118 937").
#: (The must-keep pass: and the company registers of more countries: Senegal's NINEA and RCCM, Singapore's UEN,
#: the UK's CRN, India's GSTIN, Poland's KRS and REGON, Czechia's IČO and DIČ, Denmark's CVR, Sweden's and Norway's
#: org.nr, Finland's Y-tunnus, Germany's HRB and HRA, Switzerland's CHE, Venezuela's RIF, Bulgaria's EIK.)
FIRM_NUMBER_BEFORE = re.compile(r"\b(?:ABN|ACN|EIN|VAT|GST|BN|KvK|SIRET|SIREN|NZBN|NINEA|RCCM|UEN|CRN|GSTIN|KRS|REGON|"
                                r"IČO|ICO|DIČ|DIC|CVR|[Oo]rg\.? ?nr|[Oo]rganisa(?:tions|sjons)nummer|Y-tunnus|HRB|HRA|CHE|"
                                r"RIF|EIK|ЕИК|"
                                # pass 26: Poland's NIP (a person's too: the id detectors judge it), Brazil's CNPJ,
                                # Russia's ИНН and ОГРН, Romania's CUI, Germany's Handelsregister, the UK's Companies
                                # House ("NIP sprzedawcy: 525-000-12-34", "Companies House number 09446231")
                                r"NIP|CNPJ|ИНН|ОГРН|CUI|Handelsregister|Companies House|"
                                # pass 27: a company's number said in words ("company number 00617987", "Company Reg.
                                # No."; not a "registered number", a person's phone on file), Belgium's enterprise
                                # number ("N° d'entreprise", "ondernemingsnummer", BCE, KBO), Austria's Firmenbuch,
                                # Portugal's NIPC, Italy's partita IVA, Spain's CIF, France's RCS
                                r"[Cc]ompany(?: [Rr]eg(?:istration|istered)?\.?)? (?:[Nn]umber|[Nn]o|[Nn]r|#)|"
                                r"[Cc]o\. [Rr]eg|[Ee]ntreprise|"
                                r"[Oo]ndernemingsnummer|[Uu]nternehmensnummer|Firmenbuch(?:nummer)?|FN|BCE|KBO|NIPC|"
                                r"P\. ?IVA|[Pp]artita IVA|CIF|RCS|"
                                # pass 28: a firm's VAT number in the languages of its invoice ("BTW BE 0403.170.701",
                                # "TVA fournisseur BE 0456.…", "USt-IdNr.", "UID", "MwSt", Norway's "MVA", Denmark's and
                                # Sweden's "moms"), Canada's "Business number"
                                r"BTW|[Bb]tw-?nr|TVA|USt-?Id(?:Nr)?|UID|MwSt|MVA|[Mm]omsnr|[Bb]usiness [Nn](?:umber|o))"
                                r"\b[^\d\n]{0,16}$")


#: Pass 28: a payment's reference after a wallet's name ("via GCash ref 7012 334 991", "bKash TrxID"): no phone.
WALLET_PAYMENT_WORD = re.compile(r"(?i:ref|trans|txn|trx|receipt)")
#: "Phone number on the account is (312) …": a phone word before the id word makes the number a phone.
PHONE_WORD_BEFORE = re.compile(r"(?i:phone|mobile|cell|tel|number|call me|reach me)[^\n]{0,30}$")


def number_is_reference(text: str, start: int) -> bool:
    """Whether the number at `start` is introduced as an identifier: ID_BEFORE's words, or (issue 18, the
    must-keep pass) `pii_refs`' reference words of thirty languages, compounds and number signs; (pass 28) not a
    wallet's account named so a sentence after the wallet (`wallet_account`)."""
    if wallet_account(text, start):
        return False
    return introduced_as_id(text[max(0, start - 30):start]) or names_a_reference(text, start)


#: Pass 28: an account's or a wallet's label alone right before a number ("Account: 01819-556 204", "wallet no.").
WALLET_LABEL = re.compile(r"(?i:(?<![^\W\d_])(?:account|acct|a/c|wallet)\.?(?:[ \t]*(?:no|nr|number|#)\.?)?[ \t]*[:#-]?[ \t]*\Z)")
#: How far before its label a wallet's name may stand, on the label's line.
WALLET_REACH = 120


def wallet_account(text: str, start: int) -> bool:
    """Whether the number at `start` follows an account's label on a line that names a mobile wallet before it ("My
    Nagad account is locked after wrong PIN 3 times. Account: 01819-556 204"): a wallet's account is its owner's phone."""
    label = WALLET_LABEL.search(text, max(0, start - 20), start)
    if label is None:
        return False
    line_start = text.rfind("\n", 0, label.start()) + 1
    return WALLET_NAMED.search(text, max(line_start, label.start() - WALLET_REACH), label.start()) is not None


def introduced_as_id(before: str) -> bool:
    """ID_BEFORE on the text before a number; only a text with one of its words can match."""
    if FIRM_NUMBER_BEFORE.search(before) is not None:
        return True
    if not has_any(fold(before), ID_WORDS):
        return False
    found = ID_BEFORE.search(before)
    if found is None or (MOBILE_WALLET.search(before, 0, found.start()) is not None
                         and WALLET_PAYMENT_WORD.search(before, found.start()) is None):
        return False  # issue 18, pass 20: "JazzCash account 0301-…" (pii_refs.MOBILE_WALLET); not "GCash ref 7012 …"
    if PHONE_JOINED.search(before.lower(), 0, found.start()) is not None:
        return False  # pass 27: "Phone/account no.: 0803 …", one label for both (pii_refs.PHONE_JOINED)
    return not (found.group().rstrip().endswith(("is", "was")) and PHONE_WORD_BEFORE.search(before, 0, found.start()))


#: Issue 18, sixteenth pass: a chat line that is only a number, answering a line that asked for an order's,
#: a booking's or a case's number ("Bot: Please enter your order number.\nUser: 4471-9920-55").
SPEAKER_ONLY = re.compile(r"[ \t]*(?:\[[\d:]+\][ \t]*)?(?:\[[^\]\n\d]{1,20}\][ \t]*)?[^\W\d][\w .()'-]{0,30}:[ \t]*$")
#: (Pass 28: and a channel's tag in brackets before the speaker, "[微信客服] 用户: ", "[WhatsApp] Cliente: ".)
#: An all-capitals code glued before the number's digit groups ("1Z 999 AA1 01 2345 6784", "AWB", "JP 9920 …"),
#: not a phone word's abbreviation.
CODE_BEFORE = re.compile(r"(?<![\w-])(?P<code>[A-Z]{1,3}\d*|[A-Z0-9]*\d[A-Z][A-Z0-9]*)[ ]$")
PHONE_LETTERS = frozenset({"M", "T", "P", "H", "W", "C", "O", "F", "TEL", "MOB", "PH", "WA", "HP", "CEL", "FAX", "GSM", "SIM",
                           "TLF", "NR", "NO", "TF", "TFN", "CALL", "SMS"})


def answers_an_id_question(text: str, start: int) -> bool:
    """Whether the number at `start` is alone on a chat line after a line asking for an identifier."""
    line_start = text.rfind("\n", 0, start) + 1
    if line_start == 0 or not SPEAKER_ONLY.fullmatch(text, line_start, start):
        return False
    if has_any(fold(text[line_start:start]).replace("caller", ""), LABEL_PHONE_WORDS):
        return False  # "Callback no:", "Contacto:", "Tel:": the label says what the number is ("Caller:" is a speaker)
    previous = line_before(text, line_start)
    if ASKED_FOR_A_PHONE.search(previous) is not None or WALLET_NAMED.search(previous) is not None:
        return False  # pass 23: "Can I get a mobile in case they can't access?" asks for a phone ("in case" is no case)
        # (pass 28: and "Apnar bKash account number ta bolben?" does too: a mobile wallet's account is its phone)
    return (has_any(fold(previous), ID_WORDS) and ID_QUESTION.search(previous) is not None
            and ASKING.search(previous) is not None)


ASKED_FOR_A_PHONE = re.compile(r"(?i:\b(?:phone|mobile|cell|cellphone|telephone|whatsapp|callback|contact number)\b)")


LABEL_PHONE_WORDS = ("call", "contact", "tel", "phone", "mob", "cell", "cel", "fon", "númer", "numer", "whatsapp", "sms",
                     "handy", "gsm", "tlf", "fax")
#: (A line that asks for something: pii_ids.ASKING, a question or a request in the corpus's languages.)


ID_QUESTION = re.compile(r"(?i:\b(?:order|booking|ticket|case|tracking|reference|ref|invoice|pedido|commande|bestelling|"
                         r"bestellung|ordine|reserva|claim|policy)\b[^\n]{0,40}(?:number|no\b|nr|#|n[º°o]|id\b|code)?|"
                         # pass 28: a customer's or an account's number asked for ("Klantnummer aub?", "Whats the acct
                         # number", "numéro client ?", "Kundennummer bitte"), an order's in Chinese, Japanese, Korean
                         r"\b(?:acct|account|customer|client)[ -]?(?:number|no\b|nr\b|#)|\b(?:klant|kunden|kunde|kund|"
                         r"asiakas|cliente?|konto|rekening|cuenta|compte)-?(?:nummer|numero|nr\b|nro\b)|"
                         r"\bnum[ée]ro (?:de )?(?:client|compte)\b|\bn[úu]mero de (?:cliente|cuenta|conta)\b|"
                         r"订单号|訂單號|订单编号|注文番号|주문번호)")


#: Pass 27: the groups of a reference written before the digits a phone's pattern took ("Tracking: NL12 ABCD 0123 4567
#: 89", "Sendungsnummer 00340434 1610 9400 0016"): capitals with a digit, capitals alone, or digits, up to eight a
#: group, one to four groups, a space or a dash after each.
GROUPS_BEFORE = re.compile(r"(?<![\w-])(?:(?=[A-Z0-9]{1,8}(?:[ -]|[ ]?/[ ]?))(?:[A-Z0-9]*\d[A-Z0-9]*|[A-Z]{2,8})"
                           r"(?:[ -]|[ ]?/[ ]?)){1,4}\Z")


def code_before(text: str, start: int) -> bool:
    """Whether an all-capitals code, not a phone word, is glued right before the number at `start` (a word
    of a text written in capitals, "CALL ME AT 416 …", is no code), or (pass 27) the number is the tail of groups
    that a reference's word introduces."""
    groups = GROUPS_BEFORE.search(text, max(0, start - 40), start)
    if groups is not None and number_is_reference(text, groups.start()):
        return True
    found = CODE_BEFORE.search(text, max(0, start - 12), start)
    if found is None or found.group("code") in PHONE_LETTERS or found.group("code") in CAPITAL_WORDS:
        return False
    if any(char.isdigit() for char in found.group("code")):
        return True
    letters = [char for char in text[max(0, found.start() - 24):found.start()] if char.isalpha()]
    lower = sum(char.islower() for char in letters)
    return lower * 2 > len(letters) and not text[max(0, found.start() - 8):found.start()].lower().endswith("caller ")


#: Short words that a text in capitals puts before a number ("CALL ME AT", "MY NUMBER IS").
CAPITAL_WORDS = frozenset({"AT", "ON", "IS", "TO", "IN", "OR", "ME", "MY", "OF", "BY", "AM", "PM", "NO", "OK", "SO",
                           "US", "IT", "BE", "WE", "AN", "AS", "AND", "THE", "FOR", "OUR", "YOU", "ID", "NUM"})


def find_phones(text: str) -> Iterator[Span]:
    """Phones as typed (with an extension after them taken in), then the shapes pass 23 added (`other_typed_phones`),
    then (pass 27) the numbers that correct one of them (`corrected_phones`).
    (Numbers in CJK numerals or Hangul digit syllables, which may hold no digit, are `find_spoken_phones`'.)"""
    found = [as_written(text, span) for span in typed_phones(text)]
    found.extend(other_typed_phones(text))
    yield from found
    yield from corrected_phones(text, found)


#: A correction word shortly after a phone, on its line, then the number it gives again (seven to fifteen digits).
CORRECTION = re.compile(rf"(?i:[^\d\n]{{0,30}}?(?:(?<![^\W\d_])(?:{CORRECTION_WORDS})(?![^\W\d_])|{CORRECTION_MARKS})"
                        r"[^\d\n]{0,24}?(?<![\w+.,/-])(?P<number>\+?\(?\d(?:[ .\-/()]{0,2}\d){6,14})(?![\w-])(?![.,/]\d))")
#: The most a corrected number's digits may differ in count from the number it corrects (one left out or doubled).
CORRECTED_DIGITS_OFF = 1


def corrected_phones(text: str, phones: Sequence[Span]) -> Iterator[Span]:
    """The number a correction word gives again right after one of `phones`, of about its length (CORRECTION)."""
    for phone in phones:
        found = CORRECTION.match(text, phone.end)
        if found is None:
            continue
        start, end = found.span("number")
        given = sum(map(str.isdigit, text[phone.start:phone.end]))
        digits = sum(map(str.isdigit, found.group("number")))
        if abs(digits - given) <= CORRECTED_DIGITS_OFF and is_phone(text, start, end, 7):
            yield Span(start, end, "PHONE")


def other_typed_phones(text: str) -> Iterator[Span]:
    """Issue 18, pass 23: the shapes `typed_phones` does not read, each behind its own cheap gate."""
    if MIXED_TOKEN.search(text):
        yield from letter_digit_phones(text)
    if "555" in text:
        yield from fiction_phones(text)
    if NINE_DIGITS.search(text):
        yield from glued_cue_phones(text)
    if ODD_SEPARATOR_GATE.search(text):
        yield from odd_separator_phones(text)
    if VANITY_GATE.search(text):
        yield from vanity_phones(text)
    if "%2" in text:
        yield from url_encoded_phones(text)
    if not text.isascii():
        yield from nordic_pair_phones(text)
    if "0" in text:
        yield from indian_trunk_phones(text)
    if SPACED_HYPHEN_GATE.search(text):
        yield from spaced_hyphen_phones(text)
    yield from glued_word_phones(text)  # (its pattern is its own gate: a digit with a chat's word glued after it)


def typed_phones(text: str) -> Iterator[Span]:
    intl = "+" in text or "00" in text  # every PHONE_INTL match starts with one
    for pattern, least in ((PHONE_INTL, 8), (PHONE_NATIONAL, 9)) if intl else ((PHONE_NATIONAL, 9),):
        for match in pattern.finditer(text):
            start, end = match.start(), unbalanced_paren_end(match.group(), match.end())
            if is_phone(text, start, end, least):
                yield Span(start, end, "PHONE")
    folded = fold(text)
    if has_any(folded, SHORT_PHONE_WORDS) and len(folded) == len(text):
        yield from short_phones(folded)
    yield from answered_phones(text)
    yield from glued_phones(text)
    if "9 " in text:
        yield from nine_mobiles(text)
    if len(folded) == len(text):
        yield from eight_digit_phones(text, folded)
    if "\n" in text and WRAPPED_PHONE_GATE.search(text):
        yield from wrapped_phones(text)
    if has_any(folded, WORLD_PHONE_GATE) and len(folded) == len(text):
        yield from worded_phones(text, folded)
    if not NINE_DIGITS.search(text):  # every PHONE_KEYWORD and COMPACT_MOBILE match holds nine digits in a row
        return
    yield from compact_phones(text)
    for match in PHONE_KEYWORD.finditer(text):
        if not number_is_reference(text, match.start(1)):
            yield Span(match.start(1), match.end(1), "PHONE")
    if has_any(folded, PHONE_MORE_WORDS) and len(folded) == len(text):
        yield from more_keyword_phones(text, folded)


#: Issue 18, pass 23: an extension after a number ("617-555-0142 x204", "ext. 12", "Durchwahl 35", "poste 214",
#: "anexo 12", "ramal 30", "доб. 123", "内線 45", "(ext 204)"): part of the line's number, as the person gave it.
#: (Pass 24: German's "App." and "Nebenstelle", Dutch's "toestel", Polish's "wew.", Czech's "klapka", Swedish's
#: "anknytning", Spanish's "extensión".)
EXTENSION_WORD = (r"(?<![^\W\d_])(?:x|ext|extn|extension|extensión|poste|anexo|ramal|interno|int|durchwahl|dw|app|apparat|"
                  r"nebenstelle|nst|toestel|tst|wew|klapka|anknytning|ankn|доб|вн|内線|分機|"
                  r"分机|转)\.?[ \t]*[:.]?[ \t]*\d{1,5}(?![\d/-])(?![.,]\d)")
EXTENSION_AFTER = re.compile(rf"[ \t]*\([ \t]*{EXTENSION_WORD}[ \t]*\)|[ \t]*,?[ \t]*{EXTENSION_WORD}", re.IGNORECASE)
#: Pass 24: the trunk prefix in parentheses that a national number is written with when a country code may come
#: before it, here without one ("(0)20 7946 0958", "(0) 171 234 5678"): the caller dials it.
TRUNK_BEFORE = re.compile(r"(?<![\w+])\(0\)[ ]?\Z")


def as_written(text: str, span: Span) -> Span:
    """`span` with a trunk prefix in parentheses before it (TRUNK_BEFORE) and the extension after it
    (EXTENSION_AFTER) taken in."""
    start = span.start
    if text[start - 1:start] in (")", " "):
        trunk = TRUNK_BEFORE.search(text, max(0, start - 4), start)
        start = start if trunk is None else trunk.start()
    found = EXTENSION_AFTER.match(text, span.end)
    return Span(start, span.end if found is None else found.end(), span.kind)


#: Issue 18, pass 23: a number typed with the letter O for zero and l or I for one ("O7700 9OO 461", "(4l5) 555-0l87",
#: as people type on a keyboard's letter row or copy from a font where they look alike): a token of digits and
#: those letters, a letter beside a digit; the number is read with the letters as digits.
MIXED_TOKEN = re.compile(r"(?<!\w)[0-9OoIl]*(?:\d[OoIl]|[OoIl]\d)[0-9OoIl]*(?!\w)")
LETTERS_AS_DIGITS = str.maketrans("OoIl", "0011")


def letter_digit_phones(text: str) -> Iterator[Span]:
    """The phones `typed_phones` finds in `text` with every MIXED_TOKEN read as digits, that hold such a token."""
    tokens = [(match.start(), match.end()) for match in MIXED_TOKEN.finditer(text)]
    read = list(text)
    for start, end in tokens:
        read[start:end] = text[start:end].translate(LETTERS_AS_DIGITS)
    for span in typed_phones("".join(read)):
        if any(span.start < end and start < span.end for start, end in tokens):
            yield span


#: Issue 18, pass 23: numbers written in Chinese and Japanese numerals ("一三八 一二三四 五六七八", "〇九〇－一二三四－…",
#: "幺" read for one, "〇三・一二三四・五六七八" with Japanese middle dots) or in Korean Sino-Korean digit syllables
#: ("공일공 일이삼사 오육칠팔"), one numeral a digit.
#: China's, Japan's, Korea's and Taiwan's numbers open with a trunk 0 or (China's mobiles) a 1, so a run must too.
NUMERALS = {**dict.fromkeys("〇零공영", "0"), **dict.fromkeys("一幺일", "1"), **dict.fromkeys("二两이", "2"),
            "三": "3", "삼": "3", "四": "4", "사": "4", "五": "5", "오": "5", "六": "6", "육": "6", "七": "7", "칠": "7",
            "八": "8", "팔": "8", "九": "9", "구": "9"}
NUMERAL_CHARS = "".join(NUMERALS)
NUMERAL_RUN = re.compile(rf"(?<![{NUMERAL_CHARS}])[〇零一幺공영][ \-・.]?[{NUMERAL_CHARS}](?:[ \-・.]?[{NUMERAL_CHARS}]){{5,13}}"
                         rf"(?![{NUMERAL_CHARS}])")
NUMERALS_AS_DIGITS = str.maketrans(NUMERALS)


def numeral_phones(text: str) -> Iterator[Span]:
    """NUMERAL_RUN's runs of seven to fifteen numerals that `is_phone` takes, read as digits."""
    read = text.translate(NUMERALS_AS_DIGITS)
    for match in NUMERAL_RUN.finditer(text):
        if is_phone(read, match.start(), match.end(), 7):
            yield Span(match.start(), match.end(), "PHONE")


#: Issue 18, pass 23: North America's 555-0100 to 555-0199, the range reserved for fiction and examples, and the
#: 555 exchange that films and books use for the rest ("555-2368"), written without an area code ("| Bake sale |
#: 555-0148 |"): seven digits that are a phone wherever they stand (not the local part of "(800) 555-0142", which
#: the whole number's judgment covers).
FICTION_PHONE = re.compile(r"(?<![\w.+/()-])(?<![\d)][ .-])555(?:[ .-]?01\d\d|[ .-]\d{4})(?![\w-])(?![.,/]\d)")


def judged_phones(pattern: re.Pattern[str], text: str, least: int) -> Iterator[Span]:
    """`pattern`'s matches that `is_phone` takes for a phone of at least `least` digits: the judgment every shape
    of a number family shares (an order's, a date's, a firm's number is none)."""
    for match in pattern.finditer(text):
        if is_phone(text, match.start(), match.end(), least):
            yield Span(match.start(), match.end(), "PHONE")


def fiction_phones(text: str) -> Iterator[Span]:
    yield from judged_phones(FICTION_PHONE, text, 7)


#: Issue 18, pass 23: SMS English runs the number into the words before it ("call me07700900461", "txt me on07700…",
#: "tel0412555381"; "ph:0412555381" is already a label's): a phone word, "me", "on" or "at", and nine to fourteen
#: digits glued on.
GLUED_CUE_PHONE = re.compile(r"(?i)(?<![^\W\d_])(?:call|text|txt|ring|phone|whatsapp|wa|mob|cell|tel|ph)(?:[ ]?me)?(?:[ ]?(?:on|at))?"
                             r"(?<=[^\W\d_])(?P<number>\+?\d{9,14})(?!\d)")


def glued_cue_phones(text: str) -> Iterator[Span]:
    for match in GLUED_CUE_PHONE.finditer(text):
        if is_phone(text, match.start("number"), match.end("number"), 9):
            yield Span(match.start("number"), match.end("number"), "PHONE")


#: Issue 18, pass 23: a number whose groups are parted by one odd separator, the same each time ("0412_555_381",
#: "07700~900~461", "0412*555*381", "0412•555•381"), opening with a trunk 0 or a "+" as national and international
#: numbers do (a code or a product's number seldom does). (An en or em dash between digits is `plain_digits`' hyphen.)
ODD_SEPARATED = re.compile(r"(?<![\w.+/~*•·–—-])(?:\+\d{1,3}|0\d{1,4})([_~*•·])\d{2,5}(?:\1\d{2,5}){1,3}(?![\w~*•·–—-])")
ODD_SEPARATOR_GATE = re.compile(r"\d[_~*•·]\d")


def odd_separator_phones(text: str) -> Iterator[Span]:
    yield from judged_phones(ODD_SEPARATED, text, 9)


#: Issue 18, pass 24: a grouped number with a chat's word glued after it, typed without its space ("98410-12345pls",
#: "0712 345 678asap", "415.555.0199thanks", "9841234567pe call karo"): the digit the word touches, then the number
#: that ends there, read as a phone by `is_phone` (so an order's or a ticket's stays one).
GLUED_WORD = re.compile(r"\d(?=(?i:pls|plz|please|asap|thx|thnx|thanks|thank|tnx|tq|ty|ok|okay|bhai|ji|sir|pe|par|call|"
                        r"whatsapp|sms|text|only|urgent|urgently|anytime|merci|gracias|danke|grazie|obrigad[oa]|porfa|"
                        r"bitte|svp|pfa|xfa)(?![^\W\d_]))")
NUMBER_ENDING = re.compile(r"(?<![\w.+/-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,5}\)[ .-]?)?\d{2,5}(?:[ .-]?\d{2,8}){1,4}\Z")


def glued_word_phones(text: str) -> Iterator[Span]:
    for glued in GLUED_WORD.finditer(text):
        number = NUMBER_ENDING.search(text, max(0, glued.end() - 24), glued.end())
        if number is not None and is_phone(text, number.start(), number.end(), 9):
            yield Span(number.start(), number.end(), "PHONE")


#: Issue 18, pass 23: a North American number with its last seven digits spelled on the keypad's letters
#: ("212-55-LUCKY", "(917) GO-PAULA"), at least three capitals among them, after a phone or calling word (a part's
#: code has the same shape); read as digits for `is_phone`, so a firm's freephone vanity number ("1-800-FLOWERS")
#: stays a firm's.
VANITY_PHONE = re.compile(r"(?<![\w-])(?:1[ .-])?(?:\([2-9]\d\d\)[ ]?|[2-9]\d\d[ .-])(?=(?:[A-Z0-9]-?){7}(?![\w-]))"
                          r"(?=[A-Z0-9-]*[A-Z][A-Z0-9-]*[A-Z][A-Z0-9-]*[A-Z])[A-Z0-9]+(?:-[A-Z0-9]+)?(?![\w-])")
VANITY_GATE = re.compile(r"\d\)?[ .-][A-Z0-9-]*[A-Z]{2}")
KEYPAD = str.maketrans({letter: str(digit) for digit, letters in enumerate(
    ("", "", "ABC", "DEF", "GHI", "JKL", "MNO", "PQRS", "TUV", "WXYZ")) for letter in letters})
VANITY_CUE = re.compile(r"(?i:phone|mobile|cell|tel|number|call|text|txt|ring|reach|dial)[^\n]{0,30}\Z")


def vanity_phones(text: str) -> Iterator[Span]:
    for match in VANITY_PHONE.finditer(text):
        if VANITY_CUE.search(text, max(0, match.start() - 40), match.start()) is None:
            continue
        read = text[:match.start()] + match.group().translate(KEYPAD)
        if is_phone(read, match.start(), match.end(), 10):
            yield Span(match.start(), match.end(), "PHONE")


#: Issue 18, pass 23: a number in a link's query with its "+" URL-encoded ("?phone=%2B13462891174").
URL_ENCODED_PHONE = re.compile(r"%2[Bb](?P<number>[1-9]\d{7,14})(?!\d)")


def url_encoded_phones(text: str) -> Iterator[Span]:
    for match in URL_ENCODED_PHONE.finditer(text):
        if is_phone(text, match.start("number"), match.end("number"), 8):
            yield Span(match.start(), match.end(), "PHONE")


#: Issue 18, pass 23: Denmark's and Norway's eight-digit numbers as those countries write them, in four pairs
#: ("Søren Holm, 40 12 77 93") or Norway's 3-2-3 ("412 34 567"), in a Danish or Norwegian text (one with æ, ø or
#: å); Iceland's seven-digit numbers, 3-4 with a mobile's or a line's first digit 4 to 8 ("s. 698 2210"), in an
#: Icelandic text (one with þ or ð); no phone word needed.
NORDIC_PAIRS = re.compile(r"(?<![\w.,/+-])(?<!\d )(?:[2-9]\d(?: \d\d){3}|[2-9]\d\d \d\d \d{3})(?![\w-])(?! \d)(?![.,/]\d)")
NORDIC_LETTERS = ("æ", "ø", "å", "Æ", "Ø", "Å")
ICELANDIC_NUMBER = re.compile(r"(?<![\w.,/+-])(?<!\d )[4-8]\d\d[ -]\d{4}(?![\w-])(?! \d)(?![.,/]\d)")
ICELANDIC_LETTERS = ("þ", "ð", "Þ", "Ð")


def nordic_pair_phones(text: str) -> Iterator[Span]:
    for pattern, letters, least in ((NORDIC_PAIRS, NORDIC_LETTERS, 8), (ICELANDIC_NUMBER, ICELANDIC_LETTERS, 7)):
        if has_any(text, letters):
            yield from judged_phones(pattern, text, least)


#: Issue 18, pass 23: India's ten-digit mobiles (6 to 9 first) dialled with the trunk 0 and grouped five and five
#: after it ("098450-61724", "094140 55281"), a first group PHONE_NATIONAL's five digits at most leaves out.
INDIAN_TRUNK_MOBILE = re.compile(r"(?<![\w.+/-])0[6-9]\d{4}[ -]\d{5}(?![\w-])(?![.,/]\d)")


def indian_trunk_phones(text: str) -> Iterator[Span]:
    yield from judged_phones(INDIAN_TRUNK_MOBILE, text, 11)


#: Issue 18, pass 28: a number whose groups are parted by hyphens with a space beside them ("512 -908- 331", "020 - 7946
#: - 0958", "0161- 496 -0732", "+34 963 - 51 - 22 - 80"), as people type around a dash: PHONE_NATIONAL's separators are
#: one character. Two groups only with a trunk 0 or a country code first ("0161 - 4960732"): "10115 - 14199" is a
#: range of postcodes. (Not from inside a group of digits: "45 000 - 55 000" is a range of amounts.)
SPACED_HYPHEN_PHONE = re.compile(r"(?<![\w.,+/-])(?<!\d[ ])(?:\+\d{1,3}[ ]?|(?=0))?(?:\(\d{2,5}\)|\d{2,5})"
                                 r"(?:[ ]?-[ ]?\d{2,8}){1,4}(?![\w-])(?![ ]?-[ ]?\d)(?![.,/:]\d)")
SPACED_HYPHEN_GATE = re.compile(r"\d[ ]-[ ]?\d|\d-[ ]\d")
#: Years, which a range of them is made of ("2019 - 2021 - 2023"), and a number's groups of digits.
YEAR_GROUP = re.compile(r"(?:19|20)\d\d")
DIGIT_GROUP = re.compile(r"\d+")
#: A hyphen with its spaces, read as a plain one for TOLL_FREE.
SPACED_HYPHEN = re.compile(r"[ ]?-[ ]?")


def spaced_hyphen_phones(text: str) -> Iterator[Span]:
    """SPACED_HYPHEN_PHONE's numbers with a spaced hyphen that `is_phone` takes, of three groups or more unless a
    trunk 0 or a country code opens them, and not years alone."""
    for match in SPACED_HYPHEN_PHONE.finditer(text):
        groups = DIGIT_GROUP.findall(match.group())
        if not SPACED_HYPHEN_GATE.search(match.group()):
            continue  # "0161-496-0732": PHONE_NATIONAL's
        if len(groups) < 3 and not match.group().startswith(("0", "+", "(0")):
            continue
        if all(YEAR_GROUP.fullmatch(group) for group in groups):
            continue
        if TOLL_FREE.match(SPACED_HYPHEN.sub("-", match.group())):
            continue  # "0800 - 123 - 4567", a firm's freephone number
        if is_phone(text, match.start(), match.end(), 9):
            yield Span(match.start(), match.end(), "PHONE")


#: Issue 18, pass 21: Hong Kong's, Macau's and Singapore's numbers of eight digits in two groups of four ("聯絡人：
#: 陳美玲 6234 8890", "HP 9123 4567 (Ms Goh)"), in a text that names one of those places, with no phone word needed.
#: (Pass 23: and the other closed plans of eight digits written 4+4: Oman's, Qatar's and Bahrain's, Costa Rica's,
#: Panama's, El Salvador's, Honduras's and Nicaragua's, whose first digits include 7; a text in written Cantonese,
#: with its own characters "嘅", "咗", "唔", "佢", "喺", is from Hong Kong or Macau.)
EIGHT_DIGIT_PHONE = re.compile(r"(?<![^\W" + GLUED_SCRIPTS + r"])(?<![.+/#-])[2356789]\d{3}[ -]\d{4}(?![\w-])(?![.,/:]\d)")
EIGHT_DIGIT_PLACES = ("hong kong", "hongkong", "kowloon", "香港", "九龍", "九龙", "新界", "港島", "港岛", "澳門", "澳门", "macau",
                      "macao", "singapore", "新加坡", "hk$", "s$", "hkd", "sgd", "+852", "+853", "+65", "blk ", "mtr",
                      "tsim sha tsui", "mong kok", "causeway bay", "wan chai", "sha tin", "tuen mun", "ang mo kio",
                      "tampines", "jurong", "woodlands", "bedok", "旺角", "銅鑼灣", "铜锣湾", "尖沙咀", "沙田", "屯門",
                      "灣仔", "觀塘", "荃灣", "八達通", "八达通", "octopus", "hkid", "nric", "singpass", "paynow", "fps",
                      "嘅", "咗", "唔", "佢", "喺", "嗰", "啲", "嚟", "冇", "hdb", "mop$",
                      "oman", "muscat", "qatar", "doha", "bahrain", "manama", "+968", "+974", "+973", "omr", "qar",
                      "bhd", "عُمان", "سلطنة عمان", "مسقط", "قطر", "الدوحة", "البحرين", "المنامة",
                      "costa rica", "panamá", "panama", "el salvador", "honduras", "tegucigalpa", "nicaragua",
                      "managua", "+506", "+507", "+503", "+504", "+505", "₡", "colones", "lempiras", "córdobas")


#: Issue 18, pass 28: Lebanon's and Tunisia's numbers of eight digits written two, three, three ("71 338 204", "03 123
#: 456", "98 123 456"), in a text that names one of those countries or their towns, with no phone word needed (not
#: thousands: "25 500 000 LBP" is an amount).
TWO_THREE_THREE_PHONE = re.compile(r"(?<![^\W" + GLUED_SCRIPTS + r"])(?<![.+/#-])(?<!\d[ .-])(?:0[1-9]|[2-9]\d)([ .-])\d{3}\1(?!000)\d{3}"
                                   r"(?![\w-])(?![ .-]?\d)(?![.,/:]\d)")
TWO_THREE_THREE_PLACES = ("lebanon", "liban", "beirut", "beyrouth", "لبنان", "بيروت", "+961", "lbp", "jounieh", "byblos",
                          "jbeil", "achrafieh", "hamra", "zahle", "saida", "baabda", "metn", "kesrouan",
                          "tunisia", "tunisie", "tunis", "تونس", "+216", "tnd", "sfax", "sousse", "bizerte", "nabeul",
                          "monastir", "ariana", "la marsa", "hammamet", "gabès", "gabes", "kairouan")


#: Pass 28: the eight-digit numbers of Togo, Burkina Faso, Niger, Mali and Mauritania, written in four pairs ("97 45 12
#: 33 (Lomé)"), in a text that names one of those countries, their capitals or their calling codes.
EIGHT_PAIRS_PHONE = re.compile(r"(?<![\w.,/+-])(?<!\d )[2-9]\d(?: \d\d){3}(?![\w-])(?! \d)(?![.,/]\d)")
EIGHT_PAIRS_PLACES = ("togo", "lomé", "lome", "burkina", "ouagadougou", "ouaga", "bobo-dioulasso", "niger ", "niamey",
                      "mali ", "bamako", "mauritanie", "mauritania", "nouakchott", "+228", "+226", "+227", "+223",
                      "+222")


def eight_digit_phones(text: str, folded: str) -> Iterator[Span]:
    """EIGHT_DIGIT_PHONE's numbers in a text that names one of EIGHT_DIGIT_PLACES (`folded`: the `fold`ed text), and
    TWO_THREE_THREE_PHONE's and EIGHT_PAIRS_PHONE's in one that names one of their places."""
    if has_any(folded, EIGHT_DIGIT_PLACES):
        yield from judged_phones(EIGHT_DIGIT_PHONE, text, 8)
    if has_any(folded, TWO_THREE_THREE_PLACES):
        yield from judged_phones(TWO_THREE_THREE_PHONE, text, 8)
    if has_any(folded, EIGHT_PAIRS_PLACES):
        yield from judged_phones(EIGHT_PAIRS_PHONE, text, 8)


#: Issue 18, nineteenth pass: the words for a phone of about forty languages and their scripts, on the `fold`ed
#: text. Latin, Cyrillic, Greek, Hebrew and Arabic words stand as words ("tel" is not in "hotel"); Chinese,
#: Japanese, Korean, Thai and Indic words may stand inside a run of letters, as those scripts write them
#: ("请拨打我的手机", "携帯電話番号"). A word that only means "number" (номер, 번호, नंबर) is not one of them:
#: order numbers follow it as often as phones do.
WORLD_PHONE_WORDS = (
    "phone", "telephone", "tel", "tél", "call me on", "call me at", "reach me on", "reach me at", "text me on",
    "text me at", "ring me on", "my number", "my cell", "téléphone", "mobile", "mob", "cell", "cellphone", "handy", "mobil", "mobiel",
    "mobilnummer", "mobiltelefon", "rufnummer", "telefon", "telefonnummer", "telefoon", "telefono", "teléfono",
    "telefone", "telemóvel", "telemovel", "celular", "cel", "celu", "móvil", "movil", "whatsapp", "zap", "fone",
    "contato", "contacto", "numéro de téléphone", "portable", "gsm", "puh", "puhelin", "matkapuhelin", "tlf", "tfn",
    "kom", "komórka", "komorka", "mobilní", "mobilný", "telefonszám", "mobilszám", "cep", "sđt", "sdt", "đt",
    "điện thoại", "di động", "no hp", "nombor telefon", "viber",
    # issue 18, twentieth pass: Indonesian, Malay and Filipino phone words ("No. HP", "Telp", "nomor saya", "CP no.")
    "hp", "no. hp", "nomor hp", "nombor hp", "handphone", "ponsel", "telepon", "telpon", "telp", "nomor telepon",
    "nomor saya", "nombor saya", "no saya", "nomor wa", "no wa", "cp", "cp no", "numero ko", "number ko", "zalo",
    "телефон", "тел", "моб", "мобильный", "мобільний", "сотовый", "вайбер",
    "τηλ", "τηλέφωνο", "κινητό", "κιν",
    "טלפון", "טל", "נייד", "פלאפון",
    "هاتف", "الهاتف", "جوال", "الجوال", "موبايل", "تليفون", "واتساب", "واتس", "تلفن", "موبایل", "شماره تماس",
    # pass 20: "my phone" said in one word (Arabic "هاتفي", "جوالي", Amharic "ስልኬ"), Urdu's and Persian's words
    # ("موبائل", "فون", "شماره موبایل"), "my number" in Hindi and Urdu, Amharic's and Swahili's phone
    "هاتفي", "وهاتفي", "جوالي", "وجوالي", "رقمي", "موبايلي", "موبائل", "فون", "میرا نمبر", "میرا فون", "شماره من",
    "मेरा नंबर", "मेरा मोबाइल", "ስልክ", "ስልኬ", "simu",
    # pass 21: Northern, Central and Eastern Europe's phone words and "call me" ("ring mig på", "helistage",
    # "tālr.", "zadzwoń", "volejte", "hívjon", "sunați", "обадете се", "bel me", "pokličite", "зателефонуйте")
    "ring mig på", "ring meg på", "ring mig", "ring meg", "helista", "helistage", "helistada", "mobiil",
    "telefoni", "tālr", "tālrunis", "tālruņa", "mob. tālr", "zvaniet", "zvanīt", "skambinkite", "skambinti",
    "zadzwoń", "zadzwon", "telefonu", "volejte", "zavolejte", "zavolajte", "telefonní", "telefónne", "hívjon",
    "hívj", "sunați", "sunati", "obadete", "обадете", "телефонен", "anrufen", "rufen sie", "bel me", "bel mij",
    "bellen", "nazovite", "nazvati", "mobitel", "pokličite", "pokliči", "зателефонуйте", "телефонуйте",
    "τηλεφωνήστε", "mobilszám",
    # pass 22: "call me" in Italian, Spanish, Portuguese and French, before a number written without groups
    # ("chiamami al 3471234567", "me liga no 11 987654321", "appelez-moi au 0612345678")
    "chiamami", "chiamatemi", "chiamarmi", "richiamami", "llámame", "llamame", "llámenme", "llamenme", "llamarme",
    "márcame", "marcame", "me liga", "me ligue", "me ligar", "liga pra", "liga para", "ligue pra", "ligue para",
    "appelez-moi", "appelle-moi", "rappelez-moi", "rappelle-moi", "appelez moi", "rappelez moi",
    # ("my number" in Central and Eastern Europe's languages, where "number" alone names orders as often)
    "мой номер", "мій номер", "moje číslo", "moje cislo", "mé číslo", "moje telefonní číslo", "mój numer",
    "moj broj", "moja številka", "mano numeris", "mans numurs", "minu number", "numărul meu", "numarul meu",
    # pass 23: the Nordic "call me at" and "my number", Iceland's "phone" (whose numbers have seven digits)
    "ring på", "ringe på", "ringe mig på", "ringe meg på", "ring mig på", "ring meg på", "mit nr", "mitt nr",
    "mit nummer", "mitt nummer", "sími", "síminn", "símanúmer", "símanúmerið", "gsm-númer",
    # pass 25: a text message's number ("via sms på 073 – 991 22 40", "SMS an 0171 …", "sms na 601 …", "sms au 06 …")
    "sms på", "sms til", "sms till", "sms to", "sms an", "sms na", "sms au", "sms al", "sms no", "sms para",
    # pass 27: Icelandic "sími" as its cases have it ("í síma 661 2345", "farsímanúmer"), and "call me" ("hringdu í
    # mig", "hringið í")
    "síma", "símann", "símanum", "farsími", "farsíma", "farsímanúmer", "hringdu", "hringið", "hringja",
    # pass 27: "reach me" and "call me back" before a short number ("me joindre au 03 482 917", "contact me on 9123
    # 4567", "erreichbar unter …", "text me 9123 4567")
    "text me", "contact me", "call me back", "call back on", "call back", "me joindre", "joignable", "me contacter",
    "contactez-moi", "erreichbar", "ruf mich an", "rufen sie mich an",
    # pass 27: "my number" in Romance languages and Dutch and German, as "my number" in English ("mon numéro : 22 45 67
    # 89"; "mi número de pedido" stays an order's: "pedido" is no GAP_WORDS word)
    "mon numéro", "mon numero", "mi número", "mi numero", "meu número", "meu numero", "il mio numero",
    "mijn nummer", "meine nummer",
    # pass 28: "call me" and "text me" with no "on" or "at", as chat writes them ("txt me 9904-1276", "whatsapp me
    # 71 338 204"), and Nigeria's and Kenya's "my line" (a person's SIM: "my line 0803 …")
    "call me", "ring me", "txt me", "txt me on", "txt me at", "whatsapp me", "whatsapp me on", "msg me", "message me",
    "message me on", "my line",
    # (and Lebanese Arabizi's "call me" and "my number" right before the number: "3ayyetle 71 338 204", "ra2me")
    "3ayyatle", "3ayyetle", "3ayetle", "3ayetli", "3ayyetli", "2ayyetle", "ra2me", "ra2mi",
)
WORLD_PHONE_INSIDE = ("電話", "电话", "手机", "手機", "携帯", "ケータイ", "連絡先", "联系方式", "聯絡", "전화", "휴대폰",
                      "핸드폰", "연락처", "โทร", "เบอร์", "มือถือ", "फोन", "फ़ोन", "मोबाइल", "ফোন", "মোবাইল",
                      "தொலைபேசி", "கைபேசி", "அலைபேசி",
                      # pass 23: the telephone signs chat and signatures put before a number ("📞 9123 4567", "☎ 28 45 61 93")
                      "📞", "☎", "📱", "📲", "✆", "☏")
#: Every WORDED_PHONE match holds one of these (its cheap gate).
WORLD_PHONE_GATE = (*WORLD_PHONE_WORDS, *WORLD_PHONE_INSIDE)
WORDED_PHONE = re.compile(
    "(?P<word>(?<!\\w)(?:" + "|".join(sorted(map(re.escape, WORLD_PHONE_WORDS), key=len, reverse=True)) + ")(?!\\w)|"
    + "|".join(map(re.escape, WORLD_PHONE_INSIDE)) + ")"
    r"[^\d\n]{0,16}?(?<![a-zß-ÿ])(?P<number>\+?\d{7,15}|\+?\(?\d{1,5}\)?(?:(?:[ .\-/]{1,2}| [/-] )\(?\d{1,9}\)?){1,6})"
    r"(?![\d])(?![.,/-]\d)")


#: Phone words that are also the letters of codes ("HP-0021948"): not glued to the number by a hyphen.
CODE_LIKE_WORDS = frozenset({"hp", "cp"})
#: The words that may stand between a phone word and its number ("phone number is", "mi número es", "番号は").
GAP_WORDS = frozenset({
    "", "no", "nr", "num", "number", "numbers", "numero", "número", "numéro", "nummer", "numer", "numara", "numarası",
    "numarasi", "is", "es", "é", "ist", "est", "er", "är", "on", "at", "me", "my", "mon", "ma", "mi", "meu", "minha",
    "mein", "meine", "mijn", "min", "mitt", "moje", "mój", "můj", "mio", "mia", "of", "de", "do", "da", "di", "der",
    "the", "and", "or", "o", "ou", "oder", "y", "e", "und", "new", "nuevo", "novo", "nouveau", "neue", "neu", "nieuwe",
    "ny", "nuovo", "private", "privat", "privé", "personal", "personale", "personnel", "direct", "direkt", "directo",
    "contact", "kontakt", "contacto", "contato", "please", "pls", "plz", "bitte", "por", "favor", "s'il", "vous", "plaît",
    "call", "ring", "text", "sms",
    *WORLD_PHONE_WORDS, "номер", "мой", "мій", "моб", "тел", "телефона", "телефону", "για", "το", "μου", "αριθμός", "αριθμος", "שלי",
    "מספר", "رقم", "الرقم", "هو", "شماره", "من", "hai", "ka", "ki", "ko", "है", "का", "की", "नंबर", "নম্বর", "எண்",
    "نمبر", "ہے", "میرا", "ቁጥር", "ቁጥሬ", "ya", "yangu", "namba", "nambari", "است", "همراه",
    "số", "là", "của", "tôi", "em", "anh", "chị", "cá", "nhân", "ng",
    # (twentieth pass: Indonesian, Malay and Tagalog "my", "is", "at", "yes", "please")
    "saya", "aku", "adalah", "ialah", "po", "ang", "aking", "nomor", "nombor", "tolong", "mohon",
    # (pass 22: "to me" and "at" after a call-me word, and "number" in Central and Eastern Europe: "helistage mulle",
    # "zvaniet man", "chiamami al", "me liga no", "appelez-moi au", "sunați-mă la numărul", "hívjon a … számon")
    "mulle", "man", "mums", "mnie", "mne", "мне", "мені", "nekem", "al", "au", "a", "na", "pe", "para",
    "pra", "sur", "numărul", "numarul", "szám", "számon", "číslo", "cislo", "broj", "numurs", "numuru", "numeris",
    "numerį", "numbril", "numbrile", "je", "jest", "to", "este", "є", "ir", "yra", "minn", "mín",
    # (pass 23: "please" in more languages: "helistage mulle palun 5566 7788", "ring venligst på")
    "palun", "prosím", "prosim", "proszę", "prosze", "per", "favore", "alstublieft", "aub", "kérem", "kerem", "vă",
    "rog", "lütfen", "lutfen", "παρακαλώ", "пожалуйста", "будь", "ласка", "venligst", "vennligst", "gärna",
    "í", "mig",  # (pass 27: Icelandic "hringdu í mig í síma …", "liga pra mim", "bel me op", "erreichbar unter")
    "mim", "op", "unter", "back",
})
#: Marks a Chinese, Japanese or Korean phone word runs on with ("番号", "号码", "は"), dropped from a gap's words.
GAP_MARKS = "番号码號碼はがの是为為을를은는이가번호입니다" + "".join(WORLD_PHONE_INSIDE)
#: (Issue 18, pass 20: with the vowel signs and viramas of the Indic scripts, which are no word characters to sre:
#: "எண்" and "नंबर" are one word each.)
LETTERS = re.compile(r"(?:[^\W\d_]|[\u0900-\u0dff])+")


#: A number with a phone word right after it: "0244123456 (mobile)", "9123 4567 is my cell", "98765 43210 -
#: WhatsApp", "13800138000（手机）" (issue 18, nineteenth pass).
PHONE_THEN_WORD = re.compile(
    r"(?<![\w.+/-])(?P<number>\+?\d{7,15}|\+?\(?\d{1,5}\)?(?:[ .\-/]\(?\d{1,8}\)?){1,6})"
    r"[ \t]*(?:[(（,:-]|–)?[ \t]*(?:(?:is|es|é|est|ist|er|är|=)[ \t]+)?(?:(?:my|mi|mon|ma|meu|minha|mein|meine|mijn|"
    r"min|mitt|o|the)[ \t]+)?(?P<word>" + "|".join(sorted(map(re.escape, WORLD_PHONE_WORDS + WORLD_PHONE_INSIDE),
                                                      key=len, reverse=True)) + r")(?!\w)")


def worded_phones(text: str, folded: str) -> Iterator[Span]:
    """A number of 7 to 15 digits after a word for a phone in any of forty languages (`WORDED_PHONE`), written in
    groups or not ("tlf 28 45 61 93", "телефон 8 912 345-67-89", "携帯：090-1234-5678", "ΤΗΛ 6941234567"), or right
    before one (`PHONE_THEN_WORD`), unless it is named a reference, a date, a firm's line or a freephone number
    (`is_phone`)."""
    for pattern in (WORDED_PHONE, PHONE_THEN_WORD):
        for match in pattern.finditer(folded):
            if folded.startswith(("tel aviv", "tel-aviv"), match.start("word")):
                continue  # a city, and its postcode
            if match.group("word") in CODE_LIKE_WORDS and (folded[match.end("word"):match.start("number")] == "-"
                                                           or folded[match.start("word") - 1:match.start("word")] == "-"):
                continue  # "Policy HP-0021948", "CZ-CP-2290114": a code's letters, not "handphone" or "cellphone"
            if pattern is WORDED_PHONE and not all(
                    word.strip(GAP_MARKS) in GAP_WORDS
                    for word in LETTERS.findall(folded, match.end("word"), match.start("number"))):
                continue  # "phone case SKU …", "手机订单号 …", "τηλ. κέντρο εξυπηρέτησης …": another thing's number
            start, end = match.span("number")
            end = unbalanced_paren_end(text[start:end], end)
            if is_phone(text, start, end, 7):
                yield Span(start, end, "PHONE")


def compact_phones(text: str) -> Iterator[Span]:
    """Issue 18, seventeenth pass: numbers written without spaces in the shape of a national mobile number
    (a trunk 0, then 6-9, or 1 and ten digits: Nigeria's 0803…, Egypt's 010…, Morocco's 06…, Pakistan's 03 is
    grouped) wherever they stand ("- Kehinde 08034410977"). Each holds nine digits in a row: `find_phones` calls
    this behind its NINE_DIGITS gate."""
    for match in COMPACT_MOBILE.finditer(text):
        if number_is_reference(text, match.start()) or answers_an_id_question(text, match.start()):
            continue  # (pass 28: "客服: 请提供订单号\n用户: 7720034411", an order's number asked for, as typed phones)
        if not FIRST_COMPACT.fullmatch(match.group()) and (
                code_before(text, match.start()) or labelled_a_number(text, match.start())):
            continue  # pass 20's shapes: "PCN 8830012741", "Tesisat no: 8800291733", "broadband ID 0512284417"
        yield Span(match.start(), match.end(), "PHONE")
    if (not text.isascii() and CHINESE_MOBILE_HINT.search(text)) or "wechat" in fold(text) or "weixin" in fold(text):
        for match in CHINESE_MOBILE.finditer(text):
            if not number_is_reference(text, match.start()) and not DATE_INSIDE.search(match.group()):
                yield Span(match.start(), match.end(), "PHONE")


def labelled_a_number(text: str, start: int) -> bool:
    """NUMBER_LABEL_BEFORE right before `start`, unless (pass 28) a mobile wallet's name comes before the label
    ("Paytm no 9876543210", "GCash # 9171234567"): a wallet's number is its owner's phone (pii_refs.MOBILE_WALLET)."""
    label = NUMBER_LABEL_BEFORE.search(text, max(0, start - 16), start)
    return label is not None and MOBILE_WALLET.search(text, max(0, label.start() - 24), label.start()) is None


#: Issue 18, pass 22: the mobiles of Brazil and Chile, whose nine digits start with a 9 people write apart: "11 9 8765
#: 4321", "(21) 9 9876-5432" (an area code first), Chile's "9 8765 4321" (no area code), a shape PHONE_NATIONAL's groups of two
#: digits or more leave out.
NINE_MOBILE = re.compile(r"(?<![\w.+/(-])(?:\(?[1-9]{2}\)?[ ])?9[ .]\d{4}[ .-]\d{4}(?![\w-])(?![.,/]\d)")


def nine_mobiles(text: str) -> Iterator[Span]:
    yield from judged_phones(NINE_MOBILE, text, 9)


def glued_phones(text: str) -> Iterator[Span]:
    """Korean and Japanese numbers with a particle glued after them, and Japan's bracketed exchange (GLUED_PHONE)."""
    if "(" not in text and GLUED_AFTER.search(text) is None:
        return
    yield from judged_phones(GLUED_PHONE, text, 9)


def answered_phones(text: str) -> Iterator[Span]:
    """Issue 18, seventeenth pass: any phone-length number alone on a chat line that answers a request for a
    phone number ("Please share your registered mobile number.\nUser: 9820147735")."""
    if "\n" not in text:
        return
    for match in ANSWER_NUMBER.finditer(text):
        previous = line_before(text, match.start())
        asked = fold(previous)
        label = fold(text[match.start():match.start("number")])
        if (has_any(asked, PHONE_ASKED) and not has_any(asked, ID_WORDS)
                and not has_any(label, ID_WORDS) and not any(c.isdigit() for c in previous)
                and ASKING.search(previous) is not None):
            yield Span(match.start("number"), match.end("number"), "PHONE")


#: (Issue 18, twentieth pass: and Indonesia's mobiles of twelve and thirteen digits, "081234567890".)
#: (Issue 18, pass 20, classes of South Asia, the Middle East and Africa: Pakistan's "03001234567" (03, then 0-4,
#: eleven digits), the Gulf's, Israel's and Ghana's "0569014427" (05, ten digits), India's "7738291046" (6-9, ten
#: digits), and the mobile numbers their systems write with the country code and no plus: Kenya's "254722610093",
#: Nigeria's "2348031234567", Ghana's, Pakistan's, Bangladesh's, the Emirates', Saudi Arabia's, South Africa's.)
#: (Pass 23: Australia's mobiles, "0412555381" (04, ten digits), and Turkey's, "05321234567" (05, eleven digits).)
#: (Pass 27: the scripts written without spaces may stand right before or after one, as before any phone
#: (GLUED_SCRIPTS): "番号09012345678じゃなくて…", "เบอร์0812345678ค่ะ".)
COMPACT_MOBILE = re.compile(r"(?<![^\W" + GLUED_SCRIPTS + r"])(?<![.+/-])(?:0(?:[6-9]\d{8,9}|1\d{9}|3[0-4]\d{8}|4\d{8}|5\d{8,9}|8[1-9]\d{9,10})|254[17]\d{8}|234[789][01]\d{8}|"
                            r"[6-9]\d{9}|233[25]\d{8}|923[0-4]\d{8}|8801[3-9]\d{8}|9715\d{8}|9665\d{8}|27[6-8]\d{8})"
                            r"(?![^\W" + GLUED_SCRIPTS + r"])(?!-)(?![.,/]\d)")
#: The seventeenth pass's shapes, found wherever they stand; pass 20's others not after a code or a number's label.
FIRST_COMPACT = re.compile(r"0(?:[6-9]\d{8,9}|1\d{9}|8[1-9]\d{9,10})")
NUMBER_LABEL_BEFORE = re.compile(r"(?i:(?<![^\W\d_])(?:no|nr|n|č|c|id|#)\.?[ \t]*[:#]?[ \t]*\Z|"
                                 r"(?:کد[ \u200c]?پستی|کدپستی|postal code|post ?code|pin ?code|zip(?: code)?|"
                                 r"الرمز البريدي|מיקוד)[ \t]*[:#-]?[ \t]*\Z)")  # "کد پستی ۷۱۳۴۸۵۶۹۱۲": Iran's postcode
#: Issue 18, twentieth pass: mainland China's mobiles written without spaces (eleven digits, 13 to 19 first: "联系人：
#: 周杰 13800138000"), in a text with Chinese characters or WeChat in it; no phone word needed, as with COMPACT_MOBILE.
CHINESE_MOBILE = re.compile(r"(?<![\w.+/-])1[3-9]\d{9}(?![\w-])(?![.,/]\d)|(?<=[\u3400-\u9fff])1[3-9]\d{9}(?!\d)")
CHINESE_MOBILE_HINT = re.compile(r"[\u3400-\u9fff]")
#: Issue 18, twentieth pass: a Korean or Japanese number (a trunk 0, then 3-4-4 or 2-4-4 digits) with the particle
#: or the verb glued after it ("010.1234.5678로", "090-1234-5678まで"), where PHONE_NATIONAL stops at a letter; and the
#: Japanese form with the exchange in brackets ("06(6123)4567").
GLUED_PHONE = re.compile(r"(?<![\w.+/-])(?:0\d{1,3}([-. ])\d{3,4}\1\d{4}(?=[\u3040-\u309f\uac00-\ud7a3])|"
                         r"0\d{1,4}\(\d{1,4}\)\d{4}(?!\d))")
GLUED_AFTER = re.compile(r"\d[\u3040-\u309f\uac00-\ud7a3]")  # (its cheap gate: a digit, then hiragana or Hangul)
ANSWER_NUMBER = re.compile(r"^[ \t]*(?:\[[\d:]+\][ \t]*)?[^\W\d][\w .()'’-]{0,30}:[ \t]*(?P<number>\+?\d[\d \-]{7,16}\d)[ \t]*$",
                           re.MULTILINE)
PHONE_ASKED = ("phone", "mobile", "number", "móvil", "movil", "celular", "telefone", "teléfono", "telefono", "numéro",
               "número", "numero", "nummer", "contact")


#: Issue 18, pass 21: a number that a line break (a mail's or a form's wrapping, a quoted reply's "> ") cuts in two,
#: right after a phone word: "pls ring me on 07700 900\n461".
#: (Pass 24: also with its separator before the break, "415-555-\n0199", or its area code in parentheses, "+1 (415)\n555-0199".)
#: (Pass 25: its groups each on a line of their own, "07700\n900\n582", as a form's narrow field or a chat's lines
#: leave them; its phone word may end the line before, "Numer telefonu:\n601\n234\n567".)
#: (Pass 27: or the break inside its area code's parentheses, "(04\n12) 558 903"; "new num" as its phone word.)
#: (Pass 28: or sent as two chat messages, the second line opening with its speaker, "Customer: my number is 0161 496
#: \nCustomer: 0732", "[10:02] Ana: … 612 34\n[10:02] Ana: 56 78"; `wrapped_phones` wants the same speaker on both.)
CHAT_TURN = r"(?:\[[\d:]+\][ \t]*)?(?P<speaker>[^\W\d][\w .'’-]{0,30}):[ \t]*"
CHAT_TURN_OPENS = re.compile(r"[ \t>]*" + CHAT_TURN)
WRAPPED_PHONE = re.compile(r"(?<![\w.+/(-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}[ \t]*\n[ \t>]*\d{1,4}\)(?:[ .-]?\d{2,8}){1,3}(?!\w)(?![.\-/:]\d)|"
                           r"(?:\(\d{2,5}\)|\d{2,5})(?:[ .-]\d{2,8}){0,3}"
                           r"(?:[.-]?[ \t]*\n[ \t>]*(?:" + CHAT_TURN.replace("?P<speaker>", "") + r")?\d{2,8}(?:[ .-]\d{2,8}){0,3}){1,3}"
                           r"(?!\w)(?![.\-/:]\d))")
WRAPPED_PHONE_GATE = re.compile(r"[\d)][.-]?[ \t]*\n[ \t>]*(?:" + CHAT_TURN.replace("?P<speaker>", "") + r")?\d")
WRAPPED_PHONE_CUE = re.compile(r"(?i:phone|mobile|\bmob|cell|\bcel|\btel|ring me|call me|\bcall|text me|\btxt|reach me|"
                               r"whats ?app|number|celular|m[óo]vil|telefone|tel[ée]fono|telefono|num[ée]ro|n[úu]mero|portable|"
                               r"contact|\bnum\b|\bnmr\b|nomor|nummer|handy|\bhp\b|\bsms\b)[^\n\d]{0,25}"
                               r"(?:\n[ \t>]*(?:" + CHAT_TURN.replace("?P<speaker>", "") + r")?)?\Z")


def wrapped_phones(text: str) -> Iterator[Span]:
    for match in WRAPPED_PHONE.finditer(text):
        start, end = match.span()
        if (WRAPPED_PHONE_CUE.search(text, max(0, start - 40), start) is not None
                and 9 <= sum(map(str.isdigit, match.group())) <= 13 and one_speaker(text, start, end)
                and is_phone(text, start, end, 9)):
            yield from wrapped_pieces(text, start, end)


def wrapped_pieces(text: str, start: int, end: int) -> Iterator[Span]:
    """A wrapped number's span, or (pass 28) one span for each chat message it was sent in: the speaker that opens
    a line it runs on to is no part of it."""
    piece, newline = start, text.find("\n", start, end)
    while newline != -1:
        turn = CHAT_TURN_OPENS.match(text, newline + 1, end)
        if turn is not None:
            yield Span(piece, len(text[:newline].rstrip(" \t")), "PHONE")
            piece = turn.end()
        newline = text.find("\n", newline + 1, end)
    yield Span(piece, end, "PHONE")


def speaker_of(line: str) -> str | None:
    """The speaker a chat line opens with (CHAT_TURN_OPENS), lower-cased, or None."""
    turn = CHAT_TURN_OPENS.match(line)
    return None if turn is None else turn.group("speaker").strip().lower()


def one_speaker(text: str, start: int, end: int) -> bool:
    """Whether a number wrapped over lines from `start` to `end` was sent by one person: a line it runs on to that
    opens with a speaker (pass 28, a number sent as two chat messages) opens the number's first line too."""
    lines = text[text.rfind("\n", 0, start) + 1:end].split("\n")
    first = speaker_of(lines[0])
    for line in lines[1:]:
        if CHAT_TURN_OPENS.match(line) and speaker_of(line) != first:
            return False
    return True


def short_phones(folded: str) -> Iterator[Span]:
    """Seven- and eight-digit numbers right after a phone word (`folded`: the text lower-cased letter for
    letter): Iceland and Estonia have seven digits (issue 18, thirteenth pass), Denmark and Norway eight."""
    for match in SHORT_PHONE.finditer(folded):
        if 7 <= sum(map(str.isdigit, match.group(1))) <= 8 and not DATE_INSIDE.search(match.group(1)):
            yield Span(match.start(1), match.end(1), "PHONE")


def more_keyword_phones(text: str, folded: str) -> Iterator[Span]:
    for match in PHONE_KEYWORD_MORE.finditer(folded):
        if not number_is_reference(text, match.start(1)):
            yield Span(match.start(1), match.end(1), "PHONE")


def find_spoken_phones(text: str) -> Iterator[Span]:
    """Numbers spoken or typed digit by digit; also in a text without a digit (pass 21: a card's digits spoken
    in a call, a social security number spoken, a number typed a digit at a time, are no longer taken for a
    phone: `spoken_numbers` says what each run is)."""
    if not text.isascii() and NUMERAL_RUN.search(text):
        yield from numeral_phones(text)  # pass 23: (a text of numerals may hold no digit)
    folded = fold(text)
    if len(folded) != len(text):
        return
    if has_any(folded, SPOKEN_GATE) or SPACED_DIGITS_GATE.search(text):
        yield from spoken_numbers(text, folded)
    if has_any(folded, MILLIONS_GATE):
        yield from spoken_id_amounts(text, folded)


#: Issue 18, pass 26: the words Spanish and Portuguese say a whole number in ("treinta y dos millones cuatrocientos
#: cincuenta y seis mil setecientos ochenta y uno"): an Argentine DNI, a Chilean RUT or a cédula is read so in a call.
CARDINAL_WORD = (r"(?:un|uno|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|trece|catorce|quince|"
                 r"dieci\w+|veinti\w+|veinte|treinta|cuarenta|cincuenta|sesenta|setenta|ochenta|noventa|cien|ciento|"
                 r"\w+ientos|\w+ientas|quinientos|quinientas|mil|mill[oó]n|millones|"
                 r"um|dois|duas|três|quatro|sete|oito|nove|dez|onze|doze|treze|quatorze|dezesseis|dezasseis|"
                 r"dezessete|dezassete|dezoito|dezenove|dezanove|vinte|trinta|quarenta|cinquenta|sessenta|oitenta|"
                 r"cem|cento|duzent[oa]s|trezent[oa]s|\w+centos|\w+centas|quinhent[oa]s|milh[ãa]o|milh[õo]es)")
#: A run of them, "y" or "e" between two; it names millions, or it is an amount of no id.
CARDINAL_RUN = re.compile(rf"(?<![^\W\d_]){CARDINAL_WORD}(?:[ \t]+(?:[ye][ \t]+)?{CARDINAL_WORD})+(?![^\W\d_])")
MILLIONS_GATE = ("millon", "millón", "milhão", "milhao", "milhões", "milhoes")
#: The check digit said after the number ("…, guion cuatro", "…, traço k").
SPOKEN_CHECK_DIGIT = re.compile(r",?[ \t]*(?:gui[oó]n|raya|tra[cç]o|h[ií]fen|d[ií]gito(?: verificador)?)[ \t]+"
                                r"(?:cero|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|zero|um|dois|três|quatro|"
                                r"sete|oito|nove|k|ka|\d)(?![^\W\d_])")


def spoken_id_amounts(text: str, folded: str) -> Iterator[Span]:
    """An id said as a number of millions after its name ("el dni es veintinueve millones ciento cuatro mil
    trescientos doce"), with its check digit if said; millions with no id's name before them are money."""
    for match in CARDINAL_RUN.finditer(folded):
        run = match.group()
        if not has_any(run, MILLIONS_GATE) or " mil" not in run.replace("millon", "").replace("milh", ""):
            continue  # (an id has thousands after its millions: "dos millones" alone is an amount)
        if spoken_id_named(text[max(0, match.start() - 60):match.start()]):
            check = SPOKEN_CHECK_DIGIT.match(folded, match.end()) or SPOKEN_ID_LETTER.match(text, match.end())
            yield Span(match.start(), check.end() if check else match.end(), "SSN")


def words_for_digits(words: str, **more: str) -> dict[str, str]:
    """Ten digit words from zero to nine, and other words for some of them."""
    return {**{word: str(digit) for digit, word in enumerate(words.split())}, **more}


#: Issue 18, pass 21: the digit words of the transcripts' languages: English ("oh" for zero), Spanish, Portuguese,
#: Italian, French. A run needs seven digits or more, so an ordinary word among them ("un", "sei", "due") is
#: no number alone.
SPOKEN_DIGITS = {
    "zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9",
    "cero": "0", "uno": "1", "dos": "2", "tres": "3", "cuatro": "4", "cinco": "5", "seis": "6", "siete": "7",
    "ocho": "8", "nueve": "9",
    "dois": "2", "três": "3", "quatro": "4", "sete": "7", "oito": "8", "nove": "9",
    "due": "2", "tre": "3", "quattro": "4", "cinque": "5", "sei": "6", "sette": "7", "otto": "8",
    "zéro": "0", "un": "1", "deux": "2", "trois": "3", "quatre": "4", "cinq": "5", "sept": "7", "huit": "8",
    "neuf": "9",
    # pass 26: French "cent" alone before a pair ("cent onze" is 111; "six cent deux" stays SPOKEN_HUNDREDS')
    "cent": "1",
    # issue 18, pass 22: Portuguese "um" (one; an English "um" is a pause, and among digits costs nothing)
    "um": "1", "uma": "1",
    # issue 18, pass 23: German, Dutch, Polish, Russian, Ukrainian, Greek, Turkish (as `fold` has it: "sıfır" is
    # "sifir"; typed without its marks too), Indonesian and Malay, Vietnamese and Arabic digit words
    **words_for_digits("null eins zwei drei vier fünf sechs sieben acht neun", zwo="2", fuenf="5"),
    **words_for_digits("nul een twee drie vier vijf zes zeven acht negen", één="1"),
    **words_for_digits("zero jeden dwa trzy cztery pięć sześć siedem osiem dziewięć", piec="5", szesc="6",
                       dziewiec="9"),
    **words_for_digits("ноль один два три четыре пять шесть семь восемь девять", нуль="0", одна="1", две="2"),
    **words_for_digits("нуль один два три чотири п'ять шість сім вісім дев'ять", дві="2", **{"п’ять": "5", "дев’ять": "9"}),
    **words_for_digits("μηδέν ένα δύο τρία τέσσερα πέντε έξι επτά οκτώ εννέα", μηδεν="0", ενα="1", δυο="2", τρια="3",
                       εξι="6", εφτά="7", επτα="7", οχτώ="8", οκτω="8", εννιά="9", εννεα="9"),
    **words_for_digits("sifir bir iki üç dört beş alti yedi sekiz dokuz", uc="3", dort="4", bes="5"),
    **words_for_digits("nol satu dua tiga empat lima enam tujuh delapan sembilan", kosong="0", lapan="8"),
    **words_for_digits("không một hai ba bốn năm sáu bảy tám chín", linh="0"),
    **words_for_digits("صفر واحد اثنين ثلاثة أربعة خمسة ستة سبعة ثمانية تسعة", اثنان="2", اربعة="4"),
    # issue 18, pass 24: Hindi in Devanagari and as chats type it in Latin letters ("nau aath chaar ek …"), Urdu and
    # Persian, Bengali; Swedish, Romanian, Czech, Hungarian, Finnish, Tagalog and Swahili (without their marks too)
    **words_for_digits("शून्य एक दो तीन चार पांच छह सात आठ नौ", पाँच="5", छः="6", छे="6"),
    **words_for_digits("shunya ek do teen chaar paanch chhah saat aath nau", shoonya="0", sunya="0", char="4",
                       panch="5", paach="5", chhe="6", che="6", chah="6", chha="6", chhai="6", sat="7", ath="8",
                       aat="8", nao="9", nou="9"),
    **words_for_digits("صفر ایک دو تین چار پانچ چھ سات آٹھ نو", چھے="6"),
    **words_for_digits("صفر یک دو سه چهار پنج شش هفت هشت نه"),
    **words_for_digits("শূন্য এক দুই তিন চার পাঁচ ছয় সাত আট নয়", **{"ছ\u09df": "6", "ন\u09df": "9"}),  # (ya with its dot as one character)
    **words_for_digits("noll ett två tre fyra fem sex sju åtta nio", tva="2", atta="8"),
    **words_for_digits("zero unu doi trei patru cinci șase șapte opt nouă", şase="6", sase="6", şapte="7", sapte="7",
                       noua="9"),
    **words_for_digits("nula jedna dva tři čtyři pět šest sedm osm devět", tri="3", ctyri="4", pet="5", sest="6",
                       devet="9"),
    **words_for_digits("nulla egy kettő három négy öt hat hét nyolc kilenc", ketto="2", harom="3", negy="4", het="7"),
    **words_for_digits("nolla yksi kaksi kolme neljä viisi kuusi seitsemän kahdeksan yhdeksän", nelja="4",
                       seitseman="7", yhdeksan="9"),
    **words_for_digits("sero isa dalawa tatlo apat lima anim pito walo siyam"),
    **words_for_digits("sifuri moja mbili tatu nne tano sita saba nane tisa"),
}


def two_digit_words(units: Sequence[str], teens: Sequence[str], tens: Sequence[str], forms: Sequence[str]
                    ) -> dict[str, str]:
    """One language's words for ten to ninety-nine with their two digits: its teens, its tens, and each ten joined
    with each unit (one to nine) in each of the language's `forms` ("{ten}-{unit}": "forty-four"; "{unit}und{ten}":
    "vierundvierzig")."""
    numbers = {word: str(10 + place) for place, word in enumerate(teens)}
    for place, ten in enumerate(tens, start=2):
        numbers[ten] = f"{place}0"
        for unit, word in enumerate(units, start=1):
            numbers.update(dict.fromkeys((form.format(ten=ten, unit=word) for form in forms), f"{place}{unit}"))
    return numbers


def spoken_pairs() -> dict[str, str]:
    """Issue 18, pass 22: numbers from ten to ninety-nine as a phone is read in pairs (French always: "zéro six,
    douze, trente-quatre"; Spanish, Italian, Portuguese and English often: "treinta y cuatro", "forty-four"), each
    word or phrase with its two digits."""
    units = {
        "en": ("", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
        "es": ("", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"),
        "pt": ("", "um", "dois", "três", "quatro", "cinco", "seis", "sete", "oito", "nove"),
        "it": ("", "uno", "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove"),
        "fr": ("", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"),
    }
    teens = {
        "en": "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen",
        "es": "diez once doce trece catorce quince dieciséis diecisiete dieciocho diecinueve",
        "pt": "dez onze doze treze catorze quinze dezesseis dezessete dezoito dezenove",
        "it": "dieci undici dodici tredici quattordici quindici sedici diciassette diciotto diciannove",
        "fr": "dix onze douze treize quatorze quinze seize dix-sept dix-huit dix-neuf",
    }
    tens = {
        "en": "twenty thirty forty fifty sixty seventy eighty ninety",
        "es": "veinte treinta cuarenta cincuenta sesenta setenta ochenta noventa",
        "pt": "vinte trinta quarenta cinquenta sessenta setenta oitenta noventa",
        "it": "venti trenta quaranta cinquanta sessanta settanta ottanta novanta",
        "fr": "vingt trente quarante cinquante soixante",
    }
    forms = {"en": ("{ten}-{unit}", "{ten} {unit}"), "es": ("{ten} y {unit}",), "pt": ("{ten} e {unit}",),
             "it": ("{ten}{unit}",), "fr": ("{ten}-{unit}",)}
    pairs: dict[str, str] = {}
    for lang, words in teens.items():
        pairs.update(two_digit_words(units[lang][1:], words.split(), tens[lang].split(), forms[lang]))
    pairs.update({"dieciseis": "16", "dezasseis": "16", "dezassete": "17", "dezanove": "19", "quatorze": "14",
                  "veintiuno": "21", "veintidós": "22", "veintidos": "22", "veintitrés": "23", "veintitres": "23",
                  "veinticuatro": "24", "veinticinco": "25", "veintiséis": "26", "veintiseis": "26",
                  "veintisiete": "27", "veintiocho": "28", "veintinueve": "29", "vinte e um": "21"})
    for ten, word in (("vent", "venti"), ("trent", "trenta"), ("quarant", "quaranta"), ("cinquant", "cinquanta"),
                      ("sessant", "sessanta"), ("settant", "settanta"), ("ottant", "ottanta"), ("novant", "novanta")):
        pairs[f"{ten}uno"] = pairs[word][0] + "1"  # Italian drops the vowel before uno and otto: "ventuno", "trentotto"
        pairs[f"{ten}otto"] = pairs[word][0] + "8"
    for ten, digit in (("vingt", "2"), ("trente", "3"), ("quarante", "4"), ("cinquante", "5"), ("soixante", "6")):
        pairs[f"{ten} et un"] = digit + "1"
    for unit, word in enumerate(("dix", "onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept",
                                 "dix-huit", "dix-neuf")):  # French 70 to 79, 90 to 99
        pairs[f"soixante-{word}"] = str(70 + unit)
        pairs[f"quatre-vingt-{word}"] = str(90 + unit)
    pairs["soixante et onze"] = "71"
    pairs["quatre-vingt"] = pairs["quatre-vingts"] = "80"
    for unit, word in enumerate(units["fr"][1:], start=1):
        pairs[f"quatre-vingt-{word}"] = f"8{unit}"
    return pairs


def slavic_and_german_numbers() -> dict[str, str]:
    """Issue 18, pass 23: the numbers a Russian or Ukrainian reads a phone in (three digits, then pairs: "восемь
    девятьсот шестнадцать, сто двадцать три, сорок пять, шестьдесят семь") and German's pairs ("null sieben elf,
    zweiundzwanzig"): ten to ninety-nine with their two digits, and each hundred with its first digit (the pair
    or unit said after it gives the rest)."""
    numbers: dict[str, str] = {}
    for units, teens, tens, hundreds in (
            ("один два три четыре пять шесть семь восемь девять",
             "десять одиннадцать двенадцать тринадцать четырнадцать пятнадцать шестнадцать семнадцать восемнадцать "
             "девятнадцать", "двадцать тридцать сорок пятьдесят шестьдесят семьдесят восемьдесят девяносто",
             "сто двести триста четыреста пятьсот шестьсот семьсот восемьсот девятьсот"),
            ("один два три чотири п'ять шість сім вісім дев'ять",
             "десять одинадцять дванадцять тринадцять чотирнадцять п'ятнадцять шістнадцять сімнадцять вісімнадцять "
             "дев'ятнадцять", "двадцять тридцять сорок п'ятдесят шістдесят сімдесят вісімдесят дев'яносто",
             "сто двісті триста чотириста п'ятсот шістсот сімсот вісімсот дев'ятсот")):
        numbers.update(two_digit_words(units.split(), teens.split(), tens.split(), ("{ten} {unit}",)))
        for place, hundred in enumerate(hundreds.split(), start=1):
            numbers[hundred] = str(place)
    german_units = ("ein", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun")
    german_teens = ("zehn", "elf", "zwölf", "dreizehn", "vierzehn", "fünfzehn", "sechzehn", "siebzehn", "achtzehn",
                    "neunzehn")
    german_tens = ("zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig", "neunzig")
    numbers.update(two_digit_words(german_units, german_teens, german_tens, ("{unit}und{ten}",)))
    numbers.update(dutch_and_nordic_numbers())
    numbers.update({word.replace("'", "’"): digits for word, digits in numbers.items() if "'" in word})
    numbers.update({word.replace("ß", "ss"): digits for word, digits in numbers.items() if "ß" in word})
    return numbers


#: Pass 27: Dutch's, Danish's, Norwegian's and Swedish's units, teens, tens, and how a ten and a unit are joined.
DUTCH_AND_NORDIC = (
    ("een twee drie vier vijf zes zeven acht negen",
     "tien elf twaalf dertien veertien vijftien zestien zeventien achttien negentien",
     "twintig dertig veertig vijftig zestig zeventig tachtig negentig", ("{unit}en{ten}", "{unit}ën{ten}")),
    ("en to tre fire fem seks syv otte ni", "ti elleve tolv tretten fjorten femten seksten sytten atten nitten",
     "tyve tredive fyrre halvtreds tres halvfjerds firs halvfems", ("{unit}og{ten}",)),
    ("en to tre fire fem seks sju åtte ni", "ti elleve tolv tretten fjorten femten seksten sytten atten nitten",
     "tjue tretti førti femti seksti sytti åtti nitti", ("{ten}{unit}",)),
    ("ett två tre fyra fem sex sju åtta nio", "tio elva tolv tretton fjorton femton sexton sjutton arton nitton",
     "tjugo trettio fyrtio femtio sextio sjuttio åttio nittio", ("{ten}{unit}",)),
)


def dutch_and_nordic_numbers() -> dict[str, str]:
    """Pass 27: ten to ninety-nine as Dutch, Danish, Norwegian and Swedish read a phone in pairs ("nul zes,
    eenenveertig, zevenentachtig", "otteogtyve", "førtien", "fyrtioett"), each with its two digits. (Danish "tres",
    sixty, is Spanish's three among SPOKEN_DIGITS, which are looked up first.)"""
    numbers: dict[str, str] = {}
    for units, teens, tens, forms in DUTCH_AND_NORDIC:
        numbers.update(two_digit_words(units.split(), teens.split(), tens.split(), forms))
    return numbers


SPOKEN_PAIRS = {**spoken_pairs(), **slavic_and_german_numbers()}
#: Issue 18, pass 22: "nine hundred", "four thousand" (a digit word, then two or three zeros).
SPOKEN_HUNDREDS = {"hundred": "00", "thousand": "000", "cien": "00", "mil": "000", "cent": "00", "cento": "00"}


def first_letter_groups(words: Iterable[str]) -> str:
    """An alternation of `words` grouped by their first letter, longest first within a group ("z(?:ero|wei)|…"):
    sre tries the alternatives of a branch one by one at every position, and after pass 24's languages a thousand
    of them cost more than the rest of the detector; one group's are tried now. (At one position only one group can
    match, so the order the words are tried in is that of one flat alternation, longest first.)"""
    groups: dict[str, list[str]] = {}
    for word in sorted(words, key=lambda word: (-len(word), word)):
        groups.setdefault(word[0], []).append(word[1:])
    return "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in sorted(groups.items()))


SPOKEN_WORD = first_letter_groups({*SPOKEN_DIGITS, *SPOKEN_PAIRS})
#: Pass 24: the blocks of the Indic scripts, whose vowel signs are no word characters to sre: a digit word is no
#: number before or after one ("चार" in "चारों").
INDIC_MARKS = "\u0900-\u0dff"
#: A token of a spoken number: a digit word, "double four", "triple seven", a pair's word ("forty-four"), "nine
#: hundred", or a typed group of up to five digits (pass 23: "07700 nine double oh …"); "plus" before the first ("plus four four, seven seven …"), "double"
#: before typed digits too ("0 7 7 double 0"), and single digits joined by dashes ("2-1-2-5-5-5", pass 22).
SPOKEN_TOKEN = re.compile(rf"(?<![^\W\d_])(?<![{INDIC_MARKS}])(?:plus[ \t]+)?(?:(?P<times>double|triple|doble|triplo)[ -])?"
                          rf"(?:(?P<word>{SPOKEN_WORD})(?:[ -](?P<hundred>{'|'.join(SPOKEN_HUNDREDS)}))?(?![^\W\d_]|[{INDIC_MARKS}])|"
                          r"(?<![\w.,/+-])(?P<digits>\d(?:-\d){2,}|\d{1,5})(?![\w])(?![.,/]\d))")
#: What stands between two tokens of one number: spaces, a comma, a dash, a dot, an ellipsis; in a call, a pause
#: ("uh", "um", "er") or a joining word ("then", "and", "y", "e", "et") as well (pass 22).
#: Pass 26: an id's dots and dashes said as words ("zero quatro sete, ponto, oito nove dois, ponto, três um,
#: traço, cinco zero", "acht zwo, Strich, …") and the pauses of Portuguese, German and French ("é…", "äh", "euh").
SPOKEN_GAP = re.compile(r"[ \t]*(?:[,.;،–-]|\.\.\.|…)?[ \t]*"
                        r"(?:(?:uh|uhh|um|umm|er|erm|ah|eh|hmm|mm|then|and|y|e|et|sorry|é|äh|ähm|euh|clé|cle|ponto|punto|punkt|"
                        r"traço|traco|tracinho|gui[oó]n|raya|h[ií]fen|tiret|strich|bindestrich|dash|hyphen)"
                        r"[ \t]*(?:[,.;،–-]|\.\.\.|…)?[ \t]*){0,3}")
SPOKEN_GATE = ("zero", "oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "cero", "uno",
               "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "dois", "três", "quatro",
               "sete", "oito", "nove", "due", "tre", "sei", "otto", "zéro", "deux", "trois", "huit", "neuf",
               # (pass 22: the pairs' words that hold none of those: "twelve", "douze", "trente", "veinte")
               "ten", "eleven", "twelve", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
               "diez", "once", "doce", "trece", "catorce", "quince", "diec", "veint", "treinta", "cuarenta",
               "cincuenta", "sesenta", "setenta", "ochenta", "noventa", "dez", "onze", "doze", "treze", "catorze",
               "quinze", "vinte", "trinta", "quarenta", "cinquenta", "sessenta", "oitenta", "noventa", "dieci",
               "undici", "dodici", "tredici", "quattordici", "quindici", "sedici", "dician", "venti", "vent", "trent",
               "quarant", "cinquant", "sessant", "settant", "ottant", "novant", "dix", "douze", "treize", "quatorze",
               "seize", "vingt", "trente", "quarante", "cinquante", "soixante", "um", "double", "triple", "doble",
               # (pass 23: a zero's or a two's word in each of the added languages; a number read out holds one)
               "null", "zwei", "zwo", "nul", "twee", "dwa", "ноль", "нуль", "два", "дв", "μηδ", "δύο", "δυο", "sifir",
               "iki", "nol", "kosong", "dua", "không", "hai", "صفر", "اثن",
               "дцат", "дцят", "сорок", "сот", "сто", "двіст", "девян", "дев'ян", "дев’ян", "zehn", "zwölf", "zig", "ßig",
               # (pass 24: the words of the languages added then, but those that are pieces of common words)
               "शून्य", "एक", "दो", "तीन", "चार", "पां", "पाँ", "छह", "सात", "आठ", "नौ", "shunya", "shoonya", "sunya",
               "teen", "chaar", "paanch", "panch", "chhe", "saat", "aath", "nau", "ایک", "تین", "چار", "پانچ", "چھ",
               "سات", "آٹھ", "یک", "سه", "چهار", "پنج", "شش", "هفت", "هشت", "শূন্য", "এক", "দুই", "তিন", "চার",
               "পাঁচ", "ছয", "সাত", "আট", "নয", "noll", "två", "tva", "fyra", "sju", "åtta", "nio", "trei", "patru",
               "cinci", "șase", "şase", "șapte", "şapte", "nouă", "nula", "jedna", "dva", "tři", "čtyři", "ctyri",
               "pět", "šest", "sedm", "devět", "nulla", "egy", "kettő", "ketto", "három", "harom", "négy", "nyolc",
               "kilenc", "nolla", "yksi", "kaksi", "kolme", "neljä", "viisi", "kuusi", "kahdeksan", "yhdeksän",
               "dalawa", "tatlo", "walo", "siyam", "pito", "sifuri", "moja", "mbili", "tatu", "tano", "sita", "saba",
               "nane", "tisa",
               # (pass 27: Dutch, Danish, Norwegian and Swedish pairs: "eenenveertig", "otteogtyve", "førtien", "tjugosju")
               "tig", "tien", "tyve", "fyrre", "halv", "firs", "tjue", "tti", "tio", "tjugo")
#: A number typed a digit at a time ("0 4 1 2  5 5 5  3 8 1"): seven single digits apart (pass 22: or joined by
#: dashes, "2 1 2 - 5 5 5 - 0 1 9 8", "5-5-5-8-6-7-5").
SPACED_DIGITS_GATE = re.compile(r"(?<![\w.,/-])\d(?:(?:[ \t]{1,2}(?:[.-][ \t]{1,2})?|-)\d){6}(?![\w-])")  # (pass 26: " . ")
#: Words before a spoken run that make nine to twelve digits an identity number (the social security number, the
#: SIN, a CPF, a DNI read out in a call).
SPOKEN_ID_BEFORE = re.compile(r"(?i:\b(?:ssn|social|social security|sin|social insurance|insurance number|tax file|tfn|"
                              r"cpf|dni|nie|rut|curp|nino|ppsn|pps|ird|codice fiscale|n[úu]mero de documento|"
                              r"documento|c[ée]dula|identity|id number|"
                              # pass 24: more ids read out ("dictated Aadhaar as 'four seven one two, …'")
                              r"aadhaa?r|pesel|cnp|cnic|nin|bsn|personnummer|kimlik|amka|afm|nif|national id|"
                              r"id card|emirates id|"
                              # pass 26: the ids of the brief's five languages read out in a call ("die Steuer-ID ist
                              # acht zwo fünf …", "mon numéro de sécu c'est …", "o meu número de contribuinte é …",
                              # "her ID is two eight, four seven …")
                              r"steuer-? ?id|steuernummer|identifikationsnummer|sozialversicherungsnummer|"
                              r"versichertennummer|ausweisnummer|personalausweis|s[ée]cu|s[ée]curit[ée] sociale|"
                              r"num[ée]ro fiscal|carte vitale|carte d'identit[ée]|contribuinte|identidade|rg|cnh|"
                              r"nis|pis|cuit|cuil|rif|ruc|nss|seguridad social|seguro social|pasaporte|passaporte|"
                              r"passport|passeport|reisepass|licen[cs]e number|tax id|national insurance|"
                              r"(?:my|his|her|your|their|the) id|id (?:is|was|no))\b)")
#: Pass 24: the check letter read out after a spoken id ("tres cero seis, letra efe", "…, letter F").
SPOKEN_ID_LETTER = re.compile(r",?[ \t]*(?:(?i:(?:la |the )?(?:letra|letter|lettre|lettera|buchstabe))[ \t]+"
                              r"(?i:[a-z]|efe|ele|eme|ene|eñe|erre|ese|equis|zeta|jota|hache|uve|be|ce|de|ge|ka|pe|cu|te)"
                              r"(?![^\W\d_])|"
                              # pass 26: a letter spelled by a word for it ("A de Andalucía", "Z wie Zeppelin",
                              # "K as in kilo"), and a Chilean RUT's K after its dash ("guion ka")
                              r"(?:(?i:(?:la |the )?(?:letra|letter|lettre|buchstabe)[ \t]+)?[A-Za-z][ \t]+"
                              r"(?i:de|wie|as in|comme|como)[ \t]+[^\W\d_]{3,}(?![^\W\d_]))|"
                              r"(?i:gui[oó]n|raya|tra[cç]o|dash)[ \t]+(?i:k|ka)(?![^\W\d_])|"
                              # pass 28: a Spanish letter's name alone after the digits ("… cero seis jota"), those
                              # of two syllables (one-syllable "de", "te", "ce" are words of their own)
                              r"[ \t]+(?i:jota|equis|zeta|hache|efe|ele|eme|ene|eñe|erre|ese|uve|ka)(?![^\W\d_]))")
#: Words before a spoken run that make it a card's digits even with a wrong check digit.
SPOKEN_CARD_BEFORE = re.compile(r"(?i:card|visa|master ?card|amex|tarjeta|cart[aã]o|carta|carte|long number)")


def spoken_runs(text: str, folded: str) -> Iterator[tuple[int, int, str, bool]]:
    """Runs of spoken or spaced digits: (start, end, the digits, whether a word is among them). A run with typed
    groups of two digits or more needs three words besides ("0412 five five five 381"): "1300 880 905 six times",
    "2024 um 09" are a number and a word."""
    start = end = -1
    digits = ""
    words = groups = 0
    single = True
    for token in SPOKEN_TOKEN.finditer(folded):
        if end >= 0 and SPOKEN_GAP.fullmatch(folded, end, token.start()) is None:
            if words >= 3 or single or (groups >= 3 and grouped_in_a_call(folded, start, end)):
                yield start, end, digits, words > 0
            start = -1
        if start < 0:
            start, digits, words, groups, single = token.start(), "", 0, 0, True
        groups += 1
        typed = token.group("digits")
        times = token.group("times")
        if typed is not None:
            single = single and (len(typed) == 1 or "-" in typed)  # (a dashed run is digits one at a time)
            digits += typed.replace("-", "") * (3 if times in ("triple", "triplo") else 2 if times else 1)
            words += times is not None
        else:
            word = token.group("word")
            digit = SPOKEN_DIGITS.get(word) or SPOKEN_PAIRS[word]
            digits += digit * (3 if times in ("triple", "triplo") else 2 if times else 1)
            digits += SPOKEN_HUNDREDS.get(token.group("hundred") or "", "")
            words += 1
        end = token.end()
    if start >= 0 and (words >= 3 or single or (groups >= 3 and grouped_in_a_call(folded, start, end))):
        yield start, end, digits, words > 0


#: Issue 18, pass 22: a call's or a chat's line, its speaker and a few words before the number ("Caller: it's ").
#: A pause between a call's groups: a comma, an ellipsis, a filler word.
PAUSE = re.compile(r",|\.\.\.|…|(?<![^\W\d_])(?:uh|uhh|um|umm|er|erm|ah|eh|hmm|then|and)(?![^\W\d_])")
SPEAKER_SAYS = re.compile(r"[ \t]*(?:\[[\d:]+\][ \t]*)?[^\W\d][\w .()'’-]{0,30}:[^\d\n]{0,40}")


def grouped_in_a_call(folded: str, start: int, end: int) -> bool:
    """Issue 18, pass 22: whether groups typed apart by pauses ("555, 231, 8890", "212... 555... 0198") stand on a
    call's or a chat's line where a phone word comes before them, or that answers a line asking for a phone."""
    line_start = folded.rfind("\n", 0, start) + 1
    if SPEAKER_SAYS.fullmatch(folded, line_start, start) is None or PAUSE.search(folded, start, end) is None:
        return False  # (groups apart by spaces alone are PHONE_NATIONAL's: "Cell: 082 456 7812" is a form's line)
    if PHONE_WORD_BEFORE.search(folded, line_start, start):
        return True
    return line_start > 0 and has_any(line_before(folded, line_start), PHONE_ASKED)


def spoken_numbers(text: str, folded: str) -> Iterator[Span]:
    """A spoken run of 13 to 19 digits that is a card number (or a card's grouping after a card word) is a card;
    nine to twelve after an identity number's name are that number; seven or more otherwise a phone, unless
    introduced as an order's or a ticket's number. (Pass 28: eight or more with an id's name right after them are
    that id, "siete ocho … seis jota. Es el DNI de mi madre"; a read-back of a number's last digits in words is
    what that number was, "…, eight zero one nine" / "Just the last four is fine. Eight zero one nine.")"""
    said: list[tuple[str, str]] = []  # (digits, kind) of each number found so far
    for start, end, digits, worded in spoken_runs(text, folded):
        before = text[max(0, start - 80):start]
        if worded and 4 <= len(digits) < 7:
            kind = next((kind for whole, kind in said if whole.endswith(digits)), None)
            if kind is not None:
                yield Span(start, end, kind)
            continue
        if len(digits) < 7 or (not worded and len(digits) < 9 and not PHONE_WORD_BEFORE.search(text, max(0, start - 40), start)
                               and not (len(digits) == 8 and spoken_id_named(before[-60:]))):
            continue  # (pass 26: eight digits typed apart after an id's name are that id, "DNI: 4 5 . 6 7 8 . 9 1 2")
        span = spoken_number(text, start, end, digits, before)
        if span is not None:
            said.append((digits, span.kind))
            yield span


def spoken_number(text: str, start: int, end: int, digits: str, before: str) -> Span | None:
    """What the spoken run of seven digits or more at start:end is (`before`: the 80 characters before it), if any."""
    line = before[before.rfind("\n", 0, len(before) - 1) + 1:] if "\n" in before else before
    if 13 <= len(digits) <= 19 and (is_card_number(digits)
                                     or (len(digits) >= 15 and SPOKEN_CARD_BEFORE.search(before))):
        return Span(start, end, "CARD")
    if 8 <= len(digits) <= 18 and (spoken_id_named(before[-60:]) or spoken_id_named_after(text, end)):
        # (pass 26: a French NIR's 13 to 15, its hundreds read as 3 or 4: "six cent deux" is "6002" to spoken_runs)
        letter = SPOKEN_ID_LETTER.match(text, end)
        return Span(start, letter.end() if letter else end, "SSN")
    if (not introduced_as_id(line[-30:]) and not answers_an_id_question(text, start)  # (pass 23: "ticket?")
            and not names_a_reference(text, start)):  # pass 26: "die Vorgangsnummer vor: sieben drei neun, …"
        return Span(start, end, "PHONE")
    return None


#: Pass 28: how far after a spoken run an id's name may follow ("…, seis jota. Es el DNI de mi madre", "…, that's
#: my social"), with no phone word between.
ID_NAMED_AFTER = 30


def spoken_id_named_after(text: str, end: int) -> bool:
    """Whether an identity number's name follows a spoken run closely, its check letter aside, on its line."""
    letter = SPOKEN_ID_LETTER.match(text, end)
    after = text[letter.end() if letter else end:min(end_of_line(text, end), end + ID_NAMED_AFTER)]
    name = SPOKEN_ID_BEFORE.search(after)
    return name is not None and PHONE_WORD_BEFORE.search(after, 0, name.start()) is None and \
        PHONE_IN_GAP.search(after, 0, name.start()) is None


def spoken_id_named(before: str) -> bool:
    """Whether an identity number's name comes before a spoken run with no phone word after it (pass 22: "mi NIE es
    X4726318W y el movil 6 5 5 - 1 2 3 - 4 4 7" is a phone)."""
    names = list(SPOKEN_ID_BEFORE.finditer(before))
    if not names:
        return False
    phone = PHONE_IN_GAP.search(before, names[-1].end())
    if phone is not None and SIM_AS_YES.match(before, phone.start()):  # pass 26: "o CPF? — Sim, é zero quatro …"
        phone = PHONE_IN_GAP.search(before, phone.end())
    return phone is None


#: Portuguese "sim" (yes) answering a question, no SIM card: "Sim, é …".
SIM_AS_YES = re.compile(r"(?i:sim)[,.!]")


def firm_line(text: str, start: int, end: int) -> bool:
    """Whether the number at start:end is introduced as a firm's line or followed by its opening hours, or
    `pii_firms` reads it as a firm's by the words around it."""
    before = text[max(0, start - 60):start]
    hotline = HOTLINE_BEFORE.search(before) if has_any(fold(before), HOTLINE_WORDS) else None
    if hotline is not None and OWN_WORDS.search(before, hotline.start()) is None:
        return True  # (pass 28: not "calling from abroad, my number is …", "customer service said to call me on")
    if OPENING_HOURS_AFTER.match(text, end, min(len(text), end + 80)) is not None:
        return True
    return firm_number(text, start, end)  # issue 18, the must-keep pass: legal forms, "our office", "call us"


def not_a_phone_shape(text: str, candidate: str, end: int) -> bool:
    """Issue 18, the must-keep pass: a placeholder of one repeated digit ("000-00-0000"), or fourteen digits that
    a last digit after a space makes a Luhn-valid IMEI ("35 290611 195942 7", as phones show it)."""
    digits = "".join(filter(str.isdigit, candidate))
    if len(set(digits)) == 1:
        return True
    if "/" in candidate and firms_number_shape(candidate):  # issue 18, twentieth pass: a Brazilian firm's CNPJ
        return True
    if POSTCODE_SHAPE.fullmatch(candidate):  # issue 18, pass 25: a Brazilian CEP, part of an address
        return True
    last = IMEI_LAST_DIGIT.match(text, end)
    return last is not None and len(digits) == 14 and luhn_valid(digits + last.group(1))


IMEI_LAST_DIGIT = re.compile(r" (\d)(?!\w)")
#: Issue 18, pass 25: Brazil's CEP ("01304-001": five digits, a dash, three), which a phone word's neighbour (Turkish's
#: "cep", a mobile) or a pattern of groups may take for a phone: no phone is written five and three.
POSTCODE_SHAPE = re.compile(r"\d{5}-\d{3}")


def unbalanced_paren_end(candidate: str, end: int) -> int:
    """Leave out a closing parenthesis that belongs to the prose around the number "(call 555 0100)"."""
    return end - 1 if candidate.endswith(")") and candidate.count(")") > candidate.count("(") else end


def is_phone(text: str, start: int, end: int, least: int) -> bool:
    """Enough digits for a phone (E.164 allows 15), no date inside, not introduced as an identifier."""
    candidate = text[start:end]
    digits = sum(map(str.isdigit, candidate))
    if not least <= digits <= 15 or DATE_INSIDE.search(candidate) or YEAR_SERIAL.fullmatch(candidate):
        return False
    if TOLL_FREE.match(candidate):
        return False  # a firm's freephone number is nobody's personal data
    if not_a_phone_shape(text, candidate, end):
        return False
    if firm_line(text, start, end) or code_before(text, start) or answers_an_id_question(text, start):
        return False
    if INTL_HEAD_BEFORE.search(text, max(0, start - 8), start):
        return False  # the national part of "+49 89 2190 4400": PHONE_INTL judged the whole number
    before = text[max(0, start - 30):start]
    return not number_is_reference(text, start) and not ("box" in before.lower() and AFTER_BOX.search(before))


#: A country code right before a national number's digits ("+49 89 …", "0046 8 …").
INTL_HEAD_BEFORE = re.compile(r"(?:\+|(?<![\d-])00)\d{1,3}[ .-]?\(?\Z")


# --- US social security numbers, dates of birth ------------------------------------------------------

SSN_DASHED = re.compile(r"(?<![\w-])(\d{3})-(\d{2})-(\d{4})(?![\w-])")
#: (Pass 24: "soc sec", "social sec." and "ss" before the digits as well: "social sec # 521 88 3047", "ss 521883047".)
SSN_KEYWORD = re.compile(
    r"\b(?:ssn|ss#|ss no\.?|ss(?=[ :]{1,3}\d)|soc(?:ial|\.)?[ ]?sec(?:urity|\.)?(?: number| no\.?| #)?|social)\s*"
    r"(?:number|no\.?|#)?\s*"
    r"(?:is|was|:|=|-|–)?\s*"
    # (issue 18, pass 23: the groups apart by a spaced dash, a slash or two spaces, "521 - 88 - 3047", "521  88  3047")
    r"(\d{3}((?:[ ]?[./-][ ]?|[ ]{1,2})?)\d{2}\2\d{4})(?!\d)", re.IGNORECASE)

#: Pass 24: "ss" alone for a social security number, right before its digits ("ss 521883047", "SS: 521-88-3047"): the
#: cheap gate of SSN_KEYWORD's "ss" (its "ssn", "ss#", "ss no" and "soc" are plain words).
SS_BEFORE_DIGITS = re.compile(r"ss[ :]{1,3}\d")


def ssn_valid(digits: str) -> bool:
    """The SSA's rules: no area 000, 666 or 900–999, no group 00, no serial 0000."""
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


#: Issue 18, thirteenth pass: a text about a social security number ("dependent's SSN ... i typed 521 88 3047",
#: "with no spaces, like 521883047"): there an SSN's 3-2-4 digits in groups or together are one.
SSN_TOPIC = re.compile(r"\b(?:SSN|SSNs|ITIN|social security|seguro social|IRS|identity theft|robo de identidad|"
                       r"robaron (?:la|mi) identidad)\b", re.IGNORECASE)
SSN_SPACED = re.compile(r"(?<![\w.,/+-])\d{3}(?: \d{2} |\d{2})\d{4}(?![\w-])(?![.,]\d)")
#: A Canadian Social Insurance Number: nine digits in threes, a Luhn check digit, in a text about one.
SIN_TOPIC = re.compile(r"\b(?:SINs?|NAS|social insurance|assurance sociale)\b")
#: An Australian Tax File Number: nine digits in threes, in a text about one.
TFN_TOPIC = re.compile(r"\b(?:TFNs?|tax file numbers?)\b", re.IGNORECASE)
SIN_GROUPED = re.compile(r"(?<![\w.,/+-])\d{3}([ -]?)\d{3}\1\d{3}(?![\w-])(?![.,]\d)")



#: Issue 18, seventeenth pass: Japan's My Number (twelve digits, 4-4-4, a check digit) in a text about one.
MY_NUMBER = re.compile(r"(?<![\w.,/+-])\d{4}([ -]?)\d{4}\1\d{4}(?![\w-])(?![.,]\d)")


def my_numbers(text: str) -> Iterator[Span]:
    from stdnum.jp import in_

    for match in MY_NUMBER.finditer(text):
        if in_.is_valid(match.group().replace(" ", "").replace("-", "")):
            yield Span(match.start(), match.end(), "SSN")


def ssns_in_an_ssn_text(text: str) -> Iterator[Span]:
    for match in SSN_SPACED.finditer(text):
        if ssn_valid(match.group().replace(" ", "")) and not introduced_as_id(text[max(0, match.start() - 30):match.start()]):
            yield Span(match.start(), match.end(), "SSN")


def find_ssns(text: str) -> Iterator[Span]:
    """`ssns_in` the text, and (issue 18, pass 21) in the text with the line breaks that cut a number in two taken out
    ("CPF 868.611.751-\n10", a form's or a mail's wrapping, a quoted reply's "> " after it)."""
    found = list(ssns_in(text))
    yield from found
    if "\n" in text and ID_WRAP.search(text):
        # (not over a number found whole unless a separator ends its line: "NHS No. 485 777 3456\n12 Primrose Hill
        # Road" holds no wrapped number)
        for span in across_wraps(text, ssns_in):
            if wrapped_id_kept(text, span, found):
                yield span


def wrapped_id_kept(text: str, span: Span, found: Sequence[Span]) -> bool:
    """Whether a number found across a line break is one: a separator ends its line, or nothing was found over it
    whole, or (issue 18, pass 25) the digits joined pass an id's check where its first line's part was found alone
    ("PESEL: 022418\n05622": the label's six digits, then the rest wrapped; an address's house number after a wrapped
    NHS number passes no check)."""
    if WRAP_AFTER_SEPARATOR.search(text, span.start, span.end):
        return True
    if not any(span.start < other.end and other.start < span.end for other in found):
        return True
    return bare_id_valid("".join(filter(str.isalnum, text[span.start:span.end])))


#: A line break after a number's separator ("751-\n10"): the number goes on after it, whatever was found before it.
WRAP_AFTER_SEPARATOR = re.compile(r"\d[.\-/][ \t]*\n")
#: A line break inside a number: after a digit or a separator after one, before a digit.
ID_WRAP = re.compile(r"(?<=\d)[.\-/]?[ \t]*\n[ \t>]*(?=\d)")


def across_wraps(text: str, detect: Callable[[str], Iterable[Span]]) -> Iterator[Span]:
    """What `detect` finds in `text` with ID_WRAP's line breaks (and the quote marks and spaces around them) taken
    out, where a finding spans one of them, in `text`'s positions."""
    pieces: list[str] = []
    positions: list[int] = []
    cursor = 0
    for match in ID_WRAP.finditer(text):
        cut = match.start() + (1 if text[match.start()] in ".-/" else 0)  # the separator stays
        pieces.append(text[cursor:cut])
        positions.extend(range(cursor, cut))
        cursor = match.end()
    pieces.append(text[cursor:])
    positions.extend(range(cursor, len(text)))
    for span in detect("".join(pieces)):
        start, end = positions[span.start], positions[span.end - 1] + 1
        if end - start != span.end - span.start:
            yield Span(start, end, span.kind)


def find_spelled_ids(text: str, gated: bool = True) -> Iterator[Span]:
    """Issue 18, pass 23: ids read out a character at a time (pii_ids.spelled_ids), also in a text with no digit."""
    if gated and not has_any(fold(text), DIGIT_WORDS) and SINGLE_LETTER.search(text) is None:
        return
    for start, end in spelled_ids(text):
        yield Span(start, end, "SSN")


def ssns_in(text: str) -> Iterator[Span]:
    """123-45-6789 anywhere (that shape is an SSN's); 123 45 6789 or 123456789 after an SSN keyword; other
    countries' national identity numbers (core/pii_ids.py)."""
    for match in SSN_DASHED.finditer(text):
        if ssn_valid("".join(match.groups())) and not introduced_as_id(text[max(0, match.start() - 30):match.start()]):
            yield Span(match.start(), match.end(), "SSN")
    folded = fold(text)
    if has_any(folded, ("ssn", "ss#", "ss no", "soc")) or SS_BEFORE_DIGITS.search(folded):
        for match in SSN_KEYWORD.finditer(text):
            if ssn_valid(re.sub(r"\D", "", match.group(1))):
                yield Span(match.start(1), match.end(1), "SSN")
    if has_any(folded, ("ssn", "social", "itin", "irs", "identi")) and SSN_TOPIC.search(text):
        yield from ssns_in_an_ssn_text(text)
    if has_any(folded, ("sin", "nas", "social insurance", "assurance sociale")) and SIN_TOPIC.search(text):
        for match in SIN_GROUPED.finditer(text):
            if luhn_valid(re.sub(r"\D", "", match.group())) and not introduced_as_id(text[max(0, match.start() - 30):match.start()]):
                yield Span(match.start(), match.end(), "SSN")
    if has_any(folded, ("tfn", "tax file")) and TFN_TOPIC.search(text):
        # issue 18, sixteenth pass: Australia's nine digits in threes, valid or mistyped ("it should be X not
        # Y"), not the end of a longer number (an ABN's 2-3-3-3) nor one introduced as something else's
        for match in SIN_GROUPED.finditer(text):
            before = text[max(0, match.start() - 30):match.start()]
            if not re.search(r"\d[ -]?$", before) and not introduced_as_id(before):
                yield Span(match.start(), match.end(), "SSN")
    if has_any(folded, ("my number", "マイナンバー", "個人番号")):
        yield from my_numbers(text)
    # issue 18, twentieth pass: the Americas', Southern Europe's and Oceania's numbers as people type them
    for start, end in find_regional_ids(text, folded):
        yield Span(start, end, "SSN")
    for start, end in find_national_ids(text, folded):  # other countries' (core/pii_ids.py)
        yield Span(start, end, "SSN")


MONTHS = (r"(?:jan(?:uary|vier|uar)?|feb(?:ruary|ruar)?|f[ée]vr(?:ier)?|febrero|m[aä]r(?:ch|z|s)?|marzo|apr(?:il)?|"
          r"avr(?:il)?|abril|may|mai|mayo|june?|juni|juin|junio|july?|juli|juillet|julio|aug(?:ust)?|ao[uû]t|agosto|"
          r"sep(?:t(?:ember)?)?|septembre|se?ptiembre|oct(?:ober|obre)?|okt(?:ober)?|octubre|nov(?:ember|embre)?|noviembre|"
          r"dec(?:ember)?|dez(?:ember)?|d[ée]c(?:embre)?|diciembre|"
          # issue 18, eighth pass: Portuguese, Italian, Dutch, Polish (genitive), Turkish, Nordic
          r"janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|novembro|dezembro|gennaio|febbraio|aprile|"
          r"maggio|giugno|luglio|settembre|ottobre|dicembre|januari|februari|maart|mei|augustus|"
          r"stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|września|października|listopada|grudnia|"
          r"ocak|şubat|mart|nisan|mayıs|haziran|temmuz|ağustos|eylül|ekim|kasım|aralık|januar|februar|marts|"
          r"juni|august|desember|"
          # issue 18, seventeenth pass: Indonesian and Malay
          r"maret|agustus|oktober|desember|mac|julai|ogos|disember|"
          # issue 18, twentieth pass: Tagalog
          r"enero|pebrero|marso|hunyo|hulyo|setyembre|oktubre|nobyembre|disyembre)\.?")
#: Issue 18, twentieth pass: months only written after their day ("12. března 1985"), so tried only after a digit (a
#: month first is tried at every letter): Swedish and Danish "maj", "augusti", Austrian "Jänner", Finnish (partitive),
#: Czech, Slovak and Slovenian (genitive), Estonian, Icelandic.
MONTHS_AFTER_DAY = (r"(?:" + MONTHS + r"|(?:maj|augusti|jänner|feber|"
                    r"(?:tammi|helmi|maalis|huhti|touko|kesä|heinä|elo|syys|loka|marras|joulu)kuuta|"
                    r"ledna|února|března|dubna|května|června|července|srpna|září|října|listopadu|prosince|"
                    r"januára|februára|apríla|mája|júna|júla|augusta|septembra|októbra|novembra|decembra|"
                    r"januarja|februarja|aprila|junija|julija|avgusta|oktobra|marec|"
                    r"jaanuar|veebruar|märts|aprill|juuni|juuli|oktoober|detsember|"
                    r"janúar|febrúar|apríl|maí|júní|júlí|ágúst|október|nóvember|"
                    # pass 21 (Central and Eastern Europe): Romanian, Croatian (genitive), Lithuanian (genitive),
                    # Latvian (nominative and locative), Bulgarian, Ukrainian and Russian (genitive), Greek (genitive)
                    r"jaanuaril|veebruaril|märtsil|aprillil|mail|juunil|juulil|augustil|septembril|oktoobril|novembril|"
                    r"detsembril|"  # (Estonian "sündinud 3. märtsil 1985")
                    r"ianuarie|februarie|martie|aprilie|iunie|iulie|septembrie|octombrie|noiembrie|decembrie|"
                    r"siječnja|veljače|ožujka|travnja|svibnja|lipnja|srpnja|kolovoza|rujna|listopada|studenoga?|prosinca|"
                    r"sausio|vasario|kovo|balandžio|gegužės|birželio|liepos|rugpjūčio|rugsėjo|spalio|lapkričio|gruodžio|"
                    r"janvār(?:is|ī)|februār(?:is|ī)|mart(?:s|ā)|aprīl(?:is|ī)|maij(?:s|ā)|jūnij(?:s|ā)|jūlij(?:s|ā)|"
                    r"august(?:s|ā)|septembr(?:is|ī)|oktobr(?:is|ī)|novembr(?:is|ī)|decembr(?:is|ī)|"
                    r"януари|февруари|март|април|май|юни|юли|август|септември|октомври|ноември|декември|"
                    r"січня|лютого|березня|квітня|травня|червня|липня|серпня|вересня|жовтня|листопада|грудня|"
                    r"января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря|"
                    r"ιανουαρίου|φεβρουαρίου|μαρτίου|απριλίου|μαΐου|ιουνίου|ιουλίου|αυγούστου|σεπτεμβρίου|"
                    r"οκτωβρίου|νοεμβρίου|δεκεμβρίου|"
                    # pass 22: Serbian, Bosnian and Montenegrin (Latin, genitive: "rođena 3. marta 1990.")
                    r"januara|februara|marta|juna|jula|septembra|oktobra|novembra|decembra)\.?)")
#: Pass 21: Lithuanian and Latvian dates run year, month, day ("1956 m. balandžio 4 d.", "1981. gada 6. maijā"),
#: the Cyrillic ones may end in a year's abbreviation ("24 ноември 1995 г.", "5 березня 1990 р.").
BALTIC_DATE = (r"(?:19|20)\d\d\s?m\.\s+(?:sausio|vasario|kovo|balandžio|gegužės|birželio|liepos|rugpjūčio|rugsėjo|"
               r"spalio|lapkričio|gruodžio)\s+\d{1,2}\s?d\.?|"
               r"(?:19|20)\d\d\.\s?(?:gada|g\.)\s+\d{1,2}\.\s?(?:janvār|februār|mart|aprīl|maij|jūnij|jūlij|august|"
               r"septembr|oktobr|novembr|decembr)[a-zāīēū]{0,2}(?![^\W\d_])")
CYRILLIC_YEAR_END = r"(?:\s?(?:г|р|рік|року|год|года|година)\.?(?![^\W\d_]))?"
#: Issue 18, sixteenth pass: Hungarian dates run year, month, day ("1990. március 4.").
HU_MONTHS = (r"(?:január|február|március|április|május|június|július|augusztus|szeptember|október|november|"
             r"december|jan|febr|márc|ápr|máj|jún|júl|aug|szept|okt|nov|dec)\.?")
#: Issue 18, sixteenth pass: also a space after a dot ("15. 3. 2015", "1968. 04. 22."), a month's name between
#: dashes ("22-Feb-1979"), Hungarian dates, and a two-digit year with one separator throughout ("4/19/77").
#: Pass 28: a slash URL-encoded, as a web form's query string sends it ("dob=04%2F19%2F1985"); and a two-digit year
#: with spaces throughout, said or typed after a birth word ("dob 4 19 82"; not part of a longer run of pairs).
NUMERIC_SEP = r"(?:[./-]|\. |%2[Ff])"
#: Issue 18, twentieth pass: the dates of East and South-East Asia as their own forms write a birth date: a
#: Japanese era's year ("昭和58年4月9日", "平成2年", "S58.4.9") or Taiwan's Republic year ("民國79年5月3日",
#: "民國79/05/03"); a Korean two-digit year ("88년 4월 12일"); a Thai month, by name or abbreviated, and a
#: Buddhist-era year ("12 มีนาคม 2530", "12 มี.ค. 2535", "03/05/2533"); Vietnamese "14 tháng 2 năm 1985".
THAI_MONTHS = (r"(?:มกราคม|กุมภาพันธ์|มีนาคม|เมษายน|พฤษภาคม|มิถุนายน|กรกฎาคม|สิงหาคม|กันยายน|ตุลาคม|พฤศจิกายน|"
               r"ธันวาคม|ม\.ค\.|ก\.พ\.|มี\.ค\.|เม\.ย\.|พ\.ค\.|มิ\.ย\.|ก\.ค\.|ส\.ค\.|ก\.ย\.|ต\.ค\.|พ\.ย\.|ธ\.ค\.)")
ERAS = r"(?:明治|大正|昭和|平成|令和|中華民國|中华民国|民國|民国)"
ASIAN_DATE = (rf"{ERAS}[ ]?(?:\d{{1,3}}|元)[ ]?年[ ]?\d{{1,2}}[ ]?月[ ]?\d{{1,2}}[ ]?[日號号]?|"
              rf"{ERAS}[ ]?\d{{1,3}}[./-]\d{{1,2}}[./-]\d{{1,2}}(?!\d)|"
              rf"(?<![A-Za-z])[MTSHR]\.?[ ]?\d{{1,2}}[./]\d{{1,2}}[./]\d{{1,2}}(?![\d./])|"
              rf"(?<!\d)\d\d[ ]?[年년][ ]?\d{{1,2}}[ ]?[月월][ ]?\d{{1,2}}[ ]?[日일號号]|"
              rf"\d{{1,2}}[ ]?{THAI_MONTHS}[ ]?(?:(?:พ\.ศ\.|ค\.ศ\.)[ ]?)?(?:25|19|20)?\d\d(?!\d)|"
              rf"(?<![\d./-])\d{{1,2}}[./-]\d{{1,2}}[./-]25\d\d(?!\d)|"
              rf"\d{{1,2}}\s+th[áa]ng\s+\d{{1,2}}(?:\s+n[ăa]m\s+|,?\s+|/)(?:19|20)\d\d")
#: Pass 22: the month in Roman numerals, as Polish, Czech, Slovak, Hungarian and Balkan forms write it ("12 III
#: 1985", "14.III.1988", "1988. III. 12."), in capitals only ("I" and "V" are also words elsewhere).
ROMAN_MONTH = r"(?-i:XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)"
ROMAN_DATE = (rf"\d{{1,2}}\.?[ ]?{ROMAN_MONTH}\.?[ ]?(?:19|20)\d\d(?!\d)|"
              rf"(?:19|20)\d\d\.?[ ]?{ROMAN_MONTH}\.?[ ]?\d{{1,2}}(?!\d)")
#: Pass 22: dates said rather than typed, as chat and call transcripts write them in English: "the fourth of July
#: 1990", "March third nineteen eighty-five", "March 14th, '88", "14 March nineteen eighty eight". Only
#: after a birth word (BIRTH_MORE, DOB): elsewhere "the fourth of July" is a holiday.
UNITS = r"(?:one|two|three|four|five|six|seven|eight|nine)"
TEENS = r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
SPOKEN_ORDINAL = (r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
                  r"thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth|"
                  r"(?:twenty|thirty)[ -]?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth))")
SPOKEN_DAY = rf"(?:{SPOKEN_ORDINAL}|\d{{1,2}}(?:st|nd|rd|th))"
SPOKEN_YEAR = (rf"(?:(?:19|20)\d\d(?!\d)|['’]\d\d(?!\d)|nineteen[ -](?:oh[ -]{UNITS}|{TEENS}|"
               rf"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[ -]?{UNITS}(?![^\W\d_]))?)|"
               rf"two thousand(?:(?: and)? (?:{UNITS}|{TEENS}|twenty(?:[ -]?{UNITS})?)(?![^\W\d_]))?|"
               rf"twenty[ -](?:oh[ -]{UNITS}|{TEENS}|twenty(?:[ -]?{UNITS})?)(?![^\W\d_]))")
SPOKEN_DATE = (rf"{SPOKEN_DAY}\s+of\s+{MONTHS},?\s+{SPOKEN_YEAR}|"
               rf"{MONTHS}\s+(?:the\s+)?(?:{SPOKEN_ORDINAL}|\d{{1,2}}(?:st|nd|rd|th)?),?\s+{SPOKEN_YEAR}|"
               rf"\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTHS},?\s+{SPOKEN_YEAR}|"
               rf"{MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th),\s+\d\d(?![\d.,:/-])|"  # "March 3rd, 85"
               # pass 27: the day's ordinal first, a two-digit year ("sure its 12th march 85", "5th of June 79")
               rf"\d{{1,2}}(?:st|nd|rd|th)\s+(?:of\s+)?{MONTHS},?\s+\d\d(?![\d.,:/-])")
#: Pass 22: a form's or an airline's date run together, day, month's abbreviation, year ("14MAR1988", "14MAR88").
COMPACT_MONTH_DATE = (r"(?<![\w])\d{2}(?-i:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC|Jan|Feb|Mar|Apr|May|Jun|"
                      r"Jul|Aug|Sep|Oct|Nov|Dec)(?:19|20)?\d\d(?![\w])")
#: Pass 23: a Nepali date in Bikram Sambat, its year 56-57 ahead of the common era's ("2052/05/12 B.S."), and a date
#: of the Iranian (Solar Hijri) or Islamic (Hijri) calendar, year first ("۱۳۷۲/۰۵/۱۸", "1402/05/11"); a form's date
#: with spaces for its separators ("DOB: 03 02 1964").
BIKRAM_SAMBAT = r"(?:19|20)\d\d(?P<bs_sep>[./-])\d{1,2}(?P=bs_sep)\d{1,2}\s?(?:(?-i:B\.?\s?S\.?)|वि\.?\s?सं\.?)(?![^\W\d_])"
HIJRI_DATE = r"(?<![\d./-])1[34]\d\d(?P<hijri_sep>[./-])\d{1,2}(?P=hijri_sep)\d{1,2}(?![\d/-])(?!\.\d)"
SPACED_DATE = r"(?<![\d.,/-])\d{1,2} \d{1,2} (?:19|20)\d\d(?![ .,/-]?\d)"
DATE = (rf"(?:\d{{1,2}}{NUMERIC_SEP}\d{{1,2}}{NUMERIC_SEP}(?:19|20)\d\d|{BIKRAM_SAMBAT}|{HIJRI_DATE}|{SPACED_DATE}|"
        rf"(?:19|20)\d\d{NUMERIC_SEP}\d{{1,2}}{NUMERIC_SEP}\d{{1,2}}(?!\d)|"
        rf"{MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d|"
        rf"\d{{1,2}}(?:st|nd|rd|th|er|º|o)?\.?(?:\s+(?:de\s+|of\s+)?|-){MONTHS_AFTER_DAY}(?:\s+(?:de\s+)?|-)(?:19|20)\d\d{CYRILLIC_YEAR_END}|{BALTIC_DATE}|"
        rf"(?:19|20)\d\d\.\s+{HU_MONTHS}\s*\d{{1,2}}(?!\d)(?:-(?:án|én|ján|jén|a|e|i)(?![^\W\d_]))?|"
        rf"(?<![\d./-])(?<!\d )\d{{1,2}}(?P<two_digit_sep>[./ -])\d{{1,2}}(?P=two_digit_sep)['’]?\d\d(?![./ -]?\d)|"
        rf"(?:19|20)\d\d\s?[年년]\s?\d{{1,2}}\s?[月월]\s?\d{{1,2}}\s?[日일號号]|{ASIAN_DATE}|"
        rf"{ROMAN_DATE}|{SPOKEN_DATE}|{COMPACT_MONTH_DATE})")
#: A date is a date of birth when a birth word comes shortly before it, in English, German, French, Spanish.
BIRTH_WORDS = ("birth", "dob", "d.o.b", "born", "birthday", "geburt", "geboren", "naissance", "né", "nee",
               "née", "nacimiento", "nacid", "cumpleaños")
DOB = re.compile(
    rf"\b(?:date of birth|birth ?date|d\.?o\.?b\.?|born(?: on)?|birthday{BIRTHDAY_OFFER}|geburtsdatum|geboren(?: am)?|"
    rf"date de naissance|n[ée]e? le|fecha de nacimiento|nacid[oa] el|cumpleaños)\b[^\d\n]{{0,12}}?(?P<date>{DATE})",
    re.IGNORECASE)
#: Issue 18, eighth pass: the birth words of more languages, and every date up to BIRTH_REACH characters
#: after one on its line ("my date of birth to activate the SIM on order CA-772091: it's Nov 3, 1979",
#: "birthday? It is 1985年4月12日 (April 12, 1985)", "Geburtsdatum meines Sohnes Maximilian ist der
#: 5. Juni 2011"). Looked for in the `fold`ed text.
#: Issue 18, sixteenth pass: more words and their abbreviations: Portuguese "nasceu", "nasc.", "aniversário",
#: Spanish "nació", Italian "nata a Milano il", "compleanno", Dutch "verjaardag", Czech and Slovak "nar.",
#: "narodila", Polish "ur.", Hungarian "szül.", Lithuanian "gimęs", Indonesian "tgl lahir", Greek "γέννησής",
#: Ukrainian and Russian "народження", "рождения", Finnish "syntynyt", Nordic "f." (født, född). An
#: abbreviation counts only with a digit right after it ("ur. 12.09.1948"; "f." is no word of its own).
#: Every alternative starts with a letter, its word boundary checked behind it ("nasc(?<!\wnasc)"), so that sre
#: skips the positions no alternative can start at: a third of the time of leading "\b"s.
BIRTH_MORE = re.compile(
    rf"(?:birth(?!day{OFFER_AFTER_BIRTHDAY})|dob\b|d\.o\.b|born(?<!stubborn)|geburt|geboren|geb\.|naissance|né(?<!\wné)e?\b|nee(?<!\wnee)\b|nacimiento|"
    r"naci(?:d[oa]|ó)|cumpleaños|nasc(?<!\wnasc)|nat(?<!\wnat)[oa] (?:a|ad|il|in|nel|nella)\b|aniversário|compleanno|"
    r"verjaardag|urodz|doğum|geboorte|född|födelse|fødsel|født|synty|születés|született|szül\.|narozen|"
    r"narod(?:il|en|zen)|rođen|gim(?<!\wgim)(?:ęs|usi|imo)|ur\.(?<![\w.]ur\.)(?=:?\s?\d)|"
    r"nar\.(?<![\w.]nar\.)(?=:?\s?\d)|f\.(?<![\w.]f\.)(?=:?\s?\d)|народжен|народив|рождени|родил|生年月日|生日|"
    r"出生|생년월일|생일|ngày sinh|sinh ngày|lahir|γέννησ|"
    # issue 18, seventeenth pass: Spanish "nací", Québec's "fête", unaccented Vietnamese, Thai
    r"nací|date de f[êe]te|ma f[êe]te|ngay sinh|sinh ngay|เกิดวันที่|วันเกิด|"
    # issue 18, eighteenth pass: the birth words of the languages still without one (from their own forms,
    # not from the corpus): Spanish "F. nac.", French "DDN", Afrikaans, Catalan, Romanian, Estonian,
    # Latvian, Icelandic, Bulgarian, Serbian, Arabic, Persian and Urdu, Hebrew, Hindi and Marathi, Bengali,
    # Tamil, Swahili, Tagalog, Japanese "誕生日"
    r"nac\.(?<![\w.]nac\.)|ddn(?<!\wddn)\b|gebore(?<!\wgebore)\b|naixement|na[șs]ter(?<!\wna[șs]ter)|sünni|sündi|dzimšan|dzimis|"
    r"fæðing|fædd|fødd|роден(?<!\wроден)|раждане|рођен|рођењ|الميلاد|مواليد|تولد(?<!\wتولد)|پیدائش|לידה|נולד|जन्म|জন্ম|பிறந்த|"
    r"kuzaliwa|kapanganakan|ipinanganak|誕生日|"
    # issue 18, twentieth pass: Slovenian "rojstni datum", "rojen(a)", and the star a German or Nordic form puts
    # before a birth date ("Erika Muster (* 12.03.1985)"), not a list's bullet at a line's start
    r"rojstn|rojstva|rojen(?<!\wrojen)|\*(?<=\(\*)(?=[ ]?\d)|\*(?<=[^\W\d] \*)(?=[ ]?\d{1,2}\.)|\*(?<=[,;] \*)(?=[ ]?\d{1,2}\.)|"
    # issue 18, twentieth pass: Japanese "生まれ", "…日生", Cantonese "出世", Chinese "生辰", Korean "출생", Thai "ปีเกิด"
    # (the year of birth of a form's day/month/year), "เกิดเมื่อ", Indonesian "TTL" (place and date of birth), Tagalog
    # "kaarawan"
    r"生まれ|生(?<=[日號号]生)(?![活产產意效])|出世|生辰|출생|ปีเกิด|เกิดเมื่อ|ttl(?<!\wttl)\b|kaarawan|"
    # pass 21: Romanian "născut(ă)", Greek "γεννήθηκα", Ukrainian "народилася"
    r"n[ăa]scut(?<!\wn[ăa]scut)|γεννήθηκ|γεννηθ|народил|synt\.(?<![\w.]synt\.)(?=:?\s?\d)|sünd\.(?<![\w.]sünd\.)(?=:?\s?\d)|"
    # pass 22: French forms' "date naiss.", Russian and Ukrainian forms' "д.р." (дата рождения), "д.н." (дата
    # народження) before a date and "г.р." (год рождения) after one ("12.03.1985 г.р.")
    r"naiss\.(?<![\w.]naiss\.)|д\.[рн]\.(?<![\w.]д\.[рн]\.)(?=:?\s?\d)|г\.р\.(?<![\w.]г\.р\.)|"
    # pass 23: Moroccan and Algerian forms' "تاريخ الازدياد", Turkish forms' "d.t." (doğum tarihi), Korean "…일생"
    # after a date ("1992년 6월 8일생"), Hebrew "יליד", "ילידת" (born)
    r"ازدياد|d\.t\.(?<![\w.]d\.t\.)(?=:?\s?\d)|생(?<=\d일생)|יליד|"
    # pass 27: Nynorsk "fødd", Thai "เกิด" (born) alone right before a date ("เกิด 12/03/2533"; "เกิดปัญหา" is "a
    # problem arose")
    r"เกิด(?=[ ]?:?[ ]?\d))")
DATE_ANYWHERE = re.compile(DATE, re.IGNORECASE)
BIRTH_REACH = 70
#: A birth word's line with no date is answered on the next line when it ends this close after the word
#: ("And your date of birth?", "Name, Geburtsdatum und Mitgliedsnummer").
ASKED_REST = 40
#: Birth words that ask for nothing: "née Brown" gives a maiden name, Dutch "Nee" is "no".
NO_QUESTION = frozenset({"né", "née", "nee"})
#: No DATE match is longer ("27 de septiembre de 1988"; pass 22: "the twenty-fourth of September, nineteen
#: eighty-eight"): a date that starts within reach ends within this after it.
LONGEST_DATE = 56
#: A date of birth written as eight digits, e.g. as a password ("my birthday 12031941"), right after a birth word.
COMPACT_DATE = re.compile(r"[^\d\n]{0,12}?(?<!\d)(\d{8})(?!\d)")
COMPACT_ORDERS = ((4, 2, 0), (4, 0, 2), (0, 4, 6))  # (year, month, day) offsets: ddmmyyyy, mmddyyyy, yyyymmdd
#: Issue 18, twentieth pass: six digits, as Korean and Japanese forms write a birth date ("생년월일 900503", the
#: first half of a resident number), right after a birth word; not the resident number's first half before its dash.
COMPACT_SHORT_DATE = re.compile(r"[^\d\n]{0,12}?(?<!\d)(\d{6})(?![\d-])")
SHORT_ORDERS = ((0, 2, 4), (4, 2, 0))  # yymmdd, ddmmyy


#: Pass 22: a text without a digit holds a date of birth only said in words ("born on the fourth of July nineteen
#: ninety"): every SPOKEN_YEAR without a digit holds one of these. (find_dobs is one of WITHOUT_DIGITS for them.)
SPOKEN_YEAR_WORDS = ("nineteen", "two thousand", "twenty")


def find_dobs(text: str) -> Iterator[Span]:
    folded = fold(text)
    if not has_any(folded, SPOKEN_YEAR_WORDS) and ANY_DIGIT.search(text) is None:
        yield from spoken_dates_of_birth(text, folded)  # pass 28: "nueve de marzo del noventa y dos"
        return  # (no other date of birth without a digit or a year said in words)
    if has_any(folded, BIRTH_WORDS):
        yield from dates_after_dob_words(text)
    if len(folded) == len(text):  # (BIRTH_MORE, all literal-first, is cheaper than a gate of its ~50 words)
        yield from dates_after_birth_words(text, folded)
    yield from spoken_dates_of_birth(text, folded)
    # issue 18, twentieth pass: more birth words and date forms (Romance languages', Greek's, forms' abbreviations)
    yield from (Span(start, end, "DOB") for start, end in find_regional_dobs(text, folded))


def dates_after_dob_words(text: str) -> Iterator[Span]:
    """DOB's dates; (pass 22) not a date of this year after "birthday" ("happy birthday! party on 12/05/2026"): a
    birthday comes every year, and this year's is a party's or an order's date. (Pass 25: nor a date of the last
    EVENT_YEARS with another event's word between, "my mother's birthday, ordered 2025-04-11", as dates_in_reach.)"""
    this_year = datetime.date.today().year
    for match in DOB.finditer(text):
        year = date_year(match.group("date"))
        if year is not None and year >= this_year and match.group().lower().startswith("birthday"):
            continue
        if year is not None and year > this_year - 1 - EVENT_YEARS and \
                OTHER_EVENT.search(text, match.start(), match.start("date")):
            continue
        yield Span(match.start("date"), match.end("date"), "DOB")


def dates_after_birth_words(text: str, folded: str) -> Iterator[Span]:
    """Dates after a birth word, on its line and within BIRTH_REACH characters, of a year before last
    (a "birthday present" ordered last week is dated this year).

    Issue 18, sixteenth pass: also a date right before the word ("bin am 12.05.1971 geboren", "1990.
    március 4-én született"); the next line's when the word's own line has no date ("Agent: And your date of
    birth?" / "Customer: 19 Feb 1988"); further dates within reach of a date found ("says 04/05/1988 but it
    should be 05/04/1988"); eight digits that make a date right after the word."""
    recent = datetime.date.today().year - 1
    for word in BIRTH_MORE.finditer(folded):
        yield from date_right_before(text, word.start(), recent)
        line_end = end_of_line(text, word.end())
        # pass 23: a form's label of a date of birth right before its date takes one of any year gone by ("Geboortedatum:
        # 14-02-2025", a newborn's)
        latest = recent + 2 if labels_a_date(text, folded, word) else recent
        dates = list(dates_in_reach(text, word.end(), line_end, latest))
        yield from (Span(start, end, "DOB") for start, end, of_birth in dates if of_birth)
        compact = COMPACT_DATE.match(text, word.end(), line_end)
        short = None if compact is not None else COMPACT_SHORT_DATE.match(text, word.end(), line_end)
        if compact is not None and compact_date_year(compact.group(1), recent):
            yield Span(compact.start(1), compact.end(1), "DOB")
        elif short is not None and six_digit_date(short.group(1)):
            yield Span(short.start(1), short.end(1), "DOB")
        elif not dates and asked(text, word.end(), line_end) and word.group() not in NO_QUESTION:
            # asked for on this line, answered on the next
            start = next_line_start(text, line_end)
            if start is not None:
                yield from (Span(begin, end, "DOB") for begin, end, of_birth
                            in dates_in_reach(text, start, end_of_line(text, start), recent) if of_birth)


#: Pass 28: how far before a birth word a date said in words may start on its line ("am fünften Mai neunzehnhundert-
#: vierzig geboren", "Dwunasty marca siedemdziesiąt dziewięć, urodzony w Krakowie"), and how far after it.
SPOKEN_BEFORE = 70
SPOKEN_AFTER = BIRTH_REACH + LONGEST_DATE


def spoken_dates_of_birth(text: str, folded: str) -> Iterator[Span]:
    """Pass 28: dates said in words (pii_spoken_dates: "the fifth of May, 1958", "Der fünfte Mai neunzehnhundert-
    vierzig", "doze de janeiro de mil novecentos e oitenta e três", "Δύο Νοεμβρίου του ενενήντα δύο") on a birth
    word's line, or on the next line when the word's line asks for it ("And your date of birth?" / "Caller: twelfth
    of August, eighty-four"); not a date after another event's word ("birthday present, delivered the fifth of May
    two thousand twenty-five"), nor one of this year or last ("the party on the twelfth of July twenty twenty-six")."""
    if len(folded) != len(text):
        return
    recent = datetime.date.today().year - 1
    for word in BIRTH_MORE.finditer(folded):
        line_start = folded.rfind("\n", 0, word.start()) + 1
        line_end = end_of_line(text, word.end())
        windows = [(max(line_start, word.start() - SPOKEN_BEFORE), min(line_end, word.end() + SPOKEN_AFTER))]
        if asked(text, word.end(), line_end) and word.group() not in NO_QUESTION:
            start = next_line_start(text, line_end)
            if start is not None:
                windows.append((start, min(end_of_line(text, start), start + SPOKEN_AFTER)))
        for window_start, window_end in windows:
            since = max(window_start, word.end())  # (the question's own words are no event: "para validar?")
            for start, end, year in spoken_dates(text, window_start, window_end):
                if start > since and OTHER_EVENT.search(text, since, start):
                    continue
                if full_year(year) < recent:
                    yield Span(start, end, "DOB")


def asked(text: str, word_end: int, line_end: int) -> bool:
    """Whether a birth word's line asks for the date: it ends soon after the word, or (pass 23) a question mark comes
    soon after it ("Wat is haar geboortedatum? Voor kinderen onder 12 is dat nodig." / "Klant: 22-07-2015")."""
    return line_end - word_end <= ASKED_REST or "?" in text[word_end:min(line_end, word_end + ASKED_REST)]


#: Pass 23: the birth words that label a date of birth in a form (not a birthday's: "birthday", "Geburtstag", "doğum
#: günü", "生日" are a party's as well), and what may stand between one and its date: the rest of its word or one more
#: ("Geburts|datum:", "doğum| tarihi:", "date of birth:"), then a colon or a dash.
DATE_LABELS = ("birth", "dob", "d.o.b", "geburt", "geb.", "naissance", "naiss.", "nacimiento", "nac.", "geboorte",
               "födelse", "fødsel", "生年月日", "생년월일", "出生", "рождени", "народжен", "doğum", "urodz", "narozen",
               "narod", "ngày sinh", "lahir", "الميلاد", "تولد", "ازدياد", "nasc", "ddn", "szül", "születés", "rojstn",
               "sünni", "dzimšan", "fæðing", "γέννησ", "d.t.", "д.р.", "д.н.")
BIRTHDAY_TAILS = ("day", "tag", "stag", "gün")
LABEL_GAP = re.compile(r"([^\W\d_]{0,8})(?:[ ][^\W\d_]{1,8})?[ \t]*[:：=\-–]?[ \t]*")


def labels_a_date(text: str, folded: str, word: re.Match[str]) -> bool:
    """Whether `word`, a BIRTH_MORE match in `folded`, labels the date right after it (DATE_LABELS, LABEL_GAP)."""
    if not word.group().startswith(DATE_LABELS):
        return False
    gap = LABEL_GAP.match(folded, word.end())
    if gap is None or gap.group(1).startswith(BIRTHDAY_TAILS) or folded.startswith(BIRTHDAY_TAILS, gap.end(1) + 1):
        return False
    return DATE_ANYWHERE.match(text, gap.end()) is not None


def end_of_line(text: str, start: int) -> int:
    end = text.find("\n", start)
    return len(text) if end < 0 else end


def next_line_start(text: str, line_end: int) -> int | None:
    """Where the first line with other than blanks after `line_end` starts, if any."""
    start = line_end
    while start < len(text) and text[start] in " \t\r\n":
        start += 1
    return start if start < len(text) else None


def dates_in_reach(text: str, start: int, line_end: int, recent: int) -> Iterator[tuple[int, int, bool]]:
    """(start, end, of a year before `recent`) of every date up to `line_end` that starts within BIRTH_REACH
    characters of `start` or of the last date of birth found."""
    reach = min(line_end, start + BIRTH_REACH)
    first = True
    born_end = -1  # where the last date of birth found ends
    date = DATE_ANYWHERE.search(text, start, min(line_end, reach + LONGEST_DATE))
    while date is not None and date.start() < reach:
        if date.start() > 0 and text[date.start() - 1].isdigit():
            date = DATE_ANYWHERE.search(text, date.end(), min(line_end, reach + LONGEST_DATE))
            continue  # pass 25: the end of a longer number ("nr 1189/11/2024"), no date
        if born_end >= 0 and SENTENCE_END.search(text, born_end, date.start()):
            break  # issue 18, twentieth pass: "sinh ngày 21/6/1994. … giao ngày 12/05/2024": another sentence's date
        if born_end >= 0 and OTHER_EVENT.search(text, born_end, date.start()):
            break  # pass 22: "born on the fourth of July 1990, account opened 03/02/2021": another event's date
        if date.group("two_digit_sep") is None or (first and short_date(date.group(), date.start() - start)):
            year = date_year(date.group())
            of_birth = year is None or year < recent
            if of_birth and born_end < 0 and year is not None and year > recent - EVENT_YEARS and \
                    OTHER_EVENT.search(text, start, date.start()):
                of_birth = False  # pass 23: "the birthday cake I ordered for 14 March 2024": the order's date
            yield date.start(), date.end(), of_birth
            if of_birth:
                reach = min(line_end, max(reach, date.end() + BIRTH_REACH))
                born_end = date.end()
        first = False
        date = DATE_ANYWHERE.search(text, date.end(), min(line_end, reach + LONGEST_DATE))


#: (OTHER_EVENT, the words of events other than a birth: pii_ids_americas, shared with its finder.)
#: The end of a sentence: after a date of birth, the dates of the next sentence are other things' (an order's).
SENTENCE_END = re.compile(r"[。！？]|[.!?;](?:\s|$)")


#: A date with a two-digit year ("4/19/77") is taken only as the first date after a birth word and this close to it
#: ("DOB: 4/19/77") or to the start of the line that answers it ("Customer: 4/19/77"): further on, or after
#: another date, 3-5-12 or 88/3/12 is a house number.
SHORT_DATE_REACH = 20


def short_date(date: str, distance: int) -> bool:
    """Whether a date with a two-digit year, `distance` characters after a birth word, is one: its day and month
    each up to 31, one of them up to 12; (pass 23) or, its first part over 31, a year first, as Korean, Japanese and
    Chinese forms write it ("생년월일: 85.04.03"), then a month and a day."""
    first, second, third = (int(part.lstrip("'’")) for part in re.split(r"[./ -]", date)[:3])
    if first > 31:
        return distance <= SHORT_DATE_REACH and 0 < second <= 12 and 0 < third <= 31
    return distance <= SHORT_DATE_REACH and 0 < min(first, second) <= 12 and max(first, second) <= 31


def date_right_before(text: str, start: int, recent: int) -> Iterator[Span]:
    """A date shortly before a birth word in the same clause ("am 30.04.1982 in Graz geboren", "4-én született")."""
    if not any(char.isdigit() for char in text[max(0, start - BEFORE_GAP - 1):start]):  # no date ends there
        return
    for date in DATE_ANYWHERE.finditer(text, max(0, start - BEFORE_GAP - LONGEST_DATE), start):
        if CLAUSE_GAP.fullmatch(text, date.end(), start) and not sentence_ends_after(text, date.end(), start):
            year = date_year(date.group())
            if year is not None and year > recent - EVENT_YEARS and \
                    OTHER_EVENT.search(text, max(0, date.start() - EVENT_REACH), date.start()):
                continue  # pass 25: "Zamówienie z dnia 11.11.2024 (prezent urodzinowy)": the order's date
            if year is None or year < recent:
                yield Span(date.start(), date.end(), "DOB")


def sentence_ends_after(text: str, date_end: int, start: int) -> bool:
    """Pass 22: whether the dot after a date ends its sentence, the next one opening in a capital ("issued
    03/15/2021. DOB: …", "datert 02.01.2024. Jeg er født …"); a Hungarian or Czech date's own dot does not
    ("1988.03.12. született")."""
    if text[date_end:date_end + 1] != ".":
        return False
    rest = text[date_end + 1:start + 1].lstrip(" \t")
    return rest[:1].isupper()


#: What may stand between a date and the birth word after it: a few words of the same clause, no number.
BEFORE_GAP = 25
#: Pass 25: how far before such a date an event's word (OTHER_EVENT) makes it the event's ("ordered on", "Zamówienie z
#: dnia", "Commande du").
EVENT_REACH = 24
CLAUSE_GAP = re.compile(rf"\.?[^\d\n,.;:!?]{{0,{BEFORE_GAP}}}")


YEAR = re.compile(r"(?:19|20)\d\d")
TWO_DIGIT_YEAR = re.compile(r"\d\d$")


#: The year before the first of each era (`ASIAN_DATE`), and a Buddhist-era year (Thailand's: 543 years ahead).
ERA_BEFORE = {"明治": 1867, "大正": 1911, "昭和": 1925, "平成": 1988, "令和": 2018, "民國": 1911, "民国": 1911,
              "M": 1867, "T": 1911, "S": 1925, "H": 1988, "R": 2018}
ERA_YEAR = re.compile(r"(明治|大正|昭和|平成|令和|民國|民国|^[MTSHR])\.?[ ]?(\d{1,3}|元)")
BUDDHIST_YEAR = re.compile(r"(?<!\d)25\d\d(?!\d)")
TWO_DIGIT_YEAR_FIRST = re.compile(r"^(\d\d)[ ]?[年년]")
#: Pass 23: a Hijri year opening a date (HIJRI_DATE), a Bikram Sambat date, a two-digit year opening one ("85.04.03").
HIJRI_YEAR = re.compile(r"1[34]\d\d(?=[./-])")
BIKRAM_SAMBAT_DATE = re.compile(BIKRAM_SAMBAT)
YEAR_FIRST_TWO = re.compile(r"(\d\d)[./-]\d{1,2}[./-]['’]?\d\d$")
#: The last year of the Solar Hijri calendar Iran uses that has begun (1405 began in March 2026); a later Hijri year is
#: of the Islamic (lunar) calendar, whose year is about 0.97 of a solar one.
LAST_SOLAR_HIJRI = 1405


def hijri_year(year: int) -> int:
    """The common era's year of a Solar Hijri year or, past LAST_SOLAR_HIJRI, of an Islamic one."""
    return year + 621 if year <= LAST_SOLAR_HIJRI else round(year * 0.970229 + 621.5643)


def date_year(date: str) -> int | None:
    """The year of a date DATE matched: its four digits, or its last two read as the latest year not to come;
    an era's year, a Buddhist-era, Bikram Sambat or Hijri year as the common era's."""
    era = ERA_YEAR.search(date)
    if era is not None:
        return ERA_BEFORE[era.group(1)] + (1 if era.group(2) == "元" else int(era.group(2)))
    buddhist = BUDDHIST_YEAR.search(date)
    if buddhist is not None:
        return int(buddhist.group()) - 543
    hijri = HIJRI_YEAR.match(date)
    if hijri is not None:
        return hijri_year(int(hijri.group()))
    if BIKRAM_SAMBAT_DATE.fullmatch(date):
        return int(date[:4]) - 57
    first_two = YEAR_FIRST_TWO.match(date)
    if first_two is not None and int(first_two.group(1)) > 31:  # "85.04.03": a year first
        date = first_two.group(1)
    first = TWO_DIGIT_YEAR_FIRST.match(date)
    if first is not None:  # "88년 4월 12일"
        date = first.group(1)
    year = YEAR.search(date)
    if year is not None:
        return int(year.group())
    two = TWO_DIGIT_YEAR.search(date)
    if two is None:  # pass 28: a year said in words ("the twelfth of July twenty twenty-six": this year's)
        return None if ANY_DIGIT.search(date) else spoken_year(date)
    this_year = datetime.date.today().year
    full = 2000 + int(two.group())
    return full if full <= this_year else full - 100


def compact_date_year(digits: str, recent: int) -> bool:
    """Whether eight digits are a real date, read day-month-year, month-day-year or year-month-day, of a year
    from 1900 to before `recent`."""
    for year_at, month_at, day_at in COMPACT_ORDERS:
        year, month, day = int(digits[year_at:year_at + 4]), int(digits[month_at:month_at + 2]), int(digits[day_at:day_at + 2])
        if 1900 <= year < recent:
            try:
                datetime.date(year, month, day)
            except ValueError:
                continue
            return True
    return False


def six_digit_date(digits: str) -> bool:
    """Whether six digits are a real date, read year-month-day or day-month-year."""
    for year_at, month_at, day_at in SHORT_ORDERS:
        try:
            datetime.date(2000 + int(digits[year_at:year_at + 2]), int(digits[month_at:month_at + 2]),
                          int(digits[day_at:day_at + 2]))
        except ValueError:
            continue
        return True
    return False


# --- postal addresses ------------------------------------------------------------------------------

STREET_SUFFIX = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Close|"
    r"Crescent|Square|Sq|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Trail|Grove|Gardens|Row|Mews|Hill|Walk|Loop)"
)
UNIT = r"(?:,?\s+(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|Fl|#)\.?\s*[\w-]+)?"
US_TAIL = r"(?:,\s*[A-Z][A-Za-z .'-]{1,30}?,?\s+[A-Z]{2}\s+\d{5}(?:-\d{4})?)?"
UK_POSTCODE = r"(?:GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})"
#: A European postcode and town: "10115 Berlin", "F-75002 Paris", Portugal's "1100-053 Lisboa".
EU_TAIL = r"(?:,?\s+(?:[A-Z]{1,2}-|C\.?P\.?\s?)?(?:\d{4}-\d{3}|\d{4}\s?[A-Z]{2}(?=\s)|\d{4,5})\s+[A-ZÀ-Ý][\wÀ-ÿ'-]+(?:[ -][A-ZÀ-Ý][\wÀ-ÿ'-]+)?)?"
#: Pass 21: the Czech and Slovak months (genitive) that name streets after a date ("4. listopadu", "29. augusta").
CZECH_SLOVAK_MONTHS = (r"(?:ledna|února|března|dubna|května|června|července|srpna|září|října|listopadu|prosince|"
                       r"januára|februára|marca|apríla|mája|júna|júla|augusta|septembra|októbra|novembra|decembra)")
ADDRESSES = (
    # 221B Baker Street, London NW1 6XE / 1600 Pennsylvania Avenue NW, Washington, DC 20500 /
    # Flat 3, 27 Clarence Road / 350 5th Avenue (a unit before the number, an ordinal street name)
    re.compile(rf"(?:\b(?:Flat|Apartment|Apt|Unit|Suite)\.?\s+\w{{1,5}},?\s+)?"
               rf"(?<![Ss]tall )(?<![Ss]tand )(?<![Bb]ooth )(?<![Kk]iosk )(?<![Pp]itch )(?<![Gg]ate )"  # a stall's number
               rf"\b\d{{1,5}}[A-Za-z]?(?:[-/]\d{{1,4}})?,?\s+(?:[NSEW]\.?\s+)?(?:[A-Z][\w'.-]*\s+){{0,3}}?"
               rf"(?:[A-Z][\w'-]*|\d{{1,3}}(?:st|nd|rd|th))\s+{STREET_SUFFIX}\b\.?(?:\s+(?:NW|NE|SW|SE|N|S|E|W)\b)?{UNIT}"
               rf"(?:,?\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?,?\s+{UK_POSTCODE}\b)?{US_TAIL}"),
    # Hauptstraße 5, 10115 Berlin / Bahnhofstr. 12a / Kerkstraat 12
    re.compile(rf"\b[A-ZÄÖÜ][\wäöüß-]*(?:[ ](?=[SWGPA]))?(?:straße|Straße|strasse|Strasse|str\.|Str\.|weg|Weg|gasse|Gasse|"
               rf"allee|Allee|platz|Platz|ring|damm|ufer|straat|laan|"
               rf"gracht|plein|vej|gatan|gata)\s+\d{{1,4}}[a-z]?(?:[/-]\d{{1,3}})?\b{EU_TAIL}"),
    # 12 rue de la Paix, 75002 Paris
    # (the name may run over several capitalised words and particles: "avenue Victor Hugo", "place
    # Charles de Gaulle", "rue du Faubourg Saint-Antoine")
    re.compile(rf"\b\d{{1,4}}(?:\s?(?:bis|ter|[A-Da-d]\b))?,?\s+(?i:rue|avenue|av\.|boulevard|bd|place|chemin|allée|impasse|"
               rf"quai|route|cours|square|passage|voie|rond-point)\s+(?:[\w'’-]+\s+){{0,4}}?[A-ZÉÈ][\w'’-]+"
               rf"(?:[ -](?:(?:de|du|des|la|le|d['’])\s?)?[A-ZÉÈ][\w'’-]+){{0,3}}{EU_TAIL}"),
    # Calle Mayor 10, 28013 Madrid / Via Roma 12
    re.compile(rf"\b(?:Calle|C/|C\.|Avenida|Avda\.|Av\.|Paseo|Plaza|Pza\.|Ronda|Camino|Carrer|Via|Viale|Piazza|P\.zza|"
               rf"Corso|Largo|Vicolo|Rua|Travessa)\s+(?:[\w'’]+\s+){{0,3}}?"
               rf"[A-ZÁÉÍÓÚ][\wáéíóúñàèìòù'’]+,?\s+(?:(?:n[º°.]|nº|núm\.?|no\.|Nr\.)\s?)?(?!(?:19|20)\d\d\b)\d{{1,4}}(?:[/-]?[A-Za-z])?\b{EU_TAIL}"),
    re.compile(r"\bP\.?\s?O\.?\s+Box\s+\d+\b", re.IGNORECASE),
    # (pass 24: not after a hyphen, where it ends a model's code: "Panasonic NA-LX129BL")
    re.compile(rf"(?<![\w-]){UK_POSTCODE}\b"),
    # German streets named with a preposition and no suffix: Am Markt 3, An der Alster 12, Im Winkel 4
    re.compile(rf"\b(?:Am|An der|An den|Auf dem|Auf der|Im|In der|In den|Zum|Zur|Unter den|Hinter dem|Alte|Neue|Große|"
               rf"Kleine)\s+[A-ZÄÖÜ][\wäöüß-]+\s+\d{{1,4}}[a-z]?\b{EU_TAIL}"),
    # pass 21: Czech and Slovak streets named after a date, then the house number ("4. listopadu 12",
    # "Nám. 28. října 1234/5", "29. augusta 5"), not a year after the month
    # (with a comma, a postcode or an orientation number after it: "4. listopadu 12 kusů" counts pieces)
    re.compile(rf"(?<![\d.])(?:[1-9]|[12]\d|3[01])\.\s?{CZECH_SLOVAK_MONTHS}\s+(?!(?:19|20)\d\d\b)"
               rf"(?:\d{{1,4}}/\d{{1,4}}[a-z]?\b|\d{{1,4}}[a-z]?(?=,\s|\s\d{{3}}\s?\d{{2}}\b))(?![.,]\d){EU_TAIL}"),
)


#: For each pattern of ADDRESSES, a piece every match of it holds (same flags), or None: a text
#: without the piece skips the pattern, which would scan every position for nothing.
ADDRESS_HINTS = (
    re.compile(rf"{STREET_SUFFIX}\b"),
    re.compile(r"(?:straße|Straße|strasse|Strasse|str\.|Str\.|weg|Weg|gasse|Gasse|allee|Allee|platz|Platz|ring|damm|ufer|"
               r"straat|laan|gracht|plein|vej|gatan|gata)\s+\d"),
    # (looked for in the `fold`ed text: a case-insensitive alternation costs ten times a plain one)
    re.compile(r"(?:rue|avenue|av\.|boulevard|bd|place|chemin|allée|impasse|quai|route|cours|square|passage|voie|"
               r"rond-point)\s"),
    re.compile(r"(?:Calle|C/|C\.|Avenida|Avda\.|Av\.|Paseo|Plaza|Pza\.|Ronda|Camino|Carrer|Via|Viale|Piazza|P\.zza|Corso|"
               r"Largo|Vicolo|Rua|Travessa)\s"),
    None,  # "P.O. Box": looked for in the `fold`ed text, see find_addresses
    None,
    re.compile(r"(?:Am|An|Auf|Im|In|Zum|Zur|Unter|Hinter|Alte|Neue|Große|Kleine)\s"),
    re.compile(rf"{CZECH_SLOVAK_MONTHS}\s+\d"),
)
FRENCH = 2  # its hint is looked for in the folded text
PO_BOX = 4
BARE_POSTCODE = 5


def find_addresses(text: str) -> Iterator[Span]:
    """Addresses of the patterns below and of `pii_address`'s blocks; overlapping ones merged."""
    spoken = spoken_address_numbers(text)
    scan = written_as_digits(text, spoken) if spoken else text  # (pass 25: "twelve Oak Lane" read as "12 Oak Lane")
    if ANY_DIGIT.search(scan) is None:
        yield from find_digit_free_addresses(text)  # (pass 23: the fast path's, every pattern needing a digit)
        return
    found = [(s.start, s.end) for s in pattern_addresses(scan)]
    found.extend(find_address_blocks(scan))
    found = [(start, read_out_end(end, spoken)) for start, end in found]
    yield from addresses_of(text, with_digital_codes(text, union(found)))


#: Pass 25: one number read out word by word, its words joined by a space or a hyphen ("one-twenty-two", "forty
#: two", "two eight eight oh four").
SPOKEN_NUMBER = re.compile(rf"(?<![^\W\d_])(?:{SPOKEN_WORD})(?:[ -](?:{SPOKEN_WORD}))*(?![^\W\d_])")
SPOKEN_NUMBER_WORD = re.compile(rf"(?:{SPOKEN_WORD})(?![^\W\d_])")
#: Digit words of other languages that are short English or Romance words ("do", "sat", "che", "hai", "uma").
SPOKEN_AMBIGUOUS = frozenset({"un", "um", "uma", "do", "ba", "hai", "sat", "che", "ek", "isa", "nau", "ett", "tre",
                              "sei", "due", "nul", "dua", "moja", "sita", "saba", "tano", "nne", "bir", "iki", "nol",
                              "lima", "enam", "null", "one", "e", "y", "et"})
#: The gate: a street type the house number read out goes with, or a flat's word.
SPOKEN_ADDRESS_GATE = re.compile(r"(?i:\b(?:lane|road|street|avenue|drive|close|court|way|crescent|place|terrace|"
                                 r"boulevard|rue|calle|rua|via|avenida)\b|(?:straße|strasse|gatan|vägen|vej|veien|weg|gasse|allee)\b)")


def spoken_digits(words: str) -> str:
    """The digits of a number read out word by word (SPOKEN_NUMBER's)."""
    return "".join(SPOKEN_DIGITS.get(word) or SPOKEN_PAIRS[word] for word in SPOKEN_NUMBER_WORD.findall(words))


def spoken_address_numbers(text: str) -> list[tuple[int, int, str]]:
    """Pass 25: the numbers of an address read out in a call, each (start, end, its digits): the house number before
    or after its street's name ("twelve Oak Lane", "Calle Mayor doce"), then a flat's or a floor's number after its
    word ("apartment four") and a postcode read a digit at a time ("two eight eight oh four"). Up to five digits a
    house; seven or more are a phone's."""
    if ("\n" not in text and ":" not in text) or SPOKEN_ADDRESS_GATE.search(text) is None:
        return []  # (a call's transcript or a chat has lines or speakers' colons)
    folded = fold(text)
    runs = [(match.start(), match.end(), spoken_digits(match.group())) for match in SPOKEN_NUMBER.finditer(folded)
            if match.group() not in SPOKEN_AMBIGUOUS]
    houses = [run for run in runs if len(run[2]) <= 5 and spoken_house_place(text, run[0], run[1])]
    if not houses:
        return []
    first = houses[0][0]
    line_end = text.find("\n", first)
    more = [run for run in runs if run[0] > first and run not in houses and (
        (len(run[2]) <= 3 and spoken_unit_before(text, run[0])) or
        (4 <= len(run[2]) <= 6 and len(SPOKEN_NUMBER_WORD.findall(folded, run[0], run[1])) >= 4 and
         (line_end < 0 or run[0] < line_end)))]  # (a postcode on the house's line)
    return sorted(houses + more)


def written_as_digits(text: str, numbers: Sequence[tuple[int, int, str]]) -> str:
    """`text` with each number read out written as its digits, padded with spaces to the words' length (a span
    found in the result fits `text`)."""
    parts: list[str] = []
    last = 0
    for start, end, digits in numbers:
        parts.extend((text[last:start], digits.ljust(end - start)))
        last = end
    return "".join(parts) + text[last:]


def read_out_end(end: int, numbers: Sequence[tuple[int, int, str]]) -> int:
    """An address's end grown over the rest of a number read out that it ends in (its digits are shorter)."""
    return next((stop for start, stop, _ in numbers if start < end < stop), end)


def find_digit_free_addresses(text: str) -> Iterator[Span]:
    """Pass 23: in a text with no digit, only `pii_address`'s digit-free blocks (a street or places right after "I live
    on", "my address is"; a Japanese block in kanji numerals) can be an address: every pattern needs a digit."""
    yield from addresses_of(text, union(list(find_address_blocks(text))))


def addresses_of(text: str, spans: Iterable[tuple[int, int]]) -> Iterator[Span]:
    """The spans, trimmed or grown at their ends, that are someone's address."""
    for start, end in spans:
        end = before_phone_label(text, start, end)  # pass 21: "…, 1140 Wien; Tel. 0664/…"
        end = with_trailing_landmark(text, start, end)  # pass 23: "…, Dubai (near Al Barsha Mall)"
        if not not_personal(text, start, end):  # a sofa named after a street, a firm's warehouse
            yield Span(start, end, "ADDRESS")


def pattern_addresses(text: str) -> Iterator[Span]:
    folded = fold(text)
    box = "box" in folded
    streets: list[Span] = []  # findings of a street pattern (not a bare postcode)
    for index, (pattern, hint) in enumerate(zip(ADDRESSES, ADDRESS_HINTS)):
        if (hint is not None and not hint.search(folded if index == FRENCH else text)) or (index == PO_BOX and not box):
            continue
        for match in pattern.finditer(text):
            span = Span(match.start(), match.end(), "ADDRESS")
            if index != BARE_POSTCODE:
                streets.append(span)
            yield span
    for start, end in grown_addresses(text, [(s.start, s.end) for s in streets], folded):
        yield Span(start, end, "ADDRESS")
    postal = list(find_postal_addresses(text, streets))
    yield from postal
    for start, end in grown_addresses(text, [(s.start, s.end) for s in postal], ""):
        yield Span(start, end, "ADDRESS")  # pyap's addresses grown the same way ("": no Eircode search again)


#: pyap2's address grammars (US, Canada, UK) take a street without a suffix we list ("45 Kingsway")
#: and a Canadian province; they run only where their country's postcode is in the text and outside
#: every address our patterns found (pyap costs about 1 ms a text; a postcode is what makes its
#: finding an address and not "2 Main Street shops"), so most texts pay one regex scan per country.
#: A US state and ZIP code, a Canadian province and postcode, a UK postcode. Each starts with a
#: capital: the pattern opens with one (sre then skips from capital to capital) and looks behind it.
POSTCODES = re.compile(r"[A-Z](?<!\w.)(?:(?P<US>[A-Z],?\s+\d{5}(?:-\d{4})?)|(?P<CA>[A-Z],?\s+[A-Z]\d[A-Z] ?\d[A-Z]\d)|"
                       r"(?P<GB>IR ?0AA|[A-Z]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2}))\b")


PYAP_COUNTRIES: tuple[Literal["US", "GB", "CA"], ...] = ("US", "GB", "CA")  # POSTCODES' group names


def find_postal_addresses(text: str, streets: Sequence[Span] = ()) -> Iterator[Span]:
    """pyap's addresses around each postcode that no street pattern of ours already took in."""
    countries = {match.lastgroup for match in POSTCODES.finditer(text)
                 if not any(s.start <= match.start() and match.end() <= s.end for s in streets)}
    for country in PYAP_COUNTRIES:  # none asked when each postcode is inside an address we found
        if country not in countries:
            continue
        for address in pyap.parse(text, country=country):
            start, end = address.match_start, address.match_end
            if not (isinstance(start, int) and isinstance(end, int)):
                continue
            end = min(end, len(text))  # pyap's offsets can run past the text (seen on a multi-line address)
            while start < end and not text[start].isalnum():  # pyap's match takes the space before
                start += 1
            while end > start and not text[end - 1].isalnum():
                end -= 1
            postcode_ends = [match.end() for match in POSTCODES.finditer(text, start, end)]
            if postcode_ends and "\n" in text[postcode_ends[-1]:end]:
                end = postcode_ends[-1]  # pyap runs on over the line break after the postcode ("... M19 2PW\n07823")
            if POSTCODES.search(text, start, end):
                yield Span(start, end, "ADDRESS")


# --- names -----------------------------------------------------------------------------------------

#: "Ana", "O'Connor", "D’Angelo", "Jean-Luc", "Ní": a capital, then letters, apostrophe or hyphen parts.
#: (Issue 18, eighth pass: Latin Extended letters count, "Wiśniewski", "Şahin", "Weißenböck", "Trần",
#: and Gaelic "NicLeòid", "Ní Bhriain".)
NAME_UP = f"A-ZÀ-ÖØ-Þ{LATIN_CAPITALS}"  # (pass 22: the capitals only; "říkal", "și" are no name)
NAME_LOW = "a-zß-öø-ÿ\u0100-\u024f\u1e00-\u1eff"
NAME_WORD = (rf"(?:Ma?c|Fitz|Nic)?[{NAME_UP}](?:[{NAME_LOW}]+|(?=['’]))"
             rf"(?:['’-][{NAME_UP}{NAME_LOW}][{NAME_LOW}]+)*")
#: The same in any case ("mary-kate d'angelo", "PETER BROWN"), only after a self-introduction.
ANY_NAME_WORD = r"[^\W\d_]+(?:['’-][^\W\d_]+)*"
ANY_NAME = rf"{ANY_NAME_WORD}(?:[ ]{ANY_NAME_WORD}){{0,3}}"
#: Words that end a name written in any case ("my name is dave and I ...").
NAME_STOP = frozenset({
    "me", "e", "en", "ed", "und", "et", "y", "and", "from", "here", "with", "i", "im", "i'm", "ich", "je", "yo", "the", "but",
    "aber", "mais", "pero", "your", "my", "mein", "meine", "ma", "mon", "mi", "is", "am", "was", "of", "at",
    "to", "for", "order", "bestellung", "commande", "pedido", "tengo", "have", "had", "need", "needs",
    "la", "el", "le", "les", "die", "der", "das", "calling", "writing", "again", "please",
})
#: Up to five words, particles between them ("María del Carmen Ruiz Altamirano", "Puig i Soler").
NAME = (rf"{NAME_WORD}(?:(?:[ ](?:de|da|do|dos|das|del|della|dela|di|van|von|der|den|la|le|du|bin|ibn|al|el|ter|ten|"
        rf"y|i|e|ní|nic)){{0,2}}[ -]{NAME_WORD}){{0,4}}")
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
    re.compile(rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Herr|Frau|Mme|Mlle|Sr|Sra|Sig|Sig\.ra|Dhr|Mevr|[Ss]eñora|[Ss]eñor|"
               rf"[Ss]ignora|[Ss]ignor|[Mm]evrouw|[Mm]eneer)\.?\s+(?P<name>{NAME})"),
    # "my name is Ana Lima", "name: Ana Lima", "this is Ana from"
    re.compile(rf"\b(?i:my name is|my name's|name\s*:|this is|I am|I'm)\s+(?P<name>{NAME})(?=\s+(?i:from|here)\b)"),
    re.compile(rf"\b(?i:my name is|my name's|name\s*:)\s+(?P<name>{NAME})"),
    # self-introductions and name fields, in any case, in English, German, French, Spanish, Italian,
    # Dutch, Portuguese: the name runs to a stop word
    re.compile(rf"\b(?i:my name is|my name's|ich hei(?:ß|ss)e|mein name ist|je m['’]appelle|mon nom est|ici|"
               rf"me llamo|mi nombre es|mi chiamo|mijn naam is|o meu nome é|meu nome é|chamo-me|me chamo|"
               rf"account holder\s*:|card ?holder\s*:|customer\s*:|(?<!for )(?<!reason )contact\s*:)\s+(?P<name>{ANY_NAME})"),
    # sign-offs: "Thanks,\nAna" / "Kind regards, Ana Lima" at the end of a line
    # (longer phrases first: "Thanks so much!" is not "Thanks" and a name "so much")
    re.compile(rf"\b(?i:thanks so much|thank you so much|thanks again|(?:many )?thanks in advance|thank you|thanks|"
               rf"many thanks|regards|"
               rf"kind regards|best regards|best wishes|all the best|best|cheers|sincerely|yours|warm regards|"
               rf"cordialement|bien cordialement|bien à vous|grüße|grüßen|gruß|saludos cordiales|saludos|un saludo|"
               rf"atentamente|warm wishes|best wishes|"
               rf"cordiali saluti|saluti|met vriendelijke groet|groetjes|groeten|atenciosamente|cumprimentos|"
               rf"obrigad[oa]|gracias|merci|danke|grazie)\b[,!.]?[ \t]*(?:\n[ \t]*){{0,2}}(?:-{{1,2}}\s*)?"
               rf"(?P<name>{NAME}|{ANY_NAME})"
               rf"[ \t]*[.!]?[ \t]*(?=\n|$)"),
    # "I am Maria Lopez, call me", "I'm Tom." (a capitalised name closed by punctuation, "and", "from")
    re.compile(rf"\b(?i:I am|I['’]m)\s+(?P<name>{NAME})(?=\s*[,.;!]|\s*$|\s+(?i:and|from|here)\b)"),
    # "it's Marco Rossi here", "this is priya speaking"
    re.compile(rf"\b(?i:it['’]?s|this is)\s+(?P<name>{ANY_NAME})\s+(?i:here|speaking|calling|writing)\b"),
    # "sono Chiara Conti", "ik ben Joris Bakker", "hier spricht Jens Hoffmann": words that also start
    # ordinary sentences, so only a capitalised name counts
    re.compile(rf"\b(?i:sono|ik ben|ich bin|hier ist|hier spricht|je suis|soy|eu sou|sou(?: [ao])?|jestem|jsem)"
               rf"\s+(?P<name>{NAME})"),
    # people named around the customer: "my husband Tobias", "your agent Priscilla", "I spoke to Rowan
    # Ellis", "CC: Mei Lin Tan", "Attn: Helga Brandt", a pasted "From: Gustavo Almeida <...>"
    re.compile(rf"\b(?i:my (?:husband|wife|partner|son|daughter|mother|mom|mum|father|dad|brother|sister|colleague|"
               rf"friend|boss|manager|neighbou?r|assistant)|your (?:agent|colleague|rep|representative|technician|"
               rf"driver|courier|engineer)|(?:spoke|talked|chatted) (?:to|with)|ask for|cc\s*:|attn\s*:?|c/o)"
               rf"\s+(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?\s+)?(?P<name>{NAME})"),
    # a pasted mail header: "From: Gustavo Almeida <...>", "To: ..."
    re.compile(rf"\b(?i:from|to)\s*:\s*(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?\s+)?(?P<name>{NAME})"),
    # a signature: the name on its own line above "Sent from my ..." or before "| title"
    re.compile(rf"(?m)^[ \t]*(?P<name>{NAME})[ \t]*(?:(?:\n[ \t]*){{1,2}}(?i:sent from my|get outlook)|\|)"),
    # "Farah Siddiqui from Northwind": first and last name opening a clause, then "from"
    re.compile(rf"(?:^|(?<=[\n.!?,:;]))[ \t]*(?P<name>{NAME_WORD}[ ]{NAME_WORD}(?:[ ]{NAME_WORD})?)[ ]from\b"),
    # "hey, tariq here": a name of any case after a greeting, then "here"
    re.compile(rf"\b(?i:hi|hiya|hey|hello|yo|morning)[,!]?\s+(?P<name>{ANY_NAME_WORD}(?:[ ]{ANY_NAME_WORD})?)"
               rf"\s+(?i:here)\b"),
    # name fields in any case: "First name: bruno", "Last name: costa"
    re.compile(rf"\b(?i:first name|last name|surname|full name|given name|family name)\s*:\s*(?P<name>{ANY_NAME})"),
    # issue 18, seventh pass: the sign-offs of chat and of other languages, the same way (a pattern of
    # its own, so the long one above does not grow: each word of an alternation costs every text)
    re.compile(rf"\b(?i:mfg|rgds|thx|tks|take care|talk soon|bises|bisous|à bientôt|a bientot|abrazos|un abrazo|besos|"
               rf"abraços|beijos|ciao|tschüss|tschüs|hälsningar|mvh|pozdrawiam|pozdrowienia|s pozdravem|"
               rf"üdvözlettel|saygılarımla|"
               # issue 18, pass 22: Central and Eastern Europe's ("Lp, Ana", "Cu stimă, Andrei Popescu", "Ar cieņu,")
               rf"s pozdravom|pozdrav|lep pozdrav|lijep pozdrav|srdačan pozdrav|srdačno|s poštovanjem|z poważaniem|"
               rf"srdečně|cu stimă|cu stima|cu respect|ar cieņu|pagarbiai|lugupidamisega|tervitades|üdv|tisztelettel|"
               rf"köszi|dzięki|díky|děkuji|ďakujem|dėkoju|ačiū|paldies|aitäh|hvala|mulțumesc|multumesc|lp)\b[,!.]?[ \t]*(?:\n[ \t]*){{0,2}}(?:-{{1,2}}\s*)?"
               rf"(?P<name>{NAME}|{ANY_NAME})[ \t]*[.!]?[ \t]*(?=\n|$)"),
)
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


#: For each pattern of NAME_CONTEXTS, words one of which every match holds: as written where the
#: pattern is case-sensitive, else lower case, looked for in the `fold`ed text.
NAME_HINTS: tuple[tuple[bool, tuple[str, ...]], ...] = (
    (False, ("Hi", "Hello", "Hey", "Dear", "Hallo", "Bonjour", "Hola", "Ciao", "Olá", "Good ")),
    (False, ("Mr", "Ms", "Miss", "Mx", "Dr", "Prof", "Herr", "Frau", "Mme", "Mlle", "Sr", "Sig", "Dhr", "Mevr", "eñor",
             "ignor", "evrouw", "eneer")),
    (True, ("name", "this is", "i am", "i'm")),  # and "from" or "here" (FROM_OR_HERE)
    (True, ("name",)),
    (True, ("name", "heiße", "heisse", "appelle", "nom est", "ici", "llamo", "nombre", "chiamo", "naam", "nome",
            "chamo", "holder", "customer", "contact")),
    (True, ("thank", "regards", "best", "cheers", "sincerely", "yours", "cordialement", "bien à vous", "grüß",
            "gruß", "saludo", "atentamente", "saluti", "groet", "atenciosamente", "cumprimentos", "obrigad",
            "gracias", "merci", "danke", "grazie")),
    (True, ("i am", "i'm", "i’m")),
    (True, ("here", "speaking", "calling", "writing")),
    (True, ("sono", "ik ben", "ich bin", "hier ist", "hier spricht", "je suis", "soy", "eu sou", "sou", "jestem",
            "jsem")),
    (True, ("husband", "wife", "partner", "son ", "daughter", "mother", "mom ", "mum ", "father", "dad ",
            "brother", "sister", "colleague", "friend", "boss", "manager", "neighbo", "assistant", "agent",
            "rep ", "representative", "technician", "driver", "courier", "engineer", "spoke", "talked",
            "chatted", "ask for", "cc:", "cc :", "attn", "c/o")),
    (True, ("from:", "from :", "to:", "to :")),
    (True, ("sent from my", "get outlook", "|")),
    (True, (" from",)),
    (True, ("here",)),
    (True, ("name",)),
    (True, ("mfg", "rgds", "thx", "tks", "take care", "talk soon", "bises", "bisous", "bientôt", "bientot", "abrazo",
            "besos", "abraços", "beijos", "ciao", "tschüs", "hälsningar", "mvh", "pozdr", "s pozdravem", "üdvözlettel",
            "saygilarimla", "stim", "cieņu", "pagarbiai", "lugupidamisega", "tervitades", "üdv", "tisztelettel",
            "köszi", "dzięki", "díky", "děkuji", "ďakujem", "dėkoju", "ačiū", "paldies", "aitäh", "hvala", "mulțumesc",
            "multumesc", "poważaniem", "poštovanjem", "srdečně", "srdačno", "lp")),  # (as `fold` spells it: "ı" is "i")
)


FROM_OR_HERE = 2


#: Whether `find_names` also asks the trained tagger (scripts/train_name_model.py turns it off to score
#: the rules alone).
MODEL_NAMES = True


def find_names(text: str) -> Iterator[Span]:
    folded = fold(text)
    found: list[tuple[int, int]] = []
    for index, (pattern, (any_case, hints)) in enumerate(zip(NAME_CONTEXTS, NAME_HINTS)):
        if not has_any(folded if any_case else text, hints):
            continue
        if index == FROM_OR_HERE and not has_any(folded, ("from", "here")):
            continue
        for match in pattern.finditer(text):
            start, end = match.span("name")
            if index in SIGN_OFFS and not signed_name(match.group("name")):
                continue
            if index == SELF_NAMED and SPEAKER_CUSTOMER.search(text, max(0, start - 16), start) and \
                    not signed_name(match.group("name")) and not LINE_CLOSED.match(text, end):
                continue  # pass 21: a chat's "Customer: bhai mera parcel abhi …" is the customer's message
            if index == SELF_NAMED and INTRO_LEAD.match(match.group("name")):
                continue  # pass 26: "Customer: tôi là trần thị hương": name_cues.intro_names reads what follows
            found.extend((s.start, s.end) for s in name_spans(text, start, end))
    found.extend(find_listed_names(text, folded))
    found.extend(find_more_names(text, folded))
    found.extend(find_cued_names(text, folded))
    if MODEL_NAMES:
        found.extend(find_model_names(text))  # the trained tagger adds to the rules (core/name_model.py)
    for start, end in spread(text, found, gazetteer()):
        if language_named(text[start:end]):
            continue  # "in German, French, Spanish", "Québec French": a language, not a person (Babel's names)
        person = person_span(text, start, end)  # issue 18, the must-keep pass: no role, greeting, car, brand
        if person is not None and not code_letters(text, person[1]):
            yield Span(person[0], without_script_suffixes(text, *person), "NAME")


#: Pass 28: capitals glued to the digits after them ("PNR ZK9L2P", "Loan LN-4410928", "Code ni RBL3KX9T2A", "Mã khách
#: hàng: PD0100234871"): the letters open a code, not a name, which no digit follows without a space.
CODE_LETTERS = re.compile(r"(?<![^\W\d_])[A-Z]{1,4}\Z")
GLUED_DIGIT = re.compile(r"-?\d")


def code_letters(text: str, end: int) -> bool:
    """Whether the name finding ending at `end` ends in capitals that a code's digits follow (CODE_LETTERS)."""
    return GLUED_DIGIT.match(text, end) is not None and CODE_LETTERS.search(text, max(0, end - 5), end) is not None


#: Issue 18, sixteenth pass: the titles right before a name are redacted with it ("Mrs. Edith Pruitt",
#: "Frau Aebischer", "mevr. Anouk Smits"): a title says the person's gender, and authors label it with the name.
TITLE_BEFORE = re.compile(
    r"(?:(?<![\w.])(?:Mr|Mrs|Ms|Mx|Miss|Dr|Prof|Sr|Sra|Srta|Sig|Sig\.ra|Herr|Frau|Hr|Fr|Mme|Mlle|M(?=\.)|Mevr|mevr|"
    r"[Mm]evrouw|[Dd]hr|[Mm]eneer|Pan|Pani|Panie|Pana|Panem|Panu|Panią|Paní|Pane|Pán|Pána|Pánom|Pánovi|"
    # issue 18, pass 22: Central and Eastern Europe's titles with the name, as name_cues.TITLE_WORDS reads them
    r"Gospodin|Gospodina|Gospodinu|Gospodinom|Gospodine|Gospođa|Gospođe|Gospođi|Gospođu|Gospođom|Gospođo|Gđa|Gospa|"
    r"Domnul|Domnului|Doamna|Doamnei|Dl|Dna|Ponas|Ponia|Fru|Mag|Ing|Dott|Dott\.ssa|Dña|Doña|Madame|Monsieur|Señor|"
    r"Señora|Senhor|Senhora|Signor|Signora|"
    # issue 18, nineteenth pass: the titles of other scripts that authors label with the name ("г-н Илиев",
    # "κ. Λαμπράκη", "أستاذ محمود", "श्रीमती सुनीता देवी"); Thai's and Vietnamese's are labelled apart
    r"г-н|г-жа|г-ца|Г-н|Г-жа|[Гг]осподин|[Гг]оспожа|[Гг]осподину|[Гг]оспоже|д-р|Д-р|κ|κα|Κα|κος|Κος|κύριε|κυρία|Κύριε|"
    r"Κυρία|κυρίου|κυρίας|מר|גב'|גב׳|גברת|הגב'|ד\"ר|ד״ר|עו\"ד|السيد|السيدة|الأستاذ|الأستاذة|أستاذ|أستاذة|الاستاذ|استاذ|"
    r"المهندس|المهندسة|الدكتور|الدكتورة|د|م|الشيخ|الحاج|श्री|श्रीमती|सुश्री|कुमारी|डॉ|জনাব|জনাবা|শ্রী|শ্রীমতী|ডাঃ|"
    r"திரு|திருமதி|செல்வி|"
    # issue 18, pass 20: Amharic's ("አቶ ታደሰ ወልዴ", "ወ/ሮ አልማዝ"), Bangladesh's "Mst." (Mosammat)
    r"አቶ|ወ/ሮ|ወ/ሪት|ዶ/ር|ወይዘሮ|ወይዘሪት|Mst|"
    # issue 18, twentieth pass: the honorifics of Indonesia, Malaysia, Thailand and the Philippines in Latin letters
    r"Bapak|Ibu|Pak|Bu|Encik|Puan|Cik|Tuan|Datuk|Dato['’]?|Datin|Khun|Gng|Bb|Kuya|Ate|Sir|Ma['’]am|Mdm)\.?[ \t]+)+$")
TITLE_REACH = 40


def with_title(text: str, start: int) -> int:
    """Where a name found at `start` begins with the titles right before it."""
    if start == 0 or text[start - 1] not in " \t":
        return start
    title = TITLE_BEFORE.search(text, max(0, start - TITLE_REACH), start)
    return start if title is None else title.start()


def language_named(name: str) -> bool:
    """Whether `name` is a language's name alone, or after a place or an ordinary word ("Québec French",
    "Brazilian Portuguese"); "Anna French" is a person's."""
    words = [strip_marks(word.lower()) for word in name.split()]
    if not words or words[-1] not in languages():
        return False
    return len(words) == 1 or (len(words) == 2 and words[0] in gazetteer()[2])


#: The sign-off patterns of NAME_CONTEXTS: a name after them in lower case must be a listed first name
#: ("Thanks, bye", "Yours faithfully", "Cheers mate" are none).
SIGN_OFFS = frozenset({5, 15})
#: Pass 21: the pattern of NAME_CONTEXTS whose "customer:" cue is also a chat's speaker label, and that label: what
#: follows it in lower case is a name only as a sign-off's is ("Customer: zeeshan ahmed", not "Customer: abeg
#: my data never enter", "Customer: assalam o alaikum").
SELF_NAMED = 4
SPEAKER_CUSTOMER = re.compile(r"(?i:customer)[ \t]*:[ \t]*\Z")
#: What closes a chat line that is a name alone ("Customer: jun-ho park", "Customer: paddy o'shea, 4 Meadow Vale").
#: Pass 26: the introductions of other languages that open a chat's "Customer:" line ("tôi là", "ana esmi"): the
#: name after them is name_cues.intro_names', not a name that starts with them.
INTRO_LEAD = re.compile(r"(?i:tôi là|tôi tên là|mình là|em là|ana esmi|w esmi|esmi|ismim|benim ad[ıi]m)\s")
LINE_CLOSED = re.compile(r"[ \t]*(?:\n|\Z|,[ \t]*\d)")


def signed_name(name: str) -> bool:
    """Whether the words after a sign-off can be a name: capitalised, or a listed first name."""
    if name[:1].isupper():
        return True
    first, last, common = gazetteer()
    words = [strip_marks(w.lower()) for w in name.split()]
    head = words[0] if words else ""
    if head in SIGN_OFF_FILLERS:
        return False
    # issue 18, ninth pass: or two to four words none of which is an ordinary one, the last a listed surname
    # ("regards ramesh kumar reddy": "ramesh" is listed as a surname only; "regards venkat rao naidu"), or a
    # surname-first name ("best, liu yang")
    return head in first or east_asian(words) or (
        2 <= len(words) <= 4 and words[-1] in last and not any(w in common or w in SIGN_OFF_FILLERS for w in words))


#: What follows a sign-off in lower case without being a name ("cheers mate", "love, x").
SIGN_OFF_FILLERS = frozenset({"mate", "love", "luv", "bye", "x", "xx", "xxx", "all", "everyone", "guys", "folks",
                              "babe", "hun", "pal", "buddy", "bro", "sir", "madam", "again", "team", "so", "very",
                              # issue 18, ninth pass: the "so much" of other languages ("Grazie mille")
                              "mille", "tante", "beaucoup", "bien", "vielmals", "schön", "sehr", "muito", "muchas",
                              "mil", "heaps", "loads", "lots", "tanto", "tantas", "wel", "hartelijk"})


def name_spans(text: str, start: int, end: int) -> Iterator[Span]:
    """The name at text[start:end], unless a word of it is no name ("Hi Team", "Regards, Acme Support");
    a name written in any case ends before its first stop word."""
    words = list(re.finditer(r"\S+", text[start:end]))
    for index, word in enumerate(words):
        if word.group().lower().strip(",.;:!?") in NAME_STOP:
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


#: Detectors that need no identity, in no particular order (priority is KINDS').
DETECTORS: tuple[Callable[[str], Iterable[Span]], ...] = (
    find_emails, find_ibans, find_cards, find_ips, find_secrets, find_ssns, find_dobs, find_phones, find_addresses,
    find_names, find_spoken_phones, find_spelled_ids,
)
#: The detectors whose every pattern needs a digit (IBAN, card, IP, phone, most addresses) cannot find
#: anything in a text without one, so such a text skips them: the same findings in about 40 % less
#: time for the many comments with no number in them (bench/RESULTS.md, exports). (Pass 23: an address
#: without a digit is looked for only after its cue, in kanji numerals and by its words in a few scripts.)
ANY_DIGIT = re.compile(r"\d")
WITHOUT_DIGITS: tuple[Callable[[str], Iterable[Span]], ...] = (
    find_emails, find_secrets, find_names, find_spoken_phones, find_dobs,  # (pass 22: dates said in words)
    find_addresses,  # (pass 23: an address after its cue, in kanji numerals, by its words in a few scripts)
    find_spelled_ids)  # (pass 23: an id read a character at a time, "J G one oh three seven five nine A")
