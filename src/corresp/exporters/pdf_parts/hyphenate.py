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

_BOUND = re.compile("[^\u00a0\u202f]+")  # the words of a unit bound by no-break spaces
_WORD = re.compile(r"^(\W*)(.*?)(\W*)$", re.DOTALL)
MIN_LETTERS = 6
# A bare language code picks these patterns: pyphen's "en" are the British (etymological)
# ones, which split "represent-at-ives"; American patterns are the common default.
_BARE = {"en": "en_US"}


class Hyphenator:
    def __init__(self, language: str):
        self.language = language
        self._dic: Optional[pyphen.Pyphen] = None  # loaded when first asked (75 ms for English)
        self._cache: dict[str, list[tuple[str, str, bool]]] = {}

    @property
    def dic(self) -> pyphen.Pyphen:
        # Loaded only when a word is first broken: a layout whose lines were broken by
        # another process (prebreak.py) may never need it.
        if self._dic is None:
            self._dic = pyphen.Pyphen(lang=self.language, left=2, right=3)
        return self._dic

    def splits(self, word: str, capitalised: bool = False, ties: bool = False) -> list[tuple[str, str, bool]]:
        """Where `word` may break: (head, tail, adds a hyphen?), the longest head first.
        `capitalised`: break capitalised words too (the line breaker's last resort before
        a loose line). `ties`: a unit of words bound by no-break spaces breaks inside any of
        them, not only its last (the very last resort). A head holds the no-break spaces
        before its break: `nbsp_count`."""
        key = (word, capitalised, ties) if capitalised or ties else word
        got = self._cache.get(key)
        if got is None:
            got = self._cache[key] = self._splits(word, capitalised, ties)
        return got

    def _splits(self, word: str, capitalised: bool = False, ties: bool = False) -> list[tuple[str, str, bool]]:
        # The house typography binds words with no-break spaces (`«о\u00a0хлебозаготовках»`,
        # `Comrade\u00a0N.N.\u00a0On`): the unit never breaks at them, but its last word
        # may still break at its own hyphenation points, and in the very last resort (`ties`:
        # rather than a line beyond the word-space limits) its other words too (the tie is kept either way: the words it binds stay on one
        # line). Else a long unit cannot break and the line before it opens wide gaps.
        if NO_BREAK_SPACE in word or NARROW_NO_BREAK_SPACE in word:
            out = []
            pieces = list(_BOUND.finditer(word))
            for piece in (pieces if ties else pieces[-1:]):
                a = piece.start()
                out += [(word[:a] + h, t + word[piece.end():], adds)
                        for h, t, adds in self._splits(piece.group(), capitalised)]
            out.sort(key=lambda s: -len(s[0]))
            return out
        out = [(word[:i + 1], word[i + 1:], False) for i, ch in enumerate(word)
               if ch == "-" and i >= 2 and len(word) - i > 3 and word[i - 1].isalpha() and word[i + 1].isalpha()]
        lead, core, _ = _WORD.match(word).groups()
        # Capitalised words are mostly names here (Pyatnitsky, Ordzhonikidze), which the
        # language's patterns do not know: they are not broken (InDesign's "hyphenate
        # capitalized words" off).
        if len(core) >= MIN_LETTERS and core.isalpha() and (capitalised or not core[0].isupper()):
            out += [(word[:len(lead) + p], word[len(lead) + p:], True) for p in self.dic.positions(core)]
        out.sort(key=lambda s: -len(s[0]))
        return out


def nbsp_count(text: str) -> int:
    """The no-break spaces in `text` that justification widens like spaces (U+00A0: the
    subsets draw it as code 32; a narrow one keeps its width, as words.tokenize counts)."""
    return text.count(NO_BREAK_SPACE)


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
