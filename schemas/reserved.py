"""The hub's own destinations and namespaces, which no registry entry or portal may take.

Messages for the hub's own services (applicant notices, operators) and for portals must
never reach a party that merely registered their name (issue 12, item 3). The registry
schema (`common#/$defs/registry_id`) refuses these names for units and institutions, alone
or as a namespace (followed by `-`, `_`, `.` or `:`): `notify`, `notify-sms`, `portal-b`.
`hub token issue` refuses them as a portal's party, except the portal namespace itself.
"""

from __future__ import annotations

import re

#: Names of the hub's own destinations and namespaces.
RESERVED = ("portal", "notify", "hub", "admin", "databureau", "units", "system")

#: The same rule as the registry schema's `registry_id` (a test keeps them equal).
PATTERN = "^(" + "|".join(RESERVED) + ")([-_.:]|$)"
_RESERVED = re.compile(PATTERN)


def namespace_of(party_id: str) -> str | None:
    """The reserved name `party_id` is or lies under, else None."""
    found = _RESERVED.match(party_id)
    return found.group(1) if found else None


__all__ = ["PATTERN", "RESERVED", "namespace_of"]
