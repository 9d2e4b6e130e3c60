"""Open the backend an account configuration describes (through :mod:`.kinds`).

Imports are lazy per kind: a remote account never loads SQLAlchemy, local mode never
loads the HTTP client (nor ssl).
"""

from __future__ import annotations

from tracktray import __version__
from tracktray.accounts.kinds import kind_of
from tracktray.store.account_config import AccountConfig

TYPE_CHECKING = False  # the Backend protocol (typing, the domain model) is a name only here
if TYPE_CHECKING:
    from pathlib import Path

    from tracktray.contracts import Backend
    from tracktray.store.account_config import StrPath

__all__ = ["default_data_dir", "open_backend", "widget_version"]


def default_data_dir() -> Path:
    """Where local mode keeps its database (platformdirs' user data dir)."""
    from pathlib import Path

    from tracktray.store.places import user_data_dir

    return Path(user_data_dir())


def widget_version() -> str:
    """This program as the TrackMyPeople ``version`` parameter names it (``Linux_Qt-0.1.0``)."""
    import sys

    from tracktray.domain.versions import format_widget_version  # not parsing: no decimal

    return format_widget_version(__version__, sys.platform)


def open_backend(config: AccountConfig, secret: str | None, *, data_dir: StrPath) -> Backend:
    """A ready backend for ``config``; ``secret`` is the password (unused for local)."""
    return kind_of(config).open(config, secret, data_dir)
