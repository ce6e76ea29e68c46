"""Create (or update) the course's virtual environment in .venv with the pinned packages.

    python3 scripts/install.py          what the course needs
    python3 scripts/install.py --hub    and JupyterHub's Python packages (deploy/)
    python3 scripts/install.py --test   and what the tests need (tests/, and the hub's)

Run by ``scripts/setup.sh`` on Linux (which adds what Debian installs: Chromium, fonts,
Node.js) and by ``scripts/start.py`` on any system, Windows included. It is written in
Python, not the shell, for that reason. Safe to run again: it only installs what changed.
The Python that runs it makes the environment, so it must be 3.11 or newer.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
# the files whose text decides what is installed, by mode
PACKAGES = ["binder/requirements.txt", "pyproject.toml"]
HUB_PACKAGES = ["deploy/requirements.txt"]
TEST_PACKAGES = ["tests/requirements.txt"]


def venv_bin() -> Path:
    """Where the environment's programs are: ``Scripts`` on Windows, ``bin`` elsewhere."""
    return VENV / ("Scripts" if os.name == "nt" else "bin")


def venv_python() -> Path:
    return venv_bin() / ("python.exe" if os.name == "nt" else "python")


def course_environment() -> dict[str, str]:
    """This process's environment with the settings ``scripts/env.sh`` exports: the
    environment's programs first on the path, and every Jupyter setting and cache inside
    .venv, so the course neither reads nor changes a user's own Jupyter set-up."""
    env = dict(os.environ)
    env["PATH"] = str(venv_bin()) + os.pathsep + env.get("PATH", "")
    folders = {
        "JUPYTER_CONFIG_DIR": VENV / "etc" / "jupyter-user",
        "JUPYTER_DATA_DIR": VENV / "share" / "jupyter-user",
        "JUPYTER_RUNTIME_DIR": VENV / "var" / "jupyter-runtime",
        "IPYTHONDIR": VENV / "etc" / "ipython",
        "MPLCONFIGDIR": VENV / "etc" / "matplotlib",
        "XDG_CACHE_HOME": VENV / "var" / "cache",
    }
    for name, folder in folders.items():
        folder.mkdir(parents=True, exist_ok=True)
        env[name] = str(folder)
    return env


def wanted_hash(mode: str | None) -> str:
    """What the environment must hold, as a hash of the files that list it (the same hash
    for the same files on every system, as the stamp in .venv records it)."""
    files = PACKAGES + (HUB_PACKAGES if mode in ("--hub", "--test") else [])
    files += TEST_PACKAGES if mode == "--test" else []
    text = b"".join((ROOT / name).read_bytes().replace(b"\r\n", b"\n") for name in files)
    return hashlib.sha256(text.rstrip(b"\n")).hexdigest()


def install(mode: str | None = None) -> None:
    """Make .venv hold what ``mode`` needs (see the module's text), then put in place what an
    editable install leaves out: compiled code, the Voila template, the server's settings."""
    if sys.version_info < (3, 11):  # noqa: UP036 (run by whichever Python is at hand)
        version = ".".join(map(str, sys.version_info[:3]))
        sys.exit(f"EIC Course needs Python 3.11 or newer; '{sys.executable}' is {version}.")
    if not venv_python().exists():
        print("Creating the virtual environment in .venv ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    pip = [str(venv_python()), "-m", "pip", "--disable-pip-version-check", "-q", "install"]
    stamp = VENV / ".installed"
    wanted = wanted_hash(mode)
    done = stamp.read_text().split() if stamp.exists() else []
    if wanted not in done:
        print("Installing the course's packages (about a minute the first time) ...", flush=True)
        run = [pip + ["-r", "binder/requirements.txt"], pip + ["--no-deps", "-e", "."]]
        run += [pip + ["-r", name] for name in HUB_PACKAGES if mode in ("--hub", "--test")]
        run += [pip + ["-r", name] for name in TEST_PACKAGES if mode == "--test"]
        for command in run:
            subprocess.run(command, cwd=ROOT, check=True)
        with stamp.open("a") as lines:
            lines.write(wanted + "\n")
    # eic is installed editable, and Python writes no bytecode when PYTHONDONTWRITEBYTECODE
    # is set: compile it (only what changed), or every kernel compiles it again as it starts
    python = str(venv_python())
    subprocess.run([python, "-m", "compileall", "-q", "lib/eic"], cwd=ROOT, check=True)
    # an editable install leaves out the course's Voila page template (a data file): put it
    # where Voila looks for templates, fresh each time
    templates = VENV / "share" / "jupyter" / "voila" / "templates"
    shutil.rmtree(templates / "eic", ignore_errors=True)
    shutil.copytree(ROOT / "share" / "jupyter" / "voila" / "templates" / "eic", templates / "eic")
    # the Jupyter server's settings for the course (eic.server_config): a kernel kept warmed
    # for the next module opened, answers recorded before a kernel stops, compressed pages
    env = course_environment()
    subprocess.run([python, "-m", "eic.server_config"], cwd=ROOT, env=env, check=True)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments not in ([], ["--hub"], ["--test"]):
        sys.exit(f"usage: {sys.argv[0]} [--hub | --test]")
    install(arguments[0] if arguments else None)
