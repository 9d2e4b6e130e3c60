"""Account kinds as data: the one table of what differs between kinds of account.

For each kind: how people call it, what it signs in with, how its server address is
written canonically, and what opens it. :func:`new_account` is the one way an account
comes into being, for the CLI (``tracktray accounts add``) and the widget's sign-in dialog
alike: same canonical address, same label, and the same account reused when the same
person signs in to the same server again. Nothing else branches on ``kind``.
"""

from __future__ import annotations

from tracktray.contracts.errors import AuthenticationFailed, ValidationFailed
from tracktray.i18n import N_, _
from tracktray.store.account_config import AccountConfig, AccountKind

__all__ = ["KINDS", "SIGN_IN_KINDS", "AccountKindSpec", "kind_of", "new_account"]

# Only names for the type checker: the CLI imports this table for every command, and
# Backend (the whole domain model) and typing cost more than the table itself.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Literal, TypeAlias

    from tracktray.contracts import Backend
    from tracktray.domain.status import Status
    from tracktray.store.account_config import StrPath
    from tracktray.store.settings import Settings

    #: what an account of a kind signs in with (the keyring keeps it as one entry)
    Credential: TypeAlias = Literal["none", "password", "key_secret"]
    Opener: TypeAlias = Callable[[AccountConfig, str | None, StrPath], Backend]
    #: the account's status in one request (None: only the backend can ask here), given
    #: its secret as a function, called when the request is about to go
    StatusReader: TypeAlias = Callable[[AccountConfig, Callable[[], str | None]], Status | None]


class AccountKindSpec:
    """What one kind of account is: its name, credential, address rules and opener.

    A plain class, not a dataclass: every command reads this table, and the
    ``dataclasses`` module costs ``tracktray status`` more than the table itself."""

    __slots__ = (
        "credential",
        "kind",
        "normalize_url",
        "open",
        "read_status_once",
        "title",
        "url_hint",
    )

    def __init__(
        self,
        *,
        kind: AccountKind,
        title: str,
        credential: Credential,
        url_hint: str,
        normalize_url: Callable[[str], str],
        open: Opener,
        read_status_once: StatusReader | None = None,
    ) -> None:
        self.kind = kind
        #: the kind's name for people ("TimeTrack Enterprise")
        self.title = title
        #: what an account of the kind signs in with
        self.credential = credential
        #: an example address, shown where the address is asked for
        self.url_hint = url_hint
        #: the canonical address from what a person typed; ValidationFailed with a sentence
        self.normalize_url = normalize_url
        #: a ready backend for an account of this kind and its secret
        self.open = open
        #: the status in one request, for a command that reads nothing else (``tracktray
        #: status``) and need not open the backend; None: the backend reads it
        self.read_status_once = read_status_once

    def __repr__(self) -> str:
        return f"AccountKindSpec(kind={self.kind!r})"

    @property
    def signs_in(self) -> bool:
        """Whether the account lives on a server one signs in to (not this computer)."""
        return self.credential != "none"


def _same_text(url: str) -> str:
    return url


def _trackmypeople_url(url: str) -> str:
    from tracktray.api import normalize_base_url

    return normalize_base_url(url)


def _timetrack_url(url: str) -> str:
    from tracktray.api import timetrack_base_url

    return timetrack_base_url(url)


def _open_local(config: AccountConfig, secret: str | None, data_dir: StrPath) -> Backend:
    from tracktray.accounts.local import open_local_backend

    return open_local_backend(data_dir)


def _password(config: AccountConfig, secret: str | None) -> str:
    if not secret:
        raise AuthenticationFailed(
            _("No password is known for the account “{label}”.").format(label=config.shown_label)
        )
    return secret


def _open_trackmypeople(config: AccountConfig, secret: str | None, data_dir: StrPath) -> Backend:
    from tracktray.accounts.factory import widget_version
    from tracktray.api import TrackMyPeopleClient, make_http_client

    secret = _password(config, secret)
    http = make_http_client(config.ca_file)
    try:
        return TrackMyPeopleClient(
            config.url,
            config.username,
            secret,
            http=http,
            owns_http=True,
            widget_version=widget_version(),
        )
    except BaseException:
        http.close()
        raise


def _trackmypeople_status(config: AccountConfig, secret: Callable[[], str | None]) -> Status | None:
    from tracktray.api.status_once import trackmypeople_status

    return trackmypeople_status(
        config.url,
        config.username,
        lambda: _password(config, secret()),
        ca_file=config.ca_file,
    )


def _open_timetrack(config: AccountConfig, secret: str | None, data_dir: StrPath) -> Backend:
    from tracktray.accounts.timetrack import open_timetrack

    return open_timetrack(config, secret)


KINDS: dict[AccountKind, AccountKindSpec] = {
    spec.kind: spec
    for spec in (
        AccountKindSpec(
            kind="local",
            title=N_("This computer"),
            credential="none",
            url_hint="",
            normalize_url=_same_text,
            open=_open_local,
        ),
        AccountKindSpec(
            kind="trackmypeople",
            title="TrackMyPeople",  # not translated: a product name
            credential="password",
            url_hint="https://secure.trackmypeople.com/api/",
            normalize_url=_trackmypeople_url,
            open=_open_trackmypeople,
            read_status_once=_trackmypeople_status,
        ),
        AccountKindSpec(
            kind="timetrack",
            title="TimeTrack Enterprise",  # not translated: a product name
            credential="key_secret",
            url_hint="https://<account>.timetrackenterprise.com",
            normalize_url=_timetrack_url,
            open=_open_timetrack,
        ),
    )
}
#: the kinds a person can sign in to, in the order they are offered
SIGN_IN_KINDS: tuple[AccountKindSpec, ...] = tuple(s for s in KINDS.values() if s.signs_in)


def kind_of(account: AccountConfig) -> AccountKindSpec:
    spec = KINDS.get(account.kind)
    if spec is None:
        raise ValidationFailed(
            _("This version of tracktray cannot open {kind} accounts.").format(kind=account.kind)
        )
    return spec


def new_account(
    settings: Settings,
    kind: AccountKind,
    url: str,
    username: str,
    *,
    ca_file: str | None = None,
    label: str | None = None,
    again: AccountConfig | None = None,
) -> AccountConfig:
    """The account a person described, ready to check against its server and save.

    The address is made canonical (``https://host`` and ``https://host/api/`` are one
    server). The same person on the same server is the same account, and so is ``again``
    (the account being signed in to anew): its id and label are kept, so signing in again
    never adds a twin. Otherwise the id and the label come from ``user@host``. Raises
    ValidationFailed with a sentence for an address that cannot be.
    """
    spec = KINDS[kind]
    canonical = spec.normalize_url(url.strip())
    username = username.strip()
    same = again or next(
        (
            a
            for a in settings.accounts
            if a.kind == kind and a.url == canonical and a.username == username
        ),
        None,
    )
    import urllib.parse

    host = urllib.parse.urlsplit(canonical).hostname or "server"
    default_label = f"{username}@{host}"
    return AccountConfig(
        id=same.id if same else settings.new_account_id(default_label),
        kind=kind,
        label=label or (same.label if same else default_label),
        url=canonical,
        username=username,
        ca_file=ca_file,
    )
