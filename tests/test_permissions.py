"""Every URL pattern, with the answer each kind of visitor gets to a GET.

The columns are: anonymous, a member of Samarbejdsforum, a member of another forum
(Partnerskabsforum), the secretariat. A pattern missing from this table fails the test,
so that a new page cannot ship without someone deciding who may see it."""

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from agreements.models import (
    AgreementVersion,
    FrameworkAgreement,
    Initiative,
    SubAgreement,
    SubAgreementDocument,
    Theme,
)
from dialogue.models import DialogueRound
from forums.models import Membership, Organisation, Person
from forums.tests.factories import ThemeGroupFactory
from meetings import services
from meetings.attachments import attachment_store
from meetings.tests.factories import schedule
from minutes import services as minutes_services
from notifications.models import OutboxMessage
from pools.models import Grant, Pool
from theme_reports.models import ThemeGroupReport

pytestmark = pytest.mark.django_db

LOGIN = "login"  # a redirect to the sign-in page

# name: (kwargs, anonymous, member, other member, secretariat)
EXPECTED = {
    "core:home": ({}, 200, 200, 200, 200),
    "core:accessibility": ({}, 200, 200, 200, 200),
    "search:search": ({}, 200, 200, 200, 200),
    "core:healthz": ({}, "health", "health", "health", "health"),
    "core:liveness": ({}, 200, 200, 200, 200),
    "core:metrics": ({}, 404, 404, 404, 404),
    "sitemap": ({}, 200, 200, 200, 200),
    "accounts:dashboard": ({}, LOGIN, 200, 200, 200),
    "accounts:calendar_reminders": ({}, LOGIN, 405, 405, 405),
    "accounts:login": ({}, 200, 302, 302, 302),
    "accounts:logout": ({}, 405, 405, 405, 405),
    "accounts:password_reset": ({}, 200, 200, 200, 200),
    "accounts:password_reset_done": ({}, 200, 200, 200, 200),
    "accounts:password_reset_confirm": ({"uidb64": "MQ", "token": "bad-token"}, 200, 200, 200, 200),
    "accounts:invitation_accept": ({"uidb64": "MQ", "token": "bad-token"}, 200, 200, 200, 200),
    # The second step: members without a device are sent on to set one up; a verified
    # session goes straight on to `next`.
    "accounts:second_factor": ({}, LOGIN, 302, 302, 302),
    "accounts:second_factor_setup": ({}, LOGIN, 200, 200, 200),
    "accounts:second_factor_recovery_codes": ({}, LOGIN, 405, 405, 405),
    "accounts:second_factor_turn_off": ({}, LOGIN, 405, 405, 405),
    "accounts:passkey_script_catalog": ({}, 200, 200, 200, 200),
    # django-otp-webauthn's JSON endpoints: POST only, and no passkey sign-in without a
    # password (anonymous: 403); its scripts' translations.
    "otp_webauthn:credential-registration-begin": ({}, 403, 405, 405, 405),
    "otp_webauthn:credential-registration-complete": ({}, 403, 405, 405, 405),
    "otp_webauthn:credential-authentication-begin": ({}, 403, 405, 405, 405),
    "otp_webauthn:credential-authentication-complete": ({}, 403, 405, 405, 405),
    "otp_webauthn:js-i18n-catalog": ({}, 200, 200, 200, 200),
    "forums:list": ({}, 200, 200, 200, 200),
    "forums:detail": ({"slug": "samarbejdsforum"}, 200, 200, 200, 200),
    "forums:members": ({"slug": "samarbejdsforum"}, LOGIN, 200, 404, 200),
    # The embeddable snippet and how to embed it (issue 10 §6).
    "meetings:embed": ({"slug": "samarbejdsforum"}, 200, 200, 200, 200),
    "meetings:embed_help": ({"slug": "samarbejdsforum"}, 200, 200, 200, 200),
    # The open, read-only API: the same for everyone (it knows no sign-in); the internal
    # sub-agreement is not there.
    "api:api-root": ({}, 200, 200, 200, 200),
    "api:schema": ({}, 200, 200, 200, 200),
    "api:docs": ({}, 200, 200, 200, 200),
    "api:organization-list": ({}, 200, 200, 200, 200),
    "api:organization-detail": ({"slug": "samarbejdsforum"}, 200, 200, 200, 200),
    "api:event-list": ({}, 200, 200, 200, 200),
    "api:event-detail": ({"pk": "meeting"}, 200, 200, 200, 200),
    "api:agreement-list": ({}, 200, 200, 200, 200),
    "api:agreement-detail": ({"pk": "agreement"}, 200, 200, 200, 200),
    "api:subagreement-list": ({}, 200, 200, 200, 200),
    "api:subagreement-detail": ({"pk": "sub_agreement"}, 404, 404, 404, 404),
    "api:initiative-list": ({}, 200, 200, 200, 200),
    "api:initiative-detail": ({"pk": "initiative"}, 200, 200, 200, 200),
    "api:pool-list": ({}, 200, 200, 200, 200),
    "api:pool-detail": ({"slug": "tryghed"}, 200, 200, 200, 200),
    "secretariat:home": ({}, LOGIN, 403, 403, 200),
    "secretariat:organisations": ({}, LOGIN, 403, 403, 200),
    "secretariat:organisation_new": ({}, LOGIN, 403, 403, 200),
    "secretariat:organisation_edit": ({"pk": "organisation"}, LOGIN, 403, 403, 200),
    "secretariat:people": ({}, LOGIN, 403, 403, 200),
    "secretariat:person_new": ({}, LOGIN, 403, 403, 200),
    "secretariat:person": ({"pk": "person"}, LOGIN, 403, 403, 200),
    "secretariat:person_edit": ({"pk": "person"}, LOGIN, 403, 403, 200),
    "secretariat:person_invite": ({"pk": "person"}, LOGIN, 403, 403, 405),
    "secretariat:person_export": ({"pk": "person"}, LOGIN, 403, 403, 200),
    "secretariat:person_erase": ({"pk": "person"}, LOGIN, 403, 403, 200),
    "secretariat:memberships": ({}, LOGIN, 403, 403, 200),
    "secretariat:membership_new": ({}, LOGIN, 403, 403, 200),
    "secretariat:membership_edit": ({"pk": "membership"}, LOGIN, 403, 403, 200),
    "secretariat:membership_end": ({"pk": "membership"}, LOGIN, 403, 403, 200),
    "secretariat:membership_replace": ({"pk": "membership"}, LOGIN, 403, 403, 200),
    "secretariat:theme_groups": ({}, LOGIN, 403, 403, 200),
    "secretariat:theme_group_new": ({}, LOGIN, 403, 403, 200),
    "secretariat:theme_group": ({"pk": "theme_group"}, LOGIN, 403, 403, 200),
    "secretariat:theme_group_edit": ({"pk": "theme_group"}, LOGIN, 403, 403, 200),
    "theme_reports:report_new": ({"pk": "theme_group"}, LOGIN, 403, 403, 200),
    "theme_reports:report_document": (
        {"pk": "theme_group_report_document"},
        LOGIN,
        403,
        403,
        200,
    ),
    "secretariat:theme_group_member_remove": (
        {"pk": "theme_group", "member_pk": "theme_group_member"},
        LOGIN,
        403,
        403,
        405,
    ),
    "secretariat:standard_items": ({"slug": "samarbejdsforum"}, LOGIN, 403, 403, 200),
    "secretariat:standard_item_edit": (
        {"slug": "samarbejdsforum", "pk": "standard_item"},
        LOGIN,
        403,
        403,
        200,
    ),
    "secretariat:standard_item_move": (
        {"slug": "samarbejdsforum", "pk": "standard_item"},
        LOGIN,
        403,
        403,
        405,
    ),
    "secretariat:standard_item_remove": (
        {"slug": "samarbejdsforum", "pk": "standard_item"},
        LOGIN,
        403,
        403,
        405,
    ),
    "meetings:list": ({}, 200, 200, 200, 200),
    "meetings:public_year_wheel": ({"year": 2027}, 200, 200, 200, 200),
    "meetings:public": ({"pk": "meeting"}, 200, 200, 200, 200),
    "meetings:public_pdf": ({"pk": "meeting"}, 404, 404, 404, 404),
    "meetings:public_pack": ({"pk": "meeting"}, 404, 404, 404, 404),
    "meetings:forum_feed": ({"slug": "samarbejdsforum"}, 200, 200, 200, 200),
    "meetings:personal_feed": ({"token": "no-such-token"}, 404, 404, 404, 404),
    "meetings:attachment": ({"pk": "attachment"}, 404, 200, 404, 200),
    "meetings:attachment_remove": ({"pk": "attachment"}, LOGIN, 403, 404, 200),
    "meetings:attachment_replace": ({"pk": "attachment"}, LOGIN, 403, 404, 200),
    "meetings:attachment_up": ({"pk": "attachment"}, LOGIN, 405, 405, 405),
    "meetings:attachment_down": ({"pk": "attachment"}, LOGIN, 405, 405, 405),
    "meetings:member": ({"pk": "meeting"}, LOGIN, 200, 404, 200),
    "meetings:version": ({"pk": "meeting", "number": 1}, LOGIN, 200, 404, 200),
    "meetings:version_pdf": ({"pk": "meeting", "number": 1}, LOGIN, 200, 404, 200),
    "meetings:version_pack": ({"pk": "meeting", "number": 1}, LOGIN, 200, 404, 200),
    "meetings:propose": ({"pk": "meeting"}, LOGIN, 200, 404, 200),
    "meetings:attendance": ({"pk": "meeting"}, LOGIN, 405, 405, 405),
    "meetings:proposal_edit": ({"pk": "proposal"}, LOGIN, 200, 404, 200),
    "meetings:proposal_withdraw": ({"pk": "proposal"}, LOGIN, 405, 405, 405),
    "meetings:calendar_token_reset": ({}, LOGIN, 405, 405, 405),
    "meetings:sec_list": ({}, LOGIN, 403, 403, 200),
    "meetings:year_wheel": ({"year": 2027}, LOGIN, 403, 403, 200),
    "meetings:year_wheel_pdf": ({"year": 2027}, LOGIN, 403, 403, 200),
    "meetings:schedule": ({}, LOGIN, 403, 403, 200),
    "meetings:workspace": ({"pk": "meeting"}, LOGIN, 403, 403, 200),
    "meetings:attendance_record": ({"pk": "meeting"}, LOGIN, 403, 403, 200),
    "meetings:move": ({"pk": "meeting"}, LOGIN, 403, 403, 200),
    "meetings:cancel": ({"pk": "meeting"}, LOGIN, 403, 403, 200),
    "meetings:send": ({"pk": "meeting"}, LOGIN, 403, 403, 200),
    "meetings:send_undo": ({"pk": "meeting"}, LOGIN, 403, 403, 405),
    "meetings:mail_undo": ({"pk": "meeting"}, LOGIN, 403, 403, 405),
    "meetings:send_preview": ({"pk": "meeting"}, LOGIN, 403, 403, 200),
    "meetings:item_new": ({"meeting_pk": "meeting"}, LOGIN, 403, 403, 200),
    "meetings:item_edit": ({"pk": "item"}, LOGIN, 403, 403, 200),
    "meetings:item_delete": ({"pk": "item"}, LOGIN, 403, 403, 200),
    "meetings:item_up": ({"pk": "item"}, LOGIN, 403, 403, 405),
    "meetings:item_down": ({"pk": "item"}, LOGIN, 403, 403, 405),
    "meetings:item_move_to": ({"pk": "item"}, LOGIN, 403, 403, 405),
    "meetings:item_refer": ({"pk": "item"}, LOGIN, 403, 403, 200),
    "meetings:proposal_accept": ({"pk": "proposal"}, LOGIN, 403, 403, 405),
    "meetings:proposal_decline": ({"pk": "proposal"}, LOGIN, 403, 403, 200),
    "meetings:proposal_move": ({"pk": "proposal"}, LOGIN, 403, 403, 200),
    "minutes:member": ({"pk": "meeting"}, LOGIN, 200, 404, 200),
    "minutes:comment_add": ({"pk": "meeting"}, LOGIN, 405, 405, 405),
    "minutes:no_remarks": ({"pk": "meeting"}, LOGIN, 405, 405, 405),
    "minutes:version": ({"pk": "meeting", "number": 1}, LOGIN, 200, 404, 200),
    "minutes:version_pdf": ({"pk": "meeting", "number": 1}, LOGIN, 200, 404, 200),
    "minutes:compare": ({"pk": "meeting"}, LOGIN, 200, 404, 200),
    "minutes:public": ({"pk": "meeting"}, 404, 404, 404, 404),
    "minutes:public_pdf": ({"pk": "meeting"}, 404, 404, 404, 404),
    "minutes:comment_edit": ({"pk": "comment"}, LOGIN, 200, 404, 404),
    "minutes:comment_delete": ({"pk": "comment"}, LOGIN, 405, 405, 405),
    "minutes:register": ({}, LOGIN, 200, 200, 200),
    "minutes:register_csv": ({}, LOGIN, 200, 200, 200),
    "minutes:register_xlsx": ({}, LOGIN, 200, 200, 200),
    "minutes:action_status": ({"pk": "action"}, LOGIN, 405, 405, 405),
    "minutes:sec_list": ({}, LOGIN, 403, 403, 200),
    "minutes:editor": ({"pk": "meeting"}, LOGIN, 403, 403, 200),
    "minutes:comments": ({"pk": "meeting"}, LOGIN, 403, 403, 200),
    "minutes:start": ({"pk": "meeting"}, LOGIN, 403, 403, 405),
    # The table's meeting is still to come: sending its minutes waits for it (back to the editor).
    "minutes:send": ({"pk": "meeting"}, LOGIN, 403, 403, 302),
    "minutes:send_preview": ({"pk": "meeting"}, LOGIN, 403, 403, 200),
    "minutes:autosave": ({"pk": "meeting"}, LOGIN, 403, 403, 405),
    "minutes:revise": ({"pk": "meeting"}, LOGIN, 403, 403, 200),
    "minutes:send_undo": ({"pk": "meeting"}, LOGIN, 403, 403, 405),
    "minutes:erratum": ({"pk": "meeting"}, LOGIN, 403, 403, 405),
    "minutes:action_add": ({"pk": "minutes_item"}, LOGIN, 403, 403, 405),
    "minutes:action_delete": ({"pk": "action"}, LOGIN, 403, 403, 405),
    "minutes:dispose": ({"pk": "comment"}, LOGIN, 403, 403, 405),
    "agreements:current": ({}, 200, 200, 200, 200),
    "agreements:feed": ({}, 200, 200, 200, 200),
    "agreements:detail": ({"pk": "agreement"}, 200, 200, 200, 200),
    "agreements:compare": ({"pk": "agreement"}, 200, 200, 200, 200),
    "agreements:version": ({"pk": "agreement", "number": 1}, 200, 200, 200, 200),
    "agreements:version_pdf": ({"pk": "agreement", "number": 1}, 200, 200, 200, 200),
    "agreements:subs": ({}, 200, 200, 200, 200),
    "agreements:sub_detail": ({"pk": "sub_agreement"}, 404, 404, 404, 200),
    "agreements:sub_document": ({"pk": "sub_document"}, 404, 404, 404, 200),
    "agreements:initiatives": ({}, 200, 200, 200, 200),
    "agreements:initiative": ({"pk": "initiative"}, 200, 200, 200, 200),
    "agreements:manage_list": ({}, LOGIN, 403, 403, 200),
    "agreements:new": ({}, LOGIN, 403, 403, 200),
    "agreements:manage": ({"pk": "agreement"}, LOGIN, 403, 403, 200),
    "agreements:edit": ({"pk": "agreement"}, LOGIN, 403, 403, 200),
    "agreements:theme_new": ({"agreement_pk": "agreement"}, LOGIN, 403, 403, 200),
    "agreements:theme_edit": ({"pk": "theme"}, LOGIN, 403, 403, 200),
    "agreements:negotiated": ({"pk": "agreement"}, LOGIN, 403, 403, 405),
    "agreements:br_approval": ({"pk": "agreement"}, LOGIN, 403, 403, 405),
    "agreements:housing_approval": ({"pk": "agreement"}, LOGIN, 403, 403, 405),
    "agreements:adjust": ({"pk": "agreement"}, LOGIN, 403, 403, 405),
    "agreements:sub_new": ({}, LOGIN, 403, 403, 200),
    "agreements:sub_edit": ({"pk": "sub_agreement"}, LOGIN, 403, 403, 200),
    "agreements:initiative_new": ({}, LOGIN, 403, 403, 200),
    "agreements:initiative_edit": ({"pk": "initiative"}, LOGIN, 403, 403, 200),
    "dialogue:rounds": ({}, LOGIN, 403, 403, 200),
    "dialogue:estate_new": ({}, LOGIN, 403, 403, 200),
    "dialogue:round": ({"year": "dialogue_year"}, LOGIN, 403, 403, 200),
    "dialogue:advance": ({"year": "dialogue_year"}, LOGIN, 403, 403, 405),
    "dialogue:area_new": ({"year": "dialogue_year"}, LOGIN, 403, 403, 200),
    "dialogue:meeting_new": ({"year": "dialogue_year"}, LOGIN, 403, 403, 200),
    "dialogue:follow_up_new": (
        {"year": "dialogue_year", "pk": "dialogue_meeting"},
        LOGIN,
        403,
        403,
        200,
    ),
    "dialogue:issue_raise": (
        {"year": "dialogue_year", "pk": "dialogue_meeting"},
        LOGIN,
        403,
        403,
        200,
    ),
    "dialogue:follow_up_status": (
        {"year": "dialogue_year", "pk": "dialogue_follow_up"},
        LOGIN,
        403,
        403,
        405,
    ),
    "agreements:initiative_propose": ({"pk": "initiative"}, LOGIN, 403, 403, 200),
    "agreements:initiative_decide": ({"pk": "initiative"}, LOGIN, 403, 403, 200),
    # The fixture's agreement was never negotiated: there is no negotiated text to show.
    "agreements:negotiated_pdf": ({"pk": "agreement"}, 404, 404, 404, 404),
    "pools:list": ({}, 200, 200, 200, 200),
    "pools:detail": ({"slug": "tryghed"}, 200, 200, 200, 200),
    "pools:manage_list": ({}, LOGIN, 403, 403, 200),
    "pools:new": ({}, LOGIN, 403, 403, 200),
    "pools:manage": ({"pk": "pool"}, LOGIN, 403, 403, 200),
    "pools:edit": ({"pk": "pool"}, LOGIN, 403, 403, 200),
    "pools:grant_new": ({"pk": "pool"}, LOGIN, 403, 403, 200),
    "pools:grant_withdraw": ({"pk": "grant"}, LOGIN, 403, 403, 405),
    "notifications:list": ({}, LOGIN, 403, 403, 200),
    "notifications:detail": ({"pk": "outbox"}, LOGIN, 403, 403, 200),
    "notifications:resend": ({"pk": "outbox"}, LOGIN, 403, 403, 405),
}
# The Django admin is for superusers: everyone else is sent to its own sign-in page.
ADMIN_NAMESPACE = "admin"


