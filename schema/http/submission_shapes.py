"""Which `submitSalary` documents can be answered without a GraphQL execution, and their answer.

A document is taken when it is one mutation whose one root field is `submitSalary(input:
$variable)` with `$variable: SubmitSalaryInput!`, without fragments, directives or duplicate
response keys, selecting `created`, `userErrors { field message code }`, `__typename`, and of
`observation` its `__typename` and the fields an execution reads straight off the object (`id`,
`amount`, `currency`, `experienceBand` and the like: no arguments, no context, nothing to await),
aliases allowed; and when it passes the schema's validation. Those fields are found in the schema
itself, and each value is made by the field's own resolver and its type's own serialisation, as
the execution makes it. The input is coerced by graphql-core, as an execution coerces variables.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    NamedTypeNode,
    NonNullTypeNode,
    OperationDefinitionNode,
    OperationType,
    VariableNode,
    coerce_input_value,
    get_named_type,
    get_nullable_type,
    validate,
)
from strawberry.schema.schema_converter import GraphQLCoreConverter

from schema.policy.cost import count_nodes
from schema.policy.documents import try_parse
from service.salaries.model import SalaryObservation
from service.salaries.submissions import SalarySubmission, SubmissionResult

FIELD = "submitSalary"
ARGUMENT = "input"
INPUT_TYPE = "SubmitSalaryInput"
OBSERVATION_TYPE = "SalaryObservation"
USER_ERROR_FIELDS = frozenset({"field", "message", "code", "__typename"})
BACKREF = GraphQLCoreConverter.DEFINITION_BACKREF

Leaves = tuple[tuple[str, str], ...]  # (response key, field) of a sub-selection
Selection = tuple[str, str, Leaves | None]  # response key, field, leaves below
Reader = Callable[[SalaryObservation], Any]


def observation_readers(schema: GraphQLSchema) -> dict[str, Reader]:
    """The observation type's fields an execution reads straight off the object, each as a
    function of the observation giving the serialised value."""
    graphql_type = schema.get_type(OBSERVATION_TYPE)
    assert isinstance(graphql_type, GraphQLObjectType)
    wrapper = graphql_type.extensions[BACKREF].origin  # the Strawberry type that wraps the model
    readers: dict[str, Reader] = {}
    for name, field in graphql_type.fields.items():
        resolver = getattr(field.extensions.get(BACKREF), "base_resolver", None)
        leaf = get_nullable_type(field.type)
        if resolver is None or resolver.is_async or resolver.arguments or resolver.info_parameter is not None \
                or not isinstance(leaf, GraphQLScalarType | GraphQLEnumType):
            continue
        readers[name] = _reader(resolver.wrapped_func, leaf, wrapper)
    return readers


def _reader(resolve: Callable[[Any], Any], leaf: GraphQLScalarType | GraphQLEnumType, wrapper: Any) -> Reader:
    def read(observation: SalaryObservation) -> Any:
        value = resolve(wrapper(model=observation))
        return None if value is None else leaf.serialize(value)

    return read


@dataclass(frozen=True)
class SubmissionShape:
    variable: str
    key: str  # submitSalary's response key
    node: FieldNode  # where an error in it is located
    payload: tuple[Selection, ...]
    nodes: int
    typenames: dict[str, str]  # payload field (and "" for the payload itself) -> its type's name
    readers: dict[str, Reader]

    def render(self, result: SubmissionResult) -> dict[str, Any]:
        answer: dict[str, Any] = {}
        for key, name, below in self.payload:
            if name == "__typename":
                answer[key] = self.typenames[""]
            elif name == "created":
                answer[key] = result.created
            elif name == "userErrors":
                assert below is not None
                answer[key] = [{k: self.typenames[name] if n == "__typename" else getattr(error, n) for k, n in below}
                               for error in result.errors]
            elif result.observation is None:
                answer[key] = None
            else:
                assert below is not None
                observation = result.observation
                answer[key] = {k: self.typenames[name] if n == "__typename" else self.readers[n](observation)
                               for k, n in below}
        return answer


def _leaves(node: FieldNode, allowed: frozenset[str] | set[str]) -> Leaves | None:
    if node.selection_set is None:
        return None
    found = []
    for child in node.selection_set.selections:
        if not isinstance(child, FieldNode) or child.name.value not in allowed or child.selection_set \
                or child.arguments or child.directives:
            return None
        found.append(((child.alias or child.name).value, child.name.value))
    keys = [key for key, _ in found]
    return tuple(found) if len(set(keys)) == len(keys) else None


def _payload(node: FieldNode, readers: dict[str, Reader]) -> tuple[Selection, ...] | None:
    allowed: dict[str, frozenset[str] | set[str] | None] = {
        "created": None, "__typename": None, "userErrors": USER_ERROR_FIELDS,
        "observation": {*readers, "__typename"}}
    if node.selection_set is None:
        return None
    found: list[Selection] = []
    for child in node.selection_set.selections:
        if not isinstance(child, FieldNode) or child.name.value not in allowed \
                or child.arguments or child.directives:
            return None
        fields = allowed[child.name.value]
        below = None if fields is None else _leaves(child, fields)
        if (fields is None) != (child.selection_set is None) or (fields is not None and below is None):
            return None
        found.append(((child.alias or child.name).value, child.name.value, below))
    keys = [key for key, _, _ in found]
    return tuple(found) if len(set(keys)) == len(keys) else None


def recognise(schema: GraphQLSchema, query: str, operation_name: Any, readers: dict[str, Reader]
              ) -> SubmissionShape | None:
    """The shape of a submitSalary document this module can answer, or None."""
    document = try_parse(query)
    if document is None or len(document.definitions) != 1:
        return None
    (operation,) = document.definitions
    if not isinstance(operation, OperationDefinitionNode) or operation.operation != OperationType.MUTATION \
            or operation.directives or len(operation.variable_definitions or ()) != 1 \
            or len(operation.selection_set.selections) != 1:
        return None
    if operation_name is not None and (operation.name is None or operation.name.value != operation_name):
        return None
    (definition,) = operation.variable_definitions or ()
    declared = definition.type
    if not (isinstance(declared, NonNullTypeNode) and isinstance(declared.type, NamedTypeNode)
            and declared.type.name.value == INPUT_TYPE) or definition.default_value or definition.directives:
        return None
    (field,) = operation.selection_set.selections
    if not isinstance(field, FieldNode) or field.name.value != FIELD or field.directives \
            or len(field.arguments or ()) != 1:
        return None
    (argument,) = field.arguments or ()
    if argument.name.value != ARGUMENT or not isinstance(argument.value, VariableNode) \
            or argument.value.name.value != definition.variable.name.value:
        return None
    payload = _payload(field, readers)
    if payload is None or validate(schema, document):
        return None
    mutation = schema.mutation_type
    assert mutation is not None  # validation passed a mutation
    payload_type = get_named_type(mutation.fields[FIELD].type)
    assert isinstance(payload_type, GraphQLObjectType)
    typenames = {"": payload_type.name, **{name: get_named_type(f.type).name
                                          for name, f in payload_type.fields.items()}}
    return SubmissionShape(variable=definition.variable.name.value, key=(field.alias or field.name).value,
                           node=field, payload=payload, nodes=count_nodes(schema, document, operation_name, None),
                           typenames=typenames, readers=readers)


def submission_of(schema: GraphQLSchema, value: Any) -> SalarySubmission | None:
    """The submission the input coerces to, as an execution would coerce it; None when it does not."""
    if not isinstance(value, dict):
        return None
    input_type = schema.get_type(INPUT_TYPE)
    assert isinstance(input_type, GraphQLInputObjectType)
    coerced = coerce_input_value(value, GraphQLNonNull(input_type))  # Undefined when it does not coerce
    if not isinstance(coerced, dict):
        return None
    return SalarySubmission(**{input_type.fields[name].extensions[BACKREF].python_name: field_value
                               for name, field_value in coerced.items()})
