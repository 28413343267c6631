"""The live redactor's findings on a text, computed once per test run: the corpus tests of several modules (the
held-out scores and must-keep spans of test_redact, the differential test's live side) read the same 7,000 texts,
and redacting them again for each was minutes of CI. The lists are shared: callers only read them."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from feedbackloop.core.redact import Identity, Span, find_pii


@functools.cache
def live_findings(text: str, identity: Identity | None = None) -> Sequence[Span]:
    return tuple(find_pii(text, identity))
