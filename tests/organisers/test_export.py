"""Spreadsheet-safe CSV (OWASP CSV injection)."""

from __future__ import annotations

import pytest

from webinar.organisers.spreadsheets import neutralise, to_csv


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+44 1234", "'+44 1234"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
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


def test_csv_quotes_commas_and_neutralises_every_cell() -> None:
    assert to_csv(["Name", "=Header"], [["Smith, J", "-1"]]) == (
        "Name,'=Header\r\n\"Smith, J\",'-1\r\n"
    )
