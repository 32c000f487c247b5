"""The Textual UI: thin screens over the domain services. Nothing below imports from here."""
