"""The publishing pipeline: edition.toml, reproducible builds, atomic writes, make."""
import hashlib
import os
import shutil
import subprocess
import sys

import pytest

from conftest import FIXTURES, ROOT, SEED
from corresp.build import build
from corresp.errors import ExportError
from corresp.exporters import ExportOptions


def corresp(*args, cwd, env=None):
    return subprocess.run([sys.executable, "-m", "corresp", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, env=env)


def test_two_clean_builds_are_byte_identical(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    build([SEED], a)
    build([SEED], b)
    files = sorted(p.name for p in a.iterdir())
    assert files == ["1935-08.cmif.xml", "1935-08.docx", "1935-08.epub", "1935-08.json", "1935-08.pdf",
                     "1935-08.print.pdf", "1935-08.tei.xml"]
    for name in files:
        assert hashlib.sha256((a / name).read_bytes()).digest() == hashlib.sha256((b / name).read_bytes()).digest(), name


def test_source_date_epoch_changes_dated_formats(tmp_path):
    build([SEED], tmp_path / "a", formats=["epub"], options=ExportOptions(source_date_epoch=1000000000))
    build([SEED], tmp_path / "b", formats=["epub"], options=ExportOptions(source_date_epoch=1100000000))
    assert (tmp_path / "a" / "1935-08.epub").read_bytes() != (tmp_path / "b" / "1935-08.epub").read_bytes()


def test_edition_toml_volume_and_overrides(tmp_path):
    shutil.copy(SEED, tmp_path / "a.txt")
    shutil.copy(FIXTURES / "messy-1932-10.txt", tmp_path / "b.txt")
    (tmp_path / "edition.toml").write_text(
        'title = "A Volume"\nsubtitle = "Two months"\neditors = ["A. Editor"]\nnotes = "continuous"\n'
        'sources = ["b.txt", "a.txt"]\nname = "vol"\noutput = "out"\n', encoding="utf-8")
    r = corresp("build", "-f", "json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    import json
    data = json.loads((tmp_path / "out" / "vol.json").read_text(encoding="utf-8"))
    assert data["title"] == "A Volume" and data["subtitle"] == "Two months" and data["editors"] == ["A. Editor"]
    assert [c["title"] for c in data["chapters"]] == ["1932 October", "1935 August"]
    labels = [n["label"] for d in data["documents"] for n in d["footnotes"]]
    assert labels == [str(i) for i in range(len(labels) + 1)][1:] or labels[-1] == str(len(labels) + 1)
    # command-line options win over the file
    r = corresp("build", "-f", "json", "--notes", "per-document", "--title", "Other", "--name", "x", cwd=tmp_path)
    data = json.loads((tmp_path / "out" / "x.json").read_text(encoding="utf-8"))
    assert data["title"] == "Other" and data["notes_scheme"] == "per-document"


def test_bad_edition_toml_is_a_config_error(tmp_path):
    (tmp_path / "edition.toml").write_text('notes = "sometimes"\n', encoding="utf-8")
    r = corresp("build", cwd=tmp_path)
    assert r.returncode == 3 and "edition.toml: notes:" in r.stderr and "Traceback" not in r.stderr


def test_failed_export_keeps_the_last_good_file(tmp_path, monkeypatch):
    build([SEED], tmp_path, formats=["json"])
    good = (tmp_path / "1935-08.json").read_bytes()
    from corresp.exporters import json_edition

    def broken(self, edition, path, options):
        path.write_text("{ half a fi")
        raise RuntimeError("disk full")
    monkeypatch.setattr(json_edition.JsonExporter, "export", broken)
    with pytest.raises(ExportError, match="json exporter failed: RuntimeError: disk full"):
        build([SEED], tmp_path, formats=["json"], jobs=1)
    assert (tmp_path / "1935-08.json").read_bytes() == good
    assert [p.name for p in tmp_path.iterdir()] == ["1935-08.json"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_output_folder(tmp_path):
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o500)
    r = corresp("build", SEED, "-o", out, "-f", "json", cwd=tmp_path)
    assert r.returncode == 4 and "Traceback" not in r.stderr


def test_full_disk_is_an_export_error(tmp_path, monkeypatch):
    import corresp.build as b

    def full(*a, **k):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(b.os, "replace", full)
    with pytest.raises(ExportError, match="No space left on device"):
        build([SEED], tmp_path, formats=["json"], jobs=1)
    assert list(tmp_path.iterdir()) == []


def test_make_is_incremental(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds / "m.txt")
    styles = tmp_path / "styles"
    shutil.copytree(ROOT / "src" / "corresp" / "styles", styles)
    args = ["make", "-C", str(ROOT), f"SEEDS_DIR={seeds}", f"OUT={tmp_path / 'out'}", f"STYLES={styles}"]
    first = subprocess.run(args + ["-j2", "json", "epub"], capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "out" / "m.json").exists() and (tmp_path / "out" / "m.epub").exists()
    assert subprocess.run(args + ["-q", "json", "epub"]).returncode == 0  # nothing to do

    def touch(path):
        newer = max(os.path.getmtime(p) for p in (tmp_path / "out").iterdir()) + 5
        os.utime(path, (newer, newer))
    touch(styles / "epub.css")  # a style change rebuilds only its format
    assert subprocess.run(args + ["-q", "json"]).returncode == 0
    assert subprocess.run(args + ["-q", "epub"]).returncode == 1
    touch(seeds / "m.txt")  # a source change rebuilds everything made from it
    assert subprocess.run(args + ["-q", "json"]).returncode == 1


NOTE_OF_TWO_PARAGRAPHS = """1935 August

Stalin to Kaganovich August 19, 1935

Archive: RGASPI F. 558. Op. 11. D. 88. L. 25. Autograph.
Kaganovich.

First matter 1 . Second matter 2 .

Stalin.

_____

1 One.

The telegram read: "Agree."

2 Two.
"""


def test_a_note_of_two_paragraphs_keeps_them_apart_in_every_format(tmp_path):
    import zipfile
    from pypdf import PdfReader
    from corresp.verify import verify_dir
    src = tmp_path / "two.txt"
    src.write_text(NOTE_OF_TWO_PARAGRAPHS, encoding="utf-8")
    result = build([src], tmp_path / "out")
    assert [n.text for n in result.edition.documents[0].footnotes] == ['One.\nThe telegram read: "Agree."', "Two."]
    assert verify_dir(tmp_path / "out")[0] == []
    pdf = "".join(p.extract_text() for p in PdfReader(str(tmp_path / "out" / "two.pdf")).pages)
    # its own line, not run on (the PDF and EPUB print it in house typography: curly quotes)
    assert '1 One.\nThe telegram read: “Agree.”\n2 Two.' in pdf
    with zipfile.ZipFile(tmp_path / "out" / "two.epub") as z:
        page = z.read("EPUB/text/chapter-001.xhtml").decode()
    assert '1</a> One.</p><p>The telegram read: “Agree.”</p></aside>' in page
    with zipfile.ZipFile(tmp_path / "out" / "two.docx") as z:
        notes = z.read("word/footnotes.xml").decode()
    assert "<w:br />" in notes or "<w:br/>" in notes


def test_soft_and_non_breaking_hyphens_and_tabs_read_back_the_same_in_every_format(tmp_path):
    # Word keeps them as elements of their own (w:softHyphen, w:noBreakHyphen, w:tab); the
    # PDF's faces lack U+2011 and draw it as U+2010; a soft hyphen is not drawn at all.
    from corresp.verify import verify_dir
    text = NOTE_OF_TWO_PARAGRAPHS.replace("1 One.", "1 A soft\u00adhyphen, a non\u2011breaking\thyphen.")
    text = text.replace("First matter", "First soft\u00adhyphen non\u2011breaking matter")
    src = tmp_path / "hyphens.txt"
    src.write_text(text, encoding="utf-8")
    options = ExportOptions()
    build([src], tmp_path / "out", options=options)
    assert not [w for w in options.warnings if "lacks" in w]
    assert verify_dir(tmp_path / "out")[0] == []


def test_a_note_that_ends_in_a_soft_hyphen_keeps_it_in_the_docx(tmp_path):
    import zipfile
    # pandoc's writer drops a soft hyphen that ends a text; the DOCX writes Word's element.
    from corresp.verify import verify_dir
    text = NOTE_OF_TWO_PARAGRAPHS.replace("1 One.", "1 One soft\u00ad")
    src = tmp_path / "soft.txt"
    src.write_text(text, encoding="utf-8")
    build([src], tmp_path / "out", formats=["json", "docx"])
    with zipfile.ZipFile(tmp_path / "out" / "soft.docx") as z:
        assert "<w:softHyphen/>" in z.read("word/footnotes.xml").decode()
    assert verify_dir(tmp_path / "out")[0] == []
