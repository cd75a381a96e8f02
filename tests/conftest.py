import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "1935-08.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")


@pytest.fixture(scope="session")
def seed_edition():
    from corresp.parse import read_edition
    edition, diagnostics = read_edition([SEED])
    return edition


@pytest.fixture(scope="session")
def seed_diagnostics():
    from corresp.parse import read_edition
    return read_edition([SEED])[1]
