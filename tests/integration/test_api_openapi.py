"""The OpenAPI document (hub/api/openapi.py, hub/api/declare.py): complete enough that a
client generated from it drives a case's lifecycle, and built from the same declarations
the routes check callers against."""

from __future__ import annotations

import importlib
import pkgutil
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from hub.api.declare import DeclaredRoute
from hub.services.principal import Role
from tests.support.api import APPLICANT_NAME, Api, application_body
from tests.support.generated_client import generated_client


def _spec(api: Api) -> dict[str, Any]:
    r = api.client.get("/openapi.json")
    assert r.status_code == 200
    spec: dict[str, Any] = r.json()
    return spec


def _operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in spec["paths"].items():
        for method, op in item.items():
            yield path, method, op


def test_every_operation_is_named_tagged_and_answered(api: Api) -> None:
    spec = _spec(api)
    assert spec["openapi"].startswith("3.1")
    ids = [op["operationId"] for _, _, op in _operations(spec)]
    assert len(ids) == len(set(ids)) and len(ids) >= 55
    tags = {t["name"] for t in spec["tags"]}
    for path, method, op in _operations(spec):
        assert op["tags"] and set(op["tags"]) <= tags, (path, method)
        ok = [s for s in op["responses"] if s.startswith("2")]
        assert ok, (path, method)
        assert all("content" in op["responses"][s] for s in ok), (path, method)
        for status, answer in op["responses"].items():
            if int(status) >= 400 and (path, status) != ("/readyz", "503"):
                (schema,) = answer["content"]["application/problem+json"].values()
                assert schema == {"$ref": "#/components/schemas/Problem"}
    for path in ("/v1/admin/deadletters", "/v1/admin/deadletters/replay"):
        assert path in spec["paths"], path
    problem = spec["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail", "errors"} <= set(problem["properties"])


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def test_every_json_answer_describes_its_members(api: Api) -> None:
    """No answer is a bare object (the generic `Record` is gone): each 2xx JSON answer names
    its own component, which says its required members and their types (or is a choice of
    such), and every time in it is a date-time with its offset."""
    spec = _spec(api)
    components = spec["components"]["schemas"]
    assert "Record" not in components
    named: set[str] = set()
    for path, method, op in _operations(spec):
        for status, answer in op["responses"].items():
            schema = answer.get("content", {}).get("application/json", {}).get("schema")
            if not status.startswith("2") or schema is None or path == "/openapi.json":
                continue
            assert set(schema) == {"$ref"}, (path, method, status)
            named.add(schema["$ref"])
            whole = _resolve(spec, schema)
            choices = [_resolve(spec, c) for c in whole.get("anyOf", [whole])]
            for choice in choices:
                assert choice.get("type") == "object", (path, method, choice)
                assert choice.get("required"), (path, method, "no required member")
                assert set(choice["required"]) <= set(choice["properties"]), (path, method)
                for member in choice["properties"].values():
                    inner = [_resolve(spec, m) for m in member.get("anyOf", [member])]
                    assert all("type" in m or "anyOf" in m or "enum" in m for m in inner), (
                        path,
                        method,
                        member,
                    )
    assert len(named) >= 40
    times = [
        node
        for node in _walk(components)
        if isinstance(node, dict) and node.get("format") == "date-time"
    ]
    assert times and all(t.get("pattern", "").endswith("(Z|[+-][0-9]{2}:[0-9]{2})$") for t in times)


def _walk(node: Any) -> Iterator[Any]:
    yield node
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
    for child in children:
        yield from _walk(child)


def test_creating_posts_answer_201_and_listings_declare_their_query(api: Api) -> None:
    paths = _spec(api)["paths"]
    for path in ("/v1/applications", "/v1/applications/{no}/events", "/v1/complaints"):
        assert "201" in paths[path]["post"]["responses"], path
    listing = {p["name"]: p for p in paths["/v1/applications"]["get"]["parameters"]}
    assert {"status", "institution", "overdue", "limit", "cursor"} <= set(listing)
    assert listing["overdue"]["schema"]["type"] == "boolean"
    assert "dispatched" in listing["status"]["schema"]["enum"]
    answer = paths["/v1/applications"]["post"]["responses"]["201"]
    assert answer["content"]["application/json"]["schema"]["$ref"].endswith("ApplicationCreated")


def _fill(path: str) -> str:
    values = {"no": "310000-20261123-000001-3", "year": "2026", "index": "0"}
    out = []
    for part in path.split("/"):
        if part.startswith("{"):
            out.append(values.get(part[1:-1], "x-1"))
        else:
            out.append(part)
    return "/".join(out)


def test_each_route_refuses_exactly_the_roles_its_document_does_not_list(api: Api) -> None:
    """The roles in the document and the check at the door are one declaration: for every
    declared operation, no token is 401 and a token of a role not listed is 403."""
    spec = _spec(api)
    declared = [r for r in api.client.app.routes if isinstance(r, DeclaredRoute)]  # type: ignore[attr-defined]
    assert len(declared) == sum(1 for _ in _operations(spec))
    parties = {
        Role.INSTITUTION: "pm-a",
        Role.UNIT: "sfj",
        Role.COURT: "court-310104",
        Role.ARBITRATION: "arb-labor",
        Role.PORTAL: "portal",
    }
    checked = 0
    for route in declared:
        op = route.operation
        documented = spec["paths"][op.path][op.method.lower()]
        assert documented["operationId"] == op.operation_id
        if op.roles is None or op.token_optional:
            continue
        assert documented["security"] == [{"bearer": []}]
        url = _fill(op.path)
        assert api.client.request(op.method, url).status_code == 401, op.operation_id
        listed = set(documented["x-roles"])
        for role in Role:
            if role.value in listed or not op.roles:
                continue
            headers = api.auth(role.value, parties.get(role))
            r = api.client.request(op.method, url, headers=headers, json={})
            assert r.status_code == 403, (op.operation_id, role, r.status_code)
            checked += 1
    assert checked > 100


