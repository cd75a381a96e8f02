"""The command line: a thin layer over the library. Errors are one line, never a traceback
(unless --debug); each class of failure has its own exit code (see README)."""
from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

import click

from . import __version__
from .diagnostics import plural, sort_diagnostics
from .errors import ConfigError, CorrespError
from .exporters import ExportOptions, registry
from .numbering import SCHEMES

INTERNAL_ERROR = 70


_TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _echo(message="", err: bool = False, **kwargs) -> None:
    """click.echo, with control characters in what goes to the terminal (stderr) shown as
    escapes: a name or a line from a file must not move the cursor or recolour the screen."""
    if err and isinstance(message, str) and _TERMINAL.search(message):
        message = _TERMINAL.sub(lambda m: f"\\x{ord(m.group()):02x}", message)
    click.echo(message, err=err, **kwargs)


def _dump_file(source: Path, folder: Path, relative: Path) -> None:
    """Copy `source` to folder/relative, never through a symbolic link: neither the file
    nor a folder on the way may be one (`--force` must not write outside the folder)."""
    import os
    target = folder / relative
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"cannot write: {exc.strerror or exc}", str(folder)) from None
    path = folder
    for part in relative.parts[:-1]:
        path = path / part
        if path.is_symlink():
            raise ConfigError("is a symbolic link; corresp does not write through it", str(path))
        try:
            path.mkdir(exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"cannot write: {exc.strerror or exc}", str(path)) from None
    if target.is_symlink():
        raise ConfigError("is a symbolic link; corresp does not write through it", str(target))
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        with os.fdopen(fd, "wb") as out:
            out.write(source.read_bytes())
    except OSError as exc:
        raise ConfigError(f"cannot write: {exc.strerror or exc}", str(target)) from None


def _run(debug: bool, fn, *args, **kwargs):
    from .publish import signals_end_the_build
    try:
        with signals_end_the_build():  # SIGTERM, SIGHUP: cleaned up, exit 143, 129
            return fn(*args, **kwargs)
    except CorrespError as exc:
        if debug:
            raise
        _echo(f"corresp: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        _echo("corresp: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:
        if debug:
            raise
        _echo(f"corresp: internal error: {type(exc).__name__}: {exc} (run with --debug for details)", err=True)
        sys.exit(INTERNAL_ERROR)


def _print_diagnostics(diagnostics, quiet_info: bool = True, errors_only: bool = False) -> None:
    for d in diagnostics:
        if (quiet_info and d.severity == "info") or (errors_only and d.severity != "error"):
            continue
        _echo(str(d), err=True)


def _say(quiet: bool, message: str) -> None:
    """A progress or success line on stderr; -q prints nothing on success."""
    if not quiet:
        _echo(message, err=True)


@click.group()
@click.version_option(__version__)
def main() -> None:
    """corresp: scholarly editions of correspondence, from plain text to EPUB, PDF, DOCX and JSON."""


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option("-c", "--config", "config_file", type=click.Path(path_type=Path),
              help="Edition configuration. Without it, ./edition.toml is used only when no INPUT is given.")
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path), help="Folder for the editions [output].")
@click.option("-f", "--format", "formats", multiple=True,
              help="Format to build, in any case (repeatable; default: all).")
@click.option("--name", help="Base name of the files (default: the input's stem, or 'edition').")
@click.option("--notes", type=click.Choice(SCHEMES), help="Note numbering scheme [per-document].")
@click.option("--style", "style_dir", type=click.Path(path_type=Path),
              help="Style folder holding any of pdf.toml, epub.css, reference.docx, typography.toml, fonts/ "
                   "(each part it lacks: the default; see `corresp styles`).")
@click.option("--title", help="Edition title (default: taken from the source).")
@click.option("--language", help="Edition language, e.g. en, ru (default: taken from the sources).")
@click.option("--set", "settings", multiple=True, metavar="KEY=VALUE",
              help="Set an edition.toml field (publisher=…, isbn.epub=…, editors=A,B; repeatable).")
