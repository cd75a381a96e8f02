"""The pages' streams deflated during the layout (exporters/pdf_parts/ahead.py): where the
build leaves a core idle, the child that breaks the lines ahead then deflates every page's
stream as the layout shows it, as it is and, for a print PDF made from the same layout, as
the print edition's. The files are those written without it; every page's stream comes
from the child; one it made from anything else, or did not make (it died), the writer
deflates itself."""
import os
import time
import zlib
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from corresp.build import export_one
from corresp.exporters import ExportOptions
from corresp.exporters import pdf_shared
from corresp.exporters.pdf import build_pdf
from corresp.exporters.pdf_parts import ahead as ahead_module
from corresp.exporters.pdf_parts.ahead import DeflateAhead
from corresp.exporters.pdf_print import PrintVariant
from corresp.exporters.pdf_shared import print_form, print_page_stream, write_pdfs

EPOCH = 1767225600
pytestmark = pytest.mark.skipif(not (hasattr(os, "fork") and hasattr(os, "memfd_create")),
                                reason="the child is forked, its results are in a memfd")


@pytest.fixture(scope="module")
def plain_print_pdf(seed_source, tmp_path_factory):
    """The print PDF laid out with its own variant and written in this process alone."""
    path = tmp_path_factory.mktemp("plain") / "plain.print.pdf"
    build_pdf(seed_source, path, ExportOptions(source_date_epoch=EPOCH), PrintVariant.from_style(None))
    return path.read_bytes()


def _serving(ahead: DeflateAhead) -> None:
    """The child, as prebreak.py starts it once its lines are sent."""
    pid = os.fork()
    if pid == 0:
        try:
            ahead.serve()
        finally:
            os._exit(0)
    ahead.started(pid)


class _Tagger:
    def __init__(self):
        self.kinds = {}

    def print_kinds(self, canv):
        return self.kinds.get(canv._doc.pageCounter)


def test_deflates_each_page_as_posted_and_as_printed():
    variant = PrintVariant.from_style(None)
    tagger = _Tagger()
    canv = SimpleNamespace(_doc=SimpleNamespace(pageCounter=0), tagger=tagger, _pagesize=(400.0, 600.0),
                           _preamble="1 0 0 1 0 0 cm  BT /F1 12 Tf 14.4 TL ET")
    ahead = DeflateAhead(variant)
    _serving(ahead)
    pages = []
    try:
        for n in range(1, 60):
            body = f"/Link <</MCID 0>> BDC BT (Ярослав {n}) Tj ET EMC\n/P <</MCID 1>> BDC EMC\n" * n + " \n"
            page = SimpleNamespace(stream=canv._preamble + "\n" + body)
            canv._doc.pageCounter = n
            tagger.kinds[n] = {0: "Lbl" if n % 2 else "Reference"}
            ahead.post(canv, page)
            pages.append(page)
        ahead.finish()
        form = print_form(canv, variant)
        prints = []
        for n, page in enumerate(pages, 1):
            assert ahead.deflated(page.stream) == zlib.compress(page.stream.encode("utf-8"))
            made = print_page_stream(page.stream, tagger.kinds[n], form)
            ahead.expect_print(n, made)
            prints.append(made)
        for made in prints:
            assert ahead.deflated(made) == zlib.compress(made.encode("utf-8"))
        assert "/Lbl <</MCID 0>> BDC" in prints[0] and "/Reference <</MCID 0>> BDC" in prints[1]
        # the same text in another object was never posted: identity, not equality
        assert ahead.deflated("".join([pages[0].stream[:10], pages[0].stream[10:]])) is None
        assert ahead.deflated("never posted") is None
        # a print stream other than the child's is not given the child's bytes
        ahead.expect_print(3, prints[2] + " ")
        assert ahead.deflated(ahead.prints[3]) is None
    finally:
        ahead.close()
    assert ahead.pid == 0


def test_closed_before_anything_was_asked():
    """A layout that fails: the child is ended, nothing is waited for."""
    ahead = DeflateAhead()
    _serving(ahead)
    start = time.monotonic()
    ahead.close()
    assert time.monotonic() - start < 5 and ahead.pid == 0


def _hits(monkeypatch, log):
    """Each writer's count of streams taken from the child, by process (a file: the screen
    PDF is written by a forked process)."""
    real = DeflateAhead.deflated

    def deflated(self, content):
        got = real(self, content)
        if got is not None:
            with open(log, "a") as f:
                f.write(f"{os.getpid()}\n")
        return got
    monkeypatch.setattr(DeflateAhead, "deflated", deflated)


def _counts(log) -> list[int]:
    lines = log.read_text().split() if log.exists() else []
    return sorted(lines.count(p) for p in set(lines))


def _both(seed_source, tmp_path, spare=1):
    options = ExportOptions(source_date_epoch=EPOCH)
    options.spare_cores = spare
    targets = {"pdf": tmp_path / "both.pdf", "pdf-print": tmp_path / "both.print.pdf"}
    write_pdfs(seed_source, targets, options)
    return targets["pdf"].read_bytes(), targets["pdf-print"].read_bytes()


def test_both_pdfs_every_page_from_the_child(seed_source, tmp_path, seed_plain_pdf, plain_print_pdf, monkeypatch):
    log = tmp_path / "hits"
    _hits(monkeypatch, log)
    assert _both(seed_source, tmp_path) == (seed_plain_pdf, plain_print_pdf)
    pages = len(PdfReader(tmp_path / "both.pdf").pages)
    assert pages > 20 and _counts(log) == [pages, pages]  # each writer, every page


