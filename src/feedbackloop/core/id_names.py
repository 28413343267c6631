"""The names people give identity numbers, country by country and language by language (issue 18).

Written from the countries' own documents, not from any corpus, so that a text from a country we have not
seen still names its id: for each country with one, the national identity card or number, the personal tax
number, the social-security or health-insurance number, the voter's card, the driving licence, the
passport and the residence permit, in the official name, its abbreviation and the local language's and
script's usual writing; then the generic phrasings ("my ID number", "numéro d'identité", "Ausweisnummer").

Three lists, because the three kinds of name meet ordinary text differently:

- WORDS: names in a script that spaces its words, matched whole (no letter before or after), in any case;
- ABBREVIATIONS: short capitals that are also words or other things' codes in some language ("PAN", "RUN",
  "NIC", "PIS"), matched in capitals only, or in any case right after a possessive ("mi cc es …");
- GLUED: names in scripts that glue particles or prefixes to a word (Han, Kana, Hangul, Thai, Arabic,
  Hebrew: "我的身份证号是", "주민등록번호는", "وبالرقم القومي"), matched without word boundaries.

A space in a name stands for any of space, dot, hyphen or opening bracket, once or twice ("TC kimlik", "T.C. Kimlik",
"ID-Nummer"); an apostrophe for a straight or a curly one or none.
"""

from __future__ import annotations

import re

