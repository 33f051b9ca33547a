"""The portal's own number (source_no, INTERFACE 17): kept, answered, searchable, and a
repeat answered with the first case."""

from __future__ import annotations

from sqlalchemy import text

from tests.support.api import Api, application_body, count_rows, outbox_envelopes

SOURCE = "YWTB-2026-000123"


def test_kept_answered_searchable_and_idempotent(api: Api) -> None:
    first = api.client.post(
        "/v1/applications", json=application_body(source_no=SOURCE), headers=api.auth("portal")
    )
    assert first.status_code == 201 and first.json()["source_no"] == SOURCE
    no = first.json()["application_no"]
    before = count_rows(api.ctx)
    again = api.client.post(
        "/v1/applications", json=application_body(source_no=SOURCE), headers=api.auth("portal")
    )
    assert again.status_code == 201 and again.json() == first.json()  # the first answer
    other = api.client.post(
        "/v1/applications",
        json=application_body(source_no=SOURCE, facts="另一件事。"),
        headers=api.auth("portal"),
    )
    assert other.status_code == 409
    assert count_rows(api.ctx) == before

    assert api.record(no).json()["source_no"] == SOURCE
    [pushed] = [m for m in outbox_envelopes(api.ctx, "portal:portal") if m["application_no"] == no][
        :1
    ]
    assert pushed["data"]["source_no"] == SOURCE
    found = api.client.get(
        "/v1/applications", params={"source_no": SOURCE}, headers=api.auth("portal")
    ).json()
    assert [i["application_no"] for i in found["items"]] == [no]
    assert (
        api.client.get(
            "/v1/applications",
            params={"source_no": SOURCE},
            headers=api.auth("portal", "another-portal"),
        ).json()["items"]
        == []
    )
    # a lookup by the portal's own number, not a listing of every case
    assert api.client.get("/v1/applications", headers=api.auth("portal")).status_code == 403
    admin = api.client.get(
        "/v1/applications", params={"source_no": SOURCE}, headers=api.auth("admin")
    ).json()
    assert [i["source_no"] for i in admin["items"]] == [SOURCE]

    # another portal's own numbering is its own
    theirs = api.client.post(
        "/v1/applications",
        json=application_body(source_no=SOURCE),
        headers=api.auth("portal", "another-portal"),
    )
    assert theirs.status_code == 201 and theirs.json()["application_no"] != no


def test_a_repeat_after_its_answer_was_purged_still_finds_the_case(api: Api) -> None:
    body = application_body(source_no=SOURCE)
    first = api.client.post("/v1/applications", json=body, headers=api.auth("portal")).json()
    with api.ctx.db.engine.begin() as conn:  # the replayable answer has expired
        conn.execute(text("DELETE FROM idempotency_record"))
    before = count_rows(api.ctx)
    for headers in (api.auth("portal"), api.auth("portal", **{"Idempotency-Key": "new-key"})):
        again = api.client.post("/v1/applications", json=body, headers=headers)
        assert again.status_code == 200, again.text
        got = again.json()
        assert got["application_no"] == first["application_no"] and got["repeat"] is True
        assert got["query_code"] is None and got["status"] == first["status"]
    changed = application_body(source_no=SOURCE, claims="另一项请求。")
    conflict = api.client.post("/v1/applications", json=changed, headers=api.auth("portal"))
    assert conflict.status_code == 409 and first["application_no"] in conflict.json()["detail"]
    assert count_rows(api.ctx) == before


def test_a_bad_source_no_is_named(api: Api) -> None:
    before = count_rows(api.ctx)
    for bad in ("has space", "", "x" * 65, "编号1"):
        r = api.client.post(
            "/v1/applications", json=application_body(source_no=bad), headers=api.auth("portal")
        )
        assert r.status_code == 422 and r.json()["errors"][0]["pointer"] == "/source_no", bad
    assert count_rows(api.ctx) == before


def test_another_body_under_the_same_source_no_is_named_without_idempotency_key(
    api: Api,
) -> None:
    """No Idempotency-Key was sent (outside review 2026-12-03): the 409 names the portal's
    number and the case it was used for, at /source_no, not "Idempotency-Key reused"."""
    first = api.submit(application_body(source_no=SOURCE))
    assert first.status_code == 201, first.text
    before = count_rows(api.ctx)
    r = api.submit(application_body(source_no=SOURCE, claims="另一项请求。"))
    assert r.status_code == 409
    problem = r.json()
    detail, no = problem["detail"], first.json()["application_no"]
    assert "Idempotency-Key" not in detail and "幂等键" not in detail
    zh, sep, en = detail.partition(" / ")
    assert sep and "门户编号" in zh and SOURCE in zh and no in zh
    assert "source_no" in en and no in en
    assert [e["pointer"] for e in problem["errors"]] == ["/source_no"]
    assert count_rows(api.ctx) == before
    # an explicit Idempotency-Key reused with another body is still that key's conflict
    keyed = api.submit(application_body(), key="k-1")
    assert keyed.status_code == 201
    again = api.submit(application_body(category="neighbor"), key="k-1")
    assert again.status_code == 409 and "Idempotency-Key" in again.json()["detail"]
