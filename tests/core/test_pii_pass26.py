"""Pass 26: bank accounts written beside their bank's name, in a form's lines, after a routing number with no account
word, and an IBAN whose check digits a typo broke; emails with a plain "@" and a bracketed dot, or braced words.

The examples are written for these tests, in shapes the corpus's sentences do not hold, so they check the classes
rather than the corpus.
"""

from __future__ import annotations

import pytest

from feedbackloop.core.redact import find_pii


def found(text: str, kind: str) -> list[str]:
    return [text[s.start:s.end] for s in find_pii(text) if s.kind == kind]


@pytest.mark.parametrize(("text", "account"), [
    ("kindly credit 2123456789 (UBA) today", "2123456789"),
    ("Stanbic 9202345678 is mine, refund there", "9202345678"),
    ("HDFC Bank A/c 50100234567890 pls", "50100234567890"),
    ("Name: Musa Ibrahim\nAcct No: 3012345678\nBank Name: First Bank", "3012345678"),
    ("IFSC - KKBK0000958\nAccount no - 0612345678901", "0612345678901"),
    ("Ag. 4321 conta 98765-4", "4321 conta 98765-4"),
    ("Banco: Itaú | Ag 1234 | CC 12345-6", "1234 | CC 12345-6"),
    ("sort code 60-16-13 31926819 NatWest", "60-16-13 31926819"),
    ("Sort: 60-16-13, 31926819", "60-16-13, 31926819"),
    ("BSB 082-401 acct 123456789", "082-401 acct 123456789"),
    ("Inst 002 transit 40112 acct 9876543", "002 transit 40112 acct 9876543"),
    ("cheque details 40112-002 9876543 (Scotiabank)", "40112-002 9876543"),
    ("za zakázku 7781 vraťte peníze na CZ65 0800 0000 1920 0014 5398", "CZ65 0800 0000 1920 0014 5398"),
])
def test_bank_accounts(text: str, account: str) -> None:
    assert account in found(text, "IBAN")


@pytest.mark.parametrize("text", [
    "UTR 412345678901 from HDFC bank",
    "Zenith Bank ref 2034567891 is still pending",
    "complaint about GTBank, order no 0123456789",
    "my number +234 8031234567 Access Bank",
    "call me on 20-00-00 12345678 about the bank",
    "sort code 60-16-13 is NatWest Leeds?",
    "routing 021000021, order 55120118",
    "Invoice no. CZ65 0800 0000 1920 0014 5398 for the bank's fee",
])
def test_references_phones_and_routing_numbers_alone_are_no_accounts(text: str) -> None:
    assert found(text, "IBAN") == []


@pytest.mark.parametrize(("text", "email"), [
    ("mail me at ruth.k@yahoo[.]co[.]uk", "ruth.k@yahoo[.]co[.]uk"),
    ("correo: ana.ruiz{arroba}hotmail{punto}es", "ana.ruiz{arroba}hotmail{punto}es"),
    ("E-Mail: h.braun <ät> web <punkt> de", "h.braun <ät> web <punkt> de"),
])
def test_bracketed_emails(text: str, email: str) -> None:
    assert found(text, "EMAIL") == [email]


def test_a_lower_case_iban_ends_where_its_country_says() -> None:
    assert found("iban ae070331234567890123456 thanks", "IBAN") == ["ae070331234567890123456"]
