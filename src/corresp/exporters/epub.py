"""The EPUB 3 edition: one XHTML page per chapter, notes that pop up and number like the book.

Pages are built with lxml (see `epub_parts`), handed to ebooklib as bytes to write the
package (OPF, NCX for older readers, container), whose entries are zipped canonically so
two builds with the same SOURCE_DATE_EPOCH are byte-identical.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from ebooklib import epub

from ..calendar import calendar, calendar_title
from ..correspondents import correspondents, index_title
from ..errors import ExportError
from ..i18n import words
from ..metadata import image_size, publication
from ..model import Edition, Text
from . import ExportOptions, style_file
from .cover import cover_png
from .epub_parts.calendar_page import CALENDAR_ANCHOR, CALENDAR_FILE, HeadingPages, calendar_page
from .epub_parts.canonical_zip import EntryCollector, canonical_epub
from .epub_parts.chapter_page import chapter_anchor, chapter_page
from .epub_parts.front_matter import COVER_FILE, NAV_FILE, TITLE_FILE, cover_page, nav_page, title_page
from .epub_parts.index_page import INDEX_ANCHOR, INDEX_FILE, index_page
from .epub_parts.package_language import opf_with_language
from .epub_parts.package_metadata import add_metadata
from .epub_parts.page_list import print_page_breaks
from .epub_parts.xhtml import has_unsafe_characters

TEXT_DIR = "text"
CSS_NAME = "epub.css"
CSS_PATH = f"styles/{CSS_NAME}"
CSS_HREF = f"../{CSS_PATH}"  # as seen from the pages in TEXT_DIR
XHTML = "application/xhtml+xml"


def chapter_file_names(count: int) -> list[str]:
    width = max(3, len(str(count)))
    return [f"chapter-{i + 1:0{width}d}.xhtml" for i in range(count)]


def read_style(options: ExportOptions) -> bytes:
    css = style_file(options.style_dir, CSS_NAME)  # the style folder's, else the default
    from ..files import read_regular
    return read_regular(css, "style", ExportError, f"the EPUB style sheet {css}")


def _page(uid: str, name: str, content: bytes) -> epub.EpubItem:
    # A plain EpubItem is written verbatim; EpubHtml would re-parse our XHTML as HTML.
    return epub.EpubItem(uid=uid, file_name=f"{TEXT_DIR}/{name}", media_type=XHTML, content=content)


def accessibility_summary(edition: Edition, labels: dict[str, str]) -> str:
    """What the book holds, counted: the fixed summary, then the numbers a reader can check."""
    docs = len(edition.documents)
    notes = sum(len(d.footnotes) for d in edition.documents) + sum(len(c.notes) for c in edition.chapters)
    return labels["summary"] + " " + labels["summary_counts"].format(documents=docs, notes=notes)


def _cover(book: epub.EpubBook, edition: Edition, options: ExportOptions):
    """The cover image and its page: the one edition.toml gives (checked when it was read),
    else one drawn from the title, subtitle, editors and series (exporters.cover)."""
    path = publication(edition).cover
    if path:
        from ..files import read_regular
        data = read_regular(path, "cover", ExportError, f"cover {path}")
    else:
        data = cover_png(edition, options.style_dir)
    info = image_size(data)
    if info is None:
        raise ExportError(f"the cover {path} is neither a JPEG nor a PNG")
    name = "images/cover." + ("png" if info[0] == "image/png" else "jpg")
    image = epub.EpubItem(uid="cover-image", file_name=name, media_type=info[0], content=data)
    image.properties = ["cover-image"]
    book.add_item(image)
    book.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-image"})  # EPUB 2 readers
    return _page("cover", COVER_FILE, cover_page(edition, f"../{name}", CSS_HREF))


def build_book(edition: Edition, options: ExportOptions) -> epub.EpubBook:
    labels = words(edition.language)
    numbers = options.numbers(edition)
    files = chapter_file_names(len(edition.chapters))

    breaks = print_page_breaks(edition, options)  # the print edition's pages, if it has one
    book = epub.EpubBook()
    add_metadata(book, edition, accessibility_summary(edition, labels), options.source_date_epoch,
                 page_list=breaks is not None)
    book.add_item(epub.EpubItem(uid="style", file_name=CSS_PATH, media_type="text/css",
                                content=read_style(options)))

    title = _page("title", TITLE_FILE, title_page(edition, labels, CSS_HREF, breaks=breaks))
    entries = correspondents(edition)
    pages = [title]
    rows = calendar(edition)
    # With a page column in the calendar: the printed page each letter's heading is on.
    headings = (HeadingPages({doc.id for chapter in edition.chapters for doc in chapter.documents})
                if rows and breaks is not None else None)
    for ci, (chapter, name) in enumerate(zip(edition.chapters, files)):
        pages.append(_page(f"chapter-{ci + 1}", name,
                           chapter_page(chapter, ci, numbers, edition.language, CSS_HREF, breaks, name,
                                        headings)))
    file_of = {doc.id: name for chapter, name in zip(edition.chapters, files) for doc in chapter.documents}
    if rows:
        printed = headings.found if headings is not None else None
        pages.append(_page("calendar", CALENDAR_FILE, calendar_page(edition, rows, file_of, CSS_HREF, breaks,
                                                                    printed)))
    index = (_page("index", INDEX_FILE, index_page(edition, entries, file_of, CSS_HREF, numbers.documents,
                                                   breaks=breaks)) if entries else None)
    # The nav last: its page list links to the markers the pages above hold.
    cover = _cover(book, edition, options)
    nav = _page("nav", NAV_FILE, nav_page(edition, files, labels, CSS_HREF, has_index=bool(entries),
                                          numbers=numbers, breaks=breaks, has_cover=cover is not None))
    nav.properties = ["nav"]
    pages.insert(1, nav)
    if cover is not None:
        pages.insert(0, cover)
    if index is not None:
        pages.append(index)
    for page in pages:
        book.add_item(page)
    book.spine = pages

    # The NCX (EPUB 2 table of contents) for reading systems that ignore the nav document.
    book.add_item(epub.EpubNcx())
    book.toc = [
        (epub.Link(f"{TEXT_DIR}/{name}#{chapter_anchor(ci)}", chapter.title, f"ncx-chapter-{ci + 1}"),
         [epub.Link(f"{TEXT_DIR}/{name}#{doc.id}", numbers.heading(doc), f"ncx-doc-{ci + 1}-{di + 1}")
          for di, doc in enumerate(chapter.documents)])
        for ci, (chapter, name) in enumerate(zip(edition.chapters, files))
    ]
    if rows:
        book.toc.append(epub.Link(f"{TEXT_DIR}/{CALENDAR_FILE}#{CALENDAR_ANCHOR}", calendar_title(edition.language),
                                  "ncx-calendar"))
    if entries:
        book.toc.append(epub.Link(f"{TEXT_DIR}/{INDEX_FILE}#{INDEX_ANCHOR}", index_title(edition.language), "ncx-index"))
    return book


def _check_ids(edition: Edition) -> None:
    """Document ids become XHTML ids and link fragments: they must be one non-empty token."""
    for doc in edition.documents:
        # str.split() cuts at exactly the characters str.isspace() accepts: one token, no space.
        if doc.id.split() != [doc.id] or "#" in doc.id:
            raise ExportError(f"document id {doc.id!r} cannot serve as an anchor in the EPUB "
                              "(empty, or holds whitespace or '#')")


def _warn_unsafe_characters(edition: Edition, options: ExportOptions) -> None:
    """xhtml.xml_safe replaces what XML cannot hold; say where, so the source can be fixed."""
    # Each container's texts are searched joined, one regex search for all: what is looked
    # for is single characters, so the join holds one exactly when a piece does.
    for chapter in edition.chapters:
        texts = [chapter.title, *(p.text for p in chapter.intro), *(n.text for n in chapter.notes)]
        if has_unsafe_characters("".join(texts)):
            options.warnings.append(f"epub: chapter {chapter.title!r} holds control characters XML "
                                    "cannot carry; shown as U+FFFD")
        for doc in chapter.documents:
            texts = [doc.heading, doc.archive_text or "", *(a.text for a in doc.archive),
                     *(i.text for _, p in doc.iter_parts() for i in p.content if isinstance(i, Text)),
                     *(n.text for n in doc.footnotes)]
            if has_unsafe_characters("".join(texts)):
                options.warnings.append(f"epub: document {doc.id} holds control characters XML "
                                        "cannot carry; shown as U+FFFD")


class _EntryWriter(epub.EpubWriter):
    """ebooklib's writer, its zip replaced by an `EntryCollector`: the entries are zipped
    once, canonically (ebooklib's own zip was deflated only to be read back and re-zipped).
    The steps are those of `EpubWriter.write`."""

    def write(self) -> dict[str, bytes]:
        self.out = EntryCollector()
        self.out.writestr("mimetype", "application/epub+zip")
        self._write_container()
        self._write_opf()
        self._write_items()
        return self.out.entries


class EpubExporter:
    name = "epub"
    presents_text = True  # given the edition in house typography (corresp.typography)
    extension = ".epub"
    description = "EPUB 3 e-book: per-chapter pages, pop-up footnotes, nav with every document"

    def export(self, edition: Edition, path: Path, options: ExportOptions) -> None:
        if not edition.chapters:
            raise ExportError("the edition has no chapters: nothing to put in an EPUB")
        _check_ids(edition)
        _warn_unsafe_characters(edition, options)
        book = build_book(edition, options)
        opf_path = f"{book.FOLDER_NAME}/content.opf"  # where ebooklib writes the package document
        modified = dt.datetime.fromtimestamp(options.source_date_epoch, dt.timezone.utc)
        writer = _EntryWriter(None, book, {"mtime": modified, "epub3_pages": False,
                                           "epub2_guide": False, "raise_exceptions": True})
        writer.process()  # as epub.write_epub does before writing
        entries = writer.write()
        try:
            canonical_epub(entries, Path(path), options.source_date_epoch,
                           rewrite=lambda name, data: opf_with_language(data, edition.language)
                           if name == opf_path else data)
        except OSError as exc:
            raise ExportError(f"cannot write the EPUB {path}: {exc.strerror or exc}") from None
