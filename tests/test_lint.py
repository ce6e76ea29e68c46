"""The course's code, tests and notebooks pass ruff (lint and format)."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT

TARGETS = ["lib", "tests", "benchmarks", "scripts", "nbgrader_config.py", "source", "release"]


def ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, *TARGETS], cwd=ROOT, capture_output=True, text=True
    )


def test_ruff_lint_is_clean():
    result = ruff("check", "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean():
    result = ruff("format", "--check", "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr
