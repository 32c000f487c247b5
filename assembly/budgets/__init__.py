"""Participatory budgeting, counted: read and write Pabulib files and count them by greedy or the
Method of Equal Shares, exactly, with a plain-English reason for every project's fate.

The pure core: nothing here imports the app, Textual or sqlite (a test checks that).
"""
