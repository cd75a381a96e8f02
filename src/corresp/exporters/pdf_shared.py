"""One PDF layout per build, shared by the PDF, the print PDF and the EPUB's page list.

Laying the book out (line breaks, notes, pages, and drawing every page) is most of what a
PDF costs. The print PDF is the same pages with other boxes, no links, an output intent and
other metadata, and the EPUB's page list only needs to know where the printed pages begin;
so a build lays the book out once (`pdf.lay_out_pdf`, the screen edition, drawn but not
written) and:

* writes the screen PDF from it in a forked child, while this process turns the same
  drawing into the print edition (`make_print`) and writes that: the two files are written
  at once, from one layout;
* hands the page breaks (`PrintPages`: small, picklable) to the EPUB.

Where the build leaves a core idle, the pages' streams of both files were deflated on it
during the layout (pdf_parts/ahead.py: the print edition's made with `print_page_stream`,
as `make_print` makes them), so the two writers have only their objects to format.

`make_print` changes exactly what a separate print layout (`pdf.build_pdf` with a
`PrintVariant`) would have made differently, so the print PDF's bytes are the same either
way (tests/test_shared_layout.py compares them): every page shifted by the bleed (the media
box grows, trim and bleed boxes), no link annotations (the objects are numbered without
them), markers tagged `Reference` and note labels `Lbl` instead of `Link`, the
parent tree without the annotations' keys, named destinations shifted by the bleed, and the
print edition's finishers (PDF/X-4 output intent, XMP) instead of the screen's.
"""
from __future__ import annotations

import dataclasses
import os
import pickle
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Optional

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfdoc import PDFArray

from ..errors import ExportError
from ..model import Edition
from . import ExportOptions
from .pdf_parts.tagging import print_kind

PDF_FORMATS = ("pdf", "pdf-print")


@dataclass
class PrintPages:
    """Where the printed pages begin, for the EPUB's page list: `parts` maps story.py's
    `page_key` of a part to the page its first line is on; `folios` each page's printed
    number."""
    parts: dict = field(default_factory=dict)
    pages: int = 0
    folios: dict = field(default_factory=dict)
    # page -> (page_key, word offset) of the first text drawn on it (BookTemplate.text_starts):
    # where the EPUB's marker of that page stands
    starts: dict = field(default_factory=dict)


def print_pages(doc) -> PrintPages:
    return PrintPages(dict(doc.pages_of_parts), doc.page, {p: doc.folio(p) for p in range(1, doc.page + 1)},
                      dict(doc.text_starts))


def write_pdfs(edition: Edition, targets: dict[str, Path], options: ExportOptions,
               want_pages: bool = False, epub: Optional[Path] = None) -> tuple[Optional[PrintPages], Optional[tuple]]:
    """Lay the book out once and write each of `targets` ("pdf", "pdf-print" -> path), and
    the EPUB at `epub` if given (its page list from this layout, in a forked child while the
    PDFs are written). Returns the printed pages if `want_pages`, and the EPUB's outcome:
    ("ok", its warnings) or ("error", exception). The PDFs' warnings are said once per file
    written, as separate builds of each would say them."""
    from .pdf import lay_out_pdf, save_pdf
    from .pdf_parts.ahead import deflate_ahead
    from .pdf_print import PrintVariant
    variant = PrintVariant.from_style(options.style_dir) if "pdf-print" in targets else None
    # Any layout on a core the build leaves idle: the lines are broken ahead on it, then
    # the pages' streams deflated there as they are shown (those of each file written).
    spare = options.spare_cores > 0
    ahead = deflate_ahead(variant, screen="pdf" in targets) if spare else None
    doc = lay_out_pdf(edition, options, prebreak=spare, ahead=ahead)
    pages = print_pages(doc) if (want_pages or epub is not None) else None
    if len(targets) == 2:
        options.warnings.extend(doc.warnings)  # the second file's
    children = {}
    try:
        if epub is not None:
            children["epub"] = _fork(lambda: _write_epub(edition, epub, options, pages))
        if "pdf" not in targets:
            make_print(doc, edition, options, variant)
            save_pdf(doc, targets["pdf-print"])
        elif "pdf-print" not in targets:
            save_pdf(doc, targets["pdf"])
        else:
            children["pdf"] = _fork(lambda: save_pdf(doc, targets["pdf"]))
            make_print(doc, edition, options, variant)
            save_pdf(doc, targets["pdf-print"])
    finally:
        outcomes = {fmt: _outcome(fmt, *child) for fmt, child in children.items()}
        if doc.ahead is not None:
            doc.ahead.close()
    if "pdf" in outcomes and outcomes["pdf"][0] == "error":
        raise outcomes["pdf"][1]
    return pages, outcomes.get("epub")


