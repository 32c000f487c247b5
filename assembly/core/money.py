"""Money as people read it, in one place: amounts are kept in pence and written out by Babel in
the reader's language ('£1,250.50' in English, '1250,50 £' in Polish), so a budget reads the
same on the organiser's screen, in the published results and on a resident's phone.

Formatting lives here and nowhere else; `assembly.core.i18n` puts `Money` values into
translated messages when the page knows its language.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from babel import Locale
from babel.numbers import format_currency, format_decimal

ENGLISH_LOCALE = "en"


@dataclass(frozen=True)
class Money:
    """An amount in pence, put into a message as it is and written out in the reader's language
    when the page is made, so services word what a resident reads without knowing their
    language."""

    pence: int
    currency: str = "GBP"

    def __str__(self) -> str:
        return show_money(self.pence, self.currency)


def show_money(pence: int, currency: str = "GBP", locale: Locale | str = ENGLISH_LOCALE) -> str:
    """Pence with the currency's sign, to the penny: '£1,250.50', '-£0.50', '€12.00'."""
    return format_currency(Decimal(pence) / 100, currency, locale=locale)


def whole_money(pence: int, currency: str = "GBP", locale: Locale | str = ENGLISH_LOCALE) -> str:
    """Like `show_money`, but without the pence when there are none ('£6,500'): tables and the
    projector stay narrow enough for an 80-column terminal."""
    if pence % 100:
        return show_money(pence, currency, locale)
    pattern = Locale.parse(locale).currency_formats["standard"].pattern
    whole = pattern.split(";")[0].replace(".00", "")
    return format_currency(
        Decimal(pence // 100), currency, format=whole, currency_digits=False, locale=locale
    )


def editable_money(pence: int | None) -> str:
    """Pence as a form field holds them for editing, no sign and no commas, so the value parses
    back unchanged: '40000', '1250.50', or '' for none."""
    if pence is None:
        return ""
    sign, pence = ("-", -pence) if pence < 0 else ("", pence)
    whole, rest = divmod(pence, 100)
    return f"{sign}{whole}" if rest == 0 else f"{sign}{whole}.{rest:02d}"


def exact_money(amount: Fraction) -> str:
    """An exact share of money (a Method of Equal Shares payment, in currency units) to the
    penny, rounded half up, with no sign: the count's units need not be a currency. Display
    only: the exact amounts stay in the result file."""
    pence = (amount * 100 + Fraction(1, 2)).__floor__()
    return format_decimal(Decimal(pence) / 100, format="#,##0.00", locale=ENGLISH_LOCALE)
