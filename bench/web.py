"""Benchmark of the web edition (-f web) on the 100× edition (3,800 letters):

    .venv/bin/python bench/web.py [--scale 100] [--workdir DIR]

- the site's build (pages, downloads, Pagefind's index) against pandoc's Markdown → EPUB of
  the same text (bench/markdown_peer.py), in one run: target ≤ 1×;
- the largest letter page before search (its HTML; the stylesheets and the notes script,
  shared by every page and cached, counted apart): target ≤ 40 KB;
- what a first search downloads (the search page, its styles and scripts, Pagefind's
  bundle, index chunks and the first results' fragments), measured in Chromium with
  Playwright where they are installed: target ≤ 300 KB.
"""
from __future__ import annotations

import argparse
import functools
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from corresp.build import export_one  # noqa: E402
from corresp.exporters import ExportOptions  # noqa: E402
from corresp.readers.text.parser import read_edition  # noqa: E402

import run as bench_run  # noqa: E402  (make_sources, run_stage)


class Host(SimpleHTTPRequestHandler):
    """A static host as most are: text files sent gzip-compressed to a browser that asks.
    (Pagefind's .pagefind and .pf_* files are compressed already and sent as they are.)"""
    TEXT = {".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css",
            ".json": "application/json", ".xml": "application/xml"}

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        kind = self.TEXT.get(path.suffix)
        if kind is None or not path.is_file() or "gzip" not in self.headers.get("Accept-Encoding", "") \
                or not self.path.split("?")[0].endswith(("/", path.name)):
            return super().do_GET()
        import gzip
        data = gzip.compress(path.read_bytes(), 6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def first_search_bytes(site: Path, query: str) -> tuple[int, int] | None:
    """Bytes Chromium downloads to open the search page and show the first results, as sent
    by a compressing host, and uncompressed."""
    chromium = shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if chromium is None:
        return None
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Host, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    total = raw = 0
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            page = browser.new_page()
            sizes = []
            page.on("response", lambda r: sizes.append(r))
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/search/")
            page.fill(".pagefind-ui__search-input", query)
            page.wait_for_selector(".pagefind-ui__result-link")
            page.wait_for_load_state("networkidle")
            for r in sizes:
                try:
                    raw += len(r.body())
                    total += r.request.sizes()["responseBodySize"]
                except Exception:
                    pass
            browser.close()
    finally:
        server.shutdown()
    return total, raw


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=int, default=100)
    ap.add_argument("--workdir", type=Path)
    args = ap.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="corresp-bench-web-"))
    bench_run.make_sources(workdir, args.scale)
    edition, _ = read_edition(bench_run.sources_of(workdir, args.scale) if hasattr(bench_run, "sources_of")
                              else sorted((workdir / f"x{args.scale}").glob("*.txt")))
    out = workdir / "out-web"
    start = time.perf_counter()
    site = export_one(edition, "web", out, "bench", ExportOptions(base_url="https://example.org/edition/"))
    web_s = time.perf_counter() - start
    pandoc = bench_run.run_stage("pandoc-epub", args.scale, workdir)["seconds"]
    letters = sorted((p.stat().st_size, p) for p in (site / "letters").glob("*/index.html"))
    shared = sum((site / "assets" / n).stat().st_size for n in ("edition.css", "site.css", "notes.js"))
    searched = first_search_bytes(site, "Moscow")
    pagefind_mb = sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file()) / 1e6
    lines = [f"Web edition at {args.scale}× ({len(edition.documents)} letters):", "",
             f"- site built in {web_s:.2f} s; pandoc Markdown → EPUB {pandoc:.2f} s: "
             f"{web_s / pandoc:.2f}× ({'met' if web_s <= pandoc else 'MISSED'}: ≤ 1×)",
             f"- largest letter page {letters[-1][0] / 1024:.1f} KB ({letters[-1][1].parent.name}), median "
             f"{statistics.median(s for s, _ in letters) / 1024:.1f} KB ({'met' if letters[-1][0] <= 40 * 1024 else 'MISSED'}:"
             f" ≤ 40 KB); shared styles and script {shared / 1024:.1f} KB, cached",
             f"- Pagefind's index {pagefind_mb:.1f} MB on disk"]
    if searched is None:
        lines.append("- first search: not measured (Playwright or Chromium missing)")
    else:
        sent, raw = searched
        lines.append(f"- a first search ('Moscow') downloads {sent / 1024:.0f} KB from a host that compresses "
                     f"text ({'met' if sent <= 300 * 1024 else 'MISSED'}: ≤ 300 KB); {raw / 1024:.0f} KB uncompressed")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
