"""Reference numbers: the words before a number that make it an order's, an invoice's, a customer's, an account's,
a contract's, a policy's, a member's, a booking's, a parcel's or a case's number rather than a person's phone.

Issue 18 (the must-keep pass): on text nobody tuned for, most order and customer numbers taken for phones were
introduced by a word the per-language list of `redact.ID_BEFORE` did not hold: another language ("Замовлення
№", "рачун бр.", "伝票番号", "sopimukseni numero"), a compound ("Bestellnummer", "railcard no", "Stromvertrag"), a
number sign before the word ("N° boleta:", "Numéro client :"), a brand between the word and the number ("facture
Senelec n°"). The lexicon below is written per concept for about thirty languages and scripts, not from the
corpus; a phone word anywhere in the introduction ("mobilabonnement (nr.", "số điện thoại") wins over it.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: Stems of the reference words, per concept, as they open a word or sit inside a compound ("Kundennummer",
#: "sähkösopimukseni", "伝票番号"); each is followed by any letters. Stems of five or more letters (and the CJK
#: ones) may end a compound; shorter ones must open a word (SHORT_STEMS).
COMPOUND_STEMS = (
    # order
    "order", "bestell", "auftrag", "commande", "pedido", "ordine", "encomend", "zamówieni", "zamowieni", "objednáv",
    "objednav", "rendelés", "rendeles", "tilaus", "tilauk", "beställning", "bestallning", "narudžb", "narudzb",
    "naročil", "narocil", "porudžb", "porudzb", "заказ", "замовлен", "поръчк", "παραγγελ", "sipariş", "siparis",
    "הזמנ", "注文", "订单", "訂單", "주문", "đơn hàng", "don hang", "pesanan",
    # invoice, bill, receipt
    "invoice", "rechnung", "facture", "factura", "fattura", "factuur", "fatura", "faktur", "számla", "szamla",
    "lasku", "räkning", "rakning", "regning", "račun", "racun", "рачун", "счет", "счёт", "рахун", "фактур",
    "квитанц", "τιμολόγ", "τιμολογ", "απόδειξ", "αποδειξ", "makbuz", "فاتور", "إيصال", "ايصال", "חשבונית", "קבלה",
    "請求書", "領収", "领收", "收据", "收據", "发票", "發票", "영수증", "청구서", "hóa đơn", "hoa don", "biên lai",
    "kwitansi", "recibo", "ricevuta", "quittung", "kvitto", "kvittering", "paragon", "účtenk", "uctenk", "boleta",
    "boleto", "receipt", "resibo", "risiti",
    # customer, subscriber
    "customer", "client", "kunden", "kundnummer", "kundenr", "cliente", "klant", "asiakas", "asiakkaa", "klient", "ügyfél",
    "ugyfel", "müşteri", "musteri", "клиент", "клієнт", "πελάτ", "πελατ", "عميل", "לקוח", "お客様",
    "顧客", "客户", "客戶", "고객", "khách hàng", "khach hang", "pelanggan", "mteja",
    "abonnement", "aboneman", "abone", "subscri", "suscrip", "assinant", "assinatur",
    # account
    "account", "konto", "compte", "cuenta", "rekening", "hesap", "λογαριασμ", "حساب", "חשבון", "口座", "账户",
    "帳戶", "계좌", "tài khoản", "tai khoan", "akaun",
    # contract, policy
    "contract", "vertrag", "contrat", "contrato", "contratto", "umow", "smlouv", "szerződés", "szerzodes",
    "sopimu", "avtal", "kontrakt", "ugovor", "договор", "συμβόλαι", "συμβολαι", "sözleşme", "sozlesme", "عقد",
    "חוזה", "契約", "合同", "계약", "hợp đồng", "hop dong", "kontrak", "mkataba", "policy", "police", "póliza",
    "poliza", "polizza", "apólice", "apolice", "poliçe", "police", "полис", "ασφαλιστ", "بوليص", "פוליס",
    "保険証券", "保单", "保單", "보험증권",
    # member, card (loyalty, membership, transit)
    "member", "mitglied", "membre", "socio", "miembro", "lidmaat", "medlem", "jäsen", "jasen", "członk", "czlonk",
    "člensk", "clensk", "članst", "člansk", "clansk", "tagság", "üyelik", "uyelik", "член", "μέλ", "عضوي",
    "会員", "会员", "회원", "thành viên", "anggota", "card", "karte", "carte", "tarjeta", "cartão", "cartao",
    "kaart", "kortti", "karta", "kártya", "kartya", "kartic", "карт", "κάρτα", "καρτα", "بطاق", "כרטיס", "カード",
    "卡号", "卡號", "카드", "thẻ", "loyalty", "rewards", "frequent flyer",
    # booking, reservation, ticket
    "booking", "buchung", "réservation", "reservation", "reserva", "prenotazion", "boeking", "rezerwacj",
    "rezervac", "foglalás", "foglalas", "varau", "bokning", "бронир", "резерв", "κράτηση", "κρατηση",
    "rezervasyon", "حجز", "予約", "预订", "預訂", "예약", "đặt chỗ", "dat cho", "tempahan", "pemesanan", "ticket",
    "billet", "biglietto", "bilhete", "biljett", "билет", "εισιτήρι", "εισιτηρι", "チケット", "票号", "티켓",
    "tiketi", "confirmation", "bestätigung", "bestatigung", "conferma", "confirmación", "confirmacion",
    # tracking, shipment
    "tracking", "sendung", "envío", "envio", "spedizion", "zending", "pakket", "paczk", "przesyłk", "przesylk",
    "zásilk", "zasilk", "csomag", "lähety", "lahety", "försändelse", "forsandelse", "pošiljk", "posiljk",
    "отправлен", "посылк", "пратк", "відправлен", "αποστολ", "gönderi", "gonderi", "kargo", "شحن", "משלוח",
    "伝票", "追跡", "运单", "運單", "快递", "单号", "單號", "운송장", "송장", "vận đơn", "van don", "waybill",
    "consignment", "rastreio", "rastreamento", "tracciamento", "seguimiento",
    # (the must-keep pass, nineteenth: "kargo takip", "numéro de suivi", "číslo sledování", "nyomkövetési szám")
    "takip", "suivi", "colis", "paquete", "rastreo", "sledován", "sledovan", "sledovac", "śledzeni", "sledzeni",
    "nyomkövet", "nyomkovet", "urmărire", "urmarire", "spårning", "sparning", "sporing", "seuranta", "volgnummer",
    "volgcode", "trackingcode", "sändning", "sandning", "forsendelse", "kolli", "colet", "parcel", "shipment",
    # (the nineteenth pass: more of each concept) an order, a request, a file, a delivery note, a voucher
    "orden", "comand", "folio", "remito", "protocolo", "chamado", "ocorr", "solicit", "radicado", "expediente",
    "trámite", "tramite", "suministro", "vorgang", "aktenzeichen", "lieferschein", "beleg", "antrag", "melding",
    "aanvraag", "pratica", "segnalazion", "utenza", "wnios", "požadav", "pozadav", "bejelent", "ügyszám", "ugyszam",
    "sesizar", "tichet", "şikayet", "sikayet", "talep", "başvuru", "basvuru", "dosya", "claim", "serial",
    "voucher", "quotation", "zaaknummer", "zaaknr",
    # (issue 18, pass 21: receipts, models and parcels in Japanese, Chinese, Korean and Thai: "レシート No. 0042-1187")
    "レシート", "整理番号", "管理番号", "品番", "型番", "型号", "型號", "序列号", "序號", "取件码", "取件碼", "提货码",
    "모델", "일련번호", "ใบเสร็จ", "คำสั่งซื้อ", "พัสดุ",
    # case, reference, claim, complaint
    "dossier", "ärende", "arende", "sprawa", "sprawy", "zgłoszeni", "zgloszeni", "případ", "pripad", "reference",
    "referenz", "référence", "referencia", "riferimento", "referentie", "referência", "referens", "referanse",
    "referencj", "hivatkoz", "referans", "обращени", "звернен", "заявк", "αναφορ", "مرجع", "אסמכתא",
    "問い合わせ", "受付番号", "工单", "工單", "접수", "reclamaci", "réclamation", "reclamation", "reklamac",
    "reclamo", "schaden", "sinistro", "siniestro", "sinistre", "vahinko", "szkod", "hasar", "incidencia",
    "incident", "aduan", "malalamiko",
    # pass 22: English "complaint" ("Complaint no. 3302-99184 already logged"), Catalan "pòlissa" (policy)
    "complaint", "pòlissa", "polissa",
    # pass 23: Arabic "طلب" (an order; "رقم الطلب", "طلب رقم"), with its article, Persian "سفارش"
    "الطلب", "طلب", "سفارش",
    # pass 23: a service's, a product's, an article's number ("Service ID", "Servicenummer", "Product code"), only
    # with a number word (PERSON_STEMS)
    "service", "product", "produkt", "produit", "producto", "prodotto", "artikel", "article", "artículo", "articolo",
    # pass 23: German compounds of a reservation, a meter and its metering point, a voucher, a request, a contribution,
    # an insurance certificate, a supplier, a device, a serial number, a vehicle's chassis ("Reservierungsnummer",
    # "Zählernummer", "Gutschein-Code", "Geräte-Nr.", "Fahrgestellnummer"). (Not French "abonné": "abonné au numéro
    # +243 …" is a line's subscriber and its phone.)
    "reservier", "zähler", "zaehler", "zählpunkt", "zaehlpunkt", "marktlokation", "gutschein", "anfrage", "beitrag",
    "versicherungsschein", "lieferant", "gerät", "geraet", "serien", "fahrgestell",
    # pass 25: a bank's routing number ("Routing number 122000247 is on the slip", "sort code 20-20-15"): the bank's
    # address, not a phone (with an account number after it, pii_accounts takes both)
    "routing", "sort code", "sortcode",
    # after pass 25's measurement: Dutch "polis" (a policy), Estonian "tellimus" (an order) and "viitenumber" (a
    # payment's reference), Norway's "KID-nummer" (the same), an activation's, a top-up's and a payment's code
    # ("código de activación 4827-1936-5501", "Código de recarga …", "Fawry payment code 9281736450")
    "polis", "tellimus", "viitenumb", "viitenr", "kid-nummer", "kidnummer", "activaci", "activaç", "ativaç", "recarga",
    "payment code", "código de pago", "codigo de pago",
    # pass 26 (must-keep): Serbian's Cyrillic contract ("Уговор бр. 2201-558/24"), Lithuanian's and Latvian's order
    # ("Užsakymo nr. 5001-77420"), Italian's bill ("bolletta Enel n. 004512339871"), a bank's operation or
    # transaction ("N° operación 009812774"), a login ("identifiant 0912457836"), a pay-TV decoder's smartcard
    # ("decoder IUC number 7023319854")
    "уговор", "užsakym", "uzsakym", "pasūtījum", "pasutijum", "bollett", "operaci", "operaç", "transac", "transakc",
    "identifiant", "decoder", "smartcard",
    # pass 28 (must-keep): an order in Hindi, Bengali, Urdu, Tamil and Telugu script ("ऑर्डर 402-8819023 रद्द करें"),
    # a shipment ("expedición 0123 4567 8901", "expédition", "expedição"), Finnish's reference ("Viitenumero 13 8843
    # 2201"), Hungarian's tracking ("GLS követőszáma 6543219870"), a loan or a credit's account ("crédito 77-4410982",
    # "Loan LN-…", "Darlehen", "préstamo")
    "ऑर्डर", "आर्डर", "অর্ডার", "آرڈر", "ஆர்டர்", "ఆర్డర్", "expedici", "expédition", "expedição", "expedicao",
    "viite", "követő", "követési", "kovetesi", "loan", "préstamo", "prestamo", "empréstimo", "emprestimo", "darlehen",
    "crédito", "credito", "crédit", "kredyt", "kredit", "lening", "prestito", "finanziamento",
)
#: Short reference words that must open a word ("bon n°", "mã thẻ", "PNR", "nota").
SHORT_STEMS = ("mã", "pnr", "nota", "sag", "sak", "case", "caso", "cas", "ref", "réf", "conta", "conto", "tili",
               # pass 25: Brazil's invoice, the "nota fiscal" ("NF-e 000.482.113", "A nota fiscal 000.045.781")
               "nota fiscal", "nf-e", "nfe",
               "lid", "üye", "uye", "vé", "resi", "awb", "kesi", "guía", "guia", "zaak", "rma",
               # pass 23: an article's and a customer's number abbreviated ("Art.-Nr.", "Kd.-Nr."), named only with a
               # number word (PERSON_STEMS)
               "art", "kd", "abo",
               "bsb",  # (pass 25: an Australian bank's branch, as "routing" above)
               # pass 26: a quote's, a UPI payment's (UTR, RRN), a transaction's, a decoder's, a phone's and a SIM's
               # own numbers ("Quote Q-2025-0417", "UTR 4123 8765 0912", "IMEI 3569…", "ICCID 8944 …")
               "quote", "utr", "rrn", "txn", "iuc", "imei", "iccid", "sku")
#: Stems of the words for a person ("Customer:", "Client:" open chat lines): a reference word only with a number
#: word ("customer no", "Kundennummer", "numéro client"). (Pass 23: and a service's, a product's, an article's
#: words, which name a number only with a number word: "Service ID", "Servicenummer", "Product code", "Art.-Nr.",
#: "Kd.-Nr." (Kundennummer); "our service 0412 …" is no reference.)
PERSON_STEMS = ("customer", "client", "kunden", "kund", "klant", "asiak", "klient", "ügyfél", "ugyfel", "müşteri",
                "musteri", "клиент", "клієнт", "πελάτ", "πελατ", "عميل", "לקוח", "お客様", "顧客", "客户",
                "客戶", "고객", "khách", "khach", "pelanggan", "mteja", "abonn", "abone", "member", "mitglied",
                "membre", "socio", "miembro", "medlem", "jäsen", "jasen", "член", "会員", "会员", "회원", "anggota",
                "service", "product", "produkt", "produit", "producto", "prodotto", "artikel", "article", "artículo",
                "articolo", "art", "kd")
NUMBERED = re.compile(r"numm?er|number|numer|numéro|número|nro|nr\b|no\b|n[°º]|№|#|id\b|番号|号|번호|номер|broj|бр|"
                      r"αριθμ|αρ\.|szám|číslo|cislo|numara|số|nomor|code|kod|código|codice|رقم|شماره|מספר")
ALL_STEMS = COMPOUND_STEMS + SHORT_STEMS
#: Words for "number" and number signs, after the reference word ("Contrat n°", "Замовлення №", "рачун бр.") or
#: before it ("N° boleta", "Numéro client", "Broj članske kartice").
NUMBER_WORDS = (r"number|no|nr|nro|núm|num|numer[oa]?|número|numéro|nummer|nommer|numara\w*|szám|száma|"
                r"číslo|cislo|broj|бр|број|номер|ном|αριθμός|αριθμος|αρ|番号|编号|編號|号码|號碼|号|번호|số|nomor|"
                r"namba|#|№|n[°º]|id|n(?=\.)|č(?=\.)|čís|rakam|raqam|"  # (pass 26: Czech's "č.", Arabic written in Latin)  # pass 25: Italian's and Portuguese's "n." ("ordine n. 402-1187733")
                # pass 23: Arabic "رقم", Persian "شماره", Hebrew "מספר" ("رقم الطلب", "شماره سفارش", "מספר הזמנה"),
                # and "code" ("Product code 0412-555-019")
                r"رقم|شماره|מספר|code|código|codice")
#: "is", "c'est", "ist": what may stand between the number word and the number.
CONNECTORS = r"is|was|es|est|c['’]est|ist|é|è|är|er|je|jest|là|adalah|ni|era|fue|foi|était|etait|war|var|oli"
#: Pass 28: a free word between the reference's word and its number: no digit, but one inside letters, as Arabic written
#: in Latin letters has ("el order bta3y rakam 402-…", "3" for ʿayn); up to twenty characters.
FREE_WORD = r"[^\s\d:#?!](?:[^\s\d:#?!]|(?<=[^\W\d_])\d(?=[^\W\d_])){0,19}"
#: Phone words of the same languages: one opening a word of the introduction makes the number a phone after all.
PHONE_WORDS = ("phone", "tel", "mob", "cell", "call", "fax", "whatsapp", "sms", "handy", "fon", "puh", "gsm", "ring",
               "celular", "móvil", "movil", "portable", "contact", "kontakt", "contat", "điện thoại", "dien thoai",
               "sđt", "sdt", "тел", "моб", "τηλ", "κινητ", "هاتف", "جوال", "موبايل", "טלפון", "נייד", "電話", "电话",
               "手机", "携帯", "전화", "휴대", "simu", "hp", "line", "ligne", "linea", "línea", "linha", "liittym",
               "hotline", "callback",
               # (the nineteenth pass) "call me" in other languages: a number after it is a phone, sign or not
               "llam", "llám", "ligue", "ligar", "liga-me", "appel", "anruf", "ruf", "chiam", "bel me", "bel ons",
               "bellen", "zadzwo", "zavolej", "zavolat", "hívj", "hívás", "soita", "arayın", "arayin", "sunați", "sunati", "sună")
#: The phone words as one alternation, for `PHONE_WORD` and `PHONE_JOINED`.
PHONE_ALTERNATION = "|".join(re.escape(word) for word in PHONE_WORDS)
#: The phone words where they open a word ("Telefonnummer", "mobilabonnement"; not the "tel" of "Bestellnummer", nor
#: of Estonian "tellimus", an order: after pass 25's measurement).
PHONE_WORD = re.compile(rf"(?<![^\W\d_])(?!tellim)(?:{PHONE_ALTERNATION})")
#: Pass 27: the words that take back a number just given and give it again ("mobile 8-1234-770? sorry 8123 4770",
#: "tel 9123 4567, I mean 9123 4576", "Handy …, Korrektur: …", "pardon", "perdón", "maaf", "じゃなくて"), in the
#: corpus's languages (redact's corrected phones and pii_accounts' corrected accounts).
CORRECTION_WORDS = (r"sorry|sry|soz|oops|typo|i mean|i meant|no wait|correction|should be|actually|"
                    r"pardon|désolé|desole|je veux dire|plutôt|plutot|perdón|perdon|disculpa|quise decir|mejor dicho|"
                    r"corrijo|desculpa|desculpe|quer dizer|aliás|scusa|scusate|cioè|volevo dire|"
                    r"entschuldigung|korrektur|ich meine|richtig ist|ik bedoel|correctie|förlåt|jeg mener|"
                    r"unnskyld|undskyld|anteeksi|tarkoitan|przepraszam|maaf|salah|maksud saya|samahani|"
                    r"pasensya|آسف|عفوا|قصدي")
CORRECTION_MARKS = r"じゃなくて|ではなく|でなく|訂正|不是|更正|아니고|아니라"


#: Pass 27: a phone word joined to the reference's word after it by a slash, "&" or "or": one label for both, the
#: number a phone's shape ("Phone/account no.: 0803 …", "Telefon/Kundennummer:", "Celular/No. de cuenta:").
PHONE_JOINED = re.compile(rf"(?<![^\W\d_])(?:{PHONE_ALTERNATION})[^\W\d_]*\.?[ \t]*"
                          r"(?:/|&|\+|(?<![^\W\d_])(?:or|oder|ou|o|of|eller|tai|lub|nebo|vagy)(?![^\W\d_]))[ \t]*"
                          r"(?:(?:no|nr|n[°º]|núm|num)\.?[ \t]*(?:(?:de|del|do|da|du|di)[ \t]+)?)?\Z")


def alternation(words: tuple[str, ...]) -> str:
    """A regex alternation of `words`, longest first."""
    return "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))


#: Pass 27: stems of the words that name a number by themselves, a reference's, a payment's, a parcel's ("Referência",
#: "Ref.", "tracking", "waybill"): one or two words may qualify them before the number, no number word between
#: ("Referência MB: 123 456 789", "Ref. Multibanco …", "Referencia de pago 0012 …", "référence de paiement …").
NAMING_STEMS = ("reference", "referenz", "référence", "referencia", "referência", "riferimento", "referentie",
                "referens", "referanse", "referencj", "referans", "ref", "réf", "tracking", "rastreio", "rastreamento",
                "seguimiento", "suivi", "waybill", "awb", "consignment", "sendung")


@lru_cache(maxsize=1)
def reference_patterns() -> tuple[re.Pattern[str], ...]:
    """(stem first, number word first, labelled, named), each anchored at the end of the text before a number."""
    stem = rf"(?:(?:{alternation(COMPOUND_STEMS)})|(?<!\w)(?:{alternation(SHORT_STEMS)})(?=\W|\d|$))\w*"
    number = rf"(?:(?<!\w)(?:{NUMBER_WORDS})(?!\w)\.?|[#№])"
    # (pass 23: a full-width colon, "订单编号：", and the full stop of "Nr." glued to its word, "BestellNr.")
    tail = rf"(?:(?:(?<=nr)|(?<=ref|réf))\.[ªº]?)?[ \t]*[:#：]?[ \t]*(?:(?:{CONNECTORS})[ \t]+(?:(?:le|la|el|the|o|a)[ \t]+)?)?[(\[]?\Z"
    # "Bestellnummer ", "order #", "facture Senelec n° ", "numéro de compte client c'est ", "Contrat n° "
    # (issue 18, pass 22: no question or exclamation mark among the free words: "what's a good number? Customer: …",
    # a call's next speaker, is no "number … customer")
    free = rf"(?:[ \t]+{FREE_WORD}){{0,2}}?"
    # (pass 23: a German compound's hyphen before "Nr.", as DIN 5008 abbreviates them: "Bestell-Nr.", "Kd.-Nr.")
    stem_first = re.compile(rf"(?i:{stem}(?:{free}(?:[ \t]*|\.?-)\(?{number}|{free}(?=[ \t]+(?:{CONNECTORS})[ \t]))?{tail})")
    # "N° boleta: ", "Numéro client : ", "Broj članske kartice: "
    number_first = re.compile(rf"(?i:{number}[ \t]*(?:(?:de|du|des|del|do|da|di|d['’])[ \t]*)?"
                              rf"(?:[^\s\d:#?!]{{1,20}}[ \t]+)?{stem}{tail})")
    # pass 26: a form's label, words after the reference's number word and a colon ("Polisnummer ouder: ", "Serial
    # number on the label: ", "Vorgangsnummer vor: "); names_a_reference asks for the number word (NUMBERED) in its
    # head, the reference's own words, and the label's words hold no full stop ("Klantrekening geblokkeerd.
    # Terugbelnummer klant: " is a callback number's label)
    labelled = re.compile(rf"(?i:(?P<head>{stem}(?:{free}[ \t]*{number})?)(?:[ \t]+[^\s\d:#?!.]{{1,20}}){{1,3}}[ \t]*[:：][ \t]*\Z)")
    # pass 27: a word that names a number by itself, qualified by one or two words ("Referência MB: ", "Referencia de
    # pago ", "Ref. Multibanco ")
    named = re.compile(rf"(?i:(?<!\w)(?:{alternation(NAMING_STEMS)})(?:\.[ªº]?|\w*)(?:[ \t]+[^\s\d:#?!.]{{1,20}}){{1,2}}"
                       rf"[ \t]*[:#：]?[ \t]*\Z)")
    return stem_first, number_first, labelled, named


#: Pass 23: what a telco calls the line itself ("Telstra service number 0412 …", "service no."), unlike a "Service ID".
SERVICE_NUMBER = re.compile(r"service[ \t.-]*(?:number|no\b|nr\b|#)")
#: A preposition before the reference word: the number is kept on it or given for it, not its own ("inscrit au
#: dossier", "Telefon do zamówienia").
ON_FILE = re.compile(r"(?i:(?<!\w)(?:au|aux|à|on|in|im|en|nel|nella|dans|sur|do|dla|zum|zur|für|for|pour|para|per|"
                     r"voor|för|til)(?:[ \t]+(?:the|le|la|les|dem|der|die|il|el|de|het|my|mon|ma|mein\w*|mi|mio|mia))?"
                     r"[ \t]+)\Z")
#: A number sign alone right before the number, opening its line or clause ("N° 4512 …", "(nº 0045 …)").
NUMBER_SIGN = re.compile(r"(?:^|[\s(,;:])(?:N°|Nº|n°|nº|N\.º|n\.º|№)[ \t]*:?[ \t]*\Z")
#: How far before a number an introduction may start.
REACH = 48
#: Issue 18, pass 20: a mobile wallet's account is its owner's phone number ("Mera JazzCash account 0301-7788412",
#: "M-Pesa number", "bKash account"): its name right before the account word makes the number no reference.
#: (Pass 28: the wallets of the Philippines, Zimbabwe, Tanzania, Malawi, West Africa, Somalia, Bangladesh, Indonesia,
#: Thailand, Vietnam and Kazakhstan too, "GCash acct 0917…", "EcoCash account 0772…", "Rocket number", "e-wallet".)
WALLET_NAMES = (r"jazz ?cash|easy ?paisa|sadapay|nayapay|bkash|nagad|m-?pesa|paytm|phonepe|"
                r"mobile money|momo|airtel money|vodafone cash|orange money|telebirr|opay|palmpay|"
                r"g-?cash|pay ?maya|eco ?cash|one ?money|tigo ?pesa|t-?pesa|halo ?pesa|ezy ?pesa|mpamba|"
                r"moov money|flooz|zaad|evc ?plus|e-?dahab|upaisa|rocket|upay|true ?money|go ?pay|shopee ?pay|"
                r"ovo|zalo ?pay|viettel ?pay|kaspi|qiwi|mobile wallet|e-?wallet")
MOBILE_WALLET = re.compile(rf"(?i:{WALLET_NAMES})[ \t]*\Z")
#: (Pass 28: a wallet named earlier on the line of an account's label, "My Nagad account is locked … Account: 01819-…":
#: redact.wallet_account.)
WALLET_NAMED = re.compile(rf"(?i:(?<![^\W\d_])(?:{WALLET_NAMES})(?![^\W\d_]))")


def closes_an_introduction(char: str) -> bool:
    """Whether `char` can end the words before a number: a space, a sign, or a CJK or Hangul character."""
    return char in " \t:#.№°º(-：" or "\u3000" <= char <= "\u9fff" or "\uac00" <= char <= "\ud7af"


def names_a_reference(text: str, start: int) -> bool:
    """Whether the words right before `start` introduce the number there as a reference number (an order's,
    an invoice's, a customer's...) and no phone word is among them."""
    before = text[max(0, start - REACH):start]
    if not before or not closes_an_introduction(before[-1]):
        return False
    low = before.lower()
    if NUMBER_SIGN.search(before) is not None and PHONE_WORD.search(low) is None:
        return True  # "N° 4512 8876 1123 es mi reclamo": a number sign alone numbers a thing, not a line
    if not any(stem in low for stem in ALL_STEMS):
        return False  # every match holds a stem: a plain scan is far cheaper than the alternation at each position
    labelled = reference_patterns()[2]
    for pattern in reference_patterns():
        found = pattern.search(before)
        if found is not None:
            opening = found.start()
            while opening > 0 and before[opening - 1].isalpha():
                opening -= 1  # the whole compound: "mobilabonnement", not "abonnement"
            if ON_FILE.search(before, 0, opening):
                continue
            if PHONE_JOINED.search(low, 0, opening):
                return False
            if MOBILE_WALLET.search(before, 0, opening):
                return False  # "JazzCash account 0301-…": the wallet's number is its owner's phone  # "au numéro inscrit au dossier :", "the number on the account:": where a phone is kept
            said = before[opening:].lower().rstrip(" \t([")
            if pattern is labelled and NUMBERED.search(found.group("head").lower()) is None:
                continue  # "Order shipped to: 0412 …" is no number's label
            if said.startswith(PERSON_STEMS) and NUMBERED.search(said) is None:
                continue  # "Customer: 054 912 0087", a chat line's speaker
            if SERVICE_NUMBER.match(said):
                continue  # pass 23: a telco's "service number" is the line's own number (not its "Service ID")
            if said.endswith((" is", " was", " es", " est", " ist", "c'est", "c’est")):
                said = before.lower()  # "my phone for the order is": the phone word before it counts too
            return PHONE_WORD.search(said) is None
    return False
