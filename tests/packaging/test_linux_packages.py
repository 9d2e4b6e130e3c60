"""The Linux packages as a person meets them: unpacked or installed, started, clicked.

``scripts/package`` builds the PyInstaller bundle, the tarball and the ``.deb`` once per
session (``conftest.py``). The tarball is unpacked into a temporary folder and the
``.deb`` installed with ``dpkg -i`` (root only, as in CI); each installed copy starts
under Xvfb with trayer as its tray host, draws its first status in local mode (which
proves Alembic's migrations are in the bundle: without them the icon shows and no status
ever comes) and against the HTTPS engine, takes a click on its icon, and quits cleanly
on SIGTERM.
"""

from __future__ import annotations

import os
import signal
import subprocess
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_widget import Widget, click_the_tray_icon, open_block
from tests.packaging.conftest import Packages
from tests.support.desktop_env import DesktopSession, wait_for
from tracktray import __version__

# the first test also waits for the session's build (conftest.py): minutes, not seconds
EVENTS = "TRACKTRAY_BENCH_EVENTS"  # the app writes what it reached there (benchhooks)

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


class Installed:
    """One installed copy of tracktray and a person's folders to run it in."""

    def __init__(self, launcher: Path, desktop: DesktopSession, home: Path) -> None:
        self.launcher = launcher
        self.home = home
        runtime = home / "run"
        runtime.mkdir(mode=0o700, parents=True)
        self.env = desktop.env(
            XDG_CONFIG_HOME=str(home / "xdg-config"),
            XDG_DATA_HOME=str(home / "xdg-data"),
            XDG_RUNTIME_DIR=str(runtime),
            PYTHON_KEYRING_BACKEND="keyring.backends.SecretService.Keyring",
        )
        self.env.pop("PYTHONPATH", None)  # the bundle brings everything it needs
        self.args = ["--config-dir", str(home / "config"), "--data-dir", str(home / "data")]
        self.started: list[Widget] = []
        self.starts = 0

    def run(self, *args: str, stdin: str = "") -> str:
        done = subprocess.run(
            [str(self.launcher), *self.args, *args], input=stdin, env=self.env,
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout

    def start(self) -> Widget:
        self.starts += 1
        log = self.home / f"widget-{self.starts}.log"
        events = self.home / f"events-{self.starts}.log"  # one file per start
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [str(self.launcher), *self.args], env={**self.env, EVENTS: str(events)},
                stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        self.started.append(Widget(proc, events, log))
        return self.started[-1]

    def quit_all(self) -> None:
        for widget in self.started:
            if widget.proc.poll() is None:
                widget.proc.send_signal(signal.SIGTERM)
                try:
                    widget.proc.wait(15)
                except subprocess.TimeoutExpired:
                    widget.proc.kill()
                    widget.proc.wait(5)
            assert widget.proc.returncode == 0, widget.output()
            assert "Traceback" not in widget.output(), widget.output()
        self.started.clear()


def click_and_see_it_answer(desktop: DesktopSession, widget: Widget, shot: Path) -> None:
    wait_for(lambda: widget.seen("status-drawn"), "the first status", timeout=60)
    click_the_tray_icon(desktop, widget, desktop.screenshot(shot))
    wait_for(lambda: widget.seen("icon-confirmed", after="click"), "the answer to the click", 20)


def run_both_accounts(
    installed: Installed,
    desktop: DesktopSession,
    trackmypeople_server: Any,
    artifacts: Path,
    tag: str,
) -> None:
    """Local mode first (a fresh person), then an account on the HTTPS engine."""
    try:
        widget = installed.start()
        click_and_see_it_answer(desktop, widget, artifacts / f"{tag}-local.png")
        assert "General" in installed.run("status")  # the click started local mode's tracker
        installed.quit_all()

        person = trackmypeople_server.new_user()
        installed.run(
            "accounts", "add", "--url", trackmypeople_server.api_url, "--user", person.username,
            "--ca", str(trackmypeople_server.ca_file), "--password-stdin", stdin=person.password,
        )  # fmt: skip
        widget = installed.start()
        click_and_see_it_answer(desktop, widget, artifacts / f"{tag}-server.png")
        wait_for(
            lambda: open_block(trackmypeople_server, person) is not None, "the server's block", 15
        )
    finally:
        installed.quit_all()


def test_the_bundle_carries_the_migrations_and_one_version(packages: Packages) -> None:
    internal = packages.bundle / "_internal" / "tracktray" / "engine" / "migrations"
    assert (internal / "env.py").is_file()
    assert sorted(p.name for p in (internal / "versions").glob("*.py"))
    assert not list(packages.bundle.rglob("libqgtk3*")), "the GTK theme plugin pulls in GTK"
    assert not list(packages.bundle.rglob("libgtk-3*"))
    version = subprocess.run(
        [str(packages.bundle / "tracktray"), "--version"],
        capture_output=True, text=True, timeout=60, check=True,
    ).stdout  # fmt: skip
    assert version.strip() == f"tracktray {__version__}"
    server = subprocess.run(
        [str(packages.bundle / "tracktray-server"), "--version"],
        capture_output=True, text=True, timeout=60, check=True,
    ).stdout  # fmt: skip
    assert server.strip() == f"tracktray-server {__version__}"  # the same files, its name
    assert (
        packages.deb.name == f"tracktray_{__version__}_amd64.deb"
        or __version__ in packages.deb.name
    )


def test_the_bundle_speaks_german(packages: Packages, tmp_path: Path) -> None:
    """The compiled catalog (built from the .po inside the spec) and Qt's own German."""
    internal = packages.bundle / "_internal"
    assert (internal / "tracktray" / "locale" / "de" / "LC_MESSAGES" / "tracktray.mo").is_file()
    assert [p.name for p in internal.rglob("qtbase_*.qm")] == ["qtbase_de.qm"]
    helped = subprocess.run(
        [str(packages.bundle / "tracktray"), "--config-dir", str(tmp_path), "--help"],
        capture_output=True, text=True, timeout=60, check=True,
        env={**os.environ, "LANGUAGE": "de"},
    ).stdout  # fmt: skip
    assert helped.startswith("Aufruf: tracktray") and "den Timer starten" in helped


@pytest.fixture
def unpacked(packages: Packages, tmp_path: Path) -> Path:
    with tarfile.open(packages.tarball) as archive:
        archive.extractall(tmp_path / "opt", filter="tar")
    return tmp_path / "opt" / "tracktray"


def test_the_tarball_has_a_valid_launcher_entry_and_metainfo(unpacked: Path) -> None:
    missing = [t for t in ("desktop-file-validate", "appstreamcli") if not _which(t)]
    if missing:
        pytest.skip(f"needs {', '.join(missing)}: run scripts/install-system-packages")
    entry = unpacked / "share" / "applications" / "tracktray.desktop"
    subprocess.run(["desktop-file-validate", str(entry)], check=True, timeout=30)
    metainfo = next((unpacked / "share" / "metainfo").glob("*.metainfo.xml"))
    subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(metainfo)], check=True, timeout=60,
        capture_output=True,
    )  # fmt: skip
    assert (unpacked / "share" / "icons" / "hicolor" / "48x48" / "apps" / "tracktray.png").is_file()
    assert (unpacked / "current").resolve() == (unpacked / f"app-{__version__}").resolve()
    assert (unpacked / "current" / "install-kind").read_text().strip() == "folder"
    for name in ("tracktray", "tracktray-server"):  # through the tarball's launcher
        said = subprocess.run(
            [str(unpacked / name), "--version"], capture_output=True, text=True, timeout=60,
            check=True,
        ).stdout  # fmt: skip
        assert said.strip() == f"{name} {__version__}"


