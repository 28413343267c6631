"""Person names found by what they are, not only by where they stand: a first-name and surname gazetteer.

`redact.find_names` knows names by position (a greeting, a sign-off, a self-introduction, a title);
on text it was not written against that held 36–89 % of names (docs/exports.md). This module adds
what a position cannot give: "Wojciech Zieliński writing again", "a guy called Lorenzo", "thx - jo".

The lists are Faker's (MIT, maintained, no download at run time: the data ships inside the wheel):
the first names and surnames of its person providers in the Latin-script locales (about 20 000
each, from English, German, French, Spanish, Italian, Dutch, Portuguese, Polish, Turkish,
Nordic, Nigerian, Indian, Japanese and Chinese romanised lists and more). A gazetteer cannot tell
"Will" the name from "will" the word, so its words are checked against Faker's own lists of
ordinary words (its lorem word lists in eight languages), of places (countries, states, cities) and
of street words, and the rules ask for more than a listed word:

- a full name: a listed first name and a capitalised word after it that is not an ordinary word
  ("Yuki Tanaka", "Siobhan O'Connor", "RICHARD T. OKAFOR" in capitals when both words are listed);
- a first name alone: capitalised, inside a sentence, not an ordinary word or a place, with no
  capitalised word beside it ("a guy called Lorenzo, left ...");
- a first name in lower case: only after a dash that closes the text ("thx - jo") or a relation
  word ("my sister fatima").

Built once per process on first use (about 1 s and a few MB: see docs/exports.md for the figures);
texts without a capitalised word inside a sentence, a dash or a relation word cost one regex scan.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from types import ModuleType

#: Continents and world regions, which Faker's lists of countries do not hold: no person (issue 18, pass 22: the
#: retrained tagger took "Latin America" and "Asia", the rules "the Middle East and Africa").
CONTINENTS = frozenset({"america", "americas", "asia", "africa", "europe", "oceania", "antarctica", "eurasia"})

#: Faker's person-provider attributes that hold first names and surnames.
FIRST_ATTRS = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary",
               "first_romanized_names")
LAST_ATTRS = ("last_names", "last_romanized_names",
              # issue 18, pass 22: the surnames Polish, Czech, Slovak, Lithuanian and Ukrainian keep by gender
              # ("Kowalski", "Wiśniewski", "Kazlauskaitė" were in none of the two above)
              # (not pl_PL's 3 690 "unisex_last_names": their long tail holds "Och", "Blank")
              "male_last_names", "last_names_male", "last_names_female",
              "last_names_male_only", "last_names_female_only", "last_names_common")
#: A name word in Latin script (with its accents), apostrophes and hyphens inside.
LATIN_WORD = re.compile(r"^[^\W\d_]+(?:['’-][^\W\d_]+)*$")
#: (Latin Extended Additional, U+1E00 to U+1EFF, is Latin: Vietnamese and Yoruba names are written in it.)
NON_LATIN = re.compile(r"[\u0370-\u1dff\u1f00-\u1fff\u2c00-\uffff]")
#: Ordinary words the lists hold and no rule should take as a name on its own: Faker's lorem lists
#: miss the shortest function words and the words of support mail.
EXTRA_COMMON = frozenset({
    "will", "may", "mark", "rose", "bill", "june", "april", "august", "grace", "hope", "faith", "joy", "chase",
    "price", "park", "king", "young", "street", "road", "avenue", "lane", "the", "and", "for", "but", "with",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
    "march", "july", "september", "october", "november", "december", "order", "ticket", "invoice",
    "refund", "support", "team", "thanks", "hello", "dear", "regards", "cheers", "best", "kind", "warm",
    "sent", "from", "version", "release", "update", "app", "apple", "google", "amazon", "microsoft",
    "windows", "chrome", "android", "iphone", "ipad", "mac", "pay", "pro", "plus", "premium", "basic",
    "office", "paris", "london", "berlin", "madrid", "rome", "vienna", "jordan", "georgia", "victoria",
    "florence", "austin", "charlotte", "india", "china", "israel", "lake", "river", "hill", "bay", "port",
    "north", "south", "east", "west", "new", "old", "san", "santa", "los", "las", "saint", "st", "dr", "mr",
    "mrs", "ms", "sir", "madam", "ok", "okay", "hi", "hey", "yes", "no", "not", "any", "all", "one", "two",
    "black", "white", "green", "brown", "gray", "grey", "red", "blue", "gold", "silver", "love", "happy",
    "thank", "please", "sorry", "help", "account", "card", "email", "phone", "address", "customer",
    "service", "manager", "agent", "billing", "shipping", "delivery", "package", "parcel", "plan",
    "subscription", "ltd", "inc", "gmbh", "llc", "bank", "visa", "mastercard", "paypal", "stripe",
    "zendesk", "slack", "teams", "outlook", "gmail", "via", "per", "van", "von", "de", "la", "le", "da",
    "di", "del", "du", "des", "el", "al", "bin", "ben", "am", "an", "in", "im", "on", "at", "to", "of",
    "skip", "german", "french", "english", "spanish", "italian", "dutch", "portuguese", "polish", "turkish",
    "swedish", "danish", "norwegian", "finnish", "greek", "irish", "scottish", "welsh", "british", "american",
    "canadian", "mexican", "brazilian", "indian", "chinese", "japanese", "korean", "russian", "arabic",
    "european", "african", "asian", "latin", "catholic", "muslim", "jewish",
    # issue 18, pass 26: the words of cities in Central and Eastern Europe, Turkey, Greece, Ukraine and Latin
    # America that the lists hold as names ("em Belo Horizonte", "do Krakowa", "İzmir şubesi"; not those that are
    # names too: Lima, Rosario, Larissa, Salvador)
    "horizonte", "alegre", "janeiro", "iguaçu", "iguacu", "cluj", "napoca", "kraków", "krakow", "krakowa",
    "wrocław", "wroclaw", "gdańsk", "gdansk", "poznań", "poznan", "łódź", "lodz", "katowice", "szczecin", "lublin",
    "białystok", "bialystok", "brno", "ostrava", "plzeň", "plzen", "olomouc", "liberec", "bratislava", "košice",
    "kosice", "timișoara", "timisoara", "iași", "iasi", "constanța", "constanta", "brașov", "brasov", "craiova",
    "istanbul", "izmir", "ankara", "bursa", "antalya", "adana", "konya", "gaziantep", "kayseri", "eskişehir",
    "eskisehir", "trabzon", "thessaloniki", "heraklion", "kyiv", "kharkiv", "lviv", "odesa", "dnipro",
    "guadalajara", "monterrey", "puebla", "tijuana", "medellín", "medellin", "bogotá", "bogota", "barranquilla",
    "cartagena", "valparaíso", "valparaiso", "quito", "guayaquil", "montevideo", "asunción", "asuncion",
})
#: Issue 18, ninth pass: first names and surnames of cultures Faker's Latin lists lack or hold few of
#: (Shona, Yoruba, Igbo, Hausa, Akan, Amharic, Kikuyu, Luo, Kalenjin, Zulu, Xhosa, Sotho, Tswana, Fula,
#: Wolof, Mande; Persian, Kazakh, Uzbek, Turkish; Thai, Indonesian, Malay; Māori, Tongan, Samoan;
#: Mongolian): the commonest, as customers write them in Latin letters. An ordinary word among them
#: is still no surname (`gazetteer` takes the ordinary words out of the surnames).
MORE_FIRST_WORDS = """
tendai tatenda farai tinashe chipo rutendo nyasha tafadzwa kudzai rumbidzai tapiwa munashe
oluwaseun oluwadamilare olumide oluwatobi ayodele babajide temitope folake funmilayo yetunde bukola
chiamaka chidi chidinma chinonso chukwuemeka ikenna ifeoma ngozi nkechi obinna uchenna emeka amaka
adaeze kelechi nnamdi aminu abubakar halima hauwa kwame kwabena kofi kojo yaw akosua abena efua adwoa
kwaku kwasi mekdes selam tigist hiwot abebe dawit tesfaye yohannes meseret almaz wanjiru wanjiku njeri
nyambura wambui otieno achieng akinyi atieno kiprop chebet sipho thabo thandiwe thandeka nomvula
nokuthula lindiwe zanele bongani mandla sibusiso themba lerato palesa karabo tshepo kagiso naledi
busisiwe ayanda siyabonga fatoumata aminata mariama moussa mamadou ousmane ibrahima cheikh oumar seydou
adama arash dariush kourosh shirin parisa roya nasrin mahsa niloufar farhad behnam babak kaveh mehdi
reza hossein saeed navid soraya golnar gulnara aigerim aizhan dilnoza nodira gulnoza bekzod rustam
jasur sardor nurlan yerlan askar zarina madina kamila bakhyt ermek aibek aizada dinara şeyma büşra
merve emre burak kaan onur serkan tuğba gizem ebru esra hülya derya özlem gökhan volkan tolga barış
umut yiğit berk siriporn somchai somsak malee niran pranee kanya anong arthit thanawat nattapong
chaiwat kittipong pimchanok rattana wichai supaporn jintana rizal agus budi dewi wahyu putri ayu eko
bambang hendra yudi rina siti nurul hafiz aiman syafiq azlan intan fitri dimas bayu rizky aroha
anahera hemi wiremu mere rangi manaia tane sione mele losana viliami semisi tevita lupe salote
bat-erdene batbayar ganbaatar enkhjargal oyunchimeg bolormaa tsetseg munkh-erdene bayarmaa
sukhbaatar otgonbayar
""" + (
    # issue 18, pass 24: Georgian and Armenian given names, romanised (Faker writes Georgia's in its own script and
    # holds few of Armenia's), and women's names of the Gulf, which Faker's Arabic locales write in Arabic letters
    """
