"""Where a listed case came from: the outside system of an imported one (`hub import
cases`, INTERFACE 12), so a clerk tells imported history from live work on a page."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, select

from hub.store.models import Application


def sources(s: Session, nos: Iterable[str]) -> dict[str, str]:
    """`{application_no: source}` for the imported ones among `nos` (live ones are absent)."""
    wanted = list(nos)
    if not wanted:
        return {}
    rows = s.exec(
        select(Application.no, Application.source).where(
            col(Application.no).in_(wanted), col(Application.source).is_not(None)
        )
    ).all()
    return {no: source for no, source in rows if source}
