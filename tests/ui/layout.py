"""What a user at a terminal size could not see of a screen: the layout check every screen walk
makes (the snapshot walk in English, and the walks in Welsh and the pseudo-locale)."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import DataTable, ListView, OptionList


def shown_at_all(widget) -> bool:
    """False inside a hidden tab or any other container that is not displayed."""
    return all(node.display for node in widget.ancestors_with_self if hasattr(node, "display"))


def layout_problems(screen: Screen) -> list[str]:
    """What a user at this size could not see: data-holding tables with no row on screen, and
    footer keys cut at the right edge."""
    problems = []
    visible = screen.region
    for table in screen.query(DataTable):
        if not shown_at_all(table) or table.row_count == 0:
            continue
        shown = table.content_region.intersection(visible).height
        if table.show_header:
            shown -= table.header_height
        if shown < 1:
            problems.append(f"table #{table.id} holds {table.row_count} rows but shows none")
    for listing in [*screen.query(ListView), *screen.query(OptionList)]:
        count = len(listing) if isinstance(listing, ListView) else listing.option_count
        if (
            shown_at_all(listing)
            and count
            and listing.content_region.intersection(visible).height < 1
        ):
            problems.append(f"list #{listing.id} holds {count} entries but shows none")
    footer_keys = screen.query("FooterKey")  # by type name: Textual does not export the class
    # a key the footer hides for want of room is not cut: the purpose line and Ctrl+P name it
    keys = [k for k in footer_keys if not k.has_class("-command-palette") and k.display]
    palette = [k for k in footer_keys if k.has_class("-command-palette")]
    right = palette[0].region.x if palette else visible.right
    for key in keys:
        if key.region.right > right or key.region.width == 0:
            problems.append(f"footer key {key.key_display} {key.description!r} is cut")
    return problems
