"""Integrity: `assembly verify`, one check of everything in an assembly file (no UI here)."""
