"""`import onet --download` and `import oews --download` against a small archive served from a
local HTTP server on loopback: fetched, verified (size, CRC, SHA-256), unpacked, imported, and the
download recorded in the release's source; refused in one line when the server cannot be reached."""

from __future__ import annotations

import functools
import hashlib
import http.server
import io
import socket
import threading
import zipfile
from collections.abc import Iterator
from contextlib import redirect_stderr
from pathlib import Path

import pytest

from service.ingest.downloads import DownloadError, download_oews, download_onet, fetch, unpack
from service.platform.config import Settings
from service.platform.resources import Resources
from service.store import database as c
from service.store import official_layout as o
from service.tools.cli import main
from tests.factories.official_files import FlatCell, full_texts, write_flat_files

ONET = {
    "Occupation Data.txt": "O*NET-SOC Code\tTitle\tDescription\n15-1252.00\tSoftware Developers\tBuild software.\n"
                           "15-1254.00\tWeb Developers\tBuild web sites.\n",
    "Alternate Titles.txt": "O*NET-SOC Code\tAlternate Title\tShort Title\tSource(s)\n"
                            "15-1254.00\tBack End Developer\tn/a\t08\n",
    "Technology Skills.txt": "O*NET-SOC Code\tExample\tCommodity Code\tCommodity Title\tHot Technology\tIn Demand\n"
                             "15-1252.00\tPython\t43232403\tDevelopment environment software\tY\tY\n",
    "Related Occupations.txt": "O*NET-SOC Code\tRelated O*NET-SOC Code\tRelatedness Tier\tIndex\n"
                               "15-1252.00\t15-1254.00\tPrimary-Short\t1\n",
    "Read Me.txt": "O*NET 29.2 Database\n",
}


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A folder served over HTTP on 127.0.0.1 (stopped after the test), and its base URL."""
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def onet_zip(path: Path) -> str:
    with zipfile.ZipFile(path, "w") as packed:
        for name, text in ONET.items():
            packed.writestr(f"db_29_2_text/{name}", text)
    return hashlib.sha256(path.read_bytes()).hexdigest()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_onet_is_fetched_verified_unpacked_and_imported(resources: Resources,
                                                             served: tuple[Path, str]) -> None:
    root, base = served
    digest = onet_zip(root / "db_29_2_text.zip")
    report = await download_onet(resources, "29.2", base, sha256=digest.upper())
    assert await resources.db[c.ROLES].count_documents({"origin": "onet"}) == 2
    developers = await resources.db[c.ROLES].find_one({"onet_codes": "15-1252.00", "origin": "onet"})
    assert developers is not None and developers["related"][0]["tier"] == "Primary-Short"
    size = (root / "db_29_2_text.zip").stat().st_size
    assert any(f"{size:,} bytes, sha256 {digest}" in line for line in report.lines())
    source = await resources.db[c.SOURCES].find_one({"download.sha256": digest})
    assert source is not None and source["download"]["bytes"] == size
    assert source["download"]["url"] == f"{base}db_29_2_text.zip"


async def test_a_checksum_that_differs_imports_nothing(resources: Resources, served: tuple[Path, str]) -> None:
    root, base = served
    onet_zip(root / "db_29_2_text.zip")
    with pytest.raises(DownloadError, match="is not the expected"):
        await download_onet(resources, "29.2", base, sha256="0" * 64)
    assert await resources.db[c.ROLES].count_documents({}) == 0


def test_a_missing_release_a_broken_zip_and_an_escaping_member_are_refused(served: tuple[Path, str],
                                                                          tmp_path: Path) -> None:
    root, base = served
    with pytest.raises(DownloadError, match="answered 404"):
        fetch(f"{base}db_99_9_text.zip", tmp_path / "x.zip")
    (root / "broken.zip").write_bytes(b"PK\x03\x04 not really")
    got = fetch(f"{base}broken.zip", tmp_path / "broken.zip")
    with pytest.raises(DownloadError, match="not a zip"):
        unpack(got.path, tmp_path / "out")
    with zipfile.ZipFile(tmp_path / "evil.zip", "w") as packed:
        packed.writestr("../outside.txt", "x")
    with pytest.raises(DownloadError, match="outside the folder"):
        unpack(tmp_path / "evil.zip", tmp_path / "out")
    assert not (tmp_path / "outside.txt").exists()
    with pytest.raises(DownloadError, match="http"):
        fetch("file:///etc/passwd", tmp_path / "passwd")


async def test_oews_flat_files_are_fetched_and_imported(resources: Resources, served: tuple[Path, str]) -> None:
    root, base = served
    write_flat_files(root, [FlatCell("0000000", "N", "000000", "151252", full_texts(1_687_890, 135_980))])
    report = await download_oews(resources, base)
    assert report.imported == 1
    stored = await resources.db[o.OFFICIAL_WAGES].find_one({"occupation": "15-1252"})
    assert stored is not None and stored["annual_median"] == 135_980
    digest = hashlib.sha256((root / "oe.data.0.Current").read_bytes()).hexdigest()
    assert any("oe.data.0.Current: " in line and digest in line for line in report.lines())
    source = await resources.db[c.SOURCES].find_one({"slug": "bls-oews-2025a01"})
    assert source is not None and f"oe.data.0.Current sha256 {digest}" in source["note"]


def test_offline_the_command_refuses_in_one_line(settings: Settings) -> None:
    err = io.StringIO()
    with redirect_stderr(err):
        code = main(["import", "onet", "--download", "29.2", "--base-url", f"http://127.0.0.1:{closed_port()}/"])
    assert code == 2
    said = err.getvalue()
    assert said.startswith("careergraph: cannot reach 127.0.0.1") and "offline?" in said
    assert "Traceback" not in said and said.count("\n") == 1
    with redirect_stderr(io.StringIO()) as wrong:
        assert main(["import", "salaries", "x.csv", "--download"]) == 2
    assert "--download is for" in wrong.getvalue()
