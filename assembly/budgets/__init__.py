"""Participatory budgeting, counted: read and write Pabulib files and count them by greedy or the
Method of Equal Shares, exactly, with a plain-English reason for every project's fate.

The counting core (election, pbfile, profile, ties, outcome, greedy, mes, completion, explain,
report, rules) imports nothing of the app, Textual or sqlite (a test checks that). The app's
part builds on it: `schema`, `rounds` (a PB round and its projects), `ballots`, `results`
(count, overrides, delivery), `publish`, the commands and `screens/`.
"""
