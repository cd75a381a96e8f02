"""A format may write a folder (the web edition): published whole or not at all, like a file."""
import pytest

import corresp.exporters as exporters
from conftest import SEED
from corresp.build import build
from corresp.errors import ExportError

PLUGIN = '''
from pathlib import Path
class Site:
    name, extension, description, folder, by_default = "site", ".site", "a folder", True, False
    def export(self, edition, path, options):
        import os
        (path / "letters").mkdir(parents=True)
        (path / "index.html").write_text(os.environ.get("SITE_TEXT", "one"))
        (path / "letters" / "a.html").write_text("a")
        if os.environ.get("SITE_FAIL"):
            raise RuntimeError("half a site")
class Empty(Site):
    name = "empty"
    def export(self, edition, path, options):
        path.mkdir()
'''


@pytest.fixture
def site_plugin(tmp_path, monkeypatch):
    from importlib.metadata import EntryPoint
    (tmp_path / "site_plugin.py").write_text(PLUGIN)
    monkeypatch.syspath_prepend(str(tmp_path))
    eps = [("json", "corresp.exporters.json_edition:JsonExporter"), ("site", "site_plugin:Site"),
           ("empty", "site_plugin:Empty")]
    monkeypatch.setattr(exporters, "entry_points", lambda group: [EntryPoint(n, v, group) for n, v in eps])
    exporters.registry(reload=True)
    yield
    exporters._cache = None


@pytest.mark.parametrize("atomic_swap", [True, False], ids=["renameat2", "set-aside"])
def test_a_folder_format_is_published_whole_and_replaces_the_old_one(tmp_path, site_plugin, monkeypatch,
                                                                    atomic_swap):
    if not atomic_swap:  # systems without renameat2: the old folder is set aside, then removed
        from corresp import publish
        monkeypatch.setattr(publish, "_exchange", lambda a, b: False)
    out = tmp_path / "out"
    build([SEED], out, ["site", "json"], jobs=1)
    assert (out / "1935-08.site" / "index.html").read_text() == "one"
    assert (out / "1935-08.site" / "letters" / "a.html").is_file()
    monkeypatch.setenv("SITE_TEXT", "two")
    build([SEED], out, ["site"], jobs=1)
    assert (out / "1935-08.site" / "index.html").read_text() == "two"
    assert sorted(p.name for p in out.iterdir()) == ["1935-08.json", "1935-08.site"]  # no old folder left


def test_a_failed_folder_format_leaves_the_previous_site(tmp_path, site_plugin, monkeypatch):
    out = tmp_path / "out"
    build([SEED], out, ["site"], jobs=1)
    monkeypatch.setenv("SITE_TEXT", "two")
    monkeypatch.setenv("SITE_FAIL", "1")
    with pytest.raises(ExportError, match="half a site"):
        build([SEED], out, ["site", "json"], jobs=1)
    assert (out / "1935-08.site" / "index.html").read_text() == "one"
    assert sorted(p.name for p in out.iterdir()) == ["1935-08.site"]  # nothing half-written beside it


def test_an_empty_folder_is_a_format_that_wrote_nothing(tmp_path, site_plugin):
    with pytest.raises(ExportError, match="wrote nothing"):
        build([SEED], tmp_path / "out", ["empty"], jobs=1)
    assert list((tmp_path / "out").iterdir()) == []


def test_a_format_not_built_by_default_is_built_only_when_asked(tmp_path, site_plugin):
    result = build([SEED], tmp_path / "out", jobs=1)
    assert [p.name for p in result.written] == ["1935-08.json"]
