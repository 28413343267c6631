"""What a name finding is not (issue 18, the must-keep pass): a role, a greeting, a month or a feast, a car, a
brand, a firm, a handle.

On text nobody tuned for, most must-keep words taken for names were of a few kinds the name rules and the tagger
cannot tell from a person by shape: a role ("Dear Property Manager", "Agente Daniela", "Monsieur le Directeur"),
a greeting of another language ("Niaje", "Howzit", "Tere"), a month ("12-14 Jun", "Kasım ayında"), a car ("Dacia
Logan", "Seat León"), a brand or a firm ("Hi Qantas", "Okta SSO", "GlobeHop Tours", "@HelixTelecom"). The
lexicons below are written per concept for many languages, not from the corpus; `person_span` trims such a word
off a finding's edge or drops the finding.
"""

from __future__ import annotations

import re
from functools import lru_cache

from feedbackloop.core.name_gazetteer import COMBINING_MARKS, CONTINENTS, gazetteer, strip_marks
from feedbackloop.core.pii_firms import LEGAL_FORMS, TRADE_NOUNS
from feedbackloop.core.script_names import native_trim


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Roles and functions, in many languages: before a name they are trimmed ("Agente Daniela"), after its first
#: word they make the finding a role ("Property Manager", "Analista de Compras"). (Pass 28: a service desk's staff
#: as chats name them before a first name, "Conseillère Salma", "Atendente Juliana", "Temsilci Elif", "Agentin Sabine".)
ROLES = words("""
manager managers registrar director directors directeur directrice directora direttore direttrice direktor dyrektor
ředitel reditel igazgató housing admissions assistant assistente asistente assistant·e bot chatbot agent agente
agents analyst analista compras ventas purchasing procurement team équipe equipe equipo payroll ops operations
accounts department departamento département abteilung office bureau desk reception receptionist recepción
recepcion secretaria secretaría sekretariat secretariat secrétariat support soporte suporte supporto service
services servicio serviço servizio kundenservice kundendienst helpdesk billing facturación facturacion officer
coordinator coordinadora coordinador supervisor supervisora dispatcher cashier clerk representative advisor adviser
consultant specialist especialista administrator administrador administratrice admin moderator committee comité
comite board council conseil direction dirección direccion gerente gérant gerant gestor gestora responsable
sahab sahib saab destek ekibi ekip hizmetleri asiakaspalvelu klantenservice atendimento atención atencion
assistência assistencia acadêmica académica academica customer cliente client kunde klant asiakas klient caller
ejecutiva ejecutivo executiva executivo
agentin conseiller conseillère conseillere conselheiro conselheira atendente asesor asesora consultor consultora
operator operador operadora opérateur opératrice operateur operatrice operatore operátor operátorka konsultant
konsultantka doradca poradce berater beraterin mitarbeiter mitarbeiterin sachbearbeiter sachbearbeiterin medewerker
medewerkster medarbejder handläggare rådgiver rådgivare ügyintéző temsilci temsilcisi petugas technician técnico
técnica tecnico tecnica technicien technicienne techniker technikerin vendedor vendedora verkäufer verkäuferin
""")
#: Greetings, thanks and address words of many languages that open a message or a chat line (pass 21: South Asia's
#: and Nigeria's: "assalam o alaikum", "AoA", "bhai", "abeg").
GREETINGS = words("""
tere niaje asante sasa howzit chale howya hallo bună buna merhaba salam salaam salamu sayın sayin beste habari
jambo mambo karibu sawubona dumela molo aloha namaste namaskar shalom hej hei moi moikka terve ahoj cześć czesc
szia servus grüezi gruezi ciao salut olá oi hola bok zdravo pozdrav здравствуйте привет вітаю γεια selam xin chào
chào sawasdee halo kumusta mabuhay vanakkam marhaba ahlan yassou shwmae bonjour bonsoir buongiorno buonasera buenas
buenos goedemorgen goedemiddag moin tach hiya g'day gday kia ora asalaam assalamu alaikum habari sannu ndewo kedu
boss chief bro sis mate madam sir po
assalam asalam assalaam walaikum wassalam aoa adaab nomoskar nomoshkar namaskaram bhai bhaiya bhaijaan yaar abeg oga
""")
#: Months of many languages (a month next to a day, "12-14 Jun", "May 4", or with its word, "Kasım ayında").
MONTHS = words("""
jan january janvier januar enero gennaio janeiro januari stycznia styczeń ocak ocak tammikuu
feb february février fevrier februar febrero febbraio fevereiro februari lutego luty şubat subat helmikuu
mar march mars märz marz marzo março maret marca marzec mart maaliskuu
apr april avril abril aprile kwietnia kwiecień nisan huhtikuu
may mai mayo maggio maio mei maja maj mayıs mayis toukokuu
jun june juin juni junio giugno junho czerwca czerwiec haziran kesäkuu
jul july juillet juli julio luglio julho lipca lipiec temmuz heinäkuu
aug august août aout agosto agustus sierpnia sierpień ağustos elokuu
sep sept september septembre septiembre settembre setembro września wrzesień eylül eylul syyskuu
oct october octobre oktober octubre ottobre outubro października październik ekim lokakuu
nov november novembre noviembre novembro listopada listopad kasım kasim marraskuu
dec december décembre decembre dezember diciembre dicembre dezembro desember grudnia grudzień aralık aralik joulukuu
""")
#: Feasts and holidays a text names as a time ("open over Easter").
FEASTS = words("""
easter christmas xmas ramadan ramzan eid diwali deepavali hanukkah chanukah thanksgiving pâques paques noël noel
ostern weihnachten pfingsten navidad pascua natale pasqua kerstmis pasen påsk pask vappu juhannus songkran tết
chuseok nowruz bayram kurban hari raya lebaran holi onam pongal vesak
""")
#: Car makes: the capitalised word after one is a model ("Dacia Logan", "Seat León", "Kia Picanto").
CAR_MAKES = words("""
abarth acura alfa aston audi bentley bmw bugatti buick byd cadillac chery chevrolet chevy chrysler citroën citroen
cupra dacia daewoo daihatsu dodge ferrari fiat geely gmc haval holden honda hyundai infiniti isuzu iveco jaguar jeep
kia lada lamborghini lancia lexus mahindra maruti maserati mazda mclaren mitsubishi nissan opel perodua peugeot
polestar porsche proton renault rivian saab scania seat skoda škoda ssangyong subaru suzuki tata tesla toyota
vauxhall volkswagen vw volvo wuling zastava
""")
#: Makers of devices, appliances and gear: the capitalised words after one are a model ("Nespresso Vertuo Pop",
#: "Samsung Bespoke Jet", "Xiaomi Redmi Note", "Tecno Camon"), as after a car's make.
PRODUCT_MAKERS = words("""
nespresso samsung philips apple xiaomi redmi huawei sony bosch siemens dyson miele lenovo dell asus acer
motorola nokia tecno infinix itel oppo realme oneplus google microsoft nintendo playstation xbox garmin fitbit canon
nikon gopro jbl bose sonos logitech razer tefal rowenta moulinex krups delonghi kenwood smeg electrolux aeg
beko whirlpool indesit haier hisense tcl panasonic toshiba hitachi midea daikin nike adidas puma reebok asics lego
thermomix vorwerk kärcher karcher makita dewalt stihl tp-link
""")
#: Brands and services that customers name (telecoms, airlines, banks, shops, carriers, software, devices, cards;
#: pass 21: South Asia's, the Gulf's, Egypt's, Turkey's, Israel's and Africa's apps, telecoms, banks and carriers;
#: pass 22: Central and Eastern Europe's shops, banks and telecoms, "Żabka" a surname too).
BRANDS = words("""
okta slack zoom microsoft google amazon apple samsung xiaomi huawei oppo lenovo dell asus acer sony philips
panasonic dyson miele bose jbl canon nikon garmin fitbit nintendo xbox playstation netgear linksys tp-link d-link
ubiquiti bosch siemens whirlpool electrolux beko hisense tcl salesforce shopify stripe paypal venmo revolut monzo
klarna afterpay uber lyft grab gojek deliveroo doordash airbnb expedia qantas emirates lufthansa ryanair easyjet
klm iberia vueling wizz jetstar indigo vistara airasia cebu vodafone orange telefónica movistar o2 telia telenor
swisscom proximus kpn ziggo t-mobile verizon comcast xfinity optus telstra celcom maxis digi safaricom airtel mtn
jio bsnl etisalat turkcell canal+ netflix spotify disney ikea zara primark lidl aldi tesco carrefour auchan rewe
edeka mercadona walmart costco woolworths coles kmart shopee lazada tokopedia jumia flipkart falabella hermes dhl
fedex ups dpd gls postnl poslaju evri yodel colissimo chronopost correos inpost m-pesa mpesa gcash paymaya paytm
phonepe oyster presto octopus admiral aviva axa allianz generali mapfre desjardins hsbc barclays lloyds natwest
santander bbva rabobank sparkasse unicredit nordea swedbank westpac maybank cimb icici hdfc citibank maya elisa
opal tim jumbo poslaju
mercadolibre mercadopago rappi oxxo coppel elektra soriana chedraui telcel claro tigo entel nubank bradesco itaú
itau bancolombia davivienda banorte banamex magalu americanas dafiti netshoes shein temu aliexpress andreani
servientrega estafeta correios sedex jadlog loggi pedidosya ifood didi cabify despegar latam avianca aeroméxico
aeromexico volaris jetsmart ripley sodimac homecenter tottus cencosud konga takealot shoprite makro glo vodacom
telkom opay palmpay moniepoint flutterwave paystack kuda gtbank gtco zenith uba ecobank kcb absa capitec nedbank
fnb sendy yango inwi djezzy ooredoo noon zalando mediamarkt coolblue allegro empik alza emag altex sameday cargus
foxpost packeta zásilkovna zasilkovna trendyol hepsiburada yurtiçi yurtici n11 getir elgiganten elkjøp gigantti
verkkokauppa postnord budbee instabox vinted fnac darty cdiscount decathlon kiabi sfr bouygues fastweb esselunga
mediaworld unieuro kaufland rossmann tchibo lieferando thuisbezorgd wolt foodora glovo flixbus blablacar trenitalia
renfe sncf ouigo öbb sbb pkp dhl-express nespresso thermomix vorwerk kärcher karcher makita dewalt tefal rowenta
moulinex krups delonghi kenwood smeg aeg indesit haier midea daikin motorola nokia tecno infinix itel realme
oneplus logitech razer sonos gopro asics lego
careem talabat zomato swiggy blinkit zepto myntra meesho nykaa ajio bigbasket rapido dunzo daraz foodpanda bykea
jazzcash easypaisa sadapay ufone jazz bkash nagad pathao grameenphone banglalink chaldal foodi pickme dialog mobitel
ncell esewa khalti mobily stc zain tamara tabby aramex smsa namshi jarir noon dubizzle bayut flydubai etihad saudia
flynas flyadeal turkcell getir yemeksepeti migros türkcell pegasus ajet bezeq isracard cellcom egyptair fawry
instapay remitly worldremit sendwave moneygram chipper afrihost checkers naivas quickmart zuku telebirr hubtel melcom
globe bdo indrive airtel lulu ola robi
żabka zabka biedronka orlen mbank olx ceneo x-kom rohlík rohlik košík kosik konzum dedeman rimi rozetka ukrposhta
monobank privatbank kyivstar skroutz cosmote plaisio
""")
#: Brands of more than one word whose first word is also a person's name or an ordinary word.
BRAND_PHRASES = frozenset("""albert heijn|air new zealand|air canada|air france|air india|british airways|american airlines|
united airlines|singapore airlines|thai airways|royal mail|canada post|australia post|nz post|la poste|deutsche post|
deutsche bahn|deutsche telekom|home depot|best buy|marks & spencer|john lewis|el corte inglés|mercado libre|
saga falabella|caisse desjardins|bank of america|wells fargo|capital one|standard chartered|commonwealth bank|
bouygues telecom|free mobile|virgin media|virgin mobile|wind tre|bell canada|grab vietnam|orange égypte|
magazine luiza|casas bahia|pick n pay|mr price|bodega aurrera|palacio de hierro|fan courier|media expert|media markt|
leroy merlin|plaza vea|mercado pago|orange money|airtel money|mtn momo|gig logistics|yurtiçi kargo|aras kargo|
mng kargo|just eat|uber eats|banco do brasil|caixa econômica|first bank|access bank|standard bank|equity bank|
fidelity bank|zenith bank|cell c|free money|wave money|ali express|el palacio de hierro|air peace|ibom air|
western union|türk telekom|vodafone cash|emirates nbd|al rajhi|meezan bank|ethio telecom|ethiopian airlines|
pakistan post|india post|reliance jio|tata cliq|k-electric|dewa|careem pay|noon minutes|
morgan stanley|goldman sachs|merrill lynch|charles schwab|edward jones|raymond james|jp morgan|j.p. morgan|
johnson & johnson|procter & gamble|ernst & young|ben & jerry's|dave & buster's|h&r block|jackson hewitt|
john deere|lockheed martin|sherwin williams|sherwin-williams|pitney bowes|liberty mutual|kaiser permanente|
trader joe's|papa john's|ralph lauren|calvin klein|tommy hilfiger|hugo boss|michael kors|kate spade|tory burch|
tom ford|louis vuitton|christian dior|estée lauder|estee lauder|ted baker|paul smith|charles tyrwhitt|
hobby lobby|dollar general|harley-davidson|harley davidson|dr. martens|allen edmonds|jenny craig|
robert bosch|carl zeiss|victoria's secret|helen of troy|arthur andersen|ally bank|marcus by goldman sachs""".replace(
    "\n", "").split("|"))
