"""The widget under a pseudo-locale (tests/support/pseudo_locale.py): every word ~40 %
longer, accented and bracketed. Each main window opened from the real app must show no
hard-coded English word (text without the brackets) and no cut text (a label or button
narrower than its text, a wrapped label shorter than its lines, a widget outside its
window). The same checks run in German (the longest real language we ship).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QLocale, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from tests.desktop.harness import Harness
from tests.support.pseudo_locale import CLOSE, OPEN, PseudoTranslations
from tracktray import i18n
from tracktray.desktop.commands import Command, Kind

MakeApp = Callable[..., Harness]
#: the windows a person opens from the menu of the local account
WINDOWS = [
    (Kind.SETTINGS, "settings"),
    (Kind.ADD_ACCOUNT, "sign-in"),
    (Kind.MANAGE_TRACKERS, "trackers"),
    (Kind.ADD_TIME, "add-time"),
    (Kind.FREE_TIME, "free-time"),
    (Kind.REPORTS, "reports"),
]
#: the languages are named in themselves (Settings ▸ Language), never translated
LANGUAGE_NAMES = set(i18n.LANGUAGES.values())
#: data shown as it is: tracker names of the starter tree, numbers, addresses
_DATA = re.compile(
    r"^(General|TrackMyPeople|TimeTrack Enterprise|TrackTray|[\d:.,\s–\-+−]*|https?://\S+)$"
)


@pytest.fixture
def pseudo_locale() -> Iterator[None]:
    i18n.install(PseudoTranslations(), "pseudo")
    yield


def _text(widget: QWidget) -> str:
    if isinstance(widget, QLabel | QAbstractButton):
        return widget.text()
    if isinstance(widget, QGroupBox):
        return widget.title()
    return ""


def _listed(widget: QWidget) -> list[str]:
    """Words a widget lists: column headers, tab titles, choices of a combo box."""
    if isinstance(widget, QTableView | QTreeView) and widget.model() is not None:
        model, columns = widget.model(), widget.model().columnCount(QModelIndex())
        horizontal = Qt.Orientation.Horizontal
        return [str(model.headerData(c, horizontal) or "") for c in range(columns)]
    if isinstance(widget, QTabWidget):
        return [widget.tabText(i) for i in range(widget.count())]
    if isinstance(widget, QComboBox):
        return [widget.itemText(i) for i in range(widget.count())]
    return []


def _is_qt_standard_button(widget: QWidget) -> bool:
    box = widget.parent()
    return (
        isinstance(box, QDialogButtonBox)
        and isinstance(widget, QAbstractButton)
        and box.standardButton(widget) != QDialogButtonBox.StandardButton.NoButton
    )


def _plain(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text).replace("&&", "&").replace("&", "").strip()


def untranslated(window: QWidget) -> list[str]:
    """Visible words that did not go through the catalog (pseudo-locale only); day names
    come from QLocale (the locale's data, not our words)."""
    locale = QLocale()
    days = {locale.dayName(d, QLocale.FormatType.ShortFormat) for d in range(1, 8)}
    found = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or _is_qt_standard_button(widget):
            continue
        for text in map(_plain, [_text(widget), *_listed(widget)]):
            if not text or text in days or text in LANGUAGE_NAMES or OPEN in text:
                continue
            if _DATA.match(text):
                continue
            if re.search("[A-Za-z]{3,}", text):
                found.append(f"{type(widget).__name__}: {text!r}")
    return found


def cut(window: QWidget) -> list[str]:
    """Texts that do not fit their widget, and widgets that stick out of the window."""
    QApplication.processEvents()
    found = []
    inside = window.rect()
    for widget in window.findChildren(QWidget):
        text = _text(widget)
        if not widget.isVisibleTo(window) or not text:
            continue
        name = f"{type(widget).__name__} {_plain(text)!r}"
        if isinstance(widget, QLabel) and widget.wordWrap():
            needed = widget.heightForWidth(widget.width())
            if widget.height() < needed:
                found.append(f"{name}: {widget.height()} px high, needs {needed}")
        elif widget.width() < widget.sizeHint().width():
            found.append(f"{name}: {widget.width()} px wide, needs {widget.sizeHint().width()}")
        corner = widget.mapTo(window, widget.rect().bottomRight())
        if not inside.contains(corner):
            found.append(f"{name}: outside its window")
    return found


def open_windows(h: Harness, qtbot: QtBot) -> Iterator[tuple[str, QWidget]]:
    for kind, key in WINDOWS:
        h.app.dispatch(Command(kind))
        window = h.app.dialogs[key]
        assert isinstance(window, QWidget)
        qtbot.waitUntil(window.isVisible)
        h.wait_idle()
        yield key, window
        window.close()


def menu_texts(menu: QMenu) -> Iterator[str]:
    for action in menu.actions():
        if action.text():
            yield action.text()
        submenu = action.menu()
        if isinstance(submenu, QMenu):
            yield from menu_texts(submenu)


def test_every_window_is_translated_and_nothing_is_cut_in_the_pseudo_locale(
    pseudo_locale: None, make_app: MakeApp, qtbot: QtBot
) -> None:
    h = make_app()
    h.wait_ready()
    h.open_menu()
    hard_coded = [
        t for t in menu_texts(h.app.view.menu)
        if OPEN not in t and not _DATA.match(_plain(t))
    ]  # fmt: skip
    assert not hard_coded, f"menu entries not translated: {hard_coded}"
    h.app.view.menu.hide()
    problems = []
    for key, window in open_windows(h, qtbot):
        problems += [f"{key}: {p}" for p in untranslated(window) + cut(window)]
    assert not problems, "\n".join(problems)


def cut_hints(window: QWidget) -> list[str]:
    """Placeholder texts of entry fields wider than their field."""
    found = []
    for field in window.findChildren(QLineEdit):
        hint = field.placeholderText()
        if not hint or not field.isVisibleTo(window):
            continue
        room = field.contentsRect().width() - field.textMargins().left() - 8
        if field.fontMetrics().horizontalAdvance(hint) > room:
            found.append(f"hint {hint!r} needs more than {field.width()} px")
    return found


def test_in_german_nothing_is_cut(german: None, make_app: MakeApp, qtbot: QtBot) -> None:
    h = make_app()
    h.wait_ready()
    h.open_menu()
    assert h.app.view.menu.actions()[-1].text() == "Beenden"
    h.app.view.menu.hide()
    problems = []
    for key, window in open_windows(h, qtbot):
        problems += [f"{key}: {p}" for p in cut(window) + cut_hints(window)]
    assert not problems, "\n".join(problems)


def test_the_pseudo_locale_keeps_placeholders_and_marks_each_string() -> None:
    translations = PseudoTranslations()
    said = translations.gettext("Start {tracker} at {time}.").format(tracker="X", time="9:00")
    assert said.startswith(OPEN) and said.endswith(CLOSE) and "X" in said and "9:00" in said
    assert len(translations.gettext("Stop the timer when the screen locks")) >= 1.4 * 36
    assert translations.pgettext("format", "%H:%M") == "%H:%M"


def test_the_checks_see_a_cut_label_and_a_hard_coded_word(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    narrow = QLabel(f"{OPEN}Ţhíś ļàbéļ íś çuţ··········{CLOSE}")
    narrow.setFixedWidth(30)
    layout.addWidget(narrow)
    layout.addWidget(QPushButton("Hard-coded"))
    window.show()
    qtbot.waitExposed(window)
    assert any("px wide" in p for p in cut(window))
    assert untranslated(window) == ["QPushButton: 'Hard-coded'"]


def test_settings_show_a_long_idle_explanation_whole(pseudo_locale: None, qtbot: QtBot) -> None:
    """The explanation of where idle time comes from is two or three lines on X11."""
    from tracktray.desktop.settings_dialog import SettingsDialog
    from tracktray.store.settings import Preferences

    explanation = (
        i18n._("Idle time comes from {name}.").format(name=i18n._("X11 (screen saver extension)"))
        + " "
        + i18n._("{text} This computer reports no lock or sleep events to TrackTray.").format(
            text=""
        )
    )
    dialog = SettingsDialog(Preferences(), idle_explanation=explanation, lock_events=False)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not cut(dialog) + untranslated(dialog)


def _prompts() -> list[QWidget]:
    import datetime as dt

    from tracktray.desktop.away_prompt import AwayPrompt
    from tracktray.desktop.forgotten_prompt import ForgottenPrompt
    from tracktray.desktop.idle.away import Away
    from tracktray.desktop.update_offer import UpdateDialog
    from tracktray.domain import TrackerTree, UpdateCheck

    now = dt.datetime(2026, 11, 23, 15, 0).astimezone()
    tree = TrackerTree.from_rows([(1, 0, "General"), (2, 0, "Website")])
    return [
        AwayPrompt(
            Away(now - dt.timedelta(minutes=47), now, "lock"),
            tracker_name="General",
            tree=tree,
            current_id=1,
        ),
        ForgottenPrompt(
            tracker_name="General",
            started_at=now - dt.timedelta(hours=10),
            last_activity=now - dt.timedelta(hours=2),
            now=now,
        ),
        UpdateDialog(UpdateCheck(False, "https://example.org/tracktray-0.2.0", "0.2.0")),
    ]


@pytest.mark.parametrize("language", ["pseudo", "de"])
def test_the_prompts_and_the_update_offer_fit(language: str, qtbot: QtBot) -> None:
    if language == "pseudo":
        i18n.install(PseudoTranslations(), "pseudo")
    else:
        assert i18n.use_language("de") == "de"
    for window in _prompts():
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        problems = cut(window) + (untranslated(window) if language == "pseudo" else [])
        assert not problems, f"{type(window).__name__}: {problems}"
        window.close()
