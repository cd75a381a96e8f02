"""Registering the style's faces with reportlab and checking their coverage.

reportlab embeds (subsets) TrueType fonts, so the PDF needs no fonts on the reader's machine.
OpenType faces with PostScript (CFF) outlines, which reportlab cannot embed, are converted
to TrueType outlines with fontTools when loaded (cubic curves become quadratic ones, within
a thousandth of the em). A character the faces lack would print as an empty box: a letter
of the edition's alphabets (Latin, Greek, Cyrillic) is an error before the build
(`check_coverage`), anything else (a symbol, another script) a warning.
"""
from __future__ import annotations

import hashlib
import io
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from ...diagnostics import plural
from ...errors import ConfigError
from .style import PdfStyle

# Characters the edition's typography relies on (quotes, dashes, numero, Cyrillic ё).
REQUIRED = "“”‘’«»—–\u2010№ёЁАаЯя…"  # \u2010: the hyphen hyphenation adds


@dataclass(frozen=True)
class FontSet:
    regular: str
    italic: str
    bold: str
    bold_italic: str
    cmap: frozenset  # code points all four faces cover
    faces: dict = field(default_factory=dict, compare=False)  # key -> (font file, its code points)


def _is_cff(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(4) == b"OTTO"


def cff_to_truetype(path: Path) -> bytes:
    """An OpenType/CFF font as a TrueType font (glyf outlines), in memory."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont as FontToolsFont, newTable

    font = FontToolsFont(str(path))
    if "CFF " not in font:
        raise ValueError("an OpenType font without TrueType or CFF outlines (CFF2 is not supported)")
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    max_err = font["head"].unitsPerEm / 1000
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        # CFF contours run counter-clockwise, TrueType ones clockwise.
        glyph_set[name].draw(Cu2QuPen(pen, max_err, reverse_direction=True))
        glyphs[name] = pen.glyph()
    del font["CFF "]
    for tag in ("VORG",):
        if tag in font:
            del font[tag]
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyphs.items():  # left side bearings follow the new outlines
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion, maxp.maxZones = 0x00010000, 1
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType, post.extraNames, post.mapping, post.glyphOrder = 2.0, [], {}, order
    font.sfntVersion = "\x00\x01\x00\x00"
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


# Bump when cff_to_truetype changes its output: converted faces are cached by content.
_CONVERSION = b"cu2qu-1"


def _cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "corresp" / "fonts"


def truetype_outlines(path: Path) -> bytes:
    """cff_to_truetype(path), kept in the user's cache (a book face takes seconds to convert;
    the result depends only on the file's bytes). An unwritable cache only costs time."""
    data = Path(path).read_bytes()
    cached = _cache_dir() / f"{hashlib.sha256(_CONVERSION + data).hexdigest()}.ttf"
    # A cached face ends with the SHA-256 of what precedes it: a file cut short (a full
    # disk, a killed process, a hand edit) is converted again, never trusted.
    try:
        kept = cached.read_bytes()
        if len(kept) > 32 and hashlib.sha256(kept[:-32]).digest() == kept[-32:]:
            return kept[:-32]
        cached.unlink()
    except OSError:
        pass
    converted = cff_to_truetype(path)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_name(f".{cached.name}.{os.getpid()}.tmp")
        tmp.write_bytes(converted + hashlib.sha256(converted).digest())
        os.replace(tmp, cached)
    except OSError:
        pass
    return converted


def _load_face(name: str, path: Path) -> TTFont:
    if _is_cff(path):
        try:
            data = truetype_outlines(path)
        except OSError:
            raise
        except Exception as exc:  # fontTools raises many kinds on a broken file
            raise TTFError(f"cannot convert its PostScript (CFF) outlines: {exc}") from None
        return TTFont(name, io.BytesIO(data))
    return TTFont(name, str(path))


def register_fonts(style: PdfStyle) -> FontSet:
    """Register the four faces as one family; names depend on the files so two styles
    with different fonts can be built in one process without clobbering each other."""
    from ...files import check_regular
    paths = style.fonts
    digest = hashlib.sha1("|".join(str(getattr(paths, k)) for k in
                                   ("regular", "italic", "bold", "bold_italic")).encode()).hexdigest()[:8]
    names = {}
    for key in ("regular", "italic", "bold", "bold_italic"):
        path = getattr(paths, key)
        name = f"CorrespSerif-{key}-{digest}"
        if name not in pdfmetrics.getRegisteredFontNames():
            if not os.path.lexists(path):
                raise ConfigError(f"the PDF style's {key} font {path} does not exist", file=style.source)
            check_regular(path, "font", ConfigError, f"{style.source}: the {key} font {path}")
            try:
                face = _load_face(name, path)
            except (TTFError, OSError) as exc:
                raise ConfigError(f"cannot use {path} as the {key} font: {exc}", file=style.source) from None
            # reportlab keeps one font per PostScript name and would hand back an earlier
            # face of that name (another style's, or the default) instead of this file's.
            if face.face.name in pdfmetrics._dynFaceNames:
                face.face.name += f"-{digest}".encode()
            pdfmetrics.registerFont(face)
        names[key] = name
    family = f"CorrespSerif-{digest}"
    addMapping(family, 0, 0, names["regular"])
    addMapping(family, 0, 1, names["italic"])
    addMapping(family, 1, 0, names["bold"])
    addMapping(family, 1, 1, names["bold_italic"])
    # The regular face names the family in paragraph markup (<i>, <b> map through it).
    addMapping(names["regular"], 0, 0, names["regular"])
    addMapping(names["regular"], 0, 1, names["italic"])
    addMapping(names["regular"], 1, 0, names["bold"])
    addMapping(names["regular"], 1, 1, names["bold_italic"])
    # A character counts as covered only if every face has it (notes and heads use italic).
    cmaps = {key: frozenset(pdfmetrics.getFont(n).face.charToGlyph) for key, n in names.items()}
    return FontSet(cmap=frozenset.intersection(*cmaps.values()), **names,
                   faces={key: (getattr(paths, key), cmaps[key]) for key in names})


def missing_glyphs(fonts: FontSet, texts: Iterable[str]) -> list[str]:
    """Characters of `texts` (and of REQUIRED) that some face of the set cannot print."""
    seen: set[str] = set(REQUIRED)
    for t in texts:
        seen.update(t)
    return sorted(c for c in seen if c.isprintable() and not c.isspace() and ord(c) not in fonts.cmap)


def _alphabetic(ch: str) -> bool:
    """A letter or digit of the alphabets an edition is written in (Latin, Greek, Cyrillic)."""
    code = ord(ch)
    return unicodedata.category(ch)[0] in "LN" and (code < 0x0530 or 0x1E00 <= code < 0x2000)


def check_coverage(fonts: FontSet, used: Iterable[tuple[Optional[str], set]], source: str) -> None:
    """Raise ConfigError when a face lacks letters the edition prints, naming the face, the
    first missing characters and the source that uses the first of them. `used` holds
    (source file, the set of characters it prints) pairs."""
    used = [(file, {ch for ch in chars if _alphabetic(ch)}) for file, chars in used]
    for key, (path, cmap) in fonts.faces.items():
        missing = sorted({ch for _, chars in used for ch in chars if ord(ch) not in cmap})
        if not missing:
            continue
        shown = " ".join(f"{c} (U+{ord(c):04X})" for c in missing[:8])
        more = f" and {len(missing) - 8} more" if len(missing) > 8 else ""
        first = next((file for file, chars in used if missing[0] in chars and file), None)
        raise ConfigError(f"the {key} font {path} lacks {plural(len(missing), 'character')} the edition "
                          f"needs: {shown}{more}" + (f" (used in {first})" if first else "")
                          + "; choose faces that cover them in [fonts] of pdf.toml", file=source)
