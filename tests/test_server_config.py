"""The course's Jupyter server settings, as scripts/setup.sh and Binder's postBuild write
them: the course's kernel manager with a kernel kept ready, compressed pages, and notebooks
saved with a note in each widget's place."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, free_port, start_server, stop_server

from eic.serve import READY_KERNEL_MANAGER
from eic.server_config import (
    LAB_SETTINGS_FILE,
    PRE_SAVE_HOOK,
    SETTINGS_FILE,
    WIDGET_VIEW,
    keep_notes_for_widgets,
    replace_widget_views,
    write_lab_settings,
    write_settings,
)


def test_the_settings_join_those_the_server_already_has(tmp_path):
    path = tmp_path / SETTINGS_FILE
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({
        "ServerApp": {"ip": "0.0.0.0", "tornado_settings": {"xsrf_cookies": True},
                      "jpserver_extensions": {"voila.server_extension": True}},
        "LabApp": {"collaborative": False},
    }))  # fmt: skip
    assert write_settings(tmp_path) == path
    once = json.loads(path.read_text())
    assert write_settings(tmp_path) == path  # written again: the same file
    assert json.loads(path.read_text()) == once
    server = once["ServerApp"]
    assert server["ip"] == "0.0.0.0" and once["LabApp"] == {"collaborative": False}
    assert server["tornado_settings"] == {"xsrf_cookies": True, "compress_response": True}
    assert server["jpserver_extensions"] == {"voila.server_extension": True,
                                             "eic.compression": True}  # fmt: skip
    assert server["kernel_manager_class"] == READY_KERNEL_MANAGER
    assert once["ReadyKernelManager"]["ready"] == 1
    assert once["KernelManager"] == {"transport_encryption": "auto"}
    assert once["ContentsManager"] == {"pre_save_hook": PRE_SAVE_HOOK}


def test_jupyterlab_asks_no_participant_about_news_and_keeps_the_users_own_overrides(tmp_path):
    from jupyterlab_server.settings_utils import _get_overrides

    settings = tmp_path / "share" / "jupyter" / "lab" / "settings"
    settings.mkdir(parents=True)
    (settings / "overrides.json").write_text(json.dumps({
        "@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"}
    }))  # fmt: skip
    assert write_lab_settings(tmp_path) == tmp_path / LAB_SETTINGS_FILE
    overrides, error = _get_overrides(str(settings))  # as JupyterLab reads them
    assert error == ""
    assert overrides["@jupyterlab/apputils-extension:notification"] == {
        "fetchNews": "false", "checkForUpdates": False
    }  # fmt: skip
    assert overrides["@jupyterlab/apputils-extension:themes"] == {"theme": "JupyterLab Dark"}


def test_the_hub_image_writes_jupyterlabs_settings_for_the_course():
    dockerfile = (ROOT / "deploy" / "z2jh" / "Dockerfile").read_text()
    assert "python -m eic.server_config --lab-only" in dockerfile


def test_a_negative_number_of_ready_kernels_is_refused(tmp_path):
    refused = subprocess.run([sys.executable, "-m", "eic.server_config", "--ready-kernels", "-1"],
                             capture_output=True, text=True, timeout=60)  # fmt: skip
    assert refused.returncode == 2 and "--ready-kernels must be 0 or more" in refused.stderr


def test_the_course_environment_serves_jupyter_with_the_course_settings():
    # scripts/setup.sh wrote them where this environment's Jupyter server reads them, so
    # JupyterLab opened by scripts/start.sh runs with them
    shown = subprocess.run([sys.executable, "-m", "jupyter", "server", "--show-config"],
                           capture_output=True, text=True, timeout=120)  # fmt: skip
    assert f".kernel_manager_class = '{READY_KERNEL_MANAGER}'" in shown.stdout, shown.stdout
    assert "ReadyKernelManager\n  .ready = 1" in shown.stdout
    assert "'compress_response': True" in shown.stdout
    assert "'eic.compression': True" in shown.stdout
    assert "KernelManager\n  .transport_encryption = 'auto'" in shown.stdout
    assert f".pre_save_hook = '{PRE_SAVE_HOOK}'" in shown.stdout
    assert (Path(sys.prefix) / LAB_SETTINGS_FILE).is_file()  # and JupyterLab's


def test_the_hub_participant_servers_save_notebooks_with_notes_for_widgets():
    # the hub's participant servers read their settings from deploy/singleuser/participant
    path = ROOT / "deploy" / "singleuser" / "participant" / "jupyter_server_config.json"
    settings = json.loads(path.read_text(encoding="utf-8"))
    assert settings.get("ContentsManager", {}).get("pre_save_hook") == PRE_SAVE_HOOK


# -- notebooks saved with widgets ------------------------------------------------------------
NOTE = "Run the page (Run → Run All Cells) to show this question or chart again."
GRADE_CELL = {"grade": True, "grade_id": "q1_test", "points": 1, "locked": True,
              "schema_version": 3, "solution": False, "checksum": "0a1b2c"}  # fmt: skip


def saved_in_lab() -> dict:
    """A module notebook as JupyterLab saves it after Run All: a question's widget, its test
    cell's status widget, a chart, printed text and a markdown cell."""
    nb = nbformat.v4.new_notebook()
    question = nbformat.v4.new_code_cell("q1 = ws.single_choice(...)")
    view = {"version_major": 2, "version_minor": 0, "model_id": "4f2a"}
    question.outputs = [
        nbformat.v4.new_output("display_data", data={WIDGET_VIEW: view, "text/plain": "VBox()"})
    ]
    test = nbformat.v4.new_code_cell("answered('m01', 'q1_x')", metadata={"nbgrader": GRADE_CELL})
    status = {WIDGET_VIEW: {**view, "model_id": "77c1"}, "text/plain": "Question 1: not answered"}
    test.outputs = [nbformat.v4.new_output("execute_result", execution_count=3, data=status)]
    chart = nbformat.v4.new_code_cell("chart()")
    chart.outputs = [
        nbformat.v4.new_output(
            "display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"}
        ),
        nbformat.v4.new_output("stream", name="stdout", text="7 exchanges\n"),
    ]
    nb.cells = [nbformat.v4.new_markdown_cell("## Question 1"), question, test, chart]
    return json.loads(nbformat.writes(nb))  # as the file (and a save request) holds it


