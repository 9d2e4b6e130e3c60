"""Ed25519 signatures in minisign's format, verified (and made) with ``cryptography``.

Formats (https://jedisct1.github.io/minisign/):

- public key: ``untrusted comment: …`` then base64 of ``"Ed" + key id (8) + key (32)``;
- signature (``.minisig``): ``untrusted comment: …``, base64 of ``alg (2) + key id (8) +
  signature (64)``, ``trusted comment: …``, base64 of the global signature (64) over
  ``signature + trusted comment``. ``alg`` is ``"ED"`` (the signature covers the BLAKE2b-512
  of the file; minisign's default since 0.8) or ``"Ed"`` (the file itself, legacy);
- secret key: only the unencrypted form (``minisign -G -W``, or :func:`generate`):
  base64 of ``"Ed" + kdf "\\0\\0" + "B2" + salt (32) + opslimit (8) + memlimit (8) +
  key id (8) + secret key (64: seed + public key) + BLAKE2b-256 checksum (32)``.

Both signatures must hold: the global one binds the trusted comment (which names the
file) to the signature. Every failure is a :class:`SignatureError` with one sentence.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass

__all__ = [
    "PublicKey",
    "SecretKey",
    "Signature",
    "SignatureError",
    "generate",
    "sign",
    "verify",
]

_ED = b"Ed"
_PREHASHED = b"ED"


class SignatureError(ValueError):
    """A signature that does not verify, or a key or signature file that cannot be read."""


def _decode(line: str, size: int, what: str) -> bytes:
    try:
        raw = base64.b64decode(line.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise SignatureError(f"The {what} is not valid base64.") from None
    if len(raw) != size:
        raise SignatureError(f"The {what} has the wrong length.")
    return raw


def _lines(text: str, count: int, what: str) -> list[str]:
    lines = [line for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
    if len(lines) < count:
        raise SignatureError(f"The {what} is incomplete.")
    return lines


@dataclass(frozen=True)
class PublicKey:
    """A minisign public key: its id and Ed25519 key."""

    key_id: bytes
    key: bytes

    @classmethod
    def parse(cls, text: str) -> PublicKey:
        """A ``minisign.pub`` file, or just its base64 line."""
        lines = _lines(text, 1, "public key")
        line = (
            lines[1] if lines[0].startswith("untrusted comment:") and len(lines) > 1 else lines[0]
        )
        raw = _decode(line, 42, "public key")
        if raw[:2] != _ED:
            raise SignatureError("The public key is not an Ed25519 minisign key.")
        return cls(raw[2:10], raw[10:])

    def text(self, comment: str = "minisign public key") -> str:
        line = base64.b64encode(_ED + self.key_id + self.key).decode()
        return f"untrusted comment: {comment}\n{line}\n"

    @property
    def id_hex(self) -> str:
        return self.key_id[::-1].hex().upper()  # as minisign prints it


@dataclass(frozen=True)
class Signature:
    """A minisign signature with its trusted comment."""

    algorithm: bytes
    key_id: bytes
    signature: bytes
    trusted_comment: str
    global_signature: bytes

    @classmethod
    def parse(cls, text: str) -> Signature:
        lines = _lines(text, 4, "signature file")
        if not lines[0].startswith("untrusted comment:"):
            raise SignatureError("The signature file does not start with a comment line.")
        raw = _decode(lines[1], 74, "signature")
        if raw[:2] not in (_ED, _PREHASHED):
            raise SignatureError("The signature is not an Ed25519 minisign signature.")
        prefix = "trusted comment: "
        if not lines[2].startswith(prefix):
            raise SignatureError("The signature file has no trusted comment.")
        return cls(
            raw[:2],
            raw[2:10],
            raw[10:],
            lines[2][len(prefix) :],
            _decode(lines[3], 64, "signature"),
        )

    def text(self, untrusted: str = "signature from tracktray") -> str:
        sig = base64.b64encode(self.algorithm + self.key_id + self.signature).decode()
        glob = base64.b64encode(self.global_signature).decode()
        return (
            f"untrusted comment: {untrusted}\n{sig}\n"
            f"trusted comment: {self.trusted_comment}\n{glob}\n"
        )


@dataclass(frozen=True)
class SecretKey:
    """A minisign secret key: its id and Ed25519 seed."""

    key_id: bytes
    seed: bytes

    @property
    def public(self) -> PublicKey:
        return PublicKey(self.key_id, _ed25519_public(self.seed))

    @classmethod
    def parse(cls, text: str) -> SecretKey:
        lines = _lines(text, 1, "secret key")
        line = (
            lines[1] if lines[0].startswith("untrusted comment:") and len(lines) > 1 else lines[0]
        )
        raw = _decode(line, 158, "secret key")
        if raw[:2] != _ED or raw[4:6] != b"B2":
            raise SignatureError("The secret key is not an Ed25519 minisign key.")
        if raw[2:4] != b"\0\0":
            raise SignatureError(
                "The secret key is password-protected; make one without a password "
                "(minisign -G -W, or tracktray-server release keygen)."
            )
        key_id, secret, checksum = raw[54:62], raw[62:126], raw[126:158]
        # minisign 0.11 leaves the checksum of an unencrypted key zero
        expected = hashlib.blake2b(_ED + key_id + secret, digest_size=32).digest()
        if checksum not in (expected, bytes(32)):
            raise SignatureError("The secret key is damaged (its checksum does not match).")
        return cls(key_id, secret[:32])

    def text(self, comment: str = "minisign secret key (unencrypted)") -> str:
        secret = self.seed + _ed25519_public(self.seed)
        checksum = hashlib.blake2b(_ED + self.key_id + secret, digest_size=32).digest()
        raw = _ED + b"\0\0" + b"B2" + bytes(48) + self.key_id + secret + checksum
        return f"untrusted comment: {comment}\n{base64.b64encode(raw).decode()}\n"


def _ed25519_public(seed: bytes) -> bytes:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    private = Ed25519PrivateKey.from_private_bytes(seed)
    return private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def generate() -> SecretKey:
    """A new key pair (unencrypted secret key: keep the file private)."""
    return SecretKey(os.urandom(8), os.urandom(32))


def sign(data: bytes, key: SecretKey, trusted_comment: str) -> Signature:
    """A prehashed ("ED") signature of ``data``, as ``minisign -S`` makes it."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    if "\n" in trusted_comment or "\r" in trusted_comment:
        raise SignatureError("A trusted comment is one line.")
    private = Ed25519PrivateKey.from_private_bytes(key.seed)
    signature = private.sign(hashlib.blake2b(data, digest_size=64).digest())
    global_signature = private.sign(signature + trusted_comment.encode())
    return Signature(_PREHASHED, key.key_id, signature, trusted_comment, global_signature)


def verify(data: bytes, signature: Signature, keys: tuple[PublicKey, ...]) -> PublicKey:
    """The key of ``keys`` that signed ``data``; :class:`SignatureError` otherwise."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    key = next((k for k in keys if k.key_id == signature.key_id), None)
    if key is None:
        raise SignatureError(
            f"The release is signed with a key this tracktray does not trust "
            f"(key id {signature.key_id[::-1].hex().upper()})."
        )
    public = Ed25519PublicKey.from_public_bytes(key.key)
    message = (
        hashlib.blake2b(data, digest_size=64).digest()
        if signature.algorithm == _PREHASHED
        else data
    )
    try:
        public.verify(signature.signature, message)
        public.verify(
            signature.global_signature,
            signature.signature + signature.trusted_comment.encode(),
        )
    except InvalidSignature:
        raise SignatureError("The release's signature does not match its contents.") from None
    return key
