"""The index of correspondents at the end of the book, with page numbers.

The index stands after everything it points to, so its page numbers are known when the
layout reaches it: `Deferred` makes the entries at that moment (from the pages the layout
recorded for each document heading) and hands them to the frame. Nothing is laid out twice.
"""
from __future__ import annotations

from typing import Callable

from reportlab.platypus import Flowable, Spacer

from ...correspondents import Entry, index_labels, sent_and_received
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


def index_entries(entries: list[Entry], page_of: Callable[[str], str], styles: dict, numbers: dict[str, int],
                  language: str = "en") -> list[TextParagraph]:
    """Each correspondent as a name line, then the documents they sent and those they
    received, each by its number with its own page ("sent: 1 (4), 3 (5)" / "received: 2 (5)").
    Every paragraph knows its entry (`entry`, for "(cont.)" in `columns.TwoColumns`); the name
    keeps with the line after it."""
    labels = index_labels(language)
    out = []
    for ei, entry in enumerate(entries):
        name = TextParagraph([entry.shown], styles["index-name"])  # with initials where a source gives them
        name.entry, name.keep_with_next, name.entry_index = entry.shown, True, ei
        out.append(name)
        for word, docs in zip(("sent", "received"), sent_and_received(entry)):
            if docs:
                refs = ", ".join(f"{numbers[d.id]}\u00a0({page_of(d.id)})" if page_of(d.id) else str(numbers[d.id])
                                 for d in docs)
                line = TextParagraph([f"{labels[word]}: {refs}"], styles["index-refs"])
                line.entry, line.entry_index = entry.name, ei
                out.append(line)
    return out
