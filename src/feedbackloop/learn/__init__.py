"""learn: what the loop teaches the AI: PII-redacted eval/SFT/DPO/ratings exports and the redaction
quality report.

May import: insight, loop, wiring, jobs, helpdesks, store, core.
"""
