"""Checks made once, before any exporter runs, so that every format gets the same values
and no exporter meets one it cannot hold (issue 18, points 3 and 8).

- The edition's metadata: title, subtitle and editors lose the characters XML cannot hold
  (with a warning: every format but JSON is XML inside); the language must be a BCP 47
  tag; the output name and the sources' names must be UTF-8 (a file name in another
  encoding is cleaned in the model, refused as an output name).
- The style folder: each part it holds must be a regular file (not a folder or a dangling
  link); `pdf.toml` must be TOML of tables of values, every number finite and of a size a
  page can have; `epub.css` must be UTF-8 CSS that parses, with no `@import` and no `url()`
  but `data:` (an EPUB ships its CSS alone: a remote URL would make a reading system fetch
  it, a missing one is an error in epubcheck); `reference.docx` must be a small zip
  (sizes checked while reading, so a zip bomb is refused before it is inflated) holding
  well-formed XML.
"""
from __future__ import annotations

import math
import re
import zipfile
from pathlib import Path
from typing import Optional, Sequence

from .errors import ConfigError

# XML 1.0 cannot hold these at all; C1 controls and the other C0 ones are not text either.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_BREAKS = re.compile("[\t\n\r]+")

# RFC 5646's well-formed language tags (langtag, private use, the grandfathered irregulars
# are not accepted): `en`, `ru`, `de-CH`, `sr-Latn-RS`, `zh-Hant`, `en-GB-oxendict`.
_BCP47 = re.compile(r"""
    ([a-z]{2,3}(-[a-z]{3}){0,3}|[a-z]{4,8})      # language (with extended subtags)
    (-[a-z]{4})?                                 # script
    (-([a-z]{2}|[0-9]{3}))?                      # region
    (-([a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*         # variants
    (-[0-9a-wyz](-[a-z0-9]{2,8})+)*              # extensions
    (-x(-[a-z0-9]{1,8})+)?                       # private use
""", re.IGNORECASE | re.VERBOSE)


def language_tag(value: str, where: Optional[str] = None) -> str:
    if not isinstance(value, str) or not _BCP47.fullmatch(value):
        raise ConfigError(f"language {value!r} is not a BCP 47 language tag (such as en, ru, de-CH, sr-Latn)",
                          where)
    return value


def clean_text(value: str) -> tuple[str, list[str]]:
    """`value` without the characters no format can hold; tabs and line breaks become a
    space. Returns (cleaned, a description of each kind removed)."""
    removed = sorted({f"U+{ord(c):04X}" for c in _NOT_TEXT.findall(value)})
    cleaned = _BREAKS.sub(" ", _NOT_TEXT.sub("", value)).strip() if removed or _BREAKS.search(value) else value
    return cleaned, removed


