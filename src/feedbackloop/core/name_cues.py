"""Issue 18, eighth pass: names found by the cue families a stranger's text uses, in every language the
corpus has, rather than by the phrases one text showed (the misses of two authors who had not seen the
redactor, read as families):

- cue words before a name, as lexicons across languages: relations ("my husband", "Wife", "mi mamá,",
  "meines Sohnes", "ma fille", "mi pareja", "pani"), roles and account holders ("cliente", "Customer",
  "titular", "au nom de", "t.n.v.", "intestato a"), and "name is" statements ("her name is", "the name
  on it is", "surname", "se llama", "s'appelle", "nazywam się", "X vagyok");
- cue words after a name: "X here", "X calling", "X from accounts", "Agent (X):", "X (Support)";
- @mentions and possessives ("@Sofia", "per Hamid's email");
- surname-first names: a listed surname and a listed first name ("Sato Yui", "Szabó Katalin"), and the
  romanised Korean, Chinese and Vietnamese names the Latin lists lack ("Park Ji-hoon", "Li Xiaoming",
  "Trần Văn Long"), by a closed list of the commonest surnames and the shape of the given name;
- a sign-off's last word: a listed first name closing the text ("... anymore. Marco", "Tak! Frederik");
  a line that is a name in capitals ("GARY PEMBERTON");
- a name in Hangul, Chinese characters or kana in brackets after a name ("Park Ji-hoon (박지훈)").

Then every name found grows over the name parts beside it (particles, capitalised words, initials,
hyphenated parts) and its words are names wherever else they stand in the same text ("Again it's
Sunita, S-U-N-I-T-A", "K. Weißenböck" below a signature).

Each rule is gated by a cheap look for its words in the text lower-cased once by the caller; the
reference redactor (tests/redact_oracle.py) runs them with `gated=False`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from feedbackloop.core.name_gazetteer import EXTRA_COMMON, ORDINARY_FIRST_NAMES, gazetteer, strip_marks

Lists = tuple[frozenset[str], frozenset[str], frozenset[str]]

UP = "A-ZÀ-ÖØ-Þ\u0100-\u024f\u1e00-\u1eff"
LOW = "a-zß-öø-ÿ\u0100-\u024f\u1e00-\u1eff"
#: A capitalised name word: "Ana", "O'Connor", "N'Diaye", "NicLeòid", "Ní", "Adeyemi-Bakare", "MacLeod".
CAP_WORD = rf"(?:(?:Ma?c|Fitz|Nic|Mhic)[{UP}][{LOW}]+|[{UP}][{LOW}]+|[{UP}]['’][{UP}][{LOW}]+)(?:['’-][{UP}{LOW}][{LOW}]+)*"
#: Lower-case or capital particles inside a full name ("María del Carmen", "Puig i Soler", "Dela Cruz").
PARTICLES = frozenset({
    "de", "da", "do", "dos", "das", "del", "della", "dela", "delos", "di", "van", "von", "der", "den", "la", "le",
    "du", "des", "bin", "bint", "ibn", "ben", "al", "el", "ter", "ten", "zu", "y", "i", "e", "op", "ní", "ni", "nic",
    "mac", "mhic", "ó", "o", "ua", "uí", "ap", "ab", "abu", "st", "van't", "'t",
})
PARTICLE = r"(?i:de|da|do|dos|das|del|della|dela|delos|di|van|von|der|den|la|le|du|des|bin|bint|ibn|ben|al|el|ter|ten|zu|y|i|e|op|ní|nic|mhic|ó|ap|abu)"
#: A full name: up to six name words with particles between them.
FULL = rf"{CAP_WORD}(?:(?:[ ]{PARTICLE}){{0,2}}[ ]{CAP_WORD}){{0,5}}"
#: Words a capitalised run may hold without being a name: greetings, team words, sign-off words.
NOT_NAME_WORDS = frozenset({
    "hi", "hello", "hey", "dear", "thanks", "thank", "regards", "best", "cheers", "team", "support", "service",
    "customer", "customers", "billing", "sales", "accounts", "account", "claims", "admin", "help", "helpdesk", "sir",
    "madam", "everyone", "all", "there", "the", "a", "an", "and", "or", "yes", "no", "ok", "okay", "please", "sorry",
    "hotel", "hospital", "clinic", "street", "road", "avenue", "station", "airport", "mall", "store", "shop",
    "bank", "university", "school", "company", "ltd", "inc", "gmbh", "llc", "bv", "sa", "srl", "plc", "group",
    "office", "department", "logistics", "supply", "services", "solutions", "caddesi", "sokak", "mahallesi",
    "calle", "rue", "via", "rua", "straße", "strasse", "edificio", "residence", "résidence", "tower", "room",
    "flat", "apt", "unit", "suite", "block", "villa", "park", "estate", "plaza", "centre", "center", "city",
    "app", "screen", "settings", "version", "order", "ticket", "invoice", "policy", "claim", "refund",
})


def words_ok(words: Sequence[str], lists: Lists, strict: bool) -> bool:
    """Whether capitalised words can be a name: none an ordinary word of ours, and (strict) one of them
    a listed first name or surname, else (not strict) none an ordinary word or place of the lists."""
    first, last, common = lists
    lowered = [strip_marks(w.lower().replace("’", "'")) for w in words if w.lower() not in PARTICLES]
    if not lowered or any(w in NOT_NAME_WORDS for w in lowered):
        return False
    listed = any((w in first or w in last) and w not in common for w in lowered) or any(
        all(p in first or p in last for p in w.split("-")) for w in lowered if "-" in w)
    if strict:
        return listed
    return listed or not any(w in common for w in lowered)


# --- cue words before a name -----------------------------------------------------------------------

#: Relations: a capitalised word after one is a name even when no list holds it ("Wife Folake").
RELATION_WORDS = (
    "husband|wife|partner|son|daughter|mother|mom|mum|mam|mama|mommy|father|dad|papa|brother|sister|uncle|aunt|"
    "auntie|cousin|grandma|grandpa|grandmother|grandfather|nephew|niece|fiancée?|girlfriend|boyfriend|stepson|"
    "stepdaughter|in-law|"
    "ehemann|ehefrau|sohn|sohnes|tochter|mutter|vater|bruder|schwester|schwager|schwägerin|onkel|tante|"
    "mari|femme|fils|fille|mère|père|frère|sœur|soeur|conjointe?|"
    "esposo|esposa|marido|mujer|hijo|hija|madre|padre|mamá|papá|hermano|hermana|pareja|novio|novia|"
    "filho|filha|mãe|pai|irmão|irmã|marito|moglie|figlio|figlia|fratello|sorella|mamma|"
    "echtgenoot|echtgenote|zoon|dochter|moeder|vader|broer|zus|"
    "mąż|żona|syn|córka|córki|brat|siostra|taty|mamy|"
    "mand|kone|hustru|datter|søn|dotter|sonen|"
    "eşim|annem|babam|oğlum|kızım|kardeşim"
)
#: Roles and account holders: a name after one must have a listed word ("Customer Service" is none).
ROLE_WORDS = (
    "customer|client|cliente|klant|kunde|kundin|patient|patientin|paciente|paziente|passenger|traveller|traveler|"
    "guest|tenant|policyholder|cardholder|colleague|coworker|co-worker|friend|boss|manager|neighbou?r|assistant|"
    "agent|rep|representative|technician|driver|courier|engineer|kollege|kollegin|collègue|collega|colega|"
    "compañer[oa]|companheir[oa]|koleg[ae]|koleżanka|titular|intestat[oa] a|au nom de|a nombre de|em nome de|"
    "t\\.n\\.v\\.|ten name van|kontoinhaber(?:in)?|account holder|card holder|versicherungsnehmer(?:in)?|"
    "pani|panią|pana|pan|señora|señor|senhora|senhor|signora|signor|mevrouw|meneer|sayın|madame|monsieur|"
    "mme\\.?|sr\\.|sra\\.|srta\\.|dña\\.?|doña|don|dona|kyria|kyrios|hr\\.|fr\\.|ms\\.?|mr\\.?|mrs\\.?|dr\\.?"
)
#: A relation or role word in the `fold`ed text (lower case: a case-insensitive alternation would cost
#: every text ten times more); the name after it is read from the text itself.
RELATION_AT = re.compile(rf"(?<![\w-])(?:(?P<rel>{RELATION_WORDS})|(?P<role>{ROLE_WORDS}))(?:['’]s)?[ \t]*,?[ \t]+"
                         rf"(?:(?:mr|mrs|ms|dr|prof)\.?[ ]+)?")
NAME_AT = re.compile(FULL)
#: Every RELATION_AT match holds one of these.
RELATION_HINTS = tuple(sorted({w.split("\\")[0].rstrip("?") for w in
                               re.sub(r"\(\?:[^)]*\)|\[[^\]]*\]", "", RELATION_WORDS + "|" + ROLE_WORDS).split("|")}
                              - {"", "t", "intestat a", "neighbou?r", "fiancée", "conjointe"})) + (
    "t.n.v", "intestat", "neighbo", "fiancé", "conjoint")


def relation_names(text: str, folded: str, lists: Lists) -> Iterator[tuple[int, int]]:
    source = folded if len(folded) == len(text) else text.lower()
    if len(source) != len(text):
        return
    for match in RELATION_AT.finditer(source):
        name = NAME_AT.match(text, match.end())
        if name is None:
            continue
        words = re.split(r"[ ]+", name.group())
        if match.group("rel") is not None:
            if words_ok(words, lists, strict=False) or words_ok(words, lists, strict=True):
                yield name.span()
        elif words_ok(words, lists, strict=True):
            yield name.span()


#: "her name is", "the name on the account is", "surname", "se llama", "nazywam się", in any case.
NAME_IS = re.compile(
    r"(?<!\w)(?:(?:(?:my|his|her|their|your|the|our|his full|her full|full|first|last|given|family)[ ]+)?"
    r"(?:name|surname)(?:[ ]+on[ ]+(?:it|the[ ]+\w+|my[ ]+\w+|file))?[ ]+(?:is|was|should be)|surname|apellidos?|"
    r"su nombre es|se llama|s['’]appelle|son nom est|il suo nome è|si chiama|sein name ist|ihr name ist|hei(?:ß|ss)t|"
    r"heet|chama-se|nazywam się|nazywa się|jmenuji se|jmenuje se|zovem se|ismim|adım|tên tôi là|tên là|"
    r"heter|hedder|nimeni on|a nevem|navn er|mijn naam is|naam is|o meu nome é|meu nome é|nome é)"
    r"[ \t]*:?[ \t]+(?P<name>[^\W\d_]+(?:['’.-][^\W\d_]+)*(?:[ ][^\W\d_]+(?:['’-][^\W\d_]+)*){0,5})")
NAME_IS_HINTS = ("name", "apellido", "llama", "appelle", "nom est", "nome", "chiama", "heiß", "heiss", "heet",
                 "chama-se", "nazyw", "jmenu", "zovem", "ismim", "adım", "tên", "heter", "hedder", "nimeni", "nevem",
                 "navn", "naam")
#: Postpositive introductions: "Szabó Katalin vagyok", "Tanaka desu".
BEFORE_INTRO = re.compile(rf"(?P<name>{FULL})[ ]+(?i:vagyok|desu|imnida|ibnida|da yo|olarak)\b")
#: Words that end a name written in lower case.
STOP = frozenset({
    "and", "from", "here", "speaking", "again", "writing", "calling", "please", "the", "a", "an", "i", "my", "your",
    "but", "not", "is", "was", "on", "at", "in", "for", "to", "of", "with", "y", "und", "et", "e", "en", "wrong", "correct", "right", "missing", "spelled", "spelt", "misspelled", "different", "same", "still", "also",
    "actually", "now", "there", "that", "this", "it", "as", "so", "too", "or", "pero", "mais", "aber", "ma", "maar",
    "which", "who", "pls", "plz", "thanks", "thx", "booked", "ordered",
})


NAME_WORDS = re.compile(r"[^\W\d_]+(?:['’.-][^\W\d_]+)*(?:[ ][^\W\d_]+(?:['’-][^\W\d_]+)*){0,5}")


def name_is_names(text: str, folded: str, lists: Lists) -> Iterator[tuple[int, int]]:
    first, last, common = lists
    source = folded if len(folded) == len(text) else text.lower()
    if len(source) != len(text):
        return
    for match in NAME_IS.finditer(source):
        found = NAME_WORDS.match(text, match.start("name"))
        if found is None:
            continue
        offset = found.start()
        words = list(re.finditer(r"[^\W\d_]+(?:['’.-][^\W\d_]+)*", found.group()))
        taken: list[re.Match[str]] = []
        capitalised = words[0].group()[0].isupper()
        for word in words:
            value = word.group()
            lower = strip_marks(value.lower())
            if lower in STOP or (capitalised and not value[0].isupper() and lower not in PARTICLES):
                break
            if not capitalised and lower in common and lower not in first and lower not in PARTICLES:
                break
            taken.append(word)
        while taken and taken[-1].group().lower() in PARTICLES:
            taken.pop()
        if not taken:
            continue
        values = [w.group() for w in taken]
        if capitalised:
            if not words_ok(values, lists, strict=False):
                continue
        else:
            lowered = [strip_marks(v.lower()) for v in values]
            if not (lowered[0] in first or lowered[0] in last or lowered[0] in PARTICLES) or lowered[0] in common:
                continue
        yield offset + taken[0].start(), offset + taken[-1].end()


# --- cue words after a name ------------------------------------------------------------------------

#: "Siobhán Ní Bhriain here", "April from Accounts here", "Grant from your team said", "Sunita calling".
HERE = re.compile(
    rf"(?:^|(?<=[\n.!?,:;(]))[ \t]*(?:(?i:this is|it['’]s|it is|c['’]est|soy|sono|ik ben|ich bin)[ ,]+(?:uh,?[ ]+|um,?[ ]+)?)?"
    rf"(?P<name>{FULL})[ ]+(?:(?i:here|calling|speaking|writing)\b|from[ ]+(?:the[ ]+|your[ ]+|our[ ]+)?"
    rf"(?i:accounts?|billing|finance|sales|support|logistics|shipping|dispatch|returns|claims|it|hr|legal|"
    rf"marketing|procurement|purchasing|team|customer service|the team|your team|office|warehouse|reception)\b)")
HERE_HINTS = ("here", "calling", "speaking", "writing", "from")
#: "Agent (Nicole):", "Rachel (Support)".
ROLE_BRACKETS = re.compile(
    rf"(?i:agent|advisor|adviser|rep|operator|support|customer|caller|tech|technician|cs)[ ]*\((?P<a>{FULL})\)"
    rf"|(?<![\w(])(?P<b>{FULL})[ ]*\((?i:support|agent|customer service|team lead|billing|sales|accounts|cs|"
    rf"customer care|service desk|helpdesk)\)")
MENTION = re.compile(r"(?<![\w.@/])@(?P<name>[^\W\d_][\w'’-]{1,30}(?:[._][^\W\d_][\w'’-]{1,30})?)(?![\w@]|\.\w)")
POSSESSIVE = re.compile(rf"(?<![\w'’.-])(?P<name>{CAP_WORD})['’]s\b")


def after_cue_names(text: str, folded: str, lists: Lists, gated: bool) -> Iterator[tuple[int, int]]:
    first, last, common = lists
    if not gated or any(w in folded for w in HERE_HINTS):
        for match in HERE.finditer(text):
            words = match.group("name").split()
            lowered = [strip_marks(w.lower()) for w in words]
            if any(w in NOT_NAME_WORDS for w in lowered):
                continue
            if words_ok(words, lists, strict=True) or lowered[0] in first or (
                    len(words) >= 2 and words_ok(words, lists, strict=False)):
                yield match.span("name")
    if not gated or "(" in text:
        for match in ROLE_BRACKETS.finditer(text):
            group = "a" if match.group("a") is not None else "b"
            if words_ok(match.group(group).split(), lists, strict=True):
                yield match.span(group)
    if not gated or "@" in text:
        for match in MENTION.finditer(text):
            parts = [strip_marks(p.lower()) for p in re.split(r"[._]", match.group("name"))]
            if parts[0] in NOT_NAME_WORDS or parts[0] in common:
                continue
            if parts[0] in first or parts[0] in last or match.group("name")[0].isupper():
                yield match.span("name")
    if not gated or "'s" in text or "’s" in text:
        for match in POSSESSIVE.finditer(text):
            lower = strip_marks(match.group("name").lower())
            if lower in first and lower not in common and lower not in COMMON_FIRST_NAMES:
                if re.search(r"(?:^|[.!?:;\n])\s*$", text[max(0, match.start() - 20):match.start()]) is None:
                    yield match.span("name")


# --- surname-first names ---------------------------------------------------------------------------

#: The commonest Korean, Chinese (pinyin) and Vietnamese surnames as customers write them in Latin
#: letters (Faker's Latin lists hold few of them: its ko_KR, zh_CN and vi_VN lists are in Hangul,
#: Chinese characters or carry only some of these).
KOREAN_SURNAMES = frozenset(
    ["kim", "lee", "yi", "park", "pak", "choi", "choe", "jung", "jeong", "chung", "kang", "cho", "jo", "yoon", "yun", "jang", "chang", "lim", "im", "han", "oh", "shin", "sin", "seo", "suh", "kwon", "gwon", "hwang", "ahn", "an", "song", "yoo", "yu", "ryu", "hong", "jeon", "jun", "ko", "go", "moon", "mun", "yang", "son", "bae", "baek", "paek", "heo", "hur", "nam", "noh", "roh", "ha", "kwak", "gwak", "sung", "seong", "cha", "joo", "ju", "woo", "wu", "min", "na", "jin", "chae", "won", "chun", "bang", "gong", "hyun", "yeo"])
CHINESE_SURNAMES = frozenset(
    ["li", "wang", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun", "ma", "zhu", "hu", "guo", "he", "lin", "gao", "luo", "zheng", "liang", "xie", "song", "tang", "han", "feng", "deng", "cao", "peng", "zeng", "xiao", "tian", "dong", "pan", "yuan", "cai", "jiang", "yu", "du", "ye", "cheng", "wei", "su", "lu", "ding", "ren", "shen", "yao", "jin", "fu", "zhong", "cui", "tan", "qiu", "qin", "fan", "shi", "jia", "xia", "wan"])
VIETNAMESE_SURNAMES = frozenset(
    ["nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do", "ho", "ngo", "duong", "ly", "dinh", "trinh", "truong", "lam", "mai", "cao", "ha"])
#: A Korean given name: two syllables, hyphenated ("Ji-hoon", "Soo-yeon") or one word ("Jihoon").
KOREAN_GIVEN = re.compile(r"[A-Z][a-z]{1,4}-[a-z]{2,5}")
#: A pinyin syllable; a Chinese given name is one or two of them ("Wei", "Xiaoming").
PINYIN = (r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:iang|iong|uang|ueng|ang|eng|ing|ong|iao|ian|uai|uan|ai|ei|ao|ou|"
          r"an|en|er|ia|ie|iu|in|ua|uo|ui|un|ue|a|o|e|i|u|v)")
PINYIN_GIVEN = re.compile(rf"(?:{PINYIN}){{1,2}}")
#: A Vietnamese name syllable (marks stripped): short, one vowel group.
VIET_SYLLABLE = re.compile(r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?")
SURNAME_FIRST = re.compile(rf"(?<![\w'’-])(?P<sur>[{UP}][{LOW}]+)[ ](?P<rest>{CAP_WORD}(?:[ ]{CAP_WORD}){{0,2}})(?![\w'’])")


def surname_first_names(text: str, lists: Lists) -> Iterator[tuple[int, int]]:
    """"Sato Yui", "Szabó Katalin", "Park Ji-hoon", "Li Xiaoming", "Trần Văn Long"."""
    first, last, common = lists
    for match in SURNAME_FIRST.finditer(text):
        sur = strip_marks(match.group("sur").lower()).replace("đ", "d")
        rest = match.group("rest").split()
        given = strip_marks(rest[0].lower()).replace("đ", "d")
        if sur in VIETNAMESE_SURNAMES and len(rest) >= 2 and all(
                VIET_SYLLABLE.fullmatch(strip_marks(w.lower()).replace("đ", "d")) for w in rest):
            yield match.span()
        elif sur in KOREAN_SURNAMES and KOREAN_GIVEN.fullmatch(rest[0]):
            yield match.start(), match.start("rest") + len(rest[0])
        elif (sur in CHINESE_SURNAMES and len(rest) == 1 and PINYIN_GIVEN.fullmatch(given) and given not in common) or (sur in last and sur not in common and sur not in first and given in first and given not in common \
                and len(rest) == 1):
            yield match.span()
    for match in KOREAN_FIRST.finditer(text):  # "Ji-woo Park", "Hyun-soo Lee"
        if strip_marks(match.group("sur").lower()) in KOREAN_SURNAMES:
            yield match.span()


KOREAN_FIRST = re.compile(r"(?<![\w'’-])[A-Z][a-z]{1,4}-[a-z]{2,5}[ ](?P<sur>[A-Z][a-z]{1,5})\b")


# --- sign-offs -------------------------------------------------------------------------------------

#: First names that are ordinary English words too: alone and with no cue they are the word.
COMMON_FIRST_NAMES = ORDINARY_FIRST_NAMES | frozenset({
    "bob", "young", "king", "victoria", "florence", "adelaide", "lorraine", "fire", "rosemary", "sherry", "brandy",
})
#: Closing words of many languages after which the last word of a text is a signature.
CLOSING = re.compile(
    r"(?:^|[\n.!?,:;)—–-])[ \t]*(?P<closing>(?i:ta|tak|tack|takk|kiitos|dank u|dankjewel|bedankt|dziękuję|děkuji|köszönöm|"
    r"teşekkürler|salamat(?: po)?|eskerrik asko|go raibh maith agat|ngā mihi|shukran|asante|arigato|"
    r"hilsen|venlig hilsen|med venlig hilsen|vennlig hilsen|lg|vg|abraço|abrazo|besos|baci|saluti|atte\.?|"
    r"merci vilmal|thanks|thank you|thx|ty|cheers|danke|merci|gracias|grazie|obrigad[oa])[,!.]*[ \t]+)?"
    rf"(?P<name>{CAP_WORD}(?:[ ]{CAP_WORD})?)[ \t]*[.!]?\s*\Z")


def closing_names(text: str, lists: Lists) -> Iterator[tuple[int, int]]:
    """The one or two capitalised words that close a text after a sentence or a closing word: a name
    when the first is a listed first name ("anymore. Marco", "Tak! Frederik", "– Ben"), or, right
    after a closing word, any capitalised word that is not an ordinary one ("Ta, Eilidh")."""
    first, _last, _common = lists
    match = CLOSING.search(text, max(0, len(text) - 80))
    if match is None:
        return
    words = match.group("name").split()
    lower = strip_marks(words[0].lower())
    if lower in NOT_NAME_WORDS or lower in COMMON_FIRST_NAMES or (lower in EXTRA_COMMON and lower not in PARTICLES):
        return
    if not match.group("closing") and match.group(0).lstrip(" \t")[:1] in ",:;":
        return  # "He is in Cork, Ireland": a comma closes lists of places as often as it leads to a name
    if lower in first or (match.group("closing") and words_ok(words, lists, strict=False)):
        yield match.span("name")


CAPS_LINE = re.compile(rf"(?m)^[ \t]*(?P<name>[{UP}]{{2,}}(?:[ '’-][{UP}]{{2,}}){{1,3}})[ \t]*$")


def caps_line_names(text: str, lists: Lists) -> Iterator[tuple[int, int]]:
    """A line that is a name in capitals ("GARY PEMBERTON" above his address)."""
    first, last, common = lists
    for match in CAPS_LINE.finditer(text):
        words = re.split(r"[ '’-]", match.group("name").lower())
        if strip_marks(words[0]) in first and words[0] not in common and not any(
                w in NOT_NAME_WORDS or (w in common and w not in last) for w in words):
            yield match.span("name")


#: A name in Hangul, Chinese characters or kana, in brackets right after a name ("(박지훈)", "(張偉)").
NATIVE_SCRIPT = re.compile(r"[A-Za-z\u00c0-\u024f]\)?[ ]?\((?P<name>[\uac00-\ud7a3\u4e00-\u9fff\u3040-\u30ff]{2,6})\)")


# --- the whole pass --------------------------------------------------------------------------------

def find_cued_names(text: str, folded: str, gated: bool = True) -> Iterator[tuple[int, int]]:
    """(start, end) of the names the eighth pass's cue rules find; `folded` is `text` lower-cased."""
    lists = gazetteer()
    if not gated or any(w in folded for w in RELATION_HINTS):
        yield from relation_names(text, folded, lists)
    if not gated or any(w in folded for w in NAME_IS_HINTS):
        yield from name_is_names(text, folded, lists)
    if not gated or any(w in folded for w in ("vagyok", "desu", "imnida", "ibnida", "da yo", "olarak")):
        for match in BEFORE_INTRO.finditer(text):
            yield match.span("name")
    yield from after_cue_names(text, folded, lists, gated)
    yield from surname_first_names(text, lists)
    yield from closing_names(text, lists)
    yield from caps_line_names(text, lists)
    if not gated or "(" in text:
        for match in NATIVE_SCRIPT.finditer(text):
            yield match.span("name")


