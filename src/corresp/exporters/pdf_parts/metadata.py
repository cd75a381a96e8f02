"""XMP metadata: the document's title, authors, language and dates, and the standards it
claims (PDF/UA-1, PDF/X-4). Reproducible: dates from SOURCE_DATE_EPOCH, ids derived from
the content of the packet, never random."""
from __future__ import annotations

import time
import uuid
from typing import Optional
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFStream

_NS = uuid.UUID("6f1d4c57-6a1e-4c43-9a3e-0d3c2e1f7a10")  # corresp's namespace for document ids


def xmp_packet(*, title: str, authors: list[str], subject: str, language: str, epoch: int,
               creator: str, producer: str, pdfua: bool = True, pdfx: Optional[str] = None,
               trapped: Optional[str] = None, publisher: Optional[str] = None, rights: Optional[str] = None,
               identifier: Optional[str] = None, published: Optional[str] = None) -> bytes:
    """The packet; the publisher, rights, ISBN (`urn:isbn:…`) and publication date of the
    edition's imprint when it has them, as the EPUB's package carries them too."""
    date = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))
    ident = uuid.uuid5(_NS, "|".join([title, *authors, subject, language, str(epoch), pdfx or ""]))
    e = escape
    creators = "".join(f"<rdf:li>{e(a)}</rdf:li>" for a in authors) or f"<rdf:li>{e(creator)}</rdf:li>"
    desc = (f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{e(subject)}</rdf:li></rdf:Alt>'
            "</dc:description>") if subject else ""
    parts = [
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>',
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"'
        ' xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"'
        + (' xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"' if pdfua else "")
        + (' xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/"' if pdfx else "") + '>',
        "<dc:format>application/pdf</dc:format>",
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{e(title)}</rdf:li></rdf:Alt></dc:title>',
        f"<dc:creator><rdf:Seq>{creators}</rdf:Seq></dc:creator>",
        desc,
        f"<dc:language><rdf:Bag><rdf:li>{e(language)}</rdf:li></rdf:Bag></dc:language>",
        f"<dc:publisher><rdf:Bag><rdf:li>{e(publisher)}</rdf:li></rdf:Bag></dc:publisher>" if publisher else "",
        (f'<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">{e(rights)}</rdf:li></rdf:Alt></dc:rights>'
         if rights else ""),
        f"<dc:identifier>{e(identifier)}</dc:identifier>" if identifier else "",
        f"<dc:date><rdf:Seq><rdf:li>{e(published)}</rdf:li></rdf:Seq></dc:date>" if published else "",
        f"<xmp:CreateDate>{date}</xmp:CreateDate><xmp:ModifyDate>{date}</xmp:ModifyDate>",
        f"<xmp:MetadataDate>{date}</xmp:MetadataDate><xmp:CreatorTool>{e(creator)}</xmp:CreatorTool>",
        f"<pdf:Producer>{e(producer)}</pdf:Producer>",
        f"<pdf:Trapped>{trapped}</pdf:Trapped>" if trapped else "",
        f"<xmpMM:DocumentID>uuid:{ident}</xmpMM:DocumentID><xmpMM:InstanceID>uuid:{ident}</xmpMM:InstanceID>",
        "<xmpMM:VersionID>1</xmpMM:VersionID><xmpMM:RenditionClass>default</xmpMM:RenditionClass>",
        "<pdfuaid:part>1</pdfuaid:part>" if pdfua else "",
        f"<pdfxid:GTS_PDFXVersion>{e(pdfx)}</pdfxid:GTS_PDFXVersion>" if pdfx else "",
        "</rdf:Description></rdf:RDF></x:xmpmeta>",
        '<?xpacket end="w"?>',
    ]
    return "\n".join(p for p in parts if p).encode("utf-8")


def attach(canv, packet: bytes) -> None:
    """The packet as the catalog's /Metadata stream (uncompressed, as XMP wants)."""
    stream = PDFStream(PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
                       packet, filters=[])
    canv._doc.Catalog.Metadata = stream