giorgi levan zurab irakli lasha tornike vakhtang tengiz mamuka zviad revaz shota gela ketevan natia khatia
tamari mariami sopho lela nato ketino davit tigran hayk narek arsen ashot vahe gevorg vardan armen aram
anush lusine gayane hasmik anahit lilit siranush hovhannes mkrtich noura hessa mouza shaikha lulwa jawaher
alanoud abeer rawan ghada manal hanan
""" + (
    # issue 18, pass 25: English-speaking India's, Nigeria's and South Africa's given names, and Wales' and
    # Scotland's, in Latin letters: Faker writes India's in Devanagari and holds few of the others, so "ask
    # sandeep", "thanks funmi", "regards, abhishek" went unread
    """
abhishek sanjay ananya venkat akash anil ankit ankita anushka arvind ashok deepak dinesh hemant jayesh kiran
mahesh manish mohan mukesh neeraj pankaj pradeep prakash preeti rajesh rakesh ramesh rohit sachin sandeep
sanjana santosh saurabh shalini shruti sudha sunil sunita suresh swati tarun varun vijay vikram vinay vinod
vishal yogesh aditi kavitha karthik senthil murugan balaji ganesh jagadish kannan lakshman ramya saravanan
sridhar sundar vasanth venkatesh vignesh anirban arijit debashis indrani joydeep prosenjit sourav subhash
tanmoy gurpreet harpreet jaspreet manpreet navdeep simran harjit kuldeep baljit jaswinder parminder
sukhwinder amandeep rupinder sreekumar anoop biju shaji sreeja rajeev sajan deepika priyanka payal sonal rashmi
smita madhuri keerthana aishwarya bhavana archana chitra geeta komal mamta meena poonam rekha ritu sapna seema
shweta sushma usha vandana vidya harsha chetan kunal lokesh mayank nitin piyush raju sameer sumit tushar umesh vivek
femi yemi bola funmi tope tolu seun dayo bisi wale toyin bimpe lanre kunle gbenga jide niyi dapo yinka
biodun kayode kehinde taiwo chioma chinwe chika somto kamsi chisom adaobi ezinne binta temi bayo deji
lwazi mpho tumelo kgomotso refilwe nomsa zodwa sizwe buhle
fionn eabha struan morag eilidh mhairi ailsa dafydd gethin ffion cerys carys seren lowri eleri
"""))
MORE_FIRST = frozenset(MORE_FIRST_WORDS.split())
MORE_LAST_WORDS = """
moyo ncube dube sibanda ndlovu mpofu mutasa chikwanha bankole okafor okonkwo nwosu okeke nnadi
ogunleye olawale oyelaran babatunde afolabi adeyemi mensah asante boateng owusu agyeman osei appiah
tadesse bekele tesfaye girma alemu kebede mwangi otieno odhiambo kiprotich njoroge mutua kariuki
mahlangu dlamini nkosi khumalo mthembu ngcobo mokoena molefe ndaba diallo traoré koné coulibaly keita
touré ndiaye diop farahani tehrani hosseini ahmadi rezaei mohammadi karimi rahimi jafari moradi
sadeghi kazemi abenova karimova karimov rakhimov yusupov akhmetov abdullayev doğan yılmaz kaya demir
şahin çelik yıldız aydın öztürk arslan özdemir kılıç aslan çetin chaiyaporn srisuk wongsa saetang
rattanakorn suwannarat pratama saputra wijaya hidayat santoso kusuma nugroho setiawan siregar
nasution lubis harahap ngata tupou fifita taufa vaipulu tuilagi ganbold erdenebat munkhbat
enkhbayar
""" + (
    # issue 18, pass 25: the surnames of English-speaking India, Nigeria, South Africa and Scotland that Faker lacks
    """
