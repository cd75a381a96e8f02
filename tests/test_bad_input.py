"""Bad input: a one-line `file:line: message`, a distinct non-zero exit, no traceback, no output."""
import subprocess
import sys

import pytest

from conftest import SEED


def run(*args, cwd):
    return subprocess.run([sys.executable, "-m", "corresp.cli", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True)


@pytest.fixture
def out(tmp_path):
    return tmp_path / "out"


@pytest.mark.parametrize("name, data, message, line", [
    ("empty.txt", b"", "empty file", None),
    ("blank.txt", b"\n\n   \n", "empty file", 1),
    ("nodocs.txt", b"1935 August\nJust an intro, no letters at all.\n", "no documents found", 1),
    ("latin1.txt", "1935 August\nStalin to Kaganovich August 1, 1935\nCaf\u00e9\n".encode("latin-1"), "invalid UTF-8 at byte offset 51", 3),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file", 3),
])
def test_bad_input_one_line_error_no_output(tmp_path, out, name, data, message, line):
    src = tmp_path / name
    src.write_bytes(data)
    r = run("build", src, "-o", out, cwd=tmp_path)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    [err] = r.stderr.strip().splitlines()
    where = f"{src}:{line}: " if line else f"{src}: "
    assert err.startswith(f"corresp: error: {where}") and message in err
    assert not out.exists() or not any(out.iterdir())


def test_directory_and_missing_file(tmp_path, out):
    r = run("build", tmp_path, "-o", out, cwd=tmp_path)
    assert r.returncode == 2 and "is a directory" in r.stderr and "Traceback" not in r.stderr
    r = run("check", tmp_path / "nope.txt", cwd=tmp_path)
    assert r.returncode == 2 and "no such file" in r.stderr


def test_name_cannot_escape_output_folder(tmp_path, out):
    for name in ("../../x", "/tmp/x", ".hidden"):
        r = run("build", SEED, "-o", out, "-f", "json", "--name", name, cwd=tmp_path)
        assert r.returncode == 3 and "--name must be a plain file name" in r.stderr
    assert not (tmp_path / "x.json").exists()


def test_unknown_format(tmp_path, out):
    r = run("build", SEED, "-o", out, "-f", "odt", cwd=tmp_path)
    assert r.returncode == 3 and "unknown format 'odt'" in r.stderr


def test_check_lists_note_repairs(tmp_path):
    r = run("check", SEED, cwd=tmp_path)
    assert r.returncode == 0
    lines = r.stderr.splitlines()
    assert any(l.startswith(f"{SEED}:358: warning: note printed as 4 paired with marker 2") for l in lines)
    assert any(":31: warning: note “On August 16, 1935" in l and "marker-inferred" in l for l in lines)
    assert any("marker-without-note" in l for l in lines)
    assert lines[-1].startswith("corresp: 1 chapter, 38 documents, 50 notes")


def test_json_build_and_schema(tmp_path, out):
    r = run("build", SEED, "-o", out, "-f", "json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    import json
    data = json.loads((out / "1935-08.json").read_text(encoding="utf-8"))
    assert len(data["documents"]) == 38
    assert [p.name for p in out.iterdir()] == ["1935-08.json"]  # no temp files left
    r = run("schema", cwd=tmp_path)
    schema = json.loads(r.stdout)
    assert "Document" in schema["$defs"] and "Footnote" in schema["$defs"]


def test_pandoc_missing_is_a_one_line_export_error(tmp_path, out):
    import os
    env = dict(os.environ, PYPANDOC_PANDOC=str(tmp_path / "no-pandoc"))
    r = subprocess.run([sys.executable, "-m", "corresp", "build", str(SEED), "-o", str(out), "-f", "docx"],
                       cwd=tmp_path, capture_output=True, text=True, env=env)
    assert r.returncode == 4
    [err] = r.stderr.strip().splitlines()
    assert err.startswith("corresp: error: ") and "pandoc" in err
    assert not (out / "1935-08.docx").exists()


def test_debug_shows_the_traceback(tmp_path):
    src = tmp_path / "empty.txt"
    src.write_bytes(b"")
    r = run("check", src, "--debug", cwd=tmp_path)
    assert r.returncode != 0 and "Traceback" in r.stderr and "InputError" in r.stderr


def test_output_folder_that_is_a_file(tmp_path):
    blocker = tmp_path / "out"
    blocker.write_text("not a folder")
    r = run("build", SEED, "-o", blocker, "-f", "json", cwd=tmp_path)
    assert r.returncode == 4 and "cannot write to the output folder" in r.stderr and "Traceback" not in r.stderr


def test_unwritable_output_folder_even_as_root(tmp_path):
    import shutil
    if shutil.which("chattr") is None:
        pytest.skip("needs chattr")
    out = tmp_path / "ro"
    out.mkdir()
    if subprocess.run(["chattr", "+i", str(out)], capture_output=True).returncode:
        pytest.skip("the file system does not support immutable folders")
    try:
        r = run("build", SEED, "-o", out, "-f", "json", cwd=tmp_path)
    finally:
        subprocess.run(["chattr", "-i", str(out)])
    assert r.returncode == 4 and "cannot write" in r.stderr and "Traceback" not in r.stderr
