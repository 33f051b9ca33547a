"""Identifiers in free text: resident IDs, credit codes, phones, e-mails, bank cards,
plates, passports and permits, WeChat, QQ and other accounts, case numbers, VINs,
hospital numbers, long digit runs, and the hub's own application numbers.

What they share is their shape: runs of digits and letters in any grouping of spaces,
dashes or dots, validated with the check characters where a format has them (GB 11643
resident IDs, GB 32100 credit codes, Luhn for bank cards, ISO 3779 for VINs; the MOD 11-2,
GB 32100 and Luhn checks live in ``schemas.identity``, the one implementation) and found
after a context cue where a format has none (passports, permits, WeChat and QQ ids,
hospital numbers). The detectors read the ASCII, digit and upper-case views of
:mod:`privacy.pii.spans`.
"""

from __future__ import annotations

import re
from datetime import date

from privacy.pii.patterns import HAN, Candidate, DetectorEntry, cued, simple
from schemas.identity import (
    USCC_ALPHABET,
    is_vin,
    luhn_ok,
    mod11_2,
    uscc_check_character,
)

__all__ = [
    "APPLICATION_NUMBER",
    "DETECTORS",
    "is_resident_id",
    "is_uscc",
    "is_vin",
    "luhn_ok",
]

#: The hub's own application numbers (`310000-20261202-000001-X`, check character valid):
#: they name a case, not a person, and operators need them in the logs to trace one
#: (issue 13, logs). Found first so that no other kind takes their digits, then dropped.
APPLICATION_NUMBER = "hub_number"

# ---------------------------------------------------------------------------------
# Checks (MOD 11-2, GB 32100 and Luhn: the one implementation is schemas.identity)
# ---------------------------------------------------------------------------------
_TO_ASCII = str.maketrans("０１２３４５６７８９ｘＸ", "0123456789XX")
_USCC_ALPHABET = frozenset(USCC_ALPHABET)


def _real_date(y: int, m: int, d: int) -> bool:
    try:
        date(y, m, d)
    except ValueError:
        return False
    return True


def is_resident_id(text: str) -> bool:
    """18-digit GB 11643 number with a valid check digit and birth date, or an old
    15-digit number with a valid birth date (19YYMMDD)."""
    s = text.translate(_TO_ASCII).upper()
    if len(s) == 18 and s[:17].isdigit():
        if mod11_2(s[:17]) != s[17]:
            return False
        return _real_date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    if len(s) == 15 and s.isdigit():
        return _real_date(1900 + int(s[6:8]), int(s[8:10]), int(s[10:12]))
    return False


def is_uscc(text: str) -> bool:
    """Unified social credit code (统一社会信用代码) with a valid GB 32100 check character."""
    s = text.upper()
    if len(s) != 18 or not _USCC_ALPHABET.issuperset(s):
        return False
    return uscc_check_character(s[:17]) == s[17]


# ---------------------------------------------------------------------------------
# Patterns
# ---------------------------------------------------------------------------------
# Every pattern starts with a character class or a literal, so that the regex engine
# skips to candidate positions at C speed; the "not preceded by" checks come right after
# the first character (``_NB1``) instead of before it.
_NB1 = r"(?<![0-9A-Za-z].)(?<!\d[ \-.].)"  # not after an alphanumeric or "5 ", "5-"
_NA = r"(?![0-9A-Za-z])(?![ \-.]\d)"  # not followed by an alphanumeric, nor by " 5"
_ND = r"(?!\d)"
_DIGITS_ONLY = re.compile(r"[^0-9Xx]+")
_SEPARATORS = re.compile(r"[ \-]+")
# Between digits: up to two separators (space, dash, dot; in the digit view every dash,
# underscore and tilde reads as "-"), so that "139—1234—5678" and "6230  5683" hold.
_SEP = r"[ \-.]{0,2}"

