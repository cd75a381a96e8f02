"""Property-based: mutated real sources still give valid files in every format.

Fewer examples than the parser fuzz (each runs epubcheck, pandoc, reportlab and
LibreOffice-free read-backs), but every one must come out clean: an epubcheck-clean EPUB,
a DOCX and a PDF that read back, and all formats agreeing on the notes.
"""
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from lxml import etree
from pypdf import PdfReader

from corresp.build import build
from corresp.errors import CorrespError
from corresp.verify import verify_dir
from test_epub import epubcheck
from test_fuzz_parser import mutated_source


# Found by this test: a chapter without notes whose title the PDF prints typeset (`October
# 1932—July 1934`) was dropped by verify as no chapter (verify.compare; test_verify.py).
FOUND_CHAPTER_TITLE = b"".join([
    b'\xef\xbb\xbfStalin Kaganovich oct 1932\n',
    b'Stalin Kaganovich oct 1932\n',
    b'Molotov to Stalin [not earlier than October 20, 1932]\n',
    b'\xc2\xa0Stalin and Kaganovich. Correspondence. 1931\xe2\x80\x931936\n',
    b'\n',
    b'Note:1932 October\n',
    b'The autumn of 1932 was difficult 1 . Stalin was in Sochi.\n',
    b'Note:\n',
    b'1 See the introduction to the volume.\n',
    b'\xe2\x80\xa8\n',
    b'Stalin to Kaganovich October, 1932 Archive: RGASPI F. 558. Op. 11. D. 79. L. 10. Autograph.\n',
    b'Kaganovich.\n',
    b'\n',
    b'Agree with the plan of grain procurement 1 . Send the text [#21] with *care* & <caution>.\n',
    b'\n',
    b'Stalin.\n',
    b'\n',
    b'No. 12 15/X-32 y. 2\n',
    b'\n',
    b'_____\n',
    b'\n',
    b'1 The PB adopted it on October 16, 1932.\n',
    b'2Later, the secretary entered the number and the date.\n',
    b'The text breaks off in the middle of a sente\n',
    b'Kaganovich to Stalin July 9 1934\n',
    b'\n',
    b'Archive: RGASPI F. 558. Op. 11. D. 80. L. 1; F. 17. Op. 3. D. 900. L. 5. Original. Typescript.\n',
    b'(By telegraph)\n',
    b'\n',
    b'Sent from Moscow 9/VII at 9-00\n',
    b'\n',
    b'Sochi. Tov.\xc2\xa0Stalin.\n',
    b'\n',
    b'We received the report . We ask for your opinion.\n',
    b'\n',
    b'Kaganovich.\n',
    b'\n',
    b'12/VII-34 g\n',
    b'Marx-Engels | Lenin | Stalin | Home Page \n',
    b'\n',
    b'Tov. Stalin!\n',
    b'\n',
    b'\n',
    b'Molotov.\n',
    b'\n',
    b'______________\n',
    b'\n',
    b'Draft missing.\n',
    b'\n',
    b'Stalin to Molotov October 21, 1932\n',
    b'\n',
    b'Archive: RGASPI F. 558. Op. P. D. 81. L. 3. Autograph.\n',
    b'Molotov.\n',
    b'\n',
])


@pytest.mark.skipif(shutil.which("java") is None, reason="epubcheck needs Java")
@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
@given(mutated_source())
@example(FOUND_CHAPTER_TITLE)
def test_every_exporter_survives_mutated_sources(data):
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "fuzz.txt"
        src.write_bytes(data)
        out = Path(tmp) / "out"
        try:
            result = build([src], out)
        except CorrespError as exc:
            assert "fuzz.txt" in str(exc)  # an input error, said plainly
            return
        epub, docx, pdf = (out / f"fuzz.{e}" for e in ("epub", "docx", "pdf"))
        assert epubcheck(epub) == []
        with zipfile.ZipFile(docx) as z:
            notes = etree.fromstring(z.read("word/footnotes.xml"))
        real = [n for n in notes if n.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}type") is None]
        assert len(real) == sum(len(d.footnotes) for d in result.edition.documents) + \
            sum(len(c.notes) for c in result.edition.chapters)
        assert len(PdfReader(str(pdf)).pages) >= 1
        problems, _ = verify_dir(out)
        assert problems == []
