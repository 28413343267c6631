"""Pass 24: addresses spelled letter by letter or broken across lines, cards glued to labels or typed as one run, and
the shops' lines, barcodes, models and postcodes of East and South-East Asian text that must be kept.

The examples are written for these tests, in shapes and languages the corpus's sentences do not hold, so they check
the classes rather than the corpus.
"""

from __future__ import annotations

import pytest

from feedbackloop.core.redact import find_pii


def found(text: str, kind: str) -> list[str]:
    return [text[s.start:s.end] for s in find_pii(text) if s.kind == kind]


@pytest.mark.parametrize(("text", "email"), [
    ("mail: s-u-n-i-l at g mail dot com", "s-u-n-i-l at g mail dot com"),
    ("it is m a r t a at y a h o o dot e s", "m a r t a at y a h o o dot e s"),
    ("correo: l.u.z.a arroba hot mail punto com", "l.u.z.a arroba hot mail punto com"),
    ("reply to olga@yandex dot ru", "olga@yandex dot ru"),
    ("write to h.becker@rhein-\nenergie.de today", "h.becker@rhein-\nenergie.de"),
    ("my address is ayse.kaya@\noutlook.com.tr", "ayse.kaya@\noutlook.com.tr"),
    ("my e-mail is kenji at docomo.ne.jp", "kenji at docomo.ne.jp"),
    ("send it to sipho at gmail.com", "sipho at gmail.com"),
    ("e-mail: anita (dot) rao (at) rediffmail (dot) com", "anita (dot) rao (at) rediffmail (dot) com"),
    ("surel: dewi.lestari at yahoo dot co dot id", "dewi.lestari at yahoo dot co dot id"),
    ("add me, it's minji.k [at] naver", "minji.k [at] naver"),
])
def test_spelled_and_wrapped_emails(text: str, email: str) -> None:
    assert found(text, "EMAIL") == [email]


@pytest.mark.parametrize("text", [
    "we land at g m t plus one dot five",  # letters, no domain
    "I'm based at acme.io these days",  # a workplace, no mailbox word
    "hello\n@sam can you look at it.now",  # a mention on its own line
    "order@\nnoon please",  # no domain once joined
    "I'm at gmail now, and she is at yahoo",  # workplaces: no local part of an address's shape
])
def test_spelled_and_wrapped_look_alikes_are_no_emails(text: str) -> None:
    assert found(text, "EMAIL") == []


@pytest.mark.parametrize(("text", "card"), [
    ("Kartennummer:5213095113601681 bitte sperren", "5213095113601681"),  # a wrong Luhn digit, glued to its label
    ("カード番号 4980-1234-5678-9012 を登録", "4980-1234-5678-9012"),
    ("카드번호 5409 1234 5678 9012 입니다", "5409 1234 5678 9012"),
])
def test_cards_after_their_labels(text: str, card: str) -> None:
    assert found(text, "CARD") == [card]


@pytest.mark.parametrize("text", [
    "JANコード：4549980123452 の在庫",  # thirteen digits after a barcode's word
    "条形码 4006381333931",
    "EAN-13: 4012345678901 colour black",
    "item 4902370548495 arrived broken",  # thirteen digits, no card word: a barcode's length
    "Order number 4929123456781235 shipped",  # sixteen digits after an order's word, not a card's
])
def test_barcodes_and_orders_are_no_cards(text: str) -> None:
    assert found(text, "CARD") == []


@pytest.mark.parametrize("text", [
    "ヤマダデンキ 仙台店 TEL 022-712-3456",
    "无印良品上海淮海755店，电话：021-6431 0755",
    "고객센터 02-1588-9999 로 문의하세요",
    "롯데하이마트 잠실점 02-2143-7000",
    "สาขาเซ็นทรัลพระราม 9 โทร 02-160-1234",
    "โทร 02-248-1111 สาขาสีลม",  # the branch named after the number
    "Chi nhánh Hà Nội - ĐT: 024 3942 1234",
    "Toko Kamera Jaya, telp 022-420 1234",
    "Kedai Elektrik Maju tel 04-261 1234",
    "株式会社ヤマト商事 サービスセンター\nTEL 045-123-4567",  # the firm on the line above its label
    "お問い合わせ 06-6123-4567（受付時間 9:00〜17:00）",
    "ธนาคาร โทร 02-999-9999 ตลอด 24 ชม.",
])
def test_shops_and_centres_lines_are_no_phones(text: str) -> None:
    assert found(text, "PHONE") == []


@pytest.mark.parametrize(("text", "phone"), [
    ("店员小李的手机 139 0123 4567", "139 0123 4567"),  # a clerk's mobile
    ("お店の佐藤さんの携帯 080-2345-6789", "080-2345-6789"),
    ("Cửa hàng của tôi, số 0903 123 456", "0903 123 456"),
    ("客服记录：张女士来电 021-6288 1234", "021-6288 1234"),  # a call log: the caller's number
    ("IT-Servicedesk, Klinikum Süd\nTel. +49 40 88 1234-517", "+49 40 88 1234-517"),  # "Klinikum" is no "klinik"
])
def test_a_persons_number_near_a_shops_word_stays_a_phone(text: str, phone: str) -> None:
    assert found(text, "PHONE") == [phone]


@pytest.mark.parametrize("text", [
    "受取店舗は関西空港店（大阪府泉南郡田尻町泉州空港中1）です",
    "请前往门店：北京市朝阳区建国路87号SKP 5层",
    "Cửa hàng: 12 Hai Bà Trưng, Quận 1, TP.HCM",
    "〒150-0002",  # a postcode alone
    "Panasonic NA-LX129BL の修理",  # a model's code, not a UK postcode
])
def test_shops_addresses_postcodes_and_models_are_no_addresses(text: str) -> None:
    assert found(text, "ADDRESS") == []


@pytest.mark.parametrize("text", [
    "Emirates ID on file. Tenancy contract TC-2023-0419, flat handed over.",
    "NAS du titulaire vérifié. Le compte 600-448-219 sera transféré.",
    "Turkcell fatura no TC-2024-03-889120, tutar 349,90 TL",
])
def test_a_reference_word_right_before_a_number_wins_over_an_id_named_far_off(text: str) -> None:
    assert found(text, "SSN") == []
