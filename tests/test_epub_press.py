"""The EPUB as a press ships it: a cover in every book, publisher's pages in the edition's
language with no file name and no invented date."""
from __future__ import annotations

import zipfile


from corresp.exporters import ExportOptions
from corresp.exporters.cover import cover_png
from corresp.exporters.epub import EpubExporter
from corresp.metadata import image_size
from corresp.model import Publication

from sample_edition import sample_edition
from test_epub import NS, STYLES, EpubView, russian_edition, text_of


def build(edition, path):
    EpubExporter().export(edition, path, ExportOptions(style_dir=STYLES, source_date_epoch=1767225600))
    return path


def test_a_drawn_cover_is_large_enough_for_retailers_and_reproducible(tmp_path):
    edition = sample_edition()
    edition.publication = Publication(series="Documents of Soviet History")
    first = cover_png(edition, STYLES)
    kind, width, height = image_size(first)
    assert kind == "image/png" and width >= 1600 and height >= 2560
    assert cover_png(edition, STYLES) == first  # same input, same bytes
    edition.subtitle = "Another subtitle"
    assert cover_png(edition, STYLES) != first  # drawn from the edition's words


def test_every_epub_has_a_cover_image_and_page(tmp_path):
    view = EpubView.open(build(sample_edition(), tmp_path / "s.epub"))
    items = view.opf.xpath(".//opf:manifest/opf:item[contains(@properties, 'cover-image')]", namespaces=NS)
    assert len(items) == 1 and items[0].get("media-type") == "image/png"
    assert view.spine[0] == "text/cover.xhtml"
    with zipfile.ZipFile(tmp_path / "s.epub") as z:
        name = next(n for n in z.namelist() if n.endswith(items[0].get("href")))
        assert image_size(z.read(name))[1:] == (1600, 2560)


def test_no_date_nobody_gave(tmp_path):
    edition = sample_edition()
    edition.publication = Publication(publisher="Northgate Academic Press", place="Leeds")
    view = EpubView.open(build(edition, tmp_path / "s.epub"))
    assert view.dc("date") == []
    title = text_of(view.pages["text/title.xhtml"].find(".//x:section", NS))
    assert "Northgate Academic Press, Leeds" in title and "2026" not in title
    edition.publication = Publication(publisher="Northgate Academic Press", date="2027-05-01")
    view = EpubView.open(build(edition, tmp_path / "d.epub"))
    assert view.dc("date") == ["2027-05-01"]
    assert "Northgate Academic Press, 2027" in text_of(view.pages["text/title.xhtml"].find(".//x:section", NS))


def test_russian_volume_prints_russian_words(tmp_path):
    edition = russian_edition()
    edition.editors = ["О. В. Хлевнюк"]
    edition.publication = Publication(isbn={"print": "978-1-915247-01-8"}, rights="© РОССПЭН")
    view = EpubView.open(build(edition, tmp_path / "r.epub"))
    page = view.pages["text/title.xhtml"]
    text = text_of(page.find(".//x:body", NS))
    assert "Под редакцией О. В. Хлевнюк" in text
    assert "ISBN 978-1-915247-01-8 (печатное издание)" in text and "Сверстано" in text
    assert "1933-08-ru.txt" not in text and "Typeset" not in text
    nav = text_of(view.pages[view.nav_href].find(".//x:body", NS))
    assert "Содержание" in nav and "Перечень документов" in nav and "Contents" not in nav
    cover = view.pages["text/cover.xhtml"].find(".//x:img", NS)
    assert cover.get("alt").startswith("Обложка: Сталин и Каганович")


def _rules(css: str) -> dict[str, str]:
    """selector -> declarations of the default epub.css (comments dropped)."""
    import re
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    out = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", css):
        for sel in selectors.split(","):
            out[" ".join(sel.split())] = body
    return out


def test_back_matter_headings_are_set_as_chapter_headings_and_the_index_in_two_columns():
    rules = _rules((STYLES / "epub.css").read_text())
    chapter = rules["section.chapter > h1"]
    assert rules["section.calendar > h1"] == chapter and rules["section.index > h1"] == chapter
    assert "font-weight: bold" in chapter
    index = rules["section.index ul.index"]
    assert "columns: 2" in index and "font-size: 0.88em" in index
    # the PDF's house style: the heading centred, the archive line upright and centred
    assert "text-align: center" in rules["section.document > h2"]
    assert "font-style: normal" in rules["p.source"] and "text-align: center" in rules["p.source"]


