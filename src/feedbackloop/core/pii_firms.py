"""What belongs to a firm, not a person: its lines (issue 18, the must-keep pass).

A firm's switchboard in a signature, a shop's number, "call our office at ..." are nobody's personal data and
authors keep them. The words that say so are written here per concept for many languages: legal forms
("GmbH", "Kft.", "SAS", "Sp. z o.o.", "株式会社"), trade nouns ("Plumbing", "Dental"), "our office", "call us",
and what follows a firm's number ("is the shop number", "vårt eget växelnummer", "(appel non surtaxé)").
"""

from __future__ import annotations

import re

#: Legal forms of companies, as written after the name (case as written; dots optional where usual).
LEGAL_FORMS = (
    r"GmbH|AG|KG|OHG|UG|e\.\s?K\.|mbH|Ltd|Limited|LLC|L\.L\.C\.|LLP|PLC|plc|Inc|Corp|Corporation|& Co\.?|Pty|"
    r"S\.?A\.?S\.?|SARL|S\.?A\.?R\.?L\.?|EURL|SNC|S\.A\.|SA|S\.L\.|SL|S\.L\.U\.|SRL|S\.R\.L\.|S\.p\.A\.|SpA|"
    r"B\.V\.|BV|N\.V\.|NV|VOF|BVBA|SPRL|ApS|A/S|AS|ASA|AB|HB|Oy|Oyj|Ky|Kft|Zrt|Nyrt|Bt|"
    r"Sp\. z o\.o\.|sp\. z o\.o\.|S\.A\.|s\.r\.o\.|a\.s\.|d\.o\.o\.|d\.d\.|OOO|ООО|ОАО|ПАО|АО|ТОВ|ЕООД|ООД|"
    r"A\.Ş\.|Ltd\. Şti\.|Sdn\.? Bhd|Bhd|Pte\.? Ltd|Pvt\.? Ltd|Tbk|PT|JSC|LDA|Lda|Ltda|S\.A\. de C\.V\.|"
    r"株式会社|有限会社|有限公司|股份有限公司|주식회사|Cia|Cía"
)
#: Trade nouns that name a business in its signature ("Osei Auto Repairs", "Berglund Plumbing & Heating").
TRADE_NOUNS = (
    r"Repairs|Plumbing|Heating|Electrical|Dental|Dentistry|Clinic|Surgery|Pharmacy|Accountants|Accounting|"
    r"Solicitors|Lawyers|Attorneys|Law|Lettings|Estates|Realty|Homes|Motors|Garage|Autos?|Services|Solutions|"
    r"Consulting|Logistics|Group|Holdings|Partners|Associates|Hotels?|Restaurant|Café|Bakery|Salon|Studio|"
    r"Agency|Insurance|Bank|Builders|Construction|Roofing|Cleaning|Removals|Travel|Tours|Media|Labs?|"
    r"Systems|Technologies|Industries|Supplies|Store|Shop|Market|Centre|Center|Hospital|Practice|Academy|School"
)
LEGAL_FORM = re.compile(rf"(?<![\w-])(?:{LEGAL_FORMS})(?![\w-])")
FIRM_MARK = re.compile(rf"(?<![\w-])(?:{LEGAL_FORMS}|{TRADE_NOUNS})(?![\w-])|\b(?i:our office|our offices)\b")
#: What separates the parts of a letterhead or signature line.
SEGMENT = re.compile(r" [·|•] ")
#: Words of a person giving their own number ("call me", "my mobile", "mein Handy"): the firm's name on the line
#: is then their employer's.
OWN_WORDS = re.compile(r"(?i:\b(?:me|my|mine|mein\w*|mon|ma|mes|mi|mis|meu|minha|mio|mia|mijn|min|mitt|mój|moj\w*|"
                       r"moje|moi|moj|benim|saya|aku)\b|ll[áa]mame|appelle[sz]?-moi|ruf mich|chiamami|ligue-me|bel me|"
                       r"ring me|call me|text me|reach me)")
#: Labels that make a number the person's own: their mobile, their direct line, their home.
OWN_LABEL = re.compile(r"(?<![\w-])(?i:M|D|DD|Mob|Mobile|Mobil|Mobiel|Móvil|Movil|Cell|Cel|Celular|Handy|GSM|"
                       r"Direct|Direkt|Durchwahl|Home|Privat|Private|WhatsApp|WA|HP|CB|CB number|Callback|Call back|Rückruf|Rappel)\.?[ \t]*:?[ \t]*\Z")
