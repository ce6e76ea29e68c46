"""What makes a preheated kernel out of date (eic.fresh_pools; in a browser:
tests/test_browser_pools.py)."""

from __future__ import annotations

import os

from eic.fresh_pools import fingerprint, last_change


def test_a_recorded_answer_or_a_saved_table_changes_the_fingerprint_and_a_lock_does_not(
    tmp_path,
):
    module = tmp_path / "m01-eic-in-asia"
    module.mkdir()
    (module / "m01-eic-in-asia.ipynb").write_text("{}")
    before = fingerprint(tmp_path)
    # a lock taken, a temporary file written, Jupyter's checkpoints: nothing a notebook reads
    (module / ".m01-answers.json.lock").write_bytes(b"")
    (module / ".m01-answers.json.x1.tmp").write_text("{")
    (module / ".ipynb_checkpoints").mkdir()
    (module / ".ipynb_checkpoints" / "m01-eic-in-asia-checkpoint.ipynb").write_text("{}")
    assert fingerprint(tmp_path) == before
    # an answer recorded, in the module's folder, is seen from it and from the course home's
    (module / "m01-answers.json").write_text('{"answers": {}}')
    after = fingerprint(tmp_path)
    assert after != before and fingerprint(module) != fingerprint(tmp_path / "missing")
    # replaced by a file of the same size: still a change
    os.utime(module / "m01-answers.json", ns=(1, 1))
    assert fingerprint(tmp_path) != after
    assert last_change(fingerprint(module)) > 1e9  # the notebook's time, not the old answer's
