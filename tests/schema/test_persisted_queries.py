"""Automatic persisted queries as Apollo Client's persisted-query link speaks them, the allow-list
loaded from Apollo and Relay files, and the modes that restrict them."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from service.access import persisted_queries as pq
from service.platform.config import Settings
from service.platform.resources import Resources
from tests.factories.api import Api, codes, open_api

ROLE = 'query Role($slug: String!) { role(slug: $slug) { slug title } }'


def digest(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


class ApqLink:
    """What @apollo/client's createPersistedQueryLink does: send the hash alone (by GET when
    `use_get`), send the text with the hash when the server answers PERSISTED_QUERY_NOT_FOUND, and
    stop hashing when it answers PERSISTED_QUERY_NOT_SUPPORTED."""

    def __init__(self, client: httpx.AsyncClient, use_get: bool = False) -> None:
        self.client, self.use_get, self.supported = client, use_get, True
        self.sent: list[str] = []  # "hash" or "text+hash" or "text", per request

    async def request(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        if not self.supported:
            return await self._send({"query": query, "variables": variables}, "text")
        extensions = {"persistedQuery": {"version": 1, "sha256Hash": digest(query)}}
        body = await self._send({"variables": variables, "extensions": extensions}, "hash")
        found = codes(body)
        if "PERSISTED_QUERY_NOT_SUPPORTED" in found:
            self.supported = False
            return await self._send({"query": query, "variables": variables}, "text")
        if "PERSISTED_QUERY_NOT_FOUND" in found:
            return await self._send({"query": query, "variables": variables, "extensions": extensions}, "text+hash")
        return body

    async def _send(self, payload: dict[str, Any], kind: str) -> dict[str, Any]:
        self.sent.append(kind)
        if self.use_get and "query" not in payload:
            params = {k: json.dumps(v) for k, v in payload.items()}
            response = await self.client.get("/graphql", params=params)
        else:
            response = await self.client.post("/graphql", json=payload)
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result


@pytest.mark.parametrize("use_get", [False, True])
async def test_the_link_registers_once_then_sends_only_the_hash(api: Api, use_get: bool) -> None:
    link = ApqLink(api.client, use_get)
    first = await link.request(ROLE, {"slug": "backend-developer"})
    second = await link.request(ROLE, {"slug": "devops-engineer"})
    assert first["data"]["role"]["title"] == "Backend Developer"
    assert second["data"]["role"]["slug"] == "devops-engineer"
    assert link.sent == ["hash", "text+hash", "hash"]
    other = ApqLink(api.client, use_get)  # a second client finds the text already there
    assert (await other.request(ROLE, {"slug": "backend-developer"}))["data"] == first["data"]
    assert other.sent == ["hash"]


async def test_a_hash_that_is_not_the_texts_is_refused_and_stores_nothing(api: Api, resources: Resources) -> None:
    wrong = digest("{ __typename }")
    body = (await api.client.post("/graphql", json={"query": ROLE, "variables": {"slug": "x"}, "extensions": {
        "persistedQuery": {"version": 1, "sha256Hash": wrong}}})).json()
    assert codes(body) == ["PERSISTED_QUERY_HASH_MISMATCH"]
    assert await pq.registered(resources.redis, wrong) is None


@pytest.mark.parametrize("persisted", [
    {"version": 2, "sha256Hash": "a" * 64}, {"version": 1, "sha256Hash": "A" * 64},
    {"version": 1, "sha256Hash": "a" * 63}, {"version": 1, "sha256Hash": {"$gt": ""}}, "abc", [1],
])
async def test_malformed_persisted_query_extensions_are_a_clear_error(api: Api, persisted: Any) -> None:
    response = await api.client.post("/graphql", json={"extensions": {"persistedQuery": persisted}},
                                     headers={"accept": "application/graphql-response+json"})
    assert response.status_code == 400
    assert codes(response.json()) == ["BAD_REQUEST"]


async def test_registrations_are_bounded_and_drop_the_oldest(resources: Resources,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pq, "MAX_REGISTERED", 3)
    texts = [f"{{ q{i}: __typename }}" for i in range(5)]
    for text in texts:
        await pq.register(resources.redis, digest(text), text)
    kept = [await pq.registered(resources.redis, digest(t)) for t in texts]
    assert kept == [None, None, *texts[2:]]
    long = "{ " + " ".join(f"a{i}: __typename" for i in range(1000)) + " }"
    assert len(long) > pq.MAX_REGISTERED_CHARS
    await pq.register(resources.redis, digest(long), long)
    assert await pq.registered(resources.redis, digest(long)) is None


def apollo_manifest(*queries: str, bad_id: bool = False) -> dict[str, Any]:
    return {"format": "apollo-persisted-query-manifest", "version": 1, "operations": [
        {"id": ("0" * 64 if bad_id and i == 0 else digest(q)), "name": f"Op{i}", "type": "query", "body": q}
        for i, q in enumerate(queries)]}


async def test_allow_list_files_in_apollo_and_relay_formats(resources: Resources, tmp_path: Path) -> None:
    apollo = tmp_path / "persisted-query-manifest.json"
    apollo.write_text(json.dumps(apollo_manifest(ROLE, "{ skills(first: 1) { edges { node { slug } } } }",
                                                 bad_id=True)))
    report = await pq.load_file(resources.db, apollo)
    assert report.loaded == 1
    assert report.rejected == ["entry 1 (Op0): the id is not the SHA-256 of the query text "
                               "(configure the tool to hash with SHA-256)"]
    relay = tmp_path / "persisted_queries.json"
    relay.write_text(json.dumps({digest(ROLE): ROLE, "md5ish": "{ __typename }", digest("x"): ""}))
    report = await pq.load_file(resources.db, relay)
    assert report.loaded == 1 and [r.split(":")[0] for r in report.rejected] == ["entry 2", "entry 3"]
    assert await pq.allowed(resources.db, digest(ROLE)) == ROLE
    assert await pq.allow_list_size(resources.db) == 2
    (tmp_path / "bad.json").write_text("[1, 2]")
    with pytest.raises(ValueError, match="not an Apollo"):
        await pq.load_file(resources.db, tmp_path / "bad.json")


async def test_allow_list_mode_runs_only_listed_queries(settings: Settings, resources: Resources,
                                                        tmp_path: Path) -> None:
    manifest = tmp_path / "m.json"
    manifest.write_text(json.dumps(apollo_manifest(ROLE)))
    await pq.load_file(resources.db, manifest)
    strict = dataclasses.replace(settings, persisted_queries="allowlist")
    async for api in open_api(strict, resources):
        link = ApqLink(api.client)
        assert (await link.request(ROLE, {"slug": "backend-developer"}))["data"]["role"]["slug"] == "backend-developer"
        assert link.sent == ["hash"]
        listed_text = await api.post(ROLE, {"slug": "backend-developer"})  # the full text of a listed query
        assert "errors" not in listed_text.json()
        other = "{ skills(first: 1) { edges { node { slug } } } }"
        assert codes((await api.post(other)).json()) == ["PERSISTED_QUERY_NOT_ALLOWED"]
        unknown = await ApqLink(api.client).request(other, {})  # it cannot register itself either
        assert codes(unknown) == ["PERSISTED_QUERY_NOT_ALLOWED"]
        assert await pq.registered(resources.redis, digest(other)) is None


async def test_off_mode_makes_the_link_fall_back_to_plain_queries(settings: Settings, resources: Resources) -> None:
    async for api in open_api(dataclasses.replace(settings, persisted_queries="off"), resources):
        link = ApqLink(api.client)
        assert (await link.request(ROLE, {"slug": "backend-developer"}))["data"]["role"]["slug"] == "backend-developer"
        await link.request(ROLE, {"slug": "devops-engineer"})
        assert link.sent == ["hash", "text", "text"]
