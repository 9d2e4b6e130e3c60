"""Tree order for any tree: depth-first, siblings sorted case-insensitively, archiving
inherited; the arrow list a widget parses back gives the same tree."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tracktray.domain import TrackerTree
from tracktray.engine.treeindex import TrackerIndex, TrackerRow

names = st.text(alphabet="abcXYZ é→", min_size=1, max_size=6)


@st.composite
def forests(draw: st.DrawFn) -> list[TrackerRow]:
    count = draw(st.integers(min_value=1, max_value=25))
    rows: list[TrackerRow] = []
    for tracker_id in range(1, count + 1):
        parent = (
            draw(st.one_of(st.none(), st.integers(1, tracker_id - 1))) if tracker_id > 1 else None
        )
        rows.append(TrackerRow(tracker_id, parent, draw(names), "", draw(st.booleans())))
    return draw(st.permutations(rows))


@given(forests())
def test_order_is_depth_first_with_sorted_siblings(rows: list[TrackerRow]) -> None:
    index = TrackerIndex(rows)
    order = list(index)
    assert sorted(order) == sorted(r.id for r in rows)
    position = {tracker_id: i for i, tracker_id in enumerate(order)}
    by_id = {r.id: r for r in rows}
    for row in rows:
        if row.parent_id is not None:
            assert position[row.parent_id] < position[row.id]
            assert index.depth(row.id) == index.depth(row.parent_id) + 1
            # a subtree is contiguous: everything between a node and its child is below it
            assert all(
                row.parent_id in index.ancestors(t)
                for t in order[position[row.parent_id] + 1 : position[row.id] + 1]
            )
        assert index.archived(row.id) == (
            row.archived or any(by_id[a].archived for a in index.ancestors(row.id))
        )
    for parent in {r.parent_id for r in rows}:
        siblings = [t for t in order if by_id[t].parent_id == parent]
        keys = [by_id[t].name.casefold() for t in siblings]
        assert keys == sorted(keys)


@given(forests())
def test_the_arrow_rows_rebuild_the_same_tree(rows: list[TrackerRow]) -> None:
    index = TrackerIndex(rows)
    tree = index.tree(set(index))
    rebuilt = TrackerTree.from_rows((t.id, t.depth, t.name) for t in tree)
    assert [(t.id, t.parent_id, t.path) for t in rebuilt] == [
        (t.id, t.parent_id, t.path) for t in tree
    ]
