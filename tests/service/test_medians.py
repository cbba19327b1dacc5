"""The skills' pay premium medians, found by selection over stored chunks in passes, against
`np.median` of the concatenated amounts, on hypothesis-generated roles (ties, one value, wide
and narrow ranges), with windows small enough that every example takes several passes."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.summaries import medians, reuse
from tests.factories.servers import Servers, SyncDatabase

ROLES = ["backend-developer", "data-engineer", "devops-engineer"]
amount = st.one_of(st.floats(min_value=0.5, max_value=5e12, allow_nan=False),
                   st.sampled_from([48_000.0, 120_000.0, 120_000.5, 1e-3, 2e12]))
by_role = st.fixed_dictionaries({role: st.lists(amount, max_size=40) for role in ROLES})


@pytest.fixture(scope="module")
def loop(servers: Servers) -> Iterator[SyncDatabase]:
    opened = SyncDatabase(servers, "t_medians")
    yield opened
    opened.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amounts=by_role)
def test_medians_of_unions_match_numpy(loop: SyncDatabase, amounts: dict[str, list[float]],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reuse, "CHUNK_VALUES", 7)  # every role in several stored chunks
    monkeypatch.setattr(medians, "COLLECT", 2)  # windows narrowed until they hold two amounts
    monkeypatch.setattr(medians, "BUCKETS", 3)
    arrays = {role: np.sort(np.asarray(values, dtype=np.float64)) for role, values in amounts.items()}
    inputs = {role: {"observations": len(values)} for role, values in arrays.items()}
    loop.run(reuse.store_amounts(loop.db, arrays, inputs))
    sets = {"all": frozenset(ROLES), "two": frozenset(ROLES[:2]), "one": frozenset(ROLES[2:]), "none": frozenset()}
    found = loop.run(medians.medians(loop.db, sets))
    for name, members in sets.items():
        pooled = np.concatenate([arrays[r] for r in sorted(members)]) if members else np.empty(0)
        expected = float(np.median(pooled)) if pooled.size else None
        assert found[name] == (expected, pooled.size), name
