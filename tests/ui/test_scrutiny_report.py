"""Scrutiny: the dashboard writes the "you said, we did" report (Markdown, HTML, CSV) next to
the file and says where; in a browser (textual-serve) the same files are downloads; Escape
leaves the search box so d, i and o work again."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from assembly.store import open_assembly
from assembly.ui.app import AssemblyApp


async def test_report_written_next_to_the_file(demo_path: Path) -> None:
    app = AssemblyApp(open_assembly(demo_path, read_only=True))
    notes = []
    app.notify = lambda message, **kw: notes.append(message)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
    written = sorted(p.name for p in demo_path.parent.glob("*you-said-we-did*"))
    stem = demo_path.name.removesuffix(".db").removesuffix(".assembly")
    assert written == [f"{stem}-you-said-we-did.{x}" for x in ("csv", "html", "md")]
    assert any(str(demo_path.parent) in n and "you-said-we-did.html" in n for n in notes)
    html = (demo_path.parent / f"{stem}-you-said-we-did.html").read_text()
    assert "<html" in html.lower()


async def test_report_downloads_in_the_browser(demo_path: Path, monkeypatch) -> None:
    import assembly.ui.app as app_module

    class WebApp(AssemblyApp):
        CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))
        is_web = True

    app = WebApp(open_assembly(demo_path, read_only=True))
    delivered = []
    monkeypatch.setattr(
        app, "deliver_text", lambda f, **kw: delivered.append((kw["save_filename"], f.read()))
    )
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
    assert sorted(name.rsplit(".", 1)[1] for name, _ in delivered) == ["csv", "html", "md"]
    assert not list(demo_path.parent.glob("*you-said-we-did*"))


async def test_escape_leaves_the_search_box(demo_path: Path) -> None:
    app = AssemblyApp(open_assembly(demo_path, read_only=True))
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("i")
        await pilot.press("slash")
        await pilot.pause()
        search = app.screen.query_one("#search", Input)
        assert search.has_focus
        await pilot.press("escape")
        await pilot.pause()
        assert not search.has_focus
        await pilot.press("d")
        await pilot.pause()
        assert search.value == ""
        assert app.screen.query_one("TabbedContent").active == "dashboard"


async def test_dashboard_at_80x24_keeps_statuses_and_the_chart(demo_path: Path) -> None:
    """At 80x24 the status columns after 'Accept' and the progress chart were off screen."""
    from textual.widgets import DataTable

    from assembly.feedback.screens.scrutiny_progress import CommitmentProgress

    app = AssemblyApp(open_assembly(demo_path, read_only=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        bodies = screen.query_one("#bodies", DataTable)
        labels = [str(c.label) for c in bodies.columns.values()]
        widths = [c.get_render_width(bodies) for c in bodies.columns.values()]
        assert "Answers" in labels and sum(widths) <= 80
        answers = [str(bodies.get_row_at(r)[labels.index("Answers")]) for r in range(2)]
        assert all(answers) and any("Done" in a or "Accept" in a for a in answers)
        chart = screen.query_one(CommitmentProgress)
        assert chart.region.height >= 5 and chart.region.bottom <= 23


def test_answers_in_words_stop_at_the_width_in_whole_words() -> None:
    """The bodies table's totals row ran 73 characters wide at 80 columns, past the screen."""
    from assembly.feedback.screens.scrutiny import answers_in_words

    class Body:
        counts = {"done": 2, "in_progress": 3, "accepted": 1, "received": 8}

        def count(self, status: str) -> int:
            return self.counts.get(status, 0)

    assert answers_in_words(Body()) == "Done 2 · InProg 3 · Accept 1 · Rec'd 8"
    assert answers_in_words(Body(), 20) == "Done 2 +3 more"
    assert answers_in_words(Body(), 26) == "Done 2 · InProg 3 +2 more"