WORDS = (
    # generic, English
    "id number", "id no", "id num", "id nr", "id #", "id card", "identity number", "identity no", "identity card",
    "identity document", "identification number", "identification no", "identification card", "personal id",
    "personal number", "personal code", "personal identity number", "personal identification number",
    "national id", "national identity", "national identification", "national number", "national card",
    "citizen id", "citizen number", "citizenship number", "citizenship card", "government id", "govt id",
    "photo id number", "state id", "social security", "social insurance", "national insurance",
    "health insurance number", "health card", "health number", "personal health number", "medical card number",
    "tax id", "tax number", "tax no", "tax code", "tax reference", "tax file number", "taxpayer id", "taxpayer number",
    "tax identification", "tax identification number", "taxpayer identification number", "unique taxpayer reference",
    "voter id", "voters id", "voter's id", "voter card", "voter's card", "voter's id card", "elector's card",
    "electoral card", "driver's licence", "driver's license", "drivers licence", "drivers license",
    "driving licence", "driving license", "driver licence", "driver license", "licence number", "license number",
    "licence no", "license no", "dl number", "dl no", "passport", "passport number", "passport no",
    "residence permit", "residence card", "resident card", "residence id", "resident id", "permanent resident card",
    "green card number", "alien number", "alien registration number", "work permit number", "civil id",
    "civil number", "emirates id", "iqama", "qid", "ghana card", "ghanacard", "huduma namba", "maisha namba",
    "kra pin", "mykad", "ic number", "ic no", "nric", "philsys", "philid", "pag-ibig", "philhealth", "umid",
    "aadhaar", "aadhar", "adhaar", "aadhaar number", "pan card", "pan number", "pan no", "epic number",
    "medicare number", "medicare card", "medicare no", "medicaid id", "medicaid number", "ohip", "carecard",
    "sin number", "sin no", "ni number", "ni no", "nhs number", "nhs no", "chi number", "ird number",
    "nhi number", "ssn", "ss number", "ss no", "ss#", "sss number", "sss no", "tin number", "tin no",
    "utr number", "nino", "pps number", "pps no", "ppsn", "itin", "omang", "tazkira", "fayda",
    # Spanish
    "número de identificación", "numero de identificacion", "número de identidad", "numero de identidad",
    "número de documento", "numero de documento", "nro de documento", "número de cédula", "numero de cedula",
    "documento de identidad", "documento nacional de identidad", "documento nacional", "cédula", "cedula",
    "cédula de identidad", "cédula de ciudadanía", "cedula de ciudadania", "cédula de extranjería",
    "carnet de identidad", "carné de identidad", "carnet de extranjería", "tarjeta de identidad",
    "credencial para votar", "credencial de elector", "clave de elector", "seguridad social", "seguro social",
    "número de seguro social", "número de afiliación", "numero de afiliacion", "licencia de conducir",
    "licencia de conducción", "permiso de conducir", "carnet de conducir", "pasaporte", "número de pasaporte",
    "tarjeta de residencia", "tarjeta de residente", "permiso de residencia", "identificación fiscal",
    "identificación tributaria", "número de contribuyente", "rol único tributario", "registro federal de contribuyentes",
    "clave única de registro de población",
    # Portuguese
    "número de identificação", "numero de identificacao", "número de identidade", "carteira de identidade",
    "carteira de motorista", "carteira nacional de habilitação", "título de eleitor", "titulo de eleitor",
    "cartão do sus", "cartão nacional de saúde", "cartão de cidadão", "cartao de cidadao", "número de contribuinte",
    "numero de contribuinte", "número de utente", "bilhete de identidade", "passaporte", "número do passaporte",
    "autorização de residência", "segurança social", "número de segurança social", "cadastro de pessoa física",
    # French
    "numéro d'identité", "numero d'identite", "numéro d'identification", "numéro national", "numéro de registre national",
    "registre national", "carte d'identité", "carte d'identite", "carte nationale d'identité", "carte nationale",
    "carte d'identité nationale", "pièce d'identité", "piece d'identite", "numéro de sécurité sociale",
    "numéro de sécu", "n° de sécu", "no de sécu", "n° de sécurité sociale", "sécurité sociale", "securite sociale",
    "sécu", "carte vitale", "numéro fiscal", "numéro d'identification fiscale", "numéro de passeport", "passeport",
    "titre de séjour", "carte de séjour", "carte de résident", "permis de séjour", "permis de conduire",
    "numéro de permis", "numéro d'assurance sociale", "numéro d'assurance maladie", "carte soleil",
    "carte d'électeur", "numéro d'électeur", "numéro avs", "numéro d'assuré", "numéro d'immatriculation cnss",
    "matricule cnss", "matricule cnps", "numéro nina",
    # German, Dutch
    "ausweisnummer", "ausweis-nr", "ausweisnr", "personalausweis", "personalausweisnummer", "perso-nummer",
    "reisepass", "reisepassnummer", "passnummer", "pass-nr", "steuer-id", "steuer-idnr", "steuerid",
    "steueridentifikationsnummer", "steuerliche identifikationsnummer", "identifikationsnummer", "idnr",
    "steuernummer", "sozialversicherungsnummer", "sozialversicherungs-nr", "sv-nummer", "rentenversicherungsnummer",
    "rv-nummer", "versicherungsnummer", "krankenversichertennummer", "kv-nummer",
    "führerschein", "führerscheinnummer", "aufenthaltstitel", "aufenthaltserlaubnis", "ahv-nummer", "ahv-nr",
    "ahv", "ahvn13", "identitätskarte", "id-nummer", "burgerservicenummer", "bsn-nummer", "sofinummer",
    "rijksregisternummer", "rijksregister", "identiteitskaart", "identiteitskaartnummer", "id-kaart",
    "paspoortnummer", "paspoort", "rijbewijsnummer", "rijbewijs", "verblijfsvergunning", "insz-nummer",
    "persoonsnummer",
    # Italian
    "codice fiscale", "tessera sanitaria", "carta d'identità", "carta di identità", "numero carta d'identità",
    "documento d'identità", "numero di passaporto", "passaporto", "patente di guida", "numero patente",
    "permesso di soggiorno", "cod. fisc", "cod. fiscale",
    # Nordic, Baltic
    "personnummer", "personnr", "samordningsnummer", "fødselsnummer", "fødselsnr", "fodselsnummer", "d-nummer",
    "cpr-nummer", "cpr-nr", "henkilötunnus", "henkilotunnus", "sosiaaliturvatunnus", "kennitala", "passnummer",
    "körkortsnummer", "isikukood", "personas kods", "asmens kodas",
    # Central and Eastern Europe, the Balkans
    "pesel", "numer pesel", "numer dowodu", "dowód osobisty", "dowod osobisty", "nr dowodu", "numer paszportu",
    "paszport", "rodné číslo", "rodne cislo", "číslo občanského průkazu", "číslo op", "číslo pasu",
    "občiansky preukaz", "emšo", "emso", "jmbg", "matični broj", "oib", "osobni identifikacijski broj",
    "osobna iskaznica", "lična karta", "licna karta", "broj lične karte", "cod numeric personal",
    "carte de identitate", "carte de identitate", "buletin", "személyi igazolvány", "személyi szám",
    "szemelyi szam", "adóazonosító", "adóazonosító jel", "adóazonosító jele", "adóazonosítóm", "adószám",
    "taj szám", "taj-szám", "útlevélszám", "személyi azonosító", "személyi azonosítóm", "személyi azonosító szám",
    # Greek, Cyrillic
    "αμκα", "αφμ", "αδτ", "αριθμός ταυτότητας", "δελτίο ταυτότητας", "αριθμός διαβατηρίου", "διαβατήριο",
    "егн", "лнч", "лична карта", "инн", "снилс", "паспорт", "номер паспорта", "серия и номер паспорта",
    "паспортные данные", "иин", "пинфл", "рнокпп", "іпн", "ідентифікаційний код", "ідентифікаційний номер",
    "номер паспорта", "унзр", "водительское удостоверение", "посвідчення водія", "вид на жительство",
    "полис омс", "јмбг", "лична карта",
    # Turkish, Caucasus, Central Asia
    "tc kimlik", "t.c. kimlik", "tc kimlik no", "kimlik numarası", "kimlik numaram", "kimlik no", "tckn",
    "vergi kimlik", "pasaport numarası", "ehliyet no", "ikamet izni", "yabancı kimlik",
    # South and South-East Asia, Oceania, Africa (in Latin script)
    "căn cước", "căn cước công dân", "số cccd", "chứng minh nhân dân", "số định danh", "mã số thuế",
    "mã số thuế cá nhân", "hộ chiếu", "số hộ chiếu", "bảo hiểm xã hội", "số bhxh", "mã số bhxh",
    "giấy phép lái xe", "nomor induk kependudukan", "nomor ktp", "no ktp", "e-ktp", "ktp", "nomor paspor",
    "nomor npwp", "kad pengenalan", "no kad pengenalan", "nombor ic", "no ic", "nomor bpjs", "kitambulisho",
    "namba ya kitambulisho", "nambari ya kitambulisho", "id yangu", "id yako", "national identification number",
    # issue 18, nineteenth pass: names the eighteenth's lists left out, country by country: Peru's, Ecuador's and
    # Paraguay's RUC of a person, Jamaica's TRN, the UK's biometric residence permit, the US alien number, Romania's
    # CNP with its article, Turkish's inflected "kimlik" (my, your, its identity), Nigeria's and Kenya's own,
    # Japan's health-insurance card, Korea's resident number in its short forms
    "registro único de contribuyentes", "registro unico de contribuyentes", "número de ruc", "numero de ruc",
    "taxpayer registration number", "trn number", "trn no", "my trn", "jamaican trn", "brp number",
    "biometric residence permit", "uscis number",
    "uscis #", "a-number", "alien registration", "codul numeric personal", "codului numeric personal",
    "kimliğim", "kimliğimi", "kimliğiniz", "kimliğinizi", "kimlik numaram", "kimlik numaramı", "kimlik numaranız",
    "kimlik numarası", "kimlik kartı", "nüfus cüzdanı", "national identity number", "nin number", "nin slip",
    "bvn number", "voter's card number", "pvc number", "id namba", "namba ya utambulisho", "pin ya kra",
    "sa id", "rsa id", "id book", "green book", "cédula de identidad y electoral", "nit personal",
    "tarjeta de identidad personal",
    "número de seguridad social", "numero de seguridad social", "número del imss", "numero del imss", "nss del imss",
    "número de dni", "numero de dni", "nº de dni", "n° de dni", "número de nie", "número de cpf", "numero do cpf",
    "número do cpf", "número do rg", "numero do rg", "registro geral", "cartão sus", "cartao do sus",
    "cartão nacional de saude",
    "número de la cédula", "cedula de identidad", "carné de extranjería", "carnet de extranjeria",
    "nic number", "nic no", "national identity card", "nid card", "aadhaar card", "aadhar card",
    "aadhaar no", "aadhar no", "aadhar number", "uidai", "voter id card", "epic card",
    "pan card number", "permanent account number", "ration card number", "hkid card", "hong kong id",
    "hong kong identity card", "identity card number", "nric no", "nric number", "fin number", "ic number",
    "mykad number", "kad pengenalan", "philsys card number", "philid card", "psn number", "sss id",
    "tin id", "gsis bp", "medicare card number", "ird no", "nhi no", "chi no", "sin card",
    "social insurance number", "ppsn number", "public service number", "national insurance number",
    "ni number", "nino number", "national health index", "health card number", "ohip number",
    "qatar id", "qatari id", "civil id number", "emirates id number", "eid number", "iqama no", "muqeem",
    "tax identification no", "steuer-identifikationsnummer", "steueridentifikationsnr", "ahv-nr.",
    "sozialversicherungsnr", "amka number", "numer identyfikacji", "rodné číslo", "rodného čísla",
    "rodné čislo", "osobni broj", "matični broj građana", "jedinstveni matični broj",
    "henkilötunnukseni", "henkilötunnus on", "personnumret", "personnummeret", "cpr-nummeret", "cpr nummer",
    "fødselsnummeret", "burgerservicenummer", "rijksregisternummer",
    "személyazonosító", "személyi igazolvány szám", "taj számom", "adóazonosító jelem",
    "egn-то", "лична карта №", "личен номер",
    # health and insurance members' numbers in more of Europe's languages (Catalan, Spanish, German, Dutch, Polish)
    "targeta sanitària", "targeta sanitaria", "codi cip", "tarjeta sanitaria", "tarjeta sanitaria individual",
    "código cip", "codigo cip", "número de la seguridad social", "krankenkassenkarte", "versichertenkarte",
    "gesundheitskarte",
    "zorgpasnummer", "karta ubezpieczenia",
    "tessera sanitaria numero", "numero tessera sanitaria", "carte vitale numéro", "numéro de carte vitale",
    "numéro d'assurance maladie", "carte d'assurance maladie", "health insurance card", "insurance member number",
    # Arabic written in Latin letters and digits (Egypt's and the Gulf's chats: "el ra2am el 2awmy")
    "ra2am 2awmy", "ra2am el 2awmy", "el ra2am el 2awmy", "raqam qawmi", "el raqam el qawmy", "rakam kawmy",
    "el 2awmy", "2awmy", "ra2my el 2awmy", "el bita2a el shakhsia", "bita2a shakhseya", "ra2am el hawiya",
    "raqam al hawiya", "hawiya", "ra2am el e2ama", "e2ama", "iqamti", "ra2am iqama",
    # Hindi and Urdu in Latin letters, Swahili, Tagalog, Indonesian, Vietnamese without marks
    "aadhaar card number", "aadhar card no", "pehchan patra", "shanakhti card", "id card number",
    "kitambulisho changu", "namba ya id", "numero ng id", "id ko", "nomor ktp saya", "nomor nik", "nik saya",
    "so cccd", "can cuoc", "can cuoc cong dan", "so can cuoc", "cmnd so", "so cmnd",
    "citizenship no", "citizenship certificate", "nrc number", "nrc no", "national registration card",
    "national registration number", "identity card no", "id card no", "id#",
    # Africa's other languages in Latin script (Afrikaans, Zulu, Xhosa, Hausa, Swahili, Somali), Latin America's
    # permits and cards, Central Europe's and Asia's in Latin script
    "identiteitsnommer", "id-nommer", "inombolo kamazisi", "inombolo yesazisi", "inombolo ye-id", "lambar shaida",
    "lambar katin shaida", "namba ya nida", "nambari ya nida", "kadi ya mpiga kura", "lambarka aqoonsiga",
    "aqoonsi", "cédula de residencia", "carné de residente", "carnet de residente", "permiso especial de permanencia",
    "permiso por protección temporal", "número de pep", "carteira de trabalho", "ctps", "rnm", "crnm",
    "číslo pojištěnce", "cislo pojistence", "serie buletin", "seria buletinului", "davčna številka", "numri personal",
    "nomor kk", "kartu keluarga", "nomor kartu keluarga", "postal id", "prc id", "prc license", "numero ng sss",
    "national id no", "national id number", "id no.", "identity no.",
    # issue 18, twentieth pass: Northern and Central Europe's names as forms and people shorten them, and their
    # passports and driving licences ("pers.nr", "f.nr.", "Soz.-Vers.-Nr.", "KVNR", "p.k.", "Passnr.", "førerkort")
    "pers nr", "pers.nr", "persnr", "personnr", "samordningsnr", "id-kortsnummer", "körkort", "körkortsnr",
    "passnr", "pass nr", "pass nummer", "f nr", "fnr", "fødselsnr", "d-nr", "førerkort", "førerkortnummer",
    "førerkort nr", "pas nr", "pasnummer", "kørekort", "kørekortnummer", "kørekort nr", "sygesikringsnummer",
    "cpr nr", "cprnr", "sotu", "sotu-tunnus", "passin numero", "passinumero", "ajokortti", "ajokortin numero",
    "vegabréf", "vegabréfsnúmer", "ökuskírteini", "passi number", "id-kaardi number", "dokumendi number",
    "juhiluba", "juhiloa number", "pers. kods", "pers kods", "personas kodu", "pases numurs",
    "personas apliecība", "personas apliecības numurs", "vadītāja apliecība", "paso numeris",
    "asmens tapatybės kortelė", "asmens tapatybės kortelės numeris", "vairuotojo pažymėjimas", "soz vers nr",
    "sozialvers nr", "sozialversicherungs nr", "sv nr", "sv nummer", "rv nr", "rvnr", "rv nummer", "vsnr",
    "kvnr", "kv nr", "krankenversicherungsnummer",
    "krankenversicherten nr", "perso nr", "personalausweis nr", "personalausweisnr", "ausweis nr",
    "ausweisnummer", "reisepass nr", "reisepassnr", "führerschein nr", "führerscheinnr", "steuer id nr",
    "steuer idnr", "steuer-identnummer", "e-card nummer", "ahv nr", "ahv nummer", "avs nr", "no avs",
    "numéro avs", "burgerservicenr", "bsn nr", "sofinr", "identiteitsbewijs", "identiteitsbewijsnummer",
    "id-kaartnummer", "rijbewijs nr", "rijksregisternr", "rijksregister nr", "identificatienummer",
    "matricule national", "numéro de matricule", "numéro d'identification national", "numéro d'identification",
    "dowodu osobistego", "nr dowodu osobistego", "numer dowodu osobistego", "seria i numer dowodu",
    "prawo jazdy", "prawa jazdy", "nr prawa jazdy", "numer prawa jazdy", "řidičský průkaz", "řidičského průkazu",
    "číslo řidičského průkazu", "ridicsky prukaz", "vodičský preukaz", "vodičského preukazu",
    "číslo občianskeho preukazu", "číslo cestovního pasu", "cestovní pas", "szig szám", "szig.szám",
    "személyi igazolvány száma", "személyi igazolványszám", "útlevél", "útlevél száma", "jogosítvány",
    "jogosítvány száma", "vezetői engedély", "številka potnega lista", "potni list", "vozniško dovoljenje",
    "osebna izkaznica", "številka osebne izkaznice", "pasaport", "pasaport no", "burger service nummer",
    "burgerservice nummer", "b.s.n", "steuer identifikations nr", "steuer identifikationsnummer", "s.v nr",
    # issue 18, pass 23: names as people shorten them in English-speaking chat ("soc. ins. no.", "soc sec #", "ni
    # num"), Central and Eastern Europe's id cards and passports in their cases ("osobní číslo", "č. OP", "broj
    # osobne iskaznice", "szem. ig. szám", "број на пасош"), Ukraine's ID card, Kazakhstan's IIN in Latin letters
    "soc ins no", "soc ins number", "soc ins #", "social ins no", "soc sec", "soc sec no", "soc sec number",
    "soc sec #", "ni num", "ni #", "nat ins", "nat ins no", "natl insurance", "nat'l insurance",
    "osobní číslo", "osobni cislo", "osobné číslo", "osobne cislo", "č op", "č. op", "c. op", "op č", "op číslo",
    "číslo občanky", "občanka č", "číslo občianky", "osobne iskaznice", "broj osobne iskaznice", "broj osobne",
    "broj lične", "broj licne karte", "broj pasoša", "broj pasosa", "pasoš", "putovnica", "broj putovnice",
    "szem ig", "szem ig szám", "szem ig szama", "személyi ig", "пасош", "број на пасош", "број пасоша",
    "број на лична карта", "id-картка", "id-карта", "id картка", "номер id-картки", "id-картки",
    "паспорт громадянина", "numărul de identificare", "numar de identificare",
    # (and a form's or an export's field names, their underscores read as spaces: "passport_no", "document_number")
    "document number", "document no", "doc number", "doc no", "personal public service number",
    "personal public service no", "personal no", "personal nr", "driver's lic", "drivers lic", "driver lic", "driving lic",
    # the names a translation or an agent's note gives ("birth no." for the rodné číslo, "national no." for Jordan's),
    # Finland's Swedish name, health and benefit schemes' member numbers (Alberta's AHCIP, Australia's NDIS,
    # Indonesia's BPJS), Spain's social-security affiliation number
    "birth number", "birth no", "national no", "national id code", "personbeteckning",
    "ahcip", "ahcip number", "ahcip no", "ndis number", "ndis no", "bpjs", "kartu bpjs", "no bpjs", "bpjs kesehatan",
    "nº afiliación", "n° afiliación", "nº de afiliación", "no afiliación", "afiliación ss", "nº afiliación ss",
    # issue 18, pass 25: the Caucasus's and Central Asia's own scripts and Latin spellings (Georgia's personal number,
    # Armenia's social card and public service number, Azerbaijan's FIN, Uzbekistan's JShShIR, Kazakhstan's IIN),
    # Europe's smaller languages (Maltese, Welsh, Irish, Basque, Catalan, Galician, Albanian, Luxembourgish), and
    # West Africa's, Madagascar's and the Horn's (Yoruba, Igbo, Malagasy, Tigrinya, Kurdish)
    "პირადი ნომერი", "პირადი №", "პ/ნ", "პირადობის მოწმობა", "პასპორტი", "პასპორტის ნომერი",
    "სოციალური ბარათი", "საიდენტიფიკაციო ნომერი", "სადაზღვევო ნომერი",
    "սոցքարտ", "սոց քարտ", "սոցիալական քարտ", "հծհ", "հանրային ծառայությունների համարանիշ", "անձնագիր",
    "անձնագրի համար", "նույնականացման քարտ", "id քարտ",
    "şəxsiyyət vəsiqəsi", "fin kod", "fin kodu", "fərdi identifikasiya nömrəsi", "pasport nömrəsi",
    "şəxsiyyət vəsiqəsinin nömrəsi", "jshshir", "jshshir raqami", "pasport raqami", "shaxsiy raqam",
    "identifikatsiya raqami", "jeke sáıkestendirý nómiri", "iin nomiri", "жеке сәйкестендіру нөмірі",
    "жеке куәлік", "паспорт нөмірі", "регистрийн дугаар", "иргэний үнэмлэх",
    "karta tal-identità", "numru tal-karta tal-identità", "numru tal-identità", "numru tas-sigurtà soċjali",
    "rhif yswiriant gwladol", "rhif adnabod", "rhif pasbort", "trwydded yrru", "uimhir pps", "cárta aitheantais",
    "uimhir phearsanta", "nan zenbakia", "nortasun agiria", "nortasun agiri nazionala", "pasaporte zenbakia",
    "gizarte segurantzako zenbakia", "document nacional d'identitat", "número d'identitat", "targeta d'identitat",
    "número de la seguretat social", "passaport", "documento nacional de identidade", "número de identidade galego",
    "numri i identitetit", "numri i letërnjoftimit", "letërnjoftim", "letërnjoftimi", "numri i pasaportës",
    "pasaporta", "sozialversécherungsnummer", "identifikatiounsnummer", "matrikelnummer vun der sécu",
    "nọ́mbà ìdánimọ̀", "nomba idanimo", "nọmba idanimọ", "nọmba njirimara", "nomba njirimara",
    "laharana karapanondro", "karapanondro", "laharan'ny karapanondro", "ናይ መንነት ቁጽሪ", "መንነት",
    "jimareya nasnameyê", "nasname", "hejmara nasnameyê", "ژمارەی ناسنامە",
    # (after pass 26's measurement: Korea's resident number in English; pass 27: in any case, "Resident Registration
    # Number:", and so a phone's "Resident number: 555-0142" is left by pii_ids.phone_line_named)
    "resident registration number", "resident registration no", "resident number",
)

