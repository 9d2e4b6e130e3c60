"""Fetch the manifest and the artifact over HTTPS, checking size and SHA-256 as it comes.

Runs on a worker thread (never the Qt thread). The artifact is streamed to
``<file>.part`` and renamed only when its size and SHA-256 match the signed manifest: a
truncated, padded or altered download never takes the final name. A server that stops
sending fails after ``stall_timeout_s`` without data; :class:`threading.Event` ``cancel``
stops a download at the next chunk (the widget sets it at quit).
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from tracktray.api._httpx import httpx
from tracktray.updater.manifest import Artifact, ManifestError

__all__ = ["DownloadError", "download_artifact", "fetch_text", "resolve"]

CHUNK = 256 * 1024
MANIFEST_LIMIT = 256 * 1024


class DownloadError(ValueError):
    """The download failed or did not match the manifest; the sentence says why."""


def resolve(base: str, relative: str) -> str:
    """The artifact's address: ``relative`` to the manifest's, and https only."""
    url = urljoin(base, relative)
    if urlsplit(url).scheme != "https":
        raise ManifestError("The release's files are not served over https.")
    return url


def _timeout(stall_timeout_s: float) -> httpx.Timeout:
    return httpx.Timeout(connect=15.0, read=stall_timeout_s, write=15.0, pool=15.0)


def fetch_text(client: httpx.Client, url: str, *, stall_timeout_s: float = 30.0) -> bytes:
    """A small file (the manifest, its signature), at most 256 KiB."""
    try:
        with client.stream("GET", url, timeout=_timeout(stall_timeout_s)) as answer:
            if answer.status_code != 200:
                raise DownloadError(f"The update server answered {answer.status_code} for {url}.")
            body = b""
            for chunk in answer.iter_bytes():
                body += chunk
                if len(body) > MANIFEST_LIMIT:
                    raise DownloadError(f"{url} is far too big for a release manifest.")
            return body
    except httpx.HTTPError as exc:
        raise DownloadError(f"The update could not be fetched from {url}: {exc}") from None


def download_artifact(
    client: httpx.Client,
    url: str,
    artifact: Artifact,
    target: Path,
    *,
    cancel: threading.Event | None = None,
    stall_timeout_s: float = 30.0,
) -> Path:
    """``target`` with exactly the bytes the manifest promised, or :class:`DownloadError`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    digest = hashlib.sha256()
    received = 0
    try:
        with (
            client.stream("GET", url, timeout=_timeout(stall_timeout_s)) as answer,
            part.open("wb") as out,
        ):
            if answer.status_code != 200:
                raise DownloadError(f"The update server answered {answer.status_code} for {url}.")
            for chunk in answer.iter_raw(CHUNK):
                if cancel is not None and cancel.is_set():
                    raise DownloadError("The update download was stopped.")
                received += len(chunk)
                if received > artifact.size:
                    raise DownloadError(
                        "The downloaded update is bigger than its signed manifest says."
                    )
                digest.update(chunk)
                out.write(chunk)
    except httpx.HTTPError as exc:
        part.unlink(missing_ok=True)
        raise DownloadError(f"The update download failed: {exc or type(exc).__name__}.") from None
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    if received != artifact.size:
        part.unlink(missing_ok=True)
        raise DownloadError(
            f"The update download was cut short ({received} of {artifact.size} bytes)."
        )
    if digest.hexdigest() != artifact.sha256:
        part.unlink(missing_ok=True)
        raise DownloadError("The downloaded update does not match its signed SHA-256.")
    part.replace(target)
    return target
