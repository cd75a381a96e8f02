"""The preflight (corresp.verify.preflight) passes the book in both variants and fails each
rule when that rule, and only that rule, is broken in a copy of the file (pikepdf)."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pikepdf
import pytest

from corresp.exporters import ExportOptions
from corresp.exporters.pdf import build_pdf
from corresp.exporters.pdf_print import PrintVariant
from corresp.verify.preflight import RULES, preflight
from sample_edition import sample_edition

NOTES = sum(len(d.footnotes) for c in sample_edition().chapters for d in c.documents) + sum(
    len(c.notes) for c in sample_edition().chapters)


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    out = tmp_path_factory.mktemp("preflight")
    screen, printed = out / "book.pdf", out / "book.print.pdf"
    build_pdf(sample_edition(), screen, ExportOptions())
    build_pdf(sample_edition(), printed, ExportOptions(), PrintVariant())
    return screen, printed


def test_both_variants_pass(books):
    screen, printed = books
    for path, print_ in ((screen, False), (printed, True)):
        report = preflight(path, notes=NOTES)
        assert report.ok, [str(f) for f in report.findings]
        assert report.print_ is print_
        assert report.notes == NOTES and report.mcids > 50


def test_the_screen_pdf_is_not_a_print_pdf(books):
    report = preflight(books[0], print_=True)
    assert {"boxes", "intent", "pdfx", "annotations"} <= report.rules_failed()


def broken(src: Path, tmp_path: Path, change) -> Path:
    """A copy of `src` with `change(pdf)` applied."""
    dst = tmp_path / ("broken" + "".join(src.suffixes))
    with pikepdf.open(str(src)) as pdf:
        change(pdf)
        pdf.save(str(dst))
    return dst


def _first_page_with(pdf, key):
    return next(p for p in pdf.pages if key in p.obj)


def _font_key(page):
    return next(iter(page.Resources.Font.keys()))


def _drop_mcid(pdf):
    def walk(e):
        k = e.get("/K")
        if isinstance(k, pikepdf.Array):
            for i, kid in enumerate(k):
                if isinstance(kid, int) or getattr(kid, "_type_code", None) == pikepdf.ObjectType.integer:
                    del k[i]
                    return True
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid and walk(kid):
                    return True
        return False
    assert walk(pdf.Root.StructTreeRoot.K[0])


def _drop_label(pdf):
    def walk(e):
        for kid in e.get("/K", []):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                if kid.S == "/Note":  # its label becomes a plain span: reachable, but no Lbl
                    for k in kid.K:
                        if isinstance(k, pikepdf.Dictionary) and k.get("/S") == "/Lbl":
                            k.S = pikepdf.Name.Span
                            return True
                if walk(kid):
                    return True
        return False
    assert walk(pdf.Root.StructTreeRoot)


def _untagged_text(pdf):
    page = pdf.pages[3]
    page.contents_add(pdf.make_stream(b"BT %s 9 Tf 10 10 Td (x) Tj ET" % _font_key(page).encode()), prepend=False)


def _link_without_contents(pdf):
    for page in pdf.pages:
        for a in page.obj.get("/Annots", []):
            if a.get("/Subtype") == "/Link":
                del a["/Contents"]
                return


def _unembed(pdf):
    page = pdf.pages[0]
    font = page.Resources.Font[_font_key(page)]
    del font.FontDescriptor["/FontFile2"]


def _replace_xmp(pattern: str, repl: str):
    def change(pdf):
        xmp = pdf.Root.Metadata.read_bytes().decode("utf-8")
        new = re.sub(pattern, repl, xmp)
        assert new != xmp
        pdf.Root.Metadata = pdf.make_stream(new.encode("utf-8"), Type=pikepdf.Name.Metadata,
                                            Subtype=pikepdf.Name.XML)
    return change


def _add_link(pdf):
    page = pdf.pages[4]
    page.obj.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Square, Rect=[100, 100, 120, 110],
        Contents=pikepdf.String("x"), Border=[0, 0, 0]))]))


def _rgb(pdf):
    pdf.pages[4].contents_add(pdf.make_stream(b"q 1 0 0 rg 0 0 1 1 re f Q"), prepend=False)


def _javascript(pdf):
    pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))


SCREEN_BREAKS = {
    "marked": lambda pdf: pdf.Root.__delitem__("/MarkInfo"),
    "lang": lambda pdf: pdf.Root.__delitem__("/Lang"),
    "title": lambda pdf: pdf.Root.__delitem__("/ViewerPreferences"),
    "untagged": _untagged_text,
    "reachable": _drop_mcid,
    "notes": _drop_label,
    "links": _link_without_contents,
    "tabs": lambda pdf: _first_page_with(pdf, "/Tabs").obj.__delitem__("/Tabs"),
    "fonts": _unembed,
    "pdfua": _replace_xmp(r"<pdfuaid:part>1</pdfuaid:part>", ""),
    "safety": _javascript,
}
PRINT_BREAKS = {
    "boxes": lambda pdf: pdf.pages[2].obj.__delitem__("/TrimBox"),
    "intent": lambda pdf: pdf.Root.__delitem__("/OutputIntents"),
    "pdfx": _replace_xmp(r"PDF/X-4</pdfxid", "PDF/X-1a</pdfxid"),
    "trapped": lambda pdf: pdf.trailer.Info.__setitem__("/Trapped", pikepdf.Name.Unknown),
    "annotations": _add_link,
    "colour": _rgb,
}


def test_every_rule_has_a_break():
    assert set(SCREEN_BREAKS) | set(PRINT_BREAKS) == set(RULES)


@pytest.mark.parametrize("rule", sorted(SCREEN_BREAKS))
def test_a_broken_screen_pdf_fails_that_rule(books, tmp_path, rule):
    path = broken(books[0], tmp_path, SCREEN_BREAKS[rule])
    report = preflight(path, notes=NOTES)
    assert report.rules_failed() == {rule}, [str(f) for f in report.findings]


@pytest.mark.parametrize("rule", sorted(PRINT_BREAKS))
def test_a_broken_print_pdf_fails_that_rule(books, tmp_path, rule):
    path = broken(books[1], tmp_path, PRINT_BREAKS[rule])
    report = preflight(path, notes=NOTES)
    assert report.rules_failed() == {rule}, [str(f) for f in report.findings]


def test_a_wrong_note_count_fails(books):
    assert preflight(books[0], notes=NOTES + 1).rules_failed() == {"notes"}


def test_an_encrypted_file_fails(books, tmp_path):
    dst = tmp_path / "locked.pdf"
    with pikepdf.open(str(books[0])) as pdf:
        pdf.save(str(dst), encryption=pikepdf.Encryption(owner="secret", user=""))
    assert "safety" in preflight(dst).rules_failed()


def test_the_command_fails_loudly(books, tmp_path):
    from click.testing import CliRunner
    from corresp.cli import main
    ok = CliRunner().invoke(main, ["preflight", str(books[0]), str(books[1])])
    assert ok.exit_code == 0, ok.output
    bad = broken(books[0], tmp_path, SCREEN_BREAKS["untagged"])
    result = CliRunner().invoke(main, ["preflight", str(bad)])
    assert result.exit_code == 1
    assert "untagged" in result.output and "preflight failed" in result.output


def test_verify_runs_the_preflight(books, tmp_path):
    from corresp.build import build
    from corresp.verify import verify_dir
    seed = Path(__file__).resolve().parents[1] / "seeds" / "1935-08.txt"
    out = tmp_path / "out"
    build([seed], out, ["json", "pdf", "pdf-print"], "ed", ExportOptions())
    problems, checked = verify_dir(out, "ed")
    assert problems == []
    assert {p.name for p in checked} >= {"ed.json", "ed.pdf", "ed.print.pdf"}
    shutil.copy(broken(out / "ed.print.pdf", tmp_path, PRINT_BREAKS["intent"]), out / "ed.print.pdf")
    problems, _ = verify_dir(out, "ed")
    assert problems and all("preflight: intent" in p for p in problems)
