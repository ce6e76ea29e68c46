"""The grading benchmark runs on a tiny class and prints both times, their ratio and
whether the scores are identical."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import ROOT


@pytest.mark.slow
def test_grading_benchmark_prints_times_ratio_and_identical_scores():
    result = subprocess.run(
        [sys.executable, "benchmarks/grading.py", "--participants", "1", "--modules", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "Class: 1 participants x 1 modules (m01;" in out
    assert re.search(r"^m01\s+[\d.]+\s+[\d.]+\s+[\d.]+$", out, re.M)  # the module's row
    serial = float(re.search(r"serial nbgrader autograde:\s+([\d.]+) s", out)[1])
    parallel = float(re.search(r"eic-course grade --jobs 2:\s+([\d.]+) s", out)[1])
    ratio = float(re.search(r"ratio parallel/serial:\s+([\d.]+)", out)[1])
    # the times are printed to 0.1 s and the ratio to 0.01: allow for that rounding
    worst = (parallel + 0.05) / (serial - 0.05) - parallel / serial
    assert ratio == pytest.approx(parallel / serial, abs=worst + 0.005)
    assert re.search(r"identical scores:\s+yes", out)
