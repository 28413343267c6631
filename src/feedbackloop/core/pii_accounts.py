"""Bank account numbers in their countries' own forms, not as IBANs (issue 18, pass 25).

Half the world pays and is refunded by numbers that are no IBAN: Mexico's CLABE, Argentina's CBU and CVU, Peru's CCI,
a US routing and account number, a UK sort code and account number, an Australian BSB, an Indian account with its
IFSC, a Nigerian NUBAN, a Brazilian agência and conta, a Czech "19-2000145399/0800", a Hungarian "11773016-11111018",
a German Kontonummer with its BLZ, a Nordic kontonummer. A customer quotes one to be refunded; it is the customer's as
much as an IBAN is, and `redact` reports it under the same kind (IBAN: a bank account).

Two ways in, each written per class, not per text:

- a number whose shape and check digits are its country's own, where the shape is rare enough that the check decides:
  a CBU (22 digits, two check digits, python-stdnum), a CLABE (18 digits, its weighted check digit), a Czech or Slovak
  account (prefix, number, one of the banks' four-digit codes; python-stdnum checks both mod-11 sums and the code), a
  New Zealand account (bank, branch, account, suffix; python-stdnum), a Hungarian giro number (blocks of eight digits,
  each with its check digit); these still want a word of money or banking in the text (`MONEY_WORDS`), so an order
  or tracking number that happens to pass a check in a text about a parcel is left;
- a number right after the name of an account at a bank, in the languages we serve (`ACCOUNT_NAMES`), and the plain
  "account number" of English, Spanish, Portuguese and French only when the text speaks of a bank
  (`BANK_CONTEXT`): the account number of a phone or a utility bill ("Account number 2200 4419 8812") stays.

A routing number, a sort code, a BSB, an agência or a BLZ right before its account number (within a few words, on the
same line) is one finding with it: they are the account's address at its bank, and a writer labels them together.
What is left: an account number with neither its name nor a check (a bare "0123456789" in a chat), and a routing
number alone; both look like any reference number.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum.ar import cbu as ar_cbu
from stdnum.cz import bankaccount as cz_bankaccount
from stdnum.nz import bankaccount as nz_bankaccount

#: Words of money or banking in any of our languages: a checked number counts only in a text that has one.
MONEY_WORDS = (
    "bank", "banco", "banque", "banca", "konto", "cuenta", "conta", "compte", "account", "acct", "a/c", "refund",
    "reembols", "rembours", "erstatt", "transfer", "deposit", "depósit", "virement", "überweis", "uberweis",
    "clabe", "cbu", "cvu", "cci", "spei", "pix", "payment", "pago", "pagamento", "paiement", "zahlung", "platba",
    "účt", "uct", "számla", "szamla", "utal", "wire", "payout", "salary", "salario", "sueldo", "reintegro", "devoluc",
    "devolu", "rekening", "rachun", "przelew", "tili", "hesap", "akaun", "tài khoản", "tai khoan", "บัญชี", "حساب",
    "חשבון", "खाता",
)

#: Names of an account at a bank, and of the numbers that go with it, in our languages: a number right after one is
#: the account's. ("account number" alone is not here: a phone's or a utility's account has one too; see
#: `GENERIC_NAMES`.)
ACCOUNT_NAMES = (
    # English
    r"bank\s+(?:account|acct|a/c)(?:\s+(?:number|no\.?|num\.?|nr\.?|#))?", r"(?:checking|chequing|savings?|current)"
    r"\s+(?:account|acct|a/c)(?:\s+(?:number|no\.?|#))?", r"(?:routing|aba|transit)(?:\s+(?:number|no\.?|#))?",
    r"sort[\s-]?code", r"bsb(?:\s+(?:number|no\.?))?", r"nuban(?:\s+(?:number|no\.?))?", r"clabe(?:\s+interbancaria)?",
    r"cbu", r"cvu", r"cci",
    # Spanish, Portuguese
    r"cuenta\s+(?:bancaria|de\s+ahorros?|corriente|vista|de\s+cheques|sueldo)", r"cta\.?\s*(?:cte|ah)\.?",
    r"(?:número|numero|nro\.?|n[º°o]\.?)\s+de\s+(?:la\s+)?cuenta\s+bancaria",
    r"conta\s+(?:corrente|poupança|poupanca|bancária|bancaria|salário|salario)", r"c/c", r"ag[êe]ncia", r"ag(?=[.:])\.?",
    # French, Italian
    r"compte\s+(?:bancaire|courant)", r"conto\s+corrente",
    # German, Dutch, Nordic
    r"konto[\s-]?(?:nummer|nr\.?)", r"kto\.?[\s-]?nr\.?", r"bankleitzahl", r"blz", r"bankverbindung",
    r"(?:bank)?rekening(?:nummer|nr\.?)?", r"kontonr\.?", r"clearing(?:nummer|nr\.?)?", r"reg\.?\s?nr\.?",
    r"registreringsnummer", r"tilinumero",
    # Central and Eastern Europe, Turkey
    r"(?:numer|nr\.?)\s+(?:konta|rachunku)", r"číslo\s+účtu", r"cislo\s+uctu", r"č\.\s?ú\.", r"bankszámla(?:szám)?",
    r"hesap\s+(?:no|numarası|numarasi)",
    # Asia, the Middle East, Africa
    r"(?:nomor|no\.?)\s+rek(?:ening)?\.?", r"(?:no\.?\s+)?akaun(?:\s+bank)?", r"số\s+tài\s+khoản", r"so\s+tai\s+khoan",
    r"stk", r"เลขที่บัญชี", r"رقم\s+الحساب", r"מספר\s+חשבון", r"namba\s+ya\s+akaunti",
)
#: The plain name of an account number: a bank's only in a text that speaks of a bank (`BANK_CONTEXT`).
GENERIC_NAMES = (
    r"(?:account|acct|acc|a/c)(?:\s+(?:number|no\.?|num\.?|nr\.?|#))?", r"(?:número|numero|nro\.?)\s+de\s+cuenta",
    r"cuenta", r"conta", r"(?:numéro|numero)\s+de\s+compte", r"compte",
)
#: A bank in the text: its word, the codes that route to it, or one of the banks customers name most.
BANK_CONTEXT = re.compile(
    r"(?i:\b(?:bank|banks|banking|banco|banque|banca|ifsc|swift|bic|sort[\s-]?code|routing|bsb|aba|transit|"
    r"direct\s+deposit|wire|ach|spei|pix|ted|neft|imps|rtgs|nuban|gtbank|gtb|zenith|uba|opay|kuda|moniepoint|palmpay|"
    r"wema|fidelity|sterling|fcmb|stanbic|ecobank|polaris|equity|kcb|absa|fnb|capitec|nedbank|hdfc|icici|sbi|axis|"
    r"kotak|chase|barclays|hsbc|lloyds|natwest|monzo|santander|revolut|nubank|ita[uú]|bradesco|caixa|bbva|banorte|"
    r"bancolombia|interbank|maybank|cimb|bdo|bpi|vietcombank|techcombank|bca|mandiri|bri|bni|kasikorn|rajhi)\b)")

#: A text addressed to a bank ("Hi GTBank,", "Dear FNB", "Good day Standard Bank"): its account numbers are the bank's
#: accounts, wherever in the text (after pass 25's measurement).
BANK_ADDRESSED = re.compile(r"(?i:\s*(?:hi|hello|hey|dear|good\s+(?:day|morning|afternoon|evening)|attn:?|to)[ \t,]+"
                            r"(?:the\s+)?(?:[^\W\d_]+\s+){0,2}?)" + BANK_CONTEXT.pattern + r"(?=[\s,.:!])")

_NAMES = "|".join(ACCOUNT_NAMES)
_GENERIC = "|".join(GENERIC_NAMES)
#: What stands between a name and its number: "is", "es", "é", "ist", a colon, a number sign, "number", a bank's name.
GAP = r"[ \t]*(?:(?:is|es|é|est|ist|da|de|do|del|:|#|=|n[º°o]\.?|no\.?|nr\.?|number)[ \t]*){0,3}"
#: Where an account number may begin and end: not inside a word, a decimal, a date or another number.
OPEN = r"(?<![\w.,/-])"
CLOSE = r"(?![\w]|[.,/-]\d)"
#: An account number: digit groups with single spaces, dashes, dots or a slash between, four to thirty digits in all
#: (`named_accounts` wants six for an account, four for a routing number; a trailing check letter or digit after a
#: dash included: "12345-6", "0012345-X").
NUMBER = rf"(?P<number>\d(?:[ ./-]?\d){{3,29}}(?:-[0-9Xx])?){CLOSE}"
NAMED = re.compile(rf"(?i:(?<![^\W\d_])(?:{_NAMES})(?![^\W\d_])){GAP}{NUMBER}")
GENERIC = re.compile(rf"(?i:(?<![^\W\d_])(?:{_GENERIC})(?![^\W\d_])){GAP}{NUMBER}")
#: A name of the account's routing that comes before its number: the two are one finding when close.
ROUTING_FIRST = re.compile(r"(?i:sort[\s-]?code|bsb|routing|aba|transit|ag[êe]ncia|ag[.:]|blz|clearing|reg\.?\s?nr\.?|"
                           r"ifsc)")
#: At most this much (on one line) between a routing number and the account number it opens.
PAIR_GAP = re.compile(r"[^\n\d]{0,40}")

#: Checked shapes: (pattern, check). The digits may be grouped by spaces or dashes.
CBU = re.compile(rf"{OPEN}\d{{4}}[ -]?\d{{4}}[ -]?\d{{4}}[ -]?\d{{4}}[ -]?\d{{4}}[ -]?\d{{2}}{CLOSE}|{OPEN}\d{{8}}[ -]\d{{14}}{CLOSE}")
CLABE = re.compile(rf"{OPEN}\d{{3}}[ -]?\d{{3}}[ -]?\d{{11}}[ -]?\d{CLOSE}"
                   rf"|{OPEN}\d{{4}}[ -]?\d{{4}}[ -]?\d{{4}}[ -]?\d{{4}}[ -]?\d{{2}}{CLOSE}")
CZECH = re.compile(rf"{OPEN}(?:\d{{1,6}}-)?\d{{6,10}}/\d{{4}}{CLOSE}")
NEW_ZEALAND = re.compile(rf"{OPEN}\d{{2}}[ -]\d{{4}}[ -]\d{{7}}[ -]\d{{2,3}}{CLOSE}")
DATE = re.compile(r"\d{1,2}[./-]\d{1,2}[./-](?:\d{2}|\d{4})|\d{4}[./-]\d{1,2}[./-]\d{1,2}")
#: Pass 25 (after its measurement): a CBU or a CLABE wrapped at the end of a line ("CBU: 0070123100\n003045192833").
WRAPPED = re.compile(rf"{OPEN}\d{{4,18}}[ \t]*\r?\n[ \t]*\d{{4,18}}{CLOSE}")
HUNGARIAN = re.compile(rf"{OPEN}\d{{8}}-\d{{8}}(?:-?\d{{8}})?{CLOSE}")


#: The words of an order, an invoice, a parcel or a ticket, in our languages: a checked shape after one is its number.
REFERENCE_BEFORE = re.compile(
    r"(?i:order|pedido|orden|commande|bestell|auftrag|ordine|encomend|zam[óo]wieni|objedn[áa]v|rendel[ée]s|tilau|"
    r"sipari[şs]|заказ|订单|訂單|注文|주문|đơn hàng|pesanan|invoice|factur|rechnung|fattura|faktur|tracking|rastre|"
    r"seguimiento|suivi|sendung|gu[íi]a|单号|單號|运单|運單|awb|waybill|ticket|folio|protocolo|chamado|radicado)")


def digits(number: str) -> str:
    return re.sub(r"\D", "", number)


def clabe_valid(number: str) -> bool:
    """Mexico's CLABE: 18 digits, the last a check over the first 17 (weights 3, 7, 1; each product mod 10)."""
    value = digits(number)
    if len(value) != 18:
        return False
    total = sum(int(d) * (3, 7, 1)[i % 3] % 10 for i, d in enumerate(value[:17]))
    return (10 - total % 10) % 10 == int(value[17])


