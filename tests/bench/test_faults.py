"""The fault-injection bench: its judge counts what it should, and a short run is clean."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from bench.faults import judge, main

T0 = dt.datetime(2026, 11, 29, 9, 0, tzinfo=dt.UTC)


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def test_the_judge_counts_lost_duplicated_and_mistimed() -> None:
    expected = [(1, at(0), at(60)), (2, at(60), None)]
    assert judge(expected, [(1, at(1), at(61)), (2, at(61), None)]) == (0, 0, 0)
    assert judge(expected, [(1, at(0), None)]) == (2, 0, 0)  # the stop and the switch
    assert judge(expected, [(1, at(0), at(60)), (2, at(60), None), (2, at(60), None)]) == (0, 1, 0)
    assert judge(expected, [(1, at(0), at(90)), (2, at(60), None)]) == (0, 0, 1)


@dataclass
class Entry:
    kind: str
    args: dict[str, Any]
    state: str = "done"


def test_the_expected_blocks_follow_the_journal_rules() -> None:
    from bench.faults import expected_blocks

    clicks = [
        (Entry("start", {"tracker_id": None}), at(0)),
        (Entry("start", {"tracker_id": 7}), at(10)),  # another tracker: a switch
        (Entry("stop", {}, state="refused"), at(20)),  # told, did nothing
        (Entry("stop", {}), at(30)),
        (Entry("stop", {}), at(40)),  # nothing ran: nothing to do
        (Entry("switch", {"tracker_id": 7}), at(50)),  # nothing ran: a start
    ]
    assert expected_blocks(clicks, default=1) == [
        (1, at(0), at(10)),
        (7, at(10), at(30)),
        (7, at(50), None),
    ]


@pytest.mark.slow
def test_a_short_run_loses_and_doubles_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--episodes", "4", "--seed", "7", "--keep", str(tmp_path), "--json"]) == 0
    out = capsys.readouterr().out
    assert '"lost": 0' in out and '"duplicated": 0' in out


def test_back_to_back_pieces_of_one_tracker_count_as_one_block() -> None:
    expected = [(2, at(0), at(1)), (2, at(1), None)]
    assert judge(expected, [(2, at(0), None)]) == (0, 0, 0)
    # with a gap between them they are two blocks: one no click explains
    assert judge([(2, at(0), None)], [(2, at(0), at(30)), (2, at(40), None)]) == (0, 1, 1)


def test_a_switch_to_the_running_tracker_joins_one_pair_of_pieces_only() -> None:
    """Episode 202600659 of the 1,000 run: switch, stop and start within two seconds,
    each landing in the same second on the server; all correct, none joined twice."""
    expected = [(2, at(0.479), at(0.8)), (2, at(0.8), at(1.24)), (2, at(1.527), None)]
    server = [(2, at(0), at(2)), (2, at(2), at(2)), (2, at(2), None)]
    assert judge(expected, server) == (0, 0, 0)
