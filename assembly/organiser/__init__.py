"""Organiser: from a pool of respondents to a panel. Importing and browsing the pool, quotas,
the draw and its evidence, members and their replacements, support and costs, privacy purges
and member exports; the commands and screens for all of it.

May import: `assembly.core`, `assembly.store` and `sortition`; no other area. Only `screens/`
may import Textual and `assembly.ui` (and the feedback log's screen, opened from the home).
"""
