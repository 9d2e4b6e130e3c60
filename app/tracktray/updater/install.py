"""Put a verified artifact in place, the way this copy of tracktray was installed.

- ``folder`` (the Linux tarball): the install root holds ``app-<version>/`` bundles side
  by side, a ``current`` symlink and the ``tracktray`` launcher (see
  ``packaging/linux/tracktray-launcher.sh``). :func:`stage_folder` unpacks the new
  version beside the running one (the running files are never touched);
  :func:`switch_folder` points ``current`` at it, atomically, when the widget quits.
- ``inno`` (Windows): :func:`handoff_command` runs the verified installer silently after
  the widget quits; ``/RELAUNCH`` makes it start the new version.
- ``dmg`` (macOS): the verified ``.dmg`` is opened for the person to drag the app over.
- ``deb``: nothing here; the package manager updates ``/opt/tracktray``.
"""

from __future__ import annotations

import os
import shutil
import tarfile
from pathlib import Path

__all__ = [
    "InstallError",
    "folder_root",
    "handoff_command",
    "stage_folder",
    "switch_folder",
]

CURRENT = "current"


class InstallError(ValueError):
    """The update could not be put in place; the sentence says why."""


def folder_root(bundle: Path) -> Path | None:
    """The side-by-side install root of ``bundle`` (``<root>/app-X``), if it is one."""
    root = bundle.parent
    current = root / CURRENT
    if not bundle.name.startswith("app-") or not current.is_symlink():
        return None
    return root


def stage_folder(tarball: Path, root: Path, version: str) -> Path:
    """Unpack ``tracktray/app-<version>/`` of the verified ``tarball`` into ``root``."""
    wanted = f"app-{version}"
    final = root / wanted
    staging = root / f".staging-{version}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        with tarfile.open(tarball) as archive:
            archive.extractall(staging, filter="data")
        unpacked = staging / "tracktray" / wanted
        if not (unpacked / "tracktray").is_file():
            raise InstallError(
                f"The update's archive holds no tracktray {version} bundle ({wanted}/tracktray)."
            )
        if final.exists():
            shutil.rmtree(final)  # an earlier attempt that was never switched to
        unpacked.rename(final)
        # the launcher may have changed too; it is small and never running long
        launcher = staging / "tracktray" / "tracktray"
        if launcher.is_file():
            os.replace(launcher, root / "tracktray")
    except (OSError, tarfile.TarError) as exc:
        raise InstallError(f"The update could not be unpacked in {root}: {exc}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return final


def switch_folder(root: Path, version: str) -> None:
    """Make ``app-<version>`` the one that starts (atomic: a rename of a new symlink)."""
    target = root / f"app-{version}"
    if not (target / "tracktray").is_file():
        raise InstallError(f"tracktray {version} is not staged in {root}.")
    fresh = root / f".{CURRENT}-{version}"
    try:
        fresh.unlink(missing_ok=True)
        fresh.symlink_to(target.name)
        os.replace(fresh, root / CURRENT)
    except OSError as exc:
        raise InstallError(f"Could not switch {root} to tracktray {version}: {exc}") from None


def handoff_command(kind: str, artifact: Path) -> list[str] | None:
    """What runs after quit to install ``artifact`` (None: nothing to run)."""
    if kind == "inno":
        return [
            str(artifact),
            "/VERYSILENT",
            "/SUPPRESSMSGBOXES",
            "/NORESTART",
            "/CLOSEAPPLICATIONS",
            "/RELAUNCH",
        ]
    if kind == "dmg":
        return ["open", str(artifact)]
    return None
