"""``eic-course serve`` starts the course home in Voila with the workshop's settings, and
refuses a busy port instead of moving to another."""

from __future__ import annotations

import contextlib
import gzip
import ipaddress
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import warnings
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import nbformat
import pytest
from conftest import ROOT, free_port, is_answer_file, start_server, stop_server

from eic.serve import (
    COMPRESSION_EXTENSION,
    DENYLIST,
    KERNEL_MANAGER,
    READY_KERNEL_MANAGER,
    REFILL_DELAY,
    SOCKET_NAME_AFTER_FOLDER,
    TEMPLATE,
    WEB_SETTINGS,
    PortBusy,
    check_port,
    course_folder,
    home_addresses,
    kernel_transport,
    only_this_machine,
    voila_command,
)
from eic.server_config import server_settings


def test_the_voila_command_has_the_workshop_settings(tmp_path):
    command = voila_command(tmp_path, ip="0.0.0.0", port=8900, pool_size=3, cull_after_minutes=20)
    assert "--preheat_kernel=True" in command and "--pool_size=3" in command
    assert "--MappingKernelManager.cull_idle_timeout=1200" in command
    assert "--Voila.port_retries=0" in command and "--port=8900" in command
    assert "--template=eic" in command
    assert f"--VoilaKernelManager.fill_delay={REFILL_DELAY:g}" in command
    later = voila_command(tmp_path, ip="0.0.0.0", port=8900, pool_size=3, cull_after_minutes=20,
                          refill_delay=2.5)  # fmt: skip
    assert "--VoilaKernelManager.fill_delay=2.5" in later


def test_voila_reads_the_command_as_meant_without_a_warning(tmp_path):
    # Voila's own option parser: the extensions left out arrive as a list, and no option
    # is given in a form that is deprecated (the server's first lines stay free of warnings)
    from voila.app import Voila

    command = voila_command(tmp_path, ip="0.0.0.0", port=8900, pool_size=3, cull_after_minutes=20)
    app = Voila()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        app.parse_command_line(command[3:])
    assert list(app.config.VoilaConfiguration.extension_denylist) == list(DENYLIST)
    assert "@jupyter/nbgrader" in DENYLIST
    assert app.config.VoilaConfiguration.multi_kernel_manager_class == KERNEL_MANAGER
    assert app.config.KernelManager.transport == kernel_transport()
    assert app.config.Voila.port == 8900 and app.config.Voila.port_retries == 0
    assert app.extra_args == [str(tmp_path)]


def test_kernels_on_network_ports_talk_to_the_server_encrypted(tmp_path, monkeypatch):
    sockets = voila_command(tmp_path, ip="0.0.0.0", port=8900, pool_size=1, cull_after_minutes=1)
    monkeypatch.setattr("eic.serve.kernel_transport", lambda: "tcp")  # Windows, or macOS
    ports = voila_command(tmp_path, ip="0.0.0.0", port=8900, pool_size=1, cull_after_minutes=1)
    assert "--KernelManager.transport=tcp" in ports
    assert "--KernelManager.transport_encryption=auto" in ports
    if "--KernelManager.transport=ipc" in sockets:  # socket files: only this machine's users
        assert not any("transport_encryption" in arg for arg in sockets)


def test_kernels_use_socket_files_where_the_system_has_them_and_their_names_fit():
    assert kernel_transport("/tmp", system="posix") == "ipc"
    assert kernel_transport("/tmp", system="nt") == "tcp"  # Windows has none
    # macOS keeps temporary files in a folder like this: a socket name there would be too
    # long for it (103 characters at most), and every kernel would fail to start
    mac = "/var/folders/7x/k2c9tqzs1w3b6hm0v8n4r5y80000gn/T"
    assert len(mac) + SOCKET_NAME_AFTER_FOLDER > 103
    assert kernel_transport(mac, system="posix") == "tcp"


