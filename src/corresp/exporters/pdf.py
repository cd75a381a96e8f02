"""The print edition: a PDF book set with reportlab, with real page-bottom footnotes.

The pieces live in `pdf_parts`: `style` reads pdf.toml, `fonts` registers the embedded
TrueType faces, `footnotes` does the note layout, `layout` the pages (running heads,
outline, contents numbers) and `story` turns the edition into flowables.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from reportlab import rl_config
from reportlab.platypus.doctemplate import LayoutError

from ..errors import ConfigError, ExportError
from ..model import Edition
from . import ExportOptions
from .pdf_parts.fonts import missing_glyphs, register_fonts
from .pdf_parts.ahead import DeflateAhead, deflate_ahead
from .pdf_parts.footnotes import FootnoteArea, NoteLook
from .pdf_parts.prebreak import PreBreaker
from .pdf_parts.hyphenate import hyphenator_for
from .pdf_parts.words import printable
from .pdf_parts.layout import BookTemplate
from .pdf_parts.story import StoryBuilder, contents_label, make_styles, printed_characters
from .pdf_parts.style import load_style
from .pdf_parts import metadata, serialize
from .pdf_parts.tagging import StructTree

PRODUCER = "corresp (reportlab)"


def build_pdf(edition: Edition, path: Path, options: ExportOptions, variant=None) -> BookTemplate:
    """Lay out and write the book; returns the template, whose `footnotes.note_pages` and
    `pages_of` tell where things landed (tests and diagnostics use them).

    The book is a tagged PDF (PDF/UA-1: structure tree, marked content, XMP). `variant`
    (pdf_print.PrintVariant) makes the print edition instead: PDF/X-4, no links."""
    spare = options.spare_cores > 0  # (then lines are broken and streams deflated ahead, on that core)
    doc = lay_out_pdf(edition, options, variant, prebreak=spare, ahead=deflate_ahead() if spare else None)
    try:
        save_pdf(doc, path)
    finally:
        if doc.ahead is not None:
            doc.ahead.close()
    return doc


def save_pdf(doc: BookTemplate, path: Path) -> None:
    """Write a book laid out by `lay_out_pdf` (once: writing finishes the document), with
    the pages' streams deflated ahead if they were (`doc.ahead`, pdf_parts/ahead.py)."""
    doc.filename = doc.canv._filename = str(path)
    serialize.install(doc.canv._doc, doc.ahead.deflated if doc.ahead is not None else None)
    try:
        doc.canv.save()
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None


def _glyph_warnings(edition: Edition, options: ExportOptions, fonts) -> list[str]:
    """The characters the edition prints that the faces lack. Each character once, then made
    printable: printable() maps character by character, so this is the set it leaves of the
    whole text, without running it over five million characters. (The build's check of the
    faces has read the chapters already: their characters are on the options, or posted
    by the build's process while this one laid the book out, build.check_faces.)"""
    known = options.printed_characters
    chapters = None
    if known is not None and known[0] is edition:
        chapters = known[1]
        if not isinstance(chapters, list):  # publish.Posted: the text, if posted by now
            posted = chapters.get()
            chapters = None if posted is None else [posted]
    missing = missing_glyphs(fonts, [printable("".join(printed_characters(edition, chapters)))])
    if not missing:
        return []
    return ["pdf: the font lacks " + " ".join(f"{c} (U+{ord(c):04X})" for c in missing)
            + "; they print as empty boxes"]


def xmp_fields(edition: Edition, options: ExportOptions, variant=None) -> dict:
    """The XMP packet's fields: the same for both PDFs but the ISBN (`pdf` or `print`)."""
    pub = edition.publication
    isbn = (pub.isbn.get("pdf" if variant is None else "print") if pub else None)
    isbn = isbn.replace("-", "") if isbn else None
    return dict(title=edition.title, authors=list(edition.editors), subject=edition.subtitle or "",
                language=edition.language, epoch=options.source_date_epoch, creator="corresp",
                producer=PRODUCER, publisher=pub.publisher if pub else None,
                rights=pub.rights if pub else None, identifier=f"urn:isbn:{isbn}" if isbn else None,
                published=pub.date if pub else None)


