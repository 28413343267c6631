"""What belongs to a firm, not a person: its lines (issue 18, the must-keep pass).

A firm's switchboard in a signature, a shop's number, "call our office at ..." are nobody's personal data and
authors keep them. The words that say so are written here per concept for many languages: legal forms
("GmbH", "Kft.", "SAS", "Sp. z o.o.", "株式会社"), trade nouns ("Plumbing", "Dental"), "our office", "call us",
and what follows a firm's number ("is the shop number", "vårt eget växelnummer", "(appel non surtaxé)").

Pass 28 (after its measurement) reads a firm's invoice and letterhead: a line with a legal form and a register's or tax
number's word is a firm's foot, its numbers the firm's (`firm_footer`); an account named a firm's by the words right
around it, or one a customer is told to pay into, is the firm's (`firm_named_account`).
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
    r"sklep)\b|\b(?:call|ring|phone|contact|reach|text|whatsapp|message)\s+us\b|appelez-nous|contactez-nous|joignez-nous|"
    # pass 27: "vous pouvez nous joindre au", "Sie erreichen uns unter", "wir sind … erreichbar unter"
    r"nous (?:joindre|contacter|appeler)\b|erreichen (?:sie )?uns|uns erreichen|\bwir sind\b|"
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
    if asian_shop_line(text, start, end, line_start, line_end):
        return True
    if ASIAN_HOURS_AFTER.match(text, end, min(line_end, end + 40)) and ASIAN_OWN.search(text, line_start, start) is None:
        return True  # (a callback's hours, "折返し先：03-… (平日18時〜20時)", are when the person is in)
    if LEGAL_FORM.search(text, line_start, start) and len(SEGMENT.findall(text, line_start, start)) >= 2:
        return True  # a firm's letterhead line: "Nordlicht Möbel GmbH · Hafenstraße 8 · … · Tel. 040 6094 7700"
    return paired_with_a_mobile(text, end, line_start, line_end)


#: Pass 24: a shop, a branch, a store, a customer centre or a company named before a number on its line, in Japanese,
#: Chinese, Korean, Thai, Vietnamese, Malay and Indonesian ("ビックカメラ有楽町店 TEL", "门店：…，电话", "강남본점", "สาขา…
#: โทร", "Cửa hàng … ĐT:", "Toko … telp.", "Kedai … tel:"): shops print their own line, not a person's. (A shop's
#: clerk or manager, "店员", "店長", is a person: the characters after 店 that make one are left out. Korean names a
#: branch by its place and "점": "잠실점", "강남본점".)
SHOP_WORDS = (r"店(?![员員长長主])|店舗|門市|门市|商店|매장|가게|(?<=[가-힣])점(?![가-힣])|점포|ร้าน|สาขา|(?i:\b(?:cửa hàng|chi nhánh|siêu thị|"
              r"nhà thuốc|showroom|toko|kedai|gerai|cabang|cawangan|apotek|farmasi|klinik)\b)")
ASIAN_SHOP = re.compile(
    SHOP_WORDS + r"|"
    # customer centres and companies (a centre only as a service's: "旺角中心", "Mongkok Centre", is a building)
    r"(?:カスタマー|お客様|サポート|コール|サービス|予約|受付|修理|問い?合わせ|インフォメーション)センター|お客様相談|窓口|"
    r"本社|弊社|会社|代表番号|客服|售后|售後|(?:服务|服務|客服|维修|維修|售后|售後|呼叫)中心|公司|总部|總部|"
    r"(?:고객|콜|서비스|상담|예약)센터|대표번호|본사|회사|ศูนย์บริการ|คอลเซ็นเตอร์|"
    r"บริษัท|สำนักงาน|(?i:\b(?:trung tâm|công ty|văn phòng|layanan pelanggan|pusat layanan|khidmat pelanggan|pusat servis|"
    r"kantor|pejabat|syarikat|perusahaan|chăm sóc khách hàng|cskh)\b)|"
    # customer service named with the customer's word, which alone (ASIAN_OWN) makes the number the customer's
    r"客户服务|客戶服務|顧客サポート|お客様窓口|บริการลูกค้า")
#: A person's own number on such a line: a possessive ("我的", "내", "saya", "của tôi", "ของฉัน"), an honorific
#: after a name ("田中さん", "王先生", "김 대리님", "คุณ", "Pak", "anh"), the customer, a mobile, a callback, or a
#: call log's words ("客服紀錄：吳淑芬來電", "客服：手机号？ 客户：…", "折返し先：").
ASIAN_OWN = re.compile(r"我|私の|僕の|俺の|自分の|(?<![^\W\d_])(?:내|제|저의|나의)(?![^\W\d_])|さん|様|先生|小姐|女士|씨|님|"
                       r"お客様|客户|客戶|顧客|고객님|ลูกค้า|(?i:khách hàng|pelanggan)|手机|手機|携帯|ケータイ|휴대폰|핸드폰|"
                       r"มือถือ|折返し|折り返し|連絡先|回电|回電|来电|來電|記録|纪录|紀錄|记录|기록|บันทึก|"
                       r"ของฉัน|ของผม|ของดิฉัน|ของหนู|คุณ|(?i:\b(?:saya|aku|gue|của tôi|của mình|của em|anh|chị|em|pak|bu|"
                       r"ibu|bapak|encik|puan|cik)\b)")
#: Opening hours after the number in those languages ("（平日10時〜18時）", "(영업시간 10:00~21:00)", "(เปิด 10.00-22.00 น.)").
ASIAN_HOURS_AFTER = re.compile(
    r"[ \t]*[(（【\[][^()（）\n]{0,12}?(?:営業時間|受付時間|年中無休|营业时间|營業時間|工作时间|工作時間|"
    r"영업시간|운영시간|เวลาทำการ|(?i:giờ mở cửa|giờ làm việc|jam buka|jam operasional|waktu operasi)|"
    r"\d{1,2}[ \t]*(?:時|点|點|시|[:.]\d\d)[ \t]*[~〜～\-–][ \t]*\d)"
    # a call centre named in brackets, a line open around the clock ("(Call Center) ตลอด 24 ชม.", "24時間受付")
    r"|[ \t]*[(（][ \t]*(?i:call ?cent(?:er|re)|contact cent(?:er|re)|hotline|customer service)[ \t]*[)）]"
    r"|[ \t]*(?:ตลอด[ \t]*)?24[ \t]*(?:ชม|ชั่วโมง|時間|小时|小時|시간|jam|giờ)")


def last_match(pattern: re.Pattern[str], text: str, start: int, end: int) -> re.Match[str] | None:
    """The last match of `pattern` in text[start:end], or None."""
    found = None
    for found in pattern.finditer(text, start, end):  # noqa: B007 (the loop keeps the last)
        pass
    return found


#: A line that holds only a phone's label before the number ("TEL ", "電話：", "☎ ", "โทร. ").
PHONE_LABEL_ONLY = re.compile(r"[ \t]*(?i:tel|phone|電話|电话|電話番号|☎|℡|전화|โทร|đt|telp|no\. tel)?\.?[ \t]*[:：]?[ \t]*")


def asian_shop_line(text: str, start: int, end: int, line_start: int, line_end: int) -> bool:
    """Whether a shop's or a customer centre's word (ASIAN_SHOP) stands on the number's line within 40 characters
    before it (or 12 after it: "โทร 02-123-4567 สาขาสยามพารากอน"), with no person's possessive or honorific
    (ASIAN_OWN) in between."""
    window = max(line_start, start - 40)
    if line_start > 0 and PHONE_LABEL_ONLY.fullmatch(text, line_start, start):
        window = text.rfind("\n", 0, line_start - 1) + 1  # "あおぞらレンタカー 予約センター\nTEL 098-…": the line above
    last = last_match(ASIAN_SHOP, text, window, start)
    if last is not None:
        return ASIAN_OWN.search(text, last.end(), start) is None
    after = ASIAN_SHOP.search(text, end, min(line_end, end + 12))
    return after is not None and ASIAN_OWN.search(text, end, after.start()) is None


#: The shops and branches of ASIAN_SHOP: a company's word before an address may be a person's workplace ("会社の大阪府…
#: じゃなくて、自宅の…"), which they give as their own.
ASIAN_SHOP_PREMISES = re.compile(SHOP_WORDS)


def asian_shop_before(text: str, start: int) -> bool:
    """Pass 24: whether a shop's or a branch's word (ASIAN_SHOP_PREMISES) stands within 30 characters before the
    address at `start` on its line, no person's words after it ("受取店舗は那覇空港店（沖縄県…）", "前往门店：广州市…",
    "Cửa hàng: 123 Nguyễn Huệ"): where a firm trades."""
    line_start = text.rfind("\n", 0, start) + 1
    last = last_match(ASIAN_SHOP_PREMISES, text, max(line_start, start - 30), start)
    return last is not None and ASIAN_OWN.search(text, last.end(), start) is None


def paired_with_a_mobile(text: str, end: int, line_start: int, line_end: int) -> bool:
    """An office line next to the person's mobile, under a firm's name: "Osei Auto Repairs\\nP: (08) 9271 4483
    M: 0422 617 095", "Ferrox Kft. | …\\n+36 62 555 210 | mobil: …"."""
    if not MOBILE_AFTER.match(text, end, line_end):
        return False
    above = text.rfind("\n", 0, max(0, line_start - 1)) + 1
    above = text.rfind("\n", 0, max(0, above - 1)) + 1  # this line and the two above it
    return FIRM_MARK.search(text, above, end) is not None


