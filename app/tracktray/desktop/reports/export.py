"""Writing a report to CSV (UTF-8 with a BOM) or XLSX (XlsxWriter, imported on use).

The BOM makes spreadsheet programs read accents right when they open the CSV with a
double click. XlsxWriter is imported only when a person exports to XLSX; without it
the export says how to get it. Both run on a worker thread (they write to disk).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from tracktray.domain import Block
from tracktray.domain.summary import ReportSummary, decimal_hours, hours_minutes
from tracktray.i18n import _

__all__ = ["COLUMNS", "block_row", "block_rows", "write_csv", "write_xlsx"]

# not translated: export columns stay the same in every language, for spreadsheets and scripts
COLUMNS = ("Date", "From", "To", "Tracker", "Description", "Kind", "Duration", "Hours")

TrackerName = Callable[[int | None], str]


def block_rows(summary: ReportSummary, tracker_name: TrackerName) -> list[list[object]]:
    return [block_row(b, tracker_name) for b in summary.blocks]


def block_row(block: Block, tracker_name: TrackerName) -> list[object]:
    return [
        block.time_in.date().isoformat(),
        block.time_in.strftime("%H:%M"),
        block.time_out.strftime("%H:%M") if block.time_out else "running",
        tracker_name(block.tracker_id),
        block.description,
        "free" if block.free else "worked",
        hours_minutes(block.total_s),
        decimal_hours(block.total_s),
    ]


def write_csv(path: Path, summary: ReportSummary, tracker_name: TrackerName) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for row in block_rows(summary, tracker_name):
            writer.writerow([str(v) for v in row])
    return path


def write_xlsx(path: Path, summary: ReportSummary, tracker_name: TrackerName) -> Path:
    try:
        import xlsxwriter
    except ImportError:
        raise RuntimeError(
            _(
                "XLSX export needs the XlsxWriter package (pip install XlsxWriter); "
                "CSV export works without it."
            )
        ) from None
    book = xlsxwriter.Workbook(str(path))
    try:
        bold = book.add_format({"bold": True})
        hours = book.add_format({"num_format": "0.00"})
        sheet = book.add_worksheet("Blocks")
        sheet.write_row(0, 0, COLUMNS, bold)
        for index, row in enumerate(block_rows(summary, tracker_name), start=1):
            *text, decimal = row
            sheet.write_row(index, 0, [str(v) for v in text])
            sheet.write_number(index, len(text), float(str(decimal)), hours)
        sheet.set_column(0, 2, 11)
        sheet.set_column(3, 4, 30)
        totals = book.add_worksheet("Trackers")
        # not translated: the same columns in every language, like COLUMNS
        totals.write_row(
            0, 0, ("Tracker", "Worked", _("Worked hours"), "Free", _("Free hours")), bold
        )
        for index, t in enumerate(summary.trackers, start=1):
            totals.write(index, 0, t.name)
            totals.write(index, 1, hours_minutes(t.worked_s))
            totals.write_number(index, 2, float(decimal_hours(t.worked_s)), hours)
            totals.write(index, 3, hours_minutes(t.free_s))
            totals.write_number(index, 4, float(decimal_hours(t.free_s)), hours)
        totals.set_column(0, 0, 30)
    finally:
        book.close()
    return path
