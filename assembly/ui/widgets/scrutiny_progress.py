"""A terminal bar chart of how far each commitment has got, with the numbers printed beside
each bar so the chart does not rely on colour or on reading bar lengths."""

from __future__ import annotations

from textual_plotext import PlotextPlot


class CommitmentProgress(PlotextPlot):
    """Horizontal bars: one per accepted or ongoing item, 0-100 %."""

    DEFAULT_CSS = """
    CommitmentProgress { height: 1fr; min-height: 8; }
    """

    def show(self, commitments: list[tuple[int, str, int, str]]) -> None:
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        if not commitments:
            plt.title("No accepted or ongoing commitments yet")
            self.refresh()
            return
        labels = [
            f"#{i} {title[:26]}{'…' if len(title) > 26 else ''} {p}%"
            for i, title, p, _ in commitments
        ]
        plt.bar(labels, [p for _, _, p, _ in commitments], orientation="horizontal", width=0.3)
        plt.xlim(0, 100)
        plt.xlabel("progress %")
        plt.title("Progress of commitments (accepted, in progress, done)")
        self.refresh()
