"""The year wheel (meetings/yearwheel.py): every meeting of the year and its stored
deadlines month by month, met ones marked met; the mandate check per forum (meetings a
year, Partnerskabsforum's quarter and notice); the A4-landscape PDF; the public version
with meeting dates only."""

from datetime import date, datetime
from html import unescape

import pytest
import time_machine
from django.test import Client

from meetings import services
from meetings.deadlines import TZ
from meetings.models import Meeting
from meetings.tests.factories import at, schedule
from meetings.yearwheel import year_wheel
from tests.pdf_clients import EXTRACTORS, open_pdf, squash, structure_elements

pytestmark = pytest.mark.django_db

SCHEDULED = datetime(2026, 12, 1, 10, 0, tzinfo=TZ)
NOW = datetime(2027, 3, 1, 10, 0, tzinfo=TZ)


def travel(moment: datetime):
    return time_machine.travel(moment, tick=False)


def get(user, path: str):
    with travel(NOW):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client.get(path)


@pytest.fixture
def meetings(forums, secretariat_user):
    """Samarbejdsforum on 10 February 2027 (agenda sent in time) and 9 June 2027;
    Partnerskabsforum on 27 May 2027 (scheduled with almost 6 months' notice)."""
    with travel(SCHEDULED):
        february = schedule(forums["samarbejdsforum"], day=date(2027, 2, 10), now=SCHEDULED)
        june = schedule(forums["samarbejdsforum"], day=date(2027, 6, 9), now=SCHEDULED)
        pf = schedule(forums["partnerskabsforum"], day=date(2027, 5, 27), now=SCHEDULED)
    with travel(datetime(2027, 1, 25, 10, 0, tzinfo=TZ)):
        services.agenda_send(actor=secretariat_user, meeting=february)
    return {"february": february, "june": june, "pf": pf}


def rows(wheel, month: int) -> list[tuple[str, str, str]]:
    return [(r.entry.key, r.meeting.forum.slug, r.state) for r in wheel.months[month - 1].entries]


def test_the_wheel_lists_each_month_s_meetings_and_deadlines_with_met_ones_marked(meetings):
    wheel = year_wheel(2027, now=NOW)
    january = rows(wheel, 1)
    assert ("proposals", "samarbejdsforum", "done") in january  # closed by the sent agenda
    assert ("agenda", "samarbejdsforum", "done") in january
    assert ("meeting", "samarbejdsforum", "done") in rows(wheel, 2)
    assert ("minutes", "samarbejdsforum", "overdue") in rows(wheel, 2)  # 17 Feb, unsent
    assert ("meeting", "partnerskabsforum", "due") in rows(wheel, 5)
    # PF's minutes 3 June, SF's meeting 9 June and its minutes 16 June.
    assert [r[:2] for r in rows(wheel, 6)] == [
        ("minutes", "partnerskabsforum"),
        ("meeting", "samarbejdsforum"),
        ("minutes", "samarbejdsforum"),
    ]
    assert rows(wheel, 12) == []


def test_the_wheel_shows_deadlines_of_next_year_s_january_meeting_in_december(forums):
    with travel(SCHEDULED):
        schedule(forums["samarbejdsforum"], day=date(2028, 1, 12), now=SCHEDULED)
    december = rows(year_wheel(2027, now=NOW), 12)
    assert [key for key, _slug, _state in december] == ["proposals", "agenda"]


def test_a_cancelled_meeting_is_shown_cancelled_without_deadlines(meetings, secretariat_user):
    with travel(NOW):
        services.meeting_cancel(actor=secretariat_user, meeting=meetings["june"], reason="Aflyst")
    wheel = year_wheel(2027, now=NOW)
    assert ("meeting", "samarbejdsforum", "cancelled") in rows(wheel, 6)
    assert not [r for r in rows(wheel, 5) if r[1] == "samarbejdsforum"]  # no deadlines
    assert check(wheel, "samarbejdsforum").count == 1  # a cancelled meeting does not count


