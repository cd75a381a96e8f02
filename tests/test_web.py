"""The web edition (-f web) without a browser: pages parse as HTML5, links resolve, the
sitemap lists every page, the content is where a reader looks for it, builds reproduce,
the search words for Russian, and `verify` reads the site back."""
import hashlib
import json
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from lxml import etree, html as lxml_html

from conftest import SEED
from web_helpers import BASE_URL, RU, build_site, en_site, pagefind_missing, ru_site  # noqa: F401 (fixtures)

html5lib = pytest.importorskip("html5lib", reason="html5lib is not installed (the test extra)")


def pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if not p.relative_to(site).as_posix().startswith("pagefind/"))


def parse(site: Path, rel: str):
    return lxml_html.fromstring((site / rel).read_bytes(), parser=lxml_html.HTMLParser(encoding="utf-8"))


def test_every_page_parses_as_html5_and_has_a_lang(en_site, ru_site):
    for site in (en_site, ru_site):
        for rel in pages(site):
            data = (site / rel).read_bytes()
            parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
            tree = parser.parse(data)  # raises on any parse error
            assert tree.get("lang") in ("en", "ru"), rel
            assert data.startswith(b"<!DOCTYPE html>\n"), rel


def test_every_internal_link_and_fragment_resolves(en_site):
    ids, links = {}, []
    for rel in pages(en_site):
        tree = parse(en_site, rel)
        ids[rel] = {e.get("id") for e in tree.iter() if isinstance(e.tag, str) and e.get("id")}
        links += [(rel, e.get("href") or e.get("src")) for e in tree.iter()
                  if isinstance(e.tag, str) and (e.get("href") or e.get("src"))]
    checked = 0
    for rel, link in links:
        parts = urlsplit(link)
        if parts.scheme or link.startswith("//"):
            continue
        target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), unquote(parts.path))) if parts.path else rel
        if (en_site / target).is_dir():
            target = posixpath.join(target, "index.html")
        assert (en_site / target).is_file(), f"{rel}: {link}"
        if parts.fragment:
            assert unquote(parts.fragment) in ids[target], f"{rel}: {link}"
        checked += 1
    assert checked > 900  # (38 letters: nav, neighbours, notes, downloads; the calendar, the register)


def test_the_sitemap_lists_every_page_but_redirects(en_site):
    root = etree.parse(str(en_site / "sitemap.xml")).getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    listed = {loc.text for loc in root.iterfind(".//s:loc", ns)}
    expected = {BASE_URL + rel.removesuffix("index.html") for rel in pages(en_site)
                if not rel.startswith("letters/old-first-letter/")}
    assert listed == expected
    assert len([u for u in listed if "/letters/" in u]) == 38


def test_a_letter_page_holds_its_parts_notes_and_neighbours(en_site, seed_edition):
    doc = next(d for d in seed_edition.documents if len(d.footnotes) >= 2)
    k = seed_edition.documents.index(doc)
    from corresp.typography import fold  # the pages are in house typography (curly quotes, nbsp)
    tree = parse(en_site, f"letters/{doc.id}/index.html")
    assert fold(tree.find(".//h1").text_content()).endswith(fold(doc.heading))
    assert "\u00a0" in tree.find(".//h1").text_content()  # set by corresp.typography: "August 15, 1935"
    notes = tree.findall(".//section[@class='notes']//li")
    assert [fold(n.text_content().split(" ", 1)[1]) for n in notes] == \
        [fold(n.text.replace("\n", "")) for n in doc.footnotes]
    ref = tree.get_element_by_id("ref-1")
    assert ref.get("href") == "#note-1" and tree.get_element_by_id("note-1").find(".//a").get("href") == "#ref-1"
    meta = {m.get("name"): m.get("content") for m in tree.iterfind(".//meta")}
    url = f"{BASE_URL}letters/{doc.id}/"
    assert fold(meta["citation_title"]) == fold(doc.heading) and meta["DC.identifier"] == url
    assert tree.find(".//link[@rel='canonical']").get("href") == url
    assert url in tree.find(".//details[@class='cite']").text_content()
    assert "Version of 2026-01-01" in tree.find(".//details[@class='cite']").text_content()
    # by date: the sample is in date order, so the neighbours are the edition's
    prev = tree.find(".//nav[@class='letter-nav']/ul/li[@class='prev']/a")
    assert prev.get("href") == f"../../letters/{seed_edition.documents[k - 1].id}/"
    for name in (f"{doc.id}.tei.xml", f"{doc.id}.json"):
        assert (en_site / "letters" / doc.id / name).is_file()
    data = json.loads((en_site / "letters" / doc.id / f"{doc.id}.json").read_bytes())
    assert data["document"]["id"] == doc.id and data["url"] == url
    assert data["document"]["heading"] == doc.heading  # the downloads keep the source's characters
    tei = etree.parse(str(en_site / "letters" / doc.id / f"{doc.id}.tei.xml"))
    letters = tei.findall(".//{http://www.tei-c.org/ns/1.0}div[@type='letter']")
    assert len(letters) == 1 and letters[0].get("n") == str(k + 1)  # its number in the whole edition


