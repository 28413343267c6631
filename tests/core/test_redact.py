"""PII redaction, measured on the labelled corpus in fixtures/pii_corpus.jsonl."""

from __future__ import annotations

import functools
import json
import re

import pytest

from conftest import FIXTURES
from corpus_findings import live_findings
from feedbackloop.core.redact import KINDS, Identity, find_pii, iban_valid, luhn_valid, placeholder, redact
from feedbackloop.learn.pii_report import Case, Score, format_table, load_corpus, main, score_corpus

CORPUS = FIXTURES / "pii_corpus.jsonl"
#: Floors below which a change to the detectors is a regression (measured values are in docs/ml-engineers.md).
FLOORS = {"precision": 0.9, "recall": 0.95}
#: Held-out parts, held to the issue's targets, not to the development floors. "holdout-2" was written
#: before the issue-18 detectors (SSN, date of birth, other languages); "holdout-3" to "holdout-6" were
#: each written before a pass, measured once blind, and then tuned on (their blind figures are in
#: docs/exports.md: names 8/12, 10/14, 5/14, 8/9; addresses 4/5, 6/7, 1/5, 8/8), so they hold today
#: only as regression checks. The sixth pass (a first-name and surname gazetteer from Faker's lists,
#: pyap2's US/UK/Canadian addresses) was tuned on the development part and holdouts 2 to 6;
#: "holdout-7" was written and committed before it and measured once, after it, blind: names 25 of
#: 29 and addresses 12 of 14, both below target. The seventh pass (pii_rules: introductions in any
#: case and language, sign-offs, closing dashes, Mc/Mac and particles, initials, addresses grown over
#: units, parks, towns and postcodes) was tuned on holdout-7 as well, so it holds only as a regression
#: check now. "holdout-8" (60 cases) was written by another author, who had not seen the redactor,
#: before the seventh pass, and measured once after it was committed, blind: names 82 of 112, addresses
#: 16 of 36, emails 10 of 12 and 4 of 121 must-keep spans redacted miss the targets (docs/exports.md).
#: "stranger-a" and "stranger-b" (70 and 71 cases) were written by two more authors who had not seen the
#: redactor and measured once blind on the seventh pass (names 95 of 127 and 89 of 113; addresses 8 of 48
#: and 10 of 42; must-keep spans touched 6 of 176 and 10 of 152; emails 9 of 10, IBANs 2 of 3, phones 19
#: of 20 and 14 of 15). The eighth pass (name_cues: cue families in many languages, surname-first names,
#: closings, found names grown and spread; pii_address: address evidence joined into blocks; birth
#: dates, spelled-out emails, phone words of other languages) was tuned on them, and on holdout-8's
#: misses, so all three hold only as regression checks now. The eighth pass is measured blind on parts
#: written with them and kept out of the repository until it was committed: "holdout-9" (71 cases) and
#: "holdout-10" (72), by two more authors who had not seen the redactor, appended after the pass was
#: committed (df80885) and measured once, blind. Before it (pass 7, also blind) they scored names 86 of
#: 117 and 78 of 103, addresses 15 of 56 and 8 of 52; after it (blind) names 108 of 117 and 87 of 103,
#: addresses 50 of 56 and 45 of 52, emails 10 of 11 and phones 17 of 18 on holdout-9. The ninth pass is
#: NOT BLIND on them: its address families (pii_address: dotted street types, sentence ends after a
#: number, region codes, floor sides, entrances, towers, two units and a country, ...) and its name,
#: email and phone families (lower-case names after strong cues, surname-first names in lower case,
#: couriers and drivers of other languages, departments after a name, relations in brackets, dash
#: signatures, first names grown left, eight-digit phones after a phone word, dots spelled inside an
#: email's local part) were tuned on their misses, so they hold only as regression checks. The ninth
#: pass is measured blind on "holdout-11" (70 cases) and "holdout-12" (66), by two more authors who had
#: not seen the redactor, written after the eighth pass was committed and kept out of the repository
#: until the ninth was committed (13c8ab0); measured once on the eighth (names 116 of 129 and 154 of
#: 189, addresses 51 of 60 and 46 of 52) and once on the ninth, blind: names 118 of 129 and 164 of 189,
#: must-keep spans touched 4 of 114 and 1 of 187. The tenth pass is NOT BLIND: tuned on holdout-11 and
#: holdout-12 (passenger records listed together, "SURNAME, Given" in capitals, names listed after a name,
#: children and spouses as relations; firms with "&", shops after "the"/"bij de", "Reason for contact:"),
#: so both hold only as regression checks now.
#: "holdout-13" (72 cases, a telecom's tickets) and "holdout-14" (72, a university admissions office), by
#: two more authors who had not seen the redactor, weighted to names, were written after the ninth pass
#: was committed and kept out of the repository until the tenth was (fa1477b): measured once on the ninth
#: (names 162 of 189 and 181 of 210, addresses 60 of 63 and 48 of 50) and once on the tenth, blind: the
#: xfails below. The tenth pass (names and must-keep guards) was tuned on holdout-11 and holdout-12, so
#: those two are regression checks now.
#: The eleventh pass (core/name_model.py, a trained tagger added to the rules) is NOT BLIND on any part
#: above for names: its model is trained on every part of the corpus (scripts/train_name_model.py).
#: Trained without holdout-13 and holdout-14 it found 174 of 189 and 195 of 210 names in them (92.1 %,
#: 92.9 %; `--leave-out holdout-13,holdout-14 --score`), before it was measured blind on new parts.
#: "holdout-15" to "holdout-18" (72, 71, 71, 70 cases, four more authors who had not seen the redactor,
#: weighted to names, many languages and scripts) were written after the tenth pass and kept out of the
#: repository until the eleventh was committed (48e69dc), then measured once, blind: names 258 of 282,
#: 272 of 303, 227 of 269 and 163 of 216 (91.5 %, 89.8 %, 84.4 %, 75.5 %; the rules alone 84.4 %, 82.5 %,
#: 71.7 %, 66.2 %), addresses 22/28, 17/17, 21/25, 26/33; the other figures are the xfails below
#: ("blind on pass 11"; cards 1 of 1, 0 of 5, 1 of 3, 0 of 1, all eight missed Luhn-invalid: the twelfth
#: pass takes a card-shaped number after a word for a card). The tagger was then retrained with them (scripts/train_name_model.py): for
#: names they are NOT BLIND now.
#: The twelfth pass (core/pii_ids.py: national identity numbers as "SSN", 3 of 30 -> 30 of 30 here) was
#: written looking at these four parts: for SSN they are NOT BLIND either. Its address families (pii_address:
#: Welsh, Irish, Greek, Vietnamese, Hungarian, Ukrainian and Afrikaans street and floor words, Brazilian " – "
#: parts, towers) were tuned on their address misses: 28/28, 17/17, 25/25, 33/33 since, NOT BLIND.
#: "holdout-19" to "holdout-22" (70, 72, 70, 72 cases, four more authors, many languages and scripts) were
#: written after the eleventh pass and kept out of the repository until the twelfth was committed
#: (5f34cc6), then measured once, blind: names 210 of 236, 220 of 266, 363 of 413, 221 of 242 (89.0 %,
#: 82.7 %, 87.9 %, 91.3 %; the rules alone 75.0, 65.4, 79.4, 80.6 %), every card, email, IBAN and IP,
#: must-keep spans touched 25 of 290, 10 of 253, 11 of 278, 13 of 257; the xfails below say the rest
#: ("blind on pass 12"). The tagger was then retrained with them: for names they are NOT BLIND now. The
#: thirteenth pass (phones with a one-digit trunk prefix or seven digits after a phone word, no date inside
#: a number whose day or month is over 31, a year and a serial number no phone; id names the shape took
#: for letters of the number; firms' nouns, cars, pets and month abbreviations no name) was tuned on their
#: misses: NOT BLIND for those kinds either.
#: "holdout-23" to "holdout-26" (72, 72, 75, 72 cases, four more authors) were written after the twelfth
#: pass and kept out of the repository until the thirteenth was committed (6c682a5), then measured once,
#: blind: names 234 of 256, 191 of 214, 249 of 278, 210 of 237 (91.4 %, 89.3 %, 89.6 %, 88.6 %; the rules
#: alone 74.7-82.4 %), addresses 29/30, 29/30, 36/39, 14/15 (all at least 90 %), phones 50/51, 32/32,
#: 50/50, 32/32, every email, IBAN and IP, DOB 24 of 26, cards 1/1, 6/7, 1/1, 2/3, SSNs 5/5, 11/19, 4/7,
#: 5/5, must-keep touched 16/208, 18/218, 8/258, 6/215; the xfails below say what still fails ("blind on
#: pass 13"). Then the tagger was retrained with them, and US SSNs written in groups in a text about an SSN,
#: Canadian SINs (Luhn), CHI, Medicare and IRD numbers, and 4-4-4-4 cards in a text that speaks of a card
#: were added: NOT BLIND for those now.
#: "holdout-27" to "holdout-30" (71, 70, 70, 77 cases, four more authors) were written after the thirteenth
#: pass and kept out of the repository until the fourteenth was committed (92f6571), then measured once,
#: blind: names 226 of 239, 223 of 248, 219 of 239, 226 of 257 (94.6 %, 89.9 %, 91.6 %, 87.9 %; 894 of 983,
#: 90.9 %, together; the rules alone 76.3-85.8 %), addresses 18/19, 20/21, 31/32, 22/25, phones 33/33, 35/37,
#: 50/51, 57/66, every card, email, IBAN and IP, DOB 20 of 21, SSNs and national ids 3/3, 8/12, 4/4, 13/22,
#: must-keep spans touched 16/296, 9/250, 13/233, 14/237: the xfails below ("blind on pass 14"). The tagger
#: was then retrained with them (NOT BLIND for names now).
#: "holdout-31" to "holdout-34" (72, 76, 74, 72 cases, four more authors: South and South-East Asia, Spain,
#: Portugal, Italy and Latin America, North America and Oceania, Northern and Central Europe) were written
#: after the fifteenth pass (3ee17a7, the fourteenth and its tuning on holdout-27 to -30) and kept out of
#: the repository until then, then measured once, blind: names 66 of 75, 79 of 80, 72 of 86, 87 of 100
#: (88.0, 98.8, 83.7, 87.0 %; 304 of 341, 89.1 %, together), addresses 13/18, 16/18, 16/17, 20/20, phones
#: 31/37, 26/26, 28/28, 24/24 (but 37 phone false alarms, most of them firms' hotlines and ids), SSNs and
#: national ids 10/25, 36/40, 12/20, 21/29, DOB 8/9, 7/11, 10/13, 13/13, must-keep spans touched 6/173,
#: 15/165, 20/154, 10/157: the xfails below ("blind on pass 15"). The sixteenth pass (pii_address: South
#: Asian flats, blocks and districts, Devanagari, Argentine "dto.", Colombian "N # N-N", a postcode shared
#: with the next address's segment, products named after streets, a firm's warehouse or store) was tuned on
#: their address misses and false alarms: addresses 18/18, 18/18, 17/17, 20/20 then, NOT BLIND for addresses now.
#: The rest of the sixteenth pass (national ids of South and South-East Asia, Mexico, Oceania and Central Europe,
#: firms' lines and numbers no phones, titles with names, names in one case after a cue, dates of birth, UPI ids,
#: role addresses no emails) was tuned on them too: NOT BLIND for any kind now.
#: "holdout-35" to "holdout-38" (72, 72, 74, 78 cases, four more authors: Africa, the UK, Ireland and Eastern
#: Europe, East Asia and the Middle East, support tooling output) were written after the fifteenth pass and kept
#: out of the repository until the sixteenth was committed (ed45135), then measured once, blind: names 82 of
#: 87, 102 of 109, 54 of 89, 120 of 124 (94.3, 93.6, 60.7, 96.8 %; 358 of 409, 87.5 %, together: the Japanese,
#: Chinese, Korean, Hebrew and Arabic names of holdout-37 are most of the misses), addresses 9/13, 17/28, 14/20,
#: 19/20, phones 35/42, 40/40, 30/30, 33/36, national ids 13/27, 20/27, 14/31, 14/18, DOB 6/7, 13/14, 11/17,
#: 14/14, must-keep spans touched 7/176, 12/201, 6/136, 19/251: the xfails below ("blind on pass 16"). The
#: seventeenth pass (ids of Africa, the Middle East and East Asia, names in Han, Hangul, Arabic and Hebrew script,
#: compact national mobiles, answers to a request on the next chat line, the addresses of those parts) was tuned
#: on them: NOT BLIND now.
#: "holdout-39" to "holdout-42" (78, 78, 75, 72 cases, four more authors: the French-speaking world, US and
#: Canadian health, banking and utilities in English and Spanish, South-East Asia and Oceania, German-, Dutch-,
#: Nordic-, Turkish- and Greek-speaking Europe) were written after the sixteenth pass and kept out of the
#: repository until the seventeenth was committed (f6b0512), then measured once, blind: names 69 of 72, 67 of 72,
#: 83 of 96, 86 of 88 (95.8, 93.1, 86.5, 97.7 %; 305 of 328, 93.0 %, together), addresses 19/21, 17/17, 16/21,
#: 24/26, phones 33/33, 21/23, 44/45, 25/27, national ids 11/15, 12/16, 15/23, 13/13, DOB 15/16, 17/18, 14/19,
#: 6/8, must-keep spans touched 7/139, 10/177, 11/206, 9/176: the xfails below ("blind on pass 17").
#: "holdout-43" to "holdout-46" (73, 72, 73, 76 cases, four more authors: North America, the UK and Ireland;
#: Western and Southern Europe in its own languages; Latin America and Africa; Asia-Pacific, the Middle East and
#: Eastern Europe) were written at the start of the eighteenth pass, kept out of the repository until it was
#: committed (57990d0), then measured once, blind: names 142 of 160, 114 of 131, 140 of 165, 75 of 109 (88.8,
#: 87.0, 84.8, 68.8 %; 471 of 565, 83.4 %, together), addresses 18/19, 22/23, 16/23, 19/21, phones 27/30, 39/40,
#: 45/51, 43/46, national ids 25/30, 27/33, 43/47, 26/31 (121 of 141, 85.8 %), DOB 20/22, 13/15, 16/17, 14/15,
#: must-keep spans touched 8/257, 13/258, 8/234, 4/231 (33 of 980, 3.4 %): the xfails below ("blind on pass 18").
#: The same parts on the tree before the pass (26e52b9), measured the same way: names 466 of 565, national ids
#: 109 of 141, DOB 57 of 69, must-keep 52 of 980 (5.3 %).
#: "holdout-47" to "holdout-50" (73, 74, 73, 70 cases, four more authors: Africa and Latin America; Asia, the
#: Middle East and Eastern Europe in their own scripts; Northern, Central and South-Eastern Europe and Turkey; the
#: English-speaking world) were written at the start of the nineteenth pass, kept out of the repository until it was
#: committed (6953a60), then measured once, blind: names 127 of 133, 105 of 129, 94 of 109, 133 of 156 (95.5, 81.4,
#: 86.2, 85.3 %; 459 of 527, 87.1 %, together), addresses 31/37, 20/26, 35/40, 38/43 (124 of 146, 84.9 %), phones
#: 54/54, 45/49, 36/41, 50/53 (185 of 197, 93.9 %), national ids 45/49, 40/48, 27/36, 48/55 (160 of 188, 85.1 %),
#: DOB 12/12, 14/21, 19/19, 19/19, must-keep spans touched 18/319, 19/292, 12/255, 9/307 (58 of 1,173, 4.9 %):
#: the xfails below ("blind on pass 19"). The same parts on the tree before the pass (d512e2b): names 434 of 527,
#: addresses 117 of 146, phones 183 of 197, national ids 147 of 188, DOB 63 of 71, must-keep 61 of 1,173 (5.2 %).
#: The tagger was then retrained with them: holdout-49's names meet the target since (not blind).
#: "holdout-51" to "holdout-54" (74, 73, 72, 72 cases, four more authors: East and South-East Asian text, half in its
#: own scripts; Northern and Central European, weighted to national ids; South Asian, Middle Eastern and African;
#: American, Southern European and Oceanian, in messy styles) were written at the start of the twentieth pass, kept out
#: of the repository until it was committed (2d7a67f), then measured once, blind: names 56 of 73, 97 of 105, 66 of 73,
#: 76 of 78 (76.7, 92.4, 90.4, 97.4 %; 295 of 329, 89.7 %, together), addresses 23/25, 26/30, 18/22, 19/20 (86 of
#: 97, 88.7 %), phones 30/33, 45/49, 31/31, 28/28 (134 of 141, 95.0 %), national ids 27/30, 42/49, 24/25, 27/30
#: (120 of 134, 89.6 %), DOB 12/13, 9/9, 7/8, 9/10, IBANs 6/6, 14/15, 7/7, 6/6, must-keep spans touched 4/193,
#: 4/174, 6/216, 4/160 (18 of 743, 2.4 %): the xfails below ("blind on pass 20"). The same parts on the tree before
#: the pass (3020faa): names 293 of 329, addresses 85 of 97, phones 131 of 141, national ids 118 of 134, DOB 34 of
#: 40, must-keep 20 of 743 (2.7 %). The tagger was then retrained with them (holdout-51's names: 61 of 73, not blind).
#: "holdout-55" to "holdout-58" (70, 71, 72, 71 cases, four more authors: East and South-East Asian, half in its own
#: scripts, names often without a cue; South Asian, Middle Eastern and African, weighted to addresses; Northern,
#: Central and Eastern European, weighted to national ids and IBANs; English-speaking, Latin American and Southern
#: European in messy styles: transcripts, chat, forms, wrapped numbers) were written at the start of the
#: twenty-first pass, kept out of the repository until it was merged, then measured once, blind: names 51/58,
#: 56/61, 42/43, 45/56 (194 of 218, 89.0 %), addresses 19/21, 28/40, 19/21, 13/14 (79 of 96, 82.3 %), phones 32/34,
#: 50/51, 22/22, 26/30 (130 of 137, 94.9 %), national ids 23/23, 33/35, 27/30, 24/26 (107 of 114, 93.9 %), DOB 45
#: of 46, cards 20 of 21, IBANs 40 of 40, emails 38 of 38, IPs 12 of 12, must-keep spans touched 1/121, 4/169,
#: 0/96, 1/144 (6 of 530, 1.1 %): the xfails below ("blind on pass 21"). The same parts on the tree before the pass
#: (36712ca): names 191 of 218, addresses 76 of 96, phones 125 of 137, national ids 104 of 114, cards 19 of 21, DOB
#: 44 of 46, must-keep 6 of 530. The tagger was then retrained with them.
#: "holdout-59" to "holdout-62" (75, 72, 71, 71 cases, four more authors: South Asian, Middle Eastern and African,
#: weighted to addresses as people there give them; English-speaking in messy channels: SMS-style chat, nicknames,
#: transcripts with numbers read aloud; Central, Eastern and South-Eastern European, weighted to national ids as
#: written, labelled, glued or bare; Latin American, Iberian, Italian and French, with WhatsApp-style messages)
#: were written at the start of the twenty-second pass, kept out of the repository until it was merged, then
#: measured once, blind: names 58/63, 113/124, 50/56, 96/101 (317 of 344, 92.2 %), addresses 37/48, 21/24, 18/21,
#: 18/19 (94 of 112, 83.9 %), phones 44/45, 33/37, 29/31, 37/38 (143 of 151, 94.7 %), national ids 18/19, 12/14,
#: 37/42, 27/30 (94 of 105, 89.5 %), DOB 38 of 43, cards 31 of 31, IBANs 33 of 33, emails 55 of 56, IPs 14 of 14,
#: must-keep spans touched 3/160, 7/175, 5/134, 5/186 (20 of 655, 3.1 %): the xfails below ("blind on pass 22").
#: The same parts on the tree before the pass (2d0eef3): names 315 of 344, addresses 84 of 112, phones 136 of 151,
#: national ids 93 of 105, DOB 37 of 43, emails 55 of 56, must-keep 20 of 655. The tagger was then retrained with
#: them (holdout-61's names: 55 of 56, not blind).
#: "holdout-63" to "holdout-66" (72, 76, 76, 75 cases, four more authors: East and South-East Asian, weighted to
#: phones and addresses; Nordic, Benelux and German-speaking, weighted to national ids, IBANs and addresses;
#: English-speaking in messy channels: SMS, all caps, transcripts with numbers read out, pasted forms; Turkish,
#: Greek, Israeli, Arabic-speaking, Russian, Ukrainian and Caucasian, weighted to national ids and phones) were
#: written at the start of the twenty-third pass, kept out of the repository until it was merged, then measured
#: once, blind: names 47/51, 59/63, 52/57, 47/55 (205 of 226, 90.7 %), addresses 27/31, 26/29, 21/22, 14/17 (88 of
#: 99, 88.9 %), phones 50/53, 25/25, 30/30, 41/44 (146 of 152, 96.1 %), national ids 23/24, 28/29, 18/19, 28/31 (97
#: of 103, 94.2 %), DOB 36 of 37, cards 24 of 25, IBANs 27 of 27, emails 41 of 42, IPs 11 of 11, must-keep spans
#: touched 7/113, 3/89, 0/80, 0/104 (10 of 386, 2.6 %): the xfails below ("blind on pass 23"). The same parts on the
#: tree before the pass (93ee3d7): names 205 of 226, addresses 88 of 99, phones 143 of 152, national ids 93 of 103,
#: DOB 35 of 37, cards 24 of 25, emails 41 of 42, must-keep 9 of 386. The tagger was then retrained with them.
#: "holdout-67" to "holdout-70" (75, 77, 74, 74 cases, four more authors: Latin American, Spanish and Portuguese,
#: weighted to national ids and addresses; English-speaking in messy channels: transcripts with numbers read out,
#: SMS, all caps, spelled-out emails, badly pasted forms; African, Middle Eastern and South Asian, weighted to
#: addresses as given there and to phones; French, Italian, German-speaking, Central European, Baltic and Nordic,
#: weighted to national ids, IBANs and addresses) were written at the start of the twenty-fourth pass, kept out of
#: the repository until it was merged, then measured once, blind: names 56/62, 59/68, 56/57, 71/75 (242 of 262,
#: 92.4 %), addresses 17/20, 18/19, 26/31, 28/29 (89 of 99, 89.9 %), phones 27/28, 27/28, 40/41, 26/26 (120 of
#: 123, 97.6 %), national ids 41/44, 16/17, 22/25, 37/39 (116 of 125, 92.8 %), DOB 40 of 44, cards 31 of 31, IBANs
#: 34 of 34, emails 53 of 54, IPs 14 of 14, must-keep spans touched 2/126, 0/102, 1/122, 0/100 (3 of 450, 0.7 %):
#: the xfails below ("blind on pass 24"). The same parts on the tree before the pass (41fb1b9): names 239 of 262,
#: addresses 87 of 99, phones 120 of 123, national ids 116 of 125, DOB 40 of 44, IBANs 33 of 34, emails 53 of 54,
#: must-keep 3 of 450. The tagger was then retrained with them (holdout-68's names meet 90 % since, not blind), and
#: after the measurement four classes their ids showed were taken on (holdout-67's and -70's ids meet 97 % since, not
#: blind: an owner named between the id's name and the number, a mistyped check letter, an id read out), and
#: holdout-68's one email (a number said apart at the end of its local part) is found since, not blind.
#: holdout-71 to -74 (four more authors who had never seen the redactor: English-speaking text from nine countries,
#: weighted to addresses, national ids and oddly written emails; Latin American, Spanish and Portuguese text, weighted to
#: national ids, local address styles and account numbers; German-speaking, Benelux, Central European, Baltic and
#: Nordic text, weighted to national ids, addresses and IBANs; African, Middle Eastern, South and South-East Asian text,
#: weighted to addresses, ids and phones; their brief labelled a bank account number in its country's own form as an
#: IBAN) were written at the start of the twenty-fifth pass, kept out of the repository until it was merged, then
#: measured once, blind: names 58/64, 50/55, 55/59, 49/54 (212 of 232, 91.4 %), addresses 25/29, 20/26, 36/36, 29/30
#: (110 of 121, 90.9 %), phones 18/18, 27/28, 26/27, 44/44 (115 of 117, 98.3 %), national ids 31/32, 33/38, 33/36, 29/31
#: (126 of 137, 92.0 %), DOB 24 of 27, cards 15 of 15, IBANs and other bank accounts 3/3, 6/7, 18/18, 6/7 (33 of 35),
#: emails 13/14, 8/8, 7/7, 5/5 (33 of 34), IPs 8 of 8, must-keep spans touched 3/133, 5/161, 8/138, 6/184 (22 of 616,
#: 3.6 %): the xfails below ("blind on pass 25"; holdout-73's must-keep is within 3 % since, 4 of 138, not blind). The same parts on the tree before the pass (fcf6f94): names 212,
#: addresses 109, phones 115, national ids 126, DOB 24, IBANs 27, emails 32, must-keep 22 touched. Pass 26 (ids, after
#: the measurement, not blind): ids read out as millions, with their dots and dashes said, after more names, meet the
#: target on holdout-62, -72 and -74.
#: holdout-75 to -78 (four more authors who had never seen the redactor: Latin American, Spanish and Portuguese text
#: weighted to national ids, local address styles and account numbers; Central and Eastern European, Turkish and Greek
#: text; Asian, African and Middle Eastern English; Western and Northern European and English-speaking text weighted to
#: must-keep look-alikes) were written at the start of the twenty-sixth pass, kept out of the repository until it was
#: merged, then measured once, blind: names 50/50, 80/82, 61/63, 69/70 (260 of 265, 98.1 %), addresses 17/20, 21/23,
#: 17/18, 19/19 (74 of 80, 92.5 %), phones 27/27, 37/37, 30/31, 25/25 (119 of 120, 99.2 %), national ids 33/36, 35/37,
#: 27/28, 25/28 (120 of 129, 93.0 %), DOB 36 of 36, cards 31 of 31, IBANs and other bank accounts 16/18, 19/21, 13/15,
#: 16/16 (64 of 70), emails 10/11, 15/15, 10/10, 12/12 (47 of 48), IPs 22 of 22, must-keep spans touched 1/176, 6/173,
#: 1/155, 7/327 (15 of 831, 1.8 %): the xfails below ("blind on pass 26"). The same parts on the tree before the pass
#: (bcb407b): names 257, addresses 74, phones 119, national ids 121, IBANs 62, emails 47, must-keep 18 touched. After
#: the measurement (not blind): bank accounts after a label's own words up to its colon, with the bank's short name
#: between, "N°" in capitals, Chile's CuentaRUT, a Polish account grouped in fours from its first digit (holdout-75's
#: and -76's accounts are all found since), Korea's "resident (registration) number" and Croatia's "putovnice" (holdout-
#: 76's ids meet 97 % since).
#: holdout-79 to -82 (four more authors: English-speaking countries' chats, forms and call notes weighted to their ids
#: and bank details; Western and Northern Europe in its own languages; Africa, the Middle East, South and South-East
#: Asia in English, local languages and mixed; Latin America, Iberia, Eastern Europe and East Asia) were written at
#: the start of the twenty-seventh pass, kept out of the repository until it was merged, then measured once, blind:
#: names 74/79, 75/75, 85/85, 72/72 (306 of 311, 98.4 %), addresses 75 of 75, phones 22/23, 22/23, 33/35, 29/29 (106 of
#: 110, 96.4 %), national ids 30/34, 32/34, 42/47, 45/49 (149 of 164, 90.9 %), DOB 34 of 36, cards 20 of 20, IBANs and
#: other bank accounts 10/12, 18/19, 20/22, 10/16 (58 of 69), emails 45 of 45, IPs 13 of 13, must-keep spans touched
#: 7/331, 10/262, 5/246, 11/295 (33 of 1,134, 2.9 %): the xfails below ("blind on pass 27"). The same parts on the tree
#: before the pass (180df0c): names 303, addresses 75, phones 106, national ids 152, DOB 34, IBANs 53, emails 45,
#: must-keep 35 touched. After the measurement (not blind): a chat's speaker ("Customer: its …", "Klient: …") is no
#: reference's label (pass 27's `labelled_reference` had taken three ids so), a WhatsApp export's time with its date,
#: a country code is no day of a date inside a phone ("+31 6 1937 4482"), Russia's INN transliterated, a lower-case
#: PAN after "pan", a year on the line that asks for an id (holdout-80's phones and ids, and holdout-50's ids, meet 97 %
#: since).
#: holdout-83 to -86 (four more authors: the US, Canada, the UK, Ireland, Australia and New Zealand, weighted to ids,
#: bank details and phones; continental Europe in its own languages, weighted to national ids and national account
#: forms; Asia, the Middle East and Africa in English, local languages and mixed; Latin America and mixed channels,
#: WhatsApp, SMS and voice transcripts; every brief asked for must-keep look-alikes, the firm's own data among them,
#: next to the personal data) were written at the start of the twenty-eighth pass, kept out of the repository until it
#: was merged, then measured once, blind (on 501d039): names 169/190, 109/114, 92/102, 119/120 (489 of 526, 93.0 %),
#: addresses 30/32, 36/37, 13/13, 11/14 (90 of 96, 93.8 %), phones 72/75, 39/40, 55/55, 40/46 (206 of 216, 95.4 %),
#: national ids 52/63, 53/58, 48/50, 45/53 (198 of 224, 88.4 %), DOB 50 of 50, cards 11 of 13, IBANs and other bank
#: accounts 12/18, 37/45, 23/28, 13/20 (85 of 111, 76.6 %), emails 41 of 41, IPs 9 of 9, must-keep spans touched
#: 26/409, 38/392, 6/260, 18/307 (88 of 1,368, 6.4 %): the xfails below ("blind on pass 28"). The same parts on the
#: tree before the pass (78c0c33): names 490, addresses 90, phones 206, national ids 196, IBANs 79, cards 11, must-keep
#: 97 touched (7.1 %). After the measurement (not blind): a firm's invoice foot or letterhead line (a legal form and a
#: register's word on it) keeps its numbers, a desk's label ("Klantendienst:", "Cabina 24h:", "clinic line", a fax)
#: keeps a firm's line, an account named a firm's by the words around it or one a customer is told to pay into is
#: the firm's, a New Zealand account by its shape and bank code.
HELD_OUT = ("holdout-2", "holdout-3", "holdout-4", "holdout-5", "holdout-6", "holdout-7", "holdout-8",
            "stranger-a", "stranger-b", "holdout-9", "holdout-10", "holdout-11", "holdout-12", "holdout-13",
            "holdout-14", "holdout-15", "holdout-16", "holdout-17", "holdout-18", "holdout-19", "holdout-20",
            "holdout-21", "holdout-22", "holdout-23", "holdout-24", "holdout-25", "holdout-26", "holdout-27",
            "holdout-28", "holdout-29", "holdout-30", "holdout-31", "holdout-32", "holdout-33", "holdout-34", "holdout-35", "holdout-36",
            "holdout-37", "holdout-38", "holdout-39", "holdout-40", "holdout-41", "holdout-42", "holdout-43", "holdout-44",
            "holdout-45", "holdout-46", "holdout-47", "holdout-48", "holdout-49", "holdout-50", "holdout-51",
            "holdout-52", "holdout-53", "holdout-54", "holdout-55", "holdout-56", "holdout-57", "holdout-58",
            "holdout-59", "holdout-60", "holdout-61", "holdout-62", "holdout-63", "holdout-64", "holdout-65",
            "holdout-66", "holdout-67", "holdout-68", "holdout-69", "holdout-70", "holdout-71", "holdout-72",
            "holdout-73", "holdout-74", "holdout-75", "holdout-76", "holdout-77", "holdout-78", "holdout-79",
            "holdout-80", "holdout-81", "holdout-82", "holdout-83", "holdout-84", "holdout-85", "holdout-86")
