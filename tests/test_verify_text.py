"""verify compares everything a reader reads (issue 18, point 2): a changed word, deleted
paragraphs, a moved or retargeted marker, a deleted note among equal ones — in every format."""
import re
import shutil
import zipfile

import pytest
from lxml import etree

from conftest import SEED
from corresp.build import build, export_one
from corresp.exporters import ExportOptions
from corresp.model import NoteRef, Text
from corresp.verify import marker, read_json, verify_dir, word_diff

FORMATS = ["json", "epub", "pdf", "docx", "tei"]
FILE = {"epub": ".epub", "pdf": ".pdf", "docx": ".docx", "tei": ".tei.xml"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("text")
    result = build([SEED], out, FORMATS)
    return out, result.edition


def _copy(out, tmp_path):
    work = tmp_path / "work"
    shutil.copytree(out, work)
    return work


def _with_word(edition, old: str, new: str):
    ed = edition.model_copy(deep=True)
    for doc in ed.documents:
        for _, p in doc.iter_parts():
            for inline in p.content:
                if isinstance(inline, Text) and f" {old} " in inline.text:
                    inline.text = inline.text.replace(f" {old} ", f" {new} ", 1)
                    return ed, doc
    raise AssertionError(f"{old!r} is not in the seed")


def test_the_seed_agrees_in_every_format(built):
    out, _ = built
    problems, checked = verify_dir(out)
    assert problems == []
    assert {p.name for p in checked} >= {f"{SEED.stem}{e}" for e in FILE.values()}


@pytest.mark.parametrize("fmt", ["epub", "pdf", "docx", "tei"])
def test_a_changed_body_word_is_caught(built, tmp_path, fmt):
    out, edition = built
    work = _copy(out, tmp_path)
    forged, doc = _with_word(edition, "refuses", "accepts")
    export_one(forged, fmt, work, SEED.stem, ExportOptions())
    problems, _ = verify_dir(work)
    target = str(work / f"{SEED.stem}{FILE[fmt]}")
    assert problems and all(p.startswith(target) for p in problems), problems
    hit = [p for p in problems if f": {doc.id}: paragraph " in p]
    assert hit, problems
    assert "refuses" in hit[0] and "accepts" in hit[0]  # the first differing words, quoted


def test_a_moved_marker_is_caught(built, tmp_path):
    out, edition = built
    work = _copy(out, tmp_path)
    ed = edition.model_copy(deep=True)
    doc = next(d for d in ed.documents if any(isinstance(i, NoteRef) and k > 0 for _, p in d.iter_parts()
                                              for k, i in enumerate(p.content)))
    for _, p in doc.iter_parts():
        k = next((k for k, i in enumerate(p.content) if isinstance(i, NoteRef) and k > 0), None)
        if k is not None:  # the marker moves to the paragraph's start
            p.content.insert(0, p.content.pop(k))
            break
    export_one(ed, "docx", work, SEED.stem, ExportOptions())
    problems, _ = verify_dir(work)
    assert any(f": {doc.id}: paragraph " in p and "\u27e8" in p for p in problems), problems


def test_deleted_epub_paragraphs_are_caught(built, tmp_path):
    out, _ = built
    work = _copy(out, tmp_path)
    epub = work / f"{SEED.stem}.epub"
    src = out / f"{SEED.stem}.epub"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(epub, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.endswith("chapter-001.xhtml"):
                page = etree.fromstring(data)
                bodies = page.xpath("//*[local-name()='p'][@class='body']")[10:15]
                for p in bodies:
                    p.getparent().remove(p)
                data = etree.tostring(page, xml_declaration=True, encoding="utf-8")
            zout.writestr(item, data)
    problems, _ = verify_dir(work)
    assert any("paragraphs where the JSON edition has" in p for p in problems), problems


def test_a_retargeted_noteref_is_caught(built, tmp_path):
    """Doc A's noteref 1 pointed at doc B's note 1: same number, another note."""
    out, _ = built
    work = _copy(out, tmp_path)
    epub = work / f"{SEED.stem}.epub"
    with zipfile.ZipFile(out / epub.name) as zin, zipfile.ZipFile(epub, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.endswith("chapter-001.xhtml"):
                notes = re.findall(rb'href="#([^"]+-note-1)"', data)
                assert len(set(notes)) >= 2
                data = data.replace(b'href="#' + notes[0] + b'"', b'href="#' + notes[-1] + b'"', 1)
            zout.writestr(item, data)
    problems, _ = verify_dir(work)
    assert any("\u27e81?\u27e9" in p for p in problems), problems


def test_one_of_two_equal_notes_deleted_from_the_pdf_is_caught(built, tmp_path):
    _, edition = built
    ed = edition.model_copy(deep=True)
    doc = next(d for d in ed.documents if len(d.footnotes) >= 2)
    doc.footnotes[1].text = doc.footnotes[0].text  # two notes with the same text
    out = tmp_path / "out"
    for fmt in ("json", "pdf"):
        export_one(ed, fmt, out, "e", ExportOptions())
    assert verify_dir(out)[0] == []
    forged = ed.model_copy(deep=True)
    fdoc = next(d for d in forged.documents if d.id == doc.id)
    del fdoc.footnotes[1]  # the second note and its marker
    for _, p in fdoc.iter_parts():
        p.content = [i for i in p.content if not (isinstance(i, NoteRef) and i.number == 2)]
    export_one(forged, "pdf", out, "e", ExportOptions())
    problems, _ = verify_dir(out)
    assert any(f": {doc.id}: note 2: missing" in p for p in problems), problems


def test_read_json_gives_markers_in_place(built):
    out, edition = built
    entries = {e.id: e for e in read_json(out / f"{SEED.stem}.json")}
    doc = next(d for d in edition.documents if d.footnotes)
    labelled = [p for p in entries[doc.id].paragraphs if marker("1") in p]
    assert labelled


def test_word_diff_quotes_the_words_around_the_change():
    assert word_diff("Pyatnitsky refuses and asks to be given", "Pyatnitsky accepts and asks to be given") == \
        "expected 'Pyatnitsky refuses and asks …', found 'Pyatnitsky accepts and asks …'"


def test_a_retargeted_docx_footnote_reference_is_caught(built, tmp_path):
    """A reference pointed at another letter's footnote of the same mark (and text)."""
    out, _ = built
    work = _copy(out, tmp_path)
    docx = work / f"{SEED.stem}.docx"
    with zipfile.ZipFile(out / docx.name) as zin, zipfile.ZipFile(docx, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                ids = re.findall(rb'<w:footnoteReference w:id="(\d+)"', data)
                data = data.replace(b'<w:footnoteReference w:id="' + ids[1] + b'"',
                                    b'<w:footnoteReference w:id="' + ids[0] + b'"', 1)
            zout.writestr(item, data)
    problems, _ = verify_dir(work)
    assert any("?\u27e9" in p for p in problems), problems


def test_a_retargeted_pdf_link_is_caught(built, tmp_path):
    """A marker's link pointed at another note's line: the number still shows right."""
    import pikepdf
    out, _ = built
    work = _copy(out, tmp_path)
    pdf_path = work / f"{SEED.stem}.pdf"
    with pikepdf.open(out / pdf_path.name) as pdf:
        markers = [a for page in pdf.pages for a in page.obj.get("/Annots", [])
                   if str(a.get("/Contents", "")).startswith("Note ")]
        first, other = markers[0], next(a for a in markers[1:] if str(a.Contents) == str(markers[0].Contents))
        first.Dest = pikepdf.Array(list(other.Dest))
        pdf.save(pdf_path)
    problems, _ = verify_dir(work)
    assert any("?\u27e9" in p for p in problems), problems
