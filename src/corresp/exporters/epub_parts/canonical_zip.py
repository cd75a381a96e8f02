"""Zip an EPUB so identical input gives identical bytes.

ebooklib stamps each entry with the current time, so it does not write the zip: it hands its
entries to `EntryCollector`, and they are zipped here with `mimetype`
first and stored (the OCF rule that lets readers sniff the type), the other entries sorted by
name, deflated at a fixed level, with one fixed timestamp and fixed attributes.
"""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Callable, Optional

Rewrite = Callable[[str, bytes], bytes]  # (entry name, content) -> new content

ZIP_EPOCH = 315532800  # 1980-01-01T00:00:00Z, the earliest time a zip entry can carry


def zip_time(source_date_epoch: int) -> tuple[int, int, int, int, int, int]:
    moment = dt.datetime.fromtimestamp(max(source_date_epoch, ZIP_EPOCH), dt.timezone.utc)
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def canonical_epub(entries: dict[str, bytes], path: Path, source_date_epoch: int,
                   rewrite: Optional[Rewrite] = None) -> None:
    """Write the entries (name -> content) to `path` canonically; `rewrite` may change
    entries on the way."""
    stamp = zip_time(source_date_epoch)
    if rewrite is not None:
        entries = {name: rewrite(name, data) for name, data in entries.items()}
    if "mimetype" not in entries:
        raise ValueError("the EPUB written by ebooklib has no mimetype entry")
    names = ["mimetype"] + sorted(n for n in entries if n != "mimetype")
    with zipfile.ZipFile(path, "w") as out:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 3  # unix, whatever the build machine
            info.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
            if name == "mimetype":
                info.compress_type = zipfile.ZIP_STORED
                out.writestr(info, entries[name])
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
                out.writestr(info, entries[name], compresslevel=9)


class EntryCollector:
    """Stands in for the `zipfile.ZipFile` ebooklib writes to: keeps each entry's bytes, so
    the package is deflated once (by `canonical_epub`), not deflated, read back and
    deflated again."""

    def __init__(self) -> None:
        self.entries: dict[str, bytes] = {}

    def writestr(self, name: str, data, compress_type=None) -> None:
        # As ZipFile.writestr: text is stored as UTF-8; a name written twice keeps the last.
        self.entries[name] = data.encode("utf-8") if isinstance(data, str) else data

    def close(self) -> None:
        pass
