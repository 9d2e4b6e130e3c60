"""The widget's language: the Settings choice (System, English, Deutsch) or the desktop's
UI languages, for our catalog (:mod:`tracktray.i18n`), for Qt's own words (the standard
buttons: ``qtbase_<lang>.qm`` shipped with PySide6) and for ``QLocale`` (numbers, dates,
day names and the first day of the week in Qt's widgets).

Chosen once at start-up, before any window exists: a change in Settings takes effect the
next time TrackTray starts (the dialog says so).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from tracktray import i18n

__all__ = ["CHOICES", "apply_language"]

log = logging.getLogger(__name__)

#: Settings ▸ Language: the stored value and its label ("System" is translated where shown;
#: the languages are named in themselves)
CHOICES = (("system", ""), *i18n.LANGUAGES.items())


def apply_language(app: QCoreApplication, choice: str | None) -> str:
    """Use ``choice`` ("system", "en", "de"); returns the language in use."""
    system = QLocale.system()
    code = i18n.use_language(choice, system=system.uiLanguages())
    if choice in i18n.LANGUAGES and system.name().split("_")[0] != code:
        # an explicit language other than the desktop's: its conventions too
        QLocale.setDefault(QLocale(code))
    if code != i18n.SOURCE_LANGUAGE:
        translator = QTranslator(app)  # parented: lives as long as the application
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if translator.load(f"qtbase_{code}", folder):
            app.installTranslator(translator)
        else:
            log.info("Qt's own translation qtbase_%s was not found in %s", code, folder)
    return code