def utf8_name(value: str) -> str:
    """A file name as UTF-8 text: undecodable bytes (kept by Python as lone surrogates)
    become U+FFFD."""
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def check_metadata(edition, name: str, warnings: list[str]) -> None:
    """Clean or refuse the edition's metadata, in place, the same for every format."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raise ConfigError(f"the output name {utf8_name(name)!r} is not valid UTF-8 (a source file name in "
                          "another encoding?); give --name") from None
    for field in ("title", "subtitle"):
        value = getattr(edition, field)
        if value:
            cleaned, removed = clean_text(value)
            if cleaned != value:
                _said(warnings, f"edition {field}", removed)
                setattr(edition, field, cleaned)
    if not edition.title:
        raise ConfigError("the edition's title is empty (give --title or `title` in edition.toml)")
    editors = []
    for value in edition.editors:
        cleaned, removed = clean_text(value)
        if cleaned != value:
            _said(warnings, f"editor {cleaned!r}", removed)
        if cleaned:
            editors.append(cleaned)
    edition.editors = editors
    publication = getattr(edition, "publication", None)  # the publisher's imprint, rights, ISBNs
    if publication is not None:
        for field, value in publication:
            if isinstance(value, str):
                cleaned, removed = clean_text(value)
                if cleaned != value:
                    _said(warnings, f"publication's {field}", removed)
                    setattr(publication, field, cleaned)
            elif isinstance(value, list) and all(isinstance(v, str) for v in value):
                cleaned = [clean_text(v)[0] for v in value]
                if cleaned != value:
                    _said(warnings, f"publication's {field}", sorted({r for v in value for r in clean_text(v)[1]}))
                    setattr(publication, field, [c for c in cleaned if c])
    if publication is not None:  # from edition.toml, --set, a JSON or TEI edition alike
        from .metadata import check_cover, check_publication
        edition.publication = publication = check_publication(publication, "publication")
        if publication.cover:
            check_cover(publication.cover, "publication")
    language_tag(edition.language)
    for chapter in edition.chapters:
        if chapter.source:
            fixed = utf8_name(chapter.source)
            if fixed != chapter.source:
                warnings.append(f"the source file name {fixed!r} is not UTF-8: its bytes that are not are "
                                "written as U+FFFD")
                chapter.source = fixed


def _said(warnings: list[str], what: str, removed: list[str]) -> None:
    kinds = f" ({', '.join(removed)})" if removed else ""
    warnings.append(f"the {what} held characters no format can hold{kinds} or line breaks; they were removed")


# --- the style folder ------------------------------------------------------------------

MAX_POINTS = 14400.0  # 200 inches: the largest page a PDF may have
_LENGTH = re.compile(r"\s*([-+0-9.eE]+|nan|inf|infinity)\s*(mm|cm|in|pt)?\s*", re.IGNORECASE)
_POINTS = {"mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0, "pt": 1.0, None: 1.0}


def style_part(style_dir: Optional[Path], part: str) -> Optional[Path]:
    """`style_dir/part` if the folder holds it, checked to be a regular file; None if not."""
    if style_dir is None:
        return None
    path = Path(style_dir) / part
    if path.is_symlink() and not path.exists():
        raise ConfigError(f"the style's {part} is a link to nothing (a dangling symlink)", str(path))
    if path.is_dir():
        raise ConfigError(f"the style's {part} is not a file (a folder?)", str(path))
    if path.exists() and not path.is_file():  # a FIFO, a device
        from .files import check_regular
        check_regular(path, "reference" if part.endswith(".docx") else "style", ConfigError)
    return path if path.is_file() else None


def read_toml(path: Path, kind: str = "style") -> dict:
    """A TOML file, every failure one line (a file nested thousands deep too); a regular
    file of at most the kind's size (corresp.files)."""
    from .files import load_toml
    return load_toml(path, kind, ConfigError)[1]


def _number_in_range(value: float, where: str, path: Path) -> None:
    if not math.isfinite(value):
        raise ConfigError(f"{where}: {value!r} is not a finite number", str(path))
    if abs(value) > MAX_POINTS:
        raise ConfigError(f"{where}: {value!r} is out of range (a length or size is at most "
                          f"{MAX_POINTS:.0f} pt, the largest PDF page)", str(path))


def check_pdf_toml(path: Path) -> None:
    """Tables of plain values, numbers finite and of a page's size, lengths too."""
    data = read_toml(path)
    for section, table in data.items():
        if not isinstance(table, dict):
            raise ConfigError(f"{section} must be a table ([{section}] with its settings), "
                              f"not {type(table).__name__}", str(path))
        for key, value in table.items():
            where = f"[{section}] {key}"
            if isinstance(value, (dict, list)):
                kind = "table" if isinstance(value, dict) else "list"
                raise ConfigError(f"{where} must be a single value, not a {kind}", str(path))
            if isinstance(value, float) or (isinstance(value, int) and not isinstance(value, bool)):
                _number_in_range(float(value), where, path)
            elif isinstance(value, str):
                if _NOT_TEXT.search(value):
                    raise ConfigError(f"{where} holds control characters", str(path))
                m = _LENGTH.fullmatch(value)
                if m:
                    try:
                        number = float(m.group(1))
                    except ValueError:
                        continue  # not a length after all: the PDF style says what it wants
                    _number_in_range(number * _POINTS[(m.group(2) or "").lower() or None], where, path)


