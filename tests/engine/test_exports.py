"""The engine's public surface, pinned: other layers import exactly these names."""

from __future__ import annotations

import tracktray.engine
import tracktray.engine.errors as errors


def test_exported_members() -> None:
    assert sorted(tracktray.engine.__all__) == [
        "Clock",
        "Engine",
        "EngineError",
        "NotAllowed",
        "NotFound",
        "Overlap",
        "Refused",
        "ValidationError",
    ]
    for name in tracktray.engine.__all__:
        if name != "Clock":  # a type alias
            assert getattr(tracktray.engine, name).__module__.startswith("tracktray.engine")


def test_error_tree() -> None:
    assert issubclass(errors.ValidationError, errors.Refused)
    assert issubclass(errors.Overlap, errors.Refused)
    for leaf in (errors.Refused, errors.NotAllowed, errors.NotFound):
        assert issubclass(leaf, errors.EngineError)
    assert str(errors.Overlap(7)) == "That time overlaps block 7."
    assert errors.Overlap(7).block_id == 7
    assert str(errors.NotAllowed()) == "not allowed"
