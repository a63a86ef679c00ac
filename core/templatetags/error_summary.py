"""`{% error_summary %}`: at the top of every page whose form came back with errors, a box
that lists them, each linked to its field, and takes the focus (WCAG 3.3.1, GOV.UK's error
summary pattern). base.html renders it, so no form page has to remember it."""

from django import template
from django.forms import BaseForm
from django.forms.formsets import BaseFormSet
from django.template.loader import render_to_string

register = template.Library()


def forms_with_errors(context) -> list:
    """The bound forms in the template context that have errors (a bound formset's forms
    each, and the formset itself when it has errors of its own), each once, in order."""
    found: list = []

    def add(form) -> None:
        if all(form is not seen for seen in found):
            found.append(form)

    for value in context.flatten().values():
        if isinstance(value, BaseFormSet) and value.is_bound:
            if value.non_form_errors():
                add(value)
            for form in value.forms:
                if form.errors:
                    add(form)
        elif isinstance(value, BaseForm) and value.is_bound and value.errors:
            add(value)
    return found


def error_items(forms) -> list[dict]:
    """[{"label", "message", "anchor"}]: every error of `forms`, the form's own (non-field)
    errors first; `anchor` is the field's id ("" for a hidden field or the form's own)."""
    items = []
    for form in forms:
        if isinstance(form, BaseFormSet):
            items += [{"label": "", "message": m, "anchor": ""} for m in form.non_form_errors()]
            continue
        items += [{"label": "", "message": m, "anchor": ""} for m in form.non_field_errors()]
        for name, errors in form.errors.items():
            if name == "__all__" or name not in form.fields:
                continue
            field = form[name]
            anchor = "" if field.is_hidden else field.id_for_label or ""
            items += [{"label": field.label, "message": m, "anchor": anchor} for m in errors]
    return items


@register.simple_tag(takes_context=True)
def error_summary(context) -> str:
    items = error_items(forms_with_errors(context))
    if not items:
        return ""
    return render_to_string("includes/fragment_error_summary.html", {"items": items})


@register.filter
def has_required_fields(form) -> bool:
    """True when `form` shows a required field (marked »*« by crispy-bootstrap5)."""
    fields = getattr(form, "visible_fields", lambda: [])()
    return any(field.field.required and field.label for field in fields)
