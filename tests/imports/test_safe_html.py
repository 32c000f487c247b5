"""Every HTML page and report the app makes renders through one Jinja2 environment, which
escapes what people typed: the room's phone pages and printed cards, the "you said, we did"
report and the pages `assembly serve` sends."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import jinja2
import pytest
from markupsafe import Markup

from assembly.agenda.room import pages
from assembly.agenda.room import submissions as room
from assembly.agenda.room.qr import qr_svg
from assembly.core import html
from assembly.core.clock import FixedClock
from assembly.feedback import writes as feedback_log
from assembly.feedback.reports import build_report, to_html
from assembly.store import create_assembly

SCRIPT = '<script>alert("x")</script>'
ASSEMBLY = Path(__file__).resolve().parents[2] / "assembly"


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates the one environment loads while a test runs (as asked for:
    a page's own layout is named without its package)."""
    environment = html.environment()
    seen: list[str] = []
    get_template = environment.get_template

    def spy(name, *args, **kwargs):
        seen.append(str(name))
        return get_template(name, *args, **kwargs)

    monkeypatch.setattr(environment, "get_template", spy)
    return seen


def _room_pages() -> dict[str, Callable[[], str]]:
    ctx = pages.PageContext(SCRIPT, "en-GB", SCRIPT, True, True)
    problem = pages.Problem(SCRIPT, "title")
    options = [pages.Option(1, SCRIPT, SCRIPT), pages.Option(2, "Second")]

    def view(method: str) -> pages.VoteView:
        pair = (options[0], pages.Option(2, SCRIPT, SCRIPT)) if method == "pairwise" else None
        return pages.VoteView(3, SCRIPT, SCRIPT, method, SCRIPT, 3, options, pair=pair)

    votes = {
        f"vote ({method})": lambda method=method: pages.vote_page(
            ctx, view(method), error=pages.Problem(SCRIPT), values={"dots-1": SCRIPT}
        )
        for method in ("dot", "approval", "borda", "pairwise")
    }
    visitor = pages.PageContext(SCRIPT, "en-GB", "", False, True)
    return {
        "start": lambda: pages.start_page(ctx, vote_title=SCRIPT),
        "start with an error": lambda: pages.start_page(visitor, error=SCRIPT, code=SCRIPT),
        "propose": lambda: pages.propose_page(
            ctx, error=problem, title=SCRIPT, description=SCRIPT, done=SCRIPT
        ),
        "no vote": lambda: pages.no_vote_page(ctx, closed=True, error=SCRIPT),
        **votes,
        "recorded": lambda: pages.recorded_page(
            ctx, [SCRIPT], replaced=True, at=SCRIPT, pairwise=False
        ),
        "results": lambda: pages.results_page(
            ctx, [(SCRIPT, SCRIPT, [(1, pages.Option(1, SCRIPT, SCRIPT), SCRIPT)])]
        ),
        "message": lambda: pages.message_page(ctx, SCRIPT, SCRIPT, back=SCRIPT),
        "projector": lambda: pages.projector_page(ctx, SCRIPT, qr_svg(SCRIPT), SCRIPT),
    }


def _assert_escaped(text: str) -> None:
    assert "<script" not in text.lower()
    assert "&lt;script&gt;" in text


@pytest.mark.parametrize("name", list(_room_pages()))
def test_every_room_page_renders_through_the_one_environment(name: str, rendered) -> None:
    text = _room_pages()[name]()
    assert rendered and rendered[0].startswith("assembly.agenda.room:"), rendered
    assert text.startswith("<!doctype html>\n")
    _assert_escaped(text)


def test_room_cards_escape_names_and_render_through_the_one_environment(
    monkeypatch: pytest.MonkeyPatch, rendered
) -> None:
    monkeypatch.setattr(room, "_names", lambda db, ids: {1: {"name": SCRIPT}})
    issued = [room.IssuedCode(1, 1, "KM7P-RX3D")]
    text = room.cards_html(None, issued, assembly_name=SCRIPT, url=SCRIPT)
    # each card by its language's macros, then the sheet: both through the one environment
    assert rendered == ["assembly.agenda.room:card_parts.html", "assembly.agenda.room:cards.html"]
    _assert_escaped(text)
    assert "KM7P-RX3D" in text


