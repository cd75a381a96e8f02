"""The pipeline: read the sources, write each format atomically, report what was done.

Every output is written to a temporary file beside its target and renamed into place only
when its exporter succeeded, so a failed or interrupted build never leaves a truncated
file where the last good one was.
"""
from __future__ import annotations

import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor, as_completed
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

from .diagnostics import Diagnostic, plural, sort_diagnostics
from .errors import ConfigError, CorrespError, ExportError
from .exporters import ExportOptions, check_style_dir, registry
from .gcpause import gc_paused
from .model import Edition
from .parse import read_edition


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
    return Path(inputs[0]).stem if len(inputs) == 1 else "edition"


def write_atomically(path: Path, write) -> None:
    """Call `write(tmp_path)`, then move the result to `path`."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise ExportError(f"cannot write to the output folder: {exc.strerror or exc}", str(path.parent)) from None
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        write(tmp_path)
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, path)
    except OSError as exc:
        raise ExportError(f"cannot write: {exc.strerror or exc}", str(path)) from None
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def export_one(edition: Edition, fmt: str, out_dir: Path, name: str, options: ExportOptions) -> Path:
    exporter = registry().get(fmt)
    target = out_dir / f"{safe_name(name)}{exporter.extension}"

    def write(tmp: Path) -> None:
        try:
            with gc_paused():
                exporter.export(edition, tmp, options)
        except CorrespError:
            raise
        except OSError:
            raise
        except Exception as exc:  # an exporter bug must still fail cleanly, naming the format
            raise ExportError(f"{fmt} exporter failed: {type(exc).__name__}: {exc}", str(target)) from exc

    write_atomically(target, write)
    return target


# The edition reaches the worker processes by fork, not by pickling: at 100× the seed,
# pickling the model costs more than some exporters take.
_SHARED: Optional[Edition] = None


def _export_in_worker(fmt: str, out_dir: Path, name: str, options: ExportOptions):
    path = export_one(_SHARED, fmt, out_dir, name, options)
    return path, options.warnings


_COST = {"pdf": 4, "docx": 3, "epub": 2, "json": 1}  # relative export times measured by bench/


def export_all(edition: Edition, formats: Sequence[str], out_dir: Path, name: str, options: ExportOptions,
               jobs: Optional[int] = None, progress=None) -> list[Path]:
    """Write every format; in parallel processes when there are several (the exporters are
    independent and CPU-bound). Every format is attempted; the first failure is raised after."""
    jobs = jobs or min(len(formats), os.cpu_count() or 1)
    written: dict[str, Path] = {}
    failures: list[BaseException] = []
    if jobs <= 1 or len(formats) <= 1:
        for k, fmt in enumerate(formats):
            if progress:
                progress(k, len(formats), fmt)
            written[fmt] = export_one(edition, fmt, out_dir, name, options)
    else:
        global _SHARED
        _SHARED = edition
        # The slowest formats first, so two workers finish together.
        order = sorted(formats, key=lambda f: _COST.get(f, 1), reverse=True)
        try:
            with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
                futures = {pool.submit(_export_in_worker, fmt, out_dir, name, options): fmt for fmt in order}
                for k, future in enumerate(as_completed(futures)):
                    fmt = futures[future]
                    try:
                        written[fmt], warnings = future.result()
                        options.warnings += warnings
                    except BaseException as exc:  # collect: the other formats still finish
                        failures.append(exc)
                    if progress:
                        progress(k + 1, len(formats), fmt)
        finally:
            _SHARED = None  # the edition's memory is the caller's to keep or free
    if failures:
        raise failures[0]
    return [written[f] for f in formats]


def preflight(edition: Edition, formats: Sequence[str], options: ExportOptions) -> None:
    """What can be known to fail before any file is written: the PDF's faces must cover
    the letters the edition prints (their glyphs come from the style's fonts)."""
    if not any(f == "pdf" or f.startswith("pdf-") for f in formats):  # pdf, pdf-print: the style's faces
        return
    from .exporters.pdf_parts.fonts import check_coverage, register_fonts
    from .exporters.pdf_parts.style import load_style
    style = load_style(options.style_dir)
    check_coverage(register_fonts(style), _printed_characters(edition), style.source)


def _printed_characters(edition: Edition):
    """(source file, the set of characters it prints) for the edition and each chapter."""
    front = set()
    for text in (edition.title, edition.subtitle or "", *edition.editors):
        front.update(text)
    yield None, front
    for chapter in edition.chapters:
        chars = set(chapter.title)
        for p in chapter.intro:
            chars.update(p.text)
        for n in chapter.notes:
            chars.update(n.text)
        for doc in chapter.documents:
            chars.update(doc.heading)
            chars.update(doc.archive_text or "")
            for a in doc.archive:
                chars.update(a.text)
            for _, p in doc.iter_parts():
                chars.update(p.text)
            for n in doc.footnotes:
                chars.update(n.text)
        yield chapter.source, chars


def build(inputs: Sequence[Path], out_dir: Path, formats: Optional[Sequence[str]] = None,
          name: Optional[str] = None, options: Optional[ExportOptions] = None, progress=None,
          jobs: Optional[int] = None, **edition_fields) -> BuildResult:
    start = time.perf_counter()
    options = options or ExportOptions()
    reg = registry()
    # Fail on an unknown format before any work; names are case-insensitive (-f PDF).
    formats = list(dict.fromkeys(reg.get(f).name for f in formats)) if formats else list(reg.exporters)
    check_style_dir(options.style_dir)
    name = safe_name(name or default_name(inputs))
    edition, diagnostics = read_edition(list(inputs), **edition_fields)
    result = BuildResult(edition, sort_diagnostics(diagnostics, [str(Path(p)) for p in inputs]))
    preflight(edition, formats, options)
    result.written = export_all(edition, formats, Path(out_dir), name, options, jobs, progress)
    result.seconds = time.perf_counter() - start
    return result