def test_one_file_alone(seed_source, tmp_path, seed_plain_pdf, plain_print_pdf, monkeypatch):
    """The PDF alone (the exporter's own layout) and the print PDF alone (from the screen
    layout made into the print edition): each page's stream from the child."""
    log = tmp_path / "hits"
    _hits(monkeypatch, log)
    options = ExportOptions(source_date_epoch=EPOCH)
    options.spare_cores = 1
    build_pdf(seed_source, tmp_path / "alone.pdf", options)
    assert (tmp_path / "alone.pdf").read_bytes() == seed_plain_pdf
    pages = len(PdfReader(tmp_path / "alone.pdf").pages)
    assert _counts(log) == [pages]
    log.unlink()
    write_pdfs(seed_source, {"pdf-print": tmp_path / "alone.print.pdf"}, options)
    assert (tmp_path / "alone.print.pdf").read_bytes() == plain_print_pdf
    assert _counts(log) == [pages]


def test_a_child_that_dies(seed_source, tmp_path, seed_plain_pdf, plain_print_pdf, monkeypatch):
    """It exits before it deflates anything: the writers deflate every stream themselves."""
    log = tmp_path / "hits"
    _hits(monkeypatch, log)
    monkeypatch.setattr(DeflateAhead, "serve", lambda self: os._exit(1))
    assert _both(seed_source, tmp_path) == (seed_plain_pdf, plain_print_pdf)
    assert _counts(log) == []


def test_a_child_that_hangs_is_not_waited_for(seed_source, tmp_path, seed_plain_pdf, plain_print_pdf, monkeypatch):
    """It never ends: each writer gives up after WAIT seconds and deflates everything itself;
    the child is ended when the files are written."""
    monkeypatch.setattr(DeflateAhead, "serve", lambda self: time.sleep(120))
    monkeypatch.setattr(ahead_module, "WAIT", 0.5)
    start = time.monotonic()
    assert _both(seed_source, tmp_path) == (seed_plain_pdf, plain_print_pdf)
    assert time.monotonic() - start < 30


def test_print_streams_made_otherwise_are_not_taken(seed_source, tmp_path, seed_plain_pdf, plain_print_pdf,
                                                    monkeypatch):
    """The child's print edition of a page differs from `make_print`'s (here: it makes
    them wrong): the print PDF's writer deflates its pages itself; the screen's are taken."""
    log = tmp_path / "hits"
    _hits(monkeypatch, log)
    real = DeflateAhead.serve

    def serve(self):  # (in the child only)
        pdf_shared.print_page_stream = lambda stream, kinds, form: stream + " "
        real(self)
    monkeypatch.setattr(DeflateAhead, "serve", serve)
    assert _both(seed_source, tmp_path) == (seed_plain_pdf, plain_print_pdf)
    pages = len(PdfReader(tmp_path / "both.pdf").pages)
    assert _counts(log) == [pages]


def test_a_fork_meanwhile_does_not_hold_it_up(seed_source, tmp_path, seed_plain_pdf, plain_print_pdf, monkeypatch):
    """A process forked during the layout holds the pipe the batches' lengths go through:
    the end is said in it, not by closing it, so the files are written without waiting."""
    real = DeflateAhead.post
    forked = []

    def post(self, canv, page):
        if not forked:
            pid = os.fork()
            if pid == 0:
                time.sleep(30)
                os._exit(0)
            forked.append(pid)
        real(self, canv, page)
    monkeypatch.setattr(DeflateAhead, "post", post)
    try:
        start = time.monotonic()
        assert _both(seed_source, tmp_path) == (seed_plain_pdf, plain_print_pdf)
        assert time.monotonic() - start < 20
    finally:
        for pid in forked:
            os.kill(pid, 9)
            os.waitpid(pid, 0)


def test_only_where_a_core_is_spare(seed_source, tmp_path, monkeypatch):
    """write_pdfs (the build's PDF job) deflates ahead where the build leaves a core idle,
    and a build of the PDF alone does on two cores, not on one."""
    made = []
    real = DeflateAhead.__init__
    monkeypatch.setattr(DeflateAhead, "__init__", lambda self, *a, **kw: made.append(1) or real(self, *a, **kw))
    _both(seed_source, tmp_path, spare=0)
    assert made == []
    _both(seed_source, tmp_path, spare=1)
    assert made == [1]

    def init(self, *a, **kw):
        (tmp_path / "started").touch()  # (said by a file: the build's job runs in a worker process)
        real(self, *a, **kw)
    monkeypatch.setattr(DeflateAhead, "__init__", init)
    files = {}
    for cores in (1, 2):
        monkeypatch.setattr(os, "cpu_count", lambda: cores)
        files[cores] = export_one(seed_source, "pdf", tmp_path / str(cores), "seed",
                                  ExportOptions(source_date_epoch=EPOCH)).read_bytes()
        assert (tmp_path / "started").exists() == (cores == 2)
    assert files[1] == files[2]


def test_without_memfd(seed_source, tmp_path, seed_plain_pdf, monkeypatch):
    """A system without memfd (or fork): no deflating ahead; the same file."""
    monkeypatch.delattr(ahead_module.os, "memfd_create")
    assert ahead_module.deflate_ahead() is None
    options = ExportOptions(source_date_epoch=EPOCH)
    options.spare_cores = 1
    build_pdf(seed_source, tmp_path / "plain.pdf", options)
    assert (tmp_path / "plain.pdf").read_bytes() == seed_plain_pdf
