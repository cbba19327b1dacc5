"""The curated seed and the collections' validators."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from bson import Decimal128
from pymongo.errors import WriteError

from service.ingest.seed import load_seed
from service.ingest.seed.catalog import SKILLS
from service.ingest.seed.figures import BENCHMARKS
from service.ingest.seed.roles import ROLES
from service.platform.resources import Resources
from service.store import database as c


async def test_seed_loads_everything_once(resources: Resources) -> None:
    first = await load_seed(resources.db)
    assert first.counts["roles"].added == len(ROLES)
    assert first.counts["skills"].added == len(SKILLS)
    second = await load_seed(resources.db)
    assert second.added == 0
    assert all(counts.updated == 0 for counts in second.counts.values())


async def test_seed_has_the_articles_facts(resources: Resources) -> None:
    await load_seed(resources.db)
    db = resources.db
    backend = await db[c.ROLES].find_one({"slug": "backend-developer"})
    assert backend is not None and {"15-1254.00", "15-1252.00"} <= set(backend["onet_codes"])
    mean = await db[c.SALARY_BENCHMARKS].find_one({"role": "backend-developer", "amount": 82_326})
    assert mean is not None and mean["currency"] == "USD" and mean["source"] == "article-backend-guide"
    bands = {d["experience_band"]: d["amount"] async for d in db[c.SALARY_BENCHMARKS].find(
        {"source": "article-backend-guide", "experience_band": {"$ne": None}})}
    assert bands == {"entry": 72_514, "early": 75_435, "mid": 83_789, "experienced": 87_979}
    inr = await db[c.SALARY_BENCHMARKS].find_one({"role": "director-of-engineering"})
    assert inr is not None and (inr["amount"], inr["currency"], inr["country"]) == (12_495_000, "INR", "IN")
    growth = {d["growth_percent"] async for d in db[c.OUTLOOKS].find({"growth_percent": {"$ne": None}})}
    assert growth == {13.0, 21.0}
    path = await db[c.LEARNING_PATHS].find_one({"slug": "backend-developer-path"})
    assert path is not None and [s["position"] for s in path["steps"]] == list(range(1, 10))
    skill_slugs = {s.slug for s in SKILLS}
    for step in path["steps"]:
        assert set(step["skills"]) <= skill_slugs
    for role in ROLES:
        assert {link.skill for link in role.skills} <= skill_slugs, role.slug
    for benchmark in BENCHMARKS:
        assert await db[c.SOURCES].count_documents({"slug": benchmark.source}) == 1


async def test_every_named_tool_is_a_categorised_skill(resources: Resources) -> None:
    await load_seed(resources.db)
    expected = {"django": "framework", "flask": "framework", "express": "framework",
                "ruby-on-rails": "framework", "spring-boot": "framework", "laravel": "framework",
                "mysql": "database", "postgresql": "database", "mongodb": "database",
                "redis": "database", "sqlite": "database", "mariadb": "database", "http": "protocol",
                "https": "protocol", "rest": "protocol", "soap": "protocol", "docker": "devops",
                "kubernetes": "devops", "jenkins": "devops", "github-actions": "devops", "aws": "cloud",
                "google-cloud": "cloud", "azure": "cloud", "nginx": "web_server",
                "apache-http-server": "web_server", "prometheus": "monitoring", "grafana": "monitoring",
                "new-relic": "monitoring", "postman": "tool", "git": "tool", "caching": "practice",
                "load-balancing": "practice", "cryptography": "security", "communication": "soft_skill"}
    found = {d["slug"]: d["category"] async for d in resources.db[c.SKILLS].find({"slug": {"$in": list(expected)}})}
    assert found == expected


async def test_validators_refuse_bad_documents(resources: Resources) -> None:
    await c.ensure_collections(resources.db)
    good = {"content_hash": "h", "role": "backend-developer", "currency": "USD", "amount": 1000.0,
            "country": None, "experience_band": "mid", "source": "x", "created_at": datetime.now(UTC)}
    await resources.db[c.SALARY_OBSERVATIONS].insert_one(dict(good))
    for bad in ({"amount": -5.0}, {"amount": 0}, {"currency": "usd"}, {"experience_band": "guru"},
                {"role": "Not A Slug"}, {"country": "USA"}, {"amount": Decimal128("1000")}):
        with pytest.raises(WriteError):
            await resources.db[c.SALARY_OBSERVATIONS].insert_one({**good, "content_hash": str(bad), **bad})
    without_country = {k: v for k, v in good.items() if k != "country"}  # summaries group on it
    with pytest.raises(WriteError):
        await resources.db[c.SALARY_OBSERVATIONS].insert_one({**without_country, "content_hash": "no-country"})
    with pytest.raises(WriteError):
        await resources.db[c.ROLES].insert_one({"slug": "x", "title": "X", "origin": "curated", "job_zone": 9})


async def test_ensure_collections_is_idempotent(resources: Resources) -> None:
    await c.ensure_collections(resources.db)
    await c.ensure_collections(resources.db)
    indexes = await resources.db[c.SALARY_OBSERVATIONS].index_information()
    assert any(spec.get("unique") for spec in indexes.values())
    options = await resources.db[c.ROLES].options()
    assert "$jsonSchema" in options["validator"]
