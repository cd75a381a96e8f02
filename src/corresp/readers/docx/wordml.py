"""WordprocessingML as a reader sees it: paragraphs with their style names, their text and
their note references, whatever Word or LibreOffice wrapped them in.

Styles are matched by NAME (w:name, case-insensitive), never by id: ids differ after Word or
LibreOffice saves a file again (`Salutation` becomes `ComplimentaryClose`, `Body Text`
`TextBody`), names do not. A paragraph's names are its style's and those of the styles it is
based on, nearest first, so a publisher's "Letter Body" based on "Body Text" reads as body.

Text is gathered from runs wherever they stand: inside hyperlinks, smart tags, custom XML,
content controls (w:sdt), simple fields, field results, bookmarks and runs split mid-word by
w:rsid are all invisible to the reader. Field codes (w:instrText), deleted text, drawings and
comment marks are not text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator, Optional, Union

from lxml import etree

from ...word_styles import NOTE_DOCUMENT_LABEL

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

# Elements whose children are read as if they stood in the paragraph itself.
_TRANSPARENT = {W + t for t in ("hyperlink", "smartTag", "customXml", "sdtContent", "fldSimple", "ins", "moveTo",
                                "dir", "bdo", "r")}
_SKIPPED = {W + t for t in ("pPr", "rPr", "del", "moveFrom", "instrText", "delText", "delInstrText", "drawing",
                            "pict", "object", "commentReference", "annotationRef", "footnoteRef", "endnoteRef",
                            "separator", "continuationSeparator", "sdtPr", "sdtEndPr", "lastRenderedPageBreak",
                            "fldData", "ptab")} | {MC + "AlternateContent"}
_ODD_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_CHARS = {W + "tab": "\t", W + "cr": "\n", W + "softHyphen": "\u00ad", W + "noBreakHyphen": "\u2011"}
# Character styles of the marks Word and LibreOffice put at note references and at the start
# of the note itself (the custom mark LibreOffice writes as text there).
# Runs the writer adds for the reader's eye, not the edition's text: "No. 12" before a
# letter's first note.
DROPPED_RUN_STYLES = {NOTE_DOCUMENT_LABEL.lower()}
NOTE_MARK_STYLES = {"footnote reference", "footnote characters", "footnote anchor", "footnote symbol",
                    "endnote reference", "endnote characters", "endnote anchor", "endnote symbol"}


@dataclass(frozen=True)
class NoteRef:
    kind: str  # footnote | endnote
    id: str


Piece = Union[str, NoteRef]


@dataclass
class WordParagraph:
    index: int  # 1-based, among the body's paragraphs: what messages call "paragraph N"
    style_names: tuple[str, ...]  # the style's name and those it is based on, lower-case, nearest first
    pieces: list[Piece] = field(default_factory=list)
    bookmarks: list[str] = field(default_factory=list)
    in_table: bool = False
    in_toc: bool = False  # inside a table-of-contents content control or TOC field result
    bold: bool = False  # every run bold (a hint for a manuscript's headings)
    centred: bool = False

    @property
    def text(self) -> str:
        return "".join(p for p in self.pieces if isinstance(p, str))

    @property
    def notes(self) -> list[NoteRef]:
        return [p for p in self.pieces if isinstance(p, NoteRef)]

    def has(self, *names: str) -> bool:
        return any(n in self.style_names for n in names)


class Styles:
    """Style id → (names along the basedOn chain), for paragraph and character styles."""

    def __init__(self, root: Optional[etree._Element]):
        self._name: dict[str, str] = {}
        self._based: dict[str, Optional[str]] = {}
        self.default_paragraph: Optional[str] = None
        self.language: Optional[str] = None
        if root is None:
            return
        for s in root.iterfind(W + "style"):
            sid = s.get(W + "styleId")
            if sid is None:
                continue
            name = s.find(W + "name")
            based = s.find(W + "basedOn")
            self._name[sid] = ((name.get(W + "val") if name is not None else None) or sid).strip().lower()
            self._based[sid] = based.get(W + "val") if based is not None else None
            if s.get(W + "type") == "paragraph" and s.get(W + "default") in ("1", "true", "on"):
                self.default_paragraph = sid
        lang = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
        if lang is not None:
            self.language = lang.get(W + "val")
        self._chains: dict[Optional[str], tuple[str, ...]] = {}

    def chain(self, sid: Optional[str]) -> tuple[str, ...]:
        if sid is None:
            sid = self.default_paragraph
        if sid in self._chains:
            return self._chains[sid]
        names, seen, cur = [], set(), sid
        while cur is not None and cur not in seen and len(names) < 50:
            seen.add(cur)
            names.append(self._name.get(cur, cur.lower()))
            cur = self._based.get(cur)
        out = tuple(names) or ("normal",)
        self._chains[sid] = out
        return out


_RPR, _RSTYLE, _VERTALIGN, _B, _T, _VAL = W + "rPr", W + "rStyle", W + "vertAlign", W + "b", W + "t", W + "val"
_FOOTNOTE_REF = W + "footnoteReference"
_PSTYLE = f"{W}pPr/{W}pStyle"


def _style_id(p: etree._Element) -> Optional[str]:
    s = p.find(_PSTYLE)
    return s.get(_VAL) if s is not None else None


class _Walker:
    """Reads one paragraph's (or note's) inline content into pieces."""

    def __init__(self, styles: Styles, skip_note_marks: bool = False):
        self.styles = styles
        self.pieces: list[Piece] = []
        self.bookmarks: list[str] = []
        self.fields: list[str] = []  # open fields, each "code" (before its separate) or "result"
        self.skip_mark = False  # after a custom-mark reference: its mark is not text
        self.last_mark = ""  # the mark just skipped
        self.skip_note_marks = skip_note_marks  # at the start of a note: its number
        self.comment_starts: list[tuple[str, int]] = []
        self.comment_ends: list[tuple[str, int]] = []
        self.all_bold = True
        self.runs = 0

    def text_len(self) -> int:
        return sum(len(p) for p in self.pieces if isinstance(p, str))

    def add(self, text: str) -> None:
        if not text or "code" in self.fields:  # a field's code (TOC \\o …, PAGE) is not text
            return
        if self.skip_mark:
            self.skip_mark = False
            self.last_mark = text
            return
        if self.last_mark:
            # LibreOffice (7.x) saves a custom mark of two characters or more ("10") once as
            # the mark and once again as text after it: the echo is not the editor's text.
            if len(self.last_mark) >= 2 and text.startswith(self.last_mark):
                text = text[len(self.last_mark):]
            self.last_mark = ""
            if not text:
                return
        # Non-breaking and other odd spaces are spaces, as the text reader makes them: house
        # typography puts them in the DOCX (`F.\u00a0558`, `August\u00a014`).
        text = _ODD_SPACES.sub(" ", text)
        if self.pieces and isinstance(self.pieces[-1], str):
            self.pieces[-1] += text
        else:
            self.pieces.append(text)
        self.skip_note_marks = False

    def walk(self, el: etree._Element) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIPPED:
                continue
            if tag == W + "r":
                self.run(child)
            elif tag in _TRANSPARENT or tag == W + "sdt":
                self.walk(child)
            elif tag == W + "bookmarkStart":
                name = child.get(W + "name") or ""
                if name and not name.startswith("_"):  # _Toc…, _GoBack: Word's own
                    self.bookmarks.append(name)
            elif tag == W + "commentRangeStart":
                self.comment_starts.append((child.get(W + "id") or "", self.text_len()))
            elif tag == W + "commentRangeEnd":
                self.comment_ends.append((child.get(W + "id") or "", self.text_len()))
            elif tag == W + "p":  # a paragraph inside a note or a content control: its own line
                if self.pieces:
                    self.add("\n")
                self.walk(child)

    def run(self, r: etree._Element) -> None:
        rpr = r.find(_RPR)
        names: tuple[str, ...] = ()
        superscript = bold = False
        if rpr is not None:
            style = rpr.find(_RSTYLE)
            if style is not None:
                names = self.styles.chain(style.get(_VAL))
                if not DROPPED_RUN_STYLES.isdisjoint(names):
                    return
            vert = rpr.find(_VERTALIGN)
            superscript = vert is not None and vert.get(_VAL) == "superscript"
            b = rpr.find(_B)
            bold = b is not None and b.get(_VAL) not in ("0", "false", "off")
        marked = superscript or not NOTE_MARK_STYLES.isdisjoint(names)
        if self.skip_note_marks and marked:
            return  # a note's own number, as LibreOffice writes a custom mark there
        has_text = r.find(_T) is not None
        if has_text:
            self.runs += 1
            self.all_bold = self.all_bold and bold
            if self.skip_mark and not marked and r.find(_FOOTNOTE_REF) is None:
                self.skip_mark = False  # a custom mark belongs to the reference's run, or a marked run
        for child in r:
            tag = child.tag
            if tag == W + "t":
                self.add(child.text or "")
            elif tag == W + "fldChar":
                kind = child.get(W + "fldCharType")
                if kind == "begin":
                    self.fields.append("code")
                elif kind == "separate" and self.fields:
                    self.fields[-1] = "result"
                elif kind == "end" and self.fields:
                    self.fields.pop()
            elif tag in (W + "footnoteReference", W + "endnoteReference"):
                kind = "footnote" if tag == W + "footnoteReference" else "endnote"
                self.pieces.append(NoteRef(kind, child.get(W + "id") or ""))
                self.skip_mark = child.get(W + "customMarkFollows") in ("1", "true", "on")
            elif tag == W + "br":
                if child.get(W + "type") in (None, "textWrapping"):
                    self.add("\n")
            elif tag in _CHARS:
                self.add(_CHARS[tag])
            elif tag == W + "sym":
                code = child.get(W + "char") or ""
                try:
                    self.add(chr(int(code, 16)))
                except ValueError:
                    pass
            elif tag == W + "ruby":  # a phonetic guide: the base text is the text
                base = child.find(W + "rubyBase")
                if base is not None:
                    self.walk(base)
            elif tag in _TRANSPARENT:  # w:r inside w:r does not occur; ins/del inside a run: tracked
                self.walk(child)


def body_paragraphs(document: etree._Element, styles: Styles) -> Iterator[tuple[WordParagraph, _Walker]]:
    """Every paragraph of the body in reading order (tables' cells included), numbered."""
    body = document.find(W + "body")
    if body is None:
        return
    index = 0
    for p in body.iter(W + "p"):
        if _inside(p, (W + "txbxContent", W + "footnote", W + "endnote", MC + "AlternateContent")):
            continue
        index += 1
        walker = _Walker(styles)
        walker.walk(p)
        style = _style_id(p)
        jc = p.find(f"{W}pPr/{W}jc")
        para = WordParagraph(index, styles.chain(style), walker.pieces, walker.bookmarks,
                             in_table=_inside(p, (W + "tbl",)), in_toc=_in_toc(p),
                             bold=walker.runs > 0 and walker.all_bold,
                             centred=jc is not None and jc.get(W + "val") == "center")
        para.bookmarks += _bookmarks_before(p)
        yield para, walker


def _inside(el: etree._Element, tags: tuple[str, ...]) -> bool:
    parent = el.getparent()
    while parent is not None:
        if parent.tag in tags:
            return True
        parent = parent.getparent()
    return False


def _in_toc(p: etree._Element) -> bool:
    parent = p.getparent()
    while parent is not None:
        if parent.tag == W + "sdt":
            gallery = parent.find(f"{W}sdtPr/{W}docPartObj/{W}docPartGallery")
            if gallery is not None and "content" in (gallery.get(W + "val") or "").lower():
                return True
        parent = parent.getparent()
    return any("TOC" in (t.text or "").split()[:1] for t in p.iter(W + "instrText"))


def _bookmarks_before(p: etree._Element) -> list[str]:
    """Bookmarks that start just before the paragraph, between it and the previous one (pandoc
    puts a chapter heading's there)."""
    out = []
    prev = p.getprevious()
    while prev is not None and prev.tag == W + "bookmarkStart":
        name = prev.get(W + "name") or ""
        if name and not name.startswith("_"):
            out.append(name)
        prev = prev.getprevious()
    return out


def notes_of(root: Optional[etree._Element], kind: str, styles: Styles) -> dict[str, str]:
    """id → text of every real note of footnotes.xml or endnotes.xml (separators left out):
    the mark at its start left out, its paragraphs joined by line breaks."""
    out: dict[str, str] = {}
    if root is None:
        return out
    for note in root.iterfind(W + kind):
        if note.get(W + "type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        paragraphs = []
        for p in note.iterfind(W + "p"):
            walker = _Walker(styles, skip_note_marks=not paragraphs)
            walker.walk(p)
            paragraphs.append("".join(x for x in walker.pieces if isinstance(x, str)))
        text = "\n".join(paragraphs)
        if text[:1] in (" ", "\t"):  # the space after the mark
            text = text[1:]
        out[note.get(W + "id") or ""] = text.strip()
    return out


# --- tracked changes -------------------------------------------------------------------

CHANGE_KINDS = {W + "ins": "insertion", W + "del": "deletion", W + "moveFrom": "move", W + "moveTo": "move",
                W + "pPrChange": "formatting change", W + "rPrChange": "formatting change",
                W + "sectPrChange": "formatting change", W + "tblPrChange": "formatting change",
                W + "trPrChange": "formatting change", W + "tcPrChange": "formatting change",
                W + "numberingChange": "formatting change", W + "cellIns": "insertion", W + "cellDel": "deletion"}


def tracked_changes(document: etree._Element, *others: Optional[etree._Element]) -> list[tuple[Optional[int], str, str]]:
    """(paragraph number or None, kind, author) of each tracked change."""
    found = []
    index_of = {}
    body = document.find(W + "body")
    if body is not None:
        for i, p in enumerate(body.iter(W + "p"), start=1):
            index_of[p] = i
    for root in (document, *others):
        if root is None:
            continue
        for el in root.iter(*CHANGE_KINDS):
            p = el if el.tag == W + "p" else next((a for a in el.iterancestors(W + "p")), None)
            found.append((index_of.get(p), CHANGE_KINDS[el.tag], el.get(W + "author") or "unknown"))
    return found


def accept_changes(*roots: Optional[etree._Element]) -> None:
    """Accept every tracked change in place, as Word's "Accept All" does: insertions stay,
    deletions go, a deleted paragraph mark joins its paragraph to the next, formatting
    changes keep the current formatting."""
    for root in roots:
        if root is None:
            continue
        for el in list(root.iter(W + "del", W + "moveFrom", W + "cellDel")):
            parent = el.getparent()
            if parent is None:
                continue
            if parent.tag == W + "rPr" and parent.getparent() is not None and parent.getparent().tag == W + "pPr":
                continue  # a deleted paragraph mark: below
            parent.remove(el)
        for el in list(root.iter(W + "pPrChange", W + "rPrChange", W + "sectPrChange", W + "tblPrChange",
                                 W + "trPrChange", W + "tcPrChange", W + "numberingChange", W + "cellIns")):
            el.getparent().remove(el)
        for el in list(root.iter(W + "ins", W + "moveTo")):
            parent = el.getparent()
            if parent.tag == W + "rPr":  # an inserted paragraph mark or run property: just the record
                parent.remove(el)
                continue
            at = parent.index(el)
            for k, child in enumerate(list(el)):
                parent.insert(at + k, child)
            parent.remove(el)
        for mark in list(root.iter(W + "del")):  # deleted paragraph marks, last to first
            ppr = mark.getparent().getparent()
            p = ppr.getparent()
            mark.getparent().remove(mark)
            nxt = p.getnext()
            if p.tag != W + "p" or nxt is None or nxt.tag != W + "p":
                continue
            runs = [c for c in p if c.tag != W + "pPr"]
            first = next((k for k, c in enumerate(nxt) if c.tag != W + "pPr"), len(nxt))
            for k, run in enumerate(runs):
                nxt.insert(first + k, run)
            p.getparent().remove(p)
        for el in list(root.iter(W + "moveFromRangeStart", W + "moveFromRangeEnd", W + "moveToRangeStart",
                                 W + "moveToRangeEnd")):
            el.getparent().remove(el)