# --- growing and spreading what was found ----------------------------------------------------------

GROW_RIGHT = re.compile(rf"(?:[ ]{PARTICLE}){{0,2}}[ ](?P<word>{CAP_WORD})|-(?P<part>[{UP}][{LOW}]+)")
#: Initials and name abbreviations before a name: "K. ", "J.-B. ", "Ma. ", "Mª ", "Md. ", "S. van der ".
GROW_LEFT = re.compile(rf"(?<![\w.])(?:(?:[{UP}]\.-?[ ]?){{1,3}}|(?:Ma|Mª|Md|Mohd|Muhd|Mohd)\.?[ ])(?:{PARTICLE}[ ]){{0,2}}\Z")
SPELLED = re.compile(r"(?<![\w-])[A-Z](?:-[A-Z]){3,}(?![\w-])")


def grow(text: str, start: int, end: int, lists: Lists) -> tuple[int, int]:
    """The name at text[start:end] with the name words right beside it: surnames and particles after
    it, hyphenated parts, initials or an abbreviated first name before it."""
    first, last, common = lists
    words = len(text[start:end].split())
    while words < 6:
        match = GROW_RIGHT.match(text, end)
        if match is None:
            break
        word = match.group("word") or match.group("part")
        lower = strip_marks(word.lower())
        if lower in NOT_NAME_WORDS or lower in STOP or (lower in common and lower not in last and lower not in first):
            break
        if lower in COMMON_FIRST_NAMES and lower not in last:
            break
        end = match.end()
        words += 1
    left = GROW_LEFT.search(text, max(0, start - 16), start)
    if left is not None:
        start = left.start()
    return start, end


