"""Updates that install, end to end on loopback: publish, offer, verify, download, switch.

The engine's real HTTPS server serves the releases folder (``serve --releases``); the
release is published with the real ``tracktray-server release add`` (manifest signed
with a test key in minisign format). The widget's real update checker asks the server
through the real TrackMyPeople client, the real offer window takes the person's "Install
on quit", and the installer downloads, verifies and stages the release beside a real
one-folder install tree in a temporary folder (``app-0.1.0/``, ``current``, and the real
launcher script from ``packaging/linux``); at quit it switches, and the launcher starts
the new version. Every refusal has its test, and a stalled download leaves the Qt event
loop answering.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import shutil
import subprocess
import tarfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from tests.support.org import build_standard_tree, new_user
from tracktray.api._http import make_http_client, make_httpx_client
from tracktray.api.trackmypeople import TrackMyPeopleClient
from tracktray.desktop.tasks import TaskBridge
from tracktray.desktop.update import UpdateChecker
from tracktray.desktop.update_install import Installation, UpdateInstaller
from tracktray.desktop.update_offer import UpdateDialog
from tracktray.domain import UpdateCheck
from tracktray.engine import Engine
from tracktray.server import releases
from tracktray.server.app import create_app
from tracktray.server.cli import main as server_main
from tracktray.server.running import ServerThread, Tls
from tracktray.server.tls import self_signed
from tracktray.store.settings import Preferences
from tracktray.updater import minisign

ROOT = Path(__file__).resolve().parents[2]
LAUNCHER = ROOT / "packaging" / "linux" / "tracktray-launcher.sh"
NEW = "0.2.0"
TARBALL = f"tracktray-{NEW}-linux-x86_64.tar.xz"


def fake_bundle(folder: Path, version: str) -> None:
    """A one-folder bundle whose ``tracktray`` says which version it is."""
    folder.mkdir(parents=True)
    exe = folder / "tracktray"
    exe.write_text(f'#!/bin/sh\necho "tracktray {version} $*"\n', encoding="utf-8")
    exe.chmod(0o755)
    (folder / "install-kind").write_text("folder\n", encoding="ascii")


def install_tree(root: Path, version: str = "0.1.0") -> Path:
    """What unpacking the tarball of ``version`` leaves: the layout of build_linux.py."""
    fake_bundle(root / f"app-{version}", version)
    (root / "current").symlink_to(f"app-{version}")
    shutil.copy2(LAUNCHER, root / "tracktray")
    (root / "tracktray").chmod(0o755)
    return root / f"app-{version}"


def release_tarball(into: Path, version: str = NEW) -> Path:
    staging = into / "staging"
    install_tree(staging / "tracktray", version)
    path = into / f"tracktray-{version}-linux-x86_64.tar.xz"
    with tarfile.open(path, "w:xz") as archive:
        archive.add(staging / "tracktray", arcname="tracktray")
    shutil.rmtree(staging)
    return path


@dataclasses.dataclass
class Stall:
    """Makes the server send the first bytes of the release file and then nothing."""

    on: bool = False
    released: threading.Event = dataclasses.field(default_factory=threading.Event)


@dataclasses.dataclass
class Channel:
    origin: str
    ca_file: Path
    db_url: str
    engine: Engine
    releases_dir: Path
    key: minisign.SecretKey
    work: Path
    stall: Stall
    trackers: dict[str, int]

    def publish(
        self, *files: Path, key: minisign.SecretKey | None = None, version: str = NEW
    ) -> None:
        keyfile = self.work / f"key-{len(list(self.work.glob('key-*')))}"
        keyfile.write_text((key or self.key).text(), encoding="utf-8")
        argv = [
            "release", "add", "--db", self.db_url, "--dir", str(self.releases_dir),
            "--key", str(keyfile), "--base-url", self.origin, "--version", NEW,
            *map(str, files),
        ]  # fmt: skip
        assert server_main(argv) == 0

    def client(self, username: str, password: str) -> TrackMyPeopleClient:
        return TrackMyPeopleClient(
            f"{self.origin}/api/",
            username,
            password,
            http=make_http_client(str(self.ca_file)),
            owns_http=True,
        )


@pytest.fixture
def channel(tmp_path: Path) -> Iterator[Channel]:
    db_url = f"sqlite:///{tmp_path / 'server.sqlite'}"
    engine = Engine.open(db_url)
    trackers = build_standard_tree(engine)
    files = self_signed(tmp_path / "tls")
    assert files.ca is not None
    releases_dir = tmp_path / "releases"
    releases_dir.mkdir()
    stall = Stall()

    async def maybe_stall(request: Request) -> Response:
        data = (releases_dir / NEW / TARBALL).read_bytes()
        if not stall.on:
            return Response(data, media_type="application/x-xz")

        async def trickle() -> Any:
            yield data[:1000]
            while not stall.released.is_set():  # then nothing, as a hung server
                await asyncio.sleep(0.05)

        return StreamingResponse(trickle(), media_type="application/x-xz")

    route = Route(f"{releases.PREFIX}{NEW}/{TARBALL}", maybe_stall)
    app = create_app(engine, extra_routes=[route, *releases.routes(releases_dir)])
    thread = ServerThread(app, tls=Tls(files.cert, files.key))
    origin = thread.start()
    work = tmp_path / "work"
    work.mkdir()
    key = minisign.generate()
    yield Channel(origin, files.ca, db_url, engine, releases_dir, key, work, stall, trackers)
    stall.released.set()
    thread.stop()
    engine.close()


@dataclasses.dataclass
class Widget:
    checker: UpdateChecker
    installer: UpdateInstaller
    root: Path
    failures: list[str]


@pytest.fixture
def widget(qtbot: QtBot, channel: Channel, tmp_path: Path) -> Iterator[Widget]:
    """The update checker and installer as the app wires them, on a tarball install."""
    person = new_user(channel.engine, channel.trackers)
    client = channel.client(person.username, person.password)
    bridge = TaskBridge()
    root = tmp_path / "opt" / "tracktray"
    bundle = install_tree(root)
    installer = UpdateInstaller(
        bridge,
        data_dir=tmp_path / "data",
        installation=Installation("folder", bundle, "linux"),
        keys=lambda: (channel.key.public,),
        running_version="0.1.0",
        stall_timeout_s=2.0,
    )
    prefs = [Preferences(launched_before=True)]

    def run_on_backend(work: Any, on_success: Any, on_failure: Any) -> None:
        bridge.run("account", lambda: work(client), on_success, on_failure)

    checker = UpdateChecker(
        run_on_backend,
        preferences=lambda: prefs[-1],
        save_preferences=prefs.append,
        account_id=lambda: "alice",
        ca_file=lambda: str(channel.ca_file),
        installer=lambda: installer,
        version="Linux_Qt-0.1.0",
    )
    failures: list[str] = []
    installer.failed.connect(failures.append)
    yield Widget(checker, installer, root, failures)
    installer.stop()
    bridge.shutdown()
    client.close()


def launch(root: Path) -> str:
    done = subprocess.run(
        [str(root / "tracktray"), "--version"], capture_output=True, text=True, timeout=10
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def offer_and_install(qtbot: QtBot, widget: Widget) -> UpdateDialog:
    """Check for updates, and click "Install on quit" in the real offer window."""
    with qtbot.waitSignal(widget.checker.checked, timeout=10_000) as found:
        widget.checker.check_now()
    assert isinstance(found.args[0], UpdateCheck)
    offer = widget.checker.offer
    assert offer is not None and offer.isVisible()
    assert offer.download_button.text() == "Install on quit"
    offer.download_button.click()
    return offer


def test_a_signed_release_is_downloaded_staged_and_started_after_quit(
    qtbot: QtBot, channel: Channel, widget: Widget
) -> None:
    channel.publish(release_tarball(channel.work))
    manifest = (channel.releases_dir / "manifest.json").read_text()
    assert f'"version": "{NEW}"' in manifest and "linux-folder" in manifest
    assert launch(widget.root) == "tracktray 0.1.0 --version"

    with qtbot.waitSignal(widget.installer.ready, timeout=20_000) as ready:
        offer_and_install(qtbot, widget)
    assert ready.args == [NEW], widget.failures
    assert (widget.root / f"app-{NEW}" / "tracktray").is_file()  # staged beside...
    assert launch(widget.root) == "tracktray 0.1.0 --version"  # ...nothing switched yet
    assert widget.checker.menu_label() == f"Restart to update to {NEW}"

    # "Check for updates" again (a race with the menu): it says so, it never restarts
    restarts: list[bool] = []
    widget.checker.restart = lambda: restarts.append(True)
    with qtbot.waitSignal(widget.checker.checked, timeout=10_000):
        widget.checker.check_now()
    told = [w for w in QApplication.topLevelWidgets() if isinstance(w, UpdateDialog)]
    assert any("is ready" in w.text() for w in told if w.isVisible())
    assert restarts == []
    widget.checker.show_offer()  # the menu entry "Restart to update to 0.2.0"
    assert restarts == [True]

    widget.checker.finish_at_quit()  # the person quits
    assert (widget.root / "current").resolve().name == f"app-{NEW}"
    assert launch(widget.root) == f"tracktray {NEW} --version"  # the new version starts
    assert (widget.root / "app-0.1.0").is_dir()  # the old one stays until a later update


def refused(qtbot: QtBot, widget: Widget) -> str:
    with qtbot.waitSignal(widget.installer.failed, timeout=20_000) as failed:
        offer_and_install(qtbot, widget)
    widget.checker.finish_at_quit()
    assert (widget.root / "current").resolve().name == "app-0.1.0"  # nothing changed
    assert not (widget.root / f"app-{NEW}").exists()
    assert launch(widget.root) == "tracktray 0.1.0 --version"
    sentence: str = failed.args[0]
    assert "Traceback" not in sentence and "\n" not in sentence
    return sentence


def test_a_byte_flipped_in_the_manifest_is_refused(
    qtbot: QtBot, channel: Channel, widget: Widget
) -> None:
    channel.publish(release_tarball(channel.work))
    path = channel.releases_dir / "manifest.json"
    text = path.read_text()
    path.write_text(text.replace(f'"version": "{NEW}"', '"version": "0.2.1"'))
    assert "signature does not match" in refused(qtbot, widget)


def test_a_release_signed_with_another_key_is_refused(
    qtbot: QtBot, channel: Channel, widget: Widget
) -> None:
    channel.publish(release_tarball(channel.work), key=minisign.generate())
    assert "does not trust" in refused(qtbot, widget)


def test_an_old_version_is_refused_even_when_signed(
    qtbot: QtBot, channel: Channel, widget: Widget
) -> None:
    channel.publish(release_tarball(channel.work))
    widget.installer._running_version = "0.2.0"  # this tracktray is already 0.2.0
    assert "not newer" in refused(qtbot, widget)


def test_a_truncated_download_is_refused(qtbot: QtBot, channel: Channel, widget: Widget) -> None:
    channel.publish(release_tarball(channel.work))
    served = channel.releases_dir / NEW / TARBALL
    served.write_bytes(served.read_bytes()[:-100])
    assert "cut short" in refused(qtbot, widget)


def test_a_file_that_does_not_match_its_sha256_is_refused(
    qtbot: QtBot, channel: Channel, widget: Widget
) -> None:
    channel.publish(release_tarball(channel.work))
    served = channel.releases_dir / NEW / TARBALL
    data = bytearray(served.read_bytes())
    data[len(data) // 2] ^= 0xFF
    served.write_bytes(bytes(data))
    assert "SHA-256" in refused(qtbot, widget)


def test_a_stalled_download_fails_and_the_event_loop_keeps_answering(
    qtbot: QtBot, channel: Channel, widget: Widget
) -> None:
    channel.publish(release_tarball(channel.work))
    channel.stall.on = True
    gaps: list[float] = []
    last = [time.monotonic()]

    def tick() -> None:
        now = time.monotonic()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(tick)
    timer.start()
    sentence = refused(qtbot, widget)  # the installer gives up after 2 s without data
    timer.stop()
    assert "download failed" in sentence
    assert len(gaps) > 50 and max(gaps) < 0.5, max(gaps)


def test_release_add_refuses_a_misnamed_file_in_one_sentence(
    channel: Channel, capsys: pytest.CaptureFixture[str]
) -> None:
    odd = channel.work / "setup.bin"
    odd.write_bytes(b"x")
    keyfile = channel.work / "k"
    keyfile.write_text(channel.key.text())
    argv = [
        "release", "add", "--db", channel.db_url, "--dir", str(channel.releases_dir),
        "--key", str(keyfile), "--base-url", channel.origin, "--version", NEW, str(odd),
    ]  # fmt: skip
    assert server_main(argv) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("tracktray-server: setup.bin is not named like") and "\n" not in err


def test_the_manifest_and_files_are_served_and_verify_with_the_public_key(
    channel: Channel,
) -> None:
    tarball = release_tarball(channel.work)
    channel.publish(tarball)
    with make_httpx_client(str(channel.ca_file)) as http:
        manifest = http.get(f"{channel.origin}/releases/manifest.json").content
        signature = http.get(f"{channel.origin}/releases/manifest.json.minisig").text
        served = http.get(f"{channel.origin}/releases/{NEW}/{TARBALL}").content
        page = http.get(f"{channel.origin}/releases/")  # checkVersion's url: the page
    assert page.status_code == 200 and f'href="{NEW}/{TARBALL}"' in page.text
    key = minisign.verify(manifest, minisign.Signature.parse(signature), (channel.key.public,))
    assert key == channel.key.public
    assert hashlib.sha256(served).hexdigest() == hashlib.sha256(tarball.read_bytes()).hexdigest()


def test_a_deb_install_is_told_to_use_its_package_manager(
    qtbot: QtBot, channel: Channel, widget: Widget
) -> None:
    channel.publish(release_tarball(channel.work))
    widget.installer.installation = Installation("deb", Path("/opt/tracktray"), "linux")
    with qtbot.waitSignal(widget.checker.checked, timeout=10_000):
        widget.checker.check_now()
    offer = widget.checker.offer
    assert offer is not None
    qtbot.addWidget(offer)
    assert offer.download_button.text() == "Download"  # the page, never a self-install
    assert "package manager" in offer.details()
    assert f"tracktray_{NEW}_amd64.deb" in offer.details()


def test_the_check_says_how_this_copy_was_installed() -> None:
    """``install`` beside ``version`` (our extra parameter); the answer's extra keys read."""
    import httpx

    sent: list[bytes] = []

    def server(request: httpx.Request) -> httpx.Response:
        sent.append(request.content)
        body = {
            "result": 0,
            "url": "https://updates.example/releases/",
            "version": NEW,
            "manifest": "https://updates.example/releases/manifest.json",
        }
        return httpx.Response(200, json=body)

    http = make_httpx_client(transport=httpx.MockTransport(server))
    with TrackMyPeopleClient("https://updates.example/api/", "a", "b", http=http) as client:
        offer = client.check_version("Linux_Qt-0.1.0")
    assert b"install=source" in sent[0] and b"version=Linux_Qt-0.1.0" in sent[0]
    assert (offer.version, offer.manifest_url) == (
        NEW,
        "https://updates.example/releases/manifest.json",
    )
