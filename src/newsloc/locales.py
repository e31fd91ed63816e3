"""Locale codes: validation with Babel, and the facts newsloc needs about a locale."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from .errors import LocaleError

if TYPE_CHECKING:
    from babel import Locale

# Babel (~8 ms to import) is imported when a locale is first validated, not
# at start-up: commands and runs without locales never need it.

# Locale folder names are used in paths: only plain gettext codes are accepted.
_CODE = re.compile(r"^[a-z]{2,3}(?:_[A-Z]{2}|_[A-Z][a-z]{3}(?:_[A-Z]{2})?)?$")


def validate_locale(code: str) -> Locale:
    """Return the Babel Locale for a gettext locale code, or raise LocaleError."""
    if not code:
        raise LocaleError("empty locale code; use a code such as 'ru', 'hy' or 'pt_BR'")
    if not _CODE.match(code):
        raise LocaleError(
            f"invalid locale code {code!r}: expected a code such as 'ru', 'hy' or 'pt_BR' "
            "(letters and one underscore only)"
        )
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        raise LocaleError(f"unknown locale code {code!r} (Babel does not know it)") from None
    if str(locale) != code:
        raise LocaleError(f"locale code {code!r} is not canonical; use {str(locale)!r}")
    return locale


@functools.lru_cache(maxsize=256)
def is_known_locale(code: str) -> bool:
    """Whether ``code`` is a canonical locale code Babel knows (what validate_locale accepts)."""
    try:
        validate_locale(code)
    except LocaleError:
        return False
    return True


@functools.lru_cache(maxsize=256)
def code_for_language_tag(tag: str) -> str | None:
    """The gettext code of an HTML ``lang`` value (a BCP 47 tag: en-US, EN, zh-Hant-TW, pt-br),
    or None when Babel does not know it."""
    from babel import Locale, UnknownLocaleError

    tag = tag.strip()
    if not tag or not tag.replace("-", "").replace("_", "").isascii():
        return None
    try:
        code = str(Locale.parse(tag.replace("_", "-"), sep="-"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None
    return code if _CODE.match(code) else None


def plural_forms(code: str) -> str:
    from babel.messages.plurals import get_plural

    plural = get_plural(validate_locale(code))
    return plural.plural_forms


def english_name(code: str) -> str:
    return validate_locale(code).get_display_name("en") or code


def native_name(code: str) -> str:
    return validate_locale(code).get_display_name(code) or code


def text_direction(code: str) -> str:
    return "rtl" if validate_locale(code).character_order == "right-to-left" else "ltr"
