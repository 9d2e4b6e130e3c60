"""A password read by a child process while the command goes on (``store/secret_ahead.py``).

Each case in a new interpreter, as the command's own process is: one thread, no Qt.
The real command over HTTPS, its refusals and their language: ``tests/cli/test_remote.py``.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.fresh import run_fresh

# a store whose get() says which process read, and can end a child without an answer
_STORE = """
import os, sys
from tracktray.store.credentials import CredentialStore
from tracktray.store.secret_ahead import may_fork_here, read_ahead

PARENT = os.getpid()
calls = []

class Store(CredentialStore):
    def __init__(self, child_ends_silently=False):
        super().__init__("tracktray-test-ahead")
        self.child_ends_silently = child_ends_silently

    def get(self, account_id):
        if os.getpid() != PARENT and self.child_ends_silently:
            os._exit(3)
        calls.append(account_id)
        return f"{account_id} read by {'parent' if os.getpid() == PARENT else 'child'}"
"""


def test_the_child_reads_and_the_parent_gets_its_answer_once(tmp_path: Path) -> None:
    run_fresh(
        _STORE
        + """
assert may_fork_here()
secret = read_ahead(Store(), "acct")
assert secret() == "acct read by child"
assert secret() == "acct read by child"  # the answer is kept: one child, one read
assert calls == []  # nothing was read in this process
print("ok")
""",
        tmp_path,
    )


def test_a_child_that_ends_without_an_answer_leaves_the_read_to_this_process(
    tmp_path: Path,
) -> None:
    run_fresh(
        _STORE
        + """
secret = read_ahead(Store(child_ends_silently=True), "acct")
assert secret() == "acct read by parent", secret()
assert calls == ["acct"]
print("ok")
""",
        tmp_path,
    )


def test_no_child_while_another_thread_runs_nor_for_a_session_store(tmp_path: Path) -> None:
    run_fresh(
        _STORE
        + """
import threading
stop = threading.Event()
other = threading.Thread(target=stop.wait)
other.start()
assert not may_fork_here()  # a fork copies the calling thread alone
assert read_ahead(Store(), "acct")() == "acct read by parent"
stop.set()
other.join()

session = CredentialStore.session_only()
session.set("acct", "kept in memory")
assert read_ahead(session, "acct")() == "kept in memory"
print("ok")
""",
        tmp_path,
    )


def test_what_the_child_reads_as_missing_is_missing_here(tmp_path: Path) -> None:
    run_fresh(
        """
from tracktray.store.credentials import CredentialStore
from tracktray.store.secret_ahead import read_ahead

assert read_ahead(CredentialStore("tracktray-test-ahead"), "nobody")() is None
print("ok")
""",
        tmp_path,
    )
