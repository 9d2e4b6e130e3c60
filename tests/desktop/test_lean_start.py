"""`tracktray` starts lean: what is imported by the time the icon shows its first status,
and what stays out after the everyday clicks.

A real process per start, as a person starts it (``tracktray.cli.launch``, the console
script's entry point), in local mode (and on an account of the test HTTPS server) on Qt's
offscreen platform. When it draws its first status (or has had its clicks answered) it
writes the names of the modules loaded then and quits; the test reads them.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

#: the windows a person opens from the menu (or a prompt shows later): none is needed
#: to show the icon and the first status
DIALOG_MODULES = (
    "tracktray.desktop.signin",
    "tracktray.desktop.settings_dialog",
    "tracktray.desktop.manage_trackers",
    "tracktray.desktop.describe",
    "tracktray.desktop.away_prompt",
    "tracktray.desktop.forgotten_prompt",
    "tracktray.desktop.update_offer",
    "tracktray.desktop.add_time",
    "tracktray.desktop.free_time",
    "tracktray.desktop.attendances",
    "tracktray.desktop.reports.window",
)

_PROBE = textwrap.dedent(
    """
    import json, sys
    from tracktray.desktop import benchhooks

    moment = sys.argv[2]  # "status-drawn", or "phase settled": the start is over

    def emit(event):
        if event == moment:
            loaded = set(sys.modules)
            # PySide6's ``Qt`` namespace: built (all its enums) at its first import
            if "Qt" in vars(sys.modules["PySide6.QtCore"]):
                loaded.add("PySide6.QtCore.Qt")
            import linecache  # source files kept in memory, as "linecache:<path>"
            loaded.update("linecache:" + path for path in linecache.cache)
            if sys.platform.startswith("linux"):  # glibc's malloc arenas, as "malloc-arenas:<n>"
                import ctypes, os, tempfile
                with tempfile.TemporaryFile() as said:
                    stderr = os.dup(2)
                    os.dup2(said.fileno(), 2)
                    try:
                        ctypes.CDLL(None).malloc_stats()  # a paragraph per arena on stderr
                    finally:
                        os.dup2(stderr, 2)
                        os.close(stderr)
                    said.seek(0)
                    loaded.add("malloc-arenas:%d" % said.read().count(b"Arena "))
            with open(sys.argv[1], "w") as out:
                json.dump(sorted(loaded), out)
            from PySide6.QtWidgets import QApplication
            QApplication.quit()

    benchhooks.emit = emit
    benchhooks._events_path = "probe"  # the drawing code reports only under the bench
    benchhooks._phases = True
    if len(sys.argv) > 3 and sys.argv[3] == "--as-if-tray":
        # offscreen has no tray: the widget would draw its fallback window instead
        from PySide6.QtWidgets import QSystemTrayIcon
        QSystemTrayIcon.isSystemTrayAvailable = staticmethod(lambda: True)
        del sys.argv[3]
    from tracktray.cli.launch import main
    sys.exit(main(sys.argv[3:]))
    """
)


def _modules_at_first_status(
    tmp_path: Path,
    runtime: Path,
    name: str,
    moment: str = "status-drawn",
    *,
    as_if_tray: bool = False,
) -> set[str]:
    out = tmp_path / f"{name}.json"
    env = _environment(tmp_path, runtime)
    args = ["--config-dir", str(tmp_path / "config"), "--data-dir", str(tmp_path / "data")]
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(out), moment, *(["--as-if-tray"] * as_if_tray), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(out.read_text(encoding="utf-8")))


def _environment(tmp_path: Path, runtime: Path) -> dict[str, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(runtime)}
    for var in ("TRACKTRAY_BENCH_EVENTS", "TRACKTRAY_BENCH_COMMANDS"):
        env.pop(var, None)
    for var in [name for name in env if name.casefold().endswith("_proxy")]:
        env.pop(var)  # a proxy would rightly bring httpx
    env["PYTHON_KEYRING_BACKEND"] = "tests.support.filekeyring.FileKeyring"
    env["TRACKTRAY_TEST_KEYRING"] = str(tmp_path / "keyring.json")
    return env


_ADD_ACCOUNT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from tracktray.store.credentials import CredentialStore
    from tracktray.store.settings import AccountConfig, SettingsStore
    config_dir, url, username, ca_file = sys.argv[1:5]
    account = AccountConfig(id="work", kind="trackmypeople", label="Work", url=url,
                            username=username, ca_file=ca_file)
    store = SettingsStore(Path(config_dir))
    store.save(store.load().with_account(account, activate=True))
    CredentialStore().set(account.id, sys.stdin.read())
    """
)


