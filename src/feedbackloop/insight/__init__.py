"""insight: counting what the loop recorded. Metrics by segment and period, outcome rates, honest
statistics (Wilson intervals, drop tests), reports (table, JSON, CSV), recorded drops and alerts;
models and prompts compared (compare, shadow, costs); the signal matrix's knowledge gaps, policy
compliance and conversation sentiment (these read conversations through learn).

May import: learn, loop, wiring, jobs, helpdesks, store, core.
"""
