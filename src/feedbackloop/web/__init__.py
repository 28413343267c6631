"""web: pages and APIs that read across the loop: the dashboard and its charts, the Zendesk sidebar,
the admin API (/api/v1), the ticket timeline, /healthz and /metrics. The receiver and the survey page
are blueprints of their own loop steps (`loop.receive`, `loop.ratings`).

May import: runner, learn, insight, loop, wiring, jobs, helpdesks, store, core.
"""
