"""The sign-in dialog shows each of its messages whole, against the real engine over HTTPS.

Before: the window kept the size it opened with, so a certificate error (several lines)
was cut after its first line. Each message here is checked to fit its label and the
label to fit the window.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from tracktray.accounts.kinds import new_account
from tracktray.desktop.session import default_open_backend
from tracktray.desktop.signin import NO_KEYRING, SignInDialog
from tracktray.desktop.tasks import TaskBridge
from tracktray.store.settings import Settings


def shown_whole(dialog: SignInDialog, label: QLabel) -> bool:
    QApplication.processEvents()
    inside = label.geometry().bottom() <= dialog.contentsRect().bottom()
    return inside and label.height() >= label.heightForWidth(label.width())


def make_dialog(
    qtbot: QtBot, tmp_path: Path, keyring: Callable[[], bool] = lambda: True
) -> tuple[SignInDialog, TaskBridge]:
    bridge = TaskBridge()
    dialog = SignInDialog(
        bridge,
        open_backend=default_open_backend,
        data_dir=tmp_path,
        new_account=lambda kind, url, username, ca_file, again: new_account(
            Settings(), kind, url, username, ca_file=ca_file, again=again
        ),
        keyring_available=keyring,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: bridge.pending == 0)
    return dialog, bridge


def check(qtbot: QtBot, dialog: SignInDialog) -> str:
    with qtbot.waitSignal(dialog.tested, timeout=15_000) as tested:
        dialog.test_button.click()
    qtbot.waitUntil(lambda: shown_whole(dialog, dialog.result_label), timeout=2_000)
    assert dialog.result_label.text() == tested.args[1]
    return str(tested.args[1])


def test_certificate_error_wrong_password_and_success_are_shown_whole(
    qtbot: QtBot, tmp_path: Path, trackmypeople_server: Any, server_user: Any
) -> None:
    dialog, bridge = make_dialog(qtbot, tmp_path)
    assert not dialog.isModal()
    first_height = dialog.height()
    dialog.url.setText(trackmypeople_server.api_url)
    dialog.username.setText(server_user.username)
    dialog.password.setText(server_user.password)
    certificate = check(qtbot, dialog)  # no CA file: the test server's certificate is unknown
    assert "certificate" in certificate.lower() and len(certificate) > 120, certificate
    assert dialog.height() > first_height, "the window grew to show the whole message"

    dialog.ca_file.setText(str(trackmypeople_server.ca_file))
    dialog.password.setText("wrong")
    assert "username or password" in check(qtbot, dialog)

    dialog.password.setText(server_user.password)
    assert check(qtbot, dialog).startswith(f"Connected as {server_user.username}: ")
    bridge.shutdown()


def test_no_keyring_note_is_shown_whole(qtbot: QtBot, tmp_path: Path) -> None:
    dialog, bridge = make_dialog(qtbot, tmp_path, keyring=lambda: False)
    qtbot.waitUntil(lambda: dialog.keyring_note.isVisible())
    assert dialog.keyring_note.text() == NO_KEYRING
    qtbot.waitUntil(lambda: shown_whole(dialog, dialog.keyring_note), timeout=2_000)
    dialog.url.setText("https://example.invalid/api/")
    dialog.username.setText("someone")
    dialog.password.setText("pw")
    with qtbot.waitSignal(dialog.tested) as told:
        dialog.sign_in_button.click()
    assert told.args == [
        False,
        "Tick “Remember until TrackTray quits” to sign in without a keyring.",
    ]
    qtbot.waitUntil(lambda: shown_whole(dialog, dialog.result_label), timeout=2_000)
    bridge.shutdown()
