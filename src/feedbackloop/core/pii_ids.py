"""National identity numbers of many countries (issue 18), found as kind "SSN" by `redact.find_ssns`.

Check digits come from python-stdnum (LGPL, imported, not copied: docs/exports.md), one module per
country, rather than from checksums written here. Three ways a number counts:

- written in a shape only an identity number has (the country's own separators, or its letter
  pattern: "347.812.596-40", "FRRCHR85M52F205Z", "AB 12 34 56 D") and valid by that country's module;
- a bare digit run valid by some country's module, right after an id word ("ID", "identity"): a
  ten-digit order number passes a mod-11 check one time in eleven, so the word must be there;
- anything of an identity number's length right after the name of one ("PESEL:", "CPF",
  "Fødselsnummeret mitt er", "DNI para el despacho:"), valid or not: the numbers with no check digit
  (an Argentine DNI, a Colombian cédula, a Vietnamese CCCD) and the ones a customer mistypes are
  still theirs, as an IBAN with a wrong check digit after the word "IBAN" is.

The first and second ways are gated by a cheap look at the text (the reference redactor,
tests/redact_oracle.py, runs them with `gated=False`); the third looks for the numbers first, then for
a name in the few words before each, which costs less than looking for 120 names everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

from stdnum import luhn, verhoeff
from stdnum.ar import cuit as ar_cuit
from stdnum.at import vnr as at_vnr
from stdnum.au import tfn as au_tfn
from stdnum.be import bis as be_bis
from stdnum.be import eid as be_eid
from stdnum.be import nn as be_nn
from stdnum.bg import egn as bg_egn
from stdnum.br import cpf as br_cpf
from stdnum.ca import bc_phn as ca_bc_phn
from stdnum.ca import sin as ca_sin
from stdnum.ch import ssn as ch_ssn
from stdnum.cl import rut as cl_rut
from stdnum.cn import ric as cn_ric
from stdnum.cz import rc as cz_rc
from stdnum.de import idnr as de_idnr
from stdnum.dk import cpr as dk_cpr
from stdnum.do import cedula as do_cedula
from stdnum.ec import ci as ec_ci
from stdnum.ec import ruc as ec_ruc
from stdnum.ee import ik as ee_ik
from stdnum.es import dni as es_dni
from stdnum.es import nie as es_nie
from stdnum.fi import hetu as fi_hetu
from stdnum.fr import nir as fr_nir
from stdnum.gb import nhs as gb_nhs
from stdnum.gb import utr as gb_utr
from stdnum.gr import amka as gr_amka
from stdnum.hr import oib as hr_oib
from stdnum.ie import pps as ie_pps
from stdnum.il import idnr as il_idnr
from stdnum.in_ import aadhaar as in_aadhaar
from stdnum.in_ import pan as in_pan
from stdnum.is_ import kennitala as is_kennitala
from stdnum.it import codicefiscale as it_codicefiscale
from stdnum.jp import in_ as jp_in
from stdnum.kr import rrn as kr_rrn
from stdnum.lt import asmens as lt_asmens
from stdnum.lv import pvn as lv_pvn
from stdnum.mx import curp as mx_curp
from stdnum.my import nric as my_nric
from stdnum.nl import bsn as nl_bsn
from stdnum.no import fodselsnummer as no_fodselsnummer
from stdnum.nz import ird as nz_ird
from stdnum.pe import ruc as pe_ruc
from stdnum.pk import cnic as pk_cnic
from stdnum.pl import pesel as pl_pesel
from stdnum.pt import cc as pt_cc
from stdnum.pt import nif as pt_nif
from stdnum.ro import cnp as ro_cnp
from stdnum.ru import inn as ru_inn
from stdnum.se import personnummer as se_personnummer
from stdnum.si import emso as si_emso
from stdnum.sk import rc as sk_rc
from stdnum.th import pin as th_pin
from stdnum.tr import tckimlik as tr_tckimlik
from stdnum.ua import rntrc as ua_rntrc
from stdnum.us import atin as us_atin
from stdnum.us import itin as us_itin
from stdnum.us import ssn as us_ssn
from stdnum.vn import mst as vn_mst
from stdnum.za import idnr as za_idnr

from feedbackloop.core.id_names import DEMONYMS, POSSESSIVES, WORLD_ID_NAMES
from feedbackloop.core.pii_refs import (
    ALL_STEMS,
    COMPOUND_STEMS,
    CORRECTION_MARKS,
    CORRECTION_WORDS,
    NUMBERED,
    PERSON_STEMS,
    PHONE_WORD,
    SHORT_STEMS,
    names_a_reference,
)

Valid = Callable[[str], bool]


def emirates_id_valid(number: str) -> bool:
    """784-YYYY-NNNNNNN-C: the United Arab Emirates' code, then a Luhn check digit (no stdnum module)."""
    digits = number.replace("-", "")
    return len(digits) == 15 and digits.startswith("784") and luhn.is_valid(digits)


def saudi_id_valid(number: str) -> bool:
    """Issue 18, pass 25: Saudi Arabia's national id (1 first) or iqama (2 first): ten digits, a Luhn check digit
    (no stdnum module). Counted after a person's id word, as CHECKED's others."""
    digits = re.sub(r"[ -]", "", number)
    return len(digits) == 10 and digits[0] in "12" and digits.isdigit() and luhn.is_valid(digits)


def aadhaar_valid(number: str) -> bool:
    """Issue 18, pass 25: India's Aadhaar as its card prints it ("2345 6789 0124"): its Verhoeff digit, read apart."""
    return in_aadhaar.is_valid(re.sub(r"[ -]", "", number))


#: Taiwan's national id (no stdnum module): a letter for the place of registration (A=10 … Z=33, out of
#: order), 1 or 2 for the sex, eight digits, the last a check digit over the weights 1 9 8 7 6 5 4 3 2 1 1.
TAIWAN_LETTERS = dict(zip("ABCDEFGHJKLMNPQRSTUVXYWZIO", range(10, 36)))


def taiwan_id_valid(number: str) -> bool:
    code = TAIWAN_LETTERS.get(number[:1])
    if code is None or not number[1:].isdigit() or len(number) != 10:
        return False
    digits = [code // 10, code % 10, *map(int, number[1:])]
    weights = (1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1)
    return sum(d * w for d, w in zip(digits, weights)) % 10 == 0


#: UK National Insurance numbers (no stdnum module): HMRC's rules for the prefix. Neither letter is
#: D, F, I, Q, U or V, the second is not O, and BG, GB, KN, NK, NT, TN, ZZ are never issued.
NINO_PREFIX = re.compile(r"[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]")
NINO_NOT_ISSUED = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})


def nino_valid(number: str) -> bool:
    """A National Insurance number whose prefix HMRC issues ("QQ 12 34 56 C" is its specimen)."""
    prefix = number[:2].upper()
    return NINO_PREFIX.fullmatch(prefix) is not None and prefix not in NINO_NOT_ISSUED


def uk_licence_valid(number: str) -> bool:
    """A British driving licence number (no stdnum module): the surname's first five letters (9s to pad), the
    birth date's decade digit, month (plus 50 for a woman), day and year digit, initials, a digit, two letters."""
    month, day = int(number[6:8]) % 50, int(number[8:10])
    return 1 <= month <= 12 and 1 <= day <= 31 and number[:1] != "9"


def hkid_valid(number: str) -> bool:
    """A Hong Kong identity card number as printed, "A123456(3)" (no stdnum module): one or two letters (A=10 …
    Z=35, a lone one after a space worth 36), six digits, then in brackets a check digit (A for ten) that makes the
    sum over the weights 9 … 1 a multiple of 11."""
    head, check = number[:-3].rstrip(), number[-2]
    letters, digits = head[:-6], head[-6:]
    values = [36] * (2 - len(letters)) + [ord(char) - 55 for char in letters] + [int(d) for d in digits]
    total = sum(value * weight for value, weight in zip(values, range(9, 1, -1)))
    return (total + (10 if check == "A" else int(check))) % 11 == 0


def snils_valid(number: str) -> bool:
    """Russia's СНИЛС, "112-233-445 95" (no stdnum module): nine digits, then two that are the sum of the nine
    times 9 … 1, modulo 101 (100 written 00)."""
    digits = re.sub(r"\D", "", number)
    total = sum(int(d) * (9 - place) for place, d in enumerate(digits[:9])) % 101
    return len(digits) == 11 and total % 100 == int(digits[9:])


def sri_lanka_nic_valid(number: str) -> bool:
    """Sri Lanka's old NIC, "853400937V" (no stdnum module): the birth year's two digits, the day of the year (500
    more for a woman), four digits, V or X. No check digit: the day must be one."""
    day = int(number[2:5])
    return 1 <= day % 500 <= 366 and day < 867


#: Singapore's NRIC and FIN (no stdnum module): S, T (citizens, born before and from 2000), F, G (foreigners),
#: seven digits weighted 2 7 6 5 4 3 2 (4 more for T and G), the check letter from the remainder modulo 11.
NRIC_LETTERS = {"S": "JZIHGFEDCBA", "T": "JZIHGFEDCBA", "F": "XWUTRQPNMLK", "G": "XWUTRQPNMLK"}
NRIC_SHAPE = re.compile(r"[STFG]\d{7}[A-Z]")


def nric_valid(number: str) -> bool:
    if NRIC_SHAPE.fullmatch(number) is None:
        return False
    total = sum(int(d) * w for d, w in zip(number[1:8], (2, 7, 6, 5, 4, 3, 2))) + (4 if number[0] in "TG" else 0)
    return NRIC_LETTERS[number[0]][total % 11] == number[8]


def uruguay_ci_valid(number: str) -> bool:
    """Uruguay's cédula de identidad, "1.234.567-2" (no stdnum module): seven digits times 2 9 8 7 6 3 4, the check
    digit what brings the sum to a multiple of ten."""
    digits = re.sub(r"\D", "", number)
    total = sum(int(d) * w for d, w in zip(digits[:7], (2, 9, 8, 7, 6, 3, 4)))
    return len(digits) == 8 and (10 - total % 10) % 10 == int(digits[7])


def birth_date_first(number: str) -> bool:
    """Whether a number starts with a birth date, YYMMDD (a Korean resident number's first half, "900317-2******")."""
    month, day = int(number[2:4]), int(number[4:6])
    return 1 <= month <= 12 and 1 <= day <= 31


def person_cuit_valid(number: str) -> bool:
    """An Argentine CUIL or a person's CUIT ("20-34567890-6"; a firm's start with 30, 33 or 34), its check digit
    right."""
    return ar_cuit.is_valid(number)


def cccd_valid(number: str) -> bool:
    """Viet Nam's citizen card (CCCD, no check digit): twelve digits, a province's code (001 to 096), a digit for the
    century and sex (0 to 3: the 1900s' and 2000s'), the birth year's two digits, six more."""
    digits = re.sub(r"[ .-]", "", number)
    return len(digits) == 12 and digits.isdigit() and 1 <= int(digits[:3]) <= 96 and digits[3] in "0123"


#: Egypt's governorates' codes in a national number (the eighth and ninth digits; 88: born abroad).
EGYPT_GOVERNORATES = frozenset({1, 2, 3, 4, 11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 23, 24, 25, 26, 27, 28, 29, 31,
                                32, 33, 34, 35, 88})


def egypt_id_valid(number: str) -> bool:
    """Egypt's national number (no published check digit): fourteen digits, the century (2: the 1900s, 3: the
    2000s), the birth date as YYMMDD, the governorate, five more."""
    digits = re.sub(r"[ .-]", "", number)
    if len(digits) != 14 or not digits.isdecimal():
        return False
    digits = "".join(str(int(char)) for char in digits)  # (Arabic-Indic digits as well: "٢٩٠٠١٠١…")
    if digits[0] not in "23":
        return False
    month, day = int(digits[3:5]), int(digits[5:7])
    return 1 <= month <= 12 and 1 <= day <= 31 and int(digits[7:9]) in EGYPT_GOVERNORATES


# issue 18, twentieth pass: Northern and Central Europe's numbers that python-stdnum has no module for (Germany's
# pension and health-insurance numbers, Luxembourg's matricule, Poland's id card), or checks less than a bare
# number needs (Denmark's CPR: its date only; Latvia's code: a firm's too).

def digit_sum(number: int) -> int:
    return sum(divmod(number, 10))


def pension_number_valid(number: str) -> bool:
    """Germany's Rentenversicherungsnummer (the Sozialversicherungsnummer, no stdnum module), "65 170839 J 00 3":
    the area, the birth date as DDMMYY, the surname's initial, a serial, a check digit: the initial as its two-digit
    place in the alphabet, the twelve digits times 2 1 2 5 7 1 2 1 2 1 2 1, the products' digit sums added, modulo 10."""
    compact = number.replace(" ", "")
    if len(compact) != 12 or not compact[8].isalpha() or not (compact[:8] + compact[9:]).isdigit():
        return False
    day, month = int(compact[2:4]), int(compact[4:6])
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return False
    digits = compact[:8] + f"{ord(compact[8].upper()) - 64:02d}" + compact[9:11]
    total = sum(digit_sum(int(d) * w) for d, w in zip(digits, (2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1)))
    return total % 10 == int(compact[11])


def health_insurance_number_valid(number: str) -> bool:
    """Germany's Krankenversichertennummer (no stdnum module), "A123456780": a letter, eight digits, a check digit:
    the letter as its two-digit place in the alphabet, the ten digits times 1 and 2 in turn, the products' digit
    sums added, modulo 10."""
    compact = number.replace(" ", "")
    if len(compact) != 10 or not compact[0].isalpha() or not compact[1:].isdigit():
        return False
    digits = f"{ord(compact[0].upper()) - 64:02d}" + compact[1:9]
    return sum(digit_sum(int(d) * (1 + place % 2)) for place, d in enumerate(digits)) % 10 == int(compact[9])




def luxembourg_matricule_valid(number: str) -> bool:
    """Luxembourg's matricule (numéro d'identification national, no stdnum module), "1983 0811 123 45": the birth
    date as YYYYMMDD, three digits, a Luhn check digit over the eleven, then a Verhoeff check digit over them."""
    digits = re.sub(r"[ .-]", "", number)
    if len(digits) != 13 or not digits.isdigit() or digits[:2] not in ("19", "20"):
        return False
    month, day = int(digits[4:6]), int(digits[6:8])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return False
    return luhn.is_valid(digits[:12]) and verhoeff.is_valid(digits[:11] + digits[12])


def polish_id_card_valid(number: str) -> bool:
    """Poland's dowód osobisty number (no stdnum module), "ABA 300000": three letters (A = 10 … Z = 35), six digits,
    the first a check digit: the others times 7 3 1 7 3 1 7 3, modulo 10."""
    compact = number.replace(" ", "").upper()
    if len(compact) != 9 or not compact[:3].isalpha() or not compact[3:].isdigit():
        return False
    values = [ord(char) - 55 for char in compact[:3]] + [int(d) for d in compact[4:]]
    return sum(v * w for v, w in zip(values, (7, 3, 1, 7, 3, 1, 7, 3))) % 10 == int(compact[3])


def danish_cpr_checked(number: str) -> bool:
    """Denmark's CPR with its old modulus-11 check (numbers issued before 2007, all but a few: stdnum checks only the
    date), for a bare number; after its name any valid date will do."""
    digits = re.sub(r"[ -]", "", number)
    return (len(digits) == 10 and dk_cpr.is_valid(digits)
            and sum(int(d) * w for d, w in zip(digits, (4, 3, 2, 7, 6, 5, 4, 3, 2, 1))) % 11 == 0)


def latvian_code_valid(number: str) -> bool:
    """Latvia's personas kods, a person's: the birth date as DDMMYY, the century (0 to 2), four digits, the last a
    check digit (stdnum's lv.pvn; a firm's start with 4 or more), or since 2017 "32" and nine digits."""
    digits = re.sub(r"[ -]", "", number)
    return len(digits) == 11 and digits[0] <= "3" and (digits[:2] == "32" or digits[6] <= "2") and lv_pvn.is_valid(digits)


def latvian_dated_code_valid(number: str) -> bool:
    """A Latvian personal code with its birth date (not the new "32…" ones: a check digit alone is too weak bare)."""
    return not number.startswith("32") and latvian_code_valid(number)

#: For a shape with no check digit to test that no other number is written in ("GHA-721934085-3", CNIC's 5-7-1).
SHAPE_ALONE: tuple[Valid, ...] = (lambda number: True,)

def codice_fiscale_typed(number: str) -> bool:
    """Pass 24: a codice fiscale whose check letter was mistyped ("…L219X" for "…L219W"): its shape (six letters, the
    year, a month's letter, the day, 01–31 or 41–71 for a woman, the town's letter and three digits, a letter) is
    no product's or order's, and it is still the person's; the day must be one."""
    day = int(number[9:11])
    return 1 <= day <= 31 or 41 <= day <= 71


