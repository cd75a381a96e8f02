"""The book's own build loop (`footnotes.FootnotesDocMixin.build`, with
`FootnoteFrame.add_plain`) against reportlab's `BaseDocTemplate.build`, which it replaces:
the same flowables placed in the same frames make the same PDF, byte for byte, and the
layout records the same pages for every landmark, part and note.

Each book is laid out twice in one process: once as the exporter does, once with the
mixin's build swapped for reportlab's generic loop (fed the same reversed `Story`).
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import PageTemplate
from reportlab.platypus.doctemplate import BaseDocTemplate

from corresp.exporters import ExportOptions
from corresp.exporters.pdf import build_pdf
from corresp.exporters.pdf_parts.fonts import register_fonts
from corresp.exporters.pdf_parts.footnotes import (
    FootnoteArea, FootnoteFrame, FootnotesDocMixin, NoteLook, RecordingCanvas, Story, TextParagraph, marker)
from corresp.exporters.pdf_parts.style import load_style
from corresp.model import Chapter, Document, Edition, Footnote
from sample_edition import p, sample_edition

STYLES = Path(__file__).resolve().parents[1] / "src" / "corresp" / "styles"
LOREM = ("The commission examined the question of the harvest in the southern regions and "
         "reported that the plan could be fulfilled only with the help of additional transport. ")


def reportlab_build(self, flowables, filename=None, canvasmaker=RecordingCanvas):
    """What the mixin's build was before it had a loop of its own."""
    story = Story(flowables)
    if self.look_ahead:
        self.remaining = story
    BaseDocTemplate.build(self, story, filename, canvasmaker)


def count_plain(monkeypatch) -> list[int]:
    """Counts the flowables the fast path places (so a test knows it compared something)."""
    calls = [0]
    original = FootnoteFrame.add_plain

    def counted(self, *args, **kw):
        calls[0] += 1
        return original(self, *args, **kw)
    monkeypatch.setattr(FootnoteFrame, "add_plain", counted)
    return calls


def record(doc, path: Path) -> dict:
    return {"sha": hashlib.sha256(path.read_bytes()).hexdigest(), "pages": doc.page,
            "destinations": dict(doc.destination_pages), "overlaps": list(doc.overlaps),
            "landmarks": dict(getattr(doc, "pages_of", {})), "parts": dict(getattr(doc, "pages_of_parts", {})),
            "starts": dict(getattr(doc, "text_starts", {}))}


def both_ways(edition: Edition, tmp_path: Path, monkeypatch) -> tuple[dict, dict, int]:
    with monkeypatch.context() as m:
        plain = count_plain(m)
        doc = build_pdf(edition, tmp_path / "ours.pdf", ExportOptions(style_dir=STYLES))
        ours = record(doc, tmp_path / "ours.pdf")
    with monkeypatch.context() as m:
        m.setattr(FootnotesDocMixin, "build", reportlab_build)
        doc = build_pdf(edition, tmp_path / "reportlab.pdf", ExportOptions(style_dir=STYLES))
        theirs = record(doc, tmp_path / "reportlab.pdf")
    return ours, theirs, plain[0]


def test_the_seed_volume_is_laid_out_as_reportlabs_loop_lays_it_out(seed_edition, tmp_path, monkeypatch):
    ours, theirs, plain = both_ways(seed_edition, tmp_path, monkeypatch)
    assert plain > 100 and ours["pages"] > 10
    assert ours == theirs


def test_the_sample_edition_with_its_hard_cases_is_the_same(tmp_path, monkeypatch):
    ours, theirs, plain = both_ways(sample_edition(), tmp_path, monkeypatch)
    assert plain > 10
    assert ours == theirs


def test_long_notes_and_pages_of_continued_notes_are_the_same(tmp_path, monkeypatch):
    # A note longer than a page (queued, drained, flushed after the story) and paragraphs
    # with markers split at page ends: the paths a plain paragraph leaves for the generic one.
    long_note = "The beginning of a long note. " + "It goes on and on about the archive. " * 160
    body = [p(LOREM * 3), p(LOREM * 2 + "Here is the marker", 1, "."), p(LOREM * 6 + "Another", 2, "."),
            p(LOREM * 4), p(LOREM + "Last", 3, "."), p(LOREM * 2)]
    notes = [long_note, "A short note. " * 3, long_note.replace("beginning", "start")]
    doc = Document(id="d1", heading="A letter with long notes", body=body,
                   footnotes=[Footnote(number=i + 1, text=t) for i, t in enumerate(notes)])
    edition = Edition(title="Flow test", chapters=[Chapter(title="One chapter", documents=[doc])])
    ours, theirs, plain = both_ways(edition, tmp_path, monkeypatch)
    assert plain > 3 and ours["pages"] >= 5
    assert ours == theirs


class BareDoc(FootnotesDocMixin, BaseDocTemplate):
    """The footnote machinery on a bare template: no grid, no look-ahead."""

    def __init__(self, path, footnotes):
        super().__init__(str(path), pagesize=(300, 400), invariant=1)
        frame = FootnoteFrame(footnotes, 30, 30, 240, 340, leftPadding=0, rightPadding=0,
                              topPadding=0, bottomPadding=0, id="text")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        self._init_footnotes(footnotes)


@pytest.mark.parametrize("keep", [False, True])
def test_a_bare_template_with_notes_and_keeps_is_the_same(tmp_path, monkeypatch, keep):
    serif = register_fonts(load_style(STYLES)).regular
    body = ParagraphStyle("b", fontName=serif, fontSize=10, leading=12, allowWidows=0, allowOrphans=0)
    head = ParagraphStyle("h", parent=body, fontSize=12, leading=15, spaceBefore=9, spaceAfter=4, keepWithNext=keep)
    note = ParagraphStyle("n", fontName=serif, fontSize=8, leading=9.5)

    def lay_out(name: str) -> dict:
        area = FootnoteArea(NoteLook(note, 60, 0.4, 6, 3, 1.5, 0.6))
        story = []
        for j in range(12):
            area.add(f"k{j}", str(j + 1), f"Note {j}: " + "what the editors found. " * (2 + 9 * (j % 3)))
            story.append(TextParagraph([f"Heading {j}"], head))
            story.append(TextParagraph([LOREM * (1 + j % 4), marker(f"k{j}", str(j + 1)), " " + LOREM], body))
        doc = BareDoc(tmp_path / name, area)
        doc.build(story)
        return record(doc, tmp_path / name)

    with monkeypatch.context() as m:
        plain = count_plain(m)
        ours = lay_out("ours.pdf")
    with monkeypatch.context() as m:
        m.setattr(FootnotesDocMixin, "build", reportlab_build)
        theirs = lay_out("reportlab.pdf")
    assert plain[0] > 12 and ours["pages"] >= 4
    assert ours == theirs
