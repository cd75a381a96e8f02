"""Configuration you can see (issue 14): when edition.toml applies, style folders holding any
subset of their parts, fonts (TrueType and OpenType/CFF, coverage checked before the
build), and the command line's small things (-q, format names, plurals, diagnostic order)."""
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, SEED
from corresp.build import build
from corresp.errors import ConfigError
from corresp.exporters import ExportOptions, default_style_dir

RU = FIXTURES / "ru-1933-08.txt"
DEFAULTS = ROOT / "src" / "corresp" / "styles"
FORMATS = ["json", "epub", "pdf", "docx"]

ONE_LETTER = """1935 August

Stalin to Kaganovich August 19, 1935

Archive: RGASPI F. 558. Op. 11. D. 88. L. 25. Autograph.
Kaganovich.

The only matter 1 .

Stalin.

_____

1 The only note.
"""


def corresp(*args, cwd):
    return subprocess.run([sys.executable, "-m", "corresp", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True)


def edition_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


# --- edition.toml: used when named, or when build has no INPUT -------------------------------

@pytest.fixture
def folder(tmp_path):
    """A working folder with an English volume's edition.toml, like the repository's."""
    shutil.copy(SEED, tmp_path / "seed.txt")
    shutil.copy(RU, tmp_path / "ru.txt")
    (tmp_path / "edition.toml").write_text(
        'title = "An English Volume"\nlanguage = "en"\nsources = ["seed.txt"]\nname = "vol"\n', encoding="utf-8")
    return tmp_path


def test_explicit_inputs_ignore_an_edition_toml_in_the_working_folder(folder):
    r = corresp("build", "ru.txt", "-o", "out", "-f", "json", cwd=folder)
    assert r.returncode == 0, r.stderr
    assert "edition.toml" not in r.stderr
    data = edition_json(folder / "out" / "ru.json")  # not vol.json: the file's name is not used either
    assert data["language"] == "ru"  # from the source
    assert data["title"] != "An English Volume"


def test_build_without_input_uses_edition_toml_and_says_so(folder):
    r = corresp("build", "-o", "out", "-f", "json", cwd=folder)
    assert r.returncode == 0, r.stderr
    assert "corresp: using edition.toml (title, language, sources, name)" in r.stderr
    data = edition_json(folder / "out" / "vol.json")
    assert data["title"] == "An English Volume" and data["language"] == "en"
    quiet = corresp("build", "-o", "out", "-f", "json", "-q", cwd=folder)
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_the_announcement_names_only_what_the_file_sets(tmp_path):
    from corresp.config import load
    (tmp_path / "edition.toml").write_text('title = "T"\nstyle = "s"\n', encoding="utf-8")
    assert load(tmp_path / "edition.toml").fields_set() == ["title", "style"]


def test_a_named_config_applies_to_explicit_inputs(folder):
    r = corresp("build", "--config", "edition.toml", "ru.txt", "-o", "out", "-f", "json", cwd=folder)
    assert r.returncode == 0, r.stderr
    assert "using edition.toml" not in r.stderr  # named, so nothing to announce
    data = edition_json(folder / "out" / "ru.json")
    assert data["title"] == "An English Volume" and data["language"] == "en"  # asked for


def test_language_comes_from_the_source_unless_given(tmp_path):
    assert build([RU], tmp_path, ["json"]).edition.language == "ru"
    assert build([SEED], tmp_path, ["json"]).edition.language == "en"
    r = corresp("build", RU, "-o", tmp_path, "-f", "json", "--language", "en", cwd=tmp_path)
    assert r.returncode == 0 and edition_json(tmp_path / "ru-1933-08.json")["language"] == "en"


# --- the command line's small things -----------------------------------------------------------

def test_quiet_prints_nothing_on_success_and_errors_still(tmp_path):
    r = corresp("build", SEED, "-o", tmp_path / "out", "-q", "--verify", cwd=tmp_path)
    assert r.returncode == 0 and r.stdout == "" and r.stderr == ""
    r = corresp("verify", tmp_path / "out", "-q", cwd=tmp_path)
    assert r.returncode == 0 and r.stderr == ""
    r = corresp("build", tmp_path / "missing.txt", "-q", cwd=tmp_path)
    assert r.returncode == 2 and "missing.txt" in r.stderr


def test_format_names_are_case_insensitive(tmp_path):
    r = corresp("build", SEED, "-o", tmp_path, "-f", "PDF", "-f", "Json", "-f", "json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["1935-08.json", "1935-08.pdf"]
    bad = corresp("build", SEED, "-o", tmp_path, "-f", "PNG", cwd=tmp_path)
    assert bad.returncode == 3 and "unknown format 'PNG'" in bad.stderr


def test_counts_are_singular_for_one(tmp_path):
    src = tmp_path / "one.txt"
    src.write_text(ONE_LETTER, encoding="utf-8")
    r = corresp("build", src, "-o", tmp_path / "out", "-f", "json", "--verify", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "corresp: built 1 document, 1 note, 1 file (one.json)" in r.stderr
    assert "corresp: verified 1 file: one.json" in r.stderr
    r = corresp("check", src, cwd=tmp_path)
    # A source without a book title is titled from its language, with one warning saying so.
    assert "corresp: 1 chapter, 1 document, 1 note; 1 warning, 0 errors" in r.stderr
    assert "[no-edition-title]" in r.stderr
    assert not re.search(r"\b1 (documents|notes|files|chapters|warnings|errors)\b", r.stderr)


def test_diagnostics_are_sorted_by_file_and_line(tmp_path):
    superscripts = FIXTURES / "superscripts-1934-05.txt"
    for command in ("check", "build"):
        args = [command, SEED, superscripts] + (["-o", tmp_path, "-f", "json"] if command == "build" else [])
        r = corresp(*args, cwd=tmp_path)
        where = [(m.group(1), int(m.group(2))) for m in re.finditer(r"^(\S+?):(\d+): ", r.stderr, re.M)]
        assert len(where) > 10
        files = [str(SEED), str(superscripts)]
        assert where == sorted(where, key=lambda w: (files.index(w[0]), w[1])), command


# --- style folders: any subset of the parts ----------------------------------------------------

def _styles_xml(docx: Path) -> bytes:
    with zipfile.ZipFile(docx) as z:
        return z.read("word/styles.xml")


def _marked_reference_docx(target: Path) -> None:
    """The default reference.docx with one more style: a mark to find in the output."""
    mark = b'<w:style w:type="paragraph" w:customStyle="1" w:styleId="Marked"><w:name w:val="Marked"/></w:style>'
    with zipfile.ZipFile(DEFAULTS / "reference.docx") as src, zipfile.ZipFile(target, "w") as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/styles.xml":
                data = data.replace(b"</w:styles>", mark + b"</w:styles>")
            out.writestr(info, data)


@pytest.mark.parametrize("part", ["nothing", "pdf.toml", "epub.css", "reference.docx", "fonts"])
def test_a_style_folder_may_hold_any_one_part(tmp_path, part):
    style = tmp_path / "style"
    style.mkdir()
    if part == "pdf.toml":
        (style / "pdf.toml").write_text('[page]\nwidth = "148mm"\nheight = "210mm"\n')
    elif part == "epub.css":
        (style / "epub.css").write_text("body { color: #654321; }\n")
    elif part == "reference.docx":
        _marked_reference_docx(style / "reference.docx")
    elif part == "fonts":  # the default face names, here: the bold face as the regular one
        (style / "fonts").mkdir()
        shutil.copy(DEFAULTS / "fonts" / "LiberationSerif-Bold.ttf", style / "fonts" / "LiberationSerif-Regular.ttf")
    options = ExportOptions(style_dir=style)
    result = build([SEED], tmp_path / "out", FORMATS, options=options)
    assert [p.suffix for p in result.written] == [".json", ".epub", ".pdf", ".docx"]
    assert options.warnings == []
    out = tmp_path / "out"
    from pypdf import PdfReader
    pdf = PdfReader(str(out / "1935-08.pdf"))
    with zipfile.ZipFile(out / "1935-08.epub") as z:
        css = z.read("EPUB/styles/epub.css")
    size = tuple(round(float(v)) for v in (pdf.pages[0].mediabox.width, pdf.pages[0].mediabox.height))
    assert size == ((420, 595) if part == "pdf.toml" else (442, 663))
    assert css == ((style / "epub.css").read_bytes() if part == "epub.css" else (DEFAULTS / "epub.css").read_bytes())
    assert (b'w:styleId="Marked"' in _styles_xml(out / "1935-08.docx")) == (part == "reference.docx")
    body_fonts = {str(f.get_object()["/BaseFont"]) for f in pdf.pages[3]["/Resources"]["/Font"].values()}
    assert all("Bold" in f or "Italic" in f for f in body_fonts) == (part == "fonts")


def test_a_style_folder_that_does_not_exist_is_a_config_error(tmp_path):
    r = corresp("build", SEED, "-o", tmp_path / "out", "--style", tmp_path / "nowhere", cwd=tmp_path)
    assert r.returncode == 3 and "nowhere" in r.stderr and "does not exist" in r.stderr
    assert not (tmp_path / "out").exists()


def test_styles_dump_writes_the_defaults_to_start_from(tmp_path):
    r = corresp("styles", "--dump", "mine", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    dumped = sorted(str(p.relative_to(tmp_path / "mine")) for p in (tmp_path / "mine").rglob("*") if p.is_file())
    assert {"pdf.toml", "epub.css", "reference.docx", "fonts/LiberationSerif-Regular.ttf"} <= set(dumped)
    for name in dumped:
        assert (tmp_path / "mine" / name).read_bytes() == (default_style_dir() / name).read_bytes()
    again = corresp("styles", "--dump", "mine", cwd=tmp_path)
    assert again.returncode == 3 and "--force" in again.stderr
    assert corresp("styles", "--dump", "mine", "--force", cwd=tmp_path).returncode == 0
    (tmp_path / "mine" / "epub.css").unlink()
    shown = corresp("styles", "--style", "mine", cwd=tmp_path)
    assert re.search(r"^epub\.css\s+default$", shown.stdout, re.M)
    assert re.search(r"^pdf\.toml\s+mine/pdf\.toml$", shown.stdout, re.M)
    r = corresp("build", SEED, "-o", "out", "--style", "mine", "-q", cwd=tmp_path)
    assert r.returncode == 0 and r.stderr == ""
    # Keep only what you change: the dumped pdf.toml names fonts/ the folder no longer holds.
    shutil.rmtree(tmp_path / "mine" / "fonts")
    r = corresp("build", SEED, "-o", "out", "--style", "mine", "-f", "pdf", "-q", cwd=tmp_path)
    assert r.returncode == 0 and r.stderr == ""


# --- fonts: TrueType and OpenType (CFF), coverage checked before the build ---------------------

def _font(path: Path, out: Path, unicodes, cff: bool) -> Path:
    """Liberation Serif cut to `unicodes`, as TrueType or with its outlines turned into CFF."""
    from fontTools.subset import Options, Subsetter
    from fontTools.ttLib import TTFont
    font = TTFont(str(path))
    options = Options()
    options.name_IDs = ["*"]
    subsetter = Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    if not cff:
        font.save(str(out))
        return out
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen
    order, glyphs = font.getGlyphOrder(), font.getGlyphSet()
    charstrings = {}
    for name in order:
        pen = T2CharStringPen(glyphs[name].width, glyphs)
        glyphs[name].draw(pen)
        charstrings[name] = pen.getCharString()
    ps_name = f"CorrespTest{out.stem.title().replace('-', '')}"
    fb = FontBuilder(font["head"].unitsPerEm, isTTF=False)
    fb.setupGlyphOrder(order)
    fb.setupCharacterMap(font.getBestCmap())
    fb.setupCFF(ps_name, {"FullName": ps_name}, charstrings, {})
    fb.setupHorizontalMetrics({n: font["hmtx"][n] for n in order})
    fb.setupHorizontalHeader(ascent=font["hhea"].ascent, descent=font["hhea"].descent)
    fb.setupNameTable({"familyName": ps_name, "styleName": "Regular", "psName": ps_name})
    os2 = font["OS/2"]
    fb.setupOS2(sTypoAscender=os2.sTypoAscender, sTypoDescender=os2.sTypoDescender,
                usWinAscent=os2.usWinAscent, usWinDescent=os2.usWinDescent, fsType=0)
    fb.setupPost()
    fb.save(str(out))
    return out


LATIN = [*range(0x20, 0x250), *range(0x2000, 0x2070), 0x2116]
CYRILLIC = [*range(0x400, 0x500)]
FACES = {"regular": "Regular", "italic": "Italic", "bold": "Bold", "bold_italic": "BoldItalic"}


def _font_style(folder: Path, unicodes, cff: bool) -> Path:
    folder.mkdir()
    lines = ["[fonts]"]
    for key, face in FACES.items():
        ext = "otf" if cff else "ttf"
        _font(DEFAULTS / "fonts" / f"LiberationSerif-{face}.ttf", folder / f"face-{key}.{ext}", unicodes, cff)
        lines.append(f'{key} = "face-{key}.{ext}"')
    (folder / "pdf.toml").write_text("\n".join(lines) + "\n")
    return folder


def test_opentype_cff_faces_are_embedded_as_truetype_outlines(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # converted faces are cached there
    style = _font_style(tmp_path / "cff", LATIN + CYRILLIC, cff=True)
    assert (style / "face-regular.otf").read_bytes()[:4] == b"OTTO"
    out = tmp_path / "out"
    r = corresp("build", SEED, RU, "-o", out, "-f", "json", "-f", "pdf", "--style", style, "--verify", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "same documents and notes in every format" in r.stderr
    from pypdf import PdfReader
    pdf = PdfReader(str(out / "edition.pdf"))
    fonts = [f.get_object() for f in pdf.pages[8]["/Resources"]["/Font"].values()]
    assert fonts and all(str(f["/BaseFont"]).split("+")[-1].startswith("CorrespTest") for f in fonts)
    for f in fonts:
        descriptor = (f["/DescendantFonts"][0].get_object() if "/DescendantFonts" in f else f)["/FontDescriptor"]
        assert "/FontFile2" in descriptor.get_object()  # TrueType outlines, embedded
    assert "Stalin" in pdf.pages[8].extract_text()


def test_a_converted_face_is_cached_by_content(tmp_path, monkeypatch):
    from corresp.exporters.pdf_parts import fonts
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    otf = _font(DEFAULTS / "fonts" / "LiberationSerif-Regular.ttf", tmp_path / "face.otf", LATIN, cff=True)
    first = fonts.truetype_outlines(otf)
    assert first[:4] == b"\x00\x01\x00\x00" and len(list((tmp_path / "cache").rglob("*.ttf"))) == 1

    def no_conversion(path):
        raise AssertionError("converted again")
    monkeypatch.setattr(fonts, "cff_to_truetype", no_conversion)
    assert fonts.truetype_outlines(otf) == first


def test_a_font_without_the_editions_letters_is_an_error_before_the_build(tmp_path):
    style = _font_style(tmp_path / "latin", LATIN, cff=False)
    out = tmp_path / "out"
    r = corresp("build", RU, "-o", out, "--style", style, cwd=tmp_path)
    assert r.returncode == 3, r.stderr
    message = r.stderr.strip().splitlines()[-1]
    assert "face-regular.ttf" in message and "lacks" in message
    assert "А (U+0410)" in message and "ru-1933-08.txt" in message
    assert not out.exists() or list(out.iterdir()) == []  # no format was written
    # Latin letters only: the same faces build a letter in English (in every format).
    (tmp_path / "one.txt").write_text(ONE_LETTER, encoding="utf-8")
    r = corresp("build", "one.txt", "-o", out, "--style", style, "-q", cwd=tmp_path)
    assert r.returncode == 0 and r.stderr == "", r.stderr


def test_symbols_and_other_scripts_a_face_lacks_stay_warnings(tmp_path):
    src = tmp_path / "mark.txt"
    src.write_text(ONE_LETTER.replace("The only matter", "The only matter ✓ (中文)"), encoding="utf-8")
    options = ExportOptions()
    build([src], tmp_path / "out", ["pdf"], options=options)
    assert any("U+2713" in w and "U+4E2D" in w for w in options.warnings)


def test_the_coverage_error_comes_from_the_library_too(tmp_path):
    style = _font_style(tmp_path / "latin", LATIN, cff=False)
    with pytest.raises(ConfigError, match="lacks"):
        build([RU], tmp_path / "out", ["json", "pdf"], options=ExportOptions(style_dir=style))
    assert not (tmp_path / "out" / "ru-1933-08.json").exists()
