"""Issue 18, seventh pass: rules for the kinds of names and addresses a stranger's text has that the
position patterns (`redact.NAME_CONTEXTS`, `redact.ADDRESSES`) and the gazetteer (`name_gazetteer`)
left, written as categories, not as the misses that showed them:

- self-introductions in any case and several languages ("it's kwame,", "THIS IS DARNELL WASHINGTON",
  "je suis amélie.", "sono giulia"): the words after the introduction are a name when the first is a
  listed first name (lower case: then closed by punctuation, the end, or "here"/"from"/"and"...);
  in capitals, when one of them is a listed first name or surname;
- initials before a listed surname ("J. Schäfer", "M.-L. Dubois" is not covered);
- an address found by a street pattern grows over the pieces an address has around it: a unit,
  flat or building name, business park or estate before it ("Unit 5, Riverside Business Park, 22
  Mill Lane"), and after it, on the same line or the next, towns and a postcode (UK, US state and
  ZIP, Canadian, European "13002 Marseille", Dutch "1012 AB Amsterdam", Irish Eircode "D02 X285")
  up to the last postcode;
- a town after a street address that closes the sentence ("15 Oak Road, Bristol.");
- an Irish Eircode after the word "Eircode".

Every rule is gated by a cheap look for its words (the text lower-cased once by the caller), and
the reference redactor (tests/redact_oracle.py) runs them with `gated=False`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from feedbackloop.core.name_cues import PINYIN_GIVEN, VIET_SYLLABLE, east_asian, lower_full_name
from feedbackloop.core.name_gazetteer import gazetteer, strip_marks

# --- names -----------------------------------------------------------------------------------------

#: Introductions after which a name follows, in English, German, French, Spanish, Italian, Dutch,
#: Portuguese; most also open ordinary sentences ("it's broken", "sono arrivato"), hence the rules.
#: ("its" and "im" without the apostrophe are left out: "its price", "im Juli" are too common.)
INTRODUCTIONS = ("it's", "it’s", "this is", "i am", "i'm", "i’m", "ich bin", "hier ist", "je suis", "c'est", "c’est",
                 "ici", "me llamo", "soy", "sono", "mi chiamo", "ik ben", "mijn naam", "hier is", "nome é",
                 "eu sou", "my name", "bin der", "bin die", "sóc", "soy el", "soy la")
#: An introduction and the words after it. Each alternative starts with one of INTRODUCTIONS, so the
#: gated search tries it only where `str.find` met one ("o meu nome é" is found at its "nome é").
INTRO_AT = re.compile(
    r"(?i:it['’]s|this is|i am|i['’]m|(?:ich )?bin (?:der|die)|ich bin|hier ist|je suis|c['’]est|ici|me llamo|"
    r"soy (?:el|la)|soy|sóc (?:el|la|en|na)|sóc|"
    r"sono|mi chiamo|ik ben|mijn naam is|hier is|nome é|eu sou|my name is|my name['’]s)"
    r"[ \t]+(?P<name>[^\W\d_]+(?:['’-][^\W\d_]+)*(?:[ ][^\W\d_]+(?:['’-][^\W\d_]+)*){0,2})")
#: The same anywhere, after white space or punctuation (the reference redactor's form).
INTRO = re.compile(r"(?:^|(?<=[\s,.!?:;(\"“]))" + INTRO_AT.pattern)
BOUNDARY = frozenset(",.!?:;(\"“")
#: What may follow a lower-case name for it to count ("it's kwame, the code", "i'm priya here").
LOWER_CLOSE = re.compile(r"[ \t]*(?:[,.;:!?)\n—–-]|$|(?i:here|from|speaking|again|and|writing|calling)\b)")
#: A department or "here" right after a lone lower-case word makes it a name ("this is chidi from accounts").
AFTER_INTRO_CUE = re.compile(r"[ ]+(?i:here|speaking|calling|from (?:the )?(?:accounts?|billing|finance|sales|support|"
                             r"logistics|shipping|dispatch|returns|claims|it|hr|legal|marketing|procurement|team|"
                             r"customer service|office|warehouse|reception))\b")
#: Words that end a name or are none, in capitals as in lower case.
STOP = frozenset({
    "and", "from", "here", "speaking", "again", "writing", "calling", "please", "the", "a", "an", "i", "my", "your",
    "want", "need", "have", "had", "am", "is", "was", "not", "so", "very", "really", "still", "just", "now",
    "about", "regarding", "re", "with", "for", "to", "of", "in", "on", "at", "und", "et", "y", "e", "en", "urgent", "help", "sorry", "back", "ok", "okay", "fine", "good", "great", "happy", "sad", "angry",
    "customer", "client", "order", "account", "ticket", "refund", "support", "team", "manager", "owner",
    "mr", "mrs", "ms", "dr", "miss", "sir", "madam", "da", "de", "di", "von", "van",
})
PARTICLES = frozenset({"de", "da", "do", "dos", "das", "del", "della", "di", "van", "von", "der", "den", "la",
                       "le", "du", "bin", "ibn", "ben", "al", "el", "ter", "ten", "zu", "y"})
#: "J. Schäfer", "A.J. Okafor", "J. de Jong": one or two initials, then a surname (listed, or after a particle).
INITIALS = re.compile(r"(?<![\w.])(?:[A-Z]\.[ ]?){1,2}[ ]?(?P<particle>(?:(?:de|van|von|der|den|da|di|du|le|la|al|ten|ter)[ ]){0,2})"
                      r"(?P<surname>[A-ZÀ-Þ][a-zà-ÿ\u0100-\u024f]+(?:['’-][A-Za-zà-ÿ]+)?)\b")


CAPITAL_DOT = re.compile(r"[A-Z]\.")


#: Pass 24: English chat writes the title and the surname after it in lower case ("thanks mr hennessy", "Mrs
#: d'souza here"); `redact.NAME_CONTEXTS` reads only a capitalised name there. Not "miss" (a verb) nor "MS" (a
#: product: "MS Teams"); the word after is no name when it is a stop word or an ordinary word of the lists.
LOWER_TITLE = re.compile(r"(?<![\w.'’])(?P<title>[Mm]rs?|[Mm]s|[Mm]x|MRS?|[Mm]ister|[Mm]issus)\.?[ ]"
                         r"(?P<name>(?:[dl]['’])?[^\W\d_]+(?:['’-][^\W\d_]+)*)")
#: (" ms", not "ms": "items", "terms" hold it; a text opening with "ms" is looked at too)
AFTER_NUMBER = re.compile(r"\d[ ]?\Z")
LOWER_TITLE_HINTS = ("mr", "mx", "mister", "missus", " ms", "\nms", "\tms", "(ms")
#: Pass 24: a mail client's display name quoted as "Surname, Given" before its address ('From: "Connor, Sean"
#: <sc@…>'): both words, when the second is a listed first name; NAME_CONTEXTS' header pattern stops at the comma.
DISPLAY_SURNAME_FIRST = re.compile(r"[\"“](?P<last>[A-ZÀ-Þ][^\W\d_]+(?:['’-][^\W\d_]+)*),[ ]?"
                                   r"(?P<first>[A-ZÀ-Þ][^\W\d_]+(?:['’-][^\W\d_]+)*(?:[ ][A-Z]\.?)?)[\"”][ \t]*<")


def find_titled_names(text: str, folded: str, gated: bool = True) -> Iterator[tuple[int, int]]:
    """The English classes of pass 24: a lower-case surname after a title, a "Surname, Given" display name."""
    first, _last, common = gazetteer()
    if not gated or any(hint in folded for hint in LOWER_TITLE_HINTS) or folded.startswith("ms"):
        for match in LOWER_TITLE.finditer(text):
            start, end = match.span("name")
            if text[end - 2:end] in ("'s", "’s"):
                end -= 2  # "mr. mcgrath's the name"
            word = text[start:end].lower()
            bare = strip_marks(word.split("'")[-1].split("’")[-1])
            if match.group("title").isupper() and not text[start:end].isupper():
                continue  # a booking's "ALVAREZ/TOMAS MR rebooked": the title closes a name
            if match.group("title") == "ms" and AFTER_NUMBER.search(text, max(0, match.start() - 3), match.start()):
                continue  # "25 ms everywhere": milliseconds
            if len(bare) >= 2 and word not in STOP and word not in TITLE_NOT_NAME and (
                    text[start].isupper() or bare in first or not english_word(bare, common)):
                yield start, end
    if not gated or (('"' in text or "“" in text) and "<" in text):
        for match in DISPLAY_SURNAME_FIRST.finditer(text):
            given = strip_marks(match.group("first").split()[0].lower())
            if given in first and match.group("last").lower() not in common:  # not '"Acme, Inc"', '"Support, Team"'
                yield match.span("last")
                yield match.span("first")


#: What follows a lower-case title without being a surname ("mr and mrs", "ms office", "mr right").
TITLE_NOT_NAME = frozenset({"and", "or", "right", "wrong", "office", "word", "excel", "teams", "nobody", "president",
                            "speaker", "chairman", "universe", "clean", "fix", "fixit", "bean", "men", "mrs", "ms",
                            "mr", "mx", "you", "x", "y", "z",
                            # the Dutch degrees a lawyer's "mr." stands before ("mr. drs. H.A. ter Horst")
                            "drs", "dr", "ir", "ing", "prof", "ds", "bc", "mgr", "ba", "ma", "msc", "llm"})


def english_word(word: str, common: frozenset[str]) -> bool:
    """Whether a lower-case word is an ordinary word of the lists or one's plural or past ("tickets", "booked"): the
    lists hold the words' plain forms."""
    return word in common or any(word.endswith(end) and word[:-len(end)] in common for end in ("s", "es", "ed", "d"))


