"""The public keys a release manifest must be signed with, built into the app.

They are the ``*.pub`` files (minisign format) in ``resources/update-keys/``: the current
key and the next one, so the signing key can be rotated without stranding installed
copies (sign with the next key once every installed version knows it, then add a new
next). A team that ships its own build replaces these files with its own keys
(``tracktray-server release keygen``) before running ``scripts/package``.
"""

from __future__ import annotations

from pathlib import Path

from tracktray.updater.minisign import PublicKey

__all__ = ["KEYS_DIR", "built_in_keys"]

KEYS_DIR = Path(__file__).resolve().parents[1] / "resources" / "update-keys"


def built_in_keys(folder: Path = KEYS_DIR) -> tuple[PublicKey, ...]:
    """Every key in ``folder``, in name order (read when an update is verified)."""
    return tuple(
        PublicKey.parse(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.pub"))
    )
