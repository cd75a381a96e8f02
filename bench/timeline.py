"""Where the whole build's time goes, process by process: a text Gantt chart.

    PYTHONPATH=bench .venv/bin/python bench/timeline.py [SCALE] [WORKDIR] [FORMAT,...]

Runs the `build` stage of bench/stage.py (every default format, or the FORMATs given, of the SCALE× edition, ISBNs
set so the EPUB has its page list) in this process with the main steps wrapped: each logs its
process, start and end (clock, from the build's start) and the CPU of that process over it.
The wrappers are installed before the workers fork, so the workers' steps are logged too.
For finding the build's critical path and idle cores; the timings themselves are bench/run.py's.
"""
from __future__ import annotations

import functools
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

LOG = Path(tempfile.mkstemp(prefix="corresp-timeline-")[1])
T0 = time.perf_counter()


def wrap(owner, attr: str, label: str) -> None:
    inner = getattr(owner, attr)

    @functools.wraps(inner)
    def logged(*args, **kwargs):
        start, cpu, before = time.perf_counter() - T0, time.process_time(), resource.getrusage(resource.RUSAGE_SELF)
        try:
            return inner(*args, **kwargs)
        finally:
            after = resource.getrusage(resource.RUSAGE_SELF)
            line = (f"{os.getpid()}\t{start:.3f}\t{time.perf_counter() - T0:.3f}\t{time.process_time() - cpu:.3f}\t"
                    f"{after.ru_stime - before.ru_stime:.3f}\t{after.ru_minflt - before.ru_minflt}\t{label}\n")
            fd = os.open(LOG, os.O_WRONLY | os.O_APPEND)
            os.write(fd, line.encode())
            os.close(fd)
    setattr(owner, attr, logged)


def install() -> None:
    import corresp.build as build
    import corresp.readers as readers
    import corresp.typography as typography
    from corresp.exporters import pdf, pdf_shared, registry
    from corresp.exporters.docx_parts import pandoc_run
    wrap(readers, "read_sources", "parse")
    wrap(typography, "presented", "typography")
    wrap(build, "check_faces", "check faces")
    wrap(pdf, "lay_out_pdf", "pdf layout")
    wrap(pdf, "save_pdf", "pdf save")
    from corresp.exporters.pdf_parts import story, layout
    wrap(story.StoryBuilder, "build", "pdf story")
    wrap(layout.BookTemplate, "build", "pdf pages")
    import corresp.validate as validate
    wrap(validate, "check_text", "check text")
    wrap(pdf_shared, "make_print", "make print")
    wrap(pandoc_run, "_run", "pandoc (thread)")
    for name, exporter in registry().exporters.items():
        wrap(type(exporter), "export", f"export {name}")


def main() -> None:
    scale = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    workdir = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("/work/benchw")
    formats = sys.argv[3].split(",") if len(sys.argv) > 3 else None
    install()
    import stage
    from corresp.build import export_all
    from corresp.exporters import ExportOptions
    from corresp.metadata import check_publication
    from corresp.model import Publication
    from corresp.readers import read_sources
    global T0
    T0 = time.perf_counter()
    c0 = time.process_time()
    edition, _ = read_sources(stage.sources(workdir, scale), [])
    edition.publication = check_publication(Publication(publisher="Bench Press", isbn=dict(stage.ISBN)))
    out = Path(tempfile.mkdtemp(prefix="corresp-timeline-out-"))
    export_all(edition, formats or stage.default_formats(), out, "bench", ExportOptions())
    total = time.perf_counter() - T0
    rows = [line.split("\t") for line in LOG.read_text().splitlines()]
    LOG.unlink()
    pids = {}
    for pid, *_ in rows:
        pids.setdefault(pid, len(pids))
    width = 72
    print(f"build {total:.2f} s clock ({scale}×); parent CPU {time.process_time() - c0:.2f} s")
    print(f"{'step':<22}{'proc':>5}{'start':>7}{'end':>7}{'cpu':>7}{'(sys)':>7}{'faults':>8}  |{'time →':<{width}}|")
    for pid, start, end, cpu, sys_cpu, faults, label in sorted(rows, key=lambda r: float(r[1])):
        a, b = float(start), float(end)
        bar = " " * int(a / total * width) + "#" * max(1, int((b - a) / total * width))
        print(f"{label:<22}{pids[pid]:>5}{a:>7.2f}{b:>7.2f}{float(cpu):>7.2f}{float(sys_cpu):>7.2f}{faults:>8}  |{bar[:width]:<{width}}|")


if __name__ == "__main__":
    main()
