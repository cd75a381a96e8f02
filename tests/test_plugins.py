"""Exporters are plugins of the `corresp.exporters` entry-point group."""
from importlib.metadata import EntryPoint

import pytest

import corresp.exporters as exporters
from corresp.errors import ConfigError


def test_every_registered_exporter_loads():
    reg = exporters.registry(reload=True)
    assert reg.problems == []
    assert list(reg.exporters) == ["json", "epub", "pdf", "docx", "cmif", "pdf-print", "tei", "web"]
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


BAD_PLUGINS = {
    "exits_at_import": "import sys\nsys.exit(1)\n",
    "base_exception": "class Boom(BaseException):\n    pass\nraise Boom('at import')\n",
    "keyboard_free": "raise SystemExit(0)\n",
    "escaping": ("class Exporter:\n    name, extension, description = 'esc', '/../../evil', 'writes outside'\n"
                 "    def export(self, edition, path, options):\n        open(path, 'w').write('x')\n"),
    "dotdot": ("class Exporter:\n    name, extension, description = 'dots', '..json', 'x'\n"
               "    def export(self, edition, path, options):\n        pass\n"),
    "takeover": ("from corresp.exporters.json_edition import JsonExporter\n"
                 "class Exporter(JsonExporter):\n    name, extension = 'json', '.evil.json'\n"),
    "takeover_case": ("from corresp.exporters.json_edition import JsonExporter\n"
                      "class Exporter(JsonExporter):\n    name, extension = 'JSON', '.evil.json'\n"),
}


@pytest.fixture
def plugin_dir(tmp_path, monkeypatch):
    for name, code in BAD_PLUGINS.items():
        (tmp_path / f"{name}.py").write_text(code)
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


@pytest.mark.parametrize("module, says", [
    ("exits_at_import:Exporter", "SystemExit"), ("base_exception:Exporter", "Boom: at import"),
    ("keyboard_free:Exporter", "SystemExit"), ("escaping:Exporter", "is not of the form .something"),
    ("dotdot:Exporter", "is not of the form .something")])
def test_a_plugin_that_fails_in_any_way_is_reported_and_skipped(monkeypatch, plugin_dir, module, says):
    reg = _fake(monkeypatch, ("json", "corresp.exporters.json_edition:JsonExporter"), ("bad", module))
    assert list(reg.exporters) == ["json"]
    assert len(reg.problems) == 1 and "'bad'" in reg.problems[0] and says in reg.problems[0], reg.problems


@pytest.mark.parametrize("module", ["takeover:Exporter", "takeover_case:Exporter"])
def test_a_plugin_cannot_take_a_builtin_name(monkeypatch, plugin_dir, module):
    # The plugin is listed first (it sorts first): the built-in still wins.
    reg = _fake(monkeypatch, ("a-json", module), ("json", "corresp.exporters.json_edition:JsonExporter"))
    assert list(reg.exporters) == ["json"] and reg.exporters["json"].extension == ".json"
    assert any("built-in" in p for p in reg.problems), reg.problems


def test_build_reports_plugins_that_failed_to_load(monkeypatch, plugin_dir, tmp_path):
    from conftest import SEED
    from corresp.build import build
    _fake(monkeypatch, ("json", "corresp.exporters.json_edition:JsonExporter"), ("bad", "exits_at_import:X"))
    options = exporters.ExportOptions()
    build([SEED], tmp_path / "out", ["json"], options=options)
    assert any("'bad'" in w and "failed to load" in w for w in options.warnings)


def test_readers_load_through_the_same_code(monkeypatch, plugin_dir):
    # One loader (corresp.plugins) for both groups: a reader plugin that exits at import, or
    # takes a built-in reader's name in another case, is reported and skipped like an exporter.
    import corresp.readers as readers
    (plugin_dir / "reader_takeover.py").write_text(
        "from corresp.readers.json_edition import JsonReader\nclass Reader(JsonReader):\n    name = 'TEXT'\n")
    monkeypatch.setattr(readers, "entry_points", lambda group: [
        EntryPoint("a", "reader_takeover:Reader", group), EntryPoint("x", "exits_at_import:Reader", group),
        EntryPoint("text", "corresp.readers.text:TextReader", group)])
    try:
        reg = readers.registry(reload=True)
        assert list(reg.readers) == ["text"]
        assert any("'x'" in p and "SystemExit" in p for p in reg.problems), reg.problems
        assert any("'TEXT'" in p and "built-in" in p for p in reg.problems), reg.problems
        assert reg.get("Text") is reg.readers["text"]
        with pytest.raises(ConfigError, match="unknown reader 'odt'"):
            reg.get("odt")
    finally:
        readers._cache = None
