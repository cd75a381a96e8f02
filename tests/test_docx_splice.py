"""docx_parts.splice writes the calendar's rows and the index's entries as pandoc writes them:
the DOCX is byte for byte the one pandoc writes from the whole AST, on real editions and on
texts chosen to trip a writer (escapes, spaces, long and non-letter identifiers)."""
from __future__ import annotations

import copy
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from corresp.exporters import ExportOptions
from corresp.exporters.docx import DocxExporter
from corresp.exporters.docx_parts import pandoc_run, splice
from corresp.exporters.docx_parts.pandoc_ast import pageref_xml, str_inlines

sys.path.insert(0, str(Path(__file__).parent))
from sample_edition import NASTY, p, sample_edition  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "1935-08.txt"
REFERENCE = ROOT / "src" / "corresp" / "styles" / "reference.docx"


def seed_edition():
    parse = pytest.importorskip("corresp.readers.text.parser")
    return parse.read_edition([SEED])[0]


def export(edition, path: Path, scheme: str = "per-document") -> bytes:
    options = ExportOptions(notes=scheme, style_dir=ROOT / "styles")
    options.source_date_epoch = 1767225600
    DocxExporter().export(edition, path, options)
    return path.read_bytes()


def pandoc_writes_everything(monkeypatch) -> None:
    """The exporter as it was before splice: pandoc gets the whole AST, every paragraph in it."""
    monkeypatch.setattr(splice, "Paragraphs", lambda: None)
    monkeypatch.setattr(splice, "cut", lambda blocks, witnesses=None: None)


@pytest.fixture
def spy(monkeypatch):
    """Records what splice.cut returned and what splice.check said, and counts pandoc runs."""
    seen = {"cut": [], "check": [], "pandoc": 0}
    real_cut, real_check, real_pandoc = splice.cut, splice.check, pandoc_run.json_to_docx

    def cut(*args):
        seen["cut"].append(real_cut(*args))
        return seen["cut"][-1]

    def check(document, done):
        seen["check"].append(real_check(document, done))
        return seen["check"][-1]

    def pandoc(*args):
        seen["pandoc"] += 1
        return real_pandoc(*args)

    monkeypatch.setattr(splice, "cut", cut)
    monkeypatch.setattr(splice, "check", check)
    monkeypatch.setattr(pandoc_run, "json_to_docx", pandoc)
    return seen


@pytest.mark.parametrize("scheme", ["per-document", "continuous"])
def test_the_seeds_docx_is_the_one_pandoc_writes_whole(tmp_path, monkeypatch, spy, scheme):
    edition = seed_edition()
    spliced = export(edition, tmp_path / "spliced.docx", scheme)
    done = spy["cut"][-1]
    assert done is not None and len(done.calendar_rows) == len(edition.documents) and len(done.index_entries) > 1
    assert spy["check"] == [True] and spy["pandoc"] == 1
    assert len(done.witnesses) >= 5  # a paragraph per style (and language) written raw
    pandoc_writes_everything(monkeypatch)
    assert export(edition, tmp_path / "whole.docx", scheme) == spliced


def test_the_samples_docx_is_the_one_pandoc_writes_whole(tmp_path, monkeypatch):
    edition = sample_edition()  # markup-like text (NASTY), notes in the introduction
    spliced = export(edition, tmp_path / "spliced.docx")
    pandoc_writes_everything(monkeypatch)
    assert export(edition, tmp_path / "whole.docx") == spliced


def test_paragraphs_pandoc_treats_specially_stay_with_pandoc_and_the_bytes_stay_its_own(tmp_path, monkeypatch, spy):
    """A paragraph with CJK text, a soft hyphen inside a word or nothing to write is left to
    pandoc, one with a line break is ours (w:br), as the others around them: the same bytes
    as pandoc's own."""
    edition = sample_edition()
    letter = edition.chapters[0].documents[1]
    letter.body = [p("漢字 in a letter"), p("Odes\u00adsa, a soft hyphen inside"), p("two\nlines"),
                   p(""), *letter.body]
    spliced = export(edition, tmp_path / "spliced.docx")
    assert spy["check"] == [True]
    pandoc_writes_everything(monkeypatch)
    assert export(edition, tmp_path / "whole.docx") == spliced


def test_a_pandoc_writing_otherwise_is_run_again_on_the_whole_ast(tmp_path, monkeypatch, spy):
    """Another pandoc, or a reference.docx whose style ids differ, fails the check on the
    first row: pandoc then writes everything, and the bytes are still pandoc's own."""
    edition = seed_edition()
    expected = export(edition, tmp_path / "spliced.docx")
    monkeypatch.setattr(splice, "_like", lambda xml, document: b"<not-pandoc's/>")
    spy["pandoc"] = 0
    assert export(edition, tmp_path / "again.docx") == expected
    assert spy["check"][-1] is False and spy["pandoc"] == 2


# --- the writer against pandoc, on texts chosen to trip it ---------------------------------

AWKWARD = [NASTY, 'quotes " and \' and &amp; literal', "  two  leading and trailing spaces  ", "tab\there",
           "no\u00a0break\u2060joiner \u2011 \u2013 \u2014 \u2192", "Каганович → Сталин", "Ελληνικά", "עברית",
           "", " ", "line one\nline two", "x" * 300]
