"""Headless Chromium from Debian's packages, driven by Selenium with the system's chromedriver.
Nothing is downloaded: the driver and the browser are given by path and Selenium Manager is told to
stay offline. Without the packages, the tests that need a browser skip and say why."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1280,1000")


def paths_or_skip() -> tuple[str, str]:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not browser or not driver:
        pytest.skip("Debian's chromium and chromium-driver are not installed: `make test` installs them with "
                    "apt-get when it runs as root (apt-get install chromium chromium-driver)")
    return browser, driver


# Every request to a host other than loopback goes to a proxy that is not there (Chromium never sends
# loopback through a proxy), and no name resolves: a page can reach its own origin and nothing else.
ORIGIN_ONLY = ("--proxy-server=http://127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1")


@contextlib.contextmanager
def chromium(profile: Path, origin_only: bool = False) -> Iterator[Any]:
    """The browser; with `origin_only`, every request beyond loopback fails, and the requests the
    browser made can be read with `requested_urls`."""
    browser, driver_path = paths_or_skip()
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must never fetch a driver or a browser
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in (*FLAGS, f"--user-data-dir={profile}", *(ORIGIN_ONLY if origin_only else ())):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def console_errors(driver: Any) -> list[str]:
    """The console's errors since the last call (the log is drained by reading it)."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def requested_urls(driver: Any) -> list[str]:
    """Every URL the browser asked for since the last call (from its network log, drained by reading)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def wait_for(driver: Any, check: Callable[[Any], Any], what: str, timeout: float = 20) -> Any:
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.1).until(check)
    except TimeoutException:
        alert = driver.execute_script("return [...document.querySelectorAll('[role=alert]')].map(e => e.textContent)")
        raise AssertionError(f"the page never showed {what}; console: {console_errors(driver)}; alerts: {alert}") from None


def screenshot(driver: Any, path: Path, width: int = 1280, height: int | None = None) -> Path:
    """The page at `width` pixels (its whole height unless `height` is given), as a PNG at `path`."""
    height = height or int(driver.execute_script("return document.documentElement.scrollHeight")) + 120
    driver.set_window_size(width, min(height, 6000))
    driver.execute_script("window.scrollTo(0, 0)")
    path.parent.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(path))
    return path
