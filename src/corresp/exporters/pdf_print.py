"""The print edition: the same book as `pdf`, as PDF/X-4 for a printer (`-f pdf-print`,
`NAME.print.pdf`).

Differences from the screen PDF: each page's MediaBox is the trim size plus the bleed on
every side (3 mm unless the style folder's `print.toml` says `bleed = "5mm"`), with
`TrimBox` and `BleedBox`; the catalog carries a `GTS_PDFX` output intent whose profile is a
grey printer profile made here (`gray_print_profile`: the book prints black text and rules
only, in DeviceGray); the header says PDF 1.6, the Info dictionary and the XMP say
`GTS_PDFXVersion PDF/X-4` and `Trapped False`. Link annotations are left out (PDF/X allows
none inside the bleed box); notes and markers stay tagged, the marker as a `Reference`.
The structure tree, fonts (embedded subsets) and reproducible bytes are the screen PDF's.
"""
from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase.pdfdoc import PDFCatalog, PDFInfo, PDFString

from ..errors import ConfigError
from ..model import Edition
from . import ExportOptions
from .pdf import build_pdf
from .pdf_parts import metadata
from .pdf_parts.tagging import _Bytes, pdf_text

MM = 72 / 25.4
PDFX_VERSION = "PDF/X-4"
OUTPUT_CONDITION = "Black ink on uncoated white paper (corresp grey, gamma 1.8)"


def _s15(v: float) -> bytes:
    return struct.pack(">i", round(v * 65536))


def gray_print_profile() -> bytes:
    """An ICC v2.4 monochrome output ('prtr', GRAY → XYZ) profile: description, copyright,
    media white point and a gamma-1.8 grey tone curve, the tags ICC.1 requires of a
    monochrome output profile. Made here, so it is corresp's own (public domain) and the
    same bytes on every machine."""
    desc_text = b"corresp grey print, gamma 1.8\x00"
    desc = (b"desc\x00\x00\x00\x00" + struct.pack(">I", len(desc_text)) + desc_text
            + b"\x00" * 8 + b"\x00\x00\x00" + b"\x00" * 67)
    cprt = b"text\x00\x00\x00\x00" + b"Public domain (CC0). Made by corresp.\x00"
    d50 = (0.9642, 1.0, 0.8249)
    wtpt = b"XYZ \x00\x00\x00\x00" + b"".join(_s15(v) for v in d50)
    ktrc = b"curv\x00\x00\x00\x00" + struct.pack(">IH", 1, round(1.8 * 256)) + b"\x00\x00"
    tags = [(b"desc", desc), (b"cprt", cprt), (b"wtpt", wtpt), (b"kTRC", ktrc)]
    offset = 128 + 4 + 12 * len(tags)
    table, data = [], b""
    for sig, body in tags:
        while len(body) % 4:
            body += b"\x00"
        table.append(sig + struct.pack(">II", offset + len(data), len(body)))
        data += body
    size = offset + len(data)
    header = (struct.pack(">I", size) + b"\x00\x00\x00\x00" + bytes([2, 0x40, 0, 0]) + b"prtrGRAYXYZ "
              + struct.pack(">6H", 2026, 1, 1, 0, 0, 0) + b"acsp" + b"\x00" * 4 + b"\x00" * 4
              + b"\x00" * 8 + b"\x00" * 8 + struct.pack(">I", 0) + b"".join(_s15(v) for v in d50)
              + b"\x00" * 4 + b"\x00" * 16 + b"\x00" * 28)
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + b"".join(table) + data


class _PdfxInfo(PDFInfo):
    """The Info dictionary with GTS_PDFXVersion (Trapped is False already)."""

    def format(self, document):
        body = super().format(document)
        return body.rstrip()[:-2].rstrip() + b"\n/GTS_PDFXVersion " + PDFString(PDFX_VERSION).format(document) + b"\n>>"


PRINT_KEYS = ("bleed", "output_profile", "output_condition", "crop_marks")


def read_print_settings(style_dir) -> dict:
    """`print.toml` of the style folder, if there is one: `bleed` (a length),
    `output_profile` (the printer's ICC profile, a file beside print.toml or a path),
    `output_condition` (its name, e.g. "FOGRA39"), `crop_marks` (true/false)."""
    if style_dir is None:
        return {}
    f = Path(style_dir) / "print.toml"
    if not f.exists():
        return {}
    from ..files import load_toml
    data = load_toml(f, "style", ConfigError)[1]
    unknown = sorted(set(data) - set(PRINT_KEYS))
    if unknown:
        raise ConfigError(f"unknown print setting {', '.join(unknown)}", file=str(f))
    return data


def _length(value, where: str) -> float:
    from .pdf_parts.style import _length as style_length
    return style_length(value, where)


def read_output_profile(path: Path, where: str) -> bytes:
    """The printer's ICC profile: an output (or display) profile of grey, RGB or CMYK,
    checked as preflight checks it, so a wrong file is said here and not by the printer."""
    from ..files import read_regular
    data = read_regular(path, "profile", ConfigError, f"{where}: output_profile {path}")
    if len(data) < 132 or data[36:40] != b"acsp" or data[16:20] not in PROFILE_COMPONENTS:
        raise ConfigError(f"output_profile: {path.name} is not an ICC profile of grey, RGB or CMYK", file=where)
    if data[12:16] not in (b"prtr", b"mntr", b"scnr"):
        raise ConfigError(f"output_profile: {path.name} is a {data[12:16].decode('latin-1')!r} profile, "
                          "not an output device's (prtr)", file=where)
    return data


PROFILE_COMPONENTS = {b"GRAY": 1, b"RGB ": 3, b"CMYK": 4}
CROP_MARK_LENGTH = 5 * MM  # each mark, outside the bleed
CROP_MARK_SLUG = 9 * MM  # room around the bleed for the marks (MediaBox)


