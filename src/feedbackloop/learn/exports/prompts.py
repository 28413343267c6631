"""The system prompt of SFT chats, DPO prompts and eval inputs, configurable per tenant and model.

`FEEDBACKLOOP_SYSTEM_PROMPT` is the text for every record. `FEEDBACKLOOP_SYSTEM_PROMPT_FILE` names a
file: plain text (the same for every record), or, when it ends in `.json`, an object whose keys pick
the text by tenant and model, the most specific key winning:
`"<tenant>/<model>"`, `"<tenant>"`, `"*/<model>"`, `"*"`. A record's model is that of the AI
decision it is about. Without either, `DEFAULT_SYSTEM_PROMPT`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from feedbackloop.core.errors import ConfigError

DEFAULT_SYSTEM_PROMPT = ("You are a customer support assistant. Answer the customer's request helpfully "
                         "and accurately.")
TEXT_VAR = "FEEDBACKLOOP_SYSTEM_PROMPT"
FILE_VAR = "FEEDBACKLOOP_SYSTEM_PROMPT_FILE"


@dataclass(frozen=True)
class SystemPrompts:
    """The default text and the per tenant / model texts."""

    default: str = DEFAULT_SYSTEM_PROMPT
    by_key: Mapping[str, str] = field(default_factory=dict)

    def for_(self, tenant: str, model: str | None) -> str:
        """The most specific text for a tenant and model."""
        keys = [f"{tenant}/{model}", tenant, f"*/{model}", "*"] if model else [tenant, "*"]
        return next((self.by_key[k] for k in keys if k in self.by_key), self.default)


def load_system_prompts(env: Mapping[str, str]) -> SystemPrompts:
    """The prompts the environment configures; a ConfigError names the variable when one is unusable."""
    default = env.get(TEXT_VAR, "").strip() or DEFAULT_SYSTEM_PROMPT
    name = env.get(FILE_VAR, "").strip()
    if not name:
        return SystemPrompts(default)
    path = Path(name)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{FILE_VAR}: cannot read {name!r} ({getattr(exc, 'strerror', None) or exc})") from None
    if path.suffix.lower() != ".json":
        if not text.strip():
            raise ConfigError(f"{FILE_VAR}: {name!r} is empty")
        return SystemPrompts(text.strip())
    try:
        mapping = json.loads(text)
    except ValueError as exc:
        raise ConfigError(f"{FILE_VAR}: {name!r} is not JSON ({exc})") from None
    if not isinstance(mapping, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in mapping.items()):
        raise ConfigError(f'{FILE_VAR}: {name!r} must be a JSON object of non-empty texts, keyed '
                          '"<tenant>/<model>", "<tenant>", "*/<model>" or "*"')
    return SystemPrompts(default, {k.strip(): v.strip() for k, v in mapping.items()})
