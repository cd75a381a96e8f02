"""The pipeline: read the sources, write the edition whole or not at all, report what was done.

Every format is written to a temporary file beside its target; all are renamed into place
only when every exporter succeeded (`corresp.publish`), so a failed or interrupted build
leaves the previous edition complete, never a truncated file or a mix of two editions.
"""
from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

from .diagnostics import Diagnostic, plural, sort_diagnostics
from .errors import ConfigError, ExportError, Interrupted
from .i18n import missing_language_warning
from .exporters import ExportOptions, check_extensions, check_style_dir, presents_text, registry
from . import typography, validate
from .gcpause import gc_paused
from .model import Edition
from .readers import read_sources


@dataclass
class BuildResult:
    edition: Edition
    diagnostics: list[Diagnostic]
    written: list[Path] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        docs = len(self.edition.documents)
        notes = sum(len(d.footnotes) for d in self.edition.documents) + sum(len(c.notes) for c in self.edition.chapters)
        files = ", ".join(p.name for p in self.written)
        return (f"{plural(docs, 'document')}, {plural(notes, 'note')}, {plural(len(self.written), 'file')} "
                f"({files}) in {self.seconds:.1f} s")


def safe_name(name: str) -> str:
    """The output base name: a plain file name, never a path out of the output folder."""
    if not name or name in (".", "..") or re.search(r"[/\\\x00]", name) or name.startswith("."):
        raise ConfigError(f"--name must be a plain file name without folders, not {name!r}")
    return name


def default_name(inputs: Sequence[Path]) -> str:
    # A TEI edition read back (`1935-08.tei.xml`) gives `1935-08`, like its text source.
    return Path(inputs[0]).stem.removesuffix(".tei") if len(inputs) == 1 else "edition"


def export_one(edition: Edition, fmt: str, out_dir: Path, name: str, options: ExportOptions) -> Path:
    """Write one format into place (an edition of one format: see export_all)."""
    return export_all(edition, [fmt], out_dir, name, options)[0]


# Relative export times measured by bench/ (TEI the longest of the formats in the source's
# characters: it is written while the parent makes the typeset edition).
_COST = {"pdf": 4, "pdf-print": 4, "docx": 3, "epub": 2, "tei": 1.5, "json": 1}


def _share_layout(jobs: list, edition: Edition, fork: bool) -> tuple[Optional[object], set]:
    """One PDF layout for the build (`exporters.pdf_shared`): the first PDF format's job lays
    the book out and writes every PDF format asked, and an EPUB with a page list (from that
    layout's pages, as soon as it is made); the jobs of those formats (riders) only wait for
    it and say how theirs went. Returns the host job (None without PDF formats) and the
    names of the rider formats."""
    from .exporters.epub_parts.page_list import has_print_pages
    from .exporters.pdf_shared import PDF_FORMATS
    pdfs = [j for j in jobs if j.fmt in PDF_FORMATS]
    if not pdfs or not fork:
        return None, set()
    host = pdfs[0]
    for job in pdfs[1:]:
        job.after = host
    riders = {j.fmt for j in pdfs[1:]}
    for job in jobs:
        if job.fmt == "epub" and has_print_pages(edition):  # written by the host too, from its layout
            job.after = host
            riders.add(job.fmt)
    return host, riders


