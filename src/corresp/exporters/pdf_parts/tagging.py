"""Tagged PDF (PDF/UA-1): the structure tree, marked content, artifacts.

The story builder makes the tree's elements in reading order as it makes the flowables
(`Document` → `Part` per chapter → `Sect` per letter → `H1`/`H2`, `P`, `Note` …) and hangs
each on the flowable that draws it (`flowable.tag`). Drawing then writes every paragraph
as marked content (`/P <</MCID n>> BDC … EMC`) and records (page, MCID) on its element;
markers become `Link` elements holding their MCID and an `OBJR` to their link
annotation; a note's label is `Lbl` → `Link`. Running heads, folios, rules and leader dots
are `/Artifact`. A split paragraph or note keeps one element across pages.

`StructTree.finish` registers the elements with reportlab's document and sets the catalog
entries (`StructTreeRoot` with `ParentTree` and `IDTree`, `MarkInfo`, `ViewerPreferences`);
the elements format themselves straight to bytes, a run of them at a time
(`StructElem.format_run`, called by serialize.py's writer: a hundred thousand of them in a
long edition; reportlab's generic dictionaries would cost more than the text).
"""
from __future__ import annotations

import re
from itertools import repeat
from typing import Optional

from reportlab.pdfbase.pdfdoc import PDFObject, PDFPage

from ...i18n import words

# Runs, not letters: they are counted as what a substitution removes (findall made a
# string per letter of every paragraph of the book).
_CYRILLIC = re.compile("[\u0400-\u04ff]+")
_LATIN = re.compile("[A-Za-z]+")
_CYRILLIC_LANGUAGES = ("ru", "uk", "be", "bg", "sr")



def pdf_text(text: str) -> bytes:
    """A PDF text string: literal if ASCII, else UTF-16BE with a byte order mark, in hex."""
    if text.isascii():
        esc = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").replace("\r", "\\r")
        return ("(" + esc + ")").encode("latin-1")
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def span_language(text: str, language: str) -> Optional[str]:
    """The language of a paragraph when it differs from the edition's, as far as the script
    tells: Cyrillic text in a non-Russian edition is Russian, Latin text in a Russian one
    English. None when it is the edition's."""
    base = language.split("-")[0].lower()
    if base not in _CYRILLIC_LANGUAGES:
        if text.isascii() or not _CYRILLIC.search(text):  # (no Cyrillic: never "ru")
            return None
    elif not _LATIN.search(text):
        return None
    cyr = len(text) - len(_CYRILLIC.sub("", text))
    lat = len(text) - len(_LATIN.sub("", text))
    if base not in _CYRILLIC_LANGUAGES and cyr > lat:
        return "ru"
    if base in _CYRILLIC_LANGUAGES and lat > 2 * cyr and lat > 20:
        return "en"
    return None


def _ref(document, obj) -> bytes:
    return b"%d 0 R" % document.idToObjectNumberAndVersion[obj.__InternalName__][0]


class StructElem(PDFObject):
    """One element of the structure tree. `kids` holds, in reading order, elements,
    (page name, MCID) pairs and ("objr", annotation name, page name) triples."""

    __slots__ = ("kind", "parent", "lang", "ident", "title", "kids", "page", "branch", "__InternalName__")

    def __init__(self, kind: str, parent: Optional["StructElem"], lang: Optional[str] = None,
                 ident: Optional[str] = None, title: Optional[str] = None):
        self.kind, self.parent, self.lang, self.ident, self.title = kind, parent, lang, ident, title
        self.kids: list = []
        self.page: Optional[str] = None  # page of the first marked content, for /Pg
        self.branch = False  # True once an element was added to `kids` (else they are marked content only)
        if parent is not None:
            parent.kids.append(self)
            parent.branch = True

    def add(self, kind: str, **kw) -> "StructElem":
        return StructElem(kind, self, **kw)

    def format(self, document):
        return self.format_run([self], document)[0]

    @staticmethod
    def format_run(elems: list, document) -> list[bytes]:
        """The bytes of each of `elems` (the writer hands over runs of consecutive objects,
        serialize.py): straight to bytes, one lookup per reference, in one loop; a long
        edition has a hundred thousand elements."""
        nv = document.idToObjectNumberAndVersion
        root = document._corresp_struct_root
        heads = _HEADS
        out = []
        for e in elems:
            parent, page = e.parent, e.page
            head = heads.get(e.kind) or heads.setdefault(e.kind, b"<< /Type /StructElem /S /%s /P " % e.kind.encode())
            if page is None:
                head += b"%d 0 R" % nv[(parent if parent is not None else root).__InternalName__][0]
            else:
                head += b"%d 0 R /Pg %d 0 R" % (nv[(parent if parent is not None else root).__InternalName__][0],
                                                nv[page][0])
            if e.lang:
                head += b" /Lang " + pdf_text(e.lang)
            if e.ident:
                head += b" /ID " + pdf_text(e.ident)
            if e.title:
                head += b" /T " + pdf_text(e.title)
            kids = []
            for k in e.kids:
                if type(k) is tuple:
                    if len(k) == 2:
                        if k[0] == page:  # marked content on the element's own page: the MCID alone
                            kids.append(b"%d" % k[1])
                        else:
                            kids.append(b"<< /Type /MCR /Pg %d 0 R /MCID %d >>" % (nv[k[0]][0], k[1]))
                    else:
                        _, annot, on = k
                        kids.append(b"<< /Type /OBJR /Obj %d 0 R /Pg %d 0 R >>" % (nv[annot][0], nv[on][0]))
                else:
                    kids.append(b"%d 0 R" % nv[k.__InternalName__][0])
            out.append(head + b" /K [" + b" ".join(kids) + b"] >>")
        return out


