"""The files of a case (application attachments, referral documents, served documents):
names cleaned of path parts, and at most `Settings.case_file_bytes` (`HUB_CASE_FILE_BYTES`,
50 MiB) in all per case, so one case cannot fill the database a request body at a time.
Past the quota: 413 with a pointer, nothing stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlmodel import Session, func, select

from hub.domain.attachments import total_bytes, with_clean_names
from hub.domain.case import Case
from hub.services import records
from hub.services.errors import TooLarge, Violation
from hub.store.models import CaseDocument, Referral
from hub.vault import Vault


def take_in(
    items: Iterable[Mapping[str, Any]], *, limit: int, already: int, pointer: str
) -> list[dict[str, Any]]:
    """The files with clean names, or `TooLarge` when they would take the case past its quota."""
    files = with_clean_names(items)
    if already + total_bytes(files) > limit:
        raise TooLarge(
            [
                Violation(
                    pointer,
                    f"每件办件的附件合计不超过 {limit} 字节（已有 {already}） / a case's files "
                    f"total at most {limit} bytes ({already} already)",
                )
            ]
        )
    return files


def stored_bytes(vault: Vault, session: Session, app: Case) -> int:
    """Bytes the case holds now: the application's attachments, its referral documents and
    the documents served in it."""
    held = total_bytes(records.open_personal(vault, app).get("attachments", []))
    for documents in session.exec(
        select(Referral.documents).where(Referral.application_no == app.no)
    ).all():
        held += total_bytes(documents or [])
    served = session.exec(
        select(func.coalesce(func.sum(CaseDocument.size), 0)).where(
            CaseDocument.application_no == app.no
        )
    ).one()
    return held + int(served or 0)
