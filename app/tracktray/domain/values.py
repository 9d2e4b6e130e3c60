"""Immutable value classes without :mod:`dataclasses`, for the values every status builds.

``tracktray status`` and the widget's first answer build a handful of values (the status,
its running block, tracker references, the account); as frozen dataclasses they cost the
``dataclasses`` import (it imports ``inspect``, with ``ast``, ``dis`` and ``tokenize``)
and ~0.5 ms per class defined — more than reading the status itself. :class:`Value`
gives what a frozen dataclass gives them — equality and hashing by the fields, a
``Name(field=value, …)`` repr, no assignment after ``__init__`` — plus :meth:`replace`
(``dataclasses.replace``) and :meth:`as_dict` (``dataclasses.asdict`` one level deep).
A subclass lists its fields in ``_fields`` (their order) and ``__slots__``, and sets them
in ``__init__`` with :data:`set_field`.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any, ClassVar, Self

__all__ = ["Value", "set_field"]

#: how ``__init__`` sets a field of an immutable value
set_field = object.__setattr__


class Value:
    """Base of an immutable value: equal, hashed and shown by its fields."""

    __slots__ = ()
    #: the fields, in the order ``__init__`` takes them and ``repr`` shows them
    _fields: ClassVar[tuple[str, ...]] = ()

    def _values(self) -> tuple[Any, ...]:
        return tuple([getattr(self, name) for name in self._fields])

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Value)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__qualname__}({shown})"

    def __setattr__(self, name: str, value: object) -> None:
        # not translated: a programming error, never shown to a person
        raise AttributeError(f"cannot assign to field {name!r} of an immutable value")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r} of an immutable value")

    def __reduce__(self) -> tuple[type[Self], tuple[Any, ...]]:
        # copy and pickle rebuild it through __init__ (the fields in their order)
        return type(self), self._values()

    def replace(self, **changes: Any) -> Self:
        """A copy with ``changes`` (field name → value), like ``dataclasses.replace``."""
        unknown = set(changes).difference(self._fields)
        if unknown:
            raise TypeError(f"{type(self).__qualname__} has no field {sorted(unknown)[0]!r}")
        values = {name: getattr(self, name) for name in self._fields}
        values.update(changes)
        make: Any = type(self)
        return make(**values)  # type: ignore[no-any-return]

    def as_dict(self) -> dict[str, Any]:
        """The fields by name, in their order (values as they are, not converted)."""
        return {name: getattr(self, name) for name in self._fields}
