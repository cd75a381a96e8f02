"""The DOCX edition: real Word footnotes with the model's numbers, named styles, headings for
the navigation pane, reproducible bytes, and LibreOffice as a real client reading it."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from pypdf import PdfReader

from corresp.exporters import ExportOptions
from corresp.exporters.docx import DocxExporter
from corresp.exporters.docx_parts import pandoc_run
from corresp.exporters.docx_parts.styles import (DOCUMENT_HEADING, NAMED_STYLES, ROLE_STYLES,
                                                 style_id)
from corresp.model import Chapter, Document, Edition, Enclosure, Footnote
from corresp.numbering import NoteNumbers, intro_key

sys.path.insert(0, str(Path(__file__).parent))
from sample_edition import NASTY, p, sample_edition  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "1935-08.txt"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
SCHEMES = ("per-document", "continuous")

def numbered(edition, doc) -> str:
    """A document's heading as the formats print it: with its number (corresp.numbering)."""
    from corresp.numbering import document_numbers, numbered_heading
    return numbered_heading(document_numbers(edition)[doc.id], doc.heading)



# --- building ------------------------------------------------------------------------------

def full_sample() -> Edition:
    """The sample edition plus a postscript enclosure, so that every role occurs."""
    edition = sample_edition()
    letter = edition.chapters[0].documents[1]
    letter.postscript.append(Enclosure(paragraphs=[p("Enclosed after the postscript: #21 [sic].")]))
    return Edition.model_validate(edition.model_dump())


def seed_edition() -> Edition:
    parse = pytest.importorskip("corresp.readers.text.parser")
    edition, _ = parse.read_edition([SEED])
    return edition


def export(edition: Edition, path: Path, scheme: str = "per-document", epoch: int | None = None) -> Path:
    options = ExportOptions(notes=scheme, style_dir=ROOT / "styles")
    if epoch is not None:
        options.source_date_epoch = epoch
    DocxExporter().export(edition, path, options)
    assert options.warnings == []
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[tuple[str, str], tuple[Edition, Path]]:
    """(edition name, scheme) -> (edition, DOCX path), for the sample and the seed."""
    out = tmp_path_factory.mktemp("docx")
    editions = {"sample": full_sample(), "seed": seed_edition()}
    return {(name, scheme): (ed, export(ed, out / f"{name}-{scheme}.docx", scheme))
            for name, ed in editions.items() for scheme in SCHEMES}


@pytest.fixture(scope="module")
def pdfs(built, tmp_path_factory) -> dict[tuple[str, str], PdfReader]:
    """Every built DOCX converted by LibreOffice in one run (its own profile, so concurrent
    LibreOffice runs elsewhere do not collide)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice is not installed")
    out = tmp_path_factory.mktemp("pdf")
    profile = tmp_path_factory.mktemp("lo-profile")
    docs = [str(path) for _, path in built.values()]
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), *docs],
                   check=True, capture_output=True, timeout=180)
    return {key: PdfReader(out / (path.stem + ".pdf")) for key, (_, path) in built.items()}


# --- reading -------------------------------------------------------------------------------

def part(docx: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(docx) as z:
        return etree.fromstring(z.read(name))


def text_of(el: etree._Element) -> str:
    """The text, without the "No. 12" label before a document's first note (its own style)."""
    return "".join(t.text or "" for t in el.iter(W + "t")
                   if t.getparent().find(f"{W}rPr/{W}rStyle[@{W}val='NoteDocumentLabel']") is None)


def pstyle(paragraph: etree._Element) -> str | None:
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    return None if style is None else style.get(W + "val")


def expected_notes(edition: Edition, scheme: str) -> list[tuple[str, str, str]]:
    """(container key, label, text) of every note in reading order, from the model."""
    numbers = NoteNumbers(edition, scheme)
    out = []
    for ci, chapter in enumerate(edition.chapters):
        labels = numbers.for_intro(ci, chapter)
        out += [(intro_key(ci), labels[n.number], n.text) for n in chapter.notes]
        for doc in chapter.documents:
            labels = numbers.for_document(doc)
            out += [(doc.id, labels[n.number], n.text) for n in doc.footnotes]
    return out


