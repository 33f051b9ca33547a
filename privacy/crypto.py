"""Field encryption at rest, key rings and blind indexes.

Exceptions::

    CryptoError
     ├── TamperedCiphertext   wrong associated data, flipped bit, malformed token
     ├── UnknownKey           the token names a key id the ring does not hold
     └── KeyConfigError       bad key material or configuration

Token format (text, safe to store in a VARCHAR column)::

    v1.<key_id>.<alg>.<base64url(nonce || ciphertext || tag)>

``alg`` is ``a256gcm`` (AES-256-GCM) or ``sm4gcm`` (SM4-GCM, GB/T 32907 block cipher in
GCM mode as in RFC 8998, for deployments that must use commercial cryptography 商用密码).
The associated data binds the token header and the location of the value
(``table``, ``field``, ``record_id``), so a ciphertext copied to another row or column
does not decrypt.

SM4 keys are 128 bits; they are derived from the ring's 32-byte key with HKDF-SM3
(``info = b"onematter/sm4-gcm/v1"``), so one key ring serves both algorithms.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Literal

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = [
    "ALGORITHMS",
    "BlindIndex",
    "CryptoError",
    "FieldCipher",
    "KeyConfigError",
    "KeyRing",
    "TamperedCiphertext",
    "UnknownKey",
    "blind_index",
    "configure_blind_index",
    "normalize_for_index",
]


class CryptoError(Exception):
    """Base of every error raised by :mod:`privacy.crypto`."""


class TamperedCiphertext(CryptoError):
    """The token does not authenticate: altered, moved to another field, or malformed."""


class UnknownKey(CryptoError):
    """The token was made with a key id that is not in the key ring."""

    def __init__(self, key_id: str) -> None:
        super().__init__(f"unknown key id {key_id!r}")
        self.key_id = key_id


class KeyConfigError(CryptoError):
    """Key material or key configuration is invalid."""


Algorithm = Literal["aes-256-gcm", "sm4-gcm"]
ALGORITHMS: dict[str, str] = {"aes-256-gcm": "a256gcm", "sm4-gcm": "sm4gcm"}
_ALG_BY_CODE = {code: name for name, code in ALGORITHMS.items()}
_VERSION = "v1"
_NONCE = 12
_TAG = 16
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_SM4_INFO = b"onematter/sm4-gcm/v1"


def _b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class KeyRing:
    """Versioned data-encryption keys ``{key_id: 32-byte key}`` with one active key.

    New ciphertexts use the active key; old ones keep decrypting while their key is in
    the ring. Retire a key only after :meth:`FieldCipher.rotate` has re-encrypted
    everything made with it.
    """

    __slots__ = ("_active", "_keys")

    def __init__(self, keys: Mapping[str, bytes], active: str) -> None:
        if not keys:
            raise KeyConfigError("a key ring needs at least one key")
        for key_id, key in keys.items():
            if not _KEY_ID.match(key_id):
                raise KeyConfigError(f"bad key id {key_id!r}: use 1-32 of A-Z a-z 0-9 _ -")
            if not isinstance(key, bytes | bytearray) or len(key) != 32:
                raise KeyConfigError(f"key {key_id!r} must be 32 bytes")
        if active not in keys:
            raise KeyConfigError(f"active key {active!r} is not in the ring")
        self._keys: dict[str, bytes] = {k: bytes(v) for k, v in keys.items()}
        self._active = active

    @classmethod
    def generate(cls, key_id: str = "k1") -> KeyRing:
        return cls({key_id: os.urandom(32)}, key_id)

    @property
    def active_id(self) -> str:
        return self._active

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self._keys)

    def key(self, key_id: str) -> bytes:
        try:
            return self._keys[key_id]
        except KeyError:
            raise UnknownKey(key_id) from None

    def __contains__(self, key_id: object) -> bool:
        return key_id in self._keys

    def with_key(self, key_id: str, key: bytes, *, activate: bool = True) -> KeyRing:
        """A new ring with ``key_id`` added (and made active unless ``activate=False``)."""
        if key_id in self._keys:
            raise KeyConfigError(f"key id {key_id!r} already in the ring")
        keys = {**self._keys, key_id: key}
        return KeyRing(keys, key_id if activate else self._active)

    def without(self, key_id: str) -> KeyRing:
        """A new ring with ``key_id`` retired. The active key cannot be retired."""
        if key_id == self._active:
            raise KeyConfigError("cannot retire the active key")
        self.key(key_id)
        return KeyRing({k: v for k, v in self._keys.items() if k != key_id}, self._active)

    def __repr__(self) -> str:
        return f"KeyRing(ids={list(self._keys)!r}, active={self._active!r})"


_AD_ENCODER = json.JSONEncoder(ensure_ascii=False)  # one for all: json.dumps builds one a call


def _associated_data(alg: str, key_id: str, table: str, field: str, record_id: object) -> bytes:
    # JSON array: unambiguous whatever characters the parts contain.
    return _AD_ENCODER.encode([_VERSION, alg, key_id, table, field, str(record_id)]).encode("utf-8")


class FieldCipher:
    """Authenticated encryption of single field values, bound to table/field/record."""

    def __init__(self, keyring: KeyRing, algorithm: Algorithm | str = "aes-256-gcm") -> None:
        if algorithm not in ALGORITHMS:
            raise KeyConfigError(f"unknown algorithm {algorithm!r}; use one of {list(ALGORITHMS)}")
        self.keyring = keyring
        self.algorithm = algorithm
        self._alg_code = ALGORITHMS[algorithm]
        self._aes: dict[str, AESGCM] = {}
        self._sm4: dict[str, bytes] = {}

    def __repr__(self) -> str:
        return f"FieldCipher({self.keyring!r}, algorithm={self.algorithm!r})"

    # -- key material -------------------------------------------------------------
    def _aes_for(self, key_id: str) -> AESGCM:
        aead = self._aes.get(key_id)
        if aead is None:
            aead = self._aes[key_id] = AESGCM(self.keyring.key(key_id))
        return aead

    def _sm4_key(self, key_id: str) -> bytes:
        key = self._sm4.get(key_id)
        if key is None:
            hkdf = HKDF(algorithm=hashes.SM3(), length=16, salt=None, info=_SM4_INFO)
            key = self._sm4[key_id] = hkdf.derive(self.keyring.key(key_id))
        return key

    # -- API ----------------------------------------------------------------------
    def encrypt(self, plaintext: bytes, *, table: str, field: str, record_id: object) -> str:
        key_id = self.keyring.active_id
        alg = self._alg_code
        ad = _associated_data(alg, key_id, table, field, record_id)
        nonce = os.urandom(_NONCE)
        if alg == "a256gcm":
            body = self._aes_for(key_id).encrypt(nonce, plaintext, ad)
        else:
            enc = Cipher(algorithms.SM4(self._sm4_key(key_id)), modes.GCM(nonce)).encryptor()
            enc.authenticate_additional_data(ad)
            body = enc.update(plaintext) + enc.finalize() + enc.tag
        return f"{_VERSION}.{key_id}.{alg}.{_b64e(nonce + body)}"

    def decrypt(self, token: str, *, table: str, field: str, record_id: object) -> bytes:
        key_id, alg, blob = _parse(token)
        key_id_known = key_id in self.keyring
        if not key_id_known:
            raise UnknownKey(key_id)
        ad = _associated_data(alg, key_id, table, field, record_id)
        nonce, body = blob[:_NONCE], blob[_NONCE:]
        try:
            if alg == "a256gcm":
                return self._aes_for(key_id).decrypt(nonce, body, ad)
            ct, tag = body[:-_TAG], body[-_TAG:]
            dec = Cipher(algorithms.SM4(self._sm4_key(key_id)), modes.GCM(nonce, tag)).decryptor()
            dec.authenticate_additional_data(ad)
            return dec.update(ct) + dec.finalize()
        except InvalidTag:
            raise TamperedCiphertext(
                f"{table}.{field} of {record_id!s} does not authenticate"
            ) from None

    def encrypt_text(self, text: str, *, table: str, field: str, record_id: object) -> str:
        return self.encrypt(text.encode("utf-8"), table=table, field=field, record_id=record_id)

    def decrypt_text(self, token: str, *, table: str, field: str, record_id: object) -> str:
        return self.decrypt(token, table=table, field=field, record_id=record_id).decode("utf-8")

    def key_id_of(self, token: str) -> str:
        return _parse(token)[0]

    def needs_rotation(self, token: str) -> bool:
        """True when the token was made with another key or algorithm than the active ones."""
        key_id, alg, _ = _parse(token)
        return key_id != self.keyring.active_id or alg != self._alg_code

    def rotate(self, token: str, *, table: str, field: str, record_id: object) -> str:
        """Re-encrypt under the active key and algorithm (the same token if already so)."""
        if not self.needs_rotation(token):
            return token
        plain = self.decrypt(token, table=table, field=field, record_id=record_id)
        return self.encrypt(plain, table=table, field=field, record_id=record_id)


def _parse(token: str) -> tuple[str, str, bytes]:
    if not isinstance(token, str):
        raise TamperedCiphertext("token is not text")
    parts = token.split(".")
    if len(parts) != 4 or parts[0] != _VERSION:
        raise TamperedCiphertext("not a v1 field token")
    _, key_id, alg, b64 = parts
    if alg not in _ALG_BY_CODE or not _KEY_ID.match(key_id):
        raise TamperedCiphertext("bad token header")
    try:
        blob = _b64d(b64)
    except (binascii.Error, ValueError):
        raise TamperedCiphertext("bad token body") from None
    if len(blob) < _NONCE + _TAG:
        raise TamperedCiphertext("token too short")
    return key_id, alg, blob


# ---------------------------------------------------------------------------------
# Blind indexes
# ---------------------------------------------------------------------------------
_ID_PURPOSES = frozenset({"id_number", "resident_id", "uscc", "passport"})
_PHONE_PURPOSES = frozenset({"phone", "mobile"})
_SPACE = re.compile(r"\s+")
_NON_DIGIT = re.compile(r"\D+")


def normalize_for_index(value: str, purpose: str) -> str:
    """Canonical form before hashing: NFKC, stripped, no inner spaces; ID numbers upper
    case (``x`` -> ``X``), phones digits only without the ``86`` country code, e-mail
    lower case."""
    text = _SPACE.sub("", unicodedata.normalize("NFKC", value))
    if purpose in _ID_PURPOSES:
        return text.replace("-", "").upper()
    if purpose in _PHONE_PURPOSES:
        digits = _NON_DIGIT.sub("", text)
        if len(digits) == 13 and digits.startswith("861"):
            digits = digits[2:]
        elif len(digits) > 11 and digits.startswith("0086"):
            digits = digits[4:]
        return digits
    if purpose == "email":
        return text.lower()
    return text


class BlindIndex:
    """Keyed, deterministic HMAC-SHA256 of a normalised value, for equality look-ups
    (the same party's ID number across cases) without decrypting. Use a key distinct
    from every encryption key."""

    __slots__ = ("_key",)

    def __init__(self, key: bytes) -> None:
        if not isinstance(key, bytes | bytearray) or len(key) < 16:
            raise KeyConfigError("blind index key must be at least 16 bytes")
        self._key = bytes(key)

    def __call__(self, value: str, *, purpose: str) -> str:
        return self.compute(value, purpose=purpose)

    def compute(self, value: str, *, purpose: str) -> str:
        msg = purpose.encode("utf-8") + b"\x00" + normalize_for_index(value, purpose).encode()
        return hmac.digest(self._key, msg, hashlib.sha256).hex()

    def many(self, values: Iterable[str], *, purpose: str) -> list[str]:
        return [self.compute(v, purpose=purpose) for v in values]

    def __repr__(self) -> str:
        return "BlindIndex(key=<redacted>)"


_default_index: BlindIndex | None = None


def configure_blind_index(key: bytes | BlindIndex | None) -> None:
    """Set (or with ``None`` reset) the key used by the module-level :func:`blind_index`."""
    global _default_index
    _default_index = key if isinstance(key, BlindIndex) or key is None else BlindIndex(key)


def blind_index(value: str, *, purpose: str) -> str:
    """HMAC-SHA256 blind index with the configured key (``HUB_BLIND_INDEX_KEY`` unless
    :func:`configure_blind_index` set one)."""
    global _default_index
    if _default_index is None:
        from privacy.config import load_blind_index_key_from_env

        _default_index = BlindIndex(load_blind_index_key_from_env())
    return _default_index.compute(value, purpose=purpose)
