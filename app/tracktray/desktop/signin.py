"""The sign-in dialog: server URL, username, password, optional CA file, test, sign in.

Nothing here blocks: "Test connection" and "Sign in" open the account on a worker (via
the task bridge) and answer in plain words. The dialog only *reports* the result through
:attr:`SignInDialog.signed_in`; the app saves the URL and username to the settings and
the password to the keyring. When the system has no keyring, the dialog says so and
offers to remember the password until TrackTray quits (never a plaintext file).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from tracktray.accounts import Backend
from tracktray.accounts.kinds import KINDS, SIGN_IN_KINDS
from tracktray.desktop.tasks import TaskBridge
from tracktray.desktop.text import format_duration
from tracktray.desktop.timetrack_signin import KeySecretFields
from tracktray.i18n import N_, _

if TYPE_CHECKING:
    from tracktray.store.settings import AccountConfig, AccountKind

__all__ = ["DEFAULT_URL", "NewAccount", "SignInDialog"]

DEFAULT_URL = KINDS["trackmypeople"].url_hint
NO_KEYRING = N_(
    "This computer has no keyring to keep the password safely. TrackTray can remember "
    "it until it quits; you will be asked again next time."
)

#: wide enough that a two-line message stays two lines, not six
MIN_WIDTH = 480

Remember = Literal["keyring", "session"]


def _message_label(text: str) -> QLabel:
    """A sentence shown whole: wrapped, growing in height, selectable to copy."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.MinimumExpanding)
    return label


OpenBackend = Callable[["AccountConfig", "str | None", Path], Backend]
#: (kind, address, username, CA file, the account signed in to again) → the account to
#: save, address canonical (:func:`tracktray.accounts.kinds.new_account`)
NewAccount = Callable[
    ["AccountKind", str, str, "str | None", "AccountConfig | None"], "AccountConfig"
]