def test_a_cold_voila_command_keeps_the_course_settings_without_a_pool(tmp_path):
    # the browser tests and the benchmarks serve the course this way, to compare with it
    served = voila_command(tmp_path, ip="0.0.0.0", port=8900, pool_size=3, cull_after_minutes=20)
    cold = voila_command(tmp_path, ip="127.0.0.1", port=8901, pool_size=None,
                         cull_after_minutes=None, template="lab")  # fmt: skip
    assert not any(arg.startswith(("--preheat_kernel", "--pool_size", "--VoilaKernelManager",
                                   "--MappingKernelManager")) for arg in cold)  # fmt: skip
    assert "--template=lab" in cold and "--Voila.ip=127.0.0.1" in cold
    shared = [arg for arg in served if arg.startswith("--VoilaConfiguration.")]
    assert len(shared) == len(DENYLIST) + 2 and all(arg in cold for arg in shared)
    # the list of folders is made on the server (the one Voila builds in the browser
    # sometimes came up empty)
    assert "--VoilaConfiguration.classic_tree=True" in shared
    assert f"--KernelManager.transport={kernel_transport()}" in cold
    assert cold[-1] == served[-1] == str(tmp_path)
    # the course's Voila server unless Voila's own is asked for
    assert served[1:3] == cold[1:3] == ["-m", "eic.voila_server"]
    own = voila_command(tmp_path, ip="0.0.0.0", port=8900, pool_size=3, cull_after_minutes=20,
                        compress=False)  # fmt: skip
    assert own[1:3] == ["-m", "voila"] and own[3:] == served[3:]


def test_voila_started_from_jupyterlab_binder_or_the_hub_is_set_up_as_eic_course_serve():
    # JupyterLab and Binder start in the repository's root, whose voila.json their Voila
    # reads; participants' servers on the hub read the one in their configuration folder
    for path in [ROOT / "voila.json", ROOT / "deploy/singleuser/participant/voila.json"]:
        config = json.loads(path.read_text(encoding="utf-8"))
        assert config["VoilaConfiguration"]["extension_denylist"] == list(DENYLIST)
        assert config["VoilaConfiguration"]["template"] == TEMPLATE


def test_the_hub_participant_servers_use_the_course_kernel_manager():
    # as eic-course serve and Binder's postBuild: a kernel whose page was left first
    # handles what the page sent it
    path = ROOT / "deploy/singleuser/participant/jupyter_server_config.json"
    config = json.loads(path.read_text(encoding="utf-8"))
    assert config["ServerApp"]["kernel_manager_class"] == KERNEL_MANAGER
    # and send what they serve compressed, as eic-course serve's Voila server does
    assert config["ServerApp"]["tornado_settings"] == WEB_SETTINGS
    # each script compressed once and kept for later pages
    assert config["ServerApp"]["jpserver_extensions"][COMPRESSION_EXTENSION] is True
    # and keep their kernels' traffic encrypted, as a laptop's and Binder's servers do: on
    # a hub, other accounts share the machine and its local network ports
    assert config["KernelManager"] == server_settings()["KernelManager"]


def fetch(url: str, *, gzip_accepted: bool) -> tuple[str | None, bytes, bytes]:
    """What a server sends for ``url``: its Content-Encoding, the body as sent, and the body
    as a browser reads it (unpacked)."""
    headers = {"Accept-Encoding": "gzip"} if gzip_accepted else {}
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=120) as response:
        encoding, sent = response.headers.get("Content-Encoding"), response.read()
    return encoding, sent, gzip.decompress(sent) if encoding == "gzip" else sent


@contextlib.contextmanager
def voila_server(folder: Path, *, compress: bool):
    """A cold Voila server on ``folder``, started as eic-course serve starts one."""
    port = free_port()
    command = voila_command(folder, ip="127.0.0.1", port=port, pool_size=None,
                            cull_after_minutes=None, compress=compress)  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NBGRADER", "VOILA"))}
    url = f"http://127.0.0.1:{port}"
    log_path = folder.parent / f"voila-{port}.log"
    proc, log = start_server(command, cwd=folder, env=env, log_path=log_path, ready_url=url)
    try:
        yield url
    finally:
        stop_server(proc, log)


