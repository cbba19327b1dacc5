"""`careergraph import onet --download [VERSION]` and `import oews --download`: the publisher's files,
fetched, verified, unpacked and imported.

- O*NET: the text-format database, `<base>db_<version>_text.zip` (version 29.2 is
  `db_29_2_text.zip`; base https://www.onetcenter.org/dl_files/database/). It is unpacked (members
  that would leave the folder are refused) and imported as `import onet DIR` does.
- OEWS: BLS's flat files of the current release (`oe.data.0.Current`, `oe.area`, ...; base
  https://download.bls.gov/pub/time.series/oe/), imported as `import oews DIR` does. (BLS's
  `oesm<yy>*.zip` archives hold Excel workbooks, which careergraph does not read.)

Verification: a file is complete when it has the size the server announced (Content-Length), a
zip when every member's CRC checks, and when the operator gives `--sha256` it must match. The
size and SHA-256 of what was fetched are recorded in the release's source. Progress is shown on a
terminal. Offline, or when the server refuses, the command says so in one line (`DownloadError`,
an OSError) and imports nothing.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import tempfile
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from service.ingest.oews import import_oews
from service.ingest.oews_sources import FLAT_FILES
from service.ingest.onet import import_onet
from service.ingest.onet_files import find_files
from service.ingest.report import ImportReport
from service.platform import terminal
from service.platform.resources import Resources
from service.store import database as c

ONET_BASE_URL = "https://www.onetcenter.org/dl_files/database/"
OEWS_BASE_URL = "https://download.bls.gov/pub/time.series/oe/"
ONET_VERSION = "29.2"  # the release careergraph is tested with (`../shared/data/onet`)
TIMEOUT_S = 30
CHUNK = 1 << 20
USER_AGENT = "careergraph data import"


class DownloadError(OSError):
    """A download that cannot be done or verified; the message says why, in one line."""


@dataclass(frozen=True)
class Fetched:
    path: Path
    url: str
    size: int
    sha256: str

    def note(self) -> str:
        return f"downloaded {self.url}: {self.size:,} bytes, sha256 {self.sha256}"


def fetch(url: str, target: Path, sha256: str | None = None) -> Fetched:
    """`url` into `target`, with progress; DownloadError when unreachable, refused, incomplete or
    not the expected SHA-256."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise DownloadError(f"careergraph downloads over http:// or https:// only, not {url[:60]!r}")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    host = urlsplit(url).netloc or url
    try:
        response = urllib.request.urlopen(request, timeout=TIMEOUT_S)
    except urllib.error.HTTPError as exc:
        raise DownloadError(f"{url}: the server answered {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DownloadError(f"cannot reach {host} ({reason}): offline? Download {url} yourself and import "
                            "the unpacked files by path") from None
    digest, written = hashlib.sha256(), 0
    announced = response.headers.get("Content-Length")
    total = int(announced) if announced and announced.isdigit() else None
    try:
        with response, open(target, "wb") as out, terminal.progress(f"downloading {target.name}", total) as bar:
            while chunk := response.read(CHUNK):
                out.write(chunk)
                digest.update(chunk)
                written += len(chunk)
                bar.update(written, note=f"{written / 1e6:,.1f} MB")
    except OSError as exc:
        raise DownloadError(f"{url}: the download broke off after {written:,} bytes ({exc})") from None
    if total is not None and written != total:
        raise DownloadError(f"{url}: {written:,} bytes arrived of the {total:,} announced")
    found = digest.hexdigest()
    if sha256 is not None and found != sha256.strip().lower():
        raise DownloadError(f"{url}: SHA-256 {found} is not the expected {sha256.strip().lower()}")
    return Fetched(target, url, written, found)


def unpack(archive: Path, into: Path) -> Path:
    """The zip's members under `into`, after checking every CRC; DownloadError for a broken zip
    or a member that would land outside `into`."""
    try:
        with zipfile.ZipFile(archive) as packed:
            bad = packed.testzip()
            if bad is not None:
                raise DownloadError(f"{archive.name}: member {bad} is corrupt (CRC)")
            root = into.resolve()
            for member in packed.infolist():
                if not (root / member.filename).resolve().is_relative_to(root):
                    raise DownloadError(f"{archive.name}: member {member.filename!r} would land outside the folder")
            packed.extractall(root)
    except zipfile.BadZipFile as exc:
        raise DownloadError(f"{archive.name} is not a zip archive ({exc})") from None
    return into


def _folder_with(root: Path, name: str) -> Path:
    for found in sorted(root.rglob(name)):
        return found.parent
    raise DownloadError(f"the archive holds no {name}")


def _checked_url(base_url: str) -> str:
    if urlsplit(base_url).scheme not in ("http", "https"):
        raise DownloadError(f"a base URL is http:// or https://, not {base_url[:60]!r}")
    return base_url if base_url.endswith("/") else base_url + "/"


async def download_onet(resources: Resources, version: str | None = None, base_url: str = ONET_BASE_URL,
                        sha256: str | None = None) -> ImportReport:
    """Fetch, verify, unpack and import O*NET `version` (default `ONET_VERSION`)."""
    version = version or ONET_VERSION
    if not re.fullmatch(r"\d{2}\.\d", version):
        raise DownloadError(f"an O*NET version is like 29.2, not {version[:20]!r}")
    url = f"{_checked_url(base_url)}db_{version.replace('.', '_')}_text.zip"
    with tempfile.TemporaryDirectory(prefix="careergraph-onet-") as scratch:
        fetched = await asyncio.to_thread(fetch, url, Path(scratch) / Path(urlsplit(url).path).name, sha256)
        folder = _folder_with(await asyncio.to_thread(unpack, fetched.path, Path(scratch) / "unpacked"),
                              "Occupation Data.txt")
        report = await import_onet(resources, folder)
        await _record(resources, find_files(folder).source().slug, fetched)
    report.notes.append(f"  {fetched.note()}")
    return report


async def download_oews(resources: Resources, base_url: str = OEWS_BASE_URL) -> ImportReport:
    """Fetch BLS's flat files of the current OEWS release and import them (their SHA-256 are
    recorded in the release's source, as for any directory of them)."""
    base = _checked_url(base_url)
    with tempfile.TemporaryDirectory(prefix="careergraph-oews-") as scratch:
        fetched = [await asyncio.to_thread(fetch, base + name, Path(scratch) / name) for name in FLAT_FILES]
        report = await import_oews(resources, Path(scratch))
    report.notes.extend(f"  {f.note()}" for f in fetched)
    return report


async def _record(resources: Resources, slug: str, fetched: Fetched) -> None:
    await resources.db[c.SOURCES].update_one({"slug": slug}, {"$set": {
        "url": fetched.url, "download": {"url": fetched.url, "bytes": fetched.size, "sha256": fetched.sha256,
                                         "retrieved": date.today().isoformat()}}})
