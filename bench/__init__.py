"""Benchmarks of what the tray app costs, measured next to a bare PySide6 tray app.

Run ``python bench/run.py [--quick] [--json FILE]``; see ``bench/RESULTS.md``.
"""
