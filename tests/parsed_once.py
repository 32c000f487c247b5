"""Textual CSS parsed once per test process, not once per app: each app keeps its own parse
cache, and the suite starts hundreds of apps whose widgets share the same default CSS. The
rules are keyed on the CSS, where it came from and the theme's variables, as Textual's own
cache is, so an app with other variables still parses its own."""

from __future__ import annotations

from textual.css.stylesheet import Stylesheet

_parse = Stylesheet._parse_rules
_parsed: dict[tuple, list] = {}


def _parse_rules(self: Stylesheet, css, read_from, is_default_rules=False, tie_breaker=0, scope=""):
    key = (
        css,
        read_from,
        is_default_rules,
        tie_breaker,
        scope,
        tuple(sorted(self._variables.items())),
    )
    try:
        return _parsed[key]
    except KeyError:
        rules = _parsed[key] = _parse(self, css, read_from, is_default_rules, tie_breaker, scope)
        return rules


def parse_css_once_per_process() -> None:
    Stylesheet._parse_rules = _parse_rules