TYPE_SIZES = (4.0, 72.0)  # points: a type size or leading outside them cannot be set on a book page


def _type_size(section: str, key: str, value: float, where: str) -> None:
    if (key.endswith("size") or key.endswith("leading")) and not TYPE_SIZES[0] <= value <= TYPE_SIZES[1]:
        raise ConfigError(f"[{section}] {key} = {value:g} is out of range: type sizes and leadings are "
                          f"{TYPE_SIZES[0]:g} to {TYPE_SIZES[1]:g} pt", where)


def check_pdf_style(style_dir: Optional[Path]) -> None:
    """The style's pdf.toml as above, then loaded and its faces opened as the PDF
    exporters will: any failure is a configuration error, before any file is written."""
    from .exporters import default_style_dir
    mine = style_part(style_dir, "pdf.toml")
    if mine is not None:
        check_pdf_toml(mine)
    from .exporters.pdf_parts.fonts import register_fonts
    from .exporters.pdf_parts.style import load_style
    where = str(mine or default_style_dir() / "pdf.toml")
    try:
        style = load_style(style_dir)
        for section in ("page", "text", "headings", "notes"):
            for key, value in vars(getattr(style, section)).items():
                if isinstance(value, float):
                    _number_in_range(value, f"[{section}] {key}", Path(where))
                    _type_size(section, key, value, where)
                    if section == "page" and value < 0:  # a negative margin draws text off the page
                        raise ConfigError(f"[page] {key} is negative ({value:g} pt): a page's sizes and "
                                          "margins are at least 0", where)
        register_fonts(style)
    except ConfigError:
        raise
    except RecursionError:
        raise ConfigError("the PDF style is nested too deeply", where) from None
    except Exception as exc:  # a truncated face, a value of the wrong type
        raise ConfigError(f"cannot use the PDF style: {type(exc).__name__}: {exc}", where) from None


def _tokens(nodes):
    """Every node of a tinycss2 tree, depth first (iteratively: a CSS nested thousands deep)."""
    stack = list(reversed(list(nodes or [])))
    while stack:
        node = stack.pop()
        yield node
        for attr in ("prelude", "content", "arguments"):
            kids = getattr(node, attr, None)
            if isinstance(kids, list):
                stack.extend(reversed(kids))


def check_css(path: Path) -> None:
    """UTF-8 CSS that parses, self-contained: no @import, no url() but data: URIs."""
    import tinycss2
    from .files import read_regular
    raw = read_regular(path, "style", ConfigError)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not UTF-8 text (byte {exc.start}): an EPUB's CSS must be", str(path)) from None
    bad = _NOT_TEXT.search(text)
    if bad:
        raise ConfigError(f"holds a control character (U+{ord(bad.group()):04X}): not CSS", str(path))
    if re.search(r"</?\s*(style|script)\b", text, re.IGNORECASE):
        raise ConfigError("holds HTML (<style>, <script>): not CSS", str(path))
    rules = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
    for node in _tokens(rules):
        kind = getattr(node, "type", "")
        if kind == "error":
            line = getattr(node, "source_line", None)
            raise ConfigError(f"not valid CSS: {node.message}", str(path), line)
        if kind == "at-rule" and node.lower_at_keyword == "import":
            raise ConfigError("@import is not allowed: an EPUB's stylesheet must be self-contained "
                              "(a reading system would fetch it)", str(path), node.source_line)
        urls = []
        if kind == "url":
            urls = [node.value]
        elif kind == "function" and node.lower_name in _URL_FUNCTIONS:
            # url("…"), src("…"), image-set("…" 1x, "…" 2x), cross-fade("…", …): every string is a URL
            urls = [a.value for a in node.arguments if getattr(a, "type", "") == "string"] or \
                ([""] if node.lower_name in ("url", "src") else [])
        for url in urls:
            if url.strip().lower().startswith("data:"):
                continue
            remote = re.match(r"\s*([a-z][a-z0-9+.-]*:|//)", url, re.IGNORECASE)
            what = "a remote resource (a reading system would fetch it)" if remote else \
                "a resource the EPUB does not hold (only epub.css is shipped)"
            raise ConfigError(f"url({url[:60]!r}) is {what}; use a data: URI or remove it", str(path),
                              node.source_line)


