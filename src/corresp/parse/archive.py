"""The archive line: `RGASPI F. 558. Op. 11. D. 88. L. 57, 57v. Autograph.`

Fields are kept as the source writes them. Two references may be separated by `;`
(the repository carries over). An OCR'd shelfmark (`Op. P.` for `Op. 11`) stays as written
and is reported.
"""
from __future__ import annotations

import re
from typing import Callable

from ..model import ArchiveRef

# Labels upper or lower case ("F. 558" or "f. 558"), fields ended by "." or ",", folios as
# "L." or "Ll." (several leaves).
_REF = re.compile(
    r"^(?P<repo>.*?)[\s,]*[FfФф]\.?\s*(?P<fond>[^.,;\s]+)[.,]?\s*(?:Op|op|Оп|оп)\.\s*(?P<opis>[^.,;\s]+)[.,]?\s*"
    r"[DdДд]\.\s*(?P<delo>[^.,;\s]+)[.,]?\s*(?:Ll|ll|L|l|Лл|лл|Л|л)\.\s*(?P<folios>.+?)"
    r"(?:\.\s+(?P<form>[A-ZА-ЯЁ].*)|\.?)$")
# A shelfmark number; a letter prefix is a real one (GARF "F. R-5446"), a lone letter where
# digits belong is OCR ("Op. P." for "Op. 11").
_SHELFMARK = re.compile(r"(?:[A-ZА-ЯЁ]{1,2}-?)?\d+[a-zA-Zа-я]?")


def parse_archive(text: str, warn: Callable[[str, str], None]) -> list[ArchiveRef]:
    """`warn(code, message)` receives what is odd about the line."""
    refs: list[ArchiveRef] = []
    repository = None
    pieces = [p.strip() for p in text.split(";") if p.strip()]
    for piece in pieces:
        m = _REF.match(piece)
        if not m:
            warn("archive-unparsed", f"archive reference not understood, kept verbatim: {piece!r}")
            refs.append(ArchiveRef(text=piece))
            continue
        repository = m.group("repo").strip(" .,") or repository
        ref = ArchiveRef(text=piece, repository=repository, fond=m.group("fond"), opis=m.group("opis"),
                         delo=m.group("delo"), folios=m.group("folios").strip(), form=m.group("form"))
        for field in ("fond", "opis", "delo"):
            value = getattr(ref, field)
            if not _SHELFMARK.fullmatch(value):
                warn("archive-ocr", f"{field} {value!r} in {piece!r} is not a number "
                     f"(OCR error?); kept as written")
        refs.append(ref)
    # The form ("Autograph.") is written once, after the last reference, and applies to all.
    last_form = refs[-1].form if refs else None
    if last_form:
        refs = [r if r.form or r.fond is None else r.model_copy(update={"form": last_form}) for r in refs]
    return refs
