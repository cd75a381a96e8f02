"""Registering the style's TrueType faces with reportlab and checking their coverage.

reportlab embeds (subsets) TrueType fonts, so the PDF needs no fonts on the reader's machine.
A character the face lacks would print as an empty box; we find those before the build
and report them as warnings, because silently shipping boxes is worse than a message.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Iterable

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

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


def register_fonts(style: PdfStyle) -> FontSet:
    """Register the four faces as one family; names depend on the files so two styles
    with different fonts can be built in one process without clobbering each other."""
    paths = style.fonts
    digest = hashlib.sha1("|".join(str(getattr(paths, k)) for k in
                                   ("regular", "italic", "bold", "bold_italic")).encode()).hexdigest()[:8]
    names = {}
    for key in ("regular", "italic", "bold", "bold_italic"):
        path = getattr(paths, key)
        name = f"CorrespSerif-{key}-{digest}"
        if name not in pdfmetrics.getRegisteredFontNames():
            if not path.is_file():
                raise ConfigError(f"the PDF style's {key} font {path} does not exist", file=style.source)
            try:
                pdfmetrics.registerFont(TTFont(name, str(path)))
            except (TTFError, OSError) as exc:
                raise ConfigError(f"cannot use {path} as the {key} font: {exc}", file=style.source) from None
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
    cmaps = [set(pdfmetrics.getFont(n).face.charToGlyph) for n in names.values()]
    return FontSet(cmap=frozenset(set.intersection(*cmaps)), **names)


def missing_glyphs(fonts: FontSet, texts: Iterable[str]) -> list[str]:
    """Characters of `texts` (and of REQUIRED) that some face of the set cannot print."""
    seen: set[str] = set(REQUIRED)
    for t in texts:
        seen.update(t)
    return sorted(c for c in seen if c.isprintable() and not c.isspace() and ord(c) not in fonts.cmap)
