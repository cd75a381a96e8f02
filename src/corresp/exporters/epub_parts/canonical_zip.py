"""Re-zip an EPUB so identical input gives identical bytes.

ebooklib stamps each entry with the current time. The container is rewritten with `mimetype`
first and stored (the OCF rule that lets readers sniff the type), the other entries sorted by
name, deflated at a fixed level, with one fixed timestamp and fixed attributes.
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Callable, Optional

Rewrite = Callable[[str, bytes], bytes]  # (entry name, content) -> new content

ZIP_EPOCH = 315532800  # 1980-01-01T00:00:00Z, the earliest time a zip entry can carry


def zip_time(source_date_epoch: int) -> tuple[int, int, int, int, int, int]:
    moment = dt.datetime.fromtimestamp(max(source_date_epoch, ZIP_EPOCH), dt.timezone.utc)
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def canonical_epub(raw: bytes, path: Path, source_date_epoch: int, rewrite: Optional[Rewrite] = None) -> None:
    """Write `raw` (a zip) to `path` canonically; `rewrite` may change entries on the way."""
    stamp = zip_time(source_date_epoch)
    with zipfile.ZipFile(io.BytesIO(raw)) as src:
        entries = {info.filename: src.read(info) for info in src.infolist()}
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
