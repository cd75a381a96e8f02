"""The web edition in a real browser: Playwright driving the system Chromium (Debian's
`chromium`; Playwright cannot download its own here) against the site served on 127.0.0.1.
axe-core (npm, its path in AXE_CORE: .ci/run installs it) checks every kind of page.

Skips with a message where Playwright, Chromium, Pagefind or axe-core is missing."""
import functools
import os
import re
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from corresp.typography import fold  # the pages are in house typography; the model keeps the source's
from web_helpers import BASE_URL, en_site, ru_site  # noqa: F401 (fixtures)

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (the test extra)")
CHROMIUM = os.environ.get("CORRESP_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian: apt-get install chromium)")


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def serve():
    servers = []

    def start(folder: Path) -> str:
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"
    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def en_url(serve, en_site):
    return serve(en_site)


@pytest.fixture(scope="session")
def ru_url(serve, ru_site):
    return serve(ru_site)


@pytest.fixture(scope="session")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    yield pg
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True)
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    yield pg
    context.close()


def in_view(pg, selector: str) -> bool:
    """The element's middle is on the screen (a marker's tap area may reach past the top)."""
    return pg.evaluate("""sel => { const r = document.querySelector(sel).getBoundingClientRect();
                                   const middle = (r.top + r.bottom) / 2;
                                   return middle >= 0 && middle <= window.innerHeight; }""", selector)


def letter_with_notes(edition):
    return next(d for d in edition.documents if len(d.footnotes) >= 2)


def test_open_a_letter_and_cite_it(page, en_url, seed_edition):
    doc = letter_with_notes(seed_edition)
    page.goto(f"{en_url}letters/{doc.id}/")
    assert fold(page.inner_text("h1")).endswith(fold(doc.heading))
    assert fold(page.title()).startswith(fold(f"{seed_edition.documents.index(doc) + 1}. {doc.heading}"))
    citation = page.locator("details.cite p.citation")
    assert not citation.is_visible()
    page.click("details.cite summary")
    assert citation.is_visible()
    assert citation.inner_text().endswith(f"{BASE_URL}letters/{doc.id}/")


def test_a_letter_keeps_the_house_style_of_its_parts(page, en_url, seed_edition):
    """The EPUB's house style on the web: the text justified, the signature at the right (the
    site's justification must not outrank the parts' own alignment)."""
    doc = next(d for d in seed_edition.documents if d.signature is not None)
    page.goto(f"{en_url}letters/{doc.id}/")
    align = "el => getComputedStyle(el).textAlign"
    assert page.locator("section.document p.signature").first.evaluate(align) == "right"
    assert page.locator("section.document p.body").first.evaluate(align) == "justify"


def test_a_printed_letter_is_the_letter_alone(page, en_url, seed_edition):
    doc = letter_with_notes(seed_edition)
    page.goto(f"{en_url}letters/{doc.id}/")
    page.emulate_media(media="print")
    for hidden in ("header.site nav", "nav.letter-nav", "section.downloads", "footer.site"):
        assert not page.locator(hidden).is_visible(), hidden
    assert page.locator("section.notes").is_visible() and page.locator("dl.letter-meta").is_visible()


