"""Spreadsheet-safe CSV and Excel (OWASP CSV injection, characters XML cannot carry)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook

from tests.factories import Factory
from tests.organisers.conftest import sign_in
from webinar.extensions import db
from webinar.models import Organiser
from webinar.organisers.spreadsheets import neutralise, to_csv, to_xlsx


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+44 1234", "'+44 1234"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("\ncmd", "'\ncmd"),
        ("  =1+1", "'  =1+1"),
        ("\x85cmd", "'\x85cmd"),
        ("\x00=1", "\ufffd=1"),
        ("＝1+1", "'＝1+1"),
        ("Jane", "Jane"),
        ("a=b", "a=b"),
        (None, ""),
        (3, "3"),
    ],
)
def test_cells_that_could_run_as_formulas_start_with_an_apostrophe(
    value: object, expected: str
) -> None:
    assert neutralise(value) == expected


def test_csv_quotes_every_cell_and_neutralises_formulas() -> None:
    assert to_csv(["Name", "=Header"], [["Smith, J", "-1"]]) == (
        '"Name","\'=Header"\r\n"Smith, J","\'-1"\r\n'
    )


@pytest.mark.parametrize("separator", [",", ";", "\t", "|"])
def test_a_formula_after_a_separator_stays_inside_its_quoted_cell(separator: str) -> None:
    """A spreadsheet set to split on ";" (or tabs) would otherwise run "=1+1"."""
    content = to_csv(["Name"], [[f"Bob{separator}=1+1"]])
    assert content.splitlines()[1] == f'"Bob{separator}=1+1"'
    reader = csv.reader(io.StringIO(content), delimiter=separator)
    rows = list(reader)
    assert rows[1] == [f"Bob{separator}=1+1"]


def test_characters_xml_cannot_carry_are_replaced_so_the_workbook_opens() -> None:
    content = to_xlsx(["Name"], [["Bob\uffff"], ["Ann\ufffe"], ["Cy\x00\x0b"]], title="A")
    sheet_xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    ElementTree.fromstring(sheet_xml)  # noqa: S314 - our own output, parsed to prove it is well-formed
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == [
        "Bob\ufffd",
        "Ann\ufffd",
        "Cy\ufffd\ufffd",
    ]
    assert to_csv(["Name"], [["Bob\uffff"]]).splitlines()[1] == '"Bob\ufffd"'


def test_attendee_downloads_of_names_stored_before_the_form_refused_them(
    client: FlaskClient, organiser: Organiser, factory: Factory
) -> None:
    """Names already in the database with U+FFFF still give a workbook that opens."""
    event = factory.event()
    factory.registration(event, name="Bob\uffff", email="bob@example.com")
    factory.registration(event, name="Ann;=1+1", email="ann@example.com")
    sign_in(client, organiser)
    db.session.commit()

    workbook = client.get(f"/organisers/events/{event.id}/attendees.xlsx").get_data()
    sheet_xml = zipfile.ZipFile(io.BytesIO(workbook)).read("xl/worksheets/sheet1.xml")
    ElementTree.fromstring(sheet_xml)  # noqa: S314 - our own output, parsed to prove it is well-formed
    text = client.get(f"/organisers/events/{event.id}/attendees.csv").get_data(as_text=True)
    assert '"Ann;=1+1"' in text
    assert "\uffff" not in text


def test_every_workbook_cell_is_text_even_what_excel_would_read_as_an_error_or_formula() -> None:
    content = to_xlsx(["Name"], [["#N/A"], ["=1+1"], ["Plain"], ["#DIV/0!"]], title="A")
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == ["#N/A", "=1+1", "Plain", "#DIV/0!"]
    assert [cell.data_type for cell in cells] == ["s"] * 4
    assert [bool(cell.quotePrefix) for cell in cells] == [False, True, False, False]


def as_excel_shows(text: str) -> str:
    """Excel reads _xHHHH_ in a cell's XML as the character HHHH (ECMA-376, ST_Xstring);
    openpyxl leaves such escapes as they are."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda match: chr(int(match[1], 16)), text)


def test_workbook_text_is_shown_as_typed_even_where_it_looks_like_an_excel_escape() -> None:
    typed = ["_x0041_", "Line one\r\nline two", "  Ann  ", "007", "TRUE", "1e5"]
    content = to_xlsx(["Name"], [[text] for text in typed], title="A")
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [as_excel_shows(cell.value) for cell in cells] == typed
    assert [cell.data_type for cell in cells] == ["s"] * len(typed)


def test_a_workbook_that_fails_half_way_leaves_no_attendee_details_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The writer keeps finished rows in temporary files: they go even when reading fails."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def rows_then_a_lost_connection() -> Iterator[list[str]]:
        for number in range(500):
            yield [f"Person {number}", f"person{number}@example.com"]
        raise ConnectionError("the database went away")

    with pytest.raises(ConnectionError):
        to_xlsx(["Name", "Email"], rows_then_a_lost_connection(), title="Attendees")

    assert list(tmp_path.iterdir()) == []
