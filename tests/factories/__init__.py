"""What the tests build and share, by what it holds: `paths` (where files are), `servers` (the
test servers, run sizes, database watchers), `documents` (observations and roles to store), `api`
(the API in this process and its answers), `salary_files` and `official_files` (files in the
publishers' formats). A test module imports from these (or, for the real processes,
`tests/e2e/processes.py`), never from another test module; fixtures live in the conftest files.
"""