@pytest.mark.slow
def test_the_course_voila_server_sends_pages_and_scripts_compressed(tmp_path):
    folder = tmp_path / "course"
    folder.mkdir()
    cell = nbformat.v4.new_code_cell("import ipywidgets\nipywidgets.IntSlider(description='One')")
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), folder / "one.ipynb")
    script = "/voila/static/voila.js"
    with voila_server(folder, compress=True) as url:
        encoding, sent, page = fetch(f"{url}/voila/render/one.ipynb", gzip_accepted=True)
        # the page, which Voila sends in parts as the notebook runs, arrives whole
        assert encoding == "gzip" and len(sent) < len(page)
        assert b"application/vnd.jupyter.widget-view" in page and page.rstrip().endswith(b"</html>")
        assert script.encode() in page
        encoding, sent, read = fetch(url + script, gzip_accepted=True)
        plain_encoding, _, plain = fetch(url + script, gzip_accepted=False)
        # the next page's browser gets the script compressed once and kept: the same bytes,
        # sent whole with their length (compressing as it is sent, the server cannot say it)
        request = urllib.request.Request(url + script, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=120) as response:
            length, again = response.headers["Content-Length"], response.read()
    # a browser reads the script as sent plain, to a browser that does not accept gzip
    assert encoding == "gzip" and plain_encoding is None and read == plain
    assert len(sent) < 0.5 * len(plain)
    assert again == sent and int(length) == len(sent)
    # Voila's own server sends the same script as it is: the reason for eic.voila_server
    with voila_server(folder, compress=False) as url:
        encoding, sent, read = fetch(url + script, gzip_accepted=True)
        fetch(f"{url}/voila/render/one.ipynb", gzip_accepted=False)
    assert encoding is None and sent == plain
    # the warning that a notebook (saved with no outputs) "is not trusted" is left out of
    # the course server's log, where the trainer reads the addresses to open; Voila's own
    # server, on the same notebook, gives it
    logs = sorted(tmp_path.glob("voila-*.log"), key=lambda path: path.stat().st_mtime)
    course_log, own_log = (path.read_text() for path in logs)
    assert "one.ipynb is not trusted" in own_log and "is not trusted" not in course_log
    assert "Voil" in course_log and "running at" in course_log


@pytest.mark.slow
def test_plain_voila_run_from_the_course_folder_serves_the_course_page(tmp_path):
    # the README's "voila release/..." and "voila trainer/dashboard.ipynb": run from the
    # course folder, Voila reads its voila.json (the course's template, nbgrader left out)
    cell = nbformat.v4.new_code_cell("import ipywidgets\nipywidgets.IntSlider(description='One')")
    pages = {}
    for where in ("course", "elsewhere"):
        folder = tmp_path / where
        (folder / "release").mkdir(parents=True)
        nbformat.write(nbformat.v4.new_notebook(cells=[cell]), folder / "release" / "one.ipynb")
        if where == "course":
            shutil.copy2(ROOT / "voila.json", folder)
        port = free_port()
        command = [sys.executable, "-m", "voila", "--no-browser", f"--port={port}",
                   "--Voila.port_retries=0", "release/one.ipynb"]  # fmt: skip
        env = {k: v for k, v in os.environ.items() if not k.startswith(("NBGRADER", "VOILA"))}
        url = f"http://127.0.0.1:{port}"
        log_path = tmp_path / f"voila-{where}.log"
        proc, log = start_server(command, cwd=folder, env=env, log_path=log_path, ready_url=url)
        try:
            pages[where] = fetch(url, gzip_accepted=False)[2].decode()
        finally:
            stop_server(proc, log)
    course, elsewhere = pages["course"], pages["elsewhere"]
    assert "application/vnd.jupyter.widget-view" in course
    # the course's template sets the cookie that lets a left page stop its kernel
    assert "_xsrf=" in course and "_xsrf=" not in elsewhere
    assert "cdn.jsdelivr.net" not in course and "cdn.jsdelivr.net" in elsewhere
    assert "@jupyter/nbgrader" not in course and "@jupyter/nbgrader" in elsewhere


