"""What every use case needs: the database, the vault, the clock and the settings."""

from __future__ import annotations

from dataclasses import dataclass

from hub.clock import Clock
from hub.config import Settings
from hub.store.db import Database
from hub.vault import Vault


@dataclass
class HubContext:
    settings: Settings
    db: Database
    vault: Vault
    clock: Clock
