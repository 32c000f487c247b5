"""Textual screens of this area: thin over the area's services."""
