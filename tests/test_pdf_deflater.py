"""The pages' streams deflated by another process while the file is written
(exporters/pdf_parts/deflater.py): a PDF written alone on a machine with a core to spare
hands every page's stream to a fresh process when the writing starts; the file is the same
as without it, every page stream is taken from that process, and one it does not have (the
process died) the writer deflates itself."""
import os
import zlib

import pytest

from corresp.build import export_one
from corresp.exporters import ExportOptions
from corresp.exporters.pdf import lay_out_pdf, save_pdf
from corresp.exporters.pdf_parts import deflater as deflater_module
from corresp.exporters.pdf_parts.deflater import Deflater
from corresp.exporters.pdf_shared import write_pdfs

EPOCH = 1767225600


def test_deflates_what_it_was_given():
    texts = ["BT (Ярослав) Tj ET\n" * k for k in range(1, 40)] + [b"q 1 0 0 1 0 0 cm Q\n", "x" * 3_000_000]
    d = Deflater(texts)
    try:
        for t in texts:
            assert d.deflated(t) == zlib.compress(t.encode("utf-8") if isinstance(t, str) else t)
        # the same text in another object was never given: identity, not equality
        assert d.deflated("".join(["BT (Ярослав) Tj ET", "\n"])) is None
        assert d.deflated("never sent") is None
    finally:
        d.close()
    assert d.child is None and not d.feeder.is_alive()


def test_closed_before_it_was_asked():
    """A writer that fails before it asks: the child is ended, the feeding thread too."""
    d = Deflater(["q Q\n" * 2_000_000])  # (more than the pipe holds: the thread is still writing)
    d.close()
    assert d.child is None and not d.feeder.is_alive()


def _saved(edition, path, spare_core):
    save_pdf(lay_out_pdf(edition, ExportOptions(source_date_epoch=EPOCH)), path, spare_core)
    return path.read_bytes()


def test_same_file_every_page_stream_from_the_child(seed_source, tmp_path, seed_plain_pdf, monkeypatch):
    made, asked = [], []
    real_init, real_deflated = Deflater.__init__, Deflater.deflated
    monkeypatch.setattr(Deflater, "__init__", lambda self, c: made.append(self) or real_init(self, c))
    monkeypatch.setattr(Deflater, "deflated", lambda self, c: asked.append(real_deflated(self, c)) or asked[-1])
    assert _saved(seed_source, tmp_path / "deflated.pdf", True) == seed_plain_pdf
    # every page of the seed's book went through the child and came back; the writer
    # deflated the rest itself (the forms, the fonts' subsets made as it writes)
    (deflater,) = made
    got = [a for a in asked if a is not None]
    assert len(deflater.sent) > 20 and len(got) == len(deflater.sent)


def test_a_child_that_dies(seed_source, tmp_path, seed_plain_pdf, monkeypatch):
    """Killed as it starts: the writer deflates every stream itself; the same file."""
    real = Deflater.__init__

    def init(self, contents):
        real(self, contents)
        self.child.kill()
    monkeypatch.setattr(Deflater, "__init__", init)
    assert _saved(seed_source, tmp_path / "deflated.pdf", True) == seed_plain_pdf


def test_without_an_interpreter_to_start(seed_source, tmp_path, seed_plain_pdf, monkeypatch):
    """An embedded Python without `sys.executable`: no child; the writer deflates it all."""
    monkeypatch.setattr(deflater_module.sys, "executable", "")
    assert _saved(seed_source, tmp_path / "deflated.pdf", True) == seed_plain_pdf


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forks")
def test_a_fork_meanwhile_does_not_hold_it_up(seed_source, tmp_path, seed_plain_pdf, monkeypatch):
    """A process forked while the child works (another writer of the build) holds the
    pipe's write end too: the end is said in the stream, not by closing it, so the file is
    written without waiting for that process."""
    import time
    real = Deflater.__init__
    forked = []

    def init(self, contents):
        real(self, contents)
        pid = os.fork()
        if pid == 0:
            time.sleep(30)
            os._exit(0)
        forked.append(pid)
    monkeypatch.setattr(Deflater, "__init__", init)
    try:
        start = time.monotonic()
        assert _saved(seed_source, tmp_path / "deflated.pdf", True) == seed_plain_pdf
        assert time.monotonic() - start < 20
    finally:
        for pid in forked:
            os.kill(pid, 9)
            os.waitpid(pid, 0)


def test_only_one_file_alone_on_a_spare_core(seed_source, tmp_path, seed_plain_pdf, monkeypatch):
    """write_pdfs (the build's PDF job) starts a deflater only for a PDF written alone where
    the build leaves a core idle (two files are written at once, on both cores)."""
    started = []
    real = Deflater.__init__
    monkeypatch.setattr(Deflater, "__init__", lambda self, c: started.append(1) or real(self, c))
    for spare, targets in ((0, ["pdf"]), (1, ["pdf", "pdf-print"]), (1, ["pdf"]), (1, ["pdf-print"])):
        options = ExportOptions(source_date_epoch=EPOCH)
        options.spare_cores = spare
        write_pdfs(seed_source, {t: tmp_path / f"{t}-{spare}-{len(targets)}.pdf" for t in targets}, options)
    assert len(started) == 2
    assert (tmp_path / "pdf-1-1.pdf").read_bytes() == seed_plain_pdf


def test_a_build_of_the_pdf_alone_uses_the_spare_core(seed_source, tmp_path, monkeypatch):
    real = Deflater.__init__

    def init(self, contents):
        (tmp_path / "started").touch()  # (said by a file: the build's job runs in a worker process)
        real(self, contents)
    monkeypatch.setattr(Deflater, "__init__", init)
    files = {}
    for cores in (1, 2):
        monkeypatch.setattr(os, "cpu_count", lambda: cores)
        files[cores] = export_one(seed_source, "pdf", tmp_path / str(cores), "seed",
                                  ExportOptions(source_date_epoch=EPOCH)).read_bytes()
        assert (tmp_path / "started").exists() == (cores == 2)
    assert files[1] == files[2]