mehta jadhav pawar shinde gowda kamath bhattacharya rathore rajput mathew chandrasekhar gopalan adebayo
olaniyan adewale oyebanji akinola ogunbanjo olatunji oladipo okonjo okoye nwankwo obiora ezeh onyeka igwe
onuoha adesina fashola oyelowo akande adeniyi yakubu aliyu usman naidoo govender moodley botha pretorius
venter coetzee fourie steyn mcallister macleod mackinnon
""")
MORE_LAST = frozenset(MORE_LAST_WORDS.split())
#: Issue 18, pass 22: the nicknames and short forms customers sign chat with ("hey its dave", "thx - kels",
#: "ta, gaz", "Díky, Honza", "pozdrawiam, tomek", "Lp, Ana"): English, Polish, Czech, Slovak, Croatian,
#: Serbian, Hungarian, Romanian, Ukrainian and Greek. Some are a word or a place in one of Faker's lists
#: ("Dave" a Belgian town, "jen" Czech for "only", "gaz" Polish for "gas"): as first names they are taken
#: out of the ordinary words (`gazetteer`), and only these ("Kuba" is Cuba too, "Del" and "Palo" Spanish words:
#: they stay ordinary, and a closing still signs them).
NICKNAMES_WORDS = """
dave davey jen jenn kels kelsey tash tasha gaz gazza bex becks shaz shazza kez jay dazza baz bazza caz
maz steph soph liv izzy lizzie beth becca abbie gemma kirsty stevie robbie jonno jonny tommo sam
nic nicky vicky ricky mikey mick micky tez terri ollie alfie archie freddie harry charlie georgie
ana marco honza pepa jirka péťa pavla bartek tomek kasia basia gosia ania zosia jacek
franek staszek witek władek wojtek maciek marcin krzysiek przemek grzesiek janek zuza zuzka janka katka
lenka evka miro juro ivo ivica ivana luka marko zoki goran zoran milica jovana dragana
miki zsófi zsuzsi kati erzsi pisti laci feri gabi andi sanyi dani
ionuț ionut andreea ioana oana bianca mihai vlad radu sorin cristi
olya olena oksana taras andriy andrii mykola mykhailo dmytro vasyl yurii yuriy bohdan serhiy serhii
volodymyr oleksandr oleksii oleksiy yevhen halyna nataliya natalia iryna svitlana tetiana tetyana
yiannis giannis giorgos kostas nikos dimitris panos thanos vasilis christos eleni katerina despina
kev daz
"""
NICKNAMES = frozenset(NICKNAMES_WORDS.split())
#: Issue 18, pass 22: surnames of Central and Eastern Europe, Greece and the Baltics in Latin letters that
#: Faker's Latin lists lack or spell otherwise (Ukrainian's are in Cyrillic there: `romanise_cyrillic`).
MORE_EAST_LAST_WORDS = """
kowalski kowalska wiśniewski wiśniewska wójcik kowalczyk kamiński kamińska lewandowski lewandowska
zieliński zielińska szymański szymańska woźniak dąbrowski dąbrowska kozłowski kozłowska jankowski
mazur krawczyk piotrowski grabowski nowakowski pawłowski michalski wróbel jabłoński zając
novák nováková svoboda svobodová novotný novotná dvořák dvořáková černý černá procházka procházková
kučera kučerová veselý veselá horák horáková němec marek pokorný pokorná
horváth horváthová kováč kováčová varga tóth nagy szabó kovács kiss molnár németh farkas balogh papp
takács juhász lakatos mészáros oláh simon rácz fekete
popescu ionescu popa dumitru stan stoica gheorghe rusu munteanu matei constantin dumitrescu
horvat kovačević babić marić jurić novak kovačić knežević vuković marković petrović jovanović nikolić
đorđević stojanović ilić pavlović milošević tomić
kazlauskas jankauskas petrauskas stankevičius vasiliauskas kazlauskienė petrauskienė kazlauskaitė
bērziņš kalniņš ozoliņš jansons ozols liepiņš tamm saar sepp mägi kask
shevchenko kovalenko bondarenko tkachenko kravchenko melnyk boyko koval oliynyk shevchuk polishchuk
papadopoulos papadopoulou georgiou dimitriou nikolaou konstantinou papadakis ioannou vlachos
"""
MORE_EAST_LAST = frozenset(MORE_EAST_LAST_WORDS.split())
#: Words before a lower-case first name that make it one ("my sister fatima").
RELATIONS = ("husband", "wife", "partner", "son", "daughter", "mother", "mom", "mum", "father", "dad",
             "brother", "sister", "colleague", "friend", "boss", "manager", "neighbour", "neighbor",
             # pass 24: the rest of a family ("my cousin hamza", "my nephew jayden")
             "cousin", "nephew", "niece", "uncle", "aunt", "grandson", "granddaughter", "grandma", "grandpa",
             "boyfriend", "girlfriend", "fiance", "fiancé", "fiancée", "stepson", "stepdaughter")


@lru_cache(maxsize=1)
def gazetteer() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(first names, surnames, ordinary words and places), all lower case; built once per process."""
    first: set[str] = set()
    last: set[str] = set()
    common: set[str] = set(EXTRA_COMMON)
    for package, attrs in (("person", FIRST_ATTRS + LAST_ATTRS), ("lorem", ("word_list",)),
                           ("address", ("countries", "states", "cities", "street_suffixes", "city_suffixes",
                                        "city_prefixes", "regions", "provinces", "departments"))):
        base = importlib.import_module(f"faker.providers.{package}")
        for module in pkgutil.iter_modules(base.__path__):
            provider = getattr(load_unregistered(f"faker.providers.{package}.{module.name}"), "Provider", None)
            for attr in attrs:
                values = getattr(provider, attr, None)
                if not isinstance(values, (tuple, list, dict, set, frozenset)):
                    continue
                target = first if attr in FIRST_ATTRS else last if attr in LAST_ATTRS else common
                for value in values:
                    words = str(value[1] if isinstance(value, tuple) and len(value) == 2 else value).split()
                    # a person's value is one name ("Mary Ann" is two); a place counts whole ("San
                    # Lorenzo" makes no ordinary word of "Lorenzo")
                    for word in words if package == "person" else words if len(words) == 1 else ():
                        if package == "person" and GREEK.search(word):
                            word = romanise_greek(word)  # Faker's el_GR names are in Greek letters
                        elif package == "person" and module.name in CYRILLIC_LOCALES and CYRILLIC.search(word):
                            word = romanise_cyrillic(word, module.name == "ru_RU")  # pass 22: in Cyrillic there
                            if len(word) < 4 or word in ROMANISED_WORDS:
                                continue  # "Лев", "Тит", "Спас": English words in Latin letters
                        if NON_LATIN.search(word) is None and LATIN_WORD.match(word):
                            target.add(word.lower())
                            # as customers type it: "Adébáyọ̀" is written "Adebayo", "Nguyễn" "Nguyen"
                            bare = strip_marks(word.lower())
                            if bare != word.lower() and target is not common:
                                target.add(bare)
    # a one-letter or two-letter "name" is noise, and a place or an ordinary word is no first name
    first |= {strip_marks(w) for w in MORE_FIRST | NICKNAMES} | MORE_FIRST | NICKNAMES
    last |= {strip_marks(w) for w in MORE_LAST | MORE_EAST_LAST} | MORE_LAST | MORE_EAST_LAST
    first = {w for w in first if len(w) >= 2}
    common -= NICKNAMES | {strip_marks(w) for w in NICKNAMES}
    return frozenset(first), frozenset(last - common), frozenset(common)


