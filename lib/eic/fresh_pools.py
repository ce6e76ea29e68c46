"""Preheated kernels that never show a page out-of-date answers.

``eic-course serve`` keeps, for each notebook, a pool of kernels that have already run it
(Voila's preheating), so a page appears at once. But a kernel runs the notebook with the
answers recorded at that moment: its widgets show them, and its own-data panel the table
then saved. A participant who answers, then reloads the page, would be given a kernel that
ran before the answer: the page would show the old answers, and a checklist completed on
it would record the old items over the newer ones.

So each pooled kernel keeps a fingerprint of the files its notebook reads (every file in
the notebook's folder and below it, so the course home's covers every module), taken
before it runs the notebook. A kernel whose files have changed since is never given to a
page:

- when a page is asked for, out-of-date kernels leave the pool, and the page runs the
  notebook afresh (as with no pool) while the pool refills;
- once a notebook's files have not changed for :data:`SETTLED` seconds (the participant has
  moved on), the server replaces its out-of-date kernels in the background, so the next
  page is preheated again; while a participant is still answering, nothing is re-run.

Voila builds its pooled kernel manager from the course's (``eic.kernels``) at start; the
course's server (:mod:`eic.voila_server`) puts :class:`FreshPools` in front of it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
import weakref
from pathlib import Path

# Seconds a notebook's files must have been left unchanged before its out-of-date kernels
# are replaced in the background.
SETTLED = 10.0
# Seconds between two looks for out-of-date kernels.
LOOK_EVERY = 2.0

Fingerprint = tuple[tuple[str, int, int], ...]


def fingerprint(folder: Path) -> Fingerprint:
    """Every file in ``folder`` and below it (its path, last change and size), but hidden
    ones (a lock, a temporary file being written) and Jupyter's checkpoints."""
    found = []
    for here, folders, files in os.walk(folder):
        folders[:] = [f for f in folders if not f.startswith(".") and f != "__pycache__"]
        for name in files:
            if name.startswith("."):
                continue
            path = os.path.join(here, name)
            with contextlib.suppress(OSError):  # gone while looked at: it changed
                info = os.stat(path)
                found.append((os.path.relpath(path, folder), info.st_mtime_ns, info.st_size))
    return tuple(sorted(found))


def last_change(print_: Fingerprint) -> float:
    """When the newest file of a fingerprint last changed (seconds since the epoch)."""
    return max((changed for _path, changed, _size in print_), default=0) / 1e9


class FreshPools:
    """Put in front of Voila's pooled kernel manager: see the module's text."""

    def __init__(self, **kwargs) -> None:
        # the fingerprint each pool item (a task that starts a kernel and runs the
        # notebook) took as it began; an item not begun yet takes one when it begins
        self._fingerprints: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        super().__init__(**kwargs)
        try:
            loop = asyncio.get_event_loop()
        except RuntimeError:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
        self._keeping_fresh = loop.create_task(self._keep_fresh())

    def _folder(self, notebook_name: str) -> Path:
        return Path(self.root_dir) / os.path.dirname(notebook_name)

    async def _initialize(self, notebook_path: str, kernel_id: str | None = None, **kwargs):
        task = asyncio.current_task()
        if task is not None and kernel_id is None:  # a pool item, beginning
            self._fingerprints[task] = fingerprint(self._folder(notebook_path))
        return await super()._initialize(notebook_path, kernel_id, **kwargs)

    def get_pool_size(self, notebook_name: str) -> int:
        """The kernels a page may take: out-of-date ones leave the pool first, and the page
        then runs the notebook afresh, not waiting for the kernels that replace them."""
        dropped = self.drop_out_of_date(notebook_name, refill=False)
        size = super().get_pool_size(notebook_name)
        if dropped:
            self.fill_if_needed(notebook_name=notebook_name)
        return size

    def drop_out_of_date(
        self, notebook_name: str, now: Fingerprint | None = None, *, refill: bool = True
    ) -> int:
        """Take the pool's out-of-date kernels out of it, stop them, and refill it (unless
        ``refill`` is False); how many there were."""
        pool = self._pools.get(notebook_name, [])
        now = fingerprint(self._folder(notebook_name)) if now is None else now
        old = [item for item in pool if self._fingerprints.get(item, now) != now]
        for item in old:
            pool.remove(item)
            item.add_done_callback(self._stop_unused)
        if old:
            self.log.info("Out-of-date preheated kernel(s) for %s replaced", notebook_name)
            if refill:
                self.fill_if_needed(notebook_name=notebook_name)
        return len(old)

    def _stop_unused(self, item: asyncio.Task) -> None:
        """Stop the kernel of a pool item that no page will take, once it has one."""
        if item.cancelled() or item.exception() is not None:
            return
        content = item.result()
        content["task"].cancel()  # the notebook's run, if it is still going
        asyncio.ensure_future(self.shutdown_kernel(content["kernel_id"], now=True))

    async def _keep_fresh(self) -> None:
        """Replace out-of-date kernels of notebooks whose files have settled."""
        while True:
            await asyncio.sleep(LOOK_EVERY)
            for name in list(self._pools):
                try:
                    now = fingerprint(self._folder(name))
                    if time.time() - last_change(now) >= SETTLED:
                        self.drop_out_of_date(name, now)
                except Exception:  # never stop looking because of one notebook
                    self.log.warning("Could not check the kernels of %s", name, exc_info=True)


def with_fresh_pools(manager_class: type) -> type:
    """``manager_class`` (Voila's pooled kernel manager) with :class:`FreshPools` in front."""
    return type(f"Fresh{manager_class.__name__}", (FreshPools, manager_class), {})