def _write_epub(edition: Edition, path: Path, options: ExportOptions, pages: PrintPages) -> list[str]:
    from . import registry
    own = dataclasses.replace(options, warnings=[], print_pages=pages)
    registry().get("epub").export(edition, path, own)
    return own.warnings


def _fork(work) -> tuple[int, int]:
    """Run `work` in a forked copy of this process (which ends with it); returns the child's
    pid and the pipe its outcome comes through (`_outcome`)."""
    if not hasattr(os, "fork"):
        raise ExportError("writing several files from one layout needs fork()")
    from ..publish import _die_with_parent
    read, write = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 0
        try:
            _die_with_parent(parent)  # a killed build leaves no writer behind
            os.close(read)
            try:
                outcome = ("ok", work())
            except BaseException as exc:  # noqa: BLE001 - reported to the parent
                code, outcome = 1, ("error", exc)
            try:
                message = pickle.dumps(outcome)
            except Exception:
                message = pickle.dumps(("error", ExportError(f"{type(outcome[1]).__name__}: {outcome[1]}")))
            with os.fdopen(write, "wb") as pipe:
                pipe.write(message)
        finally:
            os._exit(code)
    os.close(write)
    return pid, read


def _outcome(fmt: str, pid: int, read: int) -> tuple:
    """What the child `pid` said, once it has ended: ("ok", value) or ("error", exception)."""
    with os.fdopen(read, "rb") as pipe:
        message = pipe.read()
    _, status = os.waitpid(pid, 0)
    if message:
        return pickle.loads(message)
    return ("error", ExportError(f"the process writing the {fmt} ended with status {status} before it finished"))


_LINK_BDC = re.compile(r"/Link <</MCID (\d+)>> BDC")


def make_print(doc, edition: Edition, options: ExportOptions, variant) -> None:
    """Turn the drawn, unwritten screen layout `doc` into the print edition, in place."""
    from .pdf import xmp_fields
    canv = doc.canv
    pdf = canv._doc
    retag = _untangle_tree(doc.tree)
    # Objects are numbered in the order they were registered: without the annotations.
    names = [pdf.numberToId[i] for i in range(1, pdf.objectcounter + 1)]
    kept = [n for n in names if not n.startswith("Annot.")]
    for n in names:
        if n.startswith("Annot."):
            del pdf.idToObject[n]
    pdf.numberToId = {i: n for i, n in enumerate(kept, 1)}
    pdf.idToObjectNumberAndVersion = {n: (i, 0) for i, n in enumerate(kept, 1)}
    pdf.objectcounter = len(kept)
    # Pages: the media box grows by the bleed, the drawing moves into it.
    w, h = canv._pagesize
    b, m = variant.bleed, variant.margin  # the margin holds the bleed and the crop marks' slug
    media = (w + 2 * m, h + 2 * m)
    trim, bleed = (m, m, m + w, m + h), (m - b, m - b, m + w + b, m + h + b)
    form = print_form(canv, variant)
    ahead = doc.ahead  # pdf_parts/ahead.py: the streams deflated ahead, if they were
    for number, page in enumerate(pdf.Pages.pages, 1):
        name = f"Page{number}"
        page.pagewidth, page.pageheight = media
        page.TrimBox, page.BleedBox = PDFArray(trim), PDFArray(bleed)
        page.Annots = None
        key = doc.tree.page_keys.get(name)
        if getattr(page, "StructParents", None) is not None or key is not None:
            page.StructParents = key
        try:
            page.stream = print_page_stream(page.stream, retag.get(name), form)
        except ValueError:
            raise ExportError("the print PDF cannot be made from the screen layout (unexpected page stream)") from None
        if ahead is not None:
            ahead.expect_print(number, page.stream)
    for dest in canv._destinations.values():
        fmt = dest.fmt
        for side in ("left", "top", "bottom", "right"):
            v = getattr(fmt, side, None)
            if isinstance(v, (int, float)):
                setattr(fmt, side, v + m)
    canv._pagesize = media
    canv.setTrimBox(trim)
    canv.setBleedBox(bleed)
    screen = set(map(id, doc.finishers))
    canv.before_save = [f for f in canv.before_save if id(f) not in screen]
    doc.finishers = variant.finishers(doc.style_sheet, xmp_fields(edition, options, variant))
    canv.before_save.extend(doc.finishers)
    doc.variant = variant


