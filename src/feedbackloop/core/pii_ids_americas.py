"""Identity numbers and dates of birth of the Americas, Southern Europe and Oceania as people type them (issue 18).

Issue 18, twentieth pass. `pii_ids` finds these countries' numbers in their printed shapes and after their
names; what it left were the ways people and CRM forms write them besides: lower case ("nie x4829173r",
"dni: 48291736-q"), a check letter or digit after a dash ("rut 7654321-6"), groups of three ("contribuinte
n.º 247 819 360"), dashes the card does not print (an RFC "GOMA-850312-AB1"), masked tails ("CPF
384.719.***-**", "ssn: xxx-xx-6789"), and the names it did not know (Greece's AFM, Portugal's SNS user
number and NISS, Jamaica's TRN, Alberta's and Manitoba's health numbers). Each number here counts only
right after its own name (LABELLED) and, where the format has one, with its check digit right, so that an
order or a phone number next to no name, or after another name, is never taken.

Dates of birth: `redact` finds a date after a birth word in the forms its DATE pattern knows. Added here:
birth words it lacks ("F. nac", "fecha nac", "FN:", "b. 12 March 1985", "bday", Catalan "va néixer") and
date forms it lacks after any birth word ("12-mar-85", "3 de marzo del 1985", "30 d'abril de 2019",
"12 Μαρτίου 1985"). A date counts only this close after a birth word, with no other number between, and of a
year before last: an order's, a delivery's or an appointment's date has no birth word before it.

Kept apart from `pii_ids` (its own tables, its own two entry points called from `redact`) so that passes on
other regions' numbers can change that module at the same time.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator

from stdnum import luhn
from stdnum.br import cnpj as br_cnpj
from stdnum.br import cpf as br_cpf
from stdnum.ca import sin as ca_sin
from stdnum.cl import rut as cl_rut
from stdnum.es import dni as es_dni
from stdnum.es import nie as es_nie
from stdnum.gr import vat as gr_vat
from stdnum.it import codicefiscale as it_codicefiscale
from stdnum.mx import curp as mx_curp
from stdnum.mx import rfc as mx_rfc
from stdnum.nz import ird as nz_ird
from stdnum.pt import nif as pt_nif

Valid = Callable[[str], bool]


def compact(number: str) -> str:
    """The number without its spaces, dots, dashes and slashes, in capitals."""
    return re.sub(r"[\s./-]", "", number).upper()


def checked(module_valid: Valid) -> Valid:
    return lambda number: bool(module_valid(compact(number)))


def any_number(number: str) -> bool:
    return True


def person_rfc(number: str) -> bool:
    """Mexico's RFC of a person: four letters, a birth date, three characters (a firm's has three letters)."""
    value = compact(number)
    return len(value) == 13 and bool(mx_rfc.is_valid(value))


def person_nif_pt(number: str) -> bool:
    """Portugal's NIF of a person (first digit 1, 2 or 3; 45 a non-resident's): a firm's starts with 5, 6, 8 or 9."""
    value = compact(number)
    return (value[:1] in "123" or value.startswith("45")) and bool(pt_nif.is_valid(value))


def person_afm(number: str) -> bool:
    """Greece's AFM with its check digit; a legal entity's starts with 8 or 9 (or 09, older)."""
    value = compact(number)
    return not value.startswith(("8", "9", "09")) and bool(gr_vat.is_valid(value))


def nz_nhi_valid(number: str) -> bool:
    """New Zealand's NHI: three letters (no I or O) and four digits, the last a mod-11 check; or the newer
    three letters, two digits, two letters (mod 23). Only the older is checked; the newer counts by its shape."""
    value = compact(number)
    if re.fullmatch(r"[A-HJ-NP-Z]{3}\d{2}[A-HJ-NP-Z]{2}", value):
        return True
    if not re.fullmatch(r"[A-HJ-NP-Z]{3}\d{4}", value):
        return False
    letters = [ord(char) - 64 - (char > "I") - (char > "O") for char in value[:3]]
    total = sum(v * w for v, w in zip([*letters, *(int(d) for d in value[3:6])], range(7, 1, -1)))
    check = 11 - total % 11
    return check != 11 and check % 10 == int(value[6])


