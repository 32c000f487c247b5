"""A terminal bar chart of how far each commitment has got, with each value printed above its
bar, so the chart relies on neither colour nor judging bar heights."""

from __future__ import annotations

from textual_plotext import PlotextPlot

from assembly.core.i18n import _


class CommitmentProgress(PlotextPlot):
    """One bar per accepted or ongoing item, 0-100 %, labelled with the item number and value."""

    DEFAULT_CSS = """
    CommitmentProgress { height: 1fr; min-height: 8; }
    """

    def show(self, commitments: list[tuple[int, str, int, str]]) -> None:
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        if not commitments:
            plt.title(_("No accepted or ongoing commitments yet"))
            self.refresh()
            return
        labels = [f"#{i}" for i, *_rest in commitments]
        values = [p for _item, _title, p, _status in commitments]
        plt.bar(labels, values, width=0.6)
        for x, value in enumerate(values, start=1):
            plt.text(f"{value}%", x=x, y=min(value + 8, 104), alignment="center")
        plt.ylim(0, 110)
        # no tick labels: each bar carries its value, and on a short screen plotext picked a
        # different label for the one row it had room for from one drawing to the next
        # nor an axis label: on a laptop each row of text it takes is a row less of the bars
        plt.yticks([])
        plt.title(_("Progress of commitments, % (item numbers as in the Items list)"))
        self.refresh()
