"""Accounts: one interface over a remote server or the in-process engine.

The interface itself (:class:`Backend`, :class:`Capability`) is a contract shared with the
layers below and lives in :mod:`tracktray.contracts`; it is re-exported here for callers,
loaded on first use (PEP 562) so that ``accounts.kinds`` stays light to import.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself is not imported at run time (a few ms per command)
if TYPE_CHECKING:
    from typing import Any

    from tracktray.contracts import Backend, Capability, TrackerManager

__all__ = ["Backend", "Capability", "TrackerManager"]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import tracktray.contracts.backend as backend

    return getattr(backend, name)