@click.option("--verify", "verify_after", is_flag=True, help="Read every written file back and compare the text and notes.")
@click.option("--accept-changes", is_flag=True, help="A DOCX source's tracked changes are accepted (else refused).")
@click.option("--original", type=click.Path(path_type=Path, dir_okay=False),
              help="The edition a DOCX source was built from (text, JSON or TEI): where the editor changed "
                   "nothing, its characters come back instead of the DOCX's house typography.")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only: nothing on success.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def build(inputs, config_file, out_dir, formats, name, notes, style_dir, title, language, settings, verify_after,
          accept_changes, original, quiet, debug):
    """Build editions from INPUT source files (several inputs: one chapter each).

    Without INPUT, the sources listed in edition.toml (or --config FILE) are built as one
    edition. An edition.toml in the working folder is not read when INPUT is given."""
    from .build import build as run_build
    from .config import DEFAULT_FILE, EditionConfig, load

    def go():
        config, path = EditionConfig(), config_file
        if path is None and not inputs and Path(DEFAULT_FILE).is_file():
            path = Path(DEFAULT_FILE)
            implicit = True
        else:
            implicit = False
        if path:
            config = load(path)
            if implicit:  # picked up without being named: say so, and what it sets
                _say(quiet, f"corresp: using {path} ({', '.join(config.fields_set()) or 'no settings'})")
        for assignment in settings:
            config.set_value(assignment)
        sources = list(inputs) or config.sources
        if not sources:
            raise ConfigError(f"no sources: give INPUT files or list `sources` in {DEFAULT_FILE}")
        options = ExportOptions(notes=notes or config.notes or _source_notes(sources) or "per-document")
        if style_dir or config.style:
            options.style_dir = style_dir or config.style
        options.base_url = config.base_url
        options.typography = config.typography
        fields = config.edition_fields()
        if title:
            fields["title"] = title
        if language:
            fields["language"] = language
        out = out_dir or config.output or Path("output")
        base = name or (config.name if not inputs else None)
        result = run_build(sources, out, formats or None, base, options, progress=_progress(quiet),
                           corrections=config.corrections, accept_changes=accept_changes, original=original,
                           **fields)
        _print_diagnostics(result.diagnostics, errors_only=quiet)
        if not quiet:
            for w in options.warnings:
                _echo(f"corresp: warning: {w}", err=True)
        _say(quiet, f"corresp: built {result.summary()}")
        if verify_after:
            _verify(out, result.written[0].stem if result.written else None, quiet)
        errors = [d for d in result.diagnostics if d.severity == "error"]
        return 1 if errors else 0

    sys.exit(_run(debug, go))


def _source_notes(sources):
    """A JSON edition keeps the numbering it was written with, unless told otherwise."""
    if len(sources) == 1 and Path(sources[0]).is_file():
        from .readers import registry as readers
        if readers().for_file(Path(sources[0])).name == "json":
            from .readers.json_edition import default_notes
            return default_notes(Path(sources[0]))
    return None


