#!/usr/bin/env python3
"""Make src/corresp/styles/reference.docx, the DOCX edition's default style sheet, from pandoc's.

    python tools/make_reference_docx.py [OUTPUT]     (default: src/corresp/styles/reference.docx)

It asks the bundled pandoc for its default reference document (the equivalent of
`pandoc -o custom-reference.docx --print-default-data-file reference.docx`), then, with lxml:
- sets a serif face with Cyrillic (Times New Roman; LibreOffice substitutes the metric-equal
  Liberation Serif) and black, unthemed headings: a typesetter gets plain, named formatting;
- defines one named paragraph style per part of a document (the names in
  corresp.exporters.docx_parts.styles), with "Document Heading" based on "heading 2" so that
  Word's navigation pane lists documents under their chapters (heading 1);
- sets an A4 page whose footnote numbering restarts with each section (the exporter opens a
  section per document when notes are numbered per document);
- adds a sample paragraph for each style to the body, so opening the file in Word shows them.

To restyle the edition, edit the styles in Word (Styles pane -> Modify) and save the file in
a style folder (or over src/corresp/styles/reference.docx, the default), or change the
STYLES table below and run this again. Keep the names.
"""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from corresp.exporters.docx_parts.styles import (  # noqa: E402
    ARCHIVE_LINE, CALENDAR_ENTRY, CHAPTER_INTRO, DOCUMENT_HEADING, INDEX_ENTRY, NAMED_STYLES, ROLE_STYLES,
    style_id)
from corresp.word_styles import (  # noqa: E402
    CALENDAR_TABLE_HEAD, CONTENTS_LEVELS, COPYRIGHT, CREDIT_CAPTION, IMPRINT, NOTE_DOCUMENT_LABEL, SERIES)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
FONT = "Times New Roman"

# Children of w:pPr and w:rPr must come in the schema's order or Word refuses the file.
PPR_ORDER = ("keepNext", "keepLines", "pageBreakBefore", "widowControl", "tabs", "spacing", "ind",
             "contextualSpacing", "jc", "outlineLvl")
RPR_ORDER = ("rFonts", "b", "bCs", "i", "iCs", "smallCaps", "color", "sz", "szCs", "vertAlign")

