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
Pass 26 added three more, each in a text that names a bank: an account number of ten digits and more right beside
a bank's name ("Access Bank 0691234567", "0123456789 GTBank"), or in a form's line next to one naming its bank
("Account Number: 0123456789" over "Bank: GTBank"); a routing number followed by its account with no account word
("Sort code 20-00-00 12345678", "ag 0123 cc 45678-9", "transit 12345 inst 004 acct 1234567"); and an IBAN in its
groups of four whose check digits a typo broke, known by its country's length and layout, in any text.

Pass 27 took on the forms of English-speaking, European and Gulf countries: more labels in their languages ("Kto.",
"Bankkonto", "rek.nr.", "tilinro", "reikningur", "számlaszám", "n° de compte", "conto corrente n.", Russian "счёт" and
Ukrainian "рахунок" with an account's twenty or fourteen digits, Arabic "رقم حساب" / "حساب رقم"); a Norwegian
kontonummer by its mod-11 check and grouping; an Icelandic bank-ledger-account; a Canadian transit-institution-account
in dashes or spaces and an Australian BSB with its account; an account number written before its sort code or BSB;
an account line under a routing number's line with no colon ("Sort Code 309634" over "Account No 12345678"); more
banks' names. A firm's own account on its invoice is kept (`pii_firms.firm_account`). It also added a number a chat's
turn gives after the account was asked for a turn or two before, a correction of one, or a number with the bank's
name between it and its account's name on its line (`accounts_in_reach`): the nearest number's word before it
decides, and a plain "account" needs a bank or a payout in reach.

Pass 28 took on the national forms given without "IBAN" and the accounts named by their kind or their bank: a
Danish "reg. 2191 – 4418 620 173" (a dash between), a Polish NRB (its IBAN check with "PL"; one missing a digit after
"konto" and a refund's word, "zwrot"), the names of an account in Japanese, Chinese and Korean ("普通 1234567", "口座番号",
"账号", "계좌", a bank's "卡号"; `cjk_accounts`), a Brazilian "agência … conta …" pair from its first word, the kind of an
account alone or after its number ("chequing 1234567", "acct #88120394 (that's the savings acct)", "0123456789, my
savings account"; `typed_accounts`), and a bank's name before the account's word with a few words or a particle
before the number ("BDO account ko for payout, 3717…", "cuenta rut del bancoestado nro 9876543").

What is left: an account number with neither its name nor a check nor a bank in reach (a bare "0123456789" in a
text that names no account), a plain "account" with no bank or payout near it (a utility's has one too), and a
routing number alone; all look like any reference number. A payment's or an order's reference word before a number
keeps it out (`reference_before`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum import iban as stdnum_iban
from stdnum import numdb
from stdnum.ar import cbu as ar_cbu
from stdnum.cz import bankaccount as cz_bankaccount
from stdnum.no import kontonr as no_kontonr
from stdnum.nz import bankaccount as nz_bankaccount

from feedbackloop.core.pii_address import line_around
from feedbackloop.core.pii_ids import ASKING, ASKING_MORE, CHAT_TIME
from feedbackloop.core.pii_refs import CORRECTION_MARKS, CORRECTION_WORDS, MOBILE_WALLET, PHONE_WORD

#: Words of money or banking in any of our languages: a checked number counts only in a text that has one.
MONEY_WORDS = (
    "bank", "banco", "banque", "banca", "konto", "cuenta", "conta", "compte", "account", "acct", "a/c", "refund",
    "reembols", "rembours", "erstatt", "transfer", "deposit", "depósit", "virement", "überweis", "uberweis",
    "clabe", "cbu", "cvu", "cci", "spei", "pix", "payment", "pago", "pagamento", "paiement", "zahlung", "platba",
    "účt", "účet", "ucet", "számla", "szamla", "utal", "wire", "payout", "salary", "salario", "sueldo", "reintegro", "devoluc",
    "devolu", "rekening", "rachun", "przelew", "tili", "hesap", "akaun", "tài khoản", "tai khoan", "บัญชี", "حساب",
    "חשבון", "खाता",
    # pass 26: the codes that route to a bank, the short "acc" ("BSB: 062000, Acc: 1234 5678" has no other), a
    # cheque, and the banks whose names have no "bank" in them ("Itaú ag 0123 cc 45678-9"); none a piece of a
    # common word ("access", "unable", "cities")
    "acc ", "acc:", "acc.", "acc#", "credit", "sort:", "sort code", "sort-code", "sortcode", "s/c", "bsb", "routing",
    "ifsc", "transit", "agência", "agencia", "iban", "cheque", "itaú", "itau", "bradesco", "caixa", "santander",
    "bbva", "banorte", "chase", "barclays", "hsbc", "lloyds", "natwest", "monzo", "revolut", "rbc", "cibc", "bmo",
    "desjardins", "westpac", "wells fargo", "absa", "fnb", "capitec", "nedbank", "kcb", "hdfc", "icici", "sbi",
    "kotak", "opay", "kuda", "moniepoint", "palmpay", "zenith", "gtb", "fcmb", "stanbic", "ecobank",
    # pass 27: the account's word in forms that name no bank ("c/c 000012345678 presso …", "Kto. 0532013000",
    # Iceland's "reikningur", Russian and Ukrainian "счёт", "рахунок")
    "c/c", "conto", "kto.", "kto-nr", "kto nr", "rek.", "reknr", "reikn", "счет", "счёт", "рахун", "р/с", "р/р",
    # and money and its refund in the Nordic languages, Russian, Ukrainian and Arabic
    "penge", "pengar", "refusjon", "tilbakebetal", "återbetal", "palaut", "endurgreið", "возврат", "оплат",
    "повернен", "استرداد", "تحويل",
    # (after pass 27's measurement) the account's and the bank's words of Chinese, Japanese and Korean, which
    # `ACCOUNT_INSIDE` and `BANK_INSIDE` read
    "口座", "账户", "帳戶", "账号", "帳號", "계좌", "은행", "银行", "銀行",
    # pass 28: a Japanese account's kind ("普通 1234567"), Korean "통장", Polish "zwrot" (a refund)
    "普通", "当座", "통장", "zwrot",
)

#: Names of an account at a bank, and of the numbers that go with it, in our languages: a number right after one is
#: the account's. ("account number" alone is not here: a phone's or a utility's account has one too; see
#: `GENERIC_NAMES`.)
ACCOUNT_NAMES = (
    # English
    r"bank\s+(?:account|acct|a/c)(?:\s+(?:number|no\.?|num\.?|nr\.?|#))?", r"(?:checking|chequing|savings?|current)"
    r"\s+(?:account|acct|a/c)(?:\s+(?:number|no\.?|#))?", r"(?:routing|aba|transit)(?:\s+(?:number|no\.?|#))?",
    r"sort[\s-]?code", r"s/c", r"sort(?=[ \t:]+\d)", r"bsb(?:\s+(?:number|no\.?))?", r"nuban(?:\s+(?:number|no\.?))?",
    r"clabe(?:\s+interbancaria)?",
    r"cbu", r"cvu", r"cci",
    # pass 26: Canada's institution number, between a transit number and the account ("transit 12345 inst 004")
    r"(?:institution|inst\.?)(?:\s+(?:number|no\.?|#))?",
    # pass 27: the short "acc" and "acct" after the kind of account ("savings acc 123…"), a deposit account
    r"(?:checking|chequing|savings?|current|deposit)\s+(?:acc|acct)\.?(?:\s*(?:number|no\.?|#))?",
    # pass 28: the kind of account alone right before its number ("chequing 1234567", "savings #0012…")
    r"(?:checking|chequing|savings)(?=[ \t]*(?:#|no\.?|:|is)?[ \t]*\d)",
    # Spanish, Portuguese
    r"cuenta\s+(?:bancaria|de\s+ahorros?|corriente|vista|de\s+cheques|sueldo)", r"cuenta[\s-]?rut", r"cta\.?\s*(?:cte|ah)\.?",
    r"(?:número|numero|nro\.?|n[º°o]\.?)\s+de\s+(?:la\s+)?cuenta\s+bancaria",
    r"conta\s+(?:corrente|poupança|poupanca|bancária|bancaria|salário|salario)", r"c/c", r"ag[êe]ncia", r"ag(?=[.:])\.?",
    r"ag(?=[ \t]+\d)",  # (pass 26: "Itaú ag 0123 cc 45678-9")
    # French, Italian
    r"compte\s+(?:bancaire|courant)", r"conto\s+corrente",
    # pass 27: the number of a bank account named as one ("numéro de compte bancaire", "n° de compte courant"),
    # Italian "numero di conto bancario"
    r"(?:numéro|numero|n[º°o]\.?)\s+(?:de\s+|du\s+)?compte\s+(?:bancaire|courant|de\s+dépôt)",
    r"(?:numero\s+(?:di\s+)?)?conto\s+(?:bancario|corrente\s+bancario)",
    # German, Dutch, Nordic
    r"konto[\s-]?(?:nummer|nr\.?)", r"kto\.?[\s-]?nr\.?", r"bankleitzahl", r"blz", r"bankverbindung",
    r"(?:bank)?rekening(?:nummer|nr\.?)?", r"kontonr\.?", r"clearing(?:nummer|nr\.?)?", r"reg\.?\s?nr\.?",
    r"reg\.(?=[ \t]*\d{4}(?!\d))",  # pass 28: Danish "reg. 2191 – 4418 620 173"
    r"registreringsnummer", r"tilinumero",
    # pass 27: German "Kto." and "Bankkonto", Dutch "rek.nr.", Finnish "tilinro", Iceland's bank account
    r"kto\.?(?:[\s-]?nr\.?)?(?=[\s:])", r"bank[\s-]?konto(?:nummer|nr\.?)?", r"rek\.?[\s-]?nr\.?", r"tilinro\.?",
    r"banka?reikning(?:ur|snúmer|snumer|snr\.?)?", r"reikningsnúmer", r"reikningsnumer", r"reikn\.?[\s-]?nr\.?",
    # Central and Eastern Europe, Turkey
    r"(?:numer|nr\.?)\s+(?:konta|rachunku)", r"číslo\s+účtu", r"cislo\s+uctu", r"č\.\s?ú\.", r"bankszámla(?:szám)?",
    r"hesap\s+(?:no|numarası|numarasi)",
    # pass 27: Russian "счёт", Ukrainian "рахунок" (both an invoice's word too: `LONG_NAME`)
    r"(?:номер\s+)?(?:банковского\s+|расч[её]тного\s+|лицевого\s+)?сч[её]та?(?:\s+получателя)?", r"р/с", r"р/р",
    r"(?:номер\s+)?(?:банківського\s+|поточного\s+)?рахун(?:ок|ку)(?:\s+отримувача)?",
    # pass 27: Hungarian "számlaszám" (its 8-8 shape has its own check, too)
    r"számlaszám(?:a|om)?", r"szamlaszam",
    # Asia, the Middle East, Africa
    r"(?:nomor|no\.?)\s+rek(?:ening)?\.?", r"(?:no\.?\s+)?akaun(?:\s+bank)?", r"số\s+tài\s+khoản", r"so\s+tai\s+khoan",
    r"stk", r"เลขที่บัญชี", r"رقم\s+الحساب", r"מספר\s+חשבון", r"namba\s+ya\s+akaunti",
    # pass 27: Arabic "account number" in its other orders ("رقم حساب", "رقم حسابي", "حساب رقم", "حسابي البنكي")
    r"رقم\s+(?:ال)?حساب(?:ي|ك)?(?:\s+(?:ال)?بنكي)?", r"حساب(?:ي)?\s+(?:(?:ال)?بنكي\s+)?رقم", r"حسابي\s+البنكي",
)
#: The plain name of an account number: a bank's only in a text that speaks of a bank (`BANK_CONTEXT`).
GENERIC_NAMES = (
    r"(?:account|acct\.?|acc\.?|a/c)(?:\s+(?:number|no\.?|num\.?|nr\.?|#))?", r"(?:número|numero|nro\.?)\s+de\s+cuenta",
    r"cuenta", r"conta", r"(?:numéro|numero|n[º°o]\.?)\s+de\s+compte", r"compte",
    # pass 27: German, Nordic and Polish "konto" alone (a shop's customer account too)
    r"konto",
)
#: The banks customers name most, whose names need not hold "bank" (pass 26: Canada's, Australia's and the US's too):
#: `BANK_CONTEXT` and `BANK_NAME` share them.
BANKS = (r"zenith|uba|opay|kuda|moniepoint|palmpay|wema|fidelity|sterling|fcmb|stanbic|ecobank|polaris|equity|kcb|absa|"
         r"fnb|capitec|nedbank|hdfc|icici|sbi|axis|kotak|chase|barclays|hsbc|lloyds|natwest|monzo|santander|revolut|"
         r"nubank|ita[uú]|bradesco|caixa|bbva|banorte|bancolombia|interbank|bcp|maybank|cimb|bdo|bpi|vietcombank|"
         r"techcombank|bca|mandiri|bri|bni|kasikorn|rajhi|rbc|cibc|bmo|desjardins|westpac|anz|nab|commbank|wells\s+fargo|"
         r"citi|pnc|"
         # pass 27: Canada's, Australia's, Ireland's and Britain's others, Europe's, the Nordic countries', the Gulf's,
         # Russia's and Ukraine's
         r"td|scotiabank|scotia|simplii|cba|bankwest|bendigo|suncorp|macquarie|aib|ptsb|halifax|nationwide|starling|"
         r"sparkasse|volksbank|raiffeisen|commerzbank|postbank|dkb|n26|rabobank|abn\s+amro|bunq|knab|triodos|"
         r"cr[ée]dit\s+agricole|cr[ée]dit\s+mutuel|soci[ée]t[ée]\s+g[ée]n[ée]rale|bnp(?:\s+paribas)?|lcl|boursorama|"
         r"intesa(?:\s+sanpaolo)?|unicredit|fineco|bper|bancoposta|ubs|postfinance|nordea|danske|dnb|swedbank|"
         r"handelsbanken|sparebank\w*|jyske|landsbankinn|arion|[íi]slandsbanki|emirates\s+nbd|enbd|adcb|adib|mashreq|"
         r"qnb|nbk|kfh|alinma|riyad|al\s*ahli|сбербанк\w*|сбер|тинькофф|втб|приватбанк\w*|монобанк\w*")
#: A bank in the text: its word, the codes that route to it, one of `BANKS`, or a cheque (pass 27: or an IBAN, a
#: French RIB, a bank's details in German).
BANK_CONTEXT = re.compile(
    r"(?i:\b(?:bank|banks|banking|banco|banque|banca|ifsc|swift|bic|iban|rib|bankverbindung|sort[\s-]?code|s/c|sort(?=[ \t:]+\d)|routing|bsb|"
    r"aba|transit|direct\s+deposit|wire|ach|spei|pix|ted|neft|imps|rtgs|nuban|gtbank|gtb|" + BANKS +
    r"|tangerine|cheque)\b)")

#: A text addressed to a bank ("Hi GTBank,", "Dear FNB", "Good day Standard Bank"): its account numbers are the bank's
#: accounts, wherever in the text (after pass 25's measurement).
BANK_ADDRESSED = re.compile(r"(?i:\s*(?:hi|hello|hey|dear|good\s+(?:day|morning|afternoon|evening)|attn:?|to)[ \t,]+"
                            r"(?:the\s+)?(?:[^\W\d_]+\s+){0,2}?)" + BANK_CONTEXT.pattern + r"(?=[\s,.:!])")

_NAMES = "|".join(ACCOUNT_NAMES)
_GENERIC = "|".join(GENERIC_NAMES)
#: What stands between a name and its number: "is", "es", "é", "ist", a colon, a number sign, "number", a bank's name;
#: (pass 26) a dash with spaces round it ("Account no - 0612345678901"; "ACC-0098812" is a firm's reference); in any
#: case since pass 26's measurement ("CuentaRUT N° 10155626", "Konto Nr. …"); (pass 27) Italian "n." ("conto corrente
#: n. 000012345678").
GAP = (r"[ \t]*(?:(?:is|es|é|est|ist|da|de|do|del|:|#|=|(?<=[ \t])[-–](?=[ \t])|n[º°o]\.?|n\.|no\.?|nro\.?|nr\.?|number)"
       r"[ \t]*){0,3}")
#: After pass 26's measurement (not blind): the bank's short name between ("mi cuenta BCP 191-33872015-0-48"), or a
#: label's own words up to its colon ("Číslo účtu pro vrácení zálohy: …", "numer konta do zwrotu: …"); letters only,
#: so an order's or an invoice's number between keeps the number out.
#: (Pass 28: or any bank's name, after a particle: "cuenta rut del bancoestado nro 9876543", "account sa BDO 0045…".)
NAMED_GAP = (r"(?:[ \t]+(?:bcp|bbva|bci|bna|bpi|cgd|hsbc|ing|pko|mbank|kb|čsob|csob|fio)(?![^\W\d_])|"
             r"(?i:(?:[ \t]+(?:del|de|do|da|at|with|in|en|no|na|sa|ng|ko|mo|ya))?[ \t]+(?:[\w&]*bank|banco\w*|gtb|"
             + BANKS + r")(?![^\W\d_]))|(?:[ \t]+[^\W\d_]{1,14}){1,3}[ \t]*:)?")
#: Where an account number may begin and end: not inside a word, a decimal, a date or another number.
OPEN = r"(?<![\w.,/-])"
CLOSE = r"(?![\w]|[.,/-]\d)"
#: An account number: digit groups with single spaces, dashes, dots or a slash between, three to thirty digits in all
#: (`named_accounts` wants six for an account, four for a routing number, three for Canada's institution; a trailing
#: check letter or digit after a dash included: "12345-6", "0012345-X").
NUMBER = rf"(?P<number>\d(?:[ ./-]?\d){{2,29}}(?:-[0-9Xx])?){CLOSE}"
NAMED = re.compile(rf"(?i:(?<![^\W\d_])(?:{_NAMES})(?![^\W\d_]){NAMED_GAP}{GAP}){NUMBER}")
GENERIC = re.compile(rf"(?i:(?<![^\W\d_])(?:{_GENERIC})(?![^\W\d_]){NAMED_GAP}{GAP}){NUMBER}")
#: Pass 28: the names of an account in Japanese, Chinese and Korean, which stand inside a run of letters (no word
#: boundary round them): a Japanese account's kind ("三井住友銀行 普通 1234567", "当座"), "口座番号", Chinese "账号",
#: "帐号", "賬號", "账户", Korean "계좌(번호)", "통장"; then a colon, "No.", "号码" or a Korean particle.
CJK_NAMES = (r"(?:普通|当座|貯蓄)(?:預金)?(?:口座)?|口座(?:番号|No\.?)?|[账帐賬帳](?:号|號|户|戶)(?:号码|號碼)?|"
             r"계좌(?:번호)?|통장(?:번호)?")
#: And a bank card's number in Chinese ("卡号"), an account's only after a bank's name ("招商银行卡号 6225 …"), not a
#: credit card's ("信用卡卡号").
CJK_CARD = r"(?<!信用卡)(?<=银行|銀行|은행)[ \t]*(?:卡号|卡號|储蓄卡号|儲蓄卡號)"
#: Where a number after a CJK name ends: not inside another number (a letter after it may be a particle: "로", "に").
CJK_CLOSE = r"(?![0-9A-Za-z]|[.,/-]\d)"
#: A bank's name right before the number ("신한은행 110-123-456789 로 환불"): an account's only on a line that pays
#: money into it (`CJK_PAYOUT`); a bank's hotline follows its name too.
CJK_BANK = r"(?<=은행|银行|銀行)(?=[ \t]*\d)"
CJK_PAYOUT = re.compile(r"退款|退还|退回|打款|返金|振込|振り込|환불|입금|송금")
#: The phone numbers of China, Japan and Korea that follow a bank's name ("中国银行 400-820-5555", "고객센터 1588-5000",
#: "03-1234-5678", a Chinese mobile's eleven digits): no account's.
CJK_PHONE = re.compile(r"(?:400|800)[ -]?\d{3}[ -]?\d{4}|95\d{3,4}|1[3-9]\d{9}|0\d{1,2}-\d{3,4}-\d{4}|1[5-8]\d{2}-\d{4}")
NAMED_CJK = re.compile(rf"(?:{CJK_NAMES}|{CJK_CARD}|(?P<bank>{CJK_BANK}))[ \t]*(?:[:：#＃=]|(?i:no\.?)|は|는|은|是|为|為)?[ \t]*(?:[:：][ \t]*)?"
                       rf"(?P<number>\d(?:[ -]?\d){{6,22}}){CJK_CLOSE}")
#: A name of the account's routing that comes before its number: the two are one finding when close.
ROUTING_FIRST = re.compile(r"(?i:sort[\s-]?code|s/c|sort(?=[ \t:]*\Z|[ \t:]+\d)|bsb|routing|aba|transit|ag[êe]ncia|"
                           r"ag[.:]|ag(?=[ \t]*\Z|[ \t]+\d)|blz|clearing|reg\.?\s?nr\.?|"
                           r"reg\.(?=[ \t]*\Z|[ \t]*\d{4}(?!\d))|ifsc|institution|inst\b)")
#: Pass 28: Brazil's "agência", which a writer gives with its "conta" as one pair of bank details ("agência 1234-5,
#: conta corrente 98765-4"): the finding begins at the word, as the pair's label does.
AGENCIA = re.compile(r"(?i:ag[êe]ncia)")
#: Pass 26: a routing number's name that takes three digits (Canada's institution number, "inst 004").
SHORT_ROUTING = re.compile(r"(?i:institution|inst\b)")
#: Pass 27: an account's name that is an invoice's too (Russian "счёт № 118", Ukrainian "рахунок 2026/118"): a bank
#: account after it has `LONG_DIGITS` digits and more (Russia's 20, Ukraine's 14 before its IBAN).
LONG_NAME = re.compile(r"(?i:сч[её]т|рахун|р/с|р/р)")
LONG_DIGITS = 14
#: Pass 27: an account number written right before its routing number's name, no account word ("70872490 sort code
#: 40-47-84", "12345678, BSB 062-000"): six to twelve digits, then at most a comma or "and" on the same line.
ACCOUNT_BEFORE_ROUTING = re.compile(rf"{OPEN}(?P<number>\d(?:[ -]?\d){{5,11}})[ \t]*[,;/]?[ \t]*(?i:and[ \t]+|&[ \t]*)?"
                                    r"(?i:(?:my|the|its|with)[ \t]+)?\Z")
#: Pass 26: more digits than any routing number has (a sort code's 6, an ABA's 9, a BLZ's 8): the account number
#: written on after it with a space ("Sort code 20-00-00 12345678", "BSB 062-000 123456") is read as one number.
ROUTING_DIGITS = 10
#: Pass 26: an account number after a routing number with at most two short words between ("ag 0123 cc 45678-9",
#: "transit 12345, 1234567"), none of them a reference's (pass 28: or a spaced dash, Danish "reg. 2191 – 4418 620 173").
SHORT_WORD = r"[^\W\d_]{1,8}(?:/[^\W\d_]{1,3})?\.?[ \t]*[:#]?[ \t]*"
BARE_AFTER_ROUTING = re.compile(rf"[ \t]*(?:[,;/|]|(?<=[ \t])[–-](?=[ \t]))?[ \t]*(?:{SHORT_WORD}){{0,2}}"
                                rf"{OPEN}(?P<number>\d(?:[ -]?\d){{4,17}}(?:-[0-9Xx])?){CLOSE}")
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
#: Pass 27: a Norwegian kontonummer as Norwegians group it (bank, ledger, account and its mod-11 digit: "1234.56.78903",
#: "8601 11 17947"), the same separator twice.
NORWEGIAN = re.compile(rf"{OPEN}\d{{4}}([ .])\d{{2}}\1\d{{5}}{CLOSE}")
#: Pass 28: a Polish NRB, an IBAN's 26 digits without its "PL" (two check digits, the bank's eight, the account's
#: sixteen), grouped as Poles do ("61 1090 1014 0000 0712 1981 2874") or not at all; the IBAN's check decides.
POLISH = re.compile(rf"{OPEN}\d\d(?:[ ]?\d){{24}}{CLOSE}")


#: The words of an order, an invoice, a parcel or a ticket, in our languages: a checked shape after one is its number.
REFERENCE_BEFORE = re.compile(
    r"(?i:order|pedido|orden|commande|bestell|auftrag|ordine|encomend|zam[óo]wieni|objedn[áa]v|rendel[ée]s|tilau|"
    r"sipari[şs]|заказ|订单|訂單|注文|주문|đơn hàng|pesanan|invoice|factur|rechnung|fattura|faktur|tracking|rastre|"
    r"seguimiento|suivi|sendung|gu[íi]a|单号|單號|运单|運單|awb|waybill|ticket|folio|protocolo|chamado|radicado|"
    # pass 27: the Nordic order ("ordre", Icelandic "pöntun") and Norway's payment reference (KID), before the shapes
    # of their accounts
    r"ordre|p[öo]ntun|\bkid\b)")


def digits(number: str) -> str:
    return re.sub(r"\D", "", number)


def clabe_valid(number: str) -> bool:
    """Mexico's CLABE: 18 digits, the last a check over the first 17 (weights 3, 7, 1; each product mod 10)."""
    value = digits(number)
    if len(value) != 18:
        return False
    total = sum(int(d) * (3, 7, 1)[i % 3] % 10 for i, d in enumerate(value[:17]))
    return (10 - total % 10) % 10 == int(value[17])


def nrb_valid(number: str) -> bool:
    """Poland's NRB: its 26 digits with "PL" are an IBAN whose mod-97 check holds."""
    value = digits(number)
    return len(value) == 26 and bool(stdnum_iban.is_valid("PL" + value))


def hungarian_valid(number: str) -> bool:
    """Hungary's giro account number: each block of eight digits checked with weights 9, 7, 3, 1 (sum ≡ 0 mod 10);
    the second and third blocks as one sixteen-digit number."""
    value = digits(number)
    blocks = [value[:8], value[8:]]
    return all(len(block) and sum(int(d) * (9, 7, 3, 1)[i % 4] for i, d in enumerate(block)) % 10 == 0
               for block in blocks)


def new_zealand_account(number: str) -> bool:
    """New Zealand's bank, branch, account and suffix (2-4-7-2/3). Pass 28, after the measurement: its shape with a
    bank's code (01 to 38) is enough, as customers copy it from their statements or mistype a digit; python-stdnum's
    check (branch ranges and the weighted sum) then misses them, and no order, date or phone has this shape."""
    return bool(nz_bankaccount.is_valid(number.replace(" ", "-"))) or 1 <= int(number[:2]) <= 38


CHECKED = (
    (CBU, lambda n: bool(ar_cbu.is_valid(digits(n)))),
    (CLABE, clabe_valid),
    (CZECH, lambda n: bool(cz_bankaccount.is_valid(n))),
    (NEW_ZEALAND, new_zealand_account),
    (HUNGARIAN, hungarian_valid),
    (NORWEGIAN, lambda n: bool(no_kontonr.is_valid(n))),
    (POLISH, nrb_valid),
    (WRAPPED, lambda n: clabe_valid(n) or (len(digits(n)) == 22 and bool(ar_cbu.is_valid(digits(n))))),
)


def find_bank_accounts(text: str, folded: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each bank account number in `text` (`folded`: it lower-cased, redact.fold), a routing number
    next to it included."""
    mistyped = list(mistyped_ibans(text))  # (its shape is rare enough to need no word of money)
    if not any(word in folded for word in MONEY_WORDS):
        yield from mistyped
        return
    accounts = [(start, end, False) for start, end in checked_accounts(text)]
    accounts.extend((start, end, False) for start, end in shaped_accounts(text, ICELANDIC))
    accounts.extend(named_accounts(text, NAMED, near_bank=False))
    accounts.extend((start, end, False) for start, end in cjk_accounts(text))
    accounts.extend((start, end, False) for start, end in typed_accounts(text))
    if BANK_CONTEXT.search(text):
        accounts.extend(named_accounts(text, GENERIC, near_bank=BANK_ADDRESSED.match(text) is None))
        accounts.extend((start, end, False) for start, end in shaped_accounts(text, SHAPED))
        accounts.extend((start, end, False) for start, end in accounts_beside_bank(text))
    accounts.extend((start, end, False) for start, end in mistyped)
    accounts.extend((start, end, False) for start, end in accounts_in_reach(text))
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
        name = match.group()[:match.start("number") - match.start()]
        routing = ROUTING_FIRST.search(name) is not None
        least = (3 if SHORT_ROUTING.search(name) else 4) if routing else LONG_DIGITS if LONG_NAME.search(name) else 6
        if len(digits(number)) < least or ("/" in number and CZECH.fullmatch(number) is None):
            continue
        if not routing and DATE.fullmatch(number):
            continue
        if AMOUNT_WORD.search(name):
            continue  # pass 27: "Account balance: 1 250 000" is an amount
        if MOBILE_WALLET.search(text, max(0, match.start() - 30), match.start()):
            continue  # pass 28: "refund to my EcoCash account 0772 …": a mobile wallet's number is its owner's phone
        if near_bank and BANK_NAME.search(name) is None and not bank_nearby(text, match.start(), match.end()):
            continue
        start = match.start() if AGENCIA.match(name) else match.start("number")
        yield start, match.end("number"), routing and len(digits(number)) <= ROUTING_DIGITS
        if routing:
            yield from account_after_routing(text, match.end("number"))
            yield from account_before_routing(text, match.start())


#: Pass 28: a bank's, an account's or a refund's word of Japanese, Chinese and Korean on the line: a number after
#: "账号" or "普通" is a bank's only with one ("我的游戏账号 12345678" is a game's login).
CJK_BANK_LINE = re.compile(r"口座|계좌|銀行|银行|은행|信金|信用金庫|ゆうちょ|農協|退款|退还|退回|打款|返金|振込|振り込|"
                           r"환불|입금|송금")


def cjk_accounts(text: str) -> Iterator[tuple[int, int]]:
    """Pass 28: the numbers of seven digits and more after an account's name in Japanese, Chinese or Korean
    (`NAMED_CJK`), on a line that names a bank, an account or a refund (`CJK_BANK_LINE`), not an order's."""
    for match in NAMED_CJK.finditer(text):
        line = line_of(text, match.start())
        if CJK_BANK_LINE.search(line) is None and BANK_NAME.search(line) is None:
            continue
        if match.group("bank") is not None and CJK_PAYOUT.search(line) is None:
            continue
        number = match.group("number")
        if not reference_before(text, match.start()) and not DATE.fullmatch(number) and not CJK_PHONE.fullmatch(number):
            yield match.span("number")


#: Pass 28: the kind of a bank account named after its number ("acct #88120394 (that's the savings acct number)",
#: "0123456789, my savings account at Wells Fargo", "12345678 (checking)").
ACCOUNT_KIND = r"(?i:(?<![^\W\d_])(?:checking|chequing|savings|current|deposit)[ \t]+(?:account|acct|acc|a/c)(?![^\W\d_]))"
KIND_AFTER = re.compile(r"[^\n.?!]{0,40}?" + ACCOUNT_KIND)
#: A number right before its account's kind, a possessive or "that's" between at most.
NUMBER_THEN_KIND = re.compile(rf"{OPEN}(?P<number>\d(?:[ -]?\d){{5,19}}){CLOSE}[ \t]*[,(\[–-]?[ \t]*"
                              r"(?i:(?:(?:which|that)[ \t]+is|it[’']s|that[’']s|is)[ \t]+)?(?i:(?:my|the|our|a)[ \t]+)?"
                              + ACCOUNT_KIND)


def typed_accounts(text: str) -> Iterator[tuple[int, int]]:
    """Pass 28: an account number whose kind of bank account follows it: in its sentence after a plain "acct #"
    (`GENERIC`, no bank named: a form's "acct #88120394 (that's the savings acct number with you)"), or right after a
    bare number (`NUMBER_THEN_KIND`); not a reference's, a phone's or a routing number."""
    for match in GENERIC.finditer(text):
        if len(digits(match.group("number"))) >= 6 and KIND_AFTER.match(text, match.end("number")) is not None \
                and not AMOUNT_WORD.search(match.group()) and not DATE.fullmatch(match.group("number")):
            yield match.span("number")
    for match in NUMBER_THEN_KIND.finditer(text):
        start = match.start("number")
        line = max(text.rfind("\n", 0, start) + 1, start - 30)
        if ROUTING_FIRST.search(text, line, start) is not None:
            continue  # "routing number 021000021, checking account 4400…": `named_accounts` pairs them
        if not reference_before(text, start) and not phone_before(text, start):
            yield start, match.end("number")


def account_after_routing(text: str, end: int) -> Iterator[tuple[int, int, bool]]:
    """The account number right after a routing number that ends at `end` (`BARE_AFTER_ROUTING`), unless the words
    between are a reference's ("routing 021000021, order 55120")."""
    after = BARE_AFTER_ROUTING.match(text, end)
    if after is not None and not REFERENCE_BEFORE.search(text, end, after.start("number")) and \
            not PAYMENT_REFERENCE.search(text, end, after.start("number")) and \
            not DATE.fullmatch(after.group("number")) and len(digits(after.group("number"))) >= 6:
        yield after.start("number"), after.end("number"), False


def account_before_routing(text: str, start: int) -> Iterator[tuple[int, int, bool]]:
    """The account number right before a routing number's name that begins at `start`, on its line
    (`ACCOUNT_BEFORE_ROUTING`), unless a reference's or a phone's word stands before it."""
    line = text.rfind("\n", 0, start) + 1
    before = ACCOUNT_BEFORE_ROUTING.search(text, max(line, start - 30), start)
    if before is not None and not reference_before(text, before.start("number")) and \
            not phone_before(text, before.start("number")) and not DATE.fullmatch(before.group("number")):
        yield before.start("number"), before.end("number"), False


def bank_nearby(text: str, start: int, end: int) -> bool:
    """Whether a bank is named within 40 characters before `start` or 15 after `end`, on the same line."""
    before = text.rfind("\n", max(0, start - 40), start) + 1 or max(0, start - 40)
    after = text.find("\n", end, end + 15)
    return (BANK_CONTEXT.search(text, before, start) is not None
            or BANK_CONTEXT.search(text, end, after if after >= 0 else end + 15) is not None
            or bank_on_next_line(text, start, end))


#: Pass 26: a line of a form that names the bank ("Bank: GTBank", "IFSC: SBIN0004567", "Bank Name: Equity Bank").
BANK_FIELD = re.compile(r"[ \t]*(?i:bank(?:[ \t]+name)?|banco|banque|ifsc(?:[ \t]+code)?|swift(?:[ \t]+code)?|bic|"
                        r"sort[ \t-]?code|bsb|branch(?:[ \t]+code)?|routing(?:[ \t]+number)?)[ \t]*[:=-]"
                        # pass 27: or a routing number's name and its number, no colon ("Sort Code 309634")
                        r"|[ \t]*(?i:sort[ \t-]?code|bsb|routing(?:[ \t]+(?:number|no\.?))?|aba|transit|ifsc)[ \t]+\d")


def bank_on_next_line(text: str, start: int, end: int) -> bool:
    """Whether the line before or after the account's, in a form's field lines, names its bank (`BANK_FIELD`)."""
    line_start = text.rfind("\n", 0, start)
    line_end = text.find("\n", end)
    if line_end >= 0 and BANK_FIELD.match(text, line_end + 1):
        return True
    if line_start <= 0:
        return False
    return BANK_FIELD.match(text, text.rfind("\n", 0, line_start) + 1) is not None


#: Pass 26: a UK sort code with its account number, and a Canadian cheque's transit-institution with its account
#: ("20-00-00 12345678", "12345-003 1234567"), in a text that names a bank: shapes no phone number has.
#: (Pass 27: the Canadian one all in dashes or spaces, "12345-003-1234567", and an Australian BSB with its account,
#: "062-000 12345678", "062-000 1234 5678".)
SHAPED = re.compile(rf"{OPEN}(?:(?:\d{{2}}-\d{{2}}-\d{{2}}|\d{{5}}[ -]\d{{3}})(?:[ \t]*[,;/]?[ \t]*|-)\d{{7,12}}|"
                    rf"\d{{3}}-\d{{3}}[ \t]*[,;/]?[ \t]*(?:\d{{4}}[ -]\d{{4}}|\d{{6,10}})){CLOSE}")
#: Pass 27: an Icelandic account (bank, ledger, account: "0133-26-012345"), in a text that speaks of money; no phone,
#: date or order number has its 4-2-6 shape with a bank's number first.
ICELANDIC = re.compile(rf"{OPEN}[01]\d{{3}}([ -])\d{{2}}\1\d{{6}}{CLOSE}")


def shaped_accounts(text: str, shape: re.Pattern[str]) -> Iterator[tuple[int, int]]:
    for match in shape.finditer(text):
        if not reference_before(text, match.start()) and not phone_before(text, match.start()):
            yield match.span()


#: Pass 26: the name of a bank alone, not a code that routes to one (a PIX key or an ACH trace is no account).
BANK_NAME = re.compile(r"(?i:\b(?:[\w&]*bank|banco|banque|gtb|" + BANKS + r")\b)")
#: (After pass 27's measurement) "is" between a bank and its number, in English, Pidgin ("my opay na 30114…"),
#: Spanish, Portuguese and German.
COPULA = r"(?i:(?:is|na|es|é|ist)[ \t]+)?"
#: A Nigerian mobile's shape: "0" and ten digits, the second a 7, 8 or 9.
NIGERIAN_MOBILE = re.compile(r"0[789]\d{9}")
#: An account number of ten to eighteen digits written together, not a mobile number's "0" and ten digits.
BESIDE_NUMBER = rf"{OPEN}(?P<number>(?!{NIGERIAN_MOBILE.pattern}(?!\d))\d{{10,18}}){CLOSE}"
#: Pass 26: an account number right after or before its bank's name, as a payer writes it in a chat ("Access Bank
#: 0691234567", "send to 0123456789 GTBank", "Opay 8123456789", "acc no 30123456789 SBI").
BANK_THEN_NUMBER = re.compile(rf"{BANK_NAME.pattern}[ \t]*[:,(-]?[ \t]*(?i:(?:acc(?:ount)?|acct|a/c)\.?[ \t]*"
                              rf"(?:no\.?|number|num|#)?[ \t]*:?[ \t]*)?{COPULA}{BESIDE_NUMBER}")
NUMBER_THEN_BANK = re.compile(rf"{BESIDE_NUMBER}[ \t]*[,(-]?[ \t]*(?:\bat[ \t]+|\bin[ \t]+)?{BANK_NAME.pattern}")
#: A phone's word or a country's calling code just before the number: "GTBank customer care 0700…", "SBI
#: registered mobile 9876543210", "+91 9876543210 (SBI)".
PHONE_BEFORE = re.compile(r"(?i:mobile|phone|cell|tel|whatsapp|call|sms|ussd|otp|hotline|care|helpline|\+\d)")


def phone_before(text: str, start: int) -> bool:
    return PHONE_BEFORE.search(text, max(0, start - 25), start) is not None


#: Every `BESIDE_NUMBER` holds ten digits in a row: a cheap gate before the bank's name is looked for everywhere.
TEN_DIGITS = re.compile(r"\d{10}")


def accounts_beside_bank(text: str) -> Iterator[tuple[int, int]]:
    if TEN_DIGITS.search(text) is None:
        return
    for pattern in (BANK_THEN_NUMBER, NUMBER_THEN_BANK):
        for match in pattern.finditer(text):
            start = match.start("number")
            if not reference_before(text, start) and not phone_before(text, start):
                yield start, match.end("number")


#: Pass 26: and a payment's own reference, which a bank's name follows as often as an account's ("Transaction ID
#: 50100123456789 at HDFC bank", "UTR 412345678901 SBI"). (Pass 27: "ref" as a word or a reference's stem, not the
#: "ref" of a refund: "deposit the refund to 12345-003-1234567".)
PAYMENT_REFERENCE = re.compile(r"(?i:transac|txn|trx|\bref(?![a-z])|\bref(?:eren|éren)|utr|rrn|\bid\b|receipt|recibo|"
                               r"comprovante|operaci|session)")


def reference_before(text: str, start: int) -> bool:
    """Whether an order's, an invoice's, a ticket's or a payment's word stands within 30 characters before `start`,
    on its line."""
    line = max(text.rfind("\n", 0, start) + 1, start - 30)
    return REFERENCE_BEFORE.search(text, line, start) is not None or \
        PAYMENT_REFERENCE.search(text, line, start) is not None


#: Pass 26: an IBAN in its groups of four whose check digits a typo broke, away from the word "IBAN" ("…cislo uctu
#: … 44018: CZ42 0100 0000 1949 6537 0257"): its country's exact length and its BBAN's letters and digits where the
#: IBAN registry puts them (python-stdnum's copy) say it is one, in a text that speaks of money.
GROUPED_IBAN = re.compile(r"(?<![\w.-])[A-Z]{2}\d{2}(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,3})?(?![\w-])", re.IGNORECASE)
IBAN_REGISTRY = numdb.get("iban")
BBAN_FIELD = re.compile(r"(\d+)!([nac])")
BBAN_CLASSES = {"n": "[0-9]", "a": "[A-Z]", "c": "[A-Z0-9]"}


def bban_shaped(iban: str) -> bool:
    """Whether the compact, upper-case `iban` has its country's BBAN layout (the registry's "4!n16!n")."""
    layout = IBAN_REGISTRY.info(iban)[0][1].get("bban")
    if not layout:
        return False
    pattern = BBAN_FIELD.sub(lambda field: f"{BBAN_CLASSES[field.group(2)]}{{{field.group(1)}}}", layout)
    return re.fullmatch(pattern, iban[4:]) is not None


#: A reference's word right before the number, naming it ("order no. DE12 …"); one further back names another
#: number ("… za objednavku 44018: CZ42 0100 …" is an order's number, then the account).
REFERENCE_LABEL = re.compile(rf"(?:{REFERENCE_BEFORE.pattern}|{PAYMENT_REFERENCE.pattern})[^\W\d_]*[ \t]*"
                             r"(?i:n[º°o]\.?|nr\.?|no\.?|number|id)?[ \t]*[:#-]?[ \t]*\Z")


def mistyped_ibans(text: str) -> Iterator[tuple[int, int]]:
    for match in GROUPED_IBAN.finditer(text):
        label = REFERENCE_LABEL.search(text, max(0, match.start() - 30), match.start())
        if bban_shaped(match.group().replace(" ", "").upper()) and label is None:
            yield match.span()


def joined(text: str, accounts: list[tuple[int, int, bool]]) -> Iterator[tuple[int, int]]:
    """The account numbers, each with a routing number next to it (`PAIR_GAP` apart, either first) as one finding;
    a routing number alone is the bank's, not the customer's, and is left."""
    index = 0
    while index < len(accounts):
        start, end, routing = accounts[index]
        index += 1
        while index < len(accounts):
            following = accounts[index]
            if following[0] <= end:  # overlapping readings of one number
                routing = routing and following[2]
            elif PAIR_GAP.fullmatch(text, end, following[0]) is not None and (
                    routing != following[2] or ROUTING_FIRST.search(text, end, following[0])):
                routing = routing and following[2]  # (pass 26: a transit, an institution, then the account)
            else:
                break
            end = max(end, following[1])
            index += 1
        if not routing:
            yield start, end


# --- pass 27: an account number in reach of its name -------------------------------------------------------------

#: Pass 27: an account number of eight digits and more, in groups or not ("2034 5567 8812", Thailand's
#: "123-4-56789-0"), not after a country code's "+". (Pass 28: up to 28 digits, a Polish NRB's 26 and a typo's more.)
REACH_NUMBER = re.compile(rf"(?<![\w.,/+-])(?P<number>\d(?:[ .-]?\d){{7,27}}(?:-[0-9Xx])?){CLOSE}")
#: A date among a number's groups, its own digits whole ("2024-05-12 12:30"; not the "23-4-56" of "123-4-56789-0"),
#: and an IP address's dotted quad.
DATE_WITHIN = re.compile(rf"(?<!\d)(?:{DATE.pattern})(?!\d)")
DOTTED_QUAD = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
#: The names of an account that stand inside a run of letters in scripts that write no spaces ("โอนเข้าบัญชี",
#: "振込先口座", "收款账户", "계좌번호"): Thai's, Japanese's, Chinese's and Korean's word for an account.
ACCOUNT_INSIDE = ("บัญชี", "口座", "账户", "帳戶", "账号", "帳號", "계좌")
#: A name of a bank account, or (group "generic") the plain name of an account, anywhere in a line.
#: (Pass 28: an account's kind alone is a plain name: "my GTB savings, 0123456789".)
ACCOUNT_WORD = re.compile(rf"(?i:(?<![^\W\d_])(?:{_NAMES})(?![^\W\d_])|{'|'.join(ACCOUNT_INSIDE)}|"
                          rf"(?P<generic>(?<![^\W\d_])(?:{_GENERIC}|rek|akaun|akun|savings|checking|chequing)(?![^\W\d_])))")
#: Pass 27: words of an amount of money, in our languages: a number after one is no account's ("Account balance: 1 250
#: 000", "Saldo da conta: 1.250,00").
AMOUNT_WORD = re.compile(r"(?i:(?<![^\W\d_])(?:balance|saldo|amount|monto|montant|betrag|valor|importe|total|fee|"
                         r"jumlah|số tiền|so tien|summe|kwota|bedrag)(?![^\W\d_]))")
#: The words of other numbers a chat asks for: a phone's (`pii_refs.PHONE_WORD` too), an order's or a payment's
#: reference (not the "ref" of a refund), a card's, an IP's, a person's id, an amount. The nearest of these or an
#: account's name before a number says what the number is.
OTHER_NUMBER_WORD = re.compile(r"(?i:(?<![^\W\d_])(?:mobile|phone|cell|telephone|whatsapp|sms|otp|hotline|helpline|"
                               r"contact|celular|móvil|movil|hp|telp|sđt|sdt|card|tarjeta|cart[ãa]o|carte|karte|kaart|"
                               r"ip|bvn|nin|nik|ktp|aadhaa?r|pan|passport|ssn|dni|cpf|cuil|cuit|rut|curp|c[ée]dula|nric|"
                               r"mykad|tin|ic|cif|nif|nie)(?![^\W\d_])|" + AMOUNT_WORD.pattern + "|" +
                               REFERENCE_BEFORE.pattern + "|" +
                               PAYMENT_REFERENCE.pattern + "|" + PHONE_WORD.pattern + ")")
#: Words of money paid out to an account, in our languages: the plain "account" of the line they are on is a bank's
#: ("which account should we refund to?", "¿a qué cuenta le transferimos?").
PAYOUT_WORDS = re.compile(r"(?i:refund|reimburs|reembols|rembours|erstatt|devolu|devolv|reintegr|estorn|payout|"
                          r"pay (?:it )?(?:in|out)|transfer|deposit|depósit|virement|überweis|uberweis|hoàn tiền|"
                          r"hoan tien|chuyển|chuyen|kirim|masukkan|salary|salario|sueldo|salário|cashback|"
                          r"withdraw|retir|saque|sacar|"
                          # pass 28: Polish and Czech refunds and transfers
                          r"zwrot|zwróć|zwroc|przelew|przelać|vrácen|vracen|vrátit|vratit|vraťte|převod|prevod)")
#: Pass 27: banks' words in scripts `BANK_CONTEXT`'s word boundaries do not fit (Thai "ธนาคาร", Chinese and Japanese
#: "银行", "銀行", Korean "은행"), Thailand's banks by the names customers give them (Kasikorn, SCB, Krungthai,
#: Krungsri, GSB, ttb), and Vietnamese "ngân hàng".
BANK_INSIDE = re.compile(r"ธนาคาร|กสิกร|ไทยพาณิชย์|กรุงไทย|กรุงศรี|ออมสิน|ทีทีบี|银行|銀行|은행|(?i:ng[âa]n h[àa]ng)")
#: The plain account that holds another number: "the number on the account", "the phone linked to your account".
ACCOUNT_HOLDS = re.compile(r"(?i:\b(?:on|linked\s+to|registered\s+(?:to|on|with)|associated\s+with|attached\s+to|"
                           r"tied\s+to)\s+(?:the|your|my|this|that)\s+\Z)")
#: A chat line's speaker ("Customer:", "[10:32] Ana:", "Agent (Priya):"): a role, or a name after a time or with a
#: role in brackets.
SPEAKER = re.compile(rf"[ \t]*(?:(?P<time>{CHAT_TIME})[ \t]*)?(?P<label>[^\W\d][\w .()'’-]{{0,30}}):[ \t]*")
SPEAKER_ROLES = re.compile(r"(?i:customer|client|cliente|user|usuario|usuário|me|you|caller|buyer|member|kunde|klant|"
                           r"mteja|pelanggan|khách|nasabah|agent|agente|support|soporte|suporte|bot|assistant|cs|rep)\b")
#: What a customer says before the number, a turn after the account was asked for: at most five words, only the first
#: capitalised ("sorry wrong one before, it's ", "ok ", "Correction: "), no digit.
ANSWER_WORDS = re.compile(r"(?:[^\W\d_][^\s\d]*[ \t]+)?(?:[^\W\d_A-Z][^\s\d]*[ \t]+){0,4}\Z|\Z")
#: And at most five words after it, a bank's name in brackets or the name the account is in ("(GTBank)", "a.n. Budi",
#: "- BDO savings"), then the line's end.
ANSWER_TAIL = re.compile(r"[ \t]*[.,;!]?[ \t]*(?:[(\[–-]?[ \t]*(?:[^\W\d_][\w.&']*[ \t]*){1,5}[)\]]?[ \t]*[.!]?)?"
                         r"[ \t]*(?:\n|\Z)")
#: A line that corrects a number given before ("sorry wrong one", "the correct one is", "perdón, es", "maaf salah"):
#: the correction words phones use (`pii_refs.CORRECTION_WORDS`, a word's start here) and an account's own.
CORRECTION = re.compile(rf"(?i:(?<![^\W\d_])(?:{CORRECTION_WORDS})|wrong|correct|disculp|errad|equivoc|desculp|falsch|"
                        rf"korrekt|xin lỗi|nhầm|nham)|{CORRECTION_MARKS}")
#: A correction's words right before the number it gives ("sorry wrong one, it's ", "The correct one na ", "la
#: correcta es ", "o certo é ", "die richtige ist ", "yang benar "): a few letters, no digit, after them.
CORRECTED_BEFORE = re.compile(r"(?i:(?<![^\W\d_])(?:(?:the |la |el |o |a |die |der |le |la )?(?:correct|correcta|correcto|"
                              r"correta|correto|certa|certo|right|richtige|richtig|korrekt\w*|bonne|bon|buena|bueno)"
                              r"(?: one| number| account| uno| una| número| numero| nummer| numéro)?|wrong one|i mean|"
                              r"i meant|sorry|typo|perd[oó]n|disculpa|desculpa|yang benar|maaf)"
                              r"(?![^\W\d_])[^\d\n]{0,16}\Z)")
#: How far back a turn or two may name the account: this many lines before the number's, within this many characters.
REACH_LINES = 2
REACH_CHARS = 240
#: On the number's own line, how far after its account's name with a bank's name between ("account at Equity Bank
#: Kenya, 0123…", "akaun Maybank saya 1122 3344 5566").
SAME_LINE_CHARS = 40
#: A name of the account right before its number: a colon, a number sign, "no.", "is" between.
NAME_GAP = re.compile(rf"{GAP}\Z")
#: A sentence's end between the account's name and the number: the number is another sentence's.
SENTENCE_END = re.compile(r"[.?!](?:\s|\Z)")


def accounts_in_reach(text: str) -> Iterator[tuple[int, int]]:
    """Pass 27: a number given after its account was named a turn or two before in a chat ("Agent: which account
    should we refund to?\nCustomer: 0123456789 (GTBank)", "Customer: sorry wrong one, it's 2034 5567 8812"), or on
    its line with the bank's name between ("akaun Maybank saya 1122 3344 5566"), when the nearest number's word before
    it is an account's and a plain "account" has a bank or a payout in reach."""
    for match in REACH_NUMBER.finditer(text):
        number = match.group("number")
        if DATE_WITHIN.search(number) or NIGERIAN_MOBILE.fullmatch(number) or DOTTED_QUAD.fullmatch(number):
            continue
        if account_named_before(text, match.start("number"), match.end("number")):
            yield match.span("number")


def account_named_before(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    word = last_number_word(text, reach_start(text, line_start), start)
    if word is None or word.re is not ACCOUNT_WORD or ROUTING_FIRST.search(word.group()):
        return False  # (a routing number alone is the bank's: `named_accounts` judges it)
    if ACCOUNT_HOLDS.search(text, max(0, word.start() - 30), word.start()):
        return False
    if MOBILE_WALLET.search(text, max(0, word.start() - 30), word.start()):
        return False  # pass 28: "my EcoCash account 0772 …", a mobile wallet's: its owner's phone
    word_line = text.rfind("\n", 0, word.start()) + 1
    if corrected(text, line_start, start, end):
        pass  # "The correct one is 2091847356": the account named before, given again
    elif word.start() >= line_start:
        return named_on_its_line(text, word, line_start, start)
    elif not answer_line(text, line_start, start, end) or not (
            asks(text, word_line) or BANK_NAME.search(line_of(text, word.start()))
            or CORRECTION.search(text, line_start, start)):
        return False
    return word.group("generic") is None or bank_or_payout_in_reach(text, word_line, end)


def corrected(text: str, line_start: int, start: int, end: int) -> bool:
    """Whether the number at start:end corrects one given before ("sorry wrong one, it's …", "The correct one na
    …", "perdón, la correcta es …"), no other number's word after it in its sentence."""
    if CORRECTED_BEFORE.search(text, max(line_start, start - 40), start) is None:
        return False
    sentence_end = SENTENCE_END.search(text, end)
    return OTHER_NUMBER_WORD.search(text, end, sentence_end.start() if sentence_end else len(text)) is None


#: (After pass 27's measurement) how close before a plain account's name a payout's word makes it a bank's ("Refund
#: to account: …"; not "I want to transfer my postpaid line to my new flat. … Account no 1.2847719").
PAYOUT_BEFORE_NAME = 24


def named_on_its_line(text: str, word: re.Match[str], line_start: int, start: int) -> bool:
    """Whether the account named by `word` on the number's line is the number's: a bank's name between them, close
    and in one sentence; or (a plain account's name right before the number) a bank or payout named on the line
    before ("Refund to my bank account please.\nacc: 0234567891") or before the name on its own line ("Refund to
    account: 06-0229-…", after pass 27's measurement)."""
    gap = text[word.end():start]
    if NAME_GAP.match(gap) is not None:
        return word.group("generic") is not None and (
            (line_start > 0 and bank_or_payout_in_reach(text, line_start, line_start - 1))
            or PAYOUT_WORDS.search(text, max(line_start, word.start() - PAYOUT_BEFORE_NAME), word.start()) is not None)
    return (len(gap) <= SAME_LINE_CHARS and not any(char.isdigit() for char in gap) and not SENTENCE_END.search(gap)
            and (BANK_NAME.search(gap) is not None or BANK_INSIDE.search(gap) is not None
                 or bank_before_word(text, word.start(), line_start, gap)))


def bank_before_word(text: str, word_start: int, line_start: int, gap: str) -> bool:
    """Pass 28: whether a bank's name stands right before the account's word (`BANK_BEFORE_WORD`) and the words
    between it and the number give the number as the account's: they end in a comma, a colon or "is" ("BDO account ko
    for payout, 3717…", "my UBA acct for the refund is 2087…") or speak of a payout; no amount's word ("GTB savings
    rate changed on 20240518" is a date)."""
    if BANK_BEFORE_WORD.search(text, max(line_start, word_start - 30), word_start) is None or AMOUNT_WORD.search(gap):
        return False
    return GIVEN_END.search(gap) is not None or PAYOUT_WORDS.search(gap) is not None


#: The end of the words that give a number as what was named before: a comma, a colon, "is" (Pidgin and Tagalog
#: "na", "ay", Spanish "es", Portuguese "é", German "ist"), Tagalog's polite "po".
GIVEN_END = re.compile(r"(?:[,:]|(?<![^\W\d_])(?i:is|na|ay|es|é|ist|po))[ \t]*\Z")
#: Pass 28: a bank's name right before an account's word, a possessive between at most ("BDO account ko for payout,
#: 3717…", "my GTB savings, 0123…", "Chase checking is …"): the account's number may follow a few words on.
BANK_BEFORE_WORD = re.compile(rf"{BANK_NAME.pattern}[ \t]*(?:[’']s[ \t]*)?(?i:(?:savings|checking|chequing|current)[ \t]+)?\Z")


def line_of(text: str, position: int) -> str:
    """The line that holds `position` (`pii_address.line_around`), without its newline."""
    start, end = line_around(text, position, position)
    return text[start:end]


def asks(text: str, line_start: int) -> bool:
    """Whether the line that names the account asks for it (`pii_ids.ASKING`'s question or request words)."""
    line = line_of(text, line_start)
    return ASKING.search(line) is not None or ASKING_MORE.search(line) is not None or PAYOUT_WORDS.search(line) is not None


def reach_start(text: str, line_start: int) -> int:
    """Where the `REACH_LINES` lines before the one at `line_start` begin, at most `REACH_CHARS` back."""
    start = line_start
    for _ in range(REACH_LINES):
        if start <= 0:
            break
        start = text.rfind("\n", 0, start - 1) + 1
    return max(start, line_start - REACH_CHARS)


def last_number_word(text: str, start: int, end: int) -> re.Match[str] | None:
    """The last account's name or other number's word (`OTHER_NUMBER_WORD`) in text[start:end]."""
    last = None
    for pattern in (ACCOUNT_WORD, OTHER_NUMBER_WORD):
        for found in pattern.finditer(text, start, end):
            if last is None or found.start() > last.start():
                last = found
    return last


def answer_line(text: str, line_start: int, start: int, end: int) -> bool:
    """Whether the number at start:end is the answer its line gives: a chat's speaker (`SPEAKER`) and a few words
    before it (`ANSWER_WORDS`), a bank's name or the account's holder after it, and no other number's word."""
    speaker = SPEAKER.match(text, line_start, start)
    head = line_start
    if speaker is not None:
        if not (speaker.group("time") or "(" in speaker.group("label") or SPEAKER_ROLES.match(speaker.group("label"))):
            return False  # a form's field ("CUIL: …") is no chat's turn
        head = speaker.end()
    tail = ANSWER_TAIL.match(text, end)
    return (ANSWER_WORDS.match(text, head, start) is not None and tail is not None
            and OTHER_NUMBER_WORD.search(text, end, tail.end()) is None)


def bank_or_payout_in_reach(text: str, word_line: int, end: int) -> bool:
    """Whether a bank is named, or money paid out, from the line before the account's name to the number's line's
    end."""
    line_end = text.find("\n", end)
    stop = line_end if line_end >= 0 else len(text)
    begin = text.rfind("\n", 0, max(0, word_line - 1)) + 1 if word_line > 0 else 0
    return any(pattern.search(text, begin, stop) is not None for pattern in (BANK_CONTEXT, BANK_INSIDE, PAYOUT_WORDS))
