"""The room's pages in each resident language, in Debian's chromium at phone size: axe-core's
WCAG 2.2 A and AA rules find nothing, `lang` and `dir` are right, and an Urdu or Arabic page
really runs right to left. The pseudo-locale (accented, 40% longer) is checked the same way.

Skipped, saying why, where /usr/bin/chromium or Playwright is missing.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from assembly.core.clock import FixedClock
from assembly.core.i18n import PSEUDO
from assembly.store import languages, open_assembly
from tests.agenda.room_helpers import make_room_file, room_process
from tests.agenda.test_room_browser import ARGS, CHROMIUM, PHONE, WCAG_22_AA

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]
async_api = pytest.importorskip("playwright.async_api", reason="Playwright is not installed")
axe_api = pytest.importorskip(
    "axe_playwright_python.async_playwright", reason="axe-playwright-python is not installed"
)
DIRECTIONS = {"cy": "ltr", "pl": "ltr", "ur": "rtl", "bn": "ltr", "ar": "rtl", "ro": "ltr"}
DIRECTIONS[PSEUDO] = "ltr"
# Space left of an element's words and right of them, inside its box.
TEXT_SIDES = """(selector) => {
  const el = document.querySelector(selector);
  const range = document.createRange();
  range.selectNodeContents(el);
  const words = range.getBoundingClientRect(), box = el.parentElement.getBoundingClientRect();
  return [words.left - box.left, box.right - words.right];
}"""


async def test_every_language_at_phone_size_passes_axe(tmp_path) -> None:
    path = tmp_path / "room.assembly.db"
    codes = make_room_file(path, FixedClock(datetime(2026, 11, 26, 9, 0, tzinfo=UTC)))
    assembly = open_assembly(path)
    languages.set_languages(assembly.db(), residents=["en-GB", *DIRECTIONS])
    assembly.close()
    axe = axe_api.Axe()
    with room_process(path) as url:
        async with async_api.async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=ARGS
            )
            for number, (tag, direction) in enumerate(DIRECTIONS.items(), start=1):
                context = await browser.new_context(**PHONE)
                page = await context.new_page()
                await page.goto(url)
                await page.select_option("#language", tag)
                await page.locator("form.languages button").click()
                await page.wait_for_url(url)
                html = page.locator("html")
                assert (await html.get_attribute("lang"), await html.get_attribute("dir")) == (
                    tag,
                    direction,
                )
                for what in ("start page", "wrong code", "vote"):
                    if what == "wrong code":
                        await page.locator("#code").fill(f"Q{number}QQ-WRNG")  # one try each
                        await page.locator("form[action='/code'] button").click()
                        await page.wait_for_load_state()
                    elif what == "vote":
                        await page.locator("#code").fill(codes[number])
                        await page.locator("form[action='/code'] button").click()
                        await page.wait_for_url(f"{url}vote")
                    results = await axe.run(page, options=WCAG_22_AA)
                    assert results.violations_count == 0, (
                        f"{tag} {what}:\n{results.generate_report()}"
                    )
                # Right to left for real: the legend's words sit at the right of their box.
                start, end = await page.evaluate(TEXT_SIDES, "main legend")
                assert (start > end) == (direction == "rtl"), (tag, start, end)
                await context.close()
            await browser.close()
