"""The admin's autocomplete widgets, made safe to redisplay a refused value.

Django's AutocompleteSelect looks the posted value up to show it again beside the form's
error, with a query that fails (a 500) on a value that is not an id: "abc", or a number
no column holds. These keep only values the remote field accepts; the form still refuses
the others with its own message. `config.apps` makes them the admin's widgets, for every
`autocomplete_fields` of every model admin."""

from django.contrib.admin import widgets
from django.core.exceptions import ValidationError


class ValidIdsMixin:
    def optgroups(self, name, value, attr=None):
        opts = self.field.remote_field.model._meta
        target = opts.get_field(getattr(self.field.remote_field, "field_name", opts.pk.attname))
        kept = []
        for v in value:
            try:
                target.run_validators(target.to_python(v))
            except (ValidationError, TypeError, ValueError):
                continue
            kept.append(v)
        return super().optgroups(name, kept, attr)


class AutocompleteSelect(ValidIdsMixin, widgets.AutocompleteSelect):
    pass


class AutocompleteSelectMultiple(ValidIdsMixin, widgets.AutocompleteSelectMultiple):
    pass
