"""The people's dashboard in a real browser (Debian's headless Chromium) against `careergraph serve`
and `careergraph worker`, with the seed, a generated salary file in three currencies, official wages
and exchange rates in their publishers' formats. The page is checked against the file (which bands
exist) and against the API (the figures), and it must follow a submission without a reload.
Screenshots go to artifacts/dashboard/."""

from __future__ import annotations

import csv
import random
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from service.platform.config import Settings
from tests.e2e.browser.chromium import chromium, console_errors, paths_or_skip, screenshot, wait_for
from tests.e2e.processes import SUBMIT, admin_key, api_process, env_for, eventually, graphql, queue_idle
from tests.e2e.processes import run_cli as run
from tests.factories.official_files import FlatCell, full_texts, write_ecb_csv, write_flat_files
from tests.factories.salary_files import AI_JOBS_HEADER

pytestmark = pytest.mark.e2e
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "dashboard"
ROLE = "backend-developer"
# levels.fyi people in every band (entry under the minimum cell size, so withheld) and US states;
# ai-jobs people paid in euros and pounds
YEARS = {"ENTRY": (0.5, 3), "EARLY": (2, 12), "MID": (5, 20), "EXPERIENCED": (8, 9), "SENIOR": (12, 14)}
CITIES = ["Seattle, WA", "Austin, TX", "San Francisco, CA", "New York, NY"]
ABROAD = {"MI": ("MID", 10), "SE": ("SENIOR", 8)}
PLACES = [("DE", "EUR", 0.92), ("GB", "GBP", 0.79)]
RATES = {"USD": {2023: [1.08, 1.09], 2024: [1.08, 1.09]}, "GBP": {2023: [0.87], 2024: [0.85]}}
BAND_FIGURES = """query ($to: String!) { salarySummaries(role: "backend-developer", level: BAND, normalizeTo: $to) {
  experienceBand count median p10 p90 withheld status } }"""
GAP = """query ($have: [String!]!) { skillGap(role: "backend-developer", have: $have) { totalHours } }"""
BY_YEAR = """query ($adjust: Adjustment) { salarySummaries(role: "backend-developer", level: YEAR, normalizeTo: "USD",
  adjust: $adjust) { year count median withheld adjustment { applied } } }"""
OFFER = """query ($amount: Float!) { payPosition(role: "backend-developer", amount: $amount, currency: "USD",
  year: 2024) { words crowd { count percentiles { label value } } } }"""


def salary_files(directory: Path) -> tuple[Path, Path, Counter[str]]:
    """Back-end developers in two formats and three currencies; returns the people per band written."""
    rnd = random.Random(18)
    written: Counter[str] = Counter()
    levels, ai_jobs = directory / "levels.csv", directory / "ai-jobs.csv"
    with open(levels, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, delimiter=";")
        out.writerow(["company", "title", "totalyearlycompensation", "location", "yearsofexperience",
                      "yearsatcompany", "tag", "gender", "Education"])
        for band, (years, count) in YEARS.items():
            for i in range(count):
                pay = rnd.lognormvariate(11.4 + years / 25, 0.25)
                out.writerow([f"Company {i}", "Software Engineer", f"{pay:.0f}", rnd.choice(CITIES), years, 1,
                              "Distributed Systems (Back-End)", rnd.choice(["Male", "Female"]), "Bachelor's Degree"])
                written[band] += 1
    with open(ai_jobs, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(AI_JOBS_HEADER)
        for level, (band, count) in ABROAD.items():
            for _ in range(count):
                country, currency, per_usd = rnd.choice(PLACES)
                usd = rnd.lognormvariate(11.5, 0.25)
                out.writerow([rnd.choice(["2023", "2024"]), level, "FT", "Back End Developer", f"{usd * per_usd:.0f}",
                              currency, f"{usd:.0f}", country, "0", country, "M"])
                written[band] += 1
    return levels, ai_jobs, written


@pytest.fixture
def served(settings: Settings, tmp_path: Path) -> Any:
    paths_or_skip()
    env = env_for(settings.mongodb_url, settings.redis_url, settings.mongodb_db)
    levels, ai_jobs, written = salary_files(tmp_path)
    oews = write_flat_files(tmp_path / "oe", [FlatCell("0000000", "N", "000000", "151252",
                                                       full_texts(1_687_890, 135_980))])
    for args in (["seed"], ["import", "fx", str(write_ecb_csv(tmp_path / "rates.csv", RATES))],
                 ["import", "oews", str(oews)],
                 ["import", "salaries", str(levels), "--format", "levels-fyi"],
                 ["import", "salaries", str(ai_jobs), "--format", "ai-jobs"], ["recompute"]):
        done = run(args, settings)
        assert done.returncode == 0, done.stdout + done.stderr
    from tests.e2e.processes import worker_process
    with api_process(env, tmp_path) as base, worker_process(env, tmp_path / "worker.log"):
        eventually(lambda: queue_idle(settings), 30, "the seed's and the imports' runs")
        yield base, written, admin_key(env), tmp_path


def api(base: str, query: str, variables: dict[str, Any] | None = None, key: str | None = None) -> Any:
    body = graphql(base, query, variables, key).json()
    assert "errors" not in body, body
    return body["data"]


def marks(driver: Any, section: str) -> dict[str, dict[str, str]]:
    found = driver.execute_script(
        "return [...document.querySelectorAll(arguments[0] + ' .mark')].map(m => Object.assign({}, m.dataset))",
        section)
    return {m["key"]: m for m in found}


def element_shot(driver: Any, selector: str, name: str) -> None:
    from selenium.webdriver.common.by import By

    element = driver.find_element(By.CSS_SELECTOR, selector)
    driver.execute_script("arguments[0].scrollIntoView()", element)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    element.screenshot(str(ARTIFACTS / name))


def pick_backend(driver: Any) -> None:
    from selenium.webdriver.common.by import By

    box = driver.find_element(By.ID, "role-search")
    box.clear()
    box.send_keys("backend dev")
    button = wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, f'#role-results button[data-slug="{ROLE}"]'),
                      "backend developer among the matches")
    button[0].click()
    wait_for(driver, lambda d: d.execute_script("return document.body.dataset.role") == ROLE
             and marks(d, "#pay-bands"), "the role's pay")


