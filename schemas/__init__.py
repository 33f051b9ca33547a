"""JSON Schemas (draft 2020-12) of everything that crosses the hub's boundary, and validation.

- ``schemas/<name>.schema.json``, ``$id`` ``https://onematter.example/schemas/<name>``;
  ``common`` holds shared definitions; ``codes`` is built at load time from the code lists
  in ``schemas/codes/*.json`` (category and district enums), so the lists have one source.
- ``validate(name, body)`` answers a list of ``FieldError(pointer, message)``, empty when
  valid: JSON Schema errors first, then the checks JSON Schema cannot express (resident ID
  and credit-code check characters, birth dates, phones, id_type against party kind,
  attachment size and digest, duplicate registry ids), at most one error per pointer.
  Pointers are RFC 6901 JSON pointers
  to the field itself: the missing member for ``required``, the extra member for
  ``additionalProperties``. Messages are Chinese first, then English.
- ``schema_document(name)`` answers a self-contained copy (every ``$ref`` inlined) for the
  OpenAPI document.

Decision: ``received_at`` is required for ``channel: window`` and rejected (422, pointer
``/received_at``) for ``channel: online``: the hub stamps online applications itself.
"""

from __future__ import annotations

import base64
import binascii
import copy
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cache, partial
from pathlib import Path
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator, FormatChecker, ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from schemas import identity, text
from schemas.codes import (
    AGREEMENT_TYPES,
    CATEGORIES,
    DISTRICTS,
    REJECTION_REASONS,
    REMEDY_KINDS,
)

BASE_URI = "https://onematter.example/schemas/"
SCHEMA_NAMES: tuple[str, ...] = (
    "party",
    "attachment",
    "application",
    "institution_event",
    "dispatch",
    "dunning",
    "referral_request",
    "referral_result",
    "registry_file",
    "registry_change",
    "complaint",
    "help_article",
    "grant",
    "withdraw",
    "workorder",
    "workorder_dispatch",
    "workorder_answer",
    "workorder_callback",
    "workorder_help_article",
    "document",
    "document_receipt",
    "import_case",
)
_DIR = Path(__file__).parent


@dataclass(frozen=True)
class FieldError:
    """One problem with a request body: an RFC 6901 pointer and a bilingual message."""

    pointer: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"pointer": self.pointer, "message": self.message}


# ---------------------------------------------------------------- loading and compiling


def _codes_resource() -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": BASE_URI + "codes",
        "title": "代码表 / code lists",
        "$defs": {
            "category": {
                "title": "纠纷类别 / dispute category",
                "type": "string",
                "enum": list(CATEGORIES),
            },
            "district": {
                "title": "行政区划代码 / district code",
                "type": "string",
                "enum": list(DISTRICTS),
            },
            "rejection_reason": {
                "title": "不予受理（退回）理由代码 / rejection-reason code",
                "type": "string",
                "enum": list(REJECTION_REASONS),
            },
            "remedy_kind": {
                "title": "救济途径代码 / remedy kind",
                "type": "string",
                "enum": list(REMEDY_KINDS),
            },
            "agreement_type": {
                "title": "调解协议类型代码 / agreement type",
                "type": "string",
                "enum": list(AGREEMENT_TYPES),
            },
        },
    }


def _read(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


@cache
def _registry() -> Registry:
    documents = [_codes_resource()]
    documents += [_read(p) for p in sorted(_DIR.glob("*.schema.json"))]
    resources = [
        (d["$id"], Resource.from_contents(d, default_specification=DRAFT202012)) for d in documents
    ]
    registry: Registry = Registry().with_resources(resources)
    return registry.crawl()


_DATE_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})"
)


