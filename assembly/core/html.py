"""The one way this app writes HTML: a single Jinja2 environment, templates beside their area.

Residents' phone pages, the printable room cards, the "you said, we did" report and the pages
`assembly serve` sends all render here, so what a person typed is escaped the same way
everywhere (autoescape) and a misspelt name in a template fails loudly (StrictUndefined) instead
of printing nothing on a council's web page.

A template is named by the package it belongs to and lives in that package's `templates/`
folder: `render("assembly.agenda.room", "vote.html", ...)` reads
`assembly/agenda/room/templates/vote.html`. Inside a template, `{% extends "layout.html" %}`
and `{% import "forms.html" %}` mean the same package's files; `other.package:file.html`
reaches another package's.

Words residents read are marked for translation (`{% trans %}`, `_()`); `render(...,
translator=...)` shows them in that translator's language (`assembly.core.i18n`), and without
one they render as their English ids. The translator comes with each render, never installed
on the shared environment, so phones in different languages are served side by side.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2
from markupsafe import Markup

from assembly.core.i18n import ENGLISH, Translator, direction, same_language
from assembly.core.safe_output import html_link

SEPARATOR = ":"


class _BesideTheirArea(jinja2.BaseLoader):
    """Loads `package:name` from `package/templates/name` (installed as package data)."""

    def __init__(self) -> None:
        self._loaders: dict[str, jinja2.PackageLoader] = {}

    def get_source(self, environment: jinja2.Environment, template: str):
        package, found, name = template.partition(SEPARATOR)
        if not found:
            raise jinja2.TemplateNotFound(template)
        loader = self._loaders.get(package)
        if loader is None:
            loader = self._loaders[package] = jinja2.PackageLoader(package, "templates")
        return loader.get_source(environment, name)


class _Environment(jinja2.Environment):
    def join_path(self, template: str, parent: str) -> str:
        """A name without a package, inside a template, is the parent template's package."""
        if SEPARATOR in template:
            return template
        return parent.partition(SEPARATOR)[0] + SEPARATOR + template


def link(url: str, label: str = "") -> Markup:
    """A link for http(s) and mailto addresses, any other address as escaped text
    (`safe_output.html_link`, the export layer's one rule for links)."""
    return Markup(html_link(url, label))


def own_words(written: str, page: str) -> Markup:
    """The attributes that mark a resident's words with the language they were written in when
    it is not the page's (`page`): ` lang="pl" dir="auto"`, or `dir="rtl"` for Urdu and Arabic,
    so a screen reader switches voice and a translator knows what they read. Nothing for words
    in the page's language or in none recorded: they inherit the page's."""
    if same_language(written, page):
        return Markup("")
    rtl = direction(written) == "rtl"
    return Markup(' lang="%s" dir="%s"') % (written.strip(), "rtl" if rtl else "auto")


@cache
def environment() -> jinja2.Environment:
    """The environment every page and report renders through."""
    env = _Environment(
        loader=_BesideTheirArea(),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.policies["ext.i18n.trimmed"] = True  # a message's line breaks are not the translator's
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    env.filters["link"] = link
    env.globals["own_words"] = own_words
    return env


def _gettext(translator: Translator):
    """`gettext` for templates, as Jinja's newstyle one: escaped values put into a translated
    (trusted) message by name."""

    @jinja2.pass_context
    def gettext(context: jinja2.runtime.Context, message: str, **variables: Any) -> str:
        text = translator.catalogue.gettext(message)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % translator.filled(variables)

    @jinja2.pass_context
    def ngettext(
        context: jinja2.runtime.Context, singular: str, plural: str, n: int, **variables: Any
    ) -> str:
        variables.setdefault("num", n)
        text = translator.catalogue.ngettext(singular, plural, n)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % translator.filled(variables)

    return gettext, ngettext


def render(
    package: str, template: str, /, *, translator: Translator = ENGLISH, **context: Any
) -> str:
    """The template `template` of `package` (its `templates/` folder) filled with `context`,
    its words in `translator`'s language."""
    gettext, ngettext = _gettext(translator)
    return (
        environment()
        .get_template(f"{package}{SEPARATOR}{template}")
        .render(gettext=gettext, ngettext=ngettext, tr=translator, **context)
    )


def macros(
    package: str, template: str, /, *, translator: Translator = ENGLISH, **context: Any
) -> Any:
    """The macros of `package`'s `template`, their words in `translator`'s language: a page
    that shows two languages side by side (a bilingual report) calls one language's and the
    other's in turn, each with its own catalogue."""
    gettext, ngettext = _gettext(translator)
    return (
        environment()
        .get_template(f"{package}{SEPARATOR}{template}")
        .make_module({"gettext": gettext, "ngettext": ngettext, "tr": translator, **context})
    )
