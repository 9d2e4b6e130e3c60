"""Build the Linux packages once per test session and hand them to the tests.

``scripts/package`` (PyInstaller one-folder bundle, tarball, ``.deb``) takes a minute
or two on 2 cores, so it runs once, from this checkout, into a temporary folder, with
light compression (``PACKAGE_FAST=1``: same contents). Tests that start the packaged
widget use the real desktop of ``tests/e2e`` (Xvfb, trayer, dunst, a session bus).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e import conftest as e2e

ROOT = Path(__file__).resolve().parents[2]

# the real desktop and the screenshot folder of the end-to-end tests
desktop = e2e.desktop
secret_service = e2e.secret_service
artifacts = e2e.artifacts


@dataclass(frozen=True)
class Packages:
    bundle: Path
    tarball: Path
    deb: Path


@pytest.fixture(scope="session")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Packages:
    if not sys.platform.startswith("linux"):
        pytest.skip("the Linux packages are built on Linux")
    missing = [tool for tool in ("dpkg-deb",) if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (dpkg): run scripts/install-system-packages")
    out = tmp_path_factory.mktemp("packages")
    # the tests' own .venv gets PyInstaller: no second environment to build in CI
    env = dict(os.environ, PACKAGE_OUT=str(out), PACKAGE_FAST="1", PACKAGE_VENV=sys.prefix)
    for name in ("PYTHONPATH", "PYTHON_KEYRING_BACKEND"):
        env.pop(name, None)  # the build sees the checkout, not the test session
    done = subprocess.run(
        [str(ROOT / "scripts" / "package")],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    [tarball] = out.glob("tracktray-*-linux-*.tar.xz")
    [deb] = out.glob("tracktray_*.deb")
    return Packages(ROOT / "build" / "dist" / "tracktray", tarball, deb)