# name -> (basedOn, next, paragraph properties, run properties). Sizes in half-points,
# spacing and indents in twentieths of a point (567 = 1 cm).
STYLES: dict[str, tuple[str | None, str | None, dict, dict]] = {
    "Normal": (None, None, {"widowControl": {}}, {}),
    "Body Text": ("Normal", None, {"spacing": {"before": "0", "after": "0", "line": "276", "lineRule": "auto"},
                                   "ind": {"firstLine": "340"}, "jc": {"val": "both"}}, {}),
    "First Paragraph": ("Body Text", "Body Text", {}, {}),
    "Title": ("Normal", "Subtitle", {"spacing": {"before": "2400", "after": "240"}, "jc": {"val": "center"}},
              {"b": {}, "bCs": {}, "sz": {"val": "40"}, "szCs": {"val": "40"}}),
    "Subtitle": ("Title", "Author", {"spacing": {"before": "0", "after": "240"}},
                 {"b": {"val": "0"}, "bCs": {"val": "0"}, "sz": {"val": "28"}, "szCs": {"val": "28"}}),
    "Author": ("Normal", None, {"spacing": {"after": "120"}, "jc": {"val": "center"}}, {}),
    "heading 1": ("Normal", CHAPTER_INTRO, {"keepNext": {}, "keepLines": {}, "pageBreakBefore": {},
                                            "spacing": {"before": "0", "after": "480"}, "jc": {"val": "center"},
                                            "outlineLvl": {"val": "0"}},
                  {"b": {}, "bCs": {}, "sz": {"val": "32"}, "szCs": {"val": "32"}}),
    "heading 2": ("Normal", "Body Text", {"keepNext": {}, "keepLines": {},
                                          "spacing": {"before": "480", "after": "120"}, "outlineLvl": {"val": "1"}},
                  {"b": {}, "bCs": {}, "sz": {"val": "26"}, "szCs": {"val": "26"}}),
    # The PDF's house style: the document heading centred, the archive line small, upright,
    # centred under it.
    DOCUMENT_HEADING: ("heading 2", ARCHIVE_LINE, {"jc": {"val": "center"}}, {}),
    ARCHIVE_LINE: ("Normal", "Body Text", {"keepNext": {}, "spacing": {"after": "160"}, "jc": {"val": "center"}},
                   # 10 pt: at 9 pt LibreOffice 7 lays the seed's long notes out over near-empty
                   # pages (tests/test_docx_press.py checks every page is full)
                   {"sz": {"val": "20"}, "szCs": {"val": "20"}}),
    CHAPTER_INTRO: ("Body Text", None, {"spacing": {"after": "60"}}, {}),
    # One house style with the PDF and the EPUB: header lines small and italic, the dateline
    # at the right, the signature italic at the right.
    ROLE_STYLES["transmission"]: ("Normal", None, {"keepNext": {}, "spacing": {"after": "0"}},
                                  {"i": {}, "iCs": {}, "sz": {"val": "20"}, "szCs": {"val": "20"}}),
    ROLE_STYLES["dispatch"]: ("Normal", None, {"keepNext": {}, "spacing": {"after": "0"}},
                              {"i": {}, "iCs": {}, "sz": {"val": "20"}, "szCs": {"val": "20"}}),
    ROLE_STYLES["address"]: ("Normal", None, {"keepNext": {}, "spacing": {"before": "60", "after": "120"}},
                             {"i": {}, "iCs": {}}),
    ROLE_STYLES["dateline"]: ("Normal", None, {"keepNext": {}, "spacing": {"after": "120"}, "jc": {"val": "right"}},
                              {}),
    ROLE_STYLES["salutation"]: ("Body Text", None, {"keepNext": {}, "spacing": {"before": "60", "after": "60"}}, {}),
    ROLE_STYLES["enclosure"]: ("Body Text", None, {"spacing": {"before": "60", "after": "60"},
                                                   "ind": {"left": "567", "right": "567"}},
                               {"sz": {"val": "22"}, "szCs": {"val": "22"}}),
    ROLE_STYLES["postscript-enclosure"]: (ROLE_STYLES["enclosure"], None, {}, {}),
    ROLE_STYLES["signature"]: ("Normal", None, {"spacing": {"before": "120", "after": "120"}, "jc": {"val": "right"}},
                               {"i": {}, "iCs": {}}),
    ROLE_STYLES["postscript"]: ("Body Text", None, {"spacing": {"before": "120"}}, {}),
    ROLE_STYLES["secretary"]: ("Normal", None, {"spacing": {"after": "0"}},
                               {"i": {}, "iCs": {}, "sz": {"val": "20"}, "szCs": {"val": "20"}}),
    "Footnote Text": ("Normal", "Footnote Text", {"spacing": {"after": "60"}, "jc": {"val": "both"}},
                      {"sz": {"val": "20"}, "szCs": {"val": "20"}}),
    # The index in two columns of smaller type (the exporter's two-column section).
    INDEX_ENTRY: ("Normal", None, {"spacing": {"after": "40"}, "ind": {"left": "283", "hanging": "283"}},
                  {"sz": {"val": "20"}, "szCs": {"val": "20"}}),
    # The front matter: the title page, the copyright page (docx_parts.front_matter).
    SERIES: ("Normal", "Title", {"spacing": {"before": "1200", "after": "0"}, "jc": {"val": "center"}},
             {"i": {}, "iCs": {}, "sz": {"val": "24"}, "szCs": {"val": "24"}}),
    CREDIT_CAPTION: ("Normal", "Author", {"spacing": {"before": "720", "after": "60"}, "jc": {"val": "center"}},
                     {"i": {}, "iCs": {}}),
    IMPRINT: ("Normal", None, {"jc": {"val": "center"}}, {}),
    COPYRIGHT: ("Normal", None, {"spacing": {"after": "80"}}, {"sz": {"val": "20"}, "szCs": {"val": "20"}}),
    # The contents: chapters, then their documents indented, the page at the right after dots.
    "toc 1": ("Normal", None, {"tabs": {"pos": "9638"}, "spacing": {"before": "120", "after": "40"}}, {"b": {}, "bCs": {}}),
    "toc 2": ("Normal", None, {"tabs": {"pos": "9638"}, "spacing": {"after": "20"},
                               "ind": {"left": "340", "right": "567"}}, {"sz": {"val": "22"}, "szCs": {"val": "22"}}),
    CALENDAR_TABLE_HEAD: ("Normal", None, {"keepNext": {}}, {"b": {}, "bCs": {}, "sz": {"val": "18"}, "szCs": {"val": "18"}}),
    # The TOC field's title: not based on heading 1, so it is no chapter to Word's navigation
    # pane (nor to corresp verify); a contents page of its own, like the PDF's.
    "TOC Heading": ("Normal", "Body Text", {"keepNext": {}, "pageBreakBefore": {},
                                            "spacing": {"before": "0", "after": "480"}, "jc": {"val": "center"}},
                    {"b": {}, "bCs": {}, "sz": {"val": "32"}, "szCs": {"val": "32"}}),
    CALENDAR_ENTRY: ("Normal", None, {"spacing": {"after": "0"}}, {"sz": {"val": "18"}, "szCs": {"val": "18"}}),
}

