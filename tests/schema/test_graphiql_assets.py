"""GraphiQL's files as careergraph ships and serves them: each vendored file is the one its pinned npm
package holds (SHA256SUMS, written by `make graphiql-assets`), each package's licence ships beside it,
and the page `GET /graphql` gives a browser loads only files this server serves."""

from __future__ import annotations

import hashlib
import re
from importlib import resources

from schema.http.ide import FILES
from service.platform.config import Settings
from service.platform.resources import Resources
from tests.factories.api import Api, open_api

ASSETS = resources.files(FILES.package).joinpath(FILES.folder)
REFERENCE = re.compile(r'(?:src|href)="([^"]+)"')


def sums() -> dict[str, str]:
    """SHA256SUMS as a mapping of file name to digest."""
    lines = ASSETS.joinpath("SHA256SUMS").read_text().splitlines()
    return {name.strip(): digest for digest, name in (line.split(None, 1) for line in lines if line.strip())}


def test_every_vendored_file_matches_its_recorded_sha256() -> None:
    recorded = sums()
    vendored = {"react.production.min.js", "react-dom.production.min.js", "graphiql.min.js", "graphiql.min.css"}
    assert vendored <= set(recorded)
    for name, digest in recorded.items():
        assert hashlib.sha256(ASSETS.joinpath(name).read_bytes()).hexdigest() == digest, name


def test_every_package_is_pinned_and_its_licence_ships() -> None:
    packages = [line.split() for line in ASSETS.joinpath("PACKAGES").read_text().splitlines() if line.strip()]
    assert {p[0] for p in packages} == {"react@18.2.0", "react-dom@18.2.0", "graphiql@3.8.3"}
    for spec, licence, integrity in packages:
        name = spec.rsplit("@", 1)[0]
        assert licence == "MIT" and integrity.startswith("sha512-"), spec
        text = ASSETS.joinpath(f"LICENSE.{name}").read_text()
        assert text.startswith("MIT License") and f"LICENSE.{name}" in sums(), name


async def test_the_ide_page_loads_only_what_this_server_serves(api: Api) -> None:
    page = await api.client.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self';" in policy and "unsafe" not in policy
    found = set(REFERENCE.findall(page.text))
    assert {"/graphiql/graphiql.min.js", "/graphiql/react.production.min.js", "/graphiql/start.js"} <= found
    assert [r for r in found if not r.startswith(("/graphiql/", "data:"))] == []
    for path in found - {"data:,"}:
        reply = await api.client.get(path)
        assert reply.status_code == 200 and reply.headers["content-security-policy"] == policy, path
    for path in ("/graphiql/SHA256SUMS", "/graphiql/LICENSE.react", "/graphiql/../ide.py", "/graphiql/nothing.js"):
        reply = await api.client.get(path)
        assert reply.status_code == 404 and reply.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND", path


async def test_production_serves_neither_the_ide_nor_its_files(settings: Settings, resources: Resources) -> None:
    production = Settings(**{**settings.__dict__, "environment": "production"})
    async for api in open_api(production, resources):
        page = await api.client.get("/graphql", headers={"accept": "text/html"})
        assert "graphiql" not in page.text.lower()
        assert (await api.client.get("/graphiql/graphiql.min.js")).status_code == 404
