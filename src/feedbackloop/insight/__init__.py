"""insight: counting what the loop recorded. Metrics by segment and period, outcome rates, honest
statistics (Wilson intervals, drop tests), reports (table, JSON, CSV), recorded drops and alerts.

May import: loop, wiring, jobs, helpdesks, store, core.
"""
