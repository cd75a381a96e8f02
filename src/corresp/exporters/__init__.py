"""Exporters: one module per format, found through the `corresp.exporters` entry-point group.

An exporter is a class with `name`, `extension`, `description` and
`export(edition, path, options)`; the loading is `corresp.plugins`', shared with the readers.
One that sets `presents_text = True` (the PDF, EPUB, DOCX, web edition: formats a reader
reads) is given the edition in house typography (`corresp.typography`), the others (JSON,
TEI, CMIF) the source's characters. It writes exactly one file at `path` (a temporary path:
the pipeline renames it into place only when the exporter succeeded, so a failed build
never leaves a truncated file) — or, when the class sets `folder = True`, one folder at
`path` that it creates (`NAME.web/`: a static site), published whole in the same way.
An exporter that sets `by_default = False` is built only when asked for (`-f web`). Built-in exporters are registered through the same entry
points as third-party ones, so `pip install corresp-foo` adds a format. A duplicate name
is an error; a plugin that fails to load is reported and skipped, not fatal to the rest.
"""
from __future__ import annotations

import os
import re
from contextlib import ExitStack
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from importlib.resources import as_file, files
from pathlib import Path
from typing import Optional, Protocol, runtime_checkable

from .. import plugins
from ..errors import ConfigError
from ..model import Edition
from ..numbering import NoteNumbers, Scheme
from ..plugins import Plugins

GROUP = "corresp.exporters"
DEFAULT_SOURCE_DATE_EPOCH = 1767225600  # 2026-01-01T00:00:00Z: fixed so builds reproduce
EPOCH_RANGE = (315532800, 4354819199)  # 1980-01-01 .. 2107-12-31 UTC: what a zip's timestamps can hold


def source_date_epoch() -> int:
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return DEFAULT_SOURCE_DATE_EPOCH
    try:
        seconds = int(value)
    except ValueError:
        raise ConfigError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {value[:40]!r}") from None
    if not EPOCH_RANGE[0] <= seconds <= EPOCH_RANGE[1]:
        raise ConfigError(f"SOURCE_DATE_EPOCH {seconds} is out of range: the EPUB and DOCX are zip files, "
                          "which can hold dates from 1980 to 2107 only "
                          f"({EPOCH_RANGE[0]}..{EPOCH_RANGE[1]})")
    return seconds


# The parts of a style folder; each one a folder lacks is taken from the defaults.
STYLE_PARTS = ("pdf.toml", "epub.css", "reference.docx", "typography.toml", "fonts")
_resources = ExitStack()  # keeps the defaults extracted for the process if the package is zipped
_defaults: Optional[Path] = None


def default_style_dir() -> Path:
    """The default style shipped inside the package (`corresp/styles/`), found through
    importlib.resources: the same in a checkout, an editable install, a wheel or an sdist."""
    global _defaults
    if _defaults is None:
        _defaults = Path(_resources.enter_context(as_file(files("corresp") / "styles")))
    return _defaults


def style_file(style_dir: Optional[Path], name: str) -> Path:
    """`name` (say "epub.css" or "fonts/X.ttf") from `style_dir` if it holds it, else the
    default one: a style folder may hold any subset of the parts."""
    if style_dir is not None:
        mine = Path(style_dir) / name
        if mine.is_file():
            return mine
    return default_style_dir() / name


def check_style_dir(style_dir: Optional[Path]) -> None:
    """A named style folder must exist; an empty one is legal (all defaults)."""
    if style_dir is not None and not Path(style_dir).is_dir():
        raise ConfigError("the style folder does not exist (it may hold any of "
                          f"{', '.join(STYLE_PARTS)}; `corresp styles --dump DIR` writes the defaults)",
                          str(style_dir))


@dataclass
class ExportOptions:
    notes: Scheme = "per-document"
    style_dir: Path = field(default_factory=default_style_dir)
    source_date_epoch: int = field(default_factory=source_date_epoch)
    warnings: list[str] = field(default_factory=list)  # exporters append human-readable warnings
    # Where the edition will be published ("https://example.org/letters/", edition.toml's
    # base_url): the web edition's permanent URLs and the CMIF's letter @ref. None: unknown.
    base_url: Optional[str] = None
    # The printed pages (pdf_shared.PrintPages) when this build laid the PDF out already:
    # the EPUB's page list uses them instead of laying the book out again.
    print_pages: Optional[object] = None
    typography: Optional[bool] = None  # edition.toml's `typography`: on or off whatever the style says
    # Cores the build leaves idle while the exporter runs (set by build.export_all: a build of
    # one format on a two-core machine leaves one), which an exporter may use for work aside.
    spare_cores: int = 0
    # (the edition in house typography, the characters each of its chapters prints): read by
    # the build's check of the PDF's faces (build.check_faces), for the PDF's glyph check.
    printed_characters: Optional[tuple] = field(default=None, repr=False, compare=False)
    # The edition as the presentation formats print it, made once a build (corresp.typography).
    typeset_cache: dict = field(default_factory=dict, repr=False, compare=False)

    def numbers(self, edition: Edition) -> NoteNumbers:
        return NoteNumbers(edition, self.notes)


@runtime_checkable
class Exporter(Protocol):
    name: str  # (optional: presents_text = True, to be given the edition in house typography)
    extension: str
    description: str

    def export(self, edition: Edition, path: Path, options: ExportOptions) -> None: ...


def presents_text(exporter) -> bool:
    """Does the format print the text for readers (and so take it in house typography)?"""
    return getattr(exporter, "presents_text", False) is True


class Registry(Plugins[Exporter]):
    @property
    def exporters(self) -> dict[str, Exporter]:
        return self.found


_cache: Optional[Registry] = None

# The order formats are built and listed in, when installed; others follow by name.
_PREFERRED = ("json", "epub", "pdf", "docx")
_EXTENSION = re.compile(r"(\.[A-Za-z0-9_-]+)+")  # .pdf, .tei.xml: no separators, no `..`


def _check(exporter) -> None:
    ext = getattr(exporter, "extension", None)
    if not isinstance(ext, str) or not _EXTENSION.fullmatch(ext):
        raise RuntimeError(f"its extension {ext!r} is not of the form .something (no separators)")


def registry(reload: bool = False) -> Registry:
    """The built-in exporters first, then plugins (`corresp.plugins`: the same loading as
    the readers')."""
    global _cache
    if _cache is None or reload:
        found, problems = plugins.load(entry_points(group=GROUP), "exporter", Exporter,
                                       "name, extension, description and export()", _PREFERRED, _check)
        _cache = Registry("exporter", found, problems, unknown="unknown format {name!r} (registered: {known})")
    return _cache


def writes_folder(exporter: Exporter) -> bool:
    """Whether the exporter writes a folder (`folder = True`) rather than one file."""
    return getattr(exporter, "folder", False) is True


def check_extensions(exporters: list[Exporter]) -> None:
    """Two formats of one build must not write the same file."""
    seen: dict[str, str] = {}
    for e in exporters:
        other = seen.setdefault(e.extension.lower(), e.name)
        if other != e.name:
            raise ConfigError(f"formats {other!r} and {e.name!r} both write {e.extension!r} files; "
                              "build them separately (-f) or into different folders")
