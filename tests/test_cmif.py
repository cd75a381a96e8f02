"""The CMIF exporter: valid against CMIF's RELAX NG and with no error from its Schematron
(the sample, every fixture, fuzzed sources), one correspDesc per document with @source, dates
only as YYYY[-MM[-DD]] attributes, a stable UUID, authority URIs from persons.toml.

The Schematron (queryBinding xslt2) is compiled to XSLT with the ISO skeleton lxml ships and
run by Saxon (saxonche), whose XPath has the `matches()` the rules use.
"""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree, isoschematron

from conftest import FIXTURES, ROOT
from corresp.build import build
from corresp.errors import ConfigError, CorrespError
from corresp.exporters import ExportOptions, registry
from corresp.exporters.cmif import CmifExporter
from corresp.exporters.tei import TeiExporter
from corresp.exporters.tei_parts.identity import edition_uuid
from corresp.model import Chapter, Document, Edition, Person
from corresp.readers.text.parser import read_edition
from test_fuzz_parser import mutated_source

saxonche = pytest.importorskip("saxonche")

SCHEMAS = ROOT.parent / "shared" / "schemas"
NS = {"t": "http://www.tei-c.org/ns/1.0"}
SVRL = "http://purl.oclc.org/dsdl/svrl"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
CMIF_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

pytestmark = pytest.mark.skipif(not (SCHEMAS / "cmif.sch").exists(), reason=f"{SCHEMAS} not found")


XSL = Path(isoschematron.__file__).parent / "resources" / "xsl"


class Schematron:
    """A Schematron schema as an XSLT 2 stylesheet in Saxon (cmif.sch, or the rules a RELAX NG
    schema embeds, as tei_all's); `check` returns (role, message) per finding."""

    @classmethod
    def embedded_in(cls, rng: Path) -> "Schematron":
        return cls(etree.XSLT(etree.parse(str(XSL / "RNG2Schtrn.xsl")))(etree.parse(str(rng))))

    def __init__(self, schema: Path | etree._ElementTree):
        if isinstance(schema, Path):
            schema = etree.parse(str(schema))
            assert schema.getroot().get("queryBinding") == "xslt2"
        schema.getroot().set("queryBinding", "xslt")  # the skeleton's name; Saxon runs the queries
        for step in ("iso_dsdl_include.xsl", "iso_abstract_expand.xsl", "iso_svrl_for_xslt1.xsl"):
            schema = etree.XSLT(etree.parse(str(XSL / "iso-schematron-xslt1" / step)))(schema)
        schema.getroot().set("version", "2.0")  # XSLT 2 queries, as the schema asks
        self.processor = saxonche.PySaxonProcessor(license=False)
        self.xslt = self.processor.new_xslt30_processor().compile_stylesheet(
            stylesheet_text=etree.tostring(schema, encoding="unicode"))

    def check(self, data: bytes) -> list[tuple[str, str]]:
        node = self.processor.parse_xml(xml_text=data.decode("utf-8"))
        report = etree.fromstring(self.xslt.transform_to_string(xdm_node=node).encode("utf-8"))
        assert report.find(f"{{{SVRL}}}fired-rule") is not None, "the Schematron checked nothing"
        return [(a.get("role") or "error", " ".join("".join(a.itertext()).split()))
                for a in report.iter(f"{{{SVRL}}}failed-assert", f"{{{SVRL}}}successful-report")]


@pytest.fixture(scope="module")
def cmif_rng():
    return etree.RelaxNG(etree.parse(str(SCHEMAS / "cmi-customization.rng")))


@pytest.fixture(scope="module")
def schematron():
    return Schematron(SCHEMAS / "cmif.sch")


def assert_valid_cmif(rng, schematron, data: bytes) -> etree._Element:
    root = etree.fromstring(data)
    if not rng.validate(etree.ElementTree(root)):
        pytest.fail("not valid CMIF:\n" + "\n".join(f"line {e.line}: {e.message}" for e in list(rng.error_log)[:10]))
    findings = schematron.check(data)
    assert [f for f in findings if f[0] != "warning"] == []
    assert findings == []  # not even W0001: the bibl's xml:id is a UUID
    return root