#: A firm naming its own premises before an address, in many languages: "our returns center:\nVitamix Returns,",
#: "our new office address for invoicing:", "to our office at", "notre siège :", "unsere Firmenadresse:".
OUR = (r"(?i:\b(?:our|notre|nos|unser\w*|nuestr[oa]s?|nostr[oa]|noss[oa]s?|onze|ons|vår\w*|vores|meidän|nasz\w*)\s+"
       r"(?:new\s+|registered\s+|main\s+|head\s+|nouvelle?\s+|neue\w*\s+|nuev[oa]\s+|nuov[oa]\s+|nov[oa]\s+)?")
#: Premises only a firm has: the words alone say whose the address is.
FIRM_PREMISES = (r"returns?\s+cent(?:er|re)|warehouse|headquarters|hq|siège|entrepôt|firmensitz|firmenadresse|lager|"
                 r"almacén|magazzino|armazém|magazijn|siedziba|magazyn|registered office")
#: An office, a shop, a branch: the firm's where an address word or "at" follows ("our office at", "our new office
#: address for invoicing:"); a bare "Our office:" may be a one-person firm's home.
PREMISES = (r"office|offices|premises|store|shop|branch|bureaux?|agence|magasin|büro|geschäft|filiale|oficina|sede|"
            r"tienda|ufficio|negozio|escritório|escritorio|loja|kantoor|vestiging|winkel|kontor|butik|toimisto|biuro|"
            r"sklep")
