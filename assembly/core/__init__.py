"""Shared pieces every area uses, kept few: the clock (times stored in UTC, shown in the
assembly's zone), money as people read it, safe output for files opened in Excel or published
on a council website, the core tables every area reads (the assembly, its respondents and panel
members) and the plain error messages of the `assembly` command.

May import: `assembly.store` and outside libraries. Never an area, never the UI.
"""
