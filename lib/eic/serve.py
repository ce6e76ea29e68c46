"""``eic-course serve``: the course home and its modules as Voila apps, set up for a workshop.

- Preheated kernels: each notebook keeps a pool of kernels that have already run it, so a
  participant's page appears in about the time a static page takes (``--pool-size``).
- A pool refills a few seconds after a page takes its kernel (``--refill-delay``), not at
  once: refilling runs the whole notebook again, and on a laptop or a small server that work
  would otherwise compete with the browser drawing the page it was taken for.
- A preheated kernel that ran the notebook before its folder changed (an answer recorded,
  a table uploaded) is never given to a page (:mod:`eic.fresh_pools`).
- A page that is closed, reloaded or left stops its kernel (the course's page template
  makes Voila's request for that acceptable to the server) once the kernel has recorded
  any answer the page sent just before (``eic.kernels``), and a kernel whose page went
  away silently stops after ``--cull-after`` idle minutes, so a class of 32 does not fill
  the machine's memory with the kernels of pages no longer open.
- A served page keeps its answers beside the module, on this machine. Once the course's
  roster is imported, each participant gets their own copy of the course to open
  (``participants/<id>/``, :mod:`eic.classroom`), so their answers stay apart. A pool for
  every participant's copy of every notebook would hold hundreds of kernels; instead the
  server keeps a few kernels started and warmed, which any participant's page takes
  (``--ready-kernels``, :mod:`eic.ready_kernels`), and a page starts its own kernel when
  none is left. Without a roster, or with ``--shared``, everyone who
  opens a module shares one answer file (``SHARED_ANSWERS``, printed at start).
- Only the course's own extensions are loaded: nbgrader's JupyterLab extensions, which
  log errors in Voila pages, are left out.
- No page fetches anything from the internet: the course's page template leaves out the
  icon style sheets Voila's own page loads from a CDN, which every page waited for (and,
  in a room with no internet, waited for until the browser gave up).
- What a page loads is sent compressed (``eic.voila_server``): about 1.4 MB instead of
  5 MB, for a room that shares one connection. Each script is compressed once and kept
  (``eic.compression``), not again for every participant's page.
- The port is fixed: if it is busy the command says so and stops, instead of moving
  silently to another port the participants do not know.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import socket
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

# JupyterLab extensions Voila leaves out of the pages (their scripts log errors there).
DENYLIST = ("@jupyter/nbgrader", "@jupyter-notebook/lab-extension")
# The course's page template (share/jupyter/voila/templates/eic): Voila's "lab" page without
# the style sheets it fetches from the internet, which every page waited for.
TEMPLATE = "eic"
# Seconds a pool waits, after a page takes one of its kernels, before starting the next: a
# preheated page is ready in about 3 s, and the refill (a kernel running the notebook) would
# slow it down by 0.2-1 s on a machine the browser shares (benchmarks/voila_render.py).
REFILL_DELAY = 5.0
# Kernels finish handling what their page sent (an answer clicked just before the page was
# left) before they stop: see eic.kernels.
KERNEL_MANAGER = "eic.kernels.AnswerKeepingKernelManager"
# The same, also keeping kernels started and warmed for any page to take (eic.ready_kernels):
# for a class, whose pages each start a kernel.
READY_KERNEL_MANAGER = "eic.ready_kernels.ReadyKernelManager"
# Kernels kept ready for a class: each holds about 125 MB of memory while it waits.
READY_KERNELS = 8
# A kernel's socket files are named <connection folder>/voila_XXXXXXXX/kernel-<36-character
# id>-ipc-N: 65 characters after the folder Voila keeps its connection files in.
SOCKET_NAME_AFTER_FOLDER = 65
# The longest socket file name every system takes (macOS: 103 characters; Linux: 107).
LONGEST_SOCKET_NAME = 100
# The web server's settings, for eic-course serve's Voila server (eic.voila_server), Binder's
# Jupyter server and the hub's participant servers: responses compressed when the browser
# accepts it (scripts, pages, style sheets), about 5 MB of scripts per page down to 1.4 MB.
WEB_SETTINGS = {"compress_response": True}
# The Jupyter server extension that compresses each script and style sheet once, not for
# every page (eic.voila_server does the same for eic-course serve).
COMPRESSION_EXTENSION = "eic.compression"


class PortBusy(RuntimeError):
    """The port asked for is taken."""


def check_port(ip: str, port: int, system: str = os.name) -> None:
    """Raise :class:`PortBusy` with the fix when ``port`` on ``ip`` cannot be used.

    The probe binds as the web server does: on Linux and macOS with ``SO_REUSEADDR``, so
    the connections of a server just stopped (which the system keeps a minute or so after
    they close) do not make a free port look busy, while a program listening on it still
    does. On Windows that option would let two programs share the port, so the probe asks
    for the port alone instead (``SO_EXCLUSIVEADDRUSE``).
    """
    family = socket.AF_INET6 if ":" in ip else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        if system == "posix":
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        elif hasattr(socket, "SO_EXCLUSIVEADDRUSE"):
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_EXCLUSIVEADDRUSE, 1)
        try:
            probe.bind((ip, port))
        except OSError as err:
            raise PortBusy(
                f"port {port} on {ip} is busy ({err.strerror}); stop the program using it, "
                "or choose another port with --port"
            ) from None


def kernel_transport(connection_folder: str | None = None, system: str = os.name) -> str:
    """How Voila's kernels talk to the server: ``"ipc"`` (socket files on this machine)
    where the system has them and their names fit, else ``"tcp"`` (network ports).

    Socket files mean a room's worth of kernels started at once cannot collide over a
    port, and no kernel says, in the trainer's terminal, that it is "running over TCP
    without encryption". Windows has none, and a name longer than the system takes would
    stop every kernel from starting (macOS keeps temporary files in a long folder).
    ``connection_folder`` is where Voila keeps connection files: the temporary folder.
    """
    folder = tempfile.gettempdir() if connection_folder is None else connection_folder
    fits = len(folder) + SOCKET_NAME_AFTER_FOLDER <= LONGEST_SOCKET_NAME
    return "ipc" if system == "posix" and fits else "tcp"


def voila_command(
    folder: Path,
    *,
    ip: str,
    port: int,
    pool_size: int | None,
    cull_after_minutes: float | None,
    refill_delay: float = REFILL_DELAY,
    ready_kernels: int = 0,
    template: str = TEMPLATE,
    compress: bool = True,
) -> list[str]:
    """The Voila command line for the course in ``folder``.

    ``pool_size`` None serves with no preheated kernels: each page starts its own kernel
    (a cold start, as the tests and the benchmarks compare); ``ready_kernels`` then keeps
    that many kernels started and warmed for pages to take (``eic.ready_kernels``), refilled
    once no page has been opened for ``refill_delay`` seconds. ``cull_after_minutes`` None
    keeps idle kernels. The extensions left out and the kernel manager are always those of
    ``eic-course serve``, and so is the page template unless ``template`` names another.
    The server is the course's (``eic.voila_server``), which compresses what it sends;
    ``compress`` False runs Voila's own instead, which does not (benchmarks compare them).
    """
    transport = kernel_transport()
    command = [
        sys.executable, "-m", "eic.voila_server" if compress else "voila", "--no-browser",
        f"--Voila.ip={ip}", f"--port={port}", "--Voila.port_retries=0",
        f"--Voila.root_dir={folder}",
        # one option per extension: a list in one option is deprecated, and warned about
        *(f"--VoilaConfiguration.extension_denylist={name}" for name in DENYLIST),
        f"--KernelManager.transport={transport}",
        f"--template={template}",
        # the list of folders (where a served class picks its ids) made on the server: the
        # page Voila builds in the browser instead came up empty about one time in twelve
        "--VoilaConfiguration.classic_tree=True",
    ]  # fmt: skip
    if transport == "tcp":  # local network ports: encrypted, with keys made for each kernel
        command.append("--KernelManager.transport_encryption=auto")
    if pool_size is None and ready_kernels > 0:
        command += [f"--VoilaConfiguration.multi_kernel_manager_class={READY_KERNEL_MANAGER}",
                    f"--ReadyKernelManager.ready={ready_kernels}",
                    f"--ReadyKernelManager.refill_delay={refill_delay:g}"]  # fmt: skip
    else:
        command.append(f"--VoilaConfiguration.multi_kernel_manager_class={KERNEL_MANAGER}")
    if pool_size is not None:
        command += ["--preheat_kernel=True", f"--pool_size={pool_size}",
                    f"--VoilaKernelManager.fill_delay={refill_delay:g}"]  # fmt: skip
    if cull_after_minutes is not None:
        command += [f"--MappingKernelManager.cull_idle_timeout={int(cull_after_minutes * 60)}",
                    "--MappingKernelManager.cull_interval=60"]  # fmt: skip
    return [*command, str(folder)]


# a served page keeps its answers beside the module on this machine, one file per module
SHARED_ANSWERS = (
    "Everyone who opens a module from this server shares its one answer file: serve this "
    "way to show the course. For graded work, import the roster (eic-course roster import "
    "FILE) and serve again: each participant then gets their own folder."
)
HOME = "voila/render/index.ipynb"


def home_addresses(ip: str, port: int, path: str = HOME) -> list[str]:
    """The addresses at which participants open the course home.

    A server on one address (``127.0.0.1``, or a machine's own address) is opened there. A
    server on every address (``0.0.0.0`` or ``::``) is opened at this machine's address on
    each network it is on (a laptop may be on a room's Wi-Fi and on a cable): its IPv4
    addresses, less this machine's own loopback (which no one else can open) and the
    addresses a machine gives itself when no network answers (169.254.x.x). With none of
    those, only this machine can open it, at 127.0.0.1.
    """
    import psutil

    def url(host: str) -> str:
        return f"http://{host}:{port}/{path}"

    if ip not in ("0.0.0.0", "::", ""):
        return [url(f"[{ip}]" if ":" in ip else ip)]
    found = []
    for addresses in psutil.net_if_addrs().values():
        for address in addresses:
            if address.family != socket.AF_INET:
                continue
            host = ipaddress.ip_address(address.address)
            if not (host.is_loopback or host.is_link_local) and url(str(host)) not in found:
                found.append(url(str(host)))
    return found or [url("127.0.0.1")]


def only_this_machine(address: str) -> bool:
    """Whether ``address`` (a URL) names this machine's loopback, which no one else opens."""
    host = urlsplit(address).hostname or ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a name, not a number
        return host == "localhost"


def course_folder(given: Path | None, course: Path | None = None) -> Path:
    """The folder to serve: the one given; else ``release/`` of the course folder given;
    else ``release/`` here; else ``release/`` of the course folder holding the current
    folder (the one with ``nbgrader_config.py``); else here."""
    from eic.trainer.course import CourseError, find_course_root

    if given is not None:
        folder = Path(given)
    elif course is not None:
        folder = Path(course) / "release"
    elif Path("release", "index.ipynb").is_file():
        folder = Path("release")
    else:
        try:
            folder = find_course_root() / "release"
        except CourseError:
            folder = Path.cwd()
        if not (folder / "index.ipynb").is_file():
            folder = Path.cwd()
    if not (folder / "index.ipynb").is_file():
        hint = ("give the course folder (the one with nbgrader_config.py and release/) with "
                "--course, or the folder that holds the modules with --folder")  # fmt: skip
        if course is not None and given is None:
            hint = (f"is {course} the course folder? Its release/ folder is made by "
                    "'eic-course release all'")  # fmt: skip
        raise FileNotFoundError(f"no course home (index.ipynb) in {folder}; {hint}")
    return folder.resolve()


def class_folder(release: Path, shared: bool) -> tuple[Path, list[str]]:
    """What to serve, and for whom: ``participants/`` with a folder for each participant of
    the course's roster (made or brought up to date from ``release``), or ``release`` itself
    when there is no roster, no course around it, or ``shared`` is asked for."""
    from eic.classroom import PARTICIPANTS, participant_folders, roster_countries, roster_names
    from eic.trainer.course import CourseError, find_course_root

    if shared:
        return release, []
    try:
        root = find_course_root(release)
    except CourseError:
        return release, []
    names = roster_names(root)
    if not names:
        return release, []
    countries = roster_countries(root)
    folders = participant_folders(release, root / PARTICIPANTS, list(names), names, countries)
    return folders, list(names)


def _serve(args: argparse.Namespace) -> int:
    try:
        if args.refill_delay < 0:
            raise ValueError(f"--refill-delay must be 0 or more seconds, not {args.refill_delay:g}")
        if args.ready_kernels < 0:
            raise ValueError(f"--ready-kernels must be 0 or more, not {args.ready_kernels}")
        folder, ids = class_folder(course_folder(args.folder, args.course), args.shared)
        check_port(args.ip, args.port)
    except (PortBusy, FileNotFoundError, ValueError, OSError) as err:
        print(f"eic-course serve: {err}", file=sys.stderr)
        return 1
    command = voila_command(
        folder,
        ip=args.ip,
        port=args.port,
        # a pool for each participant's copy of each notebook would hold hundreds of kernels
        pool_size=None if ids else args.pool_size,
        cull_after_minutes=args.cull_after,
        refill_delay=args.refill_delay,
        ready_kernels=args.ready_kernels if ids else 0,
    )
    addresses = home_addresses(args.ip, args.port, "" if ids else HOME)
    if ids:
        where = "this address" if len(addresses) == 1 else "the address on their network"
        print(
            f"Serving a course home for each of the {len(ids)} participants of the roster, "
            f"each in their own folder ({folder.name}/<id>/): their answers stay apart."
        )
        print(f"Participants open {where}, click their id, then index.ipynb:")
    else:
        where = "this address:" if len(addresses) == 1 else "the address on their network:"
        print("Serving the course home. Participants open", where)
    for address in addresses:
        print(f"  {address}")
    if ids:
        kernels = (f"A page takes one of {args.ready_kernels} kernels kept ready, or starts "
                   "its own when none is left" if args.ready_kernels else
                   "A page starts its kernel when it is opened")  # fmt: skip
        print(f"(for {ids[0]}: {addresses[0]}voila/render/{ids[0]}/index.ipynb). {kernels}. "
              f"Collect a module with: eic-course collect MODULE --from {folder}")  # fmt: skip
    if all(map(only_this_machine, addresses)):
        print("Only this machine can open it: to serve a room, start with --ip 0.0.0.0 on a "
              "machine connected to the room's network.")  # fmt: skip
    if not ids:
        print(SHARED_ANSWERS)
    print("Press Ctrl-C here to stop.", flush=True)
    os.execv(command[0], command)
    return 0  # pragma: no cover - execv does not return


def add_serve_command(commands) -> None:
    parser = commands.add_parser(
        "serve",
        help="serve the course home and modules as Voila apps from this computer",
        description="Start Voila on the course home (release/index.ipynb) with preheated "
        "kernels, idle kernels shut down, only the course's extensions, and a fixed port. "
        "Once the roster is imported, each participant gets their own copy of the course "
        "(participants/<id>/) so that their answers stay apart, and their pages take kernels "
        "kept ready for any page (--ready-kernels); --shared serves release/ itself, one set "
        "of answers for all.",
    )
    add = parser.add_argument
    add("--course", type=Path, metavar="FOLDER",
        help="the course folder (default: the one holding the current folder); its release/ "
        "is served")  # fmt: skip
    add(
        "--folder",
        type=Path,
        help="the folder with index.ipynb to serve instead (default: the course's release/)",
    )
    add("--ip", default="127.0.0.1", help="address (0.0.0.0 for the whole room's network)")
    add("--port", type=int, default=8866, help="port (default 8866)")
    add("--pool-size", type=int, default=1,
        help="kernels per notebook that have already run it (default 1); for a class with a "
        "roster, see --ready-kernels")  # fmt: skip
    add("--ready-kernels", type=int, default=READY_KERNELS,
        help="for a class with a roster: kernels started and loaded with the course's library "
        "ahead of time, for any participant's page to take (default "
        f"{READY_KERNELS}, about 125 MB of memory each; 0 for none)")  # fmt: skip
    add("--cull-after", type=float, default=30, help="minutes before an idle kernel stops")
    add(
        "--shared",
        action="store_true",
        help="serve release/ itself, one set of answers for all (to show the course), even "
        "when the course has a roster",
    )
    add("--refill-delay", type=float, default=REFILL_DELAY,
        help="seconds a pool, or a class's kernels kept ready, waits after a page takes a "
        "kernel before starting another, so the page is drawn first "
        f"(default {REFILL_DELAY:g})")  # fmt: skip
    parser.set_defaults(run=_serve)
