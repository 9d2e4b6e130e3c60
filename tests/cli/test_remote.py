"""Every command against the real engine over HTTPS, as a user of a TrackMyPeople server."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import CliRunner, run_subprocess

Server = Any  # tests.support.server_fixtures.TrackMyPeopleServer


@pytest.fixture
def account(cli: CliRunner, trackmypeople_server: Server, server_user: Any) -> Any:
    """A fresh server user added with `accounts add` (password on stdin) and active."""
    added = cli(
        "accounts", "add", "--url", trackmypeople_server.origin, "--user", server_user.username,
        "--ca", str(trackmypeople_server.ca_file), "--name", "Work", "--password-stdin",
        stdin=server_user.password + "\n",
    )  # fmt: skip
    assert added.code == 0, added.err
    assert added.out.startswith("Added the account “Work” (")
    assert added.out.endswith("and made it the active one.\n")
    return server_user


@pytest.fixture
def no_keyring() -> Iterator[None]:
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def test_accounts_add_stores_settings_and_keyring(
    cli: CliRunner, account: Any, trackmypeople_server: Server, tmp_path: Path
) -> None:
    listed = json.loads(cli("accounts", "--json").out)
    work = next(a for a in listed if a["label"] == "Work")
    assert work["active"] is True
    assert work["url"] == trackmypeople_server.api_url
    assert work["username"] == account.username
    text = (tmp_path / "config" / "settings.json").read_text(encoding="utf-8")
    assert account.password not in text
    from tracktray.store import CredentialStore

    assert CredentialStore().get(work["id"]) == account.password
    human = cli("accounts").out.splitlines()
    assert human[0].startswith("  local  This computer")
    assert human[1].startswith(f"* {work['id']}  Work  (trackmypeople)")


def test_tracking_round_trip(cli: CliRunner, account: Any) -> None:
    assert cli("status").out == "Nothing is running. Today: 0:00.\n"
    started = cli("start")
    assert started.code == 0
    assert started.out.startswith("Started Website at ")
    refused = cli("start", "design")
    assert refused.code == 1
    assert refused.err.count("\n") == 1
    switched = cli("switch", "design", "-m", "layout")
    assert switched.out.startswith("Switched to Design at ")
    status = json.loads(cli("status", "--json").out)
    assert status["running"]["tracker"]["id"] == account.trackers["Acme/Website/Design"]
    assert status["default_tracker"]["name"] == "Website"
    assert cli("stop", "-m", "colours").out.startswith("Stopped Design after 0:0")
    today = json.loads(cli("today", "--json").out)
    assert [(b["tracker"], b["description"]) for b in today["blocks"]] == [
        ("Acme / Website", "layout"),
        ("Acme / Website / Design", "colours"),
    ]
    assert cli("stop").code == 1


def test_trackers_and_ambiguity(cli: CliRunner, account: Any) -> None:
    tree = cli("trackers").out.splitlines()
    assert [line.split(maxsplit=1)[1] for line in tree] == [
        "Acme", "Support", "Website", "Backend", "Design", "Internal", "Holidays",
    ]  # fmt: skip
    assert tree[3].endswith("    Backend")
    ambiguous = cli("start", "n")
    assert ambiguous.code == 2
    assert ambiguous.err.startswith("“n” matches several trackers: ")
    assert cli("status", "--json").code == 0
    assert json.loads(cli("status", "--json").out)["running"] is None


def test_add_addfree_report(cli: CliRunner, account: Any) -> None:
    added = cli("add", "yesterday 09:00", "yesterday 10:15", "-t", "support", "-m", "call")
    assert added.code == 0, added.err
    assert added.out.endswith("(1:15).\n")
    overlap = cli("add", "yesterday 10:00", "yesterday 11:00")
    assert overlap.code == 1
    assert "/blocks/" in overlap.err
    assert "/edit" in overlap.err
    bad = cli("add", "yesterday 12:00", "yesterday 13:00", "--tracker", "999999")
    assert bad.code == 2
    free = cli("addfree", "4,5", "--date", "yesterday", "-t", "holidays", "--json")
    assert json.loads(free.out)["free"] is True
    since = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    rows = list(csv.DictReader(io.StringIO(cli("report", "--from", since, "--csv").out)))
    assert [(r["tracker"], r["total"], r["free"]) for r in rows] == [
        ("Internal / Holidays", "4:30", "1"),
        ("Acme / Support", "1:15", "0"),
    ] or [(r["tracker"], r["total"], r["free"]) for r in rows] == [
        ("Acme / Support", "1:15", "0"),
        ("Internal / Holidays", "4:30", "1"),
    ]
    worked = json.loads(cli("report", "--from", since, "--worked", "--json").out)
    assert worked["total_s"] == 4500
    by_tracker = json.loads(cli("report", "--from", since, "-t", "internal", "--json").out)
    assert [b["tracker"] for b in by_tracker["blocks"]] == ["Internal / Holidays"]
    human = cli("report", "--from", since, "--free").out.splitlines()
    assert human[-1].endswith(": 4:30 free.")


def test_report_for_another_user(
    cli: CliRunner, trackmypeople_server: Server, account: Any
) -> None:
    other = trackmypeople_server.new_user()
    mine = cli("report", "--user", str(other.profile_id))
    assert mine.code == 1
    assert "not allowed" in mine.err.casefold()
    nobody = cli("report", "--user", "zzz-nobody")
    assert nobody.code == 2


def test_check_update(cli: CliRunner, trackmypeople_server: Server, account: Any) -> None:
    # The edition the CLI sends (Linux_Qt) wins over the bare platform: set that one, as
    # other tests on this shared server may have set it to the current version.
    trackmypeople_server.engine.set_release(
        "Linux_Qt", "99.0.0", "https://example.org/tracktray-99"
    )
    outcome = cli("check-update", "--json")
    assert outcome.code == 0, outcome.err
    answer = json.loads(outcome.out)
    assert answer["up_to_date"] is False
    assert answer["url"] == "https://example.org/tracktray-99"
    assert "https://example.org/tracktray-99" in cli("check-update").out


def test_wrong_password_is_exit_3_and_nothing_saved(
    cli: CliRunner, trackmypeople_server: Server, server_user: Any, tmp_path: Path
) -> None:
    outcome = cli(
        "accounts", "add", "--url", trackmypeople_server.api_url, "--user", server_user.username,
        "--ca", str(trackmypeople_server.ca_file), "--password-stdin", stdin="wrong\n",
    )  # fmt: skip
    assert outcome.code == 3
    assert outcome.err == (
        f"The server at {trackmypeople_server.origin.removeprefix('https://')} did not accept "
        "the username or password.\n"
    )
    assert not (tmp_path / "config" / "settings.json").exists()


def test_untrusted_certificate_and_http_are_refused(
    cli: CliRunner, trackmypeople_server: Server, server_user: Any
) -> None:
    untrusted = cli(
        "accounts", "add", "--url", trackmypeople_server.api_url, "--user", server_user.username,
        "--password-stdin", stdin="x\n",
    )  # fmt: skip
    assert untrusted.code == 4
    assert "not trusted" in untrusted.err
    plain = cli("accounts", "add", "--url", "http://tmp.example", "--user", "u", stdin="x\n")
    assert plain.code == 2
    assert "does not use https" in plain.err


def test_unreachable_server_is_exit_4(cli: CliRunner, trackmypeople_server: Server) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        "TRACKTRAY_URL": f"https://127.0.0.1:{port}",
        "TRACKTRAY_USER": "u",
        "TRACKTRAY_PASSWORD": "p",
        "TRACKTRAY_CA": str(trackmypeople_server.ca_file),
    }
    outcome = cli("status", env=env)
    assert outcome.code == 4
    assert (
        outcome.err == f"Nobody answers at the server at 127.0.0.1:{port} (connection refused).\n"
    )


def test_environment_account_is_never_written(
    cli: CliRunner, trackmypeople_server: Server, server_user: Any, tmp_path: Path
) -> None:
    env = {
        "TRACKTRAY_URL": trackmypeople_server.origin,
        "TRACKTRAY_USER": server_user.username,
        "TRACKTRAY_PASSWORD": server_user.password,
        "TRACKTRAY_CA": str(trackmypeople_server.ca_file),
    }
    assert cli("start", "backend", env=env).out.startswith("Started Backend at ")
    status = json.loads(cli("status", "--json", env=env).out)
    assert status["account"]["id"] == "environment"
    assert cli("stop", env=env).code == 0
    assert not (tmp_path / "config").exists()
    missing = cli("status", env={k: v for k, v in env.items() if k != "TRACKTRAY_PASSWORD"})
    assert missing.code == 3
    assert "TRACKTRAY_PASSWORD" in missing.err


@pytest.mark.usefixtures("no_keyring")
def test_without_a_keyring(cli: CliRunner, trackmypeople_server: Server, server_user: Any) -> None:
    server = trackmypeople_server
    refused = cli(
        "accounts", "add", "--url", server.api_url, "--user", server_user.username,
        "--ca", str(server.ca_file), "--password-stdin", stdin=server_user.password + "\n",
    )  # fmt: skip
    assert refused.code == 3
    assert refused.err.startswith("No keyring is available on this system")
    assert "TRACKTRAY_PASSWORD" in refused.err
    assert json.loads(cli("accounts", "--json").out)[0]["id"] == "local"


def test_stored_account_without_keyring_uses_tracktray_password(
    cli: CliRunner, account: Any, no_keyring: None
) -> None:
    told = cli("status")
    assert told.code == 3
    assert "TRACKTRAY_PASSWORD" in told.err
    works = cli("status", env={"TRACKTRAY_PASSWORD": account.password})
    assert works.code == 0, works.err


def test_default_and_remove(cli: CliRunner, account: Any) -> None:
    work_id = next(a["id"] for a in json.loads(cli("accounts", "--json").out) if a["id"] != "local")
    assert cli("accounts", "default", "local").code == 0
    assert cli("status", "--json").out.count('"kind": "local"') == 1
    assert cli("--account", work_id, "status", "--json").out.count('"kind": "trackmypeople"') == 1
    assert cli("accounts", "default", "nope").code == 2
    assert cli("accounts", "remove", "local").code == 2
    removed = cli("accounts", "remove", work_id)
    assert removed.code == 0
    from tracktray.store import CredentialStore

    assert CredentialStore().get(work_id) is None
    assert [a["id"] for a in json.loads(cli("accounts", "--json").out)] == ["local"]


def test_real_processes(trackmypeople_server: Server, server_user: Any, tmp_path: Path) -> None:
    dirs = ["--config-dir", str(tmp_path / "c"), "--data-dir", str(tmp_path / "d")]
    server = trackmypeople_server
    added = run_subprocess(
        [*dirs, "accounts", "add", "--url", server.api_url, "--user", server_user.username,
         "--ca", str(server.ca_file), "--password-stdin"],
        stdin=server_user.password + "\n",
    )  # fmt: skip
    assert added.code == 0, added.err
    started = run_subprocess([*dirs, "start", "acme/support"])
    assert started.code == 0, started.err
    assert started.out.startswith("Started Support at ")
    status = run_subprocess([*dirs, "status"])
    assert status.out.startswith("Running: Support since ")
    twice = run_subprocess([*dirs, "start"])
    assert twice.code == 1
    assert "Traceback" not in twice.err
    assert len(twice.err.splitlines()) == 1
    assert run_subprocess([*dirs, "stop"]).code == 0


def test_remote_status_loads_neither_qt_nor_the_engine_nor_httpx(
    trackmypeople_server: Server, server_user: Any, tmp_path: Path
) -> None:
    """One request over the standard library (api/status_once.py); httpx only with a proxy."""
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from tracktray.cli.main import main\n"
        "code = main(['status'])\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & "
        "{'PySide6', 'shiboken6', 'sqlalchemy', 'alembic', 'starlette', 'uvicorn', 'httpx'})\n"
        "print(code, heavy)\n"
    )
    env = {
        "TRACKTRAY_URL": trackmypeople_server.api_url,
        "TRACKTRAY_USER": server_user.username,
        "TRACKTRAY_PASSWORD": server_user.password,
        "TRACKTRAY_CA": str(trackmypeople_server.ca_file),
    }
    import os

    unproxied = {k: v for k, v in os.environ.items() if not k.casefold().endswith("_proxy")}
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
        env={**unproxied, **env}, check=True,
    )  # fmt: skip
    assert result.stdout.splitlines()[-1] == "0 []"


def _stored_account(server: Server, user: Any, tmp_path: Path) -> dict[str, str]:
    """A server account with its password in the (tests' file) keyring, in the user's own
    folders as a desktop has them (``--config-dir`` would load pathlib); their variables."""
    places = {"XDG_CONFIG_HOME": str(tmp_path / "c"), "XDG_DATA_HOME": str(tmp_path / "d")}
    added = run_subprocess(
        ["accounts", "add", "--url", server.api_url, "--user", user.username,
         "--ca", str(server.ca_file), "--password-stdin"],
        stdin=user.password + "\n", env=places,
    )  # fmt: skip
    assert added.code == 0, added.err
    return places


def _probe_status(probe: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    import os

    unproxied = {k: v for k, v in os.environ.items() if not k.casefold().endswith("_proxy")}
    return subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
        env={**unproxied, **env},
    )  # fmt: skip


# ``tracktray status`` as the program runs it (the command owns its process), and what
# this process loaded: the password is read by a child meanwhile (store/secret_ahead.py)
_OWN_PROCESS = (
    "import sys\n"
    "from tracktray.cli.main import main\n"
    "code = main(['status'], owns_the_process=True)\n"
    "print(code, 'keyring' in sys.modules, 'tracktray.store.secret_service' in sys.modules)\n"
)


def test_remote_status_reads_the_password_in_a_child_while_it_imports_its_http_stack(
    trackmypeople_server: Server, server_user: Any, tmp_path: Path
) -> None:
    places = _stored_account(trackmypeople_server, server_user, tmp_path)
    result = _probe_status(_OWN_PROCESS, places)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Nothing is running."), result.stdout
    # neither keyring's package nor the Secret Service reader ran in this process
    assert result.stdout.splitlines()[-1] == "0 False False", result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("keyring", "sentence"),
    [
        (
            {"TRACKTRAY_TEST_KEYRING_LOCKED": "1"},
            "The keyring is locked, so tracktray could not read the password; "
            "unlock it and try again.",
        ),
        (
            {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
            "No keyring is available on this system to keep passwords safely.",
        ),
        ({"TRACKTRAY_TEST_KEYRING": "/nonexistent/empty.json"}, "No password is stored"),
    ],
    ids=["locked", "no-keyring", "no-password"],
)
@pytest.mark.parametrize("owns_the_process", [True, False], ids=["child", "in-process"])
def test_what_the_keyring_refuses_is_one_sentence_whoever_reads_it(
    trackmypeople_server: Server,
    server_user: Any,
    tmp_path: Path,
    keyring: dict[str, str],
    sentence: str,
    owns_the_process: bool,
) -> None:
    places = _stored_account(trackmypeople_server, server_user, tmp_path)
    probe = (
        "import sys\n"
        "from tracktray.cli.main import main\n"
        f"sys.exit(main(['status'], owns_the_process={owns_the_process}))\n"
    )
    result = _probe_status(probe, {**places, **keyring})
    assert result.returncode != 0
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert sentence in result.stderr
    assert "Traceback" not in result.stderr


def test_a_locked_keyring_read_by_the_child_is_said_in_the_command_s_language(
    trackmypeople_server: Server, server_user: Any, tmp_path: Path
) -> None:
    places = _stored_account(trackmypeople_server, server_user, tmp_path)
    german = {**places, "LANGUAGE": "de", "TRACKTRAY_TEST_KEYRING_LOCKED": "1"}
    result = _probe_status(_OWN_PROCESS, german)
    assert "Schlüsselbund" in result.stderr, result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_keyring_read_in_process_runs_none_of_what_it_brings_for_other_helpers(
    trackmypeople_server: Server, server_user: Any, tmp_path: Path
) -> None:
    """Read in this process (a caller that does not own it), through keyring's package
    (the tests' file keyring, as a named backend is read): the modules keyring imports
    for helpers never called stay unrun (``store/keyring_import.py``)."""
    places = _stored_account(trackmypeople_server, server_user, tmp_path)
    probe = (
        "import sys\n"
        "from tracktray.cli.main import main\n"
        "from tracktray._lazy import has_run\n"
        "from tracktray.store import keyring_import\n"
        "before = set()\n"
        "real = keyring_import.import_keyring\n"
        "def snapshot():\n"
        "    before.update(sys.modules)\n"
        "    return real()\n"
        "keyring_import.import_keyring = snapshot\n"
        "code = main(['status'])\n"
        "waited = [n for n in keyring_import.LOADED_ON_FIRST_USE if n not in before]\n"
        "print(code, 'keyring' in sys.modules, 'urllib.request' in waited,\n"
        "      [n for n in waited if has_run(n)])\n"
    )
    result = _probe_status(probe, places)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Nothing is running."), result.stdout
    assert result.stdout.splitlines()[-1] == "0 True True []", result.stdout


def test_password_prompt_on_a_terminal_does_not_echo(
    trackmypeople_server: Server, server_user: Any, tmp_path: Path
) -> None:
    """`accounts add` without --password-stdin asks on the terminal (a real pty)."""
    import os
    import pty
    import select
    import sys
    import time

    argv = [
        sys.executable, "-m", "tracktray.cli.main", "--config-dir", str(tmp_path / "c"),
        "accounts", "add", "--url", trackmypeople_server.origin, "--user", server_user.username,
        "--ca", str(trackmypeople_server.ca_file),
    ]  # fmt: skip
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child becomes the CLI
        os.execv(sys.executable, argv)
    screen = b""
    deadline = time.monotonic() + 60
    sent = False
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 1024)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        screen += chunk
        if not sent and b"Password for" in screen:
            os.write(fd, server_user.password.encode() + b"\n")
            sent = True
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    text = screen.decode(errors="replace")
    assert os.waitstatus_to_exitcode(status) == 0, text
    assert f"Password for {server_user.username}: " in text
    assert server_user.password not in text
    assert "and made it the active one." in text


def test_report_on_a_reportee_by_name(cli: CliRunner, trackmypeople_server: Server) -> None:
    boss = trackmypeople_server.new_user(can_see_reporting=True)
    worker = trackmypeople_server.new_user()
    env_of = {
        "TRACKTRAY_URL": trackmypeople_server.api_url,
        "TRACKTRAY_CA": str(trackmypeople_server.ca_file),
    }
    worker_env = {
        **env_of,
        "TRACKTRAY_USER": worker.username,
        "TRACKTRAY_PASSWORD": worker.password,
    }
    assert cli("add", "yesterday 08:00", "yesterday 09:00", "-m", "audit", env=worker_env).code == 0
    boss_env = {**env_of, "TRACKTRAY_USER": boss.username, "TRACKTRAY_PASSWORD": boss.password}
    since = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    outcome = cli("report", "--from", since, "--user", worker.username, "--json", env=boss_env)
    assert outcome.code == 0, outcome.err
    report = json.loads(outcome.out)
    assert [(b["profile_id"], b["description"]) for b in report["blocks"]] == [
        (worker.profile_id, "audit")
    ]


def test_add_without_activating_then_update_the_password(
    cli: CliRunner, trackmypeople_server: Server, server_user: Any
) -> None:
    args = (
        "accounts", "add", "--url", trackmypeople_server.api_url, "--user", server_user.username,
        "--ca", str(trackmypeople_server.ca_file), "--password-stdin",
    )  # fmt: skip
    first = cli(*args, "--no-activate", stdin=server_user.password + "\n")
    assert first.code == 0, first.err
    assert "active" not in first.out
    accounts = json.loads(cli("accounts", "--json").out)
    assert [(a["id"], a["active"]) for a in accounts] == [
        ("local", True),
        (accounts[1]["id"], False),
    ]
    again = cli(*args, "--name", "Renamed", stdin=server_user.password + "\n")
    assert again.code == 0
    accounts = json.loads(cli("accounts", "--json").out)
    assert len(accounts) == 2  # the same server and user: updated, not duplicated
    assert accounts[1]["label"] == "Renamed"
    assert accounts[1]["active"] is True
