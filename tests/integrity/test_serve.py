"""`assembly serve` as a real server process on 127.0.0.1: only the printed link opens it, only
its own page may open a session, viewers are capped, nothing is fetched from the internet, and
the address printed for the network is one other computers can reach.

The page in a real browser (Debian's chromium, driven by Playwright): the first key reaches the
app without a click, a phone shows the whole terminal width, and axe-core finds nothing. Those
tests are skipped, saying why, where /usr/bin/chromium or Playwright is missing.
"""

from __future__ import annotations

import asyncio
import http.client
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest

from assembly.core.web_security import reachable_address
from assembly.store import create_assembly

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Debian's chromium is not installed at /usr/bin/chromium "
    "(apt-get install -y chromium; .ci/run does this)",
)
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
NARROW = {"viewport": {"width": 390, "height": 844}}
PHONE = {**NARROW, "is_mobile": True, "has_touch": True, "device_scale_factor": 3}
DASHBOARD_COLUMNS = 80  # the dashboard's narrow layout (one "Answers" column) needs 80 columns


@pytest.fixture
def log_file(tmp_path: Path) -> Path:
    create_assembly(tmp_path / "serve.assembly.db", name="Serve test").close()
    return tmp_path / "serve.assembly.db"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(path: Path, *extra: str) -> Iterator[tuple[int, str, str]]:
    """A real `assembly serve` process: (port, printed link, warnings)."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "assembly", "serve", str(path), "--port", str(port), *extra],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        link = ""
        deadline = time.monotonic() + 20
        while not link and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if line.strip().startswith("http://"):
                link = line.strip()
        assert link, "serve printed no link"
        for _ in range(100):  # until it listens
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.05)
        yield port, link, ""
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
        serving.stderr = err


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


async def _handshake(url: str, origin: str | None) -> int:
    """The HTTP status a websocket handshake gets (101 when it is accepted)."""
    headers = {"Origin": origin} if origin else {}
    async with aiohttp.ClientSession() as session:
        try:
            async with session.ws_connect(url, headers=headers) as ws:
                await ws.close()
                return 101
        except aiohttp.WSServerHandshakeError as error:
            return error.status


async def _screen_then_full(ws_url: str, origin: str, page_url: str) -> tuple[str, int, int]:
    """Open a session, read until Scrutiny shows; while it is open, a second viewer's page and
    session are refused (the cap is 1 in this test)."""
    seen = b""
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(ws_url + "?width=120&height=40", headers={"Origin": origin}) as ws,
    ):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and b"Scrutiny (read-only)" not in seen:
            try:
                message = await ws.receive(timeout=2)
            except TimeoutError:
                continue
            if message.type == aiohttp.WSMsgType.BINARY:
                seen += message.data
            elif message.type == aiohttp.WSMsgType.TEXT:
                seen += message.data.encode()
            elif message.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                break
        second = await _handshake(ws_url, origin)
        async with session.get(page_url) as response:
            page_status = response.status
    return seen.decode("utf-8", "replace"), second, page_status


def test_only_the_printed_link_and_its_own_page_open_a_session(log_file: Path) -> None:
    with serving(log_file, "--max-viewers", "1") as (port, link, _):
        origin = f"http://127.0.0.1:{port}"
        assert link.startswith(origin + "/") and len(link) > len(origin) + 30
        token = link.rstrip("/").rsplit("/", 1)[1]

        # no token, a wrong token, or the library's own paths: refused with a plain page
        for url in (
            f"{origin}/",
            f"{origin}/ws",
            f"{origin}/static/js/textual.js",
            f"{origin}/{token[:-1]}{'y' if token.endswith('x') else 'x'}/",  # one letter off
        ):
            status, body = _get(url)
            assert status == 403 and "access link" in body, url
        # the right link: the page, with everything served locally
        status, page = _get(link)
        assert status == 200
        assert "googleapis" not in page and "https://" not in page.replace("https://github", "")
        assert f'data-session-websocket-url="ws://127.0.0.1:{port}/{token}/ws"' in page
        assert _get(link.rstrip("/"))[0] == 200  # the link without its last slash still opens
        assert _get(f"{link}static/js/textual.js")[0] == 200
        assert _get(f"{link}static/fonts/RobotoMono-VariableFont_wght.ttf")[0] == 200

        ws = f"ws://127.0.0.1:{port}/{token}/ws"
        assert asyncio.run(_handshake(f"ws://127.0.0.1:{port}/ws", origin)) == 403
        assert asyncio.run(_handshake(ws, "http://evil.example")) == 403
        assert asyncio.run(_handshake(ws, f"http://localhost.evil.example:{port}")) == 403
        assert asyncio.run(_handshake(ws, None)) == 403
        screen, second, page_status = asyncio.run(_screen_then_full(ws, origin, link))
        assert "Scrutiny (read-only)" in screen and "Serve test" in screen
        assert second == 503 and page_status == 503


def test_on_the_network_the_printed_link_is_reachable_and_a_warning_says_so(
    log_file: Path,
) -> None:
    with serving(log_file, "--host", "0.0.0.0") as (port, link, _):
        assert "0.0.0.0" not in link
        assert link.startswith(f"http://{reachable_address('0.0.0.0')}:{port}/")
        token = link.rstrip("/").rsplit("/", 1)[1]
        status, page = _get(f"http://127.0.0.1:{port}/{token}/")
        assert status == 200 and "0.0.0.0" not in page
        assert f"ws://127.0.0.1:{port}/{token}/ws" in page  # the address the browser used
    assert "Warning: listening on 0.0.0.0" in serving.stderr


def test_reachable_address_is_never_the_wildcard() -> None:
    assert reachable_address("127.0.0.1") == "127.0.0.1"
    assert reachable_address("0.0.0.0") not in ("0.0.0.0", "")


# --- every response ------------------------------------------------------------------------

SECURITY = {
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, str]]:
    """One server for the module's page and browser tests: (port, printed link)."""
    path = tmp_path_factory.mktemp("serve") / "serve.assembly.db"
    create_assembly(path, name="Serve test").close()
    with serving(path) as (port, link, _):
        yield port, link


