"""CSV downloads that are safe to open in a spreadsheet.

A cell starting with = + - @ tab or carriage return can run as a formula in Excel,
LibreOffice and Google Sheets (OWASP "CSV Injection"); a leading apostrophe makes the
spreadsheet show it as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from flask import Response

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