SAMPLES = {
    DOCUMENT_HEADING: "Kaganovich, Yezhov - Stalin August 14, 1935",
    ARCHIVE_LINE: "RGASPI F. 558. Op. 11. D. 88. L. 9. Original. Typescript.",
    CHAPTER_INTRO: "Stalin's vacation in 1935 was again long.",
    ROLE_STYLES["transmission"]: "Encryption.",
    ROLE_STYLES["dispatch"]: "From Moscow 14/VIII - 35 at 22 o'clock. 57 min. In. No. 2.",
    ROLE_STYLES["address"]: "Sochi. Tov. Stalin.",
    ROLE_STYLES["dateline"]: "16/VIII",
    ROLE_STYLES["salutation"]: "Hello, Dear Comrade Stalin!",
    ROLE_STYLES["body"]: "We talked to Pyatnitsky and Knorin. Здравствуйте, товарищ Сталин!",
    ROLE_STYLES["enclosure"]: "“Forbid the Zakkraykom to reprint without his sanction.”",
    ROLE_STYLES["signature"]: "Kaganovich, Yezhov.",
    ROLE_STYLES["postscript"]: "P.S. Greetings to our hostess Svetlana!",
    ROLE_STYLES["postscript-enclosure"]: "A quoted decision after the postscript.",
    ROLE_STYLES["secretary"]: "17/VIII - 35",
    INDEX_ENTRY: "Kaganovich August 14, 1935, August 15, 1935",
    CALENDAR_ENTRY: "1. August 14, 1935. Kaganovich, Yezhov → Stalin. RGASPI F. 558. Op. 11. D. 88. L. 9.",
}

# Names Word itself knows (latent built-in styles): defining them as custom styles would make
# Word rename ours, so they are written as built-ins.
WORD_BUILT_INS = frozenset({"Signature", "Salutation", *CONTENTS_LEVELS})
# Character styles: name -> run properties.
CHARACTER_STYLES = {NOTE_DOCUMENT_LABEL: {"b": {}, "bCs": {}}}

A4 = {"w": "11906", "h": "16838"}
MARGINS = {"top": "1418", "right": "1134", "bottom": "1418", "left": "1134",
           "header": "709", "footer": "709", "gutter": "0"}


def pandoc_default_reference() -> bytes:
    import pypandoc
    run = subprocess.run([pypandoc.get_pandoc_path(), "--print-default-data-file", "reference.docx"],
                         capture_output=True, check=True)
    return run.stdout


def w(tag: str, parent=None, **attrs):
    el = etree.Element(W + tag) if parent is None else etree.SubElement(parent, W + tag)
    for k, v in attrs.items():
        el.set(W + k, v)
    return el


def _props(tag: str, order: tuple[str, ...], spec: dict):
    props = w(tag)
    for name in order:
        if name in spec:
            w(name, props, **spec[name])
    return props


