from __future__ import annotations

import pytest

from tracktray.domain.trackertree import AmbiguousTracker, TrackerTree, UnknownTracker

ROWS = [
    (1, 0, "Acme"),
    (2, 1, "Website"),
    (3, 2, "Design"),
    (4, 2, "Backend"),
    (5, 1, "Support"),
    (6, 0, "Internal"),
    (7, 1, "Web → legacy / old"),
]


@pytest.fixture
def tree() -> TrackerTree:
    return TrackerTree.from_rows(ROWS)


def test_paths_and_parents(tree: TrackerTree) -> None:
    design = tree.get(3)
    assert design is not None
    assert design.display_path == "Acme / Website / Design"
    assert design.parent_id == 2
    assert [t.name for t in tree.roots()] == ["Acme", "Internal"]
    assert [t.name for t in tree.children(2)] == ["Design", "Backend"]


def test_names_with_arrows_and_slashes_survive(tree: TrackerTree) -> None:
    legacy = tree.get(7)
    assert legacy is not None and legacy.name == "Web → legacy / old"
    assert legacy.path == ("Internal", "Web → legacy / old")


def test_skipped_level_attaches_to_nearest_ancestor() -> None:
    tree = TrackerTree.from_rows([(1, 0, "A"), (2, 3, "deep")])
    deep = tree.get(2)
    assert deep is not None and deep.parent_id == 1 and deep.depth == 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [("3", 3), ("acme/website/design", 3), ("Acme / Website", 2), ("websi", 2), ("DESIGN", 3)],
)
def test_find(tree: TrackerTree, query: str, expected: int) -> None:
    assert tree.find(query).id == expected


def test_find_ambiguous_lists_candidates(tree: TrackerTree) -> None:
    with pytest.raises(AmbiguousTracker) as info:
        tree.find("e")  # shallowest matches: Acme and Internal
    assert {t.name for t in info.value.candidates} == {"Acme", "Internal"}


def test_find_unknown(tree: TrackerTree) -> None:
    with pytest.raises(UnknownTracker):
        tree.find("nothing like it")


def test_part_matching_two_branches_is_ambiguous(tree: TrackerTree) -> None:
    with pytest.raises(AmbiguousTracker) as info:
        tree.find("web")
    assert {t.id for t in info.value.candidates} == {2, 7}