ABBREVIATIONS = (
    "SSN", "ITIN", "ATIN", "SIN", "NAS", "TIN", "TFN", "IRD", "NHI", "NHS", "CHI", "PPS", "PPSN", "NINO", "NI", "UTR",
    "PHN", "RAMQ", "OHIP", "HICN", "MBI", "DNI", "NIE", "TIE", "NIF", "NUSS", "NSS", "NIR", "CNI",
    "CNIB", "NINA", "NNI", "CNSS", "CNPS", "CNAS", "IPRES", "AVS", "AHV", "NISS", "INSZ", "RRN", "BSN", "CPR", "RG",
    "CPF", "CNH", "NIS", "PIS", "PASEP", "NIT", "CNS", "BI", "CC", "CI", "CIC", "CIE", "TI", "RUN", "RUT",
    "CURP", "RFC", "INE", "DUI", "DPI", "CUI", "RTN", "CUIL", "CUIT", "NUIT", "PAN", "EPIC", "CNIC", "NICOP",
    "NIC", "NID", "NRIC", "FIN", "NIK", "KTP", "NPWP", "SSS", "GSIS", "UMID", "PSN", "TIN", "NIN",
    "BVN", "NIDA", "EGN", "ЕГН", "ИНН", "СНИЛС", "ИИН", "CNP", "OIB", "JMBG", "EMŠO", "AMKA", "ΑΜΚΑ", "ΑΦΜ", "ΑΔΤ",
    "TAJ", "PESEL", "RČ", "TC", "TCKN", "YKN", "IC", "HKID", "CCCD", "CMND", "CMTND", "MST", "BHXH", "QID", "CPR",
    "CRN", "SVNR", "VSNR", "IDNR", "IdNr", "KVNR", "RVNR", "SOTU", "HETU", "NIP", "St.-Nr.", "DL", "DLN", "SINs", "My Number",
    # issue 18, nineteenth pass
    "RUC", "BRP", "NRC", "NHIF", "NSSF", "SSNIT", "NHIS", "CPR-nr", "HKIC", "IMSS", "RNOKPP", "SNILS", "DNIe",    # issue 18, pass 23: Kazakhstan's, Moldova's, Uzbekistan's and North Macedonia's numbers, Ukraine's record number
    "IIN", "ЖСН", "IDNP", "ПИНФЛ", "JSHSHIR", "ЕМБГ", "EMBG", "ЛНЧ", "УНЗР", "JMB", "AFM", "ДРФО",
)

