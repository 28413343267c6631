"""Person names found by a trained sequence tagger: a linear-chain CRF over the words of a text.

The rules of `redact.find_names`, `name_gazetteer` and `name_cues` know names by position and by list;
on text nobody tuned them for they plateaued at 86–87 % of names (issue 18, tenth pass: a pass that
lifted its tuning parts by 7 points moved unseen text by 0.5). A tagger learns the same evidence as
weights instead of as rules, and weighs it together: the word's shape, whether the first-name,
surname and ordinary-word lists hold it, its letters' endings ("-ski", "-ović", "-sson"), and the
words around it in any language the training texts use ("sono", "huisgenoot", "Herrn").

The model is CRFsuite's (python-crfsuite: the C library, maintained, a 1 MB wheel, no download at run
time). It is trained by `scripts/train_name_model.py` on the labelled corpus
(tests/fixtures/pii_corpus.jsonl), each text also copied with its names swapped for others from the
lists, so that the model learns where names stand rather than which names the corpus holds. The file
`name_model.crfsuite` beside this module is that script's output; the script says which corpus parts
it left out, and docs/exports.md has the figures of every part by the tagger and by the rules.

`find_model_names` adds to the rules, never replaces them: `redact.find_names` takes the union.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path

import pycrfsuite
from babel import Locale

from feedbackloop.core.name_gazetteer import CONTINENTS, MONTHS_AND_DAYS, ORDINARY_FIRST_NAMES, gazetteer, strip_marks

MODEL_PATH = Path(__file__).with_name("name_model.crfsuite")
#: A word (letters, apostrophes and hyphens inside), a run of digits, or any other single character.
#: A possessive "'s" is a token of its own ("Hamid's email": the name is "Hamid").
TOKEN = re.compile(r"[^\W\d_]+(?:['’-](?![sS]\b)[^\W\d_]+)*|\d+|[^\w\s]")
#: Texts with no letter in upper case and no word a list holds as a name cost one scan.
LABELS = ("O", "B", "I")
SENTENCE_ENDS = frozenset(".!?")


def tokens(text: str) -> list[tuple[int, int]]:
    """(start, end) of each token of `text`."""
    return [match.span() for match in TOKEN.finditer(text)]


def shape(word: str) -> str:
    """A word's shape, short: "Xx" Title case, "X" capitals, "x" lower case, "X." an initial, "d" digits."""
    if word.isdigit():
        return "d"
    if not word[0].isalpha():
        return "p"
    if word.isupper():
        return "X1" if len(word) == 1 else "X"
    if word.islower():
        return "x"
    if word[0].isupper():
        return "Xx" if word[1:].islower() or not any(c.isupper() for c in word[1:]) else "XxX"
    return "xX"


@lru_cache(maxsize=8192)
def word_features(word: str) -> tuple[str, ...]:
    """A word's own features: the word, its shape, its list marks (the first three, which its neighbours
    also see), then its endings, beginning and length. Cached: the same words recur from text to text
    (8192 words, about 4 MB at most); a run of digits is asked as its length in zeros (`digits_key`)."""
    first, last, common = gazetteer()
    if not word.isascii():  # a lone surrogate cannot reach CRFsuite's UTF-8
        word = word.encode("utf-8", "replace").decode("utf-8")
    lower = word.lower()
    bare = strip_marks(lower) if not lower.isascii() else lower
    marks = []
    script_first, script_last = script_names() if not lower.isascii() else (frozenset(), frozenset())
    if bare in first or lower in script_first:
        marks.append("F")
    if bare in last or all(part in last for part in bare.split("-")) or lower in script_last:
        marks.append("L")
    if bare in common:
        marks.append("C")
    if bare in ORDINARY_FIRST_NAMES or bare in MONTHS_AND_DAYS:
        marks.append("O")
    return (f"w={lower}", f"s={shape(word)}", f"g={''.join(marks) or '-'}", f"x3={bare[-3:]}", f"x2={bare[-2:]}",
            f"p2={bare[:2]}", f"n={min(len(word), 8)}")


def digits_key(word: str) -> str:
    """What `word_features` is asked for a token: a run of digits as that many zeros (at most 8), so an
    order number or a phone number's group adds no entry of its own to the cache."""
    return "0" * min(len(word), 8) if word[0].isdigit() else word


NEIGHBOURS = (-2, -1, 1, 2)


