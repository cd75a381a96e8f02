"""Links inside the site must lead somewhere: every relative `href` and `src` to a page or
file the site holds, every `#fragment` to an id on that page. The build fails otherwise,
before anything is published. And `sitemap.xml` lists every page."""
from __future__ import annotations

import posixpath
from typing import Iterable, Optional
from urllib.parse import unquote, urlsplit

from lxml import etree

from ...errors import ExportError

_EXTERNAL = ("http:", "https:", "mailto:", "tel:", "data:")


def page_links(tree: etree._Element) -> tuple[set[str], list[str]]:
    """The ids a page holds and the links it makes (href and src)."""
    ids: set[str] = set()
    links: list[str] = []
    for e in tree.iter():
        value = e.get("id")
        if value is not None:
            ids.add(value)
        for attr in ("href", "src"):
            value = e.get(attr)
            if value is not None:
                links.append(value)
        if e.tag == "meta" and e.get("http-equiv") == "refresh":
            links.append(e.get("content", "").partition("url=")[2])
    return ids, links


def resolve(page_path: str, link: str) -> Optional[tuple[str, str]]:
    """(file inside the site, fragment) a relative link leads to; None for external links."""
    if link.startswith(_EXTERNAL) or link.startswith("//"):
        return None
    parts = urlsplit(link)
    path = unquote(parts.path)
    if path.startswith("/"):
        target = path.lstrip("/")
    elif path:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page_path), path))
        if path.endswith("/") or target == ".":
            target = "" if target == "." else target + "/"
    else:
        target = page_path
    if target == "" or target.endswith("/"):
        target += "index.html"
    return target, unquote(parts.fragment)


def check_links(pages: dict[str, tuple[set[str], list[str]]], files: Iterable[str],
                later: tuple[str, ...] = ()) -> None:
    """`pages`: each page's (ids, links); `files`: the other files the site holds; links
    under `later` (the search bundle, written afterwards) are checked separately."""
    files = set(files) | set(pages)
    problems = []
    for path, (_, links) in sorted(pages.items()):
        for link in links:
            target = resolve(path, link)
            if target is None:
                continue
            file, fragment = target
            if file.startswith("../") or file == "..":
                problems.append(f"{path}: {link!r} leads out of the site")
            elif file.startswith(later):
                continue
            elif file not in files:
                problems.append(f"{path}: {link!r} leads to no page or file of the site")
            elif fragment and (file not in pages or fragment not in pages[file][0]):
                problems.append(f"{path}: {link!r}: no id {fragment!r} on {file}")
    if problems:
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise ExportError("web: links that lead nowhere: " + "; ".join(problems[:5]) + more)


SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap(pages: Iterable[str], base_url: Optional[str], lastmod: str) -> bytes:
    """Every page (redirect pages aside) by its URL: absolute with `base_url`, else relative
    to the site's root (which a sitemap should not be: the build warns)."""
    root = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS})
    root.text = "\n"
    from .html import url_segment
    for path in sorted(pages):
        href = "/".join(url_segment(p) for p in path.removesuffix("index.html").split("/"))
        url = etree.SubElement(root, f"{{{SITEMAP_NS}}}url")
        etree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = (base_url or "") + href
        etree.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = lastmod
        url.tail = "\n"
    return etree.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