def restyle(styles: etree._Element) -> None:
    defaults = styles.find(f"{W}docDefaults")
    rpr = defaults.find(f"{W}rPrDefault/{W}rPr")
    fonts = rpr.find(f"{W}rFonts")
    for k in list(fonts.attrib):
        del fonts.attrib[k]
    for k in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(W + k, FONT)
    ppr = defaults.find(f"{W}pPrDefault/{W}pPr")
    ppr.clear()
    w("spacing", ppr, after="0")

    by_name = {s.find(f"{W}name").get(W + "val"): s for s in styles.iter(f"{W}style")}
    ids = {name: s.get(W + "styleId") for name, s in by_name.items()}
    for name in STYLES:
        ids.setdefault(name, CONTENTS_LEVELS.get(name) or style_id(name))
    for name, (based_on, next_, ppr_spec, rpr_spec) in STYLES.items():
        style = by_name.get(name)
        if style is None:
            style = w("style", styles, type="paragraph", styleId=ids[name])
            if name not in WORD_BUILT_INS:
                style.set(W + "customStyle", "1")
            w("name", style, val=name)
            w("qFormat", style)
        # Replace what pandoc's default says about the look; keep its bookkeeping (link, priority).
        for tag in ("basedOn", "next", "semiHidden", "unhideWhenUsed", "pPr", "rPr"):
            for old in style.findall(W + tag):
                style.remove(old)
        name_el = style.find(f"{W}name")
        after = name_el
        if based_on:
            after = w("basedOn", val=ids[based_on])
            name_el.addnext(after)
        if next_:
            after.addnext(w("next", val=ids[next_]))
        if ppr_spec:
            ppr = _props("pPr", PPR_ORDER, ppr_spec)
            tabs = ppr.find(W + "tabs")
            if tabs is not None:  # a right tab with leader dots at the given position
                for k in list(tabs.attrib):
                    del tabs.attrib[k]
                w("tab", tabs, val="right", leader="dot", pos=ppr_spec["tabs"]["pos"])
            style.append(ppr)
        if rpr_spec:
            style.append(_props("rPr", RPR_ORDER, rpr_spec))
    for name, rpr_spec in CHARACTER_STYLES.items():
        if name in by_name:
            styles.remove(by_name[name])
        style = w("style", styles, type="character", styleId=style_id(name))
        style.set(W + "customStyle", "1")
        w("name", style, val=name)
        w("qFormat", style)
        style.append(_props("rPr", RPR_ORDER, rpr_spec))
    # The character styles linked to the headings and the title carry pandoc's theme colour and
    # fonts; drop their look so a heading looks the same however Word applies it.
    for s in styles.iter(f"{W}style"):
        if s.get(W + "type") == "character" and s.get(W + "styleId") in (
                "Heading1Char", "Heading2Char", "TitleChar", "SubtitleChar"):
            for old in s.findall(f"{W}rPr"):
                s.remove(old)


def set_page_and_samples(document: etree._Element) -> None:
    body = document.find(f"{W}body")
    sect = body.find(f"{W}sectPr")
    sect.clear()
    footer = w("footerReference", sect, type="default")
    footer.set(f"{{{R_NS}}}id", FOOTER_ID)
    notes = w("footnotePr", sect)
    w("numRestart", notes, val="eachSect")
    w("pgSz", sect, **A4)
    w("pgMar", sect, **MARGINS)
    for name, text in SAMPLES.items():
        p = w("p")
        w("pStyle", w("pPr", p), val=style_id(name))
        t = w("t", w("r", p))
        t.text = f"{name}: {text}"
        sect.addprevious(p)


R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
FOOTER_ID = "rIdCorrespFooter"
# The page number, centred, as a PAGE field Word and LibreOffice update themselves.
FOOTER = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:ftr xmlns:w="{W_NS}">'
          '<w:p><w:pPr><w:jc w:val="center"/></w:pPr>'
          '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
          '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
          '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:ftr>').encode()


def add_footer_part(name: str, data: bytes) -> bytes:
    """The relationship and the content type of word/footer1.xml."""
    if name == "word/_rels/document.xml.rels" and FOOTER_ID.encode() not in data:
        rel = (f'<Relationship Id="{FOOTER_ID}" Type="{R_NS}/footer" Target="footer1.xml"/>').encode()
        return data.replace(b"</Relationships>", rel + b"</Relationships>")
    if name == "[Content_Types].xml" and b"/word/footer1.xml" not in data:
        part = (b'<Override PartName="/word/footer1.xml" ContentType='
                b'"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>')
        return data.replace(b"</Types>", part + b"</Types>")
    return data


def build(source: bytes, output: Path) -> None:
    import io
    zin = zipfile.ZipFile(io.BytesIO(source))
    output.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "word/styles.xml":
                root = etree.fromstring(data)
                restyle(root)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            elif info.filename == "word/document.xml":
                root = etree.fromstring(data)
                set_page_and_samples(root)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            data = add_footer_part(info.filename, data)
            # Fixed timestamps: regenerating an unchanged style sheet gives the same bytes.
            zi = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zout.writestr(zi, data)
        zi = zipfile.ZipInfo("word/footer1.xml", date_time=(1980, 1, 1, 0, 0, 0))
        zi.compress_type = zipfile.ZIP_DEFLATED
        zi.external_attr = 0o644 << 16
        zout.writestr(zi, FOOTER)
    missing = [n for n in NAMED_STYLES if n not in STYLES]
    if missing:
        raise SystemExit(f"no definition for styles {missing}")


def main(argv: list[str]) -> int:
    output = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1] / "src" / "corresp" / "styles" / "reference.docx"
    build(pandoc_default_reference(), output)
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
