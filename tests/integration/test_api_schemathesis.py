"""Schemathesis over the served OpenAPI document, as every role (a bounded run for CI).

Each operation gets a few generated requests that fit its schema and a few that do not
(`GenerationMode.POSITIVE` / `NEGATIVE`, no shrinking, the same examples every run); each
request is sent as every role (admin, unit, institution, portal, databureau, court) and
checked with schemathesis's
checks and the hub's own: no 5xx, answers as documented, `X-Content-Type-Options: nosniff`
on JSON answers, 201 for a creating POST that succeeds, and, for every path, 405 with an
`Allow` naming exactly the documented methods for the methods it does not serve.

Not enabled: `positive_data_acceptance`. A body can fit the JSON Schema and still be
refused with 422, by rules JSON Schema cannot say (check characters, `id_type` against the
party's kind, a registry id that must exist, dates the hub holds plausible, phones by the
numbering plan); the check would count each of those as a failure.
`status_code_conformance` runs once the document declares `201` for every creating POST
(`CREATING`); until then a created help article's 201 is "undocumented" (the document
declares 200 and 4XX only), and the test says it left the check out.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
from collections import Counter, defaultdict
from collections.abc import Iterator

import pytest
import schemathesis
import schemathesis.specs.openapi.checks  # registers the OpenAPI checks
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS
from starlette.testclient import TestClient

from tests.support.api import Api, make_number

pytestmark = pytest.mark.slow

#: The roles the brief names, each with a party of the small registry.
ROLES = (
    ("admin", None),
    ("unit", "sfj"),
    ("institution", "pm-a"),
    ("portal", "portal"),
    ("databureau", None),
    ("court", "court-310104"),
)
#: Examples per operation and mode: the run stays under two minutes on a loaded machine.
EXAMPLES = {GenerationMode.POSITIVE: 2, GenerationMode.NEGATIVE: 1}
NOT_ENABLED = {"positive_data_acceptance"}
#: POSTs that create something: a success is 201 (INTERFACE 1), not 200.
CREATING = {
    "POST /v1/applications",
    "POST /v1/applications/{no}/events",
    "POST /v1/applications/{no}/referrals",
    "POST /v1/applications/{no}/documents",
    "POST /v1/complaints",
    "POST /v1/workorders",
    "POST /v1/help/articles",
    "POST /v1/registry/changes",
    "POST /v1/shared/grants",
}
_PRINTABLE = st.text(
    st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")), min_size=1, max_size=30
).filter(str.strip)

schemathesis.openapi.format("printable", _PRINTABLE)


@schemathesis.serializer("application/x-ndjson")
def _ndjson(ctx: object, value: object) -> bytes:
    """`POST /v1/import/cases` takes NDJSON text; anything else goes as JSON, to be refused."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    return json.dumps(value).encode()


def nosniff_on_json(ctx: object, response: schemathesis.Response, case: schemathesis.Case) -> None:
    ctype = response.headers.get("content-type", [""])[0]
    if "json" in ctype and response.headers.get("x-content-type-options") != ["nosniff"]:
        raise AssertionError(f"{case.operation.label}: JSON answer without nosniff")


def created_is_201(ctx: object, response: schemathesis.Response, case: schemathesis.Case) -> None:
    created = case.operation.label in CREATING and 200 <= response.status_code < 300
    if created and response.status_code != 201 and "repeat" not in (response.text or ""):
        raise AssertionError(f"{case.operation.label}: created with {response.status_code}")


def _checks(document: dict) -> tuple[list, list[str]]:  # type: ignore[type-arg]
    """The checks to run, and the names of those the document does not allow yet."""
    left_out = set(NOT_ENABLED)
    for label in CREATING:
        method, path = label.split(" ", 1)
        responses = document["paths"].get(path, {}).get(method.lower(), {}).get("responses", {})
        if path in document["paths"] and "201" not in responses:
            left_out.add("status_code_conformance")
    return [c for c in CHECKS.get_all() if c.__name__ not in left_out], sorted(left_out)


@pytest.fixture
def hub(api: Api) -> Iterator[Api]:
    api.client = TestClient(api.client.app, raise_server_exceptions=False)
    yield api


def _title(exc: BaseException) -> list[str]:
    found = re.findall(r"^- (.+)$", str(exc), re.M)
    return found or [f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}"]


@pytest.mark.parametrize("hub_db", ["postgresql"], indirect=True)
def test_every_operation_as_every_role(hub: Api) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", hub.client.app)
    auths = [{"Authorization": f"Bearer {hub.token(role, party)}"} for role, party in ROLES]
    document = hub.client.get("/openapi.json").json()
    checks, left_out = _checks(document)
    failures: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], str] = {}
    calls, started = 0, time.monotonic()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 40

    for operation in operations:
        item = document["paths"][operation.path][operation.method.lower()]
        media = set(item.get("requestBody", {}).get("content", {}))
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            if mode is GenerationMode.NEGATIVE and media - {"application/json"}:
                continue  # NDJSON is text on the wire: no body "violates" a string schema

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES[mode],
                phases=[Phase.explicit, Phase.generate],
                deadline=None,
                database=None,
                derandomize=True,  # the same examples every run: CI fails for a change, not luck
                suppress_health_check=list(HealthCheck),
            )
            def run(case: schemathesis.Case) -> None:
                nonlocal calls
                label = case.operation.label
                for auth in auths:
                    calls += 1
                    response = case.call(headers=auth)
                    for check in (nosniff_on_json, created_is_201):
                        try:
                            check(None, response, case)
                        except AssertionError as exc:
                            failures[(str(exc), label)] += 1
                    try:
                        case.validate_response(response, checks=checks, headers=auth)
                    except BaseException as exc:  # a group of schemathesis failures
                        for title in _title(exc):
                            failures[(title, label)] += 1
                            examples.setdefault((title, label), str(exc)[:1500])

            with contextlib.suppress(Unsatisfiable):  # nothing to negate: no parameters or body
                run()

    # every documented path refuses the methods it does not serve: 405 and the right Allow
    for path, item in document["paths"].items():
        declared = {m.upper() for m in item if m in ("get", "post", "put", "delete", "patch")}
        url = re.sub(r"\{no\}", make_number("20261123", 1), path)
        url = re.sub(r"\{[a-z_]+\}", "1", url)
        for method in sorted({"GET", "POST", "PUT", "DELETE", "PATCH"} - declared):
            r = hub.client.request(method, url, headers=auths[0])
            allow = {m.strip() for m in r.headers.get("allow", "").split(",") if m.strip()}
            if r.status_code != 405 or allow - {"HEAD", "OPTIONS"} != declared:
                failures[(f"{method} answered {r.status_code}, Allow {sorted(allow)}", path)] += 1
            if r.headers.get("x-content-type-options") != "nosniff":
                failures[("405 without nosniff", path)] += 1

    seconds = time.monotonic() - started
    print(f"schemathesis: {len(operations)} operations, {calls} calls in {seconds:.1f} s")
    print(f"checks: {', '.join(c.__name__ for c in checks)}; left out: {', '.join(left_out)}")
    by_title: dict[str, list[str]] = defaultdict(list)
    for title, label in failures:
        by_title[title].append(label)
    report = "\n".join(f"{t}: {sorted(set(ops))}" for t, ops in sorted(by_title.items()))
    detail = "\n\n".join(list(examples.values())[:3])
    assert not failures, report + "\n\n" + detail
