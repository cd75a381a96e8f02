"""Web editions built once per test session (tests/test_web.py, tests/test_web_browser.py)."""
from pathlib import Path

import pytest

from conftest import FIXTURES, SEED

BASE_URL = "https://example.org/stalin-kaganovich/"
RU = FIXTURES / "ru-1933-08.txt"
# A Russian volume: the annotated corpus's Russian pages and a month with ё, one chapter each.
RU_VOLUME = sorted((FIXTURES.parent / "corpus").glob("ru-*.txt")) + [RU]


def build_site(out: Path, source, base_url=BASE_URL, redirects: dict | None = None, name=None) -> Path:
    from corresp.build import build
    from corresp.exporters import ExportOptions
    options = ExportOptions(base_url=base_url)
    if redirects:
        file = out.parent / f"{out.name}.redirects.toml"
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text("".join(f'"{k}" = "{v}"\n' for k, v in redirects.items()), encoding="utf-8")
        options.redirects = file
    sources = list(source) if isinstance(source, (list, tuple)) else [source]
    result = build(sources, out, ["web", "json"], name=name, options=options, jobs=1)
    return next(p for p in result.written if p.suffix == ".web")


def pagefind_missing() -> str | None:
    from corresp.exporters.web_parts.search import pagefind_binary
    return None if pagefind_binary() else "Pagefind is not installed (pip install 'corresp[web]')"


@pytest.fixture(scope="session")
def en_site(tmp_path_factory):
    if pagefind_missing():
        pytest.skip(pagefind_missing())
    from corresp.readers.text.parser import read_edition
    first = read_edition([SEED])[0].documents[0].id
    return build_site(tmp_path_factory.mktemp("web-en") / "out", SEED, redirects={"old-first-letter": first})


@pytest.fixture(scope="session")
def ru_site(tmp_path_factory):
    if pagefind_missing():
        pytest.skip(pagefind_missing())
    return build_site(tmp_path_factory.mktemp("web-ru") / "out", RU_VOLUME, name="ru-volume")