def lay_out_pdf(edition: Edition, options: ExportOptions, variant=None, prebreak: bool = False,
                ahead: Optional[DeflateAhead] = None) -> BookTemplate:
    """The book drawn page by page but not yet written (`save_pdf` writes it): the layout
    the PDF, the print PDF (`exporters.pdf_shared`) and the EPUB's page list share. Its
    warnings are added to `options.warnings` and kept in `doc.warnings`. `prebreak`: the
    paragraphs' lines are broken ahead by another process while the pages are made
    (pdf_parts/prebreak.py: for where the build leaves a core idle); `ahead`: that process
    then deflates the pages' streams as they are shown (pdf_parts/ahead.py; it is
    `doc.ahead` if it was started, closed if not)."""
    # Binary streams instead of ASCII85 text: 11% smaller files, 7% faster (bench/), and no
    # reader since PDF 1.0 needs ASCII-only streams.
    rl_config.useA85 = 0
    style = load_style(options.style_dir)
    fonts = register_fonts(style)
    warnings: list[str] = []
    try:
        hyphenator = hyphenator_for(style.text.hyphenate, edition.language)
    except ValueError as exc:
        raise ConfigError(f"[text] hyphenate: {exc}", file=style.source) from None
    styles = make_styles(style, fonts, hyphenator)
    n = style.notes
    footnotes = FootnoteArea(NoteLook(styles["note"], n.rule_length, n.rule_thickness, n.space_above_rule,
                                      n.space_below_rule, n.space_between, n.max_continued_fraction))
    contents = contents_label(style, edition.language)
    pages: dict[str, int] = {}  # landmark key -> page, filled by the layout, read by the index
    tree = StructTree(edition.language, links=variant is None)
    story = StoryBuilder(edition, options.numbers(edition), styles, footnotes, contents,
                         number_width=3 * style.text.size, pages=pages, tree=tree,
                         text_width=style.page.width - style.page.inner_margin - style.page.outer_margin).build()
    # On a spare core, the paragraphs' lines are broken ahead while the pages are made
    # (pdf_parts/prebreak.py).
    breaker = PreBreaker() if prebreak else None
    if breaker is not None and not breaker.start(story, style.page.width - style.page.inner_margin
                                                 - style.page.outer_margin, footnotes, then=ahead):
        breaker = None
    if ahead is not None and breaker is None:
        ahead.close()
        ahead = None
    packet = xmp_fields(edition, options, variant)
    if variant is None:
        finishers = [lambda canv: metadata.attach(canv, metadata.xmp_packet(**packet))]
    else:
        finishers = variant.finishers(style, packet)
    doc = BookTemplate("", style, fonts, footnotes, title=edition.title,
                       author="; ".join(edition.editors), subject=edition.subtitle or "",
                       lang=edition.language, epoch=options.source_date_epoch,
                       contents_label=contents, tree=tree, finishers=finishers,
                       canvas_setup=variant.setup_canvas if variant is not None else None)
    doc.pages_of = pages
    doc.style_sheet, doc.variant, doc.ahead = style, variant, ahead
    doc._doSave = 0  # reportlab's build would write the file: save_pdf does
    laid_out = False
    try:
        doc.build(story)
        laid_out = True
    except LayoutError as exc:
        raise ExportError(f"PDF layout failed: {str(exc).splitlines()[0]}") from None
    finally:
        if breaker is not None:
            breaker.close(hand_over=laid_out and ahead is not None)
            footnotes.prebroken = None
        if ahead is not None:
            if laid_out:
                ahead.finish()
            else:
                ahead.close()
    warnings[:0] = _glyph_warnings(edition, options, fonts)
    warnings += [f"pdf: {w}" for w in footnotes.warnings]
    if doc.overlaps:  # a layout bug, not a property of the input: say so loudly
        warnings.append(f"pdf: text runs into the notes on pages {doc.overlaps}")
    misplaced = doc.misplaced_notes()
    if misplaced and not footnotes.warnings:
        warnings.append(f"pdf: {len(misplaced)} notes do not start on their marker's page")
    doc.warnings = warnings
    options.warnings.extend(warnings)
    return doc


class PdfExporter:
    name = "pdf"
    presents_text = True  # given the edition in house typography (corresp.typography)
    extension = ".pdf"
    description = "print edition: a book with page-bottom footnotes, contents and outline (reportlab)"

    def export(self, edition: Edition, path: Path, options: ExportOptions) -> None:
        build_pdf(edition, Path(path), options)