BRAND_PHRASE_ENDS = frozenset(phrase.split()[-1] for phrase in BRAND_PHRASES)
#: Pass 22: the listed phrases that join two words with "&" ("Johnson & Johnson", "Ernst & Young"), by their words:
#: the name finder takes each word for a name of its own.
AMPERSAND_PHRASES: dict[str, tuple[str, ...]] = {}
for _phrase in BRAND_PHRASES:
    if " & " in _phrase:
        for _word in _phrase.replace(" & ", " ").split():
            AMPERSAND_PHRASES[_word] = (*AMPERSAND_PHRASES.get(_word, ()), _phrase)
#: Brands that are also first names: a brand only before a brand's noun.
NAMELIKE_BRANDS = words("maya elisa opal tim wise grace luna alma ava nova zara jumbo zain tamara lulu ola robi dialog")
#: Issue 18, pass 22: goods named before a brand that is also a first name ("šaty Zara", "the jacket Zara sent").
GOODS_BEFORE = words("""
dress jacket shirt shoes coat jeans trousers skirt top šaty bunda boty topánky sukňa sukienka kurtka buty spodnie
koszula bluzka haljina jakna cipele suknja rochie pantofi geacă ruha cipő kabát suknelė striukė
""")
#: Words after a brand that say it is one ("Okta SSO", "Maya app", "Elisa arve", "Opal card").
BRAND_NOUNS = words("""
app apps card cards account sso wallet plan bill bills invoice arve lasku rechnung facture factura fattura store
shop customer customers support hotline order orders network box router sim data account's prime premium plus
rewards points pass
""")
FIRM_AFTER_NAME = re.compile(rf"(?:[ \t]+(?:&[ \t]+)?[A-Z][\w'’-]*){{0,3}}?[ \t]+(?:&[ \t]+)?(?:{LEGAL_FORMS}|{TRADE_NOUNS})(?![\w-])")
#: Trade nouns that come before a firm's name in Romance languages ("Plomería Ramos", "Boulangerie Martin").
TRADE_BEFORE = words("""
plomería plomeria fontanería fontaneria jardinería jardineria carpintería carpinteria ferretería ferreteria
panadería panaderia farmacia farmácia pharmacie boulangerie boucherie pâtisserie patisserie garage taller oficina
clínica clinica clinique cabinet agence agencia agenzia autoescuela transportes transports distribuidora
distribuciones construcciones inmobiliaria immobiliare immobilier restaurante ristorante pizzeria trattoria
hotel hôtel hostal pensión pension peluquería peluqueria salon salão studio estudio despacho bufete
""")
#: Pass 25: a support bot's or a voice assistant's name is a product's, not a person's: said so after it ("Ada, our
#: virtual assistant", "I'm Zoe, the Acme assistant", "Max, the NetÉire virtual assistant 🤖"), before it ("our
#: chatbot Ava", "the voice assistant Alexa"), or introduced by a line a bot speaks ("Bot: Hi! I'm Zoe").
BOT_STRICT = (r"(?:(?:virtual|digital|ai|automated|voice|smart|chat|shopping)[ \t-]*(?:assistant|assistent)|chat-?bot|bot|"
              r"asistente virtual|assistente virtual|assistant virtuel|virtuelle[rn]? assistent(?:in)?)")