#: The separators people put between an id's name and its number: "CPF:", "NIF n.º", "ird no. ", "RUT #",
#: "utente SNS nº", "AFM=", one "de"/"do"/"is"/"es"/"é" ("mi rut es", "meu cpf é"); pass 24: whose it is, in between
#: ("el rut de mi mamá es", "o cpf do meu pai é", "the SSN of my wife is").
WHOSE = (r"(?:(?:de|do|da|of|del|della|di|du)[ \t]+(?:mi|my|meu|minha|mia|mio|ma|mon|su|his|her|la|el|o|a|il)"
         r"[ \t]+[^\W\d_]+[ \t]*(?=(?:is|es|é|è|est|era|was|:)[ \t:]))?")
NAME_GAP = (rf"[ \t]*{WHOSE}(?:(?:n[.º°o]*|no\.?|nr\.?|num\.?|number|número|numero|#|is|es|é|è|est|de|do|da|del|:|=|-)"
            r"[ \t]*){0,3}")
#: A masked part: stars, dots of a bullet, x's (three or more of them in all, one digit group at least shown).
MASK = r"[*xX•●]"

#: (the name, the number's shape, its check): the number counts right after the name. Names are matched in any
#: case with no letter before or after; numbers as written.
LABELLED: tuple[tuple[str, str, Valid], ...] = (
    # masked ids after their names ("CPF 384.719.***-**", "ssn: xxx-xx-6789", "DNI ****736Q")
    # (pass 22: and India's Aadhaar as its masked copies print it (eight digits as X, the last four shown),
    # Pakistan's CNIC, Poland's PESEL, Ireland's PPS, a UK NI number)
    (r"cpf|ssn|ss#|social security|(?-i:SIN|NAS)|dni|nie|nif|rut|run|cuil|curp|tfn|ird|amka|afm|cédula|cedula|"
     r"aadhaa?r|(?-i:UID)|cnic|pesel|ppsn?|nino",
     rf"(?=[\d*xX•●.\- ]*\d)(?=(?:[^{MASK[1:-1]}]*{MASK}){{3}})[\d*xX•●]{{1,4}}(?:[.\- ]?[\d*xX•●]{{1,4}}){{1,4}}"
     rf"(?:[.\- ]?[A-Za-z])?", any_number),
    # Mexico's RFC of a person with dashes or spaces, or in lower case
    (r"rfc", r"[A-Za-zÑñ&]{4}[- ]?\d{6}[- ]?[A-Za-z\d]{3}", person_rfc),
    # Chile's RUT/RUN without dots, dash or none before the check digit or K, in any case
    (r"rut|run|rol único tributario|rol unico tributario", r"\d{7,8}-?[\dkK]|\d{1,2}[. ]\d{3}[. ]\d{3}-?[\dkK]",
     checked(cl_rut.is_valid)),
    # Spain's DNI and NIE in lower case, with a dash or a space before the letter
    (r"dni|d\.n\.i\.?|nif|n\.i\.f\.?|documento nacional de identidad",
     r"\d{8}[- ]?[A-Za-z]|\d{2}\.\d{3}\.\d{3}[- ]?[A-Za-z]", checked(es_dni.is_valid)),
    (r"nie|n\.i\.e\.?|tie|nif", r"[XYZxyz][- ]?\d{7}[- ]?[A-Za-z]", checked(es_nie.is_valid)),
    # Portugal's NIF of a person in groups, its SNS user number, its social security number (NISS)
    (r"nif|n\.i\.f\.?|contribuinte|número fiscal|numero fiscal", r"\d{3}[ .]?\d{3}[ .]?\d{3}", person_nif_pt),
    (r"utente|n\.º de utente|sns|número nacional de utente", r"\d{3}[ .]?\d{3}[ .]?\d{3}", any_number),
    (r"niss|segurança social|seguranca social", r"[12]\d{10}|[12]\d{2}[ .]?\d{4}[ .]?\d{4}", any_number),
    # Greece's tax number of a person
    (r"afm|α\.φ\.μ\.?|αφμ", r"\d{9}", person_afm),
    # Jamaica's TRN of a person (a firm's starts with 0), Alberta's health number, Manitoba's PHIN
    (r"trn|taxpayer registration number", r"1\d{2}[- ]?\d{3}[- ]?\d{3}", any_number),
    (r"ahcip|alberta health|phin|personal health identification number|health services number",
     r"\d{5}-?\d{4}|\d{3}[- ]\d{3}[- ]\d{3}", any_number),
    # Canada's SIN with odd spacing, Brazil's CPF with spaces, New Zealand's IRD and NHI, in any case
    (r"(?-i:SIN|NAS)|social insurance number|numéro d'assurance sociale", r"\d{3}[ .]\d{3}[ .]\d{3}|\d{9}",
     checked(ca_sin.is_valid)),
    (r"cpf", r"\d{3}[ .]\d{3}[ .]\d{3}[ .-]\d{2}|\d{9}[ .-]\d{2}", checked(br_cpf.is_valid)),
    (r"ird|inland revenue", r"\d{2,3}[- ]\d{3}[- ]\d{3}|\d{8,9}", checked(nz_ird.is_valid)),
    (r"nhi|national health index", r"[A-Za-z]{3}[ -]?\d{2}(?:\d\d|[A-Za-z]{2})", nz_nhi_valid),
    # Ontario's health card with its version code in any case or spacing (ten digits, Luhn)
    (r"ohip|health card|health number|carte santé|carte sante", r"\d{4}[ -]?\d{3}[ -]?\d{3}(?:[ -]?[A-Za-z]{2})?",
     lambda number: luhn.is_valid(re.sub(r"\D", "", number))),
    # Argentina's DNI with dots (Spain's has a letter after it)
    (r"dni|d\.n\.i\.?", r"\d{1,2}\.\d{3}\.\d{3}(?![.-]?[A-Za-z\d])", any_number),
    # Italy's codice fiscale and Mexico's CURP in groups or in lower case
    (r"codice fiscale|c\.f\.?|cf|cod\. fisc\.?",
     r"[A-Za-z]{3} ?[A-Za-z]{3} ?\d{2}[A-Za-z]\d{2} ?[A-Za-z]\d{3}[A-Za-z]", checked(it_codicefiscale.is_valid)),
    (r"curp", r"[A-Za-z]{4}[- ]?\d{6}[- ]?[HMXhmx][A-Za-z]{5}[- ]?[0-9A-Za-z]\d", checked(mx_curp.is_valid)),
)
#: The lower-case words one of which a text must hold for LABELLED to be looked for.
LABEL_HINTS = ("cpf", "ssn", "ss#", "social", "sin", "nas", "dni", "d.n.i", "nie", "n.i.e", "nif", "n.i.f", "rut",
               "run", "rol ", "cuil", "curp", "tfn", "ird", "amka", "afm", "αφμ", "α.φ.μ", "cédula", "cedula", "rfc",
               "tie", "documento", "contribuinte", "fiscal", "utente", "sns", "niss", "seguran", "trn", "taxpayer",
               "ahcip", "alberta", "phin", "health", "nhi", "inland",
               "ohip", "santé", "sante", "codice", "c.f", "cf", "cod.", "aadha", "uid", "cnic", "pesel", "pps", "nino")
