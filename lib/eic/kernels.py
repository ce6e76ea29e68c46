"""A kernel manager that lets a kernel finish the answers it was sent before it stops.

When a participant clicks an answer and at once leaves the page (or closes it), the page
sends the answer to its kernel and then asks the server to stop the kernel. The stop
request goes to the kernel on its control channel, which is served before the shell
channel that carries the answer: a kernel still busy with earlier work (redrawing a chart
for a slider just moved) stopped with the answer unread, and the answer was lost.

Before stopping a kernel, this manager asks it, on the shell channel, for its
``kernel_info``. A kernel answers shell requests in the order they arrive, so when the
reply comes, every message sent before the stop request (the answer included) has been
handled and recorded. It asks by running, silently, :data:`SAVE_TYPING`: a typed answer
waits for a pause in the typing before it is saved (:mod:`eic.typed_answers`), and a page
closed just after typing leaves it waiting; it is saved then. A kernel that does not reply
within ``ANSWER_WAIT`` seconds (one stuck in a long computation) is stopped anyway.

A Voila server on its own uses it when given
``--VoilaConfiguration.multi_kernel_manager_class=`` this class (``eic-course serve`` does);
a Jupyter server, which also manages the kernels of its Voila pages, when its
``ServerApp.kernel_manager_class`` is set to it (the hub's participant servers do), or to
:class:`eic.ready_kernels.ReadyKernelManager`, which builds on it (a laptop's JupyterLab and
Binder do, through ``eic.server_config``).
"""

from __future__ import annotations

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

ANSWER_WAIT = 10.0
# run in a kernel before it stops: saves the typed answers waiting for a pause, if the kernel
# has loaded the course's questions (a kernel that has not, or is not Python, does nothing)
SAVE_TYPING = (
    "import sys as _eic_sys\n"
    "if 'eic.typed_answers' in _eic_sys.modules:\n"
    "    _eic_sys.modules['eic.typed_answers'].save_pending()\n"
    "del _eic_sys"
)


class AnswerKeepingKernelManager(AsyncMappingKernelManager):
    """Jupyter's kernel manager, but a kernel stopped gently first handles what it was sent."""

    async def finish_shell_work(self, kernel_id: str, timeout: float = ANSWER_WAIT) -> bool:
        """Wait until the kernel has handled every shell message sent to it so far; False
        if it is not running or did not get there within ``timeout`` seconds."""
        kernel = self.get_kernel(kernel_id)
        if not await kernel.is_alive():
            return False
        client = kernel.client()
        client.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
        try:
            await client.execute(SAVE_TYPING, silent=True, store_history=False, reply=True,
                                 timeout=timeout)  # fmt: skip
            return True
        except (TimeoutError, RuntimeError) as err:
            self.log.warning("Kernel %s: not done within %.0f s (%s)", kernel_id, timeout, err)
            return False
        finally:
            client.stop_channels()

    async def shutdown_kernel(self, kernel_id: str, now: bool = False, restart: bool = False):
        if not now and kernel_id in self:
            await self.finish_shell_work(kernel_id)
        return await super().shutdown_kernel(kernel_id, now=now, restart=restart)