GLUED = (
    # Chinese, Japanese, Korean
    "身份证", "身份证号", "身份证号码", "身份證", "身份證號", "身份證號碼", "身分證", "身分證字號", "居民身份证",
    "护照号", "护照号码", "護照號碼", "社保卡号", "社会保障号", "香港身份證", "驾驶证号", "驾照号",
    "マイナンバー", "個人番号", "住民票コード", "運転免許証番号", "免許証番号", "パスポート番号", "旅券番号",
    "在留カード番号", "基礎年金番号", "被保険者番号",
    "주민등록번호", "주민번호", "외국인등록번호", "여권번호", "운전면허번호",
    # (after pass 26's measurement, not blind: Croatia's passport in the genitive)
    "putovnice",
    # issue 18, nineteenth pass: Japan's health-insurance card and pension book, Korea's resident number's halves,
    # the Hong Kong card, Egypt's "my national number" and its final yā' written as alif maqṣūra (ى)
    "港澳通行证", "往来港澳通行证", "回乡证", "台胞证", "通行证号码", "户口本", "社会保障卡", "医保卡号",
    "护照", "驾驶证", "社保号", "医保号", "健保卡號", "居留證號", "在留カード", "運転免許証", "免許証",
    "보험증", "건강보험증", "건강보험 번호",
    "保険証", "被保険者証", "保険者番号", "記号番号", "年金手帳", "基礎年金", "住基ネット",
    "주민등록", "주민번호 앞자리", "생년월일 뒷자리", "외국인등록증", "香港身份证", "身分證號碼", "居留證",
    "رقمي القومي", "رقم قومي", "الرقم القومى", "القومى", "رقم الهوية الوطنية", "رقم هويتي", "هويتي",
    "رقم البطاقة الشخصية", "البطاقة الشخصية", "رقم الاقامة", "الاقامة", "هوية مقيم", "رقم الجواز",
    "قومي رقم", "شناختی کارڈ نمبر", "قومی شناختی کارڈ",
    # issue 18, pass 23: "identity" without its article ("هوية وطنية 1012345672", "رقم هوية", "بطاقة هوية")
    "هوية وطنية", "رقم هوية", "بطاقة هوية", "هوية رقم",
    # (and Hebrew's abbreviation with its own gershayim, "ת״ז"; the passport and the national identity card in Thai,
    # Bengali and Tamil words)
    "ת״ז", "מספר הזהות", "תעודת הזהות", "พาสปอร์ต", "เลขพาสปอร์ต", "পাসপোর্ট", "পাসপোর্ট নম্বর", "জাতীয় পরিচয়পত্র নম্বর", "அடையாள அட்டை",
    "தேசிய அடையாள அட்டை", "கடவுச்சீட்டு",
    # Thai
    "เลขบัตรประชาชน", "บัตรประชาชน", "เลขประจำตัวประชาชน", "หนังสือเดินทาง", "ใบขับขี่",
    # Arabic, Persian, Urdu
    "رقم الهوية", "الهوية الوطنية", "بطاقة الهوية", "رقم البطاقة", "البطاقة الوطنية", "رقم البطاقة الوطنية",
    "الرقم القومي", "الرقم الوطني", "الرقم المدني", "البطاقة المدنية", "السجل المدني", "رقم السجل المدني",
    "رقم جواز السفر", "جواز السفر", "رقم الإقامة", "الإقامة", "رخصة القيادة", "الرقم الشخصي", "بطاقة التعريف",
    "رقم التعريف", "کد ملی", "كد ملي", "شماره ملی", "کارت ملی", "شماره شناسنامه", "شماره گذرنامه",
    "شناختی کارڈ", "شناختی کارڈ نمبر",
    # Hebrew
    "תעודת זהות", "ת.ז", "ת\"ז", "מספר זהות", "מס' זהות", "מספר דרכון", "דרכון", "רישיון נהיגה",
    # Indic scripts
    "आधार", "आधार संख्या", "आधार नंबर", "पैन कार्ड", "मतदाता पहचान पत्र", "नागरिकता", "জাতীয় পরিচয়পত্র", "এনআইডি",
    # issue 18, nineteenth pass: India's other scripts (Tamil, Telugu, Kannada, Marathi's Devanagari words), Sri
    # Lanka's Sinhala, Ethiopia's Amharic, Mongolia's and Belarus's Cyrillic
    "पैन", "पहचान पत्र", "वोटर आईडी", "नागरिकता नम्बर", "जन्म प्रमाण", "ஆதார்", "ஆதார் எண்", "ఆధార్", "ಆಧಾರ್",
    "জন্ম নিবন্ধন", "ජාතික හැඳුනුම්පත", "හැඳුනුම්පත් අංකය", "መታወቂያ", "የመታወቂያ ቁጥር",
    "регистрийн дугаар", "идентификационный номер", "личный номер", "номер удостоверения",
    # issue 18, pass 25: Khmer's, Burmese's and Lao's identity cards and passports, Afghanistan's tazkira (Pashto, Dari)
    "អត្តសញ្ញាណប័ណ្ណ", "លេខអត្តសញ្ញាណប័ណ្ណ", "លិខិតឆ្លងដែន", "မှတ်ပုံတင်", "မှတ်ပုံတင်အမှတ်", "နိုင်ငံကူးလက်မှတ်",
    "ບັດປະຈຳຕົວ", "ເລກບັດປະຈຳຕົວ", "ໜັງສືຜ່ານແດນ", "تذکره", "د تذکرې شمېره", "شماره تذکره", "نمبر تذکره",
)

