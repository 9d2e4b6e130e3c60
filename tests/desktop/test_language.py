"""Settings ▸ Language and what it does at start-up: our catalog, Qt's own words for the
standard buttons, and QLocale for a language other than the desktop's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from tracktray import i18n
from tracktray.desktop.language import apply_language
from tracktray.desktop.settings_dialog import SettingsDialog
from tracktray.store.settings import Preferences


@pytest.fixture
def restore_qt(qapp: QApplication) -> Iterator[QApplication]:
    yield qapp
    for translator in qapp.findChildren(QTranslator):
        qapp.removeTranslator(translator)
        translator.setParent(None)
    QLocale.setDefault(QLocale.system())


def test_settings_offer_the_languages_and_say_when_they_apply(qtbot: QtBot) -> None:
    dialog = SettingsDialog(Preferences(language="de"))
    qtbot.addWidget(dialog)
    dialog.show()
    names = [dialog.language.itemText(i) for i in range(dialog.language.count())]
    assert names == ["System", "English", "Deutsch"]
    assert dialog.language.currentData() == "de"
    assert dialog.language_note.text() == "Takes effect the next time TrackTray starts."
    dialog.language.setCurrentIndex(dialog.language.findData("system"))
    assert dialog.preferences().language == "system"


def test_german_chosen_in_settings_reaches_qt_and_the_catalog(
    restore_qt: QApplication, qtbot: QtBot
) -> None:
    assert apply_language(restore_qt, "de") == "de"
    assert i18n.current_language() == "de"
    assert QLocale().language() == QLocale.Language.German  # the desktop here is English
    assert QLocale().firstDayOfWeek().name == "Monday"
    assert QLocale().toString(7.5, "f", 2) == "7,50"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Abbrechen"
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save)
    qtbot.addWidget(buttons)
    assert buttons.button(QDialogButtonBox.StandardButton.Save).text() == "Speichern"
    dialog = SettingsDialog(Preferences())
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "TrackTray-Einstellungen"


def test_system_follows_the_desktop_and_english_loads_nothing(
    restore_qt: QApplication,
) -> None:
    assert apply_language(restore_qt, "system") == "en"  # the tests' desktop is English
    assert apply_language(restore_qt, "en") == "en"
    assert not restore_qt.findChildren(QTranslator)
