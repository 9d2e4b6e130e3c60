"""``tracktray-server`` as a person runs it: separate processes, real files, real HTTPS."""

from __future__ import annotations

import queue
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import trustme

from tracktray.engine import Engine
from tracktray.server.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "example-org.toml"


def command() -> list[str]:
    script = Path(sys.executable).with_name("tracktray-server")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tracktray.server.cli"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*command(), *args], capture_output=True, text=True, timeout=60, check=False
    )


@contextmanager
def serving(args: Sequence[str]) -> Iterator[tuple[str, list[str]]]:
    """Start the server, wait for its "Listening on" line; yield (api_url, output lines).

    After the block the process has ended and the lines hold its whole output."""
    process = subprocess.Popen(
        [*command(), *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines: queue.Queue[str] = queue.Queue()
    seen: list[str] = []

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line.rstrip("\n"))
        lines.put("")  # EOF

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    try:
        while True:
            line = lines.get(timeout=60)
            seen.append(line)
            if line.startswith("Listening on "):
                break
            assert line or process.poll() is None, f"server exited: {seen}"
        # the CA line, if any, follows the URL line
        if "--self-signed" in args or args[0] == "demo":
            seen.append(lines.get(timeout=10))
        yield line.removeprefix("Listening on "), seen
    finally:
        process.terminate()
        process.wait(timeout=20)
        reader.join(timeout=20)
        assert process.stdout is not None
        process.stdout.close()
        while not lines.empty():  # the rest of the output, for checks after the block
            seen.append(lines.get())


def test_init_creates_the_schema_and_is_idempotent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'org.sqlite'}"
    done = run("init", "--db", url)  # the installed console script
    assert done.returncode == 0, done.stderr
    assert f"Database ready: {url}" in done.stdout
    assert main(["init", "--db", url]) == 0  # again, in-process: nothing to do
    assert f"Database ready: {url}" in capsys.readouterr().out
    engine = Engine.open(url)
    assert len(engine.all_trackers()) == 0
    engine.close()