#: The shapes that only an identity number is written in, each with the modules that must accept it.
#: A date ("12.03.1985"), a phone or an order number ("2024-88153") has none of these shapes.
SHAPES: dict[str, tuple[str, tuple[Valid, ...]]] = {
    "cpf": (r"\d{3}\.\d{3}\.\d{3}-\d{2}", (br_cpf.is_valid,)),
    # pass 24: a CPF typed with spaces for its dots ("390 533 447 05") or with its dash alone ("390533447-05"): two
    # check digits pass one random number in a hundred, and a phone's groups are seldom three threes and a two
    "cpf_typed": (r"\d{3} \d{3} \d{3}[ -]\d{2}|\d{9}-\d{2}", (br_cpf.is_valid,)),
    "be": (r"\d{2}\.\d{2}\.\d{2}[-. ]\d{3}[-.]\d{2}", (be_nn.is_valid, be_bis.is_valid)),  # ("85.07.30 033-28": pass 20)
    "rc": (r"\d{6}(?:/| / )\d{4}", (cz_rc.is_valid, sk_rc.is_valid)),
    "rrn": (r"\d{6}-\d{7}", (kr_rrn.is_valid,)),
    "emirates": (r"784-\d{4}-\d{7}-\d", (emirates_id_valid,)),
    # pass 21: the Emirates id written without its dashes or with spaces (784, the birth year, seven, a Luhn digit)
    "emirates_run": (r"784[ ]?(?:19|20)\d{2}[ ]?\d{7}[ ]?\d", (emirates_id_valid,)),
    "nir": (r"[12] \d{2} \d{2} (?:\d{2}|2[AB]) \d{3} \d{3} \d{2}", (fr_nir.is_valid,)),
    "bsn": (r"\d{4}\.\d{2}\.\d{3}", (nl_bsn.is_valid,)),
    # (issue 18, twentieth pass: dotted so, 756 first, a Swiss AHV number is one though its check digit be mistyped)
    "ahv": (r"756\.\d{4}\.\d{4}\.\d{2}", SHAPE_ALONE),
    "rut": (r"\d{1,2}\.\d{3}\.\d{3}-[\dkK]", (cl_rut.is_valid,)),
    "cedula": (r"\d{3}-\d{7}-\d", (do_cedula.is_valid,)),
    "ric": (r"\d{17}X", (cn_ric.is_valid,)),
    "hetu": (r"\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]", (fi_hetu.is_valid,)),  # (the century sign "-" and "+" too: pass 19)
    "cf": (r"[A-Z]{6}\d{2}[A-EHLMPRST]\d{2}[A-Z]\d{3}[A-Z]", (it_codicefiscale.is_valid, codice_fiscale_typed)),
    "curp": (r"[A-Z]{4}\d{6}[HMX][A-Z]{5}[0-9A-Z]\d", (mx_curp.is_valid,)),
    "dni": (r"\d{8}-?[A-Z]", (es_dni.is_valid,)),
    "nie": (r"[XYZ]-?\d{7}-?[A-Z]", (es_nie.is_valid,)),
    "cc": (r"\d{8} ?\d ?[A-Z]{2}\d", (pt_cc.is_valid,)),
    "nino": (r"[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]", (nino_valid,)),
    # issue 18, sixteenth pass: Germany's tax id as printed (2-3-3-3), Sweden's personnummer with its
    # century or its dash, Pakistan's CNIC (5-7-1 dashed: no other number is written so; its first digit
    # is the province, 1 to 7)
    "idnr": (r"\d{2} \d{3} \d{3} \d{3}", (de_idnr.is_valid,)),
    "pnr": (r"(?:19|20)?\d{6}[-+]\d{4}", (se_personnummer.is_valid, danish_cpr_checked, is_kennitala.is_valid)),
    "cnic": (r"[1-7]\d{4}-\d{7}-\d", SHAPE_ALONE),
    # the Philippines' PhilHealth number (2-9-1 dashed), Ontario's driver's licence (a letter, 4-5-5 dashed)
    "philhealth": (r"\d{2}-\d{9}-\d", SHAPE_ALONE),
    "ontario_dl": (r"[A-Z]\d{4}-\d{5}-\d{5}", SHAPE_ALONE),
    # issue 18, seventeenth pass: China's 18-digit id with a digit check, Taiwan's letter and nine digits,
    # Ghana's card, Kenya's KRA PIN
    "ric18": (r"\d{18}", (cn_ric.is_valid,)),
    "tw": (r"[A-Z][12]\d{8}", (taiwan_id_valid,)),
    "ghana": (r"GHA[- ]?\d{9}[- ]?\d", SHAPE_ALONE),  # (pass 21: with spaces or none too)
    "kra": (r"[AP]\d{9}[A-Z]", SHAPE_ALONE),
    # issue 18, after the seventeenth pass: the US Medicare Beneficiary Identifier (letters and digits in fixed
    # places, dashed as the card prints it), Thailand's 13 digits as printed (1-4-5-2-1, checked), Indonesia's
    # NPWP tax number
    "mbi": (r"\d[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y\d]\d-?[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y\d]\d-?[AC-HJKMNP-RT-Y]{2}\d{2}",
            SHAPE_ALONE),
    "thai": (r"\d[ -]\d{4}[ -]\d{5}[ -]\d{2}[ -]\d", (lambda number: th_pin.is_valid(re.sub(r"\D", "", number)),)),
    "npwp": (r"\d{2}\.\d{3}\.\d{3}\.\d-\d{3}\.\d{3}", SHAPE_ALONE),
    # issue 18, eighteenth pass: python-stdnum's other person ids with a shape of their own: Malaysia's MyKad
    # (birth date, state, serial: 6-2-4 dashed), India's PAN of a person (its fourth letter P), the US ITIN and
    # ATIN (an SSN's dashes, area 9), Belgium's eID card number (3-7-2 dashed, mod 97)
    "uk_dl": (r"[A-Z9]{5}\d{6}[A-Z9]{2}\d[A-Z]{2}", (uk_licence_valid,)),  # the DVLA's 16 characters
    "mykad": (r"\d{6}-\d{2}-\d{4}", (my_nric.is_valid,)),
    "pan": (r"[A-Z]{3}P[A-Z]\d{4}[A-Z]", (in_pan.is_valid,)),
    "itin": (r"9\d{2}-\d{2}-\d{4}", (us_itin.is_valid,)),
    "atin": (r"9\d{2}-93-\d{4}", (us_atin.is_valid,)),  # (stdnum's ATIN checks only the area: the shape has the 93)
    "eid": (r"\d{3}-\d{7}-\d{2}", (be_eid.is_valid,)),
    # issue 18, nineteenth pass: Argentina's CUIL (2-8-1 dashed, a person's prefix, mod 11), Hong Kong's card with
    # its bracketed check digit, Sri Lanka's old NIC (nine digits and V), Russia's СНИЛС (3-3-3 dashed, then two),
    # Singapore's NRIC and FIN, Korea's resident number with its back half masked ("900317-2******")
    "cuil": (r"2[0347]-\d{8}-\d", (person_cuit_valid,)),
    "hkid": (r"[A-Z]{1,2}\d{6} ?\([0-9A]\)", (hkid_valid,)),  # (pass 23: a space before the bracket)
    "lk_nic": (r"\d{9}[Vv]", (sri_lanka_nic_valid,)),
    "snils": (r"\d{3}-\d{3}-\d{3}[ -]\d{2}", (snils_valid,)),
    "nric": (r"[STFG]\d{7}[A-Z]", (nric_valid,)),
    "rrn_masked": (r"\d{6}-[1-8](?:\*{6}|•{6}|●{6}|[xX]{6})", (birth_date_first,)),
    # Uruguay's cédula (1.234.567-2, a check digit over 2 9 8 7 6 3 4)
    "uy_ci": (r"\d\.\d{3}\.\d{3}-\d", (uruguay_ci_valid,)),
    # issue 18, twentieth pass: Norway's fødselsnummer and Latvia's personas kods as written (6-5, a space or a
    # dash), Germany's Rentenversicherungsnummer (an initial among its digits), Luxembourg's matricule in groups
    "dmy_5": (r"[0-7]\d[0-5]\d{3}[- ]\d{5}", (no_fodselsnummer.is_valid, latvian_dated_code_valid)),
    "rvnr": (r"\d{2} ?[0-7]\d[01]\d{3} ?[A-Z] ?\d{2} ?\d", (pension_number_valid,)),
    "lu": (r"(?:19|20)\d{2} ?[01]\d ?[0-3]\d ?\d{3} ?\d{2}", (luxembourg_matricule_valid,)),
    # issue 18, pass 23: Belarus's identification number (идентификационный номер, in the passport): the sex and
    # century (1 to 6), the birth date as DDMMYY, the region's letter (A, B, C, H, K, E, M), three digits, the
    # issuer's two letters (PB, BA, BI, GB), a check digit
    "by": (r"[1-6][0-3]\d[01]\d{3}[ABCHKEM]\d{3}(?:PB|BA|BI|GB)\d", SHAPE_ALONE),
    # issue 18, pass 25: India's Aadhaar as printed, three groups of four (no 0 or 1 first), its Verhoeff digit passing:
    # one random number in ten passes, but no phone, card or order number is written 4-4-4 and no more (the groups
    # of a card or a tracking number go on, and are not taken)
    # Myanmar's national registration card, as its owners write it in Latin letters: the state's number, the
    # township's letters, the citizen's class in brackets (N, E, P, T), six digits ("12/MAYANA(N)123456")
    "mm_nrc": (r"1?\d/[A-Za-z]{3,9}\((?:N|NAING|E|P|T)\)\d{6}", SHAPE_ALONE),
    "aadhaar": (r"(?<!\d[ -])[2-9]\d{3}(?: \d{4} \d{4}(?! ?\d)|-\d{4}-\d{4}(?!-?\d))", (aadhaar_valid,)),
}
#: Issue 18, eighteenth pass: a letter or digit of a script that spaces its words: before or after one, a number
#: is part of a longer word; Han, Kana, Hangul and Thai glue numbers to their words ("身份证号是11010519491231002X").
LATIN_CLASS = r"0-9A-Za-z\u00C0-\u024F\u0370-\u04FF_"
LATIN = f"[{LATIN_CLASS}]"
#: (The lookahead: every shape starts with a digit or a capital, and the engine then skips other positions fast.)
SHAPED = re.compile(rf"(?<![{LATIN_CLASS}.,/+-])(?=[\dA-Z])(?:" + "|".join(f"(?P<{name}>{shape})" for name, (shape, _) in SHAPES.items())
                    + rf")(?!{LATIN})(?![.,/-]\w)")
#: A digit or a capital letter next to a digit: every SHAPED match holds one.
SHAPED_HINT = re.compile(r"\d[\d.\-/ X]|[A-Z]\d")

#: Bare digit runs valid here need an id word before them: a module for each country that checks
#: more than a length (Denmark's CPR and Indonesia's NIK check a date only, so they count only after
#: their own names).
CHECKED: tuple[Valid, ...] = (
    se_personnummer.is_valid, no_fodselsnummer.is_valid, fi_hetu.is_valid, is_kennitala.is_valid,
    pl_pesel.is_valid, nl_bsn.is_valid, be_nn.is_valid, br_cpf.is_valid, fr_nir.is_valid, za_idnr.is_valid,
    cz_rc.is_valid, sk_rc.is_valid, cn_ric.is_valid, in_aadhaar.is_valid, kr_rrn.is_valid, ua_rntrc.is_valid,
    tr_tckimlik.is_valid, bg_egn.is_valid, ee_ik.is_valid, lt_asmens.is_valid, ro_cnp.is_valid, gr_amka.is_valid,
    de_idnr.is_valid, at_vnr.is_valid, hr_oib.is_valid, il_idnr.is_valid, ch_ssn.is_valid, th_pin.is_valid,
    si_emso.is_valid, jp_in.is_valid, ca_sin.is_valid, es_dni.is_valid, es_nie.is_valid, ie_pps.is_valid,
    it_codicefiscale.is_valid, mx_curp.is_valid, pt_cc.is_valid, emirates_id_valid,
    my_nric.is_valid, pk_cnic.is_valid, ru_inn.is_valid,  # issue 18, eighteenth pass: stdnum's, with dates or two checks
    saudi_id_valid,  # (issue 18, pass 25)
)

#: The names of identity numbers, in the languages of the corpus and beyond, each a word or the start
#: of one ("henkilötunnukseni", "fødselsnummeret"). Right after one, a number of an id's length counts.
ID_NAMES = (
    r"national (?:id|identity|insurance)(?: card| number| no\.?)?|identity (?:card|number|no\.?|document)|id[ -]?card|"
    r"id[ -]?(?:nummer|nommer|nr\.?|number|no\.?|kort)|emirates id|ni (?:number|no\.?)|nino\b|ni(?=\s*:)|"
    r"nhs (?:number|no\.?)|social insurance(?: number)?|sin (?:number|no\.?)|pps(?:n| number| no\.?)|"
    r"personnumm?er|personnr|personas kods|person ?nummer|cpr|henkilötunnu\w*|hetu|fødselsnumm?er\w*|"
    r"fodselsnumm?er\w*|fødselsnr|kennital\w*|kt\.|isikukood|asmens kod\w*|pesel|bsn|burgerservicenummer|"
    r"sofinummer|rijksregister\w*|numéro national|nir|n° de sécu|no de sécu|sécu|sécurité sociale|securite sociale|"
    r"insee|nif|cpf|cédula|cedula|c\.c\.|c\.i\.|curp|nss|cuil|cuit|"
    r"codice fiscale|cod\. fisc\w*|c\.f\.|tessera sanitaria|carta d'identità|carte d'identité|"
    r"cartão de cidadão|bilhete de identidade|nuit|seguridad social|segurança social|número de afiliación|"
    r"numero de afiliacion|documento de identidad|rodné číslo|rodne cislo|r\.?č\.?|e-?ktp|ktp|aadhaa?r|"
    r"t\.?c\.? kimlik\w*|kimlik no\w*|kimliğ\w*|tckn|egn|егн|инн|рнокпп|іпн|снилс|паспорт\w*|passport|pasaporte|"
    r"passeport|"
    r"reisepass|paszport\w*|personalausweis\w*|ausweisnummer|steuer-?id|steueridentifikationsnummer|"
    r"sozialversicherungsnummer|ahv(?:-nummer)?|oib|jmbg|emšo|emso|cnp|amka|αμκα|αδτ|αφμ|cccd|cmnd|"
    r"mykad|nric|ic no\.?|adóazonosító\w*(?: jel\w*)?|taj(?:-szám)?|személyi szám|szemelyi szam|"
    r"tax id|tax file number|tfn|ird number|chi (?:number|no\.?)|medicare (?:number|no\.?|card)|"
    r"ppsn?|numéro d'assurance sociale|"
    # issue 18, sixteenth pass (holdout-31 to -34, blind on pass 15): South and South-East Asia's, Oceania's and
    # Central Europe's names, driving licences (an id a customer verifies with), a national number
    r"national number|voter'?s? id(?: card)?|epic(?: no\.?| number)?|sss(?: no\.?| number)?|philhealth(?: pin| no\.?| number)?|"
    r"pag-?ibig(?: mid)?(?: no\.?| number)?|mid (?:no\.?|number)|umid|cnic(?: no\.?| number)?|nid (?:no\.?|number|card)|"
    r"nric(?: no\.?| number)?|fin (?:no\.?|number)|driver(?:'?s|s')? licen[cs]e(?: number| no\.?| card)?|"
    r"driving licen[cs]e(?: number| no\.?)?|licen[cs]e (?:number|no\.?)|führerschein\w*|permis de conduire|"
    r"medicare|ird|tax identification number|taxpayer id\w*|steuer-?identifikationsnummer|identifikationsnummer|"
    r"sv-?nr\.?|svnr|vsnr|versicherungsnummer|rentenversicherungsnummer|pnr(?=\s*[:(]?\s*(?:19|20)?\d{6}[-+ ]?\d{4}\b)|"
    # issue 18, seventeenth pass (holdout-35 to -38, blind on pass 16): Africa's, the Middle East's and East
    # Asia's names, in their scripts ("الرقم القومي", "ת.ז.", "身份证号", "주민등록번호", "ЈМБГ")
    r"ghana card|kra pin|national card|carte nationale|carte d'identité nationale|resident id|residence id|"
    r"civil id|iqama(?: no\.?| number)?|teudat zehut|personal code|a\. ?k\.|tax no\.?|tax code|"
    r"rentenversicherungsnr\.?|ת\.ז\.?|ת\"ז|תעודת זהות|מספר זהות|الرقم القومي|رقم البطاقة الوطنية|البطاقة الوطنية|"
    r"بالرقم القومي|رقم الهوية|الهوية الوطنية|رقم الإقامة|الإقامة|身份证号(?:码)?|身份證號(?:碼)?|身分證字號|身分證|居民身份证|"
    r"マイナンバー(?:カード)?|個人番号|주민등록번호|주민번호|јмбг|ідентифікаційний код|ідентифікаційний номер|"
    r"cni|pièce d'identité|piece d'identite|numéro de sécurité sociale|n° de sécurité sociale|philsys(?: number| no\.?)?|"
    r"npwp|เลขบัตรประชาชน|บัตรประชาชน|thai id|hicn|"
    # pass 21 (South Asia, the Middle East): Iran's national code in English, Bangladesh's "nid" in lower case
    r"national code|code[ -]?e[ -]?melli|kart[ -]?e[ -]?melli|melli code|nid|kimlik|الهوية|هويتي|رقم هويتي|كود ملي|"
    r"کد ملي|كد ملی|"
    # pass 22: Ukraine's tax number said in words, the Czech and Slovak "rodné č.", and a US social security number
    # called "your social" in a call ("Can I get your social?"; not "social media", "social worker")
    r"податковий номер|податкового номера|rodné č\.?|tax file no\.?|n[°º] ?ss|n[°º] de ss|n[°º] sécu|"
    r"(?:your|my|his|her|their|the) social(?![ \t-]*(?:media|work\w*|life|club|event|account|handle|profile|network|"
    r"post|skills|circle|security benefit))|"
    # pass 26: a passport's and a driving licence's names as Polish, Turkish and Greek inflect them ("nr paszportu",
    # "pasaportumun numarası", "Αρ. Διαβατηρίου") and Latin America's names of a licence ("licencia de manejo",
    # "carteira de habilitação")
    r"pasaport\w*|διαβατ[ηή]ρ\w*|prawo jazdy|prawa jazdy|ehliyet\w*|sürücü belge\w*|δίπλωμα οδήγησης|"
    r"licencia de (?:manejo|conducir|conducción|conduccion)|carteira (?:nacional )?de habilita[çc][ãa]o|brevete|"
    r"(?:carteira de |c[ée]dula de )?identidade|"
    # pass 27: id cards and passports as Central and Eastern Europe's languages inflect them, with a possessive's
    # ending or an article between ("személyi igazolványom száma", "útlevelem", "личната ми карта", "личне карте",
    # "ličnu kartu", "osobnu iskaznicu", "osebno izkaznico", "ταυτότητά μου", "henkilökorttini", "пашпарт"), Denmark's
    # health card (its number the CPR). (Not German "Ausweis" alone: "Geburtsdatum 19820311 laut Ausweis" is a date.)
    r"személyi igazolvány\w*|szem[ée]lyim\w*|útlev[eé]l\w*|jogosítvány\w*|ταυτ[όο]τητ\w*|henkilökort\w*|"
    r"(?:лична|личната|личне|личну|личном)(?:[ ]ми)? карт\w*|li[čc]n[aeu] kart\w*|osobn[aeu] iskaznic\w*|"
    r"osebn[aeo] izkaznic\w*|пашпарт\w*|sundhedskort\w*|sygesikringsbevis\w*"
)
#: Names that are also words of some language ("run", "tie", "nie", "egn", "pan", "bi", Polish "dni"): in
#: capitals only.
ID_NAMES_UPPER = (r"DNI|NIR|NIE|TIE|RG|INE|RUT|RUN|DUI|DPI|CUI|BI|NIK|EGN|CIN|PAN|NIC|CI|CC|RČ|TC|TI|IC|IRD|CHI|SINs?|NAS|"
                  r"NID|TIN|FIN|RFC|NRIC|EPIC|BVN|NIN|CNIC|SSS|SVNR|TFN|My Number|CIN|JMBG|OIB|EGN|CRN|NHI|HICN|RAMQ|ITIN|PSN|EID|T\.C\.?|"
                  r"INN")  # (after pass 27's measurement: Russia's ИНН transliterated, "INN 781201456003")
