"""The PDF exporter: page-bottom footnotes that start beside their markers, split notes,
the book's parts (title, contents with page numbers, outline, running heads), embedded
fonts with Cyrillic, reproducible bytes.

The PDF is read back with pypdf (page text, outline, fonts, link annotations) and rendered
with pdftoppm; where a check needs to know which note landed where, it uses the named
destinations the exporter records while drawing (`mk-KEY` at a marker, `fn-KEY` at the
start of a note) and then confirms them against the page text.
"""
from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import PageTemplate
from reportlab.platypus.doctemplate import BaseDocTemplate

from corresp.errors import ConfigError
from corresp.exporters import ExportOptions, registry
from corresp.exporters.pdf import PdfExporter, build_pdf
from corresp.exporters.pdf_parts.footnotes import (
    FootnoteArea, FootnoteFrame, FootnotesDocMixin, NoteLook, TextParagraph, marker, note_key)
from corresp.exporters.pdf_parts.fonts import register_fonts
from corresp.exporters.pdf_parts.hyphenate import hyphenator_for
from corresp.exporters.pdf_parts.style import load_style
from corresp.exporters.pdf_parts.story import make_styles
from corresp.model import Chapter, Document, Edition, Footnote, NoteRef, Text
from corresp.numbering import NoteNumbers, intro_key
from sample_edition import NASTY, p, sample_edition

ROOT = Path(__file__).resolve().parents[1]
STYLES = ROOT / "src" / "corresp" / "styles"  # the default style, shipped in the package
FIXTURES = Path(__file__).resolve().parent / "fixtures"


# --- helpers ------------------------------------------------------------------------------

def norm(text: str) -> str:
    """Text as compared: hyphens added by hyphenation (U+2010 at a line end) taken out,
    whitespace squeezed."""
    text = re.sub(r"\u2010\s+", "", text)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


class Built:
    """A built PDF: the layout's record of destinations, and the file as pypdf reads it."""

    def __init__(self, edition: Edition, path: Path, **options):
        options.setdefault("style_dir", STYLES)
        self.options = ExportOptions(**options)
        self.doc = build_pdf(edition, path, self.options)
        self.path = path
        self.reader = PdfReader(str(path))
        self.texts = [norm(pg.extract_text()) for pg in self.reader.pages]
        self.dest = self.doc.destination_pages  # name -> page (1-based)

    def page_of_text(self, snippet: str) -> list[int]:
        s = norm(snippet)
        return [i + 1 for i, t in enumerate(self.texts) if s in t]


def build(edition: Edition, tmp_path: Path, name: str = "book.pdf", **options) -> Built:
    return Built(edition, tmp_path / name, **options)


def one_doc_edition(body_paragraphs, notes, heading="A test letter", doc_id="test-doc") -> Edition:
    doc = Document(id=doc_id, heading=heading, body=body_paragraphs,
                   footnotes=[Footnote(number=i + 1, text=t) for i, t in enumerate(notes)])
    return Edition(title="Test edition", chapters=[Chapter(title="Test chapter", documents=[doc])])


LOREM = ("The commission examined the question of the harvest in the southern regions and "
         "reported that the plan could be fulfilled only with the help of additional transport. ")


@pytest.fixture(scope="module")
def seed_pdf(seed_edition, tmp_path_factory) -> Built:
    return build(seed_edition, tmp_path_factory.mktemp("seed"), "seed.pdf")


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory) -> Built:
    return build(sample_edition(), tmp_path_factory.mktemp("sample"), "sample.pdf")


# --- the footnote layout on its own -------------------------------------------------------

class NotesOnlyDoc(FootnotesDocMixin, BaseDocTemplate):
    """A bare document template with the footnote machinery and a small page."""

    def __init__(self, path, footnotes, size=(300, 400)):
        super().__init__(str(path), pagesize=size, invariant=1)
        frame = FootnoteFrame(footnotes, 30, 30, size[0] - 60, size[1] - 60, leftPadding=0,
                              rightPadding=0, topPadding=0, bottomPadding=0, id="text")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        self._init_footnotes(footnotes)


SERIF = register_fonts(load_style(STYLES)).regular
BODY = ParagraphStyle("b", fontName=SERIF, fontSize=10, leading=12, allowWidows=0, allowOrphans=0)
NOTE = ParagraphStyle("n", fontName=SERIF, fontSize=8, leading=9.5)


def marked(text: str, labels: dict[str, str]) -> TextParagraph:
    """A body paragraph of `text`, with a marker for each {key}."""
    items = [marker(part, labels[part]) if i % 2 else part for i, part in enumerate(re.split(r"\{([^}]+)\}", text))]
    return TextParagraph(items, BODY)


def notes_only(tmp_path, paragraphs, notes):
    """Lay out `paragraphs` (markup; markers as {key}) with `notes` {key: text}."""
    area = FootnoteArea(NoteLook(NOTE, 60, 0.4, 6, 3, 1.5, 0.6))
    for i, (key, text) in enumerate(notes.items()):
        area.add(key, str(i + 1), text)
    labels = {key: str(i + 1) for i, key in enumerate(notes)}
    story = [marked(t, labels) for t in paragraphs]
    doc = NotesOnlyDoc(tmp_path / "notes.pdf", area)
    doc.build(story)
    texts = [norm(pg.extract_text()) for pg in PdfReader(str(tmp_path / "notes.pdf")).pages]
    return doc, texts


def test_paragraph_pieces_know_their_markers():
    text = " ".join(f"word{i}" + ("{k%d}" % i if i % 9 == 0 else "") for i in range(120))
    para = marked(text, {f"k{i}": str(i) for i in range(120)})
    assert para.note_keys() == [f"k{i}" for i in range(0, 120, 9)]
    para.wrap(200, 1000)
    first, rest = para.split(200, 60)  # five lines stay, the rest moves on
    assert first.note_keys() + rest.note_keys() == para.note_keys()
    assert first.note_keys() and rest.note_keys()
    assert note_key("1935-08-14 a/b", 3) == "1935-08-14_0020a_002fb.3"
    assert note_key("a_b", 1) != note_key("a b", 1)


def test_notes_follow_their_markers_when_paragraphs_split(tmp_path):
    notes = {f"n{i}": f"Note {i}: " + "an explanation of the circumstances. " * (1 + i % 4) for i in range(24)}
    paras = []
    for j in range(8):  # long paragraphs with three markers each, spread over several pages
        keys = [f"n{3 * j + k}" for k in range(3)]
        paras.append(LOREM * 2 + "{%s} " % keys[0] + LOREM * 3 + "{%s} " % keys[1] + LOREM + "{%s}." % keys[2])
    doc, texts = notes_only(tmp_path, paras, notes)
    assert doc.overlaps == []
    assert doc.misplaced_notes() == []
    split_paragraph_pages = set()
    for key, note in notes.items():
        page = doc.destination_pages["fn-" + key]
        assert doc.destination_pages["mk-" + key] == page
        assert norm(note)[:30] in texts[page - 1], f"{key} is not on page {page}"
        split_paragraph_pages.add(page)
    assert len(texts) >= 4 and len(split_paragraph_pages) >= 3