def _format_checker() -> FormatChecker:
    checker = FormatChecker(formats=("date", "uuid"))

    Check = Callable[[object], bool]

    def checks(
        name: str, raises: type[Exception] | tuple[type[Exception], ...] = ()
    ) -> Callable[[Check], Check]:
        # jsonschema's decorator is untyped; the functions below keep their own types
        register: Callable[[Check], Check] = checker.checks(name, raises=raises)
        return register

    @checks("printable")
    def _is_printable(instance: object) -> bool:
        return text.is_printable(instance)

    @checks("email")
    def _is_email(instance: object) -> bool:
        return not isinstance(instance, str) or ("@" in instance and text.is_printable(instance))

    @checks("date-time", raises=ValueError)
    def _is_date_time(instance: object) -> bool:
        if not isinstance(instance, str):
            return True
        if not _DATE_TIME.fullmatch(instance):
            return False
        text = instance[:-1] + "+00:00" if instance.endswith("Z") else instance
        head, dot, tail = text.partition(".")
        if dot:  # Python wants at most 6 fractional digits
            frac = re.match(r"[0-9]+", tail)
            assert frac is not None
            text = head + "." + frac.group()[:6].ljust(6, "0") + tail[frac.end() :]
        return datetime.fromisoformat(text).tzinfo is not None

    @checks("uri")
    def _is_uri(instance: object) -> bool:
        return not isinstance(instance, str) or bool(re.match(r"^https?://[^\s/?#]+", instance))

    return checker


@cache
def _validator(name: str) -> Draft202012Validator:
    if name not in SCHEMA_NAMES:
        raise KeyError(f"unknown schema {name!r}; known: {', '.join(SCHEMA_NAMES)}")
    Draft202012Validator.check_schema(_registry().contents(BASE_URI + name))
    # Validate against the self-contained copy: with every $ref inlined, validation skips
    # reference resolution and runs about three times faster on the intake path.
    return Draft202012Validator(schema_document(name), format_checker=_format_checker())


# ---------------------------------------------------------------- errors and messages


def _pointer(parts: Any) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


_TYPE_ZH = {
    "string": "字符串",
    "integer": "整数",
    "number": "数字",
    "boolean": "布尔值",
    "object": "对象",
    "array": "数组",
    "null": "null",
}


def _type_message(expected: Any) -> str:
    types = [str(t) for t in (expected if isinstance(expected, list) else [expected])]
    zh = "或".join(_TYPE_ZH.get(t, t) for t in types)
    return f"类型错误，应为{zh} / wrong type, expected {' or '.join(types)}"


def _message(error: ValidationError) -> str:
    v, value, schema = error.validator, error.validator_value, error.schema
    if v == "not" and isinstance(value, dict) and "pattern" in value:  # registry_id
        return "保留名称，不能用作编号 / a name the hub reserves, not allowed as an id"
    if v is None or v == "not":  # `false` / `{"not": {}}`: a member that must be absent
        return "不允许出现此字段 / field not allowed here"
    if v == "type":
        return _type_message(value)
    if v in ("enum", "const"):
        title = schema.get("title") if isinstance(schema, dict) else None
        if isinstance(title, str) and " / " in title:
            zh, en = title.split(" / ", 1)
            return f"未知的{zh} / unknown {en}"
        allowed = value if v == "enum" else [value]
        shown = ", ".join(json.dumps(a, ensure_ascii=False) for a in allowed[:12])
        return f"取值不在允许范围内：{shown} / value not allowed, expected one of {shown}"
    if v == "maxLength":
        return f"长度超过上限 {value} 个字符 / longer than {value} characters"
    if v == "minLength":
        if value == 1:
            return "不能为空 / must not be empty"
        return f"长度不足 {value} 个字符 / shorter than {value} characters"
    if v == "pattern":
        if value == "\\S":
            return "不能为空白 / must not be blank"
        return "格式不正确 / invalid format"
    if v == "format" and value == "printable":
        return text.PRINTABLE_MESSAGE
    if v == "format":
        return f"格式不正确（{value}） / invalid {value}"
    if v == "maxItems":
        return f"条目过多，最多 {value} 项 / too many items, at most {value}"
    if v == "minItems":
        return f"条目过少，至少 {value} 项 / too few items, at least {value}"
    if v == "uniqueItems":
        return "存在重复条目 / items must be unique"
    if v == "maximum":
        return f"数值超过上限 {value} / greater than {value}"
    if v == "minimum":
        return f"数值低于下限 {value} / less than {value}"
    if v == "minProperties":
        return "至少需要一个字段 / at least one field is required"
    return f"不符合规范 / {error.message}"


