"""The package layout of issue 21 as data: each old dotted module → its new dotted module.

`scripts/relayout.py` reads MODULES to rewrite imports (idempotently) and TESTS to move test files.
A module not listed here kept its place. Subpackages move with everything under them
(`feedbackloop.migrations` → `feedbackloop.store.migrations` covers `.env` and `.versions.*`).
"""

from __future__ import annotations

MODULES: dict[str, str] = {
    # core: no knowledge of the database or the helpdesk
    "feedbackloop.errors": "feedbackloop.core.errors",
    "feedbackloop.settings": "feedbackloop.core.settings",
    "feedbackloop.logs": "feedbackloop.core.logs",
    "feedbackloop.logredact": "feedbackloop.core.logredact",
    "feedbackloop.i18n": "feedbackloop.core.i18n",
    "feedbackloop.links": "feedbackloop.core.links",
    "feedbackloop.redact": "feedbackloop.core.redact",
    "feedbackloop.branding": "feedbackloop.core.branding",
    # store: the database
    "feedbackloop.db": "feedbackloop.store.db",
    "feedbackloop.models": "feedbackloop.store.models",
    "feedbackloop.migrate": "feedbackloop.store.migrate",
    "feedbackloop.migrations": "feedbackloop.store.migrations",
    "feedbackloop.tenants": "feedbackloop.store.tenants",
    "feedbackloop.access": "feedbackloop.store.access",
    "feedbackloop.heartbeat": "feedbackloop.store.heartbeat",
    "feedbackloop.config_problems": "feedbackloop.store.config_problems",
    "feedbackloop.rollups": "feedbackloop.store.rollups",
    # jobs: the durable queue and the rate budget
    "feedbackloop.jobs": "feedbackloop.jobs.queue",
    "feedbackloop.pacing": "feedbackloop.jobs.pacing",
    # wiring: what one process shares
    "feedbackloop.services": "feedbackloop.wiring.services",
    "feedbackloop.ratelimit": "feedbackloop.wiring.ratelimit",
    "feedbackloop.adminauth": "feedbackloop.wiring.adminauth",
    # loop: receive → lifecycle → survey → ratings/signals/overrides → write-back
    "feedbackloop.receive": "feedbackloop.loop.receive",
    "feedbackloop.reconcile": "feedbackloop.loop.reconcile",
    "feedbackloop.lifecycle": "feedbackloop.loop.lifecycle",
    "feedbackloop.attribution": "feedbackloop.loop.attribution",
    "feedbackloop.decisions": "feedbackloop.loop.decisions",
    "feedbackloop.survey": "feedbackloop.loop.survey",
    "feedbackloop.answers": "feedbackloop.loop.answers",
    "feedbackloop.ratings": "feedbackloop.loop.ratings",
    "feedbackloop.signals": "feedbackloop.loop.signals",
    "feedbackloop.overrides": "feedbackloop.loop.overrides",
    "feedbackloop.verdicts": "feedbackloop.loop.verdicts",
    "feedbackloop.writeback": "feedbackloop.loop.writeback",
    "feedbackloop.bulk": "feedbackloop.loop.bulk",
    # insight: counting what the loop recorded
    "feedbackloop.metrics": "feedbackloop.insight.metrics",
    "feedbackloop.outcomes": "feedbackloop.insight.outcomes",
    "feedbackloop.segments": "feedbackloop.insight.segments",
    "feedbackloop.stats": "feedbackloop.insight.stats",
    "feedbackloop.reports": "feedbackloop.insight.reports",
    "feedbackloop.drops": "feedbackloop.insight.drops",
    "feedbackloop.alerts": "feedbackloop.insight.alerts",
    # learn: what the loop teaches the AI
    "feedbackloop.exports": "feedbackloop.learn.exports",
    "feedbackloop.pii_report": "feedbackloop.learn.pii_report",
    # runner: the job kinds and the alarm clock
    "feedbackloop.tasks": "feedbackloop.runner.tasks",
    "feedbackloop.scheduler": "feedbackloop.runner.scheduler",
    # web: pages and APIs that read across the loop
    "feedbackloop.dashboard": "feedbackloop.web.dashboard",
    "feedbackloop.charts": "feedbackloop.web.charts",
    "feedbackloop.sidebar": "feedbackloop.web.sidebar",
    "feedbackloop.agent_view": "feedbackloop.web.agent_view",
    "feedbackloop.agent_names": "feedbackloop.web.agent_names",
    "feedbackloop.timeline": "feedbackloop.web.timeline",
    "feedbackloop.api": "feedbackloop.web.api",
    "feedbackloop.health": "feedbackloop.web.health",
    "feedbackloop.prom": "feedbackloop.web.prom",
    # commands: the command line's subcommands (cli.py, at the top, names them)
    "feedbackloop.install": "feedbackloop.commands.install",
    "feedbackloop.config_check": "feedbackloop.commands.config_check",
    "feedbackloop.report_cli": "feedbackloop.commands.report_cli",
    "feedbackloop.tenant_cli": "feedbackloop.commands.tenant_cli",
    "feedbackloop.demo": "feedbackloop.commands.demo",
    "feedbackloop.demo_story": "feedbackloop.commands.demo_story",
    # stays at the top: __main__, cli, app (create_app), runtime, gunicorn_conf, gunicorn_worker
}