def test_within_the_pair_skips_letters_of_other_correspondents(en_site, seed_edition):
    from corresp.exporters.web_parts.site import pair_key
    docs = seed_edition.documents
    for k, doc in enumerate(docs):
        later = [d for d in docs[k + 1:] if pair_key(d) == pair_key(doc)]
        if later and later[0] is not docs[k + 1]:
            break
    else:
        pytest.fail("no letter whose next in the pair is not the next by date")
    tree = parse(en_site, f"letters/{doc.id}/index.html")
    nxt = tree.find(".//nav[@class='letter-nav']/ul[@class='pair']/li[@class='next']/a")
    assert nxt.get("href") == f"../../letters/{later[0].id}/"


def test_edition_pages(en_site, seed_edition):
    home = parse(en_site, "index.html")
    assert home.find(".//h1").text == seed_edition.title
    from corresp.typography import fold
    assert fold(seed_edition.chapters[0].intro[0].text[:60]) in fold(home.text_content())
    register = parse(en_site, "correspondents/index.html").text_content()
    assert "Kaganovich — sent" in register and "Stalin — sent" in register
    stalin = parse(en_site, "correspondents/Stalin/index.html")
    assert {h.text.split(" (")[0] for h in stalin.iterfind(".//h2")} == {"Sent", "Received"}
    year = parse(en_site, "calendar/1935/index.html")
    assert year.get_element_by_id("m08").text == "August"
    assert len(year.findall(".//table//tbody/tr")) == 38
    about = parse(en_site, "about/index.html").text_content()
    assert "2026-01-01" in about
    search = parse(en_site, "search/index.html")
    assert "needs JavaScript" in search.find(".//noscript").text_content()


def test_cmif_refs_are_the_letters_urls(en_site, seed_edition):
    tei = "{http://www.tei-c.org/ns/1.0}"
    root = etree.parse(str(en_site / "cmif.xml")).getroot()
    refs = [d.get("ref") for d in root.iter(f"{tei}correspDesc")]
    assert refs == [f"{BASE_URL}letters/{d.id}/" for d in seed_edition.documents]
    assert root.find(f".//{tei}idno[@type='url']").text == f"{BASE_URL}cmif.xml"


def test_a_redirect_page_leads_to_the_new_id(en_site, seed_edition):
    tree = parse(en_site, "letters/old-first-letter/index.html")
    refresh = tree.find(".//meta[@http-equiv='refresh']").get("content")
    assert refresh == f"0; url=../../letters/{seed_edition.documents[0].id}/"


def test_a_redirect_to_no_letter_is_an_error(tmp_path):
    from corresp.errors import ConfigError
    if pagefind_missing():
        pytest.skip(pagefind_missing())
    with pytest.raises(ConfigError, match="no letter of the edition has the id 'nowhere'"):
        build_site(tmp_path / "out", SEED, redirects={"old": "nowhere"})
    assert not (tmp_path / "out" / "1935-08.web").exists()


def test_a_link_that_leads_nowhere_fails_the_build():
    from corresp.errors import ExportError
    from corresp.exporters.web_parts.links import check_links
    pages = {"index.html": ({"top"}, ["letters/a/", "#top"]), "letters/a/index.html": (set(), ["../../#nope"])}
    with pytest.raises(ExportError, match="no id 'nope' on index.html"):
        check_links(pages, [])
    pages["letters/a/index.html"] = (set(), ["../b/"])
    with pytest.raises(ExportError, match="leads to no page"):
        check_links(pages, [])


def test_pages_are_byte_identical_between_builds(en_site, tmp_path):
    again = build_site(tmp_path / "again", SEED, redirects=_redirects(en_site))

    def digest(site):
        return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in site.rglob("*") if p.is_file() and not p.relative_to(site).as_posix().startswith("pagefind/")}
    assert digest(again) == digest(en_site)


def _redirects(site):
    tree = parse(site, "letters/old-first-letter/index.html")
    target = tree.find(".//meta[@http-equiv='refresh']").get("content").rsplit("/", 2)[-2]
    return {"old-first-letter": target}


def test_russian_letters_index_their_lemmas_and_e_for_yo(ru_site):
    from corresp.exporters.web_parts.search import russian_index_words
    words = russian_index_words(["Посылаю проект «о хлебозаготовках». Ёлки, щи."]).split()
    assert "хлебозаготовка" in words and "елки" in words and "посылать" in words
    tree = parse(ru_site, next(p for p in pages(ru_site) if p.startswith("letters/")))
    hidden = tree.find(".//article/div[@hidden]")
    assert hidden is not None and hidden.get("data-pagefind-weight") == "0.1"
    assert tree.get("lang") == "ru"