def features(text: str, spans: Sequence[tuple[int, int]]) -> list[list[str]]:
    """The feature strings of each token: its own, and the word, shape and marks of two either side."""
    words = [word_features(digits_key(text[start:end])) for start, end in spans]
    result: list[list[str]] = []
    count = len(spans)
    for index, own in enumerate(words):
        gap = text[spans[index - 1][1]:spans[index][0]] if index else "\n"
        row = ["b", *own, "nl" if "\n" in gap else "sp" if gap else "tight"]
        if not index or "\n" in gap or text[spans[index - 1][0]] in SENTENCE_ENDS:
            row.append("start")
        for offset in NEIGHBOURS:
            other = index + offset
            if 0 <= other < count:
                near = words[other]
                row.extend((f"{offset}{near[0]}", f"{offset}{near[1]}", f"{offset}{near[2]}"))
            else:
                row.append(f"{offset}edge")
        row.append(f"s|s1={own[1][2:]}|{words[index + 1][1][2:] if index + 1 < count else '.'}")
        row.append(f"s-1|s={words[index - 1][1][2:] if index else '.'}|{own[1][2:]}")
        row.append(f"g|s={own[2][2:]}|{own[1][2:]}")
        result.append(row)
    return result


_local = threading.local()


@lru_cache(maxsize=1)
def model_available() -> bool:
    return MODEL_PATH.exists()


def _tagger() -> pycrfsuite.Tagger:
    """This thread's tagger (a CRFsuite tagger is not safe to share between threads)."""
    tagger = getattr(_local, "tagger", None)
    if tagger is None:
        tagger = pycrfsuite.Tagger()
        tagger.open(str(MODEL_PATH))
        _local.tagger = tagger
    return tagger


