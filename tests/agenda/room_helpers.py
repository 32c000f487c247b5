"""A real `assembly room` process on 127.0.0.1 and a phone-like client for it (cookies, forms)."""

from __future__ import annotations

import http.client
import re
import subprocess
import sys
import time
from contextlib import contextmanager
from html.parser import HTMLParser
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


class _FormReader(HTMLParser):
    """What a browser would send from a page's form `action`: text and hidden inputs, ticked
    boxes, textareas and chosen options (buttons left out)."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._select: str | None = None
        self._first_option: str | None = None
        self._chosen = False

    def handle_starttag(self, tag: str, attrs) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("action") == self.action
        if not self.inside:
            return
        if tag == "input" and a.get("type") in ("text", "hidden", "number", None):
            self.fields.append((a["name"], a.get("value", "")))
        elif tag == "input" and a.get("type") == "checkbox" and "checked" in a:
            self.fields.append((a["name"], a.get("value", "on")))
        elif tag == "textarea":
            self._textarea = a["name"]
            self.fields.append((a["name"], ""))
        elif tag == "select":
            self._select, self._first_option, self._chosen = a["name"], None, False
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = a.get("value", "")
            if "selected" in a:
                self.fields.append((self._select, a.get("value", "")))
                self._chosen = True

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            name, text = self.fields[-1]
            self.fields[-1] = (name, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select:
            if not self._chosen:
                self.fields.append((self._select, self._first_option or ""))
            self._select = None


def form_values(page: str, action: str) -> dict[str, str]:
    """The form at `action` on `page`, as a browser would send it unchanged (one value a name;
    several ticked boxes of one name are joined with commas, as the server reads them)."""
    reader = _FormReader(action)
    reader.feed(page)
    out: dict[str, str] = {}
    for name, value in reader.fields:
        out[name] = f"{out[name]},{value}" if name in out else value
    return out


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

    def form(self, action: str) -> dict[str, str]:
        """The form at `action` on the page last loaded, as the browser would send it."""
        return form_values(self.text, action)

    def sign_in(self, code: str):
        self.get("/")
        self.post("/code", {"code": code})
        return self
