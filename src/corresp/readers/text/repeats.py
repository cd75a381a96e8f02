"""A volume that holds the same letters twice: three months given as the same file three
times, or a month scraped twice into one volume. Each letter is known by its heading and
its text; a source whose letters repeat those of an earlier source is reported once, with
how many repeat and the first of them, so the editor sees it before the book is printed.
"""
from __future__ import annotations

import hashlib
from typing import Sequence

from ...diagnostics import Diagnostic, plural
from ...model import Chapter, Document


def _fingerprint(doc: Document) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    h.update(" ".join(doc.heading.split()).encode("utf-8", "surrogatepass"))
    for _, p in doc.iter_parts():
        h.update(b"\x00")
        h.update(" ".join(p.text.split()).encode("utf-8", "surrogatepass"))
    return h.digest()


def repeated_letters(chapters: Sequence[Chapter], files: Sequence[str]) -> list[Diagnostic]:
    """A warning for each source (and each earlier source it repeats) holding letters
    already in the volume, at the line of its first repeated letter."""
    first: dict[bytes, tuple[int, Document]] = {}
    said = []
    for k, chapter in enumerate(chapters):
        repeats: dict[int, list[tuple[Document, Document]]] = {}  # earlier chapter -> (this, that)
        for doc in chapter.documents:
            key = _fingerprint(doc)
            if key in first:
                repeats.setdefault(first[key][0], []).append((doc, first[key][1]))
            else:
                first[key] = (k, doc)
        for j, pairs in repeats.items():
            doc, original = pairs[0]
            where = "earlier in the same source" if j == k else f"in {files[j]}"
            at = f"line {original.line}" if original.line else "its first letters"
            said.append(Diagnostic(
                files[k], doc.line, "warning", "repeated-letters",
                f"{plural(len(pairs), 'letter')} of {len(chapter.documents)} repeat letters {where} (the same "
                f"heading and text), the first {doc.heading!r} ({at}): the same source given twice? "
                "Each is printed again as it stands"))
    return said