def test_a_note_longer_than_the_page_continues_on_the_next(tmp_path):
    long_note = "The beginning of a long note. " + "It goes on and on about the archive. " * 120 + "THE END OF THE NOTE."
    paras = [LOREM * 3, LOREM + "Marker here{long}.", LOREM * 6 + "Second marker{short}.", LOREM * 4]
    doc, texts = notes_only(tmp_path, paras, {"long": long_note, "short": "A short note."})
    assert doc.overlaps == [] and doc.misplaced_notes() == []
    start = doc.destination_pages["fn-long"]
    assert doc.destination_pages["mk-long"] == start
    assert "The beginning of a long note." in texts[start - 1]
    end_page = next(i + 1 for i, t in enumerate(texts) if "THE END OF THE NOTE." in t)
    assert end_page > start  # split, and continued on later pages only
    for page in range(start, end_page + 1):
        assert "It goes on and on about the archive." in texts[page - 1]
    # The short note's marker comes after the long note: it still starts beside its marker.
    assert doc.destination_pages["fn-short"] == doc.destination_pages["mk-short"]


def test_a_paragraph_dense_with_markers_keeps_every_note_beside_its_marker(tmp_path):
    # One paragraph over many pages, 120 markers, notes of 1 to 40 lines: each page must
    # take only as many lines as fit together with the notes they carry.
    parts = []
    for i in range(120):
        parts += ["word " * (1 + i % 7 * 5), i + 1]
    notes = ["note text " * (1 + i % 40) for i in range(120)]
    built = build(one_doc_edition([p(*parts)], notes), tmp_path)
    assert built.options.warnings == [] and built.doc.overlaps == []
    assert built.doc.misplaced_notes() == []
    assert len(built.texts) >= 8


def test_a_very_long_paragraph_is_laid_out_in_linear_time(tmp_path):
    # reportlab re-breaks the rest of a split paragraph on every page; the layout hands the
    # lines over instead (and keeps them across failed trial splits).
    sentence = "The Central Committee instructed the commission to finalize the resolution. "
    body = [p(sentence * 2600, "and a marker at the very end", 1, ".")]
    started = time.monotonic()
    built = build(one_doc_edition(body, ["The only note."]), tmp_path)
    assert time.monotonic() - started < 10
    # Each page's running head (and folio) taken off, so a sentence runs on over the page break.
    bodies = [re.sub(r"\s*(\d+\s+)?((Test chapter|(1\. )?A test letter)(\s+\d+)?|\d+)\s*$", "", t) for t in built.texts]
    text = norm(re.sub("\u2010 ", "\u2010\n", " ".join(bodies)))
    assert text.count("The Central Committee instructed the commission to finalize the resolution.") == 2600
    assert built.doc.misplaced_notes() == [] and built.doc.overlaps == []


def test_huge_notes_and_words_cannot_stall_the_layout(tmp_path):
    word = "x" * 5000
    notes = {"a": "Three pages. " + "A very long note indeed. " * 400, "b": word, "c": "Two notes in one line."}
    paras = [f"{word} with a marker{{a}} and another{{b}}{{c}} in one line.", LOREM * 2]
    started = time.monotonic()
    doc, texts = notes_only(tmp_path, paras, notes)
    assert time.monotonic() - started < 20
    assert doc.overlaps == []
    assert doc.destination_pages["fn-a"] == doc.destination_pages["mk-a"]
    # Every sentence of the three-page note is printed ("indeed." is never split; the
    # sentences themselves may break across pages, with body text in between).
    assert " ".join(texts).count("indeed.") == 400
    # Notes b and c cannot begin on their marker's page (a full page of note a is ahead
    # of them there): they start right after it, and the layout says so.
    assert [w.split(" (")[0] for w in doc.footnotes.warnings] == ["note 2", "note 3"]


# --- the seed ---------------------------------------------------------------------------

def test_every_seed_note_starts_on_its_markers_page(seed_edition, seed_pdf):
    numbers = NoteNumbers(seed_edition)
    notes = [(doc.id, n) for doc in seed_edition.documents for n in doc.footnotes]
    notes += [(intro_key(ci), n) for ci, ch in enumerate(seed_edition.chapters) for n in ch.notes]
    assert len(notes) == 50  # the count; the rest of the test takes the model's word
    assert seed_pdf.doc.overlaps == [] and seed_pdf.options.warnings == []
    for container, note in notes:
        key = note_key(container, note.number)
        marker_page, note_page = seed_pdf.dest["mk-" + key], seed_pdf.dest["fn-" + key]
        assert marker_page == note_page, key
        label = numbers.label(container, note.number)
        assert norm(f"{label} {note.text}")[:50] in seed_pdf.texts[note_page - 1], key


def test_every_note_link_stays_on_its_page(seed_edition, seed_pdf):
    # Each note makes two links (marker -> note, note label -> marker); both ends on one page.
    links = 0
    for index, page in enumerate(seed_pdf.reader.pages):
        for annot in page.get("/Annots", []) or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            links += 1
            target = seed_pdf.reader.get_page_number(annot["/Dest"][0].get_object())
            assert target == index, f"link on page {index + 1} points to page {target + 1}"
    assert links == 2 * sum(len(d.footnotes) for d in seed_edition.documents)


def test_outline_lists_chapters_then_documents(seed_edition, seed_pdf):
    outline = seed_pdf.reader.outline
    chapters = [o for o in outline if not isinstance(o, list)]
    documents = [o for o in outline if isinstance(o, list) for o in o]
    assert [c["/Title"] for c in chapters] == [c.title for c in seed_edition.chapters] + ["Calendar of documents",
                                                 "Index of correspondents"]
    # Each document's entry starts with its number, as its heading in the body does.
    assert [d["/Title"] for d in documents] == [f"{i}. {d.heading}" for i, d in enumerate(seed_edition.documents, 1)]
    assert len(documents) == len(seed_edition.documents) == 38
    for doc, entry in zip(seed_edition.documents, documents):
        page = seed_pdf.reader.get_destination_page_number(entry) + 1
        assert norm(doc.heading) in seed_pdf.texts[page - 1]


def test_contents_gives_the_page_of_every_heading(seed_edition, seed_pdf):
    contents = " ".join(seed_pdf.texts[4:seed_pdf.dest["ch-1"] - 1])  # after half-title, title, copyright
    contents = re.sub(r" \.{2,} ", " ", contents)  # leader dots
    assert contents.startswith("Contents 1935 August")
    for ci, chapter in enumerate(seed_edition.chapters):
        for di, doc in enumerate(chapter.documents):
            page = seed_pdf.dest[f"doc-{ci + 1}-{di + 1}"]
            assert norm(doc.heading) in seed_pdf.texts[page - 1]
            number = seed_edition.documents.index(doc) + 1
            assert f"{number}. {norm(doc.heading)} {page - seed_pdf.dest['ch-1'] + 1}" in contents, doc.heading  # arabic from 1


