"""Publishing widget releases: a signed manifest and its files, served by the same server.

::

    tracktray-server release keygen KEYFILE            a signing key (KEYFILE.pub beside it)
    tracktray-server release add [--db URL] --dir DIR --key KEYFILE --base-url URL FILES…
    tracktray-server serve … --releases DIR             serve DIR at /releases/

``release add`` copies the artifacts into ``DIR/<version>/``, writes ``DIR/manifest.json``
(version; per platform and install kind: file, size, SHA-256) and its minisign
signature ``DIR/manifest.json.minisig``, and records the version for each platform it
has a file for, with ``<base-url>/releases/`` as the download page. ``checkVersion``
then answers ``url`` (the page), ``version`` and ``manifest`` (our extra keys). What a
widget installs is decided by the signature, checked against the keys built into it.

Files are named as ``scripts/package`` and the release workflow name them:
``tracktray-X.Y.Z-linux-<arch>.tar.xz`` (linux-folder), ``tracktray_X.Y.Z_<arch>.deb``
(linux-deb), ``tracktray-X.Y.Z-windows-x64-setup.exe`` (windows-inno),
``tracktray-X.Y.Z-mac.dmg`` (mac-dmg).
"""

from __future__ import annotations

import argparse
import hashlib
import html
import re
import shutil
from pathlib import Path
from typing import Any

from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from tracktray.domain.versions import parse_version_number
from tracktray.engine import Engine
from tracktray.updater import minisign
from tracktray.updater.manifest import Artifact, Manifest

__all__ = [
    "PREFIX",
    "ReleaseError",
    "add_arguments",
    "command",
    "manifest_url_for",
    "publish",
    "routes",
]

PREFIX = "/releases/"
MANIFEST = "manifest.json"

#: file name → (artifact key, engine platform)
_PATTERNS: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"tracktray-(?P<v>[\d.]+)-linux-[\w]+\.tar\.xz"), "linux-folder", "Linux_Qt"),
    (re.compile(r"tracktray_(?P<v>[\d.]+)_[\w]+\.deb"), "linux-deb", "Linux_Qt"),
    (re.compile(r"tracktray-(?P<v>[\d.]+)-windows-[\w]+-setup\.exe"), "windows-inno", "Windows_Qt"),
    (re.compile(r"tracktray-(?P<v>[\d.]+)-mac\.dmg"), "mac-dmg", "Mac_Qt"),
)


class ReleaseError(ValueError):
    """A release that cannot be published; the sentence says why."""


def manifest_url_for(url: str | None) -> str | None:
    """The manifest beside a download page published by :func:`publish`, else None."""
    if url and url.endswith(PREFIX):
        return url + MANIFEST
    return None


