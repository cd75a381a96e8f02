"""Nothing lost: every character of each source is in the model or in the recorded debris."""
import subprocess
import sys

import pytest

from conftest import FIXTURES, SEED
from corresp.coverage import measure_files
from corresp.readers.text.parser import read_edition


@pytest.mark.parametrize("path", [SEED, FIXTURES / "messy-1932-10.txt", FIXTURES / "ru-1933-08.txt",
                                  FIXTURES / "superscripts-1934-05.txt"])
def test_full_coverage(path):
    edition, _ = read_edition([path])
    [cov] = measure_files([path], edition)
    assert cov.unaccounted == [] and cov.share == 1.0 and cov.total > 500


def test_coverage_notices_lost_text(tmp_path):
    edition, _ = read_edition([SEED])
    doc = edition.documents[0]
    doc.body.pop()  # drop a paragraph from the model
    [cov] = measure_files([SEED], edition)
    assert [l.number for l in cov.unaccounted] == [22]
    assert cov.share < 1.0


def test_a_removed_marker_is_told_from_an_equal_number_in_the_text(tmp_path):
    # Without its notes rule, a letter's notes stay in the body and its marker "sugar 3 ."
    # has no note: the parser drops that 3, and "within 3 days" earlier in the same line
    # must not make the line look unaccounted for (found by the fuzzer).
    lines = SEED.read_text(encoding="utf-8").split("\n")
    last_rule = max(i for i, line in enumerate(lines) if line.startswith("_____"))
    lines[last_rule] = ""
    source = tmp_path / "no-rule.txt"
    source.write_text("\n".join(lines), encoding="utf-8")
    edition, _ = read_edition([source])
    [cov] = measure_files([source], edition)
    assert cov.unaccounted == [] and cov.share == 1.0
    # ... while losing that line's text is still noticed.
    doc = edition.documents[-1]
    doc.body = [b for b in doc.body if "beet harvesting" not in getattr(b, "text", "")]
    [cov] = measure_files([source], edition)
    assert [l.text[:40] for l in cov.unaccounted] == ["3) We discussed in detail the question o"]


def test_a_note_paragraph_is_not_looked_for_in_the_debris(tmp_path):
    # Found by the fuzzer: a stray `00000` under the notes rule and `Archive:` in the blank
    # line after each note. The first `Archive:` is set aside as a requisite (and the
    # note after it as a second archive line), the second is taken as a further paragraph
    # of the note before it: that paragraph is the second line, not the first with its text.
    lines = (FIXTURES / "ru-1933-08.txt").read_text(encoding="utf-8").split("\n")
    rule = next(i for i, line in enumerate(lines) if line.startswith("_____"))
    for i in range(rule, len(lines)):
        if lines[i][:2] in ("1 ", "2 ") and not lines[i + 1]:
            lines[i + 1] = "Archive:"
    lines.insert(rule + 1, "00000")
    source = tmp_path / "archive-in-notes.txt"
    source.write_text("\n".join(lines), encoding="utf-8")
    edition, _ = read_edition([source])
    [cov] = measure_files([source], edition)
    assert cov.unaccounted == [] and cov.share == 1.0


def test_check_coverage_cli():
    r = subprocess.run([sys.executable, "-m", "corresp", "check", "--coverage", str(SEED)], capture_output=True, text=True)
    assert r.returncode == 0
    # The repairs, counted by kind, for the editor's review.
    assert "by kind: archive-ocr 3, marker-inferred 10, marker-without-note 3" in r.stderr
    assert f"{SEED}: 100.00% of" in r.stdout
