"""Running the pandoc that ships inside pypandoc-binary: JSON AST on stdin, DOCX out."""
from __future__ import annotations

import functools
import json
import os
import subprocess
from pathlib import Path

import orjson

from ...errors import ExportError


@functools.lru_cache(maxsize=1)
def pandoc_path() -> str:
    try:
        import pypandoc
        path = pypandoc.get_pandoc_path()
    except Exception as exc:  # ImportError, or pypandoc found no pandoc
        raise ExportError(f"pandoc is not available (install pypandoc-binary): {exc}") from None
    return str(path)


@functools.lru_cache(maxsize=1)
def api_version() -> list[int]:
    """The pandoc-types version the bundled pandoc reads, asked from pandoc itself, so a
    newer pypandoc-binary does not reject (or misread) an AST stamped with a stale version."""
    out = _run([pandoc_path(), "-f", "markdown", "-t", "json"], b"", os.environ.copy())
    try:
        return list(json.loads(out)["pandoc-api-version"])
    except (ValueError, KeyError) as exc:
        raise ExportError(f"pandoc printed no pandoc-api-version: {exc}") from None


def json_to_docx(ast: dict, output: Path, reference_docx: Path, source_date_epoch: int) -> None:
    """One pandoc run for the whole edition."""
    env = os.environ.copy()
    env["SOURCE_DATE_EPOCH"] = str(source_date_epoch)  # pandoc stamps core.xml and the zip with it
    # orjson writes the same compact UTF-8 JSON as json.dumps(ensure_ascii=False), 7x faster.
    data = orjson.dumps(ast)
    # No --toc: the contents is filled by docx_parts.contents (pandoc's TOC field is empty
    # until Word updates it). No highlighting: the edition has no code, so none of pandoc's
    # 30 token styles (KeywordTok, …).
    cmd = [pandoc_path(), "--from=json", "--to=docx", f"--reference-doc={reference_docx}",
           "--syntax-highlighting=none", f"--output={output}"]
    if "GHCRTS" in env:  # the user's own settings for the runtime
        _check(_spawn(cmd, data, env))
        return
    run = _spawn(cmd, data, {**env, "GHCRTS": gc_settings(len(data))})
    if run.returncode != 0 and b"RTS option" in run.stderr:
        # A pandoc linked without -rtsopts refuses any runtime setting but a few: run as it comes.
        run = _spawn(cmd, data, env)
    _check(run)


def gc_settings(json_bytes: int) -> str:
    """Pandoc's garbage collector told how large the document will be (GHCRTS): its live
    heap holding the AST grows to about 11x the JSON read, and with the default old
    generation the collector copies it again at each doubling (14 major collections at 100x).
    Starting the old generation near that size leaves three: 12% less of pandoc's CPU, and
    less memory in use (454 MB against 476 MB), at 100x. Only the collector changes: the
    same bytes out."""
    return f"-O{max(1, 12 * json_bytes >> 20)}m"


def _spawn(cmd: list[str], stdin: bytes, env: dict[str, str]) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(cmd, input=stdin, capture_output=True, env=env)
    except OSError as exc:
        raise ExportError(f"cannot run pandoc ({cmd[0]}): {exc}") from None


def _check(run: subprocess.CompletedProcess) -> bytes:
    if run.returncode != 0:
        message = run.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ExportError(f"pandoc failed (exit {run.returncode}): {message[0] if message else 'no message'}")
    return run.stdout


def _run(cmd: list[str], stdin: bytes, env: dict[str, str]) -> bytes:
    return _check(_spawn(cmd, stdin, env))
