"""What a tenant's customers see: its name, logo and colour, the scale's look and the survey's words.

Set per tenant (`feedbackloop tenant add --brand-name ... --accent-color ...`, kept in the tenant's
overrides) or, for the env-configured account, by FEEDBACKLOOP_BRAND_NAME, FEEDBACKLOOP_LOGO_URL,
FEEDBACKLOOP_ACCENT_COLOR, FEEDBACKLOOP_SURVEY_STYLE, FEEDBACKLOOP_SURVEY_ORDER,
FEEDBACKLOOP_SURVEY_QUESTION, FEEDBACKLOOP_SURVEY_LABELS and FEEDBACKLOOP_LANGUAGE. Both are checked
by `check_look` (a bad value is a ConfigError naming it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from feedbackloop.core.errors import ConfigError
from feedbackloop.core.settings import Settings

STYLES = ("emoji", "stars", "numbers")
ORDERS = ("best_first", "worst_first")
DEFAULT_ACCENT = "#1f73b7"
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
#: Tenant override name → env variable of the env-configured account.
LOOK_KEYS = {
    "brand_name": "FEEDBACKLOOP_BRAND_NAME",
    "logo_url": "FEEDBACKLOOP_LOGO_URL",
    "accent_color": "FEEDBACKLOOP_ACCENT_COLOR",
    "survey_style": "FEEDBACKLOOP_SURVEY_STYLE",
    "survey_order": "FEEDBACKLOOP_SURVEY_ORDER",
    "survey_question": "FEEDBACKLOOP_SURVEY_QUESTION",
    "survey_labels": "FEEDBACKLOOP_SURVEY_LABELS",
    "language": "FEEDBACKLOOP_LANGUAGE",
}
#: What each score looks like in the "emoji" style (five-point and thumbs scales). All from Unicode 6
#: emoticons (U+1F600-1F640), which every phone and the common fallback fonts (DejaVu Sans) draw;
#: 🙂/🙁 (U+1F641/2) and 👍/👎 are missing from fallback fonts and showed as empty boxes.
EMOJI = {5: "\U0001F60D", 4: "\U0001F60A", 3: "\U0001F610", 2: "\U0001F615", 1: "\U0001F620"}
THUMBS_EMOJI = {5: "\U0001F60A", 1: "\U0001F61E"}
STAR = "\u2605"


@dataclass(frozen=True)
class Look:
    """One tenant's survey look; every field has a sensible default."""

    brand_name: str | None = None
    logo_url: str | None = None
    accent: str = DEFAULT_ACCENT
    style: str = "emoji"
    order: str = "best_first"
    question: str | None = None
    labels: Mapping[int, str] = field(default_factory=dict)
    language: str | None = None

    @property
    def accent_text(self) -> str:
        """Black or white, whichever reads better on the accent colour (WCAG contrast)."""
        return "#ffffff" if contrast(self.accent, "#ffffff") >= contrast(self.accent, "#1a1a1a") else "#1a1a1a"

    @property
    def accent_ink(self) -> str:
        """The accent when it reads on white (4.5:1) as text and outlines, else a dark ink."""
        return self.accent if contrast(self.accent, "#ffffff") >= 4.5 else "#2f3941"

    def ordered(self, scores: Mapping[int, str]) -> list[int]:
        """Scores in the tenant's order (best first by default)."""
        return sorted(scores, reverse=self.order == "best_first")

    def symbol(self, score: int, scale: str) -> str:
        """The glyph shown for a score: an emoji, stars or the number."""
        if self.style == "numbers" or scale == "ces":  # CES (1–7) has no emoji scale: its number
            return str(score)
        if self.style == "stars":  # one star per choice, captioned with its number and label
            return STAR if scale == "five" else THUMBS_EMOJI[score]
        return (THUMBS_EMOJI if scale == "thumbs" else EMOJI)[score]


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two #rrggbb colours."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def parse_labels(raw: str | Mapping[str, str]) -> dict[int, str]:
    """"5=Superb;4=Good;..." (or a mapping) as score → label."""
    pairs = raw.items() if isinstance(raw, Mapping) else (
        part.split("=", 1) if "=" in part else (part, "") for part in raw.split(";") if part.strip())
    labels: dict[int, str] = {}
    for key, text in pairs:
        key, text = str(key).strip(), str(text).strip()
        if not (key.isascii() and key.isdigit() and 1 <= int(key) <= 5) or not text or len(text) > 40:
            raise ConfigError(f"survey_labels must look like '5=Excellent;4=Good;...' (scores 1-5, "
                              f"labels of 1-40 characters), got {key!r}={text!r}")
        labels[int(key)] = text
    return labels


def check_look(name: str, value: object) -> str:
    """One look setting, checked and normalised to text; a ConfigError names a bad one."""
    text = str(value).strip()
    if name == "brand_name" or name == "survey_question":
        limit = 80 if name == "brand_name" else 200
        if not text or len(text) > limit or not text.isprintable():
            raise ConfigError(f"{name} must be 1-{limit} printable characters, got {text[:60]!r}")
    elif name == "logo_url":
        parts = urlsplit(text)
        if parts.scheme != "https" or not parts.netloc or len(text) > 500 or not text.isprintable() or '"' in text:
            raise ConfigError(f"logo_url must be an https:// URL of at most 500 characters, got {text[:60]!r}")
    elif name == "accent_color":
        if not HEX_COLOUR.fullmatch(text):
            raise ConfigError(f"accent_color must be a colour like #1f73b7, got {text[:20]!r}")
        text = text.lower()
    elif name == "survey_style":
        if text not in STYLES:
            raise ConfigError(f"survey_style must be one of {', '.join(STYLES)}, got {text[:20]!r}")
    elif name == "survey_order":
        if text not in ORDERS:
            raise ConfigError(f"survey_order must be one of {', '.join(ORDERS)}, got {text[:20]!r}")
    elif name == "survey_labels":
        text = ";".join(f"{k}={v}" for k, v in parse_labels(value if isinstance(value, Mapping) else text).items())
    return text


def look_of(settings: Settings) -> Look:
    """The look of the tenant whose settings these are (tenant overrides, else the env's)."""
    extra = settings.extra
    values = {name: extra.get(name) or extra.get(env) for name, env in LOOK_KEYS.items()}
    given = {name: check_look(name, value) for name, value in values.items() if value}
    return Look(brand_name=given.get("brand_name"), logo_url=given.get("logo_url"),
                accent=given.get("accent_color", DEFAULT_ACCENT), style=given.get("survey_style", "emoji"),
                order=given.get("survey_order", "best_first"), question=given.get("survey_question"),
                labels=parse_labels(given["survey_labels"]) if "survey_labels" in given else {},
                language=given.get("language"))


def brand_name_of(settings: Settings, look: Look) -> str | None:
    """The name customers know: the brand name set, else the helpdesk subdomain in capitals."""
    if look.brand_name:
        return look.brand_name
    account = settings.zendesk
    return account.subdomain.replace("-", " ").title() if account is not None and account.subdomain else None