def test_calendar_keeps_shelfmarks_whole_and_the_index_gives_initials(tmp_path):
    from corresp.readers.text.parser import read_edition
    from test_epub import ROOT
    edition, _ = read_edition([ROOT / "tests" / "corpus" / "ru-01.txt"])
    view = EpubView.open(build(edition, tmp_path / "ru.epub"))
    cells = view.pages["text/calendar.xhtml"].findall(".//x:td[@class='source']", NS)
    assert cells and all("Ф.\u00a0" in text_of(c) or "Ф." not in text_of(c) for c in cells)
    names = [text_of(s) for s in view.pages["text/index.xhtml"].findall(".//x:span[@class='index-term']", NS)]
    assert "Каганович Л. М." in names and "Сталин И. В." in names


def test_with_a_print_edition_the_calendar_gives_each_letters_printed_page(tmp_path):
    """The page column names the page the PDF's outline sends each letter to."""
    from pypdf import PdfReader
    from corresp.build import build as run_build
    from corresp.numbering import document_numbers
    from test_epub import SEED
    # one build of both: the EPUB takes its pages from the PDF's layout (exporters.pdf_shared)
    result = run_build([SEED], tmp_path, ["epub", "pdf"], name="v", jobs=1,
                       publication=Publication(isbn={"print": "978-1-915247-01-8"}))
    edition = result.edition
    view = EpubView.open(tmp_path / "v.epub")
    calendar = view.pages["text/calendar.xhtml"]
    cells = calendar.findall(".//x:tbody/x:tr/x:td[@class='page']/x:a", NS)
    assert len(cells) == len(edition.documents)
    reader = PdfReader(tmp_path / "v.pdf")
    labels = reader.page_labels
    outline = {}

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                outline[item.title] = labels[reader.get_destination_page_number(item)]
    walk(reader.outline)
    numbers = document_numbers(edition)
    for cell, doc in zip(cells, edition.documents):
        title = next(t for t in outline if t.startswith(f"{numbers[doc.id]}. "))
        assert cell.text == outline[title], (doc.id, cell.text, outline[title])
        target = view.resolve("text/calendar.xhtml", cell.get("href"))
        assert target.get("{http://www.idpf.org/2007/ops}type") == "pagebreak"


def test_an_overlong_title_or_word_never_runs_off_the_drawn_cover():
    import io
    from PIL import Image
    from corresp.exporters.cover import GROUND
    edition = sample_edition()
    edition.title = "Переписка " * 40
    edition.subtitle = "Supercalifragilisticexpialidocious" * 3
    image = Image.open(io.BytesIO(cover_png(edition, STYLES))).convert("RGB")
    width, height = image.size
    margins = [image.getpixel((x, y)) for x in (*range(0, 60, 3), *range(width - 60, width, 3))
               for y in range(0, height, 7)]
    assert set(margins) == {GROUND}  # nothing drawn between the frame and the edge


def test_the_cover_never_parts_an_initial_from_its_name_nor_leaves_a_short_word_at_a_line_end(monkeypatch):
    """The cover is drawn from the edition in house typography: its no-break spaces hold
    `L. P.` to `Kosheleva` and `и` to the next word, where a plain wrap broke `L. P. /
    Kosheleva` (the edition.toml volume) and `Л. П. / Кошелева`."""
    import re

    from corresp.exporters import cover
    from corresp.typography import TypographyStyle, typeset

    drawn = []
    block = cover._block
    monkeypatch.setattr(cover, "_block", lambda draw, lines, *a: drawn.extend(lines) or block(draw, lines, *a))
    for lang, title, editors in (
            ("en", "Stalin and Kaganovich. Correspondence. 1931–1936",
             ["O. V. Khlevniuk", "R. W. Davies", "L. P. Kosheleva", "E. A. Rees", "L. A. Rogovaya"]),
            ("ru", "Сталин и Каганович. Переписка. 1931–1936 гг.",
             ["О. В. Хлевнюк", "Р. У. Дэвис", "Л. П. Кошелева", "Е. А. Рис", "Л. А. Роговая"])):
        edition = sample_edition()
        edition.language, edition.title, edition.editors = lang, title, editors
        drawn.clear()
        cover.cover_png(typeset(edition, TypographyStyle()), STYLES)
        names = [l for l in drawn if "Kosheleva" in l or "Кошелева" in l]
        assert names and all(re.search(r"\w\.\u00a0\w\.\u00a0\w{3,}", l) for l in names), drawn
        assert not any(re.search(r"(^|\s)\w\.$", l.strip()) for l in drawn), drawn  # no line ends on an initial
        assert not any(l.endswith(" и") for l in drawn), drawn  # Russian: a one-letter word goes with the next


