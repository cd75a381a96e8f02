"""The DOCX package, opened as untrusted input: a zip of XML parts, read with caps.

Every refusal is an InputError naming the file (and the part): a file that is not a zip, a
zip whose parts inflate beyond MAX_INFLATED (a zip bomb), a macro-enabled document (.docm,
vbaProject), a DOCTYPE in any XML part (external or internal entities: XXE, billion laughs;
Word and LibreOffice never write one), a part that is not well-formed, a missing
word/document.xml. XML is parsed by lxml without entity resolution, DTD loading or network.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from lxml import etree

from ...errors import InputError
from ...files import read_regular

MAX_INFLATED = 512 * 1024 * 1024  # all parts read, inflated: far above any edition (the seed ×100 is ~30 MB)
MAX_PARTS = 10_000
_CHUNK = 1 << 20
_DOCTYPE = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=True,
                          remove_blank_text=False)

DOCUMENT = "word/document.xml"
_CUSTOM_ITEM = re.compile(r"customXml/item\d*\.xml")
MACRO_TYPES = ("macroEnabled", "vbaProject")


@dataclass
class Package:
    """The parts of a DOCX that the reader needs, parsed."""
    name: str
    document: etree._Element
    styles: Optional[etree._Element] = None
    footnotes: Optional[etree._Element] = None
    endnotes: Optional[etree._Element] = None
    comments: Optional[etree._Element] = None
    core: Optional[etree._Element] = None
    parts: list[str] = field(default_factory=list)
    # The Custom XML Data parts (customXml/item*.xml) unparsed: one may carry the edition's
    # source characters (readers/docx/source.py), the others are anyone's.
    custom_xml: dict[str, bytes] = field(default_factory=dict)


class _Budget:
    def __init__(self, name: str, limit: int):
        self.name, self.left = name, limit

    def read(self, z: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
        if info.file_size > self.left:  # the declared size already says so
            raise self._bomb(info.filename)
        out = bytearray()
        try:
            with z.open(info) as f:
                while True:
                    chunk = f.read(_CHUNK)
                    if not chunk:
                        break
                    out += chunk
                    if len(out) > self.left:  # the declared size lied
                        raise self._bomb(info.filename)
        except InputError:
            raise
        except Exception as exc:  # zlib.error, BadZipFile (CRC), EOFError, NotImplementedError (a method), …
            raise InputError(f"{info.filename}: the part cannot be read ({exc})", self.name) from None
        self.left -= len(out)
        return bytes(out)

    def _bomb(self, part: str) -> InputError:
        return InputError(f"{part}: inflates beyond {MAX_INFLATED // (1024 * 1024)} MB (a zip bomb?); refused",
                          self.name)


def parse_part(data: bytes, part: str, name: str) -> etree._Element:
    if _DOCTYPE.search(data[:65536]) or b"<!ENTITY" in data or b"<!DOCTYPE" in data:
        raise InputError(f"{part}: a DOCTYPE or entity declaration (external entities are refused)", name)
    try:
        return etree.fromstring(data, _PARSER)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise InputError(f"{part}: not well-formed XML ({exc})", name) from None


def open_package(path: Path) -> Package:
    name = str(path)
    # A regular file under the sources' size limit (corresp.files: not a FIFO, not /dev/zero).
    data = read_regular(path, "source")
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InputError("not a DOCX: not a zip file", name) from None
    except Exception as exc:  # zipfile raises what it meets in a damaged directory
        raise InputError(f"not a DOCX: a damaged zip ({type(exc).__name__}: {exc})", name) from None
    with z:
        infos = z.infolist()
        if len(infos) > MAX_PARTS:
            raise InputError(f"not a DOCX: {len(infos)} parts in the zip", name)
        by_name = {i.filename: i for i in infos}
        if any(n.lower().endswith("vbaproject.bin") for n in by_name):
            raise InputError("a macro-enabled document (vbaProject.bin): save it as .docx without macros", name)
        if DOCUMENT not in by_name:
            raise InputError(f"not a DOCX: the part {DOCUMENT} is missing", name)
        budget = _Budget(name, MAX_INFLATED)
        raw: dict[str, bytes] = {}
        for part, info in by_name.items():
            if part.endswith((".xml", ".rels")):  # every XML part is checked, read or not
                raw[part] = budget.read(z, info)
                if _DOCTYPE.search(raw[part]):
                    raise InputError(f"{part}: a DOCTYPE or entity declaration (external entities are refused)",
                                     name)
        types = raw.get("[Content_Types].xml", b"")
        if any(t.encode() in types for t in MACRO_TYPES):
            raise InputError("a macro-enabled document (.docm content type): save it as .docx without macros", name)

        def part(p: str) -> Optional[etree._Element]:
            return parse_part(raw[p], p, name) if p in raw else None

        return Package(name, part(DOCUMENT), styles=part("word/styles.xml"), footnotes=part("word/footnotes.xml"),
                       endnotes=part("word/endnotes.xml"), comments=part("word/comments.xml"),
                       core=part("docProps/core.xml"), parts=list(by_name),
                       custom_xml={p: data for p, data in raw.items() if _CUSTOM_ITEM.fullmatch(p)})
