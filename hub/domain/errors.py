"""Errors raised by the pure domain; the API maps them to problem+json (422 / 409)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hub.domain.status import Status


class DomainError(Exception):
    """Base of every error the domain raises on purpose."""


class InvalidApplicationNumber(DomainError):
    """The text is not a well-formed application number (办件编号): shape, date or check."""


class InvalidTransition(DomainError):
    """The case's current status does not allow what was attempted (HTTP 409)."""

    def __init__(self, current: Status, attempted: str, message: str | None = None) -> None:
        self.current = current
        self.attempted = str(attempted)
        super().__init__(message or f"{self.attempted!r} is not allowed in status {current!s}")


class NotAllowed(DomainError):
    """A business rule refused the request; `pointer` names the offending field, if any."""

    def __init__(self, message: str, *, pointer: str | None = None) -> None:
        self.pointer = pointer
        super().__init__(message)
