"""A case's timeline in words: each step, who took it and what it carried, as a clerk reads
it, in Chinese or English (never `deadline_overdue`, `scheduler` or raw JSON)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from hub.web.i18n import Texts
from hub.web.pages import money, when

#: Actors that are not registry parties.
SYSTEM_ACTORS = frozenset({"scheduler", "system", "hub", "relay", "cli"})
#: Step data a clerk has no use for (message ids, internal references).
HIDDEN = frozenset({"message_id", "event_id", "request_hash", "document_id"})


def actor(t: Texts, actor_id: str | None, names: Mapping[str, str]) -> str:
    """Who took a step: a party by its name; the hub's own clocks and relays as 系统."""
    if not actor_id or actor_id in SYSTEM_ACTORS:
        return t("system_actor")
    if actor_id in names:
        return names[actor_id]
    if actor_id in ("portal", "admin", "unit", "institution", "court", "arbitration"):
        return t.role(actor_id)
    return actor_id


def _is_moment(text: str) -> bool:
    if len(text) < 19 or text[4] != "-" or "T" not in text:
        return False
    try:
        return datetime.fromisoformat(text).tzinfo is not None
    except ValueError:
        return False


def value(t: Texts, key: str, raw: Any, names: Mapping[str, str]) -> str:
    """One field of a step, in words."""
    if raw is None or raw == "":
        return "—"
    if key in ("institution", "target", "to", "from", "unit") and isinstance(raw, str):
        return names.get(raw, raw)
    if key == "deadline" and isinstance(raw, str):
        return t.deadline(raw)
    if key == "kind" and isinstance(raw, str):
        return t.referral(raw) if raw in t.referral_kinds() else t.document_kind(raw)
    if key == "outcome" and isinstance(raw, str):
        return t.outcome(raw)
    if key == "willing":
        return t({True: "willing_yes", False: "willing_no"}.get(raw, "willing_unknown"))
    if key == "channel" and isinstance(raw, str):
        return t.channel(raw)
    if key == "serve_to" and isinstance(raw, str):
        return t.serve_to(raw)
    if key == "amount":
        return t("yuan", amount=money(raw))
    if key == "reason_code" and isinstance(raw, str):
        return t.reason_code(raw)
    if key == "remedy_kinds" and isinstance(raw, list):
        return t.separator.join(t.remedy(str(r)) for r in raw)
    if key == "type" and isinstance(raw, str):  # an agreement's type
        return t.agreement_type(raw)
    if key == "agreement" and isinstance(raw, Mapping):
        parts = [
            f"{t.field(k)}{t.colon}{value(t, k, v, names)}"
            for k, v in raw.items()
            if k not in HIDDEN
        ]
        return t.separator.join(parts)
    if isinstance(raw, bool):
        return t("yes") if raw else t("no")
    if isinstance(raw, str) and _is_moment(raw):
        return when(raw)
    if isinstance(raw, Mapping):
        return t.separator.join(
            f"{t.field(k)}{t.colon}{value(t, k, v, names)}" for k, v in raw.items()
        )
    if isinstance(raw, list):
        return t.separator.join(value(t, key, v, names) for v in raw)
    return str(raw)


def fields(t: Texts, data: Mapping[str, Any] | None, names: Mapping[str, str]) -> list[str]:
    """A step's data as lines of `name: value`, hidden references left out."""
    return [
        f"{t.field(k)}{t.colon}{value(t, k, v, names)}"
        for k, v in (data or {}).items()
        if k not in HIDDEN
    ]
