"""Every word the app shows goes through a catalogue (issue 22): a test fails on a string in the
package's source (screens, commands, services) that is neither marked for translation nor
marked as not words."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from assembly.core import i18n

AREAS = ("organiser", "agenda", "budgets", "sessions", "tables", "feedback", "invitations", "demo")
SCREENS = sorted(
    path
    for folder in ("ui", *(f"{area}/screens" for area in AREAS))
    for path in Path(i18n.PACKAGE, folder).rglob("*.py")
    if path.name != "__init__.py"
)
# The commands' messages (their --help is extracted from docstrings and help=: core/help_words.py).
COMMANDS = sorted(
    {
        *Path(i18n.PACKAGE).glob("*/commands.py"),
        *Path(i18n.PACKAGE).glob("*/*_commands.py"),
        Path(i18n.PACKAGE, "agenda", "room", "commands.py"),
        Path(i18n.PACKAGE, "cli.py"),
        Path(i18n.PACKAGE, "core", "cli_support.py"),
    }
)
# Everything else the package says: services' messages and errors, labels, explanations. The
# example's content (`demo/part_*.py`) is what its residents and officers wrote, kept as written.
SERVICES = sorted(
    path
    for path in Path(i18n.PACKAGE).rglob("*.py")
    if path not in {*SCREENS, *COMMANDS}
    and not (path.parent.name == "demo" and path.name.startswith("part_"))
)
FILES = [*SCREENS, *COMMANDS, *SERVICES]
# A line ending in this comment holds no words to translate (a format, a product's name).
AS_WRITTEN = "# not words"
MARKERS = {"_", "N_", "NP_", "ngettext", "gettext", "pgettext"}
# Calls whose arguments are names the code uses, never shown.
NAMES = {
    "query",
    "query_one",
    "query_exactly_one",
    "add_class",
    "remove_class",
    "has_class",
    "set_class",
    "toggle_class",
    "run_action",
    "get_child_by_id",
    "get_widget_by_id",
    "switch_mode",
    "add_mode",
    "getattr",
    "setattr",
    "hasattr",
    "strftime",
    "strptime",
    "Path",
    "open",
    "startswith",
    "endswith",
    "split",
    "rsplit",
    "replace",
    "strip",
    "rstrip",
    "lstrip",
    "join",
    "get",
    "pop",
    "setdefault",
    "index",
    "find",
    "count",
    "format",
    "isinstance",
    "post_message",
    "call_after_refresh",
    "set_interval",
    "set_timer",
    "Color",
    "Style",
    "parse",
    "fromisoformat",
    "compile",
    "match",
    "fullmatch",
    "search",
    "sub",
    "execute",
    "table",
    "query_rows",
    "rows_where",
    "run_worker",
    "work",
    "getLogger",
    "TypeVar",
    "cast",
    # click's declarations: option names, and help read before any file is open
    "option",
    "argument",
    "Choice",
    "command",
    "group",
    "version_option",
    "pass_context",
    # Textual's message handlers name a widget's id: `@on(Select.Changed, "#form-method")`
    "on",
}
# Keyword arguments that name, style or choose, never shown.
NAME_KEYWORDS = {
    # an HTTP response's type, a cookie's policy, a foreign key's action, a program's name
    "content_type",
    "charset",
    "samesite",
    "headers",
    "on_update",
    "on_delete",
    "prog",
    "id",
    "classes",
    "name",
    "variant",
    "severity",
    "key",
    "action",
    "group",
    "cursor_type",
    "exclusive",
    "thread",
    "exit_on_error",
    "kind",
    "encoding",
    "mode",
    "newline",
    "start_in",
    "language",
    "theme",
    "orientation",
    "sep",
    "end",
    "column_key",
    "row_key",
    "key_display",
    "help",
    "metavar",
    "envvar",
    "type",
    "default",
    "show_default",
}
# Class attributes that are styles or ids.
NAME_ASSIGNMENTS = {
    "__all__",
    "DEFAULT_CSS",
    "CSS",
    "CSS_PATH",
    "FIELD_ID",
    "AUTO_FOCUS",
    "DEFAULT_CLASSES",
}
# SQL the code runs, never shown.
SQL = re.compile(
    r"^\s*(CREATE|SELECT|INSERT|UPDATE|DELETE|WITH|ALTER|DROP|PRAGMA|BEGIN|COMMIT|ROLLBACK)\b",
    re.IGNORECASE,
)
LOOKS_LIKE_WORDS = re.compile(r"[A-Za-z]{2,}[^A-Za-z_()'\[\]{}.#=]+[A-Za-z]|\b[A-Z][a-z]{2,}")


def _docstrings(tree: ast.AST) -> set[int]:
    """Strings standing as statements: docstrings of modules, classes, functions, attributes."""
    return {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def unmarked(source: str) -> list[tuple[int, str]]:
    """(line, text) of each string in `source` that reads as words and is not marked: not in
    `_()`, `N_()`, `NP_()` or `ngettext()`, not a key's description (`Binding`'s third argument),
    not a docstring, a style, an id or a name the code uses. An f-string with words is always
    reported, marked or not: its pieces cannot be looked up in a catalogue."""
    tree = ast.parse(source)
    lines = source.splitlines()
    skip: set[int] = _docstrings(tree)
    fstrings: list[ast.JoinedStr] = []

    def skip_all(node: ast.AST) -> None:
        for inner in ast.walk(node):
            if not isinstance(inner, ast.JoinedStr):
                skip.add(id(inner))

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _name(node.func)
            if name in MARKERS:
                for arg in (
                    node.args[:2] if name in {"NP_", "ngettext", "pgettext"} else node.args[:1]
                ):
                    skip_all(arg)
            elif name == "Binding":
                for arg in node.args[:3]:
                    skip_all(arg)
            elif name in NAMES:
                for arg in node.args:
                    skip_all(arg)
            for keyword in node.keywords:
                if keyword.arg in NAME_KEYWORDS:
                    skip_all(keyword.value)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id in NAME_ASSIGNMENTS for t in targets):
                skip_all(node)
        elif (
            isinstance(node, ast.Dict)
            and node.values
            and all(isinstance(v, ast.Call) and _name(v.func) in MARKERS for v in node.values)
        ):  # {"stored-code": N_("Shown words")}: the keys are codes the code stores
            for key in node.keys:
                if key is not None:
                    skip_all(key)
        elif isinstance(node, ast.Subscript):  # row["column"], mapping["key"]
            skip_all(node.slice)
        elif isinstance(node, ast.Compare):  # which == "import"
            for part in (node.left, *node.comparators):
                skip_all(part)
        elif isinstance(node, ast.JoinedStr):
            fstrings.append(node)
            for value in node.values:
                skip.add(id(value))

    def as_written(node: ast.AST) -> bool:
        return any(
            lines[n - 1].rstrip().endswith(AS_WRITTEN)
            for n in range(node.lineno, (node.end_lineno or node.lineno) + 1)
        )

    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) in skip or as_written(node):
                continue
            if LOOKS_LIKE_WORDS.search(node.value) and not SQL.match(node.value):
                found.append((node.lineno, node.value))
    for node in fstrings:
        words = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
        if LOOKS_LIKE_WORDS.search(words) and not SQL.match(words) and not as_written(node):
            found.append((node.lineno, ast.unparse(node)))
    return sorted(found)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(i18n.PACKAGE)))
def test_every_word_shown_is_marked(path: Path) -> None:
    """Mark a string with `_()` (named placeholders: `_("%(n)s seats", n=Number(n))`), or end
    its line with `# not words` when it is a name the code uses."""
    assert unmarked(path.read_text(encoding="utf-8")) == []


def test_the_check_finds_unmarked_words() -> None:
    source = '''
"""A docstring, not shown."""
from textual.binding import Binding
CSS = "Screen { width: 1fr; }"
BINDINGS = [Binding("i", "open('import')", "Import")]
def f(n, row):
    Static(_("Marked words"), id="summary-line", classes="section title")
    Static("Unmarked words")
    Static(f"{n} people waiting")
    Static(_(f"{n} marked but built"))
    self.query_one("#pool counts")
    if row["Category name"] == "Some value":
        pass
    return "Assembly"  # not words
LABELS = {"greedy-no-skip": N_("Greedy, no skip"), "Some Key": "Unmarked value"}
CODES = {"mes-add1": N_("Equal Shares")}
'''
    # a dict that is not all labels keeps its keys checked (line 15); one of labels does not
    assert [line for line, _text in unmarked(source)] == [8, 9, 10, 15, 15, 15]
