"""A publisher's edition: metadata from edition.toml (ISBNs checked by checksum), used by
every format; document numbers and the calendar of documents."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from corresp.config import EditionConfig, load
from corresp.errors import ConfigError
from corresp.exporters import ExportOptions
from corresp.exporters.epub import EpubExporter
from corresp.metadata import check_isbn, check_publication
from corresp.model import Publication
from corresp.numbering import NoteNumbers
from sample_edition import sample_edition

REPO = Path(__file__).resolve().parents[1]
GOOD = {"epub": "978-1-915247-21-6", "pdf": "9781915247117", "print": "1-915247-01-2"}


def test_good_isbns_are_normalised_to_hyphenated_isbn13():
    assert check_isbn("9781915247216", "isbn.epub") == "978-1-915247-21-6"
    assert check_isbn("0-306-40615-2", "isbn.print") == "978-0-306-40615-7"  # ISBN-10 → 13


@pytest.mark.parametrize("bad", ["978-1-915247-21-5", "978-1-915247-21", "not an isbn", "0-306-40615-3"])
def test_bad_isbn_is_a_config_error(bad):
    with pytest.raises(ConfigError, match="not a valid ISBN"):
        check_isbn(bad, "isbn.epub")


def test_unknown_format_and_shared_isbn_are_refused():
    with pytest.raises(ConfigError, match="unknown format"):
        check_publication(Publication(isbn={"kindle": "978-1-915247-21-6"}))
    with pytest.raises(ConfigError, match="share"):
        check_publication(Publication(isbn={"epub": "978-1-915247-21-6", "pdf": "9781915247216"}))


def test_repository_edition_toml_carries_valid_metadata():
    config = load(REPO / "edition.toml")
    pub = config.edition_fields()["publication"]
    assert pub.publisher and pub.rights and pub.date and set(pub.isbn) == {"epub", "pdf", "print"}


def test_set_overrides_a_field_and_checks_isbns():
    config = EditionConfig()
    config.set_value("publisher=Northgate Academic Press")
    config.set_value("isbn.epub=9781915247216")
    config.set_value("editors=A. B, C. D")
    assert config.isbn == {"epub": "978-1-915247-21-6"} and config.editors == ["A. B", "C. D"]
    assert config.edition_fields()["publication"].publisher == "Northgate Academic Press"
    with pytest.raises(ConfigError):
        config.set_value("isbn.pdf=9781915247215")
    with pytest.raises(ConfigError):
        config.set_value("nonsense=1")


def test_bad_isbn_in_edition_toml_exits_3_before_building(tmp_path):
    (tmp_path / "edition.toml").write_text(
        'title = "T"\nsources = ["%s"]\n[isbn]\nepub = "978-1-915247-21-5"\n' % (REPO / "seeds/1935-08.txt"))
    run = subprocess.run([sys.executable, "-m", "corresp.cli", "build", "-c", str(tmp_path / "edition.toml"),
                          "-o", str(tmp_path / "out")], capture_output=True, text=True)
    assert run.returncode == 3, run.stderr
    assert "isbn.epub" in run.stderr and not (tmp_path / "out").exists()


def _publisher_edition():
    edition = sample_edition()
    edition.publication = check_publication(Publication(
        publisher="Northgate Academic Press", rights="© 2026 Northgate Academic Press", date="2026-03-02",
        isbn=GOOD, certified_by="Northgate Accessibility Team"))
    return edition


def test_epub_package_carries_the_publisher_metadata(tmp_path):
    path = tmp_path / "p.epub"
    EpubExporter().export(_publisher_edition(), path, ExportOptions())
    with zipfile.ZipFile(path) as z:
        opf = etree.fromstring(z.read("EPUB/content.opf"))
    ns = {"dc": "http://purl.org/dc/elements/1.1/", "opf": "http://www.idpf.org/2007/opf"}
    assert opf.findtext(".//dc:identifier", namespaces=ns) == "urn:isbn:9781915247216"
    assert opf.findtext(".//dc:publisher", namespaces=ns) == "Northgate Academic Press"
    assert opf.findtext(".//dc:date", namespaces=ns) == "2026-03-02"
    metas = {m.get("property"): m.text for m in opf.iterfind(".//opf:meta", ns)}
    assert metas["dcterms:conformsTo"] == "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
    assert metas["a11y:certifiedBy"] == "Northgate Accessibility Team"


def test_json_without_publication_is_unchanged():
    assert "publication" not in sample_edition().model_dump(mode="json")
    assert "publication" in _publisher_edition().model_dump(mode="json")
