"""The assembly application: one SQLite file per assembly, one folder per area, a CLI and a
Textual UI.

Layers, from the bottom: `core` (clock, shared helpers) and `store` (the file and its
migrations), then one folder per area of the assembly's life (`organiser`, `agenda`, `sessions`,
`tables`, `feedback`: schema, services, commands, screens), then `cli` and `ui` on top. Services
never import the UI. Importing the package registers every area's migrations with the store
(`assembly.schema`), whichever module is imported first.
"""

from assembly import schema
from assembly.store import migrations

migrations.register(schema.MIGRATIONS)

__version__ = "0.1.0"
