"""How by-product matching scales: 1,000 and 10,000 firms with 20 materials.

The inventories come from ``eic.firm_inventory.random_inventory``: one firm per km², each
supplying one material and needing another, so a larger cluster covers a larger area (as
a real region would) rather than packing more firms into the same square. Both sizes are
measured alternately in the same run, ``--repeat`` times each; the table gives the median
seconds of ``match_by_products`` (validation included) and of ``allocate_exchanges``, and
the growth from 1,000 to 10,000 firms. The targets: matching 10,000 firms in under 1 s,
and growth of at most 15-fold for 10 times the firms.

    python benchmarks/matching.py [--repeat 5] [--small 1000] [--large 10000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))

from eic.firm_inventory import random_inventory  # noqa: E402
from eic.symbiosis import allocate_exchanges, match_by_products  # noqa: E402

DISTANCE_KM = 5.0


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=10_000)
    args = parser.parse_args()
    sizes = (args.small, args.large)
    inventories = {n: random_inventory(n, 20, seed=n) for n in sizes}
    match_s: dict[int, list[float]] = {n: [] for n in sizes}
    allocate_s: dict[int, list[float]] = {n: [] for n in sizes}
    pairs = {}
    match_by_products(inventories[args.small], max_distance_km=DISTANCE_KM)  # warm up
    for _ in range(args.repeat):
        for n in sizes:
            seconds, found = timed(match_by_products, inventories[n], max_distance_km=DISTANCE_KM)
            match_s[n].append(seconds)
            allocate_s[n].append(timed(allocate_exchanges, found)[0])
            pairs[n] = len(found)
    print(f"{'firms':>8} {'exchanges':>10} {'match_s':>8} {'allocate_s':>10}")
    median = {n: statistics.median(match_s[n]) for n in sizes}
    for n in sizes:
        print(f"{n:>8} {pairs[n]:>10} {median[n]:>8.3f} {statistics.median(allocate_s[n]):>10.3f}")
    growth = median[args.large] / median[args.small]
    print(f"growth {args.small} -> {args.large} firms: {growth:.1f}-fold (target at most 15)")
    verdict = "within" if median[args.large] < 1 else "OVER"
    print(f"matching {args.large} firms: {median[args.large]:.3f} s ({verdict} the 1 s target)")


if __name__ == "__main__":
    main()
