"""What the engine raises when it says no. ``str(error)`` is one sentence for a person.

Each is a member of the one error tree (:mod:`tracktray.contracts.errors`), so local mode
hands them to the widget and the CLI unchanged, exactly as a remote client would raise
them; the engine's own names say what the HTTP faces map them to::

    EngineError           base (a TrackTrayError)
    ├── Refused           understood and refused ("a block is already running")  → Refused
    │   ├── ValidationError   the input was wrong (bad date, unknown tracker)    → ValidationFailed
    │   └── Overlap           the block would overlap ``block_id``               → Overlap
    ├── NotAllowed        the profile lacks the permission                       → PermissionDenied
    └── NotFound          no such block/profile/tracker (or not the caller's)    → NotFound
"""

from __future__ import annotations

from tracktray.contracts import errors as contract

__all__ = ["EngineError", "NotAllowed", "NotFound", "Overlap", "Refused", "ValidationError"]


class EngineError(contract.TrackTrayError):
    """Base of the engine's refusals."""


class Refused(EngineError, contract.Refused):
    pass


class ValidationError(Refused, contract.ValidationFailed):
    pass


class Overlap(Refused, contract.Overlap):
    """The block would overlap ``block_id``. The engine knows no web address; the
    TrackMyPeople face adds the edit page's (``url``) when it answers."""

    block_id: int

    def __init__(self, block_id: int, message: str | None = None) -> None:
        EngineError.__init__(self, message or f"That time overlaps block {block_id}.")
        self.block_id = block_id
        self.url = None


class NotAllowed(EngineError, contract.PermissionDenied):
    def __init__(self, message: str = "not allowed") -> None:
        EngineError.__init__(self, message)


class NotFound(EngineError, contract.NotFound):
    pass