ADDRESS_WORD = r"address|adresse|dirección|direccion|indirizzo|endereço|adres|adress|osoite"
#: Issue 18, pass 26: a verb of being somewhere between the premises and where ("our office is at", "nuestra tienda
#: está en", "nossa loja fica na", "unser Büro befindet sich in").
PREMISES_VERB = (r"\s+(?:is|are|is\s+located|are\s+located|located|está|están|estamos|se\s+encuentra|se\s+encuentran|"
                 r"queda|fica|ficam|está\s+localizada|se\s+trouve|est|befindet\s+sich|ist|si\s+trova|è|ligt|zit|"
                 r"znajduje\s+się|ligger)")
OUR_PREMISES_BEFORE = re.compile(
    rf"{OUR}(?:(?:{FIRM_PREMISES})(?:\s+(?:{ADDRESS_WORD}))?(?:\s+(?:is|are|at|on|in|à|au|en|a|em|op|på))?|"
    rf"(?:{PREMISES})(?:\s+(?:{ADDRESS_WORD})(?:\s+for\s+\w+)?(?:\s+(?:is|are))?|(?:{PREMISES_VERB})?\s+(?:at|à|au|en|em|op|på|in|na|no)))"
    r"\s*:?\s*(?:[^\n\d,:]{1,40},\s*)?)\Z")
#: A number followed by a currency: an amount, not a house number ("rue Saint-Hubert, 45 $", "13 800 DH").
AMOUNT = re.compile(r"(?<![\w.])\d+(?:[ ,.]\d+)*(?:[ \t]?(?:\$|€|£|¥|₹|₦|₱|₩|₫|₺)|[ \t]+(?:DH|MAD|EUR|USD|GBP|CHF|PLN|zł|Kč|"
                    r"Ft|lei|RON|RM|AED|SAR|KES|NGN|SEK|NOK|DKK)(?!\w))")