def export_all(edition: Edition, formats: Sequence[str], out_dir: Path, name: str, options: ExportOptions,
               jobs: Optional[int] = None, progress=None) -> list[Path]:
    """Write every format, whole or not at all (`corresp.publish`): each to a temporary file
    by a worker process (in parallel: the exporters are independent and CPU-bound), all
    renamed into place only when every one succeeded. The first failure is raised, saying
    that the previous edition was left as it was."""
    from . import publish
    reg = registry()
    exporters = [reg.get(f) for f in formats]
    check_extensions(exporters)
    name, out_dir = safe_name(name), Path(out_dir)
    jobs = jobs or min(len(formats), os.cpu_count() or 1)
    # The formats a reader reads get the edition in house typography, made once here (before
    # their workers fork, so they share it: `prepare`, while the first formats that take the
    # source's characters are already being written); the others the source's characters.
    typeset = edition
    # Where a core is idle, the PDF's faces are checked beside its layout rather than before
    # it (a tenth of a second at 100x): the check fails the build as it did, the layout
    # finds the characters it prints posted when it reaches its glyph warning (`Posted`).
    posted = None  # publish.Posted

    def prepare() -> None:
        nonlocal typeset, posted
        typeset = typography.presented(edition, options)
        if options.spare_cores > 0 and publish.can_fork() and needs_faces(formats):
            posted = publish.Posted()
            options.printed_characters = (typeset, posted)
            _faces(options)  # registered before the layout's process forks: it has them then
        else:
            check_faces(typeset, formats, options)  # before any presenting format is written

    def check_faces_meanwhile() -> None:
        if posted is not None:
            check_faces(typeset, formats, options, posted)

    host, riders = None, set()
    by_format: dict = {}

    def run(fmt: str, tmp: Path) -> tuple[list[str], object, dict]:
        """The format's warnings, and for the layout's host the outcomes of its riders."""
        before = len(options.warnings)
        ridden: dict = {}
        with gc_paused():
            if host is not None and fmt == host.fmt:
                from .exporters.pdf_shared import PDF_FORMATS, write_pdfs
                targets = {fmt: tmp, **{r: by_format[r].tmp for r in riders if r in PDF_FORMATS}}
                _, ridden["epub"] = write_pdfs(typeset, targets, options,  # (the EPUB presents text too)
                                               epub=by_format["epub"].tmp if "epub" in riders else None)
            elif fmt in riders:  # written by the host's job
                if host.outcome[0] != "ok":
                    raise host.outcome[1]
                mine = host.outcome[1][2].get(fmt)
                if mine is not None:
                    if mine[0] != "ok":
                        raise mine[1]
                    options.warnings.extend(mine[1])
            else:
                exporter = reg.get(fmt)
                exporter.export(typeset if presents_text(exporter) else edition, tmp, options)
        new = options.warnings[before:]
        del options.warnings[before:]
        return new, None, ridden

    # The files this build writes: their locks, and their stale temporary files (another
    # build may be writing the other formats of the edition meanwhile: `make -j2`).
    extensions = [e.extension for e in exporters]
    with publish.signals_end_the_build(), publish.edition_lock(out_dir, name, extensions):
        # The slowest formats first, so two workers finish together.
        todo = [publish.Job(e.name, out_dir / f"{name}{e.extension}", None, prepared=presents_text(e))
                for e in sorted(exporters, key=lambda e: _COST.get(e.name, 1), reverse=True)]
        typesetting = prepare if any(j.prepared for j in todo) else None
        try:
            for job in todo:
                job.tmp = publish.new_temp(job.target)
            by_format.update((j.fmt, j) for j in todo)
            host, riders = _share_layout(todo, edition, publish.can_fork())
            # (the riders only wait for their host: they keep no core busy)
            options.spare_cores = max(0, (os.cpu_count() or 1) - min(jobs, len(todo) - len(riders)))
            if publish.can_fork():
                publish.run_jobs(todo, run, jobs, progress, typesetting, check_faces_meanwhile)
            else:
                if typesetting:
                    typesetting()
                publish.run_inline(todo, run, progress)
            failures = []
            for job in todo:
                if job.outcome[0] == "ok":
                    options.warnings += job.outcome[1][0]
                    if not _written(job.tmp):
                        failures.append(ExportError(f"the {job.fmt} exporter wrote nothing", str(job.target)))
                else:
                    failures.append(publish.as_export_error(job, job.outcome[1]))
            if failures:
                first = failures[0]
                others = f" (and {plural(len(failures) - 1, 'other format')} failed)" if len(failures) > 1 else ""
                kept = "the previous edition was left as it was" if any(j.target.exists() for j in todo) \
                    else "nothing was written"
                raise type(first)(f"{first.message}{others}; {kept}", first.file, first.line)
            published = False
            try:
                with publish.signals_held():  # every format or none (corresp.publish: the transaction)
                    try:
                        publish.commit(out_dir, name, [(job.tmp, job.target) for job in todo])
                    except OSError as exc:
                        where = exc.filename if isinstance(exc.filename, str) else str(out_dir)
                        raise ExportError(f"cannot write: {exc.strerror or exc}; the previous edition was left "
                                          "as it was", where) from None
                    published = True
            except Interrupted as exc:  # a signal held during the renames arrives now
                raise Interrupted(exc.signum, written=published) from None
        finally:
            for job in todo:
                if job.tmp is not None:
                    publish.remove_quietly(job.tmp)
            if posted is not None:
                posted.close()
                options.printed_characters = None
    return [out_dir / f"{name}{reg.get(f).extension}" for f in formats]


def _written(tmp: Path) -> bool:
    """A format wrote something: a file that is not empty, or a folder that is not."""
    if tmp.is_dir():
        return any(tmp.iterdir())
    return tmp.is_file() and tmp.stat().st_size > 0


