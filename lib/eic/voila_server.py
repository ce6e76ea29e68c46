"""The course's Voila server: Voila's own, sending what it serves compressed.

A Voila page loads about 5 MB of scripts before it shows its first widget, and Voila sends
them as they are. Compressed (gzip, which every browser accepts), they come to about
1.4 MB. In a training room where everyone shares one connection, or on Binder, that is the
difference between waiting about 6 s and about 2.5 s for a page on an 8 Mbit/s link
(``benchmarks/narrow_link.py``).

Voila has a setting for the web server's settings (``Voila.tornado_settings``), but it
applies them after the web server is made, too late for compression, which the web server
sets up as it is made (Tornado's ``compress_response``). This server gives the course's
settings (``eic.serve.WEB_SETTINGS``) as it is made, and compresses each of its scripts and
style sheets once, keeping the result for every later page (``eic.compression``), rather
than again for every page (``--CourseVoila.compress_once=False`` turns that off, for
``benchmarks/static_files.py`` to compare).

Its preheated kernels never show a page out-of-date answers (:mod:`eic.fresh_pools`).

It also leaves out one warning the trainer would otherwise read for every notebook at start
and for every page opened: "Notebook ... is not trusted". Trust decides whether a notebook's
saved outputs may run scripts when it is opened. The course's notebooks are committed
without outputs, and Voila runs each one afresh for every page, so there is nothing for it
to decide, and the warning only hides the lines that matter (the addresses to open).

    python -m eic.voila_server [Voila's own options] FOLDER
"""

from __future__ import annotations

import logging

import voila.app
from traitlets import Bool
from voila.app import Voila

from eic.compression import compress_once
from eic.fresh_pools import with_fresh_pools
from eic.serve import WEB_SETTINGS

UNTRUSTED = "Notebook %s is not trusted"  # jupyter_server's contents manager says this


def not_about_trust(record: logging.LogRecord) -> bool:
    """False for the contents manager's warning that a notebook is not trusted."""
    return record.msg != UNTRUSTED


class CourseVoila(Voila):
    """Voila with the course's web settings given to the server as it is made, preheated
    kernels that are never out of date, and without the warning that a notebook is not
    trusted."""

    compress_once = Bool(
        True, help="Compress each script and style sheet once and keep it for later pages."
    ).tag(config=True)

    def initialize(self, argv=None) -> None:
        # the contents manager logs through the server's own log
        self.log.addFilter(not_about_trust)
        super().initialize(argv)

    def init_settings(self) -> dict:
        # Voila makes its kernel manager here, from a factory that adds the pools of
        # preheated kernels: the course's server puts eic.fresh_pools in front of those
        made_by_voila = voila.app.voila_kernel_manager_factory

        def factory(*args, **kwargs) -> type:
            made = made_by_voila(*args, **kwargs)
            return with_fresh_pools(made) if hasattr(made, "get_rendered_notebook") else made

        voila.app.voila_kernel_manager_factory = factory
        try:
            settings = super().init_settings()
        finally:
            voila.app.voila_kernel_manager_factory = made_by_voila
        return {**settings, **WEB_SETTINGS}

    def listen(self) -> None:
        if self.compress_once:
            compress_once(self.app)
        super().listen()


main = CourseVoila.launch_instance

if __name__ == "__main__":
    main()