#: What may stand between an id name and its number: no line break, no digit but one glued to a letter (a
#: form's name: "SIN provided for T5 correction: …", "SSN on my W-2: …"), at most this many characters.
MAX_GAP = 48
GAP = rf"(?P<gap>(?:[^\d\n]|(?<=[^\W\d_])\d|(?<=[^\W\d_]-)\d){{0,{MAX_GAP}}})"
#: Issue 18, eighteenth pass: a form's value may stand at the start of the line under its label ("ID no.:\n A1234567").
NEXT_LINE = r"(?:\r?\n[ \t]*)?"
#: Issue 18, eighteenth pass: the corpus's names and the world's (core/id_names.py), each with its boundaries.
NAME_PATTERNS = (rf"(?<!\w)(?:(?i:{ID_NAMES})|{ID_NAMES_UPPER})(?!\w)", *WORLD_ID_NAMES)
#: An id name, then the gap, then the end: searched for in the text before a number that may be an id.
ID_NAME_BEFORE = tuple(re.compile(rf"(?:{names}){GAP}{NEXT_LINE}\Z") for names in NAME_PATTERNS)
#: An id name anywhere in a line (the line before an answer).
ID_NAME_ANYWHERE = re.compile("|".join(f"(?:{names})" for names in NAME_PATTERNS))
#: How far before a number its id name may start (the longest names, then the gap).
LOOK_BACK = MAX_GAP + 48
#: Words that name some identifier, not a person's: after one, a bare number needs a valid check
#: digit. Not after a hyphen ("Anläggnings-ID 735999100012345678" is an electricity meter's).
ID_WORDS = re.compile(r"(?<![\w-])(?:id|identity|identification|personal (?:id|number|code)|uid)(?!\w)", re.IGNORECASE)
ID_WORD_HINTS = ("id", "identi", "personal")  # ("uid": pass 22, India's Aadhaar, its authority's letters)

#: The word right before a bare id word, on the same line.
WORD_BEFORE = re.compile(r"([^\W\d_]+)[ \t]*[-:]?[ \t]*\Z")  # \Z: "$" would end a line before its newline
#: The words before "ID" that leave it a person's ("my ID", "national ID"); any other names a record.
PERSON_BEFORE_ID = frozenset({"my", "your", "his", "her", "their", "our", "the", "a", "an", "personal", "national",
                              "government", "citizen", "photo", "mein", "meine", "mon", "ma", "mi", "mio", "mia",
                              "minha", "meu", "mijn", "min", "mitt", "moje", "mój"}) | DEMONYMS
#: What may stand between a bare id word and its number ("ID number: ", "ID no. ", "ID #").
WEAK_GAP = re.compile(r"[ \t]*(?:(?:number|no\.?|nr\.?|num|code|is|was|[:#=-])[ \t]*){0,3}", re.IGNORECASE)  # (code: pass 21)
#: A sentence ends between an id name and the number after it: the number is not the id's.
SENTENCE_END = re.compile(r"[!?;。！？；؟۔।]|\.\s+[A-Z]")  # (and the full stops of Han, Arabic, Urdu, Devanagari)
#: Issue 18, pass 23: the Cyrillic and Greek capitals of a passport's or an id card's series ("АА 123456", "ΑΚ 583102").
SERIES_CAPITALS = "А-ЯЁІЇЄҐΑ-Ω"
#: A number of an identity number's length after an id name: 6 to 20 digits in groups (single
#: separators), a letter or two before or after ("QQ 12 34 56 C", "12345678Z", "150390-123X",
#: "12345678 9 ZZ4"; pass 24: after a slash, "1234567/T"), or a codice fiscale, a CURP, a NIE, a Finnish id with a
#: letter for its century. (Pass 24: glued to a label's full stop, "aadhar no.234567890124", "C.F.RSSMRA85T10A562S",
#: or to the dash after the name of an id that opens with letters, "PAN-ABCPE1234F", "NIE-X1234567L"; after
#: another's letters, "AUTO-KR-3310874", "DU-CC-8830412", a dash parts a code's pieces.)
CUED_ID = re.compile(
    rf"(?=[\dA-ZÑ&{SERIES_CAPITALS}])(?:(?<![{LATIN_CLASS}.,/+-])|(?<=[^\W\d_]\.)|"
    # (pass 28: not a code's piece, "MTN-NIN-2024-993812" is an order's)
    r"(?<=(?<![\w-])(?i:pan|nie|nin|nif|rfc)-)|(?<=(?<![\w-])(?i:curp|nino)-))(?:"
    # (issue 18, pass 23: a passport book's Cyrillic series and number, Ukraine's "АА 123456", Russia's old "II-МЮ";
    # pass 27: seven digits, Belarus's "МР 1234567")
    rf"[{SERIES_CAPITALS}]{{2}}[ ]?(?:№[ ]?)?\d{{6,7}}(?!\d)|"
    r"PEN\d{12}(?!\d)|"  # (pass 26: Nigeria's pension PIN, "PEN100482917365")
    r"[A-Z]{6}\d{2}[A-Z]\d{2}[A-Z]\d{3}[A-Z]|[A-Z]{4}\d{6}[A-Z]{6}[0-9A-Z]\d|[XYZ]-?\d{7}-?[A-Z]|"
    r"\d{6}[A-FU-Y]\d{3}[0-9A-Y]|[A-Z]{5}\d{4}[A-Z]|[A-ZÑ&]{3,4}\d{6}[A-Z\d]{3}|[A-Z]{3}\d{7}|[A-Z]{3}\d{4}|"
    r"[A-Z]{4} ?\d{4,8}(?: ?\d{2,6}){1,2}|[A-Z]{4}\d{8,10}|"  # (Quebec's RAMQ, Catalonia's CIP "VICA 0190430 005")
    # (issue 18, twentieth pass: Poland's id card "ABA 300000", Germany's pension number "65 170839 J 00 3")
    r"[A-Z]{3}[ -]\d{6}(?![ ]?\d)|\d{2} ?\d{6} ?[A-Z] ?\d{2} ?\d|"
    r"[A-HJ-NP-Z]{3}\d{2}[A-HJ-NP-Z]{2}|"  # (issue 18, nineteenth pass: New Zealand's NHI of 2025, "ALU18KZ")
    r"[A-Z]{6}\d{8}[HMX]\d{3}|C[MF]\d{2}[A-Z\d]{10}|"  # (Mexico's clave de elector, Uganda's NIN: 18 and 14 long)
    r"(?:[A-Z]{1,2}[ -]?)?\d(?:(?:[ ./-]|[ ]?№[ ]?)?\d){5,19}(?:[ /-]?[A-Z]{1,2}(?: ?\d{1,3})?)?|"
    # issue 18, eighteenth pass: a document's number, letters anywhere among five digits or more (a German
    # Ausweis "L01X00T47", a Spanish passport "AAB123456", a French one "12AB34567")
    # (issue 18, nineteenth pass: four digits are enough, a Dutch passport or ID card holds four: "NXR8K41P2")
    r"(?=(?:[A-Z]*\d){4})(?=\d*[A-Z])[A-Z\d]{7,13})"
    rf"(?!{LATIN})(?![.,/-]\w)")
#: A date is not an identity number, after an id name or not ("CPR (født 12.03.1989)" is a birth date).
DATE_ONLY = re.compile(r"\d{1,2}[./-]\d{1,2}[./-](?:\d{2}|\d{4})|\d{4}[./-]\d{1,2}[./-]\d{1,2}")
#: Words that say the number after them is an order's or a ticket's, though an id word came before.
NOT_PERSONAL = re.compile(r"(?i:order|ticket|invoice|tracking|booking|case|pedido|commande|bestellung|ordine|"
                          r"factura|facture|rechnung|fattura|reserva|envío|envio|shipment|parcel|awb|"
                          # issue 18, sixteenth pass: a firm's tax number ("Tax ID for the business is EIN …")
                          r"business|company|employer|merchant|empresa|entreprise|unternehmen|\bEIN\b|\bABN\b|\bVAT\b|"
                          # issue 18, nineteenth pass: Chinese's, Japanese's and Korean's orders, waybills, bookings
                          r"注文|订单|訂單|单号|單號|快递|快遞|運単|伝票|追跡|予約|预订|預訂|주문|송장|운송장|예약)")


def find_national_ids(text: str, folded: str, gated: bool = True) -> Iterator[tuple[int, int]]:
    """(start, end) of each national identity number in `text`; `folded` is it lower-cased (redact.fold); then
    (pass 28) the numbers that correct one of them or come second after it (`following_ids`)."""
    found = list(all_national_ids(text, folded, gated))
    found_again = list(following_ids(text, found)) if found else []
    for start, end in (*found, *found_again):
        masked = MASKED_TAIL.match(text, end)
        yield start, end if masked is None else masked.end()


def all_national_ids(text: str, folded: str, gated: bool) -> Iterator[tuple[int, int]]:
    if not gated or SHAPED_HINT.search(text):
        yield from shaped_ids(text)
    # (issue 18, pass 23: a form's or an export's field names read with their underscores as spaces, "passport_no: …")
    keyed = text.replace("_", " ") if "_" in text else text
    yield from named_ids(keyed, folded if gated else None)  # the numbers are looked for first: rarer than the names' letters
    if not gated or any(word in folded for word in ID_WORD_HINTS):
        yield from checked_ids(text)
    if not gated or LONG_RUN.search(text):
        yield from bare_ids(text)
    if not gated or LOWER_HINT.search(text):
        yield from lower_case_ids(text)
    yield from japanese_insurance_ids(text)
    if not gated or GLUED_HINT.search(text):
        yield from glued_ids(text)
    if not gated or SPACED_NINO_HINT.search(text):
        yield from spaced_ninos(text)
    if not gated or "сери" in folded or "seri" in folded:
        yield from passport_series_ids(text)
    if not gated or TABLE_HINT.search(text):
        yield from tabled_ids(text)
    yield from corrected_ids(text)
    yield from lower_labelled_ids(text)


#: Issue 18, pass 23: an export's or a spreadsheet's rows under a header line ("customer_id,full_name,iqama_no,email",
#: "id;nome;rg;nascimento"): the cells of the column an id's name heads are that id, six digits or more.
TABLE_HINT = re.compile(r"([,;\t|])[^\n]*\1[^\n]*\n")
TABLE_CELL = re.compile(r"[ \t\"']*(?P<value>[^,;\t|\n\"']*?)[ \t\"']*\Z")


def tabled_ids(text: str) -> Iterator[tuple[int, int]]:
    offset, column, delimiter, width = 0, -1, "", 0
    for line in text.split("\n"):
        if column >= 0 and line.count(delimiter) + 1 == width:
            yield from table_cell(line, offset, delimiter, column)
        else:
            column, delimiter, width = id_column(line)
        offset += len(line) + 1


def id_column(line: str) -> tuple[int, str, int]:
    """(the index of the column an id's name heads, the delimiter, the number of columns), or (-1, "", 0)."""
    for delimiter in ",;\t|":
        cells = line.split(delimiter)
        if len(cells) < 3:
            continue
        for index, cell in enumerate(cells):
            name = cell.strip(" \t\"'").replace("_", " ")
            if name and any(ID_NAME_ANYWHERE.fullmatch(form) for form in (name, name.upper())):
                return index, delimiter, len(cells)
    return -1, "", 0


def table_cell(line: str, offset: int, delimiter: str, column: int) -> Iterator[tuple[int, int]]:
    cells = line.split(delimiter)
    start = offset + sum(len(cell) + 1 for cell in cells[:column])
    cell = cells[column]
    value = TABLE_CELL.match(cell)
    if value is None or sum(char.isdigit() for char in value.group("value")) < 6:
        return
    number = value.group("value")
    if not DATE_ONLY.fullmatch(number) and not placeholder(number):
        yield start + value.start("value"), start + value.end("value")


#: Issue 18, pass 23: an id read out a character at a time in a call, its letters as letters and its digits as digits
#: or English words ("J R, seven two, four one, oh nine, C", "six four seven oh three one nine V A", "B N C L C U 8 5 T
#: 1 0 L 2 1 9 C", "2 9 0 1 9 1 dash 3 6 3 6"): seven characters or more, after the id's name on its line or on the
#: line before (the agent's question), and valid as the id whose letters and digits it reads.
SPELLED_WORDS = {"zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
                 "seven": "7", "eight": "8", "nine": "9", "dash": ""}
SPELLED_TOKEN = rf"(?:(?:double|triple)[ ]+)?(?:{'|'.join(SPELLED_WORDS)}|[a-z]|\d{{1,2}})"
SPELLED_SEPARATOR = r"(?:[ \t]*(?:,|\.\.\.|…|-|/)[ \t]*|[ \t]+)"
SPELLED_RUN = re.compile(rf"(?<![\w'’])(?i:{SPELLED_TOKEN}(?:{SPELLED_SEPARATOR}{SPELLED_TOKEN}){{6,}})(?!\w)")
SPELLED_TOKENS = re.compile(rf"(?i:(?P<times>double|triple)[ ]+)?(?P<token>(?i:{'|'.join(SPELLED_WORDS)})(?!\w)|\w)")
#: Every spelled id holds a digit word or a single letter (its cheap gate, redact.find_spelled_ids).
DIGIT_WORDS = tuple(word for word in SPELLED_WORDS if word != "dash")
SINGLE_LETTER = re.compile(r"(?<![\w'’])[A-Za-z](?!\w)")


def spelled_ids(text: str) -> Iterator[tuple[int, int]]:
    for run in SPELLED_RUN.finditer(text):
        compact = spelled_compact(run.group())
        if compact is None:
            continue
        if not spelled_valid(compact):
            if SPELLED_DOCUMENT.fullmatch(compact) and DOCUMENT_NAME.search(text, max(0, run.start() - 60), run.start()):
                yield run.span()
            continue
        line_start = text.rfind("\n", 0, run.start()) + 1
        if ID_NAME_ANYWHERE.search(text, max(line_start, run.start() - 80), run.start()) or (
                line_start and ID_NAME_ANYWHERE.search(line_before(text, line_start))):
            yield run.span()


#: Pass 26: a passport's or a driving licence's number read out after its name ("passport number is X D A one two
#: three …"): letters, then six to nine digits; no check digit, so only after the document's name.
SPELLED_DOCUMENT = re.compile(r"[A-Z]{1,3}\d{6,9}")
DOCUMENT_NAME = re.compile(r"(?i:passport|pasaporte|passaporte|passeport|reisepass|paszport\w*|pasaport\w*|"
                           r"licen[cs]e|licencia|führerschein|permis de conduire|carteira de motorista)")


def spelled_compact(run: str) -> str | None:
    """The letters and digits a spelled run reads, in capitals; None for a run with no letter or digit word (plain
    digits apart are other rules')."""
    read, spelled = [], False
    for token in SPELLED_TOKENS.finditer(run):
        word = token.group("token").lower()
        times = {"double": 2, "triple": 3}.get((token.group("times") or "").lower(), 1)
        spelled = spelled or word in SPELLED_WORDS or word.isalpha()
        read.append(SPELLED_WORDS.get(word, word.upper()) * times)
    return "".join(read) if spelled else None