# An ID number written whole or in groups ("341221-19490928-9003", "3412 2119 ..."):
# 17 digits and a check character, with at most one separator between any two.
_ID18 = re.compile(r"[1-9]" + _NB1 + r"(?:" + _SEP + r"\d){16}" + _SEP + r"[\dXx]" + _NA)
_ID15 = re.compile(r"[1-9]" + _NB1 + r"(?:" + _SEP + r"\d){14}" + _NA)
_USCC_CLASS = "[0-9A-HJ-NPQRTUWXY]"
_USCC = re.compile(_USCC_CLASS + _NB1 + r"(?:[ \-]?" + _USCC_CLASS + "){17}" + _NA)
# Mobiles: 11 digits in any grouping, with +86, 0086, (+86) or 86- in front.
_MOBILE_BODY = r"1[3-9]\d(?:" + _SEP + r"\d){8}" + _ND
_MOBILE = re.compile(
    r"1"
    + r"(?<!\d.)"
    + r"(?=[3-9])\d\d(?:"
    + _SEP
    + r"\d){8}"
    + _ND
    + r"|(?:\+|00)86[ \-]?"
    + _MOBILE_BODY
    + r"|\(\+?86\)[ \-]?"
    + _MOBILE_BODY
    + r"|8(?<!\d.)6[ \-]"
    + _MOBILE_BODY
    # Hong Kong and Macau (+852/+853, 8 digits) and Taiwan (+886 9xx xxx xxx) mobiles
    + r"|(?:\+|00)85[23][ \-]?\d{4}[ \-]?\d{4}"
    + _ND
    + r"|(?:\+|00)886[ \-]?9\d{2}[ \-]?\d{3}[ \-]?\d{3}"
    + _ND
    # any other country's number: + and a country code, then 7-13 digits in groups
    + r"|\+(?!86)[1-9]\d{0,2}[ \-]?(?:\d[ \-]?){6,12}\d"
    + _ND
)
# Landlines: area code (0 and 2-3 digits, in brackets or not, or +86 without the 0), then
# 7-8 digits in up to three groups, then an extension (转 801, -801, ext. 801, 分机 801).
_LOCAL = r"[2-9]\d{2,3}[ \-.]?\d{3,4}"
_EXTENSION = r"(?:(?:[ \-]|\s?(?:转|ext\.?|分机|内线)\s?)\d{1,5})?"
_LANDLINE = re.compile(
    r"\+86[ \-]?\d{2,3}[ \-]?"
    + _LOCAL
    + _EXTENSION
    + _ND
    + r"|0(?<!\d.)\d{2,3}(?: ?- ?|[ .])?"
    + _LOCAL
    + _EXTENSION
    + _ND
    + r"|8(?<!\d.)6-[1-9]\d{1,2}-"
    + _LOCAL
    + _EXTENSION
    + _ND
    + r"|[(（]0\d{2,3}[)）][ \-]?"
    + _LOCAL
    + _EXTENSION
    + _ND
)
_LANDLINE_CUED = re.compile(r"(?:电话|座机|固话|传真)[:：\s]*([2-9]\d{3}[ \-]?\d{4})" + _ND)
# E-mails, also written against spam harvesters: "zhang (at) 163 (dot) com".
_AT = r"\s?(?:@|[(\[]\s?at\s?[)\]])\s?"
_DOT_SIGN = r"\s?(?:\.|[(\[]\s?dot\s?[)\]])\s?"
# Local parts are read from their first character only (not again from each later one).
_LOCAL_PART = r"[A-Za-z0-9._%+-](?<![A-Za-z0-9._%+-].)[A-Za-z0-9._%+-]*"
_EMAIL = re.compile(
    _LOCAL_PART + _AT + r"[A-Za-z0-9-]+(?:" + _DOT_SIGN + r"[A-Za-z0-9-]+)*"
    r"(?:\.|" + _DOT_SIGN + r")[A-Za-z]{2,}"
    # spelt out: "lihua88 at qq.com", "wangjun艾特163点com" (then a known top-level domain)
    # (the local part spelt too: "wang dot lei at qq dot com"), or "#" typed for "@"
    r"|" + _LOCAL_PART + r"(?:\s?(?:dot|点)\s?[A-Za-z0-9_%+-]+)*"
    r"(?:\s+at\s+|\s?(?:艾特|圈a|圈A|#)\s?)[A-Za-z0-9-]+"
    r"(?:\s?(?:\.|点|\sdot\s)\s?[A-Za-z0-9-]+)*?\s?(?:\.|点|\sdot\s)\s?"
    r"(?:com|cn|net|org|edu|gov|cc|io|me|info|top|vip|hk|tw|mo)(?![A-Za-z])"
)
# Bank cards: 16-19 digits in any grouping (Luhn-checked), or after a cue, any.
_CARD = re.compile(r"\d" + _NB1 + r"(?:" + _SEP + r"\d){15,18}" + _NA)
_CARD_CUE = re.compile(r"(?:卡号|账号|帐号|账户|帐户|银行卡|借记卡|信用卡|尾号)")
# Any other run of 15 or more digits (grouped or not) is scrubbed as a number, fail safe.
_LONG_NUMBER = re.compile(r"\d" + _NB1 + r"(?:" + _SEP + r"\d){14,}" + _NA)
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
# Plates: province, issuing letter (not I; O is the police's), an optional dot or dash,
# then 5 characters, or 6 for new-energy plates (D/F first, or last on large vehicles).
_PLATE = re.compile(
    r"[" + _PROVINCES + r"]\s?[A-Z][·•.\-\s]?(?:[A-HJ-NP-Z0-9][\s\-]?){4,5}[A-HJ-NP-Z0-9]"
    r"(?:挂|学|警|港|澳)?"
    r"(?![A-Za-z0-9])"
)
# Passports (E/G/P + 8 digits, EA-EZ + 7) and permits: 港澳居民来往内地通行证 (H/M + 8 or
# 10 digits), 往来港澳通行证 (C, CA-CZ + 7-8), 往来台湾通行证 (L + 8), 台胞证 (8 or 10
# digits, after a cue). Residence permits of HK, Macau and Taiwan residents are 18-digit
# ID numbers (810000/820000/830000) and are found as those.
_PASSPORT = re.compile(r"[EGPDS]" + _NB1 + r"[A-Z]?(?:\d{7,8}|\d{4}[ \-]\d{3,4})" + _NA)
_PERMIT = re.compile(
    r"[HMCL]" + _NB1 + r"(?:\d{8}(?:\d{2})?|[A-Z]\d{7,8}|\d{7,8}"
    # in groups: "H 1234 5678", "C-A123-4567", "L 1234-5678"
    r"|[ \-]?[A-Z]?\d{3,4}[ \-]\d{4}(?:[ \-]?\d{2})?)" + _NA
)
_DOCUMENT_CUED = re.compile(
    r"(?:护照|通行证|回乡证|台胞证|居住证|证件|旅行证|签证|军官证|士兵证|警官证|学生证|工作证"
    r"|残疾证|驾驶证|驾照|社保卡|医保卡|身份证)[^0-9A-Za-z。；;\n]{0,8}?"
    r"((?:[A-Z]{0,2}[ \-]?(?:\d{6,10}|\d{3,5}[ \-]\d{3,5})(?:[ \-]?\d{1,4})?"
    # other countries' passports: letters and digits mixed ("C1X2Y3Z45")
    r"|(?=[A-Z0-9]*\d[A-Z0-9]*\d)[A-Z0-9]{7,12})"
    # a Taiwan compatriot permit's issue letter: "0851049693(A)"
    r"(?:\s?[(（][A-Z0-9][)）])?)" + _NA
)
# Identity cards of Hong Kong (A123456(7)), Macau (1234567(8)) and Taiwan (A123456789).
_HKMOTW_ID = re.compile(
    r"[A-Z]" + _NB1 + r"[A-Z]?\d{6} ?[(（][0-9A][)）]"
    r"|[157]" + _NB1 + r"\d{6} ?[(（]\d[)）]"
    r"|[A-Z]" + _NB1 + r"[12]\d{8}" + _NA
)
# WeChat ids (6-20 letters, digits, _ or -, starting with a letter; wxid_... anywhere) and
# QQ numbers (5-11 digits), after their cue words.
_WECHAT = re.compile(
    r"(?:[微薇威维]信号?|微信账号|weixin|WeChat|wechat|[vV][xX]|[vV]信|wx)(?:号|账号|ID|id)?"
    r"(?:是|为|吧|呀|哦|啊|哈|搜|名|：|:|\s)*\s?([A-Za-z][A-Za-z0-9_\-]{5,19})" + _NA
)
# Other social and payment accounts after their names: 抖音号, 快手号, 微博, 支付宝账号.
_ACCOUNT = re.compile(
    r"(?:抖音|快手|微博|小红书|钉钉|支付宝|淘宝|闲鱼|B站|Telegram|Line|Skype|飞书)(?:号|账号|ID|id|昵称)?"
    r"(?:是|为|：|:|\s)*\s?([A-Za-z0-9][A-Za-z0-9_\-.]{4,29})" + _NA
)
# Housing-fund and social-insurance accounts, their digits in groups ("公积金账号2011 0387 1542").
_FUND_ACCOUNT = re.compile(
    r"(?:公积金|社保|医保)(?:个人账号|账号|账户|卡号|编号)(?:是|为|：|:|\s)*"
    r"(\d{4,}(?:[ \-]\d{2,6}){0,4})" + _ND
)
_WXID = re.compile(r"w" + _NB1 + r"xid_[A-Za-z0-9_]{4,30}")
# (a number before a unit is an amount or a date: "QQ号我没有，价格是：35000元")
_NOT_AN_AMOUNT = r"(?![\d.年月日号元块岁个万%])"
_QQ = re.compile(
    r"(?:[Qq] ?[Qq]|扣扣|企鹅号|[Qq](?=[:：]))(?:号码|号)?[^\d\n。；;]{0,8}?([1-9]\d{4,10})"
    + _NOT_AN_AMOUNT
)
# A QQ number asked for and given in the next turn of a chat ("请提供一下QQ号，客服拉您进群。
# ——好的，1127364510"): a bare number opening a clause soon after the asked-for QQ号, not
# an amount, a date or part of a longer number.
_QQ_ANSWERED = re.compile(
    r"(?:[Qq] ?[Qq]|扣扣)(?:号码|号)[^\d\n]{0,24}?[，,：:]\s?([1-9]\d{4,10})" + _NOT_AN_AMOUNT
)
# Court and arbitration case numbers: (2026)沪0104民初123号, 沪劳人仲(2026)办字第123号.
_CASE_NO = re.compile(
    r"[(（\[〔]\s?(?:19|20)\d{2}\s?[)）\]〕]\s?"
    r"(?:[" + HAN + r"]{1,4}\d{0,4}[" + HAN + r"]{1,8}第?\d{1,6}(?:-\d{1,4})?号"
    r"|[" + HAN + r"]{0,6}第?\d{1,6}号)"
)
_CASE_BACK = 8  # at most this many characters of a body's name before "(2026)"
# Words that end a sentence's part before a case number, never inside a body's name:
# "2025年10月9日作出（2024）沪0115民初1号" keeps its date.
_CASE_BACK_STOP = frozenset("年月日号于在为是的作出由经向与和及了即依按据系")