def export(edition: Edition, tmp: Path, **options) -> tuple[bytes, ExportOptions]:
    opts = ExportOptions(**options)
    CmifExporter().export(edition, tmp / "e.cmif.xml", opts)
    return (tmp / "e.cmif.xml").read_bytes(), opts


@pytest.fixture(scope="module")
def seed_cmif(seed_edition, tmp_path_factory):
    data, opts = export(seed_edition, tmp_path_factory.mktemp("cmif"))
    return data, etree.fromstring(data), opts


def test_registered_as_cmif():
    assert registry(reload=True).get("cmif").extension == ".cmif.xml"


def test_the_schematron_harness_finds_errors(schematron, seed_cmif):
    data, _, _ = seed_cmif
    broken = data.replace(b'<correspAction type="received">', b'<correspAction type="sent">', 1)
    broken = broken.replace(b'source="#', b'source="#x', 1)
    broken = re.sub(rb'<bibl type="print" xml:id="[^"]*"', b'<bibl type="print" xml:id="edition"', broken)
    codes = {re.match(r"\[(\w+)\]", msg).group(1) for _, msg in schematron.check(broken)}
    assert {"E0002", "E0003", "W0001"} <= codes


def test_the_seed_is_valid_cmif(cmif_rng, schematron, seed_cmif, seed_edition):
    data, root, _ = seed_cmif
    assert_valid_cmif(cmif_rng, schematron, data)
    assert len(root.findall(".//t:profileDesc/t:correspDesc", NS)) == len(seed_edition.documents)


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*.txt")), ids=lambda f: f.stem)
def test_every_fixture_is_valid_cmif(cmif_rng, schematron, fixture, tmp_path):
    edition, _ = read_edition([fixture])
    data, _ = export(edition, tmp_path)
    root = assert_valid_cmif(cmif_rng, schematron, data)
    assert len(root.findall(".//t:correspDesc", NS)) == len(edition.documents)


def test_header_fields_correspsearch_needs(seed_cmif, seed_edition):
    _, root, _ = seed_cmif
    pub = root.find("t:teiHeader/t:fileDesc/t:publicationStmt", NS)
    assert pub.find("t:date", NS).get("when") == "2026-01-01"  # SOURCE_DATE_EPOCH 1767225600
    assert pub.find("t:availability/t:licence", NS).get("target") == "https://creativecommons.org/licenses/by/4.0/"
    assert pub.findtext("t:idno[@type='url']", namespaces=NS) == f"urn:uuid:{edition_uuid(seed_edition)}"
    assert root.findtext("t:teiHeader/t:fileDesc/t:titleStmt/t:title", namespaces=NS) == \
        "Correspondence metadata: Stalin and Kaganovich. Correspondence. 1931–1936"
    bibl = root.find("t:teiHeader/t:fileDesc/t:sourceDesc/t:bibl", NS)
    assert UUID.match(bibl.get(XML_ID)) and bibl.get(XML_ID) == edition_uuid(seed_edition)
    assert {d.get("source") for d in root.iterfind(".//t:correspDesc", NS)} == {f"#{bibl.get(XML_ID)}"}


def test_one_letter_and_its_dates(seed_cmif):
    _, root, _ = seed_cmif
    descs = root.findall(".//t:correspDesc", NS)
    first = descs[0]
    sent = first.find("t:correspAction[@type='sent']", NS)
    assert [n.text for n in sent.iterfind("t:persName", NS)] == ["Kaganovich", "Yezhov"]
    assert dict(sent.find("t:date", NS).attrib) == {"when": "1935-08-14"}
    assert [n.text for n in first.iterfind("t:correspAction[@type='received']/t:persName", NS)] == ["Stalin"]
    later = descs[16].find(".//t:date", NS)  # [later August 22, 1935]
    assert dict(later.attrib) == {"notBefore": "1935-08-22"}
    for date in root.iterfind(".//t:correspDesc//t:date", NS):
        assert set(date.attrib) <= {"when", "notBefore", "notAfter", "from", "to"}  # no @cert, @evidence
        assert all(CMIF_DATE.match(v) for v in date.attrib.values())