def print_form(canv, variant) -> tuple[str, str, str]:
    """What every print page's stream has that the screen page's has not: (the canvas's
    preamble, after which comes the shift into the bleed, the crop marks drawn last)."""
    m = variant.margin
    shift = "%s cm" % fp_str(1, 0, 0, 1, m, m)  # as canvas.translate writes it
    marks = ""
    if variant.crop_marks:  # drawn last on every page, as the print layout's showPage does
        stub = SimpleNamespace(_code=[], tagger=canv.tagger)
        variant.draw_crop_marks(stub, *canv._pagesize)
        marks = "\n".join(stub._code) + "\n"
    return canv._preamble, shift, marks


def print_page_stream(stream: str, kinds: Optional[dict], form: tuple[str, str, str]) -> str:
    """The print edition's stream of a screen page's `stream`: shifted into the bleed, the
    links' marked content tagged as `kinds` (MCID -> tag) says, the crop marks last.
    ValueError if `stream` is not a page this layout drew."""
    preamble, shift, marks = form
    if not stream.startswith(preamble + "\n"):
        raise ValueError("unexpected page stream")
    body = stream[len(preamble) + 1:]
    if kinds:
        body = _LINK_BDC.sub(lambda m: f"/{kinds.get(int(m[1]), 'Link')} <</MCID {m[1]}>> BDC", body)
    if marks:  # before the blank line showPage ends a page with
        body = body[:-2] + marks + body[-2:]
    return f"{preamble}\n{shift}\n{body}"


def _untangle_tree(tree) -> dict[str, dict[int, str]]:
    """The screen tree made the print edition's: a marker's `Link` becomes a `Reference`,
    a note label's `Lbl` → `Link` becomes the `Lbl` alone; no annotation (OBJR) kids, and
    the parent tree without the annotations' keys. Returns, per page, the new tag of each
    marked content that was a `Link`.

    The links are the tree's `link_elements` (each `Link` holding marked content: one
    without any holds nothing in either edition), not a walk of the whole tree: a long
    edition has a hundred thousand elements and ten thousand links."""
    tree.links = False
    keys: dict[int, int] = {}
    parent_tree = []
    for key, value in tree.parent_tree:
        if type(value) is list:
            keys[key] = len(parent_tree)
            parent_tree.append((keys[key], value))
    tree.parent_tree = parent_tree
    tree._next_key = len(parent_tree)
    mcids_of = {page: parent_tree[keys[k]][1] for page, k in tree.page_keys.items()}  # page -> its MCIDs' elements
    tree.page_keys = {page: keys[k] for page, k in tree.page_keys.items()}
    retag: dict[str, dict[int, str]] = {}
    for elem in tree.link_elements:
        if elem.kind != "Link":
            continue
        content = [k for k in elem.kids if not (type(k) is tuple and len(k) == 3)]
        parent = elem.parent
        kind = print_kind(elem)
        if kind == "Lbl":
            at = next(i for i, k in enumerate(parent.kids) if k is elem)
            parent.kids[at:at + 1] = content
            if parent.page is None:
                parent.page = elem.page
        else:
            elem.kids = content
            elem.kind = kind
        for k in content:
            if type(k) is tuple and len(k) == 2:
                retag.setdefault(k[0], {})[k[1]] = kind
                if kind == "Lbl":  # the label's marked content is the Lbl's now
                    mcids = mcids_of[k[0]]
                    if mcids[k[1]] is elem:
                        mcids[k[1]] = parent
    return retag
