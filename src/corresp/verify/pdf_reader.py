"""PDF → check each document's text and notes: as a screen reader reads them (the structure
tree: each chapter `Part` with its `H1`, intro `P`s and `Note`s, each letter `Sect` with its
`H2`, `P`s, `BlockQuote`s and `Note`s, every marker a `Link` in its paragraph), and as the
pages show them (the page text, below).

The outline gives each document's first page. Every note must appear, label first, on a
page from its document's first page to the next document's first page (a note may run on
to the page after), its text in order; the whole text must be there, in one piece or split
across a page break."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import re

from ..typography import fold as typographic, fold_char
from . import INTRO, DocNotes, _counts, broken_marker, compare, marker, norm, unnumbered


def _comparable(ch: str) -> bool:
    """Characters whose extraction from a PDF is reliable. Left out of the comparison:
    spaces (line breaks), characters the book's fonts cannot show (the exporter warns about
    each, and extraction gives U+0000 for them), combining marks, right-to-left scripts
    (extracted reordered), U+2010 HYPHEN, which hyphenation adds at line ends, and U+2011,
    which the PDF draws as U+2010 (its faces lack it)."""
    if ch.isspace() or ord(ch) > 0xFFFF or ch in "\x00\u2010\u2011":
        return False
    cat = unicodedata.category(ch)
    if cat in ("Cc", "Cf", "Co", "Cs", "Cn", "Mn", "Me", "So"):
        return False
    return unicodedata.bidirectional(ch) not in ("R", "AL", "AN")


class _Table(dict):
    """A str.translate table deleting what `keep` rejects, filled as characters are met
    (translate runs in C: a 100× edition's 15 million characters in a fraction of a second).
    With `typographic`, each character kept is folded as house typography folds it (curly
    quotes to ", dashes to -, … to ...: `corresp.typography.fold`)."""

    def __init__(self, keep, typographic: bool = False):
        super().__init__()
        self.keep = keep
        self.typographic = typographic

    def __missing__(self, code: int):
        ch = chr(code)
        value = None if not self.keep(ch) else (fold_char(ch) if self.typographic else code)
        self[code] = value
        return value


_SQUEEZE = _Table(_comparable, typographic=True)
_KEY = _Table(lambda ch: _comparable(ch) or ch in "\u27e8\u27e9", typographic=True)  # markers are compared too


def _shown_by(drawable: set):
    """Does the PDF's fonts show `ch`, or the character house typography prints for it (a
    book of curly quotes may hold no straight one)?"""
    folded = {fold_char(c) for c in drawable}
    return lambda ch: ch in drawable or fold_char(ch) in folded


def _squeeze(text: str) -> str:
    return unicodedata.normalize("NFC", text).translate(_SQUEEZE)


def _outline(pdf, chapters: set[str]) -> list[tuple[str, str, int]]:
    """(kind, title, page) of the outline's chapters (top level; other top-level entries,
    such as the index, are left out) and documents (under them)."""
    index = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
    found: list[tuple[str, str, int]] = []

    def page_of(item) -> int:
        dest = item.destination
        if dest is None and item.action is not None and item.action.get("/D") is not None:
            dest = item.action.D
        try:
            return index.get(dest[0].objgen, -1)
        except (TypeError, IndexError, AttributeError, ValueError):
            return -1
    with pdf.open_outline() as outline:
        stack = [(item, 0) for item in reversed(outline.root)]
        while stack:  # iteratively: 100,000 documents are 100,000 entries
            item, depth = stack.pop()
            title = " ".join((item.title or "").split())
            if depth >= 1 or norm(typographic(title)) in chapters:
                found.append((INTRO if depth == 0 else "document", title, page_of(item)))
            stack.extend((child, depth + 1) for child in reversed(item.children))
    return found


def check(reference: list[DocNotes], path: Path, scanned=None) -> list[str]:
    """Each chapter's intro notes on the pages from the chapter's to its first document's,
    each document's on the pages from its own to the next one's (the pages' marked
    content, in the order it is drawn; running heads and folios are artifacts)."""
    import pikepdf
    with pikepdf.open(path) as pdf:
        scanned = scanned or Scanned(pdf)
        pages = [_squeeze(t) for t in scanned.page_texts]
        outline = _outline(pdf, {norm(typographic(r.heading)) for r in reference if r.kind == INTRO})
    if not any(kind == INTRO for kind, _, _ in outline):  # an outline of documents alone
        reference = [r for r in reference if r.kind != INTRO]
    problems = []
    shown = _shown_by(scanned.drawable)
    if len(outline) != len(reference):
        problems.append(f"{path}: outline lists {_counts([DocNotes(None, t, kind=k) for k, t, _ in outline])}, "
                        f"the JSON edition has {_counts(reference)}")
    number = 0
    for k, (ref, (_, title, first)) in enumerate(zip(reference, outline)):
        where = f"{path}: {ref.id}"
        heading = " ".join(ref.heading.split())
        if ref.kind != INTRO:  # a document's entry carries its number, as its heading does
            number += 1
            heading = f"{number}. {heading}"
        if norm(typographic(title)) != norm(typographic(heading)):
            problems.append(f"{where}: outline entry {title!r} where the JSON edition has {ref.heading!r}")
            continue
        if first < 0:
            problems.append(f"{where}: outline entry {title!r} leads to no page")
            continue
        last = outline[k + 1][2] + 1 if k + 1 < len(outline) else len(pages) - 1
        text = "".join(pages[first: last + 1])
        pos = 0
        for label, note in ref.notes:
            body = _squeeze("".join(ch for ch in note if shown(ch)))  # what the fonts can show
            head = body[:40]
            hit = text.find(label + head, pos)
            if hit < 0:
                problems.append(f"{where}: note {label}: not found with that number on pages {first + 1}–{last + 1}")
                continue
            rest = text[hit + len(label):]
            if not rest.startswith(body) and not _split_ok(rest, body):
                problems.append(f"{where}: note {label}: text differs from the JSON edition")
            pos = hit + len(label) + len(head)  # the next note is after this one: equal notes count twice
    return problems


def _split_ok(rest: str, body: str) -> bool:
    """A note continued over one or more page breaks: its text is there in pieces, in
    order, with only the next pages' running heads and body text in between."""
    pos, remaining = 0, body
    for _ in range(64):  # at most 64 pieces: a note of many pages
        k = 0
        while k < len(remaining) and pos + k < len(rest) and rest[pos + k] == remaining[k]:
            k += 1
        if k == len(remaining):
            return True
        if k < 10:
            return False
        remaining = remaining[k:]
        nxt = rest.find(remaining[:30], pos + k)
        if nxt < 0:
            return False
        pos = nxt
    return False


# --- the structure tree: what a screen reader reads ------------------------------------

class Scanned:
    """A PDF's marked content, read once: (page objgen, MCID) -> text, each page's text in
    the order drawn, and every character the fonts can show (their ToUnicode maps)."""

    def __init__(self, pdf):
        from .preflight import _PageScan
        cmaps: dict = {}
        self.texts: dict = {}
        self.page_texts: list[str] = []
        self.annot_page: dict = {}  # annotation objgen -> its page's objgen
        for page in pdf.pages:
            for annot in page.obj.get("/Annots", []) or []:
                self.annot_page[annot.objgen] = page.obj.objgen
            scan = _PageScan(page, cmaps)
            for mcid, text in scan.mcids.items():
                self.texts[(page.obj.objgen, mcid)] = text
            self.page_texts.append("".join(scan.mcids.values()))
        self.drawable = set()
        for cmap in cmaps.values():
            for value in cmap.values():
                self.drawable.update(value)


def _element_text(elem, texts: dict, page=None, depth: int = 0, links: list = None) -> str:
    """The element's text in order, each Link as marker(its text) (with `links`: a
    placeholder, its annotation kept in `links`, resolved by _resolve_markers)."""
    import pikepdf
    from .preflight import _kids
    if depth > 100:
        return ""
    pg = elem.get("/Pg")
    page = pg.objgen if pg is not None else page
    out = []
    for k in _kids(elem):
        if isinstance(k, pikepdf.Dictionary):
            if k.get("/Type") == "/MCR":
                p = k.get("/Pg")
                out.append(texts.get((p.objgen if p is not None else page, int(k.MCID)), ""))
            elif k.get("/S") == "/Link" and depth >= 0:
                label = _element_text(k, texts, page, -100).strip()
                if links is None:
                    out.append(marker(label))
                else:
                    links.append(_link_annot(k))
                    out.append(f"\u27e8{label}\x00{len(links) - 1}\u27e9")
            elif "/S" in k:
                out.append(_element_text(k, texts, page, depth + 1 if depth >= 0 else depth, links))
        elif isinstance(k, int) or getattr(k, "_type_code", None) == pikepdf.ObjectType.integer:
            out.append(texts.get((page, int(k)), ""))
    return "".join(out)


def _struct_kids(elem, page=None):
    import pikepdf
    from .preflight import _kids
    pg = elem.get("/Pg")
    page = pg.objgen if pg is not None else page
    for k in _kids(elem):
        if isinstance(k, pikepdf.Dictionary) and "/S" in k:
            yield k, page


def _link_annot(link):
    import pikepdf
    from .preflight import _kids
    for k in _kids(link):
        if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR" and "/Obj" in k:
            return k.Obj
    return None


def _dest(annot):
    """(page objgen, y) where a link annotation leads, or None."""
    try:
        d = annot.get("/Dest")
        if d is None and annot.get("/A") is not None:
            d = annot.A.get("/D")
        return d[0].objgen, float(d[3])
    except Exception:
        return None


NEAR = 30.0  # points: a link's destination is at the line it leads to


def _leads_to(annot, target, annot_page: dict) -> bool:
    """`annot` leads to the line of `target` (an annotation) on its page."""
    dest = _dest(annot) if annot is not None else None
    try:
        return dest is not None and dest[0] == annot_page.get(target.objgen) and \
            abs(dest[1] - float(target.Rect[3])) <= NEAR
    except Exception:
        return False


_PLACEHOLDER = re.compile("\u27e8([^\x00\u27e9]*)\x00([0-9]+)\u27e9")


def _resolve_markers(entry: DocNotes, links: list, note_links: dict, annot_page: dict) -> None:
    """Each marker must lead to its note's number, and that number back to the marker."""
    def one(m):
        label, annot = m.group(1), links[int(m.group(2))]
        back = note_links.get(label)
        ok = annot is not None and back is not None and _leads_to(annot, back, annot_page) and \
            _leads_to(back, annot, annot_page)
        return marker(label) if ok else broken_marker(label)
    entry.paragraphs = [_PLACEHOLDER.sub(one, p) for p in entry.paragraphs]


def _read_block(elem, page, texts: dict, entry: DocNotes, links: list = None, note_links: dict = None) -> None:
    """Paragraphs and notes of a Part's or Sect's children (a BlockQuote's one by one)."""
    for k, pg in _struct_kids(elem, page):
        kind = str(k.S)
        if kind == "/P":
            entry.paragraphs.append(norm(_element_text(k, texts, pg, 0, links)))
        elif kind == "/BlockQuote":
            _read_block(k, pg, texts, entry, links, note_links)
        elif kind == "/Note":
            lbl = next((e for e, _ in _struct_kids(k, pg) if str(e.S) == "/Lbl"), None)
            label = norm(_element_text(lbl, texts, pg, -100)) if lbl is not None else ""
            text = _element_text(k, texts, pg, -100)
            text = norm(text[len(label):] if label and text.lstrip().startswith(label) else text)
            entry.notes.append((label, text))
            if note_links is not None and lbl is not None:
                back = next((e for e, _ in _struct_kids(lbl, pg) if str(e.S) == "/Link"), None)
                note_links.setdefault(label, _link_annot(back) if back is not None else None)


def _read_entry(elem, page, texts: dict, entry: DocNotes, annot_page: dict) -> None:
    links: list = []
    note_links: dict = {}
    _read_block(elem, page, texts, entry, links, note_links)
    _resolve_markers(entry, links, note_links, annot_page)


def read_tagged(pdf, scanned: Scanned) -> list[DocNotes]:
    """Each chapter Part (its H1, intro paragraphs and notes) and its letter Sects (those
    with an H2: not the contents or the index)."""
    texts = scanned.texts
    root = pdf.Root.get("/StructTreeRoot")
    entries: list[DocNotes] = []
    if root is None:
        return entries
    stack = list(_struct_kids(root))
    while stack:  # Document -> Part -> Sect
        elem, page = stack.pop(0)
        kind = str(elem.S)
        if kind == "/Document":
            stack[:0] = list(_struct_kids(elem, page))
        elif kind == "/Part":
            h1 = next((e for e, _ in _struct_kids(elem, page) if str(e.S) == "/H1"), None)
            chapter = DocNotes(None, norm(_element_text(h1, texts, page)) if h1 is not None else "", kind=INTRO,
                               paragraphs=[])
            entries.append(chapter)
            _read_entry(elem, page, texts, chapter, scanned.annot_page)
            for sect, pg in _struct_kids(elem, page):
                if str(sect.S) != "/Sect":
                    continue
                h2 = next((e for e, _ in _struct_kids(sect, pg) if str(e.S) == "/H2"), None)
                if h2 is None:
                    continue
                doc = DocNotes(None, norm(_element_text(h2, texts, pg)), paragraphs=[])
                _read_entry(sect, pg, texts, doc, scanned.annot_page)
                entries.append(doc)
    return entries


def check_all(reference: list[DocNotes], path: Path) -> list[str]:
    """The structure tree's text and notes, then the notes on their pages; one reading."""
    import pikepdf
    with pikepdf.open(path) as pdf:
        scanned = Scanned(pdf)
        problems = check_tagged(reference, path, pdf, scanned)
    return problems + check(reference, path, scanned)


def check_tagged(reference: list[DocNotes], path: Path, pdf=None, scanned: Scanned = None) -> list[str]:
    """The structure tree's text against the JSON edition, compared letter by letter with
    spaces left out (a line break drops them), hyphens added by hyphenation and what the
    fonts cannot show left out too; the archive line (a letter's first P) is not text."""
    if pdf is None:
        return _tagged_alone(reference, path)
    scanned = scanned or Scanned(pdf)
    entries = read_tagged(pdf, scanned)
    drawable = scanned.drawable

    drawn = _shown_by(drawable)
    shown = _Table(lambda ch: drawn(ch) or ch.isspace() or ch in "\u27e8\u27e9")

    def fold(text: str) -> str:
        return text.translate(shown)

    def key(text: str) -> str:
        return unicodedata.normalize("NFC", text).translate(_KEY)

    sources: dict[str, set] = {}  # heading -> the archive lines of the letters with that heading
    for ref in reference:
        if ref.kind != INTRO and ref.source:
            sources.setdefault(key(fold(ref.heading)), set()).add(key(fold(ref.source)))
    for entry in entries:
        if entry.kind != INTRO and entry.paragraphs and \
                key(entry.paragraphs[0]) in sources.get(key(unnumbered(entry.heading)), ()):
            entry.paragraphs.pop(0)
    return compare(reference, entries, str(path), fold, key)


def _tagged_alone(reference: list[DocNotes], path: Path) -> list[str]:
    import pikepdf
    with pikepdf.open(path) as pdf:
        return check_tagged(reference, path, pdf, Scanned(pdf))
