"""What each export's lines hold, as explicit column types, and the OpenAI shapes of SFT and DPO.

Hugging Face `datasets` infers a JSON file's column types from its first rows, so a column that is
null there (a rating's comment, an eval row's human reply) is typed null in one file and string in
the next, and files will not load together. Every export therefore writes its types beside the
output, `<name>.features.json`, in `datasets.Features.to_dict()` form (lists written as `[type]`,
which every `datasets` version reads as a list); pass it as `features=` and any number of files
load as one. The schemas below are also what the tests check every exported record against.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

S, F, I, B = "string", "float64", "int64", "bool"
MESSAGES: list[Any] = [{"role": S, "content": S}]
PROVENANCE: dict[str, Any] = {
    "ticket": S, "tenant": S, "split": S, "decided_at": S, "solved_at": S, "rated_at": S, "rating_source": S, "model": S,
    "prompt_version": S, "intent": S, "channel": S, "category": S,
}
CORRECTION: dict[str, Any] = {
    "kind": S, "source": S, "final_action": S, "rationale": S, "policy_clause": S, "similarity": F,
    "ai_confidence": F, "missing": [S], "at": S,
}
SCHEMAS: dict[str, dict[str, Any]] = {
    "eval": {
        "id": S, "input": MESSAGES, "output": S, "intent": S, "confidence": F, "action": S,
        "context_ids": [S], "reasons": [S], "signals": [{"type": S, "value": F, "source": S, "at": S}],
        "rating": {"score": I, "scale": S, "reason": S, "comment": S},
        "expected": {"human_reply": S, "final_action": S, "rationale": S, "policy_clause": S, "root_cause": S,
                     "review_notes": S, "corrections": [CORRECTION], "missing_reason": S},
        "metadata": {**PROVENANCE, "input_authors": [S]},
    },
    "sft": {"messages": MESSAGES, "metadata": {**PROVENANCE, "authors": [S]}},
    "dpo": {"prompt": MESSAGES, "chosen": MESSAGES, "rejected": MESSAGES,
            "metadata": {**PROVENANCE, "prompt_authors": [S], "overrides": [CORRECTION]}},
    "ratings": {
        "ticket": S, "tenant": S, "split": S, "score": I, "scale": S, "satisfied": B, "reason": S, "comment": S,
        "source": S, "version": I, "channel": S, "category": S, "group_id": I, "assignee_id": I, "resolver": S,
        "intent": S, "model": S, "prompt_version": S, "solved_at": S, "survey_sent_at": S, "rated_at": S,
        "updated_at": S,
    },
    # issue 24: intent corrections, for retraining the intent classifier (exports/intents.py)
    "intents": {
        "id": S, "text": S, "ai_intent": S, "ai_confidence": F, "human_intent": S,
        "metadata": {"ticket": S, "tenant": S, "split": S, "source": S, "kind": S, "escalated": B,
                     "corrections": I, "model": S, "prompt_version": S, "decided_at": S, "corrected_at": S,
                     "channel": S, "category": S},
    },
    # OpenAI's fine-tuning files take no other keys (`--format openai`)
    "sft/openai": {"messages": MESSAGES},
    "dpo/openai": {"input": {"messages": MESSAGES}, "preferred_output": MESSAGES, "non_preferred_output": MESSAGES},
}
OPENAI_KINDS = ("sft", "dpo")


def schema_of(kind: str, fmt: str) -> dict[str, Any]:
    return SCHEMAS[f"{kind}/openai" if fmt == "openai" else kind]


def hf_features(schema: Any) -> Any:
    """A schema as `datasets.Features.to_dict()` writes it (lists in the `[type]` form)."""
    if isinstance(schema, str):
        return {"dtype": schema, "_type": "Value"}
    if isinstance(schema, list):
        return [hf_features(schema[0])]
    return {name: hf_features(value) for name, value in schema.items()}


def features_path(out: str) -> Path:
    """FILE → FILE's stem + .features.json ("out/sft.jsonl" → "out/sft.features.json")."""
    from feedbackloop.learn.exports.writers import sidecar_path

    return sidecar_path(out, "features.json")


def write_features(out: str, kind: str, fmt: str) -> Path:
    target = features_path(out)
    target.write_text(json.dumps(hf_features(schema_of(kind, fmt)), indent=1) + "\n", encoding="utf-8")
    return target


def openai_record(kind: str, record: dict[str, Any]) -> dict[str, Any]:
    """An SFT chat or DPO pair in OpenAI's fine-tuning shape: nothing but the keys it allows."""
    if kind == "sft":
        return {"messages": record["messages"]}
    return {"input": {"messages": record["prompt"]}, "preferred_output": record["chosen"],
            "non_preferred_output": record["rejected"]}