def _which(tool: str) -> bool:
    from shutil import which

    return which(tool) is not None


def test_the_unpacked_tarball_starts_draws_a_status_and_takes_a_click(
    unpacked: Path,
    secret_service: DesktopSession,
    trackmypeople_server: Any,
    artifacts: Path,
    tmp_path: Path,
) -> None:
    installed = Installed(unpacked / "tracktray", secret_service, tmp_path / "home")
    run_both_accounts(installed, secret_service, trackmypeople_server, artifacts, "tarball")


@pytest.fixture
def installed_deb(packages: Packages) -> Iterator[Path]:
    if os.geteuid() != 0:
        pytest.skip("installing the .deb needs root (CI runs as root)")
    subprocess.run(
        ["dpkg", "-i", str(packages.deb)], check=True, timeout=300, capture_output=True,
    )  # fmt: skip
    try:
        yield Path("/usr/bin/tracktray")
    finally:
        subprocess.run(["dpkg", "-r", "tracktray"], check=True, timeout=300, capture_output=True)


def test_the_installed_deb_starts_draws_a_status_and_takes_a_click(
    installed_deb: Path,
    secret_service: DesktopSession,
    trackmypeople_server: Any,
    artifacts: Path,
    tmp_path: Path,
) -> None:
    assert Path("/usr/share/applications/tracktray.desktop").is_file()
    assert Path("/opt/tracktray/install-kind").read_text().strip() == "deb"
    installed = Installed(installed_deb, secret_service, tmp_path / "home")
    run_both_accounts(installed, secret_service, trackmypeople_server, artifacts, "deb")
