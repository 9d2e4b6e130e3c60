"""One account as the settings file keeps it, and the rules that read it from the file.

Apart from :mod:`tracktray.store.settings` (which re-exports all of it) so that
``tracktray status`` can find its account with :mod:`json` alone
(:func:`tracktray.store.settings_glance.accounts`) by the very rules the full settings
read uses: :func:`account_from` and :func:`active_of` are those rules, used by both.
:class:`AccountConfig` is a :class:`~tracktray.domain.values.Value` rather than a
dataclass: the ``dataclasses`` module (it imports ``inspect``) and each class it builds
cost a command that needs nothing else of it several milliseconds.
"""

from __future__ import annotations

from tracktray.domain.values import Value, set_field
from tracktray.i18n import N_, _

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from os import PathLike
    from typing import Any, Literal, TypeAlias

    AccountKind: TypeAlias = Literal["local", "trackmypeople", "timetrack"]
    #: a folder or file as a ``Path`` or as text (``tracktray status`` builds no Path)
    StrPath: TypeAlias = str | PathLike[str]
else:
    AccountKind = StrPath = str

__all__ = [
    "KINDS",
    "LOCAL_ACCOUNT",
    "AccountConfig",
    "AccountKind",
    "account_from",
    "accounts_from",
    "active_id_from",
    "active_of",
]

#: the kinds of account this version knows (an unknown one in the file is skipped)
KINDS: tuple[AccountKind, ...] = ("local", "trackmypeople", "timetrack")


class AccountConfig(Value):
    """One account as the settings file keeps it (never its secret): immutable, equal
    and hashed by its fields, like the frozen dataclass it was."""

    __slots__ = ("ca_file", "id", "kind", "label", "url", "username")
    _fields = ("id", "kind", "label", "url", "username", "ca_file")
    #: a slug, unique among the accounts; also the key of its secret in the keyring
    id: str
    kind: AccountKind
    label: str
    url: str
    username: str
    ca_file: str | None

    def __init__(
        self,
        id: str,
        kind: AccountKind,
        label: str,
        url: str = "",
        username: str = "",
        ca_file: str | None = None,
    ) -> None:
        set_field(self, "id", id)
        set_field(self, "kind", kind)
        set_field(self, "label", label)
        set_field(self, "url", url)
        set_field(self, "username", username)
        set_field(self, "ca_file", ca_file)

    @property
    def shown_label(self) -> str:
        """The label in the person's language (the local account's is a word of ours)."""
        return _(self.label) if self.kind == "local" else self.label


LOCAL_ACCOUNT = AccountConfig(id="local", kind="local", label=N_("This computer"))


def account_from(raw: Mapping[str, Any]) -> AccountConfig | None:
    """The account an entry of the file's ``accounts`` describes; None for one this
    version cannot read (an unknown kind, no id): the others are read on."""
    kind = next((known for known in KINDS if known == raw.get("kind")), None)
    account_id = raw.get("id")
    if kind is None or not isinstance(account_id, str) or not account_id:
        return None
    ca_file = raw.get("ca_file")
    return AccountConfig(
        id=account_id,
        kind=kind,
        label=str(raw.get("label") or account_id),
        url=str(raw.get("url") or ""),
        username=str(raw.get("username") or ""),
        ca_file=ca_file if isinstance(ca_file, str) and ca_file else None,
    )


def accounts_from(data: Mapping[str, Any]) -> tuple[AccountConfig, ...]:
    """Every readable account of the file's contents, in the file's order."""
    return tuple(
        account
        for raw in data.get("accounts") or ()
        if isinstance(raw, dict) and (account := account_from(raw)) is not None
    )


def active_id_from(data: Mapping[str, Any]) -> str | None:
    """The file's ``active_account`` when it is a name at all."""
    active = data.get("active_account")
    return active if isinstance(active, str) else None


def active_of(accounts: Sequence[AccountConfig], active_id: str | None) -> AccountConfig | None:
    """The active account: the one ``active_id`` names, else the first one, else None."""
    if active_id is not None:
        found = next((a for a in accounts if a.id == active_id), None)
        if found is not None:
            return found
    return accounts[0] if accounts else None
