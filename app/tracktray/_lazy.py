"""Names a package exports but loads on first use (PEP 562), written once for all.

A package lists where each of its lazy names lives; :func:`lazy_exports` makes the
package's module ``__getattr__``, which imports that home on the first access. The
packages that do this (domain, contracts, accounts, api, engine) keep what their
commands do not need — SQLAlchemy, httpx, the whole domain model — out of a start that
only reads a status.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself is not imported at run time (a few ms per command)
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(package: str, homes: Mapping[str, str]) -> Callable[[str], Any]:
    """The ``__getattr__`` of ``package``: each name in ``homes`` from its home module."""

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        import importlib  # on first use: importlib brings warnings, ~1 ms a status need not pay

        return getattr(importlib.import_module(home), name)

    return __getattr__
