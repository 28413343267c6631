"""Score presidio-analyzer's pattern recognizers (no spaCy model) on our labelled corpus, per kind.

Not a dependency of feedbackloop: run it from a venv of its own (docs/exports.md has the figures):

    python3 -m venv /tmp/presidio && /tmp/presidio/bin/pip install presidio-analyzer
    /tmp/presidio/bin/python scripts/pii_compare_presidio.py tests/fixtures/pii_corpus.jsonl

Presidio's email recognizer tries to fetch the public-suffix list from the network at first use
(offline it logs the failure and goes on).
"""
import json
import sys
import time

from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    DateRecognizer,
    EmailRecognizer,
    IbanRecognizer,
    IpRecognizer,
    PhoneRecognizer,
    UsSsnRecognizer,
)

MAP = {"CREDIT_CARD": "CARD", "EMAIL_ADDRESS": "EMAIL", "IBAN_CODE": "IBAN", "IP_ADDRESS": "IP",
       "PHONE_NUMBER": "PHONE", "US_SSN": "SSN", "DATE_TIME": "DOB"}
recognizers = [CreditCardRecognizer(), EmailRecognizer(), IbanRecognizer(), IpRecognizer(),
               PhoneRecognizer(supported_regions=("US", "UK", "DE", "FR", "ES", "IE")), UsSsnRecognizer(), DateRecognizer()]
cases = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
def score(part):
    res = {}
    t = time.perf_counter()
    for c in part:
        text = c["text"]
        found = []
        for r in recognizers:
            for f in r.analyze(text, entities=r.supported_entities, nlp_artifacts=None) or []:
                if f.score >= 0.3 and f.entity_type in MAP:
                    found.append((f.start, f.end, MAP[f.entity_type]))
        labels = []
        for item in c.get("pii", []):
            s = text.find(item["value"])
            while s >= 0:
                labels.append((s, s + len(item["value"]), item["type"])); s = text.find(item["value"], s + 1)
        for (a, b, k) in labels:
            r = res.setdefault(k, [0, 0, 0])
            if any(fk == k and fa <= a and fb >= b for fa, fb, fk in found): r[0] += 1
            else: r[1] += 1
        for (fa, fb, fk) in found:
            if not any(k == fk and fa < b and a < fb for a, b, k in labels):
                res.setdefault(fk, [0, 0, 0])[2] += 1
    return res, time.perf_counter() - t
splits = sorted({c.get("split", "development") for c in cases})
for name, part in ((split, [c for c in cases if c.get("split", "development") == split]) for split in splits):
    res, secs = score(part)
    print(f"{name}: {len(part)} cases, {secs*1000/len(part):.2f} ms a case")
    for k in ("EMAIL", "IBAN", "CARD", "IP", "SSN", "DOB", "PHONE"):
        tp, fn, fp = res.get(k, [0, 0, 0])
        print(f"  {k:6} found {tp}/{tp+fn}  false positives {fp}")
