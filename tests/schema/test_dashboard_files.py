"""The dashboard's files as the API serves them: every file a page refers to is served, nothing else
is, each answer carries its security headers and revalidates by ETag, and no page loads anything
from another origin."""

from __future__ import annotations

import re

from schema.http.dashboard import FILES
from schema.http.static_files import shipped
from tests.factories.api import Api

REFERENCE = re.compile(r'(?:src|href)="([^"]+)"|from "\./([^"]+)"')


def references(text: str) -> set[str]:
    return {a or f"/dashboard/{b}" for a, b in REFERENCE.findall(text)}


async def test_every_file_a_page_names_is_served_and_nothing_comes_from_elsewhere(api: Api) -> None:
    pages = {"/": "home.html", "/dashboard": "index.html"}
    seen: set[str] = set()
    queue = list(pages)
    while queue:
        path = queue.pop()
        if path in seen or (not path.startswith("/dashboard") and path not in pages):
            continue
        seen.add(path)
        reply = await api.client.get(path)
        assert reply.status_code == 200, path
        assert "default-src 'none'" in reply.headers["content-security-policy"]
        assert reply.headers["x-content-type-options"] == "nosniff"
        found = references(reply.text)
        assert not [r for r in found if "//" in r and not r.startswith("data:")], f"{path} loads from elsewhere"
        queue.extend(r for r in found if r.startswith("/"))
    served = {p.removeprefix("/dashboard/") for p in seen if p.startswith("/dashboard/")}
    assert served == set(shipped(FILES.package, FILES.folder)) - {"home.html", "index.html"}, "a shipped file no page uses, or one missing"


async def test_a_file_revalidates_by_its_etag(api: Api) -> None:
    first = await api.client.get("/dashboard/dashboard.js")
    assert first.headers["content-type"].startswith("text/javascript")
    again = await api.client.get("/dashboard/dashboard.js", headers={"if-none-match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    changed = await api.client.get("/dashboard/dashboard.js", headers={"if-none-match": '"other"'})
    assert changed.status_code == 200 and changed.content == first.content


async def test_only_shipped_files_are_served(api: Api) -> None:
    for path in ("/dashboard/../asgi.py", "/dashboard/%2e%2e%2fasgi.py", "/dashboard/routes.py",
                 "/dashboard/__init__.py", "/dashboard/static", "/dashboard/nothing.js"):
        reply = await api.client.get(path)
        assert reply.status_code == 404, path
        assert reply.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
