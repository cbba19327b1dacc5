"""What the tests build and share, by what it holds: `paths` (where files are), `servers` (the
test servers, run sizes, database watchers), `documents` (observations and roles to store), `api`
(the API in this process and its answers), `salary_files` and `official_files` (files in the
publishers' formats). A test module imports from these (or, for the real processes,
`tests/e2e/processes.py`), never from another test module; fixtures live in the conftest files.

The names below are re-exported only until the GraphQL adapter's tests (`tests/schema`) import
from the modules themselves (issue 27's new layout of `schema/` moves them); nothing new uses them.
"""

from tests.factories.api import Api, codes, commands_by_page_size, open_api
from tests.factories.documents import TEST_SOURCE, add, add_roles, observation, role_total
from tests.factories.paths import FIXTURES, LEVELS_FYI_SAMPLE, ROOT, SHARED_DATA
from tests.factories.servers import PROFILES, CommandCounter, Servers, SyncDatabase, sized

__all__ = ["FIXTURES", "LEVELS_FYI_SAMPLE", "PROFILES", "ROOT", "SHARED_DATA", "TEST_SOURCE", "Api",
           "CommandCounter", "Servers", "SyncDatabase", "add", "add_roles", "codes", "commands_by_page_size",
           "observation", "open_api", "role_total", "sized"]