def check(wheel, slug: str):
    return next(c for c in wheel.checks if c.forum.slug == slug)


def test_the_mandate_check_counts_the_meetings_of_the_year_against_the_terms(meetings):
    wheel = year_wheel(2027, now=NOW)
    sf = check(wheel, "samarbejdsforum")
    assert (sf.count, sf.low, sf.high, sf.too_few, sf.ok) == (2, 4, 6, True, False)
    pf = check(wheel, "partnerskabsforum")
    assert (pf.count, pf.ok, pf.outside_quarter, pf.short_notice) == (1, True, [], [])
    assert check(wheel, "borgmesterforum").too_few


@pytest.fixture
def pf_2026(forums):
    """Partnerskabsforum on 25 June 2026, called on 5 January 2026 (in its quarter, with
    more than 4 months' notice)."""
    with travel(datetime(2026, 1, 5, 10, 0, tzinfo=TZ)):
        return schedule(forums["partnerskabsforum"], day=date(2026, 6, 25))


def test_the_mandate_check_names_a_partnerskabsforum_meeting_outside_its_quarter(pf_2026):
    assert check(year_wheel(2026, now=NOW), "partnerskabsforum").ok
    # The services refuse it; a change in the Django admin is what the check catches.
    Meeting.objects.filter(pk=pf_2026.pk).update(
        starts_at=at(date(2026, 7, 8), 14), ends_at=at(date(2026, 7, 8), 16)
    )
    check_pf = check(year_wheel(2026, now=NOW), "partnerskabsforum")
    assert [m.pk for m in check_pf.outside_quarter] == [pf_2026.pk] and not check_pf.ok


def test_the_mandate_check_names_a_partnerskabsforum_meeting_called_at_short_notice(pf_2026):
    # Called on 2 March 2026, four months' notice reaches only 2 July.
    Meeting.objects.filter(pk=pf_2026.pk).update(created_at=at(date(2026, 3, 2), 10))
    check_pf = check(year_wheel(2026, now=NOW), "partnerskabsforum")
    assert [m.pk for m in check_pf.short_notice] == [pf_2026.pk] and not check_pf.ok


def test_an_archive_entry_is_not_checked_for_notice(forums, secretariat_user):
    # Recorded on 1 March 2027 for a meeting held on 27 May 2026: no notice to give.
    with travel(NOW):
        services.meeting_schedule(
            actor=secretariat_user,
            forum=forums["partnerskabsforum"],
            starts_at=at(date(2026, 5, 27), 14),
            ends_at=at(date(2026, 5, 27), 16),
            is_archive=True,
            now=NOW,
        )
    check_pf = check(year_wheel(2026, now=NOW), "partnerskabsforum")
    assert (check_pf.count, check_pf.short_notice, check_pf.ok) == (1, [], True)


def test_the_secretariat_s_page_shows_the_months_the_check_and_the_links(
    meetings, secretariat_user
):
    response = get(secretariat_user, "/sekretariat/aarshjul/2027/")
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert html.index("Januar 2027") < html.index("Februar 2027") < html.index("December 2027")
    assert "Tjek af kommissoriet" in html and "For få møder planlagt" in html
    assert "overholdt" in html and '<strong class="overdue">overskredet</strong>' in html
    for link in ("/sekretariat/aarshjul/2026/", "/sekretariat/aarshjul/2028/"):
        assert f'href="{link}"' in html
    assert 'href="/sekretariat/aarshjul/2027/pdf/"' in html


def test_the_year_wheel_is_for_the_secretariat_only(meetings, member_user):
    assert get(member_user, "/sekretariat/aarshjul/2027/").status_code == 403
    assert get(member_user, "/sekretariat/aarshjul/2027/pdf/").status_code == 403
    assert get(None, "/sekretariat/aarshjul/2027/").status_code == 302


