"""Configuration, style and metadata values are checked before any exporter runs (issue 18,
points 3, 7 and 8): each reproduction of the issue as a fixed case, then fuzzers over
edition.toml and pdf.toml values (hypothesis: fixed examples in CI, new ones locally).
A value either builds files that are well-formed in every XML part, or is a one-line
configuration error (exit 3) with nothing written."""
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import SEED
from corresp.build import build
from corresp.errors import ConfigError
from corresp.exporters import ExportOptions, source_date_epoch

TEXT = SEED.read_text(encoding="utf-8")
SMALL = TEXT[: TEXT.index("\n", 6000)]


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    path = tmp_path_factory.mktemp("src") / "letters.txt"
    path.write_text(SMALL, encoding="utf-8")
    return path


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(".lock")) if folder.exists() else []


def xml_parts_parse(path: Path) -> None:
    """Every XML part of a zip (EPUB, DOCX) is well-formed."""
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith((".xml", ".xhtml", ".opf", ".ncx", ".rels")):
                etree.fromstring(z.read(name), etree.XMLParser(resolve_entities=False, huge_tree=True))


def corresp(*args, env=None, cwd=None):
    return subprocess.run([sys.executable, "-m", "corresp", *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, cwd=cwd, timeout=120)


# --- metadata -----------------------------------------------------------------------------

def test_a_control_character_in_the_title_is_removed_for_every_format(source, tmp_path):
    options = ExportOptions()
    build([source], tmp_path, ["json", "epub", "docx", "tei"], title="A\x01 title\x0b", options=options)
    assert any("title held characters no format can hold (U+0001, U+000B)" in w for w in options.warnings)
    for f in ("letters.epub", "letters.docx"):
        xml_parts_parse(tmp_path / f)
    assert json.loads((tmp_path / "letters.json").read_text())["title"] == "A title"


def test_a_source_name_that_is_not_utf8(tmp_path):
    raw = os.fsencode(tmp_path) + b"/\xcf\xe8\xf1\xfc\xec\xe0.txt"  # "Письма" in cp1251
    with open(raw, "wb") as f:
        f.write(SMALL.encode("utf-8"))
    path = Path(os.fsdecode(raw))
    with pytest.raises(ConfigError, match="not valid UTF-8.*give --name"):
        build([path], tmp_path / "a", ["json"])
    assert _files(tmp_path / "a") == []
    options = ExportOptions()
    build([path], tmp_path / "b", ["json", "epub"], name="letters", options=options)
    assert any("is not UTF-8" in w for w in options.warnings)
    json.loads((tmp_path / "b" / "letters.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("language", ["not a language!", "e", "en_GB", "x" * 9, "en-"])
def test_a_language_that_is_not_bcp47_is_refused(source, tmp_path, language):
    with pytest.raises(ConfigError, match="not a BCP 47 language tag"):
        build([source], tmp_path, ["json", "epub"], language=language)
    assert _files(tmp_path) == []


@pytest.mark.parametrize("language", ["en", "ru", "de-CH", "sr-Latn-RS", "zh-Hant", "en-GB-oxendict", "yue"])
def test_bcp47_tags_pass(language):
    from corresp.validate import language_tag
    assert language_tag(language) == language


@pytest.mark.parametrize("value", ["-1", "99999999999999999999", "1e9", "12a"])
def test_source_date_epoch_out_of_range_or_not_a_number(monkeypatch, value):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(ConfigError, match="SOURCE_DATE_EPOCH"):
        source_date_epoch()


def test_source_date_epoch_on_the_command_line(source, tmp_path):
    r = corresp("build", source, "-o", tmp_path, "-f", "json", env={"SOURCE_DATE_EPOCH": "-1"})
    assert r.returncode == 3 and r.stderr.count("\n") == 1 and "out of range" in r.stderr


def test_edition_toml_nested_deeply_is_one_line(tmp_path):
    (tmp_path / "edition.toml").write_text("title = " + "[" * 10000 + "]" * 10000 + "\n")
    r = corresp("build", "-c", tmp_path / "edition.toml", "-o", tmp_path / "out")
    assert r.returncode == 3 and r.stderr.count("\n") == 1, r.stderr
    assert "nested too deeply" in r.stderr or "not valid TOML" in r.stderr


def test_edition_toml_language_is_checked(tmp_path, source):
    (tmp_path / "edition.toml").write_text(f'language = "not a language!"\nsources = ["{source}"]\n')
    r = corresp("build", "-c", tmp_path / "edition.toml", "-o", tmp_path / "out")
    assert r.returncode == 3 and "BCP 47" in r.stderr and not (tmp_path / "out").exists()


# --- the style folder ---------------------------------------------------------------------

def _style(tmp_path, **parts) -> Path:
    style = tmp_path / "style"
    style.mkdir(exist_ok=True)
    for name, content in parts.items():
        name = name.replace("_", ".")
        (style / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    return style


@pytest.mark.parametrize("toml, says", [
    ("[headings]\ntitle_size = nan\n", "not a finite number"),
    ("[headings]\ntitle_size = inf\n", "not a finite number"),
    ("[text]\nsize = -inf\n", "not a finite number"),
    ('page = "width"\n', "must be a table"),
    ("[page]\nwidth = 1e12\n", "out of range"),
    ('[page]\nwidth = "1e12pt"\n', "out of range"),
    ('[page]\nwidth = "nanmm"\n', "not a finite number"),
    ("[page]\nwidth = [1, 2]\n", "single value"),
    ('[text]\nsize = "big"\n', "size"),
    ("[page]\nwidth = true\n", "width"),
    ("[page]\nx = " + "[" * 5000 + "]" * 5000 + "\n", "TOML"),
])
def test_bad_pdf_toml_values_are_refused_before_any_file(source, tmp_path, toml, says):
    style = _style(tmp_path, pdf_toml=toml)
    with pytest.raises(ConfigError, match=says) as info:
        build([source], tmp_path / "out", ["json", "pdf"], options=ExportOptions(style_dir=style))
    assert info.value.exit_code == 3 and "\n" not in str(info.value)
    assert _files(tmp_path / "out") == []


def test_pdf_toml_a_folder_or_a_dangling_link(source, tmp_path):
    style = tmp_path / "style"
    (style / "pdf.toml").mkdir(parents=True)
    with pytest.raises(ConfigError, match="not a file"):
        build([source], tmp_path / "out", ["pdf"], options=ExportOptions(style_dir=style))
    (style / "pdf.toml").rmdir()
    (style / "pdf.toml").symlink_to(tmp_path / "nowhere.toml")
    with pytest.raises(ConfigError, match="dangling"):
        build([source], tmp_path / "out", ["json"], options=ExportOptions(style_dir=style))


def test_a_truncated_font_is_a_configuration_error(source, tmp_path):
    from corresp.exporters import default_style_dir
    face = (default_style_dir() / "fonts" / "LiberationSerif-Regular.ttf").read_bytes()
    style = _style(tmp_path, pdf_toml='[fonts]\nregular = "cut.ttf"\n')
    (style / "cut.ttf").write_bytes(face[:5000])
    with pytest.raises(ConfigError):
        build([source], tmp_path / "out", ["json", "pdf"], options=ExportOptions(style_dir=style))
    assert _files(tmp_path / "out") == []


@pytest.mark.parametrize("css, says", [
    ('@import url("http://example.org/x.css");\np { margin: 0 }\n', "@import"),
    ('@font-face { font-family: X; src: url("https://example.org/x.woff") }\n', "remote"),
    ('body { background: url(img/paper.png) }\n', "does not hold"),
    ("</style><script>alert(1)</script>\n", "HTML"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not UTF-8|control character"),
    ("p { color: red\n", None),  # an unclosed block is valid CSS (closed at the end)
])
def test_epub_css_checked(source, tmp_path, css, says):
    style = _style(tmp_path, epub_css=css)
    options = ExportOptions(style_dir=style)
    if says is None:
        build([source], tmp_path / "out", ["epub"], options=options)
        return
    with pytest.raises(ConfigError, match=says):
        build([source], tmp_path / "out", ["json", "epub"], options=options)
    assert _files(tmp_path / "out") == []


def test_a_css_data_uri_is_fine(source, tmp_path):
    style = _style(tmp_path, epub_css='p { background: url("data:image/gif;base64,R0lGODlhAQABAAAAACw=") }\n')
    build([source], tmp_path / "out", ["epub"], options=ExportOptions(style_dir=style))


def test_a_reference_docx_zip_bomb_is_refused_before_it_is_inflated(source, tmp_path):
    import resource
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", "<w/>")
        with z.open("word/styles.xml", "w", force_zip64=True) as member:
            zeros = b"\0" * (1 << 20)
            for _ in range(200):  # 200 MB of zeros, 200 KB zipped
                member.write(zeros)
    style = _style(tmp_path, reference_docx=bomb.getvalue())
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(ConfigError, match="zip bomb"):
        build([source], tmp_path / "out", ["json", "docx"], options=ExportOptions(style_dir=style))
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100_000  # KB: nothing inflated
    assert _files(tmp_path / "out") == []


def test_a_reference_docx_that_is_not_a_zip(source, tmp_path):
    style = _style(tmp_path, reference_docx=b"not a zip")
    with pytest.raises(ConfigError, match="not a Word document"):
        build([source], tmp_path / "out", ["docx"], options=ExportOptions(style_dir=style))


# --- verify on malformed input ------------------------------------------------------------

@pytest.fixture(scope="module")
def edition_json(source, tmp_path_factory):
    out = tmp_path_factory.mktemp("json")
    build([source], out, ["json"])
    return json.loads((out / "letters.json").read_text())


@pytest.mark.parametrize("tamper", ["garbage", "no-footnotes", "documents-not-a-list", "nested", "doc-not-a-dict"])
def test_verify_on_a_malformed_json_edition_is_one_line_exit_5(edition_json, tmp_path, tamper):
    data = json.loads(json.dumps(edition_json))
    if tamper == "garbage":
        text = "{not json"
    elif tamper == "nested":
        text = '{"schema_version": "1", "documents": ' + "[" * 10000 + "]" * 10000 + "}"
    else:
        if tamper == "no-footnotes":
            del data["documents"][0]["footnotes"]
        elif tamper == "documents-not-a-list":
            data["documents"] = 5
        else:
            data["documents"][0] = "x"
        text = json.dumps(data)
    (tmp_path / "letters.json").write_text(text)
    r = corresp("verify", tmp_path, "--name", "letters")
    assert r.returncode == 5 and r.stderr.count("\n") == 1 and "internal error" not in r.stderr, r.stderr


def test_verify_name_must_be_a_plain_file_name(tmp_path):
    r = corresp("verify", tmp_path, "--name", "../x")
    assert r.returncode == 3 and "plain file name" in r.stderr


# --- the fuzzers --------------------------------------------------------------------------

_TEXTS = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=_TEXTS, subtitle=_TEXTS, editors=st.lists(_TEXTS, max_size=3),
       language=st.one_of(st.sampled_from(["en", "ru", "de-CH", "sr-Latn"]), st.text(max_size=12)))
def test_fuzz_edition_toml(source, tmp_path_factory, title, subtitle, editors, language):
    work = tmp_path_factory.mktemp("fuzz-edition")
    toml = "".join(f"{k} = {json.dumps(v, ensure_ascii=False)}\n" for k, v in
                   (("title", title), ("subtitle", subtitle), ("editors", editors), ("language", language),
                    ("sources", [str(source)]), ("output", str(work / "out"))))
    (work / "edition.toml").write_text(toml, encoding="utf-8")
    r = corresp("build", "-c", work / "edition.toml", "-f", "json", "-f", "epub", "-f", "docx", "-q")
    if r.returncode == 3:
        assert r.stderr.count("\n") == 1 and not _files(work / "out")
        return
    assert r.returncode in (0, 1), r.stderr  # 1: the source's own diagnostics
    for f in ("letters.epub", "letters.docx"):
        xml_parts_parse(work / "out" / f)


_SETTINGS = {"page": ["width", "height", "inner_margin", "top_margin"], "text": ["size", "leading", "indent"],
             "headings": ["title_size", "chapter_size"], "notes": ["size", "rule_thickness"]}
_VALUES = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**15, 10**15), st.booleans(),
    st.builds(lambda n, u: f"{n}{u}", st.floats(allow_nan=True, allow_infinity=True, width=32),
              st.sampled_from(["", "mm", "cm", "in", "pt", "px"])),
    st.text(max_size=10), st.lists(st.integers(), max_size=2))


def _toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return "nan" if v != v else ("inf" if v == float("inf") else "-inf" if v == float("-inf") else repr(v))
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    return json.dumps(v)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(section=st.sampled_from(sorted(_SETTINGS)), data=st.data())
def test_fuzz_pdf_toml(source, tmp_path_factory, section, data):
    key = data.draw(st.sampled_from(_SETTINGS[section]))
    value = data.draw(_VALUES)
    work = tmp_path_factory.mktemp("fuzz-pdf")
    style = work / "style"
    style.mkdir()
    (style / "pdf.toml").write_text(f"[{section}]\n{key} = {_toml_value(value)}\n", encoding="utf-8")
    try:
        build([source], work / "out", ["pdf"], options=ExportOptions(style_dir=style))
    except ConfigError as exc:
        assert exc.exit_code == 3 and "\n" not in str(exc)
        assert not _files(work / "out")
        return
    import pikepdf
    with pikepdf.open(work / "out" / "letters.pdf") as pdf:  # no `nan nan Tm` drawn
        for page in pdf.pages[:3]:
            content = b" ".join(c.read_bytes() for c in page.obj.get("/Contents").as_list()) \
                if isinstance(page.obj.get("/Contents"), pikepdf.Array) else page.obj.Contents.read_bytes()
            assert not re.search(rb"(^|\s)-?(nan|inf)\s", content, re.IGNORECASE)  # an operand, not "financial"
