"""Pieces written aside (exporters/pdf_parts/aside.py): a build of the PDF alone on a
machine with a core to spare has a forked child deflate the pages' and forms' streams and
format the structure tree; the file is the same as the one written without it, and a child
that fails only makes the writer do the rest itself."""
import os

import pytest

from conftest import SEED
from corresp.build import export_one
from corresp.exporters import ExportOptions
from corresp.exporters.pdf import lay_out_pdf, save_pdf
from corresp.exporters.pdf_parts import aside
from corresp.readers import read_sources

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the child is forked")
EPOCH = 1767225600


@pytest.fixture(scope="module")
def seed():
    edition, _ = read_sources([SEED], [])
    return edition


def _write(edition, path, helped):
    save_pdf(lay_out_pdf(edition, ExportOptions(source_date_epoch=EPOCH)), path, aside=helped)
    return path.read_bytes()


def test_same_bytes_with_and_without(seed, tmp_path):
    """The writer and the child meet wherever they meet: the same file."""
    assert _write(seed, tmp_path / "aside.pdf", True) == _write(seed, tmp_path / "here.pdf", False)


def test_every_piece_from_the_child(seed, tmp_path, monkeypatch):
    """A writer that waits for everything the child sends (a blocking pipe: its first read
    lasts until the child is done) takes every piece from it: the child's bytes alone make
    the same file."""
    monkeypatch.setattr(aside.os, "set_blocking", lambda fd, blocking: None)
    plans, taken = [], []
    real_plan, real_sent = aside.planned, aside.AsideWriter._sent
    monkeypatch.setattr(aside, "planned", lambda doc: plans.append(real_plan(doc)) or plans[-1])
    monkeypatch.setattr(aside.AsideWriter, "_sent", lambda self, k: taken.append(real_sent(self, k)) or taken[-1])
    assert _write(seed, tmp_path / "aside.pdf", True) == _write(seed, tmp_path / "here.pdf", False)
    kinds = {p[0] for p in plans[0]}
    assert kinds == {"deflate", "run"} and len(taken) == len(plans[0]) and None not in taken


@pytest.mark.parametrize("where", [0, 5, -1], ids=["first", "midway", "last"])
def test_a_child_that_fails(seed, tmp_path, monkeypatch, where):
    """The child dies at some piece (one it cannot do): the writer does that one and the
    rest; the same file."""
    real = aside.planned

    def broken(doc):
        plan = real(doc)
        plan.insert(where if where >= 0 else len(plan), ("deflate", object()))
        return plan
    monkeypatch.setattr(aside, "planned", broken)
    assert _write(seed, tmp_path / "aside.pdf", True) == _write(seed, tmp_path / "here.pdf", False)


def test_a_build_of_the_pdf_alone_uses_the_spare_core(seed, tmp_path, monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    made = []
    real = aside.AsideWriter.__init__

    def init(self, document, plan):
        made.append(len(plan))
        real(self, document, plan)
    monkeypatch.setattr(aside.AsideWriter, "__init__", init)
    from corresp import publish
    monkeypatch.setattr(publish, "can_fork", lambda: False)  # in this process: `made` is seen
    export_one(seed, "pdf", tmp_path, "alone", ExportOptions(source_date_epoch=EPOCH))
    assert made and made[0] > 20
    made.clear()
    monkeypatch.setattr(os, "cpu_count", lambda: 1)  # no core to spare: the writer does it all
    export_one(seed, "pdf", tmp_path, "one-core", ExportOptions(source_date_epoch=EPOCH))
    assert not made
    assert (tmp_path / "alone.pdf").read_bytes() == (tmp_path / "one-core.pdf").read_bytes()