def needs_faces(formats: Sequence[str]) -> bool:
    return any(f == "pdf" or f.startswith("pdf-") for f in formats)  # pdf, pdf-print: the style's faces


def check_faces(printed: Edition, formats: Sequence[str], options: ExportOptions,
                posted=None) -> None:
    """What can be known to fail before a PDF is written: its faces must cover the letters
    the edition prints (`printed`: the typeset text; the glyphs come from the style's fonts).
    The characters the chapters print are kept for the PDF's glyph check: on the options,
    or `posted` for the layout's process, forked already."""
    if not needs_faces(formats):
        return
    from .exporters.pdf_parts.fonts import check_coverage
    style, fonts = _faces(options)
    used = _printed_characters(printed)
    if posted is not None:
        posted.post("".join(set().union(*(chars for _, chars in used[1:]))))
    else:
        options.printed_characters = (printed, [chars for _, chars in used[1:]])  # (the PDF's glyph check)
    check_coverage(fonts, used, style.source)


def _faces(options: ExportOptions) -> tuple:
    """The PDF style and its faces, registered (once a process: fonts.register_fonts)."""
    from .exporters.pdf_parts.fonts import register_fonts
    from .exporters.pdf_parts.style import load_style
    style = load_style(options.style_dir)
    return style, register_fonts(style)


def _printed_characters(edition: Edition) -> list:
    """(source file, the set of characters it prints) for the edition and each chapter."""
    from .exporters.pdf_parts.story import chapter_texts
    front = set()
    for text in (edition.title, edition.subtitle or "", *edition.editors):
        front.update(text)
    used = [(None, front)]
    for chapter in edition.chapters:
        chars = set()
        for text in chapter_texts(chapter):
            chars.update(text)
        used.append((chapter.source, chars))
    return used


def _never_over_a_source(sources: Sequence[Path], formats: Sequence[str], out_dir: Path, name: str) -> None:
    """A build never overwrites what it reads: `corresp build letters.json` into its own
    folder would replace the source with its rebuild (silently, and a failed one too)."""
    reg = registry()
    for fmt in formats:
        target = out_dir / f"{name}{reg.get(fmt).extension}"
        for source in sources:
            try:
                same = os.path.exists(target) and os.path.samefile(target, source)
            except OSError:
                same = False
            if same:
                raise ConfigError(f"the {fmt} format would overwrite the source {source}; give another "
                                  "-o or --name", str(target))


def build(inputs: Sequence[Path], out_dir: Path, formats: Optional[Sequence[str]] = None,
          name: Optional[str] = None, options: Optional[ExportOptions] = None, progress=None,
          jobs: Optional[int] = None, corrections: Sequence[Path] = (), accept_changes: bool = False,
          original: Optional[Path] = None,
          **edition_fields) -> BuildResult:
    """`corrections`: corrections files named in edition.toml (each text source's own
    `<source>.corrections.toml` is found beside it)."""
    start = time.perf_counter()
    options = options or ExportOptions()
    reg = registry()
    # Fail on an unknown format before any work; names are case-insensitive (-f PDF).
    formats = list(dict.fromkeys(reg.get(f).name for f in formats)) if formats else \
        [n for n, e in reg.exporters.items() if getattr(e, "by_default", True)]
    check_extensions([reg.get(f) for f in formats])
    options.warnings += reg.problems  # plugins that failed to load: said on every build
    check_style_dir(options.style_dir)
    validate.check_style(options.style_dir, formats)
    name = safe_name(name or default_name(inputs))
    _never_over_a_source(list(inputs) + list(corrections), formats, Path(out_dir), name)
    from .files import check_edition_size
    check_edition_size(list(inputs))  # several sources of a volume: their sum bounds the memory too
    # The reader each source needs (text, a JSON or TEI edition), by what the file is.
    edition, diagnostics = read_sources(list(inputs), corrections, accept_changes, original, **edition_fields)
    validate.check_metadata(edition, name, options.warnings)  # the same values for every format
    validate.check_text(edition)  # no text a format cannot show alike, no empty heading or paragraph
    unworded = missing_language_warning(edition.language)  # captions fall back to English
    if unworded:
        options.warnings.append(unworded)
    result = BuildResult(edition, sort_diagnostics(diagnostics, [str(Path(p)) for p in inputs]))
    result.written = export_all(edition, formats, Path(out_dir), name, options, jobs, progress)
    result.seconds = time.perf_counter() - start
    return result