def test_the_report_renders_through_the_one_environment(tmp_path: Path, rendered) -> None:
    clock = FixedClock(datetime(2026, 10, 1, 9, 0, tzinfo=UTC))
    assembly = create_assembly(tmp_path / "r.assembly.db", name=SCRIPT, clock=clock)
    db = assembly.db()
    item = feedback_log.track(
        db,
        title=SCRIPT,
        description=SCRIPT,
        source_kind="recommendation",
        source_id=1,
        actor=SCRIPT,
        clock=clock,
        responsible_body=SCRIPT,
        due="2026-10-20",
    )
    feedback_log.record(
        db,
        item,
        actor=SCRIPT,
        clock=clock,
        status="accepted",
        response=SCRIPT,
        milestone=("2027-03-06", SCRIPT),
        evidence=(f"javascript:{SCRIPT}", SCRIPT),
    )
    text = to_html(build_report(db, date(2026, 11, 1), include_names=True))
    assembly.close()
    # the page and its one-language parts (a bilingual report calls two sets of them)
    assert rendered == ["assembly.feedback:report_parts.html", "assembly.feedback:report.html"]
    _assert_escaped(text)
    assert "<a " not in text  # a javascript: address is shown, never linked


async def test_serve_pages_render_through_the_one_environment(rendered) -> None:
    from aiohttp.test_utils import TestClient, TestServer

    from assembly.feedback.web import ScrutinyServer

    server = ScrutinyServer("true", token="t" * 32, title=SCRIPT)
    async with TestClient(TestServer(await server._make_app(), host="127.0.0.1")) as client:
        index = await (await client.get(f"/{server.token}/")).text()
        refused = await (await client.get("/elsewhere")).text()
    assert rendered == ["assembly.feedback.web:app_index.html", "assembly.feedback.web:page.html"]
    assert SCRIPT not in index and "&lt;script&gt;" in index
    assert "<h1>Access link needed</h1>" in refused


def test_the_environment_escapes_and_refuses_unknown_names() -> None:
    environment = html.environment()
    assert environment.autoescape("page.html") and not environment.autoescape("page.txt")
    assert environment.undefined is jinja2.StrictUndefined
    template = environment.from_string("<p>{{ missing }}</p>")
    with pytest.raises(jinja2.UndefinedError):
        template.render()
    assert html.link("javascript:alert(1)", SCRIPT) == Markup(
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; (javascript:alert(1))"
    )


def test_no_module_writes_html_pages_itself() -> None:
    """HTML documents come from templates, not from strings in Python modules."""
    for module in ASSEMBLY.rglob("*.py"):
        text = module.read_text(encoding="utf-8")
        assert not re.search(r"<!doctype|<html[\s>]|<body[\s>]", text, re.I), module
        assert "aiohttp_jinja2" not in text, module  # its own environment: a second one
        if module != ASSEMBLY / "core" / "safe_output.py":  # the export layer's one escaper
            assert "html.escape" not in text, module


def test_templates_live_beside_their_area_and_ship_as_package_data() -> None:
    import tomllib

    pyproject = tomllib.loads((ASSEMBLY.parent / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = pyproject["tool"]["setuptools"]["package-data"]["assembly"]
    assert "**/*.html" in shipped
    templates = sorted(ASSEMBLY.rglob("*.html"))
    assert templates
    assert all(t.parent.name == "templates" for t in templates), templates
    assert all((t.parent.parent / "__init__.py").is_file() for t in templates), templates
    dependencies = " ".join(pyproject["project"]["dependencies"]).lower()
    assert "jinja2" in dependencies and "markupsafe" in dependencies