#: A shop, a branch, a service centre, in many languages: an address right after one (perhaps after the brand and a
#: preposition) is where a firm trades, named as the place something was bought, seen or sent back ("en la sucursal
#: de Calle Serrano 45", "na loja da Rua Oscar Freire", "in der Filiale Königstraße 27", "la boutique Zara de la rue
#: de Rivoli", "Nuestro centro de atención: Av. Libertador 5000", "mağazası Bağdat Caddesi"), not a person's home.
SHOPS = (r"shop|store|branch|outlet|showroom|service\s+(?:cent(?:er|re)|point|desk)|pick-?up\s+point|collection\s+point|"
         r"pick-?up\s+(?:station|location|desk)|parcel\s+(?:shop|locker)|tienda|sucursal|almac[eé]n|punto\s+de\s+(?:venta|recogida|entrega)|"
         r"centro\s+de\s+(?:atenci[oó]n|servicio|distribuci[oó]n|reparaci[oó]n|devoluciones)|servicio\s+t[eé]cnico|"
         r"loja|filial|ag[eê]ncia|agencia|ponto\s+de\s+(?:venda|retirada|coleta)|assist[eê]ncia\s+t[eé]cnica|"
         r"boutique|magasin|succursale|agence|enseigne|point\s+(?:de\s+vente|relais|retrait)|"
         r"service\s+apr[eè]s-vente|filiale|gesch[aä]ft|laden|niederlassung|kundencenter|servicecenter|abholstation|"
         r"packstation|paketshop|negozio|punto\s+vendita|centro\s+assistenza|punto\s+di\s+ritiro|winkel|filiaal|"
         r"vestiging|afhaalpunt|servicepunt|sklep\w*|salon|oddzia[lł]\w*|punk\w*\s+odbioru|paczkoma\w*|ma[gğ]aza\w*|"
         r"[sş]ube\w*|butik(?:k|ken|en)?|varehus|myym[aä]l[aä]\w*|toimipiste\w*|prodejn\w*|pobo[cč]k\w*|v[yý]dejn\w*|"
         r"[uü]zlet|magazin(?:ul)?|sucursal[aă]|trgovin[ai]|poslovnic[ai]|prodavnic[ai]|"
         # a warehouse or depot, where a parcel is sent from or returned to
         r"warehouse|depot|d[eé]p[oô]t|magazzino|entrep[oô]t|armaz[eé]m|dep[oó]sito|magazijn|magazyn\w*|"
         r"distributiecentrum|verteilzentrum|logistikzentrum|centrum\s+dystrybucyjne|"
         # premises where a customer went for a service: a pharmacy, a supermarket, a post office, a garage
         r"pharmacy|farm[aá]cia|pharmacie|apotheke|apotheek|apteka|apotek|eczane|gy[oó]gyszert[aá]r|"
         r"supermarket|supermercado|supermarch[eé]|supermarkt|hipermercado|hypermarch[eé]|"
         r"post\s+office|oficina\s+de\s+correos|ag[eê]ncia\s+dos\s+correios|bureau\s+de\s+poste|postamt|postfiliale|"
         r"postkantoor|urz[eę]d\w*\s+pocztow\w*|dealership|concesionario|concession[aá]ria|autohaus|werkstatt|"
         r"taller|garage|oficina\s+mec[aâ]nica|autoservis|servis|"
         # pass 28: a pickup point, a branch, an office, a shop in Russian and Ukrainian ("пункт выдачи СДЭК на ул. …",
         # "Відділення №52, м. Львів"), Hebrew's and Arabic's branch ("בסניף ברחוב …", "فرعنا في …"), Tamil's shop
         r"пункт\w*\s+(?:выдачи|видачі)|отделени\w*|відділенн\w*|филиал\w*|філі[яїюі]\w*|магазин\w*|склад\w*|"
         r"постамат\w*|поштомат\w*|בסניף|סניף|הסניף|فرع\w*|கடை")
#: What may stand between the shop's word and the address: the brand's capitalised words, a preposition.
SHOP_BEFORE = re.compile(
    rf"(?<![\w])(?i:{SHOPS})(?:[ ]+(?:[A-Z0-9][\w&'’.-]*|&)){{0,3}}"
    # the town or mall it is in, then a comma ("the Ikea store in Kungens Kurva, Modulvägen 1")
    r"(?:[ ]+(?i:in|at|en|em|à|au|a|na|w|i|di|im|in[ ]der)[ ]+[A-Z][^\n\d,:;.]{1,30},)?"
    r"(?:[ ]+(?i:de(?:[ ]la)?|da|do|del|des|du|en|na|no|em|in(?:[ ]der)?|im|am|an[ ]der|auf[ ]der|at(?:[ ]the)?|"
    r"on(?:[ ]the)?|op|aan|à|au|w|we|przy|i|på|vid|di|della|in[ ]via|v|ve|u|în|din|pe|ở|на|в|у|по[ ]адресу|"
    r"ברחוב|في|:))?[ ]*:?[ ]*\Z")
SHOP_LEAD = re.compile(rf"(?i:{SHOPS})[ ]+")
#: A possessive right before the shop's word: a trader's own shop, which authors read as theirs ("my store").
OWN_SHOP = re.compile(r"(?i:\b(?:my|mi|mis|mon|ma|mes|mein\w*|meu|minha|mijn|mio|mia|mój|moj\w*|min|mitt|benim|moje)"
                      r"\s+)\Z")


def shop_address(text: str, start: int) -> bool:
    """Whether the address at `start` follows a firm's shop, branch or service centre (SHOPS), or opens with one
    ("Filiale Königstraße 27")."""
    lead = SHOP_LEAD.match(text, start, start + 40)
    window = text[max(0, start - 60):lead.end() if lead is not None else start]
    found = SHOP_BEFORE.search(window)
    return found is not None and OWN_SHOP.search(window, 0, found.start()) is None


