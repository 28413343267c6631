"""Dates said in words, as call transcripts, voicemails and chats write a date of birth (issue 18, pass 28).

"the fifth of May, 1958", "twelfth of August, eighty-four", "Der fünfte Mai neunzehnhundertvierzig", "nueve de marzo
del noventa y dos", "doze de janeiro de mil novecentos e oitenta e três", "Dwunasty marca siedemdziesiąt dziewięć",
"Δύο Νοεμβρίου του ενενήντα δύο", "3 maja 2002 r.": a month's name, a day before it (a word or digits) and a year
after it (words or digits), in English, German, Dutch, Spanish, Portuguese, French, Italian, Polish and Greek.

`spoken_dates` finds every such date in a stretch of text; redact.find_dobs keeps those a birth word stands near
(elsewhere "the fourth of July" is a holiday, "the fifth of May" a delivery's day).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

from feedbackloop.core.name_gazetteer import strip_marks


def word_set(words: str) -> frozenset[str]:
    """The words of `words`, apart by blanks."""
    return frozenset(words.split())


def numbered(words: str, start: int = 0, step: int = 1) -> dict[str, int]:
    """Each word of `words` with its value: `start`, then each next one `step` more."""
    return {word: start + step * place for place, word in enumerate(words.split())}


#: The words of the numbers a day and a year are said in, without their marks ("dziewiec", "ενενηντα"), each with
#: its value: units, teens, tens, hundreds; 100 and 1000 multiply what comes before them (NUMBER_VALUE).
CARDINALS: dict[str, int] = {
    # English ("oh" is the zero of "nineteen oh five")
    **numbered("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
               "sixteen seventeen eighteen nineteen"), "oh": 0,
    **numbered("twenty thirty forty fifty sixty seventy eighty ninety", 20, 10), "hundred": 100, "thousand": 1000,
    # German (compounds are split into these: "neunzehn|hundert|vier|und|zwanzig")
    **numbered("null eins zwei drei vier funf sechs sieben acht neun zehn elf zwolf dreizehn vierzehn funfzehn "
               "sechzehn siebzehn achtzehn neunzehn"),
    **numbered("zwanzig dreissig vierzig funfzig sechzig siebzig achtzig neunzig", 20, 10),
    "ein": 1, "eine": 1, "zwo": 2, "sech": 6, "sieb": 7, "dreißig": 30, "fuenf": 5, "hundert": 100, "tausend": 1000,
    # Dutch
    **numbered("nul een twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien vijftien zestien "
               "zeventien achttien negentien"),
    **numbered("twintig dertig veertig vijftig zestig zeventig tachtig negentig", 20, 10), "honderd": 100,
    "duizend": 1000,
    # Spanish
    **numbered("cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciseis "
               "diecisiete dieciocho diecinueve veinte veintiuno veintidos veintitres veinticuatro veinticinco "
               "veintiseis veintisiete veintiocho veintinueve"),
    **numbered("treinta cuarenta cincuenta sesenta setenta ochenta noventa", 30, 10), "un": 1, "una": 1,
    "cien": 100, "ciento": 100, "mil": 1000,
    **numbered("doscientos trescientos cuatrocientos quinientos seiscientos setecientos ochocientos novecientos",
               200, 100),
    # Portuguese
    **numbered("zero um dois tres quatro cinco seis sete oito nove dez onze doze treze catorze quinze dezesseis "
               "dezessete dezoito dezenove"),
    **numbered("vinte trinta quarenta cinquenta sessenta setenta oitenta noventa", 20, 10), "uma": 1, "duas": 2,
    "quatorze": 14, "dezasseis": 16, "dezassete": 17, "dezanove": 19, "cem": 100, "cento": 100,
    **numbered("duzentos trezentos quatrocentos quinhentos seiscentos setecentos oitocentos novecentos", 200, 100),
    # French ("soixante-dix" is read as its parts, "quatre-vingt" as one word: TOKEN)
    **numbered("zero un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize"),
    **numbered("vingt trente quarante cinquante soixante", 20, 10), "vingts": 20, "cent": 100, "cents": 100,
    "mille": 1000, "quatre-vingt": 80, "quatre-vingts": 80,
    # Italian (compounds split as German's: "mille|nove|cento|ottanta|quattro"; "vent|uno", "trent|otto")
    **numbered("zero uno due tre quattro cinque sei sette otto nove dieci undici dodici tredici quattordici quindici "
               "sedici diciassette diciotto diciannove"),
    **numbered("venti trenta quaranta cinquanta sessanta settanta ottanta novanta", 20, 10),
    **numbered("vent trent quarant cinquant sessant settant ottant novant", 20, 10), "mila": 1000,
    # Polish (cardinals, and the genitive ordinals a year is said in: "tysiąc dziewięćset siedemdziesiątego ósmego")
    **numbered("zero jeden dwa trzy cztery piec szesc siedem osiem dziewiec dziesiec jedenascie dwanascie trzynascie "
               "czternascie pietnascie szesnascie siedemnascie osiemnascie dziewietnascie"),
    **numbered("dwadziescia trzydziesci czterdziesci piecdziesiat szescdziesiat siedemdziesiat osiemdziesiat "
               "dziewiecdziesiat", 20, 10), "sto": 100, "tysiac": 1000, "dwie": 2,
    **numbered("dwiescie trzysta czterysta piecset szescset siedemset osiemset dziewiecset", 200, 100),
    **numbered("dwudziestego trzydziestego czterdziestego piecdziesiatego szescdziesiatego siedemdziesiatego "
               "osiemdziesiatego dziewiecdziesiatego", 20, 10),
    # Greek (without accents: "ενενηντα δυο", "χιλια εννιακοσια")
    **numbered("μηδεν ενα δυο τρια τεσσερα πεντε εξι επτα οκτω εννεα δεκα εντεκα δωδεκα"),
    "μια": 1, "τρεις": 3, "τεσσερις": 4, "εφτα": 7, "οχτω": 8, "εννια": 9, "δεκατρια": 13, "δεκατρεις": 13,
    "δεκατεσσερα": 14, "δεκατεσσερις": 14, "δεκαπεντε": 15, "δεκαεξι": 16, "δεκαεπτα": 17, "δεκαεφτα": 17,
    "δεκαοκτω": 18, "δεκαοχτω": 18, "δεκαεννεα": 19, "δεκαεννια": 19,
    **numbered("εικοσι τριαντα σαραντα πενηντα εξηντα εβδομηντα ογδοντα ενενηντα", 20, 10), "εκατο": 100,
    "χιλια": 1000, "χιλιαδες": 1000,
    **numbered("διακοσια τριακοσια τετρακοσια πεντακοσια εξακοσια επτακοσια οκτακοσια εννιακοσια", 200, 100),
    "εφτακοσια": 700, "οχτακοσια": 800, "εννεακοσια": 900,
}
#: The ordinals a day is said in (and Polish ordinals of a year's units and teens), each with its value.
ORDINALS: dict[str, int] = {
    **numbered("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
               "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth", 1),
    "twentieth": 20, "thirtieth": 30,
    "primero": 1, "primer": 1, "primeiro": 1, "premier": 1, "premiere": 1, "primo": 1, "eerste": 1,
    **numbered("pierwszy drugi trzeci czwarty piaty szosty siodmy osmy dziewiaty dziesiaty jedenasty dwunasty "
               "trzynasty czternasty pietnasty szesnasty siedemnasty osiemnasty dziewietnasty dwudziesty", 1),
    "trzydziesty": 30,
    **numbered("pierwszego drugiego trzeciego czwartego piatego szostego siodmego osmego dziewiatego dziesiatego "
               "jedenastego dwunastego trzynastego czternastego pietnastego szesnastego siedemnastego osiemnastego "
               "dziewietnastego", 1),
    "πρωτη": 1, "πρωτου": 1,
}
#: German and Dutch ordinals are a cardinal and an ending ("fünfte", "dreizehnter", "dreiundzwanzigsten", "vijfde");
#: these are the stems that change ("erste", "dritte", "siebte", "achte"; "derde", "achtste").
ORDINAL_ENDING = re.compile(r"(?:ste|sten|ster|stem|stes|te|ten|ter|tem|tes|de|ste)$")
ORDINAL_STEMS = {"ers": 1, "er": 1, "drit": 3, "sieb": 7, "ach": 8, "acht": 8, "eer": 1, "der": 3}
#: What joins the words of one number ("noventa y dos", "mil novecentos e oitenta", "two thousand and one",
#: "vier|und|zwanzig", "vier|en|twintig", "vingt et un").
NUMBER_GLUE = frozenset({"y", "e", "and", "und", "en", "et"})
#: Compound number words (German, Dutch, Italian) split into the words above, longest first ("novecentottanta":
#: "nove|cent|ottanta", where "cento" would leave no number after it).
MORPHEMES = tuple(sorted((*(word for word in CARDINALS if "-" not in word), "und", "en"), key=len, reverse=True))
MONTH_WORDS = word_set(
    # English, German, Dutch, Spanish, Portuguese, French, Italian (without their marks)
    "january february march april may june july august september october november december "
    "januar janner februar marz mai juni juli oktober dezember "
    "januari februari maart mei augustus "
    "enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre "
    "janeiro fevereiro marco maio junho julho setembro outubro novembro dezembro "
    "janvier fevrier mars avril juin juillet aout septembre octobre novembre decembre "
    "gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre "
    # Polish, nominative and genitive
    "styczen stycznia luty lutego marzec marca kwiecien kwietnia maj maja czerwiec czerwca lipiec lipca sierpien "
    "sierpnia wrzesien wrzesnia pazdziernik pazdziernika listopad listopada grudzien grudnia "
    # Greek, nominative and genitive
    "ιανουαριος ιανουαριου φεβρουαριος φεβρουαριου μαρτιος μαρτιου απριλιος απριλιου μαιος μαιου ιουνιος ιουνιου "
    "ιουλιος ιουλιου αυγουστος αυγουστου σεπτεμβριος σεπτεμβριου οκτωβριος οκτωβριου νοεμβριος νοεμβριου "
    "δεκεμβριος δεκεμβριου")
#: A word, or digits with a day's ending ("5th", "5.", "1er", "3º"); a hyphen joins the words of one number.
TOKEN = re.compile(r"(?i:quatre-vingts?)|[^\W\d_]+|\d+(?:st|nd|rd|th|er|e|º|ª|o|\.)?")
#: The words that may stand before a spoken day ("the fifth", "der fünfte", "am fünften", "el nueve", "le cinq", "il
#: cinque", "o dia doze", "τη δύο") and between it and its month ("of", "de", "di", "d'", "del", "du").
DAY_ARTICLES = word_set("the der den dem am el le il lo o a dia η τη την στις")
DAY_MONTH_GLUE = word_set("of de di d del du van")
#: What may stand between a month and its year ("of", "de", "del", "του", "im Jahr", "anno", "roku").
MONTH_YEAR_GLUE = word_set("of de del do da di du im jahr jahre anno του το in")
#: What may follow a year: Polish "r."/"roku", Greek "του", Spanish "del año".
YEAR_TAIL = re.compile(r"[ \t]*(?:r\.|roku\b|rok\b|г\.)", re.IGNORECASE)
#: The longest gap of blanks and commas between two words of one date.
GAP = re.compile(r"[ \t,-]{1,3}|[ \t]*['’][ \t]*")


def plain(word: str) -> str:
    """`word` as the lists above hold it: lower case, no marks, "ß" as "ss" (German "dreißig")."""
    return strip_marks(word.lower()).replace("ß", "ss").replace("ł", "l")


def number_parts(word: str) -> list[int] | None:
    """The values of a number word's parts ("neunzehnhundertvierzig": 19, 100, 40; "zweiundsiebzig": 2, 70;
    "ottantaquattro": 80, 4), its glue left out; None for a word that is no number."""
    if word in CARDINALS:
        return [CARDINALS[word]]
    return split_number(word, 0) if len(word) > 5 else None


def split_number(word: str, at: int) -> list[int] | None:
    """The values of word[at:] split into MORPHEMES, glue ("und", "en") only between two numbers; None if none."""
    if at == len(word):
        return []
    for morpheme in MORPHEMES:
        if not word.startswith(morpheme, at):
            continue
        glue = morpheme in ("und", "en")
        if glue and (at == 0 or at + len(morpheme) == len(word)):
            continue
        rest = split_number(word, at + len(morpheme))
        if rest is not None:
            return rest if glue else [CARDINALS[morpheme], *rest]
    return None


def ordinal_value(word: str) -> int | None:
    """A day's ordinal ("fifth", "dwunasty", "fünften", "dreiundzwanzigster"), None for other words."""
    if word in ORDINALS:
        return ORDINALS[word]
    ending = ORDINAL_ENDING.search(word)
    if ending is None or ending.start() < 2:
        return None
    stem = word[:ending.start()]
    if stem in ORDINAL_STEMS:
        return ORDINAL_STEMS[stem]
    parts = number_parts(stem)
    return None if parts is None else number_value(parts)