def find_model_names(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each name the tagger finds in `text`."""
    if not model_available():
        return
    spans = tokens(text)
    if not spans:
        return
    tagger = _tagger()
    labels = tagger.tag(features(text, spans))
    if "B" not in labels and "I" not in labels:
        return
    starts = {start: index for index, (start, _end) in enumerate(spans)}
    for start, end in label_spans(spans, labels):
        for part in SEPARATORS.split(text[start:end]):
            offset = text.find(part, start) if part.strip() else -1
            found = plausible(text, offset, offset + len(part)) if offset >= 0 else None
            if found is None:
                continue
            first_token = starts.get(found[0])
            if first_token is None:
                continue
            confidence = min(tagger.marginal(labels[i], i) for i in range(first_token, len(spans))
                             if spans[i][0] < found[1])
            if confidence >= needed(text[found[0]:found[1]]):
                yield found


#: Inside a span the tagger marks, these end one name and start the next ('"Le Van Thanh", "J. de Jong"').
#: (Issue 18, pass 22: and a mail header's angle brackets: "From: kowalski, jan <jan.kowalski@firma.pl>".)
SEPARATORS = re.compile(r"[,;:\"“”„«»()\[\]<>!?\n\t]+|\s[-–—]\s")
#: The tagger's least marginal probability over a name's words for a name it alone finds: a lone word
#: the lists do not hold as a first name or surname (or hold as an ordinary word) needs more.
CONFIDENT = 0.5
LONE_CONFIDENT = 0.9


def needed(name: str) -> float:
    """The confidence a name the tagger finds needs: `CONFIDENT` for several words or a listed first name
    or surname in Title case; `LONE_CONFIDENT` for one Title-case word the lists do not hold; more than
    certainty (never) for one word in lower case or capitals, or one the lists hold as an ordinary word
    or a place ("ship it to Jordan"): the rules' cues still find those ("it's kwame", "my son Jordan")."""
    first, last, common = gazetteer()
    words = WORD_IN_SPAN.findall(name)
    if len(words) != 1:
        return CONFIDENT
    word = words[0]
    bare = strip_marks(word.lower())
    if bare in common:
        return 2.0
    listed = bare in first or bare in last
    if word[0].isupper() and not word.isupper():
        return CONFIDENT if listed else LONE_CONFIDENT
    return 2.0  # one word in lower case or capitals: the rules' cues find those ("it's kwame")


#: A word inside a name has its capitals at its start, after an apostrophe or a hyphen, or after
#: a prefix of names ("McKenzie", "DeShawn", "LaToya", "NicLeòid"; "PostgreSQL", "iPhone" are none).
NAME_WORD = re.compile(r"(?:(?:Ma?c|Fitz|De|Di|Da|Du|La|Le|Van|Von|Nic|Mhic|St)(?=[A-Z]))?[^\W\d_][^\W\d_A-Z]*(?:['’-][^\W\d_][^\W\d_A-Z]*)*$"
                       r"|[^\W\d_a-z]+(?:['’-][^\W\d_a-z]+)*$")
#: Characters that make a word beside them code or an address, not prose: `FEEDBACKLOOP_EXCLUDE`, /path.
CODE_BESIDE = frozenset("_`\\#$%{}=~^*")
#: First words of places named for saints and of compass-and-size names ("Santa Clara", "Port Louis").
PLACE_FIRST = frozenset({"san", "santa", "santo", "são", "sao", "saint", "sainte", "sankt", "st", "ste", "los",
                         "las", "port", "fort", "mount", "new", "lake", "north", "south", "east", "west", "upper",
                         "lower", "great", "little", "old", "cape", "puerto", "porto", "villa", "ciudad"})




def plausible(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The tagger's name at text[start:end] with non-words trimmed from its edges, or None where its
    words cannot make a name: code or a path beside it; a word with capitals inside ("PostgreSQL");
    in lower case or capitals throughout, no word the lists hold as a name that is not also an ordinary
    word; a place's first word. The tagger is tuned for recall; these are the rules' own tests of a name."""
    pieces = list(WORD_IN_SPAN.finditer(text, start, end))
    if not pieces:
        return None
    start, end = pieces[0].start(), pieces[-1].end()
    first, last, common = gazetteer()
    if (start and text[start - 1] in CODE_BESIDE) or (end < len(text) and text[end] in CODE_BESIDE):
        return None
    names = [piece.group() for piece in pieces]
    if any(NAME_WORD.match(name) is None or ONE_LETTER_PART.search(name) for name in names):
        return None  # "PostgreSQL", "X-Forwarded-For"
    if text.startswith("#", text.rfind("\n", 0, start) + 1):
        return None  # a Markdown heading ("## Scale")
    bare = [strip_marks(name.lower()) for name in names]
    listed = [b for b in bare if (b in first or b in last) and b not in common]
    if len(names) == 1 and not (names[0][:1].isupper() and not names[0].isupper()) and not listed:
        return None  # "the name is missing", "LICENSE": one word in one case throughout, unlisted
    if len(names) > 1 and bare[0] in PLACE_FIRST:
        return None
    before = WORD_BEFORE.search(text, max(0, start - 12), start)
    if before is not None and before.group(1).lower() in PLACE_FIRST and before.group(1)[0].isupper():
        return None  # the tagger took "Clara" of "Santa Clara"
    if len(names) == 1 and bare[0] in languages_and_countries():
        return None  # "in Catalan", "the Slovak forms", "to Jordan"
    if bare[-1] in CONTINENTS:
        return None  # issue 18, pass 22: "Latin America", "Asia" (the retrained tagger took them)
    if bare[0] in CAR_MAKES:
        return None  # "Škoda Octavia", "Kia Picanto": a car
    if len(names) == 1 and (PET_BEFORE.search(text, max(0, start - 24), start) or (
            bare[0][:3] in MONTH_ABBREVIATIONS and len(bare[0]) <= 4 and DIGIT_BEFORE.search(text, max(0, start - 3), start))):
        return None  # "our dog Rocky", "12-14 Jun"
    if EPONYM_AFTER.match(text, end):
        return None  # "a Simpson's-paradox data set"
    while len(names) > 1 and names[-1].islower() and bare[-1] not in first and bare[-1] not in last:
        names.pop()  # "Smith family": a lower-case word the lists do not hold closes no name
        bare.pop()
        end = pieces[len(names) - 1].end()
    while len(names) > 1 and names[0].islower() and bare[0] not in first and bare[0] not in last:
        names.pop(0)  # "with Sato": nor opens one
        bare.pop(0)
        pieces.pop(0)
        start = pieces[0].start()
    if len(names) == 1 and not listed and written_lower(text, bare[0]):
        return None  # "Admin Center →\n Webhooks": the text writes the word in lower case too
    return start, end


#: Faker's person providers' attributes, for `script_names`.
SCRIPT_ATTRS = (("first_names", "first_names_male", "first_names_female"),
                ("last_names", "last_names_male", "last_names_female"))


@lru_cache(maxsize=1)
def script_names() -> tuple[frozenset[str], frozenset[str]]:
    """(first names, surnames) in other scripts than Latin (Cyrillic, Greek, Georgian, Armenian, Hebrew,
    Arabic, CJK, Thai...) from Faker's person providers, lower case: the gazetteer keeps the Latin ones."""
    import importlib
    import pkgutil

    from feedbackloop.core.name_gazetteer import NON_LATIN, load_unregistered

    found: tuple[set[str], set[str]] = (set(), set())
    base = importlib.import_module("faker.providers.person")
    for module in pkgutil.iter_modules(base.__path__):
        provider = getattr(load_unregistered(f"faker.providers.person.{module.name}"), "Provider", None)
        for target, attrs in zip(found, SCRIPT_ATTRS):
            for attr in attrs:
                values = getattr(provider, attr, None)
                if isinstance(values, (tuple, list, dict, set, frozenset)):
                    target.update(w.lower() for value in values for w in str(value).split() if NON_LATIN.search(w))
    return frozenset(found[0]), frozenset(found[1])


@lru_cache(maxsize=1)
def languages() -> frozenset[str]:
    """The English names of languages (Babel's CLDR data), lower case, one word each ("georgian", "french")."""
    return frozenset(strip_marks(name.lower()) for name in Locale("en").languages.values() if " " not in name)


@lru_cache(maxsize=1)
def languages_and_countries() -> frozenset[str]:
    """The English names of languages and countries (Babel's CLDR data, in the wheel), lower case."""
    english = Locale("en")
    return frozenset(strip_marks(name.lower()) for names in (english.languages, english.territories)
                     for name in names.values() if " " not in name)


def written_lower(text: str, bare: str) -> bool:
    """Whether `text` also holds the word (or it without a plural "s") in lower case as a word of its own."""
    for form in {bare, bare[:-1] if bare.endswith("s") and len(bare) > 3 else bare}:
        at = text.find(form)
        while at >= 0:
            end = at + len(form)
            if (at == 0 or not text[at - 1].isalpha()) and (end == len(text) or not text[end].isalpha()):
                return True
            at = text.find(form, at + 1)
    return False


#: Makes of cars: the first word of a car's name ("Dacia Logan") is no first name.
CAR_MAKES = frozenset({"skoda", "kia", "dacia", "toyota", "honda", "ford", "opel", "vauxhall", "renault", "peugeot",
                       "citroen", "fiat", "seat", "volkswagen", "vw", "audi", "bmw", "mercedes", "nissan", "mazda",
                       "hyundai", "suzuki", "volvo", "tesla", "mitsubishi", "subaru", "lexus", "jeep", "chevrolet",
                       "dodge", "porsche", "jaguar", "lada", "proton", "perodua", "mahindra", "cupra", "polestar"})
#: A pet's word just before a name: the name is the animal's ("my dog Rocky", "unsere Katze Mimi").
PET_BEFORE = re.compile(r"(?i:\b(?:dog|cat|puppy|kitten|pup|pet|hamster|rabbit|horse|parrot|hund|katze|kater|chien|chat|"
                        r"chienne|chatte|perro|perra|gato|gata|cane|gatto|hond|kat|pies|kot|köpek|kedi|cão|cachorro|"
                        r"kutya|macska|koira|kissa|собака|пес|кіт|кот|кошка)\b)[^\w\n]{0,3}(?:\w+[^\w\n]{1,3})?\Z")
MONTH_ABBREVIATIONS = frozenset({"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "oct", "nov", "dec"})
DIGIT_BEFORE = re.compile(r"\d[ .\-/]?\Z")
WORD_BEFORE = re.compile(r"([^\W\d_]+)[ \t]+\Z")
ONE_LETTER_PART = re.compile(r"(?:^|-)[^\W\d_]-")
EPONYM_AFTER = re.compile(r"['’]s?-\w")
WORD_IN_SPAN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def label_spans(spans: Sequence[tuple[int, int]], labels: Sequence[str]) -> Iterator[tuple[int, int]]:
    """The names a B/I/O labelling marks: a B, or an I after an O, opens one; an O closes it."""
    open_at: int | None = None
    end = 0
    for (start, stop), label in zip(spans, labels):
        if label == "B" or (label == "I" and open_at is None):
            if open_at is not None:
                yield open_at, end
            open_at = start
        elif label == "O" and open_at is not None:
            yield open_at, end
            open_at = None
        end = stop
    if open_at is not None:
        yield open_at, end
