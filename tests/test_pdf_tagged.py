"""Tagged PDF (PDF/UA-1) and the PDF/X-4 print variant, read back with pikepdf, pdfinfo and
pdftotext: the structure tree reaches every marked-content sequence, every note is a `Note`
with its number as `Lbl`, documents and paragraphs read in order, the print variant has
its boxes, output intent and XMP, and both build to the same bytes every time."""
from __future__ import annotations

import hashlib
import random
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from corresp.exporters import ExportOptions
from corresp.exporters.pdf import build_pdf
from corresp.exporters.pdf_print import PrintVariant, gray_print_profile
from corresp.model import Chapter, Document, Edition, Enclosure, Footnote
from corresp.numbering import NoteNumbers
from corresp.verify.preflight import _elem_mcids, _find, _PageScan, _walk_tree, Report, preflight
from sample_edition import p, sample_edition

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MM = 72 / 25.4


def note_count(edition: Edition) -> int:
    return sum(len(c.notes) + sum(len(d.footnotes) for d in c.documents) for c in edition.chapters)


def expected_labels(edition: Edition) -> list[str]:
    """Note labels in reading order (intro notes, then each document's)."""
    numbers = NoteNumbers(edition, "per-document")
    out = []
    for ci, c in enumerate(edition.chapters):
        labels = numbers.for_intro(ci, c)
        out += [labels[n.number] for n in c.notes]
        for d in c.documents:
            labels = numbers.for_document(d)
            out += [labels[n.number] for n in d.footnotes]
    return out


class Tagged:
    """A built PDF with its structure tree read back."""

    def __init__(self, path: Path):
        self.path = path
        self.pdf = pikepdf.open(str(path))
        cmaps: dict = {}
        self.texts: dict = {}
        for page in self.pdf.pages:
            for mcid, text in _PageScan(page, cmaps).mcids.items():
                self.texts[(page.obj.objgen, mcid)] = text
        self.reached, self.notes, self.objr = _walk_tree(self.pdf, Report(str(path), False))

    def text_of(self, elem) -> str:
        return "".join(self.texts.get(m, "") for m in _elem_mcids(elem))

    def elements(self, kind: str) -> list:
        out = []
        stack = [self.pdf.Root.StructTreeRoot.K[0]]
        while stack:
            e = stack.pop()
            if e.get("/S") == kind:
                out.append(e)
            kids = e.get("/K")
            if isinstance(kids, pikepdf.Array):
                stack.extend(k for k in reversed(list(kids)) if isinstance(k, pikepdf.Dictionary) and "/S" in k)
        return out


def make(edition: Edition, path: Path, variant=None) -> Tagged:
    build_pdf(edition, path, ExportOptions(), variant)
    return Tagged(path)


@pytest.fixture(scope="module")
def seed_tagged(seed_edition, tmp_path_factory):
    return make(seed_edition, tmp_path_factory.mktemp("tagged") / "seed.pdf")


@pytest.fixture(scope="module")
def seed_print(seed_edition, tmp_path_factory):
    return make(seed_edition, tmp_path_factory.mktemp("tagged") / "seed.print.pdf", PrintVariant())


# --- the structure tree -------------------------------------------------------------------

def test_pdfinfo_says_tagged(seed_tagged, seed_print):
    if not shutil.which("pdfinfo"):
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    for t in (seed_tagged, seed_print):
        out = subprocess.run(["pdfinfo", str(t.path)], capture_output=True, text=True, check=True).stdout
        assert re.search(r"^Tagged:\s+yes", out, re.M)


def test_every_marked_content_sequence_is_in_the_tree(seed_tagged):
    assert len(seed_tagged.texts) > 500
    assert set(seed_tagged.texts) <= set(seed_tagged.reached)
    # and nothing in the tree points at marked content that is not there
    assert set(seed_tagged.reached) <= set(seed_tagged.texts)


def test_every_note_is_a_note_element_with_its_number_as_label(seed_tagged, seed_edition):
    assert len(seed_tagged.notes) == note_count(seed_edition) == 50
    labels = [seed_tagged.text_of(_find(n, "/Lbl")).strip() for n in seed_tagged.notes]
    assert labels == expected_labels(seed_edition)
    for note in seed_tagged.notes:
        text = seed_tagged.text_of(note)
        assert len(text) > len(seed_tagged.text_of(_find(note, "/Lbl"))) + 5  # the note's text too
        lbl = _find(note, "/Lbl")
        assert _find(lbl, "/Link") is not None  # the label links back to its reference


