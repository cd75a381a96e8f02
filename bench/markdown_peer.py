"""The peer's input: the same edition as pandoc Markdown with footnotes, as a user who
picked plain pandoc would write it. Only for the benchmark; corresp itself never feeds
pandoc Markdown."""
from __future__ import annotations

import re

import pypandoc

from corresp.model import Edition, Enclosure

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~^$@&\"'])")


def pandoc() -> str:
    return pypandoc.get_pandoc_path()


def _esc(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def _inline(p, doc_key: str) -> str:
    out = []
    for i in p.content:
        if i.type == "text":
            out.append(_esc(i.text))
        else:
            out.append(f"[^{doc_key}-{i.number}]")
    return "".join(out)


def to_markdown(edition: Edition) -> str:
    lines = [f"% {_esc(edition.title)}", ""]
    for ci, chapter in enumerate(edition.chapters):
        lines += [f"# {_esc(chapter.title)}", ""]
        for p in chapter.intro:
            lines += [_inline(p, f"c{ci}"), ""]
        for n in chapter.notes:
            lines += [f"[^c{ci}-{n.number}]: {_esc(n.text)}", ""]
        for di, doc in enumerate(chapter.documents):
            key = f"d{ci}x{di}"
            lines += [f"## {_esc(doc.heading)}", ""]
            if doc.archive_text:
                lines += [f"*{_esc(doc.archive_text)}*", ""]
            for role, block in doc.iter_blocks():
                if isinstance(block, Enclosure):
                    lines += ["> " + _inline(p, key) + "\n>" for p in block.paragraphs]
                    lines.append("")
                else:
                    lines += [_inline(block, key), ""]
            for n in doc.footnotes:
                lines += [f"[^{key}-{n.number}]: {_esc(n.text)}", ""]
    return "\n".join(lines)
