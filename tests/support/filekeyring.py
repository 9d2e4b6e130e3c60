"""A keyring backend for tests: secrets in a JSON file named by TRACKTRAY_TEST_KEYRING.

It stands in for the OS keyring so that tests (and the CLI subprocesses they start)
are isolated from the real user's secrets. It is never used outside the test suite.
With TRACKTRAY_TEST_KEYRING_LOCKED set it answers as a locked keyring does.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked, PasswordDeleteError


class FileKeyring(KeyringBackend):
    priority = 1

    @property
    def _file(self) -> Path:
        return Path(os.environ["TRACKTRAY_TEST_KEYRING"])

    def _load(self) -> dict[str, str]:
        if os.environ.get("TRACKTRAY_TEST_KEYRING_LOCKED"):
            raise KeyringLocked("the test keyring is locked")
        try:
            return dict(json.loads(self._file.read_text(encoding="utf-8")))
        except FileNotFoundError:
            return {}

    def _save(self, data: dict[str, str]) -> None:
        tmp = self._file.with_suffix(".tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        tmp.replace(self._file)

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}\0{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[f"{service}\0{username}"] = password
        self._save(data)

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        if data.pop(f"{service}\0{username}", None) is None:
            raise PasswordDeleteError(username)
        self._save(data)
