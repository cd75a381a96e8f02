"""One benchmark measurement in a fresh process, so peak memory belongs to that stage alone.

    python bench/stage.py STAGE SCALE WORKDIR

STAGE: parse | typography | json | epub | epub+pages | pdf | pdf+print | docx | tei | cmif | build | cli |
pandoc-docx | pandoc-epub
Prints one JSON line: {"stage", "scale", "seconds", "cpu", "peak_mb", ...}: `cpu` is the CPU
time (user + system) of this process and every child it waited for (workers, pandoc) over
the measured part, a figure the other users of a shared machine disturb less than clock time.

- epub+pages: the EPUB with the print edition's page list, given the printed pages of a
  layout made before the clock starts (as a build that writes the PDF too hands them over).
- pdf+print: the PDF and the print PDF, one build (one layout, exporters/pdf_shared.py).
- build, cli: every default format of an edition with ISBNs (so the EPUB has its page list);
  build in-process (parse included), cli as `python -m corresp build`.
- build-unshared: the same build with every format laying the book out for itself (the PDF,
  the print PDF and the EPUB each: how builds were before issue 25), for the comparison.
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from corresp.build import export_all, export_one  # noqa: E402
from corresp.exporters import ExportOptions, registry  # noqa: E402
from corresp.metadata import check_publication  # noqa: E402
from corresp.model import Publication  # noqa: E402
from corresp.readers import read_sources  # noqa: E402

import markdown_peer  # noqa: E402


ISBN = {"epub": "978-1-915247-21-6", "pdf": "978-1-915247-11-7", "print": "978-1-915247-01-8"}


def sources(workdir: Path, scale: int) -> list[Path]:
    return sorted((workdir / f"x{scale}").glob("*.txt"))


def default_formats() -> list[str]:
    return [n for n, e in registry().exporters.items() if getattr(e, "by_default", True)]


def cpu_seconds() -> float:
    """CPU time so far of this process and of the children it waited for."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def cli(scale: int, workdir: Path, out: Path) -> None:
    """The build as a user runs it: `python -m corresp build`, interpreter start and exit
    included (what a Make rule in CI waits for)."""
    src = Path(__file__).resolve().parents[1] / "src"
    env = dict(os.environ, PYTHONPATH=str(src))
    isbns = [a for fmt, isbn in ISBN.items() for a in ("--set", f"isbn.{fmt}={isbn}")]
    start, cpu = time.perf_counter(), cpu_seconds()
    subprocess.run([sys.executable, "-m", "corresp", "build", *map(str, sources(workdir, scale)),
                    "-o", str(out), "--name", "bench", "-q", *isbns], check=True, env=env)
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"stage": "cli", "scale": scale, "seconds": round(seconds, 3), "cpu": round(cpu, 3),
                      "peak_mb": round(peak_kb / 1024, 1)}))


def main() -> None:
    stage, scale, workdir = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    out = workdir / f"out-{stage}-{scale}"
    out.mkdir(exist_ok=True)
    if stage == "cli":
        return cli(scale, workdir, out)
    extra = {}
    t0, c0 = time.perf_counter(), cpu_seconds()
    edition, _ = read_sources(sources(workdir, scale), [])
    parse_s, parse_cpu = time.perf_counter() - t0, cpu_seconds() - c0
    if stage in ("epub+pages", "build", "build-unshared"):
        edition.publication = check_publication(Publication(publisher="Bench Press", isbn=dict(ISBN)))
    options = ExportOptions()
    if stage == "epub+pages":
        from corresp.exporters.pdf import lay_out_pdf
        from corresp.exporters.pdf_shared import print_pages
        options.print_pages = print_pages(lay_out_pdf(edition, ExportOptions()))
    start, cpu = time.perf_counter(), cpu_seconds()
    if stage == "parse":
        seconds, cpu = parse_s, parse_cpu
    elif stage in ("json", "epub", "epub+pages", "pdf", "docx", "tei", "cmif"):
        path = export_one(edition, stage.split("+")[0], out, "bench", options)
        seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
        if stage == "pdf":
            from pypdf import PdfReader
            extra["pages"] = len(PdfReader(str(path)).pages)
    elif stage == "typography":  # the typeset copy the PDF, EPUB, DOCX and web share (made once a build)
        from corresp.typography import typeset
        typeset(edition)
        seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    elif stage == "pdf+print":
        export_all(edition, ["pdf", "pdf-print"], out, "bench", options)
        seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    elif stage in ("build", "build-unshared"):
        start, cpu = t0, c0  # the whole build: parse and every default format, exporters in parallel
        if stage == "build-unshared":  # as before issue 25: every format that needs the layout makes its own
            import corresp.build
            corresp.build._share_layout = lambda jobs, edition, fork: (None, set())
        export_all(edition, default_formats(), out, "bench", options)
        seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    elif stage.startswith("pandoc-"):
        md = out / "peer.md"
        md.write_text(markdown_peer.to_markdown(edition), encoding="utf-8")
        fmt = stage.split("-", 1)[1]
        start, cpu = time.perf_counter(), cpu_seconds()
        subprocess.run([markdown_peer.pandoc(), str(md), "-f", "markdown", "-t", "epub3" if fmt == "epub" else fmt,
                        "-o", str(out / f"peer.{fmt}")], check=True)
        seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
        extra["markdown_mb"] = round(md.stat().st_size / 1e6, 2)
    else:
        raise SystemExit(f"unknown stage {stage}")
    peak_kb = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    print(json.dumps({"stage": stage, "scale": scale, "seconds": round(seconds, 3), "cpu": round(cpu, 3),
                      "peak_mb": round(peak_kb / 1024, 1), "documents": len(edition.documents),
                      "notes": sum(len(d.footnotes) for d in edition.documents), **extra}))


if __name__ == "__main__":
    main()
