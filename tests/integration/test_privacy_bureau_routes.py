"""The data bureau's token reaches the masked and shared routes only (Art. 23).

Every route of the app is called with the data bureau's token and without any token: a
route that needs a token (401 without one) must refuse the data bureau (403), unless it
is one of the data bureau's own (`/v1/shared/...`). Before this test, the bureau's token
read `/v1/feed` and `GET /v1/applications/{no}` passed it to the case's access rules.
"""

from __future__ import annotations

import re

from starlette.routing import Route

from tests.support.api import Api

#: (method, path) the data bureau may call: the masked feed, aggregates, grants' list.
BUREAU_ROUTES = {
    ("GET", "/v1/shared/cases"),
    ("GET", "/v1/shared/cases/{no}"),
    ("GET", "/v1/shared/aggregates"),
    ("GET", "/v1/shared/grants"),
}
_PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")


def _filled(path: str, no: str) -> str:
    values = {"no": no, "index": "0", "id": "00000000-0000-0000-0000-000000000000"}
    return _PARAM.sub(lambda m: values.get(m.group(1), "x"), path)


def test_the_data_bureau_token_reaches_only_the_shared_routes(api: Api) -> None:
    no = api.submitted(preferred_institution="pm-a")["application_no"]
    bureau = api.auth("databureau")
    reached: list[str] = []
    checked = 0
    for route in api.client.app.routes:  # type: ignore[attr-defined]
        if not isinstance(route, Route) or not route.path.startswith("/v1/"):
            continue
        for method in sorted(route.methods or ()):
            if method == "HEAD":
                continue
            url = _filled(route.path, no)
            anonymous = api.client.request(method, url, json={})
            if anonymous.status_code != 401:
                continue  # public, or refused before any token is read
            checked += 1
            answer = api.client.request(method, url, json={}, headers=bureau)
            allowed = (method, route.path) in BUREAU_ROUTES
            if not allowed and answer.status_code != 403:
                reached.append(f"{method} {route.path}: {answer.status_code}")
    assert checked > 20  # the walk did find the routes
    assert reached == []


def test_the_data_bureau_feed_is_refused_and_its_shared_routes_answer(api: Api) -> None:
    r = api.feed("databureau")
    assert r.status_code == 403
    assert r.headers["content-type"].startswith("application/problem+json")
    assert api.client.get("/v1/shared/cases", headers=api.auth("databureau")).status_code == 200


def test_a_data_bureau_person_reaches_no_page_beyond_the_public_ones(api: Api) -> None:
    """A person of the data bureau signed in on the web: every page that a visitor who is
    not signed in cannot see refuses them too (no case, no console, no workbench)."""
    from tests.support.web import browser, person

    no = api.submitted(preferred_institution="pm-a")["application_no"]
    bureau = person(api, "shuju-1", "databureau", "bdc")
    anonymous = browser(api)
    reached: list[str] = []
    checked = 0
    for route in api.client.app.routes:  # type: ignore[attr-defined]
        if not isinstance(route, Route) or not route.path.startswith("/web/"):
            continue
        # their own account's pages are theirs: signing out, changing the password
        if "GET" not in (route.methods or ()) or route.path in ("/web/logout", "/web/password"):
            continue
        url = _filled(route.path, no)
        visitor = anonymous.get(url)
        if visitor.status_code == 200:
            continue  # a public page
        checked += 1
        answer = bureau.get(url)
        if answer.status_code == 200:
            reached.append(f"GET {route.path}")
    print(f"\n{checked} pages a visitor cannot see, none seen by the data bureau")
    assert checked >= 10
    assert reached == []