def _classify(path: Path, version: str) -> tuple[str, str]:
    for pattern, key, platform in _PATTERNS:
        match = pattern.fullmatch(path.name)
        if match is not None:
            if match["v"] != version:
                raise ReleaseError(f"{path.name} is not version {version}.")
            return key, platform
    raise ReleaseError(
        f"{path.name} is not named like a tracktray release file "
        "(tracktray-X.Y.Z-linux-ARCH.tar.xz, tracktray_X.Y.Z_ARCH.deb, "
        "tracktray-X.Y.Z-windows-x64-setup.exe, tracktray-X.Y.Z-mac.dmg)."
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def publish(
    directory: Path, version: str, files: list[Path], key: minisign.SecretKey
) -> tuple[Manifest, set[str]]:
    """Copy ``files`` into ``directory``, write and sign the manifest; the platforms."""
    try:
        parse_version_number(version)
    except ValueError as exc:
        raise ReleaseError(str(exc)) from None
    if not files:
        raise ReleaseError("Name at least one release file.")
    folder = directory / version
    folder.mkdir(parents=True, exist_ok=True)
    artifacts: dict[str, Artifact] = {}
    platforms: set[str] = set()
    for path in files:
        if not path.is_file():
            raise ReleaseError(f"{path} does not exist.")
        kind, platform = _classify(path, version)
        target = folder / path.name
        if path.resolve() != target.resolve():
            shutil.copyfile(path, target)
        artifacts[kind] = Artifact(f"{version}/{path.name}", target.stat().st_size, _sha256(target))
        platforms.add(platform)
    manifest = Manifest(version, artifacts)
    data = manifest.to_json()
    signature = minisign.sign(data, key, f"tracktray {version} {MANIFEST}")
    (directory / MANIFEST).write_bytes(data)
    (directory / f"{MANIFEST}.minisig").write_text(signature.text(), encoding="utf-8")
    (directory / "index.html").write_text(_page(manifest, key.public), encoding="utf-8")
    return manifest, platforms


_KINDS = {
    "linux-folder": "Linux, any distribution (tarball: unpack, run tracktray/tracktray)",
    "linux-deb": "Debian and Ubuntu (.deb)",
    "windows-inno": "Windows (installer)",
    "mac-dmg": "macOS (.dmg)",
}


def _page(manifest: Manifest, key: minisign.PublicKey) -> str:
    """The download page checkVersion's ``url`` points at (``/releases/``)."""
    rows = "\n".join(
        f"<tr><td>{html.escape(_KINDS.get(kind, kind))}</td>"
        f'<td><a href="{html.escape(a.file)}">{html.escape(a.file.rsplit("/", 1)[-1])}</a></td>'
        f"<td>{a.size / 2**20:.1f} MiB</td><td><code>{a.sha256}</code></td></tr>"
        for kind, a in sorted(manifest.artifacts.items())
    )
    version = html.escape(manifest.version)
    return (
        "<!doctype html>\n<html lang=en><meta charset=utf-8>"
        f"<title>tracktray {version}</title>\n<h1>tracktray {version}</h1>\n"
        "<table><tr><th>for</th><th>file</th><th>size</th><th>SHA-256</th></tr>\n"
        f"{rows}\n</table>\n<p>Signed manifest: <a href=manifest.json>manifest.json</a> "
        f"and <a href=manifest.json.minisig>manifest.json.minisig</a> (minisign, key "
        f"{key.id_hex}: <code>minisign -V -p KEY.pub -m manifest.json</code>).</p>\n"
    )


def routes(directory: Path | None) -> list[BaseRoute]:
    """``/releases/`` over ``directory`` (manifest, signature, files), when one is given."""
    if directory is None:
        return []
    return [Mount(PREFIX.rstrip("/"), app=StaticFiles(directory=directory, html=True))]


def add_arguments(commands: Any, serve: argparse.ArgumentParser) -> None:
    """``release keygen|add`` and ``serve --releases DIR``."""
    serve.add_argument("--releases", type=Path, metavar="DIR", help="serve DIR at /releases/")
    release = commands.add_parser("release", help="publish a signed widget release")
    actions = release.add_subparsers(dest="release_command", required=True, metavar="ACTION")
    keygen = actions.add_parser("keygen", help="make a signing key (KEYFILE and KEYFILE.pub)")
    keygen.add_argument("keyfile", type=Path, metavar="KEYFILE")
    add = actions.add_parser("add", help="sign and publish release files")
    add.add_argument("--db", help="database URL (as for serve)")
    add.add_argument("--dir", type=Path, required=True, help="the folder `serve --releases` serves")
    add.add_argument("--key", type=Path, required=True, help="the secret key (release keygen)")
    add.add_argument("--base-url", required=True, help="the server's public https address")
    add.add_argument("--version", dest="release_version", required=True, metavar="X.Y.Z")
    add.add_argument("files", type=Path, nargs="+", metavar="FILE")


def command(args: argparse.Namespace, open_engine: Any, say: Any) -> int:
    """Run ``release keygen`` or ``release add``; errors are one sentence, exit 1."""
    try:
        if args.release_command == "keygen":
            _keygen(args.keyfile, say)
            return 0
        if not str(args.base_url).startswith("https://"):
            raise ReleaseError("--base-url must start with https://.")
        key = minisign.SecretKey.parse(args.key.read_text(encoding="utf-8"))
        manifest, platforms = publish(args.dir, args.release_version, args.files, key)
        page = str(args.base_url).rstrip("/") + PREFIX
        engine: Engine = open_engine(args.db)
        try:
            for platform in sorted(platforms):
                engine.set_release(platform, manifest.version, page)
        finally:
            engine.close()
        say(
            f"Published tracktray {manifest.version} ({', '.join(sorted(manifest.artifacts))}) "
            f"in {args.dir}, signed by key {key.public.id_hex}; offered at {page}."
        )
        return 0
    except (ReleaseError, minisign.SignatureError, OSError) as exc:
        say(f"tracktray-server: {exc}", error=True)
        return 1


def _keygen(path: Path, say: Any) -> None:
    if path.exists():
        raise ReleaseError(f"{path} exists; choose another name (keys are never overwritten).")
    key = minisign.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(key.text(), encoding="utf-8")
    public = path.with_name(path.name + ".pub")
    public.write_text(key.public.text(f"tracktray release key {key.public.id_hex}"), "utf-8")
    say(f"Secret key: {path} (keep it private). Public key: {public} (build it into the app).")
