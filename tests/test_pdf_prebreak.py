"""Lines broken ahead on the other core (exporters/pdf_parts/prebreak.py): a PDF built alone
on a machine with a core to spare has its paragraphs' and notes' lines broken by a forked
child while the pages are made. The paragraphs take the child's lines and tokens, which
are the ones they would have found themselves, so the file is the same; a paragraph whose
lines have not come (or a child that died, or no fork) breaks itself."""
import os
import random
import time

import pytest

from corresp.exporters import ExportOptions
from corresp.exporters.pdf import lay_out_pdf, save_pdf
from corresp.exporters.pdf_parts import prebreak
from corresp.exporters.pdf_parts.fonts import register_fonts
from corresp.exporters.pdf_parts.hyphenate import hyphenator_for
from corresp.exporters.pdf_parts.markers import Mark, back_label, marker
from corresp.exporters.pdf_parts.story import make_styles
from corresp.exporters.pdf_parts.style import load_style
from corresp.exporters.pdf_parts.textblock import TextParagraph

EPOCH = 1767225600
forks = pytest.mark.skipif(not hasattr(os, "fork"), reason="the child is forked")

WORDS = ("correspondence Ordzhonikidze representatives agricultural procurement "
         "collectivisation Narkomtyazhprom of the and to a in "
         "хлебозаготовки представительство Наркомтяжпром сельскохозяйственный и в на").split()


@pytest.fixture(scope="module")
def styles():
    style = load_style(None)
    return make_styles(style, register_fonts(style), hyphenator_for("auto", "en"))


def paragraphs(styles, n=300, seed=25):
    """Paragraphs that hyphenate and cut words at narrow widths, markers inside them (after
    a word, as the story places them) and a note's back label at the start of some."""
    rng = random.Random(seed)
    out = []
    for k in range(n):
        items = [back_label(f"n{k}", "7"), "\u00a0"] if rng.random() < 0.2 else []
        for j in range(rng.randrange(3, 60)):
            word = rng.choice(WORDS) if rng.random() > 0.03 else "x" * rng.randrange(40, 120)
            items.append(("" if not items or type(items[-1]) is Mark else " ") + word)
            if rng.random() < 0.08:
                items.append(marker(f"n{k}.{j}", str(j)))
        st = styles[rng.choice(["body", "note", "enclosure", "intro", "signature"])]
        out.append((TextParagraph(items, st), rng.choice([60.0, 95.5, 140.0, 300.0])))
    return out


def test_tokens_changed_by_breaking_come_back_as_they_were(styles):
    """What the child sends of a paragraph's tokens: indices of the ones kept, new ones
    (hyphenated, cut) in full, with the parent's own marks (the same objects) in them."""
    changed = marked = 0
    for para, width in paragraphs(styles):
        before = para.tokens
        para.lines(width)
        enc = prebreak._encode(before, para.tokens)
        if enc is None:
            assert para.tokens == before
            continue
        changed += 1
        # runs of kept tokens as long as they can be, though a paragraph holds the same
        # token object many times over (the words' tokens are shared)
        assert sum(type(x) is list for x in enc) <= sum(type(x) is tuple for x in enc) + 1
        back = prebreak.decode(before, enc)
        assert back == para.tokens
        for new, old in zip(back, para.tokens):
            assert all(a is b for a, b in zip(new[2], old[2]) if type(a) is not str)
            marked += any(type(p) is not str for p in new[2]) and not any(new is t for t in before)
    assert changed > 30 and marked > 0  # the cases are there


class _Area:  # a page foot with no notes
    specs: dict = {}
    prebroken = None


@forks
def test_a_paragraph_takes_the_lines_the_child_broke(styles):
    story = [p for p, _ in paragraphs(styles, 200, seed=7)]
    fresh = [TextParagraph(list(_items(p)), p.style) for p in story]  # the same, never shared
    breaker = prebreak.PreBreaker()
    assert breaker.start(story, 140.0, _Area())
    try:
        deadline = time.monotonic() + 60
        while breaker.fd >= 0 and time.monotonic() < deadline:  # all of it, for this test
            breaker._read()
            time.sleep(0.01)
        for para, other in zip(story, fresh):
            assert para.lines(140.0) == other.lines(140.0)
            assert para.tokens == other.tokens
    finally:
        breaker.close()
    assert breaker.taken == len(story) and breaker.missed == 0


def _items(para):
    """The items a paragraph was made from, again (its tokens' parts, spaces between)."""
    for i, t in enumerate(para.tokens):
        if not t[2]:
            yield "\n"
            continue
        for k, p in enumerate(t[2]):
            yield (" " if t[1] and k == 0 and i else "") + p if type(p) is str else p


def _counting(monkeypatch) -> list:
    seen = []
    real = prebreak.PreBreaker.close
    monkeypatch.setattr(prebreak.PreBreaker, "close",
                        lambda self, **kw: seen.append((self.taken, self.missed)) or real(self, **kw))
    return seen