#: A mobile named after the number on its line ("| M: 0422 …", "/ mobil 0151 …", "or mobile +40 …").
MOBILE_AFTER = re.compile(r"(?i:[ \t]*(?:ext|x|extension|poste|int)\.?[ \t]*\d{1,5})?[^\n\d]{0,20}?(?i:\bM|\bmob\w*|\bcell\w*|\bcel\b|\bhandy|\bgsm|\bcelular|\bmóvil|"
                          r"\bmovil)\b[.:]?[ \t]*\+?\d")
#: Phrases of a firm giving its own number: "call our office at", "contact us on", "ring us", in many languages.
OUR_LINE_BEFORE = re.compile(
    r"(?i:\b(?:our|notre|nos|unser\w*|nuestr[oa]s?|nostr[oa]|noss[oa]|onze|ons|vår|vårt|vores|vort|meidän|"
    r"nasz\w*|naš\w*)\s+(?:main\s+|own\s+)?(?:office|offices|store|shop|branch|clinic|practice|reception|"
    r"front desk|main line|main number|switchboard|bureau|agence|magasin|boutique|büro|filiale|geschäft|"
    r"oficina|tienda|sucursal|ufficio|negozio|filiale|loja|kantoor|winkel|kontor|butik|butikk|toimisto|biuro|"
    r"sklep)\b|\b(?:call|ring|phone|contact|reach)\s+us\b|appelez-nous|contactez-nous|joignez-nous|"
    r"rufen sie uns|kontaktieren sie uns|ll[áa]m[ea]nos|cont[áa]ct[ea]nos|ligue-nos|contacte-nos|chiamaci|"
    r"contattaci|bel ons|ring oss|ring til os|soita meille|zadzwoń do nas|zadzwon do nas|"
    r"\bmain\s*:|\bmain (?:line|number|office)\b)[^\n\d]{0,24}\Z")
#: What follows a firm's number: "is the shop number", "? Nej – det var vårt eget växelnummer".
FIRM_AFTER = re.compile(
    r"[^\n\d]{0,30}?\b(?i:is|was|är|var|er|ist|war|est|était|es|era|è|é|on|jest|je)\s+(?i:the|our|vårt|vår|vores|"
    r"vort|unser\w*|notre|nuestr[oa]|nostr[oa]|noss[oa]|ons|onze|nasz\w*|meidän|la|le|el|il|o|a)\s+"
    r"(?i:own\s+|eget\s+|egen\s+|eigene\s+|propre\s+)?(?i:shop|store|main|switchboard|växel|vaxel|"
    r"sentralbord|omstilling|zentrale|standard|centralino|centralita|central|hotline|helpline|reception|"
    r"front desk|kundtjänst|kundeservice|kundenservice|service client|customer service)")
#: A firm's number said to cost nothing or a local rate: "(appel non surtaxé)", "(kostenlos)", "(toll-free)".
FREE_CALL_AFTER = re.compile(
    r"[ \t]*[(\[][^()\n]{0,12}?(?i:non surtax\w*|gratuit\w*|free(?:phone)?|toll[- ]free|kostenlos|gebührenfrei|"
    r"gratis|numero verde|número gratuito|local rate|prix d['’]un appel local|ilmainen|bezpłatn\w*)")


def firm_number(text: str, start: int, end: int) -> bool:
    """Whether the number at start:end is a firm's line by the words around it (see the module's docstring)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    before = text[max(line_start, start - 60):start]
    if OUR_LINE_BEFORE.search(before) or FIRM_AFTER.match(text, end, min(line_end, end + 60)):
        return True
    if FREE_CALL_AFTER.match(text, end, min(line_end, end + 40)):
        return True
    if OWN_LABEL.search(before[-12:]) or OWN_WORDS.search(before):
        return False
    if LEGAL_FORM.search(text, line_start, start) and len(SEGMENT.findall(text, line_start, start)) >= 2:
        return True  # a firm's letterhead line: "Nordlicht Möbel GmbH · Hafenstraße 8 · … · Tel. 040 6094 7700"
    return paired_with_a_mobile(text, end, line_start, line_end)


def paired_with_a_mobile(text: str, end: int, line_start: int, line_end: int) -> bool:
    """An office line next to the person's mobile, under a firm's name: "Osei Auto Repairs\\nP: (08) 9271 4483
    M: 0422 617 095", "Ferrox Kft. | …\\n+36 62 555 210 | mobil: …"."""
    if not MOBILE_AFTER.match(text, end, line_end):
        return False
    above = text.rfind("\n", 0, max(0, line_start - 1)) + 1
    above = text.rfind("\n", 0, max(0, above - 1)) + 1  # this line and the two above it
    return FIRM_MARK.search(text, above, end) is not None
