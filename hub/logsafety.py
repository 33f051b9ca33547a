"""Logs: structlog for the hub's own lines, one rendering for every line, and no personal
data in any of them.

- Module loggers are `structlog.get_logger(__name__)` (`log.info("...", status=...)`);
  what a line is about is bound with `bound(...)` (contextvars): the application number,
  the message id and the party, so every line inside carries them, the standard library's
  lines too (SQLAlchemy's, uvicorn's).
- `configure(log_format)` (called by `hub` before any sub-command): one handler on the
  root logger, rendering structlog's and the standard library's records alike through
  structlog's `ProcessorFormatter`: `text` (the default) as
  `<time> <LEVEL> <logger> <event> key=value ...`, `json` (`HUB_LOG_FORMAT=json`, for
  production) as one JSON object a line.
- `install()`: the scrubber stays in front (`privacy.logfilter`): a `PiiLogFilter` on every
  handler of the root logger and a record factory that scrubs each record as it is made
  (structlog's event dicts value by value), and `scrub_processor` once more before the
  renderer, so handlers configured later (pytest's, uvicorn's) never see personal data.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from typing import Any

import structlog

from privacy.logfilter import PiiLogFilter, install_log_filter, scrub_processor

_Factory = Any
_installed: _Factory | None = None
_previous: _Factory | None = None

#: Keys every line has; the text format shows them in its fixed columns.
_COLUMNS = frozenset({"event", "level", "logger", "timestamp"})

_TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"

#: Run for every line, structlog's and the standard library's (foreign) alike.
_SHARED: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def get_logger(name: str) -> Any:
    """A module's logger (`structlog.get_logger(__name__)` with the hub's configuration)."""
    return structlog.get_logger(name)


@contextmanager
def bound(**values: Any) -> Iterator[None]:
    """Bind what the lines inside are about (None values are left out): application_no,
    message_id, party. Bindings follow the work into threads started with a copied
    context (Starlette's thread pool does this)."""
    with structlog.contextvars.bound_contextvars(
        **{k: v for k, v in values.items() if v is not None}
    ):
        yield


def message_facts(message: Any) -> dict[str, Any]:
    """What a delivery's lines are about: its message id, case and destination party."""
    return {
        "message_id": message.message_id,
        "application_no": message.application_no,
        "party": message.destination,
    }


def _text(_logger: Any, _name: str, event_dict: MutableMapping[str, Any]) -> str:
    """`event key=value ...` (time, level and logger come from the line's format)."""
    exception = event_dict.pop("exception", None)
    rest = " ".join(f"{k}={v}" for k, v in event_dict.items() if k not in _COLUMNS)
    line = f"{event_dict.get('event', '')} {rest}".rstrip()
    return f"{line}\n{exception}" if exception else line


def formatter(log_format: str = "text") -> logging.Formatter:
    """The one formatter of the hub's handlers: scrub, then render as text or JSON."""
    if log_format not in ("text", "json"):
        raise ValueError("HUB_LOG_FORMAT must be text or json")
    renderer: Any = (
        structlog.processors.JSONRenderer(ensure_ascii=False) if log_format == "json" else _text
    )
    return structlog.stdlib.ProcessorFormatter(
        fmt="%(message)s" if log_format == "json" else _TEXT_FORMAT,
        foreign_pre_chain=_SHARED,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            scrub_processor,
            renderer,
        ],
    )


def configure(log_format: str = "text", level: int = logging.INFO) -> None:
    """Root handler and structlog, once per process (a second call replaces the handler)."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_hub_handler", False)]:
        root.removeHandler(handler)
    handler = logging.StreamHandler()
    handler._hub_handler = True  # type: ignore[attr-defined]
    handler.setFormatter(formatter(log_format))
    root.addHandler(handler)
    root.setLevel(level)
    _configure_structlog()


def install() -> None:
    """Idempotent: a second call changes nothing."""
    global _installed, _previous
    install_log_filter()
    _configure_structlog()
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
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_SHARED,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.processors.format_exc_info,
            scrub_processor,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


# Module loggers made at import time use this configuration from their first line on,
# whether or not `hub` configured the process (tests, `uvicorn --factory`).
_configure_structlog()
