"""Hostile input, round three (issue 26): one test (or more) per class of defect, not per
example. Each input either builds files that agree with each other or is a one-line error
with a distinct exit code; never a traceback, a hang, super-linear time or a mixed edition."""
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SEED
from corresp.build import build
from corresp.exporters import ExportOptions

TEXT = SEED.read_text(encoding="utf-8")
SMALL = TEXT[: TEXT.index("\n", 6000)]


def corresp(*args, cwd=None, env=None, timeout=120, input=None):
    return subprocess.run([sys.executable, "-m", "corresp", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env={**os.environ, **(env or {})}, timeout=timeout, input=input)


def one_letter(body: str, notes=("One note.",)) -> str:
    refs = "".join(f" word{i} {i} ." for i in range(1, len(notes) + 1))
    text = ("1935 August\n\nStalin to Kaganovich August 1, 1935\n\n"
            f"Archive: RGASPI F. 558. Op. 11. D. 88. L. 1. Autograph.\nKaganovich.\n\n{body}{refs}\n\nStalin.\n")
    if notes:
        text += "\n_____\n\n" + "\n\n".join(f"{i} {n}" for i, n in enumerate(notes, 1)) + "\n"
    return text


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) if folder.exists() else []


# --- 1. sizes that are super-linear ---------------------------------------------------------

def _pdf_seconds(tmp_path, body: str) -> float:
    from corresp.exporters import registry
    from corresp.readers import read_sources
    src = tmp_path / f"t{len(body)}.txt"
    src.write_text(one_letter(body), encoding="utf-8")
    edition, _ = read_sources([src])
    started = time.perf_counter()
    registry().get("pdf").export(edition, tmp_path / f"t{len(body)}.pdf", ExportOptions())
    return time.perf_counter() - started


def test_pdf_one_unbreakable_token_is_linear(tmp_path):
    """A word wider than a line is cut into pieces in one pass: ten times the word, about ten
    times the time (it was quadratic: the rest of the word was measured again for every line)."""
    _pdf_seconds(tmp_path, "warm " * 10)
    small = _pdf_seconds(tmp_path, "Before " + "x" * 20_000 + " after")
    large = _pdf_seconds(tmp_path, "Before " + "y" * 200_000 + " after")
    assert large < 20 * max(small, 0.05), (small, large)
    text = subprocess.run(["pdftotext", str(tmp_path / "t200013.pdf"), "-"], capture_output=True, text=True).stdout \
        if _has("pdftotext") else None
    if text is not None:
        import re
        assert sum(map(len, re.findall("y{20,}", text))) == 200_000  # every character drawn, none twice


def test_pdf_one_long_paragraph_is_linear(tmp_path):
    """A paragraph split over hundreds of pages: each page's piece shares the paragraph's
    words (copying the rest at every page was quadratic)."""
    sentence = "The Central Committee instructed the commission to finalize the resolution. "
    _pdf_seconds(tmp_path, "warm " * 10)
    small = _pdf_seconds(tmp_path, sentence * 700)
    large = _pdf_seconds(tmp_path, sentence * 7000)
    assert large < 20 * max(small, 0.05), (small, large)


def _has(tool: str) -> bool:
    import shutil
    return shutil.which(tool) is not None
