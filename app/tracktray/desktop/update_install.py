"""The widget side of updates that install: prepare in the background, apply at quit.

After the person agreed (once, in the offer window), :meth:`UpdateInstaller.prepare`
runs on its own bridge lane, ``update`` (never the Qt thread, never an account's lane, so
clicks are not queued behind a download): fetch the manifest and its signature, verify
them against the keys built into the app, refuse anything not newer, download the
artifact for this platform and install kind checking size and SHA-256, and, for a
tarball install, unpack it beside the running version. :attr:`ready` or :attr:`failed`
says how it went.

Nothing changes under the running widget. At quit, :meth:`apply_at_quit` switches a
tarball install to the new version, or hands the verified Windows installer over (it
relaunches the app), or opens the verified ``.dmg``; it restarts the widget only when
the person chose "Restart now". A ``.deb`` install is told to use its package manager,
and anything else falls back to the download page.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

import tracktray
from tracktray.desktop.tasks import TaskBridge
from tracktray.domain import UpdateCheck
from tracktray.i18n import N_, _
from tracktray.installation import bundle_root, install_kind

if TYPE_CHECKING:
    from tracktray.updater.minisign import PublicKey

__all__ = ["Installation", "Prepared", "UpdateInstaller"]

log = logging.getLogger(__name__)

UPDATE_LANE = "update"
#: install kinds this widget installs itself (the others get the page or a sentence)
SELF_INSTALLING = ("folder", "inno", "dmg")
PACKAGE_MANAGER = N_(
    "This tracktray was installed from a .deb package: update it with your package "
    "manager (for example: sudo apt install ./tracktray_{version}_amd64.deb)."
)


@dataclass(frozen=True)
class Installation:
    """How and where this copy runs (tests hand in a temporary install tree)."""

    kind: str
    #: the folder of the running bundle (``<root>/app-X`` for a tarball install)
    bundle: Path | None
    platform: str = sys.platform

    @classmethod
    def detect(cls) -> Installation:
        return cls(install_kind(), bundle_root())


@dataclass(frozen=True)
class Prepared:
    version: str
    kind: str
    artifact: Path
    #: the side-by-side root that switches at quit (tarball installs)
    root: Path | None = None


class UpdateInstaller(QObject):
    #: the update is verified and in place; it takes effect at quit (the version)
    ready = Signal(str)
    #: it could not be prepared (one sentence); nothing was changed
    failed = Signal(str)

    def __init__(
        self,
        bridge: TaskBridge,
        *,
        data_dir: Path,
        installation: Installation | None = None,
        keys: Callable[[], tuple[PublicKey, ...]] | None = None,
        running_version: str = tracktray.__version__,
        stall_timeout_s: float = 30.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._data_dir = data_dir
        self._installation = installation
        self._keys = keys
        self._running_version = running_version
        self._stall_timeout_s = stall_timeout_s
        self._cancel = threading.Event()
        self.preparing = False
        self.prepared: Prepared | None = None
        #: the person chose "Restart now": start the new version after quitting
        self.relaunch = False

    @property
    def installation(self) -> Installation:
        # Read lazily: the marker file is read (and cached) by the first update check on
        # its worker thread, so the UI thread finds it in memory.
        if self._installation is None:
            self._installation = Installation.detect()
        return self._installation

    @installation.setter
    def installation(self, value: Installation) -> None:
        self._installation = value

    # -- what can be done here ------------------------------------------------------------

    def can_install(self, check: UpdateCheck) -> bool:
        return bool(check.manifest_url) and self.installation.kind in SELF_INSTALLING

    def manual_sentence(self, check: UpdateCheck) -> str | None:
        """For a ``.deb`` install: the package manager sentence; else None."""
        if self.installation.kind == "deb":
            return _(PACKAGE_MANAGER).format(version=check.version or "X.Y.Z")
        return None

    # -- preparing ---------------------------------------------------------------------------

    def prepare(self, check: UpdateCheck, ca_file: str | None) -> None:
        """Verify, download and stage ``check``'s release in the background."""
        if self.preparing or not self.can_install(check):
            return
        self.preparing = True
        self._cancel.clear()
        manifest_url = check.manifest_url or ""
        self._bridge.run(
            UPDATE_LANE,
            lambda: self._prepare(manifest_url, ca_file),
            self._on_prepared,
            self._on_failed,
        )

    def _prepare(self, manifest_url: str, ca_file: str | None) -> Prepared:
        """On the update lane (a worker thread)."""
        from tracktray.api._http import make_httpx_client
        from tracktray.updater import download, install
        from tracktray.updater.keys import built_in_keys
        from tracktray.updater.manifest import ManifestError, artifact_key, verified_manifest

        setup = self.installation
        keys = (self._keys or built_in_keys)()
        with make_httpx_client(ca_file) as client:  # httpx streams the file to disk
            stall = self._stall_timeout_s
            data = download.fetch_text(client, manifest_url, stall_timeout_s=stall)
            signature = download.fetch_text(
                client, manifest_url + ".minisig", stall_timeout_s=stall
            ).decode("utf-8", errors="replace")
            manifest = verified_manifest(data, signature, keys, self._running_version)
            key = artifact_key(setup.platform, setup.kind)
            artifact = manifest.artifacts.get(key)
            if artifact is None:
                raise ManifestError(
                    _("Release {version} has no file for {key}.").format(
                        version=manifest.version, key=key
                    )
                )
            url = download.resolve(manifest_url, artifact.file)
            target = self._data_dir / "updates" / manifest.version / Path(artifact.file).name
            path = download.download_artifact(
                client, url, artifact, target, cancel=self._cancel, stall_timeout_s=stall
            )
        root = None
        if setup.kind == "folder":
            root = install.folder_root(setup.bundle) if setup.bundle is not None else None
            if root is None:
                raise install.InstallError(
                    _(
                        "This tracktray folder is not laid out for side-by-side updates "
                        "(no “current” link beside it)."
                    )
                )
            install.stage_folder(path, root, manifest.version)
        return Prepared(manifest.version, setup.kind, path, root)

    def _on_prepared(self, prepared: Prepared) -> None:
        self.preparing = False
        self.prepared = prepared
        self.ready.emit(prepared.version)

    def _on_failed(self, exc: Exception) -> None:
        self.preparing = False
        log.info("update not prepared: %s", exc)
        self.failed.emit(str(exc) or type(exc).__name__)

    # -- at quit -----------------------------------------------------------------------------

    def stop(self) -> None:
        """Stop a download in progress (at quit, before the bridge waits for its work)."""
        self._cancel.set()

    def apply_at_quit(self) -> None:
        """Switch to, or hand over, the prepared version. Never raises: quitting goes on."""
        self.stop()
        prepared = self.prepared
        if prepared is None:
            return
        from tracktray.updater import install

        try:
            if prepared.kind == "folder" and prepared.root is not None:
                install.switch_folder(prepared.root, prepared.version)
                if self.relaunch:
                    _detach([str(prepared.root / "tracktray")])
                return
            # Windows: the installer runs silently and starts the new version (/RELAUNCH);
            # macOS: the .dmg opens for the person to drag the app over.
            command = install.handoff_command(prepared.kind, prepared.artifact)
            if command is not None:
                _detach(command)
        except (install.InstallError, OSError) as exc:
            log.warning("the prepared update was not applied: %s", exc)


def _detach(command: list[str]) -> None:
    """Start ``command`` so that it outlives this process."""
    import subprocess  # here: only a prepared update ever starts a process

    options: dict[str, object] = {}
    if sys.platform == "win32":
        options["creationflags"] = subprocess.DETACHED_PROCESS | subprocess.CREATE_NEW_PROCESS_GROUP
    else:
        options["start_new_session"] = True
    subprocess.Popen(  # a verified file or our own launcher
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        close_fds=True,
        **options,  # type: ignore[call-overload]
    )
