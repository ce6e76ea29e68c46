"""How Module 4's "use your own data" analysis scales with the inventory uploaded.

Each inventory is a CSV file as a participant would upload it: ``--sizes`` firms (one row
each, 1,000, 5,000 and 20,000 by default; 20,000 rows is the most an upload may have) at
random places on 50 x 50 km, each supplying or needing one of five materials, grades 1 to
3. Each goes through the whole of what the upload button does
(``eic.own_data.OwnDataPanel.receive``: reading, the check, the matching within the
distance limit of 15 km, the allocation, the map and the table, saving); then the distance
slider is moved to the widest limit at which the page weighs the exchanges (at most
``MAX_EXCHANGES`` feasible), the heaviest analysis a participant can ask of it. The
baseline is the same two steps for the course's own example inventory (20 rows), measured
alternately in the same run, ``--repeat`` times each, with the chart cache off.

The table gives, for each inventory, the exchanges feasible within 15 km, the median
seconds of the upload and its ratio to the baseline's, the widest limit, the exchanges
feasible within it, and the median seconds of moving the slider there and their ratio.
Compare ratios, not seconds. The target: every ratio at most 30 (a 20,000-row inventory
took over 13 minutes, thousands of times the baseline, when the analysis weighed every
feasible exchange and labelled every firm on the map).

    python benchmarks/own_inventory.py [--repeat 3] [--sizes 1000 5000 20000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ["EIC_CHART_CACHE"] = "off"  # every repeat draws its charts, as a first upload does
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from eic.own_data import OwnDataPanel  # noqa: E402
from eic.own_data_specs import SPECS  # noqa: E402
from eic.own_symbiosis import (  # noqa: E402
    DEFAULT_DISTANCE_KM,
    DISTANCE_KM,
    MAX_EXCHANGES,
    feasible_exchange_counts,
)
from eic.table_templates import template_csv  # noqa: E402
from eic.widgets import FloatSlider  # noqa: E402

TARGET_RATIO = 30
MATERIALS = ("ash", "rice husk", "scrap", "sludge", "steam")


def dense_inventory(rows: int, *, seed: int) -> pd.DataFrame:
    """``rows`` firms, one row each, at random on 50 x 50 km: a dense inventory, where the
    feasible exchanges grow with the square of the rows."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "firm": [f"Firm {i}" for i in range(rows)],
            "x_km": rng.uniform(0, 50, rows).round(1),
            "y_km": rng.uniform(0, 50, rows).round(1),
            "flow": rng.choice(["supplies", "needs"], rows),
            "material": rng.choice(MATERIALS, rows),
            "tonnes_per_year": rng.integers(10, 1000, rows).astype(float),
            "grade": rng.integers(1, 4, rows),
        }
    )


def widest_distance(table: pd.DataFrame) -> float:
    """The largest distance limit (km) of the slider at which the page weighs the feasible
    exchanges (at most MAX_EXCHANGES of them)."""
    steps = np.arange(DISTANCE_KM[0], DISTANCE_KM[1] + 1, dtype=float)
    counts = feasible_exchange_counts(table, steps)
    return float(steps[counts <= MAX_EXCHANGES].max(initial=DISTANCE_KM[0]))


def upload_seconds(content: bytes, name: str, distance_km: float) -> tuple[float, float]:
    """Seconds to read, check, analyse and save ``content`` as a fresh panel does, and then
    to analyse it again with the distance limit moved to ``distance_km``."""
    with tempfile.TemporaryDirectory() as folder:
        panel = OwnDataPanel(SPECS["m04"], folder)
        start = time.perf_counter()
        accepted = panel.receive(content, name)
        uploaded = time.perf_counter() - start
        if not accepted:
            raise SystemExit(f"{name} was refused: {panel.message.value}")
        (limit,) = [w for w in widgets_in(panel.analysis) if isinstance(w, FloatSlider)]
        start = time.perf_counter()
        limit.value = distance_km
        moved = time.perf_counter() - start
    return uploaded, moved


def widgets_in(widget) -> list:
    return [widget, *(w for child in getattr(widget, "children", ()) for w in widgets_in(child))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 5_000, 20_000])
    args = parser.parse_args()
    example = SPECS["m04"].example_table()
    tables = {"example": example, **{rows: dense_inventory(rows, seed=rows) for rows in args.sizes}}
    files = {name: template_csv(table) for name, table in tables.items()}
    at = {name: feasible_exchange_counts(t, [DEFAULT_DISTANCE_KM])[0] for name, t in tables.items()}
    widest = {name: widest_distance(table) for name, table in tables.items()}
    upload_seconds(files["example"], "warm-up.csv", widest["example"])  # imports and fonts
    seconds: dict = {name: [] for name in files}
    for _ in range(args.repeat):
        for name, content in files.items():
            seconds[name].append(upload_seconds(content, f"{name}.csv", widest[name]))
    up = {name: statistics.median(s[0] for s in times) for name, times in seconds.items()}
    moved = {name: statistics.median(s[1] for s in times) for name, times in seconds.items()}
    print(
        f"{'rows':>14} {'feasible':>10} {'upload_s':>9} {'ratio':>6} {'widest':>7} "
        f"{'feasible':>10} {'moved_s':>8} {'ratio':>6}"
    )
    ratios = []
    for name, table in tables.items():
        rows = f"{len(table)} (example)" if name == "example" else str(name)
        within = feasible_exchange_counts(table, [widest[name]])[0]
        ratio = (up[name] / up["example"], moved[name] / moved["example"])
        ratios += list(ratio) if name != "example" else []
        print(
            f"{rows:>14} {at[name]:>10} {up[name]:>9.2f} {ratio[0]:>6.1f} "
            f"{widest[name]:>4.0f} km {within:>10} {moved[name]:>8.2f} {ratio[1]:>6.1f}"
        )
    worst = max(ratios)
    verdict = "within" if worst <= TARGET_RATIO else "OVER"
    print(f"largest ratio {worst:.1f} ({verdict} the target of {TARGET_RATIO})")


if __name__ == "__main__":
    main()