def all_url_names(resolver=None, namespace: str = "") -> set[str]:
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= all_url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            names.add(
                f"{namespace}{pattern.name}"
                if pattern.name
                else f"{namespace}<unnamed {pattern.pattern}>"
            )
    return names


def test_every_url_pattern_is_listed():
    names = {n for n in all_url_names() if not n.startswith(f"{ADMIN_NAMESPACE}:")}
    assert names - set(EXPECTED) == set(), "add these patterns to EXPECTED"
    assert set(EXPECTED) - names == set(), "these listed patterns no longer exist"


@pytest.fixture
def objects(forums, member_user, secretariat_user, settings, tmp_path):
    """One of each object a URL names: a Samarbejdsforum meeting whose agenda (with an
    attachment on an item) has been sent, and a member's proposal."""
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    meeting = schedule(forums["samarbejdsforum"])
    proposal = services.proposal_submit(
        actor=member_user,
        meeting=meeting,
        title="Forslag",
        description="Tekst",
        treatment="discussion",
    )
    item = meeting.items.get()
    attachment = attachment_store(
        upload=SimpleUploadedFile("bilag.pdf", b"%PDF-1.4 bilag"), user=secretariat_user, item=item
    )
    version = services.agenda_send(actor=secretariat_user, meeting=meeting)
    version.pdf.save("dagsorden.pdf", ContentFile(b"%PDF-1.4 dagsorden"))
    version.pack.save("samlet.pdf", ContentFile(b"%PDF-1.4 dagsorden med bilag"))
    after = meeting.starts_at + timedelta(hours=3)
    minutes = minutes_services.minutes_start(actor=secretariat_user, meeting=meeting, now=after)
    minutes_item = minutes.items.get()
    action = minutes_services.action_add(
        actor=secretariat_user,
        item=minutes_item,
        what="Følg op",
        responsible=item.responsible or Organisation.objects.get(short_name="TMF"),
    )
    minutes_version = minutes_services.minutes_send(
        actor=secretariat_user, minutes=minutes, now=after
    )
    minutes_version.pdf.save("referat.pdf", ContentFile(b"%PDF-1.4 referat"))
    comment = minutes_services.comment_add(
        actor=member_user, minutes=minutes, body="Bemærkning", now=after
    )
    agreement = FrameworkAgreement.objects.create(
        title="Hovedaftale",
        period_start=date(2025, 1, 1),
        period_end=date(2028, 12, 31),
        status="in_force",
    )
    theme = Theme.objects.create(agreement=agreement, title="Tryghed og trivsel")
    agreement_version = AgreementVersion.objects.create(
        agreement=agreement, number=1, adopted_on=date(2025, 1, 1), snapshot={"themes": []}
    )
    agreement_version.pdf.save("hovedaftale.pdf", ContentFile(b"%PDF-1.4 aftale"))
    housing = Organisation.objects.create(name="Boligselskabet", kind="housing_organisation")
    sub = SubAgreement.objects.create(
        title="Delaftale",
        theme="Udlejning",
        administration=Organisation.objects.get(short_name="TMF"),
        housing_organisation=housing,
        period_start=date(2025, 1, 1),
        period_end=date(2026, 12, 31),
    )
    sub_document = SubAgreementDocument.objects.create(
        sub_agreement=sub,
        file=ContentFile(b"%PDF-1.4", name="delaftale.pdf"),
        name="delaftale.pdf",
        content_type="application/pdf",
        size=8,
    )
    initiative = Initiative.objects.create(
        name="Områdefornyelse Nordvest",
        area="Bispebjerg",
        kind="area_renewal",
        period_start=date(2024, 1, 1),
        responsible=Organisation.objects.get(short_name="TMF"),
    )
    pool = Pool.objects.create(
        name="Pulje til tryghed",
        slug="tryghed",
        purpose="Tryghed",
        amount=1000000,
        authorised_on=date(2024, 12, 1),
        authorisation_reference="BR 1/2024",
        period_start=date(2025, 1, 1),
        period_end=date(2030, 12, 31),
        is_public=True,
    )
    grant = Grant.objects.create(
        pool=pool,
        meeting=meeting,
        minutes_item=minutes_item,
        amount=1000,
        recipient_project="Tryghedsvandring",
    )
    group = ThemeGroupFactory()
    member = group.members.create(person=Person.objects.get(user=member_user), side="housing")
    report = ThemeGroupReport.objects.create(
        theme_group=group, title="Rapport", text="Tekst", submitted_at=timezone.now()
    )
    report_document = report.documents.create(
        file=ContentFile(b"%PDF-1.4", name="rapport.pdf"),
        name="rapport.pdf",
        content_type="application/pdf",
        size=8,
    )
    message = OutboxMessage.objects.create(
        key="k", kind="invitation", recipient="a@example.org", subject="Emne", body_text="Tekst"
    )
    dialogue_round = DialogueRound.objects.create(year=2030)
    dialogue_area = dialogue_round.areas.create(name="Nørrebro", chosen_at=meeting)
    dialogue_meeting = dialogue_area.meetings.create(held_on=date(2030, 3, 1))
    dialogue_follow_up = dialogue_meeting.follow_ups.create(what="Følg op", responsible=housing)
    return {
        "organisation": Organisation.objects.first().pk,
        "person": Person.objects.first().pk,
        "membership": Membership.objects.first().pk,
        "theme_group": group.pk,
        "theme_group_member": member.pk,
        "theme_group_report_document": report_document.pk,
        "outbox": message.pk,
        "meeting": meeting.pk,
        "proposal": proposal.pk,
        "item": item.pk,
        "attachment": attachment.pk,
        "minutes_item": minutes_item.pk,
        "action": action.pk,
        "comment": comment.pk,
        "agreement": agreement.pk,
        "theme": theme.pk,
        "sub_agreement": sub.pk,
        "sub_document": sub_document.pk,
        "initiative": initiative.pk,
        "pool": pool.pk,
        "grant": grant.pk,
        "standard_item": meeting.forum.standard_items.get(title="Eventuelt").pk,
        "dialogue_year": dialogue_round.year,
        "dialogue_meeting": dialogue_meeting.pk,
        "dialogue_follow_up": dialogue_follow_up.pk,
    }


