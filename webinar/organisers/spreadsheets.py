"""CSV and Excel downloads safe to open in a spreadsheet (docs/safety.md#spreadsheet-safety).

A cell starting with = + - @ tab or carriage return can run as a formula in Excel,
LibreOffice and Google Sheets (OWASP "CSV Injection"); so can one that starts with spaces
or control characters before such a sign, or with the full-width signs some spreadsheets
read the same way. Such cells get a leading apostrophe, which spreadsheets show as text.

A spreadsheet set to split on ";" or tabs would cut "Bob;=1+1" into "Bob" and "=1+1",
and run the second. So every CSV cell is quoted: a quoted cell is never split, whatever
separator the spreadsheet uses.

In XLSX every cell is written as a string, never a formula or an error code like "#N/A",
and formula-like cells get the "quote prefix" Excel itself sets when someone types an
apostrophe. XML cannot carry most control characters or the noncharacters U+FFFE and
U+FFFF: they become U+FFFD in both formats, or the workbook would not open.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import IO, Any

from flask import Response

#: Everything outside XML 1.0's Char production (tab, newline and carriage return stay).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: A formula sign after any spaces or control characters a spreadsheet may skip, or a
#: control character first (tab, carriage return and newline among them). One match per
#: cell: a workbook of 100,000 bookings checks 800,000 cells.
_FORMULA_LIKE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]*[=+\-@＝＋－＠]|[\x00-\x1f\x7f-\x9f]")


def clean_text(value: object) -> str:
    """The cell's text with characters no spreadsheet file can hold replaced by U+FFFD."""
    text = value if type(value) is str else "" if value is None else str(value)
    return _NOT_XML.sub("\ufffd", text) if _NOT_XML.search(text) else text


def looks_like_formula(text: str) -> bool:
    """A formula sign first, after any spaces, or a leading control character (OWASP)."""
    return _FORMULA_LIKE.match(text) is not None


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
    """A workbook written row by row: XlsxWriter's constant_memory mode sends each row to
    a temporary file once the next one starts, so memory stays flat at any size
    (docs/architecture.md#one-event-with-100000-bookings)."""
    # Imported here: only this download needs it, and the app starts faster without it.
    import xlsxwriter

    # XlsxWriter keeps finished rows (names, addresses, answers) in named temporary files
    # that only close() removes: a folder of our own, removed whatever happens, means a
    # failed download leaves no attendee's details on disk (docs/safety.md#retention).
    with tempfile.TemporaryDirectory(prefix="attendees-") as folder:
        workbook = xlsxwriter.Workbook(file, {"constant_memory": True, "tmpdir": folder})
        try:
            _write_rows(workbook, header, rows, title=title)
        finally:
            workbook.close()


def _write_rows(
    workbook: Any, header: Sequence[str], rows: Iterable[Sequence[object]], *, title: str
) -> None:
    # Fixed metadata: nothing about who made the file or when it was made.
    workbook.set_properties({"author": "Events", "created": datetime(2000, 1, 1)})
    sheet = workbook.add_worksheet(title[:31])
    quoted = workbook.add_format({"quote_prefix": True})
    # write_string stores text as text whatever it looks like ("=1+1", "#N/A", "007"), so
    # only formula-like cells need anything more: the quote prefix.
    write = sheet.write_string
    for row_number, row in enumerate(itertools.chain([header], rows)):
        for column, value in enumerate(row):
            text = clean_text(value)
            if not text:
                continue  # a blank cell, as Excel itself stores an empty one
            if looks_like_formula(text):
                write(row_number, column, text, quoted)
            else:
                write(row_number, column, text)


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
