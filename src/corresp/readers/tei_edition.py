"""TEI → the edition model: the TEI corresp writes, read back as a source of its own.

`edition_from_tei(data)` undoes `corresp.exporters.tei`: the header gives the title,
subtitle, editors, language, each chapter's source file and each document's correspondents,
date and requisites; the text gives the chapters and letters, every part where the writer
put it, notes at their markers (the model's numbers come from the notes' xml:ids, never from
the labels, which depend on the numbering scheme).

What the TEI does not carry, because it describes the plain-text source rather than the
edition, comes back empty: source line numbers, the debris the parser set aside, the number
a note had in the source (`printed_number`). Everything else round-trips (tests/test_tei.py).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Optional, Union

from lxml import etree

from ..errors import InputError
from ..model import (ArchiveRef, Chapter, Dispatch, DocDate, Document, Edition, Enclosure, Footnote, NoteRef,
                      Paragraph, Person, SecretaryAnnotation, Text)
from ..tei_xml import CONTROL_TYPE, XML_ID, XML_LANG, letter_id, tei, text_of

_NOTE_NUMBER = re.compile(r"-note-(\d+)$")
_ISO = ("when", "notBefore", "from", "notAfter", "to")


def _t(tag: str) -> str:
    return tei(tag)


# Elements whose text the reader takes as running text (what corresp's TEI writer puts there).
_INLINE = frozenset(tei(t) for t in ("persName", "choice", "orig", "reg", "ref", "seg", "hi", "lb", "label",
                                    "quote", "p", "addrLine", "name", "rs", "foreign", "title", "locus", "idno"))


class _Inline:
    """Reads mixed content (text, footnotes, marked fields, control characters) into inline runs."""

    def __init__(self) -> None:
        self.notes: list[Footnote] = []
        self.fields: dict[str, str] = {}

    def content(self, el: etree._Element) -> list[Union[Text, NoteRef]]:
        runs: list[Union[Text, NoteRef]] = []
        self._walk(el, runs)
        return runs

    def _add(self, runs: list, text: Optional[str]) -> None:
        if not text:
            return
        if runs and isinstance(runs[-1], Text):
            runs[-1] = Text(text=runs[-1].text + text)
        else:
            runs.append(Text(text=text))

    def _walk(self, el: etree._Element, runs: list) -> None:
        self._add(runs, el.text)
        for child in el:
            if not isinstance(child.tag, str):  # a comment or processing instruction: not text
                self._add(runs, child.tail)
                continue
            if child.tag == _t("note") and child.get("place") == "foot":
                runs.append(NoteRef(number=self._note(child)))
            elif child.tag == _t("c") and child.get("type") == CONTROL_TYPE:
                self._add(runs, _control(child))
            elif child.tag in (_t("placeName"), _t("date"), _t("time"), _t("num")):
                value = text_of(child)
                self.fields.setdefault(etree.QName(child).localname, value)
                self._add(runs, value)
            elif child.tag in _INLINE:
                self._walk(child, runs)
            else:  # an element corresp never writes here: its meaning would be lost silently
                raise InputError(f"<{etree.QName(child).localname}> (line {child.sourceline}) is not an element "
                                 "corresp writes in running text; its markup would be lost", None, child.sourceline)
            self._add(runs, child.tail)

    def _note(self, el: etree._Element) -> int:
        m = _NOTE_NUMBER.search(el.get(XML_ID) or "")
        if not m:
            raise InputError(f"a footnote without its number in its xml:id ({el.get(XML_ID)!r})")
        number = int(m.group(1))
        paragraphs = el.findall(_t("p"))
        text = "\n".join(text_of(p) for p in paragraphs) if paragraphs else text_of(el)
        kind = el.get("type") or ""
        marker = kind[:-len("-marker")] if kind.endswith("-marker") else "explicit"
        self.notes.append(Footnote(number=number, text=text, marker=marker))
        return number


def _control(c: etree._Element) -> str:
    """The character a `<c type="control" n="U+0007">` stands for."""
    return chr(int(c.get("n")[2:], 16))


def _paragraph(el: etree._Element, reader: _Inline) -> Paragraph:
    return Paragraph(content=reader.content(el))


def _person(el: etree._Element) -> Person:
    reg, orig = el.find(f"{_t('choice')}/{_t('reg')}"), el.find(f"{_t('choice')}/{_t('orig')}")
    name, nominative = (text_of(orig), text_of(reg)) if reg is not None and orig is not None else (text_of(el),) * 2
    if "nominative" in Person.model_fields:
        return Person(name=name, nominative=nominative)
    return Person(name=name)


def _date(el: Optional[etree._Element]) -> Optional[DocDate]:
    if el is None:
        return None
    iso = next((el.get(a) for a in _ISO if el.get(a)), None)
    qualifier = el.get("type")
    return DocDate(text=text_of(el), iso=iso, supplied=el.get("evidence") == "conjecture",
                   qualifier=qualifier.replace("-", " ") if qualifier else None)


def _header(desc: Optional[etree._Element]) -> dict:
    fields: dict = {"senders": [], "recipients": [], "date": None, "requisites": {}}
    if desc is None:
        return fields
    for action in desc.iterfind(_t("correspAction")):
        people = [_person(p) for p in action.iterfind(_t("persName"))]
        if action.get("type") == "sent":
            fields["senders"] = people
            fields["date"] = _date(action.find(_t("date")))
        elif action.get("type") == "received":
            fields["recipients"] = people
    gloss = desc.find(f"{_t('note')}[@type='requisites']/{_t('list')}")
    if gloss is not None:
        labels, items = gloss.findall(_t("label")), gloss.findall(_t("item"))
        fields["requisites"] = {text_of(k): text_of(v) for k, v in zip(labels, items)}
    return fields


def _archive(note: Optional[etree._Element]) -> tuple[list[ArchiveRef], Optional[str]]:
    if note is None:
        return [], None
    refs = []
    for ms in note.iterfind(_t("msDesc")):
        ident = ms.find(_t("msIdentifier"))
        idnos = {i.get("type"): text_of(i) for i in ident.iterfind(_t("idno"))}
        repository = ident.find(_t("repository"))
        locus = ms.find(f"{_t('msContents')}/{_t('msItem')}/{_t('locus')}")
        form = ms.find(f"{_t('physDesc')}/{_t('p')}")
        refs.append(ArchiveRef(text=text_of(ms.find(_t("head"))),
                               repository=text_of(repository) if repository is not None else None,
                               fond=idnos.get("fond"), opis=idnos.get("opis"), delo=idnos.get("delo"),
                               folios=text_of(locus) if locus is not None else None,
                               form=text_of(form) if form is not None else None))
    printed = note.find(f"{_t('bibl')}[@type='printed']")
    if printed is not None:
        return refs, text_of(printed)
    if refs:
        return refs, "; ".join(r.text for r in refs)
    return [], text_of(note)


def _blocks(elements, reader: _Inline) -> list:
    blocks = []
    for el in elements:
        if el.tag == _t("quote"):
            blocks.append(Enclosure(paragraphs=[_paragraph(p, reader) for p in el.iterfind(_t("p"))]))
        elif el.tag == _t("p"):
            blocks.append(_paragraph(el, reader))
    return blocks


def _document(div: etree._Element, desc: Optional[etree._Element]) -> Document:
    reader = _Inline()
    parts: dict = {"transmission": [], "dispatch": [], "address": [], "dateline": None, "salutation": None,
                   "signature": None, "postscript": [], "secretary": []}
    opener = div.find(_t("opener"))
    if opener is not None:
        for el in opener:
            if el.tag == _t("seg") and el.get("type") == "transmission":
                parts["transmission"].append(_paragraph(el, reader))
            elif el.tag == _t("seg") and el.get("type") == "dispatch":
                reader.fields = {}
                content = reader.content(el)
                f = reader.fields
                parts["dispatch"].append(Dispatch(content=content, kind=el.get("subtype") or "from",
                                                  place=f.get("placeName"), date=f.get("date"),
                                                  time=f.get("time"), number=f.get("num")))
            elif el.tag == _t("address"):
                parts["address"] = [_paragraph(a, reader) for a in el.iterfind(_t("addrLine"))]
            elif el.tag == _t("dateline"):
                parts["dateline"] = _paragraph(el, reader)
            elif el.tag == _t("salute"):
                parts["salutation"] = _paragraph(el, reader)
    body = [el for el in div if el.tag in (_t("p"), _t("quote"))]
    closer = div.find(f"{_t('closer')}/{_t('signed')}")
    if closer is not None:
        parts["signature"] = _paragraph(closer, reader)
    postscript = div.find(_t("postscript"))
    if postscript is not None:
        parts["postscript"] = _blocks(postscript, reader)
    for el in div.iterfind(f"{_t('note')}[@type='secretary']"):
        reader.fields = {}
        content = reader.content(el)
        f = reader.fields
        parts["secretary"].append(SecretaryAnnotation(content=content, number=f.get("num"), time=f.get("time"),
                                                      date=f.get("date")))
    reader_body = _blocks(body, reader)
    archive, archive_text = _archive(div.find(f"{_t('note')}[@type='archive']"))
    head = div.find(_t("head"))
    notes = sorted(reader.notes, key=lambda n: n.number)
    return Document(id=letter_id(div), heading=text_of(head) if head is not None else "",
                    archive=archive, archive_text=archive_text, body=reader_body, footnotes=notes,
                    **_header(desc), **parts)


def edition_from_tei(source: Union[bytes, Path], name: Optional[str] = None) -> Edition:
    """The edition a TEI file written by corresp holds. Anything else is an InputError
    naming the file (exit code 2), never a traceback."""
    name = name or (None if isinstance(source, bytes) else str(source))
    from corresp.files import read_regular
    data = source if isinstance(source, bytes) else read_regular(source, "tei", InputError, name)
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    except etree.XMLSyntaxError as exc:
        raise InputError(f"not well-formed XML: {exc}", name) from None
    if root.tag != _t("TEI"):
        raise InputError("not a TEI document (no TEI root element in the TEI namespace)", name)
    try:
        return _edition(root)
    except InputError as exc:
        raise InputError(exc.message, name, exc.line) from None
    except RecursionError:
        raise InputError("not a TEI edition corresp can read: elements nested too deeply", name) from None
    except (AttributeError, TypeError, ValueError) as exc:  # pydantic's ValidationError is a ValueError
        raise InputError(f"not a TEI edition corresp can read: {type(exc).__name__}: {exc}", name) from None


def _edition(root: etree._Element) -> Edition:
    header = root.find(_t("teiHeader"))
    titles = header.find(f"{_t('fileDesc')}/{_t('titleStmt')}")
    main = titles.find(f"{_t('title')}[@type='main']")
    sub_title = titles.find(f"{_t('title')}[@type='sub']")
    editors = [text_of(e) for e in titles.iterfind(_t("editor"))]
    sources = [b.find(f"{_t('idno')}[@type='file']") for b in
               header.iterfind(f"{_t('fileDesc')}/{_t('sourceDesc')}/{_t('listBibl')}/{_t('bibl')}")]
    descs = {(d.get("ref") or "").lstrip("#"): d
             for d in header.iterfind(f"{_t('profileDesc')}/{_t('correspDesc')}")}
    chapters = []
    for ci, div in enumerate(root.iterfind(f"{_t('text')}/{_t('body')}/{_t('div')}[@type='chapter']")):
        reader = _Inline()
        intro = [_paragraph(p, reader) for p in div.iterfind(_t("p"))]
        documents = [_document(d, descs.get(d.get(XML_ID) or ""))
                     for d in div.iterfind(f"{_t('div')}[@type='letter']")]
        source = sources[ci] if ci < len(sources) else None
        chapters.append(Chapter(title=text_of(div.find(_t("head"))), source=text_of(source) if source is not None
                                else None, intro=intro, notes=sorted(reader.notes, key=lambda n: n.number),
                                documents=documents))
    return Edition(title=text_of(main) if main is not None else "", editors=editors,
                   subtitle=text_of(sub_title) if sub_title is not None else None,
                   language=root.get(XML_LANG) or "en", chapters=chapters)
