"""The DOCX as an editor's copy, read as LibreOffice lays it out: a filled contents with the
pages the letters fall on, notes of several letters on one page told apart, the publisher's
pages (title, credits, imprint, ISBNs) with no folio on the title page, the calendar as a
table, the index in two columns, and the document's properties."""
from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from corresp.exporters import ExportOptions
from corresp.exporters.docx import DocxExporter
from corresp.model import Publication
from corresp.correspondents import correspondents
from corresp.numbering import document_numbers, numbered_heading

from test_docx import ROOT, W, expected_notes, seed_edition
from test_epub import russian_edition

PUBLICATION = Publication(publisher="Northgate Academic Press", place="Leeds", series="Documents of Soviet History",
                          translators=["S. Shabad"], rights="© 2026 Northgate Academic Press.",
                          isbn={"epub": "978-1-915247-21-6", "print": "978-1-915247-01-8"})


def _export(edition, path: Path) -> Path:
    DocxExporter().export(edition, path, ExportOptions(style_dir=ROOT / "src" / "corresp" / "styles"))
    return path


@pytest.fixture(scope="module")
def volume(tmp_path_factory):
    """The seed as a publisher's volume, and its pages as LibreOffice prints them."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    edition = seed_edition()
    edition.editors = ["O. V. Khlevniuk", "R. W. Davies"]
    edition.subtitle = "August 1935"
    edition.publication = PUBLICATION
    out = tmp_path_factory.mktemp("docx-press")
    docx = _export(edition, out / "volume.docx")
    pages = None
    if soffice and _times_metrics():
        profile = tmp_path_factory.mktemp("lo-profile")
        subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(out), str(docx)], check=True, capture_output=True, timeout=180)
        text = subprocess.run(["pdftotext", "-layout", str(out / "volume.pdf"), "-"], capture_output=True,
                              text=True, check=True).stdout
        pages = text.split("\f")[:-1]
    return edition, docx, pages


def _times_metrics() -> bool:
    """Is there a face with Times New Roman's metrics (the reference.docx's), so that
    LibreOffice breaks lines where Word does? (Liberation Serif: .ci/run installs it.)"""
    match = subprocess.run(["fc-match", "-f", "%{family}", "Times New Roman"], capture_output=True, text=True) \
        if shutil.which("fc-match") else None
    return match is not None and any(f in match.stdout for f in ("Times New Roman", "Liberation Serif", "Tinos"))


def _need(pages):
    if pages is None:
        pytest.skip("LibreOffice is not installed, or no face has Times New Roman's metrics (fonts-liberation)")
    return pages


def _folio(page: str):
    """The number printed alone on the page's last line, or None."""
    lines = [l.strip() for l in page.splitlines() if l.strip()]
    return int(lines[-1]) if lines and lines[-1].isdigit() else None


