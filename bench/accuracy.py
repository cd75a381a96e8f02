"""Field accuracy of the parser on the annotated corpus (issue 12).

    .venv/bin/python bench/accuracy.py [CORPUS_DIR] [--no-mismatches]

Prints, for the Russian and the English pages separately and together, how many fields of
each kind are right, then every mismatch as `page: doc k: field: expected … got …`.
The corpus (tests/corpus by default) is written by hand; see tests/corpus/README.md.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
try:  # the installed package (or whatever PYTHONPATH points at: another revision's src)
    import corresp  # noqa: F401
except ImportError:
    sys.path.insert(0, str(ROOT / "src"))

from corresp.score import FIELD_KINDS, score_pages, totals  # noqa: E402


def _cell(right: int, total: int) -> str:
    if not total:
        return "—"
    return f"{right}/{total} {100 * right / total:5.1f}%"


def table(page_scores) -> str:
    columns = [("Russian", "ru"), ("English", "en"), ("all", None)]
    sums = {lang: totals(page_scores, lang) for _, lang in columns}
    npages = {lang: sum(1 for p in page_scores if lang is None or p.language == lang)
              for _, lang in columns}
    width = 18
    head = f"{'field':<16}" + "".join(f"{f'{name} ({npages[lang]} pages)':>{width + 2}}"
                                      for name, lang in columns)
    lines = [head, "-" * len(head)]
    for kind in FIELD_KINDS:
        lines.append(f"{kind:<16}" + "".join(f"{_cell(*sums[lang][kind]):>{width + 2}}"
                                             for _, lang in columns))
    lines.append("-" * len(head))
    overall = {lang: (sum(r for r, _ in sums[lang].values()), sum(t for _, t in sums[lang].values()))
               for _, lang in columns}
    lines.append(f"{'overall':<16}" + "".join(f"{_cell(*overall[lang]):>{width + 2}}"
                                            for _, lang in columns))
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=str(ROOT / "tests" / "corpus"))
    ap.add_argument("--no-mismatches", action="store_true", help="the table only")
    args = ap.parse_args(argv)
    page_scores = score_pages(args.corpus)
    if not page_scores:
        print(f"no annotated pages in {args.corpus}", file=sys.stderr)
        return 2
    print(table(page_scores))
    print()
    print("per page:")
    for ps in page_scores:
        flag = "" if ps.right == ps.total else f"  ({len(ps.mismatches)} mismatches)"
        print(f"  {ps.page:<24} {_cell(ps.right, ps.total):>16}{flag}")
    if not args.no_mismatches:
        mismatches = [m for ps in page_scores for m in ps.mismatches]
        print()
        print(f"mismatches ({len(mismatches)}):")
        for m in mismatches:
            print(f"  {m}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
