import os
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "1935-08.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")

# CI replays the same generated examples on every run, so a red build means a change broke
# something; a local `make test` draws new ones each time, which is how the fuzzers find
# what nobody thought of (HYPOTHESIS_PROFILE=ci in .ci/run).
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def seed_edition():
    from corresp.readers.text.parser import read_edition
    edition, diagnostics = read_edition([SEED])
    return edition


@pytest.fixture(scope="session")
def seed_source():
    """The seed as a build reads it (`read_sources`)."""
    from corresp.readers import read_sources
    return read_sources([SEED], [])[0]


@pytest.fixture(scope="session")
def seed_plain_pdf(seed_source, tmp_path_factory):
    """The seed's PDF laid out and written in this process alone: what a PDF made with
    helper processes (pdf_parts/prebreak.py, ahead.py) must equal, byte for byte."""
    from corresp.exporters import ExportOptions
    from corresp.exporters.pdf import lay_out_pdf, save_pdf
    path = tmp_path_factory.mktemp("plain") / "plain.pdf"
    save_pdf(lay_out_pdf(seed_source, ExportOptions(source_date_epoch=1767225600)), path)
    return path.read_bytes()


@pytest.fixture(scope="session")
def seed_diagnostics():
    from corresp.readers.text.parser import read_edition
    return read_edition([SEED])[1]


def json_paths(node, prefix=()):
    """Every path (a tuple of keys and indexes) into a JSON value, the root's first: where
    the fuzzers plant their mutations."""
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from json_paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from json_paths(v, prefix + (i,))