GREEK = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")
#: Greek to Latin letters as Greek names are written in Latin (ELOT 743, simplified): "Δημήτρης" is
#: "Dimitris", "Παπαδόπουλος" "Papadopoulos", "Γιώργος" "Giorgos".
GREEK_PAIRS = (("ου", "ou"), ("αυ", "av"), ("ευ", "ev"), ("γγ", "ng"), ("θ", "th"), ("χ", "ch"), ("ψ", "ps"))
GREEK_LETTERS = str.maketrans("αβγδεζηικλμνξοπρσςτυφω", "avgdeziiklmnxoprsstyfo")


def romanise_greek(word: str) -> str:
    """`word` (Greek letters) in Latin letters, lower case."""
    lower = strip_marks(word.lower())
    for greek, latin in GREEK_PAIRS:
        lower = lower.replace(greek, latin)
    return lower.translate(GREEK_LETTERS)


#: Issue 18, pass 22: Cyrillic to Latin letters as Ukrainian, Russian and Bulgarian names are written in
#: English mail ("Олександр Бондаренко" is "Oleksandr Bondarenko", "Тарас Шевченко" "Taras Shevchenko"):
#: the passport spelling, simplified ("г" is "h" as Ukrainian has it, "ий" "iy").
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
#: (Only these: Bulgarian's "ъ" is a vowel, and bg_BG lists "Боне", "Нано", "Пане", which are English words romanised.)
CYRILLIC_LOCALES = frozenset({"uk_UA", "ru_RU"})
ROMANISED_WORDS = frozenset({"spas", "prov", "karp", "foma", "nina"})
CYRILLIC_PAIRS = (("зг", "zgh"), ("кс", "ks"), ("ий", "iy"), ("ій", "iy"), ("ія", "iya"), ("ьо", "io"), ("йо", "yo"))
CYRILLIC_LETTERS = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ye", "ж": "zh", "з": "z", "и": "y",
    "і": "i", "ї": "yi", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s",
    "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ъ": "",
    "ю": "yu", "я": "ya", "ы": "y", "э": "e", "ё": "yo", "'": "", "’": ""})


