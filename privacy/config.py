"""Key material from configuration (never from the repository).

Environment:

- ``HUB_KEYS``: ``"k1:<base64>,k2:<base64>"`` data-encryption keys (32 bytes each), with
  ``HUB_ACTIVE_KEY`` naming the active one (default: the last listed);
- or ``HUB_KEYS_FILE``: a JSON file (mode 0600) written by :func:`generate_key_file`::

      {"keys": {"k1": "<base64>"}, "active": "k1",
       "blind_index_key": "<base64>", "pseudonym_key": "<base64>",
       "algorithm": "aes-256-gcm"}

- ``HUB_BLIND_INDEX_KEY``, ``HUB_PSEUDONYM_KEY``: base64, at least 16 bytes; override the
  file's entries.
- ``HUB_AUDIT_KEY`` (file: ``audit_key``): base64, at least 32 bytes, the HMAC key of the
  audit chains; its own key, distinct from every other.
- ``HUB_SIGNING_KEY`` (file: ``signing_key``): base64 of the 32-byte Ed25519 private key
  that signs audit checkpoints and evidential bundles (privacy.signing).
- ``HUB_CIPHER``: ``aes-256-gcm`` (default) or ``sm4-gcm``; overrides the file.

Nothing here logs or prints key material, and the objects' ``repr`` hide it.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from privacy.crypto import ALGORITHMS, FieldCipher, KeyConfigError, KeyRing

__all__ = [
    "PrivacyKeys",
    "add_key_to_file",
    "add_missing_keys_to_file",
    "generate_key_file",
    "load_audit_key_from_env",
    "load_blind_index_key_from_env",
    "load_field_cipher_from_env",
    "load_keyring_from_env",
    "load_privacy_keys",
    "load_pseudonym_key_from_env",
    "load_signing_seed_from_env",
    "retire_key_in_file",
]


def _decode(name: str, text: str, *, exact: int | None = None, minimum: int = 16) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        try:
            raw = base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4))
        except (binascii.Error, ValueError):
            raise KeyConfigError(f"{name} is not valid base64") from None
    if exact is not None and len(raw) != exact:
        raise KeyConfigError(f"{name} must decode to {exact} bytes, not {len(raw)}")
    if len(raw) < minimum:
        raise KeyConfigError(f"{name} must decode to at least {minimum} bytes")
    return raw


def _env(env: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if env is None else env


def key_file_from_env(env: Mapping[str, str] | None = None) -> str | None:
    """The key file's path when the keys live only there (``HUB_KEYS_FILE`` set and
    ``HUB_KEYS`` not): what key rotation rewrites and the vault watches."""
    values = _env(env)
    path = values.get("HUB_KEYS_FILE")
    return None if values.get("HUB_KEYS") or not path else path


def _read_file(env: Mapping[str, str]) -> dict[str, Any] | None:
    path = env.get("HUB_KEYS_FILE")
    if not path:
        return None
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise KeyConfigError(f"cannot read HUB_KEYS_FILE: {exc.strerror}") from None
    except json.JSONDecodeError:
        raise KeyConfigError("HUB_KEYS_FILE is not valid JSON") from None
    if not isinstance(data, dict):
        raise KeyConfigError("HUB_KEYS_FILE must hold a JSON object")
    return data


def load_keyring_from_env(env: Mapping[str, str] | None = None) -> KeyRing:
    """The data-encryption key ring from ``HUB_KEYS``/``HUB_ACTIVE_KEY`` or ``HUB_KEYS_FILE``."""
    env = _env(env)
    spec = env.get("HUB_KEYS", "").strip()
    if spec:
        keys: dict[str, bytes] = {}
        for item in spec.split(","):
            key_id, sep, material = item.strip().partition(":")
            if not sep:
                raise KeyConfigError("HUB_KEYS entries look like 'k1:<base64>'")
            keys[key_id.strip()] = _decode(f"HUB_KEYS[{key_id.strip()}]", material, exact=32)
        active = env.get("HUB_ACTIVE_KEY", "").strip() or list(keys)[-1]
        return KeyRing(keys, active)
    data = _read_file(env)
    if data is None:
        raise KeyConfigError("no encryption keys: set HUB_KEYS or HUB_KEYS_FILE")
    raw_keys = data.get("keys")
    if not isinstance(raw_keys, dict) or not raw_keys:
        raise KeyConfigError("HUB_KEYS_FILE has no 'keys'")
    keys = {str(k): _decode(f"keys[{k}]", str(v), exact=32) for k, v in raw_keys.items()}
    active = env.get("HUB_ACTIVE_KEY", "").strip() or str(data.get("active") or list(keys)[-1])
    return KeyRing(keys, active)


def _secondary_key(env: Mapping[str, str], var: str, file_key: str) -> bytes:
    text = env.get(var, "").strip()
    if text:
        return _decode(var, text)
    data = _read_file(env)
    if data is not None and data.get(file_key):
        return _decode(f"HUB_KEYS_FILE {file_key}", str(data[file_key]))
    raise KeyConfigError(f"no {file_key}: set {var} or HUB_KEYS_FILE")


def load_blind_index_key_from_env(env: Mapping[str, str] | None = None) -> bytes:
    return _secondary_key(_env(env), "HUB_BLIND_INDEX_KEY", "blind_index_key")


def load_pseudonym_key_from_env(env: Mapping[str, str] | None = None) -> bytes:
    return _secondary_key(_env(env), "HUB_PSEUDONYM_KEY", "pseudonym_key")


def load_audit_key_from_env(env: Mapping[str, str] | None = None) -> bytes:
    key = _secondary_key(_env(env), "HUB_AUDIT_KEY", "audit_key")
    if len(key) < 32:
        raise KeyConfigError("the audit key must decode to at least 32 bytes")
    return key


def load_signing_seed_from_env(env: Mapping[str, str] | None = None) -> bytes:
    """The Ed25519 private key (32 bytes) of ``HUB_SIGNING_KEY`` or the key file."""
    env = _env(env)
    text = env.get("HUB_SIGNING_KEY", "").strip()
    if text:
        return _decode("HUB_SIGNING_KEY", text, exact=32)
    data = _read_file(env)
    if data is not None and data.get("signing_key"):
        return _decode("HUB_KEYS_FILE signing_key", str(data["signing_key"]), exact=32)
    raise KeyConfigError("no signing_key: set HUB_SIGNING_KEY or HUB_KEYS_FILE")


def add_missing_keys_to_file(path: str | os.PathLike[str]) -> list[str]:
    """Give a key file written by an earlier build the keys it lacks (the audit and signing
    keys); answers the names added. Existing keys are never changed."""
    target = Path(path)
    data = _read_file({"HUB_KEYS_FILE": str(target)}) or {}
    added = [name for name in ("audit_key", "signing_key") if not data.get(name)]
    for name in added:
        data[name] = _b64(secrets.token_bytes(32))
    if added:
        _write_private(target, data, overwrite=True)
    return added


def _algorithm(env: Mapping[str, str]) -> str:
    alg = env.get("HUB_CIPHER", "").strip()
    if not alg:
        data = _read_file(env)
        alg = str((data or {}).get("algorithm") or "aes-256-gcm")
    if alg not in ALGORITHMS:
        raise KeyConfigError(f"HUB_CIPHER must be one of {list(ALGORITHMS)}")
    return alg


def load_field_cipher_from_env(env: Mapping[str, str] | None = None) -> FieldCipher:
    env = _env(env)
    return FieldCipher(load_keyring_from_env(env), _algorithm(env))


@dataclass(frozen=True)
class PrivacyKeys:
    """Everything the privacy layer needs, loaded once at start-up."""

    keyring: KeyRing
    blind_index_key: bytes = field(repr=False)
    pseudonym_key: bytes = field(repr=False)
    algorithm: str = "aes-256-gcm"
    audit_key: bytes = field(default=b"", repr=False)

    def __post_init__(self) -> None:
        material = [self.keyring.key(k) for k in self.keyring.ids]
        if self.blind_index_key in material or self.pseudonym_key in material:
            raise KeyConfigError("blind index and pseudonym keys must differ from data keys")
        if self.blind_index_key == self.pseudonym_key:
            raise KeyConfigError("blind index and pseudonym keys must differ")
        if self.audit_key and self.audit_key in (
            *material,
            self.blind_index_key,
            self.pseudonym_key,
        ):
            raise KeyConfigError("the audit key must differ from every other key")


def load_privacy_keys(env: Mapping[str, str] | None = None) -> PrivacyKeys:
    env = _env(env)
    return PrivacyKeys(
        keyring=load_keyring_from_env(env),
        blind_index_key=load_blind_index_key_from_env(env),
        pseudonym_key=load_pseudonym_key_from_env(env),
        algorithm=_algorithm(env),
        audit_key=load_audit_key_from_env(env),
    )


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _write_private(path: Path, data: dict[str, Any], *, overwrite: bool) -> None:
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if overwrite else os.O_EXCL)
    tmp = path.with_name(path.name + ".tmp") if overwrite else path
    if overwrite and tmp.exists():
        tmp.unlink()
    fd = os.open(tmp, flags, 0o600)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2)
            fh.write("\n")
    except BaseException:
        if overwrite:
            tmp.unlink(missing_ok=True)
        raise
    if overwrite:
        os.replace(tmp, path)


def generate_key_file(
    path: str | os.PathLike[str],
    *,
    key_id: str = "k1",
    algorithm: str = "aes-256-gcm",
    overwrite: bool = False,
) -> Path:
    """Write a fresh key file (mode 0600) for the demo or a first deployment.

    Refuses to replace an existing file unless ``overwrite=True``: losing a key file
    loses the data encrypted with it.
    """
    if algorithm not in ALGORITHMS:
        raise KeyConfigError(f"unknown algorithm {algorithm!r}")
    target = Path(path)
    data = {
        "keys": {key_id: _b64(secrets.token_bytes(32))},
        "active": key_id,
        "blind_index_key": _b64(secrets.token_bytes(32)),
        "pseudonym_key": _b64(secrets.token_bytes(32)),
        "audit_key": _b64(secrets.token_bytes(32)),
        "signing_key": _b64(secrets.token_bytes(32)),
        "algorithm": algorithm,
    }
    KeyRing({key_id: b"\0" * 32}, key_id)  # validates the key id
    _write_private(target, data, overwrite=overwrite)
    return target


def add_key_to_file(path: str | os.PathLike[str], key_id: str | None = None) -> str:
    """Add a fresh data key to a key file and make it active (step one of
    ``hub keys rotate``); answers the new key id. Old keys stay until retired."""
    target = Path(path)
    data = _read_file({"HUB_KEYS_FILE": str(target)}) or {}
    keys: dict[str, str] = dict(data.get("keys") or {})
    if key_id is None:
        n = len(keys) + 1
        while f"k{n}" in keys:
            n += 1
        key_id = f"k{n}"
    if key_id in keys:
        raise KeyConfigError(f"key id {key_id!r} already in the file")
    KeyRing({key_id: b"\0" * 32}, key_id)
    keys[key_id] = _b64(secrets.token_bytes(32))
    data["keys"] = keys
    data["active"] = key_id
    _write_private(target, data, overwrite=True)
    return key_id


def retire_key_in_file(path: str | os.PathLike[str], key_id: str) -> None:
    """Remove a data key from a key file once nothing is encrypted with it any more."""
    target = Path(path)
    data = _read_file({"HUB_KEYS_FILE": str(target)}) or {}
    keys: dict[str, str] = dict(data.get("keys") or {})
    if key_id not in keys:
        raise KeyConfigError(f"key id {key_id!r} not in the file")
    if data.get("active") == key_id:
        raise KeyConfigError("cannot retire the active key")
    del keys[key_id]
    data["keys"] = keys
    _write_private(target, data, overwrite=True)