#: A firm's premises named in brackets right after the address ("5 rue de l'Industrie, 44000 Nantes (siège)",
#: "Av. Paulista 1000 (matriz)", "Königstraße 27 (Filiale)").
PREMISES_AFTER = re.compile(
    rf"[ \t]*[(\[][ \t]*(?i:{FIRM_PREMISES}|{SHOPS}|head\s+office|main\s+office|siège\s+social|sede|matriz|"
    r"zentrale|hauptsitz|hoofdkantoor|siedziba|merkez)[^()\[\]\n]{0,24}[)\]]")


#: A firm's returns address named as one, in many languages ("your returns address is", "Rücksendeadresse:",
#: "dirección de devolución:"): where goods go back to, the firm's. (Not "return address": a sender's own.)
RETURNS_ADDRESS = re.compile(
    r"(?i:\b(?:returns\s+address|r[üu]cksendeadresse|retourenadresse|retouradres|"
    r"direcci[óo]n\s+de\s+devoluci[óo]n|endere[çc]o\s+de\s+devolu[çc][ãa]o|"
    r"indirizzo\s+(?:di|per\s+il)\s+reso|adres\s+zwrotu|returadress|returadresse)(?:\s+(?:is|ist|es|est|é|è|jest|är|er))?"
    r"\s*:?\s*\Z)")
#: A trade's noun closing the address or right after it: the place is a café, a shop, a stop ("12 Main Street Café",
#: "15 Place Vendome bus").
TRADE_END = re.compile(r"[ \t](?:Café|Cafe|Coffee|Restaurant|Bistro|Diner|Pizzeria|Bar|Pub|Bakery|Store|Shop|Market|"
                       r"Mall|Pharmacy|Hotel|Station|Branch|Outlet|Kiosk|Boutique|Salon)\Z")
TRADE_AFTER = re.compile(r"[ \t]+(?i:café|cafe|coffee|restaurant|bistro|diner|pizzeria|bar|pub|bakery|store|shop|market|"
                         r"mall|pharmacy|hotel|station|branch|outlet|kiosk|boutique|bus|tram|metro|stop)\b(?![ \t]*\d)")


#: Issue 18, pass 27: a firm's registered seat named as such before the address, in many languages ("Sediul firmei:
#: Str. …", "Sídlo společnosti:", "domicilio social:", "sede legale:", "siège social :", "Geschäftssitz:"). (Not "company
#: address" or "registered address": the corpus's authors read a sole trader's "my company address" as a person's.)
FIRM_SEAT = re.compile(
    r"(?i:\b(?:sediul(?:[ ]+(?:social|firmei|societ[aă][tț]ii|central))?|s[ií]dlo(?:[ ]+(?:firmy|spole[cč]nosti))?|"
    r"registered[ ]+office|domicilio[ ]+social|sede[ ]+(?:social|legale|operativa)|si[eè]ge[ ]+social|gesch[aä]ftssitz|firmensitz|"
    r"siedziba(?:[ ]+(?:firmy|sp[oó][lł]ki))?)(?:[ ]+(?:is|este|je|es|est|ist|è|é|jest))?[ \t]*:?[ \t]*\Z)")
#: Issue 18, pass 27: a firm's premises named with the definite article (or a definite ending) and a verb of being
#: somewhere, before the address: "Butikken ligger på …", "The shop is at …", "La tienda está en …", "Das Geschäft
#: befindet sich in …", "Kontoret ligger på …", "Magazinul este pe …".
THE_PREMISES_BEFORE = re.compile(
    rf"(?i:\b(?:butikken|butiken|kontoret|lageret|lagret|filialen|forretningen|firmaet|företaget|myymälä|toimisto|"
    rf"the[ ]+(?:shop|store|office|branch|showroom|warehouse)|la[ ]+(?:tienda|sucursal|oficina|boutique|agence|loja)|"
    rf"le[ ]+(?:magasin|bureau|si[eè]ge)|der[ ]+laden|die[ ]+filiale|das[ ]+(?:gesch[aä]ft|b[üu]ro)|"
    rf"o[ ]+escrit[oó]rio|il[ ]+negozio|l['’]ufficio|de[ ]+winkel|het[ ]+kantoor|magazinul|sediul|biuro|sklep)"
    rf"{PREMISES_VERB}(?:[ ]+(?:at|på|i|en|in|na|no|à|au|a|op|w|în|pe|la))?[ \t]*:?[ \t]*\Z)")
