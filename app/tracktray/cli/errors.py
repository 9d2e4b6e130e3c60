"""Exit codes, and how each error maps to one (documented in docs/cli.md)."""

from __future__ import annotations

import enum

from tracktray.contracts.errors import (
    AuthenticationFailed,
    ProtocolError,
    ServerUnavailable,
    TrackTrayError,
)

__all__ = ["ExitCode", "UsageError", "exit_code_for"]


class ExitCode(enum.IntEnum):
    OK = 0
    #: the server (or local engine) refused: already started, not allowed, overlap...
    REFUSED = 1
    #: the command line was wrong: unknown option, tracker or date
    USAGE = 2
    #: the username/password was not accepted or is not available
    AUTH = 3
    #: the server could not be reached or answered nonsense
    UNREACHABLE = 4
    #: a bug in tracktray (details with --debug)
    INTERNAL = 70
    #: interrupted with Ctrl+C
    INTERRUPTED = 130


class UsageError(TrackTrayError):
    """What the person typed cannot be used; the message says why."""


def exit_code_for(error: TrackTrayError) -> ExitCode:
    # Imported here: the store pulls in nothing heavy, but keep this module tiny.
    from tracktray.store.credentials import CredentialStoreError
    from tracktray.store.settings import SettingsError

    if isinstance(error, UsageError | SettingsError):
        return ExitCode.USAGE
    if isinstance(error, AuthenticationFailed | CredentialStoreError):
        return ExitCode.AUTH
    if isinstance(error, ServerUnavailable | ProtocolError):
        return ExitCode.UNREACHABLE
    return ExitCode.REFUSED
