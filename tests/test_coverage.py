"""Nothing lost: every character of each source is in the model or in the recorded debris."""
import subprocess
import sys

import pytest

from conftest import FIXTURES, SEED
from corresp.coverage import measure_files
from corresp.parse import read_edition


@pytest.mark.parametrize("path", [SEED, FIXTURES / "messy-1932-10.txt", FIXTURES / "ru-1933-08.txt"])
def test_full_coverage(path):
    edition, _ = read_edition([path])
    [cov] = measure_files([path], edition)
    assert cov.unaccounted == [] and cov.share == 1.0 and cov.total > 500


def test_coverage_notices_lost_text(tmp_path):
    edition, _ = read_edition([SEED])
    doc = edition.documents[0]
    doc.body.pop()  # drop a paragraph from the model
    [cov] = measure_files([SEED], edition)
    assert [l.number for l in cov.unaccounted] == [22]
    assert cov.share < 1.0


def test_check_coverage_cli():
    r = subprocess.run([sys.executable, "-m", "corresp", "check", "--coverage", str(SEED)], capture_output=True, text=True)
    assert r.returncode == 0
    assert f"{SEED}: 100.00% of" in r.stdout
