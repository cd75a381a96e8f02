"""The archive line: `RGASPI F. 558. Op. 11. D. 88. L. 57, 57v. Autograph.`

Fields are kept as the source writes them. Two references may be separated by `;`
(the repository carries over). An OCR'd shelfmark (`Op. P.` for `Op. 11`) stays as written
and is reported.
"""
from __future__ import annotations

import re
from typing import Callable, Optional

from ...model import ArchiveRef

# The labels, upper or lower case, each with or without its full stop (`Op 11.`, `F 558.`),
# Latin and Cyrillic alike, and with the scrape's homoglyphs (a Latin `O` in `Oп.`). Each is
# a whole word: the `F` of `GARF` is not a fond label.
_FOND = r"(?<![^\W\d_])[FfФф]"
_OPIS = r"(?<![^\W\d_])(?:[OoОо][PpпР]|[OoОо]п)"
_DELO = r"(?<![^\W\d_])[DdДд]"
_FOLIOS = r"(?<![^\W\d_])(?:Ll|ll|L|l|Лл|лл|Л|л)"
_VALUE = r"\.?\s*(?P<v>[^.,;\s]+)[.,]?\s*"
_FIELDS = [(name, re.compile(label + _VALUE)) for name, label in (("opis", _OPIS), ("delo", _DELO))]
_FOND_AT = re.compile(_FOND + _VALUE)
_FOLIOS_AT = re.compile(_FOLIOS + r"\.?\s*(?=[\dIVXlivx])")
# The folios run to the first sentence that starts with a capital (the form, `Autograph.`).
_FORM_START = re.compile(r"\.\s+(?=[A-ZА-ЯЁ])|(?<=\d)\s+(?=[A-ZА-ЯЁ][a-zа-яё])")  # `L 3 Autograph.` too
# A verso is `об.` (оборот) or `v`: its full stop is the abbreviation's, not the field's end.
_ABBREVIATED_END = re.compile(r"(?:\bоб|\bob)$")
# A shelfmark number; a letter prefix is a real one (GARF "F. R-5446"), a lone letter where
# digits belong is OCR ("Op. P." for "Op. 11").
_SHELFMARK = re.compile(r"(?:[A-ZА-ЯЁ]{1,2}-?)?\d+[a-zA-Zа-я]?")
_MAX_REFERENCE = 400  # a longer "reference" is not one; kept verbatim, never scanned twice


def _reference(piece: str) -> Optional[dict]:
    """The fields of one reference, found label by label (each a match at a known place:
    linear in the length of the piece), or None if it lacks one of them."""
    if len(piece) > _MAX_REFERENCE:
        return None
    m = _FOND_AT.search(piece)
    if not m:
        return None
    fields = {"repo": piece[: m.start()].strip(" .,"), "fond": m.group("v")}
    pos = m.end()
    for name, pattern in _FIELDS:
        m = pattern.match(piece, pos)
        if not m:
            return None
        fields[name] = m.group("v")
        pos = m.end()
    m = _FOLIOS_AT.match(piece, pos)
    if not m:
        return None
    rest = piece[m.end():]
    form_at = _FORM_START.search(rest)
    folios, form = (rest[: form_at.start()], rest[form_at.end():]) if form_at else (rest, None)
    folios = folios.strip()
    if folios.endswith("."):
        folios = folios[:-1]
    if _ABBREVIATED_END.search(folios):
        folios += "."
    if not folios:
        return None
    fields.update(folios=folios, form=form.strip() if form else None)
    return fields


def parse_archive(text: str, warn: Callable[[str, str], None]) -> list[ArchiveRef]:
    """`warn(code, message)` receives what is odd about the line."""
    refs: list[ArchiveRef] = []
    repository = None
    pieces = [p.strip() for p in text.split(";") if p.strip()]
    for piece in pieces:
        m = _reference(piece)
        if not m:
            warn("archive-unparsed", f"archive reference not understood, kept verbatim: {piece!r}")
            refs.append(ArchiveRef(text=piece))
            continue
        repository = m["repo"] or repository
        ref = ArchiveRef(text=piece, repository=repository, fond=m["fond"], opis=m["opis"],
                         delo=m["delo"], folios=m["folios"], form=m["form"])
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


# An archive reference recognised by its content, wherever it stands (before the text or
# after it, with or without a repository, in table cells ending in `|`): an optional
# repository word, then the fond label and its number.
_GLUED_FORM = re.compile(r"(?<=\d)\.(?=[A-ZА-ЯЁ][a-zа-яё])")
_STARTS_LIKE_REFERENCE = re.compile(r"^(?:[A-ZА-ЯЁ]{2,8}\.?,?\s?)?[FfФф]\.?\s?\d")


def archive_line(text: str) -> Optional[str]:
    """The reference a line holds when the whole line is one (`Ф. 558. Оп. 11. Д. 83. Л. 41.
    Подлинник. Машинопись.`, `РГАСПИ. Ф. 558. … Л. 12, 12 об. |`), else None."""
    if len(text) > _MAX_REFERENCE:
        return None
    cleaned = " ".join(cell.strip() for cell in text.split("|") if cell.strip())
    cleaned = _GLUED_FORM.sub(". ", cleaned)  # `Л. 17.Автограф.`: the space the page lost
    if not _STARTS_LIKE_REFERENCE.match(cleaned):
        return None
    first = cleaned.split(";", 1)[0]
    return cleaned if _reference(first) is not None else None
