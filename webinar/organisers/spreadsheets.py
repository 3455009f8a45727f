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
import itertools
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import IO

from flask import Response

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


#: Rows per chunk of a streamed CSV: few enough writes to the socket, little memory.
CSV_CHUNK_ROWS = 500


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    return "".join(csv_chunks(header, rows))


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """The CSV a few hundred rows at a time, every cell quoted and neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([neutralise(cell) for cell in header])
    for number, row in enumerate(rows, start=1):
        writer.writerow([neutralise(cell) for cell in row])
        if number % CSV_CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_download(content: str | Iterator[str], *, filename: str) -> Response:
    """A download of CSV text, or of chunks streamed as they are made (then flat in memory)."""
    if isinstance(content, str):
        response = Response(BYTE_ORDER_MARK + content, mimetype="text/csv")
    else:
        response = Response(_after_byte_order_mark(content), mimetype="text/csv")
    return _attachment(response, filename)


#: So Excel reads UTF-8 names correctly.
BYTE_ORDER_MARK = "\ufeff"


def _after_byte_order_mark(chunks: Iterator[str]) -> Iterator[str]:
    # A generator, not itertools.chain: closing it (a download cut short) closes `chunks`.
    yield BYTE_ORDER_MARK
    yield from chunks


XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def write_xlsx(
    file: IO[bytes], header: Sequence[str], rows: Iterable[Sequence[object]], *, title: str
) -> None:
    """A workbook written row by row: openpyxl's write-only mode keeps the sheet in a
    temporary file, not in memory."""
    # Imported here: openpyxl is large, and only this download needs it.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES

    workbook = Workbook(write_only=True)
    # Fixed metadata: nothing about who made the file or when it was made.
    workbook.properties.creator = "Events"
    workbook.properties.created = datetime(2000, 1, 1, tzinfo=UTC).replace(tzinfo=None)
    sheet = workbook.create_sheet(title=title[:31])

    def text_cell(value: object) -> WriteOnlyCell | str:
        text = clean_text(value)
        # Plain text goes in as it is, the cheap way. openpyxl would store "=..." as a
        # formula and "#N/A" as an error, so those, and every formula-like cell, become
        # cells forced to text.
        if not looks_like_formula(text) and text not in ERROR_CODES:
            return text
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"
        cell.quotePrefix = looks_like_formula(text)
        return cell

    for row in itertools.chain([header], rows):
        sheet.append([text_cell(value) for value in row])
    workbook.save(file)


def to_xlsx(header: Sequence[str], rows: Iterable[Sequence[object]], *, title: str) -> bytes:
    """The finished workbook, built through a temporary file: the rows never sit in memory,
    only the compressed result (a few megabytes for 100,000 rows)."""
    # Bytes rather than an open file for the response: a response nobody closes (a test
    # client's) would leave the file to the garbage collector.
    with tempfile.TemporaryFile() as file:
        write_xlsx(file, header, rows, title=title)
        file.seek(0)
        return file.read()


def xlsx_download(content: bytes, *, filename: str) -> Response:
    return _attachment(Response(content, mimetype=XLSX_MIMETYPE), filename)


def _attachment(response: Response, filename: str) -> Response:
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
