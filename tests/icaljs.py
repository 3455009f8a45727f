"""Reading calendars with Mozilla's ical.js, the parser Thunderbird uses, to compare with
icalendar's reading (docs/calendar.md#how-we-test)."""

from __future__ import annotations

import atexit
import functools
import json
import shutil
import subprocess
from datetime import UTC
from pathlib import Path
from typing import Any

from icalendar import Calendar

_ICALJS_READER = Path(__file__).with_name("icaljs_read.mjs")


def read_with_icaljs(*calendars: bytes) -> list[dict[str, Any]]:
    """Return what Mozilla's ical.js reads in each calendar (tests/icaljs_read.mjs)."""
    reader = _icaljs_reader()
    assert reader.stdin is not None and reader.stdout is not None
    reader.stdin.write(json.dumps([data.decode("utf-8") for data in calendars]) + "\n")
    reader.stdin.flush()
    line = reader.stdout.readline()
    assert line, "ical.js stopped: is it installed (npm ci)? See docs/calendar.md#how-we-test"
    readings = json.loads(line)
    assert isinstance(readings, list) and len(readings) == len(calendars)
    for reading in readings:
        assert "error" not in reading, f"ical.js could not read the calendar: {reading}"
    return readings


@functools.cache
def _icaljs_reader() -> subprocess.Popen[str]:
    """One node process for the test run: starting node for each calendar is slow."""
    node = shutil.which("node")
    assert node, "node is needed to read calendars with ical.js (docs/calendar.md#how-we-test)"
    reader = subprocess.Popen(
        [node, str(_ICALJS_READER)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    atexit.register(reader.kill)
    return reader


def assert_parsers_agree(calendar: Calendar, reading: dict[str, Any]) -> None:
    """Assert icalendar and ical.js read the same calendar, event by event."""
    assert reading["name"] == "vcalendar"
    assert reading["method"] == (str(calendar["METHOD"]) if "METHOD" in calendar else None)
    events = calendar.events
    assert len(reading["events"]) == len(events)
    for event, other in zip(events, reading["events"], strict=True):
        starts_at, ends_at = (event.decoded(name).astimezone(UTC) for name in ("DTSTART", "DTEND"))
        assert other["start_is_utc"], "ical.js reads the start as UTC"
        assert (other["start"], other["end"]) == (starts_at.timestamp(), ends_at.timestamp())
        assert other["uid"] == str(event["UID"])
        assert other["sequence"] == int(event.get("SEQUENCE", 0))
        for name in ("SUMMARY", "DESCRIPTION", "LOCATION", "URL", "STATUS"):
            mine = str(event[name]) if name in event else None
            assert other[name.lower()] == mine, f"ical.js reads {name} as {other[name.lower()]!r}"
        organizer = event.get("ORGANIZER")
        assert other["organizer"] == (str(organizer) if organizer else None)
        assert other["organizer_cn"] == (organizer.params.get("CN") if organizer else None)
        attendees = [(str(a), a.params.get("CN")) for a in event.attendees]
        assert [(a["address"], a["cn"]) for a in other["attendees"]] == attendees
        assert other["alarms"] == len(event.walk("VALARM"))
