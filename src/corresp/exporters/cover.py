"""A cover drawn from the edition's words, for an EPUB whose edition.toml gives none.

Retailers refuse an e-book without a cover, and ask a raster image of at least 1600 × 2560
px (1:1.6). This one is a plain typographic cover: the series above, the title (as large as
fits), the subtitle, the editors and the publisher below, in the style's own faces (the
PDF's `[fonts]`, so the cover and the book share their type). Pillow draws it; the PNG
holds no date or metadata, so equal input gives equal bytes (reproducible builds).
"""
from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Optional

from ..errors import ConfigError, ExportError
from ..i18n import words
from ..imprint import imprint
from ..metadata import publication
from ..model import Edition

WIDTH, HEIGHT = 1600, 2560
MARGIN = 170
GROUND = (38, 52, 66)  # slate: reads as a thumbnail, prints as a flat colour
INK = (244, 237, 222)  # warm paper white
ACCENT = (196, 160, 98)  # the rules: muted gold


def _faces(style_dir: Optional[Path]) -> dict[str, Path]:
    """The style's regular, italic and bold faces (its pdf.toml `[fonts]`), else the defaults."""
    from .pdf_parts.style import DEFAULTS, load_style
    from . import default_style_dir
    try:
        fonts = load_style(style_dir).fonts
        return {k: Path(getattr(fonts, k)) for k in ("regular", "italic", "bold")}
    except ConfigError:  # a broken pdf.toml is reported by the PDF build; the cover uses the defaults
        return {k: default_style_dir() / DEFAULTS["fonts"][k][1] for k in ("regular", "italic", "bold")}


def _visual(text: str) -> str:
    from .pdf_parts.bidi import has_rtl, visual
    return visual(text) if has_rtl(text) else text


_BREAKS = re.compile(r"[^\S\u00a0\u202f\u2007]+")  # whitespace but the no-break spaces


def _spaced(line: str) -> str:
    """The line as drawn: a no-break space is a space once the line is set (not every face
    has a glyph for the narrow one)."""
    return line.translate(_AS_SPACE)


_AS_SPACE = {0x00A0: " ", 0x202F: " ", 0x2007: " "}


def _wrap(text: str, font, width: float) -> list[str]:
    """Greedy lines of `text` no wider than `width` (a word wider than that stands alone).
    Lines break at ordinary spaces only: the house typography's no-break spaces hold an
    initial to its name (`L.\u00a0P.\u00a0Kosheleva`) and a short word to the next (`и\u00a0Каганович`)."""
    lines: list[str] = []
    for word in _BREAKS.split(text.strip()):
        if lines and font.getlength(_spaced(lines[-1] + " " + word)) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


FLOOR = 16  # px: below this nothing is shrunk further (a cover's text must stay legible)


def _fit(text: str, path: Path, size: int, width: float, max_lines: int, smallest: int):
    """The largest size from `size` down at which `text` takes at most `max_lines` lines and
    no word is wider than the measure: (font, lines). Below `smallest` only an overlong text
    goes on shrinking (to FLOOR), so that nothing runs off the cover."""
    from PIL import ImageFont
    while True:
        font = ImageFont.truetype(str(path), size)
        lines = _wrap(text, font, width)
        fits = all(font.getlength(_spaced(l)) <= width for l in lines)
        if size <= FLOOR or (fits and (len(lines) <= max_lines or size <= smallest and len(lines) <= 2 * max_lines)):
            return font, lines
        size -= 4 if size > smallest else 2


def _block(draw, lines: list[str], font, top: float, leading: float) -> float:
    """Centred lines from `top`; returns the baseline area's bottom."""
    for line in lines:
        shown = _visual(_spaced(line))
        draw.text((WIDTH / 2, top), shown, font=font, fill=INK, anchor="ma")
        top += leading
    return top


def cover_png(edition: Edition, style_dir: Optional[Path] = None) -> bytes:
    try:
        from PIL import Image, ImageDraw
    except ImportError:  # a dependency of corresp; say what is missing rather than fail obscurely
        raise ExportError("drawing the EPUB's cover needs Pillow (pip install Pillow), "
                          "or give `cover` in edition.toml") from None
    faces = _faces(style_dir)
    pub = publication(edition)
    measure = WIDTH - 2 * MARGIN
    image = Image.new("RGB", (WIDTH, HEIGHT), GROUND)
    draw = ImageDraw.Draw(image)
    # A frame inside the edge, as a cloth binding's blind rule.
    draw.rectangle((70, 70, WIDTH - 71, HEIGHT - 71), outline=ACCENT, width=4)

    y = 330.0
    if pub.series:
        font, lines = _fit(pub.series, faces["italic"], 64, measure, 2, 40)
        y = _block(draw, lines, font, y, 64 * 1.3) + 60
    else:
        y += 80
    draw.line((WIDTH / 2 - 160, y, WIDTH / 2 + 160, y), fill=ACCENT, width=5)
    y += 130
    font, lines = _fit(edition.title, faces["bold"], 150, measure, 6, 64)
    y = _block(draw, lines, font, y, font.size * 1.18)
    if edition.subtitle:
        y += 70
        font, lines = _fit(edition.subtitle, faces["italic"], 84, measure, 4, 44)
        y = _block(draw, lines, font, y, font.size * 1.3)
    y += 110
    draw.line((WIDTH / 2 - 160, y, WIDTH / 2 + 160, y), fill=ACCENT, width=5)

    # The editors stand low on the cover, the publisher at its foot.
    bottom = HEIGHT - 260
    if imprint(edition):
        font, lines = _fit(imprint(edition), faces["regular"], 56, measure, 2, 36)
        bottom -= len(lines) * 56 * 1.3
        _block(draw, lines, font, bottom, 56 * 1.3)
        bottom -= 120
    if edition.editors:
        font, lines = _fit(", ".join(edition.editors), faces["regular"], 72, measure, 4, 40)
        bottom -= len(lines) * font.size * 1.3
        _block(draw, lines, font, bottom, font.size * 1.3)
        caption, _ = _fit(words(edition.language)["edited_by"], faces["italic"], 52, measure, 1, 30)
        _block(draw, [words(edition.language)["edited_by"]], caption, bottom - 90, 0)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, compress_level=6)  # no tIME, no text chunks
    return out.getvalue()
