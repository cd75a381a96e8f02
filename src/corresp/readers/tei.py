"""The `tei` reader: the TEI P5 edition corresp writes (`-f tei`), read back by
`readers.tei_edition.edition_from_tei` (imported when a TEI file is read: lxml is not
needed to list the readers)."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Sequence

from ..diagnostics import Diagnostic
from ..model import Edition
from . import override_fields

_TEI_ROOT = re.compile(rb"<(?:\w+:)?TEI[\s>]")
_TEI_DOCTYPE = re.compile(rb"<!DOCTYPE\s+(?:\w+:)?TEI\b")
_ELEMENT = re.compile(rb"<[A-Za-z_]")  # an element's start (the prolog's are <? and <!)


class TeiReader:
    name = "tei"
    description = "TEI P5 edition written by corresp (an XML file with a TEI root)"

    def recognises(self, path: Path, head: bytes) -> bool:
        stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        if not stripped.startswith(b"<"):
            return False
        if _TEI_ROOT.search(head) or _TEI_DOCTYPE.search(head):
            return True
        # XML whose first 4 KB are all prolog (a large internal DTD subset, long comments):
        # no element has begun, so no root to see; this is the XML edition reader, which
        # reads it and says what it is, rather than the parser taking markup for letters.
        return stripped.startswith((b"<?xml", b"<!DOCTYPE", b"<!--")) and not _ELEMENT.search(head)

    def read(self, paths: Sequence[Path], **edition_fields) -> tuple[Edition, list[Diagnostic]]:
        from .tei_edition import edition_from_tei
        (path,) = paths
        edition = edition_from_tei(Path(path))
        if edition_fields:
            edition = override_fields(edition, edition_fields)
        return edition, []
