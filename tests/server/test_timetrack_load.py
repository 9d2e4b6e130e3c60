"""`tracktray-server load` with [[api_keys]]: keys created (hashed), bad ones refused whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracktray.engine import Engine
from tracktray.engine.timetrack import TimeTrack
from tracktray.engine.timetrack.tables import api_keys
from tracktray.server.cli import main

ORG = """
[[trackers]]
path = "Acme/Website"

[[users]]
username = "ivan"
password = "a-long-password"

[[api_keys]]
key = "acme-widget"
secret = "{secret}"
label = "widgets"
"""


def load(tmp_path: Path, secret: str) -> int:
    file = tmp_path / "org.toml"
    file.write_text(ORG.format(secret=secret), encoding="utf-8")
    return main(["load", "--db", f"sqlite:///{tmp_path / 'db.sqlite'}", str(file)])


def test_load_creates_the_key_with_a_hashed_secret(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = load(tmp_path, "s3cret-for-widgets")
    out = capsys.readouterr().out
    assert code == 0 and out.rstrip().endswith("1 API key(s).")
    engine = Engine.open(f"sqlite:///{tmp_path / 'db.sqlite'}")
    try:
        assert TimeTrack(engine).check_api_key("acme-widget", "s3cret-for-widgets")
        with engine.db.connect() as conn:
            [stored] = conn.execute(api_keys.select()).all()
        assert "s3cret-for-widgets" not in stored.secret_hash
        assert stored.label == "widgets"
    finally:
        engine.close()


def test_a_short_secret_is_refused_before_anything_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = load(tmp_path, "short")
    assert code == 1
    assert capsys.readouterr().err == (
        "tracktray-server: api_keys: The secret of API key “acme-widget” is shorter than "
        "8 characters.\n"
    )
    engine = Engine.open(f"sqlite:///{tmp_path / 'db.sqlite'}")
    try:
        assert engine.user_id("ivan") is None
    finally:
        engine.close()


def test_a_refused_entry_late_in_the_file_leaves_nothing_written(tmp_path: Path) -> None:
    file = tmp_path / "org.toml"
    file.write_text(
        ORG.format(secret="a-long-secret-1234")
        + '\n[[roles]]\nuser = "ivan"\ntracker = "Acme/Website"\n'
        + '\n[[roles]]\nuser = "nobody-such"\ntracker = "Acme/Website"\n',
        encoding="utf-8",
    )
    db = f"sqlite:///{tmp_path / 'org.sqlite'}"
    assert main(["load", "--db", db, str(file)]) == 1
    engine = Engine.open(db)
    try:
        assert engine.user_id("ivan") is None
        assert engine.tracker_id("Acme/Website") is None
        with engine.db.connect() as conn:
            assert conn.execute(api_keys.select()).first() is None
    finally:
        engine.close()
