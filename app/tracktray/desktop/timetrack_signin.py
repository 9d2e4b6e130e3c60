"""The sign-in dialog's fields for an account that signs in with an API key and secret.

A TimeTrack account has no password: the organisation's API key and secret act for the
username. When that kind is chosen, the dialog's password field becomes "API key", a
secret field appears below it, and both travel as one keyring entry
(:func:`tracktray.accounts.timetrack.join_key_secret`).
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit

from tracktray.accounts.kinds import KINDS
from tracktray.accounts.timetrack import join_key_secret
from tracktray.i18n import _

__all__ = ["KeySecretFields"]


class KeySecretFields:
    """Adds the secret row to ``form`` and switches the labels with ``kind``."""

    def __init__(
        self, form: QFormLayout, kind: QComboBox, url: QLineEdit, password: QLineEdit
    ) -> None:
        self._form = form
        self._kind = kind
        self._url = url
        self._password = password
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        position: tuple[int, object] = form.getWidgetPosition(password)  # type: ignore[assignment]
        form.insertRow(position[0] + 1, _("API secret:"), self.secret)
        self._default_url = url.text()
        kind.currentIndexChanged.connect(self._on_kind)
        self._on_kind()

    @property
    def active(self) -> bool:
        return KINDS[self._kind.currentData()].credential == "key_secret"

    def _on_kind(self) -> None:
        active = self.active
        label = self._form.labelForField(self._password)
        if isinstance(label, QLabel):
            label.setText(_("API key:") if active else _("Password:"))
        self._form.setRowVisible(self.secret, active)
        self._url.setPlaceholderText(KINDS[self._kind.currentData()].url_hint if active else "")
        if active and self._url.text() == self._default_url and self._default_url:
            self._url.clear()  # the TrackMyPeople address would only mislead
        elif not active and not self._url.text():
            self._url.setText(self._default_url)

    def problem(self) -> str | None:
        """What is missing, in the dialog's words (None when the kind needs no secret)."""
        if not self.active:
            return None
        if not self._password.text().strip():
            return _("Enter the API key (TimeTrack: Settings ▸ API).")
        if not self.secret.text().strip():
            return _("Enter the API secret that goes with the key.")
        return None

    def credential(self) -> str:
        """What the account opens with and the keyring keeps."""
        if not self.active:
            return self._password.text()
        return join_key_secret(self._password.text(), self.secret.text())
