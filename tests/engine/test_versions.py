"""checkVersion: one latest release per platform, compared as version numbers."""

from __future__ import annotations

import pytest

from tracktray.engine import Engine, ValidationError


@pytest.fixture
def released(engine: Engine) -> Engine:
    engine.set_release("Linux_Qt", "1.10.0", "https://example.org/tracktray-1.10.0.tar.gz")
    engine.set_release("Windows", "2.0", "https://example.org/win")
    return engine


@pytest.mark.parametrize(
    ("sent", "up_to_date"),
    [
        ("Linux_Qt-1.9.0", False),  # 1.10.0 > 1.9.0 (numbers, not strings)
        ("Linux_Qt-1.9.12", False),
        ("Linux_Qt-1.10.0", True),
        ("Linux_Qt-1.10", True),
        ("Linux_Qt-1.10.1", True),
        ("linux_qt-2.0.0", True),
        ("Windows_Qt-1.99", False),  # falls back to the platform's release
        ("Windows_Y-2.0.0", True),
    ],
)
def test_version_comparison(released: Engine, sent: str, up_to_date: bool) -> None:
    answer = released.check_version(sent)
    assert answer.up_to_date is up_to_date
    if not up_to_date:
        assert answer.url is not None and answer.url.startswith("https://")


@pytest.mark.parametrize(
    "sent",
    ["Mac_Qt-1.0.0", "Linux_Qt", "Linux-1.0", "Linux_Qt-1.x", "", "Linux_Qt-1..2", "Linux_Qt-v1"],
)
def test_unknown_platform_or_unparsable_version(released: Engine, sent: str) -> None:
    with pytest.raises(ValidationError) as caught:
        released.check_version(sent)
    assert str(caught.value) == f"invalid version passed: {sent}"


def test_set_release_validates_and_replaces(released: Engine) -> None:
    with pytest.raises(ValidationError, match="https"):
        released.set_release("Linux_Qt", "2.0", "http://example.org/x")
    with pytest.raises(ValidationError, match="version number"):
        released.set_release("Linux_Qt", "two", "https://example.org/x")
    released.set_release("linux_qt", "2.0", "https://example.org/2")
    assert released.check_version("Linux_Qt-1.10.0").url == "https://example.org/2"
