"""Wiring: settings, database, keys and clock into one `HubContext` (cosmicpython's bootstrap)."""

from __future__ import annotations

import os
from pathlib import Path

from hub.clock import Clock, SystemClock
from hub.config import Settings
from hub.logsafety import get_logger
from hub.services.context import HubContext
from hub.store import audit
from hub.store.db import Database, sqlite_file
from hub.vault import Vault
from privacy.config import (
    add_missing_keys_to_file,
    generate_key_file,
    load_field_cipher_from_env,
    load_privacy_keys,
)
from privacy.crypto import BlindIndex, FieldCipher

log = get_logger("hub.bootstrap")


def ensure_demo_keys(settings: Settings) -> None:
    """Embedded default only: with no key configured, make a key file beside the database.

    Production sets HUB_KEYS_FILE (or HUB_KEYS) explicitly; the file is never in the repository.
    """
    if os.environ.get("HUB_KEYS") or os.environ.get("HUB_KEYS_FILE"):
        return
    path = settings.data_dir / "hub-keys.json"
    if not path.exists():
        settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        generate_key_file(path)
        log.warning(
            "no HUB_KEYS_FILE configured: generated a local key file for the embedded default"
        )
    elif add_missing_keys_to_file(path):  # a demo file of an earlier build
        log.warning("added the audit and signing keys to the local key file")
    os.environ["HUB_KEYS_FILE"] = str(path)


def _key_file_signature() -> object:
    path = os.environ.get("HUB_KEYS_FILE")
    if os.environ.get("HUB_KEYS") or not path:
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def build_vault() -> Vault:
    """The vault; it re-reads the key ring when the key file changes (`hub keys rotate`).
    The audit chains' key is handed to the audit trail here (hub.store.audit)."""
    keys = load_privacy_keys()
    audit.configure_key(keys.audit_key)
    return Vault(
        FieldCipher(keys.keyring, keys.algorithm),
        BlindIndex(keys.blind_index_key),
        pseudonym_key=keys.pseudonym_key,
        reload=load_field_cipher_from_env,
        signature=_key_file_signature,
    )


def bootstrap(
    settings: Settings | None = None, *, clock: Clock | None = None, pool_size: int = 10
) -> HubContext:
    settings = settings or Settings.from_env()
    ensure_demo_keys(settings)
    database = sqlite_file(settings.database_url)
    if database is not None and database.parent.resolve() == settings.data_dir.resolve():
        # the hub's own data directory (HUB_DATA_DIR) is the hub's to create; any other
        # missing folder is a mistake the operator is told of (MissingDatabaseFolder)
        settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    return HubContext(
        settings=settings,
        db=Database(
            settings.database_url, pool_size=pool_size, replica_url=settings.database_read_url
        ),
        vault=build_vault(),
        clock=clock or SystemClock(),
    )


def default_registry_file() -> Path:
    return Path(__file__).resolve().parent.parent / "deploy" / "registry" / "demo.yaml"
