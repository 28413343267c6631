"""The world's identity-number names (core/id_names.py) and the eighteenth pass of core/pii_ids.py: ids named
in many countries' words and scripts, an id named a sentence or a line before its number, answers with words
before the number, documents' numbers with letters; record numbers, firms' numbers and placeholders left."""

from __future__ import annotations

import re

import pytest

from feedbackloop.core.id_names import ABBREVIATIONS, GLUED, WORDS, WORLD_ID_NAMES, alternation
from feedbackloop.core.pii_ids import find_national_ids
from feedbackloop.core.redact import fold, redact

#: (sentence, the identity number in it): a name from the world's lists, in its country's written shape.
WORLD_NAMED = (
    ("Mi número de identificación es 1020304050, gracias", "1020304050"),
    ("Numéro d'identité : 123456789012", "123456789012"),
    ("Meine Ausweisnummer lautet L01X00T47.", "L01X00T47"),  # letters among the digits
    ("Reisepassnummer C01X00T47", "C01X00T47"),
    ("pasaporte número AAB123456", "AAB123456"),
    ("numéro de passeport 12AB34567", "12AB34567"),
    ("我的身份证号是11010519491231002X，谢谢", "11010519491231002X"),  # glued to Han
    ("身份證號碼：A123456789", "A123456789"),
    ("주민등록번호는 900101-1234568 입니다", "900101-1234568"),
    ("パスポート番号 TK1234567", "TK1234567"),
    ("여권번호 M12345678", "M12345678"),
    ("номер паспорта 4509 123456, выдан", "4509 123456"),
    ("رقم الهوية 1023456789 من فضلك", "1023456789"),
    ("کد ملی 0012345678", "0012345678"),
    ("תעודת זהות 123456782", "123456782"),
    ("Passport No.: 533380006\nNationality", "533380006"),
    ("Driver's licence number: D1234-56789-01234", "D1234-56789-01234"),
    ("my pan is ABCPK1234F", "ABCPK1234F"),  # an abbreviation in lower case after a possessive
    ("Mi cc es 52.987.331 y el celular", "52.987.331"),
    ("O meu NIF é 512345678, obrigado", "512345678"),  # a firm's prefix, but the writer's own
    ("Voter ID: ABC1234567", "ABC1234567"),
    ("Cédula de ciudadanía No. 1.023.456.789", "1.023.456.789"),
    ("carteira de identidade RG 12.345.678-9", "12.345.678-9"),
    ("NIT/PIS: 123.45678.90-1", "123.45678.90-1"),  # Brazil's social-insurance number
    ("numero di passaporto YA1234567", "YA1234567"),
    ("UTR 12345 67890 confirmed", "12345 67890"),  # the UK's taxpayer reference
    ("mã số thuế cá nhân 8012345678.", "8012345678"),  # Vietnam
    ("số CCCD 001099012345", "001099012345"),
    ("Nomor KTP saya 3201234567890001", "3201234567890001"),
    ("matricule CNSS 1045987", "1045987"),  # West Africa's social security
    ("SS No. 34-5678901-2, DOB", "34-5678901-2"),  # the Philippines
    ("ID yangu ni 31845627 kama mnaitaji", "31845627"),  # Swahili: "my ID is"
    ("Iqama number 2123456789", "2123456789"),
    ("Civil ID 289012345678", "289012345678"),
    ("numer PESEL mojej mamy to 44051401359", "44051401359"),
    ("Sozialversicherungsnummer 65 170839 J 003", "65 170839 J 003"),
    ("titre de séjour n° 7501234567", "7501234567"),
    ("személyi igazolvány száma 123456AB", "123456AB"),
    ("green card number SRC1234567890", "SRC1234567890"),
    ("SIN provided for T5 correction: 527-114-390", "527-114-390"),  # a form's name in the gap
    ("Name: Nomvula Dlamini\nID: 9309220124081\n", "9309220124081"),  # a form's label on its own line
    ("ID no.:\n A1234567", "A1234567"),  # the value on the line under its label
    # issue 18, nineteenth pass: names the eighteenth's lists had not
    ("ஆதார் எண் 2345 6789 0123 சரியா", "2345 6789 0123"),  # Tamil
    ("የመታወቂያ ቁጥር 123456789012 ነው", "123456789012"),  # Amharic
    ("Inombolo kamazisi: 8501015800087", "8501015800087"),  # Zulu
    ("Lambar shaida 12345678901 ce", "12345678901"),  # Hausa
    ("número de RUC 10456789124 por favor", "10456789124"),  # Peru, a person's
    ("my TRN is 123-456-789, thanks", "123-456-789"),  # Jamaica
    ("BRP number ZU1234567 expired", "ZU1234567"),  # the UK's residence permit
    ("codul numeric personal 1900312400122", "1900312400122"),  # Romanian, with its article
    ("港澳通行证号码 C12345678", "C12345678"),
    ("在留カード番号 AB12345678CD", "AB12345678CD"),
    ("NRC 123456/78/1 (Zambia)", "123456/78/1"),
    ("Citizenship no. 12-01-74-01234", "12-01-74-01234"),  # Nepal
    ("numero ng SSS 34-1234567-8 po", "34-1234567-8"),  # Tagalog
    ("kimliğimi soruyorlar: 28457193062", "28457193062"),  # Turkish, inflected
    ("رقمي القومي 29001010123456", "29001010123456"),  # Egyptian, "my national number"
)