@dataclass
class PrintVariant:
    bleed: float = 3 * MM
    profile: bytes | None = None  # the printer's ICC profile; None: corresp's grey profile
    condition: str = OUTPUT_CONDITION
    crop_marks: bool = False

    @classmethod
    def from_style(cls, style_dir) -> "PrintVariant":
        data = read_print_settings(style_dir)
        where = str(Path(style_dir) / "print.toml") if style_dir is not None else "print.toml"
        out = cls()
        if "bleed" in data:
            bleed = _length(data["bleed"], "print.toml bleed")
            if bleed > 20 * MM:
                raise ConfigError("print.toml bleed: at most 20mm", file=where)
            out.bleed = bleed
        if "output_profile" in data:
            if not isinstance(data["output_profile"], str) or not data["output_profile"].strip():
                raise ConfigError("output_profile: the path of an ICC profile (a string)", file=where)
            out.profile = read_output_profile(Path(style_dir) / data["output_profile"], where)
            out.condition = Path(data["output_profile"]).stem
        if "output_condition" in data:
            if not isinstance(data["output_condition"], str) or not data["output_condition"].strip():
                raise ConfigError("output_condition: the printing condition's name (a string, e.g. \"FOGRA39\")",
                                  file=where)
            out.condition = data["output_condition"].strip()
        if "crop_marks" in data:
            if not isinstance(data["crop_marks"], bool):
                raise ConfigError("crop_marks: true or false", file=where)
            out.crop_marks = data["crop_marks"]
        return out

    @property
    def margin(self) -> float:
        """From the trim edge to the MediaBox's: the bleed, and room for crop marks."""
        return self.bleed + (CROP_MARK_SLUG if self.crop_marks else 0.0)

    def setup_canvas(self, canv, doc) -> None:
        """Called when the canvas exists: the media box grows by the bleed, the page's
        drawing is shifted into it, and every page gets its TrimBox and BleedBox."""
        w, h = canv._pagesize
        b, m = self.bleed, self.margin
        media = (w + 2 * m, h + 2 * m)
        canv.setPageSize(media)
        for template in doc.pageTemplates:  # else reportlab resets the canvas to the trim size
            template.pagesize = media
        canv.setTrimBox((m, m, m + w, m + h))
        canv.setBleedBox((m - b, m - b, m + w + b, m + h + b))
        canv.page_offset = (m, m)
        canv.translate(m, m)
        if self.crop_marks:
            show = canv.showPage

            def marked_show_page():
                self.draw_crop_marks(canv, w, h)
                show()
            canv.showPage = marked_show_page

    def draw_crop_marks(self, canv, w: float, h: float) -> None:
        """Trim marks at the four corners, in the slug outside the bleed (black hairlines,
        pagination artifacts of the tagged page)."""
        start, end = self.bleed + 2, self.bleed + 2 + CROP_MARK_LENGTH
        ops = ["/Artifact BMC q 0 G 0.25 w"] if getattr(canv, "tagger", None) is not None else ["q 0 G 0.25 w"]
        for x, dx in ((0.0, -1), (w, 1)):
            for y, dy in ((0.0, -1), (h, 1)):
                ops.append(f"{x + dx * start:.2f} {y:.2f} m {x + dx * end:.2f} {y:.2f} l S")
                ops.append(f"{x:.2f} {y + dy * start:.2f} m {x:.2f} {y + dy * end:.2f} l S")
        ops.append("Q EMC" if len(ops) and ops[0].startswith("/Artifact") else "Q")
        canv._code.append("\n".join(ops))

    def finishers(self, style, packet: dict) -> list:
        def finish(canv):
            doc = canv._doc
            doc._pdfVersion = (1, 6)  # PDF/X-4 is PDF 1.6
            doc.info.__class__ = _PdfxInfo
            metadata.attach(canv, metadata.xmp_packet(**packet, pdfua=False, pdfx=PDFX_VERSION,
                                                      trapped="False"))
            profile = self.profile if self.profile is not None else gray_print_profile()
            n = PROFILE_COMPONENTS[profile[16:20]]
            packed = zlib.compress(profile, 9)
            icc = _Bytes(lambda document: b"<< /N %d /Filter /FlateDecode /Length %d >>\nstream\n" % (n, len(packed))
                         + packed + b"\nendstream")
            doc.Reference(icc)
            intent = _Bytes(lambda document: (
                b"<< /Type /OutputIntent /S /GTS_PDFX /OutputConditionIdentifier "
                + (b"(Custom)" if self.profile is None else pdf_text(self.condition))
                + b" /OutputCondition " + pdf_text(self.condition)
                + b" /Info " + pdf_text(self.condition) + b" /RegistryName (http://www.color.org)"
                b" /DestOutputProfile %d 0 R >>" % document.idToObjectNumberAndVersion[icc.__InternalName__][0]))
            doc.Reference(intent)
            cat = doc.Catalog
            cat.__NoDefault__ = PDFCatalog.__NoDefault__ + ["OutputIntents"]
            cat.OutputIntents = _Bytes(lambda document: b"[%d 0 R]"
                                       % document.idToObjectNumberAndVersion[intent.__InternalName__][0])
        return [finish]


class PdfPrintExporter:
    name = "pdf-print"
    presents_text = True  # given the edition in house typography (corresp.typography)
    extension = ".print.pdf"
    description = "print edition for a printer: PDF/X-4 with trim and bleed boxes and an output intent"

    def export(self, edition: Edition, path: Path, options: ExportOptions) -> None:
        build_pdf(edition, Path(path), options, PrintVariant.from_style(options.style_dir))