def _case_numbers(text: str, out: list[Candidate]) -> None:
    """Case numbers start at their "(year)"; a body's name before it ("沪劳人仲") joins."""
    for m in _CASE_NO.finditer(text):
        start = m.start()
        limit = max(0, start - _CASE_BACK)
        while (
            start > limit
            and "\u4e00" <= text[start - 1] <= "\u9fff"
            and text[start - 1] not in _CASE_BACK_STOP
        ):
            start -= 1
        out.append((start, m.end(), "case_no"))


# VINs: 17 characters without I, O, Q, with a valid check digit, or after a cue.
_VIN = re.compile(r"[A-HJ-NPR-Z0-9]" + _NB1 + r"(?:[ \-]?[A-HJ-NPR-Z0-9]){16}" + _NA)
_VIN_CUED = re.compile(
    r"(?:车架号|车辆识别代号|车辆识别码|识别代码|VIN|vin)(?:码|号|为|是)?[:：\s]*"
    r"([A-Z0-9](?:[ \-]?[A-Z0-9]){16})"
)
# Hospital numbers (住院号, 病案号, 病历号, 门诊号, 就诊卡号, 医保卡号) after their cue.
_HOSPITAL = re.compile(
    r"(?:住院号|病案号|病历号|门诊号|就诊号|就诊卡号|医保卡号|病人ID|患者ID)(?:码|为|是)?[:：\s]*"
    r"([A-Za-z]{0,4}[\-]?\d{2,14}(?:-\d{2,10})?)" + _NA
)