#: python-stdnum's person ids in a shape of their own, valid, no name needed.
SHAPED = (
    ("Applicant 880705-14-5678 approved", "880705-14-5678"),  # Malaysia's MyKad
    ("the form shows ABCPK1234F twice", "ABCPK1234F"),  # India's PAN of a person
    ("filed under 912-70-1234 last year", "912-70-1234"),  # a US ITIN
    ("kaart 591-1917064-58 verlopen", "591-1917064-58"),  # Belgium's eID card
    ("licence MORGA753116SM9IJ, full", "MORGA753116SM9IJ"),  # a British driving licence
)

#: The name far before its number across a clause, or after it, or a nationality before "ID".
FAR_OR_AFTER = (
    ("My national ID number, which I have already sent you twice last week, is 19850412", "19850412"),
    ("44051401359 (that's my PESEL)", "44051401359"),
    ("12345678 es mi cédula, gracias", "12345678"),
    ("South African ID 800101 5009 087", "800101 5009 087"),  # valid for za.idnr, a nationality before "ID"
)

#: An id named a sentence or a line before its number: valid for that id's own module, or in its own shape.
IN_REACH = (
    ("Mein Steuer-ID wird abgelehnt. Ich gebe 36574261809 ein.", "36574261809"),  # valid IdNr
    ("rodné číslo nie je platné. Zadávam 905812/4417, čo je správne", "905812/4417"),  # the shape, mistyped
    ("Kennitalan mín er 120174-3399 og hans 030317-3020.", "030317-3020"),  # a second one, the shape
    ("sistem \"TC kimlik no hatalı\" diyor. Numaram 17291716060, doğum", "17291716060"),
    ("He needs both our SINs. Mine is 133 457 882. Thanks", "133 457 882"),  # the SIN's 3-3-3 shape
    ("rossz az adóazonosító jele. Helyes: 8431027584. Köszönöm", "8431027584"),  # Hungary's check digit
    ("update my Medicare card number please. New card: 2953 71046 1, IRN 2", "2953 71046 1"),
    ("TC kimlik numaranızı alabilir miyim?\nMüşteri: zeynep nur kılıç, 17291716060", "17291716060"),
)

#: Answers on a chat line after a request for an id, words first or none.
ANSWERS = (
    ("Agent: Naomba ID number yako kwa verification.\nCustomer: 31456789", "31456789"),
    ("Agent: Steuer-ID bitte hier schicken.\nKunde: ok 47183962605, danke", "47183962605"),
)