def find_more_names(text: str, folded: str, gated: bool = True) -> Iterator[tuple[int, int]]:
    """(start, end) of the names the seventh pass's rules find; `folded` is `text` lower-cased."""
    yield from find_titled_names(text, folded, gated)
    if not gated:
        yield from introduced_names(text, INTRO.finditer(text))
    elif any(word in folded for word in INTRODUCTIONS):
        yield from introduced_names(text, intro_matches(text, folded))
    if not gated or CAPITAL_DOT.search(text):
        _first, last, common = gazetteer()
        for match in INITIALS.finditer(text):
            surname = match.group("surname").lower()
            particle = match.group("particle")
            line_start = match.start() == 0 or text[match.start() - 1] == "\n"  # a signature: "Groeten,\nJ. de Jong"
            if (surname not in common and (surname in last or particle)) or particle.count(" ") >= 2 or (
                    particle and line_start):
                yield match.start(), match.end()


def intro_matches(text: str, folded: str) -> list[re.Match[str]]:
    """INTRO's matches, found from each place an introduction's word stands in `folded` (the text
    lower-cased letter for letter), in text order."""
    found: dict[int, re.Match[str]] = {}
    for word in INTRODUCTIONS:
        at = folded.find(word)
        while at >= 0:
            if at not in found and (at == 0 or text[at - 1].isspace() or text[at - 1] in BOUNDARY):
                match = INTRO_AT.match(text, at)
                if match is not None:
                    found[at] = match
            at = folded.find(word, at + 1)
    return [found[at] for at in sorted(found)]