def _progress(quiet: bool):
    """A one-line progress display on a terminal; nothing in CI logs (the summary suffices)."""
    if quiet or not sys.stderr.isatty():
        return None

    def show(done: int, total: int, fmt: str) -> None:
        bar = "#" * (20 * done // total)
        click.echo(f"\rcorresp: [{bar:<20}] {done}/{total} {fmt:<5}", err=True, nl=done == total)
    return show


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--all", "show_all", is_flag=True, help="Also print info messages.")
@click.option("--coverage", is_flag=True, help="Account for every character of each source; exit 1 below 100%.")
@click.option("--review", is_flag=True,
              help="Print the parser's guesses an editor should look at, with their lines and documents.")
@click.option("--format", "review_format", type=click.Choice(["text", "toml"]), default="text",
              help="With --review: toml prints a corrections-file skeleton to fill in.")
@click.option("--accept-changes", is_flag=True, help="A DOCX source's tracked changes are accepted (else refused).")
@click.option("--typography", is_flag=True,
              help="Print what house typography changes in the PDF, EPUB and DOCX (file:line: before → after).")
@click.option("--style", "style_dir", type=click.Path(path_type=Path),
              help="With --typography: the style folder whose typography.toml to use.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def check(inputs, show_all, coverage, review, review_format, accept_changes, typography, style_dir, debug):
    """Parse INPUT files and print diagnostics as file:line: severity: message.

    Each source's corrections file (<source>.corrections.toml) is applied too: the
    corrections it makes are info messages (--all), a stale one is an error."""

    def go():
        from .readers import FALLBACK, read_sources, registry as readers
        if len(inputs) == 1 and readers().for_file(inputs[0]).name != FALLBACK:  # a JSON, TEI or DOCX edition:
            edition, diagnostics = read_sources(list(inputs), accept_changes=accept_changes)  # as `build` reads it
            if review:  # a DOCX's comments: what the editor asked, on which words
                from .readers.docx import format_review
                _echo(format_review(diagnostics), nl=False)
                _echo(f"corresp: {plural(sum(1 for d in diagnostics if d.code == 'docx-comment'), 'comment')}, "
                           f"{plural(len(format_review(diagnostics).splitlines()), 'item')} to review", err=True)
                return 0
            if typography:  # lines of the text each chapter was read from, as the edition records them
                return _typography_report(edition, [c.source or str(inputs[0]) for c in edition.chapters],
                                          style_dir)
            _print_diagnostics(diagnostics, quiet_info=not show_all)
            from .validate import check_text
            check_text(edition)  # what a build refuses before any exporter: `check` says it too
            _echo(f"corresp: {plural(len(edition.chapters), 'chapter')}, "
                       f"{plural(len(edition.documents), 'document')}: the edition reads", err=True)
            return 0
        # Text: the review and the coverage look at the edition as parsed, before corrections.
        text = readers().get(FALLBACK)
        edition, diagnostics = text.parse(list(inputs))
        if review:
            from .review import format_text, format_toml, review as review_items
            items = review_items(edition, sort_diagnostics(diagnostics, [str(p) for p in inputs]), list(inputs))
            _echo(format_toml(items, list(inputs)) if review_format == "toml" else format_text(items), nl=False)
            open_items = sum(1 for i in items if not i.corrected_by)
            _echo(f"corresp: {plural(len(items), 'guess', 'guesses')} to review, "
                       f"{len(items) - open_items} corrected", err=True)
            return 0
        _, diagnostics = text.correct(edition, diagnostics, list(inputs))
        diagnostics = sort_diagnostics(diagnostics, [str(p) for p in inputs])
        if typography:
            return _typography_report(edition, list(inputs), style_dir)
        _print_diagnostics(diagnostics, quiet_info=not show_all)
        incomplete = False
        if coverage:
            from .coverage import measure_files
            for cov in measure_files(list(inputs), edition):
                _echo(cov.report())
                incomplete |= bool(cov.unaccounted)
        docs = len(edition.documents)
        notes = sum(len(d.footnotes) for d in edition.documents)
        warnings = sum(1 for d in diagnostics if d.severity == "warning")
        errors = sum(1 for d in diagnostics if d.severity == "error")
        kinds = Counter(d.code for d in diagnostics if d.severity != "info")
        if kinds:  # what an editor reviews first: the repairs, by kind
            _echo("corresp: by kind: " + ", ".join(f"{code} {n}" for code, n in sorted(kinds.items())),
                       err=True)
        _echo(f"corresp: {plural(len(edition.chapters), 'chapter')}, {plural(docs, 'document')}, "
                   f"{plural(notes, 'note')}; {plural(warnings, 'warning')}, {plural(errors, 'error')}", err=True)
        return 1 if errors or incomplete else 0

    sys.exit(_run(debug, go))


@main.command()
@click.argument("old", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.argument("new", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--accept-changes", is_flag=True, help="A DOCX's tracked changes are accepted (else refused).")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def diff(old, new, accept_changes, debug):
    """List what changed between two editions OLD and NEW (text, JSON, TEI or DOCX): letters
    added or removed, headings, parts and notes changed. Exit 1 when they differ."""
    from .diff import diff_editions, summary
    from .readers import read_sources, registry as readers

    def read(path: Path):
        docx = readers().for_file(path).name == "docx"
        return read_sources([path], accept_changes=accept_changes and docx)[0]

    def go():
        changes = diff_editions(read(old), read(new))
        for change in changes:
            _echo(str(change))
        _echo(f"corresp: {summary(changes)}" if changes else "corresp: the editions are the same", err=True)
        return 1 if changes else 0

    sys.exit(_run(debug, go))


def _typography_report(edition, inputs, style_dir) -> int:
    """What the presentation formats print differently from the source (corresp.typography)."""
    from .exporters import check_style_dir
    from .typography import changes, load_typography
    from .typography.report import SHOWN_NBSP, format_changes
    check_style_dir(style_dir)
    style = load_typography(style_dir)
    lines, count = format_changes(changes(edition, style), inputs)
    for line in lines:
        _echo(line)
    if not style.enabled:
        _echo(f"corresp: typography is off in {style.source}: the formats print the source's characters",
                   err=True)
    else:
        _echo(f"corresp: {plural(count, 'typographic change')} in the PDF, EPUB and DOCX "
                   f"({edition.language}; {SHOWN_NBSP} is a non-breaking space); "
                   "the JSON and TEI keep the source's characters", err=True)
    return 0


def _verify(out_dir: Path, name=None, quiet: bool = False) -> None:
    from .errors import VerifyError
    from .verify import verify_dir
    problems, checked = verify_dir(out_dir, name)
    for p in problems:
        _echo(p, err=True)
    if problems:
        raise VerifyError(f"{plural(len(problems), 'difference')} between the formats", str(out_dir))
    _say(quiet, f"corresp: verified {plural(len(checked), 'file')}: {', '.join(p.name for p in checked)}: "
                "the same documents and notes in every format")


@main.command()
@click.argument("out_dir", type=click.Path(path_type=Path, file_okay=False))
@click.option("--name", help="Only the edition with this base name.")
@click.option("-q", "--quiet", is_flag=True, help="Print the differences only: nothing on success.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def verify(out_dir, name, quiet, debug):
    """Read back every edition in OUT_DIR and check each format has the same text and notes as the JSON."""
    sys.exit(_run(debug, lambda: _verify(out_dir, name, quiet) or 0))


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--print", "print_", is_flag=True, default=None,
              help="Check PDF/X-4 too (default: when the file claims it).")
@click.option("--notes", type=int, help="The number of notes the edition has (checks the Note elements).")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def preflight(files, print_, notes, debug):
    """Check PDF FILES as a screen reader (PDF/UA-1: structure tree, marked content, notes and
    their labels, links, fonts) and a printer (PDF/X-4: boxes, output intent) need them; exit 1
    on any finding."""
    from .verify.preflight import preflight as check

    def go():
        failed = False
        for f in files:
            report = check(f, print_=print_ or None, notes=notes)
            for finding in report.findings:
                _echo(f"{f}: {finding}", err=True)
            _echo(f"corresp: {report.summary()}", err=True)
            failed |= not report.ok
        return 1 if failed else 0

    sys.exit(_run(debug, go))


@main.command()
@click.option("--dump", "dump_dir", type=click.Path(path_type=Path, file_okay=False),
              help="Write the default style (pdf.toml, epub.css, reference.docx, fonts/) to DIR to start from.")
@click.option("--force", is_flag=True, help="With --dump: overwrite files DIR already holds.")
@click.option("--style", "style_dir", type=click.Path(path_type=Path),
              help="Show which parts this style folder supplies and which come from the default.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def styles(dump_dir, force, style_dir, debug):
    """The default style and where each part of a style comes from.

    A style folder may hold any subset of pdf.toml, epub.css, reference.docx, typography.toml
    and fonts;
    each part it lacks is taken from the default, for every format."""
    from .exporters import STYLE_PARTS, check_style_dir, default_style_dir, style_file

    def go():
        defaults = default_style_dir()
        if dump_dir:
            files = sorted(p.relative_to(defaults) for p in defaults.rglob("*") if p.is_file())
            existing = [f for f in files if (dump_dir / f).exists()]
            if existing and not force:
                raise ConfigError(f"already holds {', '.join(map(str, existing))} (use --force to overwrite)",
                                  str(dump_dir))
            for f in files:
                _dump_file(defaults / f, dump_dir, f)
            _echo(f"corresp: wrote the default style to {dump_dir}: {plural(len(files), 'file')} "
                       f"({', '.join(map(str, files))})", err=True)
            return 0
        check_style_dir(style_dir)
        _echo(f"default style: {defaults}")
        for part in STYLE_PARTS:
            if part == "fonts":
                mine = sorted(p.name for p in (style_dir / part).glob("*")) if style_dir and \
                    (style_dir / part).is_dir() else []
                where = f"{style_dir / part} ({', '.join(mine)})" if mine else "default"
            else:
                found = style_file(style_dir, part)
                where = str(found) if style_dir and found.parent == Path(style_dir) else "default"
            _echo(f"{part:15} {where}")
        return 0

    sys.exit(_run(debug, go))


@main.command()
def schema():
    """Print the JSON Schema (Draft 2020-12) of the JSON edition `-f json` writes."""
    from .jsonmodel import edition_json_schema
    _echo(json.dumps(edition_json_schema(), indent=2, ensure_ascii=False))


@main.command()
def formats():
    """List the registered readers (sources) and writers (formats)."""
    from .readers import registry as readers
    sources = readers()
    _echo("readers (corresp build picks one by what the file is):")
    for name, reader in sources.readers.items():
        _echo(f"  {name:9} {reader.description}")
    reg = registry()
    _echo("writers (-f):")
    for name, exporter in reg.exporters.items():
        _echo(f"  {name:9} {exporter.extension:9} {exporter.description}")
    for problem in sources.problems + reg.problems:
        _echo(f"corresp: warning: {problem}", err=True)


if __name__ == "__main__":
    main()
