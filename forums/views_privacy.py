"""A person's personal data: the export (GDPR art. 15) and the erasure (art. 17)."""

import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.permissions import secretariat_required
from core.audit import audit_record
from core.errors import DomainError
from core.pages import Confirmation, confirm_page, confirmed
from core.personal_data import person_erase, person_record_parts, personal_data_export
from forums.models import Person


@require_GET
@secretariat_required
def person_export(request, pk: int):
    """Everything held about the person, as a readable JSON download."""
    person = get_object_or_404(Person, pk=pk)
    data = {
        "exported_at": timezone.now().isoformat(),
        "exported_by": request.user.email,
        **personal_data_export(person),
    }
    audit_record(actor=request.user, action="person.export", obj=person)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="persondata-{person.pk}.json"'
    return response


@secretariat_required
def person_erase_view(request, pk: int):
    person = get_object_or_404(Person.objects.select_related("user"), pk=pk)
    back = reverse("secretariat:person", args=[pk])
    if confirmed(request):
        try:
            person_erase(actor=request.user, person=person)
        except DomainError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(back)
        messages.success(request, _("»%(name)s« is erased.") % {"name": person.name})
        return redirect("secretariat:people")
    parts = person_record_parts(person)
    losses = [_("The person %(name)s and everything about them.") % {"name": person.name}]
    if person.user_id:
        losses.append(_("Their account %(email)s.") % {"email": person.user.email})
    confirmation = Confirmation(
        title=_("Erase %(name)s") % {"name": person.name},
        button=_("Erase the person"),
        cancel_url=back,
        intro=_("Erasing cannot be undone."),
        losses=[] if parts else losses,
        warnings=[
            _(
                "%(name)s is part of the record (%(parts)s) and cannot be erased; their "
                "contact data is erased when the retention period ends."
            )
            % {"name": person.name, "parts": ", ".join(parts)}
        ]
        if parts
        else [],
        danger=True,
    )
    return confirm_page(request, confirmation)
