"""Writing the PDF file: reportlab's objects turned into the bytes its own writer makes, in
a fraction of the time.

reportlab's `PDFDocument.format` wraps each object in a `PDFIndirectObject` and formats
every value through one generic recursive `format` (an isinstance chain and a codec call per
token, a new `PDFDictionary` or `PDFArray` for each destination, resource dictionary, page);
a long edition has a hundred thousand objects and that bookkeeping cost more than the page
text's compression. `write_document` writes the same file: the objects in the same order
under the same numbers (objects registered while writing, such as the pages' content
streams, are registered in the same order), the kinds a book is made of formatted directly,
anything else by reportlab's own `format`. Each fast path mirrors the reportlab method named
in its docstring (reportlab 5.1); tests/test_pdf_serialize.py compares the bytes with
reportlab's writer, which would catch a reportlab that formats differently.
"""
from __future__ import annotations

import codecs
from collections import OrderedDict
from itertools import accumulate

from reportlab import rl_config
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfdoc import (Destination, NoEncryption, OutlineEntryObject, PDFArray, PDFArrayCompact,
                                      PDFCatalog, PDFDestinationFit, PDFDestinationXYZ, PDFDictionary,
                                      PDFFile, PDFFormXObject, PDFName, PDFObject, PDFObjectReference,
                                      PDFPage, PDFPages, PDFResourceDictionary, PDFStream, PDFString,
                                      PDFTrailer)


def install(document, deflated=None) -> None:
    """Make `document` (a reportlab `PDFDocument`) write itself with `write_document` when
    saved: its `GetPDFData` (fonts, outline, catalog: reportlab's) ends in `self.format()`.
    `deflated`: a stream's content -> its bytes deflated by another process, or None
    (ahead.py: for a core the build leaves idle)."""
    document.format = lambda: write_document(document, deflated)


def write_document(document, deflated=None) -> bytes:
    """The file's bytes, as `PDFDocument.format` makes them."""
    if (rl_config.pdfComments and not rl_config.invariant) or not isinstance(document.encrypt, NoEncryption) \
            or getattr(document, "_digiSigs", None):
        # comments, encryption or signatures: what a book never has; reportlab's own way
        return type(document).format(document)
    return _Writer(document, deflated).file()


def destination_bytes(dest, document) -> bytes:
    """A link's or an outline entry's destination (`Destination.format`), e.g.
    `[ 12 0 R /XYZ 56.7 700 0 ]`."""
    fmt, page = dest.fmt, dest.page
    if fmt is None or page is None:
        return dest.format(document)  # reportlab's error
    fmt.page = page
    kind = type(fmt)
    if type(page) is PDFObjectReference and (kind is PDFDestinationXYZ or kind is PDFDestinationFit):
        # PDFArray([page, /XYZ, left, top, zoom]): five items or fewer, one line
        ref = b"%d %d R" % document.idToObjectNumberAndVersion[page.name]
        if kind is PDFDestinationFit:
            return b"[ " + ref + b" /Fit ]"
        return b"[ " + ref + b" /XYZ " + b" ".join([_plain(fmt.left), _plain(fmt.top), _plain(fmt.zoom)]) + b" ]"
    return fmt.format(document)


# PDFDocEncoding as reportlab's codec has it: character -> its byte (all 256 bytes decode
# to distinct characters, and the codec encodes no other; tests/test_pdf_serialize.py).
_PDFDOC_BYTE = {bytes([b]).decode("pdfdoc"): b for b in range(256)}
_PDFDOC_CHARS = frozenset(_PDFDOC_BYTE)
_TO_PDFDOC = {ord(c): chr(b) for c, b in _PDFDOC_BYTE.items()}  # (then latin-1: the byte itself)

# _plain's numbers: a destination's left, top and zoom are a page's few positions, met
# again in every link and outline entry (fp_str depends on the value alone). Bounded.
_PLAIN: dict[float, bytes] = {}
_PLAIN_MAX = 100_000


def _plain(v) -> bytes:
    """A number or a name such as `null`, as `pdfdoc.format` writes it."""
    t = type(v)
    if t is int or t is float:
        got = _PLAIN.get(v)
        if got is None:
            got = fp_str(v).encode("ascii")
            if len(_PLAIN) < _PLAIN_MAX:
                _PLAIN[v] = got
        return got
    return pdfdoc.format(v, None)