def test_a_year_out_of_range_answers_404(secretariat_user, forums):
    assert get(secretariat_user, "/sekretariat/aarshjul/1999/").status_code == 404
    assert get(None, "/aarshjul/2101/").status_code == 404


def test_the_pdf_is_a4_landscape_and_its_text_reads_as_written(meetings, secretariat_user):
    response = get(secretariat_user, "/sekretariat/aarshjul/2027/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="aarshjul-2027.pdf"'
    for name, extract in EXTRACTORS.items():
        text = squash(extract(response.content))
        for words in ("Årshjul 2027", "Tjek af kommissoriet", "Dagsorden senest", "Januar 2027"):
            assert squash(words) in text, (name, words)
        assert "\u2010" not in text  # no hyphen added by hyphenation
    document = open_pdf(response.content)
    box = [float(v) for v in document.pages[0].MediaBox]
    assert (round(box[2] - box[0]), round(box[3] - box[1])) == (842, 595)  # A4 landscape
    assert bool(document.Root.MarkInfo.Marked) and structure_elements(document)  # tagged


def test_the_public_wheel_lists_the_meeting_dates_only(meetings, forums, secretariat_user):
    response = get(None, "/aarshjul/2027/")
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "Foraenes møder i 2027" in html
    assert f'href="/moeder/{meetings["pf"].pk}/"' in html
    assert f'href="/moeder/{meetings["june"].pk}/"' in html
    for private in ("Dagsorden senest", "Referat senest", "Frist for forslag", "kommissoriet"):
        assert private not in html
    assert 'href="/aarshjul/2028/"' in html


def test_the_public_wheel_leaves_out_archive_entries_as_the_public_feeds_do(
    forums, secretariat_user
):
    with travel(NOW):
        archived = services.meeting_schedule(
            actor=secretariat_user,
            forum=forums["partnerskabsforum"],
            starts_at=at(date(2026, 5, 27), 14),
            ends_at=at(date(2026, 5, 27), 16),
            is_archive=True,
            now=NOW,
        )
    html = get(None, "/aarshjul/2026/").content.decode()
    assert f'href="/moeder/{archived.pk}/"' not in html
    assert "Ingen møder." in html


def test_the_public_wheel_is_in_the_sitemap(forums):
    with travel(NOW):
        body = Client().get("/sitemap.xml").content.decode()
    for year in (2026, 2027, 2028):
        assert f"/aarshjul/{year}/</loc>" in body


def test_the_public_wheel_is_served_from_the_cache_until_a_meeting_changes(
    meetings, secretariat_user, settings
):
    settings.PUBLIC_CACHE_ENABLED = True
    first = get(None, "/aarshjul/2027/")
    assert get(None, "/aarshjul/2027/")["ETag"] == first["ETag"]
    with travel(NOW):
        day = date(2027, 6, 16)
        services.meeting_move(
            actor=secretariat_user,
            meeting=meetings["june"],
            starts_at=at(day, 14),
            ends_at=at(day, 16),
            place="Rådhuset",
        )
    moved = get(None, "/aarshjul/2027/")
    assert moved["ETag"] != first["ETag"] and "16. juni" in unescape(moved.content.decode())


def test_deadlines_not_tied_to_a_meeting_are_in_their_month_too(forums, secretariat_user):
    # A theme group's report date is a deadline of the year (the cockpit has it): the year
    # wheel shows it in its month, with its link, until a report answers it.
    from forums.tests.factories import ThemeGroupFactory

    ThemeGroupFactory(name="Temagruppen om udlejning", first_report_on=date(2027, 9, 1))
    with travel(NOW):
        wheel = year_wheel(2027)
    page = unescape(get(secretariat_user, "/sekretariat/aarshjul/2027/").content.decode())
    september = wheel.months[8]
    assert [(item.kind, item.detail) for item in september.others] == [
        ("theme_group_report", "Temagruppen om udlejning")
    ]
    assert all(not month.others for month in wheel.months if month.number != 9)
    assert "Temagruppen om udlejning" in page