BOT_WORDS = rf"(?:{BOT_STRICT}|assistant|asistente|assistente)"
#: (Bare "assistant" counts after a determiner only, and not as a person's post: "Farah, assistant to Lim Jun Hao";
#: before a name only a bot's word does: "Assistente Inês:" is an agent's label.)
BOT_AFTER = re.compile(rf"[ \t]*[,(–—-][ \t]*(?i:(?:the|your|our|a|an|tu|su|nuestr[oa]|votre|notre|ton|ta|seu|sua|nosso|"
                       rf"nossa|la|le|il|o|ihr|ihre|unser|unsere|[\w'’-]+['’]s)[ \t]+)(?:[^\s,.!?]+[ \t]+){{0,3}}"
                       rf"(?i:{BOT_WORDS})(?![\w-])(?![ \t]+(?i:to|of|for|at)\b)")
BOT_BEFORE = re.compile(rf"(?i:{BOT_STRICT})[ \t]+\Z")
BOT_LINE = re.compile(rf"(?im)^[ \t]*(?:\[[^\]\n]*\][ \t]*)?[\w-]*(?:{BOT_WORDS})[ \t]*:[^\n]*"
                      r"(?i:i['’]?m|i am|my name is|this is|me llamo|soy|je suis|ich bin|sono|sou(?: a| o)?)[ \t]+\Z")