def test_running_heads_number_the_document_and_keep_its_date(seed_edition, seed_pdf):
    # A recto's head names the document that opens on it (or runs on): "13. Kaganovich, Molotov
    # to Stalin August 21, 1935", shortened before the date when too long; never the whole of a
    # heading that does not fit.
    from corresp.exporters.pdf_parts.layout import running_head
    from reportlab.pdfbase.pdfmetrics import stringWidth
    long = "34. Kaganovich, Molotov, Yezhov, Manuilsky - to Stalin on August 31, 1935"
    short = running_head(long, "August 31, 1935", "Helvetica", 8.5, 200)
    assert short.startswith("34. Kaganovich") and short.endswith("… August 31, 1935"), short
    assert stringWidth(short, "Helvetica", 8.5) <= 200
    start, end = seed_pdf.dest["ch-1"], seed_pdf.dest["calendar"]
    heads = []
    for page in range(start + 2, end - 1, 2):  # rectos after the chapter's opening page
        lines = [norm(l) for l in seed_pdf.reader.pages[page - 1].extract_text().splitlines()]
        heads += [l for l in lines if re.fullmatch(r"\d+\. \D+ \[?\w* ?\w+ \d+,? \[?\d{4}\]?", l)]
    assert len(heads) >= (end - start) // 2 - 2, heads


def test_index_of_correspondents_gives_the_pages_of_their_letters(seed_edition, seed_pdf):
    from corresp.correspondents import correspondents
    index_page = seed_pdf.dest["index"]
    assert index_page == len(seed_pdf.texts)  # at the end, after everything it points to
    text = seed_pdf.texts[index_page - 1]
    assert text.startswith("Index of correspondents")
    keys = {doc.id: f"doc-{ci + 1}-{di + 1}" for ci, ch in enumerate(seed_edition.chapters)
            for di, doc in enumerate(ch.documents)}
    entries = correspondents(seed_edition)
    assert [e.name for e in entries] == ["Kaganovich", "Manuilsky", "Molotov", "Stalin", "Voroshilov", "Yezhov"]
    from corresp.correspondents import sent_and_received
    from corresp.numbering import document_numbers
    numbers = document_numbers(seed_edition)
    for entry in entries:  # each letter by its number, with its own page; sent apart from received
        sent, received = sent_and_received(entry)
        refs = [", ".join(f"{numbers[d.id]} ({seed_pdf.dest[keys[d.id]] - seed_pdf.dest['ch-1'] + 1})" for d in docs)
                for docs in (sent, received)]
        groups = [f"{word}: {r}" for word, r in zip(("sent", "received"), refs) if r]
        assert f"{entry.name} {' '.join(groups)}" in text
    # The contents and the outline lead there too.
    printed_page = index_page - seed_pdf.dest["ch-1"] + 1
    assert re.search(rf"Index of correspondents (?:\.+ )?{printed_page}", " ".join(seed_pdf.texts[4:7]))
    assert seed_pdf.reader.outline[-1].title == "Index of correspondents"


def test_page_ranges():
    from corresp.exporters.pdf_parts.index import page_ranges
    assert page_ranges([9, 4, 5, 6, 6, 12, 13]) == "4–6, 9, 12–13"
    assert page_ranges([7]) == "7" and page_ranges([]) == ""


def test_document_heading_is_never_alone_at_a_page_foot(seed_edition, seed_pdf):
    for ci, chapter in enumerate(seed_edition.chapters):
        for di, doc in enumerate(chapter.documents):
            page = seed_pdf.dest[f"doc-{ci + 1}-{di + 1}"]
            first_part = next(iter(doc.iter_parts()))[1].text
            assert norm(first_part)[:25] in seed_pdf.texts[page - 1], doc.heading


def printed(para, labels: dict[int, str]) -> str:
    """A paragraph as the page shows it: text, and each marker's label as a superscript."""
    return "".join(labels[i.number] if isinstance(i, NoteRef) else i.text for i in para.content)


def test_every_part_of_every_seed_document_is_printed(seed_edition, seed_pdf):
    everything = " ".join(seed_pdf.texts)
    numbers = NoteNumbers(seed_edition)
    for doc in seed_edition.documents:
        if doc.archive_text:
            assert norm(doc.archive_text) in everything
        labels = numbers.for_document(doc)
        for role, para in doc.iter_parts():
            # A paragraph may run across a page break (and its furniture): test both ends.
            text = norm(printed(para, labels))
            assert text[:40] in everything and text[-40:] in everything, (doc.id, role)


def test_fonts_are_embedded_truetype(seed_pdf, sample_pdf):
    for built in (seed_pdf, sample_pdf):
        seen = set()
        for page in built.reader.pages:
            resources = [page["/Resources"]]  # the page's, and its forms' (contents numbers)
            resources += [x.get_object()["/Resources"] for x in page["/Resources"].get("/XObject", {}).values()]
            for res in resources:
                for font in res.get("/Font", {}).values():
                    font = font.get_object()
                    seen.add(font["/BaseFont"])
                    assert font["/Subtype"] == "/TrueType", font["/BaseFont"]
                    assert "/FontFile2" in font["/FontDescriptor"].get_object(), font["/BaseFont"]
        assert {re.sub(r"^/[A-Z]{6}\+", "/", f) for f in seen} == {
            "/LiberationSerif", "/LiberationSerif-Italic", "/LiberationSerif-Bold"}


def test_document_info_and_language(seed_pdf):
    info = seed_pdf.reader.metadata
    assert info["/Title"] == "Stalin and Kaganovich. Correspondence. 1931–1936"
    assert seed_pdf.reader.trailer["/Root"]["/Lang"] == "en"
    epoch = time.gmtime(seed_pdf.options.source_date_epoch)  # SOURCE_DATE_EPOCH, in UTC
    assert info["/CreationDate"] == time.strftime("D:%Y%m%d%H%M%S+00'00'", epoch)


# --- the sample edition: every part, nasty text, Cyrillic --------------------------------------

def test_title_page_contents_page_and_chapters(sample_pdf):
    t = sample_pdf.texts
    assert t[0] == "Stalin and Kaganovich. Correspondence. 1931–1936"  # the half-title; ii is blank
    assert t[1] == "" and t[2].startswith("Stalin and Kaganovich. Correspondence. 1931–1936")
    assert re.sub(r" \.{2,} ", " ", t[4]).startswith(  # contents on a recto (v); the text from 1
        "Contents 1935 August 1 1. Kaganovich, Yezhov - Stalin August 14, 1935 1")
    assert sample_pdf.page_of_text("1933 Август") == [5, sample_pdf.dest["ch-2"]]
    assert sample_pdf.dest["ch-1"] % 2 == 1 and sample_pdf.dest["ch-2"] % 2 == 1  # chapters open on rectos
    labels = sample_pdf.reader.page_labels
    assert labels[:5] == ["i", "ii", "iii", "iv", "v"] and labels[sample_pdf.dest["ch-1"] - 1] == "1"


