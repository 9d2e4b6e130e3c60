"""The journal's replay rules (docs/reliability.md) against the real engine in local mode."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from tracktray.accounts.local import LocalBackend, open_local_backend
from tracktray.accounts.outbox import send_waiting
from tracktray.accounts.replay import replay
from tracktray.api import ServerUnavailable
from tracktray.domain import Block, ReportQuery
from tracktray.store.journal import Journal

MIN = dt.timedelta(minutes=1)


@pytest.fixture(params=["first-run", "everyday"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LocalBackend]:
    """Local mode as the first run opens it (the engine does everything) and as every
    later open does (the clicks and status on the plain path, the rest by the engine)."""
    b = open_local_backend(tmp_path)
    if request.param == "everyday":
        b.close()
        b = open_local_backend(tmp_path)
        assert b._reader is not None
    yield b
    b.close()


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def blocks(backend: LocalBackend) -> list[Block]:
    return backend.report(ReportQuery(include_open=True))


def wall(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone().replace(tzinfo=None, microsecond=0)


def close_to(a: dt.datetime | None, b: dt.datetime) -> bool:
    return a is not None and abs((a - wall(b)).total_seconds()) <= 2


def test_a_late_stop_ends_the_block_at_the_click(backend: LocalBackend) -> None:
    backend.add(now() - 30 * MIN)
    clicked = now() - 10 * MIN
    outcome = replay(backend, "stop", {"description": "x"}, clicked, tried_before=True, now=now())
    assert outcome.state == "done" and not outcome.note
    (block,) = blocks(backend)
    assert close_to(block.time_out, clicked) and block.description == "x"


def test_a_stop_that_finds_nothing_running_sends_nothing_and_says_why(
    backend: LocalBackend,
) -> None:
    outcome = replay(backend, "stop", {}, now() - MIN, tried_before=True, now=now())
    assert outcome.state == "done" and "stopped elsewhere" in outcome.note
    assert blocks(backend) == []


def test_a_late_start_opens_the_block_at_the_click_and_is_never_doubled(
    backend: LocalBackend,
) -> None:
    clicked = now() - 10 * MIN
    for _ in range(2):  # a second replay (the answer was lost) finds it done
        outcome = replay(backend, "start", {}, clicked, tried_before=True, now=now())
        assert outcome.state == "done"
    (block,) = blocks(backend)
    assert block.time_out is None and close_to(block.time_in, clicked)


def test_a_start_overtaken_by_another_device_is_kept_as_a_closed_block(
    backend: LocalBackend,
) -> None:
    other = backend.add_tracker("Other")
    clicked = now() - 10 * MIN
    backend.add(now() - 5 * MIN, None, other)  # another device started later
    outcome = replay(backend, "start", {}, clicked, tried_before=True, now=now())
    assert "another device" in outcome.note
    first, second = blocks(backend)
    assert close_to(first.time_in, clicked) and close_to(first.time_out, now() - 5 * MIN)
    assert second.tracker_id == other and second.time_out is None


def test_a_late_switch_closes_at_the_click_and_opens_the_next(backend: LocalBackend) -> None:
    other = backend.add_tracker("Other")
    backend.add(now() - 30 * MIN)
    clicked = now() - 10 * MIN
    args = {"tracker_id": other, "description": "done"}
    for _ in range(2):
        assert (
            replay(backend, "switch", args, clicked, tried_before=True, now=now()).state == "done"
        )
    first, second = blocks(backend)
    assert close_to(first.time_out, clicked) and first.description == "done"
    assert second.tracker_id == other and close_to(second.time_in, clicked)


def test_a_refusal_is_an_outcome_with_the_server_sentence(backend: LocalBackend) -> None:
    outcome = replay(backend, "switch", {"tracker_id": 999}, now(), tried_before=False, now=now())
    assert outcome.state == "refused" and outcome.note


def test_send_waiting_goes_in_click_order_and_keeps_what_it_cannot_send(
    backend: LocalBackend, tmp_path: Path
) -> None:
    journal = Journal(tmp_path)
    t0 = now() - 20 * MIN
    journal.append("local", "start", {}, clicked_at=t0, source="cli")
    journal.append("local", "stop", {}, clicked_at=t0 + 5 * MIN, source="widget")
    journal.append("local", "start", {}, clicked_at=t0 + 10 * MIN, source="widget")
    report = send_waiting(journal, "local", backend)
    assert report.stopped_by is None and report.waiting == []
    first, second = blocks(backend)
    assert close_to(first.time_in, t0) and close_to(first.time_out, t0 + 5 * MIN)
    assert close_to(second.time_in, t0 + 10 * MIN) and second.time_out is None
    assert [e.state for e in journal.entries()] == ["done", "done", "done"]


class _Away(LocalBackend):
    def status(self):  # type: ignore[no-untyped-def]
        raise ServerUnavailable("The server is away.")


def test_an_unreachable_server_leaves_every_entry_waiting(tmp_path: Path) -> None:
    real = open_local_backend(tmp_path)
    away = _Away(real.engine, real.profile_id)
    journal = Journal(tmp_path)
    journal.append("local", "stop", {}, clicked_at=now() - MIN, source="widget")
    journal.append("local", "start", {}, clicked_at=now() - MIN, source="widget")
    report = send_waiting(journal, "local", away)
    assert isinstance(report.stopped_by, ServerUnavailable)
    assert [e.kind for e in report.waiting] == ["stop", "start"]
    assert report.waiting[0].state == "sending"  # it may have left: re-checked next time
    real.close()