def spelled_valid(compact: str) -> bool:
    """Whether a spelled run reads a UK National Insurance number, an Irish PPSN, an Italian codice fiscale, or nine to
    thirteen digits some country's module accepts."""
    if re.fullmatch(r"[A-Z]{2}\d{6}[A-D]", compact):
        return nino_valid(compact)
    if re.fullmatch(r"\d{7}[A-W][A-IW]?", compact):
        return ie_pps.is_valid(compact)
    if len(compact) == 16 and compact[:6].isalpha():
        return it_codicefiscale.is_valid(compact)
    return compact.isdigit() and 9 <= len(compact) <= 13 and (
        any(valid(compact) for valid in CHECKED) or dk_cpr.is_valid(compact) or us_ssn.is_valid(compact))


#: Issue 18, pass 23: a National Insurance number read out or typed a character or a pair at a time ("J G 1 0 3 7 5 9
#: A", "jg 10 37 59 a"), after its name or answering a request for it: HMRC's prefix rules as for one written whole.
SPACED_NINO = re.compile(r"(?<![\w-])(?=\w+[ -])(?i:[a-z][ -]?[a-z](?:[ -]?\d){6}[ -]?[a-d])(?![\w-])")
SPACED_NINO_HINT = re.compile(r"\d[ -]?[A-Da-d](?![\w-])")  # (the end of every SPACED_NINO match: its cheap gate)


def spaced_ninos(text: str) -> Iterator[tuple[int, int]]:
    for match in SPACED_NINO.finditer(text):
        compact = re.sub(r"[ -]", "", match.group())
        if nino_valid(compact) and (named_before(text, match.start(), lettered=True)
                                    or asked_for_before(text, match.start())):
            yield match.span()


#: Issue 18, pass 23: a passport's series and number named apart, as Russia's, Ukraine's and Central Asia's forms ask
#: for them ("паспорт серия 4506 номер 123456", "passport series AA, number 123456"): each is part of the id.
PASSPORT_SERIES = re.compile(
    rf"(?i:сери[яиюі]|seri[ae]s?)[ \t:]*(?P<series>\d{{2}}[ ]?\d{{2}}|[{SERIES_CAPITALS}A-Z]{{2}})(?!\w)[ \t,]*"
    r"(?i:(?:номер|№|nr\.?|no\.?|number|numărul|numarul)[ \t:]*)?(?P<number>\d{6,7})(?!\d)")
PASSPORT_WORD = re.compile(r"(?i:паспорт|passport|pasport|pașaport|pasaport|buletin|carte de identitate|посвідчення)")


def passport_series_ids(text: str) -> Iterator[tuple[int, int]]:
    for match in PASSPORT_SERIES.finditer(text):
        if PASSPORT_WORD.search(text, max(0, match.start() - 40), match.start()):
            yield match.span("series")
            yield match.span("number")


#: Issue 18, pass 22: an id's name glued to its number, as quick chats and exported forms write them
#: ("PESEL85120312343", "CNP:1850310123451" with no space, "ЕГН7503101232", "isikukood38503121236"). The names that
#: are also words or other codes' letters ("sin", "nie", "rut", "dni": Spanish, German, Polish words) in capitals only.
GLUED_ID = re.compile(
    r"(?<![^\W\d_])(?:(?i:pesel|isikukood|jmbg|јмбг|emšo|emso|amka|αμκα|rnokpp|рнокпп|іпн|егн|aadhaa?r|cnic|curp|"
    r"cpf|ssn|oib|egn|cnp|tckn|ppsn|nino|bsn|hetu|r\.?č|a\.k)|SIN|NIE|DNI|RUT|NIN|NIR|PPS|TFN|NIF|CUIT|CUIL)"  # ("r.č.84…": pass 23)
    r"(?:[.:#=]|(?P<dash>-))?(?P<number>\d(?:[ ./-]?\d){5,19}(?:-?[A-Za-z]{1,2})?)(?![\w-])(?![.,/]\d)")
#: (Across a dash only a number of one piece that a country's module accepts (pass 24: "TCKN-10000000146"):
#: "SIN-2025-004417" is a claim's code, its letters a prefix.)
#: A letter glued to six digits or across one sign: every GLUED_ID match holds one (its cheap gate).
GLUED_HINT = re.compile(r"[^\W\d_][.:#=-]?\d(?:[ ./-]?\d){5}")


def glued_ids(text: str) -> Iterator[tuple[int, int]]:
    for match in GLUED_ID.finditer(text):
        number = match.group("number")
        if placeholder(number) or sum(char.isdigit() for char in number) < 7:
            continue
        if match.group("dash") and not (number.isdigit() and any(valid(number) for valid in CHECKED)):
            continue
        yield match.start("number"), grouped_end(text, match.start("number"), match.end("number"))


#: Issue 18, nineteenth pass: a Japanese health-insurance card's numbers, short and with no check digit: the insurer's
#: (保険者番号), the card's symbol and number (記号・番号) and branch (枝番), in a text about the card (保険). A
#: "番号" glued to another word is that word's number (注文番号, 電話番号, 会員番号).
JAPANESE_INSURANCE = re.compile(r"(?:保険者番号|記号|枝番|(?<![\u3040-\u30ff\u4e00-\u9fff])番号)[はがの：:\s　]{0,3}"
                                r"(?P<number>\d[\d-]{0,10}\d|\d)(?![\d-])")


def japanese_insurance_ids(text: str) -> Iterator[tuple[int, int]]:
    if "保険" not in text or not ("記号" in text or "保険者番号" in text):
        return
    for match in JAPANESE_INSURANCE.finditer(text):
        yield match.span("number")


#: Issue 18, nineteenth pass: the masked rest of a number is part of it ("주민번호 850505-1******", "CPR 130389-****").
MASKED_TAIL = re.compile(r"[ -]?[*•●]{2,10}(?![\w*•●])")

def pesel_born_valid(number: str) -> bool:
    """Pass 21: a bare PESEL counts when valid and of a birth from 1920 to 2012 (PESEL's check alone passes one
    random number in 55; its month codes for other centuries and the years no customer is born in leave about one
    in 300)."""
    if not pl_pesel.is_valid(number):
        return False
    year, month = int(number[:2]), int(number[2:4])
    return (month <= 12 and year >= 20) or (21 <= month <= 32 and year <= 12)


#: Issue 18, nineteenth pass: a bare digit run that an id's module accepts where that module checks a birth date and a
#: check digit, or two check digits, or a date and a mod-97: one random number in several hundred passes, against one
#: in ten for a lone check digit. No name needed ("8504125009087 is the number on my green book"), unless the words
#: before make it another's (an order's, a phone's).
#: (Measured on random digits: each module here passes at most one in 300; Lithuania's, Greece's AMKA, Belgium's
#: BIS and Korea's unseparated RRN pass more and count only after their names.)
BARE_CHECKED: dict[int, tuple[Valid, ...]] = {
    11: (no_fodselsnummer.is_valid, be_nn.is_valid, ee_ik.is_valid, pesel_born_valid),
    13: (za_idnr.is_valid, ro_cnp.is_valid, si_emso.is_valid,
         # issue 18, twentieth pass: Switzerland's AHV number (756, no barcode's prefix, and an EAN check digit) and
         # Luxembourg's matricule (a date, a Luhn and a Verhoeff check digit)
         ch_ssn.is_valid, luxembourg_matricule_valid),
    14: (egypt_id_valid,),  # (a century, a birth date and a governorate: one random number in five hundred)
}
#: Issue 18, pass 25: in a Turkish text (its dotless i, its soft g, its s-cedilla, its lira), eleven digits that pass
#: the T.C. Kimlik No's two check digits (no 0 first: a mobile is 05…) are one, named after it or not ("69797114734
#: numaralı kimlikle kayıtlıyım"): one random number in a hundred passes, so only where Turkish is written.
TURKISH = re.compile(r"[ğışĞİŞ₺]|\bTL\b")
TURKISH_CHECKED: tuple[Valid, ...] = (tr_tckimlik.is_valid,)
BARE_RUN = re.compile(r"(?<![\w.,/+#:-])(?:\d{11}|\d{13,14})(?![\w-])(?![.,/]\d)")
LONG_RUN = re.compile(r"\d{11}")


def bare_ids(text: str) -> Iterator[tuple[int, int]]:
    """Bare digit runs that an id's module of BARE_CHECKED accepts, not introduced as another's number."""
    for match in BARE_RUN.finditer(text):
        number = match.group()
        checks = BARE_CHECKED[len(number)] + (TURKISH_CHECKED if len(number) == 11 and TURKISH.search(text) else ())
        if not any(valid(number) for valid in checks) or placeholder(number):
            continue
        before = text[max(0, match.start() - 40):match.start()]
        if OTHER_BEFORE.search(before) or RECORD_BEFORE.search(before) or NOT_PERSONAL.search(before) \
                or BARE_NOT_ID.search(before):
            continue
        yield match.span()


#: Words after which a bare number is a phone's, an account's or a code's, wherever in the 40 characters before.
BARE_NOT_ID = re.compile(r"(?i:tel|phone|mobile|cell|fax|whatsapp|call|sms|text me|account|acct|iban|card|order|"
                         r"ref|transaction|txn|imei|serial|sku|ean|upc|barcode|isbn|gtin|awb|track|parcel|"
                         r"invoice|receipt|ticket|case|claim|policy|member|loyalty|voucher|coupon|code|otp|pin\b|"
                         r"pedido|commande|bestell|rechnung|factura|fattura|konto|cuenta|conta|compte|telefon|"
                         r"téléphone|teléfono|telefone|номер телефона|телефон|手机|電話|電话|전화|"
                         # pass 21: Northern, Central and Eastern Europe's orders, invoices, parcels and phones
                         r"zamówieni|zamowieni|faktur|przesyłk|paczk|objednáv|rendelés|számla|comand|"
                         r"поръчк|tilaus|lasku|beställning|bestilling|ordre|tellimus|arve|užsakym|sąskait|"
                         r"pasūtījum|rēķin|narudžb|račun|naročil|παραγγελ|τιμολόγ|замовлен|рахун|bestelling|"
                         r"factuur|zending|tlf|puh|mobil|τηλ|тел|"
                         # (a customer's, a client's, a user's, an applicant's or an employee's id is a record's)
                         r"(?:customer|client|kunden?|klient|user|applicant|employee)[ -]?(?:id|no|nr|number|nummer)\b)")


def shaped_ids(text: str) -> Iterator[tuple[int, int]]:
    """Numbers in a shape of their own that their country's module accepts."""
    for match in SHAPED.finditer(text):
        name = match.lastgroup
        if name is None:
            continue
        if not any(valid(match.group()) for valid in SHAPES[name][1]):
            name = another_shape_valid(name, match.group())
        if name is None:
            continue
        if name in GUARDED_SHAPES and PRODUCT_BEFORE.search(text, max(0, match.start() - 24), match.start()):
            continue  # "Model S1234567D": a letter, digits and a letter name products too
        if name in REFERENCE_SHAPES and reference_right_before(text, match.start(), match.start()):
            continue  # pass 25: "注文番号 250611-0042871", an order's number in a resident number's shape
        if name == "aadhaar" and not printed_aadhaar(text, match.start()):
            continue
        yield match.span()


#: Pass 25: digit-only shapes that orders' and requests' numbers share (six digits of a day, a dash, seven more: a
#: Korean resident number's, and a Japanese or Korean shop's order number dated the day it was placed).
REFERENCE_SHAPES = frozenset({"rrn"})


def printed_aadhaar(text: str, start: int) -> bool:
    """Issue 18, pass 25: an Aadhaar in its printed 4-4-4 groups counts unnamed only in an Indian text (its rupee, its
    dialling code, its cities, its payment apps) and not after an order's, a waybill's or a phone's word: a tracking
    or an order number is also written 4-4-4, and one in ten passes the Verhoeff check."""
    before = text[max(0, start - 40):start]
    return INDIA.search(text) is not None and not (BARE_NOT_ID.search(before) or NOT_PERSONAL.search(before)
                                                   or RECORD_BEFORE.search(before) or WAYBILL.search(before))


#: Issue 18, pass 25: an Indian text, where four-four-four digits with a Verhoeff check are an Aadhaar.
INDIA = re.compile(r"(?i:₹|\brs\.? ?\d|\binr\b|india|\+91|aadha?ar|uidai|mumbai|delhi|bengaluru|bangalore|chennai|"
                   r"kolkata|hyderabad|pune\b|ahmedabad|jaipur|lucknow|paytm|phonepe|\bupi\b|flipkart|namaste|kripya|"
                   r"\bji\b|आधार|भारत)")
#: A waybill's, a consignment's or a shipment's word (and its Japanese and Chinese forms).
WAYBILL = re.compile(r"(?i:waybill|consignment|\bawb|docket|伝票|运单|運單|\butr\b|\brrn\b|txn)")  # (after pass 25: a UPI payment's UTR)


#: Issue 18, nineteenth pass: the shapes a product's, a part's or a version's code may have, and the words that name one.
GUARDED_SHAPES = frozenset({"nric", "kra", "tw", "pan", "uk_dl", "uy_ci", "rvnr", "dmy_5", "lu", "by"})
PRODUCT_BEFORE = re.compile(r"(?i:model|part|sku|item|article|artikel|art\.|ref|serial|s/n|product|produit|producto|"
                            r"order|code|mpn|ean|upc|asin|modelo|modèle|modell|version|versión|release|build|firmware|"
                            r"polic|póliza|poliza|polizza|polis|contrat|contract|vertrag|dossier|sinistre|claim)"
                            r"\w*[^\w\n]{0,4}(?:(?i:no|nr|n[º°o]|#)\.?[^\w\n]{0,3})?\Z")


#: Issue 18, nineteenth pass: ids typed in lower case ("cf: spsmtt95c14f839r", "mi curp badd…", "wp 27 58 11 d"): a
#: codice fiscale's and a CURP's check letters let them count alone; the others count after their name or a request.
LOWER_SHAPED = re.compile(r"(?<![\w.,/+-])(?:(?P<cf>[a-z]{6}\d{2}[a-z]\d{2}[a-z]\d{3}[a-z])|"
                          r"(?P<curp>[a-z]{4}\d{6}[hmx][a-z]{5}[0-9a-z]\d)|(?P<pan>[a-z]{3}p[a-z]\d{4}[a-z])|"
                          r"(?P<nino>[a-z]{2} ?\d{2} ?\d{2} ?\d{2} ?[a-d])|(?P<lettered>[a-z]{1,2}\d{6,8}[a-z]?)|"
                          r"(?P<pps>\d{7}[a-w][a-iw]?)|"  # (pass 23: Ireland's PPSN, its check letter typed small)
                          r"(?P<hetu>\d{6}(?:[-+]\d{3}[a-y]|[a-fu-y]\d{3}[0-9a-y])))"  # (pass 20: Finland's, its check letter typed small)
                          r"(?!\w)(?![.,/-]\w)")
LOWER_HINT = re.compile(r"[a-z] ?\d\d|\d{3}[a-y](?!\w)|\d[a-fu-y]\d{3}|\d{7}[a-w]")  # (in every LOWER_SHAPED match)
LOWER_VALID: dict[str, Valid] = {"cf": it_codicefiscale.is_valid, "curp": mx_curp.is_valid, "hetu": fi_hetu.is_valid}


def lower_case_ids(text: str) -> Iterator[tuple[int, int]]:
    for match in LOWER_SHAPED.finditer(text):
        if lower_case_valid(match) or named_lower_case(text, match):
            yield match.span()


def lower_case_valid(match: re.Match[str]) -> bool:
    """Whether a lower-case codice fiscale or CURP's check letter holds."""
    kind = match.lastgroup
    return kind in LOWER_VALID and LOWER_VALID[kind](match.group().upper())


def named_lower_case(text: str, match: re.Match[str]) -> bool:
    """Whether a lower-case id comes right after its name or answers a request for one."""
    number = match.group()
    if (match.lastgroup == "nino" and not nino_valid(number)) or placeholder(number) \
            or (match.lastgroup == "pps" and not ie_pps.is_valid(number.upper())):
        return False
    if match.lastgroup == "pan" and LOWER_PAN_NAME.search(text, max(0, match.start() - 24), match.start()):
        return True
    return named_before(text, match.start(), lettered=True) or asked_for_before(text, match.start(), listed=True)


#: (After pass 27's measurement) "pan" in lower case right before a PAN in lower case ("mera pan akdpm6856q hai"):
#: the name alone is an English word, the two together are India's tax id (its fourth letter "p": a person's).
LOWER_PAN_NAME = re.compile(r"(?i:(?<!\w)pan(?:[ ]?(?:card|no|number|num))?\.?)[ \t]*[:#=-]?[ \t]*(?:(?i:is|hai|h)[ \t]+)?\Z")


#: Issue 18, nineteenth pass: each checked shape on its own, for a number the first shape that matched refused
#: ("131052-3081" is read as a Swedish personnummer first; Finland's henkilötunnus is written the same).
CHECKED_SHAPES = tuple((name, re.compile(shape), checks) for name, (shape, checks) in SHAPES.items()
                       if checks is not SHAPE_ALONE)


def another_shape_valid(name: str, number: str) -> str | None:
    """The name of another checked shape that is written as `number` is and accepts it, if one does."""
    return next((other for other, pattern, checks in CHECKED_SHAPES
                 if other != name and pattern.fullmatch(number) is not None and any(check(number) for check in checks)),
                None)


