"""Every answer the OpenAPI document declares, given for real by a tour of the hub
(tests/support/answers.py): it conforms to its schema as schemathesis checks it, and a
client generated from the document reads it back as that schema's model, losing nothing.
SQLite and PostgreSQL."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import pytest
import schemathesis

from tests.support.answers import tour
from tests.support.api import Api
from tests.support.generated_client import generated_client

pytestmark = pytest.mark.slow

#: The answers that were the generic `Record` before each got its own schema.
ONCE_GENERIC = {
    "ServedDocument",
    "Dunned",
    "ImportSummary",
    "ReferralRecorded",
    "RegistryChangeRequested",
    "RegistryChangeRecord",
    "InstitutionHistory",
    "RegistryAsOf",
    "ComplaintFiled",
    "ComplaintProgress",
    "ComplaintAnswered",
    "HelpArticleRecord",
    "WorkOrderFiled",
    "WorkOrderLookup",
    "WorkOrderDone",
    "WorkOrderHelpArticle",
    "WorkOrderReport",
    "SharedCasesPage",
    "SharedCase",
    "SharedAggregates",
    "GrantRecord",
    "SharedUnreadable",
    "PrivacyBudget",
    "PrivacyBudgetGranted",
}
#: Operations the generator cannot make (it has no NDJSON request bodies).
NOT_GENERATED = {"importCases"}


def _snake(operation_id: str) -> str:
    """`fileWorkOrder` -> `file_work_order`, the generated module's name."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", operation_id).lower()


def _component(document: dict[str, Any], method: str, path: str, status: int) -> str:
    declared = document["paths"][path][method.lower()]["responses"][str(status)]
    ref: str = declared["content"]["application/json"]["schema"]["$ref"]
    return ref.rsplit("/", 1)[-1]


def _models(document: dict[str, Any], name: str) -> set[str]:
    """The model names a generated client may parse component `name` into."""
    choices = document["components"]["schemas"][name].get("anyOf")
    return {c["$ref"].rsplit("/", 1)[-1] for c in choices} if choices else {name}


def test_each_answer_conforms_and_reads_back_in_a_generated_client(
    api: Api, tmp_path: Path
) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", api.client.app)
    raw = api.client.get("/openapi.json")
    document = raw.json()
    t = tour(api)
    met: set[str] = set()
    failures: list[str] = []
    for method, path, response in t.answers:
        try:
            schema[path][method].validate_response(response)
        except BaseException as exc:  # a group of schemathesis failures
            found = getattr(exc, "exceptions", [exc])
            failures += [f"{method} {path}: {str(e)[:800]}" for e in found]
        met.add(_component(document, method, path, response.status_code))
    assert not failures, "\n\n".join(failures)
    assert met >= ONCE_GENERIC, sorted(ONCE_GENERIC - met)

    with generated_client(raw.content, tmp_path) as (package, _report):
        client = package.Client(base_url="http://testserver", raise_on_unexpected_status=True)
        read_back = 0
        for method, path, response in t.answers:
            op = document["paths"][path][method.lower()]
            if op["operationId"] in NOT_GENERATED:
                continue
            module = importlib.import_module(
                f"{package.__name__}.api.{op['tags'][0]}.{_snake(op['operationId'])}"
            )
            parsed = module._parse_response(client=client, response=response)
            name = _component(document, method, path, response.status_code)
            where = f"{method} {path} {response.status_code}"
            assert type(parsed).__name__ in _models(document, name), (where, type(parsed))
            assert parsed.to_dict() == response.json(), where
            read_back += 1
    assert read_back >= 50, read_back
