"""``tracktray`` with no command: the tray widget.

:func:`run` makes the QApplication, makes sure only one widget runs per user (a second
start shows the first one's menu and exits), starts the :class:`TrayApp` and runs the
event loop. On an everyday start the icon shows first, with the status remembered from
the last run, and the app loads behind it (``first_stage.py``); a first run builds the
app first. The CLI imports this module only when the widget is wanted.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tracktray.desktop.benchhooks import phase

phase("interpreter-up")

from PySide6.QtCore import QSocketNotifier  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def _uses_pyside(module: object) -> bool:
    """Whether ``module``'s source mentions PySide6, read without keeping it."""
    path = getattr(module, "__file__", None)
    if not isinstance(path, str) or not path.endswith(".py"):
        return False
    try:
        with open(path, "rb") as source:
            return b"PySide6" in source.read()
    except OSError:
        return False


def _lighter_feature_check() -> None:
    """PySide6 asks of every module imported after it whether it uses PySide6 (for its
    ``__feature__`` switches) by ``inspect.getsource``, which keeps each whole source
    file in ``linecache``: ~5 MiB of strings for the widget's ~140 modules, and the
    reading and line splitting on the start-up path. The same answer from the file's
    bytes keeps nothing. (PySide6 internals: skipped when they change.) What it read
    before this could apply (PySide6's own package files and ``enum.py``: ~220 KiB kept
    for the whole run) is dropped: ``linecache`` reads a file again when a traceback
    needs it."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is not None and callable(getattr(feature, "_mod_uses_pyside", None)):
        feature._mod_uses_pyside = _uses_pyside  # type: ignore[attr-defined]
        linecache = sys.modules.get("linecache")
        if linecache is not None:
            linecache.clearcache()


_lighter_feature_check()

from tracktray import __version__  # noqa: E402
from tracktray.i18n import _  # noqa: E402

if TYPE_CHECKING:
    import argparse

    from tracktray.desktop.controller import TrayApp
    from tracktray.desktop.first_stage import FirstLook
    from tracktray.desktop.single_instance import SingleInstance
    from tracktray.store.settings import Settings, Stamp

__all__ = ["run"]

log = logging.getLogger(__name__)


def default_data_dir() -> Path:
    from tracktray.store.places import user_data_dir

    return Path(user_data_dir())


def _parse(argv: list[str]) -> argparse.Namespace:
    import argparse

    parser = argparse.ArgumentParser(prog="tracktray", description=_("The TrackTray tray widget."))
    parser.add_argument("--config-dir", type=Path, help=_("where settings.json lives"))
    parser.add_argument("--data-dir", type=Path, help=_("where local mode keeps its database"))
    # Qt's own options (-platform, -style, ...) pass through untouched
    args, _unknown = parser.parse_known_args(argv)
    return args


_OPTIONS = ("--config-dir", "--data-dir")


def _options(argv: list[str]) -> tuple[Path | None, Path | None]:
    """(--config-dir, --data-dir): the two options read without argparse (~5 ms of
    imports) when they are written out in full; argparse reads anything else (an
    abbreviation, a missing value, --help) as before."""
    found: dict[str, Path] = {}
    tokens = iter(argv)
    for token in tokens:
        name, equals, value = token.partition("=")
        if name in _OPTIONS:
            value = value if equals else next(tokens, "")
            if not value or value.startswith("-"):
                break
            found[name] = Path(value)
        elif token.startswith("--") and any(o.startswith(name) for o in (*_OPTIONS, "--help")):
            break  # an abbreviation argparse would take: let it
        elif token == "-h":
            break
    else:
        return found.get("--config-dir"), found.get("--data-dir")
    args = _parse(argv)
    return args.config_dir, args.data_dir


#: glibc's ``mallopt`` parameter for the most malloc arenas (``M_ARENA_MAX``)
_M_ARENA_MAX = -8


def one_malloc_arena() -> bool:
    """Let every thread allocate from glibc's main malloc arena (Linux; whether it did).

    By default each new thread that allocates gets an arena of its own (up to 8 per
    core): Qt's X11 event thread, the worker that imports the app, each bridge lane.
    Each keeps its free and partly used pages for the whole run (~0.7 MiB of the
    widget's resident memory at rest). The threads seldom allocate at the same moment
    (the GIL, a resting Qt thread), so sharing one arena costs no waiting that matters.
    Only effective before a second thread allocates: glibc sizes its arena limit then.
    ``ctypes`` costs ~3 ms here; the X11 idle backend imports it later anyway.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        return bool(ctypes.CDLL(None).mallopt(_M_ARENA_MAX, 1))
    except (OSError, AttributeError):  # not glibc (musl has no such parameter)
        return False


def run(argv: list[str]) -> int:
    """Run the widget until Quit; returns the process exit code."""
    phase("qt-imported")
    one_malloc_arena()  # before QApplication starts Qt's event thread
    config_dir, data_dir = _options(argv)
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    assert isinstance(app, QApplication)
    phase("qapplication")
    app.setApplicationName("tracktray")
    app.setApplicationDisplayName("TrackTray")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("tracktray")
    from tracktray.desktop.language import apply_language
    from tracktray.store.settings_glance import glance as glance_at

    # Before any window: the language is chosen once (Settings says "at next start").
    # One small file read at start-up, before the event loop runs.
    if config_dir is None:
        from tracktray.store.places import user_config_dir

        config_dir = Path(user_config_dir())
    glance = glance_at(config_dir)
    loaded: tuple[Settings, Stamp] | None = None
    if glance is not None:
        language = glance.language
    else:  # the first run (or a file to report): the whole settings, read once here
        loaded, language = _load_settings(config_dir)
    apply_language(app, language)
    phase("language")
    # the widget lives in the tray: closing a dialog or the fallback window is no quit
    app.setQuitOnLastWindowClosed(False)

    from tracktray.desktop.single_instance import SingleInstance

    instance = SingleInstance()
    if not instance.lock():
        return 0  # the running widget shows its menu instead
    phase("single-instance")
    data_dir = data_dir or default_data_dir()
    _quit_on_signals(app)
    first = None
    if glance is not None:
        from tracktray.desktop.first_stage import show_first_look

        first = show_first_look(glance, data_dir, app)
    started = _Started()
    if first is None:  # everything here, now (the first run; no tray)
        started.start(app, instance, config_dir, data_dir, loaded)
    else:
        from tracktray.desktop import benchprobe

        benchprobe.install(first, first.click)

        def loaded_in_background(result: object) -> None:
            phase("app-loaded")
            if isinstance(result, Exception):  # a broken installation: say so and end
                log.error("tracktray could not load", exc_info=result)
                app.exit(1)
                return
            settings = result if isinstance(result, tuple) else None
            started.start(app, instance, config_dir, data_dir, settings, first)

        first.loaded.connect(loaded_in_background)
        first.load_in_background(lambda: _load_the_app(config_dir))
    phase("event-loop")
    try:
        return app.exec()
    finally:
        started.shutdown()
        instance.release()


def _load_settings(config_dir: Path) -> tuple[tuple[Settings, Stamp] | None, str]:
    """The settings and their stamp (None when unreadable: the app reports it), and the
    language they choose."""
    from tracktray.store.settings import SettingsError, SettingsStore

    store = SettingsStore(config_dir)
    try:
        stamp = store.stamp()  # first: a write during the load is noticed later
        settings = store.load()
    except SettingsError:
        return None, "system"  # the app reads it again once it runs, and reports it
    return (settings, stamp), settings.preferences.language


def _load_the_app(config_dir: Path) -> tuple[Settings, Stamp] | None:
    """On the first stage's worker: the app's modules, and the whole settings."""
    import tracktray.desktop.controller
    import tracktray.store.credentials  # noqa: F401

    return _load_settings(config_dir)[0]


class _Started:
    """The app once it runs: built and started on the Qt thread, shut down at quit."""

    def __init__(self) -> None:
        self.tray: TrayApp | None = None

    def start(
        self,
        app: QApplication,
        instance: SingleInstance,
        config_dir: Path,
        data_dir: Path,
        loaded: tuple[Settings, Stamp] | None,
        first: FirstLook | None = None,
    ) -> None:
        from tracktray.desktop import benchprobe
        from tracktray.desktop.controller import TrayApp
        from tracktray.desktop.icons import app_icon
        from tracktray.store.credentials import CredentialStore
        from tracktray.store.settings import SettingsStore

        app.setWindowIcon(app_icon())  # windows open only from here on
        tray = TrayApp(
            settings_store=SettingsStore(config_dir),
            credentials=CredentialStore.out_of_process(),
            data_dir=data_dir,
            icon=first.icon if first is not None else None,
        )
        self.tray = tray
        # later starts and `tracktray status` are answered once the first status is drawn
        tray.settled.connect(instance.listen)
        instance.activation_requested.connect(tray.show_menu)
        instance.status_requested.connect(tray.answer_status)
        phase("tray-built")
        if first is None:
            benchprobe.install(tray, tray.view.on_click)
            tray.start(loaded)
        else:
            tray.start(loaded, (first.account_id, first.read))
            first.hand_over(tray.view.on_activated, tray.view.on_click)

    def shutdown(self) -> None:
        if self.tray is not None:
            self.tray.shutdown()


def _quit_on_signals(app: QApplication) -> None:
    """Ctrl+C and SIGTERM quit cleanly without a polling timer.

    Python runs signal handlers only when Python code runs; a Qt loop waiting in C would
    never get to them. The C-level handler writes a byte to a pipe (``set_wakeup_fd``)
    that a QSocketNotifier watches, which wakes the loop only when a signal came. Windows
    takes only a socket there (and the ``socket`` module, ~3 ms, loads only there).
    """
    if sys.platform == "win32":
        import socket

        receiver, sender = socket.socketpair()
        receiver.setblocking(False)
        sender.setblocking(False)
        read_end, write_end = receiver.fileno(), sender.fileno()
        _keep_alive.extend([receiver, sender])

        def drain() -> None:
            receiver.recv(64)
    else:
        read_end, write_end = os.pipe()
        os.set_blocking(read_end, False)
        os.set_blocking(write_end, False)

        def drain() -> None:
            os.read(read_end, 64)

    signal.set_wakeup_fd(write_end)
    notifier = QSocketNotifier(read_end, QSocketNotifier.Type.Read, app)
    notifier.activated.connect(lambda *_: drain())

    def quit_now(*_: object) -> None:
        app.quit()

    signal.signal(signal.SIGINT, quit_now)
    signal.signal(signal.SIGTERM, quit_now)
    _keep_alive.append(notifier)


#: the wake-up pipe's notifier (and Windows' sockets) must live as long as the process
_keep_alive: list[object] = []
