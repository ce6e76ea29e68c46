"""The course's Jupyter server settings, as scripts/setup.sh and Binder's postBuild write
them: the course's kernel manager with a kernel kept ready, and compressed pages."""

from __future__ import annotations

import json
import subprocess
import sys

from eic.serve import READY_KERNEL_MANAGER
from eic.server_config import SETTINGS_FILE, write_settings


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
