import json
import random

import pytest

from privacy.catalogue import (
    TREATMENTS,
    Catalogue,
    CatalogueError,
    FieldRule,
    leaf_paths,
    load_catalogue,
)
from privacy.testing import make_faker
from tests.support.builders import sample_application, sample_case_record


@pytest.fixture(scope="module")
def full_application() -> dict:
    return sample_application(random.Random(4), make_faker(4))


def test_every_field_of_a_full_application_has_a_treatment(full_application: dict) -> None:
    """Adding a field to the application without a catalogue entry fails here."""
    assert load_catalogue().missing(full_application) == []


def test_every_field_of_a_full_case_record_has_a_treatment() -> None:
    record = sample_case_record(random.Random(5), make_faker(5))
    assert load_catalogue().missing(record) == []


def test_a_new_field_without_a_treatment_is_reported(full_application: dict) -> None:
    full_application["applicants"][0]["wechat"] = "wxid_123"
    full_application["new_top_level"] = {"x": 1}
    assert load_catalogue().missing(full_application) == [
        "applicants[].wechat",
        "new_top_level.x",
    ]


def test_the_interface_fields_are_all_listed() -> None:
    paths = load_catalogue().by_path
    for side in ("applicants", "respondents"):
        for f in ("name", "id_number", "phone", "email", "address", "kind", "id_type"):
            assert f"{side}[].{f}" in paths
    for f in (
        "facts",
        "claims",
        "occurred_on",
        "occurred_place",
        "amount",
        "attachments[].name",
        "attachments[].content_base64",
        "timeline[].data.agreement.summary",
        "timeline[].data.agreement.amount",
        "timeline[].data.remedies",
        "timeline[].data.reason",
        "timeline[].data.note",
        "category",
        "district",
        "channel",
        "status",
        "institution.id",
        "received_at",
    ):
        assert f in paths, f


def test_items_and_treatments_of_the_article_23_fields() -> None:
    c = load_catalogue().by_path
    expected = {
        "applicants[].name": ("1", "drop"),
        "applicants[].id_number": ("2", "drop"),
        "respondents[].phone": ("3", "drop"),
        "occurred_on": ("4", "drop"),
        "occurred_place": ("5", "drop"),
        "claims": ("6", "drop"),
        "amount": ("6", "band"),
        "timeline[].data.agreement.summary": ("7", "drop"),
        "timeline[].data.agreement.amount": ("7", "drop"),
        "attachments[].content_base64": ("8", "drop"),
        "category": ("none", "keep"),
        "received_at": ("none", "month"),
        "timeline[].data.reason_code": ("none", "keep"),
        "timeline[].data.remedy_kinds[]": ("none", "keep"),
        "timeline[].data.agreement.type": ("none", "keep"),
    }
    for path, (item, treatment) in expected.items():
        assert (c[path].item, c[path].treatment) == (item, treatment), path


def test_no_free_text_and_no_time_finer_than_the_month_is_kept() -> None:
    """Issue 11 item 1 and 2: notes, reasons, remedies, facts, claims and agreement
    summaries never leave; no timestamp leaves except as a month."""
    c = load_catalogue().by_path
    for path in (
        "facts",
        "claims",
        "timeline[].data.note",
        "timeline[].data.reason",
        "timeline[].data.remedies",
        "timeline[].data.agreement.summary",
        "created_at",
        "updated_at",
        "timeline[].at",
        "deadlines[].due_at",
        "timeline[].data.due_at",
        "timeline[].data.decided_on",
        "applicants[].id_number",
        "respondents[].id_number",
    ):
        assert c[path].treatment == "drop", path
    kept = [r for r in load_catalogue().rules if r.treatment != "drop"]
    assert {r.treatment for r in kept} <= {"keep", "month", "band", "pseudonym"}
    assert [r.path for r in kept if r.treatment == "pseudonym"] == ["application_no"]


def test_catalogue_file_is_consistent() -> None:
    cat = load_catalogue()
    assert cat.version >= 1 and len(cat.districts) == 16
    assert {r.treatment for r in cat.rules} <= TREATMENTS
    assert all(not (r.personal and r.treatment == "keep") for r in cat.rules)
    assert [b.label for b in cat.bands] == [
        "0-1000",
        "1000-10000",
        "10000-100000",
        "100000-1000000",
        ">1000000",
    ]


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ((FieldRule("a", "1", "keep"),), "cannot be kept"),
        ((FieldRule("a", "1", "encrypt"),), "unknown treatment"),
        ((FieldRule("a", "9", "drop"),), "unknown Article 23 item"),
        ((FieldRule("a", "none", "keep"), FieldRule("a", "1", "drop")), "listed twice"),
        ((FieldRule("a", "8", "drop"), FieldRule("a.b", "none", "keep")), "inside"),
    ],
)
def test_catalogue_rejects_unsafe_entries(rules: tuple[FieldRule, ...], message: str) -> None:
    with pytest.raises(CatalogueError, match=message):
        Catalogue(version=1, rules=rules, bands=(), districts={})


def test_leaf_paths_and_subtree_entries() -> None:
    doc = {"a": [{"b": 1}, {"b": 2, "c": []}], "d": {}}
    assert sorted(set(leaf_paths(doc))) == ["a[].b", "a[].c[]", "d"]
    cat = load_catalogue()
    assert (
        cat.rule_for("timeline[].data.document.sha256") is cat.by_path["timeline[].data.document"]
    )
    assert cat.rule_for("nothing.here") is None


def test_catalogue_json_is_plain_data() -> None:
    from privacy.catalogue import DEFAULT_PATH

    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    assert {"version", "items", "treatments", "bands", "districts", "fields"} <= set(data)
