"""One benchmark measurement in a fresh process, so peak memory belongs to that stage alone.

    python bench/stage.py STAGE SCALE WORKDIR

STAGE: parse | json | epub | pdf | docx | tei | build | cli | pandoc-docx | pandoc-epub
Prints one JSON line: {"stage", "scale", "seconds", "peak_mb", ...}.
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
from corresp.exporters import ExportOptions  # noqa: E402
from corresp.readers.text.parser import read_edition  # noqa: E402

import markdown_peer  # noqa: E402


def sources(workdir: Path, scale: int) -> list[Path]:
    return sorted((workdir / f"x{scale}").glob("*.txt"))


def cli(scale: int, workdir: Path, out: Path) -> None:
    """The build as a user runs it: `python -m corresp build`, interpreter start and exit
    included (what a Make rule in CI waits for)."""
    src = Path(__file__).resolve().parents[1] / "src"
    env = dict(os.environ, PYTHONPATH=str(src))
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "corresp", "build", *map(str, sources(workdir, scale)),
                    "-o", str(out), "--name", "bench", "-q"], check=True, env=env)
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"stage": "cli", "scale": scale, "seconds": round(seconds, 3),
                      "peak_mb": round(peak_kb / 1024, 1)}))


def main() -> None:
    stage, scale, workdir = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    out = workdir / f"out-{stage}-{scale}"
    out.mkdir(exist_ok=True)
    if stage == "cli":
        return cli(scale, workdir, out)
    extra = {}
    t0 = time.perf_counter()
    edition, _ = read_edition(sources(workdir, scale))
    parse_s = time.perf_counter() - t0
    start = time.perf_counter()
    if stage == "parse":
        seconds = parse_s
    elif stage in ("json", "epub", "pdf", "docx", "tei"):
        path = export_one(edition, stage, out, "bench", ExportOptions())
        seconds = time.perf_counter() - start
        if stage == "pdf":
            from pypdf import PdfReader
            extra["pages"] = len(PdfReader(str(path)).pages)
    elif stage == "build":
        start = t0  # the whole build: parse and all four formats, exporters in parallel
        export_all(edition, ["json", "epub", "pdf", "docx"], out, "bench", ExportOptions())
        seconds = time.perf_counter() - start
    elif stage.startswith("pandoc-"):
        md = out / "peer.md"
        md.write_text(markdown_peer.to_markdown(edition), encoding="utf-8")
        fmt = stage.split("-", 1)[1]
        start = time.perf_counter()
        subprocess.run([markdown_peer.pandoc(), str(md), "-f", "markdown", "-t", "epub3" if fmt == "epub" else fmt,
                        "-o", str(out / f"peer.{fmt}")], check=True)
        seconds = time.perf_counter() - start
        extra["markdown_mb"] = round(md.stat().st_size / 1e6, 2)
    else:
        raise SystemExit(f"unknown stage {stage}")
    peak_kb = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    print(json.dumps({"stage": stage, "scale": scale, "seconds": round(seconds, 3),
                      "peak_mb": round(peak_kb / 1024, 1), "documents": len(edition.documents),
                      "notes": sum(len(d.footnotes) for d in edition.documents), **extra}))


if __name__ == "__main__":
    main()