def test_the_tree_follows_the_book(seed_tagged, seed_edition):
    doc = seed_tagged.pdf.Root.StructTreeRoot.K[0]
    assert doc.S == "/Document"
    parts = [k.S for k in doc.K]
    assert parts.count("/Part") == len(seed_edition.chapters) + 2  # the chapters, the calendar and the index
    # (a heading of two lines reads without a space at the line end: compare without spaces)
    headings = ["".join(seed_tagged.text_of(h).split()) for h in seed_tagged.elements("/H2")]
    assert headings == ["".join(f"{k}. {d.heading}".split())  # with the document's number
                        for k, d in enumerate(seed_edition.documents, start=1)]
    sects = seed_tagged.elements("/Sect")
    assert len(sects) == len(seed_edition.documents) + 1  # and the contents
    assert len(seed_tagged.elements("/TOCI")) == len(seed_edition.documents) + len(seed_edition.chapters) + 2  # + calendar, index
    assert len(seed_tagged.elements("/Index")) == 1
    # every element below the document has a parent that lists it
    for sect in sects:
        assert sect.P.objgen in {e.objgen for e in seed_tagged.elements("/Part")} | {doc.objgen}


def test_links_are_link_elements_with_their_annotation(seed_tagged):
    annots = [a for page in seed_tagged.pdf.pages for a in page.obj.get("/Annots", [])
              if a.get("/Subtype") == "/Link"]
    assert len(annots) == 2 * 50  # marker → note and label → marker
    assert {a.objgen for a in annots} <= seed_tagged.objr
    contents = [str(a.Contents) for a in annots]
    assert all(re.fullmatch(r"Note \S+|Back to the reference to note \S+", c) for c in contents)
    nums = {int(a.StructParent) for a in annots}
    assert len(nums) == len(annots)


def test_running_heads_and_folios_are_artifacts(seed_tagged):
    page = seed_tagged.pdf.pages[8]  # folio 3 (the front matter is i–vi)
    data = page.Contents.read_bytes()
    assert b"/Artifact <</Type /Pagination /Subtype /Header>> BDC" in data
    assert re.search(rb"/Subtype /Header>> BDC\n(?:(?!EMC).)*\(3\) Tj", data, re.S)  # the folio, in the artifact
    # every page with text after the title pages (i–iv) has its folio (or running head) as an artifact
    for k, pg in enumerate(seed_tagged.pdf.pages[4:], 5):
        if any(p == pg.obj.objgen for p, _ in seed_tagged.texts):
            assert b"/Artifact <</Type /Pagination" in pg.Contents.read_bytes(), k


def test_catalog_and_pages_say_what_pdf_ua_asks(seed_tagged):
    root = seed_tagged.pdf.Root
    assert bool(root.MarkInfo.Marked) and str(root.Lang) == "en"
    assert bool(root.ViewerPreferences.DisplayDocTitle)
    assert all(pg.obj.Tabs == "/S" for pg in seed_tagged.pdf.pages)
    xmp = root.Metadata.read_bytes().decode()
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp and "<dc:title>" in xmp
    assert seed_tagged.pdf.pdf_version == "1.7"


