"""Issue 18, eighth pass: names found by the cue families a stranger's text uses, in every language the
corpus has, rather than by the phrases one text showed (the misses of two authors who had not seen the
redactor, read as families):

- cue words before a name, as lexicons across languages: relations ("my husband", "Wife", "mi mamá,",
  "meines Sohnes", "ma fille", "mi pareja", "pani"), roles and account holders ("cliente", "Customer",
  "titular", "au nom de", "t.n.v.", "intestato a"), and "name is" statements ("her name is", "the name
  on it is", "surname", "se llama", "s'appelle", "nazywam się", "X vagyok");
- form fields ("Nom :", "Vorname:", "Imię:", "Ad Soyad:", "Nombre:", "姓名:") and quoted mail headers
  ("X <mail> wrote:", "Am ... schrieb X:", "Le ..., X a écrit", escribió, escreveu, ha scritto, schreef);
- cue words after a name: "X here", "X calling", "X from accounts", "X said", "Agent (X):", "X (Support)",
  a greeting and "its X", a signature under "--";
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

from feedbackloop.core import script_letters
from feedbackloop.core.name_gazetteer import (
    EXTRA_COMMON,
    LATIN_CAPITALS,
    MONTHS_AND_DAYS,
    ORDINARY_FIRST_NAMES,
    RELATION_VERBS,
    gazetteer,
    romanise_greek,
    strip_marks,
)
from feedbackloop.core.name_gazetteer import NOT_SIGNATURES as RULE_STOP

Lists = tuple[frozenset[str], frozenset[str], frozenset[str]]

UP = f"A-ZÀ-ÖØ-Þ{LATIN_CAPITALS}"  # (pass 22: only the capitals of Latin Extended: not "říkal", "și")
LOW = "a-zß-öø-ÿ\u0100-\u024f\u1e00-\u1eff"
#: A capitalised name word: "Ana", "O'Connor", "N'Diaye", "NicLeòid", "Ní", "Adeyemi-Bakare", "MacLeod".
CAP_WORD = rf"(?:(?:Ma?c|Fitz|Nic|Mhic)[{UP}][{LOW}]+|[{UP}][{LOW}]+|[{UP}]['’][{UP}][{LOW}]+)(?:['’-][{UP}{LOW}][{LOW}]+)*"
#: Lower-case or capital particles inside a full name ("María del Carmen", "Puig i Soler", "Dela Cruz").
PARTICLES = frozenset({
    "de", "da", "do", "dos", "das", "del", "della", "dela", "delos", "di", "van", "von", "der", "den", "la", "le",
    "du", "des", "bin", "bint", "ibn", "ben", "al", "el", "ter", "ten", "zu", "y", "i", "e", "op", "ní", "ni", "nic",
    "mac", "mhic", "ó", "o", "ua", "uí", "ap", "ab", "abu", "st", "van't", "'t", "binti", "binte", "te",
})
PARTICLE = r"(?i:de|da|do|dos|das|del|della|dela|delos|di|van|von|der|den|la|le|du|des|binti|binte|bin|bint|ibn|ben|al|el|ter|ten|zu|y|i|e|op|ní|nic|mhic|ó|ap|abu)"
#: A full name (up to six name words with particles between them).
FULL = rf"{CAP_WORD}(?:(?:[ ]{PARTICLE}){{0,2}}[ ]{CAP_WORD}){{0,5}}"
#: Words a capitalised run may hold without being a name: greetings, team words, sign-off words.
NOT_NAME_WORDS = frozenset({
    "hi", "hello", "hey", "dear", "thanks", "thank", "regards", "best", "cheers", "team", "support", "service",
    "customer", "customers", "billing", "sales", "accounts", "account", "claims", "admin", "help", "helpdesk", "sir",
    "madam", "mdm", "makani", "heroku", "heroku-style", "everyone", "all", "there", "the", "a", "an", "and", "or", "yes", "no", "ok", "okay", "please", "sorry",
    "hotel", "hospital", "clinic", "street", "road", "avenue", "station", "airport", "mall", "store", "shop",
    "bank", "university", "school", "company", "ltd", "inc", "gmbh", "llc", "bv", "sa", "srl", "plc", "group",
    "office", "department", "logistics", "supply", "services", "solutions", "caddesi", "sokak", "mahallesi",
    "calle", "rue", "via", "rua", "straße", "strasse", "edificio", "residence", "résidence", "tower", "room",
    "flat", "apt", "unit", "suite", "block", "villa", "estate", "plaza", "centre", "center", "city",
    "app", "screen", "settings", "version", "order", "ticket", "invoice", "policy", "claim", "refund",
    # job titles under a signature ("Senior Buyer | Lotus Textiles")
    "senior", "junior", "buyer", "director", "head", "lead", "officer", "specialist", "coordinator", "executive",
    "analyst", "consultant", "ceo", "cto", "cfo", "coo", "founder", "owner", "president", "vp", "intern",
    "dr", "prof", "mr", "mrs", "ms", "herr", "frau",
    # issue 18, ninth pass: the "Dear Sir or Madam" of other languages ("Sayın Yetkili", "Damen und Herren")
    "yetkili", "ilgili", "damen", "herren", "señores", "senhores", "signori", "dames", "heren", "messieurs",
    "mesdames", "państwo", "szanowni", "müşterimiz", "müşteri",
    # issue 18, pass 26: departments and teams that sign a macro ("Departamento Comercial", "Dział Obsługi")
    "departamento", "departamentul", "comercial", "ventas", "vendas", "central", "dział", "obsługi", "oddělení",
    "podpora", "zákaznická", "hizmetleri", "destek", "soporte", "suporte", "atendimento", "atencion", "atención",
})
#: Words that make the capitalised words beside them a place or an organisation, not a person: "Aga Khan
#: Hospital", "Cleveland Clinic", "Sai Krupa Apartments", "Bağdat Caddesi", "Calle X", "Đường Lê Lợi",
#: "TP. Hồ Chí Minh", "Edificio Torres del Parque", "Marine Supply", "Royal Mail".
PLACE_AFTER = frozenset({
    "hospital", "clinic", "clinica", "klinik", "klinikum", "hotel", "hostel", "street", "road", "avenue", "lane",
    "drive", "caddesi", "cad", "sokak", "sok", "mahallesi", "mah", "harbour", "harbor", "airport", "station",
    "tower", "towers", "apartments", "apartment", "residency", "heights", "gardens", "village", "woods", "park",
    "supply", "supplies", "mail", "bank", "university", "college", "school", "academy", "institute", "centre",
    "center", "mall", "store", "stores", "shop", "market", "pharmacy", "church", "mosque", "temple", "museum",
    "bridge", "square", "plaza", "ltd", "inc", "gmbh", "llc", "plc", "group", "holdings", "marine", "logistics",
    "airlines", "airways", "insurance", "motors", "foods", "textiles", "services", "solutions", "technologies",
    "industries", "international", "corporation", "corp", "company", "co", "stadium", "arena", "beach", "island",
    "islands", "valley", "mountain", "mountains", "lake", "river", "bay", "cross", "junction", "estate", "court",
    # issue 18, thirteenth pass: the nouns of firms' names the tagger took for surnames ("Kerry Express", "Baraka
    # Electronics", "Atlas Van Lines", "Tudor & Bevan LLP", "Sakura Lettings")
    "express", "electronics", "lines", "llp", "lettings", "telecom", "travel", "tours", "bakery", "bakes", "kitchen",
    "restaurant", "bistro", "pizzeria", "trattoria", "salon", "fitness", "studio", "studios", "labs", "partners",
    "associates", "consulting", "realty", "properties", "rentals", "garage", "movers", "removals", "transport",
    "freight", "cargo", "kargo", "couriers", "courier", "pharma", "dental", "opticians", "veterinary", "finance",
    "capital", "foundation", "charity", "memberships", "membership", "outlet", "boutique", "supermarket", "mart",
    "installs", "mobile", "electric", "residences", "broadband", "fibre", "fiber", "networks", "energy",
    # issue 18, sixteenth pass: trades' nouns in small firms' names ("Berglund Plumbing & Heating", "Ibarra
    # Landscaping LLC", "Tan Family Farms", "Osei Auto Repairs", "Hollis Electrical")
    "plumbing", "heating", "landscaping", "electrical", "farms", "farm", "repairs", "auto", "accounting",
    "roofing", "painting", "cleaning", "construction", "builders", "carpentry", "joinery", "flooring",
    "catering", "bookkeeping", "accountants", "pottery", "nursery", "florist", "hardware", "tiling", "glazing",
})
PLACE_BEFORE = frozenset({
    "calle", "rue", "via", "vía", "viale", "rua", "avenida", "av", "avenue", "plaza", "piazza", "place", "chemin",
    "boulevard", "edificio", "residencia", "résidence", "residence", "villa", "kale", "jalan", "jl", "đường",
    "duong", "phố", "pho", "ngõ", "ngo", "tp", "phường", "quận", "barangay", "brgy", "colonia", "col", "paseo",
    "carrer", "corso", "largo", "praça", "travessa", "ulica", "ul", "straat", "hotel", "hospital", "st", "mount",
    "lake", "cape", "port", "fort", "gran", "saint", "san", "santa", "são", "sankt",
})


def strongly_cued(words: Sequence[str], lists: Lists) -> bool:
    """Whether capitalised words after (or before) a strong cue are a name: they need not be listed, only
    not all ordinary words, and none one of ours ("Wife Folake", "Mila Ezkurdia Aranburu (customer)")."""
    first, last, common = lists
    lowered = [strip_marks(w.lower()) for w in words if w.lower() not in PARTICLES]
    led_by_particle = words[0].lower() in PARTICLES  # "Mr. van der Meer": a surname
    if not lowered or any(w in NOT_NAME_WORDS for w in lowered):
        return False
    if not led_by_particle and lowered[0] in common and lowered[0] not in first and lowered[0] not in last:
        return False  # "Meine Tochter Hat das Paket", "mi esposa Compró el Galaxy": a word, then more
    return led_by_particle or not all(w in common and w not in first and w not in last for w in lowered)


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
#: (This and the other patterns run on the `fold`ed text spell Turkish "ı" as "i", as `fold` does: "kizim".)
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
    "eşim|annem|babam|oğlum|kizim|kardeşim|"
    # issue 18, tenth pass: children and spouses in the plural and in other cases ("and children Faisal, Reem
    # and Lulwa", "mon épouse Grâce", "meine Kinder Lena und Tim")
    "children|kids|sons|daughters|twins|grandson|granddaughter|stepmother|stepfather|"
    "épouse|époux|enfants|kinder|hijos|hijas|figli|filhos|kinderen|dzieci|"
    "oğlu|kızı|çocuklarım"
)
#: Roles and account holders: a name after one must have a listed word ("Customer Service" is none).
ROLE_WORDS = (
    "customer|client|cliente|klant|kunde|kundin|patient|patientin|paciente|paziente|passenger|traveller|traveler|"
    "guest|tenant|policyholder|cardholder|colleague|coworker|co-worker|friend|boss|manager|neighbou?r|assistant|"
    "agent|rep|representative|technician|driver|courier|engineer|kollege|kollegin|collègue|collega|colega|"
    "compañer[oa]|companheir[oa]|koleg[ae]|koleżanka|titular|intestat[oa] a|intestatari[oa]|titolare|au nom de|a nombre de|em nome de|"
    "t\\.n\\.v\\.|ten name van|kontoinhaber(?:in)?|account holder|card holder|versicherungsnehmer(?:in)?|"
    # issue 18, ninth pass: the couriers, drivers, advisers and technicians of other languages ("der Fahrer
    # Kai-Uwe", "De koerier (Youssef"), and the name on a doorbell ("klingel steht jürgen wendt-özdemir")
    "fahrer(?:in)?|kurier|zusteller(?:in)?|bote|mitarbeiter(?:in)?|berater(?:in)?|techniker(?:in)?|chauffeur|"
    "livreur|livreuse|conseill(?:er|ère)|technicien(?:ne)?|repartidor(?:a)?|conductor(?:a)?|mensajero|asesor(?:a)?|"
    "técnico|tecnico|motorista|entregador(?:a)?|atendente|autista|corriere|fattorino|operatore|operatrice|bezorger|"
    "koerier|medewerker|monteur|kierowca|konsultant(?:ka)?|kurye|şoför|kurýr|řidič|rider|delivery guy|"
    "delivery driver|klingel(?:schild)?(?: steht)?|doorbell|buzzer|citofono|campanello|sonnette|interphone|timbre"
)
#: Titles: like a relation, a capitalised word after one is a name ("pani Haliny Wójcik").
TITLE_WORDS = (
    "pani|panią|pana|pan|señora|señor|senhora|senhor|signora|signor|mevrouw|meneer|sayin|madame|monsieur|"
    "mme\\.?|sr\\.|sra\\.|srta\\.|dña\\.?|doña|kyria|kyrios|ms\\.?|mr\\.?|mrs\\.?|dr\\.?|"
    "fam\\.|familie|famille|"  # (issue 18, ninth pass: "bei Fam. Nguyen", "la famille Dubois")
    # issue 18, pass 22: the titles of Central and Eastern Europe in the cases a sentence puts them in, before
    # a surname declined with them: Polish and Czech "z panem Kowalskim", "panu Nowakowi", "paní Nováková",
    # "pane Nováku", Slovak "pán Horváth", "s pánom Kováčom", Croatian, Serbian and Slovene "gospodinom
    # Horvatom", "gospođa Marić", "gospa Novak", Romanian "domnul Ionescu", "doamnei Popa", Lithuanian "ponia Rūta"
    "panem|panu|panie|pane|paní|pán|pána|pánom|pánovi|"
    "gospodin|gospodina|gospodinu|gospodinom|gospodine|gospođa|gospođe|gospođi|gospođu|gospođom|gospođo|gđa\\.?|"
    "gđe\\.?|gđi\\.?|gospod|gospa|gospe|gospodu|"
    "domnul|domnului|doamna|doamnei|dl\\.|dna\\.|d-l|d-na|d-nei|"
    "ponas|ponia|ponui|poniai|pone|ponią|poną"
)
#: Words before an English "pan" or "pane" that make it a pan or a pane, not the Polish or Czech title.
KITCHEN_PAN = re.compile(r"(?:the|a|my|frying|baking|sauce|non-stick|grill|cake|roasting|window|glass|solar)[ ]+\Z")
#: A relation or role word in the `fold`ed text (lower case: a case-insensitive alternation would cost
#: every text ten times more); the name after it is read from the text itself.
RELATION_AT = re.compile(rf"(?<![\w-])(?:(?P<rel>{RELATION_WORDS})|(?P<title>{TITLE_WORDS})|(?P<role>{ROLE_WORDS}))"
                         rf"(?:['’]s)?[ \t]*[,:]?(?:[ \t]+|[ \t]*\((?=\w))(?:(?:mr|mrs|ms|dr|prof)\.?[ ]+)?")
#: The cues after which a name in lower case counts: an account's holder, the name on a doorbell.
HOLDER = re.compile(r"titular|intestat[oa] a|intestatari[oa]|titolare|au nom de|a nombre de|em nome de|t\.n\.v\.|ten name van|"
                    r"kontoinhaber(?:in)?|account holder|card holder|klingel(?:schild)?(?: steht)?|doorbell|buzzer|"
                    r"citofono|campanello|sonnette|interphone|timbre")
#: What a holder holds in Spanish, Portuguese and Italian ("titular de la cuenta", "titular do cartão"), which reads
#: like a name led by a particle.
HOLDER_OF = re.compile(r"(?:da|de la|del|do|de|della|dello|dell['’])[ ]?(?:conta|cuenta|contrato|cartão|cartao|tarjeta|"
                       r"linha|línea|linea|servicio|serviço|servico|póliza|poliza|apólice|apolice|factura|fatura|"
                       r"suministro|fornecimento|plan|plano|contratto|conto|carta|utenza|polizza)(?![\w'’-])")
#: "X & Y": a firm's name, not a person's.
FIRM_AMPERSAND = re.compile(rf"[ ]*&[ ]*[{UP}]")
#: (A surname led by particles after a title: "Mr. van der Meer", "Ms Ní Bhraonáin".)
NAME_AT = re.compile(rf"(?:(?:van|von|de|der|den|da|di|du|la|le|ter|ten|ní|nic|mac)[ ]){{0,2}}{FULL}")


def relation_names(text: str, folded: str, lists: Lists) -> Iterator[tuple[int, int]]:
    """Names after a relation ("my husband", "Wife", "mi pareja"), a title ("pani", "Mr.") or a role
    ("cliente", "titular", "t.n.v."): a relation's needs a possessive before it or a sentence start."""
    source = folded if len(folded) == len(text) else text.lower()
    if len(source) != len(text):
        return
    for match in RELATION_AT.finditer(source):
        name = NAME_AT.match(text, match.end())
        if name is None:
            if HOLDER_OF.match(source, match.end()):
                continue  # pass 26: "el titular del contrato", "titular da conta": the holder of a thing
            if text[match.end():match.end() + 1].islower() and HOLDER.fullmatch(match.group().rstrip(" \t,(")):
                yield from named_at(text, match.end(), lists, loose=True)  # "em nome de joão pedro silva santos"
            elif match.group("rel") is None and text[match.end():match.end() + 2].isupper():
                for start, end in named_at(text, match.end(), lists):  # "MR JOHN SMITH", "Cliente: GONZÁLEZ PÉREZ"
                    capitals = text[start:end].split(",")[0].split()
                    if len(capitals) >= 2 and all(w.isupper() and len(w) >= 2 for w in capitals) and (
                            match.group("title") is not None or words_ok(capitals, lists, strict=True)) and \
                            "'" not in match.group() and "’" not in match.group():  # (not "agent's API URL")
                        yield start, end
            continue
        words = re.split(r"[ ]+", name.group())
        if match.group("title") in ("pan", "pane") and KITCHEN_PAN.search(source, max(0, match.start() - 12), match.start()):
            continue  # issue 18, pass 22: "the frying pan Tefal Ingenio", "a window pane Pilkington": English
        if FIRM_AMPERSAND.match(text, name.end()):
            continue  # issue 18, tenth pass: "Partner, Gilchrist & Rowe LLP" is a firm
        if match.group("title") is not None or (match.group("rel") is not None and personal(source, match.start())):
            if strongly_cued(words, lists):
                yield name.span()
        elif words_ok(words, lists, strict=True):
            yield name.span()


