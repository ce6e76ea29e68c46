"""A server compresses each of its files once and keeps the result (eic.compression)."""

from __future__ import annotations

import asyncio
import gzip
import os
import socket
import threading
import urllib.request

import pytest
from tornado import web

from eic.compression import CompressedFiles, CompressOnce, compress_once


def test_kept_files_stay_within_the_limit_forgetting_the_least_recently_used():
    kept = CompressedFiles(limit=10)
    kept.keep(("a",), b"1234")
    kept.keep(("b",), b"1234")
    assert kept.get(("a",)) == b"1234"  # now the most recently used
    kept.keep(("c",), b"1234")
    assert kept.get(("b",)) is None and kept.get(("a",)) == b"1234" and len(kept) == 2
    assert kept.size == 8
    kept.keep(("a",), b"12")  # a new version of the same file replaces the old one
    assert kept.size == 6 and kept.get(("a",)) == b"12"
    kept.keep(("big",), b"x" * 11)  # more than the whole limit: not kept at all
    assert kept.get(("big",)) is None and len(kept) == 2


class Made(web.RequestHandler):
    """A page made for each request: never kept, however often the same."""

    def get(self) -> None:
        self.set_header("Content-Type", "text/html")
        self.write("<p>made for you</p>" * 200)


class Store(CompressOnce):
    kept = CompressedFiles()


@pytest.fixture
def server(tmp_path):
    """A Tornado server of the files in ``tmp_path/files`` and a page made per request, that
    compresses its responses and keeps its files compressed once; its address, folder and
    store of kept files."""
    folder = tmp_path / "files"
    folder.mkdir()
    Store.kept = CompressedFiles()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    loop = asyncio.new_event_loop()
    started = threading.Event()

    def run() -> None:
        asyncio.set_event_loop(loop)
        served = {"path": str(folder)}
        app = web.Application([(r"/made", Made),
                                (r"/static/(.*)", web.StaticFileHandler, served),
                                (r"/files/(.*)", web.StaticFileHandler, served),
                                (r"/other/(.*)", web.StaticFileHandler, served)],
                              compress_response=True)  # fmt: skip
        assert compress_once(app)
        app.transforms = [Store if t is CompressOnce else t for t in app.transforms]
        app.listen(port, "127.0.0.1")
        loop.call_soon(started.set)
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert started.wait(10)
    yield f"http://127.0.0.1:{port}", folder, Store.kept
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)


def get(url: str, **headers: str):
    """The response's headers and body as sent."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip", **headers})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def script(size: int, seed: str) -> bytes:
    """A script-like text of ``size`` bytes that compresses, different for each seed."""
    line = f"var {seed} = function (x) {{ return x * 2 + {len(seed)}; }};\n".encode()
    return (line * (size // len(line) + 1))[:size]


# 64 KB is what Tornado reads and sends of a file at a time: a file in several parts
@pytest.mark.parametrize("size", [3_000, 300_000])
def test_a_file_is_compressed_once_and_sent_the_same_from_then_on(server, size):
    url, folder, kept = server
    (folder / "app.js").write_bytes(script(size, "first"))
    status, headers, first = get(f"{url}/static/app.js")
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(first) == script(size, "first") and len(first) < size / 5
    assert len(kept) == 1
    status, headers, again = get(f"{url}/static/app.js")
    # the same bytes, sent whole at once with their length
    assert status == 200 and again == first
    assert headers["Content-Encoding"] == "gzip" and int(headers["Content-Length"]) == len(again)
    assert "Accept-Encoding" in headers["Vary"]
    # and they are the kept ones: nothing compressed the file again
    (key,) = kept._bodies
    kept.keep(key, gzip.compress(b"the kept copy"))
    assert gzip.decompress(get(f"{url}/static/app.js")[2]) == b"the kept copy"


def test_a_changed_file_is_sent_as_it_now_is(server):
    url, folder, kept = server
    path = folder / "app.js"
    path.write_bytes(script(5_000, "old"))
    get(f"{url}/static/app.js")
    path.write_bytes(script(6_000, "new"))
    stat = path.stat()
    os.utime(path, (stat.st_atime, stat.st_mtime + 5))
    status, _, sent = get(f"{url}/static/app.js")
    assert status == 200 and gzip.decompress(sent) == script(6_000, "new")
    assert len(kept) == 2  # each version under its own name


def test_what_is_made_for_a_request_is_compressed_but_not_kept(server):
    url, _, kept = server
    status, headers, sent = get(f"{url}/made")
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(sent) == b"<p>made for you</p>" * 200
    assert len(kept) == 0


def test_only_the_servers_own_static_files_are_kept(server):
    # a participant's files (Jupyter's /files/, even in a folder named static) can change
    # within the second their time of change is given in, at the same length
    url, folder, kept = server
    (folder / "static").mkdir()
    (folder / "static" / "answers.json").write_bytes(b'{"q1": "A"}' * 200)
    for path in ("/files/answers.json", "/files/static/answers.json", "/other/answers.json"):
        (folder / path.rsplit("/", 1)[-1]).write_bytes(b'{"q1": "A"}' * 200)
        status, headers, sent = get(url + path)
        assert status == 200 and headers["Content-Encoding"] == "gzip", path
        assert gzip.decompress(sent) == b'{"q1": "A"}' * 200
    assert len(kept) == 0


def test_a_browser_that_does_not_take_gzip_parts_of_files_and_revalidation_still_work(server):
    url, folder, kept = server
    body = script(200_000, "plain")
    (folder / "app.js").write_bytes(body)
    status, headers, first = get(f"{url}/static/app.js")  # kept from now on
    assert len(kept) == 1
    status, headers, sent = get(f"{url}/static/app.js", **{"Accept-Encoding": "identity"})
    assert status == 200 and "Content-Encoding" not in headers and sent == body
    # a part of the file (Tornado compresses the part it sends, as it always has)
    status, headers, part = get(f"{url}/static/app.js", Range="bytes=100-199")
    assert status == 206 and headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(part) == body[100:200]
    status, headers, _ = get(f"{url}/static/app.js")
    status, _, nothing = get(f"{url}/static/app.js", **{"If-None-Match": headers["Etag"]})
    assert status == 304 and nothing == b""
    request = urllib.request.Request(f"{url}/static/app.js", method="HEAD",
                                     headers={"Accept-Encoding": "gzip"})  # fmt: skip
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200 and response.read() == b""
    assert len(kept) == 1


def test_an_app_that_does_not_compress_is_left_as_it_is():
    plain = web.Application([])
    assert compress_once(plain) is False
    assert CompressOnce not in plain.transforms
    compressing = web.Application([], compress_response=True)
    assert compress_once(compressing) and compress_once(compressing)  # twice is harmless
    assert compressing.transforms.count(CompressOnce) == 1
    assert web.GZipContentEncoding not in compressing.transforms
