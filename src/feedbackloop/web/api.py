"""/api/v1, the admin API: every blueprint under it sits behind the admin bearer token."""

from __future__ import annotations

from flask import Blueprint

from feedbackloop.loop import decisions
from feedbackloop.web import timeline
from feedbackloop.wiring.adminauth import require_admin_token

bp = Blueprint("api_v1", __name__, url_prefix="/api/v1")
bp.before_request(require_admin_token)
bp.register_blueprint(decisions.bp)
bp.register_blueprint(timeline.bp)