def test_a_notebook_saved_keeps_a_note_in_each_widgets_place_and_nothing_else_changes():
    before = saved_in_lab()
    after = copy.deepcopy(before)
    assert replace_widget_views(after) == 2
    widget_outputs = [after["cells"][1]["outputs"][0], after["cells"][2]["outputs"][0]]
    for output in widget_outputs:
        assert output["data"]["text/plain"] == NOTE
        assert NOTE in output["data"]["text/html"]
        assert WIDGET_VIEW not in json.dumps(output)
    # the output keeps its kind (and a result its count): only what it shows changes
    assert widget_outputs[1]["output_type"] == "execute_result"
    assert widget_outputs[1]["execution_count"] == 3
    for cell_before, cell_after in zip(before["cells"], after["cells"], strict=True):
        assert cell_after["source"] == cell_before["source"]
        assert cell_after["metadata"] == cell_before["metadata"]  # nbgrader's checksum too
    assert after["cells"][3] == before["cells"][3]  # the chart and the printed text
    assert after["metadata"] == before["metadata"]
    nbformat.validate(nbformat.from_dict(after))  # still a valid notebook


def test_the_save_hook_changes_notebooks_only_and_never_stops_a_save(caplog):
    notebook = {"type": "notebook", "format": "json", "content": saved_in_lab()}
    keep_notes_for_widgets(notebook, "m01/m01.ipynb")
    assert WIDGET_VIEW not in json.dumps(notebook)
    # a text file that mentions widgets is saved as it is
    text = json.dumps(saved_in_lab())
    model = {"type": "file", "format": "text", "content": text}
    keep_notes_for_widgets(model, "notes.txt")
    assert model["content"] == text
    # a notebook it cannot read is saved unchanged, and the problem is logged
    odd = {"type": "notebook", "format": "json", "content": {"cells": [{"outputs": 7}]}}
    keep_notes_for_widgets(odd, "odd.ipynb")
    assert odd["content"] == {"cells": [{"outputs": 7}]}
    assert "odd.ipynb" in caplog.text


@pytest.mark.slow
def test_the_course_jupyter_server_saves_notebooks_with_notes_for_widgets(tmp_path):
    # the course environment's server (its settings as scripts/setup.sh and Binder write
    # them), saving a notebook as JupyterLab does: a PUT of its content
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NBGRADER", "VOILA"))}
    env["JUPYTER_RUNTIME_DIR"] = str(tmp_path / "runtime")
    (tmp_path / "course").mkdir()
    command = [sys.executable, "-m", "jupyter", "server", "--no-browser", "--allow-root",
               f"--port={port}", "--ServerApp.ip=127.0.0.1", "--ServerApp.port_retries=0",
               "--IdentityProvider.token=", "--ServerApp.password=",
               "--ServerApp.disable_check_xsrf=True", "--ReadyKernelManager.ready=0",
               f"--ServerApp.root_dir={tmp_path / 'course'}"]  # fmt: skip
    proc, log = start_server(command, cwd=tmp_path, env=env, log_path=tmp_path / "server.log",
                             ready_url=url + "/api")  # fmt: skip
    try:
        for name, model in [
            ("m01.ipynb", {"type": "notebook", "format": "json", "content": saved_in_lab()}),
            ("notes.txt", {"type": "file", "format": "text", "content": f"{WIDGET_VIEW}\n"}),
        ]:
            request = urllib.request.Request(
                f"{url}/api/contents/{name}", data=json.dumps(model).encode(), method="PUT",
                headers={"Content-Type": "application/json"},
            )  # fmt: skip
            with urllib.request.urlopen(request, timeout=60) as reply:
                assert reply.status in (200, 201)
    finally:
        stop_server(proc, log)
    saved = nbformat.read(tmp_path / "course" / "m01.ipynb", as_version=4)
    assert [o["data"]["text/plain"] for o in saved.cells[1].outputs + saved.cells[2].outputs] == [
        NOTE,
        NOTE,
    ]
    assert saved.cells[2].metadata["nbgrader"] == GRADE_CELL
    assert (tmp_path / "course" / "notes.txt").read_text() == f"{WIDGET_VIEW}\n"
