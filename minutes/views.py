"""The members' minutes page (comments, no remarks, versions and their comparison), the
public approved minutes, and the decisions register."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.cache_stamps import public_cache
from core.diff import word_diff
from core.errors import DomainError
from core.forms import call_service
from core.pages import post_action
from core.spreadsheets import csv_writer, xlsx_bytes
from core.submission import landed_on, submit_once
from forums.selectors import forums_for_user
from meetings.selectors import meeting_for_member_or_404, member_person, public_meeting_or_404
from meetings.views import _file_response
from minutes import exports, selectors, services
from minutes.forms import ActionStatusForm, CommentForm, RegisterFilterForm
from minutes.models import Comment, FollowUpAction, Minutes, MinutesVersion

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sent_minutes_or_404(user, meeting_pk: int) -> Minutes:
    meeting = meeting_for_member_or_404(user, meeting_pk)
    minutes = Minutes.objects.filter(meeting=meeting).select_related("meeting__forum").first()
    if minutes is None or (not selectors.released(minutes) and not user.is_secretariat):
        raise Http404  # a draft, or minutes still in their grace period
    return minutes


@login_required
def member_page(request, pk: int):
    return _member_page(request, _sent_minutes_or_404(request.user, pk))


def _member_page(request, minutes: Minutes, form: CommentForm | None = None, status: int = 200):
    """The members' page; `form` is a refused comment form, shown again with what was typed
    and the reason at the form."""
    person = member_person(request.user)
    if person:
        services.mark_opened(person=person, minutes=minutes)
    version = selectors.current_version(minutes)
    context = {
        "minutes": minutes,
        "meeting": minutes.meeting,
        "version": version,
        "items": version.items if version else [],
        "attendance": selectors.attendance_shown(minutes, version),
        "versions": minutes.versions.filter(is_final=False).order_by("number"),
        "window_open": selectors.window_open(minutes),
        "comments": minutes.comments.select_related("author", "item"),
        "person": person,
        "form": form or CommentForm(minutes=minutes),
        "receipt": selectors.receipt_for(minutes, person) if person else None,
        "has_commented": bool(person and minutes.comments.filter(author=person).exists()),
        "errata": minutes.errata.all(),
    }
    return render(request, "minutes/member.html", context, status=status)


def _redirect_member(minutes: Minutes):
    return redirect("minutes:member", pk=minutes.meeting_id)


@login_required
@require_POST
def comment_add(request, pk: int):
    minutes = _sent_minutes_or_404(request.user, pk)
    form = CommentForm(request.POST, minutes=minutes)
    if form.is_valid():

        def save() -> str | None:
            comment = call_service(
                form,
                lambda: services.comment_add(
                    actor=request.user,
                    minutes=minutes,
                    body=form.cleaned_data["body"],
                    item=form.cleaned_data["item"],
                ),
            )
            if not comment:
                return None
            return landed_on(comment, reverse("minutes:member", args=[minutes.meeting_id]))

        done = submit_once(
            request,
            form,
            save,
            success=_("Your comment is saved."),
            repeated=_("Your comment was already saved."),
        )
        if done is not None:
            return done
    # Refused (the window closed since the page was loaded, a bad field): the page again,
    # the text kept and the reason at the form — never a redirect that drops the text.
    messages.error(request, _("Your comment is not saved; see the form below."))
    return _member_page(request, minutes, form=form, status=400)


def _own_comment_or_404(request, pk: int) -> Comment:
    comment = get_object_or_404(
        Comment.objects.select_related("minutes__meeting__forum", "author"), pk=pk
    )
    _sent_minutes_or_404(request.user, comment.minutes.meeting_id)
    person = member_person(request.user)
    if person is None or person.pk != comment.author_id:
        raise Http404
    return comment


@login_required
def comment_edit(request, pk: int):
    comment = _own_comment_or_404(request, pk)
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(
            form,
            lambda: services.comment_update(
                actor=request.user, comment=comment, body=form.cleaned_data["body"]
            ),
        )
    ):
        messages.success(request, _("Your comment is saved."))
        return _redirect_member(comment.minutes)
    return render(
        request,
        "minutes/comment_form.html",
        {
            "form": form,
            "comment": comment,
            "minutes": comment.minutes,
            "window_open": selectors.window_open(comment.minutes),
            "locked": bool(comment.disposition),
            "unsaved": request.POST.get("body", "") if comment.disposition else "",
        },
    )


@login_required
@require_POST
def comment_delete(request, pk: int):
    comment = _own_comment_or_404(request, pk)
    return post_action(
        request,
        lambda: services.comment_delete(actor=request.user, comment=comment),
        _("Your comment is deleted."),
        reverse("minutes:member", args=[comment.minutes.meeting_id]),
    )


@login_required
@require_POST
def no_remarks(request, pk: int):
    minutes = _sent_minutes_or_404(request.user, pk)
    return post_action(
        request,
        lambda: services.no_remarks(actor=request.user, minutes=minutes),
        _("Registered: you have no remarks."),
        reverse("minutes:member", args=[minutes.meeting_id]),
    )


@login_required
def version_page(request, pk: int, number: int):
    minutes = _sent_minutes_or_404(request.user, pk)
    version = get_object_or_404(MinutesVersion, minutes=minutes, number=number, is_final=False)
    return render(
        request,
        "minutes/version.html",
        {
            "minutes": minutes,
            "meeting": minutes.meeting,
            "version": version,
            "items": version.items,
            "attendance": selectors.attendance_shown(minutes, version),
        },
    )


@login_required
def version_pdf(request, pk: int, number: int):
    minutes = _sent_minutes_or_404(request.user, pk)
    final = request.GET.get("endelig") == "1"
    version = get_object_or_404(MinutesVersion, minutes=minutes, number=number, is_final=final)
    latest_erratum = minutes.errata.order_by("-created_at").first() if final else None
    filename = f"referat-{minutes.meeting.day:%Y-%m-%d}-v{number}.pdf"
    attendance = selectors.attendance_shown(minutes, version)
    if not final and attendance != version.snapshot.get("attendance", []):
        # Attendance recorded after this draft was sent: print it (until approval), without
        # rewriting the stored PDF of what was sent.
        from minutes.pdf import render_minutes_pdf

        response = HttpResponse(
            render_minutes_pdf(version, public=False, attendance=attendance),
            content_type="application/pdf",
        )
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response
    field = latest_erratum.pdf if latest_erratum else version.pdf
    return _file_response(field, filename)


def compare_versions(a: MinutesVersion, b: MinutesVersion) -> list[dict]:
    """Item by item, word by word: how version `b` differs from version `a`."""
    old = {item["position"]: item for item in a.items}
    rows = []
    for item in b.items:
        before = old.get(item["position"], {"title": "", "summary": "", "decision": ""})
        rows.append(
            {
                "position": item["position"],
                "title": word_diff(before["title"], item["title"]),
                "summary": word_diff(before["summary"], item["summary"]),
                "decision": word_diff(before["decision"], item["decision"]),
            }
        )
    return rows


@login_required
def compare(request, pk: int):
    minutes = _sent_minutes_or_404(request.user, pk)
    versions = list(minutes.versions.filter(is_final=False).order_by("number"))
    if not versions:
        raise Http404
    numbers = [v.number for v in versions]
    try:
        first = int(request.GET.get("fra", numbers[0]))
        second = int(request.GET.get("til", numbers[-1]))
    except ValueError:
        raise Http404 from None
    by_number = {v.number: v for v in versions}
    if first not in by_number or second not in by_number:
        raise Http404
    context = {
        "minutes": minutes,
        "meeting": minutes.meeting,
        "numbers": numbers,
        "first": first,
        "second": second,
        "rows": compare_versions(by_number[first], by_number[second]),
        "introduction": word_diff(
            by_number[first].snapshot.get("introduction", ""),
            by_number[second].snapshot.get("introduction", ""),
        ),
    }
    return render(request, "minutes/compare.html", context)


def _public_minutes_or_404(pk: int) -> Minutes:
    minutes = selectors.public_minutes_for(public_meeting_or_404(pk))
    if minutes is None:
        raise Http404
    return minutes


@public_cache("forums", "meeting:{pk}")
def public_page(request, pk: int):
    minutes = _public_minutes_or_404(pk)
    return render(
        request,
        "minutes/public.html",
        {
            "meeting": minutes.meeting,
            "minutes": minutes,
            "version": selectors.final_version(minutes),
            "items": selectors.public_minutes_items(minutes),
            "errata": minutes.errata.all(),
        },
    )


def public_pdf(request, pk: int):
    minutes = _public_minutes_or_404(pk)
    final = selectors.final_version(minutes)
    latest_erratum = minutes.errata.order_by("-created_at").first()
    field = latest_erratum.public_pdf if latest_erratum else (final.public_pdf if final else None)
    return _file_response(field, f"referat-{minutes.meeting.day:%Y-%m-%d}.pdf")


# --- The decisions register ---------------------------------------------------------------


def _register_query(request):
    forums = forums_for_user(request.user)
    form = RegisterFilterForm(request.GET)
    filters = form.values()
    forum = next((f for f in forums if f.slug == filters.get("forum")), None)
    actions = selectors.actions_register(
        forums=forums,
        forum=forum,
        responsible=filters.get("responsible"),
        status=filters.get("status", ""),
        due_before=filters.get("due_before"),
        overdue=filters.get("overdue", False),
    )
    return forums, form, forum, actions


@login_required
def register(request):
    forums, form, forum, actions = _register_query(request)
    form.explain(request)
    context = {
        "forums": forums,
        "form": form,
        "selected_forum": forum.slug if forum else "",
        "actions": actions,
        "decisions": selectors.decisions(forums=forums, forum=forum)[:200],
        "today": timezone.localdate(),
        "status_choices": FollowUpAction.Status.choices,
        "query": request.GET.urlencode(),
        "may_update": selectors.updatable_actions(request.user, actions),
    }
    return render(request, "minutes/register.html", context)


@login_required
def register_csv(request):
    _forums, _form, _forum, actions = _register_query(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="beslutninger.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 with a byte-order mark
    writer = csv_writer(response)
    writer.writerow(exports.register_header())
    for row in exports.register_rows(actions):
        writer.writerow(value.isoformat() if isinstance(value, date) else value for value in row)
    return response


@login_required
def register_xlsx(request):
    """The same table as register_csv, as a workbook with date cells."""
    _forums, _form, _forum, actions = _register_query(request)
    data = xlsx_bytes(
        sheet=_("Decisions register"),
        header=exports.register_header(),
        rows=exports.register_rows(actions),
    )
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="beslutninger.xlsx"'
    return response


@login_required
@require_POST
def action_status(request, pk: int):
    action = selectors.action_for_status_update_or_404(request.user, pk)
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        try:
            services.action_set_status(
                actor=request.user, action=action, status=form.cleaned_data["status"]
            )
        except DomainError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The status is updated."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("minutes:register")
    return redirect(target)