#: Names that moved out of a module after the tree move (a split, or a cycle broken by moving a
#: shared function down): "module:name" (the module's NEW dotted name) → the module that defines it
#: now. relayout.py rewrites `from <old or new module> import name`; an attribute use through the
#: module (`lifecycle.record_signal`) is not rewritten: the old module re-exports these names where
#: that adds no cycle, and tests/test_layers.py names any use that does.
NAMES: dict[str, str] = {
    "feedbackloop.commands.install:encryption_keys": "feedbackloop.store.ledger",
    "feedbackloop.commands.install:with_encryption_key": "feedbackloop.store.ledger",
    "feedbackloop.commands.install:fernet_of": "feedbackloop.store.ledger",
    "feedbackloop.commands.install:seal": "feedbackloop.store.ledger",
    "feedbackloop.commands.install:sealed_with_current_key": "feedbackloop.store.ledger",
    "feedbackloop.commands.install:unseal": "feedbackloop.store.ledger",
    "feedbackloop.commands.install:ledger_rows": "feedbackloop.store.ledger",
    "feedbackloop.commands.install:stored_secrets": "feedbackloop.store.ledger",
    "feedbackloop.commands.install:webhook_secrets": "feedbackloop.store.ledger",
    "feedbackloop.commands.install:SEALED_FERNET": "feedbackloop.store.ledger",
    "feedbackloop.commands.install:SEALED_PLAIN": "feedbackloop.store.ledger",
    "feedbackloop.commands.install:ENCRYPTION_KEY_SETTING": "feedbackloop.store.ledger",
    "feedbackloop.web.prom:count_webhook": "feedbackloop.core.counters",
    "feedbackloop.web.prom:count_helpdesk_call": "feedbackloop.core.counters",
    "feedbackloop.web.prom:count_job": "feedbackloop.core.counters",
    "feedbackloop.web.prom:NO_TENANT": "feedbackloop.core.counters",
    "feedbackloop.web.prom:WEBHOOKS": "feedbackloop.core.counters",
    "feedbackloop.web.prom:HELPDESK_CALLS": "feedbackloop.core.counters",
    "feedbackloop.web.prom:RATE_LIMITED": "feedbackloop.core.counters",
    "feedbackloop.web.prom:JOBS_RUN": "feedbackloop.core.counters",
    "feedbackloop.loop.lifecycle:record_signal": "feedbackloop.loop.records",
    "feedbackloop.loop.lifecycle:request_review": "feedbackloop.loop.records",
    "feedbackloop.loop.lifecycle:get_ticket_state": "feedbackloop.loop.records",
    "feedbackloop.loop.lifecycle:survey_exclusion": "feedbackloop.loop.records",
    "feedbackloop.loop.lifecycle:failed_resolution": "feedbackloop.loop.records",
    "feedbackloop.loop.lifecycle:NO_SURVEY_TAGS": "feedbackloop.loop.records",
    "feedbackloop.insight.outcomes:OutcomeCounts": "feedbackloop.insight.metrics",
}