def test_markup_characters_come_out_verbatim(sample_pdf):
    everything = " ".join(sample_pdf.texts)
    assert norm(NASTY) in everything
    assert "A note on the enclosure with <b>markup</b> & [brackets] *stars*." in everything


def test_sample_roles_and_intro_notes(sample_pdf):
    ed = sample_edition()
    everything = " ".join(sample_pdf.texts)
    for doc in ed.documents:
        labels = NoteNumbers(ed).for_document(doc)
        for role, para in doc.iter_parts():
            assert norm(printed(para, labels)) in everything, (doc.id, role)
    assert "Government" not in everything  # requisites are metadata, not text
    key = note_key(intro_key(0), 1)
    assert sample_pdf.dest["mk-" + key] == sample_pdf.dest["fn-" + key]
    assert "1 An intro note." in sample_pdf.texts[sample_pdf.dest["fn-" + key] - 1]


def test_russian_text_extracts_as_cyrillic(tmp_path):
    from corresp.readers.text.parser import read_edition
    edition, _ = read_edition([FIXTURES / "ru-1933-08.txt"])
    built = build(edition, tmp_path)
    everything = " ".join(built.texts)
    assert "Молотов — Сталину 5 августа 1933 г." in everything
    assert "Ёлки, щи, «кавычки» — тире" in everything
    assert "№" in everything
    assert built.reader.trailer["/Root"]["/Lang"] == "ru"
    assert "Содержание" in built.texts[4]
    assert built.options.warnings == []


def test_continuous_numbering_prints_the_models_labels(sample_pdf, tmp_path):
    ed = sample_edition()
    built = build(ed, tmp_path, notes="continuous")
    numbers = NoteNumbers(ed, "continuous")
    doc = ed.chapters[1].documents[0]  # the Russian document: its only note is number 7 in all
    label = numbers.label(doc.id, 1)
    assert label == "7"
    page = built.dest["fn-" + note_key(doc.id, 1)]
    assert f"{label} Примечание: решение ПБ от 7 августа 1933 г." in built.texts[page - 1]
    assert "тире7." in built.texts[page - 1]


def test_a_long_note_in_a_document_splits_across_pages(tmp_path):
    note = "Beginning of the long note. " + "The editors add detail upon detail. " * 150 + "End of the long note."
    body = [p(LOREM * 3), p(LOREM * 2 + "Here is the marker", 1, "."), p(LOREM * 5)]
    built = build(one_doc_edition(body, [note]), tmp_path)
    key = note_key("test-doc", 1)
    start = built.dest["fn-" + key]
    assert built.dest["mk-" + key] == start
    assert "1 Beginning of the long note." in built.texts[start - 1]
    end = built.page_of_text("End of the long note.")
    assert end and end[0] > start
    assert built.doc.overlaps == [] and built.options.warnings == []


def test_missing_glyphs_are_reported(tmp_path):
    built = build(one_doc_edition([p("Chinese 中文 and a check ✓.")], []), tmp_path)
    assert any("U+4E2D" in w and "U+2713" in w for w in built.options.warnings)


# --- style, reproducibility, registry -----------------------------------------------------

def test_a_style_folder_can_change_the_page(tmp_path):
    style = tmp_path / "style"
    style.mkdir()
    (style / "pdf.toml").write_text('[page]\nwidth = "148mm"\nheight = "210mm"\n[text]\nsize = 11\nleading = 14\n')
    built = build(sample_edition(), tmp_path, style_dir=style)
    box = built.reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (420, 595)  # A5
    # Fonts are found relative to the style folder that names them.
    (style / "faces").mkdir()
    shutil.copy(STYLES / "fonts" / "LiberationSerif-Bold.ttf", style / "faces" / "Body.ttf")
    (style / "pdf.toml").write_text('[fonts]\nregular = "faces/Body.ttf"\n')
    built = build(sample_edition(), tmp_path, "bold.pdf", style_dir=style)
    body_fonts = {f.get_object()["/BaseFont"] for f in built.reader.pages[2]["/Resources"]["/Font"].values()}
    assert all("Bold" in f or "Italic" in f for f in body_fonts)  # the regular face is now bold
    (style / "pdf.toml").write_text("[page]\ncolour = 'red'\n")
    with pytest.raises(ConfigError, match="colour"):
        build(sample_edition(), tmp_path, "bad.pdf", style_dir=style)
    (style / "pdf.toml").write_text('[fonts]\nregular = "nowhere.ttf"\n')
    with pytest.raises(ConfigError, match="nowhere.ttf"):
        build(sample_edition(), tmp_path, "bad.pdf", style_dir=style)


def test_a_signature_never_opens_a_page_alone(tmp_path):
    # Letters of every length from 1 to 40 lines: wherever a letter ends on its page, its
    # signature and the secretary's lines under it stand on the page of its last lines.
    from corresp.model import SecretaryAnnotation
    docs = []
    for i in range(40):
        words = " ".join(f"w{i}x{k}" for k in range(1, 9 * (i + 1)))
        docs.append(Document(id=f"d{i}", heading=f"Letter {i}", body=[p(LOREM * (i % 3)), p(words + f" END{i}.")],
                             signature=p(f"SIGNED{i}."),
                             secretary=[SecretaryAnnotation(content=[Text(text=f"SECRETARY{i}.")])]))
    edition = Edition(title="Test edition", chapters=[Chapter(title="Test chapter", documents=docs)])
    built = build(edition, tmp_path)
    for i in range(40):
        pages = built.page_of_text(f"SIGNED{i}.")
        assert pages == built.page_of_text(f"END{i}.") == built.page_of_text(f"SECRETARY{i}."), i
        lines = built.reader.pages[pages[0] - 1].extract_text().split("\n")
        end = next(k for k, line in enumerate(lines) if f"END{i}." in line)
        if i > 0:  # the paragraph has more than one line: the line above is its own too
            assert f"w{i}x" in lines[end - 1], i


def test_invisible_format_characters_do_not_print(tmp_path):
    # A soft hyphen, a zero-width space, direction overrides: invisible where text is
    # shaped, but drawn as glyphs (a hyphen, boxes) by a PDF that does not shape. The
    # model keeps them; the PDF leaves them out.
    text = "A soft\u00adhyphen, a zero\u200bwidth space and \u202eRTL\u202c marks."
    built = build(one_doc_edition([p(text)], []), tmp_path)
    raw = "".join(pg.extract_text() for pg in built.reader.pages)
    assert "A softhyphen, a zerowidth space and RTL marks." in raw
    assert not any(ch in raw for ch in "\u00ad\u200b\u202e\u202c\x00")


# --- hyphenation ------------------------------------------------------------------------