#: Issue 18, pass 20: the mobile numbers of India ("98765 43210", ten digits from 6 to 9 in two fives), Pakistan
#: ("0345-7781209") and Bangladesh ("01711-234567") as their owners group them, which no id of theirs shares: asked
#: for beside an id, or an id named further before, they are the phone; right after an id's name they are that id
#: (a UK UTR is five and five too). (Written without a space or a dash, ten digits are many countries' ids.)
#: (Pass 27: and the trunk 0 and three digits, then three and three or four, as Kenya, Nigeria, Australia, the
#: Philippines and Indonesia group a mobile: "Sent to 0722 555 914, my ID is …" answers "the number you sent to and
#: your ID number".)
MOBILE_SHAPE = re.compile(r"[6-9]\d{4} \d{5}|03[0-4]\d-\d{7}|01[3-9]\d{2}-\d{6}|0[1-9]\d{2} \d{3} \d{3,4}")


#: A slash between two digits: a house's number ("25/1442"), not an id's check letter after its slash ("1234567/T").
DIGITS_SLASH = re.compile(r"\d/\d")


#: A card's word, or an acronym right before the number: an identity number may follow them ("New card: 2953 71046 1",
#: "mã số BHXH 7921045563").
ID_CARD_WORD = re.compile(r"(?i:card|karte|carte|tarjeta|cart[aã]o|kart|thẻ)|卡|カード|카드|บัตร|"
                          r"(?<![\w-])[A-ZĐ]{2,}[ \t]*[:：#]?[ \t]*\Z")


def reference_right_before(text: str, start: int, digits: int) -> bool:
    """Pass 24: whether a reference's word (`pii_refs`: an order's, a request's, a contract's number) stands in the
    twelve characters before the number at `start`, and no card's word nor an acronym (ID_CARD_WORD) before its
    first digit at `digits` ("BHXH 7921045563" is read from the acronym)."""
    near = max(0, start - 12)
    return names_a_reference(text[near:start], start - near) and ID_CARD_WORD.search(text, near, digits) is None


#: The last two words before a number, with what closes them.
LAST_WORDS = re.compile(r"(?:\S+[ \t]+){1,2}\Z")
#: A reference's word that is also an id's short name (Sweden's "pnr", a personnummer).
SHARED_NAME = re.compile(r"(?i:(?<!\w)pnr(?!\w))")
#: Pass 26: a verb between a reference's word and a number ("PAN for the invoice is ARVPK6612M"): the number may be
#: the id named before the reference after all.
REFERENCE_VERB = re.compile(r"(?i:(?<!\w)(?:is|was|es|est|ist|é|è|era)[ \t]*\Z)")


#: Only signs and spaces between an id's name and its number ("Лична карта №: ", "ID-Nr.: ").
SIGNS_ONLY = re.compile(r"[\s:#№.°º()\-–]*")


def upi_reference(text: str, name: str) -> bool:
    """Whether the id name `name` is a UTR ("UTR", "UTR number") in an Indian text: a UPI payment's, no taxpayer's."""
    return name.lower().startswith("utr") and INDIA.search(text) is not None


def id_name_right_before(text: str, start: int) -> bool:
    """Whether an id's name ends right before `start`, only signs and spaces between (a UTR in an Indian text is a
    UPI payment's, as in `reference_glued_before`)."""
    for name in ID_NAME_ANYWHERE.finditer(text, max(0, start - LOOK_BACK), start):
        if name.end() > name.start() and SIGNS_ONLY.fullmatch(text, name.end(), start) is not None:
            return not upi_reference(text, name.group())
    return False


#: Pass 27: how far before the last two words a name that ends among them may start (the longest names' first words).
NAME_OVERLAP = 32


def reference_glued_before(text: str, start: int, digits: int) -> bool:
    """Pass 26: whether a reference's word stands right before the number at `start`, no verb between ("IC number
    for my warranty claim WR-778120", "NIF na fatura FT 2025/1184", "Quote Q-2025-0417", "UTR 4123 8765 0912"):
    the number is the reference's, whatever id was named before it. A card's word is no reference here ("Aadhaar
    card 2345 …"), as in `reference_right_before`."""
    near = max(0, start - 24)
    words = LAST_WORDS.search(text, near, start)
    if words is None or REFERENCE_VERB.search(words.group()) is not None:
        return False
    if id_name_right_before(text, start):
        return False  # (after pass 26's measurement) the reference's word is the id's own name: "Лична карта №: …"
    if SHARED_NAME.search(words.group()) is not None:
        return False  # Sweden's "Pnr 850412 3319" is a personnummer: an airline's PNR is six letters and digits
    # (the number's own letters too: "mã số BHXH 79…"; pass 27: and a name that ends among the two words, "лична карта
    # номер …", whose "карта" is a card's word)
    names = ID_NAME_ANYWHERE.finditer(text, max(0, words.start() - NAME_OVERLAP), digits)
    if any(name.end() > words.start() and not upi_reference(text, name.group()) for name in names):
        return False  # an id's name is the id's (a UTR in an Indian text is a UPI payment's, as in `WAYBILL`)
    last = words.group()[words.group().find(" ") + 1:] if words.group().count(" ") > 1 else words.group()
    card = ID_CARD_WORD.search(text, near, start)  # (the number's own letters are no acronym before it: "FT 2025/…")
    if card is not None and card.group().strip(" \t:：#").lower() not in SHORT_STEMS:
        return False  # (an acronym that is a reference's own, "UTR 4123 …", "AWB 176-…", names the reference)
    if not any(stem in words.group().lower() for stem in ALL_STEMS):
        return False  # a number sign alone ("Ma pièce d'identité porte le n° C 0045 …") names no reference here
    # (only the two words before: "for claim DSP-201884" is the claim's, where a phone "for the order" is no order's)
    return names_a_reference(words.group(), len(words.group())) or names_a_reference(last, len(last))


def named_ids(text: str, folded: str | None = None) -> Iterator[tuple[int, int]]:
    """A number right after the name of an identity number, checksum or not, or after one further before
    when valid for it (the NAME_CHECKS whose words `folded` holds; all of them without it); not a phone's line
    called by a name an id shares (`phone_line_named`)."""
    for start, end in named_spans(text, folded):
        if not phone_line_named(text, start, end):
            yield start, end


def named_spans(text: str, folded: str | None) -> Iterator[tuple[int, int]]:
    """What `named_ids` finds before it leaves a phone's line."""
    entries: Sequence[NameCheck] | None = None
    in_sentence: list[NameCheck] = []
    for match in CUED_ID.finditer(text):
        if DATE_ONLY.fullmatch(match.group()) or placeholder(match.group()) or firms_tax_number(text, match):
            continue
        if DIGITS_SLASH.search(match.group()) and sum(char.isdigit() for char in match.group()) < 8:
            continue  # pass 21: a house's number with its slash ("TC 25/1442, Kowdiar Gardens"), no id's
        if entries is None:
            entries = NAME_CHECKS if folded is None else checks_named_in(folded)
            in_sentence = [*entries, *SENTENCE_NAME_CHECKS]
        if named_in_its_sentence(text, match.start(), grouped_end(text, match.start(), match.end()), in_sentence):
            yield match.start(), grouped_end(text, match.start(), match.end())
            continue  # pass 27: its name earlier in the sentence, its check passed: a reference's word between is no label
        lettered = match.group()[:3].isalpha()  # PAN, RFC, EPIC: letters first, an id's own pattern
        first_digit = match.start() + next(i for i, char in enumerate(match.group()) if char.isdigit())
        if reference_glued_before(text, match.start(), first_digit):
            continue
        if named_before(text, match.start(), lettered) or local_name_before(text, match.start(), match.group()):
            yield match.start(), grouped_end(text, match.start(), match.end())
            continue
        if MOBILE_SHAPE.fullmatch(match.group()):
            continue  # issue 18, pass 20: "registered mobile and PAN.\nCustomer: 99301 18274, PAN …": the mobile
        if reference_right_before(text, match.start(), first_digit):
            continue  # pass 24: "Tenancy contract TC-2023-0419": a reference's word right before wins over an id's far off
        if (asked_for_before(text, match.start()) or named_far_before(text, match.start())
                or named_after(text, match.start(), match.end())):
            yield match.start(), grouped_end(text, match.start(), match.end())
            continue
        # issue 18, thirteenth pass: the letters the shape allows before the digits are the id's own name
        # ("CC 43.567.890", "IC 900514-10-5523", "TI 1.001.234.567")
        digits = match.start() + next(i for i, char in enumerate(match.group()) if char.isdigit())
        if digits > match.start() and (named_before(text, digits) or local_name_before(text, digits, text[digits:match.end()])):
            # (pass 22: the number read again from its digits, where a name's letters cut it short: "CNIC 35202
            # 1234567 1" was read as Quebec's "CNIC 35202 1234567", "PPSN 8765432 SA" as "PPSN 8765432")
            again = CUED_ID.match(text, digits)
            end = max(match.end(), again.end()) if again is not None else match.end()
            yield digits, grouped_end(text, digits, end)
            continue
        if entries and its_name_in_reach(text, match.start(), grouped_end(text, match.start(), match.end()), entries):
            yield match.start(), grouped_end(text, match.start(), match.end())


#: Pass 27: the names an id shares with a phone's line ("call the resident number 555-0142", "ring my personal number
#: 07700 900123", "dial the national number"): the id's only where no phone's word is in the sentence and the number
#: is not in a phone's shape, unless some country's check accepts it.
PHONE_SHARED_NAME = re.compile(r"(?i:(?:personal|resident|residence|national|citizen|civil|private|home)[ \t.-]*"
                               r"(?:number|no\.?|nr\.?|#))\Z")
#: A phone's own shape: a country code or a bracketed area code first, a trunk zero then groups, a local 3-4
#: or a North American 3-3-4 (no identity number is written so).
PHONE_SHAPE = re.compile(r"[+(]\d.*|0[1-9]\d*[ ][\d ]+|\d{3}-\d{4}|\d{3}[-. ]\d{3}[-. ]\d{4}")
#: A phone's verbs, beside pii_refs' phone words: "dial", "text me", "reach me".
PHONE_VERB = re.compile(r"(?i:(?<!\w)(?:dial|text|reach|ring)(?!\w))")


def phone_line_named(text: str, start: int, end: int) -> bool:
    """Pass 27: whether the id name nearest before the number at `start` is one a phone's line shares
    (`PHONE_SHARED_NAME`) and the number is a phone's: in a phone's shape, or with a phone's word in its sentence and
    no country's check accepting it."""
    line_start = text.rfind("\n", 0, start) + 1
    names = list(ID_NAME_ANYWHERE.finditer(text, max(line_start, start - LOOK_BACK), start))
    if not names or PHONE_SHARED_NAME.search(names[-1].group()) is None:
        return False
    number = text[start:end]
    if PHONE_SHAPE.fullmatch(number) is not None:
        return True
    stops = [text.find(mark, end) for mark in (".", "!", "?", ";", "\n")]
    sentence_end = min((stop for stop in stops if stop != -1), default=len(text))
    sentence = text[line_start:names[-1].start()] + " " + text[end:sentence_end]
    if PHONE_WORD.search(sentence.lower()) is None and PHONE_VERB.search(sentence) is None:
        return False
    return not (sum(char.isdigit() for char in number) >= 9 and any(valid(number) for valid in CHECKED))


def person_inn_valid(number: str) -> bool:
    """A person's Russian taxpayer number (ИНН): twelve digits and their two check digits (a firm's has ten)."""
    return len(number) == 12 and ru_inn.is_valid(number)


def ramq_valid(number: str) -> bool:
    """Quebec's health insurance number (no stdnum module): the surname's three letters and the first name's
    first, the birth date as YYMMDD (the month plus 50 for a woman), two digits."""
    compact = number.replace(" ", "")
    if len(compact) != 12 or not compact[:4].isalpha() or not compact[4:].isdigit():
        return False
    month, day = int(compact[6:8]) % 50, int(compact[8:10])
    return 1 <= month <= 12 and 1 <= day <= 31


#: Indonesia's provinces' codes, the first two digits of a NIK.
NIK_PROVINCES = frozenset({*range(11, 20), 21, *range(31, 37), *range(51, 54), *range(61, 66), *range(71, 77), 81,
                           82, *range(91, 97)})


def nik_valid(number: str) -> bool:
    """Indonesia's NIK (no check digit): sixteen digits, a province's code, then the birth date as DDMMYY (the day
    plus 40 for a woman) in the seventh to twelfth."""
    digits = re.sub(r"[ .-]", "", number)
    if len(digits) != 16 or not digits.isdigit() or int(digits[:2]) not in NIK_PROVINCES:
        return False
    day, month = int(digits[6:8]) % 40, int(digits[8:10])
    return 1 <= day <= 31 and 1 <= month <= 12


def person_ruc_valid(number: str) -> bool:
    """A person's RUC: Peru's eleven digits starting 10 (15, 17: a foreigner's), or Ecuador's thirteen, a natural
    person's cédula (third digit below 6) and 001."""
    digits = re.sub(r"[ -]", "", number)
    if len(digits) == 11 and digits[:2] in ("10", "15", "17"):
        return pe_ruc.is_valid(digits)
    return len(digits) == 13 and digits[2] < "6" and digits.endswith("001") and ec_ruc.is_valid(digits)


class Shape:
    """A check that a number is written in an id's own shape (for a mistyped one: "905812/4417"): no check digit, so
    it never outweighs a reference's word (`named_in_its_sentence`)."""

    def __init__(self, pattern: str) -> None:
        self.pattern = re.compile(pattern)

    def __call__(self, number: str) -> bool:
        return self.pattern.fullmatch(number) is not None


def shape(pattern: str) -> Shape:
    """The check that a number is written as `pattern`."""
    return Shape(pattern)


#: Issue 18, pass 23: what may stand between a local name and its number ("sin is", "PIN: ", "identidad es", "dni nº").
LOCAL_GAP = r"[ \t]*(?:(?:is|was|es|:|=|#|№|-|–|n[º°o]\.?|n\.|nro\.?)[ \t]*){0,2}\Z"  # (№, "n.": pass 27)
#: Issue 18, twentieth pass: short or shared names that name a country's id only before a number in its form: Sweden's
#: "pnr" (an airline's booking record in English: "PNR 4521367890"), Latvia's "p.k." (not "PK-99120344"), Germany's
#: "Versichertennummer" (a Swiss health insurer's member number is its own: "Versichertennummer 80756-219").
MISTYPED_PNR = re.compile(r"(?:19|20)?\d{2}[01]\d[0-3]\d[-+]\d{4}|(?:19|20)\d{2}[01]\d[0-3]\d ?\d{4}")
LOCAL_NAMES: tuple[tuple[re.Pattern[str], Valid], ...] = (
    (re.compile(r"(?i:(?<!\w)p\.?nr)\.?[ \t]*[:(]?[ \t]*(?:(?i:är|er|is)[ \t]*)?\Z"),  # ("mitt pnr är …": pass 23)
     lambda number: se_personnummer.is_valid(number) or MISTYPED_PNR.fullmatch(number) is not None),
    (re.compile(r"(?i:(?<!\w)p\.[ ]?k\.)[ \t]*:?[ \t]*\Z"), shape(r"[0-3]\d{5}-?\d{5}")),
    (re.compile(r"(?i:(?<!\w)versicherten-?(?:nummer|nr\.?))[ \t]*:?[ \t]*\Z"), shape(r"[A-Z] ?\d{9}")),
    # issue 18, pass 23: "sin" (Spanish for "without", English's sin) in any case before a Luhn-valid SIN ("Caller: sin
    # is 130 692 544"); Bulgaria's ЕГН called "PIN" in English (a date and a mod-11 check digit: no card's PIN is ten
    # digits); Honduras's "identidad" before its number (the municipality, the birth year, five digits: 0801-1990-12345);
    # a bare "documento" before an Argentine or Peruvian DNI's seven or eight digits
    (re.compile(rf"(?i:(?<!\w)sin){LOCAL_GAP}"), ca_sin.is_valid),
    (re.compile(rf"(?i:(?<![\w-])pin){LOCAL_GAP}"), bg_egn.is_valid),
    (re.compile(rf"(?i:(?<!\w)identidad){LOCAL_GAP}"), shape(r"(?:0[1-9]|1[0-8])\d{2}-?(?:19|20)\d{2}-?\d{5}")),
    (re.compile(rf"(?i:(?<!\w)documento){LOCAL_GAP}"), shape(r"\d{1,2}([. ]?)\d{3}\1\d{3}")),  # (pass 26: "30 123 456")
    # Poland's "dowód" alone (also a receipt's "dowód zakupu") before an id card's number with its check digit; the
    # Western Balkans' "LK" (lična karta) before its nine digits
    (re.compile(rf"(?i:(?<!\w)dow[oó]d(?:u|em)?){LOCAL_GAP}"), polish_id_card_valid),
    (re.compile(rf"(?<!\w)(?:LK|ЛК|(?i:[lл]\.?[kк]\.?[ ]?(?:br|бр)\.?|л\.[ ]?к\.))(?:[ \t]*(?i:br|бр)\.?)?{LOCAL_GAP}"),
     shape(r"\d{9}")),  # (pass 27: and in Cyrillic, Bulgaria's and Serbia's "л.к. №", "ЛК бр.")
    # pass 27: Italy's "patente" (its driving licence) before a licence's ten characters: two letters, seven digits and
    # a letter, or the card's "U1" and eight (Spanish and Portuguese "patente", a patent or a car's plate, is shorter)
    (re.compile(rf"(?i:(?<!\w)patente(?:[ ]di[ ]guida)?){LOCAL_GAP}"), shape(r"[A-Z]{2}\d{7}[A-Z]|U1[A-Z\d]{8}")),
    # the short names chat types in lower case, each before a number its own check accepts: the Czech and Slovak
    # "rc" (a birth date and mod 11), Turkey's "tc" (two check digits), Ukraine's "ipn" (RNOKPP), Belgium's "NN"
    # (a birth date and mod 97), a Spanish or Peruvian "dni" (Polish "dni" is days, before small numbers)
    (re.compile(rf"(?i:(?<![\w.])rc){LOCAL_GAP}"), lambda number: cz_rc.is_valid(number) or sk_rc.is_valid(number)),
    (re.compile(rf"(?i:(?<![\w.])tc){LOCAL_GAP}"), tr_tckimlik.is_valid),
    (re.compile(rf"(?i:(?<!\w)ipn){LOCAL_GAP}"), ua_rntrc.is_valid),
    (re.compile(rf"(?<!\w)NN{LOCAL_GAP}"), lambda number: be_nn.is_valid(number) or be_bis.is_valid(number)),
    (re.compile(rf"(?i:(?<!\w)dni){LOCAL_GAP}"), lambda number: es_dni.is_valid(number) or shape(r"\d{8}|\d{2}([. ])\d{3}\1\d{3}")(number)),
    # "ID code", the Baltic personal codes' English name (an app's "ID code" is a one-time code: a birth date and a
    # check digit make it Estonia's or Lithuania's)
    (re.compile(rf"(?i:(?<!\w)id[ -]?code){LOCAL_GAP}"), lambda number: ee_ik.is_valid(number) or lt_asmens.is_valid(number)),
    # the PhilSys card's number (PCN, sixteen digits in fours; a UK parking charge notice is a PCN too, of its own shape)
    (re.compile(rf"(?<!\w)PCN{LOCAL_GAP}"), shape(r"\d{4}-\d{4}-\d{4}-\d{4}|\d{4} \d{4} \d{4} \d{4}")),
    # pass 26: Nigeria's Retirement Savings Account PIN (PEN and twelve digits; a pension fund's customer's
    # id with the BVN and the NIN: "Her PFA PIN is PEN100482917365")
    (re.compile(rf"(?i:(?<!\w)(?:rsa|pfa|pension)[ ]?pin){LOCAL_GAP}"), shape(r"PEN\d{12}")),
    # pass 26: Venezuela's RIF of a person (V for a citizen, E for a foreigner: the cédula and a check digit,
    # "V-18765432-1"); a firm's (J, G) is the firm's
    (re.compile(rf"(?i:(?<!\w)rif){LOCAL_GAP}"), shape(r"[VEve]-?\d{6,9}-?\d")),
)


