"""Parse time of adversarial inputs at 10k, 100k and 1M characters (issue 18): each family
pumps one rule's own separators or near misses. Printed: seconds per size and the growth
ratio per tenfold size (linear is about 10, quadratic 100). The small sizes run in the
suite (tests/test_redos.py); these are the large ones.

    .venv/bin/python bench/redos.py [FAMILY ...]
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from corresp.readers.text.parser import read_text  # noqa: E402
from test_redos import FAMILIES  # noqa: E402  (one list of families for the suite and here)

SIZES = (10_000, 100_000, 1_000_000)


def main(names: list[str]) -> None:
    print(f"{'family':40} " + " ".join(f"{n:>10,}" for n in SIZES) + "   growth per 10×")
    for name in names or list(FAMILIES):
        times = []
        for n in SIZES:
            text = FAMILIES[name](n)
            start = time.perf_counter()
            read_text(text, "adversarial.txt")
            times.append(time.perf_counter() - start)
        growth = [b / max(a, 1e-4) for a, b in zip(times, times[1:])]
        print(f"{name:40} " + " ".join(f"{t:>9.3f}s" for t in times) + "   " + " ".join(f"{g:5.1f}" for g in growth),
              flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