def references(docx: Path, edition: Edition) -> list[tuple[str, str, etree._Element]]:
    """(container key, shown label, w:footnoteReference) in document order; the container is
    the chapter introduction or the document whose heading precedes it."""
    body = part(docx, "word/document.xml").find(W + "body")
    documents = iter(edition.documents)
    chapter_index, key, out = -1, None, []
    for paragraph in body.iter(W + "p"):
        style = pstyle(paragraph)
        if style == "Heading1":
            chapter_index += 1
            key = intro_key(chapter_index)
        elif style == style_id(DOCUMENT_HEADING):
            doc = next(documents)
            assert text_of(paragraph) == numbered(edition, doc)
            key = doc.id
        for ref in paragraph.iter(W + "footnoteReference"):
            mark = ref.getnext()
            out.append((key, mark.text if mark is not None and mark.tag == W + "t" else None, ref))
    return out


def real_footnotes(docx: Path) -> list[etree._Element]:
    return [f for f in part(docx, "word/footnotes.xml").iter(W + "footnote") if f.get(W + "type") is None]


# --- footnotes -----------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["sample", "seed"])
@pytest.mark.parametrize("scheme", SCHEMES)
def test_footnotes_are_real_word_footnotes_in_order_with_the_models_texts(built, name, scheme):
    edition, docx = built[(name, scheme)]
    expected = expected_notes(edition, scheme)
    total = sum(len(d.footnotes) for d in edition.documents) + sum(len(c.notes) for c in edition.chapters)
    if name == "seed":
        assert total == 50  # what the issue says the seed holds
    notes = real_footnotes(docx)
    assert len(notes) == total == len(expected)
    assert [text_of(n).strip() for n in notes] == [text for _, _, text in expected]
    for note in notes:
        # The note keeps Word's own reference mark: LibreOffice shows the custom mark there.
        assert len(list(note.iter(W + "footnoteRef"))) == 1
        assert {pstyle(par) for par in note.iter(W + "p")} == {"FootnoteText"}


@pytest.mark.parametrize("name", ["sample", "seed"])
@pytest.mark.parametrize("scheme", SCHEMES)
def test_each_reference_sits_in_its_document_and_shows_the_models_label(built, name, scheme):
    edition, docx = built[(name, scheme)]
    refs = references(docx, edition)
    expected = expected_notes(edition, scheme)
    assert [(key, label) for key, label, _ in refs] == [(key, label) for key, label, _ in expected]
    note_ids = [n.get(W + "id") for n in real_footnotes(docx)]
    assert [ref.get(W + "id") for _, _, ref in refs] == note_ids
    assert all(ref.get(W + "customMarkFollows") == "1" for _, _, ref in refs)


def test_per_document_labels_restart_and_continuous_labels_run(built):
    edition, _ = built[("seed", "per-document")]
    per_doc = [label for _, label, _ in references(built[("seed", "per-document")][1], edition)]
    running = [label for _, label, _ in references(built[("seed", "continuous")][1], edition)]
    assert running == [str(i) for i in range(1, len(running) + 1)]
    assert per_doc.count("1") == sum(1 for d in edition.documents if d.footnotes) + \
        sum(1 for c in edition.chapters if c.notes)


def _word_numbers(docx: Path) -> tuple[list[str], int]:
    """The numbers Word's own counter gives the notes, counting each note and restarting at a
    section whose footnotePr says eachSect (the sections are what keep Word's counter, shown
    by the w:footnoteRef in each note, equal to the labels). Returns them and the number of
    sections. A model of Word's rule, not Word itself: no Word here to ask."""
    body = part(docx, "word/document.xml").find(W + "body")
    final = body.find(W + "sectPr")
    restart = final.find(f"{W}footnotePr/{W}numRestart").get(W + "val")
    sections, counter, numbers = 1, 0, []
    for paragraph in body.iter(W + "p"):
        counter_refs = list(paragraph.iter(W + "footnoteReference"))
        for _ in counter_refs:
            counter += 1
            numbers.append(str(counter))
        sect = paragraph.find(f"{W}pPr/{W}sectPr")
        if sect is not None:
            sections += 1
            # the front matter and the first chapter's section begin on a new page (the folios
            # restart there); every later section runs on
            assert sect.find(f"{W}type").get(W + "val") == ("nextPage" if sections <= 3 else "continuous")
            if sect.find(f"{W}footnotePr/{W}numRestart").get(W + "val") == restart == "eachSect":
                counter = 0
    assert final.find(f"{W}type").get(W + "val") == "continuous"
    return numbers, sections


