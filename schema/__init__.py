"""The GraphQL adapter: Strawberry types, thin resolvers, the root schema and the ASGI app."""
