"""The desktop widget: the only package that imports Qt (PySide6)."""