#: Russian's "и" is "i" and its "г" "g" ("Игорь" is "Igor", Ukrainian "Ігор" "Ihor").
RUSSIAN_LETTERS = str.maketrans({"и": "i", "г": "g"})


def romanise_cyrillic(word: str, russian: bool = False) -> str:
    """`word` (Cyrillic letters) in Latin letters, lower case."""
    lower = word.lower().translate(RUSSIAN_LETTERS) if russian else word.lower()
    for cyrillic, latin in CYRILLIC_PAIRS:
        lower = lower.replace(cyrillic, latin)
    return lower.translate(CYRILLIC_LETTERS)


#: Combining marks (vowel signs, viramas, harakat, points, accents) that Python's `\w` does not count as part of a
#: word: Latin's combining accents, Devanagari's, Bengali's, Tamil's, Thai's, Arabic's and Hebrew's.
COMBINING_MARKS = ("\u0300-\u036f\u0900-\u0903\u093a-\u094f\u0951-\u0957\u0962\u0963\u0981-\u0983"
                   "\u09bc-\u09d7\u0b82\u0bbe-\u0bcd\u0e31\u0e34-\u0e3a\u0e47-\u0e4e\u064b-\u065f\u0670"
                   "\u0591-\u05c7")

def strip_marks(word: str) -> str:
    """`word` without its combining marks ("đ" stays: it is a letter of its own)."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def load_unregistered(name: str) -> ModuleType | None:
    """The module `name`, run but not kept in sys.modules: its lists are garbage once read (Faker's
    185 locale modules held about 20 MiB more when imported the usual way)."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


