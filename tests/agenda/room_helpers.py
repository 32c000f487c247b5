"""A real `assembly room` process on 127.0.0.1 and a phone-like client for it (cookies, forms)."""

from __future__ import annotations

import http.client
import re
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from assembly.agenda import rounds, topics
from assembly.agenda.room import submissions as room
from assembly.core.clock import FixedClock
from assembly.store import create_assembly, write_transaction

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def make_room_file(path: Path, clock: FixedClock, members: int = 12) -> dict[int, str]:
    """An assembly with `members` confirmed members, four topics, an open dot vote (3 dots)
    and every member's code (returned: number -> code)."""
    assembly = create_assembly(path, name="Room test <assembly>", clock=clock)
    db = assembly.db()
    with write_transaction(db):
        for n in range(1, members + 1):
            rid = (
                db["respondents"]
                .insert(
                    {
                        "ref": f"R{n}",
                        "name": f"Secret Name {n}",
                        "features": "{}",
                        "imported_at": "x",
                    }
                )
                .last_pk
            )
            db["members"].insert(
                {"respondent_id": rid, "number": n, "status": "confirmed", "status_changed_at": "x"}
            )
    for title in ("Buses <b>now</b>", "Trees & shade", "Empty shops", "Toilets"):
        topics.propose_topic(db, clock, title)
    rounds.open_round(db, clock, method="dot", tie_rule="earliest", dots_per_voter=3, title="Dots")
    codes = {c.member_number: c.code for c in room.issue_codes(db, clock)}
    assembly.close()
    return codes


@contextmanager
def room_process(path: Path, *extra: str):
    """`assembly room PATH --port 0` in its own process; yields its URL; stops it with SIGTERM."""
    process = subprocess.Popen(
        [sys.executable, "-m", "assembly", "room", str(path), "--port", "0", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = None
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            if line.startswith("Room open at "):
                url = line.split()[-1]
                break
        if url is None:
            raise RuntimeError(f"the room did not start: {process.stderr.read()}")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Phone:
    """One resident's phone: keeps the session cookie, reads the CSRF token off each page."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.cookie = ""
        self.csrf = ""
        self.status = 0
        self.headers: dict[str, str] = {}
        self.text = ""

    def request(self, method: str, path: str, body: dict | str | None = None, **headers: str):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
        sent = {"Cookie": self.cookie} if self.cookie else {}
        data = None
        if body is not None:
            data = body if isinstance(body, str) else urlencode(body, doseq=True)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        sent.update({k.replace("_", "-"): v for k, v in headers.items()})
        conn.request(method, path, body=data, headers=sent)
        response = conn.getresponse()
        self.status = response.status
        self.headers = {k.lower(): v for k, v in response.getheaders()}
        self.text = response.read().decode()
        conn.close()
        cookie = self.headers.get("set-cookie", "")
        if cookie.startswith("room_session="):
            value = cookie.split(";")[0]
            self.cookie = "" if value == "room_session=" or 'room_session=""' in value else value
        found = CSRF.search(self.text)
        if found:
            self.csrf = found.group(1)
        return self

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, form: dict, *, csrf: str | None = None, **headers: str):
        return self.request(
            "POST", path, {"csrf": self.csrf if csrf is None else csrf, **form}, **headers
        )

    def sign_in(self, code: str):
        self.get("/")
        self.post("/code", {"code": code})
        return self
