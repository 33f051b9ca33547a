"""Import a module that a later part of the hub may add; None until it exists."""

from __future__ import annotations

import importlib
from types import ModuleType


def optional_module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        # Only "this module (or its package) is absent" means optional; a missing import
        # inside an existing module is a real error.
        if exc.name and (name == exc.name or name.startswith(exc.name + ".")):
            return None
        raise
