"""GraphiQL in a real browser (Debian's headless Chromium) with every request beyond this machine
refused: the IDE renders from the files careergraph serves, runs a query, and nothing it asked for
left the origin. A screenshot goes to artifacts/graphiql/."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from service.platform.config import Settings
from tests.e2e.browser.chromium import chromium, console_errors, paths_or_skip, requested_urls, screenshot, wait_for
from tests.e2e.processes import api_process, env_for, graphql

pytestmark = pytest.mark.e2e
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "graphiql"
QUERY = "{ serviceInfo { version mongodbVersion } }"


@pytest.fixture
def served(settings: Settings, tmp_path: Path) -> Iterator[str]:
    paths_or_skip()
    env = env_for(settings.mongodb_url, settings.redis_url, settings.mongodb_db)
    with api_process(env, tmp_path) as base:
        yield base


def test_graphiql_renders_and_answers_with_every_other_origin_refused(served: str, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    base = served
    with chromium(tmp_path / "profile", origin_only=True) as driver:
        # the refusal is real: a page without a policy of its own cannot fetch from the CDN GraphiQL used to need
        driver.get(f"{base}/healthz")
        outcome = driver.execute_async_script(
            "const done = arguments[0]; fetch('https://unpkg.com/graphiql@3.8.3/graphiql.min.js')"
            ".then(() => done('fetched'), (e) => done('refused: ' + e.name))")
        assert outcome.startswith("refused"), outcome
        requested_urls(driver), console_errors(driver)  # drained: what follows is the IDE's alone

        driver.get(f"{base}/graphql?q={quote(QUERY)}")
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".graphiql-container .graphiql-execute-button"),
                 "GraphiQL's editor")
        driver.find_element(By.CSS_SELECTOR, ".graphiql-execute-button").click()
        answered = wait_for(driver, lambda d: "mongodbVersion" in d.find_element(
            By.CSS_SELECTOR, ".graphiql-response").text and d.find_element(By.CSS_SELECTOR, ".graphiql-response").text,
            "the query's answer")
        expected = graphql(base, QUERY).json()["data"]["serviceInfo"]
        shown = json.loads(answered[answered.index("{"):])["data"]["serviceInfo"]
        assert shown == expected
        screenshot(driver, ARTIFACTS / "graphiql-offline.png", height=900)

        asked = requested_urls(driver)
        assert any(url.endswith("/graphiql/graphiql.min.js") for url in asked), asked
        assert [url for url in asked if not url.startswith((base + "/", "data:", "blob:"))] == []
        assert console_errors(driver) == [], console_errors
