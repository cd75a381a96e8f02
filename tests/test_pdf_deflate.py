"""Streams deflated aside (exporters/pdf_parts/deflate.py): a build of the PDF alone on a
machine with a core to spare compresses the pages' and forms' streams in a forked child;
the file is the same as the one written without it, and a child that fails only makes the
writer deflate the rest itself."""
import os

import pytest

from conftest import SEED
from corresp.build import export_one
from corresp.exporters import ExportOptions
from corresp.exporters.pdf import lay_out_pdf, save_pdf
from corresp.exporters.pdf_parts import deflate
from corresp.readers import read_sources

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the child is forked")
EPOCH = 1767225600


@pytest.fixture(scope="module")
def seed():
    edition, _ = read_sources([SEED], [])
    return edition


def _write(edition, path, aside):
    save_pdf(lay_out_pdf(edition, ExportOptions(source_date_epoch=EPOCH)), path, deflate_aside=aside)
    return path.read_bytes()


def test_same_bytes_with_and_without(seed, tmp_path, monkeypatch):
    taken = []
    take = deflate.Deflater.take
    monkeypatch.setattr(deflate.Deflater, "take", lambda self, c: taken.append(take(self, c)) or taken[-1])
    aside = _write(seed, tmp_path / "aside.pdf", True)
    assert aside == _write(seed, tmp_path / "here.pdf", False)
    # every page's content stream and every form came from the child
    pages = aside.count(b"/Type /Page\n") + aside.count(b"/Type /Page ")
    assert pages > 20 and sum(t is not None for t in taken) >= pages


def test_a_child_that_fails_midway(seed, tmp_path, monkeypatch):
    """The child dies after a few streams (an object it cannot deflate): the writer deflates
    the rest; the same file."""
    made = deflate.streams_to_deflate
    monkeypatch.setattr(deflate, "streams_to_deflate", lambda doc: made(doc)[:5] + [object()] + made(doc)[5:])
    assert _write(seed, tmp_path / "aside.pdf", True) == _write(seed, tmp_path / "here.pdf", False)


def test_a_build_of_the_pdf_alone_uses_the_spare_core(seed, tmp_path, monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    made = []
    real = deflate.Deflater.__init__

    def init(self, contents):
        made.append(len(contents))
        real(self, contents)
    monkeypatch.setattr(deflate.Deflater, "__init__", init)
    from corresp import publish
    monkeypatch.setattr(publish, "can_fork", lambda: False)  # in this process: `made` is seen
    export_one(seed, "pdf", tmp_path, "alone", ExportOptions(source_date_epoch=EPOCH))
    assert made and made[0] > 20
    made.clear()
    monkeypatch.setattr(os, "cpu_count", lambda: 1)  # no core to spare: the writer deflates
    export_one(seed, "pdf", tmp_path, "one-core", ExportOptions(source_date_epoch=EPOCH))
    assert not made
    assert (tmp_path / "alone.pdf").read_bytes() == (tmp_path / "one-core.pdf").read_bytes()
