"""keyring's import without the modules it brings for helpers tracktray never calls
(``store/keyring_import.py``): those run on first use, as the same module objects."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tracktray.store.keyring_import import LOADED_ON_FIRST_USE

# A process as `tracktray status` is one: keyring imported to read a password, then
# every module keyring brought but did not run, used as its own users would use it.
_USES = r"""
import json, sys
from tracktray.store import CredentialStore
from tracktray._lazy import has_run
from tracktray.store.keyring_import import LOADED_ON_FIRST_USE

store = CredentialStore(service="tracktray-test-first-use")
store.set("acct", "pw")
read = store.get("acct")
store.delete("acct")
ran_with_keyring = [name for name in LOADED_ON_FIRST_USE if has_run(name)]
waiting = [name for name in LOADED_ON_FIRST_USE if name in sys.modules]

import jaraco.context, jaraco.functools
held_by_keyrings_own = (
    jaraco.context.urllib.request is sys.modules["urllib.request"]
    and jaraco.functools.more_itertools is sys.modules["more_itertools"]
    and jaraco.context.subprocess is sys.modules["subprocess"]
)
import urllib.request, subprocess, tempfile, inspect, more_itertools, configparser
import traceback, bz2, lzma, copy, ipaddress
import io, logging

meta = sys.modules["importlib_metadata" if sys.version_info < (3, 12) else "importlib.metadata"]
stream = io.StringIO()
log = logging.getLogger("first-use")
log.addHandler(logging.StreamHandler(stream))
try:
    raise ValueError("logged")
except ValueError:
    log.exception("with its traceback")  # logging's formatter runs traceback
parser = configparser.RawConfigParser()
parser.read_string("[backend]\ndefault-keyring = a.B\n")
used = [
    urllib.request.Request("https://example.invalid/x").full_url,
    subprocess.run([sys.executable, "-c", "print(7)"], capture_output=True).stdout.strip().decode(),
    bool(tempfile.gettempdir()),
    str(inspect.signature(lambda a, b=1: None)),
    more_itertools.first([5, 6]),
    parser.get("backend", "default-keyring"),
    "ValueError: logged" in stream.getvalue(),
    bz2.decompress(bz2.compress(b"bz")).decode(),
    lzma.decompress(lzma.compress(b"xz")).decode(),
    copy.copy([1]),
    str(ipaddress.ip_address("::1")),
    bool(meta.version("keyring")),
    jaraco.functools.once(lambda: "once")(),
]
print(json.dumps([read, ran_with_keyring, waiting, held_by_keyrings_own, used]))
"""


def test_keyring_runs_none_of_them_and_each_works_when_first_used() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _USES], capture_output=True, text=True, env=os.environ, timeout=60
    )
    assert done.returncode == 0, done.stderr
    read, ran_with_keyring, waiting, held, used = json.loads(done.stdout)
    assert read == "pw"
    assert ran_with_keyring == []
    assert waiting == list(LOADED_ON_FIRST_USE)  # waiting, not missing
    assert held  # the objects keyring's dependencies hold are the ones that ran
    assert used == [
        "https://example.invalid/x",
        "7",
        True,
        "(a, b=1)",
        5,
        "a.B",
        True,
        "bz",
        "xz",
        [1],
        "::1",
        True,
        "once",
    ]