#: Issue 18, pass 27: the address said after it to be a firm's premises ("Av. Corrientes 1234 es la dirección de
#: nuestra sucursal", "… is our shop's address", "… è la sede del nostro negozio").
PREMISES_SAID_AFTER = re.compile(
    rf"[^\n.!?]{{0,12}}?\b(?i:is|are|es|est|ist|è|é|jest|är|er|e|este)\b[^\n.!?\d]{{0,30}}?{OUR}"
    rf"(?:{PREMISES}|{FIRM_PREMISES}|{SHOPS})\b)")  # (OUR's case-blind group closed)


#: Pass 28: the words of a firm's register or tax number, in the languages of a letterhead or an invoice's foot ("org.nr",
#: "CVR-nr.", "UID", "CIF", "KvK", "SIRET", "Y-tunnus", "USt-IdNr.", "BTW", "NIP", "IČO", "ABN", "Company No.").
FIRM_REGISTRY = re.compile(
    r"(?<![\w-])(?:[Oo]rg\.?[ ]?nr|CVR|UID|CIF|KvK|SIRE[NT]|RCS|Y-tunnus|USt-?Id\w*|BTW|TVA|VAT|MwSt|MVA|NIP|REGON|KRS|"
    r"IČO|DIČ|ABN|ACN|CRN|GSTIN|CNPJ|NIPC|P\.[ ]?IVA|ИНН|ОГРН|ЄДРПОУ|[Cc]ompany (?:[Nn]o|[Nn]umber|[Rr]eg\w*))(?![\w])")
#: Pass 28, after the measurement: the same registers' words and a few more that, beside a firm's legal form, name a
#: firm's own number (Greek ΑΦΜ, Hungarian adószám, Chile's and Peru's RUT and RUC, Argentina's CUIT, Mexico's RFC, Romania's
#: CUI, India's and New Zealand's GST, Belgium's ondernemingsnummer): a person's id alone never stands by a legal form.
FOOTER_REGISTRY = re.compile(FIRM_REGISTRY.pattern + r"|(?<![\w-])(?:ΑΦΜ|[Aa]dószám|RUT|RUC|CUIT|RFC|CUI|GST(?:IN)?(?: [Nn]o\.?)?|"
                             r"[Oo]ndernemingsnummer)(?![\w])")
#: Legal forms the list above lacks, written on Greek and Peruvian invoices ("TechHellas Α.Ε.", "Compras Inca SAC").
FOOTER_FORMS = re.compile(LEGAL_FORM.pattern + r"|(?<![\w-])(?:Α\.Ε\.|Ε\.Π\.Ε\.|Ι\.Κ\.Ε\.|SAC|S\.A\.C\.|EIRL|S\.r\.l\.|Srl|S\.a\.s\.|S\.n\.c\.)(?![\w-])")
#: How close a register's word stands before its own number ("SIRET 41852203300012", "ΑΦΜ 800413527", "RUT 76.543.210-3").
REGISTRY_NUMBER_REACH = 16


def firm_footer(text: str, start: int, kind: str) -> bool:
    """Pass 28, after the measurement: whether the number at `start` stands on a firm's invoice foot or letterhead
    line: the line names a legal form and a register's or tax number's word ("ElettroCasa S.r.l. – P.IVA … – Assistenza
    02 8945 3310", "Zahlbar auf: Velo Huber AG, IBAN CH84 …, UID CHE-…", "(Kertész Webáruház Kft., adószám: …,
    ügyfélszolgálat: +36 1 445 …"), and nobody's own words or labels ("my", "M:", "Mobile") are on it. An id (SSN) or a
    card's digits count only right after the register's word: the firm's own register number."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    if FOOTER_FORMS.search(text, line_start, line_end) is None:
        return False
    if kind in ("SSN", "CARD"):
        registry = last_match(FOOTER_REGISTRY, text, max(line_start, start - REGISTRY_NUMBER_REACH), start)
        return registry is not None and REGISTRY_TAIL_TO_NUMBER.fullmatch(text, registry.end(), start) is not None
    if FOOTER_REGISTRY.search(text, line_start, line_end) is None:
        return False
    return OWN_LABEL.search(text, max(line_start, start - 12), start) is None and \
        OWN_WORDS.search(text, line_start, line_end) is None


#: What stands between a register's word and its number: a dot, a colon, "No.", "nr.", "n°" and spaces.
REGISTRY_TAIL_TO_NUMBER = re.compile(r"(?i:\.?[ \t]*(?:no\.?|nr\.?|n°|number|nummer)?[ \t]*[:.]?[ \t]*)")


#: How far before the address a letterhead's firm and register may stand on its line.
LETTERHEAD_REACH = 120
#: The register's number and the separator right before the address ("556677-8890, ", "ATU63519929 | ").
REGISTRY_TAIL = re.compile(r"[^\n,|·•]{1,30}[,|·•][ \t]*\Z")


def letterhead_address(text: str, start: int) -> bool:
    """Pass 28: whether the address at `start` follows, on its line, a firm's legal form and its register or tax number
    right before it, no person's words among them ("Nordkläder AB, org.nr 556677-8899, Drottninggatan 5 …", "Stadtwerke Südost GmbH | UID ATU… | Kärntner Ring 5",
    "TelefoníaPlus S.A., CIF A28015865, Gran Vía 30"): a letterhead's or an invoice's foot, the firm's seat."""
    line_start = max(text.rfind("\n", 0, start) + 1, start - LETTERHEAD_REACH)
    form = LEGAL_FORM.search(text, line_start, start)
    if form is None or OWN_WORDS.search(text, form.start(), start) is not None:
        return False  # (not "my employer is Brightwell Ltd (company no. …), send it to my home: …")
    registry = last_match(FIRM_REGISTRY, text, form.end(), start)
    return registry is not None and REGISTRY_TAIL.match(text, registry.end(), start) is not None