LABELLED_RE = tuple((re.compile(rf"(?<![^\W\d_])(?i:{names})(?![^\W\d_]){NAME_GAP}(?P<number>{shape})"
                                r"(?![\w*•●])(?![.,/-]\w)"), valid)
                    for names, shape, valid in LABELLED)
#: The name of a firm's number right before ("CNPJ", "company NIF", "NIF da empresa"): not a person's.
FIRM_WORDS = re.compile(r"(?i:cnpj|empresa|company|firma|société|societe|sociedad|s\.a\.|lda|ltda|s\.l\.|abn|business)")


def find_regional_ids(text: str, folded: str, gated: bool = True) -> Iterator[tuple[int, int]]:
    """(start, end) of each number LABELLED by its name in `text` (`folded`: it lower-cased, redact.fold)."""
    if gated and not any(hint in folded for hint in LABEL_HINTS):
        return
    for pattern, valid in LABELLED_RE:
        for match in pattern.finditer(text):
            number = match.group("number")
            if not valid(number):
                continue
            if FIRM_WORDS.search(text, max(0, match.start() - 30), match.start("number")):
                continue
            yield match.span("number")


#: A firm's number in the shape only it is written in: Brazil's CNPJ ("11.222.333/0001-81"), which phone patterns
#: would otherwise read as a number with an area code.
FIRM_SHAPE = re.compile(r"\d{2}\.?\d{3}\.?\d{3}/?\d{4}-?\d{2}")


