"""The CLI in German (LANG, LC_ALL or LANGUAGE say so); --json and --csv never change."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import CliRunner, run_subprocess


def test_the_cli_speaks_german_when_lang_says_so(cli: CliRunner) -> None:
    cli("start")
    said = cli("status", env={"LANGUAGE": "", "LANG": "de_DE.UTF-8"})
    assert said.code == 0
    assert said.out.startswith("Läuft: General seit ")
    assert "Heute:" in said.out
    assert cli("status").out.startswith("Running: General since ")


def test_json_stays_the_same_in_german(cli: CliRunner) -> None:
    cli("start")
    english = json.loads(cli("status", "--json").out)
    german = json.loads(cli("status", "--json", env={"LANGUAGE": "de"}).out)
    assert german.keys() == english.keys()
    assert german["running"]["tracker"] == english["running"]["tracker"]
    assert german["account"]["label"] == "This computer"  # data, not words


def test_csv_stays_the_same_in_german(cli: CliRunner) -> None:
    cli("add", "09:00", "10:30", "-m", "Planung")
    english = cli("report", "--csv").out
    assert cli("report", "--csv", env={"LANGUAGE": "de"}).out == english
    assert "," in english.splitlines()[0]


def test_a_refusal_in_german_from_a_fresh_process(tmp_path: Path) -> None:
    dirs = ["--config-dir", str(tmp_path / "c"), "--data-dir", str(tmp_path / "d")]
    said = run_subprocess([*dirs, "add", "10:00", "09:00"], env={"LANGUAGE": "de"})
    assert said.code == 2
    assert said.err.strip() == "Das Ende muss nach dem Beginn liegen."


def test_argparse_speaks_german_too(tmp_path: Path) -> None:
    dirs = ["--config-dir", str(tmp_path / "c"), "--data-dir", str(tmp_path / "d")]
    helped = run_subprocess([*dirs, "--help"], env={"LANGUAGE": "de"})
    assert helped.code == 0
    assert helped.out.startswith("Aufruf: tracktray")
    assert "Optionen:" in helped.out and "diese Hilfe anzeigen und beenden" in helped.out
    wrong = run_subprocess([*dirs, "switch"], env={"LANGUAGE": "de"})
    assert wrong.code == 2
    assert "Fehler: folgende Argumente fehlen: tracker" in wrong.err


def test_german_words_for_days_and_now_are_understood(cli: CliRunner) -> None:
    german = {"LANGUAGE": "de"}
    added = cli("add", "gestern 09:00", "gestern 10:30", "-m", "Planung", env=german)
    assert added.code == 0, added.err
    assert added.out.startswith("Block am ") and "von 09:00 bis 10:30" in added.out
    assert cli("addfree", "7,5", "--date", "gestern", env=german).code == 0
    assert cli("add", "yesterday 11:00", "yesterday 12:00", env=german).code == 0  # scripts
    refused = cli("add", "morgen 09:00", env=german)
    assert refused.code == 2 and "verwenden Sie" in refused.err