BOT_REACH = 80
PREVIOUS_WORD = re.compile(r"([^\W\d_][\w'’-]*)[ \t]+\Z")
NEXT_WORD = re.compile(r"[ \t]+([^\W\d_][\w'’-]*)")
CAMEL = re.compile(r"[a-z][A-Z]")
TITLES = re.compile(r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Herr|Frau|Mme|Mlle|Sr|Sra|Sig|Pan|Pani)\.?[ \t]+\Z")
#: (The combining marks of Indic, Thai, Arabic, Hebrew and Latin script belong to a word: Python's `\w` leaves
#: them out, which cut "शर्मा" to "शर्म".)
WORD = re.compile(rf"[^\W\d_][\w{COMBINING_MARKS}'’+.-]*")


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    return gazetteer()[0]


def key(word: str) -> str:
    return word.lower().rstrip(".'’").removesuffix("'s").removesuffix("’s")


def person_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The part of the name finding text[start:end] that can be a person, or None."""
    native = native_trim(text, start, end)  # issue 18, nineteenth pass: names in their own scripts
    if native is None:
        return None
    start, end = native
    spans = [(m.start(), m.end()) for m in WORD.finditer(text, start, end)]
    if not spans:
        return None
    titled = TITLES.search(text, max(0, start - 8), start) is not None
    trimmed = role = False
    while spans and not titled and key(text[spans[0][0]:spans[0][1]]) in OPENERS:
        role = role or key(text[spans[0][0]:spans[0][1]]) in ROLES
        spans, trimmed = spans[1:], True  # "Agente Daniela", "Beste Slimthuis": the opening word goes
    while trimmed and spans and key(text[spans[0][0]:spans[0][1]]) in PARTICLES:
        spans = spans[1:]
    if role and spans and strip_marks(key(text[spans[0][0]:spans[0][1]])) not in first_names():
        return None  # "Secretaria Acadêmica": what a role leaves must open with a first name ("Agente Daniela")
    if not spans:
        return None
    start, end = spans[0][0], spans[-1][1]
    keys = [key(text[s:e]) for s, e in spans]
    if any(k in ROLES for k in keys) or (not titled and not_a_person(text, start, end, keys)):
        return None
    if not titled and strip_marks(keys[-1]) in CONTINENTS:
        return None  # "the Middle East and Africa", "Latin America": a continent
    return start, end


PARTICLES = words("de da do dos das del della di du le la van von der den el al y e")
#: The words trimmed off a finding's start.
OPENERS = ROLES | GREETINGS


def not_a_person(text: str, start: int, end: int, keys: list[str]) -> bool:
    """Whether the finding is a greeting, a month, a feast, a car, a brand, a firm or a handle."""
    if len(keys) == 1 and (keys[0] in GREETINGS or keys[0] in FEASTS or month_as_date(text, start, end, keys[0])):
        return True
    previous = previous_word(text, start)
    if previous in CAR_MAKES or (keys[0] in CAR_MAKES and len(keys) > 1 and not surname_first(text, start)):
        return True  # "Dacia Logan", "Seat León"; not "FERRARI Chiara"
    if previous in PRODUCT_MAKERS and text[start - 1:start] == " ":
        return True  # "Nespresso Vertuo Pop", "Samsung Bespoke Jet": a maker's model
    if keys[0] in PRODUCT_MAKERS and len(keys) > 1 and keys[0] in BRANDS and not surname_first(text, start):
        return True  # issue 18, pass 22: the maker found with its model ("TP-Link Archer C6", "Dyson Airwrap")
    if start > 0 and text[start - 1] == "@" and len(keys) == 1 and CAMEL.search(text, start, end):
        return True  # a firm's handle: "@HelixTelecom", "@SkyviaHelp" (not a colleague's, "@Sofia")
    if FIRM_AFTER_NAME.match(text, end) or previous in TRADE_BEFORE or keys[0] in TRADE_BEFORE:
        return True  # "GlobeHop Tours", "Bose & Co", "Plomería Ramos"
    return brand(text, start, end, keys) or bot_named(text, start, end)


def bot_named(text: str, start: int, end: int) -> bool:
    """Whether the finding names a support bot or a voice assistant (BOT_AFTER, BOT_BEFORE, BOT_LINE)."""
    before = text[max(0, start - BOT_REACH):start]
    return bool(BOT_AFTER.match(text, end) or BOT_BEFORE.search(before) or BOT_LINE.search(before))


def brand(text: str, start: int, end: int, keys: list[str]) -> bool:
    """A brand's name: a listed phrase ("Albert Heijn", "Air New Zealand"), or every word a listed brand, one that is
    also a first name only before a brand's noun ("Maya app", "Elisa arve", "Opal card")."""
    if " ".join(keys) in BRAND_PHRASES or in_brand_phrase(text, start, keys):
        return True
    if not all(k in BRANDS for k in keys):
        return False
    return not any(k in NAMELIKE_BRANDS for k in keys) or next_word(text, end) in BRAND_NOUNS or (
        previous_word(text, start) in GOODS_BEFORE)


