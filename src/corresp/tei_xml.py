"""TEI with lxml, shared by the TEI and CMIF writers and the TEI reader: the namespace,
element helpers, and text that XML cannot hold (neutral ground: no reader imports a writer).

Text goes in through lxml, so `<`, `&` and `]]>` are escaped by the serializer. The few
characters XML 1.0 cannot carry at all (C0 controls but tab/newline/CR, lone surrogates,
U+FFFE/U+FFFF) are kept as `<c type="control" n="U+0001">�</c>`: the reader (and any TEI
tool) gets the character's code back, the file stays well-formed, and the exporter says
where it did so.
"""
from __future__ import annotations

import re
from typing import Optional

from lxml import etree

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_ID = f"{{{XML_NS}}}id"
XML_LANG = f"{{{XML_NS}}}lang"
NSMAP = {None: TEI_NS}

NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
CONTROL_TYPE = "control"
# An xml:id must be an NCName: no colon, not starting with a digit, '-' or '.'.
_NCNAME = re.compile(r"^[^\W\d.\-][\w.\-]*$")


def tei(tag: str) -> str:
    return f"{{{TEI_NS}}}{tag}"


_TAGS: dict[str, str] = {}
_ATTRIBUTES = {"xml_id": XML_ID, "xml_lang": XML_LANG}
_SubElement = etree.SubElement
_unsafe = NOT_XML.search


def sub(parent: etree._Element, tag: str, text: Optional[str] = None, **attrs: Optional[str]) -> etree._Element:
    """A TEI child element; attributes whose value is None are left out."""
    try:
        name = _TAGS[tag]
    except KeyError:
        name = _TAGS[tag] = tei(tag)
    # Attributes set one by one: cheaper in lxml than an attribute dict given to SubElement
    # (which it checks and copies), and in the same order.
    child = _SubElement(parent, name)
    if attrs:
        # One search over the values joined (what is looked for is single characters);
        # value by value only in the rare element that holds one.
        clean = _unsafe("".join([v for v in attrs.values() if v is not None])) is None
        for key, value in attrs.items():
            if value is not None:
                child.set(_ATTRIBUTES.get(key, key), value if clean else safe_attr(value))
    if text:
        if _unsafe(text) is None:
            child.text = text  # a new element: nothing to append to (add_text's general case)
        else:
            add_text(child, text)
    return child


def safe_attr(value: str) -> str:
    """Attribute values cannot hold an element: what XML cannot carry becomes U+FFFD."""
    return NOT_XML.sub("\ufffd", value) if NOT_XML.search(value) else value


def has_unsafe(text: Optional[str]) -> bool:
    return bool(text) and NOT_XML.search(text) is not None


def add_text(parent: etree._Element, text: str) -> None:
    """Append `text` at the end of `parent`'s content (after its last child, if any)."""
    if not text:
        return
    if _unsafe(text) is None:
        _append(parent, text)
        return
    pos = 0
    for m in NOT_XML.finditer(text):
        _append(parent, text[pos:m.start()])
        c = etree.SubElement(parent, tei("c"))
        c.set("type", CONTROL_TYPE)
        c.set("n", f"U+{ord(m.group()):04X}")
        c.text = "\ufffd"
        pos = m.end()
    _append(parent, text[pos:])


def _append(parent: etree._Element, text: str) -> None:
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        before = parent.text
        parent.text = before + text if before else text


def text_of(element: etree._Element, skip: tuple[str, ...] = ()) -> str:
    """The text of an element as written: `<c type="control">` read back as its character,
    elements whose tag is in `skip` (with their content) left out, their tails kept."""
    parts: list[str] = [element.text or ""]
    for child in element:
        if child.tag in skip or not isinstance(child.tag, str):  # comments and PIs are not text
            pass
        elif child.tag == tei("c") and child.get("type") == CONTROL_TYPE and (child.get("n") or "").startswith("U+"):
            parts.append(chr(int(child.get("n")[2:], 16)))
        else:
            parts.append(text_of(child, skip))
        parts.append(child.tail or "")
    return "".join(parts)


def xml_id(value: str, prefix: str = "id-") -> str:
    """`value` if it can serve as an xml:id, else a form of it that can (same value, same id).
    The form is reversible (`from_xml_id`): `prefix`, then the value with every character
    an NCName cannot hold, and `_` itself, as `_hex_`."""
    if _NCNAME.match(value) and not value.startswith(prefix):
        return value
    return prefix + "".join(ch if re.match(r"[^\W_]|[.\-]", ch) else f"_{ord(ch):x}_" for ch in value)


def from_xml_id(value: str, prefix: str = "id-") -> str:
    """The value `xml_id` made `value` from."""
    if not value.startswith(prefix):
        return value
    return re.sub(r"_([0-9a-f]+)_", lambda m: chr(int(m.group(1), 16)), value[len(prefix):])


def block(element: etree._Element) -> etree._Element:
    """A line break after a block-level element, so the file reads a block per line."""
    element.tail = "\n"
    return element


def serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


def letter_id(div) -> str:
    """A letter div's document id: its xml:id decoded. (Files before @n held the number
    kept the id in a non-numeric @n.)"""
    n = div.get("n") or ""
    if n and not n.isdigit():
        return n
    return from_xml_id(div.get(XML_ID) or "")
from corresp.compiled import use_twin; use_twin(__name__, __file__)  # its compiled twin (setup.py), if built
