"""The parts of the TEI P5 and CMIF exporters: XML helpers (`xml`), dates as TEI attributes
(`dates`), correspondents and their authority identifiers (`persons`), the edition's stable
identity (`identity`), the header's `correspDesc` (`corresp_desc`), the letters (`letter`),
and the way back from TEI to the model (`reader`)."""