def number_value(parts: list[int]) -> int:
    """The number the parts say: "mil novecentos e oitenta e três" is 1983; two numbers under a hundred read as
    a year's two halves ("nineteen eighty-four" 1984, "twenty twenty-one" 2021); French 4 × 20 ("quatre-vingt")."""
    total = current = 0
    for value in parts:
        if value in (100, 1000) and value > current:
            if value == 1000:
                total, current = total + max(current, 1) * 1000, 0
            else:
                current = max(current, 1) * 100
        elif 10 <= current < 100 and (value >= 10 or value == 0) and not (current in (60, 80) and value < 20):
            total, current = total + current * 100, value  # "nineteen | eighty", "nineteen | oh five"
        else:
            current += value
    return total + current


def spoken_dates(text: str, start: int, end: int) -> Iterator[tuple[int, int, int]]:
    """(start, end, its year: 84 for "eighty-four") of each date in text[start:end] said with a month's name and, around it, a day and a year in
    words or digits, one of them at least in words or as a day's ordinal; a day and a month alone when the day is
    a word ("the fifth of May") are no date here (a year is needed)."""
    tokens = [(m.start(), m.end(), plain(m.group())) for m in TOKEN.finditer(text, start, end)]
    for index, (month_start, _, word) in enumerate(tokens):
        if word not in MONTH_WORDS:
            continue
        day_first, day_words = day_before(text, tokens, index)
        after = index
        if day_first is None:  # English says the day after the month too: "May the fifth", "August twelfth,"
            after, day_words = day_after(text, tokens, index)
        year_last, year_words, year = year_after(text, tokens, after)
        if year_last is None or (day_first is None and not year_words):
            continue
        last = tokens[year_last][1] - tokens[year_last][2].endswith(".")  # (a sentence's dot after a year's digits)
        tail = YEAR_TAIL.match(text, last)
        if day_words or year_words or tail:  # (digits alone are DATE's, unless a year's "r." follows: "3 maja 2002 r.")
            yield tokens[day_first][0] if day_first is not None else month_start, tail.end() if tail else last, year