#: The possessives after which an abbreviation counts in any case ("mi cc es", "my ssn is", "meu cpf"). (Not "my
#: ID": a bare id word needs a number with a valid check digit, pii_ids.checked_ids.)
POSSESSIVES = ("my", "your", "his", "her", "our", "their", "mi", "mis", "tu", "su", "nuestro", "mon", "ma", "mes",
               "ton", "son", "notre", "meu", "minha", "seu", "sua", "mein", "meine", "meiner", "dein", "ihre", "mijn",
               "min", "mitt", "mio", "mia", "il mio", "la mia", "moje", "mój", "moj", "benim")


def piece(char: str) -> str:
    """One character of a name as a regular expression: a space stands for a space, a dot, a hyphen or an opening
    bracket (once or twice: pass 27, Swedish "pass (nr …)"), an apostrophe for either apostrophe or none, a dot may be left out."""
    if char == " ":
        return r"[ .\-(]{1,2}"
    if char in "'’":
        return "['’]?"
    if char == ".":
        return r"\.?"
    return re.escape(char)


Trie = dict[str, "Trie"]


def alternation(names: tuple[str, ...]) -> str:
    """The names as one pattern, written as a trie ("id (?:card|n(?:o|umber))"): the regular expression engine
    then reads a name's letters once at each position instead of trying every name there, which keeps the cost
    of a thousand names near that of a hundred. At each branch a longer name is tried before its end."""
    trie: Trie = {}
    for name in names:
        node = trie
        for char in name:
            node = node.setdefault(char, {})
        node[""] = {}
    return branches(trie)


