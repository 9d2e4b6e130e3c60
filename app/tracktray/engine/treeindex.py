"""The tracker table in memory: tree order, paths, subtrees, inherited archiving.

Trackers are few (tens to hundreds) and read on almost every request, so the engine
loads them in one query (:class:`~.readpath.IndexCache`, driver SQL: no SQLAlchemy) and
answers tree questions here, in plain Python.
"""

from __future__ import annotations

from tracktray.domain.status import TrackerRef
from tracktray.domain.values import Value, set_field

TYPE_CHECKING = False  # typing is not imported at run time (``tracktray status`` reads here)
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from collections.abc import Set as AbstractSet

    from tracktray.domain import Tracker, TrackerTree

__all__ = ["TrackerIndex", "TrackerRow"]


class TrackerRow(Value):
    """One row of the trackers table, as the index keeps it (a :class:`Value`, not a
    dataclass: ``tracktray status`` reads through this module)."""

    __slots__ = ("abbreviation", "archived", "id", "name", "parent_id")
    _fields = ("id", "parent_id", "name", "abbreviation", "archived")
    id: int
    parent_id: int | None
    name: str
    abbreviation: str
    archived: bool

    def __init__(
        self, id: int, parent_id: int | None, name: str, abbreviation: str, archived: bool
    ) -> None:
        set_field(self, "id", id)
        set_field(self, "parent_id", parent_id)
        set_field(self, "name", name)
        set_field(self, "abbreviation", abbreviation)
        set_field(self, "archived", archived)


class TrackerIndex:
    """All trackers, ordered depth-first with siblings sorted case-insensitively."""

    def __init__(self, rows: Iterable[TrackerRow]) -> None:
        self._rows = {r.id: r for r in rows}
        children: dict[int | None, list[TrackerRow]] = {}
        for row in self._rows.values():
            parent = row.parent_id if row.parent_id in self._rows else None
            children.setdefault(parent, []).append(row)
        for siblings in children.values():
            siblings.sort(key=lambda r: (r.name.casefold(), r.name, r.id))
        self._children = children
        self._order: list[int] = []
        self._depth: dict[int, int] = {}
        self._path: dict[int, tuple[str, ...]] = {}
        self._archived: dict[int, bool] = {}
        self._walk(None, 0, (), False)
        self._trackable: dict[tuple[int, ...], frozenset[int]] = {}

    def _walk(self, parent: int | None, depth: int, path: tuple[str, ...], arch: bool) -> None:
        for row in self._children.get(parent, []):
            self._order.append(row.id)
            self._depth[row.id] = depth
            self._path[row.id] = (*path, row.name)
            self._archived[row.id] = arch or row.archived
            self._walk(row.id, depth + 1, self._path[row.id], self._archived[row.id])

    def __contains__(self, tracker_id: object) -> bool:
        return tracker_id in self._rows

    def __iter__(self) -> Iterator[int]:
        return iter(self._order)

    def row(self, tracker_id: int) -> TrackerRow:
        return self._rows[tracker_id]

    def depth(self, tracker_id: int) -> int:
        return self._depth[tracker_id]

    def path(self, tracker_id: int) -> tuple[str, ...]:
        return self._path[tracker_id]

    def display_path(self, tracker_id: int) -> str:
        return "/".join(self._path[tracker_id])

    def archived(self, tracker_id: int) -> bool:
        """Archived itself or under an archived ancestor."""
        return self._archived[tracker_id]

    def subtree(self, tracker_id: int) -> set[int]:
        """``tracker_id`` and all its descendants."""
        out: set[int] = set()
        stack = [tracker_id]
        while stack:
            current = stack.pop()
            out.add(current)
            stack.extend(r.id for r in self._children.get(current, []))
        return out

    def trackable_under(self, roots: tuple[int, ...]) -> frozenset[int]:
        """The subtrees of ``roots`` (ids not in the tree ignored), minus archived
        trackers; remembered per set of roots (at most a few thousand sets)."""
        found = self._trackable.get(roots)
        if found is None:
            out: set[int] = set()
            for root in roots:
                if root in self._rows:
                    out |= self.subtree(root)
            found = frozenset(t for t in out if not self._archived[t])
            if len(self._trackable) < 4096:
                self._trackable[roots] = found
        return found

    def ancestors(self, tracker_id: int) -> list[int]:
        """Parent first, root last."""
        out: list[int] = []
        parent = self._rows[tracker_id].parent_id
        while parent is not None and parent in self._rows and parent not in out:
            out.append(parent)
            parent = self._rows[parent].parent_id
        return out

    def find_path(self, path: str) -> int | None:
        """The tracker at ``"Acme/Website"`` (case-insensitive segments)."""
        wanted = tuple(p.strip().casefold() for p in path.split("/") if p.strip())
        for tracker_id, have in self._path.items():
            if tuple(p.casefold() for p in have) == wanted:
                return tracker_id
        return None

    def child_named(self, parent_id: int | None, name: str) -> int | None:
        for row in self._children.get(parent_id, []):
            if row.name.casefold() == name.casefold():
                return row.id
        return None

    def ref(self, tracker_id: int, trackable: bool) -> TrackerRef:
        row = self._rows[tracker_id]
        return TrackerRef(row.id, row.name, row.abbreviation, trackable)

    def tree(self, visible: AbstractSet[int]) -> TrackerTree:
        """The ``visible`` trackers in tree order, each parented to its nearest visible
        ancestor; depth and path stay those of the full tree."""
        from tracktray.domain.trackertree import Tracker, TrackerTree  # not for status

        out: list[Tracker] = []
        for tracker_id in self._order:
            if tracker_id not in visible:
                continue
            parent = next((a for a in self.ancestors(tracker_id) if a in visible), None)
            row = self._rows[tracker_id]
            out.append(
                Tracker(
                    id=tracker_id,
                    name=row.name,
                    depth=self._depth[tracker_id],
                    parent_id=parent,
                    path=self._path[tracker_id],
                    abbreviation=row.abbreviation,
                    trackable=True,
                )
            )
        return TrackerTree(out)
