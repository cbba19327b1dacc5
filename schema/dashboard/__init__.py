"""The people's dashboard: static pages shipped in the package (`static/`), served by
`schema.http.dashboard` at `/dashboard` and `/`, that talk to `/graphql` like any other client."""
