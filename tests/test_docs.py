"""The docs site builds with `mkdocs build --strict` (no broken link or anchor, no page outside the nav),
loads nothing from another host, and says what the code does where drift is checkable; the README
stays a short door whose links land on real pages and anchors."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from service.platform.environment import ENVIRONMENT_VARIABLES

ROOT = Path(__file__).resolve().parents[1]
#: Read by `careergraph bench` itself, not by the service's settings.
BENCH_ONLY = {"CAREERGRAPH_BENCH_CLIENT"}
#: The most the README may hold (12 KiB), so that it stays a door a newcomer reads in ten minutes.
README_LIMIT = 12_288


def build(site: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=240, check=False)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    done = build(out)
    assert done.returncode == 0, done.stdout + done.stderr
    return out


class Resources(HTMLParser):
    """What a page loads (scripts, stylesheets, icons, images, frames) and the ids it defines."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(found["id"] or "")
        if tag in ("script", "img", "iframe", "source", "audio", "video") and found.get("src"):
            self.loads.append(found["src"] or "")
        if tag == "link" and found.get("href") and (found.get("rel") or "") != "canonical":
            self.loads.append(found["href"] or "")


def parsed(page: Path) -> Resources:
    found = Resources()
    found.feed(page.read_text(encoding="utf-8"))
    return found


def foreign(url: str) -> bool:
    return bool(re.match(r"(?i)^(https?:)?//", url.strip()))


def test_the_site_builds_strict_with_every_page_in_the_nav(site: Path) -> None:
    pages = sorted(p.relative_to(ROOT / "docs") for p in (ROOT / "docs").rglob("*.md"))
    built = {p.relative_to(site) for p in site.rglob("index.html")}
    for page in pages:
        expected = Path("index.html") if page.name == "index.md" and page.parent == Path() else (
            page.parent / "index.html" if page.name == "index.md" else page.with_suffix("") / "index.html")
        assert expected in built, f"{page} was not built"


def test_a_broken_anchor_fails_the_build(tmp_path: Path) -> None:
    """--strict with the validation settings of mkdocs.yml: the check the suite relies on does fail."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n\n[there](other.md#nowhere)\n")
    (docs / "other.md").write_text("# Other\n\n## Somewhere\n")
    config = (ROOT / "mkdocs.yml").read_text()
    config = config.split("\nnav:")[0] + "\nnav:\n  - Home: index.md\n  - Other: other.md\n"
    config = config.replace("docs_dir: docs", f"docs_dir: {docs}").replace("watch: [CHANGELOG.md]", "")
    (tmp_path / "mkdocs.yml").write_text(config)
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(tmp_path / "mkdocs.yml"),
                           "--site-dir", str(tmp_path / "site")], cwd=ROOT, capture_output=True, text=True,
                          timeout=240, check=False, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode != 0 and "#nowhere" in done.stdout + done.stderr


def test_no_page_loads_anything_from_another_host(site: Path) -> None:
    pages = list(site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        loads = [url for url in parsed(page).loads if foreign(url)]
        assert loads == [], f"{page.relative_to(site)} loads {loads}"
    for sheet in site.rglob("*.css"):
        urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", sheet.read_text(encoding="utf-8", errors="replace"))
        assert [u for u in urls if foreign(u)] == [], f"{sheet.relative_to(site)} fetches from another host"


def test_the_settings_page_names_every_variable_the_code_reads() -> None:
    page = (ROOT / "docs" / "operations" / "settings.md").read_text()
    named = set(re.findall(r"`((?:CAREERGRAPH|MONGODB|REDIS)_[A-Z_]+)`", page))
    assert sorted(ENVIRONMENT_VARIABLES - named) == [], "variables the code reads that Settings does not list"
    assert sorted(named - ENVIRONMENT_VARIABLES - BENCH_ONLY) == [], "variables Settings lists that nothing reads"


def test_the_readme_stays_a_short_door() -> None:
    """Issue 31's limit: reference material goes to docs/, the README links to it."""
    size = len((ROOT / "README.md").read_bytes())
    assert size <= README_LIMIT, f"README.md is {size} bytes, over {README_LIMIT}: move reference material to docs/"


def test_the_readme_links_land_on_pages_and_anchors_of_the_site(site: Path) -> None:
    readme = (ROOT / "README.md").read_text()
    links = re.findall(r"\]\((docs/[^)\s]+)\)", readme)
    assert links, "the README links into docs/"
    for link in links:
        path, _, anchor = link.partition("#")
        target = ROOT / path
        assert target.is_file(), f"README links to {link}: no such file"
        if path.endswith(".md"):
            relative = target.relative_to(ROOT / "docs")
            html = site / (relative.parent if relative.name == "index.md" else relative.with_suffix("")) / "index.html"
            if anchor:
                assert anchor in parsed(html).ids, f"README links to {link}: no such anchor"
