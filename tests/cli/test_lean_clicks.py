"""``tracktray start``, ``switch`` and ``stop`` in local mode run without SQLAlchemy.

They go through the local backend's clicks (the engine's rules on the plain ``sqlite3``
connection, engine/plainwrite.py), as the widget's do; only the first run, which sets the
database up, loads the engine.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_start_switch_and_stop_of_an_everyday_local_mode_load_no_sqlalchemy(
    tmp_path: Path,
) -> None:
    dirs = ["--config-dir", str(tmp_path / "c"), "--data-dir", str(tmp_path / "d")]
    probe = (
        "import sys\n"
        "from tracktray.cli.main import main\n"
        "code = main(sys.argv[1:])\n"
        "print(code, sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'alembic'}))\n"
    )

    def run(*args: str) -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", probe, *dirs, *args],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        return done.stdout.splitlines()

    run("status")  # the first run sets the database up (with the engine)
    started = run("start")
    assert started[0].startswith("Started General at ") and started[-1] == "0 []"
    switched = run("switch", "General", "-m", "first part", "--at=-0m")
    assert switched[0].startswith("Switched to General at ") and switched[-1] == "0 []"
    stopped = run("stop", "-m", "second part")
    assert stopped[0].startswith("Stopped General after ") and stopped[-1] == "0 []"
    refused = subprocess.run(
        [sys.executable, "-c", probe, *dirs, "stop"], capture_output=True, text=True, timeout=60
    )
    assert "nothing to stop" in refused.stderr and refused.stdout.splitlines()[-1] == "1 []"
