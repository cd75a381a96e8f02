"""The `text` reader: the parser (`corresp.parse`), then the editors' corrections files."""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from ..diagnostics import Diagnostic
from ..model import Edition


class TextReader:
    name = "text"
    description = "plain-text edition of correspondence (the parser), with its .corrections.toml files"

    def recognises(self, path: Path, head: bytes) -> bool:
        return True  # the fallback: whatever no other reader claims

    def read(self, paths: Sequence[Path], corrections: Sequence[Path] = (),
             **edition_fields) -> tuple[Edition, list[Diagnostic]]:
        from ..corrections import apply_corrections_files
        from ..parse import read_edition
        edition, diagnostics = read_edition(list(paths), **edition_fields)
        return apply_corrections_files(edition, diagnostics, list(paths), list(corrections))