def test_reading_order_in_pdftotext(seed_tagged, seed_edition):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(["pdftotext", str(seed_tagged.path), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = re.sub(r"\u2010\s*\n", "", text)
    flat = " ".join(flat.split())
    pos = flat.find(seed_edition.documents[0].heading, flat.find(seed_edition.chapters[0].title, 2000))
    assert pos > 0
    for d in seed_edition.documents:
        for para in d.body:
            if not hasattr(para, "text"):
                continue  # an enclosure
            words = " ".join(para.text.split()[:5])
            if len(words) < 15 or not words.isascii():
                continue
            hit = flat.find(words, pos)
            assert hit >= 0, f"{d.id}: {words!r} is missing or out of order"
            pos = hit


def test_russian_edition_passes_and_says_its_language(tmp_path):
    from corresp.readers.text.parser import read_edition
    edition, _ = read_edition([FIXTURES / "ru-1933-08.txt"])
    assert edition.language.startswith("ru")
    for variant in (None, PrintVariant()):
        path = tmp_path / ("ru.print.pdf" if variant else "ru.pdf")
        tagged = make(edition, path, variant)
        assert str(tagged.pdf.Root.Lang).startswith("ru")
        report = preflight(path, notes=note_count(edition))
        assert report.ok, [str(f) for f in report.findings]


def test_other_language_paragraphs_carry_their_lang(tmp_path):
    tagged = make(sample_edition(), tmp_path / "sample.pdf")
    langs = [str(e.Lang) for e in tagged.elements("/P") + tagged.elements("/H2") if "/Lang" in e]
    assert "ru" in langs  # the sample's Russian letter, in an English edition
    ru = [e for e in tagged.elements("/P") if "/Lang" in e]
    assert all(re.search("[а-яА-Я]", tagged.text_of(e)) for e in ru)


def fuzzed_edition(seed: int) -> Edition:
    """Letters of random length with markers anywhere (enclosures, long notes that split,
    notes of several paragraphs), from a fixed seed."""
    rnd = random.Random(seed)
    words = ("commission harvest Politburo telegram Sochi comrade decision archive "
             "Kaganovich transport grain regions plan").split()
    docs = []
    for di in range(6):
        notes, body = [], []
        for pi in range(rnd.randint(1, 6)):
            parts: list = []
            for _ in range(rnd.randint(1, 3)):
                parts.append(" ".join(rnd.choice(words) for _ in range(rnd.randint(5, 200))))
                if rnd.random() < 0.6:
                    notes.append(len(notes) + 1)
                    parts.append(notes[-1])
            para = p(*parts)
            body.append(Enclosure(paragraphs=[para]) if rnd.random() < 0.2 else para)
        footnotes = [Footnote(number=n, text=" ".join(rnd.choice(words) for _ in range(rnd.randint(3, 400)))
                              + ("\nA second paragraph of the note." if rnd.random() < 0.2 else ""))
                     for n in notes]
        docs.append(Document(id=f"fuzz-{seed}-{di}", heading=f"Letter {di} of {seed}", body=body,
                             footnotes=footnotes))
    return Edition(title=f"Fuzzed {seed}", chapters=[Chapter(title="Fuzz", documents=docs)])


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_fuzzed_editions_are_completely_tagged(tmp_path, seed):
    edition = fuzzed_edition(seed)
    for variant in (None, PrintVariant()):
        path = tmp_path / ("f.print.pdf" if variant else "f.pdf")
        tagged = make(edition, path, variant)
        report = preflight(path, notes=note_count(edition))
        assert report.ok, [str(f) for f in report.findings]
        assert set(tagged.texts) == set(tagged.reached)
        labels = [tagged.text_of(_find(n, "/Lbl")).strip() for n in tagged.notes]
        assert labels == expected_labels(edition)


# --- the print variant --------------------------------------------------------------------

def test_print_variant_has_trim_bleed_and_media_boxes(seed_print):
    w, h = 156 * MM, 234 * MM
    b = 3 * MM
    for page in seed_print.pdf.pages:
        media = [float(v) for v in page.obj.MediaBox]
        trim = [float(v) for v in page.obj.TrimBox]
        bleed = [float(v) for v in page.obj.BleedBox]
        assert media == pytest.approx([0, 0, w + 2 * b, h + 2 * b], abs=0.01)
        assert bleed == pytest.approx(media, abs=0.01)
        assert trim == pytest.approx([b, b, b + w, b + h], abs=0.01)
        assert "/Annots" not in page.obj  # PDF/X: no links inside the bleed box


def test_print_variant_has_output_intent_xmp_and_info(seed_print):
    pdf = seed_print.pdf
    assert pdf.pdf_version == "1.6"
    intent = pdf.Root.OutputIntents[0]
    assert intent.S == "/GTS_PDFX" and str(intent.OutputConditionIdentifier)
    icc = intent.DestOutputProfile.read_bytes()
    assert icc == gray_print_profile() and icc[12:20] == b"prtrGRAY" and icc[36:40] == b"acsp"
    assert int(intent.DestOutputProfile.N) == 1
    xmp = pdf.Root.Metadata.read_bytes().decode()
    assert "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in xmp
    assert "<pdf:Trapped>False</pdf:Trapped>" in xmp
    info = pdf.trailer.Info
    assert str(info.GTS_PDFXVersion) == "PDF/X-4" and info.Trapped == "/False"
    assert not pdf.is_encrypted and "/Names" not in pdf.Root
    assert len(seed_print.notes) == 50  # still tagged, the markers as references
    assert seed_print.elements("/Reference") and not seed_print.elements("/Link")


def test_print_variant_bleed_from_the_style_folder(tmp_path):
    style = tmp_path / "style"
    style.mkdir()
    (style / "print.toml").write_text('bleed = "5mm"\n')
    variant = PrintVariant.from_style(style)
    assert variant.bleed == pytest.approx(5 * MM)
    tagged = make(sample_edition(), tmp_path / "s.print.pdf", variant)
    assert float(tagged.pdf.pages[0].obj.TrimBox[0]) == pytest.approx(5 * MM, abs=0.01)


def test_pdf_print_is_a_registered_format(tmp_path):
    from corresp.build import build
    from corresp.exporters import registry
    assert registry().get("pdf-print").extension == ".print.pdf"
    result = build([ROOT / "seeds" / "1935-08.txt"], tmp_path, ["pdf", "pdf-print"], "vol", ExportOptions())
    assert sorted(p.name for p in result.written) == ["vol.pdf", "vol.print.pdf"]


def test_both_variants_build_to_the_same_bytes(tmp_path):
    for variant in (None, PrintVariant()):
        digests = set()
        for k in range(2):
            path = tmp_path / f"{k}.pdf"
            build_pdf(sample_edition(), path, ExportOptions(source_date_epoch=1767225600), variant)
            digests.add(hashlib.sha256(path.read_bytes()).hexdigest())
        assert len(digests) == 1


def test_link_rectangles_sit_on_their_markers(seed_tagged):
    """Each marker's link annotation covers the line its marked content is drawn on, also
    on pages whose flowables were spread to the foot (flush bottom)."""
    pdf = seed_tagged.pdf
    checked = 0
    for page in pdf.pages:
        baselines: dict[int, float] = {}
        ty, saved, y, mcid = 0.0, [], 0.0, None
        for operands, op in pikepdf.parse_content_stream(page):
            op = str(op)
            if op == "q":
                saved.append(ty)
            elif op == "Q":
                ty = saved.pop()
            elif op == "cm":
                ty += float(operands[5])
            elif op == "Tm":
                y = float(operands[5]) + ty
            elif op == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
                mcid = int(operands[1].MCID)
                baselines.setdefault(mcid, y)
            elif op == "Tj" and mcid is not None and mcid not in baselines:
                baselines[mcid] = y
        tree = pdf.Root.StructTreeRoot.ParentTree
        for annot in page.obj.get("/Annots", []):
            link = None
            for k in range(0, len(tree.Nums), 2):
                if int(tree.Nums[k]) == int(annot.StructParent):
                    link = tree.Nums[k + 1]
            mcids = [int(k) for k in link.K if not isinstance(k, pikepdf.Dictionary)]
            assert mcids, "a link element without its marker's marked content"
            y = baselines[mcids[0]]
            rect = [float(v) for v in annot.Rect]
            assert rect[1] - 0.01 <= y <= rect[3] + 0.01, (y, rect)
            checked += 1
    assert checked == 100


def test_the_printers_icc_profile_and_crop_marks_from_print_toml(tmp_path):
    # The printer's own profile replaces corresp's grey one in the output intent; crop marks
    # stand at the corners outside the bleed, the MediaBox grown to hold them.
    import pikepdf as pk
    from corresp.errors import ConfigError
    style = tmp_path / "style"
    style.mkdir()
    icc = Path(pk.__file__).parent / "pdfa" / "data" / "sRGB.icc"  # a real profile that ships with pikepdf
    (style / "printer.icc").write_bytes(icc.read_bytes())
    (style / "print.toml").write_text('output_profile = "printer.icc"\noutput_condition = "sRGB press proof"\n'
                                      'crop_marks = true\n')
    variant = PrintVariant.from_style(style)
    tagged = make(sample_edition(), tmp_path / "s.print.pdf", variant)
    intent = tagged.pdf.Root.OutputIntents[0]
    assert intent.DestOutputProfile.read_bytes() == icc.read_bytes() and int(intent.DestOutputProfile.N) == 3
    assert str(intent.OutputConditionIdentifier) == "sRGB press proof"
    page = tagged.pdf.pages[0].obj
    trim, bleed, media = ([float(v) for v in page[k]] for k in ("/TrimBox", "/BleedBox", "/MediaBox"))
    assert media[0] == 0 and bleed[0] > 0 and trim[0] - bleed[0] == pytest.approx(3 * MM, abs=0.01)
    content = tagged.pdf.pages[0].read_contents().read_bytes() if hasattr(tagged.pdf.pages[0], "read_contents") \
        else b"".join(c.read_bytes() for c in pk.Array(tagged.pdf.pages[0].obj.Contents)) \
        if isinstance(tagged.pdf.pages[0].obj.Contents, pk.Array) else tagged.pdf.pages[0].obj.Contents.read_bytes()
    assert content.count(b" l S") == 8  # two hairlines at each corner
    report = preflight(tmp_path / "s.print.pdf", print_=True)
    assert report.ok, report.findings
    # A file that is no ICC profile is said at once, naming print.toml.
    (style / "printer.icc").write_bytes(b"not a profile" * 20)
    with pytest.raises(ConfigError, match="output_profile"):
        PrintVariant.from_style(style)
    (style / "print.toml").write_text('crop_marks = "yes"\n')
    with pytest.raises(ConfigError, match="crop_marks"):
        PrintVariant.from_style(style)
