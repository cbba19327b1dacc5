"""The shape of MongoDB and Redis: collections, validators and indexes, the summary cache, pagination."""