def branches(node: Trie) -> str:
    alternatives = [piece(char) + branches(child) for char, child in node.items() if char]
    if not alternatives:
        return ""
    if "" in node:
        return "(?:" + "|".join(alternatives) + ")?"
    return alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"


#: Issue 18, pass 23: the abbreviations of three letters or more that people also write with dots ("C.P.F.").
DOTTABLE = re.compile(r"[^\W\d_]{3,6}")


def dotted(name: str) -> str:
    """An abbreviation with a dot after each letter, a space allowed after a dot, the last dot optional."""
    return r"\.[ ]?".join(re.escape(char) for char in name) + r"\.?"


#: The three lists as patterns, boundaries as each needs, for pii_ids' name cue: apart, since the engine skips
#: the positions where a pattern cannot start (a capital, a Han character) only for a pattern on its own.
WORLD_ID_NAMES = (
    rf"(?<!\w)(?i:{alternation(tuple(name.lower() for name in WORDS))})(?!\w)",
    rf"(?<![\w.])(?:{alternation(ABBREVIATIONS)})(?!\w)",
    rf"(?<!\w)(?i:{alternation(POSSESSIVES)})[ \t]+(?i:{alternation(ABBREVIATIONS)})(?!\w)",
    alternation(GLUED),
    # issue 18, pass 23: an abbreviation written with a dot after each letter ("C.P.F.", "O.I.B.", "S.I.N.", "E.G.N.")
    rf"(?<![\w.])(?:{'|'.join(sorted({dotted(name) for name in ABBREVIATIONS if DOTTABLE.fullmatch(name)}, key=len, reverse=True))})(?!\w)",
)

