"""The people's dashboard: static pages shipped in the package (`static/`), served at `/dashboard`
and `/`, that talk to `/graphql` like any other client."""