def test_the_installed_course_page_template_is_the_one_in_the_repository():
    from voila.paths import collect_template_paths

    ours = ROOT / "share" / "jupyter" / "voila" / "templates" / TEMPLATE
    found = collect_template_paths(["voila", "nbconvert"], TEMPLATE, prune=True)
    # the set-up installed this very template (not an old copy) where Voila looks first
    installed = next(Path(p) for p in found if Path(p).name == TEMPLATE)
    for name in ("conf.json", "index.html.j2", "page.html"):
        assert (installed / name).read_bytes() == (ours / name).read_bytes()
    # built on Voila's own page, so the course gets its fixes; that page still fetches
    # style sheets from a CDN (the browser tests check that the course's pages do not)
    assert json.loads((ours / "conf.json").read_text())["base_template"] == "lab"
    lab = Path(next(p for p in found if Path(p).name == "lab")) / "index.html.j2"
    assert "cdn.jsdelivr.net" in lab.read_text(encoding="utf-8")


def test_a_server_on_every_address_is_opened_at_this_machines_own_addresses():
    port = 8866
    for address in home_addresses("0.0.0.0", port):
        host = urlsplit(address).hostname
        assert address == f"http://{host}:{port}/voila/render/index.ipynb"
        with socket.socket() as probe:  # an address of this very machine
            probe.bind((host, 0))
        # only this machine could open its loopback, and then it is all there is
        assert (
            not ipaddress.ip_address(host).is_loopback
            or address == home_addresses("127.0.0.1", port)[0]
        )
    assert home_addresses("10.1.2.3", port) == ["http://10.1.2.3:8866/voila/render/index.ipynb"]
    assert home_addresses("::1", port) == ["http://[::1]:8866/voila/render/index.ipynb"]


def test_only_this_machine_opens_its_loopback_by_number_or_by_name():
    here = [home_addresses(ip, 8866)[0] for ip in ("127.0.0.1", "::1", "localhost")]
    assert here[2] == "http://localhost:8866/voila/render/index.ipynb"
    assert all(map(only_this_machine, here))
    for ip in ("192.168.1.20", "trainer-laptop.local", "fe80::1"):
        assert not only_this_machine(home_addresses(ip, 8866)[0]), ip


def test_the_addresses_leave_out_loopback_self_given_and_ipv6_ones(monkeypatch):
    import psutil

    def interfaces(*pairs):
        return {name: [SimpleNamespace(family=family, address=address)]
                for name, family, address in pairs}  # fmt: skip

    room = interfaces(
        ("lo", socket.AF_INET, "127.0.0.1"),
        ("wlan0", socket.AF_INET, "192.168.1.20"),
        ("usb0", socket.AF_INET, "169.254.3.4"),
        ("wlan0v6", socket.AF_INET6, "fe80::1"),
        ("eth0", socket.AF_INET, "10.0.0.5"),
    )
    monkeypatch.setattr(psutil, "net_if_addrs", lambda: room)
    assert home_addresses("0.0.0.0", 8866) == [
        "http://192.168.1.20:8866/voila/render/index.ipynb",
        "http://10.0.0.5:8866/voila/render/index.ipynb",
    ]
    # on no network, only this machine can open it
    alone = interfaces(("lo", socket.AF_INET, "127.0.0.1"), ("usb0", socket.AF_INET, "169.254.3.4"))
    monkeypatch.setattr(psutil, "net_if_addrs", lambda: alone)
    assert home_addresses("::", 8866) == ["http://127.0.0.1:8866/voila/render/index.ipynb"]


def test_a_busy_port_is_refused_with_a_message(tmp_path):
    shutil.copytree(ROOT / "release", tmp_path / "release",
                    ignore=lambda _d, names: [n for n in names if is_answer_file(n)])  # fmt: skip
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "eic.cli", "serve", "--port", str(port)],
            cwd=tmp_path, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    assert result.returncode == 1
    assert f"port {port} on 127.0.0.1 is busy" in result.stderr