def firms_number_shape(candidate: str) -> bool:
    """Whether `candidate` (a phone pattern's match) is a valid CNPJ written in its own shape."""
    return FIRM_SHAPE.fullmatch(candidate) is not None and "/" in candidate and bool(br_cnpj.is_valid(candidate))


# --- dates of birth ------------------------------------------------------------------------------------

#: Months, abbreviated and whole, of Spanish, Portuguese, Italian, French, Catalan, Greek (genitive) and English:
#: "12-mar-85", "3 de março de 1985", "30 d'abril de 2019", "12 Μαρτίου 1985".
MONTH_NAMES = (r"(?:jan(?:uary|eiro|vier)?|ene(?:ro)?|gen(?:naio|er)?|feb(?:rero|braio|ruary)?|fev(?:ereiro)?|"
               r"f[ée]vr?(?:ier)?|febrer|mar(?:zo|ço|co|ch|s|ç)?|abr(?:il)?|apr(?:ile|il)?|avr(?:il)?|"
               r"may(?:o)?|mai(?:o)?|mag(?:gio)?|maig|jun(?:e|io|ho)?|giu(?:gno)?|juin|juny|jul(?:y|io|ho)?|"
               r"lug(?:lio)?|juil(?:let)?|juliol|aug(?:ust)?|ago(?:sto)?|ao[uû]t|agost|sep(?:t(?:ember|iembre)?)?|"
               r"set(?:embro|tembre|iembre|embre)?|oct(?:ober|ubre|obre)?|out(?:ubro)?|ott(?:obre)?|"
               r"nov(?:ember|iembre|embro|embre)?|dec(?:ember)?|dic(?:iembre|embre)?|dez(?:embro)?|d[ée]c(?:embre)?|"
               r"desembre|ιανουαρίου|φεβρουαρίου|μαρτίου|απριλίου|μαΐου|μαιου|ιουνίου|ιουλίου|αυγούστου|"
               r"σεπτεμβρίου|οκτωβρίου|νοεμβρίου|δεκεμβρίου)\.?")
