"""GraphiQL, served whole by careergraph: the page that `GET /graphql` answers to a browser outside
production, and its files at `/graphiql/{name}`.

React, ReactDOM and GraphiQL are the npm registry's builds at pinned versions, written into
`schema/http/graphiql/` by `make graphiql-assets` with their licences and SHA256SUMS, and committed:
the IDE works with no internet access and no request leaves the origin (the policy below says so to
the browser too). `start.js` and `page.css` beside them are careergraph's own."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from schema.http.static_files import ShippedFolder

# The same policy as the dashboard's, with fonts: nothing inline, nothing from another origin (the browser
# test runs the IDE under it with no console error); answers and subscriptions go to this origin only.
POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          "font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
FILES = ShippedFolder("schema.http", "graphiql", POLICY, "GraphiQL")


def page(request: Request) -> Response:
    return FILES.answer(request, "index.html")


async def ide_file(request: Request) -> Response:
    return FILES.answer(request, request.path_params["name"])