@forks
def test_the_seed_book_is_the_same_file_with_lines_broken_ahead(seed_source, tmp_path, seed_plain_pdf, monkeypatch):
    seen = _counting(monkeypatch)
    took_notes = []
    real_take = prebreak.PreBreaker.take
    monkeypatch.setattr(prebreak.PreBreaker, "take", lambda self, key, w, t: (
        got := real_take(self, key, w, t), took_notes.append(type(key) is str and got is not None))[0])
    save_pdf(lay_out_pdf(seed_source, ExportOptions(source_date_epoch=EPOCH), prebreak=True), tmp_path / "ahead.pdf")
    assert (tmp_path / "ahead.pdf").read_bytes() == seed_plain_pdf
    (taken, missed), = seen
    assert taken > 4 * missed  # the child keeps ahead of the layout (a few at the start may not)
    assert sum(took_notes) >= 10  # the notes (50) too


@forks
def test_a_child_that_dies_at_once(seed_source, tmp_path, seed_plain_pdf, monkeypatch):
    monkeypatch.setattr(prebreak, "_child", lambda *child_args: os._exit(1))
    seen = _counting(monkeypatch)
    save_pdf(lay_out_pdf(seed_source, ExportOptions(source_date_epoch=EPOCH), prebreak=True), tmp_path / "ahead.pdf")
    assert (tmp_path / "ahead.pdf").read_bytes() == seed_plain_pdf
    assert seen[0][0] == 0 and seen[0][1] > 100


def test_where_nothing_can_fork(seed_source, tmp_path, seed_plain_pdf, monkeypatch):
    if hasattr(os, "fork"):
        monkeypatch.delattr(os, "fork")
    seen = _counting(monkeypatch)
    save_pdf(lay_out_pdf(seed_source, ExportOptions(source_date_epoch=EPOCH), prebreak=True), tmp_path / "ahead.pdf")
    assert (tmp_path / "ahead.pdf").read_bytes() == seed_plain_pdf
    assert seen == []  # none started


@forks
def test_the_layout_waits_for_the_child_rather_than_break_lines_itself(seed_source, monkeypatch):
    """Every paragraph and note of the seed's book takes the child's lines (none is broken
    twice), and this process never loads the hyphenation patterns (the child does)."""
    from corresp.exporters.pdf_parts import hyphenate
    loads, me = [], os.getpid()
    real = hyphenate.pyphen.Pyphen
    monkeypatch.setattr(hyphenate.pyphen, "Pyphen",
                        lambda **kw: (os.getpid() == me and loads.append(kw), real(**kw))[1])
    seen = _counting(monkeypatch)
    lay_out_pdf(seed_source, ExportOptions(source_date_epoch=EPOCH), prebreak=True)
    (taken, missed), = seen
    assert taken > 100 and missed == 0
    assert loads == []


@forks
def test_every_layout_with_a_core_to_spare_and_only_those(seed_source, tmp_path, monkeypatch):
    """write_pdfs (the build's PDF jobs) breaks lines ahead whenever the build leaves a core
    idle, the PDF and the print PDF of one layout too; the files are those of a build
    without it."""
    from corresp.exporters.pdf_shared import write_pdfs
    started = []
    real = prebreak.PreBreaker.start
    monkeypatch.setattr(prebreak.PreBreaker, "start", lambda self, *a, **kw: started.append(1) or real(self, *a, **kw))
    files = {}
    for spare in (0, 1):
        options = ExportOptions(source_date_epoch=EPOCH)
        options.spare_cores = spare
        targets = {t: tmp_path / f"{t}-{spare}.pdf" for t in ("pdf", "pdf-print")}
        write_pdfs(seed_source, targets, options)
        files[spare] = [p.read_bytes() for p in targets.values()]
    assert len(started) == 1
    assert files[0] == files[1]


@forks
def test_a_child_that_stalls_is_given_up(seed_source, tmp_path, seed_plain_pdf, monkeypatch):
    """A child that writes nothing for WAIT seconds is stopped, and not waited for again:
    the layout breaks every line itself, in about the time it would have taken anyway."""
    monkeypatch.setattr(prebreak, "_child", lambda *child_args: (time.sleep(120), os._exit(0)))
    monkeypatch.setattr(prebreak, "WAIT", 0.3)
    seen = _counting(monkeypatch)
    start = time.monotonic()
    save_pdf(lay_out_pdf(seed_source, ExportOptions(source_date_epoch=EPOCH), prebreak=True), tmp_path / "ahead.pdf")
    assert time.monotonic() - start < 30
    assert (tmp_path / "ahead.pdf").read_bytes() == seed_plain_pdf
    assert seen[-1][0] == 0 and seen[-1][1] > 100  # (closed when it stalled, and after the layout)


@forks
@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="lists a process's open files from /proc")
def test_the_child_holds_none_of_the_layouts_other_files(seed_source, tmp_path, monkeypatch):
    """The child keeps its pipe and the standard streams only: a pipe the layout's process
    holds (the build's sentinel, its result) closes when that process ends, whatever the
    child is doing."""
    read, write = os.pipe()  # stands for the build's pipes, held by the layout's process
    listing = tmp_path / "fds"

    def report(items, area, fd):
        listing.write_text(" ".join(sorted(os.listdir("/proc/self/fd"), key=int)) + f" | {fd}")

    monkeypatch.setattr(prebreak, "_break_all", report)
    try:
        lay_out_pdf(seed_source, ExportOptions(source_date_epoch=EPOCH), prebreak=True)
    finally:
        os.close(read)
        os.close(write)
    fds, ours = listing.read_text().split(" | ")
    # all but the standard streams, its pipe and listdir's own descriptor (open as it lists)
    assert len(set(fds.split()) - {"0", "1", "2", ours}) <= 1, fds