def joined(text: str, left: tuple[int, int, str], right: tuple[int, int, str]) -> bool:
    """Whether two tokens stand next to each other with only blanks, a comma or a hyphen between."""
    return left[1] == right[0] or GAP.fullmatch(text, left[1], right[0]) is not None


def day_before(text: str, tokens: list[tuple[int, int, str]], month: int) -> tuple[int | None, bool]:
    """The index of the first token of the day said before the month at `month` (with its article: "the fifth of",
    "Der fünfte", "nueve de"), and whether it is said in words; (None, False) for none."""
    at = month - 1
    if at >= 0 and tokens[at][2] in DAY_MONTH_GLUE and joined(text, tokens[at], tokens[month]):
        at -= 1
    if at < 0 or not joined(text, tokens[at], tokens[at + 1]):
        return None, False
    word = tokens[at][2]
    in_words = not word[0].isdigit()
    first = words_back(text, tokens, at) if in_words else at
    if first is None or not (in_words or 1 <= int(word.rstrip("stndrhe.ºªo") or 0) <= 31):
        return None, False
    if first > 0 and tokens[first - 1][2] in DAY_ARTICLES and joined(text, tokens[first - 1], tokens[first]):
        first -= 1
    return first, in_words


def words_back(text: str, tokens: list[tuple[int, int, str]], last: int) -> int | None:
    """The first token of a day said in words that ends at token `last` ("twenty-fifth", "vinte e cinco",
    "trente et un"), if its value is a day's."""
    first = last
    if ordinal_value(tokens[last][2]) is None and number_parts(tokens[last][2]) is None:
        return None
    while first > 0 and joined(text, tokens[first - 1], tokens[first]):
        word = tokens[first - 1][2]
        if word in NUMBER_GLUE and first - 2 >= 0 and number_parts(tokens[first - 2][2]) is not None:
            first -= 2
        elif number_parts(word) is not None and (number_parts(word) or [100])[-1] < 100:
            first -= 1
        else:
            break
    parts = [value for _, _, word in tokens[first:last] if word not in NUMBER_GLUE
             for value in number_parts(word) or []]
    last_value = ordinal_value(tokens[last][2])
    value = number_value(parts + [last_value if last_value is not None else number_value(number_parts(tokens[last][2]) or [])])
    return first if 1 <= value <= 31 else None