def firm_premises(text: str, start: int, end: int) -> bool:
    """Whether the address at start:end is a firm's own (its office, its returns centre, a shop, an industrial
    estate, a café named after its street) or an amount read as one."""
    if OUR_PREMISES_BEFORE.search(text, max(0, start - 90), start) is not None or shop_address(text, start) or \
            PREMISES_AFTER.match(text, end) is not None or RETURNS_ADDRESS.search(text, max(0, start - 40), start) or \
            TRADE_END.search(text, start, end) is not None or TRADE_AFTER.match(text, end) is not None:
        return True
    if FIRM_SEAT.search(text, max(0, start - 40), start) is not None or \
            THE_PREMISES_BEFORE.search(text, max(0, start - 60), start) is not None or \
            PREMISES_SAID_AFTER.match(text, end, min(len(text), end + 80)) is not None:
        return True  # pass 27: "Sediul firmei: …", "Butikken ligger på …", "… es la dirección de nuestra sucursal"
    if asian_shop_before(text, start) or letterhead_address(text, start):
        return True
    amount = AMOUNT.search(text, start, min(len(text), end + 5))
    return amount is not None and amount.start() < end


#: Pass 27: the words before a firm's own bank account in its invoice or letter: "our account", "unser Konto", "notre
#: compte", "nuestra cuenta bancaria", "ons rekeningnummer", "vårt kontonummer" …, "pay to", "payable to", a payee's or
#: an account holder's label. A firm's legal form after them (`firm_account`) says whose the account is.
ACCOUNT_WORDS = (r"(?:bank\s+|bancaire\s+|bancari[ao]\s+)?(?:account|details|bank\s+details|banking\s+details|konto\w*|"
                 r"bankverbindung|compte|coordonnées\s+bancaires|rib|cuenta|datos\s+bancarios|conto|coordinate\s+"
                 r"bancarie|conta|dados\s+bancários|rekening\w*|bankgegevens|tili\w*|rachun\w*|iban)")
FIRM_ACCOUNT_BEFORE = re.compile(
    rf"(?i:\b(?:our|unser\w*|notre|nos|nuestr[oa]s?|nostr[oa]|noss[oa]s?|onze|ons|vår\w*|vores|meidän|nasz\w*)\s+"
    rf"{ACCOUNT_WORDS}\b|\bpay(?:able|ment)?\s+(?:in)?to\b(?!\s+(?:my|me)\b)|\bremit\s+to\b|\bzahlbar\s+an\b|\bzahlungsempfänger|"
    r"\bempfänger\s*:|\bkontoinhaber\s*:|\bbeneficiary\s*:|\bpayee\s*:|\baccount\s+(?:name|holder)\s*:|"
    r"\bbénéficiaire\s*:|\btitulaire\s*:|\bbeneficiario\s*:|\btitular\s*:|\bbegunstigde\s*:|\bmottaker\s*:)")
#: How far before the account its firm's words may stand, and how far after it the firm's legal form.
FIRM_ACCOUNT_REACH = 160
FIRM_NAME_AFTER = 80