YEAR = r"(?:19|20)?\d\d"
DAY = r"(?:0?[1-9]|[12]\d|3[01])"
DATE_MORE_FORMS = (
    rf"(?:{DAY}[-/. ]{MONTH_NAMES}[-/. ]{YEAR}"  # 12-mar-85, 12.mar.1985, 12 mar 85
    rf"|{DAY}(?:º|o|er)?\s+(?:de\s+|d['’]\s?){MONTH_NAMES}\s+(?:de\s+|del\s+){YEAR}"  # 3 de marzo del 1985
    rf"|{DAY}\s+{MONTH_NAMES}\s+(?:19|20)\d\d"  # 12 Μαρτίου 1985, 3 marzo 1985
    rf"|{MONTH_NAMES}\s+{DAY}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d"  # March 3rd, 1985
    rf"|{DAY}[./-]{DAY}[./-](?:19|20)\d\d|(?:19|20)\d\d[./-]{DAY}[./-]{DAY}"  # 03.12.1985, 1985-03-12
    rf"|{DAY}/{DAY}/\d\d|{DAY}-{DAY}-\d\d)(?![\w/])(?![.-]\d)")  # 3/14/88, (pass 22) 3-14-88
DATE_MORE = re.compile(rf"(?<![\w/.-])(?P<date>{DATE_MORE_FORMS})", re.IGNORECASE)
#: Pass 22: a date glued to its birth word by one dot or dash ("b.1990-07-04", "dob-3/14/88"), looked for right there.
DATE_GLUED = re.compile(rf"[.:-]?(?P<date>{DATE_MORE_FORMS})", re.IGNORECASE)
#: Pass 22: what a shop's "birthday" is ("birthday sale on 11/29", "birthday promo ran 2019-06-01 to 2019-06-30",
#: "birthday voucher valid until"): its dates are an offer's, not anybody's birth. Looked for right after "birthday".
OFFER_AFTER_BIRTHDAY = (r"[ -]?(?:sale|promo|promotion|offer|discount|coupon|voucher|gift|present|card|party|"
                        r"reward|bonus|deal|special|club|points|credit|treat|campaign|event|week|weekend)s?(?![^\W\d_])")
BIRTHDAY_OFFER = rf"(?!{OFFER_AFTER_BIRTHDAY})"
#: Pass 22: the verbs of other events a date may follow after a date of birth on its line ("account opened
#: 03/02/2021", "ordered on", "member since"): that date is the event's, not a birth's. English, the issue's
#: messiest text.
#: Pass 23: and the nouns of those events ("order date", "delivery", "appointment", "invoice date", "contract start"),
#: in the corpus's languages, as stems ("Bestellung vom", "commande du", "pedido del", "дата заказа", "주문일",
#: "订单日期").
OTHER_EVENT = re.compile(r"(?<![^\W\d_])(?:opened|order|placed|purchas|bought|ship|deliver|dispatch|arriv|receiv|"
                         r"joined|registered|issued|paid|payment|renew|signed up|activat|install|book|expir|"
                         r"created|since|cancel|return|refund|charged|appointment|visit|invoice|contract|start|"
                         r"bestell|liefer|geliefert|rechnung|termin|gekauft|kauf|vertrag|seit|versand|zustell|"
                         r"command|livr|factur|rendez|rdv|achat|contrat|depuis|exp[ée]di|pedido|compra|entrega|"
                         r"cita|contrato|desde|env[ií]|ordin|acquist|consegn|fattur|appuntament|contratt|"
                         r"bestelling|besteld|lever|afspraak|sinds|zam[óo]wi|dostaw|faktur|wizyt|umow|"
                         r"заказ|доставк|сч[её]т|визит|договор|покупк|замовлен|sipari[şs]|teslim|randevu|"
                         r"đơn hàng|giao hàng|"
                         # pass 27: an identity document's issue and validity ("Date of issue", "ausgestellt am",
                         # "délivré le", "fecha de emisión", "data di scadenza", "data wydania", "utstedt")
                         r"issu|valid|ausgestellt|ausstellung|gültig|d[ée]livr|emisi[óo]n|emiss|emitid|scadenz|"
                         r"vencim|rilasci|wydan|vydán|utstedt|udstedt|utfärd|"
                         # pass 27: Finnish and Indonesian orders, deliveries and invoices ("tilaus", "toimitus",
                         # "lasku", "tgl pesan", "pengiriman", "pembelian")
                         r"tilau|tilat|toimit|lasku|pesan|kirim|pengirim|pembelian)|订单|訂單|下单|下單|配送|发货|發貨|到货|购买|購買|预约|預約|注文|配達|発送|"
                         r"予約|購入|주문|배송|예약|구매|طلب|توصيل|فاتورة|موعد", re.IGNORECASE)