@pytest.mark.parametrize("scheme", SCHEMES)
def test_words_own_numbering_equals_the_labels(built, scheme):
    edition, docx = built[("seed", scheme)]
    numbers, sections = _word_numbers(docx)
    assert numbers == [label for _, label, _ in expected_notes(edition, scheme)]
    front_matter = 1  # title, copyright and contents: a section without folio
    back_matter = 2  # the calendar of documents and the index of correspondents, after the last document
    index_columns = 2  # the index's entries are a two-column section of their own, closed by a
    # continuous break so that the word processor balances its columns (the body's last, empty, section)
    containers = len(edition.documents) + len(edition.chapters) + back_matter
    assert sections == front_matter + index_columns + (containers if scheme == "per-document" else 1)


# --- text, styles, headings, metadata --------------------------------------------------------

def test_source_text_comes_out_verbatim(built):
    edition, docx = built[("sample", "per-document")]
    paragraphs = [text_of(par) for par in part(docx, "word/document.xml").iter(W + "p")]
    assert NASTY in paragraphs
    assert "Здравствуйте, товарищ Сталин! Ёлки, щи, «кавычки» — тире1." in paragraphs
    notes = [text_of(n) for n in real_footnotes(docx)]
    assert " A note on the enclosure with <b>markup</b> & [brackets] *stars*." in notes
    document_xml = "\n".join(paragraphs)
    # Metadata and debris are not body text.
    assert "Marx-Engels" not in document_xml and "Government" not in document_xml


SPECIAL = st.sampled_from(list("[]#*<>&_`~{}\\$|!'\"") + ["]]>", "<!--", "&amp;", "\\\\", "  ", "—", "Ё"])


@settings(max_examples=12, deadline=None)
@given(body=st.lists(st.one_of(SPECIAL, st.text(st.characters(
    blacklist_categories=("Cc", "Cs", "Cf", "Co", "Cn")), max_size=12)), min_size=1, max_size=8).map("".join),
       note=st.text(st.characters(blacklist_categories=("Cc", "Cs", "Cf", "Co", "Cn")), min_size=1, max_size=30))
def test_any_text_comes_out_verbatim(tmp_path_factory, body, note):
    doc = Document(id="d", heading=body, body=[p(body, 1)],
                   footnotes=[Footnote(number=1, text=note)])
    edition = Edition(title=body or "t", chapters=[Chapter(title="c", documents=[doc])])
    docx = export(edition, tmp_path_factory.mktemp("any") / "any.docx")
    paragraphs = [text_of(par) for par in part(docx, "word/document.xml").iter(W + "p")]
    paragraphs = paragraphs[:len(paragraphs) - 1 - paragraphs[::-1].index("Calendar of documents")]
    assert paragraphs[-2:] == [f"1. {body}", body + "1"]  # the heading, then the text and its mark
    assert [text_of(n) for n in real_footnotes(docx)] == [" " + note]


def test_every_named_style_is_used_and_defined_in_the_reference_document(built):
    edition, docx = built[("sample", "per-document")]
    used = {pstyle(par) for par in part(docx, "word/document.xml").iter(W + "p")}
    used |= {pstyle(par) for n in real_footnotes(docx) for par in n.iter(W + "p")}
    reference = part(ROOT / "src" / "corresp" / "styles" / "reference.docx", "word/styles.xml")
    defined = {s.find(f"{W}name").get(W + "val"): s for s in reference.iter(W + "style")}
    output_styles = {s.get(W + "styleId") for s in part(docx, "word/styles.xml").iter(W + "style")}
    for name in NAMED_STYLES:
        assert name in defined, f"{name} missing from the default reference.docx"
        assert defined[name].get(W + "styleId") == style_id(name)
        if name not in ("Series", "Imprint", "Credit Caption"):  # only when the edition has them
            assert style_id(name) in used, f"{name} not used"
        assert style_id(name) in output_styles
    # Every role the model yields has its style.
    roles = {role for d in edition.documents for role, _ in d.iter_parts()}
    assert roles == set(ROLE_STYLES)


def test_chapters_are_heading_1_and_documents_heading_2_in_word(built):
    edition, docx = built[("seed", "per-document")]
    paragraphs = list(part(docx, "word/document.xml").iter(W + "p"))
    chapters = [text_of(x) for x in paragraphs if pstyle(x) == "Heading1"]
    documents = [text_of(x) for x in paragraphs if pstyle(x) == style_id(DOCUMENT_HEADING)]
    assert chapters == [c.title for c in edition.chapters] + ["Calendar of documents", "Index of correspondents"]
    assert documents == [numbered(edition, d) for d in edition.documents]
    styles = {s.get(W + "styleId"): s for s in part(docx, "word/styles.xml").iter(W + "style")}
    heading = styles[style_id(DOCUMENT_HEADING)]
    assert heading.find(f"{W}basedOn").get(W + "val") == "Heading2"
    assert styles["Heading2"].find(f"{W}pPr/{W}outlineLvl").get(W + "val") == "1"
    assert styles["Heading1"].find(f"{W}pPr/{W}outlineLvl").get(W + "val") == "0"