def test_the_uuid_is_stable_and_names_the_edition(seed_edition, tmp_path):
    a, _ = export(seed_edition, tmp_path)
    b, _ = export(seed_edition, tmp_path)
    assert a == b
    other = seed_edition.model_copy(update={"title": "Another volume"})
    assert edition_uuid(other) != edition_uuid(seed_edition)
    assert edition_uuid(seed_edition) == edition_uuid(seed_edition.model_copy(deep=True))
    assert UUID.match(edition_uuid(other))
    TeiExporter().export(seed_edition, tmp_path / "e.tei.xml", ExportOptions())
    tei = etree.parse(str(tmp_path / "e.tei.xml"))
    assert tei.findtext(".//t:publicationStmt/t:idno[@type='UUID']", namespaces=NS) == edition_uuid(seed_edition)


def test_dated_by_source_date_epoch(seed_edition, tmp_path):
    data, _ = export(seed_edition, tmp_path, source_date_epoch=1000000000)
    assert etree.fromstring(data).find(".//t:publicationStmt/t:date", NS).get("when") == "2001-09-09"


def test_persons_toml_gives_authority_uris_and_the_build_counts_them(cmif_rng, schematron, seed_edition,
                                                                     tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "persons.toml").write_text('Stalin = "https://d-nb.info/gnd/118616927"\n'
                                           '"Kaganovich" = "https://viaf.org/viaf/52482137"\n', encoding="utf-8")
    data, opts = export(seed_edition, tmp_path)
    root = assert_valid_cmif(cmif_rng, schematron, data)
    stalin = root.xpath("//t:persName[.='Stalin']", namespaces=NS)
    assert stalin and {n.get("ref") for n in stalin} == {"https://d-nb.info/gnd/118616927"}
    assert all(n.get("ref") is None for n in root.xpath("//t:persName[.='Molotov']", namespaces=NS))
    assert "cmif: 2 of 6 correspondents have an authority identifier (persons.toml)" in opts.warnings


def test_a_bad_persons_toml_is_a_config_error(seed_edition, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "persons.toml").write_text('Stalin = "GND 118616927"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="must be a URI"):
        export(seed_edition, tmp_path)


def test_nominative_and_unknown_correspondents(cmif_rng, schematron, tmp_path):
    recipient = Person(name="Сталину", nominative="Сталин") if "nominative" in Person.model_fields \
        else Person(name="Сталин")
    docs = [Document(id="a", heading="Молотов — Сталину 5 августа 1933 г.", senders=[Person(name="Молотов")],
                     recipients=[recipient]),
            Document(id="b", heading="A note without names")]
    edition = Edition(title="T", language="ru", chapters=[Chapter(title="C", documents=docs)])
    data, _ = export(edition, tmp_path)
    root = assert_valid_cmif(cmif_rng, schematron, data)
    first, second = root.findall(".//t:correspDesc", NS)
    assert first.findtext("t:correspAction[@type='received']/t:persName", namespaces=NS) == "Сталин"
    assert [a.findtext("t:persName", namespaces=NS) for a in second] == ["Unknown", "Unknown"]
    assert second.find(".//t:date", NS) is None  # an unknown date is left out


@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
@given(mutated_source())
def test_fuzzed_sources_give_valid_cmif(cmif_rng, schematron, data):
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "fuzz.txt"
        src.write_bytes(data)
        try:
            result = build([src], Path(tmp), formats=["cmif"], jobs=1)
        except CorrespError as exc:
            assert "fuzz.txt" in str(exc)
            return
        root = assert_valid_cmif(cmif_rng, schematron, (Path(tmp) / "fuzz.cmif.xml").read_bytes())
        assert len(root.findall(".//t:correspDesc", NS)) == len(result.edition.documents)


def test_with_a_base_url_each_letter_refs_its_web_page_and_stays_valid(cmif_rng, schematron, seed_edition, tmp_path):
    data, _ = export(seed_edition, tmp_path, base_url="https://example.org/ed/")
    root = assert_valid_cmif(cmif_rng, schematron, data)
    refs = [d.get("ref") for d in root.iterfind(".//t:correspDesc", NS)]
    assert refs == [f"https://example.org/ed/letters/{d.id}/" for d in seed_edition.documents]
    assert root.find(".//t:publicationStmt/t:idno", NS).text == "https://example.org/ed/cmif.xml"
