"""The GraphQL adapter: Strawberry types and thin resolvers per feature (`catalog`, `salaries`,
`summaries`, `official`), merged into one schema in `root.py`, and the ASGI app that serves it.

Feature packages never import one another: a type of another feature is referenced lazily
(`schema.lazy`), so every module imports on its own, in any order.
"""
