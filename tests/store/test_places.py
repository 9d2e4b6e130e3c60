"""The folders read straight from the XDG variables are platformdirs' own, case by case."""

from __future__ import annotations

import stat
import warnings
from pathlib import Path

import platformdirs
import pytest

from tracktray.store import places


@pytest.mark.parametrize(
    "env",
    [
        {"XDG_CONFIG_HOME": "/abs/conf", "XDG_DATA_HOME": "/abs/data", "HOME": "/home/u"},
        {"XDG_CONFIG_HOME": "", "XDG_DATA_HOME": "", "HOME": "/home/u"},
        {"HOME": "/home/u/"},
        {"HOME": "/"},
        {"XDG_CONFIG_HOME": "/abs/conf/", "HOME": "/home/u"},
        {"XDG_CONFIG_HOME": "relative", "XDG_DATA_HOME": " ", "HOME": "/home/u"},
        {"XDG_CONFIG_HOME": "/abs", "XDG_DATA_HOME": "/abs", "HOME": "relative"},
    ],
)
def test_config_and_data_folders_are_platformdirs_ones(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert places.user_config_dir() == platformdirs.user_config_dir("tracktray", appauthor=False)
    assert places.user_data_dir() == platformdirs.user_data_dir("tracktray", appauthor=False)


def _runtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: int) -> Path:
    base = tmp_path / "run"
    base.mkdir(mode=0o700)
    base.chmod(mode)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(base))
    return base


def test_the_runtime_folder_is_platformdirs_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = _runtime(tmp_path, monkeypatch, 0o700)
    made = places.user_runtime_dir()  # made here, as platformdirs makes it
    assert made == str(base / "tracktray")
    assert stat.S_IMODE((base / "tracktray").stat().st_mode) == 0o700
    assert made == platformdirs.user_runtime_dir("tracktray", ensure_exists=True)
    assert places.user_runtime_dir() == made


def test_a_runtime_folder_others_may_enter_is_left_to_platformdirs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = _runtime(tmp_path, monkeypatch, 0o700)
    (base / "tracktray").mkdir(mode=0o700)
    base.chmod(0o755)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs says (once) why it falls back
        expected = platformdirs.user_runtime_dir("tracktray", ensure_exists=True)
        assert places.user_runtime_dir() == expected
    assert expected != str(base / "tracktray")