def day_after(text: str, tokens: list[tuple[int, int, str]], month: int) -> tuple[int, bool]:
    """The index of the last token of an English ordinal day said after the month at `month` ("the fifth",
    "twenty-first", "12th"), or `month` itself if there is none; and whether there is one."""
    at = month + 1
    if at < len(tokens) and tokens[at][2] == "the" and joined(text, tokens[at - 1], tokens[at]):
        at += 1
    if at >= len(tokens) or not joined(text, tokens[at - 1], tokens[at]):
        return month, False
    word = tokens[at][2]
    if word in ("twenty", "thirty") and at + 1 < len(tokens) and tokens[at + 1][2] in ORDINALS \
            and joined(text, tokens[at], tokens[at + 1]):
        return at + 1, True
    if word in ORDINALS or re.fullmatch(r"(?:[12]?\d|3[01])(?:st|nd|rd|th)", word):
        return at, True
    return month, False


def year_after(text: str, tokens: list[tuple[int, int, str]], month: int) -> tuple[int | None, bool, int]:
    """The index of the last token of the year said after the month at `month` (digits, "'84", "eighty-four",
    "del noventa y dos", "neunzehnhundertvierzig", "του ενενήντα δύο"), whether it is said in words, and the year."""
    at = month + 1
    while at < len(tokens) and at - month <= 3 and tokens[at][2] in MONTH_YEAR_GLUE \
            and joined(text, tokens[at - 1], tokens[at]):
        at += 1
    if at >= len(tokens) or not joined(text, tokens[at - 1], tokens[at]):
        return None, False, 0
    word = tokens[at][2]
    if word[0].isdigit():
        return (at, False, int(word.rstrip("."))) if re.fullmatch(r"(?:19|20)?\d\d\.?", word) else (None, False, 0)
    parts: list[int] = []
    last = None
    while at < len(tokens) and (last is None or joined(text, tokens[at - 1], tokens[at])):
        word = tokens[at][2]
        value = number_parts(word) or ([ORDINALS[word]] if word in ORDINALS and last is not None else None)
        if value is None and word in NUMBER_GLUE and last is not None:
            at += 1
            continue
        if value is None:
            break
        parts += value
        last = at
        at += 1
    if last is None:
        return None, False, 0
    year = number_value(parts)
    return (last, True, year) if 10 <= year <= 99 or 1900 <= year <= 2099 else (None, False, 0)


def full_year(year: int) -> int:
    """A year said in two digits as the century it is likeliest in ("eighty-four" 1984; "oh five" 2005 up to this
    year), a longer one as it is."""
    if year >= 100:
        return year
    return 2000 + year if 2000 + year <= datetime.date.today().year else 1900 + year


def spoken_year(date: str) -> int | None:
    """The year of a date said in words ("the twelfth of July twenty twenty-six": 2026), None if none is."""
    years = [year for _, _, year in spoken_dates(date, 0, len(date))]
    return full_year(years[0]) if years else None