def test_the_index_separates_its_locators_by_semicolons_and_the_calendar_holds_ranges(tmp_path):
    """A locator holds a comma (`No. 1, August 14, 1935`), so a run of them joined by commas
    could not be told apart; and a shelfmark's range (`L. 21–22`) never breaks after its dash."""
    import re
    from test_docx import seed_edition
    view = EpubView.open(build(seed_edition(), tmp_path / "s.epub"))
    groups = view.pages["text/index.xhtml"].findall(".//x:span[@class='sent']", NS)
    assert groups and any(len(g.findall("x:a", NS)) > 1 for g in groups)
    for group in groups:
        links = group.findall("x:a", NS)
        assert [a.tail for a in links] == ["; "] * (len(links) - 1) + [None]
        assert all(re.match(r"No\.\u00a0\d+, ", text_of(a)) for a in links)  # `No.` never ends a line
    cells = [text_of(c) for c in view.pages["text/calendar.xhtml"].findall(".//x:td[@class='source']", NS)]
    ranged = [c for c in cells if re.search(r"\d[–-]\u2060?\d", c)]
    assert ranged and all(re.search(r"\d[–-]\u2060\d", c) for c in ranged)


def test_the_covers_text_alternative_never_doubles_a_full_stop(tmp_path):
    """`Сталин и Каганович. Переписка. 1931–1936 гг.` and a subtitle read `… гг. Избранные
    документы` to a screen reader, not `гг.. Избранные` (the Russian volume's cover)."""
    edition = russian_edition()
    edition.title, edition.subtitle = "Сталин и Каганович. Переписка. 1931–1936 гг.", "Избранные документы"
    view = EpubView.open(build(edition, tmp_path / "ru.epub"))
    alt = view.pages["text/cover.xhtml"].find(".//x:img", NS).get("alt")
    assert alt == "Обложка: Сталин и Каганович. Переписка. 1931–1936 гг. Избранные документы"
    edition = sample_edition()
    edition.subtitle = "August 1935"
    view = EpubView.open(build(edition, tmp_path / "en.epub"))
    assert view.pages["text/cover.xhtml"].find(".//x:img", NS).get("alt") == f"Cover: {edition.title}. August 1935"


def test_a_postscript_of_several_lines_runs_on_as_in_the_pdf():
    """`One of the secretaries L.M. Kaganovich.` / `Greetings to a colleague…` / `OK.` stood
    half a line apart in the EPUB and solid in the PDF."""
    rules = _rules((STYLES / "epub.css").read_text())
    assert "margin-top: 0.5em" in rules["p.postscript"]  # set off from the signature above it
    assert "margin-top: 0;" in rules["p.postscript + p.postscript"]


def test_the_markers_a_page_waits_for_are_those_a_search_of_the_page_finds(tmp_path, monkeypatch):
    """settle is handed each page's waiting page-break markers as they were made
    (PageBreaks.take_pending): the same elements, in the same (document) order, as the
    search of the whole page it replaced; and the page with them settles as with the search."""
    from corresp.exporters.epub_parts import page_list
    from corresp.readers.text.parser import read_edition
    from test_epub import SEED
    edition, _ = read_edition([SEED])
    edition.publication = Publication(isbn={"print": "978-1-915247-01-8"})
    real = page_list.settle
    seen = []

    def checked(root, pending=None):
        found = page_list._PENDING_SPANS(root)
        assert pending is not None and [id(s) for s in pending] == [id(s) for s in found]
        seen.append(len(found))
        real(root, pending)
    monkeypatch.setattr(page_list, "settle", checked)
    build(edition, tmp_path / "p.epub")
    assert sum(seen) > 0  # the seed's pages do open inside paragraphs
    with zipfile.ZipFile(tmp_path / "p.epub") as book:  # every page settled: no marker left waiting
        assert not [n for n in book.namelist() if page_list._PENDING.encode() in book.read(n)]
