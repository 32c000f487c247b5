"""The assembly application: one SQLite file per assembly, domain services, a CLI and a Textual UI.

Layers, from the bottom: `store` (the file and its schema), `domain` (the rules), then `cli` and
`ui` on top. Services never import the UI.
"""

__version__ = "0.1.0"