def test_marker_to_note_and_back_on_a_phone(phone, en_url, seed_edition):
    doc = letter_with_notes(seed_edition)
    phone.goto(f"{en_url}letters/{doc.id}/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
    phone.tap("#ref-2")
    phone.wait_for_url(re.compile("#note-2$"))
    assert in_view(phone, "#note-2")
    assert fold(doc.footnotes[1].text.split("\n")[0][:40]) in fold(phone.inner_text("#note-2"))
    phone.tap("#note-2 a.note-label")
    phone.wait_for_url(re.compile("#ref-2$"))
    assert in_view(phone, "#ref-2")


def test_a_note_pops_up_on_a_wide_screen(page, en_url, seed_edition):
    doc = letter_with_notes(seed_edition)
    page.goto(f"{en_url}letters/{doc.id}/")
    page.click("#ref-1")
    popup = page.locator(".note-popup")
    assert popup.is_visible() and fold(doc.footnotes[0].text.split("\n")[0][:40]) in fold(popup.inner_text())
    # 1440 px: the text stays a readable column (about 80 characters), centred
    width = page.evaluate("document.querySelector('section.letter-text p.body').getBoundingClientRect().width")
    assert 600 <= width <= 46 * 18


def test_previous_and_next_by_date_and_within_the_pair(page, en_url, seed_edition):
    from corresp.exporters.web_parts.site import pair_key
    docs = seed_edition.documents
    k = next(k for k, d in enumerate(docs[:-1]) if any(pair_key(x) == pair_key(d) for x in docs[k + 2:])
             and pair_key(docs[k + 1]) != pair_key(d))
    doc = docs[k]
    page.goto(f"{en_url}letters/{doc.id}/")
    page.click("nav.letter-nav ul:not(.pair) li.next a")
    page.wait_for_url(f"{en_url}letters/{docs[k + 1].id}/")
    page.click("nav.letter-nav ul:not(.pair) li.prev a")
    page.wait_for_url(f"{en_url}letters/{doc.id}/")
    same = next(x for x in docs[k + 1:] if pair_key(x) == pair_key(doc))
    page.click("nav.letter-nav ul.pair li.next a")
    page.wait_for_url(f"{en_url}letters/{same.id}/")


SEARCH = """async ([q, filters]) => {
  const pf = await import(new URL('../pagefind/pagefind.js', location.href).href);
  const r = await pf.search(q.replace(/ё/g, 'е'), {filters: filters || {}});
  return Promise.all(r.results.map(async x => (await x.data()).url));
}"""


def test_search_finds_a_russian_word_in_another_form(page, ru_url, ru_site):
    page.goto(f"{ru_url}search/")
    page.fill(".pagefind-ui__search-input", "хлебозаготовки")
    holding = {f"/letters/{p.parent.name}/" for p in (ru_site / "letters").glob("*/index.html")
               if "хлебозаготовок" in p.read_text(encoding="utf-8").split("\u2042")[0]}
    # (the UI adds its result links one by one as their data loads: wait for all it will show)
    page.wait_for_function("n => document.querySelectorAll('.pagefind-ui__result-link').length >= n",
                           arg=min(5, len(holding)))
    hrefs = [a.get_attribute("href") for a in page.query_selector_all(".pagefind-ui__result-link")]
    # Every letter holding the other form is found (the index's answer: the page's own list
    # shows the first five and a button for more), and the page shows the first of them.
    assert holding and holding <= set(page.evaluate(SEARCH, ["хлебозаготовки", None])), holding
    assert len(hrefs) >= min(5, len(holding)) and set(hrefs) <= set(page.evaluate(SEARCH, ["хлебозаготовки", None]))
    excerpts = page.inner_text(".pagefind-ui__results")
    assert "хлебозаготов" in excerpts.lower() and "\u2042" not in excerpts
    # sorted by date
    dates = [page.goto(ru_url.rstrip("/") + h) and page.get_attribute("article", "data-pagefind-sort") for h in hrefs]
    assert dates == sorted(dates)


def test_yo_is_found_by_ye_and_the_reverse(page, ru_url, ru_site):
    page.goto(f"{ru_url}search/")
    holding = {f"/letters/{p.parent.name}/" for p in (ru_site / "letters").glob("*/index.html")
               if "Ёлки" in p.read_text(encoding="utf-8")}
    assert len(holding) == 1
    for query in ("елки", "ёлки", "Ёлки"):
        assert holding <= set(page.evaluate(SEARCH, [query, None])), query
    page.fill(".pagefind-ui__search-input", "елки")  # in the page's own box too
    page.wait_for_selector(".pagefind-ui__result-link")
    assert holding <= {a.get_attribute("href") for a in page.query_selector_all(".pagefind-ui__result-link")}


# Inflected forms the volume's text does not hold, each of a word it does (in another form).
RU_QUERIES = ["хлебозаготовки", "вагоны", "колхоз", "заморозки", "оборудование", "станция", "постановлению",
              "снижение", "комиссии", "площадь", "район", "графику", "телеграммы", "секретарь", "ёлка"]


def test_russian_recall_on_inflected_queries(page, ru_url, ru_site):
    """Recall: of the letters that hold a form of the query's word, the share the search
    returns. Measured with the lemmas indexed (search.py); Pagefind's stemmer alone misses
    stem changes such as хлебозаготовки/хлебозаготовок."""
    from corresp.exporters.web_parts.search import _lemma, _WORD
    page.goto(f"{ru_url}search/")
    letters = {}
    for p in (ru_site / "letters").glob("*/index.html"):
        from lxml import html as lxml_html
        article = lxml_html.fromstring(p.read_bytes()).find(".//article")
        text = "".join(t for t in article.itertext() if "\u2042" not in t)
        letters[f"/letters/{p.parent.name}/"] = {_lemma(w.lower()).replace("ё", "е") for w in _WORD.findall(text)}
    found = wanted = 0
    missed = []
    for q in RU_QUERIES:
        lemma = _lemma(q).replace("ё", "е")
        expected = {url for url, lemmas in letters.items() if lemma in lemmas}
        if not expected:
            continue
        got = set(page.evaluate(SEARCH, [q, None]))
        wanted += len(expected)
        found += len(expected & got)
        missed += [(q, url) for url in expected - got]
    recall = found / wanted
    print(f"recall on {len(RU_QUERIES)} inflected queries: {found}/{wanted} = {recall:.2f}")
    assert wanted >= 20 and recall == 1.0, missed


def test_filter_by_sender(page, en_url, seed_edition):
    page.goto(f"{en_url}search/")
    everyone = page.evaluate(SEARCH, ["Moscow", None])
    stalin = page.evaluate(SEARCH, ["Moscow", {"From": "Stalin"}])
    by_stalin = {f"/letters/{d.id}/" for d in seed_edition.documents
                 if any(p.display_name == "Stalin" for p in d.senders)}
    assert stalin and set(stalin) <= by_stalin and len(stalin) < len(everyone)
    # and in the page's own filter panel
    page.fill(".pagefind-ui__search-input", "Moscow")
    page.wait_for_selector(".pagefind-ui__result-link")
    page.click(".pagefind-ui__filter-name:text-is('From')")
    page.check("input.pagefind-ui__filter-checkbox[name='From'][value='Stalin']")
    page.wait_for_function("""urls => { const shown = [...document.querySelectorAll('.pagefind-ui__result-link')]
        .map(a => a.getAttribute('href')); return shown.length > 0 && shown.every(h => urls.includes(h)); }""",
                           arg=stalin)
    shown = [a.get_attribute("href") for a in page.query_selector_all(".pagefind-ui__result-link")]
    assert set(shown) <= set(stalin) and len(shown) == min(len(stalin), 5)  # Pagefind shows 5, then "more"


def test_without_javascript_the_search_page_says_so(browser, en_url):
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(f"{en_url}search/")
    assert "needs JavaScript" in pg.inner_text("main")
    pg.goto(f"{en_url}calendar/")
    pg.click("main a.year")
    assert pg.locator("table.calendar a").count() == len(pg.locator("table.calendar tbody tr").all())
    context.close()


AXE = os.environ.get("AXE_CORE")  # axe.min.js of the npm package axe-core (.ci/run)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


KINDS = ["home", "letter", "chapter", "calendar", "year", "register", "person", "about", "search"]


def kind_of_page(site: Path, kind: str) -> str:
    def first(folder):
        return sorted(p.name for p in (site / folder).iterdir() if p.is_dir())[0]
    return {"home": "", "letter": f"letters/{first('letters')}/", "chapter": "chapters/1/",
            "calendar": "calendar/", "year": f"calendar/{first('calendar')}/", "register": "correspondents/",
            "person": f"correspondents/{first('correspondents')}/", "about": "about/", "search": "search/"}[kind]


@pytest.mark.skipif(not (AXE and Path(AXE).is_file()),
                    reason="axe-core is not installed (npm install axe-core; AXE_CORE=…/axe.min.js, as .ci/run does)")
@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("kind", KINDS)
def test_axe_finds_no_serious_violations(request, page, phone, kind, lang):
    """WCAG 2.1 AA by axe-core: no serious or critical violation, on a wide screen, and on a
    phone for the pages read most there (a letter, the search with its results)."""
    site = request.getfixturevalue(f"{lang}_site")
    url = request.getfixturevalue(f"{lang}_url") + kind_of_page(site, kind)
    problems = []
    for pg in (page, phone) if kind in ("letter", "search") else (page,):
        pg.goto(url)
        if kind == "search":  # with results and filters shown
            pg.fill(".pagefind-ui__search-input", "Сталин" if lang == "ru" else "Stalin")
            pg.wait_for_selector(".pagefind-ui__result-link")
        pg.add_script_tag(path=AXE)
        result = pg.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
        problems += [f"{url} ({pg.viewport_size['width']} px): {v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
                     for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert problems == []


class CompressingHost(QuietHandler):
    """A static host as most are: HTML, JS, CSS and JSON sent gzip-compressed when asked.
    (Pagefind's own index files are compressed already.)"""

    def do_GET(self):
        import gzip
        path = Path(self.translate_path(self.path))
        path = path / "index.html" if path.is_dir() else path
        kinds = {".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css",
                 ".json": "application/json"}
        if path.suffix not in kinds or not path.is_file() or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().do_GET()
        data = gzip.compress(path.read_bytes(), 6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", kinds[path.suffix])
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def test_a_first_search_downloads_little(browser, en_site):
    """What a reader's browser fetches to open the search page and see results, from a host
    that compresses text as most do (≤ 300 KB; bench/web.py measures the 100× edition)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(CompressingHost, directory=str(en_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context()
    try:
        pg = context.new_page()
        responses = []
        pg.on("response", lambda r: responses.append(r))
        pg.goto(f"http://127.0.0.1:{server.server_address[1]}/search/")
        pg.fill(".pagefind-ui__search-input", "Moscow")
        pg.wait_for_selector(".pagefind-ui__result-link")
        pg.wait_for_load_state("networkidle")
        sent = sum(r.request.sizes()["responseBodySize"] for r in responses)
    finally:
        context.close()
        server.shutdown()
        server.server_close()
    assert 50 * 1024 < sent <= 300 * 1024, sent
