"""`submitSalary` answered by the front door itself, for the documents clients send at volume.

A submission through Strawberry's execution costs the API about twice the CPU of the rest of its
path (argument conversion, the executor and its extensions, for a payload of three fields), and
submissions are the one write that arrives by the hundred a second. So a document of one known
shape is answered here, after the door has read, authenticated, priced and charged it as any other:
one mutation, one root field `submitSalary(input: $variable)` with `$variable: SubmitSalaryInput!`,
selecting (aliases allowed) `created`, `__typename`, `userErrors { field message code __typename }`
and `observation { id __typename }`, no fragments or directives. The input is coerced by
graphql-core as an execution coerces variables; a caller without a reader's key, an input that does
not coerce, or any other document goes to the execution, which gives its own answer and errors.
The answer is the execution's: the same use case, the same fields, error shaping and time limits.
`CAREERGRAPH_SUBMISSION_SHORTCUT=off` sends every submission through the execution.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, fields
from typing import Any

import pymongo
from graphql import (
    ExecutionResult,
    FieldNode,
    GraphQLError,
    GraphQLObjectType,
    GraphQLSchema,
    NamedTypeNode,
    NonNullTypeNode,
    OperationDefinitionNode,
    OperationType,
    VariableNode,
    get_named_type,
    get_variable_values,
    located_error,
    validate,
)

from schema.http.operation import Operation
from schema.policy.errors import shape_result
from schema.policy.execution import EXECUTION_TIMEOUT_S, timeout_error
from schema.relay import to_global_id
from service.access.api_keys import Principal
from service.salaries.submissions import SalarySubmission, SubmissionResult, submit_salary

FIELD, INPUT_TYPE, OBSERVATION = "submitSalary", "SubmitSalaryInput", "SalaryObservation"
#: The payload's fields answered here, with the fields of each one's items (None: a leaf).
PAYLOAD = {"created": None, "__typename": None, "userErrors": frozenset({"field", "message", "code", "__typename"}),
           "observation": frozenset({"id", "__typename"})}
PLANS_MAX = 256
Selection = tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...]


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


@dataclass(frozen=True)
class Plan:
    """A document this module answers: where the input is, and the answer's shape."""
    operation: OperationDefinitionNode
    variable: str
    key: str  # submitSalary's response key
    node: FieldNode  # where an error is located
    selection: Selection  # response key, field, and (response key, field) of its own fields


