"""CSV and Excel downloads safe to open in a spreadsheet (docs/safety.md#spreadsheet-safety).

A cell starting with = + - @ tab or carriage return can run as a formula in Excel,
LibreOffice and Google Sheets (OWASP "CSV Injection"); so can one that starts with spaces
or control characters before such a sign, or with the full-width signs some spreadsheets
read the same way. Such cells get a leading apostrophe, which spreadsheets show as text.

A spreadsheet set to split on ";" or tabs would cut "Bob;=1+1" into "Bob" and "=1+1",
and run the second. So every CSV cell is quoted: a quoted cell is never split, whatever
separator the spreadsheet uses.

In XLSX every cell is written as a string, never a formula, and formula-like cells get the
"quote prefix" Excel itself sets when someone types an apostrophe. XML cannot carry most
control characters or the noncharacters U+FFFE and U+FFFF: they become U+FFFD in both
formats, or the workbook would not open.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from flask import Response
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")

#: Everything outside XML 1.0's Char production (tab, newline and carriage return stay).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: Spaces and control characters a spreadsheet may skip before reading a formula.
_IGNORABLE_LEAD = re.compile(r"^[\s\x00-\x1f\x7f-\x9f]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def clean_text(value: object) -> str:
    """The cell's text with characters no spreadsheet file can hold replaced by U+FFFD."""
    text = "" if value is None else str(value)
    return _NOT_XML.sub("\ufffd", text)


def looks_like_formula(text: str) -> bool:
    """A formula sign first, after any spaces, or a leading control character (OWASP)."""
    return bool(_IGNORABLE_LEAD.sub("", text).startswith(FORMULA_STARTS) or _CONTROL.match(text))


def neutralise(value: object) -> str:
    text = clean_text(value)
    return "'" + text if looks_like_formula(text) else text


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
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
    text = clean_text(value)
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # openpyxl would store "=..." as a formula otherwise
    if looks_like_formula(text):
        cell.quotePrefix = True
    return cell


def xlsx_download(content: bytes, *, filename: str) -> Response:
    response = Response(content, mimetype=XLSX_MIMETYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