# ---------------------------------------------------------------------------------
# Detectors
# ---------------------------------------------------------------------------------
def _id18(text: str, out: list[Candidate]) -> None:
    for m in _ID18.finditer(text):
        s = _DIGITS_ONLY.sub("", m.group())
        if is_resident_id(s):
            out.append((m.start(), m.end(), "resident_id"))
        elif m.group().isalnum() and is_uscc(s.upper()):
            out.append((m.start(), m.end(), "uscc"))


def _id15(text: str, out: list[Candidate]) -> None:
    for m in _ID15.finditer(text):
        if is_resident_id(_DIGITS_ONLY.sub("", m.group())):
            out.append((m.start(), m.end(), "resident_id"))


def _uscc(text: str, out: list[Candidate]) -> None:
    for m in _USCC.finditer(text):
        if is_uscc(_SEPARATORS.sub("", m.group())):
            out.append((m.start(), m.end(), "uscc"))


def _card(text: str, out: list[Candidate]) -> None:
    for m in _CARD.finditer(text):
        digits = _DIGITS_ONLY.sub("", m.group())
        if not 16 <= len(digits) <= 19 or "X" in digits or "x" in digits:
            continue
        if luhn_ok(digits) or _CARD_CUE.search(text, max(0, m.start() - 12), m.start()):
            out.append((m.start(), m.end(), "bank_card"))


