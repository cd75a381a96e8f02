"""The edition's source characters, carried inside the DOCX for the `docx` reader.

The DOCX prints house typography (curly quotes, closed dashes, no-break spaces), but an
edition's text is evidence: the JSON keeps the source's characters. So that a returned DOCX
gives them back without the sender keeping the JSON (`build --original`), the edition in its
source characters (the JSON edition, compact) rides along in a Custom XML Data part:
`customXml/item1.xml` (root `<source>` in SOURCE_NS, the JSON as its text), its properties
part `customXml/itemProps1.xml`, a relationship from word/document.xml and the content types.
Word keeps such parts through a save (it is how Office stores document data); LibreOffice
keeps them too (tested in tests/test_docx_source.py), whereas a custom document property
would not do: Word cuts a text property at 255 characters. Nothing here is shown to a reader
of the document. Everything written is fixed by the edition, so builds stay byte-identical.
"""
from __future__ import annotations

from lxml import etree

from ...model import Edition
from ...word_styles import DOCX_SOURCE_NS as SOURCE_NS  # the reader finds the part by it

SOURCE_VERSION = "1"
ITEM = "customXml/item1.xml"
ITEM_PROPS = "customXml/itemProps1.xml"
ITEM_RELS = "customXml/_rels/item1.xml.rels"
ITEM_ID = "{5C0C2E6B-7A41-4F0B-9E55-6F7265737031}"  # a fixed id: reproducible builds
REL_ID = "rIdCorrespSource"
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_DS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
_REL_CUSTOM_XML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
_REL_CUSTOM_XML_PROPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps"
_PROPS_TYPE = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"


def source_of(edition: Edition, options) -> Edition:
    """The edition in its source characters. The build gives presentation formats a typeset
    copy made by `corresp.typography.presented`, which keeps (source, typeset) pairs on the
    options; an edition found there as a typeset copy has its source. Otherwise (typography
    off, or an exporter called directly) the edition is its own source."""
    for source, typeset in getattr(options, "typeset_cache", {}).values():
        if typeset is edition:
            return source
    return edition


def _xml(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def source_item(edition: Edition, options) -> bytes:
    from ..json_edition import dumps_compact
    root = etree.Element(f"{{{SOURCE_NS}}}source", nsmap={None: SOURCE_NS})
    root.set("version", SOURCE_VERSION)
    root.set("format", "corresp-json")
    root.text = dumps_compact(edition, options).decode("utf-8")  # orjson.dumps(edition_to_json(...))
    return _xml(root)


def embed_source(parts: dict[str, bytes], item: bytes) -> list[str]:
    """Add the source part (`item`, from source_item) to the DOCX's parts: the new part names,
    in the order they are to be written. The relationships and content types are edited."""
    props = etree.Element(f"{{{_DS}}}datastoreItem", nsmap={"ds": _DS})
    props.set(f"{{{_DS}}}itemID", ITEM_ID)
    etree.SubElement(etree.SubElement(props, f"{{{_DS}}}schemaRefs"), f"{{{_DS}}}schemaRef").set(
        f"{{{_DS}}}uri", SOURCE_NS)
    item_rels = etree.Element(f"{{{_PKG_RELS}}}Relationships", nsmap={None: _PKG_RELS})
    etree.SubElement(item_rels, f"{{{_PKG_RELS}}}Relationship", Id="rId1", Type=_REL_CUSTOM_XML_PROPS,
                     Target="itemProps1.xml")
    rels_name = "word/_rels/document.xml.rels"
    rels = etree.fromstring(parts[rels_name])
    if not any(r.get("Id") == REL_ID for r in rels):
        etree.SubElement(rels, f"{{{_PKG_RELS}}}Relationship", Id=REL_ID, Type=_REL_CUSTOM_XML,
                         Target="../customXml/item1.xml")
    parts[rels_name] = _xml(rels)
    types = etree.fromstring(parts["[Content_Types].xml"])
    if not any(t.get("PartName") == "/" + ITEM_PROPS for t in types):
        etree.SubElement(types, f"{{{_CT}}}Override", PartName="/" + ITEM_PROPS, ContentType=_PROPS_TYPE)
    if not any(t.get("Extension") == "xml" for t in types):  # pandoc writes it; a part needs a type
        etree.SubElement(types, f"{{{_CT}}}Override", PartName="/" + ITEM, ContentType="application/xml")
    parts["[Content_Types].xml"] = _xml(types)
    parts[ITEM], parts[ITEM_PROPS], parts[ITEM_RELS] = item, _xml(props), _xml(item_rels)
    return [ITEM, ITEM_RELS, ITEM_PROPS]
