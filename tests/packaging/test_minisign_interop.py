"""Our minisign format against Debian's ``minisign`` tool, both ways, and its refusals.

A team signs its releases with ``tracktray-server release`` or with ``minisign`` itself;
either signature must verify in the widget, and ours must verify with ``minisign -V``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tracktray.updater import minisign
from tracktray.updater.keys import built_in_keys
from tracktray.updater.manifest import Artifact, Manifest, ManifestError, verified_manifest

needs_minisign = pytest.mark.skipif(
    shutil.which("minisign") is None,
    reason="needs minisign (Debian package minisign): run scripts/install-system-packages",
)


@needs_minisign
def test_a_file_signed_by_minisign_verifies_here(tmp_path: Path) -> None:
    subprocess.run(
        ["minisign", "-G", "-W", "-p", "k.pub", "-s", "k.key"], cwd=tmp_path, check=True,
        capture_output=True, timeout=30,
    )  # fmt: skip
    (tmp_path / "manifest.json").write_bytes(b'{"name": "tracktray"}\n')
    subprocess.run(
        ["minisign", "-S", "-s", "k.key", "-m", "manifest.json", "-t", "tracktray 9.9.9"],
        cwd=tmp_path, check=True, capture_output=True, timeout=30,
    )  # fmt: skip
    public = minisign.PublicKey.parse((tmp_path / "k.pub").read_text())
    signature = minisign.Signature.parse((tmp_path / "manifest.json.minisig").read_text())
    data = (tmp_path / "manifest.json").read_bytes()
    assert minisign.verify(data, signature, (public,)) == public
    assert signature.trusted_comment == "tracktray 9.9.9"
    # its unencrypted secret key signs here too (release add --key k.key)
    secret = minisign.SecretKey.parse((tmp_path / "k.key").read_text())
    assert secret.public == public
    with pytest.raises(minisign.SignatureError, match="does not match"):
        minisign.verify(data + b" ", signature, (public,))


@needs_minisign
def test_a_file_signed_here_verifies_with_minisign(tmp_path: Path) -> None:
    key = minisign.generate()
    (tmp_path / "k.pub").write_text(key.public.text())
    (tmp_path / "k.key").write_text(key.text())
    data = b"release files\n"
    (tmp_path / "f").write_bytes(data)
    (tmp_path / "f.minisig").write_text(minisign.sign(data, key, "tracktray 1.0.0").text())
    done = subprocess.run(
        ["minisign", "-V", "-p", "k.pub", "-m", "f"], cwd=tmp_path, capture_output=True,
        text=True, timeout=30, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Trusted comment: tracktray 1.0.0" in done.stdout
    # and minisign signs with a key made here
    subprocess.run(
        ["minisign", "-S", "-s", "k.key", "-m", "f", "-x", "g.minisig"], cwd=tmp_path,
        check=True, capture_output=True, timeout=30,
    )  # fmt: skip
    signature = minisign.Signature.parse((tmp_path / "g.minisig").read_text())
    assert minisign.verify(data, signature, (key.public,)) == key.public


def test_the_built_in_keys_are_two_distinct_ed25519_keys() -> None:
    keys = built_in_keys()
    assert len(keys) == 2 and keys[0].key_id != keys[1].key_id  # current and next


def test_rotation_a_release_signed_by_the_next_key_verifies() -> None:
    current, following = minisign.generate(), minisign.generate()
    manifest = Manifest("2.0.0", {"linux-folder": Artifact("2.0.0/x.tar.xz", 1, "0" * 64)})
    data = manifest.to_json()
    signature = minisign.sign(data, following, "tracktray 2.0.0").text()
    keys = (current.public, following.public)
    assert verified_manifest(data, signature, keys, "1.0.0") == manifest
    with pytest.raises(ManifestError, match="does not trust"):
        verified_manifest(data, signature, (current.public,), "1.0.0")


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("", "incomplete"),
        ("untrusted comment: x\nnot base64!\ntrusted comment: y\nAAAA\n", "not valid base64"),
        ("untrusted comment: x\nAAAA\ntrusted comment: y\nAAAA\n", "wrong length"),
    ],
)
def test_a_damaged_signature_file_is_one_sentence(text: str, sentence: str) -> None:
    with pytest.raises(minisign.SignatureError, match=sentence):
        minisign.Signature.parse(text)


@pytest.mark.parametrize(
    "entry",
    [
        {"file": "../../etc/passwd", "size": 1, "sha256": "0" * 64},
        {"file": "/abs", "size": 1, "sha256": "0" * 64},
        {"file": "a", "size": 0, "sha256": "0" * 64},
        {"file": "a", "size": 1, "sha256": "xyz"},
    ],
)
def test_a_manifest_entry_that_could_escape_or_lie_is_refused(entry: dict[str, object]) -> None:
    import json

    key = minisign.generate()
    data = json.dumps(
        {"name": "tracktray", "version": "2.0.0", "artifacts": {"linux-folder": entry}}
    ).encode()
    signature = minisign.sign(data, key, "t").text()
    with pytest.raises(ManifestError, match="entry linux-folder"):
        verified_manifest(data, signature, (key.public,), "1.0.0")


def test_the_widget_starts_without_loading_cryptography() -> None:
    """Verification loads ``cryptography`` when an update is prepared, not at start-up."""
    code = (
        "import sys; import tracktray.desktop.controller, tracktray.cli.main; "
        "print('cryptography' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "False"
