"""The entry point sends a command line to the widget or to the CLI without importing either."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tracktray.cli.launch import wants_widget


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--config-dir", "/c", "--data-dir", "/d"],
        ["--config-dir=/c", "--debug"],
        ["--conf", "status"],  # an abbreviated option still takes its value
        ["-a", "work"],
        ["-style", "-reverse"],  # Qt's own options pass through to the widget
    ],
)
def test_no_command_word_starts_the_widget(argv: list[str]) -> None:
    assert wants_widget(argv)


@pytest.mark.parametrize(
    "argv",
    [
        ["status"],
        ["--config-dir", "/c", "start", "Support"],
        ["--help"],
        ["-h"],
        ["--version"],
        ["--vers"],
        ["-a", "work", "report"],
        ["--", "status"],
    ],
)
def test_a_command_or_a_question_goes_to_the_cli(argv: list[str]) -> None:
    assert not wants_widget(argv)


def test_the_console_script_answers_version_and_help_like_the_cli() -> None:
    run = [sys.executable, "-m", "tracktray.cli.launch"]
    version = subprocess.run([*run, "--version"], capture_output=True, text=True, timeout=60)
    assert version.returncode == 0 and version.stdout.startswith("tracktray ")
    unknown = subprocess.run([*run, "frobnicate"], capture_output=True, text=True, timeout=60)
    assert unknown.returncode == 2 and "invalid choice" in unknown.stderr


def test_a_command_imports_only_its_own_module_and_its_output_survives_the_fast_exit(
    tmp_path: Path,
) -> None:
    probe = (
        "import sys, atexit\n"
        "from tracktray.cli import launch\n"
        "def modules():\n"
        "    print(sorted(m for m in sys.modules if m.startswith('tracktray.cli.cmd_')))\n"
        "atexit.register(lambda: print('interpreter shutdown ran'))\n"
        "import tracktray.cli.main as cli\n"
        "real = cli.main\n"
        "def main(args, **options):\n"
        "    code = real(args, **options)\n"
        "    modules()\n"
        "    return code\n"
        "cli.main = main\n"
        f"sys.argv = ['tracktray', '--config-dir', {str(tmp_path / 'c')!r}, "
        f"'--data-dir', {str(tmp_path / 'd')!r}, 'status']\n"
        "sys.exit(launch.main())\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Nothing is running. Today: 0:00")
    # dispatch first, import late: status's own module only, without the argument tree
    assert lines[1] == "['tracktray.cli.cmd_status']"
    assert "interpreter shutdown ran" not in done.stdout  # os._exit after the flush


@pytest.mark.parametrize(
    ("argv", "collector_on"), [(["status"], False), (["--debug"], True)], ids=["command", "widget"]
)
def test_a_command_runs_without_the_cycle_collector_and_the_widget_with_it(
    argv: list[str], collector_on: bool
) -> None:
    # the widget runs for days and needs the collector; a command ends within a second
    probe = (
        "import gc, sys\n"
        "from tracktray.cli import launch\n"
        "import tracktray.cli.main as cli\n"
        "def report(*args, **options):\n"
        "    print(gc.isenabled())\n"
        "    return 0\n"
        "cli.main = report\n"
        "launch.run_tray = report\n"
        f"sys.argv = ['tracktray', *{argv!r}]\n"
        "sys.exit(launch.main())\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(collector_on)


def test_a_command_called_in_process_leaves_the_collector_as_it_was(tmp_path: Path) -> None:
    import gc

    from tracktray.cli import launch

    gc.enable()  # as in a fresh process (the test session keeps it off: tests/conftest.py)
    try:
        launch.main(
            ["--config-dir", str(tmp_path / "c"), "--data-dir", str(tmp_path / "d"), "status"]
        )
        assert gc.isenabled()
    finally:
        gc.disable()
