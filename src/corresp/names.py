"""Names of correspondents, normalised in one place: the nominative of a printed name.

Russian headings give the recipients in the dative (`Молотов — Сталину`, `Кагановичу,
Жданову`, `Членам Политбюро`). The model keeps every name as printed and adds its
nominative (`Сталин`, `Жданов`, `Члены Политбюро`), which the index, the JSON and every
exporter use. The morphology is pymorphy3's (with its Russian dictionary), not a list of
endings: `Чубарю` is `Чубарь`, `Ивановой` is `Иванова`, `Орджоникидзе` stays as it is.

Which words of a name are inflected: the first word (the head: `Членам`, `Председателю`,
`Сталину`) and every later word that is itself a name (surname, first name, patronymic).
A genitive complement (`Председателю Комиссии`) is left alone, and so is any word that can
be read as a nominative already (`Молотов`, `Политбюро`).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

_CYRILLIC_WORD = re.compile(r"[А-ЯЁа-яё][а-яёА-ЯЁ\-]*")
_NAME_TAGS = ("Surn", "Name", "Patr")


@lru_cache(maxsize=1)
def _analyzer():
    try:
        import pymorphy3
    except ImportError:  # the dictionary is a dependency; without it, names stay as printed
        return None
    return pymorphy3.MorphAnalyzer(lang="ru")


# Initials before or after a surname (`В.М. Молотову`, `L. M. Kaganovich`, `Сталин И.В.`):
# the same person as the bare surname, so the nominative leaves them out. Bounded: linear.
_INITIALS_BEFORE = re.compile(r"^(?:[A-ZА-ЯЁ]\.\s?){1,3}(?=[A-ZА-ЯЁ][^\W\d_]{2})")
_INITIALS_AFTER = re.compile(r"(?<=[^\W\d_]{2})\s+(?:[A-ZА-ЯЁ]\.\s?){1,3}$")


def without_initials(name: str) -> str:
    """`В.М. Молотову` → `Молотову`, `Сталин И.В.` → `Сталин`; other names as they are."""
    if "." not in name:
        return name
    return _INITIALS_AFTER.sub("", _INITIALS_BEFORE.sub("", name.strip())).strip()


def nominative(name: str) -> str:
    """The nominative of a printed name, without its initials (`В.М. Молотову` is
    `Молотов`, as `Молотову` is); the name itself where it is not Russian or is already in
    the nominative."""
    name = without_initials(name)
    if not _CYRILLIC_WORD.search(name):
        return name  # the cheap, usual case of an English edition
    return _nominative(name)


@lru_cache(maxsize=4096)
def _nominative(name: str) -> str:
    morph = _analyzer()
    if morph is None:
        return name
    out = []
    pos = 0
    first = True
    for m in _CYRILLIC_WORD.finditer(name):
        word = m.group(0)
        out.append(name[pos:m.start()])
        pos = m.end()
        if len(word) < 2 or word.isupper():  # initials, abbreviations (ЦК, ВКП)
            out.append(word)
            continue
        out.append(_word_nominative(morph, word, head=first) or word)
        first = False
    out.append(name[pos:])
    return "".join(out)


def _word_nominative(morph, word: str, head: bool) -> Optional[str]:
    parses = morph.parse(word)
    if any(p.tag.case == "nomn" for p in parses):
        return None
    datives = [p for p in parses if p.tag.case == "datv"]
    if not head:
        datives = [p for p in datives if any(t in p.tag for t in _NAME_TAGS)]
    if not datives:
        return None
    # A name reading first (Сталину is the surname Сталин), then the analyser's order.
    best = next((p for p in datives if any(t in p.tag for t in _NAME_TAGS)), datives[0])
    form = best.inflect({"nomn"})
    if form is None:
        return None
    return _same_case(word, form.word)


def _same_case(model: str, word: str) -> str:
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
