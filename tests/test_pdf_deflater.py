"""Streams deflated during the layout (exporters/pdf_parts/deflater.py): a PDF built alone
on a machine with a core to spare hands each page's and form's stream to another process
as it is shown; the file is the same as without it, every stream is taken from that
process, and one it does not have (changed since, or the process died) the writer
deflates itself."""
import zlib

import pytest

from corresp.exporters import ExportOptions
from corresp.exporters.pdf import lay_out_pdf, save_pdf
from corresp.exporters.pdf_parts import deflater as deflater_module
from corresp.exporters.pdf_parts.deflater import Deflater
from corresp.exporters.pdf_shared import write_pdfs

EPOCH = 1767225600


def test_deflates_what_it_was_sent():
    d = Deflater()
    try:
        texts = ["BT (Ярослав) Tj ET\n" * k for k in range(1, 40)] + [b"q 1 0 0 1 0 0 cm Q\n", "x" * 300_000]
        for t in texts:
            d.send(t)
        for t in texts:
            assert d.deflated(t) == zlib.compress(t.encode("utf-8") if isinstance(t, str) else t)
        # the same text in another object was never sent: identity, not equality
        assert d.deflated("".join(["BT (Ярослав) Tj ET", "\n"])) is None
        assert d.deflated("never sent") is None
    finally:
        d.close()


def test_sends_in_batches(monkeypatch):
    """The pipe is written a batch at a time, not once a stream (each write wakes the child)."""
    writes = []
    real = deflater_module.os.write
    monkeypatch.setattr(deflater_module.os, "write", lambda fd, b: writes.append(len(b)) or real(fd, b))
    d = Deflater()
    try:
        texts = [f"{k} 0 0 1 0 0 cm\n" * 400 for k in range(300)]  # ~5 MB
        for t in texts:
            d.send(t)
        assert all(d.deflated(t) == zlib.compress(t.encode()) for t in texts)
    finally:
        d.close()
    assert 0 < len(writes) < len(texts) / 10


def test_same_file_every_stream_from_the_child(seed_source, tmp_path, seed_plain_pdf, monkeypatch):
    asked = []
    real = Deflater.deflated
    monkeypatch.setattr(Deflater, "deflated", lambda self, c: asked.append(real(self, c)) or asked[-1])
    doc = lay_out_pdf(seed_source, ExportOptions(source_date_epoch=EPOCH), deflate=True)
    deflater = doc.canv.deflater
    save_pdf(doc, tmp_path / "deflated.pdf")
    assert (tmp_path / "deflated.pdf").read_bytes() == seed_plain_pdf
    # every page and form of the seed's book (dozens; the last shown as it is saved) went
    # through the child and came back; the writer deflated only the streams made as it
    # writes (the fonts' subsets)
    assert len(deflater.sent) > 50 and sum(a is not None for a in asked) == len(deflater.sent)
    assert len(asked) - len(deflater.sent) < 10


def test_a_child_that_dies(seed_source, tmp_path, seed_plain_pdf):
    """Killed during the layout: the writer deflates every stream itself; the same file."""
    doc = lay_out_pdf(seed_source, ExportOptions(source_date_epoch=EPOCH), deflate=True)
    doc.canv.deflater.child.kill()
    doc.canv.deflater.child.wait()
    save_pdf(doc, tmp_path / "deflated.pdf")
    assert (tmp_path / "deflated.pdf").read_bytes() == seed_plain_pdf


def test_a_stream_changed_after_it_was_sent(seed_source, tmp_path):
    """A page whose stream is replaced after it was shown (as the print edition's are) is
    deflated by the writer: its new text, not what was sent."""
    options = ExportOptions(source_date_epoch=EPOCH)
    files = []
    for deflate in (False, True):
        doc = lay_out_pdf(seed_source, options, deflate=deflate)
        page = doc.canv._doc.Pages.pages[3]
        page.stream = page.stream.replace(" Tj", " Tj ", 1)
        save_pdf(doc, tmp_path / f"{deflate}.pdf")
        files.append((tmp_path / f"{deflate}.pdf").read_bytes())
    assert files[0] == files[1]


def test_only_the_screen_pdf_alone_on_a_spare_core(seed_source, tmp_path, seed_plain_pdf, monkeypatch):
    """write_pdfs (the build's PDF job) starts a deflater only for the screen PDF written
    alone where the build leaves a core idle; the file is the plain one."""
    started = []
    real = Deflater.__init__
    monkeypatch.setattr(Deflater, "__init__", lambda self: started.append(1) or real(self))
    for spare, targets in ((0, ["pdf"]), (1, ["pdf", "pdf-print"]), (1, ["pdf"])):
        options = ExportOptions(source_date_epoch=EPOCH)
        options.spare_cores = spare
        write_pdfs(seed_source, {t: tmp_path / f"{t}-{spare}-{len(targets)}.pdf" for t in targets}, options)
    assert len(started) == 1
    assert (tmp_path / "pdf-1-1.pdf").read_bytes() == seed_plain_pdf


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="forks")
def test_a_fork_meanwhile_does_not_hold_it_up(seed_source, tmp_path, seed_plain_pdf):
    """A process forked while the deflater works (another writer of the build) holds the
    pipe's write end too: the deflater's end is said in the stream, not by closing it, so
    the file is written without waiting for that process."""
    import os
    import time
    doc = lay_out_pdf(seed_source, ExportOptions(source_date_epoch=EPOCH), deflate=True)
    pid = os.fork()
    if pid == 0:
        time.sleep(30)
        os._exit(0)
    try:
        start = time.monotonic()
        save_pdf(doc, tmp_path / "deflated.pdf")
        assert time.monotonic() - start < 20
    finally:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    assert (tmp_path / "deflated.pdf").read_bytes() == seed_plain_pdf


def test_without_an_interpreter_to_start(seed_source, tmp_path, seed_plain_pdf, monkeypatch):
    """An embedded Python without `sys.executable`: no child; the writer deflates it all."""
    monkeypatch.setattr(deflater_module.sys, "executable", "")
    doc = lay_out_pdf(seed_source, ExportOptions(source_date_epoch=EPOCH), deflate=True)
    assert doc.canv.deflater.child is None
    save_pdf(doc, tmp_path / "deflated.pdf")
    assert (tmp_path / "deflated.pdf").read_bytes() == seed_plain_pdf
