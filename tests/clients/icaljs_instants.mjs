// Read one iCalendar object on stdin with Mozilla's ical.js (Thunderbird's parser) and print
// JSON: {"method": …, "events": [{uid, summary, sequence, status, start, end, floating,
// attendees, alarms}]}, with start/end as UTC instants (ISO 8601, "Z").
// A time ical.js cannot place in a zone (a TZID without its VTIMEZONE) is "floating": it is
// then read in this process's own zone (run it with TZ=America/New_York to see the harm).
import ICAL from "ical.js";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const root = new ICAL.Component(ICAL.parse(Buffer.concat(chunks).toString("utf8")));

const instant = (time) => (time ? time.toJSDate().toISOString() : null);
const isFloating = (time) => Boolean(time) && time.zone === ICAL.Timezone.localTimezone;

const events = root.getAllSubcomponents("vevent").map((vevent) => {
  const event = new ICAL.Event(vevent);
  return {
    uid: event.uid,
    summary: event.summary,
    sequence: event.sequence,
    status: vevent.getFirstPropertyValue("status"),
    start: instant(event.startDate),
    end: instant(event.endDate),
    floating: isFloating(event.startDate) || isFloating(event.endDate),
    attendees: event.attendees.map((a) => a.getFirstValue()),
    alarms: vevent
      .getAllSubcomponents("valarm")
      .map((alarm) => alarm.getFirstPropertyValue("trigger").toSeconds()),
  };
});
process.stdout.write(JSON.stringify({ method: root.getFirstPropertyValue("method"), events }));
