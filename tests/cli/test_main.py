"""The entry point: exit codes, one sentence per error, no Qt, no tracebacks."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tracktray.api import (
    AuthenticationFailed,
    Overlap,
    PermissionDenied,
    ProtocolError,
    Refused,
    ServerUnavailable,
    ValidationFailed,
)
from tracktray.cli import cmd_status
from tracktray.cli.errors import ExitCode, UsageError, exit_code_for
from tracktray.cli.main import _quick_status, build_parser
from tracktray.store import NoKeyringError, SettingsError
from tracktray.store.journal import Journal
from tracktray.store.settings import LOCAL_ACCOUNT, AccountConfig, Settings, SettingsStore

from .conftest import CliRunner


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (Refused("Already started."), 1),
        (ValidationFailed("Bad date."), 1),
        (Overlap("https://x/blocks/1/edit"), 1),
        (PermissionDenied(), 1),
        (UsageError("No."), 2),
        (SettingsError("Damaged."), 2),
        (AuthenticationFailed(), 3),
        (NoKeyringError(), 3),
        (ServerUnavailable("Down."), 4),
        (ProtocolError("Garbage."), 4),
    ],
)
def test_exit_codes(error: Exception, code: int) -> None:
    assert exit_code_for(error) == code  # type: ignore[arg-type]


def test_status_never_imports_qt_nor_the_server_stack(tmp_path: Path) -> None:
    probe = (
        "import sys\n"
        "from tracktray.cli.main import main\n"
        f"code = main(['--config-dir', {str(tmp_path / 'c')!r}, "
        f"'--data-dir', {str(tmp_path / 'd')!r}, 'status'])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'shiboken6', 'starlette', 'uvicorn', 'httpx'))\n"
        "print(code, heavy)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.splitlines()[-1] == "0 []"


def test_local_status_loads_only_what_its_answer_needs(tmp_path: Path) -> None:
    """The quick start of ``tracktray status`` (docs/cli.md), kept: none of these is
    needed to read and print a local status in English."""
    needless = (
        "argparse",  # the quick dispatch reads the command line
        "typing",  # type names only
        "gettext",  # English needs no catalog
        "platformdirs",  # the XDG folders are read directly
        "decimal",
        "threading",
        "socket",  # no widget to ask in local mode
        "tracktray.contracts.backend",
        "tracktray.domain.model",
        "tracktray.store.journal",  # nothing waits in the journal: a count tells
        "tracktray.store.settings",  # the account is found with the settings' glance
        "dataclasses",  # the status, its trackers and the account are Value classes
        "inspect",
        "tracktray.accounts.outbox",
        "sqlalchemy",
        "keyring",
    )
    probe = (
        "import sys\n"
        "from tracktray.cli.main import main\n"
        f"code = main(['--config-dir', {str(tmp_path / 'c')!r}, "
        f"'--data-dir', {str(tmp_path / 'd')!r}, 'status'])\n"
        f"print(code, sorted(set({needless!r}) & set(sys.modules)))\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env["LANG"] = "C"
    runs = [
        subprocess.run(
            [sys.executable, "-c", probe],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
            env=env,
        )
        for _ in ("the first run sets the database up", "every later run")
    ]
    assert runs[1].stdout.splitlines()[-1] == "0 []"


def test_local_status_beside_the_widgets_files_loads_no_more(tmp_path: Path) -> None:
    """Where the widget ran (settings with a server account too, a journal in which only
    that account's click waits), in the platform's folders: the account is found and the
    journal counted without the settings' and the journal's classes, and no path is made
    a ``pathlib.Path``."""
    needless = (
        "dataclasses",
        "tracktray.store.settings",
        "tracktray.store.journal",
        "pathlib",  # with urllib.parse and ipaddress
        "urllib.parse",
        "contextlib",
        "sqlalchemy",
    )
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env |= {
        "LANG": "C",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    probe = (
        "import sys\n"
        "from tracktray.cli.main import main\n"
        "code = main(['status'])\n"
        f"print(code, sorted(set({needless!r}) & set(sys.modules)))\n"
    )
    command = [sys.executable, "-c", probe]
    run = subprocess.run(command, capture_output=True, text=True, check=True, env=env, timeout=60)
    assert run.stdout.splitlines()[0] == "Nothing is running. Today: 0:00."  # set up
    server = AccountConfig(id="alice", kind="trackmypeople", label="Acme", url="https://x/")
    SettingsStore(tmp_path / "config" / "tracktray").save(
        Settings(accounts=(LOCAL_ACCOUNT, server))
    )
    Journal(tmp_path / "data" / "tracktray").append(
        "alice", "start", {}, clicked_at=dt.datetime.now(dt.UTC), source="widget"
    )
    seen = subprocess.run(command, capture_output=True, text=True, check=True, env=env, timeout=60)
    assert seen.stdout.splitlines() == ["Nothing is running. Today: 0:00.", "0 []"]


def test_unexpected_errors_are_one_sentence_without_traceback(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> int:
        raise ZeroDivisionError("bug")

    monkeypatch.setattr(cmd_status, "status", broken)
    outcome = cli("status")
    assert outcome.code == ExitCode.INTERNAL
    assert outcome.err == (
        "tracktray failed unexpectedly (ZeroDivisionError); "
        "run the command again with --debug for details.\n"
    )
    debug = cli("--debug", "status")
    assert "Traceback" in debug.err
    assert "ZeroDivisionError: bug" in debug.err


def test_ctrl_c_is_one_sentence(cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*_args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(cmd_status, "status", interrupted)
    outcome = cli("status")
    assert outcome.code == 130
    assert outcome.err == "Interrupted.\n"


def test_damaged_settings_are_reported_not_overwritten(cli: CliRunner, tmp_path: Path) -> None:
    settings = tmp_path / "config" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text("{oops", encoding="utf-8")
    outcome = cli("status")
    assert outcome.code == 2
    assert "is damaged" in outcome.err
    assert settings.read_text(encoding="utf-8") == "{oops"


def test_no_command_starts_the_tray_or_says_why_not(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    import types

    seen: list[list[str]] = []
    fake = types.ModuleType("tracktray.desktop.app")

    def run(argv: list[str]) -> int:
        seen.append(list(argv))
        return 0

    fake.run = run  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tracktray.desktop.app", fake)
    assert cli().code == 0
    assert seen and seen[0][0] == "--config-dir"
    assert cli("-style=fusion").code == 0  # Qt's own options reach the tray
    assert seen[1][-1] == "-style=fusion"
    monkeypatch.setitem(sys.modules, "tracktray.desktop.app", None)
    missing = cli()
    assert missing.code == 2
    assert missing.err == (
        "The tray widget is not part of this installation; run `tracktray --help`.\n"
    )


def test_help_and_version(cli: CliRunner) -> None:
    assert cli("--version").code == 0
    helped = cli("--help")
    assert helped.code == 0
    assert "check-update" in helped.out
    assert "4 server unreachable" in helped.out


def test_json_is_machine_readable_for_every_read_command(cli: CliRunner) -> None:
    for command in (
        ["status"],
        ["trackers"],
        ["today"],
        ["report"],
        ["accounts"],
        ["accounts", "list"],
        ["check-update"],
    ):
        outcome = cli(*command, "--json")
        assert outcome.code == 0, (command, outcome.err)
        json.loads(outcome.out)


@pytest.mark.parametrize(
    "argv",
    [
        ["status"],
        ["status", "--json"],
        ["status", "--json", "--json"],
        ["--debug", "status"],
        ["--config-dir", "c", "--data-dir", "d", "status"],
        ["--config-dir=c", "--data-dir=", "status", "--json"],
        ["--config-dir=a=b", "status"],
        ["--account", "work", "status"],
        ["--account=", "status"],
        ["-a", "status", "status"],
        ["--account", "a", "--account", "b", "status"],
    ],
)
def test_the_quick_status_reads_a_command_line_as_argparse_does(argv: list[str]) -> None:
    quick = _quick_status(argv)
    assert quick is not None
    parsed = build_parser("status").parse_args(argv)
    expected = {k: v for k, v in vars(parsed).items() if k != "handler"}
    assert {k: v for k, v in vars(quick).items() if k != "handler"} == expected


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--help"],
        ["status", "--help"],
        ["status", "-h"],
        ["--conf", "c", "status"],  # an abbreviation: argparse decides
        ["-awork", "status"],
        ["-a=work", "status"],
        ["--account", "-x", "status"],
        ["--account"],
        ["status", "extra"],
        ["status", "--js"],
        ["status", "--debug"],
        ["--", "status"],
        ["--version", "status"],
        ["start"],
        ["-style=fusion"],
    ],
)
def test_anything_else_goes_through_the_full_parser(argv: list[str]) -> None:
    assert _quick_status(argv) is None


def test_help_and_errors_of_status_read_as_before(cli: CliRunner) -> None:
    helped = cli("status", "--help")
    assert helped.code == 0
    assert helped.out.startswith("usage: tracktray status [-h] [--json]")
    wrong = cli("status", "extra")
    assert wrong.code == 2
    assert "unrecognized arguments: extra" in wrong.err
