from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.permissions import secretariat_required
from notifications.forms import OutboxFilterForm
from notifications.models import OutboxMessage
from notifications.selectors import outbox_backlog
from notifications.services import outbox_resend


@secretariat_required
def outbox_list(request):
    filters = OutboxFilterForm(request.GET)
    filters.explain(request)
    q, status = filters.values()["q"], filters.values()["status"]
    qs = OutboxMessage.objects.all()
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(recipient__icontains=q) | Q(subject__icontains=q) | Q(kind__icontains=q))
    page = Paginator(
        qs.only(
            "pk", "recipient", "subject", "kind", "status", "created_at", "sent_at", "attempts"
        ),
        50,
    ).get_page(request.GET.get("page"))
    context = {
        "q": q,
        "status": status,
        "statuses": OutboxMessage.Status.choices,
        "page_obj": page,
        "backlog": outbox_backlog(now=timezone.now()),
        "query_string": urlencode({k: v for k, v in {"q": q, "status": status}.items() if v}),
    }
    return render(request, "notifications/outbox_list.html", context)


@secretariat_required
def outbox_detail(request, pk: int):
    message = get_object_or_404(OutboxMessage, pk=pk)
    return render(request, "notifications/outbox_detail.html", {"message": message})


@secretariat_required
@require_POST
def outbox_resend_view(request, pk: int):
    message = get_object_or_404(OutboxMessage, pk=pk)
    try:
        outbox_resend(actor=request.user, message=message)
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The message is queued to be sent again."))
    return redirect("notifications:detail", pk=pk)
