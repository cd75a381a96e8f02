"""The print edition's settings: `pdf.toml` of the style folder, laid over built-in defaults.

The defaults equal the shipped corresp/styles/pdf.toml, so a style folder may hold a partial file
(say, only `[page]`) and still build. Lengths become points here; font paths become
absolute paths resolved against the folder of the file that named them.
"""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from ...errors import ConfigError

# Every section and key with its default and kind ("length", "number", "font", "text").
DEFAULTS: dict[str, dict[str, tuple[str, Any]]] = {
    "page": {
        "width": ("length", "156mm"), "height": ("length", "234mm"),
        "inner_margin": ("length", "24mm"), "outer_margin": ("length", "22mm"),
        "top_margin": ("length", "20mm"), "bottom_margin": ("length", "20mm"),
        "head_gap": ("length", "7mm"), "folio_gap": ("length", "10mm"),
    },
    "fonts": {
        "regular": ("font", "fonts/LiberationSerif-Regular.ttf"),
        "italic": ("font", "fonts/LiberationSerif-Italic.ttf"),
        "bold": ("font", "fonts/LiberationSerif-Bold.ttf"),
        "bold_italic": ("font", "fonts/LiberationSerif-BoldItalic.ttf"),
    },
    "text": {
        "size": ("number", 10.5), "leading": ("number", 13.5), "indent": ("length", "5mm"),
        "enclosure_indent": ("length", "8mm"), "enclosure_size": ("number", 9.5),
        "enclosure_leading": ("number", 12), "small_size": ("number", 8.5),
        "small_leading": ("number", 10.5), "document_space": ("number", 16),
        "hyphenate": ("text", "auto"),
    },
    "headings": {
        "title_size": ("number", 22), "subtitle_size": ("number", 13),
        "chapter_size": ("number", 15), "document_size": ("number", 11),
        "running_head_size": ("number", 8.5),
    },
    "notes": {
        "size": ("number", 8.5), "leading": ("number", 10.2), "indent": ("length", "4mm"),
        "rule_length": ("length", "25mm"), "rule_thickness": ("number", 0.4),
        "space_above_rule": ("number", 7), "space_below_rule": ("number", 3),
        "space_between": ("number", 1.5), "max_continued_fraction": ("number", 0.6),
    },
    "labels": {"contents": ("text", "")},
}

_UNITS = {"pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0}
_LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(pt|mm|cm|in)?\s*$")


def _length(value: Any, where: str) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    m = _LENGTH.match(value) if isinstance(value, str) else None
    if not m:
        raise ConfigError(f"{where}: {value!r} is not a length (use points or e.g. \"12mm\", \"1in\")")
    return float(m.group(1)) * _UNITS[m.group(2) or "pt"]


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ConfigError(f"{where}: {value!r} is not a non-negative number")
    return float(value)


@dataclass
class PdfStyle:
    page: SimpleNamespace
    fonts: SimpleNamespace  # absolute Paths
    text: SimpleNamespace
    headings: SimpleNamespace
    notes: SimpleNamespace
    labels: SimpleNamespace
    source: str  # the file the settings came from, for messages


def default_style_file() -> Path:
    """The pdf.toml shipped in the package (corresp/styles/; its fonts live next to it)."""
    from .. import default_style_dir
    return default_style_dir() / "pdf.toml"


def load_style(style_dir: Path) -> PdfStyle:
    """Read style_dir/pdf.toml over the defaults; without one, the shipped style is used."""
    base = default_style_file()
    style_dir = Path(style_dir) if style_dir is not None else base.parent
    user_file = style_dir / "pdf.toml"
    layers: list[tuple[Path, dict]] = []
    for f in dict.fromkeys([base, user_file]):  # the shipped file first, then the user's
        if f.is_file():
            try:
                layers.append((f, tomllib.loads(f.read_text(encoding="utf-8"))))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                raise ConfigError(f"cannot read the PDF style: {exc}", file=str(f)) from None
    sections: dict[str, dict[str, Any]] = {}
    for name, keys in DEFAULTS.items():
        values: dict[str, Any] = {}
        for key, (kind, default) in keys.items():
            raw, folder = default, base.parent
            for f, data in layers:
                if key in data.get(name, {}):
                    raw, folder = data[name][key], f.parent
            where = f"{user_file.name} [{name}] {key}"
            if kind == "length":
                values[key] = _length(raw, where)
            elif kind == "number":
                values[key] = _number(raw, where)
            elif kind == "font":
                path = folder / str(raw)
                if folder == base.parent and style_dir != base.parent and (style_dir / str(raw)).is_file():
                    # A default face the style folder holds under the same name (fonts/...):
                    # a folder may replace the fonts without a pdf.toml.
                    path = style_dir / str(raw)
                elif folder != base.parent and not os.path.lexists(path) and (base.parent / str(raw)).is_file():
                    # A default face a style's pdf.toml names (as `corresp styles --dump`
                    # writes it) but its folder does not hold at all: the default's file.
                    # (A folder or a looping link by that name is an error, not replaced.)
                    path = base.parent / str(raw)
                values[key] = Path(os.path.realpath(path))  # never raises on a link loop
            else:
                values[key] = str(raw)
        sections[name] = values
    for f, data in layers:
        for name, table in data.items():
            unknown = sorted(set(table) - set(DEFAULTS.get(name, {}))) if isinstance(table, dict) else []
            if name not in DEFAULTS or unknown:
                what = f"[{name}]" if name not in DEFAULTS else f"[{name}] {', '.join(unknown)}"
                raise ConfigError(f"unknown PDF style setting {what}", file=str(f))
    _check_geometry(sections, str(user_file))
    return PdfStyle(**{k: SimpleNamespace(**v) for k, v in sections.items()},
                    source=str(layers[-1][0]) if layers else "built-in defaults")


def _check_geometry(s: dict[str, dict[str, Any]], where: str) -> None:
    page = s["page"]
    text_w = page["width"] - page["inner_margin"] - page["outer_margin"]
    text_h = page["height"] - page["top_margin"] - page["bottom_margin"]
    if text_w < 72 or text_h < 144:
        raise ConfigError(f"the text block is too small ({text_w:.0f} x {text_h:.0f} pt); "
                          "check [page] sizes and margins", file=where)
    frac = s["notes"]["max_continued_fraction"]
    if not 0.1 <= frac <= 0.9:
        raise ConfigError("[notes] max_continued_fraction must be between 0.1 and 0.9", file=where)
    for section, size, leading in (("text", "size", "leading"), ("notes", "size", "leading"),
                                   ("text", "small_size", "small_leading"),
                                   ("text", "enclosure_size", "enclosure_leading")):
        if not 4 <= s[section][size] <= s[section][leading] * 1.01:
            raise ConfigError(f"[{section}] {size} must be at least 4 and not larger than {leading}",
                              file=where)
