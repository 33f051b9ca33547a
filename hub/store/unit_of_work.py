"""The unit of work: one write transaction, its session and the rows it will write.

`Database.transaction()` and `Database.run()` hand one out; services receive it and never
open their own. It is a SQLModel `Session` (reads go through it as through any session)
that also carries the transaction's `WriteBuffer` (`hub.store.writes`).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from hub.store.writes import WriteBuffer


class UnitOfWork(Session):
    """A write transaction's session plus its write buffer."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.buffer = WriteBuffer()


__all__ = ["UnitOfWork"]
