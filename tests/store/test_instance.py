"""The widget's address is the same name whichever SHA-256 implementation computes it."""

from __future__ import annotations

import hashlib
from pathlib import Path

from tracktray.store.instance import _sha256, instance_address


def test_the_digest_is_sha256() -> None:
    for data in (b"", b"user\0tracktray\0/run/user/1000/tracktray"):
        assert _sha256(data) == hashlib.sha256(data).hexdigest()


def test_the_address_names_the_folder_and_the_digest(tmp_path: Path) -> None:
    address = instance_address(directory=tmp_path)
    assert address.folder == tmp_path
    assert address.socket_path.parent == tmp_path
    assert address.socket_path.name.startswith("tracktray-")
    assert address.lock_path.name == address.socket_path.name.replace(".socket", ".lock")
