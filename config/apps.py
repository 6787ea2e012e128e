from django.contrib.admin.apps import AdminConfig


class TeacherAdminConfig(AdminConfig):
    """Django's admin, with the teacher's workspace (`config.admin`) as its default site."""

    default_site = "config.admin.TeacherAdminSite"

    def ready(self):
        super().ready()
        # ModelAdmin.formfield_for_foreignkey/manytomany build these by name: the safe
        # ones (config/widgets.py) serve every autocomplete field.
        from django.contrib.admin import options
        from django.db.models import IntegerField

        from . import lookups, widgets

        IntegerField.register_lookup(lookups.IntegerIn)

        options.AutocompleteSelect = widgets.AutocompleteSelect
        options.AutocompleteSelectMultiple = widgets.AutocompleteSelectMultiple
