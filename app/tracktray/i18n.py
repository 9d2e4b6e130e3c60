"""The words people read, in their language: GNU gettext from the standard library.

Every layer that shows a sentence to a person imports ``_`` (and ``ngettext``,
``pgettext``) from here; it is the bottom layer, Qt-free and I/O-light (one ``.mo`` file
read on first use), so the CLI, the accounts, the error tree and the widget share one
catalog (``tracktray/locale/<lang>/LC_MESSAGES/tracktray.mo``, compiled by
``scripts/bootstrap`` and by packaging from the committed ``.po``; docs/translating.md).

The language is chosen once per process: :func:`use_language` with the widget's Settings
choice, or, on the first translated word, from the environment the way GNU tools do
(``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``; on Windows, where a console sets
none of them, the user's UI language). Words are looked up when they are
shown, never at import time: a module-level constant is marked with :func:`N_` and
translated where it is used (tests/i18n/test_catalog.py fails on ``_()`` at module level).

Dates and times in the CLI are formatted here too (:func:`format_date`,
:func:`format_clock`): their patterns are entries of the catalog (``msgctxt "format"``), so
a translator sets them with the words and the CLI pays no import for them (Babel costs
~40 ms per run, see bench/RESULTS.md). The widget formats through ``QLocale`` instead.

In English (the source language) no catalog is read and :mod:`gettext` is not even
imported: ``tracktray status`` pays only for the words it shows.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing and gettext are not imported at run time in English
if TYPE_CHECKING:
    import datetime as dt
    import gettext as _gettext
    from collections.abc import Sequence
    from typing import Protocol, TypeAlias

    class _Words(Protocol):
        """What a catalog answers: gettext's NullTranslations and its subclasses, or
        :class:`_SourceWords`."""

        def gettext(self, message: str, /) -> str: ...
        def ngettext(self, msgid1: str, msgid2: str, n: int, /) -> str: ...
        def pgettext(self, context: str, message: str, /) -> str: ...
        def npgettext(self, context: str, msgid1: str, msgid2: str, n: int, /) -> str: ...

    Words: TypeAlias = "_gettext.NullTranslations | _Words"

__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "LOCALE_DIR",
    "N_",
    "_",
    "current_language",
    "format_clock",
    "format_date",
    "format_datetime",
    "format_weekday_date",
    "install",
    "ngettext",
    "npgettext",
    "pgettext",
    "speak_for_the_standard_library",
    "system_languages",
    "use_language",
]

DOMAIN = "tracktray"
#: the catalogs' folder (a plain string: pathlib is not needed to find one file)
LOCALE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "locale")
#: the languages shipped, by code, with their own names (never translated: a person
#: looks for "Deutsch", not for "German" in a language they may not read)
LANGUAGES: dict[str, str] = {"en": "English", "de": "Deutsch"}
#: the language the source strings are written in
SOURCE_LANGUAGE = "en"
_ENV_ORDER = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_translations: Words | None = None
_language = SOURCE_LANGUAGE


class _SourceWords:
    """The source language's words as written: gettext's NullTranslations, without
    importing gettext."""

    def gettext(self, message: str, /) -> str:
        return message

    def ngettext(self, msgid1: str, msgid2: str, n: int, /) -> str:
        return msgid1 if n == 1 else msgid2

    def pgettext(self, context: str, message: str, /) -> str:
        return message

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int, /) -> str:
        return msgid1 if n == 1 else msgid2


def system_languages(environ: os._Environ[str] | dict[str, str] | None = None) -> list[str]:
    """The person's languages from the environment, best first (``["de_DE", "de"]``)."""
    env = os.environ if environ is None else environ
    for name in _ENV_ORDER:
        value = env.get(name, "")
        if value:
            return [_normalise(v) for v in value.split(":") if v]
    if environ is None and sys.platform == "win32":  # a console sets no LANG: ask Windows
        import ctypes
        import locale

        tag = locale.windows_locale.get(ctypes.windll.kernel32.GetUserDefaultUILanguage())
        return [tag] if tag else []
    return []


def _normalise(tag: str) -> str:
    """``de-DE``, ``de_DE.UTF-8`` and ``de_DE@euro`` all name ``de_DE``."""
    return tag.split(".")[0].split("@")[0].replace("-", "_")


def _first_shipped(candidates: Sequence[str]) -> str:
    for tag in candidates:
        tag = _normalise(tag)
        if tag in ("C", "POSIX"):
            return SOURCE_LANGUAGE
        base = tag.split("_")[0].lower()
        if base in LANGUAGES:
            return base
    return SOURCE_LANGUAGE


def use_language(choice: str | None = None, *, system: Sequence[str] | None = None) -> str:
    """Use ``choice`` (a code of :data:`LANGUAGES`; ``None``/``"system"``: the first
    shipped one of ``system``, else of the environment); returns the code in use.

    A catalog that is not compiled (a fresh clone before ``scripts/bootstrap``) leaves the
    source language: the program runs, in English."""
    if choice in (None, "", "system") or choice not in LANGUAGES:
        code = _first_shipped(system_languages() if system is None else system)
    else:
        code = choice
    if code == SOURCE_LANGUAGE:
        install(_SourceWords(), SOURCE_LANGUAGE)
        return code
    try:
        with open(os.path.join(LOCALE_DIR, code, "LC_MESSAGES", f"{DOMAIN}.mo"), "rb") as catalog:
            import gettext

            install(gettext.GNUTranslations(catalog), code)
    except OSError:
        install(_SourceWords(), SOURCE_LANGUAGE)
        return SOURCE_LANGUAGE
    return code


def speak_for_the_standard_library() -> None:
    """Make the standard library's own gettext calls (argparse: "usage:", "options",
    "the following arguments are required") read our catalog: its default domain becomes
    ``tracktray``, in the language of the environment (the CLI's rule). The words live in
    ``cli/argparse_words.py`` so that extraction finds them."""
    import gettext

    gettext.bindtextdomain(DOMAIN, LOCALE_DIR)
    gettext.textdomain(DOMAIN)


def install(translations: Words, language: str) -> None:
    """Use these translations from now on (tests install a pseudo-locale this way)."""
    global _translations, _language
    _translations = translations
    _language = language


def current_language() -> str:
    _active()
    return _language


def _active() -> Words:
    if _translations is None:
        use_language()
    assert _translations is not None
    return _translations


def _(message: str) -> str:
    return _active().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _active().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _active().pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return _active().npgettext(context, singular, plural, n)


def N_(message: str) -> str:
    """Marks a constant for the catalog; translate it with ``_()`` where it is shown."""
    return message


# Dates and times for people (the CLI and the widget's sentences; --json and --csv never
# use these). The patterns are catalog entries so each language sets its own: German
# writes "29.11.2026" and "17:40". (The CLI shows durations as H:MM and no decimals; the
# widget's decimal hours go through QLocale.)


def format_date(day: dt.date) -> str:
    """``2026-11-29`` (English) or ``29.11.2026`` (German)."""
    # Translators: a date for strftime (German: %d.%m.%Y); keep it numeric
    return day.strftime(pgettext("format", "%Y-%m-%d"))


def format_weekday_date(day: dt.date) -> str:
    """``Mon 2026-11-23`` (English) or ``Mo 23.11.2026`` (German)."""
    # Translators: weekday abbreviations, as in "Mon 2026-11-23"
    names = (
        pgettext("weekday", "Mon"),
        pgettext("weekday", "Tue"),
        pgettext("weekday", "Wed"),
        pgettext("weekday", "Thu"),
        pgettext("weekday", "Fri"),
        pgettext("weekday", "Sat"),
        pgettext("weekday", "Sun"),
    )
    return f"{names[day.weekday()]} {format_date(day)}"


def format_clock(moment: dt.datetime | dt.time) -> str:
    """A time of day on the 24-hour clock: ``17:40``."""
    # Translators: a time of day for strftime (German: %H:%M)
    return moment.strftime(pgettext("format", "%H:%M"))


def format_datetime(moment: dt.datetime) -> str:
    return f"{format_date(moment.date())} {format_clock(moment)}"
