"""Three independent iCalendar parsers, for tests that check what a calendar client reads
from our invitations and feeds: Mozilla's ical.js (Thunderbird's parser, run by node from
`node_modules`, installed by scripts/node-deps.sh), the `icalendar` package we write with,
and `vobject`, a second Python parser with its own time-zone code.

Each returns {UID: (start, end)} with aware UTC datetimes (end None for a moment). ical.js
runs with TZ=America/New_York, so a time it reads as floating comes out visibly wrong."""

import json
import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import vobject
from icalendar import Calendar

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tests" / "clients" / "icaljs_instants.mjs"

Instants = dict[str, tuple[datetime, datetime | None]]


def icaljs(ics: bytes) -> dict:
    """What ical.js reads: {"method", "events": [{uid, start, end, floating, attendees,
    alarms (seconds, negative = before), …}]}. Fails, naming what is missing, when node or
    the ical.js package is not installed (never skips)."""
    node = shutil.which("node")
    assert node, "node is missing: install nodejs (scripts/system-deps.sh test)"
    assert (ROOT / "node_modules" / "ical.js").is_dir(), (
        "node_modules/ical.js is missing: run scripts/node-deps.sh"
    )
    result = subprocess.run(
        [node, str(SCRIPT)],
        input=ics,
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "TZ": "America/New_York"},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)


def _utc(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def icaljs_instants(ics: bytes) -> Instants:
    events = icaljs(ics)["events"]
    floating = [e["uid"] for e in events if e["floating"]]
    assert not floating, f"ical.js reads these events as floating times: {floating}"
    return {
        e["uid"]: (_utc(e["start"]), _utc(e["end"]) if e["end"] != e["start"] else None)
        for e in events
    }


def icalendar_instants(ics: bytes) -> Instants:
    instants = {}
    for event in Calendar.from_ical(ics).walk("VEVENT"):
        start = event.decoded("DTSTART")
        end = event.decoded("DTEND") if "DTEND" in event else None
        assert start.tzinfo is not None, f"{event['UID']}: floating start"
        instants[str(event["UID"])] = (
            start.astimezone(UTC),
            end.astimezone(UTC) if end is not None else None,
        )
    return instants


def vobject_instants(ics: bytes) -> Instants:
    instants = {}
    for event in vobject.readOne(ics.decode("utf-8")).vevent_list:
        start = event.dtstart.value
        end = event.dtend.value if hasattr(event, "dtend") else None
        assert start.tzinfo is not None, f"{event.uid.value}: floating start"
        instants[event.uid.value] = (
            start.astimezone(UTC),
            end.astimezone(UTC) if end is not None else None,
        )
    return instants


def instants_everywhere(ics: bytes) -> Instants:
    """The instants all three parsers agree on; an AssertionError names a disagreement."""
    by_icaljs = icaljs_instants(ics)
    by_icalendar = icalendar_instants(ics)
    by_vobject = vobject_instants(ics)
    assert by_icaljs == by_icalendar, f"ical.js {by_icaljs} != icalendar {by_icalendar}"
    assert by_vobject == by_icalendar, f"vobject {by_vobject} != icalendar {by_icalendar}"
    return by_icalendar