def firm_account(text: str, start: int) -> bool:
    """Whether the bank account at `start` is a firm's: a firm's words for its account (`FIRM_ACCOUNT_BEFORE`) before
    it in its paragraph, and a legal form between them and just after the account ("Please pay to our account: Acme
    Ltd, sort code …", "Bitte zahlen Sie auf unser Konto: Muster GmbH, IBAN …")."""
    paragraph = text.rfind("\n\n", 0, start)
    begin = max(paragraph + 2 if paragraph >= 0 else 0, start - FIRM_ACCOUNT_REACH)
    cue = last_match(FIRM_ACCOUNT_BEFORE, text, begin, start)
    if cue is None:
        return False
    paragraph_end = text.find("\n\n", start)
    end = min(start + FIRM_NAME_AFTER, paragraph_end if paragraph_end >= 0 else len(text))
    return LEGAL_FORM.search(text, cue.start(), end) is not None


#: Pass 28, after the measurement: a firm named with its legal form in brackets right after an account ("reg.nr. 5301
#: kontonr. 0244581190 (Nordlys Møbler ApS)", "CBU 0070… (Casa Mora SRL)", "ES36 0049 … (Muebles Levante S.A., CIF …)").
FIRM_AFTER_ACCOUNT = re.compile(rf"[ \t]*\([^()\n]{{0,40}}?(?:{FOOTER_FORMS.pattern})")
#: Pass 28, after the measurement: a firm's legal form, then an account's word or a colon, right before the account
#: ("Velo Huber AG, IBAN CH84 …", "Rekeningnummer Bouwmarkt Kempen BV: BE60 …", "Stadtwerke Donau GmbH, IBAN AT10 …"), or
#: a firm's own account's name ("Geschäftskonto", "Firmenkonto", "client account", "cont furnizor", "konto firmowe").
FIRM_BEFORE_ACCOUNT = re.compile(
    rf"(?:(?:{FOOTER_FORMS.pattern})[,:;]?[ \t]*(?:\(?[^()\n]{{0,20}}\)?[ \t]*)?(?i:iban|konto|kontonr\.?|account|a/c|"
    rf"rekening\w*|cuenta|conto|compte|rachunek|číslo účtu|účet|tili|cont)?[ \t]*(?:n(?:o|r|°)\.?)?[ \t]*:?[ \t]*|"
    rf"(?i:gesch[aä]ftskonto|firmenkonto|unternehmenskonto|client account|trust account|cont(?:ul)? furnizor\w*|"
    rf"konto firmowe|rachunek firmowy|firemní účet|compte professionnel|cuenta empresarial)[^\n\d]{{0,24}})\Z")


#: Pass 28, after the measurement: an instruction to pay into the account, as an invoice or a shop writes it ("Règlement
#: par virement sur : IBAN …", "przelew na rachunek …", "Átutalás esetén: …", "Se preferir transferência: IBAN …", "I
#: paid by transfer to your IBAN …"): money going to the firm, so the account is the firm's. (Not a refund's
#: transfer, "zwrot przelewem na rachunek …": REFUND_ON_LINE; nor "Bitte überweisen Sie auf …", which a customer
#: writes as often, asking for their money back.)
PAY_INTO_BEFORE = re.compile(
    r"(?i:virement[ \t]+(?:sur|à|au|vers)|przelew\w*[ \t]+na|átutalás\w*|zahlbar[ \t]+(?:auf|an)|"
    r"transferência(?:[ \t]+bancária)?[ \t]*:|pagar[ \t]+por[ \t]+transferencia|"
    r"(?:pay|paid|payment)[ \t]+(?:by|via)[ \t]+(?:bank[ \t]+)?transfer[ \t]+to|betal[ \t]+til|indbetaling[ \t]+til|"
    r"betala[ \t]+till|bonifico[ \t]+(?:su|sul|a)|per[ \t]+il[ \t]+bonifico)[^\n\d]{0,40}\Z")
#: A refund's or a payout's word on the line: the transfer goes to the customer.
REFUND_ON_LINE = re.compile(r"(?i:refund|zwrot|rembours|erstatt|rückzahl|devoluc|devolv|reembols|rimbors|terugbetal|"
                            r"tilbagebetal|återbetal|visszatérít|payout|pay[ \t]+(?:me|out))")


def firm_named_account(text: str, start: int, end: int) -> bool:
    """Pass 28, after the measurement: whether the account at start:end is named a firm's by the words right around
    it (`FIRM_BEFORE_ACCOUNT`, `FIRM_AFTER_ACCOUNT`), with no person's own words before it on its line."""
    line_start = text.rfind("\n", 0, start) + 1
    if OWN_WORDS.search(text, max(line_start, start - 60), start) is not None:
        return False
    if FIRM_BEFORE_ACCOUNT.search(text, max(line_start, start - 60), start) is not None or \
            FIRM_AFTER_ACCOUNT.match(text, end) is not None:
        return True
    return PAY_INTO_BEFORE.search(text, max(line_start, start - 80), start) is not None and \
        REFUND_ON_LINE.search(text, line_start, start) is None