def _schema_errors(validator: Draft202012Validator, body: object) -> Iterator[FieldError]:
    for error in validator.iter_errors(body):
        here = list(error.absolute_path)
        instance = error.instance
        if error.validator == "required" and isinstance(instance, dict):
            for member in error.validator_value:
                if member not in instance and error.message.startswith(repr(member)):
                    yield FieldError(
                        _pointer([*here, member]), "必填字段缺失 / required field missing"
                    )
                    break
        elif error.validator == "additionalProperties" and isinstance(instance, dict):
            known = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
            patterns = (
                error.schema.get("patternProperties", {}) if isinstance(error.schema, dict) else {}
            )
            for member in instance:
                if member in known or any(re.search(p, member) for p in patterns):
                    continue
                yield FieldError(
                    _pointer([*here, member]), "不允许的字段 / unknown field not allowed"
                )
        else:
            yield FieldError(_pointer(here), _message(error))


# ---------------------------------------------------------------- semantic checks

_Check = Callable[[Any, Callable[[str, str], None]], None]

_PERSON_IDS = ("resident_id", "passport", "other")
_ORG_IDS = ("uscc", "other")


def _check_phone(
    value: Any, pointer: str, add: Callable[[str, str], None], *, organization: bool = False
) -> None:
    if isinstance(value, str) and not identity.is_phone(value, organization=organization):
        more = "、400/800 号码" if organization else ""
        more_en = ", 400/800 number" if organization else ""
        add(
            pointer,
            f"电话号码无效：应为已分配号段的手机号或存在的区号加正确位数的固定电话{more}"
            "（如 13812345678、021-64871234、021-64871234转1234） / "
            f"invalid phone: a mobile of an allocated block or a landline of an existing "
            f"area code and the right length{more_en}, e.g. 021-64871234-1234",
        )


def _check_party(party: Any, at: str, add: Callable[[str, str], None]) -> None:
    if not isinstance(party, dict):
        return
    kind, id_type, number = party.get("kind"), party.get("id_type"), party.get("id_number")
    if kind == "person" and id_type in ("uscc",):
        add(
            at + "/id_type",
            "证件类型与当事人类型不符：自然人应使用居民身份证、护照或其他证件 / "
            "id_type does not fit kind person: resident_id, passport or other",
        )
    elif kind == "organization" and id_type in ("resident_id", "passport"):
        add(
            at + "/id_type",
            "证件类型与当事人类型不符：组织应使用统一社会信用代码或其他证件 / "
            "id_type does not fit kind organization: uscc or other",
        )
    elif isinstance(number, str):
        problem: str | None = None
        if id_type == "resident_id":
            problem = identity.resident_id_problem(number)
        elif id_type == "uscc":
            problem = identity.uscc_problem(number)
        elif id_type == "passport" and not identity.is_passport_number(number):
            problem = "护照号码格式不正确 / invalid passport number: 5-17 letters and digits"
        elif id_type == "other" and not identity.is_other_id(number):
            problem = "证件号码格式不正确 / invalid document number"
        if problem:
            add(at + "/id_number", problem)
    _check_phone(party.get("phone"), at + "/phone", add, organization=kind == "organization")


def _check_attachment(item: Any, at: str, add: Callable[[str, str], None]) -> None:
    if not isinstance(item, dict) or not isinstance(item.get("content_base64"), str):
        return
    try:
        content = base64.b64decode(item["content_base64"], validate=True)
    except (binascii.Error, ValueError):
        add(at + "/content_base64", "附件内容不是有效的 base64 / content is not valid base64")
        return
    size = item.get("size")
    if isinstance(size, int) and not isinstance(size, bool) and size != len(content):
        add(
            at + "/size",
            f"附件大小与内容不符（实际 {len(content)} 字节） / "
            f"size does not match the content ({len(content)} bytes)",
        )
    digest = item.get("sha256")
    if isinstance(digest, str) and digest != hashlib.sha256(content).hexdigest():
        add(at + "/sha256", "附件摘要与内容不符 / sha256 does not match the content")


