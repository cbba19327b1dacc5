"""What an operation may cost, counted before it runs: nodes, as GitHub counts them.

Each list field multiplies the nodes below it by how many items it may return: its `first` or
`last` argument where it has one, the length of `ids` for `nodes`, and otherwise a fixed estimate
per field (`LIST_ESTIMATES`: an upper bound of what the data holds, generous rather than exact).
The `edges` and `nodes` of a connection add nothing of their own: the connection's `first` has
counted them. Each mutation root field counts `MUTATION_FIELD_NODES`, so aliases cost each. A field
that computes its answer from many documents each time it is resolved counts `COMPUTED_FIELD_NODES`
more for every time (`Role.nextMoves` under `roles(first: 100)` is a hundred rankings).

Arguments are read the way execution will read them: variables coerced by graphql-core with
their defaults, so `$n: Int = 100`, `{"n": 100.0}` and the literal `100` all count the same.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
    is_leaf_type,
)
from graphql.execution.values import VariableValues, get_argument_values, get_variable_values
from graphql.pyutils import Undefined
from graphql.type.definition import GraphQLField, GraphQLOutputType

MUTATION_FIELD_NODES = 100  # one point a write
#: (type, field) -> nodes each resolution costs besides what it returns: about the documents it reads
COMPUTED_FIELD_NODES = {("Role", "nextMoves"): 100, ("Query", "nextMoves"): 100, ("Query", "payPosition"): 20}
DEFAULT_LIST_ESTIMATE = 50
CONNECTION_LISTS = frozenset({"edges", "nodes"})
#: Lists without a size argument: (type, field) -> the most items one may hold.
LIST_ESTIMATES = {
    ("Skill", "roles"): 1000, ("Role", "skills"): 250, ("Role", "relatedRoles"): 50,
    ("Role", "learningPaths"): 10, ("Role", "salaryBenchmarks"): 50, ("Role", "outlooks"): 20,
    ("Role", "sources"): 20, ("LearningPath", "steps"): 50, ("LearningPath", "sources"): 20,
    ("LearningStep", "skills"): 30, ("LearningStep", "resources"): 30,
    ("SkillGap", "missing"): 250, ("SkillGap", "steps"): 50,
    ("Demand", "outlooks"): 20, ("Demand", "observationsByYear"): 50, ("Demand", "topSkills"): 10,
    ("Demand", "coreRoles"): 1000, ("Demand", "recommendedRoles"): 1000,
    ("NextMoves", "moves"): 1,  # `nextMoves(first:)` has counted them, as a connection's `first` counts its edges
    ("NextMove", "known"): 100, ("NextMove", "toLearn"): 100,  # a role's core and recommended skills
    ("CrowdStanding", "percentiles"): 5, ("OfficialStanding", "percentiles"): 5, ("OfficialStanding", "atLeast"): 5,
}
NOT_NODES = frozenset({"userErrors"})  # bounded by the input, never read from a store
#: salarySummaries, by scope: (one role, every role) x (ROLE totals, one roll-up dimension, cells).
SUMMARY_ESTIMATES = {(True, "ROLE"): 20, (True, "COUNTRY"): 200, (True, "BAND"): 100, (True, "CELL"): 500,
                     (True, "REGION"): 300, (True, "YEAR"): 50, (True, "COUNTRY_YEAR"): 1000, (True, "METRO"): 500,
                     (False, "ROLE"): 2000, (False, "COUNTRY"): 20_000, (False, "BAND"): 10_000,
                     (False, "CELL"): 20_000, (False, "REGION"): 20_000, (False, "YEAR"): 5000,
                     (False, "COUNTRY_YEAR"): 20_000, (False, "METRO"): 20_000}


def _is_object_list(type_: GraphQLOutputType) -> bool:
    """A list of objects (lists of scalars or enums are values, not nodes)."""
    while isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return isinstance(type_, GraphQLList) and not is_leaf_type(get_named_type(type_))


def _summaries_estimate(args: dict[str, Any]) -> int:
    one_role = args.get("role") is not None
    level = getattr(args.get("level"), "value", args.get("level"))
    # no level: every level of one role, or the ROLE totals of every role (the largest for an unknown one)
    key = (one_role, level or ("CELL" if one_role else "ROLE"))
    return SUMMARY_ESTIMATES.get(key, max(SUMMARY_ESTIMATES.values()))


def list_size(parent: str, name: str, field: GraphQLField, args: dict[str, Any]) -> int | None:
    """How many items the field may return, or None when it is not a list of its own."""
    for size_argument in ("first", "last"):
        if isinstance(args.get(size_argument), int):
            return max(0, int(args[size_argument]))
    if isinstance(args.get("ids"), list):
        return len(args["ids"])
    if not _is_object_list(field.type) or (parent.endswith("Connection") and name in CONNECTION_LISTS):
        return None
    if name in NOT_NODES:
        return None
    if (parent, name) == ("Query", "salarySummaries"):
        return _summaries_estimate(args)
    return LIST_ESTIMATES.get((parent, name), DEFAULT_LIST_ESTIMATE)


class _Counter:
    def __init__(self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode],
                 operation: OperationDefinitionNode, variables: dict[str, Any] | None) -> None:
        self.schema, self.fragments, self.operation, self.raw = schema, fragments, operation, variables
        self._coerced: VariableValues | bool | None = False  # not coerced yet

    @property
    def variables(self) -> VariableValues | None:
        """The variables coerced as execution will, on first need only (a write reads none)."""
        if self._coerced is False:
            found = get_variable_values(self.schema, self.operation.variable_definitions or (), self.raw or {})
            self._coerced = None if isinstance(found, list) else found  # do not coerce: refused anyway
        return self._coerced  # type: ignore[return-value]

    def _arguments(self, field: GraphQLField, node: FieldNode) -> dict[str, Any]:
        if not node.arguments and not any(arg.default_value is not Undefined for arg in field.args.values()):
            return {}  # nothing to read: the variables stay uncoerced
        try:
            return get_argument_values(field, node, self.variables)
        except (GraphQLError, TypeError):  # execution will refuse it; count what is certain
            return {}

    def walk(self, selections: SelectionSetNode | None, parent: Any, multiplier: int,
             seen: frozenset[str], mutation_root: bool = False) -> int:
        total = 0
        for selection in selections.selections if selections else ():
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent, multiplier, seen, mutation_root)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.schema.get_type(condition.name.value) if condition else parent
                total += self.walk(selection.selection_set, inner or parent, multiplier, seen, mutation_root)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in seen:
                    inner = self.schema.get_type(fragment.type_condition.name.value)
                    total += self.walk(fragment.selection_set, inner or parent, multiplier, seen | {name},
                                       mutation_root)
        return total

    def field(self, node: FieldNode, parent: Any, multiplier: int, seen: frozenset[str],
              mutation_root: bool) -> int:
        fields = parent.fields if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType) else {}
        definition = fields.get(node.name.value)
        if definition is None:  # __typename, introspection, or invalid (validation refuses it)
            return 0
        child = get_named_type(definition.type)
        if mutation_root:  # a write costs the same however little it returns; its payload is one object
            return MUTATION_FIELD_NODES + self.walk(node.selection_set, child, 1, seen)
        computed = multiplier * COMPUTED_FIELD_NODES.get((parent.name, node.name.value), 0)
        size = list_size(parent.name, node.name.value, definition, self._arguments(definition, node))
        if size is None:
            return computed + self.walk(node.selection_set, child, multiplier, seen)
        nodes = multiplier * size
        return computed + nodes + self.walk(node.selection_set, child, max(nodes, 1), seen)


def chosen_operation(document: Any, operation_name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    named = next((o for o in operations if o.name and o.name.value == operation_name), None)
    return named or (operations[0] if operations else None)


def count_nodes(schema: GraphQLSchema, document: Any, operation_name: str | None,
                variables: dict[str, Any] | None) -> int:
    """Nodes the operation may return, with variables coerced as execution will coerce them."""
    operation = chosen_operation(document, operation_name)
    if operation is None:
        return 0
    root = schema.get_root_type(operation.operation)
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    counter = _Counter(schema, fragments, operation, variables)
    return counter.walk(operation.selection_set, root, 1, frozenset(),
                        mutation_root=operation.operation == OperationType.MUTATION)
