"""With no account at all, every command works on the local engine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import CliRunner, run_subprocess


def test_fresh_machine_tracks_locally(cli: CliRunner) -> None:
    first = cli("status")
    assert first.code == 0
    assert first.out == "Nothing is running. Today: 0:00.\n"
    started = cli("start")
    assert started.code == 0
    assert started.out.startswith("Started General at ")
    again = cli("start")
    assert again.code == 1
    assert again.out == ""
    assert "already running" in again.err
    assert again.err.count("\n") == 1
    status = json.loads(cli("status", "--json").out)
    assert status["account"]["kind"] == "local"
    assert status["running"]["tracker"]["name"] == "General"
    stopped = cli("stop", "-m", "wrote docs")
    assert stopped.code == 0
    assert stopped.out.startswith("Stopped General after ")
    today = json.loads(cli("today", "--json").out)
    assert [b["description"] for b in today["blocks"]] == ["wrote docs"]
    assert cli("stop").code == 1


def test_trackers_and_tracker_lookup(cli: CliRunner) -> None:
    listed = cli("trackers", "--json")
    assert [t["path"] for t in json.loads(listed.out)] == ["General"]
    unknown = cli("start", "nothing-like-this")
    assert unknown.code == 2
    assert unknown.err == "No tracker matches “nothing-like-this”.\n"
    assert cli("start", "gen").code == 0
    switched = cli("switch", "1", "-m", "same tracker, new block")
    assert switched.code == 0
    assert switched.out.startswith("Switched to General at ")


def test_add_and_addfree_then_report(cli: CliRunner) -> None:
    added = cli("add", "yesterday 09:00", "yesterday 10:30", "-m", "planning", "--json")
    assert added.code == 0, added.err
    block = json.loads(added.out)
    assert block["total_s"] == 5400
    assert block["description"] == "planning"
    overlap = cli("add", "yesterday 10:00", "yesterday 11:00")
    assert overlap.code == 1
    assert "overlaps" in overlap.err
    free = cli("addfree", "7,5", "--date", "yesterday")
    assert free.code == 0
    assert "(7:30)" in free.out
    report = cli("report", "--from", "yesterday", "--to", "today", "--csv")
    lines = report.out.splitlines()
    assert lines[0].startswith("id,profile_id,tracker_id,tracker,description")
    assert len(lines) == 3
    worked = json.loads(cli("report", "--from", "yesterday", "--worked", "--json").out)
    assert [b["free"] for b in worked["blocks"]] == [False]
    assert worked["total_s"] == 5400


def test_usage_errors_are_one_sentence_and_exit_2(cli: CliRunner) -> None:
    for args, text in [
        (("add", "25:00"), "not a real time of day"),
        (("add", "soon"), "is not a time"),
        (("add", "yesterday 10:00", "yesterday 09:00"), "must be after"),
        (("addfree", "25"), "between 0 and 24"),
        (("addfree", "8", "--date", "23/11"), "is not a date"),
        (("report", "--from", "2026-11-20", "--to", "2026-11-01"), "before the --from"),
        (("--account", "nope", "status"), "There is no account “nope”"),
    ]:
        outcome = cli(*args)
        assert outcome.code == 2, (args, outcome)
        assert text in outcome.err
        assert "Traceback" not in outcome.err


def test_argparse_usage_errors_exit_2(cli: CliRunner) -> None:
    assert cli("frobnicate").code == 2
    assert cli("status", "--bogus").code == 2
    assert cli("report", "--free", "--worked").code == 2


def test_check_update_on_local_mode(cli: CliRunner) -> None:
    outcome = cli("check-update", "--json")
    assert outcome.code == 0
    assert json.loads(outcome.out)["offered"] is False


def test_a_real_process_in_local_mode(tmp_path: Path) -> None:
    dirs = ["--config-dir", str(tmp_path / "c"), "--data-dir", str(tmp_path / "d")]
    started = run_subprocess([*dirs, "start"])
    assert started.code == 0, started.err
    status = run_subprocess([*dirs, "status"])
    assert status.out.startswith("Running: General since ")
    assert run_subprocess([*dirs, "start"]).code == 1


def test_the_installed_console_script(tmp_path: Path) -> None:
    import shutil
    import subprocess
    import sys

    script = Path(sys.executable).parent / "tracktray"
    if not script.exists():  # pragma: no cover - only when the package is not installed
        found = shutil.which("tracktray")
        assert found, "the tracktray console script is not installed"
        script = Path(found)
    dirs = ["--config-dir", str(tmp_path / "c"), "--data-dir", str(tmp_path / "d")]
    result = subprocess.run(
        [str(script), *dirs, "trackers"], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "1  General\n"


@pytest.mark.usefixtures("local_midday")
def test_stop_at_and_switch_at_cut_the_blocks(cli: CliRunner) -> None:
    assert cli("add", "--", "-60m").code == 0  # open since an hour ago
    refused = cli("stop", "--at=-90m")
    assert refused.code == 1
    assert "before the running block began" in refused.err
    assert refused.err.count("\n") == 1
    bad = cli("stop", "--at", "half past")
    assert bad.code == 2
    assert "--at time" in bad.err
    switched = cli("switch", "General", "--at=-40m")
    assert switched.code == 0
    stopped = cli("stop", "--at=-10m", "-m", "done")
    assert stopped.code == 0
    assert stopped.out.startswith("Stopped General at ")
    assert stopped.out.endswith(" after 0:30.\n")
    assert json.loads(cli("status", "--json").out)["running"] is None
    blocks = json.loads(cli("today", "--json").out)["blocks"]
    assert sorted(b["total_s"] // 60 for b in blocks) == [20, 30]