def local_name_before(text: str, start: int, number: str) -> bool:
    before = max(0, start - 24)
    return any(name.search(text, before, start) is not None and valid(number) for name, valid in LOCAL_NAMES)


def hungarian_tax_id_valid(number: str) -> bool:
    """Hungary's adóazonosító jel (no stdnum module): ten digits, the first 8, the last the sum of the
    others times their place, modulo 11."""
    digits = re.sub(r"[ -]", "", number)
    if len(digits) != 10 or not digits.isdigit() or digits[0] != "8":
        return False
    return sum(int(d) * place for place, d in enumerate(digits[:9], 1)) % 11 == int(digits[9])


def taj_valid(number: str) -> bool:
    """Hungary's TAJ (health insurance) number (no stdnum module): nine digits, the last the sum of the
    others times 3 and 7 in turn, modulo 10."""
    digits = re.sub(r"[ -]", "", number)
    if len(digits) != 9 or not digits.isdigit():
        return False
    return sum(int(d) * (3 if place % 2 else 7) for place, d in enumerate(digits[:8], 1)) % 10 == int(digits[8])


def au_medicare_valid(number: str) -> bool:
    """Australia's Medicare card number (no stdnum module): ten digits (and an issue number), the first 2 to 6,
    the ninth a check over the weights 1 3 7 9 1 3 7 9."""
    digits = re.sub(r"[ /-]", "", number)
    if len(digits) not in (10, 11) or not digits.isdigit() or digits[0] not in "23456":
        return False
    return sum(int(d) * w for d, w in zip(digits, (1, 3, 7, 9, 1, 3, 7, 9))) % 10 == int(digits[8])


#: Issue 18, eighteenth pass: an id name a sentence or a line before its number ("rodné číslo nie je platné.
#: Zadávam 905812/4417", "TC kimlik numaranızı alabilir miyim?\nMüşteri: zeynep, 52930184476", "adóazonosító
#: jele. Helyes: 8431027584"): the number counts when that id's own module accepts it or it is written in that
#: id's own shape. Each name (searched in the cue's text, in any case) with its checks.
NameCheck = tuple[tuple[str, ...], re.Pattern[str], tuple[Valid, ...]]
#: (Each with the lower-case words one of which a text must hold to name it: a cheap gate.)
NAME_CHECKS: tuple[NameCheck, ...] = tuple(
    (tuple(keywords.split()), re.compile(names, re.IGNORECASE), checks) for keywords, names, checks in (
        ("kimli tckn tc", r"kimli[kğ]|tckn|^tc$", (tr_tckimlik.is_valid,)),
        ("rodn rč r.č", r"rodn|^r\.?č", (cz_rc.is_valid, sk_rc.is_valid, shape(r"\d{6}/\d{3,4}"))),
        ("kennital kt", r"kennital|^kt", (is_kennitala.is_valid, shape(r"[0-3]\d[01]\d{3}-\d{4}"))),
        ("adóazonos adoazonos adósz adosz", r"ad[óo]azonos|ad[óo]sz[áa]m", (hungarian_tax_id_valid,)),
        ("taj", r"^taj", (taj_valid,)),
        ("steuer identifikationsnummer idnr", r"steuer|identifikationsnummer|^idnr", (de_idnr.is_valid, shape(r"\d{2} \d{3} \d{3} \d{3}"))),
        ("medicare", r"medicare", (au_medicare_valid, shape(r"[2-6]\d{3} \d{5} \d(?:[ /-]?\d)?"))),
        ("sin nas social insurance assurance sociale", r"^sins?$|^nas$|social insurance|assurance sociale", (ca_sin.is_valid, shape(r"\d{3}([ -])\d{3}\1\d{3}"))),
        ("pesel", r"pesel", (pl_pesel.is_valid,)),
        # issue 18, twentieth pass: Northern and Central Europe's ids that python-stdnum has no module for, a
        # sentence after their names
        ("dowod dowód", r"dow[oó]d", (polish_id_card_valid,)),
        ("sozialvers rentenvers sv rv soz", r"sozialvers|rentenvers|^sv|^rv|soz", (pension_number_valid, at_vnr.is_valid)),
        ("kvnr versicherten krankenvers", r"kvnr|^kv|versicherten|krankenvers", (health_insurance_number_valid,)),
        ("matricule identification", r"matricule|identification national", (luxembourg_matricule_valid,)),
        ("personas p.k", r"personas|^p\.?k|pers\.? kods", (latvian_code_valid,)),
        ("cpr", r"cpr", (dk_cpr.is_valid,)),
        ("bsn burgerservice sofi", r"bsn|burgerservice|sofi", (nl_bsn.is_valid,)),
        ("person samordning", r"person ?n|samordning", (se_personnummer.is_valid,)),
        ("fødsels fodsels", r"f[øo]dsels", (no_fodselsnummer.is_valid,)),
        ("hetu henkil", r"hetu|henkil[öo]tun", (fi_hetu.is_valid,)),
        ("cpf", r"cpf", (br_cpf.is_valid, shape(r"\d{3}\.\d{3}\.\d{3}-\d{2}"))),
        ("nir sécu secu", r"^nir$|s[ée]cu", (fr_nir.is_valid,)),
        ("cnp numeric", r"^cnp$|cod numeric", (ro_cnp.is_valid,)),
        ("egn егн", r"egn|егн", (bg_egn.is_valid,)),
        ("isikukood", r"isikukood", (ee_ik.is_valid,)),
        ("asmens", r"asmens", (lt_asmens.is_valid,)),
        ("amka αμκα", r"amka|αμκα", (gr_amka.is_valid,)),
        ("oib osobni", r"^oib$|osobni identifikacijski", (hr_oib.is_valid,)),
        ("jmbg јмбг emšo emso matičn maticn", r"jmbg|јмбг|em[šs]o|mati[čc]ni", (si_emso.is_valid,)),
        ("инн", r"инн", (ru_inn.is_valid,)),
        # (after pass 27's measurement) transliterated, a person's twelve digits only (a firm's has ten)
        ("inn", r"^inn$", (person_inn_valid,)),
        ("рнокпп іпн ідентифікаційн", r"рнокпп|іпн|ідентифікаційн", (ua_rntrc.is_valid,)),
        ("aadh adhaar आधार", r"aadh|adhaar|आधार", (in_aadhaar.is_valid,)),
        ("ssn social security", r"^ssn|social security", (us_ssn.is_valid,)),
        ("tfn tax file", r"tfn|tax file", (au_tfn.is_valid,)),
        ("ird", r"^ird", (nz_ird.is_valid,)),
        ("phn health carecard", r"^phn$|personal health number|carecard", (ca_bc_phn.is_valid,)),
        ("nhs", r"^nhs", (gb_nhs.is_valid,)),
        ("utr unique taxpayer", r"^utr|unique taxpayer", (gb_utr.is_valid,)),
        ("pps", r"^pps", (ie_pps.is_valid,)),
        ("身份 身分", r"身份|身分", (cn_ric.is_valid,)),
        # (pass 27: Korea's resident number in English, and in the shape of those issued since October 2020, whose
        # last six digits are random: no check digit, a birth date and a digit for the century and sex)
        ("주민 resident", r"주민|resident", (kr_rrn.is_valid, shape(r"\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])-[1-8]\d{6}"))),
        ("マイナンバー 個人番号 my number", r"マイナンバー|個人番号|my number", (jp_in.is_valid,)),
        ("ת זהות teudat", r"ת\.?ז|ת\"ז|זהות|teudat", (il_idnr.is_valid,)),
        ("codice fiscale c.f cf cod", r"codice fiscale|^c\.f|cod\. fisc", (it_codicefiscale.is_valid,)),
        ("ahv avs", r"ahv|avs", (ch_ssn.is_valid,)),
        ("rijksregister national niss insz", r"rijksregister|national number|num[ée]ro national|registre national|niss|insz", (be_nn.is_valid, be_bis.is_valid)),
        ("nric mykad ic kad pengenalan", r"nric|mykad|^ic\b|kad pengenalan", (my_nric.is_valid,)),
        ("cnic", r"cnic", (pk_cnic.is_valid,)),
        ("itin", r"itin", (us_itin.is_valid,)),
        ("thuế thue mst", r"m[ãa] s[ốo] thu[ếe]|^mst$", (vn_mst.is_valid,)),
        ("cédula cedula", r"^cédula$|^cedula$", (do_cedula.is_valid, ec_ci.is_valid)),
        ("run rut", r"^ru[nt]$", (cl_rut.is_valid,)),
        # issue 18, nineteenth pass: a person's RUC (Peru's 10, Ecuador's a cédula and 001), Argentina's CUIL,
        # Singapore's NRIC and FIN, Russia's СНИЛС, Sri Lanka's NIC, the Philippines' SSS
        ("ruc", r"^ruc$|contribuyentes", (person_ruc_valid,)),
        ("cuil cuit", r"cuil|cuit", (person_cuit_valid,)),
        ("nric fin", r"nric|^fin", (nric_valid,)),
        ("снилс snils", r"снилс|snils", (snils_valid, shape(r"\d{3}-\d{3}-\d{3}[ -]\d{2}"))),
        ("nic", r"^nic", (shape(r"\d{9}[VvXx]|(?:19|20)\d{10}"),)),
        # a passport's number in its usual shapes, Quebec's RAMQ, Indonesia's NIK (a place, then a birth date)
        ("pass pasap paspo paszp паспорт", r"pass|pasap|paspo|paszp|паспорт",
         (shape(r"[A-Z]{1,2}\d{6,8}|[A-Z]{2}[A-Z\d]{6}\d|\d{2}[A-Z]{2}\d{5}"),)),
        ("ramq maladie soleil", r"ramq|assurance maladie|carte soleil", (ramq_valid,)),
        ("ktp nik kependudukan", r"ktp|^nik|kependudukan", (nik_valid,)),
        ("cccd căn cước can cuoc cmnd", r"cccd|c[ăa]n c[ưu][ớo]c|cmnd", (cccd_valid,)),
        ("nin", r"^nin", (shape(r"[1-9]\d{10}"),)),  # Nigeria's (a phone there starts with 0)
        # pass 27: Spain's DNI and NIE (their check letter), Portugal's NIF (mod 11), a sentence or a clause after
        # their names
        ("dni nie documento nacional", r"^dni|^nie$|documento nacional", (es_dni.is_valid, es_nie.is_valid)),
        ("nif contribuinte", r"^nif|contribuinte", (pt_nif.is_valid, es_dni.is_valid)),
        ("قومي قومى 2awmy qawmi national", r"قوم[يى]|2awmy|qawm|national", (egypt_id_valid,)),
    ))
NAME_CHECK_WORDS = tuple((word, index) for index, (words, _, _) in enumerate(NAME_CHECKS) for word in words)
#: Pass 27: generic names that count for a number only in their own sentence (`named_in_its_sentence`), not a
#: paragraph away: South Africa's id number (a birth date and a Luhn digit) after "ID number".
SENTENCE_NAME_CHECKS: tuple[NameCheck, ...] = (
    (("id", "identity"), re.compile(r"^(?:r?sa )?id(?: number| no)|^identity number|^id book", re.IGNORECASE),
     (za_idnr.is_valid,)),
)
#: How far before a number its name may stand in the same paragraph, for a number its module accepts.
REACH = 160
#: A phone's, an order's or a record's word right before a number: the number is that, whatever stood before.
OTHER_BEFORE = re.compile(r"(?i:tel|phone|mobile|cell|whatsapp|fax|order|ticket|invoice|ref|case|account|"
                          r"tracking|booking|customer|member|policy|claim|contract|commande|pedido|bestell)\w*"
                          r"[^\w\n]{0,4}(?:(?:no|nr|n[º°o]|number|#)\.?[^\w\n]{0,3})?\Z")


POSSESSIVE_FIRST = re.compile(rf"^(?i:{'|'.join(POSSESSIVES)})[ \t]+")


def checks_named_in(folded: str) -> list[NameCheck]:
    """The NAME_CHECKS one of whose words a (folded) text holds."""
    hits = {index for word, index in NAME_CHECK_WORDS if word in folded}
    return [NAME_CHECKS[index] for index in sorted(hits)]


def its_name_in_reach(text: str, start: int, end: int, entries: Sequence[NameCheck]) -> bool:
    """Whether an id name stands in the paragraph up to REACH characters before the number at `start`, and
    the number is valid for that id or written in its shape (`entries`: the NAME_CHECKS the text may hold)."""
    number = text[start:end]
    passed = [names for _, names, checks in entries if any(check(number) for check in checks)]
    if not passed or OTHER_BEFORE.search(text, max(0, start - 24), start) or labelled_reference(text, start):
        return False  # (the checks first: a few of them cost less than looking for the names; pass 27: "numer
        # zamówienia to …", a reference's label in any language, as OTHER_BEFORE's English words)
    paragraph = text.rfind("\n\n", max(0, start - REACH), start)
    window_start = max(0, start - REACH) if paragraph == -1 else paragraph + 2
    for cue in ID_NAME_ANYWHERE.finditer(text, window_start, start):
        name = POSSESSIVE_FIRST.sub("", cue.group())  # "our SINs": the name is "SINs"
        if any(names.search(name) for names in passed):
            return True
    return False


#: Pass 27: what ends a sentence between an id's name and a number, for `named_in_its_sentence`: a full stop, an
#: exclamation mark or a semicolon before a space (a question mark does not: "can I give resident number? 900521-…",
#: the writer answers their own question).
STATEMENT_END = re.compile(r"[.!;。！；]\s")


def named_in_its_sentence(text: str, start: int, end: int, entries: Sequence[NameCheck]) -> bool:
    """Pass 27: whether the number at `start` passes the check digit of an id whose name stands earlier in its
    sentence or on the line before, no other number, no phone's word and no sentence's end between: then a
    reference's word in a clause right before it does not make it the reference's ("the fødselsnummer you asked for,
    as written in the agreement, is …", "CPR, som står i aftalen: …"). A shape alone (`Shape`) is not enough, and a
    reference's own label is the reference's (`labelled_reference`: "Ordre 12345678903")."""
    number = text[start:end]
    passed = [names for _, names, checks in entries
              if any(not isinstance(check, Shape) and check(number) for check in checks)]
    if not passed or labelled_reference(text, start):
        return False
    newline = text.rfind("\n", 0, start)  # (the one that opens the number's line; the window opens the line before)
    window = max(0, start - REACH, text.rfind("\n", 0, newline) + 1 if newline > 0 else 0)
    for cue in ID_NAME_ANYWHERE.finditer(text, window, start):
        between = text[cue.end():start]
        if any(char.isdigit() for char in between) or STATEMENT_END.search(between) or PHONE_WORD.search(between.lower()):
            continue
        if any(names.search(POSSESSIVE_FIRST.sub("", cue.group())) for names in passed):
            return True
    return False


