"""core: what every layer may use and nothing of the loop: typed errors, settings (the only reader of the
environment), structured logs and their redaction filters, the customer's language, signed survey links,
PII redaction of text and a tenant's branding.

May import: `feedbackloop.helpdesks.base` (the neutral contract) and the standard library/third parties.
Layer order: docs/developers/architecture.md, "Layers" (enforced by tests/test_layers.py).
"""
