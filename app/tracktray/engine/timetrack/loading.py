"""The ``[[api_keys]]`` part of a ``tracktray-server load`` file.

::

    [[api_keys]]
    key = "acme-integration"
    secret = "a long random string"
    label = "payroll export"      # optional

The loader of the server calls :func:`load_api_keys` with the parsed document; loading
the same file twice leaves the same keys (a key listed again gets the secret given).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from tracktray.engine.errors import ValidationError
from tracktray.engine.timetrack import TimeTrack

if TYPE_CHECKING:
    from tracktray.engine import Engine

__all__ = ["load_api_keys"]


def load_api_keys(engine: Engine, document: Mapping[str, Any]) -> int:
    """Create or update every ``[[api_keys]]`` entry; returns how many were loaded."""
    entries = document.get("api_keys", [])
    if not isinstance(entries, list):
        raise ValidationError("api_keys must be a list of tables ([[api_keys]]).")
    timetrack = TimeTrack(engine)
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, Mapping):
            raise ValidationError(f"api_keys entry {number} is not a table.")
        key, secret, label = entry.get("key"), entry.get("secret"), entry.get("label", "")
        if not isinstance(key, str) or not isinstance(secret, str):
            raise ValidationError(f"api_keys entry {number} needs a key and a secret (text).")
        if not isinstance(label, str):
            raise ValidationError(f"The label of api_keys entry {number} must be text.")
        timetrack.set_api_key(key, secret, label)
    return len(entries)