def test_hyphenation_follows_the_language_patterns():
    en = hyphenator_for("auto", "en")
    assert ("adminis", "trative,", True) in en.splits("administrative,")  # punctuation stays with its half
    assert [len(h) for h, _, _ in en.splits("administrative")] == sorted(
        (len(h) for h, _, _ in en.splits("administrative")), reverse=True)  # the longest head first
    assert en.splits("short") == [] and en.splits("1935,") == []
    assert en.splits("Ordzhonikidze") == [] and en.splits("Transcaucasians") == []  # names: not broken
    assert ("Stalin-", "Kaganovich", False) in en.splits("Stalin-Kaganovich")  # after a hyphen, none added
    ru = hyphenator_for("auto", "ru")
    assert ("хлебо", "заготовках", True) in ru.splits("хлебозаготовках")
    assert hyphenator_for("off", "en") is None
    assert hyphenator_for("auto", "xx") is None  # no patterns for the language: no hyphenation
    with pytest.raises(ValueError, match="klingon"):
        hyphenator_for("klingon", "en")


def _text_of(tokens) -> str:
    return "".join((" " if t[1] and i else "") + "".join(p for p in t[2] if isinstance(p, str))
                   for i, t in enumerate(tokens))


def test_a_paragraph_broken_at_another_width_makes_its_hyphenated_words_whole():
    style = ParagraphStyle("justified", parent=BODY, alignment=TA_JUSTIFY)
    style.hyphenator = hyphenator_for("auto", "en")
    text = "The administrative departments reconsidered the extraordinary circumstances " * 8
    para = TextParagraph([text], style)
    words = len(text.split())
    para.lines(150)
    assert any(t[4] for t in para.tokens) and len(para.tokens) > words  # words cut at that width
    assert _text_of(para.tokens) == text.strip()  # and nothing lost
    para.lines(10_000)  # one line: nothing needs cutting, the cut words are whole again
    assert len(para.tokens) == words and not any(t[4] for t in para.tokens)
    assert _text_of(para.tokens) == text.strip()


def test_justified_text_is_hyphenated_and_reads_back_whole(tmp_path):
    sentence = ("The administrative departments reconsidered the extraordinary circumstances of "
                "the agricultural procurement campaign. ")
    edition = one_doc_edition([p(sentence * 6)], [])
    built = build(edition, tmp_path)
    raw = "\n".join(pg.extract_text() for pg in built.reader.pages)
    assert re.search(r"\w\u2010\n\w", raw)  # lines end in an added U+2010 HYPHEN ...
    assert norm(sentence * 6) in " ".join(built.texts)  # ... which reading the text drops
    style = tmp_path / "style"
    style.mkdir()
    (style / "pdf.toml").write_text('[text]\nhyphenate = "off"\n')
    off = build(edition, tmp_path, "off.pdf", style_dir=style)
    assert "\u2010" not in "".join(pg.extract_text() for pg in off.reader.pages)
    (style / "pdf.toml").write_text('[text]\nhyphenate = "klingon"\n')
    with pytest.raises(ConfigError, match="hyphenate"):
        build(edition, tmp_path, "bad.pdf", style_dir=style)


def test_two_builds_are_byte_identical(tmp_path):
    a = build(sample_edition(), tmp_path, "a.pdf", source_date_epoch=1700000000).path.read_bytes()
    b = build(sample_edition(), tmp_path, "b.pdf", source_date_epoch=1700000000).path.read_bytes()
    c = build(sample_edition(), tmp_path, "c.pdf", source_date_epoch=1600000000).path.read_bytes()
    assert hashlib.sha256(a).digest() == hashlib.sha256(b).digest()
    assert a != c and b"D:20231114221320+00'00'" in a


def test_pdf_exporter_is_registered():
    exporter = registry(reload=True).get("pdf")
    assert isinstance(exporter, PdfExporter) and exporter.extension == ".pdf"


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_every_page_renders_and_notes_are_inked_at_the_foot(seed_pdf, tmp_path):
    out = subprocess.run(["pdftoppm", "-r", "20", "-gray", str(seed_pdf.path), str(tmp_path / "pg")],
                         capture_output=True, text=True)
    assert out.returncode == 0 and out.stderr == ""
    pages = sorted(tmp_path.glob("pg-*.pgm"))
    assert len(pages) == len(seed_pdf.reader.pages)
    # A page with notes has dark pixels low on the page; the title page has none there.
    first_note_page = min(seed_pdf.dest[k] for k in seed_pdf.dest if k.startswith("fn-"))
    assert _dark_rows_in_lower_fifth(pages[first_note_page - 1]) > 0
    assert _dark_rows_in_lower_fifth(pages[0]) == 0


