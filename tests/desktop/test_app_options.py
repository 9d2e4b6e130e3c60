"""The widget's two options are read without argparse, as argparse would read them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracktray.desktop.app import _options, _parse


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--config-dir", "/c"],
        ["--config-dir=/c", "--data-dir", "/d"],
        ["-platform", "offscreen", "--data-dir=/d"],
        ["--conf", "/c"],  # an abbreviation: argparse's own
        ["--d=/d", "-style", "fusion"],
        ["--config-dir", "/c", "--config-dir", "/other"],  # the last one counts
    ],
)
def test_the_options_are_what_argparse_makes_of_them(argv: list[str]) -> None:
    parsed = _parse(argv)
    assert _options(argv) == (parsed.config_dir, parsed.data_dir)


def test_the_plain_forms_are_read_without_argparse(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_argparse(argv: list[str]) -> None:
        raise AssertionError("argparse was used")

    monkeypatch.setattr("tracktray.desktop.app._parse", no_argparse)
    argv = ["--config-dir", "/c", "--data-dir=/d", "-platform", "xcb"]
    assert _options(argv) == (Path("/c"), Path("/d"))
