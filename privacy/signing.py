"""Signatures the hub's evidence carries: Ed25519 over exact bytes (RFC 8032).

Audit checkpoints and evidential bundles are signed with the hub's signing key
(`HUB_SIGNING_KEY`, or `signing_key` in the key file: the 32-byte Ed25519 private key, in
base64). Whoever holds the public key (PEM, `hub bundle public-key`) can check them with
nothing else. `key_id` names a public key: the first 16 hex digits of the SHA-256 of its
raw 32 bytes.

SM2 (GB/T 32918) is not offered: the `cryptography` library this layer is built on has no
SM2 signatures. Deployments under `HUB_CIPHER=sm4-gcm` sign with Ed25519 too (see README).
"""

from __future__ import annotations

import base64
import binascii
import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

ALGORITHM = "Ed25519"


class SignatureError(Exception):
    """A key that cannot be read, or a signature that does not verify."""


def _raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id_of(public: Ed25519PublicKey) -> str:
    return hashlib.sha256(_raw(public)).hexdigest()[:16]


class Signer:
    """Signs with the hub's private key; never shows it (`repr` hides it)."""

    __slots__ = ("_private", "key_id", "public")

    def __init__(self, private: Ed25519PrivateKey) -> None:
        self._private = private
        self.public = private.public_key()
        self.key_id = key_id_of(self.public)

    @classmethod
    def from_seed(cls, seed: bytes) -> Signer:
        if len(seed) != 32:
            raise SignatureError("an Ed25519 private key is 32 bytes")
        return cls(Ed25519PrivateKey.from_private_bytes(seed))

    @classmethod
    def generate(cls) -> Signer:
        return cls(Ed25519PrivateKey.generate())

    def sign(self, data: bytes) -> str:
        """The signature of `data`, base64."""
        return base64.b64encode(self._private.sign(data)).decode("ascii")

    def public_pem(self) -> str:
        return self.public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode("ascii")

    def verifier(self) -> Verifier:
        return Verifier(self.public)

    def __repr__(self) -> str:
        return f"Signer(key_id={self.key_id!r})"


class Verifier:
    """Checks signatures with a public key alone."""

    __slots__ = ("key_id", "public")

    def __init__(self, public: Ed25519PublicKey) -> None:
        self.public = public
        self.key_id = key_id_of(public)

    @classmethod
    def from_pem(cls, pem: bytes | str) -> Verifier:
        data = pem.encode("ascii") if isinstance(pem, str) else pem
        try:
            key = serialization.load_pem_public_key(data)
        except ValueError:  # cryptography's message is a paragraph with a URL
            raise SignatureError("not a PEM public key") from None
        if not isinstance(key, Ed25519PublicKey):
            raise SignatureError("the public key is not an Ed25519 key")
        return cls(key)

    def verify(self, data: bytes, signature: str) -> bool:
        try:
            raw = base64.b64decode(signature, validate=True)
        except (binascii.Error, ValueError):
            return False
        try:
            self.public.verify(raw, data)
        except InvalidSignature:
            return False
        return True
