"""Property-based tests: mutate real sources and check the parser's promises.

Whatever the input, the parser either raises the project's own error type or returns a
valid model that accounts for every character of the source (coverage) and round-trips
through JSON.
"""
import json

from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import FIXTURES, SEED
from corresp.coverage import measure
from corresp.errors import CorrespError
from corresp.exporters.json_edition import edition_to_json
from corresp.readers.json_edition import edition_from_json
from corresp.readers.text.parser import read_bytes
from corresp.readers.text.source import decode, split_lines

SOURCES = [SEED.read_text(encoding="utf-8"), (FIXTURES / "ru-1933-08.txt").read_text(encoding="utf-8"),
           (FIXTURES / "messy-1932-10.txt").read_bytes().decode("utf-8-sig"),
           (FIXTURES / "superscripts-1934-05.txt").read_text(encoding="utf-8")]

NASTY = st.sampled_from([
    "\u202eRTL override\u202c", "שלום עליכם", "مرحبا", "😀👍🏽", "e\u0301\u0301", "\u0007", "\x1b[31m", "\u00a0",
    "\t", "<script>alert(1)</script>", "&amp;", "]]>", "{", "\\", "$x$", "`", "*", "#", "[1935]", "_____",
    "Archive:", "1 ", " 2 .", "HideRequisites", "Note:", "\ufeff", "\r", "\u2028", "\ufffe",
])


@st.composite
def mutated_source(draw):
    lines = draw(st.sampled_from(SOURCES)).splitlines()
    for _ in range(draw(st.integers(0, 12))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "glue", "split", "insert", "nasty"]))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "glue" and i + 1 < len(lines):
            lines[i:i + 2] = [lines[i] + " " + lines[i + 1]]
        elif op == "split" and lines[i]:
            k = draw(st.integers(0, len(lines[i])))
            lines[i:i + 1] = [lines[i][:k], lines[i][k:]]
        elif op == "insert":
            lines.insert(i, draw(st.text(max_size=40)))
        else:
            k = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:k] + draw(NASTY) + lines[i][k:]
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = newline.join(lines)
    if draw(st.booleans()):
        text = "\ufeff" + text
    return text.encode("utf-8", "surrogatepass")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated_source())
def test_parser_keeps_its_promises(data):
    try:
        edition, diagnostics = read_bytes(data, "fuzz.txt")
    except CorrespError as exc:
        assert str(exc).startswith("fuzz.txt")
        return
    lines = split_lines(decode(data, "fuzz.txt"))
    cov = measure(edition, edition.chapters[0], lines, "fuzz.txt")
    assert cov.unaccounted == [], cov.report()
    again = edition_from_json(json.loads(json.dumps(edition_to_json(edition))))
    assert again == edition
    dumped = edition.model_dump_json()
    assert not any(ch in dumped for ch in "\x07\x1b\ufffe")
