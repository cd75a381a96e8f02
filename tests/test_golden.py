"""The model of the seed, frozen after checking it by hand (tests/golden/1935-08.json).

Run with CORRESP_ACCEPT=1 to rewrite the golden file after an intended change, then read
the diff before committing it.
"""
import json
import os

from conftest import ROOT, SEED
from corresp.exporters.json_edition import edition_to_json
from corresp.readers.json_edition import edition_from_json
from corresp.readers.text.parser import read_edition

GOLDEN = ROOT / "tests" / "golden" / "1935-08.json"


def test_seed_model_matches_golden():
    edition, _ = read_edition([SEED])
    data = edition_to_json(edition)
    if os.environ.get("CORRESP_ACCEPT"):
        GOLDEN.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert data["documents"] == golden["documents"]
    assert data == golden


def test_seed_shape(seed_edition):
    assert len(seed_edition.chapters) == 1
    chapter = seed_edition.chapters[0]
    assert chapter.title == "1935 August"
    assert chapter.intro and chapter.intro[0].text.startswith("Stalin's vacation in 1935 was again long")
    assert len(seed_edition.documents) == 38
    assert sum(len(d.footnotes) for d in seed_edition.documents) == 50
    assert seed_edition.title == "Stalin and Kaganovich. Correspondence. 1931–1936"


def test_twin_headings_get_distinct_ids(seed_edition):
    twins = [d for d in seed_edition.documents if d.heading == "Stalin - Molotov, Kaganovich August 27, 1935"]
    assert len(twins) == 2
    assert twins[0].id != twins[1].id
    assert twins[1].requisites["Dating"] == "1935.08.27"
    assert "Pp. 535-536" in twins[1].requisites["A source"]


def test_json_round_trip_is_lossless(seed_edition):
    data = edition_to_json(seed_edition)
    again = edition_from_json(json.loads(json.dumps(data)))
    assert again == seed_edition
    assert edition_to_json(again) == data


def test_json_fields_spelled_as_documented(seed_edition):
    data = edition_to_json(seed_edition)
    assert {"schema_version", "title", "chapters", "documents"} <= set(data)
    doc = data["documents"][0]
    for key in ("id", "heading", "senders", "recipients", "date", "archive", "footnotes"):
        assert key in doc
    assert doc["date"]["iso"] == "1935-08-14" and doc["date"]["supplied"] is False
    assert doc["senders"] == [{"name": "Kaganovich", "nominative": "Kaganovich"}, {"name": "Yezhov", "nominative": "Yezhov"}]
    assert doc["archive"][0]["fond"] == "558" and doc["archive"][0]["folios"] == "9"
    notes = [n for d in data["documents"] for n in d["footnotes"]]
    assert all({"number", "text", "marker", "label"} <= set(n) for n in notes)


def test_parallel_parse_equals_serial(monkeypatch, tmp_path):
    """Many sources are parsed in two processes; the edition is the same as a serial parse,
    ids made unique across the whole edition included."""
    import corresp.readers.text.parser as parse
    paths = [SEED] * 9
    parallel, pdiags = parse.read_edition(paths)
    monkeypatch.setattr(parse, "PARALLEL_FROM", 10_000)
    serial, sdiags = parse.read_edition(paths)
    assert edition_to_json(parallel) == edition_to_json(serial)
    assert pdiags == sdiags
    ids = [d.id for d in parallel.documents]
    assert len(set(ids)) == len(ids) == 9 * 38
    assert ids[38] == ids[0] + "-2"


def test_parallel_parse_reports_the_first_bad_file(tmp_path):
    from corresp.errors import InputError
    bad1, bad2 = tmp_path / "bad1.txt", tmp_path / "bad2.txt"
    bad1.write_bytes(b"")
    bad2.write_bytes(b"\xff\xfe")
    import pytest
    with pytest.raises(InputError) as exc:
        read_edition([SEED, bad1] + [SEED] * 6 + [bad2])
    assert exc.value.file == str(bad1)


def test_parallel_parse_survives_a_dead_worker(monkeypatch):
    """The sources are shared out while they are parsed; if the forked worker dies (killed,
    out of memory) the sources it took and never sent back are parsed here: the same edition."""
    import os
    import time
    import corresp.readers.text.parser as parse
    paths = [SEED] * 9
    serial = parse._parse_files(paths)
    parent, parse_lines = os.getpid(), parse._parse_lines
    seen = []

    def dies_on_its_second(path, lines, author=None):
        if os.getpid() != parent:
            seen.append(path)
            if len(seen) == 2:
                os._exit(1)
        else:
            time.sleep(0.05)  # this process slow, so the worker surely gets to its second source
        return parse_lines(path, lines, author)

    monkeypatch.setattr(parse, "_parse_lines", dies_on_its_second)
    parse_files, parsed_here = parse._parse_files, []
    monkeypatch.setattr(parse, "_parse_files", lambda ps, author=None: parsed_here.append(ps) or parse_files(ps, author))
    parallel = parse._parse_in_two(paths)
    assert parsed_here == [[SEED]]  # the one it took and never sent
    assert [edition_to_json(parse._assemble([p], None, None, {})[0]) for p in parallel] == \
        [edition_to_json(parse._assemble([p], None, None, {})[0]) for p in serial]


def test_parallel_parse_reports_the_first_bad_file_wherever_it_falls(tmp_path):
    from corresp.errors import InputError
    import pytest
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    for k in (0, 4, 8):
        paths = [SEED] * 9
        paths[k] = bad
        with pytest.raises(InputError) as exc:
            read_edition(paths)
        assert exc.value.file == str(bad)
