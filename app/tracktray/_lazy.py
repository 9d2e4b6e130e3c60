"""What loads on first use, written once for all.

- Names a package exports (PEP 562): a package lists where each of its lazy names
  lives; :func:`lazy_exports` makes the package's module ``__getattr__``, which imports
  that home on the first access. The packages that do this (domain, contracts,
  accounts, api, engine) keep what their commands do not need — SQLAlchemy, httpx, the
  whole domain model — out of a start that only reads a status.
- Modules another library imports for what we never call (:func:`load_on_first_use`):
  the module waits in ``sys.modules`` and its code runs when a name is first asked of
  it (``store/keyring_import.py``).
"""

from __future__ import annotations

import _thread
import sys
import types

TYPE_CHECKING = False  # typing itself is not imported at run time (a few ms per command)
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

__all__ = ["has_run", "lazy_exports", "load_on_first_use"]


def lazy_exports(package: str, homes: Mapping[str, str]) -> Callable[[str], Any]:
    """The ``__getattr__`` of ``package``: each name in ``homes`` from its home module."""

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        import importlib  # on first use: importlib brings warnings, ~1 ms a status need not pay

        return getattr(importlib.import_module(home), name)

    return __getattr__


class _RunsOnFirstUse(types.ModuleType):
    """A module whose code has not run yet: the first name asked of it that it lacks
    runs the code into this very object, which then is an ordinary module.

    ``importlib.util.LazyLoader`` runs a module's code on the first read of any of its
    attributes, and on Python 3.11 every ``import`` statement reads ``__spec__``: the
    next ``import subprocess`` anywhere would run it. Here ``__spec__`` and the other
    attributes an import sets are there from the start, and only a missing name runs
    the code. (PySide6's import hook asks each imported module for ``__wrapped__``, so
    in a process with Qt, the widget's, these modules run as they are imported.)"""

    def __getattr__(self, attr: str) -> Any:
        name = self.__name__
        with _locks.get(name, _no_lock):
            if type(self) is _RunsOnFirstUse and name not in _running:
                _running.add(name)
                try:
                    self.__spec__.loader.exec_module(self)  # type: ignore[union-attr]
                except BaseException:
                    if sys.modules.get(name) is self:
                        del sys.modules[name]  # as a failed import leaves it: not there
                    raise
                finally:
                    _running.discard(name)
                self.__class__ = types.ModuleType  # type: ignore[assignment]
        if type(self) is _RunsOnFirstUse:  # asked while its own code runs (a cycle)
            raise AttributeError(f"partially initialized module {name!r} has no attribute {attr!r}")
        return getattr(self, attr)


def load_on_first_use(name: str) -> None:
    """Put module ``name`` in ``sys.modules`` with its code to run on first use;
    nothing where it is loaded already, cannot be found, or is not Python code (an
    extension module is made as it is loaded: nothing to wait for)."""
    if name in sys.modules:
        return
    import importlib.machinery
    import importlib.util

    parent, _, child = name.rpartition(".")
    if parent:
        __import__(parent)
    spec = importlib.util.find_spec(name)
    if (
        spec is None
        or spec.origin in (None, "built-in", "frozen")
        or not hasattr(spec.loader, "get_code")  # runs a code object (source, .pyc, a bundle)
        or isinstance(spec.loader, importlib.machinery.ExtensionFileLoader)
    ):
        return
    module = importlib.util.module_from_spec(spec)
    module.__class__ = _RunsOnFirstUse
    _locks[name] = _thread.RLock()
    sys.modules[name] = module
    if parent:
        setattr(sys.modules[parent], child, module)


def has_run(name: str) -> bool:
    """Whether module ``name``'s code has run in this process (or runs now)."""
    module = sys.modules.get(name)
    return module is not None and (type(module) is not _RunsOnFirstUse or name in _running)


#: each module's code runs once, whichever thread asks first (the widget calls keyring
#: on worker threads): a lock per module, as the import system has
_locks: dict[str, Any] = {}
_no_lock = _thread.RLock()
_running: set[str] = set()
