"""Hermetic test environment shared by every layer.

Before anything imports Qt, platformdirs or keyring, point them at a private temporary
home: no test reads or writes the real user's settings, data or secrets. Subprocesses
(the CLI, the server) inherit the same environment.
"""

from __future__ import annotations

import gc
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

_ROOT = Path(__file__).resolve().parent.parent
_HOME = Path(tempfile.mkdtemp(prefix="tracktray-test-home-"))

for _name, _sub in {
    "HOME": "",
    "XDG_CONFIG_HOME": ".config",
    "XDG_DATA_HOME": ".local/share",
    "XDG_CACHE_HOME": ".cache",
    "XDG_STATE_HOME": ".local/state",
    "XDG_RUNTIME_DIR": "run",
}.items():
    _path = _HOME / _sub
    _path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.environ[_name] = str(_path)

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# No session bus for ordinary tests: Qt would otherwise start a dbus-daemon that
# outlives the run. Tests that need a bus start their own (dbus-run-session).
os.environ["DBUS_SESSION_BUS_ADDRESS"] = "disabled:"
# An isolated keyring (a JSON file in the temporary home) for in-process and
# subprocess tests alike; tests of "no keyring" and of the real Secret Service
# override this per test.
os.environ["PYTHON_KEYRING_BACKEND"] = "tests.support.filekeyring.FileKeyring"
os.environ["TRACKTRAY_TEST_KEYRING"] = str(_HOME / "keyring.json")
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (str(_ROOT), os.environ.get("PYTHONPATH", "")) if p
)
# Tests read English unless they choose a language (tests/i18n; the `german` fixture):
# LANGUAGE outranks LC_ALL and LANG for gettext and for Qt's UI languages.
os.environ["LANGUAGE"] = "en"
for _var in ("TRACKTRAY_URL", "TRACKTRAY_USER", "TRACKTRAY_PASSWORD", "TRACKTRAY_CA"):
    os.environ.pop(_var, None)
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

# Cyclic garbage collection only on the main thread (as the widget does, see
# tracktray.desktop.collector): the HTTPS test server runs in a thread of this process,
# and a collection there that frees a QObject deadlocks against the Qt thread.
gc.disable()


@pytest.fixture(autouse=True)
def _collect_garbage_on_the_main_thread() -> Iterator[None]:
    yield
    from tracktray.desktop.garbage import collect_due_generations

    collect_due_generations()


@pytest.fixture(autouse=True)
def _english_after_each_test() -> Iterator[None]:
    """A test that chose a language (German, the pseudo-locale) leaves English behind."""
    yield
    from tracktray import i18n

    i18n.use_language("en")


@pytest.fixture
def local_midday(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This computer's zone set to one where it is about midday now (``Etc/GMT±N``), for
    tests that place a block an hour or so before now and expect it today: in this
    computer's zone they failed in the first hours after midnight."""
    import datetime as dt
    import time

    offset = (12 - dt.datetime.now(dt.UTC).hour) % 24
    offset = offset - 24 if offset > 14 else offset  # Etc/GMT spans UTC-12 to UTC+14
    monkeypatch.setenv("TZ", f"Etc/GMT{-offset:+d}" if offset else "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def computer_in_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This computer's zone set to UTC, the zone of the TimeTrack tests' users: the client
    writes TimeTrack's wall-clock times in this computer's zone and the engine reads them
    in the profile's, which are one zone for a person on their own computer. On a
    computer in another zone the tests failed."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def german() -> Iterator[None]:
    """The widget's and the CLI's words in German for this test."""
    from tracktray import i18n

    assert i18n.use_language("de") == "de", "the German catalog is not compiled (scripts/bootstrap)"
    yield


pytest_plugins = ["tests.support.server_fixtures", "tests.support.timetrack_fixtures"]
