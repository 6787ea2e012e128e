"""Small pieces the class admins share: the date-time input, the page's object id, and an
inline formset whose remove boxes are named for a screen reader."""

from django import forms


def datetime_input(label):
    """A text input in the site's format, day first and 24-hour (25/12/2026 14:30: the
    first of DATETIME_INPUT_FORMATS, config/formats/), never the browser's picker, which
    follows the browser's language (12-hour AM/PM in a US browser). `label` names it for a
    screen reader even in an inline table."""
    return forms.DateTimeInput(
        attrs={"aria-label": label, "placeholder": "dd/mm/yyyy hh:mm", "size": 16}
    )


def object_id(request):
    """The id of the object the admin page edits (None on an add page)."""
    value = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
    return int(value) if value and str(value).isdigit() else None


def learner_label(user):
    name = user.get_full_name()
    return f"{name} ({user.username})" if name else user.username


class NamedDeleteFormSet(forms.BaseInlineFormSet):
    """An inline formset whose "delete" checkbox in each row says what it removes
    (`delete_label`), as a tabular inline's boxes have no label of their own."""

    delete_label = "Remove this row"

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["aria-label"] = self.delete_label