def port_left_in_time_wait() -> int:
    """A port no program listens on, whose last connection the server's side closed first:
    the system keeps that connection (TIME_WAIT) for a minute or so, as after serve stops
    while participants' pages are open."""
    with socket.socket() as listener:
        # as the web server (Tornado) listens: the connections it leaves waiting may then be
        # bound over by a server started after it
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port)) as page:
            served, _ = listener.accept()
            served.close()  # the server's side closes first: it is the one left waiting
            page.recv(1)  # the page sees the end of the connection, and closes its side
    return port


def test_a_port_left_by_a_stopped_server_is_free_at_once():
    port = port_left_in_time_wait()
    # the connection is there: a plain bind is refused
    with socket.socket() as plain, pytest.raises(OSError):
        plain.bind(("127.0.0.1", port))
    check_port("127.0.0.1", port)  # no PortBusy: the web server would bind it as well


def test_a_port_with_a_program_listening_is_busy():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(PortBusy, match=f"port {port} on 127.0.0.1 is busy"):
            check_port("127.0.0.1", port)


def test_a_folder_without_a_course_home_is_refused(tmp_path):
    result = subprocess.run([sys.executable, "-m", "eic.cli", "serve"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 1 and "no course home (index.ipynb)" in result.stderr


def a_course(where: Path) -> Path:
    """A course folder at ``where``: nbgrader's configuration and a release/ with a home."""
    (where / "release").mkdir(parents=True)
    (where / "nbgrader_config.py").write_text("c = get_config()\n")
    (where / "release" / "index.ipynb").write_text("{}")
    return where


def test_the_course_folder_is_served_from_wherever_the_trainer_is(tmp_path, monkeypatch):
    course = a_course(tmp_path / "course")
    (course / "trainer").mkdir()
    # given by --course, from any folder
    monkeypatch.chdir(tmp_path)
    assert course_folder(None, course) == (course / "release").resolve()
    # found upwards, as the trainer's other commands find it
    monkeypatch.chdir(course / "trainer")
    assert course_folder(None) == (course / "release").resolve()
    # a folder given with --folder is served instead
    other = tmp_path / "shown"
    other.mkdir()
    (other / "index.ipynb").write_text("{}")
    assert course_folder(other, course) == other.resolve()


def test_a_course_folder_without_a_release_says_how_to_make_one(tmp_path):
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    result = subprocess.run(
        [sys.executable, "-m", "eic.cli", "serve", "--course", str(tmp_path)],
        cwd=tmp_path.parent, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 1
    assert "no course home (index.ipynb)" in result.stderr
    assert "eic-course release all" in result.stderr


@pytest.mark.parametrize("option, value", [("--refill-delay", "-1"), ("--ready-kernels", "-2")])
def test_a_negative_number_is_refused_with_a_message(tmp_path, option, value):
    shutil.copytree(ROOT / "release", tmp_path / "release",
                    ignore=lambda _d, names: [n for n in names if is_answer_file(n)])  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "eic.cli", "serve", "--port", str(free_port()), option, value],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 1 and f"{option} must be 0 or more" in result.stderr


def test_a_class_is_served_with_kernels_kept_ready_and_a_pool_without_them(tmp_path):
    from voila.app import Voila

    command = voila_command(tmp_path, ip="0.0.0.0", port=8900, pool_size=None,
                            cull_after_minutes=20, refill_delay=3, ready_kernels=6)  # fmt: skip
    app = Voila()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        app.parse_command_line(command[3:])
    assert app.config.VoilaConfiguration.multi_kernel_manager_class == READY_KERNEL_MANAGER
    given = app.config.ReadyKernelManager  # read as the manager reads them, when it is made
    assert (int(given.ready), float(given.refill_delay)) == (6, 3.0)
    # preheated pools run each notebook ahead: kernels kept ready would only add to them
    pooled = voila_command(tmp_path, ip="0.0.0.0", port=8900, pool_size=2,
                           cull_after_minutes=20, ready_kernels=6)  # fmt: skip
    assert f"--VoilaConfiguration.multi_kernel_manager_class={KERNEL_MANAGER}" in pooled
    assert not any("ReadyKernelManager" in arg for arg in pooled)


def kernels_of(server: subprocess.Popen) -> int:
    """How many kernels the Voila server has started and not yet stopped."""
    import psutil

    children = psutil.Process(server.pid).children(recursive=True)
    return sum(1 for child in children if "ipykernel_launcher" in " ".join(child.cmdline()))


@pytest.mark.slow
def test_a_pool_refills_only_after_the_refill_delay(tmp_path):
    cell = nbformat.v4.new_code_cell("import ipywidgets\nipywidgets.IntSlider()")
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), tmp_path / "index.ipynb")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NBGRADER", "VOILA"))}
    proc = subprocess.Popen(
        [sys.executable, "-m", "eic.cli", "serve", "--folder", str(tmp_path), "--port",
         str(port), "--pool-size", "1", "--refill-delay", "4"],
        cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}/voila/render/index.ipynb"
        deadline = time.time() + 180
        while time.time() < deadline:  # the pool's first kernel has run the notebook
            try:
                page = urllib.request.urlopen(url, timeout=60).read().decode()
                break
            except OSError:
                time.sleep(0.5)
        # that first page took the pool's kernel, and the refill is ready within 60 s
        while kernels_of(proc) < 2 and time.time() < deadline:
            time.sleep(0.2)
        assert kernels_of(proc) == 2 and "application/vnd.jupyter.widget-view" in page
        time.sleep(6)  # the refill has run the notebook
        asked = time.time()  # the server takes the pool's kernel after this, never before
        urllib.request.urlopen(url, timeout=60).read()
        time.sleep(max(0.0, asked + 2 - time.time()))
        if time.time() - asked < 3.5:  # still well within the delay (a slow page may not be)
            assert kernels_of(proc) == 2  # the page's kernel and the first page's; no refill
        while kernels_of(proc) < 3 and time.time() < asked + 60:
            time.sleep(0.2)
        assert kernels_of(proc) == 3 and time.time() - asked >= 4
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.mark.slow
def test_serve_shows_the_course_home_and_a_module(tmp_path):
    shutil.copytree(ROOT / "release", tmp_path / "release",
                    ignore=lambda _d, names: [n for n in names if is_answer_file(n)])  # fmt: skip
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NBGRADER", "VOILA"))}
    # the server's output goes to a file: a pipe nobody reads while the server runs fills
    # up (64 KB of log lines and kernel warnings) and then stops the server mid-write
    log_path = tmp_path / "serve.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "eic.cli", "serve", "--port", str(port), "--pool-size", "1"],
            cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
    try:
        deadline, page = time.time() + 180, ""
        while time.time() < deadline and "eic-progress-m01" not in page:
            try:
                url = f"http://127.0.0.1:{port}/voila/render/index.ipynb"
                page = urllib.request.urlopen(url, timeout=60).read().decode()
            except OSError:
                time.sleep(1)
        assert "eic-progress-m01" in page and "0 of 9 answered" in page, log_path.read_text()
        assert "Traceback" not in page
        if kernel_transport() == "ipc":  # the kernels' socket files, named as reckoned
            named = re.search(r"Storing connection files in (\S+)\.\n", log_path.read_text())
            sockets = [str(f) for f in Path(named.group(1)).glob("kernel-*-ipc-*")]
            assert sockets and all(Path(f).is_socket() for f in sockets)
            longest = len(tempfile.gettempdir()) + SOCKET_NAME_AFTER_FOLDER
            assert max(len(f) for f in sockets) == longest, sockets
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    output = log_path.read_text()
    assert f"  http://127.0.0.1:{port}/voila/render/index.ipynb\n" in output
    # served on this machine's loopback only (the default), the trainer is told how to serve
    assert "Only this machine can open it: to serve a room, start with --ip 0.0.0.0" in output
    # and, with no roster, that a served module keeps one answer file for all who open it
    assert "shares its one answer file" in output and "eic-course roster import" in output
    # while it serves, the trainer's terminal holds no warning: not the notebooks' trust,
    # not the kernels' unencrypted ports, not a deprecated option
    serving = output.split("Stopping...")[0]
    assert "Kernel started" in serving
    assert "WARNING" not in serving and "Warning" not in serving, serving
