"""The published result page in a real browser: in English, Welsh, Urdu and the pseudo-locale
it passes axe-core's WCAG 2.2 A and AA rules (the `lang` and `dir` of the page, the table's
headers, contrast). Skipped, saying why, where chromium or Playwright is missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from assembly.budgets import publish
from assembly.core import i18n
from tests.agenda.test_room_browser import ARGS, CHROMIUM, _axe_clean, async_api, axe_api
from tests.budgets.test_published_languages import counted  # noqa: F401 (a fixture)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


async def test_the_published_page_is_accessible_in_each_direction(
    db,
    counted,  # noqa: F811
    tmp_path: Path,
) -> None:
    pages = {}
    for language in ("en-GB", "cy", "ur", i18n.PSEUDO):
        path = tmp_path / f"result-{language}.html"
        path.write_text(
            publish.publish(db, counted, "html", translator=i18n.translator(language)),
            encoding="utf-8",
        )
        pages[language] = path
    async with async_api.async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = await browser.new_page()
            axe = axe_api.Axe()
            for language, path in pages.items():
                await page.goto(path.as_uri())
                await _axe_clean(axe, page, f"result page ({language})")
        finally:
            await browser.close()
