"""wiring: what one process shares. The `Services` container (settings, engine, session factories,
one helpdesk client per tenant), the admin bearer-token check and the public endpoints' rate limits.

Built by the composition root (`feedbackloop.app.create_app`, the CLI's `worker`/`serve`); the loop and the
pages reach it through `services_of(app)`.
May import: jobs, helpdesks, store, core.
"""
