"""Kernels kept ready for any page: started, with the course's libraries loaded.

When one machine serves a class (``eic-course serve`` with a roster), every participant has
their own copy of each notebook, so Voila's preheated kernels (a pool per notebook, each
having run it) do not fit: a room of 32 would need hundreds. Each page then starts its own
kernel when it is opened, and on the serving machine much of that page's work is not the
module at all: starting Python and its kernel (about 0.5 s on this project's two-core test
machine) and importing pandas and ipywidgets (about 0.25 s), against 0.3-0.8 s for running
the module's cells, importing the course's library included
(``benchmarks/cold_start_parts.py``). When the trainer says "open Module 1", the whole room
asks for that work at the same moment. (JupyterLab on a laptop or on Binder keeps one such
kernel for the next module opened: ``eic.server_config``.)

:class:`ReadyKernelManager` does the common part ahead of time. It keeps ``ready`` kernels
started and warmed (:func:`warm_up`), belonging to no page. A page opened takes one: the
kernel moves to the page's folder and takes the page's environment (:func:`take_over`),
exactly what a kernel started for that page would have had (a restart starts it again
there too), and the page's cells run at once. Once the server has had no new page for
``refill_delay`` seconds, it starts replacements one at a time, so that refilling never
competes with pages being built.

A kernel kept ready is never culled as idle, and is not listed among the server's kernels
(JupyterLab's running kernels); one that dies or fails to warm up is replaced.
``benchmarks/class_burst.py`` measures a room's burst with and without ready kernels.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import time
from queue import Empty

from jupyter_server._tz import utcnow
from traitlets import Float, Integer

from eic.kernels import AnswerKeepingKernelManager

# What the course's notebooks import (a test keeps this list complete): loading them is the
# part of a page's start that is the same for every module.
WARM_MODULES = (
    "pandas",
    "ipywidgets",
    "eic.ahp",
    "eic.appraisal",
    "eic.clusters",
    "eic.cooperation",
    "eic.cost_sharing",
    "eic.course",
    "eic.data",
    "eic.explorers",
    "eic.flows",
    "eic.foundations",
    "eic.grading",
    "eic.jobs",
    "eic.jobs_shown",
    "eic.own_data",
    "eic.panels",
    "eic.policy",
    "eic.policy_panels",
    "eic.portfolio",
    "eic.strategy",
    "eic.strategy_panels",
    "eic.symbiosis",
    "eic.views",
    "eic.worksheet",
)
SETTLE_WAIT = 60.0  # seconds a kernel may take to start and warm up before it is given up


def warm_up() -> None:
    """In a kernel kept ready: load what every course notebook loads."""
    for name in WARM_MODULES:
        importlib.import_module(name)


def take_over(folder: str, environment: dict[str, str], unset: list[str]) -> None:
    """In a kernel kept ready, as a page takes it: work in the page's ``folder`` (where its
    notebook keeps its answers) with the page's environment variables."""
    os.environ.update(environment)
    for name in unset:
        os.environ.pop(name, None)
    os.chdir(folder)
    session = environment.get("JPY_SESSION_NAME")  # JupyterLab's notebook, named as the
    if session:  # kernel names it when started for it (ipykernel's __session__)
        from IPython import get_ipython

        shell = get_ipython()
        if shell is not None:
            shell.user_ns["__session__"] = session


class KernelNotReady(RuntimeError):
    """A kernel kept ready did not do what it was asked."""


def in_kernel(function: str, *arguments: object) -> str:
    """The code that calls ``eic.ready_kernels.<function>(*arguments)`` in a kernel and leaves
    no name behind in the participant's namespace."""
    # JSON strings, lists and objects are Python literals too; written as they are, not as
    # \u escapes, which would split a character beyond U+FFFF into two
    given = ", ".join(json.dumps(argument, ensure_ascii=False) for argument in arguments)
    return f"__import__('eic.ready_kernels', fromlist=['_']).{function}({given})"


