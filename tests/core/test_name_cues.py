"""Issue 18, eighth pass: the cue families of `feedbackloop.core.name_cues` and the other kinds it brought
(birth dates, spelled-out emails, phone words, IBANs after the word), each with texts that must be found
and texts that must be left. The texts are our own, written per family, not copied from the corpus."""

from __future__ import annotations

import pytest

from feedbackloop.core.redact import find_pii


def names(text: str) -> list[str]:
    return [text[s.start:s.end] for s in find_pii(text) if s.kind == "NAME"]


def found(text: str, kind: str) -> list[str]:
    return [text[s.start:s.end] for s in find_pii(text) if s.kind == kind]


@pytest.mark.parametrize(("text", "value"), [
    ("Wife Folake is travelling with him", "Folake"),
    ("para mi mamá, Rosa Elena Villanueva, pero llegó a mi casa", "Rosa Elena Villanueva"),
    ("Geburtsdatum meines Sohnes Maximilian ist falsch", "Maximilian"),
    ("ma fille Elise a oublié son ordinateur", "Elise"),
    ("zostawił paczkę u sąsiadki, pani Haliny Wójcik.", "Haliny Wójcik"),
    ("Mi pareja Montserrat Puigdemont i Vilaró y yo viajamos", "Montserrat Puigdemont i Vilaró"),
    ("Nota interna: cliente Ana Beatriz Fonseca ligou", "Ana Beatriz Fonseca"),
    ("intestato a Francesco Esposito, grazie", "Francesco Esposito"),
    ("My colleague Tamás Kovács will send the invoice", "Tamás Kovács"),
])
def test_relations_titles_and_roles_in_many_languages(text: str, value: str) -> None:
    assert value in names(text)


