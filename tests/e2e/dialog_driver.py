"""Runs the real widget on the test's X display and opens its real dialogs on command.

``python -m tests.e2e.dialog_driver CONFIG DATA`` starts :class:`TrayApp` as
``tracktray`` does (Qt on xcb, the icon in the real tray host) and reads one command a
line on stdin: ``open KIND`` shows that dialog through the app's own road and answers
``opened KIND`` on stdout once it is on screen; ``close`` closes every window;
``state`` prints ``dialogs=<kinds> waiting=<bool>``. The test clicks the tray icon with
the X pointer while each dialog is open and reads the app's ``click`` events (bench
event file): a modal dialog or a nested event loop would swallow them.
A TimeTrack account for the Attendances window is described by the TT_* variables.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

from PySide6.QtCore import QSocketNotifier, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from tracktray.desktop import benchprobe
from tracktray.desktop.attendance_editor import AttendanceEditor, EntryValues
from tracktray.desktop.commands import Command, Kind
from tracktray.desktop.controller import TrayApp
from tracktray.desktop.dialogs import confirm
from tracktray.store.credentials import CredentialStore
from tracktray.store.settings import SettingsStore

#: where windows go: clear of the tray strip at the top left
PLACE = (320, 220)


def main() -> int:
    config_dir, data_dir = Path(sys.argv[1]), Path(sys.argv[2])
    app = QApplication([sys.argv[0]])
    app.setQuitOnLastWindowClosed(False)
    tray = TrayApp(
        settings_store=SettingsStore(config_dir),
        credentials=CredentialStore(),
        data_dir=data_dir,
    )
    benchprobe.install(tray, tray.view.on_click)
    extra: list[QWidget] = []  # windows shown outside the app's registry (form, question)

    def say(line: str) -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    def shown(kind: str, window: QWidget) -> None:
        window.move(*PLACE)

        def check() -> None:
            if window.isVisible() and window.windowHandle() and window.windowHandle().isExposed():
                say(f"opened {kind} modal={window.isModal()}")
            else:
                QTimer.singleShot(20, check)

        check()

    def open_kind(kind: str) -> None:
        if kind == "settings":
            tray.dispatch(Command(Kind.SETTINGS))
            shown(kind, tray.dialogs["settings"])
        elif kind == "sign-in":
            tray.dispatch(Command(Kind.ADD_ACCOUNT))
            shown(kind, tray.dialogs["sign-in"])
        elif kind == "describe":
            # the prompt itself, whatever the clicks made of the timer meanwhile
            tray._ask_description(switching=True)
            shown(kind, tray.dialogs["describe"])
        elif kind == "attendances":
            tray.dispatch(Command(Kind.ATTENDANCES))
            shown(kind, tray.dialogs["attendances"])
        elif kind == "attendance-form":
            now = dt.datetime.now().replace(second=0, microsecond=0)
            values = EntryValues(now - dt.timedelta(hours=1), now, 0, "")
            form = AttendanceEditor.ask("Add attendance", values, None, lambda _v: None)
            extra.append(form)
            shown(kind, form)
        elif kind == "confirm":
            box = confirm(None, "Delete attendance", "Delete the entry?", lambda _yes: None)
            extra.append(box)
            shown(kind, box)
        else:
            say(f"unknown {kind}")

    def on_line() -> None:
        line = sys.stdin.readline()
        if not line:
            app.quit()
            return
        words = line.split()
        if words[:1] == ["open"]:
            open_kind(words[1])
        elif words[:1] == ["close"]:
            tray.windows.close_all()
            for window in extra:
                window.close()
            extra.clear()
            say("closed")
        elif words[:1] == ["state"]:
            kinds = ",".join(sorted(tray.dialogs))
            say(f"dialogs={kinds} waiting={tray.session.waiting}")
        elif words[:1] == ["quit"]:
            app.quit()

    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read, app)
    notifier.activated.connect(lambda *_: on_line())
    tray.ready.connect(lambda: say("ready"))
    tray.start()
    try:
        return app.exec()
    finally:
        tray.shutdown()


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    sys.exit(main())
