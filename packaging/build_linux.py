"""Wrap the PyInstaller one-folder bundle into the Linux tarball and the ``.deb``.

    python packaging/build_linux.py BUNDLE OUT ICONS

BUNDLE is PyInstaller's ``dist/tracktray`` folder, ICONS the folder written by
``render_icons.py``. Writes into OUT:

- ``tracktray-<version>-linux-<arch>.tar.xz``: a folder ``tracktray/`` laid out for side
  by side updates (``app-<version>/`` bundle, ``current`` symlink, a ``tracktray``
  launcher), with ``install-launcher.sh`` (menu entry + icons for this user), the desktop
  entry, icons and AppStream metainfo under ``share/``;
- ``tracktray_<version>_<debarch>.deb``: the bundle in ``/opt/tracktray``, ``tracktray``
  and ``tracktray-server`` in ``/usr/bin``, the menu entry, icons and metainfo under
  ``/usr/share`` (built with ``dpkg-deb``, root-owned files, no maintainer scripts).

Each copy of the bundle gets its ``install-kind`` marker (``folder`` or ``deb``; see
``tracktray.installation``), which the update check sends to the server.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINUX = ROOT / "packaging" / "linux"
sys.path.insert(0, str(ROOT / "app"))
from tracktray import __version__ as VERSION  # noqa: E402

METAINFO = "org.tracktray.TrackTray.metainfo.xml"
#: PACKAGE_FAST=1 (the tests): light compression, same contents, much quicker on 2 cores
FAST = os.environ.get("PACKAGE_FAST") == "1"
#: what the bundle needs from the system (Qt's xcb plugin and its friends)
DEB_DEPENDS = (
    "libegl1, libgl1, libfontconfig1, libdbus-1-3, libxkbcommon-x11-0, "
    "libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1, libxcb-image0, libxcb-randr0, "
    "libxcb-render-util0, libxcb-shape0, libxcb-xfixes0, libxcb-xkb1"
)


def _glibc() -> str:
    """The build machine's glibc ("2.36"): the bundle needs it or newer."""
    found = os.confstr("CS_GNU_LIBC_VERSION") or "glibc 2.31"
    return found.split()[-1]


def _arch() -> tuple[str, str]:
    machine = platform.machine()
    return machine, {"x86_64": "amd64", "aarch64": "arm64"}.get(machine, machine)


def _share(into: Path, icons: Path, *, exec_line: str) -> None:
    """Desktop entry, icons and metainfo under ``into`` (a ``share`` folder)."""
    (into / "applications").mkdir(parents=True, exist_ok=True)
    entry = (ROOT / "resources" / "desktop" / "tracktray.desktop").read_text(encoding="utf-8")
    lines = [
        f"Exec={exec_line}" if line.startswith("Exec=") else line for line in entry.splitlines()
    ]
    (into / "applications" / "tracktray.desktop").write_text("\n".join(lines) + "\n", "utf-8")
    shutil.copytree(icons / "hicolor", into / "icons" / "hicolor", dirs_exist_ok=True)
    scalable = into / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "resources" / "icons" / "tracktray.svg", scalable / "tracktray.svg")
    (into / "metainfo").mkdir(parents=True, exist_ok=True)
    text = (LINUX / METAINFO).read_text(encoding="utf-8")
    today = dt.datetime.now(dt.UTC).date().isoformat()
    text = text.replace("@VERSION@", VERSION).replace("@DATE@", today)
    (into / "metainfo" / METAINFO).write_text(text, encoding="utf-8")


def _copy_bundle(bundle: Path, to: Path, kind: str) -> None:
    shutil.copytree(bundle, to, symlinks=True)
    (to / "install-kind").write_text(kind + "\n", encoding="ascii")


def _executable(path: Path) -> None:
    path.chmod(0o755)


def tarball(bundle: Path, out: Path, icons: Path, work: Path) -> Path:
    machine, _ = _arch()
    top = work / "tar" / "tracktray"
    shutil.rmtree(top.parent, ignore_errors=True)
    top.mkdir(parents=True)
    _copy_bundle(bundle, top / f"app-{VERSION}", "folder")
    (top / "current").symlink_to(f"app-{VERSION}")
    for name in ("tracktray", "tracktray-server"):
        shutil.copy2(LINUX / "tracktray-launcher.sh", top / name)
        _executable(top / name)
    shutil.copy2(LINUX / "install-launcher.sh", top / "install-launcher.sh")
    _executable(top / "install-launcher.sh")
    _share(top / "share", icons, exec_line="tracktray")
    target = out / f"tracktray-{VERSION}-linux-{machine}.tar.xz"

    def owned_by_root(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = "root"
        return info

    with tarfile.open(target, "w:xz", preset=0 if FAST else 6) as archive:
        archive.add(top, arcname="tracktray", filter=owned_by_root)
    return target


def deb(bundle: Path, out: Path, icons: Path, work: Path) -> Path:
    _, debarch = _arch()
    tree = work / "deb"
    shutil.rmtree(tree, ignore_errors=True)
    _copy_bundle(bundle, tree / "opt" / "tracktray", "deb")
    (tree / "usr" / "bin").mkdir(parents=True)
    for name in ("tracktray", "tracktray-server"):
        (tree / "usr" / "bin" / name).symlink_to(f"/opt/tracktray/{name}")
    _share(tree / "usr" / "share", icons, exec_line="tracktray")
    size_kb = sum(f.stat().st_size for f in tree.rglob("*") if f.is_file() and not f.is_symlink())
    control = tree / "DEBIAN" / "control"
    control.parent.mkdir()
    control.write_text(
        f"Package: tracktray\n"
        f"Version: {VERSION}\n"
        f"Architecture: {debarch}\n"
        f"Maintainer: The tracktray developers <tracktray@localhost>\n"
        f"Installed-Size: {size_kb // 1024}\n"
        f"Depends: libc6 (>= {_glibc()}), {DEB_DEPENDS}\n"
        f"Section: utils\n"
        f"Priority: optional\n"
        f"Description: system-tray time tracker\n"
        f" One click in the tray starts or stops the timer. Talks to TrackMyPeople and\n"
        f" TimeTrack Enterprise servers, keeps time locally without one, and ships\n"
        f" tracktray-server for teams that host their own.\n",
        encoding="utf-8",
    )
    for path in tree.rglob("*"):
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() or os.access(path, os.X_OK) else 0o644)
    target = out / f"tracktray_{VERSION}_{debarch}.deb"
    subprocess.run(
        [
            "dpkg-deb",
            "--root-owner-group",
            "-Zxz",
            "-z0" if FAST else "-z6",
            "--build",
            str(tree),
            str(target),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return target


def main(bundle: Path, out: Path, icons: Path) -> None:
    if not (bundle / "tracktray").is_file():
        raise SystemExit(f"build_linux: {bundle} is not a PyInstaller bundle of tracktray")
    out.mkdir(parents=True, exist_ok=True)
    work = out / ".work"
    try:
        for made in (tarball(bundle, out, icons, work), deb(bundle, out, icons, work)):
            print(f"{made}  ({made.stat().st_size / 1e6:.1f} MB)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
