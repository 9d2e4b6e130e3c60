"""Account secrets in the OS keyring, and nowhere else.

When the OS has no keyring backend (a headless Linux without Secret Service, say),
every operation raises :class:`NoKeyringError` with a sentence saying what to do; there
is deliberately no plaintext fallback. The widget can also keep a password only for
the running session (``CredentialStore.session_only()``), when the user asks it not to
be remembered or no keyring exists.

``keyring`` is imported on first use: it is slow to import, and local mode and the
CLI's ad-hoc environment accounts never need it.
"""

from __future__ import annotations

import contextlib
import sys

from tracktray.contracts.errors import TrackTrayError
from tracktray.i18n import _, pgettext

TYPE_CHECKING = False  # typing is not imported at run time (a few ms per command)
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "CredentialStore",
    "CredentialStoreError",
    "KeyringRefused",
    "NoKeyringError",
    "available_here",
    "call_here",
    "worded",
]


class CredentialStoreError(TrackTrayError):
    """The keyring exists but failed (locked, refused, broken)."""


class NoKeyringError(CredentialStoreError):
    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message
            or _(
                "No keyring is available on this system to keep passwords safely. "
                "Install and unlock one (for example GNOME Keyring or KWallet), or give the "
                "password for each run in the TRACKTRAY_PASSWORD environment variable."
            )
        )


class CredentialStore:
    """Secrets per account id, under one keyring service name."""

    def __init__(self, service: str = "tracktray", *, in_helper: bool = False) -> None:
        self.service = service
        self._memory: dict[str, str] | None = None
        self._in_helper = in_helper

    @classmethod
    def session_only(cls, service: str = "tracktray") -> CredentialStore:
        """A store that remembers secrets in memory until the process ends."""
        store = cls(service)
        store._memory = {}
        return store

    @classmethod
    def out_of_process(cls, service: str = "tracktray") -> CredentialStore:
        """A store whose keyring calls run in a helper process (``keyring_helper.py``):
        the widget's, which then never loads keyring's package for the rest of its run."""
        return cls(service, in_helper=True)

    @property
    def remembers_across_sessions(self) -> bool:
        return self._memory is None

    def available(self) -> bool:
        """Whether secrets can be kept (a real keyring, or this session's memory)."""
        if self._memory is not None:
            return True
        if self._in_helper:
            from tracktray.store.keyring_helper import ask_helper

            answer = ask_helper({"op": "available", "service": self.service})
            if answer is not None:
                return answer.get("value") is True
        return available_here()

    def get(self, account_id: str) -> str | None:
        if self._memory is not None:
            return self._memory.get(account_id)
        if _secret_service_is_keyrings_choice():
            from tracktray.store.secret_service import CannotTell, read_password

            try:
                return read_password(self.service, account_id)
            except CannotTell:
                pass  # keyring answers: it unlocks, discovers, says what is wrong
        secret = self._keyring_call(pgettext("keyring", "read"), "get", account_id)
        return secret if isinstance(secret, str) else None

    def set(self, account_id: str, secret: str) -> None:
        if self._memory is not None:
            self._memory[account_id] = secret
            return
        self._keyring_call(pgettext("keyring", "save"), "set", account_id, secret)

    def delete(self, account_id: str) -> None:
        """Forget the secret; forgetting one that is not there is not an error."""
        if self._memory is not None:
            self._memory.pop(account_id, None)
            return
        self._keyring_call(pgettext("keyring", "delete"), "delete", account_id)

    def _keyring_call(
        self, verb: str, op: str, account_id: str, secret: str | None = None
    ) -> str | None:
        """One keyring call, in the helper process where this store uses one (and it
        answers), else here; keyring's refusal becomes a sentence with ``verb``."""
        if self._in_helper:
            from tracktray.store.keyring_helper import ask_helper

            request = {"op": op, "service": self.service, "account": account_id}
            if secret is not None:
                request["secret"] = secret
            answer = ask_helper(request)
            if answer is not None:
                refused = answer.get("refused")
                if isinstance(refused, str):
                    raise worded(KeyringRefused(refused, str(answer.get("value", ""))), verb)
                value = answer.get("value")
                return value if isinstance(value, str) else None
        try:
            return call_here(op, self.service, account_id, secret)
        except KeyringRefused as refusal:
            raise worded(refusal, verb) from None


class KeyringRefused(Exception):
    """What keyring answered instead (``kind``: no-keyring, locked, failed), before it is
    put in a sentence: the helper process sends it, and the widget words it in its own
    language."""

    def __init__(self, kind: str, value: str = "") -> None:
        super().__init__(kind, value)
        self.kind = kind
        self.value = value


def worded(refusal: KeyringRefused, verb: str) -> CredentialStoreError:
    """The sentence for keyring's refusal of the call that would ``verb`` the password."""
    if refusal.kind == "no-keyring":
        return NoKeyringError()
    if refusal.kind == "locked":
        return CredentialStoreError(
            _(
                "The keyring is locked, so tracktray could not {verb} the password; "
                "unlock it and try again."
            ).format(verb=verb)
        )
    return CredentialStoreError(
        _("The keyring could not {verb} the password ({value}).").format(
            verb=verb, value=refusal.value
        )
    )