# CSS functions whose string arguments are URLs (a reading system would fetch them).
_URL_FUNCTIONS = frozenset({"url", "src", "image-set", "-webkit-image-set", "-moz-image-set", "-o-image-set",
                            "cross-fade", "-webkit-cross-fade", "image"})


MAX_DOCX_MEMBERS = 2000
MAX_DOCX_BYTES = 64 * 1024 * 1024  # inflated: a reference.docx is styles, a few hundred KB


def check_reference_docx(path: Path) -> None:
    """A zip of well-formed XML parts, inflated under a cap as it is read: the sizes its
    directory claims are checked first, then the bytes themselves (which may lie)."""
    from lxml import etree
    from .files import check_regular, read_member
    check_regular(path, "reference", ConfigError)
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            if len(infos) > MAX_DOCX_MEMBERS:
                raise ConfigError(f"holds {len(infos)} parts: not a reference.docx", str(path))
            if sum(i.file_size for i in infos) > MAX_DOCX_BYTES:
                raise ConfigError(f"would inflate to more than {MAX_DOCX_BYTES >> 20} MB (a zip bomb?)", str(path))
            names = {i.filename for i in infos}
            for part in ("word/document.xml", "word/styles.xml"):
                if part not in names:
                    raise ConfigError(f"lacks {part}: not a Word document", str(path))
            parser = etree.XMLParser(resolve_entities=False, no_network=True)
            for info in infos:
                # Each part no larger than its directory entry says (read_member), and their
                # sizes together checked above: the whole file stays under MAX_DOCX_BYTES.
                data = read_member(z, info.filename, ConfigError, str(path), most=MAX_DOCX_BYTES)
                if info.filename.endswith((".xml", ".rels")):
                    try:
                        root = etree.fromstring(data, parser)
                    except etree.XMLSyntaxError as exc:
                        raise ConfigError(f"{info.filename} is not well-formed XML: {exc}", str(path)) from None
                    _no_remote_parts(root, info.filename, path)
    except zipfile.BadZipFile as exc:
        raise ConfigError(f"not a Word document (.docx is a zip): {exc}", str(path)) from None
    except (OSError, EOFError, zipfile.LargeZipFile, NotImplementedError, RuntimeError) as exc:
        raise ConfigError(f"cannot read it: {type(exc).__name__}: {exc}", str(path)) from None


# Field instructions that make Word fetch or embed another file (every DOCX would carry them).
_REMOTE_FIELDS = re.compile(r"\b(INCLUDEPICTURE|INCLUDETEXT|LINK|DDE|DDEAUTO|IMPORT)\b", re.IGNORECASE)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _no_remote_parts(root, part: str, path: Path) -> None:
    """A reference.docx is copied into every DOCX: no relationship to anything outside the
    package (an attached template on a server, a linked image) and no field that fetches a
    file (INCLUDEPICTURE "http://…" in a footer)."""
    if part.endswith(".rels"):
        for rel in root:
            if (rel.get("TargetMode") or "").lower() == "external" and not rel.get("Type", "").endswith("/hyperlink"):
                # (a hyperlink is followed only when clicked; a template, image or frame is fetched)
                raise ConfigError(f"{part}: a relationship to {rel.get('Target', '')[:80]!r} outside the document "
                                  f"({rel.get('Type', '').rsplit('/', 1)[-1]}); a reference.docx must be self-contained",
                                  str(path))
        return
    for el in root.iter(f"{_W}instrText", f"{_W}fldSimple", f"{_W}attachedTemplate"):
        if el.tag == f"{_W}attachedTemplate":
            raise ConfigError(f"{part}: an attached template; a reference.docx must be self-contained", str(path))
        instr = el.text if el.tag == f"{_W}instrText" else el.get(f"{_W}instr")
        if instr and _REMOTE_FIELDS.search(instr):
            raise ConfigError(f"{part}: a field that fetches a file ({instr.strip()[:60]!r}); a reference.docx "
                              "must be self-contained", str(path))


