"""A participant's own table and its ``.json`` stay a pair: two browser tabs of Module 6 (one
uploading tables, the other changing the plant costs) never leave the ``.json`` of one
upload beside the ``.csv`` of another, nor lose the costs last entered; and what a stopped
save left behind is cleaned up."""

from __future__ import annotations

import fnmatch
import json
import multiprocessing
import os
import runpy
import subprocess
import tempfile
import time

import pandas as pd
from conftest import ROOT, is_answer_file

from eic.own_tables import OwnDataFile

HOUR = 3600


def firms(upload: int) -> pd.DataFrame:
    """Upload number ``upload``: 1, 2 or 3 firms, named after the upload."""
    rows = 1 + upload % 3
    return pd.DataFrame(
        {"firm": [f"u{upload}-f{r}" for r in range(rows)], "effluent_m3_per_day": [10.0] * rows}
    )


def _upload_many(folder: str, count: int, wrong: multiprocessing.Value) -> None:
    """Tab A: uploads ``count`` tables; after each, its ``.json`` must describe it."""
    saved = OwnDataFile(folder, "m06", "firms")
    for upload in range(count):
        table = firms(upload)
        saved.save(table, f"upload{upload}.csv", example_rows=upload % 2)
        meta = saved.source()
        described = (meta.get("file"), meta.get("rows"), meta.get("example_rows"))
        if described != (f"upload{upload}.csv", len(table), upload % 2):
            wrong.value += 1


def _change_costs(
    folder: str,
    least: int,
    uploading: multiprocessing.Event,
    last: multiprocessing.Value,
    wrong: multiprocessing.Value,
) -> None:
    """Tab B: changes the plant's fixed cost at least ``least`` times, and for as long as tab
    A uploads; after each change the ``.json`` must hold it."""
    saved = OwnDataFile(folder, "m06", "firms")
    change = 0
    while change < least or uploading.is_set():
        cost = 150_000.0 + change
        saved.keep_settings({"fixed_usd_per_yr": cost})
        if saved.settings() != {"fixed_usd_per_yr": cost}:
            wrong.value += 1
        last.value = cost
        change += 1


def test_a_table_and_its_json_stay_a_pair_when_two_tabs_save_at_once(tmp_path):
    uploads, changes = 150, 150
    context = multiprocessing.get_context("fork")
    uploading = context.Event()
    uploading.set()
    a_wrong, b_wrong = context.Value("i", 0), context.Value("i", 0)
    last_cost = context.Value("d", 0.0)
    tab_a = context.Process(target=_upload_many, args=(str(tmp_path), uploads, a_wrong))
    tab_b = context.Process(
        target=_change_costs, args=(str(tmp_path), changes, uploading, last_cost, b_wrong)
    )
    tab_b.start()
    tab_a.start()
    tab_a.join(120)
    uploading.clear()
    tab_b.join(120)
    assert tab_a.exitcode == 0 and tab_b.exitcode == 0
    # no save ever left the .json of another upload, no cost change was undone by a save
    assert a_wrong.value == 0
    assert b_wrong.value == 0
    saved = OwnDataFile(tmp_path, "m06", "firms")
    table = saved.load()
    meta = json.loads(saved.meta_path.read_text(encoding="utf-8"))
    # the last upload is number 149: 149 % 3 = 2, so 3 firms; 149 % 2 = 1 example row
    assert table["firm"].tolist() == ["u149-f0", "u149-f1", "u149-f2"]
    assert (meta["file"], meta["rows"], meta["example_rows"]) == ("upload149.csv", 3, 1)
    assert last_cost.value >= 150_000.0 + changes - 1
    assert meta["settings"] == {"fixed_usd_per_yr": last_cost.value}


def test_a_new_upload_keeps_the_plant_costs_entered_before(tmp_path):
    saved = OwnDataFile(tmp_path, "m06", "firms")
    saved.save(firms(0), "first.csv")
    saved.keep_settings({"fixed_usd_per_yr": 150_000.0})
    saved.save(firms(1), "second.csv")
    assert saved.settings() == {"fixed_usd_per_yr": 150_000.0}
    assert saved.source()["file"] == "second.csv" and saved.source()["rows"] == 2


def left_behind(folder, name: str, *, age: float) -> str:
    """A temporary file named as a save of ``name`` names it, ``age`` seconds old."""
    handle, path = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    os.write(handle, b"firm,effluent_m3_per_day\nhalf")
    os.close(handle)
    then = time.time() - age
    os.utime(path, (then, then))
    return os.path.basename(path)


def test_saving_a_table_removes_the_temporary_files_a_stopped_save_left(tmp_path):
    saved = OwnDataFile(tmp_path, "m06", "firms")
    stale = [left_behind(tmp_path, name, age=HOUR) for name in ("m06-own-firms.csv",
             "m06-own-firms.json")]  # fmt: skip
    fresh = left_behind(tmp_path, "m06-own-firms.csv", age=0)  # perhaps a save under way
    saved.save(firms(0), "first.csv")
    names = {p.name for p in tmp_path.iterdir()}
    assert not names & set(stale)
    assert fresh in names
    assert saved.load()["firm"].tolist() == ["u0-f0"]


def test_the_lock_file_of_a_table_stays_out_of_releases_submissions_and_git(tmp_path):
    from traitlets.config import Config

    config = Config()
    runpy.run_path(str(ROOT / "nbgrader_config.py"), init_globals={"get_config": lambda: config})
    ignore = config.CourseDirectory.ignore
    for model in (False, True):
        saved = OwnDataFile(tmp_path, "m06", "firms", model=model)
        saved.save(firms(0), "first.csv")
        lock = saved.lock_path.name
        assert saved.lock_path.exists()
        assert any(fnmatch.fnmatch(lock, pattern) for pattern in ignore), lock
        assert is_answer_file(lock)  # left out when the tests copy a course
        ignored = subprocess.run(["git", "check-ignore", "-q", f"source/{lock}"], cwd=ROOT)
        assert ignored.returncode == 0, lock
