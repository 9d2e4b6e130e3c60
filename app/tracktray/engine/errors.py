"""What the engine raises when it says no. ``str(error)`` is one sentence for a person.

::

    EngineError           base
    ├── Refused           understood and refused ("a block is already running")
    │   ├── ValidationError   the input was wrong (bad date, unknown tracker, start > stop)
    │   └── Overlap           the block would overlap ``block_id``
    ├── NotAllowed        the profile lacks the permission
    └── NotFound          no such block/profile/tracker (or not the caller's)
"""

from __future__ import annotations

__all__ = ["EngineError", "NotAllowed", "NotFound", "Overlap", "Refused", "ValidationError"]


class EngineError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class Refused(EngineError):
    pass


class ValidationError(Refused):
    pass


class Overlap(Refused):
    def __init__(self, block_id: int, message: str | None = None) -> None:
        super().__init__(message or f"That time overlaps block {block_id}.")
        self.block_id = block_id


class NotAllowed(EngineError):
    def __init__(self, message: str = "not allowed") -> None:
        super().__init__(message)


class NotFound(EngineError):
    pass
