"""Scaling of the pathological shapes of issue 26 at 1×, 10×, 100× and 1000×: each stage must
grow linearly (time and peak memory) or be refused with a message at a stated limit.

    python bench/hostile.py [SHAPE...] [--scales 1,10,100,1000]  > bench/hostile-results.txt

Each measurement runs in a fresh process (its peak RSS is the stage's alone: the parent's
children, PDF workers included). Not part of the timed tests: the 1000× runs take a while.

Shapes (the unit is the 1× size):
- token: one unbreakable word of 5,000 characters, the PDF laid out (exporter in-process)
- paragraph: one paragraph of 5,000 characters, the PDF
- notes: one letter with 8 notes whose markers lost their superscripts, parsed (`check`)
- letters: the seed month (38 letters, 50 KB), parsed (`check`) -- over the source limit: refused
- json: the seed's JSON edition repeated, read back (`build -f json` from it)
- css: a 10 KB epub.css, validated
"""
from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "1935-08.txt"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

RUN = r"""
import json, resource, sys, time
from pathlib import Path
shape, path, work = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
started = time.perf_counter()
outcome = "ok"
try:
    if shape in ("token", "paragraph"):
        from corresp.exporters import ExportOptions, registry
        from corresp.readers import read_sources
        edition, _ = read_sources([path])
        registry().get("pdf").export(edition, work / "out.pdf", ExportOptions())
    elif shape in ("notes", "letters"):
        from corresp.readers import read_sources
        read_sources([path])
    elif shape == "json":
        from corresp.build import build
        build([path], work / "out", ["json"], name="again")
    elif shape == "css":
        from corresp.validate import check_css
        check_css(path)
except Exception as exc:
    outcome = f"refused: {exc}" if type(exc).__module__.startswith("corresp") else f"FAILED: {type(exc).__name__}: {exc}"
seconds = time.perf_counter() - started
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({"seconds": round(seconds, 2), "peak_mb": peak // 1024, "outcome": outcome[:160]}))
"""


def make(shape: str, scale: int, work: Path) -> Path:
    from test_hostile import one_letter
    if shape == "token":
        path = work / "token.txt"
        path.write_text(one_letter("Before " + "x" * (5000 * scale) + " after"), encoding="utf-8")
    elif shape == "paragraph":
        sentence = "The Central Committee instructed the commission to finalize the resolution. "
        path = work / "paragraph.txt"
        path.write_text(one_letter((sentence * (5000 * scale // len(sentence) + 1))[:5000 * scale]), encoding="utf-8")
    elif shape == "notes":
        n = 8 * scale
        body = " ".join(f"word{i} {i} ." for i in range(1, n + 1))
        notes = "\n\n".join(f"{i} Note {i}." for i in range(1, n + 1))
        path = work / "notes.txt"
        path.write_text(one_letter(body, notes=()) + "\n_____\n\n" + notes + "\n", encoding="utf-8")
    elif shape == "letters":
        text = SEED.read_text(encoding="utf-8")
        head, _, rest = text.partition("\n\n")
        path = work / "letters.txt"
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
            for _ in range(scale - 1):
                f.write("\n\n" + rest)
    elif shape == "json":
        from corresp.build import build
        src = work / "seed.txt"
        text = SEED.read_text(encoding="utf-8")
        head, _, rest = text.partition("\n\n")
        src.write_text(text + "".join("\n\n" + rest for _ in range(min(scale, 100) - 1)), encoding="utf-8")
        build([src], work, ["json"])
        data = json.loads((work / "seed.json").read_text(encoding="utf-8"))
        if scale > 100:  # the 100× edition's documents repeated, with new ids
            docs, chapter = data["documents"], data["chapters"][0]
            data["documents"] = [{**d, "id": f"{d['id']}-{k}"} for k in range(scale // 100) for d in docs]
            chapter["documents"] = [d["id"] for d in data["documents"]]
        path = work / "edition.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    else:
        rule = "p.note-%d { margin: 0 0 0.5em 0; font-size: 0.9em; color: #333; }\n"
        path = work / "epub.css"
        with open(path, "w", encoding="utf-8") as f:
            for k in range(10_000 * scale // len(rule % 0)):
                f.write(rule % k)
    return path


def main(argv: list[str]) -> None:
    shapes = [a for a in argv if not a.startswith("--")] or ["token", "paragraph", "notes", "letters", "json", "css"]
    scales = [1, 10, 100, 1000]
    if "--scales" in argv:
        scales = [int(s) for s in argv[argv.index("--scales") + 1].split(",")]
        shapes = [s for s in shapes if s != argv[argv.index("--scales") + 1]]
    print(f"{'shape':10} {'scale':>6} {'input':>10} {'seconds':>8} {'peak MB':>8}  outcome")
    for shape in shapes:
        for scale in scales:
            with tempfile.TemporaryDirectory() as tmp:
                work = Path(tmp)
                # The input is made in a process of its own: a child's peak RSS counts its parent's
                # at fork (Linux keeps it across exec), and making the JSON edition builds one.
                made = subprocess.run([sys.executable, __file__, "--make", shape, str(scale), str(work)],
                                      capture_output=True, text=True, check=True)
                path = Path(made.stdout.strip())
                size = path.stat().st_size
                try:
                    r = subprocess.run([sys.executable, "-c", RUN, shape, str(path), str(work)], capture_output=True,
                                       text=True, timeout=900, env={"PYTHONPATH": str(ROOT / "src"),
                                                                    "SOURCE_DATE_EPOCH": "1767225600"})
                    got = json.loads(r.stdout.strip().splitlines()[-1]) if r.stdout.strip() else \
                        {"seconds": "-", "peak_mb": "-", "outcome": f"FAILED: {r.stderr.strip()[-160:]}"}
                except subprocess.TimeoutExpired:
                    got = {"seconds": ">900", "peak_mb": "-", "outcome": "FAILED: timed out"}
                print(f"{shape:10} {scale:>5}× {size / 1e6:>8.2f}MB {got['seconds']:>8} {got['peak_mb']:>8}  "
                      f"{got['outcome']}", flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--make"]:
        print(make(sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])))
    else:
        main(sys.argv[1:])
