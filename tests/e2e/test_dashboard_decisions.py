"""The dashboard of a fresh install (the seed, official wages and rates, no crowd observation) in a real
browser: the pay panels show the role's official wages and say so, the state map holds each state's
official median and is driven by the keyboard, next moves and the offer check show what the API answers,
and the nominal/real switch re-reads the offer in constant dollars. Screenshots go to artifacts/dashboard/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from service.platform.config import Settings
from tests.e2e.browser.chromium import chromium, console_errors, paths_or_skip, wait_for
from tests.e2e.processes import api_process, env_for, eventually, graphql, queue_idle, worker_process
from tests.e2e.processes import run_cli as run
from tests.factories.official_files import FlatCell, full_texts, write_ecb_csv, write_flat_files

pytestmark = pytest.mark.e2e
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "dashboard"
ROLE = "backend-developer"
# (FIPS, name, jobs, median): states for 15-1252, Software Developers
STATES = [("48", "Texas", 163_880, 132_150), ("06", "California", 310_000, 173_780), ("53", "Washington", 98_000, 168_900),
          ("36", "New York", 120_000, 150_020), ("17", "Illinois", 60_000, 128_000), ("13", "Georgia", 50_000, 121_300),
          ("12", "Florida", 70_000, 118_400), ("08", "Colorado", 40_000, 139_500), ("37", "North Carolina", 52_000, 127_000),
          ("25", "Massachusetts", 75_000, 152_000), ("05", "Arkansas", 6_000, 98_000), ("04", "Arizona", 30_000, 124_000)]
NATIONAL = [("151252", 1_687_890, 135_980), ("151254", 70_190, 92_650), ("113021", 600_000, 171_200),
            ("151244", 400_000, 101_000), ("151299", 300_000, 110_000)]
WAGES = """query ($type: AreaType) { officialWages(role: "backend-developer", areaType: $type, first: 100) {
  annualMedian occupation { code } area { code name } } }"""
MOVES = """query ($area: String!) { nextMoves(role: "backend-developer", area: $area, first: 8) {
  moves { slug hours employment pay { change } } } }"""
OFFER = """query ($amount: Float!, $area: String!, $adjust: Adjustment, $year: Int) { payPosition(
  role: "backend-developer", amount: $amount, currency: "USD", area: $area, adjust: $adjust, year: $year) {
  words amount { compared real { amount baseYear } } } }"""


@pytest.fixture
def fresh(settings: Settings, tmp_path: Path) -> Any:
    paths_or_skip()
    env = env_for(settings.mongodb_url, settings.redis_url, settings.mongodb_db)
    cells = [FlatCell("0000000", "N", "000000", soc, full_texts(jobs, median)) for soc, jobs, median in NATIONAL]
    cells += [FlatCell(f"{fips}00000", "S", "000000", "151252", full_texts(jobs, median))
              for fips, _, jobs, median in STATES]
    areas = [("00", "0000000", "N", "U.S.")] + [(fips, f"{fips}00000", "S", name) for fips, name, _, _ in STATES]
    oews = write_flat_files(tmp_path / "oe", cells, areas=areas)
    rates = write_ecb_csv(tmp_path / "rates.csv", {"USD": {2024: [1.08], 2025: [1.13]}, "GBP": {2025: [0.85]}})
    for args in (["seed"], ["import", "fx", str(rates)], ["import", "oews", str(oews)]):
        done = run(args, settings)
        assert done.returncode == 0, done.stdout + done.stderr
    with api_process(env, tmp_path) as base, worker_process(env, tmp_path / "worker.log"):
        eventually(lambda: queue_idle(settings), 30, "the seed's and the imports' runs")
        yield base, tmp_path


def api(base: str, query: str, variables: dict[str, Any] | None = None) -> Any:
    body = graphql(base, query, variables).json()
    assert "errors" not in body, body
    return body["data"]


def data_of(driver: Any, selector: str) -> list[dict[str, str]]:
    found: list[dict[str, str]] = driver.execute_script(
        "return [...document.querySelectorAll(arguments[0])].map(e => Object.assign({}, e.dataset))", selector)
    return found


def shot(driver: Any, selector: str, name: str) -> None:
    from selenium.webdriver.common.by import By

    element = driver.find_element(By.CSS_SELECTOR, selector)
    driver.execute_script("arguments[0].scrollIntoView()", element)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    element.screenshot(str(ARTIFACTS / name))


def test_a_fresh_install_shows_official_pay_the_state_map_moves_and_an_offer(fresh: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    base, tmp_path = fresh
    national = {w["occupation"]["code"]: w["annualMedian"] for w in api(base, WAGES, {"type": "NATIONAL"})["officialWages"]}
    states = {w["area"]["code"]: w["annualMedian"] for w in api(base, WAGES, {"type": "STATE"})["officialWages"]}
    with chromium(tmp_path / "profile") as driver:
        driver.set_window_size(1280, 1000)
        driver.get(f"{base}/dashboard?role={ROLE}")
        wait_for(driver, lambda d: d.execute_script("return document.body.dataset.role") == ROLE
                 and data_of(d, "#moves li.move"), "the role's panels")
        # the pay panels: the official wages, said to be official, never "No observations yet"
        bands = driver.find_element(By.ID, "pay-bands")
        assert bands.get_attribute("data-fallback") == "official" and "No observations yet" not in bands.text
        assert "No crowd figure is published" in bands.text and "Bureau of Labor Statistics" in bands.text
        marks = {m["key"]: float(m["median"]) for m in data_of(driver, "#pay-bands .mark")}
        assert marks == {code: median for code, median in national.items() if code in marks} and "15-1252" in marks
        places = {m["key"]: float(m["median"]) for m in data_of(driver, "#pay-places .mark")}
        assert places == {code: states[code] for code in places} and len(places) == len(STATES)
        assert driver.find_element(By.ID, "pay-places").get_attribute("data-fallback") == "official"
        shot(driver, "#pay-bands", "official-fallback-bands.png")
        # the state map: each state's median, the table beside it, the keyboard
        tiles = {t["state"]: t for t in data_of(driver, "#state-map .tile")}
        assert len(tiles) == 52
        assert {postal: float(t["median"]) for postal, t in tiles.items() if "median" in t} == {
            postal: states[f"{fips}00000"] for postal, fips in (("TX", "48"), ("CA", "06"), ("WA", "53"), ("NY", "36"),
                                                                 ("IL", "17"), ("GA", "13"), ("FL", "12"), ("CO", "08"),
                                                                 ("NC", "37"), ("MA", "25"), ("AR", "05"), ("AZ", "04"))}
        assert len(driver.find_elements(By.CSS_SELECTOR, "#state-map tbody tr")) == len(STATES)
        focusable = driver.find_elements(By.CSS_SELECTOR, '#state-map .tile[tabindex="0"]')
        assert len(focusable) == 1 and focusable[0].get_attribute("data-state") == "WA"  # the first with a figure
        focusable[0].send_keys(Keys.ARROW_DOWN)
        visited = [driver.switch_to.active_element.get_attribute("data-state")]
        for _ in range(4):  # down the west: Oregon, California, Arizona, Oklahoma, Texas
            driver.switch_to.active_element.send_keys(Keys.ARROW_DOWN)
            visited.append(driver.switch_to.active_element.get_attribute("data-state"))
        assert visited == ["OR", "CA", "AZ", "OK", "TX"]
        assert len(driver.find_elements(By.CSS_SELECTOR, '#state-map .tile[tabindex="0"]')) == 1
        driver.switch_to.active_element.send_keys(Keys.ENTER)
        wait_for(driver, lambda d: d.execute_script("return document.body.dataset.movesArea") == "4800000",
                 "next moves in Texas")
        assert Select(driver.find_element(By.ID, "place")).first_selected_option.text == "Texas"
        shot(driver, "#state-map", "state-map.png")
        # next moves: what the API answers for Texas
        served = api(base, MOVES, {"area": "TX"})["nextMoves"]["moves"]
        shown = data_of(driver, "#moves li.move")
        assert [m["slug"] for m in shown] == [m["slug"] for m in served]
        for page, move in zip(shown, served, strict=True):
            assert page["hours"] == ("" if move["hours"] is None else f"{move['hours']:g}")
            assert page["change"] == ("" if move["pay"] is None else f"{move['pay']['change']:g}")
        assert any(m["hours"] for m in shown) and any(m["change"] for m in shown)
        shot(driver, "#moves", "next-moves.png")
        # the offer check, nominal then real
        amount = driver.find_element(By.ID, "offer-amount")
        amount.send_keys("140000")
        year = driver.find_element(By.ID, "offer-year")
        year.clear()
        year.send_keys("2024")
        driver.find_element(By.CSS_SELECTOR, "#offer-form button").click()
        nominal = api(base, OFFER, {"amount": 140_000, "area": "TX", "year": 2024})["payPosition"]
        wait_for(driver, lambda d: d.find_element(By.CSS_SELECTOR, "#offer .verdict").get_attribute("data-words")
                 == nominal["words"], "the offer's position")
        assert "above the OEWS median" in nominal["words"]
        Select(driver.find_element(By.ID, "dollars")).select_by_value("REAL")
        real = api(base, OFFER, {"amount": 140_000, "area": "TX", "year": 2024, "adjust": "REAL"})["payPosition"]
        assert real["amount"]["real"]["amount"] > 140_000
        wait_for(driver, lambda d: "CPI-U" in d.find_element(By.CSS_SELECTOR, "#offer .provenance").text,
                 "the offer in real dollars")
        assert driver.find_element(By.CSS_SELECTOR, "#offer .verdict").get_attribute("data-words") == real["words"]
        assert "dollars=real" in driver.current_url and "place=TX" in driver.current_url
        shot(driver, "#offer", "offer-check.png")
        assert console_errors(driver) == []