@pytest.mark.parametrize("text", [
    "Our financing partner Affirm will ask for it securely",
    "Customer Service will reply within a day",
    "the client Portal is down again",
    "Meine Tochter Hat das Paket nicht bekommen.",
])
def test_a_role_word_before_a_firm_or_a_page_finds_no_name(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(("text", "value"), [
    ("her name is Grace Mwangi.", "Grace Mwangi"),
    ("name on it is liam o'sullivan-reid", "liam o'sullivan-reid"),
    ("hi its aoife here, surname ní dhomhnaill, booked the trip", "ní dhomhnaill"),
    ("Name on the account: PATRICIA ANN McALLISTER. Mailing address follows", "PATRICIA ANN McALLISTER"),
    ("Dzień dobry, nazywam się Grzegorz Brzęczyszczykiewicz.", "Grzegorz Brzęczyszczykiewicz"),
    ("Hello, Szabó Katalin vagyok.", "Szabó Katalin"),
    ("Nom : Dubois\nPrénom : Camille", "Camille"),
    ("Vorname: Lukas\nNachname: Schröder", "Schröder"),
    ("Imię: Katarzyna\nNazwisko: Wróblewska", "Wróblewska"),
    ("Ad Soyad: Mehmet Öztürk\nSipariş: 5512", "Mehmet Öztürk"),
    ("姓名: 张伟\n电话: 1", "张伟"),
])
def test_names_after_name_statements_and_form_fields(text: str, value: str) -> None:
    assert value in names(text)


@pytest.mark.parametrize("text", [
    "the name is missing from the label",
    "File name: report.pdf is too large",
    "Name: Support Team",
])
def test_a_name_statement_without_a_name_finds_none(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(("text", "value"), [
    ("Hi lads, Siobhán Ní Bhriain here. Order sent", "Siobhán Ní Bhriain"),
    ("Hi, April from Accounts here (Brightline)", "April"),
    ("Grant from your team said it was possible", "Grant"),
    ("Hi, this is Sunita Raghunathan calling about my order", "Sunita Raghunathan"),
    ("Agent (Nicole): Thanks for waiting!", "Nicole"),
    ("Best,\nRachel (Support)\n", "Rachel"),
    ("Mila Ezkurdia Aranburu (customer) reports a broken screen", "Mila Ezkurdia Aranburu"),
    ("@Sofia can you take over #61022?", "Sofia"),
    ("per Hamid's email yesterday we can", "Hamid"),
    ("Hi its Jayden, can the driver leave it", "Jayden"),
    ("hi its maeve, the charger never came", "maeve"),
    ("Mark said it was shipped", "Mark"),
    ("Thanks!\n\n--\nAnanya Raghunathan\nSenior Buyer | Lotus Textiles", "Ananya Raghunathan"),
])
def test_cues_after_a_name(text: str, value: str) -> None:
    assert value in names(text)


@pytest.mark.parametrize("text", [
    "The Nest app keeps asking me to Grant access to Location",
    "see https://medium.com/@ann.lee/why-we-refund-fast",
    "checked on a Simpson's-paradox data set",
    "Apple Pay here is broken",
    "Customer Service here, how can we help?",
])
def test_cues_after_ordinary_words_find_no_name(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(("text", "value"), [
    ("Name Yamamoto Kenji, address in Osaka", "Yamamoto Kenji"),
    ("Hello, this is Park Ji-hoon. My Galaxy Buds arrived", "Park Ji-hoon"),
    ("Hello, I'm Ji-woo Park from the design team", "Ji-woo Park"),
    ("my colleague and I, Li Xiaoming, need cover", "Li Xiaoming"),
    ("Husband Trần Văn Long will sign for the parcel", "Trần Văn Long"),
    ("Please call Nguyễn Thị Lan about the refund", "Nguyễn Thị Lan"),
    ("Kim Min-jun called about order 5512", "Kim Min-jun"),
    ("my name is Park Ji-hoon (박지훈). I bought", "박지훈"),
])
def test_surname_first_and_native_script_names(text: str, value: str) -> None:
    assert value in names(text)


@pytest.mark.parametrize("text", [
    "Park Avenue is closed for the parade",
    "We fly to Ho Chi Minh City in May",
    "Song Title: Blue Monday",
])
def test_surname_shaped_places_stay(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(("text", "value"), [
    ("I don't have access anymore. Marco", "Marco"),
    ("Det er Vesterbrogade 112. Tak! Frederik", "Frederik"),
    ("she's my mum and doesn't use email. Ta, Eilidh", "Eilidh"),
    ("Escalated to Priya in Medical Assistance. – Ben", "Ben"),
    ("Mai wäre besser als April.\nLG Max", "Max"),
    ("Please call me back.\nThank you and God bless.\nSeun", "Seun"),
    ("STILL NOT PAID.\nGARY PEMBERTON\n58 ASHBY ROAD", "GARY PEMBERTON"),
])
def test_closings_and_names_on_their_own_line(text: str, value: str) -> None:
    assert value in names(text)


@pytest.mark.parametrize("text", [
    "He is in Cork, Ireland",
    "Order shipped from Unit 4, Brent Cross",
    "Paid twice, sorry. Thanks, bye.",
    "Yours faithfully",
    "Do I need to cancel? Cheers mate",
    "Geburtsdatum ist der 5. Juni 2011, nicht 6. Juni.",
])
def test_closings_without_a_name(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(("text", "values"), [
    ("Hi, this is Sunita Raghunathan calling. Again it's Sunita, S-U-N-I-T-A. Thanks",
     {"Sunita Raghunathan", "Sunita", "S-U-N-I-T-A"}),
    ("Konstantin Weißenböck\nWien\n\nMit freundlichen Grüßen\nK. Weißenböck", {"Konstantin Weißenböck", "K. Weißenböck"}),
    ("Je soussigné Jean-Baptiste N'Diaye, demande l'annulation.\nJ.-B. N'Diaye", {"Jean-Baptiste N'Diaye", "J.-B. N'Diaye"}),
    ("add me instead (Piotr Zieliński, piotr.z@example.com).\nThanks\nPiotr", {"Piotr Zieliński", "Piotr"}),
])
def test_a_found_name_grows_and_spreads_over_the_text(text: str, values: set[str]) -> None:
    assert set(names(text)) == values


@pytest.mark.parametrize("text", [
    "He's currently at Aga Khan Hospital, Nairobi.",
    "Admitted to Cleveland Clinic Abu Dhabi on 3 March",
    "I returned it via Royal Mail, tracking AB123456789GB",
    "Correct address is: 18 Ngo 56 Nguyen Chi Thanh, Dong Da",
    "Room 305, Sunny Heights Nakameguro",
    "Customer: JP-22871. also",
])
def test_places_firms_and_ids_are_no_names(text: str) -> None:
    assert all(n not in ("Aga Khan", "Cleveland Clinic Abu Dhabi", "Royal Mail", "Nguyen Chi Thanh", "Room", "JP")
               for n in names(text))


@pytest.mark.parametrize(("text", "dates"), [
    ("Ana, nascida em 5 de setembro de 1994, e estou", ["5 de setembro de 1994"]),
    ("Wpisuję datę urodzenia 17.11.1990 i nic", ["17.11.1990"]),
    ("annemin doğum tarihi 03.07.1954, sigortaya", ["03.07.1954"]),
    ("Patient: Dimitrios Papadopoulos-Weber, geb. 17.09.1972.", ["17.09.1972"]),
    ("my birthday? It is 1985年4月12日 (April 12, 1985).", ["1985年4月12日", "April 12, 1985"]),
    ("my date of birth to activate the SIM on order CA-772091: it's Nov 3, 1979.", ["Nov 3, 1979"]),
    ("data urodzenia 11 listopada 1950. Jest", ["11 listopada 1950"]),
])
def test_birth_dates_in_many_languages(text: str, dates: list[str]) -> None:
    assert found(text, "DOB") == dates


@pytest.mark.parametrize("text", [
    "birthday present ordered on 03/12/2099 did not arrive",
    "born to run: the 2099-05-01 tour shirt",
    "my birthday is in May; order 12.05.2025 arrived late",
])
def test_recent_or_future_dates_after_a_birth_word_stay(text: str) -> None:
    assert found(text, "DOB") == []


@pytest.mark.parametrize(("text", "kind", "value"), [
    ("Mi correo es fede.gimenez(arroba)hotmail(punto)com(punto)ar — pedido", "EMAIL",
     "fede.gimenez(arroba)hotmail(punto)com(punto)ar"),
    ("mon mail c'est youssef.benali (at) orange (point) fr. Merci", "EMAIL", "youssef.benali (at) orange (point) fr"),
    ("instead, hyunsoo.lee at brightpath dot io. Billing", "EMAIL", "hyunsoo.lee at brightpath dot io"),
    ("IBAN: DE18 5001 0517 5423 8190 6300\nKontoinhaberin", "IBAN", "DE18 5001 0517 5423 8190 6300"),
    ("andheri east, mumbai 400069. mob 9820012345", "PHONE", "9820012345"),
    ("My number is zero eight seven, two two one, four four five six — sorry", "PHONE",
     "zero eight seven, two two one, four four five six"),
])
def test_other_kinds_of_the_eighth_pass(text: str, kind: str, value: str) -> None:
    assert value in found(text, kind)


@pytest.mark.parametrize(("text", "kind"), [
    ("Numéro de contrat : FR-ASS-00783215", "PHONE"),
    ("Please deliver to P.O. Box 45678-00100, Nairobi", "PHONE"),
    ("meet me at noon, arroba is the @ sign", "EMAIL"),
    ("I have one or two questions and three or four ideas", "PHONE"),
])
def test_identifiers_and_words_that_are_no_contact_data(text: str, kind: str) -> None:
    assert found(text, kind) == []


@pytest.mark.parametrize(("text", "value"), [
    ("On Mon, Jan 8, 2024 at 3:15 PM Rahul Deshpande <rahul.d@example.com> wrote:\n> where is it", "Rahul Deshpande"),
    ("Am 03.05.2024 schrieb Jürgen Weiß:\n> Paket fehlt", "Jürgen Weiß"),
    ("Le 2 mai 2024, Aurélie Lefebvre a écrit :\n> bonjour", "Aurélie Lefebvre"),
    ("El lun, 8 ene 2024 a las 15:15, Lucía Paredes (<lucia@example.es>) escribió:", "Lucía Paredes"),
    ("Il giorno lun 8 gen 2024, Matteo Ricci ha scritto:", "Matteo Ricci"),
    ("Op ma 8 jan. 2024 om 15:15 schreef Sven de Boer <sven@example.nl>:", "Sven de Boer"),
    ("Dear Mr. van der Meer,", "Mr. van der Meer"),  # the title with the name (issue 18, sixteenth pass)
])
def test_quoted_headers_and_titles(text: str, value: str) -> None:
    assert value in names(text)


# --- issue 18, ninth pass: the families of holdout-9 and holdout-10's misses, and the ones they suggest --------
# (our own texts, written per family; the tuned parts are in the corpus)


def covered(text: str, value: str) -> bool:
    """Whether one NAME finding covers every letter of `value` (as the report counts a label)."""
    start = text.find(value)
    return any(s.kind == "NAME" and s.start <= start and s.end >= start + len(value) for s in find_pii(text))


@pytest.mark.parametrize(("text", "value"), [
    # lower case after a strong cue: "name on X is", "name's", ", name x y", an account's holder, a doorbell
    ("where's my parcel? name on the label is ngozi okonkwo", "ngozi okonkwo"),
    ("name on booking: chen jiahui", "chen jiahui"),
    ("ok so name's siobhan mcgrath-healy", "siobhan mcgrath-healy"),
    ("geb. 1990, email x, name anna-lena böhm. bitte", "anna-lena böhm"),
    ("a conta está em nome de ana paula ferreira", "ana paula ferreira"),
    ("auf dem klingelschild steht helga brandt-yilmaz", "helga brandt-yilmaz"),
    # introductions in lower case: an unlisted name before its department, surname-first, articles, particles
    ("hi, this is ikenna from billing", "ikenna"),
    ("i am pham thi lan and my order is missing", "pham thi lan"),
    ("moin, ich bin die sabine krause, meine Bestellung", "sabine krause"),
    ("buongiorno, sono giuseppe de luca, ho un problema", "giuseppe de luca"),
    # sign-offs in lower case, three listed words or a surname-first name
    ("still waiting. regards suresh babu naidu", "suresh babu naidu"),
    ("Best,\nliu yang", "liu yang"),
])
def test_lower_case_names_after_strong_cues(text: str, value: str) -> None:
    assert covered(text, value)


@pytest.mark.parametrize(("text", "value"), [
    # couriers, drivers and advisers of other languages, a bracket between
    ("Der Kurier Hans-Jürgen hat geklingelt", "Hans-Jürgen"),
    ("le livreur (Mamadou selon l'appli) est reparti", "Mamadou"),
    ("el repartidor Aitor dejó el paquete", "Aitor"),
    ("la famille Lefèvre habite au 2e", "Lefèvre"),
    # a department or a branch after a name, anywhere in a sentence
    ("the refund was approved by Grant in accounts", "Grant"),
    ("Wang from the Canary Wharf branch said no", "Wang"),
    # a strong cue before an ordinary-word first name
    ("the rider, who introduced herself as Joy, left", "Joy"),
    ("der Fahrer stellte sich als Grant vor", "Grant"),
    # a relation in brackets after a name
    ("Danke, Jonas (mein Mann)", "Jonas"),
    ("Merci, Hugo (mon fils) passera", "Hugo"),
    # a dash signature on the last line, "where is X"
    ("The app keeps crashing on 4.2.\n- Faith", "Faith"),
    ("where is yusuf?? the app says 5 min", "yusuf"),
    # an accented spelling of a listed name, a first name grown left, a hyphenated particle
    ("the lunch for Dónal was missing", "Dónal"),
    ("Saludos, Joaquín Ernesto Villalobos", "Joaquín Ernesto Villalobos"),
    ("Ik ben Femke van den Berg-van Dijk en", "Femke van den Berg-van Dijk"),
])
def test_cues_of_the_ninth_pass(text: str, value: str) -> None:
    assert covered(text, value)


@pytest.mark.parametrize(("text", "value"), [
    ("Passenger 1: Oluwaseun Adebayo-Cole\nPassenger 2: Temitope Adebayo-Cole", "Oluwaseun Adebayo-Cole"),
    ("Adult 2: Rui Carvalho\nChild: Beatriz Carvalho", "Beatriz Carvalho"),
    ("Empfänger: Lena Vogt\nStraße: Am Hang 3", "Lena Vogt"),
    ("Destinataire : Amélie Rousseau", "Amélie Rousseau"),
    ("Contact person: Bongani Dlamini", "Bongani Dlamini"),
    ("Surname: OKAFOR\nGiven names: CHIDI EMMANUEL", "CHIDI EMMANUEL"),
    ("Van: Daan Visser\nVerzonden: maandag", "Daan Visser"),
    ("Sipho Mahlangu: hi my order is late\nAgent: sorry about that", "Sipho Mahlangu"),
    ("[10:02] Priya: hello?\n[10:03] Tom: hi Priya\n[10:04] Priya: ok", "Tom"),
    ("Kofi: hello?\nAgent: hi\nKofi: my parcel", "Kofi"),
    ("SMITH/JOHN MR booked seat 14C", "SMITH/JOHN"),
    ("1. MR JOHN SMITH\n2. MRS JANE SMITH", "JOHN SMITH"),
    ("Booking for: WANG Li and ZHANG Wei", "ZHANG Wei"),
    ("PARK JI-HOON", "PARK JI-HOON"),
    ("YAMAMOTO KENJI\nTokyo", "YAMAMOTO KENJI"),
    ("Cliente: GONZÁLEZ PÉREZ, María José", "GONZÁLEZ PÉREZ, María José"),
    ("Can Aarav call me back?", "Aarav"),
])
def test_forms_transcripts_passenger_lists_and_passports(text: str, value: str) -> None:
    assert covered(text, value)


@pytest.mark.parametrize("text", [
    "Sayın Yetkili, Sayın Müşterimiz",
    "Sehr geehrte Damen und Herren,",
    "Grazie mille, a presto",
    "Merci beaucoup\nBonne journée",
    "We shipped to Hong Kong and Kuala Lumpur last week.",
    "Pakken ble sendt til Bergen i stedet.",
    "Order: 55120\nStatus: shipped\nTracking: 1Z999",
    "Subject: Refund\nDate: Monday\nPriority: High",
    "Error: Timeout\nWarning: Disk full",
    "Passenger 1: adult, Passenger 2: child",
    "BOOKING/REF ABC123",
    "Can Amazon deliver on Sunday? Will Monday work?",
    "where is my order?? where is paris",
    "Thanks so much!\n- Support Team",
    "The delivery guy said he'd come Thursday",
    "Dad's date of birth is wrong",
    "client IP was blocked; tenant A's URL changed",
    "the department store in billing city closed",
])
def test_the_ninth_pass_leaves_greetings_places_and_fields(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(("text", "kind", "value"), [
    ("Venlig hilsen\nMette\ntlf. 28 45 91 03", "PHONE", "28 45 91 03"),
    ("Tel: 9123 4567 (Singapore)", "PHONE", "9123 4567"),
    ("mi correo es juan punto perez arroba gmail punto com", "EMAIL", "juan punto perez arroba gmail punto com"),
])
def test_short_phones_and_spelled_local_parts(text: str, kind: str, value: str) -> None:
    assert value in found(text, kind)


@pytest.mark.parametrize(("text", "kind"), [
    ("phone 2024 was released", "PHONE"),
    ("Order 2024 8815 shipped, tel. support closed", "PHONE"),
])
def test_eight_digits_without_a_phone_word_stay(text: str, kind: str) -> None:
    assert found(text, kind) == []


@pytest.mark.parametrize(("text", "value"), [
    ("Tendai Moyo\nFlat 3, 12 High St\nLondon E1 6AN", "Tendai Moyo"),
    ("Gulnara Abenova\n14 Abay Avenue\nAlmaty 050000", "Gulnara Abenova"),
    ("Bat-Erdene Ganbold\nApt 5, Peace Avenue 17", "Bat-Erdene Ganbold"),
    ("Kiri Te Kanawa,\nHauptstraße 5, 10115 Berlin", "Kiri Te Kanawa"),
    ("please ask Mekdes Tadesse to call me", "Mekdes Tadesse"),
    ("can you tell Siriporn Chaiyaporn it arrived", "Siriporn Chaiyaporn"),
    ("Name: Nurul Huda binti Ahmad", "Nurul Huda binti Ahmad"),
])
def test_a_name_above_an_address_or_after_ask_and_tell(text: str, value: str) -> None:
    assert covered(text, value)


@pytest.mark.parametrize("text", [
    "Acme Trading Ltd\n12 Market St\nLeeds LS1 4AB",
    "Delivery Address\n12 High St",
    "Hotel Adlon\nUnter den Linden 77",
    "Please ask Customer Service to call",
    "let Apple Support know",
    "have Royal Mail collect it",
])
def test_a_firm_above_an_address_and_a_team_after_ask_stay(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(("text", "value"), [
    ("hi its tendai moyo, order 4410 is late", "tendai moyo"),
    ("hey im wanjiru kamau - the app crashed", "wanjiru kamau"),
    ("this is fatoumata diallo from accounts", "fatoumata diallo"),
    ("i'm marco rossi, my parcel never came", "marco rossi"),
    ("name: tendai moyo\nemail: x", "tendai moyo"),
    ("thanks for nothing\n- marco rossi", "marco rossi"),
    ("TENDAI MOYO\nFLAT 3, 12 HIGH ST\nLONDON E1 6AN", "TENDAI MOYO"),
    ("FROM: TENDAI MOYO\nSENT: MONDAY", "TENDAI MOYO"),
])
def test_full_names_in_lower_case_or_capitals(text: str, value: str) -> None:
    assert covered(text, value)


@pytest.mark.parametrize("text", [
    "i'm really sorry, but", "this is getting ridiculous, order 5", "i'm still waiting, order 4410",
    "this is a joke, where is it", "i'm moving house, new address", "hi its urgent, please",
    "the surname gazetteer built from lists", "name: same as above",
])
def test_lower_case_words_after_weak_cues_stay(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(("text", "value"), [
    ("The parcel was left with Tendai Moyo next door.", "Tendai Moyo"),
    ("Yesterday Gulnara Abenova rang about the refund.", "Gulnara Abenova"),
    ("Entregado a Arash Farahani en recepción.", "Arash Farahani"),
    ("Is Siriporn Chaiyaporn still handling my case?", "Siriporn Chaiyaporn"),
    ("Le colis a été remis à Şeyma Doğan hier.", "Şeyma Doğan"),
])
def test_names_of_cultures_the_faker_lists_lack(text: str, value: str) -> None:
    assert covered(text, value)


@pytest.mark.parametrize("text", [
    "Corso Umberto 12 is closed", "Avenue Louise 231, Brussels", "We are on Calle Alcalá now",
])
def test_a_street_named_for_a_person_is_no_name(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(("text", "value"), [
    ("this is ekaterina smirnova from accounts", "ekaterina smirnova"),
    ("i'm maria ivanova and my order is late", "maria ivanova"),
])
def test_a_lower_case_surname_known_by_its_ending(text: str, value: str) -> None:
    assert covered(text, value)


@pytest.mark.parametrize("text", [
    "ich habe die Bestellung Nr. 2024-88153 aufgegeben",
    "commande n° 2024 118 553 toujours pas livrée",
    "el pedido 2024-881530 no llegó",
    "sipariş no: 2024 881 530",
])
def test_order_numbers_of_other_languages_are_no_phones(text: str) -> None:
    assert found(text, "PHONE") == []


def test_capitals_after_a_role_possessive_are_no_name() -> None:
    assert names("the agent's API URL on the account's host") == []


# --- issue 18, sixteenth pass: first names typed in one case after an introduction or a relation ----------------

@pytest.mark.parametrize(("text", "value"), [
    ("hey its jess again lol. order #A-448120", "jess"),
    ("whatever. its tayla btw.", "tayla"),
    ("some guy named brett said id get a callback", "brett"),
    ("MY WIFE GLORIA HAS BEEN STORING MILK", "GLORIA"),
    ("I AM EILEEN. MY NUMBER", "EILEEN"),
])
def test_first_names_in_one_case_after_a_cue(text: str, value: str) -> None:
    assert value in names(text)


@pytest.mark.parametrize("text", ["its will power", "I am grant funded", "its mark time", "I AM HAPPY", "named june"])
def test_ordinary_words_after_those_cues_are_no_names(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(("text", "names"), [
    # Issue 18, eighteenth pass: a one-word speaker in any case, though no list has the name, when the label
    # opens two lines of a conversation with another side
    ("[10:02] marco: hola, mi pedido no llega\n[10:03] Agente: ¿me da el número?\n[10:04] marco: 4471-22",
     ["marco", "marco"]),
    ("14:02 Tomasz: dzień dobry\n14:03 Konsultant: witam\n14:05 Tomasz: zamówienie 5521", ["Tomasz", "Tomasz"]),
    ("wanjiru: niaje, mpesa haijaingia\nbot: tafadhali subiri\nwanjiru: bado", ["wanjiru", "wanjiru"]),
])
def test_repeated_speakers_are_names(text: str, names: list[str]) -> None:
    assert [text[s.start:s.end] for s in find_pii(text) if s.kind == "NAME"] == names


@pytest.mark.parametrize("text", [
    "Kunde: hallo\nAgent: hallo\nKunde: danke",  # roles
    "ERROR: disk full\nINFO: retrying\nERROR: disk full",  # log levels
    "Von: Support\nBetreff: Ihre Bestellung 4471\n\nVon: Support\nBetreff: Versand",  # a forwarded chain's headers
    "Name: Juan\nOrder: 5512\nStatus: late",  # a form's fields stand once each
    "Patient: appt tmrw?\nClinic: yes 10am\nPatient: ok",
    # issue 18, nineteenth pass: roles in compounds and with endings, and in more languages
    "Kundenberaterin: Guten Tag\nKundin: hallo\nKundenberaterin: Ihre Nummer?",
    "Servicemedewerker: goedemiddag\nKlant: hoi\nServicemedewerker: ik kijk",
    "Ejecutiva: buenas tardes\nCliente: hola\nEjecutiva: ¿su RUT?",
    "Mteja: habari\nWakala: karibu\nMteja: asante",
    "Ügyfélszolgálat: jó napot\nÜgyfél: szia\nÜgyfélszolgálat: miben segíthetek?",
])
def test_repeated_labels_that_name_no_one(text: str) -> None:
    found = [text[s.start:s.end] for s in find_pii(text) if s.kind == "NAME"]
    assert found in ([], ["Juan"]), found


@pytest.mark.parametrize(("text", "name"), [
    # Issue 18, eighteenth pass: introductions in Hindi, Urdu, Japanese and Korean, the name whole with its
    # vowel signs (Python's \w leaves Devanagari's combining marks out)
    ("नमस्ते, मेरा नाम राहुल शर्मा है और मेरा ऑर्डर 4471 नहीं आया", "राहुल शर्मा"),
    ("मैं प्रिया वर्मा बोल रही हूँ, रिफंड कब आएगा?", "प्रिया वर्मा"),
    ("नाम: सुनीता देवी\nफ़ोन: 98100 12345", "सुनीता देवी"),
    ("میرا نام عمران خان ہے، آرڈر 5521", "عمران خان"),
    ("田中太郎と申します。注文番号 1234 の件です", "田中太郎"),
    ("안녕하세요 김민수입니다. 주문 1234 문의드려요", "김민수"),
])
def test_introductions_in_more_scripts(text: str, name: str) -> None:
    assert name in names(text), find_pii(text)


def test_a_korean_greeting_from_a_service_desk_names_no_one() -> None:
    assert names("안녕하세요 고객센터입니다. 무엇을 도와드릴까요?") == []


@pytest.mark.parametrize(("text", "name"), [
    # The romanised Korean surnames were shadowed by the Hangul set of the same name, bound later in
    # name_cues: each rule that asked for "Park" or "Jung" asked the Hangul set, and only the tagger's
    # names and a cue word reached these (found reviewing the module, not by a corpus text)
    ("Ji-woo Park says hi", "Ji-woo Park"),
    ("ok so Jung Hae-in will pick it up", "Jung Hae-in"),
    ("Mr OH called twice about the refund", "Mr OH"),  # a title goes with the name
])
def test_romanised_korean_surnames_without_a_cue(text: str, name: str) -> None:
    assert name in names(text), find_pii(text)


# --- pass 24: English chat's lower-case titles, "Surname, Given" display names, the rest of a family -------------


@pytest.mark.parametrize(("text", "names"), [
    ("AGENT: thanks mr hennessy, refund issued", ["hennessy"]),
    ("mrs d'souza from 14b has the parcel", ["d'souza"]),
    ("Caller: yeah mr. mcgrath's the name", ["mcgrath"]),
    ("MR FITZGERALD CALLED ABOUT INVOICE 4471", ["FITZGERALD"]),
    ('From: "Nakamura, Kenji" <k.nakamura@example.co.jp>', ["Nakamura", "Kenji"]),
    ("my wife mary-kate placed the order", ["mary-kate"]),
    ("can u move me & my cousin hamza onto the same flight", ["hamza"]),
    ("my nephew jayden set it up", ["jayden"]),
])
def test_english_chat_names_in_lower_case_and_display_names(text: str, names: list[str]) -> None:
    assert [text[s.start:s.end] for s in find_pii(text) if s.kind == "NAME"] == names


@pytest.mark.parametrize("text", [
    "mr and mrs tickets are sold out",
    "ms office wont open after the update",
    "MS Teams crashes on launch",
    "pax HANSEN/ERIK MR rebooked onto SK1459",
    '"Acme, Inc" <billing@acme.example> sent invoice 2024-118',
    "my son said the app shows an error",
    "my wife will call you back",
    "mr. drs. H.A. ter Horst",
    "p99 under 25 ms everywhere",
])
def test_what_follows_a_title_or_a_relative_without_being_a_name(text: str) -> None:
    found = [text[s.start:s.end] for s in find_pii(text) if s.kind == "NAME"]
    assert not any(word in found for word in ("tickets", "office", "Teams", "rebooked", "Acme", "said", "will", "drs",
                                              "everywhere"))


@pytest.mark.parametrize(("text", "name"), [
    # Issue 18, pass 24: the texts are our own, one per shape (the corpus's development cases hold others)
    ("Sure, Huda Al Mansoori will sign for the delivery.", "Huda Al Mansoori"),  # an Arabic particle
    ("Yesterday Abu Faisal asked again about the quote.", "Abu Faisal"),  # a father named for his child
    ("I spoke to Umm Yousef this morning.", "Umm Yousef"),
    ("Please copy Sidorenko O.P. on the reply.", "Sidorenko O.P"),  # a surname, then the initials
    ("Ask B. Okonkwo-Daniels about the pallet.", "B. Okonkwo-Daniels"),  # an initial is no article "a"
    ("Zurab Gelashvili called about the router.", "Zurab Gelashvili"),  # Georgian and Armenian endings
    ("Lomidze will bring the signed copy.", "Lomidze"),
    ("the courier, Hasmik Sargsian, left a note", "Hasmik Sargsian"),
    ("היי יעל, ההחזר אושר.", "יעל"),  # a listed name after a greeting in its script
    ("مساء الخير فاطمة، تم إلغاء الطلب.", "فاطمة"),
    ("Καλησπέρα Νίκο, το δέμα έφτασε.", "Νίκο"),
    ("Привіт, Богдане! Рахунок оплачено.", "Богдане"),
    ("ΠΑΡΑΛΗΠΤΗΣ: ΣΟΦΙΑ ΜΑΥΡΙΔΟΥ", "ΣΟΦΙΑ ΜΑΥΡΙΔΟΥ"),
    ("اتصلت أم سالم بخصوص الطلب رقم 2231", "أم سالم"),  # "mother of" before a listed name, in Arabic letters
])
def test_names_of_the_caucasus_the_levant_and_eastern_europe(text: str, name: str) -> None:
    assert any(name in found for found in names(text)), find_pii(text)


@pytest.mark.parametrize("text", [
    "שלום אמזון, החבילה לא הגיעה.",  # a firm greeted
    "مرحبا دبي!",  # a city greeted
    "Добрий день, Київстар, у мене немає зв'язку.",
    "Our Armenian and Ukrainian customers see the new plan.",  # a people's name
    "The Abu Dhabi office is closed on Friday.",
    "Please ask Plan B. the rest is fine",
    "هل تريد الدفع نقدا أم بالبطاقة؟",  # "أم" is also "or"
    "فرع أم القيوين مغلق اليوم",  # a city named "Umm …"
])
def test_greeted_firms_places_and_peoples_are_no_names(text: str) -> None:
    assert names(text) == [], find_pii(text)


@pytest.mark.parametrize(("text", "value"), [
    ("Pavardė: Jonaitis\nVardas: Rūta\nUžsakymas 5512", "Jonaitis"),
    ("Nom : BLANC\nPrénom : Inès", "BLANC"),
    ("Prénom : Théo", "Théo"),
    ("Apellidos y nombre: Rosa, Julián", "Rosa, Julián"),
    ("Sukunimi: Mäkinen\nEtunimi: Aino", "Mäkinen"),
    ("temsilci: teşekkürler, kart hakan arslan adına kayıtlı", "hakan arslan"),
    ("tamam zeynep hanım, iade başlatıldı", "zeynep"),
    ("Agent Rosa: Buenas tardes, ¿me confirma el pedido?", "Rosa"),
    ("Hola, le atiende Marta, ¿en qué puedo ayudarle?", "Marta"),
    ("oi, aqui é o joão, o pedido 5512 não chegou", "joão"),
    ("mình là lê thị thu, đơn 7781 chưa tới", "lê thị thu"),
])
def test_the_fields_honorifics_and_introductions_of_pass_26(text: str, value: str) -> None:
    assert value in names(text)


@pytest.mark.parametrize("text", [
    "Nom : voir ci-dessus\nCommande 5512",
    "şirket adına fatura kesildi",
    "yeni bey takımı aldım",
    "Hola, le atiende la Central de Reservas.",
    "sou o titular da conta, pedido 7781",
    "Tôi là phụ huynh của học sinh lớp 5A3.",
    "Cumprimentos,\nDepartamento Comercial",
    "O pedido chega na sexta em Belo Horizonte.",
])
def test_pass_26_cues_without_a_name(text: str) -> None:
    assert names(text) == []
