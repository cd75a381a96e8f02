"""The web edition (a `NAME.web/` folder) → chapters and letters as a visitor reads them:
from the home page to each chapter's page (its title, introduction and editorial notes),
from there to each letter's page in the chapter's order (its heading, the paragraphs of its
text with each marker in place, its notes). A marker must lead to its note on the page,
whose number links back to it; a letter the chapter links to must exist."""
from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import unquote

from lxml import html as lxml_html

from . import INTRO, DocNotes, broken_marker, marker, norm


def _load(root: Path, rel: str):
    path = root / rel
    return lxml_html.fromstring(path.read_bytes(), parser=lxml_html.HTMLParser(encoding="utf-8", huge_tree=True))


def _target(page: str, href: str) -> str:
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(href.split("#")[0])))
    return target + "/index.html"


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def _text(el) -> str:
    return norm(el.text_content())


def _read_notes(scope, ids: dict, doc: DocNotes) -> None:
    for li in scope.iterfind(".//section[@class='notes']//li"):
        label_el = li.find(".//a")
        label = _text(label_el) if label_el is not None else ""
        paras = li.findall("p")
        text = norm(" ".join(_text(p) for p in paras)) if paras else _text(li)
        if text.startswith(label):
            text = text[len(label):].strip()
        back = (label_el.get("href") or "").lstrip("#") if label_el is not None else ""
        doc.notes.append((label, text if back in ids else text + " [backlink does not resolve]"))


def _paragraph(p, ids: dict) -> str:
    out = [p.text or ""]
    for child in p:
        if child.tag == "a" and "noteref" in _classes(child):
            label = _text(child)
            note = ids.get((child.get("href") or "").lstrip("#"))
            back = note.find(".//a") if note is not None else None
            ok = back is not None and _text(back) == label and (back.get("href") or "").lstrip("#") == child.get("id")
            out.append(marker(label) if ok else broken_marker(label))
        elif isinstance(child.tag, str):
            out.append(child.text_content())
        out.append(child.tail or "")
    return norm("".join(out))


def _paragraphs(section, ids: dict) -> list[str]:
    found = []
    for child in section:
        if child.tag == "p":
            found.append(_paragraph(child, ids))
        elif child.tag == "blockquote":
            found += [_paragraph(q, ids) for q in child.iterfind("p")]
    return found


def read(path: Path) -> list[DocNotes]:
    root = Path(path)
    home = _load(root, "index.html")
    chapters = [a.get("href") for a in home.iterfind(".//section[@class='chapter-summary']/h3/a")]
    docs: list[DocNotes] = []
    for href in chapters:
        rel = _target("index.html", href)
        page = _load(root, rel)
        ids = {e.get("id"): e for e in page.iter() if isinstance(e.tag, str) and e.get("id")}
        main = page.find(".//main")
        chapter = DocNotes(rel, _text(main.find("h1")), kind=INTRO, paragraphs=[])
        intro = main.find("section[@class='intro']")
        if intro is not None:
            _read_notes(main, ids, chapter)
            chapter.paragraphs = _paragraphs(intro, ids)
        docs.append(chapter)
        for a in main.iterfind("ol[@class='letters']/li/a"):
            letter_rel = _target(rel, a.get("href"))
            if not (root / letter_rel).is_file():
                docs.append(DocNotes(letter_rel, f"[{a.get('href')}: no such page]"))
                continue
            letter = _load(root, letter_rel)
            ids = {e.get("id"): e for e in letter.iter() if isinstance(e.tag, str) and e.get("id")}
            article = letter.find(".//article")
            doc = DocNotes(letter_rel, _text(article.find("h1")))
            _read_notes(article, ids, doc)
            text = next((s for s in article.iterfind("section") if "letter-text" in _classes(s)), None)
            doc.paragraphs = _paragraphs(text, ids) if text is not None else []
            docs.append(doc)
    return docs