@pytest.fixture
def runtime() -> object:
    # short: the single-instance socket lives there
    path = Path(tempfile.mkdtemp(prefix="tt-lean-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_the_widget_shows_its_first_status_without_dialogs_sqlalchemy_or_the_cli(
    tmp_path: Path, runtime: Path
) -> None:
    first = _modules_at_first_status(tmp_path, runtime, "first")  # creates the database
    everyday = _modules_at_first_status(tmp_path, runtime, "everyday")

    for loaded in (first, everyday):
        assert not loaded & set(DIALOG_MODULES), sorted(loaded & set(DIALOG_MODULES))
        assert "tracktray.cli.main" not in loaded  # not through the CLI's command tree
        assert not {"keyring", "httpx"} & loaded  # local mode needs neither
    # an everyday start reads its status plainly: no SQLAlchemy, let alone PostgreSQL's
    assert not {m for m in everyday if m.split(".")[0] in ("sqlalchemy", "alembic")}
    assert "sqlalchemy.dialects.postgresql" not in everyday
    # nor what only later moments need: the network watch and the single-instance socket
    # (QtNetwork, once the account answered), D-Bus (jeepney: notifications, the idle
    # probe), sending clicks, the menu (when it opens)
    later = {
        "PySide6.QtNetwork",
        "jeepney",
        "concurrent.futures",
        "tracktray.accounts.outbox",
        "tracktray.desktop.menu",
    }
    assert not later & everyday, sorted(later & everyday)


def test_at_rest_the_widget_keeps_no_qt_namespace_no_source_lines_and_no_sqlalchemy(
    tmp_path: Path, runtime: Path
) -> None:
    _modules_at_first_status(tmp_path, runtime, "first")  # creates the database
    at_rest = _modules_at_first_status(tmp_path, runtime, "rest", "phase settled", as_if_tray=True)

    # the rest of the start-up ran (the menu and sending clicks loaded ahead, the idle
    # watch connected) ...
    assert {"tracktray.desktop.menu", "tracktray.accounts.outbox"} <= at_rest
    # ... without PySide6's Qt namespace (~1.3 MiB of enums for the whole run), the
    # windows, or SQLAlchemy (nor do local mode's clicks: the last test)
    assert "PySide6.QtCore.Qt" not in at_rest
    # nor QtDBus: the idle watch's listener (jeepney) hears logind's wake-up
    assert "PySide6.QtDBus" not in at_rest
    if sys.platform.startswith("linux"):
        # Qt's event thread and the workers allocate from glibc's main arena: none keeps
        # an arena of its own for the whole run
        assert "malloc-arenas:1" in at_rest, sorted(m for m in at_rest if m.startswith("malloc"))
    # nor any source file kept in linecache (PySide6 reads some at its import)
    assert not {m for m in at_rest if m.startswith("linecache:")}
    assert not at_rest & set(DIALOG_MODULES), sorted(at_rest & set(DIALOG_MODULES))
    # nor the update installer, made when an update is offered
    assert "tracktray.desktop.update_install" not in at_rest
    assert not {m for m in at_rest if m.split(".")[0] in ("sqlalchemy", "alembic")}


def test_at_rest_on_a_server_account_the_widget_keeps_neither_httpx_nor_keyring(
    tmp_path: Path, runtime: Path, trackmypeople_server: Any, server_user: Any
) -> None:
    subprocess.run(
        [
            sys.executable,
            "-c",
            _ADD_ACCOUNT,
            str(tmp_path / "config"),
            trackmypeople_server.api_url,
            server_user.username,
            str(trackmypeople_server.ca_file),
        ],
        env=_environment(tmp_path, runtime),
        input=server_user.password,
        text=True,
        check=True,
        timeout=60,
    )
    at_rest = _modules_at_first_status(tmp_path, runtime, "rest", "phase settled", as_if_tray=True)

    # the account answered over its client (settled comes after the first answer) ...
    assert {"tracktray.api.trackmypeople", "tracktray.api._keepalive"} <= at_rest
    # ... the standard library's: none of httpx's stack, nor the idna codec (an ASCII
    # host name goes to the socket and to ssl as bytes)
    httpx_stack = {"httpx", "httpcore", "h11", "anyio", "sniffio", "idna"}
    assert not {m for m in at_rest if m.split(".")[0] in httpx_stack}
    assert not {"encodings.idna", "stringprep", "http.cookiejar"} & at_rest
    # httptools parses the answers (_http1.py), and neither http.client nor email is
    # loaded: the password was read by the keyring helper (keyring_helper.py), so
    # keyring's package (the test's file keyring), which imports both, is not here
    assert "httptools" in at_rest
    assert not {"keyring", "jaraco", "http", "email"} & {m.split(".")[0] for m in at_rest}
    # nor decimal (the free-time hours' type): naming this widget's version needs none
    assert "decimal" not in at_rest
    # nor TimeTrack's model on a TrackMyPeople account
    assert "tracktray.domain.timetrack" not in at_rest


_CLICKING_PROBE = textwrap.dedent(
    """
    import json, os, sys
    from tracktray.desktop import benchhooks

    out_path, commands = sys.argv[1], os.environ["TRACKTRAY_BENCH_COMMANDS"]
    confirmed = []

    def click():  # as the bench clicks: a line read by the Qt event loop, the icon's slot
        fd = os.open(commands, os.O_WRONLY | os.O_NONBLOCK)
        os.write(fd, b"click\\n")
        os.close(fd)

    def emit(event):
        if event == "phase settled":
            click()  # start
        elif event == "icon-confirmed":
            confirmed.append(event)
            if len(confirmed) == 1:
                click()  # stop
            else:
                with open(out_path, "w") as out:
                    json.dump(sorted(sys.modules), out)
                from PySide6.QtWidgets import QApplication
                QApplication.quit()

    benchhooks.emit = emit
    benchhooks._events_path = "probe"  # the drawing code reports only under the bench
    benchhooks._phases = True
    from PySide6.QtWidgets import QSystemTrayIcon  # offscreen has no tray
    QSystemTrayIcon.isSystemTrayAvailable = staticmethod(lambda: True)
    from tracktray.cli.launch import main
    sys.exit(main(sys.argv[2:]))
    """
)


def test_a_start_click_and_a_stop_click_in_local_mode_load_no_sqlalchemy(
    tmp_path: Path, runtime: Path
) -> None:
    _modules_at_first_status(tmp_path, runtime, "first")  # creates the database
    commands = runtime / "commands"
    os.mkfifo(commands)
    out = tmp_path / "clicked.json"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_RUNTIME_DIR": str(runtime),
        "TRACKTRAY_BENCH_COMMANDS": str(commands),
    }
    env.pop("TRACKTRAY_BENCH_EVENTS", None)
    args = ["--config-dir", str(tmp_path / "config"), "--data-dir", str(tmp_path / "data")]
    done = subprocess.run(
        [sys.executable, "-c", _CLICKING_PROBE, str(out), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    clicked = set(json.loads(out.read_text(encoding="utf-8")))

    assert "tracktray.engine.plainwrite" in clicked  # the clicks went the plain way ...
    assert not {m for m in clicked if m.split(".")[0] in ("sqlalchemy", "alembic")}
    with closing(sqlite3.connect(tmp_path / "data" / "local.sqlite")) as db:
        rows = db.execute("SELECT stop_utc IS NOT NULL FROM blocks").fetchall()
    assert rows == [(1,)]  # ... and started, then stopped, one block
