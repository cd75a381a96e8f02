"""Benchmark: corresp at 1×, 10× and 100× the seed, against pandoc on the same content.

    make bench          (or: .venv/bin/python bench/run.py [--scales 1,10,100])

Each copy of the seed is a chapter of its own. Every stage runs in a fresh process (so its
peak memory is its own): parsing, each exporter, the whole build (four formats, exporters
in parallel processes), and the peer — the bundled pandoc converting equivalent Markdown
with footnotes to DOCX and to EPUB 3. Results go to bench/results.md.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SEED = ROOT / "seeds" / "1935-08.txt"
STAGES = ["parse", "json", "epub", "pdf", "docx", "tei", "build", "cli", "pandoc-docx", "pandoc-epub"]
OURS = ["parse", "json", "epub", "pdf", "docx", "tei", "build", "cli"]

TARGETS = """Targets at 100×: parse ≤ 1 s; JSON ≤ 1 s; EPUB ≤ 1/5 of pandoc's EPUB; DOCX ≤ 1.1 × pandoc's
Markdown→DOCX; PDF ≤ 2 s per 1,000 pages; TEI ≤ EPUB; whole build ≤ 20 s; peak memory ≤ 1 GB;
10×→100× ≤ 11× per stage."""


def make_sources(workdir: Path, scale: int) -> None:
    d = workdir / f"x{scale}"
    d.mkdir(parents=True, exist_ok=True)
    text = SEED.read_text(encoding="utf-8")
    for k in range(scale):
        # A distinct chapter title per copy, as separate months would have.
        (d / f"{k:04d}.txt").write_text(text.replace("\n1935 August\n", f"\n{1800 + k} August\n", 1), encoding="utf-8")


def run_stage(stage: str, scale: int, workdir: Path) -> dict:
    env = dict(os.environ, SOURCE_DATE_EPOCH=os.environ.get("SOURCE_DATE_EPOCH", "1767225600"),
               PYTHONPATH=str(HERE))
    r = subprocess.run([sys.executable, str(HERE / "stage.py"), stage, str(scale), str(workdir)],
                       capture_output=True, text=True, env=env)
    if r.returncode:
        raise SystemExit(f"stage {stage} at {scale}× failed:\n{r.stderr[-2000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, Python {platform.python_version()}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scales", default="1,10,100")
    ap.add_argument("--out", default=str(HERE / "results.md"))
    args = ap.parse_args()
    scales = [int(s) for s in args.scales.split(",")]
    workdir = Path(tempfile.mkdtemp(prefix="corresp-bench-"))
    results: dict[tuple[str, int], dict] = {}
    try:
        for scale in scales:
            make_sources(workdir, scale)
            for stage in STAGES:
                res = run_stage(stage, scale, workdir)
                results[(stage, scale)] = res
                print(f"{scale:>4}× {stage:<12} {res['seconds']:8.2f} s  {res['peak_mb']:7.0f} MB"
                      + (f"  {res['pages']} pages" if "pages" in res else ""), flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    report = render(results, scales)
    Path(args.out).write_text(report, encoding="utf-8")
    print(report)


def render(results, scales) -> str:
    top = max(scales)
    lines = ["# corresp benchmark", "", f"Machine: {machine()}", "",
             "| stage | " + " | ".join(f"{s}× s" for s in scales) + f" | peak MB at {top}× |",
             "|---|" + "---|" * (len(scales) + 1)]
    for stage in STAGES:
        row = [f"{results[(stage, s)]['seconds']:.2f}" for s in scales]
        lines.append(f"| {stage} | " + " | ".join(row) + f" | {results[(stage, top)]['peak_mb']:.0f} |")
    r = {k: v["seconds"] for k, v in results.items()}
    big = results[("parse", top)]
    lines += ["", f"At {top}×: {big['documents']} documents, {big['notes']} notes; "
              f"PDF {results[('pdf', top)].get('pages')} pages; peer Markdown "
              f"{results[('pandoc-docx', top)].get('markdown_mb')} MB.", "", "Ratios against the peer (same run):", ""]
    for s in scales:
        lines.append(f"- {s}×: EPUB corresp/pandoc = {r[('epub', s)] / r[('pandoc-epub', s)]:.3f}; "
                     f"DOCX corresp/pandoc = {r[('docx', s)] / r[('pandoc-docx', s)]:.3f}; "
                     f"PDF {1000 * r[('pdf', s)] / max(1, results[('pdf', s)].get('pages', 1)):.2f} s per 1,000 pages")
    if 10 in scales and 100 in scales:
        lines += ["", "Growth from 10× to 100× (linear = 10):", ""]
        lines.append("- " + "; ".join(f"{st} {r[(st, 100)] / max(r[(st, 10)], 1e-9):.1f}×" for st in STAGES))
    lines += ["", TARGETS, ""]
    if top == 100:
        lines += ["Verdict at 100×:", ""] + [f"- {'met' if ok else 'MISSED'}: {what}" for what, ok in verdict(results)] + [""]
    return "\n".join(lines)


def verdict(results) -> list[tuple[str, bool]]:
    """Each target of issue 8, with the figure measured and whether it holds."""
    r = {k: v["seconds"] for k, v in results.items()}
    pages = max(1, results[("pdf", 100)].get("pages", 1))
    pdf_rate = 1000 * r[("pdf", 100)] / pages
    peak = max(results[(st, 100)]["peak_mb"] for st in OURS)
    out = [(f"parse {r[('parse', 100)]:.2f} s ≤ 1 s", r[("parse", 100)] <= 1),
           (f"JSON {r[('json', 100)]:.2f} s ≤ 1 s", r[("json", 100)] <= 1),
           (f"EPUB {r[('epub', 100)] / r[('pandoc-epub', 100)]:.3f} × pandoc's ≤ 0.2",
            r[("epub", 100)] <= 0.2 * r[("pandoc-epub", 100)]),
           (f"DOCX {r[('docx', 100)] / r[('pandoc-docx', 100)]:.3f} × pandoc's ≤ 1.1",
            r[("docx", 100)] <= 1.1 * r[("pandoc-docx", 100)]),
           (f"PDF {pdf_rate:.2f} s per 1,000 pages ≤ 2", pdf_rate <= 2),
           (f"TEI {r[('tei', 100)]:.2f} s ≤ EPUB {r[('epub', 100)]:.2f} s", r[("tei", 100)] <= r[("epub", 100)]),
           (f"all four formats {r[('build', 100)]:.2f} s in-process, {r[('cli', 100)]:.2f} s as a command ≤ 20 s",
            max(r[("build", 100)], r[("cli", 100)]) <= 20),
           (f"peak memory {peak:.0f} MB ≤ 1,024 MB", peak <= 1024)]
    if ("parse", 10) in r:
        growth = {st: r[(st, 100)] / max(r[(st, 10)], 1e-9) for st in OURS}
        worst = max(growth, key=growth.get)
        out.append((f"10× → 100× at most {growth[worst]:.1f}× ({worst}) ≤ 11×", growth[worst] <= 11))
    return out


if __name__ == "__main__":
    main()
