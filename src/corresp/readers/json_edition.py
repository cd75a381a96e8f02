"""The `json` reader: the JSON edition corresp writes (`-f json`), recognised by its
`schema_version`, read back with every edit checked (`exporters.json_edition`)."""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from ..diagnostics import Diagnostic
from ..model import Edition



class JsonReader:
    name = "json"
    description = "JSON edition written by corresp (recognised by its schema_version)"

    def recognises(self, path: Path, head: bytes) -> bool:
        stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        # The writer puts schema_version first. A .json file without it (or not an object)
        # is still given to this reader, which says what it lacks, rather than to the parser.
        if stripped.startswith(b"{") and b'"schema_version"' in head:
            return True
        return path.suffix.lower() == ".json" and stripped[:1] in (b"{", b"[")

    def read(self, paths: Sequence[Path], **edition_fields) -> tuple[Edition, list[Diagnostic]]:
        from ..exporters.json_edition import read_json_file
        (path,) = paths
        diagnostics: list[Diagnostic] = []  # the notes an edit had numbered again (info)
        edition = read_json_file(Path(path), diagnostics)
        if edition_fields:
            edition = _override(edition, edition_fields)
        return edition, diagnostics


def _override(edition: Edition, fields: dict) -> Edition:
    """Command-line and edition.toml fields (title, language, ...) win over the file's."""
    known = {k: v for k, v in fields.items() if k in Edition.model_fields and v is not None}
    return edition.model_copy(update=known)
