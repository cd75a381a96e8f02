"""`corresp check --typography`: what house typography changes, where.

    seeds/1935-08.txt:20: 'Our opinion - Pyatnitsky' → 'Our opinion—Pyatnitsky'

Each change is shown with a few characters either side; a non-breaking space as ␣ (it
looks like a space otherwise).
"""
from __future__ import annotations

import difflib
from pathlib import Path
from typing import Iterable, Optional, Sequence

from . import Change

CONTEXT = 12  # characters shown either side of a change
SHOWN_NBSP = "\u2423"  # ␣


def _visible(text: str) -> str:
    return text.replace("\u00a0", SHOWN_NBSP).replace("\n", " ")


def spans(before: str, after: str, context: int = CONTEXT) -> list[tuple[str, str]]:
    """The changed stretches of `before` → `after`, each with `context` characters either
    side; changes closer than twice that are one stretch."""
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    groups: list[list[int]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if groups and i1 - groups[-1][1] <= 2 * context:
            groups[-1][1], groups[-1][3] = i2, j2
        else:
            groups.append([i1, i2, j1, j2])
    out = []
    for i1, i2, j1, j2 in groups:
        b0, a0 = max(0, i1 - context), max(0, j1 - context)
        b1, a1 = min(len(before), i2 + context), min(len(after), j2 + context)
        out.append((("…" if b0 else "") + before[b0:b1] + ("…" if b1 < len(before) else ""),
                    ("…" if a0 else "") + after[a0:a1] + ("…" if a1 < len(after) else "")))
    return out


def format_changes(found: Iterable[Change], sources: Sequence[Path]) -> tuple[list[str], int]:
    """The report's lines, `file:line: 'before' → 'after'`, and the number of changes."""
    lines: list[str] = []
    count = 0
    for change in found:
        where = _where(change, sources)
        for before, after in spans(change.before, change.after):
            count += 1
            lines.append(f"{where}: '{_visible(before)}' \u2192 '{_visible(after)}'")
    return lines, count


def _where(change: Change, sources: Sequence[Path]) -> str:
    if change.chapter is None:
        return "edition"
    source: Optional[Path] = sources[change.chapter] if change.chapter < len(sources) else None
    name = str(source) if source is not None else f"chapter {change.chapter + 1}"
    return f"{name}:{change.line}" if change.line else name
