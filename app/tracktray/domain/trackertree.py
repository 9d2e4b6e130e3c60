"""The tracker tree: built once from (id, depth, name) rows in tree order.

Both the engine (from its table) and the TrackMyPeople client (from the arrow-prefixed
`trackers` list) produce rows in depth-first order; this module turns them into a tree
with parent links and display paths, and finds trackers from what a person types.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from tracktray.i18n import _

PATH_SEPARATOR = " / "


@dataclass(frozen=True, slots=True)
class Tracker:
    """One tracker and its place in the tree."""

    id: int
    name: str
    depth: int
    parent_id: int | None
    path: tuple[str, ...]
    abbreviation: str = ""
    trackable: bool = True

    @property
    def display_path(self) -> str:
        return PATH_SEPARATOR.join(self.path)


class AmbiguousTracker(LookupError):
    """A query matched several trackers; ``candidates`` lists them."""

    def __init__(self, query: str, candidates: Sequence[Tracker]) -> None:
        self.query = query
        self.candidates = tuple(candidates)
        names = ", ".join(t.display_path for t in candidates)
        super().__init__(
            _("“{query}” matches several trackers: {names}.").format(query=query, names=names)
        )


class UnknownTracker(LookupError):
    def __init__(self, query: str) -> None:
        self.query = query
        super().__init__(_("No tracker matches “{query}”.").format(query=query))


class TrackerTree:
    """An ordered, immutable tree of trackers."""

    __slots__ = ("_by_id", "_children", "_order")

    def __init__(self, trackers: Iterable[Tracker] = ()) -> None:
        self._order: tuple[Tracker, ...] = tuple(trackers)
        self._by_id = {t.id: t for t in self._order}
        children: dict[int | None, list[Tracker]] = {}
        for t in self._order:
            children.setdefault(t.parent_id, []).append(t)
        self._children = {k: tuple(v) for k, v in children.items()}

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[tuple[int, int, str]],
        *,
        abbreviations: dict[int, str] | None = None,
        untrackable: frozenset[int] = frozenset(),
    ) -> TrackerTree:
        """Build from ``(id, depth, name)`` in depth-first order.

        A row deeper than its predecessor by more than one level is attached to the
        nearest shallower ancestor rather than dropped: losing a tracker is worse
        than showing it one level too high.
        """
        abbreviations = abbreviations or {}
        stack: list[Tracker] = []
        out: list[Tracker] = []
        for tracker_id, depth, name in rows:
            depth = max(0, depth)
            while stack and stack[-1].depth >= depth:
                stack.pop()
            parent = stack[-1] if stack else None
            real_depth = parent.depth + 1 if parent else 0
            tracker = Tracker(
                id=tracker_id,
                name=name,
                depth=real_depth,
                parent_id=parent.id if parent else None,
                path=(*parent.path, name) if parent else (name,),
                abbreviation=abbreviations.get(tracker_id, ""),
                trackable=tracker_id not in untrackable,
            )
            out.append(tracker)
            stack.append(tracker)
        return cls(out)

    def __iter__(self) -> Iterator[Tracker]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, tracker_id: object) -> bool:
        return tracker_id in self._by_id

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TrackerTree) and self._order == other._order

    def __hash__(self) -> int:
        return hash(self._order)

    def __repr__(self) -> str:
        return f"TrackerTree({len(self._order)} trackers)"  # not translated: for debugging

    def get(self, tracker_id: int) -> Tracker | None:
        return self._by_id.get(tracker_id)

    def roots(self) -> tuple[Tracker, ...]:
        return self._children.get(None, ())

    def children(self, tracker_id: int) -> tuple[Tracker, ...]:
        return self._children.get(tracker_id, ())

    def find(self, query: str) -> Tracker:
        """The one tracker ``query`` names: an id, a full path, or a unique part.

        Matching is case-insensitive; paths may be written with "/" or " / ".
        Raises :class:`UnknownTracker` or :class:`AmbiguousTracker`.
        """
        q = query.strip()
        if q.isdigit() and int(q) in self._by_id:
            return self._by_id[int(q)]
        norm = _normalize(q)
        if not norm:
            raise UnknownTracker(query)
        exact = [t for t in self._order if _normalize(t.display_path) == norm]
        if len(exact) == 1:
            return exact[0]
        by_name = [t for t in self._order if t.name.casefold() == norm]
        if len(by_name) == 1:
            return by_name[0]
        partial = [t for t in self._order if norm in _normalize(t.display_path)]
        # "web" names "Acme / Website" even though "Acme / Website / Design" contains it
        # too: prefer the shallowest matches when they are the ancestors of all others.
        if partial:
            tops = [t for t in partial if not _has_ancestor_in(t, partial, self)]
            if len(tops) == 1:
                return tops[0]
            raise AmbiguousTracker(query, tops)
        raise UnknownTracker(query)


def _normalize(text: str) -> str:
    parts = [p.strip() for p in text.casefold().split("/")]
    return "/".join(p for p in parts if p)


def _has_ancestor_in(tracker: Tracker, pool: Sequence[Tracker], tree: TrackerTree) -> bool:
    ids = {t.id for t in pool}
    parent = tracker.parent_id
    while parent is not None:
        if parent in ids:
            return True
        found = tree.get(parent)
        parent = found.parent_id if found else None
    return False
