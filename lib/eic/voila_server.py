"""The course's Voila server: Voila's own, sending what it serves compressed.

A Voila page loads about 5 MB of scripts before it shows its first widget, and Voila sends
them as they are. Compressed (gzip, which every browser accepts), they come to about
1.4 MB. In a training room where everyone shares one connection, or on Binder, that is the
difference between waiting about 6 s and about 2.5 s for a page on an 8 Mbit/s link
(``benchmarks/narrow_link.py``).

Voila has a setting for the web server's settings (``Voila.tornado_settings``), but it
applies them after the web server is made, too late for compression, which the web server
sets up as it is made (Tornado's ``compress_response``). This server gives the course's
settings (``eic.serve.WEB_SETTINGS``) as it is made.

    python -m eic.voila_server [Voila's own options] FOLDER
"""

from __future__ import annotations

from voila.app import Voila

from eic.serve import WEB_SETTINGS


class CourseVoila(Voila):
    """Voila with the course's web settings given to the server as it is made."""

    def init_settings(self) -> dict:
        return {**super().init_settings(), **WEB_SETTINGS}


main = CourseVoila.launch_instance

if __name__ == "__main__":
    main()
