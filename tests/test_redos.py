"""No line makes the parser backtrack for long (issue 18): for each rule, an adversarial family
of inputs — runs of its own separators, near misses — is parsed at two sizes ten times apart,
and the time must grow about tenfold, not a hundredfold. A ratio, not an absolute time, so a
loaded machine does not fail it. The large sizes (1 MB lines, 100,000 documents) are in
bench/redos.py."""
import time

import pytest

from corresp.readers.text.parser import read_text
from corresp.readers.text.heading import parse_heading

HEAD = "Kaganovich to Stalin August 14, 1935\n\nArchive: RGASPI F. 558. Op. 11. D. 88. L. 9. Original.\n"

FAMILIES = {
    "spaces in a paragraph": lambda n: HEAD + "Before" + " " * n + "after.\n",
    "spaces before a number": lambda n: HEAD + "Before" + " " * n + "1 after.\n",
    "spaces before a superscript": lambda n: HEAD + "Before" + " " * n + "¹ after.\n",
    "a rule that is not one": lambda n: HEAD + "text.\n" + "_" * n + "x\n",
    "times that are not a secretary line": lambda n: HEAD + " ".join(f"{10 + i % 50} h." for i in range(n // 6)) + " x\n",
    "sentences": lambda n: HEAD + "The word said 1 . And more, " * (n // 28) + "\n",
    "initials": lambda n: HEAD + "A. " * (n // 3) + "\n",
    "superscript markers": lambda n: HEAD + "word¹ " * (n // 6) + "\n",
    "numbers": lambda n: HEAD + "1 " * (n // 2) + "\n",
    "pipes": lambda n: "|" * n + "\n" + HEAD,
    "roman dates": lambda n: HEAD + "1/I" * (n // 3) + "\n",
    "labels": lambda n: HEAD + "a: " * (n // 3) + "\n",
    "documents": lambda n: "".join(f"A to B August {1 + i % 28}, 1935\nArchive: R F. 1. Op. 1. D. 1. L. 1.\nText.\n"
                                   for i in range(n // 60)),
    "notes": lambda n: HEAD + "text 1 .\n_____\n" + "".join(f"{i} note\n" for i in range(1, n // 10)),
    "requisites labels": lambda n: "A — Б 5 мая 1935 г.\n\nРеквизиты\n" + "Метки: \n" * (n // 8) + "Текст.\n",
    # the page's structure (readers/text/layout.py) and the apparatus after the text
    "a pager that is not one": lambda n: "1 ... 2 " * (n // 8) + "x\n" + HEAD + "Text.\n",
    "page numbers": lambda n: HEAD + "Text.\n" + "318\n" * (n // 4),
    "chrome cells": lambda n: HEAD + "Text " + "a | " * (n // 4) + "\n",
    "two-line headings": lambda n: "".join(f"А — Б\n{1 + i % 28} мая 1935 г.\nТекст.\n" for i in range(n // 30)),
    "contents entries": lambda n: "".join("A to B August 1, 1935\nNext |\n" for _ in range(n // 30)) + HEAD + "x.\n",
    "document numbers": lambda n: "".join(f"№{i}\nA to B August 1, 1935\nText.\n" for i in range(n // 35)),
    "a kind and many names": lambda n: HEAD + "Text.\n" + "Letter to " + "A. B. Name, " * (n // 12) + "x\n",
    "archive-like lines": lambda n: HEAD.split("Archive")[0] + "Text.\n" + "F. 1. " * (n // 6) + "\n",
    "transmission records": lambda n: HEAD + "Text.\nStalin.\n" + "Из Москвы отправлена 1 " * (n // 23) + "\n",
    "orphan markers": lambda n: HEAD + "word.1 " * (n // 7) + "\n",
    "dotted notes": lambda n: HEAD + "text1.\nПримечания:\n" + "".join(f"{i}. Note.\n" for i in range(1, n // 10)),
    # layouts2: pagers with arrows, dressed page numbers, labelled author lines, places alone
    "a pager with arrows that is not one": lambda n: "<< " + "1 ... 2 " * (n // 8) + "x >>\n" + HEAD + "Text.\n",
    "dressed page numbers": lambda n: HEAD + "Text.\n" + "- 318 -\nстр. 4\n" * (n // 14),
    "dashes around a non-number": lambda n: HEAD + "Text.\n— " + " " * n + "1 x\n",
    "an author line that is not one": lambda n: "Автор: " + "А. " * (n // 3) + "x\n" + HEAD + "Text.\n",
    "places after the signature": lambda n: HEAD + "Text.\nStalin.\n12/IX.\n" + "Москва.\n" * (n // 8),
    "parties broken after a dash": lambda n: "".join(f"А, Б —\nВ\n{1 + i % 28} мая 1935 г.\nТекст.\n"
                                                     for i in range(n // 30)),
    "dangling dashes": lambda n: "А —\n" * (n // 4) + HEAD + "Text.\n",
    "numbered parties lines": lambda n: "".join(f"№ {i}. А – Б\n[Не позднее {1 + i % 28} мая 1935 г.]\nТекст.\n"
                                                for i in range(n // 45)),
    "a leaf opening in notes": lambda n: "Title\n" + "".join(f"{1 + i % 9} note text\nрест\n" for i in range(n // 18))
                                        + "318\n" + HEAD + "Text.\n",
    "minutes that are not": lambda n: HEAD + "Text.\nStalin.\n" + "19 ч. 30 м" * (n // 10) + "x\n",
}


def best_time(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        read_text(text, "adversarial.txt")
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize("family", FAMILIES)
def test_parse_time_grows_linearly(family):
    make = FAMILIES[family]
    small, large = best_time(make(3_000)), best_time(make(30_000))
    # Linear is 10; quadratic 100. Very small times are mostly fixed cost: floor them.
    assert large / max(small, 0.002) < 35, f"{family}: {small:.4f} s → {large:.4f} s"


@pytest.mark.parametrize("count", [30, 60])
def test_a_heading_of_many_names_is_refused_at_once(count):
    start = time.perf_counter()
    assert parse_heading(", ".join(["A"] * count) + " and " + " A" * count + " x August 1, 1935") is None
    parse_heading(", ".join(["A"] * count) + " August 1, 1935")
    assert time.perf_counter() - start < 0.5
