"""Which certificate authorities a server account trusts when it names no CA file.

The system's own store, as the user's browser and ``curl`` use it (an administrator's
company CA included), read the cheap way; certifi's bundle only where Python finds no
system store.

Why not simply ``ssl.create_default_context()`` plus certifi, as before: with OpenSSL 3
every certificate of a bundle file is parsed when the context is made, ~25 ms for the
system's ~150 and ~20 ms for certifi's ~120 on this project's machines, on every
``tracktray status`` and each account's opening, and all of them kept in memory for
the whole run. A hashed certificate directory (``c_rehash``: Debian, Ubuntu, Arch, SUSE…)
is read lazily instead: OpenSSL opens only the file of the issuer it needs, during the
handshake. Where the directory is not hashed (Fedora's has none), the system's bundle
file is loaded as OpenSSL would. ``SSL_CERT_FILE`` and ``SSL_CERT_DIR`` still choose.

Windows: the system store is read through Python (``load_default_certs``), and certifi
is added on top, since Windows fills its root store on demand (as CryptoAPI verifies),
which OpenSSL never triggers.
"""

from __future__ import annotations

import os
import ssl
import sys

__all__ = ["certifi_bundle", "system_store", "trusting_context"]

#: "5a5372fc.0": OpenSSL's subject-hash file names in a hashed certificate directory.
_HASH_DIGITS = frozenset("0123456789abcdef")


def trusting_context() -> ssl.SSLContext:
    """Python's default client context (verification on), trusting the system's store,
    or certifi's bundle where there is none (see the module's docstring)."""
    if sys.platform == "win32":
        context = ssl.create_default_context()  # the system's stores
        context.load_verify_locations(certifi_bundle())
        return context
    store = system_store()
    if store is None:  # Python builds without one (macOS installers, frozen bundles)
        return ssl.create_default_context(cafile=certifi_bundle())
    cafile, capath = store
    return ssl.create_default_context(cafile=cafile, capath=capath)


def system_store() -> tuple[str | None, str | None] | None:
    """The system's store as ``(cafile, capath)`` for ``load_verify_locations``, from
    OpenSSL's defaults as ``SSL_CERT_FILE`` and ``SSL_CERT_DIR`` name them: the hashed
    directory alone where there is one (read lazily) and ``SSL_CERT_FILE`` chose no file,
    else the file (with the hashed directory, as OpenSSL's own defaults load both). A
    directory without hash names is of no use to OpenSSL. None when nothing is left."""
    paths = ssl.get_default_verify_paths()  # None for what does not exist
    hashed = paths.capath if paths.capath and _is_hashed(paths.capath) else None
    if hashed and paths.openssl_cafile_env not in os.environ:
        return None, hashed
    if paths.cafile or hashed:
        return paths.cafile, hashed
    return None


def _is_hashed(directory: str) -> bool:
    """Whether ``directory`` has OpenSSL's subject-hash names (``5a5372fc.0``)."""
    try:
        with os.scandir(directory) as entries:
            return any(_is_hash_name(entry.name) for entry in entries)
    except OSError:
        return False


def _is_hash_name(name: str) -> bool:
    stem, dot, number = name.partition(".")
    return bool(dot) and len(stem) == 8 and set(stem) <= _HASH_DIGITS and number.isdigit()


def certifi_bundle() -> str:
    """certifi's CA file (``certifi.where()``), found without importing certifi where it
    lies in a folder: certifi's import loads ``importlib.resources`` (~2 MiB kept for
    the whole run) to say where its own ``cacert.pem`` is. Anywhere else (a zip), certifi
    says it."""
    import importlib.util

    spec = importlib.util.find_spec("certifi")
    if spec is not None and spec.origin:
        bundle = os.path.join(os.path.dirname(spec.origin), "cacert.pem")
        if os.path.isfile(bundle):
            return bundle
    import certifi

    return certifi.where()