HELD_OUT_RECALL = {"CARD": 1.0, "EMAIL": 1.0, "IBAN": 1.0, "IP": 1.0, "PHONE": 0.97, "SSN": 0.97,
                   "NAME": 0.9, "ADDRESS": 0.9}
HELD_OUT_KEEP_REDACTED = 0.03
#: NAME findings on held-out text that are names (issue 18's target).
HELD_OUT_NAME_PRECISION = 0.85
HELD_OUT_NOT_MET = {("holdout-26", "CARD"): "2 of 3 cards (target 100 %), blind on pass 13",
                    ("holdout-35", "CARD"): "5 of 6 cards (target 100 %), blind on pass 16",
                    ("holdout-43", "SSN"): "25 of 30 national ids (83.3 %; target 97 %), blind on pass 18",
                    ("holdout-44", "SSN"): "27 of 33 national ids (81.8 %; target 97 %), blind on pass 18",
                    ("holdout-45", "ADDRESS"): "16 of 23 addresses (69.6 %; target 90 %), blind on pass 18",
                    ("holdout-47", "SSN"): "45 of 49 national ids (91.8 %; target 97 %), blind on pass 19",
                    ("holdout-48", "NAME"): "105 of 129 names (81.4 %; target 90 %), blind on pass 19",
                    ("holdout-51", "NAME"): "56 of 73 names (76.7 %; target 90 %), blind on pass 20",
                    ("holdout-51", "SSN"): "27 of 30 national ids (90.0 %; target 97 %), blind on pass 20",
                    ("holdout-55", "NAME"): "51 of 58 names (87.9 %; target 90 %), blind on pass 21",
                    ("holdout-57", "SSN"): "27 of 30 national ids (90.0 %; target 97 %), blind on pass 21",
                    ("holdout-58", "NAME"): "45 of 56 names (80.4 %; target 90 %), blind on pass 21",
                    ("holdout-63", "SSN"): "23 of 24 national ids (95.8 %; target 97 %), blind on pass 23",
                    ("holdout-64", "SSN"): "28 of 29 national ids (96.6 %; target 97 %), blind on pass 23",
                    ("holdout-65", "EMAIL"): "10 of 11 emails (target 100 %), blind on pass 23",
                    ("holdout-65", "SSN"): "18 of 19 national ids (94.7 %; target 97 %), blind on pass 23",
                    ("holdout-66", "PHONE"): "41 of 44 phones (93.2 %; target 97 %), blind on pass 23",
                    ("holdout-66", "SSN"): "28 of 31 national ids (90.3 %; target 97 %), blind on pass 23",
                    ("holdout-67", "PHONE"): "27 of 28 phones (96.4 %; target 97 %), blind on pass 24",
                    ("holdout-69", "ADDRESS"): "26 of 31 addresses (83.9 %; target 90 %), blind on pass 24",
                    ("holdout-71", "ADDRESS"): "25 of 29 addresses (86.2 %; target 90 %), blind on pass 25",
                    ("holdout-71", "EMAIL"): "13 of 14 emails (target 100 %), blind on pass 25",
                    ("holdout-71", "SSN"): "31 of 32 national ids (96.9 %; target 97 %), blind on pass 25",
                    ("holdout-73", "SSN"): "33 of 36 national ids (91.7 %; target 97 %), blind on pass 25",
                    ("holdout-75", "SSN"): "33 of 36 national ids (91.7 %; target 97 %), blind on pass 26",
                    ("holdout-78", "SSN"): "25 of 28 national ids (89.3 %; target 97 %), blind on pass 26",
                    ("holdout-82", "IBAN"): "10 of 16 IBANs (target 100 %), blind on pass 27",
                    ("holdout-83", "IBAN"): "12 of 18 IBANs (target 100 %), blind on pass 28",
                    ("holdout-83", "NAME"): "169 of 190 names (88.9 %; target 90 %), blind on pass 28",
                    ("holdout-83", "PHONE"): "72 of 75 phones (96.0 %; target 97 %), blind on pass 28",
                    ("holdout-83", "SSN"): "52 of 63 national ids (82.5 %; target 97 %), blind on pass 28",
                    ("holdout-84", "IBAN"): "37 of 45 IBANs (target 100 %), blind on pass 28",
                    ("holdout-84", "SSN"): "53 of 58 national ids (91.4 %; target 97 %), blind on pass 28",
                    ("holdout-85", "IBAN"): "23 of 28 IBANs (target 100 %), blind on pass 28",
                    ("holdout-85", "SSN"): "48 of 50 national ids (96.0 %; target 97 %), blind on pass 28",
                    ("holdout-86", "ADDRESS"): "11 of 14 addresses (78.6 %; target 90 %), blind on pass 28",
                    ("holdout-86", "CARD"): "3 of 5 cards (target 100 %), blind on pass 28",
                    ("holdout-86", "IBAN"): "13 of 20 IBANs (target 100 %), blind on pass 28",
                    ("holdout-86", "PHONE"): "40 of 46 phones (87.0 %; target 97 %), blind on pass 28",
                    ("holdout-86", "SSN"): "45 of 53 national ids (84.9 %; target 97 %), blind on pass 28"}
#: Held-out parts whose must-keep spans the redactor touched more than HELD_OUT_KEEP_REDACTED allows. (Within it
#: since pass 26, not blind: holdout-60, 5 of 175, and holdout-61, 3 of 134: reference words and firms' numbers; since
#: pass 28, not blind: holdout-44, -47, -48, -49, -64, -76, -80 and -82, 2-6 each: firms' desks and lines, references,
#: chat roles, letterheads.)
HELD_OUT_KEEP_NOT_MET = {"holdout-83": "26 of 409 must-keep spans touched (6.4 %; target at most 3 %), blind on pass 28",
                         "holdout-84": "38 of 392 must-keep spans touched (9.7 %; target at most 3 %), blind on pass 28",
                         "holdout-86": "18 of 307 must-keep spans touched (5.9 %; target at most 3 %), blind on pass 28"}


@functools.cache
def corpus_cases() -> tuple[Case, ...]:
    """The corpus, read once for every test here that scores it."""
    return tuple(load_corpus(CORPUS))


@functools.cache
def part_scores(split: str) -> dict[str, Score]:
    """One corpus part's scores, computed once for all its kinds' tests (the corpus has thousands of texts)."""
    return score_corpus([c for c in corpus_cases() if c.split == split], live_findings)


@functools.lru_cache(maxsize=1)
def tuned_scores() -> dict[str, Score]:
    """The scores of every text outside the held-out parts, once."""
    return score_corpus([c for c in corpus_cases() if c.split not in HELD_OUT], live_findings)


@pytest.mark.parametrize(("split", "kind"), [
    pytest.param(split, kind, marks=pytest.mark.xfail(reason=HELD_OUT_NOT_MET[(split, kind)], strict=True))
    if (split, kind) in HELD_OUT_NOT_MET else (split, kind)
    for split in HELD_OUT for kind in sorted(HELD_OUT_RECALL)])
def test_held_out_text_meets_the_targets(split: str, kind: str) -> None:
    score = part_scores(split)[kind]
    if score.recall is None:
        pytest.skip(f"no {kind} label in {split}")
    assert score.recall >= HELD_OUT_RECALL[kind], score.misses


#: Held-out parts whose NAME findings were names less often than HELD_OUT_NAME_PRECISION.
#: (holdout-35: 82 of 97, 84.5 %, blind on pass 16; holdout-41: 83 of 98, 84.7 %, blind on pass 17; both met since
#: the tagger was retrained with them)
HELD_OUT_NAME_PRECISION_NOT_MET: dict[str, str] = {}


@pytest.mark.parametrize("split", [
    pytest.param(split, marks=pytest.mark.xfail(reason=HELD_OUT_NAME_PRECISION_NOT_MET[split], strict=True))
    if split in HELD_OUT_NAME_PRECISION_NOT_MET else split for split in HELD_OUT])
def test_held_out_names_found_are_names(split: str) -> None:
    score = part_scores(split)["NAME"]
    assert score.precision is not None and score.precision >= HELD_OUT_NAME_PRECISION, score.false_alarms


@pytest.mark.parametrize("split", [
    pytest.param(split, marks=pytest.mark.xfail(reason=HELD_OUT_KEEP_NOT_MET[split], strict=True))
    if split in HELD_OUT_KEEP_NOT_MET else split for split in HELD_OUT])
def test_held_out_must_keep_spans_survive(split: str) -> None:
    from feedbackloop.learn.pii_report import keep_redacted

    touched, total = keep_redacted([c for c in corpus_cases() if c.split == split], live_findings)
    assert total >= 10 and touched / total <= HELD_OUT_KEEP_REDACTED


def test_the_corpus_is_large_and_has_both_positives_and_negatives() -> None:
    cases = load_corpus(CORPUS)
    assert len(cases) >= 150
    assert sum(not c.labels for c in cases) >= 60  # tricky negatives
    assert {label.kind for c in cases for label in c.labels} == set(KINDS)
    assert any(c.split == "holdout" for c in cases)


def test_recall_on_cards_and_emails_is_total() -> None:
    """On every part but those with an EMAIL or CARD xfail above (holdout-8's two spelled-out emails, ...)."""
    failing = {split for split, kind in HELD_OUT_NOT_MET if kind in ("EMAIL", "CARD")}
    # the tuned texts and every held-out part but those: the whole corpus, each part scored once for all tests
    parts = [tuned_scores(), *(part_scores(split) for split in HELD_OUT if split not in failing)]
    for kind in ("CARD", "EMAIL"):
        assert sum(part[kind].tp for part in parts) > 0
        assert [miss for part in parts for miss in part[kind].misses] == [], kind


@pytest.mark.parametrize("kind", KINDS)
def test_precision_and_recall_stay_above_the_floor(kind: str) -> None:
    score = tuned_scores()[kind]
    assert score.recall is not None and score.recall >= FLOORS["recall"], score.misses
    assert score.precision is not None and score.precision >= FLOORS["precision"], score.false_alarms


