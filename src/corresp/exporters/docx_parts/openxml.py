"""WordprocessingML as pandoc 3's docx writer writes it (Writers/Docx/OpenXML.hs, Table.hs),
for the few AST nodes of the DOCX edition that docx_parts.splice writes itself: Str, Space,
LineBreak, Emph, Strong, an internal Link and raw openxml inlines, in styled paragraphs and
table rows. Runs with `xml:space="preserve"`, adjacent Str merged (`convertSpace`), w:lang in
the text runs inside a Div's lang, long or non-letter bookmark names hashed (`toBookmarkName`),
no paragraph for an empty Para, an empty `<w:p/>` in a cell without one, a cell's paragraph
aligned by its column. Anything else, and texts pandoc treats specially, raise Unsupported:
pandoc writes those itself.
"""
from __future__ import annotations

import hashlib
import re
from typing import Any, Optional

Json = Any

# Characters pandoc's writer changes or splits on: controls other than tab (stripped), \r
# (the XML parser would read it back as \n), soft hyphens (w:softHyphen runs) and everything
# from U+4E00 up (isCJK: eastAsia font hints and chunked runs; also U+FFFE/FFFF, stripped).
_PANDOC_SPECIAL = re.compile("[\x00-\x08\x0a-\x1f\r\xad\u4e00-\U0010ffff]")
_LINE_BREAK = "<w:r><w:br/></w:r>"


class Unsupported(Exception):
    """An AST node this writer does not write as pandoc would: pandoc writes the block."""


def bookmark_name(ident: str) -> str:
    """pandoc's toBookmarkName: Word wants at most 40 characters starting with a letter;
    any other identifier becomes "X" and the SHA-1 of it less its first hex digit."""
    if ident and ident[0].isalpha() and len(ident) <= 40:
        return ident
    return "X" + hashlib.sha1(ident.encode("utf-8")).hexdigest()[1:]


_TEXT_WORK = re.compile(_PANDOC_SPECIAL.pattern[:-1] + "&<>]")  # a special character or one to escape


def _text(s: str) -> str:
    if _TEXT_WORK.search(s) is None:  # most texts: one search
        return s
    if _PANDOC_SPECIAL.search(s):
        raise Unsupported(s)
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(s: str) -> str:
    return _text(s).replace('"', "&quot;")


def _merged(inlines: list[Json]) -> list[Json]:
    """pandoc's convertSpace: Str Space Str and Str Str become one Str."""
    out: list[Json] = []
    i, n = 0, len(inlines)
    while i < n:
        node = inlines[i]
        i += 1
        if node["t"] != "Str":
            out.append(node)
            continue
        text = node["c"]
        while i < n:
            t = inlines[i]["t"]
            if t == "Str":
                text += inlines[i]["c"]
                i += 1
            elif t == "Space" and i + 1 < n and inlines[i + 1]["t"] == "Str":
                text += " " + inlines[i + 1]["c"]
                i += 2
            else:
                break
        out.append({"t": "Str", "c": text})
    return out


def runs(inlines: list[Json], props: str = "") -> str:
    """The runs pandoc writes for `inlines` with the run properties `props` (already sorted)."""
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    if len(inlines) == 1 and inlines[0]["t"] == "Str":  # most paragraphs and cells
        text = inlines[0]["c"]
        return f'<w:r>{rpr}<w:t xml:space="preserve">{_text(text)}</w:t></w:r>' if text else ""
    out = []
    for node in _merged(inlines):
        t = node["t"]
        if t == "Str" or t == "Space":
            text = node["c"] if t == "Str" else " "
            if text:
                out.append(f'<w:r>{rpr}<w:t xml:space="preserve">{_text(text)}</w:t></w:r>')
        elif t == "LineBreak":
            out.append(_LINE_BREAK)  # never with properties (pandoc's `br`)
        elif t == "RawInline" and node["c"][0] == "openxml":
            out.append(node["c"][1])
        elif props:  # formatting nested in formatting: pandoc's ordering of the properties is not copied here
            raise Unsupported(t)
        elif t == "Emph":
            out.append(runs(node["c"], "<w:i/><w:iCs/>"))
        elif t == "Strong":
            out.append(runs(node["c"], "<w:b/><w:bCs/>"))
        elif t == "Link" and node["c"][2][0].startswith("#"):
            anchor = bookmark_name(node["c"][2][0][1:])
            inner = runs(node["c"][1], '<w:rStyle w:val="Hyperlink"/>')
            out.append(f'<w:hyperlink w:anchor="{_attr(anchor)}">{inner}</w:hyperlink>')
        else:
            raise Unsupported(t)
    return "".join(out)


def styled_paragraphs(blocks: list[Json], jc: str = "") -> list[str]:
    """Divs with a custom-style around one Para each (pandoc_ast.div), as pandoc writes
    them: "" for an empty Para (pandoc writes no paragraph for it)."""
    out = []
    for block in blocks:
        if block["t"] != "Div":
            raise Unsupported(block["t"])
        (ident, classes, attrs), inner = block["c"]
        if ident or classes or len(attrs) != 1 or attrs[0][0] != "custom-style" or len(inner) != 1 \
                or inner[0]["t"] != "Para":
            raise Unsupported("div")
        inlines = inner[0]["c"]
        out.append(f'<w:p><w:pPr><w:pStyle w:val="{_attr(attrs[0][1].replace(" ", ""))}"/>{jc}</w:pPr>'
                   f'{runs(inlines)}</w:p>' if inlines else "")
    return out


def paragraph(style: str, inlines: list[Json], lang: Optional[str] = None) -> str:
    """A paragraph in the named style, its runs in `lang` (a Div's lang: pandoc puts w:lang
    in every text run's properties). Unsupported for an empty one (pandoc writes none)."""
    if not inlines:
        raise Unsupported("empty paragraph")
    props = f'<w:lang w:val="{_attr(lang)}"/>' if lang else ""
    return f'<w:p><w:pPr><w:pStyle w:val="{_attr(style.replace(" ", ""))}"/></w:pPr>{runs(inlines, props)}</w:p>'


def table_rows(rows: list[Json], colspecs: list[Json]) -> list[str]:
    """Body rows of a table whose cells hold styled paragraphs (pandoc_ast._row)."""
    jcs = []
    for align, _ in colspecs:
        a = align["t"]
        jcs.append("" if a == "AlignDefault" else f'<w:jc w:val="{a[5:].lower()}"/>')
    out = []
    for (row_attr, cells) in rows:
        if row_attr != ["", [], []] or len(cells) != len(jcs):
            raise Unsupported("row")
        xml = ["<w:tr>"]
        for cell, jc in zip(cells, jcs):
            attr, align, rowspan, colspan, blocks = cell
            if attr != ["", [], []] or align["t"] != "AlignDefault" or rowspan != 1 or colspan != 1 or not blocks:
                raise Unsupported("cell")
            # A cell without a paragraph gets an empty one (Word requires one).
            xml.append(f"<w:tc><w:tcPr/>{''.join(styled_paragraphs(blocks, jc)) or '<w:p/>'}</w:tc>")
        xml.append("</w:tr>")
        out.append("".join(xml))
    return out