class ReadyKernelManager(AnswerKeepingKernelManager):
    """The course's kernel manager, keeping ``ready`` warmed kernels for any page to take."""

    ready = Integer(
        0, config=True, help="kernels kept started and warmed for pages to take (0: none)"
    )
    refill_delay = Float(
        5.0, config=True, help="seconds without a new page before replacing taken kernels"
    )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._kept: list[tuple[str, dict[str, str]]] = []  # (kernel id, environment given)
        self._last_taken = 0.0
        self._filling: asyncio.Task | None = None
        self._waiting = False  # the filling task is only waiting for the server to be quiet
        self._stopping = False
        if self.ready > 0:
            try:
                loop = asyncio.get_event_loop()
            except RuntimeError:  # pragma: no cover - a server always has one
                loop = asyncio.new_event_loop()
                asyncio.set_event_loop(loop)
            self._filling = loop.create_task(self._fill())

    @property
    def kept(self) -> list[str]:
        """The ids of the kernels kept ready now, the next to be taken first."""
        return [kernel_id for kernel_id, _ in self._kept]

    def _fill_later(self) -> None:
        if self.ready > 0 and (self._filling is None or self._filling.done()):
            self._filling = asyncio.get_event_loop().create_task(self._fill())

    async def _quiet(self, seconds: float) -> None:
        self._waiting = True
        try:
            await asyncio.sleep(seconds)
        finally:
            self._waiting = False

    async def _fill(self) -> None:
        while len(self._kept) < self.ready and not self._stopping:
            quiet_for = time.monotonic() - self._last_taken
            if quiet_for < self.refill_delay:
                await self._quiet(self.refill_delay - quiet_for)
                continue
            environment = dict(os.environ)
            try:
                kernel_id = await super().start_kernel(path="", env=environment)
            except Exception as err:  # a kernel that cannot start: the pages' would not either
                self.log.warning("No kernel could be kept ready (%s); pages start their own", err)
                return
            try:
                await self._run(kernel_id, in_kernel("warm_up"))
            except KernelNotReady as err:
                self.log.warning("A kernel kept ready did not warm up (%s); starting another", err)
                await super().shutdown_kernel(kernel_id, now=True)
                await self._quiet(self.refill_delay)
                continue
            self._kept.append((kernel_id, environment))
            if len(self._kept) == self.ready:
                self.log.info("Kernels kept ready for pages: %d", self.ready)

    async def _run(self, kernel_id: str, code: str) -> None:
        """Run ``code`` silently in the kernel; KernelNotReady if it fails or takes too long."""
        client = self.get_kernel(kernel_id).client()
        client.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
        try:
            msg_id = client.execute(code, silent=True, store_history=False)
            deadline = time.monotonic() + SETTLE_WAIT
            while True:
                reply = await client.get_shell_msg(timeout=max(deadline - time.monotonic(), 0))
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
        except (Empty, TimeoutError, RuntimeError) as err:
            raise KernelNotReady(f"no answer within {SETTLE_WAIT:g} s ({err})") from err
        finally:
            client.stop_channels()
        if reply["content"]["status"] != "ok":
            error = reply["content"]
            raise KernelNotReady(f"{error.get('ename')}: {error.get('evalue')}")

    async def _take(self, path: str | None, environment: dict[str, str]) -> str | None:
        """A kept kernel moved to ``path`` with ``environment``, or None if none is ready."""
        while self._kept:
            kernel_id, given = self._kept.pop(0)
            if kernel_id not in self or not await self.get_kernel(kernel_id).is_alive():
                continue
            folder = self.cwd_for_path(path or "")
            changed = {k: v for k, v in environment.items() if given.get(k) != v}
            unset = [name for name in given if name not in environment]
            try:
                await self._run(kernel_id, in_kernel("take_over", folder, changed, unset))
            except KernelNotReady as err:
                self.log.warning("A kernel kept ready could not be taken (%s)", err)
                await super().shutdown_kernel(kernel_id, now=True)
                continue
            kernel = self.get_kernel(kernel_id)
            kernel.last_activity = utcnow()
            # a restart starts the kernel again as it was launched: now as the page's own
            launched = getattr(kernel, "_launch_args", None)
            if isinstance(launched, dict):
                launched.update(cwd=folder, env=dict(environment))
            return kernel_id
        return None

    async def start_kernel(self, *, kernel_id=None, path=None, **kwargs) -> str:
        takes = kernel_id is None and kwargs.get("kernel_name") in (None, self.default_kernel_name)
        if self.ready > 0 and takes:
            self._last_taken = time.monotonic()
            taken = await self._take(path, dict(kwargs.get("env") or os.environ))
            self._fill_later()
            if taken is not None:
                self.log.info("Kernel %s (kept ready) taken for %s", taken, path)
                return taken
        return await super().start_kernel(kernel_id=kernel_id, path=path, **kwargs)

    def list_kernels(self) -> list[dict]:
        """The kernels of pages and notebooks, as the server lists them (JupyterLab's running
        kernels, the server's status): not those kept ready, which belong to nobody yet."""
        kept = set(self.kept)
        return [model for model in super().list_kernels() if model["id"] not in kept]

    async def cull_kernel_if_idle(self, kernel_id: str):
        if kernel_id in self.kept:
            return None  # waiting for a page is what it is for
        return await super().cull_kernel_if_idle(kernel_id)

    async def shutdown_kernel(self, kernel_id: str, now: bool = False, restart: bool = False):
        self._kept = [(k, given) for k, given in self._kept if k != kernel_id]
        return await super().shutdown_kernel(kernel_id, now=now, restart=restart)

    async def shutdown_all(self, now: bool = False):
        self._stopping = True
        filling = self._filling
        if filling is not None and not filling.done():
            if self._waiting or filling.get_loop() is not asyncio.get_running_loop():
                # nothing being started; or the server's loop has stopped (Ctrl-C), so the
                # task will not run again, and a kernel it was starting stops with its parent
                filling.cancel()
            else:  # a kernel being started is let finish, so that it stops with the others
                await asyncio.gather(filling, return_exceptions=True)
        self._kept = []
        return await super().shutdown_all(now=now)