def available_here() -> bool:
    """Whether keyring, in this process, has a real backend."""
    try:
        backend = _keyring().get_keyring()
    except Exception:  # keyring's backend discovery can fail in many ways
        return False
    return _is_real(backend)


def call_here(op: str, service: str, account_id: str, secret: str | None = None) -> str | None:
    """``get``, ``set`` or ``delete`` through keyring in this process; KeyringRefused
    when it refuses (deleting a password that is not there is not a refusal)."""
    keyring = _keyring()
    try:
        backend = keyring.get_keyring()
        if not _is_real(backend):
            raise KeyringRefused("no-keyring")
        if op == "get":
            found = backend.get_password(service, account_id)
            return found if isinstance(found, str) else None
        if op == "set" and secret is not None:
            backend.set_password(service, account_id, secret)
            return None
        if op == "delete":
            with contextlib.suppress(keyring.errors.PasswordDeleteError):
                backend.delete_password(service, account_id)
            return None
    except keyring.errors.NoKeyringError:
        raise KeyringRefused("no-keyring") from None
    except keyring.errors.KeyringLocked:
        raise KeyringRefused("locked") from None
    except keyring.errors.KeyringError as exc:
        raise KeyringRefused("failed", str(exc) or type(exc).__name__) from None
    raise ValueError(f"not a keyring call: {op!r}")  # not translated: a programming error


def _keyring() -> Any:
    from tracktray.store.keyring_import import import_keyring

    keyring = import_keyring()
    _choose_backend(keyring)
    return keyring


#: each system's own keyring: module and class (keyring.backends.*)
_SYSTEM_KEYRINGS = {
    "linux": ("keyring.backends.SecretService", "Keyring"),
    "darwin": ("keyring.backends.macOS", "Keyring"),
    "win32": ("keyring.backends.Windows", "WinVaultKeyring"),
}


def _choose_backend(keyring: Any) -> None:
    """Choose what keyring would, without its slowest step where the answer is plain.

    keyring takes ``PYTHON_KEYRING_BACKEND``, else its ``keyringrc.cfg``, else asks
    every installed backend whether it works (an entry-points scan of all installed
    packages and each backend's own check, ~80 ms of a ``tracktray status``) and takes
    the one of highest priority: on a desktop, the system's own keyring (Secret Service,
    the macOS Keychain, the Windows Credential Locker). So that one is asked first, after
    the two settings; only when it cannot serve does keyring's discovery run, as before.
    Nothing is chosen once a backend is set (``keyring.set_keyring``, or chosen before).
    """
    import importlib

    core = importlib.import_module("keyring.core")
    if not hasattr(core, "_keyring_backend") or core._keyring_backend is not None:
        return  # chosen already, or a keyring whose state this cannot tell: its own way
    chosen = core.load_env() or core.load_config() or _system_keyring()
    if chosen is not None:
        keyring.set_keyring(chosen)


def _system_keyring() -> Any:
    """The system's own keyring backend when it works here, else None."""
    import importlib

    where = _SYSTEM_KEYRINGS.get(sys.platform)
    if where is None:
        return None
    try:
        backend = getattr(importlib.import_module(where[0]), where[1])
        return backend() if backend.viable else None
    except Exception:  # a backend's own check can fail in many ways: keyring's discovery decides
        return None


def _secret_service_is_keyrings_choice() -> bool:
    """Whether keyring would read from the Secret Service here, as :func:`_choose_backend`
    leads it: on Linux, with no backend named — ``PYTHON_KEYRING_BACKEND``, keyring's
    ``keyringrc.cfg``, one set in this process — and no ``KEYRING_PROPERTY_*`` (another
    collection or attribute scheme). Then ``secret_service.py`` reads the password
    without importing keyring (~100 ms), and keyring answers whatever that cannot."""
    import os

    if sys.platform != "linux" or "PYTHON_KEYRING_BACKEND" in os.environ:
        return False
    if any(name.startswith("KEYRING_PROPERTY_") for name in os.environ):
        return False
    core = sys.modules.get("keyring.core")
    if core is not None and getattr(core, "_keyring_backend", None) is not None:
        return False  # chosen in this process (the widget's tests, a plug-in)
    # keyring's config root on Linux (keyring.util.platform_): XDG_CONFIG_HOME or ~/.config
    root = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return not os.path.exists(os.path.join(root, "python_keyring", "keyringrc.cfg"))


def _is_real(backend: Any) -> bool:
    """False for keyring's "fail" backend and for a chainer with nothing to chain."""
    from keyring.backends import chainer, fail

    if isinstance(backend, fail.Keyring):
        return False
    if isinstance(backend, chainer.ChainerBackend):
        return bool(backend.backends)
    return True
