"""Public meeting pages, the member's meeting page, proposals, attendance, files, feeds."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.formats import date_format
from django.utils.http import http_date
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.cache_stamps import public_cache
from core.contributions import contributed_context
from core.due import due_items
from core.forms import call_service
from core.pages import Confirmation, confirm_page, confirmed, form_page, post_action
from core.submission import landed_on, submit_once
from forums.models import Forum
from meetings import calendar, selectors, services, yearwheel
from meetings.archive import archive_context
from meetings.forms import AttachmentReplaceForm, AttendanceForm, ProposalForm
from meetings.models import Attachment, Attendance, CalendarToken, Meeting, Proposal


@public_cache("forums", "meetings")
def meeting_list(request):
    context = {"meetings": selectors.upcoming_meetings(), **archive_context(request)}
    return render(request, "meetings/list.html", context)


@public_cache("forums", "meetings")
def public_year_wheel(request, year: int):
    """The public year wheel: the year's meeting dates of the four forums, month by month
    (the public selectors: no deadlines, nothing closed)."""
    if not yearwheel.WHEEL_YEARS[0] <= year <= yearwheel.WHEEL_YEARS[1]:
        raise Http404
    context = {"year": year, "months": yearwheel.public_year_wheel(year)}
    return render(request, "meetings/year_wheel.html", context)


@public_cache("forums", "meeting:{pk}")
def meeting_public(request, pk: int):
    meeting = selectors.public_meeting_or_404(pk)
    version = selectors.public_agenda_version(meeting)
    context = {
        "meeting": meeting,
        "version": version,
        "items": selectors.public_agenda_items(version),
        "pending": selectors.public_agenda_pending(meeting),
        "sees_members_page": selectors.user_sees_forum(request.user, meeting.forum),
        # An archive entry or a meeting already begun without a public agenda will not get
        # one here: say so rather than promise it.
        "no_agenda_coming": meeting.is_archive or meeting.starts_at <= timezone.now(),
        # The minutes' part of the page (`minutes_public`) comes from `minutes`.
        **contributed_context("meeting_public", request, meeting),
    }
    return render(request, "meetings/public.html", context)


def _file_response(field, filename: str, *, inline: bool = False) -> FileResponse:
    if not field:
        raise Http404
    response = FileResponse(field.open("rb"), as_attachment=not inline, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def meeting_public_pdf(request, pk: int):
    meeting = selectors.public_meeting_or_404(pk)
    version = selectors.public_agenda_version(meeting)
    if version is None or not version.public_pdf:
        raise Http404
    return _file_response(version.public_pdf, f"dagsorden-{meeting.day:%Y-%m-%d}.pdf")


def meeting_public_pack(request, pk: int):
    """The public agenda pack (public items only) of a public agenda; 404 until built."""
    meeting = selectors.public_meeting_or_404(pk)
    version = selectors.public_agenda_version(meeting)
    if version is None or not version.public_pack:
        raise Http404
    return _file_response(version.public_pack, f"dagsorden-med-bilag-{meeting.day:%Y-%m-%d}.pdf")


@login_required
def meeting_member(request, pk: int):
    meeting = selectors.meeting_for_member_or_404(request.user, pk)
    person = selectors.member_person(request.user)
    released = selectors.released_versions(meeting)
    version = released.first()
    attendance = (
        Attendance.objects.filter(meeting=meeting, person=person).first() if person else None
    )
    substitutes = selectors.substitutes_for(person, meeting.forum, on=meeting.day) if person else []
    context = {
        "meeting": meeting,
        "version": version,
        "items": version.items if version else [],
        "versions": released.reverse(),
        "pending": selectors.version_in_grace(meeting),
        "timeline": selectors.meeting_timeline(meeting),
        "may_propose": selectors.may_propose(request.user, meeting),
        "proposals_open": selectors.proposals_open(meeting),
        "closed_message": selectors.proposals_closed_message(meeting),
        "my_proposals": meeting.proposals.filter(proposer=request.user).prefetch_related(
            "attachments"
        ),
        "attendance": attendance,
        "person": person,
        # `minutes_sent` (the link to the minutes) comes from `minutes`.
        **contributed_context("meeting_member", request, meeting),
        "attendance_form": AttendanceForm(
            substitutes=substitutes,
            initial={
                "status": attendance.status if attendance else None,
                "substitute": attendance.substitute_id if attendance else None,
            },
        )
        if person
        else None,
    }
    return render(request, "meetings/member.html", context)


@login_required
def agenda_version(request, pk: int, number: int):
    meeting = selectors.meeting_for_member_or_404(request.user, pk)
    version = get_object_or_404(selectors.released_versions(meeting), number=number)
    return render(
        request,
        "meetings/version.html",
        {"meeting": meeting, "version": version, "items": version.items},
    )


@login_required
def agenda_version_pdf(request, pk: int, number: int):
    meeting = selectors.meeting_for_member_or_404(request.user, pk)
    version = get_object_or_404(selectors.released_versions(meeting), number=number)
    return _file_response(version.pdf, f"dagsorden-{meeting.day:%Y-%m-%d}-v{number}.pdf")


@login_required
def agenda_version_pack(request, pk: int, number: int):
    """A released version's agenda pack for the forum's members (the e-mail links here);
    while it is being built, the meeting's page says so."""
    meeting = selectors.meeting_for_member_or_404(request.user, pk)
    version = get_object_or_404(selectors.released_versions(meeting), number=number)
    if not version.pack:
        messages.info(request, _("The agenda with attachments is being prepared"))
        return redirect("meetings:member", pk=meeting.pk)
    filename = f"dagsorden-med-bilag-{meeting.day:%Y-%m-%d}-v{number}.pdf"
    return _file_response(version.pack, filename)


