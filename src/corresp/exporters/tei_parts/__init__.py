"""The parts of the TEI P5 and CMIF exporters: dates as TEI attributes (`dates`),
correspondents and their authority identifiers (`persons`), the edition's stable identity
(`identity`), the header's `correspDesc` (`corresp_desc`), the letters (`letter`). The XML
helpers they share with the TEI reader are `corresp.tei_xml`; the way back from TEI to the
model is the reader's (`corresp.readers.tei_edition`)."""