_HEADS: dict[str, bytes] = {}  # a kind -> its element's first bytes


def _register(doc, objects: list) -> None:
    """`doc.Reference(obj)` for each of `objects`, new elements of a tree finished once, in
    order: the same numbers and names, without reportlab's checks per object (a long
    edition has a hundred thousand elements)."""
    first = doc.objectcounter + 1
    numbers = range(first, first + len(objects))
    names = ["R%d" % n for n in numbers]
    if getattr(objects[0], "__InternalName__", None) is not None or not doc.idToObject.keys().isdisjoint(names):
        raise ValueError("the structure tree is registered already, or its numbers are taken")
    for obj, name in zip(objects, names):
        obj.__InternalName__ = name
    doc.idToObjectNumberAndVersion.update(zip(names, zip(numbers, repeat(0))))
    doc.numberToId.update(zip(numbers, names))
    doc.idToObject.update(zip(names, objects))
    doc.objectcounter = first + len(objects) - 1


class _Bytes(PDFObject):
    """An object whose bytes are made when the file is written."""

    def __init__(self, make):
        self.make = make

    def format(self, document):
        return self.make(document)


def print_kind(link: StructElem) -> str:
    """What a `Link` becomes in the print edition, which has no links: a note label's
    (`Lbl` → `Link`) the `Lbl` alone, a marker's a `Reference` (pdf_shared.make_print)."""
    parent = link.parent
    return "Lbl" if parent is not None and parent.kind == "Lbl" else "Reference"


