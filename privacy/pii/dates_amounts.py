"""Dates and amounts of money in free text ("2026年3月5日", "3月5日", "人民币5,000元",
"五千元"): the scrubber removes them too, since with a name or a place they point to one
person's dispute. ``CN_NUM`` (the Chinese numerals) is also read by the name rules: a
name may be followed by an amount ("支付林静五千元").
"""

from __future__ import annotations

import re

from privacy.pii.patterns import DetectorEntry, simple

_CN_DIGIT = "〇零一二三四五六七八九"
_DATE = re.compile(
    # (years of two digits too: "24年6月10号")
    r"\d(?<!\d.)(?:\d{3}|\d)\s?年\s?\d{1,2}\s?月(?:\s?\d{1,2}\s?[日号])?"
    r"|[12](?<!\d.)[09]\d{2}[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])(?!\d)"
    r"|\d(?<![\d.].)\d?\s?月\s?\d{1,2}\s?[日号]"
    r"|[" + _CN_DIGIT + r"]{4}年[一二三四五六七八九十]{1,2}月(?:[一二三四五六七八九十]{1,3}[日号])?"
)
CN_NUM = "零一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟"
_AMOUNT_UNIT = r"(?:万元|亿元|千元|余元|多元|元|万|块钱|块)"
_NUM = r"\d+(?:[,，]\d{3})*(?:\.\d+)?"
_CN_NUM_CLASS = f"[{CN_NUM}]"
_AMOUNT = re.compile(
    rf"(?:人民币|RMB|CNY|¥|￥)\s?{_NUM}(?:\s?{_AMOUNT_UNIT})?"
    rf"|\d(?<![\d,，.].)\d*(?:[,，]\d{{3}})*(?:\.\d+)?\s?{_AMOUNT_UNIT}"
    rf"|{_CN_NUM_CLASS}(?<!{_CN_NUM_CLASS}.){_CN_NUM_CLASS}{{0,11}}(?:万元|元整|元|块钱)"
    # "4.8w", "26W": w for 万 in chat
    r"|\d(?<![\d,，.].)\d*(?:\.\d+)?[wW](?![A-Za-z0-9])"
)

DETECTORS: tuple[DetectorEntry, ...] = (
    ("plain", "年月-/.", "", simple(_DATE, "date")),
    ("plain", "元万块¥￥币BYwW", "", simple(_AMOUNT, "amount")),
)
