"""JupyterHub for a workshop of the EIC Course on one machine.

Started by ``eic-course hub start`` (as root), which sets the EIC_HUB_* variables below;
``jupyterhub -f deploy/jupyterhub_config.py`` with the same variables does the same.

- Log in: JupyterHub's default authenticator (PAM) checks the machine's passwords. The
  accounts are made from the roster by ``eic-course hub accounts``; members of the group
  ``eic-participants`` and the trainer may log in, nobody else.
- Each user's JupyterLab runs as their own Unix user (LocalProcessSpawner), from the
  course's Python environment, so the course is installed for everyone.
- Participants start in their home folder and see only nbgrader's Assignments list; the
  trainer starts in the course folder, with formgrader, and is the hub's admin.
- nbgrader's exchange for course ``eic`` is EIC_EXCHANGE (a folder every user can write
  to; the trainer's inbound folder in it cannot be listed).
"""

import os
import socket
import sys
from pathlib import Path

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

here = Path(__file__).resolve().parent
python_bin = Path(sys.executable).parent  # the course's environment (.venv/bin)
state = Path(os.environ.get("EIC_HUB_STATE", "/srv/eic-course"))
trainer = os.environ.get("EIC_HUB_TRAINER", "trainer")
course = os.environ.get("EIC_HUB_COURSE", os.path.expanduser(f"~{trainer}/eic-course"))
exchange = os.environ.get("EIC_EXCHANGE", str(state / "exchange"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# Where participants connect; the hub's and the proxy's own ports stay on this machine.
ip = os.environ.get("EIC_HUB_IP", "127.0.0.1")
c.JupyterHub.bind_url = f"http://{ip}:{os.environ.get('EIC_HUB_PORT', '8000')}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("EIC_HUB_INTERNAL_PORT") or _free_port())
c.ConfigurableHTTPProxy.api_url = (
    f"http://127.0.0.1:{os.environ.get('EIC_HUB_PROXY_API_PORT') or _free_port()}"
)
# configurable-http-proxy from npm, installed by scripts/setup.sh --hub into deploy/
c.ConfigurableHTTPProxy.command = [str(here / "node_modules" / ".bin" / "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = str(state / "jupyterhub-proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")

c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.allowed_groups = {"eic-participants"}
c.PAMAuthenticator.open_sessions = False
c.Authenticator.allowed_users = {trainer}
c.Authenticator.admin_users = {trainer}

c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(python_bin / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.environment = {
    "PATH": os.pathsep.join([str(python_bin), "/usr/local/bin", "/usr/bin", "/bin"]),
    "EIC_EXCHANGE": exchange,
}


def settings_by_role(spawner) -> None:
    """The trainer works in the course folder with every nbgrader tool; a participant in
    their home folder with the Assignments list only."""
    role = "trainer" if spawner.user.name == trainer else "participant"
    spawner.notebook_dir = course if role == "trainer" else "~"
    spawner.environment = {
        **spawner.environment,
        "JUPYTER_CONFIG_PATH": str(here / "singleuser" / role),
    }


c.Spawner.pre_spawn_hook = settings_by_role