def test_the_report_prints_a_markdown_table(capsys: pytest.CaptureFixture[str], tmp_path: object) -> None:
    from pathlib import Path

    # a slice of the corpus (the whole of it is scored by the tests above; here only the table's shape counts):
    # forty texts of the development part, some with a card, and forty of held-out parts
    lines = [line for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    development = [line for line in lines if json.loads(line).get("split", "development") == "development"]
    cards = [line for line in development if '"CARD"' in line][:10]
    held = [line for line in lines if json.loads(line).get("split", "").startswith("holdout")][:40]
    path = Path(str(tmp_path)) / "slice.jsonl"
    path.write_text("\n".join(cards + development[:30] + held) + "\n", encoding="utf-8")
    assert main([str(path)]) == 0
    out = capsys.readouterr().out
    assert "| type | labels | found | false positives | precision | recall |" in out
    assert "| CARD |" in out and "holdout only" in out
    assert format_table(score_corpus([])).count("n/a") == 2 * len(KINDS)


def test_a_corpus_label_that_is_not_in_its_text_is_refused(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "bad.jsonl"
    path.write_text(json.dumps({"text": "hello", "pii": [{"type": "EMAIL", "value": "a@b.co"}]}) + "\n")
    with pytest.raises(ValueError, match="line 1"):
        load_corpus(path)


def test_every_kind_has_its_placeholder() -> None:
    text = ("Hi Ana, mail ana@example.com, call +44 20 7946 0958, card 4111 1111 1111 1111, "
            "IBAN GB82 WEST 1234 5698 7654 32, IP 192.168.1.20, password: hunter2, "
            "ship to 221B Baker Street, London NW1 6XE")
    assert redact(text) == ("Hi [NAME], mail [EMAIL], call [PHONE], card [CARD], IBAN [IBAN], IP [IP], "
                            "password: [SECRET], ship to [ADDRESS]")
    assert {placeholder(k) for k in KINDS} == {"[EMAIL]", "[PHONE]", "[CARD]", "[IBAN]", "[IP]", "[ADDRESS]",
                                               "[SECRET]", "[NAME]", "[SSN]", "[DOB]"}


def test_redaction_is_idempotent_and_placeholders_are_never_findings() -> None:
    text = "Dear Mr. Okafor, your PIN 4321 and code is 7731; reply to ok@example.com"
    once = redact(text)
    assert redact(once) == once
    assert find_pii(once) == []


def test_the_requesters_own_name_and_email_go_everywhere() -> None:
    who = Identity(names=("Ana Lima",), emails=("a.lima@corp.example",))
    assert redact("lima family here; ana too; write a.lima@corp.example", who) == (
        "[NAME] family here; [NAME] too; write [EMAIL]")
    assert redact("lima family here", None) == "lima family here"


def test_a_name_that_is_a_common_word_is_redacted_only_where_it_is_a_name() -> None:
    who = Identity(names=("Will Baker",))
    assert redact("I will pay. Thanks Will, and Baker too", who) == "I will pay. Thanks [NAME], and [NAME] too"


def test_overlaps_go_to_the_stronger_kind() -> None:
    (span,) = find_pii("card 4111 1111 1111 1111")
    assert span.kind == "CARD"  # its digits are not also a phone number


@pytest.mark.parametrize(("digits", "valid"), [("4111111111111111", True), ("4111111111111112", False),
                                               ("378282246310005", True), ("0", True)])
def test_luhn(digits: str, valid: bool) -> None:
    assert luhn_valid(digits) is valid


@pytest.mark.parametrize(("iban", "valid"), [("GB82WEST12345698765432", True), ("GB82WEST12345698765433", False),
                                             ("NO9386011117947", True)])
def test_iban_mod_97(iban: str, valid: bool) -> None:
    assert iban_valid(iban) is valid


def test_empty_text_stays_empty() -> None:
    assert redact("") == ""


@pytest.mark.parametrize(("text", "expected"), [
    ("Hi there, Wojciech Zieliński writing again", "Hi there, [NAME] writing again"),
    ("The courier, a guy called Lorenzo, left it", "The courier, a guy called [NAME], left it"),
    ("Name on the card: RICHARD T. OKAFOR", "Name on the card: [NAME]"),
    ("Tack!\nAstrid Lundgren", "Tack!\n[NAME]"),
    ("thanks! -- tomasz", "thanks! -- [NAME]"),
    ("hi, my sister fatima ordered it", "hi, my sister [NAME] ordered it"),
])
def test_listed_names_are_found_outside_the_known_positions(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize("text", [
    "Will you ship it to Jordan next week?",
    "May I ask why the Paris office is closed?",
    "Apple Pay failed on Chrome and Windows.",
    "Grace period ends in June, says Victoria Station staff.",
    "Santa Clara and San Diego stores",
    "Our German and French customers",
    "Mark it as urgent, please",
])
def test_listed_words_that_are_also_ordinary_words_or_places_stay(text: str) -> None:
    assert redact(text) == text


def test_a_street_without_a_listed_suffix_is_found_by_its_postcode() -> None:
    assert redact("Ship to 45 Kingsway, London WC2B 6TE") == "Ship to [ADDRESS]"
    assert redact("New address: 88 Queen Street West, Toronto, ON M5H 2M9") == "New address: [ADDRESS]"
    # without a postcode pyap2 is not asked: a street name alone is no address to it
    assert redact("Ring me about 45 Kingsway tomorrow") == "Ring me about 45 Kingsway tomorrow"


def prose_paragraphs() -> list[str]:
    """Our own docs and README, paragraph by paragraph: prose that names no customer."""
    root = FIXTURES.parent.parent
    files = [root / "README.md", *sorted((root / "docs").rglob("*.md"))]
    return [p for f in files for p in f.read_text(encoding="utf-8").split("\n\n") if p.strip()]


def test_our_own_docs_are_left_nearly_whole() -> None:
    """Issue 18, seventh pass: the rules for introductions, dashes, initials and grown addresses run on
    our docs (prose about PII that quotes example names and addresses): the NAME and ADDRESS findings
    are the quoted examples, no code word of ours is taken, and outside quotes only a handful are left
    ("Wilson" of the Wilson interval, an example name in brackets)."""
    found = []
    unquoted = []
    for paragraph in prose_paragraphs():
        quotes = [m.span() for m in re.finditer(r'"[^"]*"|“[^”]*”|`[^`]*`', paragraph)]
        for span in find_pii(paragraph):
            if span.kind in ("NAME", "ADDRESS"):
                found.append(paragraph[span.start:span.end])
                if not any(a <= span.start and span.end <= b for a, b in quotes):
                    unquoted.append(paragraph[span.start:span.end])
    for word in ("SHA", "IBAN", "Setup", "Zendesk", "Flask", "SQLite", "PostgreSQL", "Faker", "README"):
        assert word not in found, word
    # distinct words: the docs name the Wilson interval (and Newcombe's, Levin's) as often as they need to
    assert len(set(unquoted)) <= 5, unquoted


@pytest.mark.parametrize(("text", "value"), [
    ("THIS IS DARNELL WASHINGTON, I WANT A REFUND", "DARNELL WASHINGTON"),
    ("hey it's kwame, the code failed", "kwame"),
    ("ich bin lukas, die App stürzt ab", "lukas"),
    ("paid £42.50. — Ruaridh", "Ruaridh"),
    ("Paket fehlt.\nmfg\nJörg Schäfer", "Jörg Schäfer"),
    ("ticket 55821, Connor MacLeod", "Connor MacLeod"),
    ("Please ask Pieter van der Berg about it", "Pieter van der Berg"),
    ("Signed by J. Schäfer on the form", "J. Schäfer"),
    ("Thanks to Adebayo Okonkwo for the help", "Adebayo Okonkwo"),
])
def test_seventh_pass_names(text: str, value: str) -> None:
    assert [text[s.start:s.end] for s in find_pii(text) if s.kind == "NAME"] == [value]


@pytest.mark.parametrize(("text", "value"), [
    # issue 18, ninth pass: sign-offs in lower case of listed words or a surname-first name
    ("pls fix. regards venkat rao naidu", "venkat rao naidu"),
    ("Best,\nzhou xinyi", "zhou xinyi"),
    # the cue patterns read the folded text, where Turkish "ı" is "i"
    ("Saygılarımla,\nayşe yıldız", "ayşe yıldız"),
    ("Adım Elif Demir, siparişim gelmedi", "Elif Demir"),
    ("kızım Zeynep aradı", "Zeynep"),
])
def test_ninth_pass_sign_offs_and_turkish_cues(text: str, value: str) -> None:
    assert value in [text[s.start:s.end] for s in find_pii(text) if s.kind == "NAME"]


@pytest.mark.parametrize(("text", "keep"), [
    ("Grazie mille, ordine IT-4410 (18,50 €)", ("mille", "IT-4410", "18,50 €")),
    ("Danke vielmals\nBestellung 2024-8815, Version 3.2.1", ("vielmals", "2024-8815", "3.2.1")),
    ("Pakken ble sendt til Bergen, ordre NO-1098", ("Bergen", "NO-1098")),
    ("Flat 3, Tower 2, Quarry Bay, Hong Kong. order 30021-HK", ("Hong Kong", "30021-HK")),
    ("Sayın Yetkili, TR-66021 numaralı sipariş", ("Sayın Yetkili", "TR-66021")),
])
def test_ninth_pass_leaves_must_keep_spans(text: str, keep: tuple[str, ...]) -> None:
    findings = [s for s in find_pii(text) if s.kind == "NAME"]
    for value in keep:
        start = text.find(value)
        assert not any(s.start < start + len(value) and start < s.end for s in findings), value


@pytest.mark.parametrize(("text", "value"), [
    ("to 62 Rue de la République, 13002 Marseille now", "62 Rue de la République, 13002 Marseille"),
    ("Unit 5, Riverside Business Park, 22 Mill Lane, Manchester M4 7HE", None),
    ("Mariahilfer Straße 45/3, 1060 Wien bitte", "Mariahilfer Straße 45/3, 1060 Wien"),
    ("adres: Prinsengracht 263, 1016 GV Amsterdam", "Prinsengracht 263, 1016 GV Amsterdam"),
    ("ship to 7 Harbour Road, Howth, Co. Dublin, D13 W2X9 thanks", "7 Harbour Road, Howth, Co. Dublin, D13 W2X9"),
    ("send it to:\n18 Rosebery Avenue\nLondon EC1R 4SX\nthanks", "18 Rosebery Avenue\nLondon EC1R 4SX"),
])
def test_seventh_pass_addresses(text: str, value: str | None) -> None:
    assert [text[s.start:s.end] for s in find_pii(text) if s.kind == "ADDRESS"] == [value or text]


@pytest.mark.parametrize("text", [
    "THIS IS UNACCEPTABLE, REFUND ORDER 4471", "this is ridiculous, order 7781 is late", "it's me again",
    "je suis déçu par la commande 5512", "its SHA-256 digest", "see the docs — Setup", "Corso Italia 2024 promo",
    "Will you refund order 55123 for $49.99?", "the SKU is A65 F4E2", "Place order 44 now",
])
def test_seventh_pass_leaves_ordinary_text(text: str) -> None:
    assert find_pii(text) == []


# --- issue 18, eighth pass: addresses by structure (pii_address) -------------------------------------

def address_covers(text: str, value: str) -> bool:
    """One ADDRESS finding covers every letter and digit of `value` (the corpus's rule)."""
    start = text.index(value)
    letters = [i for i in range(start, start + len(value)) if text[i].isalnum()]
    return any(all(s.start <= i < s.end for i in letters) for s in find_pii(text) if s.kind == "ADDRESS")


@pytest.mark.parametrize(("text", "value"), [
    # a house number and a street word after the name; US, Australian, NZ, Canadian, British, Irish tails
    ("Please send it to 742 Evergreen Terrace, Springfield, OR 97403 asap", "742 Evergreen Terrace, Springfield, OR 97403"),
    ("Deliver to Unit 12, 45 Smith Street, Fitzroy VIC 3065 please", "Unit 12, 45 Smith Street, Fitzroy VIC 3065"),
    ("Our office moved to Level 4, 88 Willis Street, Wellington 6011, New Zealand.",
     "Level 4, 88 Willis Street, Wellington 6011, New Zealand"),
    ("Suite 1200, 100 King St W, Toronto, ON M5X 1A9", "Suite 1200, 100 King St W, Toronto, ON M5X 1A9"),
    ("It went to 9 Seaview Close, Bray, Co. Wicklow, A98 K2F6 instead", "9 Seaview Close, Bray, Co. Wicklow, A98 K2F6"),
    ("address:\n12 Rose Lane\nHarrogate\nHG1 2AB\nUnited Kingdom\n\nthanks", "12 Rose Lane\nHarrogate\nHG1 2AB\nUnited Kingdom"),
    # compound street names and the street word before the number (Germanic, Nordic, Central Europe, Turkey)
    ("Bitte an Goethestr. 14, 80336 München liefern", "Goethestr. 14, 80336 München"),
    ("Mijn adres is Keizersgracht 123-H, 1015 CJ Amsterdam.", "Keizersgracht 123-H, 1015 CJ Amsterdam"),
    ("Leveransadress: Drottninggatan 71, 111 36 Stockholm", "Drottninggatan 71, 111 36 Stockholm"),
    ("Adresse: Karl Johans gate 22, 0159 Oslo, Norge", "Karl Johans gate 22, 0159 Oslo, Norge"),
    ("Osoite on Mannerheimintie 5 A 7, 00100 Helsinki.", "Mannerheimintie 5 A 7, 00100 Helsinki"),
    ("Min adresse er Østerbrogade 88, 2. tv, 2100 København Ø", "Østerbrogade 88, 2. tv, 2100 København Ø"),
    ("Rechte Wienzeile 2, Stiege 3, Tür 12, 1050 Wien", "Rechte Wienzeile 2, Stiege 3, Tür 12, 1050 Wien"),
    ("Cím: Váci utca 10, 1052 Budapest", "Váci utca 10, 1052 Budapest"),
    ("Adresa: Hlavná 12, 040 01 Košice", "Hlavná 12, 040 01 Košice"),
    ("Moja adresa: Ilica 45, 10000 Zagreb, Hrvatska", "Ilica 45, 10000 Zagreb, Hrvatska"),  # no street word
    ("Lieferadresse:\nMax Mustermann\nKaiserstraße 5\n60311 Frankfurt am Main\n\nDanke", "Kaiserstraße 5\n60311 Frankfurt am Main"),
    ("Adres: ul. Piotrkowska 104 m. 5, 90-006 Łódź", "ul. Piotrkowska 104 m. 5, 90-006 Łódź"),
    ("Adres: Istiklal Cad. No: 120 D: 4, Beyoğlu, 34430 İstanbul", "Istiklal Cad. No: 120 D: 4, Beyoğlu, 34430 İstanbul"),
    # Romance: the street word first, units and floors, postcodes before the town
    ("J'habite au 7 bis, rue Victor Hugo, 33000 Bordeaux depuis mai", "7 bis, rue Victor Hugo, 33000 Bordeaux"),
    ("Mi dirección: C/ Alcalá 120, 4º B, 28009 Madrid", "C/ Alcalá 120, 4º B, 28009 Madrid"),
    ("Indirizzo: Corso Vittorio Emanuele II 45, 10125 Torino TO", "Corso Vittorio Emanuele II 45, 10125 Torino TO"),
    ("Morada: Avenida da Liberdade 200, 3.º Dto, 1250-147 Lisboa", "Avenida da Liberdade 200, 3.º Dto, 1250-147 Lisboa"),
    ("Endereço: Rua Oscar Freire, 900 - apto 31 - Jardins, São Paulo - SP, 01426-001",
     "Rua Oscar Freire, 900 - apto 31 - Jardins, São Paulo - SP, 01426-001"),
    ("Dirección: Carrera 7 # 71-21, Bogotá, Colombia", "Carrera 7 # 71-21, Bogotá, Colombia"),
    ("Calle Florida 165, piso 3, C1005AAC Buenos Aires", "Calle Florida 165, piso 3, C1005AAC Buenos Aires"),
    # PO boxes in several languages
    ("return address is PO Box 3321, Halifax, NS B3J 3J5", "PO Box 3321, Halifax, NS B3J 3J5"),
    ("Adresse: Postfach 10 20 30, 50667 Köln", "Postfach 10 20 30, 50667 Köln"),
    ("Caixa Postal 1234, 70040-020 Brasília - DF", "Caixa Postal 1234, 70040-020 Brasília - DF"),
    ("Apartado de Correos 120, 03001 Alicante", "Apartado de Correos 120, 03001 Alicante"),
    ("Skrytka pocztowa 55, 00-950 Warszawa", "Skrytka pocztowa 55, 00-950 Warszawa"),
    ("Box 1043, 751 40 Uppsala", "Box 1043, 751 40 Uppsala"),
    ("P. O. Box 9020, Kampala, Uganda", "P. O. Box 9020, Kampala, Uganda"),
    ("адрес / address: ul. Tverskaya 7, kv. 12, Moskva 125009", "ul. Tverskaya 7, kv. 12, Moskva 125009"),
    ("Rua Augusta 1200, cj. 45, São Paulo/SP, CEP 01305-100", "Rua Augusta 1200, cj. 45, São Paulo/SP, CEP 01305-100"),
    ("2 Chome-8-1 Nishishinjuku, Shinjuku City, Tokyo 163-8001", "8-1 Nishishinjuku, Shinjuku City, Tokyo 163-8001"),
    # Asia: Singapore blocks, Japanese chome, Korean -ro/-gil/-gu and dong/ho, India, Indonesia, Vietnam
    ("Address: Blk 123 Ang Mo Kio Ave 3, #08-456, Singapore 560123", "Blk 123 Ang Mo Kio Ave 3, #08-456, Singapore 560123"),
    ("send to 1-2-3 Shibuya, Shibuya-ku, Tokyo 150-0002", "1-2-3 Shibuya, Shibuya-ku, Tokyo 150-0002"),
    ("〒530-0001 Osaka-shi Kita-ku Umeda 2-4-9", "〒530-0001 Osaka-shi Kita-ku Umeda 2-4-9"),
    ("My home is 302-1104, 15 Olympic-ro 35-gil, Songpa-gu, Seoul 05510", "302-1104, 15 Olympic-ro 35-gil, Songpa-gu, Seoul 05510"),
    ("home: Gangnam-gu Yeoksam-dong 123-45, Seoul 06236", "Gangnam-gu Yeoksam-dong 123-45, Seoul 06236"),
    ("Flat 7, Tower B, Palm Residency, Sector 45, Noida 201301", "Flat 7, Tower B, Palm Residency, Sector 45, Noida 201301"),
    ("deliver to Jl. Sudirman No. 45, Jakarta Pusat 10220", "Jl. Sudirman No. 45, Jakarta Pusat 10220"),
    ("address is 88 Đường Nguyễn Huệ, Quận 1, TP. Hồ Chí Minh", "88 Đường Nguyễn Huệ, Quận 1, TP. Hồ Chí Minh"),
    # lower case, and run into a sentence
    ("new address: 1600 amphitheatre pkwy, mountain view, ca 94043 thanks", "1600 amphitheatre pkwy, mountain view, ca 94043"),
    ("vivo en avenida de la constitución 15, piso 3, 41001 sevilla", "avenida de la constitución 15, piso 3, 41001 sevilla"),
    ("stuur het naar laan van meerdervoort 52, 2517 AK den haag", "laan van meerdervoort 52, 2517 AK den haag"),
    ("i moved to 5 elm grove so please update it", "5 elm grove"),
    ("the parcel should go to 221b baker st london nw1 6xe not the old one", "221b baker st london nw1 6xe"),
    ("the address is 55 collins st melbourne vic 3000 and my name is on the bell", "55 collins st melbourne vic 3000"),
    ("P.O. Box 7788, Dubai, UAE is our postal address", "P.O. Box 7788, Dubai, UAE"),
])
def test_addresses_are_found_whole_by_their_structure(text: str, value: str) -> None:
    assert address_covers(text, value), [text[s.start:s.end] for s in find_pii(text) if s.kind == "ADDRESS"]


@pytest.mark.parametrize(("text", "keep"), [
    ("Main Street Bakery charged me $12.50 twice", ("Main Street Bakery", "$12.50")),
    ("Order 45123 from the Oxford Street shop never arrived", ("45123", "Oxford Street")),
    ("Our Park Avenue store (order 55123) charged €49.99", ("Park Avenue", "55123", "€49.99")),
    ("I flew from Berlin to Madrid on 12 May, ticket TK-1234", ("Berlin", "Madrid", "TK-1234")),
    ("Version 2.4.1 broke the app on 3 devices", ("2.4.1", "3 devices")),
    ("We waited 3 hours at gate 14 in Lisbon", ("3 hours", "gate 14", "Lisbon")),
    ("Ticket #58213: Room 12 of the hotel was dirty", ("#58213", "Room 12")),
    ("The hotel on Via Veneto was lovely, room 214 though", ("Via Veneto", "room 214")),
    ("Level 3 support said to send it via DHL 2 days ago", ("Level 3", "DHL 2 days")),
    ("Call me on 020 7946 0958 about invoice 2024-0031", ("2024-0031",)),
    ("Windows 11 update 23H2 broke the Street View plugin", ("Windows 11", "23H2", "Street View")),
    ("I bought 3 items at the Queen Street mall for $45", ("3 items", "Queen Street", "$45")),
    ("pick up from gate B12 at Schiphol, ticket KL1234", ("B12", "Schiphol", "KL1234")),
    ("We sold 1200 units in Lyon and 800 in Paris", ("1200 units", "Lyon", "800", "Paris")),
    ("zip code 94103 is outside the area", ("94103",)),
    ("a spent one refuses (429) before comparing", ("429",)),
    ("Top 10 tips for Chrome 120 users", ("Top 10", "Chrome 120")),
    ("Box 2 of 3 was missing from the delivery", ("Box 2", "3")),
    ("We migrated DNS to Route 53 last week", ("Route 53",)),
    ("Seat 14C on flight BA 117 to New York was broken", ("14C", "BA 117", "New York")),
])
def test_shop_names_order_numbers_and_cities_in_passing_are_no_addresses(text: str, keep: tuple[str, ...]) -> None:
    for span in find_pii(text):
        for value in keep:
            start = text.index(value)
            assert not (span.start < start + len(value) and start < span.end), (value, text[span.start:span.end])


def test_an_address_block_stops_at_prose_and_at_a_name_line_before_it() -> None:
    text = "Ship it to:\nDeShawn Whitaker\n2217 Magnolia Ave, Apt 3B\nLong Beach, CA 90806\n\nThanks"
    assert [text[s.start:s.end] for s in find_pii(text) if s.kind == "ADDRESS"] == [
        "2217 Magnolia Ave, Apt 3B\nLong Beach, CA 90806"]
    text = "Av. Insurgentes Sur 1602, Int. 4, Col. Roma, 03940 Ciudad de México, CDMX. Mi cel: 55 4123 8890."
    assert [text[s.start:s.end] for s in find_pii(text) if s.kind == "ADDRESS"] == [
        "Av. Insurgentes Sur 1602, Int. 4, Col. Roma, 03940 Ciudad de México, CDMX"]


def test_a_unit_and_a_street_name_alone_are_not_enough() -> None:
    """Two weak pieces (a unit, a street name without a number) make an address only with a postcode
    or a third piece: "Unit 4, Brent Cross" is where a parcel was shipped from."""
    assert [s.kind for s in find_pii("Order shipped from Unit 4, Brent Cross")] == []


def test_a_title_or_a_name_before_an_address_stays_out_of_it() -> None:
    """"Dr." is also a street word (Drive): before a capitalised name it is a title, and the name
    before a street line is no part of the address."""
    text = "Bitte an Herrn Dr. Friedrich Albers, Schillerplatz 4, 70173 Stuttgart schicken."
    assert [text[s.start:s.end] for s in find_pii(text) if s.kind == "ADDRESS"] == ["Schillerplatz 4, 70173 Stuttgart"]


# --- issue 18, ninth pass: address families of holdout-9's and holdout-10's misses (not blind: tuned on) ---

@pytest.mark.parametrize(("text", "value"), [
    # a street type abbreviated after the name, its full stop kept ("Cad.", "Sok.", "Bulv.")
    ("Adresim: Bağdat Cad. No:245 D:8, Caddebostan, 34728 Kadıköy/İstanbul. Tel yok",
     "Bağdat Cad. No:245 D:8, Caddebostan, 34728 Kadıköy/İstanbul"),
    ("adres: Caferağa Mah. Moda Cad. No:18 D:4 Kadıköy/İstanbul. adım Elif", "Caferağa Mah. Moda Cad. No:18 D:4 Kadıköy/İstanbul"),
    ("Atatürk Bulv. No:45 Kat:3 D:7, 06420 Çankaya/Ankara", "Atatürk Bulv. No:45 Kat:3 D:7, 06420 Çankaya/Ankara"),
    # a number's full stop ends the sentence before a capitalised word that is no ordinal's noun
    ("mi tlf 612 44 87 20. Calle de Alcalá 214, 3º izq, 28028 Madrid. QUE PASA", "Calle de Alcalá 214, 3º izq, 28028 Madrid"),
    ("Schillerstraße 7a, 2. OG, 10625 Berlin", "Schillerstraße 7a, 2. OG, 10625 Berlin"),
    # street-type abbreviations in lower case, and a lower-case address after a short capitalised opening
    ("mi dirección es c/ Dato 17, 2º dcha, 01005 Vitoria-Gasteiz (Álava)", "c/ Dato 17, 2º dcha, 01005 Vitoria-Gasteiz (Álava"),
    ("Hi, please ship to c/ mayor 5, 3º izq, 28013 madrid thanks", "c/ mayor 5, 3º izq, 28013 madrid"),
    ("Hi, please ship to 221b baker street, london nw1 6xe thanks", "221b baker street, london nw1 6xe"),
    # a region code in capitals after the town, even when it spells a prose word ("NA", "OR", "ME")
    ("L'indirizzo è Via dei Mille 18, int. 7, 80121 Napoli NA.\n\nCordiali saluti", "Via dei Mille 18, int. 7, 80121 Napoli NA"),
    # compass words after a street or district; a full stop before a comma ends an abbreviation
    ("address should be 2150 rue Sherbrooke Est, app. 5, Montréal QC H2K 1C2. Booked",
     "2150 rue Sherbrooke Est, app. 5, Montréal QC H2K 1C2"),
    ("Dirección: Calle Durango 263, Int. 4, Col. Roma Nte., Cuauhtémoc, 06700 Ciudad de México, CDMX.",
     "Calle Durango 263, Int. 4, Col. Roma Nte., Cuauhtémoc, 06700 Ciudad de México, CDMX"),
    # the side of a floor, entrances and staircases, Dutch floors in roman numerals, Swedish "tr"
    ("eindeutig Hauptstraße 7a, 2. Stock links, 69117 Heidelberg hinterlegt", "Hauptstraße 7a, 2. Stock links, 69117 Heidelberg"),
    ("I'm at Rehov Dizengoff 155, entrance B, apt 9, Tel Aviv 6346422. thanks", "Rehov Dizengoff 155, entrance B, apt 9, Tel Aviv 6346422"),
    ("bezorgd (nr 41 ipv 14). ik woon op Govert Flinckstraat 214-III, 1073 BZ Amsterdam. Kunnen",
     "Govert Flinckstraat 214-III, 1073 BZ Amsterdam"),
    ("Storgatan 12, 2 tr, 114 51 Stockholm", "Storgatan 12, 2 tr, 114 51 Stockholm"),
    ("Bulevardul Unirii 5, bl. 3, sc. 1, et. 4, ap. 12, 030167 București", "Bulevardul Unirii 5, bl. 3, sc. 1, et. 4, ap. 12, 030167 București"),
    # no postcode: two units down to a country; a unit, a street's name and a place
    ("leave it at reception. Flat 12B, Tower 3, Taikoo Shing, Quarry Bay, Hong Kong. order 30021-HK",
     "Flat 12B, Tower 3, Taikoo Shing, Quarry Bay, Hong Kong"),
    ("Plot 45, Kololo Hill Drive, Kampala, Uganda", "Plot 45, Kololo Hill Drive, Kampala, Uganda"),
    # a house number and a name before a district is a street (no street word)
    ("45 Nguyễn Huệ, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh", "45 Nguyễn Huệ, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh"),
    # Korean units, Hangul districts and streets; a house number that ends the text
    ("101-dong 1203-ho, Raemian Apt, Banpo-dong, Seocho-gu, Seoul", "101-dong 1203-ho, Raemian Apt, Banpo-dong, Seocho-gu, Seoul"),
    ("서울특별시 강남구 테헤란로 152", "서울특별시 강남구 테헤란로 152"),
    # estate street types; a town and region on the next line; a postcode and town before prose
    ("send the replacement to 3 Glenageary Woods, Dún Laoghaire, Co. Dublin A96 K7T3.\n\nIs mise",
     "3 Glenageary Woods, Dún Laoghaire, Co. Dublin A96 K7T3"),
    ("enviar a:\nValentina Ospina\nCarrera 43A # 1 Sur-100, Apto 1202\nMedellín, Antioquia\nTel. 300 456 7890",
     "Carrera 43A # 1 Sur-100, Apto 1202\nMedellín, Antioquia"),
    ("Hi, please ship to Laugavegur 28, 101 Reykjavík thanks", "Laugavegur 28, 101 Reykjavík"),
    ("Deliver to 15 Jan Smuts Ave, Rosebank, Johannesburg, 2196", "15 Jan Smuts Ave, Rosebank, Johannesburg, 2196"),
    # Cyrillic street words and units, Peruvian "Jr.", particles glued to a name, a floor and a door letter
    ("Hi, my address is ул. Тверская, д. 7, кв. 12, Москва, 125009. Thanks!", "ул. Тверская, д. 7, кв. 12, Москва, 125009"),
    ("адреса: вул. Хрещатик 22, кв. 5, Київ 01001", "вул. Хрещатик 22, кв. 5, Київ 01001"),
    ("i moved to Jr. de la Unión 456, Of. 302, Cercado de Lima 15001 last week", "Jr. de la Unión 456, Of. 302, Cercado de Lima 15001"),
    ("Hi, my address is Chaussée d'Ixelles 120, 1050 Ixelles. Thanks!", "Chaussée d'Ixelles 120, 1050 Ixelles"),
    ("i moved to Triq il-Kbira 25, Ħal Qormi QRM 1234 last week", "Triq il-Kbira 25, Ħal Qormi QRM 1234"),
    ("i moved to Gran Vía 28, 5º A, 28013 Madrid last week", "Gran Vía 28, 5º A, 28013 Madrid"),
    ("Calle Mayor 5, bajo B, 30001 Murcia", "Calle Mayor 5, bajo B, 30001 Murcia"),
    ("Hi, my address is Private Bag X9, Pretoria 0001. Thanks!", "Private Bag X9, Pretoria 0001"),
    ("i moved to B-204, Shanti Apartments, Sector 9, Rohini, Delhi 110085 last week",
     "B-204, Shanti Apartments, Sector 9, Rohini, Delhi 110085"),
    # East Asian order: the city first; a place of four words and a postcode before prose; CJK script
    ("Hi, my address is Seoul, Mapo-gu, Yanghwa-ro 45, 3rd floor. Thanks!", "Seoul, Mapo-gu, Yanghwa-ro 45, 3rd floor"),
    ("i moved to No. 88, Lane 120, Section 2, Zhongshan N. Rd., Zhongshan District, Taipei City 104 last week",
     "No. 88, Lane 120, Section 2, Zhongshan N. Rd., Zhongshan District, Taipei City 104"),
    ("住所は東京都渋谷区神宮前3-14-2です。", "東京都渋谷区神宮前3-14-2"),
    ("大阪府大阪市北区梅田2丁目4番9号 田中", "大阪府大阪市北区梅田2丁目4番9号"),
    # Romanian "Str." abbreviation and "bl. B2"; Turkish numbered streets and "Daire: 3"; Vietnamese "số",
    # a district word in lower case before its name; Hebrew and Arabic street words, the Arabic comma
    ("Adresa mea: Str. Mihai Eminescu nr. 12, bl. B2, ap. 5, Cluj-Napoca 400001",
     "Str. Mihai Eminescu nr. 12, bl. B2, ap. 5, Cluj-Napoca 400001"),
    ("Adresim Atatürk Mahallesi 123. Sokak No: 5 Daire: 3 Ümraniye İstanbul", "Atatürk Mahallesi 123. Sokak No: 5 Daire: 3 Ümraniye İstanbul"),
    ("Tôi ở số 12 ngõ 34 phố Huế, quận Hai Bà Trưng, Hà Nội", "số 12 ngõ 34 phố Huế, quận Hai Bà Trưng, Hà Nội"),
    ("כתובת: רחוב הרצל 12, תל אביב", "רחוב הרצל 12, תל אביב"),
    ("عنواني: 12 شارع التحرير، الدقي، الجيزة", "12 شارع التحرير، الدقي، الجيزة"),
    # lower case: a region code that is also a word before its postcode, a one-letter compass point
    ("pls send to apt 12, 345 queen st w, toronto on m5v 2a1 asap", "apt 12, 345 queen st w, toronto on m5v 2a1"),
    # three units and a place; a Singapore postcode with its "S"
    ("Casa 12, Manzana 4, Urbanización Los Pinos, Guayaquil", "Casa 12, Manzana 4, Urbanización Los Pinos, Guayaquil"),
    ("deliver to blk 12 #03-45 toa payoh lor 8 s310012", "blk 12 #03-45 toa payoh lor 8 s310012"),
    # the house number after "St"/"Road" ("Herzl St 12"); a date in the street's name ("9 de Julio")
    ("Hi, my address is Herzl St 12, Tel Aviv. Thanks!", "Herzl St 12, Tel Aviv"),
    ("pls send it to Avenida 9 de Julio 1000, CABA asap", "Avenida 9 de Julio 1000, CABA"),
    # no house number: a street's name said to be where one lives, and a place after it
    ("order KE-20331 shows unpaid. I stay at Kindaruma Road, Kilimani. For the receipt", "Kindaruma Road, Kilimani"),
    ("ticket 4410: pls ship it to Ngong Road, Karen, Nairobi", "Ngong Road, Karen, Nairobi"),
])
def test_ninth_pass_address_families(text: str, value: str) -> None:
    assert address_covers(text, value), [text[s.start:s.end] for s in find_pii(text) if s.kind == "ADDRESS"]


@pytest.mark.parametrize(("text", "keep"), [
    ("Am Do., 6. März 2025 um 11:20 schrieb Felix Hartmann:", ("Do., 6. März 2025",)),  # a date, not "Am ..." street
    ("Vinohradská 1511/230, 100 00 Praha 10. Objednávka CZ-4410 nedorazila.", ("CZ-4410",)),
    ("Entry 5, Block C results were wrong, see Tower 2 logs.", ("Entry 5", "Block C", "Tower 2")),
    ("in 2024 we moved 3 desks, Room 5, Building 2, Uganda office is done", ("Room 5", "Building 2", "Uganda")),
    ("Level 3, Tower 2 of the game is too hard, Singapore servers lag.", ("Level 3", "Tower 2", "Singapore")),
    ("Die Rechnung vom 3. Juni ist falsch, bitte prüfen.", ("3. Juni",)),
    ("Step 2, Section 4, Germany tab: the export fails.", ("Step 2", "Germany")),
    ("The ORM path built three objects per row: about 100 µs of CPU a row", ("100 µs of CPU a row",)),
    ("Tried 3 times (error 45). Then it worked.", ("error 45",)),
    ("I live on Main Street since 2019, Kenya is home", ("Main Street", "Kenya")),
    ("Order 12: we are located at Oxford Street. Thanks", ("Oxford Street",)),
    ("Order 12 went to Abbey Road, the studio, not to me", ("Abbey Road",)),
    ("我在北京市买了3个苹果", ("北京市买了3个",)),
    ("大阪府大阪市北区梅田2丁目4番9号 田中", ("田中",)),
    ("Kim Minjun, Mapo-gu office, 3 desks", ("Kim Minjun",)),
    ("i went on 2 trips and came back in 3 days", ("on 2 trips", "in 3 days")),
    ("Level 3, Room 4, Building 5 of the campus map are wrong", ("Level 3", "Room 4", "Building 5")),
    ("the Highland Park 12 I ordered arrived fine", ("Highland Park 12",)),
])
def test_ninth_pass_dates_ids_and_units_in_prose_are_no_addresses(text: str, keep: tuple[str, ...]) -> None:
    assert_no_address_over(text, keep)


def assert_no_address_over(text: str, keep: tuple[str, ...]) -> None:
    """No ADDRESS finding in `text` touches any of the `keep` values."""
    for span in find_pii(text):
        if span.kind != "ADDRESS":
            continue
        for value in keep:
            start = text.index(value)
            assert not (span.start < start + len(value) and start < span.end), (value, text[span.start:span.end])


# --- issue 18, twelfth pass: address families of holdout-15's, -17's and -18's misses (not blind: tuned on) ---

@pytest.mark.parametrize(("text", "value"), [
    # Welsh, Irish and Gaelic street words before the name, their articles ("y", "yr", "na", "an")
    ("Subject: Flat 4, 12 Heol yr Eglwys\nTo: the lettings team", "Flat 4, 12 Heol yr Eglwys"),
    ("Send it to 14 Stryd Fawr, Bangor please", "14 Stryd Fawr, Bangor"),
    ("Hi, Siobhán here from 7 Sráid na Mainistreach, Ennis, Co. Clare V95 X2Y3. Re my claim", "7 Sráid na Mainistreach, Ennis, Co. Clare V95 X2Y3"),
    ("I live at 22 Bóthar an Chláir, Gaillimh now", "22 Bóthar an Chláir, Gaillimh"),
    # compounds with the number first: English "-way", Afrikaans "-laan", "-straat"
    ("I'm at Flat 9, 30 Queensway, Bayswater, London. Thanks", "Flat 9, 30 Queensway, Bayswater, London"),
    ("Is die adres nog 12 Kerkstraat, Stellenbosch, 7600?", "12 Kerkstraat, Stellenbosch, 7600"),
    ("Stuur dit na 8 Jacarandalaan, Lynnwood, Pretoria, 0081.", "8 Jacarandalaan, Lynnwood, Pretoria, 0081"),
    # a bare postcode after the town, then the sentence goes on
    ("he lives at 18 Oxford Road, Parktown, Johannesburg, 2193 and will sign for it",
     "18 Oxford Road, Parktown, Johannesburg, 2193"),
    # a floor alone in its segment: Danish "st." and "kl." with a side, Spanish "bajo", Portuguese "r/c", German "EG"
    ("Adresse: Rosenvænget 4, st. tv., 2100 København Ø. Mvh Jens", "Rosenvænget 4, st. tv., 2100 København Ø"),
    ("Lejemål: Søndergade 30, kl. th., 8000 Aarhus C. Depositum", "Søndergade 30, kl. th., 8000 Aarhus C"),
    ("es Calle Mayor 12, bajo, 28013 Madrid. llama antes", "Calle Mayor 12, bajo, 28013 Madrid"),
    ("Morada: Rua do Carmo 12, r/c esq, 1200-093 Lisboa", "Rua do Carmo 12, r/c esq, 1200-093 Lisboa"),
    ("Lieferadresse: Lindenstraße 5, EG links, 10969 Berlin", "Lindenstraße 5, EG links, 10969 Berlin"),
    # Greek, transliterated and in its script: "Odos", ordinals "2os"/"2ος", "orofos"/"όροφος"
    ("Dieuthinsi: Odos Patision 12, 2os orofos, 104 34 Athina\nMaria", "Odos Patision 12, 2os orofos, 104 34 Athina"),
    ("Διεύθυνση: οδός Πατησίων 12, 2ος όροφος, 104 34 Αθήνα", "οδός Πατησίων 12, 2ος όροφος, 104 34 Αθήνα"),
    # Vietnamese rooms, buildings and lanes ("phòng", "tòa", "số", "ngõ")
    ("Em ở phòng 1205, tòa A, số 25 ngõ 12 Láng Hạ, Đống Đa, Hà Nội.", "phòng 1205, tòa A, số 25 ngõ 12 Láng Hạ, Đống Đa, Hà Nội"),
    # Hungarian: postcode first, "utca"/"u.", a floor and door in roman and arabic numbers
    ("Címem: 1052 Budapest, Petőfi Sándor u. 8. III/2. Köszönöm", "1052 Budapest, Petőfi Sándor u. 8. III/2"),
    ("Cím: 6720 Szeged, Kárász utca 5. I/3.", "6720 Szeged, Kárász utca 5. I/3"),
    # Ukrainian and Russian: a town's mark ("м.", "г."), street words ("вул.", "пров.", "просп."), transliterated
    ("Адреса: м. Одеса, просп. Шевченка, 4, кв. 17, 65044. Дякую!", "м. Одеса, просп. Шевченка, 4, кв. 17, 65044"),
    ("Адреса: 79008, м. Львів, пров. Крива Липа, 6, кв. 2\nТел.", "79008, м. Львів, пров. Крива Липа, 6, кв. 2"),
    ("Адрес: г. Казань, ул. Баумана, д. 15, кв. 4", "г. Казань, ул. Баумана, д. 15, кв. 4"),
    ("Adresa: vul. Franka 12, kv. 5, Lviv 79005", "vul. Franka 12, kv. 5, Lviv 79005"),
    ("Mistse: prosp. Nauky 45, Kharkiv. Dyakuyu", "prosp. Nauky 45, Kharkiv"),
    # Brazilian addresses typeset with " – " between their parts, a state code and the CEP
    ("Endereço: Rua Augusta, 500, apto 12 – Consolação, São Paulo – SP, 01305-000\nCPF",
     "Rua Augusta, 500, apto 12 – Consolação, São Paulo – SP, 01305-000"),
    ("Av. Afonso Pena, 1500, casa 3 – Centro, Belo Horizonte – MG, 30130-005", None),
    # Philippine towers: a unit and a named building before a place; a title inside a street's name
    ("sa unit namin (Unit 22A, Salcedo Towers Makati) po", "Unit 22A, Salcedo Towers Makati"),
    ("pick up at Unit 3, 88 Pres. Quirino Ave, Malate, Manila 1004?", "Unit 3, 88 Pres. Quirino Ave, Malate, Manila 1004"),
    # the same families in neighbouring languages: Welsh "Fflat", Albanian "Rruga", Latvian "iela", Indonesian "Lantai"
    ("Fflat 3, 5 Heol y Bont, Aberystwyth", "Fflat 3, 5 Heol y Bont, Aberystwyth"),
    ("Adresa: Rruga Myslym Shyri 12, Tiranë 1001", "Rruga Myslym Shyri 12, Tiranë 1001"),
    ("Adrese: Brīvības iela 85, dz. 4, Rīga, LV-1001", "Brīvības iela 85"),
    ("kirim ke Menara BCA Lantai 12, Jl. MH Thamrin No. 1, Jakarta 10310", "Lantai 12, Jl. MH Thamrin No. 1, Jakarta 10310"),
    # Idaho after a town is still a state
    ("Ship to 1200 W Main St, Boise, ID 83702 thanks", "1200 W Main St, Boise, ID 83702"),
])
def test_twelfth_pass_address_families(text: str, value: str | None) -> None:
    value = value or text
    assert address_covers(text, value), [text[s.start:s.end] for s in find_pii(text) if s.kind == "ADDRESS"]


@pytest.mark.parametrize(("text", "keep"), [
    ("Anyway 3 of them broke, Railway 2 too", ("Anyway 3", "Railway 2")),
    ("Queensway 2 is their best album", ("Queensway 2",)),
    ("Street trading licence - Stall 42, Ridley Road Market. Fee paid", ("Stall 42", "Ridley Road Market")),
    ("Meet me at Gate 14, Terminal Road by the taxis", ("Gate 14", "Terminal Road")),
    ("Employee ID 70215. Could you check his pay?", ("70215",)),
    ("Customer ID 83702 has two orders", ("83702",)),
    ("el bajo de la guitarra llegó roto, pedido 4410", ("bajo", "4410")),
    ("Im EG ist es kalt, Bestellung 12345", ("EG", "12345")),
    ("Order 4471 – Main Street shop was closed", ("4471", "Main Street")),
    ("Lost bag – file LHR-77213, 12 days – Sipho", ("LHR-77213", "12 days")),
    ("У 2023 г. Москва приняла 5 заявок", ("Москва", "5 заявок")),
    ("phòng 302 rất sạch, cảm ơn", ("phòng 302",)),
    ("A 2024. évi 12. II/4 határozat szerint", ("II/4",)),
    ("We shipped 2193 units, 4410 and that is all", ("2193", "4410")),
    ("Unit 5, Sunset Towers of the game is too hard", ("Unit 5", "Sunset Towers")),
    ("Heol y Deri is a lovely name for a street", ("Heol y Deri",)),
])
def test_twelfth_pass_look_alikes_are_no_addresses(text: str, keep: tuple[str, ...]) -> None:
    assert_no_address_over(text, keep)


# --- issue 18, sixteenth pass: address families of holdout-31's to -34's misses (not blind: tuned on) ---

@pytest.mark.parametrize(("text", "value"), [
    # South Asian flats, blocks and districts: a lettered flat alone ("B-702"), two units and two places,
    # a district written after its name ("Model Town", "Johar Town"), a house number alone before one
    ("Customer: Flat B-12, Block 13-D, Gulshan-e-Iqbal, Karachi\nAgent: ok", "Flat B-12, Block 13-D, Gulshan-e-Iqbal, Karachi"),
    ("Flat 3, Block 7, Clifton, Karachi", "Flat 3, Block 7, Clifton, Karachi"),
    ("Regards,\nNeha\nB-702, Lodha Paradise, Majiwada, Thane West 400601\n+91 99300 41876",
     "B-702, Lodha Paradise, Majiwada, Thane West 400601"),
    ("A-204, Shanti Apartments, Andheri East, Mumbai 400069", None),
    ("Address: 56-B, Street 4, Model Town Ext., Lahore\nAction: inspection", "56-B, Street 4, Model Town Ext., Lahore"),
    ("Ghar ka pata: 221, Model Town, Ludhiana, Punjab 141002.", "221, Model Town, Ludhiana, Punjab 141002"),
    ("Address: 12-B, Johar Town, Lahore", "12-B, Johar Town, Lahore"),
    ("Please deliver to House 12, Street 5, F-7/2, Islamabad", "House 12, Street 5, F-7/2, Islamabad"),
    # Devanagari: house and lane with "नं.", a nagar, a city and its PIN; a flat, a building, a sector
    ("मेरी Indane गैस बुकिंग IN-55210 है। पता: मकान नं. 45, गली नं. 3, शास्त्री नगर, जयपुर 302016. फोन 94140 22817.",
     "मकान नं. 45, गली नं. 3, शास्त्री नगर, जयपुर 302016"),
    ("फ्लैट नं. 302, साईं अपार्टमेंट, सेक्टर 15, नोएडा 201301", None),
    ("पता: 12, गांधी मार्ग, लखनऊ 226001", "12, गांधी मार्ग, लखनऊ 226001"),
    # Argentina: "dto." (departamento) ends no sentence; Colombia: street type, number, "#" and "N-N"
    ("Vivo en Av. Corrientes 3247, piso 5 dto. B, C1193AAE CABA. Mi cel es", "Av. Corrientes 3247, piso 5 dto. B, C1193AAE CABA"),
    ("con domicilio en Carrera 15 # 93-47, oficina 502, Bogotá D.C., en ejercicio del derecho",
     "Carrera 15 # 93-47, oficina 502, Bogotá D.C"),
    ("dirección: Avenida 68 # 22-31, Bogotá", "Avenida 68 # 22-31, Bogotá"),
    ("Cl. 100 # 19-61, Bogotá", None),
    ("Kr 15 #93-47, Bogotá", None),
    ("vivo en Calle 45 Bis A # 23-18, Apto 502, Barrio Teusaquillo, Bogotá", "Calle 45 Bis A # 23-18, Apto 502, Barrio Teusaquillo, Bogotá"),
    ("Diagonal 40A # 15-20 sur, Bogotá", None),
    # an address whose postcode shares its segment with the next one ("from ... 1011 to ...")
    ("address changed from 5 Ponsonby Rd, Auckland 1011 to 22B Te Atatu Rd, Te Atatu South, Auckland 0610.",
     "5 Ponsonby Rd, Auckland 1011"),
    ("Moved from 12 Queen St, Auckland 1010 to Wellington last year", "12 Queen St, Auckland 1010"),
])
def test_sixteenth_pass_address_families(text: str, value: str | None) -> None:
    value = value or text
    assert address_covers(text, value), [text[s.start:s.end] for s in find_pii(text) if s.kind == "ADDRESS"]


@pytest.mark.parametrize(("text", "keep"), [
    # products named after streets: a model word or a product's noun before, a size glued to the number
    ("oye q el sofá Gran Vía de 3 plazas me ha llegado con una pata rota", ("Gran Vía de 3",)),
    ("la garanzia estesa sul frigorifero Via Veneto 300L. Scontrino del 22/04/2024", ("Via Veneto 300L",)),
    ("ik heb de bank model 'Keizersgracht 3-zits' besteld", ("Keizersgracht 3",)),
    ("the Rua Augusta 3-seater sofa came with a torn cushion", ("Rua Augusta 3",)),
    ("o candeeiro Rua Augusta 12 chegou partido", ("Rua Augusta 12",)),
    # a firm's premises
    ("FYI the warehouse at 400 Industrial Pkwy is closed Dec 24-26.", ("400 Industrial Pkwy",)),
    ("our store: 12 Main Street, Springfield opens at 9", ("12 Main Street",)),
    # look-alikes of the new families: seats, a kit's name, a lane's number in prose, a TV's remote
    ("Seats B-12, C-14 and D-16 are ours, see you in Berlin, Munich", ("B-12", "C-14", "Berlin")),
    ("He bought the Model Town 3 kit", ("Model Town 3",)),
    ("We visited the Old Town, 3 times", ("Old Town", "3 times")),
    ("the tv 12 # 3-4 remote is broken", ("tv 12 # 3-4",)),
    ("मेरा फोन नं. 98765 43210 है।", ("98765",)),
])
def test_sixteenth_pass_look_alikes_are_no_addresses(text: str, keep: tuple[str, ...]) -> None:
    assert_no_address_over(text, keep)


@pytest.mark.parametrize("text", [
    "I live at 12 Main Street, Springfield IL 62701",
    "ship to my store at 12 Main Street, Springfield IL 62701",  # a trader's own
    "Our office: 14 Adeola Odeku Street, Victoria Island, Lagos.",  # a person's firm, as the corpus reads it
])
def test_sixteenth_pass_people_s_addresses_stay_addresses(text: str) -> None:
    value = text.split(": ")[-1].split(" at ")[-1].rstrip(".")
    assert address_covers(text, value), [text[s.start:s.end] for s in find_pii(text) if s.kind == "ADDRESS"]


# --- issue 18, nineteenth pass: Latin-script addresses outside the anglosphere, by class (examples invented) ---

@pytest.mark.parametrize(("text", "value"), [
    # Latin America: an administrative area in lower case ("comuna de", "distrito de", "jud."), Peru's block and
    # lot ("Mz. B Lt. 12"), Colombia's plate with the cross street's side ("1 Sur-50") and its named avenues,
    # "s/n" (no number), Mexico's "Alc." and "Edo."
    ("Mi dirección: Pasaje Los Aromos 1234, Villa San Pedro, comuna de Maipú, Santiago.",
     "Pasaje Los Aromos 1234, Villa San Pedro, comuna de Maipú, Santiago"),
    ("Vivo en Población La Victoria, pasaje 3, casa 845, comuna Pedro Aguirre Cerda.",
     "pasaje 3, casa 845, comuna Pedro Aguirre Cerda"),
    ("Entregar en Mz. B Lt. 12, Urb. Los Jardines, distrito de San Juan de Lurigancho, Lima",
     "Mz. B Lt. 12, Urb. Los Jardines, distrito de San Juan de Lurigancho, Lima"),
    ("mi dirección es Cra 43A No. 1 Sur-50, Medellín", "Cra 43A No. 1 Sur-50, Medellín"),
    ("Calle 10 # 5 - 51, Cali", "Calle 10 # 5 - 51, Cali"),
    ("Av. Boyacá # 72-40 Int 5 Apto 301, Bogotá", "Av. Boyacá # 72-40 Int 5 Apto 301, Bogotá"),
    ("Dirección: Calle Hidalgo s/n, Col. Centro, 45000 Guadalajara, Jal.", "Calle Hidalgo s/n, Col. Centro, 45000 Guadalajara"),
    ("Av. Juárez No. 45 Int. 3, Alc. Coyoacán, 04000 CDMX", "Av. Juárez No. 45 Int. 3, Alc. Coyoacán, 04000 CDMX"),
    # Africa: "off" the road a street leaves, Ghana's digital address beside a house number, Egypt's "Shareh",
    # Morocco's "Imm." and "Hay", Abidjan's "tranche", Kenya's numbered lanes
    ("Please deliver to No. 14, Adebayo Close, off Allen Avenue, Ikeja, Lagos State.",
     "No. 14, Adebayo Close, off Allen Avenue, Ikeja, Lagos State"),
    ("I live at 12 Bode Thomas Street, off Adeniran Ogunsanya, Surulere, Lagos",
     "12 Bode Thomas Street, off Adeniran Ogunsanya, Surulere, Lagos"),
    ("House 5, Asylum Down, near Kwame Nkrumah Circle, Accra", "House 5, Asylum Down, near Kwame Nkrumah Circle, Accra"),
    ("My GhanaPost GPS is GA-183-8164, house no. 5, Asylum Down, Accra.", "GA-183-8164, house no. 5, Asylum Down, Accra"),
    ("My flat: 15 Shareh El Tahrir, Dokki, Giza, apartment 6", "15 Shareh El Tahrir, Dokki, Giza, apartment 6"),
    ("Mon adresse: Boulevard Zerktouni, Résidence Yasmine, Imm. B, Appt 7, Casablanca",
     "Résidence Yasmine, Imm. B, Appt 7, Casablanca"),
    ("Adresse: Cocody Angré 8e tranche, villa 45, Abidjan", "Cocody Angré 8e tranche, villa 45, Abidjan"),
    ("Address: House 12, Lane 4, Kileleshwa, Nairobi", "House 12, Lane 4, Kileleshwa, Nairobi"),
    # Europe and Turkey: "120bis", a house number's range with an en dash, Finnish "-väylä", Romanian "jud.",
    # Bulgarian "zh.k." and "vh.", Serbian "bb", Turkish "Mh.", "Blv." and a numbered "Sokak"
    ("Bezorgadres: Oude Gracht 120bis, 3511 AX Utrecht", "Oude Gracht 120bis, 3511 AX Utrecht"),
    ("Meine Adresse: Kärntner Ring 5–7/3/12, 1010 Wien, Österreich", "Kärntner Ring 5–7/3/12, 1010 Wien, Österreich"),
    ("Osoite on Hervannan valtaväylä 12 C 34, 33720 Tampere", "Hervannan valtaväylä 12 C 34, 33720 Tampere"),
    ("Livrare la Bd. Unirii nr. 5, Cluj-Napoca, jud. Cluj", "Bd. Unirii nr. 5, Cluj-Napoca, jud. Cluj"),
    ("Adres: zh.k. Mladost 1, bl. 45, vh. B, et. 3, ap. 12, Sofia 1784",
     "zh.k. Mladost 1, bl. 45, vh. B, et. 3, ap. 12, Sofia 1784"),
    ("Adresa: Kneza Miloša bb, 11000 Beograd", "Kneza Miloša bb, 11000 Beograd"),
    ("Adresa: Bulevar Mihajla Pupina bb, Novi Beograd. Tel 011 222 333", "Bulevar Mihajla Pupina bb, Novi Beograd"),
    ("Adres: Kızılay Mah. Gazi Mustafa Kemal Blv. No: 24 Daire: 9, 06420 Çankaya/Ankara",
     "Kızılay Mah. Gazi Mustafa Kemal Blv. No: 24 Daire: 9, 06420 Çankaya/Ankara"),
    ("Adresim Cumhuriyet Mahallesi 1204. Sokak No:7 Kat:2, Bornova/İzmir 35040",
     "Cumhuriyet Mahallesi 1204. Sokak No:7 Kat:2, Bornova/İzmir 35040"),
    ("Esentepe Mh. Büyükdere Cd. No:185 D:12 Şişli İstanbul", "Esentepe Mh. Büyükdere Cd. No:185 D:12 Şişli İstanbul"),
    ("Adres: Halaskargazi Cd. Safir Apt. No:45 K:3 D:7, Şişli, İstanbul",
     "Halaskargazi Cd. Safir Apt. No:45 K:3 D:7, Şişli, İstanbul"),  # a building's name, glued units
    # more shapes: Quito's "N34-120", Mérida's cross streets, Uruguay's "Bvar.", Czech "Na", Romanian "Șos.",
    # Bulgarian "bul.", Serbian "stan", an estate before units ("Villa Los Héroes", "Lot. Al Massira"),
    # Abidjan's "Ilot", South Africa's "Erf" with a bare postcode, Mexico's "Edif." and "Unidad Habitacional"
    ("Mi dirección es Av. 6 de Diciembre N34-120 y Av. Portugal, Quito", "Av. 6 de Diciembre N34-120 y Av. Portugal, Quito"),
    ("Dirección: Calle 60 #491 x 57 y 59, Centro, 97000 Mérida, Yuc.", "Calle 60 #491 x 57 y 59, Centro, 97000 Mérida"),
    ("Bvar. Artigas 1234 apto 501, 11300 Montevideo", "Bvar. Artigas 1234 apto 501, 11300 Montevideo"),
    ("Adresa: Na Příkopě 15, 110 00 Praha 1", "Na Příkopě 15, 110 00 Praha 1"),
    ("Adresa: Șos. Pantelimon nr. 245, bl. 52, sc. A, et. 8, ap. 34, sector 2, București",
     "Șos. Pantelimon nr. 245, bl. 52, sc. A, et. 8, ap. 34, sector 2, București"),
    ("Adres: bul. Vitosha 89, vh. A, et. 4, ap. 10, 1463 Sofia", "bul. Vitosha 89, vh. A, et. 4, ap. 10, 1463 Sofia"),
    ("Adresa: Vojvode Stepe 120, stan 14, 11000 Beograd", "Vojvode Stepe 120, stan 14, 11000 Beograd"),
    ("Vivo en Villa Los Héroes, Block 5, Depto 302, Maipú", "Villa Los Héroes, Block 5, Depto 302, Maipú"),
    ("Adresse: Lot. Al Massira, N° 123, Marrakech 40000", "Lot. Al Massira, N° 123, Marrakech 40000"),
    ("Adresse: Angré Château, Ilot 45, Lot 1234, Cocody, Abidjan", "Ilot 45, Lot 1234, Cocody, Abidjan"),
    ("My address is Erf 1234, Khayelitsha, 7784", "Erf 1234, Khayelitsha, 7784"),
    ("Dirección: Edif. B Depto 302, Unidad Habitacional Tlatelolco, Cuauhtémoc, CDMX",
     "Edif. B Depto 302, Unidad Habitacional Tlatelolco, Cuauhtémoc, CDMX"),
    # units and floors in lower case after the number (Hungarian, Finnish, Norwegian), Czech "č. p.", Slovak
    # "Nám.", Bulgarian "gr." before the town, a Turkish "Mahalle" and a numbered street without its full stop
    ("Címem: Petőfi Sándor u. 12. hsz. 2. em. 5. ajtó, 1052 Budapest", "Petőfi Sándor u. 12. hsz. 2. em. 5. ajtó, 1052 Budapest"),
    ("Lakcím: 8200 Veszprém, Kossuth tér 3. fszt. 2.", "8200 Veszprém, Kossuth tér 3. fszt. 2"),
    ("Osoite: Kotikatu 5 as. 12, 40100 Jyväskylä", "Kotikatu 5 as. 12, 40100 Jyväskylä"),
    ("Adresse: Bygdøy allé 5, 3. etg., 0257 Oslo", "Bygdøy allé 5, 3. etg., 0257 Oslo"),
    ("Adresa: Horní Lhota č. p. 123, 739 01 Horní Lhota", "Horní Lhota č. p. 123, 739 01 Horní Lhota"),
    ("Adresa: Nám. SNP 12, 974 01 Banská Bystrica", "Nám. SNP 12, 974 01 Banská Bystrica"),
    ("Adres: gr. Plovdiv, ul. Ivan Vazov 31, et. 3, ap. 9", "gr. Plovdiv, ul. Ivan Vazov 31, et. 3, ap. 9"),
    ("Adresim: Yeni Mahalle, 1453 Sokak No: 12/4, 07100 Muratpaşa/Antalya",
     "Yeni Mahalle, 1453 Sokak No: 12/4, 07100 Muratpaşa/Antalya"),
    # a zone's code, Nigeria's LGA, Ghana's digital address before its places, a fourth place that is the country
    ("Address: Plot 1234, Cadastral Zone A06, Wuse II, Abuja FCT", "Plot 1234, Cadastral Zone A06, Wuse II, Abuja FCT"),
    ("I stay at No 5, Ajao Estate, Isolo, Oshodi-Isolo LGA, Lagos", "No 5, Ajao Estate, Isolo, Oshodi-Isolo LGA, Lagos"),
    ("My place: AK-039-5028, Adum, Kumasi", "AK-039-5028, Adum, Kumasi"),
    ("Unit 203, Sunningdale Gardens, 14 Sunningdale Rd, Sunningdale, Johannesburg, 2192, South Africa",
     "Unit 203, Sunningdale Gardens, 14 Sunningdale Rd, Sunningdale, Johannesburg, 2192, South Africa"),
])
def test_nineteenth_pass_address_families(text: str, value: str) -> None:
    assert address_covers(text, value), [text[s.start:s.end] for s in find_pii(text) if s.kind == "ADDRESS"]


@pytest.mark.parametrize(("text", "keep"), [
    ("Hay 3 pedidos pendientes, Hay que revisar el 2 y el 5.", ("Hay 3 pedidos", "2 y el 5")),  # Spanish "hay"
    ("En el sector 4 del almacén faltan 12 cajas, la comuna nos avisó.", ("sector 4", "12 cajas")),
    ("Turn off 2 of the lights, then behind 3 doors you find the box.", ("off 2", "behind 3")),
    ("Lane 3 of the pool is closed until 5 pm.", ("Lane 3",)),
    ("Code promo GA-123-4567 ne fonctionne pas, commande 4471.", ("GA-123-4567", "4471")),
    ("Versions 5–7/3/12 of the firmware crash.", ("5–7/3/12",)),
    ("El distrito 5 ganó el partido 3 a 1.", ("distrito 5", "3 a 1")),
    ("Device S/N 12345 broke, and ok bb, 12 items", ("S/N 12345", "bb, 12")),
    ("the Av Club # 12-3 score", ("Av Club # 12-3",)),
    ("Order N34-120 shipped, ref E5-23", ("N34-120", "E5-23")),
    ("Room 5, Lagos, 2024 was a good year", ("Room 5",)),
    ("Flat 3 is near the station, 5 minutes away", ("Flat 3",)),
    ("We sold 2 x 499 kr worth, see you U 2 later", ("2 x 499 kr",)),
])
def test_nineteenth_pass_look_alikes_are_no_addresses(text: str, keep: tuple[str, ...]) -> None:
    assert_no_address_over(text, keep)


@pytest.mark.parametrize(("text", "value"), [
    # issue 18, pass 24: the value after an address's label, in many languages, where no house number or street type
    # gives it away: places, landmarks, units and floors down to the sentence's or line's end, or to prose or a field
    ("Address: Aqaba, 9th area, building 17, near the Safeway. Ref ZF-1120", "Aqaba, 9th area, building 17, near the Safeway"),
    ("Morada: Rua Rainha Ginga, Bairro Maculusso, Luanda\nObrigada", "Rua Rainha Ginga, Bairro Maculusso, Luanda"),
    ("Domicile : secteur 30, rue 30.12, porte 41, Bobo-Dioulasso. Tél. : 70 11 22 33",
     "secteur 30, rue 30.12, porte 41, Bobo-Dioulasso"),
    ("Adresse : Rés. Yasmine, Imm 3, Appt 8, Hay Nahda, Rabat 10220. Merci", "Rés. Yasmine, Imm 3, Appt 8, Hay Nahda, Rabat 10220"),
    ("Address: Thamel-26, Kathmandu, Bagmati, opposite Garden of Dreams entrance",
     "Thamel-26, Kathmandu, Bagmati, opposite Garden of Dreams entrance"),
    ("Address: Cnoc an Óir, Spiddal, Co. Galway H91 X2Y3. Go raibh maith agat", "Cnoc an Óir, Spiddal, Co. Galway H91 X2Y3"),
    ("Adresa: Nábřeží 12, byt 4, 3. patro, Zlín. Objednávka 4471.", "Nábřeží 12, byt 4, 3. patro, Zlín"),
    ("Мекенжайым: Шымкент қ., Нұрсат ы/а, 12 үй, 7 пәтер. Тел: 8 701 000 0000", "Шымкент қ., Нұрсат ы/а, 12 үй, 7 пәтер"),
    ("Հասցե՝ Վանաձոր, Տիգրան Մեծի պող. 21, բն. 6։ Շնորհակալություն", "Վանաձոր, Տիգրան Մեծի պող. 21, բն. 6"),
    ("عنواني: إربد، حي النزهة، عمارة 5، الطابق الأول. شكرا", "إربد، حي النزهة، عمارة 5، الطابق الأول"),
    ("adresa Palackého 1511/23, Praha 2, díky", "Palackého 1511/23, Praha 2"),
    ("Dirección de entrega: Barrio Altamira, del parque 1 cuadra al sur, Managua. Gracias",
     "Barrio Altamira, del parque 1 cuadra al sur, Managua"),
])
def test_pass_24_labelled_address_values(text: str, value: str) -> None:
    assert address_covers(text, value), [text[s.start:s.end] for s in find_pii(text) if s.kind == "ADDRESS"]


@pytest.mark.parametrize(("text", "keep"), [
    ("Address: same as billing, thanks. Order 55123", ("Order 55123",)),
    ("Email address: the one on file, order 55120", ("order 55120",)),
    ("Dirección: igual que la anterior, pedido 4412 por $ 12.500", ("pedido 4412", "$ 12.500")),
    ("Adresa: viz objednávka 4471, cena 1 299 Kč", ("objednávka 4471", "1 299 Kč")),
    ("address 3 bugs in build 4.2.1, see ticket QA-8812", ("3 bugs", "4.2.1", "QA-8812")),
    ("Shipping address: Berlin, Germany. Order 4412, €19.90", ("Berlin, Germany", "4412")),
    ("العنوان: غير معروف، الطلب رقم 5512", ("5512",)),
    ("Wallet address: 0x12ab34cd56ef7890, amount 0.5 ETH", ("0.5 ETH",)),
    ("Store address: 12 Harbour Road, Cape Town 8001. Open 9-5.", ("12 Harbour Road",)),  # a firm's premises
    ("Adresse: Hauptstraße 5, 10115 Berlin, ab 1. März 2025 geöffnet", ("1. März 2025",)),
    ("Dirección: SAN MARTIN 1452, ROSARIO - IMPORTE $45.300,00", ("$45.300,00",)),
])
def test_pass_24_labels_without_an_address_after_them(text: str, keep: tuple[str, ...]) -> None:
    assert_no_address_over(text, keep)


@pytest.mark.parametrize(("text", "value"), [
    ("Straße / Hausnr.: Lindenweg 7\nPLZ / Ort: 04109 Leipzig\nBestellnr.: 55120", "04109 Leipzig"),
    ("Straat + huisnummer: Kerkstraat 12\nPostcode: 2011 HK\nWoonplaats: Haarlem", "2011 HK"),
    ("Address: 4410 N Sheridan Rd Apt 1207\nCity: Chicago\nZIP: 60640", "60640"),
])
def test_pass_24_a_forms_postcode_under_its_street(text: str, value: str) -> None:
    assert address_covers(text, value), [text[s.start:s.end] for s in find_pii(text) if s.kind == "ADDRESS"]


@pytest.mark.parametrize(("text", "value"), [
    ("vivo en Calle 10 entre 21 y 23, Vedado, La Habana, pedido 4412", "Calle 10 entre 21 y 23, Vedado, La Habana"),
    ("Av. Colón 1250 entre Belgrano y Rivadavia, Mar del Plata. Pedido 5512",
     "Av. Colón 1250 entre Belgrano y Rivadavia, Mar del Plata"),
])
def test_pass_24_cross_streets(text: str, value: str) -> None:
    assert address_covers(text, value), [text[s.start:s.end] for s in find_pii(text) if s.kind == "ADDRESS"]


@pytest.mark.parametrize(("text", "value"), [
    ("I'm at Westlands, Mpaka Road, opposite Sarit Centre. Order 5512", "Westlands, Mpaka Road, opposite Sarit Centre"),
    ("im at Al Qusais, Dubai, Al Reem Building flat 304 near Lulu Hypermarket. order 99120",
     "Al Qusais, Dubai, Al Reem Building flat 304 near Lulu Hypermarket"),
])
def test_pass_24_where_someone_is_for_a_delivery(text: str, value: str) -> None:
    assert address_covers(text, value), [text[s.start:s.end] for s in find_pii(text) if s.kind == "ADDRESS"]


@pytest.mark.parametrize("text", [
    "I'm at work, 5 minutes away from the store, order 4471",
    "I am at Terminal 2, gate 14, see you soon",
    "We are at version 4.2 and the bug persists, ticket 5512",
])
def test_pass_24_being_somewhere_in_prose_is_no_address(text: str) -> None:
    assert [s for s in find_pii(text) if s.kind == "ADDRESS"] == []


def test_pass_24_between_two_numbers_in_prose_is_no_address() -> None:
    assert_no_address_over("Llega entre 3 y 5 días hábiles, pedido 4471, precio entre 300 y 500 pesos", ("3 y 5", "4471"))


def test_pass_24_a_postcode_field_without_a_street_is_no_address() -> None:
    assert_no_address_over("Card ending 4471\nZIP: 60611\nAmount: $312.00", ("60611",))


def _names(text: str) -> list[str]:
    return [text[s.start:s.end] for s in find_pii(text) if s.kind == "NAME"]


@pytest.mark.parametrize(("text", "name"), [
    ("the pax are unrelated names: CHAUDHRY/IMRAN, LIM/BOON KEAT, OYELARAN/TOBI.", "LIM/BOON KEAT"),
    ("so the ticket shows NI BHRIAIN/SIOBHAN. Is that OK?", "NI BHRIAIN/SIOBHAN"),
    ("Card holder is GARCIA, Omar; but login came from elsewhere", "GARCIA, Omar"),
    ("her passport says SANTOS DIZON, LOURDES pls fix", "SANTOS DIZON, LOURDES"),
    ("Le passeport dit MARTIN, Sophie et le billet autre chose", "MARTIN, Sophie"),
    ("Student: DE LA CRUZ, Maria Isabel", "DE LA CRUZ, Maria Isabel"),
    ("add a meal for all pax in PNR Q8ZT4N: anil sharma, sunita sharma, rohan, and my mother", "sunita sharma"),
    ("add a meal for all pax in PNR Q8ZT4N: anil sharma, sunita sharma, rohan, and my mother", "rohan"),
    ("pasajeros: jorge ramírez y lucía fernández", "lucía fernández"),
    ("Intestatario: Francesca Romano\nIndirizzo: Corso Vittorio Emanuele II 1", "Francesca Romano"),
    ("Titolare del conto: Giulia Conti", "Giulia Conti"),
    ("I'm flying out Monday and don't want to get stuck at the car rental. - Grace", "Grace"),
    ("was rebooked without my consent. Please call me. — Faisal Al Mansoori", "Faisal Al Mansoori"),
    ("Please send all correspondence to me, Nadia Rahimi, at the address below", "Nadia Rahimi"),
    ("cc: Priya Nair, Tom Becker and Aisha Bello", "Aisha Bello"),
    ("Interviewer: Prof. Hiroshi Tanaka; Panel: Dr. Ingrid Solberg und Dr. Yusuf Demir", "Yusuf Demir"),
    ("Dear Dr Okafor and Ms Lindqvist,", "Lindqvist"),
    ("my son Mateo García (student ID 2024-1187) applied", "Mateo García"),
    ("[00:01:12] Engineer Kwame: line test passed\n[00:01:30] Customer Efua: ok", "Efua"),
    ("my wife Noura Al-Shehri, and children Faisal, Reem and Lulwa.", "Faisal"),
    ("my wife Noura Al-Shehri, and children Faisal, Reem and Lulwa.", "Reem"),
    ("my wife Noura Al-Shehri, and children Faisal, Reem and Lulwa.", "Lulwa"),
    ("names: Yael Ben-David, Omer Ben-David, Noa (7), Itai (4). Thanks", "Itai"),
    ("meine Kinder Lena und Tim fliegen mit", "Tim"),
    ("mes enfants Pierre et Marie voyagent seuls", "Marie"),
    ("pour moi-même, et mon épouse Grâce Mbuyi. Merci", "Grâce Mbuyi"),
    ("hallo bin der thomas müller, nicht der fußballer", "thomas müller"),
    ("Point of contact: Latoya Jackson", "Latoya Jackson"),
    ("my partner, Gilchrist Rowe, will call", "Gilchrist Rowe"),
])
def test_tenth_pass_lists_records_and_relations_are_names(text: str, name: str) -> None:
    start = text.index(name)
    spans = [s for s in find_pii(text) if s.kind == "NAME"]
    assert all(any(s.start <= i < s.end for s in spans) for i in range(start, start + len(name)) if text[i].isalnum()), \
        _names(text)


@pytest.mark.parametrize(("text", "word"), [
    ("Kwame Asante, Operations, AshTech Ghana Ltd", "Operations"),
    ("Fiona MacLeod\nPartner, Gilchrist & Rowe LLP\n14 Queen Street", "Rowe"),
    ("ich bin Lena Hartmann, Kundennummer 55120.", "Kundennummer"),
    ("— Rodrigo Salinas Treviño, Monterrey", "Monterrey"),
    ("Anna, Berlin and Paris are on the list", "Berlin"),
    ("PLEASE, HELP me with the booking", "PLEASE"),
    ("ERROR, Warning shown twice in the app", "ERROR"),
    ("Lecę z mężem Pawłem do Tajlandii", "Tajlandii"),
    ("Regards,\nFiona MacLeod\nPartner, Gilchrist & Rowe LLP", "Gilchrist"),
    ("my card was swallowed by a cash machine bij de Albert Heijn yesterday", "Albert"),
    ("we met at the John Lewis on Oxford Street", "John"),
    ("Full name: Latoya Jackson\nReason for contact: Identity verification failed", "Identity"),
    ("names: refund, invoice and receipt are missing", "refund"),
    ("Intestatario: Banca Sella S.p.A.", "Banca"),
    ("Call me, Monday Morning, if you can", "Monday"),
    ("The router keeps rebooting. - Sent from my iPhone", "Sent"),
    ("See the update. — Customer Service", "Customer"),
    ("It seems to me, Customer Service, that nobody reads this", "Customer"),
    ("passengers: two adults, one child and an infant", "adults"),
    ("students: please bring your laptop and charger", "laptop"),
])
def test_tenth_pass_list_and_record_neighbours_that_are_no_names(text: str, word: str) -> None:
    assert not any(word in found for found in _names(text)), _names(text)


@pytest.mark.parametrize(("text", "value", "kind"), [
    # issue 18, thirteenth pass: phones with a one-digit trunk prefix, seven digits after a phone word,
    # international numbers whose groups look like a date but hold no day or month
    ("звоните заранее на 8 (999) 204-77-31, спасибо", "8 (999) 204-77-31", "PHONE"),
    ("Beni 0 (216) 555 43 21'den arayabilirsiniz", "0 (216) 555 43 21", "PHONE"),
    ("Skambino: p. Vytautas, tel. 8 686 22 519", "8 686 22 519", "PHONE"),
    ("Takk fyrir, sími 862 4471", "862 4471", "PHONE"),
    ("Tel: +52 1 33 1987 2045", "+52 1 33 1987 2045", "PHONE"),
    ("Contact: +44 29 2018 4471", "+44 29 2018 4471", "PHONE"),
    # id names the letters of the number's shape had swallowed, inflected names, "№" inside a passport number
    ("Paciente: Luz, CC 43.567.890, nacida", "43.567.890", "SSN"),
    ("Documento: TI 1.001.234.567. Nombre", "1.001.234.567", "SSN"),
    ("no ahli 300218, IC 900514-10-5523", "900514-10-5523", "SSN"),
    ("Kennitalan mín er 120885-2349.", "120885-2349", "SSN"),
    ("паспорт серии 45 12 № 678901 не прошёл", "45 12 № 678901", "SSN"),
    # after the blind measurement of holdout-23..26: SSNs in groups in a text about one, SINs, health numbers
    ("the portal rejects my dependent's SSN. i typed 521 88 3047 exactly", "521 88 3047", "SSN"),
    ("SIN (primary): 046-454-286", "046-454-286", "SSN"),
    ("Her CHI number is 1203405678.", "1203405678", "SSN"),
    ("IRD 049-091-850. Income last year", "049-091-850", "SSN"),
    ("my Visa was charged twice. The full number on my statement is 4929 1204 5532 8871.", "4929 1204 5532 8871",
     "CARD"),
])
def test_thirteenth_pass_families(text: str, value: str, kind: str) -> None:
    assert any(text[s.start:s.end] == value and s.kind == kind for s in find_pii(text)), find_pii(text)


@pytest.mark.parametrize("text", [
    "Protocolo 2024-558812. Obrigado!",  # a year and a serial number
    "case file 2025/441892 was reopened",
    "Kerry Express delivered it to the wrong door",  # a firm
    # the fourteenth pass: a firm's freephone number, a carrier's tracking number, a meter's number
    "call us free on 1-800-555-0199 or 0800 056 1122",
    "sent with FedEx 7749 2210 3384 on Monday",
    "MPRN 10 006 123 456 is on the bill",
])
def test_thirteenth_pass_look_alikes(text: str) -> None:
    assert [s for s in find_pii(text) if s.kind in ("PHONE", "NAME")] == []


# --- issue 18, sixteenth pass: the families of holdout-31 to -34's misses and false alarms ---------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Tried calling your customer care 1800-208-9898 thrice", []),  # India's 1800, a hotline word
    ("call 1860 500 5555 (Mon-Sat, 9am-6pm).", []),
    ("al cliente en el 900 102 030 (de lunes a viernes, 9:00–18:00)", []),  # Spain's freephone, opening hours
    ("Linha de apoio: 707 200 300 (dias úteis, 9h–19h).", []),
    ("chiamare il numero verde 800 900 123 oppure", []),
    ("Línea nacional 01 8000 512 030 no contesta.", []),  # Colombia
    ("llame al 55 5140 6000 (línea corporativa) en horario", []),
    ("Our ABN is 22 604 118 937 and the GST", []),  # a firm's number
    ("Policy no. 0012448177 renewal due", []),
    ("Klantnummer 611 0842 317. Bestelling", []),
    ("call me on 0412 555 019 (after 5pm)", [("PHONE", "0412 555 019")]),  # a person's, hours or not
    ("Customer: +966 55 812 3409", [("PHONE", "+966 55 812 3409")]),  # "Customer:" is the speaker
    ("ihre Nummer: 0176 4419 2283.", [("PHONE", "0176 4419 2283")]),  # "her number", not a firm's
    ("Tapos bagong number ko po 0961 220 4478.", [("PHONE", "0961 220 4478")]),  # Tagalog "po", no PO
    ("Callback no. 9123 8870. Escalated", [("PHONE", "9123 8870")]),
    ("registered number change karo 9876012345 please", [("PHONE", "9876012345")]),
])
def test_firms_lines_and_peoples_phones(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(s.kind, text[s.start:s.end]) for s in find_pii(text) if s.kind in ("PHONE", "SSN")] == expected


@pytest.mark.parametrize(("text", "name"), [
    ("Hello, my name is Mrs. Edith Pruitt and I am 81", "Mrs. Edith Pruitt"),
    ("Danke Herr Kowalczyk, ist eingetragen.", "Herr Kowalczyk"),
    ("Beller: mevr. Anouk Smits, geb. 04-09-1996", "mevr. Anouk Smits"),
    ("Appel entrant 14h12 – Mme Fatima Benali, née le", "Mme Fatima Benali"),
])
def test_a_title_is_redacted_with_its_name(text: str, name: str) -> None:
    assert name in [text[s.start:s.end] for s in find_pii(text) if s.kind == "NAME"]


@pytest.mark.parametrize("text", [
    "Tom Berglund | Berglund Plumbing & Heating",
    "Business: Ibarra Landscaping LLC",
    "Nate Osei\nOsei Auto Repairs",
    "Gary Tan\nTan Family Farms\nCell",
])
def test_small_firms_named_after_their_owners_are_no_names(text: str) -> None:
    firm = text.rsplit("\n", 1)[-1] if "Cell" not in text else "Tan Family Farms"
    firm = firm.split(": ")[-1].split(" | ")[-1]
    names = [text[s.start:s.end] for s in find_pii(text) if s.kind == "NAME"]
    assert not any(firm.split()[1] in name for name in names), names


@pytest.mark.parametrize(("text", "number"), [
    ("my tax file number got entered wrong. it should be 328 269 197 not 328 296 197.", "328 296 197"),
    ("client Raj Mehta, TFN 771 954 658. It crashes", "771 954 658"),
])
def test_tax_file_numbers_in_a_text_about_one(text: str, number: str) -> None:
    assert ("SSN", number) in [(s.kind, text[s.start:s.end]) for s in find_pii(text)]


def test_a_card_typed_with_a_digit_left_out_after_a_card_word() -> None:
    text = "I mistyped my card number in checkout, I wrote 4917 6100 0000 123 instead"
    assert [(s.kind, text[s.start:s.end]) for s in find_pii(text)] == [("CARD", "4917 6100 0000 123")]


@pytest.mark.parametrize(("text", "expected"), [
    ("Tracking says (1Z 999 AA1 01 2345 6784) but", []),  # a code glued before the digit groups
    ("zásilka Zásilkovna Z 3318 447 291 je na depu", []),
    ("Bot: Please enter your order number.\nUser: 4471-9920-55\nBot: Thanks!", []),  # the answer to an id question
    ("Agent: Can I get the order number?\nCustomer: 204-8873312-55", []),
    ("shipment AWB 176-88231904 from Lagos", []),
    ("Police ref is 23/48812/24. Asset tag", []),
    ("Meu pedido é o 8820-114-55 e o endereço", []),
    ("CALL ME AT 416 555 0172 TODAY.", [("PHONE", "416 555 0172")]),  # capitals are no code
    ("Voicemail, caller ID +44 7700 900481: hi", [("PHONE", "+44 7700 900481")]),
    ("Phone number on the account is (312) 555-0187. The PIN", [("PHONE", "(312) 555-0187")]),
    ("abriu o pedido #PT-20399.\nContacto: 912 345 867 | mariana", [("PHONE", "912 345 867")]),
])
def test_codes_and_answers_to_id_questions_are_no_phones(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(s.kind, text[s.start:s.end]) for s in find_pii(text) if s.kind in ("PHONE", "CARD", "SSN")] == expected


@pytest.mark.parametrize(("text", "iban"), [
    ("O débito direto continua na conta PT50 0035 0651 0000 1234 5678 9.", "PT50 0035 0651 0000 1234 5678 9"),
    ("dubbele incasso van rekening NL20 INGB 0007 3419 62. Terugstorting", "NL20 INGB 0007 3419 62"),
    ("auf CH760900000304851276 überweisen", "CH760900000304851276"),  # compact, a character short, valid
])
def test_ibans_with_a_typo_after_an_account_word(text: str, iban: str) -> None:
    assert [(s.kind, text[s.start:s.end]) for s in find_pii(text)] == [("IBAN", iban)]


def test_card_issuer_ranges() -> None:
    assert not luhn_valid("2025031899201") or not any(s.kind == "CARD" for s in find_pii("protocolo 2025031899201 ok"))
    assert [s.kind for s in find_pii("card 2223 0000 4841 0010")] == ["CARD"]  # Mastercard's 2-series


@pytest.mark.parametrize(("text", "kept"), [
    ("Dear Sirs, Tudor & Bevan LLP wrote to us", "Tudor"),
    ("Anita Bose, Bose & Co Accounting", "Co Accounting"),
    ("The taxi firm is Willie's Cabs, driver was", "Willie"),
    ("Restaurant: Mama Rosa's Trattoria (store ID 55821)", "Rosa"),
])
def test_a_name_that_begins_a_firms_name_is_left(text: str, kept: str) -> None:
    redacted = redact(text)
    assert kept in redacted


@pytest.mark.parametrize(("text", "name"), [
    ("Zoals per Dewi's mail van gisteren", "Dewi"),
    ("my daughter Zoya's school messages", "Zoya"),
])
def test_a_persons_possessive_is_still_a_name(text: str, name: str) -> None:
    assert name in [text[s.start:s.end] for s in find_pii(text) if s.kind == "NAME"]


# --- issue 18, seventeenth pass: holdout-35 to -38's families ---------------------------------------------------

@pytest.mark.parametrize(("text", "number"), [
    ("¿Me pasás tu DNI para buscar la cuenta?\nCliente: 32.581.904\nAgente: gracias", "32.581.904"),  # asked, answered
    ("Ghana Card: GHA-721934085-3\nPhone", "GHA-721934085-3"),
    ("客服备注：用户 陈丽华 申请实名认证失败，身份证号 31010419920721284X 与姓名不匹配", "31010419920721284X"),
    ("客服紀錄：黃志明先生（身分證字號 H103379751）來電", "H103379751"),  # Taiwan, checked
    ("הערת נציג: הלקוחה מיכל כהן, ת.ז. 044372340, ביקשה", "044372340"),
    ("Iqama no. 2448337457, name Maria Santos", "2448337457"),
    ("Civil ID: 288031204517\nPhone", "288031204517"),
    ("رقم البطاقة الوطنية: AB123987\nتاريخ", "AB123987"),
    ("PAN for the invoice is ARVPK6612M.", "ARVPK6612M"),  # a lettered id after an order word
    ("my employer asked for my My Number for payroll. It's 1580 2578 1816. My name", "1580 2578 1816"),
])
def test_more_countries_ids(text: str, number: str) -> None:
    assert ("SSN", number) in [(s.kind, text[s.start:s.end]) for s in find_pii(text)]


@pytest.mark.parametrize("text", [
    "DNI: 32.456.789\nLínea: 11 4567-8910\nDetalle: factura",  # a form's next line answers nothing
    "Name: Patrick\nPhone: +44 7700 900125\nOrder number: 7781-0029\nCategory: Missing item",
])
def test_a_forms_lines_are_no_answers(text: str) -> None:
    kinds = {(s.kind, text[s.start:s.end]) for s in find_pii(text)}
    assert not any(kind == "SSN" and value.startswith("11 ") for kind, value in kinds)
    assert ("PHONE", "7781-0029") not in kinds


@pytest.mark.parametrize(("text", "phone"), [
    ("Na Emeka dey talk, number 08126647093.", "08126647093"),
    ("العنوان: الرباط. الهاتف 0662187340", "0662187340"),
    ("- Kehinde 08034410977", "08034410977"),
    ("Chatbot: Hi! Please share your registered mobile number.\nUser: 9820147735\nChatbot: thanks", "9820147735"),
])
def test_compact_mobiles_and_answers(text: str, phone: str) -> None:
    assert ("PHONE", phone) in [(s.kind, text[s.start:s.end]) for s in find_pii(text)]


@pytest.mark.parametrize(("text", "phone"), [
    ("رقم الجوال ٠١٠٩٨٧٢٣٤١٥ شكرا", "٠١٠٩٨٧٢٣٤١٥"),  # Arabic-Indic digits
    ("মোবাইল: ০১৭১২-৩৪৫৬৭৮", "০১৭১২-৩৪৫৬৭৮"),  # Bengali digits
    ("電話番号：０９０－１２３４－５６７８", "０９０－１２３４－５６７８"),  # full-width digits and hyphens
    ("appelez-moi au 06\u00a012\u00a034\u00a056\u00a078", "06\u00a012\u00a034\u00a056\u00a078"),  # no-break spaces
    ("tlf 28 45 61 93", "28 45 61 93"),
    ("my phone number is 9123 4567", "9123 4567"),
    ("телефон: 8 912 345-67-89", "8 912 345-67-89"),
    ("携帯電話番号は090-1234-5678です", "090-1234-5678"),
    ("전화번호는 010-1234-5678입니다", "010-1234-5678"),
    ("请打我的手机13800138000", "13800138000"),
    ("โทรศัพท์มือถือ 0812345678", "0812345678"),
    ("sđt của tôi là 0971602358", "0971602358"),
    ("ΤΗΛ 6941234567", "6941234567"),
    ("mi número de celular es 55 1234 5678", "55 1234 5678"),
    ("0244123456 (mobile)", "0244123456"),
    ("9123 4567 is my cell", "9123 4567"),
    ("98765 43210 - WhatsApp", "98765 43210"),
    ("13800138000（手机）", "13800138000"),
])
def test_phones_after_the_worlds_phone_words_and_in_any_scripts_digits(text: str, phone: str) -> None:
    assert ("PHONE", phone) in [(s.kind, text[s.start:s.end]) for s in find_pii(text)]


@pytest.mark.parametrize("text", [
    "telefon 2024-05-01 kaputt", "phone case SKU 88451209", "手机订单号 2024050112345", "Tel Aviv 6311703, Israel",
    "Tel. Hotline 0800 123 4567", "Mobile order #12345678 not delivered", "hotel 12345678",
    "12345678 is my order number", "order 12345678 (mobile app)",
])
def test_a_phone_word_before_another_things_number_makes_no_phone(text: str) -> None:
    assert "PHONE" not in [s.kind for s in find_pii(text)]


def test_card_ranges_leave_a_chinese_id() -> None:
    text = "身份证号 31010419920721284X 与姓名不匹配"
    assert [s.kind for s in find_pii(text)] == ["SSN"]


@pytest.mark.parametrize(("text", "name"), [
    ("收货人：王晓明\n手机：138 1062 7788", "王晓明"),
    ("我叫李浩", "李浩"),
    ("黃志明先生（身分證字號", "黃志明"),
    ("お客様（中村 恵子様、昭和45年生まれ）", "中村 恵子"),
    ("받는 사람: 김민준\n주소", "김민준"),
    ("아이 이름은 윤서준이고 저는 엄마 윤미경입니다.", "윤미경"),
    ("[통화 요약] 정태호 고객님 (생년월일", "정태호"),
    ("الاسم: منى إبراهيم حسن\nالموبايل", "منى إبراهيم حسن"),
    ("שם: יוסי לוי\nטלפון", "יוסי לוי"),
    ("Име и презиме: Милош Јовановић\nЈМБГ: 1403987710340", "Милош Јовановић"),
])
def test_names_in_scripts_without_capitals(text: str, name: str) -> None:
    assert name in [text[s.start:s.end] for s in find_pii(text) if s.kind == "NAME"]


@pytest.mark.parametrize("text", [
    "العميل: السلام عليكم، أنا",
    "الاسم الكامل: خديجة",
    "성함 확인 부탁드립니다.",
    "与姓名不匹配",
    "息子さん（",
])
def test_words_after_those_cues_are_no_names(text: str) -> None:
    names = [text[s.start:s.end] for s in find_pii(text) if s.kind == "NAME"]
    assert not any(word in " ".join(names) for word in ("السلام", "الكامل", "확인", "不匹配", "息子")), names


# --- issue 18, sixteenth pass, addresses of holdout-35 to holdout-38 (Africa, Eastern Europe, the UK and Ireland,
# East Asia and the Middle East) -----------------------------------------------------------------------------

def _addresses(text: str) -> list[str]:
    return [text[s.start:s.end] for s in find_pii(text) if s.kind == "ADDRESS"]


@pytest.mark.parametrize("address", [
    "北京市海淀区中关村大街27号院5号楼802室",  # compound, building and room after the house number
    "上海市浦东新区世纪大道 100号 环球金融中心 3栋 2201",  # spaced, a building's name between
    "台中市西屯區台灣大道三段 99 巷 8 號 5 樓",  # lane, number and floor spaced out
    "新北市板橋區文化路一段 20 號 7 樓之 3",  # "之 3": a flat of the floor
])
def test_chinese_addresses_run_through_building_floor_and_room(address: str) -> None:
    assert _addresses(f"地址：{address}\n谢谢") == [address]


@pytest.mark.parametrize("address", [
    "25 زنقة الزيتون، حي السلام، فاس",  # Moroccan: house number, street, district, town
    "حي الملقا، شارع أنس بن مالك، مبنى 812، الرياض 13521",  # Saudi: district, street, building, town and postcode
    "شقة 3، مبنى 14، شارع 340، منطقة 56، الدوحة",  # Qatari: flat, building, street, zone, town
])
def test_arabic_addresses_by_their_street_and_building_words(address: str) -> None:
    assert _addresses(f"العنوان: {address}. شكرا") == [address]


def test_arabic_amounts_and_order_numbers_are_no_address() -> None:
    assert _addresses("برجاء تحويل مبلغ 3,400 جنيه للطلب 55210 على الحساب") == []


@pytest.mark.parametrize("address", [
    "гр. Варна, ул. „Цар Симеон I“ № 12, ет. 2, ап. 5",  # Bulgarian, a quoted street name
    "гр. Бургас, ж.к. „Изгрев“, бл. 17, вх. А, ап. 40",  # Bulgarian housing estate, block, entrance
    "Булевар ослобођења 12, стан 4, 21000 Нови Сад",  # Serbian, a genitive in lower case
    "Самара, ул. Ленина, д. 5, кв. 12",  # Russian, the town first
])
def test_cyrillic_addresses_by_their_markers(address: str) -> None:
    assert _addresses(f"Адрес: {address}\nТел.") == [address]


@pytest.mark.parametrize("text", [
    "В 2024 г. я купил, с. 5 сказано",  # a year's and a page's abbreviations
    "Получатель: Соколова Анна Ивановна, г. Тверь, ул. Советская, д. 3",  # the patronymic stays out
])
def test_cyrillic_abbreviations_alone_are_no_address(text: str) -> None:
    assert all("Ивановна" not in a and "купил" not in a for a in _addresses(text))


@pytest.mark.parametrize(("text", "address"), [
    ("Ieva Petraitė\nGedimino pr. 45-12, LT-01109 Vilnius\n+370", "Gedimino pr. 45-12, LT-01109 Vilnius"),
    ("Adrese: Elizabetes iela 21-3, Rīga, LV-1010. Tālr.", "Elizabetes iela 21-3, Rīga, LV-1010"),
    ("Marko Petrović\nBulevar despota Stefana 12, 11000 Beograd\ntel.", "Bulevar despota Stefana 12, 11000 Beograd"),
    ("Client: Ionescu Maria, Calea Victoriei 155, ap. 3, București\nAgent", "Calea Victoriei 155, ap. 3, București"),
])
def test_baltic_and_balkan_streets(text: str, address: str) -> None:
    assert _addresses(text) == [address]


def test_a_ticket_with_a_baltic_countrys_letters_is_no_address() -> None:
    assert _addresses("ticket LT-12345 is open") == []


def test_irish_street_without_number_and_eircode() -> None:
    text = "[10:44] Customer: D02 XY45, 7 Cois Abhann, Bóthar an Chalaidh, Rinn Mhic Ragnaill\n[10:45] Customer: ok"
    assert _addresses(text) == ["D02 XY45, 7 Cois Abhann, Bóthar an Chalaidh, Rinn Mhic Ragnaill"]
    assert _addresses("We walked down Bóthar na Trá yesterday.") == []


def test_ghana_digital_address_after_the_address_and_after_its_label() -> None:
    text = "Deliver to House No. 9, Ring Road, Osu, Accra (GPS: GA-045-1123). Call me."
    assert _addresses(text) == ["House No. 9, Ring Road, Osu, Accra (GPS: GA-045-1123"]
    assert _addresses("My GhanaPost GPS is AK-484-9321 thanks") == ["AK-484-9321"]
    assert _addresses("order SA-774-1204 is late") == []


@pytest.mark.parametrize(("text", "address"), [
    ("She lives with me at Plot 7, Bodija GRA, Ibadan.\n\nThanks", "Plot 7, Bodija GRA, Ibadan"),
    ("My address is Westlands, Waiyaki Way, Apt 2B, Nairobi, not the office.", "Westlands, Waiyaki Way, Apt 2B, Nairobi"),
])
def test_nigerian_estates_and_kenyan_districts_first(text: str, address: str) -> None:
    assert _addresses(text) == [address]


@pytest.mark.parametrize("text", [
    "Kind regards\nBrandt Logistik GmbH · Speicherstraße 4 · 28217 Bremen · Tel. 0421 1234",
    "Jane Roe, Esq.\nRoe & Partners LLP | 200 Pine St, Suite 400, San Francisco, CA 94104 | Main: (415) 555-0100",
    "Cordialement\n8 rue Lafayette, 75009 Paris – TVA FR 12 345 678 901",
    "Üdvözlettel\nKovex Kft. | 1052 Budapest, Váci utca 10.\n+36 1 555 0100",
])
def test_a_firms_letterhead_line_is_no_personal_address(text: str) -> None:
    assert _addresses(text) == []


@pytest.mark.parametrize(("text", "address"), [
    ("Rechnung an: Brandt GmbH, z. Hd. Frau Dr. Eva Kühn, Speicherstraße 4, 28217 Bremen. Danke",
     "Speicherstraße 4, 28217 Bremen"),  # a person to deliver to between the firm and the address
    ("Licence for Bay Builders Ltd runs out Friday. Site is 4 Leith Walk, Edinburgh EH6 8NS. OK?",
     "4 Leith Walk, Edinburgh EH6 8NS"),  # the firm in another sentence
    ("Customer Marko Horvat (OIB 51022874930). Address on file: Ilica 85, 10000 Zagreb.", "Ilica 85, 10000 Zagreb"),
])
def test_a_firm_or_tax_word_further_away_leaves_the_address(text: str, address: str) -> None:
    assert address in "".join(_addresses(text)) or any(address in a for a in _addresses(text))


def test_pyap_address_stops_at_the_line_break_after_its_postcode() -> None:
    text = "Regards,\nAmy Lowe\n8 Hazel Road, Withington, Manchester M20 4XY\n07700 900123"
    assert _addresses(text) == ["8 Hazel Road, Withington, Manchester M20 4XY"]
    assert [s.kind for s in find_pii(text)].count("PHONE") == 1


@pytest.mark.parametrize(("text", "address"), [
    ("Adresse : Rue Royale 120, boîte 3, 1000 Bruxelles\nGSM", "Rue Royale 120, boîte 3, 1000 Bruxelles"),
    ("Domicile : 8, avenue Molière, boite 2, 1190 Forest.", "8, avenue Molière, boite 2, 1190 Forest"),
])
def test_belgian_box_of_a_block_of_flats(text: str, address: str) -> None:
    assert any(address in a for a in _addresses(text))


def test_a_french_label_before_its_spaced_colon_stays() -> None:
    text = "Domicile : 8, avenue Molière, 1190 Forest.\nAdresse : Rue Royale 120, boîte 3, 1000 Bruxelles"
    assert [a.rstrip(".") for a in _addresses(text)] == ["8, avenue Molière, 1190 Forest",
                                                         "Rue Royale 120, boîte 3, 1000 Bruxelles"]


@pytest.mark.parametrize(("text", "kind", "value"), [
    ("email saya rina titik wijaya at gmail dot com ya", "EMAIL", "rina titik wijaya at gmail dot com"),
    ("emailul meu: ana punct moldovan arond gmail punct com", "EMAIL", "ana punct moldovan arond gmail punct com"),
    ("KH: so the 5399 6684 8007 522\nNV: da", "CARD", "5399 6684 8007 522"),  # Vietnamese "số thẻ", unaccented
])
def test_seventeenth_pass_spellings_and_card_words(text: str, kind: str, value: str) -> None:
    assert (kind, value) in [(s.kind, text[s.start:s.end]) for s in find_pii(text)]


@pytest.mark.parametrize("text", [
    "Mon numéro de client est le 700-4412-86.",
    "Número de cuenta 0042-7718-33. Pueden llamarme",
    "Group # 00718342 (Hartwell Logistics)",
    "(Vertragskonto 1.1234.5678) per Ende Dezember",
])
def test_account_numbers_named_in_other_languages_are_no_phones(text: str) -> None:
    assert [s.kind for s in find_pii(text) if s.kind == "PHONE"] == []


@pytest.mark.parametrize(("text", "number"), [
    ("CNI number given: 2 751 1992 01438. Date", "2 751 1992 01438"),  # Senegal
    ("N° de sécurité sociale : 1 67 05 75 114 089 40\nN° de contrat", "1 67 05 75 114 089 40"),  # no card
    ("His Medicare number is 4TG7-KX2-WN61 and", "4TG7-KX2-WN61"),  # US MBI
    ("Verified via ITIN 912-78-4410 and DOB", "912-78-4410"),
    ("Thai ID 1-1017-00482-35-7, date", "1-1017-00482-35-7"),
    ("NPWP saya 09.254.294.3-407.000 jika", "09.254.294.3-407.000"),
    ("CRN 308 452 197A. Name", "308 452 197A"),  # Centrelink
])
def test_ids_after_the_seventeenth_pass(text: str, number: str) -> None:
    assert ("SSN", number) in [(s.kind, text[s.start:s.end]) for s in find_pii(text)]


@pytest.mark.parametrize(("text", "date"), [
    ("Nací el 12 de junio de 1985.", "12 de junio de 1985"),
    ("Tanggal Lahir: 22 Maret 1985\nAlamat", "22 Maret 1985"),
    ("Tarikh lahir 21 Julai 1988.", "21 Julai 1988"),
    ("KH xac nhan ngay sinh 19/06/2000. Da gui", "19/06/2000"),
    # issue 18, twentieth pass: Northern and Central Europe's months and words, and the star before a birth date
    ("Jag är född den 12 maj 1985 i Umeå", "12 maj 1985"),
    ("född 12 augusti 1979", "12 augusti 1979"),
    ("Olen syntynyt 12. maaliskuuta 1985.", "12. maaliskuuta 1985"),
    ("datum narození: 12. března 1985", "12. března 1985"),
    ("rojstni datum: 12. 3. 1985", "12. 3. 1985"),
    ("geboren am 3. Jänner 1961 in Graz", "3. Jänner 1961"),
    ("Erika Muster (* 12.03.1985) wohnt", "12.03.1985"),
    ("Erika Muster, * 12.03.1985, Berlin", "12.03.1985"),
])
def test_birth_dates_in_more_languages(text: str, date: str) -> None:
    assert ("DOB", date) in [(s.kind, text[s.start:s.end]) for s in find_pii(text)]


@pytest.mark.parametrize("text", ["Menge 3 * 12.03.1985 Stück", "Termine:\n* 12.03.2019 Vertrag", "Maj 2019 release"])
def test_a_star_or_a_month_alone_is_no_birth_date(text: str) -> None:
    assert [s for s in find_pii(text) if s.kind == "DOB"] == []


@pytest.mark.parametrize(("text", "iban"), [
    ("IBAN: DE 89 3704 0044 0532 0130 00 bitte", "DE 89 3704 0044 0532 0130 00"),  # a space after the country
    ("IBAN DE89.3704.0044.0532.0130.00.", "DE89.3704.0044.0532.0130.00"),  # dots
    ("IBAN NL91  ABNA  0417  1643  00 graag", "NL91  ABNA  0417  1643  00"),  # two spaces
    ("konto de89 370 400 440 532 013 000 danke", "de89 370 400 440 532 013 000"),  # lower case, threes
    ("IBAN\tDE89\t3704\t0044\t0532\t0130\t00\tBIC", "DE89\t3704\t0044\t0532\t0130\t00"),  # tabs (pass 24)
    ("Meine IBAN lautet DE89 3704 0044\n0532 0130 00, danke", "DE89 3704 0044\n0532 0130 00"),  # wrapped
    ("IBAN FR76 3000 6000 0112\r\n3456 7890 189", "FR76 3000 6000 0112\r\n3456 7890 189"),
    ("IBAN : FR76/3000/6000/0112/3456/7890/189", "FR76/3000/6000/0112/3456/7890/189"),  # slashes
    ("Proszę o zwrot na nr konta 61 1090 1014 0000 0712 1981 2874.", "61 1090 1014 0000 0712 1981 2874"),  # NRB
    ("numer rachunku: 61109010140000071219812874", "61109010140000071219812874"),
])
def test_ibans_spaced_and_dotted_oddly(text: str, iban: str) -> None:
    assert ("IBAN", iban) in [(s.kind, text[s.start:s.end]) for s in find_pii(text)]


@pytest.mark.parametrize("text", [
    "nr konta 62 1090 1014 0000 0712 1981 2874",  # a typo: the NRB's check digits fail
    "tracking 61109010140000071219812875 shipped",
    "Rechnung 2024/0311/0044\n0532 Artikel",
    "DE89 ist die Filiale, Termin 12/03/2024",
])
def test_what_only_looks_like_a_wrapped_or_domestic_iban_is_kept(text: str) -> None:
    assert [s for s in find_pii(text) if s.kind == "IBAN"] == []


def test_the_report_names_a_missing_corpus(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["/no/such/corpus.jsonl"])
    assert exit_info.value.code == 2
    assert "no such corpus file: /no/such/corpus.jsonl" in capsys.readouterr().err


# --- address families of holdout-39 to -42 (Thai, Vietnamese, "-bis" house numbers, dates and phones no addresses)


@pytest.mark.parametrize(("text", "address"), [
    ("ส่งของที่ 7/21 หมู่ 5 ถ.มิตรภาพ ต.ในเมือง อ.เมือง จ.ขอนแก่น 40000 โทร", "7/21 หมู่ 5 ถ.มิตรภาพ ต.ในเมือง อ.เมือง จ.ขอนแก่น 40000"),
    ("ที่อยู่ 99 ซอยสุขุมวิท 31 แขวงคลองเตยเหนือ เขตวัฒนา กรุงเทพฯ 10110 ค่ะ",
     "99 ซอยสุขุมวิท 31 แขวงคลองเตยเหนือ เขตวัฒนา กรุงเทพฯ 10110"),
    ("Giao hang den 45 Le Loi, P.Ben Nghe, Q.1, TP.HCM nhe", "45 Le Loi, P.Ben Nghe, Q.1, TP.HCM"),
    ("Toi o 25/3B Nguyễn Trãi, P.3, Q.5, TP.HCM.", "25/3B Nguyễn Trãi, P.3, Q.5, TP.HCM"),
    ("I'm staying at 27 Trần Phú, Lộc Thọ, Nha Trang until Monday.", "27 Trần Phú, Lộc Thọ, Nha Trang"),
    ("Mijn nieuwe adres: Prinsengracht 90-ter, 1015 DZ Amsterdam.", "Prinsengracht 90-ter, 1015 DZ Amsterdam"),
    ("Kundin, geb. 14/03/1979, 12 rue des Lilas, 75011 Paris, Tel", "12 rue des Lilas, 75011 Paris"),
    ("wir ziehen von der Lindenstraße 4 in 49074 Osnabrück um.", "Lindenstraße 4 in 49074 Osnabrück"),
    ("Ik woon sinds maart Kerkstraat 5 te 3581 RD Utrecht.", "Kerkstraat 5 te 3581 RD Utrecht"),
    ("Adresse : Cité Sotrac, Villa 27, Mermoz, Dakar. Merci", "Cité Sotrac, Villa 27, Mermoz, Dakar"),
])
def test_addresses_of_holdout_39_to_42_families(text: str, address: str) -> None:
    assert any(address in a for a in _addresses(text))
    assert not any("1979" in a for a in _addresses(text))


@pytest.mark.parametrize("text", [
    "Please fax the form to 555-0199 before Friday.",
    "Vérif identité OK (date de naissance 17/08/1985, CP 69003). Rappel prévu",
    "ราคา 350 บาท หมู่ 3 ค่ะ",
    "see the Q.A. team and P.S. notes for 12 items",
    "Nous avons visité la Cité des Sciences le 12 mai avec 3 enfants.",
])
def test_postcode_shapes_and_thai_prose_are_no_addresses(text: str) -> None:
    assert _addresses(text) == []


@pytest.mark.parametrize("text", [
    "For enquiries call 0700 9999 678 or visit www.dstvafrica.com.",  # Nigeria's 0700
    "Queries: 0860 99 88 77. This is an automated message",  # South Africa's 0860
    "全国服务热线 400-820-5566（免费），工作时间 9:00-21:00。",  # China's 400 after a hotline word
    "Pos Malaysia customer line 1-300-300-300 given to customer.",
    "Tổng đài hỗ trợ: 1900 232 461. Phiếu bảo hành",  # Vietnam's 1900
    "Гаряча лінія 0 800 300 545 не відповідає",
])
def test_more_countries_firms_lines_are_no_phones(text: str) -> None:
    assert [s.kind for s in find_pii(text) if s.kind == "PHONE"] == []


def test_a_pakistani_mobile_is_no_uk_firms_number() -> None:
    text = "Customer: 0333 5129884\nAgent: Thank you"
    assert [(s.kind, text[s.start:s.end]) for s in find_pii(text)] == [("PHONE", "0333 5129884")]


# --- issue 18, nineteenth pass: names and addresses written in their own scripts (core/script_names.py) ---------

@pytest.mark.parametrize(("text", "name"), [
    # introductions and name fields, per language
    ("สวัสดีครับ ผมชื่อธนากร รุ่งเรืองครับ ติดต่อ 081-234-5678", "ธนากร รุ่งเรือง"),
    ("ชื่อผู้รับ: พิมพ์ชนก ศรีสวัสดิ์ เบอร์ 089-000-1111", "พิมพ์ชนก ศรีสวัสดิ์"),
    ("Добрый день! Меня зовут Евгений Соколов, пишу по поводу возврата.", "Евгений Соколов"),
    ("Мене звати Оксана Гнатюк, замовлення 5521.", "Оксана Гнатюк"),
    ("Καλησπέρα, με λένε Νίκο Παππά και έχω θέμα με την παραγγελία.", "Νίκο Παππά"),
    ("שלום, שמי רונית גבאי ואני רוצה לבטל את ההזמנה.", "רונית גבאי"),
    ("আমার নাম তানভীর হাসান, অর্ডার নম্বর 5521", "তানভীর হাসান"),
    ("என் பெயர் கார்த்திக் ராஜா, ஆர்டர் 4410", "கார்த்திக் ராஜா"),
    ("제 이름은 한예린입니다. 주문 확인 부탁드려요", "한예린"),
    ("Em tên là Vũ Thị Hằng, em muốn đổi địa chỉ giao hàng.", "Vũ Thị Hằng"),
    ("toi ten la Bui Quang Huy, don hang 8812 chua giao", "Bui Quang Huy"),
    # titles and honorifics before the name
    ("ลูกค้า คุณประเสริฐ ทองมา แจ้งเปลี่ยนที่อยู่", "ประเสริฐ ทองมา"),
    ("Уважаемая Галина Сергеевна, ваш заказ готов.", "Галина Сергеевна"),
    ("Ευχαριστούμε τον κ. Ραφαηλίδη για την υπομονή.", "κ. Ραφαηλίδη"),
    ("הלקוחה גב' שירן אוחיון התקשרה שוב.", "גב' שירן אוחיון"),
    ("السيدة ريم الدوسري طلبت استرجاع المبلغ", "السيدة ريم الدوسري"),
    ("श्रीमती कविता जोशी ने शिकायत दर्ज की है", "श्रीमती कविता जोशी"),
    ("Dạ em cảm ơn chị Ngân, em đã ghi nhận.", "Ngân"),
    # titles after the name; nicknames
    ("请转告孙经理，明天发货。", "孙"),
    ("配達員の「ケンジ」さんから電話がありました。", "ケンジ"),
    # speaker labels
    ("[쿠팡 상담사 윤하늘] 주문번호 확인했습니다.", "윤하늘"),
    ("ลูกค้า: บัตรหาย\nเจ้าหน้าที่ (แพร): รับทราบค่ะ", "แพร"),
    ("Оператор Светлана: Добрый день! Чем помочь?", "Светлана"),
    ("[10:02] خدمة العملاء - ريم: مرحبا، كيف أساعدك؟", "ريم"),
    ("Nhân viên Hoa: Dạ em chào anh ạ", "Hoa"),
    ("客服小赵：您好，请问有什么可以帮您？", "小赵"),
    ("Agent 정민호: 네 고객님, 확인했습니다.", "정민호"),
    # signatures under closing words
    ("Заказ не пришёл.\nС уважением,\nВиктор Лебедев", "Виктор Лебедев"),
    ("Παρακαλώ ενημερώστε με.\nΜε εκτίμηση,\nΣοφία Καραγιάννη", "Σοφία Καραγιάννη"),
    ("ההזמנה לא הגיעה.\nבברכה,\nעמית פרידמן", "עמית פרידמן"),
    ("الطلب لم يصل بعد.\nمع التحية،\nسلطان الشمري", "سلطان الشمري"),
    ("비밀번호 초기화 부탁드립니다.\n감사합니다.\n오세훈 드림", "오세훈"),
    # a family name known: alone in English text, a Japanese surname and given name, a Korean answer
    ("My mother 赵淑芬 will collect the parcel on Friday.", "赵淑芬"),
    ("お世話になっております。高橋 由美子と申します。", "高橋 由美子"),
    ("[상담원] 성함 말씀해주세요\n[고객] 강예준이고요 생년월일은", "강예준"),
    ("User: 배수아요.", "배수아"),
    ("客服备注：用户 林晓燕 申请退款", "林晓燕"),
    ("我同事周建华说明天来取。", "周建华"),
    ("المرسل هو أخي فيصل. رقمي", "فيصل"),
    ("敬具\n渡辺雅人", "渡辺雅人"),
    ("王女士您好，您的包裹已经发出。", "王"),
    ("您好，我姓黄，订单号是 88123。", "黄"),
    ("你好，我係何家豪，想查詢訂單。", "何家豪"),
    ("お客様の井上健二様より問い合わせがありました。", "井上健二"),
    # a speaker label that is a name alone, opening two lines
    ("刘洋：你好，我的订单没到\n客服：请提供订单号\n刘洋：12345", "刘洋"),
    ("Тимур: Добрый день!\nКлиент: Здравствуйте\nТимур: Чем помочь?", "Тимур"),
    ("陳生，你好，你的訂單已經寄出。", "陳"),
    ("서연 씨가 어제 전화했어요", "서연"),
    ("معك سارة من خدمة العملاء، كيف أقدر أساعدك؟", "سارة"),
    ("名前は佐藤花子です。よろしくお願いします。", "佐藤花子"),
    ("안녕하세요 김민수라고 합니다", "김민수"),
    ("xin chao, toi ten la Do Van Khoa, don hang bi tre", "Do Van Khoa"),
    ("Клієнт: 096 330 41 18, тарас\nОператор Ірина: Шановний Тарасе, послугу відключено", "тарас"),
    ("Shipper tên Hải gọi em mà không nghe máy.", "Hải"),
    ("ผู้ส่ง: วรรณา ศรีทอง\nผู้รับ: ประยุทธ ทองดี", "วรรณา ศรีทอง"),
    ("أخوكم سعد القحطاني", "سعد القحطاني"),
    ("Поздрави,\nДесислава Петрова", "Десислава Петрова"),
])
def test_nineteenth_pass_names_in_their_scripts(text: str, name: str) -> None:
    found = [text[s.start:s.end] for s in find_pii(text) if s.kind == "NAME"]
    assert any(name in value and len(value) <= len(name) + 8 for value in found), found


@pytest.mark.parametrize("text", [
    "คุณจะได้รับเงินคืนภายใน 7 วันทำการ ขอบคุณค่ะ",
    "ขอบคุณครับ\nทีมงานซัพพอร์ต",
    "Здравствуйте! Заказ отправлен. С уважением,\nСлужба поддержки",
    "Ευχαριστώ,\nΗ ομάδα εξυπηρέτησης",
    "مع التحية،\nفريق خدمة العملاء",
    "감사합니다.\n고객센터 드림",
    "谢谢！\n客服团队",
    "小心地滑，老板说明天开门。",
    "The 北京 office and 上海 team will join. Also 成都.",
    "私は会社員です。担当の者です。",
    "ドライバーさんが来ませんでした。スタッフさんに聞きました。",
    "Tôi là khách hàng thân thiết.",
    "Меня зовут в офис каждый день.",
    "मेरा नाम नहीं दिख रहा है",
    "客服备注：退款已处理",
    "오늘 정말 좋은 날이에요",
    "地址：北京\n电话：123\n地址：上海",
    "الزبون: صباح الخير\nالموظف: أهلا\nالزبون: شكرا",
    "주소: 서울\n주소: 부산",
    "I ordered 黄金 jewelry and it never came, please check the tracking.",
    "太太说王太好了",
    "고객님 안녕하세요 기사님이 곧 도착합니다 사장님께",
    "ขอบคุณมากครับ",
    "สินค้าคุณภาพดีมาก ขอบพระคุณค่ะ",
    "นางแบบสวยมาก",
    "شكرا\nبانتظار ردكم",
    "תודה\nמחכה לתשובה",
    "The phone (金色) arrived scratched, I want a refund please.",
])
def test_nineteenth_pass_words_in_those_scripts_are_no_names(text: str) -> None:
    assert [text[s.start:s.end] for s in find_pii(text) if s.kind == "NAME"] == []


@pytest.mark.parametrize(("text", "address"), [
    ("配達先は 〒154-0024 東京都世田谷区三軒茶屋2-14-7 ハイツ三茶302 です。", "東京都世田谷区三軒茶屋2-14-7 ハイツ三茶302"),
    ("住所は北海道札幌市中央区北1条西2丁目1番地です。", "北海道札幌市中央区北1条西2丁目1番地"),
    ("お届け先：東京都港区六本木６丁目１０番１号 六本木ヒルズ森タワー２０階", "東京都港区六本木６丁目１０番１号 六本木ヒルズ森タワー２０階"),
    ("경기도 성남시 분당구 정자동 178-1 으로 배송", "경기도 성남시 분당구 정자동 178-1"),
    ("地址：北京市朝阳区建国路93号院5号楼1单元1001室", "北京市朝阳区建国路93号院5号楼1单元1001室"),
    ("Адрес доставки: Москва, Тверская ул., д. 7, кв. 15", "Москва, Тверская ул., д. 7, кв. 15"),
    ("Διεύθυνση: Πανεπιστημίου 39, Αθήνα 10564", "Πανεπιστημίου 39, Αθήνα 10564"),
    ("הכתובת: רח' ביאליק 3, רמת גן 5252103", "רח' ביאליק 3, רמת גן 5252103"),
    ("địa chỉ: 18 đường Trần Hưng Đạo, phường Phạm Ngũ Lão, quận 1, TP.HCM",
     "18 đường Trần Hưng Đạo, phường Phạm Ngũ Lão, quận 1, TP.HCM"),
    ("Dia chi: 25 Nguyen Trai, Phuong 3, Quan 5, TP HCM", "25 Nguyen Trai, Phuong 3, Quan 5, TP HCM"),
    ("ঠিকানা: বাড়ি ১২, রোড ৫, ধানমন্ডি, ঢাকা ১২০৫", "বাড়ি ১২, রোড ৫, ধানমন্ডি, ঢাকা ১২০৫"),
    ("முகவரி: 12, காந்தி தெரு, அண்ணா நகர், சென்னை 600040", "12, காந்தி தெரு, அண்ணா நகர், சென்னை 600040"),
    ("香港九龍旺角彌敦道123號8樓B室", "香港九龍旺角彌敦道123號8樓B室"),
    ("住所：さいたま市浦和区高砂3-15-1 サンハイツ201号室", "さいたま市浦和区高砂3-15-1 サンハイツ201号室"),
    ("Адрес: Москва, ул. Ленина 5-12", "Москва, ул. Ленина 5-12"),
    ("Адрес: 620014, Екатеринбург, ул. Малышева, д. 51, кв. 108", "620014, Екатеринбург, ул. Малышева, д. 51, кв. 108"),
    ("पता: 123, एमजी रोड, बेंगलुरु 560001", "123, एमजी रोड, बेंगलुरु 560001"),
])
def test_nineteenth_pass_addresses_in_their_scripts(text: str, address: str) -> None:
    assert any(address in value for value in _addresses(text)), _addresses(text)


# --- issue 18, twentieth pass: East and South-East Asian names, phones and dates of birth ----------------------

def _found(text: str, kind: str) -> list[str]:
    return [text[s.start:s.end] for s in find_pii(text) if s.kind == kind]


@pytest.mark.parametrize(("text", "date"), [
    ("生年月日：昭和60年3月12日", "昭和60年3月12日"),
    ("生年月日 平成2年5月3日", "平成2年5月3日"),
    ("出生日期：民國68年5月20日", "民國68年5月20日"),
    ("民國79年5月3日生", "民國79年5月3日"),
    ("1988年4月3號出世", "1988年4月3號"),
    ("출생: 88년 4월 12일", "88년 4월 12일"),
    ("생년월일 900503", "900503"),
    ("วันเกิด: 12 มีนาคม 2533", "12 มีนาคม 2533"),
    ("เกิดเมื่อ 5 ม.ค. 2530", "5 ม.ค. 2530"),
    ("วัน/เดือน/ปีเกิด 03/05/2533", "03/05/2533"),
    ("sinh ngày 14 tháng 2 năm 1985", "14 tháng 2 năm 1985"),
    ("TTL: Bandung, 12 Mei 1990", "12 Mei 1990"),
    ("Kaarawan: Marso 3, 1992", "Marso 3, 1992"),
])
def test_twentieth_pass_asian_dates_of_birth(text: str, date: str) -> None:
    assert date in _found(text, "DOB")


@pytest.mark.parametrize("text", [
    "令和6年5月3日に発送しました", "วันที่สั่งซื้อ 12 มีนาคม 2567", "民國79/05/03", "주민번호 900503-1234567",
    "Ngày sinh: 03/05/1990. Ngày giao hàng: 12/05/2024",
])
def test_twentieth_pass_other_dates_are_no_dates_of_birth(text: str) -> None:
    assert not [value for value in _found(text, "DOB") if "2024" in value or "令和" in value or "2567" in value
                or "79/05" in value or "900503" in value]


@pytest.mark.parametrize(("text", "phone"), [
    ("010.1234.5678로 연락주세요", "010.1234.5678"),
    ("090-1234-5678まで", "090-1234-5678"),
    ("電話番号は０８０ー１２３４ー５６７８です", "０８０ー１２３４ー５６７８"),
    ("TEL 06(6123)4567", "06(6123)4567"),
    ("No. HP 081234567890", "081234567890"),
    ("nomor saya 081234567890 ya kak", "081234567890"),
    ("联系人：周杰 13800138000", "13800138000"),
])
def test_twentieth_pass_asian_phones(text: str, phone: str) -> None:
    plain = [text[s.start:s.end] for s in find_pii(text) if s.kind == "PHONE"]
    assert phone in plain, plain


@pytest.mark.parametrize("text", ["Policy HP-0021948", "Číslo smlouvy CZ-CP-2290114"])
def test_twentieth_pass_code_letters_are_no_phone_words(text: str) -> None:
    assert _found(text, "PHONE") == []


@pytest.mark.parametrize(("text", "name"), [
    ("Terima kasih, Bu Sri.", "Sri"),
    ("Dengan Bapak Sutrisno, ada yang bisa dibantu?", "Sutrisno"),
    ("Halo kak, saya Rina. Pesanan saya belum sampai.", "Rina"),
    ("Encik Razak sudah hubungi kami semalam.", "Razak"),
    ("Khun Somsri called about the invoice.", "Somsri"),
    ("Gng. Santos, salamat po.", "Santos"),
    ("Sir Rommel, follow up lang po.", "Rommel"),
    ("Cảm ơn anh Nam nhiều.", "Nam"),
    ("Em chào chị Hà, em muốn đổi hàng.", "Hà"),
    ("尊敬的张伟先生：", "张伟"),
    ("联系人：周杰 13800138000", "周杰"),
    ("参会人员：刘洋、陈静、赵磊", "赵磊"),
    ("谢谢，\n李明", "李明"),
    ("此致\n敬礼\n王建国", "王建国"),
    ("鈴木一郎様", "鈴木一郎"),
    ("送り主：佐藤健", "佐藤健"),
    ("陈先生您好", "陈先生"),
    ("김 과장님께", "김 과장"),
])
def test_twentieth_pass_asian_names(text: str, name: str) -> None:
    assert any(name in value for value in _found(text, "NAME")), _found(text, "NAME")


@pytest.mark.parametrize("text", [
    "我喜欢苹果、香蕉、西瓜", "周一、周二、周三都可以", "尊敬的客户：您好", "Tôi sống ở Việt Nam.", "saya Google dulu ya",
    "I ate Pizza and updated the Ate ticket", "Dear Sir or Madam, please help.", "等待用户回电 177 2281 9045",
])
def test_twentieth_pass_words_are_no_asian_names(text: str) -> None:
    assert _found(text, "NAME") == []


@pytest.mark.parametrize(("text", "kind", "value"), [
    # pass 21 (messy text): a card's digits spoken in a call, with "oh" for zero
    ("Caller: the card is four five nine six, one two three three, oh six six nine, seven oh five five.", "CARD",
     "four five nine six, one two three three, oh six six nine, seven oh five five"),
    # a social security number spoken after "social"
    ("Agent: your social?\nCaller: sure, it's five two one, eight eight, three oh four seven", "SSN",
     "five two one, eight eight, three oh four seven"),
    # phones spoken in English with "double", in Spanish, typed a digit at a time, half digits and half words
    ("her mobile is oh four one two, double four seven, eight eight one", "PHONE",
     "oh four one two, double four seven, eight eight one"),
    ("mi numero es seis uno dos, cinco cinco, cero uno, cuatro tres", "PHONE",
     "seis uno dos, cinco cinco, cero uno, cuatro tres"),
    ("tel: 0 4 1 2  5 5 5  3 8 1 (sorry)", "PHONE", "0 4 1 2  5 5 5  3 8 1"),
    ("my number is 0412 five five five 381", "PHONE", "0412 five five five 381"),
])
def test_pass21_spoken_numbers(text: str, kind: str, value: str) -> None:
    assert value in _found(text, kind), find_pii(text)


@pytest.mark.parametrize("text", [
    "order number is four four seven one two nine zero, can u check",
    "I've called 1300 880 905 six times",
    "Am Mo., 11. März 2024 um 09:12 schrieb Svenja",
])
def test_pass21_spoken_non_phones(text: str) -> None:
    assert _found(text, "PHONE") == []


@pytest.mark.parametrize(("text", "card"), [
    ("my card number is 5223 0972\n1513 4053 and it keeps getting declined", "5223 0972\n1513 4053"),
    ("> > Card: 4198-9059-\n> > 5426-4820\n> > Amount: $212.40", "4198-9059-\n> > 5426-4820"),
    ("CHARGED TWICE ON MY VISA 4442/6058/0648/4865 FIX THIS", "4442/6058/0648/4865"),
    ("card: 4539 - 1488 - 0343 - 6467", "4539 - 1488 - 0343 - 6467"),
    ("Caller: card is 4539, 1488, 0343, 6467 ok", "4539, 1488, 0343, 6467"),
    ("VISA4539148803436467", "4539148803436467"),
])
def test_pass21_cards_across_odd_gaps(text: str, card: str) -> None:
    assert card in _found(text, "CARD"), find_pii(text)


def test_pass21_a_card_shaped_payment_reference_without_luhn_is_no_card() -> None:
    assert _found("paid ref 7788 1290\n4411 2231 yesterday", "CARD") == []


@pytest.mark.parametrize(("text", "value", "kind"), [
    ("pls ring me on 07700 900\n461 after 5pm", "07700 900\n461", "PHONE"),
    ("my cell (415)555-0147 or text", "(415)555-0147", "PHONE"),
    ("CPF 868.611.751-\n10 (quebrou a linha)", "868.611.751-\n10", "SSN"),
    ("rut: 17 320 865-0", "17 320 865-0", "SSN"),
])
def test_pass21_wrapped_and_odd_numbers(text: str, value: str, kind: str) -> None:
    assert value in _found(text, kind), find_pii(text)


def test_pass21_a_whole_number_above_an_address_is_not_wrapped_into_it() -> None:
    text = "NHS No. 485 777 3456\n12 Primrose Hill Road, Stockport SK2 7LP"
    assert "12 Primrose Hill Road, Stockport SK2 7LP" in _found(text, "ADDRESS")


@pytest.mark.parametrize(("text", "name"), [
    # pass 22: Central and Eastern Europe's titles in their cases, their sign-offs, nicknames in chat
    ("Rozmawiałam wczoraj z panem Kowalskim w sprawie zwrotu.", "Kowalskim"),
    ("Dobrý den, paní Nováková mi slíbila vrácení peněz.", "Nováková"),
    ("Vážený pane Nováku, děkujeme.", "Nováku"),
    ("Razgovarao sam s gospodinom Horvatom, ali ništa.", "Horvatom"),
    ("Vorbiți cu domnul Ionescu, vă rog.", "Ionescu"),
    ("Poštovani, kartica je blokirana.\nLp, Ana", "Ana"),
    ("Objednávka nedorazila.\nDíky, Honza", "Honza"),
    ("Paczka nie dotarła.\npozdrawiam, tomek", "tomek"),
    ("Hi, this is Oleksandr Bondarenko from Kyiv.", "Oleksandr Bondarenko"),
    ("Customer: hey its dave\nAgent: hi", "dave"),
    ("where is my refund\n\nthx - kels", "kels"),
    ("Cześć, tu Wojtek Zieliński z pokoju 207.", "Wojtek Zieliński"),
])
def test_pass22_names_of_central_and_eastern_europe_and_chat(text: str, name: str) -> None:
    assert name in _found(text, "NAME"), _found(text, "NAME")


@pytest.mark.parametrize(("text", "name"), [
    ("Dobrý den, pan Novotný říkal, že to vyřídí.", "Novotný"),
    ("Bună ziua, sunt Ioana Dumitrescu și aș dori un retur.", "Ioana Dumitrescu"),
])
def test_pass22_a_name_ends_before_a_small_letter_of_latin_extended(text: str, name: str) -> None:
    assert _found(text, "NAME") == [name]


@pytest.mark.parametrize("text", [
    "The frying pan Tefal Ingenio was returned, order 55102.",
    "Kupujúca tvrdí, že šaty Zara nemali byť použité.",
    "Mluvil jsem s podporou, router TP-Link Archer C6 nefunguje.",
    "We shipped via InPost to Wrocław; pickup at Żabka.",
    "Bokning 77812: gäster anländer med buss och tåg.",
])
def test_pass22_look_alikes_are_no_names(text: str) -> None:
    assert _found(text, "NAME") == []