#: The words after which a reference's word opens its clause and labels the number: a possessive ("my order …") or
#: a conjunction ("… maar bestelling …", "but order …", "men ordre …").
#: (Not the conjunctions that are also prepositions or articles elsewhere: Danish "i", Spanish "en", Portuguese "o".)
LABEL_OPENERS = frozenset(POSSESSIVES) | {"and", "but", "or", "und", "aber", "oder", "et", "mais", "ou", "y", "e", "pero",
                                          "mas", "maar", "och", "men", "eller", "og", "mutta", "ale", "lub", "și",
                                          "dar", "ama", "ma", "και", "и", "но"}


def labelled_reference(text: str, start: int) -> bool:
    """Pass 27: whether the word of a reference right before `start` labels the number: with a number word
    ("order no. ", "Vertragsnummer ", "numer zamówienia to "), or opening its line or clause, a possessive or a
    conjunction at most before it ("Ordre: ", "my order ", "but order "); not a reference named in a clause ("…
    i aftalen: ", "as written in the agreement, is ", "for the contract: ")."""
    words = LAST_WORDS.search(text, max(0, start - 24), start)
    if words is None:
        return False
    offset = words.start()
    for word in words.group().split():
        at = text.index(word, offset)
        offset = at + len(word)
        low = word.lower().strip(",;:.!?()")
        if not (any(stem in low for stem in COMPOUND_STEMS) or low in SHORT_STEMS):
            continue  # (a short stem is a whole word, as in pii_refs: "resi", a receipt, is no "resident")
        if NUMBERED.search(text[at:start].lower()):
            return True
        if low.startswith(PERSON_STEMS):
            continue  # (after pass 27's measurement) "Customer: its N6504022", "Klient: CDK…": a chat's speaker
        before = text[max(0, at - 24):at].rstrip(" \t")
        opener = WORD_BEFORE.search(before + " ")
        return not before or before[-1] in ",;:.!?()\n" or opener is None \
            or opener.group(1).lower() in LABEL_OPENERS or NUMBERED.fullmatch(opener.group(1).lower()) is not None
    return False


#: Issue 18, eighteenth pass: tax numbers that persons and firms share, in a firm's form (its prefix), after their
#: name: Argentina's CUIT (30, 33, 34; a person's are 20, 23, 24, 27: "Estudio Pampa SRL, CUIT 30-71234567-8"),
#: Colombia's NIT (a firm's nine digits start with 8 or 9), Spain's NIF (a firm's starts with a letter, a CIF),
#: Portugal's NIF (5, 6, 9), Mexico's RFC (three letters, a person's four); unless the writer calls it theirs.
FIRM_NUMBERS = (
    (re.compile(r"(?i:cuit)"), re.compile(r"3[034]-?\d{8}-?\d")),
    (re.compile(r"\bNIT\b"), re.compile(r"[89]\d{2}\.?\d{3}\.?\d{3}(?:-?\d)?")),
    (re.compile(r"(?i:\bnif\b)"), re.compile(r"[ABCDEFGHJNPQRSUVW]-?\d{7}-?[0-9A-J]|[569]\d{8}")),
    (re.compile(r"\bRFC\b"), re.compile(r"[A-ZÑ&]{3}\d{6}[A-Z\d]{3}")),
    # issue 18, nineteenth pass: Peru's firm RUC (20), Ecuador's (third digit 6 or 9), Paraguay's, the Gulf's VAT TRN
    (re.compile(r"(?i:\bruc\b)"), re.compile(r"20\d{9}|\d{2}[69]\d{7}001|80\d{6}-?\d")),  # (Paraguay's firms: 80)
    (re.compile(r"(?i:\btrn\b|tax registration)"), re.compile(r"\d{15}")),
    # issue 18, twentieth pass: Poland's NIP, a firm's on every invoice (a person's too: "mój NIP")
    (re.compile(r"\bNIP\b"), re.compile(r"(?:PL ?)?(?:\d{3}-?\d{3}-?\d{2}-?\d{2}|\d{3}-?\d{2}-?\d{2}-?\d{3})")),
    # pass 26: Russia's ИНН, ten digits for a firm (twelve for a person); Romania's CUI, only ever a firm's (a person's
    # is the CNP), with its VAT prefix or not ("ИНН 7707083893", "CUI furnizor RO18547290")
    (re.compile(r"ИНН|\bINN\b"), re.compile(r"\d{10}")),
    (re.compile(r"\bCUI\b"), re.compile(r"(?:RO ?)?\d{2,10}")),
)


#: Issue 18, pass 23: words that say a business is one person trading under their own name and number (Poland's
#: sole proprietorship, a "natural person", Spain's autónomo, France's auto-entrepreneur, Czechia's OSVČ).
SOLE_TRADER = re.compile(r"(?i:jednoosobow|osob[aęy] fizyczn|osobę fizyczną|działalnoś[cć] gospodarcz|sole trader|"
                         r"sole proprietor|self-employed|autónomo|autonomo|persona f[ií]sica|persona natural|"
                         r"auto-?entrepreneur|micro-?entrepreneur|einzelunternehm|fyzická osoba|fyzicka osoba|osvč|"
                         r"živnostník|zivnostnik|empresário individual|empresario individual)")


def firms_tax_number(text: str, match: re.Match[str]) -> bool:
    """Whether the number is a firm's tax number in its own form, after the name persons and firms share."""
    before = text[max(0, match.start() - 24):match.start()]
    if not any(number.fullmatch(match.group()) is not None and name.search(before) is not None
               for name, number in FIRM_NUMBERS):
        return False  # (asked first: the cheapest question, and the answer for nearly every number)
    if POSSESSIVE_WORD.search(before):
        return False  # "My NIF is 507162943": the writer says it is theirs
    # issue 18, pass 23: a sole trader's tax number is a person's ("NIP …, jednoosobowa działalność")
    return SOLE_TRADER.search(text, max(0, match.start() - 160), match.end() + 80) is None


POSSESSIVE_WORD = re.compile(rf"(?<!\w)(?i:{'|'.join(POSSESSIVES)})(?!\w)")


def placeholder(number: str) -> bool:
    """Issue 18, eighteenth pass: a number of one digit repeated ("000-00-0000", "111111111") is a form's
    placeholder or a mask, no one's id."""
    return len(set(filter(str.isdigit, number))) == 1


def named_before(text: str, at: int, lettered: bool = False) -> bool:
    """Whether an id name stands right before `at`: nothing but a short gap between, no sentence end
    and no order word in it (for a number with letters in an id's own pattern, "PAN for the invoice is
    ARVPK6612M", an order word may stand between)."""
    for names_before in ID_NAME_BEFORE:
        pos = max(0, at - LOOK_BACK)
        while (cue := names_before.search(text, pos, at)) is not None:
            gap = cue.group("gap")
            if not (SENTENCE_END.search(gap) or (NOT_PERSONAL.search(gap) and not lettered) or a_records_id(text, cue)
                    or PHONE_IN_GAP.search(gap)):
                return True
            pos = cue.start() + 1
    return False


#: Issue 18, nineteenth pass: a phone's word between an id's name and a number makes the number the phone's
#: ("15463098242 kimliğim, hattım 0555 241 93 07", "DNI y teléfono 612 345 678").
PHONE_IN_GAP = re.compile(r"(?i:\b(?:tel|telephone|téléphone|telefon\w*|teléfono|telefone|telefono|phone|mobile|cell|"
                          r"cellphone|whatsapp|fax|móvil|movil|celular|handy|portable|hatt?ım|hattim|gsm|mobil|"
                          r"hp|simu|sim|số điện thoại|sdt)\b)")  # (pass 20: "Aadhaar-linked SIM …, number is")


#: Issue 18, eighteenth pass: generic id names ("ID number", "identification no.", "número de documento")
#: that a record's word before them makes that record's: "Order ID number", "Student ID no.", "Kunden-ID-Nummer".
GENERIC_NAME = re.compile(r"(?i:id\b|id[-.]|identi|ident\b|n[uú]mero|numer|number|nummer|no\b|card|carte|tarjeta|"
                          r"doc|personal|tax\b)")
RECORD_BEFORE = re.compile(
    r"(?i:order|customer|cust|client|kunden|member|membership|mitglieds?|membre|socio|account|acct|tracking|"
    r"shipment|parcel|student|employee|emp|staff|device|user|login|session|transaction|product|item|serial|merchant|"
    r"vendor|supplier|seller|contract|policy|claim|patient|case|ticket|invoice|booking|reservation|app|company|"
    r"business|partner|pedido|commande|bestell\w*|auftrags?|vertrags?|factura|facture|rechnungs?|service|meter|"
    r"subscriber|subscription|loyalty|reward|group|payroll|tenant|license key|licence key|product key)"
    r"[ \t]*[-:#/]?[ \t]*\Z")


#: Issue 18, eighteenth pass: a name that a clause keeps from its number ("My national ID number, which I sent
#: you twice last week, is 19850412"): up to twice MAX_GAP when a verb or a colon comes right before the number.
COPULA_BEFORE = re.compile(r"(?i:\b(?:is|was|are|es|era|est|était|ist|war|é|è|er|är|jest|to|il|lautet|wäre)|[:=])[ \t]*\Z")
LONG_GAP = rf"(?P<gap>[^\d\n]{{{MAX_GAP},{2 * MAX_GAP}}})"
ID_NAME_FAR_BEFORE = tuple(re.compile(rf"(?:{names}){LONG_GAP}\Z") for names in NAME_PATTERNS)


def named_far_before(text: str, at: int) -> bool:
    """Whether an id name stands up to 2 * MAX_GAP characters before `at`, a verb or a colon right before it."""
    if not COPULA_BEFORE.search(text, max(0, at - 12), at):
        return False
    for names_before in ID_NAME_FAR_BEFORE:
        pos = max(0, at - 2 * MAX_GAP - 48)
        while (cue := names_before.search(text, pos, at)) is not None:
            gap = cue.group("gap")
            if not (SENTENCE_END.search(gap) or NOT_PERSONAL.search(gap) or OTHER_BEFORE.search(gap[:-12] + " ")
                    or a_records_id(text, cue)):
                return True
            pos = cue.start() + 1
    return False


#: Issue 18, eighteenth pass: the name after its number ("44051401359 (that's my PESEL)", "… is my DNI").
AFTER_NUMBER = re.compile(r"[ \t]*[(,–-]?[ \t]*(?:(?:that'?s|that is|this is|is|es|est|ist|=|"
                          # issue 18, nineteenth pass: "as on my", "según mi", "sesuai KTP", "laut Ausweis"
                          r"as per|as on|as in|per|from|según|segun|conforme|sesuai|laut|selon|come da|zgodnie z|"
                          r"numaralı|numarali|nolu|no'lu|"
                          # issue 18, pass 25: a number given as an id ("25869407213 als Identifikationsnummer", "como
                          # DNI", "comme numéro fiscal", "jako PESEL", "olarak TC kimlik")
                          r"als|como|comme|come|jako|olarak|som)[ \t]+)?"
                          r"(?:(?:my|mi|mon|ma|mein|meine|meu|minha|mijn|our|his|her|el|la|le|o|a)[ \t]+)?")


def named_after(text: str, start: int, end: int) -> bool:
    """Whether an id name, not a generic one ("ID card"), follows the number at `start`, introduced, and no
    other's word comes before the number ("pedido 1234567890, mi DNI lo mando luego")."""
    at = AFTER_NUMBER.match(text, end)
    name = at.end() if at is not None else end
    if "\n" in text[end:name] or not (text[end:name].strip(" \t,()–-") or OWN_NAME_AFTER.match(text, name)):
        return False  # ("12345678 DNI", "300218, IC …", "(Medicare)": a list of words; a verb or "my" introduces a name)
    before = text[max(0, start - 30):start]
    if NOT_PERSONAL.search(before) or OTHER_BEFORE.search(before) or RECORD_BEFORE.search(before):
        return False
    return any(pattern.match(text, name) is not None and not GENERIC_NAME.match(text, name)
               for pattern in NAME_AFTER)


NAME_AFTER = tuple(re.compile(names) for names in NAME_PATTERNS)
#: Issue 18, nineteenth pass: a name that says "my" itself, in Turkish's suffix ("15463098242 kimliğim", "… TC
#: kimlik numaram"): it introduces itself.
OWN_NAME_AFTER = re.compile(r"(?i:(?:t\.?c\.?[ ]?)?kimliğim|(?:t\.?c\.?[ ]?)?kimlik numaram)(?!\w)")
#: A firm's tax word glued before an id name: "USt-IdNr." is a VAT number, not the personal "IdNr".
FIRM_BEFORE = re.compile(r"(?i:ust|mwst|vat|tva|iva|btw|umsatzsteuer|firmen|company|business)[ \t]*-?\Z")


#: Pass 27: a pass that is a ticket, not a passport ("boarding pass (nr 20481736)", "bus pass nr"): Swedish, Norwegian
#: and German "pass" is the passport.
TICKET_PASS_BEFORE = re.compile(r"(?i:boarding|bus|rail|train|travel|season|day|ski|gate|access|guest|visitor|parking|"
                                r"hall|museum|festival|event|weekly|monthly|annual)[ \t-]*\Z")


def a_records_id(text: str, cue: re.Match[str]) -> bool:
    """Whether a generic id name is the id of the record a word before it names, a name is a firm's, or a "pass"
    a ticket's."""
    before = max(0, cue.start() - 24)
    if FIRM_BEFORE.search(text, before, cue.start()):
        return True
    if cue.group().lower().startswith("pass") and TICKET_PASS_BEFORE.search(text, before, cue.start()):
        return True
    return GENERIC_NAME.match(cue.group()) is not None and RECORD_BEFORE.search(text, before, cue.start()) is not None


#: Issue 18, seventeenth pass: a chat line that is only an identity number (after its speaker's name),
#: answering a line that named one ("¿Me pasás tu DNI?\nCliente: 32.581.904", "escribe tu CURP.\nUsuario: …").
#: (Issue 18, nineteenth pass: a chat's time in brackets may carry its half of the day, "[7:46 a. m.]", "[9:05 PM]";
#: after pass 27's measurement, its date too, as WhatsApp exports it: "[10:50, 03/04/2024]".)
CHAT_TIME = r"\[[\d:. ]+(?:,[ ]?\d{1,4}[./-]\d{1,2}[./-]\d{2,4})?(?:(?i:[ ]?[ap]\.?[ ]?m\.?))?\]"
ANSWER_LINE = re.compile(rf"[ \t]*(?:{CHAT_TIME}[ \t]*)?[^\W\d][\w .()'’-]{{0,30}}[:：](?P<said>[^\d\n]{{0,40}})$")


#: Pass 24: a line that opens with the number, with no speaker (a mail's or a chat's reply: "what's your social?\n521 88
#: 3047"), a quoted reply's marks at most before it.
LINE_OPENING = re.compile(r"[ \t>]*")


#: A number given on a line, as a form's line gives one (five digits and more, or three groups: "32.456.789"); a year
#: or a time is none (after pass 27's measurement: "for the annual statement for 2023 we need your tax ID. Could you
#: send it?").
NUMBER_GIVEN = re.compile(r"\d{5,}|\d+(?:[ .-]\d+){2,}")


def asked_for_before(text: str, at: int, listed: bool = False) -> bool:
    """Whether the number at `at` is alone after a speaker on its line, or opens it (or, `listed`, ends a list of
    answers: pass 28), and the line before asks for an id by its name."""
    line_start = text.rfind("\n", 0, at) + 1
    if not line_start:
        return False
    answer = ANSWER_LINE.fullmatch(text, line_start, at)
    if answer is None and LINE_OPENING.fullmatch(text, line_start, at) is None:
        if not (listed and ANSWER_LIST.fullmatch(text, line_start, at)):
            return False
        return asks_for_an_id(TIMESTAMP.sub("", line_before(text, line_start), count=1))
    # issue 18, eighteenth pass: words may come first ("Müşteri: zeynep nur kılıç, 52930184476", "Kunde: ok …"),
    # but not a phone's or an order's ("Customer: my order is …")
    said = answer.group("said") if answer is not None else ""
    if said.strip() and (NOT_PERSONAL.search(said) or OTHER_BEFORE.search(said)
                         or (LABEL.search(said) and not ID_NAME_ANYWHERE.search(said))):
        return False  # ("Pelanggan: no ahli 300218, IC …": a label other than an id's names another number)
    return asks_for_an_id(TIMESTAMP.sub("", line_before(text, line_start), count=1))


def asks_for_an_id(previous: str) -> bool:
    """Whether a line asks for an id by its name (pass 28: a short name in lower case too, ASKED_SHORT_NAME)."""
    if NUMBER_GIVEN.search(previous) or not (ASKING.search(previous) or ASKING_MORE.search(previous)):
        return False  # a form's lines ("DNI: 32.456.789\nLínea: 11 4567-8910") answer nothing
    return ID_NAME_ANYWHERE.search(previous) is not None or ASKED_SHORT_NAME.search(previous) is not None