#: Issue 18, pass 22: the capitals of Latin Extended-A and B and of Latin Extended Additional, one by one.
#: Those blocks interleave capitals and small letters, so a range of them ("\u0100-\u024f") took "říkal",
#: "și", "że", "ő" for capitalised words and grew "pan Novotný říkal", "Ioana Dumitrescu și" into names.
LATIN_CAPITALS = "".join(chr(c) for c in (*range(0x100, 0x250), *range(0x1e00, 0x1f00)) if chr(c).isupper())
#: A capitalised word (Title case, or capitals of two letters or more), apostrophes and hyphens inside;
#: Latin Extended-A and B count as letters ("Zieliński", "Şahin"); their capitals open a word.
UP = f"A-ZÀ-ÖØ-Þ{LATIN_CAPITALS}"  # (pass 22: only capitals; "Ioana Dumitrescu și" ends before "și")
LOW = "a-zß-öø-ÿ\u0100-\u024f"  # (ß: "Weißenböck")
CAP = rf"(?:(?:Ma?c|Fitz)[{UP}][{LOW}]+|[{UP}][{LOW}]+|[{UP}]['’][{UP}][{LOW}]+|[{UP}]{{2,}})(?:['’-][{UP}{LOW}]+)*"
#: A run of capitalised words, an initial ("T.") or a particle ("de", "van", "Le") between them. The
#: first capital comes first in the pattern (sre then skips to the next capital letter) and the
#: look-behind after it: no letter, apostrophe, "@", "." or "-" before the run.
CAP_RUN = re.compile(
    rf"[{UP}](?<![\w'’@.-].)(?:[{LOW}]+(?:(?<=Mc)|(?<=Mac)|(?<=Fitz))?[{UP}]?[{LOW}]*|['’][{UP}][{LOW}]+|[{UP}]+)"
    rf"(?:['’-][{UP}{LOW}]+)*"
    rf"(?:[ ]+(?:[A-Z]\.[ ]+)?(?:(?:de|da|do|dos|das|del|della|dela|delos|di|van|von|der|den|la|le|du|binti|binte|bin|ibn|ben|al|el|ter|ten|zu|y)"
    rf"[ ]+){{0,2}}(?:(?:al|el)-)?{CAP})*"
    r"(?![\w@])")
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
#: "thx - jo", "-- jens", "— Ruaridh": a first name after a dash that closes the text.
#: Bounded, so a match lies within the last DASH_REACH characters before the trailing white space.
DASH_SIGNATURE = re.compile(
    r"(?:^|\s)(?:-{1,2}|—|–)[ \t]{0,3}(?P<name>[^\W\d_]{2,20}(?:['’-][^\W\d_]{1,20})?"
    r"(?:[ ][^\W\d_]{2,20}(?:['’-][^\W\d_]{1,20})?)?)[ \t]{0,3}[.!]?\s*\Z")
DASH_REACH = 60
RELATION_LOWER = re.compile(rf"\b(?i:my|our)\s+(?i:{'|'.join(RELATIONS)})\s*,?\s+(?P<name>[a-zà-ÿ][\w'’-]+)")
#: Listed first names that are the verb after "my son" or "my wife" more often than a name ("my son said it").
RELATION_VERBS = frozenset({"said", "asked", "told", "called", "wanted", "says", "wants", "needs", "uses", "got",
                            "bought", "ordered", "paid", "tried", "thinks", "thought", "loves", "hates", "likes"})
SENTENCE_START = re.compile(r"(?:^|[.!?:;\n]|[\"“(])\s*$")


