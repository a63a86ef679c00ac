from datetime import date

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from agreements.models import AgreementVersion, FrameworkAgreement, Initiative, SubAgreement
from meetings.models import Meeting
from meetings.selectors import public_meetings
from minutes.models import MinutesItem
from minutes.selectors import public_decisions


def agreement_in_force(on: date | None = None) -> FrameworkAgreement | None:
    on = on or timezone.localdate()
    return (
        FrameworkAgreement.objects.filter(
            status=FrameworkAgreement.Status.IN_FORCE, period_start__lte=on
        )
        .order_by("-period_start")
        .first()
        or FrameworkAgreement.objects.filter(status=FrameworkAgreement.Status.IN_FORCE)
        .order_by("period_start")
        .first()
    )


# --- What the public sees ---------------------------------------------------------------
# Every public page, PDF, feed and sitemap entry about agreements and initiatives reads
# through these.

PUBLIC_AGREEMENT_STATUSES = [
    FrameworkAgreement.Status.IN_FORCE,
    FrameworkAgreement.Status.EXPIRED,
    FrameworkAgreement.Status.REPLACED,
]


def public_agreements() -> QuerySet[FrameworkAgreement]:
    """Framework agreements that have entered into force (in force, expired or replaced),
    newest period first; drafts and negotiated ones are internal."""
    return FrameworkAgreement.objects.filter(status__in=PUBLIC_AGREEMENT_STATUSES).order_by(
        "-period_start"
    )


def public_agreement_or_404(pk: int) -> FrameworkAgreement:
    return get_object_or_404(public_agreements(), pk=pk)


def public_agreement_versions() -> QuerySet[AgreementVersion]:
    """Every version of every public agreement, newest first (the Atom feed, RFC 4287)."""
    return (
        AgreementVersion.objects.filter(agreement__in=public_agreements())
        .select_related("agreement", "meeting__forum")
        .order_by("-created_at", "-pk")
    )


def public_sub_agreements() -> QuerySet[SubAgreement]:
    """Sub-agreements the secretariat has published; the others are internal."""
    return SubAgreement.objects.filter(is_published=True).select_related(
        "administration", "housing_organisation"
    )


def visible_sub_agreement_or_404(user, pk: int) -> SubAgreement:
    """Any sub-agreement for the secretariat, a published one for everyone else."""
    secretariat = user.is_authenticated and user.is_secretariat
    qs = SubAgreement.objects if secretariat else public_sub_agreements()
    return get_object_or_404(qs.select_related("administration", "housing_organisation"), pk=pk)


def public_initiatives() -> QuerySet[Initiative]:
    """The register of area-based initiatives is public, every entry of it."""
    return Initiative.objects.select_related("responsible")


def public_initiative_meetings(initiative: Initiative) -> QuerySet[Meeting]:
    """The meetings that concern the initiative, newest first (their time, place and
    forum are public; their agenda and minutes follow their own rules)."""
    return public_meetings().filter(initiatives=initiative).order_by("-starts_at")


def public_initiative_decisions(initiative: Initiative) -> QuerySet[MinutesItem]:
    """The decisions that concern the initiative and that the public may read
    (minutes.selectors.public_decisions: open items of public, approved minutes)."""
    return public_decisions().filter(initiatives=initiative)


def latest_agreement_version(agreement: FrameworkAgreement) -> AgreementVersion | None:
    return agreement.versions.order_by("-number").first()


def public_versions(agreement: FrameworkAgreement) -> QuerySet[AgreementVersion]:
    return agreement.versions.select_related("meeting__forum").order_by("-number")


def sub_agreement_register(
    *,
    published_only: bool = False,
    theme: str = "",
    administration=None,
    housing_organisation=None,
    status: str = "",
) -> QuerySet[SubAgreement]:
    qs = (
        public_sub_agreements()
        if published_only
        else SubAgreement.objects.select_related("administration", "housing_organisation")
    )
    if theme:
        qs = qs.filter(Q(theme__icontains=theme) | Q(goals__title__icontains=theme)).distinct()
    if administration:
        qs = qs.filter(administration=administration)
    if housing_organisation:
        qs = qs.filter(housing_organisation=housing_organisation)
    if status:
        qs = qs.filter(status=status)
    return qs


