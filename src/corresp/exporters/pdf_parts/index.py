"""The index of correspondents at the end of the book, with page numbers.

The index stands after everything it points to, so its page numbers are known when the
layout reaches it: `Deferred` makes the entries at that moment (from the pages the layout
recorded for each document heading) and hands them to the frame. Nothing is laid out twice.
"""
from __future__ import annotations

from typing import Callable

from reportlab.platypus import Flowable, Spacer

from ...correspondents import Entry
from .textblock import TextParagraph


class Deferred(Flowable):
    """Stands for flowables made only when the layout gets here."""

    def __init__(self, make: Callable[[], list]):
        super().__init__()
        self.make = make

    def wrap(self, aW, aH):
        return aW, 0xFFFFFF  # never fits: the frame asks for a split, which makes the content

    def split(self, aW, aH):
        # The frame places the first piece at once: a zero-size spacer always fits.
        return [Spacer(0, 0), *self.make()]


def page_ranges(pages: list[int]) -> str:
    """`4, 5, 6, 9` -> `4–6, 9`."""
    out, run = [], []
    for p in sorted(set(pages)):
        if run and p == run[-1] + 1:
            run.append(p)
            continue
        if run:
            out.append(str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}")
        run = [p]
    if run:
        out.append(str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}")
    return ", ".join(out)


def index_entries(entries: list[Entry], page_of: Callable[[str], int], style) -> list[TextParagraph]:
    """One paragraph per correspondent: the name, then the pages of their documents."""
    out = []
    for entry in entries:
        pages = [page_of(doc.id) for doc in entry.documents]
        out.append(TextParagraph([f"{entry.name}, {page_ranges([p for p in pages if p])}"], style))
    return out
