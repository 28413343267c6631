"""Issue 18, eighth pass: postal addresses found by their structure, in any country's format.

The street patterns of `redact.ADDRESSES` and the growth rules of `pii_rules` were tuned case by case
and found 8 of 48 and 10 of 42 addresses in the next strangers' text. This module reads an address
as the pieces every format is built from, and finds the whole block:

1. evidence, each piece with a category and a weight:
   - STREET: a house number next to a street-type word, in its three orders ("27 Pukaki Street",
     "12 rue des Tanneurs", "Calle Gran Vía 45", "ul. Marszałkowska 84/92"), a compound street name
     and a number ("Storgatan 12", "Lerchenfelder Straße 88/2/14", "Bağdat Caddesi No: 214"), a
     Japanese block number before a place ("3-14-2 Jingumae");
   - POBOX: a post-office box in many languages ("PO Box 1182", "Postfach 12 34", "Apartado 45");
   - POSTCODE: a postcode of a known shape (US state and ZIP, Canadian, British, Dutch, Portuguese,
     Brazilian, Polish, Japanese, Swedish/Czech/Greek "123 45", Argentine, Australian state and
     four digits), or a weaker 4-7 digit postcode before or after a town (WEAK_POSTCODE);
   - UNIT: a flat, floor, building or other part of one ("Flat 3", "Apt 4B", "#12-08", "3º izda",
     "3. tv.", "lgh 1102", "Daire 7", "Tower", "Apartments");
   - DISTRICT: a district, colony, ward or estate word ("Col.", "Brgy.", "Mah.", "Gangnam-gu",
     "Phường", "2nd Stage");
   - STREET_NAME: a street-type word with a name and no number ("Najda Street").
2. blocks: the text is cut into segments at commas, semicolons, line breaks and " - ", and into
   chunks at sentence ends, blank lines and dashes; segments with evidence are joined through the
   segments between them when those read as an address (no prose word: pronouns, verbs, greetings,
   sign-offs, order or ticket words), then grown over up to two leading segments that start with a
   number or a unit ("101-1203", "12") and up to three trailing place names, region codes, bare
   postcodes and countries (across a line break only a country or a segment with evidence).
3. a block is an address when its evidence holds a STREET, a POBOX or a POSTCODE, or two different
   weaker kinds with a weak postcode among them ("#12-08, Singapore 689578") or three pieces ("Flat
   804, Al Reem Tower, Najda Street"); a name and a house number right before a postcode is a street
   ("Ilica 45, 10000 Zagreb"). Every address has a number: a sentence without a digit is skipped.

Lower case works as title case does; a number alone, an order number, a price, a version, a shop
name or a city named in passing gives no evidence, or not enough.

Ninth pass (families of holdout-9's and holdout-10's misses, each fixed for every language that has
its shape): a number's full stop ends a sentence unless an ordinal's noun follows ("… 87 20. Calle"
vs "2. Stock links"); a date is no house number ("Am Do., 6. März"); region codes in capitals,
compass words, floor sides, entrances, towers, colon units ("Daire: 3"), Cyrillic, Hebrew, Arabic
and Maltese street words; a place line after a line break ("Medellín, Antioquia"); more acceptance
shapes where there is no postcode (two units down to a country, a unit and a street's name and a
place, a numbered name before a district, a named street after "I stay at"); the city before a
district-led East Asian address; CJK addresses written without spaces.

Twelfth pass (families of holdout-15's, -17's and -18's misses): Celtic street words and their articles
("3 Bóthar na Trá", "9 Heol y Deri"), Greek, Ukrainian and Russian street words in both scripts, town
marks ("м. Львів"), compounds with the number first ("88 Queensway", "45 Protearylaan"), floors alone in
their part ("bajo", "st. th.", "EG links") or in Greek ordinals and Hungarian floor/door ("3os orofos",
"12. II/4."), a Danish district letter ending the address, " – " between a Brazilian address's parts, a
unit and a named tower before a place, a bare postcode before the sentence goes on; a stall's number
("Stall 42, Ridley Road") and an employee's "ID" are no address.

Sixteenth pass (families of holdout-31's to -34's misses and false alarms): a lettered flat alone in its
part ("B-702, Lodha Paradise, ...") and in a unit ("Flat B-12", "Block 13-D"); two units and two places
("Flat B-12, Block 13-D, Gulshan-e-Iqbal, Karachi"); districts written after their name ("Model Town",
"Shastri Nagar") and a house number alone before one; Devanagari words (a script without case, whose words
count as capitalised), "नं." and the "।" full stop; Argentine "dto."; Colombian "Carrera 15 # 93-47" and
its abbreviations; a segment that ends one address and starts the next after prose ("..., Auckland 1011 to
22B Te Atatu Rd") is cut in two; a street whose name is only a particle ("Vía de 3 plazas") is none; and
`not_personal` drops products named after streets and a firm's warehouse, depot, store or branch.

Nineteenth pass (classes of Latin-script addresses outside the anglosphere, written from general knowledge, not
from the corpus): administrative areas in lower case inside a capitalised address ("comuna de Maipú", "distrito
de", "jud. Cluj", "alcaldía"), Peru's "Mz. B Lt. 12", Colombian plates with the cross street's side ("1 Sur-50")
and named avenues ("Av. Boyacá # 72-40"), Quito's "N34-120", Mérida's "#491 x 57 y 59", "s/n" and the Balkans'
"bb" where the number goes, Nigeria's "off Allen Avenue" and landmarks, Ghana's GPS code as a weak postcode,
Egypt's "Shareh", Morocco's "Imm." and "Hay", Abidjan's "tranche" and "Ilot", South Africa's "Erf" with a bare
postcode, estates before units ("Villa Los Héroes", "Lot. Al Massira"), Turkish "Mh.", "Blv.", "1204. Sokak",
"Apt. No:45" and glued "D:7 K:3", "120bis", ranges with an en dash, Finnish "-väylä", Czech and Polish street
prepositions ("Na Příkopě 15"), Uruguayan, Romanian and Bulgarian abbreviations ("Bvar.", "Șos.", "bul.",
"vh."), Serbian "stan"; and a flight's number after a flight word is none.

Twenty-second pass (the class of South Asian, Gulf and African addresses written in English, from general knowledge):
the area or town written first ("Kahawa Sukari, Baringo Road, House No. 112, Nairobi", "Jabal Amman, 3rd Circle,
Building 7") after a cue, a person's name or at the line's start (`places_before`, a gazetteer's name or a title is
no place); an address's cue ("deliver to", "ship it to", "send to my home at", "my home is", "location:") lowers the
evidence an address needs, and its parts alone make one when each is an area, a town, a landmark or a lone house
number (`cued_places`: "my address is Westlands, Nairobi"); a residence's unit and two places ("Erf 4567, Mfuleni,
Cape Town"); landmarks with "along", "next to", "behind the mosque", and one closing an address is no trade's name
("..., Lagos, opp. Eko Hotel"); "Bungalow", "Holding", "Al Zahra Building", Ghana's "C45/12", Afrikaans "Straat".

Twenty-sixth pass (the classes of Spanish, Portuguese, Latin American, Central and Eastern European, Turkish, Greek and
Asian and African English addresses, from general knowledge and pass 25's blind misses): Spanish floors and doors after
the number ("nº 7 bajo izq.", "pral. 1ª", "esc. izda.", "escalera izquierda"), a Bulgarian town or postcode closing a
Cyrillic address, a Greek postcode after its town ("Ermou 25, Athina 105 63"), "C.P." and an unhyphenated CEP, Turkish
"1784 sok no 9" and "mah" in lower case, Romanian units typed without full stops, Ecuador's "Cdla.", a numbered
"Purok", a district with a particle on its own line ("Cercado de Lima"), "Address line 2:" and a street's name and
number alone under a label ("Adresa: Vinohradská 1234/56"), a web form's "morada=…&email=…", a Latin-script address
inside Chinese text ("地址 Calle de Cáceres 29, 1º D, 28045 Madrid。"), a year-like house number before " - ap. 32", a
street named after a person under a label ("Rua Damasceno Monteiro"); an order's six digits before a street are no
house number, and "PChome-…" no Japanese chome.

Twenty-seventh pass (local forms of Latin America, Romania, Poland, the Nordic countries, from general knowledge and pass
26's blind misses): a corner of two streets where Venezuelan and Colombian addresses put it ("Av. Libertador con calle
Negrín", "Carrera 7 con calle 32", "Av. Urdaneta esquina Pelota", "esquina com"), a street's name that needs a building
or a unit beside it; a flat's letter in quotation marks ('depto "C"', '5° “D”'); a village's house number with no street
("Sat Cornu de Jos, nr. 214", "satul …", "com. Snagov", "Aldeia da Luz, nº 5"); Polish "m" for a flat without its full
stop ("ul. Długa 5 m 7"); a street with no type word right after a cue, a town after it ("bor på Kirkehøj 8,
Ballerup"), and "adresse er", "adress är", "osoitteeni on" as labels; a reference's word right before the house number
("Ticket #4412 Oak Street lamp") and a weight after it ("Jalan Besar 5 kg") make it none.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from feedbackloop.core.name_cues import ROLE_LABELS
from feedbackloop.core.name_gazetteer import gazetteer
from feedbackloop.core.pii_firms import firm_premises
from feedbackloop.core.pii_refs import names_a_reference

STREET, POBOX, POSTCODE, WEAK_POSTCODE, UNIT, DISTRICT, STREET_NAME = (
    "street", "pobox", "postcode", "weak-postcode", "unit", "district", "street-name")
#: Categories that make a block an address on their own.
STRONG = frozenset({STREET, POBOX, POSTCODE})


def capital(word: str) -> bool:
    """Whether a word is written as a name is: capitalised, or in a script without case (Devanagari,
    Arabic, Hebrew, Thai), whose every word may be a name."""
    first = word[:1]
    return first.isupper() or (first.isalpha() and not first.islower())


def words(text: str) -> frozenset[str]:
    """The white-space separated words of a lexicon written as text."""
    return frozenset(text.split())


def word_tuple(text: str) -> tuple[str, ...]:
    return tuple(text.split())

# --- the lexicon -----------------------------------------------------------------------------------

#: Street-type words written after the street's name: "27 Pukaki Street", "2217 Magnolia Ave".
TYPE_AFTER = words("""
street st str road rd avenue ave av lane ln drive dr crescent cres cr court ct place pl terrace tce terr close cl
way boulevard blvd highway hwy parade pde square sq grove gr gardens gdns park pk row mews wynd walk hill circle cir
trail trl loop parkway pkwy esplanade esp promenade quay cross marg salai nagar path alley aly broadway expressway
expy freeway fwy turnpike tpke pike plaza plz point pt ridge rise vale view green heights hts strand causeway cswy
circuit cct bypass chase glade glen hollow mall meadow meadows wood woods lawn lawns downs manor heath fields dale
crest mount orchard brae croft grange wharf
straat laan rylaan singel
मार्ग रोड
""")
#: Street-type words written before the name (Romance, Slavic, Greek, Hebrew, Vietnamese, Malay...).
TYPE_BEFORE = words("""
calle vía carrer carrera cra avenida avda avd av avinguda rue boulevard bd bld chemin ch allée allee impasse imp
quai route rte cours voie ruelle sentier rua travessa tv largo praça praca alameda estrada rodovia via viale corso
piazza piazzale vicolo strada contrada lungomare paseo pasaje privada prolongación prolongacion cerrada callejón
callejon camino ronda glorieta diagonal transversal calzada circuito andador ulica ul aleja al osiedle os plac pl
ulitsa prospekt pr bulevardul str odos odós rehov derech jalan jl jln lorong lrg đường duong ngõ ngo ngách ngach hẻm
hem phố pho kale kalea soi thanon moo street road avenue r trav estr rod sráid sraid bóthar bothar ascaill
ул улица вул вулиця пр просп проспект пер переулок бул бульвар наб набережная jr jirón jiron triq chaussée
пров провулок пл площа площадь шосе шоссе узвіз vul vulytsia vulitsa vulica prosp prov provulok pereulok ploshcha
ploshchad shosse naberezhna naberezhnaya heol stryd ffordd lôn rhodfa cilgant lána plás céide cearnóg bealach
ardán rathad sràid οδός οδος οδ λεωφόρος λεωφ πλατεία leoforos leof plateia rruga trg
calea aleea splaiul șoseaua soseaua intrarea bulevar булевар булевард boul
شارع רחוב רח׳ דרך שדרות gali गली
shareh sharia shari sharie shar3 share3 sh3 derb zankat zanqa pje psje bvar bv șos sos spl bul nám náměstí namesti nábř
nábřeží tř třída trieda
gg
""")  # (pass 23: Indonesia's "Gg." for gang, an alley, with its full stop: ABBREVIATED)
#: Of TYPE_BEFORE, the words that are also ordinary words or abbreviations: they need a name word
#: before the number ("via DHL" is no street), and an abbreviation needs its full stop ("ul.", "Av.").
#: Of TYPE_BEFORE, the words of countries that number their streets ("Calle 10", "Carrera 43A", "Street 14",
#: "Soi 5"): they may stand right before the number; the others need a name first ("Rue 21" is a shop).
NUMBERED = frozenset({"calle", "carrera", "cra", "street", "road", "avenue", "soi", "moo", "jalan", "jl", "jln",
                      "transversal", "diagonal", "strada", "ulitsa", "gali", "गली"})
#: English words, which are written before a number only in countries that number streets ("Street
#: 23B"): with a name they are something else ("Street Fighter 6").
NUMBER_ONLY = frozenset({"street", "road"})
ABBREVIATED = frozenset({"av", "avd", "ul", "al", "os", "pl", "pr", "str", "ch", "imp", "rte", "tv", "cra", "jl",
                         "jln", "lrg", "bd", "bld", "avda", "r", "trav", "estr", "rod", "ул", "вул", "пр", "просп",
                         "пер", "бул", "наб", "jr", "vul", "prosp", "prov", "пров", "пл", "οδ", "λεωφ", "leof",
                         "boul", "pje", "psje", "bvar", "bv", "șos", "sos", "spl", "bul", "nám", "nábř", "tř", "gg"})  # Québec's "boul. Saint-Laurent"
#: German streets named with a preposition and no suffix ("Am Lindenhof 12a"): capitalised only.
GERMAN_PREPOSITIONS = frozenset({"Am", "An", "Auf", "Im", "Zum", "Zur", "Unter", "Hinter", "Alte", "Neue", "Große",
                                 "Kleine", "Auf der", "An der", "In der",
                                 # and Czech, Slovak and Polish ones ("Na Příkopě 15", "U Nemocnice 2", "Pod Lipami 5")
                                 "Na", "Pod", "Nad", "Za", "U", "K", "Ve", "Przy"})
#: Endings of one-word street names followed by a number ("Hafenstraße 12a", "Nørrebrogade 45").
COMPOUND_ENDINGS = word_tuple("""
straße strasse str. weg gasse platz allee ring damm ufer chaussee steig pfad zeile straat laan gracht plein singel
kade dijk steeg vej gade allé plads vænget gatan vägen gränd torget stigen backen veien vegen gata gate gaten plass
katu tie kuja polku väylä kaari aukio raitti utca útja körút sokak sokağı caddesi bulvarı -ro -gil -daero -dori -dōri -doori vegur stígur
braut way 로 길
""")


#: Endings that English words have too: a street only when capitalised ("Ostring", "Kirkegate").
ENGLISH_LOOKING = ("ring", "gate", "tie", "weg", "ufer", "damm", "kade", "gade", "way")
#: Endings of English compounds, whose number comes first ("88 Queensway", not "Queensway 2", an album).
NUMBER_FIRST_ENDINGS = ("way",)
#: English words with a street ending that are no street ("Anyway 3 of them", "Railway 2").
NOT_COMPOUNDS = words("""
anyway halfway railway subway gateway runway hallway doorway midway someway stairway driveway airway fairway
pathway waterway alleyway archway speedway tramway skyway getaway giveaway takeaway breakaway hideaway layaway
castaway stowaway runaway walkaway norway galway spring offspring string brigade colgate watergate tailgate floodgate
""")


def compound(token: Token) -> bool:
    """A one-word street name ending in a street type ("Hafenstraße", "Teheran-ro"), at least two
    letters before the ending."""
    key = token.lower
    if not key.endswith(COMPOUND_ENDINGS) or not key[:1].isalpha() or key in NOT_COMPOUNDS:
        return False
    if key.endswith(ENGLISH_LOOKING) and not token.word[:1].isupper():
        return False  # "comparing", "navigate": English words with a street ending, unless a proper name
    return any(key.endswith(ending) and len(key) >= len(ending) + 2 and key[:-len(ending)].replace("-", "").isalpha()
               for ending in COMPOUND_ENDINGS)


#: The same endings as words of their own after a name ("Lerchenfelder Straße 88", "Andrássy út 66").
SEPARATE_TYPES = words("""
straße strasse str. weg gasse platz allee ring damm ufer chaussee straat laan gracht plein singel kade vej gade allé
plads gatan vägen gata gate veien vegen utca út körút tér sokak sok. sokağı caddesi cad. cd. bulvarı bulvar katu tie
ulica bulv. cadde u. krt. köz sor fasor sétány rakpart iela gatvė tänav cesta blv. bulv sk.
pr. g. mnt pst prospektas prospekts bulvāris maantee puiestee
al. alėja aleja skg. skersgatvis gatve tn tn. tänav
""")
#: Before a separate "gate"/"ring" these are no street ("boarding gate 14", "onion ring").
NOT_STREET_NAMES = frozenset({"boarding", "departure", "departures", "arrival", "arrivals", "the", "my", "a", "gold",
                              "silver", "onion", "key", "video", "smart", "oura", "door", "garden", "new"})

#: Words that are prose, not part of an address: pronouns, verbs, prepositions that introduce one,
#: greetings, sign-offs, and the words that introduce an order, a ticket or a contact detail, in
#: the languages of the corpus. Lower case.
PROSE = words("""
i i'm im i’m me my mine we our us you your yours he she him her his they them their it it's its this that these
those there here who what which why how when where whom whose is are was were be been being am have has had do does
did done can could would should will shall may might must cannot can't don't doesn't didn't won't isn't wasn't
hasn't haven't please pls plz thanks thank thx ty cheers regards best kind sincerely faithfully hi hello hey dear
hiya howzit morning evening afternoon bye goodbye if but and or so because since until till unless while though
although also just only still already not never yes ok okay sorry to at in on for from with by about into onto over
under via per as than then now today tomorrow yesterday before after during against between send sent ship shipped
shipping deliver delivered delivery
deliveries arrive arrived arrives receive received live lives living lived moved move moving stay staying reach
contact call called calling text write wrote writing change changed update updated confirm confirmed need needs want
wants wanted get got go went left leave bought ordered paid pay charged refund cancel cancelled canceled pick picked
collect collection address addresses addr adresse adres adresa adresim adressen adrässe dirección direccion
domicilio endereço endereco morada indirizzo anschrift leveransadress wohnhaft billing postal mailing home office
work order orders ordernummer pedido commande bestellung bestellnr bestellnummer ordine zamówienie zamowienie
sipariş siparis beställning ordre ticket tickets policy claim invoice ref reference booking tracking case account
apólice apolice contrato pratica smlouvy serial version error item sku product model card iban phone mobile cel celu
cell email e-mail fax whatsapp number ich du wir sie mein meine meiner meinen bei bitte und oder ist bin wohne
wohnen neue neu je j'habite j’habite nous vous mon ma mes notre votre et est suis habite chez pour avec dans yo mi
mis tu tus su sus es soy vivo para con estoy está esta gracias saludos atte atentamente eu meu minha moro na em com
é sou obrigado obrigada abraço io sono mio mia abito grazie ik mijn woon het een op bedankt groetjes jag min mitt
bor på och tack hälsningar mvh jeg mit hos til og tak hilsen venlig jestem mój moj moja mieszkam w dziękuję benim ve
teşekkürler tôi của पता फोन
mea meu sunt locuiesc stau comanda comandă comenzii bună buna mulțumesc multumesc rog
entregar entreguen enviar envíen envien mandar manden
""")  # (pass 26: Romanian's "my", "is", "I live", "order", typed in lower case before and after an address; Spanish's
#    "deliver", "send" opening a sentence before one)
#: Words that may stand in an address's name in lower case within a capitalised text ("Calle de
#: Fuencarral", "Isle of Lewis", "18 bis avenue", "Heol y Deri", "Via dei Mille").
PARTICLES = words("""
de del della delle dei degli di da do dos das du des la le les los las el y e of van von der den ter ten bis
bte bus no nº n° nr nro sur sous upon en al ul st am an im số din lui
""")
#: Articles of Irish, Scottish Gaelic and Welsh street names, after the street word ("Bóthar na Trá",
#: "Heol yr Eglwys", "Sràid nan Gàidheal"): the street's name follows them.
ARTICLES = frozenset({"na", "nan", "an", "y", "yr", "a'"})
#: Month names and their abbreviations: a number before one is a date ("Am Do., 6. März 2025", "le 3 mars").
MONTHS = words("""
january february march april may june july august september october november december jan feb mar apr jun jul aug
sep sept oct nov dec januar jänner februar märz mär mai juni juli oktober okt dezember dez janvier février fevrier
mars avril juin juillet août aout septembre octobre novembre décembre enero febrero marzo abril mayo junio julio
agosto septiembre setiembre octubre noviembre diciembre gennaio febbraio aprile maggio giugno luglio settembre ottobre
dicembre janeiro fevereiro março marco maio junho julho setembro outubro dezembro januari februari maart mei augustus
juli augusti maj stycznia lutego marca kwietnia maja czerwca lipca sierpnia września wrzesnia października
pazdziernika listopada grudnia ledna února března dubna května června července srpna září října listopadu prosince
ocak şubat mart nisan mayıs haziran temmuz ağustos eylül ekim kasım aralık
""")
#: Words an ordinal number with a full stop is written before ("2. Stock", "3. OG", "10. Bezirk", "6. März").
ORDINAL_NOUNS = MONTHS | words("""
stock og eg ug dg etage obergeschoss untergeschoss dachgeschoss hinterhaus vorderhaus hof stiege bezirk sal krs
kerros etasje etg vån våning sal tv th mf
""")
#: Points of the compass after a street's name or a district ("rue Sherbrooke Est", "Roma Nte.").
COMPASS = words("""
north south east west n s e w ne nw se sw nord sud est ouest norte sur oriente poniente nte ote pte ost süd
nord-est nord-ouest sud-est sud-ouest
""")
#: Words that end a number's claim to be a house number ("3 days", "2 times", "5 GB").
NOT_AFTER_NUMBER = words("""
days day times time hours hour hrs minutes mins min weeks week months month years year yrs items item pcs pieces x
gb mb tb kb mah % percent euros euro eur dollars usd gbp pounds people persons adults kids nights
seats seater seaters plazas posti places lugares sitzer sitze zits zitter personas persone personnes
""")
#: Words before a number that make it an identifier or an amount, not a house number.
ID_BEFORE = words("""
order orders ticket tickets invoice ref reference policy claim booking case account version v ver build serial model
error item sku number no. pedido commande bestellung ordine ordre pratica rma
encomenda objednávka objednavka zamówienie tilaus rendelés comanda sipariş поръчка заказ замовлення тапсырыс
""")  # (pass 24: the order's word in more languages: "Luanda\nEncomenda 88213" is no town and postcode)
#: Countries of more than one word.
COUNTRY_PHRASES = frozenset({"united kingdom", "united states", "united states of america", "new zealand",
                             "south africa",
                             "south korea", "republic of korea", "czech republic", "united arab emirates", "hong kong",
                             "saudi arabia", "sri lanka", "costa rica", "puerto rico", "the netherlands",
                             "great britain", "northern ireland", "dominican republic", "el salvador"})
#: Country names as the last line or part of an address (English and their own languages).
COUNTRIES = COUNTRY_PHRASES | words("""
usa us u.s.a. america canada uk england scotland wales ireland éire eire australia zealand germany deutschland
austria österreich osterreich switzerland schweiz suisse svizzera france belgium belgique belgië belgie netherlands
nederland holland spain españa espana portugal italy italia greece ελλάδα poland polska czechia česko cesko slovakia
slovensko hungary magyarország sweden sverige norway norge denmark danmark finland suomi iceland turkey türkiye
turkiye israel uae emirates egypt kenya nigeria ghana africa india pakistan bangladesh singapore malaysia indonesia
philippines thailand vietnam viet japan korea china taiwan mexico méxico brazil brasil argentina chile colombia peru
perú uruguay venezuela luxembourg lux estonia latvia lithuania romania românia bulgaria croatia hrvatska serbia
slovenia uganda tanzania rwanda ethiopia zambia zimbabwe botswana namibia mozambique malawi cameroon senegal
morocco maroc tunisia algeria qatar kuwait bahrain oman jordan lebanon cyprus malta nepal myanmar cambodia laos
mongolia kazakhstan ukraine україна russia россия belarus armenia azerbaijan ecuador bolivia paraguay guatemala
honduras nicaragua panama panamá cuba jamaica bahamas barbados fiji samoa iran iraq afghanistan mauritius
""")

# --- evidence found by patterns --------------------------------------------------------------------

US_STATES = ("AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|"
             "ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR")
#: A town's name: a word of letters, perhaps a second and third one ("Long Beach", "Ciudad de México").
TOWN = r"[^\W\d_][\w'’.-]*(?:[ ](?:(?:de|do|da|del|di|la|le|sur|am|an|der|upon|on)[ ])?[^\W\d_][\w'’.-]*){0,2}"
TOWN_AFTER = r"[ \t]+(?P<town>[^\W\d_][\w'’.-]*)"
#: Pass 21: the two-letter country codes written before a European postcode ("SE-111 51", "SI-1000"), as the
#: second letter with a look behind at the first (the pattern starts at a capital, which sre skips to).
COUNTRY_SECOND = "|".join(f"(?<={code[0]}){code[1]}" for code in (
    "DK", "FI", "EE", "PL", "CZ", "SK", "HU", "RO", "BG", "GR", "HR", "SI", "AT", "CH", "DE", "NL", "BE", "LU", "SE",
    "NO", "UA", "FR", "IT", "ES", "PT", "IS", "IE"))
#: (pattern, category): postcodes of a known shape. Each starts with a digit or a capital, so sre
#: skips from candidate to candidate; the word-led pieces are looked up token by token instead
#: (`token_evidence`), which costs far less than an alternation of words tried at every position.
PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[ABCEGHJ-NPRSTVXY](?<![\w-].)\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d\b"), POSTCODE),  # CA
    (re.compile(r"[abceghj-nprstvxy](?<![\w-].)\d[abceghj-nprstv-z] \d[abceghj-nprstv-z]\d\b"), POSTCODE),
    (re.compile(r"[A-Z](?<![\w-].)(?:IR ?0AA|[A-Z]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b"), POSTCODE),  # UK
    (re.compile(r"[a-z](?<![\w-].)[a-z]?\d[a-z\d]? \d[abd-hjlnp-uw-z]{2}\b"), POSTCODE),
    (re.compile(r"[AC-FHKNPRTV-Y](?<![\w-].)(?:\d{2}|6W) ?[0-9AC-FHKNPRTV-Y]{4}\b"), WEAK_POSTCODE),  # Eircode
    (re.compile(rf"\d(?<![\w-]\d)\d{{3}} ?[A-Z]{{2}}{TOWN_AFTER}"), POSTCODE),  # Dutch 1016 GV Amsterdam
    (re.compile(rf"\d(?<![\w-]\d)\d{{3}}-\d{{3}}(?![\w-]){TOWN_AFTER}"), POSTCODE),  # Portuguese
    # Brazil's CEP: after its label, or with a town or a state before it ("São Paulo - SP, 01304-001"); alone it is
    # as likely a receipt's or an account's number ("receipt #33019-884", "acct 88231-004")
    (re.compile(r"[Cc](?<![\w-].)[Ee][Pp]:?[ ]?\d{5}-\d{3}(?![\w-])"), POSTCODE),
    (re.compile(r"\d(?<![\w-]\d)\d{4}-\d{3}(?![\w-])"), WEAK_POSTCODE),
    (re.compile(rf"\d(?<![\w-]\d)\d-\d{{3}}(?![\w-]){TOWN_AFTER}"), POSTCODE),  # Polish
    # (pass 24: weak alone, "〒150-0002" is a postcode kept by itself; JAPANESE_ADDRESS reads it with the prefecture)
    (re.compile(r"〒[ ]?\d{3}-?\d{4}"), WEAK_POSTCODE),  # Japanese
    # without its mark the same shape is a US phone number's local part ("fax it to 555-0199"): alone, no address
    (re.compile(r"\d(?<=[^\W\d_][ ]\d)\d{2}-\d{4}(?![\w-])"), WEAK_POSTCODE),
    (re.compile(rf"\d(?<![\w-]\d)\d{{2}} \d{{2}}(?![\w-]){TOWN_AFTER}"), POSTCODE),  # SE, CZ, SK, GR
    (re.compile(r"[A-Z](?<![\w-].)\d{4}[A-Z]{3}\b"), POSTCODE),  # Argentine CPA
    # Lithuania's and Latvia's postcodes carry the country's letters ("LT-03150 Vilnius", "Rīga, LV-1012")
    (re.compile(r"L(?<![\w-].)(?:T-\d{5}|V-\d{4})(?![\w-])"), WEAK_POSTCODE),
    (re.compile(r"[Ss](?<![\w-].)\d{6}\b"), WEAK_POSTCODE),  # Singapore "S310012"
    # pass 21: a European country's letters before the postcode, then a capitalised town ("SE-111 51 Stockholm",
    # "SI-1000 Ljubljana", "D-10115 Berlin", "CZ-110 00 Praha 1", "PL-00-514 Warszawa")
    (re.compile(rf"[A-Z](?<![\w-].)(?:(?<=[ABDFILNS])|{COUNTRY_SECOND})-\d{{2,3}}(?:[ -]?\d{{2,3}})(?![\w-])"
                r"[ \t]+(?P<town>[A-ZÀ-ÖØ-ÞĀ-ŽА-ЯΑ-Ω][\w'’.-]*)"), POSTCODE),
    # Ghana's digital address (GhanaPost GPS, "GA-183-8164") beside a house number or a district
    (re.compile(r"[A-Z](?<![\w-].)[A-Z]-\d{3,4}-\d{4}(?![\w-])"), WEAK_POSTCODE),
    # issue 18, pass 26: Mexico's and Spain's "C.P." and Brazil's CEP without its hyphen, before five or eight digits
    # ("col centro cp 76000 queretaro", "C.P. 64060", "CEP 01327001"); Turkey's numbered street typed in lower case,
    # with its house number ("1784 sok no 9", "12 cd. no: 4")
    (re.compile(r"[Cc](?<![\w-].)\.?[Pp]\.?:?[ ]?\d{5}(?![\w-])"), WEAK_POSTCODE),  # (alone, one's town: "CP 69003")
    (re.compile(r"[Cc](?<![\w-].)[Ee][Pp]:?[ ]?\d{8}(?![\w-])"), POSTCODE),
    (re.compile(r"\d(?<![\w-]\d)\d{0,4}\.?[ ](?:sok|sk|sokak|cad|cd|cadde)\.?[ ]no[:.]?[ ]?\d{1,4}(?:/\d{1,3})?(?![\w-])",
                re.IGNORECASE), STREET),
    # issue 18, pass 26: a Greek, Swedish or Czech postcode after its town, after a house number's part, where the
    # address ends ("Ermou 25, Athina 105 63", "Ερμού 25, Αθήνα 105 63")
    (re.compile(r"[A-ZΑ-Ω](?<=\d,[ ].)[a-zà-ÿα-ωά-ώ]{3,}[ ]\d{3}[ ]\d{2}(?=[ \t]*(?:$|[.,;)\n]))"), POSTCODE),
    (re.compile(rf"\d(?<![\w-]\d)\d{{3,5}}(?![\w-]|[.,]\d){TOWN_AFTER}"), WEAK_POSTCODE),  # 1070 Wien
    # issue 18, pass 20: India's PIN glued to its town with a dash ("Delhi-110009", "Pune-411001")
    (re.compile(r"[A-Z](?<![\w-].)[a-z]{2,}[-–][1-8]\d{5}(?![\w-])"), WEAK_POSTCODE),
    # pass 23: Romania's six-digit postcode after its label ("cod poștal 020071", "cod 400114")
    (re.compile(r"[Cc](?<![\w-].)od(?:ul)?[ ]po[sș]tal:?[ ]?\d{6}(?![\w-])"), POSTCODE),
    (re.compile(r"[Cc](?<![\w-].)od:?[ ]\d{6}(?![\w-])"), WEAK_POSTCODE),
    # pass 23: Indonesia's neighbourhood (rukun tetangga) and its ward (rukun warga), numbered, in capitals ("RT 03/RW
    # 05", "RT.002/RW.011", "RT 004 RW 011", "RT/RW 02/07")
    (re.compile(r"R(?<![\w-].)(?:T[ .]?0?\d{1,2}(?:[ ]?[/,]?[ ]?RW[ .]?0?\d{1,2})?|T/RW[ .]?0?\d{1,2}/0?\d{1,2})(?![\w/-])"),
     DISTRICT),
)
#: Japanese and Chinese addresses in their script, unspaced: a prefecture, city or ward word, then block
#: numbers ("東京都渋谷区神宮前3-14-2") or a house number with its counter ("建国路93号"). Found whole
#: and apart from the blocks: their words are not cut by spaces.
CJK_ADDRESS = re.compile(r"[\u4e00-\u9fff\u30a0-\u30ff]{0,12}?[都道府県省市区區县縣町村][\u4e00-\u9fff\u30a0-\u30ff〇]{0,20}?[ ]?"
                         r"[0-9０-９]{1,5}(?:(?:(?:[-－‐]|丁目|番地?|の)[0-9０-９]{1,5}){1,3}[号號]?|[ ]?[号號番巷弄]地?"
                         # then the compound, building, floor and room, each a number and its counter, spaced
                         # or not ("6号院3号楼1402室", "290 巷 12 號 4 樓", "11 樓之 2", "科技生态园 5栋 1702")
                         # (pass 21: a compound's name with Latin letters, "SOHO现代城2号楼", a block's letter, "A座")
                         r"(?:[ ]?(?:[\u4e00-\u9fffA-Za-z]{1,10}?[ ]?)?(?:[A-Za-z]?[0-9０-９]{1,5}[A-Za-z]?|[A-Za-z](?=[室座栋棟幢]))[ ]?"
                         r"(?:号楼|號樓|号院|號院|单元|單元|[号號栋棟楼樓室层層巷弄院座幢])"
                         r"(?:之[ ]?[0-9０-９]{1,3})?)*(?:(?<=[栋棟楼樓座幢元])[ ]?[0-9０-９]{1,5}(?![\d-]))?)")
#: An address in Arabic script: two or more parts, each opening with a street, district, building or flat
#: word (with its house number before it or its number or name after it), then perhaps the town and its
#: postcode ("18 زنقة الأطلس، حي الرياض، الرباط", "شقة 7، مبنى 55، شارع 230، منطقة 25، الدوحة"). The script has
#: no capitals to tell a name by, so the words are the evidence.
#: (Issue 18, pass 20: Persian's and Urdu's words too, in their letters (ی ک گ چ پ ژ, ٹ ڈ ڑ ں ہ ھ ے) and with the
#: half-space Persian writes inside words: "تهران، خیابان ولیعصر، کوچه نادری، پلاک ۱۲، واحد ۳، کد پستی
#: ۱۹۶۷۸۴۵۳۲۱", "مکان نمبر 12، گلی نمبر 4، ماڈل ٹاؤن، لاہور"; a postal code of up to ten digits after its word,
#: a plate's number with a slash, two trailing places, and the town before the first part at a line's start or
#: after a colon.)
ARABIC_KEY = (r"(?:شارع|زنقة|درب|طريق|حي|مبنى|عمارة|بناية|شقة|منطقة|فيلا|منزل|قطعة|طابق|الطابق|مجمع|جادة|بلوك|"
              r"ص\.ب\.?|الدور|دور|ميدان|حارة|زقاق|كمبوند|مربع|شقه|عماره|"
              r"خیابان|کوچه|پلاک|واحد|طبقه|بلوار|میدان|بن‌بست|بن بست|کوی|مجتمع|برج|ساختمان|شهرک|"
              r"مکان|گلی|سڑک|روڈ|محلہ|بلاک|سیکٹر|فیز|فلیٹ|ہاؤس|مکان نمبر)")
ARABIC_WORD = r"[\u0621-\u064a\u0671-\u06d3][\u0621-\u064a\u0671-\u06d3\u200c]*"
ARABIC_LETTER = re.compile(r"[\u0600-\u06ff]")
ARABIC_POSTCODE = r"(?:کد[ \u200c]?پستی|کدپستی|الرمز البريدي|رمز بريدي|پوسٹ کوڈ)[ ]?:?[ ]?\d{3,10}(?!\d)"
ARABIC_PART = (rf"(?:(?:\d{{1,5}}[ ])?{ARABIC_KEY}(?:[ ](?:{ARABIC_WORD}|\d{{1,5}}(?:/\d{{1,4}})?(?![\d/]))){{1,5}}"
               rf"|{ARABIC_POSTCODE})")
#: An address in Cyrillic script: two or more parts, each opening with an abbreviated or written-out marker of a
#: town, street, district, block, entrance, floor, flat or house (Bulgarian, Russian, Serbian, Ukrainian), perhaps
#: after the town alone and before a postcode and town ("гр. Пловдив, ул. „Иван Вазов“ № 31, ет. 3, ап. 9",
#: "Казань, ул. Баумана, д. 19, кв. 44", "Булевар краља Александра 214, стан 7, 11000 Београд"). A street's name
#: may be quoted („…“) and hold lower-case words (a Serbian genitive, "краља"). The town alone opens it only at
#: a line's start or after a colon ("Получатель: Смирнова Ольга Петровна, г. Екатеринбург": not the patronymic).
CYRILLIC_LETTER = re.compile(r"[\u0400-\u04ff]")
CYRILLIC_UPPER = r"[\u0410-\u042f\u0401-\u040f]"
CYRILLIC_WORD = r"[\u0400-\u04ff][\u0400-\u04ff'-]*"
#: What may follow a marker first: a quoted or capitalised name, a number ("ул. Баумана", "д. 19", "вх. Б").
CYRILLIC_FIRST = rf"(?:„[^“”\"\n]{{1,40}}[“”\"]|{CYRILLIC_UPPER}[\u0400-\u04ff'-]*|№[ ]?\d{{1,5}}|\d{{1,5}}[\u0400-\u04ffa-z]?(?:[/-]\d{{1,4}})?)"
CYRILLIC_NAME = rf"(?:{CYRILLIC_FIRST}|{CYRILLIC_WORD})"
CYRILLIC_ABBREVIATED = r"(?:гр|г|с|ул|бул|пл|пр|просп|пер|наб|ж\.к|жк|бл|вх|ет|ап|кв|д|корп|стр|обл|мкр|вул|буд)\.[ ]?"
CYRILLIC_WRITTEN = (r"(?:[Уу]лица|[Бб]улевар|[Бб]улевард|[Пп]роспект|[Пп]ереулок|[Вв]улиця|[Сс]тан|[Кк]вартира|[Дд]ом|"
                    r"[Бб]лок|[Вв]ход|[Ее]таж|[Сс]прат)[ ]")
CYRILLIC_PART = (rf"(?:{CYRILLIC_ABBREVIATED}{CYRILLIC_FIRST}|{CYRILLIC_WRITTEN}{CYRILLIC_NAME}"
                 # issue 18, nineteenth pass: the street's type after its name ("Тверская ул.", "Садова вул.")
                 rf"|{CYRILLIC_UPPER}[\u0400-\u04ff-]+[ ](?:ул|улица|пер|просп|пр-т|бул|наб|ш|шоссе|вул|пров|пр)\.?(?=[ ,]))"
                 rf"(?:[ ]{CYRILLIC_NAME}){{0,4}}")
#: The end of an address in Cyrillic: a postcode and a town, a town alone where the sentence ends ("…, ап. 12,
#: София.", issue 18, pass 26) or a bare postcode ("…, ап. 7, 4000").
CYRILLIC_TOWN_LAST = (rf",[ ]?(?:\d{{4,6}}[ ]{CYRILLIC_UPPER}[\u0400-\u04ff-]+|{CYRILLIC_UPPER}[\u0400-\u04ff-]+"
                      rf"(?:,?[ ]\d{{4,6}})?(?=[ \t]*(?:$|[.;)\n]))|\d{{4,6}}(?![\d\w]))")
CYRILLIC_ADDRESS = re.compile(rf"(?<![\u0400-\u04ff])(?:(?:(?<![^\n])|(?<=: ))(?<!\n\n){CYRILLIC_UPPER}[\u0400-\u04ff-]+,[ ])?"
                              rf"{CYRILLIC_PART}"
                              rf"(?:,[ ]?{CYRILLIC_PART})+(?:{CYRILLIC_TOWN_LAST})?")
ARABIC_ADDRESS = re.compile(rf"(?:(?:(?<![^\n])|(?<=:[ ])|(?<=:)){ARABIC_WORD}[،,][ ]?(?={ARABIC_KEY}))?"
                            rf"{ARABIC_PART}(?:[،,][ ]?{ARABIC_PART})+"
                            # (pass 23: no trailing part that holds "رقم", a number's word: "والطلب رقم 88120")
                            rf"(?:[،,][ ]?(?!(?:{ARABIC_WORD}[ ])?رقم){ARABIC_WORD}(?:[ ]{ARABIC_WORD})?(?:[ ]\d{{1,6}})?(?![\w])){{0,3}}"
                            rf"(?:[،,][ ]?{ARABIC_POSTCODE})?")
#: An address in Thai script: a house number ("88/15"), then two or more parts, each opening with a village,
#: road, lane, subdistrict, district or province word, written out or abbreviated and often glued to its name
#: ("หมู่ 3", "ถนนบางนา-ตราด", "ซ.9", "แขวงคลองจั่น", "อ.เมือง"), then perhaps Bangkok and the postcode
#: ("55/3 ถ.นิมมานเหมินท์ ซ.9 ต.สุเทพ อ.เมือง จ.เชียงใหม่ 50200"). Thai has no capitals and no spaces between
#: words, so the words are the evidence; a number and one such word alone stay (a price, a "หมู่ 3" in prose).
THAI_LETTER = re.compile(r"[\u0e00-\u0e7f]")
THAI_WORD = r"[\u0e00-\u0e7f]+(?:-[\u0e00-\u0e7f]+)?"
THAI_KEY = (r"(?:หมู่บ้าน|หมู่(?:ที่)?|ม\.|ถนน|ถ\.|ซอย|ซ\.|ตำบล|ต\.|อำเภอ|อ\.|จังหวัด|จ\.|แขวง|เขต|อาคาร|ชั้น|"
            r"ห้อง)")
THAI_PART = rf"{THAI_KEY}[ ]?(?:{THAI_WORD}(?:[ ]\d{{1,4}}(?![\d/-]))?|\d{{1,4}}(?![\d/-]))"
#: (Pass 21: with the house-number word before it, "บ้านเลขที่ 45", "เลขที่ 99/1".)
THAI_ADDRESS = re.compile(rf"(?:(?:บ้าน)?เลขที่[ ]?)?(?<![\d/])\d{{1,5}}(?:/\d{{1,4}})?(?:[ ]{THAI_PART}){{2,}}"
                          r"(?:[ ]กรุงเทพ[\u0e00-\u0e7f]*)?(?:[ ]\d{5}(?!\d))?")
#: Vietnamese addresses: a house number ("18", "25/3B") and its street's name, then the ward, district and city.
#: Written in short, each part opens with its marker glued to its name or number: "P." (phường, the ward; "F."
#: in Saigon), "Q." (quận), "H." (huyện), "X." (xã), "TP."/"Tp." (the city) ("18 Tran Hung Dao P.Phan Chu Trinh
#: Q.Hoan Kiem HN", "45 Le Loi, P.Ben Nghe, Q.1, TP.HCM"): two such parts are needed. Written without markers,
#: the parts are bare names and the last one is a city of Vietnam ("112 Võ Nguyên Giáp, Phước Mỹ, Sơn Trà, Đà
#: Nẵng"), two places or more after the street.
VN_UPPER = "A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴẤẦẨẪẬẮẰẲẴẶẾỀỂỄỆỐỒỔỖỘỚỜỞỠỢỨỪỬỮỰ"
VN_NAME = rf"[{VN_UPPER}][^\W\d_]*(?:[ ][{VN_UPPER}][^\W\d_]*){{0,4}}"
VN_HOUSE = r"(?<![\w/.,-])\d{1,5}[A-Za-z]?(?:/\d{1,4}[A-Za-z]?)*"
VN_PART = rf"(?:P|Q|F|H|X|TP|Tp)\.[ ]?(?:{VN_NAME}|\d{{1,2}}(?!\d))"
VN_CITIES = (r"(?:Hà Nội|Ha Noi|Hanoi|Hồ Chí Minh|Ho Chi Minh|TP\.? ?HCM|HCMC|Sài Gòn|Saigon|Đà Nẵng|Da Nang|Danang|"
             r"Hải Phòng|Hai Phong|Cần Thơ|Can Tho|Huế|Hue|Nha Trang|Đà Lạt|Da Lat|Vũng Tàu|Vung Tau|Biên Hòa|"
             r"Bien Hoa|Hạ Long|Ha Long|Hội An|Hoi An|Quy Nhơn|Quy Nhon|Vinh|Buôn Ma Thuột|Thủ Đức|Bình Dương|"
             r"Đồng Nai|Khánh Hòa|Quảng Ninh|Lâm Đồng)")
VN_HINT = re.compile(rf"\b(?:P|Q|F|H|X|TP|Tp)\.[ ]?[{VN_UPPER}0-9]|{VN_CITIES}")
VN_ADDRESS = re.compile(rf"{VN_HOUSE}[ ]{VN_NAME}(?:(?:,?[ ]{VN_PART}){{2,}}(?:,?[ ](?:HN|HCM|SG|ĐN|DN)(?!\w))?|"
                        rf"(?:,[ ]{VN_NAME}){{1,3}},[ ]{VN_CITIES}(?!\w))")
#: Issue 18, nineteenth pass: addresses in their own scripts as natives write them.
#: Japanese: a postcode after 〒 and/or a prefecture, the city, ward and district, the block numbers (丁目, 番地, 号 or
#: dashes), then perhaps the building and its room ("〒154-0024 東京都世田谷区三軒茶屋2-14-7 ハイツ三茶302").
JP_CHARS = "\u4e00-\u9fff\u3005\u3041-\u3096\u30a1-\u30fcヶ"
JP_PREFECTURE = r"(?:東京都|北海道|京都府|大阪府|[\u4e00-\u9fff]{2,3}県)"
JP_BLOCKS = (r"[0-9０-９]{1,5}(?:(?:(?:[-－‐−ー]|丁目|番地?|号|の|条[東西南北]?|線)[0-9０-９]{1,5}){1,3}(?:号|番地?|丁目)?"
             r"|番地|号|番)")  # (one number alone is no block: "東京都で3日間")
#: Pass 23: the chōme, ban and gō written in kanji numerals, as addresses are in vertical or formal writing
#: ("梅田三丁目一番一号", "三軒茶屋二丁目十一番三号"): the chōme is what makes the numbers a block.
KANJI_NUMBER = "[一二三四五六七八九十百〇]{1,4}"
CHOME = re.compile(f"{KANJI_NUMBER}丁目")
JAPANESE_KANJI_ADDRESS = re.compile(
    rf"(?:{JP_PREFECTURE}|(?<![{JP_CHARS}])[{JP_CHARS}]{{1,5}}[市区])[{JP_CHARS}]{{0,24}}?{KANJI_NUMBER}丁目"
    rf"(?:{KANJI_NUMBER}番地?(?:{KANJI_NUMBER}号)?)?")
JAPANESE_ADDRESS = re.compile(
    rf"(?:〒[ ]?[0-9０-９]{{3}}[-－]?[0-9０-９]{{4}}[ 　]?(?:{JP_PREFECTURE})?|{JP_PREFECTURE}"
    rf"|(?<![{JP_CHARS}])[{JP_CHARS}]{{1,5}}市)"
    rf"[{JP_CHARS}]{{1,24}}?[ 　]?{JP_BLOCKS}"
    rf"(?:[ 　]?[{JP_CHARS}A-Za-zＡ-Ｚ]{{1,16}}[ 　]?[0-9０-９]{{1,4}}(?:号室|号|室|階|Ｆ|F)?(?![0-9０-９])){{0,2}}"
    # (issue 18, pass 21: a building with a number in its name, "楓第2ビル 4F", or with none, "六本木ヒルズ森タワー")
    rf"(?:[ 　]?(?![\u3041-\u3096])[{JP_CHARS}A-Za-zＡ-Ｚ]{{0,14}}(?:ビル|タワー|マンション|ハイツ|コーポ|レジデンス|アパート|ヒルズ|荘|館)"
    rf"(?:[ 　]?[0-9０-９]{{1,4}}(?:号室|号|室|階|Ｆ|F))?)?")
#: Korean: the province or metropolis, the city, county or ward, perhaps the town or district, then the road
#: (로, 길) and the building's number, or the district and the lot (번지), then perhaps the block (동) and flat (호)
#: ("서울특별시 마포구 월드컵북로21길 8, 301호", "경기도 성남시 분당구 정자동 178-1").
KO_REGION = (r"(?:서울|부산|대구|인천|광주|대전|울산|세종|경기|강원|충북|충남|충청북|충청남|전북|전남|전라북|전라남|경북|경남|경상북|"
             r"경상남|제주)[\uac00-\ud7a3]{0,5}")
KOREAN_ADDRESS = re.compile(
    rf"(?:{KO_REGION}[ ])?[\uac00-\ud7a3]{{1,6}}(?:시|군|구)[ ](?:[\uac00-\ud7a3]{{1,6}}구[ ])?"
    r"(?:[\uac00-\ud7a3]{1,6}(?:읍|면)[ ])?"
    r"(?:[\uac00-\ud7a30-9]{1,12}(?:로|길)[ ]?[0-9]{1,5}(?:-[0-9]{1,5})?(?:번길[ ]?[0-9]{1,5})?"
    r"|[\uac00-\ud7a30-9]{1,8}(?:동|리|가)[ ]?[0-9]{1,5}(?:-[0-9]{1,5})?(?:번지)?)"
    r"(?:,?[ ]?(?:[\uac00-\ud7a3A-Za-z]{1,12}[ ])?(?:[0-9]{1,5}동[ ]?)?(?:[0-9]{1,5}층[ ]?)?[0-9]{1,5}호)?")
#: Russian and Ukrainian: the town (perhaps after its postcode and "г."/"м."), then one or more marked parts
#: ("Москва, ул. Ленина 5-12", "620014, Екатеринбург, ул. Малышева, д. 51"), after a colon or at a line's start.
CYRILLIC_TOWN_FIRST = re.compile(
    rf"(?:(?<![^\n])|(?<=:[ ]))(?:\d{{5,6}},[ ]?)?(?:(?:г|м)\.[ ]?)?{CYRILLIC_UPPER}[\u0400-\u04ff-]+,[ ]"
    rf"{CYRILLIC_PART}(?:,[ ]?(?:{CYRILLIC_PART}|\d{{1,5}}(?:[-/]\d{{1,4}})?))*(?:,[ ]?\d{{5,6}}(?!\d))?")
#: Greek: a street (perhaps after οδός or Λεωφ.), its number, then the postcode (ΤΚ, "546 30") and the town
#: ("Ερμού 47, 10563 Αθήνα", "Λεωφ. Κηφισίας 120, ΤΚ 115 26 Μαρούσι"), or the street word, name and number.
GREEK_CAP = "[\u0391-\u03a9\u0386\u0388-\u038f][\u0370-\u03ff]+"
GREEK_STREET_WORD = r"(?:[Οο]δός|[Οο]δού|[Οο]δ\.|[Λλ]εωφ\.|[Λλ]εωφόρος|[Λλ]εωφόρου|[Ππ]λατεία|[Ππ]λ\.)"
GREEK_POSTCODE_TOWN = rf",?[ ]?(?:Τ\.?Κ\.?:?[ ]?)?[0-9]{{3}}[ ]?[0-9]{{2}},?[ ]{GREEK_CAP}(?:[ ]{GREEK_CAP})?"
#: Issue 18, pass 26: the town before its postcode ("Ερμού 25, Αθήνα 105 63").
GREEK_TOWN_POSTCODE = rf",[ ]?{GREEK_CAP}(?:[ ]{GREEK_CAP})?,?[ ](?:Τ\.?Κ\.?:?[ ]?)?[0-9]{{3}}[ ]?[0-9]{{2}}(?![0-9])"
GREEK_ADDRESS = re.compile(
    rf"{GREEK_STREET_WORD}[ ]{GREEK_CAP}(?:[ ]{GREEK_CAP}){{0,3}}[ ][0-9]{{1,4}}[Α-Ωα-ωA-Za-z]?(?:{GREEK_POSTCODE_TOWN})?"
    rf"|{GREEK_CAP}(?:[ ]{GREEK_CAP}){{0,3}}[ ][0-9]{{1,4}}[Α-Ωα-ωA-Za-z]?(?:{GREEK_POSTCODE_TOWN}|{GREEK_TOWN_POSTCODE})")
#: Hebrew: a street word (רחוב, רח', שדרות, דרך), the street's name and number, perhaps the flat, floor or
#: entrance, then perhaps the town ("רחוב הנרקיסים 9 דירה 4, כפר סבא", "רח' הרצל 15, חולון").
HEBREW_WORD = "[\u05d0-\u05ea][\u05d0-\u05ea'׳\"״-]*"
HEBREW_ADDRESS = re.compile(
    rf"(?:רחוב|רח'|רח׳|שדרות|שד'|שד׳|דרך|סמטת|סמ'|ברחוב)[ ]{HEBREW_WORD}(?:[ ]{HEBREW_WORD}){{0,3}}[ ][0-9]{{1,4}}[א-ת]?"
    rf"(?:[ ,]+(?:דירה|דירת|ד'|קומה|כניסה|מיקוד)[ ][0-9]{{1,7}})*"
    rf"(?:,[ ]?{HEBREW_WORD}(?:[ ]{HEBREW_WORD})?(?=[ \t]*(?:[.,;:\n)]|$|[0-9])))?(?:[ ,]+[0-9]{{5,7}}(?![0-9]))?")
#: Vietnamese written out: a house number (after "số"), perhaps the lane or street word, the street, then two or
#: more parts of which one opens with a ward, district or city word ("Số 27 ngõ 112 Láng Hạ, Phường Láng Hạ, Quận
#: Đống Đa, Hà Nội", "25 Nguyen Trai, Phuong 3, Quan 5, TP HCM").
VN_WORD = rf"[{VN_UPPER}][^\W\d_]*"
VN_MARKER = (r"(?:Phường|phường|Quận|quận|Huyện|huyện|Xã|xã|Thị trấn|Thị xã|Thành phố|Tỉnh|tỉnh|TP\.?|Tp\.?|Phuong|"
             r"phuong|Quan|quan|Huyen|huyen|Xa|Tinh|Thanh pho|Khu phố|KP\.?|Ấp|Thôn|Tổ)")
#: (Pass 21: or a short marker glued to its name, "TP.HCM", "Q.1", "P.Bến Nghé".)
VN_SPELLED_PART = rf"(?:(?:TP|Tp|Q|P)\.(?:{VN_WORD}(?:[ ]{VN_WORD}){{0,3}}|[0-9]{{1,2}}(?![0-9]))|{VN_MARKER}[ ](?:{VN_WORD}(?:[ ]{VN_WORD}){{0,3}}|[0-9]{{1,2}}(?![0-9]))|{VN_WORD}(?:[ ]{VN_WORD}){{0,3}})"
VN_SPELLED = re.compile(
    rf"(?:(?:[Ss]ố(?:[ ]nhà)?|[Ss]o(?:[ ]nha)?|[Nn]hà)[ ])?(?<![\w/.,-])[0-9]{{1,5}}[A-Za-z]?(?:/[0-9]{{1,4}}[A-Za-z]?)*,?[ ]"  # (pass 23: "Số nhà 8, hẻm 120")
    rf"(?:(?:[Đđ]ường|[Dd]uong|[Nn]gõ|[Nn]go|[Nn]gách|[Hh]ẻm|[Hh]em|[Kk]iệt|[Pp]hố)[ ](?:[0-9]{{1,4}}[ ])?)?"
    rf"{VN_WORD}(?:[ ]{VN_WORD}){{0,4}}(?:,[ ]?{VN_SPELLED_PART}){{0,3}},[ ]?{VN_MARKER}[ ]"
    rf"(?:{VN_WORD}(?:[ ]{VN_WORD}){{0,3}}|[0-9]{{1,2}}(?![0-9]))(?:,[ ]?{VN_SPELLED_PART}){{0,3}}")
#: Pass 23: a ward or commune, then its district and its city or province, with no house ("Phường Bến Nghé, Quận 1,
#: Thành phố Hồ Chí Minh", "Phường Dịch Vọng Hậu, Quận Cầu Giấy, Hà Nội"): where someone lives, down to the ward.
VN_WARD = r"(?:Phường|phường|Phuong|phuong|Xã|xã|Thị trấn|thị trấn)"
VN_NAMED = rf"(?:{VN_WORD}(?:[ ]{VN_WORD}){{0,3}}|[0-9]{{1,2}}(?![0-9]))"
VN_WARD_FIRST = re.compile(
    rf"(?<!\w){VN_WARD}[ ]?{VN_NAMED}(?:,[ ]?{VN_MARKER}[ ]?{VN_NAMED}(?:(?:,[ ]?{VN_MARKER}[ ]?{VN_NAMED}){{1,2}}"
    rf"|,[ ]?{VN_CITIES}))")
#: Indic scripts: from a house, lane, sector, village or ward word to a postal code on the same line ("मकान नं.
#: 112, गली नं. 4, शास्त्री नगर, मेरठ 250004", "বাড়ি ১২, রোড ৫, ধানমন্ডি, ঢাকা ১২০৫").
INDIC_ADDRESS = re.compile(
    r"(?:(?<![^\s,:])[0-9০-৯]{1,5}[A-Za-z]?(?:/[0-9]{1,4})?,?[ ])?(?:[^\s,:।0-9]+[ ]){0,2}"
    r"(?:रोड|मार्ग|नगर|कॉलोनी|अपार्टमेंट|सोसाइटी|तहसील|जिला|ज़िला|पोस्ट|थाना|মকান|উপজেলা|জেলা|থানা|পোস্ট|"
    r"மாவட்டம்|அஞ்சல்|"
    r"मकान|फ्लैट|फ़्लैट|हाउस|प्लॉट|प्लाट|गली|सेक्टर|ब्लॉक|वार्ड|ग्राम|गाँव|गांव|मोहल्ला|कॉलोनी|"
    r"বাড়ি|বাসা|ফ্ল্যাট|রোড|সড়ক|গ্রাম|ব্লক|সেক্টর|"
    r"கதவு|வீடு|தெரு|சாலை|நகர்|கிராமம்|வீதி|ஒழுங்கை|மாவத்தை)[^\n]{0,90}?,[^\n]{0,40}?[ ,]"
    # a PIN of six digits, or Bangladesh's postcode of four (not a year: 19.., 20..). `redact.find_pii` reads every
    # script's digits as ASCII ones (`plain_digits`), so "১২০৫" is "1205" here.
    # (pass 20: or Colombo's district number, "கொழும்பு 06", Sri Lanka's Tamil "road" வீதி and "lane" ஒழுங்கை)
    r"(?:[0-9০-৯]{6}|(?![1১][9৯]|[2২][0০])[0-9০-৯]{4}|(?<=கொழும்பு[ ])[0-9]{1,2})(?![0-9০-৯])")
#: Issue 18, pass 20: Amharic: the kebele, the woreda, the sub-city and the house's number, each a word and its number
#: or name, then the town ("ቀበሌ 07፣ ወረዳ 03፣ ቦሌ ክፍለ ከተማ፣ የቤት ቁጥር 1234፣ አዲስ አበባ").
ETHIOPIC_WORD = "[\u1200-\u135a]+"
ETHIOPIC_KEY = r"(?:ቀበሌ|ወረዳ|ክፍለ[ ]ከተማ|ክ/ከተማ|ክ/ከ|የቤት[ ]ቁጥር|የቤት[ ]ቁ\.|ቤት[ ]ቁጥር|ዞን|ቀጠና|መንደር)"
ETHIOPIC_PART = (rf"(?:(?:{ETHIOPIC_WORD}[ ])?{ETHIOPIC_KEY}(?:[ ]?:?[ ]?(?:\d{{1,5}}(?:/\d{{1,4}})?|{ETHIOPIC_WORD}))?"
                 rf"|\d{{1,5}}[ ]{ETHIOPIC_KEY})")
ETHIOPIC_ADDRESS = re.compile(rf"{ETHIOPIC_PART}(?:[,፣][ ]?{ETHIOPIC_PART})+(?:[,፣][ ]?{ETHIOPIC_WORD}(?:[ ]{ETHIOPIC_WORD})?)?")
#: Pass 21: a post office box in Arabic script, alone, then perhaps its town and postcode ("ص.ب ١٢٣٤٥ الرياض ١١٤٤٣",
#: "صندوق بريد 4521، دبي").
ARABIC_BOX = re.compile(rf"(?:ص\.[ ]?ب\.?|صندوق[ ]بريد|صندوق[ ]البريد)[ ]?:?[ ]?\d{{1,6}}(?!\d)"
                        rf"(?:[،,]?[ ]?{ARABIC_WORD}(?:[ ]{ARABIC_WORD})?(?:[ ]\d{{4,6}}(?!\d))?)?")
SCRIPT_ADDRESSES = (
    (re.compile("[\u3040-\u30ff〒]|東京都|北海道|京都府|大阪府|[\u4e00-\u9fff]県"), JAPANESE_ADDRESS), (re.compile("[\uac00-\ud7a3]"), KOREAN_ADDRESS),
    (re.compile("[\u0370-\u03ff]"), GREEK_ADDRESS), (CYRILLIC_LETTER, CYRILLIC_TOWN_FIRST), (re.compile("[\u05d0-\u05ea]"), HEBREW_ADDRESS),
    (re.compile("[ỜờƯưĐđẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặỆệỊịỌọỘộỚớỞởỢợỤụỦủỨứỪừỬửỮữỰự]|Phuong|Quan"), VN_SPELLED),
    (re.compile("[\u0900-\u0bff]"), INDIC_ADDRESS), (re.compile("[\u1200-\u135a]"), ETHIOPIC_ADDRESS),
    (ARABIC_LETTER, ARABIC_BOX),
)
#: Word-led pieces, looked up by `token_evidence`: a word (lower case, without its full stop) and
#: what must follow it.
UNIT_MARKERS = words("""
flat apt apartment apartamento appartement app appt apto unit suite ste room rm level lvl floor villa plot lot blk
block bldg building piso puerta pta depto dpto departamento int interno scala piano bus bte stiege stg top tür lgh
lok lokal daire kat étage etage bât bâtiment batiment esc escalera andar sala casa lote manzana mz office ofc door
dept kv kw cj conj korp entrance entr escalier eingang portal portail klatka wejście wejscie vchod opgang oppgang
uppgång trappe porta bloc tower torre wing hse bajo ático atico entlo entresuelo pral кв квартира корп
phòng phong tầng căn tòa toà lô оф офіс офис під'їзд подъезд fflat árasán arasan diamerisma διαμέρισμα quadra qd
blok lantai oficina ofic dto house makan मकान फ्लैट प्लॉट ब्लॉक boîte boite
imm immeuble h/no h.no hno lane ilot îlot erf stan ulaz qtr qtrs
bungalow holding duplex kothi
bloco
""")  # (pass 23: Brazil's "bloco 2 apto 104")
FLOOR_WORDS = words("""
floor fl étage etage piso andar kat stock og sal tv th mf izda izq izqda izquierda dcha dch der derecha esq dto ezk
esk eskuin ezkerra sx dx verdieping vån våning etasje krs kerros em emelet ajtó tr trappor trappa orofos
όροφος οροφος поверх пов этаж эт etg
""")
#: Pass 21: a floor named by a word before "floor" ("ground floor", "first floor", "top floor").
FLOOR_ORDINALS = words("ground first second third fourth fifth sixth top upper lower mezzanine basement")
#: The side of a floor, after it ("2. Stock links", "3e étage gauche", "3. etg. venstre", "2º piso derecha").
SIDES = words("""
links rechts li re mitte gauche droite g d izquierda derecha izq izda dcha centro sinistra destra sx dx esquerdo
direito esq dto venstre høyre hoyre høire tv th mf left right
""")
#: Words after a building's name ("Sunny Heights", "Sai Krupa Apartments") and before one ("Edificio Torres").
BUILDING_AFTER = words("""
apartments apartment apts residency residence residences heights homes tower towers mansion mansions court
condominium condo condos villas estate complex chambers lodge enclave gardens plaza अपार्टमेंट टावर
villa bhawan bhavan niwas nivas sadan manzil kunj kutir nilayam
building bldg chs society
""")
BUILDING_BEFORE = words("""
edificio edifício torre résidence residencial conjunto urbanización urb condominio bloco bloque immeuble wohnanlage
edif habitacional
perum perumahan komplek kompleks condomínio
""")  # (pass 23: Indonesia's housing estates, "Perum Griya Asri Blok C5 No. 9")
DISTRICT_WORDS = words("""
col colonia brgy barangay fracc fraccionamiento mah mahalle mahallesi mh phường phuong quận quan huyện huyen tp bairro
barrio sector sektor district dist distt nagar layout colony tehsil taluk kelurahan kel kecamatan kec vila jardim
cbd región region provincia prov county wilaya subdivision subd village vill tambon amphoe khet khwaeng ward
area xã thôn ấp tỉnh नगर कॉलोनी सेक्टर मोहल्ला mohalla cité quartier lotissement
comuna distrito alcaldía alcaldia delegación delegacion municipio localidad población poblacion urbanización
urbanizacion asentamiento jud județul judetul sectorul zh.k zhk ilçe ilce commune arrondissement hay woreda kebele
alc mpio lga sub-city subcity
purok sitio cdla ciudadela
sat satul com
""")  # (pass 27: a Romanian village and its commune, "Sat Moara Vlăsiei, nr. 112, com. Snagov")
#: Of DISTRICT_WORDS, the words of an administrative area that stand in lower case inside a capitalised address
#: ("comuna de Maipú", "distrito de Miraflores", "jud. Cluj", "sector 2", "alcaldía Cuauhtémoc", "quartier
#: Maârif"): address words, and a district where a name follows them, perhaps after a particle.
ADMIN_LOWER = words("""
comuna distrito alcaldía alcaldia delegación delegacion municipio localidad colonia barrio bairro jud județul
judetul sector sectorul ilçe ilce quartier commune arrondissement urb urbanización urbanizacion fracc
fraccionamiento población poblacion zh.k zhk cité
district
mah mahalle mahallesi
sat satul com
""")  # pass 22: "Al Rawdah district", "Olaya district"
#: Of DISTRICT_WORDS, words that are ordinary words of a language in lower case (Spanish "hay", "there is"): a
#: district only capitalised ("Hay Riad", "Hay Mohammadi", Morocco's quarters).
DISTRICT_CAPITAL_ONLY = frozenset({"hay"})
#: District words written after their name in South Asia and elsewhere ("Model Town", "Johar Town",
#: "Shastri Nagar", "Defence Colony", "Vasant Vihar"), taken with the capitalised word before them. A
#: town's name ends its part ("Model Town, Lahore") or goes on with the district's extension ("Model
#: Town Ext."), not "Cape Town 8001" (the town of a postcode).
NAMED_DISTRICTS = words("town colony nagar vihar enclave bagh ganj puram nagara gra")  # Nigeria's "Ikeja GRA"
DISTRICT_PARTS = words("ext extn extension phase block sector")


DISTRICT_SUFFIXES = frozenset({"gu", "ku", "shi", "si", "dong", "cho", "chō", "machi", "gun", "eup", "myeon", "ri",
                               "ward", "ken"})
STAGES = frozenset({"stage", "phase", "sector", "zone", "block", "cross", "main", "tranche",  # Abidjan's "8e tranche"
                    "area", "district", "circle", "settlement", "community"})  # pass 24: "8th area", "Community 11"
#: PO boxes: the word before the number, and words that come before "box"/"bag" or after a first word.
BOX_WORDS = frozenset({"postfach", "apartado", "casilla", "postbus", "postboks", "pmb", "bp", "cp", "postilokero"})
BOX_PAIRS = frozenset({("caixa", "postal"), ("cx", "postal"), ("skrytka", "pocztowa"), ("boîte", "postale"),
                       ("casella", "postale"), ("apartado", "postal"), ("post", "box"), ("p.o", "box"), ("po", "box"),
                       ("gpo", "box"), ("locked", "bag"), ("private", "bag"), ("postal", "box"), ("office", "box"),
                       # pass 23: Greek's Ταχυδρομική Θυρίδα ("Ταχ. Θυρίδα 1234") and Turkish's posta kutusu
                       ("ταχ", "θυρίδα"), ("ταχυδρομική", "θυρίδα"), ("posta", "kutusu")})
BOX_BEFORE = frozenset({"o", "po", "p.o", "p.o.", "post", "postal", "gpo", "office"})  # "P. O. Box", "Post Office Box"
BOX_FILLERS = frozenset({"de", "correos", "correo", "postal", "postale", "no", "#", "nr"})
US_STATE_CODES = frozenset(US_STATES.split("|"))
AU_STATES = frozenset({"nsw", "vic", "qld", "sa", "wa", "tas", "nt", "act"})
#: US states and Canadian provinces, which may be written in lower case before the postcode.
REGION_CODES = US_STATE_CODES | frozenset({"ON", "QC", "BC", "AB", "MB", "SK", "NS", "NB", "NL", "PE", "YT", "NT", "NU"})
#: "3", "4B", "12-08", "13-D", "B-12", "bl. B2".
UNIT_ID = re.compile(r"#?\d{1,5}[a-z]?(?:[/-](?:\d{1,5}[a-z]?|[a-z])){0,3}|[A-Z]{1,2}[-/]\d{1,5}[A-Z]?|[A-Z]\d{0,3}|"
                     r"[A-Z]{1,2}\d{1,4}[A-Z]?/\d{1,4}",  # pass 22: Ghana's "H/No. C45/12"
                     re.IGNORECASE)
FLOOR_NUMBER = re.compile(r"\d{1,2}(?:st|nd|rd|th|er|e|ème|os|ος|ο|η|o|a|-й|-а|-ий)?\.?[ºª°]?\.?", re.IGNORECASE)
#: Floors written as a word alone in their segment, perhaps with a side ("bajo", "st. th.", "EG links",
#: "r/c esq", "fszt."): the ground floor, a basement, a mezzanine, an attic.
FLOOR_ALONE = words("""
bajo bj ático atico entlo entresuelo pral sótano sotano r/c rdc rez-de-chaussée rez-de-chaussee eg ug dg
hochparterre souterrain parterre st kl fszt fsz földszint isogeio ισόγειο térreo terreo sobreloja cobertura
""")
#: Of FLOOR_ALONE, abbreviations that are English words or street types too: Danish "st." and "kl." in lower
#: case with their full stop ("st. th.", not "St"), German and French ones in capitals ("EG", not "eg").
FLOOR_ALONE_DOTTED = frozenset({"st", "kl"})
FLOOR_ALONE_UPPER = frozenset({"eg", "ug", "dg", "rdc"})
#: A Hungarian floor and door after the house number ("Király utca 12. II/4.").
FLOOR_DOOR = re.compile(r"[IVX]{1,4}/\d{1,3}")


def roman_floor(token: Token, following: Token | None) -> bool:
    """Pass 23: a floor in Roman numerals before its word, as Hungarian addresses write it ("Pozsonyi út 38. III. em.
    4.", "II. emelet")."""
    return following is not None and following.lower in FLOOR_WORDS and ROMAN.fullmatch(token.word) is not None


#: Words before a town in Ukrainian and Russian addresses ("м. Львів", "г. Москва", "смт Ворохта").
TOWN_MARKS = frozenset({"м", "г", "с", "смт", "пгт", "гор", "пос", "місто", "город", "село", "селище",
                        "gr", "grad", "mun", "oraș", "oras"})  # Bulgarian "gr. Plovdiv", Romanian "mun. Cluj"
BOX_NUMBER = re.compile(r"[Xx]?\d{1,6}(?:-\d{3,5})?")  # "Private Bag X9" too
ZIP = re.compile(r"\d{5}(?:-\d{4})?")
#: Units with an abbreviation that needs its full stop or colon ("m. 15", "D:8", Romanian "bl. A, sc. 2,
#: et. 4, ap. 12").
DOTTED_UNITS = frozenset({"m", "d", "bl", "sc", "et", "ap", "д", "of", "lt", "vh", "k", "as", "hsz", "fsz", "fszt"})  # Peru's "Lt. 12", "vh. B"
#: Units written with a colon before their number ("D: 8", "Daire: 3", "Kat: 2", "Apt: 4B").
COLON_UNITS = frozenset({"d", "daire", "kat", "apt", "flat", "unit", "blok", "no", "k", "cep", "cp", "c.p", "cpa"})
#: A number glued to its mark ("No:45", "Nº12"), after a unit word; a unit glued to its number by a colon, as
#: Turkish addresses write the flat and the floor ("D:7", "K:3", "Kat:2", "Daire:12").
MARKED_NUMBER = re.compile(r"(?:no|nr|n[º°])[.:]?\d{1,5}[a-z]?", re.IGNORECASE)
GLUED_UNIT = re.compile(r"(?:D|K|Kat|Daire|Blok|Dp|Apt|Apto|Ap):\d{1,4}[A-Z]?")
#: A Korean building or flat number ("101-dong 1203-ho", "101동 1203호") and a Korean district word.
KOREAN_UNIT = re.compile(r"\d{1,5}-?(?:ho|호|동)", re.IGNORECASE)
HANGUL_DISTRICT = re.compile(r"[\uac00-\ud7a3]+(?<=[\uac00-\ud7a3]{2})(?:구|동|시|군|읍|면)")
#: Every word `token_evidence` looks up: any other word without a digit after it is skipped at once.
WORD_KEYS = (UNIT_MARKERS | FLOOR_WORDS | BUILDING_AFTER | BUILDING_BEFORE | DISTRICT_WORDS | STAGES | BOX_WORDS |
             AU_STATES | DOTTED_UNITS | NAMED_DISTRICTS | {"box", "chome"} | FLOOR_ALONE | TOWN_MARKS |
             FLOOR_ORDINALS | {pair[0] + dot for pair in BOX_PAIRS for dot in ("", ".")})  # (pass 23: "Ταχ. Θυρίδα")
UNIT_HASH = re.compile(r"#\d{1,4}(?:-\d{1,4})?")
DIGITS_4_7 = re.compile(r"\d{4,7}")
#: A cheap look for at least one of the pieces above or a street word; the rest of the text skips.
NUMBER = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class Evidence:
    start: int
    end: int
    category: str


# --- tokens, segments, chunks ----------------------------------------------------------------------

TOKEN = re.compile(r"[^\s,;()\[\]«»“”\"`،，。；、！？（）]+")  # "،": the Arabic comma; pass 26: Chinese and Japanese marks
#: Issue 18, pass 26: a web form's query string ("…&morada=Rua X, 14, 1170-112 Lisboa&email=…"): its "&" before the
#: next field's name parts tokens as a comma does (the address ends there), looked for only where one is written.
FORM_FIELD = re.compile(r"&[A-Za-z_][\w.-]{0,30}=")
FORM_TOKEN = re.compile(r"(?:[^\s,;()\[\]«»“”\"`،，。；、！？（）&]|&(?![A-Za-z_][\w.-]{0,30}=))+")
#: Issue 18, pass 26: the full-width marks of Chinese and Japanese text, which end a Latin-script address written
#: inside it as a full stop or a comma does ("地址 Calle de Cáceres 29, 1º D, 28045 Madrid。订单号 …"); the words of
#: those scripts around it are the sentence's, not the address's (their addresses are CJK_ADDRESS's and
#: JAPANESE_ADDRESS's).
HAN_OR_KANA = re.compile("[\u3040-\u30ff\u4e00-\u9fff]")
CJK_STOPS = frozenset("。！？")
CJK_COMMAS = frozenset("，；、")
#: Quotes end an address: none is written inside one, and prose quotes several in a row.
QUOTE_IN = re.compile("[\"“”«»`]")
#: Abbreviations whose full stop ends no sentence ("Av. Insurgentes", "Col. Roma", "ul. Marszałkowska").
ABBREVIATIONS = words("""
av ave avda avd st rd dr ln blvd ct pl no nr n col brgy fracc mah sok cad cd ul al jl jln apt app appt apto int bât
bd ch tp sr sra mr mrs ms mt ft prof esq izq izda dcha dpto depto pta sc lgh m lok co p q r c ste bldg blk fl rm lvl
dist distt urb kel kec prov e w s o tv th mf sal ezk esk gen lt col. em kv kw cj conj korp d bl sc et ap bulv nte
ote pte ул вул пр просп пер бул наб д кв корп jr of
sen pres gov capt maj sgt hon rev fr sta sto mgr msgr brig adm vul prosp prov пров пл м г с смт οδ λεωφ leof kl
fszt u krt dto ofic ext नं boul
mz jud imm vh edo mpio pje psje mh blv sk alc mun res cond qd jd pq bvar bv sos șos spl bul lot edif ed hsz etg nám
nábř tř gr
jend letjen mayjen brigjen laksda marsda kol kh hj
opp h.no hno teh vill dt mkt apts
govt hosp stn sch
gg ταχ fraz loc
esc pral entlo bj izqda dch cdla
com
""")  # (pass 20: South Asia's "opp.", "H.No.", "Teh.", "Vill.", "Dt.", "Mkt.", "Apts."; pass 23: "Gg.", "Ταχ. Θυρίδα")
#: A postcode, a town and its district letter ("2100 København Ø", "8000 Aarhus C").
DISTRICT_LETTER = re.compile(r"\b\d{4} [^\W\d_]+ [A-ZÆØÅ]$")
HARD_DASHES = frozenset({"—", "–", "--", "---"})
SOFT_DASHES = frozenset({"-", "/"})
DASHES = HARD_DASHES | SOFT_DASHES


@dataclass(slots=True)
class Token:
    start: int
    end: int
    word: str  # the text without its trailing punctuation
    lower: str
    colon: bool = False  # a colon follows ("Address:", "Total:"), the end of a label


def tokens_of(text: str) -> list[Token]:
    found: list[Token] = []
    pattern = FORM_TOKEN if "=" in text and FORM_FIELD.search(text) is not None else TOKEN
    for match in pattern.finditer(text):
        start = match.start()
        raw = match.group()
        if raw == ":" and found:
            found[-1].colon = True  # French "Adresse : ...": the label's colon after a space
            continue
        word = raw.rstrip(".:!?'’।։۔") or raw  # "—", "-": punctuation only; "।": the Devanagari full stop
        found.append(Token(start, start + len(word), word, word.lower(), ":" in raw[len(word):]))
    return found


def break_after(text: str, token: Token, following: Token | None) -> str:
    """'' when nothing separates `token` from the next one, ',' for a segment break, '.' for a hard one."""
    if following is None:
        return "."
    if following.start == token.end + 1 and text[token.end] == " " and following.word not in DASHES and \
            token.word not in HARD_DASHES:
        return ""  # one space: most gaps
    gap = text[token.end:following.start]
    if following.word in HARD_DASHES or token.word in HARD_DASHES:
        return "."
    if gap.count("\n") >= 2 or (QUOTE_IN.search(gap) and not quoted_unit(text, token) and
                                not quoted_unit(text, following)) or not CJK_STOPS.isdisjoint(gap):
        return "."
    stop = gap.lstrip(":'’)]")  # "(nr 41 ipv 14). ik woon op": a bracket closed before the full stop
    if stop[:1] in "!?।։۔":
        return "."
    if stop[:1] == ".":
        if stop[1:2] in (",", ";"):
            return ","  # "Col. Roma Nte., Cuauhtémoc": a comma after the full stop, which ends an abbreviation
        if len(token.word) == 1 and DISTRICT_LETTER.search(text, max(0, token.start - 40), token.end):
            return "."  # "8000 Aarhus C. Depositum": a Danish postcode's district letter ends the address
        if token.lower.rstrip(".") in ABBREVIATIONS or token.lower in ABBREVIATED or \
                (len(token.word) == 1 and not token.word.isdigit()) or \
                (ROMAN.fullmatch(token.word) and following.lower in FLOOR_WORDS) or \
                "." in token.word or (token.word[-1:].isdigit() and len(token.word) <= 3 and ordinal_before(following)) or \
                (token.word.isdigit() and len(token.word) == 4 and following.lower in SEPARATE_TYPES) or \
                following.word[:1].isdigit():
            return "," if "\n" in gap else ""
        return "."
    if "," in gap or ";" in gap or "\n" in gap or "،" in gap or "&" in gap or not CJK_COMMAS.isdisjoint(gap) or \
            ("(" in gap and aside_landmark(following)):
        return ","  # (pass 23: "Dubai (near Al Barsha Mall, back gate)": the landmark in brackets is a part)
    if following.word in SOFT_DASHES and "\n" not in gap:
        return ","
    return ""


#: Issue 18, pass 27: a flat's or a floor's letter or number in quotation marks after its word, as Argentine and other
#: addresses write it ('depto "C"', '5° “D”', 'dpto. «A»', 'Flat "2B"'): part of the address, not a quotation.
QUOTED_UNIT = re.compile(r"(?<=[\w.°ºª][ ])[\"“”«»]([A-Za-z]|\d{1,3}[A-Za-z]?)[\"“”«»]")


def quoted_unit(text: str, token: Token) -> bool:
    """Whether `token` is a flat's or a floor's id in quotation marks right after a word (QUOTED_UNIT)."""
    return token.start > 0 and QUOTED_UNIT.fullmatch(text, token.start - 1, token.end + 1) is not None


def aside_landmark(following: Token) -> bool:
    """Pass 23: whether a bracket's first word opens a landmark ("(near …", "(opp. …", "(landmark: …")."""
    return following.lower in LANDMARK_LINKS or following.lower == "landmark"


def ordinal_before(following: Token) -> bool:
    """Whether a number with a full stop is an ordinal of the word that follows ("2. Stock", "3. tv.",
    "6. März") and not a sentence's last word ("mi tlf 612 44 87 20. Calle de Alcalá", "Praha 10. Objednávka")."""
    key = following.lower.rstrip(".")
    return not following.word[:1].isupper() or key in ORDINAL_NOUNS or key in SEPARATE_TYPES or \
        key + "." in SEPARATE_TYPES or FLOOR_DOOR.fullmatch(following.word) is not None or \
        ROMAN.fullmatch(following.word) is not None  # (pass 23: "38. III. em. 4.", a Hungarian floor)
    # "123. Sokak", "12. II/4." (but "… 87 20. Calle de Alcalá" ends a sentence)


def soft_dash(text: str, tokens: list[Token], index: int) -> bool:
    """Whether the en dash tokens[index] parts an address as " - " does ("apto 82 – Vila Mariana, São Paulo
    – SP", as Brazilian addresses are typeset): between a capitalised word or a number and another, on one
    line; between prose words it ends a sentence ("Lost bag – file 7721")."""
    if not 0 < index < len(tokens) - 1:
        return False
    before, after = tokens[index - 1], tokens[index + 1]
    if text[before.end:after.start] != " – ":
        return False
    return all((t.word[:1].isupper() or t.word[:1].isdigit()) and t.lower not in PROSE for t in (before, after))


@dataclass(slots=True)
class Segment:
    tokens: list[Token]
    newline_before: bool  # the break before it is a line break


def chunks_of(text: str, tokens: list[Token]) -> list[list[Segment]]:
    """Sentences (or address blocks) as lists of segments."""
    chunks: list[list[Segment]] = []
    segments: list[Segment] = []
    current: list[Token] = []
    newline = False
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if token.word in SOFT_DASHES or (token.word == "–" and soft_dash(text, tokens, index)):
            continue
        if token.word not in HARD_DASHES:
            current.append(token)
        kind = break_after(text, token, following)
        if kind == "." and following is not None and following.word == "–" and soft_dash(text, tokens, index + 1):
            kind = ","
        if kind and current:
            segments.append(Segment(current, newline))
            current = []
        if kind:
            newline = following is not None and "\n" in text[token.end:following.start]
        if kind == "." and segments:
            chunks.append(segments)
            segments = []
    if current:
        segments.append(Segment(current, newline))
    if segments:
        chunks.append(segments)
    return chunks


# --- street evidence from tokens -------------------------------------------------------------------

#: The marks of a house number written as a word before it ("nr 12", "no. 5", "nº 7").
NUMBER_WORDS = frozenset({"nr", "no", "nº", "n°", "núm", "num"})
HOUSE_NUMBER = re.compile(r"(?:(?:no|nr|n[º°o])[.:]?)?\d{1,5}(?:[a-z]|bis|ter)?"
                          r"(?:[/–-](?:\d{1,5}[a-z]?|[a-z]{1,2}|[ivx]{3,4}|bis|ter)){0,3}",
                          re.IGNORECASE)
#: Places in a market, a fair or a station ("Stall 42, Ridley Road Market", "Stand 12, Hall 3"): a number
#: after one is no house number, even before a street's name.
MARKET_PLACES = frozenset({"stall", "stand", "booth", "kiosk", "pitch", "gate", "platform", "berth"})
UNIT_WORDS = frozenset({"flat", "apt", "apartment", "unit", "suite", "ste", "room", "level", "floor", "villa", "plot",
                        "lot", "blk", "block", "bldg", "building", "piso", "apto", "app", "appt", "int", "interno",
                        "bus", "bte", "lgh", "daire", "kat", "tower", "door", "office"}) | MARKET_PLACES
NUMBER_MARK = frozenset({"no", "no.", "no:", "nr", "nr.", "nº", "n°", "n.º", "#", "núm", "núm.", "num", "д", "дом",
                         "nro", "número", "numero",  # pass 25: Argentina's "calle 7 nro 1234", Brazil's "número 40"
                         "буд", "số", "so", "नं", "नंबर"})  # "ул. Тверская, д. 7"
ORDINAL = re.compile(r"\d{1,3}(?:st|nd|rd|th|e|er|ème|º|ª)", re.IGNORECASE)
ROMAN = re.compile(r"[IVX]{1,4}")
JAPANESE_BLOCK = re.compile(r"\d{1,4}-\d{1,4}-\d{1,4}")


STREET_KEYS = TYPE_BEFORE | TYPE_AFTER | SEPARATE_TYPES | {t.rstrip(".") for t in SEPARATE_TYPES}


#: A date written with slashes and its year ("02/09/1981"): the shape of a house number with its flat, but never one.
SLASHED_DATE = re.compile(r"\d{1,2}/\d{1,2}/(?:19|20)\d\d")


#: Quito's house numbers: the side of the city's axis, the cross street's number and the distance ("N34-120",
#: "Oe3-45", "E5-23").
QUITO_NUMBER = re.compile(r"(?:N|S|E|Oe|OE)\d{1,3}[A-Z]?-\d{1,4}[A-Z]?")


def is_house_number(token: Token) -> bool:
    first = token.word[:1]
    return ((first.isdigit() or first in "nN") and HOUSE_NUMBER.fullmatch(token.word) is not None
            and SLASHED_DATE.fullmatch(token.word) is None) or QUITO_NUMBER.fullmatch(token.word) is not None


#: A particle glued to a name ("Chaussée d'Ixelles", "Via dell'Orso", "Triq il-Kbira", "Sharia al-Azhar").
ELIDED = re.compile(r"(?:d|l|dell|dall|all|nell|sull|il|al|el|an|ar|as|ad|at|az|ash|ul|is)['’-]([^\W\d_])", re.IGNORECASE)


def elided(token: Token, lower_text: bool) -> bool:
    match = ELIDED.match(token.word)
    return match is not None and (lower_text or match.group(1).isupper())


def is_name_word(token: Token, lower_text: bool) -> bool:
    """A word that may stand in a street's name."""
    if HAN_OR_KANA.search(token.word) is not None:
        return False  # pass 26: a Chinese or Japanese word beside a Latin-script address is the sentence's
    if token.lower in PARTICLES or elided(token, lower_text):
        return True  # "Rue du Marché" ("du" is also German prose)
    if (token.lower in PROSE or token.lower in ID_BEFORE) and not ROMAN.fullmatch(token.word):
        return False
    first = token.word[:1]
    if ROMAN.fullmatch(token.word):
        return True  # "Corso Umberto I", "Molino III"
    if first.isdigit():
        return ORDINAL.fullmatch(token.word) is not None
    if not first.isalpha():
        return False
    return lower_text or not first.islower() or token.lower in PARTICLES


#: Issue 18, pass 26: Spanish and Portuguese parts of a building named by their side, not a number ("escalera
#: izquierda", "esc. dcha.", "puerta izda.").
SIDED_UNITS = frozenset({"escalera", "esc", "puerta", "pta", "portal", "bloque", "escada", "entrada"})
#: Issue 18, pass 26: Romanian block, staircase, floor and flat, typed in a chat without their full stops.
UNDOTTED_UNITS = frozenset({"bl", "sc", "et", "ap"})


def undotted_unit(tokens: Sequence[Token], index: int, lower_text: bool) -> bool:
    """A DOTTED_UNITS word without its full stop in lower-case text, right after another part's number ("str florilor
    nr 12 bl a3 sc 2 et 4 ap 15"): the number before it says the run is an address's."""
    return lower_text and index > 0 and tokens[index].lower in UNDOTTED_UNITS and \
        any(c.isdigit() for c in tokens[index - 1].word)


#: Issue 18, pass 27: Polish street types, whose addresses write the flat as "m" (mieszkanie) after the house number.
POLISH_TYPES = frozenset({"ul", "al", "os", "pl", "ulica", "aleja", "osiedle", "plac"})


def polish_flat(tokens: Sequence[Token], index: int) -> bool:
    """Polish "m" for mieszkanie without its full stop, between the house's number and the flat's, a few words after
    a street type ("ul. Długa 5 m 7", "os. Tysiąclecia 12 m 45"; not "5 m 7 cm")."""
    if tokens[index].word != "m" or not 1 < index < len(tokens) - 1:
        return False
    house, flat = tokens[index - 1], tokens[index + 1]
    return house.word[:1].isdigit() and is_house_number(house) and flat.word.isdigit() and len(flat.word) <= 4 and \
        any(t.lower.rstrip(".") in POLISH_TYPES for t in tokens[max(0, index - 5):index - 1])


def brazilian_flat(tokens: Sequence[Token], index: int) -> bool:
    """Pass 23: Brazil's "ap" for apartamento, in lower case without its full stop, between the house's number and the
    flat's ("Rua Oscar Freire 1020 ap 81", "1840 ap 52 - Vila Mariana")."""
    return tokens[index].word == "ap" and 0 < index < len(tokens) - 1 and tokens[index - 1].word.isdigit() and \
        tokens[index + 1].word.isdigit() and len(tokens[index + 1].word) <= 4


def type_before(token: Token) -> bool:
    word = token.lower.rstrip(".")
    if word not in TYPE_BEFORE:
        return token.lower == "c/" or token.word in GERMAN_PREPOSITIONS
    if word in ABBREVIATED:
        return token.word.endswith(".") or token.lower + "." == token.lower  # "Av." (its full stop kept below)
    return True


def undotted_type(tokens: list[Token], index: int) -> bool:
    """Issue 18, pass 26: an abbreviated street type typed without its full stop, as chats write it, where one or two
    name words and a number's mark follow ("str florilor nr 12", "ul dluga nr 10"): the mark says it is a street."""
    if tokens[index].lower not in ABBREVIATED or tokens[index].lower not in TYPE_BEFORE or \
            not tokens[index].word.islower():
        return False  # (in lower case only: "Al Boraq n° 7" is a train)
    return any(t.lower.rstrip(".:") in NUMBER_WORDS for t in tokens[index + 2:index + 4])


def streets(text: str, tokens: list[Token], lower_text: bool) -> Iterator[Evidence]:
    """STREET and STREET_NAME evidence: a number next to a street-type word, in every order."""
    count = len(tokens)
    for index, token in enumerate(tokens):
        lower = token.lower.rstrip(".")
        if not (token.word[:1].isdigit() or lower in STREET_KEYS or token.word in GERMAN_PREPOSITIONS or
                token.lower == "c/" or compound(token) or lower in GRID_TYPES):
            continue  # no street piece starts with this word
        if lower in GRID_TYPES:
            plate = grid_plate(text, tokens, index)
            if plate is not None:
                yield Evidence(token.start, tokens[plate].end, STREET)  # "Carrera 15 # 93-47", "Cl. 100 # 19-61"
                continue
        if is_house_number(token) and token.word[:1].isdigit():
            if not plausible_number(text, tokens, index):
                continue
            yield from number_first(text, tokens, index, lower_text)
            if JAPANESE_BLOCK.fullmatch(token.word) and index + 1 < count and \
                    is_name_word(tokens[index + 1], lower_text) and same_segment(text, token, tokens[index + 1]):
                yield Evidence(token.start, tokens[index + 1].end, STREET)
            continue
        if type_before(token) or abbreviated_type(text, token) or undotted_type(tokens, index):
            found = type_then_number(text, tokens, index, lower_text)
            crossing = corner(text, tokens, index, lower_text)
            if crossing is not None:
                # "Av. Libertador con calle Negrín", "Carrera 7 con calle 32": a street's name (a corner is also where
                # an accident was)
                yield Evidence(token.start, tokens[crossing].end, STREET_NAME)
            if found is not None:
                yield found
            if found is not None or crossing is not None:
                continue
            if lower in CELTIC_TYPES and capital(token.word):
                name_end = celtic_name(text, tokens, index, lower_text)
                if name_end is not None:
                    yield Evidence(token.start, tokens[name_end].end, STREET_NAME)  # "Bóthar na Trá"
                    continue
            if lower not in TYPE_AFTER and not separate_type(text, token):
                continue  # (but "Savanorių pr. 118-24": "pr." is Lithuanian's type after the name)
        if (compound(token) and not token.lower.endswith(NUMBER_FIRST_ENDINGS)) or (separate_type(text, token) and index and \
                (is_name_word(tokens[index - 1], lower_text) or numbered_street(text, tokens[index - 1])) and \
                tokens[index - 1].lower not in NOT_STREET_NAMES \
                and same_segment(text, tokens[index - 1], token)):
            number = number_after(text, tokens, index)
            if number is not None:
                start = tokens[index - 1].start if not compound(token) and index else token.start
                if index >= 2 and not compound(token) and INITIAL.fullmatch(text, tokens[index - 2].start, start):
                    start = tokens[index - 2].start  # pass 21: a person's initial before the name, "Kr. Valdemāra iela 33"
                yield Evidence(start, tokens[number].end, STREET)
                continue
        if lower in TYPE_AFTER and index and (lower_text or capital(token.word)):
            # "Najda Street": a street's name without a number
            names = 0
            at = index - 1
            while at >= 0 and names < 3 and is_name_word(tokens[at], lower_text) and \
                    not tokens[at].word[:1].isdigit() and same_segment(text, tokens[at], tokens[at + 1]):
                names += 1
                at -= 1
            after = tokens[index + 1] if index + 1 < count and same_segment(text, token, tokens[index + 1]) else None
            if after is not None and after.word[:1].isupper() and after.lower not in UNIT_MARKERS:
                continue  # "Dr. Birgit Kühn", "St. Mary": a title or a saint before a name
            if names:
                # "Herzl St 12", "Baker Street 221B" (not "Highland Park 12", a whisky)
                number = number_after(text, tokens, index) if lower in NAME_TYPE_NUMBER else None
                if number is not None and not year_then_words(text, tokens, number):
                    yield Evidence(tokens[at + 1].start, tokens[number].end, STREET)
                else:
                    yield Evidence(tokens[at + 1].start, token.end, STREET_NAME)


#: Pass 21: the abbreviated first name of the person a Baltic or Central European street is named after, and the
#: space before the name ("K. Barona iela", "Kr. Valdemāra iela", "J. Basanavičiaus g.").
INITIAL = re.compile(r"[A-ZĀ-Ž][a-zā-ž]?\.[ ]")


#: Irish, Scottish Gaelic and Welsh street types, written before the name: their streets often have no number
#: ("Bóthar na Trá", "Heol y Coed"), so the type and a name that fills its segment are a street's name.
CELTIC_TYPES = words("""
bóthar bothar sráid sraid ascaill lána plás céide cearnóg bealach ardán rathad sràid heol stryd ffordd lôn rhodfa
cilgant
""")


def celtic_name(text: str, tokens: list[Token], index: int, lower_text: bool) -> int | None:
    """The index of the last word of the name after the Celtic street type tokens[index], when one to four name
    words (articles too) fill the rest of its segment; None otherwise."""
    at = index
    while at + 1 < len(tokens) and at - index < 4 and same_segment(text, tokens[at], tokens[at + 1]) and (
            tokens[at + 1].lower in ARTICLES or is_name_word(tokens[at + 1], lower_text)) and \
            not tokens[at + 1].word[:1].isdigit():
        at += 1
    return at if at > index and segment_end(text, tokens, at) and tokens[at].lower not in ARTICLES else None


#: Colombian street types and their abbreviations: the address is the street's number, "#" and the
#: cross street's number and the distance from it ("Carrera 15 # 93-47", "Cl. 100 # 19-61", "Av. Cra. 30 #
#: 45-03", "Kr 15 No. 93-47"), a shape nothing else is written in.
GRID_TYPES = words("""
calle cl cll carrera cra cr kr kra avenida av ak ac transversal tv tr trans diagonal dg circular cq
""")
GRID_AMBIGUOUS = frozenset({"cr", "av", "ak", "ac", "tv", "tr", "trans", "cq"})
GRID_NUMBER = re.compile(r"\d{1,3}[a-z]?(?:bis)?", re.IGNORECASE)
GRID_PLATE = re.compile(r"#?\d{1,3}[a-z]?-\d{1,3}[a-z]?", re.IGNORECASE)
GRID_MARKS = frozenset({"#", "no", "nº", "n°", "n", "número", "numero", "num"})


def grid_plate(text: str, tokens: list[Token], index: int) -> int | None:
    """The index of the "93-47" of a Colombian address starting at tokens[index] ("Carrera 15 # 93-47"), if it is one."""
    token = tokens[index]
    if token.lower in GRID_AMBIGUOUS and not (token.word[:1].isupper() or text[token.end:token.end + 1] == "."):
        return None  # "the tv 12 # 3-4": an abbreviation that is also a word needs its capital or full stop
    at = index + 1
    if at < len(tokens) and tokens[at].lower.rstrip(".") in GRID_TYPES:
        at += 1  # "Av. Cra. 30"
    named = 0
    dotted = token.lower not in GRID_AMBIGUOUS or text[token.end:token.end + 1] == "."
    while dotted and at < len(tokens) and named < 3 and tokens[at].word[:1].isupper() and tokens[at].word.isalpha() and \
            tokens[at].lower not in GRID_MARKS:
        at += 1  # a named avenue: "Av. Boyacá # 72-40", "Av. Ciudad de Cali No. 10-51" (the mark is needed then)
        named += 1
        if at < len(tokens) and tokens[at].lower in PARTICLES and tokens[at].lower not in GRID_MARKS:
            at += 1
    if at >= len(tokens) or not (named or GRID_NUMBER.fullmatch(tokens[at].word)):
        return None
    at += 0 if named else 1
    while at < len(tokens) and (tokens[at].lower in ("bis", "sur", "este") or
                                (len(tokens[at].word) == 1 and tokens[at].word.isalpha())):
        at += 1  # "Calle 45 Bis A # 23-18"
    if at < len(tokens) and tokens[at].lower in GRID_MARKS and tokens[at].word != "N":
        at += 1
    if at >= len(tokens) or (tokens[at].word[:1] != "#" and tokens[at - 1].lower not in GRID_MARKS):
        return None
    if not GRID_PLATE.fullmatch(tokens[at].word):
        split = split_plate(tokens, at)  # "No. 1 Sur-50", "# 1 Sur - 100": the cross street's side between
        if split is None:
            return None
        at = split
    if any(not same_segment(text, tokens[k - 1], tokens[k]) for k in range(index + 1, at + 1)):
        return None
    return at


#: The distance of a Colombian plate after the cross street's number and its side ("Sur-50", "-50").
PLATE_TAIL = re.compile(r"(?:sur|este|norte|oeste|bis|[a-z])?-\d{1,3}[a-z]?", re.IGNORECASE)
PLATE_SIDES = frozenset({"sur", "este", "norte", "oeste", "bis"})


def split_plate(tokens: list[Token], at: int) -> int | None:
    """The index of the plate's last token when its cross street's number stands apart from the distance
    ("1 Sur-50", "1 Sur - 100", "93 - 47"), else None."""
    if not GRID_NUMBER.fullmatch(tokens[at].word.lstrip("#")):
        return None
    rest = [t.word for t in tokens[at + 1:at + 4]]
    if rest[:1] and PLATE_TAIL.fullmatch(rest[0]) and (rest[0][:1] == "-" or rest[0].split("-")[0].lower() in PLATE_SIDES):
        return at + 1
    if rest[:2] and rest[0] == "-" and GRID_NUMBER.fullmatch(rest[1]):
        return at + 2
    if len(rest) == 3 and rest[0].lower() in PLATE_SIDES and rest[1] == "-" and GRID_NUMBER.fullmatch(rest[2]):
        return at + 3
    return None


def numbered_street(text: str, token: Token) -> bool:
    """A number with its full stop before a street type: the street's name ("123. Sokak", "2. Cadde")."""
    return token.word.isdigit() and len(token.word) <= 4 and text[token.end:token.end + 1] == "."


def separate_type(text: str, token: Token) -> bool:
    """A street type written as a word after the name ("Lerchenfelder Straße"), an abbreviation with
    its full stop, which the token left out ("Bağdat Cad.", "Moda Sok.")."""
    return token.lower in SEPARATE_TYPES or (token.lower + "." in SEPARATE_TYPES and
                                             text[token.end:token.end + 1] == ".")


def abbreviated_type(text: str, token: Token) -> bool:
    """"Av." "ul." "al.": an abbreviation whose full stop the token left out."""
    return token.lower in ABBREVIATED and text[token.end:token.end + 1] == "."


def same_segment(text: str, left: Token, right: Token) -> bool:
    gap = text[left.end:right.start]
    if ":" in gap and left.lower not in NUMBER_MARK and left.lower not in COLON_UNITS:
        return False  # "Employer: ..." (but "No: 214", "D: 8", "Daire: 3")
    return "," not in gap and ";" not in gap and "\n" not in gap and "،" not in gap


def plausible_number(text: str, tokens: list[Token], index: int) -> bool:
    """A number that is not an amount, an identifier, a time or a quantity."""
    token = tokens[index]
    before = text[max(0, token.start - 2):token.start]
    if any(c in before for c in "$€£¥₹₦#") and not hashed_house(tokens, index):
        return False
    if before[-1:] in ".,:" and before[-2:-1].isdigit():
        return False
    after = text[token.end:token.end + 2]
    if (after[:1] and after[:1] in ":%") or (after[:1] in ".," and after[1:2].isdigit()):  # ":" of "" at the end
        return False
    if index and tokens[index - 1].lower.rstrip(".:#") in ID_BEFORE:
        return False
    return not (index + 1 < len(tokens) and (tokens[index + 1].lower in NOT_AFTER_NUMBER or date_after(text, tokens, index)))


#: Issue 18, pass 20: the words Pakistan writes "#" after for the house's or the street's number ("House # 23,
#: Street # 7, F-8/3").
HASHED_WORDS = frozenset({"street", "st", "road", "rd", "lane", "gali", "house", "h", "plot", "flat", "block", "sector"})


def hashed_house(tokens: list[Token], index: int) -> bool:
    """Whether tokens[index] follows "#" after a street's or a house's word ("Street # 7")."""
    return index >= 2 and tokens[index - 1].word == "#" and tokens[index - 2].lower.rstrip(".") in HASHED_WORDS


def date_after(text: str, tokens: list[Token], index: int) -> bool:
    """A month after the number, and after the month a year, the end of the segment or a word in lower
    case ("6. März 2025", "le 3 mars dernier"; not "5 May Street", "15 Jan Smuts Ave")."""
    month = tokens[index + 1]
    if month.lower.rstrip(".") not in MONTHS:
        return False
    if index + 2 >= len(tokens) or not same_segment(text, month, tokens[index + 2]):
        return True
    following = tokens[index + 2]
    return following.word[:1].isdigit() or (following.word[:1].islower() and following.lower not in STREET_KEYS)


def number_first(text: str, tokens: list[Token], index: int, lower_text: bool) -> Iterator[Evidence]:
    """"27 Pukaki Street", "12, 3rd Cross", "12 rue des Tanneurs", "18 bis avenue Jean Jaurès"."""
    start = tokens[index].start
    at = index + 1
    if at < len(tokens) and not same_segment(text, tokens[index], tokens[at]) and (
            "," not in text[tokens[index].end:tokens[at].start] or (index and tokens[index - 1].lower in UNIT_WORDS)):
        return  # "12, 3rd Cross" is one street; "Unit 4, Brent Cross" is not
    if at < len(tokens) and tokens[at].lower in ("bis", "ter", "a", "b"):
        at += 1
    if at < len(tokens) and (type_before(tokens[at]) or abbreviated_type(text, tokens[at])) and \
            tokens[at].word not in GERMAN_PREPOSITIONS:  # (pass 23: and Québec's "4520, boul. Saint-Laurent")
        name = at + 2 if at + 2 < len(tokens) and tokens[at + 1].lower in ARTICLES else at + 1  # "3 Bóthar na Trá"
        if name < len(tokens) and (is_name_word(tokens[name], lower_text) or tokens[name].word[:1].isdigit()):
            yield Evidence(start, tokens[name].end, STREET)
        return
    names = 0
    while at < len(tokens) and names <= 4:
        token = tokens[at]
        if names and not same_segment(text, tokens[at - 1], token):
            return
        lower = token.lower.rstrip(".")
        if names and (lower in TYPE_AFTER or compound(token)) and \
                (lower_text or token.word[:1].isupper() or token.word.isupper() or lower in ("st", "rd", "ave", "dr")):
            yield Evidence(start, token.end, STREET)
            return
        if not names and compound(token) and ("-" in token.word or segment_end(text, tokens, at)):
            yield Evidence(start, token.end, STREET)  # "25 Teheran-ro"; "45 Protearylaan," "88 Queensway,"
            return
        if not is_name_word(token, lower_text) and not (len(token.word) == 1 and token.word.isupper()):
            return
        names += 1
        at += 1


def segment_end(text: str, tokens: list[Token], index: int) -> bool:
    """Whether tokens[index] is the last of its segment (a comma, a line break or the text's end follows)."""
    return index + 1 == len(tokens) or not same_segment(text, tokens[index], tokens[index + 1])


def number_after(text: str, tokens: list[Token], index: int) -> int | None:
    """The index of the house number right after tokens[index] ("No: 214" too), if there is one."""
    at = index + 1
    if at < len(tokens) and tokens[at].lower in NUMBER_MARK:
        at += 1
    if at < len(tokens) and ((is_house_number(tokens[at]) and tokens[at].lower[:1] in "0123456789n") or
                             tokens[at].word in NO_NUMBER or QUITO_NUMBER.fullmatch(tokens[at].word)):
        gap = text[tokens[at - 1].end:tokens[at].start]
        if "\n" not in gap and gap.count(",") <= 1 and plausible_number(text, tokens, at):
            return at
    return None


#: "Without a number" in the former Yugoslavia's languages and in Spanish and Portuguese, written where the house
#: number goes ("Bulevar Mihajla Pupina bb", "Ilica bb, 10000 Zagreb", "Calle Hidalgo s/n", "Rua B, s/n").
NO_NUMBER = frozenset({"bb", "b.b", "BB", "s/n", "S/N", "s/nº", "S/Nº"})
BB = re.compile(r"(?<=\w )(?:bb|b\.b\.|BB)(?!\w)|(?<=[\w,] )[sS]/[nN]")
YEAR = re.compile(r"(?:19|20)\d\d")
DATE_NAME_LINKS = frozenset({"de", "del", "do", "da", "di"})
#: The street types after a name that may also stand before the house number ("Herzl St 12").
NAME_TYPE_NUMBER = frozenset({"street", "st", "road", "rd", "avenue", "ave", "lane", "ln", "boulevard", "blvd"})


def year_then_words(text: str, tokens: list[Token], index: int) -> bool:
    """A year that is not followed by more of an address after a comma or a line break ("Corso Italia
    2024 promo", a quoted "Corso Italia 2024"): no house number."""
    if not YEAR.fullmatch(tokens[index].word):
        return False
    if index + 1 >= len(tokens):
        return True
    gap = text[tokens[index].end:tokens[index + 1].start]
    following = tokens[index + 1]
    if following.word in DASHES and index + 2 < len(tokens):
        gap, following = text[following.end:tokens[index + 2].start], tokens[index + 2]
    if gap.strip() in DASHES and is_unit_word(following):
        return False  # pass 26: "R. Treze de Maio, 1947 - ap. 32": a Brazilian address's parts after " - "
    return same_segment(text, tokens[index], tokens[index + 1]) or QUOTE_IN.search(gap) is not None


def is_unit_word(token: Token) -> bool:
    """A flat's, a floor's or a building's word ("ap.", "apto", "bloco", "casa")."""
    key = token.lower.rstrip(".")
    return key in UNIT_MARKERS or key in DOTTED_UNITS


#: Street types of languages that name a street with a noun in the genitive, in lower case, right after the
#: type ("Bulevar oslobođenja 77", "Ulica kralja Tomislava 5", "Calea victoriei 12").
GENITIVE_TYPES = frozenset({"bulevar", "ulica", "calea", "trg", "булевар", "улица"})


def genitive_name(kind: Token, token: Token, names: int) -> bool:
    """A lower-case word first after a capitalised GENITIVE_TYPES word: the street's name, not prose."""
    return names == 0 and kind.word[:1].isupper() and kind.lower in GENITIVE_TYPES and token.word.isalpha() and \
        token.lower not in PROSE and token.lower not in PARTICLES


def type_then_number(text: str, tokens: list[Token], index: int, lower_text: bool) -> Evidence | None:
    """"Calle Gran Vía 45", "Av. Paulista, 1578", "Street 23B", "Rehov Dizengoff 210"."""
    token = tokens[index]
    if token.lower.rstrip(".") in TYPE_AFTER and not (capital(token.word) or lower_text or (
            token.lower in TYPE_BEFORE and abbreviated_type(text, token))):
        return None  # (but Romanian "str. Revoluției", "bd. Unirii": the abbreviation before the name)
    at = index
    names = 0
    proper = False  # a name word that is no particle ("Gran Vía de 3 plazas": a sofa, no street "de")
    while names <= 6:
        number = number_after(text, tokens, at)
        if number is not None and number + 2 < len(tokens) and tokens[number + 1].lower in DATE_NAME_LINKS and \
                same_segment(text, tokens[number], tokens[number + 1]) and is_name_word(tokens[number + 2], lower_text):
            at = number + 1  # "Avenida 9 de Julio 1000", "Rua 25 de Março 1000": a date in the street's name
            names += 2
            proper = True
            continue
        if number is not None:
            kind = token.lower.rstrip(".")
            if ((names and proper and kind not in NUMBER_ONLY) or (not names and kind in NUMBERED)) and \
                    not year_then_words(text, tokens, number):
                return Evidence(token.start, tokens[number].end, STREET)
            return None
        at += 1
        if at >= len(tokens) or not (is_name_word(tokens[at], lower_text) or genitive_name(token, tokens[at], names)) \
                or not same_segment(text, tokens[at - 1], tokens[at]):
            return None
        names += 1
        proper = proper or tokens[at].lower not in PARTICLES
    return None


#: Issue 18, pass 27: the words that join two streets at the corner an address is at, where Venezuelan, Colombian and
#: other Latin American addresses give it instead of (or before) a house number ("Av. Libertador con calle Negrín",
#: "Carrera 7 con calle 32", "Av. Urdaneta esquina Pelota", "Rua Augusta esquina com Alameda Santos", "Av. Sucre cruce
#: con calle 8"); "y", "e" only before a second street's type word ("calle Bolívar y calle Sucre").
CORNER_LINKS = frozenset({"con", "esq", "esquina", "cruce", "com", "y", "e"})
#: Of CORNER_LINKS, the words that name the second street themselves: a corner of Caracas is "esquina Pelota".
CORNER_NAMES = frozenset({"esq", "esquina"})
#: A street's number in a corner ("Carrera 7", "calle 32", "avenida 5 de Julio").
CORNER_NUMBER = re.compile(r"\d{1,3}[A-Za-z]?")


def street_name_end(text: str, tokens: Sequence[Token], at: int, lower_text: bool) -> int | None:
    """The last token of a street's name or number that starts at tokens[at] (up to five words in its segment, one of
    them no particle), or None."""
    start = at
    last = None
    while at < len(tokens) and at - start < 5 and (last is None or same_segment(text, tokens[last], tokens[at])):
        word = tokens[at]
        if (word.lower.rstrip(".") in CORNER_LINKS and word.lower not in PARTICLES) or not (
                is_name_word(word, lower_text) or CORNER_NUMBER.fullmatch(word.word)):
            break
        last = at
        at += 1
    while last is not None and last >= start and tokens[last].lower in PARTICLES:
        last -= 1  # "Calle Bolívar y": the particle links the next street
    return last if last is not None and last >= start else None


def corner(text: str, tokens: Sequence[Token], index: int, lower_text: bool) -> int | None:
    """The last token of a corner that opens at the street type tokens[index]: the street's name, one or two of
    CORNER_LINKS, and a second street by its type word (or "esquina") and its name or number; None if there is none."""
    first = street_name_end(text, tokens, index + 1, lower_text) if index + 1 < len(tokens) and \
        same_segment(text, tokens[index], tokens[index + 1]) else None
    if first is None:
        return None
    at = first + 1
    links: list[str] = []
    while at < len(tokens) and len(links) < 2 and tokens[at].lower.rstrip(".") in CORNER_LINKS and \
            same_segment(text, tokens[at - 1], tokens[at]):
        links.append(tokens[at].lower.rstrip("."))
        at += 1
    if not links or at >= len(tokens) or not same_segment(text, tokens[at - 1], tokens[at]):
        return None
    second = tokens[at]
    if second.lower.rstrip(".") in TYPE_BEFORE or second.lower.rstrip(".") in GRID_TYPES:
        at += 1  # "con calle Negrín", "esquina com Alameda Santos"
    elif links[-1] not in CORNER_NAMES:
        return None  # "Calle Mayor con vistas al mar", "Av. Brasil y Uruguay"
    if at >= len(tokens) or not same_segment(text, tokens[at - 1], tokens[at]):
        return None
    return street_name_end(text, tokens, at, lower_text)


# --- blocks ----------------------------------------------------------------------------------------

def pattern_evidence(text: str, starts: Sequence[int], lowers: Sequence[bool]) -> Iterator[Evidence]:
    """The evidence PATTERNS find; a town may be in lower case where its sentence is."""
    for pattern, category in PATTERNS:
        for match in pattern.finditer(text):
            if "town" in pattern.groupindex:
                chunk = bisect_right(starts, match.start()) - 1
                if not town_like(match.group("town"), chunk >= 0 and lowers[chunk]):
                    continue
            if not introduced_as_id(text, match.start()):
                yield Evidence(match.start(), match.end(), category)


def token_evidence(text: str, tokens: Sequence[Token], lower_text: bool) -> Iterator[Evidence]:
    """Units, floors, buildings, districts, PO boxes, US and Australian state postcodes, and a town
    before a postcode: the pieces that start with a word, looked up token by token."""
    count = len(tokens)
    for index, token in enumerate(tokens):
        key = token.lower
        nxt = tokens[index + 1] if index + 1 < count else None
        first_char = token.word[:1]
        if not (first_char.isdigit() or first_char == "#" or key in WORD_KEYS or "-" in key or ":" in key or
                (nxt is not None and nxt.word[:1].isdigit()) or "丁目" in key or "\uac00" <= key[-1:] <= "\ud7a3" or
                (first_char in "IVX" and ("/" in key or roman_floor(token, nxt))) or key == "sub"):
            continue  # a word no piece starts with
        joined = nxt is not None and same_segment(text, token, nxt)
        if key in HOUSE_MARKS and joined and nxt is not None and UNIT_ID.fullmatch(nxt.word) and nxt.word[:1].isdigit():
            yield Evidence(token.start, nxt.end, STREET)  # pass 20: India's "H.No. 3-4-56", a house's number
            continue
        if key.rstrip(".:") in NUMBER_WORDS and nxt is not None and joined and village_house(text, token, nxt):
            yield Evidence(token.start, nxt.end, STREET)  # pass 27: "Sat Cornu de Jos, nr. 214"
            continue
        floor = floor_alone(text, tokens, index)
        if floor is not None:
            yield floor  # "bajo", "st. th.", "EG links"
            continue
        if GLUED_UNIT.fullmatch(token.word):
            yield Evidence(token.start, token.end, UNIT)  # Turkish "D:7", "K:3", "Daire:12"
            continue
        if FLOOR_DOOR.fullmatch(token.word) and index and tokens[index - 1].word[:1].isdigit():
            yield Evidence(token.start, token.end, UNIT)  # "12. II/4."
            continue
        if key in TOWN_MARKS and joined and nxt is not None and nxt.word[:1].isupper() and nxt.word.isalpha() and (
                len(key) > 2 or text[token.end:token.end + 1] == "."):
            yield Evidence(token.start, nxt.end, DISTRICT)  # "м. Львів", "смт Ворохта"
            continue
        if key in UNIT_MARKERS or (key in DOTTED_UNITS and text[token.end:token.end + 1] in ".:") or \
                brazilian_flat(tokens, index) or undotted_unit(tokens, index, lower_text) or polish_flat(tokens, index):
            at = index + 1
            if at < count and tokens[at].lower in NUMBER_MARK and same_segment(text, token, tokens[at]):
                at += 1
            unit = tokens[at].word if at < count else ""
            if at < count and same_segment(text, tokens[at - 1], tokens[at]) and MARKED_NUMBER.fullmatch(unit):
                yield Evidence(token.start, tokens[at].end, UNIT)  # "Safir Apt. No:45"
                continue
            if at < count and key in SIDED_UNITS and same_segment(text, token, tokens[at]) and \
                    tokens[at].lower.rstrip(".") in SIDES:
                yield Evidence(token.start, tokens[at].end, UNIT)  # pass 26: "escalera izquierda", "pta. dcha."
                continue
            if at < count and same_segment(text, tokens[at - 1], tokens[at]) and UNIT_ID.fullmatch(unit) \
                    and (unit[:1].isdigit() or unit[:1] == "#" or unit.isupper() or (lower_text and len(unit) == 1)) \
                    and (key not in ("m", "d", "k") or unit[:1].isdigit()):
                yield Evidence(token.start, tokens[at].end, UNIT)  # "Flat 3", "bl. A", "flat c" in lower case
                continue
            if key in NAMED_ESTATES and capital(token.word) and joined and nxt is not None and \
                    capital(nxt.word) and nxt.word.isalpha():
                yield Evidence(token.start, nxt.end, DISTRICT)  # "Villa Los Héroes", "Lot. Al Massira"
                continue
        if first_char.isdigit() and KOREAN_UNIT.fullmatch(token.word):
            yield Evidence(token.start, token.end, UNIT)  # "1203-ho", "1203호", "101동"
            continue
        if HANGUL_DISTRICT.fullmatch(token.word):
            yield Evidence(token.start, token.end, DISTRICT)  # "강남구", "역삼동", "서울특별시"
            continue
        if key in FLOOR_ORDINALS and joined and nxt is not None and nxt.lower.rstrip(".") in ("floor", "flr", "fl"):
            yield Evidence(token.start, nxt.end, UNIT)  # pass 21: "ground floor", "first floor" in lower case
            continue
        if joined and nxt is not None:
            nkey = nxt.lower
            first = key.rstrip(".")
            if ((token.word[:1].isdigit() and FLOOR_NUMBER.fullmatch(token.word)) or roman_floor(token, nxt)) and (
                    nkey in FLOOR_WORDS or nkey.rstrip(".") in FLOOR_WORDS or
                    (token.word[-1:] in "ºª°" and len(nxt.word) == 1 and nxt.word.isalpha())):  # "5º A"
                side = tokens[index + 2] if index + 2 < count else None  # "2. Stock links", "3e étage gauche"
                sided = side is not None and side.lower in SIDES and same_segment(text, nxt, side)
                yield Evidence(token.start, side.end if sided and side is not None else nxt.end, UNIT)
                continue
            if (first_char.isdigit() and ORDINAL.fullmatch(token.word) and nkey in STAGES) or (
                    key in STAGES and (nxt.word.isdigit() or (capital(token.word) and ZONE_CODE.fullmatch(nxt.word)))):
                yield Evidence(token.start, nxt.end, DISTRICT)
                continue
            if (key in BOX_WORDS and (key not in ("bp", "cp") or token.word.isupper())) or (
                    key == "box" and token.word[0] == "B"):
                number = index + 1  # "Postfach 1120", "Apartado de Correos 120", "Casilla 1234"
                while number < count and number - index <= 3 and tokens[number].lower in BOX_FILLERS:
                    number += 1
                if number < count and BOX_NUMBER.fullmatch(tokens[number].word) and not (
                        key == "cp" and ZIP.fullmatch(tokens[number].word)):  # French "CP 69003": a code postal
                    # a bare "Box 2" is a box only next to a postcode or a town ("Box 2 of 3" is not)
                    boxed = key != "box" or (index and tokens[index - 1].lower in BOX_BEFORE)
                    yield Evidence(token.start, tokens[number].end, POBOX if boxed else UNIT)
                    continue
            if (first, nkey) in BOX_PAIRS or (key, nkey) in BOX_PAIRS:
                number = index + 2
                if number < count and tokens[number].lower in ("no", "#"):
                    number += 1
                if number < count and BOX_NUMBER.fullmatch(tokens[number].word):
                    yield Evidence(token.start, tokens[number].end, POBOX)
                    continue
            if (token.word.rstrip(".") in US_STATE_CODES and ZIP.fullmatch(nxt.word) and not id_label(tokens, index)) or \
                    (key in AU_STATES and (token.word.isupper() or lower_text) and len(nxt.word) == 4 and
                     nxt.word.isdigit()):
                yield Evidence(token.start, nxt.end, POSTCODE)
                continue
            if nxt.word[:1].isdigit() and DIGITS_4_7.fullmatch(nxt.word) and first_char.isalpha() and \
                    town_like(token.word, lower_text) \
                    and text[nxt.end:nxt.end + 2] not in (".5",) and key not in UNIT_MARKERS:
                yield Evidence(token.start, nxt.end, WEAK_POSTCODE)
            if key in BUILDING_BEFORE and (capital(nxt.word) or lower_text):
                yield Evidence(token.start, nxt.end, UNIT)
                continue
        if token.word[:1] == "#" and UNIT_HASH.fullmatch(token.word) and not introduced_as_id(text, token.start):
            yield Evidence(token.start, token.end, UNIT)  # "#1204", "#12-08"
            continue
        if key in BUILDING_AFTER and index and (capital(token.word) or lower_text) and \
                same_segment(text, tokens[index - 1], token) and is_name_word(tokens[index - 1], lower_text):
            yield Evidence(tokens[index - 1].start, token.end, UNIT)
            continue
        if key in NAMED_DISTRICTS and index and capital(token.word) and joined_before(text, tokens, index) and \
                capital(tokens[index - 1].word) and tokens[index - 1].word.isalpha() and (
                key != "town" or nxt is None or not joined or nxt.lower in DISTRICT_PARTS):
            yield Evidence(tokens[index - 1].start, token.end, DISTRICT)  # "Model Town", "Shastri Nagar"
            continue
        if ISLAMABAD_SECTOR.fullmatch(token.word) and (not index or not same_segment(text, tokens[index - 1], token)
                                                        or tokens[index - 1].lower == "sector"):
            yield Evidence(token.start, token.end, DISTRICT)  # pass 20: Islamabad's "F-8/3", "Sector G-9/2"
            continue
        if token.word[:1].isupper() and LETTERED_FLAT.fullmatch(token.word) and nxt is not None and not joined and \
                "," in text[token.end:nxt.start] and opens_address(text, tokens, index) and \
                not introduced_as_id(text, token.start):
            yield Evidence(token.start, token.end, UNIT)  # "B-702, Lodha Paradise": a flat and its block's letter
            continue
        if key == "sub" and capital(token.word) and nxt is not None and joined and nxt.lower == "city":
            yield Evidence(token.start, nxt.end, DISTRICT)  # pass 21: Addis Ababa's "Bole Sub City"
            continue
        if key in DISTRICT_CAPITAL_ONLY:
            if capital(token.word) and joined and nxt is not None and nxt.word[:1].isupper() and nxt.word.isalpha():
                yield Evidence(token.start, token.end, DISTRICT)  # "Hay Riad" (not Spanish "Hay que", "Hay 3")
            continue
        if key in DISTRICT_WORDS and (capital(token.word) or lower_text or (
                nxt is not None and joined and nxt.word[:1].isupper()) or admin_named(text, tokens, index)) and (
                key not in ("co", "com", "tp", "kel", "kec", "prov", "dist") or
                                      text[token.end:token.end + 1] == "."):
            yield Evidence(token.start, token.end, DISTRICT)
            continue
        if key.startswith("chome-") and index + 1 < count:  # "2 Chome-8-1 Nishishinjuku" (not "PChome-240612-0098")
            yield Evidence(tokens[index - 1].start if index and tokens[index - 1].word.isdigit() else token.start,
                           tokens[index + 1].end, STREET)
            continue
        if ("-" in key and key.rsplit("-", 1)[1] in DISTRICT_SUFFIXES) or key == "chome" or "丁目" in key:
            yield Evidence(token.start, token.end, DISTRICT)


#: Issue 18, pass 27: a village's name in the part before a house number that has no street ("Sat Moara Vlăsiei, nr.
#: 112", "satul Valea Mare, nr. 34", "Aldeia da Luz, nº 5", "Lugar de Abaixo, nº 3", "Village Kotla, No. 45").
VILLAGE_BEFORE = re.compile(r"(?i:(?<![^\W\d_])(?:sat|satul|village|vill\.?|aldeia|lugar|köyü|wieś|obec))"
                            r"[ ][^\W\d_][^,;\n]{1,40},[ ]?\Z")


def village_house(text: str, mark: Token, number: Token) -> bool:
    """Whether a number's mark and a house number alone in their part follow a village's name (VILLAGE_BEFORE)."""
    after = text[number.end:number.end + 1]
    return is_house_number(number) and number.word[:1].isdigit() and after in ("", ",", ";", "\n", ".") and \
        VILLAGE_BEFORE.search(text, max(0, mark.start - 60), mark.start) is not None


#: Issue 18, pass 20: Islamabad's sectors, a letter and a number and perhaps its subsector ("G-9/2", "F-8/3", "I-10/4"),
#: standing alone in their part of an address or after "Sector"; India's marks of a house's number ("H.No. 3-4-56").
ISLAMABAD_SECTOR = re.compile(r"[DEFGHI]-\d{1,2}(?:/\d)?")
HOUSE_MARKS = frozenset({"h.no.", "h.no", "h.no:", "hno", "hno.", "h#", "h.#"})


def admin_named(text: str, tokens: Sequence[Token], index: int) -> bool:
    """Whether tokens[index], an ADMIN_LOWER word in lower case, is followed by a name in its segment, perhaps after a
    particle ("comuna de Maipú", "distrito de San Isidro", "jud. Cluj")."""
    if tokens[index].lower not in ADMIN_LOWER:
        return False
    at = index + 1
    if at < len(tokens) and tokens[at].lower in PARTICLES and same_segment(text, tokens[at - 1], tokens[at]):
        at += 1
    return at < len(tokens) and same_segment(text, tokens[at - 1], tokens[at]) and capital(tokens[at].word) and \
        tokens[at].word[:1].isalpha()


#: Unit words that, before a name rather than a number, name an estate or a housing development: Chile's and
#: Argentina's "Villa Los Héroes", Morocco's "Lot. Al Massira" (lotissement).
NAMED_ESTATES = frozenset({"villa", "lot"})


#: Words right before an address's first part ("live at B-702, ...", "ship to A-204, ...").
BEFORE_ADDRESS = frozenset({"at", "to", "is", "in", "en", "em", "à", "a", "bei", "op", "ke", "pe"})


def opens_address(text: str, tokens: Sequence[Token], index: int) -> bool:
    """Whether tokens[index] may open an address: it starts the text or its line, or follows a label's colon
    or a word that introduces a place ("Address: B-702, ...", "I live at B-702, ..."), not a list's comma
    ("Seats A-12, B-14")."""
    if index == 0:
        return True
    before = tokens[index - 1]
    gap = text[before.end:tokens[index].start]
    return "\n" in gap or (":" in gap and "," not in gap) or (gap.strip() == "" and before.lower in BEFORE_ADDRESS)


def joined_before(text: str, tokens: Sequence[Token], index: int) -> bool:
    """Whether tokens[index] is in the same segment as the token before it."""
    return index > 0 and same_segment(text, tokens[index - 1], tokens[index])


def side_of_floor(token: Token) -> bool:
    """A floor's side or door after it: a side's word, or the door's ordinal ("pral. 1ª", "entlo. 2º")."""
    return token.lower in SIDES or (ORDINAL.fullmatch(token.word) is not None and token.word[-1:] in "ºª°")


def floor_alone(text: str, tokens: Sequence[Token], index: int) -> Evidence | None:
    """A FLOOR_ALONE word that fills its segment, or with a side after it ("bajo", "st. th.")."""
    token = tokens[index]
    key = token.lower
    if key not in FLOOR_ALONE:
        return None
    after_number = index > 0 and same_segment(text, tokens[index - 1], token)
    if after_number and not is_house_number(tokens[index - 1]):
        return None
    if key in FLOOR_ALONE_DOTTED and (not token.word.islower() or text[token.end:token.end + 1] != "."):
        return None
    if key in FLOOR_ALONE_UPPER and not token.word.isupper():
        return None
    end = index
    if end + 1 < len(tokens) and same_segment(text, token, tokens[end + 1]) and side_of_floor(tokens[end + 1]):
        end += 1
    if end + 1 < len(tokens) and same_segment(text, tokens[end], tokens[end + 1]) and not (after_number and end > index):
        return None  # "bajo el puente": prose (but "Mayor nº 7 bajo izq. y …": a floor and its side after the number)
    return Evidence(token.start, tokens[end].end, UNIT)


#: Words before "ID" that make it an identifier, not Idaho ("Employee ID 70215", "Customer ID 83702").
ID_OWNERS = words("""
employee employee's staff member customer client user student patient account tax national personal passport
driver vendor supplier company device transaction order booking reference ticket case record badge card login
session application applicant tenant citizen voter mitarbeiter kunden captain rider courier merchant seller partner
agent operator terminal trip ride vehicle job task
""")


def id_label(tokens: Sequence[Token], index: int) -> bool:
    """Whether tokens[index] is "ID" after a word whose identifier it is ("Employee ID 70215")."""
    return tokens[index].lower == "id" and index > 0 and tokens[index - 1].lower in ID_OWNERS


LAST_WORD = re.compile(r"([^\W\d_]+)[.:#?\s]*$")


def introduced_as_id(text: str, start: int) -> bool:
    """Whether the word before `start` makes what follows an identifier ("order 114-2231", "Ref D02 X285"), or
    `pii_refs`' reference words of many languages do ("receipt #33019-884", "Sendungsnummer 12345 Berlin")."""
    return id_word_before(text, start) or names_a_reference(text, start)


def id_word_before(text: str, start: int) -> bool:
    """Whether the word right before `start`, perhaps with a number sign or a colon, is one of ID_BEFORE."""
    match = LAST_WORD.search(text, max(0, start - 24), start)
    return match is not None and match.group(1).lower() in ID_BEFORE


NOT_TOWNS = PROSE | ID_BEFORE | NOT_AFTER_NUMBER | words("""
january february march april june july august september october november december jan feb mar apr jun jul aug sep
sept oct nov dec monday tuesday wednesday thursday friday saturday sunday pro max plus ultra mini series edition
model version gen error iphone galaxy pixel windows android ios macos code zip postcode plz cap cep id г р гг рр
год года году року рік у в во на з із до по от від за
""")


def town_like(word: str, lower_text: bool) -> bool:
    """Whether a word next to a postcode may be its town. Not a word in Arabic script: without capitals every
    word would pass ("للطلب 88127 على", "for the order 88127 on"); ARABIC_ADDRESS finds those addresses by
    their street and building words instead."""
    lower = word.lower().rstrip(".")
    if not capital(word) and len(lower) > 4 and lower.endswith(("ed", "ly")) and lower.isascii():
        return False  # "room 1207 failed twice": an English verb or adverb in a sentence typed in lower case
    return lower not in NOT_TOWNS and (lower_text or capital(word)) and not ARABIC_LETTER.match(word)


def is_address_word(token: Token, lower_text: bool) -> bool:
    """A word that may stand in an address next to its evidence."""
    if HAN_OR_KANA.search(token.word) is not None:
        return False  # pass 26: (CJK_ADDRESS and JAPANESE_ADDRESS read addresses in those scripts)
    if token.lower in PARTICLES or elided(token, lower_text) or token.word in GPS_LABELS:
        return True  # (and "GPS:" before Ghana's digital address: "Accra (GPS: GA-045-1123)")
    if token.lower.rstrip(".") in COMPASS and (token.word[:1].isupper() or (lower_text and len(token.word) <= 2)):
        return True  # "rue Sherbrooke Est", "Col. Roma Nte.", "Calle 10 Sur" (not the French verb "est")
    if token.lower in WEEKDAYS or TIME_OR_DATE.fullmatch(token.word) or token.word[:1] in CURRENCY_SIGNS or \
            token.lower in CURRENCY_WORDS or token.word in FIELD_BARS:
        return False  # "Berlin am Dienstag, 11.02., 18:00 Uhr", "10:00 | 18 Hazel Grove", "($850/wk", "R$ 67"
    if len(token.word) == 2 and token.word.isupper() and token.word.isalpha() and not lower_text and not token.colon:
        return True  # a region code in capitals ("Napoli NA", "Portland OR", "Augusta ME"), not the prose word
    if token.lower in PROSE or "@" in token.word or (
            token.colon and token.lower not in NUMBER_MARK and token.lower not in COLON_UNITS):
        return False
    if token.lower in ADMIN_LOWER or (token.word in NO_NUMBER and token.lower != "s/n") or token.word == "x" or \
            token.lower in UNIT_LOWER:
        return True  # "comuna de Maipú", "jud. Cluj", "sector 2", "Ilica bb", Mérida's "#491 x 57 y 59"
    first = token.word[:1]
    if first.isdigit() or first in "#〒" or not first.isalpha():
        return not (token.word.count("-") == 1 and token.word[:2].isalpha())
    return lower_text or not first.islower() or token.lower in PARTICLES or token.lower.rstrip(".") in TYPE_BEFORE


#: Days of the week in the corpus's languages (not those that are also names or streets: "Domingo", "Quinta"), a
#: time, a date with full stops or in ISO form, and currencies: what follows an address in a sentence, not part of it.
WEEKDAYS = words("""
monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri
montag dienstag mittwoch donnerstag freitag samstag sonntag lundi mardi mercredi jeudi vendredi samedi dimanche
lunes martes miércoles miercoles jueves viernes lunedì martedì mercoledì giovedì venerdì domenica
maandag dinsdag woensdag donderdag vrijdag zaterdag zondag poniedziałek wtorek środa czwartek piątek niedziela
pondělí úterý středa čtvrtek pátek neděle hétfő kedd szerda csütörtök péntek szombat vasárnap pazartesi salı
çarşamba perşembe cumartesi måndag tisdag onsdag torsdag fredag lördag söndag mandag tirsdag lørdag søndag
maanantai tiistai keskiviikko torstai perjantai lauantai sunnuntai luni marți miercuri vineri sâmbătă duminică
segunda-feira terça-feira quarta-feira quinta-feira sexta-feira
""")
TIME_OR_DATE = re.compile(r"\d{1,2}[:h]\d{2}(?::\d{2})?(?:h|am|pm)?|\d{1,2}\.\d{1,2}\.(?:\d{2,4})?|\d{1,2}\.\d{1,2}|"
                          r"(?:19|20)\d\d-\d\d-\d\d", re.IGNORECASE)
CURRENCY_SIGNS = frozenset("$€£¥₹₦₱₩₫₺₵")
#: Particles that belong to the house number before them ("5 bis", "12 ter", "44 bus").
HOUSE_SUFFIXES = frozenset({"bis", "ter", "bte", "bus", "bb"})
FIELD_BARS = frozenset({"|", "•", "·", "¦"})  # a table's or a signature's field separators
CURRENCY_WORDS = words("""
r$ us$ usd eur gbp chf brl mxn ars clp cop pen kes ksh ngn ghs zar egp mad tnd xof fcfa cfa ron pln czk huf try
sek nok dkk bgn rsd uah kr zł kč ft lei tl dh
""")
#: The postcodes of PATTERNS written as a code with the country's letters, as phone_like sees them.
LETTERED_POSTCODE = re.compile(r"LT-\d{5}|LV-\d{4}|[A-Z]{2}-\d{3,4}-\d{4}|\d{5}-\d{3}")  # Ghana's "GA-183-8164", a CEP


def phone_like(tokens: Sequence[Token]) -> bool:
    """Seven digits or more in a row of number tokens (a phone, an order number), or an identifier."""
    digits = 0
    for token in tokens:
        if LETTERED_POSTCODE.fullmatch(token.word) or QUITO_NUMBER.fullmatch(token.word):
            digits = 0
            continue  # "LT-03150": a postcode, "N34-120": a house number, not an identifier
        if token.word[:1].isalpha() and any(c.isdigit() for c in token.word) and "-" in token.word and \
                token.word.split("-")[0].isupper() and len(token.word.split("-")[0]) >= 2:
            return True  # "NG-1200457", "KR-55021"
        if token.word.replace("-", "").replace("+", "").isdigit():
            digits += sum(c.isdigit() for c in token.word)
            if digits >= 8:
                return True
        else:
            digits = 0
    return False


#: Words that join a street and its house number to the postcode and town after them in German and Dutch
#: prose ("von der Lindenstraße 4 in 49074 Osnabrück", "Kerkstraat 5 te 3581 RD Utrecht").
POSTCODE_LINKS = frozenset({"in", "te"})


def main_cluster(segment: Segment, evidence: Sequence[Evidence], lower_text: bool) -> list[Evidence]:
    """The evidence of a segment that belongs together: pieces with prose between them are apart
    ("zip code 94103 is outside the Area"); the group with a strong piece, or the largest, is kept."""
    groups = clusters(segment, evidence, lower_text)
    if len(groups) == 1:
        return groups[0]
    return max(groups, key=lambda g: (any(e.category in STRONG for e in g), len(g)))


def clusters(segment: Segment, evidence: Sequence[Evidence], lower_text: bool) -> list[list[Evidence]]:
    """The evidence of a segment in groups that prose parts, in text order."""
    ordered = sorted(evidence, key=lambda e: e.start)
    groups: list[list[Evidence]] = [[ordered[0]]]
    for piece in ordered[1:]:
        reach = max(e.end for e in groups[-1])
        between = [t for t in segment.tokens if t.start >= reach and t.end <= piece.start]
        if all(is_address_word(t, lower_text) for t in between) or (
                len(between) == 1 and between[0].lower in POSTCODE_LINKS and piece.category in POSTCODES and
                any(e.category == STREET for e in groups[-1])):
            groups[-1].append(piece)
        else:
            groups.append([piece])
    return groups


def split_segment(segment: Segment, evidence: Sequence[Evidence],
                  lower_text: bool) -> tuple[Segment, list[Evidence], Segment, list[Evidence]] | None:
    """A segment whose first evidence ends an address that opened before it, then prose and more
    evidence ("5 Ponsonby Rd, Auckland 1011 to 22B Te Atatu Rd"), cut where the prose starts: the two
    halves and their evidence; None when the segment is one address part or starts with prose."""
    groups = clusters(segment, evidence, lower_text)
    if len(groups) < 2:
        return None
    tokens = segment.tokens
    reach = max(e.end for e in groups[0])
    first = min(e.start for e in groups[0])
    if not all(is_address_word(t, lower_text) for t in tokens if t.end <= first):
        return None  # prose before the first group: it is no address's end
    cut = next((i for i, t in enumerate(tokens) if t.start >= reach and not is_address_word(t, lower_text)), None)
    if cut is None or cut == 0:
        return None
    head, tail = Segment(tokens[:cut], segment.newline_before), Segment(tokens[cut:], False)
    rest = [e for g in groups[1:] for e in g]
    return head, groups[0], tail, main_cluster(tail, rest, lower_text)


def order_like(token: Token) -> bool:
    """Issue 18, pass 26: six digits or more right before a street are an order's or a parcel's number, not its house
    number ("siparişim 7731204 Gül Sokak No:7/3": a house number has at most five); Chinese or Japanese words before
    a Latin-script address are the sentence's ("地址不变 No 8, Jalan …": "the address is unchanged")."""
    return (token.word.isdigit() and len(token.word) >= 6) or HAN_OR_KANA.search(token.word) is not None


def part_of(segment: Segment, evidence: Sequence[Evidence], lower_text: bool) -> tuple[int, int, bool, bool] | None:
    """The address part of a segment with evidence: (start, end, reaches its start, reaches its end)."""
    tokens = segment.tokens
    start = min(e.start for e in evidence)
    end = max(e.end for e in evidence)
    first = next(i for i, t in enumerate(tokens) if t.end > start)
    last = max(i for i, t in enumerate(tokens) if t.start < end)
    taken = 0
    if first > 0 and tokens[first - 1].word.upper() in REGION_CODES and tokens[first - 1].word.isalpha() and \
            any(e.category in POSTCODES and e.start == tokens[first].start for e in evidence):
        first -= 1  # "toronto on m5v 2a1", "portland or 97201": a region code that is also a word
        taken += 1
    while first > 0 and taken < 4 and is_address_word(tokens[first - 1], lower_text) and not order_like(tokens[first - 1]):
        first -= 1
        taken += 1
    while taken and tokens[first].lower in PARTICLES and tokens[first].word[:1].islower() and \
            tokens[first].lower not in NUMBER_MARK:  # "an", "de" before the address are the sentence's
        first += 1
        taken -= 1
    if first and tokens[0].lower.rstrip(".") in LANDMARK_LINKS and (capital(tokens[first].word) or lower_text) and \
            all(t.lower in LINK_FILLERS for t in tokens[1:first]):
        first = 0  # "No. 14, Adebayo Close, off Allen Avenue, Ikeja": the road the street leaves
    taken = 0
    while last + 1 < len(tokens) and taken < 6 and is_address_word(tokens[last + 1], lower_text):
        last += 1
        taken += 1
    while taken and tokens[last].lower in PARTICLES and tokens[last].word[:1].islower() and \
            tokens[last].lower not in NUMBER_MARK and tokens[last].lower not in HOUSE_SUFFIXES and \
            tokens[last].lower not in COMPASS:  # (but "# 15-20 sur")
        last -= 1  # "10961 Berlin am Dienstag": the particle after the town is the sentence's
        taken -= 1
    if phone_like(tokens[first:last + 1]) and not any(e.category in (POSTCODE, POBOX) for e in evidence):
        return None
    return (min(start, tokens[first].start), max(end, tokens[last].end), first == 0, last == len(tokens) - 1)


#: Unit, floor and door words written in lower case after the house number, in languages where they are no prose
#: word ("Kossuth tér 3. fszt. 2.", "12. hsz. 2. em. 5. ajtó", "Storgatan 3 lgh 1102", "Horní Lhota č. p. 123").
UNIT_LOWER = words("""
hsz ajtó fszt emelet lgh etg etasje våning vån kerros apto dpto depto lok daire bte boîte stiege tür piso puerta
pta andar esc escalera izda dcha izq esq č č.p čp č.o čo p ap
entre esquina e/
""")  # (pass 24: the cross streets of Latin America, "Calle 8 entre 15 y 17", "Bolívar 320 esquina Sucre"; pass 25:
#    Argentina's "e/ 57 y 58" for entre, Brazil's "bloco B ap 701")


#: Words that open an address's part naming the road or landmark it is reached from, as Nigerian, Ghanaian and
#: Kenyan addresses give it ("off Allen Avenue", "opp. Total filling station", "behind Shoprite").
LANDMARK_LINKS = frozenset({"off", "opp", "opposite", "behind", "beside", "besides", "adjacent", "near", "nr",
                            "facing", "along", "ganb", "next", "close"})  # pass 22: "along Kamiti Road", Egypt's "ganb"
#: Pass 22: words between a landmark's link and its name ("next to Total", "opposite the mosque", "behind the Taj
#: Mall", "close to City Hospital").
LINK_FILLERS = frozenset({"to", "the", "of"})
#: Pass 21: the common nouns a landmark is named with in lower case within a capitalised text, as South Asian,
#: Gulf and African addresses give it ("near Karachi Company bus stop", "behind Total filling station",
#: "opposite SBI bank", "near Chinese Embassy gate").
LANDMARK_NOUNS = words("""
bus stop stand station stn depot school college university hospital clinic church mosque masjid mandir temple
gurudwara bank atm mall market bazaar bazar plaza chowk chowrangi circle roundabout junction signal crossing bridge
flyover gate tower park ground stadium petrol pump filling office post police thana embassy hotel restaurant
pharmacy chemist shop store showroom supermarket hall cinema theatre tank well main the old new
entrance corner compound
""")  # (pass 24: "opposite Fewa Lake entrance")


def landmark(segment: Segment, lower_text: bool) -> bool:
    """Pass 21: a segment that names a landmark ("near Karachi Company bus stop", "opp. Jamia Masjid"): a landmark
    word, then up to six words of a name or a landmark's noun, no digit, no prose."""
    tokens = segment.tokens
    if not 2 <= len(tokens) <= 7 or tokens[0].lower.rstrip(".") not in LANDMARK_LINKS:
        return False
    name = 1
    while name < len(tokens) - 1 and name < 3 and tokens[name].lower in LINK_FILLERS:
        name += 1  # "next to the mosque"
    if not (capital(tokens[name].word) or lower_text or tokens[name].lower in LANDMARK_NOUNS):
        return False
    return all(not NUMBER.search(t.word) and t.lower not in PROSE and not t.colon and "@" not in t.word and
               (is_address_word(t, lower_text) or t.lower in LANDMARK_NOUNS) for t in tokens[name:])


def trailing_landmark(segment: Segment, lower_text: bool) -> int | None:
    """Pass 21: where a landmark that ends a segment of prose starts ("my house is behind Moi Stadium", then
    "Plot 44, Kisumu"): the address opens with the landmark it is found by."""
    tokens = segment.tokens
    for at in range(max(0, len(tokens) - 7), len(tokens) - 1):
        if landmark(Segment(tokens[at:], False), lower_text):
            return tokens[at].start
    return None


def clean(segment: Segment, lower_text: bool) -> bool:
    tokens = segment.tokens
    if landmark(segment, lower_text):
        return True
    if len(tokens) >= 2 and tokens[0].lower.rstrip(".") in LANDMARK_LINKS and (capital(tokens[1].word) or lower_text):
        tokens = tokens[1:]  # "off Adeniran Ogunsanya", "near hanuman mandir"
    if len(tokens) == 2 and len(tokens[0].word) <= 4 and tokens[0].lower not in PROSE and is_house_number(tokens[1]):
        return True  # a unit in an abbreviation we do not list ("cj. 45", "kv. 12")
    return len(tokens) <= 8 and all(is_address_word(t, lower_text) for t in tokens) and not phone_like(tokens)


def place_like(segment: Segment, lower_text: bool) -> bool:
    """A town, region, region code, bare postcode or country after an address."""
    tokens = segment.tokens
    if not clean(segment, lower_text) or (len(tokens) > 4 and not landmark(segment, lower_text)):
        return False
    if segment.newline_before:
        return " ".join(t.lower for t in tokens).strip(".") in COUNTRIES or \
            (len(tokens) == 1 and tokens[0].word.isdigit() and 3 <= len(tokens[0].word) <= 7)
    return True


def opening_run(segment: Segment, lower_text: bool) -> int | None:
    """Where a place name that opens a segment of prose ends ("UAE" of "UAE is our address")."""
    tokens = segment.tokens
    at = 0
    while at < len(tokens) and at < 5 and is_address_word(tokens[at], lower_text):
        at += 1
    while at and tokens[at - 1].lower in PARTICLES and tokens[at - 1].word[:1].islower():
        at -= 1  # "Bogotá D.C., en ejercicio de": the particle opens the sentence's words
    if at == 1 and len(tokens) > 1 and tokens[1].lower in AFTER_POSTCODE and tokens[0].word.isdigit() and \
            4 <= len(tokens[0].word) <= 6 and not segment.newline_before:
        return tokens[0].end  # "..., Johannesburg, 2193 and that is where": a bare postcode, then the sentence
    if all(t.word[:1].isdigit() for t in tokens[:at]):
        return None  # "101 Reykjavík thanks", "Taipei City 104 last week", but not "3 days ago"'s number
    if segment.newline_before or at == 0 or at > 4 or at == len(tokens):
        return None
    return tokens[at - 1].end


def leading(segment: Segment, lower_text: bool) -> tuple[int, int] | None:
    """The part of a segment before an address that belongs to it: a number or unit run at its end."""
    tokens = segment.tokens
    at = len(tokens)
    while at > 0 and is_address_word(tokens[at - 1], lower_text) and len(tokens) - at < 6:
        at -= 1
    while at < len(tokens) - 1 and tokens[at].lower in PARTICLES and tokens[at].word[:1].islower() and \
            tokens[at].lower not in NUMBER_MARK:
        at += 1  # "instead of Apt 3": the particle is the sentence's
    if at == len(tokens) or not (tokens[at].word[:1].isdigit() or tokens[at].word[:1] == "#" or
                                 (is_house_number(tokens[-1]) and tokens[-1].word[:1].isdigit()) or
                                 (at < len(tokens) - 1 and tokens[-1].word in NO_NUMBER) or  # "Ilica bb"
                                 (at == len(tokens) - 1 and LETTERED_FLAT.fullmatch(tokens[at].word))):  # "B-204"
        return None  # "101-1203", "12", "21 Choa Chu Kang North 6", "Vinohradská 1511/230"
    if phone_like(tokens[at:]) or any(SLASHED_DATE.fullmatch(t.word) for t in tokens[at:]):
        return None  # "né le 02/09/1981, 36 avenue Hassan II": the date is the birth's
    return tokens[at].start, tokens[-1].end


POSTCODES = frozenset({POSTCODE, WEAK_POSTCODE})
#: Words that go on with the sentence after an address's bare postcode ("…, 2193 and that is where").
AFTER_POSTCODE = words("""
and or but so which where please pls thanks thank und oder et ou y e o en og och és и і та
""")
#: A flat numbered with its block's letter, alone before a building ("B-204, Shanti Apartments").
LETTERED_FLAT = re.compile(r"[A-Z]{1,2}[-/]\d{1,4}[A-Z]?(?:/\d{1,4})?", re.IGNORECASE)  # pass 20: Delhi's "D-4/12"


def city_before(segment: Segment, lower_text: bool) -> bool:
    """A segment that ends in one place name (alone or after a prose word: "my address is Seoul") before
    an address that opens with its district, as Korean, Chinese and Japanese addresses are written in
    English ("Seoul, Mapo-gu, ..."); a person's name has two words."""
    tokens = segment.tokens
    last = tokens[-1]
    return (len(tokens) == 1 or tokens[-2].lower in PROSE) and len(last.word) >= 3 and last.word.isalpha() and \
        town_like(last.word, lower_text) and is_address_word(last, lower_text)


#: Pass 25: the words a town is named after when someone says where they live ("în București", "w Krakowie").
TOWN_PREPOSITIONS = words("în la in w we v ve u à a en em na no i di sa op aan på am im auf из в у")


def town_before_street(before: Segment, street: Segment, lower_text: bool) -> int | None:
    """Pass 25: where the town starts when an address opens with it, then a street named with its type first, as
    Romanian, Polish, Bulgarian and other Central European addresses are written on one line ("Cluj-Napoca, str.
    Memorandumului nr. 12", "locuiesc în Miercurea Ciuc, str. Revoluției nr. 9", "Kraków, ul. Długa 15"): one or
    two capitalised words alone at the segment's start, or after a preposition or a label's colon. None when they
    may be a person's name ("Ion Popescu, str. ...")."""
    if street.tokens[0].lower not in TYPE_BEFORE - NUMBER_ONLY or not street.tokens[0].word[:1].isalpha():
        return None
    tokens = before.tokens
    for size in (2, 1):
        town, rest = tokens[-size:], tokens[:-size]
        if len(town) < size or not all(t.word[:1].isupper() and t.word.replace("-", "").isalpha() and not t.colon and
                                       town_like(t.word, lower_text) and t.lower not in PROSE for t in town):
            continue
        if rest and not (rest[-1].colon or rest[-1].lower in TOWN_PREPOSITIONS):
            continue
        if person_like(town):
            continue
        return town[0].start
    return None


#: Pass 22: words that open a letter or a chat line and are no place ("Sir, plot no 88, ...", "Team, Flat 4, ...").
SALUTATIONS = words("sir sirs madam madame maam ma'am team all everyone guys boss bro sis dear hi hello hey admin")
#: Words that open a place's name and are also listed first names ("Al Khobar", "El Obour", "New Cairo").
PLACE_OPENERS = words("""
al el ar as ash at ad an az ul abu ibn bin new old north south east west upper lower jabal jebel ras wadi umm ain bir
dar tel khor
""")
#: Pass 22: nouns that end a place's name ("Sheikh Zayed City", "Victoria Island", "Festac Town", "Dubai Marina").
PLACE_NOUNS = words("""
city town island marina village heights estate phase sector block colony nagar park hills hill gardens extension
ext layout market bazaar road street avenue area
""")  # (pass 23: and in lower case after the name, as chats write it: "Joyland estate", "Kilimani area")


def person_like(tokens: Sequence[Token]) -> bool:
    """Pass 22: whether a segment before an address may be a person's name rather than a place: it opens with a
    first name of the gazetteer ("Khaled Haddad, Jabal Amman, ...", "Ravi Kumar, 12/3 Nehru Nagar"), or with a
    salutation or a title."""
    key = tokens[0].lower.rstrip(".")
    if key in SALUTATIONS or key in TITLES:
        return True
    if tokens[-1].lower in PLACE_NOUNS or (key in STREET_FIRST and len(tokens) > 1):
        return False  # "Sheikh Zayed City"; pass 26: "Rua Damasceno Monteiro", a street named after a person
    first, last, common = gazetteer()
    if len(tokens) == 1:  # "Nowak", "Anand-Williams" (and so "Karama", also a first name)
        return any(part in first or part in last for part in tokens[0].lower.split("-") if part not in common)
    return any(t.lower in first and t.lower not in common and t.lower not in PLACE_OPENERS for t in tokens) or \
        tokens[-1].lower in last  # "Gustav Lindqvist", "Khaled Haddad", "Frau Dr. Birgit Kühn"


#: Issue 18, pass 26: street types written before the name that open no person's name, unlike "Ronda" or "Al".
STREET_FIRST = words("""
rua calle avenida avda jalan travessa largo rue via strada carrer ulica praça praca alameda estrada rodovia paseo
pasaje jirón jiron callejón callejon calzada boulevard chemin route impasse allée allee corso viale piazza vicolo
""")
#: Titles before a person's name ("Dr. Meenakshi Sundaram", "Mr Okafor").
TITLES = words("""
mr mrs ms miss dr prof eng engr chief alhaji alhaja hajia mallam shri sri smt kumari frau herr hr fr sr sra señor señora
mme mlle signor sig sig.ra
""")


def place_run(tokens: Sequence[Token], lower_text: bool) -> bool:
    """Pass 22: whether a segment's words name an area, a town or a landmark (one to four words, the first a name,
    no prose, perhaps the area's number: "Kahawa Sukari", "Dubai Marina", "Al Nahda 2", "near City Hospital")."""
    if landmark(Segment(list(tokens), False), lower_text):
        return True
    return 1 <= len(tokens) <= 4 and tokens[0].word[:1].isalpha() and (capital(tokens[0].word) or lower_text) and \
        all((is_address_word(t, lower_text) or (t is not tokens[0] and t.lower in PLACE_NOUNS)) and  # "Joyland estate"
            (AREA_WORD.fullmatch(t.word) is not None or (t is not tokens[0] and
                                                 AREA_NUMBER.fullmatch(t.word) is not None)) for t in tokens) and \
        " ".join(t.lower for t in tokens) not in COUNTRIES


#: Pass 22: the words of an area's name ("Kahawa Sukari", "Jabal Amman", "V&A", "Gulshan-e-Iqbal") and its number
#: ("Al Nahda 2", "Mirpur 10", "Phase 1"): not an identifier's letters and digits ("C.F. RSSGLI85M52F205B").
AREA_WORD = re.compile(r"[^\W\d_]+(?:[-'’&.][^\W\d_]+)*\.?")
AREA_NUMBER = re.compile(r"\d{1,2}[A-Za-z]?")


def places_before(chunk: list[Segment], head: int, lower_text: bool, cues: Sequence[int]) -> tuple[int, int] | None:
    """Pass 22: (where the address starts, how many places it gained) when up to two segments of areas, towns or
    landmarks stand before chunk[head] on its line, after an address's cue, a person's name, or at the sentence's or
    the line's start ("Delivery address: Kahawa Sukari, Baringo Road, House No. 112, Nairobi", "Khaled Haddad, Jabal
    Amman, 3rd Circle, Building 7"): South Asian, Gulf and African addresses often give the area first. None when
    prose stands before them."""
    start, count = None, 0
    at = head - 1
    while at >= 0 and not chunk[at + 1].newline_before:
        tokens = chunk[at].tokens
        cue = max((c for c in cues if tokens[0].start < c <= tokens[-1].start), default=None)
        if cue is not None:
            tail = [t for t in tokens if t.start >= cue]
            if tail and place_run(tail, lower_text) and not person_like(tail):
                return tail[0].start, count + 1
            return (start, count) if start is not None and (not tail or person_like(tail)) else None
        if person_like(tokens):
            return (start, count) if start is not None else None
        if count == 2 or lower_text or not place_run(tokens, lower_text) or not all(t.word.isascii() for t in tokens):
            return None
        start, count = tokens[0].start, count + 1
        at -= 1
    return (start, count) if start is not None else None


def address_cue_before(segment: Segment) -> bool:
    """A segment that says an address follows and ends in a place ("My address is Kilimani", then "Argwings
    Kodhek Road, ..."): where the district comes first, before the street, as in Kenya and Nigeria."""
    return len(segment.tokens) >= 2 and any(t.lower in ADDRESS_WORDS for t in segment.tokens[:-1])


#: Words that announce an address, in the corpus's languages.
ADDRESS_WORDS = words("address adresse adres adresa adresă dirección direccion endereço endereco indirizzo anschrift")


def numbered_name(segment: Segment, start: int) -> bool:
    """Whether the segment from `start` is a house number and one to four words of a name ("45 Nguyễn Huệ")."""
    run = [t for t in segment.tokens if t.start >= start]
    return 2 <= len(run) <= 5 and is_house_number(run[0]) and run[0].word[:1].isdigit() and all(
        t.word[:1].isalpha() and t.lower not in PROSE for t in run[1:])


def lone_number(segment: Segment, start: int) -> bool:
    """Whether the segment from `start` is one house number ("221", "12-B", "B-702") and nothing else."""
    token = segment.tokens[-1]
    return token.start == start and token.word[:1].isalnum() and (
        (is_house_number(token) and token.word[:1].isdigit()) or LETTERED_FLAT.fullmatch(token.word) is not None)


def text_starts_with_digit(segment: Segment, start: int) -> bool:
    """Whether the token of `segment` at `start` begins with a digit or "#"."""
    token = next(t for t in segment.tokens if t.start == start)
    return token.word[:1].isdigit() or token.word[:1] == "#"


def blocks_in(chunk: list[Segment], evidence: list[Evidence], lower_text: bool,
              cues: Sequence[int] = ()) -> Iterator[tuple[int, int]]:
    """The address blocks of one chunk (`cues`: where LIVE_AT's cues end in the text)."""
    per_segment: list[list[Evidence]] = []
    ordered = sorted(evidence, key=lambda e: e.start)
    first = 0
    segments: list[Segment] = []
    for segment in chunk:
        lo, hi = segment.tokens[0].start, segment.tokens[-1].end
        while first < len(ordered) and ordered[first].end <= lo:
            first += 1
        inside = overlapping(ordered, first, lo, hi)
        halves = split_segment(segment, inside, lower_text) if len(inside) > 1 else None
        if halves is not None:
            segments.extend((halves[0], halves[2]))
            per_segment.extend((halves[1], halves[3]))
            continue
        segments.append(segment)
        per_segment.append(main_cluster(segment, inside, lower_text) if inside else inside)
    chunk = segments
    parts: list[tuple[int, int, bool, bool] | None] = []
    for segment, found in zip(chunk, per_segment):
        if found:
            parts.append(part_of(segment, found, lower_text))
        elif clean(segment, lower_text):
            lo, hi = segment.tokens[0].start, segment.tokens[-1].end
            parts.append((lo, hi, True, True))
        else:
            parts.append(None)
    index = 0
    while index < len(chunk):
        if not per_segment[index] or parts[index] is None:
            index += 1
            continue
        first = last = index
        # join evidence segments through the clean ones between them
        probe = index
        while True:
            part = parts[probe]
            assert part is not None
            if not part[3]:
                break
            nxt = probe + 1
            while nxt < len(chunk) and not per_segment[nxt] and parts[nxt] is not None and nxt - probe <= 3:
                nxt += 1
            joined = parts[nxt] if nxt < len(chunk) and per_segment[nxt] else None
            if joined is None or not joined[2]:
                break
            probe = last = nxt
        start_part, end_part = parts[first], parts[last]
        assert start_part is not None and end_part is not None
        start, end = start_part[0], end_part[1]
        street_line = False
        numbered_district = False  # "12-B, Model Town, Lahore": a house number alone before a district
        if start_part[2]:  # grow backwards over a number or unit run ("101-1203", "12")
            back = first - 1
            while back >= 0 and first - back <= 2 and not chunk[back + 1].newline_before:
                lead = leading(chunk[back], lower_text)
                if lead is None:
                    break
                start = lead[0]
                # "Ilica 45, 10000 Zagreb": a name and a house number right before a postcode is a street
                # "45 Nguyễn Huệ, Phường Bến Nghé, Quận 1": a house number and a name before a district too
                street_line = street_line or (back == first - 1 and (
                    (not text_starts_with_digit(chunk[back], lead[0]) and
                     any(e.category in POSTCODES for e in per_segment[first])) or
                    (numbered_name(chunk[back], lead[0]) and
                     any(e.category in POSTCODES or e.category == DISTRICT for e in per_segment[first]))))
                numbered_district = numbered_district or (
                    back == first - 1 and lone_number(chunk[back], lead[0]) and
                    per_segment[first][0].category == DISTRICT)
                if lead[0] != chunk[back].tokens[0].start:
                    break
                back -= 1
        if start == start_part[0] and start_part[2] and first and not chunk[first].newline_before and \
                (per_segment[first][0].category == DISTRICT or address_cue_before(chunk[first - 1])) and \
                city_before(chunk[first - 1], lower_text):
            start = chunk[first - 1].tokens[-1].start  # "Seoul, Mapo-gu, Yanghwa-ro 45": the city first
        elif start == start_part[0] and start_part[2] and first and not chunk[first].newline_before:
            town = town_before_street(chunk[first - 1], chunk[first], lower_text)
            start = start if town is None else town
        opened = None
        if start == start_part[0] and start_part[2] and first and not chunk[first].newline_before:
            opened = trailing_landmark(chunk[first - 1], lower_text)
            if opened is not None:
                start = opened  # pass 21: "behind Moi Stadium, Plot 44, Kisumu"
        led = 0  # pass 22: the area, town or landmark the address opens with ("Kahawa Sukari, Baringo Road, ...")
        head = next((k for k in range(first, -1, -1) if chunk[k].tokens[0].start == start), None)
        if head is not None and opened is None:
            before = places_before(chunk, head, lower_text, cues)
            if before is not None:
                start, led = before
        found = [e for k in range(first, last + 1) for e in per_segment[k]]
        categories = {e.category for e in found} | ({STREET} if street_line else set())
        country = False
        marks = sum(landmark(chunk[k], lower_text) for k in range(first, last + 1) if not per_segment[k]) + \
            (opened is not None)
        inner = sum(not per_segment[k] for k in range(first, last + 1)) + (opened is not None)
        ran = 0
        named = False  # pass 22: a person's name among the places ("Room 214 Block C, Siddharth Rao Kulkarni, ...")
        bare_code = False  # a bare postcode closing the places ("Erf 1234, Khayelitsha, 7784")
        places = 0
        if end_part[3]:  # grow forwards over place names, region codes, postcodes, countries
            ahead = last + 1
            passed = 0  # pass 21: a landmark among the places ("..., Mabushi, behind Total filling station, Abuja, FCT")
            while ahead < len(chunk) and (ahead - last - passed <= 3 or
                                          (ahead - last - passed == 4 and is_country(chunk[ahead]))) and \
                    not per_segment[ahead]:  # (a fourth place only when it is the country)
                line_end = place_line(chunk, ahead, lower_text) if chunk[ahead].newline_before else None
                if line_end is None and town_line(chunk, ahead, lower_text):
                    end = chunk[ahead].tokens[-1].end  # pass 25: "Plot 5, Block C\nLekki Phase 1\nLagos"
                    places += not landmark(chunk[ahead], lower_text)
                    ahead += 1
                    passed += 1
                    continue
                if line_end is not None and not place_like(chunk[ahead], lower_text):
                    end = chunk[line_end].tokens[-1].end  # "...Apto 1202\nMedellín, Antioquia"
                    ahead = line_end + 1
                    continue
                if not place_like(chunk[ahead], lower_text):
                    run = opening_run(chunk[ahead], lower_text)  # "Dubai, UAE is our postal address"
                    if run is not None:
                        end = run
                        ran = 1  # pass 22: a place all the same after a cue ("deliver to Flat 21, Sharjah please")
                        country = country or is_country(chunk[ahead], run)
                    break
                end = chunk[ahead].tokens[-1].end
                if landmark(chunk[ahead], lower_text):
                    marks += 1
                    passed += 1
                    ahead += 1
                    continue
                country = country or is_country(chunk[ahead])
                named = named or person_like(chunk[ahead].tokens)
                bare_code = bare_code or (places > 0 and bare_postcode(chunk[ahead]))
                places += 1
                ahead += 1
        # "Flat 12B, Tower 3, Taikoo Shing, Quarry Bay, Hong Kong": where there is no postcode, two units
        # and the places down to a country make the block (a place of its own, not "Room 5, Building 2,
        # Uganda office is done"); "Plot 45, Kololo Hill Drive, Kampala": a unit,
        # a street's name and a place
        cued = start in cues  # pass 22: "deliver to Flat 21, Al Zahra Building, ...", "Address: Lekki Phase 1, Lagos"
        settled = places + led + inner  # the places and landmarks around the evidence and between its parts
        if categories & STRONG or (len(categories) >= 2 and (WEAK_POSTCODE in categories or len(found) >= 3)) or (
                cued and len(found) + settled + ran >= 2) or (  # pass 22: an address's cue and two parts
                settled and len(found) + settled >= 3 and not named and numbered(chunk, found) and (
                    len(found) >= 2 or text_of(chunk, found[0]).split()[0].lower().rstrip(".") in RESIDENCES)) or (  # pass 22: "Erf 4567, Mfuleni, Cape Town"
                len(found) >= 2 and country and places) or ({UNIT, STREET_NAME} <= categories and places) or (
                {UNIT, DISTRICT} <= categories and (places or marks)) or (  # "Plot 15, Kolapo Ishola GRA, Ibadan"
                # (pass 24: or a landmark: "2nd district, building 9, near the Grand Mosque")
                len(found) >= 3 and places) or (  # "Casa 12, Manzana 4, Urbanización Los Pinos, Guayaquil"
                len(found) >= 2 and places >= 2) or (
                found and marks and len(found) + inner + places >= 3) or (  # pass 21: "Ward No. 4, Baluwatar, Kathmandu, near Bir Hospital"  # "Flat B-12, Block 13-D, Gulshan-e-Iqbal, Karachi"
                numbered_district and places) or (  # "12-B, Model Town, Lahore"
                bare_code and categories & {UNIT, DISTRICT, STREET_NAME}) or (  # "Erf 1234, Khayelitsha, 7784"
                places and any(GHANA_DIGITAL.fullmatch(text_of(chunk, e)) for e in found)) or (  # "AK-039-5028, Adum"
                building_place(chunk, found, end)):  # "Unit 19F, Avida Towers Makati West"
            yield start, end
        index = last + 1


GPS_LABELS = frozenset({"GPS", "GhanaPost"})
#: Ghana's digital address as evidence: with a place after it, an address ("AK-039-5028, Adum, Kumasi").
GHANA_DIGITAL = re.compile(r"[A-Z]{2}-\d{3,4}-\d{4}")
#: A zone's or a sector's code after its word ("Cadastral Zone A06", "Zone B2").
ZONE_CODE = re.compile(r"[A-Z]\d{1,3}[A-Z]?|\d{1,3}[A-Z]")


#: Pass 22: the units where people live, which with two places make an address alone ("Erf 4567, Mfuleni, Cape Town",
#: "House 112, Kahawa Sukari, Nairobi"; not a workshop's "Lot 5, Jalan Kemajuan, PJ").
RESIDENCES = words("house hse h/no h.no hno villa flat apartment apt bungalow plot erf holding kothi duplex makan")
#: Pass 22: the pieces whose number makes a house's, a flat's or an area's ("Erf 4567", "Phase 6", "Villa 12").
NUMBERED_PIECES = frozenset({UNIT, DISTRICT, STREET})


def numbered(chunk: list[Segment], found: Sequence[Evidence]) -> bool:
    """Pass 22: whether a unit, a district or a street of `found` has a number ("Erf 4567", not "Villa Tramonto" or a
    booking's "Reserva 99120")."""
    return any(piece.category in NUMBERED_PIECES and NUMBER.search(text_of(chunk, piece)) for piece in found)


def text_of(chunk: list[Segment], piece: Evidence) -> str:
    """The words of `chunk` that `piece` spans, joined by a space (evidence of one token is that token)."""
    return " ".join(t.word for segment in chunk for t in segment.tokens if piece.start <= t.start and t.end <= piece.end)


def bare_postcode(segment: Segment) -> bool:
    """A segment that is one number of four to six digits and no year ("7784", "00100"): a postcode after a place."""
    tokens = segment.tokens
    return len(tokens) == 1 and tokens[0].word.isdigit() and 4 <= len(tokens[0].word) <= 6 and \
        YEAR.fullmatch(tokens[0].word) is None


def building_place(chunk: list[Segment], found: Sequence[Evidence], end: int) -> bool:
    """A numbered unit, then a named building ("Avida Towers", "Palm Residency") and a place after it, on
    the building's segment or after it ("Unit 19F, Avida Towers Makati West"): a block of flats' address."""
    if len(found) != 2 or found[0].category != UNIT or found[1].category != UNIT or end <= found[1].end:
        return False
    ends = {t.end: t for segment in chunk for t in segment.tokens}
    building, place = ends.get(found[1].end), ends.get(end)
    return building is not None and building.lower in BUILDING_AFTER and found[0].end < found[1].start and \
        place is not None and place.lower not in PARTICLES  # not "Unit 5, Sunset Towers of the game"


def place_line(chunk: list[Segment], at: int, lower_text: bool) -> int | None:
    """The last segment of the line starting at chunk[at] when that line is a town and a region or
    country, two or three short place names after commas and nothing else ("Medellín, Antioquia"); a
    line of one name (a person's, a greeting) is not taken."""
    last = at
    while last + 1 < len(chunk) and not chunk[last + 1].newline_before:
        last += 1
    if not 1 <= last - at <= 2:
        return None
    for segment in chunk[at:last + 1]:
        if len(segment.tokens) > 3 or not clean(segment, lower_text) or any(
                t.word[:1].isdigit() for t in segment.tokens):
            return None
    return last


#: Pass 25: words that close a letter on a line of their own under an address ("Cordialement,\nNathalie").
SIGN_OFFS = words("""
thanks thank regards cheers best sincerely faithfully yours cordialement salutations saludos atentamente saluti
groet groeten cumprimentos atenciosamente hilsen pozdrawiam mvh mfg lg grüße gruß merci gracias danke grazie
obrigado obrigada asante shukran
""")


#: Issue 18, pass 26: particles inside a town's or an area's name on its own line ("Cercado de Lima", "Vila do Conde").
TOWN_PARTICLES = frozenset({"de", "del", "do", "da", "dos", "das", "di", "la", "el"})


def town_line(chunk: list[Segment], at: int, lower_text: bool) -> bool:
    """Pass 25: whether chunk[at] is a line of its own naming a town or an area, or a landmark, as an address written
    over several lines ends ("Plot 5, Block C\nLekki Phase 1\nLagos", "Flat 1203, Tower B\nnear Mall of the
    Emirates\nDubai"); not a person's name under it (a signature's), nor a line of prose."""
    segment = chunk[at]
    if not segment.newline_before or (at + 1 < len(chunk) and not chunk[at + 1].newline_before):
        return False
    tokens = segment.tokens
    if landmark(segment, lower_text) and tokens[0].lower.rstrip(".") in LANDMARK_LINKS:
        return True
    if len(tokens) == 1 and (len(tokens[0].word) < 4 or tokens[0].lower in ROLE_LABELS):
        return False  # a chat's next speaker, a label's abbreviation ("…, București\nAgent", "…\nТел.")
    return len(tokens) <= 3 and tokens[0].lower not in SALUTATIONS | SIGN_OFFS and not person_like(tokens) and all(
        (t.word[:1].isupper() and t.word.replace("-", "").isalpha() and t.lower not in PROSE and
         town_like(t.word, lower_text)) or (0 < i < len(tokens) - 1 and t.lower in TOWN_PARTICLES)
        for i, t in enumerate(tokens))  # (pass 26: "Cercado de Lima", "San Juan de Lurigancho" inside the name)


def is_country(segment: Segment, end: int | None = None) -> bool:
    """Whether the segment (up to `end`) is a country's name."""
    return " ".join(t.lower for t in segment.tokens if end is None or t.end <= end).strip(".") in COUNTRIES


def lower_case(chunk: list[Segment]) -> bool:
    """Whether a sentence is written in lower case: no word of it is capitalised ("I", "AK", "NSW" may be),
    but for short openings without a number ("Hi Maria, pls ship to c/ mayor 5, 28013 madrid")."""
    numbered = False
    for segment in chunk:
        numbered = numbered or len(segment.tokens) > 3 or any(c.isdigit() for t in segment.tokens for c in t.word)
        if not numbered:
            continue  # a short opening ("Hi Maria", "Thanks")
        for token in segment.tokens:
            if token.word[:1].isupper() and token.word[1:2].islower():
                return False
    return True


def overlapping(ordered: Sequence[Evidence], first: int, lo: int, hi: int) -> list[Evidence]:
    """The pieces of `ordered` (sorted by start; none before `first` reaches `lo`) that overlap [lo, hi)."""
    inside = []
    for piece in ordered[first:]:
        if piece.start >= hi:
            break
        if lo < piece.end:
            inside.append(piece)
    return inside


def find_address_blocks(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each address block in `text`."""
    if not NUMBER.search(text):
        yield from digit_free_blocks(text)
        return
    for match in CJK_ADDRESS.finditer(text):
        yield match.start(), match.end()
    for script, pattern in ((ARABIC_LETTER, ARABIC_ADDRESS), (CYRILLIC_LETTER, CYRILLIC_ADDRESS),
                            (THAI_LETTER, THAI_ADDRESS)):
        if script.search(text) is None:
            continue  # (a scan for one letter of the script costs far less than the pattern's)
        for match in pattern.finditer(text):
            if NUMBER.search(match.group()) or (pattern is ARABIC_ADDRESS and street_district_town(match.group())):
                yield match.start(), match.end()
    if VN_HINT.search(text):
        for match in VN_ADDRESS.finditer(text):
            yield match.start(), match.end()
    yield from vietnamese_wards(text)
    yield from rural_labelled(text)
    yield from labelled_fields(text)
    yield from labelled_values(text)
    yield from postcode_fields(text)
    yield from area_fields(text)
    for script, pattern in SCRIPT_ADDRESSES:  # issue 18, nineteenth pass
        if script.search(text) is not None:
            for match in pattern.finditer(text):
                if NUMBER.search(match.group()):
                    yield match.start(), match.end()
    tokens = tokens_of(text)
    chunks = chunks_of(text, tokens)
    #: Lower case counts per sentence: an address typed in lower case in a text that has capitals elsewhere.
    lowers = [lower_case(chunk) for chunk in chunks]
    starts = [chunk[0].tokens[0].start for chunk in chunks]
    evidence = sorted(pattern_evidence(text, starts, lowers), key=lambda e: e.start)
    cues = [match.end() for match in LIVE_AT.finditer(text)]
    first = 0  # evidence before it ends before the chunks still to come (one sweep: linear in the text)
    for chunk, lower_text in zip(chunks, lowers):
        lo, hi = chunk[0].tokens[0].start, chunk[-1].tokens[-1].end
        while first < len(evidence) and evidence[first].end <= lo:
            first += 1
        if cues and any(lo < cue < hi for cue in cues):
            # every address has a number (a house, a unit, a postcode or a box) but for a named street
            # that someone says they live at ("I stay at Kindaruma Road, Kilimani")
            yield from numberless(text, chunk, lower_text, cues)
            yield from cued_places(text, chunk, lower_text, cues)
        if not NUMBER.search(text, lo, hi) and BB.search(text, lo, hi) is None:
            continue  # (a street "bb", without a number, counts as one)
        inside = overlapping(evidence, first, lo, hi)
        flat = [t for segment in chunk for t in segment.tokens]
        inside.extend(token_evidence(text, flat, lower_text))
        inside.extend(streets(text, flat, lower_text))
        inside.extend(cued_streets(text, cues, lo, hi))
        if inside:
            yield from blocks_in(chunk, inside, lower_text, cues)


#: Issue 18, pass 27: a street named without a type word ("Rosenlund", "Kirkehøj", "Sonnenhöhe", "Mäkelänrinne"), one
#: to three capitalised words and a house number (perhaps a stair's letter and a flat's number), ending its part, right
#: after LIVE_AT's cue ("Jeg bor på Kirkehøj 8, Ballerup", "ich wohne Sonnenhöhe 3, Graz").
CUED_STREET = re.compile(r"(?:[^\W\d_](?<![^\W\d_].)(?<=[A-ZÀ-ÞĀ-Ž])[^\W\d_'’-]+(?:-[^\W\d_]+)?[ ]){1,3}\d{1,4}[a-z]?"
                         r"(?:[ ][A-Z](?:[ ]\d{1,3})?)?(?=,[ ]?(?:\d{4,5}[ ])?[A-ZÀ-ÞĀ-Ž][^\W\d_]+)")
#: Words that open a venue's or a building's part, not a street's ("I'm at Terminal 2, Heathrow", "Level 3, …").
NOT_CUED_STREETS = WORD_KEYS | MARKET_PLACES | words("terminal group section row seat hall room lounge wing pier dock")


def cued_streets(text: str, cues: Sequence[int], lo: int, hi: int) -> Iterator[Evidence]:
    """STREET evidence for CUED_STREET right after a cue that falls in text[lo:hi]."""
    for cue in cues:
        if lo <= cue < hi:
            match = CUED_STREET.match(text, cue)
            if match is not None and match.group().split()[0].lower() not in NOT_CUED_STREETS:
                yield Evidence(match.start(), match.end(), STREET)


#: Pass 23: a rural address of India, Bangladesh or Nepal as its labelled parts ("Vill: Char Kukri Mukri, PO: Char
#: Fasson, PS: Char Fasson, Dist: Bhola", "At/Po: Baripada, Near Jagannath Temple, Dist: Mayurbhanj, Odisha - 757001",
#: "Vill- Rampur, PO- Sonpur, PS- Bihpur, Dist- Bhagalpur"): the village, its post office, police station (thana) and
#: district each after its label, then perhaps the state and PIN. Three labels, one of them the village's or the
#: district's, make it an address ("PO: 4471, PS: thanks" is none).
RURAL_LABEL = (r"(?i:vill(?:age)?|at(?:[ ]?/[ ]?p\.?o)?|p\.?[ ]?o|post|p\.?[ ]?s|thana|teh(?:sil)?|taluka?|mandal|upazila|"
               r"dist(?:rict)?|distt|dt)\.?[ ]?[:\-–][ ]?")
RURAL_NAME = r"[A-Z][\w'.-]*(?:[ ][A-Z][\w'.-]*){0,3}"
RURAL_ADDRESS = re.compile(
    rf"(?<![\w/]){RURAL_LABEL}{RURAL_NAME}(?:,[ ]?(?:{RURAL_LABEL}{RURAL_NAME}|(?i:near|opp\.?|opposite|behind)[ ]"
    rf"{RURAL_NAME}|{RURAL_NAME}(?:[ ]?[-–]?[ ]?[1-8]\d{{2}}[ ]?\d{{3}}(?!\d))?)){{1,6}}")
RURAL_KEY = re.compile(r"(?i:\b(?:vill|village|at|dist|district|distt|dt)\.?[ ]?[:\-–/])")
RURAL_EACH = re.compile(rf"(?<![\w/]){RURAL_LABEL}")
AT_PO = re.compile(r"(?i:\bat[ ]?/[ ]?p\.?o)")  # "At/Po": the village and its post office, two labels in one
RURAL_HINT = re.compile(r"(?i:\b(?:vill|village|at[ ]?/[ ]?po|dist|distt|dt)\b)")


def rural_labelled(text: str) -> Iterator[tuple[int, int]]:
    """RURAL_ADDRESS's addresses with three labels, one of them the village's or the district's."""
    if RURAL_HINT.search(text) is None:
        return
    for match in RURAL_ADDRESS.finditer(text):
        labels = len(RURAL_EACH.findall(match.group())) + len(AT_PO.findall(match.group()))
        if labels >= 3 and RURAL_KEY.search(match.group()) is not None:
            yield match.start(), match.end()


#: Pass 23: an address in a form's field, after its label and a colon, down to the line's end or a field separator
#: (" - ", " | "): "STRASSE: AM ALTEN MARKT 3" and "PLZ/ORT: 50667 KÖLN" on the next line, "DOMICILIO: SAN MARTIN
#: 1452, ROSARIO, SANTA FE (S2000) - IMPORTE …", "Street: 4821 N Lincoln Ave Apt 2F" then "City/State/ZIP: Chicago, IL
#: 60625". Forms typed in capitals give no other clue; the value must hold a digit and a letter.
FIELD_LABEL = (r"(?:(?:HOME[ ]|MAILING[ ]|POSTAL[ ]|DELIVERY[ ]|SHIPPING[ ])?ADDRESS|STREET|STRASSE|STRAẞE|ANSCHRIFT|ADRESSE|"
               r"WOHNORT|ADRES|ADRESA|DOMICILIO|DIRECCI[OÓ]N|ENDERE[CÇ]O|INDIRIZZO|RESIDENZA|PLZ[ ]?/[ ]?ORT|CP[ ]?/[ ]?VILLE|"
               r"CITY[ ]?/[ ]?STATE[ ]?/[ ]?ZIP|CITY,[ ]STATE,[ ]ZIP|(?:Home[ ]|Mailing[ ]|Postal[ ])?Address|Street|Stra(?:ss|ß)e|"
               r"Anschrift|Domicilio|Direcci[oó]n|Endere[cç]o|Indirizzo|PLZ[ ]?/[ ]?Ort|City[ ]?/[ ]?State[ ]?/[ ]?ZIP)")
FIELD = re.compile(rf"(?<![\w/])(?:{FIELD_LABEL})[ \t]*:[ \t]*(?P<value>[^\n:]{{3,90}}?)(?=[ \t]+[-–|][ \t]+|[ \t]*(?:\n|$))")
FIELD_HINT = re.compile(r"(?i:address|stra(?:ss|ß)e|anschrift|adres|domicilio|direcci|endere|indirizzo|plz|city)")


def labelled_fields(text: str) -> Iterator[tuple[int, int]]:
    """FIELD's values that hold a digit and a letter; fields on consecutive lines joined into one address."""
    if FIELD_HINT.search(text) is None:
        return
    last: tuple[int, int] | None = None
    joined = False  # whether `last` is two fields or more
    for match in FIELD.finditer(text):
        value = match.group("value")
        if not (NUMBER.search(value) and any(c.isalpha() for c in value)) or "@" in value or \
                any(word in ID_BEFORE for word in value.lower().replace(",", " ").split()):
            continue  # ("ADDRESS: SAME AS BILLING, ORDER 55123": an order's number, no address)
        if last is not None and text[last[1]:match.start()].strip(" \t") == "\n":
            last, joined = (last[0], match.end("value")), True  # "STRASSE: AM ALTEN MARKT 3\nPLZ/ORT: 50667 KÖLN"
            continue
        if last is not None and (joined or text[last[0]:last[1]].isupper()):
            yield last
        last, joined = (match.start("value"), match.end("value")), False
    if last is not None and (joined or text[last[0]:last[1]].isupper()):
        yield last  # (a field alone only in capitals: "Address: …" in prose is LIVE_AT's and the blocks')


#: Pass 23: of ARABIC_KEY, the street's and the district's words.
ARABIC_STREET = re.compile(r"(?:^|[،,][ ]?)(?:شارع|زنقة|درب|طريق|جادة|خیابان|کوچه|بلوار|گلی|سڑک|روڈ)[ ]")
ARABIC_DISTRICT = re.compile(r"(?:^|[،,][ ]?)(?:حي|منطقة|حارة|محلہ|کوی|شهرک|سیکٹر)[ ]")
ARABIC_PARTS = re.compile("[،,]")


def street_district_town(address: str) -> bool:
    """Pass 23: an address in Arabic script without a number is a street, a district and a town, each its own part
    ("شارع الملك فهد، حي العليا، الرياض"): how Gulf and Levantine addresses are given where houses have no number."""
    return len(ARABIC_PARTS.findall(address)) >= 2 and ARABIC_STREET.search(address) is not None and \
        ARABIC_DISTRICT.search(address) is not None


def arabic_digit_free(text: str) -> Iterator[tuple[int, int]]:
    """Pass 23: ARABIC_ADDRESS's street, district and town in a text with no digit."""
    if ARABIC_LETTER.search(text) is not None:
        for match in ARABIC_ADDRESS.finditer(text):
            if street_district_town(match.group()):
                yield match.start(), match.end()


VN_WARD_HINT = re.compile("[Pp]hường|[Pp]huong|[Xx]ã|[Tt]hị trấn")


def vietnamese_wards(text: str) -> Iterator[tuple[int, int]]:
    """Pass 23: VN_WARD_FIRST's addresses, with or without a digit."""
    if VN_WARD_HINT.search(text) is not None:
        for match in VN_WARD_FIRST.finditer(text):
            yield match.start(), match.end()


def digit_free_blocks(text: str) -> Iterator[tuple[int, int]]:
    """Pass 23: the addresses a text with no digit at all can hold: a street or run of places right after LIVE_AT's
    cue ("I live on Rua das Flores, Bairro Centro, Curitiba"), a Japanese block in kanji numerals
    ("大阪市北区梅田三丁目一番一号"), a Vietnamese ward, district and city, a rural address by its labels, and an
    Arabic-script street, district and town. Every other address has a digit."""
    if CHOME.search(text) is not None:
        for match in JAPANESE_KANJI_ADDRESS.finditer(text):
            yield match.start(), match.end()
    yield from vietnamese_wards(text)
    yield from rural_labelled(text)
    yield from arabic_digit_free(text)
    yield from labelled_values(text)
    cues = [match.end() for match in LIVE_AT.finditer(text)]
    if not cues:
        return
    for chunk in chunks_of(text, tokens_of(text)):
        lo, hi = chunk[0].tokens[0].start, chunk[-1].tokens[-1].end
        if any(lo < cue < hi for cue in cues):
            lower_text = lower_case(chunk)
            yield from numberless(text, chunk, lower_text, cues)
            yield from cued_places(text, chunk, lower_text, cues)


#: What someone writes right before where they live when the street has no number: "I stay at",
#: "we live on", "located at", "ship it to", "my address is", "address:".
LIVE_AT = re.compile(r"\b(?:live|lives|living|stay|stays|staying|located|reside|resides|residing)[ \t]+(?:at|on|in|near)[ \t]+"
                     # pass 24: where someone is for a delivery ("im at Al Nahda, Sharjah, …", Swahili "niko Mikocheni B, …")
                     r"|\b(?:i['’]?m|i[ \t]+am|we['’]?re|we[ \t]+are)[ \t]+at[ \t]+|\b(?:niko|tuko)[ \t]+"
                     r"|\b(?:ship|deliver|send|post|mail|courier|dispatch|bring)(?:[ \t]+(?:it|them|this|that|everything|"
                     r"(?:the|my)[ \t]+[a-z]+))?[ \t]+to[ \t]+(?:my[ \t]+(?:home|house|place|flat|apartment|residence)"
                     r"(?:[ \t]+address)?(?:[ \t]+(?:at|in|on))?[ \t]*:?[ \t]*)?"
                     r"|\b(?:my|our)[ \t]+(?:home|house|place|flat|apartment|residence)[ \t]+is[ \t]+(?:(?:at|on|in|near)[ \t]+)?"
                     r"|\b(?:address|adress|addr|location)(?:[ \t]+is)?[ \t]*[:–-]?[ \t]+"
                     # pass 23: the same in other languages, an article perhaps before the street ("vivo en la Calle
                     # Mayor", "moro na Rua Augusta", "j'habite rue des Lilas", "ich wohne in der Lindenstraße",
                     # "tinggal di Jalan Melati", "nakatira sa Purok 3"), and the word for address with a colon or "is"
                     r"|(?:\b(?:vivo|moro|habito|abito|wohne|woon|woont|bor|tinggal|nakatira(?:[ \t]+(?:ako|kami))?)"
                     r"[ \t]+(?:en|em|na|no|nas|nos|in|a|am|an|auf|im|aan|op|på|i|di|sa)|\bj['’]habite(?:[ \t]+(?:à|au|aux))?)"
                     r"[ \t]+(?:(?:la|el|los|las|o|a|der|die|dem|de|het)[ \t]+)?"
                     # and "send to" ("kirim ke", Malay "hantar ke", Tagalog "ipadala sa", "envíalo a", "liefern an")
                     r"|\b(?:kirim(?:kan)?|antar|hantar|ipadala|env[ií]a(?:lo|la|r)?|m[aá]nda(?:lo|la|r)?|envoyer|livrer|"
                     r"liefern|schicken|senden|sturen|opsturen)[ \t]+(?:ke|sa|a|para|pra|à|an|naar)[ \t]+"
                     r"|\b(?:dirección|direccion|endereço|endereco|adresse|adres|adresa|indirizzo|anschrift|alamat|adresi)"
                     r"(?:[ \t]+(?:es|é|ist|est|è|is|saya|rumah))?[ \t]*(?::[ \t]*|(?<=[sétè])[ \t]+)", re.IGNORECASE)
#: Pass 22: of LIVE_AT's cues, those that say where someone lives only down to a town ("I live in Nairobi"): no run of
#: places alone after them is an address.
TOWN_CUE = re.compile(r"[ \t](?:in|en|em|no|na|nos|nas|à|a|i|di|sa|op|aan|på|am|im|auf)[ \t]+\Z",
                      re.IGNORECASE)  # (pass 23: "vivo en", "moro no", "bor i", "tinggal di")


def numberless(text: str, chunk: list[Segment], lower_text: bool, cues: Sequence[int]) -> Iterator[tuple[int, int]]:
    """A street's name without a number right after LIVE_AT (whose ends are `cues`) that fills its
    segment, and the places after it, at least one ("Kindaruma Road, Kilimani"): the address of a
    country without house numbers."""
    flat = [t for segment in chunk for t in segment.tokens]
    for piece in streets(text, flat, lower_text):
        if piece.category != STREET_NAME or piece.start not in cues:
            continue
        at = next(i for i, segment in enumerate(chunk) if segment.tokens[-1].end >= piece.end)
        if chunk[at].tokens[-1].end != piece.end:
            continue  # "I live on Main Street since May": prose after the street
        end = piece.end
        ahead = at + 1
        while ahead < len(chunk) and ahead - at <= 3 and not chunk[ahead].newline_before and \
                place_like(chunk[ahead], lower_text):
            end = chunk[ahead].tokens[-1].end
            ahead += 1
        if ahead > at + 1:
            yield piece.start, end


#: Pass 22: a firm or a group speaking before a cue ("we deliver to Lagos, Abuja, Kano", "our shop is at ..."): what
#: follows is where it trades, no one's address.
FIRM_VOICE = re.compile(r"\b(?i:we|we're|we've|our|us)\b[^.!?\n]{0,30}\Z")


def cued_places(text: str, chunk: list[Segment], lower_text: bool, cues: Sequence[int]) -> Iterator[tuple[int, int]]:
    """Pass 22: the parts right after an address's cue (LIVE_AT) down to the sentence's end, when there are two or more
    and each is an area, a town, a landmark or a house's number alone ("my address is Westlands, Nairobi", "my home is
    45-C, Gulberg III, Lahore", "deliver to Thika Road, opposite Garden City Mall, Roysambu"): addresses of places
    without street numbers. Not after "live in" (a town's name alone), nor a person's name first, nor countries."""
    for cue in cues:
        at = next((k for k, segment in enumerate(chunk) if segment.tokens[0].start <= cue <= segment.tokens[-1].start),
                  None)
        if at is None or FIRM_VOICE.search(text, max(0, cue - 50), cue):
            continue
        head = [t for t in chunk[at].tokens if t.start >= cue]
        if not head or at + 1 == len(chunk) or any(segment.newline_before for segment in chunk[at + 1:]):
            continue
        typed = typed_street(head, lower_text)  # (pass 23: "abito in Via Garibaldi": a street, not a town, after "in")
        if not typed and (TOWN_CUE.search(text, max(0, cue - 4), cue) or (person_like(head) and not district_led(head))):
            continue  # (pass 23: "Barangay San Roque" is no person)
        lone = len(head) == 1 and is_house_number(head[0]) and head[0].word[:1].isdigit()
        rest = places_after(chunk[at + 1:], chunk[-1], lower_text)
        if rest is None or not (lone or typed or area_part(Segment(head, False), lower_text)):
            continue
        if sum(not is_country(Segment(segment, False)) for segment in rest) + (not lone) < 2 and not lone:
            continue  # "ship to Nairobi, Kenya": a town and its country
        yield head[0].start, rest[-1][-1].end


def places_after(segments: list[Segment], final: Segment, lower_text: bool) -> list[list[Token]] | None:
    """Pass 23: the tokens of each place of `segments` (areas, towns, landmarks, the sentence's postcode), down to the
    sentence's end or to prose after them ("…, São Paulo, pode entregar lá", "…, Lagos pls"); None when a segment is
    neither, or none is a place."""
    places: list[list[Token]] = []
    for segment in segments:
        if area_part(segment, lower_text) or (bare_postcode(segment) and segment is final):
            places.append(segment.tokens)
            continue
        count = places_then_prose(segment, lower_text)
        if count:
            places.append(segment.tokens[:count])
        elif lower_text or not segment.tokens[0].word[:1].islower():
            return None
        break
    return places or None


def area_part(segment: Segment, lower_text: bool) -> bool:
    """Pass 23: an area, a town or a landmark (`place_run`, `landmark`), or an area after its lower-case word
    ("barrio de Salamanca", "quartier Saint-Michel", "frazione San Martino", "purok Malinis")."""
    tokens = segment.tokens
    if place_run(tokens, lower_text) or landmark(segment, lower_text):
        return True
    rest = tokens[2:] if len(tokens) > 2 and tokens[1].lower in PARTICLES else tokens[1:]
    return district_led(tokens) and bool(rest) and place_run(rest, lower_text)


def district_led(tokens: Sequence[Token]) -> bool:
    """Pass 23: whether a segment opens with the word for a district ("Barangay San Roque", "Bairro Centro")."""
    key = tokens[0].lower.rstrip(".")
    return len(tokens) > 1 and (key in DISTRICT_WORDS or key in AREA_KEYS)


#: Pass 23: words for a town's part that DISTRICT_WORDS lacks: Italy's frazione, Germany's Ortsteil, the Philippines'
#: purok and sitio, Bali's banjar, Malaysia's and Indonesia's kampung.
AREA_KEYS = words("frazione fraz località loc ortsteil ot purok sitio banjar kampung kampong sídliště sídlisko cartier")


def places_then_prose(segment: Segment, lower_text: bool) -> int:
    """Pass 23: how many of a sentence's last segment's first words name a place when prose follows them ("Lagos pls",
    "Madrid y el pedido no llega"): none unless the word after them is in lower case in a capitalised text."""
    tokens = segment.tokens
    for count in range(min(4, len(tokens) - 1), 0, -1):
        if not lower_text and tokens[count].word[:1].islower() and place_run(tokens[:count], lower_text):
            return count
    return 0


def typed_street(tokens: Sequence[Token], lower_text: bool) -> bool:
    """Pass 23: whether a segment is a street named without its number, its type word first ("Calle Mayor", "rue des
    Lilas", "Via Garibaldi", "Rua Augusta"): after an address's cue, an address of a street without numbers."""
    if len(tokens) < 2 or tokens[0].lower.rstrip(".") not in TYPE_BEFORE:
        return False
    names = [t for t in tokens[1:] if t.lower not in PARTICLES]
    return 1 <= len(names) <= 4 and len(tokens) <= 6 and all(
        AREA_WORD.fullmatch(t.word) is not None and (capital(t.word) or lower_text) for t in names)


def union(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans merged into one."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


#: Words a product named after a street is written after ("el sofá Gran Vía", "frigorifero Via Veneto
#: 300L", "bank model 'Keizersgracht 3-zits'", "candeeiro Rua Augusta"): a model word or the noun of a
#: piece of furniture or an appliance, in the corpus's languages.
PRODUCT_NOUNS = words("""
model models modelo modello modèle modele modell série serie series collection collectie kollektion colección
coleccion collezione linea línea
sofa sofas sofá sofà divano canapé canape couch bank bankstel hoekbank sessel poltrona sillón sillon fauteuil
armchair fridge frigorifero frigo nevera refrigerador geladeira kühlschrank koelkast lamp lámpara lampara lampada
lampe candeeiro luminária luminaria table mesa tavolo tisch tafel chair silla sedia stoel stuhl cadeira bed cama
letto bett wardrobe armario armadio kast kleiderschrank mattress colchón colchon materasso matras matratze rug
alfombra tappeto vloerkleed teppich tapete
""")
PRODUCT_BEFORE = re.compile(r"([^\W\d_]+)[ \t'\"‘’“”«]*$")
#: A number glued to a size, which no house number is ("3-zits", "2-Sitzer", "de 3 plazas", "3 posti").
SIZE_AFTER = re.compile(r"-?[ ]?(?:zits|zitter|zitsbank|sitzer|seater|seaters|seats?|plazas|posti|places|lugares|"
                        r"personas|persone|personnes|"
                        # pass 27: a weight, a volume, a length or a capacity ("Jalan Besar 5 kg rice")
                        r"kg|kgs|kilos?|lbs?|oz|ml|cl|cm|mm|km|kwh|mah|gb|tb|inch(?:es)?|litres?|liters?|litros?|"
                        r"gramm?s?|gramos?)\b", re.IGNORECASE)
#: A firm's premises right before an address ("the warehouse at 400 Industrial Pkwy", "our store: 12 Main
#: Street"): a place of work nobody lives at. (Not "office": "Our office: 14 Adeola Odeku Street" and "to my
#: office: ..." are a person's, as the corpus's authors read them; nor "my store", a trader's own.)
FIRM_BEFORE = re.compile(r"(?<!\bmy )\b(?:warehouse|depot|(?:distribution|fulfil?ment|returns?|service|repair)[ ]"
                         r"cent(?:er|re)|factory|showroom|store|branch|outlet|headquarters|hq|head[ ]office)s?"
                         r"(?:[ ]+address)?(?:[ ]+(?:is|are))?(?:[ ]+(?:located|based))?(?:[ ]+(?:at|on|in))?[ ]*:?[ ]*$", re.IGNORECASE)


#: A firm's legal form or its tax or registration number's word on the address's line: a company's letterhead or
#: signature ("Nordlicht Möbel GmbH · Hafenstraße 8 · 20457 Hamburg", "Hollister & Grant LLP | 400 Market St",
#: "12 rue de la Paix, 75002 Paris – TVA FR 62 488 120 735"), no one's home. (Not "SA", "AB", "AG": also a
#: state's, a province's or a canton's code after a town.)
FIRM_LINE = re.compile(r"(?<![\w.])(?:GmbH|SAS|SARL|S\.A\.S?\.|Ltd|Limited|LLP|LLC|Inc|Kft|Zrt|Nyrt|SRL|S\.R\.L\.|"
                       r"Sp\.[ ]z[ ]o\.o|B\.V\.|N\.V\.|ApS|A/S|S\.p\.A\.|SpA|Pty|PLC|plc|s\.r\.o|d\.o\.o|OÜ|UAB|"
                       r"TVA|VAT|USt-IdNr|UID-Nr|P\.[ ]?IVA|SIRET|SIREN|KvK|BTW|ABN|REGON|IČO|"
                       r"Company[ ]No|Reg\.[ ]No|Plc)(?![\w])")  # (pass 22: Nigeria's and Kenya's "Plc")


#: What may stand between a letterhead's firm or tax word and its address: separators on one line, no words
#: ("Hollister & Grant LLP | 400 Market St", "Ferrox Kft. | 6720 Szeged", "75002 Paris – TVA FR ...").
LETTERHEAD_GAP = re.compile(r"[ \t.|·•,–—-]*")


def firm_line(text: str, start: int, end: int) -> bool:
    """Whether the address text[start:end] holds a firm's legal form or tax number's word (FIRM_LINE) or has one
    right before or after it with only separators between: a letterhead's or signature's line. ("Müller & Söhne
    GmbH, z. Hd. Frau Dr. Kühn, Hafenstraße 12a": a person's name between, someone to deliver to; a person's
    tax number, Croatia's OIB or Poland's NIP, is no firm's.)"""
    if FIRM_LINE.search(text, start, end) is not None:
        return True
    line_start = text.rfind("\n", 0, start) + 1
    for match in FIRM_LINE.finditer(text, max(line_start, start - 60), start):
        if LETTERHEAD_GAP.fullmatch(text, match.end(), start):
            return True
    gap = LETTERHEAD_GAP.match(text, end)
    return gap is not None and FIRM_LINE.match(text, gap.end()) is not None


#: Ghana's digital address (GhanaPost GPS): region and district letters, then two numbers ("GA-339-2210").
#: Written after the rest of the address or after its label, it belongs to the address; alone it could be any code.
GHANA_CODE = r"[A-Z]{2}-\d{3,4}-\d{4}(?![\w-])"
GHANA_AFTER = re.compile(rf"[ \t]*[,(]?[ \t]*(?:(?:GhanaPost[ \t]+)?GPS(?:[ \t]+address)?|[Dd]igital[ \t]+address)?"
                         rf"[ \t]*:?[ \t]*{GHANA_CODE}")
GHANA_CODE_ANYWHERE = re.compile(GHANA_CODE)
GHANA_LABELLED = re.compile(rf"(?:GPS|[Dd]igital[ \t]+address)(?:[ \t]+(?:is|code))?[ \t]*:?[ \t]*(?P<code>{GHANA_CODE})")


#: Issue 18, pass 20: Saudi Arabia's national address in short (four letters, four digits: "RRRD2929") and Dubai's
#: Makani number (ten digits: "30542 94621") after their labels, and a short code right before an address.
GULF_LABELLED = re.compile(r"(?i:short[ \t]+address|national[ \t]+address|short[ \t]+code|makani(?:[ \t]+(?:number|no\.?|code))?|"
                           r"العنوان المختصر|العنوان الوطني|الرمز المختصر|رقم مكاني|مكاني)"
                           r"(?:[ \t]+(?:is|code))?[ \t]*[:#-]?[ \t]*(?P<code>(?-i:[A-Z]{4}[ ]?\d{4})|\d{5}[ ]?\d{5})(?![\w-])")
GULF_HINTS = ("short address", "national address", "short code", "makani", "العنوان", "الرمز المختصر", "مكاني")
SHORT_CODE_BEFORE = re.compile(r"(?<![\w-])[A-Z]{4}\d{4}[ \t]*[,،][ \t]*\Z")


def with_gulf_codes(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The address spans, each grown back over a Saudi short address right before it ("RRRD2929, King Fahd Rd"), and
    short addresses and Makani numbers after their labels standing alone ("My Makani number is 30542 94621")."""
    lower = text.lower()
    if not any(hint in lower for hint in GULF_HINTS):
        return list(spans)
    grown = []
    for start, end in spans:
        match = SHORT_CODE_BEFORE.search(text, max(0, start - 14), start)
        grown.append((match.start() if match is not None else start, end))
    grown.extend((m.start("code"), m.end("code")) for m in GULF_LABELLED.finditer(text))
    return union(grown)


def with_digital_codes(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The address spans, each grown over a Ghanaian digital address right after it ("..., Accra (GPS:
    GA-339-2210)"), and such an address after its label standing alone ("GhanaPost GPS: GA-145-2867");
    (pass 20) and over Gulf codes (`with_gulf_codes`)."""
    spans = with_gulf_codes(text, spans)
    if "-" not in text or GHANA_CODE_ANYWHERE.search(text) is None:
        return list(spans)
    grown = []
    for start, end in spans:
        match = GHANA_AFTER.match(text, end)
        grown.append((start, match.end() if match is not None else end))
    grown.extend((m.start("code"), m.end("code")) for m in GHANA_LABELLED.finditer(text))
    return union(grown)


#: A flight's number (an airline's two-character code and up to four digits) and a flight's word in many languages.
FLIGHT_NUMBER = re.compile(r"\b[A-Z][A-Z0-9][ ]?\d{1,4}\b")
FLIGHT_WORD = re.compile(r"(?i:\b(?:flights?|flug\w*|vuelos?|voos?|vols?|vol[oi]|vlucht\w*|uçuş\w*|ucus\w*|járat\w*|"
                         r"jarat\w*|zbor\w*|flyg\w*|lento\w*|airline|aerol[ií]nea|companhia a[eé]rea|boarding|e-ticket|tickets?|billetes?|"
                         r"bilhetes?|billets?|biglietti|biglietto|pnr|itinerary|itinerario)\b)")


def not_personal(text: str, start: int, end: int) -> bool:
    """Whether the address text[start:end] is no one's: a product named after a street (a model word or a
    product's noun right before it, or a size glued to its number) or a firm's premises (introduced as
    its warehouse, depot, store or branch, or by `pii_firms`' words in many languages), or an amount."""
    before = text[max(0, start - 40):start]
    word = PRODUCT_BEFORE.search(before)
    if word is not None and word.group(1).lower() in PRODUCT_NOUNS:
        return True
    if text[end - 1:end].isdigit() and SIZE_AFTER.match(text, end) is not None:
        return True
    if text[start:start + 1].isdigit() and id_word_before(text, start) and \
            ADDRESS_WORDS.isdisjoint(before[-24:].lower().split()):  # (not "address for invoice 45 mg road")
        return True  # pass 27: "Ticket #4412 Oak Street lamp", "Pedido 4471 Calle Mayor": the number is the reference's
    if FIRM_BEFORE.search(before) is not None or firm_line(text, start, end):
        return True
    end = before_landmark(text, start, end)  # pass 22: "..., Lagos, opp. Eko Hotel": the hotel is the landmark
    for flight in FLIGHT_NUMBER.finditer(text, start, end):
        if FLIGHT_WORD.search(text, max(0, flight.start() - 30), flight.start()):
            return True  # "el vuelo de Avianca AV 204", "Flug LH 2405": an airline's code and a flight's number
    return firm_premises(text, start, end)  # issue 18, the must-keep pass: "our office at", "45 $"



#: Pass 22: a landmark closing an address after a comma ("…, Victoria Island, Lagos, opp. Eko Hotel", "…, behind the
#: Taj Mall"): the place it is found by, whose trade noun says nothing of whose the address is.
LANDMARK_TAIL = re.compile(r",[ \t]*(?i:off|opp\.?|opposite|behind|beside|besides|adjacent|near|nr\.?|facing|along|ganb|"
                           r"next|close)[ \t][^,\n]*\Z")


#: Pass 23: a landmark in brackets right after an address, or one the address ends inside ("…, Dubai (near Al Barsha
#: Mall, back side gate)", "…, Chennai - 600 020 (landmark: behind Adyar Ananda Bhavan)"), on its line.
LANDMARK_ASIDE = re.compile(r"\((?i:landmark[ \t]*:?[ \t]*)?(?i:near|nr\.?|opp\.?|opposite|behind|beside|next[ \t]+to|"
                            r"close[ \t]+to|adjacent[ \t]+to|facing|off|along)[ \t]+[^()\n\d]{2,60}\)")
LANDMARK_ASIDE_AFTER = re.compile(rf"[ \t]*(?={LANDMARK_ASIDE.pattern})")


#: Pass 23: a landmark after an address on its line, with no bracket ("…, Enugu, close to Presidential Road junction",
#: "…, Lagos, yellow gate opposite Mama Cass", "flat 905 near Sahara Centre"): its link, then up to six words that are
#: capitalised or a landmark's nouns; no digit, so no number is taken in.
LANDMARK_WORD = rf"(?:[A-Z][\w'’&-]*|(?:{'|'.join(sorted(LANDMARK_NOUNS))})(?![\w-]))"
LANDMARK_LINK = (r"(?:near(?:by)?|nr\.?|opp\.?|opposite|behind|beside|next[ \t]+to|close[ \t]+to|adjacent[ \t]+to|facing|"
                 r"off|along)")
LANDMARK_AFTER = re.compile(
    rf"(?:[ \t]*,)?[ \t]+(?:(?:yellow|blue|green|red|white|black|brown|grey|gray|big|small|back|front|side|main)[ \t]+"
    rf"(?:gate|house|building|door|side|compound|fence)[ \t]+)?(?i:{LANDMARK_LINK})(?:[ \t]+(?:the|to|of))?"
    rf"(?:[ \t]+{LANDMARK_WORD}){{1,6}}")
LANDMARK_RUN_ON = re.compile(rf"(?:[ \t]+(?:{'|'.join(sorted(LANDMARK_NOUNS))})(?![\w-]))+")
LINK_INSIDE = re.compile(rf"(?i:\b{LANDMARK_LINK}[ \t])")


def with_landmark_tail(text: str, start: int, end: int) -> int:
    """Where an address ends with LANDMARK_AFTER's landmark taken in, or with the landmark it ends inside finished."""
    after = LANDMARK_AFTER.match(text, end)
    if after is not None:
        return after.end()
    if LINK_INSIDE.search(text, max(start, end - 40), end) is not None:
        run_on = LANDMARK_RUN_ON.match(text, end)
        if run_on is not None:
            return run_on.end()
    return end


def with_trailing_landmark(text: str, start: int, end: int) -> int:
    """Where an address ends with the landmark after it taken in (LANDMARK_AFTER), and LANDMARK_ASIDE's landmark in
    brackets whole (up to its closing bracket)."""
    end = with_landmark_tail(text, start, end)
    opened = text.rfind("(", start, end)
    if opened != -1 and ")" not in text[opened:end]:
        match = LANDMARK_ASIDE.match(text, opened)
        return match.end() - 1 if match is not None and match.end() > end else end
    after = LANDMARK_ASIDE_AFTER.match(text, end)
    if after is not None:
        match = LANDMARK_ASIDE.match(text, after.end())
        if match is not None:
            return match.end() - 1
    return end


def before_landmark(text: str, start: int, end: int) -> int:
    """Where the address text[start:end] ends before a landmark that closes it (LANDMARK_TAIL), else `end`."""
    tail = LANDMARK_TAIL.search(text, start, end)
    return tail.start() if tail is not None else end


#: Pass 21: a phone's label after a segment break inside an address ("Linzer Str. 12/2/5, 1140 Wien; Tel. 0664/…",
#: "…, 00100 Helsinki, puh. 040 …"): the address ends before it (else the whole block overlaps the phone and is lost).
PHONE_LABEL_CUT = re.compile(r"\s*[,;/|]?\s*(?<![^\W\d_])(?:tel|tél|tlf|telefon|telephone|phone|puh|puhelin|mob|mobil|"
                             r"mobile|handy|natel|gsm|тел|τηλ|telefonszám|mobiltelefon)\b\.?[ \t]*(?:no\.?|nr\.?|number)?[ \t]*:?"
                             r"[ \t]*(?=[+(\d])", re.IGNORECASE)  # (the number right after: "Tel Aviv" is a town)
PHONE_LABEL_HINT = re.compile(r"[,;/|\n]\s*(?:t[eé]l|tlf|telef|phone|puh|mob|handy|natel|gsm|тел|τηλ)", re.IGNORECASE)


def before_phone_label(text: str, start: int, end: int) -> int:
    """Where the address text[start:end] ends: before a phone's label that follows a comma, a semicolon or a line
    break in it."""
    hint = PHONE_LABEL_HINT.search(text, start, end)
    if hint is None:
        return end
    cut = PHONE_LABEL_CUT.match(text, hint.start(), end)
    if cut is None or not any(char.isdigit() for char in text[start:hint.start()]):
        return end
    return hint.start()


#: Pass 24: the word for an address as a form's or a message's label, in the languages and scripts of the corpus and
#: its neighbours ("Address:", "Adresse :", "Dirección:", "Endereço:", "Morada:", "Indirizzo:", "Adres:", "Adresa:",
#: "Osoite:", "Cím:", "Domicile :", "Teslimat adresi:", "Адрес за доставка:", "Мекенжайым:", "العنوان:", "पता:",
#: "հասցե՝"), then what it is written with: a colon after up to three words of purpose ("Adresse de livraison :"),
#: "is" ("my address is"), a dash, or in chats nothing ("adresa Vinohradská 1511/230, Praha 10").
ADDRESS_LABEL = re.compile(
    r"(?<![\w@./-])(?P<label>(?i:address|adressen|adressa|adress|addr|adresse|adres|adresi|adresim|adresa|adresă|adrese|"
    r"adresas|aadress|osoitteeni|osoite|osote|cím|lakcím|dirección|direccion|domicilio|domicile|endereço|endereco|morada|indirizzo|anschrift|"
    r"naslov|heimilisfang|alamat|tirahan|anwani|адрес|адреса|адресу|мекенжай\w*|διεύθυνση|διευθυνση|כתובת|العنوان|"
    r"عنواني|عنوانی|پتہ|پتا|पता|ঠিকানা|địa[ ]chỉ|ที่อยู่|주소|հասցե))"
    r"(?P<sep>(?P<purpose>(?:[ \t]+(?:[^\W\d_][\w'-]*|[1-3](?=[ \t]*:))){0,3}?)[ \t]*[:：՝][ \t]*|[ \t]+(?i:is|es|é|est|è|ist|er|är|on|este|je|jest)[ \t]*:?[ \t]+|"
    r"[ \t]+[-–][ \t]+|(?P<field>=)|(?P<bare>[ \t]+))(?=[^\W_])")  # pass 26: a web form's "morada=Rua …&email=…"
#: Where ADDRESS_LABEL may match: its words' stems, looked for in the lower-cased text (a case-insensitive
#: alternation over the whole text costs several times more).
LABEL_START = re.compile(
    r"(?<![\w@./-])(?:addr|adres|aadress|osoit|osote|cím|lakcím|direcci|domicil|endere|morada|indirizzo|anschrift|naslov|"
    r"heimilis|alamat|tirahan|anwani|адрес|мекенжай|διεύθυνση|διευθυνση|địa chỉ|հասցե|כתובת|العنوان|عنوان|پت|पता|ঠিকানা|"
    r"ที่อยู่|주소)")
#: Words before or inside an address's label that make it no one's home: an email's, a network's or a wallet's
#: address, and a firm's own ("our address", "company address", "return address", "Firmenanschrift").
NOT_HOME_LABEL = re.compile(
    r"(?i:\b(?:e-?mail|mail|ip|ipv4|ipv6|mac|web|website|url|wallet|bitcoin|btc|eth|server|host|ip-adresse|courriel|"
    r"électronique|electronique|electrónico|electronico|electrónica|eletrônico|eletronico|elettronica|elettronico|"
    r"correo|posta|e-post|sähköposti|our|company|office|business|registered|head|return|returns|warehouse|store|shop|"
    r"branch|firm|unsere|unser|notre|nuestra|nossa|nostro|nostra|onze|vårt|vår|nasz)\b[\W]*\Z)")
#: Words of a value's part that is the next field or the sentence going on, not the address ("…, Tel: 0664 …", "…,
#: email …", "…, الرياض، والطلب رقم 88120": "and the order number"): a contact's, an order's or a ticket's words.
FIELD_WORDS = words("tel tél phone mobile mob cell email e-mail fax name") | (ID_BEFORE - {"number", "no."}) | words(
    "طلب الطلب والطلب الطلبية فاتورة الفاتورة")


def value_parts(chunk: list[Segment], lower_text: bool) -> list[list[Token]]:
    """The tokens of each part of a labelled value that may be an address's (a place, a street, a unit, a landmark),
    down to the first part of prose or of the next field; of that part, the place words before its prose. A person's
    name first is the addressee's ("Delivery address: Smt. Sabita Mohanty, …"), not the address's."""
    parts: list[list[Token]] = []
    for at, segment in enumerate(chunk):
        if not parts and at < 2 and at + 1 < len(chunk) and person_like(segment.tokens) and \
                not district_led(segment.tokens):
            continue  # (and a second: "Anschrift: Familie Schäfer / Nowak, Goethestraße 7a")
        if address_part(segment, lower_text):
            parts.append(segment.tokens)
            continue
        count = places_then_prose(segment, lower_text) if parts else 0
        if count:
            parts.append(segment.tokens[:count])
        break
    return parts


def address_part(segment: Segment, lower_text: bool) -> bool:
    """Pass 24: whether a part of a labelled value may be an address's: a landmark ("near Safeway"), or a part with no
    prose, no field's label or word and no phone's or order's digits, that holds a digit or a capitalised word, and
    in lower case only an address's words and, beside a digit, one word more ("8th area", "building 41", "porte
    112", "3. poschodie", "Co. Galway H91 TX7P"); not "Unknown, customer refused"."""
    tokens = segment.tokens
    if landmark(segment, lower_text):
        return True
    numbered = any(c.isdigit() for t in tokens for c in t.word)
    if len(tokens) > 8 or phone_like(tokens) or any(
            t.colon or "@" in t.word or not_place(t) or (numbered and t.lower in CURRENCY_WORDS) or
            prose_word(tokens, at) or field_word(tokens, at) for at, t in enumerate(tokens)):
        return False
    unknown = sum(t.word[:1].islower() and len(t.word) > 1 and t.lower.rstrip(".") not in LABELLED_WORDS for t in tokens)
    named = any(capital(t.word) and t.word[:1].isalpha() for t in tokens)
    return (numbered and unknown <= 1) or (named and unknown == 0)


def prose_word(tokens: Sequence[Token], at: int) -> bool:
    """Pass 24: whether tokens[at] is a word of prose (PROSE, not an address's particle), opening the part or in lower
    case: a capitalised one inside a part is a name's ("località Case Sparse 14")."""
    token = tokens[at]
    return token.lower in PROSE and token.lower not in LABELLED_WORDS and (at == 0 or not token.word[:1].isupper())


def field_word(tokens: Sequence[Token], at: int) -> bool:
    """Pass 24: whether tokens[at] is FIELD_WORDS' word of another field, opening the part or before a number ("Order
    4471", "Tel 0664 …", "والطلب رقم 88120"), not a name's word ("località Case Sparse 14")."""
    return tokens[at].lower in FIELD_WORDS and (at == 0 or tokens[at].word[:1].islower() or (
        at + 1 < len(tokens) and tokens[at + 1].word[:1] in "0123456789#"))


def not_place(token: Token) -> bool:
    """Pass 24: a date's, a time's or an amount's sign, which no address holds ("ab 1. März 2025", "с 9:00 до 18:00",
    "$45.300,00"); a currency's word only beside a number (`address_part`: "Kr. Valdemāra iela" is a street)."""
    return token.lower.rstrip(".") in MONTHS or token.lower in WEEKDAYS or TIME_OF_DAY.fullmatch(token.word) is not None \
        or token.word[:1] in CURRENCY_SIGNS


#: A time of day ("9:00", "18h30"), not Ouagadougou's street number "15.32".
TIME_OF_DAY = re.compile(r"\d{1,2}[:h]\d{2}(?:h|am|pm)?", re.IGNORECASE)


#: Lower-case words a labelled address's part may hold in a capitalised text: units, floors, districts, landmarks.
LABELLED_WORDS = (UNIT_MARKERS | FLOOR_WORDS | DISTRICT_WORDS | LANDMARK_NOUNS | PLACE_NOUNS | STAGES | UNIT_LOWER |
                  PARTICLES | ARTICLES | LANDMARK_LINKS | LINK_FILLERS | TYPE_BEFORE | AREA_KEYS | COMPASS | words("""
iglesia parque cuadra cuadras varas esquina frente cerca detrás atrás junto mercado escuela colegio gasolinera rotonda
igreja perto próximo proximo escola posto praça église eglise mosquée mosquee marché marche école ecole carrefour près
ауданы ы/а район р-н мкр микрорайон дом үй пәтер кв квартира корпус көшесі даңғылы улица проспект обл область село
"""))  # (landmarks, directions and a house's parts in Spanish, Portuguese, French, Kazakh and Russian)


def named_house(part: list[Token]) -> bool:
    """Issue 18, pass 26: a street's name and its house number alone after an address's label, the street type left
    out as Central European streets are written ("Adresa: Vinohradská 1234/56", "Adres: Kwiatowa 8")."""
    *name, number = part
    return 1 <= len(name) <= 3 and all(t.word[:1].isupper() and t.word.isalpha() for t in name) and \
        number.word[:1].isdigit() and is_house_number(number)


def labelled_address(parts: list[list[Token]], bare: bool) -> bool:
    """Pass 24: whether a labelled value's parts make an address: two or more that are not a country, one word of a
    name among them; after a bare label (no colon, no "is", no dash) or in lower case, a digit too."""
    places = [part for part in parts if " ".join(t.lower for t in part).strip(".") not in COUNTRIES]
    if len(places) == 1 and not bare and named_house(places[0]):
        return True
    if len(places) < 2 or not any(len(t.word) >= 3 and t.word[:1].isalpha() for part in parts for t in part):
        return False
    return not bare or any(c.isdigit() for part in parts for t in part for c in t.word)


def value_sentence(value: str, chunks: list[list[Segment]]) -> list[Segment]:
    """Pass 24: a labelled value's first sentence, over the full stops of short capitalised words that abbreviate an
    address's parts we do not list ("Rés. Al Fath", "H/No. C45/12", "Co. Galway"): what follows decides (prose or a
    field ends the address at its part). Not a word of a script without case ("…، فاس. شكرا")."""
    sentence = list(chunks[0])
    for chunk in chunks[1:]:
        last = sentence[-1].tokens[-1]
        if len(last.word.replace("/", "")) > 3 or not last.word[:1].isupper() or value[last.end:last.end + 1] != ".":
            break
        sentence.extend(chunk)
    return sentence


def address_labels(text: str) -> Iterator[re.Match[str]]:
    """ADDRESS_LABEL's matches, tried only where LABEL_START finds a label's stem."""
    lowered = text.lower()
    if len(lowered) != len(text):  # ("İ" lower-cases to two characters: the offsets would drift)
        yield from ADDRESS_LABEL.finditer(text)
        return
    for hit in LABEL_START.finditer(lowered):
        match = ADDRESS_LABEL.match(text, hit.start())
        if match is not None:
            yield match


def labelled_values(text: str) -> Iterator[tuple[int, int]]:
    """Pass 24: the address after an address's label (ADDRESS_LABEL), down to its sentence's or line's end or to prose
    or the next field: "Address: Aqaba, 8th area, building 41, near Safeway", "Morada: Rua Comandante Gika, Bairro
    Alvalade, Luanda", "Domicile : secteur 15, rue 15.32, porte 112, Ouagadougou", "adresa Vinohradská 1511/230, Praha
    10". Addresses given where houses have no number, or written in a form, that carry no other cue."""
    for match in address_labels(text):
        purpose = match.group("purpose") or ""
        if NOT_HOME_LABEL.search(text, max(0, match.start() - 30), match.start()) or \
                NOT_HOME_LABEL.search(purpose + " "):
            continue
        end = text.find("\n", match.end())
        end = end if end != -1 else len(text)
        if match.group("field") is not None:
            amp = text.find("&", match.end(), end)
            end = amp if amp != -1 else end  # the next field of the form's query string
        value = text[match.end():end]
        tokens = tokens_of(value)
        if not tokens:
            continue
        chunk = value_sentence(value, chunks_of(value, tokens))
        lower_text = not any(c.isupper() for c in value[:chunk[-1].tokens[-1].end])
        bare = match.group("bare") is not None
        if bare and not (lower_text or tokens[0].word[:1].isupper() or tokens[0].word[:1].isdigit()):
            continue  # "dirección fiscal Calle …": a bare label's qualifier, not its value
        parts = value_parts(chunk, lower_text)
        if parts and labelled_address(parts, bare or lower_text):
            yield match.end() + parts[0][0].start, match.end() + parts[-1][-1].end


#: Pass 24: a form's postcode field, on its own line ("PLZ / Ort: 28217 Bremen", "Postcode: 3581 KL", "CEP:
#: 01332-000", "CAP: 80121 Napoli", "ZIP: 60640", "Pincode: 560034"), and a form's street field a few lines above it
#: ("Straße / Hausnr.: Hafenstraße 12", "Straat + huisnummer: Lindenlaan 4", "Address: 4410 N Sheridan Rd"). The
#: postcode is the address's only where the form asks for the street too (a billing ZIP alone is a card's check).
POSTCODE_FIELD = re.compile(
    r"(?im)^[ \t]*(?:PLZ(?:[ ]?/[ ]?Ort)?|Post(?:al[ ]?)?code(?:[ ]?/[ ]?(?:woon)?plaats)?|Postleitzahl|Code[ ]postal|CEP|"
    r"CAP|C\.?P\.?|C[óo]digo[ ]postal|ZIP(?:[ ]?code)?|PIN(?:[ ]?code)?|Pincode|Postnummer|Kod[ ]pocztowy|Irányítószám|"
    r"Postinumero|Индекс)[ \t]*:[ \t]*(?P<value>(?:\d{3,5}(?:[- ]?\d{3}|[ ]?[A-Z]{2})?|[A-Z]{1,2}\d[A-Z\d]?[ ]?\d[A-Z]{2}|"
    r"[A-Z]\d[A-Z][ ]?\d[A-Z]\d)(?:[ \t]+[^\W\d_][\w'’.-]*(?:[ ][^\W\d_][\w'’.-]*){0,2})?)[ \t]*$")
STREET_FIELD = re.compile(
    r"(?im)^[ \t]*[^\n:]{0,20}?(?:stra(?:ss|ß)e|straat|street|address|adres|adresse|anschrift|endere[çc]o|rua|calle|"
    r"via|indirizzo|huisnummer|hausnr|direcci[óo]n|logradouro)[^\n:]{0,20}:[^\n]*\d")


def postcode_fields(text: str) -> Iterator[tuple[int, int]]:
    """POSTCODE_FIELD's values in a form with STREET_FIELD's line up to three lines above."""
    if ":" not in text:
        return
    for match in POSTCODE_FIELD.finditer(text):
        above = text[:match.start()].rstrip("\n").split("\n")[-3:]
        if any(STREET_FIELD.match(line) for line in above):
            yield match.start("value"), match.end("value")


#: Pass 25: a form's second address line or neighbourhood, on its own line under the street's ("Address line 2:
#: Hillside Avenue", "Bairro: Boa Viagem", "Colonia: Roma Norte", "Estate: Kileleshwa"): one to four words and no digit.
#: (Not the town's field: a town alone names no one's home, and the corpus keeps "Woonplaats: Utrecht".)
AREA_FIELD = re.compile(
    r"(?im)^[ \t]*(?:Bairro|Barrio|Colonia|Col|Estate|Urbanizaci[óo]n|Address[ ]line[ ]2|Address[ ]2|Line[ ]2|"
    r"Adresszusatz|Complemento)[ \t]*:[ \t]*"
    r"(?P<value>[^\W\d_][\w'’.-]*(?:(?:[ ]|,[ ]|[ ]-[ ])[^\W\d_][\w'’.-]*){0,3})[ \t]*$")


def area_fields(text: str) -> Iterator[tuple[int, int]]:
    """AREA_FIELD's values in a form with STREET_FIELD's line up to three lines above: the address's lines that a
    form asks for one by one."""
    if ":" not in text:
        return
    for match in AREA_FIELD.finditer(text):
        value = match.group("value")
        if not value[:1].isupper() or not all(town_like(word, False) for word in value.replace(",", " ").split()
                                              if word != "-"):
            continue
        above = text[:match.start()].rstrip("\n").split("\n")[-3:]
        if any(STREET_FIELD.match(line) for line in above):
            yield match.start("value"), match.end("value")


# --- pass 25: numbers read out in a call ------------------------------------------------------------

#: Words after which a number read out in a call is a flat's, a floor's or a house's ("apartment four", "número
#: doce", "piso tres").
SPOKEN_UNITS = words("""
apartment apt flat unit suite floor piso depto departamento apartamento apto appartement app étage etage wohnung
número numero nummer nr no andar
""")
#: Words a number read out before a street's name would be something else after ("we have two Oak Lane shops").
SPOKEN_NOT_AFTER = words("the our my your their his her these those of we have has had sold bought")


def line_around(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the line holding text[start:end] begins and ends."""
    newline = text.find("\n", end)
    return text.rfind("\n", 0, start) + 1, len(text) if newline < 0 else newline


def street_after_spoken(text: str, end: int) -> bool:
    """Pass 25: whether a street's name follows a house number read out at `end`, which English and French say
    before it ("twelve Oak Lane", "thirty-one Lough Road", "douze rue des Lilas"): one to three capitalised words and
    a street type after them, or a type written before its name and then a word of the name."""
    ahead = tokens_of(text[end:line_around(text, end, end)[1]])[:4]
    if len(ahead) >= 2 and ahead[0].lower in TYPE_BEFORE - NUMBER_ONLY - NUMBERED and \
            text[end:end + 1] == " " and not ahead[0].word[:1].isupper():
        return True  # (a type before its name is written in lower case in French: "douze rue des Lilas")
    for at, token in enumerate(ahead):
        if at and token.lower in TYPE_AFTER and token.word[:1].isupper():
            return True
        if not token.word[:1].isupper() or not token.word.isalpha():
            return False
    return False


def street_before_spoken(text: str, start: int) -> bool:
    """Pass 25: whether a house number read out at `start` follows its street's name, as Spanish, Portuguese,
    Italian, German and the Nordic languages say it ("Calle Mayor doce", "Rua Augusta, número quarenta",
    "Lindenstraße zwölf"): a one-word street name, or a street type and one to three capitalised words."""
    behind = tokens_of(text[line_around(text, start, start)[0]:start])[-5:]
    if behind and behind[-1].lower in NUMBER_MARK | {"número", "numero", "nummer"}:
        behind = behind[:-1]
    if not behind or not behind[-1].word[:1].isupper():
        return False
    if compound(behind[-1]):
        return True
    for names, token in enumerate(reversed(behind[:-1]), start=1):
        if token.lower in TYPE_BEFORE - NUMBER_ONLY:
            return names <= 3
        if not (token.word[:1].isupper() or token.lower in PARTICLES):
            return False
    return False


def spoken_unit_before(text: str, start: int) -> bool:
    """Pass 25: whether a number read out at `start` follows a flat's or a floor's word ("apartment four")."""
    behind = tokens_of(text[max(0, start - 30):start])
    return bool(behind) and behind[-1].lower in SPOKEN_UNITS


def spoken_house_place(text: str, start: int, end: int) -> bool:
    """Pass 25: whether a number read out at text[start:end] stands where a house number does, before or after its
    street's name, and not after a word that makes it a count ("we have two Oak Lane shops")."""
    behind = tokens_of(text[max(0, start - 20):start])
    if behind and behind[-1].lower in SPOKEN_NOT_AFTER:
        return False
    return street_after_spoken(text, end) or street_before_spoken(text, start)
