"""Tables: small-group table plans. `search` is the pure algorithm (numpy, no database);
`plans` is the service that reads who is in the room, keeps pins and saves plans; plus the
commands and the screen.

May import: `assembly.core` and `assembly.store`; no other area. Only `screens/` may import
Textual and `assembly.ui`.
"""
