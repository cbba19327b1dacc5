"""Issue 27, finding 6: a lone surrogate (`"company": "\\ud800"`, valid JSON) sent with a crowd of
concurrent submissions is its sender's BAD_USER_INPUT; every other submission is stored and says so."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
from pymongo import MongoClient

from service.platform.config import Settings
from tests.e2e.processes import SUBMIT, admin_key, api_process, cli, env_for

CROWD = 150


async def submit_all(base: str, key: str, salaries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    headers = {"authorization": f"Bearer {key}", "content-type": "application/json"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30,
                                 limits=httpx.Limits(max_connections=50)) as client:
        # json.dumps writes a lone surrogate as the escape "\ud800": valid JSON (httpx's json= cannot send it)
        bodies = [json.dumps({"query": SUBMIT, "variables": {"input": s}}).encode() for s in salaries]
        replies = await asyncio.gather(*(client.post("/graphql", content=body) for body in bodies))
    return [reply.json() for reply in replies]


def test_one_callers_unstorable_text_fails_only_that_caller(settings: Settings, tmp_path: Path) -> None:
    env = env_for(settings.mongodb_url or "", settings.redis_url or "", settings.mongodb_db)
    assert cli(["seed"], env).returncode == 0
    key = admin_key(env)
    salaries = [{"role": "backend-developer", "amount": 80_000 + i, "currency": "USD", "country": "US",
                 "experienceYears": 3, "company": "Acme", "idempotencyKey": f"crowd-{i:05d}"} for i in range(CROWD)]
    bad = CROWD // 2
    salaries[bad]["company"] = "\ud800"
    with api_process(env, tmp_path) as base:
        answers = asyncio.run(submit_all(base, key, salaries))
    refused = answers[bad]
    assert "errors" not in refused, refused
    assert refused["data"]["submitSalary"]["created"] is False
    assert [e["code"] for e in refused["data"]["submitSalary"]["userErrors"]] == ["BAD_USER_INPUT"]
    others = answers[:bad] + answers[bad + 1:]
    assert [a.get("data", a) for a in others] == [{"submitSalary": {"created": True, "userErrors": []}}] * (CROWD - 1)
    with MongoClient(settings.mongodb_url) as client:
        stored = client[settings.mongodb_db]["salary_observations"].distinct("amount", {"company": "Acme"})
    assert sorted(stored) == sorted(s["amount"] for i, s in enumerate(salaries) if i != bad)