def test_verify_reads_the_web_edition_back(en_site, ru_site):
    from corresp.verify import verify_dir
    for site in (en_site, ru_site):
        problems, checked = verify_dir(site.parent)
        assert problems == [] and site in checked


def test_verify_finds_a_changed_note_on_the_site(tmp_path):
    from corresp.verify import verify_dir
    if pagefind_missing():
        pytest.skip(pagefind_missing())
    site = build_site(tmp_path / "out", RU)
    page = next(p for p in (site / "letters").rglob("index.html") if b"note-1" in p.read_bytes())
    page.write_bytes(re.sub(rb'(id="note-1"><p><a[^>]*>1</a> )', rb"\1CHANGED ", page.read_bytes()))
    problems, _ = verify_dir(site.parent)
    assert any("note 1: text differs" in p and "CHANGED" in p for p in problems), problems


def test_edition_toml_base_url_reaches_the_site_and_a_bad_one_is_refused(tmp_path):
    import shutil
    import subprocess
    import sys
    if pagefind_missing():
        pytest.skip(pagefind_missing())
    shutil.copy(RU, tmp_path / "ru.txt")
    (tmp_path / "edition.toml").write_text('sources = ["ru.txt"]\nname = "vol"\nbase_url = "https://example.org/ed"\n',
                                           encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "corresp", "build", "-f", "web", "-f", "cmif", "-q"], cwd=tmp_path,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    home = (tmp_path / "output" / "vol.web" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.org/ed/">' in home
    assert "https://example.org/ed/letters/" in (tmp_path / "output" / "vol.cmif.xml").read_text(encoding="utf-8")
    (tmp_path / "edition.toml").write_text('sources = ["ru.txt"]\nbase_url = "example.org/ed?x=1"\n', encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "corresp", "build", "-f", "web"], cwd=tmp_path, capture_output=True,
                       text=True)
    assert r.returncode == 3 and "edition.toml: base_url:" in r.stderr and "Traceback" not in r.stderr


def test_without_pagefind_the_web_edition_says_how_to_get_it(tmp_path, monkeypatch):
    from corresp.errors import ExportError
    from corresp.exporters.web_parts import search
    monkeypatch.setattr(search, "pagefind_binary", lambda: None)
    with pytest.raises(ExportError, match=r"pip install 'corresp\[web\]'"):
        build_site(tmp_path / "out", RU)
    assert list((tmp_path / "out").iterdir()) == []  # whole or not at all: not even the JSON


def test_the_kind_filter_names_the_kind_not_a_stamp():
    from corresp.exporters.web_parts.labels import labels_for
    from corresp.exporters.web_parts.letter import kind_of
    from corresp.model import Document, Paragraph, Text

    def doc(*lines, **requisites):
        return Document(id="x", heading="h", transmission=[Paragraph(content=[Text(text=t)]) for t in lines],
                        requisites=requisites)
    ru, en = labels_for("ru"), labels_for("en")
    assert kind_of(doc("Строго секретно.", "Шифровка."), ru) == "Шифровка"
    assert kind_of(doc("Шифром."), ru) == "Шифровка"
    assert kind_of(doc("Копия.", "Серия «Г»."), ru) == "Письмо"
    assert kind_of(doc("Шифровка.", **{"Тип документа": "Записка"}), ru) == "Записка"
    assert kind_of(doc("Encryption."), en) == "Encryption" and kind_of(doc(), en) == "Letter"


def test_odd_ids_make_working_addresses_and_a_slash_is_refused(seed_edition):
    from corresp.errors import ExportError
    from corresp.exporters import ExportOptions
    from corresp.exporters.web import build_site
    from corresp.model import Edition
    odd = ["что?", "100%", "a&b<c>", "x..y", "%2F"]
    data = seed_edition.model_dump()
    for doc, new in zip(data["chapters"][0]["documents"], odd):
        doc["id"] = new
    site = build_site(Edition.model_validate(data), ExportOptions(base_url=BASE_URL))  # links checked inside
    for new in odd:
        assert f"letters/{new}/index.html" in site.files
    assert "../../letters/%D1%87%D1%82%D0%BE%3F/" in site.links["calendar/1935/index.html"][1]
    assert "../../letters/%252F/" in site.links["calendar/1935/index.html"][1]  # a percent sign, encoded
    data["chapters"][0]["documents"][0]["id"] = "a/b"
    with pytest.raises(ExportError, match="cannot be a web address's folder"):
        build_site(Edition.model_validate(data), ExportOptions())


def test_a_letter_page_is_small(en_site):
    sizes = [p.stat().st_size for p in (en_site / "letters").glob("*/index.html")]
    assert max(sizes) <= 40 * 1024  # before search; bench/web.py measures the 100× edition too