def whole_words(text: str, word: str) -> Iterator[tuple[int, int]]:
    """Where `word` stands in `text` as a whole word (no letter, digit, apostrophe or hyphen beside it);
    a `str.find` loop: a pattern per word would be compiled per text."""
    at = text.find(word)
    while at >= 0:
        end = at + len(word)
        if (at == 0 or not (text[at - 1].isalnum() or text[at - 1] in "_'’-")) and (
                end == len(text) or not (text[end].isalnum() or text[end] in "_'’-")):
            yield at, end
        at = text.find(word, at + 1)


def spread(text: str, spans: Iterable[tuple[int, int]], lists: Lists) -> Iterator[tuple[int, int]]:
    """Each name grown, then its words wherever else they stand in the text (capitalised or as
    written, or spelled out letter by letter)."""
    first, last, common = lists
    parts: set[str] = set()
    for start, end in spans:
        start, end = grow(text, start, end, lists)
        yield start, end
        for word in re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", text[start:end]):
            lower = word.lower()
            if len(word) >= 3 and lower not in PARTICLES and lower not in NOT_NAME_WORDS and lower not in STOP and (
                    lower not in common or lower in first or lower in last) and lower not in COMMON_FIRST_NAMES:
                parts.add(word[0].upper() + word[1:])
    for part in parts:
        yield from whole_words(text, part)
        if not part.isupper():
            yield from whole_words(text, part.upper())
    if parts and "-" in text:
        for match in SPELLED.finditer(text):
            if match.group().replace("-", "").lower() in {p.lower() for p in parts}:
                yield match.span()
