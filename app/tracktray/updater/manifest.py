"""The signed release manifest: which files make version X, how big, which SHA-256.

``manifest.json`` (UTF-8 JSON), signed by ``manifest.json.minisig`` (minisign format)::

    {"name": "tracktray", "version": "0.2.0",
     "artifacts": {"linux-folder": {"file": "0.2.0/tracktray-0.2.0-linux-x86_64.tar.xz",
                                    "size": 55307068, "sha256": "…"},
                   "linux-deb": {…}, "windows-inno": {…}, "mac-dmg": {…}}}

The server's ``checkVersion`` only says that a newer version exists and where the
manifest lives; what gets installed is what this file says, once its signature verifies
against a key built into the app (:mod:`tracktray.updater.keys`). Artifact paths are
relative to the manifest's address. A manifest for a version that is not newer than the
running one is refused (no downgrade, no replay of an old release).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from tracktray.domain.versions import parse_version_number
from tracktray.updater.minisign import PublicKey, Signature, SignatureError, verify

__all__ = ["Artifact", "Manifest", "ManifestError", "artifact_key", "verified_manifest"]

_SHA256 = re.compile(r"[0-9a-f]{64}")


class ManifestError(ValueError):
    """The manifest is not trustworthy or not usable here; the sentence says why."""


@dataclass(frozen=True)
class Artifact:
    """One downloadable file of a release, with its size and hash."""

    #: path relative to the manifest's address, e.g. ``0.2.0/tracktray-0.2.0-….tar.xz``
    file: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    """A release: its version and its artifacts by platform."""

    version: str
    artifacts: dict[str, Artifact]

    def to_json(self) -> bytes:
        data = {
            "name": "tracktray",
            "version": self.version,
            "artifacts": {
                key: {"file": a.file, "size": a.size, "sha256": a.sha256}
                for key, a in sorted(self.artifacts.items())
            },
        }
        return (json.dumps(data, indent=2, sort_keys=True) + "\n").encode()


def artifact_key(platform: str, kind: str) -> str:
    """``linux-folder``, ``linux-deb``, ``windows-inno``, ``mac-dmg`` (sys.platform, kind)."""
    if platform in ("win32", "cygwin"):
        system = "windows"
    elif platform == "darwin":
        system = "mac"
    else:
        system = "linux"
    return f"{system}-{kind}"


def _artifact(key: str, raw: Any) -> Artifact:
    if not isinstance(raw, dict):
        raise ManifestError(f"The manifest's entry {key} is not an object.")
    file, size, sha256 = raw.get("file"), raw.get("size"), raw.get("sha256")
    if not isinstance(file, str) or not file or file.startswith("/") or ".." in file.split("/"):
        raise ManifestError(f"The manifest's entry {key} names no usable file.")
    if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
        raise ManifestError(f"The manifest's entry {key} has no size.")
    if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
        raise ManifestError(f"The manifest's entry {key} has no SHA-256.")
    return Artifact(file, size, sha256)


def parse_manifest(data: bytes) -> Manifest:
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ManifestError("The release manifest is not valid JSON.") from None
    if not isinstance(raw, dict) or raw.get("name") != "tracktray":
        raise ManifestError("The release manifest is not a tracktray manifest.")
    version = raw.get("version")
    try:
        parse_version_number(str(version))
    except ValueError:
        raise ManifestError("The release manifest has no valid version.") from None
    artifacts = raw.get("artifacts")
    if not isinstance(artifacts, dict):
        raise ManifestError("The release manifest lists no files.")
    return Manifest(str(version), {str(k): _artifact(str(k), v) for k, v in artifacts.items()})


def verified_manifest(
    data: bytes, signature_text: str, keys: tuple[PublicKey, ...], running_version: str
) -> Manifest:
    """The manifest, once its signature holds and it offers a newer version."""
    try:
        verify(data, Signature.parse(signature_text), keys)
    except SignatureError as exc:
        raise ManifestError(str(exc)) from None
    manifest = parse_manifest(data)
    if parse_version_number(manifest.version) <= parse_version_number(running_version):
        raise ManifestError(
            f"The signed release is version {manifest.version}, not newer than this "
            f"tracktray ({running_version}); it is not installed."
        )
    return manifest
