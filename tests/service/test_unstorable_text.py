"""Text that no store can hold (a lone surrogate, which valid JSON can carry) is a field's
BAD_USER_INPUT in every use case that writes what a request sent, before anything is looked up or
stored: submissions and importers (the observation model), and editors' catalogue writes."""

from __future__ import annotations

import pytest

from service.catalog.edits import upsert_learning_path, upsert_role, upsert_skill
from service.catalog.model import LearningPath, LearningStep, Role, RoleSkill, Skill
from service.platform.resources import Resources
from service.salaries.model import problems
from service.salaries.submissions import SalarySubmission, submit_salary
from service.store import database as c
from service.text import holds_surrogates
from tests.factories.documents import observation

LONE = "caf\u00e9 \ud800"


def test_surrogates_are_found_at_any_depth_and_nothing_else_is() -> None:
    assert holds_surrogates(LONE) and holds_surrogates("\udfff") and holds_surrogates(["a", {"b": ("c", LONE)}])
    assert holds_surrogates({"key \udc80": 1})
    assert not holds_surrogates(["caf\u00e9", "\U0001f600", {"a": None}, 3, b"\xed\xa0\x80"])


@pytest.mark.parametrize("field", ["company", "city", "raw_title", "tag", "region", "role", "currency"])
def test_the_observation_model_names_the_field(field: str) -> None:
    found = problems(observation("backend-developer", 90_000, **{field: LONE}) if field not in ("role", "currency")
                     else observation(LONE if field == "role" else "backend-developer", 90_000,
                                      currency=LONE if field == "currency" else "USD"))
    assert [(e.field, e.code) for e in found] == [(field, "BAD_USER_INPUT")]
    assert "lone surrogate" in found[0].message and "\ud800" not in found[0].message


async def test_a_submission_with_such_text_is_refused_and_stores_nothing(resources: Resources) -> None:
    await c.ensure_collections(resources.db)
    await resources.db[c.ROLES].insert_one(Role("backend-developer", "Backend developer", "engineering").to_document())
    base = dict(role="backend-developer", amount=90_000, currency="USD", country="US", experience_years=3)
    for changed in ({"company": LONE}, {"city": LONE}, {"title": LONE}, {"role": LONE},
                    {"idempotency_key": "key-\ud800-0001"}):
        sub = SalarySubmission(**{**base, "idempotency_key": "unstorable-0001", **changed})  # type: ignore[arg-type]
        result = await submit_salary(resources, sub, None)
        assert not result.created and [e.code for e in result.errors] == ["BAD_USER_INPUT"], changed
    assert await resources.db[c.SALARY_OBSERVATIONS].count_documents({}) == 0


async def test_catalogue_writes_with_such_text_are_refused(resources: Resources) -> None:
    await c.ensure_collections(resources.db)
    skill = Skill("python", "Python", "language", description=LONE)
    assert [(e.field, e.code) for e in (await upsert_skill(resources, skill))[1]] == [("description", "BAD_USER_INPUT")]
    role = Role("backend-developer", "Backend developer", "engineering", skills=(RoleSkill(LONE, "core"),))
    assert [e.field for e in (await upsert_role(resources, role))[1]] == ["skills"]
    path = LearningPath("p", "backend-developer", "Path", "", steps=(LearningStep(1, "Step", "", skills=(LONE,)),))
    assert [e.field for e in (await upsert_learning_path(resources, path))[1]] == ["steps"]
    for collection in (c.SKILLS, c.ROLES, c.LEARNING_PATHS):
        assert await resources.db[collection].count_documents({}) == 0