def _dark_rows_in_lower_fifth(pgm: Path) -> int:
    data = pgm.read_bytes()
    fields = data.split(maxsplit=4)  # P5 width height maxval pixels
    width, height = int(fields[1]), int(fields[2])
    pixels = fields[4]
    rows = [pixels[r * width:(r + 1) * width] for r in range(height * 4 // 5, height * 19 // 20)]
    return sum(1 for row in rows if min(row) < 128)


# --- typography, measured in the PDF's content streams -------------------------------------

def text_lines(path: Path):
    """Every line of text drawn outside artifacts: (page, font size, word-space change, text,
    baseline y, justified?). The word-space change is Tw + 2 Tc (letter spacing widens the
    space and the gap after the word's last letter); a line is justified when either is set."""
    import pikepdf
    from corresp.verify.preflight import _to_unicode
    out = []
    cmaps: dict = {}
    with pikepdf.open(str(path)) as pdf:
        for pno, page in enumerate(pdf.pages, 1):
            fonts = page.Resources.get("/Font", {})
            tw = tc = size = 0.0
            fmap: dict = {}
            artifact: list = []
            line = None
            ty, saved = 0.0, []  # the vertical translation of the CTM (all the book's cm do)
            for operands, op in pikepdf.parse_content_stream(page):
                op = str(op)
                if op == "q":
                    saved.append(ty)
                elif op == "Q":
                    ty = saved.pop() if saved else 0.0
                elif op == "cm":
                    ty += float(operands[5])
                elif op in ("BDC", "BMC"):
                    artifact.append(str(operands[0]) == "/Artifact")
                elif op == "EMC" and artifact:
                    artifact.pop()
                elif op == "Tw":
                    tw = float(operands[0])
                elif op == "Tc":
                    tc = float(operands[0])
                elif op == "Tf":
                    size = float(operands[1])
                    font = fonts.get(str(operands[0]))
                    if font is not None:
                        fmap = cmaps.setdefault(font.objgen, _to_unicode(font))
                elif op == "Tm":
                    line = None
                    if not any(artifact):
                        line = [pno, 0.0, 0.0, "", float(operands[5]) + ty, False]  # size: at its first Tj
                        out.append(line)
                elif op == "Tj" and line is not None:
                    line[2] = tw + 2 * tc  # the space's share and the letter spacing on both sides
                    line[5] = bool(tw or tc)
                    if not line[1]:
                        line[1] = size
                    line[3] += "".join(fmap.get(bytes([b]), "") for b in bytes(operands[0]))
                elif op == "ET":
                    line = None
    return [tuple(l) for l in out if l[3].strip()]


@pytest.fixture(scope="module")
def seed_lines(seed_pdf):
    return text_lines(seed_pdf.path)


def _user_build(which: str, tmp_path: Path) -> Path:
    """The PDF a user gets (house typography on, as `corresp build` sets it): the sample
    from its file, the repository's edition.toml volume, or the Russian fixture."""
    import sys
    args = {"sample": [str(ROOT / "seeds" / "1935-08.txt")],
            "volume": ["--config", str(ROOT / "edition.toml")],
            "ru": [str(FIXTURES / "ru-1933-08.txt")]}[which]
    run = subprocess.run([sys.executable, "-m", "corresp.cli", "build", *args, "--name", which, "-f", "pdf",
                          "-o", str(tmp_path), "-q"], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    return tmp_path / f"{which}.pdf"


@pytest.mark.parametrize("which, at_least", [("sample", 300), ("volume", 300), ("ru", 1)])
def test_word_spaces_stay_within_the_limits_on_every_justified_line(which, at_least, tmp_path):
    """Every justified line of the PDF a user builds: a word space changes by -0.5..+1.5 pt
    (Tw + 2 Tc). The typography's no-break spaces bind words (`Comrade\u00a0N.N.\u00a0On`),
    which takes break points away: the untypeset text set within the limits while the
    user's book had five lines at up to 2.74 pt."""
    justified = [l for l in text_lines(_user_build(which, tmp_path)) if l[5]]
    assert len(justified) >= at_least
    assert [(l[0], round(l[2], 2), l[3]) for l in justified if not -0.5 - 1e-3 <= l[2] <= 1.5 + 1e-3] == []


def test_a_unit_bound_by_no_break_spaces_breaks_inside_its_first_word_in_the_last_resort():
    """`Comrade\u00a0N.N.\u00a0On` (a name tied to its initials and the next word): its last
    word is too short to break, so in the last resort the unit breaks inside `Comrade`; the
    head and tail keep their own no-break spaces (never a break at one)."""
    from corresp.exporters.pdf_parts.hyphenate import Hyphenator
    h = Hyphenator("en_US")
    unit = "Comrade\u00a0N.N.\u00a0On"
    assert h.splits(unit) == []
    assert h.splits(unit, capitalised=True) == []  # (its last word cannot break)
    splits = h.splits(unit, capitalised=True, ties=True)
    assert splits and all(head + tail == unit and "\u00a0" not in head for head, tail, _ in splits)
    assert [(hd, tl) for hd, tl, _ in Hyphenator("ru").splits("«о\u00a0хлебозаготовках»")][0][0].startswith("«о\u00a0")


def grid_misses(lines, style) -> list:
    """Lines in the body's size whose baselines are off the grid counted from the text
    block's first baseline in the body's leading."""
    first = style.page.height - style.page.top_margin - style.text.size
    lead = style.text.leading
    misses = []
    for line in lines:
        if abs(line[1] - style.text.size) > 0.01:
            continue
        off = (first - line[4]) % lead
        if min(off, lead - off) > 0.02:
            misses.append((line[0], round(line[4], 2), round(off, 2), line[3][:40]))
    return misses


def test_body_lines_stand_on_one_baseline_grid(seed_lines):
    # Read back from the PDF: every line in the body's size, on every page, at a whole
    # number of leadings below the first baseline (no vertical justification, headings and
    # enclosures made up for).
    style = load_style(STYLES)
    body = [l for l in seed_lines if abs(l[1] - style.text.size) < 0.01]
    assert len(body) > 400
    assert grid_misses(seed_lines, style) == []


def test_the_measure_is_60_to_75_characters(seed_lines):
    style = load_style(STYLES)
    body = [len(l[3]) for l in seed_lines if l[5] and abs(l[1] - style.text.size) < 0.01]
    assert len(body) > 200
    mean = sum(body) / len(body)
    assert 60 <= mean <= 75, mean


def test_pages_end_short_rather_than_spread_and_few_do(seed_pdf, seed_lines):
    # No vertical justification: a page whose next part does not fit (a heading with its
    # first lines and their notes, a signature with the lines it keeps) ends short. Few do,
    # and none by much.
    style = load_style(STYLES)
    top = style.page.height - style.page.top_margin
    height = style.page.height - style.page.top_margin - style.page.bottom_margin
    reader = seed_pdf.reader
    starts = sorted(reader.get_destination_page_number(item) + 1 for item in reader.outline
                    if not isinstance(item, list))  # chapters (and the index): level 0
    lowest: dict[int, float] = {}
    for page, _, _, _, y, _ in seed_lines:
        lowest[page] = min(lowest.get(page, y), y)
    fills = {}
    for first, nxt in zip(starts, starts[1:] + [len(reader.pages) + 1]):
        pages = [p for p in range(first, nxt) if p in lowest]  # not the blank versos before a recto
        for page in pages[:-1]:  # the chapter's last page may be short
            fills[page] = (top - lowest[page]) / height
    assert len(fills) >= 20
    assert min(fills.values()) >= 0.75, fills
    assert sum(1 for f in fills.values() if f < 0.9) <= len(fills) // 5, fills


def test_a_chapter_never_ends_on_a_page_of_a_few_lines(tmp_path):
    # Whatever the length of the chapter's last paragraph, its last page holds at least five
    # lines: the page before gives up lines when it can.
    style = load_style(STYLES)
    sentence = "The commission reported on the harvest and on the transport it needs. "
    tails = []
    for extra in range(0, 12, 2):
        body = [p(LOREM * 8), p(LOREM * 6), p(sentence * (38 + extra))]
        built = build(one_doc_edition(body, []), tmp_path, f"tail-{extra}.pdf")
        lines = [l for l in text_lines(built.path) if abs(l[1] - style.text.size) < 0.01]
        last = max(l[0] for l in lines if l[0] < built.dest["calendar"])
        assert last > built.dest["ch-1"], "the chapter must run over a page"
        tails.append(sum(1 for l in lines if l[0] == last))
        assert grid_misses(lines, style) == []
    assert min(tails) >= 5, tails


def test_right_to_left_words_are_drawn_in_visual_order_and_read_in_logical(tmp_path):
    # A Hebrew word in logical order would print backwards: it is drawn reversed, with its
    # logical text as /ActualText, which extraction and verify read.
    import pypdf
    from corresp.build import build
    from corresp.verify import verify_dir
    src = tmp_path / "he.txt"
    src.write_text("Stalin to Kaganovich August 14, 1935\nArchive: RGASPI F. 1. Op. 1. D. 1. L. 1.\n"
                   "The word \u05e9\u05dc\u05d5\u05dd, said 1 .\nStalin.\n_____\n1 Peace is \u05e9\u05dc\u05d5\u05dd.\n",
                   encoding="utf-8")
    build([src], tmp_path / "out", formats=["json", "pdf"])
    pdf = tmp_path / "out" / "he.pdf"
    raw = b"".join(page.get_contents().get_data() for page in pypdf.PdfReader(pdf).pages)
    assert b"/ActualText <FEFF05E905DC05D505DD" in raw
    text = "".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
    assert "\u05e9\u05dc\u05d5\u05dd" in text and "\u05dd\u05d5\u05dc\u05e9" not in text
    assert verify_dir(tmp_path / "out")[0] == []


def test_headings_never_break_before_a_year_nor_leave_a_word_alone(tmp_path):
    # A heading as wide as the measure: it breaks, but never as "… August 31, / 1935".
    heading = "Kaganovich, Molotov, Yezhov, Manuilsky, Chubar, Zhdanov - to Stalin on August 31, 1935"
    built = build(one_doc_edition([p(LOREM)], [], heading=heading), tmp_path)
    text = built.reader.pages[built.dest["doc-1-1"] - 1].extract_text()
    lines = [l.strip() for l in text.splitlines()]
    assert "1935" not in lines and not any(re.fullmatch(r"\S+", l) for l in lines[:3]), lines
    assert any(l.endswith("August 31, 1935") for l in lines), lines
    from corresp.exporters.pdf_parts.story import heading_text
    assert heading_text("Сталину, Ворошилову 3 октября 1935 г.") == "Сталину, Ворошилову 3\u00a0октября\u00a01935\u00a0г."
    assert heading_text("Stalin to Kaganovich August 16 [1935]").endswith("August\u00a016\u00a0[1935]")
    # No-break spaces (U+00A0, U+202F) hold words together in justified text too.
    style = make_styles(load_style(STYLES), register_fonts(load_style(STYLES)))["body"]
    para = TextParagraph(["word " * 40 + "L.\u202fP.\u202fKosheleva No.\u00a030 " + "word " * 40], style)
    para.wrap(300, 1e9)
    starts = [para.tokens[a][2][0] for a, _, _, _ in para.lines(300)]
    assert not any(s.startswith(("P.", "Kosheleva", "30")) for s in starts)


def bbox_words(path: Path, first: int = 1, last: int = 0) -> dict[int, list[tuple[float, float, float, float, str]]]:
    """pdftotext -bbox: page -> [(xMin, yMin, xMax, yMax, word)] (y from the top, in points)."""
    args = ["pdftotext", "-bbox", "-f", str(first)] + (["-l", str(last)] if last else []) + [str(path), "-"]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    pages: dict[int, list] = {}
    page = first - 1
    for line in out.splitlines():
        if line.strip().startswith("<page "):
            page += 1
            pages[page] = []
        m = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line)
        if m:
            pages[page].append((*map(float, m.groups()[:4]), m.group(5)))
    return pages


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_note_group_labels_stand_in_the_outer_margin(seed_pdf):
    # "No. 12" beside the first note of each letter on a page of notes from several letters:
    # right of the text block on a recto, left of it on a verso; never in the gutter.
    style = load_style(STYLES)
    pg = style.page
    labels = 0
    for page, words in bbox_words(seed_pdf.path).items():
        recto = page % 2 == 1
        left = pg.inner_margin if recto else pg.outer_margin
        right = left + pg.width - pg.inner_margin - pg.outer_margin
        for x0, _, x1, _, word in words:
            if word == "No." and (x1 < left - 1 or x0 > right + 1):
                labels += 1
                assert (x0 > right) if recto else (x1 < left), (page, x0, x1)
    assert labels >= 5


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_imprint_and_copyright_lines_stand_at_the_foot(tmp_path):
    from corresp.model import Publication
    edition = sample_edition()
    edition.publication = Publication(publisher="Northgate Press", place="Leeds", rights="© The editors")
    built = build(edition, tmp_path)
    pg = load_style(STYLES).page
    foot = pg.height - pg.bottom_margin
    words = bbox_words(built.path, 3, 4)
    for page in (3, 4):  # the title page's imprint, the copyright page's last line
        lowest = max(w[3] for w in words[page])
        assert foot - 15 <= lowest <= foot + 1, (page, lowest, foot)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_calendar_is_a_table_with_the_page_in_its_own_column(seed_edition, seed_pdf):
    # Number, date, correspondents, shelfmark, page: each row's page right-aligned at the
    # text block's right edge, the number right-aligned in its column; a shelfmark's
    # "D. 88" never broken.
    from corresp.calendar import calendar
    style = load_style(STYLES)
    pg = style.page
    first, last = seed_pdf.dest["calendar"], seed_pdf.dest["index"] - 1
    words = bbox_words(seed_pdf.path, first, last)
    rows = calendar(seed_edition)
    pages_col = []
    numbers_right = []
    for page, ws in words.items():
        left = pg.inner_margin if page % 2 else pg.outer_margin
        right = left + pg.width - pg.inner_margin - pg.outer_margin
        lines: dict[float, list] = {}
        for w in ws:
            lines.setdefault(round(w[3], 1), []).append(w)
        for y, line in lines.items():
            line.sort()
            if re.fullmatch(r"\d+\.", line[0][4]) and line[0][0] < left + 30:
                numbers_right.append(round(line[0][2] - left, 1))
                if re.fullmatch(r"\d+", line[-1][4]):
                    pages_col.append(right - line[-1][2])
    assert len(numbers_right) == len(rows)  # one row per document, each opened by its number
    assert len(words) >= 2 and all({"Date", "Correspondents", "Page"} <= {w[4] for w in ws}
                                   for ws in words.values() if ws)  # the header on every page of the table
    assert max(numbers_right) - min(numbers_right) < 0.5  # right-aligned numbers
    assert len(pages_col) == len(rows) and max(pages_col) < 0.5, pages_col  # pages at the right edge
    text = " ".join(seed_pdf.texts[first - 1:last])
    for row in rows:
        assert f"{row.number}. {norm(row.date)}" in text
    assert not re.search(r"\b(D|Op|F|L)\.\n\d", "\n".join(
        seed_pdf.reader.pages[p - 1].extract_text() for p in range(first, last + 1)))


def _wide_index_edition(n: int = 240) -> Edition:
    from corresp.model import DocDate, Person
    docs = []
    for i in range(n):
        a, b = ("Stalin", "Kaganovich") if i % 2 else ("Kaganovich", "Stalin")
        docs.append(Document(id=f"d{i}", heading=f"{a} to {b} August {i % 28 + 1}, 1935",
                             senders=[Person(name=a)], recipients=[Person(name=b)],
                             date=DocDate(text=f"August {i % 28 + 1}, 1935", iso=f"1935-08-{i % 28 + 1:02d}"),
                             body=[p("Short.")]))
    return Edition(title="Many letters", chapters=[Chapter(title="1935", documents=docs)])


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_index_runs_in_two_columns_with_cont_on_a_continued_page(tmp_path):
    built = build(_wide_index_edition(), tmp_path)
    style = load_style(STYLES)
    pg = style.page
    first = built.dest["index"]
    pages = bbox_words(built.path, first)
    assert len(pages) >= 2, "the index must run over a page"
    for page, ws in pages.items():
        left = pg.inner_margin if page % 2 else pg.outer_margin
        middle = left + (pg.width - pg.inner_margin - pg.outer_margin) / 2
        body = [w for w in ws if w[1] > pg.top_margin + 5 and w[3] < pg.height - pg.bottom_margin]
        assert any(w[0] > middle + 3 for w in body) and any(w[2] < middle - 3 for w in body), page  # two columns
        sizes = {round(w[3] - w[1], 1) for w in body if re.fullmatch(r"\d+", w[4])}
        assert max(sizes) < style.text.size, sizes  # smaller type than the text
    second = built.texts[first]
    assert re.search(r"\b(Kaganovich|Stalin) \(cont\.\)", second), second[:200]


def test_a_word_bound_to_a_short_one_by_a_no_break_space_still_hyphenates(tmp_path):
    """The house typography binds `о` to the next word (`«о\u00a0хлебозаготовках»`); the
    unit breaks after its last no-break space, where the line breaker used to refuse any
    word holding one and spread the line before it by some 12 pt a space."""
    from corresp.readers.text.parser import read_edition
    from corresp.typography import TypographyStyle, typeset
    from corresp.exporters.pdf_parts.hyphenate import Hyphenator
    heads = [h for h, _, _ in Hyphenator("ru").splits("«о\u00a0хлебозаготовках»")]
    assert heads and all(h.startswith("«о\u00a0хле") for h in heads)
    edition, _ = read_edition([FIXTURES / "ru-1933-08.txt"])
    built = build(typeset(edition, TypographyStyle()), tmp_path)
    lines = text_lines(built.path)
    justified = [l for l in lines if l[5]]
    assert justified and all(-0.5 - 1e-3 <= l[2] <= 1.5 + 1e-3 for l in justified), \
        [(round(l[2], 2), l[3]) for l in justified if not -0.5 - 1e-3 <= l[2] <= 1.5 + 1e-3]
    assert "Посылаю проект «о хлебозаготовках»" in " ".join(built.texts)  # nothing lost at the break


def test_a_long_calendar_table_measures_each_row_once(monkeypatch):
    """The calendar's table is split once per page: its rows are measured once, not again on
    every page (10,000 letters took minutes when each split summed every row left)."""
    from reportlab.lib.styles import ParagraphStyle
    from corresp.exporters.pdf_parts import table as t
    from corresp.exporters.pdf_parts.textblock import TextParagraph
    calls = []
    real = TextParagraph.wrap
    monkeypatch.setattr(TextParagraph, "wrap", lambda self, w, h: calls.append(1) or real(self, w, h))
    style = ParagraphStyle("cal", fontName="Times-Roman", fontSize=9, leading=11, spaceAfter=2)
    widths = t.column_widths(300, 9)
    header = t.TableRow(["No.", "Date", "Parties", "Archive", "Page"], style, widths, header=True)
    rows = [t.TableRow([f"{k}.", "August 1, 1935", "Stalin → Kaganovich", f"F. 558. Op. 11. D. {k}.", "1"],
                       style, widths) for k in range(2000)]
    piece, pages = t.Table(header, rows), 0
    while True:
        piece.wrap(300, 500)
        parts = piece.split(300, 500)
        pages += 1
        if len(parts) != 2:
            break
        assert parts[0].wrap(300, 500)[1] <= 500 + 1e-6
        piece = parts[1]
    assert pages > 50
    assert len(calls) <= 5 * (len(rows) + 1) * 2  # five cells a row, each measured about once


def test_the_last_resort_keeps_as_few_lines_as_it_can_beyond_the_word_space_limits():
    """A paragraph that cannot be set within -0.5..+1.5 pt (units tied by no-break spaces, no
    hyphenation): the last resort re-breaks it so that fewer lines go beyond the limits than
    a uniformly looser stretch (12 pt a space, the old emergency pass) would leave."""
    from corresp.exporters.pdf_parts.linebreak import EMERGENCY_STRETCH, MAX_STRETCH, total_fit
    from corresp.exporters.pdf_parts.words import text_width, tokenize
    font, size, width = "Times-Roman", 10, 160.0
    unit = "Mr.\u00a0Xyzzyqwvtk,\u00a0Abcdefghq"
    text = (f"of {unit} on on a the of on for on of in a and {unit} be for {unit} on a to in and in "
            "with be and in in of")
    tokens = tokenize([text], font, size)
    args = (tokens, width, width, font, size, text_width(font, " ") * size, text_width(font, "\u2010") * size, None)

    def beyond(got):
        return [(width - natural) / gaps for _, _, natural, gaps in got[1][:-1]
                if gaps and (width - natural) / gaps > MAX_STRETCH + 1e-6]
    assert total_fit(*args) is None  # not within the limits
    looser = total_fit(*args, max_stretch=EMERGENCY_STRETCH)
    fewest = total_fit(*args, overflow=EMERGENCY_STRETCH - MAX_STRETCH)
    assert len(beyond(fewest)) < len(beyond(looser)), (beyond(fewest), beyond(looser))
    assert [p for t in fewest[0] for p in t[2]] == [p for t in tokens for p in t[2]]  # nothing lost


def test_the_story_answers_reportlab_as_a_list_would():
    """reportlab's build takes flowables from the front of its story and puts pieces back
    there; the Story (kept reversed, so that this is not quadratic) must answer every such
    use as the list did: random runs of them compared with a list."""
    import random

    from corresp.exporters.pdf_parts.footnotes import Story

    rng = random.Random(25)
    for _ in range(200):
        ref = list(range(rng.randint(0, 12)))
        given = list(ref)
        story = Story(given)
        assert given == []  # taken over, as reportlab's build empties the list it is given
        for step in range(30):
            op, n = rng.randrange(6), len(ref)
            if op == 0 and n:
                i = rng.randrange(-n, n)
                assert story[i] == ref[i]
            elif op == 1 and n:
                i = rng.randrange(-n, n)
                del story[i], ref[i]
            elif op == 2:
                i = rng.randint(-n - 2, n + 2)
                story.insert(i, 100 + step)
                ref.insert(i, 100 + step)
            elif op == 3:
                story[0:0] = ref[0:0] = [200 + step, 300 + step]
            elif op == 4:
                i = rng.randint(0, n + 1)
                assert story[:i] == ref[:i]
                del story[:i], ref[:i]
            assert list(story) == ref and len(story) == len(ref) and bool(story) == bool(ref)
        with pytest.raises(IndexError):
            story[len(ref)]


def test_glyph_check_reads_the_build_s_face_check(seed_edition):
    """The characters the build's face check read per chapter (build.check_faces) are what
    the PDF's glyph check reads itself: the front matter and the calendar's added."""
    from corresp.build import _printed_characters
    from corresp.exporters.pdf_parts.story import CALENDAR_CHARACTERS, printed_characters
    from corresp.typography import typeset
    from sample_edition import sample_edition
    for edition in (typeset(seed_edition), sample_edition()):
        sets = [chars for _, chars in _printed_characters(edition)[1:]]
        assert printed_characters(edition, sets) == printed_characters(edition)
        assert set(CALENDAR_CHARACTERS) <= printed_characters(edition)
