"""GraphQL over HTTP: the audit suite of the npm package graphql-http against `careergraph serve`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from service.platform.config import Settings
from tests.e2e.processes import api_process, careergraph_env

AUDIT_DIR = Path(__file__).resolve().parent / "graphql_http"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def audit_tools(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are not on the PATH: the graphql-http audit needs them")
    work = ROOT / ".venv" / "graphql-http-audit"  # cached beside the virtualenv between runs
    work.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "audit.mjs"):
        shutil.copy(AUDIT_DIR / name, work / name)
    if not (work / "node_modules" / "graphql-http").is_dir():
        result = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent"], cwd=work,
                                capture_output=True, text=True, timeout=300, check=False)
        if result.returncode != 0:
            pytest.skip(f"npm could not install graphql-http: {result.stderr.strip()[-300:]}")
    return work


def test_graphql_http_audit_reports_no_error_and_no_warning(
        audit_tools: Path, settings: Settings, tmp_path: Path) -> None:
    env = careergraph_env(MONGODB_URL=settings.mongodb_url, REDIS_URL=settings.redis_url,
                          MONGODB_DB=settings.mongodb_db)
    with api_process(env, tmp_path) as base:
        result = subprocess.run(["node", "audit.mjs", f"{base}/graphql"], cwd=audit_tools,
                                capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert ", 0 not ok" in result.stdout


def test_request_errors_are_400_with_the_graphql_response_media_type(settings: Settings, tmp_path: Path) -> None:
    env = careergraph_env(MONGODB_URL=settings.mongodb_url, REDIS_URL=settings.redis_url,
                          MONGODB_DB=settings.mongodb_db)
    accept = {"accept": "application/graphql-response+json"}
    with api_process(env, tmp_path) as base:
        bad = httpx.post(f"{base}/graphql", json={"query": "{ nope }"}, headers=accept)
        assert bad.status_code == 400 and "data" not in bad.json()
        assert bad.headers["content-type"].startswith("application/graphql-response+json")
        field_error = httpx.post(f"{base}/graphql", json={"query": '{ role(slug: "nope") { title } }'},
                                 headers=accept)
        assert field_error.status_code == 200 and field_error.json()["data"] == {"role": None}
        legacy = httpx.post(f"{base}/graphql", json={"query": "{ nope }"})
        assert legacy.status_code == 200 and legacy.headers["content-type"].startswith("application/json")
        by_get = httpx.get(f"{base}/graphql", params={"query": "{ serviceInfo { version } }"})
        assert by_get.status_code == 200 and by_get.json()["data"]["serviceInfo"]["version"]
        mutation_by_get = httpx.get(f"{base}/graphql", params={"query": "mutation { requestRecompute { queued } }"})
        assert mutation_by_get.status_code == 405


def test_curl_gets_200_then_304_with_the_etag(settings: Settings, tmp_path: Path) -> None:
    if shutil.which("curl") is None:
        pytest.skip("curl is not on the PATH")
    env = careergraph_env(MONGODB_URL=settings.mongodb_url, REDIS_URL=settings.redis_url,
                          MONGODB_DB=settings.mongodb_db)
    with api_process(env, tmp_path) as base:
        url = f"{base}/graphql?query=%7B%20serviceInfo%20%7B%20version%20%7D%20%7D"

        def curl(*extra: str) -> tuple[int, dict[str, str]]:
            out = subprocess.run(["curl", "-s", "-D", "-", "-o", "/dev/null", *extra, url],
                                 capture_output=True, text=True, timeout=30, check=True).stdout
            status_line, *lines = out.strip().splitlines()
            headers = dict(line.split(": ", 1) for line in lines if ": " in line)
            return int(status_line.split()[1]), {k.lower(): v for k, v in headers.items()}

        status, headers = curl()
        assert status == 200 and headers["cache-control"] == "no-cache" and headers["vary"] == "Accept, Authorization"
        status, again = curl("-H", f"If-None-Match: {headers['etag']}")
        assert status == 304 and again["etag"] == headers["etag"]
