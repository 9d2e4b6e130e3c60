"""keyring's package, imported without what it imports for helpers tracktray never calls.

Importing keyring costs ~55 ms in a process that has little else loaded, and about
half of it is not keyring's own:

- jaraco.context, for one exception trap, imports ``urllib.request`` (with http.client and
  the email package), ``subprocess`` and ``tempfile`` for its download and checkout helpers;
- jaraco.functools, for one decorator, imports ``inspect`` and more_itertools;
- keyring's core imports ``configparser`` for its ``keyringrc.cfg``, read only where the
  environment names no backend, and logging imports ``traceback`` for formatting errors;
- keyring imports ``importlib_metadata`` (``importlib.metadata`` from Python 3.12) for
  the entry-point scan of its backend discovery, which :mod:`.credentials` skips where
  the answer is plain.

Each of those not loaded yet waits in ``sys.modules`` to run its code until something
asks it for a name (``tracktray._lazy.load_on_first_use``): the same module object,
whoever imported it, and a process that uses it pays for it then. Nothing is done once
keyring is loaded. About 25 ms less for every ``tracktray status`` whose
keyring is keyring's (a named backend, the macOS Keychain, the Windows Credential
Locker) and for every call of the widget's keyring helper.
"""

from __future__ import annotations

import sys

from tracktray._lazy import load_on_first_use

TYPE_CHECKING = False  # typing is not imported at run time (a few ms per command)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["LOADED_ON_FIRST_USE", "import_keyring"]

#: modules keyring's import brings that none of the keyring calls tracktray makes runs
#: (each, in a process that has not loaded it, waits for its first use)
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
    "ipaddress",  # urllib.parse (pathlib's), for bracketed hosts; api/_http.py, for loopback
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
