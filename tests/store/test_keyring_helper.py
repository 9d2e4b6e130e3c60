"""The widget's keyring calls run in a helper process: the same answers and sentences as
in-process, the password kept where keyring keeps it, and the call made in-process
wherever no helper answers."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.store.test_credentials import assert_no_keyring_is_said
from tracktray.store import keyring_helper
from tracktray.store.credentials import CredentialStore, CredentialStoreError

SERVICE = "tracktray-test-helper"


@pytest.fixture
def calls_made_here(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The keyring calls this process makes itself (none, when the helper answers)."""
    from tracktray.store import credentials

    made: list[str] = []
    call_here, available_here = credentials.call_here, credentials.available_here

    def counted_call(op: str, *args: object, **kwargs: object) -> str | None:
        made.append(op)
        return call_here(op, *args, **kwargs)  # type: ignore[arg-type]

    def counted_available() -> bool:
        made.append("available")
        return available_here()

    monkeypatch.setattr(credentials, "call_here", counted_call)
    monkeypatch.setattr(credentials, "available_here", counted_available)
    return made


def test_a_round_trip_through_the_helper_is_keyrings_own(calls_made_here: list[str]) -> None:
    store = CredentialStore.out_of_process(SERVICE)
    assert store.available()
    assert store.get("acct") is None
    store.set("acct", "s3crét with spaces\nand a line")
    # what keyring keeps, read in this process: the helper wrote it there
    assert CredentialStore(SERVICE).get("acct") == "s3crét with spaces\nand a line"
    calls_made_here.clear()
    assert store.get("acct") == "s3crét with spaces\nand a line"
    store.delete("acct")
    store.delete("acct")  # forgetting twice is fine, there too
    assert store.get("acct") is None
    assert calls_made_here == []  # every call was the helper's
    assert "keyring" not in _modules_loaded_by(
        "from tracktray.store.credentials import CredentialStore\n"
        f"assert CredentialStore.out_of_process({SERVICE!r}).get('acct') is None\n"
    )


def _modules_loaded_by(code: str) -> set[str]:
    probe = code + "import sys\nprint(' '.join(m.split('.')[0] for m in sys.modules))\n"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def test_without_a_keyring_the_helper_refuses_in_the_same_sentence(
    monkeypatch: pytest.MonkeyPatch, calls_made_here: list[str]
) -> None:
    # keyring's "fail" backend, as a headless Linux without Secret Service has it
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    assert_no_keyring_is_said(CredentialStore.out_of_process(SERVICE))
    assert calls_made_here == []


def test_a_locked_keyring_is_worded_in_the_widgets_language(
    monkeypatch: pytest.MonkeyPatch, german: None
) -> None:
    # the helper runs in English; the sentence is made here, in German
    monkeypatch.setenv("LANGUAGE", "en")
    monkeypatch.setenv("TRACKTRAY_TEST_KEYRING_LOCKED", "1")
    with pytest.raises(CredentialStoreError) as refused:
        CredentialStore.out_of_process(SERVICE).get("acct")
    in_process = _refusal_here(lambda: CredentialStore(SERVICE).get("acct"))
    assert str(refused.value) == in_process
    assert "Schlüsselbund" in in_process or "gesperrt" in in_process


def _refusal_here(action: Callable[[], object]) -> str:
    with pytest.raises(CredentialStoreError) as refused:
        action()
    return str(refused.value)


@pytest.fixture
def helper_command(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[list[str]], None]]:
    def use(command: list[str]) -> None:
        monkeypatch.setattr(keyring_helper, "helper_command", lambda: command)

    yield use


def test_where_no_helper_starts_the_call_is_made_here(
    helper_command: Callable[[list[str]], None], calls_made_here: list[str], tmp_path: Path
) -> None:
    CredentialStore(SERVICE).set("acct", "pw")
    for command in (
        [str(tmp_path / "no-such-program")],  # cannot be started
        [sys.executable, "-c", "pass"],  # ends without a word
        [sys.executable, "-c", "print('ready'); input(); print('not json')"],
        [sys.executable, "-c", "print('ready'); input(); print('[1, 2]')"],
    ):
        helper_command(command)
        calls_made_here.clear()
        assert CredentialStore.out_of_process(SERVICE).get("acct") == "pw", command
        assert calls_made_here == ["get"], command
    CredentialStore(SERVICE).delete("acct")


def test_a_helper_that_does_not_start_in_time_is_given_up(
    helper_command: Callable[[list[str]], None],
) -> None:
    helper_command([sys.executable, "-c", "import time; time.sleep(60)"])
    answer = keyring_helper.ask_helper({"op": "available"}, ready_timeout_s=0.5)
    assert answer is None


def test_a_frozen_executable_serves_as_the_helper() -> None:
    # packaging/tracktray_main.py, as PyInstaller runs it: the widget's own executable
    # started with the helper's argument answers like the module
    main = Path(__file__).parents[2] / "packaging" / "tracktray_main.py"
    done = subprocess.run(
        [sys.executable, str(main), keyring_helper.HELPER_ARGUMENT],
        input=f'{{"op": "get", "service": "{SERVICE}", "account": "nobody"}}\n',
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ},
    )
    assert done.stdout.splitlines() == ["ready", '{"value": null}']
    assert done.returncode == 0
