"""Small helpers the parser's tests share."""
from corresp.readers.text.parser import read_text


def parse_one(text: str, name: str = "page.txt"):
    """The one document of a source text, and the diagnostics."""
    edition, diags = read_text(text, name)
    [doc] = edition.documents
    return doc, diags


def marked(p) -> str:
    """A paragraph's text with its note markers as [n]."""
    return "".join(i.text if i.type == "text" else f"[{i.number}]" for i in p.content)
