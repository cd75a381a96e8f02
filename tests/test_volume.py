"""A volume of several sources (issue 14): built in every format, it verifies, chapter
intros and their notes included."""
import json
import subprocess
import sys

import pytest

from conftest import FIXTURES, SEED
from corresp.build import build
from corresp.exporters import ExportOptions
from corresp.verify import INTRO, docx_reader, epub_reader, read_json, verify_dir

# English, Russian, and a source that kept the edition's superscripts (its intro has a note).
SOURCES = [SEED, FIXTURES / "ru-1933-08.txt", FIXTURES / "superscripts-1934-05.txt"]
FORMATS = ["json", "epub", "pdf", "docx"]


@pytest.fixture(scope="module", params=["per-document", "continuous"])
def volume(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(f"volume-{request.param}")
    result = build(SOURCES, out, FORMATS, "volume", ExportOptions(notes=request.param))
    return out, result, request.param


def test_the_volume_is_three_chapters_with_an_intro_note(volume):
    out, result, _ = volume
    assert [p.name for p in result.written] == [f"volume.{f}" for f in FORMATS]
    assert [c.source for c in result.edition.chapters] == [s.name for s in SOURCES]
    assert sum(len(c.notes) for c in result.edition.chapters) >= 1  # the superscripts month's intro


def test_a_volume_verifies_in_every_format(volume):
    out, _, _ = volume
    problems, checked = verify_dir(out, "volume")
    assert problems == []
    assert sorted(p.suffix for p in checked) == [".docx", ".epub", ".json", ".pdf"]


def test_every_reader_reads_the_chapters_and_their_intro_notes(volume):
    out, result, _ = volume
    want = [(c.title, len(c.notes)) for c in result.edition.chapters]
    for read, ext in ((read_json, "json"), (epub_reader.read, "epub"), (docx_reader.read, "docx")):
        chapters = [(d.heading, len(d.notes)) for d in read(out / f"volume.{ext}") if d.kind == INTRO]
        assert chapters[:len(want)] == want, ext  # the DOCX also has its index's heading after them


def test_an_intro_note_that_differs_is_found_in_every_format(volume, tmp_path):
    """The JSON edition with the intro note changed: each format must disagree with it."""
    out, result, _ = volume
    data = json.loads((out / "volume.json").read_text(encoding="utf-8"))
    ci = next(i for i, c in enumerate(data["chapters"]) if c["notes"])
    data["chapters"][ci]["notes"][0]["text"] = "A note no format carries."
    (tmp_path / "volume.json").write_text(json.dumps(data), encoding="utf-8")
    for ext in ("epub", "pdf", "docx"):
        (tmp_path / f"volume.{ext}").write_bytes((out / f"volume.{ext}").read_bytes())
    problems, _ = verify_dir(tmp_path, "volume")
    intro = f"chapter-{ci + 1}-intro: note"
    for ext in ("epub", "pdf", "docx"):
        assert any(f"volume.{ext}: {intro}" in p for p in problems), (ext, problems)
    # ... and no letter is blamed for it (the DOCX reader once credited it to the letter before).
    assert all(intro in p for p in problems), problems


def test_the_cli_builds_and_verifies_a_volume(tmp_path):
    r = subprocess.run([sys.executable, "-m", "corresp", "build", *map(str, SOURCES), "-o", str(tmp_path),
                        *[a for f in FORMATS for a in ("-f", f)], "--verify", "-q"],
                       capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""  # -q: nothing on success