def find_listed_names(text: str, folded: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each name the gazetteer rules find in `text`; `folded` is `text` lower-cased."""
    lists = gazetteer()
    first, _last, common = lists
    for match in CAP_RUN.finditer(text):
        run = match.group()
        if " " not in run:  # most runs: one capitalised word, most often a sentence's first
            lower = run.lower()
            if lower not in first and not run.isascii():
                lower = strip_marks(lower)  # "Ciarán": listed as "Ciaran" (issue 18, ninth pass)
            if (lower in first and lower not in common and not run.isupper() and run[0].isupper()
                    and inside_sentence(text, match.start()) and lone_name_position(text, match.start(), lower)):
                yield match.start(), match.end()
            continue
        handled, span = after_opening_word(text, match.start(), run, lists)
        if span is not None:
            yield span
        if not handled:
            yield from names_in_run(text, match.start(), run, lists)
    tail_at = max(0, len(text.rstrip()) - DASH_REACH)
    tail = text[tail_at:]
    if "-" in tail or "—" in tail or "–" in tail:
        found = DASH_SIGNATURE.search(text, tail_at)
        if found and signs_off(found.group("name"), lists, text[:found.start()]):
            yield found.span("name")
    if "my" in folded or "our" in folded:
        for word in RELATIONS:
            if word in folded:
                for found in RELATION_LOWER.finditer(text):
                    # pass 24: each part of a hyphenated one ("my wife mary-kate"); not the verb after ("my son said")
                    parts = found.group("name").lower().split("-")
                    if all(part in first and part not in common and part not in RELATION_VERBS for part in parts):
                        yield found.span("name")
                break


def after_opening_word(text: str, start: int, run: str, lists: tuple[frozenset[str], frozenset[str], frozenset[str]]
                       ) -> tuple[bool, tuple[int, int] | None]:
    """Issue 18, ninth pass: a run of two capitalised words whose first is an ordinary word opening the
    sentence ("Can Aarav call me back?", "Tell Oksana"): the second judged as a lone first name.
    (Whether the run is handled so, and the name's span if it is one.)"""
    first, _last, common = lists
    lead = WORD.match(run)
    if lead is None or lead.group().lower() not in common or inside_sentence(text, start):
        return False, None
    rest = CAP_RUN.match(text, start + lead.end() + 1)
    if rest is None or rest.start() != start + lead.end() + 1 or " " in rest.group():
        return False, None
    lower = strip_marks(rest.group().lower())
    if lower in first and lower not in common and not rest.group().isupper() and \
            lone_name_position(text, rest.start(), lower):
        return True, rest.span()
    return True, None


PARTICLE_WORDS = frozenset({"binti", "binte", "de", "da", "do", "dos", "das", "del", "della", "dela", "delos", "di", "van", "von", "der", "den", "la",
                            "le", "du", "bin", "ibn", "ben", "al", "el", "ter", "ten", "zu", "y"})
#: Capitalised words that close a text after a dash without being a name ("— Thanks", "- Sent").
NOT_SIGNATURES = frozenset({"thanks", "thx", "cheers", "regards", "best", "sent", "end", "done", "edit", "update",
                            "note", "ps", "please", "help", "urgent", "asap", "again", "anyway", "ok", "okay",
                            "yes", "no", "nothing", "none", "n/a", "na", "tbd", "todo", "etc", "support", "team"})


def signs_off(name: str, lists: tuple[frozenset[str], frozenset[str], frozenset[str]], before: str) -> bool:
    """Whether the one or two words after a closing dash are a name: a listed first name in any case
    ("thx - jo"), or, where the dash opens a line or follows a sentence's end (`before` is the text
    before the dash), capitalised words none of which is an ordinary word ("paid £42.50. — Ruaridh")."""
    first, _last, common = lists
    words = name.split()
    if len(words) == 1 and strip_marks(words[0].lower()) in first and words[0].lower() not in common:
        return True
    lowered = [strip_marks(w.lower()) for w in words]
    if len(words) == 2 and words[0].islower() and lowered[1] in _last and lowered[1] not in common and (
            lowered[0] in first) and lowered[0] not in NOT_SIGNATURES:
        return True  # "- marco rossi": a listed first name (a word too) and a listed surname (issue 18, ninth pass)
    before = before.rstrip(" \t")
    if before and before[-1] not in ".!?\n)":
        return False
    return all(w[0].isupper() and not w.isupper() and w.lower() not in common and w.lower() not in NOT_SIGNATURES
               for w in words) and words[0].lower() not in common


def names_in_run(text: str, offset: int, run: str,
                 lists: tuple[frozenset[str], frozenset[str], frozenset[str]]) -> Iterator[tuple[int, int]]:
    """The names in one run of capitalised words: a listed first name and the surname words after it,
    (a first name standing alone is `find_listed_names`' to judge)."""
    first, _last, common = lists
    words = list(WORD.finditer(run))
    index = 0
    while index < len(words):
        word = words[index].group()
        lower = word.lower()
        if not word[0].isupper():
            index += 1
            continue
        capitals = word.isupper()
        if lower in first and lower not in common:
            end = index
            while end + 1 < len(words) and surname_like(words[end + 1].group(), capitals, lists):
                end += 1
            while end > index and words[end].group().lower() in PARTICLE_WORDS:
                end -= 1  # "Pieter van der Berg": the particles lead to a surname, or are no part of it
            if (end > index or index + 1 < len(words)) and end + 1 < len(words) and \
                    words[end + 1].group().lower() in PARTICLE_WORDS:
                after = end + 1
                while after < len(words) and words[after].group().lower() in PARTICLE_WORDS:
                    after += 1
                if after < len(words) and words[after].group()[0].isupper():
                    end = after
            start_at = offset + words[index].start()
            if end > index:
                yield start_at, offset + words[end].end()
                index = end + 1
                continue
        elif (not capitals and lower not in EXTRA_COMMON and (lower not in common or lower in first)
              and index + 1 < len(words) and inside_sentence(text, offset + words[index].start())
              and unlisted_first_before_surname(words[index + 1].group(), lists)):
            # "Thanks to Adebayo Okonkwo": a first name the lists lack (or one that is also a place, "Fernando"),
            # before a listed surname, inside a sentence
            yield offset + words[index].start(), offset + words[index + 1].end()
            index += 2
            continue
        index += 1


def unlisted_first_before_surname(word: str, lists: tuple[frozenset[str], frozenset[str], frozenset[str]]) -> bool:
    """Whether `word`, after a capitalised word, makes the pair a name: a Title-case listed surname."""
    _first, last, common = lists
    parts = word.lower().replace("’", "'").split("-")  # "Díaz-Ortega": each part a surname
    return word[0].isupper() and not word.isupper() and all(p in last and p not in common for p in parts)


def surname_like(word: str, capitals: bool, lists: tuple[frozenset[str], frozenset[str], frozenset[str]]) -> bool:
    """A word after a first name that continues the name: a listed surname, or (not in capitals) any
    capitalised word that is not an ordinary word or a place; a particle ("de", "van") also."""
    first, last, common = lists
    lower = word.lower()
    if len(word) == 1:  # an initial ("T."): CAP_RUN puts one only between two name words
        return True
    if lower in {"de", "da", "do", "dos", "das", "del", "della", "di", "van", "von", "der", "den", "la", "le", "du",
                 "bin", "ibn", "ben", "al", "el", "ter", "ten", "zu", "y"} and not capitals:
        return True
    if lower in common:
        return False
    if capitals:
        return lower in last or lower in first
    return len(word) > 1


#: Words before a lone capitalised word that make it a thing or a place ("your Petra tour", "in Crete",
#: "my Manila trip"), and first names that are ordinary English words or brands ("Grant access",
#: "Amber warnings", "Alexa"): issue 18, eighth pass. A cue (a relation, "X from accounts", a
#: sign-off) still finds such a name.
THING_BEFORE = re.compile(r"\b(?i:the|a|an|your|our|my|their|its|this|that|these|those|in|at|near|via|per|visit|"
                          r"visiting|cover|covers|to the|in der|im|en|à|na|no|em|w|we|"
                          # issue 18, ninth pass: "to" and "in" of other languages ("sendt til Bergen", "nach Essen")
                          r"til|till|nach|naar|vers|au|aux|para|hacia|verso|på|ved|nel|nella|dans|bis|från|fra|"
                          # and the street words before a street named for a person ("Corso Umberto", "Avenue Louise")
                          r"avenue|avenida|av|corso|viale|rua|rue|calle|plaza|piazza|place|strada|ulica|ul|praça)[ \t.]+\Z")
ORDINARY_FIRST_NAMES = frozenset({
    "will", "mark", "rose", "bill", "pat", "joy", "hope", "grace", "may", "june", "april", "faith", "summer",
    "dawn", "sky", "art", "ray", "guy", "rich", "frank", "jack", "sue", "drew", "gene", "max", "chase",
    "hunter", "lane", "page", "penny", "ruby", "crystal", "amber", "autumn", "honey", "hazel", "ivy", "lily",
    "holly", "violet", "olive", "sunny", "storm", "river", "rain", "miles", "price", "grant", "dot", "patience",
    "mercy", "precious", "justice", "chance", "destiny", "trinity", "harmony", "melody", "echo", "alexa", "siri",
    "galaxy", "nova", "aurora", "pearl", "jade", "ginger", "basil", "clay", "dale", "glen", "cliff", "heath",
    "forest", "brook", "reed", "wade", "chip", "sandy", "rusty", "dusty", "buddy", "august", "sterling", "ash",
    "sage", "misty", "cherry", "candy", "mercedes", "porsche", "tesla", "kindle", "nest", "ring", "pixel",
    "surface", "iris", "daisy", "poppy", "crete", "manila", "petra", "lourdes", "sydney", "val", "claims",
    # product and release words ("iOS 17.2 — Beta", "Galaxy Ultra")
    "alpha", "beta", "gamma", "delta", "omega", "ultra", "mini", "lite", "neo", "prime",
})


#: Months and weekdays in the corpus's languages: some are listed first names ("Juni", "Mai", "Avril").
MONTHS_AND_DAYS = frozenset(["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "oktober", "dezember", "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag", "janvier", "février", "mars", "avril", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo", "gennaio", "febbraio", "aprile", "maggio", "giugno", "luglio", "settembre", "ottobre", "dicembre", "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica", "janeiro", "fevereiro", "março", "maio", "junho", "julho", "setembro", "outubro", "novembro", "dezembro", "januari", "februari", "maart", "mei", "augustus", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag", "ocak", "şubat", "mart", "nisan", "mayıs", "haziran", "temmuz", "ağustos", "eylül", "ekim", "kasım", "aralık"])


def lone_name_position(text: str, start: int, lower: str) -> bool:
    """Whether a lone listed first name at `start` stands where a person is meant."""
    return lower not in ORDINARY_FIRST_NAMES and lower not in MONTHS_AND_DAYS and THING_BEFORE.search(text, max(0, start - 12), start) is None


def inside_sentence(text: str, start: int) -> bool:
    """Whether the word at `start` stands after another word of its sentence (not its first word)."""
    return SENTENCE_START.search(text[max(0, start - 40):start]) is None