def check(client, url: str, expected) -> None:
    response = client.get(url)
    if expected == LOGIN:
        assert response.status_code == 302 and "/konto/log-ind/" in response["Location"], url
    elif expected == "health":
        assert response.status_code in (200, 503) and response["Content-Type"] == "application/json"
    else:
        assert response.status_code == expected, url


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_visitor_gets_the_expected_answer(
    name, objects, anonymous_client, member_client, other_member_client, secretariat_client
):
    from django.urls import reverse

    kwargs, *answers = EXPECTED[name]
    kwargs = {k: objects.get(v, v) for k, v in kwargs.items()}
    url = reverse(name, kwargs=kwargs)
    clients = [anonymous_client, member_client, other_member_client, secretariat_client]
    for client, expected in zip(clients, answers, strict=True):
        check(client, url, expected)


def test_the_admin_is_for_superusers_only(anonymous_client, member_client, secretariat_client):
    for client in (anonymous_client, member_client, secretariat_client):
        response = client.get("/admin/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


# --- The second factor ----------------------------------------------------------------------
# Pages a signed-in user may open before the second step: the step itself (with its passkey
# endpoints), signing out and the health check.
OPEN_BEFORE_THE_SECOND_STEP = {"accounts:logout", "core:healthz", "core:liveness"}


def _open_before_the_second_step(name: str) -> bool:
    return name in OPEN_BEFORE_THE_SECOND_STEP or name.startswith(
        ("accounts:second_factor", "accounts:passkey_script_catalog", "otp_webauthn:")
    )


def _password_only(user):
    from django.test import Client

    from conftest import force_login_password_only

    client = Client()
    force_login_password_only(client, user)
    return client


def _assert_sent_to_the_second_step(client, url: str) -> None:
    from urllib.parse import quote

    response = client.get(url)
    assert response.status_code == 302, url
    assert response["Location"] == f"/konto/totrin/?next={quote(url)}", url


def test_the_secretariat_without_a_verified_second_factor_is_sent_to_the_second_step(
    objects, secretariat_user
):
    """Every page of the table (every secretariat page among them) answers the secretariat
    that has given only its password with a redirect to the second step, never a 200."""
    from django.urls import reverse

    client = _password_only(secretariat_user)
    checked = 0
    for name, (kwargs, *_answers) in sorted(EXPECTED.items()):
        if _open_before_the_second_step(name):
            continue
        url = reverse(name, kwargs={k: objects.get(v, v) for k, v in kwargs.items()})
        _assert_sent_to_the_second_step(client, url)
        checked += 1
    # logout, healthz, liveness, 5 second-step and 5 passkey URLs
    assert checked == len(EXPECTED) - 13


def test_the_admin_asks_a_superuser_for_the_second_factor_on_every_page(forums):
    """Every page of the admin without arguments: the index, each app and each model's list
    and add form; the superuser has given only the password."""
    from django.contrib import admin
    from django.urls import reverse

    from forums.tests.factories import UserFactory

    superuser = UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    client = _password_only(superuser)
    urls = {reverse("admin:index"), reverse("admin:password_change")}
    for model in admin.site._registry:
        meta = model._meta
        urls.add(reverse("admin:app_list", args=[meta.app_label]))
        urls.add(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        urls.add(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
    assert len(urls) > 20
    for url in sorted(urls):
        _assert_sent_to_the_second_step(client, url)
