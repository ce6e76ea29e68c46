"""Binder's files alone make an environment in which every release notebook runs."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT, is_answer_file, released_modules

from eic.binder_links import BADGES_END, BADGES_START
from eic.serve import READY_KERNEL_MANAGER

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
    for part in ("binder", "lib", "share", "course", "release"):
        shutil.copytree(ROOT / part, project / part, ignore=ignore, symlinks=True)
    shutil.copy2(ROOT / "pyproject.toml", project)
    shutil.copy2(ROOT / "voila.json", project)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    outside = ("NBGRADER", "VOILA", "JUPYTER", "VIRTUAL_ENV")
    env = {k: v for k, v in os.environ.items() if not k.startswith(outside)}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR",
                 "MPLCONFIGDIR"):  # fmt: skip
        env[name] = str(tmp_path / name.lower())
    charts = tmp_path / "charts"
    env["EIC_CHART_CACHE"] = str(charts)
    python = str(venv / "bin" / "python")
    install = subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "-r", "binder/requirements.txt"],
        cwd=project, env=env, capture_output=True, text=True, timeout=1200,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr[-3000:]
    post = subprocess.run(["bash", "binder/postBuild"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=600)  # fmt: skip
    assert post.returncode == 0, post.stderr[-3000:]
    # the library is compiled, so no kernel compiles it as a participant waits
    sources = sorted((project / "lib" / "eic").rglob("*.py"))
    uncompiled = [
        p.name for p in sources if not Path(importlib.util.cache_from_source(str(p))).is_file()
    ]
    assert sources and uncompiled == []
    drawn_by_build = sorted(charts.glob("*.png"))
    assert len(drawn_by_build) >= len(released_modules()), post.stdout[-3000:]
    # participants do not see nbgrader's trainer tools
    page_config = venv / "etc" / "jupyter" / "labconfig" / "page_config.json"
    disabled = json.loads(page_config.read_text(encoding="utf-8"))["disabledExtensions"]
    assert disabled.get("@jupyter/nbgrader:formgrader") is True
    assert disabled.get("@jupyter/nbgrader:create-assignment") is True
    assert disabled.get("@jupyter/nbgrader:validate-assignment") is True
    # the Jupyter server Binder starts lets a kernel finish its page's answers before it
    # stops, and keeps one kernel warmed for the next page or notebook opened
    shown = subprocess.run(
        [python, "-m", "jupyter", "server", "--show-config"],
        cwd=project, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert READY_KERNEL_MANAGER in shown.stdout, shown.stdout[-2000:]
    assert "ReadyKernelManager\n  .ready = 1" in shown.stdout, shown.stdout[-2000:]
    assert "compress_response" in shown.stdout, shown.stdout[-2000:]
    assert "'eic.compression': True" in shown.stdout, shown.stdout[-2000:]
    notebooks = [
        project / "release" / m["folder"] / f"{m['folder']}.ipynb" for m in released_modules()
    ] + [project / "release" / "index.ipynb"]
    run = subprocess.run(
        [python, "-c", RUN_ALL, *map(str, notebooks)],
        cwd=project, env=env, capture_output=True, text=True, timeout=1800,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.count("ran ") == len(notebooks)
    # the build drew every chart a module shows on opening: running them added none
    assert sorted(charts.glob("*.png")) == drawn_by_build
    assert not any(is_answer_file(p.name) for p in (project / "binder").iterdir())
    # what the README's two badges open, on a Jupyter server as Binder starts one
    paths = badge_paths()
    assert paths == ["lab/tree/release/index.ipynb", "voila/render/release/index.ipynb"]
    log_path = tmp_path / "server.log"
    with jupyter_server(venv, project, env, log_path) as url:
        deadline = time.time() + 120
        while "Kernels kept ready for pages: 1" not in log_path.read_text():
            assert time.time() < deadline, log_path.read_text()[-3000:]
            time.sleep(0.5)
        for path in paths:
            status, page = fetch(f"{url}/{path}", timeout=300)
            assert status == 200, (path, status, page[-2000:])
        # the Voila course home ran, in the kernel kept ready, moved to the course home's
        # folder: the module map links the first module
        assert "m01-eic-in-asia.ipynb" in page and "Traceback" not in page
        assert "(kept ready) taken for release" in log_path.read_text()
        # with the course's page template: no style sheet to wait for from the internet
        assert "cdn.jsdelivr.net" not in page
        # and, as with eic-course serve, nbgrader's extensions are not loaded in the app
        loaded = [e["name"] for e in page_config_data(page)["federated_extensions"]]
        assert "@jupyter/nbgrader" not in loaded and "@jupyter-widgets/jupyterlab-manager" in loaded
        # and, as eic-course serve's Voila server does, the page's scripts are sent compressed
        scripts = re.findall(r'<script src="(/[^"?]+\.js)', page)
        assert scripts, page[:2000]
        request = urllib.request.Request(url + scripts[-1], headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.headers.get("Content-Encoding") == "gzip", scripts[-1]
            first = response.read()
        # compressed once, and kept for the next page: the same bytes, sent whole with their
        # length (while it compresses as it sends, the server cannot give the length)
        with urllib.request.urlopen(request, timeout=60) as response:
            assert int(response.headers["Content-Length"]) == len(first), scripts[-1]
            assert response.read() == first


def page_config_data(page: str) -> dict:
    """The page configuration a Jupyter or Voila page carries for its scripts."""
    found = re.search(
        r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', page, re.S
    )
    assert found, "the page has no jupyter-config-data"
    return json.loads(found[1])


def badge_paths() -> list[str]:
    """The ``urlpath`` of each Binder badge in the README, in order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split(BADGES_START, 1)[1].split(BADGES_END, 1)[0]
    links = re.findall(r"\]\((https://mybinder\.org/v2/gh/[^)\s]+)\)", block)
    assert len(links) == 2 and all("/HEAD?urlpath=" in link for link in links), links
    return [link.split("?urlpath=", 1)[1] for link in links]


def fetch(url: str, timeout: float) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError) as err:  # not listening yet
        return 0, str(err)


@contextlib.contextmanager
def jupyter_server(venv, project, env, log_path):
    """JupyterLab from the fresh environment, at the project's root, without a token."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    command = [str(venv / "bin" / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1",
               f"--port={port}", "--ServerApp.port_retries=0", "--IdentityProvider.token=",
               f"--ServerApp.root_dir={project}", "--allow-root"]  # fmt: skip
    with open(log_path, "w") as log:
        server = subprocess.Popen(command, cwd=project, env=env, stdout=log, stderr=log)
        try:
            deadline = time.time() + 120
            while fetch(f"{url}/api/status", timeout=5)[0] != 200:
                assert server.poll() is None and time.time() < deadline, log_path.read_text()
                time.sleep(0.5)
            yield url
        finally:
            server.terminate()
            server.wait(30)
