// Reads calendars with Mozilla's ical.js, the parser Thunderbird uses
// (tests/calendar_checks.py, docs/calendar.md#how-we-test).
// Each line on stdin: a JSON list of iCalendar texts. For each, one line on stdout: a JSON
// list with, per calendar, what ical.js read and the calendar as ical.js writes it again
// (for the round trip), or {"error": ...} when ical.js refuses it.
import ICAL from "ical.js";
import { createInterface } from "node:readline";

const param = (property, name) => (property ? (property.getParameter(name) ?? null) : null);
const text = (component, name) => component.getFirstPropertyValue(name)?.toString() ?? null;

function readEvent(vevent) {
  const event = new ICAL.Event(vevent);
  const organizer = vevent.getFirstProperty("organizer");
  return {
    uid: event.uid,
    sequence: event.sequence,
    summary: event.summary,
    description: event.description,
    location: event.location,
    url: text(vevent, "url"),
    status: text(vevent, "status"),
    start: event.startDate.toUnixTime(),
    end: event.endDate.toUnixTime(),
    start_is_utc: event.startDate.zone === ICAL.Timezone.utcTimezone,
    organizer: organizer ? organizer.getFirstValue() : null,
    organizer_cn: param(organizer, "cn"),
    attendees: vevent.getAllProperties("attendee").map((attendee) => ({
      address: attendee.getFirstValue(),
      cn: param(attendee, "cn"),
      rsvp: param(attendee, "rsvp"),
    })),
    alarms: vevent.getAllSubcomponents("valarm").length,
  };
}

function read(data) {
  const calendar = new ICAL.Component(ICAL.parse(data));
  const refresh = calendar.getFirstProperty("refresh-interval");
  return {
    name: calendar.name,
    method: text(calendar, "method"),
    calendar_name: text(calendar, "x-wr-calname") ?? text(calendar, "name"),
    refresh_interval: refresh ? refresh.getFirstValue().toString() : null,
    refresh_value_type: refresh ? refresh.type : null,
    published_ttl: text(calendar, "x-published-ttl"),
    events: calendar.getAllSubcomponents("vevent").map(readEvent),
    written_again: calendar.toString(),
  };
}

function readOrExplain(data) {
  try {
    return read(data);
  } catch (error) {
    return { error: String(error) };
  }
}

for await (const line of createInterface({ input: process.stdin })) {
  process.stdout.write(JSON.stringify(JSON.parse(line).map(readOrExplain)) + "\n");
}
