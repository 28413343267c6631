"""learn: what the loop teaches the AI: PII-redacted eval/SFT/DPO/ratings/intents exports, the
conversation they rebuild from the stored events, and the redaction quality report.

May import: loop, wiring, jobs, helpdesks, store, core.
"""