def in_brand_phrase(text: str, start: int, keys: list[str]) -> bool:
    """Whether the finding ends a listed brand phrase whose first words stand before it ("Albert | Heijn"), or
    (pass 22) is a word of a listed phrase with "&" written around it ("Johnson | & Johnson")."""
    for phrase in AMPERSAND_PHRASES.get(keys[0], ()):
        window = max(0, start - len(phrase))
        if any(found.start() + window <= start < found.end() + window
               for found in re.finditer(re.escape(phrase), text[window:start + len(phrase)].lower())):
            return True
    if keys[-1] not in BRAND_PHRASE_ENDS:
        return False
    before = [key(word) for word in WORD.findall(text, max(0, start - 30), start)][-3:]
    return any(" ".join(before[i:] + keys) in BRAND_PHRASES for i in range(len(before)))


def surname_first(text: str, start: int) -> bool:
    """Whether the finding opens with a surname in capitals before a given name ("FERRARI Chiara")."""
    head = WORD.match(text, start)
    return head is not None and head.group().isupper() and len(head.group()) > 3 and key(head.group()) not in ACRONYM_MAKES


ACRONYM_MAKES = words("bmw gmc byd")


def month_as_date(text: str, start: int, end: int, word: str) -> bool:
    if strip_marks(word) not in MONTHS and word not in MONTHS:
        return False
    around = text[max(0, start - 4):start] + text[end:end + 4]
    return any(c.isdigit() for c in around) or text[end:end + 4].lower().startswith((" ay", " ayı"))


def previous_word(text: str, start: int) -> str:
    found = PREVIOUS_WORD.search(text[max(0, start - 30):start])
    return "" if found is None else key(found.group(1))


def next_word(text: str, end: int) -> str:
    found = NEXT_WORD.match(text, end, min(len(text), end + 30))
    return "" if found is None else key(found.group(1))
