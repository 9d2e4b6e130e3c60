"""keyring's package, imported without what it imports for helpers tracktray never calls.

Importing keyring costs ~55 ms, and most of it is not keyring's own:

- jaraco.context, for one exception trap, imports ``urllib.request`` (with http.client and
  the email package), ``subprocess`` and ``tempfile`` for its download and checkout helpers;
- jaraco.functools, for one decorator, imports ``inspect`` and more_itertools;
- keyring's core imports ``configparser`` for its ``keyringrc.cfg``, read only where the
  environment names no backend, and logging imports ``traceback`` for formatting errors;
- keyring imports ``importlib_metadata`` (``importlib.metadata`` from Python 3.12) for
  the entry-point scan of its backend discovery, which :mod:`.credentials` skips where
  the answer is plain.

Each of those becomes a module that runs its code the first time something asks it for
a name: the same module object, in ``sys.modules``, whoever imported it. Nothing is
replaced once keyring is loaded, nor a module that is loaded already; a process that
uses them pays for them then. About 25 ms less for every ``tracktray status`` whose
keyring is keyring's (a named backend, the macOS Keychain, the Windows Credential
Locker) and for every call of the widget's keyring helper.
"""

from __future__ import annotations

import _thread
import sys
import types

TYPE_CHECKING = False  # typing is not imported at run time (a few ms per command)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["LOADED_ON_FIRST_USE", "has_run", "import_keyring", "load_on_first_use"]

#: modules keyring's import brings that none of its calls tracktray makes runs
#: (the import of each, in a process that has not loaded it, waits for its first use)
LOADED_ON_FIRST_USE = (
    "urllib.request",  # jaraco.context.tarball
    "subprocess",  # jaraco.context.repo_context
    "tempfile",  # jaraco.context.temp_dir
    "inspect",  # jaraco.functools.assign_params
    "more_itertools",  # jaraco.functools.print_yielded, bypass_unless...
    "configparser",  # keyring.core.load_config, where a keyringrc.cfg exists
    "traceback",  # logging, when it formats an exception
    "bz2",  # shutil (imported by jaraco.context), for its archive formats
    "lzma",  # shutil, likewise
    "copy",  # keyring.backend and backports.tarfile, inside functions
    "ntpath",  # pathlib (keyring.util.platform_), for Windows paths
    "ipaddress",  # urllib.parse (pathlib), for bracketed hosts in URLs
    # keyring.compat.py312, for the entry-point scan of keyring's backend discovery,
    # which credentials._choose_backend skips where the answer is plain (its email
    # parser, zipp and csv: ~12 ms)
    "importlib.metadata" if sys.version_info >= (3, 12) else "importlib_metadata",
)


def import_keyring() -> Any:
    """keyring's package (and its errors), imported as this module describes."""
    if "keyring" not in sys.modules:
        for name in LOADED_ON_FIRST_USE:
            load_on_first_use(name)
    import keyring
    import keyring.errors

    return keyring


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
    nothing where it is loaded already or cannot be found."""
    if name in sys.modules:
        return
    import importlib.util

    parent, _, child = name.rpartition(".")
    if parent:
        __import__(parent)
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
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
