"""``seconds_between(start, stop)``: whole seconds between two stored instants, in SQL.

Summing durations in the database keeps ``status`` and ``daytotal`` as fast with 500
blocks today as with 5. The arithmetic differs per dialect, hence a compiled construct.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

__all__ = ["seconds_between"]


class _SecondsBetween(FunctionElement[int]):
    type = Integer()
    inherit_cache = True
    name = "seconds_between"


def seconds_between(start: ColumnElement[Any], stop: ColumnElement[Any]) -> _SecondsBetween:
    return _SecondsBetween(start, stop)


def _operands(element: _SecondsBetween, compiler: SQLCompiler, **kw: Any) -> tuple[str, str]:
    start, stop = element.clauses
    return compiler.process(start, **kw), compiler.process(stop, **kw)


@compiles(_SecondsBetween)
def _standard(element: _SecondsBetween, compiler: SQLCompiler, **kw: Any) -> str:
    start, stop = _operands(element, compiler, **kw)  # PostgreSQL: interval -> epoch
    return f"CAST(EXTRACT(EPOCH FROM ({stop} - {start})) AS INTEGER)"


@compiles(_SecondsBetween, "sqlite")
def _sqlite(element: _SecondsBetween, compiler: SQLCompiler, **kw: Any) -> str:
    start, stop = _operands(element, compiler, **kw)
    return f"CAST(ROUND((julianday({stop}) - julianday({start})) * 86400) AS INTEGER)"