@pytest.fixture
def generated(api: Api, tmp_path: Path) -> Iterator[Any]:
    """A Python client generated from the served /openapi.json, imported as a package."""
    with generated_client(api.client.get("/openapi.json").content, tmp_path) as (package, out):
        for needed in ("/v1/applications", "/v1/applications/{no}/events", "/v1/status/{no}"):
            assert f"parsing POST {needed} " not in out, out
            assert f"parsing GET {needed} " not in out, out
        yield package


#: Operations the generator cannot make (it has no NDJSON request bodies).
NOT_GENERATED = {"importCases"}


def _raise(name: str) -> None:
    raise ImportError(name)


def test_every_generated_operation_and_model_imports(api: Api, tmp_path: Path) -> None:
    """Every module of the generated client imports, one for each operation of the
    document, and every model it exports loads: a schema the generator drops (say two
    component names equal after its normalisation) fails here, not in a user's import."""
    raw = api.client.get("/openapi.json")
    document = raw.json()
    with generated_client(raw.content, tmp_path) as (package, _report):
        prefix = f"{package.__name__}."
        names = [m.name for m in pkgutil.walk_packages(package.__path__, prefix, _raise)]
        for name in names:
            importlib.import_module(name)
        expected = {
            f"{prefix}api.{op['tags'][0]}."
            + re.sub(r"(?<!^)(?=[A-Z])", "_", op["operationId"]).lower()
            for item in document["paths"].values()
            for method, op in item.items()
            if method in {"get", "post", "put", "patch", "delete"}
            and op["operationId"] not in NOT_GENERATED
        }
        assert expected - set(names) == set(), sorted(expected - set(names))
        models = importlib.import_module(f"{prefix}models")
        for model in models.__all__:
            assert isinstance(getattr(models, model), type), model
        assert len(models.__all__) >= len(document["components"]["schemas"])


def _client(package: Any, api: Api, role: str, party: str | None = None) -> Any:
    token = api.token(role, party)
    transport = TestClient(
        api.client.app, base_url="http://testserver", headers={"Authorization": f"Bearer {token}"}
    )
    return package.AuthenticatedClient(base_url="http://testserver", token=token).set_httpx_client(
        transport
    )


def test_a_generated_client_drives_a_lifecycle(api: Api, generated: Any) -> None:
    """intake -> received -> accepted -> closed, the record and the public status, and a
    refused event read back as the Problem model, all through the generated client."""

    def part(path: str) -> Any:
        return importlib.import_module(f"{generated.__name__}.{path}")

    models = part("models")
    submit = part("api.applications.submit_application")
    event = part("api.applications.record_institution_event")
    record = part("api.applications.get_application")
    status = part("api.applications.get_public_status")
    listing = part("api.applications.list_applications")

    portal = _client(generated, api, "portal")
    body = models.Application.from_dict(application_body(preferred_institution="pm-a"))
    created = submit.sync_detailed(client=portal, body=body)
    assert created.status_code == 201, created.content
    answer = created.parsed
    assert isinstance(answer, models.ApplicationCreated)
    assert answer.status.value == "dispatched"
    no = answer.application_no

    institution = _client(generated, api, "institution", "pm-a")
    closing = {"outcome": "success", "agreement": {"summary": "退还会员费", "amount": "3000.00"}}
    for kind, data, after in (
        ("received", {}, "received"),
        ("accepted", {}, "accepted"),
        ("closed", closing, "closed_success"),
    ):
        step = models.InstitutionEvent.from_dict(
            {"event_id": str(uuid.uuid4()), "type": kind, "data": data}
        )
        done = event.sync_detailed(no, client=institution, body=step)
        assert done.status_code == 201, done.content
        assert isinstance(done.parsed, models.EventRecorded)
        assert done.parsed.status.value == after

    again = models.InstitutionEvent.from_dict({"event_id": str(uuid.uuid4()), "type": "accepted"})
    refused = event.sync_detailed(no, client=institution, body=again)
    assert refused.status_code == 409
    assert isinstance(refused.parsed, models.Problem)
    assert refused.parsed.status == 409
    # one language each half: the Chinese names the status in words, not by its code
    zh, en = refused.parsed.detail.split(" / ", 1)
    assert "调解成功" in zh and not re.search(r"[A-Za-z_]{3,}", zh), zh
    assert "closed_success" in en and not re.search(r"[\u4e00-\u9fff]", en), en

    whole = record.sync(no, client=portal)
    assert isinstance(whole, models.ApplicationRecord)
    assert whole.status.value == "closed_success"
    assert whole.applicants[0].additional_properties["name"] == APPLICANT_NAME
    assert [step.type_ for step in whole.timeline][-1] == "closed"

    public = generated.Client(base_url="http://testserver").set_httpx_client(
        TestClient(api.client.app, base_url="http://testserver")
    )
    seen = status.sync(no, client=public, code=answer.query_code)
    assert isinstance(seen, models.PublicStatus) and seen.status.value == "closed_success"

    admin = _client(generated, api, "admin")
    page = listing.sync(client=admin, status=models.ListApplicationsStatus("closed_success"))
    assert isinstance(page, models.ApplicationList)
    assert [item.application_no for item in page.items] == [no]