IDENTIFIERS = ["plain-id", "x" * 40, "y" * 41, "1935-starts-with-a-digit", "жук-cyrillic-start",
               "_underscore", "kaganovich-molotov-to-stalin-1935-08-16-extra"]


def _div(inlines, style):
    return {"t": "Div", "c": [["", [], [["custom-style", style]]], [{"t": "Para", "c": inlines}]]}


def _cell(blocks):
    return [["", [], []], {"t": "AlignDefault"}, 1, 1, blocks]


def awkward_blocks() -> list:
    """A calendar-like table and an index-like section over the awkward texts and identifiers."""
    rows = []
    for k, text in enumerate(AWKWARD):
        ident = IDENTIFIERS[k % len(IDENTIFIERS)]
        link = {"t": "Link", "c": [["", [], []], str_inlines(str(k + 1)), ["#" + ident, ""]]}
        page = {"t": "RawInline", "c": ["openxml", pageref_xml(f"_TocDoc{k + 1}")]}
        flat = text.replace("\n", " ")
        cells = [[link], str_inlines(text), [{"t": "Str", "c": flat}, {"t": "Space"}, {"t": "Str", "c": "b"}],
                 [{"t": "Space"}, {"t": "Str", "c": flat}, {"t": "Str", "c": "&"}], [page]]
        rows.append([["", [], []], [_cell([_div(c, "Calendar Entry")]) for c in cells]])
    head = [["", [], []], [_cell([_div([{"t": "Str", "c": f"H{k}"}], "Calendar Head")]) for k in range(5)]]
    specs = [[{"t": "AlignLeft"}, {"t": "ColWidth", "c": w}] for w in (0.07, 0.19, 0.33, 0.33, 0.08)]
    table = {"t": "Table", "c": [["calendar-table", [], []], [None, []], specs, [["", [], []], [head]],
                                 [[["", [], []], 0, [], rows]], [["", [], []], []]]}
    entries = []
    for k, text in enumerate(AWKWARD):
        links = [{"t": "Link", "c": [["", [], []], str_inlines(text or "n"), ["#" + ident, ""]]} for ident in IDENTIFIERS]
        inlines = [{"t": "Strong", "c": str_inlines(text)}, {"t": "LineBreak"},
                   {"t": "Emph", "c": [{"t": "Str", "c": "sent:"}]}, {"t": "Space"}]
        for j, link in enumerate(links):
            inlines += [{"t": "Str", "c": ","}, {"t": "Space"}] if j else []
            inlines += [link, {"t": "Str", "c": "\u00a0("},
                        {"t": "RawInline", "c": ["openxml", pageref_xml(f"_TocDoc{j}")]}, {"t": "Str", "c": ")"}]
        entries.append(_div(inlines, "Index Entry"))
    entries.insert(3, _div([], "Index Entry"))  # an empty paragraph: pandoc writes none
    return [{"t": "Header", "c": [1, ["calendar", [], []], [{"t": "Str", "c": "Calendar"}]]}, table,
            {"t": "Header", "c": [1, ["index", [], []], [{"t": "Str", "c": "Index"}]]},
            _div([{"t": "Emph", "c": [{"t": "Str", "c": "How to read it."}]}], "Index Entry"), *entries]


def _document(blocks: list, path: Path, done=None) -> bytes:
    ast = {"pandoc-api-version": pandoc_run.api_version(), "meta": {}, "blocks": blocks}
    pandoc_run.json_to_docx(ast, path, REFERENCE, 1767225600)
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml")
    if done is not None:
        xml = splice.insert(xml, done)
    document = etree.fromstring(xml)
    assert done is None or splice.check(document, done)
    return etree.tostring(document)


def test_the_writer_writes_awkward_texts_and_identifiers_as_pandoc_does(tmp_path):
    whole = awkward_blocks()
    blocks = copy.deepcopy(whole)
    done = splice.cut(blocks)
    assert done is not None and len(done.calendar_rows) == len(AWKWARD) == len(done.index_entries) - 1
    assert len(blocks) == len(whole) - len(AWKWARD)
    assert _document(blocks, tmp_path / "cut.docx", done) == _document(whole, tmp_path / "whole.docx")


@pytest.mark.parametrize("text", ["soft\u00adhyphen", "漢字", "control\x07", "carriage\rreturn", "emoji \U0001f600"])
def test_texts_pandoc_treats_specially_are_left_to_pandoc(text):
    blocks = awkward_blocks()
    rows = blocks[1]["c"][4][0][3]
    cell = rows[2][1][1]  # row 3, cell 2: Div > Para
    cell[4][0]["c"][1][0]["c"] = [{"t": "Str", "c": text}]
    untouched = copy.deepcopy(blocks)
    assert splice.cut(blocks) is None and blocks == untouched


def test_bookmark_names_follow_pandoc():
    assert splice.bookmark_name("x" * 40) == "x" * 40
    long = splice.bookmark_name("y" * 41)
    assert long.startswith("X") and len(long) == 40 and splice.bookmark_name("1935-08") != "1935-08"