class StructTree:
    """The tree, and the bookkeeping of marked content per page while drawing."""

    def __init__(self, language: str, links: bool = True):
        self.language = language
        self.links = links  # False: the print variant, which has no link annotations
        self.root = StructElem("Document", None)
        self._page: Optional[str] = None  # name of the page being drawn
        self._mcids: list = []  # its parent-tree array: element of each MCID
        self._next_key = 0
        self.parent_tree: list[tuple[int, object]] = []  # (key, element or list of elements)
        self.page_keys: dict[str, int] = {}
        # every `Link` element that holds marked content, in the order drawn: the print
        # edition made from this layout (pdf_shared.make_print) retags them without a walk
        self.link_elements: list[StructElem] = []
        w = words(language)
        self.marker_text, self.back_text = w["note_link"], w["note_back"]

    # --- drawing -------------------------------------------------------------------

    _page_counter = None  # reportlab's page counter when `_page` was named

    def _on_page(self, canv) -> None:
        # Asked at every marked content (a hundred thousand in a long edition): the page's
        # name ("Page" + its counter) is made only when the counter moves.
        counter = canv._doc.pageCounter
        if counter == self._page_counter:
            return
        self._page_counter = counter
        page = canv._doc.thisPageName()
        if page != self._page:
            self._page = page
            self._mcids = []
            key = self._next_key
            self._next_key += 1
            self.page_keys[page] = key
            self.parent_tree.append((key, self._mcids))

    def open(self, elem: StructElem, canv) -> str:
        """`BDC` of new marked content belonging to `elem` on the current page."""
        self._on_page(canv)
        mcid = len(self._mcids)
        self._mcids.append(elem)
        if elem.page is None:  # its first marked content
            elem.page = self._page
            if elem.kind == "Link":
                self.link_elements.append(elem)
        elem.kids.append((self._page, mcid))
        return "/%s <</MCID %d>> BDC" % (elem.kind, mcid)

    def annotation(self, elem: StructElem, canv, annotation) -> None:
        """`annotation` (just added to the current page) belongs to `elem`."""
        self._on_page(canv)
        key = self._next_key
        self._next_key += 1
        annotation.struct_parent = key
        self.parent_tree.append((key, elem))
        elem.kids.append(("objr", canv._annotationrefs[-1].name, self._page))

    def print_kinds(self, canv) -> Optional[dict[int, str]]:
        """The tag each `Link`'s marked content on the page just drawn takes in the print
        edition (`print_kind`), by MCID; None if the page has none."""
        if self._page != canv._doc.thisPageName():
            return None  # (no marked content on this page: `_mcids` is an earlier page's)
        kinds = {mcid: print_kind(e) for mcid, e in enumerate(self._mcids) if e.kind == "Link"}
        return kinds or None

    def end_page(self, canv, page) -> None:
        """reportlab's page object is complete: give it its parent-tree key and tab order."""
        if not isinstance(page, PDFPage):
            return  # a form XObject
        key = self.page_keys.get(canv._doc.thisPageName())
        page.__NoDefault__ = type(page).__NoDefault__ + ["Tabs", "StructParents"]
        page.Tabs = b"/S"
        page.StructParents = key

    # --- the file ------------------------------------------------------------------

    def _collect(self, elem: StructElem, out: list) -> bool:
        """Append `elem` and its elements to `out` in reading order (preorder), dropping
        those that hold nothing (an empty paragraph drew no text); whether `elem` holds
        anything. One pass: the tree is walked once per file written."""
        if not elem.branch:  # most elements (paragraphs, cells): no element to walk
            if elem.kids:
                out.append(elem)
                return True
            return False
        mark = len(out)
        out.append(elem)
        kids = elem.kids = [k for k in elem.kids if type(k) is not StructElem or self._collect(k, out)]
        if not kids:
            del out[mark:]  # (its elements, if any, were dropped already)
            return False
        return True

    def finish(self, canv, title: str) -> None:
        doc = canv._doc
        elems: list = []
        if not self._collect(self.root, elems):
            elems = [self.root]  # the document element stays, empty
        _register(doc, elems)
        tree = self

        def parent_tree(document):
            nv = document.idToObjectNumberAndVersion
            nums = []
            for key, v in sorted(tree.parent_tree, key=lambda kv: kv[0]):
                if type(v) is list:
                    nums.append(b"%d [%s]" % (key, b" ".join([b"%d 0 R" % nv[e.__InternalName__][0] for e in v])))
                else:
                    nums.append(b"%d %s" % (key, _ref(document, v)))
            return b"<< /Nums [" + b"\n".join(nums) + b"] >>"

        ptree = _Bytes(parent_tree)
        doc.Reference(ptree)
        ids = sorted((e.ident, e) for e in elems if e.ident)

        def root(document):
            out = [b"<< /Type /StructTreeRoot /K [" + _ref(document, tree.root) + b"]",
                   b" /ParentTree " + _ref(document, ptree), b" /ParentTreeNextKey %d" % tree._next_key]
            if ids:
                out.append(b" /IDTree << /Names [" + b" ".join(pdf_text(i) + b" " + _ref(document, e)
                                                              for i, e in ids) + b"] >>")
            out.append(b" >>")
            return b"".join(out)

        struct_root = _Bytes(root)
        doc.Reference(struct_root)
        doc._corresp_struct_root = struct_root
        cat = doc.Catalog
        cat.StructTreeRoot = struct_root
        cat.MarkInfo = b"<< /Marked true >>"
        canv.setViewerPreference("DisplayDocTitle", "true")


ARTIFACT_PAGE = "/Artifact <</Type /Pagination /Subtype /Header>> BDC"
ARTIFACT_FOOT = "/Artifact <</Type /Pagination /Subtype /Footer>> BDC"
ARTIFACT_LAYOUT = "/Artifact <</Type /Layout>> BDC"
ARTIFACT = "/Artifact BMC"
from corresp.compiled import use_twin; use_twin(__name__, __file__)  # its compiled twin (setup.py), if built
