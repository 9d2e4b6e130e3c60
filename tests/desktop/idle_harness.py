"""The real tray app with a stand-in idle source whose last input the test sets.

The machine under test has no session to ask (offscreen Qt, no compositor), so the app's
:class:`IdleWatch` gets an :class:`IdleSource` that answers ``now - last_input`` like
every real backend does (the real backends are tested in ``test_idle_dbus.py``,
``test_idle_platforms.py`` and ``tests/e2e/test_idle_x11.py``). Everything else is
real: the local engine on a SQLite file, the session, the prompts, the settings file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.desktop.harness import Harness
from tracktray.accounts.local import LocalBackend, open_local_backend
from tracktray.desktop import controller
from tracktray.desktop.idle.choose import IdleChoice
from tracktray.desktop.idle.watch import IdleWatch
from tracktray.desktop.tasks import TaskBridge
from tracktray.domain import Block, ReportQuery
from tracktray.store.settings import Preferences, Settings

MakeApp = Callable[..., Harness]


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class StandInIdle:
    name: str = "stand-in"
    last_input: dt.datetime = field(default_factory=now)
    readings: int = 0
    #: when set, the idle time answered regardless of the clock (for an injected clock)
    fixed_idle_s: float | None = None
    #: when set before the app starts: no backend works, for this reason
    refusal: str = ""

    def idle_seconds(self) -> float:
        self.readings += 1
        if self.fixed_idle_s is not None:
            return self.fixed_idle_s
        return max(0.0, (now() - self.last_input).total_seconds())

    def close(self) -> None:
        pass


class _QuietListener:
    """Lock and sleep events: the tests emit ``IdleWatch.session_event`` themselves."""

    def start(self) -> list[str]:
        return ["stand-in lock and sleep"]

    def close(self) -> None:
        pass


@pytest.fixture
def idle_source(monkeypatch: pytest.MonkeyPatch) -> StandInIdle:
    source = StandInIdle()

    def watch(bridge: TaskBridge, parent: object = None) -> IdleWatch:
        return IdleWatch(
            bridge,
            choose=lambda: (
                IdleChoice(None, (source.refusal,)) if source.refusal else IdleChoice(source)
            ),
            listener=lambda _on_event: _QuietListener(),
            parent=parent,  # type: ignore[arg-type]
        )

    monkeypatch.setattr(controller, "IdleWatch", watch)
    return source


@dataclass
class Running:
    """A block that has been running since ``started_at`` (moved back in the engine)."""

    harness: Harness
    backend: LocalBackend
    started_at: dt.datetime

    def blocks(self) -> list[Block]:
        return self.backend.report(ReportQuery(include_open=True))


@pytest.fixture
def running_for(
    make_app: MakeApp, idle_source: StandInIdle, tmp_path: Path
) -> Iterator[Callable[..., Running]]:
    backends: list[LocalBackend] = []

    def start(minutes: int, **prefs: object) -> Running:
        h = make_app(Settings(preferences=Preferences(local_notice_shown=True, **prefs)))  # type: ignore[arg-type]
        h.wait_ready()
        h.click()
        h.qtbot.waitUntil(lambda: _running(h) is not None)
        # The tray shows the click at once; the journal sends it to the engine after.
        h.qtbot.waitUntil(lambda: not h.app.session.unsent, timeout=10_000)
        h.wait_idle()
        backend = open_local_backend(tmp_path / "data")
        backends.append(backend)
        (block,) = backend.report(ReportQuery(include_open=True))
        started = now().replace(microsecond=0) - dt.timedelta(minutes=minutes)
        backend.engine.edit_block(
            backend.profile_id,
            block.id,
            start=started,
            stop=None,
            tracker_id=block.tracker_id or 1,
            description="",
        )
        h.app.session.poll_now()
        h.qtbot.waitUntil(lambda: _started(h) == started)
        h.wait_idle()
        return Running(h, backend, started)

    yield start
    for backend in backends:
        backend.close()


def _running(h: Harness) -> object:
    status = h.app.session.status
    return status.running if status is not None else None


def _started(h: Harness) -> dt.datetime | None:
    status = h.app.session.status
    return status.running.started_at if status and status.running else None
