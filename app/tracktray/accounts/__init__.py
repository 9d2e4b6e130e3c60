"""Accounts: one interface over a remote server or the in-process engine."""

from tracktray.accounts.backend import Backend, Capability, TrackerManager

__all__ = ["Backend", "Capability", "TrackerManager"]