#: Test files: old path → new path (under tests/, mirroring the package).
TESTS: dict[str, str] = {
    "tests/test_answers.py": "tests/loop/test_answers.py",
    "tests/test_bulk.py": "tests/loop/test_bulk.py",
    "tests/test_bulk_members.py": "tests/loop/test_bulk_members.py",
    "tests/test_customer_survey.py": "tests/loop/test_customer_survey.py",
    "tests/test_decisions.py": "tests/loop/test_decisions.py",
    "tests/test_lifecycle.py": "tests/loop/test_lifecycle.py",
    "tests/test_one_survey_per_solve.py": "tests/loop/test_one_survey_per_solve.py",
    "tests/test_overrides.py": "tests/loop/test_overrides.py",
    "tests/test_rating_concurrency.py": "tests/loop/test_rating_concurrency.py",
    "tests/test_receive.py": "tests/loop/test_receive.py",
    "tests/test_store_event.py": "tests/loop/test_store_event.py",
    "tests/test_survey.py": "tests/loop/test_survey.py",
    "tests/test_survey_browser.py": "tests/loop/test_survey_browser.py",
    "tests/test_bad_input.py": "tests/web/test_bad_input.py",
    "tests/test_dashboard.py": "tests/web/test_dashboard.py",
    "tests/test_dashboard_browser.py": "tests/web/test_dashboard_browser.py",
    "tests/test_dashboard_look.py": "tests/web/test_dashboard_look.py",
    "tests/test_error_pages_language.py": "tests/web/test_error_pages_language.py",
    "tests/test_operability.py": "tests/web/test_operability.py",
    "tests/test_session_serializer.py": "tests/web/test_session_serializer.py",
    "tests/test_sidebar_view.py": "tests/web/test_sidebar_view.py",
    "tests/test_timeline.py": "tests/web/test_timeline.py",
    "tests/test_demo_story.py": "tests/commands/test_demo_story.py",
    "tests/test_install.py": "tests/commands/test_install.py",
    "tests/test_report_cli.py": "tests/commands/test_report_cli.py",
    "tests/test_db.py": "tests/store/test_db.py",
    "tests/test_migrations.py": "tests/store/test_migrations.py",
    "tests/test_rollups.py": "tests/store/test_rollups.py",
    "tests/test_tenants.py": "tests/store/test_tenants.py",
    "tests/test_jobs.py": "tests/jobs/test_jobs.py",
    "tests/test_rate_budget.py": "tests/jobs/test_rate_budget.py",
    "tests/test_zendesk_limits.py": "tests/jobs/test_zendesk_limits.py",
    "tests/test_metrics.py": "tests/insight/test_metrics.py",
    "tests/test_outcomes.py": "tests/insight/test_outcomes.py",
    "tests/test_reports.py": "tests/insight/test_reports.py",
    "tests/test_exports.py": "tests/learn/test_exports.py",
    "tests/test_redact.py": "tests/core/test_redact.py",
    "tests/test_redact_differential.py": "tests/core/test_redact_differential.py",
    "tests/test_redact_fastpath.py": "tests/core/test_redact_fastpath.py",
    "tests/test_settings.py": "tests/core/test_settings.py",
    "tests/test_app_package.py": "tests/helpdesks/zendesk/test_app_package.py",
}
