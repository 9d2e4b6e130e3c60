"""Open the backend an account configuration describes.

The one place that knows which class serves which kind of account. Imports are lazy
per kind: a remote account never loads SQLAlchemy, local mode never loads httpx.
"""

from __future__ import annotations

from pathlib import Path

from tracktray import __version__
from tracktray.contracts.backend import Backend
from tracktray.contracts.errors import AuthenticationFailed, ValidationFailed
from tracktray.store.settings import AccountConfig

__all__ = ["default_data_dir", "open_backend", "widget_version"]


def default_data_dir() -> Path:
    """Where local mode keeps its database (platformdirs' user data dir)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("tracktray", appauthor=False))


def widget_version() -> str:
    """This program as the TrackMyPeople ``version`` parameter names it (``Linux_Qt-0.1.0``)."""
    import sys

    from tracktray.domain.parsing import format_widget_version

    return format_widget_version(__version__, sys.platform)


def open_backend(config: AccountConfig, secret: str | None, *, data_dir: Path) -> Backend:
    """A ready backend for ``config``; ``secret`` is the password (unused for local)."""
    if config.kind == "local":
        from tracktray.accounts.local import open_local_backend

        return open_local_backend(data_dir)
    if config.kind == "trackmypeople":
        from tracktray.api._http import make_http_client
        from tracktray.api.trackmypeople import TrackMyPeopleClient

        if not secret:
            raise AuthenticationFailed(f"No password is known for the account “{config.label}”.")
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
    if config.kind == "timetrack":
        from tracktray.accounts.timetrack import open_timetrack

        return open_timetrack(config, secret)
    raise ValidationFailed(f"This version of tracktray cannot open {config.kind} accounts.")
