"""Desktop layer: the only package that imports PySide6 — windows, Qt item models, dialogs, and the CLI."""
