"""The customer's language: which one, and its gettext catalogue (Flask-Babel on pages, Babel in jobs).

The survey speaks, in order: the requester's helpdesk locale (read when the survey is sent and kept
on the survey), the tenant's `language` setting, the browser's Accept-Language (pages only; a job
has no browser), English. Catalogues live in `translations/<locale>/LC_MESSAGES/messages.po`; their
compiled `.mo` files are committed beside them so a plain `pip install` (editable or wheel) has them
without a build step (docs/what-people-see.md says how to update them).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

from babel import Locale
from babel.support import NullTranslations, Translations
from flask import Flask, g, has_request_context, request
from flask_babel import Babel

TRANSLATIONS_DIR = Path(__file__).parents[1] / "translations"
DEFAULT_LOCALE = "en"
#: The languages the customer's pages and messages are translated into.
LOCALES = ("en", "de", "fr", "es", "pt_BR", "nl", "ja")
#: A language we have only in one regional form: any region of it reads that form.
REGIONAL_ONLY = {"pt": "pt_BR"}


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated later, where the locale is known."""
    return message


def normalize_locale(raw: str | None) -> str | None:
    """A helpdesk or browser locale ("de-CH", "pt-br", "ja") as one of LOCALES, or None."""
    if not raw:
        return None
    parts = raw.strip().replace("_", "-").split("-")
    language = parts[0].lower()
    if not language.isascii() or not language.isalpha():
        return None
    if len(parts) > 1 and parts[1].isalpha():
        regional = f"{language}_{parts[1].upper()}"
        if regional in LOCALES:
            return regional
    if language in LOCALES:
        return language
    return REGIONAL_ONLY.get(language)


def choose_locale(requester: str | None, tenant: str | None, accepted: Iterable[str] = ()) -> str:
    """The first supported of: the requester's locale, the tenant's language, the browser's, English."""
    for candidate in (requester, tenant, *accepted):
        locale = normalize_locale(candidate)
        if locale is not None:
            return locale
    return DEFAULT_LOCALE


@functools.lru_cache(maxsize=len(LOCALES) + 1)
def translations(locale: str) -> NullTranslations:
    """The catalogue of one locale, for text built outside a request (the survey comment)."""
    if locale == DEFAULT_LOCALE:
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS_DIR), [locale], domain="messages")


def text_direction(locale: str) -> str:
    """"rtl" or "ltr", for the page's `dir` attribute."""
    return "rtl" if Locale.parse(locale).character_order == "right-to-left" else "ltr"


def accepted_languages() -> list[str]:
    """The browser's languages, best first (none outside a request)."""
    if not has_request_context():
        return []
    return [value for value, _quality in request.accept_languages]


def _select_locale() -> str:
    """Flask-Babel's selector: the locale a view chose (g.locale), else the browser's, else English."""
    chosen = g.get("locale")
    return chosen if isinstance(chosen, str) else choose_locale(None, None, accepted_languages())


def register_i18n(app: Flask) -> None:
    """Flask-Babel on the app: `_()`/`gettext` and `{% trans %}` in templates use the chosen locale."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS_DIR))
    Babel(app, locale_selector=_select_locale)

    @app.context_processor
    def _language() -> dict[str, str]:
        from flask_babel import get_locale

        locale = str(get_locale() or DEFAULT_LOCALE)
        return {"html_lang": locale.replace("_", "-"), "html_dir": text_direction(locale)}
