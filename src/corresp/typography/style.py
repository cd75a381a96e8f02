"""`typography.toml` in a style folder: whether the presentation formats are set in house
style, and how.

    enabled = true          # false: the PDF, EPUB and DOCX print the source's characters
    english_dash = "closed" # a spaced hyphen in English: "closed" (word—word) or "spaced" (word — word)

A folder without the file takes these defaults; Russian always has its spaced dash.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Optional

from ..errors import ConfigError

FILE = "typography.toml"
DASHES = ("closed", "spaced")


@dataclass(frozen=True)
class TypographyStyle:
    enabled: bool = True
    english_dash: str = "closed"
    source: Optional[Path] = None

    def with_enabled(self, enabled: bool) -> "TypographyStyle":
        return replace(self, enabled=bool(enabled))


def load_typography(style_dir: Optional[Path]) -> TypographyStyle:
    """The style folder's typography.toml, checked (each failure one line, exit 3), or the
    default one (`corresp/styles/typography.toml`)."""
    from ..exporters import style_file
    from ..validate import read_toml
    path = style_file(style_dir, FILE)
    if not path.is_file():
        return TypographyStyle()
    data = read_toml(path)
    unknown = sorted(set(data) - {"enabled", "english_dash"})
    if unknown:
        raise ConfigError(f"unknown setting {unknown[0]!r} (known: enabled, english_dash)", str(path))
    enabled = data.get("enabled", True)
    if not isinstance(enabled, bool):
        raise ConfigError(f"enabled must be true or false, not {enabled!r}", str(path))
    dash = data.get("english_dash", "closed")
    if dash not in DASHES:
        raise ConfigError(f"english_dash must be one of {', '.join(DASHES)}, not {dash!r}", str(path))
    return TypographyStyle(enabled, dash, path)
