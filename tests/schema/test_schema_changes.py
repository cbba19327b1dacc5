"""The schema describes itself and changes only as CHANGELOG.md says."""

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLScalarType,
    build_schema,
)

from schema import describe
from schema.root import build_schema as code_schema
from schema.sdl.changes import CHANGELOG_PATH, RELEASED_PATH, undeclared

BUILT_IN = {"String", "Int", "Float", "Boolean", "ID"}


def undescribed(schema) -> list[str]:
    missing = []
    for name, kind in schema.type_map.items():
        if name.startswith("__") or (isinstance(kind, GraphQLScalarType) and name in BUILT_IN):
            continue
        if not kind.description:
            missing.append(name)
        if isinstance(kind, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            for field_name, field in kind.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                missing += [f"{name}.{field_name}({a}:)" for a, arg in getattr(field, "args", {}).items()
                            if not arg.description]
        if isinstance(kind, GraphQLEnumType):
            missing += [f"{name}.{v}" for v, value in kind.values.items() if not value.description]
    return missing


def test_every_type_field_argument_and_enum_value_is_described() -> None:
    assert undescribed(code_schema()._schema) == []


def test_the_check_sees_a_missing_description() -> None:
    sdl = '"A thing." type Query { "Yes." a(x: Int): Int b: E } enum E { "One." ONE TWO }'
    assert sorted(undescribed(build_schema(sdl))) == ["E", "E.TWO", "Query.a(x:)", "Query.b"]


def test_a_description_entry_must_name_something_and_not_repeat_the_code() -> None:
    schema = code_schema()._schema
    with pytest.raises(ValueError, match="no field"):
        describe._element(schema, "Role.salary")
    with pytest.raises(ValueError, match="no argument"):
        describe._element(schema, "Query.roles(page:)")
    with pytest.raises(ValueError, match="already described"):
        describe.apply(schema)  # every entry was applied once when the schema was built


def test_the_schema_changes_only_as_the_changelog_declares() -> None:
    problems = undeclared(RELEASED_PATH.read_text(), code_schema()._schema, CHANGELOG_PATH.read_text())
    assert problems == [], "\n".join(problems)


OLD = "type Query { role(slug: String!): Role }\ntype Role { slug: String! title: String! }\n"


def changelog(*lines: str) -> str:
    return "# Changelog\n\n## Unreleased\n\n" + "\n".join(lines) + "\n\n## 0.1.0\n\n- `Role.family`\n"


def test_a_removed_field_must_be_declared_breaking() -> None:
    new = build_schema("type Query { role(slug: String!): Role }\ntype Role { slug: String! }\n")
    assert any("Role.title" in p for p in undeclared(OLD, new, changelog()))
    assert any("Role.title" in p for p in undeclared(OLD, new, changelog("- Removed `Role.title`.")))
    assert undeclared(OLD, new, changelog("- **Breaking**: removed `Role.title`.")) == []


def test_an_addition_must_be_named_and_a_new_type_covers_its_fields() -> None:
    new = build_schema("type Query { role(slug: String!): Role skill: Skill }\n"
                       "type Role { slug: String! title: String! family: String }\ntype Skill { slug: String! }\n")
    problems = undeclared(OLD, new, changelog())
    assert sorted(problems) == ["added, not in CHANGELOG.md: `Query.skill`", "added, not in CHANGELOG.md: `Role.family`",
                                "added, not in CHANGELOG.md: `Skill`"]
    assert undeclared(OLD, new, changelog("- `Query.skill`, `Skill`, `Role.family`")) == []
    # a release's section does not count for what is unreleased
    assert "added, not in CHANGELOG.md: `Role.family`" in undeclared(OLD, new, changelog("- `Query.skill`, `Skill`"))


def test_a_changed_argument_type_is_breaking() -> None:
    new = build_schema("type Query { role(slug: ID!): Role }\ntype Role { slug: String! title: String! }\n")
    problems = undeclared(OLD, new, changelog())
    assert len(problems) == 1 and "ARG_CHANGED_KIND" in problems[0]
    assert undeclared(OLD, new, changelog("- **Breaking**: `Query.role(slug:)` is an ID.")) == []