def initiative_register(*, kind: str = "", status: str = "") -> QuerySet[Initiative]:
    qs = public_initiatives()
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs


def initiative_status_summary() -> str:
    """One line for Borgmesterforum's standing item: how many initiatives in each state."""
    counts = {s: Initiative.objects.filter(status=s).count() for s in Initiative.Status.values}
    return ", ".join(f"{counts[s]} {label.lower()}" for s, label in Initiative.Status.choices)


# --- The negotiated text goes out with Partnerskabsforum's minutes (issue 10 §4) ----------

NEGOTIATED_STATUSES = [FrameworkAgreement.Status.NEGOTIATED, *PUBLIC_AGREEMENT_STATUSES]


def negotiated_at_meeting(meeting: Meeting) -> QuerySet[FrameworkAgreement]:
    """The framework agreements Partnerskabsforum negotiated at `meeting`."""
    return FrameworkAgreement.objects.filter(
        negotiated_at=meeting, status__in=NEGOTIATED_STATUSES
    ).select_related("negotiated_at__forum")


def negotiated_text_visible(user, agreement: FrameworkAgreement) -> bool:
    """Who may read the text as negotiated: the secretariat; the members of the forum that
    negotiated it (Partnerskabsforum, Borgmesterforum's members included), who receive it
    with the minutes; everyone once the agreement is public or those minutes are."""
    from forums.selectors import forum_people
    from meetings.selectors import member_person
    from minutes.selectors import public_minutes_for

    meeting = agreement.negotiated_at
    if meeting is None or agreement.status not in NEGOTIATED_STATUSES:
        return False
    if agreement.is_public or (public_minutes_for(meeting) and went_out_with_minutes(agreement)):
        return True
    if not user.is_authenticated:
        return False
    if user.is_secretariat:
        return True
    person = member_person(user)
    return bool(person) and person.pk in {p.pk for p in forum_people(meeting.forum)}


def negotiated_minutes_extras(meeting: Meeting) -> list:
    """core.minutes_hooks extras source: each agreement negotiated at `meeting`, as a PDF
    of its text (rendered when the e-mail is written) linked from the minutes page."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from agreements.pdf import render_negotiated_pdf
    from agreements.services import agreement_snapshot
    from core.minutes_hooks import MinutesExtra

    return [
        MinutesExtra(
            label=_("%(title)s, as negotiated (PDF)") % {"title": agreement.title},
            url=reverse("agreements:negotiated_pdf", args=[agreement.pk]),
            filename=f"hovedaftale-{agreement.period_start:%Y}-{agreement.period_end:%Y}"
            "-forhandlet.pdf",
            content=lambda a=agreement: render_negotiated_pdf(a, agreement_snapshot(a)),
        )
        for agreement in negotiated_at_meeting(meeting)
        if went_out_with_minutes(agreement)
    ]


def went_out_with_minutes(agreement: FrameworkAgreement) -> bool:
    """Whether the agreement's negotiated text is (or will be) part of its negotiating
    meeting's minutes: True while those minutes are unsent or when the negotiation was
    registered (its »agreement.negotiated« audit entry) no later than they were sent.
    Minutes sent before the negotiation was registered never gain it (issue 10, QA), so
    their frozen, approved public page lists nothing that was not sent."""
    from django.contrib.contenttypes.models import ContentType

    from core.models import AuditEntry
    from minutes.models import Minutes

    if not agreement.negotiated_at_id:
        return False
    sent_at = (
        Minutes.objects.filter(meeting_id=agreement.negotiated_at_id)
        .values_list("sent_at", flat=True)
        .first()
    )
    if sent_at is None:
        return True
    registered_at = (
        AuditEntry.objects.filter(
            action="agreement.negotiated",
            content_type=ContentType.objects.get_for_model(FrameworkAgreement),
            object_id=str(agreement.pk),
        )
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return registered_at is None or registered_at <= sent_at
