"""Draw docs/room-phone.png: the example assembly's room, a member's vote page on a phone-sized
screen, in Debian's headless chromium (the same browser the tests use).

Run: python docs/make_room_screenshot.py  (needs /usr/bin/chromium and the test extras)
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assembly.agenda import topics
from assembly.agenda.room import submissions as room
from assembly.demo import build_demo
from tests.agenda.room_helpers import room_process

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip


def main() -> None:
    path = Path(tempfile.mkdtemp()) / "example.assembly.db"
    assembly = build_demo(path)
    db = assembly.db()
    topics.open_round(
        db, assembly.clock, method="dot", tie_rule="earliest", dots_per_voter=3,
        topic_ids=[1, 3, 4, 9], title="Which high street changes first?",
    )  # fmt: skip
    code = room.issue_codes(db, assembly.clock, numbers=[1])[0].code
    assembly.close()
    with room_process(path) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=1)
        page.goto(url)
        page.get_by_label("Your personal code").fill(code)
        page.get_by_role("button", name="Continue").click()
        page.get_by_label("Cheaper and more frequent buses").fill("2")
        page.get_by_label("Street trees and shade").fill("1")
        page.get_by_label("Street trees and shade").focus()
        out = Path(__file__).with_name("room-phone.png")
        page.screenshot(path=str(out), full_page=True)
        browser.close()
    print(f"Wrote {out}")


if __name__ == "__main__":
    main()
