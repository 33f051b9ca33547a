"""Message destinations qualified by the kind of party (issue 12, item 3).

An outbox row names the kind of party it is for as well as its id, and routing asks the
kind first, so a registry entry can never claim another kind's messages (an institution
registered as `notify` once received every applicant notice, and one registered as
`portal-b` that portal's messages):

    institution:<id>   a registry institution (mediation body, court, commission)
    unit:<id>          a registry unit
    portal:<id>        a portal (the party of its token)
    hub:notify         the applicant notices (SMS and e-mail, the notify connector)
    hub:admin          the operators

Only the hub's insides see these: the wire (envelopes, feeds, webhooks) is unchanged.
Broker queues keep their names (`hub.q.<institution id>`, `hub.q.notify`, `hub.q.portal`);
the routing key is the qualified destination.
"""

from __future__ import annotations

INSTITUTION, UNIT, PORTAL, HUB = "institution", "unit", "portal", "hub"
KINDS = frozenset({INSTITUTION, UNIT, PORTAL, HUB})
NOTIFY = "hub:notify"
ADMIN = "hub:admin"

#: The roles whose feed is an institution's (courts and commissions are institutions).
_ROLE_KINDS = {
    "institution": INSTITUTION,
    "court": INSTITUTION,
    "arbitration": INSTITUTION,
    "unit": UNIT,
    "portal": PORTAL,
}


def institution(party: str) -> str:
    return f"{INSTITUTION}:{party}"


def unit(party: str) -> str:
    return f"{UNIT}:{party}"


def portal(party: str | None) -> str:
    return f"{PORTAL}:{party or 'portal'}"


def split(destination: str) -> tuple[str | None, str]:
    """(kind, id) of a destination; kind None for a bare id (rows of an older build)."""
    kind, sep, ident = destination.partition(":")
    if sep and kind in KINDS:
        return kind, ident
    return None, destination


def is_qualified(destination: str) -> bool:
    return split(destination)[0] is not None


def named(text: str) -> list[str]:
    """The destinations an operator's filter names: a qualified one itself; a bare id (as
    typed, `pm-a`) that id of any kind, and the bare form older builds stored."""
    if is_qualified(text):
        return [text]
    return [f"{kind}:{text}" for kind in sorted(KINDS)] + [text]


def for_party(role: str, party: str | None) -> str:
    """The destination a caller of `role` (and `party`) reads in its feed."""
    kind = _ROLE_KINDS.get(role)
    if kind is not None and party:
        return f"{kind}:{party}"
    return f"{HUB}:{role}"  # admin, databureau: the hub's own


__all__ = [
    "ADMIN",
    "HUB",
    "INSTITUTION",
    "KINDS",
    "NOTIFY",
    "PORTAL",
    "UNIT",
    "for_party",
    "institution",
    "is_qualified",
    "named",
    "portal",
    "split",
    "unit",
]
