"""Logs carry no personal data: every record scrubbed by `privacy.logfilter`.

`install()` (called by `hub` before any sub-command, so `hub serve` and `hub demo` too):

- a `PiiLogFilter` on every handler of the root logger (messages, arguments, `extra`
  fields and tracebacks scrubbed with `privacy.pii.scrub`);
- a record factory that scrubs each record as it is made, so handlers configured later
  (uvicorn's own) and handlers on other loggers never see personal data either;
- structlog, when installed, configured with `scrub_processor` before its renderer,
  handing its lines to the standard library.
"""

from __future__ import annotations

import logging
from typing import Any

from privacy.logfilter import PiiLogFilter, install_log_filter, scrub_processor

_Factory = Any
_installed: _Factory | None = None
_previous: _Factory | None = None


def install() -> None:
    """Idempotent: a second call changes nothing."""
    global _installed, _previous
    install_log_filter()
    previous = logging.getLogRecordFactory()
    if _installed is not None and previous is _installed:
        return
    pii_filter = PiiLogFilter()

    def scrubbed_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        pii_filter.filter(record)
        return record

    logging.setLogRecordFactory(scrubbed_record)
    _installed, _previous = scrubbed_record, previous
    _configure_structlog()


def uninstall() -> None:
    """Undo the record factory (for tests); handler filters stay, they only scrub."""
    global _installed, _previous
    if (
        _installed is not None
        and _previous is not None
        and logging.getLogRecordFactory() is _installed
    ):
        logging.setLogRecordFactory(_previous)
    _installed = _previous = None


def _configure_structlog() -> None:
    try:
        import structlog
    except ImportError:  # optional
        return
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.format_exc_info,
            scrub_processor,
            structlog.processors.KeyValueRenderer(key_order=["event"]),
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=False,
    )
