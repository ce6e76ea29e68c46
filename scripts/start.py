"""Install the course (first time only) and open it in JupyterLab at the course home, on
Windows, macOS or Linux.

    py scripts\\start.py                 on Windows, in the course's folder
    python3 scripts/start.py            on macOS or Linux
    ... scripts/start.py --trainer      with nbgrader's formgrader and assignment tools shown

Other options are passed to JupyterLab (e.g. --port=8899 --no-browser). On Linux,
``bash scripts/start.sh`` does the same, with Debian's fonts for Asian names suggested.
"""

from __future__ import annotations

import os
import subprocess
import sys

import install

# nbgrader's tools for a trainer, hidden from participants. Validate runs only a module's
# visible checks: on a module with a question unanswered it shows a page of AssertionError
# tracebacks, and on one answered wrongly it says "Success! Your notebook passes all the
# tests"; Check, beside each question, is the participant's tool.
TRAINER_TOOLS = [
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:validate-assignment",
]
# given by scripts/start.sh, which has installed the course already
INSTALLED = "--installed"
# the course home, in the course's folder
HOME = "release/index.ipynb"
# the address JupyterLab opens, and prints for a browser started by hand (--no-browser): the
# course home rather than the Launcher. JupyterLab sets the server's own default_url to its
# own, so it is JupyterLab's that is set.
HOME_URL = f"--LabApp.default_url=/lab/tree/{HOME}"


def main(arguments: list[str]) -> int:
    installed = INSTALLED in arguments
    arguments = [argument for argument in arguments if argument != INSTALLED]
    trainer = arguments[:1] == ["--trainer"]
    arguments = arguments[1:] if trainer else arguments
    if not installed:
        install.install()
    env = install.course_environment()
    python = str(install.venv_python())
    jupyter = [python, "-m", "jupyter"]
    shown = "enable" if trainer else "disable"
    subprocess.run(
        [*jupyter, "labextension", shown, "--level=user", *TRAINER_TOOLS],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    root = [] if getattr(os, "geteuid", lambda: 1)() != 0 else ["--allow-root"]
    command = [*jupyter, "lab", *root, f"--ServerApp.root_dir={install.ROOT}", HOME_URL]
    command += [*arguments, HOME]
    os.chdir(install.ROOT)
    if os.name != "nt":
        os.execve(python, command, env)  # JupyterLab takes this process's place and signals
    # Windows has no exec that keeps the console's Ctrl+C: JupyterLab runs as a child,
    # and stops on the same Ctrl+C, which this process then waits out
    with subprocess.Popen(command, env=env) as lab:
        while True:
            try:
                return lab.wait()
            except KeyboardInterrupt:
                continue


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