class SubmissionShortcut:
    def __init__(self, schema: GraphQLSchema) -> None:
        self.schema = schema
        self.plans: dict[tuple[str, str | None], Plan | None] = {}
        names = {_camel(f.name): f.name for f in fields(SalarySubmission)}
        declared = self.schema.get_type(INPUT_TYPE)
        assert declared is not None and set(declared.fields) == set(names), "SubmitSalaryInput drifted"  # type: ignore[attr-defined]
        self.names = names  # the input's GraphQL field -> SalarySubmission's
        assert self.schema.mutation_type is not None
        payload = get_named_type(self.schema.mutation_type.fields[FIELD].type)
        assert isinstance(payload, GraphQLObjectType)
        self.typenames = {"": payload.name, **{name: get_named_type(payload.fields[name].type).name
                                               for name in ("userErrors", "observation")}}

    def plan(self, operation: Operation) -> Plan | None:
        if operation.query is None or FIELD not in operation.query:
            return None
        memo = (operation.query, operation.operation_name)
        if memo not in self.plans:
            if len(self.plans) >= PLANS_MAX:
                self.plans.pop(next(iter(self.plans)))
            self.plans[memo] = self._recognise(operation)
        return self.plans[memo]

    def _recognise(self, operation: Operation) -> Plan | None:
        document, definition = operation.document(), operation.definition()
        if document is None or definition is None or len(document.definitions) != 1 \
                or definition.operation != OperationType.MUTATION or definition.directives \
                or len(definition.variable_definitions or ()) != 1 or len(definition.selection_set.selections) != 1:
            return None
        (variable,) = definition.variable_definitions or ()
        declared, (root,) = variable.type, definition.selection_set.selections
        if not (isinstance(declared, NonNullTypeNode) and isinstance(declared.type, NamedTypeNode)
                and declared.type.name.value == INPUT_TYPE) or variable.default_value or variable.directives:
            return None
        if not isinstance(root, FieldNode) or root.name.value != FIELD or root.directives \
                or [(a.name.value, isinstance(a.value, VariableNode) and a.value.name.value)
                    for a in root.arguments or ()] != [("input", variable.variable.name.value)]:
            return None
        selection = _selection(root)
        if selection is None or validate(self.schema, document):
            return None
        return Plan(definition, variable.variable.name.value, (root.alias or root.name).value, root, selection)

    def submission(self, plan: Plan, operation: Operation, principal: Principal) -> SalarySubmission | None:
        """The submission to store, when this module answers: a reader's input that coerces."""
        if principal.role is None:
            return None
        coerced = get_variable_values(self.schema, plan.operation.variable_definitions or (), operation.variables or {})
        if isinstance(coerced, list):
            return None
        value = coerced.coerced[plan.variable]
        return SalarySubmission(**{self.names[name]: given for name, given in value.items()})

    async def answer(self, plan: Plan, submission: SalarySubmission, resources: Any, principal: Principal,
                     request_id: str) -> ExecutionResult:
        """The execution's answer, the extensions aside."""
        settings = resources.settings
        limit_s = settings.execution_timeout_s or EXECUTION_TIMEOUT_S
        try:
            async with asyncio.timeout(limit_s):
                with pymongo.timeout(settings.mongodb_timeout_s):
                    result = await submit_salary(resources, submission, principal.key_id)
            return ExecutionResult(data={plan.key: self._render(plan, result)})
        except TimeoutError:
            failed = ExecutionResult(data=None, errors=[timeout_error(limit_s)])
        except Exception as exc:  # shaped (masked and logged when unexpected) as a resolver's error is
            error: GraphQLError = located_error(exc, [plan.node], [plan.key])
            failed = ExecutionResult(data=None, errors=[error])
        shaped: ExecutionResult = shape_result(failed, request_id, settings.is_production)
        return shaped

    def _render(self, plan: Plan, result: SubmissionResult) -> dict[str, Any]:
        answer: dict[str, Any] = {}
        for key, name, below in plan.selection:
            if name == "__typename":
                answer[key] = self.typenames[""]
            elif name == "created":
                answer[key] = result.created
            elif name == "userErrors":
                answer[key] = [{k: self.typenames[name] if n == "__typename" else getattr(error, n) for k, n in below}
                               for error in result.errors]
            elif result.observation is None:
                answer[key] = None
            else:
                key_of = result.observation.key
                answer[key] = {k: self.typenames[name] if n == "__typename" else to_global_id(OBSERVATION, key_of)
                               for k, n in below}
        return answer


def _plain_fields(node: FieldNode) -> list[FieldNode] | None:
    """The fields selected under `node`, when all are fields without arguments or directives and no
    two share a response key."""
    selected = node.selection_set.selections if node.selection_set else ()
    plain = [s for s in selected if isinstance(s, FieldNode) and not s.arguments and not s.directives]
    keys = {(s.alias or s.name).value for s in plain}
    return plain if len(plain) == len(selected) == len(keys) else None


def _selection(root: FieldNode) -> Selection | None:
    """The payload's selection when every field in it is one answered here."""
    found: list[tuple[str, str, tuple[tuple[str, str], ...]]] = []
    for child in _plain_fields(root) or ():
        if child.name.value not in PAYLOAD:
            return None
        allowed, below = PAYLOAD[child.name.value], _plain_fields(child)
        if allowed is None and child.selection_set is None:
            found.append(((child.alias or child.name).value, child.name.value, ()))
        elif allowed is not None and below and all(g.name.value in allowed and g.selection_set is None for g in below):
            found.append(((child.alias or child.name).value, child.name.value,
                          tuple(((g.alias or g.name).value, g.name.value) for g in below)))
        else:
            return None
    return tuple(found) or None
