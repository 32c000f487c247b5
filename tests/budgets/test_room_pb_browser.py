"""The budget's phone pages in a real browser: Debian's chromium, driven by Playwright, against a
real `assembly room` process. Walk-in residents vote with their cards (the tally equals what
they cast), and every PB page, in each ballot form, with and without a problem to put right,
passes axe-core's WCAG 2.2 A and AA rules at 390 px and at desktop width, every target at
least 44 px. Skipped, saying why, where chromium or Playwright is missing."""

from __future__ import annotations

import pytest

from assembly.budgets import ballots, codes, proposals, rounds
from assembly.store import open_assembly
from tests.agenda.room_helpers import room_process
from tests.agenda.test_room_browser import ARGS, CHROMIUM, PHONE, _axe_clean, async_api, axe_api
from tests.budgets.pb_room_helpers import PROJECTS, make_pb_file, pb_round
from tests.budgets.test_room_pb import CLOCK

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
TITLES = [title for title, *_ in PROJECTS]


def _build(path) -> dict:
    """Round 1 knapsack (cards), round 2 approval (cards), round 3 points (members see it: the
    latest voting), round 4 being set up and taking proposals."""
    _, members, knapsack_cards = make_pb_file(path, CLOCK, cards=6)
    assembly = open_assembly(path)
    db = assembly.db()
    approval = pb_round(db, CLOCK, form="approval", min_projects=1, max_projects=2)
    approval_cards = [c.code for c in codes.issue_voter_codes(db, approval, 2, clock=CLOCK)]
    pb_round(db, CLOCK, form="points")
    taking = rounds.create_round(
        db, title="Greenfield 2028", budget_pence=5_000_000, rule="greedy",
        ballot_form="approval", clock=CLOCK,
    )  # fmt: skip
    proposals.open_proposals(db, taking, clock=CLOCK, actor="organiser")
    assembly.close()
    return {"members": members, "knapsack": knapsack_cards, "approval": approval_cards}


async def test_card_holders_vote_and_every_budget_page_is_accessible(tmp_path) -> None:
    path = tmp_path / "pb.assembly.db"
    made = _build(path)
    plans = {2: (1,), 3: (0, 1, 3), 4: (2, 0), 6: (0, 3)}  # card -> projects (by position)
    with room_process(path) as url:
        async with async_api.async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=ARGS
            )
            axe = axe_api.Axe()
            for size, what in ((PHONE, "390 px"), (DESKTOP, "desktop")):
                context = await browser.new_context(**size)
                page = await context.new_page()

                async def clean(name: str) -> None:
                    await _axe_clean(axe, page, f"{name} ({what})")  # noqa: B023

                async def sign_in(code: str) -> None:
                    await page.goto(url)  # noqa: B023
                    await page.get_by_label("Your personal code").fill(code)  # noqa: B023
                    await page.get_by_role("button", name="Continue").click()  # noqa: B023

                await page.goto(url)
                await clean("start page")
                await sign_in(made["knapsack"][1 if what == "390 px" else 5])
                await async_api.expect(page.get_by_role("heading", level=1)).to_have_text(
                    "Greenfield budget (knapsack)"
                )
                await clean("knapsack ballot")
                await page.get_by_label(TITLES[1]).check()
                await page.get_by_label(TITLES[2]).check()
                await page.get_by_role("button", name="Check the total").click()
                await async_api.expect(page.locator("#total")).to_contain_text(
                    "£5,000.00 more than the £40,000.00 budget"
                )
                await clean("knapsack with its total")
                await page.get_by_role("button", name="Send my vote").click()
                await async_api.expect(page.get_by_role("alert")).to_contain_text(
                    "more than the budget"
                )
                assert (await page.title()).startswith("Error: Greenfield budget (knapsack)")
                focused = await page.evaluate("document.activeElement.className")
                assert focused == "error-summary", "the error summary is not focused"
                await clean("knapsack over the budget")
                await page.get_by_role("link", name="The projects you chose cost").click()
                assert (await page.evaluate("document.activeElement.type")) == "checkbox"
                await page.get_by_label(TITLES[2]).uncheck()
                await page.get_by_role("button", name="Send my vote").click()
                await async_api.expect(
                    page.get_by_role("heading", name="Recorded", exact=True)
                ).to_be_visible()
                await clean("recorded")
                await page.goto(url)
                await clean("signed in with a card")
                await page.get_by_role("link", name="Propose a project").first.click()
                await clean("propose a project")
                await page.get_by_label("Project", exact=True).fill("Water <fountain>")
                await page.get_by_label("Estimated cost in pounds").fill("ten")
                await page.get_by_role("button", name="Send the project").click()
                await async_api.expect(page.get_by_role("alert")).to_contain_text(
                    "Enter the cost in pounds"
                )
                await clean("propose with a problem")
                await page.get_by_label("Estimated cost in pounds").fill("4500")
                await page.get_by_role("button", name="Send the project").click()
                await async_api.expect(page.get_by_role("status")).to_contain_text(
                    "Water <fountain>"
                )
                await clean("project recorded")
                await context.clear_cookies()

                await sign_in(made["approval"][0 if what == "390 px" else 1])
                await clean("approval ballot")
                await page.get_by_role("button", name="Send my vote").click()
                await async_api.expect(page.get_by_role("alert")).to_contain_text(
                    "Choose at least one project"
                )
                await clean("approval with a problem")
                await context.clear_cookies()

                await sign_in(made["members"][1 if what == "390 px" else 2])
                await page.goto(f"{url}budget")
                await clean("points ballot")
                await page.get_by_label(TITLES[0]).fill("80")
                await page.get_by_label(TITLES[3]).fill("30")
                await page.get_by_role("button", name="Send my vote").click()
                await async_api.expect(page.get_by_role("alert")).to_contain_text(
                    "You gave 110 points but you have 100"
                )
                await clean("points over the total")
                await context.close()

            # Walk-in residents vote with their cards; the tally is what they cast.
            context = await browser.new_context(**PHONE)
            page = await context.new_page()
            for card, chosen in plans.items():
                await page.goto(url)
                await page.get_by_label("Your personal code").fill(made["knapsack"][card])
                await page.get_by_role("button", name="Continue").click()
                for position in chosen:
                    await page.get_by_label(TITLES[position]).check()
                await page.get_by_role("button", name="Send my vote").click()
                await async_api.expect(
                    page.get_by_role("heading", name="Recorded", exact=True)
                ).to_be_visible()
                await context.clear_cookies()
            await context.close()
            await browser.close()
    assembly = open_assembly(path)
    counted = {b.voter: b.marks for b in ballots.current_ballots(assembly.db(), 1)}
    assembly.close()
    expected = {f"card {n}": {str(p + 1): 1 for p in chosen} for n, chosen in plans.items()}
    expected["card 1"] = expected["card 5"] = {"2": 1}  # the two passes voted with 1 and 5
    assert counted == expected
