"""The published report in chromium: axe-core's WCAG 2.2 A and AA rules find nothing in Welsh,
in Arabic (right to left) and bilingual side by side, with residents' Polish and Urdu words
marked with their languages, and an Arabic page really mirrors.

One browser for all three pages (suite time). Skipped, saying why, where /usr/bin/chromium or
Playwright is missing.
"""

from __future__ import annotations

from datetime import date

import pytest

from assembly.feedback import reports
from assembly.store import AssemblyFile
from tests.agenda.test_room_browser import ARGS, CHROMIUM, WCAG_22_AA

from .conftest import fill_log

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]
async_api = pytest.importorskip("playwright.async_api", reason="Playwright is not installed")
axe_api = pytest.importorskip(
    "axe_playwright_python.async_playwright", reason="axe-playwright-python is not installed"
)
# Where an article's heading starts inside its box: near the right edge when right to left.
HEADING_SIDES = """() => {
  const h = document.querySelector("article h3"), box = h.getBoundingClientRect();
  const range = document.createRange(); range.selectNodeContents(h);
  const words = range.getBoundingClientRect();
  return [words.left - box.left, box.right - words.right];
}"""


async def test_report_pages_pass_axe(empty_file: AssemblyFile, clock, tmp_path) -> None:
    from assembly.feedback import writes
    from assembly.sessions.ideas import add_idea

    fill_log(empty_file, clock)
    db = empty_file.db()  # residents' words in their own languages, marked with lang and dir
    add_idea(db, session_id=None, text="Więcej ławek w parku", clock=clock, language="pl")
    add_idea(db, session_id=None, text="پارک میں مزید بینچ", clock=clock, language="ur")
    writes.track_ideas(db, actor="Assembly organiser", clock=clock)
    report = reports.build_report(db, date(2026, 10, 18))
    english = reports.report_translator()
    pages = {
        "cy": reports.to_html(report, reports.report_translator("cy")),
        "ar": reports.to_html(report, reports.report_translator("ar")),
        "cy+en side": reports.to_html(
            report, reports.report_translator("cy"), also=english, layout="side"
        ),
    }
    axe = axe_api.Axe()
    async with async_api.async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        page = await browser.new_page(viewport={"width": 1280, "height": 900})
        for name, html in pages.items():
            path = tmp_path / f"{name.replace(' ', '-')}.html"
            path.write_text(html, encoding="utf-8")
            await page.goto(path.as_uri())
            results = await axe.run(page, options=WCAG_22_AA)
            assert results.violations_count == 0, f"{name}:\n{results.generate_report()}"
            start, end = await page.evaluate(HEADING_SIDES)
            assert (start > end) == (name == "ar"), (name, start, end)
        await browser.close()
