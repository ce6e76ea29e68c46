"""benchmarks/own_inventory.py runs and prints, for each inventory, its ratios to the
course example's upload measured in the same run."""

from __future__ import annotations

import re

import pytest
from test_benchmark import run_benchmark


def test_the_own_inventory_benchmark_prints_each_size_against_the_example():
    output = run_benchmark("own_inventory.py", "--repeat", "1", "--sizes", "200", "800",
                           timeout=600)  # fmt: skip
    number = r"([\d.]+)"
    rows = {
        name: tuple(map(float, numbers))
        for name, *numbers in re.findall(
            rf"^\s*(\d+(?: \(example\))?)\s+{number}\s+{number}\s+{number}\s+{number} km\s+"
            rf"{number}\s+{number}\s+{number}$",
            output,
            re.M,
        )
    }
    assert set(rows) == {"20 (example)", "200", "800"}, output
    example = rows["20 (example)"]
    assert example[2] == 1.0 and example[6] == 1.0  # the baseline against itself
    for name in ("200", "800"):
        _feasible, upload_s, ratio, _widest, _within, moved_s, moved_ratio = rows[name]
        # each ratio is the size's seconds over the example's, as printed (to 0.01 s)
        assert ratio == pytest.approx(upload_s / example[1], rel=0.2, abs=0.1)
        assert moved_ratio == pytest.approx(moved_s / example[5], rel=0.2, abs=0.1)
    assert rows["800"][0] > rows["200"][0]  # more firms on the same area, more exchanges
    assert re.search(r"^largest ratio [\d.]+ \((within|OVER) the target of 30\)$", output, re.M)