#: Possessives that make a relation word a person's ("my husband", "mi pareja", "meines Sohnes"); without
#: one the relation word opens its sentence ("Wife Folake is ...") or its name must be listed ("our
#: financing partner Affirm" is a firm).
PERSONAL = re.compile(r"(?:^|[\n.!?:;(]\s*|(?<![\w])(?:my|his|her|their|our|and|und|et|z|ze|mi|mis|su|sus|tu|mon|ma|mes|son|sa|ses|"
                      r"mein|meine|meines|meinem|meiner|meinen|sein|seine|seines|ihr|ihre|ihres|il mio|la mia|mio|mia|"
                      r"suo|sua|mijn|zijn|haar|meu|minha|seu|dele|dela|mój|moja|mojego|mojej|min|mit|mine|sin|hans|"
                      r"hennes)[ \t]+)\Z")


def personal(folded: str, at: int) -> bool:
    return PERSONAL.search(folded, max(0, at - 14), at) is not None


#: "her name is", "the name on the account is", "surname", "se llama", "nazywam się", in any case.
NAME_IS = re.compile(
    r"(?<!\w)(?:(?:(?:my|his|her|their|your|the|our|his full|her full|full|first|last|given|family)[ ]+)?"
    r"(?:name|surname)(?:[ ]+on[ ]+(?:it|(?:the[ ]+|my[ ]+|your[ ]+|our[ ]+)?\w+))?(?:[ ]+(?:is|was|should be)|[ ]*(?=:))|surname|"
    r"name['’]s|(?<=[,;][ ])name(?=[ ][^\W\d_][\w'’-]*[ ][^\W\d_])|"
    r"apellidos?|"
    r"su nombre es|se llama|s['’]appelle|son nom est|il suo nome è|si chiama|sein name ist|ihr name ist|hei(?:ß|ss)t|"
    r"heet|chama-se|nazywam się|nazywa się|jmenuji se|jmenuje se|zovem se|ismim|adim|tên tôi là|tên là|"
    r"heter|hedder|nimeni on|a nevem|navn er|mijn naam is|naam is|o meu nome é|meu nome é|nome é)"
    r"[ \t]*:?[ \t]+(?P<name>[^\W\d_]+(?:['’.-][^\W\d_]+)*(?:[ ][^\W\d_]+(?:['’-][^\W\d_]+)*){0,5})")
NAME_IS_HINTS = ("name", "apellido", "llama", "appelle", "nom est", "nome", "chiama", "heiß", "heiss", "heet",
                 "chama-se", "nazyw", "jmenu", "zovem", "ismim", "adim", "tên", "heter", "hedder", "nimeni", "nevem",
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


#: Surname fields: a value in capitals there is a surname even when it is a word too ("Nom : MARTIN", "Nazwisko:
#: WILK", "Soyadı: YILMAZ"); forms write surnames in capitals.
SURNAME_FIELDS = (r"nom|nom de famille|surname|last name|family name|apellidos?|nachname|familienname|nazwisko|"
                  r"příjmení|priezvisko|priimek|prezime|soyadi|soyad|cognome|sobrenome|achternaam|efternamn|etternavn|"
                  r"efternavn|vezetéknév|családi név|családnév|pavardė|uzvārds|perekonnanimi|sukunimi|nume|numele|"
                  r"επώνυμο|επωνυμο|прізвище|фамилия|презиме|"
                  # (and the labels that put the surname first: "Apellido y nombre:", "Nom, prénom :")
                  r"apellidos? y nombres?|prezime i ime|nazwisko i imię|příjmení a jméno|priezvisko a meno|"
                  r"cognome e nome|soyadi adi|soyad ad|nom,? prénom|nom et prénom|(?:surname|last name),? "
                  r"(?:first|given) names?")
SURNAME_FIELD = re.compile(rf"[ \t>*-]*(?:{SURNAME_FIELDS})[ \t]*[:：]")
PASS26_FIELDS = (r"adi|soyadi|ad soyadi|adi soyadi|nume|prenume|nume și prenume|nume si prenume|numele|nume complet|"
                 r"numele complet|meno|priezvisko|meno a priezvisko|jméno a příjmení|příjmení a jméno|nazwisko i imię|"
                 r"imiona|ime|prezime|ime i prezime|prezime i ime|ime in priimek|priimek|celé jméno|celé meno|"
                 r"családi név|családnév|utónév|teljes név|vardas|pavardė|vardas ir pavardė|vārds|uzvārds|"
                 r"vārds, uzvārds|eesnimi|perekonnanimi|ees- ja perekonnanimi|etunimi|sukunimi|nimi|"
                 r"[όο]νομα|επ[ώω]νυμο|ονοματεπ[ώω]νυμο|nombre y apellidos?|apellidos? y nombres?|nome e cognome|"
                 r"cognome e nome|nombres?|nome do titular|nombre del titular|soyadi adi|soyad ad|nom,? prénom|nom et prénom|"
                 r"(?:surname|last name),? (?:first|given) names?|priezvisko a meno")


#: Form fields of many languages, a label at the start of a line, a colon, the name up to the line's end:
#: "Name:", "Nombre:", "Apellidos:", "Nom :", "Prénom :", "Vorname:", "Nachname:", "Imię:", "Nazwisko:",
#: "Ad Soyad:", "Nome:", "Cognome:", "Voornaam:", "Achternaam:", "Navn:", "Jméno:", "Név:", "Họ tên:".
FIELD = re.compile(
    r"[ \t>*-]*(?:full |first |last |given |family |customer |contact |account |passenger |patient |guest )?"
    r"(?:names?|surname|nombre(?: completo)?|apellidos?|nom(?: complet| de famille)?|prénom|vorname|nachname|familienname|"
    r"imię(?: i nazwisko)?|nazwisko|ad(?: soyad)?|soyad|adi soyadi|isim|nome(?: completo)?|cognome|sobrenome|"
    r"voornaam|achternaam|naam|navn|fornavn|efternavn|etternavn|förnamn|efternamn|jméno|příjmení|név|"
    r"vezetéknév|keresztnév|họ tên|họ và tên|titular|kontoinhaber(?:in)?|holder|姓名|氏名|名前|이름|성명|"
    # issue 18, ninth pass: the people of a booking or a parcel ("Passenger 1:", "Adult 2:", "Contact person:",
    # "Empfänger:", "Destinataire :") and the "From:" of a quoted header in other languages ("Van:", "Od:")
    r"passengers?|pax|travell?ers?|guests?|adult|child|infant|recipient|addressee|contact person|forenames?|"
    r"given names?|pasajer[oa]s?|viajer[oa]|huésped|passagiers?|passageir[oa]|passeggero|passeggeri|ospite|"
    r"fluggast|reisende[r]?|gast|passager|passagère|voyageur|empfänger(?:in)?|destinatari[oa]|destinataire|"
    r"ontvanger|odbiorca|alıcı|alici|ansprechpartner(?:in)?|kontaktperson|contactpersoon|persona de contacto|"
    r"personne à contacter|referente|van|von|od|från|fra|kimden|lähettäjä|feladó|from|sender|absender|expéditeur|"
    r"remitente|mittente|afzender|nadawca|"
    # issue 18, seventeenth pass: Cyrillic forms ("Име и презиме:", "Ім'я:", "ПІБ:"; not a chat's "Клієнт:",
    # which a greeting follows more often than a name)
    r"име и презиме|име|презиме|ім['’]я|имя|фио|піб|прізвище|фамилия|отримувач|получатель|"
    # issue 18, pass 26: the name fields of Central and Eastern Europe, Turkey, Greece and the Baltics, surname
    # first as often as not ("Soyadı:", "Nume și prenume:", "Priezvisko:", "Επώνυμο:", "Pavardė:", "Sukunimi:");
    # Turkish "ı" is `fold`ed to "i"; Greek capitals lose their accents when lowered ("ΕΠΩΝΥΜΟ")
    f"{PASS26_FIELDS})"
    r"(?:[ ]?#?\d{1,2})?[ \t]*[:：][ \t]*(?=\S)")
FIELD_HINTS = ("name", "nom", "apellido", "prénom", "vorname", "nachname", "imię", "nazwisko", "ad", "soyad", "isim",
               "nome", "voornaam", "achternaam", "naam", "navn", "namn", "jméno", "příjmení", "név", "họ", "titular",
               "holder", "kontoinhaber", "姓名", "氏名", "名前", "이름", "성명", "pass", "pax", "travel", "guest",
               "adult", "child", "infant", "recipient", "addressee", "contact", "pasajer", "viajer", "huésped",
               "ospite", "fluggast", "reisende", "gast", "voyageur", "empfänger", "destinat", "ontvanger", "odbiorca",
               "alıcı", "alici", "ansprechpartner", "kontaktperson", "contactpersoon", "personne", "referente", "van:",
               "von:", "od:", "från:", "fra:", "kimden", "lähettäjä", "feladó", "from", "sender", "absender",
               "expéditeur", "remitente", "mittente", "afzender", "nadawca", "име", "ім", "имя", "фио", "піб",
               "прізвище", "фамилия", "отримувач", "получатель", "adi", "nume", "meno", "priezvisko", "ime",
               "priimek", "utónév", "vard", "vārds", "nimi", "νομα", "νυμο")
#: A name in Chinese, Japanese or Korean script after a field label ("姓名: 张伟").
NATIVE_VALUE = re.compile(r"[\uac00-\ud7a3\u4e00-\u9fff\u3040-\u30ff]{2,6}(?=[ \t]*(?:\n|$))")


def name_is_names(text: str, folded: str, lists: Lists) -> Iterator[tuple[int, int]]:
    """The names after "name is" statements and form fields."""
    source = folded if len(folded) == len(text) else text.lower()
    if len(source) != len(text):
        return
    for match in NAME_IS.finditer(source):
        cue = source[match.start():match.start("name")].rstrip()
        yield from named_at(text, match.start("name"), lists, loose=cue.endswith((":", " is", " was", "'s", "’s")))
    if any(w in source for w in FIELD_HINTS):
        for match in field_labels(source):
            native = NATIVE_VALUE.match(text, match.end())
            if native is not None:
                yield native.span()
            else:
                surname = SURNAME_FIELD.match(source, match.start()) is not None
                yield from named_at(text, match.end(), lists, loose=True, field=1 + surname)


def field_labels(folded: str) -> Iterator[re.Match[str]]:
    """FIELD's matches at the start of each line that holds a colon."""
    start = 0
    while start <= len(folded):
        end = folded.find("\n", start)
        end = len(folded) if end < 0 else end
        if ":" in folded[start:end] or "：" in folded[start:end]:
            match = FIELD.match(folded, start, end)
            if match is not None:
                yield match
        start = end + 1


def named_at(text: str, at: int, lists: Lists, loose: bool = False, field: int = 0) -> Iterator[tuple[int, int]]:
    """The name that starts at `at` after a cue, in any case: capitalised words (not ordinary ones), or
    lower-case words led by a listed first name or surname; up to a word that ends a name. `field`: 1 after
    a form's name field, 2 after its surname field (`field_value`)."""
    first, last, common = lists
    found = NAME_WORDS.match(text, at)
    if found is None:
        return
    offset = found.start()
    words = list(re.finditer(r"[^\W\d_]+(?:['’.-][^\W\d_]+)*", found.group()))
    taken: list[re.Match[str]] = []
    capitalised = words[0].group()[0].isupper()
    lowered_all = [strip_marks(w.group().lower()) for w in words]
    shaped = not capitalised and east_asian(lowered_all)
    for index, word in enumerate(words):
        value = word.group()
        lower = lowered_all[index]
        if lower in STOP or (capitalised and not value[0].isupper() and lower not in PARTICLES):
            break
        if not capitalised and lower in common and lower not in first and lower not in PARTICLES and not (
                shaped or (index == 0 and len(words) > 1 and listed_surname(lowered_all[1], lists))):
            break  # (a first name that is also a word, before a listed surname: "kemi adeyemi")
        taken.append(word)
    while taken and taken[-1].group().lower() in PARTICLES:
        taken.pop()
    if not taken:
        return
    values = [w.group() for w in taken]
    end = offset + taken[-1].end()
    given = GIVEN_AFTER.match(text, end)
    given_ok = given is not None and (field or all(w.isupper() for w in values)) and \
        given_listed(given.group("given"), lists, strict=not (field == 2 or all(w.isupper() for w in values)))
    if capitalised:
        if not words_ok(values, lists, strict=False) and not (field and field_value(values, lists, field == 2)) \
                and not (field == 2 and given_ok):  # ("Nazwisko i imię: Wilk, Marta": a surname that is a word)
            return
    else:
        lowered = [strip_marks(v.lower()) for v in values]
        head_ok = lowered[0] in first or lowered[0] in last or lowered[0] in PARTICLES or all(
            p in first for p in lowered[0].split("-"))  # "lea-marie"
        second_listed = len(lowered) > 1 and (listed_surname(lowered[1], lists) or (
            lowered[1] in first and lowered[1] not in common))  # "ana paula ferreira", "kemi adeyemi"
        # (`loose`: after a field's colon, "name is" or an account's holder, lower-case words none of which
        # is an ordinary word: "name: tendai moyo")
        if not (shaped or second_listed or (loose and lower_full_name(values, lists))) and (not head_ok or (
                lowered[0] in common and lowered[0] not in PARTICLES)):
            return
    if given is not None and given_ok:
        end = given.end()  # "GONZÁLEZ PÉREZ, María José": the surnames in capitals, then the given names; (pass 26)
        # after a form's field in any case: "Apellido y nombre: Sosa, Martín", "Nom : Gagnon, Marie-Ève"
    yield offset + taken[0].start(), end


def given_listed(given: str, lists: Lists, strict: bool) -> bool:
    """Whether the words after a surname's comma open with a listed first name ("Marie-Ève": its first part);
    `strict`, none that is an ordinary word too ("Smith, London" is a surname and a city)."""
    first, _last, common = lists
    word = strip_marks(given.split()[0].lower())
    head = word.split("-")[0]
    return (word in first or head in first) and not (strict and (word in common or head in common))


#: What a form's name field holds when it holds no name.
FIELD_FILLERS = frozenset({"n/a", "na", "none", "unknown", "same", "idem", "test", "brak", "inconnu", "desconocido",
                           "nenhum", "yok", "žádné", "nincs", "see", "above", "below", "voir", "ver", "siehe"})


def field_value(words: Sequence[str], lists: Lists, surname: bool) -> bool:
    """Whether capitalised words after a form's name field are a name though `words_ok` finds an ordinary word
    among them (issue 18, pass 26): each a listed first name or surname ("Nom : MARTIN", "Prénom : Théo",
    "Imię: Marta"), or, after a surname field, up to three words in capitals ("Nazwisko: WILK")."""
    first, last, _common = lists
    lowered = [strip_marks(w.lower()) for w in words if w.lower() not in PARTICLES]
    if not lowered or any(w in NOT_NAME_WORDS or w in FIELD_FILLERS for w in lowered):
        return False
    if all(w in first or w in last for w in lowered):
        return True
    return surname and len(words) <= 3 and all(w.isupper() and len(w) >= 2 for w in words)


GIVEN_AFTER = re.compile(rf",[ ]+(?P<given>{CAP_WORD}(?:[ ]{CAP_WORD}){{0,2}})(?=[ \t]*(?:\n|$|[,;.]))")


def lower_full_name(words: Sequence[str], lists: Lists) -> bool:
    """Whether two to four lower-case words after a strong cue are a full name: none an ordinary word, a
    word that ends a name or one of ours ("tendai moyo", "marco rossi": "marco" is a word, "rossi" listed)."""
    first, last, common = lists
    lowered = [strip_marks(w.lower()) for w in words if w.lower() not in PARTICLES]
    if not 2 <= len(lowered) <= 4 or any(w in STOP or w in NOT_NAME_WORDS or w in RULE_STOP for w in lowered):
        return False
    if east_asian(lowered):
        return True
    return not any(w in common and w not in first and w not in last for w in lowered) and not all(
        w in common for w in lowered)


def listed_surname(word: str, lists: Lists) -> bool:
    """Whether `word` (lower case, marks stripped) is a listed surname and no ordinary word: each part of
    a hyphenated one ("wendt-özdemir" needs "wendt")."""
    _first, last, common = lists
    head = word.split("-")[0]
    return head in last and head not in common


def east_asian(words: Sequence[str]) -> bool:
    """Whether lower-case words are a Chinese, Korean or Vietnamese name surname first: a listed surname of
    theirs, then one to three syllables of the given name ("tan wei ming", "nguyen van an")."""
    if len(words) < 2:
        return False
    sur, rest = words[0].replace("đ", "d"), [w.replace("đ", "d") for w in words[1:4]]
    if sur in VIETNAMESE_SURNAMES and all(VIET_SYLLABLE.fullmatch(w) for w in rest):
        return True
    if sur in CHINESE_SURNAMES and all(PINYIN_GIVEN.fullmatch(w) for w in rest[:2]) and len(rest[:2]) == len(rest):
        return True
    return sur in KOREAN_SURNAMES and KOREAN_GIVEN.fullmatch(rest[0].capitalize()) is not None


# --- cue words after a name ------------------------------------------------------------------------

#: "Siobhán Ní Bhriain here", "April from Accounts here", "Grant from your team said", "Sunita calling".
#: (Looked for from the cue: the cue words in the `fold`ed text, then the name that ends right before them.)
HERE_CUE = re.compile(
    r"[ ]+(?:(?:here|calling|speaking|writing)\b|from[ ]+(?:the[ ]+|your[ ]+|our[ ]+)?(?:accounts?|billing|finance|"
    r"sales|support|logistics|shipping|dispatch|returns|claims|it|hr|legal|marketing|procurement|purchasing|team|"
    r"customer service|office|warehouse|reception)\b)")
HERE_NAME = re.compile(
    rf"(?:^|(?<=[\n.!?,:;(]))[ \t]*(?:(?i:this is|it['’]s|it is|c['’]est|soy|sono|ik ben|ich bin)[ ,]+"
    rf"(?:uh,?[ ]+|um,?[ ]+)?)?(?P<name>{FULL})\Z")
HERE_HINTS = ("here", "calling", "speaking", "writing", "from")
#: "Agent (Nicole):", "Rachel (Support)".
#: (Both looked for from the bracket: the role words in the `fold`ed text, the name in the text.)
ROLE_OPEN = re.compile(r"(?<!\w)(?:agent|advisor|adviser|rep|operator|support|customer|caller|tech|technician|cs)[ ]*\(")
ROLE_CLOSE = re.compile(r"[ ]*\((?:support|agent|customer service|team lead|billing|sales|accounts|cs|customer care|"
                        r"service desk|helpdesk|customer|client|cliente|kunde|patient|caller|guest|passenger|"
                        r"account holder|cardholder|policyholder)\)")
NAME_CLOSED = re.compile(rf"(?P<name>{FULL})\)")
NAME_BEFORE = re.compile(rf"(?<![\w(])(?P<name>{FULL})\Z")
MENTION = re.compile(r"(?<![\w.@/])@(?P<name>[^\W\d_][\w'’-]{1,30}(?:[._][^\W\d_][\w'’-]{1,30})?)(?![\w@]|\.\w)")
#: "Hi its Jayden,", "hey im Lorcan -": an introduction without its apostrophe, right after a greeting.
#: (In any case: looked for in the `fold`ed text; a lower-case name must be a listed first name.)
GREETING_ITS = re.compile(r"(?<!\w)(?:hi|hey|hiya|hello|yo|howya|morning)[,!]?[ ]+(?:its|im|it's|i'm)[ ]+"
                          r"(?P<name>[^\W\d_]+(?:['’-][^\W\d_]+)*(?:[ ][^\W\d_]+(?:['’-][^\W\d_]+)*){0,3})"
                          r"(?=[ ]*[,.!;—–-]|[ ]+(?:here|from|again)\b)")
#: Issue 18, ninth pass: "approved by Grant in billing", "Chen from the Mission Bay store": a listed name
#: anywhere in a sentence, then its department or its branch (looked for in the `fold`ed text).
DEPT_CUE = re.compile(
    r"[ ]+(?:in|from|at|aus|de|du|da|van|di)[ ]+(?:the[ ]+|der[ ]+|la[ ]+|le[ ]+|het[ ]+)?(?:billing|accounts?|finance|"
    r"sales|support|logistics|shipping|dispatch|returns|claims|hr|legal|procurement|customer service|"
    r"buchhaltung|vertrieb|kundenservice|comptabilité|facturation|facturación|contabilidad|ventas|soporte|"
    r"contabilità|vendite|boekhouding|[a-z]+(?:[ ][a-z]+){0,2}[ ](?:store|shop|branch|office|warehouse|depot|"
    r"filiale|boutique|tienda|sucursal|negozio|winkel))\b")
DEPT_HINTS = ("billing", "account", "finance", "sales", "support", "logistic", "shipping", "dispatch", "returns",
              "claims", "hr", "legal", "procurement", "service", "buchhaltung", "vertrieb", "comptab", "factura",
              "contab", "ventas", "soporte", "vendite", "boekhouding", "store", "shop", "branch", "office",
              "warehouse", "depot", "filiale", "boutique", "tienda", "sucursal", "negozio", "winkel")
#: "introduced himself as Grant", "a guy called Lorenzo", "stellte sich als Kai vor": a strong cue, so a
#: listed first name counts even when it is an ordinary word too.
CALLED_AS = re.compile(
    r"(?<!\w)(?:introduced (?:himself|herself|themselves)(?: to me)? as|goes by|(?:guy|man|woman|lady|girl|bloke|"
    r"person|driver|courier|agent|rider) (?:called|named)|stellte sich (?:mir )?als|hat sich als|se présente comme|"
    r"s'est présentée? comme|se presentó como|si è presentat[oa] come|se apresentou como|stelde zich voor als)"
    r"[ ]+(?:(?:mr|mrs|ms|herr|frau)\.?[ ]+)?")
CALLED_HINTS = ("introduced", "goes by", "called", "named", "stellte sich", "hat sich als", "présente", "presentó",
                "presentat", "apresentou", "stelde zich")
#: "Grazie, Marco (il marito)", "El Jordi (el meu marit)": a relation in brackets after a name.
RELATION_CLOSE = re.compile(
    rf"[ ]*\((?:(?:my|his|her|their|our|il|la|el|le|lo|mon|ma|mein|meine|mi|su|o|a|de|het|mijn|meu|minha|"
    rf"el meu|la meva|il mio|la mia|mio|mia|la sua|il suo)[ ]+)?(?:{RELATION_WORDS}|marit|dona|fill|filla|germà|germana|"
    rf"mann|frau|marito|moglie|man|vrouw)\)")
#: "-- Rose", "- Hope" on the last line: a signature, even when the name is an ordinary word too.
DASH_END = re.compile(rf"[.!?)][ \t]+(?:--?|—|–)[ \t]*(?P<name>{FULL})[ \t]*[.!]?\s*\Z")
DASH_LINE = re.compile(rf"(?:^|\n)[ \t]*(?:--?|—|–)[ \t]*(?P<name>{CAP_WORD})[ \t]*[.!]?\s*\Z")
#: "where is ahmed??", "wo ist Kai": asking after a person by a listed first name.
WHERE_IS = re.compile(r"(?<!\w)(?:where is|where's|wheres|wo ist|wo bleibt|où est|dónde está|donde esta|dov'è|"
                      r"waar is|onde está|onde esta)[ ]+(?P<name>[^\W\d_]+(?:-[^\W\d_]+)?)(?=[ ]*(?:[?!.,]|$|\n))")
WHERE_HINTS = ("where", "wo ist", "wo bleibt", "où est", "dónde", "donde", "dov'è", "waar is", "onde est")
#: "Mark said it was shipped": a first name, then a verb of saying or writing.
SAID_CUE = re.compile(r"[ ]+(?:said|says|told|asked|wrote|emailed|mailed|mentioned|confirmed|promised|replied|phoned|"
                      r"rang|called me|explained|sagte|hat gesagt|a dit|m'a dit|dijo|me dijo|ha detto|zei|disse)\b")
NAME_ENDS = re.compile(rf"(?<![\w'’.-])(?P<name>{FULL})\Z")
SAID_HINTS = ("said", "says", "told", "asked", "wrote", "mailed", "mentioned", "confirmed", "promised", "replied",
              "phoned", " rang", "called me", "explained", "sagte", "gesagt", " dit", "dijo", "detto", " zei", "disse")
#: A signature below a "--" line ("--\nAnanya Raghunathan\nSenior Buyer").
SIGNATURE = re.compile(rf"(?m)^[ \t]*(?:--|—|__+)[ \t]*\n[ \t]*(?P<name>{FULL})[ \t]*$")
POSSESSIVE = re.compile(rf"(?<![\w'’.-])(?P<name>{CAP_WORD})['’]s(?![\w-])")


def ninth_pass_cues(text: str, folded: str, lists: Lists, gated: bool) -> Iterator[tuple[int, int]]:
    """Issue 18, ninth pass: a department or branch after a name, "introduced himself as", a relation in
    brackets after a name, a name after a dash on the last line, "where is X"."""
    first, last, common = lists
    if len(folded) != len(text):
        return
    if not gated or any(w in folded for w in DEPT_HINTS):
        for match in cued_before(DEPT_CUE, NAME_ENDS, text, folded):
            words = match.group("name").split()
            lowered = [strip_marks(w.lower()) for w in words]
            if lowered[0] in NOT_NAME_WORDS or lowered[0] in MONTHS_AND_DAYS or len(words) > 3:
                continue
            if (lowered[0] in first or (len(words) == 1 and lowered[0] in last)) and (
                    lowered[0] not in common or lowered[0] in COMMON_FIRST_NAMES):
                yield match.span("name")
    if not gated or any(w in folded for w in CALLED_HINTS):
        for match in CALLED_AS.finditer(folded):
            name = NAME_AT.match(text, match.end())
            if name is not None and strip_marks(name.group().split()[0].lower()) in first and \
                    name.group().split()[0].lower() not in NOT_NAME_WORDS:
                yield name.span()
    if not gated or "(" in text:
        for match in RELATION_CLOSE.finditer(folded):
            name = NAME_BEFORE.search(text, max(0, match.start() - 60), match.start())
            if name is not None and strongly_cued(name.group("name").split(), lists):
                start = name.start("name")
                article = LEADING_ARTICLE.match(text, start, name.end("name"))
                yield (article.end() if article else start), name.end("name")
    tail_at = max(0, len(text) - 40)
    if not gated or "-" in text[tail_at:] or "—" in text[tail_at:] or "–" in text[tail_at:]:
        ended = DASH_END.search(text, max(0, len(text) - 60))  # issue 18, tenth pass: "... rental. - Grace"
        if ended is not None:
            words = [strip_marks(w.lower()) for w in ended.group("name").split()]
            if (words[0] in first or (len(words) >= 2 and words_ok(ended.group("name").split(), lists, strict=False))) \
                    and len(words) <= 4 and not any(w in NOT_NAME_WORDS for w in words) and words[0] not in MONTHS_AND_DAYS:
                yield ended.span("name")
        dashed = DASH_LINE.search(text, tail_at)
        if dashed is not None:
            lower = strip_marks(dashed.group("name").lower())
            if lower in first and lower not in NOT_NAME_WORDS and lower not in MONTHS_AND_DAYS:
                yield dashed.span("name")
    if not gated or any(w in folded for w in WHERE_HINTS):
        for match in WHERE_IS.finditer(folded):
            lower = strip_marks(match.group("name"))
            if lower in first and lower not in common and lower not in COMMON_FIRST_NAMES:
                yield match.span("name")


#: "El Jordi", "Der Kai": an article before a first name in speech, no part of it.
LEADING_ARTICLE = re.compile(r"(?:El|La|Il|Lo|Der|Die|Den|Na|En|Le)[ ](?=\S)")


def bracketed_names(text: str, folded: str, lists: Lists) -> Iterator[tuple[int, int]]:
    """"Agent (Nicole):", "Rachel (Support)"."""
    if len(folded) != len(text):
        return
    for match in ROLE_OPEN.finditer(folded):
        name = NAME_CLOSED.match(text, match.end())
        if name is not None and words_ok(name.group("name").split(), lists, strict=True):
            yield name.span("name")
    for match in ROLE_CLOSE.finditer(folded):
        name = NAME_BEFORE.search(text, max(0, match.start() - 80), match.start())
        if name is not None and strongly_cued(name.group("name").split(), lists):
            yield name.span("name")


#: Quoted mail headers: "X <x@mail> wrote:", "Am 3. Mai schrieb X:", "Le 2 mai, X a écrit :", "El ...,
#: X escribió:", "Il giorno ... X ha scritto:", "Em ..., X escreveu:", "Op ... schreef X:", "X napisał(a):".
WROTE_CUE = re.compile(r"[ \t]*(?:\(?<[^<>\s]+@[^<>\s]+>\)?[ \t]*)?(?:wrote|a écrit|escribió|escreveu|ha scritto|schreef|"
                       r"napisał|napisała|yazdi|skrev|kirjoitti|írta|έγραψε|schrieb)[ \t]*:")
WROTE_BEFORE = re.compile(rf"(?:schrieb|schreef|skrev)[ ]+(?:(?:mr|mrs|ms|dr|herr|frau)\.?[ ]+)?(?P<name>{FULL})"
                          rf"(?=[ \t]*(?:<[^<>\s]+@[^<>\s]+>[ \t]*)?:)", re.IGNORECASE)
#: A display name before a mail address in angle brackets ("Hannah Lee <hannah.lee@voltmart.com>").
DISPLAY_NAME = re.compile(r"[ \t]*\(?<[^<>\s]+@[^<>\s]+>")


def header_names(text: str, folded: str, lists: Lists) -> Iterator[tuple[int, int]]:
    if "<" in text and "@" in text:
        for match in cued_before(DISPLAY_NAME, NAME_ENDS, text, folded):
            if words_ok(match.group("name").split(), lists, strict=False):
                yield match.span("name")
    if any(w in folded for w in ("wrote", "écrit", "escribi", "escreveu", "scritto", "schreef", "napisa", "yazdi",
                                 "skrev", "kirjoitti", "írta", "έγραψε", "schrieb")):
        for match in cued_before(WROTE_CUE, NAME_ENDS, text, folded):
            if words_ok(match.group("name").split(), lists, strict=False):
                yield match.span("name")
        for match in WROTE_BEFORE.finditer(text):
            if words_ok(match.group("name").split(), lists, strict=False):
                yield match.span("name")


def cued_before(cue: re.Pattern[str], name: re.Pattern[str], text: str, folded: str) -> Iterator[re.Match[str]]:
    """The matches of `name` that end where a match of `cue` in `folded` starts (within 100 characters)."""
    if len(folded) != len(text):
        return
    for match in cue.finditer(folded):
        found = name.search(text, max(0, match.start() - 100), match.start())
        if found is not None:
            yield found


def after_cue_names(text: str, folded: str, lists: Lists, gated: bool) -> Iterator[tuple[int, int]]:
    first, last, common = lists
    if not gated or any(w in folded for w in HERE_HINTS):
        for match in cued_before(HERE_CUE, HERE_NAME, text, folded):
            words = match.group("name").split()
            lowered = [strip_marks(w.lower()) for w in words]
            if any(w in NOT_NAME_WORDS for w in lowered):
                continue
            if words_ok(words, lists, strict=True) or lowered[0] in first or words_ok(words, lists, strict=False):
                yield match.span("name")
    if not gated or "(" in text:
        yield from bracketed_names(text, folded, lists)
    if not gated or "@" in text:
        for match in MENTION.finditer(text):
            parts = [strip_marks(p.lower()) for p in re.split(r"[._]", match.group("name"))]
            if parts[0] in NOT_NAME_WORDS or parts[0] in common:
                continue
            if parts[0] in first or parts[0] in last or match.group("name")[0].isupper():
                yield match.span("name")
    if not gated or (any(w in folded for w in ("its ", "im ", "it's", "i'm")) and any(
            w in folded for w in ("hi", "hey", "hello", "yo", "morning"))):
        for match in GREETING_ITS.finditer(folded if len(folded) == len(text) else ""):
            words = text[match.start("name"):match.end("name")].split()
            if words[0][0].isupper() and all(w[0].isupper() or w.lower() in PARTICLES for w in words):
                if words_ok(words, lists, strict=False):
                    yield match.span("name")
            elif len(words) == 1 and strip_marks(words[0].lower()) in first and words[0].lower() not in common:
                yield match.span("name")
            elif len(words) >= 2 and lower_full_name(words, lists):
                yield match.span("name")  # "hi its tendai moyo, ..." (issue 18, ninth pass)
    if not gated or any(w in folded for w in SAID_HINTS):
        for match in cued_before(SAID_CUE, NAME_ENDS, text, folded):
            words = match.group("name").split()
            if strip_marks(words[0].lower()) in first and not any(w.lower() in NOT_NAME_WORDS for w in words):
                yield match.span("name")
    yield from ninth_pass_cues(text, folded, lists, gated)
    if not gated or "--" in text or "—" in text or "__" in text:
        for match in SIGNATURE.finditer(text):
            if words_ok(match.group("name").split(), lists, strict=False):
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
#: Issue 18, pass 21: the surnames of Hong Kong, Macau, Taiwan, Malaysia and Singapore as their owners spell them
#: (Cantonese, Hokkien, Teochew, Hakka, Wade-Giles): "Leung Ka Wai", "Ong Boon Kiat", "Hsu Chia-Hao".
SOUTHERN_SURNAMES = frozenset(
    ["chan", "wong", "leung", "cheung", "lau", "tsang", "kwok", "yip", "tse", "chow", "fung", "mak", "lai", "siu",
     "cheng", "hui", "tam", "poon", "kwan", "kong", "ng", "tan", "lim", "ong", "goh", "teo", "koh", "chua", "yeo",
     "sim", "toh", "yap", "ang", "seah", "chia", "heng", "kwek", "foo", "khoo", "quek", "soh", "tay", "neo", "pang",
     "leong", "loh", "low", "lee", "ho", "chin", "chong", "choo", "liew", "lew", "wee", "teh", "chee", "tey", "ooi",
     "chai", "tong", "hsu", "hsieh", "chiang", "tsai", "kuo", "huang", "chou", "liao", "hung", "yeh", "tseng", "kao",
     "lo", "so", "yuen", "shum", "szeto", "au", "yau", "chiu", "mok", "sze", "woo", "choy", "choi", "lum", "yong"])
SOUTHERN_SYLLABLE = r"(?:[bcdfghjklmnpqrstwxyz]{0,3}[aeiou]{1,3}(?:ng|n|m|k|p|t|h|w|y)?)"
SOUTHERN_GIVEN = re.compile(rf"(?i:{SOUTHERN_SYLLABLE}(?:-{SOUTHERN_SYLLABLE})?)")
#: Places of Hong Kong, Singapore and Malaysia that read like such a surname and a given name.
SOUTHERN_PLACES = frozenset({"lai chi kok", "ho man tin", "ma on shan", "wong tai sin", "cheung sha wan",
                             "lau fau shan", "wong chuk hang", "wu kai sha", "ang mo kio", "lim chu kang",
                             "choa chu kang", "chua chu kang", "tan tock seng", "lee garden", "tan sri", "so kon po",
                             "so uk", "shum shui po", "sham shui po", "tai koo", "chai wan kok", "lo wu", "lok ma chau",
                             "yau ma tei", "yau tong", "tsang tai uk", "lam tin", "hung hom", "kwan tong", "ho chi minh",
                             "siu sai wan", "chin swee", "kong ha", "wong nai chung", "tong fuk", "lee kong chian"})
#: A Korean given name is two syllables, hyphenated ("Ji-hoon", "Soo-yeon") or one word ("Jihoon").
KOREAN_GIVEN = re.compile(r"[A-Z][a-z]{1,4}-[a-z]{2,5}")
#: A pinyin syllable; a Chinese given name is one or two of them ("Wei", "Xiaoming").
PINYIN = (r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:iang|iong|uang|ueng|ang|eng|ing|ong|iao|ian|uai|uan|ai|ei|ao|ou|"
          r"an|en|er|ia|ie|iu|in|ua|uo|ui|un|ue|a|o|e|i|u|v)")
PINYIN_GIVEN = re.compile(rf"(?:{PINYIN}){{1,2}}")
#: A Vietnamese name syllable (marks stripped): short, one vowel group.
VIET_SYLLABLE = re.compile(r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?")
SURNAME_FIRST = re.compile(rf"(?<![\w'’-])(?P<sur>[{UP}][{LOW}]+)[ ](?P<rest>{CAP_WORD}(?:[ ]{CAP_WORD}){{0,2}})(?![\w'’])")


#: Places of East and South-East Asia written like a surname and a given name (issue 18, ninth pass).
ASIAN_PLACES = frozenset({"hong kong", "kuala lumpur", "phnom penh", "chiang mai", "chiang rai", "da nang",
                          "hai phong", "ho chi minh", "hoi an", "nha trang", "siem reap", "hat yai", "kota kinabalu",
                          "johor bahru", "shah alam", "petaling jaya", "an giang", "vung tau", "can tho", "hue",
                          "sha tin", "tsim sha tsui", "mong kok", "wan chai", "kwun tong", "tai po", "yuen long",
                          "san po kong", "ma on shan", "tin shui wai", "tseung kwan o", "lan kwai fong"})


def surname_first_names(text: str, lists: Lists) -> Iterator[tuple[int, int]]:
    """"Sato Yui", "Szabó Katalin", "Park Ji-hoon", "Li Xiaoming", "Trần Văn Long"."""
    first, last, common = lists
    for match in overlapping(SURNAME_FIRST, text):
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
        elif sur in SOUTHERN_SURNAMES and southern_given(text, match, rest, lists):
            yield match.start(), match.start("rest") + len(" ".join(rest[:2]))
    for match in KOREAN_FIRST.finditer(text):  # "Ji-woo Park", "Hyun-soo Lee"
        if strip_marks(match.group("sur").lower()) in KOREAN_SURNAMES:
            yield match.span()


def southern_given(text: str, match: re.Match[str], rest: Sequence[str], lists: Lists) -> bool:
    """Whether a SOUTHERN_SURNAMES surname's `rest` opens with a given name of two syllables ("Ka Wai", "Chia-Hao"),
    no ordinary word, and the words are no place ("Wong Tai Sin", "Ang Mo Kio") nor the start of a longer name."""
    common = lists[2]
    given = list(rest[:2]) if "-" not in rest[0] else [rest[0]]
    if (len(given) == 2 and "-" in given[1]) or (len(given) == 1 and "-" not in given[0]):
        return False
    if not all(SOUTHERN_GIVEN.fullmatch(word) for word in given):
        return False
    parts = [part for word in given for part in strip_marks(word.lower()).split("-")]
    if all(part in common for part in parts) or any(part in NOT_NAME_WORDS or part in STOP for part in parts):
        return False  # "Sim Card Tray"; one syllable may be a word ("Ong Boon Kiat", "Chan Tai Man")
    said = " ".join([match.group("sur"), *given]).lower()
    if any(said.startswith(place) for place in SOUTHERN_PLACES):
        return False
    end = match.start("rest") + len(" ".join(given))
    after = text[end:end + 20]
    return not re.match(r"[ ](?:[A-Z][a-z]|MTR|Road|Street|St\b|Rd\b)", after) or len(rest) > len(given)


def overlapping(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """`pattern`'s matches, each search starting one word after the last match's start ("Name Yamamoto
    Kenji": "Name Yamamoto" is tried, then "Yamamoto Kenji")."""
    at = 0
    while (match := pattern.search(text, at)) is not None:
        yield match
        at = match.start("rest")


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
    r"merci vilmal|thanks|thank you|thx|ty|cheers|danke|merci|gracias|grazie|obrigad[oa]|mfg|mvg|groetjes|groeten|"
    r"grüße|gruß|saludos|cumprimentos|pozdrawiam|regards|best|"
    # issue 18, pass 22: the thanks and greetings of Central and Eastern Europe ("Díky, Honza", "Lp, Ana")
    r"lp|pozdrav|díky|děkuji|ďakujem|dėkoju|ačiū|paldies|aitäh|hvala|mulțumesc|multumesc|dzięki|üdv|köszi)[,!.]*[ \t]+)?"
    rf"(?P<name>{CAP_WORD}(?:[ ]{CAP_WORD})?)[ \t]*[.!]?\s*\Z")


#: Issue 18, pass 24: Georgian and Armenian family names by their endings ("Kapanadze", "Gelashvili", "Hakobyan",
#: "Manukian"), romanised, which the lists hold few of. "-shvili", "-dze" and "-yan" make a name alone; "-ian" also
#: ends ordinary words ("Italian", "technician"), so it counts only after a listed first name ("Vardan Manukian").
CAUCASIAN_NAME = re.compile(rf"(?<![\w'’.-])(?:(?P<first>{CAP_WORD})[ ])?(?P<surname>[{UP}][{LOW}]{{2,}}"
                            rf"(?P<ending>shvili|dze|yan|iani|ian))(?![\w'’-])")
CAUCASIAN_HINTS = ("shvili", "dze", "yan", "ian")
#: Words with those endings that are no family name.
NOT_CAUCASIAN = frozenset({"kenyan", "libyan", "banyan", "bunyan"})


def caucasian_names(text: str, lists: Lists) -> Iterator[tuple[int, int]]:
    """Georgian and Armenian family names by their endings, with the given name before them (CAUCASIAN_NAME)."""
    from feedbackloop.core.name_model import languages_and_countries  # ("Ukrainian", "Armenian": a people's)

    first, _last, common = lists
    for match in CAUCASIAN_NAME.finditer(text):
        surname = match.group("surname").lower()
        if ordinary(surname, common) or surname in NOT_CAUCASIAN or surname in languages_and_countries():
            continue
        given = strip_marks((match.group("first") or "").lower())
        plain = given not in NOT_NAME_WORDS and given not in STOP and given not in MONTHS_AND_DAYS
        if match.group("ending").startswith("ian"):
            if given in first and plain and not ordinary(given, common):
                yield match.start(), match.end()
        elif given and plain and (given in first or not ordinary(given, common)):
            yield match.start(), match.end()
        else:
            yield match.span("surname")


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
    if lower in NOT_NAME_WORDS or words[0].lower() in MONTHS_AND_DAYS:
        return
    closing = match.group("closing") or CLOSING_LINE.search(text, max(0, match.start() - 60), match.start() + 1)
    if lower in COMMON_FIRST_NAMES or (lower in EXTRA_COMMON and lower not in PARTICLES):
        if closing and lower in first and lower not in MONTHS_AND_DAYS:
            yield match.span("name")  # "LG Max", "Thanks, Will"
        return
    if not match.group("closing") and match.group(0).lstrip(" \t")[:1] in ",:;":
        return  # "He is in Cork, Ireland": a comma closes lists of places as often as it leads to a name
    if lower in first or (closing and words_ok(words, lists, strict=False)):
        yield match.span("name")


#: A line that closes a message ("Thank you and God bless.", "Kind regards,") right before the last line.
CLOSING_LINE = re.compile(r"(?i:thank|thanks|regards|cheers|bless|best|wishes|sincerely|faithfully|truly|grüße|gruß|"
                          r"cordialement|saludos|saluti|groet|cumprimentos|hilsen|pozdrawiam|mvh|mfg|lg)\W*\n\s*\Z")



CAPS_LINE = re.compile(rf"(?m)^[ \t]*(?P<name>[{UP}]{{2,}}(?:[ '’-][{UP}]{{2,}}){{1,3}})[ \t]*$")


def caps_line_names(text: str, lists: Lists) -> Iterator[tuple[int, int]]:
    """A line that is a name in capitals ("GARY PEMBERTON" above his address)."""
    first, last, common = lists
    for match in CAPS_LINE.finditer(text):
        words = re.split(r"[ '’-]", match.group("name").lower())
        bare = [strip_marks(w) for w in match.group("name").lower().split()]
        if (east_asian(bare) or (len(bare) == 2 and bare[0] in last and bare[1] in first and bare[0] not in common
                                 and bare[1] not in common)) and not any(w in NOT_NAME_WORDS for w in bare):
            yield match.span("name")  # "PARK JI-HOON", "YAMAMOTO KENJI", "MÜLLER HANS": surname first
            continue
        if strip_marks(words[0]) in first and words[0] not in common and words[0] not in COMMON_FIRST_NAMES and not any(
                w in NOT_NAME_WORDS or (w in common and w not in last) for w in words):
            yield match.span("name")


#: A name in Hangul, Chinese characters or kana, in brackets right after a name ("(박지훈)", "(張偉)").
NATIVE_SCRIPT = re.compile(r"[A-Za-z\u00c0-\u024f]\)?[ ]?\((?P<name>[\uac00-\ud7a3\u4e00-\u9fff\u3040-\u30ff]{2,6})\)")


# --- chat transcripts, passenger lists, passports (issue 18, ninth pass) -----------------------------

#: A speaker's label at the start of a line of a chat transcript: "Sipho Mahlangu: hi", "[10:02] Anna: ok".
SPEAKER = re.compile(rf"(?m)^[ \t]*(?:\[?\d{{1,2}}:\d{{2}}(?::\d{{2}})?\]?[ \t]*)?(?P<name>{FULL})[ \t]*:[ \t]+\S")
#: Words that open a line with a colon without being a speaker (headers, notes, fields).
NOT_SPEAKERS = frozenset({"subject", "date", "sent", "to", "cc", "bcc", "from", "re", "fw", "fwd", "note", "notes",
                          "update", "edit", "ps", "status", "reason", "tracking", "reference", "address", "email",
                          "phone", "mobile", "tel", "total", "price", "amount", "item", "items", "product", "model",
                          "serial", "error", "issue", "problem", "question", "answer", "summary", "details",
                          "description", "comment", "comments", "warning", "important", "attention", "urgent"})
#: An airline's name record: "SMITH/JOHN MR", "NGUYEN/THI HOA MS", "OKAFOR/CHIDI EMMANUEL".
PNR_NAME = re.compile(rf"(?<![\w/])(?P<name>[{UP}]{{2,}}(?:[ '-][{UP}]{{2,}})?/[{UP}]{{2,}}"
                      rf"(?:[ ](?!(?:MRS|MR|MS|MSTR|MISS|DR|CHD|INF)(?![\w/]))[{UP}]{{2,}}){{0,2}})"
                      r"(?:[ ]?(?P<title>MRS|MR|MS|MSTR|MISS|DR|CHD|INF))?(?![\w/])")
#: A surname in capitals before the given name, as official forms write it: "ZHANG Wei", "DUPONT Marie".
CAPS_SURNAME = re.compile(rf"(?<![\w'’-])(?P<sur>[{UP}]{{2,}}(?:-[{UP}]{{2,}})?)[ ](?P<given>{CAP_WORD}(?:[ -]{CAP_WORD})?)(?![\w'’])")


#: Issue 18, tenth pass: a passport's "SURNAME, Given" or "SURNAME SURNAME, GIVEN" ("NASSER, Omar",
#: "SANTOS DIZON, LOURDES", "DE LA CRUZ, Maria"): a listed surname in capitals, a comma, a listed first name.
CAPS_COMMA = re.compile(rf"(?<![\w'’-])(?P<sur>[{UP}]{{2,}}(?:[ -][{UP}]{{2,}}){{0,2}}),[ ]"
                        rf"(?P<given>(?:[{UP}]{{2,}}|{CAP_WORD})(?:[ ](?:[{UP}]{{2,}}|{CAP_WORD}))?)(?![\w'’])")


#: A name alone on its line right above the first line of an address ("Tendai Moyo\nFlat 3, 12 High St"):
#: a house number, a unit word or a street word opens the next line.
NAME_ABOVE_ADDRESS = re.compile(
    rf"(?m)^[ \t]*(?P<name>{FULL}|[{UP}]{{2,}}(?:[ '’-][{UP}]{{2,}}){{1,4}})[ \t]*,?[ \t]*\n[ \t]*"
    rf"(?=\d{{1,5}}[A-Za-z]?\b|(?i:flat|apt|apartment|unit|suite|house|"
    rf"c/o|po box|p\.o\.|calle|c/|rua|rue|via|viale|av\.|avenida|avda|ul\.|carrer|plaza|piazza|room|block|blk|"
    rf"building|bldg|residencia|wohnung)\b|[{UP}][{LOW}]+(?:straße|strasse|str\.|weg|gasse|allee|straat|laan|gracht|"
    rf"vej|gatan|gate|veien|katu|utca|ulica)\b)")
#: "please ask Tendai Moyo to call me", "tell Mekdes Tadesse", "cc Rizal Pratama": a verb of asking or
#: telling a person, then a full name (two words or more, none an ordinary word).
ASK_CUE = re.compile(r"(?<!\w)(?:ask|tell|remind|thank|inform|notify|ping|cc|let|have|get|bitte|fragen sie|sagen sie|"
                     r"demandez à|dites à|pregunte a|dile a|pregúntale a|chieda a|dica a|vraag|zeg tegen)[ ]+")
ASK_HINTS = ("ask", "tell", "remind", "thank", "inform", "notify", "ping", "cc", "let", "have", "get", "bitte",
             "fragen sie", "sagen sie", "demandez", "dites", "pregunte", "dile", "pregúntale", "chieda", "dica",
             "vraag", "zeg tegen")


#: Issue 18, twentieth pass: the honorifics that Indonesian, Malay, Thai and Filipino writers put before a name in
#: Latin letters ("Bapak Sutrisno", "Bu Sri", "Encik Razak", "Puan Rosmah", "Khun Somsri", "Gng. Santos", "Kuya
#: Mark", "Sir Rommel"), and the Indonesian and Malay "saya" (I am) before a name ("Halo kak, saya Rina.").
#: A capitalised word after one is a name even when no list holds it (most Indonesian names are in none).
ASIAN_TITLE = re.compile(
    r"(?P<title>Bapak|Ibu|Encik|Puan|Khun|Gng\.|Ginang|Ginoo|Bb\.|Binibini|Datuk|Dato['’]?|Datin|Tan Sri|"
    r"Puan Sri|Hajah|Saudara|Saudari|Sdr\.|Sdri\.|Sir|Ma['’]am|Madam|Mdm\.?|Kuya|Pak|Bu|Mas|Mbak|Kak|Bang|Cik|Tuan|Haji|"
    r"Hj\.|Ate|Tita|Tito|Manong|Manang|Ka|[Ss]aya|[Nn]ama saya|[Aa]ku|"
    # Indonesian and Malay relations: "istri saya Wulan", "saya mamanya, Lilis" (I am his mother, Lilis)
    r"(?:[Ii]stri|[Ii]steri|[Ss]uami|[Aa]nak|[Ii]bu|[Aa]yah|[Bb]apak|[Mm]ama|[Pp]apa|[Kk]akak|[Aa]dik|[Tt]eman|[Aa]bang)"
    r" (?:saya|aku|kami)|[Ss]aya (?:mama|papa|ibu|ayah|istri|suami|kakak|adik)nya(?=,))[ ]*,?[ ]+(?=[A-Z])")
#: The titles that are words of other languages too (Turkish "bu", Portuguese "mas", English "ate", Tagalog's
#: "ka"): they count only in a text with Indonesian, Malay or Tagalog words (SEA_WORDS).
SEA_ONLY_TITLES = frozenset({"Pak", "Bu", "Mas", "Kak", "Bang", "Cik", "Tuan", "Haji", "Hj.", "Ate", "Tita", "Tito",
                             "Manong", "Manang", "Ka", "Saya", "saya", "Nama saya", "nama saya", "Aku", "aku"})
SAYA_WORDS = ("saya", "aku")
SEA_WORDS = (" saya", "terima kasih", "makasih", "mohon", " yang ", "sudah", "tidak", "belum", " sila", "boleh",
             "untuk", " po ", " po,", " po.", " po!", "salamat", " lang ", " naman", " yung ", " ang ", " ng ", "dengan",
             " ini", " itu", "bisa", "tolong", " ada ", " dari ", " kak", " ya ", "halo", "selamat", " ko ", " mo ", "pesanan",
             "paket", "barang", "encik", "puan", "bapak", "ibu ")
#: Capitalised words after those titles that are offices, places or things, not names ("Ibu Kota", "Pak RT",
#: "Madam President", "Sir Or Madam").
NOT_AFTER_TITLE = frozenset({
    "kota", "negara", "presiden", "menteri", "guru", "dokter", "polisi", "lurah", "camat", "ketua", "direktur",
    "admin", "kurir", "sopir", "driver", "manager", "bos", "boss", "or", "and", "madam", "sir", "president", "chair",
    "chairman", "speaker", "secretary", "senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu", "isnin",
    "khamis", "ahad", "januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus", "september",
    "oktober", "november", "desember", "shopee", "tokopedia", "lazada", "gojek", "grab", "google", "whatsapp",
    "indonesia", "malaysia", "jakarta", "surabaya", "bandung", "medan", "kuala", "manila", "bangkok", "thailand",
    "philippines", "cebu", "davao", "singapore", "dear", "hi", "hello", "salamat", "terima", "mohon", "selamat",
})
#: What may follow a name after "saya" (the name ends its clause, or "from" follows).
SAYA_END = re.compile(r"[ \t]*(?:$|[.,;:!?)\n]|(?:dari|di|yang|dan|from|here|po)\b)")
ASIAN_TITLE_HINTS = ("bapak", "ibu ", "encik", "puan", "khun", "gng.", "ginang", "ginoo", "bb.", "binibini", "datuk",
                     "dato", "datin", "hajah", "saudar", "sdr", "sir ", "ma'am", "ma’am", "madam", "mdm", "kuya", "mbak",
                     "tuan", "haji", "hj.", "tita", "tito", "manong", "manang", "saya")
#: The hints of the short titles, as whole words (" ate " is no "update ").
SHORT_TITLES = ("pak ", "bu ", "mas ", "kak ", "bang ", "cik ", "ate ", "ka ", "aku ")
SHORT_TITLE_HINTS = tuple(f"{before}{title}" for title in SHORT_TITLES for before in " \n")


def asian_title_names(text: str, folded: str) -> Iterator[tuple[int, int]]:
    """Names after the honorifics and the "saya" of South-East Asian writers (ASIAN_TITLE)."""
    if len(folded) != len(text):
        return
    if not any(hint in folded for hint in ASIAN_TITLE_HINTS) and not any(
            hint in folded for hint in SHORT_TITLE_HINTS) and not folded.startswith(SHORT_TITLES):
        return
    sea = None
    for match in ASIAN_TITLE.finditer(text):  # (no look-behind in the pattern: its first letters let sre skip ahead)
        if match.start() > 0 and (text[match.start() - 1].isalnum() or text[match.start() - 1] in "_'’."):
            continue
        title = match.group("title")
        if title in SEA_ONLY_TITLES:
            if sea is None:
                sea = any(word in folded for word in SEA_WORDS)
            if not sea:
                continue
        name = NAME_AT.match(text, match.end())
        if name is None:
            continue
        words = name.group().split(" ")
        kept: list[str] = []
        for word in words:
            lower = strip_marks(word.lower())
            if lower in NOT_AFTER_TITLE or lower in NOT_NAME_WORDS or lower in STOP or lower in MONTHS_AND_DAYS or \
                    lower in PLACE_AFTER:
                break
            kept.append(word)
        while kept and kept[-1].lower() in PARTICLES:
            kept.pop()
        if not kept:
            continue
        end = match.end() + len(" ".join(kept))
        if title.lower() in SAYA_WORDS and (not SAYA_END.match(text, end) or "," in match.group() or (
                text[:match.start()].rstrip(" ")[-1:] not in ("", ".", ",", "!", "?", "\n", ":"))):
            continue  # "saya Google dulu": a verb borrowed; "kucing saya, Oyen": "my cat", not "I am"
        yield match.end(), end


def address_and_ask_names(text: str, folded: str, lists: Lists, gated: bool) -> Iterator[tuple[int, int]]:
    """A name on the line above an address; a full name after a verb of asking or telling."""
    if not gated or "\n" in text:
        for match in NAME_ABOVE_ADDRESS.finditer(text):
            words = match.group("name").split()
            if 2 <= len(words) <= 6 and words_ok(words, lists, strict=False):
                yield match.span("name")
    if len(folded) == len(text) and (not gated or any(w in folded for w in ASK_HINTS)):
        for match in ASK_CUE.finditer(folded):
            name = NAME_AT.match(text, match.end())
            if name is None:
                continue
            words = name.group().split()
            if len(words) >= 2 and strongly_cued(words, lists) and words_ok(words, lists, strict=False):
                yield name.span()


#: Issue 18, eighteenth pass: a one-word speaker label in any case ("marco: hola", "[14:02] tomasz: ok").
SPEAKER_WORD = re.compile(r"(?m)^[ \t]*(?:\[?\d{1,2}:\d{2}(?::\d{2})?\]?[ \t]*)?(?P<name>[^\W\d_][^\W\d_'’.-]*"
                          r"(?:['’.-][^\W\d_]+)?)[ \t]*:[ \t]+\S")
#: Labels that name a role, a party or a log level, not a person, in the languages of the corpus's chats.
ROLE_LABELS = frozenset({
    "agent", "agente", "agentin", "kunde", "kundin", "client", "cliente", "clienta", "customer", "cust", "user",
    "usuario", "usuaria", "usuário", "utilisateur", "utilisatrice", "utente", "bot", "chatbot", "assistant",
    "asistente", "assistente", "system", "sistema", "système", "systeme", "support", "soporte", "suporte", "operator",
    "operador", "operadora", "opérateur", "opératrice", "operatore", "operatrice", "konsultant", "konsultantka",
    "doradca", "berater", "beraterin", "conseiller", "conseillère", "asesor", "asesora", "atendente", "atendimento",
    "caller", "rep", "advisor", "adviser", "tech", "technician", "cs", "csr", "staff", "team", "admin",
    "moderator", "host", "guest", "visitor", "besucher", "visiteur", "visitante", "müşteri", "temsilci",
    "pelanggan", "petugas", "klient", "klientka", "asiakas", "kund", "handläggare", "medarbejder", "zákazník",
    "operátor", "ügyfél", "ügyintéző", "πελάτης", "клиент", "оператор", "агент", "клієнт", "менеджер",
    "консультант", "specialist", "spécialiste", "especialista", "supervisor", "manager", "lead", "me", "you",
    "yo", "moi", "ich", "du", "sie", "tú", "eu", "você", "io", "tu", "ik", "jij", "ja", "ty", "we", "us",
    "error", "warn", "warning", "info", "debug", "trace", "fatal", "critical", "notice", "log", "output", "input",
    "request", "response", "result", "expected", "actual", "steps", "step", "pros", "cons", "tip", "fyi", "nb",
    "http", "https", "ticket", "case", "order", "auto", "automated", "automatic", "internal", "public", "private",
    # the other parties of a service: patients and clinics, riders and couriers, shops, hotels, landlords
    "patient", "patientin", "patiente", "paciente", "pacjent", "pacjentka", "paziente", "patiënt", "hasta",
    "clinic", "klinik", "clínica", "clinique", "klinika", "reception", "recepcja", "rezeption", "réception",
    "recepción", "recepção", "receptionist", "doctor", "dr", "nurse", "pharmacy", "apotheke", "pharmacie",
    "farmacia", "driver", "rider", "courier", "futár", "kurier", "coursier", "repartidor", "entregador",
    "motorista", "fahrer", "chauffeur", "conductor", "passenger", "pasajero", "passageiro", "fahrgast", "seller",
    "vendor", "buyer", "vendedor", "vendedora", "comprador", "verkäufer", "käufer", "vendeur", "acheteur", "shop",
    "store", "tienda", "loja", "laden", "magasin", "sklep", "mağaza", "toko", "hotel", "tenant", "landlord",
    "owner", "employee", "mitarbeiter", "mitarbeiterin", "employé", "employée", "empleado", "empleada",
    "funcionário", "funcionária", "dipendente", "medewerker", "pracownik", "сотрудник", "працівник", "çalışan",
    "karyawan", "klant", "klijent", "kupac", "ügynök", "πράκτορας", "υπάλληλος", "expediteur", "dispatcher",
    "warehouse", "lager", "almacén", "magazyn", "bank", "banco", "banque", "kasse", "cashier", "caixa",
    # email headers in other languages, which a forwarded chain repeats
    "von", "an", "betreff", "gesendet", "datum", "de", "à", "objet", "envoyé", "asunto", "enviado", "para",
    "fecha", "assunto", "data", "oggetto", "inviato", "da", "van", "aan", "onderwerp", "verzonden", "från",
    "till", "ämne", "skickat", "fra", "til", "emne", "sendt", "od", "do", "temat", "wysłano", "předmět",
    "odesláno", "komu", "от", "кому", "тема", "отправлено", "від", "надіслано", "kimden", "kime", "konu",
    "tarih", "gönderildi", "dari", "kepada", "perihal", "tanggal", "subjek", "từ", "đến", "gửi",
    # roles in other scripts
    "العميل", "الزبون", "الموظف", "الوكيل", "المندوب", "الدعم", "النظام", "المريض", "السائق", "الموضوع",
    "לקוח", "נציג", "נציגה", "מערכת", "客户", "客服", "顾客", "用户", "系统", "お客様", "担当者", "オペレーター",
    "고객", "상담원", "상담사", "ลูกค้า", "พนักงาน",
    # issue 18, nineteenth pass: more of the same roles (Swahili, Vietnamese, Spanish and Portuguese variants)
    "mteja", "wakala", "huduma", "msaidizi", "khách", "khach", "ejecutivo", "ejecutiva", "representante",
    "consultor", "consultora", "consulente", "atendenta", "técnico", "tecnico", "técnica", "tecnica",
    "gebruiker", "zákaznice", "zakaznice", "operátorka", "operatorka", "musteri", "temsilcisi", "kundtjänst",
    "kundeservice", "kundeservicen", "ügyfélszolgálat", "servicedesk", "callcenter", "helpdesk", "hotline",
})
#: Stems of role words, inside a compound or with an ending ("Kundenberater", "Servicemedewerker", "Sachbearbeiterin",
#: "Kundtjänst", "Ügyfélszolgálat", "Consultora", "Representante"): a speaker label holding one is a role.
ROLE_STEMS = ("berater", "service", "dienst", "medewerk", "tjänst", "tjanst", "szolgálat", "szolgalat", "operat",
              "consult", "ejecutiv", "executiv", "representa", "gebruik", "zákazn", "zakazn", "kunden", "asiakas",
              "klient", "klant", "support", "soporte", "suporte", "helpdesk", "callcenter", "sachbearbeit",
              "mitarbeit", "medarbet", "ansatt", "hizmet", "destek", "temsilci", "müşteri", "musteri", "pelanggan",
              "atendent", "atendim", "asesor", "agent", "vendedor", "verkäuf", "vendeu", "conseill", "technik",
              "technic", "técnic", "tecnic", "specialist", "especialist", "spécialist", "ügyint", "ügyfél", "ugyfel",
              "kundes", "kundt", "kundserv", "asistent", "assistent", "dispeč", "dispec", "receptio", "recepcion")


def repeated_speakers(text: str, lists: Lists) -> Iterator[tuple[int, int]]:
    """One-word speakers of a transcript, in any case, though no list has them: a label that opens two lines
    or more, in a text where another label opens a line too (a conversation has two sides; a form's fields
    stand once each), and that is no role, field or log word ("marco: hola … marco: 4471", "tomasz: ok")."""
    first, _last, common = lists
    labels: dict[str, list[tuple[int, int]]] = {}
    for match in SPEAKER_WORD.finditer(text):
        labels.setdefault(match.group("name").lower(), []).append(match.span("name"))
    if len(labels) < 2:
        return
    for label, spans in labels.items():
        plain = strip_marks(label)
        if len(spans) < 2 or len(plain) < 3 or label in ROLE_LABELS or plain in ROLE_LABELS or \
                any(stem in label for stem in ROLE_STEMS) or \
                label in NOT_SPEAKERS or label in NOT_NAME_WORDS or plain in NOT_NAME_WORDS or \
                (plain in common and plain not in first) or label in COMMON_FIRST_NAMES:
            continue
        if text[spans[0][0]:spans[0][1]].isupper() and plain not in first:
            continue  # "ERROR:", "HTTP:", "ETA:": a capitalised code, unless a listed first name
        yield from spans


def transcript_names(text: str, lists: Lists) -> Iterator[tuple[int, int]]:
    """Speakers of a chat transcript, names of an airline's record, capital surnames before a given name."""
    first, last, common = lists
    if ":" in text and "\n" in text:
        yield from repeated_speakers(text, lists)
    if ":" in text:
        yield from role_speakers(text, lists)
    if ":" in text:
        speakers = [m for m in SPEAKER.finditer(text)
                    if not any(w.lower() in NOT_SPEAKERS or w.lower() in NOT_NAME_WORDS for w in m.group("name").split())]
        transcript = len({m.group("name") for m in speakers}) >= 2 or len(speakers) >= 3
        timed = transcript and "[" in text and any(text[m.start():m.start("name")].strip() for m in speakers)
        for match in speakers:
            words = match.group("name").split()
            lower = strip_marks(words[0].lower())
            if len(words) == 1:  # (with timestamps, a first name that is also a word: "[10:03] Tom: hi")
                if transcript and lower in first and (lower not in common or timed) and lower not in COMMON_FIRST_NAMES:
                    yield match.span("name")
            elif words_ok(words, lists, strict=True) or (transcript and words_ok(words, lists, strict=False)):
                yield match.span("name")
    if "/" in text:
        records = list(PNR_NAME.finditer(text))
        sure = set()
        for number, match in enumerate(records):
            parts = [strip_marks(w.lower()) for w in re.split(r"[ /'-]", match.group("name"))]
            if match.group("title") or ((parts[0] in last or parts[0] in PARTICLES) and any(p in first for p in parts[1:])):
                sure.add(number)
        # issue 18, tenth pass: records listed beside a sure one are names too ("CHAUDHRY/IMRAN, LIM/BOON KEAT")
        for number, match in enumerate(records):
            if number in sure or (sure and not any(w.lower() in NOT_NAME_WORDS for w in re.split(r"[ /'-]", match.group("name")))):
                yield match.span("name")
    if ", " in text:
        for match in CAPS_COMMA.finditer(text):
            surs = [strip_marks(w.lower()) for w in re.split(r"[ -]", match.group("sur"))]
            given = strip_marks(match.group("given").split()[0].lower())
            if any(w in last or w in first for w in surs) and given in first and given not in common and \
                    not any(w in NOT_NAME_WORDS for w in surs) and given not in NOT_NAME_WORDS:
                yield match.span()
    for match in CAPS_SURNAME.finditer(text):
        sur = strip_marks(match.group("sur").lower())
        given = strip_marks(match.group("given").split()[0].lower())
        if ((sur in last and sur not in common) or sur in CHINESE_SURNAMES or sur in KOREAN_SURNAMES
                or sur in VIETNAMESE_SURNAMES) and given in first and given not in common and sur not in NOT_NAME_WORDS:
            yield match.span()


#: Issue 18, pass 26: a chat's speaker named after the role ("Agent Marta:", "Agente Rocío:", "Temsilci Gizem:",
#: "Konsultantka Ola:"): the role is no part of the name, and a listed first name counts though it is a word too.
ROLE_SPEAKER = re.compile(
    rf"(?m)^[ \t]*(?:\[?\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:[ ]?[AP]M)?\]?[ \t]*)?(?i:agent|agente|atendente|operator|"
    rf"operátor|operátorka|operatore|operatrice|operador|operadora|konsultant|konsultantka|temsilci|asesor|asesora|"
    rf"support|rep|advisor|adviser|doradca|poradce|σύμβουλος|εκπρόσωπος|оператор|консультант|"
    # pass 27: the customer's and the employee's roles in more languages ("Kunde Karl-Heinz:", "Mitarbeiter Tom:"),
    # where only a listed first name counts ("Cliente Portal:" is a product's)
    rf"(?P<party>kunde|kundin|mitarbeiter|mitarbeiterin|berater|beraterin|conseiller|conseillère|"
    rf"cliente|clienta|klant|medewerker|medewerkster|kund|medarbejder|asiakas|klient|klientka|müşteri|pelanggan|"
    rf"petugas))[ \t]+"
    rf"(?P<name>{CAP_WORD}(?:[ ]{CAP_WORD})?)[ \t]*:")


def role_speakers(text: str, lists: Lists) -> Iterator[tuple[int, int]]:
    """The names in ROLE_SPEAKER's labels: a listed first name or words that pass `words_ok`."""
    first = lists[0]
    for match in ROLE_SPEAKER.finditer(text):
        words = match.group("name").split()
        listed = all(part in first for part in strip_marks(words[0].lower()).split("-"))
        if (listed and words[0].lower() not in NOT_NAME_WORDS) or \
                (not match.group("party") and words_ok(words, lists, strict=False)):
            yield match.span("name")


#: Issue 18, pass 26: an agent's or a customer's introduction in the languages of Southern, Central and Eastern
#: Europe, Turkey, Greece and Arabic written in Latin letters ("le atiende Marta", "aqui é a fernanda", "z tej
#: strony Kasia", "είμαι η κατερίνα", "ana esmi Mona"); a listed first name counts there even when it is a word too
#: ("Marta", a marten), so long as its clause ends after it.
INTRO_CUE = re.compile(
    r"(?<![\w'’])(?:(?:le|te|les) (?:atiende|habla|saluda)|(?:está|esta) (?:falando|a falar) com (?:a|o)|"
    r"(?:fala|aqui é|aqui e|sou) (?:a|o)|z tej strony|u telefonu|s vámi mluví|είμαι (?:η|ο)|με λένε|(?:ana|w) esmi|"
    r"esmi|ismim|benim adım|benim adim|tôi là|tôi tên là|mình là|em là)[ ,]+")
INTRO_HINTS = ("atiende", "habla", "saluda", "falando", "a falar", "fala ", "aqui ", "sou ", "strony", "telefonu",
               "mluví", "είμαι", "λένε", "esmi", "ismim", "adım", "adim", " là")
INTRO_CLAUSE_END = re.compile(r"[ \t]*(?:$|[.,;:!?)\n]|(?:y|e|i|da|del|de|do|z|ze|από|και|w)\b)")


RELATION_AFTER = re.compile(rf"(?:{RELATION_WORDS}|{ROLE_WORDS}|mãe|mae|pai|avó|avô|tia|tio|esposa|marido)(?![\w'’-])")


def vietnamese_name_at(text: str, at: int) -> bool:
    """Whether the words at `at` open with a Vietnamese surname, or with a capital."""
    word = NAME_PIECE.match(text, at)
    return word is not None and (word.group()[0].isupper() or strip_marks(word.group().lower()) in VIETNAMESE_SURNAMES)


def romanised(word: str) -> str:
    """`word` in Latin letters when it is Greek ("κατερίνα": "katerina"), as the lists hold it."""
    return romanise_greek(word) if GREEK_WORD.match(word) else word


GREEK_WORD = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")


def intro_names(text: str, folded: str, lists: Lists) -> Iterator[tuple[int, int]]:
    """The names after INTRO_CUE: as `named_at` reads them, else a listed first name ending its clause."""
    if len(folded) != len(text) or not any(w in folded for w in INTRO_HINTS):
        return
    first = lists[0]
    for match in INTRO_CUE.finditer(folded):
        if RELATION_AFTER.match(folded, match.end()):
            continue  # "Sou a mãe, Cláudia": a relation, then the name (relation_names reads it)
        if match.group().rstrip(" ,").endswith("là") and not vietnamese_name_at(text, match.end()):
            continue  # "tôi là phụ huynh của cháu …": "I am the parent of", no name
        found = list(named_at(text, match.end(), lists))
        if found:
            yield from found
            continue
        word = NAME_PIECE.match(text, match.end())
        if word is not None and strip_marks(romanised(word.group()).lower()) in first and \
                INTRO_CLAUSE_END.match(text, word.end()) and word.group().lower() not in STOP:
            yield word.span()


#: Issue 18, pass 26: Turkish puts its honorific and "in the name of" after the name, and chats write it in lower
#: case ("merhaba mehmet bey", "ayşe hanım", "kart burak demir adına"): one or two words before the cue, led by a
#: listed first name (`fold`ed: "hanım" reads "hanim").
TURKISH_AFTER = re.compile(r"(?<![\w'’-])(?P<name>[^\W\d_]{2,}(?:[ ][^\W\d_]{2,})?)[ ]+(?:(?P<title>bey|hanim|beyefendi|"
                           r"hanimefendi)|adina|adına)(?![\w'’-])")
TURKISH_HINTS = (" bey", " hanim", " adina", " adına")


def turkish_after_names(text: str, folded: str, lists: Lists) -> Iterator[tuple[int, int]]:
    """Names before Turkish "bey", "hanım" (the first name alone) or "adına" (a first name and a surname)."""
    if len(folded) != len(text) or not any(w in folded for w in TURKISH_HINTS):
        return
    first, _last, common = lists
    for match in TURKISH_AFTER.finditer(folded):
        words = match.group("name").split()
        start = match.start("name")
        if match.group("title") is not None or len(words) == 1:
            words, start = words[-1:], match.end("name") - len(words[-1])
            if strip_marks(words[0]) in first and not ordinary(words[0], common) and words[0] not in STOP:
                yield start, match.end("name")
        elif strip_marks(words[0]) in first and listed_surname(strip_marks(words[1]), lists) and \
                not ordinary(words[0], common):
            yield start, match.end("name")


# --- the whole pass --------------------------------------------------------------------------------

def find_cued_names(text: str, folded: str, gated: bool = True) -> Iterator[tuple[int, int]]:
    """(start, end) of the names the eighth pass's cue rules find; `folded` is `text` lower-cased."""
    lists = gazetteer()
    yield from relation_names(text, folded, lists)  # (no gate: its 190 words cost more to look for one by one)
    if not gated or any(w in folded for w in NAME_IS_HINTS) or any(w in folded for w in FIELD_HINTS):
        yield from name_is_names(text, folded, lists)
    if not gated or any(w in folded for w in ("vagyok", "desu", "imnida", "ibnida", "da yo", "olarak")):
        for match in BEFORE_INTRO.finditer(text):
            yield match.span("name")
    yield from after_cue_names(text, folded, lists, gated)
    yield from header_names(text, folded, lists)
    yield from uncased_cue_names(text, folded, lists)
    yield from script_cue_names(text)
    from feedbackloop.core.script_names import script_names  # (it reads this module's scripts: imported here)
    yield from script_names(text)
    yield from surname_first_names(text, lists)
    yield from closing_names(text, lists)
    if not gated or any(w in folded for w in CAUCASIAN_HINTS):
        yield from caucasian_names(text, lists)
    yield from caps_line_names(text, lists)
    yield from transcript_names(text, lists)
    yield from address_and_ask_names(text, folded, lists, gated)
    yield from asian_title_names(text, folded)
    yield from turkish_after_names(text, folded, lists)
    yield from intro_names(text, folded, lists)
    yield from asian_forms(text, folded)
    if not gated or any(w in folded for w in ("me, ", "moi, ", "moi-même, ", "mí, ", "mir, ", "mich, ")):
        for match in ME_NAMED.finditer(text):
            words = match.group("name").split()
            if len(words) >= 2 and words_ok(words, lists, strict=False) and \
                    strip_marks(words[0].lower()) not in MONTHS_AND_DAYS:
                yield match.span("name")
    if not gated or (":" in text and any(w in folded for w in LIST_CUE_HINTS)):
        yield from listed_after_cue(text, folded, lists)
    if not gated or "(" in text:
        for match in NATIVE_SCRIPT.finditer(text):
            yield match.span("name")


#: Issue 18, pass 21: Malaysia's and Singapore's Indian names with "son of" or "daughter of" between the given
#: name and the father's ("Rajesh a/l Muniandy", "Kavitha a/p Subramaniam", "Muthu s/o Krishnan"): no cue needed.
CHILD_OF = re.compile(rf"(?<![\w'’-])(?P<name>{CAP_WORD}(?:[ ]{CAP_WORD}){{0,2}}[ ](?i:a/l|a/p|s/o|d/o|anak)[ ]"
                      rf"{CAP_WORD}(?:[ ]{CAP_WORD}){{0,2}})(?![\w'’])")
CHILD_OF_MARK = re.compile(r"(?i:(?<![\w/])(?:a/l|a/p|s/o|d/o)(?![\w/]))")
#: A Japanese or Korean honorific after a romanised name ("Sato-san", "Tanaka-sama", "Minji-ssi"): the name and
#: the honorific are found together.
HONORIFIC_AFTER = re.compile(rf"(?<![\w'’-])(?P<name>{CAP_WORD}-(?:san|sama|kun|chan|sensei|senpai|shi|dono|ssi|nim))"
                             r"(?![\w-])")
#: A title before a family name in capitals ("Dear Ms WATANABE", "Mr TAN will call", "Mdm LIM"), as forms and
#: airlines write it; short capitals count when they are a listed East Asian surname ("Mr NG", "Ms HO").
TITLE_CAPS = re.compile(r"(?<![\w.])(?:Mr|Mrs|Ms|Miss|Mdm|Madam|Dr|Prof|Mx)\.?[ ](?P<name>[A-Z]{2,}(?:[-'’][A-Z]{2,})?)"
                        r"(?![\w'’-])")


def asian_forms(text: str, folded: str) -> Iterator[tuple[int, int]]:
    """Names in the forms of CHILD_OF, HONORIFIC_AFTER and TITLE_CAPS."""
    if "/" in text or "anak" in folded:
        for match in CHILD_OF.finditer(text):
            yield match.span("name")
    if "-" in text:
        for match in HONORIFIC_AFTER.finditer(text):
            yield match.span("name")
    if "m" in folded or "dr" in folded or "prof" in folded:
        for match in TITLE_CAPS.finditer(text):
            word = match.group("name")
            low = word.lower()
            if (len(word) > 2 and word not in CAPITAL_NOT_NAMES) or low in CHINESE_SURNAMES or \
                    low in KOREAN_SURNAMES or low in VIETNAMESE_SURNAMES or low in SOUTHERN_SURNAMES:
                yield match.span("name")


#: Capitals after a title that are no family name ("Dr. NO", "Mr ABC Ltd").
CAPITAL_NOT_NAMES = frozenset({"AND", "THE", "FOR", "YOU", "ALL", "NOT", "OFF", "ASAP", "PLS", "TBC", "TBD", "NA",
                               "N/A", "UNKNOWN", "NIL", "NONE", "SIR", "MADAM", "OK", "YES", "NO", "ABC", "XYZ", "DIY",
                               "BEAN", "PRICE", "BIG", "COOL", "FIX", "FIXIT", "TOY", "CLEAN", "FOOD", "POTATO"})


#: Issue 18, sixteenth pass: a first name typed all in lower case or all in capitals right after a
#: self-introduction or a relation ("its jess again lol", "some guy named brett", "I AM EILEEN", "MY WIFE
#: GLORIA"): there only a listed first name that is no ordinary word counts ("its will", "named june" do not).
#: Pass 25: and in chat, after a greeting or a thanks ("hi sandeep, my card", "thanks kev,", "regards, abhishek"),
#: a verb that passes something to a person ("ask priya about", "fwd to aoife", "check with fiona", "cc ngozi") or
#: more relations ("my mate jonno", "my boss funmi"). The `closed` cues need the clause closed after the name.
#: Pass 27: the greetings and thanks of the other languages of the corpus ("bonjour marie-claire,", "hallo karl-heinz",
#: "gracias maría"), and hyphenated given names ("hi jean-baptiste,": every part a listed first name).
UNCASED_CUE = re.compile(
    r"(?<![\w'’])(?:(?P<closed>it['’]?s|i am|i['’]?m|hi|hey|hiya|hello|morning|thanks|thank you|thx|ta|cheers|regards|"
    r"bye|bonjour|salut|coucou|merci|hallo|servus|moin|danke|hola|buenas|gracias|grazie|olá|ola|oi|obrigad[oa]|"
    r"hej|hei|tack|takk|dank je|bedankt|cześć|dzięki|merhaba)|named|called|ask|tell|ping|remind|cc|bcc|fwd to|forward(?:ed)? (?:it |this )?to|(?:check|checked|"
    r"talk|talked|speak|spoke|chat|chatted) (?:to|with)|my (?:wife|husband|son|daughter|mom|mum|mother|dad|father|"
    r"sister|brother|partner|gran|grandma|grandmother|grandson|granddaughter|aunt|uncle|friend|neighbou?r|mate|"
    r"boss|colleague|manager|cousin|flatmate|roommate|housemate|girlfriend|boyfriend|fianc[eé]e?|nephew|niece))"
    r"[ \t]*[,:]?[ \t]+(?P<rest>(?P<word>[^\W\d_]{3,}(?:-[^\W\d_]{2,})?))(?![\w'’-])")  # (`overlapping` goes on at `rest`)
#: What may follow a name after "I am" or "it's": the end of a clause, or a word that closes an introduction.
INTRO_END = re.compile(r"[ \t]*(?:$|[.,;:!?)\n-]|(?:again|here|btw|lol|from|speaking|calling|writing|and|its|it['’]s|"
                       r"im|i['’]m)\b)")


def uncased_cue_names(text: str, folded: str, lists: Lists) -> Iterator[tuple[int, int]]:
    """Listed first names in one case (all lower or all capitals) right after UNCASED_CUE."""
    if len(folded) != len(text):
        return
    first, _, common = lists
    for match in overlapping(UNCASED_CUE, folded):
        word = text[match.start("word"):match.end("word")]
        lower = match.group("word")
        if (word.islower() or word.isupper()) and listed_given(lower, first, common) and lower not in STOP \
                and lower not in RELATION_VERBS:  # pass 24: "my son said it", not a son named Said
            if match.group("closed") and not INTRO_END.match(folded, match.end()):
                continue  # "I am grant funded", "thanks heaps": after "I am", "it's" or "hi" the name ends its clause
            yield match.span("word")


def listed_given(lower: str, first: frozenset[str], common: frozenset[str]) -> bool:
    """Whether a lower-case word is a listed first name and no ordinary word, or a hyphenated given name whose every
    part is a listed first name, one of them no ordinary word ("marie-claire", "jean-baptiste", "karl-heinz"; pass
    27)."""
    parts = strip_marks(lower).split("-")
    return all(part in first for part in parts) and not all(ordinary(part, common) for part in parts)


#: Issue 18, seventeenth pass: names written in scripts without capitals, after the words that introduce a
#: person in those languages ("收货人：王晓明", "我叫李浩", "氏名：高橋 健一", "받는 사람: 김민준", "الاسم: منى
#: إبراهيم حسن", "שם: יוסי לוי") or before an honorific ("黃志明先生", "中村 恵子様", "정태호 고객님").
HAN, KANA, HANGUL, ARABIC, HEBREW, DEVANAGARI = (script_letters.HAN, script_letters.KANA, script_letters.HANGUL,
                                                  script_letters.ARABIC, script_letters.HEBREW,
                                                  script_letters.DEVANAGARI)
SCRIPT_NAME = (rf"(?:[{HAN}]{{2,4}}(?:[ ][{HAN}]{{1,3}})?|[{HANGUL}]{{2,7}}|[{ARABIC}]{{2,}}(?:[ ][{ARABIC}]{{2,}}){{0,3}}|"
               rf"[{HEBREW}]{{2,}}(?:[ ][{HEBREW}]{{2,}}){{0,2}}|[{DEVANAGARI}]{{2,}}(?:[ ][{DEVANAGARI}]{{2,}}){{0,3}})")
SCRIPT_CUE_BEFORE = re.compile(
    r"(?:收货人|收件人|联系人|姓名|名字|用户|客户|我叫|我是|氏名|名前|お名前|お客様（|받는 사람|성함|이름은|저는(?: 엄마| 아빠)?|"
    r"الاسم|والاسم|سميتي|اسمي|العميلة|العميل|الموظفة|الموظف|שם|שמי|הלקוחה|הלקוח|——|"
    # issue 18, eighteenth pass: Hindi and Urdu "my name (is)", "name:"
    r"मेरा नाम|नाम|میرا نام|"
    # issue 18, pass 20: Persian's "my name (is)", "first and family name:", "full name:" before its "name"
    r"اسم من|نام من|اسمم|نامم|نام و نام خانوادگی|نام کامل|نام(?![ \t]*(?:و[ ]نام|خانوادگی)))[ \t]*[:：]?[ \t]*"
    r"(?:客户|客戶|用户|用戶|会员|會員|顾客|顧客)?"  # ("我是客户陈志远": issue 18, twentieth pass)
    rf"(?P<name>{SCRIPT_NAME})")
#: Issue 18, eighteenth pass: introductions that follow the name: Japanese "田中太郎と申します", Korean
#: "안녕하세요 김민수입니다" (after a greeting or at a line's start, a surname first), Hindi and Urdu "मैं प्रिया
#: वर्मा बोल रही हूँ", "میں عمران بول رہا ہوں" (I am X speaking).
SCRIPT_CUE_AFTER = (
    re.compile(rf"(?P<name>[{HAN}]{{2,4}}(?:[ ][{HAN}]{{1,3}})?)(?:と申します|と申し上げ|といいます|と言います)"),
    re.compile(rf"(?:안녕하세요[.,!]?[ ]*|^|\n)(?P<name>[{HANGUL}]{{3}})입니다"),
    re.compile(rf"मैं[ ](?P<name>[{DEVANAGARI}]{{2,}}(?:[ ][{DEVANAGARI}]{{2,}})?)[ ]बोल[ ]रह"),
    re.compile(rf"میں[ ](?P<name>[{ARABIC}]{{2,}}(?:[ ][{ARABIC}]{{2,}})?)[ ]بول[ ]رہ"),
)
SCRIPT_TITLE_AFTER = re.compile(rf"(?P<name>[{HAN}]{{2,3}}(?:[ ][{HAN}]{{1,3}})?|[{HANGUL}]{{3}})[ ]?(?:先生|女士|小姐|様|さん|"
                                r"고객님|님|씨)")
SCRIPT_SUFFIXES = script_letters.SCRIPT_SUFFIXES
SCRIPT_STOP_WORDS = script_letters.SCRIPT_STOP_WORDS
SCRIPT_STOP_CHARS = script_letters.SCRIPT_STOP_CHARS

def script_cue_names(text: str) -> Iterator[tuple[int, int]]:
    """Names in Han, Hangul, Arabic or Hebrew script after a word that introduces a person, or before a title."""
    if not any(ord(char) > 0x590 for char in text):
        return
    japanese = KANA.search(text) is not None
    for match in SCRIPT_CUE_BEFORE.finditer(text):
        yield from script_name(text, match.start("name"), match.end("name"), japanese)
    for pattern in (SCRIPT_TITLE_AFTER, *SCRIPT_CUE_AFTER):  # the name before a title or an introduction
        for match in pattern.finditer(text):
            name = match.group("name")
            cut = max(name.rfind(char) for char in "的们們是和与與")
            if cut >= 0 and not japanese and "\u3400" <= name[0] <= "\u9fff":
                # "尊敬的张伟先生": the name after a particle, if two characters are left (issue 18, twentieth pass)
                if len(name) - cut - 1 >= 2 and name[cut + 1] in script_letters.HAN_SURNAME_CHARS:
                    yield from script_name(text, match.start("name") + cut + 1, match.end("name"), japanese)
                continue
            if "\uac00" <= name[0] <= "\ud7a3" and name[0] not in script_letters.KOREAN_SURNAMES:
                continue
            yield from script_name(text, match.start("name"), match.end("name"), japanese)


without_script_suffixes = script_letters.without_script_suffixes
script_name = script_letters.script_name


# --- growing and spreading what was found ----------------------------------------------------------

GROW_RIGHT = re.compile(rf"(?P<particles>(?:[ ]{PARTICLE}){{0,2}}|-{PARTICLE})[ ](?P<word>{CAP_WORD})|-(?P<part>[{UP}][{LOW}]+)")
HYPHEN_PARTICLE_END = re.compile(rf"-{PARTICLE}\Z")
#: Issue 18, ninth pass: a listed first name right before a name found ("Andrés Felipe Cárdenas", "Martín
#: Ezequiel Gómez": the lists hold "Andrés", "Martín", "Rafael" as places too).
FIRST_BEFORE = re.compile(rf"(?<![\w'’.-])(?P<word>{CAP_WORD})[ ]\Z")
#: A listed first name and a Spanish particle of the Philippines' surnames before a surname ("Juan dela Cruz").
PARTICLE_FIRST_BEFORE = re.compile(rf"(?<![\w'’.-])(?P<word>{CAP_WORD})(?:[ ]{CAP_WORD})?[ ](?:dela|de la|delos|de los|"
                                   r"del|De La|Dela|Delos|De Los)[ ]\Z")
PARTICLE_TITLE_BEFORE = re.compile(r"(?<![\w.])(?:Mr|Mrs|Ms|Miss|Mdm|Sir|Ma['’]am|Dr|Atty|Engr|Sr|Sra)\.?[ ]"
                                   r"(?P<particle>dela|de la|delos|de los|del|De La|Dela|Delos|De Los)[ ]\Z")
#: Issue 18, pass 24: the Arabic "father of" and "mother of" that make a name of the child's ("Abu Ali", "Umm
#: Khalid"): the name found is the child's, and the whole is the parent's.
KUNYA = r"(?:Abu|Abou|Umm|Oum)"
#: Initials and name abbreviations before a name: "K. ", "J.-B. ", "Ma. ", "Mª ", "Md. ", "S. van der ", "Abu ".
GROW_LEFT = re.compile(rf"(?<![\w.])(?:(?:[{UP}]\.-?[ ]?){{1,3}}|(?:Ma|Mª|Md|Mohd|Muhd)\.?[ ]|{KUNYA}[ ])(?:{PARTICLE}[ ]){{0,2}}\Z")
#: Issue 18, pass 24: the particles of Arabic names, after which any capitalised word is the name's ("Tarek El
#: Sayed", "Noura Al Suwaidi", "Saeed bin Khalfan"): the lists hold few of the family names they join.
ARABIC_PARTICLE = re.compile(r"[ -](?i:al|el|bin|bint|ibn|abu|abou)")
#: An initial in a name found ("A. Yılmaz", "Ivanova A.V."), which `placed` must not read as the article "a".
INITIAL = re.compile(rf"(?<![^\W\d_])[{UP}]\.(?![{LOW}])")
#: The initials of the given names after a surname, as Russian, Ukrainian and Georgian writers sign and list
#: people ("Ivanova A.V.", "Petrova E. N.", "Beridze N. signed"): two initials, or one before a lower-case word
#: or that closes the phrase.
INITIALS_AFTER = re.compile(rf"(?P<initials>[ ][{UP}]\.[ ]?[{UP}]\.|[ ][{UP}]\.(?=[ \t]*(?:[,;)\n]|\Z)|[ ][a-z]))")
SPELLED = re.compile(r"(?<![\w-])[A-Z](?:-[A-Z]){3,}(?![\w-])")
NAME_PIECE = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
NEXT_WORD = re.compile(rf"[ ]+(?P<word>[{UP}][{LOW}]+)")
WORD_BEFORE = re.compile(rf"(?P<word>[^\W\d_]+)\.?[ ]+(?:{PARTICLE}[ ]+){{0,2}}\Z")
HOUSE_NUMBER_BEFORE = re.compile(r"(?<![\w.,/:-])\d{1,5}[A-Za-z]?[ ]\Z")
NUMBER_AFTER = re.compile(r"[ ]?-?\d")
ARTICLE_BEFORE = re.compile(r"(?<![\w])(?:the|het|The|Het|(?:bij|naar) de)[ ]\Z")


def ordinary(word: str, common: frozenset[str]) -> bool:
    """Whether `word` (lower case) is an ordinary word or place of the lists, with or without its accents."""
    return word in common or strip_marks(word) in common


def grow(text: str, start: int, end: int, lists: Lists) -> tuple[int, int]:
    """The name at text[start:end] with the name words right beside it: surnames (after particles, only
    listed ones: "Tremblay de Montréal" is a place) and hyphenated parts after it, initials or an
    abbreviated first name before it."""
    first, last, common = lists
    words = len(text[start:end].split())
    while words < 6:
        match = GROW_RIGHT.match(text, end)
        if match is None:
            break
        word = match.group("word") or match.group("part")
        lower = word.lower()
        bare = strip_marks(lower)
        if lower in NOT_NAME_WORDS or lower in STOP or lower in PLACE_AFTER or lower in COMMON_FIRST_NAMES:
            break
        listed = (bare in last or bare in first) and not ordinary(lower, common)
        closes_line = words >= 2 and (match.end() == len(text) or text[match.end()] in "\r\n")
        hyphened = (match.group("particles") or "").startswith("-") or (  # "Meulen-de Boer": one surname
            text[end - 5:end].rfind("-") > 0 and HYPHEN_PARTICLE_END.search(text, max(start, end - 6), end) is not None)
        arabic = ARABIC_PARTICLE.fullmatch(match.group("particles") or "") is not None and bare not in common
        if (match.group("particles") and not listed and not hyphened and not arabic) or (
                ordinary(lower, common) and bare not in last and not hyphened
                and not (closes_line and not match.group("particles"))):
            break
        end = match.end()
        words += 1
    particled = PARTICLE_FIRST_BEFORE.search(text, max(0, start - 32), start)
    if particled is not None:  # issue 18, pass 21: "Juan dela Cruz", "Maria Luisa delos Santos" found as "Cruz"
        lower = strip_marks(particled.group("word").lower())
        if lower in first and lower not in NOT_NAME_WORDS and lower not in STOP and lower not in MONTHS_AND_DAYS:
            start = particled.start()
            words += len(particled.group().split())
    else:
        titled = PARTICLE_TITLE_BEFORE.search(text, max(0, start - 16), start)
        if titled is not None:  # "Ms. dela Cruz", "Atty. delos Reyes": the particle is the surname's
            start = titled.start("particle")
    if words >= 2:
        for _ in range(2):
            before = FIRST_BEFORE.search(text, max(0, start - 24), start)
            if before is None:
                break
            lower = strip_marks(before.group("word").lower())
            if lower not in first or lower in NOT_NAME_WORDS or lower in COMMON_FIRST_NAMES or \
                    lower in MONTHS_AND_DAYS or lower in STOP or lower in PLACE_BEFORE:
                break
            start = before.start()
    left = GROW_LEFT.search(text, max(0, start - 16), start)
    if left is not None:
        start = left.start()
    if words == 1:
        initials = INITIALS_AFTER.match(text, end)
        if initials is not None:  # "Ivanova A.V.", "Beridze N.": a surname, then the initials of the given names
            end = initials.end("initials")
    return start, end


def placed(text: str, start: int, end: int, lists: Lists) -> bool:
    """Whether the capitalised words at text[start:end] name a place, an organisation or a thing: one of
    them or the word after them is a place's or firm's word ("Aga Khan Hospital"), a street's word or a
    house number stands before them ("Calle X", "56 Nguyen Chi Thanh"), or a number follows a single
    word ("Room 305", "JP-22871")."""
    last = lists[1]
    if strip_marks(text[start:end].lower()) in ASIAN_PLACES:
        return True
    name = INITIAL.sub(" ", text[start:end])
    words = NAME_PIECE.findall(CHILD_OF_MARK.sub(" ", name))  # ("a/l" is no word of the name)
    asian = len(words) > 1 and east_asian([strip_marks(w.lower()) for w in words])  # "Nguyen Van An"
    for word in words:
        lower = word.lower()
        if (lower in NOT_NAME_WORDS and not asian) or ((lower in PLACE_AFTER or lower in PLACE_BEFORE) and strip_marks(lower) not in last
                                       and strip_marks(lower) not in lists[0]):
            return True
    after = NEXT_WORD.match(text, end)
    if after is not None and after.group("word").lower() in PLACE_AFTER:
        return True
    before = WORD_BEFORE.search(text, max(0, start - 24), start)
    if before is not None and before.group("word").lower() in PLACE_BEFORE:
        return True
    if HOUSE_NUMBER_BEFORE.search(text, max(0, start - 8), start):
        return True
    if words and strip_marks(words[0].lower()) in lists[0] and ARTICLE_BEFORE.search(text, max(0, start - 12), start):
        return True  # issue 18, tenth pass: "bij de Albert Heijn", "at the John Lewis": a shop, a brand
    if firm_after(text, end):
        return True
    # (a Han or Hangul name led by a surname before a number is no "Room 305": "联系人：周杰 13800138000", issue 18,
    # twentieth pass; "用户回电 177…" is a verb)
    return len(words) == 1 and NUMBER_AFTER.match(text, end) is not None and not (
        text[start] in script_letters.HAN_SURNAME_CHARS or text[start] in script_letters.KOREAN_SURNAMES)


#: Issue 18, sixteenth pass: a name that begins a firm's ("Tudor & Bevan LLP", "Bose & Co Accounting", "Bach &
#: Lund Advokater", "Mama Rosa's Trattoria", "Willie's Cabs"): after "&" or "'s", a firm's word within a few words.
FIRM_JOIN = re.compile(r"(?:['’]s)?[ ]*&[ ]*|['’]s[ ]+")
FIRM_TAIL_WORDS = re.compile(r"[^\W\d_][\w'’.-]*")
#: The words that end a firm's name after "&" or "'s", in lower case: legal forms and the partnerships' and
#: trades' nouns ("& Sons", "& Cie", "Advokater", "Cabs"). Not `pii_firms.LEGAL_FORMS`: that one is the
#: case-sensitive pattern of legal forms that mark a firm's line for the must-keep rules ("AS", "SA" in capitals
#: only), where a lower-case "as" or "sa" would be an ordinary word.
FIRM_END_WORDS = frozenset({
    "co", "co.", "sons", "fils", "cie", "cie.", "söhne", "hijos", "figli", "llp", "ltd", "ltd.", "inc", "inc.", "gmbh",
    "ag", "bv", "nv", "sa", "sas", "sarl", "sl", "srl", "spa", "oy", "ab", "as", "aps", "kg", "ohg", "plc", "pty", "llc",
    "advokater", "advocaten", "avocats", "abogados", "advogados", "rechtsanwälte", "solicitors", "lawyers", "cabs",
    "taxis", "taxi",
})


def firm_after(text: str, end: int) -> bool:
    """Whether "&" or "'s" and then, within three words on the line, a firm's word follow a name ending at `end`."""
    join = FIRM_JOIN.match(text, end)
    if join is None:
        return False
    line_end = text.find("\n", join.end())
    tail = text[join.end():line_end if line_end >= 0 else len(text)]
    possessive = "&" not in join.group()  # "Dewi's mail", "my daughter Zoya's school": only a shop's own nouns
    for word in FIRM_TAIL_WORDS.findall(tail)[:2 if possessive else 4]:
        lower = word.lower().rstrip(".")
        if lower in FIRM_END_WORDS or lower + "." in FIRM_END_WORDS or (lower in SHOP_NOUNS if possessive else lower in PLACE_AFTER):
            return True
    return False


#: The nouns of a shop named after its owner ("Mama Rosa's Trattoria", "Anna's Bakery", "Willie's Cabs").
SHOP_NOUNS = frozenset({"trattoria", "pizzeria", "bakery", "bakes", "restaurant", "bistro", "salon", "garage", "kitchen",
                        "cafe", "café", "diner", "boutique", "pub", "bar", "grill", "deli", "catering", "plumbing",
                        "cleaning", "removals", "movers", "tours", "travel", "florist", "nursery", "pottery"})


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
    """Each name grown, unless it names a place or a firm, then its words wherever else they stand in
    the text (capitalised or as written, in capitals, or spelled out letter by letter), grown too."""
    from feedbackloop.core.script_names import cyrillic_forms, native_trim  # (they read this module's scripts)
    first, last, common = lists
    parts: set[str] = set()
    lowered: set[str] = set()
    seen: set[int] = set()
    grown: list[tuple[int, int]] = []
    # issue 18, nineteenth pass: a finding in Thai, Arabic, Hebrew, an Indic script or Japanese loses the verbs and
    # particles taken with it before its words are spread ("نورة الكواري طلبت استرجاع": not "استرجاع" elsewhere)
    trimmed = {native_trim(text, start, end) for start, end in spans}
    for start, end in sorted(span for span in trimmed if span is not None):
        seen.add(start)
        start, end = grow(text, start, end, lists)
        if placed(text, start, end, lists):
            continue
        grown.append((start, end))
        yield start, end
        for word in NAME_PIECE.findall(text[start:end]):
            lower = word.lower()
            if len(word) >= 3 and lower not in PARTICLES and lower not in NOT_NAME_WORDS and lower not in STOP and (
                    not ordinary(lower, common) or lower in first or lower in last) and lower not in COMMON_FIRST_NAMES:
                parts.add(word)
                parts.add(word[0].upper() + word[1:])
                parts.add(word.upper())
                if word != lower and (lower in first or lower in last) and not ordinary(lower, common):
                    lowered.add(lower)  # pass 25: the agent's "Farhan" greeted back as "hi farhan"
                parts.update(cyrillic_forms(word))  # nineteenth pass: "Богдане" -> "богдан", "Богдан"
    for part in parts | lowered:
        for start, end in whole_words(text, part):
            if start in seen or (part not in parts and not echo_position(text, start, end)):
                continue
            seen.add(start)
            start, end = grow(text, start, end, lists)
            if not placed(text, start, end, lists):
                yield start, end
    yield from listed_beside(text, grown, lists)
    if parts and "-" in text:
        for match in SPELLED.finditer(text):
            if match.group().replace("-", "") in parts:
                yield match.span()


#: Pass 25: the words a chat puts right before a name it answers or thanks ("hi farhan,", "thx sam", "merci
#: núria!!", "gracias jorge", "obg ines").
ECHO_BEFORE = re.compile(r"(?<![\w'’])(?i:hi|hey|hiya|hello|morning|evening|thanks|thank you|thx|ty|ta|cheers|bye|"
                         r"sorry|ok|okay|merci|gracias|grazie|mille|gràcies|obg|obrigad[oa]|danke|dank je|bedankt|"
                         r"tak|takk|tack|dzięki|asante)[ \t]*[,!]?[ \t]+\Z")
#: What follows a name that closes its clause ("under tanaka.", "hi niamh, my card", "(kenji?)").
ECHO_AFTER = re.compile(r"[ \t]*(?:[,.!?;)\n]|\Z)")
#: What precedes a name that opens a line or a sentence ("[14:03] Guest: kenji.", "ref GH-78812. haruka lost").
ECHO_OPENS = re.compile(r"(?:^|\n|[.!?:][ \t]+)[ \t]*\Z")
ECHO_REACH = 24


def echo_position(text: str, start: int, end: int) -> bool:
    """Whether a found name's word, met again in lower case ("Farhan" ... "hi farhan, my card"), stands where
    chat puts a name: after a greeting or a thanks, before the end of a clause, or opening a line or sentence.
    Elsewhere the lower-case word is more likely the language's own ("lagt till dig", "anh ấy")."""
    before = text[max(0, start - ECHO_REACH):start]
    return bool(ECHO_BEFORE.search(before) or ECHO_AFTER.match(text, end) or ECHO_OPENS.search(before))


#: Issue 18, tenth pass: the next item of a list a found name stands in ("Noa (7), Itai (4)", "Faisal, Reem
#: and Lulwa", "Lena und Tim", "Pierre et Marie", "Juan y Rosa"): an age or a note in brackets may follow.
LIST_NEXT = re.compile(rf"(?:[ ]\([^()\n]{{1,12}}\))?(?:,[ ]+(?:(?:and|und|et|y|e|i|en|og|och|ve)[ ]+)?|[ ]+(?:and|und|et|y|e|i|"
                       rf"en|og|och|ve)[ ]+|;[ ]+)(?P<name>{CAP_WORD}(?:[ ]{CAP_WORD})?)(?![\w'’])")

LIST_AND = re.compile(r"[ ](?:and|und|et|y|e|i|en|og|och|ve)[ ]+\Z")
LIST_GOES_ON = re.compile(r"[ ]\(\d{1,2}\)|,[ ]+[A-ZÀ-Ö]|[ ](?:and|und|et|y|e|i|en|og|och|ve)[ ]+[A-ZÀ-Ö]")

#: Issue 18, tenth pass: a full name in apposition to "me" ("send all correspondence to me, Nadia Rahimi, at",
#: "pour moi-même, Jean-Baptiste Mukendi Kabongo, et"): two words or more, then a comma.
ME_NAMED = re.compile(rf"(?<![\w-])(?i:me|moi|moi-même|mí|mir|mich),[ ]+(?P<name>{FULL})(?=,)")
#: Issue 18, tenth pass: a list of people after a colon ("all pax in PNR Q8ZT4N: anil sharma, sunita sharma,
#: rohan", "names: ...", "pasajeros: ..."): items in lower case count when they are listed first names, or
#: two to four words that make a full name.
LIST_CUE = re.compile(r"(?<!\w)(?:pax|passengers?|travell?ers|persons|people|names|guests|students|applicants|"
                      r"attendees|participants|pasajeros|passageiros|passagiers|passagiere|voyageurs|reisende|namen|"
                      r"nombres|noms|nomi|viaggiatori|yolcular)\b[^:\n]{0,24}:[ \t]*")
LIST_CUE_HINTS = ("pax", "passeng", "travel", "persons", "people", "names", "guests", "students", "applicants",
                  "attendees", "participants", "pasajeros", "passag", "voyageurs", "reisende", "namen", "nombres",
                  "noms", "nomi", "viaggiatori", "yolcular")
LIST_ITEM = re.compile(r"(?P<item>[^\W\d_]+(?:['’-][^\W\d_]+)*(?:[ ](?!(?:and|y|und|et|e)[ ])[^\W\d_]+(?:['’-][^\W\d_]+)*){0,3})"
                       r"(?P<sep>[ ]*(?:\([^()\n]{1,12}\))?[ ]*(?:,[ ]*(?:(?:and|y|und|et|e)[ ]+)?|;[ ]*|[ ](?:and|y|und|et|e)[ ]+)|)")


def listed_after_cue(text: str, folded: str, lists: Lists) -> Iterator[tuple[int, int]]:
    """The people listed after a list word and a colon, in lower case."""
    first, last, common = lists
    for cue in LIST_CUE.finditer(folded):
        at = cue.end()
        for _ in range(8):
            item = LIST_ITEM.match(text, at)
            if item is None:
                break
            words = item.group("item").split()
            if item.group("item").islower():
                lowered = [strip_marks(w) for w in words]
                alone = len(words) == 1 and lowered[0] in first and lowered[0] not in common and \
                    lowered[0] not in STOP and lowered[0] not in NOT_NAME_WORDS
                if alone or (len(words) > 1 and (lowered[0] in first or lowered[-1] in last)
                             and lower_full_name(words, lists)):
                    yield item.span("item")
            if not item.group("sep"):
                break
            at = item.end()


def listed_beside(text: str, spans: Sequence[tuple[int, int]], lists: Lists) -> Iterator[tuple[int, int]]:
    """The names listed after a found name: each a listed first name (not an ordinary word), then the
    name after it, and so on."""
    first, last, common = lists
    todo = list(spans)
    done = set(spans)
    while todo:
        start, end = todo.pop()
        match = LIST_NEXT.match(text, end)
        if match is None:
            continue
        words = [strip_marks(w.lower()) for w in match.group("name").split()]
        joined = LIST_AND.search(match.group(), 0, match.start("name") - match.start()) is not None
        if (words[0] in common and not (joined and words[0] in first and len(words) == 1)) or \
                words[0] in NOT_NAME_WORDS or words[0] in MONTHS_AND_DAYS or \
                any(w in NOT_NAME_WORDS or w in PLACE_AFTER for w in words):
            continue
        if words[0] not in first and (len(words) > 1 or " " in text[start:end] or not (
                joined or LIST_GOES_ON.match(text, match.end()))):
            continue  # an unlisted word: after a first name alone, inside a list that goes on or after its "and"
        span = match.span("name") if len(words) == 1 or words[1] in first or words[1] in last or \
            words[1] not in common else (match.start("name"), match.start("name") + len(match.group("name").split()[0]))
        if span not in done:
            done.add(span)
            todo.append(span)
            yield span