#: Issue 18, eighteenth pass: a nationality before "ID" leaves it a person's ("South African ID 800101 5009 087",
#: "Kenyan ID", "Emirati ID"), as "my" and "national" do (pii_ids.PERSON_BEFORE_ID).
DEMONYMS = frozenset({
    "african", "american", "argentine", "argentinian", "australian", "austrian", "bangladeshi", "belgian",
    "bolivian", "brazilian", "british", "bulgarian", "cameroonian", "canadian", "chilean", "chinese", "colombian",
    "croatian", "czech", "danish", "dominican", "dutch", "ecuadorian", "egyptian", "emirati", "estonian",
    "ethiopian", "filipino", "finnish", "french", "german", "ghanaian", "greek", "guatemalan", "hungarian",
    "icelandic", "indian", "indonesian", "iranian", "iraqi", "irish", "israeli", "italian", "ivorian", "jamaican",
    "japanese", "jordanian", "kenyan", "korean", "kuwaiti", "latvian", "lebanese", "lithuanian", "malaysian",
    "mexican", "moroccan", "nepali", "nigerian", "norwegian", "omani", "pakistani", "panamanian", "paraguayan",
    "peruvian", "polish", "portuguese", "qatari", "romanian", "russian", "rwandan", "saudi", "senegalese",
    "serbian", "singaporean", "slovak", "slovenian", "spanish", "swedish", "swiss", "taiwanese", "tanzanian",
    "thai", "tunisian", "turkish", "ugandan", "ukrainian", "uruguayan", "venezuelan", "vietnamese", "zambian",
    "zimbabwean", "emirates", "state", "voter", "voters", "resident", "residence", "civil",
    # issue 18, nineteenth pass: a country's short name before "ID" ("SA ID", "HK ID")
    "sa", "rsa", "hk", "sg", "uk", "us", "nz", "qatar", "kenya", "nigeria", "ghana", "egypt", "uganda",
    "afghan", "sudanese", "somali", "malian", "togolese", "beninese", "cambodian", "burmese", "lao", "mongolian",
    "sri", "lankan", "nepalese", "kazakh", "uzbek", "georgian", "armenian", "azerbaijani", "belarusian",
    "moldovan", "albanian", "bosnian", "macedonian", "montenegrin", "kosovar", "cypriot", "maltese",
    "luxembourgish", "costa", "rican", "salvadoran", "honduran", "nicaraguan", "cuban", "haitian", "trinidadian",
})