def check_style(style_dir: Optional[Path], formats: Sequence[str]) -> None:
    """Every part of the style the formats of this build use."""
    if any(f == "pdf" or f.startswith("pdf-") for f in formats):
        check_pdf_style(style_dir)
    else:
        mine = style_part(style_dir, "pdf.toml")
        if mine is not None:
            check_pdf_toml(mine)
    css = style_part(style_dir, "epub.css")
    if css is not None and "epub" in formats:
        check_css(css)
    docx = style_part(style_dir, "reference.docx")
    if docx is not None and "docx" in formats:
        check_reference_docx(docx)
    from .typography import load_typography
    style_part(style_dir, "typography.toml")
    load_typography(style_dir)  # typography.toml: every format a reader reads uses it


# --- the edition's text ----------------------------------------------------------------------

# Text no format can hold alike: C0 controls but tab and line breaks, DEL and the C1 controls,
# lone surrogates (a TEI character reference can make one), the noncharacters U+FFFE/U+FFFF.
# XML cannot hold most of them: the EPUB would write U+FFFD, the DOCX drop them, the PDF draw
# a box, and the build's own verify then fails. One decision, here, for every reader: refused.
_NOT_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_ID = re.compile(r"[\w.\-]+")  # what needs no percent-encoding in an href and is an NCName's body
MAX_HEADING = 1000  # characters of a heading or chapter title (a contents entry fits a page)
_SKIP = frozenset({"debris", "source", "id", "type", "iso", "publication", "schema_version", "language"})


def check_text(edition) -> None:
    """Every text of the edition holds only characters every format can show, and no
    heading, chapter title, paragraph or note is empty; headings and chapter titles are at
    most MAX_HEADING characters. Else an InputError naming the source, the line where the
    model knows it, and where in the edition (one line), before any exporter runs."""
    from pydantic import BaseModel
    from .errors import InputError
    for ci, chapter in enumerate(edition.chapters):
        file = chapter.source
        where_ch = f"chapter {ci + 1}"
        if not chapter.title.strip():
            raise InputError(f"{where_ch}: the chapter title is empty", file)
        if len(chapter.title) > MAX_HEADING:
            raise InputError(f"{where_ch}: the chapter title is {len(chapter.title):,} characters long; at most "
                             f"{MAX_HEADING:,}", file)
        for doc in chapter.documents:
            if not _ID.fullmatch(doc.id):
                raise InputError(f"document id {doc.id!r}: only letters, digits, '.', '-' and '_' (an id is a "
                                 "link target in every format: a URL fragment, an xml:id)", file, doc.line)
            if not doc.heading.strip():
                raise InputError(f"document {doc.id}: the heading is empty", file, doc.line)
            if len(doc.heading) > MAX_HEADING:
                raise InputError(f"document {doc.id}: the heading is {len(doc.heading):,} characters long; "
                                 f"at most {MAX_HEADING:,}", file, doc.line)
        if _surely_clean(chapter):
            continue  # (the walk below, which says where a fault is, would find none)
        # Every string below the chapter, iteratively (no recursion on a deep model). Where a
        # string is (`chapter 1.documents...`) is kept as (parent, field or index) pairs and
        # spelled out only for an error: formatting it for each of a large edition's ~500,000
        # values took half of this check.
        stack: list = [(chapter, where_ch, None)]
        while stack:
            node, where, line = stack.pop()
            if isinstance(node, BaseModel):
                has_line, has_type, is_note, fields = _shape(type(node))
                line = (node.line if has_line else None) or line
                if has_type and node.type in ("paragraph", "dispatch", "secretary") and not node.noterefs() \
                        and not node.text.strip():
                    raise InputError(f"{_spelled(where)}: an empty paragraph (no text, no note marker)", file, line)
                if is_note and not node.text.strip():
                    raise InputError(f"{_spelled(where)}: note {node.number} is empty", file, line)
                for field in fields:
                    value = getattr(node, field)
                    sub = (where, field) if field != "documents" else where
                    if isinstance(value, str):
                        bad = _NOT_PRINTABLE.search(value)
                        if bad:
                            raise InputError(f"{_spelled(sub)}: holds U+{ord(bad.group()):04X}, a control character "
                                             "or noncharacter no format can show alike", file, line)
                    elif isinstance(value, BaseModel):
                        stack.append((value, sub, line))
                    elif isinstance(value, list):
                        for k, item in enumerate(value):
                            if isinstance(item, str):
                                stack.append((_Str(item), (sub, k), line))
                            elif field == "documents":
                                stack.append((item, f"document {item.id}", line))
                            else:
                                stack.append((item, (sub, k), line))
            elif isinstance(node, _Str):
                bad = _NOT_PRINTABLE.search(node.value)
                if bad:
                    raise InputError(f"{_spelled(where)}: holds U+{ord(bad.group()):04X}, a control character or "
                                     "noncharacter no format can show alike", file, line)


