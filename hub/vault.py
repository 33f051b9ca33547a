"""The hub's one door to its keys: seal and open personal data, blind-index ID numbers.

Wraps `privacy.crypto` so the rest of the hub never handles key material. Every ciphertext
is bound to its table, field and record, so a value copied to another row fails to open.

Key rotation while the hub runs (`hub keys rotate`): a token made with a key this process
does not hold yet makes the vault reload its key ring once and retry, and before sealing
the vault notices (at most once a second) that the key file changed, so new data goes
under the new active key without a restart.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from hub import jsonutil
from privacy.crypto import BlindIndex, FieldCipher, UnknownKey
from privacy.signing import Signer

_CHECK_SECONDS = 1.0


class Vault:
    def __init__(
        self,
        cipher: FieldCipher,
        blind: BlindIndex,
        *,
        pseudonym_key: bytes | None = None,
        reload: Callable[[], FieldCipher] | None = None,
        signature: Callable[[], object] | None = None,
        signer: Signer | None = None,
    ) -> None:
        self._signer = signer
        self.cipher = cipher
        self.blind = blind
        self.pseudonym_key = pseudonym_key
        self._reload = reload
        self._signature = signature
        self._lock = threading.Lock()
        self._checked = time.monotonic()
        self._seen = signature() if signature is not None else None

    @property
    def signer(self) -> Signer:
        """The hub's signing key (audit checkpoints, evidential bundles), read on first use
        from HUB_SIGNING_KEY or the key file."""
        if self._signer is None:
            from privacy.config import load_signing_seed_from_env

            self._signer = Signer.from_seed(load_signing_seed_from_env())
        return self._signer

    # -- key ring refresh ---------------------------------------------------------
    def reload_keys(self) -> bool:
        """Re-read the key ring from configuration; False when it cannot be reloaded."""
        if self._reload is None:
            return False
        with self._lock:
            self.cipher = self._reload()
            if self._signature is not None:
                self._seen = self._signature()
        return True

    def _refresh_if_changed(self) -> None:
        if self._signature is None:
            return
        now = time.monotonic()
        if now - self._checked < _CHECK_SECONDS:
            return
        self._checked = now
        if self._signature() != self._seen:
            self.reload_keys()

    def _encrypt(self, plaintext: bytes, table: str, field: str, record_id: str) -> str:
        self._refresh_if_changed()
        return self.cipher.encrypt(plaintext, table=table, field=field, record_id=record_id)

    def _decrypt(self, token: str, table: str, field: str, record_id: str) -> bytes:
        try:
            return self.cipher.decrypt(token, table=table, field=field, record_id=record_id)
        except UnknownKey:
            if not self.reload_keys():
                raise
            return self.cipher.decrypt(token, table=table, field=field, record_id=record_id)

    # -- API ----------------------------------------------------------------------
    def seal_json(self, value: Any, *, table: str, field: str, record_id: str) -> str:
        plaintext = jsonutil.dumps(value).encode()
        return self._encrypt(plaintext, table, field, record_id)

    def open_json(self, token: str, *, table: str, field: str, record_id: str) -> Any:
        return jsonutil.loads(self._decrypt(token, table, field, record_id))

    def seal_text(self, value: str, *, table: str, field: str, record_id: str) -> str:
        return self._encrypt(value.encode(), table, field, record_id)

    def open_text(self, token: str, *, table: str, field: str, record_id: str) -> str:
        return self._decrypt(token, table, field, record_id).decode()

    def index(self, value: str, *, purpose: str) -> str:
        return self.blind.compute(value, purpose=purpose)

    def party_index(self, id_number: str) -> str:
        return self.blind.compute(id_number, purpose="id_number")
