"""A module's Voila app in Chromium when it loses its kernel: the server stopped or started
again, the kernel killed or stopped. The page says so at once, with what was kept and what to
do; a page that keeps its kernel, or is being reloaded, never does."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import psutil
import pytest
from conftest import (
    ROOT,
    free_port,
    is_answer_file,
    kernel_stops,
    start_server,
    stop_server,
    wait_for_answer,
)
from test_browser import MODULE_1, PHONE, open_app

from eic.serve import voila_command

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NAME = MODULE_1["folder"]
PAGE = f"voila/render/{NAME}/{NAME}.ipynb"
QID = "q3_match_type"
QUESTION = f".eic-q-{QID}"
LOST = "The connection to the course server was lost"


@dataclass
class Server:
    """A copy of release/ served by Voila as ``eic-course serve`` serves it (template,
    extensions, kernel manager), with a kernel started for each page; it can be stopped and
    started again on the same port."""

    folder: Path
    port: int
    proc: subprocess.Popen | None = None
    log: IO[str] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def answers(self) -> Path:
        return self.folder / NAME / f"{MODULE_1['id']}-answers.json"

    def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("NBGRADER")}
        command = voila_command(
            self.folder, ip="127.0.0.1", port=self.port, pool_size=None, cull_after_minutes=None
        )
        self.proc, self.log = start_server(
            command,
            cwd=self.folder,
            env=env,
            log_path=self.folder.parent / "voila.log",
            ready_url=self.url,
        )

    def stop(self) -> None:
        if self.proc is not None:
            stop_server(self.proc, self.log)
            self.proc = None


@pytest.fixture
def server(tmp_path) -> Iterator[Server]:
    folder = tmp_path / "release"
    shutil.copytree(
        ROOT / "release", folder, ignore=lambda _d, names: [n for n in names if is_answer_file(n)]
    )
    served = Server(folder, free_port())
    served.start()
    yield served
    served.stop()


def open_module_and_answer(browser, server: Server):
    """Module 1 open, with one question answered and its answer recorded."""
    page, errors = open_app(browser, f"{server.url}/{PAGE}")
    page.locator(QUESTION).get_by_text("Eco-industrial park", exact=True).click()
    assert wait_for_answer(server.answers, "q3_match_type") == "Eco-industrial park"
    return page, errors


def kernel_of(page) -> str:
    return page.evaluate(
        "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
    )


def notice(page):
    return page.get_by_role("alert").filter(has_text=LOST)


def luminance(css_colour: str) -> float:
    """WCAG 2's relative luminance of an "rgb(r, g, b)" colour."""
    channels = [int(c) / 255 for c in re.findall(r"\d+", css_colour)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def assert_notice_is_shown(page, within_s: float) -> None:
    """The notice appears within ``within_s`` seconds: an alert, said by a screen reader as
    it appears, at the top of the window however far the page is scrolled, and whole and
    readable on a phone held upright."""
    shown = notice(page)
    shown.wait_for(state="visible", timeout=within_s * 1000)
    text = shown.inner_text()
    assert "Answers saved before this message are kept" in text
    assert "Reload the page" in text
    assert "were not saved" in text
    page.locator(".eic-question").last.scroll_into_view_if_needed()
    assert page.locator(".eic-question").first.bounding_box()["y"] < 0  # scrolled down
    assert abs(shown.bounding_box()["y"]) <= 1
    style = shown.evaluate(
        "el => { const s = getComputedStyle(el);"
        " return [s.color, s.backgroundColor, parseFloat(s.fontSize)] }"
    )
    lighter, darker = sorted(map(luminance, style[:2]), reverse=True)
    assert (lighter + 0.05) / (darker + 0.05) >= 4.5, f"too little contrast: {style}"
    assert style[2] >= 16
    size = page.viewport_size
    page.set_viewport_size({"width": PHONE, "height": 700})
    try:
        box = shown.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE + 1
        assert abs(box["y"]) <= 1 and box["height"] < 700 / 2  # the page still shows below
        assert shown.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
        button = shown.get_by_role("button", name="Reload the page")
        inner = button.bounding_box()
        assert inner["x"] >= 0 and inner["x"] + inner["width"] <= PHONE + 1
    finally:
        page.set_viewport_size(size)


NOT_SAVED = "Nothing more is saved: the connection to the course server was lost"
# Module 1's question 4, answered with a number typed in its box
TYPED = ".eic-q-q4_eco_towns input[type=text]"


def assert_questions_say_nothing_more_is_saved(page, chosen: str = "Eco-industrial park") -> None:
    """Once the notice shows, the questions show it too: each is dimmed and marked disabled,
    takes no click or typing, and says under it that it is not saved, with nothing left of
    what its line said before ("✓ saved as 26 Eco-Towns" beside a box showing 25)."""
    questions = page.locator(".eic-question")
    assert questions.count() >= 8
    said = page.evaluate(
        """() => [...document.querySelectorAll('.eic-question')].map(q => ({
             disabled: q.getAttribute('aria-disabled'),
             controls: [...q.querySelectorAll('input, button, select, textarea, [role=slider]')]
                         .filter(el => el.getAttribute('aria-disabled') !== 'true').length,
             line: q.querySelector('.eic-feedback').innerText.trim(),
             dimmed: parseFloat(getComputedStyle(q.firstElementChild).opacity),
           }))"""
    )
    for question in said:
        assert question["disabled"] == "true", question
        assert question["controls"] == 0, question
        assert question["line"].startswith(NOT_SAVED), question
        assert "\u2713" not in question["line"] and "saved as" not in question["line"], question
        assert question["dimmed"] <= 0.6, question
    # a click on another option than the one ``chosen`` changes nothing, nor does typing
    question = page.locator(QUESTION)
    other = "Eco-town" if chosen != "Eco-town" else "Eco-industrial park"
    question.get_by_text(other, exact=True).click(force=True)
    checked = question.locator("input[type=radio]:checked")
    assert checked.evaluate("el => el.closest('label').innerText").strip() == chosen
    box = page.locator(TYPED)
    before = box.input_value()
    box.focus()
    page.keyboard.type("25")
    assert box.input_value() == before
    # the line under each question is not read out again and again: the notice says it once
    assert page.locator(".eic-feedback[aria-live=polite]").count() == 0


def assert_questions_are_as_before(page) -> None:
    """The connection is back: the questions take answers and say what they said before."""
    assert page.locator(".eic-question[aria-disabled], .eic-question [aria-disabled]").count() == 0
    assert page.locator(".eic-not-saved").count() == 0
    assert page.get_by_text(NOT_SAVED).count() == 0
    assert page.locator(".eic-feedback[aria-live=polite]").count() >= 8


def kernel_processes(server: Server, kernel_id: str) -> list[psutil.Process]:
    """The processes of the kernel ``kernel_id``, which the server started."""
    children = psutil.Process(server.proc.pid).children(recursive=True)
    return [p for p in children if any(kernel_id in part for part in p.cmdline())]


def test_a_page_whose_kernel_dies_says_the_connection_is_lost(server, browser):
    page, _errors = open_module_and_answer(browser, server)
    kernel = kernel_of(page)
    found = kernel_processes(server, kernel)
    assert len(found) == 1
    # the server starts a new, empty kernel in its place: the page's widgets are gone
    found[0].kill()
    assert_notice_is_shown(page, within_s=30)
    # and the server still has a kernel of that id, now empty: the notice stays
    page.wait_for_timeout(3000)
    assert notice(page).is_visible()
    assert wait_for_answer(server.answers, "q3_match_type") == "Eco-industrial park"
    page.close()


def test_a_page_says_the_connection_is_lost_when_the_server_stops_and_starts_again(server, browser):
    page, _errors = open_module_and_answer(browser, server)
    server.stop()
    assert_notice_is_shown(page, within_s=10)
    assert_questions_say_nothing_more_is_saved(page)
    # started again, the server has none of the kernels it had: the page tries to connect
    # to its own again, is refused, and keeps saying so
    server.start()
    with page.expect_websocket(timeout=90_000):
        pass
    page.wait_for_timeout(3000)
    assert notice(page).is_visible()
    # reloaded, as the notice asks, the page works again with the answer given before
    with page.expect_navigation(timeout=120_000):
        notice(page).get_by_role("button", name="Reload the page").click()
    page.wait_for_selector(QUESTION, timeout=120_000)
    checked = page.locator(f"{QUESTION} input[type=radio]:checked")
    checked.wait_for(timeout=30_000)
    assert checked.evaluate("el => el.closest('label').innerText").strip() == "Eco-industrial park"
    assert notice(page).count() == 0
    page.close()


def test_a_page_whose_kernel_was_stopped_says_so_when_it_is_used(server, browser):
    # a kernel stopped while its page is connected (as the server stops an idle one, or
    # asked to) sends nothing to say so: the page finds out when what it sends has no reply
    page, _errors = open_module_and_answer(browser, server)
    kernel = kernel_of(page)
    token = "0123456789abcdef"
    request = urllib.request.Request(
        f"{server.url}/voila/api/shutdown/{kernel}",
        data=urllib.parse.urlencode({"_xsrf": token}).encode(),
        headers={"Cookie": f"_xsrf={token}"},
        method="POST",
    )
    urllib.request.urlopen(request, timeout=30)
    assert kernel_stops(server.url, kernel)
    page.locator(QUESTION).get_by_text("Eco-town", exact=True).click()
    assert_notice_is_shown(page, within_s=20)
    page.close()


class Relay:
    """A local port that passes each connection on to a server, as a room's network does;
    it can lose what the server sends on the connections open now (the page's messages still
    reach the server), be cut (every connection through it closed, each new one refused) and
    be restored."""

    def __init__(self, port: int) -> None:
        self.target = port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.up = True
        self.connections: set[socket.socket] = set()
        self.losing: set[socket.socket] = set()  # what comes from these is lost
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            if not self.up:
                client.close()
                continue
            server = socket.create_connection(("127.0.0.1", self.target))
            self.connections |= {client, server}
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pass, args=(source, sink), daemon=True).start()

    def _pass(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                if source not in self.losing:
                    sink.sendall(data)
        except OSError:
            pass
        for end in (source, sink):
            self._close(end)

    def _close(self, end: socket.socket) -> None:
        self.connections.discard(end)
        with contextlib.suppress(OSError):
            end.shutdown(socket.SHUT_RDWR)
        end.close()

    def lose_replies(self) -> None:
        """From now, what the server sends on the connections open now is lost."""
        self.losing |= {end for end in self.connections if end.getpeername()[1] == self.target}

    def cut(self) -> None:
        self.up = False
        for end in list(self.connections):
            self._close(end)

    def close(self) -> None:
        self.cut()
        self.listener.close()


def test_the_notice_goes_when_the_connection_comes_back_to_the_same_kernel(server, browser):
    relay = Relay(server.port)
    try:
        page, errors = open_app(browser, f"http://127.0.0.1:{relay.port}/{PAGE}")
        page.locator(QUESTION).get_by_text("Eco-industrial park", exact=True).click()
        assert wait_for_answer(server.answers, QID, expected="Eco-industrial park") == (
            "Eco-industrial park"
        )
        # and the page has had the kernel's reply to it: the tick under the question, then
        # the kernel's "idle". ipywidgets sends a control's next change only after that
        # reply, so on a busy machine a reply still on its way when the replies are lost
        # kept the next answer in the browser, and the test failed by chance
        page.locator(f"{QUESTION} .eic-feedback").get_by_text("saved").wait_for(timeout=30_000)
        page.wait_for_timeout(1000)
        # the room's network fails as an answer is given: the answer reaches the server and is
        # recorded, the kernel's reply ("idle") is lost on the way back
        relay.lose_replies()
        page.locator(QUESTION).get_by_text("Eco-town", exact=True).click()
        assert wait_for_answer(server.answers, QID, expected="Eco-town") == "Eco-town"
        relay.cut()  # then the network goes; the server and its kernels go on
        assert_notice_is_shown(page, within_s=15)
        assert_questions_say_nothing_more_is_saved(page, chosen="Eco-town")
        relay.up = True
        notice(page).wait_for(state="detached", timeout=90_000)
        assert_questions_are_as_before(page)
        # the kernel is the same: what is answered now is recorded, in the question whose
        # reply was lost too
        page.locator(QUESTION).get_by_text("Eco-industrial park", exact=True).click()
        recorded = wait_for_answer(server.answers, QID, expected="Eco-industrial park")
        assert recorded == "Eco-industrial park", "the answer given after the break was not saved"
        page.locator(QUESTION).get_by_text("Eco-town", exact=True).click()
        assert wait_for_answer(server.answers, QID, expected="Eco-town") == "Eco-town"
        assert notice(page).count() == 0
        assert errors == []
        page.close()
    finally:
        relay.close()


# every alert a page shows, written down where the next page of the tab can read it
ALERTS_SEEN = """
new MutationObserver(() => {
  for (const alert of document.querySelectorAll('[role=alert]')) {
    const seen = JSON.parse(sessionStorage.getItem('alerts-seen') || '[]');
    seen.push(alert.textContent);
    sessionStorage.setItem('alerts-seen', JSON.stringify(seen));
  }
}).observe(document, {childList: true, subtree: true});
"""


def test_a_page_that_keeps_its_kernel_never_says_the_connection_is_lost(server, browser):
    context = browser.new_context()
    context.add_init_script(ALERTS_SEEN)
    page, errors = open_module_and_answer(context, server)
    page.wait_for_timeout(8000)  # longer than the page waits for a connection or a reply

    # reloaded: the page closes its connection as it goes, and a busy server takes seconds
    # to answer, the page still showing meanwhile; then left for the course home
    def busy_server(route) -> None:
        time.sleep(6)
        route.continue_()

    page.route(f"**/{PAGE}", busy_server)
    page.reload(timeout=120_000)
    page.wait_for_selector(QUESTION, timeout=120_000)
    page.wait_for_timeout(3000)
    page.goto(f"{server.url}/voila/render/index.ipynb", timeout=120_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(3000)
    seen = page.evaluate("JSON.parse(sessionStorage.getItem('alerts-seen') || '[]')")
    assert [text for text in seen if LOST in text] == []
    assert errors == []
    context.close()
