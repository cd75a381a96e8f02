"""A volume that holds the same letters twice: three months given as the same file three
times, or a month scraped twice into one volume. Each letter is known by its heading and
its text; a source whose letters repeat those of an earlier source is reported once, with
how many repeat and the first of them, so the editor sees it before the book is printed.
"""
from __future__ import annotations

import hashlib
from typing import Optional, Sequence

from ...diagnostics import Diagnostic, plural
from ...model import Chapter, Document


def _fingerprint(doc: Document) -> bytes:
    # The heading and each part with its spaces made single, a NUL before each part: hashed
    # in one piece (the same digest as hashing the pieces one after another).
    pieces = [" ".join(doc.heading.split())]
    for p in doc.all_paragraphs():  # (iter_parts' order)
        pieces.append(" ".join(p.text.split()))
    return hashlib.blake2b("\x00".join(pieces).encode("utf-8", "surrogatepass"), digest_size=16).digest()


def fingerprints(chapter: Chapter) -> list[bytes]:
    """The key of each of the chapter's letters, taken where the chapter is parsed (in the
    forked worker for its share of the sources, rather than one after another at the end)."""
    return [_fingerprint(doc) for doc in chapter.documents]


def repeated_letters(chapters: Sequence[Chapter], files: Sequence[str],
                     keys: Optional[Sequence[list[bytes]]] = None) -> list[Diagnostic]:
    """A warning for each source (and each earlier source it repeats) holding letters
    already in the volume, at the line of its first repeated letter. `keys`: each
    chapter's `fingerprints`, when taken already."""
    first: dict[bytes, tuple[int, Document]] = {}
    said = []
    for k, chapter in enumerate(chapters):
        repeats: dict[int, list[tuple[Document, Document]]] = {}  # earlier chapter -> (this, that)
        for doc, key in zip(chapter.documents, keys[k] if keys is not None else fingerprints(chapter), strict=True):
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