def test_the_dashboard_shows_a_role_and_follows_new_submissions(served: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    base, written, key, tmp_path = served
    with chromium(tmp_path / "profile") as driver:
        driver.get(f"{base}/dashboard")
        wait_for(driver, lambda d: d.execute_script("return document.body.dataset.ready"), "the page's script")
        assert console_errors(driver) == []
        pick_backend(driver)

        # one mark per band in the file, holding the API's figures; the small band withheld
        shown = marks(driver, "#pay-bands")
        assert set(shown) == set(written)
        served_bands = {r["experienceBand"]: r for r in api(base, BAND_FIGURES, {"to": "USD"})["salarySummaries"]}
        for band, mark in shown.items():
            row = served_bands[band]
            assert int(mark["count"]) == row["count"] == written[band]
            assert mark["withheld"] == ("true" if row["withheld"] else "false")
            if row["withheld"]:
                assert "median" not in mark
            else:
                assert float(mark["median"]) == pytest.approx(row["median"])
                for tail in ("p10", "p90"):  # a band under 30 people shows no tails, and says so
                    assert mark[tail] == "not shown" if row[tail] is None else float(mark[tail]) == row[tail]
        assert served_bands["ENTRY"]["withheld"]
        entry = driver.find_element(By.CSS_SELECTOR, '#pay-bands .mark[data-key="ENTRY"]')
        assert "withheld" in entry.text and "$" not in entry.text
        provenance = driver.find_element(By.CSS_SELECTOR, "#pay-bands .provenance").text
        assert f"{sum(written.values()):,} people" in provenance and "ECB" in provenance and "computed" in provenance

        # places, and official wages beside crowd pay
        assert {"US", "DE", "GB"} <= set(marks(driver, "#pay-places"))
        official = marks(driver, "#official")
        assert float(official["15-1252"]["median"]) == 135_980 and "crowd" in official
        assert "1,687,890 jobs" in driver.find_element(By.CSS_SELECTOR, "#official .comparison").text

        # skills, demand, and the skill gap as the API computes it
        assert driver.find_elements(By.CSS_SELECTOR, "#skills li[data-skill]")
        boxes = driver.find_elements(By.CSS_SELECTOR, "#path .choices input")[:3]
        for box in boxes:
            box.click()
        have = [b.get_attribute("value") for b in boxes]
        hours = api(base, GAP, {"have": have})["skillGap"]["totalHours"]
        wait_for(driver, lambda d: d.find_element(By.CSS_SELECTOR, "#path .gap").get_attribute("data-hours")
                 == f"{hours:g}", f"{hours} hours left")
        # pay by year, nominal then real: each year's row as the API adjusts it; no year, no adjustment
        by_year = {str(r["year"] or "unknown"): r for r in api(base, BY_YEAR)["salarySummaries"]}
        shown_years = marks(driver, "#pay-years")
        assert set(shown_years) == set(by_year) and {"2023", "2024", "unknown"} <= set(by_year)
        for year, row in by_year.items():
            assert (shown_years[year]["withheld"] == "true") == row["withheld"]
            if not row["withheld"]:
                assert float(shown_years[year]["median"]) == pytest.approx(row["median"])
        Select(driver.find_element(By.ID, "dollars")).select_by_value("REAL")
        wait_for(driver, lambda d: d.find_element(By.ID, "pay-years").get_attribute("data-dollars") == "REAL",
                 "pay by year in real dollars")
        real = {str(r["year"] or "unknown"): r for r in api(base, BY_YEAR, {"adjust": "REAL"})["salarySummaries"]}
        shown_real = marks(driver, "#pay-years")
        for year, row in real.items():
            if row["median"] is not None:
                assert float(shown_real[year]["median"]) == pytest.approx(row["median"])
                assert row["median"] > by_year[year]["median"]
        assert shown_real["unknown"]["withheld"] == "true" and not real["unknown"]["adjustment"]["applied"]
        assert "CPI-U" in driver.find_element(By.CSS_SELECTOR, "#pay-years .provenance").text
        element_shot(driver, "#pay-years", "pay-by-year-real.png")
        Select(driver.find_element(By.ID, "dollars")).select_by_value("NOMINAL")
        # the offer check with crowd figures: the crowd's median lands at p50
        crowd = api(base, OFFER, {"amount": 100_000.0})["payPosition"]["crowd"]
        median = next(p["value"] for p in crowd["percentiles"] if p["label"] == "p50")
        driver.find_element(By.ID, "offer-amount").send_keys(f"{median!r}")
        year = driver.find_element(By.ID, "offer-year")
        year.clear()
        year.send_keys("2024")
        driver.find_element(By.CSS_SELECTOR, "#offer-form button").click()
        words = api(base, OFFER, {"amount": median})["payPosition"]["words"]
        assert words.startswith(f"at p50 of {crowd['count']:,} people")
        wait_for(driver, lambda d: d.find_element(By.CSS_SELECTOR, "#offer .verdict").get_attribute("data-words")
                 == words, "the offer at the crowd's median")
        element_shot(driver, "#offer", "offer-check-crowd.png")
        screenshot(driver, ARTIFACTS / "backend-developer.png")
        screenshot(driver, ARTIFACTS / "backend-developer-top.png", height=1250)

        # a submission reaches the page through summariesUpdated, without a reload
        wait_for(driver, lambda d: "Live" in d.find_element(By.ID, "live").text, "the live connection")
        before = int(marks(driver, "#pay-bands")["MID"]["count"])
        salary = {"role": ROLE, "amount": 131_000, "currency": "USD", "country": "US", "experienceYears": 5,
                  "idempotencyKey": "dashboard-e2e-1"}
        assert api(base, SUBMIT, {"input": salary}, key)["submitSalary"]["created"]
        # one submission waits for a release (docs/privacy.md): the band says so, its count stands
        wait_for(driver, lambda d: marks(d, "#pay-bands")["MID"]["heldBack"] == "true", "the held-back mark", 40)
        assert int(marks(driver, "#pay-bands")["MID"]["count"]) == before
        assert "wait for the next release" in driver.find_element(
            By.CSS_SELECTOR, '#pay-bands .mark[data-key="MID"]').get_attribute("aria-label")
        for n in range(2, 6):  # four more of its cell: the five join the figures together
            assert api(base, SUBMIT, {"input": {**salary, "amount": 131_000 + 1_000 * n,
                                                "idempotencyKey": f"dashboard-e2e-{n}"}}, key)["submitSalary"]["created"]
        wait_for(driver, lambda d: int(marks(d, "#pay-bands")["MID"]["count"]) == before + 5, "the new count", 40)
        assert driver.find_element(By.ID, "live").text.startswith("Updated at")
        assert driver.execute_script("return performance.getEntriesByType('navigation').length") == 1

        # another currency: the pay is read again in it, and the address says so
        Select(driver.find_element(By.ID, "currency")).select_by_value("EUR")
        in_euros = {r["experienceBand"]: r for r in api(base, BAND_FIGURES, {"to": "EUR"})["salarySummaries"]}
        wait_for(driver, lambda d: "Converted to EUR" in d.find_element(By.CSS_SELECTOR, "#pay-bands .provenance").text,
                 "pay in euros")
        for band, mark in marks(driver, "#pay-bands").items():
            if not in_euros[band]["withheld"]:
                assert float(mark["median"]) == pytest.approx(in_euros[band]["median"])
        assert "currency=EUR" in driver.current_url

        # the keyboard: Enter in the picker takes the first match
        box = driver.find_element(By.ID, "role-search")
        box.clear()
        box.send_keys("frontend developer", Keys.ENTER)
        wait_for(driver, lambda d: d.execute_script("return document.body.dataset.role") == "frontend-developer",
                 "the first match picked with Enter")
        assert console_errors(driver) == []

        # a phone's width: nothing wider than the screen
        driver.get(f"{base}/dashboard?role={ROLE}&currency=EUR")
        wait_for(driver, lambda d: marks(d, "#pay-bands"), "the role from the address")
        driver.set_window_size(390, 844)
        assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
        screenshot(driver, ARTIFACTS / "backend-developer-phone.png", width=390)
        assert console_errors(driver) == []

        # GraphiQL loads from careergraph's own files (tests/e2e/test_graphiql_offline.py refuses every other origin)
        driver.set_window_size(1280, 900)
        driver.get(f"{base}/graphql")
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".graphiql-container"), "GraphiQL")
