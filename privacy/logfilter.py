"""Logs carry no personal data: a :class:`logging.Filter` and a structlog processor that
scrub every message, argument, ``extra`` field and exception text with
:func:`privacy.pii.scrub`.

Attach the filter to *handlers* (filters on a logger do not see records propagated from
its children)::

    install_log_filter()              # every handler of the root logger
    structlog.configure(processors=[..., scrub_processor, ...renderer])
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, MutableMapping
from typing import Any

from privacy.pii import scrub

__all__ = ["PiiLogFilter", "install_log_filter", "scrub_processor", "scrub_value"]

# Attributes every LogRecord has; anything else came from ``extra=``.
_STANDARD = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {
    "message",
    "asctime",
}
# Identifiers the hub logs on purpose and that are not personal.
_SAFE_KEYS = frozenset(
    {
        "application_no",
        "message_id",
        "event_id",
        "institution",
        "status",
        "logger",
        "level",
        "timestamp",
    }
)


#: Texts of at most this many characters in which the scrubber found nothing are
#: remembered (up to _CLEAN_LIMIT of them), so the same event text, logger or party name is
#: not scanned again on every line (a line passes the scrubber up to four times: structlog's
#: chain, the record factory, the handler's filter, the formatter). Only texts that go to
#: the log unchanged are kept, so the memory holds nothing the log does not.
_CLEAN_LENGTH = 200
_CLEAN_LIMIT = 4096
_clean: set[str] = set()


def _scrubbed(text: str) -> str:
    if text in _clean:
        return text
    result = scrub(text)
    if result == text and len(text) <= _CLEAN_LENGTH:
        if len(_clean) >= _CLEAN_LIMIT:
            _clean.clear()  # many distinct clean texts (ids, numbers): start over
        _clean.add(text)
    return result


def scrub_value(value: Any, _depth: int = 0) -> Any:
    """``value`` with every string inside it scrubbed (dicts, lists and tuples walked)."""
    if isinstance(value, str):
        return _scrubbed(value)
    if _depth > 8:
        return value
    if isinstance(value, Mapping):
        return {k: scrub_value(v, _depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return type(value)(scrub_value(v, _depth + 1) for v in value)
    return value


class PiiLogFilter(logging.Filter):
    """Rewrites each record: the formatted message scrubbed (``args`` folded in), string
    ``extra`` attributes scrubbed, and the exception text formatted and scrubbed. Never
    drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, dict) and not record.args:  # structlog's event dict
            record.msg = {
                k: v if k in _SAFE_KEYS else scrub_value(v) for k, v in record.msg.items()
            }
            return True
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: log it without its arguments
            message = f"{record.msg!s} (unformattable arguments withheld)"
        record.msg = _scrubbed(message)
        record.args = None
        for key, value in list(record.__dict__.items()):
            if key not in _STANDARD and key not in _SAFE_KEYS:
                record.__dict__[key] = scrub_value(value)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True


def install_log_filter(logger: logging.Logger | None = None) -> PiiLogFilter:
    """Add one :class:`PiiLogFilter` to every handler of ``logger`` (default: root)."""
    target = logger or logging.getLogger()
    pii_filter = PiiLogFilter()
    for handler in target.handlers:
        if not any(isinstance(f, PiiLogFilter) for f in handler.filters):
            handler.addFilter(pii_filter)
    return pii_filter


def scrub_processor(
    logger: Any, method_name: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: scrub the event and every value except known identifiers.
    Place it before the renderer (and after ``format_exc_info`` to scrub tracebacks)."""
    for key, value in list(event_dict.items()):
        if key not in _SAFE_KEYS:
            event_dict[key] = scrub_value(value)
    return event_dict
