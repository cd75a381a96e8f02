"""Speed must not change output: build the sample with this checkout's code and with a git
revision's (default: main), every format, and compare the files' SHA-256.

    .venv/bin/python bench/same_bytes.py [--against REV] [--scale N]

Two editions are built each time: the volume of edition.toml (front matter, ISBNs, so the
EPUB carries the print edition's page list) and the seed alone with continuous notes.
`--scale N` builds the volume from N copies of the seed (as bench/run.py makes them), so
the page breaks of a long book are compared too. Exit 1 if any file differs.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))


def export_revision(rev: str, dest: Path) -> Path:
    """The `src` folder of `rev`, unpacked in `dest` (git archive: no worktree is made)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", rev, "src"],
                             check=True, capture_output=True).stdout
    tar = dest / "src.tar"
    tar.write_bytes(archive)
    with tarfile.open(tar) as t:
        t.extractall(dest, filter="data")
    return dest / "src"


def build(src: Path, out: Path, args: list[str]) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(src), SOURCE_DATE_EPOCH="1767225600")
    subprocess.run([sys.executable, "-m", "corresp", "build", *args, "-o", str(out), "-q"],
                   check=True, env=env, cwd=ROOT)
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.iterdir()) if p.is_file()}


def editions(work: Path, scale: int) -> list[tuple[str, list[str]]]:
    volume = ["-c", str(ROOT / "edition.toml")]
    if scale > 1:
        from run import make_sources
        make_sources(work, scale)
        volume = [*sorted(map(str, (work / f"x{scale}").glob("*.txt"))), "-c", str(ROOT / "edition.toml"),
                  "--name", "volume"]
    return [("volume", volume),
            ("seed", [str(ROOT / "seeds" / "1935-08.txt"), "--notes", "continuous"])]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--against", default="main")
    ap.add_argument("--scale", type=int, default=1)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="corresp-same-"))
    try:
        theirs = export_revision(args.against, work)
        differ = 0
        for label, build_args in editions(work, args.scale):
            a = build(theirs, work / f"{label}-{args.against.replace('/', '_')}", build_args)
            b = build(ROOT / "src", work / f"{label}-here", build_args)
            for name in sorted(set(a) | set(b)):
                same = a.get(name) == b.get(name)
                differ += not same
                print(f"{'same' if same else 'DIFFERENT'}  {label}: {name}  {(b.get(name) or 'missing')[:16]}")
            # A format built alone, and both PDFs alone (a core to spare: the layout breaks
            # lines ahead and deflates on the other, pdf_parts/prebreak.py, deflater.py and
            # ahead.py) write the same files.
            for fmts in (["pdf"], ["pdf-print"], ["epub"], ["pdf", "pdf-print"]):
                flags = [a for fmt in fmts for a in ("-f", fmt)]
                alone = build(ROOT / "src", work / f"{label}-here-{'+'.join(fmts)}", [*build_args, *flags])
                for name, digest in alone.items():
                    same = a.get(name) == digest
                    differ += not same
                    print(f"{'same' if same else 'DIFFERENT'}  {label}, {' and '.join(fmts)} alone: {name}  "
                          f"{digest[:16]}")
        print(f"{differ} file(s) differ from {args.against}" if differ else f"every file identical to {args.against}")
        return 1 if differ else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
