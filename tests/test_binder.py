"""Binder's files alone make an environment in which every release notebook runs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap

import pytest
from conftest import ROOT, is_answer_file, released_modules

RUN_ALL = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    import nbformat
    from nbclient import NotebookClient

    for path in map(Path, sys.argv[1:]):
        nb = nbformat.read(path, as_version=4)
        NotebookClient(nb, timeout=180, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
        assert not errors, f"{path.name}: {errors[0].ename}: {errors[0].evalue}"
        print("ran", path.name)
    """
)


@pytest.mark.slow
def test_a_fresh_environment_from_binder_alone_runs_every_release_notebook(tmp_path):
    project = tmp_path / "project"
    ignore = shutil.ignore_patterns("*-answers*", ".ipynb_checkpoints", "__pycache__", "*.egg-info")
    for part in ("binder", "lib", "course", "release"):
        shutil.copytree(ROOT / part, project / part, ignore=ignore, symlinks=True)
    shutil.copy2(ROOT / "pyproject.toml", project)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    outside = ("NBGRADER", "VOILA", "JUPYTER", "VIRTUAL_ENV")
    env = {k: v for k, v in os.environ.items() if not k.startswith(outside)}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR",
                 "MPLCONFIGDIR"):  # fmt: skip
        env[name] = str(tmp_path / name.lower())
    python = str(venv / "bin" / "python")
    install = subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "-r", "binder/requirements.txt"],
        cwd=project, env=env, capture_output=True, text=True, timeout=1200,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr[-3000:]
    post = subprocess.run(["bash", "binder/postBuild"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=600)  # fmt: skip
    assert post.returncode == 0, post.stderr[-3000:]
    # participants do not see nbgrader's trainer tools
    page_config = venv / "etc" / "jupyter" / "labconfig" / "page_config.json"
    disabled = json.loads(page_config.read_text(encoding="utf-8"))["disabledExtensions"]
    assert disabled.get("@jupyter/nbgrader:formgrader") is True
    assert disabled.get("@jupyter/nbgrader:create-assignment") is True
    notebooks = [
        project / "release" / m["folder"] / f"{m['folder']}.ipynb" for m in released_modules()
    ] + [project / "release" / "index.ipynb"]
    run = subprocess.run(
        [python, "-c", RUN_ALL, *map(str, notebooks)],
        cwd=project, env=env, capture_output=True, text=True, timeout=1800,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.count("ran ") == len(notebooks)
    assert not any(is_answer_file(p.name) for p in (project / "binder").iterdir())
