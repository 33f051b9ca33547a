"""Help articles edited and retired with their history (INTERFACE 17)."""

from __future__ import annotations

from tests.support.api import Api, count_rows

ARTICLE = {
    "title": "调解不成功怎么办？",
    "body": "可以申请仲裁，或者向人民法院起诉。",
    "title_en": "What if mediation fails?",
    "body_en": "You may apply for arbitration or sue in court.",
    "tags": ["调解不成"],
}


def _ids(api: Api, q: str) -> list[int]:
    return [a["id"] for a in api.client.get("/v1/help", params={"q": q}).json()["results"]]


def test_edit_and_retire_keep_every_version(api: Api) -> None:
    r = api.client.post("/v1/help/articles", json=ARTICLE, headers=api.auth("unit", "sfj"))
    assert r.status_code == 201, r.text
    article_id = r.json()["id"]
    assert r.json()["title_en"] == "What if mediation fails?"
    url = f"/v1/help/articles/{article_id}"
    assert article_id in _ids(api, "调解不成功")

    edited = {**ARTICLE, "body": "可以申请劳动仲裁、商事仲裁，或者向人民法院起诉。"}
    assert api.client.put(url, json=edited, headers=api.auth("unit", "xbw")).status_code == 404
    r = api.client.put(url, json=edited, headers=api.auth("unit", "sfj"))
    assert r.status_code == 200 and r.json()["version"] == 2
    assert api.client.get(url).json()["body"].startswith("可以申请劳动仲裁")
    before = count_rows(api.ctx, ("help_article", "help_article_version"))
    bad = api.client.put(url, json={"title": ""}, headers=api.auth("unit", "sfj"))
    assert bad.status_code == 422 and {e["pointer"] for e in bad.json()["errors"]} >= {
        "/title",
        "/body",
    }
    assert count_rows(api.ctx, ("help_article", "help_article_version")) == before

    r = api.client.post(f"{url}/retire", headers=api.auth("admin"))
    assert r.status_code == 200 and r.json()["retired_at"]
    assert article_id not in _ids(api, "调解不成功")
    assert api.client.get(url).status_code == 404  # citizens no longer see it
    assert api.client.post(f"{url}/retire", headers=api.auth("admin")).status_code == 409
    assert api.client.put(url, json=ARTICLE, headers=api.auth("admin")).status_code == 409
    history = api.client.get(url, headers=api.auth("unit", "sfj")).json()
    assert [(v["version"], v["action"]) for v in history["versions"]] == [
        (1, "added"),
        (2, "edited"),
        (3, "retired"),
    ]
    assert history["versions"][0]["body"] == ARTICLE["body"]
    assert history["versions"][1]["by"] == "sfj"


def test_seeded_articles_have_their_first_version(api: Api) -> None:
    seeded = api.client.get("/v1/help", params={"limit": 50}).json()["results"]
    assert len(seeded) >= 21 and all(a.get("title_en") for a in seeded)  # in English too
    first = seeded[0]["id"]
    history = api.client.get(f"/v1/help/articles/{first}", headers=api.auth("admin")).json()
    assert [v["action"] for v in history["versions"]] == ["added"]
    assert history["versions"][0]["body_en"] == history["body_en"]
    for bad in ("x", "１", "99999999"):
        assert api.client.get(f"/v1/help/articles/{bad}").status_code == 404


def test_english_questions_find_english_answers(api: Api) -> None:
    found = api.client.get("/v1/help", params={"q": "withdraw my application"}).json()
    assert found["results"][0]["title_en"].startswith("Can I withdraw")
