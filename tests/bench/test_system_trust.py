"""The bench's system-trust set-up (``bench/system_trust.py``): a sandbox whose account
names no CA file signs in to the real engine over HTTPS through a system store that
holds the server's CA, as ``tracktray status`` runs for a user of a hosted server."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from bench.sandbox import Sandbox, bin_path
from bench.server import ADD_ACCOUNT  # the account as the bench adds it, CA file named
from bench.system_trust import trusting_the_system


@pytest.mark.skipif(shutil.which("openssl") is None, reason="the store is hashed by openssl")
def test_an_account_without_a_ca_file_signs_in_through_the_sandboxs_system_store(
    trackmypeople_server: Any, server_user: Any
) -> None:
    def add(sandbox: Sandbox) -> None:
        arguments = [trackmypeople_server.api_url, server_user.username]
        subprocess.run(
            [sys.executable, "-c", ADD_ACCOUNT, *arguments, str(trackmypeople_server.ca_file)],
            env=sandbox.env,
            input=server_user.password,
            text=True,
            check=True,
            timeout=60,
        )

    setup = trusting_the_system(add, trackmypeople_server.ca_file)
    assert setup is not None
    with Sandbox("trust-test") as box:
        setup(box)
        settings_file = Path(box.env["XDG_CONFIG_HOME"]) / "tracktray" / "settings.json"
        accounts = json.loads(settings_file.read_text(encoding="utf-8"))["accounts"]
        assert [a["ca_file"] for a in accounts if a["id"] == "bench"] == [None]
        assert "SSL_CERT_FILE" not in box.env

        done = subprocess.run(
            [bin_path("tracktray"), "status"],
            env=box.env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert "Today:" in done.stdout
