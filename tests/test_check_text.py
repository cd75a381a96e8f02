"""validate.check_text: a character no format can show, or an empty paragraph or note, is
refused with the source line and where in the edition it stands (one line)."""
import pytest

from conftest import SEED
from corresp import validate
from corresp.errors import InputError
from corresp.readers import read_sources


@pytest.fixture(scope="module")
def edition():
    return read_sources([SEED], [])[0]


def _refusal(edition, change) -> str:
    copy = edition.model_copy(deep=True)
    change(copy)
    with pytest.raises(InputError) as caught:
        validate.check_text(copy)
    return str(caught.value)


def _with_notes(e):
    return next(d for d in e.chapters[0].documents if len(d.footnotes) > 1)


def test_the_place_of_a_control_character_is_spelled_out(edition):
    def change(e):
        doc = e.chapters[0].documents[5]
        doc.body[0].content[0].text = "a\x01b"
    message = _refusal(edition, change)
    doc = edition.chapters[0].documents[5]
    assert f":{doc.body[0].line}: document {doc.id}.body[0].content[0].text: holds U+0001" in message


def test_a_note_and_a_list_of_names(edition):
    def note(e):
        _with_notes(e).footnotes[0].text = "n\x02"
    doc = _with_notes(edition)
    assert f"document {doc.id}.footnotes[0].text: holds U+0002" in _refusal(edition, note)

    def empty(e):
        _with_notes(e).footnotes[1].text = " "
    assert f"document {doc.id}.footnotes[1]: note {doc.footnotes[1].number} is empty" in _refusal(edition, empty)

    def names(e):
        e.chapters[0].documents[2].senders.append("x\x03")
    first = edition.chapters[0].documents[2]
    assert f"document {first.id}.senders[{len(first.senders)}]: holds U+0003" in _refusal(edition, names)


def test_an_empty_paragraph_and_a_chapter_title(edition):
    def empty(e):
        e.chapters[0].documents[3].body[1].content = []
    doc = edition.chapters[0].documents[3]
    assert f":{doc.body[1].line}: document {doc.id}.body[1]: an empty paragraph" in _refusal(edition, empty)

    def title(e):
        e.chapters[0].title = "T\x04"
    assert "chapter 1.title: holds U+0004" in _refusal(edition, title)


def test_the_edition_as_read_passes(edition):
    validate.check_text(edition)


def _models(node, out):
    from pydantic import BaseModel
    if isinstance(node, BaseModel):
        out.append(node)
        for value in node.__dict__.values():
            for item in (value if isinstance(value, list) else [value]):
                _models(item, out)
    return out


def test_the_quick_look_clears_only_what_the_walk_clears(edition, monkeypatch):
    """check_text looks at a chapter quickly first (validate._surely_clean) and walks it only
    when something could be wrong: on faults put anywhere (control characters, DEL, C1,
    noncharacters, lone surrogates, a backslash that reads like an escape, empty paragraphs
    and notes), it refuses exactly what the walk alone refuses, with the same message."""
    import random
    from corresp.model import Paragraph, Text
    bad = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1f", "\x7f", "\x85", "\x9f", "\ufffe", "\uffff", "\ud800",
           "\\u00", "\\b", "\t", "\n", "\u00a0"]
    rng = random.Random(25)

    def outcome(e, quick: bool) -> str:
        if not quick:
            monkeypatch.setattr(validate, "_surely_clean", lambda chapter: False)
        try:
            validate.check_text(e)
            return "accepted"
        except InputError as exc:
            return f"{exc} {exc.__dict__}"
        finally:
            monkeypatch.undo()

    refused = 0
    for _ in range(150):
        e = edition.model_copy(deep=True)
        nodes = _models(e, [])
        for _ in range(rng.randint(1, 2)):
            node = rng.choice(nodes)
            strings = [k for k, v in node.__dict__.items() if isinstance(v, str)]
            if strings and rng.random() < 0.7:
                k = rng.choice(strings)
                i = rng.randint(0, len(node.__dict__[k]))
                node.__dict__[k] = node.__dict__[k][:i] + rng.choice(bad) + node.__dict__[k][i:]
            elif isinstance(node, Paragraph):
                node.__dict__["content"] = rng.choice([[], [Text(text="  ")]])
            elif "text" in node.__dict__:
                node.__dict__["text"] = " "
        quick, walked = outcome(e, True), outcome(e, False)
        assert quick == walked
        refused += walked != "accepted"
    assert refused > 30
    assert validate._surely_clean(edition.chapters[0])  # and the seed needs no walk
