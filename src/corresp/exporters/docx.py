"""The DOCX edition, through pandoc: real Word footnotes, named styles, a navigation pane of
chapters (heading 1) and documents (headings based on heading 2).

The model becomes one pandoc JSON AST (docx_parts.pandoc_ast), pandoc runs once per edition
with the style's reference.docx (default: the package's corresp/styles/) as its style sheet
(docx_parts.pandoc_run), and lxml adds what pandoc cannot write: note labels from corresp.numbering as custom marks, and per-document
sections (docx_parts.postprocess). Regenerate the style sheet with tools/make_reference_docx.py.
"""
from __future__ import annotations

import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..errors import ExportError
from ..model import Edition
from ..gcpause import gc_paused
from . import ExportOptions, style_file
from .docx_parts import pandoc_run, splice
from .docx_parts.pandoc_ast import edition_ast
from .docx_parts.postprocess import W, postprocess
from .docx_parts.properties import edition_properties
from .docx_parts.source_part import source_item, source_of
from .docx_parts.styles import NAMED_STYLES

REFERENCE_DOCX = "reference.docx"


def reference_docx(options: ExportOptions) -> Path:
    """The style folder's reference.docx, else the default one shipped in the package."""
    chosen = style_file(options.style_dir, REFERENCE_DOCX)
    if chosen.is_file():
        return chosen
    raise ExportError(f"no {REFERENCE_DOCX} in {options.style_dir} nor among the defaults "
                      f"(make one with tools/make_reference_docx.py)")


def missing_styles(reference: Path) -> list[str]:
    """Named styles a (publisher-edited) reference.docx lacks: pandoc would add plain ones."""
    from lxml import etree
    try:
        with zipfile.ZipFile(reference) as z:
            styles = etree.fromstring(z.read("word/styles.xml"))
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        raise ExportError(f"{reference} is not a usable Word style sheet: {exc}") from None
    names = {el.get(W + "val") for el in styles.iter(W + "name")}
    return [name for name in NAMED_STYLES if name not in names]


class DocxExporter:
    name = "docx"
    presents_text = True  # given the edition in house typography (corresp.typography)
    extension = ".docx"
    description = "Word document through pandoc: real footnotes numbered as the edition says, named styles"

    def export(self, edition: Edition, path: Path, options: ExportOptions) -> None:
        reference = reference_docx(options)
        missing = missing_styles(reference)
        if missing:
            options.warnings.append(f"docx: {reference} defines no style {', '.join(missing)}; "
                                    "pandoc adds plain ones (regenerate with tools/make_reference_docx.py)")
        with gc_paused():
            # The plain paragraphs, the calendar's rows and the index's entries but the
            # first are written by docx_parts.splice, not pandoc (2.1 s of pandoc's 3.4 at 100x).
            built = edition_ast(edition, options.numbers(edition), pandoc_run.api_version(), splice.Paragraphs())
            cut = splice.cut(built.ast["blocks"], built.witnesses)
        with tempfile.TemporaryDirectory(prefix="corresp-docx-") as tmp:
            raw = Path(tmp) / "pandoc.docx"
            # pandoc runs in a thread that only waits for it, so the Python work that does
            # not need its output (the source part: 0.6 s of 4 at 100x) runs meanwhile, on
            # the other core; the thread's result re-raises pandoc's failure here.
            with ThreadPoolExecutor(1) as pool:
                pandoc = pool.submit(pandoc_run.json_to_docx, built.ast, raw, reference, options.source_date_epoch)
                with gc_paused():
                    # What the `docx` reader needs to give back the source's characters (source_part).
                    source = source_item(source_of(edition, options), options)
                pandoc.result()
            built.ast = {}  # read by pandoc: freed before the post-processing parses its output
            try:
                try:
                    self._postprocess(raw, path, built, edition, options, source, cut)
                except splice.Mismatch:
                    # A reference.docx with other style ids, or a pandoc writing tables
                    # otherwise: pandoc writes the whole AST, as it did before the splice.
                    with gc_paused():
                        built = edition_ast(edition, options.numbers(edition), pandoc_run.api_version())
                    pandoc_run.json_to_docx(built.ast, raw, reference, options.source_date_epoch)
                    built.ast = {}
                    self._postprocess(raw, path, built, edition, options, source, None)
            except OSError as exc:
                raise ExportError(f"cannot write {path}: {exc}") from None

    @staticmethod
    def _postprocess(raw: Path, path, built, edition: Edition, options: ExportOptions, source: bytes, cut) -> None:
        with gc_paused():
            postprocess(raw, Path(path), built.labels, options.notes == "per-document",
                        options.source_date_epoch, built.groups, edition_properties(edition), source, cut)