def test_index_of_correspondents_links_to_the_document_headings(built):
    from corresp.correspondents import correspondents, sent_and_received
    edition, docx = built[("seed", "per-document")]
    body = part(docx, "word/document.xml")
    # Bookmark -> the heading it marks (pandoc shortens names over Word's 40 characters).
    heading_at = {b.get(W + "name"): text_of(par) for par in body.iter(W + "p")
                  if pstyle(par) == style_id(DOCUMENT_HEADING) for b in par.iter(W + "bookmarkStart")}
    entries = [par for par in body.iter(W + "p") if pstyle(par) == "IndexEntry"][1:]  # after the line explaining it
    expected = correspondents(edition)
    # the name first, then what they sent and what they received, each on a line of its own
    assert [par.find(f".//{W}t").text for par in entries] == [e.shown for e in expected]
    assert all(len(par.findall(f".//{W}br")) == sum(1 for g in sent_and_received(e) if g)
               for par, e in zip(entries, expected))
    for par, entry in zip(entries, expected):
        links = list(par.iter(W + "hyperlink"))
        from corresp.correspondents import sent_and_received
        from corresp.numbering import document_numbers
        docs = [d for group in sent_and_received(entry) for d in group]  # sent, then received
        assert [heading_at.get(a.get(W + "anchor")) for a in links] == [numbered(edition, d) for d in docs]
        # each document by its number, its page in parentheses (a PAGEREF field to its heading's
        # bookmark, showing the estimated page until the word processor updates it): the PDF's form
        numbers = document_numbers(edition)
        assert [text_of(a) for a in links] == [str(numbers[d.id]) for d in docs]
        refs = [i.text.split()[1] for i in par.iter(W + "instrText")]
        assert refs == [f"_TocDoc{numbers[d.id]}" for d in docs]
        shown = re.findall(r"(\d+)\u00a0\((\d+)\)", text_of(par))
        assert [int(n) for n, _ in shown] == [numbers[d.id] for d in docs]  # every page cached, none empty
        assert ("sent:" in text_of(par)) == bool(entry.wrote)


def test_core_properties_and_languages(built):
    edition, docx = built[("sample", "per-document")]
    core = part(docx, "docProps/core.xml")
    dc = "{http://purl.org/dc/elements/1.1/}"
    assert core.find(dc + "title").text == edition.title
    assert core.find(dc + "language").text == edition.language
    runs = part(docx, "word/document.xml").iter(W + "r")
    russian = [r for r in runs if "Здравствуйте" in text_of(r)]
    assert russian and all(r.find(f"{W}rPr/{W}lang").get(W + "val") == "ru" for r in russian)


def test_same_input_and_epoch_give_identical_bytes(tmp_path):
    edition = full_sample()
    a = export(edition, tmp_path / "a.docx", epoch=1700000000).read_bytes()
    b = export(edition, tmp_path / "b.docx", epoch=1700000000).read_bytes()
    c = export(edition, tmp_path / "c.docx", epoch=1600000000).read_bytes()
    assert a == b
    assert a != c
    with zipfile.ZipFile(tmp_path / "a.docx") as z:
        assert {i.date_time for i in z.infolist()} == {(2023, 11, 14, 22, 13, 20)}
        assert b"2023-11-14T22:13:20Z" in z.read("docProps/core.xml")


def test_registered_and_falls_back_to_the_built_in_style_sheet(tmp_path):
    from corresp.exporters import registry
    exporter = registry(reload=True).get("docx")
    assert isinstance(exporter, DocxExporter) and exporter.extension == ".docx"
    options = ExportOptions(style_dir=tmp_path)  # a style folder without reference.docx
    exporter.export(sample_edition(), tmp_path / "out.docx", options)
    assert options.warnings == []  # takes the default one: a style folder may hold any part
    assert len(real_footnotes(tmp_path / "out.docx")) == 7


