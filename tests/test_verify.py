"""Cross-format proof: `corresp verify` reads every format back and compares the notes."""
import shutil
import subprocess
import sys
import zipfile

import pytest

from conftest import SEED
from corresp.build import build, export_one
from corresp.exporters import ExportOptions
from corresp.verify import verify_dir


@pytest.fixture(scope="module", params=["per-document", "continuous"])
def built(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(f"verify-{request.param}")
    result = build([SEED], out, options=ExportOptions(notes=request.param))
    return out, result.edition, request.param


def test_all_formats_agree(built):
    out, edition, scheme = built
    problems, checked = verify_dir(out)
    assert problems == []
    assert sorted(p.suffix for p in checked) == [".docx", ".epub", ".json", ".pdf", ".pdf", ".xml"]


def _tampered(edition):
    """The same edition with note 2 of one document reworded."""
    ed = edition.model_copy(deep=True)
    doc = next(d for d in ed.documents if len(d.footnotes) >= 2)
    doc.footnotes[1].text = "A forged note text that is not in the JSON edition at all."
    return ed, doc


@pytest.mark.parametrize("fmt", ["epub", "docx", "pdf"])
def test_a_format_with_a_changed_note_is_caught(built, tmp_path, fmt):
    out, edition, scheme = built
    work = tmp_path / "out"
    shutil.copytree(out, work)
    ed, doc = _tampered(edition)
    export_one(ed, fmt, work, SEED.stem, ExportOptions(notes=scheme))
    problems, _ = verify_dir(work)
    label = "2" if scheme == "per-document" else None
    assert problems, "the forged note went unnoticed"
    assert all(p.startswith(str(work / f"{SEED.stem}.{fmt}")) for p in problems)
    assert any(f": {doc.id}: note " in p or "note" in p for p in problems)
    if label:
        assert any(f"note {label}: " in p for p in problems)


def test_epub_with_a_renumbered_note_is_caught(built, tmp_path):
    out, edition, scheme = built
    if scheme != "per-document":
        pytest.skip("one scheme is enough for the zip surgery")
    src = out / f"{SEED.stem}.epub"
    dst = tmp_path / f"{SEED.stem}.epub"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.endswith("chapter-001.xhtml"):
                data = data.replace(b'role="doc-backlink">2</a>', b'role="doc-backlink">7</a>', 1)
            zout.writestr(item, data)
    shutil.copy(out / f"{SEED.stem}.json", tmp_path)
    problems, _ = verify_dir(tmp_path)
    assert any("note 2: numbered '7'" in p for p in problems)


def test_verify_cli_exit_code(built, tmp_path):
    out, edition, scheme = built
    ok = subprocess.run([sys.executable, "-m", "corresp", "verify", str(out)], capture_output=True, text=True)
    assert ok.returncode == 0 and "the same documents and notes in every format" in ok.stderr
    work = tmp_path / "o"
    shutil.copytree(out, work)
    ed, doc = _tampered(edition)
    export_one(ed, "docx", work, SEED.stem, ExportOptions(notes=scheme))
    bad = subprocess.run([sys.executable, "-m", "corresp", "verify", str(work)], capture_output=True, text=True)
    assert bad.returncode == 5
    assert f"{work / SEED.stem}.docx: {doc.id}: note" in bad.stderr


# --- issue 18: verify on valid editions that used to fail, and on broken parts -------------

def test_characters_the_pdf_fonts_cannot_show_are_not_a_difference(seed_edition, tmp_path):
    from corresp.model import Text
    ed = seed_edition.model_copy(deep=True)
    doc = next(d for d in ed.documents if d.footnotes)
    doc.footnotes[0].text = "漢字 " + doc.footnotes[0].text + " 漢字"  # Liberation Serif has no CJK
    body = next(p for role, p in doc.iter_parts() if role == "body")
    body.content.insert(0, Text(text="中文 "))
    options = ExportOptions()
    for fmt in ("json", "pdf"):
        export_one(ed, fmt, tmp_path, "e", options)
    problems, _ = verify_dir(tmp_path)
    assert problems == []


def test_a_paragraph_over_10_mb_reads_back(seed_edition, tmp_path):
    from corresp.model import Text
    ed = seed_edition.model_copy(deep=True)
    body = next(p for role, p in ed.documents[0].iter_parts() if role == "body")
    body.content.append(Text(text=" word" * 2_200_000))  # 11 MB
    for fmt in ("json", "epub", "tei"):
        export_one(ed, fmt, tmp_path, "e", ExportOptions())
    problems, _ = verify_dir(tmp_path)
    assert problems == []


def test_an_ill_formed_xml_part_is_a_finding(built, tmp_path):
    out, edition, scheme = built
    if scheme != "per-document":
        pytest.skip("one scheme is enough")
    shutil.copy(out / f"{SEED.stem}.json", tmp_path)
    with zipfile.ZipFile(out / f"{SEED.stem}.docx") as zin, \
            zipfile.ZipFile(tmp_path / f"{SEED.stem}.docx", "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = data.replace(b"</cp:coreProperties>", b"\x01</cp:coreProperties>")
            zout.writestr(item, data)
    problems, _ = verify_dir(tmp_path)
    assert any("docProps/core.xml is not well-formed XML" in p for p in problems), problems


def test_an_outline_of_100000_letters_reads(tmp_path):
    """pypdf stopped at 100,000 outline entries; the outline is now read iteratively."""
    import pikepdf
    from corresp.verify.pdf_reader import _outline
    pdf = pikepdf.new()
    pdf.add_blank_page()
    with pdf.open_outline() as outline:
        chapter = pikepdf.OutlineItem("Chapter", 0)
        chapter.children.extend(pikepdf.OutlineItem(f"Letter {i}", 0) for i in range(100_000))
        outline.root.append(chapter)
    pdf.save(tmp_path / "o.pdf")
    with pikepdf.open(tmp_path / "o.pdf") as again:
        entries = _outline(again, {"Chapter"})
    assert len(entries) == 100_001 and entries[-1] == ("document", "Letter 99999", 0)


def test_a_typeset_chapter_title_without_notes_is_still_its_chapter(tmp_path):
    """A chapter without notes is matched to the JSON's by its title as headings are
    compared (folded the way the format needs): the PDF prints `October 1932—July 1934`
    for the source's `October 1932 – July 1934`, and that is the same chapter, not an
    extra heading to leave out (found by tests/test_fuzz_exporters.py: the titles were
    compared raw, the chapter dropped, and every entry after it compared with the one
    before)."""
    from corresp.typography import fold
    from corresp.verify import INTRO, DocNotes, compare
    ref = [DocNotes(None, "October 1932 – July 1934", kind=INTRO), DocNotes("a", "Stalin to Kaganovich")]
    got = [DocNotes(None, "October\u00a01932\u2014July\u00a01934", kind=INTRO), DocNotes(None, "1. Stalin to Kaganovich")]
    # as the PDF's tagged text is compared: the reference folded to what the fonts show,
    # both without spaces (a line break drops them), nothing applied to both
    assert compare(ref, got, "book.pdf", fold=fold, key=lambda t: t.replace(" ", "")) == []
    assert compare(ref, got, "book.epub", present=fold) == []