def introduced_names(text: str, matches: Iterable[re.Match[str]]) -> Iterator[tuple[int, int]]:
    """The names after introductions (`matches` of INTRO)."""
    first, last, common = gazetteer()
    for match in matches:
        words = list(re.finditer(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", match.group("name")))
        offset = match.start("name")
        if not words:
            continue
        head = words[0].group()
        if head.isupper() and len(head) > 1:
            # capitals: a run of two or more capitalised words one of which is a listed first name or
            # surname ("its SHA-256", "it's IBAN" are no names)
            taken = []
            for word in words:
                lower = word.group().lower()
                if not word.group().isupper() or lower in STOP or (lower in common and lower not in first):
                    break
                taken.append(word)
            if len(taken) >= 2 and any(w.group().lower() in first or w.group().lower() in last for w in taken) and \
                    not all(w.group().lower() in common for w in taken):
                yield offset + taken[0].start(), offset + taken[-1].end()
            continue
        lower = head.lower()
        lowered = [strip_marks(w.group().lower()) for w in words]
        if east_asian(lowered) and lowered[0] not in common:  # "i am nguyen van an"
            end = min(len(words), 4) - 1
            while end > 1 and not (VIET_SYLLABLE.fullmatch(lowered[end]) or PINYIN_GIVEN.fullmatch(lowered[end])):
                end -= 1
            if LOWER_CLOSE.match(text, offset + words[end].end()):
                yield offset + words[0].start(), offset + words[end].end()
            continue
        if lower not in first and len(head) >= 2 and lower not in common and lower not in STOP \
                and AFTER_INTRO_CUE.match(text, offset + words[0].end()):
            yield offset + words[0].start(), offset + words[0].end()  # "this is chidi from accounts"
            continue
        if head.islower() and (strip_marks(lower) not in first or lower in common):
            span = lower_full_introduced(text, offset, words)
            if span is not None:
                yield span
                continue
        if len(head) < 2 or strip_marks(lower) not in first or lower in common or lower in STOP:
            continue
        end = 0
        after_particle = False
        for index, word in enumerate(words[1:], 1):  # surname words: listed, or capitalised, or particles
            value = word.group()
            if after_particle and (strip_marks(value.lower()) in last or strip_marks(value.lower()) in first):
                end = index  # "sono alessandro la rosa": a listed surname after a particle, even a word
                after_particle = False
                continue
            after_particle = False
            if value.lower() in PARTICLES and index + 1 < len(words):
                after_particle = True
                continue
            if value.lower() in STOP or value.lower() in common:
                break
            if value.lower() in last or value.lower() in first or value[0].isupper() or SURNAME_SHAPE.search(value):
                end = index
                continue
            if value.lower() in PARTICLES and index + 1 < len(words):
                continue
            break
        stop = offset + words[end].end()
        if not LOWER_CLOSE.match(text, stop):
            continue
        yield offset + words[0].start(), stop


def lower_full_introduced(text: str, offset: int, words: Sequence[re.Match[str]]) -> tuple[int, int] | None:
    """Issue 18, ninth pass: a full name in lower case after an introduction, its first word unlisted or an
    ordinary word too: closed by "from accounts", "here" ("this is tendai moyo from accounts"), or by
    punctuation when one of its words is listed ("i'm marco rossi, my parcel")."""
    first, last, common = gazetteer()
    taken = []
    for word in words:
        lower = strip_marks(word.group().lower())
        if lower in STOP or (lower in common and lower not in first and lower not in last):
            break
        taken.append(word)
    if len(taken) < 2 or not lower_full_name([w.group() for w in taken], (first, last, common)):
        return None
    end = offset + taken[-1].end()
    listed = any(strip_marks(w.group().lower()) in first or strip_marks(w.group().lower()) in last for w in taken)
    if AFTER_INTRO_CUE.match(text, end) or (listed and PUNCT_CLOSE.match(text, end)):
        return offset + taken[0].start(), end
    return None


#: Issue 18, ninth pass: surname endings of Slavic, Baltic, Romanian, Greek, Armenian, Georgian, Turkish
#: and Ukrainian names, which the lists (Cyrillic, Greek, Georgian letters) do not give in Latin letters:
#: "smirnova", "kovalenko", "wiśniewska", "popescu", "papadopoulou", "petrosyan", "beridze", "yilmazoglu".
SURNAME_SHAPE = re.compile(r"(?:ova|eva|ina|ov|ev|sky|ska|ski|skaya|skiy|enko|chuk|czuk|uk|vich|vych|ović|ovic|"
                           r"ević|evic|escu|eanu|opoulos|opoulou|idis|idou|akis|yan|ian|dze|shvili|oğlu|oglu)\Z")
PUNCT_CLOSE = re.compile(r"[ \t]*(?:[,.;:!?)\n—–]|$)")


# --- addresses -------------------------------------------------------------------------------------

UK_POSTCODE = r"(?:GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})"
EIRCODE = r"(?:[AC-FHKNPRTV-Y]\d{2}|D6W) ?[0-9AC-FHKNPRTV-Y]{4}"
TOWN = r"[A-ZÀ-Þ][\wÀ-ÿ'’.-]+(?:[ -](?:(?:de|du|la|le|sur|am|an|der|del|di|en|im|upon|on)[ -])?[A-ZÀ-Þ][\wÀ-ÿ'’.-]+){0,2}"
#: A postcode with its town around it, as one piece of an address.
POSTCODE_PIECE = (
    rf"(?:(?:{TOWN},?[ ]+)?(?:{UK_POSTCODE}|{EIRCODE}|[A-Z]{{2}}[ ]+\d{{5}}(?:-\d{{4}})?|[A-Z]\d[A-Z] ?\d[A-Z]\d)\b"
    rf"|(?:(?:C\.?P\.?|CP|PLZ|[A-Z]{{1,2}}-)[ ]?)?(?:\d{{4}}-\d{{3}}|\d{{4}}[ ]?[A-Z]{{2}}|\d{{4,5}})[ ]+{TOWN}"
    rf"(?:[ ]\(\w+\))?)"
)
#: What may sit between pieces: a comma, a line break (a multi-line address), or both.
JOINT = r"(?:,[ \t]*\n?[ \t]*|[ \t]*\n[ \t]*|,?[ \t]+(?=\d))"
AFTER = re.compile(rf"(?:{JOINT}(?:{TOWN}(?:[ ]\d{{1,2}})?|Co\.? [A-Z]\w+|County [A-Z]\w+)){{0,2}}{JOINT}{POSTCODE_PIECE}")
#: Pieces that come before a street: a unit, flat, floor, building, business park or estate.
BEFORE = re.compile(
    rf"(?:(?:\b(?:Unit|Suite|Ste|Flat|Apt|Apartment|Floor|Building|Bldg|Block|Room|Studio|Office)\.?[ ]\w{{1,5}}"
    rf"|{TOWN}[ ](?:Business Park|Industrial Estate|Trading Estate|Retail Park|Science Park|Enterprise Park|"
    rf"Business Centre|Business Center|Estate|House|Court|Building|Centre|Center|Tower|Plaza|Mews|Park|Works|Mill)\b)"
    rf",?[ \t]*\n?[ \t]*){{1,3}}$")
TOWN_LAST = re.compile(r",[ \t]*(?P<town>[A-ZÀ-Þ][a-zà-ÿ'’-]+(?:[ ][A-ZÀ-Þ][a-zà-ÿ'’-]+)?)[ \t]*(?=[.!?\n]|$)")
NOT_TOWNS = frozenset({"yesterday", "tomorrow", "tonight", "today", "asap", "thanks", "cheers", "regards", "please",
                       "pls", "thx", "ty", "best", "thank", "sorry", "ok", "okay", "yes", "no", "urgent"})
EIRCODE_ALONE = re.compile(rf"(?i:eircode)(?:\s*:|\s+is)?\s*(?P<code>{EIRCODE})\b")


def grow_address(text: str, start: int, end: int) -> tuple[int, int]:
    """The street address text[start:end] with the pieces around it that belong to it."""
    after = AFTER.match(text, end)
    if after is not None:
        end = after.end()
    else:
        town = TOWN_LAST.match(text, end)  # "15 Oak Road, Bristol." (a town closing the sentence, no postcode)
        if town is not None and not any(w.lower() in STOP or w.lower() in NOT_TOWNS for w in town.group("town").split()):
            end = town.end("town")
    window = text[max(0, start - 120):start]
    before = BEFORE.search(window)
    if before is not None:
        start -= len(window) - before.start()
        while text[start].isspace():
            start += 1
    return start, end


def grown_addresses(text: str, streets: Sequence[tuple[int, int]], folded: str,
                    gated: bool = True) -> Iterator[tuple[int, int]]:
    """Each street address grown (see `grow_address`), and each Eircode after the word."""
    for start, end in streets:
        grown = grow_address(text, start, end)
        if grown != (start, end):
            yield grown
    if not gated or "eircode" in folded:
        for match in EIRCODE_ALONE.finditer(text):
            yield match.span("code")
