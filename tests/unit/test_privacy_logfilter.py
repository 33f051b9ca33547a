import io
import logging

import pytest
import structlog

from privacy.logfilter import PiiLogFilter, install_log_filter, scrub_processor

NAME, ID, PHONE = "王建国", "11010519491231002X", "138 0013 8000"


@pytest.fixture
def logger_and_stream() -> tuple[logging.Logger, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s %(party)s"))
    logger = logging.getLogger("test.privacy.logfilter")
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    install_log_filter(logger)
    install_log_filter(logger)  # idempotent
    assert sum(isinstance(f, PiiLogFilter) for f in handler.filters) == 1
    return logger, stream


def test_message_args_extra_and_exceptions_are_scrubbed(
    logger_and_stream: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = logger_and_stream
    logger.info(
        "申请人%s，身份证号%s，电话%s",
        NAME,
        ID,
        PHONE,
        extra={"party": {"phone": PHONE}, "application_no": "310000-20261101-000001-5"},
    )
    try:
        raise ValueError(f"bad id {ID} for 申请人{NAME}，")
    except ValueError:
        logger.exception("failed for 被申请人%s，", NAME, extra={"party": "-"})
    text = stream.getvalue()
    for value in (NAME, ID, PHONE, "13800138000"):
        assert value not in text, text
    assert "〔身份证号〕" in text and "〔手机号〕" in text and "Traceback" in text


def test_unformattable_records_are_still_logged(
    logger_and_stream: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = logger_and_stream
    logger.warning("two %s %s", NAME, extra={"party": "-"})
    assert "unformattable" in stream.getvalue() and NAME not in stream.getvalue()


def test_structlog_processor() -> None:
    out = io.StringIO()
    saved = structlog.get_config()  # the hub's (hub.logsafety), put back after
    structlog.configure(
        processors=[
            structlog.processors.format_exc_info,
            scrub_processor,
            structlog.processors.KeyValueRenderer(),
        ],
        logger_factory=structlog.PrintLoggerFactory(out),
        cache_logger_on_first_use=False,
    )
    try:
        log = structlog.get_logger()
        log.info(f"申请人{NAME}，", phone=PHONE, ids=[ID], application_no="310000-1")
        try:
            raise RuntimeError(f"id {ID}")
        except RuntimeError:
            log.exception("boom")
    finally:
        structlog.configure(**saved)
    text = out.getvalue()
    for value in (NAME, ID, PHONE):
        assert value not in text, text
    assert "application_no='310000-1'" in text


def test_processor_keeps_identifiers() -> None:
    event = {"event": "x 13800138000", "application_no": "310000-20261101-000001-5"}
    assert scrub_processor(None, "info", event) == {
        "event": "x 〔手机号〕",
        "application_no": "310000-20261101-000001-5",
    }


def test_only_texts_without_personal_data_are_remembered() -> None:
    from privacy import logfilter

    clean, dirty = "relay claimed a batch", f"申请人{NAME}电话{PHONE}"
    logfilter._clean.clear()
    for _ in range(2):  # the second pass answers the first's texts from memory
        assert logfilter.scrub_value(clean) == clean
        scrubbed = logfilter.scrub_value(dirty)
        assert NAME not in scrubbed and "13800138000" not in scrubbed.replace(" ", "")
    assert clean in logfilter._clean
    assert all(NAME not in text and PHONE not in text for text in logfilter._clean)
    long = "x" * (logfilter._CLEAN_LENGTH + 1)
    assert logfilter.scrub_value(long) == long and long not in logfilter._clean
