"""Opening and closing the active account, and the generation guard that keeps them apart.

This is the part of :class:`~tracktray.desktop.session.Session` that makes an account
the active one and lets it go; it lives apart so the session itself keeps to the
account's state and its polling. Opening reads the journal first (the clicks a killed
widget or an offline CLI left behind, and the status the server last confirmed, drawn at
once), then opens the backend on the account's lane (the password from the keyring
there, never on the UI thread). Every :meth:`~AccountOpening.open` starts a new
*generation*; outcomes of an older one are dropped, so a slow answer from the previous
account never lands on the new one. A backend nobody holds (opened and not yet taken, or
closing on its lane) is kept in a list so that quit can close it.

:class:`AccountOpening` is a mixin: it holds no state of its own and works on the
session's attributes, declared below for the type checker only.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracktray.accounts import Backend
from tracktray.accounts.kinds import kind_of
from tracktray.api import AuthenticationFailed
from tracktray.desktop.benchhooks import phase
from tracktray.desktop.failures import Phase
from tracktray.desktop.journal_sending import JOURNAL_LANE, status_key
from tracktray.domain import Status, TrackerTree
from tracktray.i18n import _
from tracktray.store.journal import Journal, JournalEntry
from tracktray.store.last_status import status_from_data

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from tracktray.desktop.tasks import TaskBridge
    from tracktray.store.settings import AccountConfig

__all__ = [
    "AccountOpening",
    "JournalRead",
    "OpenBackend",
    "SecretLookup",
    "default_open_backend",
]

OpenBackend = Callable[["AccountConfig", "str | None", Path], Backend]
SecretLookup = Callable[[str], "str | None"]
#: an account's unsent clicks and its remembered status, as read from the journal
JournalRead = tuple[list[JournalEntry], Status | None]


def default_open_backend(account: AccountConfig, secret: str | None, data_dir: Path) -> Backend:
    # Imported here: the factory pulls in a server account's client (ssl, httptools)
    # or local mode's read path, which the widget needs only once an account is opened
    # (and which are slow to import).
    from tracktray.accounts.factory import open_backend

    backend: Backend = open_backend(account, secret, data_dir=data_dir)
    return backend


class AccountOpening:
    """Opening, closing and signing out of the active account, for :class:`Session`."""

    if TYPE_CHECKING:  # the session's own, declared for the type checker
        changed: SignalInstance
        journal: Journal
        account: AccountConfig | None
        backend: Backend | None
        server_status: Status | None
        unsent: list[JournalEntry]
        tree: TrackerTree
        phase: Phase
        problem: str
        _bridge: TaskBridge
        _data_dir: Path
        _secret_lookup: SecretLookup
        _open_backend: OpenBackend
        _loose: list[Backend]
        _sending: int
        _status_is_remembered: bool
        _saved_key: tuple[object, ...] | None
        _pending_actions: int
        _deferred_clicks: int
        _click_when_known: bool
        _poll_in_flight: bool
        _tree_fetched_at: float | None
        _generation: int

        def poll_now(self) -> None: ...

        def _send(self, *, counted: bool = False) -> None: ...

        def _unschedule(self) -> None: ...

        def _on_failure(self, exc: Exception) -> None: ...

        def _on_journal_failure(self, exc: Exception) -> None: ...

        def _guard(
            self, generation: int, callback: Callable[[Any], None]
        ) -> Callable[[Any], None]: ...

    def open(
        self,
        account: AccountConfig,
        secret: str | None = None,
        *,
        already_read: JournalRead | None = None,
    ) -> None:
        """Make ``account`` the active one; ``secret`` saves a keyring read after sign-in;
        ``already_read``: the account's unsent clicks and remembered status, already read
        (by the first stage, which drew them), so they are not read again."""
        self.close()
        self._generation += 1
        generation = self._generation
        self.account = account
        self.phase = Phase.OPENING
        self.problem = ""
        if already_read is None:
            self.changed.emit()

        def work() -> Backend:
            password = secret
            if password is None and kind_of(account).signs_in:
                password = self._secret_lookup(account.id)
                if password is None:
                    raise AuthenticationFailed(
                        _("No password is saved for {label}; sign in to use it.").format(
                            label=account.shown_label
                        )
                    )
            phase("backend-opening")
            backend = self._open_backend(account, password, self._data_dir)
            phase("backend-opened")
            self._loose.append(backend)
            return backend

        def opened(backend: Backend) -> None:
            phase("backend-delivered")
            self._forget_loose(backend)
            if generation != self._generation:
                self._close_later(account.id, backend)
                return
            self.backend = backend
            if self._deferred_clicks:
                self._send()  # the clicks made while it opened, in click order, first
            self.poll_now()

        def unsent_loaded(found: tuple[list[JournalEntry], Status | None]) -> None:
            entries, last_known = found
            known = {e.id for e in entries}
            # a click made since the read is kept (placeholder or already written)
            self.unsent = entries + [e for e in self.unsent if e.id == 0 or e.id not in known]
            if self.server_status is None and last_known is not None:
                # until the server answers, draw (and let clicks mean) what it last said
                self.server_status = last_known
                self._saved_key = status_key(last_known)
                self._status_is_remembered = True
            self.changed.emit()

        # the clicks a killed widget or an offline CLI left behind show at once, on the
        # status the server last confirmed
        journal = self.journal

        def read_journal() -> tuple[list[JournalEntry], Status | None]:
            phase("journal-reading")
            found = (
                journal.unfinished(account.id),
                status_from_data(journal.last_status(account.id)),
            )
            phase("journal-read")
            return found

        # The backend opens once the journal is read: its imports (the HTTP client and TLS,
        # or the local read path) would otherwise compete for the GIL with the read that shows
        # the remembered status, the first thing a start shows.
        def open_backend() -> None:
            self._bridge.run(account.id, work, opened, self._guard(generation, self._on_failure))

        def journal_read(found: tuple[list[JournalEntry], Status | None]) -> None:
            unsent_loaded(found)
            open_backend()

        def journal_failed(exc: Exception) -> None:
            self._on_journal_failure(exc)
            open_backend()

        if already_read is not None:
            unsent_loaded(already_read)  # drawn at once, as the first stage drew it
            open_backend()
            return
        self._bridge.run(
            JOURNAL_LANE,
            read_journal,
            self._guard(generation, journal_read),
            self._guard(generation, journal_failed),
        )

    def close(self) -> None:
        """Forget the active account; its backend is closed on its own lane."""
        self._generation += 1
        self._unschedule()
        backend, self.backend = self.backend, None
        if backend is not None and self.account is not None:
            self._close_later(self.account.id, backend)
        self.server_status = None
        self._status_is_remembered = False
        self._saved_key = None
        self.unsent = []
        self.tree = TrackerTree()
        self._tree_fetched_at = None
        self._pending_actions = 0
        self._deferred_clicks = 0
        self._click_when_known = False
        self._poll_in_flight = False
        self._sending = 0

    def detach_backend(self) -> Backend | None:
        """Forget the account and hand its backend to the caller to close (at quit)."""
        backend, self.backend = self.backend, None
        self.close()
        return backend

    def detach_loose_backends(self) -> list[Backend]:
        """At quit, once the bridge has stopped: the backends whose opening or closing
        work it dropped, for the caller to close."""
        loose, self._loose = self._loose, []
        return loose

    def _close_later(self, lane: str, backend: Backend) -> None:
        """Close ``backend`` on its lane, after the work already queued there."""
        self._loose.append(backend)

        def close() -> None:
            backend.close()
            self._forget_loose(backend)

        self._bridge.run(lane, close)

    def _forget_loose(self, backend: Backend) -> None:
        # list.remove is atomic under the GIL; the close runs on a worker thread
        with contextlib.suppress(ValueError):
            self._loose.remove(backend)

    def sign_out(self) -> None:
        """Close the account and show it signed out (the app forgets the password)."""
        account = self.account
        self.close()
        self.phase = Phase.SIGNED_OUT
        self.problem = (
            _("Signed out of {label}.").format(label=account.shown_label)
            if account is not None
            else _("Signed out.")
        )
        self.changed.emit()

    def _reopen(self, account: AccountConfig, generation: int) -> None:
        """Open ``account`` again after it failed to open, unless it was closed since
        (another account chosen, signed out, or the app quitting: ``close`` starts a
        new generation)."""
        if generation == self._generation and self.account is account and self.backend is None:
            self.open(account)
