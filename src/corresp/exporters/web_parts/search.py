"""Search: Pagefind indexes the finished site (its binary ships in the `pagefind[bin]`
package on PyPI; no Node), stemming each page by its `lang`.

A stemmer cannot unify Russian forms whose stem changes (`хлебозаготовки`, gen. pl.
`хлебозаготовок`: a fleeting vowel), so a Russian letter also carries each of its words'
lemmas (pymorphy3) in a hidden element of low weight: every form of a word then finds the
others. Words with `ё` are indexed with `е` too, and the search page writes queries with
`е` (processTerm), so `ё` is found by `е` and the reverse.
"""
from __future__ import annotations

import re
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

from ...errors import ExportError

_WORD = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*")
BUNDLE = "pagefind"


@lru_cache(maxsize=None)
def _analyzer():
    import pymorphy3
    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=200_000)
def _lemma(word: str) -> str:
    return _analyzer().parse(word)[0].normal_form


def russian_index_words(texts: Iterable[str]) -> str:
    """The lemmas of the Russian words of `texts` that differ from the words themselves,
    and the `е` spelling of words with `ё`; once each, in order of first appearance."""
    seen: dict[str, None] = {}
    for text in texts:
        for word in _WORD.findall(text):
            lower = word.lower()
            lemma = _lemma(lower)
            for extra in (lemma, lemma.replace("ё", "е"), lower.replace("ё", "е")):
                if extra != lower and extra not in seen:
                    seen[extra] = None
    return " ".join(seen)


def wants_lemmas(language: str) -> bool:
    return language.split("-")[0].lower() == "ru"


def pagefind_binary() -> Optional[Path]:
    try:
        from pagefind_bin import get_executable
    except ImportError:
        return None
    try:
        return Path(get_executable())
    except (FileNotFoundError, OSError):
        return None


def run_pagefind(site_dir: Path) -> None:
    """Index the site in place (`pagefind/` inside it)."""
    binary = pagefind_binary()
    if binary is None:
        raise ExportError("the web edition's search needs Pagefind: pip install 'corresp[web]' "
                          "(the pagefind[bin] package)")
    try:
        result = subprocess.run([str(binary), "--site", str(site_dir), "--output-subdir", BUNDLE, "--silent"],
                                capture_output=True, text=True, timeout=1800)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ExportError(f"Pagefind could not index the site: {exc}") from None
    if result.returncode != 0:
        said = (result.stderr or result.stdout).strip().splitlines()
        raise ExportError(f"Pagefind could not index the site: {said[-1] if said else result.returncode}")
