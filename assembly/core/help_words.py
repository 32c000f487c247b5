"""Which strings of the source are a command's --help, for the catalogue's template.

Babel's Python extractor finds what is marked with `_()`; click reads a command's help from
its function's docstring and an option's from `help=`, which nothing marks. This extractor
yields those as well, exactly as click shows them (`inspect.cleandoc`), so each command's help
can be looked up in the working language (`assembly.core.cli_language`).
"""

from __future__ import annotations

import ast
import inspect
import io
from collections.abc import Iterator
from typing import IO

from babel.messages.extract import extract_python

# click's declarations whose `help=` (and, for commands, docstring) is shown by --help.
DECLARATIONS = {"command", "group", "option", "argument"}
HELP_KEYWORDS = ("help", "short_help")


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def help_texts(source: str) -> Iterator[tuple[int, str]]:
    """(line, text) of every --help text in `source`: the `help=` and `short_help=` strings of
    click's declarations, and the docstring of each command that has no `help=`."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _name(node.func) in DECLARATIONS:
            for keyword in node.keywords:
                value = keyword.value
                if (
                    keyword.arg in HELP_KEYWORDS
                    and isinstance(value, ast.Constant)
                    and isinstance(value.value, str)
                    and value.value
                ):
                    yield value.lineno, inspect.cleandoc(value.value)
        elif isinstance(node, ast.FunctionDef):
            declared = [
                d
                for d in node.decorator_list
                if isinstance(d, ast.Call) and _name(d.func) in {"command", "group"}
            ]
            if not declared or any(k.arg == "help" for d in declared for k in d.keywords):
                continue
            docstring = ast.get_docstring(node, clean=True)
            if docstring:
                yield node.body[0].lineno, docstring


def extract_python_and_help(
    fileobj: IO[bytes], keywords, comment_tags, options
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel's Python extraction, then the file's --help texts."""
    data = fileobj.read()
    yield from extract_python(io.BytesIO(data), keywords, comment_tags, options)
    encoding = options.get("encoding", "utf-8")
    for lineno, text in help_texts(data.decode(encoding)):
        yield lineno, "", text, []