def _landline(text: str, out: list[Candidate]) -> None:
    out.extend((m.start(), m.end(), "landline") for m in _LANDLINE.finditer(text))
    out.extend((m.start(1), m.end(1), "landline") for m in _LANDLINE_CUED.finditer(text))


def _documents(text: str, out: list[Candidate]) -> None:
    """Passports and permits: their own shapes anywhere, any number after a document cue."""
    for m in _PASSPORT.finditer(text):
        out.append((m.start(), m.end(), "passport"))
    for m in _PERMIT.finditer(text):
        out.append((m.start(), m.end(), "permit"))
    for m in _HKMOTW_ID.finditer(text):
        out.append((m.start(), m.end(), "permit"))
    for m in _DOCUMENT_CUED.finditer(text):
        kind = "passport" if text[m.start() : m.start() + 2] == "护照" else "permit"
        out.append((m.start(1), m.end(1), kind))


def _vin(text: str, out: list[Candidate]) -> None:
    for m in _VIN.finditer(text):
        v = _SEPARATORS.sub("", m.group())
        if not v.isdigit() and not v.isalpha() and is_vin(v):
            out.append((m.start(), m.end(), "vin"))
    out.extend((m.start(1), m.end(1), "vin") for m in _VIN_CUED.finditer(text))


_APPLICATION_NO = re.compile(r"(?<![\d-])\d{6}-\d{8}-\d{6}-[\dX](?![\dA-Za-z-])")


def _hub_numbers(view: str, out: list[Candidate]) -> None:
    for m in _APPLICATION_NO.finditer(view):
        digits = m.group().replace("-", "")
        if mod11_2(digits[:20]) == digits[20]:
            out.append((m.start(), m.end(), APPLICATION_NUMBER))


_DIGITS = "0123456789"
# The order counts: candidates of equal priority over the same characters (a passport and
# a permit) are resolved in the order they were found. privacy.pii.spans runs this table
# first, then those of dates and amounts, addresses and names.
DETECTORS: tuple[DetectorEntry, ...] = (
    ("plain", _DIGITS, "long", _hub_numbers),
    ("digits", _DIGITS, "long", _id18),
    ("digits", _DIGITS, "long", _id15),
    ("upper", _DIGITS, "long", _uscc),
    ("digits", _DIGITS, "long", _card),
    ("digits", _DIGITS, "phone", simple(_MOBILE, "mobile")),
    ("digits", _DIGITS, "phone", _landline),
    ("plain", "@([艾圈t#", "email", simple(_EMAIL, "email")),
    ("digits", _DIGITS, "long", simple(_LONG_NUMBER, "number")),
    ("upper", _PROVINCES, "", simple(_PLATE, "plate")),
    ("upper", "EGPDSHMCLegpdshmcl证照", "", _documents),
    ("plain", "信xXQq扣企", "", cued(_WECHAT, "wechat")),
    ("plain", "w", "", simple(_WXID, "wechat")),
    ("plain", "抖快微小钉支淘闲BTLSk飞", "", cued(_ACCOUNT, "account")),
    ("plain", "Qq扣企", "", cued(_QQ, "qq")),
    ("plain", "Qq扣", "", cued(_QQ_ANSWERED, "qq")),
    ("plain", "公社医", "", cued(_FUND_ACCOUNT, "account")),
    ("plain", "(（[〔", "", _case_numbers),
    ("upper", _DIGITS, "long", _vin),
    ("digits", "号ID", "", cued(_HOSPITAL, "hospital_no")),
)
