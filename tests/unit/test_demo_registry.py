"""deploy/registry/demo.yaml: valid against the registry_file schema and covering the city."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from schemas import validate
from schemas.codes import CATEGORIES, DISTRICTS
from schemas.identity import is_phone

DEMO = Path(__file__).resolve().parents[2] / "deploy" / "registry" / "demo.yaml"
MEDIATION = {
    "people_mediation",
    "administrative_mediation",
    "industry_mediation",
    "commercial_mediation",
}


@pytest.fixture(scope="module")
def registry() -> dict[str, Any]:
    with DEMO.open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


def test_demo_registry_validates(registry: dict[str, Any]) -> None:
    assert validate("registry_file", registry) == []


def test_every_category_and_district_has_a_mediation_institution(
    registry: dict[str, Any],
) -> None:
    covered = {
        (category, district)
        for inst in registry["institutions"]
        if inst["kind"] in MEDIATION and inst.get("visible", True)
        for category in inst["categories"]
        for district in inst["districts"]
    }
    missing = {(c, d) for c in CATEGORIES for d in DISTRICTS} - covered
    assert not missing, sorted(missing)


def test_every_district_has_its_court_and_labour_arbitration(registry: dict[str, Any]) -> None:
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for inst in registry["institutions"]:
        by_kind.setdefault(inst["kind"], []).append(inst)
    courts = {d: i for i in by_kind["court"] for d in i["districts"]}
    assert set(courts) == set(DISTRICTS)
    assert all(len(i["districts"]) == 1 for i in by_kind["court"])
    assert courts["310104"]["name"] == "上海市徐汇区人民法院"
    assert courts["310115"]["name"] == "上海市浦东新区人民法院"
    assert courts["310151"]["name"] == "上海市崇明区人民法院"
    assert all(
        i["unit"] == "gy" and set(i["categories"]) == set(CATEGORIES) for i in by_kind["court"]
    )
    labour = {d for i in by_kind["labor_arbitration"] for d in i["districts"]}
    assert labour == set(DISTRICTS)
    commercial = {d for i in by_kind["commercial_arbitration"] for d in i["districts"]}
    assert commercial == set(DISTRICTS)


def test_units_and_references(registry: dict[str, Any]) -> None:
    units = {u["id"]: u["name"] for u in registry["units"]}
    for uid, name in {
        "sfj": "市司法局",
        "rsj": "市人力资源和社会保障局",
        "scjgj": "市市场监督管理局",
        "zscqj": "市知识产权局",
        "jrjgj": "国家金融监督管理总局上海监管局",
        "gsl": "市工商业联合会",
        "fl": "市妇女联合会",
        "xbw": "市消费者权益保护委员会",
        "gy": "市高级人民法院",
    }.items():
        assert units[uid] == name
    for inst in registry["institutions"]:
        assert inst["unit"] in units, inst["id"]
        assert is_phone(inst["phone"]) and inst["phone"].startswith("021-"), inst["id"]
        assert inst["address"].startswith("上海市"), inst["id"]


def test_people_mediation_committee_per_district(registry: dict[str, Any]) -> None:
    by_id = {i["id"]: i for i in registry["institutions"]}
    for code, name in DISTRICTS.items():
        pm = by_id[f"pm-{code}-01"]
        assert pm["name"] == f"{name}人民调解委员会"
        assert pm["kind"] == "people_mediation" and pm["unit"] == "sfj"
        assert pm["districts"] == [code] and pm["capacity"] == 50


def test_no_secrets_in_the_repository(registry: dict[str, Any]) -> None:
    assert all(i["delivery"] == {"kind": "feed"} for i in registry["institutions"])
    assert "secret" not in DEMO.read_text(encoding="utf-8").split("institutions:", 1)[1]