def _raw(port: int, method: str, target: str, headers: dict[str, str] | None = None):
    """One request, redirects not followed: (status, headers, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request(method, target, headers=headers or {})
        response = connection.getresponse()
        body = b"" if response.status == 101 else response.read()
        return response.status, response.headers, body.decode("utf-8", "replace")
    finally:
        connection.close()


def _targets(link: str) -> list[tuple[str, str, int]]:
    """(method, path, expected status) for each kind of page the server sends."""
    token = link.rstrip("/").rsplit("/", 1)[1]
    return [
        ("GET", f"/{token}/", 200),
        ("GET", f"/{token}/static/js/textual.js", 200),
        ("GET", f"/{token}", 302),
        ("GET", f"/?token={token}", 302),
        ("GET", "/", 403),
        ("GET", f"/{token}x/", 403),
        ("GET", f"/{token}/nothing-here", 404),
        ("GET", f"/{token}/static/nothing.js", 404),
        ("GET", "/download/no-such-key", 404),
        ("POST", f"/{token}/", 405),
    ]


def test_every_page_says_its_language_title_and_viewport(served: tuple[int, str]) -> None:
    port, link = served
    for method, target, expected in _targets(link):
        status, headers, body = _raw(port, method, target)
        assert status == expected, (target, status, body)
        if not headers.get("Content-Type", "").startswith("text/html"):
            assert status in (200, 302), (target, headers.get("Content-Type"), body)
            continue
        assert re.search(r'<html lang="en(-GB)?" dir="ltr">', body), (target, body)
        assert re.search(r"<title>[^<\s][^<]*</title>", body), (target, body)
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in body, (
            target,
            body,
        )
        assert "aiohttp" not in body and "Python" not in body, (target, body)


async def test_an_unexpected_error_is_a_whole_page_too() -> None:
    """A handler that fails (none does today) still answers with the page template, in process:
    a real server cannot be made to fail on purpose."""
    from aiohttp.test_utils import TestClient, TestServer

    from assembly.feedback.web import ScrutinyServer

    server = ScrutinyServer("true", token="t" * 32)
    app = await server._make_app()

    async def broken(request):
        raise RuntimeError("a bug")

    app.router.add_get(f"/{server.token}/broken", broken)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        response = await client.get(f"/{server.token}/broken")
        body = await response.text()
    assert response.status == 500 and response.headers["Server"] == "assembly-serve"
    assert '<meta name="viewport"' in body and "<title>Something went wrong</title>" in body
    assert "a bug" not in body and "Traceback" not in body


def test_no_response_names_the_server_software_and_every_page_keeps_its_headers(
    served: tuple[int, str],
) -> None:
    port, link = served
    token = link.rstrip("/").rsplit("/", 1)[1]
    handshake = {
        "Upgrade": "websocket",
        "Connection": "Upgrade",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version": "13",
    }
    requests = [(method, target, {}, expected) for method, target, expected in _targets(link)]
    requests += [
        ("GET", f"/{token}/ws", {**handshake, "Origin": f"http://127.0.0.1:{port}"}, 101),
        ("GET", f"/{token}/ws", {**handshake, "Origin": "http://evil.example"}, 403),
    ]
    for method, target, headers, expected in requests:
        status, got, _ = _raw(port, method, target, headers)
        assert status == expected, (target, status)
        assert got.get_all("Server") == ["assembly-serve"], (target, got.get_all("Server"))
        assert not any("aiohttp" in v or "Python" in v for v in got.values()), (target, got)
        if status == 101:
            continue
        for name, value in SECURITY.items():
            assert got.get(name) == value, (target, name, got.get(name))
        policy = got.get("Content-Security-Policy", "")
        for directive in ("default-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"):
            assert directive in policy, (target, policy)
        assert "unsafe-eval" not in policy and "https:" not in policy, (target, policy)
    # a request aiohttp cannot even parse is answered before any route: no version there either
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        raw.sendall(b"NOT-HTTP\r\n\r\n")
        answer = raw.recv(4096).decode("latin-1")
    assert answer.startswith("HTTP/1.0 400") or answer.startswith("HTTP/1.1 400"), answer
    assert "\r\nServer: assembly-serve\r\n" in answer and "aiohttp" not in answer, answer


# --- in a browser --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright is not installed (pip install -e '.[test]')"
    )
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


class Tab:
    """A browser tab on the served page, and what its session sent and drew (the terminal is
    canvas, so the screen is read from the websocket's frames)."""

    def __init__(self, browser, link: str, device: dict) -> None:
        self.context = browser.new_context(**device)
        self.page = self.context.new_page()
        self.drawn = ""
        self.sent: list[str] = []
        self.socket_url = ""
        self.errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("websocket", self._watch)
        self.page.goto(link)
        self.wait_for("Scrutiny (read-only)")

    def _watch(self, socket) -> None:
        self.socket = socket
        self.socket_url = socket.url
        socket.on("framereceived", self._received)
        socket.on("framesent", lambda payload: self.sent.append(str(payload)))

    def _received(self, payload: str | bytes) -> None:
        if isinstance(payload, bytes):
            payload = payload.decode("utf-8", "replace")
        self.drawn += payload

    def wait_for(self, text: str, seconds: float = 20) -> None:
        """Until the session has drawn `text` (each frame is checked as it arrives)."""
        if text in self.drawn:
            return
        if not self.socket_url:
            with self.page.expect_websocket(timeout=seconds * 1000):
                pass
        self.socket.wait_for_event(
            "framereceived", predicate=lambda _: text in self.drawn, timeout=seconds * 1000
        )

    def columns(self) -> int:
        """The terminal's width in columns: the last size the page sent the session."""
        sizes = [m for m in self.sent if m.startswith('["resize"')]
        if sizes:
            return int(re.search(r'"width": ?(\d+)', sizes[-1]).group(1))
        return int(parse_qs(urlsplit(self.socket_url).query)["width"][0])

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tab(browser, served: tuple[int, str]):
    tabs: list[Tab] = []

    def open_tab(device: dict) -> Tab:
        tabs.append(Tab(browser, served[1], device))
        return tabs[-1]

    yield open_tab
    for t in tabs:
        t.close()


@needs_chromium
def test_the_first_key_reaches_the_app_without_a_click(tab) -> None:
    page = tab(DESKTOP)
    assert "Response due" not in page.drawn  # the Items tab's heading: not drawn yet
    page.page.keyboard.press("i")
    page.wait_for("Response due", seconds=10)
    assert page.errors == []  # nothing refused by the page's Content-Security-Policy either


@needs_chromium
@pytest.mark.parametrize("device", [NARROW, PHONE], ids=["390-wide", "phone"])
def test_a_phone_shows_the_whole_dashboard_width(tab, device: dict) -> None:
    """The terminal fits the phone's width with the 80 columns the dashboard is laid out for
    (the font shrinks to fit), so no column of the Textual screen is cut off at the right.

    (A screenshot at an emulated device_scale_factor above 1 shows the canvas magnified and
    cut off: headless chromium reports devicePixelContentBoxSize in CSS pixels there, which
    xterm sizes its canvas by. Look at the 390-wide one; a real phone reports device pixels.)"""
    page = tab(device)
    width = device["viewport"]["width"]
    shown = page.page.evaluate(
        """() => ({
            layout: window.innerWidth,
            scroll: document.documentElement.scrollWidth,
            right: document.querySelector(".xterm-screen").getBoundingClientRect().right,
        })"""
    )
    assert shown["layout"] == width, shown  # the page is laid out for the phone's width
    assert shown["scroll"] <= width and shown["right"] <= width, shown  # nothing off the side
    assert page.columns() >= DASHBOARD_COLUMNS, (page.columns(), page.socket_url)
    page.wait_for("Answers")  # the dashboard's last column, drawn on screen
    assert page.errors == []


@needs_chromium
@pytest.mark.parametrize("device", [NARROW, DESKTOP], ids=["phone", "desktop"])
def test_axe_finds_nothing_on_the_page(tab, device: dict) -> None:
    axe = pytest.importorskip(
        "axe_playwright_python.sync_playwright",
        reason="axe-playwright-python is not installed (pip install -e '.[test]')",
    )
    page = tab(device)
    results = axe.Axe().run(page.page)  # every rule, best practices included
    assert results.violations_count == 0, results.generate_report()


def test_a_welsh_files_pages_are_in_welsh() -> None:
    """`assembly serve` on a Welsh file: its refusals and errors say so in Welsh, marked cy."""
    from assembly.core import i18n
    from assembly.feedback.web import ERRORS, error_page

    i18n.use_working_language("cy")
    title, text = (i18n._(words) for words in ERRORS[404])
    page = error_page(404, title, text).text
    assert '<html lang="cy" dir="ltr">' in page
    assert title != "Not found" and f"<h1>{title}</h1>" in page
