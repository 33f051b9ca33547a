"""The hub's one door to its keys: seal and open personal data, blind-index ID numbers.

Wraps `privacy.crypto` so the rest of the hub never handles key material. Every ciphertext
is bound to its table, field and record, so a value copied to another row fails to open.
"""

from __future__ import annotations

from typing import Any

from hub import jsonutil
from privacy.crypto import BlindIndex, FieldCipher


class Vault:
    def __init__(self, cipher: FieldCipher, blind: BlindIndex) -> None:
        self.cipher = cipher
        self.blind = blind

    def seal_json(self, value: Any, *, table: str, field: str, record_id: str) -> str:
        plaintext = jsonutil.dumps(value).encode()
        return self.cipher.encrypt(plaintext, table=table, field=field, record_id=record_id)

    def open_json(self, token: str, *, table: str, field: str, record_id: str) -> Any:
        return jsonutil.loads(
            self.cipher.decrypt(token, table=table, field=field, record_id=record_id)
        )

    def seal_text(self, value: str, *, table: str, field: str, record_id: str) -> str:
        return self.cipher.encrypt(value.encode(), table=table, field=field, record_id=record_id)

    def open_text(self, token: str, *, table: str, field: str, record_id: str) -> str:
        return self.cipher.decrypt(token, table=table, field=field, record_id=record_id).decode()

    def index(self, value: str, *, purpose: str) -> str:
        return self.blind.compute(value, purpose=purpose)

    def party_index(self, id_number: str) -> str:
        return self.blind.compute(id_number, purpose="id_number")
