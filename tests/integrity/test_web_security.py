"""Both web servers (the room's phone pages and `assembly serve`) send one set of security
headers, each with its own Content-Security-Policy, name no software version even to a request
aiohttp cannot parse, and print the network address from one probe."""

from __future__ import annotations

import ipaddress
import socket
import threading
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiohttp import web_response

from assembly.agenda.room import server as room_server
from assembly.core.clock import FixedClock
from assembly.core.web_security import SECURITY_HEADERS, lan_address, reachable_address
from assembly.feedback import web as serve
from tests.agenda.room_helpers import make_room_file


def _get(url: str):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.headers
    except urllib.error.HTTPError as error:
        return error.headers


def _raw(port: int, data: bytes) -> str:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(data)
        return connection.recv(4096).decode("latin-1")


def _check(headers, policy: str, server: str, referrer: str = "no-referrer") -> None:
    assert headers["Server"] == server
    assert headers["Content-Security-Policy"] == policy
    for name, value in {**SECURITY_HEADERS, "Referrer-Policy": referrer}.items():
        assert headers[name] == value, name


@pytest.fixture
def room_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The room, in this process on a free port of 127.0.0.1, until the test ends."""
    monkeypatch.setattr(web_response, "SERVER_SOFTWARE", web_response.SERVER_SOFTWARE)
    path = tmp_path / "room.assembly.db"
    make_room_file(path, FixedClock(datetime(2026, 11, 26, 9, 0, tzinfo=UTC)))
    room = room_server.RoomServer(path, room_server.RoomConfig(port=0))
    ready = threading.Event()
    thread = threading.Thread(target=room.serve, kwargs={"ready": lambda url: ready.set()})
    thread.start()
    try:
        assert ready.wait(30), "the room did not open its port"
        yield room.url
    finally:
        room.stop()
        thread.join(30)


async def test_both_servers_send_the_shared_headers_with_their_own_policy(room_url) -> None:
    for page in ("", "results", "no-such-page"):
        _check(
            _get(room_url + page),
            room_server.CONTENT_SECURITY_POLICY,
            "assembly-room",
            referrer="same-origin",  # so browsers name the room as its forms' Origin
        )
    stylesheet = _get(room_url + "room.css")
    assert stylesheet["Cache-Control"] == "max-age=300"  # a handler's own value is kept
    port = int(room_url.rsplit(":", 1)[1].strip("/"))
    answer = _raw(port, b"NOT HTTP\r\n\r\n")
    assert "\r\nServer: assembly-room\r\n" in answer and "aiohttp" not in answer, answer

    from aiohttp.test_utils import TestClient, TestServer

    scrutiny = serve.ScrutinyServer("true", token="t" * 32)
    async with TestClient(TestServer(await scrutiny._make_app(), host="127.0.0.1")) as client:
        for target in (f"/{scrutiny.token}/", "/elsewhere", f"/{scrutiny.token}/nothing"):
            response = await client.get(target, allow_redirects=False)
            _check(response.headers, serve.CONTENT_SECURITY_POLICY, "assembly-serve")
    assert room_server.CONTENT_SECURITY_POLICY != serve.CONTENT_SECURITY_POLICY
    assert "script-src" not in room_server.CONTENT_SECURITY_POLICY


def test_the_printed_address_is_one_other_computers_can_open() -> None:
    address = lan_address()
    assert ipaddress.IPv4Address(address)  # an address, never a name or 0.0.0.0
    assert address != "0.0.0.0" and (address == "127.0.0.1" or not address.startswith("127."))
    assert reachable_address("0.0.0.0") == address
    assert reachable_address("127.0.0.1") == "127.0.0.1"
    assert reachable_address("192.168.1.20") == "192.168.1.20"
