"""An update of the REAL tarball install: the 150 MB bundle staged beside itself, switched.

``tests/desktop/test_update_channel.py`` proves the whole channel on a small install
tree; this one proves the same steps on what ``scripts/package`` really makes: the
tarball is unpacked as a person would, a release "0.2.0" made of the same bundle (its
files under ``app-0.2.0/``, so the executable still says 0.1.0: what is checked is
which folder starts) is published with ``tracktray-server release add`` on the HTTPS
engine, and the real installer downloads, verifies, unpacks and switches it. Then the
launcher starts the bundle from ``app-0.2.0``, which runs a command.
"""

from __future__ import annotations

import subprocess
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.packaging.conftest import Packages
from tracktray.api._http import make_http_client
from tracktray.api.trackmypeople import TrackMyPeopleClient
from tracktray.desktop.tasks import TaskBridge
from tracktray.desktop.update_install import Installation, UpdateInstaller
from tracktray.engine import Engine
from tracktray.server import releases
from tracktray.server.app import create_app
from tracktray.server.cli import main as server_main
from tracktray.server.running import ServerThread, Tls
from tracktray.server.tls import self_signed
from tracktray.updater import minisign

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

NEW = "0.2.0"


@pytest.fixture
def installed(packages: Packages, tmp_path: Path) -> Path:
    with tarfile.open(packages.tarball) as archive:
        archive.extractall(tmp_path / "opt", filter="tar")
    return tmp_path / "opt" / "tracktray"


def same_bundle_as(root: Path, into: Path) -> Path:
    """A release tarball of ``root``'s bundle, laid out as version ``NEW``."""
    path = into / f"tracktray-{NEW}-linux-x86_64.tar.xz"
    with tarfile.open(path, "w:xz", preset=0) as archive:
        archive.add((root / "current").resolve(), arcname=f"tracktray/app-{NEW}")
        archive.add(root / "tracktray", arcname="tracktray/tracktray")
    return path


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path, str, Engine, Path]]:
    db_url = f"sqlite:///{tmp_path / 'server.sqlite'}"
    engine = Engine.open(db_url)
    files = self_signed(tmp_path / "tls")
    assert files.ca is not None
    folder = tmp_path / "releases"
    folder.mkdir()
    thread = ServerThread(
        create_app(engine, extra_routes=releases.routes(folder)), tls=Tls(files.cert, files.key)
    )
    origin = thread.start()
    yield origin, files.ca, db_url, engine, folder
    thread.stop()
    engine.close()


def test_the_real_tarball_install_updates_side_by_side(
    qtbot: QtBot,
    installed: Path,
    server: tuple[str, Path, str, Engine, Path],
    tmp_path: Path,
) -> None:
    origin, ca_file, db_url, engine, folder = server
    key = minisign.generate()
    keyfile = tmp_path / "release.key"
    keyfile.write_text(key.text())
    release = same_bundle_as(installed, tmp_path)
    argv = [
        "release", "add", "--db", db_url, "--dir", str(folder), "--key", str(keyfile),
        "--base-url", origin, "--version", NEW, str(release),
    ]  # fmt: skip
    assert server_main(argv) == 0
    person_password = "update-test-password"
    profile = engine.create_user("updater", person_password)
    assert profile
    with TrackMyPeopleClient(
        f"{origin}/api/", "updater", person_password,
        http=make_http_client(str(ca_file)), owns_http=True,
    ) as client:  # fmt: skip
        offer = client.check_version("Linux_Qt-0.1.0")
    assert offer.version == NEW and offer.manifest_url is not None

    old = installed / "current"
    bundle = old.resolve()
    bridge = TaskBridge()
    installer = UpdateInstaller(
        bridge,
        data_dir=tmp_path / "data",
        installation=Installation("folder", bundle, "linux"),
        keys=lambda: (key.public,),
        running_version="0.1.0",
    )
    failures: list[str] = []
    installer.failed.connect(failures.append)
    try:
        installer.prepare(offer, str(ca_file))
        qtbot.waitUntil(lambda: installer.prepared is not None or bool(failures), timeout=300_000)
        assert failures == []
        assert installer.prepared is not None and installer.prepared.version == NEW
        assert old.resolve() == bundle  # nothing switched while running
        installer.apply_at_quit()
    finally:
        bridge.shutdown()
    assert (installed / "current").resolve() == installed / f"app-{NEW}"
    started = subprocess.run(
        [str(installed / "tracktray"), "--config-dir", str(tmp_path / "c"),
         "--data-dir", str(tmp_path / "d"), "status"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert started.returncode == 0, started.stderr
    assert "Nothing is running" in started.stdout
    assert (installed / f"app-{NEW}" / "install-kind").read_text().strip() == "folder"