_PARAGRAPH_TYPES = ("paragraph", "dispatch", "secretary")
# What orjson writes for a character _NOT_PRINTABLE finds (a lone surrogate it refuses): a
# \u00XX escape or \b, \f for a C0 control; DEL, a C1 control, U+FFFE, U+FFFF as their UTF-8.
# A backslash of the text before `u00`, `b` or `f` matches too: a false alarm, which only
# sends the chapter through the full walk.
_WRITTEN_NOT_PRINTABLE = re.compile(rb"\\u00|\\[bf]|\x7f|\xc2[\x80-\x9f]|\xef\xbf[\xbe\xbf]")


def _surely_clean(chapter) -> bool:
    """A quick look for what check_text's walk refuses, over at least the nodes and strings
    it visits (all fields here, those it skips too): every model written by orjson (in C),
    each one handed to a hook that asks it the walk's questions about paragraphs and notes;
    the strings searched in the bytes written. False when anything could be wrong: the
    walk then decides, and says where (at 100x the walk alone took 0.15 s, serially, before
    the exporters start)."""
    from pydantic import BaseModel

    def fields(node):
        if not isinstance(node, BaseModel):
            raise TypeError("not a model")
        _, has_type, is_note, _ = _shape(type(node))
        if has_type and node.type in _PARAGRAPH_TYPES and not node.noterefs() and not node.text.strip():
            raise ValueError("an empty paragraph")
        if is_note and not node.text.strip():
            raise ValueError("an empty note")
        return node.__dict__

    import orjson
    try:
        written = orjson.dumps(chapter, default=fields)
    except Exception:  # a fault found, or a value orjson cannot write (a lone surrogate)
        return False
    return _WRITTEN_NOT_PRINTABLE.search(written) is None


_SHAPES: dict = {}


def _shape(cls) -> tuple:
    """What check_text asks of a model class, found once per class: asking each instance
    (getattr with a default, hasattr) went through pydantic's slow failing __getattr__ for
    every node without the attribute, most of the check's time."""
    shape = _SHAPES.get(cls)
    if shape is None:
        def has(name: str) -> bool:
            return name in cls.model_fields or hasattr(cls, name)
        shape = _SHAPES[cls] = (has("line"), has("type"), has("number") and has("printed_number"),
                                tuple(f for f in cls.model_fields if f not in _SKIP))
    return shape


def _spelled(where) -> str:
    """`chapter 1.documents` from the pairs check_text keeps: a field name follows a full
    stop, a list index stands in brackets."""
    parts = []
    while type(where) is tuple:
        where, part = where
        parts.append(f"[{part}]" if type(part) is int else f".{part}")
    return where + "".join(reversed(parts))


class _Str:
    __slots__ = ("value",)

    def __init__(self, value: str):
        self.value = value
