"""Accounts: one interface over a remote server or the in-process engine.

The interface itself (:class:`Backend`, :class:`Capability`) is a contract shared with the
layers below and lives in :mod:`tracktray.contracts`; it is re-exported here for callers.
"""

from tracktray.contracts import Backend, Capability, TrackerManager

__all__ = ["Backend", "Capability", "TrackerManager"]
