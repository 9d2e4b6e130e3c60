"""The widget's address is the same name whichever SHA-256 implementation computes it,
and names the same user as the standard library does."""

from __future__ import annotations

import getpass
import hashlib
from pathlib import Path

import pytest

from tracktray.store.instance import _sha256, _user_name, instance_address


def test_the_digest_is_sha256() -> None:
    for data in (b"", b"user\0tracktray\0/run/user/1000/tracktray"):
        assert _sha256(data) == hashlib.sha256(data).hexdigest()


def test_the_address_names_the_folder_and_the_digest(tmp_path: Path) -> None:
    address = instance_address(directory=tmp_path)
    assert address.folder == tmp_path
    assert address.socket_path.parent == tmp_path
    assert address.socket_path.name.startswith("tracktray-")
    assert address.lock_path.name == address.socket_path.name.replace(".socket", ".lock")


def test_the_user_is_the_one_getpass_names_with_or_without_the_variables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert _user_name() == getpass.getuser()
    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.delenv(variable, raising=False)
    assert _user_name() == getpass.getuser()  # a service or a container sets none
    monkeypatch.setenv("USER", "someone-else")
    assert _user_name() == getpass.getuser() == "someone-else"


def test_a_short_named_socket_is_found_without_tempfile(tmp_path: Path) -> None:
    # `tracktray status` computes this file on every run; tempfile costs ~5 ms to import
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from tracktray.store.instance import instance_address\n"
        "address = instance_address(directory=sys.argv[1])\n"
        "print('/' in address.server_name, address.socket_file, 'tempfile' in sys.modules)\n"
    )
    long_folder = str(tmp_path / ("x" * 100))
    done = subprocess.run(
        [sys.executable, "-c", probe, long_folder], capture_output=True, text=True, check=True
    )
    short_name, socket_file, loaded_tempfile = done.stdout.split()
    assert short_name == "False" and loaded_tempfile == "False"
    assert Path(socket_file).name.startswith("tracktray-")
