"""XlsxWriter (constant memory) against openpyxl (write-only) on the same archive.

Why ``export --format xlsx`` uses XlsxWriter: each library writes every article of the
archive as typed cells (text as text, integers as numbers, ``published`` as a date,
``url`` as a hyperlink), each in its own child process so peak RSS is its alone.

    python -m bench.xlsx_writers bench/results/archive-100000.db

``python -m bench.xlsx_writers DB --writer xlsxwriter|openpyxl OUT`` is the child.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

from bench import children

WRITERS = ("xlsxwriter", "openpyxl")


def _rows(db_path: str):
    import sqlite3

    conn = sqlite3.connect(db_path)
    cursor = conn.execute("SELECT * FROM articles ORDER BY published, url")
    return [d[0] for d in cursor.description], cursor


def _published(value):
    if value and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def write_xlsxwriter(db_path: str, out: str) -> None:
    import xlsxwriter

    columns, rows = _rows(db_path)
    book = xlsxwriter.Workbook(out, {"constant_memory": True})
    sheet = book.add_worksheet("articles")
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    for c, name in enumerate(columns):
        sheet.write_string(0, c, name)
    links = 0
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, int):
                sheet.write_number(r, c, value)
            elif columns[c] == "published" and isinstance(_published(value), date):
                sheet.write_datetime(r, c, _published(value), day)
            elif columns[c] == "url" and links < 65_530:
                sheet.write_url(r, c, value, None, value)
                links += 1
            else:
                sheet.write_string(r, c, value[:32_767])
    book.close()


def write_openpyxl(db_path: str, out: str) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    columns, rows = _rows(db_path)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("articles")
    sheet.append(columns)
    links = 0
    for row in rows:
        cells = []
        for c, value in enumerate(row):
            if columns[c] == "published":
                value = _published(value)
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula
                if columns[c] == "url" and links < 65_530:
                    cell.hyperlink = value
                    links += 1
            elif isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
    book.save(out)


def compare(db: Path, log=print) -> dict:
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for writer in WRITERS:
            out = Path(tmp) / f"{writer}.xlsx"
            child = children.python(
                "-m", "bench.xlsx_writers", str(db), "--writer", writer, str(out)
            )
            if child.returncode != 0:
                results[writer] = {"error": child.stderr[-500:]}
                log(f"  {writer}: failed: {child.stderr[-300:]}")
                continue
            results[writer] = {
                "wall_s": child.wall_s,
                "peak_rss_mb": child.peak_rss_mb,
                "mb": out.stat().st_size / 1e6,
            }
            log(
                f"  {writer:10}: {child.wall_s:6.1f} s, peak RSS {child.peak_rss_mb:6.1f} MB, "
                f"{results[writer]['mb']:,.0f} MB written"
            )
    return results


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[2] == "--writer":
        {"xlsxwriter": write_xlsxwriter, "openpyxl": write_openpyxl}[sys.argv[3]](
            sys.argv[1], sys.argv[4]
        )
    else:
        compare(Path(sys.argv[1]))