class SignInDialog(QDialog):
    #: (account, password, "keyring" | "session") once the server accepted them
    signed_in = Signal(object, str, str)
    #: the last test finished with this sentence (tests wait on it)
    tested = Signal(bool, str)

    def __init__(
        self,
        bridge: TaskBridge,
        *,
        open_backend: OpenBackend,
        data_dir: Path,
        new_account: NewAccount,
        keyring_available: Callable[[], bool],
        account: AccountConfig | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(
            _("Sign in to a server")
            if account is None
            else _("Sign in to {label}").format(label=account.shown_label)
        )
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setModal(False)
        self.setMinimumWidth(MIN_WIDTH)
        self._bridge = bridge
        self._open_backend = open_backend
        self._data_dir = data_dir
        self._new_account = new_account
        self._account = account
        self._busy = False
        self._keyring_ok = True

        self.kind = QComboBox()
        for spec in SIGN_IN_KINDS:
            self.kind.addItem(spec.title, spec.kind)
        self.url = QLineEdit(account.url if account else DEFAULT_URL)
        self.username = QLineEdit(account.username if account else "")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.ca_file = QLineEdit(account.ca_file or "" if account else "")
        self.ca_file.setPlaceholderText(_("only if the server has its own CA"))
        browse = QPushButton(_("Browse…"))
        browse.clicked.connect(self._browse_ca)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_file, 1)
        ca_row.addWidget(browse)
        if account is not None:
            index = self.kind.findData(account.kind)
            self.kind.setCurrentIndex(max(0, index))
            self.kind.setEnabled(False)
        self.result_label = _message_label("")
        self.keyring_note = _message_label(_(NO_KEYRING))
        self.keyring_note.hide()
        self.remember_session = QCheckBox(_("Remember until TrackTray quits"))
        self.remember_session.hide()

        self.test_button = QPushButton(_("&Test connection"))
        self.test_button.clicked.connect(self.test_connection)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.sign_in_button = buttons.addButton(
            _("Sign in"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        form = QFormLayout(self)
        form.addRow(_("Server type:"), self.kind)
        form.addRow(_("Server URL:"), self.url)
        form.addRow(_("Username:"), self.username)
        form.addRow(_("Password:"), self.password)
        form.addRow(_("CA file:"), ca_row)
        form.addRow(self.keyring_note)
        form.addRow(self.remember_session)
        form.addRow(self.result_label)
        form.addRow(buttons)
        self.key_secret = KeySecretFields(form, self.kind, self.url, self.password)
        (self.password if account else self.username).setFocus()

        bridge.run("keyring", keyring_available, self._on_keyring_checked, self._on_keyring_failed)

    # -- what the person typed -----------------------------------------------------------

    def account_builder(self) -> Callable[[], AccountConfig]:
        """What the fields say, read now on the Qt thread; calling the result makes the
        account (address canonical; ValidationFailed with a sentence) anywhere."""
        kind: AccountKind = self.kind.currentData()
        url, username = self.url.text(), self.username.text()
        ca_file, again = self.ca_file.text().strip() or None, self._account
        return lambda: self._new_account(kind, url, username, ca_file, again)

    def _problem_with_input(self) -> str | None:
        url = self.url.text().strip()
        if not url:
            return _("Enter the server's address, for example {example}").format(
                example=DEFAULT_URL
            )
        if urlsplit(url).scheme not in ("https", "http") or not urlsplit(url).hostname:
            return _("“{url}” is not a web address; it should look like {example}").format(
                url=url, example=DEFAULT_URL
            )
        if not self.username.text().strip():
            return _("Enter your username.")
        if self.key_secret.active:
            return self.key_secret.problem()
        if not self.password.text():
            return _("Enter your password.")
        ca = self.ca_file.text().strip()
        if ca and not Path(ca).is_file():
            return _("The CA file {ca} does not exist.").format(ca=ca)
        return None

    # -- test and sign in ----------------------------------------------------------------

    def test_connection(self) -> None:
        self._check(then_accept=False)

    def accept(self) -> None:
        if not self._keyring_ok and not self.remember_session.isChecked():
            self._show(
                False, _("Tick “Remember until TrackTray quits” to sign in without a keyring.")
            )
            return
        self._check(then_accept=True)

    def _check(self, *, then_accept: bool) -> None:
        if self._busy:
            return
        problem = self._problem_with_input()
        if problem is not None:
            self._show(False, problem)
            return
        describe = self.account_builder()
        password = self.key_secret.credential()
        self._set_busy(True)
        self.result_label.setText(_("Connecting…"))

        def work() -> tuple[AccountConfig, str]:
            # On the worker: making the address canonical loads the HTTP client modules.
            account = describe()
            backend = self._open_backend(account, password, self._data_dir)
            try:
                status = backend.status()
            finally:
                backend.close()
            if status.running is not None:
                doing = _("{name} is running").format(name=status.running.tracker.name)
            else:
                doing = _("nothing is running")
            today = format_duration(status.daytotal_s)
            return account, _("Connected as {username}: {doing}, {today} tracked today.").format(
                username=account.username, doing=doing, today=today
            )

        def ok(answer: tuple[AccountConfig, str]) -> None:
            account, sentence = answer
            self._set_busy(False)
            self._show(True, sentence)
            if then_accept:
                remember: Remember = "keyring" if self._keyring_ok else "session"
                self.signed_in.emit(account, password, remember)
                super(SignInDialog, self).accept()

        def failed(exc: Exception) -> None:
            self._set_busy(False)
            self._show(False, str(exc))

        self._bridge.run("sign-in", work, ok, failed)

    def _show(self, ok: bool, sentence: str) -> None:
        self.result_label.setText(sentence)
        self._fit()
        self.tested.emit(ok, sentence)

    def _fit(self) -> None:
        """Grow the window to show every message whole (a certificate error is long).

        A word-wrapped label in a form layout does not ask its window for more height by
        itself: without this the window keeps its first size and the text is cut off.
        """
        layout = self.layout()
        if layout is not None:
            layout.activate()
        wanted = self.sizeHint()
        self.resize(max(self.width(), wanted.width()), max(self.height(), wanted.height()))

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.test_button.setEnabled(not busy)
        self.sign_in_button.setEnabled(not busy)

    def _browse_ca(self) -> QFileDialog:
        """A non-modal file chooser (the static getOpenFileName runs its own event loop)."""
        chooser = QFileDialog(self, _("Certificate authority (PEM)"))
        chooser.setWindowModality(Qt.WindowModality.NonModal)
        chooser.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        chooser.setFileMode(QFileDialog.FileMode.ExistingFile)
        chooser.setNameFilters([_("PEM files (*.pem *.crt)"), _("All files (*)")])
        chooser.fileSelected.connect(self.ca_file.setText)
        chooser.show()
        return chooser

    def _on_keyring_checked(self, available: bool) -> None:
        if not shiboken6.isValid(self):
            return  # signed in and closed before the keyring answered (its first import)
        self._keyring_ok = available
        self.keyring_note.setVisible(not available)
        self.remember_session.setVisible(not available)
        self._fit()

    def _on_keyring_failed(self, exc: Exception) -> None:
        self._on_keyring_checked(False)