class _Writer:
    def __init__(self, document, deflated=None):
        self.doc = document
        # content -> its deflated bytes, or None (deflated here)
        self.deflated = deflated
        self.nv = document.idToObjectNumberAndVersion
        self.names: dict[str, bytes] = {}  # a dictionary key -> its PDF name
        self.form_resource_bytes: dict[bool, bytes] = {}
        self.resource_bytes: dict[tuple, bytes] = {}
        self.floats: dict[float, bytes] = {}
        self.filter_bytes: dict[tuple, bytes] = {}  # the names of a stream's filters -> their array
        self.ints: dict[int, bytes] = {}
        # values formatted inside an object (pdfdoc.format, not at the top level)
        self.values = {
            PDFObjectReference: self.reference, PDFDictionary: self.dictionary, PDFArray: self.array,
            PDFArrayCompact: self.array, PDFResourceDictionary: self.resources, Destination: self.destination,
            PDFString: self.string,
            int: self.integer, float: self.number, str: self.text, bytes: _same,
        }
        # objects of their own (top level: `__RefOnly__` kinds are written here, not referenced)
        self.objects = {PDFPage: self.catalog, PDFPages: self.catalog, PDFCatalog: self.catalog,
                        PDFStream: self.stream, PDFFormXObject: self.form, OutlineEntryObject: self.outline_entry}

    # --- the file (PDFDocument.format) -------------------------------------------

    def file(self) -> bytes:
        doc = self.doc
        doc.encrypt.prepare(doc)
        cat, info = doc.Catalog, doc.info
        doc.Reference(cat)
        doc.Reference(info)
        header = PDFFile(doc._pdfVersion).strings[0]
        out = [header]
        offset = len(header)
        offsets = []
        number_to_id, id_to_object, nv = doc.numberToId, doc.idToObject, self.nv
        objects, values = self.objects, self.values
        run_writers: dict[type, object] = {}
        counter = 0
        while True:  # objects may be registered while others are written: no fixed list
            counter += 1
            oid = number_to_id.get(counter)
            if oid is None:
                break
            obj = id_to_object[oid]
            kind = type(obj)
            if kind in run_writers:
                run_writer = run_writers[kind]
            else:  # (asked once per kind: a class without it raises and catches an AttributeError)
                run_writer = run_writers[kind] = getattr(kind, "format_run", None)
            if run_writer is not None:
                # a kind that writes many objects at once (the structure elements): the run
                # of consecutive objects of that kind
                end = counter + 1
                while type(id_to_object.get(number_to_id.get(end))) is kind:
                    end += 1
                numbers = range(counter, end)
                run = [id_to_object[number_to_id[n]] for n in numbers]
                if any(nv[number_to_id[n]] != (n, 0) for n in (numbers[0], numbers[-1])):
                    raise ValueError("object numbers out of order")
                bodies = run_writer(run, doc)
                chunks = [b"%d 0 obj\n%b%s" % (n, body, b"endobj\n" if body[-1:] == b"\n" else b"\nendobj\n")
                          for n, body in zip(numbers, bodies)]
                out += chunks
                starts = list(accumulate(map(len, chunks), initial=offset))
                offset = starts.pop()
                offsets += starts
                counter += len(run) - 1
                continue
            write = objects.get(kind)
            if write is not None:
                body = write(obj)
            elif kind in values:
                body = values[kind](obj)
            elif isinstance(obj, PDFObject):
                body = obj.format(doc)
            else:
                body = pdfdoc.format(obj, doc, toplevel=1)
            head = b"%d %d obj\n" % nv[oid]
            tail = b"endobj\n" if body[-1:] == b"\n" else b"\nendobj\n"
            out += (head, body, tail)
            offsets.append(offset)
            offset += len(head) + len(body) + len(tail)
        count = len(number_to_id)
        if counter - 1 != count:
            raise ValueError("counter %s doesn't match number to id dictionary %s" % (counter, count))
        # PDFCrossReferenceTable: one section from object 0 (the free entry)
        xref = [b"xref\n0 %d\n0000000000 65535 f " % (count + 1)]
        xref += [b"%010d 00000 n " % o for o in offsets]
        xref.append(b"")
        xref = b"\n".join(xref)
        out.append(xref)
        trailer = PDFTrailer(startxref=offset, Size=count + 1, Root=doc.Reference(cat),
                             Info=doc.Reference(info), Encrypt=None, ID=doc.ID())
        out.append(trailer.format(doc))
        return b"".join(out)

    # --- values (pdfdoc.format) --------------------------------------------------

    def value(self, v) -> bytes:
        write = self.values.get(type(v))
        if write is not None:
            return write(v)
        if isinstance(v, PDFObject) and hasattr(v, "__RefOnly__"):
            return self.reference(self.doc.Reference(v))  # a stream or a page: by reference
        return pdfdoc.format(v, self.doc)

    def reference(self, ref) -> bytes:
        """PDFObjectReference.format"""
        return b"%d %d R" % self.nv[ref.name]

    def number(self, v: float) -> bytes:
        got = self.floats.get(v)  # a book's numbers repeat: boxes, matrices, widths, counts
        if got is None:
            got = self.floats[v] = fp_str(v).encode("ascii")
        return got

    def integer(self, v: int) -> bytes:
        got = self.ints.get(v)
        if got is None:
            got = self.ints[v] = fp_str(v).encode("ascii")
        return got

    @staticmethod
    def text(v: str) -> bytes:
        return v.encode("extpdfdoc")

    def name(self, key: str) -> bytes:
        got = self.names.get(key)
        if got is None:
            got = self.names[key] = PDFName(key).encode("extpdfdoc")
        return got

    def dictionary(self, d) -> bytes:
        """PDFDictionary.format"""
        return self.mapping(d.dict, d.multiline)

    def mapping(self, d: dict, multiline=True) -> bytes:
        keys = list(d) if isinstance(d, OrderedDict) else sorted(d)
        names, values = self.names, self.values
        items = []
        for k in keys:  # (self.name and self.value, inlined: a hundred thousand entries)
            v = d[k]
            write = values.get(type(v))
            items.append((names.get(k) or self.name(k)) + b" " + (write(v) if write is not None else self.value(v)))
        if (multiline and rl_config.pdfMultiLine) or multiline == "forced":
            return b"<<\n" + b"\n ".join(items) + b"\n>>"
        return self.entries(items)

    def array(self, a) -> bytes:
        """PDFArray.format"""
        values = self.values
        items = []
        for v in a.sequence:
            write = values.get(type(v))
            items.append(write(v) if write is not None else self.value(v))
        if (a.multiline and rl_config.pdfMultiLine) or a.multiline == "forced":
            return b"[ " + b"\n ".join(items) + b" ]"
        for i in reversed(range(10, len(items), 10)):  # a line break after every ten items
            items.insert(i, b"\n ")
        return b"[ " + b" ".join(items) + b" ]"

    def string(self, s) -> bytes:
        """PDFString.format of a str, as reportlab makes it by default (PDFDocEncoding if it
        can, else UTF-16BE with a byte order mark; escaped)"""
        text = s.s
        if type(text) is not str or s.enc != "auto" or s.escape != 1 or s.unicodeEncValid:
            return s.format(self.doc)
        # reportlab's "pdfdoc" and "extpdfdoc" codecs run in Python, a character at a time
        # (thousands of outline titles): the same mapping as a table. Printable ASCII is
        # itself in PDFDocEncoding; escapePDF writes printable ASCII only (octal escapes for
        # the rest), which extpdfdoc keeps as it is.
        if text.isascii() and text.isprintable():
            raw = text.encode("ascii")
        elif _PDFDOC_CHARS.issuperset(text):
            raw = text.translate(_TO_PDFDOC).encode("latin-1")
        else:
            raw = codecs.BOM_UTF16_BE + text.encode("utf_16_be")
        return ("(%s)" % escapePDF(raw)).encode("ascii")

    def destination(self, dest) -> bytes:
        return destination_bytes(dest, self.doc)

    def resources(self, r) -> bytes:
        """PDFResourceDictionary.format; the same bytes for every page that uses only the
        document's fonts (most pages): made once"""
        key = None
        if type(r.Font) is PDFObjectReference and type(r.ProcSet) is list and all(
                type(v) is dict and not v for v in (getattr(r, a) for a in r.dict_attributes if a != "Font")):
            key = (r.Font.name, tuple(r.ProcSet))
            got = self.resource_bytes.get(key)
            if got is not None:
                return got
        d = {}
        for name in r.dict_attributes:
            v = getattr(r, name)
            if isinstance(v, dict):
                if v:
                    d[name] = PDFDictionary(v)
            else:
                d[name] = v
        v = r.ProcSet
        if isinstance(v, (tuple, list)):
            if v:
                d["ProcSet"] = PDFArray(v)
        else:
            d["ProcSet"] = v
        got = self.mapping(d)
        if key is not None:
            self.resource_bytes[key] = got
        return got

    # --- objects -----------------------------------------------------------------

    def catalog(self, obj) -> bytes:
        """PDFCatalog.format (the catalog, the page tree, a page)"""
        doc = self.doc
        obj.check_format(doc)
        d = {}
        for k, v in obj.__Defaults__.items():
            v = getattr(obj, k, v)
            if v is not None:
                d[k] = v
        for k in obj.__NoDefault__:
            v = getattr(obj, k, None)
            if v is not None:
                d[k] = v
        for k in obj.__Refs__:  # registered now, in this order, if new (a page's content stream)
            if k in d:
                d[k] = doc.Reference(d[k])
        return self.mapping(d)

    def stream(self, s) -> bytes:
        """PDFStream.format"""
        return self.stream_bytes(s.dictionary.dict.copy(), s.content, s.filters)

    def stream_bytes(self, d: dict, content, filters) -> bytes:
        """A stream's bytes: `d` its dictionary (completed here: filters, length)."""
        if content is None:
            raise ValueError("stream content not set")
        if filters is None:
            filters = self.doc.defaultStreamFilters
        if filters is not None and "Filter" not in d:
            filters = list(filters)
            deflated = None
            if self.deflated is not None and len(filters) == 1 and filters[0] is pdfdoc.PDFZCompress:
                deflated = self.deflated(content)
            if deflated is not None:
                content = deflated
            else:
                for f in reversed(filters):
                    content = f.encode(content)
            names = tuple(f.pdfname for f in filters)
            got = self.filter_bytes.get(names)
            if got is None:
                got = self.filter_bytes[names] = self.array(PDFArray([PDFName(n) for n in names]))
            d["Filter"] = got  # (bytes are written as they are)
        content = self.doc.encrypt.encode(content)
        body = content if type(content) is bytes else self.value(content)
        d["Length"] = len(content)
        return self.mapping(d) + b"\nstream\n" + body + b"endstream\n"

    def form(self, f) -> bytes:
        """PDFFormXObject.format: the form's stream, its dictionary completed as reportlab
        does (the same bytes; without the PDFStream and resource objects it would make)"""
        if f.Annots or f.Contents or f.Resources or not f.stream:
            return f.format(self.doc)  # what a book's forms never have: reportlab's way
        f.BBox = f.BBox or PDFArray([f.lowerx, f.lowery, f.upperx, f.uppery])
        if f.Matrix:
            matrix = self.array(f.Matrix)
        else:  # reportlab's default, the same bytes for every form
            f.Matrix = PDFArray([1, 0, 0, 1, 0, 0])
            matrix = b"[ 1 0 0 1 0 0 ]"
        f.Annots = None
        filters = None
        if f.compression:
            filters = [pdfdoc.PDFBase85Encode, pdfdoc.PDFZCompress] if rl_config.useA85 else [pdfdoc.PDFZCompress]
        # (values given as bytes are written as they are)
        d = {"Type": b"/XObject", "Subtype": b"/Form", "FormType": b"1", "BBox": self.array(f.BBox),
             "Matrix": matrix, "Resources": self.form_resources(bool(f.hasImages), f.XObjects)}
        return self.stream_bytes(d, f.stream, filters)

    def form_resources(self, images: bool, xobjects) -> bytes:
        """The resources reportlab gives a form (PDFFormXObject.format): the fonts, the
        procedure sets, the forms it draws; the same bytes for every form that draws none."""
        if xobjects:
            key = None
        else:
            key = images
            got = self.form_resource_bytes.get(key)
            if got is not None:
                return got
        r = PDFResourceDictionary()
        r.basicFonts()
        if images:
            r.allProcs()
        else:
            r.basicProcs()
        if xobjects:
            r.XObject = xobjects
        got = self.resources(r)
        if key is not None:
            self.form_resource_bytes[key] = got
        return got

    def outline_entry(self, e) -> bytes:
        """OutlineEntryObject.format: its entries in the dictionary's (sorted) order, written
        without the dictionary and the PDFString reportlab makes for each of thousands"""
        if rl_config.pdfMultiLine:  # an entry per line: reportlab's own way
            return e.format(self.doc)
        value = self.value
        items = []
        for key, v in ((b"/Count ", e.Count), (b"/Dest ", e.Dest), (b"/First ", e.First), (b"/Last ", e.Last),
                       (b"/Next ", e.Next), (b"/Parent ", e.Parent), (b"/Prev ", e.Prev)):
            if v is not None or key in (b"/Dest ", b"/Parent "):  # (those two even when None)
                items.append(key + value(v))
        items.append(b"/Title " + self.string(PDFString(e.Title)))
        return self.entries(items)

    @staticmethod
    def entries(items: list) -> bytes:
        """A dictionary of the formatted `items` ("/Key value"), laid out as PDFDictionary
        does by default."""
        for i in reversed(range(6, len(items), 6)):  # a line break after every six entries
            items.insert(i, b"\n ")
        return b"<<\n" + b" ".join(items) + b"\n>>"


def _same(b: bytes) -> bytes:
    return b
from corresp.compiled import use_twin; use_twin(__name__, __file__)  # its compiled twin (setup.py), if built