def _items(body: Any, key: str) -> Iterator[tuple[int, Any]]:
    value = body.get(key) if isinstance(body, dict) else None
    if isinstance(value, list):
        yield from enumerate(value)


def _check_application(body: Any, add: Callable[[str, str], None]) -> None:
    for key in ("applicants", "respondents"):
        for i, party in _items(body, key):
            _check_party(party, f"/{key}/{i}", add)
    for i, item in _items(body, "attachments"):
        _check_attachment(item, f"/attachments/{i}", add)


def _check_referral_request(body: Any, add: Callable[[str, str], None]) -> None:
    for i, item in _items(body, "documents"):
        _check_attachment(item, f"/documents/{i}", add)
    agreement = body.get("post_dispute_agreement") if isinstance(body, dict) else None
    if isinstance(agreement, dict) and isinstance(agreement.get("document"), dict):
        _check_attachment(agreement["document"], "/post_dispute_agreement/document", add)
        if body.get("kind") != "arbitration":
            add("/post_dispute_agreement", "仅用于申请仲裁 / only for an arbitration referral")


def _check_referral_result(body: Any, add: Callable[[str, str], None]) -> None:
    if isinstance(body, dict) and isinstance(body.get("document"), dict):
        _check_attachment(body["document"], "/document", add)


def _check_registry_file(body: Any, add: Callable[[str, str], None]) -> None:
    for key in ("units", "institutions"):
        seen: set[str] = set()
        for i, item in _items(body, key):
            if not isinstance(item, dict):
                continue
            ident = item.get("id")
            if isinstance(ident, str):
                if ident in seen:
                    add(f"/{key}/{i}/id", f"编号重复：{ident} / duplicate id {ident}")
                seen.add(ident)
            _check_phone(item.get("phone"), f"/{key}/{i}/phone", add, organization=True)


def _check_registry_change(body: Any, add: Callable[[str, str], None]) -> None:
    if isinstance(body, dict) and isinstance(body.get("data"), dict):
        _check_phone(body["data"].get("phone"), "/data/phone", add, organization=True)


def _check_complaint(body: Any, add: Callable[[str, str], None]) -> None:
    if isinstance(body, dict) and isinstance(body.get("contact"), dict):
        _check_phone(body["contact"].get("phone"), "/contact/phone", add)


_SEMANTIC: dict[str, _Check] = {
    "party": lambda body, add: _check_party(body, "", add),
    "attachment": lambda body, add: _check_attachment(body, "", add),
    "application": _check_application,
    "import_case": _check_application,  # the same party checks, line by line
    "referral_request": _check_referral_request,
    "referral_result": _check_referral_result,
    "registry_file": _check_registry_file,
    "registry_change": _check_registry_change,
    "complaint": _check_complaint,
    "workorder": _check_complaint,  # the same contact phone check
    "document": lambda body, add: _check_attachment(body, "", add),
}


# ---------------------------------------------------------------- public API


@cache
def _fast(name: str) -> Callable[[object], object]:
    """A compiled (fastjsonschema) check of the same self-contained schema.

    It only answers valid or not, about ten times faster than jsonschema; bodies it refuses
    go to jsonschema for the exact pointers and messages. The schemas use only keywords of
    draft 7, which fastjsonschema compiles. Without detailed exceptions: each `if`, `not`
    or `oneOf` branch that does not match raises one inside the check, and building its
    message (and a copy of its definition) took most of the time of a valid import line.
    """
    document = _const_as_enum({k: v for k, v in _document(name).items() if k != "$schema"})
    checker = _format_checker()

    def fmt(format_name: str) -> Callable[[str], bool]:
        return lambda value: checker.conforms(value, format_name)

    formats = {f: fmt(f) for f in checker.checkers}
    formats["printable"] = text.is_printable  # called for every name: skip the wrapper
    # The generated code raises inside every `if` branch that does not match (about ten
    # times a valid import line) and builds each message with `.format(**locals())`, a copy
    # of the large function's locals: 0.13 ms a line. Nobody reads those messages (a
    # refused body goes to jsonschema), so the code is compiled without that formatting.
    code = fastjsonschema.compile_to_code(
        document, formats=formats, use_default=False, detailed_exceptions=False
    ).replace(".format(**locals())", "")
    scope: dict[str, Any] = {}
    exec(compile(code, f"<schema {name}>", "exec"), scope)
    root = re.search(r"^def (\w+)\(", code, re.MULTILINE)  # the root's scope comes first
    assert root is not None
    return partial(scope[root[1]], custom_formats=formats)


