"""An address instead of a district (Art. 7 directory, INTERFACE 17): the hub reads the
district from it, and the directory ranks and recommends institutions."""

from __future__ import annotations

import copy

from tests.support.api import Api, application_body, count_rows


def _without_district(address: str | None, place: str = "某某路1号") -> dict:
    body = application_body(occurred_place=place)
    del body["district"]
    if address is not None:
        body = copy.deepcopy(body)
        body["applicants"][0]["address"] = address
    return body


def test_the_district_is_read_from_the_applicants_address(api: Api) -> None:
    r = api.client.post(
        "/v1/applications",
        json=_without_district("上海市徐汇区漕溪北路1号"),
        headers=api.auth("portal"),
    )
    assert r.status_code == 201, r.text
    assert r.json()["district"] == "310104"
    assert api.record(r.json()["application_no"]).json()["district"] == "310104"
    # a former district's name, and the place of the dispute when the address says nothing
    r = api.client.post(
        "/v1/applications",
        json=_without_district("某小区", place="卢湾区淮海中路300号"),
        headers=api.auth("portal"),
    )
    assert r.status_code == 201 and r.json()["district"] == "310101"


def test_an_address_that_names_no_district_is_refused(api: Api) -> None:
    before = count_rows(api.ctx)
    for address in ("北京市朝阳区建国路88号", None):
        r = api.client.post(
            "/v1/applications", json=_without_district(address), headers=api.auth("portal")
        )
        assert r.status_code == 422 and r.json()["errors"][0]["pointer"] == "/district"
    assert count_rows(api.ctx) == before


def test_the_directory_ranks_and_recommends(api: Api) -> None:
    r = api.client.get(
        "/v1/institutions", params={"category": "consumer", "address": "上海市徐汇区漕溪北路1号"}
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["district"] == "310104"
    ranked = [i["id"] for i in body["institutions"]]
    # the consumer-protection centre (one category) fits before the two committees
    assert ranked[0] == "cm-x" and body["institutions"][0]["recommended"] is True
    assert [i.get("recommended", False) for i in body["institutions"]].count(True) == 1
    assert set(ranked[1:3]) == {"pm-a", "pm-b"}
    same = api.client.get(
        "/v1/institutions", params={"category": "consumer", "district": "310104"}
    ).json()
    assert [i["id"] for i in same["institutions"]] == ranked
    bad = api.client.get("/v1/institutions", params={"address": "北京市朝阳区"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["pointer"] == "/query/address"
