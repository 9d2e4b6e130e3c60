"""Accounts: one interface over a remote server or the in-process engine.

The interface itself (:class:`Backend`, :class:`Capability`) is a contract shared with the
layers below and lives in :mod:`tracktray.contracts`; it is re-exported here for callers,
loaded on first use (PEP 562) so that ``accounts.kinds`` stays light to import.
"""

from __future__ import annotations

from tracktray._lazy import lazy_exports

TYPE_CHECKING = False  # typing itself is not imported at run time (a few ms per command)
if TYPE_CHECKING:
    from tracktray.contracts import Backend, Capability, TrackerManager

__all__ = ["Backend", "Capability", "TrackerManager"]


__getattr__ = lazy_exports(__name__, dict.fromkeys(__all__, "tracktray.contracts.backend"))
