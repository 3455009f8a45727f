"""CSV and Excel downloads that are safe to open in a spreadsheet.

A cell starting with = + - @ tab or carriage return can run as a formula in Excel,
LibreOffice and Google Sheets (OWASP "CSV Injection"). In CSV a leading apostrophe makes the
spreadsheet show it as text; in XLSX every cell is written as a string, never a formula,
and such cells get the "quote prefix" Excel itself sets when someone types an apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from flask import Response
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()


def csv_download(content: str, *, filename: str) -> Response:
    # A byte-order mark so Excel reads UTF-8 names correctly.
    response = Response("\ufeff" + content, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def to_xlsx(header: Sequence[str], rows: Iterable[Sequence[object]], *, title: str) -> bytes:
    workbook = Workbook(write_only=True)
    # Fixed metadata: nothing about who made the file or when it was made.
    workbook.properties.creator = "Events"
    workbook.properties.created = datetime(2000, 1, 1, tzinfo=UTC).replace(tzinfo=None)
    sheet = workbook.create_sheet(title=title[:31])
    for row in [header, *rows]:
        sheet.append([_text_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text_cell(sheet: object, value: object) -> WriteOnlyCell:
    text = "" if value is None else str(value)
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # openpyxl would store "=..." as a formula otherwise
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def xlsx_download(content: bytes, *, filename: str) -> Response:
    response = Response(content, mimetype=XLSX_MIMETYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