def test_load_the_documented_example_twice(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'org.sqlite'}"
    first = run("load", "--db", url, str(EXAMPLE))
    assert first.returncode == 0, first.stderr
    assert "2 user(s) created" in first.stdout
    again = run("load", "--db", url, str(EXAMPLE))
    assert "0 user(s) created, 2 updated" in again.stdout
    engine = Engine.open(url)
    alice = engine.user_id("alice")
    assert alice is not None and engine.authenticate("alice", "change me, alice") == alice
    profile = engine.profile(alice)
    assert (profile.timezone, profile.culture, profile.title) == (
        "Europe/Brussels",
        "nl-BE",
        "Team lead",
    )
    names = [t.name for t in engine.trackers(alice)]
    assert "Old intranet" not in names and names[:2] == ["Acme", "Support"]
    assert (
        engine.check_version("Linux_Qt-0.0.9").url == "https://example.org/tracktray/releases/0.1.0"
    )
    bob = engine.user_id("bob")
    assert bob is not None and {p.username for p in engine.reportees(alice)} >= {"alice", "bob"}
    engine.close()


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[[users]]\nusername = 'x'\nnmae = 'y'\n", "users[0]: unknown key(s) nmae."),
        ("[[users]]\nusername = 'new'\n", "the new user “new” needs a password."),
        (
            "[[users]]\nusername = 'x'\npassword='p'\ntimezone = 'Mars/Base'\n",
            "users[0]: “Mars/Base” is not a known time zone",
        ),
        ("[[roles]]\nuser = 'ghost'\ntracker = 'A'\n", "roles[0]: there is no user “ghost”."),
        (
            "[[trackers]]\npath = 'A'\narchived = 'yes'\n",
            "trackers[0]: archived must be true or false.",
        ),
        (
            "[[releases]]\nplatform='Linux_Qt'\nversion='1.0'\nurl='http://x'\n",
            "releases[0]: A release URL must start with https://.",
        ),
        ("[teams]\n", "Unknown section(s) teams"),
        ("[[users]\n", "is not valid TOML"),
    ],
)
def test_load_errors_are_one_sentence(
    tmp_path: Path, toml: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(toml, encoding="utf-8")
    # in-process (the same main() the console script calls): no interpreter start-up
    assert main(["load", "--db", f"sqlite:///{tmp_path / 'db.sqlite'}", str(path)]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_serve_self_signed_on_a_free_port(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'org.sqlite'}"
    assert run("load", "--db", url, str(EXAMPLE)).returncode == 0
    tls_dir = tmp_path / "tls"
    args = [
        "serve",
        "--db",
        url,
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--self-signed",
        str(tls_dir),
        "--access-log",  # request lines are DEBUG output, shown when asked
    ]
    with serving(args) as (api_url, output):
        assert api_url.startswith("https://127.0.0.1:") and api_url.endswith("/api/")
        assert output[-1] == f"CA certificate (give it to clients): {tls_dir / 'ca.pem'}"
        context = ssl.create_default_context(cafile=str(tls_dir / "ca.pem"))
        with httpx.Client(base_url=api_url, verify=context, auth=("bob", "change me, bob")) as api:
            status = api.post("status.json").json()
            assert status["default_tracker"]["Name"] == "Support"
            assert api.post("start.json").json()["result"] == 1
        with (
            httpx.Client(verify=ssl.create_default_context()) as stranger,
            pytest.raises(httpx.ConnectError),
        ):
            stranger.get(api_url)  # the CA is not in the system store
    logged = [line for line in output if "tracktray.server POST start 200 " in line]
    assert len(logged) == 1 and logged[0].endswith("ms")
    assert not any("change me" in line for line in output)  # no password in the log
    ca_before = (tls_dir / "ca.pem").read_bytes()
    with serving(args):
        assert (tls_dir / "ca.pem").read_bytes() == ca_before  # made once, reused


def test_serve_with_my_own_certificate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ca = trustme.CA()
    issued = ca.issue_cert("127.0.0.1")
    cert, key = tmp_path / "chain.pem", tmp_path / "key.pem"
    issued.private_key_pem.write_to_path(str(key))
    for index, pem in enumerate(issued.cert_chain_pems):
        pem.write_to_path(str(cert), append=index > 0)
    url = f"sqlite:///{tmp_path / 'org.sqlite'}"
    with pytest.raises(SystemExit, match="--cert needs --key"):
        main(["serve", "--db", url, "--port", "0", "--cert", str(cert)])
    with pytest.raises(SystemExit, match="does not exist"):
        main(["serve", "--db", url, "--port", "0", "--cert", str(cert), "--key", "missing.pem"])
    args = ["serve", "--db", url, "--port", "0", "--cert", str(cert), "--key", str(key)]
    with serving(args) as (api_url, output):
        assert not any("CA certificate" in line for line in output)  # not ours to hand out
        context = ssl.create_default_context()
        ca.configure_trust(context)
        with httpx.Client(verify=context) as client:
            assert client.post(api_url + "status.json").status_code == 401


def test_plain_http_only_on_loopback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'org.sqlite'}"
    with pytest.raises(SystemExit) as refused:
        main(["serve", "--db", url, "--host", "0.0.0.0", "--port", "0", "--insecure-http"])
    assert "refusing plain HTTP on 0.0.0.0" in str(refused.value.code)
    with pytest.raises(SystemExit) as missing:
        main(["serve", "--db", url, "--port", "0"])
    assert missing.value.code == 2 and "one of the arguments" in capsys.readouterr().err
    with serving(["serve", "--db", url, "--port", "0", "--insecure-http"]) as (api_url, _):
        assert api_url.startswith("http://127.0.0.1:")
        assert httpx.post(api_url + "status.json").status_code == 401


def test_demo_serves_an_organisation_with_history(tmp_path: Path) -> None:
    with serving(["demo", str(tmp_path / "demo")]) as (api_url, output):
        assert any(line.startswith("Demo user: alice / alice-demo") for line in output)
        ca = output[-1].rsplit(" ", 1)[1]
        context = ssl.create_default_context(cafile=ca)
        with httpx.Client(base_url=api_url, verify=context, auth=("alice", "alice-demo")) as api:
            trackers = api.post("trackers.json").json()
            assert "→→ Design" in trackers.values() and "→→ iOS" in trackers.values()
            people = api.post("reportees.json").json()
            assert len([k for k in people if k.startswith("reportee_")]) == 4
            report = api.post("report.json", data={"start": "2000-01-01 00:00"}).json()
            assert len([k for k in report if k.startswith("block_")]) > 40
            assert (
                api.post("checkVersion.json", data={"version": "Linux_Qt-0.0.1"}).json()["result"]
                == 0
            )