#: Pass 23: a date of the last ten years after a birth word with such an event's word between ("my birthday order
#: #5512 from 03/02/2024") is the event's; an older one stays a birth date ("DOB as on the order form: 03/02/1964").
EVENT_YEARS = 10
#: Birth words `redact` has (its BIRTH_MORE, in short) and those it lacks; each must be followed by a date.
BIRTH_CUE = re.compile(
    rf"(?<![^\W\d_])(?:date of birth|birth ?date|birthday{BIRTHDAY_OFFER}|born|dob|d\.o\.b\.?|b-?day{BIRTHDAY_OFFER}|"
    r"b'day|bdate|"
    r"f(?:echa|ec|\.)?[ .]?(?:de )?nac(?:imiento|\.)?|nacid[oa]|naci|fecha de nacimiento|"
    r"data de nascimento|dt\.? nasc\.?|nascid[oa]|nasc\.?|(?-i:[Nn]at[oa])|data di nascita|nascita|"
    r"née?|nee|date de naissance|naissance|ddn|va néixer|nascut|nascuda|néixer|"
    r"ημερομηνία γ[εέ]νν[ηή]σ[ηή]ς|ημ\.? γ[εέ]νν[ηή]σ[ηή]ς|γ[εέ]νν[ηή]θ[ηή]κε|γ[εέ]νν[ηή]σ[ηή]ς|"
    r"(?<![.\w])(?-i:b)\.(?=\s?\d|\s[a-z]{3})|f\.?n\.?(?=:\s?\d))(?![^\W\d_])", re.IGNORECASE)
#: At most this many characters, none a digit, between a birth word and its date on its line ("nata a Napoli il").
BIRTH_GAP = 30
BIRTH_HINTS = ("birth", "born", "dob", "d.o.b", "day", "bdate", "nac", "nasc", "nat", "né", "ne", "naiss", "ddn",
               "γενν", "γέννη", "b.", "fn", "f.n")
RECENT_YEARS = 1  # (a date of this year or last is an order's, not a birth: as redact's `recent`)


def date_year(date: str) -> int | None:
    """The date's year, four digits or two (85: 1985, 10: 2010 when that is not in the future)."""
    four = re.search(r"(?<!\d)(?:19|20)\d\d(?!\d)", date)
    if four:
        return int(four.group())
    two = re.search(r"(\d\d)\W*$", date)
    if two is None:
        return None
    year = 2000 + int(two.group(1))
    return year if year <= datetime.date.today().year else year - 100


def find_regional_dobs(text: str, folded: str, gated: bool = True) -> Iterator[tuple[int, int]]:
    """(start, end) of each date right after a birth word (on the same line, nothing but the word's glue between)."""
    if gated and not any(hint in folded for hint in BIRTH_HINTS):
        return
    recent = datetime.date.today().year - RECENT_YEARS
    for cue in BIRTH_CUE.finditer(text):
        gap_end = cue.end()
        while gap_end < len(text) and gap_end - cue.end() < BIRTH_GAP and text[gap_end] not in "\n0123456789;!?":
            gap_end += 1
        date = DATE_MORE.search(text, cue.end(), min(len(text), gap_end + 1 + 40))
        if date is None or date.start() > gap_end:
            date = DATE_GLUED.match(text, cue.end(), min(len(text), cue.end() + 1 + 40))
            if date is None:
                continue
        year = date_year(date.group("date"))
        if year is not None and year < recent and not (
                year > recent - EVENT_YEARS and OTHER_EVENT.search(text, cue.end(), date.start())):
            yield date.span("date")
