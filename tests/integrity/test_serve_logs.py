"""`assembly serve` logs no access token (issue 26: it printed the token in every access-log
line, 175 lines in a short session, so anyone shown the terminal or the log had the link)."""

from __future__ import annotations

import contextlib
import io
import logging
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from assembly.store import create_assembly

REPO = Path(__file__).resolve().parents[2]
TOKEN = "T0kenT0kenT0kenT0kenT0kenT0kenT0"


async def test_access_and_error_logs_redact_the_token() -> None:
    from aiohttp.test_utils import TestClient, TestServer

    from assembly.feedback.web import ScrutinyServer

    server = ScrutinyServer("true", token=TOKEN)
    app = await server._make_app()

    async def broken(request):
        raise RuntimeError(f"a bug at {request.path_qs}")

    app.router.add_get(f"/{server.token}/broken", broken)
    stream = io.StringIO()
    handler = server.log_handler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(logging.INFO)
    try:
        async with TestClient(TestServer(app, host="127.0.0.1", **server.runner_options())) as c:
            for path in (
                f"/{TOKEN}/",
                f"/{TOKEN}",
                f"/?token={TOKEN}",
                f"/{TOKEN}x/",
                f"/{TOKEN}/broken?again={TOKEN}",
                "/download/secret-download-key",
            ):
                await (await c.get(path, allow_redirects=False)).read()
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    logged = stream.getvalue()
    assert logged.count("GET") >= 6, logged  # every request is still logged
    assert "RuntimeError" in logged  # and the error with its traceback
    assert TOKEN not in logged, logged
    assert "secret-download-key" not in logged
    assert "<token>" in logged


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_listening(port: int) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@pytest.mark.slow
def test_a_real_server_prints_the_token_once(tmp_path: Path) -> None:
    """The printed link is the one place the token appears; requests add none."""
    path = tmp_path / "a.assembly.db"
    create_assembly(path, name="Logs").close()
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "assembly", "serve", str(path), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=REPO,
    )
    try:
        link = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not link:
            line = process.stdout.readline()
            if line.strip().startswith("http://"):
                link = line.strip()
        assert link, "the server printed no link"
        token = link.rstrip("/").rsplit("/", 1)[1]
        _wait_until_listening(port)  # the link is printed just before the port opens
        for url in (link, f"http://127.0.0.1:{port}/?token={token}", f"{link}nothing-here"):
            for _ in range(3):
                with contextlib.suppress(urllib.error.HTTPError):
                    urllib.request.urlopen(url, timeout=10).read()
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    assert "GET" in output  # the access log is on
    assert token not in output, output
