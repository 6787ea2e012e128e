"""What a browser posts back from an admin change page: every field of its form and of its
inlines' forms as rendered, so a test changes only what a teacher would (add a row, pick
a choice) and posts the rest untouched."""

from django.forms import MultiWidget


def _value(bound):
    value = bound.value()
    if isinstance(value, bool):
        return "on" if value else None
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return str(value)


def _add(data, form):
    for bound in form:
        if bound.field.disabled:
            continue
        widget = bound.field.widget
        inner = getattr(widget, "widget", widget)  # the admin's related-field wrapper
        if isinstance(inner, MultiWidget):
            parts = inner.decompress(bound.value())
            for i, part in enumerate(parts):
                data[f"{bound.html_name}_{i}"] = "" if part is None else str(part)
            continue
        value = _value(bound)
        if value is not None:
            data[bound.html_name] = value


def change_form_data(response) -> dict:
    """The change form in `response` (a GET of an admin add or change page), as posted."""
    data: dict = {}
    _add(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        _add(data, formset.management_form)
        for form in formset.forms:
            _add(data, form)
    return data


def add_row(data: dict, prefix: str, values: dict) -> dict:
    """`data` with one more row in the inline `prefix` (its TOTAL_FORMS counts it)."""
    n = int(data[f"{prefix}-TOTAL_FORMS"])
    rows = {k: v for k, v in data.items() if not k.startswith(f"{prefix}-{n}-")}
    rows[f"{prefix}-TOTAL_FORMS"] = str(n + 1)
    for name, value in values.items():
        if value is True:
            rows[f"{prefix}-{n}-{name}"] = "on"
        elif value is not False and value is not None:
            rows[f"{prefix}-{n}-{name}"] = str(value)
    return rows


def shown_errors(response) -> set[str]:
    """The codes of every error the page shows (the form's, each inline form's and each
    formset's own), each message checked to be on the page."""
    from django.utils.html import escape

    context = response.context
    errors = [e for es in context["adminform"].form.errors.as_data().values() for e in es]
    for inline in context["inline_admin_formsets"]:
        errors += inline.formset.non_form_errors().as_data()
        for form in inline.formset.forms:
            errors += [e for es in form.errors.as_data().values() for e in es]
    for error in errors:
        for message in error.messages:
            assert escape(message) in response.text, message
    return {e.code for e in errors}
