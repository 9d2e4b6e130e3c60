"""``tracktray`` with no command: the tray widget.

:func:`run` makes the QApplication, makes sure only one widget runs per user (a second
start shows the first one's menu and exits), starts the :class:`TrayApp` and runs the
event loop. The CLI imports this module only when the widget is wanted.
"""

from __future__ import annotations

import argparse
import logging
import signal
import socket
import sys
from pathlib import Path

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
    bytes keeps nothing. (PySide6 internals: skipped when they change.)"""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is not None and callable(getattr(feature, "_mod_uses_pyside", None)):
        feature._mod_uses_pyside = _uses_pyside  # type: ignore[attr-defined]


_lighter_feature_check()

from tracktray import __version__  # noqa: E402
from tracktray.i18n import _  # noqa: E402

__all__ = ["run"]

log = logging.getLogger(__name__)


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("tracktray", appauthor=False))


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="tracktray", description=_("The TrackTray tray widget."))
    parser.add_argument("--config-dir", type=Path, help=_("where settings.json lives"))
    parser.add_argument("--data-dir", type=Path, help=_("where local mode keeps its database"))
    # Qt's own options (-platform, -style, ...) pass through untouched
    args, _unknown = parser.parse_known_args(argv)
    return args


def run(argv: list[str]) -> int:
    """Run the widget until Quit; returns the process exit code."""
    phase("qt-imported")
    args = _parse(argv)
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    assert isinstance(app, QApplication)
    phase("qapplication")
    app.setApplicationName("tracktray")
    app.setApplicationDisplayName("TrackTray")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("tracktray")
    from tracktray.desktop.language import apply_language
    from tracktray.store.settings import Settings, SettingsError, SettingsStore, Stamp

    # Before any window: the language is chosen once (Settings says "at next start").
    # One small file read at start-up, before the event loop runs; the app starts from
    # it too instead of reading the file again on a worker.
    store = SettingsStore(args.config_dir)
    loaded: tuple[Settings, Stamp] | None = None
    try:
        stamp = store.stamp()  # first: a write during the load is noticed later
        loaded = (store.load(), stamp)
        language = loaded[0].preferences.language
    except SettingsError:
        language = "system"  # the app reads it again once it runs, and reports it
    apply_language(app, language)
    phase("language")
    from tracktray.desktop.icons import app_icon

    app.setWindowIcon(app_icon())
    # the widget lives in the tray: closing a dialog or the fallback window is no quit
    app.setQuitOnLastWindowClosed(False)

    from tracktray.desktop.single_instance import SingleInstance

    instance = SingleInstance()
    if not instance.lock():
        return 0  # the running widget shows its menu instead
    phase("single-instance")

    from tracktray.desktop import benchprobe
    from tracktray.desktop.controller import TrayApp
    from tracktray.store.credentials import CredentialStore

    tray = TrayApp(
        settings_store=store,
        credentials=CredentialStore(),
        data_dir=args.data_dir or default_data_dir(),
    )
    # later starts and `tracktray status` are answered once the first status is drawn
    tray.settled.connect(instance.listen)
    instance.activation_requested.connect(tray.show_menu)
    instance.status_requested.connect(tray.answer_status)
    phase("tray-built")
    benchprobe.install(tray, tray.view.on_click)
    _quit_on_signals(app)
    tray.start(loaded)
    phase("event-loop")
    try:
        return app.exec()
    finally:
        tray.shutdown()
        instance.release()


def _quit_on_signals(app: QApplication) -> None:
    """Ctrl+C and SIGTERM quit cleanly without a polling timer.

    Python runs signal handlers only when Python code runs; a Qt loop waiting in C would
    never get to them. The C-level handler writes a byte to a socket (``set_wakeup_fd``)
    that a QSocketNotifier watches, which wakes the loop only when a signal came.
    """
    receiver, sender = socket.socketpair()
    receiver.setblocking(False)
    sender.setblocking(False)
    signal.set_wakeup_fd(sender.fileno())
    notifier = QSocketNotifier(receiver.fileno(), QSocketNotifier.Type.Read, app)
    notifier.activated.connect(lambda *_: receiver.recv(64))

    def quit_now(*_: object) -> None:
        app.quit()

    signal.signal(signal.SIGINT, quit_now)
    signal.signal(signal.SIGTERM, quit_now)
    _keep_alive.extend([receiver, sender, notifier])


#: the wake-up sockets must live as long as the process
_keep_alive: list[object] = []
