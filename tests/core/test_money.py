"""The one money formatter: every screen, command, published page and resident's phone writes
amounts through `assembly.core.money`, so these are the outputs they all show."""

from __future__ import annotations

from fractions import Fraction

import pytest

from assembly.core import i18n
from assembly.core.money import Money, editable_money, exact_money, show_money, whole_money


@pytest.mark.parametrize(
    ("pence", "currency", "shown"),
    [
        (0, "GBP", "£0.00"),
        (5, "GBP", "£0.05"),
        (125_050, "GBP", "£1,250.50"),
        (4_000_000, "GBP", "£40,000.00"),
        # The old budgets formatter wrote these '£-1.50' and '£-2.50' (floor division).
        (-50, "GBP", "-£0.50"),
        (-150, "GBP", "-£1.50"),
        # Other currencies read as the room's pages have always shown them to residents.
        (125_050, "EUR", "€1,250.50"),
        (1_200, "PLN", "PLN12.00"),
    ],
)
def test_show_money(pence: int, currency: str, shown: str) -> None:
    assert show_money(pence, currency) == shown
    assert str(Money(pence, currency)) == shown


@pytest.mark.parametrize(
    ("pence", "currency", "language", "shown"),
    [
        (650_000, "GBP", "en", "£6,500"),
        (650_050, "GBP", "en", "£6,500.50"),
        (-650_000, "GBP", "en", "-£6,500"),
        (100_000_000, "EUR", "en", "€1,000,000"),
        (650_000, "GBP", "pl", "6\xa0500\xa0GBP"),
        (650_050, "GBP", "pl", "6\xa0500,50\xa0GBP"),
    ],
)
def test_whole_money_drops_only_absent_pence(
    pence: int, currency: str, language: str, shown: str
) -> None:
    assert whole_money(pence, currency, locale=language) == shown


@pytest.mark.parametrize(
    ("pence", "shown"),
    [
        (None, ""),
        (0, "0"),
        (4_000_000, "40000"),
        (125_050, "1250.50"),
        (5, "0.05"),
        (-150, "-1.50"),
    ],
)
def test_editable_money_parses_back(pence: int | None, shown: str) -> None:
    assert editable_money(pence) == shown


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (Fraction(0), "0.00"),
        (Fraction(1, 3), "0.33"),
        (Fraction(2, 3), "0.67"),
        (Fraction(1, 200), "0.01"),  # half a penny rounds up
        (Fraction(1, 201), "0.00"),
        (Fraction(1_234_567, 8), "154,320.88"),
    ],
)
def test_exact_money_rounds_half_up_to_the_penny(amount: Fraction, shown: str) -> None:
    assert exact_money(amount) == shown


def test_translated_messages_use_the_same_formatter() -> None:
    amount = Money(125_050)
    english = i18n.translator("en")
    assert english.money(amount) == show_money(125_050)
    assert english.gettext("%(cost)s", cost=amount) == "£1,250.50"
    assert i18n.translator("pl").money(amount) == show_money(125_050, locale="pl")
