"""The GraphQL adapter, grouped by kind, then by feature:

- `http/`: the front door (the ASGI view, persisted queries, the response cache, conditional GET,
  WebSockets, exports, probes, the server); only it speaks HTTP;
- `policy/`: what an operation may do and costs (cost, limits, the key gate, parse and validation
  caches, time limits, error codes);
- `sdl/`: the committed SDL's export and its change check;
- the features (`catalog`, `salaries`, `summaries`, `official`), each with `types.py`, `inputs.py`,
  `schema.py` (root mixins, merged in `root.py`) and `docs.py` (descriptions), plus the fields it
  gives another feature's hub type (`role_fields.py`, composed in `catalog/role.py`);
- the shared types and plumbing at the root (`relay`, `provenance`, `bands`, `context`, ...).
"""