def _const_as_enum(node: Any) -> Any:
    """`{"const": x}` as the equivalent `{"enum": [x]}`: fastjsonschema 2.22 cannot compile
    `const` without detailed exceptions (its short message names a field it then lacks)."""
    if isinstance(node, list):
        return [_const_as_enum(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _const_as_enum(v) for k, v in node.items() if k != "const"}
    if "const" in node:
        out["enum"] = [node["const"]]
    return out


def _schema_valid(name: str, body: object) -> bool:
    try:
        _fast(name)(body)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def validate(name: str, body: object, *, storable: bool = False) -> list[FieldError]:
    """Validate ``body`` against schema ``name``; an empty list means valid.

    Raises ``KeyError`` for an unknown schema name (a programming error, not bad input).
    A body holding text that cannot be stored (NUL, a lone surrogate) or nested too deep is
    answered with those errors alone, before anything else looks at it (``schemas.text``);
    ``storable=True`` skips that walk for a caller that has proved it from the raw text
    (``text.storable_json``).
    """
    if name not in SCHEMA_NAMES:
        raise KeyError(f"unknown schema {name!r}; known: {', '.join(SCHEMA_NAMES)}")
    unstorable = [] if storable else text.unstorable(body)
    if unstorable:
        return [FieldError(pointer, message) for pointer, message in unstorable]
    errors: list[FieldError] = []
    flagged: set[str] = set()
    schema_errors = [] if _schema_valid(name, body) else _schema_errors(_validator(name), body)
    for error in schema_errors:
        if error.pointer not in flagged:  # one message per field, the first found
            flagged.add(error.pointer)
            errors.append(error)
    check = _SEMANTIC.get(name)
    if check is not None:

        def add(pointer: str, message: str) -> None:
            if pointer not in flagged:
                flagged.add(pointer)
                errors.append(FieldError(pointer, message))

        check(body, add)
    return errors


_ANNOTATIONS = frozenset({"title", "description", "examples", "default", "$comment"})


def _inline(node: Any, resolver: Any, stack: tuple[int, ...]) -> Any:
    if isinstance(node, list):
        return [_inline(n, resolver, stack) for n in node]
    if not isinstance(node, dict):
        return node
    if "$id" in node:
        resolver = resolver.in_subresource(Resource.from_contents(node, DRAFT202012))
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("$schema", "$id", "$defs", "$ref"):
            continue
        out[key] = _inline(value, resolver, stack)
    ref = node.get("$ref")
    if ref is None:
        return out
    resolved = resolver.lookup(ref)
    target_id = id(resolved.contents)
    if target_id in stack:
        raise ValueError(f"recursive $ref {ref!r} cannot be inlined")
    target = _inline(resolved.contents, resolved.resolver, (*stack, target_id))
    if not isinstance(target, dict):
        return target if not out else {"allOf": [target], **out}
    if set(out) <= _ANNOTATIONS:
        return {**target, **out}
    return {"allOf": [target], **out}


def schema_document(name: str) -> dict[str, Any]:
    """The schema ``name`` as one self-contained JSON Schema (no ``$ref``), for OpenAPI."""
    return copy.deepcopy(_document(name))


@cache
def _document(name: str) -> dict[str, Any]:
    if name not in SCHEMA_NAMES:
        raise KeyError(f"unknown schema {name!r}; known: {', '.join(SCHEMA_NAMES)}")
    resolver = _registry().resolver(base_uri=BASE_URI + name)
    result: dict[str, Any] = _inline(_registry().contents(BASE_URI + name), resolver, ())
    return result


__all__ = ["BASE_URI", "SCHEMA_NAMES", "FieldError", "schema_document", "validate"]