def test_a_style_sheet_missing_a_style_is_reported(tmp_path):
    with zipfile.ZipFile(ROOT / "src" / "corresp" / "styles" / "reference.docx") as source, \
            zipfile.ZipFile(tmp_path / "reference.docx", "w") as edited:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/styles.xml":
                styles = etree.fromstring(data)
                for style in styles.iter(W + "style"):
                    if style.get(W + "styleId") == "Dateline":
                        styles.remove(style)
                data = etree.tostring(styles)
            edited.writestr(info, data)
    options = ExportOptions(style_dir=tmp_path)
    DocxExporter().export(sample_edition(), tmp_path / "out.docx", options)
    assert len(options.warnings) == 1 and "no style Dateline" in options.warnings[0]


def test_api_version_comes_from_the_bundled_pandoc():
    version = pandoc_run.api_version()
    assert version[0] == 1 and all(isinstance(v, int) for v in version)


def test_reference_docx_is_what_the_committed_script_makes(tmp_path):
    out = tmp_path / "reference.docx"
    subprocess.run([sys.executable, str(ROOT / "tools" / "make_reference_docx.py"), str(out)],
                   check=True, capture_output=True)
    assert out.read_bytes() == (ROOT / "src" / "corresp" / "styles" / "reference.docx").read_bytes()


# --- a real client ---------------------------------------------------------------------------

def _pdf_text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def _foot_pattern(label: str, text: str) -> re.Pattern:
    words = text.split()[:6]
    # a document's first note carries its number after the mark ("1 No. 12 On August…")
    return re.compile(r"(?:^|\n)" + re.escape(label) + r"\s*(?:(?:No\.|№)\s*\d+\s*)?"
                      + r"\s+".join(map(re.escape, words)))


@pytest.mark.parametrize("name", ["sample", "seed"])
@pytest.mark.parametrize("scheme", SCHEMES)
def test_libreoffice_shows_the_models_numbers_at_the_foot(built, pdfs, name, scheme):
    edition, _ = built[(name, scheme)]
    text = _pdf_text(pdfs[(name, scheme)])
    position = 0
    for key, label, note in expected_notes(edition, scheme):
        found = _foot_pattern(label, note).search(text, position)
        assert found, f"note {label} of {key} ({note[:40]!r}) not shown at the foot"
        position = found.end()
    if scheme == "per-document":
        firsts = {}
        for key, label, _ in expected_notes(edition, scheme):
            firsts.setdefault(key, label)
        assert set(firsts.values()) == {"1"}  # each document's notes start at 1


@pytest.mark.parametrize("scheme,marker", [("per-document", "towers1."), ("continuous", "towers5.")])
def test_libreoffice_shows_the_models_numbers_in_the_body(pdfs, scheme, marker):
    text = _pdf_text(pdfs[("sample", scheme)])
    assert marker in text  # the letter's only note: 1 per document, 5th of the edition
    assert ("Knorin1." if scheme == "per-document" else "Knorin2.") in text
    assert "Здравствуйте, товарищ Сталин!" in text  # Cyrillic renders


def test_libreoffice_lists_chapters_and_documents_in_the_outline(built, pdfs):
    edition, _ = built[("seed", "per-document")]
    outline = pdfs[("seed", "per-document")].outline
    chapters = [item["/Title"] for item in outline if not isinstance(item, list)]
    documents = [item["/Title"] for sub in outline if isinstance(sub, list) for item in sub]
    assert chapters == [c.title for c in edition.chapters] + ["Calendar of documents", "Index of correspondents"]
    assert documents == [numbered(edition, d) for d in edition.documents]


def test_pandoc_gets_its_collector_sized_and_one_refusing_the_setting_still_writes_the_same_docx(
        tmp_path, monkeypatch):
    """pandoc_run sizes pandoc's old generation to the document (GHCRTS, for speed only); a
    pandoc that refuses runtime settings (linked without -rtsopts; here an unknown flag
    makes it refuse) is run again as it comes, and the bytes are the same either way."""
    assert pandoc_run.gc_settings(19 << 20) == "-O228m" and pandoc_run.gc_settings(100) == "-O1m"
    monkeypatch.delenv("GHCRTS", raising=False)
    sized = export(sample_edition(), tmp_path / "sized.docx", epoch=1767225600).read_bytes()
    monkeypatch.setattr(pandoc_run, "gc_settings", lambda size: "-Zbogus")
    refused = export(sample_edition(), tmp_path / "refused.docx", epoch=1767225600).read_bytes()
    assert refused == sized