#: Pass 28: the words that give a person's id again: a correction's (pii_refs.CORRECTION_WORDS and an id's own: "Richtig
#: ist:", "Correct one:", "ama doğrusu", "la correcta es"), an id's old and new numbers ("Luma: … Bago: …", "previous
#: … new", "antiguo … nuevo", "旧 … 新", "→"), and (group "card") a document's second number ("licence 18339407 card
#: number 2104 889 317"); then the words that may stand before the number ("one", "is", "mine is", a colon).
AGAIN_CUE = re.compile(
    rf"(?:(?<![^\W\d_])(?i:(?P<fix>{CORRECTION_WORDS}|correct one|correct number|right one|right number|the correct|"
    r"corrected|richtig|korrigiert|doğrusu|dogrusu|doğru|correct[oa]|corret[oa]|corrett[oa]|le bon|la bonne|juiste|"
    r"oikea|riktig|rätt|korrekt|prawidłow\w*|poprawn\w*|właściw\w*|правильн\w*|yang benar|tamang|mine is|mine's)|"
    r"new|old|previous|former|luma|bago|antigu[oa]|nuev[oa]|anterior|actual|alte?|neue?|ancien(?:ne)?|nouve(?:au|lle)|"
    r"vecchi[oa]|nuov[oa]|antig[oa]|nov[oa]|eski|yeni|lama|baru|oude?|nieuwe?|star[yae]|now[yae]|"
    r"старый|новый|старий|новий|(?P<card>card (?:number|no\.?|#)|kartennummer|número de tarjeta|numéro de carte))"
    rf"(?![^\W\d_])|→|->|=>|⇒|旧|新|이전|신규|기존|{CORRECTION_MARKS})"
    r"[ \t,]*(?:(?i:one|number|no\.?|nr\.?|n[º°o]\.?|is|es|ist|est|era|was|é|è|it'?s|it is|mine is|c'est|"
    r"passport|ID|[:：=–-])[ \t,]*){0,4}")
#: How far before the number given again its id's name, or the id it replaces, may stand.
AGAIN_REACH = 200
#: The most the number given again may differ in digits from the id it follows (a licence's card has two more).
AGAIN_DIGITS_OFF = 2
#: A paragraph's end: the id before it is another text's.
BLANK_LINE = re.compile(r"\n[ \t]*\n")


def corrected_ids(text: str) -> Iterator[tuple[int, int]]:
    """Pass 28: a number given again after its id's name, before any found id (`following_ids` with none found):
    "die Ausweisnummer falsch eingegeben. Richtig ist: NN3XW07087", "passport number … is wrong. Correct one: …"."""
    yield from following_ids(text, ())


def following_ids(text: str, found: Sequence[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Pass 28: the number an AGAIN_CUE gives right after an id's name or an id already `found`, nothing another
    record's between: a correction of the id, its new or old number, its card's number. Each one found counts as
    found for the next ("Luma: P1234567A (expired na). Bago: P5372124B")."""
    spans = sorted(found)
    for cue in AGAIN_CUE.finditer(text):
        span = number_given_again(text, cue)
        if span is None or DATE_ONLY.fullmatch(text[span[0]:span[1]]) or placeholder(text[span[0]:span[1]]):
            continue
        if any(start < span[1] and span[0] < end for start, end in spans):
            continue
        if again_of_an_id(text, cue, text[span[0]:span[1]], spans):
            spans.append(span)
            yield span


def number_given_again(text: str, cue: re.Match[str]) -> tuple[int, int] | None:
    """The number right after `cue`; after a correction's word, the first one a few words on in its sentence, none of
    them another record's ("sorry wrong one, X7654321T is mine")."""
    number = CUED_ID.match(text, cue.end())
    if number is not None:
        return number.start(), grouped_end(text, number.start(), number.end())
    if cue.group("fix") is None:
        return None
    span = number_after(text, cue.end())
    if span is None or SENTENCE_END.search(text, cue.end(), span[0] + 1):
        return None  # ("… sorry). naam Vikram Mehta. AY 2024-25": the next sentence's number is another thing)
    return span if again_between(text[cue.end():span[0]]) else None


def again_of_an_id(text: str, cue: re.Match[str], number: str, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether the last thing before `cue` is an id in `spans` (of about the number's length, but after a correction's
    word), or (not for a card's number) an id's name, within AGAIN_REACH, no other number nor record's word between."""
    at = cue.start()
    previous = max((span for span in spans if span[1] <= at), default=None)
    if previous is not None and at - previous[1] <= AGAIN_REACH and not re.search(r"\d", text[previous[1]:at]):
        # (a correction may give another document's number: "that one is my wife's DNI, mine is 23927563594")
        return again_between(text[previous[1]:at]) and (cue.group("fix") is not None
                                                        or same_kind(text[previous[0]:previous[1]], number))
    if cue.group("card") is not None:
        return False
    names = list(ID_NAME_ANYWHERE.finditer(text, max(0, at - AGAIN_REACH), at))
    if not names or re.search(r"\d", text[names[-1].end():at]):
        return False
    return again_between(text[names[-1].end():at])


def again_between(between: str) -> bool:
    """Whether nothing between an id and the number given again makes that number another record's or a phone's."""
    return not (BLANK_LINE.search(between) or NOT_PERSONAL.search(between) or PHONE_IN_GAP.search(between)
                or RECORD_WORD.search(between))


#: Records' words that, between an id and a number given again, make the number theirs ("passport … new account: …").
RECORD_WORD = re.compile(r"(?i:\b(?:account|acct|iban|konto|cuenta|conta|compte|member|membership|policy|"
                         r"contract|vertrag\w*|customer|kunden\w*|client|login|user|serial|model|sku)\b)")


def same_kind(first: str, second: str) -> bool:
    """Whether two numbers look like one id's two values: about as many digits, letters in both or in neither."""
    digits = sum(map(str.isdigit, first)), sum(map(str.isdigit, second))
    lettered = any(map(str.isalpha, first)), any(map(str.isalpha, second))
    return abs(digits[0] - digits[1]) <= AGAIN_DIGITS_OFF and lettered[0] == lettered[1]


#: Pass 28: ids' short names typed in lower case or capitalised in a chat ("cc 52.874.193", "rut 9876543-3", "dni
#: 32.581.904", "nie x1234567l", "tc 12345678901"): each is a word or a mark elsewhere ("cc:" a mail's copy, Polish
#: "nie", English "run"), so the number after it must have its own country's shape and pass its check where it has one.
LOWER_LABELLED = re.compile(r"(?<![\w.@/-])(?P<name>(?i:c\.?c\.?|c\.?i\.?|rut|run|dni|nie|rg|tc|tckn|nik))[ \t]*"
                            r"(?:(?i:n[º°o]\.?|nro\.?|#|:|-|es|is|é)[ \t]*){0,2}"
                            r"(?P<number>[\dXYZxyz][\d.]*\d(?:-?[\dkKA-Za-z])?)(?![\w@])(?![.,/-]\w)")
#: The ones that count with no check: each name's own shape (Colombia's and Latin America's cédula, Argentina's and
#: Peru's DNI, Brazil's RG).
LOWER_LABEL_SHAPES = {
    "cc": re.compile(r"\d{1,3}(?:\.\d{3}){2,3}|\d{6,10}"),
    "ci": re.compile(r"\d{1,2}\.?\d{3}\.?\d{3}(?:-?\d)?"),
    "dni": re.compile(r"\d{1,2}\.?\d{3}\.?\d{3}"),
    "rg": re.compile(r"\d{1,2}\.?\d{3}\.?\d{3}-?[\dxX]"),
}
#: The ones a check decides (a Spanish DNI with its letter, a NIE; a Chilean RUT a person's, under 50 million: a
#: firm's are above; Turkey's T.C. and Indonesia's NIK).
#: (A Chilean RUT of 50 million and more is a firm's.)
FIRST_FIRM_RUT = 50_000_000


def person_rut_valid(number: str) -> bool:
    """Whether a Chilean RUT's check digit holds and its number is below a firm's (a firm's RUT is kept)."""
    return cl_rut.is_valid(number) and int(cl_rut.compact(number)[:-1]) < FIRST_FIRM_RUT


LOWER_LABEL_CHECKS: dict[str, Valid] = {
    "dni": es_dni.is_valid, "nie": es_nie.is_valid, "tc": tr_tckimlik.is_valid, "tckn": tr_tckimlik.is_valid,
    "rut": person_rut_valid, "run": person_rut_valid, "nik": nik_valid,
}


def lower_labelled_ids(text: str) -> Iterator[tuple[int, int]]:
    """Pass 28: a number of its country's shape right after an id's short name in any case (LOWER_LABELLED)."""
    for match in LOWER_LABELLED.finditer(text):
        name = match.group("name").lower().replace(".", "")
        number = match.group("number")
        shaped = name in LOWER_LABEL_SHAPES and LOWER_LABEL_SHAPES[name].fullmatch(number) is not None
        checked = name in LOWER_LABEL_CHECKS and LOWER_LABEL_CHECKS[name](number.upper())
        if (shaped or checked) and not placeholder(number):
            yield match.span("number")


#: Pass 28: ids' short names a request may use in lower case ("me confirma el rut del titular?", "cual es su cc?",
#: "ur nin pls?"), for the line before an answer only (not "nie", "run", "ci": words of Polish, English, Italian).
ASKED_SHORT_NAME = re.compile(r"(?i:(?<![^\W\d_])(?:rut|dni|cc|rg|nin|bvn|nik|tckn|cuil|ssn|nric|cnic|ktp|curp|"
                              r"cpf|nino|ppsn?)(?![^\W\d_]))")
#: Pass 28: an answer line that lists what a request asked for ("You: callum reid, 17.06.1996, oy636853d"): its speaker,
#: then items parted by commas or semicolons, the id among them.
ANSWER_LIST = re.compile(rf"[ \t]*(?:{CHAT_TIME}[ \t]*)?[^\W\d][\w .()'’-]{{0,30}}[:：][^:\n]{{0,80}}[,;][ \t]*$")


def line_before(text: str, line_start: int) -> str:
    """The line that ends right before `line_start` (the start of a line after the first), without its newline."""
    return text[text.rfind("\n", 0, line_start - 1) + 1:line_start - 1]


#: A number's label in words said before it on an answer line.
LABEL = re.compile(r"(?i:#|\b(?:no|nr|n[º°o]|num\w*|nomor|nombor|namba|nambari|nummer|numer\w*|n[úu]mero|code|c[óo]digo|ref)\b)")
TIMESTAMP = re.compile(rf"^[ \t]*{CHAT_TIME}")
#: A line that asks for something: a question, or a request to give, type or send it, in the corpus's languages.
ASKING = re.compile(r"[?？؟]|请|請|ください|주세요|알려|(?i:\b(?:enter|provide|send|share|give|type|tell|confirm|pasa|pasás|"
                    r"pásame|escribe|ingresa|digite|informe|informa|envie|indiquez|donnez|entrez|geben|nennen|schicken|"
                    r"please|pls|plz|plis|porfa|porfis|kindly|por favor|svp|bitte|per favore|من فضلك|عطيني|أرسل|"
                    # issue 18, eighteenth pass: requests in more languages (Swahili, Turkish, Indonesian and Malay,
                    # Tagalog, Vietnamese, Hindi, Russian and Ukrainian, Polish, Dutch, Italian, Portuguese)
                    r"naomba|tafadhali|tuma|lütfen|paylaşır|iletir|mohon|silakan|tolong|sila|pakibigay|paki|"
                    r"vui lòng|xin|कृपया|बताएं|пожалуйста|укажите|пришлите|назовите|будь ласка|вкажіть|proszę|prosze|"
                    r"podaj|podać|graag|stuur|geef|invia|inviare|fornire|fornisci|indica|me passa|passe|mande)\b)")


#: Issue 18, nineteenth pass: a request said as a need or a wish ("I need your passport number.", "May I have your
#: NI"), and Hinglish's ("Aadhaar number bata dijiye"): for an id's answer only (redact's phones keep ASKING).
ASKING_MORE = re.compile(r"(?i:\b(?:need|needs|needed|require|required|may i have|can i have|can i get|could i have|"
                         r"let me have|necesito|necesitamos|preciso|precisamos|brauche|brauchen|benötige|benötigen|"
                         r"besoin|mi serve|ci serve|abbiamo bisogno|nodig|potrzebuję|нужен|нужна|нужно|потрібен|"
                         r"bata|bataiye|batayein|batao|dijiye|dijie|bhejiye|bhejo|chahiye|likhiye|ihtiyacımız|gerekiyor|"
                         r"perlu|diperlukan|kailangan|cần|يرجى|ابعت|ابعتلي|محتاج|نحتاج|"
                         # issue 18, pass 23: a call's request without its question mark ("can you read me your NI")
                         r"can you|could you|read me|read out|read back)\b)")


def checked_ids(text: str) -> Iterator[tuple[int, int]]:
    """A number right after an id word that some country's module accepts; and, in a text of a country whose id has
    no check digit (`REGIONAL_IDS`), a number of that id's shape after a bare "ID" no record's word names."""
    regional = tuple(shape for context, shape in REGIONAL_IDS if context.search(text))
    for cue in ID_WORDS.finditer(text):
        word = WORD_BEFORE.search(text, max(0, cue.start() - 24), cue.start())
        personal = word is None or word.group(1).lower() in PERSON_BEFORE_ID
        if not personal and not regional:
            continue  # "Order ID", "customer ID", "device ID": some record's
        span = number_after(text, cue.end())
        if span is None or not WEAK_GAP.fullmatch(text[cue.end():span[0]]):
            continue
        number = text[span[0]:span[1]]
        if personal and sum(map(str.isdigit, number)) >= 9 and any(valid(number) for valid in CHECKED) \
                and not phone_line_named(text, *span):  # (pass 27: "ring my personal number 07700 900461")
            yield span
        elif any(shape.fullmatch(number) for shape in regional) and not placeholder(number) \
                and (personal or not record_named_before(text, cue.start())):
            yield span  # "ni mimi Wanjiku Mwangi ID 29384716", "Khalid Al-Otaibi, ID 1093384520"


def record_named_before(text: str, at: int) -> bool:
    """Issue 18, pass 25: whether the word right before `at` names a record, a phone or an order ("Student ID",
    "acct ID", "Motorista ID"), so that the number after is that record's."""
    before = text[max(0, at - 24):at]
    return bool(RECORD_BEFORE.search(before) or OTHER_BEFORE.search(before) or NOT_PERSONAL.search(before)
                or DRIVER_BEFORE.search(before))


#: Issue 18, nineteenth pass: a Kenyan text (its mobile money, its tax office, its shilling, its towns), where a bare
#: "ID" and seven or eight digits is the national identity card's number (no check digit). (Pass 25: its health and
#: pension funds, its mobile numbers' shape and country code, and Swahili's everyday words: "ni mimi", "jina", "simu".)
KENYA = re.compile(r"(?i:m-?pesa|safaricom|\bkra\b|\bksh|\bkes\b|kenya|nairobi|mombasa|kisumu|nakuru|eldoret|"
                   r"huduma|fuliza|m-?shwari|kcb\b|equity bank|airtel money|tafadhali|naomba|\bsha\b|\bnhif\b|"
                   r"\bnssf\b|\bmimi\b|\bjina\b|\bsimu\b|\bnamba\b|asante|habari|shilingi|\+254|"
                   r"(?<![\d+])0(?:7\d\d|1[01]\d)[ ]?\d{3}[ ]?\d{3}(?![ ]?\d))")
#: Issue 18, pass 25: a Saudi text (its riyal, its cities, its country code, its government portal and residence
#: permit), where a bare "ID" and ten digits, 1 or 2 first, is the national id or the iqama (a check digit that
#: people's ids in the corpus do not always pass: they are typed from memory).
SAUDI = re.compile(r"(?i:\bsar\b|riyals?\b|ريال|riyadh|jeddah|jiddah|dammam|makkah|mecca|madinah|medina|khobar|"
                   r"\bsaudi|\bksa\b|\+966|absher|iqama|\bmada\b|الرياض|جدة|السعودية)")
#: The countries whose id after a bare "ID" has no check digit to pass, each with the words that place a text there
#: and its id's shape.
REGIONAL_IDS = ((KENYA, re.compile(r"\d{7,8}")), (SAUDI, re.compile(r"[12]\d{9}")))
#: A driver's or a rider's id, a ride app's or a courier's (not the customer's own).
DRIVER_BEFORE = re.compile(r"(?i:driver|rider|motorista|courier|agent|staff|dereva)\w*[ \t]*[-:#]?[ \t]*\Z")


def bare_id_valid(number: str) -> bool:
    """Issue 18, pass 25: whether a run of nine digits or more passes the check of some country's id (CHECKED): a
    number joined across a line break counts whole only so."""
    return len(number) >= 9 and any(valid(number) for valid in CHECKED)


def number_after(text: str, at: int) -> tuple[int, int] | None:
    """The span of the identity-shaped number that follows `at` across a short gap, if one does."""
    match = CUED_ID.search(text, at)  # (not bounded: an end position would cut a longer number short)
    if match is None:
        return None
    gap = text[at:match.start()]
    if len(gap) > MAX_GAP or "\n" in gap or any(c.isdigit() for c in gap) or DATE_ONLY.fullmatch(match.group()):
        return None
    return match.start(), grouped_end(text, match.start(), match.end())


def grouped_end(text: str, start: int, end: int) -> int:
    """Where a number ends: a number written with dots, dashes or slashes does not go on after a
    space ("CPF 123.456.789-09 11 98765-4321" stops before the phone); one in space-separated
    groups ("2 84 05 69 123 456 78") is all of them."""
    space = text.find(" ", start, end)
    if space != -1 and any(char in ".-/" for char in text[start:space]):
        return space
    return end
