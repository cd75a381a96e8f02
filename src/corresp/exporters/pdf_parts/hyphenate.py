"""Hyphenation for the justified text of the print edition (pyphen: LibreOffice's patterns).

Justified lines on a book page without hyphenation open wide gaps between words. A word
breaks only where the language's patterns allow, keeping two letters before the break and
three after, and only if it has six letters or more and is not capitalised; punctuation
around it stays with its half. A word that already holds a hyphen may also break after that hyphen, adding none.

The hyphen a break adds is U+2010 HYPHEN, not the keyboard's U+002D: someone reading the
PDF's text (a search, `corresp verify`) can tell it from a hyphen of the text and drop it.
"""
from __future__ import annotations

import re
from typing import Optional

import pyphen

ADDED_HYPHEN = "\u2010"
NO_BREAK_SPACE, NARROW_NO_BREAK_SPACE = "\u00a0", "\u202f"

_WORD = re.compile(r"^(\W*)(.*?)(\W*)$", re.DOTALL)
MIN_LETTERS = 6
# A bare language code picks these patterns: pyphen's "en" are the British (etymological)
# ones, which split "represent-at-ives"; American patterns are the common default.
_BARE = {"en": "en_US"}


class Hyphenator:
    def __init__(self, language: str):
        self.language = language
        self._dic = pyphen.Pyphen(lang=language, left=2, right=3)
        self._cache: dict[str, list[tuple[str, str, bool]]] = {}

    def splits(self, word: str, capitalised: bool = False) -> list[tuple[str, str, bool]]:
        """Where `word` may break: (head, tail, adds a hyphen?), the longest head first.
        `capitalised`: break capitalised words too (the line breaker's last resort before
        a loose line)."""
        key = (word, capitalised) if capitalised else word
        got = self._cache.get(key)
        if got is None:
            got = self._cache[key] = self._splits(word, capitalised)
        return got

    def _splits(self, word: str, capitalised: bool = False) -> list[tuple[str, str, bool]]:
        # The house typography binds a short word to the next with a no-break space
        # (`«о\u00a0хлебозаготовках»`): the unit's last word still breaks (after the last
        # no-break space only, so the head holds every one of them), else the unit cannot
        # and the line before it opens wide gaps.
        bound = max(word.rfind(NO_BREAK_SPACE), word.rfind(NARROW_NO_BREAK_SPACE))
        if bound >= 0:
            head = word[:bound + 1]
            return [(head + h, t, a) for h, t, a in self._splits(word[bound + 1:], capitalised)]
        out = [(word[:i + 1], word[i + 1:], False) for i, ch in enumerate(word)
               if ch == "-" and i >= 2 and len(word) - i > 3 and word[i - 1].isalpha() and word[i + 1].isalpha()]
        lead, core, _ = _WORD.match(word).groups()
        # Capitalised words are mostly names here (Pyatnitsky, Ordzhonikidze), which the
        # language's patterns do not know: they are not broken (InDesign's "hyphenate
        # capitalized words" off).
        if len(core) >= MIN_LETTERS and core.isalpha() and (capitalised or not core[0].isupper()):
            out += [(word[:len(lead) + p], word[len(lead) + p:], True) for p in self._dic.positions(core)]
        out.sort(key=lambda s: -len(s[0]))
        return out


def hyphenator_for(setting: str, language: str) -> Optional[Hyphenator]:
    """The hyphenator a style asks for: "auto" (by the edition's language; none if there
    are no patterns for it), "off", or a language code such as "en_GB" (ValueError if
    there are no patterns for it)."""
    setting = (setting or "off").strip()
    if setting.lower() in ("off", "none", "false", "no"):
        return None
    auto = setting.lower() == "auto"
    wanted = language if auto else setting
    wanted = _BARE.get(wanted.lower(), wanted) if wanted else wanted
    code = pyphen.language_fallback(wanted.replace("-", "_")) if wanted else None
    if code is None and not auto:
        raise ValueError(f"no hyphenation patterns for {setting!r}; use \"auto\", \"off\" or one of "
                         + ", ".join(sorted(pyphen.LANGUAGES)))
    return Hyphenator(code) if code else None
