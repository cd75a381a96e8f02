"""The PDF writer (exporters/pdf_parts/serialize.py) writes the bytes reportlab's own writer
would: every object kind a book has (structure elements, pages, content streams, forms,
links, outline, fonts, metadata, the print edition's output intent), in both editions."""
import pytest

from conftest import SEED
from sample_edition import sample_edition
from corresp.exporters import ExportOptions
from corresp.exporters.pdf import lay_out_pdf, save_pdf
from corresp.exporters.pdf_print import PrintVariant
from corresp.readers import read_sources

EPOCH = 1767225600


def _seed():
    edition, _ = read_sources([SEED], [])
    return edition


@pytest.mark.parametrize("edition", [sample_edition, _seed], ids=["sample", "seed"])
@pytest.mark.parametrize("print_variant", [False, True], ids=["screen", "print"])
def test_written_bytes_are_reportlabs(edition, print_variant, tmp_path):
    edition = edition()
    options = ExportOptions(source_date_epoch=EPOCH)
    variant = PrintVariant.from_style(options.style_dir) if print_variant else None
    ours = lay_out_pdf(edition, options, variant)
    save_pdf(ours, tmp_path / "ours.pdf")
    theirs = lay_out_pdf(edition, options, variant)
    theirs.canv._filename = str(tmp_path / "reportlab.pdf")
    theirs.canv.save()  # reportlab's PDFDocument.format
    mine, expected = (tmp_path / "ours.pdf").read_bytes(), (tmp_path / "reportlab.pdf").read_bytes()
    assert b"/StructElem" in mine and b"/FlateDecode" in mine
    assert mine == expected


def test_a_pdf_string_as_reportlab_formats_it():
    """The writer's PDFString bytes without reportlab's codecs (run a character at a time):
    its PDFDocEncoding table is the codec's for every character of the BMP, and any text, plain,
    in PDFDocEncoding beyond ASCII, in no single-byte encoding (UTF-16) or with control
    characters, comes out as PDFString.format makes it."""
    import random
    from reportlab.pdfbase.pdfdoc import PDFDocument, PDFString
    from corresp.exporters.pdf_parts import serialize
    for c in range(0x10000):  # (PDFDocEncoding reaches U+FB02)
        if 0xD800 <= c < 0xE000:
            continue
        try:
            expected = chr(c).encode("pdfdoc")
        except UnicodeEncodeError:
            assert chr(c) not in serialize._PDFDOC_CHARS
            continue
        assert chr(c).translate(serialize._TO_PDFDOC).encode("latin-1") == expected
    doc = PDFDocument()
    writer = serialize._Writer(doc)
    rng = random.Random(8)
    pools = ["Stalin to Molotov (copy) \\ 5", "–—“”‘’•…™ﬁ€", "Каганович — Сталину", "\x00\x09\x18\x1f\x7f", "½é"]
    for _ in range(3000):
        text = "".join(rng.choice(rng.choice(pools)) for _ in range(rng.randrange(0, 24)))
        assert writer.string(PDFString(text)) == PDFString(text).format(doc), text
