// Reads an iCalendar text on stdin with Mozilla's ical.js (as Thunderbird and Nextcloud do) and
// prints what a calendar would show, as JSON: each event's start and end in UTC, its attendees.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const root = new ICAL.Component(ICAL.parse(readFileSync(0, "utf8")));
for (const vtimezone of root.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(vtimezone);
}
const out = { method: root.getFirstPropertyValue("method"), events: [] };
for (const vevent of root.getAllSubcomponents("vevent")) {
  const event = new ICAL.Event(vevent);
  out.events.push({
    uid: event.uid,
    start: event.startDate.toJSDate().toISOString(),
    end: event.endDate.toJSDate().toISOString(),
    organizer: vevent.getFirstPropertyValue("organizer"),
    attendees: vevent.getAllProperties("attendee").map((p) => ({
      value: p.getFirstValue(),
      cn: p.getParameter("cn"),
      role: p.getParameter("role"),
    })),
  });
}
process.stdout.write(JSON.stringify(out));