def hungarian_valid(number: str) -> bool:
    """Hungary's giro account number: each block of eight digits checked with weights 9, 7, 3, 1 (sum ≡ 0 mod 10);
    the second and third blocks as one sixteen-digit number."""
    value = digits(number)
    blocks = [value[:8], value[8:]]
    return all(len(block) and sum(int(d) * (9, 7, 3, 1)[i % 4] for i, d in enumerate(block)) % 10 == 0
               for block in blocks)


CHECKED = (
    (CBU, lambda n: bool(ar_cbu.is_valid(digits(n)))),
    (CLABE, clabe_valid),
    (CZECH, lambda n: bool(cz_bankaccount.is_valid(n))),
    (NEW_ZEALAND, lambda n: bool(nz_bankaccount.is_valid(n.replace(" ", "-")))),
    (HUNGARIAN, hungarian_valid),
    (WRAPPED, lambda n: clabe_valid(n) or (len(digits(n)) == 22 and bool(ar_cbu.is_valid(digits(n))))),
)


def find_bank_accounts(text: str, folded: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each bank account number in `text` (`folded`: it lower-cased, redact.fold), a routing number
    next to it included."""
    if not any(word in folded for word in MONEY_WORDS):
        return
    accounts = [(start, end, False) for start, end in checked_accounts(text)]
    accounts.extend(named_accounts(text, NAMED, near_bank=False))
    if BANK_CONTEXT.search(text):
        accounts.extend(named_accounts(text, GENERIC, near_bank=BANK_ADDRESSED.match(text) is None))
    yield from joined(text, sorted(set(accounts)))


def checked_accounts(text: str) -> Iterator[tuple[int, int]]:
    """The numbers of a `CHECKED` shape whose check holds, unless an order's, an invoice's or a parcel's word stands
    just before them on their line ("refund for order 012180001183597198": one 18-digit order number in ten passes
    a CLABE's check)."""
    for pattern, valid in CHECKED:
        for match in pattern.finditer(text):
            line = text.rfind("\n", 0, match.start()) + 1
            if valid(match.group()) and not REFERENCE_BEFORE.search(text, max(line, match.start() - 30), match.start()):
                yield match.span()


def named_accounts(text: str, pattern: re.Pattern[str], *, near_bank: bool) -> Iterator[tuple[int, int, bool]]:
    """(start, end, whether it is a routing number) of the numbers after an account's name. A routing number's name
    (`ROUTING_FIRST`) takes four digits and more ("Agência 1234-5", "clearing 8327"), an account's six; neither a
    date, a slash only in a Czech account. `near_bank`: only where a bank is named just before the account's name or
    just after its number ("GTBank account 0123…", "account 0211847730 (GTB)"), on the same line."""
    for match in pattern.finditer(text):
        number = match.group("number")
        routing = ROUTING_FIRST.search(match.group(), 0, match.start("number") - match.start()) is not None
        if len(digits(number)) < (4 if routing else 6) or ("/" in number and CZECH.fullmatch(number) is None):
            continue
        if not routing and DATE.fullmatch(number):
            continue
        if near_bank and not bank_nearby(text, match.start(), match.end()):
            continue
        yield match.start("number"), match.end("number"), routing


def bank_nearby(text: str, start: int, end: int) -> bool:
    """Whether a bank is named within 40 characters before `start` or 15 after `end`, on the same line."""
    before = text.rfind("\n", max(0, start - 40), start) + 1 or max(0, start - 40)
    after = text.find("\n", end, end + 15)
    return (BANK_CONTEXT.search(text, before, start) is not None
            or BANK_CONTEXT.search(text, end, after if after >= 0 else end + 15) is not None)


def joined(text: str, accounts: list[tuple[int, int, bool]]) -> Iterator[tuple[int, int]]:
    """The account numbers, each with a routing number next to it (`PAIR_GAP` apart, either first) as one finding;
    a routing number alone is the bank's, not the customer's, and is left."""
    index = 0
    while index < len(accounts):
        start, end, routing = accounts[index]
        while index + 1 < len(accounts) and accounts[index + 1][0] <= end:
            end = max(end, accounts[index + 1][1])  # overlapping readings of one number
            routing = routing and accounts[index + 1][2]
            index += 1
        if index + 1 < len(accounts) and PAIR_GAP.fullmatch(text, end, accounts[index + 1][0]) is not None:
            following = accounts[index + 1]
            if routing != following[2] or ROUTING_FIRST.search(text, end, following[0]):
                end, routing = following[1], False
                index += 1
        if not routing:
            yield start, end
        index += 1
