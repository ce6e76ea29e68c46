"""Each script and style sheet compressed once, not once for every page that loads it.

A course page loads about 5 MB of scripts and style sheets, which the course's servers send
compressed (``eic.serve.WEB_SETTINGS``): about 1.4 MB, for a room that shares one
connection. The web server (Tornado) compresses every response afresh, so the same files
are compressed again for every page opened: on the two-core test machine, about 0.14 s of
the server's time for each page, and the server does one thing at a time. When a room of
32 opens a module at once, that is seconds of compressing the same files, during which the
server answers no kernel and sends no other page.

:class:`CompressOnce` compresses as Tornado does, and keeps the compressed form of each
file served from a folder (a response that says when its file was last changed) for the
next request of the same address, with the same version of the file. Pages made for a
request, what a kernel sends and a participant's own files are compressed each time as
before. The files kept are the server's own scripts and style sheets, about 1.5 MB
compressed for a Voila page; a server keeps at most ``LIMIT_BYTES`` and forgets the least
recently used beyond that.

The course's Voila server uses it (``eic.voila_server``); a Jupyter server (JupyterLab on a
laptop, Binder, the hub's participant servers) loads it as a server extension
(``eic.compression``, enabled in its settings by ``eic.server_config``).
"""

from __future__ import annotations

from collections import OrderedDict

from tornado import httputil, web

# What a server keeps at most: the course's Voila pages need about 1.5 MB, JupyterLab at most 5
LIMIT_BYTES = 64 * 1024 * 1024


class CompressedFiles:
    """Compressed bodies of files, by address and version, at most ``limit`` bytes in all
    (the least recently used forgotten first)."""

    def __init__(self, limit: int = LIMIT_BYTES) -> None:
        self.limit = limit
        self.size = 0
        self._bodies: OrderedDict[tuple, bytes] = OrderedDict()

    def __len__(self) -> int:
        return len(self._bodies)

    def get(self, key: tuple) -> bytes | None:
        body = self._bodies.get(key)
        if body is not None:
            self._bodies.move_to_end(key)
        return body

    def keep(self, key: tuple, body: bytes) -> None:
        if len(body) > self.limit:
            return
        old = self._bodies.pop(key, None)
        self.size += len(body) - (len(old) if old is not None else 0)
        self._bodies[key] = body
        while self.size > self.limit:
            _, forgotten = self._bodies.popitem(last=False)
            self.size -= len(forgotten)


# one store per server process: every request's transform looks here
KEPT = CompressedFiles()


def file_key(request: httputil.HTTPServerRequest, status: int, headers) -> tuple | None:
    """What names one version of a server's own script or style sheet served in full, or
    None for any other response.

    The server's own files are served from addresses with a ``/static/`` part (Voila's,
    JupyterLab's and their extensions'); a participant's files, which can change from one
    second to the next, come from ``/files/`` and are never kept. A file served from a
    folder says when it was last changed; a page or an answer made for the request does not.
    The address (with its query, which for many scripts carries their version), the time it
    was changed, its length and its tag (a hash of its content, where the server gives one)
    name the version.
    """
    if "/static/" not in request.path or "/files/" in request.path:
        return None
    if request.method != "GET" or status != 200 or "Last-Modified" not in headers:
        return None
    if "Content-Length" not in headers or "Content-Encoding" in headers:
        return None
    return (request.uri, headers["Last-Modified"], headers["Content-Length"],
            headers.get("Etag", ""))  # fmt: skip


class CompressOnce(web.GZipContentEncoding):
    """Tornado's gzip compression of responses, which sends a file's compressed form kept
    from an earlier request instead of compressing the file again."""

    kept = KEPT

    def __init__(self, request: httputil.HTTPServerRequest) -> None:
        super().__init__(request)
        self._request = request
        self._key: tuple | None = None
        self._parts: list[bytes] = []
        self._sent_kept = False

    def transform_first_chunk(self, status_code, headers, chunk, finishing):
        key = file_key(self._request, status_code, headers) if self._gzipping else None
        body = self.kept.get(key) if key is not None else None
        if body is not None:
            # what compressing would give, already made: sent at once, whole, and the rest
            # of the file as it is read is not sent again
            headers["Vary"] = f"{headers['Vary']}, Accept-Encoding" if "Vary" in headers \
                else "Accept-Encoding"  # fmt: skip
            headers["Content-Encoding"] = "gzip"
            headers["Content-Length"] = str(len(body))
            self._gzipping = False
            self._sent_kept = True
            return status_code, headers, body
        # a file to keep: its compressed parts are gathered as they are made
        self._key = key
        status_code, headers, chunk = super().transform_first_chunk(
            status_code, headers, chunk, finishing
        )
        if not self._gzipping:
            self._key, self._parts = None, []
        return status_code, headers, chunk

    def transform_chunk(self, chunk: bytes, finishing: bool) -> bytes:
        if self._sent_kept:
            return b""
        chunk = super().transform_chunk(chunk, finishing)
        if self._gzipping and self._key is not None:
            self._parts.append(chunk)
            if finishing:
                self.kept.keep(self._key, b"".join(self._parts))
                self._key, self._parts = None, []
        return chunk


def compress_once(app: web.Application) -> bool:
    """Make ``app`` keep what it compresses of its files (:class:`CompressOnce`) where it
    compresses its responses; whether it does."""
    if web.GZipContentEncoding not in app.transforms:
        return CompressOnce in app.transforms
    app.transforms = [CompressOnce if t is web.GZipContentEncoding else t
                      for t in app.transforms]  # fmt: skip
    return True


def _jupyter_server_extension_points() -> list[dict]:
    return [{"module": "eic.compression"}]


def _load_jupyter_server_extension(serverapp) -> None:
    if compress_once(serverapp.web_app):
        serverapp.log.info("Scripts and style sheets are compressed once and kept")