def _squeeze(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def test_libreoffice_prints_the_contents_with_the_page_of_every_letter(volume):
    edition, _, pages = volume
    pages = _need(pages)
    numbers = document_numbers(edition)
    contents = next(i for i, p in enumerate(pages) if any("Contents" in l for l in p.splitlines()[:3]))
    entries = {}
    for line in "\n".join(pages[contents:contents + 3]).splitlines():
        m = re.match(r"\s*(.+?)\.{3,}\s*(\d+)\s*$", line)
        if m:
            entries[_squeeze(m.group(1))] = int(m.group(2))
    by_folio = {_folio(p): p for p in pages if _folio(p) is not None}
    for doc in edition.documents:
        heading = _squeeze(numbered_heading(numbers[doc.id], doc.heading))
        assert heading in entries, f"no contents entry for {heading!r}"
        page = by_folio[entries[heading]]
        assert heading in _squeeze(page), f"{heading!r} is not on page {entries[heading]}"
    assert "Calendar of documents" in entries and "Index of correspondents" in entries


def test_no_folio_on_the_title_copyright_and_contents_pages_and_1_on_the_first_chapter(volume):
    edition, _, pages = volume
    pages = _need(pages)
    assert [_folio(p) for p in pages[:3]] == [None, None, None]
    first_chapter = next(i for i, p in enumerate(pages) if edition.chapters[0].title in p and i > 2)
    assert _folio(pages[first_chapter]) == 1


def test_title_and_copyright_pages_carry_the_imprint_credits_and_isbns(volume):
    edition, _, pages = volume
    pages = _need(pages)
    title, rights = _squeeze(pages[0]), _squeeze(pages[1])
    for text in ("Documents of Soviet History", edition.title, "August 1935", "Edited by", "O. V. Khlevniuk",
                 "Translated by", "S. Shabad", "Northgate Academic Press, Leeds"):
        assert text in title
    assert "ISBN 978-1-915247-21-6 (EPUB)" in rights and "ISBN 978-1-915247-01-8 (print)" in rights
    assert "© 2026 Northgate Academic Press." in rights and ".txt" not in rights


def test_every_pages_notes_can_be_told_apart(volume):
    """On a page with notes of several letters, each letter's notes but the first one's
    (which may continue from the page before) begin with the letter's number."""
    edition, _, pages = volume
    pages = _need(pages)
    numbers = document_numbers(edition)
    notes = [(key, text) for key, _, text in expected_notes(edition, "per-document") if key in numbers]
    where = []
    start = 0
    for key, text in notes:
        probe = _squeeze(text)[:50]
        while probe not in _squeeze(pages[start]):
            start += 1
        where.append((start, key))
    several = 0
    for page in sorted({p for p, _ in where}):
        keys = list(dict.fromkeys(k for p, k in where if p == page))
        labels = set(re.findall(r"No\.\s*(\d+)", _squeeze(pages[page])))
        for key in keys[1:]:
            assert str(numbers[key]) in labels, f"page {page + 1}: the notes of No. {numbers[key]} are not labelled"
        several += len(keys) > 1
    assert several >= 3  # the seed has pages with notes of several letters


def test_calendar_is_a_table_that_keeps_shelfmarks_whole_with_page_fields(volume):
    edition, docx, pages = volume
    with zipfile.ZipFile(docx) as z:
        body = etree.fromstring(z.read("word/document.xml"))
    table = body.find(f".//{W}tbl")
    rows = table.findall(f"{W}tr")
    assert len(rows) == len(edition.documents) + 1 and all(len(r.findall(f"{W}tc")) == 5 for r in rows)
    first = rows[1].findall(f"{W}tc")
    assert "F.\u00a0558" in "".join(first[3].itertext())
    assert "PAGEREF _TocDoc1" in "".join(t.text or "" for t in first[4].iter(f"{W}instrText"))
    # the index's entries: two columns in a section the index's last paragraph closes
    last = [p for p in body.find(f"{W}body") if p.tag == f"{W}p"][-1]
    cols = last.find(f"{W}pPr/{W}sectPr/{W}cols")
    assert cols is not None and cols.get(f"{W}num") == "2"
    assert body.find(f"{W}body/{W}sectPr/{W}cols") is None or body.find(f"{W}body/{W}sectPr/{W}cols").get(f"{W}num") in (None, "1")
    if pages is not None:
        calendar = next(p for p in pages if "Calendar of documents" in p and "Correspondents" in p)
        assert re.search(r"\n\s*1\s+August 14, 1935\s+Kaganovich, Yezhov → Stalin\s+RGASPI F\. 558\. Op\. 11\. D\. 88\. L\. 9\.\s.*\s1\s*\n",
                         calendar.replace("\u00a0", " "))


def test_document_properties(volume):
    edition, docx, _ = volume
    with zipfile.ZipFile(docx) as z:
        core = etree.fromstring(z.read("docProps/core.xml"))
    dc = "{http://purl.org/dc/elements/1.1/}"
    assert core.findtext(dc + "title") == edition.title
    assert core.findtext(dc + "creator") == "O. V. Khlevniuk; R. W. Davies"
    assert core.findtext(dc + "subject") == "August 1935"
    assert core.findtext(dc + "language") == "en"


def test_a_russian_docx_says_its_fixed_words_in_russian(tmp_path):
    edition = russian_edition()
    docx = _export(edition, tmp_path / "ru.docx")
    with zipfile.ZipFile(docx) as z:
        text = " ".join(etree.fromstring(z.read("word/document.xml")).itertext())
        notes = " ".join(etree.fromstring(z.read("word/footnotes.xml")).itertext())
    assert "Содержание" in text and "Перечень документов" in text and "Сверстано" in text
    assert "Contents" not in text and "Typeset" not in text
    assert "№\u00a01" in notes


def test_libreoffice_fills_every_page_but_a_chapters_last(volume):
    """No near-empty pages in the middle of the letters (LibreOffice pushes a paragraph whose
    long notes do not fit onto a page of its own under some styles)."""
    edition, _, pages = volume
    pages = _need(pages)
    first = next(i for i, p in enumerate(pages) if i > 2 and edition.chapters[0].title in p)
    calendar = next(i for i, p in enumerate(pages) if i > first and "Calendar of documents" in p)
    for i in range(first, calendar - 1):  # the chapter's last page may end short
        lines = [l for l in pages[i].splitlines() if l.strip()]
        assert len(lines) >= 15, f"page {i + 1} holds only {len(lines)} lines"


def test_libreoffice_prints_the_index_by_number_with_the_page_of_every_letter(volume):
    """The index reads as the PDF's, `sent: 1 (1), 3 (2)`: each number with the page
    LibreOffice laid the letter's heading on (a run of `No. 1, August 14, 1935, No. 3, …`
    could not be told apart)."""
    edition, _, pages = volume
    pages = _need(pages)
    numbers = document_numbers(edition)
    heading_page = {}
    for doc in edition.documents:
        heading = _squeeze(numbered_heading(numbers[doc.id], doc.heading))
        heading_page[numbers[doc.id]] = next(_folio(p) for p in pages[3:] if heading in _squeeze(p))
    start = next(i for i, p in enumerate(pages) if "Index of correspondents" in p and i > 3)
    index = _squeeze(" ".join(pages[start:]))
    assert "with the page in parentheses" in index and "August 14, 1935" not in index
    refs = [(int(n), int(p)) for n, p in re.findall(r"(\d+) \((\d+)\)", index)]
    assert len(refs) == sum(len(e.documents) for e in correspondents(edition))
    assert all(heading_page[n] == p for n, p in refs), [(n, p, heading_page[n]) for n, p in refs if heading_page[n] != p]


def test_a_range_in_a_shelfmark_is_held_together_in_the_calendar(tmp_path):
    """`Л. 1–3` never breaks after its dash (LibreOffice printed `Л. 1–` / `3.` in the
    calendar's narrow column): a word joiner follows the dash in the DOCX and the EPUB;
    the PDF's own line breaker holds it (unchanged characters there)."""
    from corresp.calendar import unbroken
    assert unbroken("РГАСПИ Ф. 558. Оп. 11. Д. 767. Л. 1–3.", ranges=True) == \
        "РГАСПИ Ф.\u00a0558. Оп.\u00a011. Д.\u00a0767. Л.\u00a01–\u20603."
    assert unbroken("L. 110-110 ob.") == "L.\u00a0110-110 ob."
    # an opis misread by OCR (`Оп. П.`, kept as written) stays with its label (the PDF broke `Оп. / П.`)
    assert "Оп.\u00a0П." in unbroken("Ф. 17. Оп. П. Д. 950. Л. 60.")
    edition = seed_edition()
    docx = _export(edition, tmp_path / "seed.docx")
    with zipfile.ZipFile(docx) as z:
        body = etree.fromstring(z.read("word/document.xml"))
    cells = ["".join(row.findall(f"{W}tc")[3].itertext()) for row in body.find(f".//{W}tbl").findall(f"{W}tr")[1:]]
    ranged = [c for c in cells if re.search(r"\d[–-]\u2060?\d", c)]
    assert ranged and all(re.search(r"\d[–-]\u2060\d", c) for c in ranged)


def test_libreoffice_balances_the_index_columns(volume):
    """The index's last page has entries in both columns (the document's last section was
    the two-column one, and LibreOffice filled its left column alone)."""
    edition, _, pages = volume
    pages = _need(pages)
    index = [p for i, p in enumerate(pages) if i > 3 and "Index of correspondents" in p][-1]
    names = [e.shown for e in correspondents(edition)]
    right = [n for n in names if re.search(rf"\S\s{{3,}}{re.escape(n)}\s*$", index, re.M)]
    left = [n for n in names if re.search(rf"^\s*{re.escape(n)}(\s{{3,}}|\s*$)", index, re.M)]
    assert right and left, index