#: Numbers that stay: records' ids after generic id names, firms' numbers, placeholders, an order after a
#: sentence about an id, a name glued inside an ordinary word.
LOOK_ALIKES = (
    "Order ID number 12345678 shipped",
    "Customer ID no. 44018223 on file",
    "Your member ID card number is 88123456",
    "Student ID number 900412233",
    "Service ID No. 4410-2298-17. Referred to the hotline",
    "Nordlicht Möbel GmbH · USt-IdNr. DE 289 441 027 · Tel.",  # a VAT number
    "Facturar a Estudio Pampa SRL, CUIT 30-71234567-8.",  # a firm's CUIT
    "software auto-filled SSN field with 000-00-0000 placeholder",
    "已让用户重新上传身份证正反面。工单 #CS-883021。",  # a Han full stop ends the id's sentence
    "Agent: Boleh bagi no. ahli dan no. IC?\nPelanggan: no ahli 300218",  # the answer labels a member number
    "Kundennummer 123456789, Ausweis liegt bei",
    "numéro de commande 123456789, pièce d'identité jointe",
    "I sent my ID yesterday. Order number 4471992055 is still pending",
    "my passport expired. Booking ref 12345678",
    "our business 123456789 and public 12345678 and watch 12345678",  # "sin", "ic", "tc" inside words
    "Versichertennummer 80756-219 bei der Krankenkasse",  # a Swiss insurer's member number
    "the form shows ABCCK1234F twice",  # a PAN, but a company's (fourth letter C)
    "filed under 912-40-1234 last year",  # area 9, but a group no ITIN has
    "pedido 1234567890, mi DNI lo mando luego",  # an order's number, the id named after it
    "Call log: inbound from 1-800-633-4227 (Medicare) about a claim",  # a name after a number, not introduced
    "Pelanggan: no ahli 300218, IC belum",
    "Factura de Soluciones SAS, NIT 900.123.456-7",  # a Colombian firm's NIT
    "Facturado a Muebles Ruiz SL, NIF B12345678",  # a Spanish firm's NIF (a CIF)
    "Fatura da Empresa Lda, NIF 501234560",  # a Portuguese firm's NIF
    "Factura a Comercializadora SA de CV, RFC ABC240101XY1",  # a Mexican firm's RFC
    "My national ID number, which I gave you, is on the order. Order 4471992055 is late",
    # issue 18, nineteenth pass
    "USCIS receipt number EAC1234567890 for the I-130",  # a case's receipt, not a person's number
    "PVC pipe, part number 1234567",  # "PVC" is no voter's card here
    "Empresa Andina SAC, RUC 20512345678",  # a Peruvian firm's RUC
    "Nuestra empresa, RUC 1790012345001",  # an Ecuadorian firm's (third digit 9)
    "TRN 100123456700003 on the tax invoice",  # the Gulf's VAT registration
)


@pytest.mark.parametrize(("text", "number"), WORLD_NAMED + SHAPED + IN_REACH + ANSWERS + FAR_OR_AFTER)
def test_ids_named_in_the_worlds_words_are_found(text: str, number: str) -> None:
    start = text.index(number)
    assert any(s <= start and start + len(number) <= e for s, e in find_national_ids(text, fold(text)))
    assert number not in redact(text)


@pytest.mark.parametrize(("text", "number"), WORLD_NAMED + SHAPED + IN_REACH + ANSWERS + FAR_OR_AFTER)
def test_the_gates_lose_nothing(text: str, number: str) -> None:
    assert list(find_national_ids(text, fold(text))) == list(find_national_ids(text, fold(text), gated=False))


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_records_and_firms_numbers_are_left(text: str) -> None:
    assert list(find_national_ids(text, fold(text), gated=False)) == []


@pytest.mark.parametrize("names", [WORDS, ABBREVIATIONS, GLUED])
def test_the_trie_matches_every_name_and_no_other(names: tuple[str, ...]) -> None:
    pattern = re.compile(f"(?:{alternation(names)})")
    assert all(pattern.fullmatch(name) for name in names)
    assert not any(pattern.fullmatch(name + "q") or pattern.fullmatch(name[:-1]) for name in names
                   if name[:-1] not in names and name[-1] not in " .'")


@pytest.mark.parametrize("word", ["business", "public", "watch", "passports", "Pancake", "NASA", "nirvana",
                                  "Sinai", "cedulas", "taxing", "Ahvaz"])
def test_names_do_not_match_inside_ordinary_words(word: str) -> None:
    assert not any(re.search(names, word) for names in WORLD_ID_NAMES[:3])