@login_required
def proposal_new(request, pk: int):
    meeting = selectors.meeting_for_member_or_404(request.user, pk)
    if not selectors.may_propose(request.user, meeting):
        raise Http404
    form = ProposalForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("files", "submission_key")}

        def save() -> str | None:
            proposal = call_service(
                form,
                lambda: services.proposal_submit(
                    actor=request.user, meeting=meeting, files=form.cleaned_data["files"], **data
                ),
            )
            if not proposal:
                return None
            return landed_on(proposal, reverse("meetings:member", args=[meeting.pk]))

        done = submit_once(
            request,
            form,
            save,
            success=_("Your proposal is submitted. The secretariat will decide on it."),
            repeated=_("Your proposal was already submitted."),
        )
        if done is not None:
            return done
    return render(
        request,
        "meetings/proposal_form.html",
        {
            "form": form,
            "meeting": meeting,
            "proposals_open": selectors.proposals_open(meeting),
            "closed_message": selectors.proposals_closed_message(meeting),
            "title": _("Propose an agenda item"),
        },
    )


def _own_proposal(request, pk: int) -> Proposal:
    proposal = get_object_or_404(Proposal.objects.select_related("meeting__forum"), pk=pk)
    selectors.meeting_for_member_or_404(request.user, proposal.meeting_id)
    if proposal.proposer_id != request.user.pk and not request.user.is_secretariat:
        raise Http404
    return proposal


@login_required
def proposal_edit(request, pk: int):
    proposal = _own_proposal(request, pk)
    form = ProposalForm(request.POST or None, request.FILES or None, instance=proposal)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("files", "submission_key")}
        saved = call_service(
            form,
            lambda: services.proposal_update(
                actor=request.user, proposal=proposal, files=form.cleaned_data["files"], **data
            ),
        )
        if saved:
            messages.success(request, _("Your proposal is saved."))
            return redirect("meetings:member", pk=proposal.meeting_id)
    return render(
        request,
        "meetings/proposal_form.html",
        {
            "form": form,
            "meeting": proposal.meeting,
            "proposal": proposal,
            "proposals_open": selectors.proposals_open(proposal.meeting),
            "closed_message": selectors.proposals_closed_message(proposal.meeting),
            "title": _("Edit proposal"),
        },
    )


