"""Readers → one model → writers: no module under readers/ imports an exporter, and no
exporter imports a reader (shared code lives in neutral modules: corresp.jsonmodel,
corresp.tei_xml, corresp.model, ...). Every import is checked, at the top of a module or
inside a function, absolute or relative."""
import ast
from pathlib import Path

import pytest

import corresp

PACKAGE = Path(corresp.__file__).parent


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in the file."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            # `from . import exporters` names a module too
            found += [(node.lineno, f"{target}.{a.name}") for a in node.names]
    return found


def _violations(layer: str, forbidden: str) -> list[str]:
    out = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for line, target in _imports(path):
            if target == forbidden or target.startswith(forbidden + "."):
                out.append(f"{path.relative_to(PACKAGE.parent)}:{line}: imports {target}")
    return out


@pytest.mark.parametrize("layer, forbidden", [("readers", "corresp.exporters"),
                                              ("exporters", "corresp.readers")])
def test_readers_and_writers_do_not_import_each_other(layer, forbidden):
    assert _violations(layer, forbidden) == []


def test_the_checker_sees_relative_imports(tmp_path):
    # The check itself: a relative import two levels up is resolved to its absolute name.
    reader = PACKAGE / "readers" / "text" / "parser.py"
    assert any(t == "corresp.model" for _, t in _imports(reader))
    assert any(t.startswith("corresp.readers.text.chapter") for _, t in _imports(reader))


def test_the_old_parse_package_is_gone():
    # The text reader owns its parser (readers/text/); there is no corresp.parse alias.
    assert not list((PACKAGE / "parse").glob("*.py"))  # (a stale __pycache__ may stay behind)
