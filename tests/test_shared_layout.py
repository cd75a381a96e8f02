"""One PDF layout per build (issue 25): the PDF, the print PDF and the EPUB's page list
come from one layout, and every file is byte for byte what a build of that format alone
writes (bench/same_bytes.py compares whole builds against main as well)."""
import hashlib
import os

import pytest

from conftest import SEED
from sample_edition import sample_edition
from corresp import publish
from corresp.build import export_all
from corresp.exporters import ExportOptions
from corresp.exporters import pdf as pdf_module
from corresp.exporters.pdf import build_pdf
from corresp.exporters.pdf_print import PrintVariant
from corresp.exporters.pdf_shared import write_pdfs
from corresp.metadata import check_publication
from corresp.model import Publication
from corresp.readers import read_sources

EPOCH = 1767225600
ISBN = {"epub": "978-1-915247-21-6", "pdf": "978-1-915247-11-7", "print": "978-1-915247-01-8"}


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _with_isbns(edition):
    edition.publication = check_publication(Publication(publisher="Northgate Academic Press", isbn=dict(ISBN)))
    return edition


@pytest.fixture(scope="module")
def seed():
    edition, _ = read_sources([SEED], [])
    return _with_isbns(edition)


@pytest.mark.parametrize("which", ["sample", "seed", "crop marks"])
def test_print_pdf_from_the_shared_layout_is_the_print_pdf_laid_out_alone(which, seed, tmp_path):
    edition = seed if which == "seed" else _with_isbns(sample_edition())
    alone = ExportOptions(source_date_epoch=EPOCH)
    if which == "crop marks":
        style = tmp_path / "style"
        style.mkdir()
        (style / "print.toml").write_text('bleed = "5mm"\ncrop_marks = true\n')
        alone.style_dir = style
    build_pdf(edition, tmp_path / "alone.pdf", alone)
    build_pdf(edition, tmp_path / "alone.print.pdf", alone, PrintVariant.from_style(alone.style_dir))
    shared = ExportOptions(source_date_epoch=EPOCH, style_dir=alone.style_dir)
    pages, _ = write_pdfs(edition, {"pdf": tmp_path / "one.pdf", "pdf-print": tmp_path / "one.print.pdf"}, shared,
                       want_pages=True)
    only_print = ExportOptions(source_date_epoch=EPOCH, style_dir=alone.style_dir)
    write_pdfs(edition, {"pdf-print": tmp_path / "only.print.pdf"}, only_print)
    assert _sha(tmp_path / "one.pdf") == _sha(tmp_path / "alone.pdf")
    assert _sha(tmp_path / "one.print.pdf") == _sha(tmp_path / "alone.print.pdf")
    assert _sha(tmp_path / "only.print.pdf") == _sha(tmp_path / "alone.print.pdf")
    assert shared.warnings == alone.warnings
    assert pages.pages > 10 and pages.folios[1] == "i" and pages.parts


def test_a_build_lays_the_book_out_once_and_writes_what_single_builds_write(seed, tmp_path, monkeypatch):
    """pdf, pdf-print and an EPUB with a page list: one layout (counted across the forked
    workers in a file), and each file the same bytes as a build of that format alone."""
    calls = tmp_path / "layouts"
    real = pdf_module.lay_out_pdf

    def counted(*args, **kw):
        with open(calls, "a") as f:
            f.write(f"{os.getpid()}\n")
        return real(*args, **kw)

    monkeypatch.setattr(pdf_module, "lay_out_pdf", counted)
    together = tmp_path / "together"
    export_all(seed, ["epub", "pdf", "pdf-print", "json"], together, "book",
               ExportOptions(source_date_epoch=EPOCH), jobs=2)
    assert len(calls.read_text().split()) == 1
    for fmt, name in (("epub", "book.epub"), ("pdf", "book.pdf"), ("pdf-print", "book.print.pdf")):
        alone = tmp_path / f"alone-{fmt}"
        export_all(seed, [fmt], alone, "book", ExportOptions(source_date_epoch=EPOCH))
        assert _sha(together / name) == _sha(alone / name), fmt


def test_the_epub_and_the_print_pdf_alone_write_no_screen_pdf(seed, tmp_path, monkeypatch):
    saved = []
    real = pdf_module.save_pdf
    monkeypatch.setattr(pdf_module, "save_pdf", lambda doc, path, *helped: (saved.append(path), real(doc, path, *helped)))
    monkeypatch.setattr(publish, "can_fork", lambda: False)  # in this process: `saved` is seen
    export_all(seed, ["epub"], tmp_path, "book", ExportOptions(source_date_epoch=EPOCH))
    assert saved == []  # its page list came from a layout that was not written
    export_all(seed, ["pdf-print"], tmp_path, "book", ExportOptions(source_date_epoch=EPOCH))
    assert len(saved) == 1 and ".print.pdf" in saved[0].name


def test_an_epub_that_fails_beside_the_shared_layout_fails_the_build_as_itself(seed, tmp_path, monkeypatch):
    from corresp.errors import ExportError
    from corresp.exporters.epub import EpubExporter

    def broken(self, edition, path, options):
        options.warnings.append("epub: said before failing")
        raise ExportError("the EPUB broke here")

    monkeypatch.setattr(EpubExporter, "export", broken)
    with pytest.raises(ExportError, match="the EPUB broke here") as caught:
        export_all(seed, ["pdf", "epub", "pdf-print"], tmp_path, "book", ExportOptions(source_date_epoch=EPOCH))
    assert "other format" not in str(caught.value)  # the PDFs were fine
    assert not list(tmp_path.glob("book*")) and not list(tmp_path.glob(".book*"))