@login_required
@require_POST
def proposal_withdraw(request, pk: int):
    proposal = _own_proposal(request, pk)
    return post_action(
        request,
        lambda: services.proposal_withdraw(actor=request.user, proposal=proposal),
        _("Your proposal is withdrawn."),
        reverse("meetings:member", args=[proposal.meeting_id]),
    )


@login_required
@require_POST
def attendance(request, pk: int):
    meeting = selectors.meeting_for_member_or_404(request.user, pk)
    person = selectors.member_person(request.user)
    if person is None:
        raise Http404
    form = AttendanceForm(
        request.POST, substitutes=selectors.substitutes_for(person, meeting.forum, on=meeting.day)
    )
    if form.is_valid() and call_service(
        form,
        lambda: services.attendance_register(
            actor=request.user, meeting=meeting, person=person, **form.cleaned_data
        ),
    ):
        messages.success(request, _("Your attendance is registered."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("meetings:member", pk=meeting.pk)


def attachment_download(request, pk: int):
    attachment = get_object_or_404(
        Attachment.all_objects.select_related("item__meeting__forum", "proposal__meeting__forum"),
        pk=pk,
    )
    if not selectors.attachment_visible(request.user, attachment):
        raise Http404
    return _file_response(attachment.file, attachment.name)


def _feed_response(request, feed: calendar.Feed, *, public: bool) -> HttpResponse:
    """Serve a feed with its validators (ETag, Last-Modified) and answer a conditional GET
    whose validator still matches with 304 (RFC 9110 §13, If-None-Match before
    If-Modified-Since). A public feed may be kept for `calendar.REFRESH` by any cache; a
    personal one (a secret address) keeps the site's `private, no-store`
    (core.middleware) and is revalidated on each poll, cheaply, by its ETag."""
    modified = int(feed.last_modified.timestamp()) if feed.last_modified else None
    response = get_conditional_response(request, etag=feed.etag, last_modified=modified)
    if response is None:
        response = HttpResponse(feed.body, content_type="text/calendar; charset=utf-8")
    response["ETag"] = feed.etag
    if modified is not None:
        response["Last-Modified"] = http_date(modified)
    if public:
        patch_cache_control(response, public=True, max_age=int(calendar.REFRESH.total_seconds()))
    return response


@public_cache("forums", "meetings")
def forum_feed(request, slug: str):
    forum = get_object_or_404(Forum, slug=slug)
    feed = calendar.feed_ics(
        calendar.with_changed_at(selectors.public_calendar(forum)),
        name=forum.name,
        url_for=lambda m: request.build_absolute_uri(m.get_absolute_url()),
    )
    return _feed_response(request, feed, public=True)


def personal_feed(request, token: str):
    calendar_token = get_object_or_404(CalendarToken.objects.select_related("user"), token=token)
    user = calendar_token.user
    if not user.is_active:
        raise Http404
    forums = [f.pk for f in selectors.forums_for_user(user)]
    meetings = Meeting.objects.filter(forum__in=forums, is_archive=False).select_related("forum")
    feed = calendar.personal_feed_ics(
        calendar.with_changed_at(meetings.order_by("starts_at")),
        name=_("My meetings – Fællesindgang"),
        url_for=lambda m: request.build_absolute_uri(reverse("meetings:member", args=[m.pk])),
        reminders=user.calendar_reminders,
        due=_secretariat_deadlines(user),
        due_url=request.build_absolute_uri,
    )
    return _feed_response(request, feed, public=False)


# How far ahead the secretariat's personal feed carries its deadlines (core.due).
FEED_DEADLINES_AHEAD = timedelta(days=400)


def _secretariat_deadlines(user) -> list:
    """The deadlines the secretariat must act on (core.due), for its personal feed; none
    for anyone else."""
    if not user.is_secretariat:
        return []
    now = timezone.now()
    return due_items(now=now, until=now + FEED_DEADLINES_AHEAD)


@login_required
@require_POST
def calendar_token_reset(request):
    """Make (or replace) the secret of the personal feed: the old address stops working."""
    services.calendar_token_renew(actor=request.user, user=request.user)
    messages.success(
        request, _("Your personal calendar address is new; the old one no longer works.")
    )
    return redirect("accounts:dashboard")


# --- Changing attachments (the secretariat; the proposer until the proposal closes) -------


def _changeable_attachment(request, pk: int) -> Attachment:
    attachment = get_object_or_404(
        Attachment.objects.select_related(
            "item__meeting__forum", "proposal__meeting__forum", "proposal__proposer"
        ),
        pk=pk,
    )
    if not selectors.attachment_visible(request.user, attachment):
        raise Http404
    if request.method == "GET" and not selectors.may_change_attachment(request.user, attachment):
        raise PermissionDenied
    return attachment


def _back_from(request, attachment: Attachment) -> str:
    if request.user.is_secretariat:
        meeting_id = (attachment.item or attachment.proposal).meeting_id
        anchor = f"#item-{attachment.item_id}" if attachment.item_id else "#proposals-heading"
        return reverse("meetings:workspace", args=[meeting_id]) + anchor
    return reverse("meetings:proposal_edit", args=[attachment.proposal_id])


@login_required
def attachment_remove(request, pk: int):
    """Remove an attachment through a confirmation page that names the file (no JavaScript
    needed): a GET, or a POST without ``confirm=1``, only shows what would be removed."""
    attachment = _changeable_attachment(request, pk)
    if confirmed(request):
        return post_action(
            request,
            lambda: services.attachment_remove(actor=request.user, attachment=attachment),
            _("The attachment »%(name)s« is removed.") % {"name": attachment.name},
            _back_from(request, attachment),
        )
    if not selectors.may_change_attachment(request.user, attachment):
        raise PermissionDenied
    owner = attachment.item or attachment.proposal
    return confirm_page(
        request,
        Confirmation(
            title=_("Remove the attachment »%(name)s«") % {"name": attachment.name},
            intro=_("From »%(title)s«, added %(day)s.")
            % {
                "title": owner.title,
                "day": date_format(localtime(attachment.uploaded_at), "j. F Y H:i"),
            },
            button=_("Remove the attachment"),
            cancel_url=_back_from(request, attachment),
            losses=[
                _(
                    "The file »%(name)s« is removed from the item; an agenda version already "
                    "sent keeps offering it."
                )
                % {"name": attachment.name}
            ],
            danger=True,
        ),
    )


@login_required
@require_POST
def attachment_shift(request, pk: int, step: int):
    attachment = _changeable_attachment(request, pk)
    return post_action(
        request,
        lambda: services.attachment_shift(actor=request.user, attachment=attachment, step=step),
        _("The attachment »%(name)s« is moved.") % {"name": attachment.name},
        _back_from(request, attachment),
    )


@login_required
def attachment_replace(request, pk: int):
    attachment = _changeable_attachment(request, pk)
    form = AttachmentReplaceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        new = call_service(
            form,
            lambda: services.attachment_replace(
                actor=request.user, attachment=attachment, upload=form.cleaned_data["file"]
            ),
        )
        if new:
            messages.success(
                request,
                _("»%(old)s« is replaced by »%(new)s«.")
                % {"old": attachment.name, "new": new.name},
            )
            return redirect(_back_from(request, attachment))
    return form_page(
        request,
        form,
        title=_("Replace an attachment"),
        cancel_url=_back_from(request, attachment),
        intro=attachment.name,
        multipart=True,
    )
