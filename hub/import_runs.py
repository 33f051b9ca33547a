"""The import's units of work (INTERFACE 12), for `hub import cases` and `POST
/v1/import/cases`: one a batch of lines, opened here and handed to
`hub.services.case_import.CaseImporter.write`. A batch whose unit of work fails on a
uniqueness race (a concurrent import of the same case) is written again line by line, each
in its own, so the loser finds the winner's case and reports it `duplicate`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy.exc import IntegrityError

from hub.logsafety import get_logger
from hub.services.case_import import CaseImporter, Checked, LineOutcome, constraint_name

log = get_logger("hub.import")


def run(
    importer: CaseImporter, lines: Iterable[tuple[int, str | bytes]]
) -> Iterator[list[LineOutcome]]:
    """The outcomes of `lines` ((number, text), numbered from 1), a batch at a time, in
    line order."""
    for batch in importer.batches(lines):
        checked = importer.check_batch(batch)
        outcomes = dict(checked.outcomes)
        if checked.plans:
            for outcome in _write(importer, checked):
                outcomes[outcome.line] = outcome
        yield [outcomes[n] for n in sorted(outcomes)]


def _write(importer: CaseImporter, checked: Checked) -> list[LineOutcome]:
    db = importer.ctx.db
    try:
        with db.transaction() as uow:
            return importer.write(uow, checked.plans, checked.now)
    except IntegrityError as exc:
        # Not the database's text: its DETAIL names the key's values (personal data).
        log.warning(
            "import batch raced; one by one",
            lines=len(checked.plans),
            constraint=constraint_name(exc),
        )
    out: list[LineOutcome] = []
    for plan in checked.plans:
        for attempt in range(2):  # raced again: the second time the other's case is found
            try:
                with db.transaction() as uow:
                    out.extend(importer.write(uow, [plan], checked.now))
                break
            except IntegrityError:
                if attempt:
                    raise
    return out
