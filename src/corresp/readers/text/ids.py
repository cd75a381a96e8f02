"""Readable, stable document ids: `kaganovich-yezhov-to-stalin-1935-08-14` (`-2` for a twin)."""
from __future__ import annotations

import re

_TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                     ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p",
                      "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"]))


_TRANSLIT_TABLE = str.maketrans(_TRANSLIT)
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    return _NON_SLUG.sub("-", text.lower().translate(_TRANSLIT_TABLE)).strip("-")


class IdMaker:
    def __init__(self) -> None:
        self.seen: dict[str, int] = {}
        self.bases: list[str] = []  # in the order of make(), for re-uniquing across chapters

    def make(self, senders: list[str], recipients: list[str], iso: str | None, fallback: str) -> str:
        base = base_id(senders, recipients, iso, fallback)
        self.bases.append(base)
        return self.unique(base)

    def unique(self, base: str) -> str:
        count = self.seen.get(base, 0) + 1
        self.seen[base] = count
        return base if count == 1 else f"{base}-{count}"


def base_id(senders: list[str], recipients: list[str], iso: str | None, fallback: str) -> str:
    parts = []
    if senders:
        parts.append("-".join(slug(s) for s in senders))
    if recipients:
        parts += ["to", "-".join(slug(r) for r in recipients)]
    parts.append(iso or "undated")
    base = "-".join(p for p in parts if p) if senders or recipients else f"{slug(fallback)[:60]}"
    base = base or "document"
    if not base[0].isalpha():
        base = "doc-" + base  # ids double as XML ids, which must not start with a digit
    return base

