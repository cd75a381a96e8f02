"""The edition's source characters, as the DOCX writer embedded them.

The DOCX prints house typography; the writer embeds the edition in its source characters
(the JSON edition) in a Custom XML part whose root is in DOCX_SOURCE_NS
(exporters/docx_parts/source_part). Read back, it is the `--original` the reader restores
from (`restore`: every heading, archive line, paragraph and note the editor left unchanged,
up to typography, takes the source's characters back; an edited one keeps the editor's text).
The part is untrusted like the rest of the file: data that is not a corresp JSON edition,
or of another schema version, is ignored with a warning (`docx-source-ignored`) and the
edition is read as typeset; it never stops the read.
"""
from __future__ import annotations

from typing import Optional

import orjson

from ...errors import InputError
from ...files import limit
from ...model import Edition
from ...word_styles import DOCX_SOURCE_NS
from .package import Package, parse_part

IGNORED = "docx-source-ignored"


def embedded_source(package: Package, reporter) -> Optional[tuple[str, Edition]]:
    """(part, the edition embedded by the writer), or None (none there, or unusable: warned)."""
    from ..json_edition import edition_from_json
    for part, data in sorted(package.custom_xml.items()):
        if DOCX_SOURCE_NS.encode() not in data[:4096]:
            continue  # someone else's Custom XML (Word stores cover-page and SharePoint data so)
        if len(data) > limit("json"):  # a JSON edition's limit (corresp.files), inflated or not
            reporter.warning(IGNORED, f"{part}: the embedded source is larger than a JSON edition may be "
                             f"({limit('json') // (1 << 20)} MB); the text is read as printed, in house typography")
            return None
        try:
            root = parse_part(data, part, package.name)
        except InputError as exc:
            reporter.warning(IGNORED, f"{part}: the embedded source is unreadable ({_short(exc.message)}); "
                             "the text is read as printed, in house typography")
            return None
        if root.tag != f"{{{DOCX_SOURCE_NS}}}source":
            continue
        try:
            return part, edition_from_json(orjson.loads((root.text or "").encode("utf-8")), f"{package.name}:{part}")
        except (orjson.JSONDecodeError, InputError, RecursionError, ValueError) as exc:
            what = exc.message if isinstance(exc, InputError) else str(exc)
            reporter.warning(IGNORED, f"{part}: the embedded source is not a corresp JSON edition ({_short(what)}); "
                             "the text is read as printed, in house typography")
            return None
    return None


def _short(message: str) -> str:
    return " ".join(message.split())[:200]  # one line, whatever the data was
