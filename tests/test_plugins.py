"""Exporters are plugins of the `corresp.exporters` entry-point group."""
from importlib.metadata import EntryPoint

import pytest

import corresp.exporters as exporters
from corresp.errors import ConfigError


def test_every_registered_exporter_loads():
    reg = exporters.registry(reload=True)
    assert reg.problems == []
    assert list(reg.exporters) == ["json", "epub", "pdf", "docx", "cmif", "pdf-print", "tei"]
    for name, exp in reg.exporters.items():
        assert isinstance(exp, exporters.Exporter)
        assert exp.name == name and exp.extension.startswith(".") and exp.description


@pytest.fixture(autouse=True)
def fresh_registry():
    yield
    exporters._cache = None  # the next caller rebuilds it from the real entry points


def _fake(monkeypatch, *eps):
    monkeypatch.setattr(exporters, "entry_points", lambda group: [EntryPoint(n, v, group) for n, v in eps])
    return exporters.registry(reload=True)


def test_a_broken_plugin_is_reported_and_the_others_still_load(monkeypatch):
    reg = _fake(monkeypatch, ("json", "corresp.exporters.json_edition:JsonExporter"),
                ("odt", "no_such_module:Exporter"), ("bad", "corresp.model:Person"))
    assert list(reg.exporters) == ["json"]
    assert any("'odt'" in p and "failed to load" in p for p in reg.problems)
    assert any("'bad'" in p for p in reg.problems)


def test_a_duplicate_name_is_an_error_and_the_first_wins(monkeypatch):
    reg = _fake(monkeypatch, ("json", "corresp.exporters.json_edition:JsonExporter"),
                ("json2", "corresp.exporters.json_edition:JsonExporter"))
    assert list(reg.exporters) == ["json"]
    assert any("registered twice" in p for p in reg.problems)
    with pytest.raises(ConfigError, match="unknown format 'epub'"):
        reg.get("epub")
