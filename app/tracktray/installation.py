"""How this copy of tracktray was installed, so updates fit it.

A packaged build carries a one-word marker file, ``install-kind``, beside its executable
(written by ``packaging/``): ``folder`` (the Linux tarball, a one-folder bundle the
person unpacked), ``deb`` (``/opt/tracktray`` from the ``.deb``), ``inno`` (the Windows
installer), ``dmg`` (the macOS app). A frozen build without the marker is ``bundle``; a
run from source (``scripts/run``, ``pip install``) is ``source``.

Plain Python and cheap: the CLI and the widget both ask at most once.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Literal

__all__ = ["KINDS", "InstallKind", "bundle_root", "install_kind"]

InstallKind = Literal["folder", "deb", "inno", "dmg", "bundle", "source"]
KINDS: tuple[InstallKind, ...] = ("folder", "deb", "inno", "dmg", "bundle", "source")
MARKER = "install-kind"


def bundle_root(executable: str | None = None) -> Path | None:
    """The folder of the frozen bundle (where its executables live), else None."""
    if not getattr(sys, "frozen", False) and executable is None:
        return None
    return Path(executable or sys.executable).resolve().parent


@functools.cache
def install_kind(root: Path | None = None) -> InstallKind:
    folder = root if root is not None else bundle_root()
    if folder is None:
        return "source"
    try:
        word = (folder / MARKER).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return "bundle"
    return next((kind for kind in KINDS if kind == word), "bundle")
