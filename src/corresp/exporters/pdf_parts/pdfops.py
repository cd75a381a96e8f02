"""PDF content written directly: numbers, text objects in the book's subset fonts, links.

reportlab's canvas methods keep state and format through generic objects; for the tens of
thousands of lines and links of an edition, writing the operators and the annotation
bytes ourselves costs a fraction (bench/history.md).
"""
from __future__ import annotations

from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase.pdfdoc import LinkAnnotation, PDFObjectReference
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth

from .serialize import destination_bytes
from .tagging import pdf_text


# num's answers: a book's coordinates are a few thousand values (its pages share one grid
# of baselines, margins and sizes) written hundreds of thousands of times. Bounded, for
# a document whose values never repeat.
_NUMS: dict[float, str] = {}
_NUMS_MAX = 100_000


def num(x: float) -> str:
    """A coordinate for a content stream: a thousandth of a point is finer than any device."""
    s = _NUMS.get(x)
    if s is not None:
        return s
    s = "%.3f" % x
    if s[-1] == "0":  # (most coordinates: nothing to strip)
        s = s.rstrip("0").rstrip(".") or "0"
    if x and len(_NUMS) < _NUMS_MAX:  # (never 0: 0.0 and -0.0 are one key, but print "0" and "-0")
        _NUMS[x] = s
    return s


def text_ops(canv, font_name: str, size: float, x: float, y: float, text: str, char_space: float = 0.0) -> str:
    """A one-line text object: `text` at (x, y), in the canvas's current coordinates."""
    _, encode = encoder(canv, font_name)
    out = [f"BT 1 0 0 1 {num(x)} {num(y)} Tm"]
    if char_space:
        out.append(f"{num(char_space)} Tc")
    for sub, esc in encode(text):
        out.append(f"{sub} {num(size)} Tf ({esc}) Tj")
    if char_space:
        out.append("0 Tc")  # the text state outlives the text object
    out.append("ET")
    return " ".join(out)


def draw_string(canv, x: float, y: float, text: str, align: float = 0.0) -> None:
    """What reportlab's canv.drawString (align 0), drawCentredString (0.5) and
    drawRightString (1) write, in the canvas's font, size and leading, to the byte, without
    the text object and shaping machinery they go through (a running head and a folio on
    every page)."""
    font_name, size = canv._fontname, canv._fontsize
    if align:
        x = x - align * stringWidth(text, font_name, size)
    _, encode = encoder(canv, font_name)
    tf = f"{fp_str(size)} Tf {fp_str(canv._leading)} TL"
    shown = " ".join([f"{sub} {tf} ({esc}) Tj" for sub, esc in encode(text)])
    canv._code.append(f"BT 1 0 0 1 {fp_str(x, y)} Tm {shown} T* ET")


class _Link(LinkAnnotation):
    """A link annotation written straight to bytes: the generic dictionary formatting of
    reportlab costs more than the page text when every note has two links."""

    struct_parent = None  # its key in the structure tree's ParentTree, when tagged

    def format(self, document):
        r = self.Rect
        sp = b"" if self.struct_parent is None else b" /StructParent %d" % self.struct_parent
        return (b"<<\n/Border [ 0 0 0 ] /Contents " + pdf_text(self.Contents) + b" /Dest "
                + destination_bytes(self.Destination, document) + b" /F 4"
                + (" /Rect [ %s %s %s %s ]" % (num(r[0]), num(r[1]), num(r[2]), num(r[3]))).encode()
                + sp + b" /Subtype /Link /Type /Annot\n>>")


def link(canv, destination: str, rect: tuple, contents: str = "") -> "_Link":
    """A link from `rect` (in the canvas's current coordinates) to a named destination;
    `contents` says where it leads (for screen readers). What reportlab's
    `_addAnnotation(LinkAnnotation(_absRect(rect, 1), …))` makes, the same objects under
    the same names, without its six calls (two links a note)."""
    if canv._cropMarks:  # (a shifted page: reportlab's own way)
        box = canv._absRect(rect, 1)
    else:  # _absRect(rect, 1): the bounds of the four corners in default user space
        a, b, c, d, e, f = canv._currentMatrix
        lx, ly, ux, uy = rect
        xs = (a * lx + c * ly + e, a * ux + c * uy + e, a * lx + c * uy + e, a * ux + c * ly + e)
        ys = (b * lx + d * ly + f, b * ux + d * uy + f, b * lx + d * uy + f, b * ux + d * ly + f)
        box = (min(xs), min(ys), max(xs), max(ys))
    dest = canv._destinations.get(destination)
    ann = _Link(box, contents, dest if dest is not None else canv._bookmarkReference(destination))
    # _addAnnotation(ann): numbered, registered, and referred to by the page
    count = canv._annotationCount = canv._annotationCount + 1
    name = "Annot.NUMBER" + repr(count)
    canv._doc.Reference(ann, name)
    canv._annotationrefs.append(PDFObjectReference(name))
    return ann


def encoder(canv, font_name: str):
    """(cache, encode): word -> [(subset font resource, escaped bytes)], per canvas and face
    (the subsets belong to one PDF document)."""
    caches = canv.__dict__.setdefault("_corresp_words", {})
    got = caches.get(font_name)
    if got is None:
        font = getFont(font_name)
        doc = canv._doc
        cache: dict[str, list] = {}

        def encode(word: str):
            enc = cache.get(word)
            if enc is None:
                enc = cache[word] = [(font.getSubsetInternalName(sub, doc), escapePDF(chunk))
                                     for sub, chunk in font.splitString(word, doc)]
            return enc

        got = caches[font_name] = (cache, encode)
    return got

from corresp.compiled import use_twin; use_twin(__name__, __file__)  # its compiled twin (setup.py), if built
